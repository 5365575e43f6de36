//! The emitter keeps rust-hdl's semantics: the `EmitCheck` fixture is evaluated by
//! rust-hdl's own Rust simulation and by Verilator on the Verilog our emitter printed, and
//! every output must agree (wrapping adds, casts, shifts, selects, matches, …) — the class
//! of mismatch behind rust-hdl issue #22.

use num_bigint::BigUint;
use proptest::prelude::*;
use proptest::test_runner::{Config, TestRunner};
use rust_hdl::prelude::*;
use scu_hdl::emit_check::EmitCheck;
use scu_sim::models::ScuEmitCheck;
use scu_sim::{Sim, SimOptions};
use std::cell::RefCell;

/// Settles a combinational rust-hdl block the way its simulator does.
fn settle(uut: &mut EmitCheck) {
    for _ in 0..32 {
        uut.update_all();
        if !uut.has_changed() {
            return;
        }
    }
    panic!("rust-hdl model did not settle");
}

fn u(x: impl Into<u64>) -> u64 {
    x.into()
}

#[test]
fn emitted_verilog_matches_rust_hdl_semantics() {
    let sim = RefCell::new(Sim::<ScuEmitCheck>::create(SimOptions::new()));
    let rust = RefCell::new({
        let mut b = EmitCheck::default();
        b.connect_all();
        b
    });
    let inputs = (
        any::<u8>(),
        prop_oneof![any::<u8>(), Just(0u8), Just(255u8)],
        any::<[u8; 32]>(),
        0u8..8,
    );
    let mut runner = TestRunner::new(Config {
        cases: 5_000,
        failure_persistence: None,
        ..Config::default()
    });
    runner
        .run(&inputs, |(x, y, big, sel)| {
            // Equal operands take the `==` branch of the else-if chain, so make them common.
            let y = if sel == 7 { x } else { y };
            let big = BigUint::from_bytes_le(&big);
            let mut r = rust.borrow_mut();
            r.x.next = (x as u64).into();
            r.y.next = (y as u64).into();
            r.big.next = Bits::<256>::from(big.clone());
            r.sel.next = (sel as u64).into();
            settle(&mut r);

            let mut v = sim.borrow_mut();
            v.set_x(x as u64);
            v.set_y(y as u64);
            v.set_big_big(&big);
            v.set_sel(sel as u64);
            v.eval();

            let ctx = format!("x={x} y={y} sel={sel} big={big:x}");
            prop_assert_eq!(v.wrap_sum(), u(r.wrap_sum.val()), "wrap_sum {}", ctx);
            prop_assert_eq!(v.full_sum(), u(r.full_sum.val()), "full_sum {}", ctx);
            prop_assert_eq!(v.diff(), u(r.diff.val()), "diff {}", ctx);
            prop_assert_eq!(v.lt(), r.lt.val() as u64, "lt {}", ctx);
            prop_assert_eq!(v.ge(), r.ge.val() as u64, "ge {}", ctx);
            prop_assert_eq!(v.word(), u(r.word.val()), "word {}", ctx);
            prop_assert_eq!(v.low(), u(r.low.val()), "low {}", ctx);
            prop_assert_eq!(
                v.shifted_big(),
                BigUint::from(r.shifted.val()),
                "shifted {}",
                ctx
            );
            prop_assert_eq!(v.var_shift(), u(r.var_shift.val()), "var_shift {}", ctx);
            prop_assert_eq!(v.any(), r.any.val() as u64, "any {}", ctx);
            prop_assert_eq!(v.all(), r.all.val() as u64, "all {}", ctx);
            prop_assert_eq!(v.parity(), r.parity.val() as u64, "parity {}", ctx);
            prop_assert_eq!(v.mode_out(), u(r.mode_out.val()), "mode_out {}", ctx);
            prop_assert_eq!(v.chain(), u(r.chain.val()), "chain {}", ctx);
            prop_assert_eq!(v.picked(), r.picked.val() as u64, "picked {}", ctx);
            Ok(())
        })
        .unwrap();
}

/// Independent of rust-hdl: the arithmetic that motivated the emitter, against plain Rust.
#[test]
fn eight_bit_add_wraps_and_cast_add_keeps_the_carry() {
    let mut v = Sim::<ScuEmitCheck>::create(SimOptions::new());
    for (x, y) in [(200u8, 100u8), (255, 1), (0, 0), (128, 128)] {
        v.set_x(x as u64);
        v.set_y(y as u64);
        v.eval();
        assert_eq!(v.wrap_sum(), x.wrapping_add(y) as u64);
        assert_eq!(v.full_sum(), x as u64 + y as u64);
        assert_eq!(v.diff(), x.wrapping_sub(y) as u64);
    }
}
