//! The RTL engine next to the golden model: every command runs on both and must agree in
//! lock-step (status, outputs, cycles and every register-file write in order). The random
//! words of `random_regs` (λ of the randomized coordinates) go through the host port like the
//! inputs; without them both sides get λ = 1, as `Engine::run` does.

#![allow(dead_code)]

use num_bigint::BigUint;
use scu_golden::engine::{
    input_regs, output_regs, random_regs, Command, Datapath, Engine, RunResult, Status,
};
use scu_sim::engine::{AnyEngine, RtlRun};
use scu_sim::SimOptions;

/// The presets the issue holds to its tests: smallest and fastest (word width).
pub const PRESETS: [(&str, usize); 2] = [("tiny", 16), ("fast", 64)];

/// The serial-datapath engines, which the tests run next to the presets' engines.
pub const SERIAL16: &str = "serial16";
pub const SERIAL32: &str = "serial32";

fn serial_width(name: &str) -> Option<usize> {
    match name {
        SERIAL16 => Some(16),
        SERIAL32 => Some(32),
        _ => None,
    }
}

pub fn word_width(preset: &str) -> usize {
    serial_width(preset).unwrap_or_else(|| scu_hdl::preset::preset(preset).unwrap().word_width)
}

/// The RTL/model pair for a preset's engine, or for [`SERIAL16`] / [`SERIAL32`].
pub fn pair(name: &str, seed: u64) -> Pair {
    match serial_width(name) {
        Some(w) => Pair::serial(w, seed),
        None => Pair::new(word_width(name), seed),
    }
}

pub struct Pair {
    pub w: usize,
    pub rtl: AnyEngine,
    pub model: Engine,
}

impl Pair {
    pub fn new(w: usize, seed: u64) -> Self {
        Pair {
            w,
            rtl: AnyEngine::new(w, SimOptions::new().random_init(seed)).unwrap(),
            model: Engine::new(w).unwrap(),
        }
    }

    /// The serial-datapath engine of width `w`, against the model with the serial cycle table.
    pub fn serial(w: usize, seed: u64) -> Self {
        Pair {
            w,
            rtl: AnyEngine::new_serial(w, SimOptions::new().random_init(seed)).unwrap(),
            model: Engine::with_datapath(Datapath::Serial, w).unwrap(),
        }
    }

    /// Runs `cmd` on the RTL only (no trace), λ = 1: status, outputs, cycles.
    pub fn rtl(&mut self, cmd: Command, inputs: &[BigUint]) -> RtlRun {
        let ins = host_writes(cmd, inputs, &countermeasure_off(cmd));
        self.rtl
            .run(cmd.code(), &ins, output_regs(cmd), false)
            .unwrap_or_else(|e| panic!("W{}: {e}", self.w))
    }

    /// Runs `cmd` on both with λ = 1, traced, and asserts lock-step agreement; returns the
    /// model's run.
    pub fn lockstep(&mut self, cmd: Command, inputs: &[BigUint]) -> RunResult {
        self.lockstep_randomized(cmd, inputs, &countermeasure_off(cmd))
    }

    /// As `lockstep`, with `random` written into `random_regs(cmd)` on both sides.
    pub fn lockstep_randomized(
        &mut self,
        cmd: Command,
        inputs: &[BigUint],
        random: &[BigUint],
    ) -> RunResult {
        let ins = host_writes(cmd, inputs, random);
        let rtl = self
            .rtl
            .run(cmd.code(), &ins, output_regs(cmd), true)
            .unwrap_or_else(|e| panic!("W{}: {e}", self.w));
        let model = self.model.run_randomized(cmd.code(), inputs, random);
        let ctx = format!("W{} {cmd:?} inputs {inputs:x?} random {random:x?}", self.w);
        if let Some(i) = rtl
            .writes
            .iter()
            .zip(&model.writes)
            .position(|(a, b)| a != b)
        {
            panic!(
                "{ctx}: write {i} differs: RTL r{} = {:x}, model r{} = {:x}",
                rtl.writes[i].0, rtl.writes[i].1, model.writes[i].0, model.writes[i].1
            );
        }
        assert_eq!(
            rtl.writes.len(),
            model.writes.len(),
            "{ctx}: number of writes"
        );
        assert_eq!(rtl.status, model.status.code(), "{ctx}: status");
        assert_eq!(rtl.cycles, model.cycles, "{ctx}: cycles");
        if model.status == Status::Ok {
            assert_eq!(rtl.outputs, model.outputs, "{ctx}: outputs");
        }
        model
    }
}

/// λ = 1 in every random register of `cmd`: the countermeasure off.
pub fn countermeasure_off(cmd: Command) -> Vec<BigUint> {
    vec![BigUint::from(1u32); random_regs(cmd).len()]
}

/// The host-port writes before `start`: the inputs, then the random words.
pub fn host_writes(cmd: Command, inputs: &[BigUint], random: &[BigUint]) -> Vec<(u8, BigUint)> {
    assert_eq!(inputs.len(), input_regs(cmd).len(), "{cmd:?} inputs");
    assert_eq!(random.len(), random_regs(cmd).len(), "{cmd:?} random words");
    input_regs(cmd)
        .iter()
        .chain(random_regs(cmd))
        .copied()
        .zip(inputs.iter().chain(random).cloned())
        .collect()
}
