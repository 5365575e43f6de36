//! The verilated SCU tops (`scu_wb_w16`, `scu_wb_w128`, `scu_axi_w16`) driven through their
//! bus ports the way software would: identification, the `_EXT` commands against the golden
//! engine, slot commands against p256, violations, lockdown, and the AXI bridge against the
//! Wishbone top. Every register number comes from `scu_driver::regmap::scu`.

#[path = "../golden-model/tests/engine_support/mod.rs"]
mod engine_support;

use engine_support::*;
use num_bigint::BigUint;
use scu_driver::regmap::scu::{self, cmd::op, err::code, status};
use scu_driver::regmap::{EnumValue, Register};
use scu_golden::engine::{Command, Engine, Status};
use scu_sim::scu::{AnyScu, AnyScuAxi, Xfer};
use scu_sim::SimOptions;
use std::time::Instant;

/// Raw TRNG bits: a fair coin, one sample every cycle (the core's health tests pass it).
struct Coin {
    rng: Rng,
    bits: u64,
    left: u32,
}

impl Coin {
    fn new(seed: u64) -> Self {
        Coin {
            rng: Rng::new(seed),
            bits: 0,
            left: 0,
        }
    }

    fn next(&mut self) -> (bool, bool) {
        if self.left == 0 {
            self.bits = self.rng.next_u64();
            self.left = 64;
        }
        let b = self.bits & 1 == 1;
        self.bits >>= 1;
        self.left -= 1;
        (b, true)
    }
}

/// A Wishbone SCU and its entropy, with the accesses software makes.
struct Host {
    scu: AnyScu,
    coin: Coin,
}

const PRIV: bool = true;
const USER: bool = false;
/// More cycles than any command takes at W16 (VERIFY is about 6 M).
const MAX_CYCLES: u64 = 20_000_000;

impl Host {
    fn new(w: usize, seed: u64) -> Self {
        let mut h = Host {
            scu: AnyScu::new(w, SimOptions::new().random_init(seed)).unwrap(),
            coin: Coin::new(seed ^ 0x5c0),
        };
        h.wait_idle();
        h
    }

    fn rd(&mut self, adr: u32, privileged: bool) -> Xfer {
        let Host { scu, coin } = self;
        scu.read32(adr, privileged, &mut || coin.next())
    }

    fn wr(&mut self, adr: u32, data: u32, privileged: bool) -> Xfer {
        let Host { scu, coin } = self;
        scu.write32(adr, data, privileged, &mut || coin.next())
    }

    fn read(&mut self, r: &Register) -> u32 {
        self.rd(r.offset, PRIV).data
    }

    fn status(&mut self) -> u32 {
        self.read(&scu::STATUS)
    }

    /// Polls STATUS until not busy (after reset the SCU zeroizes for 256 cycles).
    fn wait_idle(&mut self) {
        for _ in 0..400 {
            if status::BUSY.get(self.status()) == 0 {
                return;
            }
        }
        panic!("still busy");
    }

    fn write_window(&mut self, r: &Register, v: &BigUint, privileged: bool) {
        let be = be32(v);
        for i in 0..8 {
            let word = u32::from_be_bytes(be[4 * i..4 * i + 4].try_into().unwrap());
            let x = self.wr(r.at(i as u32), word, privileged);
            assert!(!x.alert, "window write to {} refused", r.name);
        }
    }

    fn read_window(&mut self, r: &Register) -> BigUint {
        let mut be = vec![];
        for i in 0..8 {
            be.extend(self.rd(r.at(i), USER).data.to_be_bytes());
        }
        BigUint::from_bytes_be(&be)
    }

    /// Writes CMD and waits for `irq`; the engine status from STATUS, and the cycles from the
    /// CMD write to irq. Panics if the command was refused.
    fn run(&mut self, o: EnumValue, slot: u32, privileged: bool) -> (u32, u64) {
        let cmd = scu::cmd::OP.put(o.value) | scu::cmd::SLOT.put(slot);
        let x = self.wr(scu::CMD.offset, cmd, privileged);
        assert!(
            !x.alert,
            "{} refused: ERR {:#x}",
            o.name,
            self.read(&scu::ERR)
        );
        let mut cycles = x.cycles;
        let mut irqs = u32::from(x.irq);
        let Host { scu, coin } = self;
        while irqs == 0 {
            assert!(cycles < MAX_CYCLES, "{}: no irq", o.name);
            let step = scu.idle(1, &mut || coin.next());
            cycles += 1;
            irqs += u32::from(step.irq);
        }
        let s = self.status();
        assert_eq!(status::BUSY.get(s), 0, "{}: busy after irq", o.name);
        assert_eq!(status::DONE.get(s), 1, "{}: not done after irq", o.name);
        (status::ENGINE_STATUS.get(s), cycles)
    }

