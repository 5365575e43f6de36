//! The register map as `const` data: one description that every consumer reads.
//!
//! - The generator (`scu_hdl::regmap`) prints it as Markdown, a C header and SystemRDL.
//! - The HDL bus decoder and the golden model of the bus take offsets from [`scu::addr`] (plain
//!   `u32` constants, usable as `match` patterns) and bit positions from the [`Field`]
//!   constants (`scu::status::BUSY.mask()`), or walk [`RegMap::registers`] / [`RegMap::decode`]
//!   when they build tables.
//! - The driver uses the same constants for MMIO: `base + scu::addr::CMD`,
//!   `scu::cmd::OP.put(scu::cmd::op::SIGN_SLOT.value)`.
//!
//! Everything is `const`, needs neither `std` nor `alloc`, and the SCU map is checked by
//! [`RegMap::validate`] at compile time, so an edit that makes two registers overlap does not
//! build.

pub mod scu;
mod validate;

pub use scu::SCU;
pub use validate::Error;

/// Data width of every register, in bits.
pub const WORD_BITS: u32 = 32;
/// Bytes per register word; offsets and strides are multiples of it.
pub const WORD_BYTES: u32 = WORD_BITS / 8;

/// What software may do with a field, and what a read or write does besides.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Access {
    /// Read-only: hardware drives the value.
    Ro,
    /// Read-only; hardware sets the value and it then holds until reset.
    RoSticky,
    /// Read-only; every read consumes the value (the hardware presents the next one).
    RoPop,
    /// Write-only: reads return 0.
    Wo,
    /// Read and write.
    Rw,
    /// Sticky bit (locks): a write of 1 sets it, and only reset clears it.
    W1s,
    /// Hardware sets it; write 1 to clear.
    W1c,
}

impl Access {
    pub const ALL: [Access; 7] = [
        Access::Ro,
        Access::RoSticky,
        Access::RoPop,
        Access::Wo,
        Access::Rw,
        Access::W1s,
        Access::W1c,
    ];

    pub const fn readable(self) -> bool {
        !matches!(self, Access::Wo)
    }

    pub const fn writable(self) -> bool {
        !matches!(self, Access::Ro | Access::RoSticky | Access::RoPop)
    }

    /// Short name for tables.
    pub const fn abbrev(self) -> &'static str {
        match self {
            Access::Ro => "RO",
            Access::RoSticky => "RO sticky",
            Access::RoPop => "RO pop",
            Access::Wo => "WO",
            Access::Rw => "RW",
            Access::W1s => "W1S",
            Access::W1c => "W1C",
        }
    }

    pub const fn doc(self) -> &'static str {
        match self {
            Access::Ro => "read-only; hardware drives the value",
            Access::RoSticky => "read-only; hardware sets the value, which then holds until reset",
            Access::RoPop => "read-only; each read consumes the value and the next one follows",
            Access::Wo => "write-only; reads return 0",
            Access::Rw => "read and write",
            Access::W1s => "sticky: a write of 1 sets it; only reset clears it",
            Access::W1c => "set by hardware; write 1 to clear",
        }
    }
}

/// A value the generator fills in: the map holds the name, the emitted design the number.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum GenParam {
    /// The engine's word width in bits (16, 32, 64 or 128).
    WordWidth,
}

impl GenParam {
    pub const fn name(self) -> &'static str {
        match self {
            GenParam::WordWidth => "word_width",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reset {
    Value(u32),
    /// Set per generated design; the documentation names the parameter.
    Param(GenParam),
}

/// One named value of an enumerated field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EnumValue {
    pub name: &'static str,
    pub value: u32,
    pub desc: &'static str,
}

impl EnumValue {
    pub const fn new(name: &'static str, value: u32, desc: &'static str) -> Self {
        EnumValue { name, value, desc }
    }
}

/// Bits `[lsb + width - 1 : lsb]` of a register word.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub lsb: u32,
    pub width: u32,
    pub access: Access,
    pub reset: Reset,
    pub desc: &'static str,
    /// Named values; empty for a plain number.
    pub values: &'static [EnumValue],
}

