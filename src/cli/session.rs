//! `scu sim session`: one simulated SCU kept alive across commands read from stdin, one per
//! line, as software on the SoC would drive the device between resets. Every command goes
//! through the driver (`scu_driver::Scu`) and the Wishbone bus of the Verilated SCU top.
//!
//! Each line prints exactly one result line: text (`ok STATUS key=value …` / `refused CODE` /
//! `failed STATUS` / `error STATUS: message`) or, with `--json`, one JSON object with at least
//! `"ok"` and `"status"`. A refused or failed command is a result, never the end of the
//! session; only an unreadable stdin ends it early (exit 1). Commands run privileged unless
//! the line starts with `user:`.

use super::{CliError, PresetArgs};
use clap::Parser;
use scu::device::SimScu;
use scu::formats::{self, Bytes32};
use scu_driver::regmap::scu::cmd::op;
use scu_driver::{EngineStatus, Error, PublicKey, Scu, Signature, SlotPolicy};
use serde_json::{json, Map, Value};
use std::io::BufRead;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct SessionArgs {
    #[command(flatten)]
    preset: PresetArgs,
    /// Print one JSON object per command instead of a text line.
    #[arg(long)]
    json: bool,
    /// Seed of the simulated noise source [default: from the operating system].
    #[arg(long)]
    seed: Option<u64>,
}

/// One line of the session, parsed with the same flag names as the `scu sim` subcommands.
#[derive(Parser, Debug)]
#[command(no_binary_name = true, disable_help_flag = true)]
enum Line {
    /// KEYGEN_SLOT (d from the TRNG, never leaves the SCU) or KEYGEN_EXT with --d.
    Keygen {
        #[arg(long, conflicts_with = "d", required_unless_present = "d")]
        slot: Option<u8>,
        #[arg(long, value_name = "HEX")]
        d: Option<String>,
    },
    /// IMPORT_SLOT: store private key --d in the slot and write-lock it.
    Import {
        #[arg(long)]
        slot: u8,
        #[arg(long, value_name = "HEX")]
        d: String,
    },
    /// PUBKEY_SLOT.
    Pubkey {
        #[arg(long)]
        slot: u8,
    },
    /// SIGN_SLOT (k from the TRNG) or SIGN_EXT with --d and --nonce.
    Sign {
        #[arg(long, conflicts_with_all = ["d", "nonce"], required_unless_present = "d")]
        slot: Option<u8>,
        #[arg(long, value_name = "HEX", requires = "nonce")]
        d: Option<String>,
        #[arg(long, value_name = "HEX")]
        nonce: Option<String>,
        #[arg(long, value_name = "HEX", required_unless_present = "msg")]
        digest: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "digest")]
        msg: Option<PathBuf>,
    },
    /// VERIFY a DER (or --raw r‖s) signature under a public key.
    Verify {
        #[arg(long = "pub", value_name = "HEX")]
        public: String,
        #[arg(long, value_name = "HEX")]
        sig: String,
        #[arg(long, value_name = "HEX", required_unless_present = "msg")]
        digest: Option<String>,
        #[arg(long, value_name = "FILE", conflicts_with = "digest")]
        msg: Option<PathBuf>,
        #[arg(long)]
        raw: bool,
    },
    /// ECDH_SLOT or ECDH_EXT with --d.
    Ecdh {
        #[arg(long, conflicts_with = "d", required_unless_present = "d")]
        slot: Option<u8>,
        #[arg(long, value_name = "HEX")]
        d: Option<String>,
        #[arg(long, value_name = "HEX")]
        peer: String,
    },
    /// Set a slot's allowed operations (SLOT_POLICY allow bits; lock bits are kept).
    Policy {
        #[arg(long)]
        slot: u8,
        #[arg(long)]
        sign: bool,
        #[arg(long)]
        ecdh: bool,
    },
    /// Set a slot's write lock and/or use lock (sticky until reset).
    Lock {
        #[arg(long)]
        slot: u8,
        #[arg(long)]
        write: bool,
        #[arg(long = "use")]
        use_: bool,
    },
    /// USER_ALLOW: the CMD ops user accesses may issue (comma-separated names or a mask).
    Allow {
        #[arg(long)]
        ops: String,
        #[arg(long)]
        lock: bool,
    },
    /// LOCKDOWN_THRESHOLD (0 = never).
    Threshold {
        #[arg(long)]
        violations: u8,
        #[arg(long)]
        lock: bool,
    },
    /// ZEROIZE every slot and engine register.
    Zeroize,
    /// STATUS, ERR, VIOLATIONS.
    Status,
    /// Bytes from TRNG_DATA.
    Random {
        #[arg(long)]
        bytes: usize,
    },
    /// Pulse the SCU's reset (slots, locks and counters return to their reset values).
    Reset,
}

