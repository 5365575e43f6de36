//! Helpers shared by the integration tests.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

pub fn scu() -> Command {
    Command::new(env!("CARGO_BIN_EXE_scu"))
}

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// Runs an external tool the suite depends on; a missing tool is a failure that names
/// the set-up script, never a silent skip.
pub fn tool(name: &str, args: &[&str], cwd: &Path) -> Output {
    Command::new(name)
        .args(args)
        .current_dir(cwd)
        .output()
        .unwrap_or_else(|e| {
            panic!("cannot run `{name}` ({e}); install the tools with scripts/setup.sh")
        })
}

/// `scu generate` into a fresh temporary directory; returns (tempdir guard, output dir).
pub fn generate(args: &[&str]) -> (tempfile::TempDir, PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let out = tmp.path().join("out");
    let o = scu()
        .arg("generate")
        .args(args)
        .arg("--out")
        .arg(&out)
        .output()
        .unwrap();
    assert!(
        o.status.success(),
        "scu generate {args:?} failed: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    (tmp, out)
}

pub fn manifest(dir: &Path) -> serde_json::Value {
    serde_json::from_str(&std::fs::read_to_string(dir.join("manifest.json")).unwrap()).unwrap()
}

/// A program of the Python environment scripts/setup.sh makes (`.tools/venv`: PeakRDL), as a
/// path for `tool`, which then names the set-up script when it is missing.
pub fn venv_tool(name: &str) -> String {
    repo_root()
        .join(".tools/venv/bin")
        .join(name)
        .to_string_lossy()
        .into_owned()
}
