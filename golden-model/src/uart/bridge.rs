//! The bridge's receiver and executor: what each received byte or idle timeout does, in the
//! order of `docs/host-protocol.md` ("Status codes and error handling").

use super::bus::WbBus;
use super::crc::crc16;
use super::frame::{
    Cmd, Status, MAX_PAYLOAD, MAX_WORDS, PROTOCOL_VERSION, SYNC_REQUEST, SYNC_RESPONSE,
};
use crate::gate::Request;

/// What the board's top ties the bridge to: reported by INFO.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct BridgeConfig {
    /// The engine's word width W.
    pub word_width: u8,
    pub slots: u8,
    /// The bit time in clock cycles.
    pub clocks_per_bit: u16,
}

/// One input to the bridge.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Event {
    /// A byte received with a valid stop bit (framing errors never reach the bridge).
    Byte(u8),
    /// The line has been idle for the timeout (16 byte times) since the last byte ended.
    IdleTimeout,
}

/// Where the receiver is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Outside a frame: waiting for `0xA5`.
    Hunt,
    /// Inside a frame, after its sync byte.
    Frame,
    /// After an error: dropping bytes until the line is idle.
    Drain,
}

/// One Wishbone access the bridge made.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Access {
    pub req: Request,
    /// What the slave returned (meaningful for reads).
    pub rdata: u32,
}

/// What one event caused.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Reaction {
    /// A whole response frame, or nothing.
    pub response: Vec<u8>,
    /// The accesses made before it, in order.
    pub accesses: Vec<Access>,
}

#[derive(Clone, Debug)]
pub struct Bridge {
    config: BridgeConfig,
    phase: Phase,
    /// The frame's bytes after the sync: seq, cmd, len, payload, CRC.
    frame: Vec<u8>,
}

/// A frame that passed every check, decoded.
struct Valid {
    cmd: Cmd,
    privileged: bool,
    addr: u32,
    /// Words to write (WRITE), or `n` zeros (READ).
    words: Vec<u32>,
}

impl Bridge {
    /// A bridge out of reset: hunting.
    pub fn new(config: BridgeConfig) -> Self {
        Bridge {
            config,
            phase: Phase::Hunt,
            frame: Vec::new(),
        }
    }

    pub fn phase(&self) -> Phase {
        self.phase
    }

    pub fn event(&mut self, event: Event, bus: &mut impl WbBus) -> Reaction {
        match (self.phase, event) {
            (Phase::Hunt, Event::Byte(SYNC_REQUEST)) => {
                self.phase = Phase::Frame;
                self.frame.clear();
                Reaction::default()
            }
            (Phase::Hunt, _) => Reaction::default(),
            (Phase::Drain, Event::Byte(_)) => Reaction::default(),
            (Phase::Drain, Event::IdleTimeout) => {
                self.phase = Phase::Hunt;
                Reaction::default()
            }
            (Phase::Frame, Event::IdleTimeout) => {
                // The line is already idle: hunting again needs no drain.
                let seq = self.frame.first().copied().unwrap_or(0);
                self.phase = Phase::Hunt;
                error(seq, Status::Truncated)
            }
            (Phase::Frame, Event::Byte(b)) => self.frame_byte(b, bus),
        }
    }

    fn frame_byte(&mut self, b: u8, bus: &mut impl WbBus) -> Reaction {
        self.frame.push(b);
        let f = &self.frame;
        if f.len() < 3 {
            return Reaction::default();
        }
        let len = f[2];
        if len > MAX_PAYLOAD {
            // Answered at once: with no trustworthy length the end of the frame is unknown.
            self.phase = Phase::Drain;
            return error(f[0], Status::BadLength);
        }
        if f.len() < 3 + len as usize + 2 {
            return Reaction::default();
        }
        let seq = f[0];
        match check(f) {
            Ok(valid) => {
                self.phase = Phase::Hunt;
                self.execute(seq, valid, bus)
            }
            Err(status) => {
                self.phase = Phase::Drain;
                error(seq, status)
            }
        }
    }

    fn execute(&self, seq: u8, v: Valid, bus: &mut impl WbBus) -> Reaction {
        let mut accesses = Vec::new();
        let mut payload = Vec::new();
        match v.cmd {
            Cmd::Info => {
                payload.extend_from_slice(&[
                    PROTOCOL_VERSION,
                    self.config.word_width,
                    self.config.slots,
                    MAX_WORDS,
                ]);
                payload.extend_from_slice(&self.config.clocks_per_bit.to_le_bytes());
            }
            Cmd::Read | Cmd::Write => {
                let we = v.cmd == Cmd::Write;
                for (i, &wdata) in v.words.iter().enumerate() {
                    let req = Request {
                        we,
                        addr: v.addr + 4 * i as u32,
                        wdata,
                        privileged: v.privileged,
                    };
                    let rdata = bus.access(req);
                    accesses.push(Access { req, rdata });
                    if !we {
                        payload.extend_from_slice(&rdata.to_le_bytes());
                    }
                }
            }
        }
        Reaction {
            response: response(seq, Status::Ok, &payload),
            accesses,
        }
    }
}

/// The checks after the last CRC byte, first failing one wins. `f` is the whole frame after
/// the sync byte, its length consistent with its `len` byte.
fn check(f: &[u8]) -> Result<Valid, Status> {
    let len = f[2] as usize;
    let body = &f[..3 + len];
    let sent = u16::from_be_bytes([f[3 + len], f[4 + len]]);
    if crc16(body) != sent {
        return Err(Status::BadCrc);
    }
    let cmd = Cmd::from_code(f[1]).ok_or(Status::UnknownCmd)?;
    let p = &body[3..];
    let n = match cmd {
        Cmd::Info => {
            return if len == 0 {
                Ok(Valid {
                    cmd,
                    privileged: false,
                    addr: 0,
                    words: Vec::new(),
                })
            } else {
                Err(Status::BadLength)
            }
        }
        Cmd::Read => {
            if len != 4 || !(1..=MAX_WORDS).contains(&p[3]) {
                return Err(Status::BadLength);
            }
            p[3] as usize
        }
        Cmd::Write => {
            if len < 7 || (len - 3) & 3 != 0 {
                return Err(Status::BadLength);
            }
            (len - 3) / 4
        }
    };
    let flags = p[0];
    let addr = u16::from_le_bytes([p[1], p[2]]) as u32;
    if flags & 0xFE != 0 || addr & 3 != 0 || addr + 4 * n as u32 > 0x1000 {
        return Err(Status::BadArg);
    }
    let words = match cmd {
        Cmd::Write => p[3..]
            .chunks_exact(4)
            .map(|c| u32::from_le_bytes([c[0], c[1], c[2], c[3]]))
            .collect(),
        _ => vec![0; n],
    };
    Ok(Valid {
        cmd,
        privileged: flags & 1 == 1,
        addr,
        words,
    })
}

fn error(seq: u8, status: Status) -> Reaction {
    Reaction {
        response: response(seq, status, &[]),
        accesses: Vec::new(),
    }
}

fn response(seq: u8, status: Status, payload: &[u8]) -> Vec<u8> {
    let mut r = vec![SYNC_RESPONSE, seq, status.code(), payload.len() as u8];
    r.extend_from_slice(payload);
    let crc = crc16(&r[1..]);
    r.extend_from_slice(&crc.to_be_bytes());
    r
}
