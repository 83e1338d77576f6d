//! Marginalia's own JSON format, version 1: one shape for one document or a
//! whole corpus, with labels, annotations and (unless left out) texts.
//! `start`/`end` are half-open code point offsets into `text`;
//! `utf16_start`/`utf16_end` are the same positions as JavaScript counts them.
//! The JSON Schema is `schema/marginalia-v1.schema.json`.
//!
//! A file may leave the texts out (`ExportOptions::include_text == false`)
//! when the receiver already has them: each document keeps its `sha256` and
//! `length`, each annotation its quoted `text`, so the importer can find the
//! document and verify or re-anchor every span.
//!
//! [`parse`] checks everything the schema cannot: hashes, lengths, ranges,
//! quoted texts, UTF-16 offsets, declared labels and unique ids, and names the
//! field that is wrong. [`parse_with_texts`] turns a file that carries its
//! texts into documents for the store (the `?load=` startup path).

use std::collections::HashSet;

use serde::{Deserialize, Serialize};

use super::interchange::{
    FormatKind, ImportError, Interchange, InterchangeDocument, InterchangeSpan,
};
use super::{
    first_repeat, from_json, import_error, is_sha256_hex, sorted_annotations, utf16_len,
    value_start, ExportOptions, IndexedText,
};
use crate::model::{Annotation, Document, Label, Status};
use crate::store::Entry;