    /// A command that must be refused with `expect` (ERR.last), raising `alert`.
    fn refused(&mut self, o: EnumValue, slot: u32, privileged: bool, expect: EnumValue) {
        let cmd = scu::cmd::OP.put(o.value) | scu::cmd::SLOT.put(slot);
        let x = self.wr(scu::CMD.offset, cmd, privileged);
        assert!(x.alert, "{} accepted", o.name);
        let err = self.read(&scu::ERR);
        assert_eq!(
            scu::err::LAST.get(err),
            expect.value,
            "{}: ERR {err:#x}",
            o.name
        );
        assert_eq!(status::BUSY.get(self.status()), 0);
    }
}

fn ok() -> u32 {
    u32::from(Status::Ok.code())
}

#[test]
fn id_and_status_after_reset() {
    for &w in AnyScu::widths() {
        let mut scu = AnyScu::new(w, SimOptions::new().random_init(1)).unwrap();
        let mut coin = Coin::new(1);
        // The first access after reset finds the SCU zeroizing.
        let s = scu
            .read32(scu::STATUS.offset, USER, &mut || coin.next())
            .data;
        assert_eq!(status::BUSY.get(s), 1, "W{w}: busy while zeroizing");
        assert_eq!(status::DONE.get(s), 0);
        let id = scu.read32(scu::ID.offset, USER, &mut || coin.next()).data;
        assert_eq!(id, 0x5C01_0200 | w as u32, "W{w}");
        assert_eq!(id, scu::ID.reset_with(|_| w as u32));
        scu.idle(260, &mut || coin.next());
        let s = scu
            .read32(scu::STATUS.offset, USER, &mut || coin.next())
            .data;
        assert_eq!(s & !(status::TRNG_READY.mask()), 0, "W{w}: STATUS {s:#x}");
        for r in [
            scu::ERR,
            scu::VIOLATIONS,
            scu::LOCKDOWN_THRESHOLD,
            scu::USER_ALLOW,
        ] {
            let x = scu.read32(r.offset, USER, &mut || coin.next());
            assert_eq!((x.data, x.alert), (0, false), "W{w}: {}", r.name);
        }
    }
}

/// KEYGEN_EXT, SIGN_EXT, VERIFY and ECDH_EXT through the windows give the golden engine's
/// results, and the scrub leaves nothing but the declared results readable.
fn ext_commands(w: usize, seed: u64) {
    let mut h = Host::new(w, seed);
    let mut rng = Rng::new(seed);
    let mut model = Engine::new(w).unwrap();
    let d = rng.scalar();

    h.write_window(&scu::OP_D, &d, USER);
    let t = Instant::now();
    let (st, cycles) = h.run(op::KEYGEN_EXT, 0, PRIV);
    let secs = t.elapsed().as_secs_f64();
    let golden = model.run(Command::Keygen.code(), std::slice::from_ref(&d));
    assert_eq!(st, ok());
    let (qx, qy) = (h.read_window(&scu::RES_X), h.read_window(&scu::RES_Y));
    assert_eq!(
        vec![qx.clone(), qy.clone()],
        golden.outputs,
        "W{w} KEYGEN_EXT"
    );
    eprintln!(
        "scu_wb_w{w}: KEYGEN_EXT {cycles} cycles (engine {}) in {secs:.2} s: {:.2} M cycles/s",
        golden.cycles,
        cycles as f64 / secs / 1e6
    );
    // The gate's overhead: the CMD write, λ from the TRNG, START, SCRUB.
    assert!(cycles > golden.cycles + 33);

    let z = rng.u256();
    let k = rng.scalar();
    h.write_window(&scu::OP_D, &d, USER);
    h.write_window(&scu::OP_Z, &z, USER);
    h.write_window(&scu::OP_K, &k, USER);
    let (st, _) = h.run(op::SIGN_EXT, 0, PRIV);
    let golden = model.run(Command::Sign.code(), &[d.clone(), z.clone(), k.clone()]);
    assert_eq!(st, ok());
    let (r, s) = (h.read_window(&scu::RES_R), h.read_window(&scu::RES_S));
    assert_eq!(vec![r.clone(), s.clone()], golden.outputs, "W{w} SIGN_EXT");
    // Scrubbed: the digest and the earlier public key are gone.
    assert_eq!(h.read_window(&scu::OP_Z), BigUint::default());
    assert_eq!(h.read_window(&scu::RES_X), BigUint::default());

    for (sig_s, expect) in [
        (s.clone(), Status::Ok),
        (&s ^ BigUint::from(1u32), Status::InvalidSig),
    ] {
        h.write_window(&scu::OP_X, &qx, USER);
        h.write_window(&scu::OP_Y, &qy, USER);
        h.write_window(&scu::OP_Z, &z, USER);
        h.write_window(&scu::OP_R, &r, USER);
        h.write_window(&scu::OP_S, &sig_s, USER);
        let (st, _) = h.run(op::VERIFY, 0, PRIV);
        let golden = model.run(
            Command::Verify.code(),
            &[qx.clone(), qy.clone(), z.clone(), r.clone(), sig_s],
        );
        assert_eq!(golden.status, expect);
        assert_eq!(st, u32::from(golden.status.code()), "W{w} VERIFY");
    }

    let peer = rng.scalar();
    let (px, py) = ref_keygen(&peer);
    h.write_window(&scu::OP_D, &d, USER);
    h.write_window(&scu::OP_X, &px, USER);
    h.write_window(&scu::OP_Y, &py, USER);
    let (st, _) = h.run(op::ECDH_EXT, 0, PRIV);
    let golden = model.run(Command::Ecdh.code(), &[d.clone(), px, py]);
    assert_eq!(st, ok());
    assert_eq!(
        vec![h.read_window(&scu::RES_X)],
        golden.outputs,
        "W{w} ECDH_EXT"
    );
    assert_eq!(
        h.read_window(&scu::RES_Y),
        BigUint::default(),
        "ECDH scrubs QY"
    );

    // No violation along the way.
    assert_eq!(h.read(&scu::VIOLATIONS), 0);
}

