//! `scu::formats` against the reference implementation of these file formats: keys and
//! signatures made by the `openssl` CLI decode to the values openssl prints (and p256
//! agrees), our encodings are read back and verified by openssl, malformed files are
//! rejected with one-line errors, and well-formed but invalid *values* (off-curve points,
//! d = 0, r = 0) decode fine — validating them is the hardware's job.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::signature::Signer;
use p256::ecdsa::{Signature, SigningKey, VerifyingKey};
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use scu::formats::*;
use sha2::{Digest, Sha256};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Output;

mod common;

// ---------------------------------------------------------------------------------------
// openssl helpers

/// Runs `openssl`; a missing binary is a failure naming the set-up script, never a skip.
fn openssl(args: &[&str], cwd: &Path) -> Output {
    common::tool("openssl", args, cwd)
}

/// Runs `openssl` and requires success; returns stdout.
fn openssl_ok(args: &[&str], cwd: &Path) -> String {
    let o = openssl(args, cwd);
    assert!(
        o.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The colon-separated hex block after `field:` in `openssl ec -text` output.
fn text_field(text: &str, field: &str) -> Vec<u8> {
    let lines = text.lines().skip_while(|l| l.trim() != field).skip(1);
    let mut hexdigits = String::new();
    for l in lines {
        if !l.starts_with(' ') {
            break;
        }
        hexdigits.extend(l.chars().filter(|c| c.is_ascii_hexdigit()));
    }
    assert!(!hexdigits.is_empty(), "no `{field}` in:\n{text}");
    hex::decode(hexdigits).unwrap()
}

/// (d, x, y) as `openssl ec -text -noout` prints them for a private key file.
fn openssl_key_values(dir: &Path, key: &str) -> ([u8; 32], [u8; 32], [u8; 32]) {
    let text = openssl_ok(&["ec", "-in", key, "-text", "-noout"], dir);
    let priv_bytes = text_field(&text, "priv:");
    let significant: Vec<u8> = priv_bytes.iter().copied().skip_while(|b| *b == 0).collect();
    let mut d = [0u8; 32];
    d[32 - significant.len()..].copy_from_slice(&significant);
    let point = text_field(&text, "pub:");
    assert_eq!(point.len(), 65, "{text}");
    assert_eq!(point[0], 4);
    (
        d,
        point[1..33].try_into().unwrap(),
        point[33..].try_into().unwrap(),
    )
}

/// d·G by p256, as (x, y).
fn p256_public(d: &[u8; 32]) -> ([u8; 32], [u8; 32]) {
    let scalar = p256::Scalar::from_repr((*d).into()).unwrap();
    let point = (p256::ProjectivePoint::GENERATOR * scalar).to_affine();
    let enc = point.to_sec1_point(false);
    (
        enc.x().unwrap().as_slice().try_into().unwrap(),
        enc.y().unwrap().as_slice().try_into().unwrap(),
    )
}

fn p256_verifies(x: &[u8; 32], y: &[u8; 32], digest: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) {
    let mut point = vec![4u8];
    point.extend_from_slice(x);
    point.extend_from_slice(y);
    let vk = VerifyingKey::from_sec1_bytes(&point).unwrap();
    let sig = Signature::from_scalars(*r, *s).unwrap();
    vk.verify_prehash(digest, &sig)
        .expect("p256 verifies the signature");
}

const MESSAGE: &[u8] = b"SCU formats interop test message\n";

/// A temp dir with a P-256 key and its derivatives, all written by openssl:
/// sec1.pem, sec1.der, pkcs8.pem, pkcs8.der (the same key), pub.pem, pub.der, msg, sig.der.
struct Fixture {
    _tmp: tempfile::TempDir,
    dir: PathBuf,
}

impl Fixture {
    fn new() -> Self {
        let tmp = tempfile::tempdir().unwrap();
        let dir = tmp.path().to_path_buf();
        let o = |args: &[&str]| {
            openssl_ok(args, &dir);
        };
        o(&[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-noout",
            "-out",
            "sec1.pem",
        ]);
        o(&[
            "ec", "-in", "sec1.pem", "-outform", "DER", "-out", "sec1.der",
        ]);
        o(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "sec1.pem",
            "-out",
            "pkcs8.pem",
        ]);
        o(&[
            "pkcs8",
            "-topk8",
            "-nocrypt",
            "-in",
            "sec1.pem",
            "-outform",
            "DER",
            "-out",
            "pkcs8.der",
        ]);
        o(&["ec", "-in", "sec1.pem", "-pubout", "-out", "pub.pem"]);
        o(&[
            "ec", "-in", "sec1.pem", "-pubout", "-outform", "DER", "-out", "pub.der",
        ]);
        fs::write(dir.join("msg"), MESSAGE).unwrap();
        o(&[
            "dgst", "-sha256", "-sign", "sec1.pem", "-out", "sig.der", "msg",
        ]);
        Fixture { _tmp: tmp, dir }
    }

    fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    fn read(&self, name: &str) -> Vec<u8> {
        fs::read(self.path(name)).unwrap()
    }

    fn write(&self, name: &str, bytes: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path(name);
        fs::write(&p, bytes).unwrap();
        p
    }

    fn values(&self) -> ([u8; 32], [u8; 32], [u8; 32]) {
        openssl_key_values(&self.dir, "sec1.pem")
    }
}

/// The error, checked to be one line mentioning `needle`.
fn expect_err<T: std::fmt::Debug>(r: Result<T, FormatError>, needle: &str) -> String {
    let e = r.expect_err("expected a format error").to_string();
    assert!(!e.contains('\n'), "error is not one line: {e}");
    assert!(
        e.contains(needle),
        "error `{e}` does not mention `{needle}`"
    );
    e
}

// ---------------------------------------------------------------------------------------
// Private keys

#[test]
fn private_keys_from_openssl_decode_to_the_scalar_openssl_prints() {
    let f = Fixture::new();
    let (d, x, y) = f.values();
    assert_eq!(
        p256_public(&d),
        (x, y),
        "openssl's d and (x, y) agree with p256"
    );
    for name in ["sec1.pem", "sec1.der", "pkcs8.pem", "pkcs8.der"] {
        assert_eq!(parse_private_key(&f.read(name)).unwrap(), d, "{name}");
        assert_eq!(parse_private_key_file(&f.path(name)).unwrap(), d, "{name}");
    }
    assert_eq!(parse_private_key_der(&f.read("sec1.der")).unwrap(), d);
    assert_eq!(parse_private_key_der(&f.read("pkcs8.der")).unwrap(), d);
}

#[test]
fn private_keys_from_genpkey_and_ecparam_with_parameters_decode() {
    let f = Fixture::new();
    // PKCS#8 as `openssl genpkey` writes it.
    openssl_ok(
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "gen.pem",
        ],
        &f.dir,
    );
    assert!(String::from_utf8(f.read("gen.pem"))
        .unwrap()
        .contains("BEGIN PRIVATE KEY"));
    let (d, x, y) = openssl_key_values(&f.dir, "gen.pem");
    assert_eq!(parse_private_key(&f.read("gen.pem")).unwrap(), d);
    assert_eq!(p256_public(&d), (x, y));
    // `openssl ecparam -genkey` without -noout: an EC PARAMETERS block, then the key.
    openssl_ok(
        &[
            "ecparam",
            "-name",
            "prime256v1",
            "-genkey",
            "-out",
            "withparams.pem",
        ],
        &f.dir,
    );
    let (d, _, _) = openssl_key_values(&f.dir, "withparams.pem");
    assert_eq!(parse_private_key(&f.read("withparams.pem")).unwrap(), d);
}

