//! The rules a register map must follow for its emitted forms to be sound: every word decodes
//! to at most one register, every bit to at most one field, and every name is usable as a C
//! and SystemRDL identifier and stays unique where the emitters combine names.
//!
//! `const fn`, so the SCU map is checked while the driver compiles.

use super::{str_eq, Field, RegMap, Register, Reset, Shape, WORD_BITS, WORD_BYTES};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Error {
    /// The map's data width is not [`WORD_BITS`].
    Width,
    /// The map's name is not a lower-case identifier.
    MapName,
    /// A register name is not an upper-case identifier (`[A-Z][A-Z0-9_]*`) or is reserved.
    RegisterName {
        register: &'static str,
    },
    DuplicateRegister {
        register: &'static str,
    },
    Misaligned {
        register: &'static str,
    },
    /// Registers must be listed in ascending offset order.
    Order {
        register: &'static str,
    },
    Overlap {
        register: &'static str,
        previous: &'static str,
    },
    OutsideMap {
        register: &'static str,
    },
    /// An array or window of no words.
    Empty {
        register: &'static str,
    },
    NoFields {
        register: &'static str,
    },
    /// A window word is one integer's 32 bits: exactly one field, `[31:0]`.
    WindowField {
        register: &'static str,
    },
    /// Privileged writes on a register no one can write.
    PrivilegedWriteReadOnly {
        register: &'static str,
    },
    PrivilegedReadWriteOnly {
        register: &'static str,
    },
    /// A field name is not a lower-case identifier (`[a-z][a-z0-9_]*`) or is reserved.
    FieldName {
        register: &'static str,
        field: &'static str,
    },
    DuplicateField {
        register: &'static str,
        field: &'static str,
    },
    /// Zero width, or bits beyond 31.
    FieldBits {
        register: &'static str,
        field: &'static str,
    },
    FieldOverlap {
        register: &'static str,
        field: &'static str,
        other: &'static str,
    },
    ResetTooWide {
        register: &'static str,
        field: &'static str,
    },
    /// A named value is not an upper-case identifier or is reserved.
    ValueName {
        field: &'static str,
        value: &'static str,
    },
    DuplicateValue {
        field: &'static str,
        value: &'static str,
    },
    ValueTooWide {
        field: &'static str,
        value: &'static str,
    },
}

impl Error {
    /// What is wrong, without the names (a compile-time panic can print no more).
    pub const fn message(&self) -> &'static str {
        match self {
            Error::Width => "register map width must be 32 bits",
            Error::MapName => "register map name must be a lower-case identifier",
            Error::RegisterName { .. } => {
                "register name must be an upper-case identifier and not a reserved word"
            }
            Error::DuplicateRegister { .. } => "two registers share a name",
            Error::Misaligned { .. } => "register offset is not word aligned",
            Error::Order { .. } => "registers must be listed in ascending offset order",
            Error::Overlap { .. } => "registers overlap",
            Error::OutsideMap { .. } => "register lies beyond the map's size",
            Error::Empty { .. } => "array or window of no words",
            Error::NoFields { .. } => "register without fields",
            Error::WindowField { .. } => "a window word must have exactly one field, [31:0]",
            Error::PrivilegedWriteReadOnly { .. } => {
                "privileged write on a register without writable fields"
            }
            Error::PrivilegedReadWriteOnly { .. } => {
                "privileged read on a register without readable fields"
            }
            Error::FieldName { .. } => {
                "field name must be a lower-case identifier and not a reserved word"
            }
            Error::DuplicateField { .. } => "two fields of a register share a name",
            Error::FieldBits { .. } => "field has zero width or bits beyond 31",
            Error::FieldOverlap { .. } => "fields overlap",
            Error::ResetTooWide { .. } => "field reset value does not fit its width",
            Error::ValueName { .. } => {
                "enum value name must be an upper-case identifier and not a reserved word"
            }
            Error::DuplicateValue { .. } => "two values of a field share a name or a number",
            Error::ValueTooWide { .. } => "enum value does not fit its field",
        }
    }
}

