//! Project Wycheproof through the whole SCU: the driver (`scu_driver::Scu`) writes the
//! operand windows of the Verilated `scu_wb_w128` over Wishbone, issues VERIFY / ECDH_EXT,
//! polls and reads the result windows — with the gate's golden model in lock-step on every
//! cycle. tests/engine_wycheproof.rs runs the same vectors on the bare engine of both
//! presets; this file shows the gate, bus and driver add nothing and lose nothing.
//!
//! Host-side rules as in `scu sim`: a P1363 signature that is not 64 bytes, or a peer point
//! that is not an uncompressed SEC1 encoding, never reaches the hardware.

use scu::device::SimScu;
use scu_driver::{EngineStatus, Error, PublicKey, Scu, Signature};
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

fn b32(bytes: &[u8]) -> [u8; 32] {
    assert!(bytes.len() <= 32 || bytes[..bytes.len() - 32].iter().all(|&b| b == 0));
    let tail = &bytes[bytes.len().saturating_sub(32)..];
    let mut out = [0u8; 32];
    out[32 - tail.len()..].copy_from_slice(tail);
    out
}

fn point(bytes: &[u8]) -> Option<PublicKey> {
    (bytes.len() == 65 && bytes[0] == 4).then(|| PublicKey {
        x: b32(&bytes[1..33]),
        y: b32(&bytes[33..]),
    })
}

fn scu(seed: u64) -> Scu<SimScu> {
    let mut scu = Scu::new(SimScu::new(128, seed, true).expect("SCU model"), true);
    scu.probe().expect("the SCU answers");
    scu
}

#[test]
fn ecdsa_verify_through_the_scu() {
    let v = load("wycheproof_ecdsa_secp256r1_sha256_p1363_test.json");
    let mut scu = scu(31);
    let (mut on_hw, mut valid) = (0, 0);
    for (group, t) in tests(&v) {
        let id = t["tcId"].as_u64().unwrap();
        let key = point(&hex::decode(s(&group["publicKey"], "uncompressed")).unwrap())
            .expect("ECDSA keys are uncompressed");
        let z: [u8; 32] = Sha256::digest(hex::decode(s(t, "msg")).unwrap()).into();
        let sig = hex::decode(s(t, "sig")).unwrap();
        let accepted = sig.len() == 64 && {
            on_hw += 1;
            let sig = Signature {
                r: b32(&sig[..32]),
                s: b32(&sig[32..]),
            };
            match scu.verify(&key, &z, &sig) {
                Ok(v) => v,
                Err(Error::Engine(EngineStatus::BadPoint)) => false,
                Err(e) => panic!("tc {id}: {e:?}"),
            }
        };
        match s(t, "result") {
            "valid" => {
                valid += 1;
                assert!(accepted, "tc {id} ({}) must verify", s(t, "comment"));
            }
            "invalid" => assert!(!accepted, "tc {id} ({}) must not verify", s(t, "comment")),
            _ => {}
        }
    }
    assert!(valid > 100 && on_hw > 200, "vector file looks truncated");
}

#[test]
fn ecdh_through_the_scu() {
    let v = load("wycheproof_ecdh_secp256r1_ecpoint_test.json");
    let mut scu = scu(32);
    let mut on_hw = 0;
    for (_, t) in tests(&v) {
        let id = t["tcId"].as_u64().unwrap();
        let result = s(t, "result");
        let Some(peer) = point(&hex::decode(s(t, "public")).unwrap()) else {
            continue;
        };
        let d = b32(&hex::decode(s(t, "private")).unwrap());
        on_hw += 1;
        match (result, scu.ecdh_ext(&d, &peer)) {
            ("valid", Ok(x)) => {
                assert_eq!(hex::encode(x), s(t, "shared"), "tc {id}");
            }
            ("invalid", Err(Error::Engine(EngineStatus::BadPoint))) => {}
            ("acceptable", _) => {}
            (r, got) => panic!("tc {id} ({}) {r}: got {got:?}", s(t, "comment")),
        }
    }
    assert!(on_hw > 300, "vector file looks truncated");
}