#[test]
fn ext_commands_match_the_golden_engine_w128() {
    ext_commands(128, 11);
}

#[test]
fn ext_commands_match_the_golden_engine_w16() {
    ext_commands(16, 12);
}

#[test]
fn user_write_to_lockdown_threshold_is_refused() {
    let mut h = Host::new(16, 3);
    let x = h.wr(scu::LOCKDOWN_THRESHOLD.offset, 5, USER);
    assert!(x.alert, "alert pulses");
    assert_eq!(
        h.read(&scu::ERR),
        scu::err::CODE.put(code::PRIV.value) | scu::err::LAST.put(code::PRIV.value)
    );
    assert_eq!(h.read(&scu::VIOLATIONS), 1);
    assert_eq!(h.read(&scu::LOCKDOWN_THRESHOLD), 0, "nothing stored");
    assert_eq!(status::ALERT.get(h.status()), 1);
    // A privileged write is taken.
    let x = h.wr(scu::LOCKDOWN_THRESHOLD.offset, 5, PRIV);
    assert!(!x.alert);
    assert_eq!(h.read(&scu::LOCKDOWN_THRESHOLD), 5);
}

/// The alert pulse is one cycle, in the cycle after ACT (the ACK cycle).
#[test]
fn alert_is_one_cycle_with_ack() {
    use scu_sim::scu::ScuIn;
    let mut h = Host::new(16, 4);
    let req = ScuIn {
        cyc_stb: true,
        we: false,
        adr: scu::OP_D.offset,
        ..ScuIn::default()
    };
    let outs: Vec<_> = (0..4).map(|_| h.scu.step(req)).collect();
    // Edge 1 samples the request (ACT next), edge 2 ends ACT (ACK next), edge 3 ends ACK.
    assert!(!outs[0].ack && !outs[0].alert);
    assert!(outs[1].ack && outs[1].alert && outs[1].dat_r == 0);
    assert!(!outs[2].ack && !outs[2].alert);
}

