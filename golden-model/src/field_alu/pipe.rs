//! The Montgomery product on a pipelined 128 × 128 multiplier (`docs/field-alu.md`,
//! "Pipelined product"): the one-multiplier ALU at W = 128.
//!
//! The multiplier takes a product every cycle and delivers it MUL_LATENCY cycles later, so
//! the schedule is a list of which product is issued in which cycle and what is done with
//! each one when it comes out. The model runs that list cycle by cycle through a queue of
//! length L and asserts that every step finds the product it expects, so a schedule that
//! reads a product too early fails here, not only in co-simulation. Values are plain big
//! integers: q = x·m′ mod 2¹²⁸ by multiplication and (acc + q·m) / 2¹²⁸ as a checked exact
//! division, where the RTL uses p's shifts; both must land on the same bits.

use std::collections::VecDeque;

use num_bigint::BigUint;
use num_traits::Zero;

use super::{Datapath, Modulus, Multipliers, Reg};
use crate::curve;

/// Register stages of the pipelined multiplier: the 16 × 16 tile products, then four levels
/// of the adder tree. A product issued in cycle i is read in cycle i + L.
pub const MUL_LATENCY: usize = 5;

/// Whether the ALU at word width `w` with `muls` multipliers has the pipelined product.
pub fn pipelined(w: usize, muls: Multipliers) -> bool {
    w == 128 && muls == Multipliers::One
}

/// The multiplier: each cycle one product comes out (issued L cycles ago) and one may go in.
struct Pipeline(VecDeque<Option<BigUint>>);

impl Pipeline {
    fn new() -> Self {
        Pipeline((0..MUL_LATENCY).map(|_| None).collect())
    }

    fn take(&mut self) -> Option<BigUint> {
        self.0.pop_front().expect("queue holds L entries")
    }

    fn put(&mut self, issue: Option<(BigUint, BigUint)>) {
        self.0.push_back(issue.map(|(x, y)| x * y));
    }
}

impl Datapath {
    /// The cycles after the start edge until t + t_top·2²⁵⁶ holds the unreduced product,
    /// ready for the full-width correction (one more cycle).
    pub(super) fn pipelined_mul(&mut self, m: Modulus, a: &BigUint, b: &BigUint) {
        let l = MUL_LATENCY;
        let half = BigUint::from(1u8) << 128u32;
        let lo = |x: &BigUint| x % &half;
        let (a0, a1) = (lo(a), a >> 128u32);
        let (b0, b1) = (lo(b), b >> 128u32);
        let modulus = curve::modulus(m);
        let (m0, m1) = (lo(&modulus), &modulus >> 128u32);
        let m_prime = BigUint::from(curve::m_prime(m, 128));
        let digit = |x: &BigUint| lo(x) * &m_prime % &half;
        // acc + q·m is divisible by 2¹²⁸ by the choice of q; anything else is a model bug.
        let reduce = |acc: &BigUint, q: &BigUint| {
            let s = acc + q * &modulus;
            assert!(lo(&s).is_zero(), "reduction step left low bits");
            s >> 128u32
        };

        let mut pipe = Pipeline::new();
        let mut acc = BigUint::zero();
        let mut q = BigUint::zero();
        let last = match m {
            Modulus::P => l + 4,
            Modulus::N => 5 * l + 4,
        };
        for i in 0..=last {
            self.tick();
            let out = pipe.take();
            let product = || out.clone().expect("a step without its product");
            let mut issue = None;
            // The four partial products a_i·b_j go in first (mod n the second two later, when
            // the first digit's products have come out), then each step below consumes one.
            match (m, i) {
                (_, 0) => issue = Some((a0.clone(), b0.clone())),
                (_, 1) => issue = Some((a0.clone(), b1.clone())),
                (Modulus::P, 2) => issue = Some((a1.clone(), b0.clone())),
                (Modulus::P, 3) => issue = Some((a1.clone(), b1.clone())),
                _ => {}
            }
            match m {
                // p′ = 1 + 2⁹⁶ mod 2¹²⁸: the digit is cheap, so it is taken from the product
                // as it arrives and no product of its own is needed.
                Modulus::P => {
                    if i == l {
                        acc = product();
                        q = digit(&acc);
                    } else if i == l + 1 {
                        acc += product() << 128u32;
                    } else if i == l + 2 {
                        acc = reduce(&acc, &q) + product();
                    } else if i == l + 3 {
                        acc += product() << 128u32;
                        q = digit(&acc);
                    } else if i == l + 4 {
                        acc = reduce(&acc, &q);
                    }
                }
                // The digit is itself a product, x·n′ mod 2¹²⁸, and q·n takes two more, so
                // mod n waits on the multiplier twice per digit.
                Modulus::N => {
                    if i == l {
                        acc = product();
                        issue = Some((lo(&acc), m_prime.clone()));
                    } else if i == l + 1 {
                        acc += product() << 128u32;
                    } else if i == 2 * l || i == 4 * l + 3 {
                        q = lo(&product());
                        issue = Some((q.clone(), m0.clone()));
                    } else if i == 2 * l + 1 || i == 4 * l + 4 {
                        issue = Some((q.clone(), m1.clone()));
                    } else if i == 2 * l + 2 {
                        issue = Some((a1.clone(), b0.clone()));
                    } else if i == 2 * l + 3 {
                        issue = Some((a1.clone(), b1.clone()));
                    } else if i == 3 * l || i == 5 * l + 3 {
                        acc += product();
                        assert!(lo(&acc).is_zero(), "q·m₀ left low bits");
                    } else if i == 3 * l + 1 || i == 5 * l + 4 {
                        acc = (acc >> 128u32) + product();
                    } else if i == 3 * l + 2 {
                        acc += product();
                    } else if i == 3 * l + 3 {
                        acc += product() << 128u32;
                        issue = Some((lo(&acc), m_prime.clone()));
                    }
                }
            }
            pipe.put(issue);
        }
        let top = &acc >> 256u32;
        assert!(top <= BigUint::from(1u8), "product exceeds t_top·2²⁵⁶ + t");
        self.t_top = !top.is_zero();
        self.t = Reg::from_biguint(&(&acc - (top << 256u32)));
    }
}
