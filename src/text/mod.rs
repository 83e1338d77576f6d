//! Text positions. Everything in the core counts Unicode code points
//! (half-open ranges); this module is where code points meet the other units
//! (UTF-16 code units for the DOM and exports, UTF-8 bytes for Rust slicing),
//! and where ranges are tidied (whitespace trimming).

mod offsets;
mod trim;

pub use offsets::{cp_of_utf16_in, OffsetIndex, Utf16Error};
pub use trim::trim_whitespace;
