//! The engine's register file: 32 × 256 bits, one synchronous write-first read port with
//! enable and one write port — the shape of a simple dual-port block RAM (iCE40 EBR: 16 blocks of 256×16,
//! ECP5 DP16KD) or an ASIC SRAM macro, so the array costs no flip-flops. One read port is a choice:
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
        let mut forward = Vec::new();
        for i in 0..8 {
            let (hi, lo) = (32 * i + 31, 32 * i);
            lanes.push_str(&format!(
                "        if (we && wmask[{i}]) mem[waddr][{hi}:{lo}] <= wdata[{hi}:{lo}];\n"
            ));
            forward.push(format!("{{32{{fwd_lanes[{i}]}}}}"));
        }
        forward.reverse();
        let forward = forward.join(", ");
        Verilog::Custom(format!(
            "{LEAF_MARKER}{REGFILE_NAME}
    // Contents are data, not control: no reset, and nothing reads a register before the
    // microcode (or the host) has written it in the same command.
    reg [255:0] mem [0:31];
    // Write-first, lane by lane: a read of the register being written returns the new
    // lanes and the old contents of the others (the sequencer overlaps an ALU write-back
    // with the next instruction's first read). Block RAMs and SRAM macros are read-first
    // at best, so the array is read plainly and the colliding lanes are forwarded from
    // registers beside it: a read mux in front of the array's output register would stop
    // synthesis from mapping the array onto RAM at all (yosys 0.23 made 8,192 flip-flops
    // of it). `fwd_lanes` only picks between two data registers and, like them, is
    // loaded by every read before its output is used, so it needs no reset either.
    reg [255:0] mem_q;
    reg [255:0] fwd_data;
    reg [7:0] fwd_lanes;
    wire [255:0] fwd_bits = {{{forward}}};
    always @(posedge clock) begin
{lanes}    end
    always @(posedge clock) begin
        if (re) begin
            mem_q <= mem[raddr];
            fwd_data <= wdata;
            fwd_lanes <= (we && waddr == raddr) ? wmask : 8'd0;
        end
    end
    assign rdata = (fwd_data & fwd_bits) | (mem_q & ~fwd_bits);"
        ))
    }
}

/// The serial datapath's register file: the same 32 registers stored as `32 × S` words of
/// `W` bits (address `{register, word}`, `AB = 5 + log2 S` bits), one synchronous read port
/// and one write port. At W = 16 that is 512 × 16 bits: two iCE40 block RAMs instead of
/// sixteen. Read-first on a collision; the serial sequencer never reads the word it writes in
/// the same cycle, so there is nothing to forward.
#[derive(LogicBlock, Default)]
pub struct SerialRegFile<const W: usize, const AB: usize> {
    pub clock: Signal<In, Clock>,
    pub re: Signal<In, Bit>,
    pub raddr: Signal<In, Bits<AB>>,
    pub rdata: Signal<Out, Bits<W>>,
    pub we: Signal<In, Bit>,
    pub waddr: Signal<In, Bits<AB>>,
    pub wdata: Signal<In, Bits<W>>,
}

impl<const W: usize, const AB: usize> Logic for SerialRegFile<W, AB> {
    // Co-simulated through Verilator only, like the parallel file.
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.rdata.connect();
    }

    fn hdl(&self) -> Verilog {
        let top = W - 1;
        let depth = 1usize << AB;
        Verilog::Custom(format!(
            "{LEAF_MARKER}scu_engine_regfile_w{W}
    // Data, not control: no reset (see the parallel file).
    reg [{top}:0] mem [0:{last}];
    reg [{top}:0] rdata_r;
    always @(posedge clock) begin
        if (we) mem[waddr] <= wdata;
        if (re) rdata_r <= mem[raddr];
    end
    assign rdata = rdata_r;",
            last = depth - 1
        ))
    }
}
