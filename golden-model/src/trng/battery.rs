//! A small statistical battery for TRNG output (`docs/trng.md`, "Statistical battery"):
//! the monobit and runs tests of NIST SP 800-22 (§2.1, §2.3) and a chi-square test on byte
//! values. Each is a two-sided (chi-square: upper-tail) test at significance 0.001, decided
//! on a normal score so no special functions are needed. Passing says only that the output
//! shows none of these three defects; it is no evidence of entropy.

/// |z| above this rejects at two-sided significance 0.001 (Φ⁻¹(0.9995)).
pub const Z_TWO_SIDED_001: f64 = 3.2905;
/// z above this rejects at one-sided significance 0.001 (Φ⁻¹(0.999)).
pub const Z_ONE_SIDED_001: f64 = 3.0902;

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct BatteryReport {
    pub bits: u64,
    /// (ones − zeros) / √n.
    pub monobit_z: f64,
    /// Observed runs against 2nπ(1−π), in standard deviations 2√n·π(1−π).
    pub runs_z: f64,
    /// Σ (count − n/256)² / (n/256) over the 256 byte values (255 degrees of freedom).
    pub chi2: f64,
    /// `chi2` mapped to a normal score by the Wilson–Hilferty transformation.
    pub chi2_z: f64,
}

impl BatteryReport {
    pub fn monobit_ok(&self) -> bool {
        self.monobit_z.abs() < Z_TWO_SIDED_001
    }

    /// SP 800-22 runs the runs test only when |π − ½| < 2/√n, i.e. |monobit z| < 4; a
    /// sequence that fails the prerequisite fails here too.
    pub fn runs_ok(&self) -> bool {
        self.monobit_z.abs() < 4.0 && self.runs_z.abs() < Z_TWO_SIDED_001
    }

    pub fn chi2_ok(&self) -> bool {
        self.chi2_z < Z_ONE_SIDED_001
    }

    pub fn pass(&self) -> bool {
        self.monobit_ok() && self.runs_ok() && self.chi2_ok()
    }
}

/// Runs the battery on `bytes`, bits taken most significant first.
pub fn battery(bytes: &[u8]) -> BatteryReport {
    let n = bytes.len() as f64 * 8.0;
    let ones: u64 = bytes.iter().map(|b| u64::from(b.count_ones())).sum();
    let monobit_z = (2.0 * ones as f64 - n) / n.sqrt();

    // A run ends wherever two neighbouring bits differ.
    let mut changes = 0u64;
    let mut prev: Option<bool> = None;
    for &b in bytes {
        for i in (0..8).rev() {
            let bit = (b >> i) & 1 == 1;
            if prev.is_some_and(|p| p != bit) {
                changes += 1;
            }
            prev = Some(bit);
        }
    }
    let runs = (changes + 1) as f64;
    let pi = ones as f64 / n;
    let spread = 2.0 * n.sqrt() * pi * (1.0 - pi);
    let runs_z = if spread > 0.0 {
        (runs - 2.0 * n * pi * (1.0 - pi)) / spread
    } else {
        f64::INFINITY
    };

    let mut counts = [0u64; 256];
    for &b in bytes {
        counts[b as usize] += 1;
    }
    let expected = bytes.len() as f64 / 256.0;
    let chi2: f64 = counts
        .iter()
        .map(|&c| (c as f64 - expected).powi(2) / expected)
        .sum();
    let k = 255.0;
    let chi2_z = ((chi2 / k).cbrt() - (1.0 - 2.0 / (9.0 * k))) / (2.0 / (9.0 * k)).sqrt();

    BatteryReport {
        bits: n as u64,
        monobit_z,
        runs_z,
        chi2,
        chi2_z,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::trng::rng::Xoshiro256;

    fn random_bytes(seed: u64, n: usize, p_one: f64) -> Vec<u8> {
        let mut r = Xoshiro256::new(seed);
        (0..n)
            .map(|_| (0..8).fold(0u8, |a, _| (a << 1) | u8::from(r.bernoulli(p_one))))
            .collect()
    }

    #[test]
    fn random_bytes_pass() {
        assert!(battery(&random_bytes(1, 1 << 17, 0.5)).pass());
    }

    #[test]
    fn each_test_catches_its_defect() {
        let biased = battery(&random_bytes(2, 1 << 17, 0.505));
        assert!(!biased.monobit_ok(), "{biased:?}");
        // 0x55 repeated: balanced bits, far too many runs, a single byte value.
        let alternating = battery(&vec![0x55; 1 << 17]);
        assert!(alternating.monobit_ok() && !alternating.runs_ok() && !alternating.chi2_ok());
        // Balanced bits and runs, but only the byte values 0x0f and 0xf0.
        let mut r = Xoshiro256::new(3);
        let two: Vec<u8> = (0..1 << 17)
            .map(|_| if r.bernoulli(0.5) { 0x0f } else { 0xf0 })
            .collect();
        let two = battery(&two);
        assert!(two.monobit_ok() && !two.chi2_ok(), "{two:?}");
    }
}
