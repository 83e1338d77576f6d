//! [`OffsetIndex`]: conversions between code point offsets, UTF-16 code unit
//! offsets and UTF-8 byte offsets for one immutable text.
//!
//! Why an index rather than a scan: a 1 MB document with 10,000 spans needs
//! tens of thousands of conversions when it is exported or painted, so each
//! one must be logarithmic, not linear. The index keeps a checkpoint (UTF-8
//! and UTF-16 offset) every [`STRIDE`] code points and scans at most one
//! stride from the nearest checkpoint. All-ASCII texts (most of the corpus
//! bytes) skip even that: every unit is the same.

use std::fmt;

/// Code points between two checkpoints.
const STRIDE: usize = 64;

/// A UTF-16 offset that is not a position between code points.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Utf16Error {
    /// Past the end of the text (which is `len` code units long).
    OutOfRange { offset: usize, len: usize },
    /// Between the two halves of a surrogate pair.
    InsideSurrogatePair { offset: usize },
}

impl fmt::Display for Utf16Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Utf16Error::OutOfRange { offset, len } => {
                write!(
                    f,
                    "UTF-16 offset {offset} is past the end of the text ({len} code units)"
                )
            }
            Utf16Error::InsideSurrogatePair { offset } => {
                write!(f, "UTF-16 offset {offset} falls inside a surrogate pair")
            }
        }
    }
}

impl std::error::Error for Utf16Error {}

/// Offset conversions for one text. Positions are code point offsets in
/// `0..=len_chars()`; out-of-range code point offsets are clamped to the end
/// (callers validate ranges before converting).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OffsetIndex {
    len_chars: usize,
    len_utf8: usize,
    len_utf16: usize,
    /// `checkpoints[k]` = (UTF-8 offset, UTF-16 offset) of code point `k * STRIDE`.
    /// Empty when the text is ASCII.
    checkpoints: Vec<(u32, u32)>,
}

impl OffsetIndex {
    pub fn new(text: &str) -> Self {
        let len_utf8 = text.len();
        if text.is_ascii() {
            return OffsetIndex {
                len_chars: len_utf8,
                len_utf8,
                len_utf16: len_utf8,
                checkpoints: Vec::new(),
            };
        }
        let mut checkpoints = Vec::with_capacity(len_utf8 / STRIDE + 1);
        let (mut chars, mut utf16) = (0usize, 0usize);
        // By bytes, without decoding: each code point starts at a lead byte.
        for (byte, &b) in text.as_bytes().iter().enumerate() {
            if is_continuation(b) {
                continue;
            }
            if chars % STRIDE == 0 {
                checkpoints.push((to_u32(byte), to_u32(utf16)));
            }
            chars += 1;
            utf16 += utf16_units(b);
        }
        OffsetIndex {
            len_chars: chars,
            len_utf8,
            len_utf16: utf16,
            checkpoints,
        }
    }

    /// Length in code points.
    pub fn len_chars(&self) -> usize {
        self.len_chars
    }

    /// Length in UTF-16 code units.
    pub fn len_utf16(&self) -> usize {
        self.len_utf16
    }

    /// Length in UTF-8 bytes.
    pub fn len_utf8(&self) -> usize {
        self.len_utf8
    }

    fn is_ascii(&self) -> bool {
        self.checkpoints.is_empty()
    }

    /// UTF-8 byte offset of code point offset `cp` in `text` (the text this
    /// index was built from).
    pub fn utf8_of(&self, text: &str, cp: usize) -> usize {
        let cp = cp.min(self.len_chars);
        if self.is_ascii() {
            return cp;
        }
        if cp == self.len_chars {
            return self.len_utf8;
        }
        let (byte, _) = self.checkpoints[cp / STRIDE];
        let bytes = text.as_bytes();
        let mut at = byte as usize;
        // `cp` < len_chars, so the walk stays inside the text.
        for _ in 0..cp % STRIDE {
            at += utf8_width(bytes[at]);
        }
        at
    }

