//! The engine's microcode: the one description both the golden-model interpreter and the HDL
//! ROM are generated from.
//!
//! ## Register map
//!
//! The host writes **raw** (not Montgomery) 256-bit integers into the input registers before
//! `start`, and reads raw integers from the output registers after `DONE`. Anything else in
//! the register file is scratch; the microcode never reads a register it has not written in
//! the same command (the interpreter enforces this), so leftovers from an earlier command
//! cannot leak into a result.
//!
//! | reg | name | KEYGEN | ECDH | SIGN | VERIFY |
//! |---|---|---|---|---|---|
//! | r2 | `D` | in d | in d | in d | – |
//! | r3 | `Z` | – | – | in z | in z |
//! | r4 | `NONCE` | – | – | in k | – |
//! | r5 | `QX` | **out Qx** | in Px, **out x(d·P)** | – | in Qx |
//! | r6 | `QY` | **out Qy** | in Py | – | in Qy |
//! | r7 | `R` | – | – | **out r** | in r |
//! | r8 | `S` | – | – | **out s** | in s |
//! | r31 | `RND` | random λ | random λ | random λ | – |
//!
//! `RND` takes the random word of the randomized projective coordinates (`randomize.rs`); the
//! host writes it like an input (`random_regs`), from a TRNG or as the constant 1 when the
//! countermeasure is off (`Engine::run` does the latter). It is the last register of the
//! inversions' pool: λ is used up by the comb or the ladder before any inversion runs.
//!
//! Scratch: r0 `ZERO` (0, loaded first by every command); r1/r13 `PX`/`PY`, the checked input
//! point (Montgomery, affine); r9–r12 the ladder's two co-Z points A = (`XA`, `YA`) and
//! B = (`XB`, `YB`); r14 `KS`, the scalar of a multiplication; r15–r19 temporaries T0–T4; r20
//! `E` (e = z mod n); r21/r22 `IV`/`IA`, input and output of the inversions; r23–r31 `POOL`, the
//! inversions' scratch. The comb and VERIFY give r9–r14 and the pool other names (`comb.rs`,
//! `verify.rs`).
//!
//! Outputs are only meaningful with status OK; on a failure the output registers hold
//! whatever the command had written so far.
//!
//! ## Montgomery form
//!
//! Point coordinates live mod p in Montgomery form (x·R). Scalar arithmetic mod n mostly uses
//! the identity MUL(raw, mont) = raw·mont·R⁻¹ = raw product: multiplying a raw value by a
//! Montgomery-form one yields the raw product directly, which saves the explicit conversions
//! in and out for e·w, r·w and k⁻¹·(e + r·d).
//!
//! ## Call structure
//!
//! The return stack is one deep, so only commands CALL, and a routine may at most tail-jump
//! into another routine (VERIFY's addition falls back to the doubling that way). Formulas used
//! in several places are emitted inline by Rust functions (`emit_*`) — macros at assembly time.
//!
//! | file | what |
//! |---|---|
//! | `commands.rs` | KEYGEN, ECDH, SIGN |
//! | `checks.rs` | range checks of scalars and points |
//! | `comb.rs` | k·G by a fixed-base comb over a ROM table (KEYGEN, SIGN) |
//! | `ladder.rs` | k·P by the co-Z Montgomery ladder (ECDH) |
//! | `randomize.rs` | the random λ of the randomized projective coordinates (comb, ladder) |
//! | `jacobian.rs` | Jacobian doubling and mixed addition (comb, VERIFY) |
//! | `inverse.rs` | x⁻¹ = x^(m−2) by fixed addition chains |
//! | `verify.rs` | VERIFY: joint double-and-add over G, Q and G + Q |

mod checks;
mod comb;
mod commands;
mod inverse;
mod jacobian;
mod ladder;
mod randomize;
mod verify;

use std::sync::OnceLock;

use num_bigint::BigUint;
use num_traits::One;

use crate::curve::{self, R_BITS};
use crate::field_alu::Modulus::{N, P};

use super::asm::{Asm, Label};
use super::isa::{encode, Command, Instr, Reg};

/// Named registers (see the module documentation for the map).
pub mod reg {
    use super::Reg;

