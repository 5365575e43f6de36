//! Public keys: the raw 32-byte big-endian coordinates `(x, y)`.
//!
//! Reads SubjectPublicKeyInfo (`PUBLIC KEY` PEM or DER, as `openssl ec -pubout` writes)
//! and hex (130 digits `04‖x‖y`, or 128 digits `x‖y`). The point is not checked to be on
//! the curve: the hardware validates it. Compressed points (02/03) are rejected: this
//! layer has no curve arithmetic to decompress them.

use super::oids::{check_algorithm, check_ec_parameters, ID_EC_PUBLIC_KEY, PRIME256V1};
use super::pem::{self, Input};
use super::{hexstr, read_file, Bytes32, FormatError};
use der::asn1::{AnyRef, BitStringRef};
use der::{Decode, Encode};
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfoRef};
use std::path::Path;

const WHAT: &str = "public key";
const LABEL: &str = "PUBLIC KEY";
const HEX_EXPECTED: &str =
    "130 hex digits (uncompressed point 04 || x || y) or 128 hex digits (x || y)";

/// Decodes a public key file's contents: PEM `PUBLIC KEY`, DER SubjectPublicKeyInfo, or
/// hex text.
pub fn parse_public_key(input: &[u8]) -> Result<(Bytes32, Bytes32), FormatError> {
    match pem::classify(input) {
        Input::Pem(text) => parse_pem(text),
        Input::Text(text) => parse_public_key_hex(text),
        Input::Binary(der) => parse_public_key_der(der),
    }
}

/// [`parse_public_key`] of a file's contents.
pub fn parse_public_key_file(path: &Path) -> Result<(Bytes32, Bytes32), FormatError> {
    parse_public_key(&read_file(path)?)
}

/// Decodes a DER SubjectPublicKeyInfo (id-ecPublicKey, P-256, uncompressed point).
pub fn parse_public_key_der(der: &[u8]) -> Result<(Bytes32, Bytes32), FormatError> {
    let spki = SubjectPublicKeyInfoRef::from_der(der).map_err(|e| FormatError::Der {
        what: WHAT,
        expected: "a SubjectPublicKeyInfo",
        message: e.to_string(),
    })?;
    check_algorithm(WHAT, &spki.algorithm.oid)?;
    check_ec_parameters(WHAT, spki.algorithm.parameters)?;
    let point = spki
        .subject_public_key
        .as_bytes()
        .ok_or_else(|| FormatError::Invalid {
            what: WHAT,
            expected: "a subjectPublicKey BIT STRING of whole bytes".into(),
            found: format!("{} unused bits", spki.subject_public_key.unused_bits()),
        })?;
    parse_sec1_point(point)
}

/// Decodes hex: `04‖x‖y` (130 digits) or `x‖y` (128 digits); optional `0x`, surrounding
/// whitespace allowed.
pub fn parse_public_key_hex(text: &str) -> Result<(Bytes32, Bytes32), FormatError> {
    let bytes = hexstr::decode(WHAT, text, &[66, 128, 130], HEX_EXPECTED)?;
    match bytes.len() {
        64 => Ok(split(&bytes)),
        _ => parse_sec1_point(&bytes),
    }
}

/// Decodes a SEC1 point encoding; only the uncompressed form `04‖x‖y` (65 bytes) is
/// accepted.
pub fn parse_sec1_point(bytes: &[u8]) -> Result<(Bytes32, Bytes32), FormatError> {
    match (bytes.first(), bytes.len()) {
        (Some(0x04), 65) => Ok(split(&bytes[1..])),
        (Some(0x02 | 0x03), 33) => Err(FormatError::Unsupported {
            what: WHAT,
            message: "compressed points are not supported (expected 04 || x || y); convert with `openssl ec -pubin -in KEY -pubout -conv_form uncompressed`".into(),
        }),
        (Some(0x06 | 0x07), 65) => Err(FormatError::Unsupported {
            what: WHAT,
            message: "hybrid point encodings (06/07) are not supported (expected 04 || x || y)"
                .into(),
        }),
        (Some(0x00), 1) => Err(FormatError::Invalid {
            what: WHAT,
            expected: "a point with coordinates (04 || x || y)".into(),
            found: "the point at infinity (00)".into(),
        }),
        (None, _) => Err(FormatError::Invalid {
            what: WHAT,
            expected: "an uncompressed point (65 bytes: 04 || x || y)".into(),
            found: "0 bytes".into(),
        }),
        (Some(first), len) => Err(FormatError::Invalid {
            what: WHAT,
            expected: "an uncompressed point (65 bytes: 04 || x || y)".into(),
            found: format!("{len} bytes starting with 0x{first:02x}"),
        }),
    }
}

fn split(xy: &[u8]) -> (Bytes32, Bytes32) {
    let mut x = [0u8; 32];
    let mut y = [0u8; 32];
    x.copy_from_slice(&xy[..32]);
    y.copy_from_slice(&xy[32..64]);
    (x, y)
}

fn parse_pem(text: &str) -> Result<(Bytes32, Bytes32), FormatError> {
    let blocks = pem::blocks(WHAT, text)?;
    let keys: Vec<_> = blocks.iter().filter(|b| b.label == LABEL).collect();
    match keys.as_slice() {
        [key] => parse_public_key_der(&key.der).map_err(|e| match e {
            FormatError::Der { message, .. } => FormatError::Der {
                what: WHAT,
                expected: "a SubjectPublicKeyInfo in the `PUBLIC KEY` block",
                message,
            },
            e => e,
        }),
        [] => {
            let private = blocks.iter().any(|b| b.label.ends_with("PRIVATE KEY"));
            Err(FormatError::PemLabel {
                what: WHAT,
                expected: "`PUBLIC KEY` (SubjectPublicKeyInfo)",
                found: if private {
                    format!(
                        "{} (a private key; extract the public key with `openssl ec -in KEY -pubout`)",
                        pem::labels(&blocks)
                    )
                } else {
                    pem::labels(&blocks)
                },
            })
        }
        _ => Err(FormatError::Invalid {
            what: WHAT,
            expected: "one `PUBLIC KEY` PEM block".into(),
            found: format!("{}", keys.len()),
        }),
    }
}

fn uncompressed(x: &Bytes32, y: &Bytes32) -> [u8; 65] {
    let mut p = [0u8; 65];
    p[0] = 0x04;
    p[1..33].copy_from_slice(x);
    p[33..].copy_from_slice(y);
    p
}

/// DER SubjectPublicKeyInfo: id-ecPublicKey, P-256, the uncompressed point.
pub fn public_key_to_der(x: &Bytes32, y: &Bytes32) -> Vec<u8> {
    let point = uncompressed(x, y);
    SubjectPublicKeyInfoRef {
        algorithm: AlgorithmIdentifier {
            oid: ID_EC_PUBLIC_KEY,
            parameters: Some(AnyRef::from(&PRIME256V1)),
        },
        subject_public_key: BitStringRef::from_bytes(&point).expect("65-byte bit string"),
    }
    .to_der()
    .expect("DER encoding of a fixed-size SubjectPublicKeyInfo cannot fail")
}

/// [`public_key_to_der`] as PEM `PUBLIC KEY` (read by `openssl ec -pubin -in`).
pub fn public_key_to_pem(x: &Bytes32, y: &Bytes32) -> String {
    pem::encode(LABEL, &public_key_to_der(x, y))
}

/// The uncompressed point `04‖x‖y` as 130 lower-case hex digits.
pub fn public_key_to_hex(x: &Bytes32, y: &Bytes32) -> String {
    hex::encode(uncompressed(x, y))
}
