//! The host side of the UART link against the golden board: the bridge's golden model
//! (`scu_golden::uart`) in front of the gate's golden model (`scu::device::ModelScu`). The
//! driver runs over `scu_driver::link::UartBus` exactly as `scu board` does; results are
//! checked against p256; malformed frames, sent as raw bytes, must get their error status and
//! leave the SCU untouched; and the `scu board` binary runs end to end through a
//! pseudo-terminal.

mod board_support;
mod common;

use board_support::{
    bytes_for, damaged, p256_public, p256_verifies, read_frame, write_frame, BoardTransport,
    ByteBoard, ModelBoard, ServedPty, CLOCKS_PER_BIT,
};
use scu_driver::link::frame::decode_response;
use scu_driver::link::{crc::crc16, LinkError, LinkStatus, UartBus};
use scu_driver::regmap::scu::addr;
use scu_driver::{Bus, PublicKey, Scu, SlotPolicy};
use serde_json::Value;

const W: usize = 128;

type Golden = Scu<UartBus<BoardTransport<ModelBoard>>>;

fn golden(seed: u64) -> Golden {
    Scu::new(
        UartBus::new(BoardTransport::new(ModelBoard::new(W, seed))),
        true,
    )
}

fn to_bytes(words: &[u32; 8]) -> [u8; 32] {
    let mut b = [0u8; 32];
    for (i, w) in words.iter().enumerate() {
        b[4 * i..4 * i + 4].copy_from_slice(&w.to_be_bytes());
    }
    b
}

// ───────────────────────────── the driver over the link ─────────────────────────────

#[test]
fn info_and_id_through_the_link() {
    let mut scu = golden(1);
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
    let id = scu.probe().unwrap();
    assert_eq!(id.word_width as usize, W);
    assert_eq!(scu.bus_ref().error(), None);
    assert_eq!(scu.bus_ref().frames(), 2);
}

#[test]
fn driver_keygen_and_sign_through_the_link_verify_with_p256() {
    let mut scu = golden(2);
    scu.probe().unwrap();

    let d = bytes_for("board d");
    let q = scu.keygen_ext(&d).unwrap();
    assert_eq!(q, p256_public(&d));
    // The result window read again as one 8-word frame gives the same x.
    let mut x = [0u32; 8];
    scu.bus().read_words(addr::RES_X, true, &mut x).unwrap();
    assert_eq!(to_bytes(&x), q.x);

    let z = bytes_for("board digest");
    let k = bytes_for("board nonce");
    let sig = scu.sign_ext(&d, &z, &k).unwrap();
    assert!(p256_verifies(&q, &z, &sig.r, &sig.s));
    assert!(!p256_verifies(
        &q,
        &bytes_for("other digest"),
        &sig.r,
        &sig.s
    ));

    // A key born in a slot, k from the TRNG: only the public key and the signature cross.
    let q0: PublicKey = scu.keygen(0).unwrap();
    scu.set_policy(
        0,
        SlotPolicy {
            allow_sign: true,
            allow_ecdh: false,
            wlock: false,
            ulock: false,
        },
    )
    .unwrap();
    let sig0 = scu.sign(0, &z).unwrap();
    assert!(p256_verifies(&q0, &z, &sig0.r, &sig0.s));

    let status = scu.status();
    assert_eq!(status.violations, 0);
    assert_eq!(scu.bus_ref().error(), None);
}

#[test]
fn a_damaged_response_ends_the_link() {
    /// Flips one bit of the n-th response byte.
    struct Noisy {
        inner: ModelBoard,
        at: usize,
        seen: usize,
    }
    impl ByteBoard for Noisy {
        fn exchange(&mut self, bytes: &[u8]) -> Vec<u8> {
            let mut r = self.inner.exchange(bytes);
            for b in r.iter_mut() {
                if self.seen == self.at {
                    *b ^= 0x10;
                }
                self.seen += 1;
            }
            r
        }
        fn line_idle(&mut self) -> Vec<u8> {
            self.inner.line_idle()
        }
        fn accesses(&self) -> Option<u64> {
            self.inner.accesses()
        }
    }
    // Byte 10 + 4 is the second response's first payload byte: STATUS of the second read.
    let board = Noisy {
        inner: ModelBoard::new(W, 3),
        at: 14,
        seen: 0,
    };
    let mut scu = Scu::new(UartBus::new(BoardTransport::new(board)), true);
    scu.probe().unwrap();
    let _ = scu.status();
    assert!(matches!(
        scu.bus_ref().error(),
        Some(LinkError::BadCrc { .. })
    ));
    // Nothing more reaches the board: the driver's command fails without a bus access.
    let before = scu.bus().transport().board.accesses();
    let frames = scu.bus_ref().frames();
    assert!(scu.keygen_ext(&bytes_for("d")).is_err());
    assert_eq!(scu.bus().transport().board.accesses(), before);
    assert_eq!(scu.bus_ref().frames(), frames);
}

