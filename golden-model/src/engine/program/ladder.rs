//! Scalar multiplication k·P for ECDH (variable base): the (X, Y)-only co-Z Montgomery
//! ladder (Goundar, Joye, Miyaji, Rivain, Venelli, J. Cryptogr. Eng. 2011; Rivain 2011), 9M + 5S
//! per bit, with a fixed-length recoding of k and a final Z recovery from the base point.
//!
//! ## Co-Z points
//!
//! Two Jacobian points share one Z that is never stored: A = (XA, YA), B = (XB, YB) stand for
//! (XA : YA : Z) and (XB : YB : Z). XYCZ-ADDC (sum and difference) and XYCZ-ADD (sum, and the
//! first operand in the new frame) return their results with a new common Z' = Z·(x_q − x_p);
//! they are exact as long as no operand is O and x_p ≠ x_q.
//!
//! ## Why no input is exceptional (the argument of `docs/engine.md`, "Edge cases")
//!
//! The ladder keeps (R0, R1) = (j·P, (j+1)·P). One step on bit b computes R0 + R1 = (2j+1)·P
//! and R_b − R_{1−b} = ±P (XYCZ-ADDC), then their sum 2·R_b (XYCZ-ADD). Every operand is proper and
//! every x-difference non-zero iff j ≢ 0, −1, −1/2 (mod n).
//!
//! k ∈ [1, n−1] is recoded as k' = 2^257 + L ≡ k (mod n), L = SUB(k, 2^257 − 2n, n) ∈ [0, n):
//! k' = k + 2n if k ≥ 2^257 − 2n, else k + 3n. The ladder starts from the prefix "10", i.e.
//! (R0, R1) = (2P, 3P), and runs 256 steps over L's bits, so the prefix before step t is
//! j_t ∈ [2^(t+1), 3·2^t). Of the values n−1, n, (n−1)/2, (3n−1)/2 (all exceptional j below
//! 3·2^255) only (3n−1)/2 falls in such a range (t = 255), and j_255 = (3n−1)/2 means
//! k' ∈ {3n−1, 3n}, i.e. k = n−1. That scalar is replaced by the equal product 1·(−P) with an
//! `EQ`/`BITF`/`CSWAP` select — constant time, no branch. The start (doubling P, adding P to
//! 2P) needs only y_P ≠ 0 and 3P ≠ O, true for every point of a prime-order curve.
//!
//! ## Z recovery
//!
//! After the last step the difference ±P, which the last XYCZ-ADD consumed, is known in its frame:
//! its y coordinate in the final Z is V = ±y_P·Z³ (the sign is the last bit, fixed with a
//! CSWAP). So 1/Z³ = y_P / V, and with the curve equation Y² = X³ − 3XZ⁴ + bZ⁶ the affine
//! result follows without Z or Z² and without dividing by x_P (which is 0 for the valid points
//! (0, ±√b)): x = ((X³ − Y²)·Z⁻⁶ + b)/3 (and y = Y·Z⁻³, which ECDH does not need).
//!
//! ## Randomized coordinates
//!
//! The ladder starts from P = (λ²x : λ³y : λ) with the random λ of `randomize.rs` instead of
//! (x : y : 1), so the first common frame is Z = 2λ⁴y instead of 2y: the unrandomized frame
//! scaled by u = λ⁴. A co-Z operation maps a frame scaled by u to one scaled by u³ (Z' =
//! Z·(X₂ − X₁), and the X's scale by u²), so every frame is the unrandomized one times a power
//! of λ, never 0. Nothing above used Z = 1 at the start: the co-Z formulas never read Z, the
//! exceptional cases are those of the points, and the Z recovery only uses that ±P has the
//! Jacobian y = ±y_P·Z³ in the final frame, whatever Z is — with the affine y_P, which PY keeps.

use crate::field_alu::Modulus::{N, P};

use super::super::asm::{Asm, Label};
use super::super::isa::Reg;
use super::randomize::emit_lambda;
use super::reg::*;
use super::{konst, Const, C0};

