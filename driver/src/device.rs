//! [`Scu`]: the driver proper — the command protocol over a [`Bus`], with every refusal, engine
//! failure and timeout turned into an [`Error`].
//!
//! `Scu` is the privileged-side (or test-side) handle: it passes every request to the hardware
//! and lets the gate decide (a slot the SCU does not have is sent and refused with BAD_CMD, not
//! pre-empted). Applications get an [`crate::App`] instead, which checks a capability first.
//!
//! Protocol of a command (see `docs/driver.md`):
//!
//! 1. poll `STATUS` until not busy;
//! 2. read `VIOLATIONS`;
//! 3. write the operand windows, word 0 (the most significant 32 bits) first;
//! 4. write `CMD` = `op | slot << 4` (via `cmd::OP.put` / `cmd::SLOT.put`);
//! 5. read `VIOLATIONS`: changed → the gate refused an operand write or the command:
//!    `Refused(ERR.last)`; any private operand written (`OP_D`, `OP_K`) is overwritten with 0 if
//!    the SCU is idle and not in lockdown (where that write cannot be refused);
//! 6. poll `STATUS` until not busy (`Timeout` after the poll budget); `done` clear → `Aborted`;
//!    `engine_status` not OK → `Engine(status)` (VERIFY: INVALID_SIG → `Ok(false)`);
//! 7. read the declared result windows, then `VIOLATIONS` once more (a changed count means a
//!    result read was refused and returned 0: `Refused(ERR.last)`).
//!
//! **Blind spot**: `VIOLATIONS` saturates at 0xFFFF, and a saturated counter cannot show a new
//! violation. When the count read in step 2 is 0xFFFF the driver falls back to `STATUS`: it
//! reads `STATUS` right after the `CMD` write and takes the command as accepted only if `busy`
//! is set (an accepted command keeps the SCU busy for at least the 256 cycles of its scrub, and
//! this read follows the write by a few cycles). This never takes a refused command for an
//! accepted one; it reports a false refusal if the processor stalls for longer than the
//! command between the two accesses (or for NOP, which is never busy). Config writes fall back
//! to reading the register back; step 7's check and the refusal of [`Scu::slot`]'s read are
//! not detected while saturated. A counter can only saturate with lockdown disabled
//! (threshold 0) or in lockdown (the threshold is at most 255), where every command is refused
//! anyway and the fallback sees it.

use crate::bus::Bus;
use crate::error::{EngineStatus, ErrCode, Error};
use crate::regmap::scu::{
    addr, cmd, err, id, status, trng_alarm_sample, trng_apt_fails, trng_lag_fails, trng_rct_fails,
    trng_samples, trng_status, violations, ID_MAGIC, MAP_VERSION, OPERAND_WORDS, OP_D, OP_K, OP_R,
    OP_S, OP_X, OP_Y, OP_Z, RES_R, RES_S, RES_X, RES_Y,
};
use crate::regmap::{EnumValue, Register, WORD_BYTES};
use crate::types::{
    Info, LockdownThreshold, PublicKey, Signature, SlotPolicy, SlotState, Status, TrngStatus,
    UserAllow, SCALAR_BYTES,
};

/// Default poll budget: `STATUS` (or `TRNG_STATUS`) reads before [`Error::Timeout`].
///
/// Every bus access costs the SCU at least 3 cycles (request, ACT, ACK), so 4 M polls cover at
/// least 12 M cycles: more than 6× the slowest command of the smallest preset (W = 16 VERIFY,
/// ≤ 1.8 M engine cycles plus the gate's few hundred).
pub const DEFAULT_POLL_LIMIT: u64 = 4_000_000;

/// `VIOLATIONS` at saturation: it cannot show a new violation any more.
const SATURATED: u16 = violations::COUNT.max() as u16;

/// The SCU behind a [`Bus`], accessed with one privilege level.
#[derive(Debug)]
pub struct Scu<B: Bus> {
    bus: B,
    privileged: bool,
    poll_limit: u64,
}

/// A command the gate accepted and that completed (`done`), with its status.
struct Ran {
    status: EngineStatus,
    /// `VIOLATIONS` before the command, for the check after the result reads.
    violations: u16,
}