impl core::fmt::Display for Error {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str(self.message())?;
        match *self {
            Error::Width | Error::MapName => Ok(()),
            Error::RegisterName { register }
            | Error::DuplicateRegister { register }
            | Error::Misaligned { register }
            | Error::Order { register }
            | Error::OutsideMap { register }
            | Error::Empty { register }
            | Error::NoFields { register }
            | Error::WindowField { register }
            | Error::PrivilegedWriteReadOnly { register }
            | Error::PrivilegedReadWriteOnly { register } => write!(f, ": {register}"),
            Error::Overlap { register, previous } => write!(f, ": {previous} and {register}"),
            Error::FieldName { register, field }
            | Error::DuplicateField { register, field }
            | Error::FieldBits { register, field }
            | Error::ResetTooWide { register, field } => write!(f, ": {register}.{field}"),
            Error::FieldOverlap {
                register,
                field,
                other,
            } => write!(f, ": {register}.{other} and {register}.{field}"),
            Error::ValueName { field, value }
            | Error::DuplicateValue { field, value }
            | Error::ValueTooWide { field, value } => write!(f, ": {field} = {value}"),
        }
    }
}

impl RegMap {
    pub const fn validate(&self) -> Result<(), Error> {
        if self.width != WORD_BITS {
            return Err(Error::Width);
        }
        if !identifier(self.name, Case::Lower) {
            return Err(Error::MapName);
        }
        let mut i = 0;
        while i < self.registers.len() {
            let r = &self.registers[i];
            if let Err(e) = check_register(r) {
                return Err(e);
            }
            if r.end() > self.size {
                return Err(Error::OutsideMap { register: r.name });
            }
            if i > 0 {
                let previous = &self.registers[i - 1];
                if r.offset < previous.offset {
                    return Err(Error::Order { register: r.name });
                }
                if r.offset < previous.end() {
                    return Err(Error::Overlap {
                        register: r.name,
                        previous: previous.name,
                    });
                }
            }
            let mut j = 0;
            while j < i {
                if str_eq(self.registers[j].name, r.name) {
                    return Err(Error::DuplicateRegister { register: r.name });
                }
                j += 1;
            }
            i += 1;
        }
        Ok(())
    }
}

const fn check_register(r: &Register) -> Result<(), Error> {
    let register = r.name;
    if !identifier(register, Case::Upper) {
        return Err(Error::RegisterName { register });
    }
    // A mask test: `is_multiple_of` is newer than the workspace's minimum Rust.
    if r.offset & (WORD_BYTES - 1) != 0 {
        return Err(Error::Misaligned { register });
    }
    if r.count() == 0 {
        return Err(Error::Empty { register });
    }
    if r.fields.is_empty() {
        return Err(Error::NoFields { register });
    }
    if let Shape::Window { .. } = r.shape {
        if r.fields.len() != 1 || r.fields[0].lsb != 0 || r.fields[0].width != WORD_BITS {
            return Err(Error::WindowField { register });
        }
    }
    if r.privileged_write && !r.writable() {
        return Err(Error::PrivilegedWriteReadOnly { register });
    }
    if r.privileged_read && !r.readable() {
        return Err(Error::PrivilegedReadWriteOnly { register });
    }
    let mut i = 0;
    while i < r.fields.len() {
        let f = &r.fields[i];
        if let Err(e) = check_field(register, f) {
            return Err(e);
        }
        let mut j = 0;
        while j < i {
            let other = &r.fields[j];
            if str_eq(other.name, f.name) {
                return Err(Error::DuplicateField {
                    register,
                    field: f.name,
                });
            }
            if other.mask() & f.mask() != 0 {
                return Err(Error::FieldOverlap {
                    register,
                    field: f.name,
                    other: other.name,
                });
            }
            j += 1;
        }
        i += 1;
    }
    Ok(())
}

