//! The word-serial P-256 field ALU: ADD, SUB and Montgomery MUL modulo p or n.
//! The schedule is specified in `docs/field-alu.md`; the golden model implements the same
//! text independently, and co-simulation holds the two to the same result and cycle count.

pub mod mul;
pub mod mul_pipe;
pub mod pipe;
pub mod wide_add;

use crate::curve;
use mul::Mul;
use num_bigint::BigUint;
use pipe::Pipe;
use rust_hdl::prelude::*;
use wide_add::WideAdd;

#[derive(Copy, Clone, PartialEq, Debug, LogicState)]
pub enum AluState {
    Idle,
    AddSub,
    Qa,
    Qb,
    Row,
    Carry,
    /// With `k_wide`, the whole full-width correction in one cycle: ADD, SUB, or MUL's compare
    /// and fix (a state of its own would widen the state register at every W).
    Cmp,
    Fix,
}

pub const OP_ADD: u64 = 0;
pub const OP_SUB: u64 = 1;
pub const OP_MUL: u64 = 2;
pub const OP_ILLEGAL: u64 = 3;

/// `W` is the word width; `P = 2W` (product), `SW = 2W + 1` (row sum), `CW = W + 1`
/// (carry). Stable Rust cannot derive widths from `W`, so they are parameters of their
/// own, checked in `new()`; use the aliases below.
#[derive(LogicBlock)]
pub struct FieldAlu<const W: usize, const P: usize, const SW: usize, const CW: usize> {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    pub start: Signal<In, Bit>,
    pub op: Signal<In, Bits<2>>,
    pub mod_sel: Signal<In, Bit>,
    pub a: Signal<In, Bits<256>>,
    pub b: Signal<In, Bits<256>>,
    pub busy: Signal<Out, Bit>,
    pub done: Signal<Out, Bit>,
    pub err: Signal<Out, Bit>,
    pub result: Signal<Out, Bits<256>>,
    /// Serial operand port (`new_serial` only; ignored otherwise): while idle, `ld_a`/`ld_b`
    /// shift `ld_word` into the top of a/b (word 0 first, so after S loads word j sits at
    /// j), and `rot_t` rotates the result one word down, so `result[W-1:0]` walks its words.
    /// `start` then leaves a and b alone. `ld_*` may coincide with `start`.
    pub ld_a: Signal<In, Bit>,
    pub ld_b: Signal<In, Bit>,
    pub ld_word: Signal<In, Bits<W>>,
    pub rot_t: Signal<In, Bit>,

    state: DFF<AluState>,
    ra: DFF<Bits<256>>,
    rb: DFF<Bits<256>>,
    t: DFF<Bits<256>>,
    t_top: DFF<Bits<1>>,
    carry: DFF<Bits<CW>>,
    u: DFF<Bits<W>>,
    q: DFF<Bits<W>>,
    c1: DFF<Bits<1>>,
    c2: DFF<Bits<1>>,
    flag: DFF<Bits<1>>,
    i: DFF<Bits<8>>,
    j: DFF<Bits<8>>,
    opr: DFF<Bits<2>>,
    msel: DFF<Bits<1>>,
    done_r: DFF<Bits<1>>,
    err_r: DFF<Bits<1>>,
    /// One-multiplier ALU, mod n: a0·b0 of the current ROW word, and which of its two cycles
    /// this is (`ph`: 0 the product, 1 the row step).
    prod: DFF<Bits<P>>,
    ph: DFF<Bits<1>>,
    /// One-multiplier ALU, mod p: q·(2^W − 1), registered in QB so that no subtractor sits in
    /// front of the ROW adder (q = u there, since p' = 1).
    qn: DFF<Bits<P>>,
    /// One-multiplier ALU: this cycle's multiplier operands and q·p_j select, decided the
    /// cycle before from the state, so that no state decode sits in front of the multiplier
    /// and the ROW adder (the UP5K's critical path). `sel_u`: QB (u·m'); `sel_q`: a mod-n ROW
    /// step (q·n_j); `p_all`/`p_one`: p_j is 2^W − 1 / 1.
    sel_u: DFF<Bit>,
    sel_q: DFF<Bit>,
    p_all: DFF<Bit>,
    p_one: DFF<Bit>,

