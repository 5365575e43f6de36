//! The W×W → 2W multiplier leaf: the one piece of the ALU rust-hdl cannot express
//! (its `*` stops at 16×16), written as a plain Verilog product so that synthesis maps
//! it onto DSP blocks (iCE40 SB_MAC16, ECP5 MULT18X18D) or its own multiplier generator.

use rust_hdl::prelude::*;

use crate::emit::verilog::LEAF_MARKER;

/// The leaf's module name is this prefix followed by W.
pub const LEAF_NAME_PREFIX: &str = "scu_mul_w";

#[derive(LogicBlock, Default)]
pub struct Mul<const W: usize, const P: usize> {
    pub a: Signal<In, Bits<W>>,
    pub b: Signal<In, Bits<W>>,
    pub p: Signal<Out, Bits<P>>,
}

impl<const W: usize, const P: usize> Logic for Mul<W, P> {
    fn update(&mut self) {
        // Only for rust-hdl's own simulator; the product of the emitted leaf is what counts.
        let mut acc = Bits::<P>::default();
        for i in 0..W {
            if self.b.val().get_bit(i) {
                acc = acc + (bit_cast::<P, W>(self.a.val()) << (i as u64));
            }
        }
        self.p.next = acc;
    }

    fn connect(&mut self) {
        self.p.connect();
    }

    fn hdl(&self) -> Verilog {
        assert_eq!(P, 2 * W, "product width must be twice the word width");
        Verilog::Custom(format!(
            "{LEAF_MARKER}{}{W}\n    // Both operands are widened first so the product is computed at full width.\n    assign p = {{{{{W}{{1'b0}}}}, a}} * {{{{{W}{{1'b0}}}}, b}};",
            LEAF_NAME_PREFIX
        ))
    }
}
