//! Post-processing (`docs/trng.md`, "Post-processing"): von Neumann debiasing of raw-bit
//! pairs, then packing of the debiased bits into 32-bit words, first bit most significant.

/// Takes raw bits two at a time: 01 → 0, 10 → 1 (the first bit of an unequal pair), 00 and
/// 11 → nothing.
#[derive(Clone, Debug, Default)]
pub struct VonNeumann {
    first: Option<bool>,
}

impl VonNeumann {
    pub fn restart(&mut self) {
        self.first = None;
    }

    pub fn feed(&mut self, x: bool) -> Option<bool> {
        match self.first.take() {
            None => {
                self.first = Some(x);
                None
            }
            Some(f) => (f != x).then_some(f),
        }
    }
}

/// Collects 32 bits; while full, further bits are dropped until the word is taken.
#[derive(Clone, Debug, Default)]
pub struct WordPacker {
    acc: u32,
    n: u32,
}

impl WordPacker {
    pub const BITS: u32 = 32;

    pub fn restart(&mut self) {
        self.acc = 0;
        self.n = 0;
    }

    pub fn full(&self) -> bool {
        self.n == Self::BITS
    }

    pub fn push(&mut self, bit: bool) {
        if !self.full() {
            self.acc = (self.acc << 1) | u32::from(bit);
            self.n += 1;
        }
    }

    /// The full word, leaving the packer empty.
    pub fn take(&mut self) -> u32 {
        let w = self.acc;
        self.restart();
        w
    }
}
