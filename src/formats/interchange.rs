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
    pub const ALL: [FormatKind; 6] = [
        FormatKind::Native,
        FormatKind::Jsonl,
        FormatKind::W3c,
        FormatKind::Brat,
        FormatKind::LabelStudio,
        FormatKind::Csv,
    ];

    /// A short identifier: `native`, `jsonl`, `w3c`, `brat`, `label-studio`, `csv`.
    pub fn extension_id(self) -> &'static str {
        match self {
            FormatKind::Native => "native",
            FormatKind::Jsonl => "jsonl",
            FormatKind::W3c => "w3c",
            FormatKind::Brat => "brat",
            FormatKind::LabelStudio => "label-studio",
            FormatKind::Csv => "csv",
        }
    }

    /// File name extension of an export.
    pub fn extension(self) -> &'static str {
        match self {
            FormatKind::Native => "json",
            FormatKind::Jsonl => "jsonl",
            FormatKind::W3c => "jsonld",
            FormatKind::Brat => "zip",
            FormatKind::LabelStudio => "json",
            FormatKind::Csv => "csv",
        }
    }

    /// Media type of an export.
    pub fn mime(self) -> &'static str {
        match self {
            FormatKind::Native | FormatKind::LabelStudio => "application/json",
            FormatKind::Jsonl => "application/jsonl",
            FormatKind::W3c => "application/ld+json",
            FormatKind::Brat => "application/zip",
            FormatKind::Csv => "text/csv",
        }
    }

    /// Who reads it, and in which unit its offsets are: shown before export.
    pub fn description(self) -> &'static str {
        match self {
            FormatKind::Native => "Marginalia's own format: texts, labels, spans and notes. Offsets in code points, with UTF-16 offsets as extra fields.",
            FormatKind::Jsonl => "One document per line with spans (spaCy, Prodigy) and label triples (doccano). Offsets in code points.",
            FormatKind::W3c => "W3C Web Annotation collection (Hypothesis, Recogito and other annotation servers). TextPositionSelector offsets in code points, plus quote selectors.",
            FormatKind::Brat => "A zip of .txt and .ann files with annotation.conf, for brat and INCEpTION. Offsets in code points.",
            FormatKind::LabelStudio => "Label Studio tasks with their annotations. Offsets in code points, as Label Studio counts them.",
            FormatKind::Csv => "One row per span for spreadsheets: document, sha256, label, start, end, text, note. Offsets in code points.",
        }
    }

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
