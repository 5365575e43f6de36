//! A fixed 384-bit unsigned integer with just the operations the field ALU's word datapath
//! needs at W = 128: a row sum t₀ + a·b + q·m + carry is 2W + 1 = 257 bits, past `u128`.
//! Fixed limbs instead of `BigUint` keep the W = 16 model (256 row steps per MUL) fast.

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct U384([u64; 6]);

impl U384 {
    pub(crate) fn from_u128(x: u128) -> Self {
        U384([x as u64, (x >> 64) as u64, 0, 0, 0, 0])
    }

    /// The full 256-bit product of two 128-bit values.
    pub(crate) fn mul(a: u128, b: u128) -> Self {
        let (a0, a1) = (a as u64 as u128, a >> 64);
        let (b0, b1) = (b as u64 as u128, b >> 64);
        let mut r = U384::from_u128(a0 * b0);
        r = r.add(U384::from_u128(a0 * b1).shl64(1));
        r = r.add(U384::from_u128(a1 * b0).shl64(1));
        r.add(U384::from_u128(a1 * b1).shl64(2))
    }

    /// Panics on overflow past 384 bits (a model bug: no datapath value comes close).
    pub(crate) fn add(self, o: U384) -> U384 {
        let mut r = [0u64; 6];
        let mut carry = 0u128;
        for ((r, &x), &y) in r.iter_mut().zip(&self.0).zip(&o.0) {
            let s = x as u128 + y as u128 + carry;
            *r = s as u64;
            carry = s >> 64;
        }
        assert_eq!(carry, 0, "U384 overflow");
        U384(r)
    }

    fn shl64(self, limbs: usize) -> U384 {
        let mut r = [0u64; 6];
        r[limbs..].copy_from_slice(&self.0[..6 - limbs]);
        assert!(
            self.0[6 - limbs..].iter().all(|&l| l == 0),
            "U384 shift overflow"
        );
        U384(r)
    }

    /// `self >> n` for 0 < n ≤ 128.
    pub(crate) fn shr(self, n: usize) -> U384 {
        assert!(n > 0 && n <= 128);
        let (limbs, bits) = (n / 64, n % 64);
        let mut r = [0u64; 6];
        for (i, r) in r.iter_mut().enumerate().take(6 - limbs) {
            let lo = self.0[i + limbs];
            let hi = self.0.get(i + limbs + 1).copied().unwrap_or(0);
            *r = if bits == 0 {
                lo
            } else {
                (lo >> bits) | (hi << (64 - bits))
            };
        }
        U384(r)
    }

    /// The low `w` bits (w ≤ 128).
    pub(crate) fn low(self, w: usize) -> u128 {
        let x = self.0[0] as u128 | (self.0[1] as u128) << 64;
        if w == 128 {
            x
        } else {
            x & ((1u128 << w) - 1)
        }
    }

    /// Whether the value is below 2^bits.
    pub(crate) fn fits(self, bits: usize) -> bool {
        (0..6).all(|i| {
            let lo = i * 64;
            if lo >= bits {
                self.0[i] == 0
            } else if bits - lo >= 64 {
                true
            } else {
                self.0[i] >> (bits - lo) == 0
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use num_bigint::BigUint;

    fn big(x: U384) -> BigUint {
        BigUint::from_slice(
            &x.0.iter()
                .flat_map(|&l| [l as u32, (l >> 32) as u32])
                .collect::<Vec<_>>(),
        )
    }

    #[test]
    fn matches_biguint() {
        let vals = [
            0u128,
            1,
            u64::MAX as u128,
            u128::MAX,
            0x1234_5678_9abc_def0_0fed_cba9_8765_4321,
        ];
        for &a in &vals {
            for &b in &vals {
                let p = U384::mul(a, b);
                assert_eq!(big(p), BigUint::from(a) * BigUint::from(b));
                let s = p.add(U384::from_u128(a)).add(U384::mul(b, b));
                let want = BigUint::from(a) * BigUint::from(b)
                    + BigUint::from(a)
                    + BigUint::from(b) * BigUint::from(b);
                assert_eq!(big(s), want);
                for n in [1usize, 16, 63, 64, 65, 128] {
                    assert_eq!(big(s.shr(n)), &want >> n, "shr {n}");
                    let bits = want.bits() as usize;
                    assert!(s.fits(bits.max(1)) && (bits == 0 || !s.fits(bits - 1)));
                }
                for w in [16usize, 64, 128] {
                    let mask = (BigUint::from(1u32) << w) - 1u32;
                    assert_eq!(BigUint::from(s.low(w)), &want & mask);
                }
            }
        }
    }
}