/// Largest `random --bytes` in a session line.
const MAX_RANDOM: usize = 1 << 16;

pub fn run(a: SessionArgs) -> Result<(), CliError> {
    let params = a.preset.sim_params()?;
    let seed = super::noise_seed(a.seed)?;
    let sim = SimScu::new(params.word_width, seed, false)
        .map_err(|e| CliError::Failed(format!("cannot start the simulated SCU: {e}")))?;
    let mut scu = Scu::new(sim, true);
    if let Err(e) = scu.probe() {
        return Err(CliError::Failed(format!(
            "the simulated SCU does not answer: {e:?}"
        )));
    }
    let stdin = std::io::stdin();
    for line in stdin.lock().lines() {
        let line = line.map_err(|e| CliError::Io(format!("cannot read stdin: {e}")))?;
        let text = line.trim();
        if text.is_empty() || text.starts_with('#') {
            continue;
        }
        let result = one(&mut scu, text);
        print_result(&result, a.json);
    }
    Ok(())
}

/// What one line produced.
struct Result1 {
    command: String,
    ok: bool,
    status: String,
    fields: Map<String, Value>,
    error: Option<String>,
}

impl Result1 {
    fn ok(command: &str) -> Self {
        Result1 {
            command: command.into(),
            ok: true,
            status: "OK".into(),
            fields: Map::new(),
            error: None,
        }
    }

    fn with(mut self, key: &str, v: Value) -> Self {
        self.fields.insert(key.into(), v);
        self
    }

    fn usage(command: &str, msg: String) -> Self {
        Result1 {
            command: command.into(),
            ok: false,
            status: "USAGE".into(),
            fields: Map::new(),
            error: Some(msg),
        }
    }

    fn from_error(command: &str, e: Error) -> Self {
        let (status, refused, error) = match e {
            Error::Refused(code) => (code.name().to_string(), true, None),
            Error::Engine(s) => (s.name().to_string(), false, None),
            Error::TrngAlarm { tests } => (
                "TRNG_ALARM".to_string(),
                false,
                Some(format!(
                    "health tests raised the alarm: {}",
                    scu_golden::trng::test_names(tests).join(", ")
                )),
            ),
            Error::Timeout => ("TIMEOUT".into(), false, Some("still busy".into())),
            Error::Denied => ("DENIED".into(), true, None),
            Error::NotScu { id } => ("NOT_SCU".into(), false, Some(format!("ID {id:#010x}"))),
            Error::BadArgument => (
                "USAGE".into(),
                false,
                Some("slot or op out of the CMD field's range".into()),
            ),
            Error::Aborted => (
                "ABORTED".into(),
                false,
                Some("the command ended without done (lockdown or reset)".into()),
            ),
        };
        let mut r = Result1 {
            command: command.into(),
            ok: false,
            status,
            fields: Map::new(),
            error,
        };
        r.fields.insert("refused".into(), json!(refused));
        r
    }
}

fn print_result(r: &Result1, as_json: bool) {
    if as_json {
        let mut o = Map::new();
        o.insert("command".into(), json!(r.command));
        o.insert("ok".into(), json!(r.ok));
        o.insert("status".into(), json!(r.status));
        for (k, v) in &r.fields {
            o.insert(k.clone(), v.clone());
        }
        if let Some(e) = &r.error {
            o.insert("error".into(), json!(e));
        }
        println!("{}", Value::Object(o));
    } else {
        let mut s = if r.ok {
            format!("ok {}", r.status)
        } else if r.fields.get("refused") == Some(&json!(true)) {
            format!("refused {}", r.status)
        } else {
            format!("failed {}", r.status)
        };
        for (k, v) in &r.fields {
            if k == "refused" {
                continue;
            }
            match v {
                Value::String(t) => s.push_str(&format!(" {k}={t}")),
                other => s.push_str(&format!(" {k}={other}")),
            }
        }
        if let Some(e) = &r.error {
            s.push_str(&format!(": {e}"));
        }
        println!("{s}");
    }
}

