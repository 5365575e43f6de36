//! VERIFY: R = u1·G + u2·Q by a joint double-and-add (Shamir's trick) over the affine table
//! {G, Q, G + Q} with a Jacobian accumulator, then the check x_R ≡ r (mod n) without inverting.
//!
//! Everything here is public (the key, the signature, the digest), so the microcode branches
//! freely: on the bits of u1 and u2 (`NEXTF`), and on the exceptional cases of the addition —
//! accumulator at infinity, accumulator equal to the added point (doubling) or its negative
//! (result O). That keeps both formulas the cheap incomplete ones of `jacobian.rs`: a = −3
//! doubling 3M + 5S, mixed addition 8M + 3S.

use crate::field_alu::Modulus::{N, P};

use super::super::asm::{Asm, Label};
use super::super::isa::{Reg, Status};
use super::checks::emit_check_scalar;
use super::jacobian::{emit_dbl, emit_madd_finish, emit_madd_h_r};
use super::reg::*;
use super::{konst, Const, Routines, C0};

/// The accumulator (AX : AY : AZ), Jacobian; AZ = 0 is O.
const AX: Reg = XA;
const AY: Reg = YA;
const AZ: Reg = XB;
/// The affine point being added (Montgomery).
const TX: Reg = YB;
const TY: Reg = KS;
/// u1, u2 live only until they are in K and K2.
const U1: Reg = POOL[0];
const U2: Reg = POOL[1];
/// G + Q, affine; GQZ = 0 marks G + Q = O (Q = −G). Written after the last inversion.
const GQX: Reg = POOL[2];
const GQY: Reg = POOL[3];
const GQZ: Reg = POOL[4];

/// OK iff x(u1·G + u2·Q) ≡ r (mod n).
pub(super) fn verify(a: &mut Asm, rt: &Routines) -> u16 {
    let start = a.here();
    let (invalid, gq_done, ok) = (a.label(), a.label(), a.label());
    konst(a, ZERO, Const::Zero);
    emit_check_scalar(a, R, invalid);
    emit_check_scalar(a, S, invalid);
    a.call(rt.check_point); // stops with BAD_POINT itself; → PX, PY = Q
    a.add(E, Z, ZERO, N);
    konst(a, T0, Const::R2N);
    a.mul(IV, S, T0, N); // s·R
    a.call(rt.inv_n); // IA = w·R, w = s⁻¹
    a.mul(U1, E, IA, N); // u1 = e·w (raw)
    a.mul(U2, R, IA, N); // u2 = r·w (raw)
    a.ldk(U1);
    a.ldk2(U2);

    // G + Q, through the same addition (so Q = ±G takes its doubling / O paths).
    a.mov(AX, PX);
    a.mov(AY, PY);
    konst(a, AZ, Const::OneP);
    load_g(a);
    a.call(rt.madd);
    a.eq(AZ, ZERO);
    a.bf(gq_done);
    a.mov(IV, AZ);
    a.call(rt.inv_p); // IA = 1/Z
    a.mul(T0, IA, IA, P);
    a.mul(GQX, AX, T0, P);
    a.mul(T0, T0, IA, P);
    a.mul(GQY, AY, T0, P);
    a.bind(gq_done);
    a.mov(GQZ, AZ);

    // acc = O, then per bit (from 255 down): acc ← 2·acc (+ G | Q | G + Q).
    konst(a, AX, Const::OneP);
    konst(a, AY, Const::OneP);
    a.mov(AZ, ZERO);
    let (top, g, gq, add, next) = (a.label(), a.label(), a.label(), a.label(), a.label());
    a.loop_(C0, 256);
    a.bind(top);
    a.call(rt.dbl);
    a.nextf(0);
    a.bf(g);
    a.nextf(1);
    a.bnf(next);
    a.mov(TX, PX);
    a.mov(TY, PY);
    a.jmp(add);
    a.bind(g);
    a.nextf(1);
    a.bf(gq);
    load_g(a);
    a.jmp(add);
    a.bind(gq);
    a.eq(GQZ, ZERO);
    a.bf(next);
    a.mov(TX, GQX);
    a.mov(TY, GQY);
    a.bind(add);
    a.call(rt.madd);
    a.bind(next);
    a.djnz(C0, top);

    // x_R = AX/AZ² ∈ [0, p) and r = x_R mod n, so x_R = r or x_R = r + n (only if r + n < p).
    a.eq(AZ, ZERO);
    a.bf(invalid);
    a.mul(T0, AZ, AZ, P);
    konst(a, T1, Const::R2P);
    a.mul(T2, R, T1, P); // r·R (r < n < p)
    a.mul(T2, T2, T0, P);
    a.eq(T2, AX);
    a.bf(ok);
    konst(a, T2, Const::NRaw);
    a.add(T2, R, T2, P); // r + n, or r + n − p < n if r + n ≥ p
    a.add(T3, T2, ZERO, N);
    a.eq(T3, T2);
    a.bf(invalid); // below n: r + n ≥ p, no second candidate
    a.mul(T2, T2, T1, P);
    a.mul(T2, T2, T0, P);
    a.eq(T2, AX);
    a.bnf(invalid);
    a.bind(ok);
    a.done();
    a.bind(invalid);
    a.fail(Status::InvalidSig);
    start
}

/// (TX, TY) ← G.
fn load_g(a: &mut Asm) {
    konst(a, TX, Const::GxMont);
    konst(a, TY, Const::GyMont);
}

/// acc ← 2·acc. O stays O.
pub(super) fn dbl(a: &mut Asm, entry: Label) {
    a.bind(entry);
    emit_dbl(a, [AX, AY, AZ], [AX, AY, AZ]);
    a.ret();
}

/// acc ← acc + (TX, TY), with the exceptional cases branched on: acc = O loads T; acc = T
/// tail-jumps to `dbl`; acc = −T gives O.
pub(super) fn madd(a: &mut Asm, entry: Label, dbl: Label) {
    let (load_t, h_zero) = (a.label(), a.label());
    a.bind(entry);
    a.eq(AZ, ZERO);
    a.bf(load_t);
    emit_madd_h_r(a, [AX, AY, AZ], [TX, TY]);
    a.eq(T0, ZERO);
    a.bf(h_zero);
    emit_madd_finish(a, [AX, AY, AZ], [AX, AY, AZ]);
    a.ret();
    a.bind(h_zero);
    a.eq(T1, ZERO);
    a.bf(dbl);
    a.mov(AZ, ZERO);
    a.ret();
    a.bind(load_t);
    a.mov(AX, TX);
    a.mov(AY, TY);
    konst(a, AZ, Const::OneP);
    a.ret();
}
