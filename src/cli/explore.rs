//! `scu explore`: the design space along the word width. Each point is measured, not
//! modelled: the engine's cycles per command from its co-simulated RTL (`scu report`'s
//! cases, checked against p256), the area from `scu asic estimate`. Writes a table, CSV,
//! JSON and an SVG plot of area against latency (`scu::explore`).

use super::report::{cases, measure_on};
use super::{output_dir, CliError};
use scu::asic::{self, AsicError};
use scu::explore::{self, Point, PointArea};
use scu_hdl::preset::{self, Params, WORD_WIDTHS};
use std::path::PathBuf;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Word widths to sweep, comma separated.
    #[arg(long, value_delimiter = ',', default_value = "16,32,64,128")]
    word_widths: Vec<usize>,
    /// Output directory for explore.md, explore.csv, explore.json and explore.svg
    /// [default: build/explore, which scu owns and always replaces].
    #[arg(long)]
    out: Option<PathBuf>,
    /// Replace a non-empty --out directory.
    #[arg(long)]
    force: bool,
    /// Cycles only: skip the area synthesis (minutes per point) and the plot.
    #[arg(long)]
    no_area: bool,
    /// Print the JSON instead of the table.
    #[arg(long)]
    json: bool,
}

fn area_of(params: &Params) -> Result<PointArea, CliError> {
    let w = params.word_width;
    let label = format!("w{w}");
    let set = preset::generate(&label, params).map_err(CliError::Input)?;
    let files = set.files().map_err(CliError::Input)?;
    let est = asic::estimate(&label, w, &files).map_err(|e| match e {
        AsicError::Input(s) => CliError::Input(s),
        AsicError::NoYosys(s) | AsicError::Failed(s) => CliError::Failed(s),
    })?;
    let (a, ram_bits, rom_bits) = est.total();
    Ok(PointArea {
        logic_kge: a.logic_ge / 1000.0,
        ff_kge: a.ff_ge / 1000.0,
        ram_bits,
        rom_bits,
    })
}

pub fn run(args: Args) -> Result<(), CliError> {
    let mut widths = args.word_widths.clone();
    widths.sort_unstable();
    widths.dedup();
    if widths.is_empty() {
        return Err(CliError::Input("--word-widths is empty".into()));
    }
    if let Some(bad) = widths.iter().find(|w| !WORD_WIDTHS.contains(w)) {
        return Err(CliError::Input(format!(
            "word width {bad} is not offered (known: {})",
            WORD_WIDTHS.map(|w| w.to_string()).join(", ")
        )));
    }
    let (out, force) = match &args.out {
        Some(dir) => (dir.clone(), args.force),
        None => (PathBuf::from("build").join("explore"), true),
    };
    output_dir::check_target(&out, force)?;

    let cases = cases();
    let mut points = Vec::new();
    for &w in &widths {
        eprintln!("scu explore: W={w}: cycles (co-simulated RTL)");
        let params = Params::with_word_width(w);
        let c = measure_on(params.datapath, &format!("word width {w}"), w, &cases)?;
        let cycles: [u64; 4] = explore::COMMANDS.map(|name| {
            let i = cases
                .iter()
                .position(|k| k.name == name)
                .expect("report covers it");
            c[i]
        });
        let area = if args.no_area {
            None
        } else {
            eprintln!("scu explore: W={w}: area (yosys, {})", asic::LIBERTY_PATH);
            Some(area_of(&params)?)
        };
        points.push(Point {
            word_width: w,
            datapath: params.datapath.name(),
            cycles,
            area,
        });
    }

    let table = explore::markdown(&points);
    let csv = explore::csv(&points);
    let json = serde_json::to_string_pretty(&explore::to_json(&points)).expect("serialises");
    let svg = if args.no_area {
        None
    } else {
        Some(explore::svg(&points, &["keygen", "verify"]).map_err(CliError::Failed)?)
    };
    output_dir::write_atomically(&out, |dir| {
        std::fs::write(dir.join("explore.md"), &table)?;
        std::fs::write(dir.join("explore.csv"), &csv)?;
        std::fs::write(dir.join("explore.json"), &json)?;
        if let Some(svg) = &svg {
            std::fs::write(dir.join("explore.svg"), svg)?;
        }
        Ok(())
    })?;
    if args.json {
        println!("{json}");
    } else {
        print!("{table}");
        println!("written to {}", out.display());
    }
    Ok(())
}
