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

    /// One-hot: bit i is set in the i-th cycle after the start edge, so a step's condition
    /// is one flip-flop rather than a compare of a counter (none while idle).
    tok: DFF<Bits<32>>,
    msel: DFF<Bit>,
    /// The running sum: 258 bits mod p, 386 mod n (a·b's top half is added before q·n₀).
    acc: DFF<Bits<386>>,
    q: DFF<Bits<128>>,
    dq: DFF<Bits<160>>,
    c: DFF<Bits<1>>,

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
    /// Step cycles as masks of `tok`, named by their offset from the latency L.
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

    a0: Signal<Local, Bits<128>>,
    a1: Signal<Local, Bits<128>>,
    b0: Signal<Local, Bits<128>>,
    b1: Signal<Local, Bits<128>>,
    pm: Signal<Local, Bits<386>>,
    pm_lo: Signal<Local, Bits<128>>,
    acc_lo: Signal<Local, Bits<128>>,
    /// The mod-p digit of `dig_in`: q = dig_q, c = dig_c, D = dig_d.
    dig_in: Signal<Local, Bits<128>>,
    dig_top: Signal<Local, Bits<33>>,
    dig_q: Signal<Local, Bits<128>>,
    dig_c: Signal<Local, Bits<1>>,
    dig_d: Signal<Local, Bits<160>>,
    q_wide: Signal<Local, Bits<386>>,
    /// The shared adder: sum = x + y + z + cin, stored into acc when `load`.
    x: Signal<Local, Bits<386>>,
    y: Signal<Local, Bits<386>>,
    z: Signal<Local, Bits<386>>,
    cin: Signal<Local, Bits<1>>,
    sum: Signal<Local, Bits<386>>,
    load: Signal<Local, Bit>,
}

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
            a0: Default::default(),
            a1: Default::default(),
            b0: Default::default(),
            b1: Default::default(),
            pm: Default::default(),
            pm_lo: Default::default(),
            acc_lo: Default::default(),
            dig_in: Default::default(),
            dig_top: Default::default(),
            dig_q: Default::default(),
            dig_c: Default::default(),
            dig_d: Default::default(),
            q_wide: Default::default(),
            x: Default::default(),
            y: Default::default(),
            z: Default::default(),
            cin: Default::default(),
            sum: Default::default(),
            load: Default::default(),
        }
    }
}

