//! `scu_wb_w128` (parallel engine) and `scu_wb_w16` (serial engine) in lock-step with the gate's golden model (`scu_golden::gate::Gate`): the
//! same inputs every cycle (bus request, raw noise bit), and `ack`, `dat_o`, `alert` and `irq`
//! compared after every edge. A scripted sequence covers slot commands, violations, lockdown
//! in the middle of a command, a stuck noise source and reset; a seeded random sequence of
//! accesses over the whole map (commands included) follows.

#[path = "../golden-model/tests/engine_support/mod.rs"]
mod engine_support;

use engine_support::{be32, ref_keygen, Rng};
use num_bigint::BigUint;
use scu_driver::regmap::scu::{self, cmd::op, slot_policy, status};
use scu_driver::regmap::{EnumValue, Register};
use scu_golden::gate::{CycleIn, CycleOut, Gate, GateConfig, Request};
use scu_golden::trng::{Fault, NoiseSource};
use scu_sim::scu::{AnyScu, ScuIn, ScuOut};
use scu_sim::SimOptions;

const PRIV: bool = true;
const USER: bool = false;

struct Lockstep {
    rtl: AnyScu,
    model: Gate,
    noise: NoiseSource,
    /// Cycles since the start, for messages.
    cycle: u64,
    /// What the sequence was doing, for messages.
    what: String,
    alerts: u64,
    irqs: u64,
    /// Cycles any one command may take at this width.
    max_command: u64,
}

impl Lockstep {
    fn new(w: usize, seed: u64) -> Self {
        // Random power-up state: the reset edge must define everything the bus can see.
        let rtl = AnyScu::new(w, SimOptions::new().random_init(seed)).unwrap();
        Lockstep {
            rtl,
            model: Gate::new(GateConfig::new(w)).unwrap(),
            noise: NoiseSource::new(seed),
            cycle: 0,
            what: "after reset".into(),
            alerts: 0,
            irqs: 0,
            max_command: if w == 16 { 2_600_000 } else { 400_000 },
        }
    }

    fn step(&mut self, req: Option<Request>) -> CycleOut {
        let raw = self.noise.next_bit();
        let m = self.model.step(CycleIn {
            req,
            raw,
            raw_valid: true,
        });
        let r = req.unwrap_or_default();
        let o = self.rtl.step(ScuIn {
            cyc_stb: req.is_some(),
            we: r.we,
            adr: r.addr,
            dat_w: r.wdata,
            privileged: r.privileged,
            raw,
            raw_valid: true,
        });
        self.cycle += 1;
        let want = ScuOut {
            ack: m.ack,
            dat_r: m.rdata,
            alert: m.alert,
            irq: m.irq,
        };
        assert_eq!(
            o, want,
            "cycle {} ({}): RTL {o:?}, model {want:?}",
            self.cycle, self.what
        );
        self.alerts += u64::from(m.alert);
        self.irqs += u64::from(m.irq);
        m
    }

    fn reset(&mut self) {
        let raw = self.noise.next_bit();
        self.model.reset(raw, true);
        self.rtl.reset(raw, true);
        self.cycle += 1;
    }

    /// One access as `scu_golden::gate::access` makes it: held until the ACK cycle's edge.
    fn access(&mut self, req: Request) -> u32 {
        let mut edges = 0;
        loop {
            let o = self.step(Some(req));
            edges += 1;
            assert!(edges <= 2, "no ack");
            if o.ack {
                self.step(Some(req));
                return o.rdata;
            }
        }
    }

    fn rd(&mut self, addr: u32, privileged: bool) -> u32 {
        self.what = format!("read {addr:#05x}");
        self.access(Request::read(addr, privileged))
    }

    fn wr(&mut self, addr: u32, data: u32, privileged: bool) {
        self.what = format!("write {addr:#05x} <- {data:#x}");
        self.access(Request::write(addr, data, privileged));
    }

    fn idle(&mut self, n: u64) {
        self.what = "idle".into();
        for _ in 0..n {
            self.step(None);
        }
    }

