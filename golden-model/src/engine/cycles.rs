//! The engine's cycle model: what one instruction costs, in clock cycles.
//!
//! **The RTL sequencer must implement exactly these numbers** — the lock-step co-simulation
//! compares cycle counts as well as register writes, and `scu report` quotes totals computed
//! from this table. Change them here and in the RTL together.
//!
//! | class | cycles | why |
//! |---|---|---|
//! | ADD / SUB / MUL | `cycles_with(W, op, m, parallel_multipliers(W))` + 2 (at W = 128 the pipelined product: L + 7 mod p, 5L + 7 mod n) | read a, read b; the ALU run (its start edge included); the write of r overlaps the next instruction's first cycle |
//! | MOV, CONST, CSEL, COMBLD | 2 | fetch/decode (CSEL: and read r) + one register-file write |
//! | CSWAP | 4 | two reads, then two writes (the file has one write port) |
//! | EQ | 3 | two reads, compare |
//! | everything else | 1 | sequencer-only state (pc, K, K2, bit, flag, counters) |
//!
//! **Back-to-back ALU instructions overlap** on the parallel datapath ([`overlap`]): an ADD/SUB/MUL
//! right after another one reads its operands while that one's ALU run goes on, as far as
//! they are not the register it is about to write, and starts the ALU in the cycle of the
//! write-back. It saves min(2, c − 1) cycles (c: the earlier instruction's ALU cycles) when
//! neither operand is that register, 1 when only its second operand b is, none when a is. The
//! saving depends on register numbers in the program, never on data.
//!
//! That table is the **parallel** datapath (`Datapath::Parallel`: a 256-bit register-file port,
//! every operand moved in one cycle). The **serial** datapath (`Datapath::Serial`, the
//! end-node engine, `docs/engine.md` "Serial operand path") moves every 256-bit value as
//! S = 256 / W words of W bits through a W-bit register file, constant ROM and ALU port:
//!
//! | class | cycles (serial) | why |
//! |---|---|---|
//! | ADD / SUB / MUL | 3S + `cycles_with(W, op, m, One)` (the serial engine's ALU has one multiplier: a MUL mod n takes S² cycles more) | S words of a and S of b shifted into the ALU (the last with the start edge); the ALU run; S result words written, the first in the cycle `done` shows |
//! | MOV, CONST, CSEL, COMBLD | S + 1 | one word read (CSEL: of r, beside the constant's) per cycle, each written the cycle after |
//! | CSWAP | 2S + 2 | per word: read a, read b, write a, write b, with reads and writes overlapped |
//! | EQ | 2S + 1 | per word: read a, read b and compare |
//! | LDK, LDK2 | 257 | one read of the top word, then 256 cycles that each shift one bit in, msb first (the next word read with a word's last bit), so the scalar register only ever shifts by one |
//! | everything else | 1 | as above |
//!
//! A command also costs [`START_CYCLES`]: the clock edge that samples `start` fetches the
//! entry instruction (or, for an unknown command, answers BAD_CMD). So a command's cycles are
//! counted from the edge that samples `start` through the edge after which `done` is high —
//! the field ALU's convention.

use crate::field_alu::{cycles_with, parallel_multipliers, Multipliers, ONE_MULTIPLIER_WIDTHS};

use super::isa::Instr;

/// The start edge of every command, unknown ones included.
pub const START_CYCLES: u64 = 1;
/// Sequencer overhead around every field ALU operation.
pub const ALU_OVERHEAD: u64 = 2;
pub const MOV_CYCLES: u64 = 2;
pub const CONST_CYCLES: u64 = 2;
pub const CSWAP_CYCLES: u64 = 4;
pub const EQ_CYCLES: u64 = 3;
pub const CONTROL_CYCLES: u64 = 1;

/// LDK and LDK2 on the serial datapath, whatever W: one read, then one cycle per scalar bit.
pub const SERIAL_LDK_CYCLES: u64 = 1 + 256;

/// How the engine moves 256-bit values between its register file, constant ROM and ALU.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Datapath {
    /// One 256-bit word per cycle (a 256-bit register-file port).
    Parallel,
    /// One W-bit word per cycle (a W-bit register-file port): the end-node engine.
    Serial,
}

/// Word widths with a serial datapath (its register file holds 16- or 32-bit words). Its ALU
/// has one multiplier, so they are among the one-multiplier widths.
pub const SERIAL_WIDTHS: [usize; 2] = [16, 32];
const _: () = assert!(SERIAL_WIDTHS[0] == ONE_MULTIPLIER_WIDTHS[0]);
const _: () = assert!(SERIAL_WIDTHS[1] == ONE_MULTIPLIER_WIDTHS[1]);

impl Datapath {
    pub fn name(self) -> &'static str {
        match self {
            Datapath::Parallel => "parallel",
            Datapath::Serial => "serial",
        }
    }
}

