//! Hex text: surrounding whitespace and an optional `0x` are allowed, nothing else.

use super::FormatError;

/// Decodes hex text whose digit count is one of `lengths` (in hex digits); `expected`
/// describes the accepted forms for the error message.
pub(crate) fn decode(
    what: &'static str,
    text: &str,
    lengths: &[usize],
    expected: &str,
) -> Result<Vec<u8>, FormatError> {
    let t = text.trim();
    let t = t
        .strip_prefix("0x")
        .or_else(|| t.strip_prefix("0X"))
        .unwrap_or(t);
    if let Some((i, c)) = t.char_indices().find(|(_, c)| !c.is_ascii_hexdigit()) {
        return Err(FormatError::Invalid {
            what,
            expected: expected.to_string(),
            found: format!("non-hex character {c:?} at offset {i}"),
        });
    }
    if !lengths.contains(&t.len()) {
        return Err(FormatError::Invalid {
            what,
            expected: expected.to_string(),
            found: format!("{} hex digits", t.len()),
        });
    }
    // Even length and all digits checked above, so this cannot fail.
    hex::decode(t).map_err(|e| FormatError::Invalid {
        what,
        expected: expected.to_string(),
        found: e.to_string(),
    })
}