    fn status(&mut self) -> u32 {
        self.rd(scu::STATUS.offset, USER)
    }

    fn wait_idle(&mut self, max: u64) {
        for _ in 0..max {
            if status::BUSY.get(self.status()) == 0 {
                return;
            }
        }
        panic!("busy for too long ({})", self.what);
    }

    fn cmd(&mut self, o: EnumValue, slot: u32, privileged: bool) {
        self.wr(
            scu::CMD.offset,
            scu::cmd::OP.put(o.value) | scu::cmd::SLOT.put(slot),
            privileged,
        );
        self.what = format!("{} slot {slot}", o.name);
    }

    /// Idles until `irq` (or `max` cycles); true if it came.
    fn wait_irq(&mut self, max: u64) -> bool {
        for _ in 0..max {
            if self.step(None).irq {
                return true;
            }
        }
        false
    }

    fn write_window(&mut self, r: &Register, v: &BigUint) {
        let be = be32(v);
        for i in 0..8 {
            let word = u32::from_be_bytes(be[4 * i..4 * i + 4].try_into().unwrap());
            self.wr(r.at(i as u32), word, USER);
        }
    }

    fn read_window(&mut self, r: &Register) -> BigUint {
        let mut be = vec![];
        for i in 0..8 {
            be.extend(self.rd(r.at(i), USER).to_be_bytes());
        }
        BigUint::from_bytes_be(&be)
    }
}

#[test]
fn scripted_sequence_in_lockstep() {
    scripted_sequence(128);
}

#[test]
fn scripted_sequence_in_lockstep_serial_w16() {
    scripted_sequence(16);
}

