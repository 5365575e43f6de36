//! Waveforms: switched on per run by API, containing the top's signals, and without any
//! effect on the simulation.

mod common;

use common::*;
use num_bigint::BigUint;
use scu_sim::models::{ScuFieldAluW16, ScuFieldAluW64};
use scu_sim::{InitState, Model, Sim, SimOptions, Waves, WAVE_FORMAT};
use std::path::{Path, PathBuf};

fn tmp(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join("scu-sim-waves");
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join(format!("{name}.{WAVE_FORMAT}"));
    let _ = std::fs::remove_file(&path);
    path
}

/// Per cycle (busy, done, err, result); per operation (result, err, cycles); the wave file.
type Run = (
    Vec<(u64, u64, u64, BigUint)>,
    Vec<(BigUint, bool, u64)>,
    Option<PathBuf>,
);

/// A fixed run: reset, then ADD, MUL, SUB, illegal.
fn run(options: SimOptions) -> Run {
    let mut sim = Sim::<ScuFieldAluW16>::create(options);
    sim.reset(2);
    let m = p();
    let mut rng = Rng(77);
    let mut per_cycle = vec![];
    let mut results = vec![];
    for op in [OP_ADD, OP_MUL, OP_SUB, OP_ILLEGAL] {
        let (a, b) = (rng.below(&m), rng.below(&m));
        sim.set_inputs(true, op, 0, &a, &b);
        let start = sim.cycles();
        loop {
            sim.tick();
            sim.set_start(0);
            per_cycle.push((sim.busy(), sim.done(), sim.err(), sim.result_big()));
            if sim.done() == 1 {
                break;
            }
        }
        results.push((sim.result_big(), sim.err() == 1, sim.cycles() - start));
    }
    (per_cycle, results, sim.wave_path().map(Path::to_path_buf))
}

/// `$var` lines of a VCD: (scope path, name) → id code.
fn vcd_vars(text: &str) -> Vec<(String, String, String, usize)> {
    let mut scopes: Vec<String> = vec![];
    let mut vars = vec![];
    for line in text.lines() {
        let t: Vec<&str> = line.split_whitespace().collect();
        match t.as_slice() {
            ["$scope", _, name, "$end"] => scopes.push(name.to_string()),
            ["$upscope", "$end"] => {
                scopes.pop();
            }
            ["$var", _, width, id, name, ..] => vars.push((
                scopes.join("."),
                name.to_string(),
                id.to_string(),
                width.parse().unwrap(),
            )),
            ["$enddefinitions", ..] => break,
            _ => {}
        }
    }
    vars
}

#[test]
fn waves_do_not_change_behaviour_and_hold_the_top_signals() {
    let path = tmp("alu_w16_run");
    let (cycles_off, results_off, no_path) = run(SimOptions::new().no_waves());
    let (cycles_on, results_on, wave_path) = run(SimOptions::new().waves(&path));
    assert_eq!(no_path, None);
    assert_eq!(wave_path.as_deref(), Some(path.as_path()));
    assert_eq!(
        cycles_on, cycles_off,
        "per-cycle outputs differ with waves on"
    );
    assert_eq!(results_on, results_off);
    assert_eq!(
        results_off.iter().map(|r| r.2).collect::<Vec<_>>(),
        [33, 337, 33, 1]
    );

    let bytes = std::fs::read(&path).unwrap();
    assert!(bytes.len() > 1000, "waveform file is {} bytes", bytes.len());
    if WAVE_FORMAT == "fst" {
        // FST is binary (block type 0 = header); content is checked in VCD builds.
        assert_eq!(bytes[0], 0, "FST header block");
        return;
    }
    let text = String::from_utf8(bytes).unwrap();
    let vars = vcd_vars(&text);
    let find = |scope: &str, name: &str| {
        vars.iter()
            .find(|(s, n, ..)| s == scope && n == name)
            .unwrap_or_else(|| panic!("no `{scope}.{name}` in the VCD; vars: {vars:?}"))
            .clone()
    };
    for (name, width) in [
        ("clock", 1),
        ("reset", 1),
        ("start", 1),
        ("op", 2),
        ("mod_sel", 1),
        ("a", 256),
        ("b", 256),
        ("busy", 1),
        ("done", 1),
        ("err", 1),
        ("result", 256),
    ] {
        assert_eq!(find("TOP.scu_field_alu_w16", name).3, width, "{name}");
        assert_eq!(find("TOP", name).3, width, "{name}");
    }
    // Internal state is traced too (more than the ports).
    assert!(
        vars.iter()
            .filter(|(s, ..)| s.starts_with("TOP.scu_field_alu_w16"))
            .count()
            > 20
    );

    // The VCD's `done` after every rising edge is what the model reported after every tick
    // (the first two ticks are the reset).
    let done_id = find("TOP.scu_field_alu_w16", "done").2;
    let body = &text[text.find("$enddefinitions").unwrap()..];
    let mut done_at = std::collections::BTreeMap::new();
    let (mut time, mut done) = (None::<u64>, None::<u64>);
    for line in body.lines() {
        if let Some(t) = line.strip_prefix('#') {
            if let (Some(t), Some(d)) = (time, done) {
                done_at.insert(t, d);
            }
            time = Some(t.parse().unwrap());
        } else if line.len() == 1 + done_id.len() && line.ends_with(done_id.as_str()) {
            done = Some(line[..1].parse().unwrap());
        }
    }
    done_at.insert(time.unwrap(), done.unwrap());
    let from_vcd: Vec<u64> = (2..2 + cycles_off.len() as u64)
        .map(|c| done_at[&(10 * c + 5)])
        .collect();
    let from_model: Vec<u64> = cycles_off.iter().map(|c| c.1).collect();
    assert_eq!(from_vcd, from_model);
    assert_eq!(from_model.iter().filter(|&&d| d == 1).count(), 4);
    let last_time: u64 = body
        .lines()
        .filter_map(|l| l.strip_prefix('#'))
        .next_back()
        .unwrap()
        .parse()
        .unwrap();
    let total_cycles = 2 + results_off.iter().map(|r| r.2).sum::<u64>();
    assert_eq!(last_time, 10 * (total_cycles - 1) + 5);
}

