//! The gate under random bus traffic: ≥ 100,000 Wishbone transactions (mixed privileges,
//! locked registers, illegal commands, reads everywhere, resets, TRNG faults) on the
//! Verilated `scu_wb_w128`, with the gate's golden model stepped in lock-step — every `ack`,
//! read value, `alert` and `irq` of every cycle must agree (`scu::device::SimScu` panics on
//! the first difference). On top of that the test asserts the security properties directly
//! on what the RTL returned:
//! - no window read returns a word of a live secret (slot keys, drawn d/k/λ, written
//!   OP_D/OP_K words);
//! - a command on a use-locked slot, or one its policy forbids, never starts;
//! - lockdown zeroizes: after it every slot is empty and every readable window reads 0;
//! - and coverage: every error code, lockdown, and each command kind completing, happened.
//!
//! The seed is fixed (reproducible); set SCU_GATE_SEED to explore others and
//! SCU_GATE_TRANSACTIONS to change the count.

use std::collections::{BTreeMap, BTreeSet};

use num_bigint::BigUint;
use scu::device::SimScu;
use scu_driver::regmap::scu::{self as map, addr, cmd::op, err::code, slot_policy, SCU};
use scu_golden::gate::Request;
use scu_golden::trng::Fault;

const W: usize = 128;

/// xorshift64*: the test's own deterministic randomness.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
    fn chance(&mut self, per_mille: u64) -> bool {
        self.below(1000) < per_mille
    }
    fn word(&mut self) -> u32 {
        self.next() as u32
    }
}

fn env_u64(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Byte offsets of the operand and result windows (the only registers that show engine data).
fn is_window(a: u32) -> bool {
    (map::OP_X.offset..map::RES_S.end()).contains(&a)
}

fn words_of(v: &BigUint) -> Vec<u32> {
    let mut out = vec![0u32; 8];
    for (i, d) in v.to_u32_digits().iter().enumerate().take(8) {
        out[7 - i] = *d;
    }
    out
}

/// Public points to put in OP_X/OP_Y so ECDH and VERIFY get past the point check.
fn points() -> Vec<(BigUint, BigUint)> {
    use p256::elliptic_curve::sec1::ToSec1Point;
    (1u64..=4)
        .map(|k| {
            let p = (p256::ProjectivePoint::GENERATOR * p256::Scalar::from(k * 0x1234_5678_9abc))
                .to_affine()
                .to_sec1_point(false);
            (
                BigUint::from_bytes_be(p.x().unwrap()),
                BigUint::from_bytes_be(p.y().unwrap()),
            )
        })
        .collect()
}

struct Harness {
    scu: SimScu,
    rng: Rng,
    /// OP_D / OP_K words written since the last reset (secrets the test itself put in).
    written_secrets: BTreeSet<u32>,
    transactions: u64,
    codes: BTreeMap<u8, u64>,
    completed: BTreeMap<&'static str, u64>,
    refused_forbidden: u64,
    lockdowns: u64,
    resets: u64,
    window_reads: u64,
}

impl Harness {
    fn model_violations(&self) -> u16 {
        self.scu.model().unwrap().violations()
    }

    /// One access; tallies the error code of a violation and checks window reads.
    fn access(&mut self, req: Request) -> u32 {
        let before = self.model_violations();
        let rdata = self.scu.access(req);
        self.transactions += 1;
        let gate = self.scu.model().unwrap();
        if gate.violations() != before || (before == u16::MAX && gate.err().1 != 0) {
            *self.codes.entry(gate.err().1).or_default() += 1;
        }
        if !req.we && is_window(req.addr) {
            self.window_reads += 1;
            if rdata != 0 {
                let live = self.live_secret_words();
                assert!(
                    !live.contains(&rdata),
                    "window read at {:#05x} returned {rdata:#010x}, a word of a secret \
                     (transaction {})",
                    req.addr,
                    self.transactions
                );
            }
        }
        if req.we && (map::OP_D.offset..map::OP_K.end()).contains(&req.addr) && req.wdata != 0 {
            self.written_secrets.insert(req.wdata);
        }
        rdata
    }

    fn read(&mut self, a: u32, privileged: bool) -> u32 {
        self.access(Request {
            we: false,
            addr: a,
            wdata: 0,
            privileged,
        })
    }

    fn write(&mut self, a: u32, v: u32, privileged: bool) {
        self.access(Request {
            we: true,
            addr: a,
            wdata: v,
            privileged,
        });
    }

    /// Slot keys held now, the last values the gate drew from the TRNG, and OP_D/OP_K words.
    fn live_secret_words(&self) -> BTreeSet<u32> {
        let gate = self.scu.model().unwrap();
        let mut s: BTreeSet<u32> = self.written_secrets.clone();
        for slot in 0..map::SLOTS as u8 {
            if gate.slot_valid(slot) {
                s.extend(words_of(gate.slot_ram(slot)));
            }
        }
        let drawn = gate.drawn();
        for v in drawn.iter().rev().take(3) {
            s.extend(words_of(v));
        }
        s.remove(&0);
        s
    }

    fn busy(&self) -> bool {
        self.scu.model().unwrap().busy()
    }

    /// Runs the bus idle until the command in flight (if any) has ended.
    fn finish(&mut self) {
        let mut guard = 0u64;
        while self.busy() {
            self.scu.idle(64);
            guard += 64;
            assert!(guard < 20_000_000, "command never finished");
        }
    }

    fn reset(&mut self) {
        self.scu.reset();
        self.written_secrets.clear();
        self.resets += 1;
    }
}

/// A random offset: mostly mapped registers, sometimes anywhere in the 4 KiB.
fn any_offset(rng: &mut Rng) -> u32 {
    if rng.chance(800) {
        let regs = SCU.registers;
        let r = &regs[rng.below(regs.len() as u64) as usize];
        r.at(rng.below(u64::from(r.count())) as u32)
    } else {
        (rng.below(0x1000) as u32) & !3
    }
}

fn op_name(op_code: u32) -> &'static str {
    op::ALL
        .iter()
        .find(|v| v.value == op_code)
        .map_or("BAD", |v| v.name)
}