#[test]
fn private_key_hex_forms() {
    let d_hex = "c9afa9d845ba75166b5c215767b1d6934e50c3db36e89b127b8a622b120f6721";
    let d: [u8; 32] = hex::decode(d_hex).unwrap().try_into().unwrap();
    for text in [
        d_hex.to_string(),
        d_hex.to_uppercase(),
        format!("0x{d_hex}"),
        format!("  \n{d_hex}\r\n"),
    ] {
        assert_eq!(parse_private_key(text.as_bytes()).unwrap(), d, "{text:?}");
        assert_eq!(parse_private_key_hex(&text).unwrap(), d, "{text:?}");
    }
    assert_eq!(private_key_to_hex(&d), d_hex);
    expect_err(
        parse_private_key(&d_hex.as_bytes()[..62]),
        "found 62 hex digits",
    );
    expect_err(
        parse_private_key(format!("{d_hex}00").as_bytes()),
        "64 hex digits",
    );
    expect_err(
        parse_private_key_hex(&d_hex.replace('c', "g")),
        "non-hex character 'g'",
    );
    expect_err(parse_private_key_hex("0x"), "found 0 hex digits");
    expect_err(parse_private_key(b""), "64 hex digits");
}

#[test]
fn our_private_key_encodings_match_openssl_and_read_back() {
    let f = Fixture::new();
    let (d, x, y) = f.values();
    // With the public key, our DER is byte-for-byte what openssl writes.
    assert_eq!(
        private_key_to_der_sec1(&d, Some((&x, &y))),
        f.read("sec1.der")
    );
    assert_eq!(
        private_key_to_der_pkcs8(&d, Some((&x, &y))),
        f.read("pkcs8.der")
    );
    let cases = [
        (
            "ours_sec1.pem",
            private_key_to_pem_sec1(&d, Some((&x, &y))),
            "ec",
        ),
        (
            "ours_sec1_nopub.pem",
            private_key_to_pem_sec1(&d, None),
            "ec",
        ),
        (
            "ours_pkcs8.pem",
            private_key_to_pem_pkcs8(&d, Some((&x, &y))),
            "pkey",
        ),
        (
            "ours_pkcs8_nopub.pem",
            private_key_to_pem_pkcs8(&d, None),
            "pkey",
        ),
    ];
    for (name, pem, cmd) in &cases {
        f.write(name, pem);
        openssl_ok(&[cmd, "-in", name, "-noout"], &f.dir);
        openssl_ok(&["pkey", "-in", name, "-noout"], &f.dir);
        // openssl recovers the same d and (x, y) (it recomputes the point when absent).
        assert_eq!(openssl_key_values(&f.dir, name), (d, x, y), "{name}");
        assert_eq!(parse_private_key(pem.as_bytes()).unwrap(), d, "{name}");
    }
    assert!(cases[0].1.starts_with("-----BEGIN EC PRIVATE KEY-----\n"));
    assert!(cases[2].1.starts_with("-----BEGIN PRIVATE KEY-----\n"));
    // openssl signs with our key, and the signature verifies under openssl's public key.
    openssl_ok(
        &[
            "dgst",
            "-sha256",
            "-sign",
            "ours_pkcs8_nopub.pem",
            "-out",
            "s2.der",
            "msg",
        ],
        &f.dir,
    );
    openssl_ok(
        &[
            "dgst",
            "-sha256",
            "-verify",
            "pub.pem",
            "-signature",
            "s2.der",
            "msg",
        ],
        &f.dir,
    );
}

