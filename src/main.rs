//! `scu` — the SCU generator's command line.

mod cli;
// Key, signature and digest file formats live in the library target (`scu::formats`,
// src/formats/) so the integration tests can reach them; no command uses them yet: the
// `scu sim` commands of the engine issue will.

use clap::Parser;
use std::process::ExitCode;

fn main() -> ExitCode {
    let args = cli::Cli::parse();
    match cli::run(args) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            // One line, so scripts and people see the cause without a backtrace.
            eprintln!("error: {e}");
            ExitCode::from(e.exit_code())
        }
    }
}