const fn check_field(register: &'static str, f: &Field) -> Result<(), Error> {
    let field = f.name;
    if !identifier(field, Case::Lower) {
        return Err(Error::FieldName { register, field });
    }
    if f.width == 0 || f.width > WORD_BITS || f.lsb >= WORD_BITS || f.msb() >= WORD_BITS {
        return Err(Error::FieldBits { register, field });
    }
    if let Reset::Value(v) = f.reset {
        if v > f.max() {
            return Err(Error::ResetTooWide { register, field });
        }
    }
    let mut i = 0;
    while i < f.values.len() {
        let v = &f.values[i];
        if !identifier(v.name, Case::Upper) {
            return Err(Error::ValueName {
                field,
                value: v.name,
            });
        }
        if v.value > f.max() {
            return Err(Error::ValueTooWide {
                field,
                value: v.name,
            });
        }
        let mut j = 0;
        while j < i {
            if str_eq(f.values[j].name, v.name) || f.values[j].value == v.value {
                return Err(Error::DuplicateValue {
                    field,
                    value: v.name,
                });
            }
            j += 1;
        }
        i += 1;
    }
    Ok(())
}

#[derive(Clone, Copy)]
enum Case {
    Upper,
    Lower,
}

/// A C identifier in one case, so that upper-casing field names for C macros cannot make two
/// names meet, and not a SystemRDL keyword (all of which are lower case, so only fields and the
/// map name can hit one).
const fn identifier(name: &str, case: Case) -> bool {
    let b = name.as_bytes();
    if b.is_empty() {
        return false;
    }
    if !letter(b[0], case) {
        return false;
    }
    let mut i = 1;
    while i < b.len() {
        let c = b[i];
        if !(letter(c, case) || c.is_ascii_digit() || c == b'_') {
            return false;
        }
        i += 1;
    }
    // A trailing or doubled underscore would let `A_` + `_B` and `A` + `__B` meet once joined.
    if b[b.len() - 1] == b'_' {
        return false;
    }
    let mut i = 1;
    while i < b.len() {
        if b[i] == b'_' && b[i - 1] == b'_' {
            return false;
        }
        i += 1;
    }
    let mut k = 0;
    while k < RDL_KEYWORDS.len() {
        if str_eq(RDL_KEYWORDS[k], name) {
            return false;
        }
        k += 1;
    }
    true
}

const fn letter(c: u8, case: Case) -> bool {
    match case {
        Case::Upper => c.is_ascii_uppercase(),
        Case::Lower => c.is_ascii_lowercase(),
    }
}

/// SystemRDL 2.0's reserved words (Accellera SystemRDL 2.0, 4.5). Property names such as
/// `name` or `reset` are not reserved: the compiler takes them as instance names.
const RDL_KEYWORDS: &[&str] = &[
    "abstract",
    "accesstype",
    "addressingtype",
    "addrmap",
    "alias",
    "all",
    "bit",
    "boolean",
    "bothedge",
    "compact",
    "component",
    "componentwidth",
    "constraint",
    "default",
    "encode",
    "enum",
    "external",
    "false",
    "field",
    "fullalign",
    "hw",
    "inside",
    "internal",
    "level",
    "longint",
    "mem",
    "na",
    "negedge",
    "nonsticky",
    "number",
    "onreadtype",
    "onwritetype",
    "posedge",
    "property",
    "r",
    "rclr",
    "ref",
    "reg",
    "regalign",
    "regfile",
    "rset",
    "ruser",
    "rw",
    "rw1",
    "signal",
    "string",
    "struct",
    "sw",
    "this",
    "true",
    "type",
    "unsigned",
    "w",
    "w1",
    "wclr",
    "woclr",
    "woset",
    "wot",
    "wr",
    "wset",
    "wuser",
    "wzc",
    "wzs",
    "wzt",
];

#[cfg(test)]
mod tests {
    use super::*;
    use crate::regmap::{Access, EnumValue, SCU};

