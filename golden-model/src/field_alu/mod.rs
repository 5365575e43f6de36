//! Bit- and cycle-exact model of the word-serial P-256 field ALU (`docs/field-alu.md`).
//!
//! The model is written from the specification, independently of the RTL, and deliberately
//! follows the same register-level algorithm: every clock cycle of the schedule is one call
//! to [`Datapath::tick`] followed by the word operations of that cycle. Modelling the datapath
//! rather than the closed-form result is what lets co-simulation compare cycle counts and
//! catch a wrong carry/borrow chain even where the final value happens to come out right.

use num_bigint::BigUint;
use num_traits::{One, Zero};

use crate::curve::{self, R_BITS};
use crate::wide::U384;

mod pipe;
pub use pipe::{pipelined, MUL_LATENCY};

/// Word widths the generator accepts (the W×W multiplier must map onto DSP blocks and W must
/// divide 256).
pub const SUPPORTED_WIDTHS: [usize; 4] = [16, 32, 64, 128];

/// How many W×W multipliers the ALU has (`docs/field-alu.md`, "One multiplier").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Multipliers {
    /// a0·b0 and q·m_j in the same ROW cycle (the parallel engines).
    Two,
    /// One: q·p_j needs no multiplier (every word of p is 0, 1 or 2^W − 1 at W = 16 and 32),
    /// and mod n each ROW word takes two cycles, a0·b0 then q·n_j (the serial engine). At
    /// W = 128 the one multiplier is pipelined and the product has a schedule of its own
    /// ([`pipelined`], `docs/field-alu.md`, "Pipelined product"; the parallel engine's).
    One,
}

/// Word widths at which the ALU can have one multiplier.
pub const ONE_MULTIPLIER_WIDTHS: [usize; 3] = [16, 32, 128];

/// The multipliers of the parallel engine's ALU at word width `w`: one at W = 128, where a
/// second 128 × 128 multiplier would cost 64 more DSP blocks (ASIC: about 140 kGE) for the
/// quotient products that p's special form gives by shifts; two below, where it is small.
pub fn parallel_multipliers(w: usize) -> Multipliers {
    if w == 128 {
        Multipliers::One
    } else {
        Multipliers::Two
    }
}

/// Whether the ALU at word width `w` makes its final correction (and all of ADD and SUB) in
/// one full-width cycle instead of word-serial passes (`docs/field-alu.md`, "Full-width
/// correction"). Only at W = 128: there the passes would take 2S = 4 cycles for what one
/// 256-bit carry chain does in one, and that chain is not the ALU's slowest path.
pub fn full_width_correction(w: usize) -> bool {
    w == 128
}

/// Which modulus the operation reduces by (`mod_sel`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum Modulus {
    /// The P-256 field prime p.
    P = 0,
    /// The P-256 group order n.
    N = 1,
}

impl Modulus {
    /// Decodes the one-bit `mod_sel` port. Panics on anything but 0 or 1, since the port
    /// cannot carry another value and the caller has made a mistake.
    pub fn from_bit(bit: u8) -> Self {
        match bit {
            0 => Modulus::P,
            1 => Modulus::N,
            _ => panic!("mod_sel is one bit, got {bit}"),
        }
    }

    /// The `mod_sel` encoding.
    pub fn bit(self) -> u8 {
        self as u8
    }
}

/// The legal operations on the two-bit `op` port; code [`AluOp::ILLEGAL`] is the fourth value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
#[repr(u8)]
pub enum AluOp {
    Add = 0,
    Sub = 1,
    Mul = 2,
}

impl AluOp {
    /// The one op code with no operation behind it: answered with `err` in one cycle.
    pub const ILLEGAL: u8 = 3;

    /// All legal operations, for callers that sweep them.
    pub const ALL: [AluOp; 3] = [AluOp::Add, AluOp::Sub, AluOp::Mul];

    /// Decodes the `op` port; `None` for the illegal code 3. Panics on values that do not fit
    /// in two bits.
    pub fn from_code(code: u8) -> Option<Self> {
        match code {
            0 => Some(AluOp::Add),
            1 => Some(AluOp::Sub),
            2 => Some(AluOp::Mul),
            3 => None,
            _ => panic!("op is two bits, got {code}"),
        }
    }

    /// The `op` port encoding.
    pub fn code(self) -> u8 {
        self as u8
    }
}

/// What the ALU presents when `done` pulses.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Outcome {
    /// The `result` port.
    pub result: BigUint,
    /// Cycles from the edge that samples `start` to the edge after which `done` is high,
    /// inclusive.
    pub cycles: u64,
    /// The `err` port (illegal op code).
    pub err: bool,
}

