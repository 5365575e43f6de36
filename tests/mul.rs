//! The hand-written multiplier leaf, co-simulated on its own: its product equals the
//! integer product for random and extreme operands at every word width.

use num_bigint::BigUint;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use scu_sim::models::{ScuMulW128, ScuMulW16, ScuMulW32, ScuMulW64};
use scu_sim::{Sim, SimOptions};
use std::cell::RefCell;

fn operands(w: u32) -> impl Strategy<Value = (u64, u64)> {
    let max = if w == 64 { u64::MAX } else { (1u64 << w) - 1 };
    let word = prop_oneof![3 => 0..=max, 1 => Just(max), 1 => Just(0u64), 1 => Just(1u64)];
    (word.clone(), word)
}

macro_rules! leaf_test {
    ($name:ident, $model:ty, $w:expr, $product:ident) => {
        #[test]
        fn $name() {
            let sim = RefCell::new(Sim::<$model>::create(SimOptions::new()));
            let mut runner = TestRunner::new(Config {
                cases: 10_000,
                failure_persistence: None,
                ..Config::default()
            });
            runner
                .run(&operands($w), |(a, b)| {
                    let mut sim = sim.borrow_mut();
                    sim.set_a(a);
                    sim.set_b(b);
                    sim.eval();
                    let got = BigUint::from(sim.$product());
                    prop_assert_eq!(
                        got,
                        BigUint::from(a) * BigUint::from(b),
                        "W={} a={:x} b={:x}",
                        $w,
                        a,
                        b
                    );
                    Ok(())
                })
                .unwrap();
        }
    };
}

leaf_test!(mul_w16_matches_integer_product, ScuMulW16, 16, p);
leaf_test!(mul_w32_matches_integer_product, ScuMulW32, 32, p);
leaf_test!(mul_w64_matches_integer_product, ScuMulW64, 64, p_big);

/// W = 128: operands wider than u64, so they go through the BigUint accessors.
#[test]
fn mul_w128_matches_integer_product() {
    let sim = RefCell::new(Sim::<ScuMulW128>::create(SimOptions::new()));
    let mut runner = TestRunner::new(Config {
        cases: 10_000,
        failure_persistence: None,
        ..Config::default()
    });
    let word = prop_oneof![
        any::<u128>(),
        Just(u128::MAX),
        Just(0u128),
        Just(1u128),
        (0u32..128).prop_map(|k| 1u128 << k),
    ];
    runner
        .run(&(word.clone(), word), |(a, b)| {
            let mut sim = sim.borrow_mut();
            sim.set_a_big(&BigUint::from(a));
            sim.set_b_big(&BigUint::from(b));
            sim.eval();
            prop_assert_eq!(
                sim.p_big(),
                BigUint::from(a) * BigUint::from(b),
                "a={:x} b={:x}",
                a,
                b
            );
            Ok(())
        })
        .unwrap();
}

/// The pipelined 128 × 128 leaf of the W = 128 ALU: a new operand pair every cycle, and each
/// product comes out exactly `MUL_LATENCY` edges after its operands were presented — neither
/// earlier nor later, and unaffected by the pairs streaming behind it.
#[test]
fn mul_pipe_w128_streams_products_at_the_model_latency() {
    use scu_golden::field_alu::MUL_LATENCY;
    use scu_sim::models::ScuMulPipeW128;
    use std::collections::VecDeque;

    let sim = RefCell::new(Sim::<ScuMulPipeW128>::create(SimOptions::new()));
    let mut runner = TestRunner::new(Config {
        cases: 64,
        failure_persistence: None,
        ..Config::default()
    });
    let word = prop_oneof![
        3 => any::<u128>(),
        1 => Just(u128::MAX),
        1 => Just(0u128),
        1 => (0u32..128).prop_map(|k| 1u128 << k),
    ];
    // Each case is a burst of pairs fed back to back; the pipe is never flushed in between.
    let burst = proptest::collection::vec((word.clone(), word), 1..40);
    // The runner takes an `Fn`: the products in flight and the count live in cells.
    let in_flight: RefCell<VecDeque<BigUint>> = RefCell::new(VecDeque::new());
    let checked = std::cell::Cell::new(0usize);
    runner
        .run(&burst, |pairs| {
            let mut sim = sim.borrow_mut();
            let mut in_flight = in_flight.borrow_mut();
            for (a, b) in pairs {
                sim.set_a_big(&BigUint::from(a));
                sim.set_b_big(&BigUint::from(b));
                sim.tick();
                in_flight.push_back(BigUint::from(a) * BigUint::from(b));
                if in_flight.len() == MUL_LATENCY {
                    // Presented L edges ago: its product is what the output shows now.
                    let want = in_flight.pop_front().unwrap();
                    prop_assert_eq!(sim.p_big(), want, "product {} out of order", checked.get());
                    checked.set(checked.get() + 1);
                }
            }
            Ok(())
        })
        .unwrap();
    assert!(
        checked.get() > 500,
        "only {} products checked",
        checked.get()
    );
}