    const F_A: Field = Field::new("a", 0, 4, Access::Rw, "a");
    const F_B: Field = Field::new("b", 4, 4, Access::Ro, "b");
    const R_A: Register = Register::new("A", 0x0, "A").fields(&[F_A, F_B]);
    const R_B: Register = Register::new("B", 0x4, "B").fields(&[F_A]);

    fn map(registers: &'static [Register]) -> RegMap {
        RegMap {
            name: "t",
            desc: "test",
            width: 32,
            size: 0x100,
            registers,
        }
    }

    #[test]
    fn the_scu_map_is_valid() {
        assert_eq!(SCU.validate(), Ok(()));
    }

    #[test]
    fn a_good_map_passes() {
        assert_eq!(map(&[R_A, R_B]).validate(), Ok(()));
    }

    #[test]
    fn layout_errors() {
        let misaligned = Register { offset: 0x6, ..R_B };
        let m: &'static [Register] = Box::leak(Box::new([R_A, misaligned]));
        assert_eq!(map(m).validate(), Err(Error::Misaligned { register: "B" }));

        let overlapping = Register { offset: 0x0, ..R_B };
        let m: &'static [Register] = Box::leak(Box::new([R_A, overlapping]));
        assert_eq!(
            map(m).validate(),
            Err(Error::Overlap {
                register: "B",
                previous: "A"
            })
        );

        // A window reaching into the next register overlaps too.
        const WINDOW: Register = Register::new("W", 0x0, "w").window(2).fields(&[Field::new(
            "word",
            0,
            32,
            Access::Rw,
            "w",
        )]);
        let window = WINDOW;
        let m: &'static [Register] = Box::leak(Box::new([window, R_B]));
        assert_eq!(
            map(m).validate(),
            Err(Error::Overlap {
                register: "B",
                previous: "W"
            })
        );

        let m: &'static [Register] = Box::leak(Box::new([R_B, R_A]));
        assert_eq!(map(m).validate(), Err(Error::Order { register: "A" }));

        let far = Register {
            offset: 0x100,
            ..R_B
        };
        let m: &'static [Register] = Box::leak(Box::new([R_A, far]));
        assert_eq!(map(m).validate(), Err(Error::OutsideMap { register: "B" }));

        let twin = Register { offset: 0x8, ..R_B };
        let m: &'static [Register] = Box::leak(Box::new([R_A, R_B, twin]));
        assert_eq!(
            map(m).validate(),
            Err(Error::DuplicateRegister { register: "B" })
        );

        let empty = R_B.array(0);
        let m: &'static [Register] = Box::leak(Box::new([empty]));
        assert_eq!(map(m).validate(), Err(Error::Empty { register: "B" }));

        let bare = R_B.fields(&[]);
        let m: &'static [Register] = Box::leak(Box::new([bare]));
        assert_eq!(map(m).validate(), Err(Error::NoFields { register: "B" }));

        let narrow_window = R_B.window(8);
        let m: &'static [Register] = Box::leak(Box::new([narrow_window]));
        assert_eq!(map(m).validate(), Err(Error::WindowField { register: "B" }));

        let ro = Register::new("C", 0, "c").fields(&[F_B]).privileged_write();
        let m: &'static [Register] = Box::leak(Box::new([ro]));
        assert_eq!(
            map(m).validate(),
            Err(Error::PrivilegedWriteReadOnly { register: "C" })
        );
    }

    fn one_field(f: Field) -> RegMap {
        let fields: &'static [Field] = Box::leak(Box::new([F_A, f]));
        let r: &'static [Register] = Box::leak(Box::new([R_A.fields(fields)]));
        map(r)
    }