    /// UTF-16 offset of code point offset `cp`.
    pub fn utf16_of(&self, text: &str, cp: usize) -> usize {
        let cp = cp.min(self.len_chars);
        if self.is_ascii() {
            return cp;
        }
        if cp == self.len_chars {
            return self.len_utf16;
        }
        let (byte, utf16) = self.checkpoints[cp / STRIDE];
        let bytes = text.as_bytes();
        let (mut at, mut units) = (byte as usize, utf16 as usize);
        for _ in 0..cp % STRIDE {
            units += utf16_units(bytes[at]);
            at += utf8_width(bytes[at]);
        }
        units
    }

    /// Code point offset of UTF-16 offset `utf16`, or why there is none.
    pub fn cp_of_utf16(&self, text: &str, utf16: usize) -> Result<usize, Utf16Error> {
        if utf16 > self.len_utf16 {
            return Err(Utf16Error::OutOfRange {
                offset: utf16,
                len: self.len_utf16,
            });
        }
        if self.is_ascii() {
            return Ok(utf16);
        }
        // Last checkpoint at or before `utf16`.
        let block = self
            .checkpoints
            .partition_point(|&(_, u)| u as usize <= utf16)
            .saturating_sub(1);
        let (byte, checkpoint_utf16) = self.checkpoints[block];
        let mut at = checkpoint_utf16 as usize;
        let mut cp = block * STRIDE;
        for ch in text[byte as usize..].chars() {
            if at >= utf16 {
                break;
            }
            at += ch.len_utf16();
            cp += 1;
        }
        if at == utf16 {
            Ok(cp)
        } else {
            Err(Utf16Error::InsideSurrogatePair { offset: utf16 })
        }
    }

    /// Code point offset of UTF-8 byte offset `byte`, which must be a char
    /// boundary of `text` (as every offset Rust's `str` API hands out is).
    pub fn cp_of_utf8(&self, text: &str, byte: usize) -> usize {
        let byte = byte.min(self.len_utf8);
        if self.is_ascii() {
            return byte;
        }
        let block = self
            .checkpoints
            .partition_point(|&(b, _)| b as usize <= byte)
            .saturating_sub(1);
        let start = self.checkpoints[block].0 as usize;
        block * STRIDE
            + text.as_bytes()[start..byte]
                .iter()
                .filter(|&&b| !is_continuation(b))
                .count()
    }

    /// The text between two code point offsets.
    pub fn slice<'t>(&self, text: &'t str, start: usize, end: usize) -> &'t str {
        let from = self.utf8_of(text, start);
        let to = self.utf8_of(text, end.max(start));
        &text[from..to]
    }
}

/// Whether `b` continues a UTF-8 sequence (rather than starting a code point).
fn is_continuation(b: u8) -> bool {
    b & 0xC0 == 0x80
}

/// Length in bytes of the UTF-8 sequence that lead byte `b` starts.
fn utf8_width(b: u8) -> usize {
    match b {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// UTF-16 code units of the code point whose UTF-8 sequence lead byte `b` starts.
fn utf16_units(b: u8) -> usize {
    if b >= 0xF0 {
        2
    } else {
        1
    }
}

fn to_u32(n: usize) -> u32 {
    // Documents are refused long before 4 GiB; a silent wrap would corrupt offsets.
    u32::try_from(n).expect("text longer than 4 GiB")
}

/// Code point offset of UTF-16 offset `utf16` in a short `text` (one DOM text
/// node), by scanning. An offset inside a surrogate pair or past the end is
/// an error, as in [`OffsetIndex::cp_of_utf16`].
pub fn cp_of_utf16_in(text: &str, utf16: usize) -> Result<usize, Utf16Error> {
    let mut at = 0;
    for (cp, ch) in text.chars().enumerate() {
        if at == utf16 {
            return Ok(cp);
        }
        at += ch.len_utf16();
        if at > utf16 {
            return Err(Utf16Error::InsideSurrogatePair { offset: utf16 });
        }
    }
    if at == utf16 {
        Ok(text.chars().count())
    } else {
        Err(Utf16Error::OutOfRange {
            offset: utf16,
            len: at,
        })
    }
}
