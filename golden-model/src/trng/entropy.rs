//! The configured min-entropy H of one raw bit and the health-test cutoffs it implies
//! (`docs/trng.md`, "Cutoffs"). Both the generator (which bakes the cutoffs into the RTL) and
//! the core model take their cutoffs from here; `golden-model/tests/trng_cutoffs.rs` checks
//! this floating-point computation against an exact interval computation in big integers.

use std::fmt;

/// −log₂ α: the false-alarm probability per test decision is α = 2⁻²⁰ (SP 800-90B §4.4).
pub const ALPHA_LOG2: u32 = 20;

/// Samples per adaptive-proportion window for binary samples (SP 800-90B §4.4.2).
pub const APT_WINDOW: u32 = 1024;

/// Min-entropy per raw bit, in thousandths of a bit. Stored as an integer so that
/// `1 + ⌈20/H⌉` is computed exactly and the value prints back the way it was given.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct MinEntropy(u16);

impl MinEntropy {
    /// 1/8 bit: below it the RCT cutoff (161) no longer fits the core's 8-bit run counter.
    pub const MIN_MILLIBITS: u16 = 125;
    /// A binary sample carries at most one bit.
    pub const MAX_MILLIBITS: u16 = 1000;
    /// What the presets claim for the ring-oscillator cell (`docs/trng.md`, "Choice of H").
    pub const HALF: MinEntropy = MinEntropy(500);
    pub const FULL: MinEntropy = MinEntropy(1000);

    pub fn from_millibits(m: u16) -> Result<Self, String> {
        if (Self::MIN_MILLIBITS..=Self::MAX_MILLIBITS).contains(&m) {
            Ok(MinEntropy(m))
        } else {
            Err(format!(
                "invalid TRNG min-entropy {}.{:03} bit per sample (supported: 0.125 to 1, in steps of 0.001)",
                m / 1000,
                m % 1000
            ))
        }
    }

    /// Parses a decimal such as `0.5` or `1` (at most three decimals).
    pub fn parse(s: &str) -> Result<Self, String> {
        let bad = || format!("invalid TRNG min-entropy `{s}` (a decimal from 0.125 to 1)");
        let (int, frac) = s.trim().split_once('.').unwrap_or((s.trim(), ""));
        if int.is_empty() && frac.is_empty()
            || frac.len() > 3
            || !int.chars().chain(frac.chars()).all(|c| c.is_ascii_digit())
        {
            return Err(bad());
        }
        let int: u32 = if int.is_empty() {
            0
        } else {
            int.parse().map_err(|_| bad())?
        };
        let frac: u32 = format!("{frac:0<3}").parse().map_err(|_| bad())?;
        let m = int
            .checked_mul(1000)
            .and_then(|v| v.checked_add(frac))
            .ok_or_else(bad)?;
        Self::from_millibits(u16::try_from(m).map_err(|_| bad())?)
    }

    pub fn millibits(self) -> u16 {
        self.0
    }

    pub fn bits(self) -> f64 {
        f64::from(self.0) / 1000.0
    }

    /// p = 2^−H: the largest probability any raw-bit value may have for a source that meets H.
    pub fn max_probability(self) -> f64 {
        (-self.bits()).exp2()
    }

    pub fn cutoffs(self) -> Cutoffs {
        Cutoffs {
            rct: rct_cutoff(self),
            apt: apt_cutoff(self),
        }
    }
}

impl fmt::Display for MinEntropy {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let frac = format!("{:03}", self.0 % 1000);
        let frac = frac.trim_end_matches('0');
        if frac.is_empty() {
            write!(f, "{}", self.0 / 1000)
        } else {
            write!(f, "{}.{frac}", self.0 / 1000)
        }
    }
}

/// The two cutoffs of one configuration; a test fails when its count reaches the cutoff.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Cutoffs {
    /// Repetition count test: a run of this many identical samples is a failure.
    pub rct: u32,
    /// Adaptive proportion test (and its lag-1 variant): this many matches of the window's
    /// first sample within one window of [`APT_WINDOW`] samples is a failure.
    pub apt: u32,
}

/// C = 1 + ⌈20 / H⌉ (SP 800-90B §4.4.1), in integers: 20/H = 20000 / millibits.
pub fn rct_cutoff(h: MinEntropy) -> u32 {
    1 + (ALPHA_LOG2 * 1000).div_ceil(u32::from(h.0))
}

/// The smallest c with P[X ≥ c] ≤ 2⁻²⁰ for X ~ Binomial(1024, 2^−H), which is SP 800-90B's
/// C = 1 + CRITBINOM(W, 2^−H, 1 − α). Summed in log space from the top of the distribution,
/// where every term is far from underflow; the exact check in the tests shows no configured H
/// lies near enough to a boundary for rounding to matter.
pub fn apt_cutoff(h: MinEntropy) -> u32 {
    binomial_cutoff(APT_WINDOW, h.max_probability(), -f64::from(ALPHA_LOG2))
}

/// Smallest c with P[Binomial(n, p) ≥ c] ≤ 2^alpha_log2.
pub fn binomial_cutoff(n: u32, p: f64, alpha_log2: f64) -> u32 {
    let alpha = alpha_log2.exp2();
    let mut tail = 0.0;
    for k in (0..=n).rev() {
        let next = tail + binomial_pmf(n, k, p);
        if next > alpha {
            return k + 1;
        }
        tail = next;
    }
    0
}

/// P[Binomial(n, p) = k], through ln C(n, k) so no intermediate overflows.
pub fn binomial_pmf(n: u32, k: u32, p: f64) -> f64 {
    let ln_choose = ln_factorial(n) - ln_factorial(k) - ln_factorial(n - k);
    (ln_choose + f64::from(k) * p.ln() + f64::from(n - k) * (-p).ln_1p()).exp()
}

/// P[Binomial(n, p) ≥ c].
pub fn binomial_tail(n: u32, c: u32, p: f64) -> f64 {
    (c..=n).map(|k| binomial_pmf(n, k, p)).sum()
}

fn ln_factorial(n: u32) -> f64 {
    (2..=n).map(|i| f64::from(i).ln()).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_prints() {
        for (s, m, back) in [
            ("0.5", 500, "0.5"),
            ("1", 1000, "1"),
            (".125", 125, "0.125"),
            ("0.750", 750, "0.75"),
        ] {
            let h = MinEntropy::parse(s).unwrap();
            assert_eq!(h.millibits(), m);
            assert_eq!(h.to_string(), back);
        }
        for s in ["", ".", "0.1", "1.001", "2", "0.5x", "-1", "0.1234"] {
            assert!(MinEntropy::parse(s).is_err(), "{s}");
        }
    }

    #[test]
    fn rct_cutoff_is_exact_at_integer_ratios() {
        let c = |m| rct_cutoff(MinEntropy::from_millibits(m).unwrap());
        assert_eq!(c(1000), 21);
        assert_eq!(c(500), 41);
        assert_eq!(c(250), 81);
        assert_eq!(c(125), 161);
        // 20 / 0.3 = 66.7 → 67.
        assert_eq!(c(300), 68);
    }
}