    #[test]
    fn field_errors() {
        let e = |f: Field| one_field(f).validate();
        assert_eq!(
            e(Field::new("c", 28, 8, Access::Rw, "")),
            Err(Error::FieldBits {
                register: "A",
                field: "c"
            })
        );
        assert_eq!(
            e(Field::new("c", 4, 0, Access::Rw, "")),
            Err(Error::FieldBits {
                register: "A",
                field: "c"
            })
        );
        assert_eq!(
            e(Field::new("c", 3, 2, Access::Rw, "")),
            Err(Error::FieldOverlap {
                register: "A",
                field: "c",
                other: "a"
            })
        );
        assert_eq!(
            e(Field::new("a", 8, 2, Access::Rw, "")),
            Err(Error::DuplicateField {
                register: "A",
                field: "a"
            })
        );
        assert_eq!(
            e(Field::new("c", 8, 2, Access::Rw, "").reset(4)),
            Err(Error::ResetTooWide {
                register: "A",
                field: "c"
            })
        );
        // The top bit and a full-width field are fine.
        assert_eq!(e(Field::bit("top", 31, Access::W1s, "")), Ok(()));
        const FULL: Register =
            Register::new("W", 0, "")
                .fields(&[Field::new("word", 0, 32, Access::Rw, "").reset(u32::MAX)]);
        assert_eq!(map(&[FULL]).validate(), Ok(()));
    }

    #[test]
    fn enum_errors() {
        let e = |values: &[EnumValue]| {
            let values: &'static [EnumValue] = Box::leak(values.to_vec().into_boxed_slice());
            one_field(Field::new("c", 8, 2, Access::Rw, "").values(values)).validate()
        };
        assert_eq!(
            e(&[EnumValue::new("X", 0, ""), EnumValue::new("Y", 4, "")]),
            Err(Error::ValueTooWide {
                field: "c",
                value: "Y"
            })
        );
        assert_eq!(
            e(&[EnumValue::new("X", 0, ""), EnumValue::new("X", 1, "")]),
            Err(Error::DuplicateValue {
                field: "c",
                value: "X"
            })
        );
        assert_eq!(
            e(&[EnumValue::new("X", 1, ""), EnumValue::new("Y", 1, "")]),
            Err(Error::DuplicateValue {
                field: "c",
                value: "Y"
            })
        );
        assert_eq!(
            e(&[EnumValue::new("x", 1, "")]),
            Err(Error::ValueName {
                field: "c",
                value: "x"
            })
        );
    }

    #[test]
    fn names() {
        for good in ["a", "slot_policy", "x2", "a_b_c"] {
            assert!(identifier(good, Case::Lower), "{good}");
        }
        for bad in [
            "", "A", "2x", "a-b", "a__b", "a_", "_a", "field", "sw", "woset", "enum",
        ] {
            assert!(!identifier(bad, Case::Lower), "{bad:?}");
        }
        for good in ["ID", "OP_X", "SLOT_POLICY", "RES_X2"] {
            assert!(identifier(good, Case::Upper), "{good}");
        }
        for bad in ["Id", "OP X", "ÄB", "OP__X"] {
            assert!(!identifier(bad, Case::Upper), "{bad:?}");
        }
        let bad_field = Field::new("reg", 8, 1, Access::Rw, "");
        assert_eq!(
            one_field(bad_field).validate(),
            Err(Error::FieldName {
                register: "A",
                field: "reg"
            })
        );
        let bad_reg: &'static [Register] = Box::leak(Box::new([Register { name: "a", ..R_A }]));
        assert_eq!(
            map(bad_reg).validate(),
            Err(Error::RegisterName { register: "a" })
        );
        assert_eq!(
            RegMap {
                name: "Scu",
                ..map(&[R_A])
            }
            .validate(),
            Err(Error::MapName)
        );
        assert_eq!(
            RegMap {
                width: 16,
                ..map(&[R_A])
            }
            .validate(),
            Err(Error::Width)
        );
    }

    #[test]
    fn errors_name_what_is_wrong() {
        let e = Error::FieldOverlap {
            register: "A",
            field: "c",
            other: "a",
        };
        assert_eq!(e.to_string(), "fields overlap: A.a and A.c");
    }
}