    pub const ZERO: Reg = 0;
    pub const PX: Reg = 1;
    pub const D: Reg = 2;
    pub const Z: Reg = 3;
    pub const NONCE: Reg = 4;
    pub const QX: Reg = 5;
    pub const QY: Reg = 6;
    pub const R: Reg = 7;
    pub const S: Reg = 8;
    pub const XA: Reg = 9;
    pub const YA: Reg = 10;
    pub const XB: Reg = 11;
    pub const YB: Reg = 12;
    pub const PY: Reg = 13;
    pub const KS: Reg = 14;
    pub const T0: Reg = 15;
    pub const T1: Reg = 16;
    pub const T2: Reg = 17;
    pub const T3: Reg = 18;
    pub const T4: Reg = 19;
    pub const E: Reg = 20;
    pub const IV: Reg = 21;
    pub const IA: Reg = 22;
    /// Scratch of the inversions (with T0–T4); nothing in it survives a CALL to one.
    pub const POOL: [Reg; 9] = [23, 24, 25, 26, 27, 28, 29, 30, 31];
    /// Random input λ of KEYGEN, ECDH and SIGN (`randomize.rs`); the pool's last register.
    pub const RND: Reg = POOL[8];
}
use reg::*;

/// Loop counter used by every loop (no two loops are ever live at once).
const C0: u8 = 0;

/// Entries of the ROM constant table, addressed by `CONST r, k` with `k` = the discriminant.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u16)]
pub enum Const {
    Zero = 0,
    /// Raw 1: MUL by it leaves Montgomery form.
    One = 1,
    /// R² mod p: MUL by it enters Montgomery form mod p.
    R2P = 2,
    /// R² mod n.
    R2N = 3,
    /// 1 in Montgomery form mod p (R mod p).
    OneP = 4,
    /// b·R mod p.
    BMont = 5,
    /// Gx·R mod p.
    GxMont = 6,
    /// Gy·R mod p.
    GyMont = 7,
    /// n − 1 (raw): the one scalar the co-Z ladder cannot take (`ladder.rs`).
    NMinus1 = 8,
    /// 2^257 − 2n (raw): subtracting it mod n recodes k as k + 2n or k + 3n (`ladder.rs`).
    LadderOffset = 9,
    /// 3⁻¹ mod p (raw): MUL by it divides by 3 and leaves Montgomery form at once.
    Inv3 = 10,
    /// n (raw): VERIFY's second candidate x_R = r + n.
    NRaw = 11,
}

impl Const {
    pub const ALL: [Const; 12] = [
        Const::Zero,
        Const::One,
        Const::R2P,
        Const::R2N,
        Const::OneP,
        Const::BMont,
        Const::GxMont,
        Const::GyMont,
        Const::NMinus1,
        Const::LadderOffset,
        Const::Inv3,
        Const::NRaw,
    ];

    pub fn index(self) -> u16 {
        self as u16
    }

    /// The value, derived from the curve parameters (never copied in as hex).
    pub fn value(self) -> BigUint {
        let p = curve::p();
        let to_mont = |x: BigUint| (x << R_BITS) % curve::p();
        match self {
            Const::Zero => BigUint::default(),
            Const::One => BigUint::one(),
            Const::R2P => curve::r2(P),
            Const::R2N => curve::r2(N),
            Const::OneP => (BigUint::one() << R_BITS) % &p,
            Const::BMont => to_mont(curve::b()),
            Const::GxMont => to_mont(curve::gx()),
            Const::GyMont => to_mont(curve::gy()),
            Const::NMinus1 => curve::n() - 1u32,
            Const::LadderOffset => (BigUint::one() << (R_BITS + 1)) - curve::n() * 2u32,
            Const::Inv3 => BigUint::from(3u32).modpow(&(&p - 2u32), &p),
            Const::NRaw => curve::n(),
        }
    }
}

/// The assembled microcode.
#[derive(Debug, Clone)]
pub struct Program {
    pub code: Vec<Instr>,
    /// Entry pc of each command, indexed by `Command::code()`.
    pub entry: [u16; 4],
    /// The ROM constant table: the `Const` values by `Const::index()`, then the comb table
    /// (`comb_const`, from `COMB_BASE`).
    pub constants: Vec<BigUint>,
}

impl Program {
    pub fn entry(&self, cmd: Command) -> u16 {
        self.entry[cmd.code() as usize]
    }

