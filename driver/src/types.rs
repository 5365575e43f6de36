//! The values the driver exchanges with its callers — keys, signatures, slot policies, the SCU's
//! status — and their encoding in register words.
//!
//! Integers are big-endian byte strings, as in SEC1 and in the register windows: byte 0 is the
//! most significant and lands in the most significant byte of window word 0.

use crate::error::{EngineStatus, ErrCode};
use crate::regmap::scu::{
    err, id, lockdown_threshold, slot_policy, status, trng_status, user_allow, violations,
    OPERAND_WORDS,
};
use crate::regmap::WORD_BYTES;

/// Bytes of a P-256 scalar or coordinate, which is what one operand window holds.
pub const SCALAR_BYTES: usize = 32;
const _: () = assert!(
    (OPERAND_WORDS * WORD_BYTES) as usize == SCALAR_BYTES,
    "an operand window must hold exactly one P-256 integer"
);

/// The window words (word 0 = most significant 32 bits) of a big-endian integer.
pub fn to_words(bytes: &[u8; SCALAR_BYTES]) -> [u32; OPERAND_WORDS as usize] {
    let mut words = [0; OPERAND_WORDS as usize];
    for (word, chunk) in words
        .iter_mut()
        .zip(bytes.chunks_exact(WORD_BYTES as usize))
    {
        *word = u32::from_be_bytes(chunk.try_into().unwrap());
    }
    words
}

/// The big-endian integer of window words (word 0 = most significant 32 bits).
pub fn from_words(words: &[u32; OPERAND_WORDS as usize]) -> [u8; SCALAR_BYTES] {
    let mut bytes = [0; SCALAR_BYTES];
    for (chunk, word) in bytes.chunks_exact_mut(WORD_BYTES as usize).zip(words) {
        chunk.copy_from_slice(&word.to_be_bytes());
    }
    bytes
}

/// A P-256 public key: affine coordinates, big-endian.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct PublicKey {
    pub x: [u8; 32],
    pub y: [u8; 32],
}

/// SEC1 tag of an uncompressed point.
const SEC1_UNCOMPRESSED: u8 = 0x04;

impl PublicKey {
    /// SEC1 uncompressed encoding: `04 || x || y`.
    pub fn to_uncompressed(&self) -> [u8; 1 + 2 * SCALAR_BYTES] {
        let mut out = [0; 1 + 2 * SCALAR_BYTES];
        out[0] = SEC1_UNCOMPRESSED;
        out[1..1 + SCALAR_BYTES].copy_from_slice(&self.x);
        out[1 + SCALAR_BYTES..].copy_from_slice(&self.y);
        out
    }

    /// From SEC1 uncompressed encoding; `None` without the `04` tag. Does not check that the
    /// point is on the curve: the engine does (VERIFY and ECDH end with BAD_POINT).
    pub fn from_uncompressed(bytes: &[u8; 1 + 2 * SCALAR_BYTES]) -> Option<PublicKey> {
        if bytes[0] != SEC1_UNCOMPRESSED {
            return None;
        }
        let mut key = PublicKey {
            x: [0; SCALAR_BYTES],
            y: [0; SCALAR_BYTES],
        };
        key.x.copy_from_slice(&bytes[1..1 + SCALAR_BYTES]);
        key.y.copy_from_slice(&bytes[1 + SCALAR_BYTES..]);
        Some(key)
    }
}

/// An ECDSA signature (r, s), big-endian.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Signature {
    pub r: [u8; 32],
    pub s: [u8; 32],
}

impl Signature {
    /// The fixed-size encoding `r || s` (IEEE P1363, as `ecdsa::Signature::to_bytes`).
    pub fn to_bytes(&self) -> [u8; 2 * SCALAR_BYTES] {
        let mut out = [0; 2 * SCALAR_BYTES];
        out[..SCALAR_BYTES].copy_from_slice(&self.r);
        out[SCALAR_BYTES..].copy_from_slice(&self.s);
        out
    }

