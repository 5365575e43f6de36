//! Verilates every design of `scu_hdl::preset::sim_catalog()` and binds it to Rust.
//!
//! For each design (top `T`):
//! 1. `design.write_into($OUT_DIR/models/T/rtl)` — the very files `scu generate` emits;
//! 2. `verilator --cc -O3 --x-assign unique --x-initial unique --trace[-fst] …` into
//!    `$OUT_DIR/models/T/obj`;
//! 3. a C++ shim (`extern "C"`, one function per port and per model operation), compiled
//!    (`-O3`) in one translation unit with the model's fast-path files so `eval` inlines
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

use scu_hdl::emit::{Design, Direction};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Mutex;

/// This file's own text: part of every library's stamp, so a change to the shim generator
/// or the compiler flags here recompiles everything.
const SELF_TEXT: &str = include_str!("build.rs");

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
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
    let models: Vec<ModelSpec> = std::thread::scope(|s| {
        let handles: Vec<_> = designs
            .iter()
            .map(|d| s.spawn(|| verilate(&tool, d, &out.join("models").join(&d.top), fst)))
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
    for m in &models {
        let (fast, slow) = write_model_units(m, fst);
        libs.push(Library {
            name: format!("scu_model_{}", m.top),
            units: vec![
                Unit {
                    src: fast,
                    opt: "3",
                    includes: vec![m.obj_dir.clone()],
                },
                Unit {
                    src: slow,
                    opt: "1",
                    includes: vec![m.obj_dir.clone()],
                },
            ],
            // The units #include the generated files: hash them all.
            fingerprint_extra: dir_fingerprint(&m.obj_dir),
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

struct Verilator {
    exe: PathBuf,
    version: String,
    include: PathBuf,
}

impl Verilator {
    fn find() -> Self {
        let exe = match std::env::var_os("VERILATOR") {
            Some(v) => PathBuf::from(v),
            None => search_path("verilator").unwrap_or_else(|| {
                panic!(
                    "\n\nscu-sim: `verilator` was not found on PATH.\n\
                     The co-simulation layer verilates every catalog design at build time and needs \
                     Verilator 5 (tested with 5.006).\nInstall it with `scripts/setup.sh` (or your \
                     package manager: `apt-get install verilator`), or point the VERILATOR \
                     environment variable at the executable.\n\n"
                )
            }),
        };
        let run = |args: &[&str]| -> String {
            let o = Command::new(&exe).args(args).output().unwrap_or_else(|e| {
                panic!(
                    "scu-sim: cannot run `{} {}`: {e} (see scripts/setup.sh)",
                    exe.display(),
                    args.join(" ")
                )
            });
            if !o.status.success() {
                panic!(
                    "scu-sim: `{} {}` failed:\n{}",
                    exe.display(),
                    args.join(" "),
                    String::from_utf8_lossy(&o.stderr)
                );
            }
            String::from_utf8_lossy(&o.stdout).trim().to_string()
        };
        let version = run(&["--version"]);
        // "Verilator 5.006 2023-01-22 rev (Debian 5.006-3)"
        let major: u32 = version
            .split_whitespace()
            .nth(1)
            .and_then(|v| v.split('.').next())
            .and_then(|m| m.parse().ok())
            .unwrap_or(0);
        if major < 5 {
            panic!("scu-sim: needs Verilator 5 (tested with 5.006), found `{version}`; see scripts/setup.sh");
        }
        let root = PathBuf::from(run(&["--getenv", "VERILATOR_ROOT"]));
        let include = root.join("include");
        if !include.join("verilated.h").exists() {
            panic!(
                "scu-sim: Verilator's runtime headers are not in {} (VERILATOR_ROOT={}); see scripts/setup.sh",
                include.display(),
                root.display()
            );
        }
        Verilator {
            exe,
            version,
            include,
        }
    }
}

fn search_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// One verilated design, with everything the shim and Rust generators need.
struct ModelSpec {
    top: String,
    block: String,
    preset: String,
    /// `V<top>`: Verilator's class and file prefix.
    prefix: String,
    obj_dir: PathBuf,
    /// Files from `V<top>_classes.mk`, without `.cpp`.
    fast: Vec<String>,
    slow: Vec<String>,
    /// Runtime files this model needs (`verilated`, `verilated_vcd_c`, …).
    global: Vec<String>,
    ports: Vec<PortSpec>,
    /// Root member holding the clock's value at the previous eval, if the one-eval tick is
    /// safe for this model (see `single_edge_trigger`).
    edge_prev: Option<String>,
    /// `None` for a purely combinational design (`Design::clock` empty).
    clock: Option<String>,
    reset: Option<String>,
}

struct PortSpec {
    name: String,
    /// The member name in Verilator's model class (names with `__` are encoded).
    cpp: String,
    input: bool,
    width: usize,
    /// CData, SData, IData, QData or "" for VlWide.
    ctype: &'static str,
}

impl PortSpec {
    fn words(&self) -> usize {
        self.width.div_ceil(32)
    }
    fn wide(&self) -> bool {
        self.width > 64
    }
}

fn verilate(tool: &Verilator, d: &Design, dir: &Path, fst: bool) -> ModelSpec {
    let rtl = dir.join("rtl");
    let obj = dir.join("obj");
    for p in [&rtl, &obj] {
        if p.exists() {
            std::fs::remove_dir_all(p).unwrap();
        }
        std::fs::create_dir_all(p).unwrap();
    }
    d.write_into(&rtl)
        .unwrap_or_else(|e| panic!("scu-sim: writing {} into {}: {e}", d.top, rtl.display()));
    // Top first (as Design::files orders them), then the rest.
    let sources: Vec<PathBuf> = d.files().iter().map(|(p, _)| rtl.join(p)).collect();
    let prefix = format!("V{}", d.top);
    let mut cmd = Command::new(&tool.exe);
    cmd.args([
        "--cc",
        "-O3",
        "--x-assign",
        "unique",
        "--x-initial",
        "unique",
    ])
    .arg(if fst { "--trace-fst" } else { "--trace" })
    .args(["--prefix", &prefix, "--top-module", &d.top, "-Mdir"])
    .arg(&obj)
    .args(&sources);
    let o = cmd
        .output()
        .unwrap_or_else(|e| panic!("scu-sim: cannot run verilator: {e}"));
    if !o.status.success() {
        panic!(
            "scu-sim: verilator failed on `{}` (block {}, preset {}); RTL in {}\ncommand: {:?}\n{}{}",
            d.top,
            d.block,
            d.preset,
            rtl.display(),
            cmd,
            String::from_utf8_lossy(&o.stdout),
            String::from_utf8_lossy(&o.stderr)
        );
    }

    let classes = std::fs::read_to_string(obj.join(format!("{prefix}_classes.mk")))
        .unwrap_or_else(|e| panic!("scu-sim: {prefix}_classes.mk: {e}"));
    let mk = parse_mk_lists(&classes);
    let list = |keys: &[&str]| -> Vec<String> {
        keys.iter()
            .flat_map(|k| mk.get(*k).cloned().unwrap_or_default())
            .collect()
    };
    let fast = list(&["VM_CLASSES_FAST", "VM_SUPPORT_FAST"]);
    let slow = list(&["VM_CLASSES_SLOW", "VM_SUPPORT_SLOW"]);
    let global = list(&["VM_GLOBAL_FAST", "VM_GLOBAL_SLOW"]);
    if fast.is_empty() || slow.is_empty() {
        panic!("scu-sim: {prefix}_classes.mk lists no model files:\n{classes}");
    }

    let header = std::fs::read_to_string(obj.join(format!("{prefix}.h"))).unwrap();
    let declared = parse_header_ports(&header);
    let ports = d
        .ports
        .iter()
        .map(|p| {
            let cpp = verilator_encode(&p.name);
            let (macro_kind, width, input) = declared.get(&cpp).cloned().unwrap_or_else(|| {
                panic!(
                    "scu-sim: port `{}` of `{}` (C++ name `{cpp}`) is not in {prefix}.h; it declares: {:?}",
                    p.name,
                    d.top,
                    declared.keys().collect::<Vec<_>>()
                )
            });
            if width != p.width || input != (p.direction == Direction::Input) {
                panic!(
                    "scu-sim: port `{}` of `{}`: the design says {:?} {} bits, Verilator says {} {} bits",
                    p.name,
                    d.top,
                    p.direction,
                    p.width,
                    if input { "input" } else { "output" },
                    width
                );
            }
            let ctype = match macro_kind.as_str() {
                "8" => "CData",
                "16" => "SData",
                "" => "IData",
                "64" => "QData",
                "W" => "",
                k => panic!("scu-sim: unexpected port macro VL_..{k} for `{}`", p.name),
            };
            PortSpec { name: p.name.clone(), cpp, input, width, ctype }
        })
        .collect::<Vec<_>>();
    if declared.len() != ports.len() {
        panic!(
            "scu-sim: {prefix}.h declares {} ports, the design {} (inout ports are not supported)",
            declared.len(),
            ports.len()
        );
    }
    let clock = d.clock.clone();
    if clock.is_none() && d.reset.is_some() {
        panic!("scu-sim: `{}` has a reset but no clock", d.top);
    }
    for (what, name) in [("clock", clock.as_ref()), ("reset", d.reset.as_ref())] {
        if let Some(name) = name {
            match ports.iter().find(|p| &p.name == name) {
                Some(p) if p.input && p.width == 1 => {}
                _ => panic!(
                    "scu-sim: `{}`: {what} `{name}` is not a 1-bit input port",
                    d.top
                ),
            }
        }
    }

    let edge_prev = clock
        .as_deref()
        .and_then(|c| single_edge_trigger(&obj, &prefix, c));
    ModelSpec {
        edge_prev,
        top: d.top.clone(),
        block: d.block.clone(),
        preset: d.preset.clone(),
        prefix,
        obj_dir: obj,
        fast,
        slow,
        global,
        ports,
        clock,
        reset: d.reset.clone(),
    }
}

/// Whether a tick may skip the clock-low `eval`: true when the only event Verilator
/// schedules on is `@(posedge <clock>)` and it keeps the clock's previous value in a root
/// member (Verilator 5.006: `__Vtrigrprev__TOP__<clock>`). Then clock-low eval + clock-high
/// eval equals "previous clock := 0; clock := 1; eval": the clock-low eval only settles
/// combinational logic, which the clock-high eval settles again before the edge fires.
/// Returns the member's name. Anything else (negedge logic, other event controls, another
/// Verilator naming) keeps the two-eval tick. Used only while no waves are open, since
/// waves record the clock-low half too.
fn single_edge_trigger(obj: &Path, prefix: &str, clock: &str) -> Option<String> {
    let member = format!("__Vtrigrprev__TOP__{}", verilator_encode(clock));
    let root_h = std::fs::read_to_string(obj.join(format!("{prefix}___024root.h"))).ok()?;
    if !root_h.contains(&format!("{member};")) {
        return None;
    }
    let mut triggers = std::collections::BTreeSet::new();
    for e in std::fs::read_dir(obj).ok()? {
        let path = e.ok()?.path();
        if path.extension().and_then(|x| x.to_str()) != Some("cpp") {
            continue;
        }
        for line in std::fs::read_to_string(&path).ok()?.lines() {
            if let Some(rest) = line.split("'act' region trigger index ").nth(1) {
                let what = rest.split_once("is active: ")?.1;
                // `@(posedge clock)\n");`
                triggers.insert(what.split("\\n").next()?.to_string());
            }
        }
    }
    let want = format!("@(posedge {clock})");
    (triggers.len() == 1 && triggers.iter().next()? == &want).then_some(member)
}

/// `NAME += \` followed by indented items, as Verilator writes its `_classes.mk`.
fn parse_mk_lists(text: &str) -> BTreeMap<String, Vec<String>> {
    let mut out: BTreeMap<String, Vec<String>> = BTreeMap::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        let t = line.trim();
        if let Some((k, rest)) = t.split_once("+=").or_else(|| t.split_once('=')) {
            if !line.starts_with(char::is_whitespace) {
                let key = k.trim().to_string();
                let items = rest
                    .trim()
                    .trim_end_matches('\\')
                    .split_whitespace()
                    .map(String::from);
                out.entry(key.clone()).or_default().extend(items);
                current = rest.trim_end().ends_with('\\').then_some(key);
                continue;
            }
        }
        if let Some(key) = &current {
            out.entry(key.clone()).or_default().extend(
                t.trim_end_matches('\\')
                    .split_whitespace()
                    .map(String::from),
            );
            if !t.ends_with('\\') {
                current = None;
            }
        }
    }
    out
}

/// `VL_IN8(&clock,0,0);`, `VL_INW(&a,255,0,8);`, `VL_OUT64(&q,63,0);` → name → (kind, width, input)
fn parse_header_ports(header: &str) -> BTreeMap<String, (String, usize, bool)> {
    let mut out = BTreeMap::new();
    for line in header.lines() {
        let t = line.trim();
        let (input, rest) = if let Some(r) = t.strip_prefix("VL_INOUT") {
            panic!("scu-sim: inout ports are not supported: {r}");
        } else if let Some(r) = t.strip_prefix("VL_IN") {
            (true, r)
        } else if let Some(r) = t.strip_prefix("VL_OUT") {
            (false, r)
        } else {
            continue;
        };
        let Some((kind, args)) = rest.split_once("(&") else {
            continue;
        };
        let args = args.trim_end_matches(';').trim_end_matches(')');
        let parts: Vec<&str> = args.split(',').map(str::trim).collect();
        let msb: usize = parts[1].parse().expect("port msb");
        let lsb: usize = parts[2].parse().expect("port lsb");
        out.insert(
            parts[0].to_string(),
            (kind.to_string(), msb - lsb + 1, input),
        );
    }
    out
}

/// Verilator's `AstNode::encodeName`: `__` → `___05F`, other non-identifier characters → `__0XX`.
fn verilator_encode(name: &str) -> String {
    let b = name.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        let ok = if i == 0 {
            c.is_ascii_alphabetic()
        } else {
            c.is_ascii_alphanumeric()
        };
        if ok {
            out.push(c as char);
        } else if c == b'_' {
            if b.get(i + 1) == Some(&b'_') {
                out.push_str("___05F");
                i += 1;
            } else {
                out.push('_');
            }
        } else {
            write!(out, "__0{c:02x}").unwrap();
        }
        i += 1;
    }
    out
}

// ---------------------------------------------------------------------------------------
// C++: runtime and shims

/// Shared by every shim: model construction is serialised. Verilator's random generator
/// is thread-local but reseeds whenever *any* thread calls `randSeed`, so two threads
/// constructing models at once would make random initial state depend on timing.
const SCU_RUNTIME_CPP: &str = r#"// Generated by scu-sim's build.rs.
#include <mutex>
std::mutex& scu_sim_construct_mutex() {
    static std::mutex m;
    return m;
}
"#;

fn runtime_sources(
    tool: &Verilator,
    models: &[ModelSpec],
    out: &Path,
) -> Vec<(PathBuf, &'static str)> {
    let mut names: Vec<&str> = models
        .iter()
        .flat_map(|m| m.global.iter().map(String::as_str))
        .collect();
    names.sort();
    names.dedup();
    // The trace writers are hot while waves are on; the rest is set-up code.
    let mut v: Vec<(PathBuf, &'static str)> = names
        .iter()
        .map(|n| {
            let p = tool.include.join(format!("{n}.cpp"));
            assert!(
                p.exists(),
                "scu-sim: Verilator runtime file {} is missing",
                p.display()
            );
            (p, if n.contains("_c") { "2" } else { "1" })
        })
        .collect();
    v.sort_by(|a, b| a.0.cmp(&b.0));
    let dir = out.join("runtime");
    std::fs::create_dir_all(&dir).unwrap();
    let own = dir.join("scu_sim_runtime.cpp");
    write_if_changed(&own, SCU_RUNTIME_CPP);
    v.push((own, "1"));
    v
}

fn write_model_units(m: &ModelSpec, fst: bool) -> (PathBuf, PathBuf) {
    let mut fast = String::from(
        "// Generated by scu-sim's build.rs: the model's fast path plus the extern \"C\" shim.\n",
    );
    for f in &m.fast {
        writeln!(fast, "#include \"{f}.cpp\"").unwrap();
    }
    fast.push_str(&cpp_shim(m, fst));
    let mut slow = String::from(
        "// Generated by scu-sim's build.rs: the model's slow (construction, trace set-up) path.\n",
    );
    for f in &m.slow {
        writeln!(slow, "#include \"{f}.cpp\"").unwrap();
    }
    let fast_path = m.obj_dir.join(format!("scu_{}__fast_shim.cpp", m.top));
    let slow_path = m.obj_dir.join(format!("scu_{}__slow.cpp", m.top));
    write_if_changed(&fast_path, &fast);
    write_if_changed(&slow_path, &slow);
    (fast_path, slow_path)
}

fn cpp_shim(m: &ModelSpec, fst: bool) -> String {
    let (trace_hdr, trace_cls) = if fst {
        ("verilated_fst_c.h", "VerilatedFstC")
    } else {
        ("verilated_vcd_c.h", "VerilatedVcdC")
    };
    let c = &m.prefix;
    let f = format!("scu_{}", m.top);
    // Every entry point makes the model's context the thread's current one (a TLS store):
    // `$time`, `$display`, `$finish` and random functions go through it, and several
    // models may share a thread.
    let tick = match &m.clock {
        Some(clock) => {
            let clock = verilator_encode(clock);
            let fast = match &m.edge_prev {
                Some(prev) => format!(
                    r#"    if (VL_LIKELY(h->tfp == nullptr)) {{
        // No waves: the clock-low eval only settles logic the clock-high eval settles
        // again; present the rising edge directly (build.rs: single_edge_trigger).
        h->ctx->time(t + 5);
        top->{clock} = 1;
        top->rootp->{prev} = 0;
        top->eval();
        return;
    }}
"#
                ),
                None => String::new(),
            };
            format!(
                r#"/// One clock period: clock low, eval, (dump at t), clock high, eval, (dump at t + 5).
void {f}_tick(void* p, uint64_t t) {{
    {f}_handle* const h = {f}_enter(p);
    {c}* const top = h->top;
{fast}    h->ctx->time(t);
    top->{clock} = 0;
    top->eval();
    if (VL_UNLIKELY(h->tfp != nullptr)) h->tfp->dump(t);
    h->ctx->time(t + 5);
    top->{clock} = 1;
    top->eval();
    if (VL_UNLIKELY(h->tfp != nullptr)) h->tfp->dump(t + 5);
}}
"#
            )
        }
        None => format!(
            r#"/// No clock: one step is one settle, (dump at t).
void {f}_tick(void* p, uint64_t t) {{
    {f}_handle* const h = {f}_enter(p);
    h->ctx->time(t);
    h->top->eval();
    if (VL_UNLIKELY(h->tfp != nullptr)) h->tfp->dump(t);
}}
"#
        ),
    };
    let init_clock = match &m.clock {
        Some(clock) => format!("    h->top->{} = 0;\n", verilator_encode(clock)),
        None => String::new(),
    };
    let mut s = format!(
        r#"
#include "{c}.h"
#include "{trace_hdr}"
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <mutex>

std::mutex& scu_sim_construct_mutex();

namespace {{
struct {f}_handle {{
    VerilatedContext* ctx;
    {c}* top;
    {trace_cls}* tfp;
    bool finished;
}};
inline {f}_handle* {f}_h(void* p) {{ return static_cast<{f}_handle*>(p); }}
inline {f}_handle* {f}_enter(void* p) {{
    {f}_handle* h = {f}_h(p);
    Verilated::threadContextp(h->ctx);
    return h;
}}
}}  // namespace

extern "C" {{

void* {f}_new(uint64_t seed, int rand_reset) {{
    std::lock_guard<std::mutex> lock(scu_sim_construct_mutex());
    {f}_handle* h = new {f}_handle{{}};
    h->ctx = new VerilatedContext;
    Verilated::threadContextp(h->ctx);
    h->ctx->randReset(rand_reset);
    // Verilator seeds from an int; 0 would mean "seed from the OS".
    uint32_t s = static_cast<uint32_t>(seed ^ (seed >> 32));
    if (s == 0) s = 0x5c05eedu;
    h->ctx->randSeed(static_cast<int>(s));
    h->ctx->fatalOnError(true);
    h->top = new {c}(h->ctx, "TOP");
    // Time 0: clock low, everything settled, so outputs are valid before the first tick.
{init_clock}    h->top->eval();
    return h;
}}

void {f}_final(void* p) {{
    {f}_handle* h = {f}_enter(p);
    if (!h->finished) {{
        h->finished = true;
        h->top->final();
    }}
}}

void {f}_trace_close(void* p) {{
    {f}_handle* h = {f}_h(p);
    if (h->tfp) {{
        h->tfp->close();
        delete h->tfp;
        h->tfp = nullptr;
    }}
}}

void {f}_delete(void* p) {{
    {f}_handle* h = {f}_enter(p);
    {f}_final(p);
    {f}_trace_close(p);
    std::lock_guard<std::mutex> lock(scu_sim_construct_mutex());
    delete h->top;
    delete h->ctx;
    delete h;
    // Do not leave the thread pointing at a deleted context.
    Verilated::threadContextp(nullptr);
}}

void {f}_eval(void* p) {{ {f}_enter(p)->top->eval(); }}

{tick}
/// 0: open; 1: already tracing; 2: cannot create the file.
int {f}_trace_open(void* p, const char* path) {{
    {f}_handle* h = {f}_h(p);
    if (h->tfp) return 1;
    // The writers report an unwritable path late (VCD) or not at all (FST): check first.
    std::FILE* probe = std::fopen(path, "wb");
    if (!probe) return 2;
    std::fclose(probe);
    Verilated::threadContextp(h->ctx);
    h->ctx->traceEverOn(true);
    h->tfp = new {trace_cls};
    h->top->trace(h->tfp, 99);
    h->tfp->open(path);
    if (!h->tfp->isOpen()) {{
        delete h->tfp;
        h->tfp = nullptr;
        return 2;
    }}
    return 0;
}}

void {f}_trace_dump(void* p, uint64_t t) {{
    {f}_handle* h = {f}_h(p);
    if (h->tfp) {{
        h->ctx->time(t);
        h->tfp->dump(t);
    }}
}}

void {f}_trace_flush(void* p) {{
    {f}_handle* h = {f}_h(p);
    if (h->tfp) h->tfp->flush();
}}
"#
    );
    for p in &m.ports {
        let (n, cpp) = (&p.name, &p.cpp);
        if p.wide() {
            let bytes = p.words() * 4;
            if p.input {
                writeln!(
                    s,
                    "void {f}_set_{n}_words(void* p, const uint32_t* w) {{ std::memcpy({f}_h(p)->top->{cpp}.data(), w, {bytes}); }}"
                )
                .unwrap();
            }
            writeln!(
                s,
                "void {f}_get_{n}_words(void* p, uint32_t* w) {{ std::memcpy(w, {f}_h(p)->top->{cpp}.data(), {bytes}); }}"
            )
            .unwrap();
        } else {
            if p.input {
                writeln!(
                    s,
                    "void {f}_set_{n}(void* p, uint64_t v) {{ {f}_h(p)->top->{cpp} = static_cast<{t}>(v); }}",
                    t = p.ctype
                )
                .unwrap();
            }
            writeln!(
                s,
                "uint64_t {f}_get_{n}(void* p) {{ return static_cast<uint64_t>({f}_h(p)->top->{cpp}); }}"
            )
            .unwrap();
        }
    }
    s.push_str("\n}  // extern \"C\"\n");
    s
}

// ---------------------------------------------------------------------------------------
// Compiling: all units in parallel, one static library per model plus the runtime.

struct Unit {
    src: PathBuf,
    /// gcc -O level.
    opt: &'static str,
    includes: Vec<PathBuf>,
}

struct Library {
    name: String,
    units: Vec<Unit>,
    fingerprint_extra: String,
}

fn compiler(tool: &Verilator, unit: &Unit, fst: bool) -> cc::Build {
    let mut b = cc::Build::new();
    b.cpp(true)
        .std("gnu++17")
        .cargo_metadata(false)
        .warnings(false)
        .extra_warnings(false)
        .debug(false)
        .opt_level_str(unit.opt)
        .include(&tool.include)
        .include(tool.include.join("vltstd"));
    for i in &unit.includes {
        b.include(i);
    }
    for (k, v) in [
        ("VM_COVERAGE", "0"),
        ("VM_SC", "0"),
        ("VM_TRACE", "1"),
        ("VM_TRACE_FST", if fst { "1" } else { "0" }),
        ("VM_TRACE_VCD", if fst { "0" } else { "1" }),
    ] {
        b.define(k, v);
    }
    // Time comes from each model's VerilatedContext, not from a global sc_time_stamp().
    b.define("VL_TIME_CONTEXT", None);
    // Verilator's own flags (CFG_CXXFLAGS_NO_UNUSED); its generated code is not -Wall clean.
    for f in ["-faligned-new", "-fcf-protection=none", "-w"] {
        b.flag(f);
    }
    b
}

fn build_libraries(tool: &Verilator, libs: &[Library], lib_dir: &Path, fst: bool, jobs: usize) {
    struct Job {
        cmd: Command,
        what: String,
    }
    let mut todo: Vec<Job> = vec![];
    let mut archives: Vec<(PathBuf, Vec<PathBuf>, PathBuf, String)> = vec![];
    let ar_build = compiler(tool, &libs[0].units[0], fst);
    for lib in libs {
        let obj_dir = lib_dir.join(format!("{}.objs", lib.name));
        std::fs::create_dir_all(&obj_dir).unwrap();
        let archive = lib_dir.join(format!("lib{}.a", lib.name));
        let stamp_path = lib_dir.join(format!("{}.stamp", lib.name));
        let mut fp = Fnv::new();
        fp.add(SELF_TEXT.as_bytes());
        fp.add(lib.fingerprint_extra.as_bytes());
        let mut objs = vec![];
        let mut cmds = vec![];
        // What the stamp covers, kept next to it to explain a rebuild.
        let mut inputs = format!("extra {}\n", lib.fingerprint_extra);
        for u in &lib.units {
            let tool = compiler(tool, u, fst).get_compiler();
            let obj = obj_dir.join(u.src.file_stem().unwrap()).with_extension("o");
            let mut cmd = tool.to_command();
            cmd.arg("-c").arg(&u.src).arg("-o").arg(&obj);
            let text = std::fs::read(&u.src).unwrap();
            fp.add(format!("{cmd:?}").as_bytes());
            fp.add(&text);
            let mut f = Fnv::new();
            f.add(&text);
            inputs.push_str(&format!("cmd {cmd:?}\nsrc {:016x}\n", f.finish()));
            objs.push(obj);
            cmds.push(cmd);
        }
        let stamp = format!("{:016x}", fp.finish());
        write_if_changed(&lib_dir.join(format!("{}.stamp-inputs", lib.name)), &inputs);
        let fresh =
            archive.exists() && std::fs::read_to_string(&stamp_path).is_ok_and(|s| s == stamp);
        if fresh {
            continue;
        }
        let _ = std::fs::remove_file(&stamp_path);
        for (cmd, u) in cmds.into_iter().zip(&lib.units) {
            todo.push(Job {
                cmd,
                what: format!("{} ({})", u.src.display(), lib.name),
            });
        }
        archives.push((archive, objs, stamp_path, stamp));
    }
    // Longest units first would be ideal; the runtime comes first in `libs`, which is close.
    let next = AtomicUsize::new(0);
    let failures = Mutex::new(Vec::<String>::new());
    let todo = todo.into_iter().map(Mutex::new).collect::<Vec<_>>();
    std::thread::scope(|s| {
        for _ in 0..jobs.min(todo.len()) {
            s.spawn(|| loop {
                let i = next.fetch_add(1, Ordering::SeqCst);
                let Some(job) = todo.get(i) else { break };
                let mut job = job.lock().unwrap();
                let res = job.cmd.output();
                match res {
                    Ok(o) if o.status.success() => {}
                    Ok(o) => failures.lock().unwrap().push(format!(
                        "compiling {} failed:\n{:?}\n{}{}",
                        job.what,
                        job.cmd,
                        String::from_utf8_lossy(&o.stdout),
                        String::from_utf8_lossy(&o.stderr)
                    )),
                    Err(e) => failures
                        .lock()
                        .unwrap()
                        .push(format!("cannot run the C++ compiler for {}: {e}", job.what)),
                }
            });
        }
    });
    let failures = failures.into_inner().unwrap();
    if !failures.is_empty() {
        panic!("scu-sim: {}", failures.join("\n\n"));
    }
    for (archive, objs, stamp_path, stamp) in archives {
        let _ = std::fs::remove_file(&archive);
        let mut ar = ar_build.get_archiver();
        ar.arg("crs").arg(&archive).args(&objs);
        let o = ar
            .output()
            .unwrap_or_else(|e| panic!("scu-sim: cannot run ar: {e}"));
        if !o.status.success() {
            panic!(
                "scu-sim: {ar:?} failed:\n{}",
                String::from_utf8_lossy(&o.stderr)
            );
        }
        std::fs::write(stamp_path, stamp).unwrap();
    }
}

fn dir_fingerprint(dir: &Path) -> String {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("cpp" | "h")))
        .collect();
    entries.sort();
    let mut fp = Fnv::new();
    for p in entries {
        fp.add(p.file_name().unwrap().to_string_lossy().as_bytes());
        fp.add(&std::fs::read(&p).unwrap());
    }
    format!("{:016x}", fp.finish())
}

/// FNV-1a, 64 bits: a stable content hash for the stamps (std's hasher is not stable).
struct Fnv(u64);
impl Fnv {
    fn new() -> Self {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
    fn add(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 ^= u64::from(b);
            self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
        }
        // Length separator so ("ab","c") and ("a","bc") differ.
        self.0 ^= bytes.len() as u64;
        self.0 = self.0.wrapping_mul(0x0000_0100_0000_01b3);
    }
    fn finish(&self) -> u64 {
        self.0
    }
}

fn write_if_changed(path: &Path, text: &str) {
    if std::fs::read_to_string(path).is_ok_and(|t| t == text) {
        return;
    }
    std::fs::write(path, text)
        .unwrap_or_else(|e| panic!("scu-sim: writing {}: {e}", path.display()));
}

// ---------------------------------------------------------------------------------------
// Rust

fn camel(top: &str) -> String {
    top.split('_')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut c = s.chars();
            let first = c.next().unwrap().to_ascii_uppercase();
            std::iter::once(first).chain(c).collect::<String>()
        })
        .collect()
}

