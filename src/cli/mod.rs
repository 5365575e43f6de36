//! Argument parsing and dispatch; each subcommand lives in its own file.

mod asic;
mod board;
mod commands;
mod explore;
mod fpga;
mod generate;
mod output_dir;
mod output_file;
mod preset_args;
mod random;
mod report;
mod session;
mod sim;

pub use preset_args::PresetArgs;

use clap::{Parser, Subcommand};
use std::fmt;

#[derive(Parser, Debug)]
#[command(
    name = "scu",
    version,
    about = "SCU generator: P-256 secure cryptographic unit IP in Verilog"
)]
pub struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Emit the Verilog of a preset (plus manifest.json) into a directory.
    Generate(generate::Args),
    /// List the presets and their parameters.
    Presets,
    /// Run one command (keygen, sign, verify, ecdh, random) on the simulated SCU of a preset.
    #[command(subcommand)]
    Sim(sim::SimCommand),
    /// Run one command (keygen, sign, verify, ecdh, random, status) on an SCU board through
    /// its UART link.
    Board(board::BoardArgs),
    /// Cycle counts of every engine command on every preset, measured on the simulated engine.
    Report(report::Args),
    /// ASIC-style estimates of the generated design.
    #[command(subcommand)]
    Asic(asic::AsicCommand),
    /// Sweep the word width: cycles per command (co-simulated RTL) and area (kGE), as a
    /// table, CSV, JSON and an SVG plot of area against latency.
    Explore(explore::Args),
    /// FPGA bitstreams for the open boards (iCEBreaker, ULX3S, OrangeCrab, Tang Nano 9K).
    #[command(subcommand)]
    Fpga(fpga::FpgaCommand),
}

/// A failure the user can act on. Bad input and I/O problems exit with 2 and 1 as
/// conventional for command-line tools (clap itself uses 2 for malformed flags).
#[derive(Debug)]
pub enum CliError {
    /// Unusable input: flags, file contents, or values the engine rejects (exit 2).
    Input(String),
    /// A file or device could not be read or written (exit 1).
    Io(String),
    /// Valid input, but the operation did not complete: the engine answered R_ZERO/S_ZERO
    /// for a given nonce, or the simulated hardware could not be run (exit 1).
    Failed(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::Io(_) | CliError::Failed(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(s) | CliError::Io(s) | CliError::Failed(s) => f.write_str(s),
        }
    }
}

/// The simulated noise source's seed: `--seed` if given, else fresh from the OS (so every run
/// without it sees other noise, as a device would).
pub fn noise_seed(given: Option<u64>) -> Result<u64, CliError> {
    if let Some(s) = given {
        return Ok(s);
    }
    let mut b = [0u8; 8];
    getrandom::fill(&mut b)
        .map_err(|e| CliError::Io(format!("cannot read the OS random source: {e}")))?;
    Ok(u64::from_le_bytes(b))
}

pub fn run(cli: Cli) -> Result<(), CliError> {
    match cli.command {
        Command::Generate(args) => generate::run(args),
        Command::Presets => {
            for (name, params, what) in scu_hdl::preset::PRESETS.iter() {
                let default = if *name == scu_hdl::preset::DEFAULT_PRESET {
                    " (default)"
                } else {
                    ""
                };
                println!(
                    "{name:<10} word_width={:<3} {what}{default}",
                    params.word_width
                );
            }
            Ok(())
        }
        Command::Sim(cmd) => finish(sim::run(cmd)?),
        Command::Board(args) => finish(board::run(args)?),
        Command::Report(args) => report::run(args),
        Command::Asic(cmd) => asic::run(cmd),
        Command::Explore(args) => explore::run(args),
        Command::Fpga(cmd) => fpga::run(cmd),
    }
}

/// Ends the process as a command's outcome asks.
fn finish(outcome: commands::Outcome) -> Result<(), CliError> {
    use std::io::Write;
    let code = match outcome {
        commands::Outcome::Done => return Ok(()),
        // `verify` on an invalid signature: not an error but a verdict, already reported on
        // stderr; its exit code is 1 (2 stays for usage and I/O errors).
        commands::Outcome::Invalid => 1,
        // `random` stopped by a TRNG health-test alarm: exit 3 (the interface scripts rely
        // on), after the bytes delivered before it.
        commands::Outcome::Alarm => 3,
    };
    let _ = std::io::stdout().flush();
    std::process::exit(code)
}
