//! What the board-link tests share: boards at byte level (the golden bridge in front of the
//! golden SCU; the Verilated board top), a `Transport` over one, a pseudo-terminal served by
//! one for the `scu board` binary, and the p256 reference.
#![allow(dead_code)]

use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature as P256Sig, VerifyingKey};
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use p256::{FieldBytes, ProjectivePoint, Scalar};
use scu::device::ModelScu;
use scu_driver::link::{LinkError, Transport};
use scu_driver::PublicKey;
use scu_golden::uart::{Bridge, BridgeConfig, Event, Phase};
use std::collections::VecDeque;
use std::fs::File;
use std::io::{Read, Write};
use std::os::fd::{AsRawFd, FromRawFd};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// The simulated bit time: small, so that a frame costs few simulated cycles.
pub const CLOCKS_PER_BIT: u16 = 16;
/// One byte on the line: start, 8 data bits, stop.
pub const BYTE_CLOCKS: u64 = 10 * CLOCKS_PER_BIT as u64;

/// A board as a byte pipe: bytes in, whatever it answered out.
pub trait ByteBoard {
    /// The bytes arrive back to back; returns every byte the board sent in reply (a frame's
    /// response comes after the frame's last byte).
    fn exchange(&mut self, bytes: &[u8]) -> Vec<u8>;
    /// The line stays idle for longer than the bridge's timeout.
    fn line_idle(&mut self) -> Vec<u8>;
    /// Wishbone accesses the bridge has made so far, where the board lets them be counted.
    fn accesses(&self) -> Option<u64>;
}

// ───────────────────────────── the golden board ─────────────────────────────

/// The golden bridge (`scu_golden::uart`) in front of the gate's golden model. Time passes for
/// the SCU as it would on the line: one byte time per byte received or sent.
pub struct ModelBoard {
    pub bridge: Bridge,
    pub scu: ModelScu,
    accesses: u64,
}

impl ModelBoard {
    pub fn new(w: usize, seed: u64) -> Self {
        let mut scu = ModelScu::new(w, seed).expect("gate model");
        scu.reset();
        ModelBoard {
            bridge: Bridge::new(BridgeConfig {
                word_width: w as u8,
                slots: 8,
                clocks_per_bit: CLOCKS_PER_BIT,
            }),
            scu,
            accesses: 0,
        }
    }

    fn event(&mut self, e: Event) -> Vec<u8> {
        let scu = &mut self.scu;
        let r = self.bridge.event(e, &mut |req| scu.access(req));
        self.accesses += r.accesses.len() as u64;
        for _ in 0..BYTE_CLOCKS * r.response.len() as u64 {
            self.scu.step(None);
        }
        r.response
    }
}

impl ByteBoard for ModelBoard {
    fn exchange(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = Vec::new();
        for &b in bytes {
            for _ in 0..BYTE_CLOCKS {
                self.scu.step(None);
            }
            out.extend(self.event(Event::Byte(b)));
        }
        out
    }

    fn line_idle(&mut self) -> Vec<u8> {
        if self.bridge.phase() == Phase::Hunt {
            return Vec::new();
        }
        self.event(Event::IdleTimeout)
    }

    fn accesses(&self) -> Option<u64> {
        Some(self.accesses)
    }
}

// ───────────────────────────── the Verilated board ─────────────────────────────

/// The Verilated `scu_board_w<W>` (RTL bridge in front of the RTL SCU) at the far end of its
/// serial line, `scu_sim::board::SimBoardLink`, at [`CLOCKS_PER_BIT`].
pub struct RtlBoard {
    pub link: scu_sim::board::SimBoardLink,
}

impl RtlBoard {
    pub fn new(w: usize, seed: u64) -> Self {
        RtlBoard {
            link: scu_sim::board::SimBoardLink::new(w, CLOCKS_PER_BIT, seed).expect("board model"),
        }
    }

    /// Every byte the board sends, the first within `first` clocks, each next one within two
    /// byte times of the previous (a response is sent back to back).
    fn collect(&mut self, first: u64) -> Vec<u8> {
        let mut out = Vec::new();
        let mut wait = first;
        while let Some(b) = self.link.recv_byte(wait) {
            out.push(b);
            wait = 2 * BYTE_CLOCKS;
        }
        out
    }
}

impl ByteBoard for RtlBoard {
    fn exchange(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.link.send(bytes);
        // The response starts a few cycles after the frame's last byte (eight accesses of
        // three cycles at most): four byte times is ample, and far below the timeout.
        self.collect(4 * BYTE_CLOCKS)
    }

