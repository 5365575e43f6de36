//! Every preset's emitted Verilog is a product: named modules in their own files, no
//! `initial`, a truthful manifest, and clean under verilator -Wall, yosys check -assert
//! and iverilog -g2005 — every design the manifest lists (the engine and the SCU tops).
//! Files other than `.v` (register-map renderings) are not this test's business.

mod common;

use common::{generate, manifest, repo_root, tool};
use sha2::{Digest, Sha256};
use std::path::Path;

fn is_verilog(path: &str) -> bool {
    path.ends_with(".v")
}

fn files_of(dir: &Path) -> Vec<String> {
    manifest(dir)["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap().to_string())
        .filter(|p| is_verilog(p))
        .collect()
}

/// (top, its module files) of every design in the manifest; a single-design manifest has
/// no `designs` list and is its own.
fn designs_of(m: &serde_json::Value) -> Vec<(String, Vec<String>)> {
    match m["designs"].as_array() {
        Some(ds) => ds
            .iter()
            .map(|d| {
                let files = d["modules"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|n| format!("{}.v", n.as_str().unwrap()))
                    .collect();
                (d["top"].as_str().unwrap().to_string(), files)
            })
            .collect(),
        None => {
            let files = m["modules"]
                .as_array()
                .unwrap()
                .iter()
                .map(|n| format!("{}.v", n.as_str().unwrap()))
                .collect();
            vec![(m["top"].as_str().unwrap().to_string(), files)]
        }
    }
}

fn check_preset(args: &[&str]) {
    let (_tmp, dir) = generate(args);
    check_dir(&dir, &format!("{args:?}"));
}

/// The checks on one emitted design directory; `args` names it in messages.
fn check_dir(dir: &Path, args: &str) {
    let dir = dir.to_path_buf();
    let m = manifest(&dir);
    let top = m["top"].as_str().unwrap().to_string();
    let files = files_of(&dir);
    assert_eq!(
        files.first().map(String::as_str),
        Some(format!("{top}.v").as_str()),
        "top file listed first"
    );

    // The directory holds exactly the Verilog files the manifest lists.
    let mut on_disk: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .filter(|n| is_verilog(n))
        .collect();
    on_disk.sort();
    let mut listed = files.clone();
    listed.sort();
    assert_eq!(on_disk, listed);

    for f in m["files"].as_array().unwrap() {
        let path = f["path"].as_str().unwrap();
        if !is_verilog(path) {
            continue;
        }
        let text = std::fs::read_to_string(dir.join(path)).unwrap();
        assert_eq!(
            f["sha256"].as_str().unwrap(),
            hex::encode(Sha256::digest(text.as_bytes())),
            "{path} hash"
        );
        let module = path.trim_end_matches(".v");
        assert!(module.starts_with("scu_"), "{module} is not prefixed");
        assert_eq!(
            text.matches("\nmodule ").count(),
            1,
            "{path}: one module per file"
        );
        assert!(
            text.contains(&format!("\nmodule {module} (")),
            "{path} declares {module}"
        );
        assert!(
            !text.contains("initial"),
            "{path} relies on an initial block"
        );
        assert!(!text.contains('$'), "{path} contains a `$` name");
        assert!(
            !text.contains("module top"),
            "{path} has a module named top"
        );
    }
    for p in m["ports"].as_array().unwrap() {
        assert!(p["width"].as_u64().unwrap() >= 1);
        assert!(matches!(
            p["direction"].as_str().unwrap(),
            "input" | "output"
        ));
    }

    let designs = designs_of(&m);
    for (top, design_files) in &designs {
        for f in design_files {
            assert!(
                files.contains(f),
                "{top}: {f} is not in the manifest's files"
            );
        }
        lint_design(&dir, top, design_files, &format!("{args} {top}"));
    }
}

/// verilator -Wall, yosys check -assert and iverilog on one top and its module files.
fn lint_design(dir: &Path, top: &str, files: &[String], args: &str) {
    let waivers = repo_root().join("hdl/lint/waivers.vlt");
    let mut verilator_args = vec!["--lint-only", "-Wall", "--top-module", top];
    let waivers = waivers.to_str().unwrap().to_string();
    verilator_args.push(&waivers);
    let file_refs: Vec<&str> = files.iter().map(String::as_str).collect();
    verilator_args.extend(&file_refs);
    let o = tool("verilator", &verilator_args, dir);
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "verilator -Wall on {args}:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );

    let script = format!(
        "read_verilog {}; hierarchy -check -top {top}; proc; check -assert",
        files.join(" ")
    );
    let o = tool("yosys", &["-q", "-p", &script], dir);
    assert!(
        o.status.success(),
        "yosys on {args}:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );

    // iverilog unlinks and chmods its output file: give it a scratch file, never /dev/null.
    let vvp = dir.with_file_name("lint.vvp");
    let vvp = vvp.to_str().unwrap();
    let mut iv = vec!["-g2005", "-Wall", "-o", vvp, "-s", top];
    iv.extend(&file_refs);
    let o = tool("iverilog", &iv, dir);
    assert!(
        o.status.success() && o.stderr.is_empty(),
        "iverilog on {args}:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
}

#[test]
fn every_preset_is_lint_clean() {
    for (name, _, _) in scu_hdl::preset::PRESETS.iter() {
        check_preset(&["--preset", name]);
    }
}

#[test]
fn every_word_width_is_lint_clean() {
    for w in scu_hdl::preset::WORD_WIDTHS {
        check_preset(&["--preset", "tiny", "--word-width", &w.to_string()]);
    }
}

/// Gate parameters no preset uses: an odd slot count (the key RAM's index and range check),
/// the full 16 slots (no range check) and λ = 1 (no TRNG draw for λ).
#[test]
fn gate_parameters_are_lint_clean() {
    use scu_hdl::preset::{self, Params};
    for (slots, randomize) in [(5, false), (8, true), (1, true)] {
        let params = Params {
            slots,
            randomize,
            ..Params::with_word_width(16)
        };
        let set = scu_hdl::DesignSet {
            designs: vec![
                preset::scu_wb("lint", &params).unwrap(),
                preset::scu_axi("lint", &params).unwrap(),
            ],
            extra: vec![],
        };
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        set.write_into(&dir).unwrap();
        check_dir(&dir, &format!("slots={slots} randomize={randomize}"));
    }
}

/// The TRNG is not yet part of what `scu generate` emits: its core (both configured
/// min-entropies of the co-simulation catalog) and the core wired to the ring-oscillator cell
/// (whose only waivers are the cell's, in hdl/lint/waivers.vlt).
#[test]
fn trng_designs_are_lint_clean() {
    use scu_golden::trng::MinEntropy;
    use scu_hdl::preset::{self, Params};
    for h in [MinEntropy::HALF, MinEntropy::FULL] {
        let params = Params {
            trng_min_entropy: h,
            ..Params::with_word_width(32)
        };
        for design in [
            preset::trng("lint", &params).unwrap(),
            preset::trng_with_ro("lint", &params).unwrap(),
        ] {
            let tmp = tempfile::tempdir().unwrap();
            let dir = tmp.path().join("out");
            std::fs::create_dir(&dir).unwrap();
            design.write_into(&dir).unwrap();
            check_dir(&dir, &design.top);
        }
    }
}

/// The UART bridge on its own, and every board's FPGA top with its default preset: the
/// board top `scu_board_w<W>` (bridge, SCU, status LEDs) inside the power-on reset, the
/// button synchroniser and the ring-oscillator cell (whose only waivers are the cell's); and
/// the board smoke tests (`scu fpga build --smoke`), one per LED count and polarity.
#[test]
fn uart_and_board_designs_are_lint_clean() {
    use scu_hdl::board::BOARDS;
    use scu_hdl::preset;
    let mut designs = vec![preset::uart_bridge().unwrap()];
    for spec in &BOARDS {
        let params = preset::preset(spec.default_preset).unwrap();
        designs.push(preset::fpga_top(spec, spec.default_preset, &params).unwrap());
        designs.push(scu_hdl::board::smoke::design(spec).unwrap());
    }
    for design in designs {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        design.write_into(&dir).unwrap();
        check_dir(&dir, &design.top);
    }
}

/// The serial-datapath engine at every width it is generated for.
#[test]
fn serial_engines_are_lint_clean() {
    use scu_hdl::preset::{self, Params, SERIAL_WORD_WIDTHS};
    for w in SERIAL_WORD_WIDTHS {
        let design = preset::engine_serial("lint", &Params::with_word_width(w)).unwrap();
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().join("out");
        std::fs::create_dir(&dir).unwrap();
        design.write_into(&dir).unwrap();
        check_dir(&dir, &design.top);
    }
}
