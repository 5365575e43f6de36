//! Board support: the boards' facts (`spec`), the smoke test that brings a board up
//! (`smoke`); the board tops land beside them.

pub mod smoke;
pub mod spec;

pub use spec::{board, BoardSpec, Family, BOARDS};