/// Cycles `instr` takes on an engine of datapath `dp` whose field ALU has word width `w`.
/// Depends only on the instruction, never on data — the basis of the constant-time argument.
pub fn instr_cycles_on(dp: Datapath, w: usize, instr: &Instr) -> u64 {
    match dp {
        Datapath::Parallel => instr_cycles(w, instr),
        Datapath::Serial => serial_instr_cycles(w, instr),
    }
}

fn serial_instr_cycles(w: usize, instr: &Instr) -> u64 {
    let s = (256 / w) as u64;
    match instr {
        Instr::Add { m, .. } | Instr::Sub { m, .. } | Instr::Mul { m, .. } => {
            3 * s + cycles_with(w, instr.opcode(), *m, Multipliers::One)
        }
        Instr::Mov { .. } | Instr::Const { .. } | Instr::Csel { .. } | Instr::Combld { .. } => {
            s + 1
        }
        Instr::Cswap { .. } => 2 * s + 2,
        Instr::Eq { .. } => 2 * s + 1,
        Instr::Ldk { .. } | Instr::Ldk2 { .. } => SERIAL_LDK_CYCLES,
        _ => instr_cycles(w, instr),
    }
}

/// Cycles saved when `next` runs right after `prev` on datapath `dp` at width `w` (subtract
/// from `instr_cycles_on(dp, w, next)`): the overlap of back-to-back ALU instructions, see the
/// module doc. `prev` falls through to `next`, as every ALU instruction does.
pub fn overlap(dp: Datapath, w: usize, prev: &Instr, next: &Instr) -> u64 {
    if dp == Datapath::Serial {
        return 0;
    }
    let Some((op, _, _, _, m)) = prev.alu() else {
        return 0;
    };
    match operands_free(prev, next) {
        Some((true, true)) => {
            let run = cycles_with(w, op.code(), m, parallel_multipliers(w));
            run.saturating_sub(1).min(2)
        }
        Some((true, false)) => 1,
        _ => 0,
    }
}

/// For two ALU instructions, whether `next`'s a and b are free of `prev`'s result (each may
/// be read while `prev` runs); `None` unless both are ALU instructions. The one dependence
/// rule of the overlap, which the assembler's scheduling (`schedule.rs`) ranks by too.
pub fn operands_free(prev: &Instr, next: &Instr) -> Option<(bool, bool)> {
    let (Some((_, r, _, _, _)), Some((_, _, a, b, _))) = (prev.alu(), next.alu()) else {
        return None;
    };
    Some((a != r, b != r))
}