    pub fn from_bytes(bytes: &[u8; 2 * SCALAR_BYTES]) -> Signature {
        let mut sig = Signature {
            r: [0; SCALAR_BYTES],
            s: [0; SCALAR_BYTES],
        };
        sig.r.copy_from_slice(&bytes[..SCALAR_BYTES]);
        sig.s.copy_from_slice(&bytes[SCALAR_BYTES..]);
        sig
    }
}

/// The writable part of a slot's `SLOT_POLICY` word.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SlotPolicy {
    /// SIGN_SLOT may use the key.
    pub allow_sign: bool,
    /// ECDH_SLOT may use the key.
    pub allow_ecdh: bool,
    /// Write lock (sticky): no KEYGEN/IMPORT on the slot, `allow_*` frozen, until reset.
    pub wlock: bool,
    /// Use lock (sticky): no command may use the key until reset.
    pub ulock: bool,
}

impl SlotPolicy {
    /// The `SLOT_POLICY` word to write (`valid` is read-only and left 0).
    pub const fn to_word(self) -> u32 {
        slot_policy::ALLOW_SIGN.put(self.allow_sign as u32)
            | slot_policy::ALLOW_ECDH.put(self.allow_ecdh as u32)
            | slot_policy::WLOCK.put(self.wlock as u32)
            | slot_policy::ULOCK.put(self.ulock as u32)
    }

    /// The policy fields of a `SLOT_POLICY` word (ignores `valid`).
    pub const fn from_word(word: u32) -> SlotPolicy {
        SlotPolicy {
            allow_sign: slot_policy::ALLOW_SIGN.get(word) != 0,
            allow_ecdh: slot_policy::ALLOW_ECDH.get(word) != 0,
            wlock: slot_policy::WLOCK.get(word) != 0,
            ulock: slot_policy::ULOCK.get(word) != 0,
        }
    }

    /// The bits of a `SLOT_POLICY` word that [`SlotPolicy::to_word`] sets (all but `valid`).
    pub const MASK: u32 = slot_policy::ALLOW_SIGN.mask()
        | slot_policy::ALLOW_ECDH.mask()
        | slot_policy::WLOCK.mask()
        | slot_policy::ULOCK.mask();
}

/// A slot as `SLOT_POLICY` shows it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct SlotState {
    pub policy: SlotPolicy,
    /// The slot holds a key.
    pub valid: bool,
}

impl SlotState {
    pub const fn from_word(word: u32) -> SlotState {
        SlotState {
            policy: SlotPolicy::from_word(word),
            valid: slot_policy::VALID.get(word) != 0,
        }
    }
}

/// `STATUS`, `ERR` and `VIOLATIONS` decoded.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Status {
    /// A command is running.
    pub busy: bool,
    /// The last command finished (cleared by the next accepted command).
    pub done: bool,
    /// How the last command ended (meaningful when `done`).
    pub engine_status: EngineStatus,
    /// The SCU is in lockdown until reset.
    pub lockdown: bool,
    pub trng_alarm: bool,
    pub trng_ready: bool,
    /// A violation or a TRNG alarm has happened since reset (sticky).
    pub alert: bool,
    /// `ERR.code`: the first refused access since reset.
    pub err: ErrCode,
    /// `ERR.last`: the latest refused access.
    pub last: ErrCode,
    /// `VIOLATIONS` (saturates at 0xFFFF).
    pub violations: u16,
}

impl Status {
    /// Decodes the three register words.
    pub const fn from_words(status_word: u32, err_word: u32, violations_word: u32) -> Status {
        let engine = match EngineStatus::from_code(status::ENGINE_STATUS.get(status_word) as u8) {
            Some(s) => s,
            // A 3-bit field whose eight values the map all names.
            None => unreachable!(),
        };
        Status {
            busy: status::BUSY.get(status_word) != 0,
            done: status::DONE.get(status_word) != 0,
            engine_status: engine,
            lockdown: status::LOCKDOWN.get(status_word) != 0,
            trng_alarm: status::TRNG_ALARM.get(status_word) != 0,
            trng_ready: status::TRNG_READY.get(status_word) != 0,
            alert: status::ALERT.get(status_word) != 0,
            err: ErrCode::from_code(err::CODE.get(err_word) as u8),
            last: ErrCode::from_code(err::LAST.get(err_word) as u8),
            violations: violations::COUNT.get(violations_word) as u16,
        }
    }
}