    fn line_idle(&mut self) -> Vec<u8> {
        // The bridge's timeout is 16 byte times from the end of the last byte; one more for
        // the decision, then whatever it answers (TRUNCATED) comes back to back.
        self.link.idle(17 * BYTE_CLOCKS);
        self.collect(2 * BYTE_CLOCKS)
    }

    fn accesses(&self) -> Option<u64> {
        // The board has no Wishbone tap: the bridge's own test (tests/uart_bridge.rs) counts
        // accesses; here the SCU's registers and its TRNG output tell.
        None
    }
}

// ───────────────────────────── in-process transport ─────────────────────────────

/// A `Transport` straight into a board: what the board answers is queued for `recv`; asking
/// for more than it answered is a timeout (after the line has gone idle).
pub struct BoardTransport<B: ByteBoard> {
    pub board: B,
    pending: VecDeque<u8>,
}

impl<B: ByteBoard> BoardTransport<B> {
    pub fn new(board: B) -> Self {
        BoardTransport {
            board,
            pending: VecDeque::new(),
        }
    }

    /// Sends raw bytes (outside the codec) and returns the board's answer, the line left idle
    /// afterwards so that whatever the board does on a timeout happens too.
    pub fn raw(&mut self, bytes: &[u8]) -> Vec<u8> {
        let mut out = self.board.exchange(bytes);
        out.extend(self.board.line_idle());
        out
    }
}

impl<B: ByteBoard> Transport for BoardTransport<B> {
    fn send(&mut self, bytes: &[u8]) -> Result<(), LinkError> {
        let r = self.board.exchange(bytes);
        self.pending.extend(r);
        Ok(())
    }

    fn recv(&mut self, buf: &mut [u8]) -> Result<(), LinkError> {
        if self.pending.len() < buf.len() {
            self.pending.extend(self.board.line_idle());
        }
        if self.pending.len() < buf.len() {
            self.pending.clear();
            return Err(LinkError::Timeout);
        }
        for b in buf.iter_mut() {
            *b = self.pending.pop_front().unwrap();
        }
        Ok(())
    }
}

// ───────────────────────────── a pseudo-terminal ─────────────────────────────

/// A pty pair whose master end a thread serves with a board; the `scu` binary opens
/// `path` (the slave) as its serial port.
pub struct ServedPty {
    pub path: PathBuf,
    stop: Arc<AtomicBool>,
    thread: Option<JoinHandle<Option<u64>>>,
    /// Held open so that the master never sees the slave side closed between two runs.
    _slave: scu::board_link::SerialTransport,
}

/// Opens a pty pair; the slave is set raw (as `scu board` will set it again).
fn open_pty() -> (File, PathBuf, scu::board_link::SerialTransport) {
    // SAFETY: plain libc calls on a descriptor this function owns; ptsname_r writes at most
    // the buffer's length.
    unsafe {
        let m = libc::posix_openpt(libc::O_RDWR | libc::O_NOCTTY);
        assert!(m >= 0, "posix_openpt: {}", std::io::Error::last_os_error());
        assert_eq!(libc::grantpt(m), 0);
        assert_eq!(libc::unlockpt(m), 0);
        let mut name = [0 as libc::c_char; 128];
        assert_eq!(libc::ptsname_r(m, name.as_mut_ptr(), name.len()), 0);
        let path = PathBuf::from(
            std::ffi::CStr::from_ptr(name.as_ptr())
                .to_string_lossy()
                .into_owned(),
        );
        let master = File::from_raw_fd(m);
        let slave = scu::board_link::SerialTransport::open(&path, 115_200, Duration::from_secs(1))
            .expect("open the pty's slave side");
        (master, path, slave)
    }
}

/// How long the master side must be quiet before the board sees an idle line.
const QUIET: Duration = Duration::from_millis(30);

impl ServedPty {
    /// A pty whose master a thread serves with the board `make` builds on that thread
    /// (Verilated models stay on the thread that made them).
    pub fn serve<B: ByteBoard + 'static>(make: impl FnOnce() -> B + Send + 'static) -> Self {
        let (mut master, path, slave) = open_pty();
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let thread = std::thread::spawn(move || {
            let mut board = make();
            let mut buf = [0u8; 256];
            let mut last = Instant::now();
            let mut idle_done = true;
            while !flag.load(Ordering::Relaxed) {
                let mut p = libc::pollfd {
                    fd: master.as_raw_fd(),
                    events: libc::POLLIN,
                    revents: 0,
                };
                // SAFETY: one valid pollfd.
                let n = unsafe { libc::poll(&mut p, 1, 10) };
                if n > 0 && p.revents & libc::POLLIN != 0 {
                    let k = match master.read(&mut buf) {
                        Ok(k) => k,
                        Err(_) => {
                            std::thread::sleep(Duration::from_millis(5));
                            continue;
                        }
                    };
                    let reply = board.exchange(&buf[..k]);
                    if !reply.is_empty() {
                        master.write_all(&reply).unwrap();
                    }
                    last = Instant::now();
                    idle_done = false;
                } else if !idle_done && last.elapsed() > QUIET {
                    let reply = board.line_idle();
                    if !reply.is_empty() {
                        master.write_all(&reply).unwrap();
                    }
                    idle_done = true;
                }
            }
            board.accesses()
        });
        ServedPty {
            path,
            stop,
            thread: Some(thread),
            _slave: slave,
        }
    }

    pub fn port(&self) -> String {
        self.path.display().to_string()
    }

    /// Stops the board; returns the Wishbone accesses it made, if it counts them.
    pub fn finish(mut self) -> Option<u64> {
        self.stop.store(true, Ordering::Relaxed);
        self.thread.take().unwrap().join().expect("board thread")
    }
}

