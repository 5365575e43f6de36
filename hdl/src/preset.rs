//! Presets: named parameter sets, and explicit overrides of any parameter. One description
//! (the blocks' const generics) yields every variant.

use crate::emit::{self, Design, DesignSet};
use crate::engine::serial::{SerialEngineW16, SerialEngineW32};
use crate::engine::{EngineW128, EngineW16, EngineW32, EngineW64};
use crate::field_alu::mul::{self, Mul};
use crate::field_alu::{FieldAluW128, FieldAluW16, FieldAluW32, FieldAluW64};
use crate::trng;
pub use scu_golden::engine::cycles::Datapath;
use scu_golden::trng::MinEntropy;
use serde_json::json;
use std::collections::BTreeMap;

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    /// Word width of the field ALU's multiplier (W×W partial products).
    pub word_width: usize,
    /// The engine's operand path: 256 bits per cycle, or W-bit words (`docs/engine.md`,
    /// "Serial operand path"; W = 16 and 32 only).
    pub datapath: Datapath,
    /// Min-entropy per raw TRNG bit the health-test cutoffs are computed for.
    pub trng_min_entropy: MinEntropy,
    /// Key slots of the gate (1 to 16; the register map documents 8).
    pub slots: usize,
    /// Randomized projective coordinates: λ from the TRNG for every scalar multiplication
    /// with a secret scalar (off: λ = 1).
    pub randomize: bool,
}

pub const WORD_WIDTHS: [usize; 4] = [16, 32, 64, 128];

/// The register map's slot count (`scu_driver::regmap::scu::SLOTS`).
pub const DEFAULT_SLOTS: usize = scu_driver::regmap::scu::SLOTS as usize;

/// (name, parameters, what it is for)
pub const PRESETS: [(&str, Params, &str); 3] = [
    (
        "tiny",
        Params {
            word_width: 16,
            datapath: Datapath::Serial,
            trng_min_entropy: MinEntropy::HALF,
            slots: DEFAULT_SLOTS,
            randomize: true,
        },
        "smallest area: 16-bit words on a serial datapath, for iCE40 UP5K-class parts",
    ),
    (
        "balanced",
        Params {
            word_width: 32,
            datapath: Datapath::Parallel,
            trng_min_entropy: MinEntropy::HALF,
            slots: DEFAULT_SLOTS,
            randomize: true,
        },
        "32-bit words: a middle point between area and latency",
    ),
    (
        "fast",
        Params {
            word_width: 128,
            datapath: Datapath::Parallel,
            trng_min_entropy: MinEntropy::HALF,
            slots: DEFAULT_SLOTS,
            randomize: true,
        },
        "fewest cycles: 128-bit words (two 128x128 multipliers), for ECP5-85F-class parts",
    ),
];

pub const DEFAULT_PRESET: &str = "balanced";

/// The datapath the presets use at word width `w`: serial at 16 (`tiny`), parallel otherwise.
/// A `--word-width` override takes it with the width.
pub fn default_datapath(w: usize) -> Datapath {
    if w == 16 {
        Datapath::Serial
    } else {
        Datapath::Parallel
    }
}

pub fn preset(name: &str) -> Result<Params, String> {
    PRESETS
        .iter()
        .find(|(n, _, _)| *n == name)
        .map(|(_, p, _)| p.clone())
        .ok_or_else(|| {
            let names: Vec<&str> = PRESETS.iter().map(|(n, _, _)| *n).collect();
            format!("unknown preset `{name}` (known: {})", names.join(", "))
        })
}

impl Params {
    /// `w`-bit words, every other parameter as in the presets (the datapath too: serial at
    /// W = 16, the end-node width; parallel otherwise).
    pub fn with_word_width(w: usize) -> Self {
        Params {
            word_width: w,
            datapath: default_datapath(w),
            trng_min_entropy: MinEntropy::HALF,
            slots: DEFAULT_SLOTS,
            randomize: true,
        }
    }

    pub fn validate(&self) -> Result<(), String> {
        if !WORD_WIDTHS.contains(&self.word_width) {
            return Err(format!(
                "invalid word width {} (supported: {})",
                self.word_width,
                WORD_WIDTHS.map(|w| w.to_string()).join(", ")
            ));
        }
        if self.datapath == Datapath::Serial && !SERIAL_WORD_WIDTHS.contains(&self.word_width) {
            return Err(format!(
                "no serial datapath at word width {} (serial: {})",
                self.word_width,
                SERIAL_WORD_WIDTHS.map(|w| w.to_string()).join(", ")
            ));
        }
        if !(1..=DEFAULT_SLOTS).contains(&self.slots) {
            return Err(format!(
                "invalid slot count {} (1 to {DEFAULT_SLOTS}: the register map has \
                 {DEFAULT_SLOTS} SLOT_POLICY words)",
                self.slots
            ));
        }
        Ok(())
    }

