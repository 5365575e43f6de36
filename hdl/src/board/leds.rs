//! The board's status LEDs (`docs/board.md`), active high; the FPGA top applies the board's
//! polarity and keeps as many as the board has.
//!
//! - `led[0]` heartbeat: bit 16 of a counter of bit times, so it blinks at the same rate on
//!   every board (65536 bit times per half period: 1.14 s per blink at 115200 baud);
//! - `led[1]` an `alert` was seen (a violation or a TRNG alarm), held until reset;
//! - `led[2]` toggles on every `irq` (a command or ZEROIZE finished);
//! - `led[3]` UART activity, stretched so that a single byte is visible: on while a byte is
//!   on the line and until the end of the next 8192-bit-time window of the heartbeat counter
//!   (71 to 142 ms at 115200 baud). Two flags instead of a countdown: the counter is there.

use rust_hdl::prelude::*;

pub const LEDS_NAME: &str = "scu_board_leds";
/// The activity LED's window, in bit times (`beat` bits 12:0 roll over).
pub const STRETCH_WINDOW: u64 = 8192;

#[derive(LogicBlock, Default)]
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
    // Activity in the current window, and in the previous one.
    act_now: DFF<Bit>,
    act_prev: DFF<Bit>,

    presc_inc: Signal<Local, Bits<16>>,
    tick: Signal<Local, Bit>,
    window_end: Signal<Local, Bit>,
    act_on: Signal<Local, Bit>,
}

impl Logic for StatusLeds {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, presc, beat, alert_seen, irq_toggle, act_now, act_prev);

        self.presc_inc.next = self.presc.q.val() + 1;
        self.tick.next = self.presc_inc.val() == self.clocks_per_bit.val();
        self.presc.d.next = self.presc_inc.val();
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
        self.window_end.next = self.tick.val() & self.beat.q.val().get_bits::<13>(0).all();
        if self.window_end.val() {
            self.act_prev.d.next = self.act_now.q.val();
            self.act_now.d.next = false;
        }
        if self.activity.val() {
            self.act_now.d.next = true;
        }

        if self.reset.val() {
            self.presc.d.next = 0.into();
            self.beat.d.next = 0.into();
            self.alert_seen.d.next = false;
            self.irq_toggle.d.next = false;
            self.act_now.d.next = false;
            self.act_prev.d.next = false;
        }

        self.act_on.next = self.activity.val() | self.act_now.q.val() | self.act_prev.q.val();
        self.led.next = bit_cast::<4, 1>(self.beat.q.val().get_bit(16).into())
            | (bit_cast::<4, 1>(self.alert_seen.q.val().into()) << 1)
            | (bit_cast::<4, 1>(self.irq_toggle.q.val().into()) << 2)
            | (bit_cast::<4, 1>(self.act_on.val().into()) << 3);
    }
}
