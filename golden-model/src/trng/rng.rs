//! The seeded generator behind the noise model: xoshiro256** (Blackman–Vigna) with its state
//! expanded from a 64-bit seed by SplitMix64. Written out here rather than taken from a crate
//! so a seed means the same bit stream on every platform and every future build.

#[derive(Clone, Debug)]
pub struct Xoshiro256 {
    s: [u64; 4],
}

impl Xoshiro256 {
    pub fn new(seed: u64) -> Self {
        let mut z = seed;
        let mut next = || {
            z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
            let mut x = z;
            x = (x ^ (x >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
            x = (x ^ (x >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
            x ^ (x >> 31)
        };
        Xoshiro256 {
            s: [next(), next(), next(), next()],
        }
    }

    pub fn next_u64(&mut self) -> u64 {
        let result = self.s[1].wrapping_mul(5).rotate_left(7).wrapping_mul(9);
        let t = self.s[1] << 17;
        self.s[2] ^= self.s[0];
        self.s[3] ^= self.s[1];
        self.s[1] ^= self.s[2];
        self.s[0] ^= self.s[3];
        self.s[2] ^= t;
        self.s[3] = self.s[3].rotate_left(45);
        result
    }

    /// True with probability `p` (to 2⁻⁶⁴).
    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.next_u64() < threshold(p)
    }
}

/// `p` as a fraction of 2⁶⁴, saturating at both ends so 0 and 1 are exact.
pub fn threshold(p: f64) -> u64 {
    if p <= 0.0 {
        0
    } else if p >= 1.0 {
        u64::MAX
    } else {
        (p * 18_446_744_073_709_551_616.0) as u64
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_reference_implementation() {
        // xoshiro256** from state {1, 2, 3, 4}: the first outputs of the authors' C code.
        let mut r = Xoshiro256 { s: [1, 2, 3, 4] };
        let got: Vec<u64> = (0..4).map(|_| r.next_u64()).collect();
        assert_eq!(got, [11520, 0, 1509978240, 1215971899390074240]);
    }

    #[test]
    fn bernoulli_extremes_are_exact() {
        let mut r = Xoshiro256::new(1);
        assert!((0..1000).all(|_| !r.bernoulli(0.0)));
        assert!((0..1000).all(|_| r.bernoulli(1.0)));
    }
}
