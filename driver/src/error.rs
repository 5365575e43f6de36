//! The driver's error model: the gate's error codes ([`ErrCode`], `ERR.code` / `ERR.last`), the
//! engine's completion status ([`EngineStatus`], `STATUS.engine_status`) and what a driver call
//! can return ([`Error`]).
//!
//! The numeric codes live in the register map (`regmap::scu::err::code`,
//! `regmap::scu::status::engine_status`); the enums here are tied to those named values by
//! table, so a renumbering in the map changes the driver with it and the tests check that every
//! named value has its variant.

use core::fmt;

use crate::regmap::scu::{err::code, status::engine_status as es};
use crate::regmap::EnumValue;

/// Why the gate refused an access or a command: the codes of `ERR.code` and `ERR.last`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrCode {
    /// Nothing refused (since reset).
    None,
    /// A user access to a privileged register, or a command `USER_ALLOW` does not open to users.
    Priv,
    /// A write to a locked register, or a key change in a write-locked slot.
    Locked,
    /// A command on a use-locked slot.
    UseLocked,
    /// A command the slot's policy does not allow.
    Policy,
    /// A command needing a key on an empty slot.
    EmptySlot,
    /// A CMD write or a window access while a command runs.
    Busy,
    /// An unknown op or a slot number beyond the slots.
    BadCmd,
    /// An unmapped offset, a read of a write-only window, a write to a read-only register.
    BadAddr,
    /// Any write in lockdown.
    Lockdown,
    /// A command needing random numbers while the TRNG is in alarm.
    Trng,
    /// A code this driver does not know (a newer map revision). [`ErrCode::from_code`] never
    /// returns it for a known code.
    Unknown(u8),
}

impl ErrCode {
    /// Every named code, in the map's order (the index is not the code: use [`ErrCode::code`]).
    pub const KNOWN: [ErrCode; 11] = [
        ErrCode::None,
        ErrCode::Priv,
        ErrCode::Locked,
        ErrCode::UseLocked,
        ErrCode::Policy,
        ErrCode::EmptySlot,
        ErrCode::Busy,
        ErrCode::BadCmd,
        ErrCode::BadAddr,
        ErrCode::Lockdown,
        ErrCode::Trng,
    ];

    /// The register map's named value, or `None` for [`ErrCode::Unknown`].
    pub const fn named(self) -> Option<EnumValue> {
        Some(match self {
            ErrCode::None => code::NONE,
            ErrCode::Priv => code::PRIV,
            ErrCode::Locked => code::LOCKED,
            ErrCode::UseLocked => code::USE_LOCKED,
            ErrCode::Policy => code::POLICY,
            ErrCode::EmptySlot => code::EMPTY_SLOT,
            ErrCode::Busy => code::BUSY,
            ErrCode::BadCmd => code::BAD_CMD,
            ErrCode::BadAddr => code::BAD_ADDR,
            ErrCode::Lockdown => code::LOCKDOWN,
            ErrCode::Trng => code::TRNG,
            ErrCode::Unknown(_) => return None,
        })
    }

    /// The variant for a value of `ERR.code` or `ERR.last`.
    pub const fn from_code(value: u8) -> ErrCode {
        let mut i = 0;
        while i < Self::KNOWN.len() {
            if let Some(named) = Self::KNOWN[i].named() {
                if named.value == value as u32 {
                    return Self::KNOWN[i];
                }
            }
            i += 1;
        }
        ErrCode::Unknown(value)
    }

    /// The value `ERR` holds for this code.
    pub const fn code(self) -> u8 {
        match self.named() {
            Some(named) => named.value as u8,
            None => match self {
                ErrCode::Unknown(value) => value,
                _ => unreachable!(),
            },
        }
    }

    /// The map's name (`"POLICY"`), or `"UNKNOWN"`.
    pub const fn name(self) -> &'static str {
        match self.named() {
            Some(named) => named.name,
            None => "UNKNOWN",
        }
    }
}

impl fmt::Display for ErrCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.named() {
            Some(named) => write!(f, "{} ({})", named.name, named.desc),
            None => write!(f, "unknown error code {}", self.code()),
        }
    }
}

/// How an engine command ended: `STATUS.engine_status`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum EngineStatus {
    /// Success (VERIFY: the signature is valid).
    Ok,
    /// A private key or nonce is 0 or not below n.
    BadScalar,
    /// A public key is not a point of P-256.
    BadPoint,
    /// SIGN produced r = 0 (the gate retries SIGN_SLOT itself; SIGN_EXT reports it).
    RZero,
    /// SIGN produced s = 0 (as for [`EngineStatus::RZero`]).
    SZero,
    /// VERIFY: the signature does not match ([`crate::Scu::verify`] returns `Ok(false)`).
    InvalidSig,
    /// The engine got an unknown command.
    BadCmd,
    /// The TRNG raised its alarm while the command drew random words; nothing was stored.
    TrngFail,
}

