//! `scu generate`: preset (plus overrides) → Verilog files and manifest.json.

use super::{output_dir, CliError, PresetArgs};
use scu_golden::field_alu::{cycles_with, parallel_multipliers, AluOp, Modulus, Multipliers};
use scu_hdl::preset;
use scu_hdl::preset::Datapath;
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
    /// Key slots of the gate, 1 to 8 [default: the preset's].
    #[arg(long)]
    slots: Option<usize>,
    /// Randomized projective coordinates: λ drawn from the TRNG for every KEYGEN, ECDH and
    /// SIGN (on), or λ = 1 (off) [default: the preset's].
    #[arg(long, value_parser = ["on", "off"])]
    randomize: Option<String>,
}

pub fn run(args: Args) -> Result<(), CliError> {
    let mut params = args.preset.params()?;
    if let Some(n) = args.slots {
        params.slots = n;
    }
    if let Some(r) = &args.randomize {
        params.randomize = r == "on";
    }
    params.validate().map_err(CliError::Input)?;
    let name = &args.preset.preset;
    // The default directory is scu's own (like cargo's target/), so rerunning replaces it;
    // a directory the user named is only replaced when asked.
    let (out, force) = match args.out {
        Some(dir) => (dir, args.force),
        None => (PathBuf::from("build").join(name), true),
    };
    output_dir::check_target(&out, force)?;

    let set = preset::generate(name, &params).map_err(CliError::Input)?;
    let manifest = set.manifest().map_err(CliError::Input)?;
    output_dir::write_atomically(&out, |dir| set.write_into(dir))?;

    if args.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&manifest).expect("manifest serialises")
        );
        return Ok(());
    }
    println!(
        "scu generate: preset {} -> {}",
        set.primary().preset,
        out.display()
    );
    for design in &set.designs {
        let width: usize = design.ports.iter().map(|p| p.width).sum();
        println!(
            "  top module   {} ({} ports, {} bits)",
            design.top,
            design.ports.len(),
            width
        );
    }
    println!(
        "  parameters   word_width={} slots={} randomize={}",
        params.word_width, params.slots, params.randomize
    );
    for (path, text) in set.files().map_err(CliError::Input)? {
        println!("  file         {path} ({} lines)", text.lines().count());
    }
    println!("  manifest     {}", out.join("manifest.json").display());
    let w = params.word_width;
    // The serial datapath's ALU has one multiplier, the parallel one at W = 128: a MUL mod n
    // costs more there.
    let muls = match params.datapath {
        Datapath::Serial => Multipliers::One,
        Datapath::Parallel => parallel_multipliers(w),
    };
    let mul = |m| cycles_with(w, AluOp::Mul.code(), m, muls);
    let mul_text = if mul(Modulus::P) == mul(Modulus::N) {
        mul(Modulus::P).to_string()
    } else {
        format!("{} mod p, {} mod n", mul(Modulus::P), mul(Modulus::N))
    };
    println!(
        "  field ALU    add/sub {} | mul {mul_text} cycles",
        cycles_with(w, AluOp::Add.code(), Modulus::P, muls),
    );
    let [keygen, ecdh, sign, verify] = command_cycles(params.datapath, w);
    println!(
        "  cycles       keygen {keygen} | ecdh {ecdh} | sign {sign} | verify {verify} \
         (cycle model; `scu report` measures the RTL)"
    );
    Ok(())
}

/// Cycles per command from the golden model's cycle table. KEYGEN, ECDH and SIGN take the same
/// count for every input; VERIFY is shown for one valid signature (it depends on public data).
fn command_cycles(dp: Datapath, w: usize) -> [u64; 4] {
    use num_bigint::BigUint;
    use scu_golden::curve;
    use scu_golden::engine::{Command, Engine};
    let mut e = Engine::with_datapath(dp, w).expect("validated width");
    let one = BigUint::from(1u32);
    let (gx, gy) = (curve::gx(), curve::gy());
    // d = k = z = 1 with Q = G: r = Gx mod n, s = 1 + r.
    let r = &gx % curve::n();
    let s = (&r + 1u32) % curve::n();
    let runs = [
        (Command::Keygen, vec![one.clone()]),
        (Command::Ecdh, vec![one.clone(), gx.clone(), gy.clone()]),
        (Command::Sign, vec![one.clone(), one.clone(), one.clone()]),
        (Command::Verify, vec![gx, gy, one, r, s]),
    ];
    runs.map(|(cmd, inputs)| {
        let out = e.run(cmd.code(), &inputs);
        debug_assert_eq!(out.status, scu_golden::engine::Status::Ok, "{cmd:?}");
        out.cycles
    })
}
