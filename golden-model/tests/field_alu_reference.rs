//! The field ALU model against three independent references:
//! - plain big-integer arithmetic (`reference`, and the spec's closed-form definitions for
//!   unreduced operands, re-derived here from the spec text);
//! - the spec's cycle table;
//! - the `p256` crate (scalar multiplication mod n, and curve arithmetic mod p).

use num_bigint::BigUint;
use num_traits::{One, Zero};
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use p256::{FieldBytes, ProjectivePoint, Scalar};
use proptest::prelude::*;
use scu_golden::curve;
use scu_golden::field_alu::{cycles_for, reference, AluOp, FieldAlu, Modulus, SUPPORTED_WIDTHS};

const MODULI: [Modulus; 2] = [Modulus::P, Modulus::N];

fn radix() -> BigUint {
    BigUint::one() << 256u32
}

fn from_limbs(limbs: [u64; 4]) -> BigUint {
    limbs
        .iter()
        .rev()
        .fold(BigUint::zero(), |acc, &l| (acc << 64u32) + l)
}

/// m⁻¹ mod 2^256 by Newton–Hensel lifting, kept separate from the crate's own `m_prime` so the
/// MUL definition below does not lean on the code under test.
fn inverse_mod_radix(m: &BigUint) -> BigUint {
    let r = radix();
    let mut inv = BigUint::one();
    // Correct bits double each round: 1 → 2 → … → 256 needs 8 rounds.
    for _ in 0..8 {
        let mx = m * &inv % &r;
        inv = &inv * ((&r + 2u32 - mx) % &r) % &r;
    }
    assert!((m * &inv % &r).is_one());
    inv
}

/// The spec's functional definition of each operation, valid for any 256-bit operands.
///
/// For MUL the word loop's quotient Q is, by construction, the unique Q < R with
/// a·b + Q·m ≡ 0 (mod R), so the spec's "t = (a·b + Q·m)/R" is fully determined.
fn spec_value(op: AluOp, m: Modulus, a: &BigUint, b: &BigUint) -> BigUint {
    let m = curve::modulus(m);
    let r = radix();
    match op {
        AluOp::Add => {
            let s = a + b;
            if s >= m {
                (s - &m) % &r
            } else {
                s
            }
        }
        AluOp::Sub => {
            if a < b {
                // a − b + m can be negative for unreduced b; adding R first keeps it natural.
                (a + &m + &r - b) % &r
            } else {
                a - b
            }
        }
        AluOp::Mul => {
            let ab = a * b;
            let q = (&r - (&ab % &r) * inverse_mod_radix(&m) % &r) % &r;
            let num = ab + q * &m;
            assert!((&num % &r).is_zero());
            let t = num / &r;
            if t >= m {
                t - &m
            } else {
                t
            }
        }
    }
}

/// Runs one operation and checks everything the spec promises about it.
fn check(alu: &mut FieldAlu, op: AluOp, m: Modulus, a: &BigUint, b: &BigUint) -> BigUint {
    let w = alu.width();
    let ctx = format!("W={w} {op:?} mod {m:?} a={a:#x} b={b:#x}");
    let out = alu.execute(op.code(), m, a, b);
    assert!(!out.err, "{ctx}: unexpected err");
    assert_eq!(out.cycles, cycles_for(w, op.code()), "{ctx}: cycles");
    assert_eq!(&out.result, alu.result(), "{ctx}: result register");
    assert!(out.result < radix(), "{ctx}: result wider than 256 bits");
    assert_eq!(out.result, spec_value(op, m, a, b), "{ctx}: spec formula");

    let modulus = curve::modulus(m);
    if op == AluOp::Mul {
        assert_eq!(
            &out.result % &modulus,
            reference(op, m, a, b),
            "{ctx}: not congruent to a·b·R⁻¹"
        );
    }
    if a < &modulus && b < &modulus {
        assert_eq!(out.result, reference(op, m, a, b), "{ctx}: reference");
        assert!(
            out.result < modulus,
            "{ctx}: reduced inputs gave unreduced result"
        );
    }
    out.result
}

fn reduced(limbs: [u64; 4], m: Modulus) -> BigUint {
    from_limbs(limbs) % curve::modulus(m)
}

fn limbs() -> impl Strategy<Value = [u64; 4]> {
    any::<[u64; 4]>()
}

