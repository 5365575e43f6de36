pub mod curve;
pub mod engine;
pub mod field_alu;
pub mod gate;
pub mod trng;
mod wide;
