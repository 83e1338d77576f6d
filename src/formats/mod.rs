//! File formats, one module each. Every format reads and writes code point
//! offsets and says so in the file; UTF-16 offsets appear only as extra fields.

pub mod brat;
pub mod interchange;
pub mod native;
pub mod w3c;
pub mod zip;

/// What every exporter is told besides the documents and labels.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ExportOptions {
    /// RFC 3339 time of the export, written into the file where the format has a place for it.
    pub exported_at: String,
    /// Whether to write the documents' texts (formats that always or never carry them ignore it).
    pub include_text: bool,
}
