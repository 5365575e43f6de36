//! `scu fpga build`: the flows end to end (smoke test on every board; the SCU on the
//! iCEBreaker, where it does not fit today), report.json's schema, and the failure paths
//! (unknown board, missing tool, output directory rules).
//!
//! The SCU on the ECP5 and Gowin boards takes minutes per build: those tests are ignored by
//! default; run them with `cargo test --release --test fpga -- --ignored`.

mod common;

use common::scu;
use scu::fpga::report::{self, ClockFmax};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::Output;

fn build(args: &[&str], out: &Path) -> Output {
    scu()
        .args(["fpga", "build"])
        .args(args)
        .arg("--out")
        .arg(out)
        .output()
        .unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn read_report(dir: &Path) -> Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("report.json")).unwrap()).unwrap()
}

fn used_avail(r: &Value, k: &str) -> (u64, u64) {
    let u = &r["utilization"][k];
    (
        u["used"]
            .as_u64()
            .unwrap_or_else(|| panic!("utilization.{k}.used in {u}")),
        u["available"]
            .as_u64()
            .unwrap_or_else(|| panic!("utilization.{k}.available")),
    )
}

/// Every ring-oscillator stage reaches the netlist: where a LUT makes the latch (iCE40, ECP5),
/// as an instance of the kept stage module, which holds that one LUT (yosys' `stat` in the
/// build directory, per module); where the flow flattens the stages (Gowin), as a latch
/// primitive (`DL`) each.
fn check_ring_stages(dir: &Path, r: &Value) {
    use scu_hdl::trng::ro_cell::{RING_LENGTHS, RO_STAGE_NAME};
    let stages: u64 = RING_LENGTHS.iter().sum::<usize>() as u64;
    if r["family"] == "gowin" {
        assert_eq!(
            r["synth_cells"]["DL"].as_u64(),
            Some(stages),
            "{}",
            r["synth_cells"]
        );
        return;
    }
    let text = std::fs::read_to_string(dir.join("synth-stat.json")).unwrap();
    let stat: Value = serde_json::from_str(&text[text.find('{').unwrap()..]).unwrap();
    let modules = stat["modules"].as_object().unwrap();
    let instances: u64 = modules
        .values()
        .filter_map(|m| m["num_cells_by_type"][RO_STAGE_NAME].as_u64())
        .sum();
    assert_eq!(instances, stages, "{RO_STAGE_NAME} instances in {text}");
    let stage = &modules[&format!("\\{RO_STAGE_NAME}")]["num_cells_by_type"];
    let cells: Vec<(&String, &Value)> = stage.as_object().unwrap().iter().collect();
    assert!(
        matches!(cells.as_slice(), [(lut, n)] if lut.ends_with("LUT4") && *n == 1),
        "one LUT per stage: {stage}"
    );
}

/// The keys every report has, with the types scripts rely on.
fn check_schema(r: &Value, board: &str) {
    let spec = scu_hdl::board::board(board).unwrap();
    assert_eq!(r["board"], board);
    assert_eq!(
        r["clock_mhz"].as_f64().unwrap(),
        f64::from(spec.clock_hz) / 1e6
    );
    assert!(r["seed"].is_u64());
    assert!(r["fits"].is_boolean());
    assert!(r["fmax_verified"].is_boolean());
    for k in ["synth", "pnr", "pack"] {
        assert!(
            !r["tools"][k].as_str().unwrap().is_empty(),
            "tools.{k} in {}",
            r["tools"]
        );
    }
    for k in ["lut", "ff", "dsp", "bram"] {
        let (used, avail) = used_avail(r, k);
        assert!(avail > 0, "{k}: available {avail}");
        assert!(used <= 1_000_000, "{k}: used {used}");
    }
    assert!(r["verdict"].as_str().is_some_and(|v| !v.is_empty()));
    let steps = r["steps"].as_array().unwrap();
    assert!(steps.iter().all(|s| s["seconds"].as_f64().unwrap() >= 0.0));
    for log in r["logs"].as_array().unwrap() {
        assert!(log.as_str().unwrap().ends_with(".log"));
    }
}

