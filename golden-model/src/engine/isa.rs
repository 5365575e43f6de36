//! The engine's instruction set (`docs/engine.md`, "Instruction set"), its status and command
//! codes, and the fixed-width binary encoding the HDL puts into the microcode ROM.
//!
//! ## Encoding (one 32-bit ROM word per instruction)
//!
//! ```text
//!  31    27 26   22 21   17 16   12 11 10          0
//! ┌────────┬───────┬───────┬───────┬──┬─────────────┐
//! │ opcode │ fa    │ fb    │ fc    │m │ imm11       │
//! └────────┴───────┴───────┴───────┴──┴─────────────┘
//! ```
//!
//! | opcode | instr | fa | fb | fc | m | imm11 |
//! |---|---|---|---|---|---|---|
//! | 0, 1, 2 | ADD, SUB, MUL | r | a | b | mod_sel | – |
//! | 3 | MOV | r | a | – | – | – |
//! | 4 | CONST, CSEL | r | – | – | 0, 1 | k |
//! | 5 | CSWAP | a | b | – | – | – |
//! | 6 | LDK | a | – | – | – | – |
//! | 7 | NEXTBIT | – | – | – | – | – |
//! | 8 | LOOP | c | – | – | – | n |
//! | 9 | DJNZ | c | – | – | – | target |
//! | 10, 11 | JMP, CALL | – | – | – | – | target |
//! | 12 | RET | – | – | – | – | – |
//! | 13 | EQ | a | b | – | – | – |
//! | 14, 15 | BF, BNF | – | – | – | – | target |
//! | 16 | FAIL | – | – | – | – | status code |
//! | 17 | DONE | – | – | – | – | – |
//! | 18 | NEXTBITX | – | – | – | – | – |
//! | 19 | BITF | – | – | – | – | – |
//! | 20 | LDK2 | a | – | – | – | – |
//! | 21 | NEXTF | s | – | – | – | – |
//! | 22 | COMBEQ | – | – | – | – | d (4 bits) |
//! | 23 | COMBLD | r | – | – | – | k (a multiple of 16) |
//!
//! Fields never overlap, so the RTL decoder can wire every field straight to its consumer and
//! only the opcode needs decoding. The ALU opcodes equal the field ALU's `op` port codes, so
//! the sequencer passes `opcode[1:0]` through. Every field marked "–" must be zero: `decode`
//! rejects a word with a stray bit instead of ignoring it, so a corrupted ROM image is caught
//! by the round-trip check rather than executing something near the intended program.
//! imm11 bounds the ROM at 2048 words, loop counts at 2047 and the constant table at 2048;
//! COMBEQ uses only its low 4 bits (the others must be zero), COMBLD only its high 7 (the
//! comb digit takes the place of the low 4, so its table is one aligned block of 16). CSEL is CONST with m = 1, so the
//! sequencer's CONST path serves both: it also reads r, and writes the constant or, for CSEL
//! with `bit` clear, r's own value back (always a write, whatever the bit).

use std::fmt;

use crate::field_alu::{AluOp, Modulus};

/// Number of registers in the register file.
pub const NUM_REGS: usize = 32;
/// Width of each register (and of the scalar register K).
pub const REG_BITS: usize = 256;
/// Number of loop counters addressable by `LOOP` / `DJNZ`.
pub const NUM_COUNTERS: usize = 2;
/// Number of scalar shift registers addressable by `NEXTF` (K and K2).
pub const NUM_SCALARS: usize = 2;
/// Width of the immediate field: ROM addresses, loop counts and constant indices.
pub const IMM_BITS: u32 = 11;
/// Largest value an immediate can hold.
pub const IMM_MAX: u16 = (1 << IMM_BITS) - 1;

/// A register-file index, 0..[`NUM_REGS`].
pub type Reg = u8;

/// How a command ends. The codes are the `status` port values and must never be renumbered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Status {
    Ok = 0,
    BadScalar = 1,
    BadPoint = 2,
    RZero = 3,
    SZero = 4,
    InvalidSig = 5,
    BadCmd = 6,
}

