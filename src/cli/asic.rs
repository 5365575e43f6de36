//! `scu asic estimate`: gate-equivalent area of each SCU block (see docs/asic.md).

use super::{CliError, PresetArgs};
use scu::asic::{self, AsicError};
use scu_hdl::preset;

#[derive(clap::Subcommand, Debug)]
pub enum AsicCommand {
    /// Area per block in NAND2 gate equivalents (yosys generic synthesis onto
    /// hdl/asic/scu_ge.lib); RAM and ROM leaves counted in bits.
    Estimate(EstimateArgs),
}

#[derive(clap::Args, Debug)]
pub struct EstimateArgs {
    #[command(flatten)]
    preset: PresetArgs,
    /// Print one JSON object instead of the table.
    #[arg(long)]
    json: bool,
}

pub fn run(cmd: AsicCommand) -> Result<(), CliError> {
    let AsicCommand::Estimate(args) = cmd;
    let params = args.preset.params()?;
    let name = &args.preset.preset;
    let set = preset::generate(name, &params).map_err(CliError::Input)?;
    let files = set.files().map_err(CliError::Input)?;
    let est = asic::estimate(name, params.word_width, &files).map_err(|e| match e {
        AsicError::Input(s) => CliError::Input(s),
        AsicError::NoYosys(s) | AsicError::Failed(s) => CliError::Failed(s),
    })?;
    if args.json {
        println!(
            "{}",
            serde_json::to_string(&est.to_json()).expect("estimate serialises")
        );
        return Ok(());
    }
    println!(
        "scu asic estimate: preset {} (word_width={}), {} on {}",
        est.preset,
        est.word_width,
        est.yosys,
        asic::LIBERTY_PATH
    );
    println!(
        "  {:<8} {:>10} {:>10} {:>8} {:>12} {:>10}",
        "block", "logic kGE", "FF kGE", "FFs", "RAM bits", "ROM bits"
    );
    let row = |name: &str, a: &asic::Area, ram: u64, rom: u64| {
        println!(
            "  {:<8} {:>10.2} {:>10.2} {:>8} {:>12} {:>10}",
            name,
            a.logic_ge / 1000.0,
            a.ff_ge / 1000.0,
            a.ffs,
            ram,
            rom
        );
    };
    for b in &est.blocks {
        row(b.name, &b.area, b.ram_bits(), b.rom_bits());
    }
    let (t, ram, rom) = est.total();
    row("total", &t, ram, rom);
    println!(
        "  RAM (register file, key slots) and ROM (microcode, constants) are memory macros in \
         an ASIC flow: counted in bits, not gates."
    );
    Ok(())
}
