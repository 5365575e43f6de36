//! The command FSM (`docs/gate.md`, "Commands (CMD write in ACT)" and the state list): runs an
//! accepted command as LOAD, DRAW, LAMBDA, START, WAIT, STORE and SCRUB steps on the engine's
//! host port, the TRNG and the key-slot RAM, and wipes everything in ZERO — after reset,
//! for ZEROIZE and for lockdown.
//!
//! It is the only user of the engine's host port while it is not IDLE, so the request
//! handler (which refuses window accesses while busy) and this FSM never contend for it.

use super::GateParams;
use rust_hdl::prelude::*;
use scu_driver::regmap::scu::{cmd::op, status::engine_status};
use scu_golden::engine::program::{output_regs, reg};
use scu_golden::engine::{Command, Status};

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
pub enum SeqState {
    Idle,
    Load,
    Draw,
    Lambda,
    Start,
    Wait,
    Store,
    Scrub,
    Zero,
}

#[derive(LogicBlock)]
pub struct Sequencer {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// An accepted command (never NOP; the handler has done every check).
    pub go: Signal<In, Bit>,
    pub go_op: Signal<In, Bits<4>>,
    pub go_slot: Signal<In, Bits<4>>,
    /// Lockdown: zeroize as soon as the engine is not computing.
    pub trip: Signal<In, Bit>,

    pub busy: Signal<Out, Bit>,
    /// The last cycle of a command (SCRUB, or ZERO for ZEROIZE): `done` and `irq` follow.
    pub finish: Signal<Out, Bit>,
    pub finish_status: Signal<Out, Bits<3>>,
    /// The slot RAM is written at the end of this cycle: the slot becomes valid.
    pub store: Signal<Out, Bit>,
    pub store_slot: Signal<Out, Bits<4>>,
    pub store_wlock: Signal<Out, Bit>,
    pub irq: Signal<Out, Bit>,

    pub eng_start: Signal<Out, Bit>,
    pub eng_cmd: Signal<Out, Bits<3>>,
    pub eng_done: Signal<In, Bit>,
    pub eng_status: Signal<In, Bits<3>>,
    pub host_we: Signal<Out, Bit>,
    pub host_re: Signal<Out, Bit>,
    pub host_addr: Signal<Out, Bits<5>>,
    pub host_lane: Signal<Out, Bits<3>>,
    pub host_wdata: Signal<Out, Bits<32>>,
    pub host_rdata: Signal<In, Bits<32>>,

    pub rnd: Signal<In, Bits<32>>,
    pub rnd_valid: Signal<In, Bit>,
    pub rnd_pop: Signal<Out, Bit>,
    pub trng_alarm: Signal<In, Bit>,

    pub ram_re: Signal<Out, Bit>,
    pub ram_we: Signal<Out, Bit>,
    /// `{slot, lane}` of the key-slot RAM.
    pub ram_addr: Signal<Out, Bits<7>>,
    pub ram_wdata: Signal<Out, Bits<32>>,
    pub ram_rdata: Signal<In, Bits<32>>,

    state: DFF<SeqState>,
    op: DFF<Bits<4>>,
    slot: DFF<Bits<4>>,
    /// Lane step within LOAD/STORE (0..8), word within DRAW/LAMBDA (0..7), `{register, lane}`
    /// within SCRUB/ZERO (0..255): the engine port and the slot RAM move one 32-bit lane a cycle.
    cnt: DFF<Bits<8>>,
    status: DFF<Bits<3>>,
    pending: DFF<Bit>,
    /// The running ZERO is a ZEROIZE command (it ends with `done` and `irq`).
    zero_cmd: DFF<Bit>,
    irq_r: DFF<Bit>,