impl Status {
    pub const ALL: [Status; 7] = [
        Status::Ok,
        Status::BadScalar,
        Status::BadPoint,
        Status::RZero,
        Status::SZero,
        Status::InvalidSig,
        Status::BadCmd,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Self> {
        Status::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// What the host asks for. The codes are the `cmd` port values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Command {
    Keygen = 0,
    Ecdh = 1,
    Sign = 2,
    Verify = 3,
}

impl Command {
    pub const ALL: [Command; 4] = [
        Command::Keygen,
        Command::Ecdh,
        Command::Sign,
        Command::Verify,
    ];

    pub fn code(self) -> u8 {
        self as u8
    }

    pub fn from_code(code: u8) -> Option<Self> {
        Command::ALL.into_iter().find(|c| c.code() == code)
    }
}

/// One microcode instruction. Targets, loop counts and constant indices are 11-bit
/// immediates; register fields are 5 bits; loop counter `c` and scalar register `s` are 0 or 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Instr {
    Add { r: Reg, a: Reg, b: Reg, m: Modulus },
    Sub { r: Reg, a: Reg, b: Reg, m: Modulus },
    Mul { r: Reg, a: Reg, b: Reg, m: Modulus },
    Mov { r: Reg, a: Reg },
    Const { r: Reg, k: u16 },
    // `R[r] ← bit ? constant k : R[r]`, always written and in the cycles of CONST whatever
    // the bit: the comb's table scan takes one per coordinate and entry instead of a CONST
    // and a CSWAP.
    Csel { r: Reg, k: u16 },
    Cswap { a: Reg, b: Reg },
    Ldk { a: Reg },
    Nextbit,
    Loop { c: u8, n: u16 },
    Djnz { c: u8, target: u16 },
    Jmp { target: u16 },
    Call { target: u16 },
    Ret,
    Eq { a: Reg, b: Reg },
    Bf { target: u16 },
    Bnf { target: u16 },
    Fail { code: Status },
    Done,
    // `bit ← K[255] XOR K[254]`, `K ← K << 1`: the swap decision of a ladder that keeps its
    // two points arranged by the previous scalar bit, so one CSWAP per point and bit.
    Nextbitx,
    // `bit ← flag`: lets an `EQ` on a secret drive a `CSWAP` without a branch.
    Bitf,
    // `K2 ← R[a]` (raw), the second scalar register.
    Ldk2 { a: Reg },
    // `flag ← Ks[255]`, `Ks ← Ks << 1` with K0 = K, K1 = K2: public scalar bits for
    // `BF`/`BNF` (VERIFY's joint double-and-add).
    Nextf { s: u8 },
    // `bit ← (K[255]K[191]K[127]K[63] == d)` (K[63] is d's bit 0), K unchanged: the digit of
    // a 4-tooth comb over the scalar in K against table index d, for a constant-time scan.
    Combeq { d: u8 },
    // `R[r] ← constant[k + digit]`, digit as in `COMBEQ`, k a multiple of 16: the comb's table
    // entry for the column in the cycles of CONST. The constant ROM address depends on the
    // secret digit, the cycles do not (`docs/engine.md`, "Constant time").
    Combld { r: Reg, k: u16 },
}

impl Instr {
    /// For ADD/SUB/MUL: the field ALU operation and its operands `(op, r, a, b, m)`.
    pub fn alu(&self) -> Option<(AluOp, Reg, Reg, Reg, Modulus)> {
        match *self {
            Instr::Add { r, a, b, m } => Some((AluOp::Add, r, a, b, m)),
            Instr::Sub { r, a, b, m } => Some((AluOp::Sub, r, a, b, m)),
            Instr::Mul { r, a, b, m } => Some((AluOp::Mul, r, a, b, m)),
            _ => None,
        }
    }

