//! The gate's golden model (`scu_golden::gate`) against `docs/gate.md`: bus protocol,
//! register semantics, violations and lockdown, every command against `p256`/`ecdsa`, the
//! scrub, the TRNG path, and that no bus read ever returns a key, a nonce or a λ.
//!
//! Most tests run at W = 128 (the fastest engine); one smoke test runs W = 16.

mod engine_support;

use engine_support::{affine_xy, p256_verify, point, ref_keygen, ref_sign, scalar, Rng};
use num_bigint::BigUint;
use num_traits::{One, Zero};
use proptest::prelude::*;
use scu_driver::regmap::scu::{
    self as map, addr, cmd, err, lockdown_threshold, slot_policy, status, trng_status, user_allow,
};
use scu_driver::regmap::{EnumValue, Register};
use scu_golden::curve;
use scu_golden::engine::program::reg::{QX, QY, R, S};
use scu_golden::gate::{access, idle, CycleIn, CycleOut, Gate, GateConfig, Request, TRNG_FAIL};
use scu_golden::trng::{self, Fault, NoiseSource, TrngCore};

const W: usize = 128;
/// SCRUB and ZERO: 32 registers × 8 lanes (docs/gate.md).
const SWEEP: u64 = 256;
/// LOAD and STORE: 8 lanes, each written the cycle after it is read.
const COPY: u64 = 9;
/// λ = 1 without randomisation: one lane per cycle.
const LAMBDA_ONE: u64 = 8;

fn code(v: EnumValue) -> u8 {
    v.value as u8
}

const OK: u8 = status::engine_status::OK.value as u8;

fn op_word(op: EnumValue, slot: u8) -> u32 {
    cmd::OP.put(op.value) | cmd::SLOT.put(slot as u32)
}

/// A Wishbone master driving the gate the way the RTL harness does, recording every output
/// pulse and every word a read returned.
struct Bench {
    gate: Gate,
    noise: NoiseSource,
    irqs: u32,
    alerts: u32,
    reads: Vec<u32>,
    /// Secrets the test itself wrote (OP_D, OP_K).
    written_secrets: Vec<BigUint>,
    /// Slot keys seen after commands (a later ZEROIZE erases them from the RAM).
    seen_keys: Vec<BigUint>,
}

impl Bench {
    fn new(cfg: GateConfig, seed: u64) -> Self {
        let mut b = Bench {
            gate: Gate::new(cfg).expect("config"),
            noise: NoiseSource::new(seed),
            irqs: 0,
            alerts: 0,
            reads: Vec::new(),
            written_secrets: Vec::new(),
            seen_keys: Vec::new(),
        };
        b.wait();
        b
    }

    fn w128(seed: u64) -> Self {
        Bench::new(GateConfig::new(W), seed)
    }

    fn step(&mut self, req: Option<Request>) -> CycleOut {
        let out = self.gate.step(CycleIn {
            req,
            raw: self.noise.next_bit(),
            raw_valid: true,
        });
        self.irqs += out.irq as u32;
        self.alerts += out.alert as u32;
        out
    }

    /// One access as `scu_golden::gate::access` makes it, with the ack latency checked.
    fn access(&mut self, req: Request) -> u32 {
        assert!(!self.step(Some(req)).ack, "ack in the IDLE cycle");
        let out = self.step(Some(req));
        assert!(out.ack, "ack two cycles after the request");
        let after = self.step(Some(req));
        assert!(
            !after.ack && after.rdata == 0,
            "ack and dat_o last one cycle"
        );
        if !req.we {
            self.reads.push(out.rdata);
        } else {
            assert_eq!(out.rdata, 0, "dat_o is 0 for writes");
        }
        out.rdata
    }

    fn rd(&mut self, a: u32) -> u32 {
        self.access(Request::read(a, true))
    }

    fn rd_user(&mut self, a: u32) -> u32 {
        self.access(Request::read(a, false))
    }

    fn wr(&mut self, a: u32, v: u32) {
        self.access(Request::write(a, v, true));
    }

    fn wr_user(&mut self, a: u32, v: u32) {
        self.access(Request::write(a, v, false));
    }

    fn idle(&mut self, cycles: u64) {
        for _ in 0..cycles {
            self.step(None);
        }
    }

    fn wait(&mut self) {
        while self.gate.busy() {
            self.step(None);
        }
    }

    fn write_window(&mut self, reg: &Register, v: &BigUint) {
        for i in 0..8 {
            let word = (v >> (32 * (7 - i))) & BigUint::from(u32::MAX);
            self.wr(reg.at(i), word.try_into().unwrap());
        }
    }

    fn write_secret(&mut self, reg: &Register, v: &BigUint) {
        self.written_secrets.push(v.clone());
        self.write_window(reg, v);
    }

    fn read_window(&mut self, reg: &Register) -> BigUint {
        (0..8).fold(BigUint::zero(), |acc, i| {
            (acc << 32u32) + self.rd(reg.at(i))
        })
    }

    /// An access that must be refused with `code`: no data, ERR.last, one more violation,
    /// and `alert` in the ACK cycle only.
    fn refused(&mut self, req: Request, code: EnumValue) {
        let (v0, a0) = (self.gate.violations(), self.alerts);
        assert_eq!(self.access(req), 0, "{req:?}: a refused access reads 0");
        assert_eq!(
            self.gate.violations(),
            v0.saturating_add(1),
            "{req:?} counted"
        );
        assert_eq!(self.alerts, a0 + 1, "{req:?}: one alert pulse");
        assert_eq!(self.gate.err().1, code.value as u8, "{req:?}: ERR.last");
        let e = self.rd(addr::ERR);
        assert_eq!(err::LAST.get(e), code.value, "{req:?}: ERR.last on the bus");
    }

    /// A command that must start and finish: its engine status, after checking `done`, one
    /// `irq` and that it took the FSM's sequence.
    fn run(&mut self, op: EnumValue, slot: u8) -> u8 {
        let (v0, i0) = (self.gate.violations(), self.irqs);
        self.wr(addr::CMD, op_word(op, slot));
        assert_eq!(
            self.gate.violations(),
            v0,
            "{} refused: {:?}",
            op.name,
            self.gate.err()
        );
        assert!(self.gate.busy() || op.value == cmd::op::NOP.value);
        self.wait();
        assert_eq!(
            self.irqs,
            i0 + (op.value != cmd::op::NOP.value) as u32,
            "one irq"
        );
        let st = self.rd(addr::STATUS);
        assert_eq!(status::BUSY.get(st), 0);
        assert_eq!(status::DONE.get(st), 1, "{} done", op.name);
        for s in 0..self.gate.config().slots {
            if self.gate.slot_valid(s) {
                self.seen_keys.push(self.gate.slot_ram(s).clone());
            }
        }
        let rec = self.gate.last_command().unwrap();
        assert_eq!(rec.status, Some(status::ENGINE_STATUS.get(st) as u8));
        status::ENGINE_STATUS.get(st) as u8
    }

    fn run_user(&mut self, op: EnumValue, slot: u8) -> u8 {
        self.wr_user(addr::CMD, op_word(op, slot));
        self.wait();
        status::ENGINE_STATUS.get(self.rd(addr::STATUS)) as u8
    }

    fn policy(&mut self, s: u8, sign: bool, ecdh: bool) {
        let v = slot_policy::ALLOW_SIGN.put(sign as u32) | slot_policy::ALLOW_ECDH.put(ecdh as u32);
        let v0 = self.gate.violations();
        self.wr(map::SLOT_POLICY.at(s as u32), v);
        assert_eq!(self.gate.violations(), v0, "policy write refused");
    }

