//! Finding Verilator, running it on a design, and reading back what it generated.

use scu_hdl::emit::{Design, Direction};
use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;

pub(crate) struct Verilator {
    pub(crate) exe: PathBuf,
    pub(crate) version: String,
    pub(crate) include: PathBuf,
}

impl Verilator {
    pub(crate) fn find() -> Self {
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

pub(crate) fn search_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path)
        .map(|d| d.join(name))
        .find(|p| p.is_file())
}

/// One verilated design, with everything the shim and Rust generators need.
pub(crate) struct ModelSpec {
    pub(crate) top: String,
    pub(crate) block: String,
    pub(crate) preset: String,
    /// `V<top>`: Verilator's class and file prefix.
    pub(crate) prefix: String,
    pub(crate) obj_dir: PathBuf,
    /// Files from `V<top>_classes.mk`, without `.cpp`.
    pub(crate) fast: Vec<String>,
    pub(crate) slow: Vec<String>,
    /// Runtime files this model needs (`verilated`, `verilated_vcd_c`, …).
    pub(crate) global: Vec<String>,
    pub(crate) ports: Vec<PortSpec>,
    /// Root member holding the clock's value at the previous eval, if the one-eval tick is
    /// safe for this model (see `single_edge_trigger`).
    pub(crate) edge_prev: Option<String>,
    /// `None` for a purely combinational design (`Design::clock` empty).
    pub(crate) clock: Option<String>,
    pub(crate) reset: Option<String>,
}

pub(crate) struct PortSpec {
    pub(crate) name: String,
    /// The member name in Verilator's model class (names with `__` are encoded).
    pub(crate) cpp: String,
    pub(crate) input: bool,
    pub(crate) width: usize,
    /// CData, SData, IData, QData or "" for VlWide.
    pub(crate) ctype: &'static str,
}

impl PortSpec {
    pub(crate) fn words(&self) -> usize {
        self.width.div_ceil(32)
    }
    pub(crate) fn wide(&self) -> bool {
        self.width > 64
    }
}

/// Verilates `d` twice from the same RTL: with tracing (the model `--waves` needs) and without
/// (`V<top>_nt`): Verilator 5.006 keeps every traced signal in memory, which makes the traced
/// model several times slower per cycle even with no trace file open.
pub(crate) fn verilate_pair(
    tool: &Verilator,
    d: &Design,
    dir: &Path,
    fst: bool,
) -> (ModelSpec, ModelSpec) {
    let rtl = dir.join("rtl");
    if rtl.exists() {
        std::fs::remove_dir_all(&rtl).unwrap();
    }
    std::fs::create_dir_all(&rtl).unwrap();
    d.write_into(&rtl)
        .unwrap_or_else(|e| panic!("scu-sim: writing {} into {}: {e}", d.top, rtl.display()));
    let traced = verilate(tool, d, dir, Some(fst));
    let untraced = verilate(tool, d, dir, None);
    if untraced
        .ports
        .iter()
        .map(|p| (&p.name, p.width, p.input))
        .ne(traced.ports.iter().map(|p| (&p.name, p.width, p.input)))
    {
        panic!("scu-sim: `{}`: the untraced model's ports differ", d.top);
    }
    (traced, untraced)
}

/// One model of `d` from the RTL in `dir/rtl`: traced (`Some(fst)`: VCD or FST) into
/// `dir/obj` as `V<top>`, or untraced (`None`) into `dir/obj_nt` as `V<top>_nt`.
fn verilate(tool: &Verilator, d: &Design, dir: &Path, trace: Option<bool>) -> ModelSpec {
    let rtl = dir.join("rtl");
    let (obj, prefix) = match trace {
        Some(_) => (dir.join("obj"), format!("V{}", d.top)),
        None => (dir.join("obj_nt"), format!("V{}_nt", d.top)),
    };
    if obj.exists() {
        std::fs::remove_dir_all(&obj).unwrap();
    }
    std::fs::create_dir_all(&obj).unwrap();
    // Top first (as Design::files orders them), then the rest.
    let sources: Vec<PathBuf> = d.files().iter().map(|(p, _)| rtl.join(p)).collect();
    let mut cmd = Command::new(&tool.exe);
    cmd.args([
        "--cc",
        "-O3",
        "--x-assign",
        "unique",
        "--x-initial",
        "unique",
    ]);
    match trace {
        Some(true) => {
            cmd.arg("--trace-fst");
        }
        Some(false) => {
            cmd.arg("--trace");
        }
        None => {}
    }
    cmd.args(["--prefix", &prefix, "--top-module", &d.top, "-Mdir"])
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
pub(crate) fn single_edge_trigger(obj: &Path, prefix: &str, clock: &str) -> Option<String> {
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
pub(crate) fn parse_mk_lists(text: &str) -> BTreeMap<String, Vec<String>> {
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
pub(crate) fn parse_header_ports(header: &str) -> BTreeMap<String, (String, usize, bool)> {
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
pub(crate) fn verilator_encode(name: &str) -> String {
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
