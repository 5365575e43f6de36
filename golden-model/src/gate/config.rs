//! The generator parameters the gate depends on (`docs/gate.md`, "Parameters").

use crate::engine::cycles::{Datapath, SERIAL_WIDTHS};
use crate::field_alu::SUPPORTED_WIDTHS;
use crate::trng::MinEntropy;

/// Largest slot count: `CMD.slot` is 4 bits wide, and ZERO clears one 32-bit slot word per
/// cycle in its 256 cycles.
pub const MAX_SLOTS: u8 = 16;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct GateConfig {
    /// The field ALU's word width (16, 32, 64 or 128): sets every engine command's cycles.
    pub w: usize,
    /// The engine's operand path (serial: W-bit words, at W = 16 and 32): sets them too.
    pub datapath: Datapath,
    /// Key slots, 1..=16; the register map has policy words for the first 8.
    pub slots: u8,
    /// The TRNG's claimed min-entropy per raw bit: sets its health-test cutoffs.
    pub min_entropy: MinEntropy,
    /// Randomized projective coordinates: λ drawn from the TRNG (else λ = 1).
    pub randomize: bool,
}

impl GateConfig {
    /// The default SCU at word width `w`: 8 slots, H = 0.5, randomized coordinates, and the
    /// generator's datapath for that width (serial at W = 16, the end-node preset; parallel
    /// otherwise).
    pub fn new(w: usize) -> Self {
        GateConfig {
            w,
            datapath: if w == 16 {
                Datapath::Serial
            } else {
                Datapath::Parallel
            },
            slots: 8,
            min_entropy: MinEntropy::HALF,
            randomize: true,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        if !SUPPORTED_WIDTHS.contains(&self.w) {
            return Err(format!(
                "unsupported word width {}: must be one of {SUPPORTED_WIDTHS:?}",
                self.w
            ));
        }
        if self.datapath == Datapath::Serial && !SERIAL_WIDTHS.contains(&self.w) {
            return Err(format!(
                "no serial datapath at word width {}: must be one of {SERIAL_WIDTHS:?}",
                self.w
            ));
        }
        if !(1..=MAX_SLOTS).contains(&self.slots) {
            return Err(format!(
                "unsupported slot count {}: must be 1 to {MAX_SLOTS}",
                self.slots
            ));
        }
        Ok(())
    }
}
