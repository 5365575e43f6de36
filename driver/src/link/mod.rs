//! The host side of the UART link to an SCU board (`docs/host-protocol.md`): the frame codec
//! and [`UartBus`], the driver's [`crate::Bus`] over any byte stream, so that a host runs the
//! same [`crate::Scu`] over a serial port as a processor does over [`crate::Mmio`].
//!
//! | file | what |
//! |---|---|
//! | `crc.rs` | CRC-16/CCITT-FALSE |
//! | `frame.rs` | requests, responses, status codes, INFO |
//! | `error.rs` | [`LinkError`]: everything that can go wrong on the link |
//! | `uart_bus.rs` | [`Transport`] (bytes in and out) and [`UartBus`] |
//!
//! ```
//! use scu_driver::link::{LinkError, Transport, UartBus};
//! use scu_driver::Scu;
//!
//! fn probe<T: Transport>(port: T) -> Result<u8, LinkError> {
//!     let mut scu = Scu::new(UartBus::new(port), true);
//!     let info = scu.bus().info()?;
//!     let _ = scu.probe(); // ID through a READ frame
//!     scu.bus_ref().error().map_or(Ok(info.word_width), Err)
//! }
//! ```

pub mod crc;
mod error;
pub mod frame;
mod uart_bus;

pub use error::LinkError;
pub use frame::{LinkInfo, LinkStatus};
pub use uart_bus::{Transport, UartBus};