    mul1: Mul<W, P>,
    mul2: Mul<W, P>,
    /// The W = 128 one-multiplier ALU's Montgomery product on a pipelined multiplier
    /// (`docs/field-alu.md`, "Pipelined product"); never started at other widths, so its
    /// outputs are unused there and synthesis removes it.
    pipe: Pipe,

    k_p: Constant<Bits<256>>,
    k_n: Constant<Bits<256>>,
    k_p_prime: Constant<Bits<W>>,
    k_n_prime: Constant<Bits<W>>,
    k_w: Constant<Bits<8>>,
    k_top: Constant<Bits<9>>,
    k_log_w: Constant<Bits<3>>,
    k_last: Constant<Bits<8>>,
    k_op_sub: Constant<Bits<2>>,
    k_op_mul: Constant<Bits<2>>,
    k_op_illegal: Constant<Bits<2>>,
    /// Operands arrive through the serial port instead of `a`/`b`; a constant, so synthesis
    /// drops whichever load path is unused.
    k_serial: Constant<Bit>,
    /// One W×W multiplier instead of two (`docs/field-alu.md`, "One multiplier"): q·p_j needs
    /// none, since every word of p is 0, 1 or 2^W − 1 at W = 16 and 32, and mod n each ROW
    /// word takes two cycles, a0·b0 then q·n_j. A constant, so the second multiplier's inputs
    /// are tied to zero and synthesis removes it.
    k_one_mul: Constant<Bit>,
    /// Bit j set where word j of p is 2^W − 1 (`k_p_all`) or 1 (`k_p_one`): q·p_j's select
    /// straight from j, so the modulus-word multiplexer is not in front of the ROW adder.
    k_p_all: Constant<Bits<16>>,
    k_p_one: Constant<Bits<16>>,
    k_bit0: Constant<Bits<16>>,
    /// One-multiplier ALU at W = 128: MUL is `pipe`'s product, then the full-width correction;
    /// QA stands for the whole product (no state is added, so the state register keeps its
    /// width at every W).
    k_pipe: Constant<Bit>,
    /// W = 128: ADD, SUB and MUL's final compare/fix as one 258-bit cycle (`docs/field-alu.md`,
    /// "Full-width correction"). A constant, so the wide adders vanish at other widths.
    k_wide: Constant<Bit>,

    m_full: Signal<Local, Bits<256>>,
    m_prime: Signal<Local, Bits<W>>,
    j_off: Signal<Local, Bits<8>>,
    mj: Signal<Local, Bits<W>>,
    a0: Signal<Local, Bits<W>>,
    b0: Signal<Local, Bits<W>>,
    t0: Signal<Local, Bits<W>>,
    p1_lo: Signal<Local, Bits<W>>,
    p2_lo: Signal<Local, Bits<W>>,
    q_lo: Signal<Local, Bits<W>>,
    qp: Signal<Local, Bits<P>>,
    j_up: Signal<Local, Bits<8>>,
    row_x: Signal<Local, Bits<P>>,
    row_y: Signal<Local, Bits<P>>,
    row_sum: Signal<Local, Bits<SW>>,
    top_sum: Signal<Local, Bits<CW>>,
    add_s: Signal<Local, Bits<CW>>,
    sub_d: Signal<Local, Bits<CW>>,
    cmp_x: Signal<Local, Bits<W>>,
    fix_d: Signal<Local, Bits<CW>>,
    fix_e: Signal<Local, Bits<CW>>,
    tin: Signal<Local, Bits<W>>,
    t_shift: Signal<Local, Bits<256>>,
    add_c: Signal<Local, Bits<1>>,
    cmp_b: Signal<Local, Bits<1>>,
    sub_b: Signal<Local, Bits<1>>,
    fix_b: Signal<Local, Bits<1>>,
    fix_c: Signal<Local, Bits<1>>,
    wide_x: Signal<Local, Bits<258>>,
    wide_y: Signal<Local, Bits<258>>,
    wide_m: Signal<Local, Bits<258>>,
    wide_cin: Signal<Local, Bits<1>>,
    wide_plain: Signal<Local, Bits<258>>,
    wide_corr: Signal<Local, Bits<258>>,
    wide_pick: Signal<Local, Bit>,
    /// plain = x + y + cin, and corr = x + y + m + 1 after a carry-save level, each a
    /// three-part carry-select add (`wide_add.rs`).
    wide_p: WideAdd,
    wide_c: WideAdd,
}

