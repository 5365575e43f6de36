//! SCU driver, `no_std` and without `alloc`, for the processor that talks to the SCU over its
//! register bus.
//!
//! - [`regmap`]: the one description of the SCU's registers, from which the generator emits the
//!   Markdown documentation, the C header and the SystemRDL file, and which the HDL decoder and
//!   the golden model read as well. The driver takes every offset, field and code from it.
//! - [`Bus`] ([`bus`]): 32-bit accesses with a privilege bit; [`Mmio`] for a processor,
//!   simulators and the golden model in tests.
//! - [`Scu`] ([`device`]): the command protocol (operand windows, `CMD`, refusal detection
//!   through `VIOLATIONS` and `ERR.last`, polling, engine status, result windows), slot
//!   policies, configuration and the TRNG. It passes every request to the hardware gate.
//! - [`App`] and [`Capability`] ([`capability`]): the software gate in front of [`Scu`] for
//!   applications — operations and slots checked before any bus access.
//! - [`link`]: the host side of an SCU board's UART link — the frame codec and
//!   [`link::UartBus`], a [`Bus`] over any byte stream (`docs/host-protocol.md`).
//! - [`Error`], [`ErrCode`], [`EngineStatus`] ([`error`]) and the exchanged values
//!   ([`PublicKey`], [`Signature`], [`SlotPolicy`], [`Status`]… in [`types`]).
//!
//! `docs/driver.md` describes the protocol, the error model and what each layer protects.
//!
//! ```
//! use scu_driver::{Bus, Capability, Error, Ops, Scu};
//!
//! fn sign_with_slot_2<B: Bus>(scu: &mut Scu<B>, digest: &[u8; 32]) -> Result<(), Error> {
//!     let mut app = scu.app(Capability::new(Capability::slot_bit(2), Ops::SIGN | Ops::PUBKEY));
//!     let _key = app.public_key(2)?;
//!     let _sig = app.sign(2, digest)?;
//!     assert_eq!(app.sign(3, digest), Err(Error::Denied)); // slot 3: no bus access made
//!     Ok(())
//! }
//! ```

// Tests use std (Box::leak for maps built at run time, the fake bus's log).
#![cfg_attr(not(test), no_std)]

pub mod bus;
pub mod capability;
pub mod device;
pub mod error;
pub mod link;
pub mod regmap;
pub mod types;

#[cfg(test)]
mod fake;
#[cfg(test)]
mod tests;

pub use bus::{Bus, Counted, Mmio};
pub use capability::{App, Capability, Ops};
pub use device::{Scu, DEFAULT_POLL_LIMIT};
pub use error::{EngineStatus, ErrCode, Error};
pub use types::{
    Info, LockdownThreshold, PublicKey, Signature, SlotPolicy, SlotState, Status, TrngStatus,
    UserAllow,
};
