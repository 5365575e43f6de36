//! Private keys: the raw 32-byte big-endian scalar `d`.
//!
//! Reads SEC1 `EC PRIVATE KEY` and PKCS#8 `PRIVATE KEY`, as PEM or DER, or 64 hex digits.
//! `d` is not range-checked (0 and values ≥ n decode fine): the hardware validates it.

use super::oids::{
    check_algorithm, check_curve, check_ec_parameters, ID_EC_PUBLIC_KEY, PRIME256V1,
};
use super::pem::{self, Input};
use super::{hexstr, left_pad, read_file, Bytes32, FormatError};
use der::asn1::{AnyRef, OctetStringRef};
use der::{Decode, Encode};
use pkcs8::PrivateKeyInfoRef;
use sec1::{EcParameters, EcPrivateKey};
use spki::AlgorithmIdentifier;
use std::path::Path;

const WHAT: &str = "private key";
const SEC1_LABEL: &str = "EC PRIVATE KEY";
const PKCS8_LABEL: &str = "PRIVATE KEY";
const HEX_EXPECTED: &str = "64 hex digits (the scalar d, optionally 0x-prefixed)";

/// Decodes a private key file's contents: PEM (`EC PRIVATE KEY` or `PRIVATE KEY`), DER
/// (SEC1, else PKCS#8), or hex text (64 digits).
pub fn parse_private_key(input: &[u8]) -> Result<Bytes32, FormatError> {
    match pem::classify(input) {
        Input::Pem(text) => parse_pem(text),
        Input::Text(text) => parse_private_key_hex(text),
        Input::Binary(der) => parse_private_key_der(der),
    }
}

/// [`parse_private_key`] of a file's contents.
pub fn parse_private_key_file(path: &Path) -> Result<Bytes32, FormatError> {
    parse_private_key(&read_file(path)?)
}

/// Decodes DER: a SEC1 `ECPrivateKey`, or failing that a PKCS#8 `PrivateKeyInfo`.
pub fn parse_private_key_der(der: &[u8]) -> Result<Bytes32, FormatError> {
    let sec1_err = match EcPrivateKey::from_der(der) {
        Ok(key) => return from_sec1(&key),
        Err(e) => e,
    };
    match PrivateKeyInfoRef::from_der(der) {
        Ok(info) => from_pkcs8(&info),
        Err(pkcs8_err) => Err(FormatError::Der {
            what: WHAT,
            expected: "a SEC1 ECPrivateKey or a PKCS#8 PrivateKeyInfo",
            message: format!("as SEC1: {sec1_err}; as PKCS#8: {pkcs8_err}"),
        }),
    }
}

/// Decodes 64 hex digits (optional `0x`, surrounding whitespace allowed).
pub fn parse_private_key_hex(text: &str) -> Result<Bytes32, FormatError> {
    let bytes = hexstr::decode(WHAT, text, &[64], HEX_EXPECTED)?;
    Ok(left_pad(&bytes).expect("32 bytes"))
}

fn parse_pem(text: &str) -> Result<Bytes32, FormatError> {
    let blocks = pem::blocks(WHAT, text)?;
    let mut keys = Vec::new();
    for b in &blocks {
        if b.encrypted || b.label == "ENCRYPTED PRIVATE KEY" {
            return Err(FormatError::Unsupported {
                what: WHAT,
                message: format!(
                    "encrypted keys are not supported (found an encrypted `{}` block); decrypt it first, e.g. `openssl pkey -in KEY -out PLAIN.pem`",
                    b.label
                ),
            });
        }
        match b.label.as_str() {
            SEC1_LABEL | PKCS8_LABEL => keys.push(b),
            // `openssl ecparam -genkey` without -noout writes the curve first.
            "EC PARAMETERS" => {
                let params = EcParameters::from_der(&b.der).map_err(|e| FormatError::Der {
                    what: WHAT,
                    expected: "a named curve OID in the `EC PARAMETERS` block",
                    message: e.to_string(),
                })?;
                if let Some(oid) = params.named_curve() {
                    check_curve(WHAT, &oid)?;
                }
            }
            _ => {}
        }
    }
    let key = match keys.as_slice() {
        [key] => key,
        [] => {
            return Err(FormatError::PemLabel {
                what: WHAT,
                expected: "`EC PRIVATE KEY` (SEC1) or `PRIVATE KEY` (PKCS#8)",
                found: pem::labels(&blocks),
            })
        }
        _ => {
            return Err(FormatError::Invalid {
                what: WHAT,
                expected: "one private key PEM block".into(),
                found: format!("{} ({})", keys.len(), pem::labels(&blocks)),
            })
        }
    };
    if key.label == SEC1_LABEL {
        let sec1 = EcPrivateKey::from_der(&key.der).map_err(|e| FormatError::Der {
            what: WHAT,
            expected: "a SEC1 ECPrivateKey in the `EC PRIVATE KEY` block",
            message: e.to_string(),
        })?;
        from_sec1(&sec1)
    } else {
        let info = PrivateKeyInfoRef::from_der(&key.der).map_err(|e| FormatError::Der {
            what: WHAT,
            expected: "a PKCS#8 PrivateKeyInfo in the `PRIVATE KEY` block",
            message: e.to_string(),
        })?;
        from_pkcs8(&info)
    }
}