    /// The ROM image: one encoded word per instruction, address = index.
    pub fn rom_words(&self) -> Vec<u32> {
        self.code.iter().map(encode).collect()
    }
}

/// Registers the host writes before starting `cmd`, in the order `Engine::run` takes them.
pub fn input_regs(cmd: Command) -> &'static [Reg] {
    match cmd {
        Command::Keygen => &[D],
        Command::Ecdh => &[D, QX, QY],
        Command::Sign => &[D, Z, NONCE],
        Command::Verify => &[QX, QY, Z, R, S],
    }
}

/// Registers the host writes with random words before starting `cmd` (after the inputs), in
/// the order `Engine::run_randomized` takes them: λ of the randomized projective coordinates
/// for the commands that multiply a secret scalar. VERIFY handles public data only.
pub fn random_regs(cmd: Command) -> &'static [Reg] {
    match cmd {
        Command::Keygen | Command::Ecdh | Command::Sign => &[RND],
        Command::Verify => &[],
    }
}

/// Registers the host reads after `cmd` finishes with OK, in order.
pub fn output_regs(cmd: Command) -> &'static [Reg] {
    match cmd {
        Command::Keygen => &[QX, QY],
        Command::Ecdh => &[QX],
        Command::Sign => &[R, S],
        Command::Verify => &[],
    }
}

/// The program, assembled once.
pub fn program() -> &'static Program {
    static PROGRAM: OnceLock<Program> = OnceLock::new();
    PROGRAM.get_or_init(build)
}

fn konst(a: &mut Asm, r: Reg, k: Const) {
    a.konst(r, k.index());
}

/// Where the comb table starts in the constant ROM: its x coordinates are one aligned block
/// of 16 (`COMBLD` puts the digit in the low 4 address bits), its y coordinates the next.
const COMB_BASE: u16 = 16;
const _: () = assert!(Const::ALL.len() as u16 <= COMB_BASE && COMB_BASE % 16 == 0);

/// Constant index of coordinate `coord` (0 = x, 1 = y; Montgomery) of the comb table's entry
/// for digit d ∈ [0, 15]: T[d], and for d = 0 T[1] again (the dummy a zero column adds).
fn comb_const(d: u8, coord: u16) -> u16 {
    assert!(d as usize <= comb::TABLE_POINTS && coord < 2);
    COMB_BASE + 16 * coord + d as u16
}

/// The `Const` values by index, zeros up to `COMB_BASE`, then the comb table's x block and
/// its y block.
fn constants() -> Vec<BigUint> {
    let to_mont = |x: &BigUint| (x << R_BITS) % curve::p();
    let table = comb::table();
    let entry = |d: usize| &table[d.max(1) - 1];
    let mut c: Vec<BigUint> = Const::ALL.iter().map(|c| c.value()).collect();
    c.resize(COMB_BASE as usize, BigUint::default());
    c.extend((0..=comb::TABLE_POINTS).map(|d| to_mont(&entry(d).0)));
    c.extend((0..=comb::TABLE_POINTS).map(|d| to_mont(&entry(d).1)));
    c
}

/// Subroutine entry points (CALL targets).
struct Routines {
    check_point: Label,
    comb: Label,
    comb_affine_xy: Label,
    comb_affine_x: Label,
    ladder: Label,
    affine_x: Label,
    inv_p: Label,
    inv_n: Label,
    dbl: Label,
    madd: Label,
}

