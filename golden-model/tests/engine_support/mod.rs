//! Shared helpers for the engine tests: typed command wrappers, conversions to and from the
//! `p256` crate (the independent reference), and a seeded generator for random operands.

#![allow(dead_code)]

use num_bigint::BigUint;
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use p256::{AffinePoint, FieldBytes, NistP256, NonZeroScalar, ProjectivePoint, Scalar};
use scu_golden::curve;
use scu_golden::engine::{Command, Engine, RunResult, Status};

pub fn big(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).expect("hex")
}

pub fn be32(x: &BigUint) -> [u8; 32] {
    let be = x.to_bytes_be();
    assert!(be.len() <= 32);
    let mut out = [0u8; 32];
    out[32 - be.len()..].copy_from_slice(&be);
    out
}

pub fn scalar(x: &BigUint) -> Scalar {
    Option::from(Scalar::from_repr(FieldBytes::from(be32(x)))).expect("scalar below n")
}

pub fn nz_scalar(x: &BigUint) -> NonZeroScalar {
    Option::from(NonZeroScalar::new(scalar(x))).expect("non-zero scalar")
}

pub fn affine_xy(point: ProjectivePoint) -> (BigUint, BigUint) {
    let encoded = point.to_affine().to_sec1_point(false);
    let x = encoded.x().expect("not the identity");
    let y = encoded.y().expect("uncompressed");
    (BigUint::from_bytes_be(x), BigUint::from_bytes_be(y))
}

/// The p256 point with affine coordinates (x, y); panics if it is not on the curve.
pub fn point(x: &BigUint, y: &BigUint) -> ProjectivePoint {
    let mut sec1 = vec![4u8];
    sec1.extend(be32(x));
    sec1.extend(be32(y));
    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).expect("valid point");
    ProjectivePoint::from(*vk.as_affine())
}

pub fn ref_keygen(d: &BigUint) -> (BigUint, BigUint) {
    affine_xy(ProjectivePoint::GENERATOR * scalar(d))
}

pub fn generator_affine() -> AffinePoint {
    ProjectivePoint::GENERATOR.to_affine()
}

/// splitmix64: a tiny, fixed-seed generator so every run sees the same "random" operands.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Self {
        Rng(seed)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    pub fn u256(&mut self) -> BigUint {
        (0..4).fold(BigUint::default(), |acc, _| {
            (acc << 64u32) + self.next_u64()
        })
    }

    /// Uniform-ish in [1, n−1].
    pub fn scalar(&mut self) -> BigUint {
        let n = curve::n();
        loop {
            let x = self.u256();
            if x != BigUint::default() && x < n {
                return x;
            }
        }
    }
}

pub fn keygen(e: &mut Engine, d: &BigUint) -> RunResult {
    e.run(Command::Keygen.code(), std::slice::from_ref(d))
}

pub fn ecdh(e: &mut Engine, d: &BigUint, x: &BigUint, y: &BigUint) -> RunResult {
    e.run(Command::Ecdh.code(), &[d.clone(), x.clone(), y.clone()])
}

pub fn sign(e: &mut Engine, d: &BigUint, z: &BigUint, k: &BigUint) -> RunResult {
    e.run(Command::Sign.code(), &[d.clone(), z.clone(), k.clone()])
}

pub fn verify(
    e: &mut Engine,
    qx: &BigUint,
    qy: &BigUint,
    z: &BigUint,
    r: &BigUint,
    s: &BigUint,
) -> Status {
    e.run(
        Command::Verify.code(),
        &[qx.clone(), qy.clone(), z.clone(), r.clone(), s.clone()],
    )
    .status
}

pub fn engine(w: usize) -> Engine {
    Engine::new(w).expect("supported width")
}

/// a⁻¹ mod n (n prime).
pub fn inv_n(a: &BigUint) -> BigUint {
    let n = curve::n();
    a.modpow(&(&n - 2u32), &n)
}

/// −P as affine coordinates.
pub fn neg_xy(x: &BigUint, y: &BigUint) -> (BigUint, BigUint) {
    (x.clone(), (curve::p() - y) % curve::p())
}