    k_op_keygen_slot: Constant<Bits<4>>,
    k_op_sign_slot: Constant<Bits<4>>,
    k_op_verify: Constant<Bits<4>>,
    k_op_ecdh_slot: Constant<Bits<4>>,
    k_op_import_slot: Constant<Bits<4>>,
    k_op_pubkey_slot: Constant<Bits<4>>,
    k_op_zeroize: Constant<Bits<4>>,
    k_op_keygen_ext: Constant<Bits<4>>,
    k_op_sign_ext: Constant<Bits<4>>,
    k_op_ecdh_ext: Constant<Bits<4>>,
    k_cmd_keygen: Constant<Bits<3>>,
    k_cmd_ecdh: Constant<Bits<3>>,
    k_cmd_sign: Constant<Bits<3>>,
    k_cmd_verify: Constant<Bits<3>>,
    k_st_ok: Constant<Bits<3>>,
    k_st_bad_scalar: Constant<Bits<3>>,
    k_st_r_zero: Constant<Bits<3>>,
    k_st_s_zero: Constant<Bits<3>>,
    k_st_trng_fail: Constant<Bits<3>>,
    k_r_d: Constant<Bits<5>>,
    k_r_nonce: Constant<Bits<5>>,
    k_r_rnd: Constant<Bits<5>>,
    k_r_qx: Constant<Bits<5>>,
    k_r_qy: Constant<Bits<5>>,
    k_r_r: Constant<Bits<5>>,
    k_r_s: Constant<Bits<5>>,
    k_one: Constant<Bits<32>>,
    k_seven: Constant<Bits<3>>,
    k_last_word: Constant<Bits<8>>,
    k_lanes: Constant<Bits<8>>,
    k_last_sweep: Constant<Bits<8>>,
    k_slot_words: Constant<Bits<8>>,
    k_randomize: Constant<Bit>,

    abandon: Signal<Local, Bit>,
    is_sign_slot: Signal<Local, Bit>,
    keeps_q: Signal<Local, Bit>,
    keeps_rs: Signal<Local, Bit>,
    keeps_x: Signal<Local, Bit>,
    keep: Signal<Local, Bit>,
    cmd_code: Signal<Local, Bits<3>>,
    first: Signal<Local, SeqState>,
    retry: Signal<Local, Bit>,
    drawing: Signal<Local, Bit>,
    draw_reg: Signal<Local, Bits<5>>,
    draw_next: Signal<Local, SeqState>,
    lane: Signal<Local, Bits<3>>,
    cnt_inc: Signal<Local, Bits<8>>,
    /// The previous step's lane (LOAD and STORE write one cycle after they read).
    prev: Signal<Local, Bits<3>>,
    sweep_reg: Signal<Local, Bits<5>>,
    slot_lane: Signal<Local, Bits<7>>,
    prev_lane: Signal<Local, Bits<7>>,
}

fn k<const N: usize>(x: u64) -> Constant<Bits<N>> {
    Constant::new(Bits::<N>::from(x))
}

fn opk(v: scu_driver::regmap::EnumValue) -> Constant<Bits<4>> {
    k(u64::from(v.value))
}

fn cmdk(c: Command) -> Constant<Bits<3>> {
    k(u64::from(c.code()))
}

fn stk(s: Status) -> Constant<Bits<3>> {
    k(u64::from(s.code()))
}

