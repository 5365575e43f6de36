pub mod curve;
pub mod field_alu;
