//! `--preset`, `--word-width` and `--datapath`, shared by every command that needs an engine
//! configuration (`scu generate`, `scu sim ...`).

use super::CliError;
use scu_hdl::preset::{self, Datapath, Params};

#[derive(clap::Args, Debug, Clone)]
pub struct PresetArgs {
    /// Preset to start from (see `scu presets`).
    #[arg(long, default_value = preset::DEFAULT_PRESET)]
    pub preset: String,
    /// Override the field ALU word width (16, 32, 64 or 128); the datapath follows the width
    /// (serial at 16, parallel otherwise) unless --datapath says otherwise.
    #[arg(long)]
    pub word_width: Option<usize>,
    /// Override the engine's operand path: `parallel` (256 bits per cycle) or `serial`
    /// (W-bit words; W = 16 or 32).
    #[arg(long)]
    pub datapath: Option<String>,
}

/// Parses a `--datapath` value.
pub fn parse_datapath(s: &str) -> Result<Datapath, CliError> {
    match s {
        "parallel" => Ok(Datapath::Parallel),
        "serial" => Ok(Datapath::Serial),
        other => Err(CliError::Input(format!(
            "invalid --datapath `{other}` (parallel or serial)"
        ))),
    }
}

impl PresetArgs {
    /// The preset's parameters with the overrides applied, validated.
    pub fn params(&self) -> Result<Params, CliError> {
        let mut params = preset::preset(&self.preset).map_err(CliError::Input)?;
        if let Some(w) = self.word_width {
            params.word_width = w;
            params.datapath = preset::default_datapath(w);
        }
        if let Some(d) = &self.datapath {
            params.datapath = parse_datapath(d)?;
        }
        params.validate().map_err(CliError::Input)?;
        Ok(params)
    }

    /// [`Self::params`], for commands that run the co-simulated SCU: the simulation layer has
    /// one SCU model per width, with that width's default datapath.
    pub fn sim_params(&self) -> Result<Params, CliError> {
        let params = self.params()?;
        let default = preset::default_datapath(params.word_width);
        if params.datapath != default {
            return Err(CliError::Input(format!(
                "the simulated SCU at word width {} has the {} datapath (no {} model); \
                 `scu generate` emits either",
                params.word_width,
                default.name(),
                params.datapath.name()
            )));
        }
        Ok(params)
    }
}
