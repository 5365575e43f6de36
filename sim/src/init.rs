//! Initial state of a model's registers (Verilator `--x-initial unique` + `randReset`).

/// What every register, memory and input of a new model holds before the first clock.
///
/// The models are built with `--x-initial unique --x-assign unique`, so initial values and
/// explicit `x` assignments come from Verilator's `randReset` policy at model construction.
/// A design that resets properly behaves identically after reset under every choice —
/// tests use [`InitState::Random`] to prove that it does not depend on initial values.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum InitState {
    /// All zeros (`randReset(0)`; Verilator's default).
    #[default]
    Zeros,
    /// All ones (`randReset(1)`).
    Ones,
    /// Pseudo-random, reproducible from `seed` (`randReset(2)`, `randSeed`). Verilator seeds
    /// from 32 bits: the seed is folded (`seed ^ seed >> 32`), and a fold of 0 is replaced
    /// by a fixed constant (Verilator would otherwise seed from the OS).
    Random { seed: u64 },
}

impl InitState {
    /// (seed, `randReset` mode) as passed to the generated shim.
    pub fn verilator_mode(self) -> (u64, i32) {
        match self {
            InitState::Zeros => (0, 0),
            InitState::Ones => (0, 1),
            InitState::Random { seed } => (seed, 2),
        }
    }
}
