//! The engine RTL (tiny and fast presets) in lock-step with the golden model, and both against
//! the `p256`/`ecdsa` crates: random keys, digests, nonces and peer points for all four
//! commands; the randomized coordinates (random λ); error statuses; the host protocol.

mod engine_rtl;
#[path = "../golden-model/tests/engine_support/mod.rs"]
mod engine_support;

use engine_rtl::{pair, SERIAL16, SERIAL32};
use engine_support::*;
use num_bigint::BigUint;
use p256::ProjectivePoint;
use proptest::prelude::*;
use scu_golden::curve;
use scu_golden::engine::{Command, Status};

fn ref_sign(d: &BigUint, k: &BigUint, z: &BigUint) -> (BigUint, BigUint) {
    let (sig, _) =
        ecdsa::hazmat::sign_prehashed::<p256::NistP256>(&nz_scalar(d), &nz_scalar(k), &be32(z))
            .expect("r, s non-zero");
    let bytes = sig.to_bytes();
    (
        BigUint::from_bytes_be(&bytes[..32]),
        BigUint::from_bytes_be(&bytes[32..]),
    )
}

fn ref_verify(qx: &BigUint, qy: &BigUint, z: &BigUint, r: &BigUint, s: &BigUint) -> bool {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let mut sec1 = vec![4u8];
    sec1.extend(be32(qx));
    sec1.extend(be32(qy));
    let Ok(vk) = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1) else {
        return false;
    };
    let mut rs = be32(r).to_vec();
    rs.extend(be32(s));
    let Ok(sig) = p256::ecdsa::Signature::from_slice(&rs) else {
        return false;
    };
    vk.verify_prehash(&be32(z), &sig).is_ok()
}

/// A curve point with a small x (so x + p < 2^256): y = √(x³ − 3x + b), p ≡ 3 (mod 4).
fn small_x_point() -> (BigUint, BigUint) {
    let p = curve::p();
    let e = (&p + 1u32) >> 2u32;
    (0u32..)
        .map(BigUint::from)
        .find_map(|x| {
            let rhs =
                (x.modpow(&BigUint::from(3u32), &p) + &p * 3u32 - &x * 3u32 + curve::b()) % &p;
            let y = rhs.modpow(&e, &p);
            ((&y * &y) % &p == rhs && y != BigUint::default()).then_some((x, y))
        })
        .unwrap()
}

fn scalar_strategy() -> impl Strategy<Value = BigUint> {
    let n = curve::n();
    prop_oneof![
        any::<[u8; 32]>().prop_map(move |b| BigUint::from_bytes_be(&b) % (&n - 1u32) + 1u32),
        (1u64..1000).prop_map(BigUint::from),
        (1u64..1000).prop_map(|x| curve::n() - x),
    ]
}

fn digest_strategy() -> impl Strategy<Value = BigUint> {
    any::<[u8; 32]>().prop_map(|b| BigUint::from_bytes_be(&b))
}

/// λ for the randomized coordinates: any word, and the ones that must be reduced (≥ p) or
/// replaced (≡ 0).
fn lambda_strategy() -> impl Strategy<Value = BigUint> {
    let p = curve::p();
    prop_oneof![
        4 => any::<[u8; 32]>().prop_map(|b| BigUint::from_bytes_be(&b)),
        1 => prop::sample::select(vec![
            BigUint::default(),
            p.clone(),
            &p + 1u32,
            (BigUint::from(1u32) << 256u32) - 1u32,
        ]),
    ]
}

/// Few cases: each is a full scalar multiplication (or two) on the RTL and on the model.
fn config() -> ProptestConfig {
    ProptestConfig {
        cases: 4,
        ..ProptestConfig::default()
    }
}

macro_rules! per_preset {
    ($($name:ident => $body:expr;)*) => {$(
        mod $name {
            use super::*;
            #[test]
            fn tiny() {
                ($body)("tiny")
            }
            #[test]
            fn fast() {
                ($body)("fast")
            }
            #[test]
            fn serial16() {
                ($body)(SERIAL16)
            }
            #[test]
            fn serial32() {
                ($body)(SERIAL32)
            }
        }
    )*};
}

/// 1, 2, 3, n−1, n−2, n−3, (n±1)/2, powers of two, 255 ones: the scalars where ladders and
/// combs have their special cases.
fn edge_scalars() -> Vec<BigUint> {
    let n = curve::n();
    let one = BigUint::from(1u32);
    let mut v: Vec<BigUint> = (1u32..4).map(BigUint::from).collect();
    v.extend((1u32..4).map(|x| &n - x));
    v.push(&n >> 1u32);
    v.push((&n >> 1u32) + 1u32);
    v.push(&one << 255u32);
    v.push(&one << 64u32);
    v.push((&one << 255u32) - 1u32);
    v
}

