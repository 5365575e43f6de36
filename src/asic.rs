//! ASIC-style area estimate: yosys generic synthesis mapped onto a small liberty whose cell
//! areas are NAND2-normalised (hdl/asic/scu_ge.lib), so `stat -liberty` reads in gate
//! equivalents. Each block is synthesised alone; RAM and ROM leaves are blackboxed and
//! counted in bits, since an ASIC flow would place memory macros there. docs/asic.md has the
//! method, the weights and the limits.

use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::Command;

/// The checked-in liberty, embedded so the binary works outside the source tree.
pub const LIBERTY: &str = include_str!(concat!(env!("CARGO_MANIFEST_DIR"), "/hdl/asic/scu_ge.lib"));
/// Where `LIBERTY` lives in the repository (reported, so a figure names its weights).
pub const LIBERTY_PATH: &str = "hdl/asic/scu_ge.lib";

#[derive(Debug)]
pub enum AsicError {
    /// yosys is not installed or cannot be started.
    NoYosys(String),
    /// yosys ran but failed, or its output was not what the estimate expects.
    Failed(String),
    /// The preset or its emitted Verilog cannot be used.
    Input(String),
}

impl std::fmt::Display for AsicError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AsicError::NoYosys(s) | AsicError::Failed(s) | AsicError::Input(s) => f.write_str(s),
        }
    }
}

/// Mapped area of one synthesised module.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Area {
    pub logic_ge: f64,
    pub ff_ge: f64,
    pub ffs: u64,
    /// Liberty cell → count (blackboxed leaves are not cells of the liberty and are left out).
    pub cells: BTreeMap<String, u64>,
}

impl Area {
    fn add(&mut self, o: &Area) {
        self.logic_ge += o.logic_ge;
        self.ff_ge += o.ff_ge;
        self.ffs += o.ffs;
        for (c, n) in &o.cells {
            *self.cells.entry(c.clone()).or_default() += n;
        }
    }
}

/// Cell name → area, read from the liberty text. The parser knows only the flat
/// `cell(NAME) { area : X; ... }` shape scu_ge.lib is written in.
pub fn liberty_areas(lib: &str) -> Result<BTreeMap<String, f64>, String> {
    let mut out = BTreeMap::new();
    let mut cell: Option<String> = None;
    for line in lib.lines().map(str::trim) {
        if let Some(rest) = line.strip_prefix("cell(") {
            let name = rest.split(')').next().unwrap_or("").trim().to_string();
            cell = Some(name);
        } else if let Some(rest) = line.strip_prefix("area") {
            let v = rest
                .trim_start_matches([' ', ':'])
                .trim_end_matches(';')
                .trim();
            let name = cell.take().ok_or("area outside a cell")?;
            let a: f64 = v.parse().map_err(|_| format!("bad area `{v}` of {name}"))?;
            out.insert(name, a);
        }
    }
    if out.get("NAND2") != Some(&1.0) {
        return Err("liberty: NAND2 must have area 1.0 (areas are NAND2-normalised)".into());
    }
    Ok(out)
}

/// Flip-flop cells are those named DFF*, the convention scu_ge.lib follows.
fn is_ff(cell: &str) -> bool {
    cell.starts_with("DFF")
}

pub fn yosys_version() -> Result<String, AsicError> {
    let o = Command::new("yosys").arg("-V").output().map_err(no_yosys)?;
    Ok(String::from_utf8_lossy(&o.stdout).trim().to_string())
}

fn no_yosys(e: std::io::Error) -> AsicError {
    AsicError::NoYosys(format!(
        "cannot run `yosys` ({e}); install the tools with scripts/setup.sh"
    ))
}

/// A scratch directory removed on drop; std only, so the library needs no tempfile crate.
pub struct Scratch(PathBuf);

