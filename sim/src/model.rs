//! The interface every generated model implements.

use crate::{InitState, PortInfo};
use num_bigint::BigUint;
use std::path::Path;

/// A verilated design. Generated for every catalog design (see [`crate::models`]); each also
/// has typed inherent accessors (`set_a_big`, `done()`, …) that are the fast path — the
/// by-name [`Model::set_port`]/[`Model::get_port`] are for generic code and tests.
pub trait Model: Sized {
    /// Verilog name of the top module, e.g. `scu_field_alu_w16`.
    const TOP: &'static str;
    /// Generator block and preset the design came from.
    const BLOCK: &'static str;
    const PRESET: &'static str;
    /// Name of the clock input; `None` for a combinational design (then it does not
    /// implement [`Clocked`]).
    const CLOCK: Option<&'static str>;
    /// Name of the reset input, if the design has one (then it implements [`HasReset`]).
    const RESET: Option<&'static str>;

    /// A new model (own `VerilatedContext`) whose initial state follows `init`: the traced
    /// build if `SCU_WAVES` asks for waves, otherwise the untraced one.
    fn create(init: InitState) -> Self {
        Self::create_with(init, crate::waves::env_asks())
    }
    /// A new model whose initial state follows `init`, from the traced build (which can open
    /// waves) if `traced`, otherwise from the untraced build: Verilator keeps every traced
    /// signal in memory, so the traced model is several times slower per cycle even with no
    /// waves open. Both come from the same RTL and run the same cycles.
    fn create_with(init: InitState, traced: bool) -> Self;
    /// The top's ports, in declaration order.
    fn ports() -> &'static [PortInfo];

    /// Settles the model after inputs changed.
    fn eval(&mut self);
    /// One step: for a clocked design one clock period — clock low + eval, clock high +
    /// eval, dumping waves (if open) at `trace_time` and `trace_time + 5`; for a
    /// combinational design one eval, dumped at `trace_time`. A single call into C++.
    fn step(&mut self, trace_time: u64);

    /// Sets input `name` to `value`. Errors for unknown ports, outputs and values ≥ 2^width.
    fn set_port(&mut self, name: &str, value: &BigUint) -> Result<(), String>;
    /// Reads any port by name.
    fn get_port(&self, name: &str) -> Result<BigUint, String>;

    /// Starts writing waves (VCD, or FST if built with `SCU_SIM_FST=1`) to `path`. Errors if
    /// the model was created without tracing ([`Model::create_with`]).
    fn trace_open(&mut self, path: &Path) -> Result<(), String>;
    /// Records every signal's current value at `time` (no-op without open waves).
    fn trace_dump(&mut self, time: u64);
    /// Flushes the waveform file.
    fn trace_flush(&mut self);
    /// Closes the waveform file (dropping the model does it too).
    fn trace_close(&mut self);
    /// Whether waves are open.
    fn tracing(&self) -> bool;

    /// Runs the design's `final` blocks (dropping the model does it too, once).
    fn finish(&mut self);
}

/// A model with a clock input.
pub trait Clocked: Model {
    /// Drives the clock input (call [`Model::eval`] to take effect; [`Model::step`] does
    /// a whole period).
    fn set_clock(&mut self, high: bool);
}

/// A model with a reset input.
pub trait HasReset: Clocked {
    /// Drives the reset input (active level as the design defines it; SCU designs use
    /// synchronous active-high reset).
    fn set_reset(&mut self, high: bool);
}