impl Drop for ServedPty {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::Relaxed);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

// ───────────────────────────── the p256 reference ─────────────────────────────

pub fn scalar(d: &[u8; 32]) -> Scalar {
    Option::from(Scalar::from_repr(FieldBytes::from(*d))).expect("scalar below n")
}

pub fn p256_public(d: &[u8; 32]) -> PublicKey {
    let e = (ProjectivePoint::GENERATOR * scalar(d))
        .to_affine()
        .to_sec1_point(false);
    PublicKey {
        x: e.x().unwrap().as_slice().try_into().unwrap(),
        y: e.y().unwrap().as_slice().try_into().unwrap(),
    }
}

/// Whether (r, s) is a valid ECDSA P-256 signature of digest `z` under `q`, says p256.
pub fn p256_verifies(q: &PublicKey, z: &[u8; 32], r: &[u8; 32], s: &[u8; 32]) -> bool {
    let sec1 = [&[4u8][..], &q.x[..], &q.y[..]].concat();
    let vk = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
    let Ok(sig) = P256Sig::from_scalars(*r, *s) else {
        return false;
    };
    vk.verify_prehash(z, &sig).is_ok()
}

/// A fixed 32-byte value from a label (a scalar well below n for any label in practice).
pub fn bytes_for(label: &str) -> [u8; 32] {
    use sha2::Digest;
    let mut b: [u8; 32] = sha2::Sha256::digest(label.as_bytes()).into();
    b[0] &= 0x7F;
    b
}

// ───────────────────────────── raw request frames (docs/host-protocol.md) ─────────────────────────────

pub fn frame(seq: u8, cmd: u8, payload: &[u8]) -> Vec<u8> {
    let mut f = vec![0xA5, seq, cmd, payload.len() as u8];
    f.extend_from_slice(payload);
    let crc = scu_driver::link::crc::crc16(&f[1..]);
    f.extend_from_slice(&crc.to_be_bytes());
    f
}

pub fn read_frame(seq: u8, flags: u8, offset: u32, n: u8) -> Vec<u8> {
    let a = (offset as u16).to_le_bytes();
    frame(seq, 0x01, &[flags, a[0], a[1], n])
}

pub fn write_frame(seq: u8, flags: u8, offset: u32, words: &[u32]) -> Vec<u8> {
    let a = (offset as u16).to_le_bytes();
    let mut p = vec![flags, a[0], a[1]];
    for w in words {
        p.extend_from_slice(&w.to_le_bytes());
    }
    frame(seq, 0x02, &p)
}

/// The well-formed WRITE `good` (sequence number 0x40) damaged in each way the bridge must
/// refuse whatever the frame, with the status it must answer.
pub fn damaged(good: &[u8]) -> Vec<(&'static str, Vec<u8>, scu_driver::link::LinkStatus)> {
    use scu_driver::link::LinkStatus;
    let n = good.len();
    vec![
        (
            "bad CRC",
            {
                let mut f = good.to_vec();
                f[n - 1] ^= 0x01;
                f
            },
            LinkStatus::BadCrc,
        ),
        ("truncated", good[..n - 1].to_vec(), LinkStatus::Truncated),
        (
            "oversized",
            {
                let mut f = vec![0xA5, 0x40, 0x02, 36];
                f.extend_from_slice(&good[4..]);
                f.extend_from_slice(&[0; 30]);
                f
            },
            LinkStatus::BadLength,
        ),
        (
            "unknown command",
            frame(0x40, 0x03, &good[4..n - 2]),
            LinkStatus::UnknownCmd,
        ),
        (
            "bad length",
            {
                let mut p = good[4..n - 2].to_vec();
                p.push(0);
                frame(0x40, 0x02, &p)
            },
            LinkStatus::BadLength,
        ),
    ]
}
