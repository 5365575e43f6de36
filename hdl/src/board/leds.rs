//! The board's status LEDs (`docs/board.md`), active high; the FPGA top applies the board's
//! polarity and keeps as many as the board has.
//!
//! - `led[0]` heartbeat: bit 16 of a counter of bit times, so it blinks at the same rate on
//!   every board (65536 bit times per half period: 1.14 s per blink at 115200 baud);
//! - `led[1]` an `alert` was seen (a violation or a TRNG alarm), held until reset;
//! - `led[2]` toggles on every `irq` (a command or ZEROIZE finished);
//! - `led[3]` UART activity, stretched by 8192 bit times (71 ms at 115200 baud) so a single
//!   byte is visible.

use rust_hdl::prelude::*;

pub const LEDS_NAME: &str = "scu_board_leds";
pub const STRETCH_BIT_TIMES: u64 = 8191;

#[derive(LogicBlock)]
pub struct StatusLeds {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub clocks_per_bit: Signal<In, Bits<16>>,
    pub alert: Signal<In, Bit>,
    pub irq: Signal<In, Bit>,
    pub activity: Signal<In, Bit>,
    pub led: Signal<Out, Bits<4>>,

    // Clocks within the current bit time, and bit times since reset.
    presc: DFF<Bits<16>>,
    beat: DFF<Bits<17>>,
    alert_seen: DFF<Bit>,
    irq_toggle: DFF<Bit>,
    stretch: DFF<Bits<13>>,

    k_stretch: Constant<Bits<13>>,
    tick: Signal<Local, Bit>,
    act_on: Signal<Local, Bit>,
}

impl Default for StatusLeds {
    fn default() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            clocks_per_bit: Default::default(),
            alert: Default::default(),
            irq: Default::default(),
            activity: Default::default(),
            led: Default::default(),
            presc: Default::default(),
            beat: Default::default(),
            alert_seen: Default::default(),
            irq_toggle: Default::default(),
            stretch: Default::default(),
            k_stretch: Constant::new(STRETCH_BIT_TIMES.into()),
            tick: Default::default(),
            act_on: Default::default(),
        }
    }
}

impl Logic for StatusLeds {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, presc, beat, alert_seen, irq_toggle, stretch);

        self.tick.next = self.presc.q.val() == (self.clocks_per_bit.val() - 1);
        self.presc.d.next = self.presc.q.val() + 1;
        if self.tick.val() {
            self.presc.d.next = 0.into();
            self.beat.d.next = self.beat.q.val() + 1;
        }
        if self.alert.val() {
            self.alert_seen.d.next = true;
        }
        if self.irq.val() {
            self.irq_toggle.d.next = !self.irq_toggle.q.val();
        }
        if self.activity.val() {
            self.stretch.d.next = self.k_stretch.val();
        } else if self.tick.val() & self.stretch.q.val().any() {
            self.stretch.d.next = self.stretch.q.val() - 1;
        }

        if self.reset.val() {
            self.presc.d.next = 0.into();
            self.beat.d.next = 0.into();
            self.alert_seen.d.next = false;
            self.irq_toggle.d.next = false;
            self.stretch.d.next = 0.into();
        }

        self.act_on.next = self.activity.val() | self.stretch.q.val().any();
        self.led.next = bit_cast::<4, 1>(self.beat.q.val().get_bit(16).into())
            | (bit_cast::<4, 1>(self.alert_seen.q.val().into()) << 1)
            | (bit_cast::<4, 1>(self.irq_toggle.q.val().into()) << 2)
            | (bit_cast::<4, 1>(self.act_on.val().into()) << 3);
    }
}
