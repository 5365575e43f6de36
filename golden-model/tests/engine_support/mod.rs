//! Shared helpers for the engine tests: typed command wrappers, conversions to and from the
//! `p256` crate (the independent reference), and a seeded generator for random operands.

#![allow(dead_code)]

use num_bigint::BigUint;
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use p256::{AffinePoint, FieldBytes, NonZeroScalar, ProjectivePoint, Scalar};
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
