//! Shared by the scu-sim tests: P-256 constants, reference arithmetic, an ALU driver.
#![allow(dead_code)]

use num_bigint::BigUint;
use num_traits::{One, Zero};
use scu_sim::models::{ScuFieldAluW128, ScuFieldAluW16, ScuFieldAluW32, ScuFieldAluW64};
use scu_sim::{HasReset, Sim};

pub const OP_ADD: u64 = 0;
pub const OP_SUB: u64 = 1;
pub const OP_MUL: u64 = 2;
pub const OP_ILLEGAL: u64 = 3;

pub fn p() -> BigUint {
    BigUint::parse_bytes(
        b"ffffffff00000001000000000000000000000000ffffffffffffffffffffffff",
        16,
    )
    .unwrap()
}

pub fn n() -> BigUint {
    BigUint::parse_bytes(
        b"ffffffff00000000ffffffffffffffffbce6faada7179e84f3b9cac2fc632551",
        16,
    )
    .unwrap()
}

pub fn modulus(mod_sel: u64) -> BigUint {
    if mod_sel == 0 {
        p()
    } else {
        n()
    }
}

/// a·b·R⁻¹ mod m, R = 2²⁵⁶ (both moduli are prime).
pub fn mont(a: &BigUint, b: &BigUint, m: &BigUint) -> BigUint {
    let r: BigUint = BigUint::one() << 256u32;
    let r_inv = (r % m).modpow(&(m - 2u32), m);
    a * b % m * r_inv % m
}

/// What the ALU computes for reduced inputs (docs/field-alu.md).
pub fn expected(op: u64, a: &BigUint, b: &BigUint, m: &BigUint) -> BigUint {
    match op {
        OP_ADD => (a + b) % m,
        OP_SUB => (a + m - b) % m,
        OP_MUL => mont(a, b, m),
        _ => unreachable!(),
    }
}

/// xorshift64*: deterministic test data without another crate.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    /// A uniformly random value of `bits` bits.
    pub fn bits(&mut self, bits: usize) -> BigUint {
        let mut v = BigUint::zero();
        for _ in 0..bits.div_ceil(64) {
            v = (v << 64u32) | BigUint::from(self.next());
        }
        v & ((BigUint::one() << bits) - 1u32)
    }

    pub fn below(&mut self, m: &BigUint) -> BigUint {
        self.bits(256) % m
    }
}

/// The three ALU models, driven the same way (they share ports by construction).
pub trait Alu: HasReset {
    const W: usize;
    fn set_inputs(&mut self, start: bool, op: u64, mod_sel: u64, a: &BigUint, b: &BigUint);
    fn set_start_bit(&mut self, start: bool);
    fn done_bit(&self) -> bool;
    fn err_bit(&self) -> bool;
    fn busy_bit(&self) -> bool;
    fn result_value(&self) -> BigUint;
}

macro_rules! alu {
    ($ty:ty, $w:expr) => {
        impl Alu for $ty {
            const W: usize = $w;
            fn set_inputs(&mut self, start: bool, op: u64, mod_sel: u64, a: &BigUint, b: &BigUint) {
                self.set_start(start as u64);
                self.set_op(op);
                self.set_mod_sel(mod_sel);
                self.set_a_big(a);
                self.set_b_big(b);
            }
            fn set_start_bit(&mut self, start: bool) {
                self.set_start(start as u64);
            }
            fn done_bit(&self) -> bool {
                self.done() == 1
            }
            fn err_bit(&self) -> bool {
                self.err() == 1
            }
            fn busy_bit(&self) -> bool {
                self.busy() == 1
            }
            fn result_value(&self) -> BigUint {
                self.result_big()
            }
        }
    };
}
alu!(ScuFieldAluW16, 16);
alu!(ScuFieldAluW32, 32);
alu!(ScuFieldAluW64, 64);
alu!(ScuFieldAluW128, 128);

/// Runs one operation: start raised for the sampling edge, then dropped. Returns
/// (result, err, cycles from the start edge inclusive to the edge after which done is high).
pub fn run_op<M: Alu>(
    sim: &mut Sim<M>,
    op: u64,
    mod_sel: u64,
    a: &BigUint,
    b: &BigUint,
) -> (BigUint, bool, u64) {
    sim.set_inputs(true, op, mod_sel, a, b);
    sim.tick();
    sim.set_start_bit(false);
    let cycles = if sim.done_bit() {
        1
    } else {
        1 + sim
            .run_until(|m| m.done_bit(), 10_000)
            .expect("ALU finishes")
    };
    (sim.result_value(), sim.err_bit(), cycles)
}

/// Cycle counts from docs/field-alu.md (W = 128 makes its correction in one full-width cycle).
pub fn cycles_for(op: u64, w: usize) -> u64 {
    let s = (256 / w) as u64;
    match (op, w) {
        (OP_ADD | OP_SUB, 128) => 2,
        (OP_ADD | OP_SUB, _) => 2 * s + 1,
        (OP_MUL, 128) => s * s + 3 * s + 2,
        (OP_MUL, _) => s * s + 5 * s + 1,
        _ => 1,
    }
}
