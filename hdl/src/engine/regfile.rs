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
    /// This cycle's write (to `fwd_addr`, which must be `waddr`) is one a read of the same
    /// register in the same cycle must see. Only such writes are forwarded: the user
    /// promises that no other write meets a read of its register, and in exchange the
    /// forwarding compare needs none of the write port's decode.
    pub fwd_en: Signal<In, Bit>,
    pub fwd_addr: Signal<In, Bits<5>>,
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
    // Write-first for the writes marked `fwd_en`, lane by lane: a read of the register
    // being written returns the new lanes and the old contents of the others (the
    // sequencer overlaps an ALU write-back with the next instruction's first read). Block RAMs and SRAM macros are read-first
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
            fwd_lanes <= (fwd_en && fwd_addr == raddr) ? wmask : 8'd0;
        end
    end
    assign rdata = (fwd_data & fwd_bits) | (mem_q & ~fwd_bits);"
        ))
    }
}

/// The serial datapath's register file: the 32 registers as 256 words of 32 bits (address
/// `{register, lane}`), so a gate lane is one RAM word and the gate's timing does not depend
/// on W. At W = 16 each RAM word holds two engine words (word j is half j mod 2 of RAM word
/// j / 2, written with a half enable): 256 × 32 is two iCE40 block RAMs of 256 × 16, as the
/// 512 × 16 W-bit file was. The engine side addresses `{register, word}` W bits at a time; the
/// host side (`host` set: the engine is idle) a whole lane. One synchronous read port, one
/// write port, read-first on a collision: the serial sequencer never reads the word it writes
/// in the same cycle, so there is nothing to forward.
#[derive(LogicBlock)]
pub struct SerialRegFile<const W: usize, const AB: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub re: Signal<In, Bit>,
    pub raddr: Signal<In, Bits<AB>>,
    pub rdata: Signal<Out, Bits<W>>,
    pub we: Signal<In, Bit>,
    pub waddr: Signal<In, Bits<AB>>,
    pub wdata: Signal<In, Bits<W>>,
    /// The host port owns the RAM (the engine is idle).
    pub host: Signal<In, Bit>,
    pub host_re: Signal<In, Bit>,
    pub host_we: Signal<In, Bit>,
    /// `{register, lane}`.
    pub host_addr: Signal<In, Bits<8>>,
    pub host_wdata: Signal<In, Bits<32>>,
    pub host_rdata: Signal<Out, Bits<32>>,

    ram: LaneRam,
    /// Which half of the RAM word the last engine read asked for (always 0 at W = 32).
    half_q: DFF<Bit>,
    /// The half bit of an engine address (1 at W = 16, else 0), which is also the shift from
    /// an engine word address to a RAM address.
    k_half: Constant<Bits<AB>>,
    /// Half masks of an even and an odd engine word (W = 16: 01, 10; W = 32: both 11) and
    /// the shift that replicates a 16-bit word into both halves.
    k_mask_lo: Constant<Bits<2>>,
    k_mask_hi: Constant<Bits<2>>,
    k_rep: Constant<Bits<6>>,
    k_both: Constant<Bits<2>>,
    wide: Signal<Local, Bits<32>>,
    half_w: Signal<Local, Bit>,
    half_r: Signal<Local, Bit>,
    rd_hi: Signal<Local, Bits<16>>,
}