/// A successful build: bitstream present, timing met at the board clock, figures sane.
fn check_built(dir: &Path, board: &str, bitstream_ext: &str) -> Value {
    let r = read_report(dir);
    check_schema(&r, board);
    assert_eq!(r["fits"], true, "{r}");
    assert_eq!(r["meets_timing"], true, "{r}");
    let fmax = r["fmax_mhz"].as_f64().unwrap();
    assert!(
        fmax >= r["clock_mhz"].as_f64().unwrap() && fmax < 2000.0,
        "fmax {fmax}"
    );
    let bit = r["bitstream"].as_str().unwrap();
    assert!(bit.ends_with(bitstream_ext), "{bit}");
    let len = std::fs::metadata(dir.join(bit)).unwrap().len();
    assert!(len > 1000, "{bit}: {len} bytes");
    // Gowin builds run the fmax cross-check (yosys sta) after synthesis.
    let gowin = r["family"] == "gowin";
    let mut logs = vec!["synth.log", "pnr.log", "pack.log"];
    if gowin {
        logs.push("sta.log");
    }
    for log in logs {
        assert!(dir.join(log).is_file(), "{log}");
    }
    assert_eq!(r["steps"].as_array().unwrap().len(), 3 + usize::from(gowin));
    r
}

fn tmp_out() -> (tempfile::TempDir, PathBuf) {
    let t = tempfile::tempdir().unwrap();
    let out = t.path().join("out");
    (t, out)
}

// --- the flows -------------------------------------------------------------------------------

