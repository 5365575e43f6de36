//! The engine's host protocol on the RTL: what happens to host traffic while busy, a reset in
//! the middle of a command, `start` while busy, and different power-up states — none of which
//! may change a result or hang the engine.

#[path = "../golden-model/tests/engine_support/mod.rs"]
mod engine_support;

use engine_support::*;
use num_bigint::BigUint;
use scu_golden::engine::{input_regs, output_regs, random_regs, Command, Status};
use scu_sim::engine::{EnginePorts, EngineSim};
use scu_sim::models::{ScuEngineW16, ScuEngineW64};
use scu_sim::SimOptions;

/// d, and λ = 1 in RND (a host writes the random register too; 1 is the countermeasure off).
fn keygen_inputs(d: u32) -> Vec<(u8, BigUint)> {
    vec![
        (input_regs(Command::Keygen)[0], BigUint::from(d)),
        (random_regs(Command::Keygen)[0], BigUint::from(1u32)),
    ]
}

fn expected(d: u32) -> Vec<BigUint> {
    let (x, y) = ref_keygen(&BigUint::from(d));
    vec![x, y]
}

/// Starts KEYGEN(d) and returns after `cycles` cycles, engine busy.
fn start_keygen<M: EnginePorts>(e: &mut EngineSim<M>, d: u32, cycles: u64) {
    for (r, v) in keygen_inputs(d) {
        e.sim.set_host_addr(r as u64);
        e.sim.set_host_wdata_big(&v);
        e.sim.set_host_we(1);
        e.sim.tick();
    }
    e.sim.set_host_we(0);
    e.sim.set_cmd(Command::Keygen.code() as u64);
    e.sim.set_start(1);
    e.sim.tick();
    e.sim.set_start(0);
    e.sim.ticks(cycles);
    assert_eq!(e.sim.busy(), 1);
}

#[test]
fn host_writes_reads_and_start_are_ignored_while_busy() {
    let mut e = EngineSim::<ScuEngineW64>::new(SimOptions::new().random_init(3));
    let baseline = e
        .run(
            Command::Keygen.code(),
            &keygen_inputs(5),
            output_regs(Command::Keygen),
            true,
        )
        .unwrap();
    start_keygen(&mut e, 5, 1000);
    // Hammer every register with host writes and reads, and re-start with another command.
    for r in 0..32u64 {
        e.sim.set_host_addr(r);
        e.sim
            .set_host_wdata_big(&(BigUint::from(0xdead_u32) << (r as u32 * 7)));
        e.sim.set_host_we(1);
        e.sim.set_host_re(1);
        e.sim.set_cmd(Command::Verify.code() as u64);
        e.sim.set_start(1);
        e.sim.tick();
    }
    e.sim.set_host_we(0);
    e.sim.set_host_re(0);
    e.sim.set_start(0);
    let mut cycles = 1000 + 1 + 32;
    while e.sim.done() == 0 {
        e.sim.tick();
        cycles += 1;
    }
    assert_eq!(e.sim.status(), Status::Ok.code() as u64);
    assert_eq!(cycles, baseline.cycles, "busy traffic changed the schedule");
    let out: Vec<BigUint> = output_regs(Command::Keygen)
        .iter()
        .map(|&r| e.read_reg(r))
        .collect();
    assert_eq!(out, expected(5));
    assert_eq!(baseline.outputs, expected(5));
}

#[test]
fn reset_mid_command_returns_to_idle_and_the_next_command_is_exact() {
    let mut e = EngineSim::<ScuEngineW16>::new(SimOptions::new().random_init(4));
    for at in [1u64, 7, 500, 20_000] {
        start_keygen(&mut e, 9, at);
        e.sim.reset(1);
        e.sim.tick();
        assert_eq!(e.sim.busy(), 0, "reset at {at}: idle");
        assert_eq!(e.sim.done(), 0, "reset at {at}: no done");
        let r = e
            .run(
                Command::Keygen.code(),
                &keygen_inputs(11),
                output_regs(Command::Keygen),
                false,
            )
            .unwrap();
        assert_eq!(r.status, Status::Ok.code());
        assert_eq!(r.outputs, expected(11), "reset at {at}");
    }
}

#[test]
fn power_up_state_does_not_matter() {
    let mut cycles = None;
    for seed in 1..=4u64 {
        let mut e = EngineSim::<ScuEngineW64>::new(SimOptions::new().random_init(seed));
        let r = e
            .run(
                Command::Keygen.code(),
                &keygen_inputs(3),
                output_regs(Command::Keygen),
                false,
            )
            .unwrap();
        assert_eq!(r.outputs, expected(3), "seed {seed}");
        assert_eq!(r.cycles, *cycles.get_or_insert(r.cycles), "seed {seed}");
    }
}

#[test]
fn done_is_a_one_cycle_pulse_and_status_holds() {
    let mut e = EngineSim::<ScuEngineW64>::new(SimOptions::new().random_init(5));
    let r = e
        .run(
            Command::Keygen.code(),
            &keygen_inputs(0),
            output_regs(Command::Keygen),
            false,
        )
        .unwrap();
    assert_eq!(r.status, Status::BadScalar.code());
    // `run` ticked once more (the output reads) after done.
    assert_eq!(e.sim.done(), 0);
    assert_eq!(e.sim.status(), Status::BadScalar.code() as u64);
    e.sim.ticks(10);
    assert_eq!(e.sim.status(), Status::BadScalar.code() as u64);
}
