//! The host side of the UART link against the Verilated board (`scu_board_w128`: the RTL
//! bridge `scu_uart_bridge` in front of `scu_wb_w128`) through `scu_sim::board::SimBoardLink`
//! at 16 clocks per bit:
//!
//! - the driver over `scu_driver::link::UartBus` keys and signs; p256 and OpenSSL accept the
//!   signature;
//! - the RTL bridge and the golden bridge (`scu_golden::uart`, in front of the gate's golden
//!   model) answer the same random stream of good and damaged frames byte for byte;
//! - malformed frames sent as raw bytes get their error frame and leave the SCU's registers as
//!   they were, and a malformed READ of `TRNG_DATA` does not pop the word on offer;
//! - `scu board` runs end to end through a pseudo-terminal served by the simulated board.

mod board_support;
mod common;

use board_support::{
    bytes_for, damaged, frame, p256_public, p256_verifies, read_frame, write_frame, BoardTransport,
    ByteBoard, ModelBoard, RtlBoard, ServedPty, CLOCKS_PER_BIT,
};
use scu::formats;
use scu_driver::link::frame::decode_response;
use scu_driver::link::{LinkError, LinkStatus, UartBus};
use scu_driver::regmap::scu::addr;
use scu_driver::{Bus, Scu};
use serde_json::Value;
use sha2::{Digest, Sha256};
use std::fs;

const W: usize = 128;

type Rtl = Scu<UartBus<BoardTransport<RtlBoard>>>;

fn rtl(seed: u64) -> Rtl {
    Scu::new(
        UartBus::new(BoardTransport::new(RtlBoard::new(W, seed))),
        true,
    )
}

// ───────────────────────────── signing through the RTL ─────────────────────────────

#[test]
fn driver_signs_through_the_rtl_board_and_p256_and_openssl_accept() {
    let mut scu = rtl(11);
    let info = scu.bus().info().unwrap();
    assert_eq!(
        (
            info.version,
            info.word_width,
            info.slots,
            info.max_words,
            info.clocks_per_bit
        ),
        (1, W as u8, 8, 8, CLOCKS_PER_BIT)
    );
    assert_eq!(scu.probe().unwrap().word_width as usize, W);

    let d = bytes_for("rtl board d");
    let q = scu.keygen_ext(&d).unwrap();
    assert_eq!(q, p256_public(&d));

    let message = b"signed by the SCU on a simulated board, over its UART";
    let z: [u8; 32] = Sha256::digest(message).into();
    let k = bytes_for("rtl board k");
    let sig = scu.sign_ext(&d, &z, &k).unwrap();
    assert_eq!(scu.bus_ref().error(), None);
    assert!(p256_verifies(&q, &z, &sig.r, &sig.s));

    let dir = tempfile::tempdir().unwrap();
    let p = dir.path();
    fs::write(p.join("msg"), message).unwrap();
    fs::write(p.join("pub.pem"), formats::public_key_to_pem(&q.x, &q.y)).unwrap();
    fs::write(p.join("sig.der"), formats::signature_to_der(&sig.r, &sig.s)).unwrap();
    let verify = |msg: &str| {
        common::tool(
            "openssl",
            &[
                "dgst",
                "-sha256",
                "-verify",
                "pub.pem",
                "-signature",
                "sig.der",
                msg,
            ],
            p,
        )
    };
    let o = verify("msg");
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert_eq!(String::from_utf8_lossy(&o.stdout).trim(), "Verified OK");
    fs::write(p.join("other"), b"another message").unwrap();
    assert!(!verify("other").status.success(), "openssl can say no");
}

// ───────────────────────────── RTL bridge = golden bridge ─────────────────────────────

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

