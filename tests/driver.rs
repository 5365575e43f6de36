//! The driver (the software gate) against the Verilated SCU through Wishbone, the gate's
//! golden model in lock-step on every cycle; results checked against p256.

use num_bigint::BigUint;
use p256::ecdsa::signature::hazmat::PrehashVerifier;
use p256::ecdsa::{Signature as P256Sig, VerifyingKey};
use p256::elliptic_curve::sec1::ToSec1Point;
use p256::elliptic_curve::PrimeField;
use p256::{FieldBytes, ProjectivePoint, Scalar};
use scu::device::SimScu;
use scu_driver::regmap::scu::cmd::op;
use scu_driver::{App, Capability, EngineStatus, ErrCode, Error, Ops, PublicKey, Scu, SlotPolicy};
use scu_golden::trng::Fault;

fn scu(seed: u64) -> Scu<SimScu> {
    let mut scu = Scu::new(SimScu::new(128, seed, true).expect("SCU model"), true);
    let info = scu.probe().expect("the SCU answers");
    assert_eq!(info.word_width, 128);
    scu
}

fn scalar(d: &[u8; 32]) -> Scalar {
    Option::from(Scalar::from_repr(FieldBytes::from(*d))).expect("scalar below n")
}

fn affine(p: ProjectivePoint) -> PublicKey {
    let e = p.to_affine().to_sec1_point(false);
    PublicKey {
        x: e.x().unwrap().as_slice().try_into().unwrap(),
        y: e.y().unwrap().as_slice().try_into().unwrap(),
    }
}

fn p256_public(d: &[u8; 32]) -> PublicKey {
    affine(ProjectivePoint::GENERATOR * scalar(d))
}

fn p256_point(q: &PublicKey) -> ProjectivePoint {
    let vk = VerifyingKey::from_sec1_bytes(&[&[4u8][..], &q.x[..], &q.y[..]].concat()).unwrap();
    ProjectivePoint::from(*vk.as_affine())
}

fn verifies(q: &PublicKey, z: &[u8; 32], sig: &scu_driver::Signature) -> bool {
    let mut sec1 = vec![4u8];
    sec1.extend_from_slice(&q.x);
    sec1.extend_from_slice(&q.y);
    let vk = VerifyingKey::from_sec1_bytes(&sec1).unwrap();
    let Ok(s) = P256Sig::from_scalars(sig.r, sig.s) else {
        return false;
    };
    vk.verify_prehash(z, &s).is_ok()
}

fn slot_key(scu: &Scu<SimScu>, slot: u8) -> [u8; 32] {
    let v: &BigUint = scu.bus_ref().model().unwrap().slot_ram(slot);
    let b = v.to_bytes_be();
    let mut out = [0u8; 32];
    out[32 - b.len()..].copy_from_slice(&b);
    out
}

const ALLOW_ALL: SlotPolicy = SlotPolicy {
    allow_sign: true,
    allow_ecdh: true,
    wlock: false,
    ulock: false,
};

#[test]
fn keygen_sign_ecdh_in_slots() {
    let mut scu = scu(1);
    let q0 = scu.keygen(0).unwrap();
    // The key never crossed the bus; the model's copy of the slot says what it is.
    assert_eq!(q0, p256_public(&slot_key(&scu, 0)));
    assert_eq!(scu.public_key(0).unwrap(), q0);

    // No policy yet: SIGN and ECDH are refused by the gate.
    let z = [0x5Au8; 32];
    assert_eq!(scu.sign(0, &z), Err(Error::Refused(ErrCode::Policy)));
    scu.set_policy(0, ALLOW_ALL).unwrap();
    let sig = scu.sign(0, &z).unwrap();
    assert!(verifies(&q0, &z, &sig));
    assert_eq!(scu.verify(&q0, &z, &sig), Ok(true));
    let mut bad = z;
    bad[0] ^= 1;
    assert_eq!(scu.verify(&q0, &bad, &sig), Ok(false));

    let q1 = scu.keygen(1).unwrap();
    scu.set_policy(1, ALLOW_ALL).unwrap();
    let a = scu.ecdh(0, &q1).unwrap();
    let b = scu.ecdh(1, &q0).unwrap();
    assert_eq!(a, b);
    let shared = affine(p256_point(&q0) * scalar(&slot_key(&scu, 1)));
    assert_eq!(a, shared.x);

    // An invalid peer point is the engine's BAD_POINT, and the SCU stays usable.
    let off = PublicKey { x: q1.x, y: q0.y };
    assert_eq!(
        scu.ecdh(0, &off),
        Err(Error::Engine(EngineStatus::BadPoint))
    );
    assert!(scu.ecdh(0, &q1).is_ok());
}

