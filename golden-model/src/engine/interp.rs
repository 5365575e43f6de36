//! The golden-model interpreter: runs the microcode of `program.rs` instruction by
//! instruction on a bit-exact field ALU model, and records the lock-step trace (every
//! register-file write, in order) the RTL is compared against.

use num_bigint::BigUint;
use num_traits::Zero;

use crate::field_alu::{parallel_multipliers, FieldAlu, Multipliers};

use super::cycles::{instr_cycles_on, overlap, Datapath, START_CYCLES};
use super::isa::{
    Command, Instr, Reg, Status, COMB_TEETH, NUM_COUNTERS, NUM_REGS, NUM_SCALARS, REG_BITS,
};
use super::program::{input_regs, output_regs, program, random_regs, Program};

/// More instructions than any command can execute (VERIFY, the longest, runs about 14 000);
/// reaching it means the microcode loops, which is a bug, not an input error.
pub const STEP_LIMIT: u64 = 1_000_000;

/// What a command produced.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RunResult {
    pub status: Status,
    /// Raw values of the command's output registers (`program::output_regs`), in order; empty
    /// unless `status` is OK.
    pub outputs: Vec<BigUint>,
    /// Clock cycles from the edge sampling `start` through DONE/FAIL, under the cycle model
    /// (`cycles.rs`).
    pub cycles: u64,
    /// Every register-file write the microcode made, in order. Host writes of the inputs are
    /// not included: they happen before `start`.
    pub writes: Vec<(u8, BigUint)>,
    /// The pc of every executed instruction, in order (for constant-time checks).
    pub pcs: Vec<u16>,
}

/// The engine: register file, sequencer state and field ALU.
#[derive(Debug, Clone)]
pub struct Engine {
    alu: FieldAlu,
    w: usize,
    datapath: Datapath,
    program: &'static Program,
    regs: Vec<BigUint>,
    /// Which registers hold a value written during the current command (inputs included).
    defined: [bool; NUM_REGS],
    /// Scalar shift registers K (index 0) and K2 (index 1).
    k: [BigUint; NUM_SCALARS],
    bit: bool,
    flag: bool,
    counters: [u16; NUM_COUNTERS],
    ret: Option<u16>,
}

impl Engine {
    /// An engine whose field ALU has word width `w` (16, 32 or 64).
    pub fn new(w: usize) -> Result<Self, String> {
        Self::with_program(w, program())
    }

    /// An engine of datapath `dp` (the serial one only changes the cycle counts: the
    /// register-file writes, results and statuses are those of the parallel engine).
    pub fn with_datapath(dp: Datapath, w: usize) -> Result<Self, String> {
        let mut e = Self::with_program(w, program())?;
        e.datapath = dp;
        if dp == Datapath::Serial {
            e.alu = FieldAlu::with_multipliers(w, Multipliers::One)?;
        }
        Ok(e)
    }

    /// An engine running another program (tests of the interpreter itself).
    pub fn with_program(w: usize, program: &'static Program) -> Result<Self, String> {
        Ok(Engine {
            alu: FieldAlu::with_multipliers(w, parallel_multipliers(w))?,
            w,
            datapath: Datapath::Parallel,
            program,
            regs: vec![BigUint::zero(); NUM_REGS],
            defined: [false; NUM_REGS],
            k: [BigUint::zero(), BigUint::zero()],
            bit: false,
            flag: false,
            counters: [0; NUM_COUNTERS],
            ret: None,
        })
    }

    pub fn width(&self) -> usize {
        self.w
    }

    pub fn datapath(&self) -> Datapath {
        self.datapath
    }

    /// Current contents of register `r` (for debugging and tests).
    pub fn reg(&self, r: Reg) -> &BigUint {
        &self.regs[r as usize]
    }

    /// Current contents of the scalar registers K and K2 (for tests: no secret may stay there).
    pub fn scalar_regs(&self) -> [&BigUint; 2] {
        [&self.k[0], &self.k[1]]
    }