/// Offsets whose reads and writes do not depend on when they happen (the two SCUs are not
/// clocked alike: the golden board has no bit-level line): no STATUS (`trng_ready`), no TRNG
/// register, no CMD write (which would start a command), no LOCKDOWN_THRESHOLD (a lockdown's
/// zeroize would make window reads BUSY for 256 cycles, whose overlap with a frame's accesses
/// depends on the cycle).
fn timeless(offset: u32) -> bool {
    let trng = [
        addr::STATUS,
        addr::TRNG_STATUS,
        addr::TRNG_DATA,
        addr::TRNG_RCT_FAILS,
        addr::TRNG_APT_FAILS,
        addr::TRNG_SAMPLES,
        addr::TRNG_LAG_FAILS,
        addr::TRNG_ALARM_SAMPLE,
        addr::CMD,
        addr::LOCKDOWN_THRESHOLD,
    ];
    !trng.contains(&offset)
}

/// One request frame, well formed or wrong in one of the ways the contract names: a field
/// the checks after the CRC reject (with a correct CRC), or damage on the line.
fn random_episode(rng: &mut Rng, seq: u8) -> Vec<u8> {
    let n = 1 + rng.below(8) as u32;
    let base = loop {
        // Mostly the mapped registers (the first 0x200 bytes), sometimes anywhere.
        let span = if rng.below(4) == 0 { 0x1000 } else { 0x200 };
        let b = (rng.below(span / 4) * 4) as u32;
        if b + 4 * n <= 0x1000 && (0..n).all(|i| timeless(b + 4 * i)) {
            break b;
        }
    };
    let flags = rng.below(2) as u8;
    let (mut cmd, mut payload) = match rng.below(3) {
        0 => {
            let a = (base as u16).to_le_bytes();
            (0x01, vec![flags, a[0], a[1], n as u8])
        }
        1 => {
            let a = (base as u16).to_le_bytes();
            let mut p = vec![flags, a[0], a[1]];
            for _ in 0..n {
                p.extend_from_slice(&(rng.next() as u32).to_le_bytes());
            }
            (0x02, p)
        }
        _ => (0x00, Vec::new()),
    };
    // A field the checks after the CRC reject.
    match rng.below(12) {
        0 => cmd = 3 + rng.below(253) as u8,
        1 if cmd != 0 => payload[0] |= 2 << rng.below(7),
        2 if cmd != 0 => payload[1] |= 1 + rng.below(3) as u8,
        3 if cmd != 0 => payload[2] = 0x0F + rng.below(0xF1) as u8,
        4 if cmd == 1 => payload[3] = [0, 9, 0xFF][rng.below(3) as usize],
        4 if cmd == 2 => {
            payload.truncate(3 + 4 * n as usize - 1 - rng.below(3) as usize);
        }
        4 => payload.push(rng.next() as u8),
        _ => {}
    }
    let mut f = frame(seq, cmd, &payload);
    // Damage on the line.
    match rng.below(10) {
        0 => {
            let at = 1 + rng.below(f.len() as u64 - 1) as usize;
            f[at] ^= 1 + rng.below(255) as u8;
        }
        1 => {
            let cut = 1 + rng.below(f.len() as u64 - 1) as usize;
            f.truncate(cut);
        }
        2 => f[3] = 36 + rng.below(220) as u8,
        3 => {
            let mut garbage: Vec<u8> = (0..1 + rng.below(6)).map(|_| rng.next() as u8).collect();
            garbage.retain(|&b| b != 0xA5);
            garbage.extend(f);
            f = garbage;
        }
        _ => {}
    }
    f
}

#[test]
fn the_rtl_bridge_answers_like_the_golden_bridge() {
    let mut rtl = RtlBoard::new(W, 12);
    let mut golden = ModelBoard::new(W, 12);
    let mut rng = Rng(0x05EE_D0FB_0A2D);
    let mut statuses = [0u32; 6];
    for i in 0..400u32 {
        let f = random_episode(&mut rng, i as u8);
        let mut want = golden.exchange(&f);
        want.extend(golden.line_idle());
        let mut got = rtl.exchange(&f);
        got.extend(rtl.line_idle());
        assert_eq!(got, want, "episode {i}: request {f:02x?}");
        if want.len() >= 3 {
            statuses[want[2] as usize] += 1;
        }
    }
    // Every status occurred, so the comparison covered each rule.
    assert!(
        statuses.iter().all(|&c| c > 0),
        "statuses seen: {statuses:?}"
    );
    assert_eq!(rtl.link.framing_errors(), 0);
}

