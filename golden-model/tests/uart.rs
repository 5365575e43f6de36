//! The UART bridge's golden model (`scu_golden::uart`) against `docs/host-protocol.md`: frames
//! built here by hand, a plain memory and the gate's model as the Wishbone slave. Every rule of
//! the contract has a test — hunting, oversize, truncation with and without `seq`, the order of
//! the checks, draining — and every malformed frame must make no bus access at all.

use proptest::prelude::*;
use scu_driver::regmap::scu::{addr, id, ID_MAGIC};
use scu_golden::gate::{access, idle, Gate, GateConfig, Request};
use scu_golden::trng::NoiseSource;
use scu_golden::uart::{crc16, Access, Bridge, BridgeConfig, Event, Phase};
use std::collections::HashMap;

const CONFIG: BridgeConfig = BridgeConfig {
    word_width: 64,
    slots: 8,
    clocks_per_bit: 868,
};

// Status codes, spelled out from the table in the contract rather than taken from the model.
const OK: u8 = 0x00;
const BAD_CRC: u8 = 0x01;
const BAD_LENGTH: u8 = 0x02;
const UNKNOWN_CMD: u8 = 0x03;
const TRUNCATED: u8 = 0x04;
const BAD_ARG: u8 = 0x05;

/// 4 KiB of words, logging every access.
#[derive(Default)]
struct Memory {
    words: HashMap<u32, u32>,
    log: Vec<Request>,
}

impl Memory {
    fn access(&mut self, req: Request) -> u32 {
        self.log.push(req);
        if req.we {
            self.words.insert(req.addr, req.wdata);
            0
        } else {
            // An address-dependent default, so a read of the wrong address shows.
            *self
                .words
                .get(&req.addr)
                .unwrap_or(&(req.addr ^ 0xDEAD_0000))
        }
    }
}

struct Bench {
    bridge: Bridge,
    mem: Memory,
}

impl Bench {
    fn new() -> Self {
        Bench {
            bridge: Bridge::new(CONFIG),
            mem: Memory::default(),
        }
    }

    /// Feeds the bytes; returns every response byte and access they caused.
    fn feed(&mut self, bytes: &[u8]) -> (Vec<u8>, Vec<Access>) {
        let mut out = Vec::new();
        let mut acc = Vec::new();
        for &b in bytes {
            let mem = &mut self.mem;
            let r = self
                .bridge
                .event(Event::Byte(b), &mut |req| mem.access(req));
            out.extend(r.response);
            acc.extend(r.accesses);
        }
        (out, acc)
    }

    fn timeout(&mut self) -> Vec<u8> {
        let mem = &mut self.mem;
        let r = self
            .bridge
            .event(Event::IdleTimeout, &mut |req| mem.access(req));
        assert!(r.accesses.is_empty());
        r.response
    }

    /// Sends a frame and returns the one response it must produce.
    fn exchange(&mut self, frame: &[u8]) -> Resp {
        let (out, _) = self.feed(frame);
        parse(&out)
    }
}

// ───────────────────────────── frames, by hand ─────────────────────────────

fn frame(seq: u8, cmd: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0xA5, seq, cmd, payload.len() as u8];
    f.extend_from_slice(payload);
    let crc = crc16(&f[1..]);
    f.push((crc >> 8) as u8);
    f.push(crc as u8);
    f
}

fn read_frame(seq: u8, privileged: bool, addr: u16, n: u8) -> Vec<u8> {
    let a = addr.to_le_bytes();
    frame(seq, 0x01, &[privileged as u8, a[0], a[1], n])
}

fn write_frame(seq: u8, privileged: bool, addr: u16, words: &[u32]) -> Vec<u8> {
    let a = addr.to_le_bytes();
    let mut p = vec![privileged as u8, a[0], a[1]];
    for w in words {
        p.extend_from_slice(&w.to_le_bytes());
    }
    frame(seq, 0x02, &p)
}

#[derive(Debug, PartialEq, Eq)]
struct Resp {
    seq: u8,
    status: u8,
    payload: Vec<u8>,
}

/// Exactly one well-formed response frame.
fn parse(bytes: &[u8]) -> Resp {
    assert!(bytes.len() >= 6, "no complete response: {bytes:02x?}");
    assert_eq!(bytes[0], 0x5A, "response sync");
    let len = bytes[3] as usize;
    assert_eq!(bytes.len(), 6 + len, "one frame: {bytes:02x?}");
    let crc = crc16(&bytes[1..4 + len]);
    assert_eq!(
        [bytes[4 + len], bytes[5 + len]],
        crc.to_be_bytes(),
        "response CRC, high byte first"
    );
    Resp {
        seq: bytes[1],
        status: bytes[2],
        payload: bytes[4..4 + len].to_vec(),
    }
}