    fn keygen(&mut self, s: u8) -> (BigUint, BigUint) {
        assert_eq!(self.run(cmd::op::KEYGEN_SLOT, s), OK);
        (self.read_window(&map::RES_X), self.read_window(&map::RES_Y))
    }

    /// After a command: the engine registers hold only `kept` (register, value) and every
    /// readable window shows exactly that.
    fn assert_scrubbed(&mut self, kept: &[(u8, &BigUint)]) {
        let value = |r: u8| {
            kept.iter()
                .find(|(k, _)| *k == r)
                .map_or(BigUint::zero(), |(_, v)| (*v).clone())
        };
        for r in 0..32 {
            assert_eq!(self.gate.engine_reg(r), &value(r), "engine r{r}");
        }
        for (win, r) in [
            (&map::OP_X, QX),
            (&map::OP_Y, QY),
            (&map::OP_Z, 3),
            (&map::OP_R, R),
            (&map::OP_S, S),
            (&map::RES_X, QX),
            (&map::RES_Y, QY),
            (&map::RES_R, R),
            (&map::RES_S, S),
        ] {
            assert_eq!(
                self.read_window(win),
                value(r),
                "{} after the scrub",
                win.name
            );
        }
    }

    /// No bus read returned a word of a key, nonce or λ.
    fn check_no_leak(&self) {
        let mut secret = std::collections::HashSet::new();
        let all = self
            .gate
            .drawn()
            .iter()
            .chain(&self.written_secrets)
            .chain(&self.seen_keys);
        for v in all {
            let mut digits = v.to_u32_digits();
            digits.resize(8, 0);
            secret.extend(digits.into_iter().filter(|&d| d != 0));
        }
        assert!(!secret.is_empty());
        for &r in &self.reads {
            assert!(!secret.contains(&r), "bus read {r:#010x} is a secret word");
        }
    }
}

// ---- Reset, protocol, identification ----

#[test]
fn busy_for_exactly_256_cycles_after_reset() {
    let mut g = Gate::new(GateConfig::new(W)).unwrap();
    let mut n = NoiseSource::new(1);
    let mut noise = || n.next_bit();
    for c in 0..SWEEP {
        assert!(g.busy(), "busy in cycle {c}");
        idle(&mut g, &mut noise, 1);
    }
    assert!(!g.busy());
    assert_eq!(g.cycle(), SWEEP);

    // STATUS read in the first cycles after a reset: ACT in cycle 1, busy.
    g.reset(false, true);
    let st = access(&mut g, &mut noise, Request::read(addr::STATUS, false));
    assert_eq!(status::BUSY.get(st), 1);
    idle(&mut g, &mut noise, SWEEP - 3 - 1);
    assert!(g.busy());
    idle(&mut g, &mut noise, 1);
    assert!(!g.busy());
}

#[test]
fn reset_values() {
    let mut b = Bench::w128(2);
    assert_eq!(b.rd_user(addr::ID), map::ID.reset_with(|_| W as u32));
    let st = b.rd(addr::STATUS);
    let trng_bits = status::TRNG_READY.mask();
    assert_eq!(st & !trng_bits, 0, "STATUS {st:#x}");
    for a in [
        addr::ERR,
        addr::VIOLATIONS,
        addr::LOCKDOWN_THRESHOLD,
        addr::USER_ALLOW,
    ] {
        assert_eq!(b.rd(a), 0, "{a:#x}");
    }
    for s in 0..8 {
        assert_eq!(b.rd(map::SLOT_POLICY.at(s)), 0);
    }
    for r in 0..32 {
        assert!(b.gate.engine_reg(r).is_zero());
    }
    assert_eq!(b.irqs + b.alerts, 0);
    assert!(b.gate.last_command().is_none());
}

#[test]
fn access_helper_is_the_harness_protocol() {
    // The library's `access` and the bench's cycle-checked one leave identical gates.
    let mut a = Gate::new(GateConfig::new(W)).unwrap();
    let mut b = Bench::w128(3);
    let mut n = NoiseSource::new(3);
    let mut noise = || n.next_bit();
    idle(&mut a, &mut noise, SWEEP);
    let reqs = [
        Request::read(addr::ID, false),
        Request::write(addr::LOCKDOWN_THRESHOLD, 9, true),
        Request::read(addr::LOCKDOWN_THRESHOLD, false),
        Request::read(addr::OP_D, true),
        Request::read(addr::ERR, true),
    ];
    for req in reqs {
        assert_eq!(access(&mut a, &mut noise, req), b.access(req), "{req:?}");
        assert_eq!(a.cycle(), b.gate.cycle());
        assert_eq!(a.outputs(), b.gate.outputs());
    }
    assert_eq!(
        b.reads,
        vec![map::ID.reset_with(|_| W as u32), 9, 0, 0x0808]
    );
}

#[test]
fn reset_mid_command_zeroizes_the_windows_and_clears_control() {
    let mut b = Bench::w128(4);
    b.keygen(0);
    b.wr(
        addr::LOCKDOWN_THRESHOLD,
        5 | lockdown_threshold::LOCK.mask(),
    );
    b.policy(1, true, true);
    b.wr(addr::CMD, op_word(cmd::op::PUBKEY_SLOT, 0));
    b.idle(5_000); // in WAIT
    assert!(b.gate.busy());
    b.gate.reset(false, true);
    assert!(b.gate.last_command().unwrap().abandoned);
    for _ in 0..SWEEP {
        assert!(b.gate.busy());
        b.step(None);
    }
    assert!(!b.gate.busy());
    assert!(!b.gate.slot_valid(0));
    assert!(b.gate.slot_ram(0).is_zero(), "ZERO clears the key RAM");
    assert_eq!(b.rd(addr::LOCKDOWN_THRESHOLD), 0);
    assert_eq!(b.rd(map::SLOT_POLICY.at(1)), 0);
    b.assert_scrubbed(&[]);
    assert_eq!(status::DONE.get(b.rd(addr::STATUS)), 0);
}

// ---- Privilege, locks, bad addresses, violation bookkeeping ----

#[test]
fn privileged_registers_refuse_user_writes() {
    let mut b = Bench::w128(5);
    let priv_err = err::code::PRIV;
    b.refused(Request::write(addr::LOCKDOWN_THRESHOLD, 3, false), priv_err);
    b.refused(Request::write(addr::USER_ALLOW, 0xFFFF, false), priv_err);
    b.refused(Request::write(map::SLOT_POLICY.at(2), 3, false), priv_err);
    assert_eq!(
        b.rd_user(addr::LOCKDOWN_THRESHOLD),
        0,
        "user reads are allowed"
    );
    assert_eq!(b.rd_user(addr::USER_ALLOW), 0);
    assert_eq!(b.rd_user(map::SLOT_POLICY.at(2)), 0);
    b.wr(addr::LOCKDOWN_THRESHOLD, 200);
    b.wr(addr::USER_ALLOW, 0x0108);
    b.wr(map::SLOT_POLICY.at(2), 3);
    assert_eq!(b.rd_user(addr::LOCKDOWN_THRESHOLD), 200);
    assert_eq!(b.rd_user(addr::USER_ALLOW), 0x0108);
    assert_eq!(b.rd_user(map::SLOT_POLICY.at(2)), 3);
    // Windows are open to both.
    b.wr_user(map::OP_Z.at(7), 0x1234);
    assert_eq!(b.rd_user(map::OP_Z.at(7)), 0x1234);
    assert_eq!(b.gate.violations(), 3);
    assert_eq!(b.gate.err(), (code(priv_err), code(priv_err)));
}