#[test]
fn random_bus_transactions_match_the_gate_model() {
    let seed = env_u64("SCU_GATE_SEED", 0x5C01_6A7E);
    let target = env_u64("SCU_GATE_TRANSACTIONS", 100_000);
    let mut h = Harness {
        scu: SimScu::new(W, seed, true).expect("the Verilated SCU builds"),
        rng: Rng(seed | 1),
        written_secrets: BTreeSet::new(),
        transactions: 0,
        codes: BTreeMap::new(),
        completed: BTreeMap::new(),
        refused_forbidden: 0,
        lockdowns: 0,
        resets: 0,
        window_reads: 0,
    };
    let pts = points();
    // Noise faults in a few windows of the run: the health tests trip, commands needing the
    // TRNG are refused (ERR TRNG) until a reset restarts the source.
    for k in 1..=3u64 {
        let at = k * 2_000_000;
        h.scu.schedule_fault(at, Fault::Stuck1);
        h.scu.schedule_fault(at + 20_000, Fault::None);
    }
    h.finish();

    while h.transactions < target {
        let privileged = h.rng.chance(700);
        let pick = h.rng.below(1000);
        if h.rng.chance(1) && h.transactions > 0 {
            h.reset();
            h.finish();
            continue;
        }
        match pick {
            // Reads anywhere.
            0..=349 => {
                let a = any_offset(&mut h.rng);
                h.read(a, privileged);
            }
            // Random words into operand windows.
            350..=549 => {
                let r = [
                    map::OP_X,
                    map::OP_Y,
                    map::OP_Z,
                    map::OP_R,
                    map::OP_S,
                    map::OP_D,
                    map::OP_K,
                ][h.rng.below(7) as usize];
                let a = r.at(h.rng.below(8) as u32);
                let v = h.rng.word();
                h.write(a, v, privileged);
            }
            // A whole valid point into OP_X/OP_Y (so ECDH/VERIFY get past the point check).
            550..=589 => {
                let (x, y) = pts[h.rng.below(pts.len() as u64) as usize].clone();
                for (i, (wx, wy)) in words_of(&x).into_iter().zip(words_of(&y)).enumerate() {
                    h.write(map::OP_X.at(i as u32), wx, privileged);
                    h.write(map::OP_Y.at(i as u32), wy, privileged);
                }
            }
            // Configuration: policies, allow-list, threshold, with occasional locks.
            590..=709 => {
                let which = h.rng.below(10);
                if which < 6 {
                    let s = h.rng.below(8) as u32;
                    let mut v = h.rng.word() & 0b11;
                    if h.rng.chance(40) {
                        v |= slot_policy::WLOCK.mask();
                    }
                    if h.rng.chance(40) {
                        v |= slot_policy::ULOCK.mask();
                    }
                    h.write(map::SLOT_POLICY.at(s), v, privileged);
                } else if which < 8 {
                    let mut v = h.rng.word() & 0xFFFF;
                    if h.rng.chance(20) {
                        v |= 1 << 31;
                    }
                    h.write(addr::USER_ALLOW, v, privileged);
                } else {
                    let t = if h.rng.chance(500) {
                        0
                    } else {
                        5 + h.rng.below(60) as u32
                    };
                    let lock = if h.rng.chance(20) { 1 << 31 } else { 0 };
                    h.write(addr::LOCKDOWN_THRESHOLD, t | lock, privileged);
                }
            }
            // Writes where no write belongs.
            710..=759 => {
                let a = any_offset(&mut h.rng);
                let v = h.rng.word();
                if a != addr::CMD {
                    h.write(a, v, privileged);
                }
            }
            // Commands.
            _ => {
                let op_code = match h.rng.below(100) {
                    0..=19 => op::KEYGEN_SLOT.value,
                    20..=34 => op::SIGN_SLOT.value,
                    35..=44 => op::ECDH_SLOT.value,
                    45..=52 => op::PUBKEY_SLOT.value,
                    53..=57 => op::IMPORT_SLOT.value,
                    58..=63 => op::VERIFY.value,
                    64..=66 => op::ZEROIZE.value,
                    67..=76 => {
                        [op::KEYGEN_EXT, op::SIGN_EXT, op::ECDH_EXT][h.rng.below(3) as usize].value
                    }
                    77..=84 => op::NOP.value,
                    _ => 11 + h.rng.below(5) as u32,
                };
                let slot = if h.rng.chance(900) {
                    h.rng.below(8) as u32
                } else {
                    8 + h.rng.below(8) as u32
                };
                let is_slot_op = [
                    op::KEYGEN_SLOT.value,
                    op::SIGN_SLOT.value,
                    op::ECDH_SLOT.value,
                    op::PUBKEY_SLOT.value,
                    op::IMPORT_SLOT.value,
                ]
                .contains(&op_code);
                // What the RTL says the slot allows, read before the command.
                let forbidden = if is_slot_op && slot < 8 && !h.busy() {
                    let p = h.read(map::SLOT_POLICY.at(slot), true);
                    slot_policy::ULOCK.get(p) == 1
                        || (op_code == op::SIGN_SLOT.value && slot_policy::ALLOW_SIGN.get(p) == 0)
                        || (op_code == op::ECDH_SLOT.value && slot_policy::ALLOW_ECDH.get(p) == 0)
                } else {
                    false
                };
                let value = map::cmd::OP.put(op_code) | map::cmd::SLOT.put(slot);
                h.write(addr::CMD, value, privileged);
                if forbidden {
                    // Refused: nothing runs — unless this very refusal was the violation that
                    // reached the threshold, and the lockdown's zeroize is what keeps it busy.
                    let status = h.read(addr::STATUS, true);
                    assert!(
                        map::status::BUSY.get(status) == 0
                            || map::status::LOCKDOWN.get(status) == 1,
                        "{} on a use-locked or policy-forbidden slot {slot} started",
                        op_name(op_code)
                    );
                    h.refused_forbidden += 1;
                }
                if h.busy() {
                    // Some traffic while it runs (refused windows and commands, status reads).
                    if h.rng.chance(300) {
                        for _ in 0..h.rng.below(6) {
                            let a = any_offset(&mut h.rng);
                            if h.rng.chance(500) {
                                h.read(a, privileged);
                            } else {
                                let v = h.rng.word();
                                h.write(a, v, privileged);
                            }
                        }
                    }
                    h.finish();
                    if let Some(c) = h.scu.model().unwrap().last_command() {
                        // Ran to its end (any engine status: VERIFY of random words is
                        // INVALID_SIG or BAD_POINT).
                        if c.status.is_some() && !c.abandoned {
                            *h.completed.entry(op_name(u32::from(c.op))).or_default() += 1;
                        }
                    }
                }
            }
        }
        // However the lockdown came (a command's violation or any other), check its zeroize;
        // the check then resets the SCU so the run keeps exploring.
        if h.scu.model().unwrap().lockdown() {
            check_lockdown_zeroized(&mut h);
        }
    }

    eprintln!(
        "{} transactions, {} cycles, {} window reads, {} resets, {} lockdowns, {} forbidden \
         commands refused; codes {:?}; completed {:?}",
        h.transactions,
        h.scu.cycles(),
        h.window_reads,
        h.resets,
        h.lockdowns,
        h.refused_forbidden,
        h.codes,
        h.completed
    );
    // Coverage: the run must have exercised what it claims to test.
    for c in code::ALL.iter().filter(|c| c.value != 0) {
        assert!(
            h.codes.contains_key(&(c.value as u8)),
            "no {} violation in the run",
            c.name
        );
    }
    assert!(h.lockdowns >= 1, "no lockdown in the run");
    assert!(
        h.refused_forbidden >= 10,
        "too few forbidden slot commands tried"
    );
    for name in [
        "KEYGEN_SLOT",
        "SIGN_SLOT",
        "ECDH_SLOT",
        "PUBKEY_SLOT",
        "VERIFY",
        "ZEROIZE",
    ] {
        assert!(h.completed.contains_key(name), "no {name} completed");
    }
}

