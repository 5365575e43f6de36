//! The bus side of the gate (`docs/gate.md`, "Request interface", "Violations",
//! "Registers", "Commands"): the IDLE → ACT → ACK handler, what an access does in ACT, and
//! the bookkeeping of refused accesses up to lockdown.
//!
//! An access is decided in two halves so that the whole cycle sees the state before the
//! edge: [`Gate::act`] only looks (and yields the read data and the effect), and
//! [`Gate::commit`] applies the effect after the command FSM has taken its own step, which
//! also gives the lockdown's clears priority over the FSM's sets in the same cycle.

use scu_driver::regmap::scu::{
    self as map, addr, err, lockdown_threshold, status, trng_status, user_allow,
};
use scu_driver::regmap::Register;

use crate::engine::isa::Reg;
use crate::engine::program::reg::{D, NONCE, QX, QY, R, S, Z};
use crate::trng;

use super::ops::{self, LAST_OP, NOP};
use super::regfile::window_lane;
use super::{Gate, Request};

/// `ERR.code` values as the model stores them; the register map owns the numbers.
pub(super) mod code {
    use scu_driver::regmap::scu::err::code as c;
    pub const NONE: u8 = c::NONE.value as u8;
    pub const PRIV: u8 = c::PRIV.value as u8;
    pub const LOCKED: u8 = c::LOCKED.value as u8;
    pub const USE_LOCKED: u8 = c::USE_LOCKED.value as u8;
    pub const POLICY: u8 = c::POLICY.value as u8;
    pub const EMPTY_SLOT: u8 = c::EMPTY_SLOT.value as u8;
    pub const BUSY: u8 = c::BUSY.value as u8;
    pub const BAD_CMD: u8 = c::BAD_CMD.value as u8;
    pub const BAD_ADDR: u8 = c::BAD_ADDR.value as u8;
    pub const LOCKDOWN: u8 = c::LOCKDOWN.value as u8;
    pub const TRNG: u8 = c::TRNG.value as u8;
}

/// The handler's three states; ACT holds the request latched in IDLE.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Port {
    Idle,
    Act(Request),
    Ack,
}

/// The bus-writable configuration and the violation bookkeeping; all reset to 0.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct Control {
    pub err_code: u8,
    pub err_last: u8,
    pub violations: u16,
    pub threshold: u8,
    pub threshold_lock: bool,
    pub user_allow: u16,
    pub allow_lock: bool,
    pub lockdown: bool,
    /// `STATUS.alert` (sticky).
    pub alert: bool,
}

/// What an access in ACT changes besides the violation bookkeeping.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Effect {
    None,
    Threshold(u32),
    UserAllow(u32),
    Policy(u8, u32),
    /// Host write of one lane.
    Window(Reg, u32, u32),
    Command {
        op: u8,
        slot: u8,
    },
}

#[derive(Clone, Copy, Debug)]
pub(super) struct Access {
    /// `dat_o` in ACK: 0 for writes and refused reads.
    pub rdata: u32,
    /// The `ERR.code` of a refused access.
    pub refused: Option<u8>,
    /// `rnd_ready`: a TRNG_DATA read took the TRNG's word.
    pub pop: bool,
    pub effect: Effect,
}

impl Access {
    fn read(rdata: u32) -> Self {
        Access {
            rdata,
            refused: None,
            pop: false,
            effect: Effect::None,
        }
    }

    fn refuse(code: u8) -> Self {
        Access {
            rdata: 0,
            refused: Some(code),
            pop: false,
            effect: Effect::None,
        }
    }

    fn write(effect: Effect) -> Self {
        Access {
            effect,
            ..Access::read(0)
        }
    }
}

/// The engine register behind a window; OP_D and OP_K included (they are only written).
fn window_reg(r: &Register) -> Option<Reg> {
    Some(match r.offset {
        addr::OP_X | addr::RES_X => QX,
        addr::OP_Y | addr::RES_Y => QY,
        addr::OP_Z => Z,
        addr::OP_R | addr::RES_R => R,
        addr::OP_S | addr::RES_S => S,
        addr::OP_D => D,
        addr::OP_K => NONCE,
        _ => return None,
    })
}

