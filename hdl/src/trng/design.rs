//! The TRNG as emitted designs: the cutoffs go into the manifest next to the H they come from,
//! so a reader of `manifest.json` sees what the Verilog's constants mean.

use super::with_ro::{with_ro_name, TrngWithRo};
use super::{core_name, Trng};
use crate::emit::{self, Design, Module, Port};
use scu_golden::trng::{MinEntropy, APT_WINDOW};
use serde_json::json;
use std::collections::BTreeMap;

/// The core for min-entropy `h`; the co-simulation catalog verilates it.
pub fn core(preset: &str, h: MinEntropy) -> Result<Design, String> {
    let top = core_name(h);
    let (modules, ports) = emit::emit(&top, &mut Trng::new(h))?;
    Ok(design(preset, h, top, modules, ports))
}

/// Core + ring-oscillator cell: for lint and synthesis, never verilated into a model (a ring
/// oscillator has no behaviour in a zero-delay simulator).
pub fn with_ro(preset: &str, h: MinEntropy) -> Result<Design, String> {
    let top = with_ro_name(h);
    let (modules, ports) = emit::emit(&top, &mut TrngWithRo::new(h))?;
    Ok(design(preset, h, top, modules, ports))
}

fn design(
    preset: &str,
    h: MinEntropy,
    top: String,
    modules: Vec<Module>,
    ports: Vec<Port>,
) -> Design {
    let c = h.cutoffs();
    Design {
        block: "trng".into(),
        preset: preset.into(),
        top,
        params: BTreeMap::from([
            (
                "trng_min_entropy".to_string(),
                json!(f64::from(h.millibits()) / 1000.0),
            ),
            ("trng_rct_cutoff".to_string(), json!(c.rct)),
            ("trng_apt_cutoff".to_string(), json!(c.apt)),
            ("trng_apt_window".to_string(), json!(APT_WINDOW)),
        ]),
        modules,
        ports,
        clock: Some("clock".into()),
        reset: Some("reset".into()),
    }
}
