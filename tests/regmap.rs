//! The register map's emitted forms say what the Rust description says: the SystemRDL compiles
//! with PeakRDL's compiler into the same registers and fields, the C header compiles cleanly and
//! its macros hold the description's numbers, the Markdown covers every register, and the
//! committed docs/registers.md is the generator's current output.

mod common;

use common::{repo_root, tool, venv_tool};
use scu_driver::regmap::{
    scu, Access, EnumValue, Field, GenParam, RegMap, Register, Reset, Shape, SCU,
};
use scu_hdl::preset::{preset, Params};
use scu_hdl::regmap::{c_header, docs, files, markdown, rdl, Values, DOCS_COMMAND};
use serde_json::{json, Value};
use std::collections::BTreeMap;
use std::path::Path;

/// A map that uses what the SCU map (so far) does not: every access type, a privileged read,
/// an array and a window side by side.
const COVERAGE: RegMap = RegMap {
    name: "cov",
    desc: "Every feature of the description once.",
    width: 32,
    size: 0x100,
    registers: &[
        Register::new("EVENTS", 0x00, "Events.")
            .privileged_read()
            .fields(&[
                Field::bit("seen", 0, Access::W1c, "Set by hardware."),
                Field::bit("armed", 1, Access::W1s, "Set once."),
                Field::new("kind", 4, 2, Access::RoSticky, "First kind.").values(&[
                    EnumValue::new("NONE", 0, "Nothing."),
                    EnumValue::new("LATE", 3, "Late."),
                ]),
                Field::new("width", 8, 8, Access::Ro, "Parameter.")
                    .reset_param(GenParam::WordWidth),
            ]),
        Register::new("FIFO", 0x04, "Pops.").fields(&[Field::new(
            "data",
            0,
            32,
            Access::RoPop,
            "Next word.",
        )]),
        Register::new("KICK", 0x08, "Kicks.")
            .privileged_write()
            .fields(&[Field::new("go", 0, 3, Access::Wo, "Go.").reset(5)]),
        Register::new("TABLE", 0x10, "Table.")
            .array(3)
            .fields(&[Field::new("entry", 0, 16, Access::Rw, "Entry.").reset(0xBEEF)]),
        Register::new("BIG", 0x40, "A 128-bit value.")
            .window(4)
            .fields(&[Field::new("word", 0, 32, Access::Rw, "Word.")]),
    ],
};

fn tiny() -> Params {
    preset("tiny").unwrap()
}

// ---- SystemRDL ----

/// SystemRDL's view of a field's access, stated here from the SystemRDL 2.0 semantics rather
/// than taken from the emitter: (sw, hw, onwrite, swacc, we, hwset).
fn rdl_access(a: Access) -> Value {
    let (sw, hw, onwrite, swacc, we, hwset) = match a {
        Access::Ro => ("r", "w", None, false, false, false),
        Access::RoSticky => ("r", "w", None, false, true, false),
        Access::RoPop => ("r", "w", None, true, false, false),
        Access::Wo => ("w", "r", None, false, false, false),
        Access::Rw => ("rw", "r", None, false, false, false),
        Access::W1s => ("rw", "r", Some("woset"), false, false, false),
        Access::W1c => ("rw", "r", Some("woclr"), false, false, true),
    };
    json!({ "sw": sw, "hw": hw, "onwrite": onwrite, "swacc": swacc, "we": we, "hwset": hwset })
}

fn expected_rdl(map: &RegMap, params: Option<&Params>) -> Value {
    let values = Values(params);
    let registers: Vec<Value> = map
        .registers
        .iter()
        .map(|r| {
            let mut fields: Vec<&Field> = r.fields.iter().collect();
            fields.sort_by_key(|f| f.lsb);
            let fields: Vec<Value> = fields
                .iter()
                .map(|f| {
                    let mut v = json!({
                        "name": f.name,
                        "lsb": f.lsb,
                        "width": f.width,
                        "reset": values.field_reset(f),
                        "values": (!f.values.is_empty()).then(|| {
                            f.values.iter().map(|v| json!([v.name, v.value])).collect::<Vec<_>>()
                        }),
                    });
                    let access = rdl_access(f.access);
                    v.as_object_mut()
                        .unwrap()
                        .extend(access.as_object().unwrap().clone());
                    v
                })
                .collect();
            json!({
                "name": r.name,
                "offset": r.offset,
                "count": r.count(),
                "stride": (r.shape != Shape::Single).then_some(4),
                "privileged_read": r.privileged_read,
                "privileged_write": r.privileged_write,
                "fields": fields,
            })
        })
        .collect();
    json!({ "name": map.name, "registers": registers })
}

