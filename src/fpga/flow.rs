//! The commands of each family's flow: synthesis to a JSON netlist, place and route against
//! the board's constraint file (with a JSON report, a seed and the board clock as the
//! target), bitstream packing. Every file is named relative to the build directory, which is
//! each tool's working directory: YoWASP tools run in WebAssembly, where absolute paths
//! outside the working directory do not exist.

use super::tools::{Tool, Tools};
use scu_hdl::board::{BoardSpec, Family};

/// One tool run.
#[derive(Clone, Debug)]
pub struct Step {
    /// `synth`, `pnr`, `pack`: also the stem of its log file.
    pub name: &'static str,
    pub tool: Tool,
    pub args: Vec<String>,
    /// Whether the tool writes `<name>.log` itself (yosys `-l`, nextpnr `--log`); otherwise
    /// the flow writes its captured output there.
    pub logs_itself: bool,
}

impl Step {
    pub fn log(&self) -> String {
        format!("{}.log", self.name)
    }
}

/// Everything one build runs and produces, by file name.
#[derive(Clone, Debug)]
pub struct Plan {
    /// The yosys script (`synth.ys`) and its text.
    pub script: (String, String),
    /// Gowin: the script of the fmax cross-check (`sta.ys`, src/fpga/sta.rs).
    pub sta_script: Option<(String, String)>,
    pub steps: Vec<Step>,
    pub netlist: String,
    pub stat: String,
    pub pnr_report: String,
    pub bitstream: String,
}

pub const PNR_REPORT: &str = "report-pnr.json";
pub const STAT: &str = "synth-stat.json";

