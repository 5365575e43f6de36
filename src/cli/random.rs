//! `random`: bytes from the SCU's TRNG, read word by word from `TRNG_DATA` through the driver
//! (each word big-endian), so that an alarm stops the output after the words delivered before
//! it. [`deliver`] is shared by `scu sim random` — the simulated TRNG's raw input driven by the
//! golden model's noise source, with an optional fault switched on at a chosen sample — and
//! `scu board random`. An alarm exits 3 after writing only the bytes delivered before it,
//! naming the tests from `TRNG_STATUS` and the sample from `TRNG_ALARM_SAMPLE` (docs/cli.md).

use super::commands::{Outcome, Target};
use super::output_file::{write_atomically, Secrecy};
use super::sim::SimTarget;
use super::{CliError, PresetArgs};
use scu_golden::trng::{test_names, Fault};
use serde_json::{json, Map, Value};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct RandomArgs {
    #[command(flatten)]
    preset: PresetArgs,
    #[command(flatten)]
    output: Output,
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
}

/// What every `random` takes: how many bytes and where they go.
#[derive(clap::Args, Debug)]
pub struct Output {
    /// How many bytes to produce.
    #[arg(long)]
    bytes: usize,
    /// Write the raw bytes here (hex on stdout otherwise).
    #[arg(long)]
    out: Option<PathBuf>,
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

/// Largest request: a safety bound on simulation time (about 5 cycles per output bit).
pub const MAX_BYTES: usize = 1 << 20;

pub fn run(a: RandomArgs) -> Result<Outcome, CliError> {
    let params = a.preset.params()?;
    check_count(a.output.bytes)?;
    let fault: Fault = a.fault.parse().map_err(CliError::Input)?;
    let mut target = SimTarget::with(&a.preset, a.seed)?;
    target.schedule_fault(a.fault_at, fault);
    let mut extra = Map::new();
    extra.insert(
        "trng_min_entropy".into(),
        json!(params.trng_min_entropy.bits()),
    );
    extra.insert("fault".into(), json!(a.fault));
    extra.insert("fault_at".into(), json!(a.fault_at));
    extra.insert("seed".into(), json!(target.seed()));
    deliver(&mut target, &a.output, extra, Some(a.fault_at))
}

pub fn check_count(bytes: usize) -> Result<(), CliError> {
    if bytes == 0 || bytes > MAX_BYTES {
        return Err(CliError::Input(format!(
            "--bytes must be between 1 and {MAX_BYTES}, got {bytes}"
        )));
    }
    Ok(())
}

/// Reads the bytes from the target's TRNG and writes or prints them. `extra` are fields of the
/// JSON object; `onset` is the raw sample a simulated fault starts at, for the alarm report.
pub fn deliver<T: Target>(
    t: &mut T,
    o: &Output,
    extra: Map<String, Value>,
    onset: Option<u64>,
) -> Result<Outcome, CliError> {
    check_count(o.bytes)?;
    let scu = t.scu()?;
    let result = scu::device::random_bytes(scu, o.bytes);
    t.check()?;
    let (bytes, alarm) = result.map_err(|e| CliError::Failed(format!("the SCU failed: {e}")))?;

    if let Some(path) = &o.out {
        write_atomically(path, &bytes, Secrecy::Secret)?;
    }
    let alarm_json =
        alarm.map(|(tests, after)| json!({"tests": test_names(tests), "after_samples": after}));
    if o.json {
        let mut obj = Map::new();
        obj.insert("command".into(), json!("random"));
        t.describe(&mut obj);
        obj.extend(extra);
        obj.insert("bytes".into(), json!(bytes.len()));
        obj.insert("alarm".into(), json!(alarm_json));
        if o.out.is_none() {
            obj.insert("hex".into(), json!(hex::encode(&bytes)));
        }
        println!("{}", Value::Object(obj));
    } else if o.out.is_none() && !bytes.is_empty() {
        println!("{}", hex::encode(&bytes));
    }
    match alarm {
        None => Ok(Outcome::Done),
        Some((tests, after)) => {
            let onset = match onset {
                Some(at) => format!(
                    " ({} after the fault's onset at {at})",
                    u64::from(after).saturating_sub(at)
                ),
                None => String::new(),
            };
            eprintln!(
                "alarm: {} test after {after} raw samples{onset}; {} byte(s) delivered before it",
                test_names(tests).join(" + "),
                bytes.len()
            );
            Ok(Outcome::Alarm)
        }
    }
}