impl<B: Bus> Scu<B> {
    /// A driver whose every access carries privilege bit `privileged`. Makes no bus access.
    pub fn new(bus: B, privileged: bool) -> Self {
        Scu {
            bus,
            privileged,
            poll_limit: DEFAULT_POLL_LIMIT,
        }
    }

    /// The bus, for accesses outside the driver's protocol (tests, debugging).
    pub fn bus(&mut self) -> &mut B {
        &mut self.bus
    }

    /// The bus, read-only (inspecting a simulated device between commands).
    pub fn bus_ref(&self) -> &B {
        &self.bus
    }

    pub fn into_bus(self) -> B {
        self.bus
    }

    pub fn privileged(&self) -> bool {
        self.privileged
    }

    /// The privilege bit of the accesses from now on (a simulated bus honours it; [`crate::Mmio`]
    /// cannot — there the CPU's mode decides).
    pub fn set_privileged(&mut self, privileged: bool) {
        self.privileged = privileged;
    }

    pub fn poll_limit(&self) -> u64 {
        self.poll_limit
    }

    /// Status reads per wait before [`Error::Timeout`] (at least 1; default
    /// [`DEFAULT_POLL_LIMIT`]). Applies to each wait: for idle, for a command's completion, for
    /// each TRNG word.
    pub fn set_poll_limit(&mut self, polls: u64) {
        self.poll_limit = polls;
    }

    fn read(&mut self, offset: u32) -> u32 {
        self.bus.read32(offset, self.privileged)
    }

    fn write(&mut self, offset: u32, value: u32) {
        self.bus.write32(offset, value, self.privileged)
    }

    // ---- Status ----

    /// Reads `ID`: [`Error::NotScu`] unless it holds the SCU magic and this driver's map version.
    pub fn probe(&mut self) -> Result<Info, Error> {
        let word = self.read(addr::ID);
        if id::MAGIC.get(word) != ID_MAGIC || id::VERSION.get(word) != MAP_VERSION {
            return Err(Error::NotScu { id: word });
        }
        Ok(Info::from_word(word))
    }

    /// `STATUS`, `ERR` and `VIOLATIONS` (three reads; none of them can be refused).
    pub fn status(&mut self) -> Status {
        let status_word = self.read(addr::STATUS);
        let err_word = self.read(addr::ERR);
        let violations_word = self.read(addr::VIOLATIONS);
        Status::from_words(status_word, err_word, violations_word)
    }

    /// `VIOLATIONS`.
    pub fn violations(&mut self) -> u16 {
        violations::COUNT.get(self.read(addr::VIOLATIONS)) as u16
    }

    /// `ERR.last`: why the latest refused access was refused.
    pub fn last_error(&mut self) -> ErrCode {
        ErrCode::from_code(err::LAST.get(self.read(addr::ERR)) as u8)
    }

    /// `USER_ALLOW` (readable by both privilege levels).
    pub fn user_allow(&mut self) -> UserAllow {
        UserAllow::from_word(self.read(addr::USER_ALLOW))
    }

    /// `LOCKDOWN_THRESHOLD` (readable by both privilege levels).
    pub fn lockdown_threshold(&mut self) -> LockdownThreshold {
        LockdownThreshold::from_word(self.read(addr::LOCKDOWN_THRESHOLD))
    }

    /// `TRNG_STATUS` and the TRNG's health counters (six reads, none refused, none consuming).
    pub fn trng_status(&mut self) -> TrngStatus {
        let mut trng = TrngStatus::from_status_word(self.read(addr::TRNG_STATUS));
        trng.rct_fails = trng_rct_fails::COUNT.get(self.read(addr::TRNG_RCT_FAILS)) as u16;
        trng.apt_fails = trng_apt_fails::COUNT.get(self.read(addr::TRNG_APT_FAILS)) as u16;
        trng.lag_fails = trng_lag_fails::COUNT.get(self.read(addr::TRNG_LAG_FAILS)) as u16;
        trng.samples = trng_samples::COUNT.get(self.read(addr::TRNG_SAMPLES));
        trng.alarm_sample = trng_alarm_sample::COUNT.get(self.read(addr::TRNG_ALARM_SAMPLE));
        trng
    }

