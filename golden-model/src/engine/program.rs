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
//!
//! Scratch: r0 `ZERO` (0, loaded first by every command), r1 `B` (b·R mod p), r9–r11 ladder
//! point R0 = (X0:Y0:Z0), r12–r14 ladder point R1 = (X1:Y1:Z1), r15–r19 formula temporaries
//! T0–T4, r20–r22 formula outputs (X3:Y3:Z3), r23 `E` (e = z mod n), r24/r25 `U1`/`U2`,
//! r27–r29 saved point (SX:SY:SZ), r30/r31 `PA`/`PB` (exponentiation ladder). r26 is free.
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
//! The return stack is one deep, so CALLed routines (`ladder`, `to_affine`, `check_point`,
//! `inv_n`) never CALL: the complete addition/doubling formulas and the exponentiation
//! ladder are emitted inline by Rust functions (`emit_*`) — macros at assembly time.

use std::sync::OnceLock;

use num_bigint::BigUint;
use num_traits::One;

use crate::curve::{self, R_BITS};
use crate::field_alu::Modulus::{self, N, P};

use super::asm::{Asm, Label};
use super::isa::{encode, Command, Instr, Reg, Status};

/// Named registers (see the module documentation for the map).
pub mod reg {
    use super::Reg;

    pub const ZERO: Reg = 0;
    pub const B: Reg = 1;
    pub const D: Reg = 2;
    pub const Z: Reg = 3;
    pub const NONCE: Reg = 4;
    pub const QX: Reg = 5;
    pub const QY: Reg = 6;
    pub const R: Reg = 7;
    pub const S: Reg = 8;
    pub const X0: Reg = 9;
    pub const Y0: Reg = 10;
    pub const Z0: Reg = 11;
    pub const X1: Reg = 12;
    pub const Y1: Reg = 13;
    pub const Z1: Reg = 14;
    pub const T0: Reg = 15;
    pub const T1: Reg = 16;
    pub const T2: Reg = 17;
    pub const T3: Reg = 18;
    pub const T4: Reg = 19;
    pub const X3: Reg = 20;
    pub const Y3: Reg = 21;
    pub const Z3: Reg = 22;
    pub const E: Reg = 23;
    pub const U1: Reg = 24;
    pub const U2: Reg = 25;
    pub const SX: Reg = 27;
    pub const SY: Reg = 28;
    pub const SZ: Reg = 29;
    pub const PA: Reg = 30;
    pub const PB: Reg = 31;
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
    /// 1 in Montgomery form mod n (R mod n).
    OneN = 5,
    /// b·R mod p.
    BMont = 6,
    /// Gx·R mod p.
    GxMont = 7,
    /// Gy·R mod p.
    GyMont = 8,
    /// p − 2, the Fermat exponent for Z⁻¹ (raw, loaded into K).
    PMinus2 = 9,
    /// n − 2, the Fermat exponent for k⁻¹ and s⁻¹.
    NMinus2 = 10,
}

impl Const {
    pub const ALL: [Const; 11] = [
        Const::Zero,
        Const::One,
        Const::R2P,
        Const::R2N,
        Const::OneP,
        Const::OneN,
        Const::BMont,
        Const::GxMont,
        Const::GyMont,
        Const::PMinus2,
        Const::NMinus2,
    ];

    pub fn index(self) -> u16 {
        self as u16
    }

    /// The value, derived from the curve parameters (never copied in as hex).
    pub fn value(self) -> BigUint {
        let to_mont = |x: BigUint| (x << R_BITS) % curve::p();
        match self {
            Const::Zero => BigUint::default(),
            Const::One => BigUint::one(),
            Const::R2P => curve::r2(P),
            Const::R2N => curve::r2(N),
            Const::OneP => (BigUint::one() << R_BITS) % curve::p(),
            Const::OneN => (BigUint::one() << R_BITS) % curve::n(),
            Const::BMont => to_mont(curve::b()),
            Const::GxMont => to_mont(curve::gx()),
            Const::GyMont => to_mont(curve::gy()),
            Const::PMinus2 => curve::p() - 2u32,
            Const::NMinus2 => curve::n() - 2u32,
        }
    }
}

