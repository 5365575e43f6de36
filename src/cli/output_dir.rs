//! All-or-nothing output directories: files are written into a fresh sibling directory
//! and moved into place only once every file is there, so a failure never leaves a
//! half-written design behind (nor destroys the previous one).

use super::CliError;
use std::fs;
use std::path::{Path, PathBuf};

/// Checks that `dir` may be (re)placed: it must not exist, be an empty directory, or
/// `force` must be given.
pub fn check_target(dir: &Path, force: bool) -> Result<(), CliError> {
    match fs::metadata(dir) {
        Err(_) => Ok(()),
        Ok(m) if !m.is_dir() => Err(CliError::Input(format!(
            "output path {} exists and is not a directory",
            dir.display()
        ))),
        Ok(_) => {
            let empty = fs::read_dir(dir)
                .map_err(|e| {
                    CliError::Io(format!(
                        "cannot read output directory {}: {e}",
                        dir.display()
                    ))
                })?
                .next()
                .is_none();
            if empty || force {
                Ok(())
            } else {
                Err(CliError::Input(format!(
                    "output directory {} is not empty (use --force to replace it)",
                    dir.display()
                )))
            }
        }
    }
}

/// Runs `fill` on a staging directory beside `dir`, then swaps it in.
pub fn write_atomically(
    dir: &Path,
    fill: impl FnOnce(&Path) -> std::io::Result<()>,
) -> Result<(), CliError> {
    let parent = match dir.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    fs::create_dir_all(&parent)
        .map_err(|e| CliError::Io(format!("cannot create {}: {e}", parent.display())))?;
    let name = dir
        .file_name()
        .ok_or_else(|| CliError::Input(format!("invalid output directory {}", dir.display())))?
        .to_string_lossy()
        .into_owned();
    let prefix = format!(".{name}.scu-staging-");
    remove_stale_staging(&parent, &prefix);
    let staging = parent.join(format!("{prefix}{}", std::process::id()));
    let _ = fs::remove_dir_all(&staging);
    let result = fs::create_dir(&staging)
        .and_then(|_| fill(&staging))
        .and_then(|_| {
            if dir.exists() {
                fs::remove_dir_all(dir)?;
            }
            fs::rename(&staging, dir)
        });
    if let Err(e) = result {
        let _ = fs::remove_dir_all(&staging);
        return Err(CliError::Io(format!("cannot write {}: {e}", dir.display())));
    }
    Ok(())
}

/// Removes the staging directories (`<prefix><pid>`) of runs that were killed before they
/// could clean up: those whose process no longer exists. A live run's is left alone. Only
/// where `/proc` tells (Linux); elsewhere nothing is removed.
fn remove_stale_staging(parent: &Path, prefix: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = fs::read_dir(parent) else {
        return;
    };
    for e in entries.flatten() {
        let file_name = e.file_name();
        let Some(pid) = file_name
            .to_str()
            .and_then(|n| n.strip_prefix(prefix))
            .and_then(|p| p.parse::<u32>().ok())
        else {
            continue;
        };
        if pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            let _ = fs::remove_dir_all(e.path());
        }
    }
}