fn check_reduced_random(op: AluOp, a: [u64; 4], b: [u64; 4]) {
    for w in SUPPORTED_WIDTHS {
        let mut alu = FieldAlu::new(w).unwrap();
        for m in MODULI {
            check(&mut alu, op, m, &reduced(a, m), &reduced(b, m));
        }
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn add_matches_reference(a in limbs(), b in limbs()) {
        check_reduced_random(AluOp::Add, a, b);
    }

    #[test]
    fn sub_matches_reference(a in limbs(), b in limbs()) {
        check_reduced_random(AluOp::Sub, a, b);
    }

    #[test]
    fn mul_matches_reference(a in limbs(), b in limbs()) {
        check_reduced_random(AluOp::Mul, a, b);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(500))]

    /// Arbitrary 256-bit operands, mostly ≥ m in the top word range: the spec's exact
    /// formulas, not just congruence.
    #[test]
    fn unreduced_operands_follow_spec_formulas(a in limbs(), b in limbs()) {
        let (a, b) = (from_limbs(a), from_limbs(b));
        for w in SUPPORTED_WIDTHS {
            let mut alu = FieldAlu::new(w).unwrap();
            for m in MODULI {
                for op in AluOp::ALL {
                    check(&mut alu, op, m, &a, &b);
                }
            }
        }
    }

    #[test]
    fn montgomery_round_trip(x in limbs()) {
        for w in SUPPORTED_WIDTHS {
            let mut alu = FieldAlu::new(w).unwrap();
            for m in MODULI {
                let x = reduced(x, m);
                let modulus = curve::modulus(m);
                let xm = alu.to_mont(&x, m);
                prop_assert_eq!(&xm, &((&x << 256u32) % &modulus));
                prop_assert_eq!(alu.from_mont(&xm, m), x);
            }
        }
    }

    /// x·y mod n through the model (Montgomery domain) against `p256::Scalar`.
    #[test]
    fn scalar_product_matches_p256(x in limbs(), y in limbs()) {
        let (x, y) = (reduced(x, Modulus::N), reduced(y, Modulus::N));
        let expected = scalar_to_biguint(&(to_scalar(&x) * to_scalar(&y)));
        for w in SUPPORTED_WIDTHS {
            let mut e = Engine::new(w, Modulus::N);
            let (xm, ym) = (e.enter(&x), e.enter(&y));
            let product = e.mul(&xm, &ym);
            prop_assert_eq!(e.leave(&product), expected.clone(), "W={}", w);
        }
    }
}

fn edge_values() -> Vec<BigUint> {
    let (p, n) = (curve::p(), curve::n());
    let all_ones = radix() - 1u32;
    let mut v = vec![BigUint::zero(), BigUint::one(), BigUint::from(2u32)];
    for m in [&p, &n] {
        v.push(m - 1u32);
        v.push(m - 2u32);
        v.push(m.clone());
        v.push(m + 1u32);
    }
    v.push(BigUint::one() << 255u32);
    v.push((BigUint::one() << 255u32) - 1u32);
    v.push(all_ones);
    v.sort();
    v.dedup();
    v
}

#[test]
fn edge_operands_all_pairs() {
    let values = edge_values();
    for w in SUPPORTED_WIDTHS {
        let mut alu = FieldAlu::new(w).unwrap();
        for m in MODULI {
            for op in AluOp::ALL {
                for a in &values {
                    for b in &values {
                        check(&mut alu, op, m, a, b);
                    }
                }
            }
        }
    }
}

/// Specific edge results worth stating outright rather than only via `spec_value`.
#[test]
fn edge_results_spelled_out() {
    let r = radix();
    let all_ones = &r - 1u32;
    for w in SUPPORTED_WIDTHS {
        let mut alu = FieldAlu::new(w).unwrap();
        for m in MODULI {
            let mo = curve::modulus(m);
            let one = BigUint::one();
            let zero = BigUint::zero();
            let mut run =
                |op: AluOp, a: &BigUint, b: &BigUint| alu.execute(op.code(), m, a, b).result;
            // (m−1) + 1 wraps to 0; 0 − 1 wraps to m − 1.
            assert_eq!(run(AluOp::Add, &(&mo - 1u32), &one), zero);
            assert_eq!(run(AluOp::Sub, &zero, &one), &mo - 1u32);
            // 2^256−1 + 2^256−1 overflows 256 bits: (2^257 − 2 − m) mod 2^256 = 2^256 − 2 − m.
            assert_eq!(run(AluOp::Add, &all_ones, &all_ones), &r - 2u32 - &mo);
            // 0 − (2^256−1) + m = m + 1 − 2^256 < 0, so the result wraps.
            assert_eq!(run(AluOp::Sub, &zero, &all_ones), &mo + 1u32);
            // R mod m is the Montgomery form of 1, so mont(R mod m, 1) = 1.
            assert_eq!(run(AluOp::Mul, &(&r % &mo), &one), one);
            assert_eq!(run(AluOp::Mul, &zero, &all_ones), zero);
        }
    }
}

