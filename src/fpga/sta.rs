//! The Gowin fmax cross-check (docs/fpga.md, "Gowin fmax"): yosys's own static timing
//! analysis of the synthesised netlist, with the cell delays of yosys's Gowin library, checks
//! the figure nextpnr-himbaechel reports.
//!
//! Why it exists: nextpnr's Gowin timing once reported 114 MHz for a design holding a 256-bit
//! adder that alone reports 56 MHz, and it does not time the DSP at all (a register → 16×16
//! MULT18X18 → register path reports 686 MHz; the vendor tables nextpnr's chip database is
//! built from have no DSP entries), so a Gowin figure is published only after a second,
//! independent analysis agrees with it.
//!
//! What yosys `sta` gives is the longest register-to-register path counting cell delays only
//! (clock-to-Q, LUTs, carry chains, setup), no routing: nextpnr's period, which adds routing,
//! must not be shorter. yosys's Gowin table is about 1.4× slower per cell than the C6/I5
//! vendor table nextpnr uses, so the check is conservative: it can refuse a true figure whose
//! path is nearly all carry chain (a lone 256-bit adder: nextpnr 17.7 ns, yosys 24.4 ns
//! logic alone), but never passes one whose logic alone is longer than the period by that
//! table. Cells yosys has no timing for (block RAM, latches) are listed; paths through them
//! are not counted by this check.

/// The yosys script that runs the analysis on `netlist` (the synthesised JSON) for `top`.
pub fn script(netlist: &str, top: &str) -> String {
    // cells_xtra declares the primitives cells_sim does not (the DSP among them), so that
    // every cell of the netlist has a module; only cells_sim's carry `specify` timing.
    format!(
        "read_json {netlist}\n\
         read_verilog -lib -specify +/gowin/cells_sim.v +/gowin/cells_xtra_gw1n.v\n\
         hierarchy -top {top}\n\
         flatten\n\
         sta\n"
    )
}

/// What yosys `sta` found.
#[derive(Clone, Debug, PartialEq)]
pub struct Sta {
    /// The latest arrival at a flip-flop's D input, setup included, in ns: the longest
    /// register-to-register path without routing.
    pub logic_ns: f64,
    /// The first and last cell of that path (`name (TYPE.FROM->TO)` as yosys prints them).
    pub path_start: String,
    pub path_end: String,
    /// Cell types yosys has no timing arcs for (`Module 'X' has no timing arcs!`), sorted.
    pub untimed: Vec<String>,
}

/// Reads yosys's `sta` log. The path is printed from its endpoint back to the clock input:
/// ```text
/// Latest arrival time in 'top' is 9685:
///     9685 a.b (DFFE.D)
///     ...
///      660 x.y (DFFRE.CLK->Q)
///        0 clk_IBUF (IBUF.I->O)
/// ```
pub fn parse(log: &str) -> Result<Sta, String> {
    let mut untimed: Vec<String> = log
        .lines()
        .filter_map(|l| {
            l.trim()
                .strip_prefix("Warning: Module '")?
                .strip_suffix("' has no timing arcs!")
                .map(str::to_string)
        })
        .collect();
    untimed.sort();
    untimed.dedup();
    let mut lines = log.lines();
    let head = lines
        .find(|l| l.starts_with("Latest arrival time in "))
        .ok_or("yosys sta: no `Latest arrival time` in its log")?;
    let ps: f64 = head
        .rsplit(" is ")
        .next()
        .and_then(|s| s.trim().trim_end_matches(':').parse().ok())
        .ok_or_else(|| format!("yosys sta: cannot read the arrival time in `{head}`"))?;
    // Path lines start with the arrival time; the indented `\net` lines between them do not.
    let cells: Vec<&str> = lines
        .take_while(|l| !l.trim().is_empty())
        .map(str::trim)
        .filter(|l| {
            l.split_whitespace()
                .next()
                .is_some_and(|t| t.parse::<u64>().is_ok())
        })
        .collect();
    let strip = |l: &str| {
        l.split_once(' ')
            .map(|(_, r)| r.trim().to_string())
            .unwrap_or_default()
    };
    // The last two lines are the clock input and its buffer; the launching flip-flop is the
    // last line that is a `CLK->Q` arc.
    let start = cells
        .iter()
        .rev()
        .find(|l| l.contains("CLK->Q"))
        .or(cells.last())
        .map(|l| strip(l))
        .unwrap_or_default();
    let end = cells.first().map(|l| strip(l)).unwrap_or_default();
    if ps <= 0.0 {
        return Err(format!("yosys sta: arrival time {ps} ps"));
    }
    Ok(Sta {
        logic_ns: ps / 1000.0,
        path_start: start,
        path_end: end,
        untimed,
    })
}

