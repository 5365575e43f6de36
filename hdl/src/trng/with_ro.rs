//! The core with its ring-oscillator cell: what a chip or an FPGA instantiates. Emitted for
//! lint and synthesis only (`docs/trng.md`, "The ring-oscillator cell"); co-simulation runs
//! the bare core with raw bits from the noise model.

use super::ro_cell::RoCell;
use super::Trng;
use rust_hdl::prelude::*;
use scu_golden::trng::MinEntropy;

/// Top module name of core + cell for min-entropy `h` (`scu_trng_ro_h500`).
pub fn with_ro_name(h: MinEntropy) -> String {
    format!("scu_trng_ro_h{}", h.millibits())
}

#[derive(LogicBlock)]
pub struct TrngWithRo {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub enable: Signal<In, Bit>,
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
    ro: RoCell,
    core: Trng,
}

impl TrngWithRo {
    pub fn new(h: MinEntropy) -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            enable: Default::default(),
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
            ro: Default::default(),
            core: Trng::new(h),
        }
    }
}

impl Logic for TrngWithRo {
    #[hdl_gen]
    fn update(&mut self) {
        clock!(self, clock, ro, core);
        self.ro.reset.next = self.reset.val();
        self.ro.enable.next = self.enable.val();
        self.core.reset.next = self.reset.val();
        self.core.enable.next = self.enable.val();
        self.core.raw.next = self.ro.raw.val();
        self.core.raw_valid.next = self.ro.raw_valid.val();
        self.core.rnd_ready.next = self.rnd_ready.val();
        self.rnd.next = self.core.rnd.val();
        self.rnd_valid.next = self.core.rnd_valid.val();
        self.alarm.next = self.core.alarm.val();
        self.alarm_test.next = self.core.alarm_test.val();
        self.startup_done.next = self.core.startup_done.val();
        self.rct_fail_count.next = self.core.rct_fail_count.val();
        self.apt_fail_count.next = self.core.apt_fail_count.val();
        self.lag_fail_count.next = self.core.lag_fail_count.val();
        self.sample_count.next = self.core.sample_count.val();
        self.alarm_sample.next = self.core.alarm_sample.val();
    }
}
