//! report.json: what a build achieved, from the tools' own reports. Utilisation comes from
//! nextpnr's `--report` JSON when place and route succeeds, from its "Device utilisation"
//! log lines when it does not (it prints them after packing, before it gives up), and from
//! yosys `stat -json` for the cell counts behind the normalised `lut`/`ff` figures.

use scu_hdl::board::{BoardSpec, Family};
use serde_json::{json, Map, Value};
use std::collections::BTreeMap;

/// Resource → (used, available).
pub type Utilization = BTreeMap<String, (u64, u64)>;

/// One clock's timing from nextpnr's report.
#[derive(Clone, Debug, PartialEq)]
pub struct ClockFmax {
    pub net: String,
    pub achieved_mhz: f64,
}

/// `utilization` and `fmax` of a nextpnr `--report` file.
pub fn parse_pnr_report(text: &str) -> Result<(Utilization, Vec<ClockFmax>), String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("nextpnr report: {e}"))?;
    let mut util = Utilization::new();
    for (k, u) in v["utilization"]
        .as_object()
        .ok_or("nextpnr report: no `utilization`")?
    {
        let (Some(used), Some(avail)) = (u["used"].as_u64(), u["available"].as_u64()) else {
            return Err(format!("nextpnr report: bad utilization entry {k}: {u}"));
        };
        util.insert(k.clone(), (used, avail));
    }
    let mut clocks = vec![];
    if let Some(f) = v["fmax"].as_object() {
        for (net, t) in f {
            let achieved = t["achieved"]
                .as_f64()
                .ok_or_else(|| format!("nextpnr report: no achieved fmax for {net}"))?;
            clocks.push(ClockFmax {
                net: net.clone(),
                achieved_mhz: achieved,
            });
        }
    }
    Ok((util, clocks))
}

/// The "Device utilisation:" block of a nextpnr log: `Info: \t  NAME:  used/ avail  pct%`;
/// empty until a line follows the block (a log being written may end inside it).
pub fn parse_pnr_log(text: &str) -> Utilization {
    let mut util = Utilization::new();
    let mut closed = Utilization::new();
    let mut inside = false;
    // Whole lines only: a log being written may end in the middle of one.
    let complete = text.rfind('\n').map_or("", |i| &text[..=i]);
    for line in complete.lines() {
        let body = line.trim_start_matches("Info:").trim();
        if body.starts_with("Device utilisation") {
            inside = true;
            util.clear();
            continue;
        }
        if !inside {
            continue;
        }
        let parsed = body.split_once(':').and_then(|(name, rest)| {
            let (used, rest) = rest.split_once('/')?;
            let avail = rest.split_whitespace().next()?;
            Some((
                name.trim().to_string(),
                used.trim().parse::<u64>().ok()?,
                avail.parse::<u64>().ok()?,
            ))
        });
        match parsed {
            Some((name, used, avail)) if !name.is_empty() => {
                util.insert(name, (used, avail));
            }
            _ if util.is_empty() => {}
            _ => {
                inside = false;
                closed = std::mem::take(&mut util);
            }
        }
    }
    closed
}

/// Cell type → count of the whole design, from yosys `stat -json` (text may carry log lines
/// before the JSON object).
pub fn parse_stat(text: &str) -> Result<BTreeMap<String, u64>, String> {
    let start = text.find('{').ok_or("yosys stat: no JSON")?;
    let v: Value = serde_json::from_str(&text[start..]).map_err(|e| format!("yosys stat: {e}"))?;
    let design = &v["design"];
    let cells = design["num_cells_by_type"]
        .as_object()
        .or_else(|| design["cells"].as_object())
        .ok_or("yosys stat: no cell counts for the design")?;
    Ok(cells
        .iter()
        .filter_map(|(k, n)| Some((k.trim_start_matches('\\').to_string(), n.as_u64()?)))
        .collect())
}

