//! The simulation stand-in for the ring-oscillator cell (`docs/trng.md`, "Noise model"): a
//! seeded stream of raw bits, independent with a configurable probability of a one, into
//! which a test (or `scu sim random --fault`) switches a fault at a chosen sample.
//!
//! One generator draw is made per sample whatever the fault, so switching a fault on never
//! shifts the random stream the healthy source would have produced afterwards.

use super::rng::{threshold, Xoshiro256};
use std::fmt;
use std::str::FromStr;

/// What the source does from the fault's onset on.
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Fault {
    /// Healthy: independent bits, P[1] = the source's configured bias.
    None,
    /// Output stuck at 0 (a shorted node, a dead sampler).
    Stuck0,
    /// Output stuck at 1.
    Stuck1,
    /// Independent bits with P[1] = the given probability (a drifting or locked oscillator).
    Bias(f64),
    /// The oscillator stopped: every sample repeats the last value before the onset.
    Stop,
    /// No jitter left: a deterministic square wave of `half_period` samples per level,
    /// starting at the inverse of the last value (1 = 0101…, an oscillator locked at half
    /// the sampling rate).
    Periodic(u32),
    /// Correlated: each sample repeats the previous one with probability `stay`
    /// (a Markov chain; 0.5 is healthy, near 1 long runs, near 0 alternation).
    Markov(f64),
}

impl Fault {
    /// The heavy bias `--fault bias` means: P[1] = 0.9, min-entropy 0.15 bit.
    pub const HEAVY_BIAS: f64 = 0.9;

    /// The fault names of `scu sim random --fault`.
    pub const CLI_NAMES: [&'static str; 5] = ["none", "stuck0", "stuck1", "bias", "stop"];
}

impl FromStr for Fault {
    type Err = String;

    /// `none`, `stuck0`, `stuck1`, `bias` (= `bias:0.9`), `bias:P`, `stop`, `alternating`,
    /// `periodic:L`, `markov:STAY`.
    fn from_str(s: &str) -> Result<Self, String> {
        let (name, arg) = match s.split_once(':') {
            Some((n, a)) => (n, Some(a)),
            None => (s, None),
        };
        let prob = |a: Option<&str>, default: Option<f64>| -> Result<f64, String> {
            match a {
                None => default.ok_or_else(|| format!("fault `{name}` needs a value (`{name}:X`)")),
                Some(a) => match a.parse::<f64>() {
                    Ok(p) if (0.0..=1.0).contains(&p) => Ok(p),
                    _ => Err(format!("fault `{s}`: `{a}` is not a probability in [0, 1]")),
                },
            }
        };
        let no_arg = |f: Fault| match arg {
            None => Ok(f),
            Some(_) => Err(format!("fault `{name}` takes no value")),
        };
        match name {
            "none" => no_arg(Fault::None),
            "stuck0" => no_arg(Fault::Stuck0),
            "stuck1" => no_arg(Fault::Stuck1),
            "stop" => no_arg(Fault::Stop),
            "alternating" => no_arg(Fault::Periodic(1)),
            "bias" => Ok(Fault::Bias(prob(arg, Some(Fault::HEAVY_BIAS))?)),
            "markov" => Ok(Fault::Markov(prob(arg, None)?)),
            "periodic" => match arg.map(str::parse::<u32>) {
                Some(Ok(l)) if l >= 1 => Ok(Fault::Periodic(l)),
                _ => Err(format!(
                    "fault `{s}`: periodic needs a half period ≥ 1 (`periodic:L`)"
                )),
            },
            _ => Err(format!(
                "unknown fault `{s}` (known: {}, alternating, periodic:L, markov:STAY)",
                Fault::CLI_NAMES.join(", ")
            )),
        }
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Fault::None => write!(f, "none"),
            Fault::Stuck0 => write!(f, "stuck0"),
            Fault::Stuck1 => write!(f, "stuck1"),
            Fault::Bias(p) => write!(f, "bias:{p}"),
            Fault::Stop => write!(f, "stop"),
            Fault::Periodic(l) => write!(f, "periodic:{l}"),
            Fault::Markov(s) => write!(f, "markov:{s}"),
        }
    }
}

/// A raw-bit source: healthy with bias `p_one`, then whatever fault is switched on.
#[derive(Clone, Debug)]
pub struct NoiseSource {
    rng: Xoshiro256,
    healthy: u64,
    fault: Fault,
    /// (sample index, fault) switches still to come, earliest first.
    pending: Vec<(u64, Fault)>,
    /// Samples produced so far (the index of the next one).
    index: u64,
    onset: u64,
    last: bool,
    /// The first level of a periodic fault: the inverse of the last value before it.
    wave_start: bool,
}

