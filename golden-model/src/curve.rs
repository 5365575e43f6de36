//! P-256 domain parameters (SEC 2 v2, §2.4.2) and the derived Montgomery constants the field
//! ALU needs. Everything derived is computed here from p and n rather than copied, so a typo in
//! one table cannot silently agree with the same typo elsewhere.

use std::sync::OnceLock;

use num_bigint::BigUint;
use num_traits::One;

use crate::field_alu::Modulus;

/// Montgomery radix exponent: R = 2^256 for both moduli.
pub const R_BITS: usize = 256;

fn parse_hex(hex: &str) -> BigUint {
    BigUint::parse_bytes(hex.as_bytes(), 16).expect("curve constant is valid hex")
}

macro_rules! hex_constant {
    ($(#[$doc:meta])* $name:ident = $hex:literal) => {
        $(#[$doc])*
        pub fn $name() -> BigUint {
            static VALUE: OnceLock<BigUint> = OnceLock::new();
            VALUE.get_or_init(|| parse_hex($hex)).clone()
        }
    };
}

hex_constant!(
    /// Field prime p = 2^256 − 2^224 + 2^192 + 2^96 − 1.
    p = "ffffffff00000001000000000000000000000000ffffffffffffffffffffffff"
);
hex_constant!(
    /// Order n of the base point G.
    n = "ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551"
);
hex_constant!(
    /// Coefficient b of y² = x³ + a·x + b.
    b = "5ac635d8aa3a93e7b3ebbd55769886bc651d06b0cc53b0f63bce3c3e27d2604b"
);
hex_constant!(
    /// Affine x coordinate of the base point G.
    gx = "6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
);
hex_constant!(
    /// Affine y coordinate of the base point G.
    gy = "4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5"
);

/// Coefficient a = p − 3 (i.e. −3 mod p).
pub fn a() -> BigUint {
    p() - 3u32
}

/// The modulus selected by `mod_sel`.
pub fn modulus(m: Modulus) -> BigUint {
    match m {
        Modulus::P => p(),
        Modulus::N => n(),
    }
}

/// m' = −m⁻¹ mod 2^w, the CIOS quotient constant for word width `w` (1 ≤ w ≤ 128).
pub fn m_prime(m: Modulus, w: usize) -> u128 {
    assert!(
        (1..=128).contains(&w),
        "word width {w} out of range 1..=128"
    );
    let digits: Vec<u64> = modulus(m).iter_u64_digits().collect();
    let m0 = digits[0] as u128 | (digits.get(1).copied().unwrap_or(0) as u128) << 64;
    assert!(m0 & 1 == 1, "Montgomery reduction needs an odd modulus");
    // Newton–Hensel: each step doubles the number of correct low bits (3 → 6 → … → 128),
    // starting from m0·m0 ≡ 1 (mod 8).
    let mut inv = m0;
    for _ in 0..6 {
        inv = inv.wrapping_mul(2u128.wrapping_sub(m0.wrapping_mul(inv)));
    }
    debug_assert_eq!(m0.wrapping_mul(inv), 1);
    let mask = if w == 128 {
        u128::MAX
    } else {
        (1u128 << w) - 1
    };
    inv.wrapping_neg() & mask
}

/// R² mod m, the multiplier that takes a value into Montgomery form.
pub fn r2(m: Modulus) -> BigUint {
    static P: OnceLock<BigUint> = OnceLock::new();
    static N: OnceLock<BigUint> = OnceLock::new();
    let cell = match m {
        Modulus::P => &P,
        Modulus::N => &N,
    };
    cell.get_or_init(|| (BigUint::one() << (2 * R_BITS)) % modulus(m))
        .clone()
}
