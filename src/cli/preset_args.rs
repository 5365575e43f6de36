//! `--preset` and `--word-width`, shared by every command that needs an engine
//! configuration (`scu generate`, `scu sim ...`).

use super::CliError;
use scu_hdl::preset::{self, Params};

#[derive(clap::Args, Debug, Clone)]
pub struct PresetArgs {
    /// Preset to start from (see `scu presets`).
    #[arg(long, default_value = preset::DEFAULT_PRESET)]
    pub preset: String,
    /// Override the field ALU word width (16, 32 or 64).
    #[arg(long)]
    pub word_width: Option<usize>,
}

impl PresetArgs {
    /// The preset's parameters with the overrides applied, validated.
    pub fn params(&self) -> Result<Params, CliError> {
        let mut params = preset::preset(&self.preset).map_err(CliError::Input)?;
        if let Some(w) = self.word_width {
            params.word_width = w;
            params.datapath = preset::default_datapath(w);
        }
        params.validate().map_err(CliError::Input)?;
        Ok(params)
    }
}
