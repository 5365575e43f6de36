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
