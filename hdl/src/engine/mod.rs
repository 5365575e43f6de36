//! The microcoded P-256 engine (`docs/engine.md`): a sequencer that runs the program of
//! `scu_golden::engine::program` from ROM over a 32 × 256-bit register file and the field
//! ALU. Every instruction takes exactly the cycles of the golden model's table
//! (`scu_golden::engine::cycles`), which is what the lock-step co-simulation holds it to.

pub mod regfile;
pub mod rom;
pub mod scalar;
pub mod serial;

use crate::field_alu::FieldAlu;
use regfile::RegFile;
use rom::{ConstRom, MicrocodeRom, PC_BITS, PD_ROM_BITS};
use rust_hdl::prelude::*;
use scu_golden::engine::{program, Command, Status};
use scu_golden::field_alu::{parallel_multipliers, Multipliers};

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
pub enum EngineState {
    Idle,
    Exec,
}

/// `W`, `P`, `SW`, `CW` are the field ALU's parameters (see `FieldAlu`); use the aliases.
#[derive(LogicBlock)]
pub struct Engine<const W: usize, const P: usize, const SW: usize, const CW: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// Starts command `cmd` (codes of `Command`; others answer BAD_CMD) when idle.
    pub start: Signal<In, Bit>,
    pub cmd: Signal<In, Bits<3>>,
    pub busy: Signal<Out, Bit>,
    /// One-cycle pulse when a command ends; `status` then holds until the next start.
    pub done: Signal<Out, Bit>,
    pub status: Signal<Out, Bits<3>>,
    /// Host access to the register file, honoured only while idle: write, or read with the
    /// data on `host_rdata` one cycle later.
    pub host_we: Signal<In, Bit>,
    pub host_re: Signal<In, Bit>,
    pub host_addr: Signal<In, Bits<5>>,
    pub host_wdata: Signal<In, Bits<256>>,
    /// Lanes of `host_wdata` a host write stores (bit i: bits 32i+31..32i); the engine's own
    /// writes store all lanes. The gate writes one 32-bit bus word at a time.
    pub host_wmask: Signal<In, Bits<8>>,
    pub host_rdata: Signal<Out, Bits<256>>,
    /// The register file's write port, for lock-step tracing. The SCU top leaves these
    /// unconnected, so synthesis removes them.
    pub rf_we: Signal<Out, Bit>,
    pub rf_waddr: Signal<Out, Bits<5>>,
    pub rf_wdata: Signal<Out, Bits<256>>,

    state: DFF<EngineState>,
    step: DFF<Bits<2>>,
    pc: DFF<Bits<PC_BITS>>,
    opa: DFF<Bits<256>>,
    kreg: DFF<Bits<256>>,
    k_pend: DFF<Bit>,
    /// The second scalar register (VERIFY's joint scalar walk), loaded like K.
    kreg2: DFF<Bits<256>>,
    k2_pend: DFF<Bit>,
    kbit: DFF<Bit>,
    flag: DFF<Bit>,
    ctr0: DFF<Bits<PC_BITS>>,
    ctr1: DFF<Bits<PC_BITS>>,
    ret: DFF<Bits<PC_BITS>>,
    status_r: DFF<Bits<3>>,
    done_r: DFF<Bit>,
    /// An ALU result is on its way to register `wb_reg`; the next instruction waits at its
    /// first cycle for `done` and then runs that cycle alongside the write (an ALU
    /// instruction that does not read the result as a waits later or not at all).
    wb_pend: DFF<Bit>,
    /// An ALU instruction is at step 2 and starts the ALU as soon as it is free: set when it
    /// enters step 2, so the ALU's `start` is this flip-flop and the ALU's own `done` rather
    /// than the microcode ROM's output through the execute decode (the routed critical path
    /// once the read port no longer was).
    alu_go: DFF<Bit>,
    wb_reg: DFF<Bits<5>>,
    /// The ROM's output word, a cycle later: from an instruction's second cycle on it is the
    /// same word, out of a flip-flop instead of the block RAM's slow output, so the writes of
    /// the later steps are decoded from it (`op_q`, `fb_q`, `csel_q`).
    ir_q: DFF<Bits<32>>,

    alu: FieldAlu<W, P, SW, CW>,
    rom: MicrocodeRom<PD_ROM_BITS>,
    consts: ConstRom,
    rf: RegFile,

    k_entry0: Constant<Bits<PC_BITS>>,
    k_entry1: Constant<Bits<PC_BITS>>,
    k_entry2: Constant<Bits<PC_BITS>>,
    k_entry3: Constant<Bits<PC_BITS>>,
    k_bad_cmd: Constant<Bits<3>>,
    k_one: Constant<Bits<PC_BITS>>,
    k_all_lanes: Constant<Bits<8>>,

    ir: Signal<Local, Bits<32>>,
    opcode: Signal<Local, Bits<5>>,
    fa: Signal<Local, Bits<5>>,
    fb: Signal<Local, Bits<5>>,
    fc: Signal<Local, Bits<5>>,
    op_q: Signal<Local, Bits<5>>,
    fa_q: Signal<Local, Bits<5>>,
    fb_q: Signal<Local, Bits<5>>,
    csel_q: Signal<Local, Bit>,
    /// The ROM's pre-decoded overlap bits (`rom::OV_A_BIT`): this ALU instruction may read a
    /// (b) while the ALU instruction before it runs.
    ov_a: Signal<Local, Bit>,
    ov_b: Signal<Local, Bit>,
    /// A result is pending and the ALU has not shown `done`.
    alu_busy: Signal<Local, Bit>,
    imm: Signal<Local, Bits<PC_BITS>>,
    pc_inc: Signal<Local, Bits<PC_BITS>>,
    /// Pre-decoded in the ROM (`rom::ALU_BIT`): ADD, SUB or MUL.
    is_alu: Signal<Local, Bit>,
    /// Pre-decoded in the ROM (`rom::FIRST_B_BIT`): the first read (step 0) is b, not a.
    first_b: Signal<Local, Bit>,
    entry: Signal<Local, Bits<PC_BITS>>,
    cmd_ok: Signal<Local, Bit>,
    pc_next: Signal<Local, Bits<PC_BITS>>,
    advance: Signal<Local, Bit>,
    stall: Signal<Local, Bit>,
    eff_k: Signal<Local, Bits<256>>,
    eff_k2: Signal<Local, Bits<256>>,
    comb_hit: Signal<Local, Bit>,
    /// COMBLD's constant address: the table base with the comb digit as its low 4 bits.
    comb_addr: Signal<Local, Bits<PC_BITS>>,
    ctr_sel: Signal<Local, Bits<PC_BITS>>,
    ctr_dec: Signal<Local, Bits<PC_BITS>>,
    /// DJNZ's "taken": the selected counter is not 1 (so not 0 after the decrement), from
    /// comparisons of the counter registers alone, so that only the counter select follows
    /// the microcode ROM on the way to the next pc.
    ctr_more: Signal<Local, Bit>,
    swap_a: Signal<Local, Bits<256>>,
    swap_b: Signal<Local, Bits<256>>,
}