/// The smoke test through the whole iCE40 flow: place and route, icepack, the report.
#[test]
fn smoke_builds_for_the_icebreaker() {
    let (_t, out) = tmp_out();
    let o = build(&["--board", "icebreaker", "--smoke", "--seed", "3"], &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let r = check_built(&out, "icebreaker", ".bin");
    assert_eq!(r["design"], "smoke");
    assert_eq!(r["seed"], 3);
    assert_eq!(r["fmax_verified"], true);
    // nextpnr's own resource names are kept beside the normalised ones.
    let (lc, lcs) = used_avail(&r, "ICESTORM_LC");
    assert_eq!(lcs, 5280);
    assert!((30..500).contains(&lc), "ICESTORM_LC {lc}");
    // Two synchronisers, the 26-bit blink counter and the blink flop; the UART-activity
    // counter drives `led[2]`, which the iCEBreaker does not have, so synthesis removes it.
    let (ff, _) = used_avail(&r, "ff");
    assert_eq!(ff, 2 + 2 + 26 + 1, "flip-flops");
    assert_eq!(used_avail(&r, "ICESTORM_RAM"), (0, 30));
    // An iCE40 bitstream carries the sync word 7EAA997E.
    let bin = std::fs::read(out.join("scu_icebreaker_smoke.bin")).unwrap();
    assert!(bin.windows(4).any(|w| w == [0x7e, 0xaa, 0x99, 0x7e]));
    // The pins are the board's: the constraint file went in, and nextpnr placed every port.
    assert!(out.join("icebreaker.pcf").is_file());
    let log = std::fs::read_to_string(out.join("pnr.log")).unwrap();
    for port in [
        "clk",
        "reset_button",
        "uart_rx",
        "uart_tx",
        "led[0]",
        "led[1]",
    ] {
        assert!(
            log.contains(&format!("constrained '{port}' to bel")),
            "{port}"
        );
    }
    let stdout = text(&o.stdout);
    assert!(stdout.contains("fits the up5k sg48"), "{stdout}");
    // Progress per step on stderr, with its time.
    let err = text(&o.stderr);
    for step in ["synth", "pnr", "pack"] {
        assert!(err.contains(&format!("{step:<6} done in")), "{err}");
    }
}

/// A step that outruns `--time-limit` is stopped: exit 1, a message naming the step, the limit
/// and its log, the build directory kept for that log, and no report or bitstream. A limit
/// that is not a number of seconds is a usage error.
#[test]
fn a_step_over_the_time_limit_is_stopped() {
    let (_t, out) = tmp_out();
    let o = build(
        &["--board", "icebreaker", "--smoke", "--time-limit", "0.05"],
        &out,
    );
    let err = text(&o.stderr);
    assert_eq!(o.status.code(), Some(1), "{err}");
    assert!(
        err.contains("synth (") && err.contains("was stopped at the time limit of 0.05 s"),
        "{err}"
    );
    assert!(err.contains("see synth.log"), "{err}");
    assert!(out.is_dir(), "the build directory keeps the logs");
    assert!(!out.join("report.json").exists());
    assert!(!out.join("scu_icebreaker_smoke.bin").exists());

    for bad in ["-1", "soon", "inf"] {
        let (_t, out) = tmp_out();
        let flag = format!("--time-limit={bad}");
        let o = build(&["--board", "icebreaker", "--smoke", &flag], &out);
        assert_eq!(o.status.code(), Some(2), "--time-limit {bad}");
        assert!(text(&o.stderr).contains("number of seconds"), "{bad}");
        assert!(!out.exists() || std::fs::read_dir(&out).unwrap().next().is_none());
    }
}

/// `tiny` (the serial engine) on the iCEBreaker, the whole flow: it fits the UP5K with its
/// register file, slots and ROMs in block RAM, and meets the board's 12 MHz (docs/fpga.md has
/// the numbers).
#[test]
fn tiny_fits_the_icebreaker() {
    let (_t, out) = tmp_out();
    let o = build(&["--board", "icebreaker", "--preset", "tiny"], &out);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let r = check_built(&out, "icebreaker", ".bin");
    assert_eq!(r["design"], "scu");
    assert_eq!(r["preset"], "tiny");
    assert_eq!(r["word_width"], 16);
    let (lc, lcs) = used_avail(&r, "ICESTORM_LC");
    assert!(
        lc > 1000 && lc <= lcs && lcs == 5280,
        "ICESTORM_LC {lc}/{lcs}"
    );
    // Register file 2 + key slots 2 + microcode 8 + constants 4 block RAMs; no array was
    // turned into flip-flops.
    let (bram, brams) = used_avail(&r, "bram");
    assert!(
        bram >= 14 && bram <= brams && brams == 30,
        "BRAM {bram}/{brams}"
    );
    let (ff, _) = used_avail(&r, "ff");
    assert!(ff < 4000, "FF {ff}");
    // The serial engine's ALU has one 16 × 16 multiplier, and it is a DSP, not LUTs.
    assert_eq!(r["synth_cells"]["SB_MAC16"], 1);
    check_ring_stages(&out, &r);
    let bin = std::fs::read(out.join(r["bitstream"].as_str().unwrap())).unwrap();
    assert!(bin.windows(4).any(|w| w == [0x7e, 0xaa, 0x99, 0x7e]));
}

/// A design that does not fit the UP5K (the parallel engine at W = 32): the flow says so in
/// one line, exits 1, writes a complete report and no bitstream.
#[test]
fn parallel_w32_does_not_fit_the_icebreaker() {
    let (_t, out) = tmp_out();
    let o = build(
        &[
            "--board",
            "icebreaker",
            "--preset",
            "tiny",
            "--word-width",
            "32",
            "--json",
        ],
        &out,
    );
    assert_eq!(o.status.code(), Some(1), "{}", text(&o.stderr));
    let err = text(&o.stderr);
    let verdict = err.lines().last().unwrap();
    assert!(
        verdict.starts_with("error: does not fit the up5k sg48: "),
        "{err}"
    );
    let r = read_report(&out);
    // --json prints the same report on stdout.
    assert_eq!(serde_json::from_slice::<Value>(&o.stdout).unwrap(), r);
    check_schema(&r, "icebreaker");
    assert_eq!(r["design"], "scu");
    assert_eq!(r["preset"], "tiny");
    assert_eq!(r["word_width"], 32);
    assert_eq!(r["fits"], false);
    assert!(r["bitstream"].is_null() && r["fmax_mhz"].is_null() && r["meets_timing"].is_null());
    let (lc, lcs) = used_avail(&r, "ICESTORM_LC");
    assert!(lc > lcs && lcs == 5280, "ICESTORM_LC {lc}/{lcs}");
    let (lut, _) = used_avail(&r, "lut");
    let (ff, _) = used_avail(&r, "ff");
    assert!(lut > 5280 && ff > 1000, "LUT {lut}, FF {ff}");
    assert!(
        verdict.contains(&format!("ICESTORM_LC {lc}/5280 (")),
        "{verdict}"
    );
    // The cell counts behind `lut` and `ff` are the synthesised ones.
    assert_eq!(r["synth_cells"]["SB_LUT4"], lut);
    check_ring_stages(&out, &r);
    let (_, brams) = used_avail(&r, "bram");
    assert_eq!(brams, 30);
    // Logs of the steps that ran; nothing of the step that did not.
    for log in ["synth.log", "pnr.log"] {
        assert!(out.join(log).is_file(), "{log}");
    }
    assert_eq!(r["logs"], serde_json::json!(["synth.log", "pnr.log"]));
    let names: Vec<String> = std::fs::read_dir(&out)
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        !names
            .iter()
            .any(|n| n.ends_with(".bin") || n.ends_with(".asc") || n == "pack.log"),
        "{names:?}"
    );
}