// ───────────────────────────── malformed frames ─────────────────────────────

/// Registers a stray access would change.
fn snapshot(scu: &mut Golden) -> Vec<u32> {
    let mut regs = vec![
        addr::STATUS,
        addr::ERR,
        addr::VIOLATIONS,
        addr::USER_ALLOW,
        addr::LOCKDOWN_THRESHOLD,
    ];
    regs.extend((0..8).map(|s| addr::SLOT_POLICY + 4 * s));
    let words = regs.iter().map(|&a| scu.bus().read32(a, true)).collect();
    assert_eq!(scu.bus_ref().error(), None);
    words
}

/// Frames that would change USER_ALLOW or pop TRNG_DATA if executed, each damaged in one way.
fn malformed() -> Vec<(&'static str, Vec<u8>, LinkStatus)> {
    let good = write_frame(0x40, 1, addr::USER_ALLOW, &[0x1FF]);
    let mut v = damaged(&good);
    v.extend(vec![
        (
            "bad CRC on a TRNG_DATA read",
            {
                let mut f = read_frame(0x40, 1, addr::TRNG_DATA, 1);
                f[5] ^= 0x40;
                f
            },
            LinkStatus::BadCrc,
        ),
        (
            "truncated TRNG_DATA read",
            read_frame(0x40, 1, addr::TRNG_DATA, 1)[..8].to_vec(),
            LinkStatus::Truncated,
        ),
        (
            "reserved flag",
            write_frame(0x40, 0x03, addr::USER_ALLOW, &[0x1FF]),
            LinkStatus::BadArg,
        ),
        (
            "reserved flag on a TRNG_DATA read",
            read_frame(0x40, 0x81, addr::TRNG_DATA, 1),
            LinkStatus::BadArg,
        ),
        (
            "past the block",
            read_frame(0x40, 1, 0xFFC, 2),
            LinkStatus::BadArg,
        ),
    ]);
    v
}

