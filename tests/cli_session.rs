//! `scu sim session`: one simulated SCU across stdin lines, one JSON result per line.

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature, VerifyingKey};
use serde_json::Value;
use std::io::Write;
use std::process::{Command, Stdio};

fn session(preset: &str, lines: &[&str]) -> Vec<Value> {
    let mut child = Command::new(env!("CARGO_BIN_EXE_scu"))
        .args([
            "sim", "session", "--preset", preset, "--json", "--seed", "7",
        ])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("scu runs");
    child
        .stdin
        .take()
        .unwrap()
        .write_all((lines.join("\n") + "\n").as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(
        out.status.success(),
        "exit {:?}: {}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    let text = String::from_utf8(out.stdout).unwrap();
    let results: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("{l}: {e}")))
        .collect();
    let commands = lines
        .iter()
        .filter(|l| !l.trim().is_empty() && !l.trim().starts_with('#'))
        .count();
    assert_eq!(
        results.len(),
        commands,
        "one result line per command:\n{text}"
    );
    results
}

fn field<'a>(v: &'a Value, k: &str) -> &'a str {
    v[k].as_str().unwrap_or_else(|| panic!("no {k} in {v}"))
}

#[test]
fn a_device_lifetime() {
    let digest = "4d".repeat(32);
    let r = session(
        "fast",
        &[
            "keygen --slot 0",
            "policy --slot 0 --sign",
            &format!("sign --slot 0 --digest {digest}"),
            &format!("user:sign --slot 0 --digest {digest}"),
            "ecdh --slot 0 --peer 04".to_string().as_str(),
            "lock --slot 0 --use",
            &format!("sign --slot 0 --digest {digest}"),
            "status",
            "random --bytes 32",
            "frobnicate --now",
            "reset",
            "pubkey --slot 0",
            "zeroize",
        ],
    );
    // keygen: only the public key comes out.
    assert_eq!(r[0]["ok"], true, "{}", r[0]);
    let public = field(&r[0], "public");
    assert_eq!(public.len(), 130);
    assert!(public.starts_with("04"));
    assert!(r[0].get("d").is_none());

    assert_eq!(r[1]["ok"], true);
    // sign: a DER signature that p256 verifies under the public key keygen returned.
    assert_eq!(r[2]["ok"], true, "{}", r[2]);
    let vk = VerifyingKey::from_sec1_bytes(&hex::decode(public).unwrap()).unwrap();
    let sig = Signature::from_der(&hex::decode(field(&r[2], "signature")).unwrap()).unwrap();
    vk.verify_prehash(&hex::decode(&digest).unwrap(), &sig)
        .expect("the session's signature verifies");

    // A user may not sign unless USER_ALLOW says so.
    assert_eq!(r[3]["ok"], false);
    assert_eq!(field(&r[3], "status"), "PRIV");
    // A malformed peer key is a usage error, not a crash.
    assert_eq!(field(&r[4], "status"), "USAGE");
    assert_eq!(r[5]["ok"], true);
    assert_eq!(field(&r[6], "status"), "USE_LOCKED");
    assert_eq!(r[7]["ok"], true);
    assert_eq!(r[7]["violations"], 2, "{}", r[7]);
    assert_eq!(field(&r[7], "err"), "PRIV");
    assert_eq!(field(&r[7], "last"), "USE_LOCKED");
    assert_eq!(field(&r[8], "bytes").len(), 64);
    assert_eq!(field(&r[9], "status"), "USAGE");
    assert_eq!(r[10]["ok"], true);
    // After reset the slot is empty (and no longer use-locked).
    assert_eq!(field(&r[11], "status"), "EMPTY_SLOT");
    assert_eq!(r[12]["ok"], true);
}

#[test]
fn text_mode_and_ext_commands() {
    let out = Command::new(env!("CARGO_BIN_EXE_scu"))
        .args(["sim", "session", "--preset", "fast", "--seed", "3"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .and_then(|mut c| {
            c.stdin.take().unwrap().write_all(
                format!(
                    "keygen --d {}\nkeygen --d {}\n",
                    "00".repeat(31) + "01",
                    "00".repeat(32)
                )
                .as_bytes(),
            )?;
            c.wait_with_output()
        })
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    // d = 1: the public key is G.
    assert!(
        lines[0].starts_with("ok OK")
            && lines[0].contains(
                "public=046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
            ),
        "{text}"
    );
    assert!(lines[1].starts_with("failed BAD_SCALAR"), "{text}");
}