impl Sequencer {
    pub fn new(p: &GateParams) -> Self {
        // SCRUB keeps exactly the engine's declared outputs; the keep logic below names them.
        assert_eq!(output_regs(Command::Keygen), &[reg::QX, reg::QY]);
        assert_eq!(output_regs(Command::Sign), &[reg::R, reg::S]);
        assert_eq!(output_regs(Command::Ecdh), &[reg::QX]);
        assert!(output_regs(Command::Verify).is_empty());
        assert_eq!(
            engine_status::TRNG_FAIL.value,
            7,
            "the gate's own status fits 3 bits"
        );
        assert_eq!(Status::Ok.code(), engine_status::OK.value as u8);
        Self {
            clock: Default::default(),
            reset: Default::default(),
            go: Default::default(),
            go_op: Default::default(),
            go_slot: Default::default(),
            trip: Default::default(),
            busy: Default::default(),
            finish: Default::default(),
            finish_status: Default::default(),
            store: Default::default(),
            store_slot: Default::default(),
            store_wlock: Default::default(),
            irq: Default::default(),
            eng_start: Default::default(),
            eng_cmd: Default::default(),
            eng_done: Default::default(),
            eng_status: Default::default(),
            host_we: Default::default(),
            host_re: Default::default(),
            host_addr: Default::default(),
            host_lane: Default::default(),
            host_wdata: Default::default(),
            host_rdata: Default::default(),
            rnd: Default::default(),
            rnd_valid: Default::default(),
            rnd_pop: Default::default(),
            trng_alarm: Default::default(),
            ram_re: Default::default(),
            ram_we: Default::default(),
            ram_addr: Default::default(),
            ram_wdata: Default::default(),
            ram_rdata: Default::default(),
            state: Default::default(),
            op: Default::default(),
            slot: Default::default(),
            cnt: Default::default(),
            status: Default::default(),
            pending: Default::default(),
            zero_cmd: Default::default(),
            irq_r: Default::default(),
            k_op_keygen_slot: opk(op::KEYGEN_SLOT),
            k_op_sign_slot: opk(op::SIGN_SLOT),
            k_op_verify: opk(op::VERIFY),
            k_op_ecdh_slot: opk(op::ECDH_SLOT),
            k_op_import_slot: opk(op::IMPORT_SLOT),
            k_op_pubkey_slot: opk(op::PUBKEY_SLOT),
            k_op_zeroize: opk(op::ZEROIZE),
            k_op_keygen_ext: opk(op::KEYGEN_EXT),
            k_op_sign_ext: opk(op::SIGN_EXT),
            k_op_ecdh_ext: opk(op::ECDH_EXT),
            k_cmd_keygen: cmdk(Command::Keygen),
            k_cmd_ecdh: cmdk(Command::Ecdh),
            k_cmd_sign: cmdk(Command::Sign),
            k_cmd_verify: cmdk(Command::Verify),
            k_st_ok: stk(Status::Ok),
            k_st_bad_scalar: stk(Status::BadScalar),
            k_st_r_zero: stk(Status::RZero),
            k_st_s_zero: stk(Status::SZero),
            k_st_trng_fail: k(engine_status::TRNG_FAIL.value.into()),
            k_r_d: k(reg::D.into()),
            k_r_nonce: k(reg::NONCE.into()),
            k_r_rnd: k(reg::RND.into()),
            k_r_qx: k(reg::QX.into()),
            k_r_qy: k(reg::QY.into()),
            k_r_r: k(reg::R.into()),
            k_r_s: k(reg::S.into()),
            k_one: k(1),
            k_seven: k(7),
            k_last_word: k(7),
            k_lanes: k(8),
            k_last_sweep: k(255),
            k_slot_words: k(8 * p.slots as u64),
            k_randomize: Constant::new(p.randomize),
            abandon: Default::default(),
            is_sign_slot: Default::default(),
            keeps_q: Default::default(),
            keeps_rs: Default::default(),
            keeps_x: Default::default(),
            keep: Default::default(),
            cmd_code: Default::default(),
            first: Default::default(),
            retry: Default::default(),
            drawing: Default::default(),
            draw_reg: Default::default(),
            draw_next: Default::default(),
            lane: Default::default(),
            cnt_inc: Default::default(),
            prev: Default::default(),
            sweep_reg: Default::default(),
            slot_lane: Default::default(),
            prev_lane: Default::default(),
        }
    }
}