impl Field {
    /// A field resetting to 0, without named values; see the builder methods for the rest.
    pub const fn new(
        name: &'static str,
        lsb: u32,
        width: u32,
        access: Access,
        desc: &'static str,
    ) -> Self {
        Field {
            name,
            lsb,
            width,
            access,
            reset: Reset::Value(0),
            desc,
            values: &[],
        }
    }

    pub const fn bit(name: &'static str, bit: u32, access: Access, desc: &'static str) -> Self {
        Field::new(name, bit, 1, access, desc)
    }

    pub const fn reset(self, value: u32) -> Self {
        Field {
            reset: Reset::Value(value),
            ..self
        }
    }

    pub const fn reset_param(self, param: GenParam) -> Self {
        Field {
            reset: Reset::Param(param),
            ..self
        }
    }

    pub const fn values(self, values: &'static [EnumValue]) -> Self {
        Field { values, ..self }
    }

    pub const fn msb(&self) -> u32 {
        self.lsb + self.width - 1
    }

    pub const fn shift(&self) -> u32 {
        self.lsb
    }

    /// The field's value range, unshifted: `(1 << width) - 1`.
    pub const fn max(&self) -> u32 {
        if self.width >= WORD_BITS {
            u32::MAX
        } else {
            (1 << self.width) - 1
        }
    }

    /// The field's bits in place within the register word.
    pub const fn mask(&self) -> u32 {
        self.max() << self.lsb
    }

    /// The field's value out of a register word.
    pub const fn get(&self, word: u32) -> u32 {
        (word >> self.lsb) & self.max()
    }

    /// `value` placed at the field's position; bits beyond the field's width are dropped.
    pub const fn put(&self, value: u32) -> u32 {
        (value & self.max()) << self.lsb
    }

    /// `word` with the field replaced by `value`.
    pub const fn set(&self, word: u32, value: u32) -> u32 {
        (word & !self.mask()) | self.put(value)
    }

    pub const fn value(&self, name: &str) -> Option<u32> {
        let mut i = 0;
        while i < self.values.len() {
            if str_eq(self.values[i].name, name) {
                return Some(self.values[i].value);
            }
            i += 1;
        }
        None
    }
}

/// How many words a register occupies, and what they mean together.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Shape {
    /// One word.
    Single,
    /// `count` independent copies of the register in consecutive words (one per key slot…).
    Array { count: u32 },
    /// `words` consecutive words that together hold one big-endian integer of `32 * words`
    /// bits: word 0, at the lowest address, is the most significant.
    Window { words: u32 },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Register {
    pub name: &'static str,
    /// Byte offset from the SCU's base address of the first word; word aligned.
    pub offset: u32,
    pub shape: Shape,
    /// Only a privileged bus access may read it; a user read returns 0 and counts as a
    /// violation.
    pub privileged_read: bool,
    /// Only a privileged bus access may write it; a user write is dropped and counts as a
    /// violation.
    pub privileged_write: bool,
    pub fields: &'static [Field],
    pub desc: &'static str,
}

impl Register {
    /// A single word open to user and privileged accesses alike; see the builder methods.
    pub const fn new(name: &'static str, offset: u32, desc: &'static str) -> Self {
        Register {
            name,
            offset,
            shape: Shape::Single,
            privileged_read: false,
            privileged_write: false,
            fields: &[],
            desc,
        }
    }

    pub const fn fields(self, fields: &'static [Field]) -> Self {
        Register { fields, ..self }
    }

    pub const fn array(self, count: u32) -> Self {
        Register {
            shape: Shape::Array { count },
            ..self
        }
    }

    pub const fn window(self, words: u32) -> Self {
        Register {
            shape: Shape::Window { words },
            ..self
        }
    }

    pub const fn privileged_write(self) -> Self {
        Register {
            privileged_write: true,
            ..self
        }
    }

    pub const fn privileged_read(self) -> Self {
        Register {
            privileged_read: true,
            ..self
        }
    }

