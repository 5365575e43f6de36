//! The Montgomery product of the one-multiplier ALU at W = 128, on the pipelined multiplier
//! (`docs/field-alu.md`, "Pipelined product"). The ALU starts it with its MUL and, when
//! `last` shows, takes `product` (t_top·2²⁵⁶ + t, not yet reduced below m) into its
//! full-width correction. The golden model (`scu_golden::field_alu::pipelined`) runs the
//! same schedule with plain big-integer steps; this block uses p's form instead:
//!
//! - p′ = −p⁻¹ mod 2¹²⁸ = 1 + 2⁹⁶, so a digit q = x·p′ mod 2¹²⁸ is x with x[31:0] added into
//!   its top 32 bits, and c is that add's carry out;
//! - (x + q·p) / 2¹²⁸ = (x >> 128) + q·2¹²⁸ − q·2⁹⁶ + q·2⁶⁴ + (q >> 32) + c, where
//!   q·2⁹⁶ − q·2⁶⁴ = D·2⁶⁴ with D = q·2³² − q, registered the cycle q is formed.
//!
//! Mod n the digit is a product, x·n′, and q·n two more; they go through the same multiplier.
//!
//! Timing: every select of the wide datapath is a small code register, decoded a cycle ahead
//! from the next token, so each 386- or 128-bit operand is one parallel multiplexer (yosys
//! `$pmux`, AND–OR) behind a flip-flop, not a priority chain behind the step decode. The mod-p
//! second digit is taken from the adder's low half the cycle before it is used, so no carry
//! chain of the digit sits in front of the 386-bit add.

use rust_hdl::prelude::*;

use super::mul_pipe::MulPipe;
use crate::curve;
use num_bigint::BigUint;
use scu_golden::field_alu::MUL_LATENCY;

#[derive(LogicBlock)]
pub struct Pipe {
    pub clock: Signal<In, Clock>,
    pub reset: Signal<In, Bit>,
    /// Sampled with the ALU's start edge; a and b must hold the operands from the next cycle.
    pub start: Signal<In, Bit>,
    pub mod_n: Signal<In, Bit>,
    pub a: Signal<In, Bits<256>>,
    pub b: Signal<In, Bits<256>>,
    /// The last step is this cycle: `product` holds the result from the next one.
    pub last: Signal<Out, Bit>,
    pub product: Signal<Out, Bits<257>>,

    /// One-hot: bit i is set in the i-th cycle after the start edge (none while idle).
    tok: DFF<Bits<32>>,
    msel: DFF<Bit>,
    /// The running sum: 258 bits mod p, 386 mod n (a·b's top half is added before q·n₀).
    acc: DFF<Bits<386>>,
    q: DFF<Bits<128>>,
    dq: DFF<Bits<160>>,
    c: DFF<Bits<1>>,
    /// This cycle's selects (see `X_*` … `Q_*`), decoded from the token in the cycle before.
    xs: DFF<Bits<2>>,
    ys: DFF<Bits<2>>,
    zs: DFF<Bits<2>>,
    cs: DFF<Bits<2>>,
    ma: DFF<Bits<3>>,
    mb: DFF<Bits<3>>,
    qs: DFF<Bits<2>>,
    /// dq ← D of the registered q (the mod-p second digit's D, a cycle after its q).
    dqs: DFF<Bit>,
    ld: DFF<Bit>,
    lst: DFF<Bit>,

    mul: MulPipe,

    k_n_prime: Constant<Bits<128>>,
    k_n0: Constant<Bits<128>>,
    k_n1: Constant<Bits<128>>,
    k_low96: Constant<Bits<128>>,
    k_one: Constant<Bits<6>>,
    k_s32: Constant<Bits<9>>,
    k_s64: Constant<Bits<9>>,
    k_s96: Constant<Bits<9>>,
    k_s128: Constant<Bits<9>>,
    k_s129: Constant<Bits<9>>,
    k_s258: Constant<Bits<9>>,
    /// Step cycles as masks of the token, named by their offset from the latency L.
    k_0: Constant<Bits<32>>,
    k_1: Constant<Bits<32>>,
    k_2: Constant<Bits<32>>,
    k_3: Constant<Bits<32>>,
    k_l: Constant<Bits<32>>,
    k_l1: Constant<Bits<32>>,
    k_l2: Constant<Bits<32>>,
    k_l3: Constant<Bits<32>>,
    k_l4: Constant<Bits<32>>,
    k_2l: Constant<Bits<32>>,
    k_2l1: Constant<Bits<32>>,
    k_2l2: Constant<Bits<32>>,
    k_2l3: Constant<Bits<32>>,
    k_3l: Constant<Bits<32>>,
    k_3l1: Constant<Bits<32>>,
    k_3l2: Constant<Bits<32>>,
    k_3l3: Constant<Bits<32>>,
    k_4l3: Constant<Bits<32>>,
    k_4l4: Constant<Bits<32>>,
    k_5l3: Constant<Bits<32>>,
    k_5l4: Constant<Bits<32>>,

