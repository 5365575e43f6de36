//! The per-command code of `scu sim` and `scu board`: keygen, sign, verify and ECDH run by the
//! driver (`scu_driver::Scu`) on whatever [`Target`] carries the SCU's bus — the simulated SCU
//! of a preset, or a board behind a UART link — with keys, signatures and digests in the
//! OpenSSL-compatible formats of `scu::formats`.
//!
//! Software only prepares the inputs (decoding files, SHA-256 of the message, the RFC 6979
//! nonce, a random `d` for keygen) and encodes the outputs; every *value* check (d, k in
//! [1, n−1], points on the curve, r, s in range) is the engine's, reported through its status.
//!
//! Exit codes: 0 success; 2 unusable input — flags, file contents, or values the engine
//! rejects (BAD_SCALAR, BAD_POINT); 1 I/O errors, a target that cannot run the command (no
//! simulator, a link failure), or an operation that failed on valid input (R_ZERO/S_ZERO for a
//! given `--nonce`). `verify` differs: 0 valid, 1 invalid (including a key or signature that
//! does not decode), 2 anything that prevents a verdict (usage, I/O, the target). See
//! docs/cli.md.

use super::output_file::{write_atomically, Secrecy};
use super::CliError;
use rfc6979::bigint::U256;
use scu::formats::{self, Bytes32, FormatError};
use scu::hw;
use scu_driver::{Bus, Scu};
use scu_golden::engine::{Command, Status};
use serde_json::{json, Map, Value};
use sha2_rfc6979::Sha256;
use std::path::{Path, PathBuf};

/// What a command wants the process to do once it has printed its result.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    Done,
    /// `verify` decided "invalid" (already reported on stderr): exit 1.
    Invalid,
    /// `random` stopped on a TRNG alarm (already reported on stderr): exit 3.
    Alarm,
}

// ───────────────────────────── the target ─────────────────────────────

/// Where the SCU is: what `scu sim` and `scu board` differ in.
pub trait Target {
    type Bus: Bus;

    /// The driver on the SCU, connected on first use — after the inputs have been decoded, so
    /// that bad input never reaches the hardware.
    fn scu(&mut self) -> Result<&mut Scu<Self::Bus>, CliError>;

    /// After a driver call: whether the bus itself failed, which voids whatever the call
    /// returned (a link's reads are 0 from its first failure on).
    fn check(&mut self) -> Result<(), CliError>;

    /// Whether the target sees the SCU's clock (a simulator does; a board's host does not).
    fn counts_cycles(&self) -> bool;

    /// The SCU's clock cycles of the last command, CMD to irq (None if it cannot count them).
    fn last_cycles(&mut self) -> Option<u64>;

    /// The fields naming the target in every `--json` object (after `command`).
    fn describe(&self, object: &mut Map<String, Value>);
}

/// One `_EXT` command's result.
struct Run {
    status: Status,
    outputs: Vec<Bytes32>,
    cycles: Option<u64>,
}

/// Runs `cmd` as the SCU's `_EXT` command through the driver and the target's bus; λ of the
/// randomized projective coordinates comes from the SCU's TRNG (the results do not depend on
/// it; the latency does, by the few hundred cycles the draw takes).
fn execute<T: Target>(t: &mut T, cmd: Command, inputs: &[Bytes32]) -> Result<Run, CliError> {
    let scu = t.scu()?;
    let result = hw::run_ext(scu, cmd, inputs);
    // A failed link reads 0 everywhere: its error explains the result, not the other way round.
    t.check()?;
    let (status, outputs) = result.map_err(CliError::Failed)?;
    Ok(Run {
        status,
        outputs,
        cycles: t.last_cycles(),
    })
}

/// The fields every `--json` object starts with.
fn json_header<T: Target>(
    t: &T,
    command: &str,
    status: &str,
    cycles: Option<u64>,
) -> Map<String, Value> {
    let mut m = Map::new();
    m.insert("command".into(), json!(command));
    t.describe(&mut m);
    m.insert("status".into(), json!(status));
    // A target that counts cycles reports 0 for no run (an input that did not decode); one
    // that cannot count them reports null.
    let cycles = if t.counts_cycles() {
        json!(cycles.unwrap_or(0))
    } else {
        Value::Null
    };
    m.insert("cycles".into(), cycles);
    m
}

/// Cycles of consecutive runs, if the target counts them.
fn add_cycles(total: Option<u64>, more: Option<u64>) -> Option<u64> {
    Some(total.unwrap_or(0) + more?)
}

// ───────────────────────────── arguments ─────────────────────────────