/// Runs the flow through the library on `files` (no preset), seed 1; returns the report and
/// the steps that ran.
fn run_design(
    spec: &scu_hdl::board::BoardSpec,
    design: &str,
    top: &str,
    files: &[(String, String)],
    dir: &Path,
) -> (scu::fpga::Report, Vec<String>) {
    use scu::fpga::{self, Job};
    let tools = fpga::tools::find(spec.family).unwrap();
    let job = Job {
        spec,
        design,
        preset: None,
        word_width: None,
        top,
        files,
        seed: 1,
        time_limit: None,
    };
    let mut steps = vec![];
    let r = fpga::run(&job, &tools, dir, &mut |p| {
        if let fpga::Progress::Done { step, .. } = p {
            steps.push(step.to_string());
        }
    })
    .unwrap();
    (r, steps)
}

/// A design slower than the board clock: the bitstream is kept, the report says
/// `meets_timing: false` and the verdict names the miss (the command then exits 1). The
/// iCEBreaker's facts with a 120 MHz clock, which the smoke test (~60 MHz on the UP5K)
/// cannot meet; run through the library, since no real board is that fast.
#[test]
fn a_missed_clock_is_reported() {
    let spec = scu_hdl::board::BoardSpec {
        clock_hz: 120_000_000,
        ..*scu_hdl::board::board("icebreaker").unwrap()
    };
    let design = scu_hdl::board::smoke::design(&spec).unwrap();
    let files = scu_hdl::DesignSet {
        designs: vec![design.clone()],
        extra: vec![],
    }
    .files()
    .unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let (r, steps) = run_design(&spec, "smoke", &design.top, &files, tmp.path());
    assert_eq!(steps, ["synth", "pnr", "pack"]);
    assert!(r.fits);
    assert_eq!(r.meets_timing, Some(false));
    assert!(
        r.verdict.contains("MISSES the 120 MHz board clock"),
        "{}",
        r.verdict
    );
    let on_disk = read_report(tmp.path());
    assert_eq!(on_disk, r.json);
    assert_eq!(on_disk["meets_timing"], false);
    assert!(on_disk["fmax_mhz"].as_f64().unwrap() < 120.0);
    assert!(tmp
        .path()
        .join(on_disk["bitstream"].as_str().unwrap())
        .is_file());
}

fn smoke_on(board: &str, ext: &str) {
    let (_t, out) = tmp_out();
    let o = build(&["--board", board, "--smoke"], &out);
    assert!(o.status.success(), "{board}: {}", text(&o.stderr));
    let r = check_built(&out, board, ext);
    // Gowin figures pass yosys's cross-check (src/fpga/sta.rs) or are not verified.
    assert_eq!(r["fmax_verified"], true, "{board}: {}", r["fmax_check"]);
    if board == "tangnano9k" {
        check_cross_check(&r);
    } else {
        assert!(r["fmax_check"].is_null());
    }
    let (lut, luts) = used_avail(&r, "lut");
    assert!(lut > 20 && lut < luts / 10, "{board}: LUT {lut}/{luts}");
}

/// The YoWASP flows with the smoke test: their constraint files are accepted and every
/// step works (a few seconds each once YoWASP has compiled the tools).
#[test]
fn smoke_builds_for_the_ecp5_boards() {
    smoke_on("ulx3s", ".bit");
    smoke_on("orangecrab", ".bit");
}