#[test]
fn sec1_private_key_octet_strings_are_left_padded_up_to_32_bytes() {
    let short = [0x5au8; 31];
    let der = sec1::EcPrivateKey {
        private_key: &short,
        parameters: None,
        public_key: None,
    };
    let der = der::Encode::to_der(&der).unwrap();
    let mut want = [0x5au8; 32];
    want[0] = 0;
    assert_eq!(parse_private_key(&der).unwrap(), want);

    let long = [0x5au8; 33];
    let der = der::Encode::to_der(&sec1::EcPrivateKey {
        private_key: &long,
        parameters: None,
        public_key: None,
    })
    .unwrap();
    expect_err(parse_private_key(&der), "at most 32 bytes, found 33 bytes");
}

// ---------------------------------------------------------------------------------------
// Public keys

#[test]
fn public_keys_from_openssl_decode_to_the_point_openssl_prints() {
    let f = Fixture::new();
    let (_, x, y) = f.values();
    for name in ["pub.pem", "pub.der"] {
        assert_eq!(parse_public_key(&f.read(name)).unwrap(), (x, y), "{name}");
        assert_eq!(
            parse_public_key_file(&f.path(name)).unwrap(),
            (x, y),
            "{name}"
        );
    }
    assert_eq!(parse_public_key_der(&f.read("pub.der")).unwrap(), (x, y));
    let uncompressed = public_key_to_hex(&x, &y);
    assert_eq!(uncompressed.len(), 130);
    assert!(uncompressed.starts_with("04"));
    let xy = format!("{}{}", hex::encode(x), hex::encode(y));
    for text in [
        uncompressed.clone(),
        format!("0x{uncompressed}\n"),
        xy.clone(),
        format!(" {} ", xy.to_uppercase()),
    ] {
        assert_eq!(
            parse_public_key(text.as_bytes()).unwrap(),
            (x, y),
            "{text:?}"
        );
        assert_eq!(parse_public_key_hex(&text).unwrap(), (x, y), "{text:?}");
    }
    let mut point = vec![4u8];
    point.extend_from_slice(&x);
    point.extend_from_slice(&y);
    assert_eq!(parse_sec1_point(&point).unwrap(), (x, y));
}

