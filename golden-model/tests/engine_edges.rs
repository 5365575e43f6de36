//! The microcode's edge cases against `p256`/`ecdsa`: edge scalars through every command that
//! multiplies a secret, the points a ladder could stumble on, and VERIFY inputs crafted to
//! drive its joint double-and-add through each exceptional case. Ends with a coverage check:
//! together these runs execute every instruction of the ROM that any input can reach.

mod engine_support;

use std::collections::HashSet;

use engine_support::*;
use num_bigint::BigUint;
use p256::ProjectivePoint;
use scu_golden::curve;
use scu_golden::engine::{program, Command, Engine, Instr, RunResult, Status};

const W: usize = 64;

fn one() -> BigUint {
    BigUint::from(1u32)
}

/// A public key that is not G or a small multiple of it.
fn some_point() -> (BigUint, BigUint) {
    ref_keygen(&big(
        "8e5b2a7f3c1d9e0b4a6f2c8d1e3b5a7c9f0e2d4b6a8c1e3f5a7b9d0c2e4f6a81",
    ))
}

fn check_ecdh(e: &mut Engine, d: &BigUint, (px, py): &(BigUint, BigUint)) -> RunResult {
    let r = ecdh(e, d, px, py);
    assert_eq!(r.status, Status::Ok, "d = {d:x}, P = ({px:x}, {py:x})");
    let expected = affine_xy(point(px, py) * scalar(d)).0;
    assert_eq!(r.outputs, vec![expected], "d = {d:x}, P = ({px:x}, {py:x})");
    r
}

#[test]
fn ecdh_edge_scalars_on_a_general_point_and_on_x_zero() {
    let mut e = engine(W);
    let [xz, xz_neg] = points_with_x_zero();
    for d in edge_scalars() {
        for p in [some_point(), xz.clone(), xz_neg.clone()] {
            check_ecdh(&mut e, &d, &p);
        }
    }
}

/// Random scalars shaped for the comb and the ladder: whole 64-bit teeth zeroed (digits with
/// fixed zero bits, long runs of digit 0), random lengths (leading zeros), values around
/// (n − 1)/2 where the comb folds k to n − k.
fn structured_scalars(rng: &mut Rng, count: usize) -> Vec<BigUint> {
    let n = curve::n();
    let lane = (one() << 64u32) - 1u32;
    (0..count)
        .map(|i| {
            let mut k = rng.scalar();
            match i % 4 {
                0 => {
                    let keep = rng.next_u64() % 16;
                    for t in 0..4u32 {
                        if keep >> t & 1 == 0 {
                            k ^= &k & (lane.clone() << (64 * t));
                        }
                    }
                }
                1 => k >>= rng.next_u64() % 256,
                2 => {
                    let delta = BigUint::from(rng.next_u64() % 1000);
                    k = if rng.next_u64().is_multiple_of(2) {
                        ((&n - 1u32) >> 1) + 1u32 - delta
                    } else {
                        ((&n - 1u32) >> 1) + delta
                    };
                }
                _ => {}
            }
            if k == BigUint::default() {
                one()
            } else {
                k
            }
        })
        .collect()
}

#[test]
fn keygen_and_ecdh_match_p256_on_structured_random_scalars() {
    let mut e = engine(W);
    let mut rng = Rng::new(28);
    let p = some_point();
    for d in structured_scalars(&mut rng, 64) {
        let r = keygen(&mut e, &d);
        assert_eq!(r.status, Status::Ok, "d = {d:x}");
        let (x, y) = ref_keygen(&d);
        assert_eq!(r.outputs, vec![x, y], "d = {d:x}");
        check_ecdh(&mut e, &d, &p);
    }
}

#[test]
fn sign_edge_nonces() {
    let mut e = engine(W);
    let mut rng = Rng::new(21);
    for k in edge_scalars() {
        let (d, z) = (rng.scalar(), rng.u256());
        let r = sign(&mut e, &d, &z, &k);
        assert_eq!(r.status, Status::Ok, "k = {k:x}");
        let (rr, ss) = ref_sign(&d, &k, &z);
        assert_eq!(r.outputs, vec![rr, ss], "k = {k:x}");
    }
}

#[test]
fn sign_edge_keys() {
    let mut e = engine(W);
    let mut rng = Rng::new(22);
    for d in edge_scalars() {
        let (k, z) = (rng.scalar(), rng.u256());
        let r = sign(&mut e, &d, &z, &k);
        assert_eq!(r.status, Status::Ok, "d = {d:x}");
        assert_eq!(r.outputs, {
            let (rr, ss) = ref_sign(&d, &k, &z);
            vec![rr, ss]
        });
    }
}