fn one(scu: &mut Scu<SimScu>, text: &str) -> Result1 {
    let (privileged, rest) = match text.strip_prefix("user:") {
        Some(rest) => (false, rest.trim()),
        None => (true, text),
    };
    let words: Vec<&str> = rest.split_whitespace().collect();
    let name = words.first().copied().unwrap_or("").to_string();
    let line = match Line::try_parse_from(&words) {
        Ok(l) => l,
        Err(e) => {
            let msg = e.to_string();
            let first = msg
                .lines()
                .next()
                .unwrap_or("")
                .trim_start_matches("error: ");
            return Result1::usage(&name, first.to_string());
        }
    };
    scu.set_privileged(privileged);
    let r = execute(scu, &name, line);
    scu.set_privileged(true);
    let mut r = match r {
        Ok(r) => r,
        Err(Fail::Scu(e)) => Result1::from_error(&name, e),
        Err(Fail::Usage(m)) => Result1::usage(&name, m),
    };
    if !privileged {
        r.fields.insert("user".into(), json!(true));
    }
    r
}

enum Fail {
    Scu(Error),
    Usage(String),
}

impl From<Error> for Fail {
    fn from(e: Error) -> Self {
        Fail::Scu(e)
    }
}

fn usage<E: std::fmt::Display>(e: E) -> Fail {
    Fail::Usage(e.to_string())
}

fn scalar(hex: &str) -> Result<Bytes32, Fail> {
    formats::parse_private_key_hex(hex).map_err(usage)
}

fn digest_of(digest: &Option<String>, msg: &Option<PathBuf>) -> Result<Bytes32, Fail> {
    match (digest, msg) {
        (Some(h), _) => formats::parse_digest_hex(h).map_err(usage),
        (None, Some(p)) => formats::digest_of_file(p).map_err(usage),
        (None, None) => Err(Fail::Usage("--digest or --msg is required".into())),
    }
}

fn point(hex: &str) -> Result<PublicKey, Fail> {
    let (x, y) = formats::parse_public_key_hex(hex).map_err(usage)?;
    Ok(PublicKey { x, y })
}

fn public_fields(r: Result1, q: &PublicKey) -> Result1 {
    r.with(
        "public",
        json!(format!("04{}{}", hex::encode(q.x), hex::encode(q.y))),
    )
}

fn signature_fields(r: Result1, sig: &Signature) -> Result1 {
    r.with(
        "signature",
        json!(hex::encode(formats::signature_to_der(&sig.r, &sig.s))),
    )
    .with("r", json!(hex::encode(sig.r)))
    .with("s", json!(hex::encode(sig.s)))
}

fn cycles(r: Result1, scu: &mut Scu<SimScu>) -> Result1 {
    match scu.bus().last_command_cycles() {
        Some(c) => r.with("cycles", json!(c)),
        None => r,
    }
}

/// USER_ALLOW ops: a number (decimal or 0x hex) or comma-separated op names.
fn parse_ops(text: &str) -> Result<u16, Fail> {
    if let Some(h) = text.strip_prefix("0x") {
        return u16::from_str_radix(h, 16).map_err(usage);
    }
    if let Ok(n) = text.parse::<u16>() {
        return Ok(n);
    }
    let mut mask = 0u16;
    for name in text.split(',').filter(|s| !s.is_empty()) {
        let upper = name.trim().to_ascii_uppercase();
        let v = op::ALL
            .iter()
            .find(|v| v.name == upper)
            .ok_or_else(|| Fail::Usage(format!("unknown op {name:?}")))?;
        mask |= 1 << v.value;
    }
    Ok(mask)
}

