//! The command FSM (`docs/gate.md`, "Commands", "Pending zeroize", "Retries"): one call of
//! [`Sequencer::step`] is one cycle of the current state.
//!
//! The engine model runs a whole command at START; WAIT then only counts the engine's cycles
//! down, so a command of millions of cycles costs a counter per cycle. The engine's register
//! writes land in the register file when WAIT ends: nothing can read it in between (windows
//! are refused while busy), and whatever it holds is scrubbed or zeroized afterwards.

use num_bigint::BigUint;
use num_traits::Zero;
use scu_driver::regmap::scu::status::engine_status;

use crate::engine::isa::{Reg, NUM_REGS};
use crate::engine::program::reg::{D, RND};
use crate::engine::{input_regs, random_regs, RunResult, Status};
use crate::trng;

use super::ops::{self, Phase, NOP, ZEROIZE};
use super::regfile::{window_lane, LANES};
use super::{CommandRecord, Datapath, GateConfig};

/// `STATUS.engine_status` of a command whose DRAW saw the TRNG alarm.
pub const TRNG_FAIL: u8 = engine_status::TRNG_FAIL.value as u8;
const OK: u8 = engine_status::OK.value as u8;
/// Cycles of SCRUB and of ZERO: one per lane of every engine register (the engine port moves
/// one 32-bit lane a cycle).
pub const SWEEP: u16 = NUM_REGS as u16 * LANES as u16;
/// Cycles of LOAD and STORE: lane c is read in step c and written in step c + 1.
pub const COPY: u64 = LANES as u64 + 1;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum State {
    Idle,
    /// `ops::sequence(op)[pc]`; `n` counts within the state (LOAD/STORE cycle, DRAW word,
    /// WAIT cycles left, SCRUB register).
    Run {
        pc: usize,
        n: u64,
    },
    /// Clearing lane `i % 8` of register `i / 8` (and word `i` of the key slots); `zeroize`: the ZEROIZE command's, which ends with
    /// `done` and `irq` (reset's and lockdown's end silently).
    Zero {
        i: u16,
        zeroize: bool,
    },
}

/// The command in progress.
#[derive(Clone, Copy, Debug)]
struct Running {
    op: u8,
    slot: u8,
    status: u8,
}

/// What a cycle of the FSM drives besides its own state.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Cycle {
    /// `rnd_ready` (DRAW took the TRNG's word).
    pub pop: bool,
    /// The command finished at this edge: `irq` in the next cycle.
    pub finished: bool,
}

#[derive(Clone, Debug)]
pub(super) struct Sequencer {
    pub state: State,
    pub pending_zeroize: bool,
    pub done: bool,
    pub engine_status: u8,
    cmd: Option<Running>,
    /// The engine's run, from START until WAIT ends.
    result: Option<RunResult>,
    /// The last accepted command (model inspection only).
    pub record: Option<CommandRecord>,
}

impl Sequencer {
    /// As after reset: in ZERO.
    pub fn new() -> Self {
        Sequencer {
            state: State::Zero {
                i: 0,
                zeroize: false,
            },
            pending_zeroize: false,
            done: false,
            engine_status: OK,
            cmd: None,
            result: None,
            record: None,
        }
    }

    /// A reset edge: control state to reset values, ZERO from the start. A command in
    /// progress is abandoned.
    pub fn reset(&mut self) {
        let record = self.record.take();
        *self = Sequencer::new();
        self.record = record;
        self.abandon();
    }

    pub fn busy(&self) -> bool {
        self.state != State::Idle
    }

    /// A CMD write that passed every check (the FSM is IDLE).
    pub fn accept(&mut self, op: u8, slot: u8) {
        debug_assert_eq!(self.state, State::Idle);
        self.done = false;
        self.record = Some(CommandRecord {
            op,
            slot,
            status: None,
            abandoned: false,
            busy_cycles: 0,
            engine_cycles: 0,
            retries: 0,
        });
        match op {
            NOP => self.finish(OK, &mut Cycle::default(), false),
            ZEROIZE => {
                self.state = State::Zero {
                    i: 0,
                    zeroize: true,
                }
            }
            _ => {
                self.cmd = Some(Running {
                    op,
                    slot,
                    status: OK,
                });
                self.state = State::Run { pc: 0, n: 0 };
            }
        }
    }

    fn active_record(&mut self) -> Option<&mut CommandRecord> {
        self.record
            .as_mut()
            .filter(|r| r.status.is_none() && !r.abandoned)
    }

    fn abandon(&mut self) {
        if let Some(r) = self.active_record() {
            r.abandoned = true;
        }
        self.cmd = None;
        self.result = None;
    }

    /// IDLE with `done` and the status; `irq` follows unless the NOP finished (it never left
    /// IDLE).
    fn finish(&mut self, status: u8, out: &mut Cycle, irq: bool) {
        self.state = State::Idle;
        self.done = true;
        self.engine_status = status;
        out.finished = irq;
        if let Some(r) = self.active_record() {
            r.status = Some(status);
        }
        self.cmd = None;
    }

    fn enter_zero(&mut self) {
        self.state = State::Zero {
            i: 0,
            zeroize: false,
        };
        self.pending_zeroize = false;
    }

