//! FPGA builds for the boards of `scu_hdl::board` (`scu fpga build`, docs/fpga.md): a design's
//! Verilog and the board's constraint file in, a bitstream, the tools' logs and report.json
//! out. The flow works on any design whose top has the board top's ports (`clk`,
//! `reset_button`, `uart_rx`, `uart_tx`, `led[..]`): the SCU's board top, or the board smoke
//! test.

pub mod constraints;
pub mod flow;
pub mod report;
pub mod sta;
pub mod tools;

pub use report::Report;
pub use tools::{Tools, SETUP_SCRIPT};

use scu_hdl::board::BoardSpec;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, Instant};

#[derive(Debug)]
pub enum FpgaError {
    /// A tool of the flow is not installed (message names scripts/setup-fpga.sh).
    NoTool(String),
    /// A tool failed for another reason than the design not fitting; its log stays.
    Failed(String),
    /// The build directory could not be written.
    Io(String),
}

impl std::fmt::Display for FpgaError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            FpgaError::NoTool(s) | FpgaError::Failed(s) | FpgaError::Io(s) => f.write_str(s),
        }
    }
}

/// One build: a design for a board.
pub struct Job<'a> {
    pub spec: &'a BoardSpec,
    /// `scu` (the SCU's board top) or `smoke` (the board smoke test).
    pub design: &'a str,
    pub preset: Option<&'a str>,
    pub word_width: Option<usize>,
    pub top: &'a str,
    /// (file name, contents): the design's files; the `.v` ones are synthesised.
    pub files: &'a [(String, String)],
    pub seed: u64,
    /// The longest any one step may run; it is then stopped and the build fails with its log
    /// kept (nextpnr's router can go on for hours on a design that does not route).
    pub time_limit: Option<Duration>,
}

/// What the flow tells the user while it runs.
pub enum Progress<'a> {
    Start { step: &'a str, tool: &'a str },
    Done { step: &'a str, seconds: f64 },
}

pub const REPORT: &str = "report.json";

/// Runs the flow of `job` in `dir` (which must exist and is every tool's working directory)
/// and writes report.json there. A design that does not fit is not an error: the report says
/// so (`fits: false`) and no bitstream is made.
pub fn run(
    job: &Job,
    tools: &Tools,
    dir: &Path,
    progress: &mut dyn FnMut(Progress),
) -> Result<Report, FpgaError> {
    let io = |p: &str, e: std::io::Error| FpgaError::Io(format!("{}: {e}", dir.join(p).display()));
    let write = |p: &str, text: &str| std::fs::write(dir.join(p), text).map_err(|e| io(p, e));
    let mut verilog = vec![];
    for (path, text) in job.files {
        write(path, text)?;
        if path.ends_with(".v") {
            verilog.push(path.clone());
        }
    }
    let (pins, pins_text) = constraints::for_board(job.spec).map_err(FpgaError::Failed)?;
    write(&pins, pins_text)?;
    let plan = flow::plan(job.spec, tools, job.top, &verilog, &pins, job.seed)
        .map_err(FpgaError::Failed)?;
    write(&plan.script.0, &plan.script.1)?;
    if let Some((name, text)) = &plan.sta_script {
        write(name, text)?;
    }

    let mut times = vec![];
    let mut logs = vec![];
    let mut util = report::Utilization::new();
    let mut util_source = "nextpnr report";
    let mut cells = Default::default();
    let mut fmax = None;
    let mut sta = None;
    let mut fits = true;
    for step in &plan.steps {
        progress(Progress::Start {
            step: step.name,
            tool: step.tool.name,
        });
        let t0 = Instant::now();
        // nextpnr-himbaechel goes on trying to place a design that cannot fit (for a long
        // time), so the flow stops it as soon as its packing report says so.
        let watch_fit =
            |text: &str| !report::over_capacity(&report::parse_pnr_log(text)).is_empty();
        let watch: Option<&dyn Fn(&str) -> bool> = (step.name == "pnr").then_some(&watch_fit);
        let (success, captured, stopped, timed_out) = run_tool(step, dir, watch, job.time_limit)?;
        let seconds = t0.elapsed().as_secs_f64();
        if !step.logs_itself {
            write(&step.log(), &captured)?;
        }
        if let Some(limit) = job.time_limit.filter(|_| timed_out) {
            let log_text = std::fs::read_to_string(dir.join(step.log())).unwrap_or_default();
            return Err(stopped_at_limit(step, limit, &log_text, &captured));
        }
        logs.push(step.log());
        times.push((step.name.to_string(), seconds));
        progress(Progress::Done {
            step: step.name,
            seconds,
        });
        let log_text = std::fs::read_to_string(dir.join(step.log())).unwrap_or_default();
        match step.name {
            "synth" => {
                if !success {
                    return Err(failed(step, &log_text, &captured));
                }
                let stat =
                    std::fs::read_to_string(dir.join(&plan.stat)).map_err(|e| io(&plan.stat, e))?;
                cells = report::parse_stat(&stat).map_err(FpgaError::Failed)?;
            }
            "sta" => {
                if !success {
                    return Err(failed(step, &log_text, &captured));
                }
                sta = Some(sta::parse(&log_text).map_err(FpgaError::Failed)?);
            }
            "pnr" => {
                if success && !stopped {
                    let text = std::fs::read_to_string(dir.join(&plan.pnr_report))
                        .map_err(|e| io(&plan.pnr_report, e))?;
                    let (u, clocks) = report::parse_pnr_report(&text).map_err(FpgaError::Failed)?;
                    util = u;
                    fmax = report::main_clock(&clocks).cloned();
                } else {
                    util = report::parse_pnr_log(&log_text);
                    util_source = "nextpnr log (packing)";
                    if report::over_capacity(&util).is_empty() {
                        return Err(failed(step, &log_text, &captured));
                    }
                    fits = false;
                    break;
                }
            }
            _ => {
                if !success || !dir.join(&plan.bitstream).is_file() {
                    return Err(failed(step, &log_text, &captured));
                }
            }
        }
    }
    let bitstream = fits.then_some(plan.bitstream.as_str());
    let report = report::build(&report::Facts {
        spec: job.spec,
        design: job.design,
        preset: job.preset,
        word_width: job.word_width,
        top: job.top,
        seed: job.seed,
        util: &util,
        util_source,
        cells: &cells,
        fmax: fmax.as_ref(),
        sta: sta.as_ref(),
        fits,
        bitstream,
        tools: [
            (tools.synth.name, tools.synth.version.as_str()),
            (tools.pnr.name, tools.pnr.version.as_str()),
            (tools.pack.name, tools.pack.version.as_str()),
        ],
        steps: &times,
        logs: &logs,
    });
    let text = serde_json::to_string_pretty(&report.json).expect("report serialises");
    write(REPORT, &(text + "\n"))?;
    Ok(report)
}