    /// The 5-bit opcode.
    pub fn opcode(&self) -> u8 {
        match self {
            Instr::Add { .. } => 0,
            Instr::Sub { .. } => 1,
            Instr::Mul { .. } => 2,
            Instr::Mov { .. } => 3,
            Instr::Const { .. } | Instr::Csel { .. } => 4,
            Instr::Cswap { .. } => 5,
            Instr::Ldk { .. } => 6,
            Instr::Nextbit => 7,
            Instr::Loop { .. } => 8,
            Instr::Djnz { .. } => 9,
            Instr::Jmp { .. } => 10,
            Instr::Call { .. } => 11,
            Instr::Ret => 12,
            Instr::Eq { .. } => 13,
            Instr::Bf { .. } => 14,
            Instr::Bnf { .. } => 15,
            Instr::Fail { .. } => 16,
            Instr::Done => 17,
            Instr::Nextbitx => 18,
            Instr::Bitf => 19,
            Instr::Ldk2 { .. } => 20,
            Instr::Nextf { .. } => 21,
            Instr::Combeq { .. } => 22,
            Instr::Combld { .. } => 23,
        }
    }
}

impl fmt::Display for Instr {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let m = |m: &Modulus| if *m == Modulus::P { "p" } else { "n" };
        match self {
            Instr::Add { r, a, b, m: md } => write!(f, "ADD r{r}, r{a}, r{b}, {}", m(md)),
            Instr::Sub { r, a, b, m: md } => write!(f, "SUB r{r}, r{a}, r{b}, {}", m(md)),
            Instr::Mul { r, a, b, m: md } => write!(f, "MUL r{r}, r{a}, r{b}, {}", m(md)),
            Instr::Mov { r, a } => write!(f, "MOV r{r}, r{a}"),
            Instr::Const { r, k } => write!(f, "CONST r{r}, #{k}"),
            Instr::Csel { r, k } => write!(f, "CSEL r{r}, #{k}"),
            Instr::Cswap { a, b } => write!(f, "CSWAP r{a}, r{b}"),
            Instr::Ldk { a } => write!(f, "LDK r{a}"),
            Instr::Nextbit => write!(f, "NEXTBIT"),
            Instr::Loop { c, n } => write!(f, "LOOP c{c}, {n}"),
            Instr::Djnz { c, target } => write!(f, "DJNZ c{c}, @{target}"),
            Instr::Jmp { target } => write!(f, "JMP @{target}"),
            Instr::Call { target } => write!(f, "CALL @{target}"),
            Instr::Ret => write!(f, "RET"),
            Instr::Eq { a, b } => write!(f, "EQ r{a}, r{b}"),
            Instr::Bf { target } => write!(f, "BF @{target}"),
            Instr::Bnf { target } => write!(f, "BNF @{target}"),
            Instr::Fail { code } => write!(f, "FAIL {code:?}"),
            Instr::Done => write!(f, "DONE"),
            Instr::Nextbitx => write!(f, "NEXTBITX"),
            Instr::Bitf => write!(f, "BITF"),
            Instr::Ldk2 { a } => write!(f, "LDK2 r{a}"),
            Instr::Nextf { s } => write!(f, "NEXTF k{s}"),
            Instr::Combeq { d } => write!(f, "COMBEQ #{d}"),
            Instr::Combld { r, k } => write!(f, "COMBLD r{r}, #{k}"),
        }
    }
}

/// Why a ROM word is not an instruction.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DecodeError {
    UnknownOpcode(u8),
    /// A bit outside the fields the opcode uses is set (the mask of offending bits).
    ReservedBits(u32),
    BadCounter(u8),
    BadScalarReg(u8),
    BadFailCode(u16),
}

impl fmt::Display for DecodeError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DecodeError::UnknownOpcode(op) => write!(f, "unknown opcode {op}"),
            DecodeError::ReservedBits(bits) => write!(f, "reserved bits set: {bits:#010x}"),
            DecodeError::BadCounter(c) => write!(f, "loop counter {c} does not exist"),
            DecodeError::BadScalarReg(s) => write!(f, "scalar register k{s} does not exist"),
            DecodeError::BadFailCode(c) => write!(f, "FAIL code {c} is not a failure status"),
        }
    }
}

impl std::error::Error for DecodeError {}

const OP_SHIFT: u32 = 27;
const FA_SHIFT: u32 = 22;
const FB_SHIFT: u32 = 17;
const FC_SHIFT: u32 = 12;
const M_SHIFT: u32 = 11;
const REG_MASK: u32 = 0x1f;
const IMM_MASK: u32 = IMM_MAX as u32;

const FA: u32 = REG_MASK << FA_SHIFT;
const FB: u32 = REG_MASK << FB_SHIFT;
const FC: u32 = REG_MASK << FC_SHIFT;
const M: u32 = 1 << M_SHIFT;
const IMM: u32 = IMM_MASK;
/// The part of imm11 that COMBEQ uses.
const COMB_DIGIT: u32 = 0xf;
/// Number of comb teeth `COMBEQ` reads from K, and so the bits of its digit.
pub const COMB_TEETH: usize = 4;

