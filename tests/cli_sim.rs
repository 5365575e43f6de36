//! `scu sim` and `scu report` through the built binary, against the `p256`/`ecdsa` crates
//! (the independent reference): every result the simulated engine prints must equal what
//! p256 computes for the same inputs, every encoding must read back, and every failure must
//! give one clear line, the documented exit code, and no output file.
//!
//! The presets under test are `tiny` (slowest, W = 16) and `fast` (W = 64); the number of
//! hardware runs is kept small (each `tiny` run takes about a second of simulation).

mod common;

use common::scu;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey};
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use p256::{NistP256, NonZeroScalar, ProjectivePoint, Scalar};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::Path;

const PRESETS: [&str; 2] = ["tiny", "fast"];

// ───────────────────────────── running scu ─────────────────────────────

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn run_in(dir: &Path, args: &[&str]) -> Out {
    let o = scu().args(args).current_dir(dir).output().unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

/// Runs scu and requires exit 0; returns stdout and the cycle count printed on stderr.
fn ok_in(dir: &Path, args: &[&str]) -> (String, u64) {
    let o = run_in(dir, args);
    assert_eq!(o.code, 0, "scu {args:?}: {}", o.stderr);
    (o.stdout, cycles_line(&o.stderr))
}

/// Runs scu with `--json` appended; requires exit 0, an empty stderr and one JSON object.
fn json_in(dir: &Path, args: &[&str]) -> Value {
    let mut args = args.to_vec();
    args.push("--json");
    let o = run_in(dir, &args);
    assert_eq!(o.code, 0, "scu {args:?}: {}", o.stderr);
    assert_eq!(o.stderr, "", "scu {args:?}");
    assert_eq!(o.stdout.lines().count(), 1, "one JSON object: {}", o.stdout);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert!(v["cycles"].as_u64().unwrap() > 0, "{v}");
    v
}

/// The `cycles: N` line (the first line) of a successful command's stderr.
fn cycles_line(stderr: &str) -> u64 {
    let line = stderr.lines().next().unwrap_or_default();
    let n: u64 = line
        .strip_prefix("cycles: ")
        .unwrap_or_else(|| panic!("no cycles line in {stderr:?}"))
        .parse()
        .unwrap();
    assert!(n > 0);
    n
}

fn assert_one_error_line(o: &Out, code: i32, needle: &str) {
    assert_eq!(o.code, code, "stderr: {}", o.stderr);
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one error line expected: {}", o.stderr);
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(needle),
        "expected `{needle}` in: {}",
        o.stderr
    );
    assert_eq!(o.stdout, "", "nothing on stdout on error");
}

/// verify's "invalid" answer: exit 1 and `invalid: <reason>` as the last stderr line.
fn assert_invalid(o: &Out, needle: &str) {
    assert_eq!(o.code, 1, "stderr: {}", o.stderr);
    let last = o.stderr.lines().last().unwrap_or_default();
    assert!(
        last.starts_with("invalid: ") && last.contains(needle),
        "expected `invalid: ...{needle}` in: {}",
        o.stderr
    );
}

fn word_width(preset: &str) -> u64 {
    scu_hdl::preset::preset(preset).unwrap().word_width as u64
}

fn tmp() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

// ───────────────────────────── the reference ─────────────────────────────

type B32 = [u8; 32];

/// A fixed, valid scalar in [1, n−1] derived from a label.
fn scalar_for(label: &str) -> B32 {
    let mut h: B32 = Sha256::digest(label.as_bytes()).into();
    while bool::from(Scalar::from_repr(h.into()).is_none()) || h == [0; 32] {
        h = Sha256::digest(h).into();
    }
    h
}

fn nz(d: &B32) -> NonZeroScalar {
    NonZeroScalar::new(Scalar::from_repr((*d).into()).unwrap()).unwrap()
}

fn affine(p: ProjectivePoint) -> (B32, B32) {
    let enc = p.to_affine().to_sec1_point(false);
    (
        enc.x().unwrap().as_slice().try_into().unwrap(),
        enc.y().unwrap().as_slice().try_into().unwrap(),
    )
}