/// k·P. In: PX, PY = P (Montgomery, affine, on the curve); KS = k ∈ [1, n−1] (raw);
/// RND = λ (raw, any 256-bit word). Out: (XA, YA) = k·P in the co-Z frame of Z; IV = y_P·Z³,
/// to be inverted mod p by the caller and handed to `affine_x` (which also reads PY —
/// possibly negated here — XA, YA). Clobbers KS, PY, XB, YB, T0–T4, RND, K, bit, flag, c0.
pub(super) fn ladder(a: &mut Asm, entry: Label) {
    a.bind(entry);
    emit_lambda(a);
    // k = n − 1 → (1, −P).
    konst(a, T0, Const::NMinus1);
    a.eq(KS, T0);
    a.bitf();
    konst(a, T0, Const::One);
    a.cswap(KS, T0);
    a.sub(T0, ZERO, PY, P);
    a.cswap(PY, T0);
    konst(a, T0, Const::LadderOffset);
    a.sub(KS, KS, T0, N); // L

    emit_initial_double(a); // A = 2P, B = P, in a frame randomized by λ
    emit_zaddu(a, [XA, YA], [XB, YB]); // A = 2P, B = 3P

    // The points stay arranged by the previous bit (A = R_b, B = R_{1−b}), so each step swaps
    // on b_i XOR b_{i+1} only. The first swap is L's top bit itself (the forced prefix bit is
    // 0): NEXTBIT takes it and the second LDK puts it back for NEXTBITX.
    a.ldk(KS);
    a.nextbit();
    a.ldk(KS);
    a.loop_(C0, 256);
    let top = a.label();
    a.bind(top);
    a.cswap(XA, XB);
    a.cswap(YA, YB);
    // A = 2·R_b, B = R0 + R1.
    emit_ladder_step(a);
    // The last NEXTBITX reads the 0 below L's bit 0, so it leaves b_0: the final unswap.
    a.nextbitx();
    a.djnz(C0, top);

    // The ±P of the last step, in the final frame: y = r·H³ + E with the values XYCZ-ADD left.
    a.mul(T1, T0, T3, P);
    a.add(T1, T1, YB, P);
    // Its sign is + iff b_0 = 1 (then it was R1 − R0 = P).
    a.sub(IV, ZERO, T1, P);
    a.cswap(IV, T1);
    a.cswap(XA, XB);
    a.cswap(YA, YB);
    a.ret();
}

/// After `ladder` and IA = IV⁻¹ (Montgomery mod p): QX ← the raw affine x of k·P (ECDH needs
/// no y). Clobbers T0–T2.
pub(super) fn affine_x(a: &mut Asm, entry: Label) {
    a.bind(entry);
    a.mul(T0, PY, IA, P); // Z⁻³
    a.mul(T1, XA, XA, P);
    a.mul(T1, T1, XA, P);
    a.mul(T2, YA, YA, P);
    a.sub(T1, T1, T2, P); // X³ − Y² = 3XZ⁴ − bZ⁶
    a.mul(T2, T0, T0, P);
    a.mul(T1, T1, T2, P);
    konst(a, T2, Const::BMont);
    a.add(T1, T1, T2, P); // 3x
    konst(a, T2, Const::Inv3);
    a.mul(QX, T1, T2, P); // x, raw
    a.ret();
}