fn scripted_sequence(w: usize) {
    let mut ls = Lockstep::new(w, 0x5c_0001);
    let mut rng = Rng::new(7);
    let policy = |s: u32| scu::SLOT_POLICY.at(s);

    // Busy zeroizing after reset; registers at their reset values.
    ls.rd(scu::ID.offset, USER);
    ls.status();
    ls.wait_idle(320);
    for r in [
        &scu::ERR,
        &scu::VIOLATIONS,
        &scu::TRNG_STATUS,
        &scu::TRNG_SAMPLES,
    ] {
        ls.rd(r.offset, USER);
    }

    // Policies, then KEYGEN_SLOT and SIGN_SLOT.
    ls.wr(policy(0), slot_policy::ALLOW_SIGN.mask(), PRIV);
    ls.wr(policy(1), slot_policy::ALLOW_ECDH.mask(), PRIV);
    ls.cmd(op::KEYGEN_SLOT, 0, PRIV);
    // While busy: a window read, a CMD and TRNG_DATA (0, nothing popped) — BUSY twice.
    ls.rd(scu::RES_X.offset, USER);
    ls.wr(scu::CMD.offset, 0, PRIV);
    ls.rd(scu::TRNG_DATA.offset, USER);
    ls.status();
    assert!(ls.wait_irq(ls.max_command), "KEYGEN_SLOT irq");
    ls.status();
    let qx = ls.read_window(&scu::RES_X);
    ls.read_window(&scu::RES_Y);
    assert_ne!(qx, BigUint::default());
    ls.write_window(&scu::OP_Z, &rng.u256());
    ls.cmd(op::SIGN_SLOT, 0, PRIV);
    assert!(ls.wait_irq(ls.max_command), "SIGN_SLOT irq");
    ls.read_window(&scu::RES_R);
    ls.read_window(&scu::RES_S);
    ls.read_window(&scu::OP_Z);

    // TRNG words for software while idle.
    ls.idle(300);
    for _ in 0..4 {
        ls.rd(scu::TRNG_STATUS.offset, USER);
        ls.rd(scu::TRNG_DATA.offset, USER);
    }

    // Violations of every kind.
    ls.wr(scu::LOCKDOWN_THRESHOLD.offset, 5, USER);
    ls.rd(scu::OP_D.offset, USER);
    ls.rd(scu::CMD.offset, USER);
    ls.rd(0x040, USER);
    ls.wr(scu::RES_S.offset, 1, USER);
    ls.cmd(EnumValue::new("op 12", 12, ""), 0, PRIV);
    ls.cmd(op::KEYGEN_SLOT, 9, PRIV);
    ls.cmd(op::SIGN_SLOT, 1, PRIV); // EMPTY_SLOT
    ls.cmd(op::ECDH_SLOT, 0, PRIV); // POLICY
    ls.cmd(op::KEYGEN_EXT, 0, USER); // PRIV
    ls.wr(scu::USER_ALLOW.offset, 1 << op::PUBKEY_SLOT.value, PRIV);
    ls.cmd(op::PUBKEY_SLOT, 0, USER);
    assert!(ls.wait_irq(ls.max_command), "PUBKEY_SLOT irq");
    ls.read_window(&scu::RES_X);
    ls.rd(scu::ERR.offset, USER);
    ls.rd(scu::VIOLATIONS.offset, USER);

    // IMPORT_SLOT, locks, ECDH_SLOT.
    let d = rng.scalar();
    ls.write_window(&scu::OP_D, &d);
    ls.cmd(op::IMPORT_SLOT, 1, PRIV);
    assert!(ls.wait_irq(ls.max_command), "IMPORT_SLOT irq");
    assert_eq!(ls.read_window(&scu::RES_X), ref_keygen(&d).0);
    ls.rd(policy(1), USER);
    ls.wr(policy(1), 0, PRIV); // LOCKED: clears wlock, changes allow under wlock
    ls.cmd(op::KEYGEN_SLOT, 1, PRIV); // LOCKED
    let (px, py) = ref_keygen(&rng.scalar());
    ls.write_window(&scu::OP_X, &px);
    ls.write_window(&scu::OP_Y, &py);
    ls.cmd(op::ECDH_SLOT, 1, PRIV);
    assert!(ls.wait_irq(ls.max_command), "ECDH_SLOT irq");
    ls.read_window(&scu::RES_X);
    ls.wr(
        policy(0),
        slot_policy::ALLOW_SIGN.mask() | slot_policy::ULOCK.mask(),
        PRIV,
    );
    ls.cmd(op::SIGN_SLOT, 0, PRIV); // USE_LOCKED

    // A policy write lands while IMPORT_SLOT stores (same-cycle collision is the model's
    // business; here: accepted while busy).
    ls.write_window(&scu::OP_D, &rng.scalar());
    ls.cmd(op::IMPORT_SLOT, 2, PRIV);
    ls.wr(policy(2), slot_policy::ALLOW_ECDH.mask(), PRIV);
    assert!(ls.wait_irq(ls.max_command), "IMPORT_SLOT 2 irq");
    ls.rd(policy(2), USER);

    // ZEROIZE.
    ls.cmd(op::ZEROIZE, 0, PRIV);
    assert!(ls.wait_irq(300), "ZEROIZE irq");
    for s in 0..3 {
        ls.rd(policy(s), USER);
    }

    // Lockdown in the middle of KEYGEN_SLOT's WAIT: threshold = violations + 2.
    let v = ls.rd(scu::VIOLATIONS.offset, USER);
    ls.wr(scu::LOCKDOWN_THRESHOLD.offset, v + 2, PRIV);
    ls.wr(policy(3), 0, PRIV);
    ls.cmd(op::KEYGEN_SLOT, 3, PRIV);
    ls.idle(3000);
    ls.rd(scu::OP_D.offset, USER);
    ls.rd(scu::OP_D.offset, USER); // lockdown
    ls.status();
    ls.wait_irq(ls.max_command); // no irq: abandoned
    ls.wait_idle(800);
    ls.status();
    ls.rd(policy(3), USER);
    ls.read_window(&scu::RES_X);
    ls.cmd(op::NOP, 0, PRIV); // LOCKDOWN
    ls.rd(scu::ERR.offset, USER);
    ls.rd(scu::VIOLATIONS.offset, USER);

    // Reset mid-command, then a stuck noise source during a KEYGEN_SLOT: TRNG_FAIL.
    ls.reset();
    ls.what = "after the second reset".into();
    ls.wait_idle(320);
    ls.write_window(&scu::OP_D, &rng.scalar());
    ls.cmd(op::KEYGEN_EXT, 0, PRIV);
    ls.idle(500);
    ls.reset();
    ls.status();
    ls.wait_idle(320);
    ls.read_window(&scu::OP_D);
    ls.read_window(&scu::RES_X);
    ls.idle(1500);
    ls.noise.set_fault(Fault::Stuck1);
    ls.cmd(op::KEYGEN_SLOT, 4, PRIV);
    assert!(
        ls.wait_irq(ls.max_command),
        "KEYGEN_SLOT with a stuck source ends"
    );
    ls.status();
    ls.rd(scu::TRNG_STATUS.offset, USER);
    ls.rd(scu::TRNG_ALARM_SAMPLE.offset, USER);
    ls.rd(policy(4), USER);
    ls.cmd(op::SIGN_EXT, 0, PRIV); // TRNG
    ls.rd(scu::ERR.offset, USER);
    eprintln!(
        "lock-step script: {} cycles, {} alerts, {} irqs",
        ls.cycle, ls.alerts, ls.irqs
    );
    assert!(ls.irqs >= 8 && ls.alerts >= 15);
}

