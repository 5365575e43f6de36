//! ECDSA signatures: the pair `(r, s)` as 32-byte big-endian integers.
//!
//! DER `ECDSA-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER }` (RFC 3279, what
//! `openssl dgst -sign` writes) is decoded strictly: minimal lengths and integers, no
//! negative integers, nothing after the SEQUENCE. `r`/`s` of 0 or ≥ n are *not* format
//! errors: the hardware answers "invalid" for them.

use super::{left_pad, Bytes32, FormatError};
use der::asn1::UintRef;
use der::{Decode, DecodeValue, Encode, EncodeValue, Header, Length, Reader, Sequence, Writer};

const WHAT: &str = "signature";
const DER_EXPECTED: &str =
    "a DER ECDSA-Sig-Value (SEQUENCE of two minimally encoded non-negative INTEGERs r, s)";

struct EcdsaSigValue<'a> {
    r: UintRef<'a>,
    s: UintRef<'a>,
}

impl<'a> DecodeValue<'a> for EcdsaSigValue<'a> {
    type Error = der::Error;

    fn decode_value<R: Reader<'a>>(reader: &mut R, _header: Header) -> der::Result<Self> {
        Ok(Self {
            r: reader.decode()?,
            s: reader.decode()?,
        })
    }
}

impl EncodeValue for EcdsaSigValue<'_> {
    fn value_len(&self) -> der::Result<Length> {
        self.r.encoded_len()? + self.s.encoded_len()?
    }

    fn encode_value(&self, writer: &mut impl Writer) -> der::Result<()> {
        self.r.encode(writer)?;
        self.s.encode(writer)
    }
}

impl<'a> Sequence<'a> for EcdsaSigValue<'a> {}

/// Decodes a DER ECDSA-Sig-Value; an integer wider than 32 bytes (after its sign byte)
/// is an error.
pub fn parse_signature_der(der: &[u8]) -> Result<(Bytes32, Bytes32), FormatError> {
    let sig = EcdsaSigValue::from_der(der).map_err(|e| FormatError::Der {
        what: WHAT,
        expected: DER_EXPECTED,
        message: e.to_string(),
    })?;
    let widen = |name: &str, v: &UintRef<'_>| {
        left_pad(v.as_bytes()).ok_or_else(|| FormatError::Invalid {
            what: WHAT,
            expected: format!("{name} of at most 32 bytes (P-256)"),
            found: format!("{} bytes", v.as_bytes().len()),
        })
    };
    Ok((widen("r", &sig.r)?, widen("s", &sig.s)?))
}

/// Decodes the raw IEEE P1363 form `r‖s` (exactly 64 bytes).
pub fn parse_signature_p1363(bytes: &[u8]) -> Result<(Bytes32, Bytes32), FormatError> {
    if bytes.len() != 64 {
        return Err(FormatError::Invalid {
            what: WHAT,
            expected: "64 bytes (r || s)".into(),
            found: format!("{} bytes", bytes.len()),
        });
    }
    Ok((
        left_pad(&bytes[..32]).expect("32 bytes"),
        left_pad(&bytes[32..]).expect("32 bytes"),
    ))
}

/// DER ECDSA-Sig-Value with minimal INTEGERs (verified by `openssl dgst -verify`).
pub fn signature_to_der(r: &Bytes32, s: &Bytes32) -> Vec<u8> {
    EcdsaSigValue {
        r: UintRef::new(r).expect("32-byte integer"),
        s: UintRef::new(s).expect("32-byte integer"),
    }
    .to_der()
    .expect("DER encoding of two 32-byte integers cannot fail")
}

/// The raw IEEE P1363 form `r‖s`.
pub fn signature_to_p1363(r: &Bytes32, s: &Bytes32) -> [u8; 64] {
    let mut out = [0u8; 64];
    out[..32].copy_from_slice(r);
    out[32..].copy_from_slice(s);
    out
}
