//! Board support (`docs/board.md`): the boards' facts (`spec`), the co-simulated board top
//! `scu_board_w<W>` (`top`: UART bridge + SCU + status LEDs, `leds`), and the FPGA tops
//! `scu_<board>` (`fpga_top`: reset, ring-oscillator cell, the board top).

pub mod fpga_top;
pub mod leds;
pub mod reset;
pub mod spec;
pub mod top;

pub use spec::{board, BoardSpec, Family, BOARDS};

use crate::emit::{self, Design};
use crate::preset::Params;
use crate::scu::{core_names, wb_name};
use crate::uart::BRIDGE_NAME;
use fpga_top::FpgaTop;
use leds::LEDS_NAME;
use serde_json::json;
use std::collections::BTreeMap;
use top::{board_name, ScuBoardW128, ScuBoardW16, ScuBoardW32, ScuBoardW64};

/// Sub-block module names inside `scu_board_w<W>` that are modules of their own: the bridge
/// and the SCU keep the names (and so the very files) they have when emitted alone.
fn board_names(params: &Params) -> BTreeMap<String, String> {
    let b = board_name(params.word_width);
    let mut names = core_names(params);
    names.insert(format!("{b}__bridge"), BRIDGE_NAME.to_string());
    names.insert(format!("{b}__scu"), wb_name(params.word_width));
    names.insert(format!("{b}__leds"), LEDS_NAME.to_string());
    names
}

fn design(
    preset: &str,
    params: &Params,
    top: String,
    extra: BTreeMap<String, serde_json::Value>,
    (modules, ports): (Vec<emit::Module>, Vec<emit::Port>),
    clock: &str,
    reset: Option<&str>,
) -> Design {
    let mut p = params.as_json();
    let c = params.trng_min_entropy.cutoffs();
    p.insert("trng_rct_cutoff".to_string(), json!(c.rct));
    p.insert("trng_apt_cutoff".to_string(), json!(c.apt));
    p.extend(extra);
    Design {
        block: "board".into(),
        preset: preset.into(),
        top,
        params: p,
        modules,
        ports,
        clock: Some(clock.into()),
        reset: reset.map(Into::into),
    }
}

/// `scu_board_w<W>`: bridge + SCU + status LEDs, what co-simulation runs.
pub fn board_design(preset: &str, params: &Params) -> Result<Design, String> {
    params.validate()?;
    let top = board_name(params.word_width);
    let names = board_names(params);
    let emitted = match params.word_width {
        16 => emit::emit_named(&top, &mut ScuBoardW16::new(params), &names)?,
        32 => emit::emit_named(&top, &mut ScuBoardW32::new(params), &names)?,
        64 => emit::emit_named(&top, &mut ScuBoardW64::new(params), &names)?,
        128 => emit::emit_named(&top, &mut ScuBoardW128::new(params), &names)?,
        _ => unreachable!("validated"),
    };
    Ok(design(
        preset,
        params,
        top,
        BTreeMap::new(),
        emitted,
        "clock",
        Some("reset"),
    ))
}

fn emit_fpga<const L: usize>(
    spec: &BoardSpec,
    params: &Params,
    top: &str,
    names: &BTreeMap<String, String>,
) -> Result<(Vec<emit::Module>, Vec<emit::Port>), String> {
    match params.word_width {
        16 => emit::emit_named(
            top,
            &mut FpgaTop::<16, 32, 33, 17, L>::new(spec, params),
            names,
        ),
        32 => emit::emit_named(
            top,
            &mut FpgaTop::<32, 64, 65, 33, L>::new(spec, params),
            names,
        ),
        64 => emit::emit_named(
            top,
            &mut FpgaTop::<64, 128, 129, 65, L>::new(spec, params),
            names,
        ),
        128 => emit::emit_named(
            top,
            &mut FpgaTop::<128, 256, 257, 129, L>::new(spec, params),
            names,
        ),
        _ => unreachable!("validated"),
    }
}

/// `scu_<board>`: the FPGA top for `spec` (power-on reset and button, ring-oscillator cell,
/// `scu_board_w<W>`). Lint and synthesis only; its `reset_button` is the raw pin, so the
/// design declares no synchronous reset.
pub fn fpga_design(spec: &BoardSpec, preset: &str, params: &Params) -> Result<Design, String> {
    params.validate()?;
    let cpb = spec.clocks_per_bit();
    if !(4..=0xffff).contains(&cpb) {
        return Err(format!(
            "board `{}`: {} clocks per bit does not fit the bridge's 16-bit bit time",
            spec.name, cpb
        ));
    }
    let top = spec.top_name();
    let mut names = board_names(params);
    names.insert(format!("{top}__board"), board_name(params.word_width));
    let emitted = match spec.leds {
        1 => emit_fpga::<1>(spec, params, &top, &names)?,
        2 => emit_fpga::<2>(spec, params, &top, &names)?,
        3 => emit_fpga::<3>(spec, params, &top, &names)?,
        4 => emit_fpga::<4>(spec, params, &top, &names)?,
        n => {
            return Err(format!(
                "board `{}`: {n} LEDs (the board top has 1 to 4 status LEDs)",
                spec.name
            ))
        }
    };
    let extra = BTreeMap::from([
        ("board".to_string(), json!(spec.name)),
        ("clock_hz".to_string(), json!(spec.clock_hz)),
        ("baud".to_string(), json!(spec.baud)),
        ("clocks_per_bit".to_string(), json!(cpb)),
        ("leds".to_string(), json!(spec.leds)),
        ("led_active_low".to_string(), json!(spec.led_active_low)),
        ("reset_active_low".to_string(), json!(spec.reset_active_low)),
    ]);
    Ok(design(preset, params, top, extra, emitted, "clk", None))
}
