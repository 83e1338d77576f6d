//! One annotation: a labelled, half-open code point range of a document.
//! Its text is not stored: the document's text is immutable and the range
//! determines it.

use serde::{Deserialize, Serialize};

/// Unique across documents, sessions and annotators (a UUID v4 string), so
/// files from different people can be merged.
pub type AnnotationId = String;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub id: AnnotationId,
    pub label: String,
    /// Code point offset of the first character.
    pub start: usize,
    /// Code point offset just past the last character.
    pub end: usize,
    /// RFC 3339 time of creation.
    pub created_at: String,
    /// The annotator's free-text note; `None` when there is none (never `Some("")`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

impl Annotation {
    /// The order of annotations everywhere: by start, then end, then label and
    /// id so that equal ranges still have one deterministic order.
    pub fn order_key(&self) -> (usize, usize, &str, &str) {
        (self.start, self.end, &self.label, &self.id)
    }
}