const RUST_KEYWORDS: &[&str] = &[
    "as", "async", "await", "break", "const", "continue", "crate", "dyn", "else", "enum", "extern",
    "false", "fn", "for", "gen", "if", "impl", "in", "let", "loop", "match", "mod", "move", "mut",
    "pub", "ref", "return", "self", "Self", "static", "struct", "super", "trait", "true", "type",
    "unsafe", "use", "where", "while", "abstract", "become", "box", "do", "final", "macro",
    "override", "priv", "try", "typeof", "unsized", "virtual", "yield",
];
/// Inherent methods every model struct has; a port getter must not take one of these names.
const RESERVED_METHODS: &[&str] = &[
    "new",
    "with_init",
    "eval",
    "step",
    "h",
    "fmt",
    "drop",
    "default",
];

/// The Rust method name for reading port `name` (`op`, or `port_type` for a port named `type`).
fn getter_name(name: &str) -> String {
    let n = name.to_ascii_lowercase();
    if RUST_KEYWORDS.contains(&n.as_str())
        || RESERVED_METHODS.contains(&n.as_str())
        || n.starts_with("set_")
    {
        format!("port_{n}")
    } else {
        n
    }
}

fn rust_bindings(models: &[ModelSpec], fst: bool, version: &str) -> String {
    let mut s = String::new();
    writeln!(
        s,
        "// Generated by scu-sim's build.rs from scu_hdl::preset::sim_catalog() and {version}. Do not edit.\n\
         // Waveform format compiled in: {}.\n",
        if fst { "FST" } else { "VCD" }
    )
    .unwrap();
    s.push_str(
        "#[allow(unused_imports)]\n\
         use crate::{CatalogEntry, Clocked, Direction, HasReset, InitState, Model, ModelVisitor, PortInfo};\n\
         use crate::bits;\n\
         use num_bigint::BigUint;\n\
         use std::ffi::c_void;\n\
         use std::marker::PhantomData;\n\
         use std::ptr::NonNull;\n\n",
    );
    for m in models {
        rust_model(&mut s, m);
    }
    // Catalog.
    s.push_str("/// Every model compiled into this crate, in `sim_catalog()` order.\npub const CATALOG: &[CatalogEntry] = &[\n");
    for m in models {
        let ty = camel(&m.top);
        writeln!(
            s,
            "    CatalogEntry {{ top: {ty}::TOP, block: {ty}::BLOCK, preset: {ty}::PRESET, struct_name: \"{ty}\", ports: {ty}::PORTS }},"
        )
        .unwrap();
    }
    s.push_str("];\n\n");
    s.push_str(
        "/// Calls `visitor.visit::<M>()` for every model type in [`CATALOG`], in order.\n\
         pub fn for_each_model<V: ModelVisitor>(visitor: &mut V) {\n",
    );
    for m in models {
        writeln!(s, "    visitor.visit::<{}>();", camel(&m.top)).unwrap();
    }
    s.push_str("}\n");
    s
}

