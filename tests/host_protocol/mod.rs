//! The host side of `docs/host-protocol.md`, written for the tests from the document alone
//! (no code shared with the RTL or the driver): frames, a bitwise CRC-16/CCITT-FALSE, the
//! command and status codes.

#![allow(dead_code)]

pub const REQ_SYNC: u8 = 0xA5;
pub const RESP_SYNC: u8 = 0x5A;
pub const INFO: u8 = 0x00;
pub const READ: u8 = 0x01;
pub const WRITE: u8 = 0x02;

pub const OK: u8 = 0x00;
pub const BAD_CRC: u8 = 0x01;
pub const BAD_LENGTH: u8 = 0x02;
pub const UNKNOWN_CMD: u8 = 0x03;
pub const TRUNCATED: u8 = 0x04;
pub const BAD_ARG: u8 = 0x05;

/// CRC-16/CCITT-FALSE, one bit at a time.
pub fn crc16(bytes: &[u8]) -> u16 {
    let mut crc: u16 = 0xFFFF;
    for &b in bytes {
        for i in (0..8).rev() {
            let top = (crc >> 15) & 1 == 1;
            let bit = (b >> i) & 1 == 1;
            crc <<= 1;
            if top != bit {
                crc ^= 0x1021;
            }
        }
    }
    crc
}

/// sync, `seq`, `code`, `len`, payload, CRC (high byte first) over all but the sync.
pub fn frame(sync: u8, seq: u8, code: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![sync, seq, code, payload.len() as u8];
    f.extend_from_slice(payload);
    let c = crc16(&f[1..]);
    f.extend_from_slice(&c.to_be_bytes());
    f
}

pub fn request(seq: u8, cmd: u8, payload: &[u8]) -> Vec<u8> {
    frame(REQ_SYNC, seq, cmd, payload)
}

pub fn response(seq: u8, status: u8, payload: &[u8]) -> Vec<u8> {
    frame(RESP_SYNC, seq, status, payload)
}

pub fn read_req(seq: u8, privileged: bool, addr: u16, n: u8) -> Vec<u8> {
    let a = addr.to_le_bytes();
    request(seq, READ, &[u8::from(privileged), a[0], a[1], n])
}

pub fn write_req(seq: u8, privileged: bool, addr: u16, words: &[u32]) -> Vec<u8> {
    let a = addr.to_le_bytes();
    let mut p = vec![u8::from(privileged), a[0], a[1]];
    for w in words {
        p.extend_from_slice(&w.to_le_bytes());
    }
    request(seq, WRITE, &p)
}

pub fn words_le(words: &[u32]) -> Vec<u8> {
    words.iter().flat_map(|w| w.to_le_bytes()).collect()
}