fn build() -> Program {
    let mut a = Asm::new();
    let rt = Routines {
        check_point: a.label(),
        comb: a.label(),
        comb_affine_xy: a.label(),
        comb_affine_x: a.label(),
        ladder: a.label(),
        affine_x: a.label(),
        inv_p: a.label(),
        inv_n: a.label(),
        dbl: a.label(),
        madd: a.label(),
    };
    let mut entry = [0u16; 4];
    entry[Command::Keygen.code() as usize] = commands::keygen(&mut a, &rt);
    entry[Command::Ecdh.code() as usize] = commands::ecdh(&mut a, &rt);
    entry[Command::Sign.code() as usize] = commands::sign(&mut a, &rt);
    entry[Command::Verify.code() as usize] = verify::verify(&mut a, &rt);
    checks::check_point(&mut a, rt.check_point);
    comb::comb(&mut a, rt.comb);
    comb::affine(&mut a, rt.comb_affine_xy, rt.comb_affine_x);
    ladder::ladder(&mut a, rt.ladder);
    ladder::affine_x(&mut a, rt.affine_x);
    inverse::inv(&mut a, rt.inv_p, P);
    inverse::inv(&mut a, rt.inv_n, N);
    verify::dbl(&mut a, rt.dbl);
    verify::madd(&mut a, rt.madd, rt.dbl);
    Program {
        code: a.finish(),
        entry,
        constants: constants(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::isa::decode;

    #[test]
    fn program_fits_the_rom_and_round_trips() {
        let prog = program();
        assert!(prog.code.len() <= 2048);
        for (pc, w) in prog.rom_words().into_iter().enumerate() {
            assert_eq!(decode(w), Ok(prog.code[pc]), "pc {pc}: {w:#010x}");
        }
    }

    #[test]
    fn every_target_and_constant_is_in_range() {
        let prog = program();
        let len = prog.code.len() as u16;
        for i in &prog.code {
            match *i {
                Instr::Djnz { target, .. }
                | Instr::Jmp { target }
                | Instr::Call { target }
                | Instr::Bf { target }
                | Instr::Bnf { target } => assert!(target < len, "{i}"),
                Instr::Const { k, .. } | Instr::Csel { k, .. } => {
                    assert!((k as usize) < prog.constants.len(), "{i}")
                }
                // Every digit's entry: the whole aligned block of 16.
                Instr::Combld { k, .. } => assert!((k as usize + 15) < prog.constants.len(), "{i}"),
                _ => {}
            }
        }
        for cmd in Command::ALL {
            assert!(prog.entry(cmd) < len);
        }
    }

    #[test]
    fn constant_table_values() {
        let p = curve::p();
        let n = curve::n();
        let r = BigUint::one() << 256u32;
        let c = &program().constants;
        assert_eq!(c.len(), COMB_BASE as usize + 32);
        for (i, k) in Const::ALL.iter().enumerate() {
            assert_eq!(k.index() as usize, i, "{k:?}");
        }
        assert_eq!(c[Const::OneP.index() as usize], &r - &p);
        assert_eq!(c[Const::R2P.index() as usize], &r * &r % &p);
        assert_eq!(c[Const::R2N.index() as usize], &r * &r % &n);
        assert_eq!(c[Const::GxMont.index() as usize], curve::gx() * &r % &p);
        assert_eq!(&c[Const::Inv3.index() as usize] * 3u32 % &p, BigUint::one());
        // 2^257 ≡ 2·(2^256 − n) (mod n), and the offset is below n (so SUB mod n is exact).
        let off = &c[Const::LadderOffset.index() as usize];
        assert_eq!(off, &((&r - &n) * 2u32));
        assert!(off < &n);
        // The comb table: T[d] on the curve, T[1] = G, T[2] = 2^64·G (via T[3] = G + 2^64·G).
        let b = curve::b();
        let from_mont = |v: &BigUint| v * BigUint::from(2u32).modpow(&(&p - 257u32), &p) % &p;
        let point = |d: u8| {
            (
                from_mont(&c[comb_const(d, 0) as usize]),
                from_mont(&c[comb_const(d, 1) as usize]),
            )
        };
        for d in 1..=comb::TABLE_POINTS as u8 {
            let (x, y) = point(d);
            assert_eq!(
                &y * &y % &p,
                (&x * &x * &x + &b + &p * 3u32 - &x * 3u32) % &p,
                "T[{d}]"
            );
        }
        assert_eq!(
            c[comb_const(1, 0) as usize],
            c[Const::GxMont.index() as usize]
        );
        // Digit 0's entry is T[1] again, and the x and y blocks are 16 apart.
        assert_eq!(point(0), point(1));
        assert_eq!(comb_const(5, 1), comb_const(5, 0) + 16);
    }

    #[test]
    fn no_input_register_is_scratch_for_another_input() {
        for cmd in Command::ALL {
            let ins = [input_regs(cmd), random_regs(cmd)].concat();
            let mut sorted = ins.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), ins.len(), "{cmd:?}");
        }
    }
}