#[test]
fn violations_errors_and_lockdown() {
    let mut h = Host::new(16, 5);
    // Reads that are refused return 0 and count.
    assert!(h.rd(scu::OP_D.offset, PRIV).alert);
    assert!(h.rd(scu::CMD.offset, PRIV).alert);
    assert!(h.rd(0x040, PRIV).alert, "unmapped");
    assert!(h.wr(scu::RES_X.offset, 1, PRIV).alert, "read-only window");
    assert!(h.wr(scu::ID.offset, 1, PRIV).alert, "read-only register");
    assert_eq!(h.read(&scu::VIOLATIONS), 5);
    let err = h.read(&scu::ERR);
    assert_eq!(scu::err::CODE.get(err), code::BAD_ADDR.value);
    // Unknown op, slot beyond the slots, user command not allowed.
    h.refused(EnumValue::new("op 11", 11, ""), 0, PRIV, code::BAD_CMD);
    h.refused(op::KEYGEN_SLOT, 8, PRIV, code::BAD_CMD);
    h.refused(op::KEYGEN_EXT, 0, USER, code::PRIV);
    h.refused(op::PUBKEY_SLOT, 0, PRIV, code::EMPTY_SLOT);
    // NOP is always allowed and completes at once (no irq: it never leaves IDLE).
    let x = h.wr(scu::CMD.offset, 0, USER);
    assert!(!x.alert && !x.irq);
    let s = h.status();
    assert_eq!((status::DONE.get(s), status::ENGINE_STATUS.get(s)), (1, 0));

    // Threshold 12: the 12th violation locks the SCU down.
    assert!(!h.wr(scu::LOCKDOWN_THRESHOLD.offset, 12, PRIV).alert);
    assert_eq!(h.read(&scu::VIOLATIONS), 9);
    h.write_window(&scu::OP_X, &BigUint::from(0x1234u32), USER);
    assert!(h.wr(scu::ID.offset, 0, USER).alert);
    assert!(h.wr(scu::ID.offset, 0, USER).alert);
    assert_eq!(status::LOCKDOWN.get(h.status()), 0);
    assert!(h.wr(scu::ID.offset, 0, USER).alert);
    let s = h.status();
    assert_eq!(status::LOCKDOWN.get(s), 1);
    h.wait_idle();
    // Zeroized, every write refused with LOCKDOWN, reads still served.
    assert_eq!(h.read_window(&scu::OP_X), BigUint::default());
    assert!(h.wr(scu::CMD.offset, 0, PRIV).alert);
    assert!(h.wr(scu::OP_X.offset, 1, PRIV).alert);
    let err = h.read(&scu::ERR);
    assert_eq!(scu::err::LAST.get(err), code::LOCKDOWN.value);
    assert_eq!(
        scu::err::CODE.get(err),
        code::BAD_ADDR.value,
        "first code sticks"
    );
    assert_eq!(h.read(&scu::VIOLATIONS), 14);
    assert_eq!(h.read(&scu::ID), 0x5C01_0210);
}

