//! `scu explore`: the sweep's files, the physics it must show (a wider word is faster and
//! bigger), agreement with `scu report` and `scu asic estimate`, and bad flags.

mod common;

use common::scu;
use serde_json::Value;

fn explore(args: &[&str]) -> (tempfile::TempDir, std::path::PathBuf, std::process::Output) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("explore");
    let o = scu()
        .arg("explore")
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    (tmp, out, o)
}

#[test]
fn cycles_fall_as_the_word_widens_and_match_the_report() {
    let (_tmp, out, o) = explore(&["--word-widths", "32,16", "--no-area"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("explore.json")).unwrap()).unwrap();
    let pts = v["points"].as_array().unwrap();
    assert_eq!(pts.len(), 2);
    assert_eq!(pts[0]["word_width"], 16, "points are sorted by width");
    assert_eq!(pts[0]["datapath"], "serial");
    assert_eq!(pts[1]["datapath"], "parallel");
    assert!(pts[0]["area"].is_null());
    for cmd in ["keygen", "sign", "ecdh", "verify"] {
        let (narrow, wide) = (
            pts[0]["cycles"][cmd].as_u64().unwrap(),
            pts[1]["cycles"][cmd].as_u64().unwrap(),
        );
        assert!(
            narrow > wide && wide > 10_000,
            "{cmd}: W16 {narrow}, W32 {wide}"
        );
    }
    // Same engine (each width's default datapath), same inputs: the report's tiny (W16,
    // serial) and balanced (W32, parallel) rows.
    let r = scu().args(["report", "--json"]).output().unwrap();
    assert!(r.status.success());
    let report: Value = serde_json::from_slice(&r.stdout).unwrap();
    for (i, preset) in ["tiny", "balanced"].iter().enumerate() {
        assert_eq!(
            report["presets"][preset]["keygen"],
            pts[i]["cycles"]["keygen"]
        );
    }
    let csv = std::fs::read_to_string(out.join("explore.csv")).unwrap();
    assert_eq!(csv.lines().count(), 3);
    assert!(!out.join("explore.svg").exists(), "no plot without area");
    let md = std::fs::read_to_string(out.join("explore.md")).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&o.stdout).lines().next(),
        md.lines().next()
    );
}

#[test]
fn area_and_plot_for_one_width() {
    let (_tmp, out, o) = explore(&["--word-widths", "16", "--json"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: Value = serde_json::from_slice(&o.stdout).unwrap();
    let area = &v["points"][0]["area"];
    let est = scu()
        .args(["asic", "estimate", "--preset", "tiny", "--json"])
        .output()
        .unwrap();
    assert!(est.status.success());
    let est: Value = serde_json::from_slice(&est.stdout).unwrap();
    let (a, b) = (
        area["total_kge"].as_f64().unwrap(),
        est["total_kge"].as_f64().unwrap(),
    );
    assert!(
        (a - b).abs() < 0.011 && a > 1.0,
        "explore {a} kGE, asic estimate {b} kGE"
    );
    assert_eq!(area["ram_bits"], est["storage_bits"]);
    let svg = std::fs::read_to_string(out.join("explore.svg")).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("W16") && svg.contains("VERIFY"));
}

#[test]
fn bad_widths_are_refused_without_output() {
    for bad in ["24", "", "16,abc"] {
        let (_tmp, out, o) = explore(&["--word-widths", bad, "--no-area"]);
        assert_eq!(o.status.code(), Some(2), "--word-widths {bad:?}");
        assert!(!out.exists(), "--word-widths {bad:?} left output");
        assert!(!o.stderr.is_empty());
    }
}
