//! SCU driver, `no_std` and without `alloc`, for the processor that talks to the SCU over its
//! register bus.
//!
//! For now it holds only the register map ([`regmap`]): the one description of the SCU's
//! registers from which the generator emits the Markdown documentation, the C header and the
//! SystemRDL file, and which the HDL decoder and the golden model read as well. The driver API
//! (commands, operand transfer, error handling) comes later, on top of the same constants.

// Tests use std (Box::leak for maps built at run time).
#![cfg_attr(not(test), no_std)]

pub mod regmap;
