//! The UART bridge of an SCU board (`scu_uart_bridge`) at byte level: a golden model written
//! from `docs/host-protocol.md`, independent of the RTL (`hdl/src/uart/`) and of the host's
//! codec (`scu_driver::link`).
//!
//! The model has no clock. Its inputs are the events the bridge reacts to — a byte received,
//! or the line idle for the timeout ([`Event`]) — and its outputs are the response bytes and
//! the Wishbone accesses the bridge makes on a [`WbBus`]. When a timeout happens (and the
//! bytes the bridge drops while it responds) is the caller's business: the test harness or the
//! co-simulation knows the time, the model knows the rules.
//!
//! | file | what |
//! |---|---|
//! | `crc.rs` | CRC-16/CCITT-FALSE |
//! | `frame.rs` | the frame layout: sync bytes, commands, status codes, limits |
//! | `bus.rs` | the Wishbone side: a trait, implemented for closures |
//! | `bridge.rs` | the receiver's states and rules: hunt, oversize, truncated, checks, drain |

mod bridge;
mod bus;
mod crc;
mod frame;

pub use bridge::{Access, Bridge, BridgeConfig, Event, Phase, Reaction};
pub use bus::WbBus;
pub use crc::crc16;
pub use frame::{
    Cmd, Status, MAX_PAYLOAD, MAX_WORDS, PROTOCOL_VERSION, SYNC_REQUEST, SYNC_RESPONSE,
};
