//! `scu` library target: what the command line and the integration tests share.
//!
//! The commands themselves live in the binary (src/main.rs, src/cli/).

pub mod formats;
