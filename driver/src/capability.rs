//! The software gate: a [`Capability`] (which operations, on which key slots) and [`App`], the
//! handle an application gets instead of the [`Scu`].
//!
//! Every [`App`] method checks its operation and slot against the capability **before** any bus
//! access and returns [`Error::Denied`] if either is missing; only then does it call the same
//! method of [`Scu`]. An `App` borrows the `Scu` mutably and never hands the `Scu` (or its bus)
//! back, so code holding only an `App` can do nothing the capability does not allow:
//!
//! ```compile_fail
//! use scu_driver::{App, Bus, Scu};
//! // The field is private and there is no accessor, `Deref` or `into_inner`.
//! fn escape<'a, B: Bus>(app: App<'a, B>) -> &'a mut Scu<B> {
//!     app.scu
//! }
//! ```
//!
//! A narrower `App` can be handed on with [`App::restrict`] (the intersection of both
//! capabilities), never a wider one.
//!
//! **What this is worth.** The capability is a software check in the same address space as
//! the application: it holds against an application that only calls this API, and it keeps
//! honest code from using the wrong slot by mistake. It is only as strong as the isolation of
//! the software holding it: code that can write memory it should not (unsafe code, a memory
//! corruption bug, no MPU/MMU separation from the driver) can build its own [`crate::Mmio`] and
//! talk to the SCU directly. Against that the hardware gate is the backstop: the privilege bit
//! of the bus, `USER_ALLOW`, the slot policies and their locks, and lockdown — configured by
//! the privileged side so that they hold even if every capability check is bypassed.

use core::ops::{BitAnd, BitOr, BitOrAssign};

use crate::bus::Bus;
use crate::device::Scu;
use crate::error::Error;
use crate::types::{
    Info, LockdownThreshold, PublicKey, Signature, SlotPolicy, SlotState, Status, TrngStatus,
    UserAllow,
};

/// A set of driver operations (the driver's own bits, not CMD op codes).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Ops(u16);

impl Ops {
    pub const NONE: Ops = Ops(0);
    /// [`App::keygen`] (slot).
    pub const KEYGEN: Ops = Ops(1 << 0);
    /// [`App::import`] (slot).
    pub const IMPORT: Ops = Ops(1 << 1);
    /// [`App::public_key`] (slot).
    pub const PUBKEY: Ops = Ops(1 << 2);
    /// [`App::sign`] (slot).
    pub const SIGN: Ops = Ops(1 << 3);
    /// [`App::ecdh`] (slot).
    pub const ECDH: Ops = Ops(1 << 4);
    /// [`App::verify`].
    pub const VERIFY: Ops = Ops(1 << 5);
    /// [`App::random`].
    pub const RANDOM: Ops = Ops(1 << 6);
    /// Reads of the SCU's state: [`App::probe`], [`App::status`], [`App::wait_idle`],
    /// [`App::violations`], [`App::user_allow`], [`App::lockdown_threshold`],
    /// [`App::trng_status`], and [`App::slot`] (slot).
    pub const STATUS: Ops = Ops(1 << 7);
    /// [`App::zeroize`] (erases every slot: no slot check, but think before granting it).
    pub const ZEROIZE: Ops = Ops(1 << 8);
    /// [`App::lock_slot`] (slot).
    pub const LOCK: Ops = Ops(1 << 9);
    /// [`App::set_policy`] (slot), [`App::set_user_allow`], [`App::set_lockdown_threshold`].
    pub const CONFIG: Ops = Ops(1 << 10);
    /// The test-vector commands with caller-supplied keys: [`App::keygen_ext`],
    /// [`App::sign_ext`], [`App::ecdh_ext`].
    pub const EXT: Ops = Ops(1 << 11);
    pub const ALL: Ops = Ops((1 << 12) - 1);

    pub const fn bits(self) -> u16 {
        self.0
    }

    /// The set with these bits; bits naming no operation are dropped.
    pub const fn from_bits(bits: u16) -> Ops {
        Ops(bits & Self::ALL.0)
    }

    /// `self | other`, usable in `const` items.
    pub const fn union(self, other: Ops) -> Ops {
        Ops(self.0 | other.0)
    }

    pub const fn intersection(self, other: Ops) -> Ops {
        Ops(self.0 & other.0)
    }