#[test]
fn malformed_frames_get_their_error_and_leave_the_scu_untouched() {
    let mut scu = golden(4);
    scu.probe().unwrap();
    let before = snapshot(&mut scu);
    for (what, bytes, status) in malformed() {
        let accesses = scu.bus().transport().board.accesses();
        let reply = scu.bus().transport().raw(&bytes);
        assert_eq!(
            decode_response(&reply, 0x40, 0),
            Err(LinkError::Status(status)),
            "{what}: {reply:02x?}"
        );
        assert_eq!(
            scu.bus().transport().board.accesses(),
            accesses,
            "{what}: no Wishbone access"
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

// ───────────────────────────── `scu board` through a pty ─────────────────────────────

struct Out {
    code: i32,
    stdout: String,
    stderr: String,
}

fn scu_board(port: &str, args: &[&str]) -> Out {
    let o = common::scu()
        .args(["board", "--port", port])
        .args(args)
        .output()
        .unwrap();
    Out {
        code: o.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
    }
}

fn json_ok(port: &str, args: &[&str]) -> Value {
    let o = scu_board(port, args);
    assert_eq!(o.code, 0, "scu board {args:?}: {}", o.stderr);
    assert_eq!(o.stderr, "", "scu board {args:?}");
    serde_json::from_str(o.stdout.trim()).unwrap()
}

fn b32(v: &Value) -> [u8; 32] {
    hex::decode(v.as_str().unwrap())
        .unwrap()
        .try_into()
        .unwrap()
}

fn assert_one_error_line(o: &Out, code: i32, needle: &str) {
    assert_eq!(o.code, code, "stderr: {}", o.stderr);
    let lines: Vec<&str> = o.stderr.lines().collect();
    assert_eq!(lines.len(), 1, "one error line expected: {}", o.stderr);
    assert!(
        lines[0].starts_with("error: ") && lines[0].contains(needle),
        "expected `{needle}` in: {}",
        o.stderr
    );
    assert_eq!(o.stdout, "", "nothing on stdout on error");
}

#[test]
fn scu_board_through_a_pty_on_the_golden_board() {
    let pty = ServedPty::serve(|| ModelBoard::new(W, 6));
    let port = pty.port();
    let d = bytes_for("cli d");
    let z = bytes_for("cli digest");

    let st = json_ok(&port, &["status", "--json"]);
    assert_eq!(st["word_width"], W as u64);
    assert_eq!(st["port"], port.as_str());
    assert_eq!(st["link"]["clocks_per_bit"], CLOCKS_PER_BIT as u64);
    assert_eq!(st["link"]["max_words"], 8);
    assert_eq!(st["scu"]["violations"], 0);
    assert_eq!(st["scu"]["busy"], false);

    let kg = json_ok(&port, &["keygen", "--d", &hex::encode(d), "--json"]);
    let q = PublicKey {
        x: b32(&kg["qx"]),
        y: b32(&kg["qy"]),
    };
    assert_eq!(q, p256_public(&d));
    assert_eq!(
        kg["cycles"],
        Value::Null,
        "a board's host cannot count cycles"
    );

    let sg = json_ok(
        &port,
        &[
            "sign",
            "--key",
            &hex::encode(d),
            "--digest",
            &hex::encode(z),
            "--json",
        ],
    );
    let (r, s) = (b32(&sg["r"]), b32(&sg["s"]));
    assert!(p256_verifies(&q, &z, &r, &s));

    // Text mode: the DER signature on stdout, nothing on stderr (no cycle count).
    let o = scu_board(
        &port,
        &[
            "verify",
            "--pub",
            &format!("04{}{}", hex::encode(q.x), hex::encode(q.y)),
            "--sig",
            sg["signature"].as_str().unwrap(),
            "--digest",
            &hex::encode(z),
        ],
    );
    assert_eq!(
        (o.code, o.stdout.as_str(), o.stderr.as_str()),
        (0, "valid\n", "")
    );
    let o = scu_board(
        &port,
        &[
            "verify",
            "--pub",
            &format!("04{}{}", hex::encode(q.x), hex::encode(q.y)),
            "--sig",
            sg["signature"].as_str().unwrap(),
            "--digest",
            &hex::encode(bytes_for("x")),
        ],
    );
    assert_eq!(o.code, 1, "{}", o.stderr);

    let rnd = json_ok(&port, &["random", "--bytes", "12", "--json"]);
    assert_eq!(rnd["hex"].as_str().unwrap().len(), 24);
    assert_eq!(rnd["alarm"], Value::Null);

    let o = scu_board(&port, &["status"]);
    assert_eq!(o.code, 0, "{}", o.stderr);
    assert!(
        o.stdout.contains("word width 128") && o.stdout.contains("0 violation"),
        "{}",
        o.stdout
    );
    assert!(pty.finish().unwrap() > 0);
}

/// A board that never answers.
struct Silent;
impl ByteBoard for Silent {
    fn exchange(&mut self, _: &[u8]) -> Vec<u8> {
        Vec::new()
    }
    fn line_idle(&mut self) -> Vec<u8> {
        Vec::new()
    }
    fn accesses(&self) -> Option<u64> {
        None
    }
}

/// A board whose bridge rejects every frame with BAD_CRC (as if the line corrupted each).
struct Rejecting(Vec<u8>);
impl ByteBoard for Rejecting {
    fn exchange(&mut self, bytes: &[u8]) -> Vec<u8> {
        self.0.extend_from_slice(bytes);
        if self.0.len() < 6 {
            return Vec::new();
        }
        let seq = self.0[1];
        self.0.clear();
        let mut r = vec![0x5A, seq, 0x01, 0];
        let crc = crc16(&r[1..]);
        r.extend_from_slice(&crc.to_be_bytes());
        r
    }
    fn line_idle(&mut self) -> Vec<u8> {
        self.0.clear();
        Vec::new()
    }
    fn accesses(&self) -> Option<u64> {
        None
    }
}

#[test]
fn scu_board_reports_link_failures() {
    let silent = ServedPty::serve(|| Silent);
    let o = scu_board(&silent.port(), &["--timeout-ms", "200", "status"]);
    assert_one_error_line(&o, 1, "no response from the board");
    // verify keeps its meaning of 1 (invalid): no verdict is 2.
    let q = p256_public(&bytes_for("q"));
    let o = scu_board(
        &silent.port(),
        &[
            "--timeout-ms",
            "200",
            "verify",
            "--pub",
            &format!("04{}{}", hex::encode(q.x), hex::encode(q.y)),
            "--sig",
            "3006020101020101",
            "--digest",
            &hex::encode(bytes_for("z")),
        ],
    );
    assert_one_error_line(&o, 2, "no response from the board");

    let rejecting = ServedPty::serve(|| Rejecting(Vec::new()));
    let o = scu_board(
        &rejecting.port(),
        &["keygen", "--d", &hex::encode(bytes_for("d"))],
    );
    assert_one_error_line(&o, 1, "BAD_CRC");

    let o = scu_board("/nonexistent/tty", &["status"]);
    assert_one_error_line(&o, 1, "cannot open /nonexistent/tty");
    let o = scu_board("/dev/null", &["status"]);
    assert_one_error_line(&o, 1, "not a terminal");
    // Input errors come before the port is opened: exit 2, no access.
    let o = scu_board(
        "/nonexistent/tty",
        &[
            "sign",
            "--key",
            &hex::encode(bytes_for("d")),
            "--digest",
            "00",
        ],
    );
    assert_eq!(o.code, 2, "{}", o.stderr);
    let o = scu_board(&silent.port(), &["--baud", "1234", "status"]);
    assert_eq!(o.code, 2, "{}", o.stderr);
    let o = common::scu().args(["board", "status"]).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
}