/// The field ALU at transaction level: one [`execute`](FieldAlu::execute) per `start`.
///
/// Only the result register survives between operations, because it is the only state whose
/// old value is observable (an illegal op returns it unchanged).
#[derive(Debug, Clone)]
pub struct FieldAlu {
    w: usize,
    muls: Multipliers,
    t: BigUint,
}

impl FieldAlu {
    /// A freshly reset ALU with word width `w`.
    pub fn new(w: usize) -> Result<Self, String> {
        Self::with_multipliers(w, Multipliers::Two)
    }

    /// A freshly reset ALU with word width `w` and `muls` multipliers.
    pub fn with_multipliers(w: usize, muls: Multipliers) -> Result<Self, String> {
        check_width(w)?;
        if muls == Multipliers::One && !ONE_MULTIPLIER_WIDTHS.contains(&w) {
            return Err(format!(
                "a one-multiplier field ALU needs W in {ONE_MULTIPLIER_WIDTHS:?}, not {w}"
            ));
        }
        Ok(FieldAlu {
            w,
            muls,
            t: BigUint::zero(),
        })
    }

    pub fn multipliers(&self) -> Multipliers {
        self.muls
    }

    /// The word width W.
    pub fn width(&self) -> usize {
        self.w
    }

    /// S = 256 / W, the number of words per operand.
    pub fn words(&self) -> usize {
        R_BITS / self.w
    }

    /// The current value of the `result` register.
    pub fn result(&self) -> &BigUint {
        &self.t
    }

    /// Runs one operation from `start` to `done`.
    ///
    /// `op` is the raw two-bit code so that the illegal code can be exercised. Operands must
    /// be below 2^256 — the ports are 256 bits wide, so anything larger is a caller bug and
    /// panics. Operands need not be reduced: the result is then the exact value the spec
    /// defines for unreduced inputs.
    pub fn execute(&mut self, op: u8, m: Modulus, a: &BigUint, b: &BigUint) -> Outcome {
        assert!(
            a.bits() <= R_BITS as u64 && b.bits() <= R_BITS as u64,
            "field ALU operands are 256-bit"
        );
        let Some(op) = AluOp::from_code(op) else {
            return Outcome {
                result: self.t.clone(),
                cycles: 1,
                err: true,
            };
        };

        let mut dp = Datapath::start(self.w, op, m, a, b, &self.t);
        dp.product_cycle = self.muls == Multipliers::One && m == Modulus::N;
        if full_width_correction(self.w) {
            if op == AluOp::Mul && pipelined(self.w, self.muls) {
                dp.pipelined_mul(m, a, b);
            } else if op == AluOp::Mul {
                dp.mul_loop();
            }
            dp.full_width();
        } else {
            match op {
                AluOp::Add | AluOp::Sub => dp.add_sub_pass(),
                AluOp::Mul => {
                    dp.mul_loop();
                    dp.compare();
                }
            }
            dp.fix();
        }

        self.t = dp.t.to_biguint();
        Outcome {
            result: self.t.clone(),
            cycles: dp.cycles,
            err: false,
        }
    }

    /// x·R mod m, computed the way the engine does it: MUL by R² mod m.
    pub fn to_mont(&mut self, x: &BigUint, m: Modulus) -> BigUint {
        self.execute(AluOp::Mul.code(), m, x, &curve::r2(m)).result
    }

    /// x·R⁻¹ mod m, computed the way the engine does it: MUL by 1.
    pub fn from_mont(&mut self, x: &BigUint, m: Modulus) -> BigUint {
        self.execute(AluOp::Mul.code(), m, x, &BigUint::one())
            .result
    }
}

/// [`cycles_for`] on an ALU with `muls` multipliers, reducing by `m`: with one, a MUL mod n
/// spends a product cycle before each of its S² ROW steps; the pipelined product at W = 128
/// takes L + 7 cycles mod p and 5L + 7 mod n for a multiplier of latency L.
pub fn cycles_with(w: usize, op: u8, m: Modulus, muls: Multipliers) -> u64 {
    let s = (R_BITS / w) as u64;
    let l = MUL_LATENCY as u64;
    match (AluOp::from_code(op), muls, m) {
        (Some(AluOp::Mul), _, Modulus::P) if pipelined(w, muls) => l + 7,
        (Some(AluOp::Mul), _, Modulus::N) if pipelined(w, muls) => 5 * l + 7,
        (Some(AluOp::Mul), Multipliers::One, Modulus::N) => cycles_for(w, op) + s * s,
        _ => cycles_for(w, op),
    }
}

