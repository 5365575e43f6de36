//! Board support (`docs/board.md`): the boards' facts (`spec`), the co-simulated board top
//! `scu_board_w<W>` (`top`: UART bridge + SCU + status LEDs, `leds`), and the FPGA tops
//! `scu_<board>` (`fpga_top`: reset, ring-oscillator cell, the board top), and the smoke test
//! that brings a new board up (`smoke`).

pub mod fpga_top;
pub mod leds;
pub mod reset;
pub mod smoke;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emit::Direction::{Input, Output};
    use crate::preset::{preset, Params};

    fn ports(d: &Design) -> Vec<(String, crate::emit::Direction, usize)> {
        d.ports
            .iter()
            .map(|p| (p.name.clone(), p.direction, p.width))
            .collect()
    }

    fn modules(d: &Design) -> Vec<&str> {
        d.modules.iter().map(|m| m.name.as_str()).collect()
    }

    #[test]
    fn fpga_tops_have_the_constraint_files_ports_and_every_module() {
        for spec in &BOARDS {
            let params = preset(spec.default_preset).unwrap();
            let d = fpga_design(spec, spec.default_preset, &params).unwrap();
            assert_eq!(d.top, format!("scu_{}", spec.name));
            assert_eq!(
                ports(&d),
                vec![
                    ("clk".to_string(), Input, 1),
                    ("reset_button".to_string(), Input, 1),
                    ("uart_rx".to_string(), Input, 1),
                    ("uart_tx".to_string(), Output, 1),
                    ("led".to_string(), Output, spec.leds),
                ],
                "{}",
                spec.name
            );
            let m = modules(&d);
            let w = params.word_width;
            for name in [
                d.top.clone(),
                board_name(w),
                wb_name(w),
                crate::preset::engine_name(&params),
                BRIDGE_NAME.to_string(),
                LEDS_NAME.to_string(),
                crate::trng::ro_cell::RO_CELL_NAME.to_string(),
                crate::trng::ro_cell::RO_STAGE_NAME.to_string(),
            ] {
                assert!(
                    m.contains(&name.as_str()),
                    "{}: no {name} in {m:?}",
                    spec.name
                );
            }
            let files: Vec<String> = d.files().into_iter().map(|(p, _)| p).collect();
            assert_eq!(files.len(), m.len());
            let top = &d.modules[0].text;
            let cpb = spec.clocks_per_bit();
            assert!(
                top.contains(&format!("16'h{cpb:x}")),
                "{}: clocks_per_bit",
                spec.name
            );
        }
    }

    /// The board top embeds the very modules emitted on their own.
    #[test]
    fn board_top_reuses_the_bridge_and_the_scu() {
        let params = Params::with_word_width(16);
        let board = board_design("t", &params).unwrap();
        assert_eq!(board.top, "scu_board_w16");
        let same = |other: &Design| {
            for m in &other.modules {
                let mine = board.modules.iter().find(|b| b.name == m.name);
                assert_eq!(mine.map(|b| &b.text), Some(&m.text), "module {}", m.name);
            }
        };
        same(&crate::uart::design().unwrap());
        same(&crate::scu::wb_design("t", &params).unwrap());
        assert_eq!(
            ports(&board)
                .iter()
                .map(|(n, _, w)| (n.as_str(), *w))
                .collect::<Vec<_>>(),
            [
                ("clock", 1),
                ("reset", 1),
                ("clocks_per_bit", 16),
                ("uart_rx", 1),
                ("uart_tx", 1),
                ("trng_raw", 1),
                ("trng_raw_valid", 1),
                ("led", 4),
            ]
        );
    }

    #[test]
    fn a_bit_time_beyond_16_bits_is_refused() {
        let slow = BoardSpec {
            clock_hz: 100_000_000,
            baud: 1200,
            ..BOARDS[0]
        };
        let err = fpga_design(&slow, "tiny", &preset("tiny").unwrap()).unwrap_err();
        assert!(err.contains("clocks per bit"), "{err}");
    }
}