    /// Runs command code `cmd` with `inputs` written (raw) into `program::input_regs(cmd)` in
    /// order, and the countermeasure off: every register of `program::random_regs(cmd)` holds
    /// 1 (λ = 1, the unrandomized computation). An unknown code answers BAD_CMD without
    /// executing or writing anything.
    ///
    /// Panics as [`Engine::run_randomized`] does.
    pub fn run(&mut self, cmd: u8, inputs: &[BigUint]) -> RunResult {
        let ones = Command::from_code(cmd).map_or(Vec::new(), |c| {
            vec![BigUint::from(1u32); random_regs(c).len()]
        });
        self.run_randomized(cmd, inputs, &ones)
    }

    /// Runs command code `cmd` with `inputs` written (raw) into `program::input_regs(cmd)` and
    /// `random` into `program::random_regs(cmd)`, in order — the host writes both the same
    /// way. The results do not depend on `random`; the trace does.
    ///
    /// Panics if `inputs` or `random` has the wrong length or a value ≥ 2^256 (the host ports
    /// cannot express that), and on microcode bugs: reading a register not written during
    /// this command, DJNZ on a zero counter, a nested CALL, RET without CALL, or more than
    /// [`STEP_LIMIT`] instructions.
    pub fn run_randomized(&mut self, cmd: u8, inputs: &[BigUint], random: &[BigUint]) -> RunResult {
        let Some(cmd) = Command::from_code(cmd) else {
            return RunResult {
                status: Status::BadCmd,
                outputs: Vec::new(),
                cycles: START_CYCLES,
                writes: Vec::new(),
                pcs: Vec::new(),
            };
        };
        let in_regs = input_regs(cmd);
        assert_eq!(
            inputs.len(),
            in_regs.len(),
            "{cmd:?} takes {} inputs",
            in_regs.len()
        );
        let rnd_regs = random_regs(cmd);
        assert_eq!(
            random.len(),
            rnd_regs.len(),
            "{cmd:?} takes {} random words",
            rnd_regs.len()
        );
        self.defined = [false; NUM_REGS];
        for (&r, v) in in_regs
            .iter()
            .zip(inputs)
            .chain(rnd_regs.iter().zip(random))
        {
            assert!(
                v.bits() <= REG_BITS as u64,
                "input to r{r} exceeds 256 bits"
            );
            self.regs[r as usize] = v.clone();
            self.defined[r as usize] = true;
        }
        self.ret = None;

        let mut writes = Vec::new();
        let mut pcs = Vec::new();
        let mut cycles = START_CYCLES;
        let mut prev: Option<Instr> = None;
        let mut pc = self.program.entry(cmd);
        let status = loop {
            assert!(
                (pcs.len() as u64) < STEP_LIMIT,
                "{cmd:?} exceeded {STEP_LIMIT} instructions: microcode bug"
            );
            let instr = *self
                .program
                .code
                .get(pc as usize)
                .unwrap_or_else(|| panic!("pc {pc} outside the program"));
            pcs.push(pc);
            cycles += instr_cycles_on(self.datapath, self.w, &instr);
            if let Some(prev) = prev {
                cycles -= overlap(self.datapath, self.w, &prev, &instr);
            }
            prev = Some(instr);
            match self.step(pc, &instr, &mut writes) {
                Next::Go(next) => pc = next,
                Next::Stop(status) => break status,
            }
        };

        let outputs = if status == Status::Ok {
            output_regs(cmd)
                .iter()
                .map(|&r| self.read(r).clone())
                .collect()
        } else {
            Vec::new()
        };
        RunResult {
            status,
            outputs,
            cycles,
            writes,
            pcs,
        }
    }

    fn read(&self, r: Reg) -> &BigUint {
        assert!(
            self.defined[r as usize],
            "microcode reads r{r} before writing it in this command"
        );
        &self.regs[r as usize]
    }

    fn write(&mut self, r: Reg, v: BigUint, writes: &mut Vec<(u8, BigUint)>) {
        debug_assert!(v.bits() <= REG_BITS as u64);
        writes.push((r, v.clone()));
        self.regs[r as usize] = v;
        self.defined[r as usize] = true;
    }

    /// The comb digit of K: bit t is K[64t + 63], the top bit of tooth t.
    fn comb_digit(&self) -> u8 {
        let lane = (REG_BITS / COMB_TEETH) as u64;
        (0..COMB_TEETH as u64)
            .map(|t| (self.k[0].bit(lane * t + lane - 1) as u8) << t)
            .sum()
    }

