//! The serial-datapath engine (`docs/engine.md`, "Serial operand path"): the same microcode,
//! ISA and field ALU as the parallel engine in `mod.rs`, but every 256-bit value moves as
//! S = 256 / W words of W bits — through a W-bit register file, a W-bit constant ROM and the
//! ALU's serial port. No 256-bit multiplexer is left outside the ALU: the operand register,
//! the write-data and swap multiplexers and the 256-bit RAM and ROM ports of the parallel
//! engine are what kept `tiny` out of an iCE40 UP5K. The two scalar registers (tapped at
//! bits 255, 254, 191, 127 and 63) are loaded one bit at a time, so that they only ever shift,
//! and live in a 64 × 4 RAM each (`scalar.rs`). Cycle counts: `scu_golden::engine::cycles` (`Datapath::Serial`).

use super::regfile::SerialRegFile;
use super::rom::{MicrocodeRom, SerialConstRom, PC_BITS};
use super::scalar::ScalarReg;
use super::EngineState;
use crate::field_alu::FieldAlu;
use rust_hdl::prelude::*;
use scu_golden::engine::{program, Command, Status};

/// `W`, `P`, `SW`, `CW` are the field ALU's parameters; `WB = log2(256 / W)` indexes a word,
/// `AB = 5 + WB` addresses the register file, `CB = 6 + WB` the constant ROM. Use the aliases.
#[derive(LogicBlock)]
pub struct SerialEngine<
    const W: usize,
    const P: usize,
    const SW: usize,
    const CW: usize,
    const WB: usize,
    const AB: usize,
    const CB: usize,
> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// Starts command `cmd` (codes of `Command`; others answer BAD_CMD) when idle.
    pub start: Signal<In, Bit>,
    pub cmd: Signal<In, Bits<3>>,
    pub busy: Signal<Out, Bit>,
    /// One-cycle pulse when a command ends; `status` then holds until the next start.
    pub done: Signal<Out, Bit>,
    pub status: Signal<Out, Bits<3>>,
    /// Host access to 32-bit lane `host_lane` of register `host_addr` (the gate's port, the
    /// same for every datapath), honoured only while idle: write, or read with the data on
    /// `host_rdata` one cycle later.
    pub host_we: Signal<In, Bit>,
    pub host_re: Signal<In, Bit>,
    pub host_addr: Signal<In, Bits<5>>,
    pub host_lane: Signal<In, Bits<3>>,
    pub host_wdata: Signal<In, Bits<32>>,
    pub host_rdata: Signal<Out, Bits<32>>,
    /// The register file's write port (`{register, word}`), for lock-step tracing.
    pub rf_we: Signal<Out, Bit>,
    pub rf_waddr: Signal<Out, Bits<AB>>,
    pub rf_wdata: Signal<Out, Bits<W>>,

    state: DFF<EngineState>,
    /// Phase within the current instruction.
    st: DFF<Bits<3>>,
    pc: DFF<Bits<PC_BITS>>,
    /// Word being read, and word being written (they differ by the RAM's read latency).
    j: DFF<Bits<WB>>,
    jw: DFF<Bits<WB>>,
    /// Words held between a read and their write (CSWAP) or comparison (EQ).
    opa: DFF<Bits<W>>,
    opb: DFF<Bits<W>>,
    eqacc: DFF<Bit>,
    /// Last cycle's read goes to: a MOV/CONST write (`wp`), the ALU's a (1) or b (2) (`ldp`).
    wp: DFF<Bit>,
    ldp: DFF<Bits<2>>,
    /// LDK/LDK2: the bit of the word on the read port that shifts into K next.
    kb: DFF<Bits<5>>,
    kbit: DFF<Bit>,
    flag: DFF<Bit>,
    ctr0: DFF<Bits<PC_BITS>>,
    ctr1: DFF<Bits<PC_BITS>>,
    ret: DFF<Bits<PC_BITS>>,
    status_r: DFF<Bits<3>>,
    done_r: DFF<Bit>,

    alu: FieldAlu<W, P, SW, CW>,
    rom: MicrocodeRom<32>,
    consts: SerialConstRom<W, CB>,
    rf: SerialRegFile<W, AB>,
    /// K and K2 (`scalar.rs`: a 64 × 4 RAM each, not 256 flip-flops).
    k: ScalarReg,
    k2: ScalarReg,

    k_entry0: Constant<Bits<PC_BITS>>,
    k_entry1: Constant<Bits<PC_BITS>>,
    k_entry2: Constant<Bits<PC_BITS>>,
    k_entry3: Constant<Bits<PC_BITS>>,
    k_bad_cmd: Constant<Bits<3>>,
    k_one: Constant<Bits<PC_BITS>>,
    k_three: Constant<Bits<5>>,
    k_op_mov: Constant<Bits<5>>,
    k_op_const: Constant<Bits<5>>,
    k_op_combld: Constant<Bits<5>>,
    k_op_ldk: Constant<Bits<5>>,
    k_op_ldk2: Constant<Bits<5>>,
    k_op_nextbit: Constant<Bits<5>>,
    k_op_nextbitx: Constant<Bits<5>>,
    k_op_nextf: Constant<Bits<5>>,
    k_wb: Constant<Bits<8>>,
    k_wlast: Constant<Bits<5>>,
    k_msb: Constant<Bits<W>>,
    k_last: Constant<Bits<WB>>,

    ir: Signal<Local, Bits<32>>,
    opcode: Signal<Local, Bits<5>>,
    fa: Signal<Local, Bits<5>>,
    fb: Signal<Local, Bits<5>>,
    fc: Signal<Local, Bits<5>>,
    imm: Signal<Local, Bits<PC_BITS>>,
    pc_inc: Signal<Local, Bits<PC_BITS>>,
    is_alu: Signal<Local, Bit>,
    is_copy: Signal<Local, Bit>,
    is_ldk: Signal<Local, Bit>,
    entry: Signal<Local, Bits<PC_BITS>>,
    cmd_ok: Signal<Local, Bit>,
    pc_next: Signal<Local, Bits<PC_BITS>>,
    advance: Signal<Local, Bit>,
    comb_hit: Signal<Local, Bit>,
    ctr0_dec: Signal<Local, Bits<PC_BITS>>,
    ctr1_dec: Signal<Local, Bits<PC_BITS>>,
    ctr_dec: Signal<Local, Bits<PC_BITS>>,
    ctr_nz: Signal<Local, Bit>,
    j_inc: Signal<Local, Bits<WB>>,
    jw_inc: Signal<Local, Bits<WB>>,
    j_last: Signal<Local, Bit>,
    jw_last: Signal<Local, Bit>,
    a_fa_j: Signal<Local, Bits<AB>>,
    a_fb_j: Signal<Local, Bits<AB>>,
    a_fc_j: Signal<Local, Bits<AB>>,
    a_fa_j1: Signal<Local, Bits<AB>>,
    a_fb_j1: Signal<Local, Bits<AB>>,
    a_fa_jw: Signal<Local, Bits<AB>>,
    copy_data: Signal<Local, Bits<W>>,
    result_lo: Signal<Local, Bits<W>>,
    a_fa_jr: Signal<Local, Bits<AB>>,
    k_sh: Signal<Local, Bits<W>>,
    kin: Signal<Local, Bit>,
    ldk_shift: Signal<Local, Bit>,
    k_load: Signal<Local, Bit>,
    k2_load: Signal<Local, Bit>,
    k_shift: Signal<Local, Bit>,
    k2_shift: Signal<Local, Bit>,
    eq_word: Signal<Local, Bit>,
    swap_a: Signal<Local, Bits<W>>,
    swap_b: Signal<Local, Bits<W>>,
}

pub type SerialEngineW16 = SerialEngine<16, 32, 33, 17, 4, 9, 10>;
pub type SerialEngineW32 = SerialEngine<32, 64, 65, 33, 3, 8, 9>;

fn small<const N: usize>(x: u64) -> Constant<Bits<N>> {
    Constant::new(Bits::<N>::from(x))
}