/// Random accesses over the map (weighted towards registers with effects), commands
/// included, from random power-up states.
#[test]
fn random_accesses_in_lockstep() {
    random_accesses(128, 1..=4);
}

/// The serial engine's commands are 5 to 15 times longer: one seed.
#[test]
fn random_accesses_in_lockstep_serial_w16() {
    random_accesses(16, 5..=5);
}

fn random_accesses(w: usize, seeds: std::ops::RangeInclusive<u64>) {
    let registers: Vec<&Register> = scu::SCU.registers.iter().collect();
    for seed in seeds {
        let mut ls = Lockstep::new(w, seed);
        let mut rng = Rng::new(seed * 1000);
        for n in 0..1000 {
            let x = rng.next_u64();
            // A sixth of the accesses are CMD writes, the rest any register or anywhere.
            let r = match x % 12 {
                0 | 1 => &scu::CMD,
                2 => &scu::SLOT_POLICY,
                _ => registers[((x >> 4) % registers.len() as u64) as usize],
            };
            let index = ((x >> 8) % u64::from(r.count().max(1))) as u32;
            let mut addr = r.at(index);
            if x >> 60 == 0 {
                addr = ((x >> 16) & 0xffc) as u32; // anywhere
            }
            let privileged = (x >> 20) & 3 != 0;
            let y = rng.next_u64();
            let mut data = y as u32;
            if addr == scu::CMD.offset {
                // Mostly real ops and slots, now and then anything.
                let o = (y % 12) as u32;
                let s = ((y >> 8) % 10) as u32;
                data = scu::cmd::OP.put(o) | scu::cmd::SLOT.put(s);
            }
            if addr == scu::LOCKDOWN_THRESHOLD.offset {
                // Mostly never; sometimes late enough for commands to run first.
                let threshold = if (y >> 40) & 3 == 0 {
                    60 + (y >> 48) % 64
                } else {
                    0
                };
                data = (data & 0x8000_0000) | threshold as u32;
            }
            let we = (x >> 24) & 1 == 1 || x % 12 < 2;
            ls.what = format!("seed {seed} access {n}");
            if we {
                ls.access(Request::write(addr, data, privileged));
            } else {
                ls.access(Request::read(addr, privileged));
            }
            // Let a running command reach its end now and then (the model tells whether one
            // runs; the RTL is held to it through `irq`).
            if ls.model.busy() && (x >> 28) & 3 == 0 {
                ls.what = format!("seed {seed} access {n}: waiting for the command");
                ls.wait_irq(ls.max_command);
            } else {
                let gap = (x >> 32) % 4;
                for _ in 0..gap {
                    ls.step(None);
                }
            }
        }
        eprintln!(
            "seed {seed}: {} cycles, {} alerts, {} irqs",
            ls.cycle, ls.alerts, ls.irqs
        );
    }
}