/// Slot commands: KEYGEN_SLOT's key signs (checked with p256) and agrees with PUBKEY_SLOT and
/// ECDH_SLOT; IMPORT_SLOT stores a known key and write-locks the slot; policies, use locks
/// and ZEROIZE are enforced.
#[test]
fn slot_commands() {
    use p256::ecdsa::signature::hazmat::PrehashVerifier;
    let mut h = Host::new(128, 6);
    let mut rng = Rng::new(6);
    let policy = |s: u32| scu::SLOT_POLICY.at(s);
    let sign_ecdh = scu::slot_policy::ALLOW_SIGN.mask();
    assert!(!h.wr(policy(2), sign_ecdh, PRIV).alert);

    let (st, _) = h.run(op::KEYGEN_SLOT, 2, PRIV);
    assert_eq!(st, ok());
    let (qx, qy) = (h.read_window(&scu::RES_X), h.read_window(&scu::RES_Y));
    assert_eq!(scu::slot_policy::VALID.get(h.rd(policy(2), PRIV).data), 1);
    let (st, _) = h.run(op::PUBKEY_SLOT, 2, PRIV);
    assert_eq!(st, ok());
    assert_eq!(
        (h.read_window(&scu::RES_X), h.read_window(&scu::RES_Y)),
        (qx.clone(), qy.clone())
    );

    let z = rng.u256();
    h.write_window(&scu::OP_Z, &z, USER);
    let (st, _) = h.run(op::SIGN_SLOT, 2, PRIV);
    assert_eq!(st, ok());
    let (r, s) = (h.read_window(&scu::RES_R), h.read_window(&scu::RES_S));
    let mut sig = be32(&r).to_vec();
    sig.extend(be32(&s));
    let sig = p256::ecdsa::Signature::from_slice(&sig).unwrap();
    let mut sec1 = vec![4u8];
    sec1.extend(be32(&qx));
    sec1.extend(be32(&qy));
    let vk = p256::ecdsa::VerifyingKey::from_sec1_bytes(&sec1).unwrap();
    vk.verify_prehash(&be32(&z), &sig)
        .expect("SIGN_SLOT signature verifies under the slot's public key");

    // Not allowed yet, then allowed.
    h.refused(op::ECDH_SLOT, 2, PRIV, code::POLICY);
    assert!(
        !h.wr(
            policy(2),
            sign_ecdh | scu::slot_policy::ALLOW_ECDH.mask(),
            PRIV
        )
        .alert
    );
    let peer = rng.scalar();
    let (px, py) = ref_keygen(&peer);
    h.write_window(&scu::OP_X, &px, USER);
    h.write_window(&scu::OP_Y, &py, USER);
    let (st, _) = h.run(op::ECDH_SLOT, 2, PRIV);
    assert_eq!(st, ok());
    let shared = h.read_window(&scu::RES_X);
    assert_eq!(shared, affine_xy(point(&qx, &qy) * scalar(&peer)).0);

    // IMPORT_SLOT: a known key, then the slot is write-locked.
    let d = rng.scalar();
    h.write_window(&scu::OP_D, &d, USER);
    let (st, _) = h.run(op::IMPORT_SLOT, 5, PRIV);
    assert_eq!(st, ok());
    assert_eq!(
        (h.read_window(&scu::RES_X), h.read_window(&scu::RES_Y)),
        ref_keygen(&d)
    );
    let p5 = h.rd(policy(5), PRIV).data;
    assert_eq!(scu::slot_policy::WLOCK.get(p5), 1);
    assert_eq!(scu::slot_policy::VALID.get(p5), 1);
    h.refused(op::KEYGEN_SLOT, 5, PRIV, code::LOCKED);
    // Clearing a lock or changing allow bits under wlock: LOCKED.
    assert!(h.wr(policy(5), sign_ecdh, PRIV).alert);
    assert_eq!(scu::err::LAST.get(h.read(&scu::ERR)), code::LOCKED.value);
    // A bad scalar: IMPORT of 0 fails and stores nothing.
    h.write_window(&scu::OP_D, &BigUint::default(), USER);
    let (st, _) = h.run(op::IMPORT_SLOT, 6, PRIV);
    assert_eq!(st, u32::from(Status::BadScalar.code()));
    assert_eq!(scu::slot_policy::VALID.get(h.rd(policy(6), PRIV).data), 0);
    assert_eq!(
        h.read_window(&scu::RES_X),
        BigUint::default(),
        "failed: results scrubbed"
    );

    // Use lock.
    assert!(
        !h.wr(
            policy(2),
            sign_ecdh | scu::slot_policy::ALLOW_ECDH.mask() | scu::slot_policy::ULOCK.mask(),
            PRIV
        )
        .alert
    );
    h.refused(op::PUBKEY_SLOT, 2, PRIV, code::USE_LOCKED);

    // ZEROIZE empties every slot; locks stay.
    let (st, _) = h.run(op::ZEROIZE, 0, PRIV);
    assert_eq!(st, ok());
    let p5 = h.rd(policy(5), PRIV).data;
    assert_eq!(scu::slot_policy::VALID.get(p5), 0);
    assert_eq!(scu::slot_policy::WLOCK.get(p5), 1);
    assert!(!h.wr(policy(3), sign_ecdh, PRIV).alert);
    h.refused(op::SIGN_SLOT, 3, PRIV, code::EMPTY_SLOT);
}