    /// Every operation of `other` is in `self`.
    pub const fn contains(self, other: Ops) -> bool {
        self.0 & other.0 == other.0
    }

    pub const fn is_empty(self) -> bool {
        self.0 == 0
    }
}

impl BitOr for Ops {
    type Output = Ops;
    fn bitor(self, other: Ops) -> Ops {
        self.union(other)
    }
}

impl BitOrAssign for Ops {
    fn bitor_assign(&mut self, other: Ops) {
        *self = self.union(other);
    }
}

impl BitAnd for Ops {
    type Output = Ops;
    fn bitand(self, other: Ops) -> Ops {
        self.intersection(other)
    }
}

/// What an [`App`] may do: operations `ops`, on the key slots whose bit is set in `slots`
/// (bit s = slot s; slot-less operations ignore `slots`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub struct Capability {
    pub slots: u16,
    pub ops: Ops,
}

impl Capability {
    pub const NONE: Capability = Capability::new(0, Ops::NONE);
    /// Every operation on every slot `CMD.slot` can name.
    pub const ALL: Capability = Capability::new(u16::MAX, Ops::ALL);

    pub const fn new(slots: u16, ops: Ops) -> Capability {
        Capability { slots, ops }
    }

    /// The `slots` bit of slot `slot` (0 for a slot no bit can name, so no capability allows it).
    pub const fn slot_bit(slot: u8) -> u16 {
        if (slot as u32) < u16::BITS {
            1 << slot
        } else {
            0
        }
    }

    /// `self` with slot `slot` added.
    pub const fn with_slot(self, slot: u8) -> Capability {
        Capability::new(self.slots | Self::slot_bit(slot), self.ops)
    }

    /// What both allow.
    pub const fn intersection(self, other: Capability) -> Capability {
        Capability::new(self.slots & other.slots, self.ops.intersection(other.ops))
    }

    /// Whether operations `ops` are allowed, on `slot` if given.
    pub const fn allows(&self, ops: Ops, slot: Option<u8>) -> bool {
        let slot_ok = match slot {
            Some(s) => self.slots & Self::slot_bit(s) != 0,
            None => true,
        };
        self.ops.contains(ops) && !ops.is_empty() && slot_ok
    }
}

/// An application's handle on the SCU: the operations of [`Scu`] that its [`Capability`]
/// allows (see the module documentation for what that protects).
#[derive(Debug)]
pub struct App<'a, B: Bus> {
    scu: &'a mut Scu<B>,
    cap: Capability,
}

impl<B: Bus> Scu<B> {
    /// An [`App`] with capability `cap` on this SCU (the same as [`App::new`]).
    pub fn app(&mut self, cap: Capability) -> App<'_, B> {
        App::new(self, cap)
    }
}

impl<'a, B: Bus> App<'a, B> {
    pub fn new(scu: &'a mut Scu<B>, cap: Capability) -> Self {
        App { scu, cap }
    }

    pub fn capability(&self) -> Capability {
        self.cap
    }

    /// The privilege bit the underlying [`Scu`]'s accesses carry (read-only here).
    pub fn privileged(&self) -> bool {
        self.scu.privileged()
    }