#[test]
fn smoke_builds_for_the_tang_nano_9k() {
    smoke_on("tangnano9k", ".fs");
}

/// The SCU on the other boards (minutes each; `-- --ignored`): whatever the verdict, the report
/// is complete and the exit status and the bitstream agree with it. The verdicts measured are
/// in docs/fpga.md.
fn scu_on(board: &str, preset: &str, ext: &str) -> Value {
    let (_t, out) = tmp_out();
    let o = build(&["--board", board, "--preset", preset], &out);
    let r = read_report(&out);
    eprintln!("{board}/{preset}: {}", r["verdict"]);
    check_schema(&r, board);
    assert_eq!(r["preset"], preset);
    let good = r["fits"] == true && r["meets_timing"] == true;
    assert_eq!(o.status.success(), good, "{}", text(&o.stderr));
    if r["fits"] == true {
        let bit = r["bitstream"].as_str().unwrap();
        assert!(bit.ends_with(ext) && out.join(bit).is_file(), "{bit}");
        assert!(r["fmax_mhz"].as_f64().unwrap() > 0.0);
    } else {
        assert!(r["bitstream"].is_null());
        assert!(!report::over_capacity(&util_of(&r)).is_empty(), "{r}");
    }
    // The SCU's multipliers and memories are in there, whatever the verdict. The Gowin flow
    // builds multipliers from LUTs (`-nodsp`: nextpnr does not time Gowin's DSPs; docs/fpga.md
    // "Gowin fmax"), so there they count as LUTs, not DSPs.
    let (dsp, _) = used_avail(&r, "dsp");
    let (lut, _) = used_avail(&r, "lut");
    let gowin = r["family"] == "gowin";
    assert!((dsp > 0) != gowin && lut > 1000, "{r}");
    check_ring_stages(&out, &r);
    r
}

/// report.json's `utilization` back as nextpnr's resources (normalised keys left out).
fn util_of(r: &Value) -> report::Utilization {
    r["utilization"]
        .as_object()
        .unwrap()
        .iter()
        .filter(|(k, _)| !["lut", "ff", "dsp", "bram"].contains(&k.as_str()))
        .map(|(k, v)| {
            (
                k.clone(),
                (
                    v["used"].as_u64().unwrap(),
                    v["available"].as_u64().unwrap(),
                ),
            )
        })
        .collect()
}

#[test]
#[ignore = "minutes: cargo test --release --test fpga -- --ignored"]
fn fast_on_the_ulx3s() {
    // Measured with seed 1 (docs/fpga.md): router1 routes it, and it meets the 25 MHz clock.
    let r = scu_on("ulx3s", "fast", ".bit");
    assert!(r["fits"] == true && r["meets_timing"] == true, "{r}");
}

#[test]
#[ignore = "minutes: cargo test --release --test fpga -- --ignored"]
fn balanced_on_the_orangecrab() {
    // Measured with seed 1 (docs/fpga.md): it fits the 25k and meets the 48 MHz clock.
    let r = scu_on("orangecrab", "balanced", ".bit");
    assert!(r["fits"] == true && r["meets_timing"] == true, "{r}");
}

#[test]
#[ignore = "minutes: cargo test --release --test fpga -- --ignored"]
fn tiny_on_the_tang_nano_9k() {
    // Measured with seed 1 (docs/fpga.md): with the serial engine it fits the GW1NR-9 and
    // meets 27 MHz, and yosys's timing analysis agrees with nextpnr's fmax.
    let r = scu_on("tangnano9k", "tiny", ".fs");
    assert!(r["fits"] == true && r["fmax_verified"] == true, "{r}");
    check_cross_check(&r);
    // The field ALU's multiplier is in LUTs: nextpnr-himbaechel does not time the DSP.
    assert_eq!(used_avail(&r, "dsp").0, 0);
}