    /// Polls `STATUS` until not busy; returns the last word read.
    fn poll_status(&mut self) -> Result<u32, Error> {
        for _ in 0..self.poll_limit.max(1) {
            let word = self.read(addr::STATUS);
            if status::BUSY.get(word) == 0 {
                return Ok(word);
            }
        }
        Err(Error::Timeout)
    }

    /// Waits until no command runs (also the 256 cycles of zeroization after reset).
    pub fn wait_idle(&mut self) -> Result<(), Error> {
        self.poll_status().map(|_| ())
    }

    // ---- Windows and the command protocol ----

    /// Writes a 256-bit big-endian integer into an operand window (`&regmap::scu::OP_X`…),
    /// word 0 (most significant) first. No checks: see [`Scu::execute`].
    ///
    /// # Panics
    ///
    /// If `window` is not an 8-word window.
    pub fn write_window(&mut self, window: &Register, value: &[u8; 32]) {
        assert_eq!(window.count(), OPERAND_WORDS, "not an operand window");
        for (i, chunk) in value.chunks_exact(WORD_BYTES as usize).enumerate() {
            // One word at a time: no second copy of a private operand on the stack.
            self.write(
                window.at(i as u32),
                u32::from_be_bytes(chunk.try_into().unwrap()),
            );
        }
    }

    /// Reads a window (`&regmap::scu::RES_X`…) as a 256-bit big-endian integer. No checks: a
    /// refused read (a write-only window, or while busy) returns 0 words.
    ///
    /// # Panics
    ///
    /// If `window` is not an 8-word window.
    pub fn read_window(&mut self, window: &Register) -> [u8; 32] {
        assert_eq!(window.count(), OPERAND_WORDS, "not an operand window");
        let mut out = [0; SCALAR_BYTES];
        for (i, chunk) in out.chunks_exact_mut(WORD_BYTES as usize).enumerate() {
            chunk.copy_from_slice(&self.read(window.at(i as u32)).to_be_bytes());
        }
        out
    }

    /// Runs CMD op `op` on slot `slot` with the given operand windows, following the protocol
    /// of the module documentation up to completion, and returns the engine status whatever it
    /// is (results are then in the `RES_` windows for [`Scu::read_window`]). The raw form of
    /// every command method, for tests: any op is sent, an unknown one is refused by the gate
    /// (BAD_CMD). [`Error::BadArgument`] only if `op` or `slot` does not fit its 4-bit field.
    pub fn execute(
        &mut self,
        op: u8,
        slot: u8,
        operands: &[(&Register, &[u8; 32])],
    ) -> Result<EngineStatus, Error> {
        if op as u32 > cmd::OP.max() {
            return Err(Error::BadArgument);
        }
        self.command(op as u32, slot, operands)
            .map(|ran| ran.status)
    }

    fn command(
        &mut self,
        op: u32,
        slot: u8,
        operands: &[(&Register, &[u8; 32])],
    ) -> Result<Ran, Error> {
        if slot as u32 > cmd::SLOT.max() {
            return Err(Error::BadArgument);
        }
        self.wait_idle()?;
        let before = self.violations();
        for (window, value) in operands {
            self.write_window(window, value);
        }
        self.write(addr::CMD, cmd::OP.put(op) | cmd::SLOT.put(slot as u32));
        let accepted = if before == SATURATED {
            // Blind spot fallback (module docs): accepted iff busy right after the write.
            status::BUSY.get(self.read(addr::STATUS)) != 0
        } else {
            self.violations() == before
        };
        if !accepted {
            return Err(self.refused_command(operands));
        }
        let word = self.poll_status()?;
        if status::DONE.get(word) == 0 {
            return Err(Error::Aborted);
        }
        let status = match EngineStatus::from_code(status::ENGINE_STATUS.get(word) as u8) {
            Some(status) => status,
            // The map names every value of the 3-bit field.
            None => unreachable!(),
        };
        Ok(Ran {
            status,
            violations: before,
        })
    }

