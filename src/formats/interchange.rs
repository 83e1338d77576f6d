//! What an imported annotation file says, whatever its format: the common
//! shape every parser produces and the import pipeline (`crate::import`)
//! consumes. Offsets are code points into the file's own text (or, when the
//! file carries no text, into the text it was made from); re-anchoring onto
//! our copy of the document happens later, in the import pipeline.

use crate::model::{Label, Status};

/// The formats Marginalia reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum FormatKind {
    Native,
    Jsonl,
    W3c,
    Brat,
    LabelStudio,
    Csv,
}

impl FormatKind {
    /// The name shown to people.
    pub fn title(self) -> &'static str {
        match self {
            FormatKind::Native => "Marginalia JSON",
            FormatKind::Jsonl => "JSONL dataset",
            FormatKind::W3c => "W3C Web Annotation JSON-LD",
            FormatKind::Brat => "brat standoff",
            FormatKind::LabelStudio => "Label Studio JSON",
            FormatKind::Csv => "CSV",
        }
    }
}

/// One parsed file (or, for brat, one set of `.txt`/`.ann` files).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Interchange {
    pub format: FormatKind,
    /// Labels the file declares, in its order. Formats that declare none
    /// leave this empty; the labels used by spans are then taken as declared.
    pub labels: Vec<Label>,
    pub documents: Vec<InterchangeDocument>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterchangeDocument {
    pub name: Option<String>,
    /// Lower-case hex SHA-256 of the text the offsets refer to, when known.
    pub sha256: Option<String>,
    /// The text the offsets refer to, when the file carries it.
    pub text: Option<String>,
    pub status: Option<Status>,
    pub spans: Vec<InterchangeSpan>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InterchangeSpan {
    /// The span's id in the file, when it has a usable one.
    pub id: Option<String>,
    pub label: String,
    /// Code points, half-open.
    pub start: usize,
    pub end: usize,
    /// The exact text of the span, when the file states it.
    pub quote: Option<String>,
    /// Up to 32 code points before and after the span, when the file states them.
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    pub note: Option<String>,
    pub created_at: Option<String>,
}

/// Why a file cannot be imported, and where. Every importer returns the
/// first problem and nothing else: imports are all or nothing.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    /// The file's name, when there is one.
    pub file: Option<String>,
    /// Where in the file: `line 4`, `line 4, column 17`, a field path such as
    /// `documents[0].annotations[3].end`, or `byte 1234`. Empty when the
    /// problem is the whole file.
    pub at: String,
    /// What is wrong and what was expected there.
    pub problem: String,
}

impl std::fmt::Display for ImportError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(file) = &self.file {
            write!(f, "{file}: ")?;
        }
        if !self.at.is_empty() {
            write!(f, "{}: ", self.at)?;
        }
        write!(f, "{}", self.problem)
    }
}

impl std::error::Error for ImportError {}
