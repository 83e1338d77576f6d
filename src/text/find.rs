//! Find in a document's text: every match of a query, as code point ranges
//! (half-open, in text order, never overlapping; after a match the search
//! goes on from its end, so `aa` in `aaa` matches once, at the start).
//!
//! Rules:
//! - **No match cuts a grapheme cluster.** A match must start and end on
//!   cluster boundaries of the text (UAX #29), so `e` does not match the
//!   `e` of `e\u{301}` (é written with a combining accent), `👍` does not
//!   match inside `👍🏽`, and a flag's half is not found. (Like spans, which
//!   never split a cluster either.) Text is not normalised: a precomposed
//!   `é` query does not find `e\u{301}`.
//! - **Exact** ([`CaseMode::Exact`]): the query's code points, as they are.
//! - **Ignoring case** ([`CaseMode::Insensitive`], the default) compares the
//!   text and the query after [`fold`]ing both, character by character:
//!   - full Unicode case folding (computed as the lower case of the upper
//!     case of the lower case, which makes the same characters equal as
//!     `CaseFolding.txt`'s full folding does; the exhaustive tests check
//!     every character): `ß`, `ẞ`, `ss` and
//!     `SS` all find one another, as do `ﬁ` and `fi`; Greek `σ`, `ς` and `Σ`
//!     are one letter; so a match may be longer or shorter than the query
//!     (`strasse` finds the 6 code points of `Straße`). A match never starts
//!     or ends inside one character's folding (`s` does not find half of `ß`);
//!   - Turkish: `İ` (dotted capital I) folds to `i`, so `istanbul` finds
//!     `İstanbul`; dotless `ı` is a letter of its own and finds only itself
//!     (default folding would make `İ` "i + combining dot", which `i` could
//!     never find, and would lose `ı` to `i`);
//!   - forgiving typography, since queries are typed on keyboards and news
//!     is typeset: a straight `'` finds `‘ ’ ‛ ‚ ʼ`, a straight `"` finds
//!     `“ ” „ ‟`, a space finds no-break and other fixed-width spaces, and
//!     `-` finds the Unicode hyphens U+2010 and U+2011 (not dashes).
//! - **Whole words** ([`WordMode::WholeWords`]): a match must not continue a
//!   word on either side: the characters just outside it are not letters or
//!   digits where the match's own first and last characters are.
//!
//! Speed: one pass to fold the text (runs of ASCII at once, other
//! characters through a small cache; only the characters whose folding
//! changes lengths are remembered, to map folded offsets back), then the
//! standard library's substring search (linear), and logarithmic offset
//! lookups per match.

use super::boundaries::is_grapheme_boundary_byte;
use super::OffsetIndex;

/// Whether case (and typography, see the module doc) must match.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum CaseMode {
    #[default]
    Insensitive,
    Exact,
}

/// Whether a match may sit inside a longer word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum WordMode {
    #[default]
    Anywhere,
    WholeWords,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct FindOptions {
    pub case: CaseMode,
    pub words: WordMode,
}

/// Every match of `query` in `text` (whose index is `index`), as code point
/// ranges, in order and non-overlapping. An empty query matches nothing.
pub fn find_all(
    text: &str,
    index: &OffsetIndex,
    query: &str,
    options: FindOptions,
) -> Vec<(usize, usize)> {
    if query.is_empty() {
        return Vec::new();
    }
    match options.case {
        CaseMode::Exact => find_exact(text, index, query, options.words),
        CaseMode::Insensitive => find_folded(text, index, query, options.words),
    }
}

/// `s` folded for comparison when ignoring case (see the module doc).
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        fold_into(c, &mut out);
    }
    out
}

fn find_exact(
    text: &str,
    index: &OffsetIndex,
    query: &str,
    words: WordMode,
) -> Vec<(usize, usize)> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = text[from..].find(query) {
        let (start, end) = (from + at, from + at + query.len());
        if acceptable(text, start, end, words) {
            found.push((index.cp_of_utf8(text, start), index.cp_of_utf8(text, end)));
            from = end;
        } else {
            from = start + char_len_at(text, start);
        }
    }
    found
}

fn find_folded(
    text: &str,
    index: &OffsetIndex,
    query: &str,
    words: WordMode,
) -> Vec<(usize, usize)> {
    let needle = fold(query);
    let haystack = FoldedText::new(text);
    let folded = haystack.text.as_str();
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = folded[from..].find(&needle) {
        let (f_start, f_end) = (from + at, from + at + needle.len());
        // Both ends must be where a character of the text starts (or ends)
        // in the folded text, not inside one character's folding.
        if let (Some(start), Some(end)) = (haystack.original(f_start), haystack.original(f_end)) {
            if acceptable(text, start, end, words) {
                found.push((index.cp_of_utf8(text, start), index.cp_of_utf8(text, end)));
                from = f_end;
                continue;
            }
        }
        from = f_start + char_len_at(folded, f_start);
    }
    found
}

/// Whether the byte range `start..end` of `text` may be a match: on
/// grapheme cluster boundaries, and whole words when asked.
fn acceptable(text: &str, start: usize, end: usize, words: WordMode) -> bool {
    is_grapheme_boundary_byte(text, start)
        && is_grapheme_boundary_byte(text, end)
        && (words == WordMode::Anywhere || is_whole_word(text, start, end))
}

