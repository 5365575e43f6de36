//! The continuous health tests of `docs/trng.md` on one stream of binary samples, one sample
//! at a time: each `feed` returns whether this sample is a failure event.

use super::entropy::APT_WINDOW;

/// Repetition count test (SP 800-90B §4.4.1). A failure event is the sample that makes a run
/// of identical values `cutoff` long; a longer run does not fail again until it is broken.
#[derive(Clone, Debug)]
pub struct RepetitionCount {
    cutoff: u32,
    last: bool,
    /// Length of the current run, saturated at the cutoff; 0 before the first sample.
    run: u32,
}

impl RepetitionCount {
    pub fn new(cutoff: u32) -> Self {
        assert!(cutoff >= 2, "an RCT cutoff below 2 fails on every sample");
        RepetitionCount {
            cutoff,
            last: false,
            run: 0,
        }
    }

    pub fn restart(&mut self) {
        self.run = 0;
        self.last = false;
    }

    pub fn feed(&mut self, x: bool) -> bool {
        let repeat = self.run > 0 && x == self.last;
        let before = self.run;
        self.run = if repeat {
            (self.run + 1).min(self.cutoff)
        } else {
            1
        };
        self.last = x;
        self.run == self.cutoff && before != self.cutoff
    }
}

/// Adaptive proportion test (SP 800-90B §4.4.2) over consecutive, non-overlapping windows of
/// [`APT_WINDOW`] samples: the window's first sample is the reference, and the sample that
/// brings the reference's count (the first sample included) to `cutoff` is a failure event —
/// at most one per window.
#[derive(Clone, Debug)]
pub struct AdaptiveProportion {
    cutoff: u32,
    /// Position of the next sample in its window, 0 … W−1.
    pos: u32,
    reference: bool,
    count: u32,
}

impl AdaptiveProportion {
    pub fn new(cutoff: u32) -> Self {
        assert!(
            (2..=APT_WINDOW).contains(&cutoff),
            "APT cutoff must be in 2..=W"
        );
        AdaptiveProportion {
            cutoff,
            pos: 0,
            reference: false,
            count: 0,
        }
    }

    pub fn restart(&mut self) {
        self.pos = 0;
        self.reference = false;
        self.count = 0;
    }

    /// Whether the sample just fed was the last of its window.
    pub fn window_done(&self) -> bool {
        self.pos == 0
    }

    pub fn feed(&mut self, x: bool) -> bool {
        let mut fail = false;
        if self.pos == 0 {
            self.reference = x;
            self.count = 1;
        } else if x == self.reference {
            self.count += 1;
            fail = self.count == self.cutoff;
        }
        self.pos = (self.pos + 1) % APT_WINDOW;
        fail
    }
}

/// The lag-1 test: the adaptive proportion test applied to the transitions t = x ⊕ x_prev
/// (x_prev = 0 before the first sample). It sees what the two tests on raw values cannot:
/// alternation (t all one) and slow square waves (t mostly zero). Given the past, t and x
/// determine each other, so t has the same per-sample min-entropy as x and the same cutoff
/// keeps the same false-alarm rate.
#[derive(Clone, Debug)]
pub struct Lag1Proportion {
    prev: bool,
    apt: AdaptiveProportion,
}

impl Lag1Proportion {
    pub fn new(cutoff: u32) -> Self {
        Lag1Proportion {
            prev: false,
            apt: AdaptiveProportion::new(cutoff),
        }
    }

    pub fn restart(&mut self) {
        self.prev = false;
        self.apt.restart();
    }

    pub fn feed(&mut self, x: bool) -> bool {
        let t = x ^ self.prev;
        self.prev = x;
        self.apt.feed(t)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rct_fails_once_when_a_run_reaches_the_cutoff() {
        let mut t = RepetitionCount::new(5);
        let fails: Vec<bool> = [1, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1]
            .iter()
            .map(|&x| t.feed(x == 1))
            .collect();
        let at: Vec<usize> = fails
            .iter()
            .enumerate()
            .filter(|(_, &f)| f)
            .map(|(i, _)| i)
            .collect();
        assert_eq!(
            at,
            [5, 12],
            "fifth zero, fifth one; the zeros' run fails only once"
        );
    }

    #[test]
    fn apt_counts_the_first_sample_and_fails_once_per_window() {
        let w = APT_WINDOW as usize;
        let mut t = AdaptiveProportion::new(600);
        // Window 1: 599 matches of the first value (itself included), then the others.
        let mut x: Vec<bool> = vec![true; 599];
        x.resize(w, false);
        // Window 2: all ones; fails at its 600th sample, not again.
        x.extend(std::iter::repeat_n(true, w));
        let at: Vec<usize> = x
            .iter()
            .enumerate()
            .filter(|(_, &v)| t.feed(v))
            .map(|(i, _)| i)
            .collect();
        assert_eq!(at, [w + 599]);
    }

    #[test]
    fn lag_test_sees_alternation_that_the_others_miss() {
        let h = crate::trng::MinEntropy::HALF.cutoffs();
        let (mut rct, mut apt, mut lag) = (
            RepetitionCount::new(h.rct),
            AdaptiveProportion::new(h.apt),
            Lag1Proportion::new(h.apt),
        );
        let mut lag_fails = 0;
        for i in 0..4 * APT_WINDOW {
            let x = i % 2 == 0; // 1010…: every transition, the first included, is 1
            assert!(!rct.feed(x) && !apt.feed(x));
            lag_fails += u32::from(lag.feed(x));
        }
        assert_eq!(lag_fails, 4);
    }
}