impl<
        const W: usize,
        const P: usize,
        const SW: usize,
        const CW: usize,
        const WB: usize,
        const AB: usize,
        const CB: usize,
    > SerialEngine<W, P, SW, CW, WB, AB, CB>
{
    pub const WORDS: usize = 256 / W;

    pub fn new() -> Self {
        assert!(
            W < 256 && (1usize << WB) == 256 / W && AB == 5 + WB && CB == 6 + WB,
            "serial engine widths inconsistent with W"
        );
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
            host_lane: Default::default(),
            host_wdata: Default::default(),
            host_rdata: Default::default(),
            rf_we: Default::default(),
            rf_waddr: Default::default(),
            rf_wdata: Default::default(),
            state: Default::default(),
            st: Default::default(),
            pc: Default::default(),
            j: Default::default(),
            jw: Default::default(),
            opa: Default::default(),
            opb: Default::default(),
            eqacc: Default::default(),
            wp: Default::default(),
            ldp: Default::default(),
            kb: Default::default(),
            kbit: Default::default(),
            flag: Default::default(),
            ctr0: Default::default(),
            ctr1: Default::default(),
            ret: Default::default(),
            status_r: Default::default(),
            done_r: Default::default(),
            alu: FieldAlu::new_serial(),
            rom: Default::default(),
            consts: Default::default(),
            rf: Default::default(),
            k: Default::default(),
            k2: Default::default(),
            k_entry0: entry(Command::Keygen),
            k_entry1: entry(Command::Ecdh),
            k_entry2: entry(Command::Sign),
            k_entry3: entry(Command::Verify),
            k_bad_cmd: small(Status::BadCmd.code() as u64),
            k_one: small(1),
            k_three: small(3),
            k_op_mov: small(3),
            k_op_const: small(4),
            k_op_combld: small(23),
            k_op_ldk: small(6),
            k_op_ldk2: small(20),
            k_op_nextbit: small(7),
            k_op_nextbitx: small(18),
            k_op_nextf: small(21),
            k_wb: small(WB as u64),
            k_wlast: small(W as u64 - 1),
            k_msb: small(1 << (W - 1)),
            k_last: small(Self::WORDS as u64 - 1),
            ir: Default::default(),
            opcode: Default::default(),
            fa: Default::default(),
            fb: Default::default(),
            fc: Default::default(),
            imm: Default::default(),
            pc_inc: Default::default(),
            is_alu: Default::default(),
            is_copy: Default::default(),
            is_ldk: Default::default(),
            entry: Default::default(),
            cmd_ok: Default::default(),
            pc_next: Default::default(),
            advance: Default::default(),
            comb_hit: Default::default(),
            ctr0_dec: Default::default(),
            ctr1_dec: Default::default(),
            ctr_dec: Default::default(),
            ctr_nz: Default::default(),
            j_inc: Default::default(),
            jw_inc: Default::default(),
            j_last: Default::default(),
            jw_last: Default::default(),
            a_fa_j: Default::default(),
            a_fb_j: Default::default(),
            a_fc_j: Default::default(),
            a_fa_j1: Default::default(),
            a_fb_j1: Default::default(),
            a_fa_jw: Default::default(),
            copy_data: Default::default(),
            result_lo: Default::default(),
            a_fa_jr: Default::default(),
            k_sh: Default::default(),
            kin: Default::default(),
            ldk_shift: Default::default(),
            k_load: Default::default(),
            k2_load: Default::default(),
            k_shift: Default::default(),
            k2_shift: Default::default(),
            eq_word: Default::default(),
            swap_a: Default::default(),
            swap_b: Default::default(),
        }
    }
}

