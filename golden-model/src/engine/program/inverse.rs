//! Inversion by Fermat, x⁻¹ = x^(m−2) mod m, over a fixed addition chain. The exponent is a
//! public constant, so the chain may skip multiplications wherever the exponent allows — only
//! the base is secret, and the instruction sequence is the same for every base.
//!
//! The chain: first the powers x^(2^k − 1) (all-ones exponents, each from two smaller ones:
//! x_{a+b} = x_a^(2^b)·x_b), and for n also a few odd powers; then the exponent is cut, most
//! significant bit first, into windows whose values are in that table so that the number of
//! multiplications is minimal (a small dynamic program at assembly time). Between windows the
//! accumulator is squared once per bit. p − 2 takes 255 squarings and 12 multiplications
//! (the structure of p leaves long runs of ones and zeros); n − 2, whose low half has no
//! structure, takes 256 squarings and 40.

use std::collections::BTreeMap;

use num_bigint::BigUint;

use crate::curve;
use crate::field_alu::Modulus;

use super::super::asm::{Asm, Label};
use super::super::isa::Reg;
use super::reg::*;
use super::C0;

/// How the table is built for one modulus.
struct ChainSpec {
    /// (k, a): x^(2^k − 1) = (x^(2^a − 1))^(2^(k−a)) · x^(2^(k−a) − 1), in order.
    ones: &'static [(u32, u32)],
    /// Largest odd power in the table (x, x³, x⁵, …); 1 for none beyond x.
    odd_max: u64,
}

/// p − 2 = 1^32 0^31 1 0^96 1^94 0 1: runs of 32 and 30 ones.
const CHAIN_P: ChainSpec = ChainSpec {
    ones: &[
        (2, 1),
        (3, 2),
        (6, 3),
        (12, 6),
        (15, 12),
        (30, 15),
        (32, 30),
    ],
    odd_max: 1,
};

/// n − 2 = 1^32 0^32 1^64 then 128 unstructured bits: x^(2^32−1) for the top, odd powers up to
/// x⁷ for the rest (a larger table costs more multiplications than it saves).
const CHAIN_N: ChainSpec = ChainSpec {
    ones: &[(2, 1), (3, 2), (4, 3), (8, 4), (16, 8), (32, 16)],
    odd_max: 7,
};

/// Squaring runs at least this long become a LOOP (one DJNZ cycle per squaring) rather than
/// straight-line code, to keep the ROM small.
const LOOP_MIN: u32 = 3;

/// IA ← IV^(m−2) = IV⁻¹ (Montgomery in and out; 0 ↦ 0). Clobbers T0–T4, the pool, c0.
pub(super) fn inv(a: &mut Asm, entry: Label, m: Modulus) {
    a.bind(entry);
    let (spec, e) = match m {
        Modulus::P => (&CHAIN_P, curve::p() - 2u32),
        Modulus::N => (&CHAIN_N, curve::n() - 2u32),
    };
    emit_pow(a, m, &e, spec, IV, IA);
    a.ret();
}

fn table_values(spec: &ChainSpec) -> Vec<u64> {
    let mut t: Vec<u64> = std::iter::once(1)
        .chain(spec.ones.iter().map(|&(k, _)| (1u64 << k) - 1))
        .chain((3..=spec.odd_max).step_by(2))
        .collect();
    t.sort_unstable();
    t.dedup();
    t
}

/// The exponent as (first window, [(squarings before, window value)], trailing squarings),
/// with the fewest windows whose values are all in `table`.
fn plan(e: &BigUint, table: &[u64]) -> (u64, Vec<(u32, u64)>, u32) {
    let bits: Vec<bool> = (0..e.bits()).rev().map(|i| e.bit(i)).collect();
    let len = bits.len();
    let max_w = table
        .iter()
        .map(|v| 64 - v.leading_zeros())
        .max()
        .unwrap_or(1) as usize;
    let window = |i: usize, w: usize| {
        bits[i..i + w]
            .iter()
            .fold(0u64, |v, &b| (v << 1) | b as u64)
    };
    // best[i] = (windows needed for bits[i..], width of the window starting at i or 0).
    let mut best = vec![(0usize, 0usize); len + 1];
    for i in (0..len).rev() {
        best[i] = if !bits[i] {
            (best[i + 1].0, 0)
        } else {
            (1..=max_w.min(len - i))
                .filter(|&w| table.binary_search(&window(i, w)).is_ok())
                .map(|w| (1 + best[i + w].0, w))
                .min()
                .expect("x itself is in the table")
        };
    }
    let mut i = 0;
    let first = {
        let w = best[0].1;
        i += w;
        window(0, w)
    };
    let mut windows = Vec::new();
    let mut pending = 0u32;
    while i < len {
        let w = best[i].1;
        if w == 0 {
            pending += 1;
            i += 1;
        } else {
            windows.push((pending + w as u32, window(i, w)));
            pending = 0;
            i += w;
        }
    }
    (first, windows, pending)
}

