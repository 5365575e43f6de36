//! Runs the verilated TRNG core (`scu_trng_h500`, `scu_trng_h1000`) one clock at a time with
//! raw bits supplied by the caller (the noise model in tests, `scu sim random` later), and
//! reads every output port back: the lock-step trace the golden model's `TrngCore::step` is
//! compared with.

use crate::models::{ScuTrngH1000, ScuTrngH500};
use crate::{HasReset, Sim, SimOptions};

/// The core's inputs during one cycle.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrngIn {
    pub enable: bool,
    pub raw: bool,
    pub raw_valid: bool,
    pub rnd_ready: bool,
}

/// Every output port after an edge.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct TrngOut {
    pub rnd: u32,
    pub rnd_valid: bool,
    pub alarm: bool,
    pub alarm_test: u8,
    pub startup_done: bool,
    pub rct_fail_count: u16,
    pub apt_fail_count: u16,
    pub lag_fail_count: u16,
    pub sample_count: u32,
    pub alarm_sample: u32,
}

/// The core's ports, for either configuration.
pub trait TrngPorts: HasReset {
    fn set_inputs(&mut self, i: TrngIn);
    fn outputs(&self) -> TrngOut;
}

macro_rules! trng_ports {
    ($t:ty) => {
        impl TrngPorts for $t {
            fn set_inputs(&mut self, i: TrngIn) {
                self.set_enable(u64::from(i.enable));
                self.set_raw(u64::from(i.raw));
                self.set_raw_valid(u64::from(i.raw_valid));
                self.set_rnd_ready(u64::from(i.rnd_ready));
            }
            fn outputs(&self) -> TrngOut {
                TrngOut {
                    rnd: self.rnd() as u32,
                    rnd_valid: self.rnd_valid() != 0,
                    alarm: self.alarm() != 0,
                    alarm_test: self.alarm_test() as u8,
                    startup_done: self.startup_done() != 0,
                    rct_fail_count: self.rct_fail_count() as u16,
                    apt_fail_count: self.apt_fail_count() as u16,
                    lag_fail_count: self.lag_fail_count() as u16,
                    sample_count: self.sample_count() as u32,
                    alarm_sample: self.alarm_sample() as u32,
                }
            }
        }
    };
}

trng_ports!(ScuTrngH500);
trng_ports!(ScuTrngH1000);

/// Why [`TrngSim::words`] stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alarm {
    /// `alarm_test`: bit 0 repetition count, bit 1 adaptive proportion, bit 2 lag-1.
    pub tests: u8,
    /// Raw samples accepted up to and including the one that failed.
    pub after_samples: u32,
}

pub struct TrngSim<M: TrngPorts> {
    pub sim: Sim<M>,
}

impl<M: TrngPorts> TrngSim<M> {
    /// A model with every input driven low, reset for two cycles.
    pub fn new(options: SimOptions) -> Self {
        let mut sim = Sim::<M>::create(options);
        // Inputs power up random (`--x-initial unique`): drive them before reset releases.
        sim.set_inputs(TrngIn::default());
        sim.reset(2);
        TrngSim { sim }
    }

    /// One clock with `i` applied; the outputs after the edge.
    #[inline]
    pub fn step(&mut self, i: TrngIn) -> TrngOut {
        self.sim.set_inputs(i);
        self.sim.tick();
        self.sim.outputs()
    }

    /// Drives `reset` high for one edge (inputs as given) and low again.
    pub fn reset_once(&mut self, i: TrngIn) -> TrngOut {
        self.sim.set_inputs(i);
        self.sim.set_reset(true);
        self.sim.tick();
        self.sim.set_reset(false);
        self.sim.outputs()
    }

    /// Enabled, a raw sample every cycle from `raw`, always ready: collects `n` output words,
    /// or stops at the alarm. At most `max_cycles` clocks.
    pub fn words(
        &mut self,
        n: usize,
        mut raw: impl FnMut() -> bool,
        max_cycles: u64,
    ) -> Result<Vec<u32>, Alarm> {
        let mut words = Vec::with_capacity(n);
        for _ in 0..max_cycles {
            if words.len() == n {
                break;
            }
            let o = self.step(TrngIn {
                enable: true,
                raw: raw(),
                raw_valid: true,
                rnd_ready: true,
            });
            if o.alarm {
                return Err(Alarm {
                    tests: o.alarm_test,
                    after_samples: o.alarm_sample,
                });
            }
            // `ready` is high, so a word shown after this edge is taken at the next one.
            if o.rnd_valid {
                words.push(o.rnd);
            }
        }
        Ok(words)
    }
}

/// A TRNG core of either configuration, chosen by min-entropy in millibits at run time.
pub enum AnyTrng {
    H500(TrngSim<ScuTrngH500>),
    H1000(TrngSim<ScuTrngH1000>),
}

impl AnyTrng {
    pub fn new(min_entropy_millibits: u16, options: SimOptions) -> Result<Self, String> {
        match min_entropy_millibits {
            500 => Ok(AnyTrng::H500(TrngSim::new(options))),
            1000 => Ok(AnyTrng::H1000(TrngSim::new(options))),
            m => Err(format!(
                "no TRNG model for min-entropy {m} mbit (models: 500, 1000)"
            )),
        }
    }

    pub fn step(&mut self, i: TrngIn) -> TrngOut {
        match self {
            AnyTrng::H500(t) => t.step(i),
            AnyTrng::H1000(t) => t.step(i),
        }
    }

    pub fn words(
        &mut self,
        n: usize,
        raw: impl FnMut() -> bool,
        max_cycles: u64,
    ) -> Result<Vec<u32>, Alarm> {
        match self {
            AnyTrng::H500(t) => t.words(n, raw, max_cycles),
            AnyTrng::H1000(t) => t.words(n, raw, max_cycles),
        }
    }
}
