//! The FPGA top's reset (`docs/board.md`, "Reset"): a power-on reset and the board's reset
//! button, combined into the synchronous active-high `reset` the SCU expects.
//!
//! **FPGA only.** The power-on counter has no reset of its own: it relies on FPGA
//! configuration loading every flip-flop with 0 (iCE40, ECP5 and GW1N all do), counts up to
//! all ones and holds `reset` until then. On an ASIC nothing defines those bits at power-up,
//! so an ASIC top drives `scu_board_w<W>`'s (or the SCU's) `reset` from its own reset
//! controller and does not use this block. The button is asynchronous and bounces: two
//! flip-flops synchronise it (bouncing then only repeats a reset).

use rust_hdl::prelude::*;

/// Clock cycles the power-on reset lasts (a 16-bit counter: 5.5 ms at 12 MHz).
pub const POR_CYCLES: u64 = 0xffff;

#[derive(LogicBlock)]
pub struct BoardReset {
    pub clock: Signal<In, Clock>,
    /// The board's button, straight from the pin.
    pub button: Signal<In, Bit>,
    pub reset: Signal<Out, Bit>,

    btn1: DFF<Bit>,
    btn2: DFF<Bit>,
    por: DFF<Bits<16>>,
    reset_r: DFF<Bit>,

    k_active_low: Constant<Bit>,
    por_done: Signal<Local, Bit>,
    pressed: Signal<Local, Bit>,
}

impl BoardReset {
    pub fn new(active_low: bool) -> Self {
        Self {
            clock: Default::default(),
            button: Default::default(),
            reset: Default::default(),
            btn1: Default::default(),
            btn2: Default::default(),
            por: Default::default(),
            reset_r: Default::default(),
            k_active_low: Constant::new(active_low),
            por_done: Default::default(),
            pressed: Default::default(),
        }
    }
}

impl Logic for BoardReset {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, btn1, btn2, por, reset_r);
        self.btn1.d.next = self.button.val();
        self.btn2.d.next = self.btn1.q.val();
        self.pressed.next = self.btn2.q.val() ^ self.k_active_low.val();
        self.por_done.next = self.por.q.val().all();
        if !self.por_done.val() {
            self.por.d.next = self.por.q.val() + 1;
        }
        self.reset_r.d.next = !self.por_done.val() | self.pressed.val();
        self.reset.next = self.reset_r.q.val();
    }
}