impl Logic for Sequencer {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, state, op, slot, cnt, status, pending, zero_cmd, irq_r);

        // ---- What the latched op means ----
        self.is_sign_slot.next = self.op.q.val() == self.k_op_sign_slot.val();
        self.keeps_q.next = (self.op.q.val() == self.k_op_keygen_slot.val())
            | (self.op.q.val() == self.k_op_import_slot.val())
            | (self.op.q.val() == self.k_op_pubkey_slot.val())
            | (self.op.q.val() == self.k_op_keygen_ext.val());
        self.keeps_rs.next =
            self.is_sign_slot.val() | (self.op.q.val() == self.k_op_sign_ext.val());
        self.keeps_x.next = (self.op.q.val() == self.k_op_ecdh_slot.val())
            | (self.op.q.val() == self.k_op_ecdh_ext.val());
        self.sweep_reg.next = self.cnt.q.val().get_bits::<5>(3);
        self.keep.next = (self.status.q.val() == self.k_st_ok.val())
            & ((self.keeps_q.val()
                & ((self.sweep_reg.val() == self.k_r_qx.val())
                    | (self.sweep_reg.val() == self.k_r_qy.val())))
                | (self.keeps_rs.val()
                    & ((self.sweep_reg.val() == self.k_r_r.val())
                        | (self.sweep_reg.val() == self.k_r_s.val())))
                | (self.keeps_x.val() & (self.sweep_reg.val() == self.k_r_qx.val())));
        self.cmd_code.next = self.k_cmd_keygen.val();
        if self.keeps_rs.val() {
            self.cmd_code.next = self.k_cmd_sign.val();
        }
        if self.keeps_x.val() {
            self.cmd_code.next = self.k_cmd_ecdh.val();
        }
        if self.op.q.val() == self.k_op_verify.val() {
            self.cmd_code.next = self.k_cmd_verify.val();
        }
        // The first state of a command, from the op being accepted.
        self.first.next = SeqState::Lambda;
        if (self.go_op.val() == self.k_op_sign_slot.val())
            | (self.go_op.val() == self.k_op_ecdh_slot.val())
            | (self.go_op.val() == self.k_op_pubkey_slot.val())
        {
            self.first.next = SeqState::Load;
        }
        if self.go_op.val() == self.k_op_keygen_slot.val() {
            self.first.next = SeqState::Draw;
        }
        if self.go_op.val() == self.k_op_verify.val() {
            self.first.next = SeqState::Start;
        }
        if self.go_op.val() == self.k_op_zeroize.val() {
            self.first.next = SeqState::Zero;
        }
        // Scalars the engine refused are drawn again (KEYGEN_SLOT: d; SIGN_SLOT: k).
        self.retry.next = (self.eng_status.val() == self.k_st_bad_scalar.val())
            | (self.is_sign_slot.val()
                & ((self.eng_status.val() == self.k_st_r_zero.val())
                    | (self.eng_status.val() == self.k_st_s_zero.val())));

        // DRAW fills a window's words, most significant (lane 7) first.
        self.lane.next = self.k_seven.val() - self.cnt.q.val().get_bits::<3>(0);
        self.cnt_inc.next = self.cnt.q.val() + 1;
        self.prev.next = self.cnt.q.val().get_bits::<3>(0) - 1;
        // Slot RAM word {slot, lane}: this step's lane, and the previous step's (LOAD and
        // STORE write one cycle after they read).
        self.slot_lane.next = (bit_cast::<7, 4>(self.slot.q.val()) << 3)
            | bit_cast::<7, 3>(self.cnt.q.val().get_bits::<3>(0));
        self.prev_lane.next =
            (bit_cast::<7, 4>(self.slot.q.val()) << 3) | bit_cast::<7, 3>(self.prev.val());

        // ---- Defaults: nothing driven ----
        self.busy.next = self.state.q.val() != SeqState::Idle;
        self.finish.next = false;
        self.finish_status.next = self.status.q.val();
        self.store.next = false;
        self.store_slot.next = self.slot.q.val();
        self.store_wlock.next = self.op.q.val() == self.k_op_import_slot.val();
        self.eng_start.next = false;
        self.eng_cmd.next = self.cmd_code.val();
        self.host_we.next = false;
        self.host_re.next = false;
        self.host_addr.next = self.sweep_reg.val();
        self.host_lane.next = self.cnt.q.val().get_bits::<3>(0);
        self.host_wdata.next = 0.into();
        self.rnd_pop.next = false;
        self.ram_re.next = false;
        self.ram_we.next = false;
        self.ram_addr.next = self.slot_lane.val();
        self.ram_wdata.next = 0.into();
        self.drawing.next = false;
        self.draw_reg.next = self.k_r_d.val();
        self.draw_next.next = SeqState::Lambda;

        // Lockdown abandons a command at once — nothing of the current state happens, so no
        // engine start, pop or store slips through — except that WAIT lets the engine finish
        // (its host port is deaf while it computes) and ZERO is already wiping.
        self.abandon.next = self.pending.q.val()
            & (self.state.q.val() != SeqState::Wait)
            & (self.state.q.val() != SeqState::Zero);

        if self.abandon.val() {
            self.state.d.next = SeqState::Zero;
            self.cnt.d.next = 0.into();
            self.pending.d.next = false;
            self.zero_cmd.d.next = false;
        } else {
            match self.state.q.val() {
                SeqState::Idle => {
                    if self.go.val() {
                        self.op.d.next = self.go_op.val();
                        self.slot.d.next = self.go_slot.val();
                        self.cnt.d.next = 0.into();
                        self.status.d.next = self.k_st_ok.val();
                        self.zero_cmd.d.next = self.go_op.val() == self.k_op_zeroize.val();
                        self.state.d.next = self.first.val();
                    }
                }
                SeqState::Load => {
                    // Lane c is read in step c and written into d in step c + 1.
                    if self.cnt.q.val() < self.k_lanes.val() {
                        self.ram_re.next = true;
                    }
                    if self.cnt.q.val().any() {
                        self.host_we.next = true;
                        self.host_addr.next = self.k_r_d.val();
                        self.host_lane.next = self.prev.val();
                        self.host_wdata.next = self.ram_rdata.val();
                    }
                    self.cnt.d.next = self.cnt_inc.val();
                    if self.cnt.q.val() == self.k_lanes.val() {
                        self.cnt.d.next = 0.into();
                        self.state.d.next = SeqState::Lambda;
                        if self.is_sign_slot.val() {
                            self.state.d.next = SeqState::Draw;
                        }
                    }
                }
                SeqState::Draw => {
                    self.drawing.next = true;
                    if self.is_sign_slot.val() {
                        self.draw_reg.next = self.k_r_nonce.val();
                    }
                }
                SeqState::Lambda => {
                    if self.k_randomize.val() {
                        self.drawing.next = true;
                        self.draw_reg.next = self.k_r_rnd.val();
                        self.draw_next.next = SeqState::Start;
                    } else {
                        // λ = 1: lane 0 is 1, the others 0.
                        self.host_we.next = true;
                        self.host_addr.next = self.k_r_rnd.val();
                        if !self.cnt.q.val().any() {
                            self.host_wdata.next = self.k_one.val();
                        }
                        self.cnt.d.next = self.cnt_inc.val();
                        if self.cnt.q.val() == self.k_last_word.val() {
                            self.cnt.d.next = 0.into();
                            self.state.d.next = SeqState::Start;
                        }
                    }
                }
                SeqState::Start => {
                    self.eng_start.next = true;
                    self.state.d.next = SeqState::Wait;
                }
                SeqState::Wait => {
                    if self.eng_done.val() {
                        self.status.d.next = self.eng_status.val();
                        self.cnt.d.next = 0.into();
                        self.state.d.next = SeqState::Scrub;
                        if self.pending.q.val() {
                            self.state.d.next = SeqState::Zero;
                            self.pending.d.next = false;
                            self.zero_cmd.d.next = false;
                        } else if (self.op.q.val() == self.k_op_keygen_slot.val())
                            & self.retry.val()
                        {
                            self.state.d.next = SeqState::Draw;
                        } else if self.is_sign_slot.val() & self.retry.val() {
                            self.state.d.next = SeqState::Load;
                        } else if self.keeps_q.val()
                            & (self.eng_status.val() == self.k_st_ok.val())
                            & ((self.op.q.val() == self.k_op_keygen_slot.val())
                                | (self.op.q.val() == self.k_op_import_slot.val()))
                        {
                            self.state.d.next = SeqState::Store;
                        }
                    }
                }
                SeqState::Store => {
                    // Lane c of d is read in step c and written into the slot in step c + 1;
                    // the slot becomes valid with its last lane.
                    if self.cnt.q.val() < self.k_lanes.val() {
                        self.host_re.next = true;
                        self.host_addr.next = self.k_r_d.val();
                    }
                    if self.cnt.q.val().any() {
                        self.ram_we.next = true;
                        self.ram_addr.next = self.prev_lane.val();
                        self.ram_wdata.next = self.host_rdata.val();
                    }
                    self.cnt.d.next = self.cnt_inc.val();
                    if self.cnt.q.val() == self.k_lanes.val() {
                        self.store.next = true;
                        self.cnt.d.next = 0.into();
                        self.state.d.next = SeqState::Scrub;
                    }
                }
                SeqState::Scrub => {
                    self.host_we.next = !self.keep.val();
                    self.cnt.d.next = self.cnt_inc.val();
                    if self.cnt.q.val() == self.k_last_sweep.val() {
                        self.state.d.next = SeqState::Idle;
                        self.finish.next = true;
                    }
                }
                _ => {
                    // ZERO: {register, lane} i and, while i < 8 · slots, slot word i.
                    self.host_we.next = true;
                    self.ram_we.next = self.cnt.q.val() < self.k_slot_words.val();
                    self.ram_addr.next = self.cnt.q.val().get_bits::<7>(0);
                    self.cnt.d.next = self.cnt_inc.val();
                    if self.cnt.q.val() == self.k_last_sweep.val() {
                        self.state.d.next = SeqState::Idle;
                        self.zero_cmd.d.next = false;
                        if self.zero_cmd.q.val() {
                            self.finish.next = true;
                            self.finish_status.next = self.k_st_ok.val();
                        }
                    }
                }
            }
        }

        // DRAW(r), and LAMBDA with `randomize`: one TRNG word per cycle the TRNG offers one,
        // most significant lane first; an alarm ends the command.
        if self.drawing.val() {
            if self.trng_alarm.val() {
                self.status.d.next = self.k_st_trng_fail.val();
                self.cnt.d.next = 0.into();
                self.state.d.next = SeqState::Scrub;
            } else if self.rnd_valid.val() {
                self.rnd_pop.next = true;
                self.host_we.next = true;
                self.host_addr.next = self.draw_reg.val();
                self.host_lane.next = self.lane.val();
                self.host_wdata.next = self.rnd.val();
                self.cnt.d.next = self.cnt_inc.val();
                if self.cnt.q.val() == self.k_last_word.val() {
                    self.cnt.d.next = 0.into();
                    self.state.d.next = self.draw_next.val();
                }
            }
        }

        if self.trip.val() {
            self.pending.d.next = true;
        }
        self.irq_r.d.next = self.finish.val();

        // Reset wipes like a lockdown, without `done`: a reset in the middle of a command
        // must not leave a secret where a window can read it.
        if self.reset.val() {
            self.state.d.next = SeqState::Zero;
            self.op.d.next = 0.into();
            self.slot.d.next = 0.into();
            self.cnt.d.next = 0.into();
            self.status.d.next = 0.into();
            self.pending.d.next = false;
            self.zero_cmd.d.next = false;
            self.irq_r.d.next = false;
        }
        self.irq.next = self.irq_r.q.val();
    }
}
