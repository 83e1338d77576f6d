//! What the user may type for a label (name, colour, key) or a document
//! name, checked before any action uses it.

use super::Rejection;
use crate::model::Label;

/// A label name, trimmed: non-empty, on one line, and not the name of
/// another label (ignoring case, so "Claim" cannot sit beside "claim").
/// `except` is the position of the label being renamed.
pub(super) fn label_name(
    raw: &str,
    labels: &[Label],
    except: Option<usize>,
) -> Result<String, Rejection> {
    let name = raw.trim();
    if name.is_empty() {
        return Err(Rejection::LabelNameEmpty);
    }
    if name.chars().any(char::is_control) {
        return Err(Rejection::LabelNameInvalid(name.to_owned()));
    }
    let lower = name.to_lowercase();
    let taken = labels
        .iter()
        .enumerate()
        .find(|&(i, l)| Some(i) != except && l.name.to_lowercase() == lower);
    match taken {
        Some((_, other)) => Err(Rejection::LabelExists(other.name.clone())),
        None => Ok(name.to_owned()),
    }
}

/// `#rrggbb`, returned in lower case.
pub(super) fn color(raw: &str) -> Result<String, Rejection> {
    let color = raw.trim();
    match color.strip_prefix('#') {
        Some(hex) if hex.len() == 6 && hex.chars().all(|c| c.is_ascii_hexdigit()) => {
            Ok(color.to_ascii_lowercase())
        }
        _ => Err(Rejection::InvalidColor(raw.to_owned())),
    }
}

/// One visible character that no other label uses. `except` is the
/// position of the label being rebound.
pub(super) fn key(raw: &str, labels: &[Label], except: Option<usize>) -> Result<String, Rejection> {
    let mut chars = raw.chars();
    match (chars.next(), chars.next()) {
        (Some(c), None) if !c.is_whitespace() && !c.is_control() => {}
        _ => return Err(Rejection::InvalidKey(raw.to_owned())),
    }
    let taken = labels
        .iter()
        .enumerate()
        .find(|&(i, l)| Some(i) != except && l.key == raw);
    match taken {
        Some((_, other)) => Err(Rejection::KeyInUse {
            key: raw.to_owned(),
            label: other.name.clone(),
        }),
        None => Ok(raw.to_owned()),
    }
}

/// A document name, trimmed: non-empty and on one line.
pub(super) fn document_name(raw: &str) -> Result<String, Rejection> {
    let name = raw.trim();
    if name.is_empty() || name.chars().any(char::is_control) {
        return Err(Rejection::InvalidDocumentName(raw.to_owned()));
    }
    Ok(name.to_owned())
}