#[test]
fn our_public_key_encodings_match_openssl_and_read_back() {
    let f = Fixture::new();
    let (_, x, y) = f.values();
    assert_eq!(public_key_to_der(&x, &y), f.read("pub.der"));
    let pem = public_key_to_pem(&x, &y);
    assert_eq!(pem.as_bytes(), f.read("pub.pem").as_slice());
    f.write("ours_pub.pem", &pem);
    openssl_ok(&["ec", "-pubin", "-in", "ours_pub.pem", "-noout"], &f.dir);
    openssl_ok(&["pkey", "-pubin", "-in", "ours_pub.pem", "-noout"], &f.dir);
    // openssl verifies its own signature under our encoding of the public key.
    openssl_ok(
        &[
            "dgst",
            "-sha256",
            "-verify",
            "ours_pub.pem",
            "-signature",
            "sig.der",
            "msg",
        ],
        &f.dir,
    );
    assert_eq!(parse_public_key(pem.as_bytes()).unwrap(), (x, y));
}

#[test]
fn compressed_points_are_rejected_not_decompressed() {
    let f = Fixture::new();
    openssl_ok(
        &[
            "ec",
            "-in",
            "sec1.pem",
            "-pubout",
            "-conv_form",
            "compressed",
            "-out",
            "cpub.pem",
        ],
        &f.dir,
    );
    openssl_ok(
        &[
            "ec",
            "-in",
            "sec1.pem",
            "-pubout",
            "-conv_form",
            "compressed",
            "-outform",
            "DER",
            "-out",
            "cpub.der",
        ],
        &f.dir,
    );
    for name in ["cpub.pem", "cpub.der"] {
        expect_err(
            parse_public_key(&f.read(name)),
            "compressed points are not supported",
        );
    }
    let (_, x, _) = f.values();
    let hex33 = format!("03{}", hex::encode(x));
    expect_err(
        parse_public_key(hex33.as_bytes()),
        "compressed points are not supported",
    );
}

// ---------------------------------------------------------------------------------------
// Signatures and digests

#[test]
fn openssl_signature_decodes_and_verifies_with_p256() {
    let f = Fixture::new();
    let (_, x, y) = f.values();
    let sig = f.read("sig.der");
    let (r, s) = parse_signature_der(&sig).unwrap();
    let digest = digest_of_file(&f.path("msg")).unwrap();
    assert_eq!(digest, <[u8; 32]>::from(Sha256::digest(MESSAGE)));
    p256_verifies(&x, &y, &digest, &r, &s);
    // Re-encoding gives openssl's bytes back; P1363 round-trips.
    assert_eq!(signature_to_der(&r, &s), sig);
    let raw = signature_to_p1363(&r, &s);
    assert_eq!(&raw[..32], &r);
    assert_eq!(parse_signature_p1363(&raw).unwrap(), (r, s));
    expect_err(
        parse_signature_p1363(&raw[..63]),
        "expected 64 bytes (r || s), found 63 bytes",
    );
}

#[test]
fn our_der_signatures_verify_with_openssl_including_short_and_high_bit_integers() {
    let f = Fixture::new();
    let (d, _, _) = f.values();
    let sk = SigningKey::from_slice(&d).unwrap();
    // Deterministic (RFC 6979) signatures of distinct messages, until we have one with a
    // leading zero byte in r or s (shorter INTEGER) and one with r's high bit set (sign
    // byte needed).
    let (mut short, mut high) = (None, None);
    for i in 0u32..5000 {
        let msg = format!("message {i}");
        let sig: Signature = sk.sign(msg.as_bytes());
        let bytes = sig.to_bytes();
        let (r, s): ([u8; 32], [u8; 32]) = (
            bytes[..32].try_into().unwrap(),
            bytes[32..].try_into().unwrap(),
        );
        if short.is_none() && (r[0] == 0 || s[0] == 0) {
            short = Some((msg.clone(), r, s));
        }
        if high.is_none() && r[0] >= 0x80 && s[0] < 0x80 {
            high = Some((msg, r, s));
        }
        if short.is_some() && high.is_some() {
            break;
        }
    }
    for (n, (msg, r, s)) in [short.unwrap(), high.unwrap()].into_iter().enumerate() {
        let der = signature_to_der(&r, &s);
        // Minimal: as p256's own DER encoding.
        let theirs = Signature::from_scalars(r, s).unwrap().to_der();
        assert_eq!(der, theirs.as_bytes());
        assert_eq!(parse_signature_der(&der).unwrap(), (r, s));
        let m = format!("m{n}");
        let sname = format!("s{n}.der");
        f.write(&m, msg.as_bytes());
        f.write(&sname, &der);
        openssl_ok(
            &[
                "dgst",
                "-sha256",
                "-verify",
                "pub.pem",
                "-signature",
                &sname,
                &m,
            ],
            &f.dir,
        );
    }
}