impl<
        const W: usize,
        const P: usize,
        const SW: usize,
        const CW: usize,
        const WB: usize,
        const AB: usize,
        const CB: usize,
    > Default for SerialEngine<W, P, SW, CW, WB, AB, CB>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<
        const W: usize,
        const P: usize,
        const SW: usize,
        const CW: usize,
        const WB: usize,
        const AB: usize,
        const CB: usize,
    > Logic for SerialEngine<W, P, SW, CW, WB, AB, CB>
{
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, st, pc, j, jw, opa, opb, eqacc, wp, ldp, kb, kbit, flag, ctr0,
            ctr1, ret, status_r, done_r
        );
        clock!(self, clock, alu, rom, consts, rf, k, k2);
        self.k.reset.next = self.reset.val();
        self.k2.reset.next = self.reset.val();
        self.alu.reset.next = self.reset.val();
        self.rf.reset.next = self.reset.val();
        self.rf.host.next = false;
        self.rf.host_we.next = self.host_we.val();
        self.rf.host_re.next = self.host_re.val();
        self.rf.host_addr.next =
            (bit_cast::<8, 5>(self.host_addr.val()) << 3) | bit_cast::<8, 3>(self.host_lane.val());
        self.rf.host_wdata.next = self.host_wdata.val();
        self.alu.a.next = 0.into();
        self.alu.b.next = 0.into();

        // Instruction fields (encoding in scu_golden::engine::isa); only the opcode decodes.
        self.ir.next = self.rom.data.val();
        self.opcode.next = self.ir.val().get_bits::<5>(27);
        self.fa.next = self.ir.val().get_bits::<5>(22);
        self.fb.next = self.ir.val().get_bits::<5>(17);
        self.fc.next = self.ir.val().get_bits::<5>(12);
        self.imm.next = self.ir.val().get_bits::<PC_BITS>(0);
        self.pc_inc.next = self.pc.q.val() + self.k_one.val();
        self.is_alu.next = self.opcode.val() < self.k_three.val();
        self.is_copy.next = (self.opcode.val() == self.k_op_mov.val())
            | (self.opcode.val() == self.k_op_const.val())
            | (self.opcode.val() == self.k_op_combld.val());
        self.is_ldk.next = (self.opcode.val() == self.k_op_ldk.val())
            | (self.opcode.val() == self.k_op_ldk2.val());

        self.entry.next = self.k_entry0.val();
        self.cmd_ok.next = true;
        match self.cmd.val().index() {
            0 => self.entry.next = self.k_entry0.val(),
            1 => self.entry.next = self.k_entry1.val(),
            2 => self.entry.next = self.k_entry2.val(),
            3 => self.entry.next = self.k_entry3.val(),
            _ => self.cmd_ok.next = false,
        }

        // Word addresses {register, word}.
        self.j_inc.next = self.j.q.val() + 1;
        self.jw_inc.next = self.jw.q.val() + 1;
        self.j_last.next = self.j.q.val() == self.k_last.val();
        self.jw_last.next = self.jw.q.val() == self.k_last.val();
        self.a_fa_j.next = (bit_cast::<AB, 5>(self.fa.val()) << self.k_wb.val())
            | bit_cast::<AB, WB>(self.j.q.val());
        self.a_fb_j.next = (bit_cast::<AB, 5>(self.fb.val()) << self.k_wb.val())
            | bit_cast::<AB, WB>(self.j.q.val());
        self.a_fc_j.next = (bit_cast::<AB, 5>(self.fc.val()) << self.k_wb.val())
            | bit_cast::<AB, WB>(self.j.q.val());
        self.a_fa_j1.next = (bit_cast::<AB, 5>(self.fa.val()) << self.k_wb.val())
            | bit_cast::<AB, WB>(self.j_inc.val());
        self.a_fb_j1.next = (bit_cast::<AB, 5>(self.fb.val()) << self.k_wb.val())
            | bit_cast::<AB, WB>(self.j_inc.val());
        self.a_fa_jw.next = (bit_cast::<AB, 5>(self.fa.val()) << self.k_wb.val())
            | bit_cast::<AB, WB>(self.jw.q.val());
        // LDK reads the scalar's words top first: word S - 1 - j.
        self.a_fa_jr.next = (bit_cast::<AB, 5>(self.fa.val()) << self.k_wb.val())
            | bit_cast::<AB, WB>(!self.j.q.val());

        // COMBEQ: the comb digit K[255] K[191] K[127] K[63] (msb first) against imm[3:0].
        self.comb_hit.next = self.k.teeth.val() == self.imm.val().get_bits::<4>(0);

        // Both counters are decremented and tested before the instruction picks one, so the
        // carry chain is not behind the microcode ROM's output (the iCE40 build's longest path:
        // ROM → counter → next pc → ROM address).
        self.ctr0_dec.next = self.ctr0.q.val() - self.k_one.val();
        self.ctr1_dec.next = self.ctr1.q.val() - self.k_one.val();
        self.ctr_dec.next = self.ctr0_dec.val();
        self.ctr_nz.next = self.ctr0_dec.val().any();
        if self.fa.val().get_bit(0) {
            self.ctr_dec.next = self.ctr1_dec.val();
            self.ctr_nz.next = self.ctr1_dec.val().any();
        }

        self.result_lo.next = bit_cast::<W, 256>(self.alu.result.val());
        self.copy_data.next = self.rf.rdata.val();
        if self.opcode.val().get_bit(2) & (self.kbit.q.val() | !self.ir.val().get_bit(11)) {
            // CONST (4), COMBLD (23), and CSEL (4 with m = 1) when bit is set; MOV is 3, and
            // CSEL with bit 0 writes back the word of r it read.
            self.copy_data.next = self.consts.data.val();
        }
        self.eq_word.next = self.opa.q.val() == self.rf.rdata.val();
        // CSWAP: `opa` holds a_j, the read port b_j (then `opb` does); the bit picks which
        // goes where, on W bits.
        self.swap_a.next = self.opa.q.val();
        self.swap_b.next = self.opb.q.val();
        if self.kbit.q.val() {
            self.swap_a.next = self.rf.rdata.val();
            self.swap_b.next = self.opa.q.val();
        }

        // Words read last cycle arrive now: into the ALU, or into K / K2 (word 0 first, each
        // shifted in at the top, so after S loads the value stands in place).
        self.alu.ld_a.next = self.ldp.q.val() == 1;
        self.alu.ld_b.next = self.ldp.q.val() == 2;
        self.alu.ld_word.next = self.rf.rdata.val();
        self.alu.rot_t.next = false;
        self.ldp.d.next = 0.into();
        // K and K2 only ever shift left by one: LDK shifts the scalar in a bit at a time, msb
        // first, from the word held on the register file's read port, and NEXTBIT & co. shift
        // zeros in. That is what lets them live in a small RAM (`scalar.rs`).
        self.ldk_shift.next =
            (self.state.q.val() == EngineState::Exec) & self.is_ldk.val() & self.st.q.val().any();
        self.k_load.next = self.ldk_shift.val() & !self.opcode.val().get_bit(4);
        self.k2_load.next = self.ldk_shift.val() & self.opcode.val().get_bit(4);
        // Bit W - 1 - kb of the word: shifted to the top, so the select is one W-to-1 tree.
        self.k_sh.next = self.rf.rdata.val() << self.kb.q.val();
        self.kin.next = self.ldk_shift.val() & (self.k_sh.val() & self.k_msb.val()).any();
        self.k_shift.next = (self.state.q.val() == EngineState::Exec)
            & ((self.opcode.val() == self.k_op_nextbit.val())
                | (self.opcode.val() == self.k_op_nextbitx.val())
                | ((self.opcode.val() == self.k_op_nextf.val()) & !self.fa.val().get_bit(0)));
        self.k2_shift.next = (self.state.q.val() == EngineState::Exec)
            & (self.opcode.val() == self.k_op_nextf.val())
            & self.fa.val().get_bit(0);
        self.k.shift.next = self.k_load.val() | self.k_shift.val();
        self.k.kin.next = self.kin.val();
        self.k2.shift.next = self.k2_load.val() | self.k2_shift.val();
        self.k2.kin.next = self.kin.val();
        self.wp.d.next = false;

        // Defaults: hold the instruction (the ROM re-reads pc), no register-file access.
        self.rom.addr.next = self.pc.q.val();
        self.consts.addr.next = (bit_cast::<CB, 6>(self.imm.val().get_bits::<6>(0))
            << self.k_wb.val())
            | bit_cast::<CB, WB>(self.j.q.val());
        // COMBLD: the comb digit (K's teeth) in place of the table base's low 4 bits.
        if self.opcode.val() == self.k_op_combld.val() {
            self.consts.addr.next = (((bit_cast::<CB, 2>(self.imm.val().get_bits::<2>(4)) << 4)
                | bit_cast::<CB, 4>(self.k.teeth.val()))
                << self.k_wb.val())
                | bit_cast::<CB, WB>(self.j.q.val());
        }
        self.rf.re.next = false;
        self.rf.raddr.next = self.a_fb_j.val();
        self.rf.we.next = false;
        self.rf.waddr.next = self.a_fa_jw.val();
        self.rf.wdata.next = self.result_lo.val();
        self.alu.start.next = false;
        self.alu.op.next = self.opcode.val().get_bits::<2>(0);
        self.alu.mod_sel.next = self.ir.val().get_bit(11);
        self.advance.next = false;
        self.pc_next.next = self.pc_inc.val();
        self.done_r.d.next = false;

        match self.state.q.val() {
            EngineState::Idle => {
                self.rf.host.next = true;
                if self.start.val() {
                    self.st.d.next = 0.into();
                    self.j.d.next = 0.into();
                    self.jw.d.next = 0.into();
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
                // ADD, SUB, MUL r (fa), a (fb), b (fc): S reads of a, S of b (each landing in
                // the ALU a cycle later), start with the last, wait, S writes of the result.
                if self.is_alu.val() {
                    match self.st.q.val().index() {
                        0 => {
                            self.rf.re.next = true;
                            self.ldp.d.next = 1.into();
                            self.j.d.next = self.j_inc.val();
                            if self.j_last.val() {
                                self.st.d.next = 1.into();
                            }
                        }
                        1 => {
                            self.rf.re.next = true;
                            self.rf.raddr.next = self.a_fc_j.val();
                            self.ldp.d.next = 2.into();
                            self.j.d.next = self.j_inc.val();
                            if self.j_last.val() {
                                self.st.d.next = 2.into();
                            }
                        }
                        2 => {
                            self.alu.start.next = true;
                            self.st.d.next = 3.into();
                        }
                        3 => {
                            if self.alu.done.val() {
                                self.rf.we.next = true;
                                self.alu.rot_t.next = true;
                                self.jw.d.next = self.jw_inc.val();
                                self.st.d.next = 4.into();
                                // Cannot happen (MOV, not an ALU op, owns opcode 3).
                                if self.alu.err.val() {
                                    self.rf.we.next = false;
                                    self.status_r.d.next = self.k_bad_cmd.val();
                                    self.done_r.d.next = true;
                                    self.state.d.next = EngineState::Idle;
                                }
                            }
                        }
                        _ => {
                            self.rf.we.next = true;
                            self.alu.rot_t.next = true;
                            self.jw.d.next = self.jw_inc.val();
                            if self.jw_last.val() {
                                self.advance.next = true;
                            }
                        }
                    }
                }
                // MOV r (fa), a (fb), and CONST / CSEL / COMBLD r (fa), k (imm): word j read (or
                // looked up) in cycle j, written in cycle j + 1. CSEL reads r's word beside it
                // (so does COMBLD, unused).
                if self.is_copy.val() {
                    if !self.st.q.val().any() {
                        self.rf.re.next = true;
                        if self.opcode.val().get_bit(2) {
                            self.rf.raddr.next = self.a_fa_j.val();
                        }
                        self.wp.d.next = true;
                        self.j.d.next = self.j_inc.val();
                        if self.j_last.val() {
                            self.st.d.next = 1.into();
                        }
                    }
                    if self.wp.q.val() {
                        self.rf.we.next = true;
                        self.rf.wdata.next = self.copy_data.val();
                        self.jw.d.next = self.jw_inc.val();
                        if self.jw_last.val() {
                            self.advance.next = true;
                        }
                    }
                }
                // LDK a (fa), LDK2 a (fa): read the top word, then 256 cycles each shift one
                // bit into K or K2 (`ldk_shift` above); the last bit of a word shifts in the
                // cycle that reads the next, so the read port holds each word for W cycles.
                // st: 0 the first read, 1 more words to read, 2 the last word.
                if self.is_ldk.val() {
                    if self.st.q.val().any() {
                        self.kb.d.next = self.kb.q.val() + 1;
                        if self.kb.q.val() == self.k_wlast.val() {
                            self.kb.d.next = 0.into();
                            if self.st.q.val() == 2 {
                                self.advance.next = true;
                            } else {
                                self.rf.re.next = true;
                                self.rf.raddr.next = self.a_fa_jr.val();
                                self.j.d.next = self.j_inc.val();
                                if self.j_last.val() {
                                    self.st.d.next = 2.into();
                                }
                            }
                        }
                    } else {
                        self.rf.re.next = true;
                        self.rf.raddr.next = self.a_fa_jr.val();
                        self.kb.d.next = 0.into();
                        self.j.d.next = self.j_inc.val();
                        self.st.d.next = 1.into();
                    }
                }
                match self.opcode.val().index() {
                    // MOV, CONST, COMBLD (above)
                    3 => {}
                    4 => {}
                    23 => {}
                    // CSWAP a (fa), b (fb): per word read a, read b, write a, write b — always
                    // both writes, whatever the bit; reads of word j + 1 overlap the writes.
                    5 => match self.st.q.val().index() {
                        0 => {
                            self.rf.re.next = true;
                            self.rf.raddr.next = self.a_fa_j.val();
                            self.st.d.next = 1.into();
                        }
                        1 => {
                            self.opa.d.next = self.rf.rdata.val();
                            self.rf.re.next = true;
                            self.st.d.next = 2.into();
                        }
                        2 => {
                            self.rf.we.next = true;
                            self.rf.waddr.next = self.a_fa_j.val();
                            self.rf.wdata.next = self.swap_a.val();
                            self.opb.d.next = self.rf.rdata.val();
                            if !self.j_last.val() {
                                self.rf.re.next = true;
                                self.rf.raddr.next = self.a_fa_j1.val();
                            }
                            self.st.d.next = 3.into();
                        }
                        _ => {
                            self.rf.we.next = true;
                            self.rf.waddr.next = self.a_fb_j.val();
                            self.rf.wdata.next = self.swap_b.val();
                            if self.j_last.val() {
                                self.advance.next = true;
                            } else {
                                self.opa.d.next = self.rf.rdata.val();
                                self.rf.re.next = true;
                                self.rf.raddr.next = self.a_fb_j1.val();
                                self.j.d.next = self.j_inc.val();
                                self.st.d.next = 2.into();
                            }
                        }
                    },
                    // LDK, LDK2 (above)
                    6 => {}
                    20 => {}
                    // NEXTBIT (K shifts above, as for NEXTBITX and NEXTF)
                    7 => {
                        self.kbit.d.next = self.k.teeth.val().get_bit(3);
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
                        if self.ctr_nz.val() {
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
                    // EQ a (fa), b (fb): per word read a, read b and compare.
                    13 => match self.st.q.val().index() {
                        0 => {
                            self.rf.re.next = true;
                            self.rf.raddr.next = self.a_fa_j.val();
                            self.eqacc.d.next = true;
                            self.st.d.next = 1.into();
                        }
                        1 => {
                            self.opa.d.next = self.rf.rdata.val();
                            self.rf.re.next = true;
                            self.st.d.next = 2.into();
                        }
                        _ => {
                            self.eqacc.d.next = self.eqacc.q.val() & self.eq_word.val();
                            if self.j_last.val() {
                                self.flag.d.next = self.eqacc.q.val() & self.eq_word.val();
                                self.advance.next = true;
                            } else {
                                self.rf.re.next = true;
                                self.rf.raddr.next = self.a_fa_j1.val();
                                self.j.d.next = self.j_inc.val();
                                self.st.d.next = 1.into();
                            }
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
                        self.kbit.d.next = self.k.teeth.val().get_bit(3) ^ self.k.k254.val();
                        self.advance.next = true;
                    }
                    // BITF
                    19 => {
                        self.kbit.d.next = self.flag.q.val();
                        self.advance.next = true;
                    }
                    // NEXTF s (fa): a public scalar bit into the flag.
                    21 => {
                        if self.fa.val().get_bit(0) {
                            self.flag.d.next = self.k2.teeth.val().get_bit(3);
                        } else {
                            self.flag.d.next = self.k.teeth.val().get_bit(3);
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
            _ => {
                self.state.d.next = EngineState::Idle;
            }
        }

        if self.advance.val() {
            self.st.d.next = 0.into();
            self.j.d.next = 0.into();
            self.jw.d.next = 0.into();
            self.state.d.next = EngineState::Exec;
            self.pc.d.next = self.pc_next.val();
            self.rom.addr.next = self.pc_next.val();
        }

        // Synchronous reset of every piece of control state; opa/opb, K and the arrays are
        // data.
        if self.reset.val() {
            self.state.d.next = EngineState::Idle;
            self.st.d.next = 0.into();
            self.pc.d.next = 0.into();
            self.j.d.next = 0.into();
            self.jw.d.next = 0.into();
            self.eqacc.d.next = false;
            self.wp.d.next = false;
            self.ldp.d.next = 0.into();
            self.kb.d.next = 0.into();
            self.kbit.d.next = false;
            self.flag.d.next = false;
            self.ctr0.d.next = 0.into();
            self.ctr1.d.next = 0.into();
            self.ret.d.next = 0.into();
            self.status_r.d.next = 0.into();
            self.done_r.d.next = false;
        }

        self.busy.next = self.state.q.val() != EngineState::Idle;
        self.done.next = self.done_r.q.val();
        self.status.next = self.status_r.q.val();
        self.host_rdata.next = self.rf.host_rdata.val();
        self.rf_we.next = self.rf.we.val();
        self.rf_waddr.next = self.rf.waddr.val();
        self.rf_wdata.next = self.rf.wdata.val();
    }
}
