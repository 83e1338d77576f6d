//! Text boundaries for the caret and for snapping: grapheme clusters, words,
//! sentences and paragraphs (UAX #29, through `unicode-segmentation`), and
//! line starts and ends. Positions are code point offsets; the
//! [`OffsetIndex`] converts them to the UTF-8 byte offsets the segmenter
//! works in.
//!
//! Speed: a key press must not segment a 1 MB document. Graphemes are found
//! with a cursor that only looks at the characters around the position.
//! Words and sentences are segmented in the *neighbourhood* of the position:
//! its line, and in a line longer than [`WINDOW`] bytes either way, a window
//! cut at a space (so a boundary found next to the cut may be approximate in
//! such a line; lines of ordinary prose are never cut). Searches that run
//! off the end of a neighbourhood continue in the next one.
//!
//! Definitions:
//! - a **word** is a UAX #29 word segment holding a letter or digit
//!   (`Russia’s`, `U.S`, `3.14`); punctuation, spaces and emoji are not words;
//! - a **sentence** is a UAX #29 sentence segment of one line without its
//!   trailing whitespace, when it holds anything but whitespace (a line break
//!   always ends a sentence);
//! - a **paragraph** is a line that is not blank, without its leading and
//!   trailing whitespace. News articles put one paragraph on a line, with or
//!   without blank lines between, so both layouts work alike.

use unicode_segmentation::{GraphemeCursor, UnicodeSegmentation};

use super::OffsetIndex;

/// Bytes either side of a position searched within one (long) line.
pub const WINDOW: usize = 4096;

/// What the caret moves by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Unit {
    Grapheme,
    Word,
    Sentence,
    Paragraph,
}

/// Which edge of a unit to stop at. Graphemes have no inside, so both
/// edges are the same boundaries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Edge {
    Start,
    End,
}

/// The first `edge` of a `unit` after `pos`, or the end of the text.
pub fn next(text: &str, index: &OffsetIndex, pos: usize, unit: Unit, edge: Edge) -> usize {
    let byte = index.utf8_of(text, pos);
    let found = match unit {
        Unit::Grapheme => next_grapheme_byte(text, byte),
        Unit::Word => search_forward(text, byte, edge, word_spans),
        Unit::Sentence => search_forward(text, byte, edge, sentence_spans),
        Unit::Paragraph => next_paragraph_byte(text, byte, edge),
    };
    index.cp_of_utf8(text, found)
}

/// The last `edge` of a `unit` before `pos`, or the start of the text.
pub fn previous(text: &str, index: &OffsetIndex, pos: usize, unit: Unit, edge: Edge) -> usize {
    let byte = index.utf8_of(text, pos);
    let found = match unit {
        Unit::Grapheme => previous_grapheme_byte(text, byte),
        Unit::Word => search_backward(text, byte, edge, word_spans),
        Unit::Sentence => search_backward(text, byte, edge, sentence_spans),
        Unit::Paragraph => previous_paragraph_byte(text, byte, edge),
    };
    index.cp_of_utf8(text, found)
}

/// Whether `pos` is a grapheme cluster boundary.
pub fn is_grapheme_boundary(text: &str, index: &OffsetIndex, pos: usize) -> bool {
    is_grapheme_boundary_byte(text, index.utf8_of(text, pos))
}

/// `pos`, or the grapheme boundary before it when `pos` is inside a cluster.
pub fn grapheme_floor(text: &str, index: &OffsetIndex, pos: usize) -> usize {
    index.cp_of_utf8(text, grapheme_floor_byte(text, index.utf8_of(text, pos)))
}

/// `pos`, or the grapheme boundary after it when `pos` is inside a cluster.
pub fn grapheme_ceil(text: &str, index: &OffsetIndex, pos: usize) -> usize {
    index.cp_of_utf8(text, grapheme_ceil_byte(text, index.utf8_of(text, pos)))
}

/// The word (see the module doc) that `pos` lies strictly inside, as a
/// code point range.
pub fn word_around(text: &str, index: &OffsetIndex, pos: usize) -> Option<(usize, usize)> {
    let byte = index.utf8_of(text, pos);
    let (start, end) = word_around_byte(text, byte)?;
    Some((index.cp_of_utf8(text, start), index.cp_of_utf8(text, end)))
}

/// Start of the line holding `pos` (just after the previous line break).
pub fn line_start(text: &str, index: &OffsetIndex, pos: usize) -> usize {
    let byte = index.utf8_of(text, pos);
    index.cp_of_utf8(text, line_bounds(text, byte).0)
}