/// The `lut`, `ff`, `dsp` and `bram` figures scripts compare across families, from nextpnr's
/// own resource names (and, for iCE40, whose logic cell is one LUT4 plus one flip-flop, the
/// synthesised LUT4 and flip-flop counts against the logic cells).
pub fn normalised(
    family: Family,
    util: &Utilization,
    cells: &BTreeMap<String, u64>,
) -> BTreeMap<&'static str, (u64, u64)> {
    let get = |k: &str| util.get(k).copied();
    let count = |pred: &dyn Fn(&str) -> bool| -> u64 {
        cells.iter().filter(|(k, _)| pred(k)).map(|(_, n)| n).sum()
    };
    let mut out = BTreeMap::new();
    let mut put = |k: &'static str, v: Option<(u64, u64)>| {
        if let Some(v) = v {
            out.insert(k, v);
        }
    };
    match family {
        Family::Ice40 => {
            let lc = get("ICESTORM_LC");
            let luts = count(&|k| k == "SB_LUT4");
            let ffs = count(&|k| k.starts_with("SB_DFF"));
            put(
                "lut",
                lc.map(|(u, a)| (if cells.is_empty() { u } else { luts }, a)),
            );
            put(
                "ff",
                lc.map(|(u, a)| (if cells.is_empty() { u } else { ffs }, a)),
            );
            put("dsp", get("ICESTORM_DSP"));
            put("bram", get("ICESTORM_RAM"));
        }
        Family::Ecp5 => {
            put("lut", get("TRELLIS_COMB"));
            put("ff", get("TRELLIS_FF"));
            put("dsp", get("MULT18X18D"));
            put("bram", get("DP16KD"));
        }
        // A GW1N logic cell's LUT4 is also where an ALU (carry) bit goes, so both count
        // against the LUT4s; multipliers count in 18x18 blocks, the unit of the capacity.
        Family::Gowin => {
            let used = |k: &str| get(k).map_or(0, |v| v.0);
            put("lut", get("LUT4").map(|(u, a)| (u + used("ALU"), a)));
            put("ff", get("DFF"));
            put(
                "dsp",
                get("MULT18X18").map(|(u, a)| {
                    let wide = 4 * used("MULT36X36") + 2 * used("MULTALU36X18");
                    let single = used("MULTALU18X18") + used("MULTADDALU18X18");
                    (u + wide + single + used("MULT9X9").div_ceil(2), a)
                }),
            );
            put("bram", get("BSRAM"));
        }
    }
    out
}

/// The resources a design needs more of than the device has, as `NAME used/available`.
pub fn over_capacity(util: &Utilization) -> Vec<String> {
    util.iter()
        .filter(|(_, (u, a))| u > a)
        .map(|(k, (u, a))| format!("{k} {u}/{a}"))
        .collect()
}

/// The main clock: the net of the top's `clk` port (nextpnr names it after the port and the
/// buffer it went through: `clk$SB_IO_IN_$glb_clk`, `$glbnet$clk$TRELLIS_IO_IN`,
/// `clk_IBUF_I_O`),
/// else the slowest.
pub fn main_clock(clocks: &[ClockFmax]) -> Option<&ClockFmax> {
    let is_clk = |n: &str| {
        let n = n.strip_prefix("$glbnet$").unwrap_or(n);
        n.strip_prefix("clk")
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(['$', '_']))
    };
    clocks.iter().find(|c| is_clk(&c.net)).or_else(|| {
        clocks
            .iter()
            .min_by(|a, b| a.achieved_mhz.total_cmp(&b.achieved_mhz))
    })
}

/// What one build achieved.
#[derive(Clone, Debug)]
pub struct Report {
    pub fits: bool,
    pub meets_timing: Option<bool>,
    pub verdict: String,
    pub json: Value,
}

/// Everything report.json holds besides what `Report` carries in fields.
pub struct Facts<'a> {
    pub spec: &'a BoardSpec,
    pub design: &'a str,
    pub preset: Option<&'a str>,
    pub word_width: Option<usize>,
    pub top: &'a str,
    pub seed: u64,
    pub util: &'a Utilization,
    pub util_source: &'a str,
    pub cells: &'a BTreeMap<String, u64>,
    pub fmax: Option<&'a ClockFmax>,
    /// Gowin: yosys's timing analysis, the cross-check of `fmax` (src/fpga/sta.rs).
    pub sta: Option<&'a super::sta::Sta>,
    pub fits: bool,
    pub bitstream: Option<&'a str>,
    pub tools: [(&'a str, &'a str); 3],
    pub steps: &'a [(String, f64)],
    pub logs: &'a [String],
}

fn pct(used: u64, avail: u64) -> String {
    if avail == 0 {
        "-".into()
    } else {
        format!("{:.0} %", 100.0 * used as f64 / avail as f64)
    }
}

