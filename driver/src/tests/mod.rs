//! Unit tests of the driver against the scripted fake bus ([`crate::fake`]).

mod capability;
mod device;
mod link;
mod types;

use crate::fake::Fake;
use crate::regmap::scu::OPERAND_WORDS;
use crate::Scu;

/// A privileged driver on a fresh fake.
fn scu() -> Scu<Fake> {
    Scu::new(Fake::default(), true)
}

/// Bytes 0, 1, 2, … 31 plus `offset`.
fn bytes(offset: u8) -> [u8; 32] {
    core::array::from_fn(|i| i as u8 + offset)
}

/// The words `bytes(offset)` maps to, most significant first.
fn words(offset: u8) -> [u32; OPERAND_WORDS as usize] {
    let b = bytes(offset);
    core::array::from_fn(|i| {
        u32::from_be_bytes([b[4 * i], b[4 * i + 1], b[4 * i + 2], b[4 * i + 3]])
    })
}
