use super::{bytes, words};
use crate::regmap::scu::{err, slot_policy, status::engine_status, OPERAND_WORDS};
use crate::types::{from_words, to_words};
use crate::*;

#[test]
fn words_are_big_endian_most_significant_first() {
    let w = to_words(&bytes(0));
    assert_eq!(w[0], 0x0001_0203);
    assert_eq!(w[OPERAND_WORDS as usize - 1], 0x1C1D_1E1F);
    assert_eq!(w, words(0));
    assert_eq!(from_words(&w), bytes(0));
}

#[test]
fn err_codes_cover_the_map() {
    assert_eq!(ErrCode::KNOWN.len(), err::code::ALL.len());
    for named in err::code::ALL {
        let code = ErrCode::from_code(named.value as u8);
        assert!(!matches!(code, ErrCode::Unknown(_)), "{}", named.name);
        assert_eq!(code.name(), named.name);
        assert_eq!(code.code() as u32, named.value);
    }
    assert_eq!(ErrCode::from_code(200), ErrCode::Unknown(200));
    assert_eq!(ErrCode::Unknown(200).code(), 200);
    assert_eq!(
        ErrCode::from_code(err::code::POLICY.value as u8),
        ErrCode::Policy
    );
}

#[test]
fn engine_statuses_cover_the_map() {
    assert_eq!(EngineStatus::ALL.len(), engine_status::ALL.len());
    for named in engine_status::ALL {
        let status = EngineStatus::from_code(named.value as u8).unwrap();
        assert_eq!(status.name(), named.name);
        assert_eq!(status.code() as u32, named.value);
    }
    let field_values = crate::regmap::scu::status::ENGINE_STATUS.max() + 1;
    assert_eq!(EngineStatus::from_code(field_values as u8), None);
    assert_eq!(
        EngineStatus::from_code(engine_status::INVALID_SIG.value as u8),
        Some(EngineStatus::InvalidSig)
    );
}

#[test]
fn slot_policy_words() {
    let p = SlotPolicy {
        allow_sign: true,
        allow_ecdh: false,
        wlock: true,
        ulock: false,
    };
    assert_eq!(
        p.to_word(),
        slot_policy::ALLOW_SIGN.mask() | slot_policy::WLOCK.mask()
    );
    assert_eq!(
        SlotPolicy::from_word(p.to_word() | slot_policy::VALID.mask()),
        p
    );
    assert_eq!(SlotPolicy::MASK & slot_policy::VALID.mask(), 0);
    let state = SlotState::from_word(slot_policy::VALID.mask() | slot_policy::ULOCK.mask());
    assert!(state.valid && state.policy.ulock && !state.policy.allow_ecdh);
}

#[test]
fn sec1_and_p1363_encodings() {
    let key = PublicKey {
        x: bytes(1),
        y: bytes(100),
    };
    let enc = key.to_uncompressed();
    assert_eq!(enc[0], 0x04);
    assert_eq!(enc[1], 1);
    assert_eq!(enc[33], 100);
    assert_eq!(PublicKey::from_uncompressed(&enc), Some(key));
    let mut bad = enc;
    bad[0] = 0x02;
    assert_eq!(PublicKey::from_uncompressed(&bad), None);
    let sig = Signature {
        r: bytes(3),
        s: bytes(50),
    };
    assert_eq!(Signature::from_bytes(&sig.to_bytes()), sig);
    assert_eq!(sig.to_bytes()[32], 50);
}

#[test]
fn config_words() {
    let allow = UserAllow {
        ops: 0b1010,
        lock: true,
    };
    assert_eq!(UserAllow::from_word(allow.to_word()), allow);
    assert_eq!(allow.to_word() & !UserAllow::MASK, 0);
    let t = LockdownThreshold {
        threshold: 200,
        lock: true,
    };
    assert_eq!(LockdownThreshold::from_word(t.to_word()), t);
    assert_eq!(
        UserAllow::bit(crate::regmap::scu::cmd::op::SIGN_SLOT.value),
        1 << 2
    );
}

#[test]
fn errors_display() {
    let text = format!("{}", Error::Refused(ErrCode::Policy));
    assert!(text.contains("POLICY"), "{text}");
    let text = format!("{}", Error::Engine(EngineStatus::BadPoint));
    assert!(text.contains("BAD_POINT"), "{text}");
    assert!(format!("{}", Error::TrngAlarm { tests: 5 }).contains("0b101"));
}

#[test]
fn mmio_accesses_offsets_from_its_base() {
    let mut mem = [0u32; (crate::regmap::SCU.size / crate::regmap::WORD_BYTES) as usize];
    mem[1] = 0xDEAD_BEEF;
    let mut bus = unsafe { Mmio::new(mem.as_mut_ptr() as usize) };
    assert_eq!(bus.read32(4, false), 0xDEAD_BEEF);
    bus.write32(crate::regmap::scu::addr::CMD, 7, true);
    let last = crate::regmap::SCU.size - crate::regmap::WORD_BYTES;
    bus.write32(last, 9, true);
    assert_eq!(mem[2], 7);
    assert_eq!(mem[mem.len() - 1], 9);
}

#[test]
#[should_panic(expected = "outside the register block")]
fn mmio_refuses_offsets_beyond_the_block() {
    let mut mem = [0u32; (crate::regmap::SCU.size / crate::regmap::WORD_BYTES) as usize];
    let mut bus = unsafe { Mmio::new(mem.as_mut_ptr() as usize) };
    bus.read32(crate::regmap::SCU.size, false);
}
