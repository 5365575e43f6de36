//! How a [`crate::Sim`] is set up: initial state and waveforms.

use crate::InitState;
use std::path::PathBuf;

/// Where a run's waveforms go.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub enum Waves {
    /// As the `SCU_WAVES` environment variable says: unset or empty → none; a directory →
    /// `<dir>/<top>-<n>.vcd` (`.fst` when built with `SCU_SIM_FST=1`), `n` the first free number.
    #[default]
    FromEnv,
    /// No waves, whatever the environment says.
    Off,
    /// This file (the extension is not changed).
    To(PathBuf),
}

/// Options for [`crate::Sim::create`]. Waves never change what the design computes: with
/// waves the model is the traced build of the same RTL (see [`crate::Model::create_with`]).
/// Under [`InitState::Random`] the two builds draw different values for the same seed (the
/// traced one keeps more variables), so reproduce a random-init run with waves on in both.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SimOptions {
    pub init: InitState,
    pub waves: Waves,
}

impl SimOptions {
    /// Zero initial state, waves as `SCU_WAVES` says.
    pub fn new() -> Self {
        Self::default()
    }

    pub fn init(mut self, init: InitState) -> Self {
        self.init = init;
        self
    }

    /// Registers and inputs start pseudo-random (reproducible from `seed`).
    pub fn random_init(self, seed: u64) -> Self {
        self.init(InitState::Random { seed })
    }

    /// Write waves to `path`.
    pub fn waves(mut self, path: impl Into<PathBuf>) -> Self {
        self.waves = Waves::To(path.into());
        self
    }

    /// No waves, even if `SCU_WAVES` is set.
    pub fn no_waves(mut self) -> Self {
        self.waves = Waves::Off;
        self
    }
}