impl NoiseSource {
    /// An unbiased healthy source.
    pub fn new(seed: u64) -> Self {
        Self::with_bias(seed, 0.5)
    }

    /// A healthy source whose bits are one with probability `p_one`.
    pub fn with_bias(seed: u64, p_one: f64) -> Self {
        NoiseSource {
            rng: Xoshiro256::new(seed),
            healthy: threshold(p_one),
            fault: Fault::None,
            pending: Vec::new(),
            index: 0,
            onset: 0,
            last: false,
            wave_start: true,
        }
    }

    /// Switches to `fault` from the next sample on.
    pub fn set_fault(&mut self, fault: Fault) {
        self.fault = fault;
        self.onset = self.index;
        self.wave_start = !self.last;
    }

    /// Switches to `fault` at sample `at` (or the next sample, if `at` has passed).
    pub fn schedule(&mut self, at: u64, fault: Fault) {
        self.pending.push((at, fault));
        self.pending.sort_by_key(|(i, _)| *i);
    }

    pub fn fault(&self) -> Fault {
        self.fault
    }

    /// Samples produced so far.
    pub fn index(&self) -> u64 {
        self.index
    }

    /// The sample index at which the current fault took effect.
    pub fn onset(&self) -> u64 {
        self.onset
    }

    pub fn next_bit(&mut self) -> bool {
        while let Some(&(at, f)) = self.pending.first() {
            if at > self.index {
                break;
            }
            self.pending.remove(0);
            self.set_fault(f);
        }
        let r = self.rng.next_u64();
        let bit = match self.fault {
            Fault::None => r < self.healthy,
            Fault::Stuck0 => false,
            Fault::Stuck1 => true,
            Fault::Bias(p) => r < threshold(p),
            Fault::Stop => self.last,
            Fault::Periodic(l) => {
                let phase = (self.index - self.onset) / u64::from(l.max(1));
                self.wave_start ^ (phase % 2 == 1)
            }
            Fault::Markov(stay) => {
                if r < threshold(stay) {
                    self.last
                } else {
                    !self.last
                }
            }
        };
        self.last = bit;
        self.index += 1;
        bit
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn take(src: &mut NoiseSource, n: usize) -> Vec<bool> {
        (0..n).map(|_| src.next_bit()).collect()
    }

    #[test]
    fn names_round_trip() {
        for s in [
            "none",
            "stuck0",
            "stuck1",
            "stop",
            "bias:0.9",
            "periodic:7",
            "markov:0.95",
        ] {
            assert_eq!(s.parse::<Fault>().unwrap().to_string(), s);
        }
        assert_eq!("bias".parse::<Fault>(), Ok(Fault::Bias(0.9)));
        assert_eq!("alternating".parse::<Fault>(), Ok(Fault::Periodic(1)));
        for s in ["", "stuck", "bias:2", "periodic:0", "markov", "none:1"] {
            assert!(s.parse::<Fault>().is_err(), "{s}");
        }
    }

    #[test]
    fn faults_do_what_they_say_from_their_onset() {
        let mut a = NoiseSource::new(9);
        let mut b = NoiseSource::new(9);
        b.schedule(100, Fault::Stop);
        b.schedule(200, Fault::Periodic(3));
        b.schedule(300, Fault::None);
        let x = take(&mut a, 400);
        let y = take(&mut b, 400);
        assert_eq!(x[..100], y[..100]);
        assert!(
            y[100..200].iter().all(|&v| v == y[99]),
            "stop holds the last value"
        );
        let wave: Vec<bool> = (0..100)
            .map(|i| (i / 3) % 2 == 0)
            .map(|e| e != y[199])
            .collect();
        assert_eq!(
            y[200..300],
            wave[..],
            "square wave from the inverse of the last value"
        );
        assert_eq!(
            x[300..],
            y[300..],
            "one draw per sample: healthy again, same stream"
        );
    }

    #[test]
    fn bias_is_what_was_asked() {
        let mut s = NoiseSource::with_bias(1, 0.9);
        let ones = take(&mut s, 100_000).iter().filter(|&&b| b).count();
        assert!((89_000..91_000).contains(&ones), "{ones}");
        let mut m = NoiseSource::new(2);
        m.set_fault(Fault::Markov(0.95));
        let x = take(&mut m, 100_000);
        let stays = x.windows(2).filter(|w| w[0] == w[1]).count();
        assert!((94_000..96_000).contains(&stays), "{stays}");
    }
}
