//! File formats, one module each. Every format reads and writes code point
//! offsets and says so in the file; UTF-16 offsets appear only as extra fields.
//!
//! Each text format has the same two entry points, so callers can dispatch on
//! [`FormatKind`](interchange::FormatKind):
//! - `export(entries: &[&Entry], labels: &[Label], options: &ExportOptions) -> String`
//! - `parse(input: &str) -> Result<Interchange, ImportError>`: strict, all or
//!   nothing; the error names the first problem, where it is (`line N`, a
//!   field path, or `line N, column M`) and what was expected.
//!
//! This module also holds what the formats share: the options, hashing,
//! span order, ids used twice, and turning serde_json errors into
//! [`ImportError`]s.

pub mod brat;
pub mod csv;
pub mod interchange;
pub mod json_layout;
pub mod jsonl;
pub mod label_studio;
pub mod native;
pub mod w3c;
pub mod zip;

use serde_json::error::Category;
use sha2::{Digest, Sha256};

use crate::model::Annotation;
use crate::store::Entry;
use crate::text::OffsetIndex;
use interchange::ImportError;

/// An export's contents: text for every format but brat's zip.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Exported {
    Text(String),
    Binary(Vec<u8>),
}

/// Exports `entries` in `format`.
pub fn export(
    format: interchange::FormatKind,
    entries: &[&Entry],
    labels: &[crate::model::Label],
    options: &ExportOptions,
) -> Exported {
    use interchange::FormatKind;
    match format {
        FormatKind::Native => Exported::Text(native::export(entries, labels, options)),
        FormatKind::Jsonl => Exported::Text(jsonl::export(entries, labels, options)),
        FormatKind::W3c => Exported::Text(w3c::export(entries, labels, options)),
        FormatKind::Brat => Exported::Binary(brat::export(entries, labels, options)),
        FormatKind::LabelStudio => Exported::Text(label_studio::export(entries, labels, options)),
        FormatKind::Csv => Exported::Text(csv::export(entries, labels, options)),
    }
}

/// What an export should contain beyond the annotations themselves.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportOptions {
    /// When the file is written, RFC 3339 (the caller owns the clock).
    pub exported_at: String,
    /// Whether documents carry their full texts. Only the native format can
    /// leave them out; the others always carry what they need (JSONL and
    /// Label Studio the texts, CSV the span texts).
    pub include_text: bool,
}

/// Lower-case hex SHA-256 of the UTF-8 bytes of `text`: the same identity as
/// [`Document::sha256`](crate::model::Document::sha256), computed without
/// building a whole document.
pub(crate) fn sha256_hex(text: &str) -> String {
    Sha256::digest(text.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Whether `s` looks like a SHA-256 as files write it: 64 lower-case hex digits.
pub(crate) fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64
        && s.bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// Of `keys` (an id, or a document and an id, with its place in file
/// order), the first place whose key an earlier place has, with that key.
/// Found by sorting once rather than hashing and copying every id into a
/// set: a file brings tens of thousands, and sorting cannot be slowed down
/// by ids crafted to collide. A parser that stops at another problem calls
/// this on the ids before it, so the first problem in the file is reported.
pub(crate) fn first_repeat<K: Ord + Copy>(
    keys: impl IntoIterator<Item = (K, usize)>,
) -> Option<(K, usize)> {
    let mut keys: Vec<(K, usize)> = keys.into_iter().collect();
    keys.sort_unstable();
    keys.windows(2)
        .filter(|pair| pair[0].0 == pair[1].0)
        .map(|pair| pair[1])
        .min_by_key(|&(_, place)| place)
}

/// An entry's annotations in the order every export writes them.
pub(crate) fn sorted_annotations(entry: &Entry) -> Vec<&Annotation> {
    let mut annotations: Vec<&Annotation> = entry.annotations.iter().map(|a| &**a).collect();
    annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    annotations
}

/// A text a file carries, indexed for slicing by code points.
pub(crate) struct IndexedText<'t> {
    pub text: &'t str,
    pub index: OffsetIndex,
}

impl<'t> IndexedText<'t> {
    pub fn new(text: &'t str) -> Self {
        IndexedText {
            text,
            index: OffsetIndex::new(text),
        }
    }

    /// Length in code points.
    pub fn len(&self) -> usize {
        self.index.len_chars()
    }

    pub fn slice(&self, start: usize, end: usize) -> &'t str {
        self.index.slice(self.text, start, end)
    }

    pub fn utf16_of(&self, cp: usize) -> usize {
        self.index.utf16_of(self.text, cp)
    }
}

/// Length of `s` in UTF-16 code units.
pub(crate) fn utf16_len(s: &str) -> usize {
    s.chars().map(char::len_utf16).sum()
}

