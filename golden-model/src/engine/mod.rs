//! The microcoded P-256 engine (`docs/engine.md`): instruction set and encoding, cycle model,
//! the microcode itself, and the interpreter that runs it on the field ALU model.

pub mod asm;
pub mod cycles;
pub mod interp;
pub mod isa;
pub mod program;
pub mod schedule;

pub use cycles::Datapath;
pub use interp::{Engine, RunResult};
pub use isa::{decode, encode, Command, Instr, Status};
pub use program::{input_regs, output_regs, program, random_regs, Program};
