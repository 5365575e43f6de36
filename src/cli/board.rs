//! `scu board`: the commands of `scu sim` run on an SCU board through its UART link
//! (`docs/host-protocol.md`). The driver (`scu_driver::Scu`) talks over
//! `scu_driver::link::UartBus` on a [`SerialTransport`]; the per-command code is
//! `commands.rs`'s, the same as for the simulated SCU. `status` adds what only a board needs:
//! the link's INFO and the SCU's status and TRNG registers.
//!
//! A link failure (no port, no answer within `--timeout-ms`, a damaged response, an error
//! status) is one `error:` line and exit 1 — except for `verify`, where anything that prevents
//! a verdict exits 2 as in `scu sim verify` (1 means "invalid").

use super::commands::{self, Outcome, Target};
use super::random;
use super::CliError;
use scu::board_link::{describe, SerialTransport};
use scu_driver::link::{LinkInfo, UartBus};
use scu_driver::{Scu, Status, TrngStatus};
use serde_json::{json, Map, Value};
use std::path::PathBuf;
use std::time::Duration;

#[derive(clap::Args, Debug)]
pub struct BoardArgs {
    /// The board's serial port (e.g. /dev/ttyUSB1), or a pseudo-terminal.
    #[arg(long, value_name = "PATH")]
    port: PathBuf,
    /// Line speed; every SCU board runs at 115200.
    #[arg(long, default_value_t = 115_200, value_parser = parse_baud)]
    baud: u32,
    /// How long to wait for each response before giving up.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    timeout_ms: u64,
    #[command(subcommand)]
    command: BoardCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum BoardCommand {
    /// Public key Q = d·G of a private key given with --d, or of a fresh random one.
    Keygen(commands::KeygenArgs),
    /// ECDSA-sign the SHA-256 digest of a message (RFC 6979 nonce unless --nonce).
    Sign(commands::SignArgs),
    /// Check an ECDSA signature: exit 0 valid, 1 invalid, 2 usage, I/O or link error.
    Verify(commands::VerifyArgs),
    /// ECDH: print the x-coordinate of d·P (64 hex digits).
    Ecdh(commands::EcdhArgs),
    /// Bytes from the board's TRNG (exit 3 if its health tests raise an alarm).
    Random(random::Output),
    /// The link's INFO and the SCU's status, errors and TRNG state.
    Status(StatusArgs),
}

#[derive(clap::Args, Debug)]
pub struct StatusArgs {
    /// Print one JSON object instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(a: BoardArgs) -> Result<Outcome, CliError> {
    let mut t = BoardTarget {
        port: a.port,
        baud: a.baud,
        timeout: Duration::from_millis(a.timeout_ms),
        info: None,
        scu: None,
    };
    match a.command {
        BoardCommand::Keygen(c) => commands::keygen(&mut t, c),
        BoardCommand::Sign(c) => commands::sign(&mut t, c),
        BoardCommand::Verify(c) => commands::verify(&mut t, c),
        BoardCommand::Ecdh(c) => commands::ecdh(&mut t, c),
        BoardCommand::Random(o) => random::deliver(&mut t, &o, Map::new(), None),
        BoardCommand::Status(s) => status(&mut t, s.json),
    }
}

fn parse_baud(text: &str) -> Result<u32, String> {
    let baud: u32 = text.parse().map_err(|e| format!("{e}"))?;
    if scu::board_link::supported_bauds().any(|b| b == baud) {
        Ok(baud)
    } else {
        Err(format!(
            "not a termios baud (one of {})",
            scu::board_link::supported_bauds()
                .map(|b| b.to_string())
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// Seconds of `STATUS` polling before the driver gives up on a command: far beyond the
/// slowest command of the smallest preset at any board clock.
const POLL_SECONDS: u64 = 60;

/// An SCU board at the end of a serial port, connected on first use.
pub struct BoardTarget {
    port: PathBuf,
    baud: u32,
    timeout: Duration,
    info: Option<LinkInfo>,
    scu: Option<Scu<UartBus<SerialTransport>>>,
}

impl BoardTarget {
    fn link_failed(&self, e: scu_driver::link::LinkError) -> CliError {
        CliError::Failed(format!("link to {}: {}", self.port.display(), describe(e)))
    }
}

impl Target for BoardTarget {
    type Bus = UartBus<SerialTransport>;

    /// Opens the port, asks INFO and checks `ID`.
    fn scu(&mut self) -> Result<&mut Scu<Self::Bus>, CliError> {
        if self.scu.is_none() {
            let port = SerialTransport::open(&self.port, self.baud, self.timeout)
                .map_err(|e| CliError::Io(format!("cannot open {}: {e}", self.port.display())))?;
            let mut bus = UartBus::new(port);
            let info = bus.info().map_err(|e| self.link_failed(e))?;
            let mut scu = Scu::new(bus, true);
            // A STATUS poll is two 10-byte frames: 200 bit times.
            scu.set_poll_limit(POLL_SECONDS * u64::from(self.baud) / 200);
            let probed = scu.probe();
            if let Some(e) = scu.bus_ref().error() {
                return Err(self.link_failed(e));
            }
            let id = probed.map_err(|e| {
                CliError::Failed(format!("no SCU behind {}: {e}", self.port.display()))
            })?;
            if id.word_width != info.word_width {
                return Err(CliError::Failed(format!(
                    "{}: the link reports W = {} but the SCU's ID says {}",
                    self.port.display(),
                    info.word_width,
                    id.word_width
                )));
            }
            self.info = Some(info);
            self.scu = Some(scu);
        }
        Ok(self.scu.as_mut().expect("just connected"))
    }

    fn check(&mut self) -> Result<(), CliError> {
        match self.scu.as_ref().and_then(|s| s.bus_ref().error()) {
            Some(e) => Err(self.link_failed(e)),
            None => Ok(()),
        }
    }

    fn counts_cycles(&self) -> bool {
        false
    }

    fn last_cycles(&mut self) -> Option<u64> {
        None
    }

    fn describe(&self, object: &mut Map<String, Value>) {
        object.insert("port".into(), json!(self.port.display().to_string()));
        object.insert("word_width".into(), json!(self.info.map(|i| i.word_width)));
    }
}

fn status(t: &mut BoardTarget, as_json: bool) -> Result<Outcome, CliError> {
    let scu = t.scu()?;
    let map_version = scu.probe().map(|i| i.version);
    let s = scu.status();
    let trng = scu.trng_status();
    t.check()?;
    let map_version = map_version
        .map_err(|e| CliError::Failed(format!("no SCU behind {}: {e}", t.port.display())))?;
    let info = t.info.expect("connected");
    if as_json {
        let mut o = Map::new();
        o.insert("command".into(), json!("status"));
        t.describe(&mut o);
        o.insert(
            "link".into(),
            json!({
                "version": info.version,
                "slots": info.slots,
                "max_words": info.max_words,
                "clocks_per_bit": info.clocks_per_bit,
                "baud": t.baud,
            }),
        );
        o.insert("map_version".into(), json!(map_version));
        o.insert("scu".into(), status_json(&s));
        o.insert("trng".into(), trng_json(&trng));
        println!("{}", Value::Object(o));
    } else {
        println!(
            "scu: word width {}, {} slots, register map version {map_version}",
            info.word_width, info.slots
        );
        println!(
            "link: protocol {}, {} words per frame, {} clocks per bit, host at {} baud",
            info.version, info.max_words, info.clocks_per_bit, t.baud
        );
        println!("{}", status_line(&s));
        println!(
            "errors: ERR {}, last {}, {} violation(s)",
            s.err.name(),
            s.last.name(),
            s.violations
        );
        println!("{}", trng_line(&trng));
    }
    Ok(Outcome::Done)
}

fn status_json(s: &Status) -> Value {
    json!({
        "busy": s.busy,
        "done": s.done,
        "engine_status": s.engine_status.name(),
        "lockdown": s.lockdown,
        "trng_alarm": s.trng_alarm,
        "trng_ready": s.trng_ready,
        "alert": s.alert,
        "err": s.err.name(),
        "last": s.last.name(),
        "violations": s.violations,
    })
}

fn trng_json(t: &TrngStatus) -> Value {
    json!({
        "alarm": t.alarm,
        "alarm_tests": scu_golden::trng::test_names(t.alarm_test),
        "startup_done": t.startup_done,
        "ready": t.ready,
        "rct_fails": t.rct_fails,
        "apt_fails": t.apt_fails,
        "lag_fails": t.lag_fails,
        "samples": t.samples,
        "alarm_sample": t.alarm_sample,
    })
}

fn yes(b: bool, word: &str) -> String {
    if b {
        word.to_string()
    } else {
        format!("no {word}")
    }
}

fn status_line(s: &Status) -> String {
    format!(
        "status: {}, {}, {}, {}",
        if s.busy { "busy" } else { "idle" },
        if s.done {
            format!("last command done ({})", s.engine_status.name())
        } else {
            "no command done".into()
        },
        yes(s.lockdown, "lockdown"),
        yes(s.alert, "alert"),
    )
}

fn trng_line(t: &TrngStatus) -> String {
    let alarm = if t.alarm {
        format!(
            "ALARM ({} test at sample {})",
            scu_golden::trng::test_names(t.alarm_test).join(" + "),
            t.alarm_sample
        )
    } else {
        "no alarm".into()
    };
    format!(
        "trng: {}, {}, {alarm}; {} samples; failures RCT {}, APT {}, lag-1 {}",
        if t.ready { "ready" } else { "not ready" },
        if t.startup_done {
            "startup done"
        } else {
            "starting up"
        },
        t.samples,
        t.rct_fails,
        t.apt_fails,
        t.lag_fails
    )
}