/// VERIFY on a crafted signature: status and the p256 verdict must agree, and be `expect`.
fn check_verify(
    e: &mut Engine,
    q: &(BigUint, BigUint),
    sig: &(BigUint, BigUint, BigUint),
    expect: bool,
) -> RunResult {
    let (qx, qy) = q;
    let (z, r, s) = sig;
    assert_eq!(p256_verify(qx, qy, z, r, s), expect, "reference");
    let res = e.run(
        Command::Verify.code(),
        &[qx.clone(), qy.clone(), z.clone(), r.clone(), s.clone()],
    );
    let want = if expect {
        Status::Ok
    } else {
        Status::InvalidSig
    };
    assert_eq!(res.status, want, "z={z:x} r={r:x} s={s:x}");
    res
}

fn g() -> (BigUint, BigUint) {
    (curve::gx(), curve::gy())
}

#[test]
fn verify_with_q_equal_to_g_doubles_inside_the_addition() {
    // Q = G: the precomputed G + Q is 2G (the addition's doubling path), and with u1 = 11…,
    // u2 = 01… (top bits) the accumulator is G when 2G is added to 2G: doubling mid-loop.
    let mut e = engine(W);
    let mut rng = Rng::new(23);
    let low = (one() << 254u32) - 1u32;
    let u1 = (one() << 255u32) + (one() << 254u32) + (rng.scalar() & &low);
    let u2 = (one() << 254u32) + (rng.scalar() & &low);
    let sig = craft_signature(&curve::gx(), &curve::gy(), &u1, &u2).unwrap();
    check_verify(&mut e, &g(), &sig, true);
}

#[test]
fn verify_with_q_equal_to_minus_g_has_no_g_plus_q() {
    // Q = −G (key n − 1): G + Q = O, so joint bits 11 add nothing.
    let mut e = engine(W);
    let n = curve::n();
    let minus_g = neg_xy(&curve::gx(), &curve::gy());
    let mut rng = Rng::new(24);
    for _ in 0..2 {
        let (k, z) = (rng.scalar(), rng.u256());
        let (r, s) = ref_sign(&(&n - 1u32), &k, &z);
        check_verify(&mut e, &minus_g, &(z, r, s), true);
    }
    let sig = craft_signature(&minus_g.0, &minus_g.1, &rng.scalar(), &rng.scalar()).unwrap();
    check_verify(&mut e, &minus_g, &sig, true);
}

#[test]
fn verify_rejects_r_at_infinity() {
    // u1 + u2·d ≡ 0 (mod n) makes R = O: with Q = G, u1 = n − u2 the last addition adds G to
    // −G (the accumulator's O path). With a general key: z = −r·d.
    let mut e = engine(W);
    let n = curve::n();
    let mut rng = Rng::new(25);
    let (r, s) = (rng.scalar(), rng.scalar());
    let z = &n - &r; // e = −r → u1 = −u2
    check_verify(&mut e, &g(), &(z, r.clone(), s.clone()), false);
    let d = rng.scalar();
    let q = ref_keygen(&d);
    let z = (&n - &r * &d % &n) % &n;
    check_verify(&mut e, &q, &(z, r, s), false);
}

#[test]
fn verify_accepts_x_r_above_n() {
    // x_R ∈ [n, p) means r = x_R − n: VERIFY must also compare against r + n. Pick such an R,
    // u2 = 1 and Q = R − u1·G, so that u1·G + u2·Q = R.
    let mut e = engine(W);
    let n = curve::n();
    let (x, y) = (0u32..)
        .find_map(|i| {
            let x = &n + i;
            lift_x(&x).map(|y| (x, y))
        })
        .unwrap();
    let big_r = point(&x, &y);
    let mut rng = Rng::new(26);
    let u1 = rng.scalar();
    let q = affine_xy(big_r - ProjectivePoint::GENERATOR * scalar(&u1));
    let sig = craft_signature(&q.0, &q.1, &u1, &one()).unwrap();
    assert_eq!(sig.1, &x - &n);
    check_verify(&mut e, &q, &sig, true);
    // The same r with another s fails both comparisons.
    let bad = (sig.0.clone(), sig.1.clone(), (&sig.2 + 1u32) % &n);
    check_verify(&mut e, &q, &bad, false);
}

#[test]
fn verify_small_r_checks_the_second_candidate() {
    // r < p − n: r + n is a possible x_R, so a wrong signature fails the second comparison too.
    let mut e = engine(W);
    let q = some_point();
    let sig = (
        BigUint::from(5u32),
        BigUint::from(1u32),
        BigUint::from(1u32),
    );
    check_verify(&mut e, &q, &sig, false);
}

