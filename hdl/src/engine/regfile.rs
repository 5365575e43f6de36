//! The engine's register file: 32 × 256 bits, one synchronous write-first read port with
//! enable and one write port — the shape of a simple dual-port block RAM (iCE40 EBR: 16 blocks of 256×16,
//! ECP5 DP16KD) or an ASIC SRAM macro, so it costs no flip-flops. One read port is a choice:
//! two would need a second copy of the array, which no longer fits a UP5K
//! (`docs/engine.md`, "Register file"). The write port has a 32-bit lane mask: the gate writes
//! a bus word into one lane of a register without a read-modify-write (SRAM macros and block
//! RAMs have bit or byte write enables, so the mask costs no extra port).

use rust_hdl::prelude::*;

use crate::emit::verilog::LEAF_MARKER;

pub const REGFILE_NAME: &str = "scu_engine_regfile";

#[derive(LogicBlock, Default)]
pub struct RegFile {
    pub clock: Signal<In, Clock>,
    pub re: Signal<In, Bit>,
    pub raddr: Signal<In, Bits<5>>,
    pub rdata: Signal<Out, Bits<256>>,
    pub we: Signal<In, Bit>,
    pub waddr: Signal<In, Bits<5>>,
    pub wdata: Signal<In, Bits<256>>,
    /// Lane i (bits 32i+31..32i) is written when `we` and bit i are set.
    pub wmask: Signal<In, Bits<8>>,
}

impl Logic for RegFile {
    // rust-hdl's simulator is never run on the engine (too slow at 256 bits); this keeps
    // the block well-formed without pretending to be a model of the array.
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.rdata.connect();
    }

    fn hdl(&self) -> Verilog {
        // One statement per lane with constant part selects: synthesis maps them onto the
        // RAM's lane enables, and the lint sees no computed index widths.
        let mut lanes = String::new();
        let mut bypass = Vec::new();
        for i in 0..8 {
            let (hi, lo) = (32 * i + 31, 32 * i);
            lanes.push_str(&format!(
                "        if (we && wmask[{i}]) mem[waddr][{hi}:{lo}] <= wdata[{hi}:{lo}];\n"
            ));
            bypass.push(format!("{{32{{wmask[{i}]}}}}"));
        }
        bypass.reverse();
        let bypass = bypass.join(", ");
        Verilog::Custom(format!(
            "{LEAF_MARKER}{REGFILE_NAME}
    // Contents are data, not control: no reset, and nothing reads a register before the
    // microcode (or the host) has written it in the same command.
    reg [255:0] mem [0:31];
    reg [255:0] rdata_r;
    wire [255:0] lane_bits = {{{bypass}}};
    // Write-first, lane by lane: a read of the register being written returns the new
    // lanes and the old contents of the others (the sequencer overlaps an ALU write-back
    // with the next instruction's first read).
    always @(posedge clock) begin
{lanes}        if (re) rdata_r <= (we && waddr == raddr) ? ((wdata & lane_bits) | (mem[raddr] & ~lane_bits)) : mem[raddr];
    end
    assign rdata = rdata_r;"
        ))
    }
}