#[test]
fn locked_configuration_and_slot_policy() {
    let mut b = Bench::w128(6);
    let locked = err::code::LOCKED;
    let lock = lockdown_threshold::LOCK.mask();
    b.wr(addr::LOCKDOWN_THRESHOLD, 100 | lock);
    assert_eq!(b.rd(addr::LOCKDOWN_THRESHOLD), 100 | lock);
    b.refused(
        Request::write(addr::LOCKDOWN_THRESHOLD, 100 | lock, true),
        locked,
    );
    b.refused(Request::write(addr::LOCKDOWN_THRESHOLD, 0, true), locked);
    assert_eq!(b.rd(addr::LOCKDOWN_THRESHOLD), 100 | lock);

    b.wr(addr::USER_ALLOW, 0x0004);
    b.wr(addr::USER_ALLOW, 0x0008 | user_allow::LOCK.mask());
    b.refused(Request::write(addr::USER_ALLOW, 0xFFFF, true), locked);
    assert_eq!(b.rd(addr::USER_ALLOW), 0x0008 | user_allow::LOCK.mask());

    let (sign, ecdh) = (
        slot_policy::ALLOW_SIGN.mask(),
        slot_policy::ALLOW_ECDH.mask(),
    );
    let (wl, ul, valid) = (
        slot_policy::WLOCK.mask(),
        slot_policy::ULOCK.mask(),
        slot_policy::VALID.mask(),
    );
    let p = map::SLOT_POLICY.at(4);
    b.wr(p, sign | valid); // valid is read-only: ignored
    assert_eq!(b.rd(p), sign);
    b.wr(p, ecdh); // allow bits change freely before wlock
    b.wr(p, sign | wl);
    assert_eq!(b.rd(p), sign | wl);
    b.refused(Request::write(p, sign | ecdh | wl, true), locked); // allow change under wlock
    b.refused(Request::write(p, sign, true), locked); // clearing wlock
    b.wr(p, sign | wl); // the same value is no change
    b.wr(p, sign | wl | ul);
    b.refused(Request::write(p, sign | wl, true), locked); // clearing ulock
    assert_eq!(b.rd(p), sign | wl | ul);
    assert_eq!(b.gate.violations(), 6);
}

#[test]
fn bad_addresses() {
    let mut b = Bench::new(
        GateConfig {
            slots: 4,
            ..GateConfig::new(W)
        },
        7,
    );
    let bad = err::code::BAD_ADDR;
    let d = BigUint::from(0xDEAD_BEEF_u32) << 100u32;
    b.write_secret(&map::OP_D, &d);
    b.write_secret(&map::OP_K, &(&d + 1u32));
    for a in [
        0x040,
        0x05C,
        0x07C,
        0x0FC,
        0x280,
        0xFFC,
        map::SLOT_POLICY.at(4),
    ] {
        b.refused(Request::read(a, true), bad);
        b.refused(Request::write(a, 1, true), bad);
    }
    for a in [addr::CMD, map::OP_D.at(4), map::OP_K.at(0)] {
        b.refused(Request::read(a, true), bad);
    }
    for a in [
        addr::ID,
        addr::STATUS,
        addr::ERR,
        addr::VIOLATIONS,
        addr::TRNG_STATUS,
        addr::TRNG_DATA,
        addr::TRNG_SAMPLES,
        map::RES_X.at(0),
        map::RES_S.at(7),
    ] {
        b.refused(Request::write(a, 0xFFFF_FFFF, true), bad);
    }
    // Bits 1:0 of the address are ignored.
    assert_eq!(b.rd(addr::ID + 3), map::ID.reset_with(|_| W as u32));
    assert_eq!(b.rd(addr::VIOLATIONS), 26);
    b.check_no_leak();
}

#[test]
fn err_code_is_sticky_last_follows_violations_count() {
    let mut b = Bench::w128(8);
    b.refused(Request::read(0x040, true), err::code::BAD_ADDR);
    b.refused(Request::write(addr::USER_ALLOW, 1, false), err::code::PRIV);
    b.refused(Request::write(addr::CMD, 12, true), err::code::BAD_CMD);
    let e = b.rd(addr::ERR);
    assert_eq!(err::CODE.get(e), err::code::BAD_ADDR.value);
    assert_eq!(err::LAST.get(e), err::code::BAD_CMD.value);
    assert_eq!(b.rd(addr::VIOLATIONS), 3);
    assert_eq!(
        status::ALERT.get(b.rd(addr::STATUS)),
        1,
        "STATUS.alert is sticky"
    );
    assert!(!b.gate.lockdown(), "threshold 0 never locks down");
}

#[test]
fn alert_pulses_in_the_ack_cycle_of_a_violation() {
    let mut b = Bench::w128(9);
    let req = Request::read(0x044, true);
    let outs: Vec<CycleOut> = (0..4).map(|_| b.step(Some(req))).collect();
    assert_eq!(
        outs.iter().map(|o| (o.ack, o.alert)).collect::<Vec<_>>(),
        [(false, false), (true, true), (false, false), (false, false)],
        "IDLE, ACT → ACK with alert, IDLE, the held request latched again"
    );
    // A permitted access never pulses.
    b.step(Some(req));
    b.step(None);
    let a0 = b.alerts;
    b.rd(addr::STATUS);
    assert_eq!(b.alerts, a0);
}

#[test]
fn violations_saturate() {
    let mut b = Bench::w128(10);
    // 0xFFFF violations through the bus would take 200 000 cycles: acceptable at W128.
    for _ in 0..0xFFFF {
        b.step(Some(Request::read(0x044, true)));
        b.step(Some(Request::read(0x044, true)));
        b.step(None);
    }
    assert_eq!(b.gate.violations(), 0xFFFF);
    b.refused(Request::read(0x044, true), err::code::BAD_ADDR);
    assert_eq!(b.rd(addr::VIOLATIONS), 0xFFFF);
}

// ---- Commands ----

#[test]
fn keygen_slot_pubkey_slot_and_scrub() {
    let mut b = Bench::w128(11);
    let (x, y) = b.keygen(2);
    let d = b.gate.slot_ram(2).clone();
    assert!(b.gate.slot_valid(2));
    assert!(!d.is_zero() && d < curve::n());
    assert_eq!((x.clone(), y.clone()), ref_keygen(&d));
    assert!(b.gate.drawn().contains(&d), "d came from a DRAW");
    // KEYGEN draws d and λ.
    assert_eq!(b.gate.drawn().len(), 2);
    let rec = b.gate.last_command().unwrap().clone();
    assert_eq!(rec.retries, 0);
    b.assert_scrubbed(&[(QX, &x), (QY, &y)]);
    assert_eq!(
        slot_policy::VALID.get(b.rd(map::SLOT_POLICY.at(2))),
        1,
        "valid on the bus"
    );
    assert_eq!(
        slot_policy::WLOCK.get(b.rd(map::SLOT_POLICY.at(2))),
        0,
        "KEYGEN does not lock"
    );

    assert_eq!(b.run(cmd::op::PUBKEY_SLOT, 2), OK);
    let pk = (b.read_window(&map::RES_X), b.read_window(&map::RES_Y));
    assert_eq!(pk, (x.clone(), y.clone()));
    let rec = b.gate.last_command().unwrap();
    // LOAD, λ (a DRAW), START, WAIT, SCRUB.
    let lambda_draw = rec.busy_cycles - COPY - 1 - rec.engine_cycles - SWEEP;
    assert!(lambda_draw >= 8, "{rec:?}");
    b.assert_scrubbed(&[(QX, &x), (QY, &y)]);

    // A second KEYGEN on the slot replaces the key (no wlock).
    let (x2, _) = b.keygen(2);
    assert_ne!(x2, x);
    b.check_no_leak();
}