/// Every instruction some input can reach, run at least once by the edge cases above plus
/// each failure status. The only unreachable one is `FAIL R_ZERO` (r = x(k·G) mod n = 0 has
/// no known k).
#[test]
fn the_edge_cases_cover_the_whole_rom() {
    let mut e = engine(W);
    let mut seen: HashSet<u16> = HashSet::new();
    let mut run = |e: &mut Engine, cmd: Command, inputs: Vec<BigUint>| {
        let r = e.run(cmd.code(), &inputs);
        seen.extend(r.pcs.iter().copied());
        r.status
    };
    let n = curve::n();
    let (gx, gy) = g();
    let q = some_point();
    let mut rng = Rng::new(27);
    let d = rng.scalar();
    let (k, z) = (rng.scalar(), rng.u256());
    let zero = BigUint::default();

    assert_eq!(run(&mut e, Command::Keygen, vec![d.clone()]), Status::Ok);
    assert_eq!(
        run(&mut e, Command::Keygen, vec![zero.clone()]),
        Status::BadScalar
    );
    assert_eq!(
        run(&mut e, Command::Keygen, vec![n.clone()]),
        Status::BadScalar
    );
    assert_eq!(
        run(
            &mut e,
            Command::Ecdh,
            vec![d.clone(), q.0.clone(), q.1.clone()]
        ),
        Status::Ok
    );
    assert_eq!(
        run(
            &mut e,
            Command::Ecdh,
            vec![n.clone(), q.0.clone(), q.1.clone()]
        ),
        Status::BadScalar
    );
    for (x, y) in [
        (curve::p(), gy.clone()),
        (gx.clone(), curve::p()),
        (gx.clone(), &gy + 1u32),
    ] {
        assert_eq!(
            run(&mut e, Command::Ecdh, vec![d.clone(), x, y]),
            Status::BadPoint
        );
    }
    assert_eq!(
        run(&mut e, Command::Sign, vec![d.clone(), z.clone(), k.clone()]),
        Status::Ok
    );
    assert_eq!(
        run(
            &mut e,
            Command::Sign,
            vec![zero.clone(), z.clone(), k.clone()]
        ),
        Status::BadScalar
    );
    let (sd, sk) = (BigUint::from(12345u32), BigUint::from(67890u32));
    let rr = affine_xy(ProjectivePoint::GENERATOR * scalar(&sk)).0 % &n;
    let sz = (&n - (&rr * &sd) % &n) % &n;
    assert_eq!(run(&mut e, Command::Sign, vec![sd, sz, sk]), Status::SZero);

    let mut verify =
        |e: &mut Engine, q: &(BigUint, BigUint), (z, r, s): (BigUint, BigUint, BigUint)| {
            run(e, Command::Verify, vec![q.0.clone(), q.1.clone(), z, r, s])
        };
    let (r, s) = ref_sign(&d, &k, &z);
    let qd = ref_keygen(&d);
    assert_eq!(
        verify(&mut e, &qd, (z.clone(), r.clone(), s.clone())),
        Status::Ok
    );
    assert_eq!(
        verify(&mut e, &qd, (z.clone(), zero.clone(), s.clone())),
        Status::InvalidSig
    );
    assert_eq!(
        verify(
            &mut e,
            &(gx.clone(), &gy + 1u32),
            (z.clone(), r.clone(), s.clone())
        ),
        Status::BadPoint
    );
    // Q = G (precomputed 2G, mid-loop doubling), Q = −G (G + Q = O), R = O, x_R ≥ n, small r.
    let low = (one() << 254u32) - 1u32;
    let u1 = (one() << 255u32) + (one() << 254u32) + (rng.scalar() & &low);
    let u2 = (one() << 254u32) + (rng.scalar() & &low);
    assert_eq!(
        verify(&mut e, &g(), craft_signature(&gx, &gy, &u1, &u2).unwrap()),
        Status::Ok
    );
    let minus_g = neg_xy(&gx, &gy);
    let sig = craft_signature(&minus_g.0, &minus_g.1, &rng.scalar(), &rng.scalar()).unwrap();
    assert_eq!(verify(&mut e, &minus_g, sig), Status::Ok);
    let (r2, s2) = (rng.scalar(), rng.scalar());
    assert_eq!(verify(&mut e, &g(), (&n - &r2, r2, s2)), Status::InvalidSig);
    let (x, y) = (0u32..)
        .find_map(|i| lift_x(&(&n + i)).map(|y| (&n + i, y)))
        .unwrap();
    let u1 = rng.scalar();
    let qr = affine_xy(point(&x, &y) - ProjectivePoint::GENERATOR * scalar(&u1));
    assert_eq!(
        verify(
            &mut e,
            &qr,
            craft_signature(&qr.0, &qr.1, &u1, &one()).unwrap()
        ),
        Status::Ok
    );
    let small = (BigUint::from(5u32), one(), one());
    assert_eq!(verify(&mut e, &q, small), Status::InvalidSig);

    let code = &program().code;
    let missed: Vec<String> = (0..code.len() as u16)
        .filter(|pc| !seen.contains(pc))
        .map(|pc| format!("{pc}: {}", code[pc as usize]))
        .collect();
    assert_eq!(
        missed,
        [format!(
            "{}: {}",
            code.iter()
                .position(|i| *i
                    == Instr::Fail {
                        code: Status::RZero
                    })
                .unwrap(),
            Instr::Fail {
                code: Status::RZero
            }
        )],
        "instructions no test reaches"
    );
}