#[test]
fn cycle_counts_match_spec_table() {
    // The table in docs/field-alu.md, literally.
    let table = [(16, 33, 337), (32, 17, 105), (64, 9, 37), (128, 2, 12)];
    for (w, add_sub, mul) in table {
        assert_eq!(cycles_for(w, AluOp::Add.code()), add_sub);
        assert_eq!(cycles_for(w, AluOp::Sub.code()), add_sub);
        assert_eq!(cycles_for(w, AluOp::Mul.code()), mul);
        assert_eq!(cycles_for(w, AluOp::ILLEGAL), 1);
    }
}

#[test]
fn cycle_count_independent_of_operands_and_modulus() {
    let values = edge_values();
    for w in SUPPORTED_WIDTHS {
        let mut alu = FieldAlu::new(w).unwrap();
        for op in AluOp::ALL {
            let mut seen: Vec<u64> = Vec::new();
            for m in MODULI {
                for a in &values {
                    for b in &values {
                        seen.push(alu.execute(op.code(), m, a, b).cycles);
                    }
                }
            }
            seen.dedup();
            assert_eq!(seen, [cycles_for(w, op.code())], "W={w} {op:?}");
        }
    }
}

/// The one-multiplier ALU: the same results as the two-multiplier one, the same cycles mod p,
/// and S² more per MUL mod n (a product cycle before each ROW step), whatever the operands.
/// At W = 128 its multiplier is pipelined (latency L) and a MUL takes L + 7 cycles mod p,
/// 5L + 7 mod n (docs/field-alu.md, "Pipelined product").
#[test]
fn one_multiplier_alu_same_results_extra_cycles_mod_n() {
    use scu_golden::field_alu::{cycles_with, Multipliers, MUL_LATENCY, ONE_MULTIPLIER_WIDTHS};
    let values = edge_values();
    for w in ONE_MULTIPLIER_WIDTHS {
        let s = (256 / w) as u64;
        let mut two = FieldAlu::new(w).unwrap();
        let mut one = FieldAlu::with_multipliers(w, Multipliers::One).unwrap();
        for op in AluOp::ALL {
            for m in MODULI {
                let l = MUL_LATENCY as u64;
                let want = match (op, m) {
                    (AluOp::Mul, Modulus::P) if w == 128 => l + 7,
                    (AluOp::Mul, Modulus::N) if w == 128 => 5 * l + 7,
                    (AluOp::Mul, Modulus::N) => cycles_for(w, op.code()) + s * s,
                    _ => cycles_for(w, op.code()),
                };
                assert_eq!(cycles_with(w, op.code(), m, Multipliers::One), want);
                for a in &values {
                    for b in &values {
                        let x = two.execute(op.code(), m, a, b);
                        let y = one.execute(op.code(), m, a, b);
                        let ctx = format!("W={w} {op:?} mod {m:?} a={a:#x} b={b:#x}");
                        assert_eq!(y.result, x.result, "{ctx}");
                        assert_eq!(y.cycles, want, "{ctx}");
                    }
                }
            }
        }
    }
    // W = 64 has words of p outside {0, 1, 2^W - 1} and no shift form in the RTL.
    assert!(FieldAlu::with_multipliers(64, Multipliers::One).is_err());
}

/// The pipelined product at W = 128 on random operands (full 256-bit, so unreduced ones too):
/// the same bits as the word-serial CIOS ALU, and the exact Montgomery product after reducing.
#[test]
fn pipelined_product_matches_word_serial_on_random_operands() {
    use scu_golden::field_alu::Multipliers;
    // splitmix64: reproducible operands without another dependency.
    let mut state = 0x5ca1_ab1e_u64;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    let mut serial = FieldAlu::new(128).unwrap();
    let mut piped = FieldAlu::with_multipliers(128, Multipliers::One).unwrap();
    for k in 0..4000 {
        let mut word = || BigUint::new((0..8).map(|_| next() as u32).collect());
        let (a, b) = (word(), word());
        let m = if k % 2 == 0 { Modulus::P } else { Modulus::N };
        let x = serial.execute(AluOp::Mul.code(), m, &a, &b);
        let y = piped.execute(AluOp::Mul.code(), m, &a, &b);
        assert_eq!(y.result, x.result, "mod {m:?} a={a:#x} b={b:#x}");
        assert_eq!(
            &y.result % curve::modulus(m),
            reference(AluOp::Mul, m, &a, &b),
            "mod {m:?} a={a:#x} b={b:#x}"
        );
    }
}

