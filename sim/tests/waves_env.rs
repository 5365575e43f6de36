//! `SCU_WAVES=<dir>`: every Sim of the process writes `<dir>/<top>-<n>.<ext>`.
//! Alone in its test binary because it sets a process-wide environment variable.

use scu_sim::models::{ScuFieldAluW16, ScuFieldAluW32};
use scu_sim::{Sim, SimOptions, WAVES_ENV, WAVE_FORMAT};
use std::path::Path;

#[test]
fn scu_waves_names_one_file_per_run() {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scu-sim-waves-env");
    let _ = std::fs::remove_dir_all(&dir);
    std::env::set_var(WAVES_ENV, &dir);

    let mut a = Sim::new(ScuFieldAluW16::new());
    let mut b = Sim::<ScuFieldAluW16>::create(SimOptions::new());
    let mut c = Sim::<ScuFieldAluW32>::create(SimOptions::new().random_init(5));
    let off = Sim::<ScuFieldAluW32>::create(SimOptions::new().no_waves());
    let explicit = dir.join("explicit.vcd");
    let d = Sim::<ScuFieldAluW32>::create(SimOptions::new().waves(&explicit));
    for s in [&mut a, &mut b] {
        s.reset(2);
        s.ticks(5);
    }
    c.reset(2);
    assert_eq!(
        a.wave_path(),
        Some(
            dir.join(format!("scu_field_alu_w16-0.{WAVE_FORMAT}"))
                .as_path()
        )
    );
    assert_eq!(
        b.wave_path(),
        Some(
            dir.join(format!("scu_field_alu_w16-1.{WAVE_FORMAT}"))
                .as_path()
        )
    );
    assert_eq!(
        c.wave_path(),
        Some(
            dir.join(format!("scu_field_alu_w32-0.{WAVE_FORMAT}"))
                .as_path()
        )
    );
    assert_eq!(off.wave_path(), None);
    assert_eq!(d.wave_path(), Some(explicit.as_path()));
    drop((a, b, c, off, d));

    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    let ext = WAVE_FORMAT;
    assert_eq!(
        names,
        [
            "explicit.vcd".to_string(),
            format!("scu_field_alu_w16-0.{ext}"),
            format!("scu_field_alu_w16-1.{ext}"),
            format!("scu_field_alu_w32-0.{ext}"),
        ]
    );
    for n in &names {
        assert!(
            std::fs::metadata(dir.join(n)).unwrap().len() > 0,
            "{n} is empty"
        );
    }

    // A second round in the same directory takes the next free numbers.
    let e = Sim::new(ScuFieldAluW16::new());
    assert_eq!(
        e.wave_path(),
        Some(dir.join(format!("scu_field_alu_w16-2.{ext}")).as_path())
    );

    std::env::set_var(WAVES_ENV, "");
    assert_eq!(
        Sim::new(ScuFieldAluW16::new()).wave_path(),
        None,
        "empty SCU_WAVES means off"
    );
}