pub const FORMAT: &str = "marginalia";
pub const VERSION: u32 = 1;
pub const OFFSET_UNIT: &str = "codepoint";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeFile {
    pub format: String,
    pub version: u32,
    pub offset_unit: String,
    pub exported_at: String,
    pub labels: Vec<Label>,
    pub documents: Vec<NativeDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeDocument {
    pub name: String,
    pub sha256: String,
    /// In code points.
    pub length: usize,
    /// Absent when the export left the texts out.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
    /// `not_started`, `in_progress` or `done`; absent means not started.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub status: Option<Status>,
    pub annotations: Vec<NativeAnnotation>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NativeAnnotation {
    pub id: String,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub text: String,
    pub utf16_start: usize,
    pub utf16_end: usize,
    pub created_at: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// The file for `entries` (in the given order), one annotation per line
/// ([`super::json_layout`]).
pub fn export(entries: &[&Entry], labels: &[Label], options: &ExportOptions) -> String {
    let file = NativeFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        offset_unit: OFFSET_UNIT.to_owned(),
        exported_at: options.exported_at.clone(),
        labels: labels.to_vec(),
        documents: entries
            .iter()
            .map(|e| export_document(e, options.include_text))
            .collect(),
    };
    // File → documents → a document → annotations → each on its own line.
    super::json_layout::to_string_with_records(&file, 5)
}

fn export_document(entry: &Entry, include_text: bool) -> NativeDocument {
    let doc = &entry.doc;
    NativeDocument {
        name: doc.name.clone(),
        sha256: doc.sha256().to_owned(),
        length: doc.len(),
        text: include_text.then(|| doc.text().to_owned()),
        status: Some(entry.status),
        annotations: sorted_annotations(entry)
            .into_iter()
            .map(|a| NativeAnnotation {
                id: a.id.clone(),
                label: a.label.clone(),
                start: a.start,
                end: a.end,
                text: doc.slice(a.start, a.end).to_owned(),
                utf16_start: doc.utf16_of(a.start),
                utf16_end: doc.utf16_of(a.end),
                created_at: a.created_at.clone(),
                note: a.note.clone(),
            })
            .collect(),
    }
}

/// Reads a native file, all or nothing: either every document and annotation
/// is valid, or the first problem is returned.
pub fn parse(input: &str) -> Result<Interchange, ImportError> {
    // serde would read an array as the object's fields in order; refuse it here.
    if input.trim_start().starts_with('[') {
        return Err(import_error(
            value_start(input),
            "found a JSON array; expected a Marginalia file, a JSON object with \"format\": \"marginalia\"",
        ));
    }
    let file: NativeFile = from_json(input)?;
    if file.format != FORMAT {
        return Err(import_error(
            "format",
            format!("expected \"{FORMAT}\", found {:?}", file.format),
        ));
    }
    if file.version != VERSION {
        return Err(import_error(
            "version",
            format!(
                "this Marginalia reads version {VERSION}, the file is version {}",
                file.version
            ),
        ));
    }
    if file.offset_unit != OFFSET_UNIT {
        return Err(import_error(
            "offset_unit",
            format!("expected \"{OFFSET_UNIT}\", found {:?}", file.offset_unit),
        ));
    }
    let mut labels = HashSet::new();
    for (l, label) in file.labels.iter().enumerate() {
        if !labels.insert(label.name.as_str()) {
            return Err(import_error(
                format!("labels[{l}].name"),
                format!("{:?} is declared twice", label.name),
            ));
        }
    }
    // Looked up for every annotation: sorted, searched by bisection.
    let mut labels: Vec<&str> = labels.into_iter().collect();
    labels.sort_unstable();
    let documents = file
        .documents
        .iter()
        .enumerate()
        .map(|(d, nd)| check_document(d, nd, &labels))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(Interchange {
        format: FormatKind::Native,
        labels: file.labels,
        documents,
    })
}

fn check_document(
    d: usize,
    nd: &NativeDocument,
    labels: &[&str],
) -> Result<InterchangeDocument, ImportError> {
    let at = |field: &str| format!("documents[{d}].{field}");
    let text = nd.text.as_deref().map(IndexedText::new);
    match &text {
        Some(text) => {
            let sha256 = super::sha256_hex(text.text);
            if sha256 != nd.sha256 {
                return Err(import_error(
                    at("sha256"),
                    format!("does not match the text (its SHA-256 is {sha256})"),
                ));
            }
            if text.len() != nd.length {
                return Err(import_error(
                    at("length"),
                    format!(
                        "is {}, but the text has {} code points",
                        nd.length,
                        text.len()
                    ),
                ));
            }
        }
        None if !is_sha256_hex(&nd.sha256) => {
            return Err(import_error(
                at("sha256"),
                format!(
                    "expected 64 lower-case hexadecimal digits, found {:?}",
                    nd.sha256
                ),
            ));
        }
        None => {}
    }
    let mut spans = Vec::with_capacity(nd.annotations.len());
    // How many annotations were looked at: an id used twice among them comes
    // before any other problem (each annotation's id is checked first).
    let mut reached = 0;
    let checked = (|| {
        for (i, na) in nd.annotations.iter().enumerate() {
            reached = i + 1;
            spans.push(check_annotation(d, i, na, nd, text.as_ref(), labels)?);
        }
        Ok(())
    })();
    let ids = nd.annotations[..reached].iter().enumerate();
    if let Some((id, i)) = first_repeat(ids.map(|(i, na)| (na.id.as_str(), i))) {
        return Err(import_error(
            format!("documents[{d}].annotations[{i}].id"),
            format!("{id:?} is used twice in this document"),
        ));
    }
    checked?;
    Ok(InterchangeDocument {
        name: Some(nd.name.clone()),
        sha256: Some(nd.sha256.clone()),
        text: nd.text.clone(),
        status: nd.status,
        spans,
    })
}

/// One annotation of document `d` (the `i`-th), but for its id.
fn check_annotation(
    d: usize,
    i: usize,
    na: &NativeAnnotation,
    nd: &NativeDocument,
    text: Option<&IndexedText>,
    labels: &[&str],
) -> Result<InterchangeSpan, ImportError> {
    let at = |field: &str| format!("documents[{d}].annotations[{i}].{field}");
    if labels.binary_search(&na.label.as_str()).is_err() {
        return Err(import_error(
            at("label"),
            format!("{:?} is not declared in the file's labels", na.label),
        ));
    }
    if na.start >= na.end {
        return Err(import_error(
            at("end"),
            format!(
                "must be greater than start ({}), found {}",
                na.start, na.end
            ),
        ));
    }
    if na.end > nd.length {
        return Err(import_error(
            at("end"),
            format!(
                "{} is past the end of the text ({} code points)",
                na.end, nd.length
            ),
        ));
    }
    match text {
        Some(text) => check_against_text(na, text, &at)?,
        None => check_without_text(na, &at)?,
    }
    Ok(InterchangeSpan {
        id: Some(na.id.clone()),
        label: na.label.clone(),
        start: na.start,
        end: na.end,
        quote: Some(na.text.clone()),
        prefix: None,
        suffix: None,
        note: na.note.clone().filter(|n| !n.is_empty()),
        created_at: Some(na.created_at.clone()),
    })
}

/// The quote and the UTF-16 offsets must be exactly the text's.
fn check_against_text(
    na: &NativeAnnotation,
    text: &IndexedText,
    at: &dyn Fn(&str) -> String,
) -> Result<(), ImportError> {
    let quoted = text.slice(na.start, na.end);
    if quoted != na.text {
        return Err(import_error(
            at("text"),
            format!(
                "is {:?}, but the text at {}..{} is {:?}",
                na.text, na.start, na.end, quoted
            ),
        ));
    }
    let (u16s, u16e) = (text.utf16_of(na.start), text.utf16_of(na.end));
    if (na.utf16_start, na.utf16_end) != (u16s, u16e) {
        // Name the field that is wrong (the start when both are).
        let field = if na.utf16_start != u16s {
            "utf16_start"
        } else {
            "utf16_end"
        };
        return Err(import_error(
            at(field),
            format!(
                "UTF-16 offsets {}..{} do not match code points {}..{} (expected {u16s}..{u16e})",
                na.utf16_start, na.utf16_end, na.start, na.end
            ),
        ));
    }
    Ok(())
}

/// Without the text, the quote must still fit the range, and the UTF-16
/// offsets must fit the quote.
fn check_without_text(
    na: &NativeAnnotation,
    at: &dyn Fn(&str) -> String,
) -> Result<(), ImportError> {
    let quote_len = na.text.chars().count();
    if quote_len != na.end - na.start {
        return Err(import_error(
            at("text"),
            format!(
                "has {quote_len} code points, but {}..{} spans {}",
                na.start,
                na.end,
                na.end - na.start
            ),
        ));
    }
    // A UTF-16 offset is never smaller than the code point offset of the same place.
    if na.utf16_start < na.start {
        return Err(import_error(
            at("utf16_start"),
            format!(
                "{} is less than start ({}); UTF-16 offsets are at least the code point offsets",
                na.utf16_start, na.start
            ),
        ));
    }
    let units = utf16_len(&na.text);
    if na.utf16_end.checked_sub(na.utf16_start) != Some(units) {
        return Err(import_error(
            at("utf16_end"),
            format!(
                "UTF-16 offsets {}..{} do not fit the quoted text, which is {units} UTF-16 units long (expected {}..{})",
                na.utf16_start,
                na.utf16_end,
                na.utf16_start,
                na.utf16_start + units
            ),
        ));
    }
    Ok(())
}

/// One document of a parsed file, ready for the store.
#[derive(Debug)]
pub struct Parsed {
    pub document: Document,
    pub status: Status,
    pub annotations: Vec<Annotation>,
}

/// Reads a native file that carries its texts (as the `?load=` file at
/// startup does) into documents for the store, all or nothing.
pub fn parse_with_texts(input: &str) -> Result<(Vec<Label>, Vec<Parsed>), ImportError> {
    let interchange = parse(input)?;
    let mut out = Vec::with_capacity(interchange.documents.len());
    for (d, doc) in interchange.documents.into_iter().enumerate() {
        let (Some(name), Some(text)) = (doc.name, doc.text) else {
            return Err(import_error(
                format!("documents[{d}]"),
                "missing field `text`: this file must carry the documents' texts",
            ));
        };
        let annotations = doc
            .spans
            .into_iter()
            .map(|s| Annotation {
                // parse gives every native span its id and creation time
                id: s.id.unwrap_or_default(),
                label: s.label,
                start: s.start,
                end: s.end,
                created_at: s.created_at.unwrap_or_default(),
                note: s.note,
            })
            .collect();
        out.push(Parsed {
            document: Document::new(&name, &text),
            status: doc.status.unwrap_or_default(),
            annotations,
        });
    }
    Ok((interchange.labels, out))
}
