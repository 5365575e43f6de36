//! K and K2, the serial engine's scalar registers: 256-bit registers that only ever shift
//! left by one bit (LDK shifts the scalar in, msb first; NEXTBIT & co. shift zeros in), read
//! at bits 255, 254 (NEXTBITX) and {255, 191, 127, 63} (COMBEQ, the comb's four teeth).
//!
//! As flip-flops each bit costs a cell on every FPGA (a shift-only flip-flop still takes an
//! iCE40 logic cell, a Gowin LUT1 pass-through) and about six gate equivalents on an ASIC:
//! 512 bits were a tenth of the UP5K. Here the 256 bits live in a 64 × 4 RAM instead, one
//! column per comb tooth: word `(head + i) mod 64` holds bit 63 − i of each tooth, so
//! {K[255], K[191], K[127], K[63]} is word `head`. A shift moves every tooth up by one and
//! each tooth's top bit into the bottom of the tooth above (tooth 0 takes the bit shifted in),
//! which is the word at `head` rotated by one lane, written back at `head`, after which `head`
//! moves on: the written word is now the bottom row. One write per shift, no matter how the
//! 256 bits are spread.
//!
//! The word at `head` and the next one (K[254] is tooth 3's second bit) are kept in registers,
//! `top` and `nxt`, so that every tap is a flip-flop output and a shift may follow a shift in
//! the next cycle: the RAM reads the word two ahead of the next head all the time, so at a
//! shift `nxt` takes it while `top` takes `nxt`. The words in `top` and `nxt` are never written
//! while held there, so the RAM's copies of them stay current.
//!
//! Behaviour is that of the shift register exactly, for any number of shifts from any
//! contents: LDK's 256 shifts replace every bit, and a scalar shifted out completely reads as
//! zeros. Cycle counts do not change (`scu_golden::engine::cycles`).

use crate::emit::verilog::LEAF_MARKER;
use rust_hdl::prelude::*;

pub const SCALAR_RAM_NAME: &str = "scu_engine_scalar_ram";

/// 64 × 4 bits, one write port, one read port with a registered output (read every cycle):
/// a block RAM's simple dual-port mode, or an ASIC register-file macro.
#[derive(LogicBlock, Default)]
pub struct ScalarRam {
    pub clock: Signal<In, Clock>,
    pub we: Signal<In, Bit>,
    pub waddr: Signal<In, Bits<6>>,
    pub wdata: Signal<In, Bits<4>>,
    pub raddr: Signal<In, Bits<6>>,
    pub rdata: Signal<Out, Bits<4>>,
}

impl Logic for ScalarRam {
    // Co-simulated through Verilator only, like the register file's RAM.
    fn update(&mut self) {}

    fn connect(&mut self) {
        self.rdata.connect();
    }

    fn hdl(&self) -> Verilog {
        Verilog::Custom(format!(
            "{LEAF_MARKER}{SCALAR_RAM_NAME}
    // Data, not control: no reset. LDK's 256 shifts rewrite every word before a command
    // reads one. `ram_style`: 256 bits is small enough that synthesis would otherwise build
    // it from flip-flops, which is what this RAM replaces.
    (* ram_style = \"block\" *) reg [3:0] mem [0:63];
    reg [3:0] rdata_r;
    always @(posedge clock) begin
        if (we) mem[waddr] <= wdata;
        rdata_r <= mem[raddr];
    end
    assign rdata = rdata_r;"
        ))
    }
}

#[derive(LogicBlock)]
pub struct ScalarReg {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// K ← (K << 1) | kin at the next edge.
    pub shift: Signal<In, Bit>,
    pub kin: Signal<In, Bit>,
    /// {K[255], K[191], K[127], K[63]}: bit 3 is K[255].
    pub teeth: Signal<Out, Bits<4>>,
    pub k254: Signal<Out, Bit>,

    ram: ScalarRam,
    head: DFF<Bits<6>>,
    top: DFF<Bits<4>>,
    nxt: DFF<Bits<4>>,
    k_one4: Constant<Bits<4>>,
    k_one: Constant<Bits<6>>,
    k_two: Constant<Bits<6>>,
    k_three: Constant<Bits<6>>,
    head_p2: Signal<Local, Bits<6>>,
    head_p3: Signal<Local, Bits<6>>,
    kin4: Signal<Local, Bits<4>>,
}

impl Default for ScalarReg {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            shift: Default::default(),
            kin: Default::default(),
            teeth: Default::default(),
            k254: Default::default(),
            ram: Default::default(),
            head: Default::default(),
            top: Default::default(),
            nxt: Default::default(),
            k_one4: Constant::new(1.into()),
            k_one: Constant::new(1.into()),
            k_two: Constant::new(2.into()),
            k_three: Constant::new(3.into()),
            head_p2: Default::default(),
            head_p3: Default::default(),
            kin4: Default::default(),
        }
    }
}

impl Logic for ScalarReg {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, head, top, nxt);
        clock!(self, clock, ram);
        // Both read addresses come from `head` alone, so `shift` (decoded from the
        // microcode ROM) only picks one: no adder behind the decode.
        self.head_p2.next = self.head.q.val() + self.k_two.val();
        self.head_p3.next = self.head.q.val() + self.k_three.val();
        self.kin4.next = 0.into();
        if self.kin.val() {
            self.kin4.next = 1.into();
        }
        self.ram.we.next = self.shift.val();
        self.ram.waddr.next = self.head.q.val();
        self.ram.wdata.next = (self.top.q.val() << self.k_one4.val()) | self.kin4.val();
        self.ram.raddr.next = self.head_p2.val();
        if self.shift.val() {
            self.ram.raddr.next = self.head_p3.val();
            self.head.d.next = self.head.q.val() + self.k_one.val();
            self.top.d.next = self.nxt.q.val();
            self.nxt.d.next = self.ram.rdata.val();
        }
        // `head` is the one piece of control state; `top` and `nxt` are data (a reset
        // scalar is reloaded before use like the RAM).
        if self.reset.val() {
            self.head.d.next = 0.into();
        }
        self.teeth.next = self.top.q.val();
        self.k254.next = self.nxt.q.val().get_bit(3);
    }
}