/// The bits below the opcode that `opcode` may use; all others must be zero.
fn used_fields(opcode: u8) -> u32 {
    match opcode {
        0..=2 => FA | FB | FC | M,
        3 | 5 | 13 => FA | FB,
        4 => FA | M | IMM,
        8 | 9 => FA | IMM,
        6 | 20 | 21 => FA,
        10 | 11 | 14 | 15 | 16 => IMM,
        22 => COMB_DIGIT,
        23 => FA | (IMM & !COMB_DIGIT),
        _ => 0,
    }
}

fn reg_field(r: Reg) -> u32 {
    assert!((r as usize) < NUM_REGS, "register r{r} does not exist");
    r as u32
}

fn imm_field(x: u16) -> u32 {
    assert!(
        x <= IMM_MAX,
        "immediate {x} does not fit in {IMM_BITS} bits"
    );
    x as u32
}

/// The ROM word of `instr`. Panics on an out-of-range field: the assembler only builds
/// instructions that fit, so that would be a bug there.
pub fn encode(instr: &Instr) -> u32 {
    let regs = |fa: Reg, fb: Reg, fc: Reg| {
        (reg_field(fa) << FA_SHIFT) | (reg_field(fb) << FB_SHIFT) | (reg_field(fc) << FC_SHIFT)
    };
    let counter = |c: u8| {
        assert!(
            (c as usize) < NUM_COUNTERS,
            "loop counter c{c} does not exist"
        );
        (c as u32) << FA_SHIFT
    };
    let fields = match *instr {
        Instr::Add { r, a, b, m } | Instr::Sub { r, a, b, m } | Instr::Mul { r, a, b, m } => {
            regs(r, a, b) | ((m.bit() as u32) << M_SHIFT)
        }
        Instr::Mov { r, a } => regs(r, a, 0),
        Instr::Const { r, k } => regs(r, 0, 0) | imm_field(k),
        Instr::Csel { r, k } => regs(r, 0, 0) | M | imm_field(k),
        Instr::Cswap { a, b } | Instr::Eq { a, b } => regs(a, b, 0),
        Instr::Ldk { a } | Instr::Ldk2 { a } => regs(a, 0, 0),
        Instr::Nextf { s } => {
            assert!(
                (s as usize) < NUM_SCALARS,
                "scalar register k{s} does not exist"
            );
            (s as u32) << FA_SHIFT
        }
        Instr::Loop { c, n } => counter(c) | imm_field(n),
        Instr::Djnz { c, target } => counter(c) | imm_field(target),
        Instr::Jmp { target }
        | Instr::Call { target }
        | Instr::Bf { target }
        | Instr::Bnf { target } => imm_field(target),
        Instr::Fail { code } => {
            assert!(code != Status::Ok, "FAIL with status Ok; use DONE");
            code.code() as u32
        }
        Instr::Combeq { d } => {
            assert!((d as u32) <= COMB_DIGIT, "comb digit {d} exceeds 4 bits");
            d as u32
        }
        Instr::Combld { r, k } => {
            assert!(
                k as u32 & COMB_DIGIT == 0,
                "COMBLD table base {k} is not a multiple of 16"
            );
            regs(r, 0, 0) | imm_field(k)
        }
        Instr::Nextbit | Instr::Ret | Instr::Done | Instr::Nextbitx | Instr::Bitf => 0,
    };
    debug_assert_eq!(fields & !used_fields(instr.opcode()), 0);
    ((instr.opcode() as u32) << OP_SHIFT) | fields
}

/// Highest opcode in use.
const MAX_OPCODE: u8 = 23;

