//! The cutoffs `scu_golden::trng::entropy` computes in floating point, checked against an
//! independent exact computation: p = 2^−H is enclosed between two 64-bit binary fractions
//! (an integer 1000th root), the binomial tail is summed in big integers at both ends, and
//! since the tail grows with p the true cutoff is certified when both ends agree.

use num_bigint::BigUint;
use num_traits::{One, Zero};
use scu_golden::trng::entropy::{apt_cutoff, rct_cutoff};
use scu_golden::trng::{MinEntropy, ALPHA_LOG2, APT_WINDOW};

const FRAC_BITS: u32 = 64;

/// Smallest c with Σ_{k≥c} C(n,k) a^k (2^K − a)^(n−k) ≤ 2^(Kn − 20): the exact cutoff for
/// p = a / 2^K.
fn exact_cutoff(n: u32, a: &BigUint) -> u32 {
    let one_k = BigUint::one() << FRAC_BITS;
    let b = &one_k - a;
    let limit = BigUint::one() << (FRAC_BITS * n - ALPHA_LOG2);
    let mut pow_b = vec![BigUint::one()];
    for i in 1..=n as usize {
        let next = &pow_b[i - 1] * &b;
        pow_b.push(next);
    }
    let mut tail = BigUint::zero();
    let mut choose = BigUint::one(); // C(n, k), walking down from k = n
    let mut pow_a = num_traits::pow(a.clone(), n as usize);
    for k in (0..=n).rev() {
        let term = &choose * &pow_a * &pow_b[(n - k) as usize];
        if &tail + &term > limit {
            return k + 1;
        }
        tail += term;
        if k > 0 {
            // C(n, k−1) = C(n, k) · k / (n − k + 1); a^(k−1) = a^k / a, both exact.
            choose = choose * k / (n - k + 1);
            pow_a /= a;
        }
    }
    0
}

/// (a_lo, a_hi) with a_lo / 2^64 ≤ 2^(−m/1000) ≤ a_hi / 2^64.
fn enclose(millibits: u16) -> (BigUint, BigUint) {
    let m = u32::from(millibits);
    let lo = (BigUint::one() << (FRAC_BITS * 1000 - m)).nth_root(1000);
    let hi = &lo + 1u32;
    (lo, hi)
}

fn certified_apt(millibits: u16) -> u32 {
    let (lo, hi) = enclose(millibits);
    let c_lo = exact_cutoff(APT_WINDOW, &lo);
    let c_hi = exact_cutoff(APT_WINDOW, &hi);
    assert_eq!(
        c_lo, c_hi,
        "H = {millibits} mbit sits on a cutoff boundary to 2^-64; the cutoff is ambiguous"
    );
    c_lo
}

#[test]
fn apt_cutoff_matches_the_exact_computation() {
    for m in [
        125, 200, 250, 333, 375, 500, 625, 700, 750, 875, 900, 999, 1000,
    ] {
        let h = MinEntropy::from_millibits(m).unwrap();
        assert_eq!(apt_cutoff(h), certified_apt(m), "H = {h}");
    }
}

#[test]
fn apt_cutoffs_match_a_third_computation() {
    // Python, `decimal` at 200 digits, exact binomial coefficients (docs/trng.md).
    for (m, c) in [(125, 979), (250, 915), (500, 793), (750, 684), (1000, 589)] {
        assert_eq!(
            apt_cutoff(MinEntropy::from_millibits(m).unwrap()),
            c,
            "H = {m} mbit"
        );
    }
}

#[test]
fn rct_cutoff_is_one_plus_the_ceiling() {
    for m in MinEntropy::MIN_MILLIBITS..=MinEntropy::MAX_MILLIBITS {
        let c = rct_cutoff(MinEntropy::from_millibits(m).unwrap());
        // C − 1 = ⌈20000 / m⌉  ⇔  (C − 2)·m < 20000 ≤ (C − 1)·m.
        let m = u32::from(m);
        assert!(
            (c - 2) * m < 20_000 && 20_000 <= (c - 1) * m,
            "m = {m}: C = {c}"
        );
    }
}