#[test]
fn sign_slot_signature_verifies() {
    let mut b = Bench::w128(12);
    let mut rng = Rng::new(12);
    let (qx, qy) = b.keygen(5);
    b.policy(5, true, false);
    for _ in 0..2 {
        let z = rng.u256();
        b.write_window(&map::OP_Z, &z);
        assert_eq!(b.run(cmd::op::SIGN_SLOT, 5), OK);
        let (r, s) = (b.read_window(&map::RES_R), b.read_window(&map::RES_S));
        assert!(
            p256_verify(&qx, &qy, &z, &r, &s),
            "SIGN_SLOT's signature verifies"
        );
        b.assert_scrubbed(&[(R, &r), (S, &s)]);
        let k = &b.gate.drawn()[b.gate.drawn().len() - 2];
        let d = b.gate.slot_ram(5).clone();
        assert_eq!((r, s), ref_sign(&d, k, &z), "the drawn k is the nonce");
    }
    b.check_no_leak();
}

#[test]
fn ecdh_slots_agree() {
    let mut b = Bench::w128(13);
    let (ax, ay) = b.keygen(0);
    let (bx, by) = b.keygen(1);
    b.policy(0, false, true);
    b.policy(1, false, true);
    b.write_window(&map::OP_X, &bx);
    b.write_window(&map::OP_Y, &by);
    assert_eq!(b.run(cmd::op::ECDH_SLOT, 0), OK);
    let s0 = b.read_window(&map::RES_X);
    b.assert_scrubbed(&[(QX, &s0)]);
    b.write_window(&map::OP_X, &ax);
    b.write_window(&map::OP_Y, &ay);
    assert_eq!(b.run(cmd::op::ECDH_SLOT, 1), OK);
    let s1 = b.read_window(&map::RES_X);
    assert_eq!(s0, s1);
    let d0 = b.gate.slot_ram(0).clone();
    assert_eq!(
        s0,
        affine_xy(point(&bx, &by) * scalar(&d0)).0,
        "p256's shared x"
    );
    // A peer point off the curve: BAD_POINT, and everything reads 0.
    b.write_window(&map::OP_X, &ax);
    b.write_window(&map::OP_Y, &(&ay + 1u32));
    assert_eq!(
        b.run(cmd::op::ECDH_SLOT, 1),
        status::engine_status::BAD_POINT.value as u8
    );
    b.assert_scrubbed(&[]);
    b.check_no_leak();
}

#[test]
fn import_slot_locks_the_slot() {
    let mut b = Bench::w128(14);
    let mut rng = Rng::new(14);
    let d = rng.scalar();
    b.write_secret(&map::OP_D, &d);
    assert_eq!(b.run(cmd::op::IMPORT_SLOT, 3), OK);
    let q = ref_keygen(&d);
    let (x, y) = (b.read_window(&map::RES_X), b.read_window(&map::RES_Y));
    assert_eq!((x.clone(), y.clone()), q);
    assert_eq!(b.gate.slot_ram(3), &d);
    b.assert_scrubbed(&[(QX, &x), (QY, &y)]);
    let p = b.rd(map::SLOT_POLICY.at(3));
    assert_eq!(p, slot_policy::VALID.mask() | slot_policy::WLOCK.mask());
    b.write_secret(&map::OP_D, &rng.scalar());
    b.refused(
        Request::write(addr::CMD, op_word(cmd::op::IMPORT_SLOT, 3), true),
        err::code::LOCKED,
    );
    b.refused(
        Request::write(addr::CMD, op_word(cmd::op::KEYGEN_SLOT, 3), true),
        err::code::LOCKED,
    );
    assert_eq!(b.gate.slot_ram(3), &d, "the refused import changed nothing");
    assert_eq!(b.run(cmd::op::PUBKEY_SLOT, 3), OK);
    assert_eq!(b.read_window(&map::RES_X), x);

    // Out of range: BAD_SCALAR, nothing stored, no lock, every window 0.
    b.write_secret(&map::OP_D, &curve::n());
    assert_eq!(
        b.run(cmd::op::IMPORT_SLOT, 6),
        status::engine_status::BAD_SCALAR.value as u8
    );
    assert!(!b.gate.slot_valid(6));
    assert!(b.gate.slot_ram(6).is_zero());
    assert_eq!(b.rd(map::SLOT_POLICY.at(6)), 0);
    b.assert_scrubbed(&[]);
    b.check_no_leak();
}

#[test]
fn verify_ok_and_invalid_sig() {
    let mut b = Bench::w128(15);
    let mut rng = Rng::new(15);
    let (d, k, z) = (rng.scalar(), rng.scalar(), rng.u256());
    let (qx, qy) = ref_keygen(&d);
    let (r, s) = ref_sign(&d, &k, &z);
    for (sig_s, want) in [
        (s.clone(), status::engine_status::OK),
        ((&s + 1u32) % curve::n(), status::engine_status::INVALID_SIG),
    ] {
        b.write_window(&map::OP_X, &qx);
        b.write_window(&map::OP_Y, &qy);
        b.write_window(&map::OP_Z, &z);
        b.write_window(&map::OP_R, &r);
        b.write_window(&map::OP_S, &sig_s);
        assert_eq!(b.run(cmd::op::VERIFY, 0), code(want));
        let rec = b.gate.last_command().unwrap();
        assert_eq!(
            rec.busy_cycles,
            1 + rec.engine_cycles + SWEEP,
            "START, WAIT, SCRUB"
        );
        b.assert_scrubbed(&[]);
    }
    assert!(b.gate.drawn().is_empty(), "VERIFY draws nothing");
}

#[test]
fn ext_commands_match_p256() {
    let mut b = Bench::w128(16);
    let mut rng = Rng::new(16);
    let (d, k, z) = (rng.scalar(), rng.scalar(), rng.u256());
    let (qx, qy) = ref_keygen(&d);

    b.write_secret(&map::OP_D, &d);
    assert_eq!(b.run(cmd::op::KEYGEN_EXT, 0), OK);
    assert_eq!(b.read_window(&map::RES_X), qx);
    assert_eq!(b.read_window(&map::RES_Y), qy);
    b.assert_scrubbed(&[(QX, &qx), (QY, &qy)]);

    b.write_secret(&map::OP_D, &d);
    b.write_secret(&map::OP_K, &k);
    b.write_window(&map::OP_Z, &z);
    assert_eq!(b.run(cmd::op::SIGN_EXT, 0), OK);
    let (r, s) = ref_sign(&d, &k, &z);
    assert_eq!(b.read_window(&map::RES_R), r);
    assert_eq!(b.read_window(&map::RES_S), s);
    b.assert_scrubbed(&[(R, &r), (S, &s)]);

    let (px, py) = ref_keygen(&rng.scalar());
    b.write_secret(&map::OP_D, &d);
    b.write_window(&map::OP_X, &px);
    b.write_window(&map::OP_Y, &py);
    assert_eq!(b.run(cmd::op::ECDH_EXT, 0), OK);
    let shared = affine_xy(point(&px, &py) * scalar(&d)).0;
    assert_eq!(b.read_window(&map::RES_X), shared);
    b.assert_scrubbed(&[(QX, &shared)]);

    // SIGN_EXT with k = 0: BAD_SCALAR, no retry (only SIGN_SLOT retries), all 0.
    b.write_secret(&map::OP_D, &d);
    b.write_window(&map::OP_K, &BigUint::zero());
    b.write_window(&map::OP_Z, &z);
    assert_eq!(
        b.run(cmd::op::SIGN_EXT, 0),
        status::engine_status::BAD_SCALAR.value as u8
    );
    assert_eq!(b.gate.last_command().unwrap().retries, 0);
    b.assert_scrubbed(&[]);
    // Only λ was drawn, once per command.
    assert_eq!(b.gate.drawn().len(), 4);
    b.check_no_leak();
}