/// The instruction in ROM word `word`, or why it is not one.
pub fn decode(word: u32) -> Result<Instr, DecodeError> {
    let opcode = (word >> OP_SHIFT) as u8;
    if opcode > MAX_OPCODE {
        return Err(DecodeError::UnknownOpcode(opcode));
    }
    let stray = word & !(0x1f << OP_SHIFT) & !used_fields(opcode);
    if stray != 0 {
        return Err(DecodeError::ReservedBits(stray));
    }
    let fa = ((word >> FA_SHIFT) & REG_MASK) as u8;
    let fb = ((word >> FB_SHIFT) & REG_MASK) as u8;
    let fc = ((word >> FC_SHIFT) & REG_MASK) as u8;
    let m = Modulus::from_bit(((word >> M_SHIFT) & 1) as u8);
    let imm = (word & IMM_MASK) as u16;
    let counter = |c: u8| {
        if (c as usize) < NUM_COUNTERS {
            Ok(c)
        } else {
            Err(DecodeError::BadCounter(c))
        }
    };
    Ok(match opcode {
        0 => Instr::Add {
            r: fa,
            a: fb,
            b: fc,
            m,
        },
        1 => Instr::Sub {
            r: fa,
            a: fb,
            b: fc,
            m,
        },
        2 => Instr::Mul {
            r: fa,
            a: fb,
            b: fc,
            m,
        },
        3 => Instr::Mov { r: fa, a: fb },
        4 if m == Modulus::N => Instr::Csel { r: fa, k: imm },
        4 => Instr::Const { r: fa, k: imm },
        5 => Instr::Cswap { a: fa, b: fb },
        6 => Instr::Ldk { a: fa },
        7 => Instr::Nextbit,
        8 => Instr::Loop {
            c: counter(fa)?,
            n: imm,
        },
        9 => Instr::Djnz {
            c: counter(fa)?,
            target: imm,
        },
        10 => Instr::Jmp { target: imm },
        11 => Instr::Call { target: imm },
        12 => Instr::Ret,
        13 => Instr::Eq { a: fa, b: fb },
        14 => Instr::Bf { target: imm },
        15 => Instr::Bnf { target: imm },
        16 => match u8::try_from(imm).ok().and_then(Status::from_code) {
            Some(code) if code != Status::Ok => Instr::Fail { code },
            _ => return Err(DecodeError::BadFailCode(imm)),
        },
        17 => Instr::Done,
        18 => Instr::Nextbitx,
        19 => Instr::Bitf,
        20 => Instr::Ldk2 { a: fa },
        21 if (fa as usize) < NUM_SCALARS => Instr::Nextf { s: fa },
        21 => return Err(DecodeError::BadScalarReg(fa)),
        22 => Instr::Combeq { d: imm as u8 },
        23 => Instr::Combld { r: fa, k: imm },
        _ => unreachable!("opcode range checked above"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    /// One instance of every variant with every field at a non-trivial value, so a field
    /// placed at the wrong offset cannot round-trip by accident.
    fn samples() -> Vec<Instr> {
        let mut v = Vec::new();
        for (r, a, b) in [(0, 0, 0), (31, 30, 29), (1, 17, 5), (16, 8, 31)] {
            for m in [Modulus::P, Modulus::N] {
                v.push(Instr::Add { r, a, b, m });
                v.push(Instr::Sub { r, a, b, m });
                v.push(Instr::Mul { r, a, b, m });
            }
            v.push(Instr::Mov { r, a });
            v.push(Instr::Cswap { a: r, b });
            v.push(Instr::Eq { a, b });
            v.push(Instr::Ldk { a: b });
            v.push(Instr::Ldk2 { a });
        }
        v.extend([Instr::Nextf { s: 0 }, Instr::Nextf { s: 1 }]);
        v.extend((0..16).map(|d| Instr::Combeq { d }));
        for x in [0, 1, 256, 1000, IMM_MAX] {
            v.push(Instr::Const { r: 19, k: x });
            v.push(Instr::Csel { r: 7, k: x });
            v.push(Instr::Combld { r: 13, k: x & !15 });
            for c in 0..2 {
                v.push(Instr::Loop { c, n: x });
                v.push(Instr::Djnz { c, target: x });
            }
            v.push(Instr::Jmp { target: x });
            v.push(Instr::Call { target: x });
            v.push(Instr::Bf { target: x });
            v.push(Instr::Bnf { target: x });
        }
        for code in Status::ALL.into_iter().filter(|s| *s != Status::Ok) {
            v.push(Instr::Fail { code });
        }
        v.extend([
            Instr::Nextbit,
            Instr::Ret,
            Instr::Done,
            Instr::Nextbitx,
            Instr::Bitf,
        ]);
        v
    }

    #[test]
    fn encode_decode_round_trip() {
        for i in samples() {
            let w = encode(&i);
            assert_eq!(decode(w), Ok(i), "{i} ↔ {w:#010x}");
        }
    }

    #[test]
    fn distinct_instructions_have_distinct_words() {
        let s = samples();
        let mut words: Vec<u32> = s.iter().map(encode).collect();
        words.sort_unstable();
        words.dedup();
        let mut uniq = s.clone();
        uniq.sort_by_key(encode);
        uniq.dedup();
        assert_eq!(words.len(), uniq.len());
    }

    #[test]
    fn decode_rejects_malformed_words() {
        assert_eq!(decode(24 << 27), Err(DecodeError::UnknownOpcode(24)));
        // COMBEQ with a digit above 15.
        assert_eq!(decode((22 << 27) | 16), Err(DecodeError::ReservedBits(16)));
        // COMBLD with a table base that is not a multiple of 16, or with m set.
        assert_eq!(
            decode((23 << 27) | 32 | 4),
            Err(DecodeError::ReservedBits(4))
        );
        assert_eq!(
            decode((23 << 27) | (1 << 11)),
            Err(DecodeError::ReservedBits(1 << 11))
        );
        assert_eq!(decode(31 << 27), Err(DecodeError::UnknownOpcode(31)));
        // DONE with any operand bit set.
        assert_eq!(decode((17 << 27) | 1), Err(DecodeError::ReservedBits(1)));
        // CONST with m = 1 is CSEL, not a stray bit.
        assert_eq!(
            decode((4 << 27) | (3 << 22) | (1 << 11) | 9),
            Ok(Instr::Csel { r: 3, k: 9 })
        );
        // MOV with an fc field.
        assert!(matches!(
            decode((3 << 27) | (1 << 12)),
            Err(DecodeError::ReservedBits(_))
        ));
        // LOOP on counter 2.
        assert_eq!(
            decode((8 << 27) | (2 << 22) | 5),
            Err(DecodeError::BadCounter(2))
        );
        // NEXTF on scalar register 2; NEXTBITX and BITF with an operand.
        assert_eq!(
            decode((21 << 27) | (2 << 22)),
            Err(DecodeError::BadScalarReg(2))
        );
        assert!(matches!(
            decode((18 << 27) | (1 << 22)),
            Err(DecodeError::ReservedBits(_))
        ));
        assert!(matches!(
            decode((19 << 27) | 1),
            Err(DecodeError::ReservedBits(_))
        ));
        // LDK2 with an fb field.
        assert!(matches!(
            decode((20 << 27) | (1 << 17)),
            Err(DecodeError::ReservedBits(_))
        ));
        // FAIL 0 (Ok) and FAIL 7 (no such status).
        assert_eq!(decode(16 << 27), Err(DecodeError::BadFailCode(0)));
        assert_eq!(decode((16 << 27) | 7), Err(DecodeError::BadFailCode(7)));
    }

    #[test]
    fn every_valid_word_re_encodes_to_itself() {
        // Sweep every opcode against a spread of operand patterns: whatever decodes must
        // encode back to the same word (decode is injective on valid words).
        for op in 0u32..32 {
            for pat in [
                0u32,
                0x07ff_ffff,
                0x0555_5555,
                0x02aa_aaaa,
                0x0040_0801,
                0x0000_0003,
            ] {
                let w = (op << 27) | pat;
                if let Ok(i) = decode(w) {
                    assert_eq!(encode(&i), w, "{i}");
                }
            }
        }
    }

    #[test]
    fn alu_opcodes_match_field_alu_port_codes() {
        let (r, a, b, m) = (1, 2, 3, Modulus::P);
        for (i, op) in [
            (Instr::Add { r, a, b, m }, AluOp::Add),
            (Instr::Sub { r, a, b, m }, AluOp::Sub),
            (Instr::Mul { r, a, b, m }, AluOp::Mul),
        ] {
            assert_eq!(i.opcode(), op.code());
            assert_eq!(i.alu().unwrap().0, op);
        }
    }

    #[test]
    fn status_and_command_codes_are_stable() {
        let s: Vec<u8> = Status::ALL.iter().map(|s| s.code()).collect();
        assert_eq!(s, [0, 1, 2, 3, 4, 5, 6]);
        let c: Vec<u8> = Command::ALL.iter().map(|c| c.code()).collect();
        assert_eq!(c, [0, 1, 2, 3]);
        assert_eq!(Command::from_code(4), None);
        assert_eq!(Status::from_code(7), None);
    }
}
