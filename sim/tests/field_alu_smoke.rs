//! Smoke test of the field ALU models through the typed API: 256-bit ports round-trip,
//! the documented cycle counts, a few results against plain big-integer arithmetic.
//! (The exhaustive RTL-vs-golden-model sweep lives in the root `tests/field_alu.rs`.)

mod common;

use common::*;
use num_bigint::BigUint;
use num_traits::One;
use scu_sim::models::{ScuFieldAluW128, ScuFieldAluW16, ScuFieldAluW32, ScuFieldAluW64};
use scu_sim::{Sim, SimOptions};

fn smoke<M: Alu>() {
    let mut sim = Sim::<M>::create(SimOptions::new().no_waves());
    sim.reset(2);
    assert!(
        !sim.done_bit() && !sim.err_bit() && !sim.busy_bit(),
        "idle after reset"
    );

    // The documented example: ADD 1 + 2 mod p = 3 (2S + 1 cycles; 2 at W = 128).
    let (r, err, cycles) = run_op(
        &mut sim,
        OP_ADD,
        0,
        &BigUint::from(1u32),
        &BigUint::from(2u32),
    );
    assert_eq!((r, err), (BigUint::from(3u32), false));
    assert_eq!(cycles, cycles_for(OP_ADD, M::W), "W={}: ADD cycles", M::W);

    // Full-width operands: every bit of a and b reaches the datapath.
    let p = p();
    let (r, _, _) = run_op(&mut sim, OP_ADD, 0, &(&p - 1u32), &BigUint::one());
    assert_eq!(r, BigUint::from(0u32), "W={}: (p-1) + 1 mod p", M::W);
    let (r, _, _) = run_op(&mut sim, OP_SUB, 0, &BigUint::from(0u32), &BigUint::one());
    assert_eq!(r, &p - 1u32, "W={}: 0 - 1 mod p", M::W);

    let mut rng = Rng(0x5eed_0000 + M::W as u64);
    for i in 0..6 {
        let op = [OP_ADD, OP_SUB, OP_MUL][i % 3];
        let mod_sel = (i / 3) as u64 % 2;
        let m = modulus(mod_sel);
        let (a, b) = (rng.below(&m), rng.below(&m));
        let (r, err, cycles) = run_op(&mut sim, op, mod_sel, &a, &b);
        assert!(!err);
        assert_eq!(
            r,
            expected(op, &a, &b, &m),
            "W={} op={op} mod_sel={mod_sel} a={a:#x} b={b:#x}",
            M::W
        );
        assert_eq!(cycles, cycles_for(op, M::W), "W={} op={op} cycles", M::W);
    }

    // Illegal op: done and err together after one cycle, result kept.
    let before = sim.result_value();
    let (r, err, cycles) = run_op(
        &mut sim,
        OP_ILLEGAL,
        0,
        &BigUint::from(5u32),
        &BigUint::from(6u32),
    );
    assert_eq!((r, err, cycles), (before, true, 1));
}

#[test]
fn alu_w16() {
    smoke::<ScuFieldAluW16>();
}

#[test]
fn alu_w32() {
    smoke::<ScuFieldAluW32>();
}

#[test]
fn alu_w64() {
    smoke::<ScuFieldAluW64>();
}

#[test]
fn alu_w128() {
    smoke::<ScuFieldAluW128>();
}

#[test]
fn wide_input_ports_round_trip() {
    let mut m = ScuFieldAluW32::new();
    let mut rng = Rng(42);
    for _ in 0..20 {
        let a = rng.bits(256);
        let b = rng.bits(256);
        m.set_a_big(&a);
        m.set_b_big(&b);
        assert_eq!((m.a_big(), m.b_big()), (a.clone(), b.clone()));
        let words = a.to_u32_digits();
        m.set_a_words(&words);
        let mut padded = words.clone();
        padded.resize(8, 0);
        assert_eq!(m.a_words(), padded);
        assert_eq!(m.a_array().to_vec(), padded);
    }
    // Short word slices are zero-extended.
    m.set_b_words(&[7]);
    assert_eq!(m.b_big(), BigUint::from(7u32));
    let max = (BigUint::one() << 256) - 1u32;
    m.set_a_big(&max);
    assert_eq!(m.a_words(), vec![u32::MAX; 8]);
}

