//! `scu asic estimate`: the command's output, the storage it reports, and an independent
//! check that the liberty mapping measures what it should on circuits of known structure.

mod common;

use common::scu;
use serde_json::Value;
use std::sync::OnceLock;

fn estimate_json(preset: &str) -> Value {
    let o = scu()
        .args(["asic", "estimate", "--preset", preset, "--json"])
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "scu asic estimate --preset {preset} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    serde_json::from_slice(&o.stdout).unwrap()
}

// Each preset is synthesised once (fast's 128x128 multiplier dominates the file's time).
fn tiny() -> &'static Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| estimate_json("tiny"))
}

fn fast() -> &'static Value {
    static V: OnceLock<Value> = OnceLock::new();
    V.get_or_init(|| estimate_json("fast"))
}

const BLOCKS: [&str; 5] = ["engine", "alu", "trng", "gate", "bus"];

fn check_shape(v: &Value, preset: &str, w: u64) {
    assert_eq!(v["preset"], preset);
    assert_eq!(v["word_width"], w);
    assert_eq!(v["liberty"], "hdl/asic/scu_ge.lib");
    assert!(
        v["yosys"].as_str().unwrap().starts_with("Yosys"),
        "{}",
        v["yosys"]
    );
    let mut sum = [0.0f64; 2];
    for b in BLOCKS {
        let blk = &v["blocks"][b];
        for key in ["logic_ge", "ff_ge", "ffs", "storage_bits", "rom_bits"] {
            assert!(blk[key].is_number(), "{preset}: blocks.{b}.{key} missing");
        }
        let (logic, ff) = (
            blk["logic_ge"].as_f64().unwrap(),
            blk["ff_ge"].as_f64().unwrap(),
        );
        assert!(logic > 0.0 && ff > 0.0, "{preset}: {b} has no area: {blk}");
        assert!(
            blk["ffs"].as_u64().unwrap() > 0,
            "{preset}: {b} has no flip-flops"
        );
        sum[0] += logic;
        sum[1] += ff;
    }
    let t = &v["total"];
    // The flat interface: kGE = GE / 1000, rounded to 0.01.
    let kge = |x: &Value| x.as_f64().unwrap();
    assert!((kge(&v["logic_kge"]) - kge(&t["logic_ge"]) / 1000.0).abs() <= 0.006);
    assert!((kge(&v["ff_kge"]) - kge(&t["ff_ge"]) / 1000.0).abs() <= 0.006);
    assert!((kge(&v["total_kge"]) - kge(&v["logic_kge"]) - kge(&v["ff_kge"])).abs() <= 0.011);
    assert_eq!(v["storage_bits"], t["storage_bits"]);
    assert_eq!(v["rom_bits"], t["rom_bits"]);
    let block_sum: f64 = BLOCKS.iter().map(|b| kge(&v["blocks"][b]["kge"])).sum();
    assert!(
        (block_sum - kge(&v["total_kge"])).abs() <= 0.05,
        "{block_sum}"
    );
    assert!(
        (t["logic_ge"].as_f64().unwrap() - sum[0]).abs() < 0.1,
        "total = sum of blocks"
    );
    assert!(
        (t["ff_ge"].as_f64().unwrap() - sum[1]).abs() < 0.1,
        "total = sum of blocks"
    );
    // Storage: the 32x256 register file and the 8x256 key slots, exactly, and as RAM; the
    // serial engine keeps K and K2 (2 × 256 bits) in RAM too, the parallel one in flip-flops.
    let serial = v["blocks"]["engine"]["modules"]
        .as_array()
        .unwrap()
        .iter()
        .any(|m| m.as_str().unwrap().starts_with("scu_engine_serial_w"));
    let k_bits = if serial { 2 * 256 } else { 0 };
    assert_eq!(v["blocks"]["engine"]["storage_bits"], 32 * 256 + k_bits);
    assert_eq!(v["blocks"]["gate"]["storage_bits"], 8 * 256);
    assert_eq!(t["storage_bits"], 32 * 256 + k_bits + 8 * 256);
    for b in ["alu", "trng", "bus"] {
        assert_eq!(v["blocks"][b]["storage_bits"], 0, "{b}");
    }
    // The microcode and constant ROMs are the engine's, counted in bits.
    assert!(v["blocks"]["engine"]["rom_bits"].as_u64().unwrap() > 0);
}

#[test]
fn tiny_json() {
    check_shape(tiny(), "tiny", 16);
}

/// tiny's SCU runs the serial-datapath engine: its sequencer has no 256-bit operand path,
/// so it must come out well below fast's parallel one, with the same register-file RAM bits
/// (the 32 registers), the lane register file as a RAM leaf, and K and K2 (flip-flops in the
/// parallel engine) as two instances of a 64 × 4 RAM leaf.
#[test]
fn tiny_engine_is_the_serial_one() {
    let (t, f) = (tiny(), fast());
    let e = &t["blocks"]["engine"];
    let modules: Vec<&str> = e["modules"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m.as_str().unwrap())
        .collect();
    assert!(modules.contains(&"scu_engine_serial_w16"), "{modules:?}");
    let g = |x: &Value| x.as_f64().unwrap();
    let seq = g(&e["logic_ge"]);
    let par = g(&f["blocks"]["engine"]["logic_ge"]);
    assert!(seq > 0.0 && seq < 0.7 * par, "{seq} vs {par}");
    assert_eq!(
        e["storage_bits"].as_u64().unwrap(),
        f["blocks"]["engine"]["storage_bits"].as_u64().unwrap() + 512
    );
    let storage = e["storage"].as_array().unwrap();
    assert!(storage
        .iter()
        .any(|s| s["module"] == "scu_engine_regfile_l32" && s["bits"] == 8192));
    assert!(
        storage
            .iter()
            .any(|s| s["module"] == "scu_engine_scalar_ram"
                && s["instances"] == 2
                && s["words"] == 64
                && s["width"] == 4
                && s["bits"] == 512),
        "{storage:?}"
    );
    // Without K and K2 the serial sequencer keeps few flip-flops of its own.
    assert!(e["ffs"].as_u64().unwrap() < 200, "{}", e["ffs"]);
}

