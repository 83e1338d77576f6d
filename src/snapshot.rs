//! What Marginalia keeps in browser storage, and its encoding: one record per
//! document's annotations (keyed by the document's SHA-256, so an edit
//! rewrites only that document), one for the corpus (order, names, statuses,
//! which texts the user brought, which bundled articles were removed), one
//! for the label set, and one for the session (which document is open, the
//! snapping setting). Pure; `persist` does the storing (user texts
//! themselves go to IndexedDB).
//!
//! Records carry a version so that a later Marginalia can read older ones.

use std::borrow::Borrow;

use serde::{Deserialize, Serialize};

use crate::model::{Annotation, Document, Label, Status};

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

/// The stored record of `annotations` (any `Borrow<Annotation>`: the store
/// shares each one).
pub fn encode_annotations<A: Borrow<Annotation>>(doc: &Document, annotations: &[A]) -> String {
    serde_json::to_string(&AnnotationsRecordRef {
        version: 1,
        name: &doc.name,
        annotations: Each(annotations),
    })
    .expect("annotations always serialise")
}

#[derive(Serialize)]
#[serde(bound(serialize = "A: Borrow<Annotation>"))]
struct AnnotationsRecordRef<'a, A> {
    version: u32,
    name: &'a str,
    annotations: Each<'a, A>,
}

/// A list serialised as its annotations.
struct Each<'a, A>(&'a [A]);

impl<A: Borrow<Annotation>> Serialize for Each<'_, A> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.0.iter().map(Borrow::borrow))
    }
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
    /// Selections snap to exact characters instead of whole words.
    #[serde(default)]
    pub exact_characters: bool,
}

pub fn encode_session(session: &Session) -> String {
    serde_json::to_string(session).expect("session always serialises")
}

pub fn decode_session(json: &str) -> Option<Session> {
    serde_json::from_str(json).ok()
}

pub fn labels_key() -> String {
    format!("{KEY_PREFIX}labels")
}

pub fn corpus_key() -> String {
    format!("{KEY_PREFIX}corpus")
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
struct LabelsRecord {
    version: u32,
    labels: Vec<Label>,
}

pub fn encode_labels(labels: &[Label]) -> String {
    serde_json::to_string(&LabelsRecord {
        version: 1,
        labels: labels.to_vec(),
    })
    .expect("labels always serialise")
}

/// Reads the stored label set; it must name at least one label, each name
/// and key once.
pub fn decode_labels(json: &str) -> Result<Vec<Label>, String> {
    let record: LabelsRecord =
        serde_json::from_str(json).map_err(|e| format!("the stored labels are damaged: {e}"))?;
    if record.version != 1 {
        return Err(format!(
            "the stored labels have unknown version {}",
            record.version
        ));
    }
    if record.labels.is_empty() {
        return Err("the stored label set is empty".into());
    }
    for (i, label) in record.labels.iter().enumerate() {
        let earlier = &record.labels[..i];
        if earlier.iter().any(|l| l.name == label.name) {
            return Err(format!("the stored labels name {:?} twice", label.name));
        }
        if earlier.iter().any(|l| l.key == label.key) {
            return Err(format!("the stored labels bind key {:?} twice", label.key));
        }
    }
    Ok(record.labels)
}

/// What storage knows of one document besides its text and annotations.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DocumentMeta {
    pub sha256: String,
    pub name: String,
    #[serde(default)]
    pub status: Status,
    /// The user brought this text (it is in the text store), as opposed to
    /// a bundled article.
    #[serde(default)]
    pub user_text: bool,
}

/// The corpus as the user arranged it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct CorpusRecord {
    /// Every document, in list order.
    pub documents: Vec<DocumentMeta>,
    /// Bundled articles (SHA-256) the user removed, so they stay removed.
    #[serde(default)]
    pub removed: Vec<String>,
}

#[derive(Serialize, Deserialize)]
struct CorpusEnvelope {
    version: u32,
    #[serde(flatten)]
    corpus: CorpusRecord,
}

pub fn encode_corpus(corpus: &CorpusRecord) -> String {
    serde_json::to_string(&CorpusEnvelope {
        version: 1,
        corpus: corpus.clone(),
    })
    .expect("the corpus record always serialises")
}

pub fn decode_corpus(json: &str) -> Result<CorpusRecord, String> {
    let envelope: CorpusEnvelope = serde_json::from_str(json)
        .map_err(|e| format!("the stored document list is damaged: {e}"))?;
    if envelope.version != 1 {
        return Err(format!(
            "the stored document list has unknown version {}",
            envelope.version
        ));
    }
    Ok(envelope.corpus)
}