fn sorted_fields(mut compiled: Value) -> Value {
    for r in compiled["registers"].as_array_mut().unwrap() {
        r["fields"]
            .as_array_mut()
            .unwrap()
            .sort_by_key(|f| f["lsb"].as_u64());
    }
    compiled
}

/// Compiles `rdl` with systemrdl-compiler and returns its JSON view (tests/regmap/rdl_to_json.py).
fn compile_rdl(dir: &Path, rdl: &str) -> Value {
    let path = dir.join("registers.rdl");
    std::fs::write(&path, rdl).unwrap();
    let script = repo_root().join("tests/regmap/rdl_to_json.py");
    let o = tool(
        &venv_tool("python"),
        &[script.to_str().unwrap(), path.to_str().unwrap()],
        dir,
    );
    assert!(
        o.status.success(),
        "systemrdl-compiler rejects the RDL:\n{}\n{rdl}",
        String::from_utf8_lossy(&o.stderr)
    );
    sorted_fields(serde_json::from_slice(&o.stdout).unwrap())
}

fn check_rdl(map: &RegMap, params: Option<&Params>) {
    let tmp = tempfile::tempdir().unwrap();
    let text = rdl::emit(map, Values(params));
    let compiled = compile_rdl(tmp.path(), &text);
    let expected = expected_rdl(map, params);
    // Field by field first, so a mismatch names the field instead of dumping the map.
    let registers = |v: &Value| v["registers"].as_array().unwrap().clone();
    for (c, e) in registers(&compiled).iter().zip(&registers(&expected)) {
        let fields = |v: &Value| v["fields"].as_array().unwrap().clone();
        for (cf, ef) in fields(c).iter().zip(&fields(e)) {
            assert_eq!(cf, ef, "{}.{}.{}", map.name, e["name"], ef["name"]);
        }
        assert_eq!(c, e, "{}.{}", map.name, e["name"]);
    }
    assert_eq!(compiled, expected, "{}", map.name);
}

#[test]
fn rdl_compiles_into_the_description() {
    check_rdl(&SCU, Some(&tiny()));
    check_rdl(&SCU, None);
    check_rdl(&COVERAGE, None);
    check_rdl(&COVERAGE, Some(&tiny()));
}