fn public(d: &B32) -> (B32, B32) {
    affine(ProjectivePoint::GENERATOR * *nz(d))
}

/// x of d·(e·G): what ECDH between d and the public key of e yields.
fn shared_x(d: &B32, e: &B32) -> B32 {
    affine(ProjectivePoint::GENERATOR * *nz(e) * *nz(d)).0
}

fn sign_with_k(d: &B32, k: &B32, z: &B32) -> Signature {
    ecdsa::hazmat::sign_prehashed::<NistP256>(&nz(d), &nz(k), z)
        .unwrap()
        .0
}

/// p256's deterministic (RFC 6979, SHA-256) signature of a message.
fn deterministic(d: &B32, msg: &[u8]) -> Signature {
    SigningKey::from_slice(d).unwrap().sign(msg)
}

fn der(sig: &Signature) -> Vec<u8> {
    sig.to_der().as_bytes().to_vec()
}

fn xy_hex(x: &B32, y: &B32) -> String {
    format!("{}{}", hex::encode(x), hex::encode(y))
}

fn sha256(msg: &[u8]) -> B32 {
    Sha256::digest(msg).into()
}

/// Writes a SEC1 PEM private key (with its public key) and the SPKI PEM public key.
fn write_keys(dir: &Path, name: &str, d: &B32) {
    let (x, y) = public(d);
    fs::write(
        dir.join(format!("{name}.pem")),
        scu::formats::private_key_to_pem_sec1(d, Some((&x, &y))),
    )
    .unwrap();
    fs::write(
        dir.join(format!("{name}_pub.pem")),
        scu::formats::public_key_to_pem(&x, &y),
    )
    .unwrap();
}

fn dir_entries(dir: &Path) -> Vec<String> {
    let mut v: Vec<String> = fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    v.sort();
    v
}

// ───────────────────────────── keygen ─────────────────────────────

#[test]
fn keygen_prints_p256s_public_key_as_hex_and_json() {
    let t = tmp();
    for preset in PRESETS {
        let d = scalar_for(&format!("keygen {preset}"));
        let (x, y) = public(&d);
        let d_hex = hex::encode(d);

        let (stdout, _) = ok_in(
            t.path(),
            &["sim", "keygen", "--preset", preset, "--d", &d_hex],
        );
        assert_eq!(stdout, format!("{}\n", xy_hex(&x, &y)), "preset {preset}");

        let v = json_in(
            t.path(),
            &["sim", "keygen", "--preset", preset, "--d", &d_hex],
        );
        assert_eq!(v["qx"], hex::encode(x), "{v}");
        assert_eq!(v["qy"], hex::encode(y), "{v}");
        assert_eq!(v["preset"], preset);
        assert_eq!(v["word_width"].as_u64(), Some(word_width(preset)));
        assert_eq!(v["status"], "OK");
        assert_eq!(v["command"], "keygen");
    }
}

#[test]
fn keygen_random_key_out_matches_the_printed_public_key() {
    let t = tmp();
    let mut seen = Vec::new();
    for (i, preset) in ["tiny", "fast", "fast"].into_iter().enumerate() {
        let key = format!("k{i}.pem");
        let (stdout, _) = ok_in(
            t.path(),
            &[
                "sim",
                "keygen",
                "--preset",
                preset,
                "--pem",
                "--key-out",
                &key,
            ],
        );
        let key_path = t.path().join(&key);
        let pem = fs::read_to_string(&key_path).unwrap();
        assert!(pem.starts_with("-----BEGIN EC PRIVATE KEY-----"), "{pem}");
        let d = scu::formats::parse_private_key(pem.as_bytes()).unwrap();
        assert!(bool::from(Scalar::from_repr(d.into()).is_some()) && d != [0; 32]);
        // The key file carries the public key, and it is the one printed.
        let printed = scu::formats::parse_public_key(stdout.as_bytes()).unwrap();
        assert!(stdout.starts_with("-----BEGIN PUBLIC KEY-----"), "{stdout}");
        assert_eq!(printed, public(&d), "preset {preset}");
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = fs::metadata(&key_path).unwrap().permissions().mode();
            assert_eq!(mode & 0o077, 0, "private key readable by others: {mode:o}");
        }
        seen.push(d);
    }
    assert_ne!(seen[1], seen[2], "two random keys are different");
    // Only the key files: no temporary files left behind.
    assert_eq!(dir_entries(t.path()), ["k0.pem", "k1.pem", "k2.pem"]);
}