    /// A handle with the intersection of this capability and `cap`, for as long as it lives.
    pub fn restrict(&mut self, cap: Capability) -> App<'_, B> {
        App {
            scu: &mut *self.scu,
            cap: self.cap.intersection(cap),
        }
    }

    fn check(&self, ops: Ops, slot: Option<u8>) -> Result<(), Error> {
        if self.cap.allows(ops, slot) {
            Ok(())
        } else {
            Err(Error::Denied)
        }
    }

    // ---- STATUS ----

    pub fn probe(&mut self) -> Result<Info, Error> {
        self.check(Ops::STATUS, None)?;
        self.scu.probe()
    }

    pub fn status(&mut self) -> Result<Status, Error> {
        self.check(Ops::STATUS, None)?;
        Ok(self.scu.status())
    }

    pub fn wait_idle(&mut self) -> Result<(), Error> {
        self.check(Ops::STATUS, None)?;
        self.scu.wait_idle()
    }

    pub fn violations(&mut self) -> Result<u16, Error> {
        self.check(Ops::STATUS, None)?;
        Ok(self.scu.violations())
    }

    pub fn user_allow(&mut self) -> Result<UserAllow, Error> {
        self.check(Ops::STATUS, None)?;
        Ok(self.scu.user_allow())
    }

    pub fn lockdown_threshold(&mut self) -> Result<LockdownThreshold, Error> {
        self.check(Ops::STATUS, None)?;
        Ok(self.scu.lockdown_threshold())
    }

    pub fn trng_status(&mut self) -> Result<TrngStatus, Error> {
        self.check(Ops::STATUS, None)?;
        Ok(self.scu.trng_status())
    }

    /// Needs [`Ops::STATUS`] and the slot.
    pub fn slot(&mut self, slot: u8) -> Result<SlotState, Error> {
        self.check(Ops::STATUS, Some(slot))?;
        self.scu.slot(slot)
    }

    // ---- Slot commands ----

    pub fn keygen(&mut self, slot: u8) -> Result<PublicKey, Error> {
        self.check(Ops::KEYGEN, Some(slot))?;
        self.scu.keygen(slot)
    }

    pub fn import(&mut self, slot: u8, d: &[u8; 32]) -> Result<PublicKey, Error> {
        self.check(Ops::IMPORT, Some(slot))?;
        self.scu.import(slot, d)
    }

    pub fn public_key(&mut self, slot: u8) -> Result<PublicKey, Error> {
        self.check(Ops::PUBKEY, Some(slot))?;
        self.scu.public_key(slot)
    }

    pub fn sign(&mut self, slot: u8, digest: &[u8; 32]) -> Result<Signature, Error> {
        self.check(Ops::SIGN, Some(slot))?;
        self.scu.sign(slot, digest)
    }

    pub fn ecdh(&mut self, slot: u8, peer: &PublicKey) -> Result<[u8; 32], Error> {
        self.check(Ops::ECDH, Some(slot))?;
        self.scu.ecdh(slot, peer)
    }

    // ---- Slot-less commands ----

    pub fn verify(
        &mut self,
        key: &PublicKey,
        digest: &[u8; 32],
        sig: &Signature,
    ) -> Result<bool, Error> {
        self.check(Ops::VERIFY, None)?;
        self.scu.verify(key, digest, sig)
    }

    pub fn random(&mut self, out: &mut [u8]) -> Result<(), Error> {
        self.check(Ops::RANDOM, None)?;
        self.scu.random(out)
    }

    pub fn zeroize(&mut self) -> Result<(), Error> {
        self.check(Ops::ZEROIZE, None)?;
        self.scu.zeroize()
    }

    pub fn keygen_ext(&mut self, d: &[u8; 32]) -> Result<PublicKey, Error> {
        self.check(Ops::EXT, None)?;
        self.scu.keygen_ext(d)
    }

    pub fn sign_ext(
        &mut self,
        d: &[u8; 32],
        digest: &[u8; 32],
        k: &[u8; 32],
    ) -> Result<Signature, Error> {
        self.check(Ops::EXT, None)?;
        self.scu.sign_ext(d, digest, k)
    }

    pub fn ecdh_ext(&mut self, d: &[u8; 32], peer: &PublicKey) -> Result<[u8; 32], Error> {
        self.check(Ops::EXT, None)?;
        self.scu.ecdh_ext(d, peer)
    }

    // ---- Configuration ----

    /// Needs [`Ops::LOCK`] and the slot.
    pub fn lock_slot(&mut self, slot: u8, write: bool, use_: bool) -> Result<(), Error> {
        self.check(Ops::LOCK, Some(slot))?;
        self.scu.lock_slot(slot, write, use_)
    }

    /// Needs [`Ops::CONFIG`] and the slot.
    pub fn set_policy(&mut self, slot: u8, policy: SlotPolicy) -> Result<(), Error> {
        self.check(Ops::CONFIG, Some(slot))?;
        self.scu.set_policy(slot, policy)
    }

    pub fn set_user_allow(&mut self, ops: u16, lock: bool) -> Result<(), Error> {
        self.check(Ops::CONFIG, None)?;
        self.scu.set_user_allow(ops, lock)
    }

    pub fn set_lockdown_threshold(&mut self, threshold: u8, lock: bool) -> Result<(), Error> {
        self.check(Ops::CONFIG, None)?;
        self.scu.set_lockdown_threshold(threshold, lock)
    }
}
