//! k·G for KEYGEN and SIGN: a 4-tooth Lim–Lee comb over a ROM table of 15 points, in Jacobian
//! coordinates (`jacobian.rs`).
//!
//! The scalar k = Σ_t Σ_i k_(64t+i)·2^(64t+i), so k·G = Σ_i 2^i·T[d_i] where the digit d_i has
//! bit t = k_(64t+i) and T[d] = Σ_t d_t·2^(64t)·G (computed here at assembly time). Left to
//! right, acc ← 2·acc + T[d_i]: 64 columns of one doubling and one mixed addition, 19
//! multiplications per column against the co-Z ladder's 4 × 14 for the same 4 bits.
//!
//! ## Constant time
//!
//! `COMBLD` loads the column's table entry with the digit (K's four taps) as the low address
//! bits of the constant ROM: two loads of 2 cycles each, whatever the digit. The ROM has no
//! cache and one fixed latency, so the secret address changes no cycle count; it is a power
//! and EM question like the register writes of the scan it replaced (15 entries offered to
//! CSEL, 74 cycles per column; `docs/engine.md`, "Constant time"). A digit 0 loads T[1]
//! anyway (the table's entry 0) and CSWAPs the doubled accumulator back: `COMBEQ 0` sets the
//! bit. The two secret-dependent conditions below are turned into `bit` by `EQ`/`BITF` and
//! only ever drive CSWAPs.
//!
//! ## Why the incomplete formulas never meet an exceptional case (`docs/engine.md`)
//!
//! k is first folded to k' = min(k, n − k) ≤ (n−1)/2 < 2^255 (k > (n−1)/2 ⇔ 2k ≥ n ⇔ 2k mod n
//! ≠ 2k mod p; the result's y is negated back by the caller with `emit_unfold_y`). After
//! column i − 1 the accumulator is A·G with A = Σ_t a_t·2^(64t), a_t < 2^i the top i bits of
//! tooth t, and a_3 < 2^(i−1) because k' < 2^255; so 2A < 2^255 + 2^193 < n and the table
//! index is D = Σ_t d_t·2^(64t) < 2^193. The doubling is exceptional only for acc = O. The
//! addition of T[d] to 2A·G is exceptional iff 2A ≡ ±D (mod n); both sides are below n, so
//! that needs 2A = D as integers — base-2^64 digits 2a_t = d_t ∈ {0, 1}, all zero, d = 0 —
//! or 2A + D = 0: again A = 0 and d = 0. The digit 0 only adds the discarded dummy, so the one
//! case left is acc = O (leading zero columns), which the doubling keeps as (0 : 0 : 0) and
//! CSWAPs turn into "the sum is T[d]". The final acc is k'·G ≠ O.
//!
//! ## Randomized coordinates
//!
//! The accumulator lives in a frame scaled by the random λ (`randomize.rs`): it starts as
//! (0 : 0 : 0) and takes T[d] as (λ²x : λ³y : λ) when it was O (see `comb`). Every Jacobian
//! formula maps a representation scaled by u to one of the same point scaled by a power of
//! u, and Z = 0 ⇔ λZ = 0 for λ ≢ 0, so the points computed, the O test and the argument above
//! are the same for every λ.

use std::sync::OnceLock;

use num_bigint::BigUint;

use crate::curve;
use crate::field_alu::Modulus::{N, P};

use super::super::asm::{Asm, Label};
use super::super::isa::{Reg, COMB_TEETH};
use super::jacobian::{emit_dbl, emit_madd_finish, emit_madd_h_r};
use super::randomize::emit_lambda;
use super::reg::*;
use super::{konst, Const, C0};

/// Columns of the comb: bits per tooth.
const COLUMNS: u16 = (256 / COMB_TEETH) as u16;
/// Non-zero digits, and so table points.
pub(super) const TABLE_POINTS: usize = (1 << COMB_TEETH) - 1;

