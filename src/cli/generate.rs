//! `scu generate`: preset (plus overrides) → Verilog files and manifest.json.

use super::{output_dir, CliError, PresetArgs};
use scu_golden::field_alu::{cycles_for, AluOp};
use scu_hdl::preset;
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    preset: PresetArgs,
    /// Output directory [default: build/<preset>, which scu owns and always replaces].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace a non-empty --out directory.
    #[arg(long)]
    force: bool,
    /// Print the manifest as JSON instead of the summary.
    #[arg(long)]
    json: bool,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let params = args.preset.params()?;
    let name = &args.preset.preset;
    // The default directory is scu's own (like cargo's target/), so rerunning replaces it;
    // a directory the user named is only replaced when asked.
    let (out, force) = match args.out {
        Some(dir) => (dir, args.force),
        None => (PathBuf::from("build").join(name), true),
    };
    output_dir::check_target(&out, force)?;

    let design = preset::generate(name, &params).map_err(CliError::Input)?;
    output_dir::write_atomically(&out, |dir| design.write_into(dir))?;

    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&design.manifest()).expect("manifest serialises")
        );
        return Ok(());
    }
    println!(
        "scu generate: preset {} -> {}",
        design.preset,
        out.display()
    );
    println!("  top module   {}", design.top);
    println!("  parameters   word_width={}", params.word_width);
    let width: usize = design.ports.iter().map(|p| p.width).sum();
    println!("  ports        {} ({} bits)", design.ports.len(), width);
    for (path, text) in design.files() {
        println!("  file         {path} ({} lines)", text.lines().count());
    }
    println!("  manifest     {}", out.join("manifest.json").display());
    let w = params.word_width;
    println!(
        "  cycles/op    add {} | sub {} | mul {} (constant time, from docs/field-alu.md)",
        cycles_for(w, AluOp::Add.code()),
        cycles_for(w, AluOp::Sub.code()),
        cycles_for(w, AluOp::Mul.code())
    );
    Ok(())
}