    /// One cycle of the current state; `t` is the TRNG's outputs in it.
    pub fn step(&mut self, dp: &mut Datapath, t: &trng::Outputs, cfg: &GateConfig) -> Cycle {
        let mut out = Cycle::default();
        if self.busy() {
            if let Some(r) = self.active_record() {
                r.busy_cycles += 1;
            }
        }
        match self.state {
            State::Idle => {
                if self.pending_zeroize {
                    self.enter_zero();
                }
            }
            State::Zero { i, zeroize } => {
                // Whole registers and keys at their first lane: nothing reads either before
                // ZERO ends.
                if i % LANES as u16 == 0 {
                    let r = (i / LANES as u16) as usize;
                    dp.regs.write(r as Reg, BigUint::zero());
                    if let Some(key) = dp.slots.keys.get_mut(r) {
                        *key = BigUint::zero();
                    }
                }
                if i + 1 < SWEEP {
                    self.state = State::Zero { i: i + 1, zeroize };
                } else if zeroize {
                    self.finish(OK, &mut out, true);
                } else {
                    self.state = State::Idle;
                }
            }
            State::Run { pc, n } => {
                let cmd = self.cmd.expect("a command runs");
                let phase = ops::sequence(cmd.op)[pc];
                if self.pending_zeroize && phase != Phase::Wait {
                    // The lockdown takes over: this state does nothing more.
                    self.abandon();
                    self.enter_zero();
                } else {
                    self.run(cmd, pc, n, phase, dp, t, cfg, &mut out);
                }
            }
        }
        out
    }

    #[allow(clippy::too_many_arguments)]
    fn run(
        &mut self,
        cmd: Running,
        pc: usize,
        n: u64,
        phase: Phase,
        dp: &mut Datapath,
        t: &trng::Outputs,
        cfg: &GateConfig,
        out: &mut Cycle,
    ) {
        let seq = ops::sequence(cmd.op);
        let scrub = seq.len() - 1;
        let goto = |s: &mut Self, pc: usize| s.state = State::Run { pc, n: 0 };
        match phase {
            // The key moves a lane a cycle; d is only read by the engine, after LOAD.
            Phase::Load if n + 1 < COPY => self.state = State::Run { pc, n: n + 1 },
            Phase::Load => {
                dp.regs.write(D, dp.slots.keys[cmd.slot as usize].clone());
                goto(self, pc + 1);
            }
            Phase::Draw(r) => self.draw(r, pc, n, scrub, dp, t, out),
            Phase::Lambda if cfg.randomize => self.draw(RND, pc, n, scrub, dp, t, out),
            Phase::Lambda if n + 1 < LANES as u64 => self.state = State::Run { pc, n: n + 1 },
            Phase::Lambda => {
                dp.regs.write(RND, BigUint::from(1u32));
                goto(self, pc + 1);
            }
            Phase::Start => {
                let command = ops::engine_command(cmd.op).expect("an engine op");
                let read = |regs: &[Reg]| -> Vec<BigUint> {
                    regs.iter().map(|&r| dp.regs.get(r).clone()).collect()
                };
                let (inputs, random) = (read(input_regs(command)), read(random_regs(command)));
                let result = dp.engine.run_randomized(command.code(), &inputs, &random);
                if let Some(r) = self.active_record() {
                    r.engine_cycles = result.cycles;
                }
                self.state = State::Run {
                    pc: pc + 1,
                    n: result.cycles,
                };
                self.result = Some(result);
            }
            Phase::Wait if n > 1 => self.state = State::Run { pc, n: n - 1 },
            Phase::Wait => {
                // The engine's `done` cycle: take the status and the register writes.
                let result = self.result.take().expect("START ran the engine");
                for (r, v) in result.writes {
                    dp.regs.write(r, v);
                }
                let status = result.status;
                self.cmd.as_mut().unwrap().status = status.code();
                if self.pending_zeroize {
                    self.abandon();
                    self.enter_zero();
                } else if ops::retries_on(cmd.op, status) {
                    if let Some(r) = self.active_record() {
                        r.retries += 1;
                    }
                    goto(self, 0);
                } else if status == Status::Ok {
                    goto(self, pc + 1);
                } else {
                    goto(self, scrub);
                }
            }
            Phase::Store if n + 1 < COPY => self.state = State::Run { pc, n: n + 1 },
            Phase::Store => {
                let s = cmd.slot as usize;
                dp.slots.keys[s] = dp.regs.get(D).clone();
                let p = &mut dp.slots.policy[s];
                p.valid = true;
                p.wlock |= cmd.op == ops::IMPORT_SLOT;
                goto(self, pc + 1);
            }
            Phase::Scrub => {
                let r = (n / LANES as u64) as Reg;
                let keep = cmd.status == OK && ops::outputs(cmd.op).contains(&r);
                if !keep && n.is_multiple_of(LANES as u64) {
                    dp.regs.write(r, BigUint::zero());
                }
                if n + 1 < SWEEP as u64 {
                    self.state = State::Run { pc, n: n + 1 };
                } else {
                    self.finish(cmd.status, out, true);
                }
            }
        }
    }

    /// One DRAW cycle into register `r`: word `n` of 8, most significant first.
    #[allow(clippy::too_many_arguments)]
    fn draw(
        &mut self,
        r: Reg,
        pc: usize,
        n: u64,
        scrub: usize,
        dp: &mut Datapath,
        t: &trng::Outputs,
        out: &mut Cycle,
    ) {
        if t.alarm {
            if n > 0 {
                dp.drawn.push(dp.regs.get(r).clone());
            }
            self.cmd.as_mut().unwrap().status = TRNG_FAIL;
            self.state = State::Run { pc: scrub, n: 0 };
            return;
        }
        if !t.rnd_valid {
            return;
        }
        out.pop = true;
        dp.regs.write_lane(r, window_lane(n as u32), t.rnd);
        if n + 1 < LANES as u64 {
            self.state = State::Run { pc, n: n + 1 };
        } else {
            dp.drawn.push(dp.regs.get(r).clone());
            self.state = State::Run { pc: pc + 1, n: 0 };
        }
    }
}