/// A = 2P, B = P (XYCZ-IDBL, a = −3) from P = (λ²x : λ³y : λ), the affine PX, PY in the
/// frame λ = RND (Montgomery, ≠ 0; `randomize.rs`): with X, Y that representation,
/// M = 3(X² − λ⁴), S = 4XY², 2P = (M² − 2S, M(S − X') − 8Y⁴) and P = (S, 8Y⁴) in the new
/// common frame Z = 2Yλ. Only M sees λ beyond X and Y (the Z⁴ of the doubling); for λ = 1 these
/// are the affine formulas' values. PX, PY stay affine for the Z recovery.
fn emit_initial_double(a: &mut Asm) {
    a.mul(T0, RND, RND, P); // λ²
    a.mul(T1, T0, RND, P); // λ³
    a.mul(T3, PX, T0, P); // X
    a.mul(T4, PY, T1, P); // Y
    a.mul(T2, T0, T0, P); // λ⁴
    a.mul(T0, T3, T3, P);
    a.sub(T0, T0, T2, P);
    a.add(T1, T0, T0, P);
    a.add(T0, T1, T0, P); // M
    a.mul(T1, T4, T4, P);
    a.add(T1, T1, T1, P); // 2Y²
    a.mul(T2, T1, T1, P); // 4Y⁴
    a.add(YB, T2, T2, P); // 8Y⁴
    a.mul(T1, T3, T1, P);
    a.add(XB, T1, T1, P); // S
    a.mul(XA, T0, T0, P);
    a.sub(XA, XA, XB, P);
    a.sub(XA, XA, XB, P);
    a.sub(T2, XB, XA, P);
    a.mul(T2, T0, T2, P);
    a.sub(YA, T2, YB, P);
}

/// One ladder step on A = R_b, B = R_{1−b}: XYCZ-ADDC (B ← A + B, A ← A − B, 5M + 3S) then
/// XYCZ-ADD (A ← B + A, B ← B in the new frame, 4M + 2S). The difference's y is never
/// written: the addition only needs r = y_A − y_B, in which the common term y_A·H³ cancels.
/// Uses T0–T4 and leaves T0 = r and T3 = H³ of the addition (for the Z recovery).
fn emit_ladder_step(a: &mut Asm) {
    a.sub(T0, XB, XA, P);
    a.mul(T0, T0, T0, P); // H²
    a.mul(T1, XA, T0, P); // x_A·H²
    a.mul(T2, XB, T0, P); // x_B·H²
    a.sub(T0, YB, YA, P); // r of A + B
    a.add(T3, YB, YA, P); // −r of A − B
    a.sub(T4, T2, T1, P); // H³
    a.mul(T4, YA, T4, P); // y_A·H³
    a.add(T2, T1, T2, P);
    a.mul(XB, T0, T0, P);
    a.sub(XB, XB, T2, P); // x(A + B)
    a.mul(XA, T3, T3, P);
    a.sub(XA, XA, T2, P); // x(A − B)
    a.sub(YB, T1, XB, P);
    a.mul(YB, T0, YB, P);
    a.sub(YA, XA, T1, P);
    a.mul(YA, T3, YA, P);
    a.sub(T0, YA, YB, P); // y(A − B) − y(A + B)
    a.sub(YB, YB, T4, P); // y(A + B)
    emit_zaddu_core(a, [XB, YB], [XA, YA]);
}

/// XYCZ-ADD: q ← p + q, p ← p (co-Z update), 4M + 2S. Uses T0–T4.
fn emit_zaddu(a: &mut Asm, [x2, y2]: [Reg; 2], [x1, y1]: [Reg; 2]) {
    a.sub(T0, y1, y2, P); // r
    emit_zaddu_core(a, [x2, y2], [x1, y1]);
}

/// XYCZ-ADD with r = y_q − y_p already in T0 (y_q is not read). Leaves T0 = r, T3 = H³.
fn emit_zaddu_core(a: &mut Asm, [x2, y2]: [Reg; 2], [x1, y1]: [Reg; 2]) {
    a.sub(T1, x1, x2, P);
    a.mul(T1, T1, T1, P); // H²
    a.mul(x2, x2, T1, P);
    a.mul(T2, x1, T1, P);
    a.sub(T3, T2, x2, P); // H³
    a.mul(y2, y2, T3, P);
    a.add(T2, T2, x2, P);
    a.mul(x1, T0, T0, P);
    a.sub(x1, x1, T2, P);
    a.sub(T4, x2, x1, P);
    a.mul(T4, T0, T4, P);
    a.sub(y1, T4, y2, P);
}