/// After a lockdown's zeroize: every slot empty, every readable window 0 (read on the RTL).
fn check_lockdown_zeroized(h: &mut Harness) {
    // The zeroize starts on the edge after the violation's ACT, which the access has not
    // run yet when it returns (it returns in the ACK cycle).
    h.scu.idle(1);
    h.finish();
    let gate = h.scu.model().unwrap();
    assert!(gate.lockdown());
    for s in 0..map::SLOTS as u8 {
        assert!(!gate.slot_valid(s), "slot {s} valid after lockdown");
        assert_eq!(
            *gate.slot_ram(s),
            BigUint::from(0u8),
            "slot {s} not zeroized"
        );
    }
    for r in [
        map::OP_X,
        map::OP_Y,
        map::OP_Z,
        map::OP_R,
        map::OP_S,
        map::RES_X,
        map::RES_Y,
        map::RES_R,
        map::RES_S,
    ] {
        for i in 0..r.count() {
            assert_eq!(h.read(r.at(i), true), 0, "{}[{i}] after lockdown", r.name);
        }
    }
    for s in 0..map::SLOTS {
        let p = h.read(map::SLOT_POLICY.at(s), true);
        assert_eq!(
            slot_policy::VALID.get(p),
            0,
            "slot {s} valid after lockdown"
        );
    }
    // Every write in lockdown is refused, a command included.
    let nop = map::cmd::OP.put(op::NOP.value);
    h.write(addr::CMD, nop, true);
    assert_eq!(h.scu.model().unwrap().err().1, code::LOCKDOWN.value as u8);
    h.lockdowns += 1;
    // Leave lockdown so the run keeps exploring.
    h.reset();
    h.finish();
}