#[derive(clap::Args, Debug)]
pub struct KeygenArgs {
    /// The private key d (64 hex digits) [default: random, from the operating system until
    /// the SCU's TRNG lands].
    #[arg(long, value_name = "HEX")]
    pub d: Option<String>,
    /// Also write the private key to FILE (PEM `EC PRIVATE KEY` with the public key, as
    /// `openssl ecparam -genkey -noout` writes; mode 0600; an existing file is replaced).
    #[arg(long, value_name = "FILE")]
    pub key_out: Option<PathBuf>,
    /// Print the public key as PEM (SubjectPublicKeyInfo) instead of 128 hex digits X‖Y.
    #[arg(long)]
    pub pem: bool,
    /// Print one JSON object (the result fields and "cycles") instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
#[group(required = true, multiple = false)]
pub struct MessageArgs {
    /// The message; its SHA-256 digest is what the engine signs or verifies.
    #[arg(long, value_name = "FILE")]
    pub msg: Option<PathBuf>,
    /// The SHA-256 digest itself (64 hex digits).
    #[arg(long, value_name = "HEX")]
    pub digest: Option<String>,
}

#[derive(clap::Args, Debug)]
pub struct SignArgs {
    /// Private key: a file (PEM or DER, SEC1 or PKCS#8; or 64 hex digits) or inline hex.
    #[arg(long, value_name = "PRIV")]
    pub key: String,
    #[command(flatten)]
    pub message: MessageArgs,
    /// The nonce k (64 hex digits) [default: derived from d and the digest by RFC 6979 with
    /// HMAC-SHA-256].
    #[arg(long, value_name = "HEX")]
    pub nonce: Option<String>,
    /// Raw 64-byte r‖s (IEEE P1363) instead of DER.
    #[arg(long)]
    pub raw: bool,
    /// Write the signature to FILE (binary) instead of printing it as hex.
    #[arg(long, value_name = "FILE")]
    pub out: Option<PathBuf>,
    /// Print one JSON object (the result fields and "cycles") instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Public key: a file (PEM or DER SubjectPublicKeyInfo; or hex) or inline hex (04‖X‖Y
    /// or X‖Y).
    #[arg(long = "pub", value_name = "PUB")]
    pub public: String,
    /// Signature: a file (DER, or r‖s with --raw; binary or hex text) or inline hex.
    #[arg(long, value_name = "SIG")]
    pub sig: String,
    #[command(flatten)]
    pub message: MessageArgs,
    /// The signature is raw 64-byte r‖s (IEEE P1363) instead of DER.
    #[arg(long)]
    pub raw: bool,
    /// Print one JSON object (the result fields and "cycles") instead of text.
    #[arg(long)]
    pub json: bool,
}

#[derive(clap::Args, Debug)]
pub struct EcdhArgs {
    /// Our private key: a file (PEM or DER, SEC1 or PKCS#8; or hex) or inline hex.
    #[arg(long, value_name = "PRIV")]
    pub key: String,
    /// The peer's public key: a file (PEM or DER SubjectPublicKeyInfo; or hex) or inline hex.
    #[arg(long, value_name = "PUB")]
    pub peer: String,
    /// Print one JSON object (the result fields and "cycles") instead of text.
    #[arg(long)]
    pub json: bool,
}

// ───────────────────────────── results ─────────────────────────────

/// The engine's status as docs/engine.md spells it.
pub fn status_name(status: Status) -> &'static str {
    match status {
        Status::Ok => "OK",
        Status::BadScalar => "BAD_SCALAR",
        Status::BadPoint => "BAD_POINT",
        Status::RZero => "R_ZERO",
        Status::SZero => "S_ZERO",
        Status::InvalidSig => "INVALID_SIG",
        Status::BadCmd => "BAD_CMD",
    }
}

fn unexpected(cmd: Command, status: Status) -> CliError {
    CliError::Failed(format!(
        "the engine answered {} to {cmd:?}, a status that command never returns",
        status_name(status)
    ))
}

/// The `N` outputs of a successful run.
fn outputs<const N: usize>(cmd: Command, run: &Run) -> Result<[Bytes32; N], CliError> {
    run.outputs.as_slice().try_into().map_err(|_| {
        CliError::Failed(format!(
            "the engine returned {} outputs for {cmd:?}, expected {N}",
            run.outputs.len()
        ))
    })
}

fn print_json(object: Map<String, Value>) {
    println!("{}", Value::Object(object));
}

fn print_cycles(cycles: Option<u64>) {
    if let Some(c) = cycles {
        eprintln!("cycles: {c}");
    }
}

