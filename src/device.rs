//! One simulated SCU behind the driver's `Bus` trait: the Verilated `scu_wb_w<W>` top, its
//! raw entropy input fed by the golden model's noise source, and — when asked — the gate's
//! golden model stepped in lock-step, every output of every cycle compared.
//!
//! `scu sim` and `scu sim session` run the driver (`scu_driver::Scu`) over a [`SimScu`]; the
//! gate tests use the same type with lock-step on, so what the command line does is what the
//! tests check.

use scu_driver::regmap::scu::addr;
use scu_driver::Bus;
use scu_golden::gate::{CycleIn, CycleOut, Gate, GateConfig, Request};
use scu_golden::trng::{Fault, NoiseSource};
use scu_sim::scu::{AnyScu, ScuIn, ScuOut};
use scu_sim::SimOptions;

/// Cycles a single bus access may wait for `ack` before the simulation is declared hung.
const ACK_TIMEOUT: u64 = 16;

/// What a bus access looked like, for mismatch reports.
#[derive(Clone, Copy, Debug)]
pub struct Access {
    pub cycle: u64,
    pub req: Request,
    pub rdata: u32,
}

pub struct SimScu {
    rtl: AnyScu,
    model: Option<Gate>,
    noise: NoiseSource,
    cycle: u64,
    /// Cycle of the last CMD write's ack, and of the last `irq` seen after it.
    cmd_ack: Option<u64>,
    irq_at: Option<u64>,
    alerts: u64,
    recent: Vec<Access>,
}

impl SimScu {
    /// A freshly reset SCU with field-ALU word width `w` (one of `AnyScu::widths()`), its
    /// noise source seeded with `seed`; `lockstep` also runs the gate's golden model and
    /// panics on the first cycle where any output differs.
    pub fn new(w: usize, seed: u64, lockstep: bool) -> Result<Self, String> {
        let rtl = AnyScu::new(w, SimOptions::new().random_init(seed | 1))?;
        let model = if lockstep {
            Some(Gate::new(GateConfig::new(w))?)
        } else {
            None
        };
        Ok(SimScu {
            rtl,
            model,
            noise: NoiseSource::new(seed),
            cycle: 0,
            cmd_ack: None,
            irq_at: None,
            alerts: 0,
            recent: Vec::new(),
        })
    }

    /// Switches the noise source to `fault` at raw sample `at`.
    pub fn schedule_fault(&mut self, at: u64, fault: Fault) {
        self.noise.schedule(at, fault);
    }

    pub fn model(&self) -> Option<&Gate> {
        self.model.as_ref()
    }

    /// Clock edges since construction (resets included).
    pub fn cycles(&self) -> u64 {
        self.cycle
    }

    /// Cycles from the last CMD write's ack to the `irq` that ended it (None while running,
    /// or if the command ended without `irq`: refused, or abandoned by a lockdown).
    pub fn last_command_cycles(&self) -> Option<u64> {
        match (self.cmd_ack, self.irq_at) {
            (Some(c), Some(i)) if i > c => Some(i - c),
            _ => None,
        }
    }

    /// `alert` pulses seen since construction.
    pub fn alerts(&self) -> u64 {
        self.alerts
    }

    /// The raw samples fed so far (the noise source's index).
    pub fn raw_samples(&self) -> u64 {
        self.noise.index()
    }

    /// One clock edge with `req` on the bus (None: `cyc`/`stb` low); returns the outputs
    /// after it.
    pub fn step(&mut self, req: Option<Request>) -> ScuOut {
        let raw = self.noise.next_bit();
        let r = req.unwrap_or_default();
        let out = self.rtl.step(ScuIn {
            cyc_stb: req.is_some(),
            we: r.we,
            adr: r.addr,
            dat_w: r.wdata,
            privileged: r.privileged,
            raw,
            raw_valid: true,
        });
        self.cycle += 1;
        if let Some(model) = &mut self.model {
            let want = model.step(CycleIn {
                req,
                raw,
                raw_valid: true,
            });
            let got = CycleOut {
                ack: out.ack,
                rdata: out.dat_r,
                alert: out.alert,
                irq: out.irq,
            };
            if got != want {
                panic!(
                    "RTL and gate model differ at cycle {}: RTL {got:?}, model {want:?}\n\
                     last accesses (newest last):\n{}",
                    self.cycle,
                    self.recent
                        .iter()
                        .map(|a| format!("  {a:?}"))
                        .collect::<Vec<_>>()
                        .join("\n")
                );
            }
        }
        if out.alert {
            self.alerts += 1;
        }
        if out.irq {
            self.irq_at = Some(self.cycle);
        }
        out
    }

    /// `n` cycles with the bus idle.
    pub fn idle(&mut self, n: u64) {
        for _ in 0..n {
            self.step(None);
        }
    }

