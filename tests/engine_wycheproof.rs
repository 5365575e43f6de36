//! Project Wycheproof through the engine RTL, tiny and fast presets: every ECDSA
//! P-256/SHA-256 P1363 vector and every ECDH ecpoint vector (../shared/vectors).
//!
//! Host-side rules, the same as `scu sim` applies: a P1363 signature that is not exactly 64
//! bytes, or a peer point that is not an uncompressed SEC1 encoding, never reaches the engine
//! and counts as rejected. "acceptable" vectors may go either way (listed in docs/engine.md).

mod engine_rtl;

use engine_rtl::{pair, SERIAL16};
use num_bigint::BigUint;
use scu_golden::engine::{Command, Status};
use serde_json::Value;
use sha2::{Digest, Sha256};

const VECTORS: &str = "/work/shared/vectors";

fn load(name: &str) -> Value {
    let path = format!("{VECTORS}/{name}");
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("valid JSON")
}

fn tests(v: &Value) -> Vec<(&Value, &Value)> {
    v["testGroups"]
        .as_array()
        .expect("testGroups")
        .iter()
        .flat_map(|g| {
            g["tests"]
                .as_array()
                .expect("tests")
                .iter()
                .map(move |t| (g, t))
        })
        .collect()
}

fn s<'a>(v: &'a Value, key: &str) -> &'a str {
    v[key].as_str().unwrap_or_else(|| panic!("missing {key}"))
}

fn uncompressed(bytes: &[u8]) -> Option<(BigUint, BigUint)> {
    (bytes.len() == 65 && bytes[0] == 4).then(|| {
        (
            BigUint::from_bytes_be(&bytes[1..33]),
            BigUint::from_bytes_be(&bytes[33..]),
        )
    })
}

fn ecdsa(preset: &str) {
    let v = load("wycheproof_ecdsa_secp256r1_sha256_p1363_test.json");
    let mut pair = pair(preset, 21);
    let all = tests(&v);
    assert_eq!(all.len(), v["numberOfTests"].as_u64().unwrap() as usize);
    let (mut on_hw, mut valid) = (0, 0);
    for (group, t) in all {
        let id = t["tcId"].as_u64().unwrap();
        let key = hex::decode(s(&group["publicKey"], "uncompressed")).unwrap();
        let (qx, qy) = uncompressed(&key).expect("ECDSA keys are uncompressed");
        let z = BigUint::from_bytes_be(&Sha256::digest(hex::decode(s(t, "msg")).unwrap()));
        let sig = hex::decode(s(t, "sig")).unwrap();
        let accepted = sig.len() == 64 && {
            on_hw += 1;
            let r = BigUint::from_bytes_be(&sig[..32]);
            let s_ = BigUint::from_bytes_be(&sig[32..]);
            let out = pair.rtl(Command::Verify, &[qx.clone(), qy.clone(), z, r, s_]);
            assert!(
                [Status::Ok, Status::InvalidSig, Status::BadPoint]
                    .map(Status::code)
                    .contains(&out.status),
                "{preset} tc {id}: unexpected status {}",
                out.status
            );
            out.status == Status::Ok.code()
        };
        match s(t, "result") {
            "valid" => {
                valid += 1;
                assert!(
                    accepted,
                    "{preset} tc {id} ({}) must verify",
                    s(t, "comment")
                );
            }
            "invalid" => assert!(
                !accepted,
                "{preset} tc {id} ({}) must not verify",
                s(t, "comment")
            ),
            _ => {}
        }
    }
    assert!(valid > 100 && on_hw > 200, "vector file looks truncated");
}

fn ecdh(preset: &str) {
    let v = load("wycheproof_ecdh_secp256r1_ecpoint_test.json");
    let mut pair = pair(preset, 22);
    let all = tests(&v);
    assert_eq!(all.len(), v["numberOfTests"].as_u64().unwrap() as usize);
    let mut on_hw = 0;
    for (_, t) in all {
        let id = t["tcId"].as_u64().unwrap();
        let result = s(t, "result");
        let public = hex::decode(s(t, "public")).unwrap();
        let d = BigUint::from_bytes_be(&hex::decode(s(t, "private")).unwrap());
        let Some((x, y)) = uncompressed(&public) else {
            // Compressed points are refused by the host (scu::formats); every other
            // non-uncompressed encoding in the file must be an invalid vector.
            let compressed = public.len() == 33 && matches!(public[0], 2 | 3);
            assert!(compressed || result == "invalid", "{preset} tc {id}");
            continue;
        };
        on_hw += 1;
        let out = pair.rtl(Command::Ecdh, &[d, x, y]);
        match result {
            "valid" => {
                assert_eq!(
                    out.status,
                    Status::Ok.code(),
                    "{preset} tc {id} ({})",
                    s(t, "comment")
                );
                let shared = BigUint::from_bytes_be(&hex::decode(s(t, "shared")).unwrap());
                assert_eq!(out.outputs[0], shared, "{preset} tc {id}");
            }
            "invalid" => assert_eq!(
                out.status,
                Status::BadPoint.code(),
                "{preset} tc {id} ({})",
                s(t, "comment")
            ),
            _ => {}
        }
    }
    assert!(on_hw > 300, "vector file looks truncated");
}

#[test]
fn ecdsa_tiny() {
    ecdsa("tiny");
}

#[test]
fn ecdsa_fast() {
    ecdsa("fast");
}

#[test]
fn ecdh_tiny() {
    ecdh("tiny");
}

#[test]
fn ecdh_fast() {
    ecdh("fast");
}

#[test]
fn ecdsa_serial16() {
    ecdsa(SERIAL16);
}

#[test]
fn ecdh_serial16() {
    ecdh(SERIAL16);
}
