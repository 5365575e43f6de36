//! Co-simulation of the emitted field ALU (Verilator) against the golden model — result,
//! `err` and cycle count for every operation — and of the golden model against plain
//! big-integer arithmetic; plus the RTL directly against the `p256` crate.
//!
//! Case counts: ≥ 10,000 random operand pairs per word width in release builds (what
//! `scripts/test.sh` runs), 500 in debug builds; `SCU_COSIM_CASES` overrides.

use num_bigint::BigUint;
use num_traits::{One, Zero};
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scu_golden::curve;
use scu_golden::field_alu::{cycles_with, reference, AluOp, FieldAlu, Modulus, Multipliers};
use std::cell::RefCell;

fn cases() -> u32 {
    std::env::var("SCU_COSIM_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(if cfg!(debug_assertions) { 500 } else { 10_000 })
}

fn max256() -> BigUint {
    (BigUint::one() << 256) - 1u32
}

/// Values where carries, borrows and reductions change behaviour.
fn edge_values() -> Vec<BigUint> {
    let p = curve::p();
    let n = curve::n();
    let one = BigUint::one();
    vec![
        BigUint::zero(),
        one.clone(),
        BigUint::from(2u32),
        &p - 2u32,
        &p - 1u32,
        p.clone(),
        &p + 1u32,
        &n - 2u32,
        &n - 1u32,
        n.clone(),
        &n + 1u32,
        (&one << 255) - 1u32,
        &one << 255,
        (&one << 256) - &p, // R mod p
        max256(),
    ]
}

fn operand() -> impl Strategy<Value = BigUint> {
    let edges = edge_values();
    prop_oneof![
        4 => any::<[u8; 32]>().prop_map(|b| BigUint::from_bytes_le(&b)),
        4 => any::<[u8; 32]>().prop_map(|b| BigUint::from_bytes_le(&b) % curve::p()),
        4 => any::<[u8; 32]>().prop_map(|b| BigUint::from_bytes_le(&b) % curve::n()),
        1 => proptest::sample::select(edges),
    ]
}

/// What one operation on the RTL gave.
#[derive(Debug, PartialEq)]
struct Observed {
    result: BigUint,
    err: bool,
    cycles: u64,
}

/// Drives one generated ALU model. A macro because the typed accessors are inherent
/// methods of each generated struct.
macro_rules! alu_driver {
    ($name:ident, $model:ty) => {
        struct $name {
            sim: scu_sim::Sim<$model>,
        }

        impl $name {
            /// From random register contents, so a pass also shows that reset alone makes
            /// the unit defined (no reliance on `initial` values).
            fn new(seed: u64) -> Self {
                let mut sim =
                    scu_sim::Sim::<$model>::create(scu_sim::SimOptions::new().random_init(seed));
                sim.set_start(0);
                sim.reset(2);
                assert_eq!(sim.busy(), 0, "idle after reset");
                assert_eq!(sim.done(), 0);
                Self { sim }
            }

            fn launch(&mut self, op: u8, m: Modulus, a: &BigUint, b: &BigUint) {
                let s = &mut self.sim;
                s.set_op(op as u64);
                s.set_mod_sel(m.bit() as u64);
                s.set_a_big(a);
                s.set_b_big(b);
                s.set_start(1);
                s.tick();
                s.set_start(0);
            }

            /// One operation; counts the edge that samples `start` through the edge after
            /// which `done` is high, and checks the handshake on the way.
            fn run(&mut self, op: u8, m: Modulus, a: &BigUint, b: &BigUint) -> Observed {
                self.launch(op, m, a, b);
                let mut cycles = 1;
                while self.sim.done() == 0 {
                    assert_eq!(self.sim.busy(), 1, "busy until done");
                    self.sim.tick();
                    cycles += 1;
                    assert!(cycles < 10_000, "no done");
                }
                assert_eq!(self.sim.busy(), 0, "idle when done");
                let observed = Observed {
                    result: self.sim.result_big(),
                    err: self.sim.err() == 1,
                    cycles,
                };
                self.sim.tick();
                assert_eq!(self.sim.done(), 0, "done is a one-cycle pulse");
                assert_eq!(
                    self.sim.result_big(),
                    observed.result,
                    "result holds after done"
                );
                observed
            }
        }
    };
}

alu_driver!(Alu16, scu_sim::models::ScuFieldAluW16);
alu_driver!(Alu32, scu_sim::models::ScuFieldAluW32);
alu_driver!(Alu64, scu_sim::models::ScuFieldAluW64);
alu_driver!(Alu128, scu_sim::models::ScuFieldAluW128);
alu_driver!(AluOneMul16, scu_sim::models::ScuFieldAluM1W16);
alu_driver!(AluOneMul32, scu_sim::models::ScuFieldAluM1W32);
alu_driver!(AluOneMul128, scu_sim::models::ScuFieldAluM1W128);

/// The checks every operation gets: RTL = model (result, err, cycles), cycles = the
/// documented formula, and model = plain arithmetic whenever the inputs are reduced.
fn check(
    w: usize,
    model: &mut FieldAlu,
    rtl: Observed,
    op: u8,
    m: Modulus,
    a: &BigUint,
    b: &BigUint,
) -> Result<(), TestCaseError> {
    let expected = model.execute(op, m, a, b);
    let ctx = format!("W={w} op={op} m={m:?} a={a:x} b={b:x}");
    prop_assert_eq!(&rtl.result, &expected.result, "result: {}", ctx);
    prop_assert_eq!(rtl.err, expected.err, "err: {}", ctx);
    prop_assert_eq!(rtl.cycles, expected.cycles, "cycles: {}", ctx);
    prop_assert_eq!(
        rtl.cycles,
        cycles_with(w, op, m, model.multipliers()),
        "documented cycles: {}",
        ctx
    );
    let modulus = curve::modulus(m);
    if let Some(op) = AluOp::from_code(op) {
        if a < &modulus && b < &modulus {
            prop_assert_eq!(
                &expected.result,
                &reference(op, m, a, b),
                "reference: {}",
                ctx
            );
        }
    }
    Ok(())
}

macro_rules! width_tests {
    ($modname:ident, $driver:ident, $w:expr, $muls:expr) => {
        mod $modname {
            use super::*;

            #[test]
            fn random_operands_match_model_and_reference() {
                // The runner takes an `Fn`; one model pair serves all cases.
                let alu = RefCell::new($driver::new(0x5c0 + $w));
                let model = RefCell::new(FieldAlu::with_multipliers($w, $muls).unwrap());
                let mut runner = TestRunner::new(Config {
                    cases: cases(),
                    failure_persistence: None,
                    ..Config::default()
                });
                let strategy = (0u8..3, any::<bool>(), operand(), operand());
                runner
                    .run(&strategy, |(op, nsel, a, b)| {
                        let m = if nsel { Modulus::N } else { Modulus::P };
                        let rtl = alu.borrow_mut().run(op, m, &a, &b);
                        check($w, &mut model.borrow_mut(), rtl, op, m, &a, &b)
                    })
                    .unwrap();
            }

            #[test]
            fn edge_pairs_match_model_and_reference() {
                let mut alu = $driver::new(0xed9e + $w);
                let mut model = FieldAlu::with_multipliers($w, $muls).unwrap();
                let edges = edge_values();
                for m in [Modulus::P, Modulus::N] {
                    for op in 0u8..3 {
                        for a in &edges {
                            for b in &edges {
                                let rtl = alu.run(op, m, a, b);
                                check($w, &mut model, rtl, op, m, a, b).unwrap();
                            }
                        }
                    }
                }
            }

            #[test]
            fn illegal_op_reports_err_and_keeps_the_result() {
                let mut alu = $driver::new(3);
                let mut model = FieldAlu::with_multipliers($w, $muls).unwrap();
                let a = curve::gx();
                let b = curve::gy();
                // The result register is only defined after a legal operation.
                let first = alu.run(2, Modulus::P, &a, &b);
                check($w, &mut model, first, 2, Modulus::P, &a, &b).unwrap();
                let illegal = alu.run(3, Modulus::N, &b, &a);
                assert!(illegal.err);
                assert_eq!(illegal.cycles, 1);
                check($w, &mut model, illegal, 3, Modulus::N, &b, &a).unwrap();
                let after = alu.run(0, Modulus::P, &a, &b);
                assert!(!after.err, "err clears on the next operation");
                check($w, &mut model, after, 0, Modulus::P, &a, &b).unwrap();
            }

            #[test]
            fn inputs_and_start_are_ignored_while_busy() {
                let mut alu = $driver::new(4);
                let mut model = FieldAlu::with_multipliers($w, $muls).unwrap();
                let (a, b) = (curve::gx(), curve::gy());
                alu.launch(2, Modulus::N, &a, &b);
                // Change every input and pulse start in the middle of the operation.
                let s = &mut alu.sim;
                s.tick();
                s.set_op(0);
                s.set_mod_sel(0);
                s.set_a_big(&max256());
                s.set_b_big(&BigUint::one());
                s.set_start(1);
                s.tick();
                s.set_start(0);
                let run = s.run_until(|m| m.done() == 1, 10_000).unwrap();
                let expected = model.execute(2, Modulus::N, &a, &b);
                assert_eq!(s.result_big(), expected.result);
                assert_eq!(run + 3, expected.cycles);
                s.tick();
                assert_eq!(s.busy(), 0, "no second operation was queued");
            }

            #[test]
            fn reset_aborts_an_operation() {
                let mut alu = $driver::new(5);
                let mut model = FieldAlu::with_multipliers($w, $muls).unwrap();
                let (a, b) = (curve::gx(), curve::gy());
                alu.launch(2, Modulus::P, &a, &b);
                alu.sim.ticks(3);
                assert_eq!(alu.sim.busy(), 1);
                alu.sim.reset(1);
                assert_eq!(alu.sim.busy(), 0);
                assert_eq!(alu.sim.done(), 0);
                alu.sim.ticks(5);
                assert_eq!(alu.sim.done(), 0, "an aborted operation never completes");
                let rtl = alu.run(1, Modulus::P, &a, &b);
                check($w, &mut model, rtl, 1, Modulus::P, &a, &b).unwrap();
            }

            #[test]
            fn any_initial_state_is_defined_after_reset() {
                let mut model = FieldAlu::with_multipliers($w, $muls).unwrap();
                let (a, b) = (curve::gx(), &curve::n() - 1u32);
                for seed in 1..=8u64 {
                    let mut alu = $driver::new(seed * 7919);
                    let rtl = alu.run(2, Modulus::N, &a, &b);
                    check($w, &mut model, rtl, 2, Modulus::N, &a, &b).unwrap();
                }
            }

            /// Independent of the golden model: x·y mod n through Montgomery form on the
            /// RTL equals the `p256` crate's scalar product.
            #[test]
            fn scalar_products_match_p256() {
                use p256::elliptic_curve::PrimeField;
                let alu = RefCell::new($driver::new(6));
                let r2 = curve::r2(Modulus::N);
                let mut runner = TestRunner::new(Config {
                    cases: 64,
                    failure_persistence: None,
                    ..Config::default()
                });
                runner
                    .run(&(any::<[u8; 32]>(), any::<[u8; 32]>()), |(x, y)| {
                        let x = BigUint::from_bytes_be(&x) % curve::n();
                        let y = BigUint::from_bytes_be(&y) % curve::n();
                        let mut alu = alu.borrow_mut();
                        let xm = alu.run(2, Modulus::N, &x, &r2).result;
                        let ym = alu.run(2, Modulus::N, &y, &r2).result;
                        let pm = alu.run(2, Modulus::N, &xm, &ym).result;
                        let product = alu.run(2, Modulus::N, &pm, &BigUint::one()).result;
                        let scalar = |v: &BigUint| {
                            let mut bytes = [0u8; 32];
                            let be = v.to_bytes_be();
                            bytes[32 - be.len()..].copy_from_slice(&be);
                            p256::Scalar::from_repr(bytes.into()).unwrap()
                        };
                        let expected = scalar(&x) * scalar(&y);
                        prop_assert_eq!(
                            product.to_bytes_be(),
                            BigUint::from_bytes_be(&expected.to_repr()).to_bytes_be()
                        );
                        Ok(())
                    })
                    .unwrap();
            }

            /// Independent of the golden model: points from `p256` satisfy the curve
            /// equation y² = x³ − 3x + b when evaluated with RTL arithmetic mod p.
            #[test]
            fn p256_points_satisfy_the_curve_equation_on_rtl_arithmetic() {
                use p256::elliptic_curve::sec1::ToSec1Point;
                let mut alu = $driver::new(7);
                let r2 = curve::r2(Modulus::P);
                let mont = |alu: &mut $driver, v: &BigUint| alu.run(2, Modulus::P, v, &r2).result;
                let bm = mont(&mut alu, &curve::b());
                for k in 1u64..=12 {
                    let point = (p256::ProjectivePoint::GENERATOR
                        * p256::Scalar::from(k * 0x9e37_79b9))
                    .to_affine();
                    let encoded = point.to_sec1_point(false);
                    let x = BigUint::from_bytes_be(encoded.x().unwrap());
                    let y = BigUint::from_bytes_be(encoded.y().unwrap());
                    let (xm, ym) = (mont(&mut alu, &x), mont(&mut alu, &y));
                    let y2 = alu.run(2, Modulus::P, &ym, &ym).result;
                    let x2 = alu.run(2, Modulus::P, &xm, &xm).result;
                    let x3 = alu.run(2, Modulus::P, &x2, &xm).result;
                    let two_x = alu.run(0, Modulus::P, &xm, &xm).result;
                    let three_x = alu.run(0, Modulus::P, &two_x, &xm).result;
                    let rhs = alu.run(1, Modulus::P, &x3, &three_x).result;
                    let rhs = alu.run(0, Modulus::P, &rhs, &bm).result;
                    assert_eq!(y2, rhs, "k={k}");
                }
            }
        }
    };
}

width_tests!(w16, Alu16, 16, Multipliers::Two);
width_tests!(w32, Alu32, 32, Multipliers::Two);
width_tests!(w64, Alu64, 64, Multipliers::Two);
width_tests!(w128, Alu128, 128, Multipliers::Two);
// The serial engine's ALU, with its parallel operand port.
width_tests!(one_mul_w16, AluOneMul16, 16, Multipliers::One);
width_tests!(one_mul_w32, AluOneMul32, 32, Multipliers::One);
width_tests!(one_mul_w128, AluOneMul128, 128, Multipliers::One);