/// A passed Gowin cross-check: yosys's cell-delay path is no longer than nextpnr's period.
fn check_cross_check(r: &Value) {
    let c = &r["fmax_check"];
    let logic = c["logic_ns"].as_f64().unwrap();
    let period = c["pnr_period_ns"].as_f64().unwrap();
    assert!(c["passed"] == true && c["why_not"].is_null(), "{c}");
    assert!(logic > 0.5 && logic <= period, "{c}");
    let fmax = r["fmax_mhz"].as_f64().unwrap();
    assert!((1000.0 / fmax - period).abs() < 0.02, "{c}");
    assert!(c["path_end"].as_str().unwrap().contains('.'), "{c}");
}

/// The Gowin cross-check must be able to refuse: a lone 256-bit adder between registers
/// (the path nextpnr's Gowin timing once missed inside a larger design) is nearly all carry
/// chain, and yosys's Gowin cell table is slower than the vendor's C6 table nextpnr uses, so
/// its cell delays alone exceed nextpnr's period and the figure is not published as
/// verified. The verdict says why.
#[test]
fn the_gowin_cross_check_refuses_what_it_cannot_confirm() {
    let spec = scu_hdl::board::board("tangnano9k").unwrap();
    let top = "scu_probe_add256";
    let verilog = format!(
        "module {top} (input wire clk, input wire reset_button, input wire uart_rx,
    output wire uart_tx, output wire [3:0] led);
    reg [255:0] a, b, s;
    always @(posedge clk) begin
        a <= {{a[254:0], uart_rx}};
        b <= {{b[254:0], a[255] ^ reset_button}};
        s <= a + b;
    end
    assign uart_tx = ^s;
    assign led = s[255:252];
endmodule
"
    );
    let files = vec![(format!("{top}.v"), verilog)];
    let tmp = tempfile::tempdir().unwrap();
    let (r, steps) = run_design(spec, "probe", top, &files, tmp.path());
    assert_eq!(steps, ["synth", "sta", "pnr", "pack"]);
    let c = &r.json["fmax_check"];
    assert_eq!(r.json["fmax_verified"], false, "{c}");
    assert_eq!(c["passed"], false, "{c}");
    let logic = c["logic_ns"].as_f64().unwrap();
    // 256 carry cells at 82 ps each in yosys's table, plus the ends.
    assert!(logic > 21.0, "{c}");
    assert!(logic > c["pnr_period_ns"].as_f64().unwrap(), "{c}");
    assert!(
        c["why_not"]
            .as_str()
            .unwrap()
            .contains("longer than nextpnr's"),
        "{c}"
    );
    assert!(r.verdict.contains("unverified"), "{}", r.verdict);
}

// --- the smoke test's behaviour -------------------------------------------------------------

/// The smoke test's observable behaviour, as docs/fpga.md states it, cycle by cycle: after the
/// clock edge, (led as lit = 1, uart_tx) for the inputs sampled at that edge.
struct SmokeModel {
    half: u64,
    stretch: u64,
    rx_sync: [bool; 2],
    btn_sync: [bool; 2],
    count: u64,
    beat: bool,
    activity: u64,
}

impl SmokeModel {
    fn step(&mut self, button_level: bool, rx_level: bool, active_low: bool) {
        let rx = self.rx_sync[1];
        let pressed = self.btn_sync[1] ^ active_low;
        if pressed {
            self.count = 0;
            self.beat = false;
        } else if self.count == self.half - 1 {
            self.count = 0;
            self.beat = !self.beat;
        } else {
            self.count += 1;
        }
        if !rx {
            self.activity = self.stretch;
        } else if self.activity != 0 {
            self.activity -= 1;
        }
        self.rx_sync = [rx_level, self.rx_sync[0]];
        self.btn_sync = [button_level, self.btn_sync[0]];
    }

    /// (LEDs lit, low bit first, uart_tx) as the outputs show them now.
    fn outputs(&self, active_low: bool) -> ([bool; 4], bool) {
        let pressed = self.btn_sync[1] ^ active_low;
        (
            [self.beat, pressed, self.activity != 0, !self.beat],
            self.rx_sync[1],
        )
    }
}

