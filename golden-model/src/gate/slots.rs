//! Key slots: the key RAM (never mapped to the bus), `valid`, and the policy word with its
//! sticky locks (`docs/gate.md`, "Slots" and rule 5 of "Registers").

use num_bigint::BigUint;
use num_traits::Zero;
use scu_driver::regmap::scu::{slot_policy, SLOTS};
use scu_driver::regmap::Field;

/// One slot's control state; the key lives in [`Slots::keys`].
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(super) struct Policy {
    pub allow_sign: bool,
    pub allow_ecdh: bool,
    pub valid: bool,
    pub wlock: bool,
    pub ulock: bool,
}

impl Policy {
    pub fn word(&self) -> u32 {
        slot_policy::ALLOW_SIGN.put(self.allow_sign as u32)
            | slot_policy::ALLOW_ECDH.put(self.allow_ecdh as u32)
            | slot_policy::VALID.put(self.valid as u32)
            | slot_policy::WLOCK.put(self.wlock as u32)
            | slot_policy::ULOCK.put(self.ulock as u32)
    }

    /// A bus write of `word` would clear a set lock or change the allow bits under `wlock`:
    /// LOCKED, and nothing changes.
    pub fn refuses(&self, word: u32) -> bool {
        let bit = |f: Field| f.get(word) != 0;
        let (sign, ecdh) = (bit(slot_policy::ALLOW_SIGN), bit(slot_policy::ALLOW_ECDH));
        let clears_lock =
            (self.wlock && !bit(slot_policy::WLOCK)) || (self.ulock && !bit(slot_policy::ULOCK));
        let changes_allow = self.wlock && (sign != self.allow_sign || ecdh != self.allow_ecdh);
        clears_lock || changes_allow
    }

    /// An accepted bus write of `word`. Locks only ever go to 1, so a STORE setting `wlock`
    /// in the same cycle survives; `valid` is read-only, so its bit in `word` is ignored.
    pub fn store(&mut self, word: u32) {
        let bit = |f: Field| f.get(word) != 0;
        self.allow_sign = bit(slot_policy::ALLOW_SIGN);
        self.allow_ecdh = bit(slot_policy::ALLOW_ECDH);
        self.wlock |= bit(slot_policy::WLOCK);
        self.ulock |= bit(slot_policy::ULOCK);
    }
}

#[derive(Clone, Debug)]
pub(super) struct Slots {
    pub keys: Vec<BigUint>,
    pub policy: Vec<Policy>,
}

impl Slots {
    pub fn new(n: u8) -> Self {
        Slots {
            keys: vec![BigUint::zero(); n as usize],
            policy: vec![Policy::default(); n as usize],
        }
    }

    pub fn count(&self) -> u8 {
        self.keys.len() as u8
    }

    /// Slots with a SLOT_POLICY word on the bus: the map has 8, a smaller SCU fewer.
    pub fn mapped(&self) -> u8 {
        self.count().min(SLOTS as u8)
    }

    /// Control state to its reset value; the key RAM has no reset.
    pub fn reset_control(&mut self) {
        self.policy.fill(Policy::default());
    }

    pub fn invalidate_all(&mut self) {
        for p in &mut self.policy {
            p.valid = false;
        }
    }
}
