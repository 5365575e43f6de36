//! The link codec and `UartBus` against a scripted byte stream: exact request bytes (CRCs
//! computed outside this crate), every response error, seq, and the sticky failure.

use crate::link::frame::{decode_response, Request, MAX_REQUEST_BYTES};
use crate::link::{crc::crc16, LinkError, LinkInfo, LinkStatus, Transport, UartBus};
use crate::regmap::scu::addr;
use crate::{Bus, Scu};
use std::collections::VecDeque;
use std::vec::Vec;

/// Records what the host sends; answers from a queue of scripted bytes.
#[derive(Default)]
struct Script {
    sent: Vec<u8>,
    replies: VecDeque<u8>,
}

impl Transport for Script {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        self.sent.extend_from_slice(bytes);
        Ok(())
    }

    fn recv(&mut self, buf: &mut [u8]) -> Result<(), LinkError> {
        if self.replies.len() < buf.len() {
            self.replies.clear();
            return Err(LinkError::Timeout);
        }
        for b in buf.iter_mut() {
            *b = self.replies.pop_front().unwrap();
        }
        Ok(())
    }
}

fn response(seq: u8, status: u8, payload: &[u8]) -> Vec<u8> {
    let mut r = std::vec![0x5A, seq, status, payload.len() as u8];
    r.extend_from_slice(payload);
    let crc = crc16(&r[1..]);
    r.extend_from_slice(&crc.to_be_bytes());
    r
}

fn bus_with(replies: &[u8]) -> UartBus<Script> {
    let mut s = Script::default();
    s.replies.extend(replies);
    UartBus::new(s)
}

#[test]
fn request_bytes_are_exact() {
    let mut out = [0u8; MAX_REQUEST_BYTES];
    // CRCs from an independent CRC-16/CCITT-FALSE (Python, bit by bit).
    let n = Request::Read {
        privileged: true,
        addr: 0,
        n: 1,
    }
    .encode(0, &mut out)
    .unwrap();
    assert_eq!(
        &out[..n],
        &[0xA5, 0x00, 0x01, 0x04, 0x01, 0x00, 0x00, 0x01, 0x5B, 0xFD]
    );
    let n = Request::Write {
        privileged: false,
        addr: 0x10,
        words: &[0x1234_5678],
    }
    .encode(7, &mut out)
    .unwrap();
    assert_eq!(
        &out[..n],
        &[0xA5, 0x07, 0x02, 0x07, 0x00, 0x10, 0x00, 0x78, 0x56, 0x34, 0x12, 0x36, 0xC2]
    );
    let n = Request::Info.encode(0, &mut out).unwrap();
    assert_eq!(&out[..n], &[0xA5, 0x00, 0x00, 0x00, 0xCC, 0x9C]);
}

#[test]
fn unframable_requests_are_refused_before_sending() {
    let mut out = [0u8; MAX_REQUEST_BYTES];
    for (addr, n) in [
        (0, 0),
        (0, 9),
        (2, 1),
        (0x1000, 1),
        (0xFFC, 2),
        (0x1_0000, 1),
    ] {
        let r = Request::Read {
            privileged: true,
            addr,
            n,
        };
        assert_eq!(
            r.encode(0, &mut out),
            Err(LinkError::BadRequest),
            "{addr:#x} {n}"
        );
    }
    let mut bus = bus_with(&[]);
    assert_eq!(
        bus.write_words(0, true, &[0; 9]),
        Err(LinkError::BadRequest)
    );
    assert_eq!(
        bus.read_words(1, true, &mut [0]),
        Err(LinkError::BadRequest)
    );
    assert!(bus.transport().sent.is_empty());
    // The helpers report it without ending the link.
    assert_eq!(bus.error(), None);
    assert_eq!(bus.next_seq(), 0);
}

#[test]
fn reads_and_writes_decode_and_seq_counts() {
    let mut replies = response(0, 0, &0x5C01_0240u32.to_le_bytes());
    replies.extend(response(1, 0, &[]));
    replies.extend(response(2, 0, &[1, 0, 0, 0, 2, 0, 0, 0, 3, 0, 0, 0]));
    let mut bus = bus_with(&replies);
    assert_eq!(bus.read32(addr::ID, true), 0x5C01_0240);
    bus.write32(addr::CMD, 0xAB, false);
    let mut w = [0u32; 3];
    bus.read_words(0x40, true, &mut w).unwrap();
    assert_eq!(w, [1, 2, 3]);
    assert_eq!(bus.error(), None);
    assert_eq!(bus.frames(), 3);
    let sent = &bus.transport().sent;
    assert_eq!(sent[1], 0);
    assert_eq!(&sent[10..17], &[0xA5, 1, 0x02, 7, 0x00, addr::CMD as u8, 0]);
    assert_eq!(&sent[23..28], &[0xA5, 2, 0x01, 4, 0x01]);
}

#[test]
fn seq_wraps() {
    let mut replies = Vec::new();
    for s in 0..=300u32 {
        replies.extend(response(s as u8, 0, &[]));
    }
    let mut bus = bus_with(&replies);
    for _ in 0..=300 {
        bus.write32(0, 0, true);
    }
    assert_eq!(bus.error(), None);
    assert_eq!(bus.next_seq(), 301u32 as u8);
}