    /// After a refused command: `Refused(ERR.last)`, and the private operand windows it wrote
    /// overwritten with 0 if that write cannot be refused (idle, not in lockdown).
    fn refused_command(&mut self, operands: &[(&Register, &[u8; 32])]) -> Error {
        let code = self.last_error();
        let secret = |w: &Register| w.offset == addr::OP_D || w.offset == addr::OP_K;
        if operands.iter().any(|(w, _)| secret(w)) {
            let word = self.read(addr::STATUS);
            if status::BUSY.get(word) == 0 && status::LOCKDOWN.get(word) == 0 {
                for (window, _) in operands.iter().filter(|(w, _)| secret(w)) {
                    self.write_window(window, &[0; SCALAR_BYTES]);
                }
            }
        }
        Error::Refused(code)
    }

    /// The result windows of a command that ended OK, checked for refused reads.
    fn results<const N: usize>(
        &mut self,
        ran: &Ran,
        windows: [&Register; N],
    ) -> Result<[[u8; 32]; N], Error> {
        if ran.status != EngineStatus::Ok {
            return Err(Error::Engine(ran.status));
        }
        let mut out = [[0; SCALAR_BYTES]; N];
        for (value, window) in out.iter_mut().zip(windows) {
            *value = self.read_window(window);
        }
        if ran.violations != SATURATED && self.violations() != ran.violations {
            return Err(Error::Refused(self.last_error()));
        }
        Ok(out)
    }

    fn public_key_command(
        &mut self,
        op: EnumValue,
        slot: u8,
        operands: &[(&Register, &[u8; 32])],
    ) -> Result<PublicKey, Error> {
        let ran = self.command(op.value, slot, operands)?;
        let [x, y] = self.results(&ran, [&RES_X, &RES_Y])?;
        Ok(PublicKey { x, y })
    }

    fn signature_command(
        &mut self,
        op: EnumValue,
        slot: u8,
        operands: &[(&Register, &[u8; 32])],
    ) -> Result<Signature, Error> {
        let ran = self.command(op.value, slot, operands)?;
        let [r, s] = self.results(&ran, [&RES_R, &RES_S])?;
        Ok(Signature { r, s })
    }

    fn shared_secret_command(
        &mut self,
        op: EnumValue,
        slot: u8,
        operands: &[(&Register, &[u8; 32])],
    ) -> Result<[u8; 32], Error> {
        let ran = self.command(op.value, slot, operands)?;
        let [x] = self.results(&ran, [&RES_X])?;
        Ok(x)
    }

    // ---- Commands ----

    /// KEYGEN_SLOT: a new private key from the TRNG into `slot`; its public key.
    pub fn keygen(&mut self, slot: u8) -> Result<PublicKey, Error> {
        self.public_key_command(cmd::op::KEYGEN_SLOT, slot, &[])
    }

    /// IMPORT_SLOT: private key `d` into `slot` (the gate then sets the slot's `wlock`); its
    /// public key. `d` outside [1, n−1] → `Engine(BadScalar)`, nothing stored.
    pub fn import(&mut self, slot: u8, d: &[u8; 32]) -> Result<PublicKey, Error> {
        self.public_key_command(cmd::op::IMPORT_SLOT, slot, &[(&OP_D, d)])
    }

    /// PUBKEY_SLOT: the public key of `slot`'s key.
    pub fn public_key(&mut self, slot: u8) -> Result<PublicKey, Error> {
        self.public_key_command(cmd::op::PUBKEY_SLOT, slot, &[])
    }

    /// SIGN_SLOT: ECDSA signature of `digest` (the hash as a big-endian integer) with `slot`'s
    /// key and a TRNG nonce.
    pub fn sign(&mut self, slot: u8, digest: &[u8; 32]) -> Result<Signature, Error> {
        self.signature_command(cmd::op::SIGN_SLOT, slot, &[(&OP_Z, digest)])
    }

