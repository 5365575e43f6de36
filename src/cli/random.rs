//! `scu sim random`: bytes from the simulated TRNG core of a preset, its raw input driven by
//! the golden model's noise source, with an optional fault switched on at a chosen sample.
//!
//! The bytes come through the driver and the bus of the simulated SCU (`TRNG_DATA`, word by
//! word, each word big-endian), its TRNG's raw input fed by the noise model. An alarm exits 3
//! after writing only the bytes delivered before it, naming the tests from `TRNG_STATUS` and
//! the sample from `TRNG_ALARM_SAMPLE` (docs/cli.md).

use super::output_file::{write_atomically, Secrecy};
use super::{CliError, PresetArgs};
use scu::device::SimScu;
use scu_driver::Scu;
use scu_golden::trng::{test_names, Fault};
use serde_json::json;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct RandomArgs {
    #[command(flatten)]
    preset: PresetArgs,
    /// How many bytes to produce.
    #[arg(long)]
    bytes: usize,
    /// Write the raw bytes here (hex on stdout otherwise).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Fault injected into the noise source: none, stuck0, stuck1, bias, stop (also
    /// bias:P, alternating, periodic:L, markov:STAY).
    #[arg(long, default_value = "none")]
    fault: String,
    /// Raw sample at which the fault starts [default: 2048, after the 1024-sample startup
    /// test, so some output precedes it].
    #[arg(long, default_value_t = 2048)]
    fault_at: u64,
    /// Seed of the noise source [default: from the operating system].
    #[arg(long)]
    seed: Option<u64>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Largest request: a safety bound on simulation time (about 5 cycles per output bit).
pub const MAX_BYTES: usize = 1 << 20;

/// Whether the health tests stopped the run.
#[derive(Debug, PartialEq, Eq)]
pub enum RandomOutcome {
    Done,
    Alarm,
}

pub fn run(a: RandomArgs) -> Result<RandomOutcome, CliError> {
    let params = a.preset.params()?;
    if a.bytes == 0 || a.bytes > MAX_BYTES {
        return Err(CliError::Input(format!(
            "--bytes must be between 1 and {MAX_BYTES}, got {}",
            a.bytes
        )));
    }
    let fault: Fault = a.fault.parse().map_err(CliError::Input)?;
    let seed = super::noise_seed(a.seed)?;
    let h = params.trng_min_entropy;
    let mut sim = SimScu::new(params.word_width, seed, false)
        .map_err(|e| CliError::Failed(format!("cannot start the simulated SCU: {e}")))?;
    sim.schedule_fault(a.fault_at, fault);
    let mut scu = Scu::new(sim, true);
    let (bytes, alarm) = scu::device::random_bytes(&mut scu, a.bytes)
        .map_err(|e| CliError::Failed(format!("the simulated SCU failed: {e}")))?;

    if let Some(path) = &a.out {
        write_atomically(path, &bytes, Secrecy::Secret)?;
    }
    let alarm_json =
        alarm.map(|(tests, after)| json!({"tests": test_names(tests), "after_samples": after}));
    if a.json {
        let mut o = json!({
            "command": "random",
            "preset": a.preset.preset,
            "trng_min_entropy": h.bits(),
            "fault": a.fault,
            "fault_at": a.fault_at,
            "seed": seed,
            "bytes": bytes.len(),
            "alarm": alarm_json,
        });
        if a.out.is_none() {
            o["hex"] = json!(hex::encode(&bytes));
        }
        println!("{o}");
    } else if a.out.is_none() && !bytes.is_empty() {
        println!("{}", hex::encode(&bytes));
    }
    match alarm {
        None => Ok(RandomOutcome::Done),
        Some((tests, after)) => {
            let since = u64::from(after).saturating_sub(a.fault_at);
            eprintln!(
                "alarm: {} test after {after} raw samples ({since} after the fault's onset \
                 at {}); {} byte(s) delivered before it",
                test_names(tests).join(" + "),
                a.fault_at,
                bytes.len()
            );
            Ok(RandomOutcome::Alarm)
        }
    }
}
