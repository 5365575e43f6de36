//! Key, signature and digest file formats for the P-256 engine's inputs and outputs.
//!
//! This layer only decodes and encodes. It rejects malformed encodings (bad DER, bad PEM,
//! bad hex, a curve other than P-256, a compressed point) with a [`FormatError`], but it
//! never checks the *values*: a public key off the curve, a scalar `d` of 0 or ≥ n, or a
//! signature with `r`/`s` of 0 or ≥ n all decode fine. Validating them is the hardware
//! engine's job, and it answers with a status.
//!
//! Everything is raw big-endian bytes: a private key is the 32-byte scalar `d`, a public
//! key is the pair of 32-byte coordinates `(x, y)`, a signature is the pair `(r, s)`.
//!
//! One concept per file: [`private_key`], [`public_key`], [`signature`], [`digest`]; the
//! error type in [`error`]; PEM/hex text handling and OIDs are private helpers.

pub mod digest;
pub mod error;
mod hexstr;
mod oids;
mod pem;
pub mod private_key;
pub mod public_key;
pub mod signature;

pub use digest::{digest_of_file, parse_digest_hex};
pub use error::FormatError;
pub use private_key::{
    parse_private_key, parse_private_key_der, parse_private_key_file, parse_private_key_hex,
    private_key_to_der_pkcs8, private_key_to_der_sec1, private_key_to_hex,
    private_key_to_pem_pkcs8, private_key_to_pem_sec1,
};
pub use public_key::{
    parse_public_key, parse_public_key_der, parse_public_key_file, parse_public_key_hex,
    parse_sec1_point, public_key_to_der, public_key_to_hex, public_key_to_pem,
};
pub use signature::{
    parse_signature_der, parse_signature_p1363, signature_to_der, signature_to_p1363,
};

/// A 32-byte big-endian field element or scalar (`d`, `x`, `y`, `r`, `s`, a digest).
pub type Bytes32 = [u8; 32];

/// Reads a whole file, mapping the I/O error to a [`FormatError`] that names the path.
pub fn read_file(path: &std::path::Path) -> Result<Vec<u8>, FormatError> {
    std::fs::read(path).map_err(|e| FormatError::Io {
        path: path.to_path_buf(),
        message: e.to_string(),
    })
}

/// Left-pads a big-endian integer of at most 32 bytes to exactly 32 bytes.
fn left_pad(bytes: &[u8]) -> Option<Bytes32> {
    let mut out = [0u8; 32];
    let start = 32usize.checked_sub(bytes.len())?;
    out[start..].copy_from_slice(bytes);
    Some(out)
}
