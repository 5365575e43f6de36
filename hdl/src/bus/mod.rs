//! Bus adapters in front of the gate's Wishbone request interface.

pub mod axi_lite;