// ───────────────────────────── sign ─────────────────────────────

#[test]
fn sign_with_a_given_nonce_matches_sign_prehashed() {
    let t = tmp();
    for preset in PRESETS {
        let d = scalar_for(&format!("sign d {preset}"));
        let k = scalar_for(&format!("sign k {preset}"));
        let z = sha256(preset.as_bytes());
        let want = sign_with_k(&d, &k, &z);
        let v = json_in(
            t.path(),
            &[
                "sim",
                "sign",
                "--preset",
                preset,
                "--key",
                &hex::encode(d),
                "--digest",
                &hex::encode(z),
                "--nonce",
                &hex::encode(k),
            ],
        );
        let rs = want.to_bytes();
        assert_eq!(v["r"], hex::encode(&rs[..32]), "preset {preset}");
        assert_eq!(v["s"], hex::encode(&rs[32..]), "preset {preset}");
        assert_eq!(v["signature"], hex::encode(der(&want)));
        assert_eq!(v["encoding"], "der");
        assert_eq!(v["nonce"], "given");
        assert_eq!(v["word_width"].as_u64(), Some(word_width(preset)));
    }
}

#[test]
fn sign_without_nonce_is_p256s_deterministic_rfc6979_signature() {
    let t = tmp();
    let msg = b"a message for the SCU's deterministic signatures\n";
    fs::write(t.path().join("msg"), msg).unwrap();
    for preset in PRESETS {
        let d = scalar_for(&format!("rfc6979 {preset}"));
        write_keys(t.path(), preset, &d);
        let out = format!("{preset}.der");
        let (stdout, _) = ok_in(
            t.path(),
            &[
                "sim",
                "sign",
                "--preset",
                preset,
                "--key",
                &format!("{preset}.pem"),
                "--msg",
                "msg",
                "--out",
                &out,
            ],
        );
        assert_eq!(stdout, "", "the signature went to --out");
        let written = fs::read(t.path().join(&out)).unwrap();
        assert_eq!(written, der(&deterministic(&d, msg)), "preset {preset}");
    }

    // RFC 6979 A.2.5 (P-256, SHA-256, message "sample"): the published signature, and
    // p256's; the signature printed as hex r‖s with --raw.
    fs::write(t.path().join("sample"), b"sample").unwrap();
    let d: B32 = hex::decode("C9AFA9D845BA75166B5C215767B1D6934E50C3DB36E89B127B8A622B120F6721")
        .unwrap()
        .try_into()
        .unwrap();
    let (stdout, _) = ok_in(
        t.path(),
        &[
            "sim",
            "sign",
            "--preset",
            "fast",
            "--key",
            &hex::encode(d),
            "--msg",
            "sample",
            "--raw",
        ],
    );
    let rfc = "EFD48B2AACB6A8FD1140DD9CD45E81D69D2C877B56AAF991C34D0EA84EAF3716\
               F7CB1C942D657C41D436C7A1B6E29F65F3E900DBB9AFF4064DC4AB2F843ACDA8";
    assert_eq!(stdout.trim(), rfc.to_lowercase());
    assert_eq!(
        stdout.trim(),
        hex::encode(deterministic(&d, b"sample").to_bytes())
    );
}

