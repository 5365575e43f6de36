//! Co-simulation speed: simulated clock cycles per second of the verilated field ALUs,
//! driven from Rust through scu-sim's typed API.
//!
//! * `alu_mul_back_to_back/wNN`: one MUL per iteration, driven like a test does (raise
//!   start, tick, drop start, tick until done); throughput = cycles per MUL (S² + 5S + 1).
//! * `raw_tick/wNN`: `Sim::tick()` in a loop with `start` held high, so the ALU is always busy
//!   multiplying; throughput = ticks.
//!
//! `cargo bench --bench cosim`; criterion reports "elem/s" = simulated cycles per second.

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use scu_sim::models::{ScuFieldAluW128, ScuFieldAluW16, ScuFieldAluW32, ScuFieldAluW64};
use scu_sim::{Sim, SimOptions};
use std::hint::black_box;
use std::time::Duration;

const OP_MUL: u64 = 2;
/// Reduced operands (< p) with every word non-trivial.
const A: [u32; 8] = [
    0x8c2d_3f1b,
    0x11c0_ffee,
    0x5a5a_a5a5,
    0x0bad_f00d,
    0x7fff_0001,
    0x1357_9bdf,
    0x2468_ace0,
    0x6b17_d1f2,
];
const B: [u32; 8] = [
    0xd898_c296,
    0xf4a1_3945,
    0x2deb_33a0,
    0x7703_7d81,
    0x63a4_40f2,
    0xf8bc_e6e5,
    0xe12c_4247,
    0x4fe3_42e2,
];

macro_rules! alu_benches {
    ($c:expr, $ty:ty, $w:expr) => {{
        let mul_cycles = scu_golden::field_alu::cycles_for($w, OP_MUL as u8);

        let mut sim = Sim::<$ty>::create(SimOptions::new().no_waves());
        sim.reset(2);
        sim.set_op(OP_MUL);
        sim.set_mod_sel(0);
        sim.set_a_words(&A);
        sim.set_b_words(&B);
        // Check the cycle count once, so the throughput figure is honest.
        sim.set_start(1);
        let n = sim.run_until(|m| m.done() == 1, 10_000).unwrap();
        sim.set_start(0);
        assert_eq!(n, mul_cycles, "W={} MUL cycles", $w);

        let mut g = $c.benchmark_group("alu_mul_back_to_back");
        g.throughput(Throughput::Elements(mul_cycles));
        g.bench_function(BenchmarkId::from_parameter(format!("w{}", $w)), |b| {
            b.iter(|| {
                sim.set_start(1);
                sim.tick();
                sim.set_start(0);
                while sim.done() == 0 {
                    sim.tick();
                }
                black_box(sim.result_array());
            })
        });
        g.finish();

        const TICKS: u64 = 10_000;
        sim.set_start(1);
        let mut g = $c.benchmark_group("raw_tick");
        g.throughput(Throughput::Elements(TICKS));
        g.bench_function(BenchmarkId::from_parameter(format!("w{}", $w)), |b| {
            b.iter(|| {
                for _ in 0..TICKS {
                    sim.tick();
                }
            })
        });
        g.finish();
        black_box(sim.cycles());
    }};
}

fn cosim(c: &mut Criterion) {
    alu_benches!(c, ScuFieldAluW16, 16);
    alu_benches!(c, ScuFieldAluW32, 32);
    alu_benches!(c, ScuFieldAluW64, 64);
    alu_benches!(c, ScuFieldAluW128, 128);
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(3))
        .sample_size(30);
    targets = cosim
}
criterion_main!(benches);
