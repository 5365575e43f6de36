//! The register map's emitted forms: Markdown documentation, a C header and SystemRDL, all
//! printed from the one description in `scu_driver::regmap`, so none of them can disagree with
//! the driver or the HDL decoder that read the same constants.

pub mod c_header;
pub mod markdown;
pub mod rdl;

use crate::preset::Params;
use scu_driver::regmap::{Field, GenParam, RegMap, Register, Reset, SCU};

pub const MARKDOWN_FILE: &str = "registers.md";
pub const C_HEADER_FILE: &str = "scu_regs.h";
pub const RDL_FILE: &str = "registers.rdl";

/// The command that regenerates `docs/registers.md`, named in its header.
pub const DOCS_COMMAND: &str =
    "cargo run --release -p scu-hdl --example regmap_docs > docs/registers.md";

/// The register map's files as (relative path, contents), to be written beside the Verilog.
/// With `params`, resets that are generator parameters (`ID.word_width`) are filled in; without,
/// every output names the parameter instead.
pub fn files(map: &RegMap, params: Option<&Params>) -> Vec<(String, String)> {
    // The maps are constants and the driver already rejects a bad one at compile time; this
    // catches a map built elsewhere before it yields a header that does not compile.
    if let Err(e) = map.validate() {
        panic!("register map `{}`: {e}", map.name);
    }
    let values = Values(params);
    vec![
        (MARKDOWN_FILE.into(), markdown::emit(map, values, None)),
        (C_HEADER_FILE.into(), c_header::emit(map, values)),
        (RDL_FILE.into(), rdl::emit(map, values)),
    ]
}

/// `docs/registers.md`: the SCU map without generator parameters, with the command that
/// regenerates it.
pub fn docs() -> String {
    markdown::emit(&SCU, Values(None), Some(DOCS_COMMAND))
}

/// Resolves generator parameters, when there is a design to take them from.
#[derive(Clone, Copy, Debug)]
pub struct Values<'a>(pub Option<&'a Params>);

impl Values<'_> {
    pub fn param(&self, p: GenParam) -> Option<u32> {
        let params = self.0?;
        Some(match p {
            GenParam::WordWidth => params.word_width as u32,
        })
    }

    pub fn field_reset(&self, f: &Field) -> Option<u32> {
        match f.reset {
            Reset::Value(v) => Some(v),
            Reset::Param(p) => self.param(p),
        }
    }

    pub fn register_reset(&self, r: &Register) -> Option<u32> {
        r.fields
            .iter()
            .try_fold(0, |word, f| Some(word | f.put(self.field_reset(f)?)))
    }

    /// The parameters a register's reset depends on, by name.
    pub fn params_of(r: &Register) -> Vec<&'static str> {
        r.fields
            .iter()
            .filter_map(|f| match f.reset {
                Reset::Param(p) => Some(p.name()),
                Reset::Value(_) => None,
            })
            .collect()
    }
}

/// Bit range as the documentation and SystemRDL write it: `[7:4]`, or `[3]` for one bit.
pub fn bits(f: &Field) -> String {
    if f.width == 1 {
        format!("[{}]", f.lsb)
    } else {
        format!("[{}:{}]", f.msb(), f.lsb)
    }
}
