//! `scu explore`'s results: one point per word width (cycles per command from the RTL, area
//! from `scu asic estimate`), and their renderings — a Markdown table, CSV, JSON and an SVG
//! plot of area against latency. Measuring is the CLI's job (src/cli/explore.rs); this file
//! only turns points into files, so it is tested on points it is handed.

use plotters::prelude::*;
use serde_json::{json, Value};

/// The engine commands in the order of every table and file.
pub const COMMANDS: [&str; 4] = ["keygen", "sign", "ecdh", "verify"];

/// Area of one design point (gate equivalents from `scu::asic`).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct PointArea {
    pub logic_kge: f64,
    pub ff_kge: f64,
    /// Register-file and key-slot RAM bits (memory macros, not gates).
    pub ram_bits: u64,
    /// Microcode and constant ROM bits.
    pub rom_bits: u64,
}

impl PointArea {
    pub fn kge(&self) -> f64 {
        self.logic_kge + self.ff_kge
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Point {
    pub word_width: usize,
    /// The engine's operand path at this point: "parallel" or "serial" (the presets' choice
    /// for the width: serial at 16).
    pub datapath: &'static str,
    /// Engine cycles, start to done, in the order of [`COMMANDS`].
    pub cycles: [u64; 4],
    /// `None` when the sweep ran with `--no-area`.
    pub area: Option<PointArea>,
}

impl Point {
    pub fn cycles_of(&self, command: &str) -> u64 {
        let i = COMMANDS
            .iter()
            .position(|c| *c == command)
            .expect("a known command");
        self.cycles[i]
    }

    /// Area × KEYGEN latency in kGE·Mcycles: lower is the more efficient design.
    pub fn area_time(&self) -> Option<f64> {
        self.area
            .map(|a| a.kge() * self.cycles_of("keygen") as f64 / 1e6)
    }
}

fn kge_cell(p: &Point, f: impl Fn(&PointArea) -> f64) -> String {
    p.area.map_or("-".into(), |a| format!("{:.1}", f(&a)))
}

/// The sweep as a Markdown table (what the README shows and the CLI prints).
pub fn markdown(points: &[Point]) -> String {
    let mut s = String::from(
        "| W | datapath | KEYGEN cycles | SIGN cycles | ECDH cycles | VERIFY cycles | logic kGE | FF kGE | total kGE | kGE × Mcycles (KEYGEN) |\n\
         |---:|---|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for p in points {
        let [k, s_, e, v] = p.cycles;
        s.push_str(&format!(
            "| {} | {} | {k} | {s_} | {e} | {v} | {} | {} | {} | {} |\n",
            p.word_width,
            p.datapath,
            kge_cell(p, |a| a.logic_kge),
            kge_cell(p, |a| a.ff_kge),
            kge_cell(p, PointArea::kge),
            p.area_time().map_or("-".into(), |x| format!("{x:.0}")),
        ));
    }
    s
}

pub fn csv(points: &[Point]) -> String {
    let mut s = String::from(
        "word_width,datapath,keygen_cycles,sign_cycles,ecdh_cycles,verify_cycles,logic_kge,ff_kge,total_kge,ram_bits,rom_bits\n",
    );
    for p in points {
        let [k, s_, e, v] = p.cycles;
        let area = p.area.map_or(",,,,".to_string(), |a| {
            format!(
                "{:.2},{:.2},{:.2},{},{}",
                a.logic_kge,
                a.ff_kge,
                a.kge(),
                a.ram_bits,
                a.rom_bits
            )
        });
        s.push_str(&format!(
            "{},{},{k},{s_},{e},{v},{area}\n",
            p.word_width, p.datapath
        ));
    }
    s
}

pub fn to_json(points: &[Point]) -> Value {
    let r2 = |x: f64| (x * 100.0).round() / 100.0;
    let pts: Vec<Value> = points
        .iter()
        .map(|p| {
            let cycles: serde_json::Map<String, Value> = COMMANDS
                .iter()
                .zip(p.cycles)
                .map(|(c, n)| (c.to_string(), json!(n)))
                .collect();
            json!({
                "word_width": p.word_width,
                "datapath": p.datapath,
                "cycles": cycles,
                "area": p.area.map(|a| json!({
                    "logic_kge": r2(a.logic_kge),
                    "ff_kge": r2(a.ff_kge),
                    "total_kge": r2(a.kge()),
                    "ram_bits": a.ram_bits,
                    "rom_bits": a.rom_bits,
                })),
            })
        })
        .collect();
    json!({ "points": pts })
}

/// Area (kGE, logic + flip-flops) against latency (cycles, log scale): one series per
/// command in `series`, each point labelled with its word width. Needs area on every point.
pub fn svg(points: &[Point], series: &[&str]) -> Result<String, String> {
    if points.is_empty() {
        return Err("nothing to plot: the sweep has no points".into());
    }
    let areas: Vec<f64> = points
        .iter()
        .map(|p| p.area.map(|a| a.kge()))
        .collect::<Option<_>>()
        .ok_or("the plot needs the area of every point (run without --no-area)")?;
    let cycles: Vec<u64> = points
        .iter()
        .flat_map(|p| series.iter().map(|c| p.cycles_of(c)))
        .collect();
    let (lo, hi) = (
        *cycles.iter().min().expect("points") as f64,
        *cycles.iter().max().expect("points") as f64,
    );
    let top = areas.iter().cloned().fold(0.0, f64::max) * 1.15;

    let mut out = String::new();
    {
        let root = SVGBackend::with_string(&mut out, (800, 500)).into_drawing_area();
        let e = |e: DrawingAreaErrorKind<_>| format!("cannot draw the plot: {e:?}");
        root.fill(&WHITE).map_err(e)?;
        let mut chart = ChartBuilder::on(&root)
            .caption(
                "SCU: area against P-256 latency, by engine word width W",
                ("sans-serif", 20),
            )
            .margin(20)
            .x_label_area_size(45)
            .y_label_area_size(60)
            .build_cartesian_2d((lo / 1.6..hi * 1.6).log_scale(), 0.0..top)
            .map_err(e)?;
        chart
            .configure_mesh()
            // A log axis packs its fine grid lines into one grey band near each decade.
            .light_line_style(WHITE)
            .x_labels(8)
            .x_desc("engine clock cycles per command (log scale)")
            .y_desc("SCU area, kGE (logic + flip-flops; RAM/ROM bits excluded)")
            .x_label_formatter(&|x| format!("{:.0}k", x / 1000.0))
            .draw()
            .map_err(e)?;
        let colours = [BLUE, RED, GREEN, MAGENTA];
        for (i, command) in series.iter().enumerate() {
            let colour = colours[i % colours.len()];
            let xy: Vec<(f64, f64)> = points
                .iter()
                .zip(&areas)
                .map(|(p, &a)| (p.cycles_of(command) as f64, a))
                .collect();
            chart
                .draw_series(LineSeries::new(xy.clone(), colour.stroke_width(2)))
                .map_err(e)?
                .label(command.to_uppercase())
                .legend(move |(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], colour));
            chart
                .draw_series(xy.iter().zip(points).map(|(&(x, y), p)| {
                    EmptyElement::at((x, y))
                        + Circle::new((0, 0), 4, colour.filled())
                        + Text::new(
                            format!("W{} {}", p.word_width, p.datapath),
                            (6, -16),
                            ("sans-serif", 14).into_font(),
                        )
                }))
                .map_err(e)?;
        }
        chart
            .configure_series_labels()
            .background_style(WHITE.mix(0.8))
            .border_style(BLACK)
            .draw()
            .map_err(e)?;
        root.present().map_err(e)?;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn point(w: usize, k: u64, kge: Option<f64>) -> Point {
        Point {
            word_width: w,
            datapath: if w == 16 { "serial" } else { "parallel" },
            cycles: [k, k + 1, 2 * k, 3 * k],
            area: kge.map(|x| PointArea {
                logic_kge: x - 10.0,
                ff_kge: 10.0,
                ram_bits: 10240,
                rom_bits: 33568,
            }),
        }
    }

    #[test]
    fn table_and_csv_carry_every_point() {
        let pts = [point(16, 500_000, Some(34.0)), point(128, 50_000, None)];
        let md = markdown(&pts);
        assert!(md.contains(
            "| 16 | serial | 500000 | 500001 | 1000000 | 1500000 | 24.0 | 10.0 | 34.0 | 17 |"
        ));
        assert!(md.contains("| 128 | parallel | 50000 | 50001 | 100000 | 150000 | - | - | - | - |"));
        let csv = csv(&pts);
        assert_eq!(csv.lines().count(), 3);
        assert!(csv
            .contains("\n16,serial,500000,500001,1000000,1500000,24.00,10.00,34.00,10240,33568\n"));
        assert!(csv.ends_with("128,parallel,50000,50001,100000,150000,,,,,\n"));
    }

    #[test]
    fn svg_labels_every_point_and_refuses_missing_area() {
        let pts = [
            point(16, 500_000, Some(34.0)),
            point(64, 120_000, Some(90.0)),
        ];
        let s = svg(&pts, &["keygen", "verify"]).expect("draws");
        assert!(s.starts_with("<svg"));
        assert!(s.contains("W16 serial") && s.contains("W64 parallel"));
        assert!(s.contains("KEYGEN") && s.contains("VERIFY"));
        let err = svg(&[point(16, 1, None)], &["keygen"]).unwrap_err();
        assert!(err.contains("--no-area"), "{err}");
        assert!(svg(&[], &["keygen"]).is_err());
    }
}
