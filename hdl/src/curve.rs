//! The P-256 constants the hardware is built around (FIPS 186-4 D.1.2.3).

use num_bigint::BigUint;
use num_traits::One;

fn hex(s: &str) -> BigUint {
    BigUint::parse_bytes(s.as_bytes(), 16).expect("valid hex constant")
}

/// The field prime p = 2^256 − 2^224 + 2^192 + 2^96 − 1.
pub fn p() -> BigUint {
    hex("ffffffff00000001000000000000000000000000ffffffffffffffffffffffff")
}

/// The group order n.
pub fn n() -> BigUint {
    hex("ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551")
}

/// −m⁻¹ mod 2^w, the Montgomery quotient constant, by Newton iteration (m odd).
pub fn m_prime(m: &BigUint, w: usize) -> BigUint {
    let modulus = BigUint::one() << w;
    // x ← x·(2 − m·x) doubles the number of correct low bits each step.
    let mut inv = BigUint::one();
    for _ in 0..7 {
        let mx = (m * &inv) % &modulus;
        let two_minus = (BigUint::from(2u8) + &modulus - mx) % &modulus;
        inv = (&inv * two_minus) % &modulus;
    }
    debug_assert_eq!((m * &inv) % &modulus, BigUint::one());
    (&modulus - inv) % &modulus
}
