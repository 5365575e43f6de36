//! Prints `docs/registers.md` from the register map description; `tests/regmap.rs` fails when
//! the committed file differs from this output.
//!
//! `cargo run --release -p scu-hdl --example regmap_docs > docs/registers.md`

fn main() {
    print!("{}", scu_hdl::regmap::docs());
}
