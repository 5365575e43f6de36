//! The frames of `docs/host-protocol.md`: requests encoded into a caller's buffer, responses
//! checked and decoded in place. No allocation.

use super::crc::crc16;
use super::error::LinkError;

pub const SYNC_REQUEST: u8 = 0xA5;
pub const SYNC_RESPONSE: u8 = 0x5A;
/// sync, seq, cmd/status, len.
pub const HEADER_BYTES: usize = 4;
pub const CRC_BYTES: usize = 2;
/// Largest request payload: flags, addr and eight words.
pub const MAX_PAYLOAD: usize = 35;
/// Largest response payload: eight words read.
pub const MAX_RESPONSE_PAYLOAD: usize = 4 * MAX_WORDS;
pub const MAX_REQUEST_BYTES: usize = HEADER_BYTES + MAX_PAYLOAD + CRC_BYTES;
pub const MAX_RESPONSE_BYTES: usize = HEADER_BYTES + MAX_RESPONSE_PAYLOAD + CRC_BYTES;
/// Wishbone accesses per frame.
pub const MAX_WORDS: usize = 8;
/// The protocol version this host speaks (INFO's first byte).
pub const PROTOCOL_VERSION: u8 = 1;
/// The register block a frame may address.
pub const BLOCK_BYTES: u32 = 0x1000;

pub const CMD_INFO: u8 = 0x00;
pub const CMD_READ: u8 = 0x01;
pub const CMD_WRITE: u8 = 0x02;
const INFO_BYTES: usize = 6;

/// A response's `status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum LinkStatus {
    Ok = 0x00,
    BadCrc = 0x01,
    BadLength = 0x02,
    UnknownCmd = 0x03,
    Truncated = 0x04,
    BadArg = 0x05,
}

impl LinkStatus {
    pub const ALL: [LinkStatus; 6] = [
        LinkStatus::Ok,
        LinkStatus::BadCrc,
        LinkStatus::BadLength,
        LinkStatus::UnknownCmd,
        LinkStatus::Truncated,
        LinkStatus::BadArg,
    ];

    pub const fn code(self) -> u8 {
        self as u8
    }

    pub const fn from_code(code: u8) -> Option<LinkStatus> {
        Some(match code {
            0x00 => LinkStatus::Ok,
            0x01 => LinkStatus::BadCrc,
            0x02 => LinkStatus::BadLength,
            0x03 => LinkStatus::UnknownCmd,
            0x04 => LinkStatus::Truncated,
            0x05 => LinkStatus::BadArg,
            _ => return None,
        })
    }

    /// The name in the protocol's table.
    pub const fn name(self) -> &'static str {
        match self {
            LinkStatus::Ok => "OK",
            LinkStatus::BadCrc => "BAD_CRC",
            LinkStatus::BadLength => "BAD_LENGTH",
            LinkStatus::UnknownCmd => "UNKNOWN_CMD",
            LinkStatus::Truncated => "TRUNCATED",
            LinkStatus::BadArg => "BAD_ARG",
        }
    }

    /// What the board is saying, for error messages.
    pub const fn meaning(self) -> &'static str {
        match self {
            LinkStatus::Ok => "the frame was executed",
            LinkStatus::BadCrc => "the request's CRC did not match",
            LinkStatus::BadLength => "the request's length does not fit its command",
            LinkStatus::UnknownCmd => "unknown request command",
            LinkStatus::Truncated => "the request stopped in the middle",
            LinkStatus::BadArg => "reserved flags, an unaligned address or one past 0xFFF",
        }
    }
}

/// One request.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Request<'a> {
    Info,
    /// `n` words from byte offset `addr`.
    Read {
        privileged: bool,
        addr: u32,
        n: usize,
    },
    /// `words` to byte offset `addr` onwards.
    Write {
        privileged: bool,
        addr: u32,
        words: &'a [u32],
    },
}

impl Request<'_> {
    /// Payload bytes of the OK response.
    pub const fn response_len(&self) -> usize {
        match self {
            Request::Info => INFO_BYTES,
            Request::Read { n, .. } => 4 * *n,
            Request::Write { .. } => 0,
        }
    }

    /// Writes the frame with sequence number `seq` into `out`; returns its length.
    /// [`LinkError::BadRequest`] for what the board would refuse with BAD_LENGTH or BAD_ARG.
    pub fn encode(&self, seq: u8, out: &mut [u8; MAX_REQUEST_BYTES]) -> Result<usize, LinkError> {
        let (cmd, len) = match *self {
            Request::Info => (CMD_INFO, 0),
            Request::Read {
                privileged,
                addr,
                n,
            } => {
                let a = check_range(addr, n)?;
                out[4..8].copy_from_slice(&[privileged as u8, a[0], a[1], n as u8]);
                (CMD_READ, 4)
            }
            Request::Write {
                privileged,
                addr,
                words,
            } => {
                let a = check_range(addr, words.len())?;
                out[4..7].copy_from_slice(&[privileged as u8, a[0], a[1]]);
                for (i, w) in words.iter().enumerate() {
                    out[7 + 4 * i..11 + 4 * i].copy_from_slice(&w.to_le_bytes());
                }
                (CMD_WRITE, 3 + 4 * words.len())
            }
        };
        out[..4].copy_from_slice(&[SYNC_REQUEST, seq, cmd, len as u8]);
        let crc = crc16(&out[1..HEADER_BYTES + len]);
        out[HEADER_BYTES + len..HEADER_BYTES + len + CRC_BYTES].copy_from_slice(&crc.to_be_bytes());
        Ok(HEADER_BYTES + len + CRC_BYTES)
    }
}