fn error(seq: u8, status: u8) -> Resp {
    Resp {
        seq,
        status,
        payload: Vec::new(),
    }
}

// ───────────────────────────── CRC ─────────────────────────────

#[test]
fn crc_is_ccitt_false() {
    assert_eq!(crc16(b"123456789"), 0x29B1, "the catalogue's check value");
    assert_eq!(crc16(b""), 0xFFFF, "initial value, no final XOR");
    // One bit set: the polynomial appears after shifting the initial register through.
    assert_eq!(crc16(&[0x00]), 0xE1F0);
}

proptest! {
    /// The host's table-driven CRC (`scu_driver::link::crc`) and the model's bitwise one,
    /// written separately, agree.
    #[test]
    fn crc_matches_the_hosts(data in proptest::collection::vec(any::<u8>(), 0..64)) {
        prop_assert_eq!(crc16(&data), scu_driver::link::crc::crc16(&data));
    }
}

// ───────────────────────────── well-formed frames ─────────────────────────────

#[test]
fn info_reports_the_configuration() {
    let mut b = Bench::new();
    let r = b.exchange(&frame(0x37, 0x00, &[]));
    assert_eq!(
        r,
        Resp {
            seq: 0x37,
            status: OK,
            payload: vec![1, 64, 8, 8, 0x64, 0x03], // 868 = 0x0364, little-endian
        }
    );
    assert!(b.mem.log.is_empty());
    assert_eq!(b.bridge.phase(), Phase::Hunt);
}

#[test]
fn write_then_read_every_word_count() {
    let mut b = Bench::new();
    for n in 1..=8u8 {
        for &privileged in &[false, true] {
            let base = 0x100 * n as u16 + 0x40;
            let words: Vec<u32> = (0..n as u32)
                .map(|i| 0x0102_0304u32.wrapping_mul(i + 7) ^ n as u32)
                .collect();
            b.mem.log.clear();
            let r = b.exchange(&write_frame(n, privileged, base, &words));
            assert_eq!(r, error(n, OK), "a WRITE answers OK with no payload");
            let want: Vec<Request> = words
                .iter()
                .enumerate()
                .map(|(i, &w)| Request::write(base as u32 + 4 * i as u32, w, privileged))
                .collect();
            assert_eq!(b.mem.log, want, "one access per word, in order");

            b.mem.log.clear();
            let r = b.exchange(&read_frame(n ^ 0x80, privileged, base, n));
            assert_eq!((r.seq, r.status), (n ^ 0x80, OK));
            let got: Vec<u32> = r
                .payload
                .chunks_exact(4)
                .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
                .collect();
            assert_eq!(got, words, "words read back, little-endian, in order");
            let want: Vec<Request> = (0..n as u32)
                .map(|i| Request::read(base as u32 + 4 * i, privileged))
                .collect();
            assert_eq!(b.mem.log, want);
        }
    }
}

#[test]
fn the_last_word_of_the_block_is_reachable() {
    let mut b = Bench::new();
    assert_eq!(b.exchange(&read_frame(1, true, 0xFFC, 1)).status, OK);
    assert_eq!(b.exchange(&read_frame(2, true, 0xFE0, 8)).status, OK);
    assert_eq!(b.mem.log.len(), 9);
}

#[test]
fn frames_follow_each_other_without_a_gap() {
    let mut b = Bench::new();
    let mut bytes = write_frame(1, true, 0x10, &[0xAABB_CCDD]);
    bytes.extend(read_frame(2, true, 0x10, 1));
    let (out, acc) = b.feed(&bytes);
    assert_eq!(acc.len(), 2);
    assert_eq!(parse(&out[..6]), error(1, OK));
    assert_eq!(
        parse(&out[6..]),
        Resp {
            seq: 2,
            status: OK,
            payload: 0xAABB_CCDDu32.to_le_bytes().to_vec()
        }
    );
}

// ───────────────────────────── hunting ─────────────────────────────

#[test]
fn bytes_outside_a_frame_are_dropped() {
    let mut b = Bench::new();
    // Everything but the sync, including a response sync and timeouts in between.
    let noise: Vec<u8> = (0..=255u8).filter(|&x| x != 0xA5).collect();
    let (out, acc) = b.feed(&noise);
    assert!(out.is_empty() && acc.is_empty());
    assert!(
        b.timeout().is_empty(),
        "an idle line outside a frame is not an error"
    );
    assert_eq!(b.bridge.phase(), Phase::Hunt);
    let mut bytes = noise.clone();
    bytes.extend(read_frame(9, false, 0x20, 1));
    let (out, acc) = b.feed(&bytes);
    assert_eq!(parse(&out).status, OK);
    assert_eq!(acc.len(), 1);
}

// ───────────────────────────── oversize ─────────────────────────────

