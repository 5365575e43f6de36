//! The two read-only tables of the engine — the microcode and its 256-bit constants — as
//! synchronous-read ROM leaves. Both come from the one program description
//! (`scu_golden::engine::program`), so the RTL runs exactly what the golden model interprets.
//!
//! A registered output is what block RAM offers (iCE40 EBR, ECP5 DP16KD) and what a ROM
//! compiler gives an ASIC flow; the sequencer addresses the microcode ROM with the *next* pc
//! so the instruction is ready when its first cycle begins.

use rust_hdl::prelude::*;
use scu_golden::engine::{encode, program};

use crate::emit::verilog::LEAF_MARKER;

/// A word no valid program contains (opcode 31): the sequencer stops with BAD_CMD on it, so
/// running off the end of the program is a defined error, not a wild jump.
pub const ROM_FILL: u32 = 0xf800_0000;

pub const MICROCODE_ROM_NAME: &str = "scu_engine_microcode";
pub const CONST_ROM_NAME: &str = "scu_engine_constants";

/// Address width of the microcode ROM (= the ISA's 11-bit immediate).
pub const PC_BITS: usize = 11;

fn microcode_word(addr: usize) -> u32 {
    program().code.get(addr).map(encode).unwrap_or(ROM_FILL)
}

fn constant_value(index: usize) -> num_bigint::BigUint {
    program().constants.get(index).cloned().unwrap_or_default()
}

#[derive(LogicBlock, Default)]
pub struct MicrocodeRom {
    pub clock: Signal<In, Clock>,
    pub addr: Signal<In, Bits<PC_BITS>>,
    pub data: Signal<Out, Bits<32>>,
}

impl Logic for MicrocodeRom {
    // Software model for rust-hdl's own simulator; the emitted table is what runs in co-sim.
    fn update(&mut self) {
        if self.clock.pos_edge() {
            self.data.next = (microcode_word(self.addr.val().index()) as u64).into();
        }
    }

    fn connect(&mut self) {
        self.data.connect();
    }

    fn hdl(&self) -> Verilog {
        let mut s = format!(
            "{LEAF_MARKER}{MICROCODE_ROM_NAME}\n    // {} instruction words; the rest reads as an invalid opcode.\n    reg [31:0] data_r;\n    always @(posedge clock) begin\n        case (addr)\n",
            program().code.len()
        );
        for (a, _) in program().code.iter().enumerate() {
            s.push_str(&format!(
                "            11'd{a}: data_r <= 32'h{:08x};\n",
                microcode_word(a)
            ));
        }
        s.push_str(&format!(
            "            default: data_r <= 32'h{ROM_FILL:08x};\n        endcase\n    end\n    assign data = data_r;"
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
