//! PEM framing (RFC 7468) and the text/binary sniffing of inputs.

use super::FormatError;

/// How an input file looks: PEM text, other text (hex), or binary (DER).
pub(crate) enum Input<'a> {
    Pem(&'a str),
    Text(&'a str),
    Binary(&'a [u8]),
}

/// Text is valid UTF-8 made of printable ASCII and whitespace; DER never is (its
/// headers contain control bytes such as 0x02 and 0x06).
pub(crate) fn classify(input: &[u8]) -> Input<'_> {
    match std::str::from_utf8(input) {
        Ok(s)
            if s.chars()
                .all(|c| c.is_ascii_graphic() || c.is_ascii_whitespace()) =>
        {
            if s.contains("-----BEGIN ") {
                Input::Pem(s)
            } else {
                Input::Text(s)
            }
        }
        _ => Input::Binary(input),
    }
}

/// One decoded PEM block.
pub(crate) struct Block {
    pub label: String,
    pub der: Vec<u8>,
    /// RFC 1421 headers (`Proc-Type: 4,ENCRYPTED`): a legacy encrypted key.
    pub encrypted: bool,
}

/// Every `-----BEGIN L----- ... -----END L-----` block in `text`, in order. Text between
/// blocks (e.g. `openssl ec -text` output) is ignored, as RFC 7468 allows.
pub(crate) fn blocks(what: &'static str, text: &str) -> Result<Vec<Block>, FormatError> {
    let err = |message: String| FormatError::Pem { what, message };
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find("-----BEGIN ") {
        let after = &rest[start + "-----BEGIN ".len()..];
        let label_end = after
            .find("-----")
            .ok_or_else(|| err("unterminated -----BEGIN line".into()))?;
        let label = &after[..label_end];
        let end_marker = format!("-----END {label}-----");
        let end = rest[start..]
            .find(&end_marker)
            .ok_or_else(|| err(format!("no `{end_marker}` line")))?;
        let block = &rest[start..start + end + end_marker.len()];
        rest = &rest[start + end + end_marker.len()..];
        if block.contains("Proc-Type:") {
            out.push(Block {
                label: label.to_string(),
                der: Vec::new(),
                encrypted: true,
            });
            continue;
        }
        let (decoded_label, der) = pem_rfc7468::decode_vec(block.as_bytes())
            .map_err(|e| err(format!("{e} (in the `{label}` block)")))?;
        out.push(Block {
            label: decoded_label.to_string(),
            der,
            encrypted: false,
        });
    }
    if out.is_empty() {
        return Err(err("no -----BEGIN ...----- block".into()));
    }
    Ok(out)
}

/// Formats the labels found, for "expected ..., found ..." messages.
pub(crate) fn labels(blocks: &[Block]) -> String {
    blocks
        .iter()
        .map(|b| format!("`{}`", b.label))
        .collect::<Vec<_>>()
        .join(", ")
}

/// DER wrapped as PEM with LF line endings and 64-column lines (what openssl writes).
pub(crate) fn encode(label: &str, der: &[u8]) -> String {
    pem_rfc7468::encode_string(label, pem_rfc7468::LineEnding::LF, der)
        .expect("PEM encoding of an in-memory DER value cannot fail")
}
