//! What can go wrong between the host and the board. The SCU itself never fails a bus access;
//! every [`LinkError`] is the link's (docs/host-protocol.md, "Host side").

use super::frame::LinkStatus;
use core::fmt;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LinkError {
    /// No complete response within the transport's timeout.
    Timeout,
    /// The byte stream ended (the port or the simulated board went away).
    Closed,
    /// The transport failed; the operating system's error number (0 if none).
    Io(i32),
    /// The response did not start with `0x5A`.
    BadSync(u8),
    /// The response's CRC does not match its bytes.
    BadCrc { sent: u16, computed: u16 },
    /// The response answers another request.
    WrongSeq { sent: u8, got: u8 },
    /// A `status` byte the protocol does not define.
    UnknownStatus(u8),
    /// The board rejected the request frame.
    Status(LinkStatus),
    /// An OK response whose payload length does not fit the command.
    BadResponseLength { expected: u8, got: u8 },
    /// INFO names a protocol version this host does not speak.
    Version(u8),
    /// The request cannot be framed: 0 or more than 8 words, an unaligned address, or one past
    /// the 4 KiB register block. Nothing was sent.
    BadRequest,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match *self {
            LinkError::Timeout => f.write_str("no response from the board within the timeout"),
            LinkError::Closed => f.write_str("the link was closed"),
            LinkError::Io(0) => f.write_str("I/O error on the link"),
            LinkError::Io(errno) => write!(f, "I/O error on the link (errno {errno})"),
            LinkError::BadSync(b) => {
                write!(f, "response starts with {b:#04x}, not the sync byte 0x5a")
            }
            LinkError::BadCrc { sent, computed } => write!(
                f,
                "response CRC {sent:#06x} does not match its bytes ({computed:#06x})"
            ),
            LinkError::WrongSeq { sent, got } => {
                write!(f, "response to request {got}, expected {sent}")
            }
            LinkError::UnknownStatus(s) => write!(f, "response with unknown status {s:#04x}"),
            LinkError::Status(s) => write!(f, "the board answered {} ({})", s.name(), s.meaning()),
            LinkError::BadResponseLength { expected, got } => {
                write!(f, "response payload of {got} bytes, expected {expected}")
            }
            LinkError::Version(v) => write!(f, "the board speaks link protocol version {v}, not 1"),
            LinkError::BadRequest => f.write_str(
                "request not framable (1 to 8 aligned words inside the 4 KiB register block)",
            ),
        }
    }
}