// ───────────────────────────── malformed frames change nothing ─────────────────────────────

/// Registers a stray access would change.
fn snapshot(scu: &mut Rtl) -> Vec<u32> {
    let mut regs = vec![
        addr::ERR,
        addr::VIOLATIONS,
        addr::USER_ALLOW,
        addr::LOCKDOWN_THRESHOLD,
    ];
    regs.extend((0..8).map(|s| addr::SLOT_POLICY + 4 * s));
    let mut words: Vec<u32> = regs.iter().map(|&a| scu.bus().read32(a, true)).collect();
    // STATUS without trng_ready, which the TRNG sets on its own schedule.
    let status = scu.bus().read32(addr::STATUS, true);
    words.push(status & !scu_driver::regmap::scu::status::TRNG_READY.mask());
    assert_eq!(scu.bus_ref().error(), None);
    words
}

/// Frames that would change USER_ALLOW, pop TRNG_DATA or start a command if executed, each
/// damaged in one way; the status the bridge must answer.
fn malformed() -> Vec<(&'static str, Vec<u8>, LinkStatus)> {
    let good = write_frame(0x40, 1, addr::USER_ALLOW, &[0x1FF]);
    let zeroize = write_frame(0x40, 1, addr::CMD, &[0x0F]);
    let mut v = damaged(&good);
    v.extend(vec![
        (
            "bad CRC on a CMD write",
            {
                let mut f = zeroize.clone();
                f[7] ^= 0x80;
                f
            },
            LinkStatus::BadCrc,
        ),
        (
            "truncated CMD write",
            zeroize[..zeroize.len() - 2].to_vec(),
            LinkStatus::Truncated,
        ),
        (
            "reserved flag",
            write_frame(0x40, 0x03, addr::USER_ALLOW, &[0x1FF]),
            LinkStatus::BadArg,
        ),
        (
            "unaligned",
            write_frame(0x40, 1, addr::USER_ALLOW + 2, &[0x1FF]),
            LinkStatus::BadArg,
        ),
        (
            "past the block",
            read_frame(0x40, 1, 0xFFC, 2),
            LinkStatus::BadArg,
        ),
    ]);
    v.extend(malformed_trng_reads());
    v
}

/// READs of TRNG_DATA, each damaged in one way.
fn malformed_trng_reads() -> Vec<(&'static str, Vec<u8>, LinkStatus)> {
    let good = read_frame(0x40, 1, addr::TRNG_DATA, 1);
    let n = good.len();
    vec![
        (
            "TRNG_DATA read, bad CRC",
            {
                let mut f = good.clone();
                f[n - 2] ^= 0x04;
                f
            },
            LinkStatus::BadCrc,
        ),
        (
            "TRNG_DATA read, truncated",
            good[..n - 1].to_vec(),
            LinkStatus::Truncated,
        ),
        (
            "TRNG_DATA read, reserved flag",
            read_frame(0x40, 0x11, addr::TRNG_DATA, 1),
            LinkStatus::BadArg,
        ),
        (
            "TRNG_DATA read, n = 0",
            read_frame(0x40, 1, addr::TRNG_DATA, 0),
            LinkStatus::BadLength,
        ),
        (
            "TRNG_DATA read, unknown command",
            frame(0x40, 0x81, &good[4..n - 2]),
            LinkStatus::UnknownCmd,
        ),
    ]
}