/// One ADD mod n through `sim`: 40 + 2 = 42.
fn assert_adds_40_and_2<M: Alu>(sim: &mut Sim<M>) {
    let (r, _, _) = run_op(sim, OP_ADD, 1, &BigUint::from(40u32), &BigUint::from(2u32));
    assert_eq!(r, BigUint::from(42u32));
}

#[test]
fn waves_can_start_mid_run_and_close_early() {
    let path = tmp("alu_w64_mid_run");
    // Waves opened later need the traced build.
    let mut sim = Sim::with_waves(
        ScuFieldAluW64::with_tracing(InitState::Zeros, true),
        &Waves::Off,
    );
    sim.reset(3);
    sim.ticks(4);
    sim.open_waves(&path).unwrap();
    assert!(sim.tracing());
    assert!(sim.open_waves(&path).unwrap_err().contains("already open"));
    assert_adds_40_and_2(&mut sim);
    sim.close_waves();
    assert!(!sim.tracing());
    sim.ticks(3);
    drop(sim);
    let bytes = std::fs::read(&path).unwrap();
    if WAVE_FORMAT == "vcd" {
        let text = String::from_utf8(bytes).unwrap();
        let times: Vec<u64> = text
            .lines()
            .filter_map(|l| l.strip_prefix('#'))
            .map(|t| t.parse().unwrap())
            .collect();
        // Opened after 7 cycles, closed after the 9-cycle ADD.
        assert_eq!(times.first(), Some(&70));
        assert_eq!(times.last(), Some(&155));
    } else {
        assert!(!bytes.is_empty());
    }
}

#[test]
fn an_untraced_model_refuses_waves_and_runs_on() {
    let path = tmp("alu_w16_untraced");
    let mut sim = Sim::<ScuFieldAluW16>::create(SimOptions::new().no_waves());
    let err = sim.open_waves(&path).unwrap_err();
    assert!(err.contains("created without tracing"), "{err}");
    assert!(!sim.tracing());
    sim.reset(3);
    assert_adds_40_and_2(&mut sim);
}

#[test]
fn unwritable_wave_path_is_an_error() {
    let mut sim = Sim::with_waves(
        ScuFieldAluW16::with_tracing(InitState::Zeros, true),
        &Waves::Off,
    );
    let err = sim
        .open_waves(Path::new("/nonexistent-dir/x.vcd"))
        .unwrap_err();
    assert!(err.contains("cannot create waveform file"), "{err}");
    assert!(!sim.tracing());
    sim.reset(1); // still usable
}

/// Without waves a tick presents the rising edge in one `eval` (when build.rs proved that
/// equivalent) on the untraced build; with waves it evaluates both clock phases on the traced
/// build. Both must agree cycle by cycle on everything the design defines: the control
/// outputs in every cycle, the result when `done` shows. (Under a random initial state the two
/// builds draw different values for the same seed, so the result register's contents before
/// the first operation differ.)
fn per_cycle_trace<M: Alu>(waves: bool) -> Vec<(bool, bool, bool, BigUint)> {
    // A real file: tools may replace or chmod an output path, so never hand them /dev/null.
    let dir = tempfile::tempdir().unwrap();
    let options = if waves {
        SimOptions::new().waves(dir.path().join("trace.vcd"))
    } else {
        SimOptions::new().no_waves()
    };
    let mut sim = Sim::<M>::create(options.random_init(11));
    sim.reset(1);
    let mut rng = Rng(5);
    let mut out = vec![];
    for i in 0..12u64 {
        let op = rng.next() % 4;
        let mod_sel = rng.next() % 2;
        let (a, b) = if i % 4 == 3 {
            (rng.bits(256), rng.bits(256))
        } else {
            (rng.below(&modulus(mod_sel)), rng.below(&modulus(mod_sel)))
        };
        sim.set_inputs(true, op, mod_sel, &a, &b);
        // Start held for a few cycles sometimes (ignored while busy).
        let hold = rng.next() % 3;
        for c in 0..400 {
            sim.tick();
            if c >= hold {
                sim.set_start_bit(false);
            }
            let result = if sim.done_bit() {
                sim.result_value()
            } else {
                BigUint::default()
            };
            out.push((sim.busy_bit(), sim.done_bit(), sim.err_bit(), result));
            if sim.done_bit() && c >= hold {
                break;
            }
        }
    }
    out
}

#[test]
fn one_eval_and_two_eval_ticks_agree() {
    fn check<M: Alu>() {
        let with = per_cycle_trace::<M>(true);
        let without = per_cycle_trace::<M>(false);
        assert_eq!(with.len(), without.len(), "W={}", M::W);
        for (c, (x, y)) in with.iter().zip(&without).enumerate() {
            assert_eq!(x, y, "W={} cycle {c}", M::W);
        }
    }
    check::<ScuFieldAluW16>();
    check::<scu_sim::models::ScuFieldAluW32>();
    check::<ScuFieldAluW64>();
}
