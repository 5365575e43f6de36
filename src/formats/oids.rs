//! The object identifiers the formats check, and names for the ones people meet instead.

use super::FormatError;
use der::asn1::ObjectIdentifier;
use der::Tagged;

/// id-ecPublicKey (RFC 5480): the algorithm of EC keys in SPKI and PKCS#8.
pub(crate) const ID_EC_PUBLIC_KEY: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
/// prime256v1 / secp256r1 / NIST P-256.
pub(crate) const PRIME256V1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");

const CURVES: &[(&str, &str)] = &[
    ("1.2.840.10045.3.1.1", "prime192v1"),
    ("1.3.132.0.33", "secp224r1"),
    ("1.3.132.0.34", "secp384r1"),
    ("1.3.132.0.35", "secp521r1"),
    ("1.3.132.0.10", "secp256k1"),
    ("1.3.36.3.3.2.8.1.1.7", "brainpoolP256r1"),
    ("1.3.36.3.3.2.8.1.1.11", "brainpoolP384r1"),
    ("1.3.36.3.3.2.8.1.1.13", "brainpoolP512r1"),
    ("1.2.156.10197.1.301", "SM2"),
];

const ALGORITHMS: &[(&str, &str)] = &[
    ("1.2.840.113549.1.1.1", "rsaEncryption"),
    ("1.2.840.113549.1.1.10", "RSASSA-PSS"),
    ("1.2.840.10040.4.1", "DSA"),
    ("1.3.101.110", "X25519"),
    ("1.3.101.111", "X448"),
    ("1.3.101.112", "Ed25519"),
    ("1.3.101.113", "Ed448"),
    ("1.3.132.1.12", "id-ecDH"),
];

fn describe(oid: &ObjectIdentifier, table: &[(&str, &str)]) -> String {
    let dotted = oid.to_string();
    match table.iter().find(|(o, _)| *o == dotted) {
        Some((_, name)) => format!("{name} (OID {dotted})"),
        None => format!("OID {dotted}"),
    }
}

/// Accepts P-256 only; any other named curve is an error naming it.
pub(crate) fn check_curve(what: &'static str, oid: &ObjectIdentifier) -> Result<(), FormatError> {
    if *oid == PRIME256V1 {
        Ok(())
    } else {
        Err(FormatError::Curve {
            what,
            found: describe(oid, CURVES),
        })
    }
}

/// Accepts id-ecPublicKey only; any other key algorithm is an error naming it.
pub(crate) fn check_algorithm(
    what: &'static str,
    oid: &ObjectIdentifier,
) -> Result<(), FormatError> {
    if *oid == ID_EC_PUBLIC_KEY {
        Ok(())
    } else {
        Err(FormatError::Algorithm {
            what,
            found: describe(oid, ALGORITHMS),
        })
    }
}

/// The `parameters` of an id-ecPublicKey AlgorithmIdentifier: must be the P-256 OID.
pub(crate) fn check_ec_parameters(
    what: &'static str,
    parameters: Option<der::asn1::AnyRef<'_>>,
) -> Result<(), FormatError> {
    let any = parameters.ok_or_else(|| FormatError::Invalid {
        what,
        expected: "named-curve parameters (P-256) in the AlgorithmIdentifier".into(),
        found: "none".into(),
    })?;
    let oid = ObjectIdentifier::try_from(any).map_err(|_| FormatError::Unsupported {
        what,
        message: format!(
            "expected a named curve OID as EC parameters, found {} (explicit curve parameters are not supported)",
            any.tag()
        ),
    })?;
    check_curve(what, &oid)
}
