//! `scu` — the SCU generator's command line.

mod cli;
// File formats (`scu::formats`) and the simulated-hardware facade (`scu::hw`) live in the
// library target so the integration tests can reach them too.

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
