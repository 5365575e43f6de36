//! The TRNG core at clock-cycle level (`docs/trng.md`, "Cycle behaviour"): written from that
//! text, not from the RTL, and compared with the RTL on every output after every edge.

use super::entropy::{Cutoffs, MinEntropy};
use super::health::{AdaptiveProportion, Lag1Proportion, RepetitionCount};
use super::post::{VonNeumann, WordPacker};

/// `alarm_test` bits: which tests failed on the sample that raised the alarm.
pub const TEST_RCT: u8 = 1;
pub const TEST_APT: u8 = 2;
pub const TEST_LAG: u8 = 4;

/// Names of the `alarm_test` bits, for messages.
pub fn test_names(mask: u8) -> Vec<&'static str> {
    [
        (TEST_RCT, "repetition count"),
        (TEST_APT, "adaptive proportion"),
        (TEST_LAG, "lag-1 proportion"),
    ]
    .into_iter()
    .filter(|(b, _)| mask & b != 0)
    .map(|(_, n)| n)
    .collect()
}

/// The core's inputs during one clock cycle (sampled at its closing edge).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Inputs {
    pub reset: bool,
    pub enable: bool,
    pub raw: bool,
    pub raw_valid: bool,
    pub rnd_ready: bool,
}

/// Every output port; all are registers, so they change only at clock edges.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Outputs {
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

/// Why [`TrngCore::words`] stopped early.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Alarm {
    /// `alarm_test`.
    pub tests: u8,
    /// `alarm_sample`: samples accepted up to and including the failing one.
    pub after_samples: u32,
}

#[derive(Clone, Debug)]
pub struct TrngCore {
    cutoffs: Cutoffs,
    rct: RepetitionCount,
    apt: AdaptiveProportion,
    lag: Lag1Proportion,
    vn: VonNeumann,
    packer: WordPacker,
    out: Outputs,
}

impl TrngCore {
    /// The core for min-entropy `h`, freshly reset.
    pub fn new(h: MinEntropy) -> Self {
        Self::with_cutoffs(h.cutoffs())
    }

    pub fn with_cutoffs(cutoffs: Cutoffs) -> Self {
        TrngCore {
            cutoffs,
            rct: RepetitionCount::new(cutoffs.rct),
            apt: AdaptiveProportion::new(cutoffs.apt),
            lag: Lag1Proportion::new(cutoffs.apt),
            vn: VonNeumann::default(),
            packer: WordPacker::default(),
            out: Outputs::default(),
        }
    }

    pub fn cutoffs(&self) -> Cutoffs {
        self.cutoffs
    }

    /// The outputs as they are now (after the last edge).
    pub fn outputs(&self) -> Outputs {
        self.out
    }

    /// The sample path as after a restart: tests, startup, debiaser and the partial word.
    fn restart(&mut self) {
        self.rct.restart();
        self.apt.restart();
        self.lag.restart();
        self.vn.restart();
        self.packer.restart();
        self.out.startup_done = false;
    }

    /// One clock edge with `inp` applied during the cycle before it; returns the outputs after.
    pub fn step(&mut self, inp: Inputs) -> Outputs {
        if inp.reset {
            *self = Self::with_cutoffs(self.cutoffs);
            return self.out;
        }
        let was = self.out;

        // The output word: taken by the consumer, then refilled from a full packer.
        if was.rnd_valid && inp.rnd_ready {
            self.out.rnd_valid = false;
            self.out.rnd = 0;
        }
        let packer_was_full = self.packer.full();
        if packer_was_full && !self.out.rnd_valid {
            self.out.rnd = self.packer.take();
            self.out.rnd_valid = true;
        }

        let mut failed = 0u8;
        if !inp.enable {
            self.restart();
        } else if inp.raw_valid {
            let x = inp.raw;
            self.out.sample_count = was.sample_count.saturating_add(1);
            if self.rct.feed(x) {
                failed |= TEST_RCT;
                self.out.rct_fail_count = was.rct_fail_count.saturating_add(1);
            }
            if self.apt.feed(x) {
                failed |= TEST_APT;
                self.out.apt_fail_count = was.apt_fail_count.saturating_add(1);
            }
            if self.lag.feed(x) {
                failed |= TEST_LAG;
                self.out.lag_fail_count = was.lag_fail_count.saturating_add(1);
            }
            if failed != 0 && !was.alarm {
                self.out.alarm = true;
                self.out.alarm_test = failed;
                self.out.alarm_sample = self.out.sample_count;
            }
            let healthy = failed == 0 && !was.alarm;
            if healthy && !was.startup_done && self.apt.window_done() {
                self.out.startup_done = true;
            }
            // Only samples after a passed startup, before any failure, reach the debiaser;
            // a bit arriving while the packer was full at the start of the cycle is dropped.
            if healthy && was.startup_done {
                if let Some(bit) = self.vn.feed(x) {
                    if !packer_was_full {
                        self.packer.push(bit);
                    }
                }
            }
        }

        if self.out.alarm {
            self.out.rnd_valid = false;
            self.out.rnd = 0;
            self.vn.restart();
            self.packer.restart();
        }
        self.out
    }

    /// Enabled, one raw sample per cycle from `raw`, consumer always ready: the first `n`
    /// words taken, or the alarm that stopped it, within `max_cycles` clocks. The same
    /// contract as the RTL runner `scu_sim::trng::TrngSim::words`, so a caller that draws
    /// random words (the engine's KEYGEN and SIGN, `scu sim random`) gets the same words
    /// from the model as from the RTL for the same raw stream.
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
            let o = self.step(Inputs {
                reset: false,
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
            if o.rnd_valid {
                words.push(o.rnd);
            }
        }
        Ok(words)
    }
}