#[test]
fn illegal_op_keeps_result_and_flags_err() {
    for w in SUPPORTED_WIDTHS {
        let mut alu = FieldAlu::new(w).unwrap();
        let junk = radix() - 1u32;
        // Straight out of reset the result register is 0.
        let out = alu.execute(AluOp::ILLEGAL, Modulus::N, &junk, &junk);
        assert_eq!(
            (out.result, out.cycles, out.err),
            (BigUint::zero(), 1, true)
        );

        let (a, b) = (BigUint::from(5u32), BigUint::from(7u32));
        let sum = alu.execute(AluOp::Add.code(), Modulus::P, &a, &b).result;
        assert_eq!(sum, BigUint::from(12u32));
        let out = alu.execute(AluOp::ILLEGAL, Modulus::P, &junk, &junk);
        assert_eq!((out.result, out.cycles, out.err), (sum, 1, true));

        // The ALU is usable again afterwards.
        check(&mut alu, AluOp::Sub, Modulus::P, &a, &b);
    }
}

#[test]
fn invalid_widths_are_rejected() {
    for w in [0, 1, 8, 24, 48, 96, 256] {
        let err = FieldAlu::new(w).expect_err("width should be rejected");
        assert!(
            err.contains(&w.to_string()),
            "message names the width: {err}"
        );
    }
    for w in SUPPORTED_WIDTHS {
        let alu = FieldAlu::new(w).unwrap();
        assert_eq!(alu.words() * w, 256);
    }
}

#[test]
#[should_panic(expected = "256-bit")]
fn operand_wider_than_256_bits_panics() {
    let mut alu = FieldAlu::new(32).unwrap();
    alu.execute(AluOp::Add.code(), Modulus::P, &radix(), &BigUint::one());
}

#[test]
fn port_encodings() {
    assert_eq!(Modulus::from_bit(0), Modulus::P);
    assert_eq!(Modulus::from_bit(1), Modulus::N);
    for op in AluOp::ALL {
        assert_eq!(AluOp::from_code(op.code()), Some(op));
    }
    assert_eq!(AluOp::from_code(AluOp::ILLEGAL), None);
    assert_eq!(
        [AluOp::Add.code(), AluOp::Sub.code(), AluOp::Mul.code()],
        [0, 1, 2]
    );
}

#[test]
fn montgomery_constants() {
    let r = radix();
    for m in MODULI {
        let mo = curve::modulus(m);
        assert_eq!(curve::r2(m), (&r * &r) % &mo);
        for w in SUPPORTED_WIDTHS {
            let word = BigUint::one() << w;
            let mp = BigUint::from(curve::m_prime(m, w));
            assert!(mp < word);
            // m·m' ≡ −1 (mod 2^W)
            assert_eq!((&mo * &mp + 1u32) % &word, BigUint::zero(), "{m:?} W={w}");
        }
    }
    // p ≡ −1 mod 2^96 makes p' = 1 for every W ≤ 64 (the spec notes it; the ALU multiplies
    // by p' anyway), but not at W = 128.
    for w in SUPPORTED_WIDTHS {
        assert_eq!(curve::m_prime(Modulus::P, w) == 1, w <= 64, "W={w}");
    }
    assert_eq!(curve::a(), curve::p() - 3u32);
}

#[test]
fn curve_constants_match_p256() {
    // n is the order p256 uses for scalars: n − 1 is a valid scalar, n is not.
    let n = curve::n();
    assert!(bool::from(
        Scalar::from_repr(field_bytes(&(&n - 1u32))).is_some()
    ));
    assert!(bool::from(Scalar::from_repr(field_bytes(&n)).is_none()));

    let (gx, gy) = affine_xy(ProjectivePoint::GENERATOR);
    assert_eq!((gx, gy), (curve::gx(), curve::gy()));
}

/// G satisfies y² = x³ − 3x + b, evaluated entirely with model operations in Montgomery form.
#[test]
fn generator_on_curve_with_model_ops() {
    for w in SUPPORTED_WIDTHS {
        let mut e = Engine::new(w, Modulus::P);
        let x = e.enter(&curve::gx());
        let y = e.enter(&curve::gy());
        let b = e.enter(&curve::b());

        let lhs = e.mul(&y, &y);
        let x2 = e.mul(&x, &x);
        let x3 = e.mul(&x2, &x);
        let two_x = e.add(&x, &x);
        let three_x = e.add(&two_x, &x);
        let rhs = e.sub(&x3, &three_x);
        let rhs = e.add(&rhs, &b);
        assert_eq!(lhs, rhs, "W={w}");

        // And a point that is not on the curve is told apart.
        let one = e.enter(&BigUint::one());
        let y_off = e.add(&y, &one);
        assert_ne!(e.mul(&y_off, &y_off), rhs, "W={w}");
    }
}

