pub mod curve;
pub mod engine;
pub mod field_alu;
pub mod gate;
pub mod trng;
pub mod uart;
mod wide;
