use super::{bytes, scu};
use crate::fake::Fake;
use crate::*;

type Call = fn(&mut App<'_, Fake>) -> Result<(), Error>;

const SLOT: u8 = 5;

fn peer() -> PublicKey {
    PublicKey {
        x: bytes(1),
        y: bytes(2),
    }
}

/// Every App method: its operation, its slot (if it takes one), and a call.
fn calls() -> Vec<(&'static str, Ops, Option<u8>, Call)> {
    vec![
        ("probe", Ops::STATUS, None, |a| a.probe().map(drop)),
        ("status", Ops::STATUS, None, |a| a.status().map(drop)),
        ("wait_idle", Ops::STATUS, None, |a| a.wait_idle()),
        ("violations", Ops::STATUS, None, |a| {
            a.violations().map(drop)
        }),
        ("user_allow", Ops::STATUS, None, |a| {
            a.user_allow().map(drop)
        }),
        ("lockdown_threshold", Ops::STATUS, None, |a| {
            a.lockdown_threshold().map(drop)
        }),
        ("trng_status", Ops::STATUS, None, |a| {
            a.trng_status().map(drop)
        }),
        ("slot", Ops::STATUS, Some(SLOT), |a| a.slot(SLOT).map(drop)),
        ("keygen", Ops::KEYGEN, Some(SLOT), |a| {
            a.keygen(SLOT).map(drop)
        }),
        ("import", Ops::IMPORT, Some(SLOT), |a| {
            a.import(SLOT, &bytes(3)).map(drop)
        }),
        ("public_key", Ops::PUBKEY, Some(SLOT), |a| {
            a.public_key(SLOT).map(drop)
        }),
        ("sign", Ops::SIGN, Some(SLOT), |a| {
            a.sign(SLOT, &bytes(4)).map(drop)
        }),
        ("ecdh", Ops::ECDH, Some(SLOT), |a| {
            a.ecdh(SLOT, &peer()).map(drop)
        }),
        ("verify", Ops::VERIFY, None, |a| {
            let sig = Signature {
                r: bytes(5),
                s: bytes(6),
            };
            a.verify(&peer(), &bytes(7), &sig).map(drop)
        }),
        ("random", Ops::RANDOM, None, |a| a.random(&mut [0; 5])),
        ("zeroize", Ops::ZEROIZE, None, |a| a.zeroize()),
        ("keygen_ext", Ops::EXT, None, |a| {
            a.keygen_ext(&bytes(8)).map(drop)
        }),
        ("sign_ext", Ops::EXT, None, |a| {
            a.sign_ext(&bytes(8), &bytes(9), &bytes(10)).map(drop)
        }),
        ("ecdh_ext", Ops::EXT, None, |a| {
            a.ecdh_ext(&bytes(8), &peer()).map(drop)
        }),
        ("lock_slot", Ops::LOCK, Some(SLOT), |a| {
            a.lock_slot(SLOT, true, false)
        }),
        ("set_policy", Ops::CONFIG, Some(SLOT), |a| {
            a.set_policy(SLOT, SlotPolicy::default())
        }),
        ("set_user_allow", Ops::CONFIG, None, |a| {
            a.set_user_allow(0, false)
        }),
        ("set_lockdown_threshold", Ops::CONFIG, None, |a| {
            a.set_lockdown_threshold(0, false)
        }),
    ]
}

/// A fake that can serve every call (TRNG words for `random`).
fn ready_scu() -> Scu<Fake> {
    let mut scu = scu();
    scu.bus().trng_words.extend([1, 2, 3, 4]);
    scu.set_poll_limit(100);
    scu
}

fn run(cap: Capability, call: Call) -> (Result<(), Error>, usize) {
    let mut scu = ready_scu();
    let result = call(&mut scu.app(cap));
    let accesses = scu.bus().log.len();
    (result, accesses)
}

fn without(ops: Ops) -> Ops {
    Ops::from_bits(Ops::ALL.bits() & !ops.bits())
}

#[test]
fn every_method_is_denied_without_its_op_and_touches_nothing() {
    for (name, op, _, call) in calls() {
        for cap in [
            Capability::NONE,
            Capability::new(u16::MAX, without(op)),
            Capability::new(u16::MAX, Ops::NONE),
        ] {
            assert_eq!(
                run(cap, call),
                (Err(Error::Denied), 0),
                "{name} with {cap:?}"
            );
        }
    }
}

#[test]
fn every_slot_method_is_denied_without_its_slot_and_touches_nothing() {
    let mut slot_methods = 0;
    for (name, op, slot, call) in calls() {
        let Some(slot) = slot else { continue };
        slot_methods += 1;
        let other_slots = !Capability::slot_bit(slot);
        for cap in [
            Capability::new(other_slots, Ops::ALL),
            Capability::new(0, op),
        ] {
            assert_eq!(
                run(cap, call),
                (Err(Error::Denied), 0),
                "{name} with {cap:?}"
            );
        }
    }
    assert_eq!(slot_methods, 8);
}

#[test]
fn every_method_reaches_the_bus_when_granted() {
    for (name, op, slot, call) in calls() {
        let slots = slot.map_or(0, Capability::slot_bit);
        let (result, accesses) = run(Capability::new(slots, op), call);
        assert_ne!(result, Err(Error::Denied), "{name}");
        assert!(result.is_ok(), "{name}: {result:?}");
        assert!(accesses > 0, "{name}");
    }
}

#[test]
fn slots_no_bit_can_name_are_always_denied() {
    let mut scu = ready_scu();
    let mut app = scu.app(Capability::ALL);
    assert_eq!(app.keygen(16), Err(Error::Denied));
    assert_eq!(app.slot(200), Err(Error::Denied));
    assert!(scu.bus().log.is_empty());
    // Whereas the Scu sends slot 8 to the gate, an App needs bit 8.
    let mut app = scu.app(Capability::new(0x00FF, Ops::ALL));
    assert_eq!(app.keygen(8), Err(Error::Denied));
}

#[test]
fn restrict_only_narrows() {
    let mut scu = ready_scu();
    let mut app = scu.app(Capability::new(0b0110, Ops::SIGN | Ops::PUBKEY));
    {
        let mut narrow = app.restrict(Capability::new(0b0011, Ops::SIGN | Ops::ZEROIZE));
        assert_eq!(narrow.capability(), Capability::new(0b0010, Ops::SIGN));
        assert_eq!(narrow.zeroize(), Err(Error::Denied));
        assert_eq!(narrow.public_key(1), Err(Error::Denied));
        assert_eq!(narrow.sign(2, &bytes(0)), Err(Error::Denied));
        assert!(narrow.sign(1, &bytes(0)).is_ok());
        assert!(narrow.privileged());
    }
    assert!(app.public_key(2).is_ok());
}

#[test]
fn ops_set_algebra() {
    const SIGNER: Ops = Ops::SIGN.union(Ops::PUBKEY);
    let all = [
        Ops::KEYGEN,
        Ops::IMPORT,
        Ops::PUBKEY,
        Ops::SIGN,
        Ops::ECDH,
        Ops::VERIFY,
        Ops::RANDOM,
        Ops::STATUS,
        Ops::ZEROIZE,
        Ops::LOCK,
        Ops::CONFIG,
        Ops::EXT,
    ];
    let mut union = Ops::NONE;
    for op in all {
        assert_eq!(op.bits().count_ones(), 1);
        assert!(!union.contains(op), "distinct bits");
        union |= op;
    }
    assert_eq!(union, Ops::ALL);
    assert_eq!(SIGNER, Ops::SIGN | Ops::PUBKEY);
    assert!(SIGNER.contains(Ops::SIGN) && !SIGNER.contains(Ops::ECDH));
    assert_eq!(SIGNER & Ops::SIGN, Ops::SIGN);
    assert_eq!(Ops::from_bits(u16::MAX), Ops::ALL);
    let cap = Capability::NONE.with_slot(3).with_slot(20);
    assert_eq!(cap.slots, 1 << 3);
    assert!(
        !Capability::ALL.allows(Ops::NONE, None),
        "the empty op set is not a permission"
    );
}

#[test]
fn counted_bus_counts_through_a_reference() {
    let mut fake = Fake::default();
    let mut scu = Scu::new(crate::Counted::new(&mut fake), false);
    assert_eq!(scu.app(Capability::NONE).status(), Err(Error::Denied));
    assert_eq!(scu.bus().accesses(), 0);
    scu.status();
    assert_eq!((scu.bus().reads, scu.bus().writes), (3, 0));
    let counted = scu.into_bus();
    assert_eq!(counted.accesses(), 3);
    assert_eq!(fake.log.len(), 3);
}
