//! Argument parsing and dispatch; each subcommand lives in its own file.

mod generate;
mod output_dir;

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
}

/// A failure the user can act on. Bad input and I/O problems exit with 2 and 1 as
/// conventional for command-line tools (clap itself uses 2 for malformed flags).
#[derive(Debug)]
pub enum CliError {
    Input(String),
    Io(String),
}

impl CliError {
    pub fn exit_code(&self) -> u8 {
        match self {
            CliError::Input(_) => 2,
            CliError::Io(_) => 1,
        }
    }
}

impl fmt::Display for CliError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            CliError::Input(s) | CliError::Io(s) => f.write_str(s),
        }
    }
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
    }
}
