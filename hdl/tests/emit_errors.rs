//! The emitter refuses what it cannot print faithfully, with a message naming the cause.

use rust_hdl::prelude::*;
use scu_hdl::emit;

#[derive(LogicBlock, Default)]
struct KeywordPort {
    input_a: Signal<In, Bits<4>>,
    bit: Signal<Out, Bits<4>>,
}

impl Logic for KeywordPort {
    #[hdl_gen]
    fn update(&mut self) {
        self.bit.next = self.input_a.val();
    }
}

#[derive(LogicBlock, Default)]
struct NarrowExpression {
    a: Signal<In, Bits<8>>,
    b: Signal<In, Bits<8>>,
    y: Signal<Out, Bits<4>>,
}

impl Logic for NarrowExpression {
    #[hdl_gen]
    fn update(&mut self) {
        self.y.next = bit_cast::<4, 8>(self.a.val() + self.b.val());
    }
}

// `Second` is never built: the enum only has to have a state the match leaves uncovered.
#[allow(dead_code)]
#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
enum Two {
    First,
    Second,
}

#[derive(LogicBlock, Default)]
struct NoDefaultArm {
    s: Signal<In, Two>,
    y: Signal<Out, Bit>,
}

impl Logic for NoDefaultArm {
    #[hdl_gen]
    fn update(&mut self) {
        self.y.next = false;
        // Exhaustive for Rust; the emitter still wants `_ =>` so every case has a defined default.
        match self.s.val() {
            Two::First => self.y.next = true,
            Two::Second => self.y.next = false,
        }
    }
}

#[test]
fn keyword_names_are_refused() {
    let err = emit::emit("scu_kw", &mut KeywordPort::default()).unwrap_err();
    assert!(
        err.contains("`bit` is a Verilog/SystemVerilog keyword"),
        "{err}"
    );
}

#[test]
fn top_names_must_be_prefixed() {
    let err = emit::emit("top", &mut NarrowExpression::default()).unwrap_err();
    assert!(err.contains("must start with `scu_`"), "{err}");
}

#[test]
fn narrowing_an_expression_is_refused() {
    let err = emit::emit("scu_narrow", &mut NarrowExpression::default()).unwrap_err();
    assert!(err.contains("narrow only signals"), "{err}");
}

#[test]
fn matches_need_a_default_arm() {
    let err = emit::emit("scu_nodefault", &mut NoDefaultArm::default()).unwrap_err();
    assert!(err.contains("`_ =>` arm"), "{err}");
}
