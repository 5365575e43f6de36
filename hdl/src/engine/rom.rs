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

/// The serial datapath's constant ROM: constant k's word j (bits `W·j …`) at address
/// `{k[5:0], j}` (`CB = 6 + log2 S` bits). At W = 16 the 42 constants are 672 words of 16 bits,
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