/// The emitted smoke test under iverilog against `SmokeModel`, on a 16 Hz board (so a blink
/// half-period is 8 clocks) with 4 active-low LEDs and an active-low button. The first cycles
/// hold the button and `uart_rx` low: the design has no reset of its own and starts from the
/// button (as on a board, where the FPGA's flops start at 0).
#[test]
fn smoke_test_behaves_as_documented() {
    use scu_hdl::board::{smoke, BOARDS};
    let spec = scu_hdl::board::BoardSpec {
        clock_hz: 16,
        leds: 4,
        led_active_low: true,
        reset_active_low: true,
        ..BOARDS[1]
    };
    let design = smoke::design(&spec).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    design.write_into(dir).unwrap();
    // Inputs per cycle: (button level, rx level).
    let mut inputs = vec![(false, false); 4];
    inputs.extend((0..40).map(|i| (true, !(10..13).contains(&i))));
    inputs.extend([(false, true); 5]);
    inputs.extend([(true, true); 30]);
    let stim: String = inputs
        .iter()
        .map(|&(b, r)| format!("        reset_button = {}; uart_rx = {}; @(posedge clk); #1 $display(\"%b %b\", led, uart_tx);\n", b as u8, r as u8))
        .collect();
    let tb = format!(
        "`timescale 1ns/1ns\nmodule tb;\n    reg clk = 0, reset_button = 1, uart_rx = 1;\n    wire uart_tx;\n    wire [3:0] led;\n\
         \x20   {} dut(.clk(clk), .reset_button(reset_button), .uart_rx(uart_rx), .uart_tx(uart_tx), .led(led));\n\
         \x20   always #5 clk = ~clk;\n    initial begin\n        #2;\n{stim}        $finish;\n    end\nendmodule\n",
        design.top
    );
    std::fs::write(dir.join("tb.v"), tb).unwrap();
    let mut args = vec![
        "-g2005".to_string(),
        "-o".into(),
        "tb.vvp".into(),
        "tb.v".into(),
    ];
    args.extend(design.files().into_iter().map(|(p, _)| p));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let o = common::tool("iverilog", &args, dir);
    assert!(o.status.success(), "{}", text(&o.stderr));
    let o = common::tool("vvp", &["-n", "tb.vvp"], dir);
    let lines: Vec<String> = text(&o.stdout)
        .lines()
        .filter(|l| l.len() == 6)
        .map(String::from)
        .collect();
    assert_eq!(lines.len(), inputs.len(), "{}", text(&o.stdout));

    let mut m = SmokeModel {
        half: 8,
        stretch: 2,
        rx_sync: [false; 2],
        btn_sync: [false; 2],
        count: 0,
        beat: false,
        activity: 0,
    };
    let mut toggles = 0;
    let mut last_beat = None;
    for (i, (&(b, r), line)) in inputs.iter().zip(&lines).enumerate() {
        m.step(b, r, true);
        // The first four cycles fill the synchronisers: outputs are defined from then on.
        if i < 4 {
            continue;
        }
        let (lit, tx) = m.outputs(true);
        let led: String = lit
            .iter()
            .rev()
            .map(|&on| if on { '0' } else { '1' })
            .collect();
        let want = format!("{led} {}", tx as u8);
        assert_eq!(line, &want, "cycle {i}");
        if last_beat.is_some_and(|l| l != lit[0]) {
            toggles += 1;
        }
        last_beat = Some(lit[0]);
    }
    // The run covers blinks, the button and UART activity.
    assert!(toggles >= 4, "{toggles} blink toggles");
    assert!(
        lines.iter().any(|l| l.starts_with("10")),
        "button lamp never lit with beat off"
    );
    assert!(
        lines.iter().any(|l| &l[1..2] == "0" && &l[2..3] == "1"),
        "no UART lamp"
    );
}

// --- failure paths ---------------------------------------------------------------------------

#[test]
fn unknown_board_exits_2_listing_the_boards() {
    let (_t, out) = tmp_out();
    let o = build(&["--board", "arty", "--smoke"], &out);
    assert_eq!(o.status.code(), Some(2));
    let err = text(&o.stderr);
    assert!(err.contains("unknown board `arty`"), "{err}");
    for b in scu_hdl::board::BOARDS {
        assert!(err.contains(b.name), "{err}");
    }
    assert!(!out.exists());
}

