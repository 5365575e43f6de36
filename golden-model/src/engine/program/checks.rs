//! Range checks of the inputs. Range checks need no comparator: for x < 2²⁵⁶,
//! `ADD(x, 0, m) == x ⇔ x < m` (the ALU subtracts m exactly when x ≥ m), and
//! `x ≠ 0 ⇔ !EQ(x, ZERO)`.

use crate::field_alu::Modulus::{N, P};

use super::super::asm::{Asm, Label};
use super::super::isa::{Reg, Status};
use super::reg::*;
use super::{konst, Const};

/// Jump to `bad` unless 1 ≤ R[x] ≤ n − 1. Uses T0.
pub(super) fn emit_check_scalar(a: &mut Asm, x: Reg, bad: Label) {
    a.add(T0, x, ZERO, N);
    a.eq(T0, x);
    a.bnf(bad);
    a.eq(x, ZERO);
    a.bf(bad);
}

/// Validate the raw affine point (QX, QY): both < p and y² = x³ − 3x + b.
/// Out: PX = x·R, PY = y·R. Stops with BAD_POINT otherwise. Clobbers T0–T3.
pub(super) fn check_point(a: &mut Asm, entry: Label) {
    a.bind(entry);
    let bad = a.label();
    a.add(T0, QX, ZERO, P);
    a.eq(T0, QX);
    a.bnf(bad);
    a.add(T0, QY, ZERO, P);
    a.eq(T0, QY);
    a.bnf(bad);
    konst(a, T0, Const::R2P);
    a.mul(PX, QX, T0, P);
    a.mul(PY, QY, T0, P);
    a.mul(T1, PY, PY, P); // y²
    a.mul(T2, PX, PX, P);
    a.mul(T2, T2, PX, P); // x³
    a.add(T3, PX, PX, P);
    a.add(T3, T3, PX, P); // 3x
    a.sub(T2, T2, T3, P);
    konst(a, T3, Const::BMont);
    a.add(T2, T2, T3, P); // x³ − 3x + b
    a.eq(T1, T2);
    a.bnf(bad);
    a.ret();
    a.bind(bad);
    a.fail(Status::BadPoint);
}
