//! Jacobian formulas for a = −3, shared by the comb (`comb.rs`) and VERIFY (`verify.rs`):
//! (X : Y : Z) stands for (X/Z², Y/Z³); Z = 0 is O. Neither formula is complete — their
//! callers rule the exceptional cases out (`comb.rs`) or branch on them (`verify.rs`).
//!
//! Every emitter takes its input and output registers separately and works for both
//! `out == in` (in place) and disjoint registers: each output is written only after the
//! last read of the input it may alias.

use crate::field_alu::Modulus::P;

use super::super::asm::Asm;
use super::super::isa::Reg;
use super::reg::*;

/// out ← 2·in (dbl-2001-b, 3M + 5S, 12 additions). O stays O: Z' = 2YZ. Uses T0–T3.
pub(super) fn emit_dbl(a: &mut Asm, [x, y, z]: [Reg; 3], [x3, y3, z3]: [Reg; 3]) {
    a.mul(T0, z, z, P); // δ = Z²
    a.mul(T1, y, y, P); // γ = Y²
    a.mul(z3, y, z, P);
    a.add(z3, z3, z3, P); // Z' = 2YZ
    a.add(T1, T1, T1, P); // 2γ
    a.mul(T2, x, T1, P); // 2β = 2Xγ
    a.add(T2, T2, T2, P); // 4β
    a.sub(T3, x, T0, P);
    a.add(T0, x, T0, P);
    a.mul(T0, T3, T0, P);
    a.add(T3, T0, T0, P);
    a.add(T0, T3, T0, P); // α = 3(X − δ)(X + δ)
    a.add(T3, T2, T2, P); // 8β
    a.mul(x3, T0, T0, P);
    a.sub(x3, x3, T3, P); // X' = α² − 8β
    a.sub(T2, T2, x3, P);
    a.mul(T2, T0, T2, P); // α(4β − X')
    a.mul(T1, T1, T1, P); // 4γ²
    a.add(T1, T1, T1, P); // 8γ²
    a.sub(y3, T2, T1, P); // Y'
}

/// First half of in + (x2, y2) for an affine (x2, y2): T0 ← H = x2·Z² − X, T1 ← r = y2·Z³ − Y.
/// H = 0 means in = ±(x2, y2) (r = 0: equal) or in = O.
pub(super) fn emit_madd_h_r(a: &mut Asm, [x, y, z]: [Reg; 3], [x2, y2]: [Reg; 2]) {
    a.mul(T0, z, z, P);
    a.mul(T1, T0, z, P);
    a.mul(T0, T0, x2, P);
    a.mul(T1, T1, y2, P);
    a.sub(T0, T0, x, P); // H
    a.sub(T1, T1, y, P); // r
}

/// Second half (madd-2004-hmv, 8M + 3S with the first half, 7 additions): out ← in + (x2, y2)
/// from H and r in T0, T1, valid for H ≠ 0. Uses T0–T4.
pub(super) fn emit_madd_finish(a: &mut Asm, [x, y, z]: [Reg; 3], [x3, y3, z3]: [Reg; 3]) {
    a.mul(z3, z, T0, P); // Z' = Z·H
    a.mul(T2, T0, T0, P); // H²
    a.mul(T3, T2, T0, P); // H³
    a.mul(T2, T2, x, P); // X·H²
    a.add(T4, T2, T2, P);
    a.mul(x3, T1, T1, P);
    a.sub(x3, x3, T4, P);
    a.sub(x3, x3, T3, P); // X' = r² − 2XH² − H³
    a.sub(T2, T2, x3, P);
    a.mul(T2, T2, T1, P);
    a.mul(T3, T3, y, P);
    a.sub(y3, T2, T3, P); // Y' = r(XH² − X') − Y·H³
}
