//! What Marginalia keeps in browser storage, and its encoding: one record per
//! document's annotations (keyed by the document's SHA-256, so an edit
//! rewrites only that document) and one for the session (which document is
//! open). Pure; `persist` does the storing.
//!
//! Records carry a version so that a later Marginalia can read older ones.

use serde::{Deserialize, Serialize};

use crate::model::{Annotation, Document};

pub const KEY_PREFIX: &str = "marginalia/v1/";

/// Storage key of a document's annotations.
pub fn annotations_key(sha256: &str) -> String {
    format!("{KEY_PREFIX}annotations/{sha256}")
}

/// The document (SHA-256) an annotations key belongs to.
pub fn sha_of_annotations_key(key: &str) -> Option<&str> {
    key.strip_prefix(KEY_PREFIX)?.strip_prefix("annotations/")
}

pub fn session_key() -> String {
    format!("{KEY_PREFIX}session")
}

/// Where an unreadable record is copied before anything could overwrite it.
pub fn unreadable_key(key: &str, when: &str) -> String {
    format!("{KEY_PREFIX}unreadable/{when}/{key}")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct AnnotationsRecord {
    version: u32,
    /// The document's name when saved, for a person reading storage by hand.
    name: String,
    annotations: Vec<Annotation>,
}

pub fn encode_annotations(doc: &Document, annotations: &[Annotation]) -> String {
    serde_json::to_string(&AnnotationsRecordRef {
        version: 1,
        name: &doc.name,
        annotations,
    })
    .expect("annotations always serialise")
}

#[derive(Serialize)]
struct AnnotationsRecordRef<'a> {
    version: u32,
    name: &'a str,
    annotations: &'a [Annotation],
}

/// Reads a stored record for `doc`, checking every range against the text.
pub fn decode_annotations(doc: &Document, json: &str) -> Result<Vec<Annotation>, String> {
    let record: AnnotationsRecord =
        serde_json::from_str(json).map_err(|e| format!("stored annotations are damaged: {e}"))?;
    if record.version != 1 {
        return Err(format!(
            "stored annotations have unknown version {}",
            record.version
        ));
    }
    for (i, a) in record.annotations.iter().enumerate() {
        if a.start >= a.end || a.end > doc.len() {
            return Err(format!(
                "stored annotation {i} has range {}..{}, outside the document's {} characters",
                a.start,
                a.end,
                doc.len()
            ));
        }
    }
    Ok(record.annotations)
}

#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct Session {
    /// SHA-256 of the open document.
    pub open: Option<String>,
}

pub fn encode_session(session: &Session) -> String {
    serde_json::to_string(session).expect("session always serialises")
}

pub fn decode_session(json: &str) -> Option<Session> {
    serde_json::from_str(json).ok()
}