pub type EngineW16 = Engine<16, 32, 33, 17>;
pub type EngineW32 = Engine<32, 64, 65, 33>;
pub type EngineW64 = Engine<64, 128, 129, 65>;
pub type EngineW128 = Engine<128, 256, 257, 129>;

fn small<const N: usize>(x: u64) -> Constant<Bits<N>> {
    Constant::new(Bits::<N>::from(x))
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Engine<W, P, SW, CW> {
    pub fn new() -> Self {
        let entry = |c: Command| small::<PC_BITS>(program().entry(c) as u64);
        Self {
            clock: Default::default(),
            reset: Default::default(),
            start: Default::default(),
            cmd: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            status: Default::default(),
            host_we: Default::default(),
            host_re: Default::default(),
            host_addr: Default::default(),
            host_wdata: Default::default(),
            host_wmask: Default::default(),
            host_rdata: Default::default(),
            rf_we: Default::default(),
            rf_waddr: Default::default(),
            rf_wdata: Default::default(),
            state: Default::default(),
            step: Default::default(),
            pc: Default::default(),
            opa: Default::default(),
            kreg: Default::default(),
            k_pend: Default::default(),
            kreg2: Default::default(),
            k2_pend: Default::default(),
            kbit: Default::default(),
            flag: Default::default(),
            ctr0: Default::default(),
            ctr1: Default::default(),
            ret: Default::default(),
            status_r: Default::default(),
            done_r: Default::default(),
            wb_pend: Default::default(),
            alu_go: Default::default(),
            wb_reg: Default::default(),
            ir_q: Default::default(),
            // One multiplier at W = 128 (scu_golden::field_alu::parallel_multipliers).
            alu: match parallel_multipliers(W) {
                Multipliers::One => FieldAlu::new_one_mul(),
                Multipliers::Two => FieldAlu::new(),
            },
            rom: Default::default(),
            consts: Default::default(),
            rf: Default::default(),
            k_entry0: entry(Command::Keygen),
            k_entry1: entry(Command::Ecdh),
            k_entry2: entry(Command::Sign),
            k_entry3: entry(Command::Verify),
            k_bad_cmd: small(Status::BadCmd.code() as u64),
            k_one: small(1),
            k_all_lanes: small(0xff),
            ir: Default::default(),
            opcode: Default::default(),
            fa: Default::default(),
            fb: Default::default(),
            fc: Default::default(),
            op_q: Default::default(),
            fa_q: Default::default(),
            fb_q: Default::default(),
            csel_q: Default::default(),
            ov_a: Default::default(),
            ov_b: Default::default(),
            alu_busy: Default::default(),
            imm: Default::default(),
            pc_inc: Default::default(),
            is_alu: Default::default(),
            first_b: Default::default(),
            entry: Default::default(),
            cmd_ok: Default::default(),
            pc_next: Default::default(),
            advance: Default::default(),
            stall: Default::default(),
            eff_k: Default::default(),
            eff_k2: Default::default(),
            comb_hit: Default::default(),
            comb_addr: Default::default(),
            ctr_sel: Default::default(),
            ctr_dec: Default::default(),
            ctr_more: Default::default(),
            swap_a: Default::default(),
            swap_b: Default::default(),
        }
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Default
    for Engine<W, P, SW, CW>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Logic
    for Engine<W, P, SW, CW>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, step, pc, opa, kreg, k_pend, kreg2, k2_pend, kbit, flag, ctr0,
            ctr1, ret, status_r, done_r, wb_pend, wb_reg, alu_go, ir_q
        );
        clock!(self, clock, alu, rom, consts, rf);
        self.alu.reset.next = self.reset.val();
        self.alu.ld_a.next = false;
        self.alu.ld_b.next = false;
        self.alu.ld_word.next = 0.into();
        self.alu.rot_t.next = false;

        // Instruction fields (encoding in scu_golden::engine::isa); only the opcode decodes.
        self.ir.next = self.rom.data.val().get_bits::<32>(0);
        // Pre-decoded bits (`rom::OV_A_BIT` …).
        self.ov_a.next = self.rom.data.val().get_bit(32);
        self.ov_b.next = self.rom.data.val().get_bit(33);
        self.is_alu.next = self.rom.data.val().get_bit(34);
        self.first_b.next = self.rom.data.val().get_bit(35);
        self.opcode.next = self.ir.val().get_bits::<5>(27);
        self.fa.next = self.ir.val().get_bits::<5>(22);
        self.fb.next = self.ir.val().get_bits::<5>(17);
        self.fc.next = self.ir.val().get_bits::<5>(12);
        self.imm.next = self.ir.val().get_bits::<PC_BITS>(0);
        self.ir_q.d.next = self.ir.val();
        self.op_q.next = self.ir_q.q.val().get_bits::<5>(27);
        self.fa_q.next = self.ir_q.q.val().get_bits::<5>(22);
        self.fb_q.next = self.ir_q.q.val().get_bits::<5>(17);
        self.csel_q.next = self.ir_q.q.val().get_bit(11);
        self.pc_inc.next = self.pc.q.val() + self.k_one.val();

        self.entry.next = self.k_entry0.val();
        self.cmd_ok.next = true;
        match self.cmd.val().index() {
            0 => self.entry.next = self.k_entry0.val(),
            1 => self.entry.next = self.k_entry1.val(),
            2 => self.entry.next = self.k_entry2.val(),
            3 => self.entry.next = self.k_entry3.val(),
            _ => self.cmd_ok.next = false,
        }

        // A LDK's read lands one cycle after the instruction; whatever runs next sees K
        // through this bypass, so LDK costs one cycle like every sequencer-only instruction.
        self.eff_k.next = self.kreg.q.val();
        if self.k_pend.q.val() {
            self.eff_k.next = self.rf.rdata.val();
        }
        self.kreg.d.next = self.eff_k.val();
        self.k_pend.d.next = false;
        self.eff_k2.next = self.kreg2.q.val();
        if self.k2_pend.q.val() {
            self.eff_k2.next = self.rf.rdata.val();
        }
        self.kreg2.d.next = self.eff_k2.val();
        self.k2_pend.d.next = false;
        // COMBEQ: the comb digit K[255] K[191] K[127] K[63] (msb first) against imm[3:0].
        self.comb_hit.next = (self.eff_k.val().get_bit(255) == self.imm.val().get_bit(3))
            & (self.eff_k.val().get_bit(191) == self.imm.val().get_bit(2))
            & (self.eff_k.val().get_bit(127) == self.imm.val().get_bit(1))
            & (self.eff_k.val().get_bit(63) == self.imm.val().get_bit(0));
        self.comb_addr.next = ((self.imm.val() >> 4) << 4)
            | (bit_cast::<PC_BITS, 1>(self.eff_k.val().get_bits::<1>(255)) << 3)
            | (bit_cast::<PC_BITS, 1>(self.eff_k.val().get_bits::<1>(191)) << 2)
            | (bit_cast::<PC_BITS, 1>(self.eff_k.val().get_bits::<1>(127)) << 1)
            | bit_cast::<PC_BITS, 1>(self.eff_k.val().get_bits::<1>(63));

        self.ctr_sel.next = self.ctr0.q.val();
        if self.fa.val().get_bit(0) {
            self.ctr_sel.next = self.ctr1.q.val();
        }
        self.ctr_dec.next = self.ctr_sel.val() - self.k_one.val();
        self.ctr_more.next = self.ctr0.q.val() != self.k_one.val();
        if self.fa.val().get_bit(0) {
            self.ctr_more.next = self.ctr1.q.val() != self.k_one.val();
        }

        // CSWAP writes a first, then b; `opa` holds R[a], the read port still holds R[b].
        self.swap_a.next = self.opa.q.val();
        self.swap_b.next = self.rf.rdata.val();
        if self.kbit.q.val() {
            self.swap_a.next = self.rf.rdata.val();
            self.swap_b.next = self.opa.q.val();
        }

        // Defaults: hold the instruction (the ROM re-reads pc), no register-file write.
        self.rom.addr.next = self.pc.q.val();
        self.consts.addr.next = self.imm.val();
        if self.opcode.val() == 23 {
            self.consts.addr.next = self.comb_addr.val();
        }
        // The read port reads in every cycle but step 2, and its address is the pre-decoded
        // `first_b` and `is_alu` and the step: none of the stall or the execute decode, since
        // the microcode ROM's output reaching the register file's address was fast's routed
        // critical path. Reads nobody uses are harmless: an instruction waiting at step 0
        // for the ALU's result reads its first operand in every cycle and uses the read of
        // the cycle it proceeds in; whatever follows a step 1 write (MOV, CONST) or CSWAP's
        // writes reads again before it uses the port. Step 2 holds the port's output: the
        // ALU takes b from it at start (perhaps cycles later), EQ compares it, CSWAP writes
        // it into a and then still needs it for b.
        self.rf.re.next = !(self.step.q.val() == 2);
        self.rf.raddr.next = self.fa.val();
        if self.step.q.val().any() {
            self.rf.raddr.next = self.fb.val();
            if self.is_alu.val() {
                self.rf.raddr.next = self.fc.val();
            }
        } else if self.first_b.val() {
            self.rf.raddr.next = self.fb.val();
        }
        self.rf.we.next = false;
        self.rf.waddr.next = self.fa_q.val();
        self.rf.wdata.next = self.alu.result.val();
        self.rf.wmask.next = self.k_all_lanes.val();
        // Only the ALU write-back meets a read of its own register (the next instruction's
        // first read); every other write happens in a step that reads nothing.
        self.rf.fwd_en.next = self.wb_pend.q.val() & self.alu.done.val() & !self.alu.err.val();
        self.rf.fwd_addr.next = self.wb_reg.q.val();
        self.alu_busy.next = self.wb_pend.q.val() & !self.alu.done.val();
        // Back-to-back ALU instructions (`cycles::overlap` in the golden model): the ALU
        // starts in the cycle it shows `done`, alongside the write-back.
        self.alu.start.next = self.alu_go.q.val() & !self.alu_busy.val();
        self.alu_go.d.next = false;
        self.alu.op.next = self.opcode.val().get_bits::<2>(0);
        self.alu.mod_sel.next = self.ir.val().get_bit(11);
        self.alu.a.next = self.opa.q.val();
        self.alu.b.next = self.rf.rdata.val();
        self.advance.next = false;
        self.pc_next.next = self.pc_inc.val();
        self.done_r.d.next = false;
        // Every instruction waits at step 0 for a pending result, except an ALU instruction
        // whose a is not that result (its later steps wait where they must, below). Only
        // step 0 of any other instruction can meet a pending result.
        self.stall.next = self.alu_busy.val() & !self.ov_a.val();

        match self.state.q.val() {
            EngineState::Idle => {
                self.rf.we.next = self.host_we.val();
                self.rf.waddr.next = self.host_addr.val();
                self.rf.wdata.next = self.host_wdata.val();
                self.rf.wmask.next = self.host_wmask.val();
                self.rf.re.next = self.host_re.val();
                self.rf.raddr.next = self.host_addr.val();
                if self.start.val() {
                    self.step.d.next = 0.into();
                    self.state.d.next = EngineState::Exec;
                    self.pc.d.next = self.entry.val();
                    self.rom.addr.next = self.entry.val();
                    if !self.cmd_ok.val() {
                        self.state.d.next = EngineState::Idle;
                        self.status_r.d.next = self.k_bad_cmd.val();
                        self.done_r.d.next = true;
                    }
                }
            }
            EngineState::Exec => {
                // The writes of later steps, from `ir_q` (only an ALU instruction, which writes
                // nothing then, waits after its first step): MOV, CONST/CSEL and COMBLD at step
                // 1, CSWAP a then b at steps 2 and 3.
                match self.op_q.val().index() {
                    3 => {
                        if self.step.q.val() == 1 {
                            self.rf.we.next = true;
                            self.rf.wdata.next = self.rf.rdata.val();
                        }
                    }
                    4 => {
                        if self.step.q.val() == 1 {
                            self.rf.we.next = true;
                            self.rf.wdata.next = self.consts.data.val();
                            if self.csel_q.val() & !self.kbit.q.val() {
                                self.rf.wdata.next = self.rf.rdata.val();
                            }
                        }
                    }
                    23 => {
                        if self.step.q.val() == 1 {
                            self.rf.we.next = true;
                            self.rf.wdata.next = self.consts.data.val();
                        }
                    }
                    5 => {
                        if self.step.q.val() == 2 {
                            self.rf.we.next = true;
                            self.rf.wdata.next = self.swap_a.val();
                        }
                        if self.step.q.val() == 3 {
                            self.rf.we.next = true;
                            self.rf.waddr.next = self.fb_q.val();
                            self.rf.wdata.next = self.swap_b.val();
                        }
                    }
                    _ => {}
                }
                if !self.stall.val() {
                    // ADD, SUB, MUL: read a, read b, start the ALU (with a from `opa` and b
                    // straight from the read port).
                    if self.is_alu.val() {
                        match self.step.q.val().index() {
                            0 => {
                                self.step.d.next = 1.into();
                            }
                            1 => {
                                self.opa.d.next = self.rf.rdata.val();
                                // b is the pending result: read it again at step 3 until
                                // the write-back is forwarded.
                                if self.alu_busy.val() & !self.ov_b.val() {
                                    self.step.d.next = 3.into();
                                } else {
                                    self.step.d.next = 2.into();
                                    self.alu_go.d.next = true;
                                }
                            }
                            3 => {
                                if !self.alu_busy.val() {
                                    self.step.d.next = 2.into();
                                    self.alu_go.d.next = true;
                                }
                            }
                            _ => {
                                // Start (`alu_go`) once the ALU is free, and move on: the
                                // write-back happens later, overlapped (`wb_pend` below).
                                if self.alu_busy.val() {
                                    self.alu_go.d.next = true;
                                } else {
                                    self.advance.next = true;
                                }
                            }
                        }
                    }
                    match self.opcode.val().index() {
                        // MOV
                        3 => {
                            if self.step.q.val().any() {
                                self.advance.next = true;
                            } else {
                                self.step.d.next = 1.into();
                            }
                        }
                        // CONST, CSEL (m = 1): the constant ROM reads `imm` during the first
                        // cycle, and the file reads r for CSEL to write back when bit is 0.
                        4 => {
                            if self.step.q.val().any() {
                                self.advance.next = true;
                            } else {
                                self.step.d.next = 1.into();
                            }
                        }
                        // COMBLD: CONST at the digit's entry (`comb_addr`).
                        23 => {
                            if self.step.q.val().any() {
                                self.advance.next = true;
                            } else {
                                self.step.d.next = 1.into();
                            }
                        }
                        // CSWAP a (fa), b (fb): always two writes, whatever the bit.
                        5 => match self.step.q.val().index() {
                            0 => {
                                self.step.d.next = 1.into();
                            }
                            1 => {
                                self.opa.d.next = self.rf.rdata.val();
                                self.step.d.next = 2.into();
                            }
                            2 => {
                                self.step.d.next = 3.into();
                            }
                            _ => {
                                self.advance.next = true;
                            }
                        },
                        // LDK a (fa)
                        6 => {
                            self.k_pend.d.next = true;
                            self.advance.next = true;
                        }
                        // NEXTBIT
                        7 => {
                            self.kbit.d.next = self.eff_k.val().get_bit(255);
                            self.kreg.d.next = self.eff_k.val() << self.k_one.val();
                            self.advance.next = true;
                        }
                        // LOOP c (fa), n (imm)
                        8 => {
                            if self.fa.val().get_bit(0) {
                                self.ctr1.d.next = self.imm.val();
                            } else {
                                self.ctr0.d.next = self.imm.val();
                            }
                            self.advance.next = true;
                        }
                        // DJNZ c (fa), target
                        9 => {
                            if self.fa.val().get_bit(0) {
                                self.ctr1.d.next = self.ctr_dec.val();
                            } else {
                                self.ctr0.d.next = self.ctr_dec.val();
                            }
                            if self.ctr_more.val() {
                                self.pc_next.next = self.imm.val();
                            }
                            self.advance.next = true;
                        }
                        // JMP
                        10 => {
                            self.pc_next.next = self.imm.val();
                            self.advance.next = true;
                        }
                        // CALL: one-deep return stack.
                        11 => {
                            self.ret.d.next = self.pc_inc.val();
                            self.pc_next.next = self.imm.val();
                            self.advance.next = true;
                        }
                        // RET
                        12 => {
                            self.pc_next.next = self.ret.q.val();
                            self.advance.next = true;
                        }
                        // EQ a (fa), b (fb)
                        13 => match self.step.q.val().index() {
                            0 => {
                                self.step.d.next = 1.into();
                            }
                            1 => {
                                self.opa.d.next = self.rf.rdata.val();
                                self.step.d.next = 2.into();
                            }
                            _ => {
                                self.flag.d.next = self.opa.q.val() == self.rf.rdata.val();
                                self.advance.next = true;
                            }
                        },
                        // BF, BNF
                        14 => {
                            if self.flag.q.val() {
                                self.pc_next.next = self.imm.val();
                            }
                            self.advance.next = true;
                        }
                        15 => {
                            if !self.flag.q.val() {
                                self.pc_next.next = self.imm.val();
                            }
                            self.advance.next = true;
                        }
                        // FAIL code
                        16 => {
                            self.status_r.d.next = self.imm.val().get_bits::<3>(0);
                            self.done_r.d.next = true;
                            self.state.d.next = EngineState::Idle;
                        }
                        // DONE
                        17 => {
                            self.status_r.d.next = 0.into();
                            self.done_r.d.next = true;
                            self.state.d.next = EngineState::Idle;
                        }
                        // NEXTBITX: the swap decision of a ladder kept in the previous bit's order.
                        18 => {
                            self.kbit.d.next =
                                self.eff_k.val().get_bit(255) ^ self.eff_k.val().get_bit(254);
                            self.kreg.d.next = self.eff_k.val() << self.k_one.val();
                            self.advance.next = true;
                        }
                        // BITF
                        19 => {
                            self.kbit.d.next = self.flag.q.val();
                            self.advance.next = true;
                        }
                        // LDK2 a (fa)
                        20 => {
                            self.k2_pend.d.next = true;
                            self.advance.next = true;
                        }
                        // NEXTF s (fa): a public scalar bit into the flag.
                        21 => {
                            if self.fa.val().get_bit(0) {
                                self.flag.d.next = self.eff_k2.val().get_bit(255);
                                self.kreg2.d.next = self.eff_k2.val() << self.k_one.val();
                            } else {
                                self.flag.d.next = self.eff_k.val().get_bit(255);
                                self.kreg.d.next = self.eff_k.val() << self.k_one.val();
                            }
                            self.advance.next = true;
                        }
                        // COMBEQ d (imm[3:0])
                        22 => {
                            self.kbit.d.next = self.comb_hit.val();
                            self.advance.next = true;
                        }
                        // No valid program holds another opcode (ROM fill included).
                        _ => {
                            if !self.is_alu.val() {
                                self.status_r.d.next = self.k_bad_cmd.val();
                                self.done_r.d.next = true;
                                self.state.d.next = EngineState::Idle;
                            }
                        }
                    }
                }
            }
            _ => {
                self.state.d.next = EngineState::Idle;
            }
        }

        if self.advance.val() {
            self.step.d.next = 0.into();
            self.state.d.next = EngineState::Exec;
            self.pc.d.next = self.pc_next.val();
            self.rom.addr.next = self.pc_next.val();
        }

        // The pending ALU result is written in the cycle its `done` shows — the first cycle of
        // the next instruction, which never writes in its first cycle itself.
        if self.wb_pend.q.val() & self.alu.done.val() {
            self.wb_pend.d.next = false;
            self.rf.we.next = true;
            self.rf.waddr.next = self.wb_reg.q.val();
            self.rf.wdata.next = self.alu.result.val();
            // Cannot happen (MOV, not an ALU op, owns opcode 3); stop without writing.
            if self.alu.err.val() {
                self.rf.we.next = false;
                self.status_r.d.next = self.k_bad_cmd.val();
                self.done_r.d.next = true;
                self.state.d.next = EngineState::Idle;
            }
        }

        // After the write-back above: an ALU instruction may start in the cycle of the
        // write-back it waited for, and its own result is then the pending one.
        if self.alu.start.val() {
            self.wb_pend.d.next = true;
            self.wb_reg.d.next = self.fa.val();
        }

        // Synchronous reset of every piece of control state; opa, K and the arrays are data.
        if self.reset.val() {
            self.state.d.next = EngineState::Idle;
            self.step.d.next = 0.into();
            self.pc.d.next = 0.into();
            self.k_pend.d.next = false;
            self.k2_pend.d.next = false;
            self.kbit.d.next = false;
            self.flag.d.next = false;
            self.ctr0.d.next = 0.into();
            self.ctr1.d.next = 0.into();
            self.ret.d.next = 0.into();
            self.status_r.d.next = 0.into();
            self.done_r.d.next = false;
            self.wb_pend.d.next = false;
            self.alu_go.d.next = false;
            self.ir_q.d.next = 0.into();
        }

        self.busy.next = self.state.q.val() != EngineState::Idle;
        self.done.next = self.done_r.q.val();
        self.status.next = self.status_r.q.val();
        self.host_rdata.next = self.rf.rdata.val();
        self.rf_we.next = self.rf.we.val();
        self.rf_waddr.next = self.rf.waddr.val();
        self.rf_wdata.next = self.rf.wdata.val();
    }
}