#[test]
fn sign_raw_and_der_round_trip_through_verify() {
    let t = tmp();
    fs::write(t.path().join("msg"), b"round trip").unwrap();
    for preset in PRESETS {
        let d = scalar_for(&format!("round trip {preset}"));
        write_keys(t.path(), preset, &d);
        let key = format!("{preset}.pem");
        let public = format!("{preset}_pub.pem");
        let raw = format!("{preset}.raw");
        ok_in(
            t.path(),
            &[
                "sim", "sign", "--preset", preset, "--key", &key, "--msg", "msg", "--raw", "--out",
                &raw,
            ],
        );
        let bytes = fs::read(t.path().join(&raw)).unwrap();
        assert_eq!(bytes, deterministic(&d, b"round trip").to_bytes().to_vec());
        let (stdout, _) = ok_in(
            t.path(),
            &[
                "sim", "verify", "--preset", preset, "--pub", &public, "--sig", &raw, "--msg",
                "msg", "--raw",
            ],
        );
        assert_eq!(stdout, "valid\n");
    }
    // fast: the hex a signature is printed as is accepted inline and as a file, raw and DER;
    // the public key inline as 128 hex digits.
    let d = scalar_for("round trip fast");
    let (x, y) = public(&d);
    for raw in [true, false] {
        let mut args = vec![
            "sim", "sign", "--preset", "fast", "--key", "fast.pem", "--msg", "msg",
        ];
        if raw {
            args.push("--raw");
        }
        let (sig_hex, _) = ok_in(t.path(), &args);
        fs::write(t.path().join("sig.hex"), &sig_hex).unwrap();
        for sig in [sig_hex.trim(), "sig.hex"] {
            let pubkey = xy_hex(&x, &y);
            let mut args = vec![
                "sim", "verify", "--preset", "fast", "--pub", &pubkey, "--sig", sig, "--msg", "msg",
            ];
            if raw {
                args.push("--raw");
            }
            assert_eq!(ok_in(t.path(), &args).0, "valid\n", "raw={raw} sig={sig}");
        }
    }
}

// ───────────────────────────── verify ─────────────────────────────

#[test]
fn verify_accepts_p256_signatures_and_rejects_tampered_ones() {
    let t = tmp();
    let msg = b"verify me".to_vec();
    fs::write(t.path().join("msg"), &msg).unwrap();
    let mut tampered = msg.clone();
    tampered[0] ^= 1;
    fs::write(t.path().join("tampered"), &tampered).unwrap();
    for preset in PRESETS {
        let d = scalar_for(&format!("verify {preset}"));
        write_keys(t.path(), preset, &d);
        let sig = format!("{preset}.der");
        fs::write(t.path().join(&sig), der(&deterministic(&d, &msg))).unwrap();
        let public = format!("{preset}_pub.pem");

        let v = json_in(
            t.path(),
            &[
                "sim", "verify", "--preset", preset, "--pub", &public, "--sig", &sig, "--msg",
                "msg",
            ],
        );
        assert_eq!(v["valid"], true, "{v}");
        assert_eq!(v["status"], "OK");
        assert_eq!(v["word_width"].as_u64(), Some(word_width(preset)));

        let o = run_in(
            t.path(),
            &[
                "sim", "verify", "--preset", preset, "--pub", &public, "--sig", &sig, "--msg",
                "tampered",
            ],
        );
        assert_invalid(&o, "signature does not verify");
        assert_eq!(o.stdout, "");
        cycles_line(&o.stderr);
    }
    // A flipped byte inside s keeps the DER well-formed: the engine says no.
    let mut sig = fs::read(t.path().join("fast.der")).unwrap();
    *sig.last_mut().unwrap() ^= 0x40;
    fs::write(t.path().join("flipped.der"), &sig).unwrap();
    let o = run_in(
        t.path(),
        &[
            "sim",
            "verify",
            "--preset",
            "fast",
            "--pub",
            "fast_pub.pem",
            "--sig",
            "flipped.der",
            "--digest",
            &hex::encode(sha256(&msg)),
            "--json",
        ],
    );
    assert_invalid(&o, "signature does not verify");
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    assert_eq!(v["valid"], false);
    assert_eq!(v["status"], "INVALID_SIG");
    assert!(v["cycles"].as_u64().unwrap() > 0);
}

