//! Cycles per field-ALU operation, measured on the verilated RTL of every word width
//! (start edge to done, inclusive), as a Markdown table for the README.
//!
//! `cargo run --release --example field_alu_cycles`

use num_bigint::BigUint;
use scu_sim::models::{ScuFieldAluW128, ScuFieldAluW16, ScuFieldAluW32, ScuFieldAluW64};
use scu_sim::{Sim, SimOptions};

macro_rules! measure {
    ($model:ty) => {{
        let mut sim = Sim::<$model>::create(SimOptions::new());
        sim.set_start(0);
        sim.reset(2);
        let a = BigUint::parse_bytes(
            b"6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296",
            16,
        )
        .unwrap();
        let b = BigUint::parse_bytes(
            b"4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5",
            16,
        )
        .unwrap();
        let mut row = vec![];
        for op in [0u64, 1, 2] {
            sim.set_op(op);
            sim.set_mod_sel(0);
            sim.set_a_big(&a);
            sim.set_b_big(&b);
            sim.set_start(1);
            let cycles = sim
                .run_until(|m| m.done() == 1, 100_000)
                .expect("operation completes");
            sim.set_start(0);
            sim.tick();
            row.push(cycles);
        }
        row
    }};
}

fn main() {
    println!("| W | ADD | SUB | MUL |");
    println!("|---|---|---|---|");
    for (w, row) in [
        (16, measure!(ScuFieldAluW16)),
        (32, measure!(ScuFieldAluW32)),
        (64, measure!(ScuFieldAluW64)),
        (128, measure!(ScuFieldAluW128)),
    ] {
        println!("| {w} | {} | {} | {} |", row[0], row[1], row[2]);
    }
}
