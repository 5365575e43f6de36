//! A tiny assembler so the microcode in `program.rs` reads like pseudo-code: one method per
//! instruction, forward labels, and all target addresses resolved in [`Asm::finish`].

use crate::field_alu::Modulus;

use super::isa::{Instr, Reg, Status, IMM_MAX, NUM_COUNTERS, NUM_REGS, NUM_SCALARS};
use super::schedule::schedule;

/// A position in the program, possibly not yet bound.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Label(usize);

/// Program under construction.
#[derive(Debug, Default)]
pub struct Asm {
    code: Vec<Instr>,
    labels: Vec<Option<u16>>,
    /// (instruction index, label) pairs whose target field still says 0.
    fixups: Vec<(usize, Label)>,
    /// Addresses taken with `here` (command entries): like labels, places execution may
    /// enter other than from the word before.
    entries: Vec<u16>,
}

impl Asm {
    pub fn new() -> Self {
        Self::default()
    }

    /// Address of the next instruction emitted, which may then be entered from elsewhere
    /// (a command entry).
    pub fn here(&mut self) -> u16 {
        let pc = self.next_pc();
        self.entries.push(pc);
        pc
    }

    fn next_pc(&self) -> u16 {
        let pc = self.code.len();
        assert!(
            pc <= IMM_MAX as usize,
            "program exceeds the {IMM_MAX}-word ROM"
        );
        pc as u16
    }

    pub fn label(&mut self) -> Label {
        self.labels.push(None);
        Label(self.labels.len() - 1)
    }

    /// Binds `l` to the next instruction emitted.
    pub fn bind(&mut self, l: Label) {
        assert!(self.labels[l.0].is_none(), "label bound twice");
        self.labels[l.0] = Some(self.next_pc());
    }

    /// Address of a bound label.
    pub fn address(&self, l: Label) -> u16 {
        self.labels[l.0].expect("label not bound")
    }

    fn emit(&mut self, i: Instr) {
        self.next_pc();
        self.code.push(i);
    }

    fn emit_to(&mut self, i: Instr, l: Label) {
        self.fixups.push((self.code.len(), l));
        self.emit(i);
    }

    fn reg(r: Reg) -> Reg {
        assert!((r as usize) < NUM_REGS, "register r{r} does not exist");
        r
    }