#[test]
fn info_decodes() {
    let mut bus = bus_with(&response(0, 0, &[1, 16, 8, 8, 16, 0]));
    assert_eq!(
        bus.info(),
        Ok(LinkInfo {
            version: 1,
            word_width: 16,
            slots: 8,
            max_words: 8,
            clocks_per_bit: 16
        })
    );
    let mut bus = bus_with(&response(0, 0, &[2, 16, 8, 8, 16, 0]));
    assert_eq!(bus.info(), Err(LinkError::Version(2)));
    assert_eq!(bus.error(), Some(LinkError::Version(2)));
}

/// One read answered with `reply`: the error it must end the link with.
fn failing_read(reply: &[u8]) -> UartBus<Script> {
    let mut bus = bus_with(reply);
    assert_eq!(bus.read32(addr::STATUS, true), 0, "a failed read returns 0");
    bus
}

#[test]
fn every_response_error_is_reported() {
    let good = response(0, 0, &[9, 0, 0, 0]);
    let mut cases: Vec<(&str, Vec<u8>, LinkError)> = std::vec![
        ("nothing", Vec::new(), LinkError::Timeout),
        ("half a frame", good[..5].to_vec(), LinkError::Timeout),
        (
            "bad sync",
            {
                let mut r = good.clone();
                r[0] = 0xA5;
                r
            },
            LinkError::BadSync(0xA5)
        ),
        (
            "bad crc",
            {
                let mut r = good.clone();
                r[9] ^= 1;
                r
            },
            LinkError::BadCrc {
                sent: u16::from_be_bytes([good[8], good[9] ^ 1]),
                computed: u16::from_be_bytes([good[8], good[9]])
            }
        ),
        (
            "payload bit",
            {
                let mut r = good.clone();
                r[4] ^= 0x10;
                r
            },
            LinkError::BadCrc {
                sent: u16::from_be_bytes([good[8], good[9]]),
                computed: crc16(&[0, 0, 4, 0x19, 0, 0, 0])
            }
        ),
        (
            "wrong seq",
            response(5, 0, &[9, 0, 0, 0]),
            LinkError::WrongSeq { sent: 0, got: 5 }
        ),
        (
            "unknown status",
            response(0, 6, &[]),
            LinkError::UnknownStatus(6)
        ),
        (
            "short payload",
            response(0, 0, &[9, 0]),
            LinkError::BadResponseLength {
                expected: 4,
                got: 2
            }
        ),
        (
            "oversized len",
            std::vec![0x5A, 0, 0, 33, 0, 0],
            LinkError::BadResponseLength {
                expected: 32,
                got: 33
            }
        ),
    ];
    for s in LinkStatus::ALL.into_iter().skip(1) {
        cases.push(("status", response(0, s.code(), &[]), LinkError::Status(s)));
    }
    for (what, reply, want) in cases {
        let mut bus = failing_read(&reply);
        assert_eq!(bus.error(), Some(want), "{what}");
        // Sticky: nothing more is sent; reads are 0, writes dropped, helpers fail.
        let sent = bus.transport().sent.len();
        bus.transport()
            .replies
            .extend(response(1, 0, &[7, 0, 0, 0]));
        assert_eq!(bus.read32(addr::STATUS, true), 0, "{what}");
        bus.write32(addr::CMD, 1, true);
        assert_eq!(bus.info(), Err(want), "{what}");
        assert_eq!(
            bus.transport().sent.len(),
            sent,
            "{what}: nothing sent after the failure"
        );
        assert_eq!(bus.frames(), 1);
    }
}

#[test]
fn decode_checks_sync_crc_seq_status_in_that_order() {
    // A frame wrong in every way reports the first check.
    let mut r = response(3, 2, &[]);
    r[5] ^= 1;
    assert!(matches!(
        decode_response(&r, 0, 0),
        Err(LinkError::BadCrc { .. })
    ));
    let r = response(3, 2, &[]);
    assert_eq!(
        decode_response(&r, 0, 0),
        Err(LinkError::WrongSeq { sent: 0, got: 3 })
    );
    assert_eq!(
        decode_response(&r, 3, 0),
        Err(LinkError::Status(LinkStatus::BadLength))
    );
}

#[test]
fn status_names_are_the_protocols() {
    let names: Vec<&str> = LinkStatus::ALL.iter().map(|s| s.name()).collect();
    assert_eq!(
        names,
        [
            "OK",
            "BAD_CRC",
            "BAD_LENGTH",
            "UNKNOWN_CMD",
            "TRUNCATED",
            "BAD_ARG"
        ]
    );
    for s in LinkStatus::ALL {
        assert_eq!(LinkStatus::from_code(s.code()), Some(s));
    }
    assert_eq!(LinkStatus::from_code(6), None);
}

#[test]
fn the_driver_runs_over_it_and_stops_on_failure() {
    // ID answers, then the link dies: every later read is 0, and the driver's own checks see
    // garbage (NotScu) rather than a hang.
    let id = 0x5C01_0240u32;
    let mut bus = bus_with(&response(0, 0, &id.to_le_bytes()));
    bus.transport().replies.extend(response(1, 1, &[]));
    let mut scu = Scu::new(bus, true);
    assert!(scu.probe().is_ok());
    assert!(scu.probe().is_err());
    assert_eq!(
        scu.bus_ref().error(),
        Some(LinkError::Status(LinkStatus::BadCrc))
    );
    let _ = scu.status();
    assert_eq!(scu.bus_ref().frames(), 2);
}
