//! The two read-only tables of the engine — the microcode and its 256-bit constants — as
//! synchronous-read ROM leaves. Both come from the one program description
//! (`scu_golden::engine::program`), so the RTL runs exactly what the golden model interprets.
//!
//! A registered output is what block RAM offers (iCE40 EBR, ECP5 DP16KD) and what a ROM
//! compiler gives an ASIC flow; the sequencer addresses the microcode ROM with the *next* pc
//! so the instruction is ready when its first cycle begins.

use rust_hdl::prelude::*;
use scu_golden::engine::{encode, program, Instr};

use crate::emit::verilog::LEAF_MARKER;

/// A word no valid program contains (opcode 31): the sequencer stops with BAD_CMD on it, so
/// running off the end of the program is a defined error, not a wild jump.
pub const ROM_FILL: u32 = 0xf800_0000;

pub const MICROCODE_ROM_NAME: &str = "scu_engine_microcode";
/// The parallel engine's microcode ROM: the same words with four pre-decoded bits on top
/// (`predecoded_bits`).
pub const MICROCODE_PD_ROM_NAME: &str = "scu_engine_microcode_pd";
pub const CONST_ROM_NAME: &str = "scu_engine_constants";

/// Address width of the microcode ROM (= the ISA's 11-bit immediate).
pub const PC_BITS: usize = 11;
/// Width of the parallel engine's ROM words: a block RAM word (ECP5 DP16KD and iCE40 EBR
/// widths are multiples of 9 and 4), so the four bits above the instruction cost no RAM.
pub const PD_ROM_BITS: usize = 36;

/// The parallel engine's pre-decoded bits, above the 32-bit instruction word. They spare the
/// sequencer logic behind the block RAM's slow output (5.6 ns of a 20 ns cycle on the ECP5),
/// which is where its routed critical paths were: bit 34 is "ADD, SUB or MUL", bit 35 "its
/// first read is b" (ADD/SUB/MUL/MOV: the register-file read address needs no opcode
/// compare). Bit 32: this ALU instruction's a is not the register the ALU instruction before
/// it writes, so it may read a while that one runs; bit 33 the same for b. While a result is
/// pending, an ALU instruction can only have been reached from the word before it (every
/// other instruction waits for the write-back, and ALU instructions never jump), so those two
/// bits are a property of the program; the golden model's cycle table
/// (`scu_golden::engine::cycles::overlap`) derives the same timing from the executed trace
/// on its own, and the lock-step co-simulation holds the two together.
pub const OV_A_BIT: usize = 32;
pub const OV_B_BIT: usize = 33;
pub const ALU_BIT: usize = 34;
pub const FIRST_B_BIT: usize = 35;

fn predecoded_bits(addr: usize) -> u64 {
    let code = &program().code;
    let Some(i) = code.get(addr) else {
        return 0;
    };
    let mut bits = 0;
    if let Some((_, _, a, b, _)) = i.alu() {
        bits |= (1 << ALU_BIT) | (1 << FIRST_B_BIT);
        if let Some((_, r, _, _, _)) = addr.checked_sub(1).and_then(|p| code[p].alu()) {
            bits |= (u64::from(a != r) << OV_A_BIT) | (u64::from(b != r) << OV_B_BIT);
        }
    }
    if matches!(i, Instr::Mov { .. }) {
        bits |= 1 << FIRST_B_BIT;
    }
    bits
}

/// ROM word `addr` of a `B`-bit microcode ROM: the instruction, and at B = 36 its pre-decoded
/// bits.
fn microcode_word(addr: usize, b: usize) -> u64 {
    let word = program().code.get(addr).map(encode).unwrap_or(ROM_FILL) as u64;
    if b == PD_ROM_BITS {
        word | predecoded_bits(addr)
    } else {
        word
    }
}

fn constant_value(index: usize) -> num_bigint::BigUint {
    program().constants.get(index).cloned().unwrap_or_default()
}

/// `B` = 32 (the serial engine: instruction words only) or `PD_ROM_BITS` (the parallel
/// engine: with the pre-decoded bits).
#[derive(LogicBlock, Default)]
pub struct MicrocodeRom<const B: usize> {
    pub clock: Signal<In, Clock>,
    pub addr: Signal<In, Bits<PC_BITS>>,
    pub data: Signal<Out, Bits<B>>,
}

impl<const B: usize> Logic for MicrocodeRom<B> {
    // Software model for rust-hdl's own simulator; the emitted table is what runs in co-sim.
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.data.next = microcode_word(self.addr.val().index(), B).into();
        }
    }

    fn connect(&mut self) {
        self.data.connect();
    }

    fn hdl(&self) -> Verilog {
        assert!(B == 32 || B == PD_ROM_BITS, "microcode ROM width {B}");
        let name = if B == 32 {
            MICROCODE_ROM_NAME
        } else {
            MICROCODE_PD_ROM_NAME
        };
        let top = B - 1;
        let digits = B.div_ceil(4);
        let mut s = format!(
            "{LEAF_MARKER}{name}\n    // {} instruction words; the rest reads as an invalid opcode.\n    reg [{top}:0] data_r;\n    always @(posedge clock) begin\n        case (addr)\n",
            program().code.len()
        );
        for a in 0..program().code.len() {
            s.push_str(&format!(
                "            11'd{a}: data_r <= {B}'h{:0digits$x};\n",
                microcode_word(a, B)
            ));
        }
        s.push_str(&format!(
            "            default: data_r <= {B}'h{ROM_FILL:0digits$x};\n        endcase\n    end\n    assign data = data_r;"
        ));
        Verilog::Custom(s)
    }
}