    pub fn add(&mut self, r: Reg, a: Reg, b: Reg, m: Modulus) {
        let (r, a, b) = (Self::reg(r), Self::reg(a), Self::reg(b));
        self.emit(Instr::Add { r, a, b, m });
    }
    pub fn sub(&mut self, r: Reg, a: Reg, b: Reg, m: Modulus) {
        let (r, a, b) = (Self::reg(r), Self::reg(a), Self::reg(b));
        self.emit(Instr::Sub { r, a, b, m });
    }
    pub fn mul(&mut self, r: Reg, a: Reg, b: Reg, m: Modulus) {
        let (r, a, b) = (Self::reg(r), Self::reg(a), Self::reg(b));
        self.emit(Instr::Mul { r, a, b, m });
    }
    pub fn mov(&mut self, r: Reg, a: Reg) {
        let (r, a) = (Self::reg(r), Self::reg(a));
        self.emit(Instr::Mov { r, a });
    }
    pub fn konst(&mut self, r: Reg, k: u16) {
        assert!(k <= IMM_MAX);
        self.emit(Instr::Const { r: Self::reg(r), k });
    }
    pub fn csel(&mut self, r: Reg, k: u16) {
        assert!(k <= IMM_MAX);
        self.emit(Instr::Csel { r: Self::reg(r), k });
    }
    pub fn cswap(&mut self, a: Reg, b: Reg) {
        let (a, b) = (Self::reg(a), Self::reg(b));
        self.emit(Instr::Cswap { a, b });
    }
    pub fn ldk(&mut self, a: Reg) {
        self.emit(Instr::Ldk { a: Self::reg(a) });
    }
    pub fn nextbit(&mut self) {
        self.emit(Instr::Nextbit);
    }
    pub fn loop_(&mut self, c: u8, n: u16) {
        assert!((c as usize) < NUM_COUNTERS && (1..=IMM_MAX).contains(&n));
        self.emit(Instr::Loop { c, n });
    }
    pub fn djnz(&mut self, c: u8, l: Label) {
        assert!((c as usize) < NUM_COUNTERS);
        self.emit_to(Instr::Djnz { c, target: 0 }, l);
    }
    pub fn jmp(&mut self, l: Label) {
        self.emit_to(Instr::Jmp { target: 0 }, l);
    }
    pub fn call(&mut self, l: Label) {
        self.emit_to(Instr::Call { target: 0 }, l);
    }
    pub fn ret(&mut self) {
        self.emit(Instr::Ret);
    }
    pub fn eq(&mut self, a: Reg, b: Reg) {
        let (a, b) = (Self::reg(a), Self::reg(b));
        self.emit(Instr::Eq { a, b });
    }
    pub fn bf(&mut self, l: Label) {
        self.emit_to(Instr::Bf { target: 0 }, l);
    }
    pub fn bnf(&mut self, l: Label) {
        self.emit_to(Instr::Bnf { target: 0 }, l);
    }
    pub fn fail(&mut self, code: Status) {
        assert!(code != Status::Ok, "FAIL Ok; use DONE");
        self.emit(Instr::Fail { code });
    }
    pub fn done(&mut self) {
        self.emit(Instr::Done);
    }
    pub fn nextbitx(&mut self) {
        self.emit(Instr::Nextbitx);
    }
    pub fn bitf(&mut self) {
        self.emit(Instr::Bitf);
    }
    pub fn ldk2(&mut self, a: Reg) {
        self.emit(Instr::Ldk2 { a: Self::reg(a) });
    }
    pub fn combeq(&mut self, d: u8) {
        assert!(d < 16, "comb digit {d} exceeds 4 bits");
        self.emit(Instr::Combeq { d });
    }
    pub fn combld(&mut self, r: Reg, k: u16) {
        assert!(k <= IMM_MAX && k % 16 == 0, "COMBLD table base {k}");
        self.emit(Instr::Combld { r: Self::reg(r), k });
    }
    pub fn nextf(&mut self, s: u8) {
        assert!(
            (s as usize) < NUM_SCALARS,
            "scalar register k{s} does not exist"
        );
        self.emit(Instr::Nextf { s });
    }

    /// The finished code, its runs of ALU instructions reordered (`schedule.rs`), with every
    /// label reference resolved. Panics on an unbound label.
    pub fn finish(mut self) -> Vec<Instr> {
        let mut entries: Vec<u16> = self.labels.iter().flatten().copied().collect();
        entries.extend(&self.entries);
        schedule(&mut self.code, &entries);
        for (at, l) in std::mem::take(&mut self.fixups) {
            let t = self.address(l);
            match &mut self.code[at] {
                Instr::Djnz { target, .. }
                | Instr::Jmp { target }
                | Instr::Call { target }
                | Instr::Bf { target }
                | Instr::Bnf { target } => *target = t,
                other => unreachable!("fixup on {other}"),
            }
        }
        self.code
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forward_and_backward_labels_resolve() {
        let mut a = Asm::new();
        let fwd = a.label();
        let back = a.label();
        a.bind(back);
        a.nextbit();
        a.bf(fwd);
        a.djnz(1, back);
        a.bind(fwd);
        a.done();
        let code = a.finish();
        assert_eq!(code[1], Instr::Bf { target: 3 });
        assert_eq!(code[2], Instr::Djnz { c: 1, target: 0 });
    }

    #[test]
    #[should_panic(expected = "label not bound")]
    fn unbound_label_panics() {
        let mut a = Asm::new();
        let l = a.label();
        a.jmp(l);
        a.finish();
    }
}
