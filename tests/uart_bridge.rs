//! The verilated UART bridge (`scu_uart_bridge`) against `docs/host-protocol.md`, with this
//! test as the host (bit-level serial line) and as the Wishbone slave (a memory that acks
//! after a random wait of 0 to 3 cycles and checks that a request holds until its ack).
//! Frames, CRC and expected responses are built here from the document, with a bitwise
//! CRC-16 of this file's own; every accepted frame must make exactly the accesses the text
//! says, and every malformed one none at all.

mod host_protocol;

use host_protocol::*;
use scu_sim::models::ScuUartBridge;
use scu_sim::{Sim, SimOptions};
use std::collections::VecDeque;

// ---------------------------------------------------------------------------------------
// Test bench.

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // splitmix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
struct Access {
    we: bool,
    adr: u16,
    /// Written data (writes only).
    dat_w: Option<u32>,
    privileged: bool,
}

/// How the Wishbone slave answers.
#[derive(Clone, Copy)]
enum Wait {
    /// 0 to 3 cycles, chosen per access.
    Random,
    /// Always this many cycles (2: the SCU's request, ACT, ACK).
    Fixed(u32),
}

struct Bench {
    sim: Sim<ScuUartBridge>,
    cpb: u64,
    rng: Rng,
    /// The slave's 1024 words (byte address / 4).
    mem: Vec<u32>,
    wait: Wait,
    /// The request being served and the cycles it still waits for `ack`.
    current: Option<(Access, u32)>,
    accesses: Vec<Access>,
    // The host's receiver on uart_tx: cycles since the start edge, the bits so far, and the
    // cycle the start bit began.
    rx_active: Option<(u64, u8, u64)>,
    /// Bytes received and the cycle each one's start bit began.
    received: VecDeque<(u8, u64)>,
    framing_errors: u32,
}

const INFO_WORD: u16 = 0x08_10; // slots 8, W 16

impl Bench {
    fn new(cpb: u16, seed: u64) -> Self {
        Self::with_options(cpb, seed, SimOptions::new().random_init(seed))
    }

    fn with_options(cpb: u16, seed: u64, options: SimOptions) -> Self {
        let mut rng = Rng(seed);
        let mem = (0..1024).map(|_| rng.next() as u32).collect();
        let mut sim = Sim::<ScuUartBridge>::create(options);
        sim.set_clocks_per_bit(u64::from(cpb));
        sim.set_info(u64::from(INFO_WORD));
        sim.set_uart_rx(1);
        sim.set_wb_ack(0);
        sim.set_wb_dat_r(0);
        sim.set_reset(true);
        sim.tick();
        sim.set_reset(false);
        let mut b = Bench {
            sim,
            cpb: u64::from(cpb),
            rng,
            mem,
            wait: Wait::Random,
            current: None,
            accesses: vec![],
            rx_active: None,
            received: VecDeque::new(),
            framing_errors: 0,
        };
        b.idle(4);
        b
    }

    fn timeout(&self) -> u64 {
        160 * self.cpb
    }

    fn byte_time(&self) -> u64 {
        10 * self.cpb
    }

    /// One clock with `uart_rx` at `level`, the slave answering the master's request.
    fn cycle(&mut self, level: bool) {
        let s = &self.sim;
        let (cyc, stb) = (s.wb_cyc() != 0, s.wb_stb() != 0);
        assert_eq!(cyc, stb, "cyc and stb differ");
        let mut ack = false;
        // Outside an ack the data lines carry garbage: the master must not sample them.
        let mut dat_r = self.rng.next() as u32;
        if cyc && stb {
            let we = s.wb_we() != 0;
            let req = Access {
                we,
                adr: s.wb_adr() as u16,
                dat_w: we.then(|| s.wb_dat_w() as u32),
                privileged: s.wb_priv() != 0,
            };
            let wait = match self.current {
                Some((held, wait)) => {
                    assert_eq!(held, req, "request changed before its ack");
                    wait
                }
                None => match self.wait {
                    Wait::Random => self.rng.below(4) as u32,
                    Wait::Fixed(w) => w,
                },
            };
            if wait == 0 {
                assert_eq!(req.adr & 3, 0, "unaligned access {req:?}");
                let i = usize::from(req.adr >> 2);
                match req.dat_w {
                    Some(d) => self.mem[i] = d,
                    None => dat_r = self.mem[i],
                }
                ack = true;
                self.accesses.push(req);
                self.current = None;
            } else {
                self.current = Some((req, wait - 1));
            }
        } else {
            assert!(self.current.is_none(), "request withdrawn before its ack");
        }
        self.sim.set_wb_ack(u64::from(ack));
        self.sim.set_wb_dat_r(u64::from(dat_r));
        self.sim.set_uart_rx(u64::from(level));
        self.sim.tick();
        let tx = self.sim.uart_tx() != 0;
        self.sample_tx(tx);
    }

