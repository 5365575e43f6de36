//! The command table (`docs/gate.md`, "Commands"): for each `CMD.op`, which engine command
//! it runs, its state sequence, and what it needs before it may start. The codes come from
//! the register map; the engine's own tables give each command's outputs.

use scu_driver::regmap::scu::cmd::op;

use crate::engine::isa::Reg;
use crate::engine::program::reg::{D, NONCE};
use crate::engine::{output_regs, Command, Status};

use super::slots::Policy;

const fn code(v: scu_driver::regmap::EnumValue) -> u8 {
    v.value as u8
}

pub const NOP: u8 = code(op::NOP);
pub const KEYGEN_SLOT: u8 = code(op::KEYGEN_SLOT);
pub const SIGN_SLOT: u8 = code(op::SIGN_SLOT);
pub const VERIFY: u8 = code(op::VERIFY);
pub const ECDH_SLOT: u8 = code(op::ECDH_SLOT);
pub const IMPORT_SLOT: u8 = code(op::IMPORT_SLOT);
pub const PUBKEY_SLOT: u8 = code(op::PUBKEY_SLOT);
pub const ZEROIZE: u8 = code(op::ZEROIZE);
pub const KEYGEN_EXT: u8 = code(op::KEYGEN_EXT);
pub const SIGN_EXT: u8 = code(op::SIGN_EXT);
pub const ECDH_EXT: u8 = code(op::ECDH_EXT);
/// Ops above it are BAD_CMD.
pub const LAST_OP: u8 = ECDH_EXT;

/// One state of a command's sequence (the table in "Commands"); ZERO and IDLE are not part
/// of any sequence.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    Load,
    Draw(Reg),
    Lambda,
    Start,
    Wait,
    Store,
    Scrub,
}

use Phase::*;

/// The states after the CMD write, in order. After WAIT: a retryable status goes back to the
/// first state, another failure skips to SCRUB (so no STORE), OK goes on.
pub fn sequence(op: u8) -> &'static [Phase] {
    match op {
        KEYGEN_SLOT => &[Draw(D), Lambda, Start, Wait, Store, Scrub],
        SIGN_SLOT => &[Load, Draw(NONCE), Lambda, Start, Wait, Scrub],
        VERIFY => &[Start, Wait, Scrub],
        ECDH_SLOT | PUBKEY_SLOT => &[Load, Lambda, Start, Wait, Scrub],
        IMPORT_SLOT => &[Lambda, Start, Wait, Store, Scrub],
        KEYGEN_EXT | SIGN_EXT | ECDH_EXT => &[Lambda, Start, Wait, Scrub],
        _ => &[],
    }
}

pub fn engine_command(op: u8) -> Option<Command> {
    match op {
        KEYGEN_SLOT | IMPORT_SLOT | PUBKEY_SLOT | KEYGEN_EXT => Some(Command::Keygen),
        SIGN_SLOT | SIGN_EXT => Some(Command::Sign),
        ECDH_SLOT | ECDH_EXT => Some(Command::Ecdh),
        VERIFY => Some(Command::Verify),
        _ => None,
    }
}

/// Registers SCRUB keeps when the command succeeds: the engine command's outputs.
pub fn outputs(op: u8) -> &'static [Reg] {
    engine_command(op).map_or(&[], output_regs)
}

/// The random scalar was unusable: draw another (a 2⁻³² event with a healthy TRNG).
pub fn retries_on(op: u8, status: Status) -> bool {
    match op {
        KEYGEN_SLOT => status == Status::BadScalar,
        SIGN_SLOT => matches!(status, Status::BadScalar | Status::RZero | Status::SZero),
        _ => false,
    }
}

pub fn is_slot_op(op: u8) -> bool {
    matches!(
        op,
        KEYGEN_SLOT | SIGN_SLOT | ECDH_SLOT | IMPORT_SLOT | PUBKEY_SLOT
    )
}

/// KEYGEN_SLOT and SIGN_SLOT draw their scalar; with the countermeasure on, every command
/// with a secret scalar draws λ.
pub fn needs_trng(op: u8, randomize: bool) -> bool {
    match op {
        KEYGEN_SLOT | SIGN_SLOT => true,
        _ => randomize && matches!(engine_command(op), Some(c) if c != Command::Verify),
    }
}

/// The slot must hold a key (KEYGEN and IMPORT write one).
pub fn needs_key(op: u8) -> bool {
    matches!(op, SIGN_SLOT | ECDH_SLOT | PUBKEY_SLOT)
}

/// The op writes the slot's key, which `wlock` forbids.
pub fn writes_key(op: u8) -> bool {
    matches!(op, KEYGEN_SLOT | IMPORT_SLOT)
}

/// The slot's policy admits the op (only SIGN and ECDH have an allow bit).
pub fn policy_allows(op: u8, p: &Policy) -> bool {
    match op {
        SIGN_SLOT => p.allow_sign,
        ECDH_SLOT => p.allow_ecdh,
        _ => true,
    }
}
