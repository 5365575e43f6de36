//! VERIFY: R = u1·G + u2·Q by a joint double-and-add (Shamir's trick) over the affine table
//! {G, Q, G + Q} with a Jacobian accumulator, then the check x_R ≡ r (mod n) without inverting.
//!
//! Everything here is public (the key, the signature, the digest), so the microcode branches
//! freely: on the bits of u1 and u2 (`NEXTF`), and on the exceptional cases of the addition —
//! accumulator at infinity, accumulator equal to the added point (doubling) or its negative
//! (result O). That keeps both formulas the cheap incomplete ones: a = −3 doubling 3M + 5S,
//! mixed addition 8M + 3S.

use crate::field_alu::Modulus::{N, P};

use super::super::asm::{Asm, Label};
use super::super::isa::Status;
use super::checks::emit_check_scalar;
use super::reg::*;
use super::{konst, Const, Routines, C0};

/// The accumulator (AX : AY : AZ), Jacobian; AZ = 0 is O.
const AX: u8 = XA;
const AY: u8 = YA;
const AZ: u8 = XB;
/// The affine point being added (Montgomery).
const TX: u8 = YB;
const TY: u8 = KS;
/// u1, u2 live only until they are in K and K2.
const U1: u8 = POOL[0];
const U2: u8 = POOL[1];
/// G + Q, affine; GQZ = 0 marks G + Q = O (Q = −G). Written after the last inversion.
const GQX: u8 = POOL[2];
const GQY: u8 = POOL[3];
const GQZ: u8 = POOL[4];

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

/// acc ← 2·acc (dbl-2001-b, a = −3: 3M + 5S). O stays O (AZ' = 2·AY·AZ). Uses T0–T3.
pub(super) fn dbl(a: &mut Asm, entry: Label) {
    a.bind(entry);
    a.mul(T0, AZ, AZ, P); // δ = Z²
    a.mul(T1, AY, AY, P); // γ = Y²
    a.mul(AZ, AY, AZ, P);
    a.add(AZ, AZ, AZ, P); // Z' = 2YZ
    a.add(T1, T1, T1, P); // 2γ
    a.mul(T2, AX, T1, P); // 2β = 2Xγ
    a.add(T2, T2, T2, P); // 4β
    a.sub(T3, AX, T0, P);
    a.add(T0, AX, T0, P);
    a.mul(T0, T3, T0, P);
    a.add(T3, T0, T0, P);
    a.add(T0, T3, T0, P); // α = 3(X − δ)(X + δ)
    a.add(T3, T2, T2, P); // 8β
    a.mul(AX, T0, T0, P);
    a.sub(AX, AX, T3, P); // X' = α² − 8β
    a.sub(T2, T2, AX, P);
    a.mul(T2, T0, T2, P); // α(4β − X')
    a.mul(T1, T1, T1, P); // 4γ²
    a.add(T1, T1, T1, P); // 8γ²
    a.sub(AY, T2, T1, P); // Y'
    a.ret();
}

/// acc ← acc + (TX, TY) (madd-2004-hmv: 8M + 3S), with the exceptional cases branched on:
/// acc = O loads T; acc = T tail-jumps to `dbl`; acc = −T gives O. Uses T0–T4.
pub(super) fn madd(a: &mut Asm, entry: Label, dbl: Label) {
    let (load_t, h_zero) = (a.label(), a.label());
    a.bind(entry);
    a.eq(AZ, ZERO);
    a.bf(load_t);
    a.mul(T0, AZ, AZ, P);
    a.mul(T1, T0, AZ, P);
    a.mul(T0, T0, TX, P); // U2 = x·Z²
    a.mul(T1, T1, TY, P); // S2 = y·Z³
    a.sub(T0, T0, AX, P); // H
    a.sub(T1, T1, AY, P); // r
    a.eq(T0, ZERO);
    a.bf(h_zero);
    a.mul(AZ, AZ, T0, P); // Z' = Z·H
    a.mul(T2, T0, T0, P); // H²
    a.mul(T3, T2, T0, P); // H³
    a.mul(T2, T2, AX, P); // X·H²
    a.add(T4, T2, T2, P);
    a.mul(AX, T1, T1, P);
    a.sub(AX, AX, T4, P);
    a.sub(AX, AX, T3, P); // X' = r² − 2XH² − H³
    a.sub(T2, T2, AX, P);
    a.mul(T2, T2, T1, P);
    a.mul(T3, T3, AY, P);
    a.sub(AY, T2, T3, P); // Y' = r(XH² − X') − Y·H³
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