#[test]
fn digests_of_files_and_hex() {
    let f = Fixture::new();
    let out = openssl_ok(&["dgst", "-sha256", "-r", "msg"], &f.dir);
    let want = out.split_whitespace().next().unwrap();
    let got = digest_of_file(&f.path("msg")).unwrap();
    assert_eq!(hex::encode(got), want);
    assert_eq!(parse_digest_hex(want).unwrap(), got);
    assert_eq!(
        parse_digest_hex(&format!(" 0x{}\n", want.to_uppercase())).unwrap(),
        got
    );
    // Larger than one read chunk.
    let big: Vec<u8> = (0..200_000u32).map(|i| (i * 7) as u8).collect();
    f.write("big", &big);
    assert_eq!(
        digest_of_file(&f.path("big")).unwrap(),
        <[u8; 32]>::from(Sha256::digest(&big))
    );
    f.write("empty", b"");
    assert_eq!(
        hex::encode(digest_of_file(&f.path("empty")).unwrap()),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    expect_err(digest_of_file(&f.path("missing")), "missing");
    expect_err(parse_digest_hex(&want[..63]), "found 63 hex digits");
    expect_err(parse_digest_hex(&format!("{want}0")), "found 65 hex digits");
    expect_err(
        parse_digest_hex(&format!("{}x", &want[..63])),
        "non-hex character 'x'",
    );
}

// ---------------------------------------------------------------------------------------
// Malformed inputs are errors

#[test]
fn truncated_and_trailing_der_is_rejected() {
    let f = Fixture::new();
    for name in ["sec1.der", "pkcs8.der"] {
        let der = f.read(name);
        expect_err(parse_private_key(&der[..der.len() - 5]), "malformed DER");
        let mut trailing = der.clone();
        trailing.push(0);
        expect_err(parse_private_key(&trailing), "trailing data");
    }
    let der = f.read("pub.der");
    expect_err(parse_public_key(&der[..der.len() - 1]), "malformed DER");
    let mut trailing = der.clone();
    trailing.extend_from_slice(&[0, 0]);
    expect_err(parse_public_key(&trailing), "trailing data");
    let sig = f.read("sig.der");
    expect_err(parse_signature_der(&sig[..sig.len() - 1]), "malformed DER");
    expect_err(parse_signature_der(&[]), "ECDSA-Sig-Value");
    let mut trailing = sig.clone();
    trailing.push(0);
    expect_err(parse_signature_der(&trailing), "trailing data");
    // Trailing bytes *inside* the SEQUENCE (a third INTEGER).
    let mut inner = sig[2..].to_vec();
    inner.extend_from_slice(&[2, 1, 1]);
    let mut three = vec![0x30, inner.len() as u8];
    three.extend_from_slice(&inner);
    expect_err(parse_signature_der(&three), "trailing data");
}

fn sig_der(r: &[u8], s: &[u8]) -> Vec<u8> {
    let mut body = vec![2, r.len() as u8];
    body.extend_from_slice(r);
    body.extend_from_slice(&[2, s.len() as u8]);
    body.extend_from_slice(s);
    let mut out = vec![0x30];
    if body.len() >= 0x80 {
        out.push(0x81);
    }
    out.push(body.len() as u8);
    out.extend_from_slice(&body);
    out
}

#[test]
fn signature_der_is_strict() {
    let one = [1u8];
    // The well-formed reference.
    assert_eq!(parse_signature_der(&sig_der(&one, &one)).unwrap().0[31], 1);
    // Non-minimal INTEGER: a leading zero byte not needed for the sign.
    expect_err(
        parse_signature_der(&sig_der(&[0, 1], &one)),
        "not canonically encoded",
    );
    // Negative INTEGER (high bit set without the sign byte).
    expect_err(parse_signature_der(&sig_der(&[0x80; 32], &one)), "INTEGER");
    // Empty INTEGER.
    expect_err(parse_signature_der(&sig_der(&[], &one)), "INTEGER");
    // Non-minimal length: 0x81 0x06 for a 6-byte body.
    let mut long_len = sig_der(&one, &one);
    long_len.splice(1..2, [0x81, 0x06]);
    expect_err(parse_signature_der(&long_len), "malformed DER");
    // Wrong outer tag.
    let mut set = sig_der(&one, &one);
    set[0] = 0x31;
    expect_err(parse_signature_der(&set), "malformed DER");
    // Integers wider than 32 bytes: 33 bytes, and the 65-byte r of a botched concatenation.
    let mut r33 = vec![0x01u8];
    r33.extend_from_slice(&[0xff; 32]);
    expect_err(
        parse_signature_der(&sig_der(&r33, &one)),
        "r of at most 32 bytes (P-256), found 33 bytes",
    );
    let mut r65 = vec![0x04u8];
    r65.extend_from_slice(&[0x11; 64]);
    expect_err(
        parse_signature_der(&sig_der(&one, &r65)),
        "s of at most 32 bytes (P-256), found 65 bytes",
    );
    // A sign byte in front of a full 32-byte high-bit value is fine.
    let mut r_signed = vec![0u8];
    r_signed.extend_from_slice(&[0xff; 32]);
    assert_eq!(
        parse_signature_der(&sig_der(&r_signed, &one)).unwrap().0,
        [0xff; 32]
    );
}

#[test]
fn wrong_pem_labels_are_rejected() {
    let f = Fixture::new();
    let e = expect_err(parse_private_key(&f.read("pub.pem")), "found `PUBLIC KEY`");
    assert!(
        e.contains("`EC PRIVATE KEY` (SEC1) or `PRIVATE KEY` (PKCS#8)"),
        "{e}"
    );
    expect_err(
        parse_public_key(&f.read("sec1.pem")),
        "found `EC PRIVATE KEY`",
    );
    expect_err(
        parse_public_key(&f.read("pkcs8.pem")),
        "openssl ec -in KEY -pubout",
    );
    let relabeled = String::from_utf8(f.read("pub.pem"))
        .unwrap()
        .replace("PUBLIC KEY", "CERTIFICATE");
    expect_err(
        parse_public_key(relabeled.as_bytes()),
        "found `CERTIFICATE`",
    );
    // A SEC1 body under the PKCS#8 label is malformed, not silently accepted.
    let mislabeled = String::from_utf8(f.read("sec1.pem"))
        .unwrap()
        .replace("EC PRIVATE KEY", "PRIVATE KEY");
    expect_err(
        parse_private_key(mislabeled.as_bytes()),
        "PKCS#8 PrivateKeyInfo",
    );
    // Broken base64 and a missing END line.
    let pem = String::from_utf8(f.read("pub.pem")).unwrap();
    let broken = pem.replacen("MF", "M!", 1);
    expect_err(parse_public_key(broken.as_bytes()), "malformed PEM");
    let cut = pem.replace("-----END PUBLIC KEY-----", "");
    expect_err(parse_public_key(cut.as_bytes()), "-----END PUBLIC KEY-----");
    // Encrypted keys are named as such.
    openssl_ok(
        &[
            "pkcs8",
            "-topk8",
            "-in",
            "sec1.pem",
            "-v2",
            "aes-256-cbc",
            "-passout",
            "pass:x",
            "-out",
            "enc.pem",
        ],
        &f.dir,
    );
    expect_err(
        parse_private_key(&f.read("enc.pem")),
        "encrypted keys are not supported",
    );
}

#[test]
fn other_curves_and_algorithms_are_rejected_by_name() {
    let f = Fixture::new();
    let o = |args: &[&str]| {
        openssl_ok(args, &f.dir);
    };
    o(&[
        "ecparam",
        "-name",
        "secp384r1",
        "-genkey",
        "-noout",
        "-out",
        "p384.pem",
    ]);
    o(&[
        "ec", "-in", "p384.pem", "-outform", "DER", "-out", "p384.der",
    ]);
    o(&[
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        "p384.pem",
        "-out",
        "p384_pkcs8.pem",
    ]);
    o(&[
        "pkcs8",
        "-topk8",
        "-nocrypt",
        "-in",
        "p384.pem",
        "-outform",
        "DER",
        "-out",
        "p384_pkcs8.der",
    ]);
    o(&["ec", "-in", "p384.pem", "-pubout", "-out", "p384_pub.pem"]);
    o(&[
        "ecparam",
        "-name",
        "secp256k1",
        "-genkey",
        "-noout",
        "-out",
        "k1.pem",
    ]);
    o(&[
        "ecparam",
        "-name",
        "secp384r1",
        "-genkey",
        "-out",
        "p384_params.pem",
    ]);
    for name in [
        "p384.pem",
        "p384.der",
        "p384_pkcs8.pem",
        "p384_pkcs8.der",
        "p384_params.pem",
    ] {
        let e = expect_err(
            parse_private_key(&f.read(name)),
            "unsupported curve secp384r1 (OID 1.3.132.0.34)",
        );
        assert!(e.contains("expected P-256"), "{e}");
    }
    expect_err(parse_public_key(&f.read("p384_pub.pem")), "secp384r1");
    expect_err(parse_private_key(&f.read("k1.pem")), "secp256k1");
    o(&["genpkey", "-algorithm", "ed25519", "-out", "ed.pem"]);
    o(&["pkey", "-in", "ed.pem", "-pubout", "-out", "ed_pub.pem"]);
    expect_err(
        parse_private_key(&f.read("ed.pem")),
        "unsupported key algorithm Ed25519",
    );
    expect_err(
        parse_public_key(&f.read("ed_pub.pem")),
        "unsupported key algorithm Ed25519",
    );
}

#[test]
fn bad_public_key_hex_is_rejected() {
    let xy = "11".repeat(64);
    expect_err(
        parse_public_key(format!("05{xy}").as_bytes()),
        "found 65 bytes starting with 0x05",
    );
    expect_err(
        parse_public_key(&xy.as_bytes()[..126]),
        "found 126 hex digits",
    );
    expect_err(
        parse_public_key(format!("{xy}zz").as_bytes()),
        "non-hex character 'z'",
    );
    expect_err(
        parse_public_key(format!("04 {xy}").as_bytes()),
        "non-hex character ' '",
    );
    expect_err(parse_sec1_point(&[0]), "point at infinity");
    expect_err(parse_sec1_point(&[]), "found 0 bytes");
}

// ---------------------------------------------------------------------------------------
// Values are the hardware's business: well-formed but invalid values decode.

#[test]
fn off_curve_points_zero_scalars_and_out_of_range_signatures_decode() {
    let mut x = [0u8; 32];
    let mut y = [0u8; 32];
    x[31] = 1;
    y[31] = 2; // (1, 2) is not on P-256.
    let hex130 = public_key_to_hex(&x, &y);
    assert_eq!(parse_public_key(hex130.as_bytes()).unwrap(), (x, y));
    let pem = public_key_to_pem(&x, &y);
    assert_eq!(parse_public_key(pem.as_bytes()).unwrap(), (x, y));
    assert_eq!(
        parse_public_key(&public_key_to_der(&x, &y)).unwrap(),
        (x, y)
    );
    // openssl, which validates, refuses the same file: the check is real.
    let tmp = tempfile::tempdir().unwrap();
    fs::write(tmp.path().join("off.pem"), &pem).unwrap();
    assert!(
        !openssl(&["ec", "-pubin", "-in", "off.pem", "-noout"], tmp.path())
            .status
            .success()
    );

    let zero = [0u8; 32];
    assert_eq!(
        parse_private_key(hex::encode(zero).as_bytes()).unwrap(),
        zero
    );
    assert_eq!(
        parse_private_key(private_key_to_pem_sec1(&zero, None).as_bytes()).unwrap(),
        zero
    );
    assert_eq!(
        parse_private_key(&private_key_to_der_pkcs8(&zero, None)).unwrap(),
        zero
    );
    let ff = [0xffu8; 32]; // ≥ n
    assert_eq!(
        parse_private_key(private_key_to_pem_pkcs8(&ff, Some((&x, &y))).as_bytes()).unwrap(),
        ff
    );

    // r = 0 encodes as INTEGER 0 (02 01 00) and decodes back; s = 2^256 - 1 ≥ n.
    let der = signature_to_der(&zero, &ff);
    assert_eq!(&der[..5], &[0x30, 0x26, 0x02, 0x01, 0x00]);
    assert_eq!(parse_signature_der(&der).unwrap(), (zero, ff));
}
