//! A combinational block that exercises every construct the emitter prints — wrapping
//! arithmetic, widening and narrowing casts, comparisons, shifts by constants and by
//! signals, variable part-selects, reductions, enum matches, else-if chains — so that a
//! co-simulation test can hold the emitted Verilog to rust-hdl's own Rust semantics
//! (`tests/emit_check.rs`). It is a test fixture, not part of the SCU.

use crate::emit::{self, Design};
use rust_hdl::prelude::*;

/// The fixture as a design for the co-simulation catalog.
pub fn design() -> Design {
    let top = "scu_emit_check";
    let (modules, ports) = emit::emit(top, &mut EmitCheck::default()).expect("emit_check emits");
    Design {
        block: "emit_check".into(),
        preset: "fixture".into(),
        top: top.into(),
        params: Default::default(),
        modules,
        ports,
        clock: None,
        reset: None,
    }
}

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
pub enum Mode {
    Add,
    Sub,
    Xor,
    Shift,
    Pick,
}

#[derive(LogicBlock)]
pub struct EmitCheck {
    pub x: Signal<In, Bits<8>>,
    pub y: Signal<In, Bits<8>>,
    pub big: Signal<In, Bits<256>>,
    pub sel: Signal<In, Bits<3>>,
    pub wrap_sum: Signal<Out, Bits<8>>,
    pub full_sum: Signal<Out, Bits<9>>,
    pub diff: Signal<Out, Bits<8>>,
    pub lt: Signal<Out, Bit>,
    pub ge: Signal<Out, Bit>,
    pub word: Signal<Out, Bits<16>>,
    pub low: Signal<Out, Bits<8>>,
    pub shifted: Signal<Out, Bits<256>>,
    pub var_shift: Signal<Out, Bits<8>>,
    pub any: Signal<Out, Bit>,
    pub all: Signal<Out, Bit>,
    pub parity: Signal<Out, Bit>,
    pub mode_out: Signal<Out, Bits<8>>,
    pub chain: Signal<Out, Bits<2>>,
    pub picked: Signal<Out, Bit>,
    mode: Signal<Local, Mode>,
    offset: Signal<Local, Bits<8>>,
    k_four: Constant<Bits<8>>,
    k_big: Constant<Bits<256>>,
}

impl Default for EmitCheck {
    fn default() -> Self {
        Self {
            x: Default::default(),
            y: Default::default(),
            big: Default::default(),
            sel: Default::default(),
            wrap_sum: Default::default(),
            full_sum: Default::default(),
            diff: Default::default(),
            lt: Default::default(),
            ge: Default::default(),
            word: Default::default(),
            low: Default::default(),
            shifted: Default::default(),
            var_shift: Default::default(),
            any: Default::default(),
            all: Default::default(),
            parity: Default::default(),
            mode_out: Default::default(),
            chain: Default::default(),
            picked: Default::default(),
            mode: Default::default(),
            offset: Default::default(),
            k_four: Constant::new(4u64.into()),
            k_big: Constant::new(Bits::<256>::from(
                num_bigint::BigUint::from(0xdead_beef_u64) << 200,
            )),
        }
    }
}

impl Logic for EmitCheck {
    #[hdl_gen]
    fn update(&mut self) {
        // An 8-bit add wraps in Rust; Verilog's context rules would keep the carry.
        self.wrap_sum.next = self.x.val() + self.y.val();
        self.full_sum.next = bit_cast::<9, 8>(self.x.val()) + bit_cast::<9, 8>(self.y.val());
        self.diff.next = self.x.val() - self.y.val();
        self.lt.next = self.x.val() < self.y.val();
        self.ge.next = self.x.val() >= self.y.val();
        self.offset.next = bit_cast::<8, 3>(self.sel.val()) << self.k_four.val();
        self.word.next = self.big.val().get_bits::<16>(self.offset.val().index());
        self.low.next = bit_cast::<8, 256>(self.big.val());
        self.shifted.next = (self.big.val() >> self.k_four.val()) ^ self.k_big.val();
        self.var_shift.next = self.x.val() << bit_cast::<8, 3>(self.sel.val());
        self.any.next = self.y.val().any();
        self.all.next = self.y.val().all();
        self.parity.next = self.x.val().xor();
        self.picked.next = self.big.val().get_bit(self.sel.val().index());

        self.mode.next = Mode::Pick;
        match self.sel.val().index() {
            0 => self.mode.next = Mode::Add,
            1 => self.mode.next = Mode::Sub,
            2 => self.mode.next = Mode::Xor,
            3 => self.mode.next = Mode::Shift,
            _ => {}
        }
        match self.mode.val() {
            Mode::Add => self.mode_out.next = self.x.val() + self.y.val(),
            Mode::Sub => self.mode_out.next = self.x.val() - self.y.val(),
            Mode::Xor => self.mode_out.next = self.x.val() ^ self.y.val(),
            Mode::Shift => self.mode_out.next = self.x.val() >> self.k_four.val(),
            _ => self.mode_out.next = !self.x.val(),
        }

        if self.x.val() == self.y.val() {
            self.chain.next = 0.into();
        } else if self.x.val() > self.y.val() {
            self.chain.next = 1.into();
        } else if self.sel.val().get_bit(0) {
            self.chain.next = 2.into();
        } else {
            self.chain.next = 3.into();
        }
    }
}