    /// Number of words.
    pub const fn count(&self) -> u32 {
        match self.shape {
            Shape::Single => 1,
            Shape::Array { count } => count,
            Shape::Window { words } => words,
        }
    }

    pub const fn size(&self) -> u32 {
        self.count() * WORD_BYTES
    }

    /// One past the last byte.
    pub const fn end(&self) -> u32 {
        self.offset + self.size()
    }

    /// Byte offset of word `index` (the slot of an array, the word of a window).
    pub const fn at(&self, index: u32) -> u32 {
        assert!(index < self.count(), "register index out of range");
        self.offset + index * WORD_BYTES
    }

    pub const fn readable(&self) -> bool {
        let mut i = 0;
        while i < self.fields.len() {
            if self.fields[i].access.readable() {
                return true;
            }
            i += 1;
        }
        false
    }

    pub const fn writable(&self) -> bool {
        let mut i = 0;
        while i < self.fields.len() {
            if self.fields[i].access.writable() {
                return true;
            }
            i += 1;
        }
        false
    }

    /// The access every field shares, or `None` when they differ.
    pub const fn access(&self) -> Option<Access> {
        if self.fields.is_empty() {
            return None;
        }
        let first = self.fields[0].access;
        let mut i = 1;
        while i < self.fields.len() {
            if !access_eq(self.fields[i].access, first) {
                return None;
            }
            i += 1;
        }
        Some(first)
    }

    /// The reset word, given the value of every generator parameter.
    pub fn reset_with(&self, param: impl Fn(GenParam) -> u32) -> u32 {
        self.fields.iter().fold(0, |word, f| {
            let value = match f.reset {
                Reset::Value(v) => v,
                Reset::Param(p) => param(p),
            };
            word | f.put(value)
        })
    }

    /// The reset word, or `None` when it depends on a generator parameter.
    pub const fn reset(&self) -> Option<u32> {
        let mut word = 0;
        let mut i = 0;
        while i < self.fields.len() {
            match self.fields[i].reset {
                Reset::Value(v) => word |= self.fields[i].put(v),
                Reset::Param(_) => return None,
            }
            i += 1;
        }
        Some(word)
    }

    pub const fn field(&self, name: &str) -> Option<&Field> {
        let mut i = 0;
        while i < self.fields.len() {
            if str_eq(self.fields[i].name, name) {
                return Some(&self.fields[i]);
            }
            i += 1;
        }
        None
    }
}

/// A register block on a 32-bit bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RegMap {
    /// Lower-case identifier: the SystemRDL `addrmap` name and the C macro prefix.
    pub name: &'static str,
    /// What the block is and where its base address comes from.
    pub desc: &'static str,
    /// Data width in bits; always [`WORD_BITS`].
    pub width: u32,
    /// Bytes of address space the block decodes; accesses to unmapped words inside it are
    /// errors, not aliases.
    pub size: u32,
    /// In ascending offset order.
    pub registers: &'static [Register],
}

impl RegMap {
    pub const fn register(&self, name: &str) -> Option<&Register> {
        let mut i = 0;
        while i < self.registers.len() {
            if str_eq(self.registers[i].name, name) {
                return Some(&self.registers[i]);
            }
            i += 1;
        }
        None
    }

    /// The register at byte offset `offset` and the word index within it, or `None` for an
    /// unmapped or misaligned offset.
    pub const fn decode(&self, offset: u32) -> Option<(&Register, u32)> {
        if offset & (WORD_BYTES - 1) != 0 {
            return None;
        }
        let mut i = 0;
        while i < self.registers.len() {
            let r = &self.registers[i];
            if offset >= r.offset && offset < r.end() {
                return Some((r, (offset - r.offset) / WORD_BYTES));
            }
            i += 1;
        }
        None
    }
}

const fn access_eq(a: Access, b: Access) -> bool {
    a as u8 == b as u8
}

/// `==` on `str`, which `const fn` cannot call yet.
pub(crate) const fn str_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}