#[test]
fn oversize_len_is_answered_at_once_then_drained() {
    for len in [36u8, 37, 0x80, 0xFF] {
        let mut b = Bench::new();
        let (out, acc) = b.feed(&[0xA5, 0x42, 0x01, len]);
        assert_eq!(parse(&out), error(0x42, BAD_LENGTH), "len {len}");
        assert!(acc.is_empty());
        assert_eq!(b.bridge.phase(), Phase::Drain);
        // The rest of the frame, and even a whole valid frame, are dropped while draining.
        let mut rest = vec![0u8; len as usize + 2];
        rest.extend(read_frame(1, true, 0, 1));
        let (out, acc) = b.feed(&rest);
        assert!(out.is_empty() && acc.is_empty(), "len {len}: drained");
        assert!(b.timeout().is_empty());
        assert_eq!(b.bridge.phase(), Phase::Hunt);
        assert_eq!(b.exchange(&read_frame(2, true, 0, 1)), {
            let mut r = error(2, OK);
            r.payload = 0xDEAD_0000u32.to_le_bytes().to_vec();
            r
        });
    }
}

#[test]
fn the_largest_len_is_not_oversize() {
    let mut b = Bench::new();
    let r = b.exchange(&write_frame(5, false, 0x80, &[1, 2, 3, 4, 5, 6, 7, 8]));
    assert_eq!(r, error(5, OK));
    assert_eq!(b.mem.log.len(), 8);
}

// ───────────────────────────── truncation ─────────────────────────────

#[test]
fn idle_inside_a_frame_truncates_it_at_every_position() {
    let full = write_frame(0x6C, true, 0x40, &[0x1111_2222, 0x3333_4444]);
    for cut in 1..full.len() {
        let mut b = Bench::new();
        let (out, acc) = b.feed(&full[..cut]);
        assert!(out.is_empty() && acc.is_empty(), "cut {cut}");
        // Before the seq byte arrived the response says 0.
        let seq = if cut >= 2 { 0x6C } else { 0 };
        assert_eq!(parse(&b.timeout()), error(seq, TRUNCATED), "cut {cut}");
        assert!(b.mem.log.is_empty(), "cut {cut}: no access");
        // No drain: the line is already idle, the next frame is parsed at once.
        assert_eq!(b.bridge.phase(), Phase::Hunt);
        assert_eq!(b.exchange(&read_frame(1, true, 0x40, 1)).status, OK);
    }
}

// ───────────────────────────── checks and their order ─────────────────────────────

/// A frame with `payload` whose CRC is broken (last byte flipped).
fn bad_crc(mut f: Vec<u8>) -> Vec<u8> {
    *f.last_mut().unwrap() ^= 0x01;
    f
}

/// The malformed frames of the contract, each with the status it must get.
fn malformed() -> Vec<(&'static str, Vec<u8>, u8)> {
    let good_read = read_frame(3, true, 0x10, 2);
    vec![
        ("crc low byte", bad_crc(good_read.clone()), BAD_CRC),
        (
            "crc high byte",
            {
                let mut f = good_read.clone();
                let n = f.len();
                f[n - 2] ^= 0x80;
                f
            },
            BAD_CRC,
        ),
        (
            "payload bit",
            {
                let mut f = good_read.clone();
                f[5] ^= 0x04;
                f
            },
            BAD_CRC,
        ),
        (
            "crc sent low byte first",
            {
                let mut f = good_read.clone();
                let n = f.len();
                f.swap(n - 2, n - 1);
                f
            },
            BAD_CRC,
        ),
        ("unknown cmd 3", frame(3, 0x03, &[]), UNKNOWN_CMD),
        (
            "unknown cmd 0xFF",
            frame(3, 0xFF, &[1, 0, 0, 1]),
            UNKNOWN_CMD,
        ),
        (
            "unknown cmd beats bad length",
            frame(3, 0x07, &[0; 5]),
            UNKNOWN_CMD,
        ),
        (
            "bad crc beats unknown cmd",
            bad_crc(frame(3, 0x09, &[])),
            BAD_CRC,
        ),
        ("info with payload", frame(3, 0x00, &[0]), BAD_LENGTH),
        ("read len 3", frame(3, 0x01, &[1, 0, 0]), BAD_LENGTH),
        ("read len 5", frame(3, 0x01, &[1, 0, 0, 1, 0]), BAD_LENGTH),
        ("read n 0", read_frame(3, true, 0, 0), BAD_LENGTH),
        ("read n 9", read_frame(3, true, 0, 9), BAD_LENGTH),
        (
            "bad length beats bad arg",
            frame(3, 0x01, &[0xFF, 3, 0x20, 9]),
            BAD_LENGTH,
        ),
        ("write no words", frame(3, 0x02, &[1, 0, 0]), BAD_LENGTH),
        (
            "write len 6",
            frame(3, 0x02, &[1, 0, 0, 1, 2, 3]),
            BAD_LENGTH,
        ),
        (
            "write len 8",
            frame(3, 0x02, &[1, 0, 0, 1, 2, 3, 4, 5]),
            BAD_LENGTH,
        ),
        ("write len 0", frame(3, 0x02, &[]), BAD_LENGTH),
        ("read flags bit 1", frame(3, 0x01, &[2, 0, 0, 1]), BAD_ARG),
        (
            "read flags bit 7",
            frame(3, 0x01, &[0x81, 0, 0, 1]),
            BAD_ARG,
        ),
        (
            "write flags",
            frame(3, 0x02, &[0x41, 0, 0, 1, 2, 3, 4]),
            BAD_ARG,
        ),
        ("read addr 1", read_frame(3, true, 0x001, 1), BAD_ARG),
        ("read addr 2", read_frame(3, true, 0x102, 1), BAD_ARG),
        ("write addr 3", write_frame(3, true, 0x003, &[7]), BAD_ARG),
        ("read at 0x1000", read_frame(3, true, 0x1000, 1), BAD_ARG),
        ("read addr bit 15", read_frame(3, true, 0x8000, 1), BAD_ARG),
        ("read past the end", read_frame(3, true, 0xFFC, 2), BAD_ARG),
        (
            "write past the end",
            write_frame(3, true, 0xFF0, &[0; 5]),
            BAD_ARG,
        ),
    ]
}