/// Cycles `instr` takes on the parallel datapath whose field ALU has word width `w`.
pub fn instr_cycles(w: usize, instr: &Instr) -> u64 {
    match instr {
        Instr::Add { m, .. } | Instr::Sub { m, .. } | Instr::Mul { m, .. } => {
            cycles_with(w, instr.opcode(), *m, parallel_multipliers(w)) + ALU_OVERHEAD
        }
        Instr::Mov { .. } => MOV_CYCLES,
        Instr::Const { .. } | Instr::Csel { .. } | Instr::Combld { .. } => CONST_CYCLES,
        Instr::Cswap { .. } => CSWAP_CYCLES,
        Instr::Eq { .. } => EQ_CYCLES,
        Instr::Ldk { .. }
        | Instr::Nextbit
        | Instr::Loop { .. }
        | Instr::Djnz { .. }
        | Instr::Jmp { .. }
        | Instr::Call { .. }
        | Instr::Ret
        | Instr::Bf { .. }
        | Instr::Bnf { .. }
        | Instr::Fail { .. }
        | Instr::Done
        | Instr::Nextbitx
        | Instr::Bitf
        | Instr::Ldk2 { .. }
        | Instr::Nextf { .. }
        | Instr::Combeq { .. } => CONTROL_CYCLES,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field_alu::Modulus;

    #[test]
    fn table_values() {
        let (r, a, b, m) = (0, 1, 2, Modulus::N);
        // Spec table of docs/field-alu.md plus the overhead.
        assert_eq!(instr_cycles(16, &Instr::Add { r, a, b, m }), 33 + 2);
        assert_eq!(instr_cycles(32, &Instr::Sub { r, a, b, m }), 17 + 2);
        assert_eq!(instr_cycles(64, &Instr::Mul { r, a, b, m }), 37 + 2);
        assert_eq!(instr_cycles(16, &Instr::Mul { r, a, b, m }), 337 + 2);
        // W = 128: the pipelined product (latency 5): 5 + 7 mod p, 5·5 + 7 mod n.
        assert_eq!(instr_cycles(128, &Instr::Mul { r, a, b, m }), 32 + 2);
        let p = Modulus::P;
        assert_eq!(instr_cycles(128, &Instr::Mul { r, a, b, m: p }), 12 + 2);
        assert_eq!(instr_cycles(128, &Instr::Add { r, a, b, m }), 2 + 2);
        assert_eq!(instr_cycles(64, &Instr::Mov { r, a }), 2);
        assert_eq!(instr_cycles(64, &Instr::Const { r, k: 3 }), 2);
        assert_eq!(instr_cycles(128, &Instr::Csel { r, k: 3 }), 2);
        assert_eq!(instr_cycles(128, &Instr::Combld { r, k: 16 }), 2);
        assert_eq!(instr_cycles(64, &Instr::Cswap { a, b }), 4);
        assert_eq!(instr_cycles(64, &Instr::Eq { a, b }), 3);
        assert_eq!(instr_cycles(64, &Instr::Djnz { c: 0, target: 0 }), 1);
        assert_eq!(instr_cycles(64, &Instr::Done), 1);
        for i in [
            Instr::Nextbitx,
            Instr::Bitf,
            Instr::Ldk2 { a },
            Instr::Nextf { s: 1 },
            Instr::Combeq { d: 9 },
        ] {
            assert_eq!(instr_cycles(16, &i), 1, "{i}");
        }
    }

    #[test]
    fn overlap_of_back_to_back_alu_instructions() {
        let (p, par, ser) = (Modulus::P, Datapath::Parallel, Datapath::Serial);
        let mul = |r, a, b| Instr::Mul { r, a, b, m: p };
        let add = |r, a, b| Instr::Add { r, a, b, m: p };
        // After a MUL (12 ALU cycles at W = 128): 2 if independent, 1 if b waits, 0 if a does.
        assert_eq!(overlap(par, 128, &mul(1, 2, 3), &mul(4, 5, 6)), 2);
        assert_eq!(overlap(par, 128, &mul(1, 2, 3), &mul(4, 5, 1)), 1);
        assert_eq!(overlap(par, 128, &mul(1, 2, 3), &mul(4, 1, 5)), 0);
        assert_eq!(overlap(par, 128, &mul(1, 2, 3), &mul(4, 1, 1)), 0);
        // Reading what the earlier one read, or writing the same register, does not wait.
        assert_eq!(overlap(par, 128, &mul(1, 2, 3), &add(1, 2, 3)), 2);
        // After a 2-cycle ADD the ALU is free a cycle early: min(2, 2 − 1).
        assert_eq!(overlap(par, 128, &add(1, 2, 3), &mul(4, 5, 6)), 1);
        assert_eq!(overlap(par, 128, &add(1, 2, 3), &mul(4, 5, 1)), 1);
        assert_eq!(overlap(par, 16, &add(1, 2, 3), &mul(4, 5, 6)), 2);
        // Only ALU after ALU, and only on the parallel datapath.
        assert_eq!(
            overlap(par, 128, &Instr::Mov { r: 1, a: 2 }, &mul(4, 5, 6)),
            0
        );
        assert_eq!(
            overlap(par, 128, &mul(1, 2, 3), &Instr::Mov { r: 4, a: 5 }),
            0
        );
        assert_eq!(overlap(ser, 16, &mul(1, 2, 3), &mul(4, 5, 6)), 0);
    }

    #[test]
    fn serial_table_values() {
        let (r, a, b, m) = (0, 1, 2, Modulus::P);
        let s = Datapath::Serial;
        // W = 16: S = 16 words per register.
        assert_eq!(instr_cycles_on(s, 16, &Instr::Mul { r, a, b, m }), 48 + 337);
        let n = Modulus::N;
        assert_eq!(
            instr_cycles_on(s, 16, &Instr::Mul { r, a, b, m: n }),
            48 + 337 + 256
        );
        assert_eq!(
            instr_cycles_on(s, 32, &Instr::Mul { r, a, b, m: n }),
            24 + 105 + 64
        );
        assert_eq!(
            instr_cycles_on(s, 16, &Instr::Add { r, a, b, m: n }),
            48 + 33
        );
        assert_eq!(instr_cycles_on(s, 16, &Instr::Add { r, a, b, m }), 48 + 33);
        assert_eq!(instr_cycles_on(s, 32, &Instr::Sub { r, a, b, m }), 24 + 17);
        assert_eq!(instr_cycles_on(s, 16, &Instr::Mov { r, a }), 17);
        assert_eq!(instr_cycles_on(s, 16, &Instr::Const { r, k: 1 }), 17);
        assert_eq!(instr_cycles_on(s, 32, &Instr::Csel { r, k: 1 }), 9);
        assert_eq!(instr_cycles_on(s, 16, &Instr::Combld { r, k: 32 }), 17);
        assert_eq!(instr_cycles_on(s, 16, &Instr::Cswap { a, b }), 34);
        assert_eq!(instr_cycles_on(s, 16, &Instr::Eq { a, b }), 33);
        assert_eq!(instr_cycles_on(s, 16, &Instr::Ldk { a }), 257);
        assert_eq!(instr_cycles_on(s, 32, &Instr::Ldk2 { a }), 257);
        for i in [Instr::Nextbit, Instr::Combeq { d: 3 }, Instr::Done] {
            assert_eq!(instr_cycles_on(s, 16, &i), 1, "{i}");
        }
        // The parallel table is unchanged behind the same entry point.
        assert_eq!(
            instr_cycles_on(Datapath::Parallel, 16, &Instr::Mov { r, a }),
            MOV_CYCLES
        );
    }
}
