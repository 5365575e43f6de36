pub mod curve;
pub mod engine;
pub mod field_alu;
mod wide;
