//! The import pipeline, pure: decoding the files users open
//! ([`decode`]), telling their format from their content ([`detect`]), placing imported spans on our texts ([`reanchor`]), and
//! planning an import of a parsed annotation file as one store action with
//! its report ([`plan`]). The format parsers (`crate::formats`) produce the
//! `Interchange` this consumes; the browser shell reads files and applies plans.

pub mod decode;
pub mod detect;
pub mod plan;
pub mod reanchor;

pub use decode::{
    decode_annotation_file, decode_text, is_text_name, BinaryEvidence, TextEncoding, TextFileError,
    MAX_ANNOTATION_BYTES, MAX_TEXT_BYTES,
};
pub use plan::{plan_import, ImportMode, ImportPlan, ImportReport, Orphan};
pub use reanchor::{reanchor, Anchorer, Placement, SpanAnchor, MIN_SIMILARITY};
