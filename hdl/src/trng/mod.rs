//! The TRNG core (`docs/trng.md`): continuous health tests on raw entropy bits (repetition
//! count, adaptive proportion, lag-1 proportion), startup testing, a sticky alarm that blocks
//! output, von Neumann debiasing and 32-bit output words behind a valid/ready handshake.
//!
//! The entropy source is not part of the core: raw bits arrive on `raw`/`raw_valid`, from
//! the ring-oscillator cell on silicon (`ro_cell`, wired up in `with_ro`) or from the noise
//! model in co-simulation. The cutoffs are generation-time constants computed from the
//! configured min-entropy; the golden model (`scu_golden::trng::TrngCore`) implements the same
//! document independently.

pub mod design;
pub mod ro_cell;
pub mod with_ro;

use rust_hdl::prelude::*;
use scu_golden::trng::{Cutoffs, MinEntropy, APT_WINDOW, TEST_APT, TEST_LAG, TEST_RCT};

/// Top module name of the core for min-entropy `h` (`scu_trng_h500` for H = 0.5).
pub fn core_name(h: MinEntropy) -> String {
    format!("scu_trng_h{}", h.millibits())
}

#[derive(LogicBlock)]
pub struct Trng {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// Low: raw samples are ignored and the sample path restarts (startup is tested again).
    pub enable: Signal<In, Bit>,
    pub raw: Signal<In, Bit>,
    pub raw_valid: Signal<In, Bit>,
    pub rnd_ready: Signal<In, Bit>,
    pub rnd: Signal<Out, Bits<32>>,
    pub rnd_valid: Signal<Out, Bit>,
    pub alarm: Signal<Out, Bit>,
    pub alarm_test: Signal<Out, Bits<3>>,
    pub startup_done: Signal<Out, Bit>,
    pub rct_fail_count: Signal<Out, Bits<16>>,
    pub apt_fail_count: Signal<Out, Bits<16>>,
    pub lag_fail_count: Signal<Out, Bits<16>>,
    pub sample_count: Signal<Out, Bits<32>>,
    pub alarm_sample: Signal<Out, Bits<32>>,

    rct_run: DFF<Bits<8>>,
    rct_last: DFF<Bit>,
    pos: DFF<Bits<10>>,
    apt_ref: DFF<Bit>,
    apt_n: DFF<Bits<11>>,
    lag_ref: DFF<Bit>,
    lag_n: DFF<Bits<11>>,
    prev: DFF<Bit>,
    started: DFF<Bit>,
    alarm_r: DFF<Bit>,
    alarm_test_r: DFF<Bits<3>>,
    alarm_sample_r: DFF<Bits<32>>,
    samples: DFF<Bits<32>>,
    rct_fails: DFF<Bits<16>>,
    apt_fails: DFF<Bits<16>>,
    lag_fails: DFF<Bits<16>>,
    vn_have: DFF<Bit>,
    vn_first: DFF<Bit>,
    acc: DFF<Bits<32>>,
    acc_n: DFF<Bits<6>>,
    out_word: DFF<Bits<32>>,
    out_valid: DFF<Bit>,

    k_rct_cutoff: Constant<Bits<8>>,
    k_rct_pre: Constant<Bits<8>>,
    k_apt_pre: Constant<Bits<11>>,
    k_last_pos: Constant<Bits<10>>,
    k_full: Constant<Bits<6>>,
    k_count_max: Constant<Bits<16>>,
    k_samples_max: Constant<Bits<32>>,
    k_one: Constant<Bits<32>>,
    k_test_rct: Constant<Bits<3>>,
    k_test_apt: Constant<Bits<3>>,
    k_test_lag: Constant<Bits<3>>,