    /// Shifts scalar register `s` left by one (dropping bit 255) and returns the bit dropped.
    fn shift_k(&mut self, s: usize) -> bool {
        let k = &mut self.k[s];
        let top = k.bit(REG_BITS as u64 - 1);
        k.set_bit(REG_BITS as u64 - 1, false);
        *k <<= 1u32;
        top
    }

    fn step(&mut self, pc: u16, instr: &Instr, writes: &mut Vec<(u8, BigUint)>) -> Next {
        let next = pc + 1;
        match *instr {
            Instr::Add { .. } | Instr::Sub { .. } | Instr::Mul { .. } => {
                let (op, r, a, b, m) = instr.alu().expect("ALU instruction");
                let (va, vb) = (self.read(a).clone(), self.read(b).clone());
                let out = self.alu.execute(op.code(), m, &va, &vb);
                assert!(!out.err, "legal op code reported err");
                self.write(r, out.result, writes);
            }
            Instr::Mov { r, a } => {
                let v = self.read(a).clone();
                self.write(r, v, writes);
            }
            Instr::Const { r, k } => {
                let v = self.program.constants[k as usize].clone();
                self.write(r, v, writes);
            }
            Instr::Csel { r, k } => {
                // Always written: the new value or the old one, so the write itself shows
                // nothing of the bit.
                let v = if self.bit {
                    self.program.constants[k as usize].clone()
                } else {
                    self.read(r).clone()
                };
                self.write(r, v, writes);
            }
            Instr::Cswap { a, b } => {
                let (va, vb) = (self.read(a).clone(), self.read(b).clone());
                let (na, nb) = if self.bit { (vb, va) } else { (va, vb) };
                self.write(a, na, writes);
                self.write(b, nb, writes);
            }
            Instr::Ldk { a } => self.k[0] = self.read(a).clone(),
            Instr::Ldk2 { a } => self.k[1] = self.read(a).clone(),
            Instr::Nextbit => self.bit = self.shift_k(0),
            Instr::Nextbitx => {
                let next = self.k[0].bit(REG_BITS as u64 - 2);
                self.bit = self.shift_k(0) ^ next;
            }
            Instr::Nextf { s } => self.flag = self.shift_k(s as usize),
            Instr::Bitf => self.bit = self.flag,
            Instr::Combeq { d } => self.bit = self.comb_digit() == d,
            Instr::Combld { r, k } => {
                let v = self.program.constants[(k + self.comb_digit() as u16) as usize].clone();
                self.write(r, v, writes);
            }
            Instr::Loop { c, n } => self.counters[c as usize] = n,
            Instr::Djnz { c, target } => {
                let ctr = &mut self.counters[c as usize];
                *ctr = ctr
                    .checked_sub(1)
                    .unwrap_or_else(|| panic!("DJNZ on zero counter c{c} at pc {pc}"));
                if *ctr != 0 {
                    return Next::Go(target);
                }
            }
            Instr::Jmp { target } => return Next::Go(target),
            Instr::Call { target } => {
                assert!(
                    self.ret.is_none(),
                    "nested CALL at pc {pc}: return stack is one deep"
                );
                self.ret = Some(next);
                return Next::Go(target);
            }
            Instr::Ret => {
                return Next::Go(
                    self.ret
                        .take()
                        .unwrap_or_else(|| panic!("RET without CALL at pc {pc}")),
                )
            }
            Instr::Eq { a, b } => self.flag = self.read(a) == self.read(b),
            Instr::Bf { target } if self.flag => return Next::Go(target),
            Instr::Bnf { target } if !self.flag => return Next::Go(target),
            Instr::Bf { .. } | Instr::Bnf { .. } => {}
            Instr::Fail { code } => return Next::Stop(code),
            Instr::Done => return Next::Stop(Status::Ok),
        }
        Next::Go(next)
    }
}

enum Next {
    Go(u16),
    Stop(Status),
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::asm::Asm;
    use crate::engine::program::reg;
    use crate::field_alu::Modulus;

    /// An engine whose every command starts at the beginning of `build`'s code. The tests run
    /// KEYGEN, so their programs write its outputs r5 and r6 before DONE.
    fn engine_with(build: impl FnOnce(&mut Asm)) -> Engine {
        let mut a = Asm::new();
        build(&mut a);
        let prog = Program {
            code: a.finish(),
            entry: [0; 4],
            constants: vec![BigUint::from(5u32), BigUint::from(7u32)],
        };
        Engine::with_program(64, Box::leak(Box::new(prog))).unwrap()
    }