impl Gate {
    /// The register and word at `adr`, or `None` where nothing answers: unmapped offsets, and
    /// the policy words of slots this SCU does not have.
    fn decode(&self, adr: u32) -> Option<(&'static Register, u32)> {
        let (r, i) = map::SCU.decode(adr & (map::SCU.size - 1) & !3)?;
        if r.offset == addr::SLOT_POLICY && i >= self.dp.slots.mapped() as u32 {
            return None;
        }
        Some((r, i))
    }

    /// ACT of `req` against the state of this cycle; `t` is the TRNG's outputs in it.
    pub(super) fn act(&self, req: &Request, t: &trng::Outputs) -> Access {
        if req.we {
            self.act_write(req, t)
        } else {
            self.act_read(req, t)
        }
    }

    fn act_read(&self, req: &Request, t: &trng::Outputs) -> Access {
        let busy = self.seq.busy();
        let Some((r, i)) = self.decode(req.addr) else {
            return Access::refuse(code::BAD_ADDR);
        };
        if !r.readable() {
            return Access::refuse(code::BAD_ADDR);
        }
        if let Some(reg) = window_reg(r) {
            if busy {
                return Access::refuse(code::BUSY);
            }
            return Access::read(self.dp.regs.lane(reg, window_lane(i)));
        }
        let c = &self.ctl;
        let ready = t.rnd_valid && !busy;
        Access::read(match r.offset {
            addr::ID => map::ID.reset_with(|_| self.cfg.w as u32),
            addr::STATUS => {
                status::BUSY.put(busy as u32)
                    | status::DONE.put(self.seq.done as u32)
                    | status::ENGINE_STATUS.put(self.seq.engine_status as u32)
                    | status::LOCKDOWN.put(c.lockdown as u32)
                    | status::TRNG_ALARM.put(t.alarm as u32)
                    | status::TRNG_READY.put(ready as u32)
                    | status::ALERT.put(c.alert as u32)
            }
            addr::ERR => err::CODE.put(c.err_code as u32) | err::LAST.put(c.err_last as u32),
            addr::VIOLATIONS => c.violations as u32,
            addr::LOCKDOWN_THRESHOLD => {
                lockdown_threshold::THRESHOLD.put(c.threshold as u32)
                    | lockdown_threshold::LOCK.put(c.threshold_lock as u32)
            }
            addr::USER_ALLOW => {
                user_allow::OPS.put(c.user_allow as u32) | user_allow::LOCK.put(c.allow_lock as u32)
            }
            addr::SLOT_POLICY => self.dp.slots.policy[i as usize].word(),
            addr::TRNG_STATUS => {
                trng_status::ALARM.put(t.alarm as u32)
                    | trng_status::ALARM_TEST.put(t.alarm_test as u32)
                    | trng_status::STARTUP_DONE.put(t.startup_done as u32)
                    | trng_status::READY.put(ready as u32)
            }
            addr::TRNG_DATA => {
                // No word (or the command owns the TRNG): 0, and nothing is popped.
                return if ready {
                    Access {
                        pop: true,
                        ..Access::read(t.rnd)
                    }
                } else {
                    Access::read(0)
                };
            }
            addr::TRNG_RCT_FAILS => t.rct_fail_count as u32,
            addr::TRNG_APT_FAILS => t.apt_fail_count as u32,
            addr::TRNG_LAG_FAILS => t.lag_fail_count as u32,
            addr::TRNG_SAMPLES => t.sample_count,
            addr::TRNG_ALARM_SAMPLE => t.alarm_sample,
            other => unreachable!("readable register at {other:#x} without a read rule"),
        })
    }

