//! `scu` library target: what the command line and the integration tests share (file
//! formats, the simulated-hardware facade, the serial link to a board).
//!
//! The commands themselves live in the binary (src/main.rs, src/cli/).

pub mod asic;
pub mod board_link;
pub mod device;
pub mod explore;
pub mod formats;
pub mod fpga;
pub mod hw;