    /// ECDH_SLOT: x of `slot`'s key times `peer`.
    pub fn ecdh(&mut self, slot: u8, peer: &PublicKey) -> Result<[u8; 32], Error> {
        self.shared_secret_command(
            cmd::op::ECDH_SLOT,
            slot,
            &[(&OP_X, &peer.x), (&OP_Y, &peer.y)],
        )
    }

    /// VERIFY: `Ok(true)` for a valid signature, `Ok(false)` for INVALID_SIG, `Engine(BadPoint)`
    /// for a key off the curve.
    pub fn verify(
        &mut self,
        key: &PublicKey,
        digest: &[u8; 32],
        sig: &Signature,
    ) -> Result<bool, Error> {
        let ran = self.command(
            cmd::op::VERIFY.value,
            0,
            &[
                (&OP_X, &key.x),
                (&OP_Y, &key.y),
                (&OP_Z, digest),
                (&OP_R, &sig.r),
                (&OP_S, &sig.s),
            ],
        )?;
        match ran.status {
            EngineStatus::Ok => Ok(true),
            EngineStatus::InvalidSig => Ok(false),
            other => Err(Error::Engine(other)),
        }
    }

    /// KEYGEN_EXT: the public key of `d` (test vectors; nothing is stored).
    pub fn keygen_ext(&mut self, d: &[u8; 32]) -> Result<PublicKey, Error> {
        self.public_key_command(cmd::op::KEYGEN_EXT, 0, &[(&OP_D, d)])
    }

    /// SIGN_EXT: ECDSA signature of `digest` with key `d` and nonce `k` (test vectors).
    pub fn sign_ext(
        &mut self,
        d: &[u8; 32],
        digest: &[u8; 32],
        k: &[u8; 32],
    ) -> Result<Signature, Error> {
        self.signature_command(
            cmd::op::SIGN_EXT,
            0,
            &[(&OP_D, d), (&OP_Z, digest), (&OP_K, k)],
        )
    }

    /// ECDH_EXT: x of `d` times `peer` (test vectors).
    pub fn ecdh_ext(&mut self, d: &[u8; 32], peer: &PublicKey) -> Result<[u8; 32], Error> {
        self.shared_secret_command(
            cmd::op::ECDH_EXT,
            0,
            &[(&OP_D, d), (&OP_X, &peer.x), (&OP_Y, &peer.y)],
        )
    }

    /// ZEROIZE: every slot, engine register and window to 0, every slot empty.
    pub fn zeroize(&mut self) -> Result<(), Error> {
        let ran = self.command(cmd::op::ZEROIZE.value, 0, &[])?;
        match ran.status {
            EngineStatus::Ok => Ok(()),
            other => Err(Error::Engine(other)),
        }
    }

    /// Fills `out` from `TRNG_DATA`, each word's bytes most significant first (a final partial
    /// word contributes its leading bytes). Before each word, polls `TRNG_STATUS` until `ready`
    /// (budget: [`Scu::set_poll_limit`] per word; `ready` is 0 while a command runs); after the
    /// last, checks the alarm once more, since a word on offer is withdrawn at the alarm's edge
    /// and a read racing it returns 0. Alarm → [`Error::TrngAlarm`]. On any error `out` is
    /// zeroed.
    pub fn random(&mut self, out: &mut [u8]) -> Result<(), Error> {
        let result = self.fill_random(out);
        if result.is_err() {
            out.fill(0);
        }
        result
    }

    fn fill_random(&mut self, out: &mut [u8]) -> Result<(), Error> {
        if out.is_empty() {
            return Ok(());
        }
        for chunk in out.chunks_mut(WORD_BYTES as usize) {
            let word = self.trng_word()?;
            chunk.copy_from_slice(&word.to_be_bytes()[..chunk.len()]);
        }
        let word = self.read(addr::TRNG_STATUS);
        if trng_status::ALARM.get(word) != 0 {
            return Err(Error::TrngAlarm {
                tests: trng_status::ALARM_TEST.get(word) as u8,
            });
        }
        Ok(())
    }