fn from_sec1(key: &EcPrivateKey<'_>) -> Result<Bytes32, FormatError> {
    if let Some(oid) = key.parameters.and_then(|p| p.named_curve()) {
        check_curve(WHAT, &oid)?;
    }
    let d = key.private_key;
    if d.is_empty() {
        return Err(FormatError::Invalid {
            what: WHAT,
            expected: "a 32-byte privateKey octet string".into(),
            found: "an empty one".into(),
        });
    }
    // Shorter strings are big-endian integers missing their leading zero bytes.
    left_pad(d).ok_or_else(|| FormatError::Invalid {
        what: WHAT,
        expected: "a privateKey octet string of at most 32 bytes".into(),
        found: format!("{} bytes", d.len()),
    })
}

fn from_pkcs8(info: &PrivateKeyInfoRef<'_>) -> Result<Bytes32, FormatError> {
    check_algorithm(WHAT, &info.algorithm.oid)?;
    check_ec_parameters(WHAT, info.algorithm.parameters)?;
    let inner =
        EcPrivateKey::from_der(info.private_key.as_bytes()).map_err(|e| FormatError::Der {
            what: WHAT,
            expected: "a SEC1 ECPrivateKey inside the PKCS#8 privateKey octet string",
            message: e.to_string(),
        })?;
    from_sec1(&inner)
}

fn uncompressed(public: Option<(&Bytes32, &Bytes32)>) -> Option<[u8; 65]> {
    public.map(|(x, y)| {
        let mut p = [0u8; 65];
        p[0] = 0x04;
        p[1..33].copy_from_slice(x);
        p[33..].copy_from_slice(y);
        p
    })
}

fn sec1_der(d: &Bytes32, public: Option<(&Bytes32, &Bytes32)>, with_curve: bool) -> Vec<u8> {
    let point = uncompressed(public);
    EcPrivateKey {
        private_key: d,
        parameters: with_curve.then_some(EcParameters::NamedCurve(PRIME256V1)),
        public_key: point.as_ref().map(|p| &p[..]),
    }
    .to_der()
    .expect("DER encoding of a fixed-size ECPrivateKey cannot fail")
}

/// SEC1 `ECPrivateKey` DER (version 1, `d`, the P-256 curve, and `04‖x‖y` when given),
/// as `openssl ec -outform DER` writes.
pub fn private_key_to_der_sec1(d: &Bytes32, public: Option<(&Bytes32, &Bytes32)>) -> Vec<u8> {
    sec1_der(d, public, true)
}

/// [`private_key_to_der_sec1`] as PEM `EC PRIVATE KEY` (read by `openssl ec -in`).
pub fn private_key_to_pem_sec1(d: &Bytes32, public: Option<(&Bytes32, &Bytes32)>) -> String {
    pem::encode(SEC1_LABEL, &private_key_to_der_sec1(d, public))
}

/// PKCS#8 `PrivateKeyInfo` DER (v1, id-ecPublicKey with P-256, wrapping a SEC1 key
/// without curve parameters), as `openssl genpkey`/`openssl pkcs8 -topk8` write.
pub fn private_key_to_der_pkcs8(d: &Bytes32, public: Option<(&Bytes32, &Bytes32)>) -> Vec<u8> {
    let inner = sec1_der(d, public, false);
    let info = PrivateKeyInfoRef::new(
        AlgorithmIdentifier {
            oid: ID_EC_PUBLIC_KEY,
            parameters: Some(AnyRef::from(&PRIME256V1)),
        },
        OctetStringRef::new(&inner).expect("short octet string"),
    );
    info.to_der()
        .expect("DER encoding of a fixed-size PrivateKeyInfo cannot fail")
}

/// [`private_key_to_der_pkcs8`] as PEM `PRIVATE KEY` (read by `openssl pkey -in`).
pub fn private_key_to_pem_pkcs8(d: &Bytes32, public: Option<(&Bytes32, &Bytes32)>) -> String {
    pem::encode(PKCS8_LABEL, &private_key_to_der_pkcs8(d, public))
}

/// `d` as 64 lower-case hex digits.
pub fn private_key_to_hex(d: &Bytes32) -> String {
    hex::encode(d)
}