    /// The token shifted on (the next cycle's unless a start comes), from which the next
    /// cycle's selects are decoded; and the next token and modulus.
    walk: Signal<Local, Bits<32>>,
    nt: Signal<Local, Bits<32>>,
    nm: Signal<Local, Bit>,
    a0: Signal<Local, Bits<128>>,
    a1: Signal<Local, Bits<128>>,
    b0: Signal<Local, Bits<128>>,
    b1: Signal<Local, Bits<128>>,
    pm: Signal<Local, Bits<386>>,
    pm_lo: Signal<Local, Bits<128>>,
    acc_lo: Signal<Local, Bits<128>>,
    /// Mod-p digits (q, its carry c and D), each from its own source so that no carry chain
    /// follows another, not even on a path no step uses: of pm's low half (with D), of the
    /// sum's low half, and D of the registered q.
    pd_top: Signal<Local, Bits<33>>,
    pd_q: Signal<Local, Bits<128>>,
    pd_d: Signal<Local, Bits<160>>,
    sum_lo: Signal<Local, Bits<128>>,
    sd_top: Signal<Local, Bits<33>>,
    sd_q: Signal<Local, Bits<128>>,
    qd_d: Signal<Local, Bits<160>>,
    q_wide: Signal<Local, Bits<386>>,
    /// The shared adder: sum = x + y + z + cin, stored into acc when `ld`.
    x: Signal<Local, Bits<386>>,
    y: Signal<Local, Bits<386>>,
    z: Signal<Local, Bits<386>>,
    cin: Signal<Local, Bits<1>>,
    sum: Signal<Local, Bits<386>>,
    /// The adder as a carry-save level (ps + pc = x + y + z) and a carry-select add in three
    /// parts of 129, 129 and 128 bits: a 386-bit carry chain alone is 16.5 ns on the ECP5-6
    /// (60.5 MHz between registers), three parts side by side 13 ns (76.8 MHz).
    ps: Signal<Local, Bits<386>>,
    pc: Signal<Local, Bits<386>>,
    s0: Signal<Local, Bits<130>>,
    s1a: Signal<Local, Bits<130>>,
    s1b: Signal<Local, Bits<130>>,
    s1: Signal<Local, Bits<130>>,
    s2a: Signal<Local, Bits<128>>,
    s2b: Signal<Local, Bits<128>>,
    s2: Signal<Local, Bits<128>>,
}

// The select codes, as literals in `update` (hdl_gen takes no named constants there):
// - xs, x: 0 zero, 1 acc, 2 acc >> 128, 3 q·2¹²⁸ + acc's low half;
// - ys, y: 0 zero, 1 pm, 2 pm·2¹²⁸, 3 pm >> 128;
//   x takes only acc's forms and y only pm's, so each is a 4-way multiplexer (one LUT level
//   with the ECP5's PFUMX) in front of the carry-save level;
// - zs, z: 0 zero, 1 −D·2⁶⁴ (with cin = 1), 2 q >> 32, 3 q·2¹²⁸ + (q >> 32);
// - cs, cin: 0, 1, 2 c;
// - ma, the multiplier's a: 0 zero, 1 a₀, 2 a₁, 3 pm's low half, 4 acc's low half, 5 q;
// - mb, its b: 0 zero, 1 b₀, 2 b₁, 3 n′, 4 n₀, 5 n₁;
// - qs, what q, c and dq take: 0 hold, 1 the mod-p digit of pm (with its D), 2 pm's low half
//   (mod n), 3 the mod-p digit of this cycle's sum (its D follows a cycle later, `dqs`).

