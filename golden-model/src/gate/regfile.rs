//! The engine's register file as the gate and the bus see it: 32 registers of eight 32-bit
//! lanes, each lane with its own write enable, so a window word is one lane.

use num_bigint::BigUint;
use num_traits::Zero;

use crate::engine::isa::{Reg, NUM_REGS};

/// Lanes of a register (one window word each).
pub const LANES: u32 = 8;
const LANE_BITS: u32 = 32;

#[derive(Clone, Debug)]
pub(super) struct RegFile {
    regs: Vec<BigUint>,
}

impl RegFile {
    /// All zeros: the RTL has no reset here, but the ZERO that follows reset overwrites every
    /// register before the bus can read one, so the start value is never observable.
    pub fn new() -> Self {
        RegFile {
            regs: vec![BigUint::zero(); NUM_REGS],
        }
    }

    pub fn get(&self, r: Reg) -> &BigUint {
        &self.regs[r as usize]
    }

    /// All lanes at once.
    pub fn write(&mut self, r: Reg, v: BigUint) {
        debug_assert!(v.bits() <= (LANES * LANE_BITS) as u64);
        self.regs[r as usize] = v;
    }

    pub fn lane(&self, r: Reg, lane: u32) -> u32 {
        let digits = self.regs[r as usize].to_u32_digits();
        digits.get(lane as usize).copied().unwrap_or(0)
    }

    pub fn write_lane(&mut self, r: Reg, lane: u32, word: u32) {
        assert!(lane < LANES);
        let mut digits = self.regs[r as usize].to_u32_digits();
        digits.resize(LANES as usize, 0);
        digits[lane as usize] = word;
        self.regs[r as usize] = BigUint::from_slice(&digits);
    }
}

/// Word `i` of a window (offset 4·i) is the most significant first: lane 7 − i.
pub(super) fn window_lane(word_index: u32) -> u32 {
    LANES - 1 - word_index
}
