//! `scu fpga build`: a bitstream for one of the open boards (docs/fpga.md).

use super::{output_dir, CliError};
use scu::fpga::{self, FpgaError, Job, Progress};
use scu_hdl::board::{self, smoke};
use scu_hdl::preset;
use scu_hdl::DesignSet;
use std::path::PathBuf;

#[derive(clap::Subcommand, Debug)]
pub enum FpgaCommand {
    /// Synthesise, place and route the SCU's board top (or the board smoke test) and pack a
    /// bitstream; writes report.json (fit, fmax, utilisation) beside the tools' logs.
    Build(BuildArgs),
}

#[derive(clap::Args, Debug)]
pub struct BuildArgs {
    /// icebreaker, ulx3s, orangecrab or tangnano9k.
    #[arg(long)]
    board: String,
    /// Preset of the SCU (see `scu presets`) [default: the board's].
    #[arg(long, conflicts_with = "smoke")]
    preset: Option<String>,
    /// Override the field ALU word width (16, 32, 64 or 128).
    #[arg(long, conflicts_with = "smoke")]
    word_width: Option<usize>,
    /// Build the board smoke test instead of the SCU: LED blink at 1 Hz, button on an LED,
    /// UART echo (the first bitstream to try on a new board).
    #[arg(long)]
    smoke: bool,
    /// Output directory [default: build/fpga/<board>-<preset or smoke>, which scu owns and
    /// always replaces].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace a non-empty --out directory.
    #[arg(long)]
    force: bool,
    /// Placement seed of nextpnr.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Stop any one step (synthesis, place and route, packing) that runs longer than this many
    /// seconds, and fail with its log kept; 0 for no limit.
    #[arg(long, default_value_t = 3600.0, value_parser = non_negative_seconds)]
    time_limit: f64,
    /// Print report.json (one line) on stdout instead of the summary.
    #[arg(long)]
    json: bool,
}

fn non_negative_seconds(s: &str) -> Result<f64, String> {
    match s.parse::<f64>() {
        Ok(x) if x.is_finite() && x >= 0.0 => Ok(x),
        _ => Err(format!("`{s}` is not a number of seconds (0 or more)")),
    }
}

pub fn run(cmd: FpgaCommand) -> Result<(), CliError> {
    let FpgaCommand::Build(args) = cmd;
    let spec = board::board(&args.board).map_err(CliError::Input)?;

    let (design, preset_name, word_width, top, mut files) = if args.smoke {
        let d = smoke::design(spec).map_err(CliError::Input)?;
        let set = DesignSet {
            designs: vec![d.clone()],
            extra: vec![],
        };
        let files = set.files().map_err(CliError::Input)?;
        ("smoke", None, None, d.top, files)
    } else {
        let name = args.preset.as_deref().unwrap_or(spec.default_preset);
        let mut params = preset::preset(name).map_err(CliError::Input)?;
        if let Some(w) = args.word_width {
            params.word_width = w;
            params.datapath = preset::default_datapath(w);
        }
        params.validate().map_err(CliError::Input)?;
        let d = preset::fpga_top(spec, name, &params).map_err(CliError::Input)?;
        let set = DesignSet {
            designs: vec![d.clone()],
            extra: vec![],
        };
        let (top, files) = (d.top, set.files().map_err(CliError::Input)?);
        (
            "scu",
            Some(name.to_string()),
            Some(params.word_width),
            top,
            files,
        )
    };
    files.retain(|(p, _)| p.ends_with(".v"));

    let label = preset_name.as_deref().unwrap_or("smoke");
    let (out, force) = match &args.out {
        Some(dir) => (dir.clone(), args.force),
        None => (
            PathBuf::from("build/fpga").join(format!("{}-{label}", spec.name)),
            true,
        ),
    };
    output_dir::check_target(&out, force)?;
    let job = Job {
        spec,
        design,
        preset: preset_name.as_deref(),
        word_width,
        top: &top,
        files: &files,
        seed: args.seed,
        time_limit: (args.time_limit > 0.0)
            .then(|| std::time::Duration::from_secs_f64(args.time_limit)),
    };
    eprintln!(
        "scu fpga build: {} ({}) {} -> {}",
        spec.name,
        spec.title,
        if design == "smoke" {
            "smoke test".to_string()
        } else {
            format!("preset {label}")
        },
        out.display()
    );
    // Before anything is written: a missing tool leaves no directory behind. (The first run
    // of a YoWASP tool compiles it, which is why this can take a minute once.)
    let t0 = std::time::Instant::now();
    let tools = fpga::tools::find(spec.family).map_err(tool_error)?;
    eprintln!("  tools  found in {:.1} s", t0.elapsed().as_secs_f64());
    let mut progress = |p: Progress| match p {
        Progress::Start { step, tool } => eprintln!("  {step:<6} {tool} ..."),
        Progress::Done { step, seconds } => eprintln!("  {step:<6} done in {seconds:.1} s"),
    };
    // The build runs in a staging directory swapped in at the end, also when a tool fails:
    // its logs are what explains the failure.
    let mut outcome = None;
    output_dir::write_atomically(&out, |dir| {
        outcome = Some(fpga::run(&job, &tools, dir, &mut progress));
        Ok(())
    })?;
    let report = match outcome.expect("the flow ran") {
        Ok(r) => r,
        Err(e) => return Err(tool_error(e).in_dir(&out)),
    };
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&report.json).expect("report serialises")
        );
    } else {
        println!("scu fpga build: {}", report.verdict);
        if let Some(b) = report.json["bitstream"].as_str() {
            println!("  bitstream    {}", out.join(b).display());
        }
        println!("  report       {}", out.join(fpga::REPORT).display());
    }
    if !report.fits || report.meets_timing == Some(false) {
        return Err(CliError::Failed(report.verdict));
    }
    Ok(())
}

fn tool_error(e: FpgaError) -> CliError {
    match e {
        FpgaError::NoTool(s) | FpgaError::Failed(s) => CliError::Failed(s),
        FpgaError::Io(s) => CliError::Io(s),
    }
}

trait InDir {
    fn in_dir(self, dir: &std::path::Path) -> Self;
}

impl InDir for CliError {
    /// Log names in a flow error are relative to the build directory.
    fn in_dir(self, dir: &std::path::Path) -> Self {
        match self {
            CliError::Failed(s) => {
                CliError::Failed(format!("{s}\n  (build directory {})", dir.display()))
            }
            other => other,
        }
    }
}