fn is_whole_word(text: &str, start: usize, end: usize) -> bool {
    let inside = &text[start..end];
    let joins = |outside: Option<char>, edge: Option<char>| matches!((outside, edge), (Some(a), Some(b)) if a.is_alphanumeric() && b.is_alphanumeric());
    !joins(text[..start].chars().next_back(), inside.chars().next())
        && !joins(text[end..].chars().next(), inside.chars().next_back())
}

fn char_len_at(text: &str, byte: usize) -> usize {
    text[byte..].chars().next().map_or(1, char::len_utf8)
}

/// A text folded for comparison, with the way back to the original.
///
/// Most characters fold to one character of the same UTF-8 length (ASCII
/// letters, Cyrillic, most accented Latin letters), so offsets advance
/// together in both texts. Only the other characters are remembered
/// ("irregular": a different length, or several characters, like `ß` to
/// `ss` or `’` to `'`).
struct FoldedText {
    text: String,
    irregular: Vec<Irregular>,
}

/// Where an irregular character is, in bytes, in the original and the
/// folded text.
struct Irregular {
    start: u32,
    end: u32,
    folded_start: u32,
    folded_end: u32,
}

impl FoldedText {
    fn new(text: &str) -> Self {
        let mut folded = String::with_capacity(text.len() + text.len() / 16);
        let mut irregular = Vec::new();
        let mut cache = FoldCache::default();
        let mut at = 0;
        while at < text.len() {
            // A run of ASCII at once, then one other character.
            let run = text.as_bytes()[at..]
                .iter()
                .position(|b| !b.is_ascii())
                .unwrap_or(text.len() - at);
            let from = folded.len();
            folded.push_str(&text[at..at + run]);
            folded[from..].make_ascii_lowercase();
            at += run;
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            let folded_start = folded.len();
            let single = cache.fold(c, &mut folded);
            let len = c.len_utf8();
            if !single || folded.len() - folded_start != len {
                irregular.push(Irregular {
                    start: to_u32(at),
                    end: to_u32(at + len),
                    folded_start: to_u32(folded_start),
                    folded_end: to_u32(folded.len()),
                });
            }
            at += len;
        }
        FoldedText {
            text: folded,
            irregular,
        }
    }

    /// The byte offset in the original text of byte `byte` of the folded
    /// text (a character boundary there); `None` inside a character's
    /// folding (half of the `ss` of `ß`).
    fn original(&self, byte: usize) -> Option<usize> {
        // The last irregular character starting at or before `byte`.
        let after = self
            .irregular
            .partition_point(|c| c.folded_start as usize <= byte);
        let Some(c) = after.checked_sub(1).map(|i| &self.irregular[i]) else {
            return Some(byte);
        };
        if byte == c.folded_start as usize {
            Some(c.start as usize)
        } else if byte < c.folded_end as usize {
            None
        } else {
            Some(c.end as usize + (byte - c.folded_end as usize))
        }
    }
}

/// The foldings of recently seen non-ASCII characters: a text uses few of
/// them, over and over, and folding one takes three table searches.
struct FoldCache {
    /// Slot `c % SLOTS`: a character and its folding (`len` characters).
    /// `'\0'` (ASCII, never looked up) marks an empty slot.
    slots: Vec<(char, [char; 3], usize)>,
}

const SLOTS: usize = 256;

impl Default for FoldCache {
    fn default() -> Self {
        FoldCache {
            slots: vec![('\0', ['\0'; 3], 0); SLOTS],
        }
    }
}

impl FoldCache {
    /// Appends the folding of `c` to `out`; whether it is one character.
    fn fold(&mut self, c: char, out: &mut String) -> bool {
        let slot = &mut self.slots[c as usize % SLOTS];
        if slot.0 == c {
            for &f in &slot.1[..slot.2] {
                out.push(f);
            }
            return slot.2 == 1;
        }
        let from = out.len();
        fold_into(c, out);
        let mut folding = ['\0'; 3];
        let mut len = 0;
        for f in out[from..].chars() {
            if len == folding.len() {
                // Longer than any folding in Unicode 16; not kept.
                return false;
            }
            folding[len] = f;
            len += 1;
        }
        *slot = (c, folding, len);
        len == 1
    }
}

fn to_u32(n: usize) -> u32 {
    // Documents are refused long before 4 GiB; a silent wrap would corrupt offsets.
    u32::try_from(n).expect("text longer than 4 GiB")
}

/// Appends the folding of `c` (see the module doc) to `out`.
fn fold_into(c: char, out: &mut String) {
    if c.is_ascii() {
        out.push(c.to_ascii_lowercase());
        return;
    }
    if let Some(plain) = typographic(c) {
        out.push(plain);
        return;
    }
    match c {
        'İ' => out.push('i'),
        'ı' => out.push('ı'),
        // Lower case first, so `ẞ` goes the way of `ß` (to `ss`).
        _ => {
            for lower in c.to_lowercase() {
                for upper in lower.to_uppercase() {
                    for folded in upper.to_lowercase() {
                        out.push(typographic(folded).unwrap_or(folded));
                    }
                }
            }
        }
    }
}

/// The keyboard character a typographic one is found by, if any.
fn typographic(c: char) -> Option<char> {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{02BC}' => Some('\''),
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' => Some('"'),
        '\u{00A0}'
        | '\u{1680}'
        | '\u{2000}'..='\u{200A}'
        | '\u{202F}'
        | '\u{205F}'
        | '\u{3000}' => Some(' '),
        '\u{2010}' | '\u{2011}' => Some('-'),
        _ => None,
    }
}