#[test]
fn verify_rejects_an_off_curve_public_key_given_as_hex() {
    let t = tmp();
    let d = scalar_for("off curve");
    let (x, mut y) = public(&d);
    y[31] ^= 1;
    let sig = der(&deterministic(&d, b"m"));
    fs::write(t.path().join("sig.der"), sig).unwrap();
    let digest = hex::encode(sha256(b"m"));
    for preset in PRESETS {
        let pubkey = format!("04{}", xy_hex(&x, &y));
        let args = [
            "sim", "verify", "--preset", preset, "--pub", &pubkey, "--sig", "sig.der", "--digest",
            &digest,
        ];
        assert_invalid(
            &run_in(t.path(), &args),
            "public key is not a valid curve point",
        );
        let mut json = args.to_vec();
        json.push("--json");
        let o = run_in(t.path(), &json);
        assert_invalid(&o, "public key is not a valid curve point");
        let v: Value = serde_json::from_str(&o.stdout).unwrap();
        assert_eq!(
            (v["valid"].clone(), v["status"].clone()),
            (Value::Bool(false), "BAD_POINT".into())
        );
    }
}

#[test]
fn verify_exits_2_for_usage_and_io_errors_and_1_for_malformed_contents() {
    let t = tmp();
    let d = scalar_for("usage");
    write_keys(t.path(), "k", &d);
    fs::write(t.path().join("sig.der"), der(&deterministic(&d, b"m"))).unwrap();
    fs::write(t.path().join("msg"), b"m").unwrap();
    let base = |public: &'static str, sig: &'static str, msg: &'static str| {
        vec![
            "sim", "verify", "--preset", "fast", "--pub", public, "--sig", sig, "--msg", msg,
        ]
    };
    for (args, needle) in [
        (
            base("missing.pem", "sig.der", "msg"),
            "cannot read missing.pem",
        ),
        (
            base("k_pub.pem", "missing.der", "msg"),
            "cannot read missing.der",
        ),
        (
            base("k_pub.pem", "sig.der", "missing"),
            "cannot read missing",
        ),
        (
            base("missing.pem", "k.pem", "msg"),
            "cannot read missing.pem",
        ),
    ] {
        assert_one_error_line(&run_in(t.path(), &args), 2, needle);
    }
    let mut digest = base("k_pub.pem", "sig.der", "msg");
    digest.truncate(8);
    digest.extend(["--digest", "12zz"]);
    assert_one_error_line(&run_in(t.path(), &digest), 2, "digest");
    let mut bad_flag = base("k_pub.pem", "sig.der", "msg");
    bad_flag.push("--frobnicate");
    let o = run_in(t.path(), &bad_flag);
    assert_eq!(o.code, 2, "{}", o.stderr);
    assert!(!o.stderr.contains("invalid:"));

    // Well-formed files that are not a signature or a public key: invalid (no engine run).
    for (args, needle) in [
        (base("k_pub.pem", "k.pem", "msg"), "k.pem: signature"),
        (base("k.pem", "sig.der", "msg"), "k.pem: public key"),
    ] {
        let o = run_in(t.path(), &args);
        assert_invalid(&o, needle);
        assert_eq!(o.stderr.lines().count(), 1, "{}", o.stderr);
    }
    // A DER signature read as raw r‖s is malformed too.
    let mut raw = base("k_pub.pem", "sig.der", "msg");
    raw.push("--raw");
    assert_invalid(&run_in(t.path(), &raw), "signature");
}

// ───────────────────────────── ecdh ─────────────────────────────

