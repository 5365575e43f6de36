//! The gate between the bus and the engine, with the engine and the TRNG behind it, as seen
//! from the Wishbone slave port: a cycle-exact model of `docs/gate.md` ("Cycle-level
//! contract"), written from that text and compared with the RTL on every `ack`, `dat_o`,
//! `alert` and `irq` in every cycle.
//!
//! | file | what |
//! |---|---|
//! | `config.rs` | the generator parameters |
//! | `handler.rs` | the bus handler, what each access does, violations and lockdown |
//! | `sequencer.rs` | the command FSM |
//! | `ops.rs` | the command table: sequences, checks, outputs |
//! | `slots.rs` | key RAM, `valid`, policies and their locks |
//! | `regfile.rs` | the engine register file with its 32-bit lanes |
//! | `bus.rs` | a Wishbone master for tests and the driver |

mod bus;
mod config;
mod handler;
mod ops;
mod regfile;
mod sequencer;
mod slots;

pub use bus::{access, idle};
pub use config::{GateConfig, MAX_SLOTS};
pub use sequencer::TRNG_FAIL;

use num_bigint::BigUint;

use crate::engine::isa::{Reg, NUM_REGS};
use crate::engine::Engine;
use crate::trng::{self, TrngCore};

use handler::{Control, Port};
use regfile::RegFile;
use sequencer::Sequencer;
use slots::Slots;

/// One bus access as the master presents it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct Request {
    pub we: bool,
    /// Byte offset within the SCU's 4 KiB; bits 1:0 and above 11 are ignored.
    pub addr: u32,
    pub wdata: u32,
    /// `tga_priv` / `AxPROT[0]`.
    pub privileged: bool,
}

impl Request {
    pub fn read(addr: u32, privileged: bool) -> Self {
        Request {
            we: false,
            addr,
            wdata: 0,
            privileged,
        }
    }

    pub fn write(addr: u32, wdata: u32, privileged: bool) -> Self {
        Request {
            we: true,
            addr,
            wdata,
            privileged,
        }
    }
}

/// The inputs during one cycle.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CycleIn {
    /// `Some`: `cyc & stb` high in this cycle with these fields.
    pub req: Option<Request>,
    /// The TRNG's raw noise bit and its valid.
    pub raw: bool,
    pub raw_valid: bool,
}

/// The outputs, all registered: they change only at clock edges.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct CycleOut {
    pub ack: bool,
    /// `dat_o`: the read data in the ACK cycle, 0 otherwise.
    pub rdata: u32,
    /// One-cycle pulse per violation or TRNG alarm.
    pub alert: bool,
    /// One-cycle pulse when a command finishes.
    pub irq: bool,
}

/// The last accepted command, for tests (no hardware counterpart).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CommandRecord {
    pub op: u8,
    pub slot: u8,
    /// `STATUS.engine_status` at done; `None` while it runs or once abandoned.
    pub status: Option<u8>,
    /// A lockdown zeroize (or a reset) ended it before done.
    pub abandoned: bool,
    /// Cycles with `STATUS.busy` from the CMD write to done (0 for NOP, 32 for ZEROIZE).
    pub busy_cycles: u64,
    /// `RunResult::cycles` of its last engine run (the WAIT length).
    pub engine_cycles: u64,
    /// Engine runs repeated for an unusable random scalar.
    pub retries: u32,
}

/// What the command FSM writes: the register file, the slots, the engine behind them.
#[derive(Clone, Debug)]
struct Datapath {
    regs: RegFile,
    slots: Slots,
    engine: Engine,
    /// Every value a DRAW wrote, for the no-leak checks.
    drawn: Vec<BigUint>,
}

#[derive(Clone, Debug)]
pub struct Gate {
    cfg: GateConfig,
    cycle: u64,
    port: Port,
    ctl: Control,
    seq: Sequencer,
    dp: Datapath,
    trng: TrngCore,
    /// The TRNG's `alarm` in the previous cycle, for its rising edge.
    alarm_q: bool,
    out: CycleOut,
}

