//! All-or-nothing output files: the bytes go to a temporary file beside the target, which
//! is renamed over it only once completely written. A failure never leaves a partial file
//! (nor touches an existing one).

use super::CliError;
use std::fs;
use std::io::Write;
use std::path::Path;

/// Whether the file holds a secret (a private key): then it is created readable by its
/// owner only, as openssl does.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Secrecy {
    Public,
    Secret,
}

/// Writes `bytes` to `path` atomically; an existing file is replaced (as openssl does).
pub fn write_atomically(path: &Path, bytes: &[u8], secrecy: Secrecy) -> Result<(), CliError> {
    let name = path
        .file_name()
        .ok_or_else(|| CliError::Input(format!("invalid output file {}", path.display())))?
        .to_string_lossy()
        .into_owned();
    let parent = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let tmp = parent.join(format!(".{name}.scu-tmp-{}", std::process::id()));
    let _ = fs::remove_file(&tmp);
    let result = (|| {
        let mut options = fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        if secrecy == Secrecy::Secret {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        #[cfg(not(unix))]
        let _ = secrecy;
        let mut file = options.open(&tmp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&tmp, path)
    })();
    if let Err(e) = result {
        let _ = fs::remove_file(&tmp);
        return Err(CliError::Io(format!(
            "cannot write {}: {e}",
            path.display()
        )));
    }
    Ok(())
}