/// End of the line holding `pos` (just before its line break).
pub fn line_end(text: &str, index: &OffsetIndex, pos: usize) -> usize {
    let byte = index.utf8_of(text, pos);
    index.cp_of_utf8(text, line_bounds(text, byte).1)
}

// ---------------------------------------------------------------------------
// Graphemes: a cursor over the whole text only reads around the position.

pub(crate) fn next_grapheme_byte(text: &str, byte: usize) -> usize {
    if byte >= text.len() {
        return text.len();
    }
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    match cursor.next_boundary(text, 0) {
        Ok(Some(b)) => b,
        _ => text.len(),
    }
}

pub(crate) fn previous_grapheme_byte(text: &str, byte: usize) -> usize {
    if byte == 0 {
        return 0;
    }
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    match cursor.prev_boundary(text, 0) {
        Ok(Some(b)) => b,
        _ => 0,
    }
}

pub(crate) fn is_grapheme_boundary_byte(text: &str, byte: usize) -> bool {
    if byte == 0 || byte >= text.len() {
        return true;
    }
    let mut cursor = GraphemeCursor::new(byte, text.len(), true);
    cursor.is_boundary(text, 0).unwrap_or(true)
}

pub(crate) fn grapheme_floor_byte(text: &str, byte: usize) -> usize {
    if is_grapheme_boundary_byte(text, byte) {
        byte
    } else {
        previous_grapheme_byte(text, byte)
    }
}

pub(crate) fn grapheme_ceil_byte(text: &str, byte: usize) -> usize {
    if is_grapheme_boundary_byte(text, byte) {
        byte
    } else {
        next_grapheme_byte(text, byte)
    }
}

// ---------------------------------------------------------------------------
// Lines and neighbourhoods.

fn is_line_break(b: u8) -> bool {
    b == b'\n' || b == b'\r'
}

/// Bytes of the whole line holding `byte` (terminators excluded). A position
/// just before a line break belongs to the line it ends; one just after
/// belongs to the next line.
fn line_bounds(text: &str, byte: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let byte = byte.min(bytes.len());
    let start = bytes[..byte]
        .iter()
        .rposition(|&b| is_line_break(b))
        .map_or(0, |i| i + 1);
    let end = bytes[byte..]
        .iter()
        .position(|&b| is_line_break(b))
        .map_or(bytes.len(), |i| byte + i);
    (start, end)
}

/// The neighbourhood of `byte` that words and sentences are segmented in:
/// its line, cut to about [`WINDOW`] bytes either side at a space. The
/// flags say whether each end is a real line edge (or text edge).
fn neighbourhood(text: &str, byte: usize) -> (usize, usize) {
    let bytes = text.as_bytes();
    let byte = byte.min(bytes.len());
    let floor = byte.saturating_sub(WINDOW);
    let start = match bytes[floor..byte].iter().rposition(|&b| is_line_break(b)) {
        Some(i) => floor + i + 1,
        None if floor == 0 => 0,
        // A long line: start at a space, where a word boundary is certain.
        None => bytes[floor..byte]
            .iter()
            .position(|&b| b == b' ' || b == b'\t')
            .map_or_else(|| char_floor(text, floor), |i| floor + i),
    };
    let ceiling = (byte + WINDOW).min(bytes.len());
    let end = match bytes[byte..ceiling].iter().position(|&b| is_line_break(b)) {
        Some(i) => byte + i,
        None if ceiling == bytes.len() => ceiling,
        None => bytes[byte..ceiling]
            .iter()
            .rposition(|&b| b == b' ' || b == b'\t')
            .map_or_else(|| char_floor(text, ceiling), |i| byte + i + 1),
    };
    (start, end.max(byte))
}

fn char_floor(text: &str, mut byte: usize) -> usize {
    while !text.is_char_boundary(byte) {
        byte -= 1;
    }
    byte
}

/// The position just past the line break at `byte` (or `byte` itself when
/// there is none there).
fn past_line_break(text: &str, byte: usize) -> usize {
    let bytes = text.as_bytes();
    match bytes.get(byte) {
        Some(b'\r') if bytes.get(byte + 1) == Some(&b'\n') => byte + 2,
        Some(b) if is_line_break(*b) => byte + 1,
        _ => byte,
    }
}

