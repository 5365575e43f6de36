//! KEYGEN, ECDH and SIGN: the commands that multiply a secret scalar. Between the input
//! checks and `DONE` they run one fixed instruction sequence; the only branches are to `FAIL`
//! (see `docs/engine.md`, "Constant time").

use crate::field_alu::Modulus::N;

use super::super::asm::Asm;
use super::super::isa::Status;
use super::checks::emit_check_scalar;
use super::comb::emit_unfold_y;
use super::reg::*;
use super::{konst, Const, Routines};

/// Q = d·G.
pub(super) fn keygen(a: &mut Asm, rt: &Routines) -> u16 {
    let start = a.here();
    let bad = a.label();
    konst(a, ZERO, Const::Zero);
    emit_check_scalar(a, D, bad);
    a.mov(KS, D);
    a.call(rt.comb);
    a.call(rt.inv_p);
    a.call(rt.comb_affine_xy);
    emit_unfold_y(a, D);
    a.done();
    a.bind(bad);
    a.fail(Status::BadScalar);
    start
}

/// x of d·P.
///
/// No check for d·P = O: P is valid, so it has the prime order n, and 1 ≤ d < n.
pub(super) fn ecdh(a: &mut Asm, rt: &Routines) -> u16 {
    let start = a.here();
    let bad_scalar = a.label();
    konst(a, ZERO, Const::Zero);
    emit_check_scalar(a, D, bad_scalar);
    a.call(rt.check_point); // stops with BAD_POINT itself; → PX, PY
    a.mov(KS, D);
    a.call(rt.ladder);
    a.call(rt.inv_p);
    a.call(rt.affine_x);
    a.done();
    a.bind(bad_scalar);
    a.fail(Status::BadScalar);
    start
}

/// (r, s) with r = x(k·G) mod n, s = k⁻¹(e + r·d) mod n.
pub(super) fn sign(a: &mut Asm, rt: &Routines) -> u16 {
    let start = a.here();
    let (bad, r_zero, s_zero) = (a.label(), a.label(), a.label());
    konst(a, ZERO, Const::Zero);
    emit_check_scalar(a, D, bad);
    emit_check_scalar(a, NONCE, bad);
    a.add(E, Z, ZERO, N); // e = z mod n (z < 2^256 < 2n: one subtraction is enough)
    a.mov(KS, NONCE);
    a.call(rt.comb);
    a.call(rt.inv_p);
    a.call(rt.comb_affine_x); // QX = x1 raw (< p < 2n); x(−R) = x(R), so no unfolding
    a.add(R, QX, ZERO, N); // r = x1 mod n

    // r = 0 is disclosed by the standard (the caller retries with a new k).
    a.eq(R, ZERO);
    a.bf(r_zero);
    konst(a, T0, Const::R2N);
    a.mul(IV, NONCE, T0, N); // k·R
    a.call(rt.inv_n); // IA = k⁻¹·R
    konst(a, T0, Const::R2N);
    a.mul(T1, D, T0, N); // d·R
    a.mul(T1, R, T1, N); // r·d (raw × Montgomery = raw)
    a.add(T1, E, T1, N); // e + r·d
    a.mul(S, T1, IA, N); // s = k⁻¹(e + r·d), raw
    a.eq(S, ZERO);
    a.bf(s_zero);
    a.done();
    a.bind(bad);
    a.fail(Status::BadScalar);
    a.bind(r_zero);
    a.fail(Status::RZero);
    a.bind(s_zero);
    a.fail(Status::SZero);
    start
}