/// dst ← src^(2^count), count ≥ 1.
fn emit_squares(a: &mut Asm, m: Modulus, dst: Reg, src: Reg, count: u32) {
    assert!(count >= 1);
    a.mul(dst, src, src, m);
    let rest = count - 1;
    if rest >= LOOP_MIN {
        a.loop_(C0, rest as u16);
        let top = a.label();
        a.bind(top);
        a.mul(dst, dst, dst, m);
        a.djnz(C0, top);
    } else {
        for _ in 0..rest {
            a.mul(dst, dst, dst, m);
        }
    }
}

/// out ← base^e with the table of `spec`, registers from T0–T4 and the pool.
fn emit_pow(a: &mut Asm, m: Modulus, e: &BigUint, spec: &ChainSpec, base: Reg, out: Reg) {
    let mut free = [T0, T1, T2, T3, T4].into_iter().chain(POOL);
    let mut table: BTreeMap<u64, Reg> = BTreeMap::new();
    table.insert(1, base);
    for &(k, from) in spec.ones {
        let r = free.next().expect("inversion scratch exhausted");
        let then = k - from;
        emit_squares(a, m, r, table[&((1u64 << from) - 1)], then);
        a.mul(r, r, table[&((1u64 << then) - 1)], m);
        table.insert((1u64 << k) - 1, r);
    }
    if spec.odd_max > 1 {
        let sq = free.next().expect("inversion scratch exhausted");
        a.mul(sq, base, base, m);
        for v in (3..=spec.odd_max).step_by(2) {
            if !table.contains_key(&v) {
                let r = free.next().expect("inversion scratch exhausted");
                a.mul(r, table[&(v - 2)], sq, m);
                table.insert(v, r);
            }
        }
    }
    let values: Vec<u64> = table.keys().copied().collect();
    debug_assert_eq!(values, table_values(spec));
    let (first, windows, tail) = plan(e, &values);
    let mut src = table[&first];
    for (squares, v) in windows {
        emit_squares(a, m, out, src, squares);
        a.mul(out, out, table[&v], m);
        src = out;
    }
    if tail > 0 {
        emit_squares(a, m, out, src, tail);
    } else if src != out {
        a.mov(out, src);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Number of (squarings, other multiplications) of x^(m−2) — for tests and the docs.
    fn inversion_cost(m: Modulus) -> (usize, usize) {
        let (spec, e) = match m {
            Modulus::P => (&CHAIN_P, curve::p() - 2u32),
            Modulus::N => (&CHAIN_N, curve::n() - 2u32),
        };
        let mut sq = 0usize;
        let mut mul = 0usize;
        for &(k, from) in spec.ones {
            sq += (k - from) as usize;
            mul += 1;
        }
        let table = table_values(spec);
        if spec.odd_max > 1 {
            sq += 1;
            mul += (3..=spec.odd_max)
                .step_by(2)
                .filter(|v| !is_ones(*v, spec))
                .count();
        }
        let (_, windows, tail) = plan(&e, &table);
        for (s, _) in &windows {
            sq += *s as usize;
            mul += 1;
        }
        (sq + tail as usize, mul)
    }

    fn is_ones(v: u64, spec: &ChainSpec) -> bool {
        v == 1 || spec.ones.iter().any(|&(k, _)| v == (1u64 << k) - 1)
    }

    fn value_of(first: u64, windows: &[(u32, u64)], tail: u32) -> BigUint {
        let mut acc = BigUint::from(first);
        for &(s, v) in windows {
            acc = (acc << s) + v;
        }
        acc << tail
    }

    #[test]
    fn plans_spell_the_exponents() {
        for (spec, e) in [(&CHAIN_P, curve::p() - 2u32), (&CHAIN_N, curve::n() - 2u32)] {
            let (first, windows, tail) = plan(&e, &table_values(spec));
            assert_eq!(value_of(first, &windows, tail), e);
        }
    }

    #[test]
    fn chain_lengths() {
        assert_eq!(inversion_cost(Modulus::P), (255, 12));
        let (sq, mul) = inversion_cost(Modulus::N);
        assert_eq!(sq, 256);
        assert!(mul <= 40, "{mul}");
    }
}