/// PeakRDL's own command line takes the file as far as register RTL: the access combinations
/// are ones a register block can implement, not only ones the compiler parses.
#[test]
fn peakrdl_builds_a_register_block_from_it() {
    let tmp = tempfile::tempdir().unwrap();
    for (path, text) in files(&SCU, Some(&tiny())) {
        std::fs::write(tmp.path().join(path), text).unwrap();
    }
    let out = tmp.path().join("regblock");
    let o = tool(
        &venv_tool("peakrdl"),
        &[
            "regblock",
            "registers.rdl",
            "-o",
            out.to_str().unwrap(),
            "--cpuif",
            "apb4-flat",
        ],
        tmp.path(),
    );
    assert!(
        o.status.success(),
        "peakrdl regblock:\n{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    );
    let sv = std::fs::read_to_string(out.join("scu.sv")).unwrap();
    assert!(sv.contains("module scu"));
}

// ---- C header ----

/// Every macro the header must define, with its value, from the description: (name or call,
/// value).
fn expected_macros(map: &RegMap, params: Option<&Params>) -> Vec<(String, u64)> {
    let values = Values(params);
    let p = map.name.to_uppercase();
    let mut m = vec![(format!("{p}_REGS_SIZE"), map.size as u64)];
    for r in map.registers {
        let reg = format!("{p}_{}", r.name);
        m.push((format!("{reg}_OFFSET"), r.offset as u64));
        let last = r.count() - 1;
        match r.shape {
            Shape::Single => {}
            Shape::Array { count } => m.push((format!("{reg}_COUNT"), count as u64)),
            Shape::Window { words } => {
                m.push((format!("{reg}_WORDS"), words as u64));
                m.push((format!("{reg}_BITS"), 32 * words as u64));
            }
        }
        if r.shape != Shape::Single {
            m.push((format!("{reg}({last})"), r.at(last) as u64));
        }
        if let Some(v) = values.register_reset(r) {
            m.push((format!("{reg}_RESET"), v as u64));
        }
        for f in r.fields {
            let field = format!("{reg}_{}", f.name.to_uppercase());
            m.push((format!("{field}_SHIFT"), f.lsb as u64));
            m.push((format!("{field}_WIDTH"), f.width as u64));
            m.push((format!("{field}_MASK"), f.mask() as u64));
            if let Some(v) = values.field_reset(f) {
                m.push((format!("{field}_RESET"), v as u64));
            }
            for v in f.values {
                m.push((format!("{field}_{}", v.name), v.value as u64));
            }
        }
    }
    m
}

fn check_c_header(map: &RegMap, params: Option<&Params>) {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path();
    let header = format!("{}_regs.h", map.name);
    let text = c_header::emit(map, Values(params));
    std::fs::write(dir.join(&header), &text).unwrap();

    let expected = expected_macros(map, params);
    // Every #define is one this test checks, besides the include guard.
    let defines = text.lines().filter(|l| l.starts_with("#define ")).count();
    assert_eq!(defines, expected.len() + 1, "{header}: unexpected macros");

    let mut program = format!("#include <stdio.h>\n#include \"{header}\"\nint main(void) {{\n");
    for (name, _) in &expected {
        program += &format!("    printf(\"%s %lu\\n\", \"{name}\", (unsigned long)({name}));\n");
    }
    program += "    return 0;\n}\n";
    std::fs::write(dir.join("main.c"), program).unwrap();
    let o = tool(
        "cc",
        &[
            "-std=c99",
            "-Wall",
            "-Wextra",
            "-Werror",
            "-pedantic",
            "-o",
            "main",
            "main.c",
        ],
        dir,
    );
    assert!(
        o.status.success(),
        "{header} does not compile cleanly:\n{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = tool(dir.join("main").to_str().unwrap(), &[], dir);
    assert!(o.status.success());
    let printed: BTreeMap<String, u64> = String::from_utf8(o.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            let (name, value) = l.split_once(' ').unwrap();
            (name.to_string(), value.parse().unwrap())
        })
        .collect();
    for (name, value) in &expected {
        assert_eq!(printed.get(name), Some(value), "{header}: {name}");
    }
}

#[test]
fn c_header_compiles_and_holds_the_description() {
    check_c_header(&SCU, Some(&tiny()));
    check_c_header(&SCU, None);
    check_c_header(&COVERAGE, Some(&tiny()));
}

// ---- Markdown ----

#[test]
fn markdown_documents_every_register_field_and_value() {
    let text = markdown::emit(&SCU, Values(Some(&tiny())), None);
    let sections: Vec<&str> = text.split("\n### ").skip(1).collect();
    assert_eq!(sections.len(), SCU.registers.len());
    for (r, section) in SCU.registers.iter().zip(sections) {
        assert!(section.starts_with(&format!("{}\n", r.name)), "{}", r.name);
        assert!(text.contains(&format!("| 0x{:03X} | [{}](#", r.offset, r.name)));
        for f in r.fields {
            assert!(
                section.contains(&format!("| {} |", f.name)),
                "{}.{}",
                r.name,
                f.name
            );
            for v in f.values {
                assert!(
                    section.contains(&format!("| {} | {} |", v.value, v.name)),
                    "{}.{} = {}",
                    r.name,
                    f.name,
                    v.name
                );
            }
        }
    }
    // The design's own copy states the parameter's value; the generic one names it.
    assert!(text.contains("| [7:0] | word_width | RO | 0x10 (word_width) |"));
    assert!(docs().contains("| [7:0] | word_width | RO | generator parameter (word_width) |"));
}

#[test]
fn docs_registers_md_is_the_generated_text() {
    let committed = std::fs::read_to_string(repo_root().join("docs/registers.md"))
        .expect("docs/registers.md exists");
    assert!(
        committed == docs(),
        "docs/registers.md differs from the register map description; regenerate it with\n  \
         {DOCS_COMMAND}"
    );
}

// ---- The description itself ----

#[test]
fn files_are_the_three_outputs() {
    let names: Vec<String> = files(&SCU, Some(&tiny()))
        .into_iter()
        .map(|(n, _)| n)
        .collect();
    assert_eq!(names, ["registers.md", "scu_regs.h", "registers.rdl"]);
}

/// STATUS.engine_status carries the engine's status port unchanged, so its named values are
/// the golden model's `Status` codes, name for name, plus the gate's own TRNG_FAIL on the one
/// code the engine never reports.
#[test]
fn engine_status_values_are_the_engine_codes() {
    use scu_golden::engine::Status;
    let values = scu::status::ENGINE_STATUS.values;
    assert_eq!(values.len(), Status::ALL.len() + 1);
    let gate_own = scu::status::engine_status::TRNG_FAIL.value;
    assert!(Status::ALL.iter().all(|s| u32::from(s.code()) != gate_own));
    for s in Status::ALL {
        let camel = format!("{s:?}");
        let mut upper = String::new();
        for (i, c) in camel.chars().enumerate() {
            if c.is_ascii_uppercase() && i > 0 {
                upper.push('_');
            }
            upper.push(c.to_ascii_uppercase());
        }
        assert_eq!(
            scu::status::ENGINE_STATUS.value(&upper),
            Some(s.code() as u32),
            "{upper}"
        );
    }
    assert_eq!(
        Reset::Param(GenParam::WordWidth),
        scu::id::WORD_WIDTH.reset,
        "ID.word_width is the generator's"
    );
}