fn rust_model(s: &mut String, m: &ModelSpec) {
    let ty = camel(&m.top);
    let f = format!("scu_{}", m.top);
    let top = &m.top;
    // FFI declarations.
    writeln!(
        s,
        "mod ffi_{top} {{\n    use std::ffi::{{c_char, c_int, c_void}};\n    extern \"C\" {{"
    )
    .unwrap();
    writeln!(
        s,
        "        pub fn {f}_new(seed: u64, rand_reset: c_int) -> *mut c_void;\n\
         \x20       pub fn {f}_delete(p: *mut c_void);\n\
         \x20       pub fn {f}_final(p: *mut c_void);\n\
         \x20       pub fn {f}_eval(p: *mut c_void);\n\
         \x20       pub fn {f}_tick(p: *mut c_void, t: u64);\n\
         \x20       pub fn {f}_trace_open(p: *mut c_void, path: *const c_char) -> c_int;\n\
         \x20       pub fn {f}_trace_dump(p: *mut c_void, t: u64);\n\
         \x20       pub fn {f}_trace_flush(p: *mut c_void);\n\
         \x20       pub fn {f}_trace_close(p: *mut c_void);"
    )
    .unwrap();
    for p in &m.ports {
        let n = &p.name;
        if p.wide() {
            if p.input {
                writeln!(
                    s,
                    "        pub fn {f}_set_{n}_words(p: *mut c_void, w: *const u32);"
                )
                .unwrap();
            }
            writeln!(
                s,
                "        pub fn {f}_get_{n}_words(p: *mut c_void, w: *mut u32);"
            )
            .unwrap();
        } else {
            if p.input {
                writeln!(s, "        pub fn {f}_set_{n}(p: *mut c_void, v: u64);").unwrap();
            }
            writeln!(s, "        pub fn {f}_get_{n}(p: *mut c_void) -> u64;").unwrap();
        }
    }
    writeln!(s, "    }}\n}}\n").unwrap();

    // Port table and docs.
    let mut table = String::new();
    let mut doc_ports = String::new();
    for p in &m.ports {
        let dir = if p.input { "Input" } else { "Output" };
        writeln!(
            table,
            "        PortInfo {{ name: \"{}\", direction: Direction::{dir}, width: {} }},",
            p.name, p.width
        )
        .unwrap();
        writeln!(
            doc_ports,
            "/// | `{}` | {} | {} |",
            p.name,
            dir.to_ascii_lowercase(),
            p.width
        )
        .unwrap();
    }
    let reset_doc = m
        .reset
        .as_deref()
        .map_or("none".to_string(), |r| format!("`{r}`"));
    let clock_doc = m
        .clock
        .as_deref()
        .map_or("none (combinational)".to_string(), |c| format!("`{c}`"));
    writeln!(
        s,
        "/// Verilator model of `{top}` (block `{block}`, preset `{preset}`); clock {clock_doc}, reset {reset_doc}.\n\
         ///\n\
         /// | port | direction | bits |\n\
         /// |---|---|---|\n\
         {doc_ports}\
         ///\n\
         /// Ports up to 64 bits are read and written as `u64`; wider ones as little-endian `u32`\n\
         /// words (`*_words`, `*_array`) or as `BigUint` (`*_big`). Setting a value that does not fit\n\
         /// the port's width panics. The clock and reset setters take `bool`.\n\
         ///\n\
         /// Not `Send`: a Verilator model must be evaluated on the thread that created it.\n\
         pub struct {ty} {{\n\
         \x20   handle: NonNull<c_void>,\n\
         \x20   tracing: bool,\n\
         \x20   _not_send: PhantomData<*mut ()>,\n\
         }}\n",
        block = m.block,
        preset = m.preset,
    )
    .unwrap();

    writeln!(
        s,
        "impl {ty} {{\n\
         \x20   pub const TOP: &'static str = \"{top}\";\n\
         \x20   pub const BLOCK: &'static str = \"{block}\";\n\
         \x20   pub const PRESET: &'static str = \"{preset}\";\n\
         \x20   pub const PORTS: &'static [PortInfo] = &[\n{table}    ];\n\n\
         \x20   /// A model whose registers start at zero (Verilator's `randReset(0)`).\n\
         \x20   pub fn new() -> Self {{\n\
         \x20       Self::with_init(InitState::Zeros)\n\
         \x20   }}\n\n\
         \x20   /// A model whose registers and inputs start as `init` says.\n\
         \x20   pub fn with_init(init: InitState) -> Self {{\n\
         \x20       let (seed, mode) = init.verilator_mode();\n\
         \x20       // SAFETY: the shim allocates a fresh context and model; never null.\n\
         \x20       let p = unsafe {{ ffi_{top}::{f}_new(seed, mode) }};\n\
         \x20       Self {{ handle: NonNull::new(p).expect(\"{f}_new returned null\"), tracing: false, _not_send: PhantomData }}\n\
         \x20   }}\n\n\
         \x20   #[inline]\n\
         \x20   fn h(&self) -> *mut c_void {{\n\
         \x20       self.handle.as_ptr()\n\
         \x20   }}\n\n\
         \x20   /// Evaluates the model (settles combinational logic after input changes).\n\
         \x20   #[inline]\n\
         \x20   pub fn eval(&mut self) {{\n\
         \x20       unsafe {{ ffi_{top}::{f}_eval(self.h()) }}\n\
         \x20   }}\n\n\
         \x20   /// One clock period (clock low, eval, clock high, eval) in a single call into C++;\n\
         \x20   /// dumps at `trace_time` and `trace_time + 5` when waves are open; without a clock: eval, dump at `trace_time`.\n\
         \x20   #[inline]\n\
         \x20   pub fn step(&mut self, trace_time: u64) {{\n\
         \x20       unsafe {{ ffi_{top}::{f}_tick(self.h(), trace_time) }}\n\
         \x20   }}\n",
        block = m.block,
        preset = m.preset,
    )
    .unwrap();

    let bool_setters: Vec<&str> = m
        .clock
        .as_deref()
        .into_iter()
        .chain(m.reset.as_deref())
        .collect();
    for p in &m.ports {
        let n = &p.name;
        let g = getter_name(n);
        let w = p.width;
        let dir = if p.input { "input" } else { "output" };
        if p.wide() {
            let nw = p.words();
            let top_bits = w % 32;
            let top_check = if top_bits == 0 {
                String::new()
            } else {
                format!(
                    "        if buf[{last}] >> {top_bits} != 0 {{\n            bits::too_wide(Self::TOP, \"{n}\", {w});\n        }}\n",
                    last = nw - 1
                )
            };
            if p.input {
                writeln!(
                    s,
                    "\n    /// Sets `{n}` ({dir}, {w} bits) from little-endian `u32` words; missing high words are zero.\n\
                     \x20   /// Panics if more than {nw} words are given or the value needs more than {w} bits.\n\
                     \x20   #[inline]\n\
                     \x20   pub fn set_{n}_words(&mut self, words: &[u32]) {{\n\
                     \x20       if words.len() > {nw} {{\n\
                     \x20           bits::too_many_words(Self::TOP, \"{n}\", {w}, words.len());\n\
                     \x20       }}\n\
                     \x20       let mut buf = [0u32; {nw}];\n\
                     \x20       buf[..words.len()].copy_from_slice(words);\n\
                     {top_check}\
                     \x20       unsafe {{ ffi_{top}::{f}_set_{n}_words(self.h(), buf.as_ptr()) }}\n\
                     \x20   }}\n\n\
                     \x20   /// Sets `{n}` ({dir}, {w} bits). Panics (naming the port) if `value` ≥ 2^{w}.\n\
                     \x20   pub fn set_{n}_big(&mut self, value: &BigUint) {{\n\
                     \x20       if value.bits() > {w} {{\n\
                     \x20           bits::too_wide(Self::TOP, \"{n}\", {w});\n\
                     \x20       }}\n\
                     \x20       self.set_{n}_words(&value.to_u32_digits());\n\
                     \x20   }}"
                )
                .unwrap();
            }
            writeln!(
                s,
                "\n    /// `{n}` ({dir}, {w} bits) as {nw} little-endian `u32` words, without allocating.\n\
                 \x20   #[inline]\n\
                 \x20   pub fn {g}_array(&self) -> [u32; {nw}] {{\n\
                 \x20       let mut buf = [0u32; {nw}];\n\
                 \x20       unsafe {{ ffi_{top}::{f}_get_{n}_words(self.h(), buf.as_mut_ptr()) }}\n\
                 \x20       buf\n\
                 \x20   }}\n\n\
                 \x20   /// `{n}` ({dir}, {w} bits) as {nw} little-endian `u32` words.\n\
                 \x20   pub fn {g}_words(&self) -> Vec<u32> {{\n\
                 \x20       self.{g}_array().to_vec()\n\
                 \x20   }}\n\n\
                 \x20   /// `{n}` ({dir}, {w} bits).\n\
                 \x20   pub fn {g}_big(&self) -> BigUint {{\n\
                 \x20       BigUint::from_slice(&self.{g}_array())\n\
                 \x20   }}"
            )
            .unwrap();
        } else {
            if p.input && bool_setters.contains(&n.as_str()) {
                writeln!(
                    s,
                    "\n    /// Drives `{n}` ({dir}, 1 bit).\n\
                     \x20   #[inline]\n\
                     \x20   pub fn set_{n}(&mut self, high: bool) {{\n\
                     \x20       unsafe {{ ffi_{top}::{f}_set_{n}(self.h(), high as u64) }}\n\
                     \x20   }}"
                )
                .unwrap();
            } else if p.input {
                let check = if w == 64 {
                    String::new()
                } else {
                    format!(
                        "        if value >> {w} != 0 {{\n            bits::too_wide_u64(Self::TOP, \"{n}\", {w}, value);\n        }}\n"
                    )
                };
                writeln!(
                    s,
                    "\n    /// Sets `{n}` ({dir}, {w} bits). Panics (naming the port) if `value` ≥ 2^{w}.\n\
                     \x20   #[inline]\n\
                     \x20   pub fn set_{n}(&mut self, value: u64) {{\n\
                     {check}\
                     \x20       unsafe {{ ffi_{top}::{f}_set_{n}(self.h(), value) }}\n\
                     \x20   }}"
                )
                .unwrap();
            }
            writeln!(
                s,
                "\n    /// `{n}` ({dir}, {w} bits).\n\
                 \x20   #[inline]\n\
                 \x20   pub fn {g}(&self) -> u64 {{\n\
                 \x20       unsafe {{ ffi_{top}::{f}_get_{n}(self.h()) }}\n\
                 \x20   }}"
            )
            .unwrap();
        }
    }
    s.push_str("}\n\n");

    // Generic access by name.
    let mut set_arms = String::new();
    let mut get_arms = String::new();
    for p in &m.ports {
        let n = &p.name;
        let g = getter_name(n);
        let w = p.width;
        if p.input {
            let body = if p.wide() {
                format!("self.set_{n}_big(value)")
            } else if bool_setters.contains(&n.as_str()) {
                format!("self.set_{n}(bits::to_u64(value) == 1)")
            } else {
                format!("self.set_{n}(bits::to_u64(value))")
            };
            writeln!(
                set_arms,
                "            \"{n}\" => {{\n                bits::check(Self::TOP, \"{n}\", {w}, value)?;\n                {body};\n            }}"
            )
            .unwrap();
        } else {
            writeln!(
                set_arms,
                "            \"{n}\" => return Err(format!(\"`{{}}.{n}` is an output\", Self::TOP)),"
            )
            .unwrap();
        }
        if p.wide() {
            writeln!(get_arms, "            \"{n}\" => self.{g}_big(),").unwrap();
        } else {
            writeln!(
                get_arms,
                "            \"{n}\" => BigUint::from(self.{g}()),"
            )
            .unwrap();
        }
    }
    writeln!(
        s,
        "impl Model for {ty} {{\n\
         \x20   const TOP: &'static str = \"{top}\";\n\
         \x20   const BLOCK: &'static str = \"{block}\";\n\
         \x20   const PRESET: &'static str = \"{preset}\";\n\
         \x20   const CLOCK: Option<&'static str> = {clock:?};\n\
         \x20   const RESET: Option<&'static str> = {reset:?};\n\n\
         \x20   fn create(init: InitState) -> Self {{\n\
         \x20       Self::with_init(init)\n\
         \x20   }}\n\
         \x20   fn ports() -> &'static [PortInfo] {{\n\
         \x20       Self::PORTS\n\
         \x20   }}\n\
         \x20   #[inline]\n\
         \x20   fn eval(&mut self) {{\n\
         \x20       unsafe {{ ffi_{top}::{f}_eval(self.h()) }}\n\
         \x20   }}\n\
         \x20   #[inline]\n\
         \x20   fn step(&mut self, trace_time: u64) {{\n\
         \x20       unsafe {{ ffi_{top}::{f}_tick(self.h(), trace_time) }}\n\
         \x20   }}\n\
         \x20   fn set_port(&mut self, name: &str, value: &BigUint) -> Result<(), String> {{\n\
         \x20       match name {{\n{set_arms}\
         \x20           _ => return Err(bits::unknown_port(Self::TOP, Self::PORTS, name)),\n\
         \x20       }}\n\
         \x20       Ok(())\n\
         \x20   }}\n\
         \x20   fn get_port(&self, name: &str) -> Result<BigUint, String> {{\n\
         \x20       Ok(match name {{\n{get_arms}\
         \x20           _ => return Err(bits::unknown_port(Self::TOP, Self::PORTS, name)),\n\
         \x20       }})\n\
         \x20   }}\n\
         \x20   fn trace_open(&mut self, path: &std::path::Path) -> Result<(), String> {{\n\
         \x20       let c = bits::c_path(path)?;\n\
         \x20       match unsafe {{ ffi_{top}::{f}_trace_open(self.h(), c.as_ptr()) }} {{\n\
         \x20           0 => {{\n\
         \x20               self.tracing = true;\n\
         \x20               Ok(())\n\
         \x20           }}\n\
         \x20           1 => Err(format!(\"{top}: waves are already open\")),\n\
         \x20           _ => Err(format!(\"{top}: cannot create waveform file {{}}\", path.display())),\n\
         \x20       }}\n\
         \x20   }}\n\
         \x20   fn trace_dump(&mut self, time: u64) {{\n\
         \x20       unsafe {{ ffi_{top}::{f}_trace_dump(self.h(), time) }}\n\
         \x20   }}\n\
         \x20   fn trace_flush(&mut self) {{\n\
         \x20       unsafe {{ ffi_{top}::{f}_trace_flush(self.h()) }}\n\
         \x20   }}\n\
         \x20   fn trace_close(&mut self) {{\n\
         \x20       self.tracing = false;\n\
         \x20       unsafe {{ ffi_{top}::{f}_trace_close(self.h()) }}\n\
         \x20   }}\n\
         \x20   fn tracing(&self) -> bool {{\n\
         \x20       self.tracing\n\
         \x20   }}\n\
         \x20   fn finish(&mut self) {{\n\
         \x20       unsafe {{ ffi_{top}::{f}_final(self.h()) }}\n\
         \x20   }}\n\
         }}\n",
        block = m.block,
        preset = m.preset,
        clock = m.clock,
        reset = m.reset,
    )
    .unwrap();
    if let Some(c) = &m.clock {
        writeln!(
            s,
            "impl Clocked for {ty} {{\n\
             \x20   #[inline]\n\
             \x20   fn set_clock(&mut self, high: bool) {{\n\
             \x20       unsafe {{ ffi_{top}::{f}_set_{c}(self.h(), high as u64) }}\n\
             \x20   }}\n\
             }}\n"
        )
        .unwrap();
    }
    if let Some(r) = &m.reset {
        writeln!(
            s,
            "impl HasReset for {ty} {{\n\
             \x20   #[inline]\n\
             \x20   fn set_reset(&mut self, high: bool) {{\n\
             \x20       unsafe {{ ffi_{top}::{f}_set_{r}(self.h(), high as u64) }}\n\
             \x20   }}\n\
             }}\n"
        )
        .unwrap();
    }
    writeln!(
        s,
        "impl Default for {ty} {{\n\
         \x20   fn default() -> Self {{\n\
         \x20       Self::new()\n\
         \x20   }}\n\
         }}\n\n\
         impl Drop for {ty} {{\n\
         \x20   fn drop(&mut self) {{\n\
         \x20       // Runs `final` blocks, closes the waveform file, frees model and context.\n\
         \x20       unsafe {{ ffi_{top}::{f}_delete(self.h()) }}\n\
         \x20   }}\n\
         }}\n\n\
         impl std::fmt::Debug for {ty} {{\n\
         \x20   fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {{\n\
         \x20       let mut d = f.debug_struct(\"{ty}\");\n\
         \x20       for p in Self::PORTS {{\n\
         \x20           if let Ok(v) = self.get_port(p.name) {{\n\
         \x20               d.field(p.name, &format_args!(\"{{v:#x}}\"));\n\
         \x20           }}\n\
         \x20       }}\n\
         \x20       d.finish()\n\
         \x20   }}\n\
         }}\n"
    )
    .unwrap();
}
