//! The assembler's one optimisation: the order of back-to-back ALU instructions.
//!
//! On the parallel datapath an ADD/SUB/MUL right after another one reads its operands while
//! that one runs, as far as they are not its result (`cycles::overlap`). The microcode is
//! written in the order of the formulas; this pass reorders each straight run of ALU
//! instructions so that, where the dependences allow, an instruction does not read the
//! result of the one before it, and puts the awaited operand of a commutative instruction
//! second (waiting for b costs one cycle less than waiting for a). Only the order changes,
//! never what is computed: an instruction stays after every instruction whose result it
//! reads, whose operand it overwrites, or whose result it overwrites.
//!
//! A run ends at every non-ALU instruction and is split at every address something may jump
//! or enter at (labels, command entries), so every instruction of a run is reached only from
//! the one before it in the ROM.

use super::cycles::operands_free;
use super::isa::{Instr, Reg};

/// How much `next` gains from running right after `prev` (higher is better): 2 when it
/// reads neither operand from `prev`'s result, 1 when only b, 0 otherwise. The cycles saved
/// are these, or fewer after a short ALU instruction (`cycles::overlap`).
fn gain(prev: Option<&Instr>, next: &Instr) -> u8 {
    match prev.and_then(|p| operands_free(p, next)) {
        Some((true, true)) => 2,
        Some((true, false)) => 1,
        _ => 0,
    }
}

/// `i` with its operands exchanged, for ADD and MUL.
fn commuted(i: &Instr) -> Option<Instr> {
    match *i {
        Instr::Add { r, a, b, m } => Some(Instr::Add { r, a: b, b: a, m }),
        Instr::Mul { r, a, b, m } => Some(Instr::Mul { r, a: b, b: a, m }),
        _ => None,
    }
}

/// `i` in the operand order that gains more after `prev`.
fn best_order(prev: Option<&Instr>, i: &Instr) -> Instr {
    match commuted(i) {
        Some(c) if gain(prev, &c) > gain(prev, i) => c,
        _ => *i,
    }
}

/// Whether `later` must stay after `earlier` (both ALU instructions).
fn depends(earlier: &Instr, later: &Instr) -> bool {
    let (Some((_, r1, a1, b1, _)), Some((_, r2, a2, b2, _))) = (earlier.alu(), later.alu()) else {
        unreachable!("runs hold ALU instructions only");
    };
    let reads = |x: Reg, a: Reg, b: Reg| x == a || x == b;
    reads(r1, a2, b2) || reads(r2, a1, b1) || r1 == r2
}

/// One run, greedily: at each position the first ready instruction (in written order) of
/// the highest gain after the one placed before it.
fn schedule_run(prev: Option<Instr>, run: &[Instr]) -> Vec<Instr> {
    let mut left: Vec<Instr> = run.to_vec();
    let mut out = Vec::with_capacity(run.len());
    let mut last = prev;
    while !left.is_empty() {
        let ready = |k: usize| !left[..k].iter().any(|e| depends(e, &left[k]));
        let mut pick = None;
        for k in (0..left.len()).filter(|&k| ready(k)) {
            let g = gain(last.as_ref(), &best_order(last.as_ref(), &left[k]));
            if pick.is_none_or(|(_, best)| g > best) {
                pick = Some((k, g));
            }
        }
        let (k, _) = pick.expect("the first instruction of a run is always ready");
        let i = best_order(last.as_ref(), &left.remove(k));
        out.push(i);
        last = Some(i);
    }
    out
}

/// Reorders `code` in place. `entries`: every address execution may reach other than from
/// the word before it (label targets, command entries, return addresses are after CALLs,
/// which end runs anyway).
pub fn schedule(code: &mut [Instr], entries: &[u16]) {
    let mut start = 0;
    while start < code.len() {
        if code[start].alu().is_none() {
            start += 1;
            continue;
        }
        let mut end = start + 1;
        while end < code.len() && code[end].alu().is_some() && !entries.contains(&(end as u16)) {
            end += 1;
        }
        let prev = (start > 0 && !entries.contains(&(start as u16))).then(|| code[start - 1]);
        let run = schedule_run(prev, &code[start..end]);
        code[start..end].copy_from_slice(&run);
        start = end;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::field_alu::Modulus::P;

    fn mul(r: Reg, a: Reg, b: Reg) -> Instr {
        Instr::Mul { r, a, b, m: P }
    }
    fn sub(r: Reg, a: Reg, b: Reg) -> Instr {
        Instr::Sub { r, a, b, m: P }
    }

    #[test]
    fn an_independent_instruction_moves_between_a_pair() {
        // t1 = x·y; t2 = t1·z; t3 = u·v  →  t1, t3, t2.
        let mut code = [mul(1, 10, 11), mul(2, 1, 12), mul(3, 13, 14)];
        schedule(&mut code, &[]);
        assert_eq!(code, [mul(1, 10, 11), mul(3, 13, 14), mul(2, 1, 12)]);
    }

    #[test]
    fn dependences_hold() {
        // Every pair depends (a chain, a WAR and a WAW): nothing may move.
        let chain = [mul(1, 10, 11), sub(2, 1, 12), mul(3, 2, 2)];
        let war = [mul(1, 2, 3), mul(2, 4, 5)];
        let waw = [mul(1, 2, 3), mul(1, 4, 5)];
        for run in [&chain[..], &war[..], &waw[..]] {
            let mut code = run.to_vec();
            schedule(&mut code, &[]);
            assert_eq!(code, run);
        }
    }

    #[test]
    fn the_awaited_operand_of_a_commutative_instruction_goes_second() {
        let mut code = [mul(1, 10, 11), mul(2, 1, 12), sub(3, 2, 13)];
        schedule(&mut code, &[]);
        assert_eq!(code, [mul(1, 10, 11), mul(2, 12, 1), sub(3, 2, 13)]);
    }

    #[test]
    fn runs_split_at_entries_and_other_instructions() {
        let run = [mul(1, 10, 11), sub(2, 1, 12), mul(3, 13, 14)];
        let mut code = run;
        schedule(&mut code, &[]);
        assert_eq!(code, [run[0], run[2], run[1]]);
        let mut code = run;
        schedule(&mut code, &[2]);
        assert_eq!(code, run);
        let mut code = [run[0], Instr::Nextbit, run[1], run[2]];
        schedule(&mut code, &[]);
        assert_eq!(code, [run[0], Instr::Nextbit, run[1], run[2]]);
    }
}