    fn keygen_input() -> Vec<BigUint> {
        vec![BigUint::from(3u32)]
    }

    #[test]
    fn cswap_writes_both_registers_whatever_the_bit() {
        for (k, swapped) in [(0u32, false), (1, true)] {
            let mut e = engine_with(|a| {
                a.konst(reg::QX, 0); // 5
                a.konst(reg::QY, 1); // 7
                a.ldk(reg::D);
                a.nextbit();
                a.cswap(reg::QX, reg::QY);
                a.done();
            });
            // K's top bit comes from d's bit 255.
            let d = BigUint::from(k) << 255u32;
            let r = e.run(Command::Keygen.code(), &[d]);
            let tail = &r.writes[r.writes.len() - 2..];
            let (a, b) = if swapped { (7u32, 5u32) } else { (5, 7) };
            assert_eq!(tail, &[(5, BigUint::from(a)), (6, BigUint::from(b))]);
            assert_eq!(r.outputs, [BigUint::from(a), BigUint::from(b)]);
        }
    }

    #[test]
    fn csel_loads_the_constant_only_if_bit_and_always_writes() {
        for (k, taken) in [(0u32, false), (1, true)] {
            let mut e = engine_with(|a| {
                a.konst(reg::QX, 0); // 5
                a.konst(reg::QY, 0); // 5
                a.ldk(reg::D);
                a.nextbit();
                a.csel(reg::QX, 1); // 7 if bit
                a.done();
            });
            let d = BigUint::from(k) << 255u32;
            let r = e.run(Command::Keygen.code(), &[d]);
            let want = BigUint::from(if taken { 7u32 } else { 5 });
            // The write happens either way; with bit 0 it writes QX's own value back.
            assert_eq!(r.writes.last(), Some(&(5, want.clone())));
            assert_eq!(r.outputs, [want, BigUint::from(5u32)]);
        }
    }

    /// KEYGEN on d with a program that ends with CSWAP QX, QY (QX = 5, QY = 7 before): whether
    /// the bit left by `set_bit` was 1.
    fn swapped(d: BigUint, set_bit: impl FnOnce(&mut Asm)) -> bool {
        let mut e = engine_with(|a| {
            a.konst(reg::QX, 0);
            a.konst(reg::QY, 1);
            set_bit(a);
            a.cswap(reg::QX, reg::QY);
            a.done();
        });
        let r = e.run(Command::Keygen.code(), &[d]);
        assert_eq!(r.status, Status::Ok);
        r.outputs[0] == BigUint::from(7u32)
    }

    #[test]
    fn nextbitx_is_the_xor_of_neighbouring_bits() {
        // d = 110… : the first NEXTBITX sees 1, 1 → 0; the second 1, 0 → 1.
        let d = BigUint::from(0b110u32) << 253u32;
        assert!(!swapped(d.clone(), |a| {
            a.ldk(reg::D);
            a.nextbitx();
        }));
        assert!(swapped(d, |a| {
            a.ldk(reg::D);
            a.nextbitx();
            a.nextbitx();
        }));
    }

    #[test]
    fn bitf_copies_the_flag() {
        for equal in [false, true] {
            let got = swapped(BigUint::from(1u32), |a| {
                a.konst(reg::R, 0);
                a.konst(reg::S, if equal { 0 } else { 1 });
                a.eq(reg::R, reg::S);
                a.bitf();
            });
            assert_eq!(got, equal);
        }
    }

    #[test]
    fn combeq_compares_the_four_taps() {
        // Taps K[255], K[191], K[127], K[63] = 1, 0, 1, 1 → digit 8 + 2 + 1 = 11.
        let d = (BigUint::from(1u32) << 255u32)
            + (BigUint::from(1u32) << 127u32)
            + (BigUint::from(1u32) << 63u32)
            + (BigUint::from(1u32) << 100u32); // not a tap
        for digit in 0..16 {
            let got = swapped(d.clone(), |a| {
                a.ldk(reg::D);
                a.combeq(digit);
            });
            assert_eq!(got, digit == 11, "digit {digit}");
        }
    }