#[test]
fn import_locks_and_privilege() {
    let mut scu = scu(2);
    let mut d = [0u8; 32];
    d[31] = 7;
    d[0] = 0x42;
    let q = scu.import(2, &d).unwrap();
    assert_eq!(q, p256_public(&d));
    assert!(scu.slot(2).unwrap().policy.wlock);
    assert_eq!(scu.import(2, &d), Err(Error::Refused(ErrCode::Locked)));
    assert_eq!(scu.keygen(2), Err(Error::Refused(ErrCode::Locked)));

    // Out-of-range key: the engine's range check, nothing stored.
    let n_plus = [0xFFu8; 32];
    assert_eq!(
        scu.import(3, &n_plus),
        Err(Error::Engine(EngineStatus::BadScalar))
    );
    assert!(!scu.slot(3).unwrap().valid);

    // User software: nothing until USER_ALLOW opens it; configuration stays privileged.
    scu.set_policy(2, ALLOW_ALL).unwrap_err(); // allow bits frozen under wlock
    scu.set_privileged(false);
    assert_eq!(scu.keygen(4), Err(Error::Refused(ErrCode::Priv)));
    assert_eq!(
        scu.set_lockdown_threshold(1, false),
        Err(Error::Refused(ErrCode::Priv))
    );
    scu.set_privileged(true);
    scu.set_user_allow(1 << op::KEYGEN_SLOT.value, true)
        .unwrap();
    assert_eq!(
        scu.set_user_allow(0xFFFF, false),
        Err(Error::Refused(ErrCode::Locked))
    );
    scu.set_privileged(false);
    assert!(scu.keygen(4).is_ok());
    assert_eq!(scu.public_key(4), Err(Error::Refused(ErrCode::Priv)));

    // Use lock: the key stays, nothing may use it until reset.
    scu.set_privileged(true);
    scu.lock_slot(4, false, true).unwrap();
    assert_eq!(scu.public_key(4), Err(Error::Refused(ErrCode::UseLocked)));
}

#[test]
fn lockdown_and_zeroize() {
    let mut scu = scu(3);
    scu.keygen(0).unwrap();
    scu.zeroize().unwrap();
    assert!(!scu.slot(0).unwrap().valid);
    assert_eq!(scu.public_key(0), Err(Error::Refused(ErrCode::EmptySlot)));

    scu.keygen(1).unwrap();
    scu.set_lockdown_threshold(3, true).unwrap();
    // Already one violation (EMPTY_SLOT above); two more reach the threshold.
    scu.set_privileged(false);
    assert_eq!(scu.keygen(5), Err(Error::Refused(ErrCode::Priv)));
    assert_eq!(scu.keygen(5), Err(Error::Refused(ErrCode::Priv)));
    scu.set_privileged(true);
    let st = scu.status();
    assert!(st.lockdown, "{st:?}");
    scu.wait_idle().unwrap();
    assert!(!scu.slot(1).unwrap().valid);
    assert_eq!(scu.keygen(1), Err(Error::Refused(ErrCode::Lockdown)));
    assert_eq!(scu.status().err, ErrCode::EmptySlot);
}

#[test]
fn trng_words_and_alarm() {
    let mut scu = scu(4);
    let mut a = [0u8; 64];
    scu.random(&mut a).unwrap();
    assert!(a.iter().any(|&b| b != 0));
    let at = scu.bus_ref().raw_samples() + 10_000;
    scu.bus().schedule_fault(at, Fault::Stuck0);
    let mut big = vec![0u8; 4096];
    match scu.random(&mut big) {
        Err(Error::TrngAlarm { tests }) => assert_ne!(tests, 0),
        other => panic!("expected a TRNG alarm, got {other:?}"),
    }
    assert_eq!(scu.keygen(0), Err(Error::Refused(ErrCode::Trng)));
}

#[test]
fn capabilities_refuse_before_the_bus() {
    let mut scu = scu(5);
    scu.keygen(0).unwrap();
    scu.keygen(1).unwrap();
    scu.set_policy(0, ALLOW_ALL).unwrap();
    scu.set_policy(1, ALLOW_ALL).unwrap();
    let cap = Capability {
        slots: 1 << 0,
        ops: Ops::SIGN | Ops::STATUS,
    };
    let before = scu.bus_ref().cycles();
    {
        let mut app = App::new(&mut scu, cap);
        let z = [1u8; 32];
        assert_eq!(app.sign(1, &z), Err(Error::Denied));
        assert_eq!(app.keygen(0), Err(Error::Denied));
        assert_eq!(
            app.ecdh(
                0,
                &PublicKey {
                    x: [0; 32],
                    y: [0; 32]
                }
            ),
            Err(Error::Denied)
        );
        assert_eq!(app.zeroize(), Err(Error::Denied));
    }
    assert_eq!(
        scu.bus_ref().cycles(),
        before,
        "a denied call reached the bus"
    );
    let mut app = App::new(&mut scu, cap);
    assert!(app.sign(0, &[1u8; 32]).is_ok());
}