fn k128(x: &BigUint) -> Constant<Bits<128>> {
    Constant::new(Bits::<128>::from(x.clone()))
}

fn step(x: usize) -> Constant<Bits<32>> {
    assert!(
        x < 32,
        "step {x} is beyond the 32-bit one-hot step register"
    );
    Constant::new(Bits::<32>::from(1u64 << x))
}

impl Default for Pipe {
    fn default() -> Self {
        let l = MUL_LATENCY;
        let half = BigUint::from(1u8) << 128u32;
        let n = curve::n();
        let n_prime = curve::m_prime(&n, 128);
        Pipe {
            clock: Default::default(),
            reset: Default::default(),
            start: Default::default(),
            mod_n: Default::default(),
            a: Default::default(),
            b: Default::default(),
            last: Default::default(),
            product: Default::default(),
            tok: Default::default(),
            msel: Default::default(),
            acc: Default::default(),
            q: Default::default(),
            dq: Default::default(),
            c: Default::default(),
            xs: Default::default(),
            ys: Default::default(),
            zs: Default::default(),
            cs: Default::default(),
            ma: Default::default(),
            mb: Default::default(),
            qs: Default::default(),
            dqs: Default::default(),
            ld: Default::default(),
            lst: Default::default(),
            mul: Default::default(),
            k_n_prime: k128(&n_prime),
            k_n0: k128(&(&n % &half)),
            k_n1: k128(&(&n >> 128u32)),
            k_low96: k128(&((BigUint::from(1u8) << 96u32) - 1u32)),
            k_one: Constant::new(1.into()),
            k_s32: Constant::new(32.into()),
            k_s64: Constant::new(64.into()),
            k_s96: Constant::new(96.into()),
            k_s128: Constant::new(128.into()),
            k_s129: Constant::new(129.into()),
            k_s258: Constant::new(258.into()),
            k_0: step(0),
            k_1: step(1),
            k_2: step(2),
            k_3: step(3),
            k_l: step(l),
            k_l1: step(l + 1),
            k_l2: step(l + 2),
            k_l3: step(l + 3),
            k_l4: step(l + 4),
            k_2l: step(2 * l),
            k_2l1: step(2 * l + 1),
            k_2l2: step(2 * l + 2),
            k_2l3: step(2 * l + 3),
            k_3l: step(3 * l),
            k_3l1: step(3 * l + 1),
            k_3l2: step(3 * l + 2),
            k_3l3: step(3 * l + 3),
            k_4l3: step(4 * l + 3),
            k_4l4: step(4 * l + 4),
            k_5l3: step(5 * l + 3),
            k_5l4: step(5 * l + 4),
            walk: Default::default(),
            nt: Default::default(),
            nm: Default::default(),
            a0: Default::default(),
            a1: Default::default(),
            b0: Default::default(),
            b1: Default::default(),
            pm: Default::default(),
            pm_lo: Default::default(),
            acc_lo: Default::default(),
            pd_top: Default::default(),
            pd_q: Default::default(),
            pd_d: Default::default(),
            sum_lo: Default::default(),
            sd_top: Default::default(),
            sd_q: Default::default(),
            qd_d: Default::default(),
            q_wide: Default::default(),
            x: Default::default(),
            y: Default::default(),
            z: Default::default(),
            cin: Default::default(),
            sum: Default::default(),
            ps: Default::default(),
            pc: Default::default(),
            s0: Default::default(),
            s1a: Default::default(),
            s1b: Default::default(),
            s1: Default::default(),
            s2a: Default::default(),
            s2b: Default::default(),
            s2: Default::default(),
        }
    }
}