/// y with (x, y) on the curve, if x³ − 3x + b is a square mod p (p ≡ 3 mod 4).
pub fn lift_x(x: &BigUint) -> Option<BigUint> {
    let p = curve::p();
    let rhs = (x * x * x + curve::b() + &p * 3u32 - (x * 3u32) % &p) % &p;
    let y = rhs.modpow(&((&p + 1u32) >> 2), &p);
    (&y * &y % &p == rhs).then_some(y)
}

/// A signature (z, r, s) under the key Q = (qx, qy) whose verification computes exactly
/// R = u1·G + u2·Q with the given u1 ∈ [0, n−1], u2 ∈ [1, n−1]: r = x_R mod n, s = r/u2,
/// z = u1·s. None if R = O or r = 0.
pub fn craft_signature(
    qx: &BigUint,
    qy: &BigUint,
    u1: &BigUint,
    u2: &BigUint,
) -> Option<(BigUint, BigUint, BigUint)> {
    use p256::elliptic_curve::group::Group;
    let n = curve::n();
    let big_r = ProjectivePoint::GENERATOR * scalar(u1) + point(qx, qy) * scalar(u2);
    if bool::from(big_r.is_identity()) {
        return None;
    }
    let r = affine_xy(big_r).0 % &n;
    if r == BigUint::default() {
        return None;
    }
    let s = &r * inv_n(u2) % &n;
    let z = u1 * &s % &n;
    Some((z, r, s))
}

/// Scalars at the edges of the ladder: the smallest and largest, the one the ladder replaces
/// (n − 1), both sides of the recoding threshold 2^257 − 2n (k + 3n below, k + 2n from it on),
/// halves of n, the top bit alone and with many leading zeros, low Hamming weight.
pub fn edge_scalars() -> Vec<BigUint> {
    let n = curve::n();
    let one = BigUint::from(1u32);
    let threshold = (&one << 257u32) - &n * 2u32;
    vec![
        one.clone(),
        BigUint::from(2u32),
        BigUint::from(3u32),
        BigUint::from(4u32),
        &n - 1u32,
        &n - 2u32,
        &n - 3u32,
        &n - 4u32,
        &threshold - 1u32,
        threshold.clone(),
        &threshold + 1u32,
        &n - &threshold,
        (&n - 1u32) >> 1,
        (&n + 1u32) >> 1,
        (&n + 3u32) >> 1,
        &one << 255u32,          // single top bit: no leading zeros
        (&one << 255u32) + 1u32, // and the lowest
        &one << 128u32,          // low Hamming weight, long zero tail
        (&one << 255u32) - 1u32, // 255 ones
        (&one << 17u32) + 1u32,  // mostly leading zeros
        &one << 224u32,
        big("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
        big("5555555555555555555555555555555555555555555555555555555555555555"),
    ]
}

/// The two valid points with x = 0 (b is a square mod p): a division by x_P would fail on them.
pub fn points_with_x_zero() -> [(BigUint, BigUint); 2] {
    let zero = BigUint::default();
    let y = lift_x(&zero).expect("b is a square mod p");
    let minus = neg_xy(&zero, &y);
    [(zero, y), minus]
}

/// The `ecdsa` crate's signature with nonce k (the reference for SIGN).
pub fn ref_sign(d: &BigUint, k: &BigUint, z: &BigUint) -> (BigUint, BigUint) {
    let (sig, _) =
        ecdsa::hazmat::sign_prehashed::<NistP256>(&nz_scalar(d), &nz_scalar(k), &be32(z))
            .expect("r, s non-zero");
    let bytes = sig.to_bytes();
    (
        BigUint::from_bytes_be(&bytes[..32]),
        BigUint::from_bytes_be(&bytes[32..]),
    )
}

/// The `p256` crate's verdict (the reference for VERIFY).
pub fn p256_verify(qx: &BigUint, qy: &BigUint, z: &BigUint, r: &BigUint, s: &BigUint) -> bool {
    let mut sec1 = vec![4u8];
    sec1.extend(be32(qx));
    sec1.extend(be32(qy));
    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).expect("valid key");
    let mut rs = be32(r).to_vec();
    rs.extend(be32(s));
    match p256::ecdsa::Signature::from_slice(&rs) {
        Ok(sig) => vk.verify_prehash(&be32(z), &sig).is_ok(),
        Err(_) => false,
    }
}