    accept: Signal<Local, Bit>,
    samples_next: Signal<Local, Bits<32>>,
    rct_repeat: Signal<Local, Bit>,
    rct_fail: Signal<Local, Bit>,
    rct_next: Signal<Local, Bits<8>>,
    window_start: Signal<Local, Bit>,
    transition: Signal<Local, Bit>,
    apt_hit: Signal<Local, Bit>,
    apt_fail: Signal<Local, Bit>,
    lag_hit: Signal<Local, Bit>,
    lag_fail: Signal<Local, Bit>,
    fail: Signal<Local, Bit>,
    mask_rct: Signal<Local, Bits<3>>,
    mask_apt: Signal<Local, Bits<3>>,
    mask_lag: Signal<Local, Bits<3>>,
    healthy: Signal<Local, Bit>,
    consume: Signal<Local, Bit>,
    full: Signal<Local, Bit>,
    transfer: Signal<Local, Bit>,
    vn_bit: Signal<Local, Bits<32>>,
}

fn small<const N: usize>(x: u64) -> Constant<Bits<N>> {
    Constant::new(Bits::<N>::from(x))
}

impl Trng {
    pub fn new(h: MinEntropy) -> Self {
        Self::with_cutoffs(h.cutoffs())
    }

    /// A core with explicit cutoffs (the generator always derives them from H; tests may not).
    pub fn with_cutoffs(c: Cutoffs) -> Self {
        assert!(
            (2..=255).contains(&c.rct),
            "RCT cutoff must fit the 8-bit run counter"
        );
        assert!(
            (2..=APT_WINDOW).contains(&c.apt),
            "APT cutoff must be in 2..=1024"
        );
        assert_eq!(APT_WINDOW, 1024, "the window position is a 10-bit counter");
        Self {
            clock: Default::default(),
            reset: Default::default(),
            enable: Default::default(),
            raw: Default::default(),
            raw_valid: Default::default(),
            rnd_ready: Default::default(),
            rnd: Default::default(),
            rnd_valid: Default::default(),
            alarm: Default::default(),
            alarm_test: Default::default(),
            startup_done: Default::default(),
            rct_fail_count: Default::default(),
            apt_fail_count: Default::default(),
            lag_fail_count: Default::default(),
            sample_count: Default::default(),
            alarm_sample: Default::default(),
            rct_run: Default::default(),
            rct_last: Default::default(),
            pos: Default::default(),
            apt_ref: Default::default(),
            apt_n: Default::default(),
            lag_ref: Default::default(),
            lag_n: Default::default(),
            prev: Default::default(),
            started: Default::default(),
            alarm_r: Default::default(),
            alarm_test_r: Default::default(),
            alarm_sample_r: Default::default(),
            samples: Default::default(),
            rct_fails: Default::default(),
            apt_fails: Default::default(),
            lag_fails: Default::default(),
            vn_have: Default::default(),
            vn_first: Default::default(),
            acc: Default::default(),
            acc_n: Default::default(),
            out_word: Default::default(),
            out_valid: Default::default(),
            k_rct_cutoff: small(c.rct.into()),
            k_rct_pre: small((c.rct - 1).into()),
            k_apt_pre: small((c.apt - 1).into()),
            k_last_pos: small((APT_WINDOW - 1).into()),
            k_full: small(32),
            k_count_max: small(0xffff),
            k_samples_max: small(0xffff_ffff),
            k_one: small(1),
            k_test_rct: small(TEST_RCT.into()),
            k_test_apt: small(TEST_APT.into()),
            k_test_lag: small(TEST_LAG.into()),
            accept: Default::default(),
            samples_next: Default::default(),
            rct_repeat: Default::default(),
            rct_fail: Default::default(),
            rct_next: Default::default(),
            window_start: Default::default(),
            transition: Default::default(),
            apt_hit: Default::default(),
            apt_fail: Default::default(),
            lag_hit: Default::default(),
            lag_fail: Default::default(),
            fail: Default::default(),
            mask_rct: Default::default(),
            mask_apt: Default::default(),
            mask_lag: Default::default(),
            healthy: Default::default(),
            consume: Default::default(),
            full: Default::default(),
            transfer: Default::default(),
            vn_bit: Default::default(),
        }
    }
}