/// What [`crate::Scu::probe`] learns from `ID`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Info {
    /// `ID.version`: the register map revision (the driver accepts only its own).
    pub version: u8,
    /// `ID.word_width`: the engine's word width in bits (16, 32, 64 or 128).
    pub word_width: u8,
}

impl Info {
    pub const fn from_word(word: u32) -> Info {
        Info {
            version: id::VERSION.get(word) as u8,
            word_width: id::WORD_WIDTH.get(word) as u8,
        }
    }
}

/// `USER_ALLOW` decoded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct UserAllow {
    /// Bit n opens CMD op n to unprivileged software.
    pub ops: u16,
    /// Frozen until reset.
    pub lock: bool,
}

impl UserAllow {
    pub const fn to_word(self) -> u32 {
        user_allow::OPS.put(self.ops as u32) | user_allow::LOCK.put(self.lock as u32)
    }

    pub const fn from_word(word: u32) -> UserAllow {
        UserAllow {
            ops: user_allow::OPS.get(word) as u16,
            lock: user_allow::LOCK.get(word) != 0,
        }
    }

    /// The `ops` bit of a CMD op: `UserAllow::bit(cmd::op::SIGN_SLOT.value)`.
    pub const fn bit(op: u32) -> u16 {
        1 << op
    }

    /// The writable bits of the register.
    pub const MASK: u32 = user_allow::OPS.mask() | user_allow::LOCK.mask();
}

/// `LOCKDOWN_THRESHOLD` decoded.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct LockdownThreshold {
    /// Violations that trigger lockdown; 0 never does.
    pub threshold: u8,
    /// Frozen until reset.
    pub lock: bool,
}

impl LockdownThreshold {
    pub const fn to_word(self) -> u32 {
        lockdown_threshold::THRESHOLD.put(self.threshold as u32)
            | lockdown_threshold::LOCK.put(self.lock as u32)
    }

    /// The writable bits of the register.
    pub const MASK: u32 = lockdown_threshold::THRESHOLD.mask() | lockdown_threshold::LOCK.mask();

    pub const fn from_word(word: u32) -> LockdownThreshold {
        LockdownThreshold {
            threshold: lockdown_threshold::THRESHOLD.get(word) as u8,
            lock: lockdown_threshold::LOCK.get(word) != 0,
        }
    }
}

/// The TRNG's state and health counters (`TRNG_STATUS` and the counters after it).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct TrngStatus {
    pub alarm: bool,
    /// Which tests raised the alarm: bit 0 repetition count, bit 1 adaptive proportion, bit 2
    /// lag-1 proportion.
    pub alarm_test: u8,
    pub startup_done: bool,
    pub ready: bool,
    pub rct_fails: u16,
    pub apt_fails: u16,
    pub lag_fails: u16,
    pub samples: u32,
    /// `TRNG_ALARM_SAMPLE`: the raw sample that raised the alarm (0 without an alarm).
    pub alarm_sample: u32,
}

impl TrngStatus {
    /// Decodes `TRNG_STATUS` (the counters are left 0).
    pub const fn from_status_word(word: u32) -> TrngStatus {
        TrngStatus {
            alarm: trng_status::ALARM.get(word) != 0,
            alarm_test: trng_status::ALARM_TEST.get(word) as u8,
            startup_done: trng_status::STARTUP_DONE.get(word) != 0,
            ready: trng_status::READY.get(word) != 0,
            rct_fails: 0,
            apt_fails: 0,
            lag_fails: 0,
            samples: 0,
            alarm_sample: 0,
        }
    }
}