#[test]
fn fast_json_and_its_alu_is_larger() {
    check_shape(fast(), "fast", 128);
    let alu = |v: &Value| v["blocks"]["alu"]["logic_ge"].as_f64().unwrap();
    // A 128x128 multiplier against a 16x16 one: far more than a little larger.
    assert!(
        alu(fast()) > 10.0 * alu(tiny()),
        "{} vs {}",
        alu(fast()),
        alu(tiny())
    );
    // The TRNG does not depend on the word width; the bus block carries the parallel
    // engine's lane adapter, which the serial engine (tiny) does not need.
    for k in ["logic_ge", "ff_ge"] {
        assert_eq!(
            fast()["blocks"]["trng"][k],
            tiny()["blocks"]["trng"][k],
            "trng.{k}"
        );
    }
    let bus = |v: &Value| v["blocks"]["bus"]["logic_ge"].as_f64().unwrap();
    assert!(
        bus(tiny()) < bus(fast()),
        "{} vs {}",
        bus(tiny()),
        bus(fast())
    );
}

#[test]
fn text_table_lists_every_block() {
    let o = scu()
        .args(["asic", "estimate", "--preset", "tiny"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let out = String::from_utf8(o.stdout).unwrap();
    for b in BLOCKS.iter().chain(&["total"]) {
        assert!(
            out.lines().any(|l| l.trim_start().starts_with(b)),
            "no row {b} in\n{out}"
        );
    }
    // tiny's engine: the register file's 8192 bits and K and K2's 512.
    assert!(out.contains("8704") && out.contains("2048"), "{out}");
}

#[test]
fn bad_flags_exit_2() {
    for args in [
        &["asic", "estimate", "--preset", "nosuch"][..],
        &["asic", "estimate", "--word-width", "24"],
        &["asic", "estimate", "--bogus"],
        &["asic", "guess"],
    ] {
        let o = scu().args(args).output().unwrap();
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        assert!(!o.stderr.is_empty(), "{args:?}: no message");
    }
}

/// Runs hand-written Verilog through the estimator's own synthesis function.
fn measure(top: &str, verilog: &str) -> scu::asic::Area {
    let tmp = tempfile::tempdir().unwrap();
    std::fs::write(tmp.path().join("t.v"), verilog).unwrap();
    let lib = tmp.path().join("scu_ge.lib");
    std::fs::write(&lib, scu::asic::LIBERTY).unwrap();
    scu::asic::synth_area(tmp.path(), top, &["t.v".into()], &[], &lib).unwrap()
}

#[test]
fn liberty_mapping_on_known_circuits() {
    let areas = scu::asic::liberty_areas(scu::asic::LIBERTY).unwrap();
    let (xor2, dff) = (areas["XOR2"], areas["DFF"]);

    // 16 independent XORs: nothing cheaper than one XOR2 each exists in the liberty.
    let a = measure(
        "x",
        "module x(input [15:0] a, input [15:0] b, output [15:0] y); assign y = a ^ b; endmodule",
    );
    assert_eq!(a.cells.get("XOR2"), Some(&16), "{a:?}");
    assert!(
        (a.logic_ge - 16.0 * xor2).abs() < 1e-9 && a.ffs == 0,
        "{a:?}"
    );

    // An 8-bit register: exactly 8 flip-flops, all of their area counted as FF, none as logic.
    let a = measure(
        "r",
        "module r(input clk, input [7:0] d, output reg [7:0] q); \
         always @(posedge clk) q <= d; endmodule",
    );
    assert_eq!(a.ffs, 8, "{a:?}");
    assert!(
        (a.ff_ge - 8.0 * dff).abs() < 1e-9 && a.logic_ge == 0.0,
        "{a:?}"
    );

    // A 32-bit adder: each sum bit needs an XOR of three signals (two XOR2, 4 GE) and the
    // carry chain one majority per bit (AOI/OAI plus inverters, 1.3-3 GE); a carry
    // look-ahead costs more. Below 4 GE/bit would mean missing logic, above 12 a wrong
    // weight or a blown-up mapping.
    let a = measure(
        "add",
        "module add(input [31:0] a, input [31:0] b, output [32:0] s); assign s = a + b; endmodule",
    );
    assert!(a.ffs == 0, "{a:?}");
    assert!(
        (32.0 * 4.0..=32.0 * 12.0).contains(&a.logic_ge),
        "32-bit adder: {} GE, {:?}",
        a.logic_ge,
        a.cells
    );

    // An 8-bit counter with synchronous reset: 8 flip-flops, and an incrementer with its
    // reset gating: at least 7 XOR-class cells (14 GE), at most ~6 GE per bit.
    let a = measure(
        "c",
        "module c(input clk, input rst, output reg [7:0] q); \
         always @(posedge clk) q <= rst ? 8'd0 : q + 8'd1; endmodule",
    );
    assert_eq!(a.ffs, 8, "{a:?}");
    assert!(
        (14.0..=48.0).contains(&a.logic_ge),
        "8-bit counter: {} GE, {:?}",
        a.logic_ge,
        a.cells
    );
}

#[test]
fn missing_yosys_names_the_setup_script() {
    let o = scu()
        .args(["asic", "estimate", "--preset", "tiny"])
        .env("PATH", "")
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1));
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(
        err.contains("yosys") && err.contains("scripts/setup.sh"),
        "{err}"
    );
}