#[test]
fn refused_commands_change_nothing() {
    let mut b = Bench::w128(17);
    b.keygen(0);
    b.keygen(1);
    // TRNG bits move on their own, alert goes sticky: compare the command bits.
    let command_bits = status::BUSY.mask()
        | status::DONE.mask()
        | status::ENGINE_STATUS.mask()
        | status::LOCKDOWN.mask();
    let before = b.rd(addr::STATUS) & command_bits;
    let cmd_req = |op: EnumValue, slot: u8| Request::write(addr::CMD, op_word(op, slot), true);
    let c = err::code::BAD_CMD;
    for op in 11..16 {
        b.refused(Request::write(addr::CMD, op, true), c);
    }
    b.refused(cmd_req(cmd::op::KEYGEN_SLOT, 8), c);
    b.refused(cmd_req(cmd::op::SIGN_SLOT, 15), c);
    b.refused(cmd_req(cmd::op::SIGN_SLOT, 0), err::code::POLICY);
    b.refused(cmd_req(cmd::op::ECDH_SLOT, 0), err::code::POLICY);
    b.refused(cmd_req(cmd::op::SIGN_SLOT, 3), err::code::EMPTY_SLOT);
    b.refused(cmd_req(cmd::op::PUBKEY_SLOT, 3), err::code::EMPTY_SLOT);
    b.refused(cmd_req(cmd::op::ECDH_SLOT, 7), err::code::EMPTY_SLOT);
    b.wr(map::SLOT_POLICY.at(1), 3 | slot_policy::ULOCK.mask());
    for op in [
        cmd::op::KEYGEN_SLOT,
        cmd::op::SIGN_SLOT,
        cmd::op::ECDH_SLOT,
        cmd::op::IMPORT_SLOT,
        cmd::op::PUBKEY_SLOT,
    ] {
        b.refused(cmd_req(op, 1), err::code::USE_LOCKED);
    }
    assert!(!b.gate.busy());
    assert_eq!(
        b.rd(addr::STATUS) & command_bits,
        before,
        "done and status untouched"
    );
    assert!(b.gate.slot_valid(1), "a use-locked key stays");
    // The slot field of a non-slot op is ignored.
    assert_eq!(b.run(cmd::op::NOP, 15), OK);
    assert_eq!(b.gate.last_command().unwrap().busy_cycles, 0);
}

#[test]
fn busy_refuses_commands_and_windows() {
    let mut b = Bench::w128(18);
    b.wr(addr::CMD, op_word(cmd::op::KEYGEN_SLOT, 0));
    let busy = err::code::BUSY;
    b.refused(
        Request::write(addr::CMD, op_word(cmd::op::NOP, 0), true),
        busy,
    );
    b.refused(Request::read(map::RES_X.at(0), true), busy);
    b.refused(Request::read(map::OP_Z.at(3), false), busy);
    b.refused(Request::write(map::OP_X.at(0), 5, true), busy);
    b.refused(Request::write(map::OP_D.at(0), 5, true), busy);
    // Status and configuration stay open.
    assert_eq!(status::BUSY.get(b.rd(addr::STATUS)), 1);
    b.policy(4, true, true);
    assert_eq!(b.rd(addr::VIOLATIONS), 5);
    b.wait();
    assert_eq!(status::ENGINE_STATUS.get(b.rd(addr::STATUS)), OK as u32);
    assert!(b.gate.slot_valid(0));
}

#[test]
fn user_allow_opens_commands_to_user_accesses() {
    let mut b = Bench::w128(19);
    let mut rng = Rng::new(19);
    let d = rng.scalar();
    b.write_secret(&map::OP_D, &d);
    let req = Request::write(addr::CMD, op_word(cmd::op::KEYGEN_EXT, 0), false);
    b.refused(req, err::code::PRIV);
    assert_eq!(b.run_user(cmd::op::NOP, 0), OK, "NOP is always allowed");
    b.wr(addr::USER_ALLOW, 1 << cmd::op::KEYGEN_EXT.value);
    assert_eq!(b.run_user(cmd::op::KEYGEN_EXT, 0), OK);
    assert_eq!(b.read_window(&map::RES_X), ref_keygen(&d).0);
    b.refused(
        Request::write(addr::CMD, op_word(cmd::op::KEYGEN_SLOT, 0), false),
        err::code::PRIV,
    );
    assert_eq!(b.gate.violations(), 2);
}

#[test]
fn zeroize_erases_slots_and_engine() {
    let mut b = Bench::w128(20);
    b.keygen(0);
    b.keygen(7);
    b.policy(7, true, false);
    b.write_window(&map::OP_Z, &BigUint::from(77u32));
    assert_eq!(b.run(cmd::op::ZEROIZE, 3), OK);
    assert_eq!(b.gate.last_command().unwrap().busy_cycles, SWEEP);
    for s in 0..8 {
        assert!(!b.gate.slot_valid(s));
        assert!(b.gate.slot_ram(s).is_zero());
    }
    assert_eq!(
        b.rd(map::SLOT_POLICY.at(7)),
        slot_policy::ALLOW_SIGN.mask(),
        "policies stay"
    );
    b.assert_scrubbed(&[]);
    b.refused(
        Request::write(addr::CMD, op_word(cmd::op::SIGN_SLOT, 7), true),
        err::code::EMPTY_SLOT,
    );
    b.check_no_leak();
}

// ---- Lockdown ----

fn assert_locked_down(b: &mut Bench) {
    b.wait();
    assert!(b.gate.lockdown());
    for s in 0..b.gate.config().slots {
        assert!(!b.gate.slot_valid(s));
        assert!(b.gate.slot_ram(s).is_zero(), "slot {s} zeroized");
    }
    for r in 0..32 {
        assert!(b.gate.engine_reg(r).is_zero(), "r{r} zeroized");
    }
    let st = b.rd(addr::STATUS);
    assert_eq!(status::LOCKDOWN.get(st), 1);
    assert_eq!(status::ALERT.get(st), 1);
    let lockdown = err::code::LOCKDOWN;
    for req in [
        Request::write(addr::CMD, 0, true),
        Request::write(addr::CMD, op_word(cmd::op::ZEROIZE, 0), true),
        Request::write(map::OP_X.at(0), 1, true),
        Request::write(addr::USER_ALLOW, 1, true),
        Request::write(map::SLOT_POLICY.at(0), 1, false),
        Request::write(0x044, 1, false),
        Request::write(addr::ID, 1, false),
    ] {
        b.refused(req, lockdown);
    }
    // Reads still answer.
    assert_eq!(b.rd(addr::ID), map::ID.reset_with(|_| W as u32));
    assert_eq!(b.rd(map::RES_X.at(0)), 0);
    assert!(!b.gate.busy());
}