    fn sample_tx(&mut self, level: bool) {
        // The level seen after edge `now` is the line during clock `now`.
        let now = self.sim.cycles();
        let Some((t, byte, start)) = self.rx_active else {
            if !level {
                self.rx_active = Some((0, 0, now));
            }
            return;
        };
        let t = t + 1;
        let half = self.cpb / 2;
        if t == half {
            assert!(!level, "glitch on uart_tx");
        }
        // Bit k (1..=8 data, 9 stop) in its middle: k bit times after the start bit's.
        let k = t.saturating_sub(half) / self.cpb;
        if t > half && t == half + k * self.cpb {
            if k <= 8 {
                self.rx_active = Some((t, byte | (u8::from(level) << (k - 1)), start));
            } else {
                if level {
                    self.received.push_back((byte, start));
                } else {
                    self.framing_errors += 1;
                }
                self.rx_active = None;
            }
            return;
        }
        self.rx_active = Some((t, byte, start));
    }

    fn idle(&mut self, n: u64) {
        for _ in 0..n {
            self.cycle(true);
        }
    }

    /// One character: start bit, `byte` LSB first, stop bit at `stop`.
    fn send_char(&mut self, byte: u8, stop: bool) {
        let levels = std::iter::once(false)
            .chain((0..8).map(|i| (byte >> i) & 1 == 1))
            .chain(std::iter::once(stop));
        for level in levels {
            for _ in 0..self.cpb {
                self.cycle(level);
            }
        }
    }

    fn send(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.send_char(b, true);
        }
    }

    fn recv_byte(&mut self, max_cycles: u64) -> Option<u8> {
        self.recv_byte_at(max_cycles).map(|(b, _)| b)
    }

    /// The next byte and the cycle its start bit began.
    fn recv_byte_at(&mut self, max_cycles: u64) -> Option<(u8, u64)> {
        for _ in 0..max_cycles {
            if !self.received.is_empty() {
                break;
            }
            self.cycle(true);
        }
        self.received.pop_front()
    }

    /// One whole response frame (sync to CRC) as bytes; `None` if no byte starts within
    /// `max_cycles`.
    fn recv_frame(&mut self, max_cycles: u64) -> Option<Vec<u8>> {
        let first = self.recv_byte(max_cycles)?;
        let mut f = vec![first];
        let gap = 2 * self.byte_time();
        for _ in 0..3 {
            f.push(self.recv_byte(gap).expect("response header cut short"));
        }
        for _ in 0..usize::from(f[3]) + 2 {
            f.push(self.recv_byte(gap).expect("response cut short"));
        }
        Some(f)
    }

    /// Sends `req` and returns the response (panics if none comes).
    fn exchange(&mut self, req: &[u8]) -> Vec<u8> {
        self.send(req);
        let max = 20 * self.byte_time() + 200;
        self.recv_frame(max)
            .unwrap_or_else(|| panic!("no response to {req:02x?}"))
    }

    /// Sends `req`, expects `want` back and exactly `accesses` on the bus.
    fn expect(&mut self, req: &[u8], want: &[u8], accesses: &[Access], what: &str) {
        let before = self.accesses.len();
        let got = self.exchange(req);
        assert_eq!(got, want, "{what}: response to {req:02x?}");
        assert_eq!(&self.accesses[before..], accesses, "{what}: accesses");
        assert_eq!(self.framing_errors, 0);
    }

    /// An error frame with `status`, and nothing on the bus; then wait out the drain.
    fn expect_error(&mut self, req: &[u8], seq: u8, status: u8, what: &str) {
        self.expect(req, &response(seq, status, &[]), &[], what);
        self.idle(self.timeout() + self.byte_time());
    }

    /// A READ and a WRITE that must work (after an error: the bridge hunts again).
    fn works(&mut self, seq: u8) {
        let data = [self.rng.next() as u32, self.rng.next() as u32];
        let writes: Vec<Access> = (0..2)
            .map(|i| Access {
                we: true,
                adr: 0x100 + 4 * i,
                dat_w: Some(data[usize::from(i)]),
                privileged: true,
            })
            .collect();
        self.expect(
            &write_req(seq, true, 0x100, &data),
            &response(seq, OK, &[]),
            &writes,
            "good WRITE",
        );
        let reads: Vec<Access> = (0..2)
            .map(|i| Access {
                we: false,
                adr: 0x100 + 4 * i,
                dat_w: None,
                privileged: false,
            })
            .collect();
        self.expect(
            &read_req(seq.wrapping_add(1), false, 0x100, 2),
            &response(seq.wrapping_add(1), OK, &words_le(&data)),
            &reads,
            "good READ",
        );
    }
}