/// 2·G by the affine doubling formula with model operations (inversion by Fermat) against
/// `p256`'s own scalar multiplication.
#[test]
fn point_doubling_matches_p256() {
    let (ex, ey) = affine_xy(ProjectivePoint::GENERATOR * Scalar::from(2u64));
    for w in SUPPORTED_WIDTHS {
        let mut e = Engine::new(w, Modulus::P);
        let x = e.enter(&curve::gx());
        let y = e.enter(&curve::gy());
        let one = e.enter(&BigUint::one());
        let three = e.enter(&BigUint::from(3u32));

        // λ = (3x² − 3) / (2y)
        let x2 = e.mul(&x, &x);
        let num = e.mul(&three, &x2);
        let num = e.sub(&num, &three);
        let den = e.add(&y, &y);
        let den_inv = e.inv(&den);
        assert_eq!(e.mul(&den, &den_inv), one, "W={w}: Fermat inverse");
        let lambda = e.mul(&num, &den_inv);

        // x₃ = λ² − 2x, y₃ = λ(x − x₃) − y
        let l2 = e.mul(&lambda, &lambda);
        let two_x = e.add(&x, &x);
        let x3 = e.sub(&l2, &two_x);
        let dx = e.sub(&x, &x3);
        let y3 = e.mul(&lambda, &dx);
        let y3 = e.sub(&y3, &y);

        assert_eq!(e.leave(&x3), ex, "W={w}: x(2G)");
        assert_eq!(e.leave(&y3), ey, "W={w}: y(2G)");
    }
}

/// The model driven as the engine would drive it: one modulus, every result checked for `err`
/// and cycle count on the way.
struct Engine {
    alu: FieldAlu,
    m: Modulus,
}

impl Engine {
    fn new(w: usize, m: Modulus) -> Self {
        Engine {
            alu: FieldAlu::new(w).unwrap(),
            m,
        }
    }

    fn run(&mut self, op: AluOp, a: &BigUint, b: &BigUint) -> BigUint {
        let out = self.alu.execute(op.code(), self.m, a, b);
        assert!(!out.err);
        assert_eq!(out.cycles, cycles_for(self.alu.width(), op.code()));
        out.result
    }

    fn add(&mut self, a: &BigUint, b: &BigUint) -> BigUint {
        self.run(AluOp::Add, a, b)
    }

    fn sub(&mut self, a: &BigUint, b: &BigUint) -> BigUint {
        self.run(AluOp::Sub, a, b)
    }

    fn mul(&mut self, a: &BigUint, b: &BigUint) -> BigUint {
        self.run(AluOp::Mul, a, b)
    }

    /// Into the Montgomery domain.
    fn enter(&mut self, x: &BigUint) -> BigUint {
        self.alu.to_mont(x, self.m)
    }

    /// Out of the Montgomery domain.
    fn leave(&mut self, x: &BigUint) -> BigUint {
        self.alu.from_mont(x, self.m)
    }

    /// Left-to-right square-and-multiply on Montgomery-form values.
    fn pow(&mut self, base: &BigUint, exp: &BigUint) -> BigUint {
        let mut acc = self.enter(&BigUint::one());
        for i in (0..exp.bits()).rev() {
            acc = self.mul(&acc, &acc);
            if exp.bit(i) {
                acc = self.mul(&acc, base);
            }
        }
        acc
    }

    /// x⁻¹ = x^(m−2) (Fermat; both moduli are prime).
    fn inv(&mut self, x: &BigUint) -> BigUint {
        let exp = curve::modulus(self.m) - 2u32;
        self.pow(x, &exp)
    }
}

fn field_bytes(x: &BigUint) -> FieldBytes {
    let be = x.to_bytes_be();
    assert!(be.len() <= 32);
    let mut bytes = [0u8; 32];
    bytes[32 - be.len()..].copy_from_slice(&be);
    FieldBytes::from(bytes)
}

fn to_scalar(x: &BigUint) -> Scalar {
    Option::from(Scalar::from_repr(field_bytes(x))).expect("scalar below n")
}

fn scalar_to_biguint(s: &Scalar) -> BigUint {
    BigUint::from_bytes_be(&s.to_repr())
}

fn affine_xy(point: ProjectivePoint) -> (BigUint, BigUint) {
    let encoded = point.to_affine().to_sec1_point(false);
    let x = encoded.x().expect("not the identity");
    let y = encoded.y().expect("uncompressed");
    (BigUint::from_bytes_be(x), BigUint::from_bytes_be(y))
}
