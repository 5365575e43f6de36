//! `scu` library target: what the command line and the integration tests share (file
//! formats, the simulated-hardware facade).
//!
//! The commands themselves live in the binary (src/main.rs, src/cli/).

pub mod asic;
pub mod device;
pub mod formats;
pub mod fpga;
pub mod hw;