/// Closed-form cycle count of `op` at word width `w` (the table in the spec). The model
/// counts cycles step by step instead; tests check the two agree.
pub fn cycles_for(w: usize, op: u8) -> u64 {
    let s = (R_BITS / check_width(w).unwrap_or_else(|e| panic!("{e}"))) as u64;
    // The word-serial correction is S compare and S fix cycles (ADD/SUB: S of pass, S of
    // fix); the full-width one is a single cycle.
    let wide = full_width_correction(w);
    match AluOp::from_code(op) {
        Some(AluOp::Add | AluOp::Sub) if wide => 2,
        Some(AluOp::Add | AluOp::Sub) => 2 * s + 1,
        Some(AluOp::Mul) if wide => s * s + 3 * s + 2,
        Some(AluOp::Mul) => s * s + 5 * s + 1,
        None => 1,
    }
}

/// The mathematical value of `op` mod m with plain big-integer arithmetic, independent of the
/// word-serial algorithm: (a + b) mod m, (a − b) mod m, a·b·R⁻¹ mod m. For reduced inputs this
/// is exactly what the ALU returns; for unreduced ones the ALU agrees only modulo m.
pub fn reference(op: AluOp, m: Modulus, a: &BigUint, b: &BigUint) -> BigUint {
    let m = curve::modulus(m);
    match op {
        AluOp::Add => (a + b) % &m,
        AluOp::Sub => ((a % &m) + &m - (b % &m)) % &m,
        AluOp::Mul => {
            // Both moduli are prime, so Fermat gives R⁻¹ without a separate inversion routine.
            let r_inv = (BigUint::one() << R_BITS).modpow(&(&m - 2u32), &m);
            a * b % &m * r_inv % &m
        }
    }
}

fn check_width(w: usize) -> Result<usize, String> {
    if SUPPORTED_WIDTHS.contains(&w) {
        Ok(w)
    } else {
        Err(format!(
            "unsupported field ALU word width {w}: must be one of {SUPPORTED_WIDTHS:?}"
        ))
    }
}

fn word_mask(w: usize) -> u128 {
    if w == 128 {
        u128::MAX
    } else {
        (1 << w) - 1
    }
}

/// A 256-bit register, little-endian 64-bit limbs. The spec's registers are rotated or
/// shifted a word at a time and only ever read at word 0, so those are the only operations.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
struct Reg([u64; 4]);

impl Reg {
    fn from_biguint(x: &BigUint) -> Self {
        let mut limbs = [0u64; 4];
        for (limb, digit) in limbs.iter_mut().zip(x.iter_u64_digits()) {
            *limb = digit;
        }
        Reg(limbs)
    }

    fn to_biguint(self) -> BigUint {
        BigUint::new(
            self.0
                .iter()
                .flat_map(|&l| [l as u32, (l >> 32) as u32])
                .collect(),
        )
    }

    /// Word j at width w (W divides 128, so a word spans at most two limbs).
    fn word(&self, j: usize, w: usize) -> u128 {
        let bit = j * w;
        let (i, off) = (bit / 64, bit % 64);
        let joined = self.0[i] as u128 | (self.0.get(i + 1).copied().unwrap_or(0) as u128) << 64;
        (joined >> off) & word_mask(w)
    }

    /// `x ← (x >> W) | (word << (256 − W))`.
    fn shift_in(&mut self, w: usize, word: u128) {
        debug_assert!(word & !word_mask(w) == 0, "word wider than W");
        // Six limbs: the register, the incoming word above it, and zero padding so that a
        // shift by W ≤ 128 never reads past the end.
        let mut ext = [0u64; 6];
        ext[..4].copy_from_slice(&self.0);
        ext[4] = word as u64;
        ext[5] = (word >> 64) as u64;
        let (limbs, bits) = (w / 64, w % 64);
        for (i, limb) in self.0.iter_mut().enumerate() {
            let lo = ext[i + limbs];
            let hi = ext.get(i + limbs + 1).copied().unwrap_or(0);
            *limb = if bits == 0 {
                lo
            } else {
                (lo >> bits) | (hi << (64 - bits))
            };
        }
    }

    /// `x ← (x >> W) | (x << (256 − W))`.
    fn rotate(&mut self, w: usize) {
        let low = self.word(0, w);
        self.shift_in(w, low);
    }
}

/// The registers of the ALU for the duration of one operation, plus the cycle counter.
struct Datapath {
    w: usize,
    s: usize,
    mask: u128,
    op: AluOp,
    m: Reg,
    m_prime: u128,
    a: Reg,
    b: Reg,
    t: Reg,
    t_top: bool,
    /// W + 1 bits: 129 at W = 128.
    carry: U384,
    u: u128,
    q: u128,
    c1: bool,
    c2: bool,
    flag: bool,
    /// One multiplier, mod n: a0·b0 has a ROW cycle of its own.
    product_cycle: bool,
    cycles: u64,
}

