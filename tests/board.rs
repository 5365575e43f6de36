//! The board top `scu_board_w16` (docs/board.md) through `scu_sim::board::SimBoardLink`, the
//! host's end of its serial line: INFO, the ID register, a window written and read back,
//! and the status LEDs (heartbeat period, UART activity stretch, the alert latch after a
//! violation, the irq toggle). Frames are built and checked with the tests' own codec
//! (`host_protocol`); register numbers come from `scu_driver::regmap::scu`.

mod host_protocol;

use host_protocol::*;
use scu_driver::regmap::scu::{self, cmd::op, err::code};
use scu_sim::board::{led, SimBoardLink};

/// A host on the co-simulated board's serial line.
struct BoardHost {
    link: SimBoardLink,
    seq: u8,
}

impl BoardHost {
    fn new(cpb: u16, seed: u64) -> Self {
        BoardHost {
            link: SimBoardLink::new(16, cpb, seed).unwrap(),
            seq: 0,
        }
    }

    /// One request; the response's status and payload, its frame checked byte by byte.
    fn transact(&mut self, cmd: u8, payload: &[u8]) -> (u8, Vec<u8>) {
        self.seq = self.seq.wrapping_add(1);
        self.link.send(&request(self.seq, cmd, payload));
        let bt = self.link.byte_time();
        let mut f = vec![self.link.recv_byte(100 * bt).expect("no response")];
        for _ in 0..3 {
            f.push(self.link.recv_byte(2 * bt).expect("header cut short"));
        }
        for _ in 0..usize::from(f[3]) + 2 {
            f.push(self.link.recv_byte(2 * bt).expect("response cut short"));
        }
        let payload = f[4..f.len() - 2].to_vec();
        assert_eq!(f, response(self.seq, f[2], &payload), "response frame");
        assert_eq!(self.link.framing_errors(), 0);
        (f[2], payload)
    }

    fn read(&mut self, privileged: bool, addr: u32, n: u8) -> Vec<u32> {
        let a = (addr as u16).to_le_bytes();
        let (status, p) = self.transact(READ, &[u8::from(privileged), a[0], a[1], n]);
        assert_eq!(status, OK);
        p.chunks(4)
            .map(|c| u32::from_le_bytes(c.try_into().unwrap()))
            .collect()
    }

    fn read1(&mut self, privileged: bool, addr: u32) -> u32 {
        self.read(privileged, addr, 1)[0]
    }

    fn write(&mut self, privileged: bool, addr: u32, words: &[u32]) {
        let a = (addr as u16).to_le_bytes();
        let mut p = vec![u8::from(privileged), a[0], a[1]];
        p.extend(words_le(words));
        let (status, payload) = self.transact(WRITE, &p);
        assert_eq!((status, payload.len()), (OK, 0));
    }
}

#[test]
fn info_id_and_window() {
    let mut h = BoardHost::new(16, 5);
    let (status, info) = h.transact(INFO, &[]);
    assert_eq!(status, OK);
    assert_eq!(info, [1, 16, scu::SLOTS as u8, 8, 16, 0]);
    let id = h.read1(false, scu::ID.offset);
    assert_eq!(id, scu::ID.reset_with(|_| 16));
    let s = h.read1(true, scu::STATUS.offset);
    assert_eq!(scu::status::BUSY.get(s), 0);
    assert_eq!(scu::status::ALERT.get(s), 0);

    let words: Vec<u32> = (0..8)
        .map(|i| 0x0101_0101u32.wrapping_mul(i + 3) ^ 0xA5A5_0000)
        .collect();
    h.write(false, scu::OP_X.offset, &words);
    assert_eq!(h.read(false, scu::OP_X.offset, 8), words);
    // Two frames of four words each read the same window.
    let mut halves = h.read(true, scu::OP_X.offset, 4);
    halves.extend(h.read(true, scu::OP_X.offset + 16, 4));
    assert_eq!(halves, words);
    assert_eq!(h.read1(true, scu::VIOLATIONS.offset), 0);
    assert_eq!(h.link.led() & led::ALERT, 0);
}

/// The other verilated width: INFO and ID report W = 128.
#[test]
fn w128_reports_its_width() {
    let mut h = BoardHost {
        link: SimBoardLink::new(128, 8, 3).unwrap(),
        seq: 0x80,
    };
    let (status, info) = h.transact(INFO, &[]);
    assert_eq!(
        (status, info),
        (OK, vec![1, 128, scu::SLOTS as u8, 8, 8, 0])
    );
    assert_eq!(h.read1(true, scu::ID.offset), scu::ID.reset_with(|_| 128));
    assert!(SimBoardLink::new(32, 8, 3).is_err(), "no W32 board model");
    assert!(SimBoardLink::new(16, 3, 3).is_err(), "bit time below 4");
}

#[test]
fn status_leds() {
    // A short bit time: the heartbeat's half period is 65536 bit times.
    let cpb = 4u16;
    let mut h = BoardHost::new(cpb, 6);
    let half_period = 65536 * u64::from(cpb);
    let reset_at = 1; // the reset edge was the first one

    // Heartbeat: toggles exactly every half period after reset.
    let mut toggles = vec![];
    let mut last = h.link.led() & led::HEARTBEAT;
    while toggles.len() < 2 {
        h.link.idle(1);
        let now = h.link.led() & led::HEARTBEAT;
        if now != last {
            toggles.push(h.link.cycles() - reset_at);
            last = now;
        }
    }
    assert_eq!(toggles, [half_period, 2 * half_period]);
    // By now the UART LED's stretch (8191 bit times) after reset is long over.
    assert_eq!(h.link.led() & (led::UART | led::ALERT | led::IRQ), 0);

    // UART activity lights the LED while a byte is on the line and for one to two windows
    // of 8192 bit times after it.
    let window = 8192 * u64::from(cpb);
    h.link.send(&[0x00]);
    assert_ne!(h.link.led() & led::UART, 0);
    let sent = h.link.cycles();
    let mut off = None;
    while off.is_none() {
        h.link.idle(1);
        if h.link.led() & led::UART == 0 {
            off = Some(h.link.cycles() - sent);
        }
    }
    let off = off.unwrap();
    // (The byte's activity ends in the middle of its stop bit, half a bit before `sent`.)
    assert!(
        (window - u64::from(cpb)..=2 * window).contains(&off),
        "UART LED on for {off} clocks"
    );

    // A violation (an unprivileged write of a privileged register) latches the alert LED.
    h.write(false, scu::USER_ALLOW.offset, &[0xFFFF]);
    assert_ne!(h.link.led() & led::ALERT, 0);
    let err = h.read1(true, scu::ERR.offset);
    assert_eq!(scu::err::CODE.get(err), code::PRIV.value, "ERR {err:#x}");
    h.link.idle(20_000);
    assert_ne!(h.link.led() & led::ALERT, 0, "alert LED not held");

    // Each finished command toggles the irq LED.
    let zeroize = scu::cmd::OP.put(op::ZEROIZE.value);
    for expect in [led::IRQ, 0] {
        h.write(true, scu::CMD.offset, &[zeroize]);
        h.link.idle(100);
        assert_eq!(h.link.led() & led::IRQ, expect);
    }

    // Reset clears the latch.
    h.link.reset();
    assert_eq!(h.link.led() & (led::ALERT | led::IRQ), 0);
}
