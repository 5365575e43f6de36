//! A 258-bit two-operand add with carry-in, as a carry-select add in three parts of 86 bits:
//! the full-width correction's sums (`docs/field-alu.md`, "Full-width correction"). As one
//! carry chain, x + y + m + 1 behind the operand selects was the routed critical path of the
//! W = 128 ALU (20.3 ns on the ECP5-6); in three parts each chain is a third as long and the
//! two upper parts wait only for a multiplexer each.

use rust_hdl::prelude::*;

#[derive(LogicBlock)]
pub struct WideAdd {
    pub x: Signal<In, Bits<258>>,
    pub y: Signal<In, Bits<258>>,
    pub cin: Signal<In, Bits<1>>,
    /// x + y + cin mod 2²⁵⁸.
    pub sum: Signal<Out, Bits<258>>,
    k_one: Constant<Bits<9>>,
    k_lsb: Constant<Bits<88>>,
    k_s86: Constant<Bits<9>>,
    k_s172: Constant<Bits<9>>,
    /// Each part as (2u + c) + (2v + c) for carry-in c: bit 0 is 0, bits 86..1 the sum, and
    /// bit 87 the carry out — one carry chain with its carry-in folded in, never an
    /// incrementer behind an adder. The upper two parts for carry-in 0 (`a`) and 1 (`b`).
    s0: Signal<Local, Bits<88>>,
    s1a: Signal<Local, Bits<88>>,
    s1b: Signal<Local, Bits<88>>,
    s1: Signal<Local, Bits<88>>,
    s2a: Signal<Local, Bits<88>>,
    s2b: Signal<Local, Bits<88>>,
    s2: Signal<Local, Bits<88>>,
    x0: Signal<Local, Bits<88>>,
    y0: Signal<Local, Bits<88>>,
    x1: Signal<Local, Bits<88>>,
    y1: Signal<Local, Bits<88>>,
    x2: Signal<Local, Bits<88>>,
    y2: Signal<Local, Bits<88>>,
}

impl Default for WideAdd {
    fn default() -> Self {
        Self::new()
    }
}

impl WideAdd {
    pub fn new() -> Self {
        Self {
            k_one: Constant::new(1.into()),
            k_lsb: Constant::new(1.into()),
            k_s86: Constant::new(86.into()),
            k_s172: Constant::new(172.into()),
            x: Default::default(),
            y: Default::default(),
            cin: Default::default(),
            sum: Default::default(),
            s0: Default::default(),
            s1a: Default::default(),
            s1b: Default::default(),
            s1: Default::default(),
            s2a: Default::default(),
            s2b: Default::default(),
            s2: Default::default(),
            x0: Default::default(),
            y0: Default::default(),
            x1: Default::default(),
            y1: Default::default(),
            x2: Default::default(),
            y2: Default::default(),
        }
    }
}

impl Logic for WideAdd {
    #[hdl_gen]
    fn update(&mut self) {
        self.x0.next = (bit_cast::<88, 86>(self.x.val().get_bits::<86>(0)) << self.k_one.val())
            | bit_cast::<88, 1>(self.cin.val());
        self.y0.next = (bit_cast::<88, 86>(self.y.val().get_bits::<86>(0)) << self.k_one.val())
            | bit_cast::<88, 1>(self.cin.val());
        self.x1.next = bit_cast::<88, 86>(self.x.val().get_bits::<86>(86)) << self.k_one.val();
        self.y1.next = bit_cast::<88, 86>(self.y.val().get_bits::<86>(86)) << self.k_one.val();
        self.x2.next = bit_cast::<88, 86>(self.x.val().get_bits::<86>(172)) << self.k_one.val();
        self.y2.next = bit_cast::<88, 86>(self.y.val().get_bits::<86>(172)) << self.k_one.val();
        self.s0.next = self.x0.val() + self.y0.val();
        self.s1a.next = self.x1.val() + self.y1.val();
        self.s1b.next = (self.x1.val() | self.k_lsb.val()) + (self.y1.val() | self.k_lsb.val());
        self.s1.next = self.s1a.val();
        if self.s0.val().get_bit(87) {
            self.s1.next = self.s1b.val();
        }
        self.s2a.next = self.x2.val() + self.y2.val();
        self.s2b.next = (self.x2.val() | self.k_lsb.val()) + (self.y2.val() | self.k_lsb.val());
        self.s2.next = self.s2a.val();
        if self.s1.val().get_bit(87) {
            self.s2.next = self.s2b.val();
        }
        // The top part's carry out (bit 258 of the sum) is dropped, as a 258-bit sum drops it.
        self.sum.next = (bit_cast::<258, 86>(self.s2.val().get_bits::<86>(1)) << self.k_s172.val())
            | (bit_cast::<258, 86>(self.s1.val().get_bits::<86>(1)) << self.k_s86.val())
            | bit_cast::<258, 86>(self.s0.val().get_bits::<86>(1));
    }
}