impl Datapath {
    /// The start cycle: latch operands and clear the chains. Only MUL clears t, because
    /// ADD/SUB overwrite every word of it in their pass anyway.
    fn start(w: usize, op: AluOp, m: Modulus, a: &BigUint, b: &BigUint, t: &BigUint) -> Self {
        let mut dp = Datapath {
            w,
            s: R_BITS / w,
            mask: word_mask(w),
            op,
            m: Reg::from_biguint(&curve::modulus(m)),
            m_prime: curve::m_prime(m, w),
            a: Reg::from_biguint(a),
            b: Reg::from_biguint(b),
            t: Reg::from_biguint(t),
            // FIX always leaves t_top = 0 and reset clears it, so it is 0 between operations.
            t_top: false,
            carry: U384::default(),
            u: 0,
            q: 0,
            c1: false,
            c2: false,
            flag: false,
            product_cycle: false,
            cycles: 0,
        };
        dp.tick();
        if op == AluOp::Mul {
            dp.t = Reg::default();
            dp.t_top = false;
        }
        dp
    }

    fn tick(&mut self) {
        self.cycles += 1;
    }

    /// W-bit `x + y + cin`: (sum mod 2^W, carry out).
    fn add_word(&self, x: u128, y: u128, cin: bool) -> (u128, bool) {
        let s = U384::from_u128(x)
            .add(U384::from_u128(y))
            .add(U384::from_u128(cin as u128));
        (s.low(self.w), !s.fits(self.w))
    }

    /// W-bit `x − y − bin`: (difference mod 2^W, borrow out).
    fn sub_word(&self, x: u128, y: u128, bin: bool) -> (u128, bool) {
        let (d, b1) = x.overflowing_sub(y);
        let (d, b2) = d.overflowing_sub(bin as u128);
        (d & self.mask, b1 || b2)
    }

    /// S cycles of ADD or SUB; for ADD the t ≥ m comparison runs alongside on the sum words
    /// so that no extra pass is needed to decide the correction.
    fn add_sub_pass(&mut self) {
        let w = self.w;
        for j in 0..self.s {
            self.tick();
            let (a0, b0, mj) = (self.a.word(0, w), self.b.word(0, w), self.m.word(j, w));
            match self.op {
                AluOp::Add => {
                    let (sum, c1) = self.add_word(a0, b0, self.c1);
                    let (_, c2) = self.sub_word(sum, mj, self.c2);
                    self.t.shift_in(w, sum);
                    self.c1 = c1;
                    self.c2 = c2;
                }
                AluOp::Sub => {
                    let (diff, c1) = self.sub_word(a0, b0, self.c1);
                    self.t.shift_in(w, diff);
                    self.c1 = c1;
                }
                AluOp::Mul => unreachable!("MUL has no add/sub pass"),
            }
            self.a.rotate(w);
            self.b.rotate(w);
        }
        self.flag = match self.op {
            // The 257-bit sum is ≥ m if it overflowed 256 bits or its low part did not borrow.
            AluOp::Add => self.c1 || !self.c2,
            // a < b.
            _ => self.c1,
        };
        self.c1 = false;
        self.c2 = false;
    }

    /// The CIOS outer loop: S iterations of QA, QB, S ROW cycles and CARRY.
    fn mul_loop(&mut self) {
        let w = self.w;
        for _ in 0..self.s {
            // QA
            self.tick();
            let (t0, a0, b0) = (self.t.word(0, w), self.a.word(0, w), self.b.word(0, w));
            self.u = t0.wrapping_add(a0.wrapping_mul(b0)) & self.mask;

            // QB: always a real multiply, even for p where m' = 1, so both moduli share one
            // schedule.
            self.tick();
            self.q = self.u.wrapping_mul(self.m_prime) & self.mask;

            // ROW
            for j in 0..self.s {
                if self.product_cycle {
                    // a0·b0 into the product register; nothing else moves.
                    self.tick();
                }
                self.tick();
                let (t0, a0, b0) = (self.t.word(0, w), self.a.word(0, w), self.b.word(0, w));
                let (word, carry) = self.row_sum(t0, a0, b0, self.m.word(j, w));
                // q was chosen to make the lowest word vanish; anything else is a model bug.
                assert!(j != 0 || word == 0, "CIOS row word 0 is {word:#x}, not 0");
                self.t.shift_in(w, word);
                self.carry = carry;
                self.b.rotate(w);
            }

            // CARRY
            self.tick();
            let s = self.carry.add(U384::from_u128(self.t_top as u128));
            self.t.shift_in(w, s.low(w));
            assert!(s.fits(w + 1), "t_top overflowed one bit");
            self.t_top = !s.fits(w);
            self.carry = U384::default();
            self.a.rotate(w);

            debug_assert!(
                self.t.to_biguint() + (BigUint::from(self.t_top as u8) << R_BITS)
                    < self.b.to_biguint() + self.m.to_biguint(),
                "MUL invariant t + t_top·2^256 < b + m violated"
            );
        }
    }