impl Scratch {
    pub fn new() -> Result<Self, AsicError> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let p = std::env::temp_dir().join(format!("scu-asic-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&p)
            .map_err(|e| AsicError::Failed(format!("cannot create {}: {e}", p.display())))?;
        Ok(Scratch(p))
    }
    pub fn path(&self) -> &Path {
        &self.0
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Synthesises `top` from `files` (in `dir`), flattened, with the modules of `blackboxes`
/// read as blackboxes (their area is not counted), mapped onto `liberty`.
pub fn synth_area(
    dir: &Path,
    top: &str,
    files: &[String],
    blackboxes: &[String],
    liberty: &Path,
) -> Result<Area, AsicError> {
    synth_area_with(dir, top, files, blackboxes, liberty, false)
}

/// `synth_area`, with `abc -fast` when `fast_map`: on control logic that doubles the area
/// (tiny engine: 23.5 vs 12.2 kGE), on a multiplier's regular XOR/AND array it costs ~3 %
/// (16x16: 2129 vs 2067 GE) and turns a 128x128 product from several minutes into ~30 s.
pub fn synth_area_with(
    dir: &Path,
    top: &str,
    files: &[String],
    blackboxes: &[String],
    liberty: &Path,
    fast_map: bool,
) -> Result<Area, AsicError> {
    let areas = liberty_areas(
        &std::fs::read_to_string(liberty)
            .map_err(|e| AsicError::Failed(format!("{}: {e}", liberty.display())))?,
    )
    .map_err(AsicError::Failed)?;
    let lib = liberty.display();
    let stat = dir.join(format!("{top}.stat"));
    let mut script = String::new();
    for b in blackboxes {
        script.push_str(&format!("read_verilog -lib {b}\n"));
    }
    for f in files {
        script.push_str(&format!("read_verilog {f}\n"));
    }
    // -noabc: the one abc run that counts is the liberty mapping below; synth's own generic
    // abc pass gives the same area (checked on the tiny ALU and engine) in more time.
    // dfflibmap before abc: abc maps only combinational logic, and dfflibmap legalises
    // enables and synchronous resets into logic around the plain flip-flops first.
    script.push_str(&format!(
        "synth -flatten -noabc -top {top}\n\
         dfflibmap -liberty {lib}\n\
         abc {}-liberty {lib}\n\
         opt_clean\n\
         tee -q -o {} stat -liberty {lib}\n",
        if fast_map { "-fast " } else { "" },
        stat.display()
    ));
    let ys = dir.join(format!("{top}.ys"));
    std::fs::write(&ys, &script)
        .map_err(|e| AsicError::Failed(format!("{}: {e}", ys.display())))?;
    let o = Command::new("yosys")
        .arg("-q")
        .arg("-s")
        .arg(&ys)
        .current_dir(dir)
        .output()
        .map_err(no_yosys)?;
    if !o.status.success() {
        let err = String::from_utf8_lossy(&o.stderr);
        let out = String::from_utf8_lossy(&o.stdout);
        return Err(AsicError::Failed(format!(
            "yosys failed on {top}: {}",
            last_lines(&format!("{out}{err}"), 15)
        )));
    }
    let text = std::fs::read_to_string(&stat)
        .map_err(|e| AsicError::Failed(format!("{}: {e}", stat.display())))?;
    let counts = parse_stat(&text, top).map_err(AsicError::Failed)?;
    let mut area = Area::default();
    for (cell, n) in counts {
        if blackboxes.iter().any(|b| b.trim_end_matches(".v") == cell) {
            continue;
        }
        let Some(a) = areas.get(&cell) else {
            return Err(AsicError::Failed(format!(
                "{top}: cell `{cell}` ({n}) is not in the liberty: the mapping is incomplete"
            )));
        };
        if is_ff(&cell) {
            area.ff_ge += a * n as f64;
            area.ffs += n;
        } else {
            area.logic_ge += a * n as f64;
        }
        area.cells.insert(cell, n);
    }
    Ok(area)
}

fn last_lines(s: &str, n: usize) -> String {
    let lines: Vec<&str> = s.lines().collect();
    lines[lines.len().saturating_sub(n)..].join("\n")
}

/// Cell counts of `top` from `stat` output: the indented `NAME COUNT` lines that follow
/// "Number of cells:" in the `=== top ===` section.
fn parse_stat(text: &str, top: &str) -> Result<BTreeMap<String, u64>, String> {
    let header = format!("=== {top} ===");
    let section = text
        .split_once(&header)
        .map(|(_, s)| s)
        .ok_or_else(|| format!("no statistics for {top} in yosys' output"))?;
    let mut out = BTreeMap::new();
    let mut in_cells = false;
    for line in section.lines() {
        let t = line.trim();
        if t.starts_with("===") {
            break;
        }
        if t.starts_with("Number of cells:") {
            in_cells = true;
            continue;
        }
        if !in_cells {
            continue;
        }
        let mut it = t.split_whitespace();
        match (it.next(), it.next(), it.next()) {
            (Some(name), Some(n), None) => match n.parse::<u64>() {
                Ok(n) => {
                    out.insert(name.trim_start_matches('\\').to_string(), n);
                }
                Err(_) => break,
            },
            _ => break,
        }
    }
    Ok(out)
}

/// Bits of one storage leaf, read from its emitted Verilog.
#[derive(Debug, Clone, PartialEq)]
pub struct Storage {
    pub module: String,
    /// "ram" (a `reg [..] mem [..]` array) or "rom" (a `case` of constants).
    pub kind: &'static str,
    pub words: u64,
    pub width: u64,
    /// How many times the block instantiates the leaf (K and K2 are one RAM leaf twice).
    pub instances: u64,
}

impl Storage {
    pub fn bits(&self) -> u64 {
        self.words * self.width * self.instances
    }
}

/// `[H:L]` → H - L + 1.
fn range_len(s: &str) -> Option<u64> {
    let inner = s.trim().strip_prefix('[')?.split(']').next()?;
    let (h, l) = inner.split_once(':')?;
    let (h, l): (i64, i64) = (h.trim().parse().ok()?, l.trim().parse().ok()?);
    Some((h - l).unsigned_abs() + 1)
}

/// The storage of a RAM or ROM leaf as the generator emits them: a RAM declares
/// `reg [W-1:0] mem [0:N-1];`, a ROM is a registered `case` with one `N'dK:` arm per word
/// driving `output wire [W-1:0] data`.
pub fn storage_of(module: &str, text: &str) -> Result<Storage, String> {
    for line in text.lines().map(str::trim) {
        // An attribute may come first: `(* ram_style = "block" *) reg [3:0] mem [0:63];`.
        let line = line
            .strip_prefix("(*")
            .and_then(|l| l.split_once("*)"))
            .map_or(line, |(_, rest)| rest.trim());
        if let Some(rest) = line.strip_prefix("reg ") {
            if let Some((w, tail)) = rest.split_once(" mem ") {
                let (width, words) = (range_len(w), range_len(tail.trim_end_matches(';')));
                if let (Some(width), Some(words)) = (width, words) {
                    return Ok(Storage {
                        module: module.into(),
                        kind: "ram",
                        words,
                        width,
                        instances: 1,
                    });
                }
            }
        }
    }
    let width = text
        .lines()
        .map(str::trim)
        .find_map(|l| l.strip_prefix("output wire ").and_then(range_len))
        .ok_or_else(|| format!("{module}: no memory array and no data output"))?;
    let words = text
        .lines()
        .map(str::trim)
        .filter(|l| {
            l.split_once(':').is_some_and(|(k, _)| {
                k.split_once("'d")
                    .is_some_and(|(n, v)| n.parse::<u32>().is_ok() && v.parse::<u64>().is_ok())
            })
        })
        .count() as u64;
    if words == 0 {
        return Err(format!("{module}: no ROM words found"));
    }
    Ok(Storage {
        module: module.into(),
        kind: "rom",
        words,
        width,
        instances: 1,
    })
}

/// Instances of `module` in the Verilog `text` (lines `module name (`).
fn instances(text: &str, module: &str) -> usize {
    text.lines()
        .filter(|l| {
            let mut it = l.split_whitespace();
            it.next() == Some(module) && it.next().is_some()
        })
        .count()
}

/// One measured block of the SCU.
#[derive(Debug, Clone)]
pub struct Block {
    pub name: &'static str,
    /// What the block's figure covers, for the reader of the table.
    pub modules: Vec<String>,
    pub area: Area,
    pub storage: Vec<Storage>,
}

impl Block {
    pub fn ram_bits(&self) -> u64 {
        self.storage
            .iter()
            .filter(|s| s.kind == "ram")
            .map(Storage::bits)
            .sum()
    }
    pub fn rom_bits(&self) -> u64 {
        self.storage
            .iter()
            .filter(|s| s.kind == "rom")
            .map(Storage::bits)
            .sum()
    }
}

#[derive(Debug, Clone)]
pub struct Estimate {
    pub preset: String,
    pub word_width: usize,
    pub yosys: String,
    pub blocks: Vec<Block>,
}

fn sum_blocks(blocks: &[Block]) -> (Area, u64, u64) {
    let mut a = Area::default();
    for b in blocks {
        a.add(&b.area);
    }
    let ram = blocks.iter().map(Block::ram_bits).sum();
    let rom = blocks.iter().map(Block::rom_bits).sum();
    (a, ram, rom)
}

fn blocks_json(blocks: &[Block]) -> serde_json::Map<String, Value> {
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    let mut out = serde_json::Map::new();
    for b in blocks {
        out.insert(
            b.name.to_string(),
            json!({
                "kge": r2((b.area.logic_ge + b.area.ff_ge) / 1000.0),
                "modules": b.modules,
                "logic_ge": r2(b.area.logic_ge),
                "ff_ge": r2(b.area.ff_ge),
                "ffs": b.area.ffs,
                "storage_bits": b.ram_bits(),
                "rom_bits": b.rom_bits(),
                "storage": b.storage.iter().map(|s| json!({
                    "module": s.module, "kind": s.kind, "words": s.words,
                    "width": s.width, "instances": s.instances, "bits": s.bits(),
                })).collect::<Vec<_>>(),
                "cells": b.area.cells,
            }),
        );
    }
    out
}

impl Estimate {
    pub fn total(&self) -> (Area, u64, u64) {
        sum_blocks(&self.blocks)
    }

    pub fn to_json(&self) -> Value {
        let r2 = |x: f64| (x * 100.0).round() / 100.0;
        let blocks = blocks_json(&self.blocks);
        let (t, ram, rom) = self.total();
        let k = |x: f64| r2(x / 1000.0);
        // The flat keys first (issue 5's interface, which scripts rely on), then the detail.
        json!({
            "preset": self.preset,
            "total_kge": k(t.logic_ge + t.ff_ge),
            "logic_kge": k(t.logic_ge),
            "ff_kge": k(t.ff_ge),
            "storage_bits": ram,
            "rom_bits": rom,
            "word_width": self.word_width,
            "liberty": LIBERTY_PATH,
            "yosys": self.yosys,
            "blocks": blocks,
            "total": {
                "logic_ge": r2(t.logic_ge),
                "ff_ge": r2(t.ff_ge),
                "ffs": t.ffs,
                "storage_bits": ram,
                "rom_bits": rom,
            },
        })
    }
}

/// (top, modules synthesised with it, modules blackboxed under it).
type Part = (String, Vec<String>, Vec<String>);

/// Measures every block of the SCU emitted from `files` (the preset's Verilog, module
/// name = file stem) for word width `w`.
pub fn estimate(preset: &str, w: usize, files: &[(String, String)]) -> Result<Estimate, AsicError> {
    let yosys = yosys_version()?;
    let scratch = Scratch::new()?;
    let dir = scratch.path();
    let io = |p: &Path, e: std::io::Error| AsicError::Failed(format!("{}: {e}", p.display()));
    let mut modules = Vec::new();
    for (path, text) in files {
        let p = dir.join(path);
        std::fs::write(&p, text).map_err(|e| io(&p, e))?;
        if let Some(m) = path.strip_suffix(".v") {
            modules.push(m.to_string());
        }
    }
    let lib = dir.join("scu_ge.lib");
    std::fs::write(&lib, LIBERTY).map_err(|e| io(&lib, e))?;
    let text_of = |m: &str| -> Result<&str, AsicError> {
        files
            .iter()
            .find(|(p, _)| p.strip_suffix(".v") == Some(m))
            .map(|(_, t)| t.as_str())
            .ok_or_else(|| AsicError::Input(format!("the preset emits no module {m}")))
    };
    let trng = modules
        .iter()
        .find(|m| m.starts_with("scu_trng_"))
        .cloned()
        .ok_or_else(|| AsicError::Input("the preset emits no TRNG module".into()))?;
    // The SCU's engine: the serial one (`tiny`) sits directly in the top; the parallel one
    // behind the lane adapter, whose logic the bus block carries.
    let serial = format!("scu_engine_serial_w{w}");
    let wb = format!("scu_wb_w{w}");
    let s = |v: &[&str]| v.iter().map(|x| x.to_string()).collect::<Vec<_>>();
    let (engine, engine_own, engine_leaves, wb_own) = if modules.contains(&serial) {
        (
            serial.clone(),
            s(&[
                &serial,
                &format!("{serial}__rf"),
                &format!("{serial}__k"),
                &format!("{serial}__k2"),
            ]),
            vec![
                "scu_engine_regfile_l32".to_string(),
                "scu_engine_scalar_ram".to_string(),
                "scu_engine_microcode".to_string(),
                format!("scu_engine_constants_w{w}"),
            ],
            s(&[&wb]),
        )
    } else {
        let engine = format!("scu_engine_w{w}");
        (
            engine.clone(),
            s(&[&engine]),
            s(&[
                "scu_engine_regfile",
                "scu_engine_microcode_pd",
                "scu_engine_constants",
            ]),
            s(&[
                &wb,
                &format!("{wb}__engine"),
                &format!("{wb}__engine__port"),
            ]),
        )
    };
    let alu = format!("{engine}__alu");
    let gate = format!("{wb}__gate");
    let axi = format!("scu_axi_w{w}");
    let bridge = format!("{axi}__bridge");
    let mul = format!("scu_mul_w{w}");
    // The ALU's pipelined product (`{alu}__pipe` and its multiplier leaf) is in every ALU's
    // Verilog but live only at W = 128 with one multiplier; elsewhere it is never started and
    // a flat synthesis removes it, so it is measured flat with the ALU.
    let pipe = format!("{alu}__pipe");
    let mul_pipe = scu_hdl::field_alu::mul_pipe::MUL_PIPE_NAME.to_string();
    // Likewise the full-width correction's two wide adders, live only at W = 128.
    let wide_p = format!("{alu}__wide_p");
    let wide_c = format!("{alu}__wide_c");
    // The serial engine's ALU has one live multiplier (the second one's inputs are tied to
    // zero, which a flat synthesis removes), so it is measured flat, multiplier included;
    // the parallel ALU's are synthesised once and counted per live instance (below): two,
    // or none at W = 128, where the pipelined product replaces them.
    let muls = scu_golden::field_alu::parallel_multipliers(w);
    let live_muls = match muls {
        _ if scu_golden::field_alu::pipelined(w, muls) => Some(0),
        scu_golden::field_alu::Multipliers::One => Some(1),
        scu_golden::field_alu::Multipliers::Two => None,
    };
    let alu_parts = if engine == serial || live_muls == Some(0) {
        vec![(
            alu.clone(),
            s(&[&alu, &pipe, &mul_pipe, &wide_p, &wide_c, &mul]),
            vec![],
        )]
    } else {
        vec![
            (
                alu.clone(),
                s(&[&alu, &pipe, &mul_pipe, &wide_p, &wide_c]),
                s(&[&mul]),
            ),
            (mul.clone(), s(&[&mul]), vec![]),
        ]
    };
    let mut engine_black = vec![alu.clone()];
    engine_black.extend(engine_leaves.iter().cloned());
    // (block, parts, storage leaves). The bus block also carries the two top-level
    // wrappers' own logic (the parallel engine's lane adapter; otherwise wiring), so the
    // blocks add up to the SCU.
    let plan: Vec<(&'static str, Vec<Part>, Vec<&str>)> = vec![
        (
            "engine",
            vec![(engine.clone(), engine_own, engine_black)],
            engine_leaves.iter().map(String::as_str).collect(),
        ),
        ("alu", alu_parts, vec![]),
        ("trng", vec![(trng.clone(), s(&[&trng]), vec![])], vec![]),
        (
            "gate",
            vec![(
                gate.clone(),
                s(&[&gate, &format!("{gate}__handler"), &format!("{gate}__seq")]),
                s(&["scu_gate_keyslots"]),
            )],
            vec!["scu_gate_keyslots"],
        ),
        (
            "bus",
            vec![
                (bridge.clone(), s(&[&bridge]), vec![]),
                (wb.clone(), wb_own, s(&[&gate, &engine, &trng])),
                (axi.clone(), s(&[&axi]), s(&[&bridge, &wb])),
            ],
            vec![],
        ),
    ];
    let blocks = measure(plan, dir, &lib, &text_of, &alu, (&mul, live_muls))?;
    Ok(Estimate {
        preset: preset.to_string(),
        word_width: w,
        yosys,
        blocks,
    })
}

/// A measuring plan: (block, parts, storage leaves).
type Plan<'a> = Vec<(&'static str, Vec<Part>, Vec<&'a str>)>;

/// Synthesises each block of `plan`; the multiplier leaf `mul.0` is counted once per instance
/// in `alu`, or `mul.1` times when only that many are live.
fn measure<'f>(
    plan: Plan,
    dir: &Path,
    lib: &Path,
    text_of: &dyn Fn(&str) -> Result<&'f str, AsicError>,
    alu: &str,
    (mul, live_muls): (&str, Option<usize>),
) -> Result<Vec<Block>, AsicError> {
    let mut blocks = Vec::new();
    for (name, parts, leaves) in plan {
        let mut area = Area::default();
        let mut covered = Vec::new();
        let mut parents = Vec::new();
        for (top, measured, bb) in parts {
            parents.extend(measured.iter().cloned());
            for m in measured.iter().chain(&bb) {
                text_of(m)?;
            }
            let v = |ms: &[String]| ms.iter().map(|m| format!("{m}.v")).collect::<Vec<_>>();
            let a = synth_area_with(dir, &top, &v(&measured), &v(&bb), lib, top == mul)?;
            // The multiplier leaf is synthesised once and counted per instance: it is pure
            // combinational logic on full-width inputs, so flattening it into the ALU could
            // share nothing between instances, and one 128x128 product already takes most
            // of the estimate's time.
            let n = if top == mul {
                let n = instances(text_of(alu)?, mul);
                live_muls.map_or(n, |live| live.min(n))
            } else {
                1
            };
            for _ in 0..n {
                area.add(&a);
            }
            covered.extend(
                measured
                    .into_iter()
                    .map(|m| if n > 1 { format!("{m} x{n}") } else { m }),
            );
        }
        let mut storage = Vec::new();
        for m in leaves {
            let mut st = storage_of(m, text_of(m)?).map_err(AsicError::Input)?;
            let mut n = 0;
            for p in &parents {
                n += instances(text_of(p)?, m);
            }
            st.instances = n.max(1) as u64;
            storage.push(st);
        }
        blocks.push(Block {
            name,
            modules: covered,
            area,
            storage,
        });
    }
    Ok(blocks)
}