#[test]
fn unknown_preset_exits_2() {
    let (_t, out) = tmp_out();
    let o = build(&["--board", "icebreaker", "--preset", "huge"], &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("unknown preset `huge`"));
    assert!(!out.exists());
}

/// Without the tools on PATH (iCE40) or in the virtual environment (YoWASP), nothing is
/// written and the message names the set-up script.
#[test]
fn missing_tools_exit_1_naming_the_setup_script() {
    let empty = tempfile::tempdir().unwrap();
    for board in ["icebreaker", "ulx3s", "tangnano9k"] {
        let (_t, out) = tmp_out();
        let o = scu()
            .args(["fpga", "build", "--board", board, "--smoke", "--out"])
            .arg(&out)
            .env("PATH", empty.path())
            .env("SCU_FPGA_VENV", empty.path())
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(1), "{board}");
        let err = text(&o.stderr);
        assert!(err.contains("scripts/setup-fpga.sh"), "{board}: {err}");
        assert!(err.contains("cannot run `"), "{board}: {err}");
        assert!(!out.exists(), "{board}: output written");
    }
}

#[test]
fn a_user_directory_is_replaced_only_with_force() {
    let (_t, out) = tmp_out();
    std::fs::create_dir_all(&out).unwrap();
    std::fs::write(out.join("keep"), "x").unwrap();
    let o = build(&["--board", "icebreaker", "--smoke"], &out);
    assert_eq!(o.status.code(), Some(2));
    assert!(text(&o.stderr).contains("--force"));
    assert!(out.join("keep").is_file());
}

// --- report parsing --------------------------------------------------------------------------

#[test]
fn utilisation_is_read_from_a_failed_nextpnr_log() {
    let log = "Info: Packing IOs..\nInfo: Device utilisation:\n\
               Info: \t         ICESTORM_LC: 14204/ 5280   269%\n\
               Info: \t        ICESTORM_RAM:    24/   30    80%\n\
               Info: \t               SB_IO:     6/   96     6%\n\
               \nInfo: Placed 6 cells based on constraints.\n\
               ERROR: Unable to place cell 'x', no BELs remaining\n";
    let u = report::parse_pnr_log(log);
    assert_eq!(u["ICESTORM_LC"], (14204, 5280));
    assert_eq!(u["ICESTORM_RAM"], (24, 30));
    assert_eq!(u.len(), 3);
    assert_eq!(report::over_capacity(&u), vec!["ICESTORM_LC 14204/5280"]);
    assert!(report::parse_pnr_log("Info: nothing\n").is_empty());
    // A log still being written, which ends inside the block, has no utilisation yet.
    let cut = &log[..log.find("SB_IO").unwrap()];
    assert!(report::parse_pnr_log(cut).is_empty());
}

#[test]
fn the_main_clock_is_the_clk_port() {
    let c = |n: &str, f| ClockFmax {
        net: n.into(),
        achieved_mhz: f,
    };
    let ice40 = [c("other", 5.0), c("clk$SB_IO_IN_$glb_clk", 40.0)];
    assert_eq!(report::main_clock(&ice40).unwrap().achieved_mhz, 40.0);
    assert_eq!(report::main_clock(&ice40[..1]).unwrap().net, "other");
    let ecp5 = [
        c("$glbnet$other", 5.0),
        c("$glbnet$clk$TRELLIS_IO_IN", 40.0),
    ];
    assert_eq!(report::main_clock(&ecp5).unwrap().achieved_mhz, 40.0);
    let gowin = [c("clkdiv", 5.0), c("clk_IBUF_I_O", 40.0), c("slow", 1.0)];
    assert_eq!(report::main_clock(&gowin).unwrap().net, "clk_IBUF_I_O");
    let others = [gowin[0].clone(), gowin[2].clone()];
    assert_eq!(report::main_clock(&others).unwrap().net, "slow");
    assert!(report::main_clock(&[]).is_none());
}

#[test]
fn ecp5_speed_grades_come_from_the_part_numbers() {
    let grade = |b: &str| scu::fpga::flow::ecp5_speed(scu_hdl::board::board(b).unwrap());
    assert_eq!(grade("ulx3s"), Ok(6));
    assert_eq!(grade("orangecrab"), Ok(8));
}