    fn trng_word(&mut self) -> Result<u32, Error> {
        for _ in 0..self.poll_limit.max(1) {
            let word = self.read(addr::TRNG_STATUS);
            if trng_status::ALARM.get(word) != 0 {
                return Err(Error::TrngAlarm {
                    tests: trng_status::ALARM_TEST.get(word) as u8,
                });
            }
            if trng_status::READY.get(word) != 0 {
                return Ok(self.read(addr::TRNG_DATA));
            }
        }
        Err(Error::Timeout)
    }

    // ---- Slots and configuration ----

    fn slot_offset(slot: u8) -> Result<u32, Error> {
        // Slots the SCU lacks but CMD.slot can name (8..=15) go to the hardware, which refuses
        // them (unmapped: BAD_ADDR); beyond, the offset would reach the TRNG registers.
        if slot as u32 > cmd::SLOT.max() {
            return Err(Error::BadArgument);
        }
        Ok(addr::SLOT_POLICY + slot as u32 * WORD_BYTES)
    }

    /// `Refused(ERR.last)` if `VIOLATIONS` moved from `before`; while saturated, nothing
    /// (the caller's fallback decides).
    fn check_violations(&mut self, before: u16) -> Result<(), Error> {
        if before != SATURATED && self.violations() != before {
            return Err(Error::Refused(self.last_error()));
        }
        Ok(())
    }

    /// Writes a configuration register and checks the gate took it: by `VIOLATIONS`, or while
    /// saturated by reading back the bits in `mask` (a refused write that would not have changed
    /// them then passes unnoticed — the register holds what was asked).
    fn config_write(
        &mut self,
        before: u16,
        offset: u32,
        value: u32,
        mask: u32,
    ) -> Result<(), Error> {
        self.write(offset, value);
        if before == SATURATED {
            if self.read(offset) & mask != value & mask {
                return Err(Error::Refused(self.last_error()));
            }
            return Ok(());
        }
        self.check_violations(before)
    }

    /// `SLOT_POLICY[slot]`. A slot the SCU does not have → `Refused(BadAddr)`.
    pub fn slot(&mut self, slot: u8) -> Result<SlotState, Error> {
        let offset = Self::slot_offset(slot)?;
        let before = self.violations();
        let word = self.read(offset);
        self.check_violations(before)?;
        Ok(SlotState::from_word(word))
    }

    /// Writes `SLOT_POLICY[slot]` (privileged). The gate refuses clearing a set lock or changing
    /// `allow_*` under `wlock` (LOCKED), an unprivileged write (PRIV).
    pub fn set_policy(&mut self, slot: u8, policy: SlotPolicy) -> Result<(), Error> {
        let offset = Self::slot_offset(slot)?;
        let before = self.violations();
        self.config_write(before, offset, policy.to_word(), SlotPolicy::MASK)
    }

    /// Sets `wlock` (`write`) and/or `ulock` (`use_`) of `slot`, keeping its other policy bits
    /// (read-modify-write; both reads and the write are checked).
    pub fn lock_slot(&mut self, slot: u8, write: bool, use_: bool) -> Result<(), Error> {
        let offset = Self::slot_offset(slot)?;
        let before = self.violations();
        let mut policy = SlotPolicy::from_word(self.read(offset));
        self.check_violations(before)?;
        policy.wlock |= write;
        policy.ulock |= use_;
        self.config_write(before, offset, policy.to_word(), SlotPolicy::MASK)
    }

    /// Writes `USER_ALLOW` (privileged): bit n of `ops` opens CMD op n to unprivileged
    /// software; `lock` freezes it until reset.
    pub fn set_user_allow(&mut self, ops: u16, lock: bool) -> Result<(), Error> {
        let before = self.violations();
        let word = UserAllow { ops, lock }.to_word();
        self.config_write(before, addr::USER_ALLOW, word, UserAllow::MASK)
    }

    /// Writes `LOCKDOWN_THRESHOLD` (privileged); 0 disables lockdown; `lock` freezes it.
    pub fn set_lockdown_threshold(&mut self, threshold: u8, lock: bool) -> Result<(), Error> {
        let before = self.violations();
        let word = LockdownThreshold { threshold, lock }.to_word();
        self.config_write(
            before,
            addr::LOCKDOWN_THRESHOLD,
            word,
            LockdownThreshold::MASK,
        )
    }
}