/// The assembled microcode.
#[derive(Debug, Clone)]
pub struct Program {
    pub code: Vec<Instr>,
    /// Entry pc of each command, indexed by `Command::code()`.
    pub entry: [u16; 4],
    /// The ROM constant table, indexed by `Const::index()`.
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

/// Subroutine entry points.
struct Routines {
    ladder: Label,
    to_affine: Label,
    check_point: Label,
    inv_n: Label,
}

fn build() -> Program {
    let mut a = Asm::new();
    let rt = Routines {
        ladder: a.label(),
        to_affine: a.label(),
        check_point: a.label(),
        inv_n: a.label(),
    };
    let mut entry = [0u16; 4];
    entry[Command::Keygen.code() as usize] = keygen(&mut a, &rt);
    entry[Command::Ecdh.code() as usize] = ecdh(&mut a, &rt);
    entry[Command::Sign.code() as usize] = sign(&mut a, &rt);
    entry[Command::Verify.code() as usize] = verify(&mut a, &rt);
    ladder(&mut a, rt.ladder);
    to_affine(&mut a, rt.to_affine);
    check_point(&mut a, rt.check_point);
    inv_n(&mut a, rt.inv_n);
    Program {
        code: a.finish(),
        entry,
        constants: Const::ALL.iter().map(|c| c.value()).collect(),
    }
}

// ───────────────────────────── commands ─────────────────────────────

/// Q = d·G.
fn keygen(a: &mut Asm, rt: &Routines) -> u16 {
    let start = a.here();
    let bad = a.label();
    konst(a, ZERO, Const::Zero);
    emit_check_scalar(a, D, bad);
    load_generator(a);
    a.ldk(D);
    a.call(rt.ladder);
    // d ∈ [1, n−1] and G has order n, so d·G ≠ O: no infinity check needed.
    a.call(rt.to_affine);
    a.done();
    a.bind(bad);
    a.fail(Status::BadScalar);
    start
}

/// x of d·P.
fn ecdh(a: &mut Asm, rt: &Routines) -> u16 {
    let start = a.here();
    let (bad_scalar, bad_point) = (a.label(), a.label());
    konst(a, ZERO, Const::Zero);
    emit_check_scalar(a, D, bad_scalar);
    a.call(rt.check_point); // → X1, Y1 (Montgomery)
    konst(a, Z1, Const::OneP);
    a.ldk(D);
    a.call(rt.ladder);
    // Unreachable for a valid P (prime-order curve, d < n), but the contract says O → BAD_POINT
    // and the flag only reveals that the result is O, which no valid input produces.
    a.eq(Z0, ZERO);
    a.bf(bad_point);
    a.call(rt.to_affine); // → QX raw
    a.done();
    a.bind(bad_scalar);
    a.fail(Status::BadScalar);
    a.bind(bad_point);
    a.fail(Status::BadPoint);
    start
}

/// (r, s) with r = x(k·G) mod n, s = k⁻¹(e + r·d) mod n.
fn sign(a: &mut Asm, rt: &Routines) -> u16 {
    let start = a.here();
    let (bad, r_zero, s_zero) = (a.label(), a.label(), a.label());
    konst(a, ZERO, Const::Zero);
    emit_check_scalar(a, D, bad);
    emit_check_scalar(a, NONCE, bad);
    a.add(E, Z, ZERO, N); // e = z mod n (z < 2^256 < 2n: one subtraction is enough)
    load_generator(a);
    a.ldk(NONCE);
    a.call(rt.ladder);
    a.call(rt.to_affine); // QX = x1 raw (< p < 2n)
    a.add(R, QX, ZERO, N); // r = x1 mod n

    // r = 0 is disclosed by the standard (the caller retries with a new k).
    a.eq(R, ZERO);
    a.bf(r_zero);
    konst(a, T0, Const::R2N);
    a.mul(PB, NONCE, T0, N); // k·R
    a.call(rt.inv_n); // PA = k⁻¹·R; clobbers T0
    konst(a, T0, Const::R2N);
    a.mul(T1, D, T0, N); // d·R
    a.mul(T1, R, T1, N); // r·d (raw × Montgomery = raw)
    a.add(T1, E, T1, N); // e + r·d
    a.mul(S, T1, PA, N); // s = k⁻¹(e + r·d), raw
    a.eq(S, ZERO);
    a.bf(s_zero);
    a.done();
    a.bind(bad);
    a.fail(Status::BadScalar);
    a.bind(r_zero);
    a.fail(Status::RZero);
    a.bind(s_zero);
    a.fail(Status::SZero);
    start
}

/// OK iff x(u1·G + u2·Q) ≡ r (mod n). Every branch here depends on public data only.
fn verify(a: &mut Asm, rt: &Routines) -> u16 {
    let start = a.here();
    let invalid = a.label();
    konst(a, ZERO, Const::Zero);
    emit_check_scalar(a, R, invalid);
    emit_check_scalar(a, S, invalid);
    // Stops with BAD_POINT itself; → X1, Y1 = Q (Montgomery), kept until the first ladder.
    a.call(rt.check_point);
    a.add(E, Z, ZERO, N);
    konst(a, T0, Const::R2N);
    a.mul(PB, S, T0, N); // s·R
    a.call(rt.inv_n); // PA = w·R, w = s⁻¹
    a.mul(U1, E, PA, N); // u1 = e·w (raw)
    a.mul(U2, R, PA, N); // u2 = r·w (raw)

    // u2·Q first, while Q is still in X1/Y1.
    konst(a, Z1, Const::OneP);
    a.ldk(U2);
    a.call(rt.ladder);
    a.mov(SX, X0);
    a.mov(SY, Y0);
    a.mov(SZ, Z0);
    load_generator(a);
    a.ldk(U1);
    a.call(rt.ladder); // B is still b·R afterwards: the ladder loaded it
    emit_point_add(a, [X0, Y0, Z0], [SX, SY, SZ]);
    a.eq(Z3, ZERO);
    a.bf(invalid); // R = O
    a.mov(X0, X3);
    a.mov(Y0, Y3);
    a.mov(Z0, Z3);
    a.call(rt.to_affine); // QX = x_R raw (< p < 2n)
    a.add(T0, QX, ZERO, N);
    a.eq(T0, R);
    a.bnf(invalid);
    a.done();
    a.bind(invalid);
    a.fail(Status::InvalidSig);
    start
}

// ───────────────────────────── routines ─────────────────────────────

/// (X1:Y1:Z1) ← (Gx·R : Gy·R : R).
fn load_generator(a: &mut Asm) {
    konst(a, X1, Const::GxMont);
    konst(a, Y1, Const::GyMont);
    konst(a, Z1, Const::OneP);
}

/// Jump to `bad` unless 1 ≤ R[x] ≤ n − 1. Uses T0. ADD(x, 0, n) subtracts n exactly when
/// x ≥ n, so it returns x unchanged iff x < n.
fn emit_check_scalar(a: &mut Asm, x: Reg, bad: Label) {
    a.add(T0, x, ZERO, N);
    a.eq(T0, x);
    a.bnf(bad);
    a.eq(x, ZERO);
    a.bf(bad);
}

/// Montgomery ladder, 256 iterations over K from bit 255 down.
/// In: (X1:Y1:Z1) = P (Montgomery, projective), K = scalar. Out: (X0:Y0:Z0) = K·P.
/// Clobbers B (← b·R), T0–T4, X3–Z3, K, c0.
///
/// Invariant R1 − R0 = P. Per bit: swap so that the bit's "doubled" point is in R0, then
/// R1 ← R0 + R1, R0 ← 2·R0, swap back. Both CSWAPs use the same bit; each always writes.
fn ladder(a: &mut Asm, entry: Label) {
    a.bind(entry);
    a.mov(X0, ZERO);
    konst(a, Y0, Const::OneP);
    a.mov(Z0, ZERO); // R0 = O = (0 : 1 : 0)
    konst(a, B, Const::BMont);
    a.loop_(C0, 256);
    let top = a.label();
    a.bind(top);
    a.nextbit();
    emit_cswap_points(a);
    emit_point_add(a, [X0, Y0, Z0], [X1, Y1, Z1]);
    a.mov(X1, X3);
    a.mov(Y1, Y3);
    a.mov(Z1, Z3);
    emit_point_double(a, [X0, Y0, Z0]);
    a.mov(X0, X3);
    a.mov(Y0, Y3);
    a.mov(Z0, Z3);
    emit_cswap_points(a);
    a.djnz(C0, top);
    a.ret();
}

fn emit_cswap_points(a: &mut Asm) {
    a.cswap(X0, X1);
    a.cswap(Y0, Y1);
    a.cswap(Z0, Z1);
}

/// (X0:Y0:Z0) → raw affine QX = X/Z, QY = Y/Z with Z⁻¹ = Z^(p−2).
/// Clobbers PA, PB, T0, K, c0. For Z = 0 it yields (0, 0); callers that can see O check first.
fn to_affine(a: &mut Asm, entry: Label) {
    a.bind(entry);
    a.mov(PB, Z0);
    emit_pow(a, P, Const::PMinus2, Const::OneP); // PA = Z⁻¹·R
    a.mul(QX, X0, PA, P); // x·R
    a.mul(QY, Y0, PA, P); // y·R
    konst(a, T0, Const::One);
    a.mul(QX, QX, T0, P); // x
    a.mul(QY, QY, T0, P); // y
    a.ret();
}

/// PA ← PB^(n−2) = PB⁻¹ (Montgomery mod n). Clobbers PB, T0, K, c0.
fn inv_n(a: &mut Asm, entry: Label) {
    a.bind(entry);
    emit_pow(a, N, Const::NMinus2, Const::OneN);
    a.ret();
}

/// PA ← PB^e mod m, Montgomery form in and out, e a constant. The Montgomery ladder on
/// exponents: one multiply and one square per bit whatever the bit, so the cost and the
/// instruction sequence are fixed (the exponent is public, but the base is secret).
/// Clobbers PB, T0, K, c0.
fn emit_pow(a: &mut Asm, m: Modulus, exponent: Const, one: Const) {
    konst(a, T0, exponent);
    a.ldk(T0);
    konst(a, PA, one);
    a.loop_(C0, 256);
    let top = a.label();
    a.bind(top);
    a.nextbit();
    a.cswap(PA, PB);
    a.mul(PB, PA, PB, m);
    a.mul(PA, PA, PA, m);
    a.cswap(PA, PB);
    a.djnz(C0, top);
}

/// Validate the raw affine point (QX, QY): both < p and y² = x³ − 3x + b.
/// Out: X1 = x·R, Y1 = y·R. Stops with BAD_POINT otherwise. Clobbers T0–T3.
fn check_point(a: &mut Asm, entry: Label) {
    a.bind(entry);
    let bad = a.label();
    a.add(T0, QX, ZERO, P);
    a.eq(T0, QX);
    a.bnf(bad);
    a.add(T0, QY, ZERO, P);
    a.eq(T0, QY);
    a.bnf(bad);
    konst(a, T0, Const::R2P);
    a.mul(X1, QX, T0, P);
    a.mul(Y1, QY, T0, P);
    a.mul(T1, Y1, Y1, P); // y²
    a.mul(T2, X1, X1, P);
    a.mul(T2, T2, X1, P); // x³
    a.add(T3, X1, X1, P);
    a.add(T3, T3, X1, P); // 3x
    a.sub(T2, T2, T3, P);
    konst(a, T3, Const::BMont);
    a.add(T2, T2, T3, P); // x³ − 3x + b
    a.eq(T1, T2);
    a.bnf(bad);
    a.ret();
    a.bind(bad);
    a.fail(Status::BadPoint);
}

/// (X3:Y3:Z3) ← p1 + p2, complete addition for a = −3 (Renes–Costello–Batina 2016,
/// Algorithm 4). Valid for every input pair including O and p1 = ±p2. Needs B = b·R.
/// Inputs are read only in steps 1–15, and X3/Y3/Z3 and T0–T4 must not alias them.
fn emit_point_add(a: &mut Asm, [x1, y1, z1]: [Reg; 3], [x2, y2, z2]: [Reg; 3]) {
    let (t0, t1, t2, t3, t4) = (T0, T1, T2, T3, T4);
    let (x3, y3, z3) = (X3, Y3, Z3);
    a.mul(t0, x1, x2, P); //  1. t0 ← X1·X2
    a.mul(t1, y1, y2, P); //  2. t1 ← Y1·Y2
    a.mul(t2, z1, z2, P); //  3. t2 ← Z1·Z2
    a.add(t3, x1, y1, P); //  4. t3 ← X1+Y1
    a.add(t4, x2, y2, P); //  5. t4 ← X2+Y2
    a.mul(t3, t3, t4, P); //  6. t3 ← t3·t4
    a.add(t4, t0, t1, P); //  7. t4 ← t0+t1
    a.sub(t3, t3, t4, P); //  8. t3 ← t3−t4
    a.add(t4, y1, z1, P); //  9. t4 ← Y1+Z1
    a.add(x3, y2, z2, P); // 10. X3 ← Y2+Z2
    a.mul(t4, t4, x3, P); // 11. t4 ← t4·X3
    a.add(x3, t1, t2, P); // 12. X3 ← t1+t2
    a.sub(t4, t4, x3, P); // 13. t4 ← t4−X3
    a.add(x3, x1, z1, P); // 14. X3 ← X1+Z1
    a.add(y3, x2, z2, P); // 15. Y3 ← X2+Z2
    a.mul(x3, x3, y3, P); // 16. X3 ← X3·Y3
    a.add(y3, t0, t2, P); // 17. Y3 ← t0+t2
    a.sub(y3, x3, y3, P); // 18. Y3 ← X3−Y3
    a.mul(z3, B, t2, P); //  19. Z3 ← b·t2
    a.sub(x3, y3, z3, P); // 20. X3 ← Y3−Z3
    a.add(z3, x3, x3, P); // 21. Z3 ← X3+X3
    a.add(x3, x3, z3, P); // 22. X3 ← X3+Z3
    a.sub(z3, t1, x3, P); // 23. Z3 ← t1−X3
    a.add(x3, t1, x3, P); // 24. X3 ← t1+X3
    a.mul(y3, B, y3, P); //  25. Y3 ← b·Y3
    a.add(t1, t2, t2, P); // 26. t1 ← t2+t2
    a.add(t2, t1, t2, P); // 27. t2 ← t1+t2
    a.sub(y3, y3, t2, P); // 28. Y3 ← Y3−t2
    a.sub(y3, y3, t0, P); // 29. Y3 ← Y3−t0
    a.add(t1, y3, y3, P); // 30. t1 ← Y3+Y3
    a.add(y3, t1, y3, P); // 31. Y3 ← t1+Y3
    a.add(t1, t0, t0, P); // 32. t1 ← t0+t0
    a.add(t0, t1, t0, P); // 33. t0 ← t1+t0
    a.sub(t0, t0, t2, P); // 34. t0 ← t0−t2
    a.mul(t1, t4, y3, P); // 35. t1 ← t4·Y3
    a.mul(t2, t0, y3, P); // 36. t2 ← t0·Y3
    a.mul(y3, x3, z3, P); // 37. Y3 ← X3·Z3
    a.add(y3, y3, t2, P); // 38. Y3 ← Y3+t2
    a.mul(x3, x3, t3, P); // 39. X3 ← X3·t3
    a.sub(x3, x3, t1, P); // 40. X3 ← X3−t1
    a.mul(z3, t4, z3, P); // 41. Z3 ← t4·Z3
    a.mul(t1, t3, t0, P); // 42. t1 ← t3·t0
    a.add(z3, z3, t1, P); // 43. Z3 ← Z3+t1
}

/// (X3:Y3:Z3) ← 2·p, exception-free doubling for a = −3 (Renes–Costello–Batina 2016,
/// Algorithm 6). Needs B = b·R. The input is read up to step 28, so it must not alias
/// X3/Y3/Z3 or T0–T3.
fn emit_point_double(a: &mut Asm, [x, y, z]: [Reg; 3]) {
    let (t0, t1, t2, t3) = (T0, T1, T2, T3);
    let (x3, y3, z3) = (X3, Y3, Z3);
    a.mul(t0, x, x, P); //    1. t0 ← X·X
    a.mul(t1, y, y, P); //    2. t1 ← Y·Y
    a.mul(t2, z, z, P); //    3. t2 ← Z·Z
    a.mul(t3, x, y, P); //    4. t3 ← X·Y
    a.add(t3, t3, t3, P); //  5. t3 ← t3+t3
    a.mul(z3, x, z, P); //    6. Z3 ← X·Z
    a.add(z3, z3, z3, P); //  7. Z3 ← Z3+Z3
    a.mul(y3, B, t2, P); //   8. Y3 ← b·t2
    a.sub(y3, y3, z3, P); //  9. Y3 ← Y3−Z3
    a.add(x3, y3, y3, P); // 10. X3 ← Y3+Y3
    a.add(y3, x3, y3, P); // 11. Y3 ← X3+Y3
    a.sub(x3, t1, y3, P); // 12. X3 ← t1−Y3
    a.add(y3, t1, y3, P); // 13. Y3 ← t1+Y3
    a.mul(y3, x3, y3, P); // 14. Y3 ← X3·Y3
    a.mul(x3, x3, t3, P); // 15. X3 ← X3·t3
    a.add(t3, t2, t2, P); // 16. t3 ← t2+t2
    a.add(t2, t2, t3, P); // 17. t2 ← t2+t3
    a.mul(z3, B, z3, P); //  18. Z3 ← b·Z3
    a.sub(z3, z3, t2, P); // 19. Z3 ← Z3−t2
    a.sub(z3, z3, t0, P); // 20. Z3 ← Z3−t0
    a.add(t3, z3, z3, P); // 21. t3 ← Z3+Z3
    a.add(z3, z3, t3, P); // 22. Z3 ← Z3+t3
    a.add(t3, t0, t0, P); // 23. t3 ← t0+t0
    a.add(t0, t3, t0, P); // 24. t0 ← t3+t0
    a.sub(t0, t0, t2, P); // 25. t0 ← t0−t2
    a.mul(t0, t0, z3, P); // 26. t0 ← t0·Z3
    a.add(y3, y3, t0, P); // 27. Y3 ← Y3+t0
    a.mul(t0, y, z, P); //   28. t0 ← Y·Z
    a.add(t0, t0, t0, P); // 29. t0 ← t0+t0
    a.mul(z3, t0, z3, P); // 30. Z3 ← t0·Z3
    a.sub(x3, x3, z3, P); // 31. X3 ← X3−Z3
    a.mul(z3, t0, t1, P); // 32. Z3 ← t0·t1
    a.add(z3, z3, z3, P); // 33. Z3 ← Z3+Z3
    a.add(z3, z3, z3, P); // 34. Z3 ← Z3+Z3
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
                Instr::Const { k, .. } => assert!((k as usize) < prog.constants.len(), "{i}"),
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
        assert_eq!(c[Const::OneP.index() as usize], &r - &p);
        assert_eq!(c[Const::OneN.index() as usize], &r - &n);
        assert_eq!(c[Const::R2P.index() as usize], &r * &r % &p);
        assert_eq!(c[Const::R2N.index() as usize], &r * &r % &n);
        assert_eq!(c[Const::GxMont.index() as usize], curve::gx() * &r % &p);
        assert_eq!(c[Const::PMinus2.index() as usize], &p - 2u32);
    }

    #[test]
    fn no_input_register_is_scratch_for_another_input() {
        for cmd in Command::ALL {
            let ins = input_regs(cmd);
            let mut sorted = ins.to_vec();
            sorted.sort_unstable();
            sorted.dedup();
            assert_eq!(sorted.len(), ins.len(), "{cmd:?}");
        }
    }
}