    /// What the gate's Verilog depends on.
    pub fn gate(&self) -> crate::gate::GateParams {
        crate::gate::GateParams {
            word_width: self.word_width,
            slots: self.slots,
            randomize: self.randomize,
        }
    }

    pub(crate) fn as_json(&self) -> BTreeMap<String, serde_json::Value> {
        BTreeMap::from([
            ("word_width".to_string(), json!(self.word_width)),
            ("datapath".to_string(), json!(self.datapath.name())),
            (
                "trng_min_entropy".to_string(),
                json!(f64::from(self.trng_min_entropy.millibits()) / 1000.0),
            ),
            ("slots".to_string(), json!(self.slots)),
            ("randomize".to_string(), json!(self.randomize)),
        ])
    }
}

/// The field ALU for `params`, emitted.
pub fn field_alu(preset: &str, params: &Params) -> Result<Design, String> {
    params.validate()?;
    let top = format!("scu_field_alu_w{}", params.word_width);
    let emitted = match params.word_width {
        16 => emit::emit(&top, &mut FieldAluW16::new())?,
        32 => emit::emit(&top, &mut FieldAluW32::new())?,
        64 => emit::emit(&top, &mut FieldAluW64::new())?,
        128 => emit::emit(&top, &mut FieldAluW128::new())?,
        _ => unreachable!("validated"),
    };
    Ok(clocked_design("field_alu", preset, top, params, emitted))
}

/// The one-multiplier field ALU (the serial engine's, and the parallel engine's at W = 128)
/// with the parallel operand port, so it is co-simulated on its own; W = 16, 32 or 128.
pub fn field_alu_one_mul(w: usize) -> Result<Design, String> {
    let params = Params::with_word_width(w);
    params.validate()?;
    let top = format!("scu_field_alu_m1_w{w}");
    let emitted = match w {
        16 => emit::emit(&top, &mut FieldAluW16::new_one_mul())?,
        32 => emit::emit(&top, &mut FieldAluW32::new_one_mul())?,
        128 => emit::emit(&top, &mut FieldAluW128::new_one_mul())?,
        _ => {
            return Err(format!(
                "a one-multiplier field ALU needs W = 16, 32 or 128, not {w}"
            ))
        }
    };
    Ok(clocked_design(
        "field_alu",
        &format!("m1_w{w}"),
        top,
        &params,
        emitted,
    ))
}

/// A design with the SCU's usual `clock` and synchronous `reset` ports.
fn clocked_design(
    block: &str,
    preset: &str,
    top: String,
    params: &Params,
    (modules, ports): (Vec<emit::Module>, Vec<emit::Port>),
) -> Design {
    Design {
        block: block.into(),
        preset: preset.into(),
        top,
        params: params.as_json(),
        modules,
        ports,
        clock: Some("clock".into()),
        reset: Some("reset".into()),
    }
}

/// The W×W multiplier leaf on its own, so the hand-written Verilog is co-simulated
/// directly and not only through the ALU.
pub fn mul_leaf(w: usize) -> Result<Design, String> {
    Params::with_word_width(w).validate()?;
    let top = format!("{}{w}", mul::LEAF_NAME_PREFIX);
    let (modules, ports) = match w {
        16 => emit::emit(&top, &mut Mul::<16, 32>::default())?,
        32 => emit::emit(&top, &mut Mul::<32, 64>::default())?,
        64 => emit::emit(&top, &mut Mul::<64, 128>::default())?,
        128 => emit::emit(&top, &mut Mul::<128, 256>::default())?,
        _ => unreachable!("validated"),
    };
    Ok(Design {
        block: "mul".into(),
        preset: format!("w{w}"),
        top,
        params: BTreeMap::from([("word_width".to_string(), json!(w))]),
        modules,
        ports,
        clock: None,
        reset: None,
    })
}