    fn act_write(&self, req: &Request, t: &trng::Outputs) -> Access {
        let c = &self.ctl;
        if c.lockdown {
            return Access::refuse(code::LOCKDOWN);
        }
        let Some((r, i)) = self.decode(req.addr) else {
            return Access::refuse(code::BAD_ADDR);
        };
        if !r.writable() {
            return Access::refuse(code::BAD_ADDR);
        }
        if r.privileged_write && !req.privileged {
            return Access::refuse(code::PRIV);
        }
        let w = req.wdata;
        match r.offset {
            addr::LOCKDOWN_THRESHOLD if c.threshold_lock => Access::refuse(code::LOCKED),
            addr::LOCKDOWN_THRESHOLD => Access::write(Effect::Threshold(w)),
            addr::USER_ALLOW if c.allow_lock => Access::refuse(code::LOCKED),
            addr::USER_ALLOW => Access::write(Effect::UserAllow(w)),
            addr::SLOT_POLICY if self.dp.slots.policy[i as usize].refuses(w) => {
                Access::refuse(code::LOCKED)
            }
            addr::SLOT_POLICY => Access::write(Effect::Policy(i as u8, w)),
            addr::CMD => self.act_command(req, t),
            _ => {
                let reg = window_reg(r).expect("every other writable register is a window");
                if self.seq.busy() {
                    Access::refuse(code::BUSY)
                } else {
                    Access::write(Effect::Window(reg, window_lane(i), w))
                }
            }
        }
    }

    /// The CMD checks, first match wins (lockdown was checked with every write).
    fn act_command(&self, req: &Request, t: &trng::Outputs) -> Access {
        let op = map::cmd::OP.get(req.wdata) as u8;
        let slot = map::cmd::SLOT.get(req.wdata) as u8;
        if self.seq.busy() {
            return Access::refuse(code::BUSY);
        }
        if op > LAST_OP {
            return Access::refuse(code::BAD_CMD);
        }
        if !req.privileged && op != NOP && self.ctl.user_allow & (1 << op) == 0 {
            return Access::refuse(code::PRIV);
        }
        if ops::is_slot_op(op) {
            if slot >= self.dp.slots.count() {
                return Access::refuse(code::BAD_CMD);
            }
            let p = &self.dp.slots.policy[slot as usize];
            if p.ulock {
                return Access::refuse(code::USE_LOCKED);
            }
            if ops::writes_key(op) && p.wlock {
                return Access::refuse(code::LOCKED);
            }
            if ops::needs_key(op) && !p.valid {
                return Access::refuse(code::EMPTY_SLOT);
            }
            if !ops::policy_allows(op, p) {
                return Access::refuse(code::POLICY);
            }
        }
        if ops::needs_trng(op, self.cfg.randomize) && t.alarm {
            return Access::refuse(code::TRNG);
        }
        Access::write(Effect::Command { op, slot })
    }

    /// The end of ACT: the violation bookkeeping, or the access's effect.
    pub(super) fn commit(&mut self, a: &Access) {
        if let Some(code) = a.refused {
            self.violation(code);
            return;
        }
        match a.effect {
            Effect::None => {}
            Effect::Threshold(w) => {
                self.ctl.threshold = lockdown_threshold::THRESHOLD.get(w) as u8;
                self.ctl.threshold_lock |= lockdown_threshold::LOCK.get(w) != 0;
            }
            Effect::UserAllow(w) => {
                self.ctl.user_allow = user_allow::OPS.get(w) as u16;
                self.ctl.allow_lock |= user_allow::LOCK.get(w) != 0;
            }
            Effect::Policy(s, w) => self.dp.slots.policy[s as usize].store(w),
            Effect::Window(reg, lane, w) => self.dp.regs.write_lane(reg, lane, w),
            Effect::Command { op, slot } => {
                if op == ops::ZEROIZE {
                    self.dp.slots.invalidate_all();
                }
                self.seq.accept(op, slot);
            }
        }
    }

    fn violation(&mut self, code: u8) {
        let c = &mut self.ctl;
        if c.err_code == code::NONE {
            c.err_code = code;
        }
        c.err_last = code;
        c.violations = c.violations.saturating_add(1);
        c.alert = true;
        if c.threshold != 0 && c.violations >= c.threshold as u16 && !c.lockdown {
            c.lockdown = true;
            self.dp.slots.invalidate_all();
            self.seq.done = false;
            self.seq.pending_zeroize = true;
        }
    }
}
