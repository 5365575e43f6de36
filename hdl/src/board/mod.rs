//! Board support: the boards' facts (`spec`); the board tops land beside it.

pub mod spec;

pub use spec::{board, BoardSpec, Family, BOARDS};