/// The position just before the line break ending at `byte` (or `byte`).
fn before_line_break(text: &str, byte: usize) -> usize {
    let bytes = text.as_bytes();
    if byte == 0 {
        return 0;
    }
    match bytes[byte - 1] {
        b'\n' if byte >= 2 && bytes[byte - 2] == b'\r' => byte - 2,
        b if is_line_break(b) => byte - 1,
        _ => byte,
    }
}

// ---------------------------------------------------------------------------
// Words and sentences: segments of a neighbourhood, searched outwards.

/// Byte ranges (absolute) of the words in `text[from..to]`.
fn word_spans(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    text[from..to]
        .split_word_bound_indices()
        .filter(|(_, w)| is_word_like(w))
        .map(|(at, w)| (from + at, from + at + w.len()))
        .collect()
}

/// Byte ranges (absolute) of the sentences in `text[from..to]`, without
/// trailing whitespace.
fn sentence_spans(text: &str, from: usize, to: usize) -> Vec<(usize, usize)> {
    text[from..to]
        .split_sentence_bound_indices()
        .filter_map(|(at, s)| {
            let trimmed = s.trim_end();
            let lead = trimmed.len() - trimmed.trim_start().len();
            (!trimmed.trim_start().is_empty())
                .then(|| (from + at + lead, from + at + trimmed.len()))
        })
        .collect()
}

pub(crate) fn is_word_like(segment: &str) -> bool {
    segment.chars().any(char::is_alphanumeric)
}

fn edge_of((start, end): (usize, usize), edge: Edge) -> usize {
    match edge {
        Edge::Start => start,
        Edge::End => end,
    }
}

type Spans = fn(&str, usize, usize) -> Vec<(usize, usize)>;

fn search_forward(text: &str, byte: usize, edge: Edge, spans: Spans) -> usize {
    let mut at = byte;
    loop {
        let (lo, hi) = neighbourhood(text, at);
        if let Some(found) = spans(text, lo, hi)
            .into_iter()
            .map(|s| edge_of(s, edge))
            .find(|&b| b > byte)
        {
            return found;
        }
        if hi >= text.len() {
            return text.len();
        }
        // Next neighbourhood: past the line break, or past the cut.
        at = past_line_break(text, hi).max(hi + 1).min(text.len());
        while !text.is_char_boundary(at) {
            at += 1;
        }
    }
}

fn search_backward(text: &str, byte: usize, edge: Edge, spans: Spans) -> usize {
    let mut at = byte;
    loop {
        let (lo, hi) = neighbourhood(text, at);
        if let Some(found) = spans(text, lo, hi)
            .into_iter()
            .map(|s| edge_of(s, edge))
            .rev()
            .find(|&b| b < byte)
        {
            return found;
        }
        if lo == 0 {
            return 0;
        }
        at = before_line_break(text, lo).min(lo - 1);
        at = char_floor(text, at);
    }
}

pub(crate) fn word_around_byte(text: &str, byte: usize) -> Option<(usize, usize)> {
    if byte == 0 || byte >= text.len() {
        return None;
    }
    let (lo, hi) = neighbourhood(text, byte);
    word_spans(text, lo, hi)
        .into_iter()
        .find(|&(start, end)| start < byte && byte < end)
}

// ---------------------------------------------------------------------------
// Paragraphs: non-blank lines, trimmed.

/// The paragraph (trimmed line) holding byte `byte`'s line, if not blank.
fn paragraph_of_line(text: &str, line: (usize, usize)) -> Option<(usize, usize)> {
    let s = &text[line.0..line.1];
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return None;
    }
    let lead = s.len() - s.trim_start().len();
    Some((line.0 + lead, line.0 + lead + trimmed.len()))
}

fn next_paragraph_byte(text: &str, byte: usize, edge: Edge) -> usize {
    let mut at = byte;
    loop {
        let line = line_bounds(text, at);
        if let Some(p) = paragraph_of_line(text, line) {
            let b = edge_of(p, edge);
            if b > byte {
                return b;
            }
        }
        if line.1 >= text.len() {
            return text.len();
        }
        at = past_line_break(text, line.1);
    }
}

fn previous_paragraph_byte(text: &str, byte: usize, edge: Edge) -> usize {
    let mut at = byte;
    loop {
        let line = line_bounds(text, at);
        if let Some(p) = paragraph_of_line(text, line) {
            let b = edge_of(p, edge);
            if b < byte {
                return b;
            }
        }
        if line.0 == 0 {
            return 0;
        }
        at = before_line_break(text, line.0);
    }
}
