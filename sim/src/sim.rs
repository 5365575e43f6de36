//! The test harness: clocking, reset, run-until, waveforms.

use crate::{waves, HasReset, Model, SimOptions, Waves};
use std::fmt;
use std::ops::{Deref, DerefMut};
use std::path::{Path, PathBuf};

/// Drives a [`Model`]: one [`Sim::tick`] is one clock period. Dereferences to the model, so
/// the typed accessors are at hand: `sim.set_start(1); sim.tick(); sim.done()`.
///
/// Waves (if on) are dumped at time `10·c` (clock low, inputs as set before the tick) and
/// `10·c + 5` (after the rising edge) for tick `c` = [`Sim::cycles`] before the tick.
pub struct Sim<M: Model> {
    model: M,
    cycles: u64,
    wave_path: Option<PathBuf>,
}

/// [`Sim::run_until`] ran out of cycles.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Timeout {
    pub top: &'static str,
    /// Ticks run by the call, all without the condition becoming true.
    pub max_cycles: u64,
    /// [`Sim::cycles`] when it gave up.
    pub at_cycle: u64,
}

impl fmt::Display for Timeout {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: condition not met within {} cycles (gave up at cycle {})",
            self.top, self.max_cycles, self.at_cycle
        )
    }
}

impl std::error::Error for Timeout {}

impl<M: Model> Sim<M> {
    /// Wraps an existing model; waves as `SCU_WAVES` says.
    ///
    /// Panics if `SCU_WAVES` is set but the file cannot be created.
    pub fn new(model: M) -> Self {
        Self::with_waves(model, &Waves::FromEnv)
    }

    /// Creates the model with `options.init` and opens waves per `options.waves`.
    ///
    /// Panics if waves were asked for and the file cannot be created (use
    /// [`Sim::open_waves`] to handle that as an error).
    pub fn create(options: SimOptions) -> Self {
        let traced = match &options.waves {
            Waves::Off => false,
            Waves::To(_) => true,
            Waves::FromEnv => waves::env_asks(),
        };
        Self::with_waves(M::create_with(options.init, traced), &options.waves)
    }

    /// Wraps an existing model, with waves per `waves`.
    pub fn with_waves(model: M, waves: &Waves) -> Self {
        let mut sim = Sim {
            model,
            cycles: 0,
            wave_path: None,
        };
        let path = match waves {
            Waves::Off => None,
            Waves::To(p) => Some(p.clone()),
            Waves::FromEnv => waves::from_env(M::TOP).unwrap_or_else(|e| panic!("scu-sim: {e}")),
        };
        if let Some(path) = path {
            sim.open_waves(&path)
                .unwrap_or_else(|e| panic!("scu-sim: {e}"));
        }
        sim
    }

    /// Starts writing waves to `path` from the next tick on.
    pub fn open_waves(&mut self, path: &Path) -> Result<(), String> {
        Model::trace_open(&mut self.model, path)?;
        eprintln!("scu-sim: {}: waves -> {}", M::TOP, path.display());
        self.wave_path = Some(path.to_path_buf());
        Ok(())
    }

    /// Flushes and closes the waveform file (if any); the run goes on without waves.
    pub fn close_waves(&mut self) {
        Model::trace_close(&mut self.model);
    }

    /// The waveform file of this run, if waves were opened.
    pub fn wave_path(&self) -> Option<&Path> {
        self.wave_path.as_deref()
    }

    /// One clock period: clock low + eval, clock high + eval (+ wave dumps). For a
    /// combinational design: eval (+ wave dump), so waves still show one step per tick.
    #[inline]
    pub fn tick(&mut self) {
        Model::step(&mut self.model, self.cycles.wrapping_mul(10));
        self.cycles += 1;
    }

    /// `n` ticks.
    #[inline]
    pub fn ticks(&mut self, n: u64) {
        for _ in 0..n {
            self.tick();
        }
    }

    /// Clock periods run so far.
    pub fn cycles(&self) -> u64 {
        self.cycles
    }

    /// Ticks until `cond(model)` holds after a tick, at most `max_cycles` times. Always ticks
    /// at least once; returns the number of ticks this call ran. So with `start` set before
    /// the call, the count includes the edge that samples `start`.
    pub fn run_until(
        &mut self,
        mut cond: impl FnMut(&M) -> bool,
        max_cycles: u64,
    ) -> Result<u64, Timeout> {
        for n in 1..=max_cycles {
            self.tick();
            if cond(&self.model) {
                return Ok(n);
            }
        }
        Err(Timeout {
            top: M::TOP,
            max_cycles,
            at_cycle: self.cycles,
        })
    }

    /// Settles combinational logic after input changes without clocking.
    pub fn eval(&mut self) {
        Model::eval(&mut self.model);
    }

    pub fn model(&self) -> &M {
        &self.model
    }

    pub fn model_mut(&mut self) -> &mut M {
        &mut self.model
    }

    pub fn into_model(self) -> M {
        self.model
    }
}

impl<M: HasReset> Sim<M> {
    /// Holds reset high for `n_cycles` ticks, then releases it (the release takes effect
    /// from the next tick on).
    pub fn reset(&mut self, n_cycles: u64) {
        HasReset::set_reset(&mut self.model, true);
        self.ticks(n_cycles);
        HasReset::set_reset(&mut self.model, false);
    }
}

impl<M: Model> Deref for Sim<M> {
    type Target = M;
    fn deref(&self) -> &M {
        &self.model
    }
}

impl<M: Model> DerefMut for Sim<M> {
    fn deref_mut(&mut self) -> &mut M {
        &mut self.model
    }
}

impl<M: Model + fmt::Debug> fmt::Debug for Sim<M> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Sim")
            .field("top", &M::TOP)
            .field("cycles", &self.cycles)
            .field("wave_path", &self.wave_path)
            .field("model", &self.model)
            .finish()
    }
}