/// The pipelined 128 × 128 multiplier leaf of the W = 128 ALU on its own (a product per
/// cycle, each `MUL_LATENCY` cycles later), co-simulated directly like the W×W leaves.
pub fn mul_pipe_leaf() -> Result<Design, String> {
    let top = crate::field_alu::mul_pipe::MUL_PIPE_NAME.to_string();
    let (modules, ports) = emit::emit(&top, &mut crate::field_alu::mul_pipe::MulPipe::default())?;
    Ok(Design {
        block: "mul_pipe".into(),
        preset: "w128".into(),
        top,
        params: BTreeMap::from([("word_width".to_string(), json!(128))]),
        modules,
        ports,
        clock: Some("clock".into()),
        reset: None,
    })
}

/// The ECC engine (sequencer, microcode ROM, register file, field ALU) for `params`.
pub fn engine(preset: &str, params: &Params) -> Result<Design, String> {
    let params = &Params {
        datapath: Datapath::Parallel,
        ..params.clone()
    };
    params.validate()?;
    let top = format!("scu_engine_w{}", params.word_width);
    let emitted = match params.word_width {
        16 => emit::emit(&top, &mut EngineW16::new())?,
        32 => emit::emit(&top, &mut EngineW32::new())?,
        64 => emit::emit(&top, &mut EngineW64::new())?,
        128 => emit::emit(&top, &mut EngineW128::new())?,
        _ => unreachable!("validated"),
    };
    Ok(clocked_design("engine", preset, top, params, emitted))
}

/// The module name of the engine inside `params`' SCU.
pub fn engine_name(params: &Params) -> String {
    match params.datapath {
        Datapath::Parallel => format!("scu_engine_w{}", params.word_width),
        Datapath::Serial => format!("scu_engine_serial_w{}", params.word_width),
    }
}

/// The engine of `params`' datapath on its own (the module the SCU instantiates).
pub fn scu_engine(preset: &str, params: &Params) -> Result<Design, String> {
    match params.datapath {
        Datapath::Parallel => engine(preset, params),
        Datapath::Serial => engine_serial(preset, params),
    }
}

/// Word widths the serial-datapath engine is generated for (the golden model's list).
pub use scu_golden::engine::cycles::SERIAL_WIDTHS as SERIAL_WORD_WIDTHS;

/// The serial-datapath ECC engine (`scu_engine_serial_w<W>`, `docs/engine.md` "Serial
/// operand path"): the same microcode over a W-bit register file and constant ROM.
pub fn engine_serial(preset: &str, params: &Params) -> Result<Design, String> {
    let params = &Params {
        datapath: Datapath::Serial,
        ..params.clone()
    };
    params.validate()?;
    let top = format!("scu_engine_serial_w{}", params.word_width);
    let emitted = match params.word_width {
        16 => emit::emit(&top, &mut SerialEngineW16::new())?,
        32 => emit::emit(&top, &mut SerialEngineW32::new())?,
        w => {
            return Err(format!(
                "no serial engine for word width {w} (serial: {})",
                SERIAL_WORD_WIDTHS.map(|w| w.to_string()).join(", ")
            ))
        }
    };
    Ok(clocked_design("engine", preset, top, params, emitted))
}

/// The TRNG core for `params.trng_min_entropy` (`docs/trng.md`).
pub fn trng(preset: &str, params: &Params) -> Result<Design, String> {
    trng::design::core(preset, params.trng_min_entropy)
}

/// The TRNG core wired to its ring-oscillator cell (lint and synthesis only).
pub fn trng_with_ro(preset: &str, params: &Params) -> Result<Design, String> {
    trng::design::with_ro(preset, params.trng_min_entropy)
}

/// The SCU with a Wishbone slave port: gate + engine + TRNG core (`scu_wb_w<W>`).
pub fn scu_wb(preset: &str, params: &Params) -> Result<Design, String> {
    crate::scu::wb_design(preset, params)
}

/// The SCU with an AXI4-Lite slave port (`scu_axi_w<W>`).
pub fn scu_axi(preset: &str, params: &Params) -> Result<Design, String> {
    crate::scu::axi_design(preset, params)
}

/// The UART bridge on its own (`scu_uart_bridge`, `docs/uart.md`): the same module for every
/// preset and board (bit time and INFO contents are ports).
pub fn uart_bridge() -> Result<Design, String> {
    crate::uart::design()
}

/// The board top `scu_board_w<W>` (`docs/board.md`): the UART bridge as the Wishbone master
/// of `scu_wb_w<W>`, and the status LEDs. Co-simulated with raw TRNG bits from the noise
/// model.
pub fn board(preset: &str, params: &Params) -> Result<Design, String> {
    crate::board::board_design(preset, params)
}

