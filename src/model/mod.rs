//! The annotation model: labels, annotations, documents, and the layout of a
//! document's text into blocks and segments for painting. Pure and serde;
//! offsets are code points, half-open.

mod annotation;
mod document;
mod headline;
mod label;
mod segments;
mod status;

pub use annotation::{Annotation, AnnotationId};
pub use document::{Block, Document, DocumentError};
pub use headline::headline;
pub use label::{default_labels, Label};
pub use segments::{
    assign_to_blocks, assign_to_groups, group_blocks, reassign_to_groups, segments, span_to_select,
    GroupSpans, Segment, SpanRef,
};
pub use status::Status;
