//! Waveform file naming: `SCU_WAVES=<dir>` → `<dir>/<top>-<n>.<ext>`.

use std::collections::HashMap;
use std::fs::OpenOptions;
use std::io::ErrorKind;
use std::path::PathBuf;
use std::sync::Mutex;

/// Environment variable that turns waves on for every [`crate::Sim`] using [`crate::Waves::FromEnv`].
pub const WAVES_ENV: &str = "SCU_WAVES";

/// `"vcd"`, or `"fst"` when the crate was built with `SCU_SIM_FST=1`.
pub const WAVE_FORMAT: &str = env!("SCU_SIM_WAVE_FORMAT");

/// Whether `SCU_WAVES` asks for waves (a model must then be created traced).
pub(crate) fn env_asks() -> bool {
    std::env::var_os(WAVES_ENV).is_some_and(|d| !d.is_empty())
}

/// Per top, where to scan from: numbers below were taken by this process already.
static NEXT: Mutex<Option<HashMap<String, u64>>> = Mutex::new(None);

/// The wave file for a new run of `top`, if `SCU_WAVES` names a directory. The file is
/// created (empty) here with `create_new`, so concurrent tests and test binaries never pick
/// the same name; `n` is the first number not yet used in the directory.
pub(crate) fn from_env(top: &str) -> Result<Option<PathBuf>, String> {
    let Some(dir) = std::env::var_os(WAVES_ENV).filter(|d| !d.is_empty()) else {
        return Ok(None);
    };
    let dir = PathBuf::from(dir);
    std::fs::create_dir_all(&dir).map_err(|e| {
        format!(
            "{WAVES_ENV}={}: cannot create the directory: {e}",
            dir.display()
        )
    })?;
    let mut next = NEXT.lock().unwrap_or_else(|e| e.into_inner());
    let next = next
        .get_or_insert_with(HashMap::new)
        .entry(top.to_string())
        .or_insert(0);
    let mut n = *next;
    loop {
        let path = dir.join(format!("{top}-{n}.{WAVE_FORMAT}"));
        match OpenOptions::new().write(true).create_new(true).open(&path) {
            Ok(_) => {
                *next = n + 1;
                return Ok(Some(path));
            }
            Err(e) if e.kind() == ErrorKind::AlreadyExists => n += 1,
            Err(e) => {
                return Err(format!(
                    "{WAVES_ENV}: cannot create {}: {e}",
                    path.display()
                ))
            }
        }
    }
}