/// The flow for `spec` building `top` from `verilog` (file names), pins from `constraints`.
pub fn plan(
    spec: &BoardSpec,
    tools: &Tools,
    top: &str,
    verilog: &[String],
    constraints: &str,
    seed: u64,
) -> Result<Plan, String> {
    let netlist = format!("{top}.json");
    let clock_mhz = f64::from(spec.clock_hz) / 1e6;
    let synth_cmd = match spec.family {
        // -dsp: the field ALU's multipliers go to the UP5K's eight SB_MAC16 blocks.
        Family::Ice40 => format!("synth_ice40 -dsp -top {top} -json {netlist}"),
        Family::Ecp5 => format!("synth_ecp5 -top {top} -json {netlist}"),
        // -nodsp: nextpnr-himbaechel does not time Gowin's DSP blocks (a register → MULT18X18
        // → register path reports 686 MHz), so a multiplier there would put the field ALU's
        // critical path where no tool sees it (src/fpga/sta.rs). In LUTs it is timed.
        Family::Gowin => format!("synth_gowin -nodsp -top {top} -json {netlist}"),
    };
    let mut script = String::new();
    for f in verilog {
        script.push_str(&format!("read_verilog {f}\n"));
    }
    if spec.family == Family::Gowin {
        // The ring-oscillator stages are kept modules (hdl/src/trng/ro_cell.rs) so that a latch
        // built from a LUT keeps its loop to itself; synth_gowin would give every kept module's
        // ports IO buffers, and Gowin has a latch primitive (DL) anyway, so they are flattened.
        script.push_str("setattr -unset keep_hierarchy\n");
    }
    script.push_str(&format!("{synth_cmd}\ntee -q -o {STAT} stat -json\n"));

    let synth = Step {
        name: "synth",
        tool: tools.synth.clone(),
        args: strings(&["-q", "-l", "synth.log", "-s", "synth.ys"]),
        logs_itself: true,
    };
    // Timing failures are reported (report.json `meets_timing`), not fatal: the bitstream of
    // a design that misses the board clock is still worth looking at.
    let mut pnr_args = strings(&["-q", "--log", "pnr.log", "--json", &netlist]);
    pnr_args.extend(strings(&[
        "--seed",
        &seed.to_string(),
        "--freq",
        &format!("{clock_mhz}"),
        "--timing-allow-fail",
        // The ring-oscillator cell's rings are combinational loops on purpose; without this
        // nextpnr refuses to run its timing analysis at all.
        "--ignore-loops",
        "--report",
        PNR_REPORT,
    ]));
    let (bitstream, pack_args) = match spec.family {
        Family::Ice40 => {
            let asc = format!("{top}.asc");
            let bin = format!("{top}.bin");
            pnr_args.extend(strings(&[
                &format!("--{}", spec.device),
                "--package",
                spec.package,
                "--pcf",
                constraints,
                "--asc",
                &asc,
            ]));
            (bin.clone(), vec![asc, bin])
        }
        Family::Ecp5 => {
            let config = format!("{top}.config");
            let bit = format!("{top}.bit");
            pnr_args.extend(strings(&[
                &format!("--{}", spec.device),
                "--package",
                spec.package,
                "--speed",
                &ecp5_speed(spec)?.to_string(),
                "--lpf",
                constraints,
                // router1, nextpnr's default. router2 (congestion-driven) does not converge on
                // the `fast` SCU around its 64 DSPs (overused wires stall near 1,500), where
                // router1 finishes in about 7 minutes; an older `fast`, with a one-cycle
                // multiplier, had defeated router1 instead (docs/fpga.md).
                "--router",
                "router1",
                "--textcfg",
                &config,
            ]));
            (bit.clone(), strings(&["--compress", &config, &bit]))
        }
        Family::Gowin => {
            let routed = format!("{top}.pnr.json");
            let fs = format!("{top}.fs");
            let family = gowin_family(spec)?;
            pnr_args.extend(strings(&[
                "--device",
                spec.device,
                "--vopt",
                &format!("family={family}"),
                "--vopt",
                &format!("cst={constraints}"),
                "--write",
                &routed,
            ]));
            (fs.clone(), strings(&["-d", family, "-o", &fs, &routed]))
        }
    };
    let pnr = Step {
        name: "pnr",
        tool: tools.pnr.clone(),
        args: pnr_args,
        logs_itself: true,
    };
    let pack = Step {
        name: "pack",
        tool: tools.pack.clone(),
        args: pack_args,
        logs_itself: false,
    };
    // Gowin's fmax is published only if yosys's own timing analysis agrees (src/fpga/sta.rs).
    let (sta_script, sta) = if spec.family == Family::Gowin {
        let step = Step {
            name: "sta",
            tool: tools.synth.clone(),
            args: strings(&["-q", "-l", "sta.log", "-s", "sta.ys"]),
            logs_itself: true,
        };
        (
            Some(("sta.ys".to_string(), super::sta::script(&netlist, top))),
            Some(step),
        )
    } else {
        (None, None)
    };
    Ok(Plan {
        script: ("synth.ys".into(), script),
        sta_script,
        steps: [Some(synth), sta, Some(pnr), Some(pack)]
            .into_iter()
            .flatten()
            .collect(),
        netlist,
        stat: STAT.into(),
        pnr_report: PNR_REPORT.into(),
        bitstream,
    })
}

fn strings(v: &[&str]) -> Vec<String> {
    v.iter().map(|s| s.to_string()).collect()
}

/// The ECP5 speed grade from the part number in the board's title (`LFE5U-25F-8MG285C` → 8).
pub fn ecp5_speed(spec: &BoardSpec) -> Result<u8, String> {
    spec.title
        .split(|c: char| c == '(' || c == ')' || c.is_whitespace())
        .find_map(|w| {
            let rest = w.strip_prefix("LFE5U")?;
            let grade = rest.split('-').nth(2)?.chars().next()?;
            grade.to_digit(10).map(|d| d as u8)
        })
        .filter(|g| [6, 7, 8].contains(g))
        .ok_or_else(|| {
            format!(
                "{}: no ECP5 part number with a speed grade in `{}`",
                spec.name, spec.title
            )
        })
}

/// The chip-database family nextpnr-himbaechel and gowin_pack name the board's part by.
pub fn gowin_family(spec: &BoardSpec) -> Result<&'static str, String> {
    // The GW1NR-9 (GW1N-9 die plus PSRAM) in its C revision: the Tang Nano 9K's part.
    if spec.device.starts_with("GW1NR-LV9") || spec.device.starts_with("GW1N-LV9") {
        Ok("GW1N-9C")
    } else {
        Err(format!(
            "{}: no Gowin family known for part {}",
            spec.name, spec.device
        ))
    }
}