#[test]
fn lockdown_at_the_threshold() {
    let mut b = Bench::w128(21);
    b.keygen(0);
    b.keygen(1);
    b.wr(addr::LOCKDOWN_THRESHOLD, 3);
    b.refused(Request::read(0x044, true), err::code::BAD_ADDR);
    b.refused(Request::write(addr::USER_ALLOW, 1, false), err::code::PRIV);
    assert!(!b.gate.lockdown());
    let i0 = b.irqs;
    b.refused(Request::read(map::OP_D.at(0), true), err::code::BAD_ADDR);
    assert!(b.gate.lockdown(), "the third violation locks down");
    assert!(
        !b.gate.slot_valid(0) && !b.gate.slot_valid(1),
        "valid cleared at once"
    );
    assert!(b.gate.busy(), "zeroizing");
    assert_locked_down(&mut b);
    assert_eq!(status::DONE.get(b.rd(addr::STATUS)), 0);
    assert_eq!(b.irqs, i0, "a lockdown zeroize raises no irq");
    b.check_no_leak();
}

#[test]
fn lockdown_during_a_draw_abandons_the_command() {
    let mut b = Bench::w128(22);
    b.keygen(0);
    b.policy(0, true, false);
    b.wr(addr::LOCKDOWN_THRESHOLD, 2);
    b.write_window(&map::OP_Z, &BigUint::from(5u32));
    let i0 = b.irqs;
    b.wr(addr::CMD, op_word(cmd::op::SIGN_SLOT, 0));
    b.refused(Request::read(map::OP_Z.at(0), true), err::code::BUSY);
    b.refused(Request::read(map::RES_R.at(0), true), err::code::BUSY);
    let rec = b.gate.last_command().unwrap().clone();
    assert!(rec.abandoned && rec.status.is_none(), "{rec:?}");
    assert_eq!(rec.engine_cycles, 0, "abandoned before START");
    assert_locked_down(&mut b);
    assert_eq!(status::DONE.get(b.rd(addr::STATUS)), 0);
    assert_eq!(b.irqs, i0);
    b.check_no_leak();
}

#[test]
fn lockdown_during_wait_lets_the_engine_finish_then_zeroizes() {
    let mut b = Bench::w128(23);
    b.keygen(0); // OP_X, OP_Y = its public key
    for win in [&map::OP_Z, &map::OP_R, &map::OP_S] {
        b.write_window(win, &BigUint::one()); // in range: the whole VERIFY runs
    }
    b.wr(addr::LOCKDOWN_THRESHOLD, 1);
    let i0 = b.irqs;
    b.wr(addr::CMD, op_word(cmd::op::VERIFY, 0));
    b.idle(100);
    b.refused(Request::write(addr::CMD, 0, true), err::code::BUSY);
    assert!(b.gate.lockdown());
    b.wait();
    let rec = b.gate.last_command().unwrap().clone();
    assert!(rec.abandoned);
    assert_eq!(
        rec.busy_cycles,
        1 + rec.engine_cycles,
        "START and the whole WAIT"
    );
    assert_locked_down(&mut b);
    assert_eq!(status::DONE.get(b.rd(addr::STATUS)), 0);
    assert_eq!(b.irqs, i0);
}

#[test]
fn lockdown_during_scrub_and_during_zeroize() {
    // A lockdown in SCRUB abandons it; one during ZEROIZE's ZERO lets ZEROIZE finish and then
    // zeroizes once more.
    let mut b = Bench::w128(24);
    b.wr(addr::LOCKDOWN_THRESHOLD, 1);
    b.wr(addr::CMD, op_word(cmd::op::VERIFY, 0));
    // START ran in the ACK cycle: WAIT is current, SCRUB follows it.
    let wait = b.gate.last_command().unwrap().engine_cycles;
    assert!(wait > 0);
    b.idle(wait);
    let i0 = b.irqs;
    b.refused(Request::read(map::RES_X.at(0), true), err::code::BUSY);
    b.wait();
    assert!(b.gate.last_command().unwrap().abandoned);
    assert_eq!(b.irqs, i0);
    assert_locked_down(&mut b);
    assert_eq!(status::DONE.get(b.rd(addr::STATUS)), 0);

    let mut b = Bench::w128(25);
    b.keygen(2);
    b.wr(addr::LOCKDOWN_THRESHOLD, 1);
    b.wr(addr::CMD, op_word(cmd::op::ZEROIZE, 0));
    let i0 = b.irqs;
    b.refused(Request::write(addr::CMD, 0, true), err::code::BUSY);
    let mut busy = 0;
    while b.gate.busy() {
        b.step(None);
        busy += 1;
    }
    let rec = b.gate.last_command().unwrap();
    assert_eq!(rec.status, Some(OK), "ZEROIZE finished");
    assert_eq!(b.irqs, i0 + 1);
    assert!(busy > 0);
    // One IDLE cycle, then the lockdown's ZERO.
    assert!(!b.gate.busy());
    b.step(None);
    assert!(b.gate.busy());
    assert_locked_down(&mut b);
    assert_eq!(b.irqs, i0 + 1);
    assert_eq!(
        status::DONE.get(b.rd(addr::STATUS)),
        1,
        "ZEROIZE's done survives: the lockdown's own ZERO leaves done alone"
    );
}

// ---- TRNG ----

/// Steps the gate and a TrngCore on the same raw bits; the reference takes a word exactly
/// when a TRNG_DATA read's ACT finds one and the gate is not busy.
struct Lockstep {
    b: Bench,
    reference: TrngCore,
}

impl Lockstep {
    fn step(&mut self, req: Option<Request>, pop: bool) -> CycleOut {
        let raw = self.b.noise.clone().next_bit();
        self.reference.step(trng::Inputs {
            reset: false,
            enable: true,
            raw,
            raw_valid: true,
            rnd_ready: pop,
        });
        let out = self.b.step(req);
        assert_eq!(self.b.gate.trng().outputs(), self.reference.outputs());
        out
    }

    /// Any access but a TRNG_DATA read.
    fn access(&mut self, req: Request) -> u32 {
        self.step(Some(req), false);
        let out = self.step(Some(req), false);
        self.step(Some(req), false);
        assert!(out.ack);
        out.rdata
    }

    fn read_data(&mut self) -> u32 {
        let req = Some(Request::read(addr::TRNG_DATA, false));
        self.step(req, false);
        let o = self.reference.outputs();
        let pop = o.rnd_valid && !self.b.gate.busy();
        let out = self.step(req, pop);
        assert!(out.ack && !out.alert);
        self.step(req, false);
        assert_eq!(out.rdata, if pop { o.rnd } else { 0 });
        out.rdata
    }
}