#[test]
fn malformed_frames_get_their_error_and_leave_the_rtl_scu_untouched() {
    let mut scu = rtl(13);
    scu.probe().unwrap();
    let before = snapshot(&mut scu);
    for (what, bytes, status) in malformed() {
        let reply = scu.bus().transport().raw(&bytes);
        assert_eq!(
            decode_response(&reply, 0x40, 0),
            Err(LinkError::Status(status)),
            "{what}: {reply:02x?}"
        );
        assert_eq!(snapshot(&mut scu), before, "{what}");
    }
    // The same write, well formed, does change the SCU: the snapshot can tell.
    let reply = scu
        .bus()
        .transport()
        .raw(&write_frame(0x41, 1, addr::USER_ALLOW, &[0x1FF]));
    assert_eq!(decode_response(&reply, 0x41, 0), Ok(&[][..]));
    assert_ne!(snapshot(&mut scu), before);
}

/// The word a well-formed READ of TRNG_DATA returns at cycle `at` of a fresh board (same
/// noise seed each time), after `first` was sent at cycle `FIRST_AT` and answered.
fn trng_word_after(first: &[u8]) -> u32 {
    const FIRST_AT: u64 = 4_000; // past the TRNG's 1024-sample startup and its first word
    const READ_AT: u64 = 30_000;
    let mut board = RtlBoard::new(W, 14);
    board.link.idle(FIRST_AT - board.link.cycles());
    let _ = board.exchange(first);
    let _ = board.line_idle();
    let now = board.link.cycles();
    assert!(now < READ_AT, "the first frame took until cycle {now}");
    board.link.idle(READ_AT - now);
    let reply = board.exchange(&read_frame(0x77, 1, addr::TRNG_DATA, 1));
    let payload = decode_response(&reply, 0x77, 4).expect("a word");
    let word = u32::from_le_bytes(payload.try_into().unwrap());
    assert_ne!(word, 0, "the TRNG had a word on offer");
    word
}

#[test]
fn a_malformed_trng_data_read_pops_nothing() {
    // The same bytes on the line, but no frame: what the TRNG offers when nothing popped.
    let unpopped = trng_word_after(&[0x00; 10]);
    // A well-formed read pops the word, so the later read gets the next one: the test can
    // tell a pop.
    let popped = trng_word_after(&read_frame(0x40, 1, addr::TRNG_DATA, 1));
    assert_ne!(popped, unpopped);
    for (what, bytes, _) in malformed_trng_reads() {
        assert_eq!(trng_word_after(&bytes), unpopped, "{what}");
    }
}

// ───────────────────────────── `scu board` on the RTL ─────────────────────────────

#[test]
fn scu_board_signs_through_a_pty_on_the_rtl_board() {
    let pty = ServedPty::serve(|| RtlBoard::new(W, 15));
    let port = pty.port();
    let d = bytes_for("rtl cli d");
    let z = bytes_for("rtl cli digest");
    let run = |args: &[&str]| -> Value {
        let o = common::scu()
            .args(["board", "--port", &port])
            .args(args)
            .output()
            .unwrap();
        assert!(
            o.status.success(),
            "scu board {args:?}: {}",
            String::from_utf8_lossy(&o.stderr)
        );
        serde_json::from_slice(&o.stdout).unwrap()
    };
    let st = run(&["status", "--json"]);
    assert_eq!(st["word_width"], W as u64);
    assert_eq!(st["link"]["clocks_per_bit"], CLOCKS_PER_BIT as u64);
    let sg = run(&[
        "sign",
        "--key",
        &hex::encode(d),
        "--digest",
        &hex::encode(z),
        "--json",
    ]);
    let b32 = |v: &Value| -> [u8; 32] {
        hex::decode(v.as_str().unwrap())
            .unwrap()
            .try_into()
            .unwrap()
    };
    assert!(p256_verifies(
        &p256_public(&d),
        &z,
        &b32(&sg["r"]),
        &b32(&sg["s"])
    ));
}