    #[test]
    fn combld_loads_the_entry_of_the_digit() {
        // Taps 1, 0, 1, 1 → digit 11, and K[100] set (not a tap): COMBLD r, k reads k + 11.
        let d = (BigUint::from(1u32) << 255u32)
            + (BigUint::from(1u32) << 127u32)
            + (BigUint::from(1u32) << 63u32)
            + (BigUint::from(1u32) << 100u32);
        let mut a = Asm::new();
        a.ldk(reg::D);
        a.combld(reg::QX, 16);
        a.combld(reg::QY, 0);
        a.done();
        let prog = Program {
            code: a.finish(),
            entry: [0; 4],
            constants: (0..32u32).map(|i| BigUint::from(1000 + i)).collect(),
        };
        let mut e = Engine::with_program(64, Box::leak(Box::new(prog))).unwrap();
        let r = e.run(Command::Keygen.code(), &[d]);
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.outputs, [BigUint::from(1027u32), BigUint::from(1011u32)]);
        // Digit 0 reads the block's first entry.
        let r = e.run(Command::Keygen.code(), &[BigUint::from(1u32) << 62u32]);
        assert_eq!(r.outputs, [BigUint::from(1016u32), BigUint::from(1000u32)]);
    }

    #[test]
    fn nextf_shifts_either_scalar_register_into_the_flag() {
        // K = d = 2^254 (top bits 0, 1), K2 = 2d = 2^255 (top bits 1, 0): the flag after the
        // last of `shifts` NEXTF s.
        for (s, shifts, flag) in [(0u8, 1, false), (0, 2, true), (1, 1, true), (1, 2, false)] {
            let mut e = engine_with(|a| {
                let skip = a.label();
                a.konst(reg::QX, 0);
                a.konst(reg::QY, 1);
                a.ldk(reg::D);
                a.add(reg::R, reg::D, reg::D, Modulus::N);
                a.ldk2(reg::R);
                for _ in 0..shifts {
                    a.nextf(s);
                }
                a.bnf(skip);
                a.mov(reg::QX, reg::QY);
                a.bind(skip);
                a.done();
            });
            let r = e.run(Command::Keygen.code(), &[BigUint::from(1u32) << 254u32]);
            assert_eq!(
                r.outputs[0] == BigUint::from(7u32),
                flag,
                "NEXTF {s} × {shifts}"
            );
        }
    }

    #[test]
    fn loop_runs_n_times() {
        let mut e = engine_with(|a| {
            a.konst(reg::QX, 0);
            a.konst(reg::QY, 0);
            a.loop_(1, 4);
            let top = a.label();
            a.bind(top);
            a.add(reg::QX, reg::QX, reg::QX, Modulus::P);
            a.djnz(1, top);
            a.done();
        });
        let r = e.run(Command::Keygen.code(), &keygen_input());
        assert_eq!(r.status, Status::Ok);
        assert_eq!(r.writes.len(), 2 + 4);
        assert_eq!(r.outputs[0], BigUint::from(5u32 << 4));
    }

    #[test]
    #[should_panic(expected = "microcode bug")]
    fn runaway_program_panics() {
        let mut e = engine_with(|a| {
            let top = a.label();
            a.bind(top);
            a.jmp(top);
        });
        e.run(Command::Keygen.code(), &keygen_input());
    }

    #[test]
    #[should_panic(expected = "before writing it")]
    fn reading_an_unwritten_register_panics() {
        let mut e = engine_with(|a| {
            a.mov(1, 9);
            a.done();
        });
        e.run(Command::Keygen.code(), &keygen_input());
    }

    #[test]
    #[should_panic(expected = "nested CALL")]
    fn nested_call_panics() {
        let mut e = engine_with(|a| {
            let f = a.label();
            a.bind(f);
            a.call(f);
        });
        e.run(Command::Keygen.code(), &keygen_input());
    }

    #[test]
    fn fail_stops_with_its_status_and_no_outputs() {
        let mut e = engine_with(|a| a.fail(Status::RZero));
        let r = e.run(Command::Keygen.code(), &keygen_input());
        assert_eq!(r.status, Status::RZero);
        assert!(r.outputs.is_empty() && r.writes.is_empty());
        assert_eq!(r.cycles, START_CYCLES + 1);
    }
}