/// The FPGA top `scu_<board>` for `spec` (`docs/board.md`): power-on reset and button
/// synchroniser, the ring-oscillator cell, `clocks_per_bit` for the board's clock, and
/// `scu_board_w<W>`. Its `files()` hold every module, the cell included. Lint and synthesis
/// only.
pub fn fpga_top(
    spec: &crate::board::BoardSpec,
    preset: &str,
    params: &Params,
) -> Result<Design, String> {
    crate::board::fpga_design(spec, preset, params)
}

/// What `scu generate` emits for a preset: the SCU with its Wishbone slave (first: the
/// manifest's top-level keys describe it), the SCU with its AXI4-Lite slave, the ECC engine of
/// the preset's datapath on its own (both tops contain it), and the register map as
/// `registers.md`, `scu_regs.h` and `registers.rdl`, with this preset's parameters filled in.
pub fn generate(preset: &str, params: &Params) -> Result<DesignSet, String> {
    let designs = vec![
        scu_wb(preset, params)?,
        scu_axi(preset, params)?,
        scu_engine(preset, params)?,
    ];
    let set = DesignSet {
        designs,
        extra: crate::regmap::files(&scu_driver::regmap::scu::SCU, Some(params)),
    };
    set.files()?;
    Ok(set)
}

/// Every design the co-simulation layer compiles into a Verilator model.
pub fn sim_catalog() -> Vec<Design> {
    let alus = WORD_WIDTHS.iter().map(|&w| {
        field_alu(&format!("w{w}"), &Params::with_word_width(w)).expect("catalog designs emit")
    });
    let one_mul_alus = scu_golden::field_alu::ONE_MULTIPLIER_WIDTHS
        .map(|w| field_alu_one_mul(w).expect("catalog designs emit"));
    let leaves = WORD_WIDTHS
        .iter()
        .map(|&w| mul_leaf(w).expect("catalog leaves emit"))
        .chain(std::iter::once(
            mul_pipe_leaf().expect("catalog leaves emit"),
        ));
    let engines = WORD_WIDTHS.iter().map(|&w| {
        engine(&format!("w{w}"), &Params::with_word_width(w)).expect("catalog engines emit")
    });
    let serial_engines = SERIAL_WORD_WIDTHS.map(|w| {
        engine_serial(&format!("w{w}"), &Params::with_word_width(w)).expect("catalog engines emit")
    });
    // The presets' H, and full entropy so that a second set of cutoffs is exercised.
    let trngs = [MinEntropy::HALF, MinEntropy::FULL].map(|h| {
        let params = Params {
            trng_min_entropy: h,
            ..Params::with_word_width(32)
        };
        trng(&format!("h{}", h.millibits()), &params).expect("catalog TRNGs emit")
    });
    // The SCU tops: every width (`scu sim` runs every preset through the SCU), and the AXI
    // bridge once.
    let scus = [
        scu_wb("w16", &Params::with_word_width(16)),
        scu_wb("w32", &Params::with_word_width(32)),
        scu_wb("w64", &Params::with_word_width(64)),
        scu_wb("w128", &Params::with_word_width(128)),
        scu_axi("w16", &Params::with_word_width(16)),
    ]
    .map(|d| d.expect("catalog SCU tops emit"));
    // The UART bridge alone (the test plays the Wishbone slave), and the board top at the
    // smallest and the largest width (the host's end-to-end tests talk to it over the UART).
    let boards = [
        uart_bridge(),
        board("w16", &Params::with_word_width(16)),
        board("w128", &Params::with_word_width(128)),
    ]
    .map(|d| d.expect("catalog board designs emit"));
    alus.chain(one_mul_alus)
        .chain(leaves)
        .chain(engines)
        .chain(serial_engines)
        .chain(trngs)
        .chain(scus)
        .chain(boards)
        .chain(std::iter::once(crate::emit_check::design()))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use scu_golden::gate::GateConfig;

    /// The gate model's default SCU at each width runs the datapath the generator gives that
    /// width, so lock-step tests built on `GateConfig::new(w)` time the engine the RTL has.
    #[test]
    fn gate_model_defaults_follow_the_presets() {
        for w in WORD_WIDTHS {
            assert_eq!(GateConfig::new(w).datapath, default_datapath(w), "W = {w}");
        }
        for (name, p, _) in PRESETS.iter() {
            assert_eq!(p.datapath, default_datapath(p.word_width), "{name}");
            assert!(p.validate().is_ok(), "{name}");
        }
        let bad = Params {
            datapath: Datapath::Serial,
            ..Params::with_word_width(64)
        };
        assert!(bad.validate().unwrap_err().contains("no serial datapath"));
    }
}
