//! SCU hardware: blocks written in rust-hdl, and the emitter that turns them into named,
//! lint-clean Verilog with a manifest.

pub mod board;
pub mod bus;
pub mod curve;
pub mod emit;
pub mod emit_check;
pub mod engine;
pub mod field_alu;
pub mod gate;
pub mod preset;
pub mod regmap;
pub mod scu;
pub mod trng;
pub mod uart;

pub use emit::{Design, DesignSet};