impl Gate {
    /// The SCU right after reset: the command FSM in ZERO, busy for 256 cycles.
    pub fn new(cfg: GateConfig) -> Result<Self, String> {
        cfg.validate()?;
        Ok(Gate {
            cfg,
            cycle: 0,
            port: Port::Idle,
            ctl: Control::default(),
            seq: Sequencer::new(),
            dp: Datapath {
                regs: RegFile::new(),
                slots: Slots::new(cfg.slots),
                engine: Engine::with_datapath(cfg.datapath, cfg.w)?,
                drawn: Vec::new(),
            },
            trng: TrngCore::new(cfg.min_entropy),
            alarm_q: false,
            out: CycleOut::default(),
        })
    }

    /// One clock edge with reset high (the TRNG core sees it too, with these raw inputs):
    /// control state to its reset values and the FSM into ZERO; the register file and the
    /// key RAM keep their contents until ZERO overwrites them.
    pub fn reset(&mut self, raw: bool, raw_valid: bool) {
        self.trng.step(trng::Inputs {
            reset: true,
            enable: true,
            raw,
            raw_valid,
            rnd_ready: false,
        });
        self.port = Port::Idle;
        self.ctl = Control::default();
        self.seq.reset();
        self.dp.slots.reset_control();
        self.alarm_q = false;
        self.out = CycleOut::default();
        self.cycle += 1;
    }

    /// One clock edge with `inp` applied during the cycle before it; the outputs after it.
    pub fn step(&mut self, inp: CycleIn) -> CycleOut {
        // Everything below decides on the state of this cycle: the TRNG's outputs, the access
        // in ACT and the FSM's state are all read before anything is written.
        let t = self.trng.outputs();
        let access = match self.port {
            Port::Act(req) => Some(self.act(&req, &t)),
            _ => None,
        };
        let fsm = self.seq.step(&mut self.dp, &t, &self.cfg);
        let mut out = CycleOut {
            irq: fsm.finished,
            ..CycleOut::default()
        };
        if let Some(a) = &access {
            // After the FSM: a lockdown's clears of `valid` and `done` win over its sets.
            self.commit(a);
            out.ack = true;
            out.rdata = a.rdata;
            out.alert = a.refused.is_some();
        }
        if t.alarm && !self.alarm_q {
            self.ctl.alert = true;
            out.alert = true;
        }
        self.alarm_q = t.alarm;
        self.port = match self.port {
            Port::Idle => inp.req.map_or(Port::Idle, Port::Act),
            Port::Act(_) => Port::Ack,
            Port::Ack => Port::Idle,
        };
        self.trng.step(trng::Inputs {
            reset: false,
            enable: true,
            raw: inp.raw,
            raw_valid: inp.raw_valid,
            rnd_ready: fsm.pop || access.is_some_and(|a| a.pop),
        });
        self.out = out;
        self.cycle += 1;
        out
    }

    pub fn outputs(&self) -> CycleOut {
        self.out
    }

    // ---- Inspection for tests; none of this is visible on the hardware's ports. ----

    pub fn config(&self) -> &GateConfig {
        &self.cfg
    }

    /// Clock edges (reset edges included) since construction.
    pub fn cycle(&self) -> u64 {
        self.cycle
    }

    pub fn busy(&self) -> bool {
        self.seq.busy()
    }

    pub fn lockdown(&self) -> bool {
        self.ctl.lockdown
    }

    pub fn violations(&self) -> u16 {
        self.ctl.violations
    }

    /// `ERR.code` (the first refused access since reset) and `ERR.last`.
    pub fn err(&self) -> (u8, u8) {
        (self.ctl.err_code, self.ctl.err_last)
    }

    pub fn slot_valid(&self, s: u8) -> bool {
        self.dp.slots.policy[s as usize].valid
    }

    /// The slot's key RAM.
    pub fn slot_ram(&self, s: u8) -> &BigUint {
        &self.dp.slots.keys[s as usize]
    }

    /// Register `r` of the engine's register file as the bus sees it.
    pub fn engine_reg(&self, r: Reg) -> &BigUint {
        assert!((r as usize) < NUM_REGS, "register r{r} does not exist");
        self.dp.regs.get(r)
    }

    /// Every 256-bit value a DRAW wrote (d, k, λ; a DRAW cut short by the alarm: its partial
    /// value), since construction, in order.
    pub fn drawn(&self) -> &[BigUint] {
        &self.dp.drawn
    }

    pub fn last_command(&self) -> Option<&CommandRecord> {
        self.seq.record.as_ref()
    }

    pub fn trng(&self) -> &TrngCore {
        &self.trng
    }
}