#[test]
fn trng_data_pops_words_and_reads_0_while_busy() {
    let cfg = GateConfig::new(W);
    let mut s = Lockstep {
        b: Bench::new(cfg, 26),
        reference: TrngCore::new(cfg.min_entropy),
    };
    // The bench already stepped 32 cycles: replay them on the reference.
    let mut replay = NoiseSource::new(26);
    for _ in 0..s.b.gate.cycle() {
        s.reference.step(trng::Inputs {
            reset: false,
            enable: true,
            raw: replay.next_bit(),
            raw_valid: true,
            rnd_ready: false,
        });
    }
    assert_eq!(s.b.gate.trng().outputs(), s.reference.outputs());
    let mut words = Vec::new();
    while words.len() < 20 {
        let w = s.read_data();
        if w != 0 {
            words.push(w);
        }
    }
    let distinct: std::collections::HashSet<_> = words.iter().collect();
    assert_eq!(distinct.len(), words.len());

    // While a command runs (VERIFY draws nothing) reads return 0 and take nothing, and
    // `ready` reads 0 although the TRNG holds a word.
    let (gx, gy) = ref_keygen(&BigUint::one());
    for (win, v) in [
        (&map::OP_X, &gx),
        (&map::OP_Y, &gy),
        (&map::OP_R, &BigUint::one()),
        (&map::OP_S, &BigUint::one()),
    ] {
        for i in 0..8 {
            let word = (v >> (32 * (7 - i))) & BigUint::from(u32::MAX);
            s.access(Request::write(win.at(i), word.try_into().unwrap(), true));
        }
    }
    s.access(Request::write(addr::CMD, op_word(cmd::op::VERIFY, 0), true));
    assert!(s.b.gate.busy());
    let (mut held_word, mut last) = (false, 0);
    while s.b.gate.busy() {
        let st = s.access(Request::read(addr::STATUS, false));
        let ts = s.access(Request::read(addr::TRNG_STATUS, false));
        let data = s.read_data();
        last = data;
        if s.b.gate.busy() {
            // Still busy, so it was in every ACT above.
            assert_eq!(
                (data, status::TRNG_READY.get(st), trng_status::READY.get(ts)),
                (0, 0, 0)
            );
            held_word |= s.reference.outputs().rnd_valid;
        }
    }
    assert!(held_word, "the TRNG had a word while busy");
    assert_eq!(s.b.gate.violations(), 0);
    let w = if last != 0 { last } else { s.read_data() };
    assert_ne!(w, 0, "the word waited for the command to finish");
    assert!(!words.contains(&w));
}

#[test]
fn stuck_noise_during_keygen_draw_fails_and_refuses_trng_commands() {
    let mut b = Bench::w128(27);
    b.idle(2_000); // TRNG started up
    let i0 = b.irqs;
    b.wr(addr::CMD, op_word(cmd::op::KEYGEN_SLOT, 4));
    b.noise.schedule(b.noise.index() + 300, Fault::Stuck1);
    // Watch for the alarm and the alert that follows it two edges later.
    let mut rise = None;
    let mut alerts = Vec::new();
    let mut c = 0u64;
    while b.gate.busy() {
        let out = b.step(None);
        c += 1;
        if rise.is_none() && b.gate.trng().outputs().alarm {
            rise = Some(c);
        }
        if out.alert {
            alerts.push(c);
        }
    }
    let rise = rise.expect("the alarm rose during the command");
    assert_eq!(
        alerts,
        vec![rise + 1],
        "one alert, the cycle after the first alarm cycle"
    );
    assert_eq!(b.irqs, i0 + 1);
    let st = b.rd(addr::STATUS);
    assert_eq!(status::ENGINE_STATUS.get(st), TRNG_FAIL as u32);
    assert_eq!(TRNG_FAIL, code(status::engine_status::TRNG_FAIL));
    assert_eq!(status::TRNG_ALARM.get(st), 1);
    assert_eq!(status::ALERT.get(st), 1);
    assert_eq!(status::DONE.get(st), 1);
    assert_eq!(trng_status::ALARM.get(b.rd(addr::TRNG_STATUS)), 1);
    let rec = b.gate.last_command().unwrap();
    assert_eq!(rec.engine_cycles, 0, "the engine never started");
    assert!(!b.gate.slot_valid(4));
    assert!(b.gate.slot_ram(4).is_zero(), "nothing stored");
    b.assert_scrubbed(&[]);
    assert_eq!(b.gate.violations(), 0, "an alarm is not a violation");

    let trng_err = err::code::TRNG;
    let cmd_req = |op: EnumValue| Request::write(addr::CMD, op_word(op, 4), true);
    b.refused(cmd_req(cmd::op::KEYGEN_SLOT), trng_err);
    b.refused(cmd_req(cmd::op::IMPORT_SLOT), trng_err);
    b.refused(cmd_req(cmd::op::KEYGEN_EXT), trng_err);
    b.refused(cmd_req(cmd::op::ECDH_EXT), trng_err);
    b.refused(cmd_req(cmd::op::SIGN_EXT), trng_err);
    b.run(cmd::op::VERIFY, 0); // needs no TRNG
    b.check_no_leak();
}

#[test]
fn without_randomize_only_slot_scalars_need_the_trng() {
    let cfg = GateConfig {
        randomize: false,
        ..GateConfig::new(W)
    };
    let mut b = Bench::new(cfg, 28);
    b.noise.set_fault(Fault::Stuck0);
    while !b.gate.trng().outputs().alarm {
        b.step(None);
    }
    let mut rng = Rng::new(28);
    let d = rng.scalar();
    b.write_secret(&map::OP_D, &d);
    assert_eq!(b.run(cmd::op::KEYGEN_EXT, 0), OK);
    assert_eq!(b.read_window(&map::RES_X), ref_keygen(&d).0);
    b.policy(0, true, false);
    b.write_secret(&map::OP_D, &d);
    assert_eq!(b.run(cmd::op::IMPORT_SLOT, 0), OK);
    assert_eq!(b.run(cmd::op::PUBKEY_SLOT, 0), OK);
    let rec = b.gate.last_command().unwrap();
    assert_eq!(
        rec.busy_cycles,
        COPY + LAMBDA_ONE + 1 + rec.engine_cycles + SWEEP,
        "LOAD, λ = 1, START, WAIT, SCRUB"
    );
    b.refused(
        Request::write(addr::CMD, op_word(cmd::op::KEYGEN_SLOT, 1), true),
        err::code::TRNG,
    );
    b.refused(
        Request::write(addr::CMD, op_word(cmd::op::SIGN_SLOT, 0), true),
        err::code::TRNG,
    );
    assert!(b.gate.drawn().is_empty());
}

// ---- W = 16 ----

#[test]
fn w16_smoke() {
    let mut b = Bench::new(GateConfig::new(16), 29);
    assert_eq!(b.rd(addr::ID) & 0xFF, 16);
    let (qx, qy) = b.keygen(0);
    assert_eq!((qx.clone(), qy.clone()), ref_keygen(b.gate.slot_ram(0)));
    b.policy(0, true, false);
    let z = BigUint::from(0x5C01u32) << 200u32;
    b.write_window(&map::OP_Z, &z);
    assert_eq!(b.run(cmd::op::SIGN_SLOT, 0), OK);
    let (r, s) = (b.read_window(&map::RES_R), b.read_window(&map::RES_S));
    assert!(p256_verify(&qx, &qy, &z, &r, &s));
    assert!(b.gate.last_command().unwrap().engine_cycles > 500_000);
    b.check_no_leak();
}

// ---- Random access sequences ----