/// A script of accesses gives the same data and the same alerts through the AXI top as
/// through the Wishbone top (TRNG output excluded: its timing differs between the two).
#[test]
fn axi_top_matches_wishbone_top() {
    let d = Rng::new(9).scalar();
    let be = be32(&d);
    let word = |i: usize| u32::from_be_bytes(be[4 * i..4 * i + 4].try_into().unwrap());
    // (write?, address, data, privileged)
    let mut script: Vec<(bool, u32, u32, bool)> = vec![
        (false, scu::ID.offset, 0, false),
        (false, scu::STATUS.offset, 0, false),
    ];
    for i in 0..8 {
        script.push((true, scu::OP_X.at(i), word(i as usize), false));
    }
    for i in 0..8 {
        script.push((false, scu::OP_X.at(i), 0, false));
    }
    script.extend([
        (false, scu::OP_D.offset, 0, true),
        (true, scu::USER_ALLOW.offset, 0xffff, false),
        (
            true,
            scu::USER_ALLOW.offset,
            1 << op::NOP.value | 1 << op::VERIFY.value,
            true,
        ),
        (false, scu::USER_ALLOW.offset, 0, false),
        (true, scu::SLOT_POLICY.at(1), 3, true),
        (true, scu::SLOT_POLICY.at(1), 0x103, true),
        (true, scu::SLOT_POLICY.at(1), 0x003, true),
        (false, scu::SLOT_POLICY.at(1), 0, false),
        (true, scu::CMD.offset, 0, false),
        (true, scu::CMD.offset, op::KEYGEN_EXT.value, false),
        (false, scu::STATUS.offset, 0, false),
        (false, scu::ERR.offset, 0, false),
        (false, scu::VIOLATIONS.offset, 0, false),
        (true, scu::OP_X.at(3), 0xdead_beef, false),
        (false, scu::OP_X.at(3), 0, true),
        (false, 0xffc, 0, false),
        (false, scu::VIOLATIONS.offset, 0, false),
    ]);

    let mut wb = AnyScu::new(16, SimOptions::new().random_init(21)).unwrap();
    let mut axi = AnyScuAxi::new(16, SimOptions::new().random_init(22)).unwrap();
    let (mut c1, mut c2) = (Coin::new(1), Coin::new(2));
    wb.idle(40, &mut || c1.next());
    axi.idle(40, &mut || c2.next());
    // TRNG_READY depends on when the TRNG has a word: masked out of STATUS.
    let mask = |adr: u32, v: u32| {
        if adr == scu::STATUS.offset {
            v & !status::TRNG_READY.mask()
        } else {
            v
        }
    };
    for (n, &(we, adr, data, p)) in script.iter().enumerate() {
        let (a, b) = if we {
            (
                wb.write32(adr, data, p, &mut || c1.next()),
                axi.write32(adr, data, p, &mut || c2.next()),
            )
        } else {
            (
                wb.read32(adr, p, &mut || c1.next()),
                axi.read32(adr, p, &mut || c2.next()),
            )
        };
        assert_eq!(
            (mask(adr, a.data), a.alert),
            (mask(adr, b.data), b.alert),
            "step {n}: {} {adr:#x}",
            if we { "write" } else { "read" }
        );
        eprintln!(
            "step {n:2}: {} {adr:#05x} -> {:#010x} alert {} (wb {} cycles, axi {})",
            if we { "W" } else { "R" },
            a.data,
            a.alert,
            a.cycles,
            b.cycles
        );
    }
}

/// The AXI bridge under backpressure: W before AW, a read waiting behind a write, B and R
/// held off by the master.
#[test]
fn axi_handshakes_with_backpressure() {
    use scu_sim::scu::AxiIn;
    let mut axi = AnyScuAxi::new(16, SimOptions::new().random_init(23)).unwrap();
    let mut coin = Coin::new(3);
    axi.idle(40, &mut || coin.next());
    let p = u8::from(PRIV);
    // W alone for 3 cycles (accepted, held), then AW together with an AR; B and R not ready.
    let mut i = AxiIn {
        wvalid: true,
        wdata: 7,
        awprot: p,
        arprot: p,
        ..AxiIn::default()
    };
    let o = axi.step(i);
    assert!(!o.wready, "W buffered");
    i.wvalid = false;
    axi.step(i);
    axi.step(i);
    i.awvalid = true;
    i.awaddr = scu::LOCKDOWN_THRESHOLD.offset;
    i.arvalid = true;
    i.araddr = scu::LOCKDOWN_THRESHOLD.offset;
    let o = axi.step(i);
    assert!(!o.awready && !o.arready);
    i.awvalid = false;
    i.arvalid = false;
    // The write goes first; its B waits for bready.
    let mut cycles = 0;
    while !axi.last().bvalid {
        assert!(!axi.last().rvalid, "read before the write");
        axi.step(i);
        cycles += 1;
        assert!(cycles < 20);
    }
    for _ in 0..5 {
        let o = axi.step(i);
        assert!(o.bvalid && !o.rvalid, "B held while bready is low");
    }
    i.bready = true;
    axi.step(i);
    i.bready = false;
    let mut cycles = 0;
    while !axi.last().rvalid {
        axi.step(i);
        cycles += 1;
        assert!(cycles < 20);
    }
    assert_eq!(axi.last().rdata, 7, "the read saw the write");
    for _ in 0..3 {
        assert!(axi.step(i).rvalid, "R held while rready is low");
    }
    i.rready = true;
    let o = axi.step(i);
    assert!(!o.rvalid && o.arready && o.awready && o.wready);
}