#[derive(LogicBlock, Default)]
pub struct ConstRom {
    pub clock: Signal<In, Clock>,
    pub addr: Signal<In, Bits<PC_BITS>>,
    pub data: Signal<Out, Bits<256>>,
}

impl Logic for ConstRom {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.data.next = Bits::<256>::from(constant_value(self.addr.val().index()));
        }
    }

    fn connect(&mut self) {
        self.data.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut s = format!(
            "{LEAF_MARKER}{CONST_ROM_NAME}\n    reg [255:0] data_r;\n    always @(posedge clock) begin\n        case (addr)\n"
        );
        for i in 0..program().constants.len() {
            s.push_str(&format!(
                "            11'd{i}: data_r <= 256'h{:064x};\n",
                constant_value(i)
            ));
        }
        s.push_str("            default: data_r <= 256'h0;\n        endcase\n    end\n    assign data = data_r;");
        Verilog::Custom(s)
    }
}

/// The serial datapath's constant ROM: constant k's word j (bits `W·j …`) at address
/// `{k[5:0], j}` (`CB = 6 + log2 S` bits). At W = 16 the 48 constants are 768 words of 16 bits,
/// which block RAM holds, where the 256-bit-wide table took 1,130 iCE40 LUTs.
#[derive(LogicBlock, Default)]
pub struct SerialConstRom<const W: usize, const CB: usize> {
    pub clock: Signal<In, Clock>,
    pub addr: Signal<In, Bits<CB>>,
    pub data: Signal<Out, Bits<W>>,
}

/// Constants the serial ROM's 6-bit index reaches.
pub const SERIAL_CONSTS: usize = 64;

fn constant_word(k: usize, j: usize, w: usize) -> num_bigint::BigUint {
    let mask = (num_bigint::BigUint::from(1u32) << w) - 1u32;
    (constant_value(k) >> (w * j)) & mask
}

impl<const W: usize, const CB: usize> Logic for SerialConstRom<W, CB> {
    fn update(&mut self) {
        if self.clock.pos_edge() {
            let a = self.addr.val().index();
            let wb = CB - 6;
            let word = constant_word(a >> wb, a & ((1 << wb) - 1), W);
            self.data.next = Bits::<W>::from(word);
        }
    }

    fn connect(&mut self) {
        self.data.connect();
    }

    fn hdl(&self) -> Verilog {
        assert!(program().constants.len() <= SERIAL_CONSTS);
        let words = 256 / W;
        let wb = CB - 6;
        let top = W - 1;
        let digits = W / 4;
        let mut s = format!(
            "{LEAF_MARKER}scu_engine_constants_w{W}\n    reg [{top}:0] data_r;\n    always @(posedge clock) begin\n        case (addr)\n"
        );
        for k in 0..program().constants.len() {
            for j in 0..words {
                s.push_str(&format!(
                    "            {CB}'d{}: data_r <= {W}'h{:0digits$x};\n",
                    (k << wb) | j,
                    constant_word(k, j, W)
                ));
            }
        }
        s.push_str(&format!(
            "            default: data_r <= {W}'h0;\n        endcase\n    end\n    assign data = data_r;"
        ));
        Verilog::Custom(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use scu_golden::engine::decode;

    #[test]
    fn predecoded_bits_agree_with_the_instruction() {
        let code = &program().code;
        let (mut overlapping, mut waiting) = (0, 0);
        for addr in 0..code.len() + 4 {
            let w = microcode_word(addr, PD_ROM_BITS);
            let bit = |n: usize| w >> n & 1 == 1;
            let Ok(i) = decode(w as u32) else {
                assert_eq!(
                    w >> 32,
                    0,
                    "word {addr} is no instruction but has bits on top"
                );
                continue;
            };
            let alu = i.alu().is_some();
            assert_eq!(bit(ALU_BIT), alu, "{addr}: {i}");
            assert_eq!(
                bit(FIRST_B_BIT),
                alu || matches!(i, Instr::Mov { .. }),
                "{addr}"
            );
            if !alu {
                assert!(!bit(OV_A_BIT) && !bit(OV_B_BIT), "{addr}: {i}");
            }
            overlapping += usize::from(bit(OV_A_BIT) && bit(OV_B_BIT));
            waiting +=
                usize::from(alu && addr > 0 && code[addr - 1].alu().is_some() && !bit(OV_A_BIT));
        }
        // The program has both kinds, so neither bit is constant.
        assert!(overlapping > 0 && waiting > 0);
        assert_eq!(microcode_word(0, 32) >> 32, 0);
    }
}