pub type FieldAluW16 = FieldAlu<16, 32, 33, 17>;
pub type FieldAluW32 = FieldAlu<32, 64, 65, 33>;
pub type FieldAluW64 = FieldAlu<64, 128, 129, 65>;
pub type FieldAluW128 = FieldAlu<128, 256, 257, 129>;

/// Bit j set where word j of p (width `w`, at most 16 words) satisfies `pick(word, all-ones)`.
fn p_word_mask(w: usize, pick: impl Fn(&BigUint, &BigUint) -> bool) -> u64 {
    let p = curve::p();
    let mask = (BigUint::from(1u32) << w) - 1u32;
    (0..(256 / w).min(16))
        .filter(|j| pick(&((&p >> (w * j)) & &mask), &mask))
        .fold(0, |acc, j| acc | 1 << j)
}

fn constant<const N: usize>(x: &BigUint) -> Constant<Bits<N>> {
    Constant::new(Bits::<N>::from(x.clone()))
}

fn small<const N: usize>(x: u64) -> Constant<Bits<N>> {
    Constant::new(Bits::<N>::from(x))
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> FieldAlu<W, P, SW, CW> {
    pub const WORDS: usize = 256 / W;

    /// The ALU of the serial datapath: operands through `ld_*`, the result read by `rot_t`,
    /// and one multiplier.
    pub fn new_serial() -> Self {
        let mut alu = Self::new_one_mul();
        alu.k_serial = Constant::new(true);
        alu
    }

    /// The one-multiplier ALU with the parallel operand port (the parallel engine's at
    /// W = 128, and co-simulated on its own). At W = 16 and 32 every word of p is 0, 1 or
    /// 2^W − 1; at W = 128 MUL is the pipelined product (`pipe`, `k_pipe`).
    pub fn new_one_mul() -> Self {
        let mut alu = Self::new();
        if W == 128 {
            // The pipelined product's digit q = x + (x mod 2^32)·2^96 relies on this.
            assert_eq!(
                curve::m_prime(&curve::p(), 128),
                (BigUint::from(1u32) << 96) + 1u32,
                "p' = 1 + 2^96 at W = 128"
            );
            alu.k_pipe = Constant::new(true);
        } else {
            let other = p_word_mask(W, |w, all| w != all && *w > BigUint::from(1u32));
            assert!(
                other == 0,
                "one multiplier needs every word of p in {{0, 1, 2^W - 1}} (W = 16, 32) or \
                 W = 128, not {W}"
            );
            // QB's q = u·p' is then u, which `qn` relies on.
            assert_eq!(
                curve::m_prime(&curve::p(), W),
                BigUint::from(1u32),
                "p' = 1 at W = {W}"
            );
        }
        alu.k_one_mul = Constant::new(true);
        alu
    }

    pub fn new() -> Self {
        assert!(
            matches!(W, 16 | 32 | 64 | 128),
            "word width must be 16, 32, 64 or 128"
        );
        assert!(
            P == 2 * W && SW == 2 * W + 1 && CW == W + 1,
            "derived widths inconsistent with W"
        );
        Self {
            clock: Default::default(),
            reset: Default::default(),
            start: Default::default(),
            op: Default::default(),
            mod_sel: Default::default(),
            a: Default::default(),
            b: Default::default(),
            busy: Default::default(),
            done: Default::default(),
            err: Default::default(),
            result: Default::default(),
            ld_a: Default::default(),
            ld_b: Default::default(),
            ld_word: Default::default(),
            rot_t: Default::default(),
            state: Default::default(),
            ra: Default::default(),
            rb: Default::default(),
            t: Default::default(),
            t_top: Default::default(),
            carry: Default::default(),
            u: Default::default(),
            q: Default::default(),
            c1: Default::default(),
            c2: Default::default(),
            flag: Default::default(),
            i: Default::default(),
            j: Default::default(),
            opr: Default::default(),
            msel: Default::default(),
            done_r: Default::default(),
            err_r: Default::default(),
            prod: Default::default(),
            ph: Default::default(),
            qn: Default::default(),
            sel_u: Default::default(),
            sel_q: Default::default(),
            p_all: Default::default(),
            p_one: Default::default(),
            mul1: Default::default(),
            mul2: Default::default(),
            pipe: Default::default(),
            k_p: constant(&curve::p()),
            k_n: constant(&curve::n()),
            k_p_prime: constant(&curve::m_prime(&curve::p(), W)),
            k_n_prime: constant(&curve::m_prime(&curve::n(), W)),
            k_w: small(W as u64),
            k_top: small(256 - W as u64),
            k_log_w: small(W.trailing_zeros() as u64),
            k_last: small(Self::WORDS as u64 - 1),
            k_op_sub: small(OP_SUB),
            k_op_mul: small(OP_MUL),
            k_op_illegal: small(OP_ILLEGAL),
            k_serial: Constant::new(false),
            k_one_mul: Constant::new(false),
            k_p_all: Constant::new(p_word_mask(W, |w, mask| w == mask).into()),
            k_p_one: Constant::new(p_word_mask(W, |w, _| w == &BigUint::from(1u32)).into()),
            k_bit0: Constant::new(1.into()),
            k_pipe: Constant::new(false),
            k_wide: Constant::new(scu_golden::field_alu::full_width_correction(W)),
            m_full: Default::default(),
            m_prime: Default::default(),
            j_off: Default::default(),
            mj: Default::default(),
            a0: Default::default(),
            b0: Default::default(),
            t0: Default::default(),
            p1_lo: Default::default(),
            p2_lo: Default::default(),
            q_lo: Default::default(),
            qp: Default::default(),
            j_up: Default::default(),
            row_x: Default::default(),
            row_y: Default::default(),
            row_sum: Default::default(),
            top_sum: Default::default(),
            add_s: Default::default(),
            sub_d: Default::default(),
            cmp_x: Default::default(),
            fix_d: Default::default(),
            fix_e: Default::default(),
            tin: Default::default(),
            t_shift: Default::default(),
            add_c: Default::default(),
            cmp_b: Default::default(),
            sub_b: Default::default(),
            fix_b: Default::default(),
            fix_c: Default::default(),
            wide_x: Default::default(),
            wide_y: Default::default(),
            wide_m: Default::default(),
            wide_cin: Default::default(),
            wide_plain: Default::default(),
            wide_corr: Default::default(),
            wide_pick: Default::default(),
            wide_p: WideAdd::new(),
            wide_c: WideAdd::new(),
        }
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Default
    for FieldAlu<W, P, SW, CW>
{
    fn default() -> Self {
        Self::new()
    }
}

impl<const W: usize, const P: usize, const SW: usize, const CW: usize> Logic
    for FieldAlu<W, P, SW, CW>
{
    // hdl_gen cannot translate match guards, so nested `if`s stay.
    #[allow(clippy::collapsible_match)]
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, state, ra, rb, t, t_top, carry, u, q, c1, c2, flag, i, j, opr, msel,
            done_r, err_r, prod, ph, qn, sel_u, sel_q, p_all, p_one
        );
        clock!(self, clock, pipe);
        self.pipe.reset.next = self.reset.val();
        self.pipe.start.next = self.k_pipe.val()
            & self.start.val()
            & (self.state.q.val() == AluState::Idle)
            & (self.op.val() == self.k_op_mul.val());
        self.pipe.mod_n.next = self.mod_sel.val();
        self.pipe.a.next = self.ra.q.val();
        self.pipe.b.next = self.rb.q.val();

        // Modulus word j and the Montgomery constant of the selected modulus.
        self.m_full.next = self.k_p.val();
        self.m_prime.next = self.k_p_prime.val();
        if self.msel.q.val().any() {
            self.m_full.next = self.k_n.val();
            self.m_prime.next = self.k_n_prime.val();
        }
        self.j_off.next = self.j.q.val() << self.k_log_w.val();
        self.mj.next = self.m_full.val().get_bits::<W>(self.j_off.val().index());

        // Operand words are always the low words: the registers rotate instead of being indexed.
        self.a0.next = bit_cast::<W, 256>(self.ra.q.val());
        self.b0.next = bit_cast::<W, 256>(self.rb.q.val());
        self.t0.next = bit_cast::<W, 256>(self.t.q.val());

        self.mul1.a.next = self.a0.val();
        self.mul1.b.next = self.b0.val();
        self.mul2.a.next = self.q.q.val();
        self.mul2.b.next = self.mj.val();
        if self.state.q.val() == AluState::Qb {
            self.mul2.a.next = self.u.q.val();
            self.mul2.b.next = self.m_prime.val();
        }
        self.row_x.next = self.mul1.p.val();
        self.row_y.next = self.mul2.p.val();
        // q·p_j for p_j ∈ {0, 1, 2^W − 1}, the last as q·2^W − q. Mod p every ROW cycle is a
        // step, so the next cycle's word is j + 1 in ROW and word 0 after QB.
        self.j_up.next = 0.into();
        if self.state.q.val() == AluState::Row {
            self.j_up.next = self.j.q.val() + 1;
        }
        self.p_all.d.next = ((self.k_p_all.val() >> self.j_up.val()) & self.k_bit0.val()).any();
        self.p_one.d.next = ((self.k_p_one.val() >> self.j_up.val()) & self.k_bit0.val()).any();
        self.sel_u.d.next = self.state.q.val() == AluState::Qa;
        self.sel_q.d.next = self.k_one_mul.val()
            & self.msel.q.val().any()
            & (self.state.q.val() == AluState::Row)
            & !self.ph.q.val().any();
        self.qp.next = 0.into();
        if self.p_one.q.val() {
            self.qp.next = bit_cast::<P, W>(self.q.q.val());
        }
        if self.p_all.q.val() {
            self.qp.next = self.qn.q.val();
        }
        // Mod n with one multiplier, a ROW word is a product cycle (ph = 0) and a step.
        if self.k_one_mul.val() {
            self.mul2.a.next = 0.into();
            self.mul2.b.next = 0.into();
            if self.sel_u.q.val() {
                self.mul1.a.next = self.u.q.val();
                self.mul1.b.next = self.m_prime.val();
            }
            if self.sel_q.q.val() {
                self.mul1.a.next = self.q.q.val();
                self.mul1.b.next = self.mj.val();
            }
            // The pipelined product has its own multiplier; this one is left unconnected.
            if self.k_pipe.val() {
                self.mul1.a.next = 0.into();
                self.mul1.b.next = 0.into();
            }
            if self.msel.q.val().any() {
                self.row_x.next = self.prod.q.val();
                self.row_y.next = self.mul1.p.val();
            } else {
                self.row_y.next = self.qp.val();
            }
        }
        self.p1_lo.next = bit_cast::<W, P>(self.mul1.p.val());
        self.p2_lo.next = bit_cast::<W, P>(self.mul2.p.val());
        self.q_lo.next = self.p2_lo.val();
        if self.k_one_mul.val() {
            self.q_lo.next = self.p1_lo.val();
        }

        self.row_sum.next = bit_cast::<SW, W>(self.t0.val())
            + bit_cast::<SW, P>(self.row_x.val())
            + bit_cast::<SW, P>(self.row_y.val())
            + bit_cast::<SW, CW>(self.carry.q.val());
        self.top_sum.next = bit_cast::<CW, 1>(self.t_top.q.val()) + self.carry.q.val();

        // W-bit add/subtract chains, computed one bit wider so bit W is the carry/borrow.
        self.add_s.next = bit_cast::<CW, W>(self.a0.val())
            + bit_cast::<CW, W>(self.b0.val())
            + bit_cast::<CW, 1>(self.c1.q.val());
        self.sub_d.next = bit_cast::<CW, W>(self.a0.val())
            - bit_cast::<CW, W>(self.b0.val())
            - bit_cast::<CW, 1>(self.c1.q.val());
        self.cmp_x.next = self.t0.val();
        if self.state.q.val() == AluState::AddSub {
            self.cmp_x.next = bit_cast::<W, CW>(self.add_s.val());
        }
        // Only the borrow of the comparison matters: x − m_j − c2 < 0.
        self.cmp_b.next = (bit_cast::<CW, W>(self.cmp_x.val())
            < bit_cast::<CW, W>(self.mj.val()) + bit_cast::<CW, 1>(self.c2.q.val()))
        .into();
        self.fix_d.next = bit_cast::<CW, W>(self.t0.val())
            - bit_cast::<CW, W>(self.mj.val())
            - bit_cast::<CW, 1>(self.c1.q.val());
        self.fix_e.next = bit_cast::<CW, W>(self.t0.val())
            + bit_cast::<CW, W>(self.mj.val())
            + bit_cast::<CW, 1>(self.c2.q.val());
        self.add_c.next = self.add_s.val().get_bits::<1>(self.k_w.val().index());
        self.sub_b.next = self.sub_d.val().get_bits::<1>(self.k_w.val().index());
        self.fix_b.next = self.fix_d.val().get_bits::<1>(self.k_w.val().index());
        self.fix_c.next = self.fix_e.val().get_bits::<1>(self.k_w.val().index());

        // Full-width correction, as sums of 258-bit two's-complement terms: plain = x + y
        // (+1 for SUB), corr = plain − m (ADD, MUL) or + m (SUB). ADD: x = a, y = b; SUB:
        // y = ~b; MUL: x = t_top·2^256 + t, y = 0.
        self.wide_x.next = bit_cast::<258, 256>(self.ra.q.val());
        self.wide_y.next = bit_cast::<258, 256>(self.rb.q.val());
        self.wide_m.next = !bit_cast::<258, 256>(self.m_full.val());
        self.wide_cin.next = 0.into();
        if self.opr.q.val() == self.k_op_sub.val() {
            self.wide_y.next = !bit_cast::<258, 256>(self.rb.q.val());
            self.wide_m.next = bit_cast::<258, 256>(self.m_full.val());
            self.wide_cin.next = 1.into();
        }
        if self.opr.q.val() == self.k_op_mul.val() {
            self.wide_x.next = bit_cast::<258, 257>(
                (bit_cast::<257, 1>(self.t_top.q.val()) << 256)
                    | bit_cast::<257, 256>(self.t.q.val()),
            );
            self.wide_y.next = 0.into();
            if self.k_pipe.val() {
                self.wide_x.next = bit_cast::<258, 257>(self.pipe.product.val());
            }
        }
        self.wide_p.x.next = self.wide_x.val();
        self.wide_p.y.next = self.wide_y.val();
        self.wide_p.cin.next = self.wide_cin.val();
        self.wide_plain.next = self.wide_p.sum.val();
        // corr's three terms through a carry-save level: x ⊕ y ⊕ m and the majority carries.
        // Its +1 completes −m's two's complement (ADD, MUL) or SUB's a − b.
        self.wide_c.x.next = self.wide_x.val() ^ self.wide_y.val() ^ self.wide_m.val();
        self.wide_c.y.next = ((self.wide_x.val() & self.wide_y.val())
            | (self.wide_x.val() & self.wide_m.val())
            | (self.wide_y.val() & self.wide_m.val()))
            << 1;
        self.wide_c.cin.next = 1.into();
        self.wide_corr.next = self.wide_c.sum.val();
        // ADD and MUL correct when x + y − m ≥ 0, SUB when a − b < 0 (bit 257 is the sign).
        self.wide_pick.next = !self.wide_corr.val().get_bit(257);
        if self.opr.q.val() == self.k_op_sub.val() {
            self.wide_pick.next = self.wide_plain.val().get_bit(257);
        }

        // The word shifted into the top of t this cycle.
        self.tin.next = self.t0.val();
        match self.state.q.val() {
            AluState::AddSub => {
                self.tin.next = bit_cast::<W, CW>(self.add_s.val());
                if self.opr.q.val() == self.k_op_sub.val() {
                    self.tin.next = bit_cast::<W, CW>(self.sub_d.val());
                }
            }
            AluState::Row => {
                self.tin.next = bit_cast::<W, SW>(self.row_sum.val());
            }
            AluState::Carry => {
                self.tin.next = bit_cast::<W, CW>(self.top_sum.val());
            }
            AluState::Fix => {
                if self.flag.q.val().any() {
                    self.tin.next = bit_cast::<W, CW>(self.fix_d.val());
                    if self.opr.q.val() == self.k_op_sub.val() {
                        self.tin.next = bit_cast::<W, CW>(self.fix_e.val());
                    }
                }
            }
            _ => {}
        }
        self.t_shift.next = (self.t.q.val() >> self.k_w.val())
            | (bit_cast::<256, W>(self.tin.val()) << self.k_top.val());

        self.done_r.d.next = 0.into();
        self.err_r.d.next = 0.into();
        // With `k_wide` AddSub and Fix are never entered, and with `k_pipe` neither are Qb, Row
        // and Carry. Synthesis does not prove states unreachable, so their bodies are guarded
        // by those constants: otherwise their 256-bit multiplexers stay in the W = 128 ALU.
        match self.state.q.val() {
            AluState::Idle => {
                if self.k_serial.val() {
                    if self.ld_a.val() {
                        self.ra.d.next = (self.ra.q.val() >> self.k_w.val())
                            | (bit_cast::<256, W>(self.ld_word.val()) << self.k_top.val());
                    }
                    if self.ld_b.val() {
                        self.rb.d.next = (self.rb.q.val() >> self.k_w.val())
                            | (bit_cast::<256, W>(self.ld_word.val()) << self.k_top.val());
                    }
                    // Idle, so `tin` is t's own low word: this is a rotation.
                    if self.rot_t.val() {
                        self.t.d.next = self.t_shift.val();
                    }
                }
                if self.start.val() {
                    if !self.k_serial.val() {
                        self.ra.d.next = self.a.val();
                        self.rb.d.next = self.b.val();
                    }
                    self.opr.d.next = self.op.val();
                    self.msel.d.next = self.mod_sel.val().into();
                    self.c1.d.next = 0.into();
                    self.c2.d.next = 0.into();
                    self.carry.d.next = 0.into();
                    self.i.d.next = 0.into();
                    self.j.d.next = 0.into();
                    if self.op.val() == self.k_op_mul.val() {
                        self.t.d.next = 0.into();
                        self.t_top.d.next = 0.into();
                        self.state.d.next = AluState::Qa;
                    } else if self.op.val() == self.k_op_illegal.val() {
                        self.done_r.d.next = 1.into();
                        self.err_r.d.next = 1.into();
                    } else if self.k_wide.val() {
                        self.state.d.next = AluState::Cmp;
                    } else {
                        self.state.d.next = AluState::AddSub;
                    }
                }
            }
            AluState::AddSub => {
                if !self.k_wide.val() {
                    self.t.d.next = self.t_shift.val();
                    self.ra.d.next =
                        (self.ra.q.val() >> self.k_w.val()) | (self.ra.q.val() << self.k_top.val());
                    self.rb.d.next =
                        (self.rb.q.val() >> self.k_w.val()) | (self.rb.q.val() << self.k_top.val());
                    self.j.d.next = self.j.q.val() + 1;
                    if self.opr.q.val() == self.k_op_sub.val() {
                        self.c1.d.next = self.sub_b.val();
                    } else {
                        self.c1.d.next = self.add_c.val();
                        self.c2.d.next = self.cmp_b.val();
                    }
                    if self.j.q.val() == self.k_last.val() {
                        self.j.d.next = 0.into();
                        self.c1.d.next = 0.into();
                        self.c2.d.next = 0.into();
                        self.state.d.next = AluState::Fix;
                        if self.opr.q.val() == self.k_op_sub.val() {
                            self.flag.d.next = self.sub_b.val();
                        } else {
                            self.flag.d.next = self.add_c.val() | !self.cmp_b.val();
                        }
                    }
                }
            }
            AluState::Qa => {
                if self.k_pipe.val() {
                    if self.pipe.last.val() {
                        self.state.d.next = AluState::Cmp;
                    }
                } else {
                    self.u.d.next = self.t0.val() + self.p1_lo.val();
                    self.state.d.next = AluState::Qb;
                }
            }
            AluState::Qb => {
                if !self.k_pipe.val() {
                    self.q.d.next = self.q_lo.val();
                    if self.k_one_mul.val() {
                        self.qn.d.next = (bit_cast::<P, W>(self.u.q.val()) << self.k_w.val())
                            - bit_cast::<P, W>(self.u.q.val());
                    }
                    self.state.d.next = AluState::Row;
                }
            }
            AluState::Row => {
                if !self.k_pipe.val() {
                    // Inline rather than a signal of its own: in the two-multiplier ALU it is
                    // constant, and iverilog warns that a constant-only `always @*` never runs.
                    if !(self.k_one_mul.val() & self.msel.q.val().any() & !self.ph.q.val().any()) {
                        self.t.d.next = self.t_shift.val();
                        self.carry.d.next =
                            self.row_sum.val().get_bits::<CW>(self.k_w.val().index());
                        self.rb.d.next = (self.rb.q.val() >> self.k_w.val())
                            | (self.rb.q.val() << self.k_top.val());
                        self.j.d.next = self.j.q.val() + 1;
                        self.ph.d.next = 0.into();
                        if self.j.q.val() == self.k_last.val() {
                            self.j.d.next = 0.into();
                            self.state.d.next = AluState::Carry;
                        }
                    } else {
                        self.prod.d.next = self.mul1.p.val();
                        self.ph.d.next = 1.into();
                    }
                }
            }
            AluState::Carry => {
                if !self.k_pipe.val() {
                    self.t.d.next = self.t_shift.val();
                    self.t_top.d.next = self.top_sum.val().get_bits::<1>(self.k_w.val().index());
                    self.carry.d.next = 0.into();
                    self.ra.d.next =
                        (self.ra.q.val() >> self.k_w.val()) | (self.ra.q.val() << self.k_top.val());
                    self.i.d.next = self.i.q.val() + 1;
                    self.state.d.next = AluState::Qa;
                    if self.i.q.val() == self.k_last.val() {
                        self.i.d.next = 0.into();
                        self.state.d.next = AluState::Cmp;
                    }
                }
            }
            AluState::Cmp => {
                if self.k_wide.val() {
                    self.t.d.next = bit_cast::<256, 258>(self.wide_plain.val());
                    if self.wide_pick.val() {
                        self.t.d.next = bit_cast::<256, 258>(self.wide_corr.val());
                    }
                    self.t_top.d.next = 0.into();
                    self.done_r.d.next = 1.into();
                    self.state.d.next = AluState::Idle;
                } else {
                    self.t.d.next = self.t_shift.val();
                    self.c2.d.next = self.cmp_b.val();
                    self.j.d.next = self.j.q.val() + 1;
                    if self.j.q.val() == self.k_last.val() {
                        self.j.d.next = 0.into();
                        self.c2.d.next = 0.into();
                        self.flag.d.next = self.t_top.q.val() | !self.cmp_b.val();
                        self.state.d.next = AluState::Fix;
                    }
                }
            }
            AluState::Fix => {
                if !self.k_wide.val() {
                    self.t.d.next = self.t_shift.val();
                    self.c1.d.next = self.fix_b.val();
                    self.c2.d.next = self.fix_c.val();
                    self.j.d.next = self.j.q.val() + 1;
                    if self.j.q.val() == self.k_last.val() {
                        self.j.d.next = 0.into();
                        self.t_top.d.next = 0.into();
                        self.done_r.d.next = 1.into();
                        self.state.d.next = AluState::Idle;
                    }
                }
            }
            _ => {
                self.state.d.next = AluState::Idle;
            }
        }

        // Synchronous reset of every control register; the datapath is loaded before use.
        if self.reset.val() {
            self.state.d.next = AluState::Idle;
            self.done_r.d.next = 0.into();
            self.err_r.d.next = 0.into();
            self.i.d.next = 0.into();
            self.j.d.next = 0.into();
            self.ph.d.next = 0.into();
            self.sel_u.d.next = false;
            self.sel_q.d.next = false;
        }

        self.busy.next = self.state.q.val() != AluState::Idle;
        self.done.next = self.done_r.q.val().any();
        self.err.next = self.err_r.q.val().any();
        self.result.next = self.t.q.val();
    }
}
