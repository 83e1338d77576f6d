//! Text positions. Everything in the core counts Unicode code points
//! (half-open ranges); this module is where code points meet the other units
//! (UTF-16 code units for the DOM and exports, UTF-8 bytes for Rust slicing),
//! where ranges are tidied (whitespace trimming, snapping to words), and
//! where the caret finds grapheme, word, sentence and paragraph boundaries,
//! and where a query is found in a text (`find`).

pub mod boundaries;
mod find;
mod offsets;
mod snap;
mod trim;

pub use find::{find_all, fold, CaseMode, FindOptions, WordMode};
pub use offsets::{cp_of_utf16_in, OffsetIndex, Utf16Error};
pub use snap::{snap, SnapMode};
pub use trim::trim_whitespace;
