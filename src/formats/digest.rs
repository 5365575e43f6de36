//! Message digests: the 32-byte SHA-256 value the engine signs or verifies.

use super::{hexstr, Bytes32, FormatError};
use sha2::{Digest, Sha256};
use std::io::Read;
use std::path::Path;

/// SHA-256 of a file's contents, read in chunks.
pub fn digest_of_file(path: &Path) -> Result<Bytes32, FormatError> {
    let io_err = |e: std::io::Error| FormatError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    let mut file = std::fs::File::open(path).map_err(io_err)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf).map_err(io_err)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher.finalize().into())
}

/// A digest given as exactly 64 hex digits (optional `0x`, surrounding whitespace ok).
pub fn parse_digest_hex(text: &str) -> Result<Bytes32, FormatError> {
    let bytes = hexstr::decode(
        "digest",
        text,
        &[64],
        "64 hex digits (a SHA-256 digest, optionally 0x-prefixed)",
    )?;
    let mut out = [0u8; 32];
    out.copy_from_slice(&bytes);
    Ok(out)
}