    /// One edge with `reset` high (the noise keeps flowing, as a real source would).
    pub fn reset(&mut self) {
        let raw = self.noise.next_bit();
        self.rtl.reset(raw, true);
        if let Some(model) = &mut self.model {
            model.reset(raw, true);
        }
        self.cycle += 1;
        self.cmd_ack = None;
        self.irq_at = None;
    }

    /// One Wishbone classic access: the request is held from the next cycle until `ack`.
    pub fn access(&mut self, req: Request) -> u32 {
        for _ in 0..ACK_TIMEOUT {
            let out = self.step(Some(req));
            if out.ack {
                if req.we && req.addr == addr::CMD {
                    self.cmd_ack = Some(self.cycle);
                    self.irq_at = None;
                }
                if self.recent.len() == 16 {
                    self.recent.remove(0);
                }
                self.recent.push(Access {
                    cycle: self.cycle,
                    req,
                    rdata: out.dat_r,
                });
                return out.dat_r;
            }
        }
        panic!(
            "no ack within {ACK_TIMEOUT} cycles for {req:?} at cycle {}",
            self.cycle
        );
    }
}

impl Bus for SimScu {
    fn read32(&mut self, offset: u32, privileged: bool) -> u32 {
        self.access(Request {
            we: false,
            addr: offset,
            wdata: 0,
            privileged,
        })
    }

    fn write32(&mut self, offset: u32, value: u32, privileged: bool) {
        self.access(Request {
            we: true,
            addr: offset,
            wdata: value,
            privileged,
        });
    }
}

/// The gate's golden model alone behind the `Bus` trait, at the same cycle timing as
/// [`SimScu`]: fast driver and CLI-protocol tests that need no Verilator.
pub struct ModelScu {
    gate: Gate,
    noise: NoiseSource,
}

impl ModelScu {
    pub fn new(w: usize, seed: u64) -> Result<Self, String> {
        Ok(ModelScu {
            gate: Gate::new(GateConfig::new(w))?,
            noise: NoiseSource::new(seed),
        })
    }

    pub fn gate(&self) -> &Gate {
        &self.gate
    }

    pub fn schedule_fault(&mut self, at: u64, fault: Fault) {
        self.noise.schedule(at, fault);
    }

    pub fn step(&mut self, req: Option<Request>) -> CycleOut {
        let raw = self.noise.next_bit();
        self.gate.step(CycleIn {
            req,
            raw,
            raw_valid: true,
        })
    }

    pub fn reset(&mut self) {
        let raw = self.noise.next_bit();
        self.gate.reset(raw, true);
    }

    pub fn access(&mut self, req: Request) -> u32 {
        for _ in 0..ACK_TIMEOUT {
            let out = self.step(Some(req));
            if out.ack {
                return out.rdata;
            }
        }
        panic!("gate model: no ack within {ACK_TIMEOUT} cycles for {req:?}");
    }
}

impl Bus for ModelScu {
    fn read32(&mut self, offset: u32, privileged: bool) -> u32 {
        self.access(Request {
            we: false,
            addr: offset,
            wdata: 0,
            privileged,
        })
    }

    fn write32(&mut self, offset: u32, value: u32, privileged: bool) {
        self.access(Request {
            we: true,
            addr: offset,
            wdata: value,
            privileged,
        });
    }
}

/// What [`random_bytes`] delivered: the bytes, and the alarm that stopped it (the
/// `TRNG_STATUS.alarm_test` mask and `TRNG_ALARM_SAMPLE`), if one did.
pub type RandomBytes = (Vec<u8>, Option<(u8, u32)>);

/// `n` bytes from the SCU's TRNG through the driver, one `TRNG_DATA` word at a time, so that
/// the words delivered before a health-test alarm are kept: (bytes, Some((tests, sample))
/// if the alarm stopped it — the `TRNG_STATUS.alarm_test` mask and `TRNG_ALARM_SAMPLE`).
pub fn random_bytes<B: Bus>(
    scu: &mut scu_driver::Scu<B>,
    n: usize,
) -> Result<RandomBytes, scu_driver::Error> {
    scu.wait_idle()?;
    let mut bytes = Vec::with_capacity(n + 3);
    while bytes.len() < n {
        let mut word = [0u8; 4];
        match scu.random(&mut word) {
            Ok(()) => bytes.extend_from_slice(&word),
            Err(scu_driver::Error::TrngAlarm { tests }) => {
                let sample = scu.trng_status().alarm_sample;
                bytes.truncate(n);
                return Ok((bytes, Some((tests, sample))));
            }
            Err(e) => return Err(e),
        }
    }
    bytes.truncate(n);
    Ok((bytes, None))
}