impl<const W: usize, const AB: usize> Default for SerialRegFile<W, AB> {
    fn default() -> Self {
        assert!(
            W == 16 || W == 32,
            "the lane register file holds 16- or 32-bit words"
        );
        assert_eq!(
            AB,
            5 + (256 / W).trailing_zeros() as usize,
            "AB = 5 + log2(256 / W)"
        );
        let narrow = W == 16;
        Self {
            clock: Default::default(),
            reset: Default::default(),
            re: Default::default(),
            raddr: Default::default(),
            rdata: Default::default(),
            we: Default::default(),
            waddr: Default::default(),
            wdata: Default::default(),
            host: Default::default(),
            host_re: Default::default(),
            host_we: Default::default(),
            host_addr: Default::default(),
            host_wdata: Default::default(),
            host_rdata: Default::default(),
            ram: Default::default(),
            half_q: Default::default(),
            k_half: Constant::new(u64::from(narrow).into()),
            k_mask_lo: Constant::new((if narrow { 1u64 } else { 3 }).into()),
            k_mask_hi: Constant::new((if narrow { 2u64 } else { 3 }).into()),
            k_rep: Constant::new((if narrow { 16u64 } else { 0 }).into()),
            k_both: Constant::new(3.into()),
            wide: Default::default(),
            half_w: Default::default(),
            half_r: Default::default(),
            rd_hi: Default::default(),
        }
    }
}

impl<const W: usize, const AB: usize> Logic for SerialRegFile<W, AB> {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, half_q);
        clock!(self, clock, ram);
        self.wide.next = bit_cast::<32, W>(self.wdata.val());
        self.half_w.next = (self.waddr.val() & self.k_half.val()) != 0;
        self.half_r.next = (self.raddr.val() & self.k_half.val()) != 0;
        self.rd_hi.next = self.ram.rdata.val().get_bits::<16>(16);
        if self.host.val() {
            self.ram.re.next = self.host_re.val();
            self.ram.raddr.next = self.host_addr.val();
            self.ram.we.next = self.host_we.val();
            self.ram.waddr.next = self.host_addr.val();
            self.ram.wmask.next = self.k_both.val();
            self.ram.wdata.next = self.host_wdata.val();
        } else {
            self.ram.re.next = self.re.val();
            self.ram.raddr.next = self.raddr.val().get_bits::<8>(self.k_half.val().index());
            self.ram.we.next = self.we.val();
            self.ram.waddr.next = self.waddr.val().get_bits::<8>(self.k_half.val().index());
            self.ram.wmask.next = self.k_mask_lo.val();
            if self.half_w.val() {
                self.ram.wmask.next = self.k_mask_hi.val();
            }
            self.ram.wdata.next = self.wide.val() | (self.wide.val() << self.k_rep.val());
        }
        if self.ram.re.val() {
            self.half_q.d.next = self.half_r.val() & !self.host.val();
        }
        if self.reset.val() {
            self.half_q.d.next = false;
        }
        self.host_rdata.next = self.ram.rdata.val();
        self.rdata.next = bit_cast::<W, 32>(self.ram.rdata.val());
        if self.half_q.q.val() {
            self.rdata.next = bit_cast::<W, 16>(self.rd_hi.val());
        }
    }
}

pub const LANE_RAM_NAME: &str = "scu_engine_regfile_l32";

/// The RAM under the serial register file: 256 × 32 bits with a write enable per 16-bit half
/// (block RAMs and SRAM macros have bit or byte enables, so the halves cost no extra port).
#[derive(LogicBlock, Default)]
pub struct LaneRam {
    pub clock: Signal<In, Clock>,
    pub re: Signal<In, Bit>,
    pub raddr: Signal<In, Bits<8>>,
    pub rdata: Signal<Out, Bits<32>>,
    pub we: Signal<In, Bit>,
    pub waddr: Signal<In, Bits<8>>,
    pub wdata: Signal<In, Bits<32>>,
    pub wmask: Signal<In, Bits<2>>,
}

impl Logic for LaneRam {
    // Co-simulated through Verilator only, like the parallel file.
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.rdata.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(format!(
            "{LEAF_MARKER}{LANE_RAM_NAME}
    // Data, not control: no reset (see the parallel file).
    reg [31:0] mem [0:255];
    reg [31:0] rdata_r;
    always @(posedge clock) begin
        if (we && wmask[0]) mem[waddr][15:0] <= wdata[15:0];
        if (we && wmask[1]) mem[waddr][31:16] <= wdata[31:16];
        if (re) rdata_r <= mem[raddr];
    end
    assign rdata = rdata_r;"
        ))
    }
}
