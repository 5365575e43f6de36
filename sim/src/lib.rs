//! SCU's Verilator co-simulation layer.
//!
//! Every design in `scu_hdl::preset::sim_catalog()` is verilated and compiled at build time
//! (see `build.rs`) from exactly the Verilog files `scu generate` writes, and appears here as
//! a typed struct in [`models`] — `scu_field_alu_w16` becomes [`models::ScuFieldAluW16`] —
//! implementing [`Model`]. [`Sim`] drives any model: clock, reset, run-until, waveforms.
//!
//! ```no_run
//! use scu_sim::models::ScuFieldAluW16;
//! use scu_sim::{Sim, SimOptions};
//! use num_bigint::BigUint;
//!
//! let mut sim = Sim::<ScuFieldAluW16>::create(SimOptions::new().random_init(7));
//! sim.reset(2);
//! sim.set_op(0); // ADD
//! sim.set_mod_sel(0); // mod p
//! sim.set_a_big(&BigUint::from(1u32));
//! sim.set_b_big(&BigUint::from(2u32));
//! sim.set_start(1);
//! let cycles = sim.run_until(|m| m.done() == 1, 1_000).unwrap(); // 33 = 2S + 1
//! assert_eq!(sim.result_big(), BigUint::from(3u32));
//! ```
//!
//! Waveforms: [`SimOptions::waves`] per run, or `SCU_WAVES=<dir>` for every [`Sim`] of a
//! process (`<dir>/<top>-<n>.vcd`). Build with `SCU_SIM_FST=1` for FST instead of VCD. Each
//! design is compiled twice, traced and untraced: a model asked for waves when it is created
//! is the traced one; every other model is the untraced one, several times faster per cycle,
//! which cannot open waves later ([`Model::create_with`] chooses explicitly).
//!
//! Models are not `Send`: Verilator requires a model to be evaluated on the thread that
//! created it. Any number of models (of the same or different designs) may coexist.

mod bits;
pub mod board;
mod catalog;
pub mod engine;
mod init;
mod model;
mod options;
mod port;
pub mod scu;
mod sim;
pub mod trng;
mod waves;

/// The generated models, one struct per catalog design (from `$OUT_DIR/models.rs`).
#[allow(clippy::all)]
pub mod models {
    include!(concat!(env!("OUT_DIR"), "/models.rs"));
}

pub use catalog::{CatalogEntry, ModelVisitor};
pub use init::InitState;
pub use model::{Clocked, HasReset, Model};
pub use models::{for_each_model, CATALOG};
pub use options::{SimOptions, Waves};
pub use port::{Direction, PortInfo};
pub use sim::{Sim, Timeout};
pub use waves::{WAVES_ENV, WAVE_FORMAT};

/// The Verilator that built the models (`verilator --version`).
pub const VERILATOR_VERSION: &str = env!("SCU_SIM_VERILATOR_VERSION");
