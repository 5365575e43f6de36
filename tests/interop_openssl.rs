//! `scu sim` against the `openssl` CLI (installed by scripts/setup.sh): keys openssl makes
//! (SEC1 from `ecparam -genkey`, PKCS#8 from `genpkey`, PEM and DER) are used as they are,
//! signatures cross in both directions, tampering is caught, ECDH agrees with
//! `pkeyutl -derive`, and openssl reads the key `scu sim keygen --key-out` writes.

mod common;

use std::fs;
use std::path::Path;
use std::process::Output;

const PRESETS: [&str; 2] = ["tiny", "fast"];
const MESSAGE: &[u8] = b"SCU <-> OpenSSL interop message\n";

fn openssl(dir: &Path, args: &[&str]) -> Output {
    common::tool("openssl", args, dir)
}

fn openssl_ok(dir: &Path, args: &[&str]) -> Vec<u8> {
    let o = openssl(dir, args);
    assert!(
        o.status.success(),
        "openssl {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    o.stdout
}

fn scu(dir: &Path, args: &[&str]) -> Output {
    common::scu().args(args).current_dir(dir).output().unwrap()
}

fn scu_ok(dir: &Path, args: &[&str]) -> String {
    let o = scu(dir, args);
    assert!(
        o.status.success(),
        "scu {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    String::from_utf8(o.stdout).unwrap()
}

/// A directory with two openssl-made P-256 keys and their public keys:
/// a.pem (`ecparam -genkey`: SEC1 after an `EC PARAMETERS` block), b.pem (`genpkey`:
/// PKCS#8), a_pub.pem, b_pub.pem (SPKI PEM), b.der (PKCS#8 DER), a_pub.der (SPKI DER), and
/// the message `msg`.
fn fixture() -> tempfile::TempDir {
    let t = tempfile::tempdir().unwrap();
    let dir = t.path();
    openssl_ok(
        dir,
        &["ecparam", "-name", "prime256v1", "-genkey", "-out", "a.pem"],
    );
    openssl_ok(
        dir,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            "b.pem",
        ],
    );
    let a = fs::read_to_string(dir.join("a.pem")).unwrap();
    assert!(
        a.contains("BEGIN EC PARAMETERS") && a.contains("BEGIN EC PRIVATE KEY"),
        "{a}"
    );
    let b = fs::read_to_string(dir.join("b.pem")).unwrap();
    assert!(b.starts_with("-----BEGIN PRIVATE KEY-----"), "{b}");
    for k in ["a", "b"] {
        openssl_ok(
            dir,
            &[
                "pkey",
                "-in",
                &format!("{k}.pem"),
                "-pubout",
                "-out",
                &format!("{k}_pub.pem"),
            ],
        );
    }
    openssl_ok(
        dir,
        &["pkey", "-in", "b.pem", "-outform", "DER", "-out", "b.der"],
    );
    openssl_ok(
        dir,
        &[
            "pkey",
            "-pubin",
            "-in",
            "a_pub.pem",
            "-outform",
            "DER",
            "-out",
            "a_pub.der",
        ],
    );
    fs::write(dir.join("msg"), MESSAGE).unwrap();
    let mut tampered = MESSAGE.to_vec();
    tampered[3] ^= 0x20;
    fs::write(dir.join("tampered"), tampered).unwrap();
    t
}

#[test]
fn scu_signatures_verify_with_openssl() {
    let t = fixture();
    let dir = t.path();
    for (preset, key) in [("tiny", "a"), ("fast", "b")] {
        let sig = format!("{preset}.der");
        let o = scu(
            dir,
            &[
                "sim",
                "sign",
                "--preset",
                preset,
                "--key",
                &format!("{key}.pem"),
                "--msg",
                "msg",
                "--out",
                &sig,
            ],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
        let public = format!("{key}_pub.pem");
        let out = openssl_ok(
            dir,
            &[
                "dgst",
                "-sha256",
                "-verify",
                &public,
                "-signature",
                &sig,
                "msg",
            ],
        );
        assert_eq!(
            String::from_utf8_lossy(&out).trim(),
            "Verified OK",
            "preset {preset}"
        );
        // And openssl does not accept it for another message (the check can fail).
        let o = openssl(
            dir,
            &[
                "dgst",
                "-sha256",
                "-verify",
                &public,
                "-signature",
                &sig,
                "tampered",
            ],
        );
        assert!(!o.status.success(), "preset {preset}");
    }
}

#[test]
fn openssl_signatures_verify_with_scu_and_tampering_is_rejected() {
    let t = fixture();
    let dir = t.path();
    for (preset, key) in [("tiny", "b"), ("fast", "a")] {
        let sig = format!("{preset}.der");
        openssl_ok(
            dir,
            &[
                "dgst",
                "-sha256",
                "-sign",
                &format!("{key}.pem"),
                "-out",
                &sig,
                "msg",
            ],
        );
        let mut flipped = fs::read(dir.join(&sig)).unwrap();
        *flipped.last_mut().unwrap() ^= 0x01; // inside s: still well-formed DER
        let flipped_name = format!("{preset}-flipped.der");
        fs::write(dir.join(&flipped_name), flipped).unwrap();

        let public = format!("{key}_pub.pem");
        let verify = |sig: &str, msg: &str| {
            scu(
                dir,
                &[
                    "sim", "verify", "--preset", preset, "--pub", &public, "--sig", sig, "--msg",
                    msg,
                ],
            )
        };
        let o = verify(&sig, "msg");
        assert_eq!(
            o.status.code(),
            Some(0),
            "{}",
            String::from_utf8_lossy(&o.stderr)
        );
        assert_eq!(String::from_utf8_lossy(&o.stdout), "valid\n");
        for (sig, msg) in [(sig.as_str(), "tampered"), (flipped_name.as_str(), "msg")] {
            let o = verify(sig, msg);
            assert_eq!(
                o.status.code(),
                Some(1),
                "preset {preset}, {sig} over {msg}"
            );
            let err = String::from_utf8_lossy(&o.stderr);
            assert_eq!(
                err.lines().last(),
                Some("invalid: signature does not verify"),
                "{err}"
            );
        }
    }
}

#[test]
fn ecdh_matches_openssl_pkeyutl_derive() {
    let t = fixture();
    let dir = t.path();
    openssl_ok(
        dir,
        &[
            "pkeyutl",
            "-derive",
            "-inkey",
            "a.pem",
            "-peerkey",
            "b_pub.pem",
            "-out",
            "ab.bin",
        ],
    );
    let shared = hex::encode(fs::read(dir.join("ab.bin")).unwrap());
    assert_eq!(shared.len(), 64);
    for preset in PRESETS {
        let out = scu_ok(
            dir,
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
        assert_eq!(out, format!("{shared}\n"), "preset {preset}");
    }
    // The other side, from DER files (PKCS#8 private key, SPKI public key).
    let out = scu_ok(
        dir,
        &[
            "sim",
            "ecdh",
            "--preset",
            "fast",
            "--key",
            "b.der",
            "--peer",
            "a_pub.der",
        ],
    );
    assert_eq!(out, format!("{shared}\n"));
}

#[test]
fn openssl_reads_the_key_keygen_writes() {
    let t = fixture();
    let dir = t.path();
    for preset in PRESETS {
        let key = format!("{preset}-key.pem");
        let printed = scu_ok(
            dir,
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
        openssl_ok(dir, &["ec", "-in", &key, "-check", "-noout"]);
        let from_openssl = openssl_ok(dir, &["pkey", "-in", &key, "-pubout"]);
        assert_eq!(
            scu::formats::parse_public_key(&from_openssl).unwrap(),
            scu::formats::parse_public_key(printed.as_bytes()).unwrap(),
            "preset {preset}"
        );
        if preset == "fast" {
            // openssl signs with it, scu verifies against the printed public key.
            fs::write(dir.join("printed_pub.pem"), &printed).unwrap();
            openssl_ok(
                dir,
                &["dgst", "-sha256", "-sign", &key, "-out", "k.sig", "msg"],
            );
            let out = scu_ok(
                dir,
                &[
                    "sim",
                    "verify",
                    "--preset",
                    preset,
                    "--pub",
                    "printed_pub.pem",
                    "--sig",
                    "k.sig",
                    "--msg",
                    "msg",
                ],
            );
            assert_eq!(out, "valid\n");
        }
    }
}