/// Runs one step in `dir`; returns (success, stdout and stderr, stopped, timed out). With `watch`, the
/// step's log is read every second and the tool is stopped once `watch` says the log shows
/// enough; with `limit`, it is stopped when it has run that long (either way it then counts
/// as failed).
fn run_tool(
    step: &flow::Step,
    dir: &Path,
    watch: Option<&dyn Fn(&str) -> bool>,
    limit: Option<Duration>,
) -> Result<(bool, String, bool, bool), FpgaError> {
    let t0 = Instant::now();
    let mut timed_out = false;
    let io = |e: std::io::Error| FpgaError::Io(format!("{}: {e}", dir.display()));
    let out_name = format!(".{}.out", step.name);
    let out_path = dir.join(&out_name);
    let out_file = std::fs::File::create(&out_path).map_err(io)?;
    let err_file = out_file.try_clone().map_err(io)?;
    let mut child = step
        .tool
        .command()
        .args(&step.args)
        .current_dir(dir)
        .stdout(Stdio::from(out_file))
        .stderr(Stdio::from(err_file))
        .spawn()
        .map_err(|e| {
            FpgaError::NoTool(format!(
                "cannot run `{}` ({e}); install the FPGA tools with {SETUP_SCRIPT}",
                step.tool.name
            ))
        })?;
    let mut watching = watch.is_some();
    let mut stopped = false;
    let status = loop {
        if let Some(status) = child.try_wait().map_err(io)? {
            break status;
        }
        if watching {
            let log = std::fs::read_to_string(dir.join(step.log())).unwrap_or_default();
            if watch.is_some_and(|w| w(&log)) {
                let _ = child.kill();
                stopped = true;
                break child.wait().map_err(io)?;
            }
            // One look at a complete utilisation block is enough.
            watching = report::parse_pnr_log(&log).is_empty();
        }
        if limit.is_some_and(|l| t0.elapsed() >= l) {
            let _ = child.kill();
            stopped = true;
            timed_out = true;
            break child.wait().map_err(io)?;
        }
        std::thread::sleep(Duration::from_millis(if watching { 1000 } else { 200 }));
    };
    let captured = std::fs::read_to_string(&out_path).unwrap_or_default();
    let _ = std::fs::remove_file(&out_path);
    Ok((status.success() && !stopped, captured, stopped, timed_out))
}

fn failed(step: &flow::Step, log: &str, captured: &str) -> FpgaError {
    FpgaError::Failed(format!(
        "{} ({}) failed, see {}:\n  {}",
        step.name,
        step.tool.name,
        step.log(),
        log_tail(log, captured)
    ))
}

fn stopped_at_limit(step: &flow::Step, limit: Duration, log: &str, captured: &str) -> FpgaError {
    FpgaError::Failed(format!(
        "{} ({}) was stopped at the time limit of {} s (--time-limit), see {}:\n  {}",
        step.name,
        step.tool.name,
        limit.as_secs_f64(),
        step.log(),
        log_tail(log, captured)
    ))
}

/// The last non-empty lines of a step's log (or of its output, when it wrote no log).
fn log_tail(log: &str, captured: &str) -> String {
    let text = if log.trim().is_empty() { captured } else { log };
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    lines[lines.len().saturating_sub(6)..].join("\n  ")
}