    /// `s = t0 + a0·b0 + q·mj + carry` split into (s mod 2^W, s >> W). The sum needs 2W + 1
    /// bits.
    fn row_sum(&self, t0: u128, a0: u128, b0: u128, mj: u128) -> (u128, U384) {
        let sum = U384::from_u128(t0)
            .add(U384::mul(a0, b0))
            .add(U384::mul(self.q, mj))
            .add(self.carry);
        let carry = sum.shr(self.w);
        assert!(carry.fits(self.w + 1), "row carry exceeds W + 1 bits");
        (sum.low(self.w), carry)
    }

    /// S cycles deciding t ≥ m (including t_top) with a borrow chain; t rotates back in place.
    fn compare(&mut self) {
        let w = self.w;
        for j in 0..self.s {
            self.tick();
            let (_, c2) = self.sub_word(self.t.word(0, w), self.m.word(j, w), self.c2);
            self.c2 = c2;
            self.t.rotate(w);
        }
        self.flag = self.t_top || !self.c2;
        self.c2 = false;
    }

    /// One cycle doing what the ADD/SUB pass, CMP and FIX do word by word: the whole sum or
    /// difference, the comparison with m and the correction at 256 bits (plus MUL's t_top).
    fn full_width(&mut self) {
        self.tick();
        let (a, b, m) = (
            self.a.to_biguint(),
            self.b.to_biguint(),
            self.m.to_biguint(),
        );
        let all = (BigUint::one() << R_BITS) - 1u32;
        // ADD and MUL: x, less m when x ≥ m (the difference below 2^256 for 256-bit inputs).
        let reduce = |x: BigUint, m: &BigUint| if &x >= m { (x - m) & &all } else { x };
        let result = match self.op {
            AluOp::Add => reduce(a + b, &m),
            AluOp::Sub => {
                if a < b {
                    // a − b + m can itself be negative for unreduced b: wrap as the chain does.
                    (a + m + &all + 1u32 - b) & all
                } else {
                    a - b
                }
            }
            AluOp::Mul => reduce(
                self.t.to_biguint() + (BigUint::from(self.t_top as u8) << R_BITS),
                &m,
            ),
        };
        self.t = Reg::from_biguint(&result);
        self.t_top = false;
    }

    /// S cycles applying the conditional correction. Both t − m and t + m are computed every
    /// cycle and the chains always advance, so timing and switching pattern do not depend on
    /// whether a correction is applied.
    fn fix(&mut self) {
        let w = self.w;
        for j in 0..self.s {
            self.tick();
            let (t0, mj) = (self.t.word(0, w), self.m.word(j, w));
            let (d, c1) = self.sub_word(t0, mj, self.c1);
            let (e, c2) = self.add_word(t0, mj, self.c2);
            let word = match (self.flag, self.op) {
                (true, AluOp::Add | AluOp::Mul) => d,
                (true, AluOp::Sub) => e,
                (false, _) => t0,
            };
            self.t.shift_in(w, word);
            self.c1 = c1;
            self.c2 = c2;
        }
        self.t_top = false;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reg_shift_and_rotate_match_biguint() {
        let x = (BigUint::one() << 255u32) + BigUint::from(0x0123_4567_89ab_cdefu64);
        let all = (BigUint::one() << R_BITS) - 1u32;
        for w in SUPPORTED_WIDTHS {
            let mut r = Reg::from_biguint(&x);
            assert_eq!(r.to_biguint(), x);
            r.rotate(w);
            let expected = ((&x >> w) | (&x << (R_BITS - w))) & &all;
            assert_eq!(r.to_biguint(), expected, "rotate W={w}");

            let mut r = Reg::from_biguint(&x);
            r.shift_in(w, word_mask(w));
            let expected = (&x >> w) | (BigUint::from(word_mask(w)) << (R_BITS - w));
            assert_eq!(r.to_biguint(), expected, "shift_in W={w}");
        }
    }
}