impl Logic for Trng {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self,
            clock,
            rct_run,
            rct_last,
            pos,
            apt_ref,
            apt_n,
            lag_ref,
            lag_n,
            prev,
            started,
            alarm_r,
            alarm_test_r,
            alarm_sample_r,
            samples,
            rct_fails,
            apt_fails,
            lag_fails,
            vn_have,
            vn_first,
            acc,
            acc_n,
            out_word,
            out_valid
        );

        self.accept.next = self.enable.val() & self.raw_valid.val();
        self.samples_next.next = self.samples.q.val();
        if self.samples.q.val() != self.k_samples_max.val() {
            self.samples_next.next = self.samples.q.val() + 1;
        }

        // Repetition count: a run counter that saturates at the cutoff, so a run fails once.
        self.rct_repeat.next =
            self.rct_run.q.val().any() & (self.raw.val() == self.rct_last.q.val());
        self.rct_fail.next = self.accept.val()
            & self.rct_repeat.val()
            & (self.rct_run.q.val() == self.k_rct_pre.val());
        self.rct_next.next = 1.into();
        if self.rct_repeat.val() {
            self.rct_next.next = self.rct_run.q.val();
            if self.rct_run.q.val() != self.k_rct_cutoff.val() {
                self.rct_next.next = self.rct_run.q.val() + 1;
            }
        }

        // Adaptive proportion on the samples and on their transitions, windows aligned.
        self.window_start.next = !self.pos.q.val().any();
        self.transition.next = self.raw.val() ^ self.prev.q.val();
        self.apt_hit.next =
            self.accept.val() & !self.window_start.val() & (self.raw.val() == self.apt_ref.q.val());
        self.apt_fail.next = self.apt_hit.val() & (self.apt_n.q.val() == self.k_apt_pre.val());
        self.lag_hit.next = self.accept.val()
            & !self.window_start.val()
            & (self.transition.val() == self.lag_ref.q.val());
        self.lag_fail.next = self.lag_hit.val() & (self.lag_n.q.val() == self.k_apt_pre.val());
        self.fail.next = self.rct_fail.val() | self.apt_fail.val() | self.lag_fail.val();
        self.mask_rct.next = 0.into();
        if self.rct_fail.val() {
            self.mask_rct.next = self.k_test_rct.val();
        }
        self.mask_apt.next = 0.into();
        if self.apt_fail.val() {
            self.mask_apt.next = self.k_test_apt.val();
        }
        self.mask_lag.next = 0.into();
        if self.lag_fail.val() {
            self.mask_lag.next = self.k_test_lag.val();
        }
        self.healthy.next = self.started.q.val() & !self.alarm_r.q.val() & !self.fail.val();

        // Output word: taken by the consumer, refilled from a full packer in the same edge.
        self.consume.next = self.out_valid.q.val() & self.rnd_ready.val();
        self.full.next = self.acc_n.q.val() == self.k_full.val();
        self.transfer.next = self.full.val() & (!self.out_valid.q.val() | self.consume.val());
        self.vn_bit.next = 0.into();
        if self.vn_first.q.val() {
            self.vn_bit.next = self.k_one.val();
        }
        if self.consume.val() {
            self.out_valid.d.next = false;
            self.out_word.d.next = 0.into();
        }
        if self.transfer.val() {
            self.out_word.d.next = self.acc.q.val();
            self.out_valid.d.next = true;
            self.acc.d.next = 0.into();
            self.acc_n.d.next = 0.into();
        }

        if self.accept.val() {
            self.samples.d.next = self.samples_next.val();
            self.rct_last.d.next = self.raw.val();
            self.rct_run.d.next = self.rct_next.val();
            self.prev.d.next = self.raw.val();
            self.pos.d.next = self.pos.q.val() + 1;
            if self.window_start.val() {
                self.apt_ref.d.next = self.raw.val();
                self.apt_n.d.next = 1.into();
                self.lag_ref.d.next = self.transition.val();
                self.lag_n.d.next = 1.into();
            }
            if self.apt_hit.val() {
                self.apt_n.d.next = self.apt_n.q.val() + 1;
            }
            if self.lag_hit.val() {
                self.lag_n.d.next = self.lag_n.q.val() + 1;
            }
            if self.rct_fail.val() & (self.rct_fails.q.val() != self.k_count_max.val()) {
                self.rct_fails.d.next = self.rct_fails.q.val() + 1;
            }
            if self.apt_fail.val() & (self.apt_fails.q.val() != self.k_count_max.val()) {
                self.apt_fails.d.next = self.apt_fails.q.val() + 1;
            }
            if self.lag_fail.val() & (self.lag_fails.q.val() != self.k_count_max.val()) {
                self.lag_fails.d.next = self.lag_fails.q.val() + 1;
            }
            if self.fail.val() & !self.alarm_r.q.val() {
                self.alarm_r.d.next = true;
                self.alarm_test_r.d.next =
                    self.mask_rct.val() | self.mask_apt.val() | self.mask_lag.val();
                self.alarm_sample_r.d.next = self.samples_next.val();
            }
            // Startup passes with the last sample of the first window, if nothing failed.
            if (self.pos.q.val() == self.k_last_pos.val())
                & !self.alarm_r.q.val()
                & !self.fail.val()
            {
                self.started.d.next = true;
            }
            // Von Neumann on pairs of healthy samples; a bit is dropped while the packer
            // was full at the start of the cycle.
            if self.healthy.val() {
                if self.vn_have.q.val() {
                    self.vn_have.d.next = false;
                    if (self.vn_first.q.val() != self.raw.val()) & !self.full.val() {
                        self.acc.d.next =
                            (self.acc.q.val() << self.k_one.val()) | self.vn_bit.val();
                        self.acc_n.d.next = self.acc_n.q.val() + 1;
                    }
                } else {
                    self.vn_have.d.next = true;
                    self.vn_first.d.next = self.raw.val();
                }
            }
        }

        // Disabled: the sample path restarts, so the next samples are startup-tested again.
        if !self.enable.val() {
            self.rct_run.d.next = 0.into();
            self.rct_last.d.next = false;
            self.pos.d.next = 0.into();
            self.apt_ref.d.next = false;
            self.apt_n.d.next = 0.into();
            self.lag_ref.d.next = false;
            self.lag_n.d.next = 0.into();
            self.prev.d.next = false;
            self.started.d.next = false;
            self.vn_have.d.next = false;
            self.vn_first.d.next = false;
            self.acc.d.next = 0.into();
            self.acc_n.d.next = 0.into();
        }

        // An alarm (raised now or before) blocks output: the word on offer, the partial word
        // and a pending half pair are all discarded, and stay empty until reset.
        if self.alarm_r.q.val() | self.fail.val() {
            self.out_valid.d.next = false;
            self.out_word.d.next = 0.into();
            self.acc.d.next = 0.into();
            self.acc_n.d.next = 0.into();
            self.vn_have.d.next = false;
            self.vn_first.d.next = false;
        }

        if self.reset.val() {
            self.rct_run.d.next = 0.into();
            self.rct_last.d.next = false;
            self.pos.d.next = 0.into();
            self.apt_ref.d.next = false;
            self.apt_n.d.next = 0.into();
            self.lag_ref.d.next = false;
            self.lag_n.d.next = 0.into();
            self.prev.d.next = false;
            self.started.d.next = false;
            self.alarm_r.d.next = false;
            self.alarm_test_r.d.next = 0.into();
            self.alarm_sample_r.d.next = 0.into();
            self.samples.d.next = 0.into();
            self.rct_fails.d.next = 0.into();
            self.apt_fails.d.next = 0.into();
            self.lag_fails.d.next = 0.into();
            self.vn_have.d.next = false;
            self.vn_first.d.next = false;
            self.acc.d.next = 0.into();
            self.acc_n.d.next = 0.into();
            self.out_word.d.next = 0.into();
            self.out_valid.d.next = false;
        }

        self.rnd.next = self.out_word.q.val();
        self.rnd_valid.next = self.out_valid.q.val();
        self.alarm.next = self.alarm_r.q.val();
        self.alarm_test.next = self.alarm_test_r.q.val();
        self.startup_done.next = self.started.q.val();
        self.rct_fail_count.next = self.rct_fails.q.val();
        self.apt_fail_count.next = self.apt_fails.q.val();
        self.lag_fail_count.next = self.lag_fails.q.val();
        self.sample_count.next = self.samples.q.val();
        self.alarm_sample.next = self.alarm_sample_r.q.val();
    }
}