impl Logic for Pipe {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, tok, msel, acc, q, dq, c);
        clock!(self, clock, mul);

        self.a0.next = self.a.val().get_bits::<128>(0);
        self.a1.next = self.a.val().get_bits::<128>(128);
        self.b0.next = self.b.val().get_bits::<128>(0);
        self.b1.next = self.b.val().get_bits::<128>(128);
        self.pm.next = bit_cast::<386, 256>(self.mul.p.val());
        self.pm_lo.next = self.mul.p.val().get_bits::<128>(0);
        self.acc_lo.next = self.acc.q.val().get_bits::<128>(0);

        // The mod-p digit: of the first product as it arrives, later of the running sum.
        self.dig_in.next = self.acc_lo.val();
        if (self.tok.q.val() & self.k_l.val()).any() {
            self.dig_in.next = self.pm_lo.val();
        }
        self.dig_top.next = bit_cast::<33, 32>(self.dig_in.val().get_bits::<32>(96))
            + bit_cast::<33, 32>(self.dig_in.val().get_bits::<32>(0));
        self.dig_q.next = (bit_cast::<128, 33>(self.dig_top.val()) << self.k_s96.val())
            | (self.dig_in.val() & self.k_low96.val());
        self.dig_c.next = self.dig_top.val().get_bits::<1>(32);
        self.dig_d.next = (bit_cast::<160, 128>(self.dig_q.val()) << self.k_s32.val())
            - bit_cast::<160, 128>(self.dig_q.val());
        self.q_wide.next = bit_cast::<386, 128>(self.q.q.val());

        // What goes into the multiplier this cycle: a·b's four partial products (mod n the
        // last two after the first digit), then mod n the digits' products.
        self.mul.a.next = 0.into();
        self.mul.b.next = 0.into();
        if (self.tok.q.val() & self.k_0.val()).any() {
            self.mul.a.next = self.a0.val();
            self.mul.b.next = self.b0.val();
        }
        if (self.tok.q.val() & self.k_1.val()).any() {
            self.mul.a.next = self.a0.val();
            self.mul.b.next = self.b1.val();
        }
        if self.msel.q.val() {
            if (self.tok.q.val() & self.k_2l2.val()).any() {
                self.mul.a.next = self.a1.val();
                self.mul.b.next = self.b0.val();
            }
            if (self.tok.q.val() & self.k_2l3.val()).any() {
                self.mul.a.next = self.a1.val();
                self.mul.b.next = self.b1.val();
            }
            if (self.tok.q.val() & self.k_l.val()).any() {
                self.mul.a.next = self.pm_lo.val();
                self.mul.b.next = self.k_n_prime.val();
            }
            if (self.tok.q.val() & self.k_3l3.val()).any() {
                self.mul.a.next = self.acc_lo.val();
                self.mul.b.next = self.k_n_prime.val();
            }
            if ((self.tok.q.val() & self.k_2l.val()).any())
                | ((self.tok.q.val() & self.k_4l3.val()).any())
            {
                self.mul.a.next = self.pm_lo.val();
                self.mul.b.next = self.k_n0.val();
            }
            if ((self.tok.q.val() & self.k_2l1.val()).any())
                | ((self.tok.q.val() & self.k_4l4.val()).any())
            {
                self.mul.a.next = self.q.q.val();
                self.mul.b.next = self.k_n1.val();
            }
        } else {
            if (self.tok.q.val() & self.k_2.val()).any() {
                self.mul.a.next = self.a1.val();
                self.mul.b.next = self.b0.val();
            }
            if (self.tok.q.val() & self.k_3.val()).any() {
                self.mul.a.next = self.a1.val();
                self.mul.b.next = self.b1.val();
            }
        }

        // Every step is acc ← x + y + z + cin on one 386-bit three-operand adder; the steps
        // only choose its operands (a subtraction adds the complement with cin = 1; mod p the
        // true value is never negative and stays below 2²⁵⁹, so 386-bit wrap-around is exact).
        self.x.next = self.acc.q.val();
        self.y.next = 0.into();
        self.z.next = 0.into();
        self.cin.next = 0.into();
        self.load.next = false;
        self.last.next = false;
        if self.msel.q.val() {
            if (self.tok.q.val() & self.k_l.val()).any() {
                self.x.next = self.pm.val();
                self.load.next = true;
            }
            if ((self.tok.q.val() & self.k_l1.val()).any())
                | ((self.tok.q.val() & self.k_3l3.val()).any())
            {
                self.y.next = self.pm.val() << self.k_s128.val();
                self.load.next = true;
            }
            if ((self.tok.q.val() & self.k_2l.val()).any())
                | ((self.tok.q.val() & self.k_4l3.val()).any())
            {
                self.q.d.next = self.pm_lo.val();
            }
            if ((self.tok.q.val() & self.k_3l.val()).any())
                | ((self.tok.q.val() & self.k_3l2.val()).any())
                | ((self.tok.q.val() & self.k_5l3.val()).any())
            {
                self.y.next = self.pm.val();
                self.load.next = true;
            }
            if ((self.tok.q.val() & self.k_3l1.val()).any())
                | ((self.tok.q.val() & self.k_5l4.val()).any())
            {
                self.x.next = self.acc.q.val() >> self.k_s128.val();
                self.y.next = self.pm.val();
                self.load.next = true;
            }
            if (self.tok.q.val() & self.k_5l4.val()).any() {
                self.last.next = true;
            }
        } else {
            if (self.tok.q.val() & self.k_l.val()).any() {
                // acc = P00 >> 128; P00's low half makes the first digit.
                self.x.next = self.pm.val() >> self.k_s128.val();
                self.load.next = true;
                self.q.d.next = self.dig_q.val();
                self.c.d.next = self.dig_c.val();
                self.dq.d.next = self.dig_d.val();
            }
            if (self.tok.q.val() & self.k_l1.val()).any() {
                // q·2¹²⁸ + (P00 >> 128) is a concatenation; + P01 − D·2⁶⁴.
                self.x.next = (self.q_wide.val() << self.k_s128.val())
                    | bit_cast::<386, 128>(self.acc_lo.val());
                self.y.next = self.pm.val();
                self.z.next = !(bit_cast::<386, 160>(self.dq.q.val()) << self.k_s64.val());
                self.cin.next = 1.into();
                self.load.next = true;
            }
            if (self.tok.q.val() & self.k_l2.val()).any() {
                self.y.next = self.pm.val();
                self.z.next = self.q_wide.val() >> self.k_s32.val();
                self.cin.next = self.c.q.val();
                self.load.next = true;
            }
            if (self.tok.q.val() & self.k_l3.val()).any() {
                // The second digit, of the running sum; q·2¹²⁸ and q >> 32 do not overlap.
                self.x.next = self.acc.q.val() >> self.k_s128.val();
                self.y.next = self.pm.val();
                self.z.next = (bit_cast::<386, 128>(self.dig_q.val()) << self.k_s128.val())
                    | (bit_cast::<386, 128>(self.dig_q.val()) >> self.k_s32.val());
                self.cin.next = self.dig_c.val();
                self.load.next = true;
                self.dq.d.next = self.dig_d.val();
            }
            if (self.tok.q.val() & self.k_l4.val()).any() {
                self.z.next = !(bit_cast::<386, 160>(self.dq.q.val()) << self.k_s64.val());
                self.cin.next = 1.into();
                self.load.next = true;
                self.last.next = true;
            }
        }
        self.sum.next =
            self.x.val() + self.y.val() + self.z.val() + bit_cast::<386, 1>(self.cin.val());
        if self.load.val() {
            self.acc.d.next = self.sum.val();
        }
        // The token walks one bit per cycle and is gone after the last step.
        self.tok.d.next = self.tok.q.val() << self.k_one.val();
        if self.last.val() {
            self.tok.d.next = 0.into();
        }
        if self.start.val() {
            self.tok.d.next = self.k_0.val();
            self.msel.d.next = self.mod_n.val();
        }
        if self.reset.val() {
            self.tok.d.next = 0.into();
            self.msel.d.next = false;
        }
        self.product.next = self.acc.q.val().get_bits::<257>(0);
    }
}