pub fn build(f: &Facts) -> Report {
    let clock_mhz = f64::from(f.spec.clock_hz) / 1e6;
    // nextpnr's iCE40 and ECP5 timing is trusted; a Gowin figure only once yosys's own
    // analysis agrees with it (src/fpga/sta.rs).
    let check = match (f.spec.family, f.fmax, f.sta) {
        (Family::Gowin, Some(c), Some(s)) => Some(super::sta::verdict(s, c.achieved_mhz, f.cells)),
        (Family::Gowin, _, _) => Some(Err("no fmax or no yosys sta result".to_string())),
        _ => None,
    };
    let fmax_verified = check.as_ref().is_none_or(|r| r.is_ok());
    let meets = f.fmax.map(|c| c.achieved_mhz >= clock_mhz);
    let norm = normalised(f.spec.family, f.util, f.cells);
    let mut util = Map::new();
    for (k, (u, a)) in f.util {
        util.insert(k.clone(), json!({ "used": u, "available": a }));
    }
    for (k, (u, a)) in &norm {
        util.insert(k.to_string(), json!({ "used": u, "available": a }));
    }
    let summary: Vec<String> = ["lut", "ff", "dsp", "bram"]
        .iter()
        .filter_map(|k| {
            norm.get(k)
                .map(|(u, a)| format!("{} {u}/{a} ({})", k.to_uppercase(), pct(*u, *a)))
        })
        .collect();
    let device = format!("{} {}", f.spec.device, f.spec.package);
    let verdict = if !f.fits {
        let over: Vec<String> = f
            .util
            .iter()
            .filter(|(_, (u, a))| u > a)
            .map(|(k, (u, a))| format!("{k} {u}/{a} ({})", pct(*u, *a)))
            .collect();
        format!(
            "does not fit the {device}: {}; the design needs {}",
            if over.is_empty() {
                "placement failed".into()
            } else {
                over.join(", ")
            },
            summary.join(", ")
        )
    } else {
        let timing = match f.fmax {
            Some(c) => format!(
                "fmax {:.1} MHz {} the {clock_mhz} MHz board clock{}",
                c.achieved_mhz,
                if c.achieved_mhz >= clock_mhz {
                    "meets"
                } else {
                    "MISSES"
                },
                match (&check, f.sta) {
                    (Some(Ok(())), Some(s)) => format!(
                        " (cross-checked: yosys sta {:.1} ns of cell delays)",
                        s.logic_ns
                    ),
                    (Some(Err(why)), _) => format!(" (Gowin timing model, unverified: {why})"),
                    _ => String::new(),
                }
            ),
            None => "no clock found in the timing report".into(),
        };
        format!("fits the {device}: {}; {timing}", summary.join(", "))
    };
    let json = json!({
        "board": f.spec.name,
        "title": f.spec.title,
        "family": format!("{:?}", f.spec.family).to_lowercase(),
        "device": f.spec.device,
        "package": f.spec.package,
        "design": f.design,
        "preset": f.preset,
        "word_width": f.word_width,
        "top": f.top,
        "clock_mhz": clock_mhz,
        "seed": f.seed,
        "fits": f.fits,
        "fmax_mhz": f.fmax.map(|c| (c.achieved_mhz * 100.0).round() / 100.0),
        "fmax_clock_net": f.fmax.map(|c| c.net.clone()),
        "fmax_verified": fmax_verified,
        "fmax_check": f.sta.map(|s| json!({
            "method": "yosys sta, Gowin cell delays of yosys's library, no routing",
            "logic_ns": (s.logic_ns * 1000.0).round() / 1000.0,
            "pnr_period_ns": f.fmax.map(|c| (1e5 / c.achieved_mhz).round() / 100.0),
            "path_start": s.path_start,
            "path_end": s.path_end,
            "untimed_by_sta": s.untimed,
            "passed": fmax_verified,
            "why_not": check.as_ref().and_then(|r| r.as_ref().err()),
        })),
        "meets_timing": meets,
        "utilization": util,
        "utilization_source": f.util_source,
        "synth_cells": f.cells,
        "verdict": verdict,
        "bitstream": f.bitstream,
        "tools": {
            "synth": f.tools[0].1, "pnr": f.tools[1].1, "pack": f.tools[2].1,
        },
        "tool_programs": {
            "synth": f.tools[0].0, "pnr": f.tools[1].0, "pack": f.tools[2].0,
        },
        "steps": f.steps.iter().map(|(s, t)| json!({ "step": s, "seconds": (t * 10.0).round() / 10.0 })).collect::<Vec<_>>(),
        "logs": f.logs,
    });
    Report {
        fits: f.fits,
        meets_timing: meets,
        verdict,
        json,
    }
}