#[test]
fn malformed_frames_get_their_status_make_no_access_and_drain() {
    for (what, f, status) in malformed() {
        let mut b = Bench::new();
        let (out, acc) = b.feed(&f);
        assert_eq!(parse(&out), error(3, status), "{what}");
        assert!(
            acc.is_empty() && b.mem.log.is_empty(),
            "{what}: no bus access"
        );
        assert_eq!(b.bridge.phase(), Phase::Drain, "{what}");
        // A frame sent before the line went idle is dropped, not parsed.
        let (out, _) = b.feed(&read_frame(4, true, 0, 1));
        assert!(out.is_empty(), "{what}: drained");
        assert!(b.timeout().is_empty(), "{what}: the drain ends silently");
        assert_eq!(b.exchange(&read_frame(5, true, 0, 1)).status, OK, "{what}");
        assert_eq!(
            b.mem.log.len(),
            1,
            "{what}: only the last frame reached the bus"
        );
    }
}

/// Every single-byte corruption of every valid READ and WRITE shape (all 255 flips of every
/// byte after the sync): an error with no access, or — when `len` grew — an incomplete frame
/// that the timeout truncates. Never an access, never an OK.
#[test]
fn a_corrupted_frame_never_reaches_the_bus() {
    for n in 1u8..=8 {
        for write in [false, true] {
            let f = if write {
                write_frame(0x11, true, 0x200, &vec![0x5555_AAAA; n as usize])
            } else {
                read_frame(0x11, true, 0x200, n)
            };
            for at in 1..f.len() {
                for flip in 1..=255u8 {
                    let mut g = f.clone();
                    g[at] ^= flip;
                    let mut b = Bench::new();
                    let (out, acc) = b.feed(&g);
                    let what = format!("n {n} write {write} byte {at} ^ {flip:#04x}");
                    let r = if out.is_empty() {
                        assert_eq!(at, 3, "{what}: only a longer len leaves the frame open");
                        parse(&b.timeout())
                    } else {
                        parse(&out)
                    };
                    assert_ne!(r.status, OK, "{what}");
                    assert!(acc.is_empty() && b.mem.log.is_empty(), "{what}");
                }
            }
        }
    }
}

// ───────────────────────────── the SCU behind it ─────────────────────────────

#[test]
fn reads_the_scu_gate_model_through_a_closure() {
    let mut gate = Gate::new(GateConfig::new(128)).unwrap();
    let mut noise = NoiseSource::new(7);
    let mut raw = move || noise.next_bit();
    idle(&mut gate, &mut raw, 64);
    let mut bridge = Bridge::new(BridgeConfig {
        word_width: 128,
        slots: 8,
        clocks_per_bit: 16,
    });
    let mut bus = |req: Request| access(&mut gate, &mut raw, req);
    let mut out = Vec::new();
    for &byte in &read_frame(0x21, true, addr::ID as u16, 1) {
        out.extend(bridge.event(Event::Byte(byte), &mut bus).response);
    }
    let r = parse(&out);
    assert_eq!((r.seq, r.status), (0x21, OK));
    let word = u32::from_le_bytes(r.payload.try_into().unwrap());
    assert_eq!(id::MAGIC.get(word), ID_MAGIC);
    assert_eq!(id::WORD_WIDTH.get(word), 128);
}
