//! Randomized projective coordinates (`docs/engine.md`, "Randomized projective coordinates"):
//! the side-channel countermeasure of KEYGEN, ECDH and SIGN.
//!
//! A Jacobian point (X : Y : Z) is the same point as (λ²X : λ³Y : λZ) for every λ ≠ 0, and
//! every formula the comb and the ladder use gives the same point for either representation.
//! So starting a scalar multiplication from a representation scaled by a fresh random λ leaves
//! the result alone but makes every intermediate coordinate — what a power or EM probe would
//! correlate with guesses of the scalar — a different value in every run. The instruction
//! sequence does not depend on λ (no branch on it), so the schedule and the cycle count stay
//! those of every other input.
//!
//! λ comes from the host in `RND` like an input (`random_regs`): the SCU's TRNG, or the
//! constant 1 when a preset leaves the countermeasure off — then the values computed are the
//! unrandomized ones. Any 256-bit word is accepted: its residue mod p is used, and 1 instead
//! of 0 (λ ≡ 0 would collapse every point to Z = 0, which the comb reads as O).

use crate::field_alu::Modulus::P;

use super::super::asm::Asm;
use super::reg::*;
use super::{konst, Const};

/// RND ← λ' in Montgomery form: λ' = λ mod p, or 1 if that is 0. Constant time: the zero case
/// is an `EQ`/`BITF`/`CSWAP` select. Uses T0, bit, flag.
pub(super) fn emit_lambda(a: &mut Asm) {
    a.add(RND, RND, ZERO, P); // λ mod p: λ < 2^256 < 2p, and ADD subtracts p once iff λ ≥ p
    a.eq(RND, ZERO);
    a.bitf();
    konst(a, T0, Const::One);
    a.cswap(RND, T0);
    konst(a, T0, Const::R2P);
    a.mul(RND, RND, T0, P);
}