fn any_request() -> impl Strategy<Value = Request> {
    let mapped = prop::sample::select(vec![
        addr::ID,
        addr::STATUS,
        addr::CMD,
        addr::ERR,
        addr::VIOLATIONS,
        addr::LOCKDOWN_THRESHOLD,
        addr::USER_ALLOW,
        map::SLOT_POLICY.at(1),
        addr::TRNG_STATUS,
        addr::TRNG_DATA,
        map::OP_X.at(0),
        map::OP_D.at(3),
        map::OP_K.at(7),
        map::RES_X.at(7),
        map::RES_S.at(0),
        0x044,
        0x800,
    ]);
    (any::<bool>(), mapped, 0u32..4, any::<u32>(), any::<bool>()).prop_map(
        |(we, a, low, wdata, privileged)| Request {
            we,
            addr: a | low,
            // Keep most CMD writes to quick ops so a case stays short.
            wdata: if a == addr::CMD && we {
                wdata & 0xF7
            } else {
                wdata
            },
            privileged,
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the accesses: every one is acked after two cycles, `alert` pulses exactly
    /// when VIOLATIONS counts, ERR.code keeps the first code, and no read returns a secret.
    #[test]
    fn random_accesses_keep_the_invariants(reqs in prop::collection::vec(any_request(), 1..40)) {
        let mut b = Bench::w128(30);
        b.keygen(1);
        b.policy(1, true, true);
        let mut first = 0u8;
        for req in reqs {
            let (v0, a0) = (b.gate.violations(), b.alerts);
            b.access(req);
            let counted = b.gate.violations() - v0;
            prop_assert_eq!(counted as u32, b.alerts - a0);
            if first == 0 {
                first = b.gate.err().0;
            }
            prop_assert_eq!(b.gate.err().0, first);
        }
        b.wait();
        b.check_no_leak();
    }
}

#[test]
fn lambda_is_a_lane_per_cycle_without_randomize() {
    let cfg = GateConfig {
        randomize: false,
        ..GateConfig::new(W)
    };
    let mut b = Bench::new(cfg, 31);
    let d = BigUint::one() << 128u32;
    b.write_secret(&map::OP_D, &d);
    assert_eq!(b.run(cmd::op::KEYGEN_EXT, 0), OK);
    let rec = b.gate.last_command().unwrap();
    assert_eq!(rec.busy_cycles, LAMBDA_ONE + 1 + rec.engine_cycles + SWEEP);
}

// ---- Retries ----

/// Alternating noise makes every von Neumann pair the same, so the words are all ones or all
/// zeros: an unusable scalar (≥ n or 0). The lowest H keeps the lag-1 test quiet for the few
/// hundred samples this takes.
fn unusable_words_then_healthy(b: &mut Bench, draws_before: usize) {
    b.noise.set_fault(Fault::Periodic(1));
    while b.gate.drawn().len() == draws_before {
        b.step(None);
    }
    b.noise.set_fault(Fault::None);
}

fn flush_trng_into_constant_words(b: &mut Bench) {
    b.idle(3_000);
    b.noise.set_fault(Fault::Periodic(1));
    // These reads return the same constant words the DRAW will take: not a leak.
    let reads = b.reads.len();
    let mut constant = 0;
    while constant < 2 {
        b.step(None);
        let o = b.gate.trng().outputs();
        if o.rnd_valid {
            let w = b.rd(addr::TRNG_DATA);
            constant = if w == 0 || w == u32::MAX {
                constant + 1
            } else {
                0
            };
        }
    }
    b.reads.truncate(reads);
}

#[test]
fn keygen_and_sign_retry_on_an_unusable_scalar() {
    let cfg = GateConfig {
        min_entropy: trng::MinEntropy::from_millibits(125).unwrap(),
        ..GateConfig::new(W)
    };
    let mut b = Bench::new(cfg, 32);
    flush_trng_into_constant_words(&mut b);
    b.wr(addr::CMD, op_word(cmd::op::KEYGEN_SLOT, 0));
    unusable_words_then_healthy(&mut b, 0);
    let bad_d = b.gate.drawn()[0].clone();
    assert!(bad_d.is_zero() || bad_d >= curve::n(), "{bad_d:x}");
    b.wait();
    assert!(!b.gate.trng().outputs().alarm);
    let rec = b.gate.last_command().unwrap().clone();
    assert_eq!((rec.status, rec.retries), (Some(OK), 1));
    let d = b.gate.slot_ram(0).clone();
    assert_eq!(b.gate.drawn()[2], d, "d, λ, then the second d");
    assert_eq!(b.read_window(&map::RES_X), ref_keygen(&d).0);

    b.policy(0, true, false);
    let z = BigUint::from(99u32);
    b.write_window(&map::OP_Z, &z);
    flush_trng_into_constant_words(&mut b);
    let n0 = b.gate.drawn().len();
    b.wr(addr::CMD, op_word(cmd::op::SIGN_SLOT, 0));
    unusable_words_then_healthy(&mut b, n0);
    b.wait();
    let rec = b.gate.last_command().unwrap().clone();
    assert_eq!((rec.status, rec.retries), (Some(OK), 1));
    let (r, s) = (b.read_window(&map::RES_R), b.read_window(&map::RES_S));
    let k = b.gate.drawn()[n0 + 2].clone();
    assert_eq!((r, s), ref_sign(&d, &k, &z), "signed with the second k");
    b.check_no_leak();
}

// ---- Same-cycle collisions (docs/gate.md, "Resolved details") ----

/// Edges from now until `done` holds on a clone run ahead without requests.
fn edges_until(b: &Bench, done: impl Fn(&Gate) -> bool) -> u64 {
    let mut g = b.gate.clone();
    let mut noise = b.noise.clone();
    let mut k = 0;
    while !done(&g) {
        g.step(CycleIn {
            req: None,
            raw: noise.next_bit(),
            raw_valid: true,
        });
        k += 1;
    }
    k
}

/// Presents `req` so that its ACT is the cycle the `k`-th edge from now closes.
fn act_at(b: &mut Bench, k: u64, req: Request) -> CycleOut {
    assert!(k >= 2);
    b.idle(k - 2);
    b.step(Some(req));
    let out = b.step(Some(req));
    b.step(None);
    out
}

#[test]
fn lockdown_in_the_cycle_store_sets_valid_leaves_it_clear() {
    let mut b = Bench::w128(33);
    b.wr(addr::LOCKDOWN_THRESHOLD, 1);
    b.wr(addr::CMD, op_word(cmd::op::KEYGEN_SLOT, 2));
    let k = edges_until(&b, |g| g.slot_valid(2));
    act_at(&mut b, k, Request::read(0x044, true));
    assert!(b.gate.lockdown());
    assert!(!b.gate.slot_valid(2), "the lockdown's clear wins");
    b.wait();
    assert!(b.gate.slot_ram(2).is_zero());
    assert_eq!(b.rd(map::SLOT_POLICY.at(2)), 0);
}

#[test]
fn lockdown_in_the_cycle_a_command_finishes_clears_done_but_irq_pulses() {
    let mut b = Bench::w128(34);
    b.wr(addr::LOCKDOWN_THRESHOLD, 1);
    b.wr(addr::CMD, op_word(cmd::op::VERIFY, 0));
    let i0 = b.irqs;
    let k = edges_until(&b, |g| !g.busy());
    act_at(&mut b, k, Request::read(0x044, true));
    assert!(b.gate.lockdown());
    assert_eq!(b.irqs, i0 + 1, "the command did finish");
    assert!(b.gate.last_command().unwrap().status.is_some());
    assert!(b.gate.busy(), "then the lockdown's ZERO");
    b.wait();
    let st = b.rd(addr::STATUS);
    assert_eq!((status::DONE.get(st), status::LOCKDOWN.get(st)), (0, 1));
}

#[test]
fn policy_write_in_the_cycle_import_stores_keeps_both() {
    let mut b = Bench::w128(35);
    let mut rng = Rng::new(35);
    b.write_secret(&map::OP_D, &rng.scalar());
    b.wr(addr::CMD, op_word(cmd::op::IMPORT_SLOT, 1));
    let k = edges_until(&b, |g| g.slot_valid(1));
    let allow = slot_policy::ALLOW_ECDH.mask();
    act_at(
        &mut b,
        k,
        Request::write(map::SLOT_POLICY.at(1), allow, true),
    );
    assert_eq!(b.gate.violations(), 0, "checked against wlock = 0");
    assert_eq!(
        b.rd(map::SLOT_POLICY.at(1)),
        allow | slot_policy::VALID.mask() | slot_policy::WLOCK.mask()
    );
}