// ───────────────────────────── inputs ─────────────────────────────

fn input_error(e: FormatError) -> CliError {
    match e {
        FormatError::Io { .. } => CliError::Io(e.to_string()),
        _ => CliError::Input(e.to_string()),
    }
}

fn strip_hex(text: &str) -> &str {
    let t = text.trim();
    t.strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t)
}

/// Whether a command-line value that names no existing file is meant as inline hex.
fn looks_like_hex(text: &str) -> bool {
    let t = strip_hex(text);
    t.len() >= 16 && t.bytes().all(|b| b.is_ascii_hexdigit())
}

/// A key or signature argument: a file's contents, or hex given inline.
enum Given {
    File { path: PathBuf, bytes: Vec<u8> },
    Inline(String),
}

impl Given {
    /// Reads the file the argument names; only a value that names no existing file and is
    /// all hex digits is taken inline. The only errors are I/O errors.
    fn read(arg: &str) -> Result<Given, FormatError> {
        let path = Path::new(arg);
        if !path.exists() && looks_like_hex(arg) {
            return Ok(Given::Inline(arg.to_string()));
        }
        Ok(Given::File {
            path: path.to_path_buf(),
            bytes: formats::read_file(path)?,
        })
    }

    /// Decodes the contents; the message names the file it came from.
    fn decode<T>(
        &self,
        file: impl FnOnce(&[u8]) -> Result<T, FormatError>,
        inline: impl FnOnce(&str) -> Result<T, FormatError>,
    ) -> Result<T, String> {
        match self {
            Given::File { path, bytes } => {
                file(bytes).map_err(|e| format!("{}: {e}", path.display()))
            }
            Given::Inline(text) => inline(text).map_err(|e| e.to_string()),
        }
    }
}

fn private_key(arg: &str) -> Result<Bytes32, CliError> {
    Given::read(arg)
        .map_err(input_error)?
        .decode(formats::parse_private_key, formats::parse_private_key_hex)
        .map_err(CliError::Input)
}

fn public_key_given(given: &Given) -> Result<(Bytes32, Bytes32), String> {
    given.decode(formats::parse_public_key, formats::parse_public_key_hex)
}

fn signature_given(given: &Given, raw: bool) -> Result<(Bytes32, Bytes32), String> {
    let parse = |bytes: &[u8]| {
        if raw {
            formats::parse_signature_p1363(bytes)
        } else {
            formats::parse_signature_der(bytes)
        }
    };
    let from_hex = |text: &str| {
        hex::decode(strip_hex(text)).map_err(|e| FormatError::Invalid {
            what: "signature",
            expected: "hex digits".into(),
            found: e.to_string(),
        })
    };
    given.decode(
        |bytes| {
            // `scu sim sign` prints hex; accept a file holding that text as well as binary.
            // (Binary DER always holds a 0x02 byte, so it is never all hex digits.)
            match std::str::from_utf8(bytes) {
                Ok(text) if looks_like_hex(text) => parse(&from_hex(text)?),
                _ => parse(bytes),
            }
        },
        |text| parse(&from_hex(text)?),
    )
}

fn digest(m: &MessageArgs) -> Result<Bytes32, CliError> {
    match (&m.msg, &m.digest) {
        (Some(path), _) => formats::digest_of_file(path).map_err(input_error),
        (None, Some(hex)) => formats::parse_digest_hex(hex).map_err(input_error),
        (None, None) => Err(CliError::Input(
            "one of --msg FILE or --digest HEX is required".into(),
        )),
    }
}

fn parse_nonce(text: &str) -> Result<Bytes32, CliError> {
    let t = strip_hex(text);
    let bad = || {
        CliError::Input(format!(
            "nonce: expected 64 hex digits (the scalar k, optionally 0x-prefixed), found {}",
            if t.bytes().all(|b| b.is_ascii_hexdigit()) {
                format!("{} digits", t.len())
            } else {
                "non-hex characters".to_string()
            }
        ))
    };
    if t.len() != 64 {
        return Err(bad());
    }
    hex::decode(t)
        .ok()
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)
}

/// The group order n, big-endian.
fn order_bytes() -> Bytes32 {
    let n = scu_golden::curve::n().to_bytes_be();
    n.try_into().expect("n is a 256-bit number")
}