/// Gowin primitives nextpnr-himbaechel does not time (its chip database has no DSP delays):
/// a design using any of them gets no verified fmax.
pub const UNTIMED_BY_NEXTPNR: [&str; 7] = [
    "MULT9X9",
    "MULT18X18",
    "MULT36X36",
    "MULTALU18X18",
    "MULTALU36X18",
    "MULTADDALU18X18",
    "ALU54D",
];

/// The check's verdict: `Ok(())` when nextpnr's period is at least the logic-only path and no
/// cell nextpnr cannot time is used, else why not.
pub fn verdict(
    sta: &Sta,
    pnr_mhz: f64,
    cells: &std::collections::BTreeMap<String, u64>,
) -> Result<(), String> {
    let dsp: Vec<String> = cells
        .iter()
        .filter(|(t, n)| **n > 0 && UNTIMED_BY_NEXTPNR.contains(&t.as_str()))
        .map(|(t, n)| format!("{n} {t}"))
        .collect();
    if !dsp.is_empty() {
        return Err(format!(
            "uses {}, which nextpnr-himbaechel does not time",
            dsp.join(", ")
        ));
    }
    let period = 1000.0 / pnr_mhz;
    if sta.logic_ns > period {
        return Err(format!(
            "yosys sta finds a {:.2} ns path in cell delays alone, longer than nextpnr's {:.2} ns period",
            sta.logic_ns, period
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const LOG: &str = "\
4. Executing STA pass (static timing analysis).
Warning: Module 'SPX9' has no timing arcs!
Warning: Module 'DL' has no timing arcs!
Warning: Module 'SPX9' has no timing arcs!
Latest arrival time in 'top' is 9685:
    9685 alu.result_Q_5 (DFFE.D)
           \\alu.result_Q_5_D
    9109 alu.result_Q_5_D_LUT4_F (LUT4.I3->F)
           \\alu.n1
     660 alu.msel_Q (DFFRE.CLK->Q)
           \\clk_IBUF_O
       0 clk_IBUF (IBUF.I->O)
       0   \\clk (<primary input>)

Arrival histogram:
";

    #[test]
    fn reads_the_arrival_time_path_and_untimed_cells() {
        let s = parse(LOG).unwrap();
        assert_eq!(s.logic_ns, 9.685);
        assert_eq!(s.path_end, "alu.result_Q_5 (DFFE.D)");
        assert_eq!(s.path_start, "alu.msel_Q (DFFRE.CLK->Q)");
        assert_eq!(s.untimed, ["DL", "SPX9"]);
    }

    #[test]
    fn a_log_without_a_result_is_an_error() {
        assert!(parse("4. Executing STA pass\nERROR: x\n").is_err());
        assert!(parse("Latest arrival time in 'top' is many:\n").is_err());
    }

    #[test]
    fn the_verdict_needs_both_agreement_and_no_dsp() {
        let s = parse(LOG).unwrap();
        let cells = |t: &str, n: u64| [(t.to_string(), n)].into_iter().collect();
        // 9.685 ns of logic: a 100 MHz (10 ns) figure is possible, 110 MHz is not.
        assert!(verdict(&s, 100.0, &cells("LUT4", 10)).is_ok());
        let e = verdict(&s, 110.0, &cells("LUT4", 10)).unwrap_err();
        assert!(e.contains("9.69 ns") && e.contains("9.09 ns"), "{e}");
        let e = verdict(&s, 50.0, &cells("MULT18X18", 1)).unwrap_err();
        assert!(e.contains("1 MULT18X18"), "{e}");
        assert!(verdict(&s, 50.0, &cells("MULT18X18", 0)).is_ok());
    }
}
