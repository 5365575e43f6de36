//! The engine's cycle model: what one instruction costs, in clock cycles.
//!
//! **The RTL sequencer must implement exactly these numbers** — the lock-step co-simulation
//! compares cycle counts as well as register writes, and `scu report` quotes totals computed
//! from this table. Change them here and in the RTL together.
//!
//! | class | cycles | why |
//! |---|---|---|
//! | ADD / SUB / MUL | `cycles_for(W, op)` + 2 | read a, read b; the ALU run (its start edge included); the write of r overlaps the next instruction's first cycle |
//! | MOV, CONST | 2 | fetch/decode + one register-file write |
//! | CSWAP | 4 | two reads, then two writes (the file has one write port) |
//! | EQ | 3 | two reads, compare |
//! | everything else | 1 | sequencer-only state (pc, K, K2, bit, flag, counters) |
//!
//! A command also costs [`START_CYCLES`]: the clock edge that samples `start` fetches the
//! entry instruction (or, for an unknown command, answers BAD_CMD). So a command's cycles are
//! counted from the edge that samples `start` through the edge after which `done` is high —
//! the field ALU's convention.

use crate::field_alu::cycles_for;

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

/// Cycles `instr` takes on an engine whose field ALU has word width `w`. Depends only on the
/// instruction, never on data — the basis of the constant-time argument.
pub fn instr_cycles(w: usize, instr: &Instr) -> u64 {
    match instr {
        Instr::Add { .. } | Instr::Sub { .. } | Instr::Mul { .. } => {
            cycles_for(w, instr.opcode()) + ALU_OVERHEAD
        }
        Instr::Mov { .. } => MOV_CYCLES,
        Instr::Const { .. } => CONST_CYCLES,
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
        assert_eq!(instr_cycles(128, &Instr::Mul { r, a, b, m }), 15 + 2);
        assert_eq!(instr_cycles(64, &Instr::Mov { r, a }), 2);
        assert_eq!(instr_cycles(64, &Instr::Const { r, k: 3 }), 2);
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
}
