//! `scu sim random` through the driver and bus of the Verilated SCU: the bytes equal the
//! gate's golden model's for the same noise stream; every CLI fault trips a health test (exit 3) and only bytes delivered
//! before the alarm come out; bad flags exit 2.

mod common;

use common::scu;
use scu::device::{random_bytes, ModelScu};
use scu_driver::Scu;
use scu_golden::trng::Fault;
use std::process::Output;

fn random(args: &[&str]) -> Output {
    scu().args(["sim", "random"]).args(args).output().unwrap()
}

/// The golden model's bytes for `seed`, `fault` at `at`: (bytes, alarmed) — the gate model
/// behind the same driver calls, so the TRNG_DATA reads land on the same cycles.
fn model(seed: u64, fault: Fault, at: u64, n: usize) -> (Vec<u8>, bool) {
    let mut m = ModelScu::new(16, seed).unwrap();
    m.schedule_fault(at, fault);
    let mut scu = Scu::new(m, true);
    let (bytes, alarm) = random_bytes(&mut scu, n).unwrap();
    (bytes, alarm.is_some())
}

#[test]
fn healthy_bytes_equal_the_golden_model_and_depend_on_the_seed() {
    for preset in ["tiny", "fast"] {
        let o = random(&["--preset", preset, "--bytes", "61", "--seed", "5"]);
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        let hex_out = String::from_utf8(o.stdout).unwrap();
        let got = hex::decode(hex_out.trim()).unwrap();
        assert_eq!(got.len(), 61);
        assert_eq!(got, model(5, Fault::None, 2048, 61).0, "{preset}");
    }
    let a = random(&["--bytes", "32", "--seed", "1"]).stdout;
    let b = random(&["--bytes", "32", "--seed", "2"]).stdout;
    assert_ne!(a, b);
}

#[test]
fn every_cli_fault_trips_an_alarm_and_nothing_after_it_is_emitted() {
    let dir = tempfile::tempdir().unwrap();
    for fault in ["stuck0", "stuck1", "bias", "stop"] {
        let out = dir.path().join(format!("{fault}.bin"));
        let o = random(&[
            "--preset",
            "tiny",
            "--bytes",
            "4096",
            "--seed",
            "9",
            "--fault",
            fault,
            "--out",
            out.to_str().unwrap(),
        ]);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(3), "{fault}: {err}");
        assert!(
            err.contains("alarm:") && err.contains("test after"),
            "{fault}: {err}"
        );
        let got = std::fs::read(&out).unwrap();
        let (want, alarmed) = model(9, fault.parse().unwrap(), 2048, 4096);
        assert!(alarmed, "{fault}: the model must alarm too");
        assert_eq!(got, want, "{fault}: bytes before the alarm");
        assert!(got.len() < 4096);
        // A constant source gives von Neumann nothing to emit, so under those faults every
        // byte predates the onset: exactly what the healthy source gives. (A biased source
        // still emits words between onset and alarm; the model comparison above covers it.)
        if fault != "bias" {
            let healthy = model(9, Fault::None, 2048, 4096).0;
            assert_eq!(&healthy[..got.len()], &got[..], "{fault}");
        }
    }
}

#[test]
fn a_fault_from_power_up_stops_everything_in_the_startup_test() {
    let o = random(&[
        "--bytes",
        "8",
        "--seed",
        "3",
        "--fault",
        "stuck1",
        "--fault-at",
        "0",
        "--json",
    ]);
    assert_eq!(o.status.code(), Some(3));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["bytes"], 0);
    assert_eq!(v["hex"], "");
    assert_eq!(v["alarm"]["tests"][0], "repetition count");
    // Stuck from sample 0: the repetition count cutoff for H = 0.5 is 41 samples.
    assert_eq!(v["alarm"]["after_samples"], 41);
}

#[test]
fn bad_flags_exit_2_without_output() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("x.bin");
    for args in [
        vec!["--bytes", "0"],
        vec!["--bytes", "8", "--fault", "weird"],
        vec!["--bytes", "8", "--preset", "huge"],
        vec!["--bytes", "99999999"],
    ] {
        let mut a = args.clone();
        a.extend(["--out", out.to_str().unwrap()]);
        let o = random(&a);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(
            String::from_utf8_lossy(&o.stderr).starts_with("error:"),
            "{args:?}"
        );
        assert!(!out.exists(), "{args:?}");
    }
}
