//! UART receiver, 8N1 (`docs/uart.md`, "Receiver"). The bit time is an input, so one module
//! serves every board's clock and baud rate.
//!
//! The line passes two flip-flops first: it is asynchronous to `clock`, and the first flop
//! may go metastable. A falling edge starts a byte; the start bit must still be low half a
//! bit time later (otherwise it was a glitch and the receiver returns to idle), and from
//! there every bit is sampled one bit time after the previous one, i.e. in its middle. A byte
//! whose stop bit is 0 is a framing error: it is dropped, `valid` does not pulse.

use rust_hdl::prelude::*;

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
pub enum RxState {
    Idle,
    Start,
    Data,
    Stop,
}

#[derive(LogicBlock, Default)]
pub struct UartRx {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// Bit time in clocks (at least 4).
    pub clocks_per_bit: Signal<In, Bits<16>>,
    pub line: Signal<In, Bit>,
    /// The byte received, valid in the cycle `valid` is 1.
    pub data: Signal<Out, Bits<8>>,
    /// One-cycle pulse per byte with a good stop bit.
    pub valid: Signal<Out, Bit>,
    /// A byte is being received (from the start edge to the middle of the stop bit).
    pub busy: Signal<Out, Bit>,
    /// While idle, one pulse per bit time, counted from the end of the last byte (the bridge
    /// measures silence with it).
    pub idle_tick: Signal<Out, Bit>,

    sync1: DFF<Bit>,
    sync2: DFF<Bit>,
    state: DFF<RxState>,
    cnt: DFF<Bits<16>>,
    bit_n: DFF<Bits<3>>,
    shift: DFF<Bits<8>>,
    data_r: DFF<Bits<8>>,
    valid_r: DFF<Bit>,

    half: Signal<Local, Bits<16>>,
    cnt_inc: Signal<Local, Bits<16>>,
}

impl Logic for UartRx {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, sync1, sync2, state, cnt, bit_n, shift, data_r, valid_r);

        self.sync1.d.next = self.line.val();
        self.sync2.d.next = self.sync1.q.val();
        self.half.next = self.clocks_per_bit.val() >> 1;
        self.cnt_inc.next = self.cnt.q.val() + 1;
        self.valid_r.d.next = false;

        match self.state.q.val() {
            RxState::Idle => {
                // The bit-time counter keeps running, for `idle_tick`.
                self.cnt.d.next = self.cnt_inc.val();
                if self.cnt_inc.val() == self.clocks_per_bit.val() {
                    self.cnt.d.next = 0.into();
                }
                if !self.sync2.q.val() {
                    self.cnt.d.next = 0.into();
                    self.state.d.next = RxState::Start;
                }
            }
            RxState::Start => {
                self.cnt.d.next = self.cnt_inc.val();
                if self.cnt.q.val() == self.half.val() {
                    self.cnt.d.next = 0.into();
                    self.bit_n.d.next = 0.into();
                    self.state.d.next = RxState::Idle;
                    if !self.sync2.q.val() {
                        self.state.d.next = RxState::Data;
                    }
                }
            }
            RxState::Data => {
                self.cnt.d.next = self.cnt_inc.val();
                if self.cnt_inc.val() == self.clocks_per_bit.val() {
                    self.cnt.d.next = 0.into();
                    // LSB first: each bit enters at the top and moves down.
                    self.shift.d.next = (self.shift.q.val() >> 1)
                        | (bit_cast::<8, 1>(self.sync2.q.val().into()) << 7);
                    self.bit_n.d.next = self.bit_n.q.val() + 1;
                    if self.bit_n.q.val().all() {
                        self.state.d.next = RxState::Stop;
                    }
                }
            }
            _ => {
                self.cnt.d.next = self.cnt_inc.val();
                if self.cnt_inc.val() == self.clocks_per_bit.val() {
                    self.cnt.d.next = 0.into();
                    self.state.d.next = RxState::Idle;
                    if self.sync2.q.val() {
                        self.data_r.d.next = self.shift.q.val();
                        self.valid_r.d.next = true;
                    }
                }
            }
        }

        if self.reset.val() {
            // The synchroniser resets to the idle line level so no false start follows reset.
            self.sync1.d.next = true;
            self.sync2.d.next = true;
            self.state.d.next = RxState::Idle;
            self.cnt.d.next = 0.into();
            self.bit_n.d.next = 0.into();
            self.shift.d.next = 0.into();
            self.data_r.d.next = 0.into();
            self.valid_r.d.next = false;
        }

        self.data.next = self.data_r.q.val();
        self.valid.next = self.valid_r.q.val();
        self.busy.next = self.state.q.val() != RxState::Idle;
        self.idle_tick.next = (self.state.q.val() == RxState::Idle)
            & self.sync2.q.val()
            & (self.cnt_inc.val() == self.clocks_per_bit.val());
    }
}
