//! The one error type of the formats layer.

use std::fmt;
use std::path::PathBuf;

/// Why an input could not be decoded. Each variant renders as one line saying what was
/// expected and what was found, prefixed by what was being read ("private key: ...").
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FormatError {
    /// A file could not be read.
    Io { path: PathBuf, message: String },
    /// Text framed as PEM (`-----BEGIN ...`) that does not decode.
    Pem { what: &'static str, message: String },
    /// PEM whose label is not one this input accepts.
    PemLabel {
        what: &'static str,
        expected: &'static str,
        found: String,
    },
    /// DER that does not decode as the structure expected.
    Der {
        what: &'static str,
        expected: &'static str,
        message: String,
    },
    /// A well-formed key for a curve other than P-256.
    Curve { what: &'static str, found: String },
    /// A well-formed key whose algorithm is not id-ecPublicKey.
    Algorithm { what: &'static str, found: String },
    /// A well-formed encoding this layer deliberately does not support (compressed
    /// points, encrypted keys, ...).
    Unsupported { what: &'static str, message: String },
    /// Anything else of the wrong shape: bad hex, wrong length, an integer too wide.
    Invalid {
        what: &'static str,
        expected: String,
        found: String,
    },
}

impl fmt::Display for FormatError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FormatError::Io { path, message } => {
                write!(f, "cannot read {}: {message}", path.display())
            }
            FormatError::Pem { what, message } => write!(f, "{what}: malformed PEM: {message}"),
            FormatError::PemLabel {
                what,
                expected,
                found,
            } => write!(f, "{what}: expected PEM label {expected}, found {found}"),
            FormatError::Der {
                what,
                expected,
                message,
            } => write!(f, "{what}: expected {expected}; malformed DER: {message}"),
            FormatError::Curve { what, found } => write!(
                f,
                "{what}: unsupported curve {found}; expected P-256 (prime256v1, OID 1.2.840.10045.3.1.7)"
            ),
            FormatError::Algorithm { what, found } => write!(
                f,
                "{what}: unsupported key algorithm {found}; expected id-ecPublicKey (OID 1.2.840.10045.2.1)"
            ),
            FormatError::Unsupported { what, message } => write!(f, "{what}: {message}"),
            FormatError::Invalid {
                what,
                expected,
                found,
            } => write!(f, "{what}: expected {expected}, found {found}"),
        }
    }
}

impl std::error::Error for FormatError {}
