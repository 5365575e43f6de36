//! The frame layout of `docs/host-protocol.md` ("Frames", "Commands", "Status codes").

/// First byte of a request (host → board).
pub const SYNC_REQUEST: u8 = 0xA5;
/// First byte of a response (board → host).
pub const SYNC_RESPONSE: u8 = 0x5A;
/// Largest request `len`: a WRITE of eight words (flags, addr, 8 × 4 bytes).
pub const MAX_PAYLOAD: u8 = 35;
/// Wishbone accesses one frame may make.
pub const MAX_WORDS: u8 = 8;
/// INFO's first payload byte.
pub const PROTOCOL_VERSION: u8 = 1;

/// The request's `cmd` byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Cmd {
    Info = 0x00,
    Read = 0x01,
    Write = 0x02,
}

impl Cmd {
    pub fn from_code(code: u8) -> Option<Cmd> {
        match code {
            0x00 => Some(Cmd::Info),
            0x01 => Some(Cmd::Read),
            0x02 => Some(Cmd::Write),
            _ => None,
        }
    }
}

/// The response's `status` byte.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Ok = 0x00,
    BadCrc = 0x01,
    BadLength = 0x02,
    UnknownCmd = 0x03,
    Truncated = 0x04,
    BadArg = 0x05,
}

impl Status {
    pub fn code(self) -> u8 {
        self as u8
    }
}
