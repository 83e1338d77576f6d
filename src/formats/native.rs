//! Marginalia's own JSON format, version 1: one shape for one document or a
//! whole corpus, with texts, labels and annotations. `start`/`end` are
//! half-open code point offsets into `text`; `utf16_start`/`utf16_end` are the
//! same positions as JavaScript counts them. The JSON Schema is
//! `schema/marginalia-v1.schema.json`.
//!
//! [`parse`] checks everything the schema cannot: hashes, lengths, ranges,
//! quoted texts and declared labels, and names the field that is wrong.

use std::collections::HashSet;
use std::fmt;

use serde::{Deserialize, Serialize};
use serde_json::error::Category;

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
    pub text: String,
    /// `not_started`, `in_progress` or `done`; absent means not started.
    #[serde(default)]
    pub status: Status,
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

/// The file for `entries` (in the given order), pretty-printed.
pub fn export(entries: &[&Entry], labels: &[Label], exported_at: &str) -> String {
    let file = NativeFile {
        format: FORMAT.to_owned(),
        version: VERSION,
        offset_unit: OFFSET_UNIT.to_owned(),
        exported_at: exported_at.to_owned(),
        labels: labels.to_vec(),
        documents: entries.iter().map(|e| export_document(e)).collect(),
    };
    serde_json::to_string_pretty(&file).expect("export types always serialise")
}

fn export_document(entry: &Entry) -> NativeDocument {
    let doc = &entry.doc;
    let mut annotations: Vec<&Annotation> = entry.annotations.iter().collect();
    annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    NativeDocument {
        name: doc.name.clone(),
        sha256: doc.sha256().to_owned(),
        length: doc.len(),
        text: doc.text().to_owned(),
        status: entry.status,
        annotations: annotations
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

/// What is wrong with a file, and where.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// Where: a field path such as `documents[0].annotations[3].end`, or
    /// `line 4, column 17` for a syntax error.
    pub at: String,
    pub problem: String,
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.at, self.problem)
    }
}

impl std::error::Error for ParseError {}

fn error(at: impl Into<String>, problem: impl Into<String>) -> ParseError {
    ParseError {
        at: at.into(),
        problem: problem.into(),
    }
}

/// One document of a parsed file, ready for the store.
#[derive(Debug)]
pub struct Parsed {
    pub document: Document,
    pub status: Status,
    pub annotations: Vec<Annotation>,
}

/// Reads a native file, all or nothing: either every document and annotation
/// is valid, or the first problem is returned.
pub fn parse(json: &str) -> Result<(Vec<Label>, Vec<Parsed>), ParseError> {
    let mut de = serde_json::Deserializer::from_str(json);
    let file: NativeFile = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let inner = e.inner();
        let path = e.path().to_string();
        let position = format!("line {}, column {}", inner.line(), inner.column());
        let at = match (path.as_str(), inner.classify()) {
            (".", _) => position,
            (_, Category::Syntax | Category::Eof) => format!("{path} ({position})"),
            _ => path,
        };
        error(at, strip_position(&inner.to_string()))
    })?;
    de.end().map_err(|e| {
        error(
            format!("line {}, column {}", e.line(), e.column()),
            "unexpected content after the end of the JSON value",
        )
    })?;
    if file.format != FORMAT {
        return Err(error(
            "format",
            format!("expected \"{FORMAT}\", found {:?}", file.format),
        ));
    }
    if file.version != VERSION {
        return Err(error(
            "version",
            format!(
                "this Marginalia reads version {VERSION}, the file is version {}",
                file.version
            ),
        ));
    }
    if file.offset_unit != OFFSET_UNIT {
        return Err(error(
            "offset_unit",
            format!("expected \"{OFFSET_UNIT}\", found {:?}", file.offset_unit),
        ));
    }
    let labels: HashSet<&str> = file.labels.iter().map(|l| l.name.as_str()).collect();
    let mut out = Vec::with_capacity(file.documents.len());
    for (d, nd) in file.documents.iter().enumerate() {
        let at = |field: &str| format!("documents[{d}].{field}");
        let document = Document::new(&nd.name, &nd.text);
        if document.sha256() != nd.sha256 {
            return Err(error(
                at("sha256"),
                format!(
                    "does not match the text (its SHA-256 is {})",
                    document.sha256()
                ),
            ));
        }
        if document.len() != nd.length {
            return Err(error(
                at("length"),
                format!(
                    "is {}, but the text has {} code points",
                    nd.length,
                    document.len()
                ),
            ));
        }
        let mut annotations = Vec::with_capacity(nd.annotations.len());
        let mut ids = HashSet::new();
        for (i, na) in nd.annotations.iter().enumerate() {
            let at = |field: &str| format!("documents[{d}].annotations[{i}].{field}");
            if !ids.insert(na.id.as_str()) {
                return Err(error(
                    at("id"),
                    format!("{:?} is used twice in this document", na.id),
                ));
            }
            if !labels.contains(na.label.as_str()) {
                return Err(error(
                    at("label"),
                    format!("{:?} is not declared in the file's labels", na.label),
                ));
            }
            if na.start >= na.end {
                return Err(error(
                    at("end"),
                    format!(
                        "must be greater than start ({}), found {}",
                        na.start, na.end
                    ),
                ));
            }
            if na.end > document.len() {
                return Err(error(
                    at("end"),
                    format!(
                        "{} is past the end of the text ({} code points)",
                        na.end,
                        document.len()
                    ),
                ));
            }
            let quoted = document.slice(na.start, na.end);
            if quoted != na.text {
                return Err(error(
                    at("text"),
                    format!(
                        "is {:?}, but the text at {}..{} is {:?}",
                        na.text, na.start, na.end, quoted
                    ),
                ));
            }
            let (u16s, u16e) = (document.utf16_of(na.start), document.utf16_of(na.end));
            if (na.utf16_start, na.utf16_end) != (u16s, u16e) {
                // Name the field that is wrong (the start when both are).
                let field = if na.utf16_start != u16s {
                    "utf16_start"
                } else {
                    "utf16_end"
                };
                return Err(error(
                    at(field),
                    format!(
                        "UTF-16 offsets {}..{} do not match code points {}..{} (expected {u16s}..{u16e})",
                        na.utf16_start, na.utf16_end, na.start, na.end
                    ),
                ));
            }
            annotations.push(Annotation {
                id: na.id.clone(),
                label: na.label.clone(),
                start: na.start,
                end: na.end,
                created_at: na.created_at.clone(),
                note: na.note.clone().filter(|n| !n.is_empty()),
            });
        }
        out.push(Parsed {
            document,
            status: nd.status,
            annotations,
        });
    }
    Ok((file.labels, out))
}

/// serde_json appends " at line L column C" to its messages; the path says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}
