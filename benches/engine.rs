//! Engine co-simulation speed: one KEYGEN on the verilated engine per iteration, tiny and fast
//! presets, driven through `scu_sim::engine` exactly as `scu sim` drives it (no trace).
//! Criterion's "elem/s" is simulated clock cycles per second; the cycle count itself is exact
//! and comes from `scu report`, not from here.
//!
//! `cargo bench --bench engine`

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use num_bigint::BigUint;
use scu_golden::engine::{input_regs, output_regs, random_regs, Command};
use scu_sim::engine::AnyEngine;
use scu_sim::SimOptions;
use std::hint::black_box;
use std::time::Duration;

fn keygen(c: &mut Criterion) {
    let mut g = c.benchmark_group("engine_keygen");
    for preset in ["tiny", "fast"] {
        let w = scu_hdl::preset::preset(preset).unwrap().word_width;
        let mut e = AnyEngine::new(w, SimOptions::new().no_waves()).unwrap();
        let inputs = vec![
            (
                input_regs(Command::Keygen)[0],
                BigUint::from(0x1234_5678u32),
            ),
            (random_regs(Command::Keygen)[0], BigUint::from(1u32)), // λ: countermeasure off
        ];
        let run = |e: &mut AnyEngine| {
            e.run(
                Command::Keygen.code(),
                &inputs,
                output_regs(Command::Keygen),
                false,
            )
            .unwrap()
        };
        let cycles = run(&mut e).cycles;
        g.throughput(Throughput::Elements(cycles));
        g.bench_function(BenchmarkId::from_parameter(preset), |b| {
            b.iter(|| black_box(run(&mut e)))
        });
    }
    g.finish();
}

criterion_group! {
    name = benches;
    config = Criterion::default()
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(5))
        .sample_size(10);
    targets = keygen
}
criterion_main!(benches);
