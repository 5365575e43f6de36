//! `scu generate` on bad input: one clear error line, a nonzero exit, and nothing written
//! (nor anything destroyed).

mod common;

use common::{manifest, scu};
use std::fs;

fn run(args: &[&str]) -> (i32, String, String) {
    let o = scu().args(args).output().unwrap();
    (
        o.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&o.stdout).into_owned(),
        String::from_utf8_lossy(&o.stderr).into_owned(),
    )
}

fn assert_one_line_error(stderr: &str, needle: &str) {
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(lines.len(), 1, "expected one error line, got: {stderr}");
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(needle),
        "{stderr}"
    );
}

#[test]
fn unknown_preset_is_rejected_without_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    let (code, _, err) = run(&[
        "generate",
        "--preset",
        "huge",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, "unknown preset `huge`");
    assert!(!out.exists());
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        0,
        "no staging left behind"
    );
}

#[test]
fn invalid_parameter_is_rejected_without_output() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    for w in ["8", "48", "96", "256", "0"] {
        let (code, _, err) = run(&[
            "generate",
            "--word-width",
            w,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 2, "width {w}");
        assert_one_line_error(&err, &format!("invalid word width {w}"));
        assert!(!out.exists());
    }
    // Not a number at all: clap's own usage error, still exit 2 and no output.
    let (code, _, _) = run(&[
        "generate",
        "--word-width",
        "wide",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 2);
    assert!(!out.exists());
}

#[test]
fn non_empty_directory_needs_force_and_is_kept_intact() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    fs::create_dir(&out).unwrap();
    fs::write(out.join("keep.txt"), "mine").unwrap();
    let (code, _, err) = run(&["generate", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, "not empty");
    assert_eq!(fs::read_to_string(out.join("keep.txt")).unwrap(), "mine");
    assert_eq!(fs::read_dir(&out).unwrap().count(), 1);

    let (code, _, err) = run(&[
        "generate",
        "--preset",
        "fast",
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        !out.join("keep.txt").exists(),
        "--force replaces the directory"
    );
    assert_eq!(manifest(&out)["preset"], "fast");
    assert_eq!(
        fs::read_dir(tmp.path()).unwrap().count(),
        1,
        "no staging left behind"
    );
}

#[test]
fn empty_directory_is_accepted() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    fs::create_dir(&out).unwrap();
    let (code, stdout, err) = run(&[
        "generate",
        "--preset",
        "tiny",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(stdout.contains("scu_engine_serial_w16"));
    assert_eq!(manifest(&out)["params"]["word_width"], 16);
    assert_eq!(manifest(&out)["params"]["datapath"], "serial");
}

/// `--datapath` picks the engine inside the SCU; a serial engine exists at W = 16 and 32 only,
/// and the simulated SCU has one model per width.
#[test]
fn datapath_override() {
    let (_tmp, out) = common::generate(&["--preset", "tiny", "--datapath", "parallel"]);
    let m = manifest(&out);
    assert_eq!(m["params"]["datapath"], "parallel");
    let tops: Vec<&str> = m["designs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["top"].as_str().unwrap())
        .collect();
    assert_eq!(tops, ["scu_wb_w16", "scu_axi_w16", "scu_engine_w16"]);
    let tmp = tempfile::tempdir().unwrap();
    for (args, what) in [
        (
            vec!["--preset", "fast", "--datapath", "serial"],
            "no serial datapath at word width 128",
        ),
        (
            vec!["--preset", "tiny", "--datapath", "wide"],
            "invalid --datapath",
        ),
    ] {
        let o = tmp.path().join("x");
        let mut full = vec!["generate", "--out", o.to_str().unwrap()];
        full.extend(args);
        let (code, _, err) = run(&full);
        assert_eq!(code, 2, "{err}");
        assert_one_line_error(&err, what);
        assert!(!o.exists(), "no partial output");
    }
    let (code, _, err) = run(&[
        "sim",
        "keygen",
        "--preset",
        "tiny",
        "--datapath",
        "parallel",
        "--d",
        "1",
    ]);
    assert_eq!(code, 2, "{err}");
    assert_one_line_error(&err, "has the serial datapath");
}

#[test]
fn unwritable_location_fails_cleanly() {
    let tmp = tempfile::tempdir().unwrap();
    // A regular file where a parent directory should be: no user, root included, can write there.
    let blocker = tmp.path().join("file");
    fs::write(&blocker, "x").unwrap();
    let out = blocker.join("o");
    let (code, _, err) = run(&["generate", "--out", out.to_str().unwrap()]);
    assert_eq!(code, 1);
    assert_one_line_error(&err, "cannot");
    assert_eq!(fs::read_to_string(&blocker).unwrap(), "x");

    let out = tmp.path().join("file");
    let (code, _, err) = run(&["generate", "--out", out.to_str().unwrap(), "--force"]);
    assert_eq!(code, 2);
    assert_one_line_error(&err, "not a directory");
}

#[test]
fn manifest_has_the_keys_scripts_rely_on() {
    let (_tmp, out) = common::generate(&["--preset", "tiny"]);
    let m = manifest(&out);
    assert_eq!(m["top"], "scu_wb_w16");
    assert_eq!(m["preset"], "tiny");
    assert_eq!(m["generator"]["name"], "scu");
    assert!(m["generator"]["version"].is_string());
    assert!(m["files"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["path"].is_string() && f["sha256"].as_str().unwrap().len() == 64));
    let ports = m["ports"].as_array().unwrap();
    let port = |name: &str| ports.iter().find(|p| p["name"] == name).unwrap();
    assert_eq!(port("wb_adr")["width"], 12);
    assert_eq!(port("wb_dat_w")["direction"], "input");
    assert_eq!(port("wb_dat_r")["width"], 32);
    assert_eq!(port("alert")["direction"], "output");
    assert_eq!(m["clock"], "clock");
    assert_eq!(m["reset"], "reset");
    // Every design, and the register map beside the Verilog, listed with its hash.
    let tops: Vec<&str> = m["designs"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["top"].as_str().unwrap())
        .collect();
    assert_eq!(tops, ["scu_wb_w16", "scu_axi_w16", "scu_engine_serial_w16"]);
    let paths: Vec<&str> = m["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    for f in [
        "registers.rdl",
        "scu_regs.h",
        "registers.md",
        "scu_wb_w16.v",
        "scu_gate_keyslots.v",
    ] {
        assert!(paths.contains(&f), "{f} missing from {paths:?}");
        assert!(out.join(f).is_file(), "{f} not written");
    }
    let rdl = fs::read_to_string(out.join("registers.rdl")).unwrap();
    assert!(rdl.contains("addrmap scu"), "{rdl}");
}

#[test]
fn generation_is_deterministic() {
    let (_t1, a) = common::generate(&["--preset", "fast"]);
    let (_t2, b) = common::generate(&["--preset", "fast"]);
    assert_eq!(manifest(&a)["files"], manifest(&b)["files"]);
}

#[test]
fn default_directory_is_replaced_on_rerun() {
    let tmp = tempfile::tempdir().unwrap();
    for _ in 0..2 {
        let o = scu()
            .args(["generate", "--preset", "tiny"])
            .current_dir(tmp.path())
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    assert_eq!(
        manifest(&tmp.path().join("build/tiny"))["top"],
        "scu_wb_w16"
    );
    assert_eq!(
        fs::read_dir(tmp.path().join("build")).unwrap().count(),
        1,
        "no staging left behind"
    );
}

/// The summary's cycle figures are those of the preset's own datapath: `tiny` is serial, with
/// the one-multiplier ALU, whose KEYGEN and MUL mod n take longer than the parallel W = 16
/// engine's (the summary once printed the parallel figures for every preset).
#[test]
fn summary_cycles_follow_the_datapath() {
    use scu_golden::engine::{Command, Datapath, Engine};
    let tmp = tempfile::tempdir().unwrap();
    for (preset, dp, w) in [
        ("tiny", Datapath::Serial, 16),
        ("balanced", Datapath::Parallel, 32),
    ] {
        let out = tmp.path().join(preset);
        let (code, stdout, err) = run(&[
            "generate",
            "--preset",
            preset,
            "--out",
            out.to_str().unwrap(),
        ]);
        assert_eq!(code, 0, "{err}");
        let keygen = |dp| {
            let mut e = Engine::with_datapath(dp, w).unwrap();
            e.run(Command::Keygen.code(), &[1u32.into()]).cycles
        };
        let line = stdout
            .lines()
            .find(|l| l.contains("keygen"))
            .expect(&stdout);
        assert!(
            line.contains(&format!("keygen {} ", keygen(dp))),
            "{preset}: {line}"
        );
        let other = if dp == Datapath::Serial {
            Datapath::Parallel
        } else {
            Datapath::Serial
        };
        if w == 16 {
            assert_ne!(keygen(dp), keygen(other));
        }
        let alu = stdout
            .lines()
            .find(|l| l.contains("field ALU"))
            .expect(&stdout);
        assert_eq!(
            alu.contains("mod n"),
            dp == Datapath::Serial,
            "{preset}: {alu}"
        );
    }
}

/// A run that was killed leaves its staging directory (`.<out>.scu-staging-<pid>`) behind;
/// the next run into the same place removes it, but not one whose process is still running.
#[test]
fn a_killed_runs_staging_directory_is_removed() {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("o");
    // Linux pids stop at 2^22: this process cannot exist.
    let dead = tmp.path().join(".o.scu-staging-999999999");
    let live = tmp
        .path()
        .join(format!(".o.scu-staging-{}", std::process::id()));
    let other = tmp.path().join(".p.scu-staging-999999999");
    for d in [&dead, &live, &other] {
        fs::create_dir(d).unwrap();
        fs::write(d.join("half.v"), "module half").unwrap();
    }
    let (code, _, err) = run(&[
        "generate",
        "--preset",
        "tiny",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(!dead.exists(), "the dead run's staging directory stays");
    assert!(
        live.exists(),
        "a live process's staging directory was removed"
    );
    assert!(
        other.exists(),
        "another output's staging directory was removed"
    );
}
