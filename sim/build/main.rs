//! Verilates every design of `scu_hdl::preset::sim_catalog()` and binds it to Rust.
//!
//! For each design (top `T`):
//! 1. `design.write_into($OUT_DIR/models/T/rtl)` — the very files `scu generate` emits;
//! 2. `verilator --cc -O3 --x-assign unique --x-initial unique --trace[-fst] …` into
//!    `$OUT_DIR/models/T/obj`, and the same without `--trace` into `obj_nt` (class `VT_nt`):
//!    the untraced model, several times faster, is the one a model gets unless it is created
//!    for waves (`verilator.rs`, `verilate_pair`);
//! 3. a C++ shim (`extern "C"`, one function per port and per model operation, each
//!    dispatching to whichever of the two models the handle holds), compiled
//!    (`-O3`) in one translation unit with both models' fast-path files so `eval` inlines
//!    into `tick`; the model's slow-path files go into a second unit (`-O1`). Without open
//!    waves a tick is a single `eval` when that is provably equivalent to the usual
//!    clock-low + clock-high pair (see `single_edge_trigger`);
//! 4. a typed Rust struct in `$OUT_DIR/models.rs` (included by `src/lib.rs` as `models`).
//!
//! The Verilator runtime (`verilated.cpp`, `verilated_threads.cpp`, the trace writer) is
//! compiled once for all models. All C++ units are compiled in parallel (`NUM_JOBS`), and
//! each static library carries a content stamp so an unchanged model is not recompiled
//! when the build script reruns (e.g. after an edit in `scu-hdl` that leaves the Verilog
//! unchanged).
//!
//! Environment: `SCU_SIM_FST=1` selects FST waveforms (`--trace-fst`, links zlib) instead
//! of VCD. `VERILATOR` overrides the `verilator` executable found on `PATH`.

mod bindings;
mod compile;
mod shim;
mod verilator;

use bindings::*;
use compile::*;
use shim::*;
use verilator::*;

use scu_hdl::emit::Design;
use std::collections::BTreeMap;
use std::path::PathBuf;

/// This file's own text: part of every library's stamp, so a change to the shim generator
/// or the compiler flags here recompiles everything.
const SELF_TEXT: &str = concat!(
    include_str!("main.rs"),
    include_str!("verilator.rs"),
    include_str!("shim.rs"),
    include_str!("compile.rs"),
    include_str!("bindings.rs"),
);

fn main() {
    println!("cargo:rerun-if-changed=build");
    for var in ["SCU_SIM_FST", "VERILATOR", "CXX", "CXXFLAGS", "AR"] {
        println!("cargo:rerun-if-env-changed={var}");
    }
    let out = PathBuf::from(std::env::var("OUT_DIR").expect("OUT_DIR"));
    let fst = std::env::var("SCU_SIM_FST")
        .map(|v| v.trim() == "1")
        .unwrap_or(false);
    let jobs: usize = std::env::var("NUM_JOBS")
        .ok()
        .and_then(|j| j.parse().ok())
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get()))
        .max(1);

    let tool = Verilator::find();
    let designs = scu_hdl::preset::sim_catalog();
    check_unique_tops(&designs);

    // 1–2: RTL out, Verilator in. One thread per design (Verilator is single-threaded).
    let pairs: Vec<(ModelSpec, ModelSpec)> = std::thread::scope(|s| {
        let handles: Vec<_> = designs
            .iter()
            .map(|d| s.spawn(|| verilate_pair(&tool, d, &out.join("models").join(&d.top), fst)))
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });

    // 3: C++ units: runtime once, then two per model (fast path + shim, slow path).
    let lib_dir = out.join("lib");
    std::fs::create_dir_all(&lib_dir).unwrap();
    let mut libs = vec![];
    let (models, untraced): (Vec<ModelSpec>, Vec<ModelSpec>) = pairs.into_iter().unzip();
    let runtime_sources = runtime_sources(&tool, &models, &out);
    libs.push(Library {
        name: "scu_verilated".into(),
        units: runtime_sources
            .iter()
            .map(|(src, opt)| Unit {
                src: src.clone(),
                opt,
                includes: vec![],
            })
            .collect(),
        fingerprint_extra: tool.version.clone(),
    });
    for (m, nt) in models.iter().zip(&untraced) {
        let (fast, slow) = write_model_units(m, nt, fst);
        libs.push(Library {
            name: format!("scu_model_{}", m.top),
            units: vec![
                Unit {
                    src: fast,
                    opt: "3",
                    includes: vec![m.obj_dir.clone(), nt.obj_dir.clone()],
                },
                Unit {
                    src: slow,
                    opt: "1",
                    includes: vec![m.obj_dir.clone(), nt.obj_dir.clone()],
                },
            ],
            // The units #include the generated files: hash them all.
            fingerprint_extra: dir_fingerprint(&m.obj_dir) + &dir_fingerprint(&nt.obj_dir),
        });
    }
    build_libraries(&tool, &libs, &lib_dir, fst, jobs);

    // 4: Rust.
    let rust = rust_bindings(&models, fst, &tool.version);
    write_if_changed(&out.join("models.rs"), &rust);

    println!("cargo:rustc-link-search=native={}", lib_dir.display());
    for lib in libs.iter().skip(1) {
        println!("cargo:rustc-link-lib=static={}", lib.name);
    }
    println!("cargo:rustc-link-lib=static={}", libs[0].name);
    println!("cargo:rustc-link-lib=dylib=stdc++");
    println!("cargo:rustc-link-lib=dylib=pthread");
    let arch = std::env::var("CARGO_CFG_TARGET_ARCH").unwrap_or_default();
    if !matches!(arch.as_str(), "x86_64" | "aarch64") {
        // Verilator's own makefiles always pass -latomic; 64-bit atomics need it on 32-bit targets.
        println!("cargo:rustc-link-lib=dylib=atomic");
    }
    if fst {
        println!("cargo:rustc-link-lib=dylib=z");
    }
    println!(
        "cargo:rustc-env=SCU_SIM_WAVE_FORMAT={}",
        if fst { "fst" } else { "vcd" }
    );
    println!("cargo:rustc-env=SCU_SIM_VERILATOR_VERSION={}", tool.version);
}

fn check_unique_tops(designs: &[Design]) {
    let mut seen = BTreeMap::new();
    for d in designs {
        if let Some(prev) = seen.insert(d.top.clone(), d.preset.clone()) {
            panic!(
                "sim_catalog(): top `{}` appears twice (presets `{prev}` and `{}`)",
                d.top, d.preset
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// Verilator