fn execute(scu: &mut Scu<SimScu>, name: &str, line: Line) -> Result<Result1, Fail> {
    let ok = Result1::ok(name);
    Ok(match line {
        Line::Keygen { slot: Some(s), .. } => {
            let q = scu.keygen(s)?;
            cycles(public_fields(ok.with("slot", json!(s)), &q), scu)
        }
        Line::Keygen { d, .. } => {
            let d = scalar(d.as_deref().unwrap_or_default())?;
            let q = scu.keygen_ext(&d)?;
            cycles(public_fields(ok, &q), scu)
        }
        Line::Import { slot, d } => {
            let d = scalar(&d)?;
            let q = scu.import(slot, &d)?;
            cycles(public_fields(ok.with("slot", json!(slot)), &q), scu)
        }
        Line::Pubkey { slot } => {
            let q = scu.public_key(slot)?;
            cycles(public_fields(ok.with("slot", json!(slot)), &q), scu)
        }
        Line::Sign {
            slot,
            d,
            nonce,
            digest,
            msg,
        } => {
            let z = digest_of(&digest, &msg)?;
            let sig = match slot {
                Some(s) => scu.sign(s, &z)?,
                None => {
                    let d = scalar(d.as_deref().unwrap_or_default())?;
                    let k = scalar(nonce.as_deref().unwrap_or_default())?;
                    scu.sign_ext(&d, &z, &k)?
                }
            };
            let r = match slot {
                Some(s) => ok.with("slot", json!(s)),
                None => ok,
            };
            cycles(signature_fields(r, &sig), scu)
        }
        Line::Verify {
            public,
            sig,
            digest,
            msg,
            raw,
        } => {
            let q = point(&public)?;
            let z = digest_of(&digest, &msg)?;
            let bytes = hex::decode(sig.trim()).map_err(usage)?;
            let (r, s) = if raw {
                formats::parse_signature_p1363(&bytes)
            } else {
                formats::parse_signature_der(&bytes)
            }
            .map_err(usage)?;
            let valid = scu.verify(&q, &z, &Signature { r, s })?;
            let mut out = cycles(ok.with("valid", json!(valid)), scu);
            if !valid {
                out.ok = false;
                out.status = EngineStatus::InvalidSig.name().into();
            }
            out
        }
        Line::Ecdh { slot, d, peer } => {
            let p = point(&peer)?;
            let x = match slot {
                Some(s) => scu.ecdh(s, &p)?,
                None => scu.ecdh_ext(&scalar(d.as_deref().unwrap_or_default())?, &p)?,
            };
            cycles(ok.with("shared", json!(hex::encode(x))), scu)
        }
        Line::Policy { slot, sign, ecdh } => {
            let cur = scu.slot(slot)?;
            scu.set_policy(
                slot,
                SlotPolicy {
                    allow_sign: sign,
                    allow_ecdh: ecdh,
                    ..cur.policy
                },
            )?;
            ok.with("slot", json!(slot))
        }
        Line::Lock { slot, write, use_ } => {
            if !write && !use_ {
                return Err(Fail::Usage("lock needs --write and/or --use".into()));
            }
            scu.lock_slot(slot, write, use_)?;
            ok.with("slot", json!(slot))
        }
        Line::Allow { ops, lock } => {
            let mask = parse_ops(&ops)?;
            scu.set_user_allow(mask, lock)?;
            ok.with("ops", json!(format!("{mask:#06x}")))
        }
        Line::Threshold { violations, lock } => {
            scu.set_lockdown_threshold(violations, lock)?;
            ok.with("threshold", json!(violations))
        }
        Line::Zeroize => {
            scu.zeroize()?;
            cycles(ok, scu)
        }
        Line::Status => {
            let s = scu.status();
            ok.with("busy", json!(s.busy))
                .with("done", json!(s.done))
                .with("engine_status", json!(s.engine_status.name()))
                .with("lockdown", json!(s.lockdown))
                .with("trng_alarm", json!(s.trng_alarm))
                .with("alert", json!(s.alert))
                .with("err", json!(s.err.name()))
                .with("last", json!(s.last.name()))
                .with("violations", json!(s.violations))
        }
        Line::Random { bytes } => {
            if bytes == 0 || bytes > MAX_RANDOM {
                return Err(Fail::Usage(format!(
                    "--bytes must be between 1 and {MAX_RANDOM}"
                )));
            }
            let mut out = vec![0u8; bytes];
            scu.random(&mut out)?;
            ok.with("bytes", json!(hex::encode(out)))
        }
        Line::Reset => {
            scu.bus().reset();
            scu.wait_idle()?;
            ok
        }
    })
}