#[test]
fn ecdh_matches_p256() {
    let t = tmp();
    for preset in PRESETS {
        let a = scalar_for(&format!("ecdh a {preset}"));
        let b = scalar_for(&format!("ecdh b {preset}"));
        write_keys(t.path(), "a", &a);
        write_keys(t.path(), "b", &b);
        let want = hex::encode(shared_x(&a, &b));
        let (stdout, _) = ok_in(
            t.path(),
            &[
                "sim",
                "ecdh",
                "--preset",
                preset,
                "--key",
                "a.pem",
                "--peer",
                "b_pub.pem",
            ],
        );
        assert_eq!(stdout, format!("{want}\n"), "preset {preset}");
        if preset == "fast" {
            // The other side, keys inline, JSON.
            let (bx, by) = public(&a);
            let v = json_in(
                t.path(),
                &[
                    "sim",
                    "ecdh",
                    "--preset",
                    preset,
                    "--key",
                    &hex::encode(b),
                    "--peer",
                    &xy_hex(&bx, &by),
                ],
            );
            assert_eq!(v["x"], want);
            assert_eq!(v["command"], "ecdh");
        }
    }
}

// ───────────────────────────── report ─────────────────────────────

#[test]
fn report_json_has_the_exact_shape_and_agrees_with_sim() {
    let t = tmp();
    let o = run_in(t.path(), &["report", "--json"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    let v: Value = serde_json::from_str(&o.stdout).unwrap();
    let top = v.as_object().unwrap();
    assert_eq!(
        top.keys().collect::<Vec<_>>(),
        ["parallel_engine", "presets"]
    );
    // tiny's serial engine runs the same microcode as the parallel one at its width, so it is
    // slower on every command, by the moves alone (the model's cycle table).
    let par = &v["parallel_engine"]["w16"];
    assert_eq!(par["word_width"], 16);
    assert_eq!(par["datapath"], "parallel");
    assert_eq!(v["presets"]["tiny"]["datapath"], "serial");
    for cmd in ["keygen", "ecdh", "sign", "verify"] {
        let (p, t) = (
            par[cmd].as_u64().unwrap(),
            v["presets"]["tiny"][cmd].as_u64().unwrap(),
        );
        assert!(t > p && t < 2 * p, "{cmd}: parallel {p}, tiny {t}");
    }
    let presets = v["presets"].as_object().unwrap();
    let mut names: Vec<&str> = scu_hdl::preset::PRESETS
        .iter()
        .map(|(n, _, _)| *n)
        .collect();
    names.sort();
    assert_eq!(
        presets.keys().map(String::as_str).collect::<Vec<_>>(),
        names
    );
    for (name, p) in presets {
        let p = p.as_object().unwrap();
        let mut keys: Vec<&str> = p.keys().map(String::as_str).collect();
        keys.sort();
        assert_eq!(
            keys,
            ["datapath", "ecdh", "keygen", "sign", "verify", "word_width"],
            "{name}"
        );
        assert_eq!(p["word_width"].as_u64(), Some(word_width(name)));
        for cmd in ["keygen", "ecdh", "sign", "verify"] {
            assert!(p[cmd].as_u64().unwrap() > 0, "{name} {cmd}");
        }
        // VERIFY runs two ladders, the others one.
        assert!(p["verify"].as_u64() > p["sign"].as_u64(), "{name}");
    }
    // `scu sim` reports the SCU's latency, CMD to irq: the engine's cycles (constant time:
    // the report's count is any key's) plus the gate's sequence around them — λ drawn from
    // the TRNG (≥ 8 cycles, one per word), START, and the 256-cycle scrub (docs/gate.md).
    let d = hex::encode(scalar_for("report"));
    let args = [
        "sim", "keygen", "--preset", "fast", "--d", &d, "--seed", "11",
    ];
    let k = json_in(t.path(), &args);
    let scu = k["cycles"].as_u64().unwrap();
    let engine = presets["fast"]["keygen"].as_u64().unwrap();
    assert!(
        scu >= engine + 8 + 1 + 256 && scu < engine + 10_000,
        "SCU {scu} vs engine {engine}"
    );
    // The same seed, the same noise, the same latency.
    assert_eq!(json_in(t.path(), &args)["cycles"], k["cycles"]);
}

// ───────────────────────────── errors ─────────────────────────────

#[test]
fn bad_inputs_give_one_error_line_and_leave_no_file() {
    let t = tmp();
    let dir = t.path();
    let d = scalar_for("errors");
    write_keys(dir, "k", &d);
    fs::write(dir.join("msg"), b"m").unwrap();
    let zero = "0".repeat(64);
    let one = format!("{}1", "0".repeat(63));
    let off_curve = format!("{zero}{one}");
    let before = dir_entries(dir);

    // Decoding problems and values the engine rejects: exit 2.
    let cases: Vec<(Vec<&str>, i32, &str)> = vec![
        (
            vec![
                "sim", "sign", "--preset", "fast", "--key", "k.pem", "--digest", "abc", "--out",
                "s.der",
            ],
            2,
            "digest: expected 64 hex digits",
        ),
        (
            vec![
                "sim",
                "keygen",
                "--preset",
                "fast",
                "--d",
                &zero,
                "--key-out",
                "z.pem",
            ],
            2,
            "BAD_SCALAR",
        ),
        (
            vec![
                "sim", "sign", "--preset", "fast", "--key", &zero, "--digest", &one, "--out",
                "s.der",
            ],
            2,
            "BAD_SCALAR",
        ),
        (
            vec![
                "sim", "sign", "--preset", "fast", "--key", "k.pem", "--digest", &one, "--nonce",
                &zero, "--out", "s.der",
            ],
            2,
            "BAD_SCALAR",
        ),
        (
            vec![
                "sim", "sign", "--preset", "fast", "--key", "k.pem", "--digest", &one, "--nonce",
                "12", "--out", "s.der",
            ],
            2,
            "nonce: expected 64 hex digits",
        ),
        (
            vec![
                "sim", "ecdh", "--preset", "fast", "--key", "k.pem", "--peer", &off_curve,
            ],
            2,
            "BAD_POINT",
        ),
        (
            vec![
                "sim", "sign", "--preset", "huge", "--key", "k.pem", "--msg", "msg",
            ],
            2,
            "unknown preset `huge`",
        ),
        (
            vec!["sim", "keygen", "--word-width", "8"],
            2,
            "invalid word width 8",
        ),
        (
            vec![
                "sim",
                "sign",
                "--preset",
                "fast",
                "--key",
                "k_pub.pem",
                "--msg",
                "msg",
                "--out",
                "s.der",
            ],
            2,
            "k_pub.pem: private key",
        ),
        // I/O: exit 1.
        (
            vec![
                "sim",
                "sign",
                "--preset",
                "fast",
                "--key",
                "missing.pem",
                "--msg",
                "msg",
                "--out",
                "s.der",
            ],
            1,
            "cannot read missing.pem",
        ),
        (
            vec![
                "sim", "sign", "--preset", "fast", "--key", "k.pem", "--msg", "missing", "--out",
                "s.der",
            ],
            1,
            "cannot read missing",
        ),
        (
            vec![
                "sim",
                "ecdh",
                "--preset",
                "fast",
                "--key",
                "k.pem",
                "--peer",
                "missing.pem",
            ],
            1,
            "cannot read missing.pem",
        ),
        (
            vec![
                "sim",
                "sign",
                "--preset",
                "fast",
                "--key",
                "k.pem",
                "--msg",
                "msg",
                "--out",
                "no/such/dir/s.der",
            ],
            1,
            "cannot write no/such/dir/s.der",
        ),
    ];
    for (args, code, needle) in &cases {
        let o = run_in(dir, args);
        assert_one_error_line(&o, *code, needle);
        assert_eq!(dir_entries(dir), before, "scu {args:?} left a file behind");
    }
    // --json changes nothing about errors.
    let o = run_in(
        dir,
        &["sim", "keygen", "--preset", "fast", "--d", &zero, "--json"],
    );
    assert_one_error_line(&o, 2, "BAD_SCALAR");
    // clap's own usage errors: exit 2.
    for args in [
        vec!["sim", "sign", "--key", "k.pem"],
        vec![
            "sim", "sign", "--key", "k.pem", "--msg", "msg", "--digest", &one,
        ],
        vec!["sim", "ecdh", "--key", "k.pem"],
    ] {
        assert_eq!(run_in(dir, &args).code, 2, "{args:?}");
    }
    assert_eq!(dir_entries(dir), before);
}