/// A uniformly random d in [1, n−1] from the operating system, by rejection sampling.
/// Temporary: key generation moves to the SCU's TRNG when that block lands.
fn random_scalar() -> Result<Bytes32, CliError> {
    let n = order_bytes();
    loop {
        let mut d = [0u8; 32];
        getrandom::fill(&mut d).map_err(|e| {
            CliError::Io(format!(
                "cannot read the operating system's random number generator: {e}"
            ))
        })?;
        // Big-endian byte arrays of equal length compare like the integers they hold.
        if d != [0u8; 32] && d < n {
            return Ok(d);
        }
    }
}

// ───────────────────────────── commands ─────────────────────────────

pub fn keygen<T: Target>(t: &mut T, a: KeygenArgs) -> Result<Outcome, CliError> {
    let (d, generated) = match &a.d {
        Some(hex) => (
            formats::parse_private_key_hex(hex).map_err(input_error)?,
            false,
        ),
        None => (random_scalar()?, true),
    };
    let run = execute(t, Command::Keygen, &[d])?;
    match run.status {
        Status::Ok => {}
        Status::BadScalar => {
            return Err(CliError::Input(
                "the engine rejected the private key (BAD_SCALAR): d must be in [1, n-1]".into(),
            ))
        }
        s => return Err(unexpected(Command::Keygen, s)),
    }
    let [qx, qy] = outputs(Command::Keygen, &run)?;
    if let Some(path) = &a.key_out {
        let pem = formats::private_key_to_pem_sec1(&d, Some((&qx, &qy)));
        write_atomically(path, pem.as_bytes(), Secrecy::Secret)?;
    }
    if a.json {
        let mut o = json_header(t, "keygen", "OK", run.cycles);
        o.insert("qx".into(), json!(hex::encode(qx)));
        o.insert("qy".into(), json!(hex::encode(qy)));
        o.insert(
            "key_out".into(),
            json!(a.key_out.as_ref().map(|p| p.display().to_string())),
        );
        print_json(o);
    } else {
        if a.pem {
            let pem = formats::public_key_to_pem(&qx, &qy);
            print!("{pem}");
            if !pem.ends_with('\n') {
                println!();
            }
        } else {
            println!("{}{}", hex::encode(qx), hex::encode(qy));
        }
        print_cycles(run.cycles);
    }
    if generated && a.key_out.is_none() {
        eprintln!("note: the generated private key was not saved (use --key-out FILE)");
    }
    Ok(Outcome::Done)
}

/// Retries RFC 6979 allows when the engine answers R_ZERO/S_ZERO (each has probability
/// about 2⁻²⁵⁶, so the bound is never reached in practice).
const RFC6979_MAX_ATTEMPTS: u32 = 8;

pub fn sign<T: Target>(t: &mut T, a: SignArgs) -> Result<Outcome, CliError> {
    let d = private_key(&a.key)?;
    let z = digest(&a.message)?;
    let given_nonce = a.nonce.as_deref().map(parse_nonce).transpose()?;

    // RFC 6979 §3.2 with HMAC-SHA-256: h1 is the digest, x is d; bits2octets reduces h1
    // mod n. The same generator as the `ecdsa` crate's deterministic signatures.
    let n = U256::from_be_slice(&order_bytes());
    let mut kgen = rfc6979::KGenerator::<Sha256, U256>::new(&d, &z, &[], &n);

    let mut cycles = None;
    let mut attempts = 0u32;
    let (r, s) = loop {
        let k = match given_nonce {
            Some(k) => k,
            None => {
                let mut k = [0u8; 32];
                kgen.fill_next_k(&mut k);
                k
            }
        };
        attempts += 1;
        let run = execute(t, Command::Sign, &[d, z, k])?;
        cycles = add_cycles(cycles, run.cycles);
        match run.status {
            Status::Ok => {
                let [r, s] = outputs(Command::Sign, &run)?;
                break (r, s);
            }
            // RFC 6979 §3.2 step h.3: an unsuitable k is followed by the next candidate.
            Status::RZero | Status::SZero
                if given_nonce.is_none() && attempts < RFC6979_MAX_ATTEMPTS => {}
            st @ (Status::RZero | Status::SZero) => {
                return Err(CliError::Failed(format!(
                    "signing failed: the engine answered {} ({} = 0 for this digest and nonce); sign with another --nonce",
                    status_name(st),
                    if st == Status::RZero { "r" } else { "s" }
                )))
            }
            Status::BadScalar => {
                return Err(CliError::Input(if given_nonce.is_some() {
                    "the engine rejected the private key or the nonce (BAD_SCALAR): d and k must be in [1, n-1]".into()
                } else {
                    "the engine rejected the private key (BAD_SCALAR): d must be in [1, n-1]"
                        .into()
                }))
            }
            st => return Err(unexpected(Command::Sign, st)),
        }
    };

    let sig = if a.raw {
        formats::signature_to_p1363(&r, &s).to_vec()
    } else {
        formats::signature_to_der(&r, &s)
    };
    if let Some(path) = &a.out {
        write_atomically(path, &sig, Secrecy::Public)?;
    }
    if a.json {
        let mut o = json_header(t, "sign", "OK", cycles);
        o.insert("r".into(), json!(hex::encode(r)));
        o.insert("s".into(), json!(hex::encode(s)));
        o.insert("signature".into(), json!(hex::encode(&sig)));
        o.insert("encoding".into(), json!(if a.raw { "raw" } else { "der" }));
        o.insert(
            "nonce".into(),
            json!(if given_nonce.is_some() {
                "given"
            } else {
                "rfc6979"
            }),
        );
        o.insert(
            "out".into(),
            json!(a.out.as_ref().map(|p| p.display().to_string())),
        );
        print_json(o);
    } else {
        if a.out.is_none() {
            println!("{}", hex::encode(&sig));
        }
        print_cycles(cycles);
    }
    Ok(Outcome::Done)
}