/// The accumulator (AX : AY : AZ) and the doubled one (DX : DY : DZ); each column doubles
/// into D and adds back into A, so neither formula needs a copy.
const AX: Reg = XA;
const AY: Reg = YA;
const AZ: Reg = XB;
const DX: Reg = YB;
const DY: Reg = PY;
const DZ: Reg = KS;
/// The column's table point (affine), λ or 0 for the doubled accumulator's Z (see `comb`),
/// and k'.
const SX: Reg = POOL[0];
const SY: Reg = POOL[1];
const LZ: Reg = POOL[2];
const K1: Reg = POOL[3];

/// Raw affine (x, y) of T[1..=15], in digit order.
pub(super) fn table() -> &'static [(BigUint, BigUint)] {
    static TABLE: OnceLock<Vec<(BigUint, BigUint)>> = OnceLock::new();
    TABLE.get_or_init(|| {
        let mut teeth = vec![(curve::gx(), curve::gy())];
        for _ in 1..COMB_TEETH {
            let mut g = teeth.last().unwrap().clone();
            for _ in 0..COLUMNS {
                g = affine::double(&g);
            }
            teeth.push(g);
        }
        (1..=TABLE_POINTS)
            .map(|d| {
                let mut sum: Option<(BigUint, BigUint)> = None;
                for (t, g) in teeth.iter().enumerate() {
                    if d >> t & 1 == 1 {
                        sum = Some(match sum {
                            None => g.clone(),
                            Some(s) => affine::add(&s, g),
                        });
                    }
                }
                sum.unwrap()
            })
            .collect()
    })
}

/// Plain affine arithmetic for the table (assembly time only; the points added are distinct
/// multiples of G, so no case but P ≠ ±Q arises).
mod affine {
    use num_bigint::BigUint;

    use crate::curve;

    type Point = (BigUint, BigUint);

    fn inv(x: &BigUint) -> BigUint {
        let p = curve::p();
        x.modpow(&(&p - 2u32), &p)
    }

    fn with_slope(a: &Point, b: &Point, l: BigUint) -> Point {
        let p = curve::p();
        let x = (&l * &l + &p * 2u32 - &a.0 - &b.0) % &p;
        let y = (l * ((&a.0 + &p - &x) % &p) + &p - &a.1) % &p;
        (x, y)
    }

    pub fn add(a: &Point, b: &Point) -> Point {
        let p = curve::p();
        assert_ne!(a.0, b.0, "table points are distinct and not opposite");
        let l = (&b.1 + &p - &a.1) * inv(&((&b.0 + &p - &a.0) % &p)) % &p;
        with_slope(a, b, l)
    }

    pub fn double(a: &Point) -> Point {
        let p = curve::p();
        let num = (&a.0 * &a.0 * 3u32 + &p - 3u32) % &p;
        let l = num * inv(&(&a.1 * 2u32 % &p)) % &p;
        with_slope(a, a, l)
    }
}