impl EngineStatus {
    /// Every status, in the map's order.
    pub const ALL: [EngineStatus; 8] = [
        EngineStatus::Ok,
        EngineStatus::BadScalar,
        EngineStatus::BadPoint,
        EngineStatus::RZero,
        EngineStatus::SZero,
        EngineStatus::InvalidSig,
        EngineStatus::BadCmd,
        EngineStatus::TrngFail,
    ];

    /// The register map's named value.
    pub const fn named(self) -> EnumValue {
        match self {
            EngineStatus::Ok => es::OK,
            EngineStatus::BadScalar => es::BAD_SCALAR,
            EngineStatus::BadPoint => es::BAD_POINT,
            EngineStatus::RZero => es::R_ZERO,
            EngineStatus::SZero => es::S_ZERO,
            EngineStatus::InvalidSig => es::INVALID_SIG,
            EngineStatus::BadCmd => es::BAD_CMD,
            EngineStatus::TrngFail => es::TRNG_FAIL,
        }
    }

    /// The status for a value of `STATUS.engine_status`; `None` for a value the map does not
    /// name (none of the field's 3-bit values).
    pub const fn from_code(value: u8) -> Option<EngineStatus> {
        let mut i = 0;
        while i < Self::ALL.len() {
            if Self::ALL[i].named().value == value as u32 {
                return Some(Self::ALL[i]);
            }
            i += 1;
        }
        None
    }

    /// The value of `STATUS.engine_status`.
    pub const fn code(self) -> u8 {
        self.named().value as u8
    }

    /// The map's name (`"INVALID_SIG"`).
    pub const fn name(self) -> &'static str {
        self.named().name
    }
}

impl fmt::Display for EngineStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let named = self.named();
        write!(f, "{} ({})", named.name, named.desc)
    }
}

/// What a driver call can fail with.
///
/// The variants say *who* said no, which matters for what the caller may conclude:
/// [`Error::Denied`] and [`Error::BadArgument`] are the driver's own decisions (no bus access
/// was made, the SCU saw nothing); [`Error::Refused`] is the hardware gate's (a violation: it
/// counted in `VIOLATIONS`, pulsed `alert` and brings lockdown closer); [`Error::Engine`] is a
/// command that ran and ended with a non-OK status (not a violation).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Error {
    /// [`crate::Scu::probe`]: `ID` does not hold the SCU magic, or a map version this driver
    /// does not know. `id` is the word read.
    NotScu { id: u32 },
    /// The gate refused an access or the command (a violation); the code is `ERR.last`.
    Refused(ErrCode),
    /// The command ran and ended with this non-OK status; its results read 0 and were not read.
    Engine(EngineStatus),
    /// The capability ([`crate::App`]) does not allow the operation on this slot: no bus access
    /// was made.
    Denied,
    /// An argument does not fit its register field (a slot above `CMD.slot`'s 15, an op above
    /// `CMD.op`'s 15): it cannot be encoded without aliasing another slot or op, so no bus
    /// access was made. Slots the field can hold but the SCU does not have (8 to 15 with the
    /// default 8 slots) go to the hardware, which refuses them.
    BadArgument,
    /// Still busy (or, for [`crate::Scu::random`], no TRNG word) after the poll budget
    /// ([`crate::Scu::set_poll_limit`]). The command may still be running.
    Timeout,
    /// The command was accepted but ended without `STATUS.done`: lockdown (another agent's
    /// violation) or a reset abandoned it. Nothing it computed is readable.
    Aborted,
    /// [`crate::Scu::random`]: the TRNG is in alarm; `tests` is `TRNG_STATUS.alarm_test` (bit 0
    /// repetition count, bit 1 adaptive proportion, bit 2 lag-1). The output was zeroed.
    TrngAlarm { tests: u8 },
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotScu { id } => write!(f, "no SCU of a known map version: ID reads {id:#010x}"),
            Error::Refused(code) => write!(f, "refused by the SCU's gate: {code}"),
            Error::Engine(status) => write!(f, "the command ended with {status}"),
            Error::Denied => f.write_str("not allowed by the capability (no bus access made)"),
            Error::BadArgument => {
                f.write_str("argument does not fit its register field (no bus access made)")
            }
            Error::Timeout => f.write_str("the SCU is still busy after the poll budget"),
            Error::Aborted => {
                f.write_str("the command was abandoned (lockdown or reset) before it completed")
            }
            Error::TrngAlarm { tests } => write!(f, "the TRNG is in alarm (tests {tests:#05b})"),
        }
    }
}
