//! UART transmitter, 8N1 (`docs/uart.md`, "Transmitter"): a start bit, eight data bits LSB
//! first, a stop bit, each `clocks_per_bit` clocks. The line comes straight from a flip-flop,
//! so it never glitches.

use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct UartTx {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub clocks_per_bit: Signal<In, Bits<16>>,
    /// Sampled only while `busy` is 0: send `data`.
    pub start: Signal<In, Bit>,
    pub data: Signal<In, Bits<8>>,
    pub line: Signal<Out, Bit>,
    /// From the edge that accepts `start` to the end of the stop bit (10 bit times).
    pub busy: Signal<Out, Bit>,

    busy_r: DFF<Bit>,
    line_r: DFF<Bit>,
    // The bits still to send after the one on the line: data then the stop bit.
    shift: DFF<Bits<9>>,
    bit_n: DFF<Bits<4>>,
    cnt: DFF<Bits<16>>,

    k_stop: Constant<Bits<9>>,
    k_last_bit: Constant<Bits<4>>,
    cnt_inc: Signal<Local, Bits<16>>,
}

impl Default for UartTx {
    fn default() -> Self {
        Self::new()
    }
}

impl UartTx {
    pub fn new() -> Self {
        Self {
            clock: Default::default(),
            reset: Default::default(),
            clocks_per_bit: Default::default(),
            start: Default::default(),
            data: Default::default(),
            line: Default::default(),
            busy: Default::default(),
            busy_r: Default::default(),
            line_r: Default::default(),
            shift: Default::default(),
            bit_n: Default::default(),
            cnt: Default::default(),
            k_stop: Constant::new(0x100.into()),
            k_last_bit: Constant::new(9.into()),
            cnt_inc: Default::default(),
        }
    }
}

impl Logic for UartTx {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, busy_r, line_r, shift, bit_n, cnt);

        self.cnt_inc.next = self.cnt.q.val() + 1;
        if self.busy_r.q.val() {
            self.cnt.d.next = self.cnt_inc.val();
            if self.cnt_inc.val() == self.clocks_per_bit.val() {
                self.cnt.d.next = 0.into();
                self.bit_n.d.next = self.bit_n.q.val() + 1;
                if self.bit_n.q.val() == self.k_last_bit.val() {
                    // The stop bit has lasted its bit time; the line stays high.
                    self.busy_r.d.next = false;
                } else {
                    self.line_r.d.next = self.shift.q.val().get_bit(0);
                    self.shift.d.next = self.shift.q.val() >> 1;
                }
            }
        } else if self.start.val() {
            self.busy_r.d.next = true;
            self.line_r.d.next = false;
            self.shift.d.next = bit_cast::<9, 8>(self.data.val()) | self.k_stop.val();
            self.bit_n.d.next = 0.into();
            self.cnt.d.next = 0.into();
        }

        if self.reset.val() {
            self.busy_r.d.next = false;
            self.line_r.d.next = true;
            self.shift.d.next = 0.into();
            self.bit_n.d.next = 0.into();
            self.cnt.d.next = 0.into();
        }

        self.line.next = self.line_r.q.val();
        self.busy.next = self.busy_r.q.val();
    }
}