#[test]
#[should_panic(expected = "scu_field_alu_w16.op: value 0x4 does not fit in 2 bits")]
fn narrow_setter_rejects_wide_values() {
    ScuFieldAluW16::new().set_op(4);
}

#[test]
#[should_panic(expected = "scu_field_alu_w64.a: value does not fit in 256 bits")]
fn wide_setter_rejects_values_of_257_bits() {
    ScuFieldAluW64::new().set_a_big(&(BigUint::one() << 256));
}

#[test]
#[should_panic(expected = "scu_field_alu_w64.b: 9 words given, the port has 8")]
fn wide_setter_rejects_too_many_words() {
    ScuFieldAluW64::new().set_b_words(&[0; 9]);
}

/// Several models, of different designs, interleaved on one thread: each has its own
/// VerilatedContext and state.
#[test]
fn models_coexist_on_one_thread() {
    let mut s16 = Sim::<ScuFieldAluW16>::create(SimOptions::new().no_waves());
    let mut s32 = Sim::<ScuFieldAluW32>::create(SimOptions::new().no_waves().random_init(3));
    let mut s64 = Sim::<ScuFieldAluW64>::create(SimOptions::new().no_waves().random_init(4));
    let mut s16b = Sim::<ScuFieldAluW16>::create(SimOptions::new().no_waves().random_init(5));
    s16.reset(1);
    s32.reset(1);
    s64.reset(1);
    s16b.reset(1);
    let m = p();
    let mut rng = Rng(9);
    let (a, b) = (rng.below(&m), rng.below(&m));
    let want = mont(&a, &b, &m);
    // Start all four, then clock them round-robin.
    s16.set_inputs(true, OP_MUL, 0, &a, &b);
    s32.set_inputs(true, OP_MUL, 0, &a, &b);
    s64.set_inputs(true, OP_MUL, 0, &a, &b);
    s16b.set_inputs(true, OP_MUL, 0, &b, &a);
    let mut done = [None; 4];
    for cycle in 1..=400u64 {
        s16.tick();
        s32.tick();
        s64.tick();
        s16b.tick();
        if cycle == 1 {
            s16.set_start_bit(false);
            s32.set_start_bit(false);
            s64.set_start_bit(false);
            s16b.set_start_bit(false);
        }
        for (i, d) in [
            s16.done_bit(),
            s32.done_bit(),
            s64.done_bit(),
            s16b.done_bit(),
        ]
        .into_iter()
        .enumerate()
        {
            if d && done[i].is_none() {
                done[i] = Some(cycle);
            }
        }
    }
    assert_eq!(done, [Some(337), Some(105), Some(37), Some(337)]);
    for r in [
        s16.result_value(),
        s32.result_value(),
        s64.result_value(),
        s16b.result_value(),
    ] {
        assert_eq!(r, want);
    }
}

/// Models on different threads (each created and used on its own thread).
#[test]
fn models_on_separate_threads() {
    let handles: Vec<_> = (0..4u64)
        .map(|i| {
            std::thread::spawn(move || {
                let mut sim =
                    Sim::<ScuFieldAluW64>::create(SimOptions::new().no_waves().random_init(i + 1));
                sim.reset(1);
                let m = n();
                let mut rng = Rng(100 + i);
                let (a, b) = (rng.below(&m), rng.below(&m));
                let (r, _, _) = run_op(&mut sim, OP_MUL, 1, &a, &b);
                assert_eq!(r, mont(&a, &b, &m));
            })
        })
        .collect();
    for h in handles {
        h.join().unwrap();
    }
}