/// k·G. In: KS = k ∈ [1, n−1] (raw), RND = λ (raw, any 256-bit word). Out: (AX : AY : AZ) =
/// ±k·G (Montgomery, Jacobian, in a frame randomized by λ), −k·G iff k > (n−1)/2, and IV = AZ
/// for `inv_p`. Clobbers XA, YA, XB, YB, PY, KS, T0–T4, POOL[0..4], RND, bit, flag, c0; leaves
/// K = 0 (ZERO must hold 0).
///
/// Randomized projective coordinates (`randomize.rs`): the accumulator starts as O, written
/// (0 : 0 : 0), which the doubling keeps all zero; whenever it is O the column's sum T[d]
/// enters it as (λ²x : λ³y : λ), so from its first proper point on every accumulator
/// coordinate is scaled by a power of λ. The scaled T[d] costs no multiplication: while acc is
/// O the doubled accumulator (0 : 0 : 0) only needs Z = λ for the addition's first half to
/// leave exactly H = λ²·x − 0 and r = λ³·y − 0.
pub(super) fn comb(a: &mut Asm, entry: Label) {
    a.bind(entry);
    emit_lambda(a);
    emit_fold_flag(a, KS);
    a.sub(K1, ZERO, KS, N); // n − k
    a.cswap(K1, KS); // k' = min(k, n − k)
    a.ldk(K1);
    a.mov(AX, ZERO);
    a.mov(AY, ZERO);
    a.mov(AZ, ZERO);
    a.loop_(C0, COLUMNS);
    let top = a.label();
    a.bind(top);
    emit_dbl(a, [AX, AY, AZ], [DX, DY, DZ]);
    emit_select(a);
    // acc was O: add to (0 : 0 : λ) instead. The bit stays until the digit-0 select below.
    a.eq(DZ, ZERO);
    a.bitf();
    a.mov(LZ, RND);
    a.cswap(DZ, LZ); // acc was O: DZ = λ, LZ = 0
    emit_madd_h_r(a, [DX, DY, DZ], [SX, SY]);
    emit_madd_finish(a, [DX, DY, DZ], [AX, AY, AZ]);
    // acc was O: the sum is T[d] in the frame λ, (H, r, λ) (the addition left T0, T1 alone),
    // and the doubled accumulator is (0 : 0 : 0) again.
    a.cswap(AX, T0);
    a.cswap(AY, T1);
    a.cswap(AZ, DZ);
    a.cswap(DZ, LZ);
    // Digit 0: the sum is the doubled accumulator (O if acc was O).
    a.combeq(0);
    a.cswap(AX, DX);
    a.cswap(AY, DY);
    a.cswap(AZ, DZ);
    a.nextbit(); // next column (the bit it sets is not used)
    a.djnz(C0, top);
    // 64 shifts leave k''s low 192 bits in K; nothing reads K after the comb, so it is
    // cleared here rather than left to the next command's LDK.
    a.ldk(ZERO);
    a.mov(IV, AZ);
    a.ret();
}

/// bit ← (k ≤ (n−1)/2) for the raw k ∈ [1, n−1] in `k`: then 2k < n ≤ p, otherwise 2k mod n
/// and 2k mod p differ (n ≤ 2k < 2p and n ≠ p). Uses T0, T1.
fn emit_fold_flag(a: &mut Asm, k: Reg) {
    a.add(T0, k, k, N);
    a.add(T1, k, k, P);
    a.eq(T0, T1);
    a.bitf();
}

/// QY ← −QY iff the scalar in `k` (the one `comb` got) was folded. Uses T0–T2.
pub(super) fn emit_unfold_y(a: &mut Asm, k: Reg) {
    emit_fold_flag(a, k);
    a.sub(T2, ZERO, QY, P);
    a.cswap(T2, QY); // not folded: T2 = y
    a.mov(QY, T2);
}

/// (SX, SY) ← T[digit], T[1] for digit 0: the table's blocks are addressed by the digit
/// (`COMBLD`), in the same cycles whatever the digit.
fn emit_select(a: &mut Asm) {
    a.combld(SX, super::comb_const(0, 0));
    a.combld(SY, super::comb_const(0, 1));
}

/// After `comb` and IA = AZ⁻¹ (Montgomery): `xy` sets QX, QY to the raw affine coordinates of
/// the accumulator, `x` only QX. Clobbers T0–T2.
pub(super) fn affine(a: &mut Asm, xy: Label, x: Label) {
    let x_part = a.label();
    a.bind(xy);
    a.mul(T0, IA, IA, P); // Z⁻²
    a.mul(T1, T0, IA, P); // Z⁻³
    konst(a, T2, Const::One);
    a.mul(T1, T1, T2, P); // raw: a raw factor takes the product out of Montgomery form
    a.mul(QY, AY, T1, P);
    a.jmp(x_part);
    a.bind(x);
    a.mul(T0, IA, IA, P);
    konst(a, T2, Const::One);
    a.bind(x_part);
    a.mul(T0, T0, T2, P);
    a.mul(QX, AX, T0, P);
    a.ret();
}