fn reads(addr: u16, n: u16, privileged: bool) -> Vec<Access> {
    (0..n)
        .map(|i| Access {
            we: false,
            adr: addr + 4 * i,
            dat_w: None,
            privileged,
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// Well-formed frames.

#[test]
fn own_crc_has_the_check_value() {
    assert_eq!(crc16(b"123456789"), 0x29B1);
    assert_eq!(crc16(&[]), 0xFFFF);
}

#[test]
fn info_reports_the_parameters() {
    for cpb in [4u16, 13, 16, 104] {
        let mut b = Bench::new(cpb, u64::from(cpb));
        let c = cpb.to_le_bytes();
        let want = response(0x42, OK, &[1, 16, 8, 8, c[0], c[1]]);
        b.expect(&request(0x42, INFO, &[]), &want, &[], "INFO");
    }
}

#[test]
fn read_every_n_and_address() {
    let mut b = Bench::new(8, 11);
    let mut seq = 0u8;
    for n in 1..=8u16 {
        // The lowest address, the highest one the range allows, and random ones.
        let top = (0x1000 - 4 * n) / 4;
        let mut addrs = vec![0, 4 * top];
        for _ in 0..3 {
            addrs.push(4 * b.rng.below(u64::from(top) + 1) as u16);
        }
        for addr in addrs {
            let privileged = b.rng.below(2) == 1;
            let words: Vec<u32> = (0..n).map(|i| b.mem[usize::from(addr / 4 + i)]).collect();
            seq = seq.wrapping_add(37);
            b.expect(
                &read_req(seq, privileged, addr, n as u8),
                &response(seq, OK, &words_le(&words)),
                &reads(addr, n, privileged),
                &format!("READ n={n} at {addr:#x}"),
            );
        }
    }
}

#[test]
fn write_every_n_and_address() {
    let mut b = Bench::new(8, 12);
    let mut seq = 0u8;
    for n in 1..=8u16 {
        let top = (0x1000 - 4 * n) / 4;
        for addr in [0, 4 * top, 4 * b.rng.below(u64::from(top) + 1) as u16] {
            let privileged = b.rng.below(2) == 1;
            let data: Vec<u32> = (0..n).map(|_| b.rng.next() as u32).collect();
            let want: Vec<Access> = (0..n)
                .map(|i| Access {
                    we: true,
                    adr: addr + 4 * i,
                    dat_w: Some(data[usize::from(i)]),
                    privileged,
                })
                .collect();
            seq = seq.wrapping_add(1);
            b.expect(
                &write_req(seq, privileged, addr, &data),
                &response(seq, OK, &[]),
                &want,
                &format!("WRITE n={n} at {addr:#x}"),
            );
            for (i, d) in data.iter().enumerate() {
                assert_eq!(b.mem[usize::from(addr / 4) + i], *d);
            }
        }
    }
}

/// Random frames of every kind, back to back, from random initial register contents.
#[test]
fn random_traffic_from_random_initial_state() {
    for seed in 1..=4u64 {
        let cpb = [4u16, 5, 8, 16][seed as usize - 1];
        let mut b = Bench::new(cpb, seed * 1000);
        for i in 0..40u32 {
            let seq = b.rng.next() as u8;
            let privileged = b.rng.below(2) == 1;
            let n = 1 + b.rng.below(8) as u16;
            let addr = 4 * b.rng.below(u64::from((0x1000 - 4 * n) / 4) + 1) as u16;
            match b.rng.below(3) {
                0 => {
                    let c = cpb.to_le_bytes();
                    let want = response(seq, OK, &[1, 16, 8, 8, c[0], c[1]]);
                    b.expect(&request(seq, INFO, &[]), &want, &[], "INFO");
                }
                1 => {
                    let words: Vec<u32> =
                        (0..n).map(|k| b.mem[usize::from(addr / 4 + k)]).collect();
                    b.expect(
                        &read_req(seq, privileged, addr, n as u8),
                        &response(seq, OK, &words_le(&words)),
                        &reads(addr, n, privileged),
                        &format!("seed {seed} frame {i}: READ"),
                    );
                }
                _ => {
                    let data: Vec<u32> = (0..n).map(|_| b.rng.next() as u32).collect();
                    let want: Vec<Access> = (0..n)
                        .map(|k| Access {
                            we: true,
                            adr: addr + 4 * k,
                            dat_w: Some(data[usize::from(k)]),
                            privileged,
                        })
                        .collect();
                    b.expect(
                        &write_req(seq, privileged, addr, &data),
                        &response(seq, OK, &[]),
                        &want,
                        &format!("seed {seed} frame {i}: WRITE"),
                    );
                }
            }
            // Hosts may send the next frame as soon as the response is in.
            let gap = b.rng.below(3 * b.cpb);
            b.idle(gap);
        }
    }
}

/// docs/uart.md, "Timing": with an SCU-like slave (ack two cycles after the request is
/// sampled) the response's start bit begins 7 + 3·n clocks after the middle clock of the
/// request's last stop bit (⌊bit time / 2⌋ clocks into it), whatever the bit time.
#[test]
fn turnaround_cycles() {
    for cpb in [8u16, 16, 17] {
        let mut b = Bench::new(cpb, 3);
        b.wait = Wait::Fixed(2);
        let mut cases = vec![(request(1, INFO, &[]), 0u64), (request(1, 7, &[]), 0)];
        for n in 1..=8u16 {
            cases.push((read_req(2, true, 0x40, n as u8), u64::from(n)));
            cases.push((
                write_req(3, true, 0x40, &vec![7; usize::from(n)]),
                u64::from(n),
            ));
        }
        for (req, n) in cases {
            b.send(&req);
            // Clock c is the one before edge c + 1; the stop bit was the last `cpb` clocks.
            let stop_mid = b.sim.cycles() - b.cpb + b.cpb / 2;
            let (sync, start) = b.recv_byte_at(10_000).expect("response");
            assert_eq!(sync, RESP_SYNC);
            assert_eq!(
                start - stop_mid,
                7 + 3 * n,
                "bit time {cpb}, n = {n}: request {req:02x?}"
            );
            // The rest of the response, and the drain after an error.
            b.idle(50 * b.byte_time());
            b.received.clear();
        }
    }
}

// ---------------------------------------------------------------------------------------
// Malformed frames: the documented error, no access, and the bridge works again.

fn with_crc_flipped(mut f: Vec<u8>, bit: usize) -> Vec<u8> {
    let n = f.len();
    f[n - 2 + bit / 8] ^= 1 << (bit % 8);
    f
}

#[test]
fn bad_crc() {
    let mut b = Bench::new(8, 21);
    for bit in 0..16 {
        let req = with_crc_flipped(read_req(bit as u8, true, 0x20, 3), bit);
        b.expect_error(&req, bit as u8, BAD_CRC, &format!("READ, CRC bit {bit}"));
    }
    // A damaged payload bit, for each command (the CRC is the one of the sent frame).
    let mut w = write_req(9, true, 0x40, &[1, 2, 3]);
    w[7] ^= 0x10;
    b.expect_error(&w, 9, BAD_CRC, "WRITE, payload bit");
    let mut r = read_req(10, false, 0x40, 8);
    r[4] ^= 0x01;
    b.expect_error(&r, 10, BAD_CRC, "READ, flags bit");
    let mut i = request(11, INFO, &[]);
    i[3] ^= 0x02;
    // len 2 now: the CRC bytes are taken as payload, and the frame ends in silence.
    b.expect(&i, &response(11, TRUNCATED, &[]), &[], "INFO, len bit");
    b.works(12);
}

#[test]
fn unknown_command() {
    let mut b = Bench::new(8, 22);
    for cmd in [3u8, 4, 0x7F, 0x80, 0xFF] {
        for payload in [&[][..], &[1, 0x40, 0, 1][..], &[0; 35][..]] {
            let req = request(cmd, cmd, payload);
            b.expect_error(&req, cmd, UNKNOWN_CMD, &format!("cmd {cmd:#x}"));
        }
    }
    b.works(1);
}

#[test]
fn bad_length_for_the_command() {
    let mut b = Bench::new(8, 23);
    let mut cases: Vec<(Vec<u8>, String)> = vec![];
    for len in [1usize, 4, 35] {
        cases.push((request(1, INFO, &vec![0; len]), format!("INFO len {len}")));
    }
    for len in [0usize, 1, 3, 5, 8, 35] {
        cases.push((request(2, READ, &vec![0; len]), format!("READ len {len}")));
    }
    for n in [0u8, 9, 16, 255] {
        cases.push((read_req(3, true, 0, n), format!("READ n {n}")));
    }
    for len in [0usize, 1, 3, 4, 5, 6, 8, 9, 10, 12, 33, 34] {
        cases.push((request(4, WRITE, &vec![0; len]), format!("WRITE len {len}")));
    }
    for (req, what) in cases {
        b.expect_error(&req, req[1], BAD_LENGTH, &what);
    }
    b.works(5);
}

#[test]
fn bad_arguments() {
    let mut b = Bench::new(8, 24);
    let mut cases: Vec<(Vec<u8>, String)> = vec![];
    for flags in [2u8, 4, 0x10, 0x80, 0xFF, 0xFE] {
        let a = 0x40u16.to_le_bytes();
        cases.push((
            request(1, READ, &[flags, a[0], a[1], 1]),
            format!("READ flags {flags:#x}"),
        ));
        cases.push((
            request(1, WRITE, &[flags, a[0], a[1], 1, 2, 3, 4]),
            format!("WRITE flags {flags:#x}"),
        ));
    }
    for addr in [1u16, 2, 3, 0x41, 0x1000, 0x2000, 0x8000, 0xF000, 0xFFFC] {
        cases.push((read_req(2, true, addr, 1), format!("READ at {addr:#x}")));
        cases.push((
            write_req(2, true, addr, &[5]),
            format!("WRITE at {addr:#x}"),
        ));
    }
    // The last word of a frame beyond 0xFFC.
    for n in 1..=8u16 {
        let addr = 0x1000 - 4 * n + 4;
        cases.push((
            read_req(3, false, addr, n as u8),
            format!("READ n {n} at {addr:#x}"),
        ));
        let words = vec![0u32; usize::from(n)];
        cases.push((
            write_req(3, false, addr, &words),
            format!("WRITE n {n} at {addr:#x}"),
        ));
    }
    for (req, what) in cases {
        b.expect_error(&req, req[1], BAD_ARG, &what);
    }
    b.works(4);
}

/// Rule 4: the first failing check wins, in the order BAD_CRC, UNKNOWN_CMD, BAD_LENGTH,
/// BAD_ARG.
#[test]
fn check_order() {
    let mut b = Bench::new(8, 25);
    // Unknown command with a bad CRC.
    let req = with_crc_flipped(request(1, 9, &[0xFF]), 3);
    b.expect_error(&req, 1, BAD_CRC, "cmd 9 + CRC");
    // Bad length and bad argument with a bad CRC.
    let req = with_crc_flipped(request(2, READ, &[0xFF, 3, 0xF0]), 0);
    b.expect_error(&req, 2, BAD_CRC, "READ len 3 + CRC");
    // Unknown command whose length fits no command.
    b.expect_error(&request(3, 3, &[0xFF; 5]), 3, UNKNOWN_CMD, "cmd 3 len 5");
    // Bad length with bad arguments.
    b.expect_error(
        &request(4, READ, &[0xFF, 3, 0xF0, 9]),
        4,
        BAD_LENGTH,
        "n 9 + args",
    );
    b.expect_error(
        &request(5, WRITE, &[0xFF, 3, 0xF0, 1, 2]),
        5,
        BAD_LENGTH,
        "len 5 + args",
    );
    b.works(6);
}

/// Rule 2: a `len` above 35 is answered at once (while the host is still sending), and the
/// rest of the frame is drained — even a complete valid frame inside it.
#[test]
fn oversize_is_answered_at_once_and_drained() {
    let mut b = Bench::new(8, 26);
    for (seq, len) in [(1u8, 36u8), (2, 0x80), (3, 0xFF)] {
        let inner = write_req(0x77, true, 0x80, &[0xDEAD_BEEF; 8]);
        let mut req = vec![REQ_SYNC, seq, WRITE, len];
        req.extend_from_slice(&inner);
        req.extend_from_slice(&inner);
        let before = b.accesses.len();
        b.send(&req[..4]);
        // The response starts while the rest of the frame is on the line.
        b.send(&req[4..10]);
        let started = b
            .received
            .front()
            .map(|&(_, at)| at)
            .expect("no immediate response");
        b.send(&req[10..]);
        assert!(started < b.sim.cycles() - 30 * b.byte_time());
        let got = b.recv_frame(1).expect("response");
        assert_eq!(got, response(seq, BAD_LENGTH, &[]), "len {len}");
        b.idle(b.timeout() + b.byte_time());
        assert!(b.received.is_empty(), "the drained frame was answered");
        assert_eq!(b.accesses.len(), before, "len {len}: accesses");
    }
    b.works(4);
}

/// Rule 3: silence of 16 byte times inside a frame ends it (TRUNCATED, `seq` 0 if it never
/// came), not a moment earlier; the bridge then hunts again at once.
#[test]
fn truncated_frames() {
    let mut b = Bench::new(8, 27);
    let full = write_req(0x31, true, 0x44, &[0x1122_3344, 0x5566_7788]);
    for cut in 1..full.len() {
        b.send(&full[..cut]);
        // Clock of the middle of the last stop bit: where the receiver's silence starts.
        let stop_mid = b.sim.cycles() - b.cpb + b.cpb / 2;
        let (sync, start) = b.recv_byte_at(b.timeout() + 100).expect("TRUNCATED");
        assert_eq!(sync, RESP_SYNC);
        let silence = start - stop_mid;
        assert!(
            (b.timeout()..b.timeout() + 16).contains(&silence),
            "cut {cut}: answered after {silence} clocks of silence"
        );
        let mut got = vec![sync];
        for _ in 0..5 {
            got.push(b.recv_byte(2 * b.byte_time()).unwrap());
        }
        let seq = if cut >= 2 { 0x31 } else { 0 };
        assert_eq!(got, response(seq, TRUNCATED, &[]), "cut {cut}");
        assert!(b.accesses.is_empty(), "cut {cut}: accesses");
        // No drain after TRUNCATED.
        b.works(0x40 + cut as u8);
        b.accesses.clear();
    }
}

/// Gaps shorter than the timeout inside a frame are fine.
#[test]
fn gaps_below_the_timeout() {
    let mut b = Bench::new(8, 28);
    let req = read_req(0x19, true, 0x10, 2);
    let words = [b.mem[4], b.mem[5]];
    let gap = b.timeout() - 2 * b.cpb;
    for &byte in &req {
        b.send(&[byte]);
        b.idle(gap);
    }
    let got = b.recv_frame(1000).expect("response");
    assert_eq!(got, response(0x19, OK, &words_le(&words)));
    assert_eq!(b.accesses, reads(0x10, 2, true));
}

/// Rule 5: after an error the bridge drops everything until the line has been idle for the
/// timeout; a host that does not wait loses its next frame (no response, no access).
#[test]
fn drain_after_an_error() {
    let mut b = Bench::new(8, 29);
    b.expect(
        &with_crc_flipped(read_req(1, true, 0, 1), 5),
        &response(1, BAD_CRC, &[]),
        &[],
        "BAD_CRC",
    );
    // Straight away, and again after a pause shorter than the timeout.
    b.send(&write_req(2, true, 0x10, &[1, 2]));
    b.idle(b.timeout() - 3 * b.byte_time());
    b.send(&read_req(3, true, 0x10, 1));
    b.idle(b.timeout() - 3 * b.byte_time());
    assert!(
        b.received.is_empty(),
        "a frame sent while draining was answered"
    );
    assert!(
        b.accesses.is_empty(),
        "a frame sent while draining made accesses"
    );
    b.idle(3 * b.byte_time() + b.cpb);
    b.works(4);
}

/// Rule 1: bytes other than 0xA5 outside a frame are dropped.
#[test]
fn noise_before_sync_is_ignored() {
    let mut b = Bench::new(8, 30);
    for round in 0..5u8 {
        let noise: Vec<u8> = (0..1 + round * 7)
            .map(|_| loop {
                let x = b.rng.next() as u8;
                if x != REQ_SYNC {
                    break x;
                }
            })
            .collect();
        b.send(&noise);
        assert!(b.received.is_empty());
        b.works(round * 2);
        b.accesses.clear();
    }
}

/// A character whose stop bit is 0 is dropped: inside a frame the frame goes on, and a
/// broken 0xA5 starts nothing.
#[test]
fn framing_errors_are_dropped() {
    let mut b = Bench::new(8, 31);
    let req = read_req(0x55, true, 0x30, 1);
    let word = b.mem[0x30 / 4];
    for at in 0..=req.len() {
        b.send(&req[..at]);
        let junk = b.rng.next() as u8;
        b.send_char(junk, false);
        // The line goes high again after the broken character, as after any stop bit.
        b.send(&req[at..]);
        let got = b.recv_frame(30 * b.byte_time()).expect("response");
        assert_eq!(
            got,
            response(0x55, OK, &word.to_le_bytes()),
            "error before byte {at}"
        );
    }
    assert_eq!(b.accesses, vec![reads(0x30, 1, true)[0]; req.len() + 1]);
    b.accesses.clear();
    b.send_char(REQ_SYNC, false);
    b.works(7);
}

/// A low pulse shorter than half a bit is not a start bit.
#[test]
fn glitches_are_not_start_bits() {
    let mut b = Bench::new(16, 32);
    let req = read_req(0x66, false, 0x50, 1);
    let word = b.mem[0x50 / 4];
    for at in 0..=req.len() {
        b.send(&req[..at]);
        for _ in 0..b.cpb / 2 - 1 {
            b.cycle(false);
        }
        b.idle(b.cpb);
        b.send(&req[at..]);
        let got = b.recv_frame(30 * b.byte_time()).expect("response");
        assert_eq!(
            got,
            response(0x66, OK, &word.to_le_bytes()),
            "glitch before byte {at}"
        );
    }
}