pub fn verify<T: Target>(t: &mut T, a: VerifyArgs) -> Result<Outcome, CliError> {
    // Anything that prevents a verdict (usage, I/O, the target) exits 2: 1 means invalid.
    let no_verdict = |e: CliError| CliError::Input(e.to_string());
    let z = digest(&a.message).map_err(no_verdict)?;
    let public = Given::read(&a.public).map_err(|e| CliError::Input(e.to_string()))?;
    let sig = Given::read(&a.sig).map_err(|e| CliError::Input(e.to_string()))?;

    let invalid =
        |t: &T, reason: &str, status: &str, cycles: Option<u64>| -> Result<Outcome, CliError> {
            if a.json {
                let mut o = json_header(t, "verify", status, cycles);
                o.insert("valid".into(), json!(false));
                o.insert("reason".into(), json!(reason));
                print_json(o);
            } else {
                print_cycles(cycles);
            }
            eprintln!("invalid: {reason}");
            Ok(Outcome::Invalid)
        };
    // Well-formed files whose contents are no key or signature are invalid, not errors.
    let (qx, qy) = match public_key_given(&public) {
        Ok(q) => q,
        Err(e) => return invalid(t, &e, "MALFORMED_INPUT", None),
    };
    let (r, s) = match signature_given(&sig, a.raw) {
        Ok(rs) => rs,
        Err(e) => return invalid(t, &e, "MALFORMED_INPUT", None),
    };

    let run = execute(t, Command::Verify, &[qx, qy, z, r, s]).map_err(no_verdict)?;
    let status = status_name(run.status);
    match run.status {
        Status::Ok => {
            if a.json {
                let mut o = json_header(t, "verify", status, run.cycles);
                o.insert("valid".into(), json!(true));
                o.insert("reason".into(), Value::Null);
                print_json(o);
            } else {
                println!("valid");
                print_cycles(run.cycles);
            }
            Ok(Outcome::Done)
        }
        Status::InvalidSig => invalid(t, "signature does not verify", status, run.cycles),
        Status::BadPoint => invalid(
            t,
            "public key is not a valid curve point",
            status,
            run.cycles,
        ),
        st => Err(no_verdict(unexpected(Command::Verify, st))),
    }
}

pub fn ecdh<T: Target>(t: &mut T, a: EcdhArgs) -> Result<Outcome, CliError> {
    let d = private_key(&a.key)?;
    let (px, py) =
        public_key_given(&Given::read(&a.peer).map_err(input_error)?).map_err(CliError::Input)?;
    let run = execute(t, Command::Ecdh, &[d, px, py])?;
    match run.status {
        Status::Ok => {}
        Status::BadScalar => {
            return Err(CliError::Input(
                "the engine rejected the private key (BAD_SCALAR): d must be in [1, n-1]".into(),
            ))
        }
        Status::BadPoint => {
            return Err(CliError::Input(
                "the engine rejected the peer public key (BAD_POINT): not a valid curve point"
                    .into(),
            ))
        }
        s => return Err(unexpected(Command::Ecdh, s)),
    }
    let [x] = outputs(Command::Ecdh, &run)?;
    if a.json {
        let mut o = json_header(t, "ecdh", "OK", run.cycles);
        o.insert("x".into(), json!(hex::encode(x)));
        print_json(o);
    } else {
        println!("{}", hex::encode(x));
        print_cycles(run.cycles);
    }
    Ok(Outcome::Done)
}