per_preset! {
    edge_scalars_match_model_and_p256 => |preset: &str| {
        let mut pair = pair(preset, 16);
        // A peer that is not G, and (0, √b), whose x = 0 a Z recovery must not divide by.
        let peers = [ref_keygen(&BigUint::from(0xabcdefu32)), small_x_point()];
        let z = BigUint::from(0x1234_5678u32);
        for d in edge_scalars() {
            let r = pair.lockstep(Command::Keygen, std::slice::from_ref(&d));
            let (x, y) = ref_keygen(&d);
            assert_eq!(r.outputs, vec![x, y], "{preset} KEYGEN d = {d:x}");
            for (px, py) in &peers {
                let r = pair.lockstep(Command::Ecdh, &[d.clone(), px.clone(), py.clone()]);
                let (sx, _) = affine_xy(point(px, py) * scalar(&d));
                assert_eq!(r.outputs, vec![sx], "{preset} ECDH d = {d:x}");
            }
            // The edge value as d and as the nonce.
            for (dd, k) in [(d.clone(), BigUint::from(77u32)), (BigUint::from(77u32), d.clone())] {
                let r = pair.lockstep(Command::Sign, &[dd.clone(), z.clone(), k.clone()]);
                let (rr, ss) = ref_sign(&dd, &k, &z);
                assert_eq!(r.outputs, vec![rr, ss], "{preset} SIGN d = {dd:x} k = {k:x}");
            }
        }
    };
    keygen_matches_model_and_p256 => |preset: &str| {
        let pair = std::cell::RefCell::new(pair(preset, 11));
        proptest!(config(), |(d in scalar_strategy())| {
            let r = pair.borrow_mut().lockstep(Command::Keygen, std::slice::from_ref(&d));
            prop_assert_eq!(r.status, Status::Ok);
            let (x, y) = ref_keygen(&d);
            prop_assert_eq!(r.outputs, vec![x, y]);
        });
    };
    ecdh_matches_model_and_p256 => |preset: &str| {
        let pair = std::cell::RefCell::new(pair(preset, 12));
        proptest!(config(), |(d in scalar_strategy(), e in scalar_strategy())| {
            let (px, py) = ref_keygen(&e);
            let r = pair.borrow_mut().lockstep(Command::Ecdh, &[d.clone(), px.clone(), py.clone()]);
            prop_assert_eq!(r.status, Status::Ok);
            let (sx, _) = affine_xy(point(&px, &py) * scalar(&d));
            prop_assert_eq!(r.outputs, vec![sx]);
        });
    };
    sign_matches_model_and_p256 => |preset: &str| {
        let pair = std::cell::RefCell::new(pair(preset, 13));
        proptest!(config(), |(d in scalar_strategy(), k in scalar_strategy(), z in digest_strategy())| {
            let r = pair.borrow_mut().lockstep(Command::Sign, &[d.clone(), z.clone(), k.clone()]);
            prop_assert_eq!(r.status, Status::Ok);
            let (rr, ss) = ref_sign(&d, &k, &z);
            prop_assert_eq!(r.outputs, vec![rr, ss]);
        });
    };
    verify_matches_model_and_p256 => |preset: &str| {
        let pair = std::cell::RefCell::new(pair(preset, 14));
        proptest!(config(), |(d in scalar_strategy(), k in scalar_strategy(), z in digest_strategy(), flip in 0usize..3)| {
            let (qx, qy) = ref_keygen(&d);
            let (r, s) = ref_sign(&d, &k, &z);
            // 0: the genuine signature; 1: another digest; 2: another s.
            let (z2, s2) = match flip {
                0 => (z.clone(), s.clone()),
                1 => (&z ^ BigUint::from(1u32), s.clone()),
                _ => (z.clone(), (&s % (curve::n() - 1u32)) + 1u32),
            };
            let out = pair.borrow_mut().lockstep(Command::Verify, &[qx.clone(), qy.clone(), z2.clone(), r.clone(), s2.clone()]);
            let expect = ref_verify(&qx, &qy, &z2, &r, &s2);
            prop_assert_eq!(out.status == Status::Ok, expect, "flip {}", flip);
            if !expect {
                prop_assert_eq!(out.status, Status::InvalidSig);
            }
        });
    };
    randomized_commands_match_model_and_p256 => |preset: &str| {
        // KEYGEN, ECDH and SIGN with a random λ: lock-step with the model (which consumes the
        // same word), the p256 results, and the model's run with λ = 1 — same results, same
        // executed pcs.
        let pair = std::cell::RefCell::new(pair(preset, 17));
        proptest!(config(), |(d in scalar_strategy(), e in scalar_strategy(), k in scalar_strategy(),
                              z in digest_strategy(), lambda in lambda_strategy())| {
            let (kx, ky) = ref_keygen(&d);
            let (px, py) = ref_keygen(&e);
            let (sx, _) = affine_xy(point(&px, &py) * scalar(&d));
            let (rr, ss) = ref_sign(&d, &k, &z);
            for (cmd, inputs, want) in [
                (Command::Keygen, vec![d.clone()], vec![kx, ky]),
                (Command::Ecdh, vec![d.clone(), px, py], vec![sx]),
                (Command::Sign, vec![d.clone(), z.clone(), k.clone()], vec![rr, ss]),
            ] {
                let mut pair = pair.borrow_mut();
                let r = pair.lockstep_randomized(cmd, &inputs, std::slice::from_ref(&lambda));
                prop_assert_eq!(r.status, Status::Ok);
                prop_assert_eq!(&r.outputs, &want, "{:?}", cmd);
                let off = pair.model.run(cmd.code(), &inputs);
                prop_assert_eq!(&off.outputs, &want, "{:?}", cmd);
                prop_assert!(off.pcs == r.pcs, "{:?}: λ changed the schedule", cmd);
                prop_assert_eq!(off.cycles, r.cycles);
            }
        });
    };
    lambda_changes_the_trace_not_the_schedule => |preset: &str| {
        // The countermeasure is real on the RTL: two λ give different register-file values
        // but the same write addresses, pcs and cycles.
        let mut pair = pair(preset, 18);
        let mut rng = engine_support::Rng::new(19);
        let d = rng.scalar();
        let (px, py) = ref_keygen(&rng.scalar());
        let (k, z) = (rng.scalar(), rng.u256());
        for (cmd, inputs) in [
            (Command::Keygen, vec![d.clone()]),
            (Command::Ecdh, vec![d.clone(), px, py]),
            (Command::Sign, vec![d.clone(), z, k]),
        ] {
            let a = pair.lockstep_randomized(cmd, &inputs, &[rng.u256()]);
            let b = pair.lockstep_randomized(cmd, &inputs, &[rng.u256()]);
            assert_eq!(a.status, Status::Ok);
            assert_eq!(a.outputs, b.outputs, "{preset} {cmd:?}");
            assert!(a.writes != b.writes, "{preset} {cmd:?}: λ did not change the trace");
            let addrs = |r: &scu_golden::engine::RunResult| -> Vec<u8> {
                r.writes.iter().map(|w| w.0).collect()
            };
            assert_eq!(addrs(&a), addrs(&b), "{preset} {cmd:?}");
            assert!(a.pcs == b.pcs, "{preset} {cmd:?}: pcs differ");
            assert_eq!(a.cycles, b.cycles, "{preset} {cmd:?}");
        }
    };
    error_statuses => |preset: &str| {
        let mut pair = pair(preset, 15);
        let pair = &mut pair;
        let n = curve::n();
        let p = curve::p();
        let (gx, gy) = ref_keygen(&BigUint::from(1u32));
        let z = BigUint::from(7u32);
        let one = BigUint::from(1u32);
        // Scalars outside [1, n−1].
        for d in [BigUint::default(), n.clone(), &n + 1u32, (BigUint::from(1u32) << 256u32) - 1u32] {
            assert_eq!(pair.lockstep(Command::Keygen, std::slice::from_ref(&d)).status, Status::BadScalar);
            assert_eq!(pair.lockstep(Command::Sign, &[d.clone(), z.clone(), one.clone()]).status, Status::BadScalar);
            assert_eq!(pair.lockstep(Command::Sign, &[one.clone(), z.clone(), d.clone()]).status, Status::BadScalar);
            assert_eq!(pair.lockstep(Command::Ecdh, &[d.clone(), gx.clone(), gy.clone()]).status, Status::BadScalar);
        }
        // Invalid peer points: off the curve, x ≥ p (a valid point with p added to x, which
        // still fits 256 bits: only a small x allows that), x or y = p, (0, 0).
        let (sx, sy) = small_x_point();
        let bad_points = [
            (gx.clone(), &gy + 1u32),
            (&sx + &p, sy.clone()),
            (p.clone(), gy.clone()),
            (gx.clone(), p.clone()),
            (BigUint::default(), BigUint::default()),
        ];
        assert!(point(&sx, &sy) != ProjectivePoint::IDENTITY);
        for (x, y) in &bad_points {
            assert_eq!(pair.lockstep(Command::Ecdh, &[one.clone(), x.clone(), y.clone()]).status, Status::BadPoint);
            assert_eq!(
                pair.lockstep(Command::Verify, &[x.clone(), y.clone(), z.clone(), one.clone(), one.clone()]).status,
                Status::BadPoint
            );
        }
        // r, s outside [1, n−1] are invalid signatures, whatever the rest.
        for (r, s) in [(BigUint::default(), one.clone()), (one.clone(), BigUint::default()), (n.clone(), one.clone()), (one.clone(), n.clone())] {
            assert_eq!(
                pair.lockstep(Command::Verify, &[gx.clone(), gy.clone(), z.clone(), r, s]).status,
                Status::InvalidSig
            );
        }
        // Unknown commands: BAD_CMD after the start cycle, nothing written.
        for cmd in 4u8..8 {
            let r = pair.rtl.run(cmd, &[], &[], true).unwrap();
            assert_eq!(r.status, Status::BadCmd.code());
            assert_eq!(r.cycles, pair.model.run(cmd, &[]).cycles);
            assert!(r.writes.is_empty());
        }
        // The engine still works afterwards.
        let r = pair.lockstep(Command::Keygen, &[BigUint::from(2u32)]);
        assert_eq!(r.outputs, {
            let (x, y) = affine_xy(ProjectivePoint::GENERATOR + ProjectivePoint::GENERATOR);
            vec![x, y]
        });
    };
}