impl Logic for Pipe {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, tok, msel, acc, q, dq, c, xs, ys, zs, cs, ma, mb, qs, dqs, ld, lst);
        clock!(self, clock, mul);

        // The token walks one bit per cycle and is gone after the last step.
        self.walk.next = self.tok.q.val() << self.k_one.val();
        if self.lst.q.val() {
            self.walk.next = 0.into();
        }
        self.nt.next = self.walk.val();
        self.nm.next = self.msel.q.val();
        if self.start.val() {
            self.nt.next = self.k_0.val();
            self.nm.next = self.mod_n.val();
        }
        if self.reset.val() {
            self.nt.next = 0.into();
            self.nm.next = false;
        }
        self.tok.d.next = self.nt.val();
        self.msel.d.next = self.nm.val();

        // Next cycle's selects, decoded from the walking token and the registered modulus.
        // What goes into the multiplier: a·b's four partial products (mod n the last two after
        // the first digit), then mod n the digits' products. Every accumulate step is acc ← x + y + z + cin on one 386-bit three-operand adder; a
        // subtraction adds the complement with cin = 1 (mod p the true value is never negative
        // and stays below 2²⁵⁹, so 386-bit wrap-around is exact).
        self.xs.d.next = 1.into();
        self.ys.d.next = 0.into();
        self.zs.d.next = 0.into();
        self.cs.d.next = 0.into();
        self.ma.d.next = 0.into();
        self.mb.d.next = 0.into();
        self.qs.d.next = 0.into();
        self.dqs.d.next = false;
        self.ld.d.next = false;
        self.lst.d.next = false;
        if (self.walk.val() & self.k_1.val()).any() {
            self.ma.d.next = 1.into();
            self.mb.d.next = 2.into();
        }
        if self.msel.q.val() {
            if (self.walk.val() & self.k_l.val()).any() {
                self.xs.d.next = 0.into();
                self.ys.d.next = 1.into();
                self.ld.d.next = true;
                self.ma.d.next = 3.into();
                self.mb.d.next = 3.into();
            }
            if ((self.walk.val() & self.k_l1.val()).any())
                | ((self.walk.val() & self.k_3l3.val()).any())
            {
                self.ys.d.next = 2.into();
                self.ld.d.next = true;
            }
            if (self.walk.val() & self.k_3l3.val()).any() {
                self.ma.d.next = 4.into();
                self.mb.d.next = 3.into();
            }
            if ((self.walk.val() & self.k_2l.val()).any())
                | ((self.walk.val() & self.k_4l3.val()).any())
            {
                self.qs.d.next = 2.into();
                self.ma.d.next = 3.into();
                self.mb.d.next = 4.into();
            }
            if ((self.walk.val() & self.k_2l1.val()).any())
                | ((self.walk.val() & self.k_4l4.val()).any())
            {
                self.ma.d.next = 5.into();
                self.mb.d.next = 5.into();
            }
            if (self.walk.val() & self.k_2l2.val()).any() {
                self.ma.d.next = 2.into();
                self.mb.d.next = 1.into();
            }
            if (self.walk.val() & self.k_2l3.val()).any() {
                self.ma.d.next = 2.into();
                self.mb.d.next = 2.into();
            }
            if ((self.walk.val() & self.k_3l.val()).any())
                | ((self.walk.val() & self.k_3l2.val()).any())
                | ((self.walk.val() & self.k_5l3.val()).any())
            {
                self.ys.d.next = 1.into();
                self.ld.d.next = true;
            }
            if ((self.walk.val() & self.k_3l1.val()).any())
                | ((self.walk.val() & self.k_5l4.val()).any())
            {
                self.xs.d.next = 2.into();
                self.ys.d.next = 1.into();
                self.ld.d.next = true;
            }
            if (self.walk.val() & self.k_5l4.val()).any() {
                self.lst.d.next = true;
            }
        } else {
            if (self.walk.val() & self.k_2.val()).any() {
                self.ma.d.next = 2.into();
                self.mb.d.next = 1.into();
            }
            if (self.walk.val() & self.k_3.val()).any() {
                self.ma.d.next = 2.into();
                self.mb.d.next = 2.into();
            }
            if (self.walk.val() & self.k_l.val()).any() {
                // acc = P00 >> 128; P00's low half makes the first digit.
                self.xs.d.next = 0.into();
                self.ys.d.next = 3.into();
                self.ld.d.next = true;
                self.qs.d.next = 1.into();
            }
            if (self.walk.val() & self.k_l1.val()).any() {
                // q·2¹²⁸ + (P00 >> 128) is a concatenation; + P01 − D·2⁶⁴.
                self.xs.d.next = 3.into();
                self.ys.d.next = 1.into();
                self.zs.d.next = 1.into();
                self.cs.d.next = 1.into();
                self.ld.d.next = true;
            }
            if (self.walk.val() & self.k_l2.val()).any() {
                // + P10 + (q >> 32) + c; the sum's low half makes the second digit.
                self.ys.d.next = 1.into();
                self.zs.d.next = 2.into();
                self.cs.d.next = 2.into();
                self.ld.d.next = true;
                self.qs.d.next = 3.into();
            }
            if (self.walk.val() & self.k_l3.val()).any() {
                // (acc >> 128) + P11 + q·2¹²⁸ + (q >> 32) + c: q·2¹²⁸ and q >> 32 do not
                // overlap.
                self.xs.d.next = 2.into();
                self.ys.d.next = 1.into();
                self.zs.d.next = 3.into();
                self.cs.d.next = 2.into();
                self.ld.d.next = true;
                self.dqs.d.next = true;
            }
            if (self.walk.val() & self.k_l4.val()).any() {
                self.zs.d.next = 1.into();
                self.cs.d.next = 1.into();
                self.ld.d.next = true;
                self.lst.d.next = true;
            }
        }
        // A start (the ALU is idle, so the walking token is zero) overrides with step 0, a₀·b₀
        // for either modulus: `start` passes one multiplexer here, not the step decode.
        if self.start.val() {
            self.ma.d.next = 1.into();
            self.mb.d.next = 1.into();
        }
        if self.reset.val() {
            self.xs.d.next = 0.into();
            self.ys.d.next = 0.into();
            self.zs.d.next = 0.into();
            self.cs.d.next = 0.into();
            self.ma.d.next = 0.into();
            self.mb.d.next = 0.into();
            self.qs.d.next = 0.into();
            self.dqs.d.next = false;
            self.ld.d.next = false;
            self.lst.d.next = false;
        }

        self.a0.next = self.a.val().get_bits::<128>(0);
        self.a1.next = self.a.val().get_bits::<128>(128);
        self.b0.next = self.b.val().get_bits::<128>(0);
        self.b1.next = self.b.val().get_bits::<128>(128);
        self.pm.next = bit_cast::<386, 256>(self.mul.p.val());
        self.pm_lo.next = self.mul.p.val().get_bits::<128>(0);
        self.acc_lo.next = self.acc.q.val().get_bits::<128>(0);
        self.q_wide.next = bit_cast::<386, 128>(self.q.q.val());

        self.mul.a.next = 0.into();
        match self.ma.q.val().index() {
            1 => self.mul.a.next = self.a0.val(),
            2 => self.mul.a.next = self.a1.val(),
            3 => self.mul.a.next = self.pm_lo.val(),
            4 => self.mul.a.next = self.acc_lo.val(),
            5 => self.mul.a.next = self.q.q.val(),
            _ => {}
        }
        self.mul.b.next = 0.into();
        match self.mb.q.val().index() {
            1 => self.mul.b.next = self.b0.val(),
            2 => self.mul.b.next = self.b1.val(),
            3 => self.mul.b.next = self.k_n_prime.val(),
            4 => self.mul.b.next = self.k_n0.val(),
            5 => self.mul.b.next = self.k_n1.val(),
            _ => {}
        }

        self.x.next = 0.into();
        match self.xs.q.val().index() {
            1 => self.x.next = self.acc.q.val(),
            2 => self.x.next = self.acc.q.val() >> self.k_s128.val(),
            3 => {
                self.x.next = (self.q_wide.val() << self.k_s128.val())
                    | bit_cast::<386, 128>(self.acc_lo.val())
            }
            _ => {}
        }
        self.y.next = 0.into();
        match self.ys.q.val().index() {
            1 => self.y.next = self.pm.val(),
            2 => self.y.next = self.pm.val() << self.k_s128.val(),
            3 => self.y.next = self.pm.val() >> self.k_s128.val(),
            _ => {}
        }
        self.z.next = 0.into();
        match self.zs.q.val().index() {
            1 => self.z.next = !(bit_cast::<386, 160>(self.dq.q.val()) << self.k_s64.val()),
            2 => self.z.next = self.q_wide.val() >> self.k_s32.val(),
            3 => {
                self.z.next = (self.q_wide.val() << self.k_s128.val())
                    | (self.q_wide.val() >> self.k_s32.val())
            }
            _ => {}
        }
        self.cin.next = 0.into();
        match self.cs.q.val().index() {
            1 => self.cin.next = 1.into(),
            2 => self.cin.next = self.c.q.val(),
            _ => {}
        }
        self.ps.next = self.x.val() ^ self.y.val() ^ self.z.val();
        self.pc.next = ((self.x.val() & self.y.val())
            | (self.x.val() & self.z.val())
            | (self.y.val() & self.z.val()))
            << self.k_one.val();
        self.s0.next = bit_cast::<130, 129>(self.ps.val().get_bits::<129>(0))
            + bit_cast::<130, 129>(self.pc.val().get_bits::<129>(0))
            + bit_cast::<130, 1>(self.cin.val());
        self.s1a.next = bit_cast::<130, 129>(self.ps.val().get_bits::<129>(129))
            + bit_cast::<130, 129>(self.pc.val().get_bits::<129>(129));
        self.s1b.next = bit_cast::<130, 129>(self.ps.val().get_bits::<129>(129))
            + bit_cast::<130, 129>(self.pc.val().get_bits::<129>(129))
            + bit_cast::<130, 6>(self.k_one.val());
        self.s1.next = self.s1a.val();
        if self.s0.val().get_bit(129) {
            self.s1.next = self.s1b.val();
        }
        // The top part's carry out is beyond bit 385: dropped, as the 386-bit sum drops it.
        self.s2a.next = self.ps.val().get_bits::<128>(258) + self.pc.val().get_bits::<128>(258);
        self.s2b.next = self.ps.val().get_bits::<128>(258)
            + self.pc.val().get_bits::<128>(258)
            + bit_cast::<128, 6>(self.k_one.val());
        self.s2.next = self.s2a.val();
        if self.s1.val().get_bit(129) {
            self.s2.next = self.s2b.val();
        }
        self.sum.next = (bit_cast::<386, 128>(self.s2.val()) << self.k_s258.val())
            | (bit_cast::<386, 129>(self.s1.val().get_bits::<129>(0)) << self.k_s129.val())
            | bit_cast::<386, 129>(self.s0.val().get_bits::<129>(0));
        if self.ld.q.val() {
            self.acc.d.next = self.sum.val();
        }

        // The mod-p digits: of the first product as it arrives, of this cycle's sum, and the
        // registered q's D.
        self.pd_top.next = bit_cast::<33, 32>(self.pm_lo.val().get_bits::<32>(96))
            + bit_cast::<33, 32>(self.pm_lo.val().get_bits::<32>(0));
        self.pd_q.next = (bit_cast::<128, 33>(self.pd_top.val()) << self.k_s96.val())
            | (self.pm_lo.val() & self.k_low96.val());
        self.pd_d.next = (bit_cast::<160, 128>(self.pd_q.val()) << self.k_s32.val())
            - bit_cast::<160, 128>(self.pd_q.val());
        self.sum_lo.next = self.sum.val().get_bits::<128>(0);
        self.sd_top.next = bit_cast::<33, 32>(self.sum_lo.val().get_bits::<32>(96))
            + bit_cast::<33, 32>(self.sum_lo.val().get_bits::<32>(0));
        self.sd_q.next = (bit_cast::<128, 33>(self.sd_top.val()) << self.k_s96.val())
            | (self.sum_lo.val() & self.k_low96.val());
        self.qd_d.next = (bit_cast::<160, 128>(self.q.q.val()) << self.k_s32.val())
            - bit_cast::<160, 128>(self.q.q.val());
        match self.qs.q.val().index() {
            1 => {
                self.q.d.next = self.pd_q.val();
                self.c.d.next = self.pd_top.val().get_bits::<1>(32);
                self.dq.d.next = self.pd_d.val();
            }
            2 => self.q.d.next = self.pm_lo.val(),
            3 => {
                self.q.d.next = self.sd_q.val();
                self.c.d.next = self.sd_top.val().get_bits::<1>(32);
            }
            _ => {}
        }
        if self.dqs.q.val() {
            self.dq.d.next = self.qd_d.val();
        }

        self.last.next = self.lst.q.val();
        self.product.next = self.acc.q.val().get_bits::<257>(0);
    }
}