pub(crate) fn import_error(at: impl Into<String>, problem: impl Into<String>) -> ImportError {
    ImportError {
        file: None,
        at: at.into(),
        problem: problem.into(),
    }
}

/// Deserializes `input` as one JSON value of type `T`, all of it: a syntax
/// error is reported as `line L, column C` (with the field path when there is
/// one), a wrong or missing field by its path, and anything after the value
/// as trailing content.
pub(crate) fn from_json<T: serde::de::DeserializeOwned>(input: &str) -> Result<T, ImportError> {
    // Tracking the path costs on every value; a valid file (the usual case)
    // is read without it, and a broken one read again to say where.
    if let Ok(value) = serde_json::from_str(input) {
        return Ok(value);
    }
    let mut de = serde_json::Deserializer::from_str(input);
    let value: T = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let mut what = JsonProblem::of(&e);
        what.column = char_column(input, what.line, what.column);
        let at = match (what.path, what.syntax) {
            (None, _) => format!("line {}, column {}", what.line, what.column),
            (Some(path), true) => {
                format!("{path} (line {}, column {})", what.line, what.column)
            }
            (Some(path), false) => path,
        };
        import_error(at, what.problem)
    })?;
    de.end().map_err(|e| {
        import_error(
            format!(
                "line {}, column {}",
                e.line(),
                char_column(input, e.line(), e.column())
            ),
            "unexpected content after the end of the JSON value",
        )
    })?;
    Ok(value)
}

/// `line L, column C` of the first character of `input` that is not
/// whitespace (where a JSON value starts).
pub(crate) fn value_start(input: &str) -> String {
    let skipped = &input[..input.len() - input.trim_start().len()];
    let line = skipped.matches('\n').count() + 1;
    let column = skipped.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    format!("line {line}, column {column}")
}

/// serde_json counts columns in bytes; people (and editors) count characters.
/// Turns the 1-based byte column of line `line` of `input` into the 1-based
/// character column of the character holding that byte (0 stays 0).
pub(crate) fn char_column(input: &str, line: usize, byte_column: usize) -> usize {
    let Some(text) = input.split('\n').nth(line.saturating_sub(1)) else {
        return byte_column;
    };
    if byte_column == 0 {
        return 0;
    }
    let mut byte = (byte_column - 1).min(text.len());
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    text[..byte].chars().count() + 1
}

/// Deserializes an already parsed JSON value as `T`, naming a wrong field by
/// its path below `path` (itself a field path such as `[0].annotations[1]`).
pub(crate) fn from_value<T: serde::de::DeserializeOwned>(
    value: serde_json::Value,
    path: &str,
) -> Result<T, ImportError> {
    serde_path_to_error::deserialize(value).map_err(|e| {
        let below = e.path().to_string();
        let at = match below.as_str() {
            "." => path.to_owned(),
            b if b.starts_with('[') => format!("{path}{b}"),
            b => format!("{path}.{b}"),
        };
        import_error(at, strip_position(&e.inner().to_string()))
    })
}

/// A serde_json error met while reading a value, taken apart.
pub(crate) struct JsonProblem {
    /// The field path, when the problem is inside the value (not at its root).
    pub path: Option<String>,
    /// A syntax error or an unexpected end, rather than a wrong field.
    pub syntax: bool,
    pub line: usize,
    pub column: usize,
    pub problem: String,
}

impl JsonProblem {
    pub fn of(e: &serde_path_to_error::Error<serde_json::Error>) -> Self {
        let inner = e.inner();
        // serde_path_to_error writes `?` for a key it has not read yet
        // (the file ended or broke first): say only what is known.
        let path = e.path().to_string();
        let path = path.strip_suffix(".?").unwrap_or(&path).to_owned();
        JsonProblem {
            path: (path != ".").then_some(path),
            syntax: matches!(inner.classify(), Category::Syntax | Category::Eof),
            line: inner.line(),
            column: inner.column(),
            problem: strip_position(&inner.to_string()),
        }
    }
}

/// serde_json appends " at line L column C" to its messages; the path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::first_repeat;

    #[test]
    fn first_repeat_is_the_earliest_second_use() {
        assert_eq!(first_repeat([("a", 0), ("b", 1), ("c", 2)]), None);
        assert_eq!(first_repeat(Vec::<(&str, usize)>::new()), None);
        // "b" is used again at 3 and "a" at 4 (and 6): 3 comes first.
        let ids = [
            ("a", 0),
            ("b", 1),
            ("c", 2),
            ("b", 3),
            ("a", 4),
            ("d", 5),
            ("a", 6),
        ];
        assert_eq!(first_repeat(ids), Some(("b", 3)));
        // Keys may be (document, id): the same id in two documents is no repeat.
        assert_eq!(first_repeat([((0, "x"), 0), ((1, "x"), 1)]), None);
    }
}