/// The little-endian address bytes of an access of `n` words at `addr`, if a frame can carry it.
fn check_range(addr: u32, n: usize) -> Result<[u8; 2], LinkError> {
    // n ≤ 8 first, so that the subtraction cannot wrap (and nothing overflows near u32::MAX).
    if n == 0 || n > MAX_WORDS || addr & 3 != 0 || addr > BLOCK_BYTES - 4 * n as u32 {
        return Err(LinkError::BadRequest);
    }
    let a = (addr as u16).to_le_bytes();
    Ok(a)
}

/// The whole length of the response that starts with `header`, if it can be a response
/// this host ever asks for.
pub fn response_frame_len(header: &[u8; HEADER_BYTES]) -> Result<usize, LinkError> {
    if header[0] != SYNC_RESPONSE {
        return Err(LinkError::BadSync(header[0]));
    }
    let len = header[3] as usize;
    if len > MAX_RESPONSE_PAYLOAD {
        return Err(LinkError::BadResponseLength {
            expected: MAX_RESPONSE_PAYLOAD as u8,
            got: header[3],
        });
    }
    Ok(HEADER_BYTES + len + CRC_BYTES)
}

/// Checks a whole response frame against the request it answers (sequence number `seq`,
/// `expected_len` payload bytes when OK) and returns its payload. Checks in order: sync,
/// length, CRC, seq, status (an error status is [`LinkError::Status`]), payload length.
pub fn decode_response(frame: &[u8], seq: u8, expected_len: usize) -> Result<&[u8], LinkError> {
    let header: &[u8; HEADER_BYTES] = frame
        .get(..HEADER_BYTES)
        .and_then(|h| h.try_into().ok())
        .ok_or(LinkError::Closed)?;
    let total = response_frame_len(header)?;
    if frame.len() != total {
        return Err(LinkError::BadResponseLength {
            expected: header[3],
            got: frame.len().saturating_sub(HEADER_BYTES + CRC_BYTES) as u8,
        });
    }
    let body = &frame[1..total - CRC_BYTES];
    let sent = u16::from_be_bytes([frame[total - 2], frame[total - 1]]);
    let computed = crc16(body);
    if sent != computed {
        return Err(LinkError::BadCrc { sent, computed });
    }
    if frame[1] != seq {
        return Err(LinkError::WrongSeq {
            sent: seq,
            got: frame[1],
        });
    }
    match LinkStatus::from_code(frame[2]) {
        None => return Err(LinkError::UnknownStatus(frame[2])),
        Some(LinkStatus::Ok) => {}
        Some(s) => return Err(LinkError::Status(s)),
    }
    let payload = &frame[HEADER_BYTES..total - CRC_BYTES];
    if payload.len() != expected_len {
        return Err(LinkError::BadResponseLength {
            expected: expected_len as u8,
            got: payload.len() as u8,
        });
    }
    Ok(payload)
}

/// INFO's answer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct LinkInfo {
    pub version: u8,
    /// The engine's word width W.
    pub word_width: u8,
    pub slots: u8,
    /// Words per READ or WRITE frame.
    pub max_words: u8,
    /// The board's bit time in clock cycles (`clock_hz / baud`).
    pub clocks_per_bit: u16,
}

impl LinkInfo {
    /// Decodes INFO's payload; [`LinkError::Version`] for a protocol this host does not speak.
    pub fn from_payload(p: &[u8]) -> Result<LinkInfo, LinkError> {
        if p.len() != INFO_BYTES {
            return Err(LinkError::BadResponseLength {
                expected: INFO_BYTES as u8,
                got: p.len() as u8,
            });
        }
        if p[0] != PROTOCOL_VERSION {
            return Err(LinkError::Version(p[0]));
        }
        Ok(LinkInfo {
            version: p[0],
            word_width: p[1],
            slots: p[2],
            max_words: p[3],
            clocks_per_bit: u16::from_le_bytes([p[4], p[5]]),
        })
    }
}
