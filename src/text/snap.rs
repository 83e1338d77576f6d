//! Snapping a selected range to the span it should become, so spans are
//! right the first time: whole words, whole characters, no stray spaces or
//! punctuation at the edges.
//!
//! The rules, applied in this order to the half-open code point range
//! `[start, end)` (clamped to the text):
//!
//! 1. **Graphemes** (both modes): an edge inside a grapheme cluster (an
//!    emoji with a skin tone, a ZWJ family, a flag, a letter with a
//!    combining accent, CR LF) moves *out* to the cluster's edge, so the
//!    cluster is wholly in.
//! 2. **Words** ([`SnapMode::Words`] only): an edge strictly inside a word
//!    (a UAX #29 word holding a letter or digit, as in
//!    [`super::boundaries`]) moves *out* to the word's edge, so a word is
//!    never cut.
//! 3. **Trimming**, one grapheme cluster at a time from either edge, until
//!    nothing more applies:
//!    - a cluster that begins or ends with whitespace (spaces, tabs, line
//!      breaks, NBSP: Unicode `White_Space`) is dropped (both modes);
//!    - [`SnapMode::Words`] only: *edge punctuation* is dropped: `, . ; : ! ?
//!      …`, dashes and hyphens, `¡ ¿ • · *`, CJK `、。，：；！？`, and
//!      brackets and quotation marks, with two exceptions:
//!      - an opening quotation mark at the start stays when its closing mark
//!        (`“`→`”`, `‘`→`’`, `„`→`“”`, `‚`→`‘’`, `«`→`»`, `‹`→`›`,
//!        `「`→`」`, `『`→`』`, `"`→`"`, `'`→`'`) is inside the range, and a
//!        closing mark at the end stays when its opening mark is inside: a
//!        quotation taken whole keeps its marks and its inner punctuation
//!        (`“We will win.”` stays as it is) while `We will win,` loses its
//!        comma. A `’` or `'` between two letters or digits is an
//!        apostrophe, never a partner;
//!      - an opening bracket at the start stays when its closing bracket is
//!        inside the range, and a closing bracket at the end when its
//!        opening one is (`Moscow (Reuters)` keeps both), except that a
//!        pair enclosing the whole range is dropped (`(Reuters)` becomes
//!        `Reuters`).
//!
//! Nothing is left: `None`. The result never splits a cluster, never cuts a
//! word in Words mode, starts and ends with no whitespace, and snapping it
//! again gives it back unchanged.

use super::boundaries::{
    grapheme_ceil_byte, grapheme_floor_byte, next_grapheme_byte, previous_grapheme_byte,
    word_around_byte,
};
use super::OffsetIndex;

/// How a selection snaps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum SnapMode {
    /// Out to whole words, without edge whitespace and punctuation.
    #[default]
    Words,
    /// Exactly the characters selected (out to whole grapheme clusters),
    /// without edge whitespace.
    Characters,
}

/// The span that the selection `[start, end)` (code points) snaps to under
/// `mode`, or `None` when nothing is left. See the module doc for the rules.
pub fn snap(
    text: &str,
    index: &OffsetIndex,
    start: usize,
    end: usize,
    mode: SnapMode,
) -> Option<(usize, usize)> {
    let end = end.min(index.len_chars());
    if start >= end {
        return None;
    }
    let mut from = grapheme_floor_byte(text, index.utf8_of(text, start));
    let mut to = grapheme_ceil_byte(text, index.utf8_of(text, end));
    if mode == SnapMode::Words {
        if let Some((word_start, _)) = word_around_byte(text, from) {
            from = word_start;
        }
        if let Some((_, word_end)) = word_around_byte(text, to) {
            to = word_end;
        }
    }
    let (from, to) = trim(text, from, to, mode)?;
    Some((index.cp_of_utf8(text, from), index.cp_of_utf8(text, to)))
}

/// Rule 3 on byte offsets that are grapheme boundaries.
fn trim(text: &str, mut from: usize, mut to: usize, mode: SnapMode) -> Option<(usize, usize)> {
    while from < to {
        let first_end = next_grapheme_byte(text, from).min(to);
        let last_start = previous_grapheme_byte(text, to).max(from);
        let first = &text[from..first_end];
        let last = &text[last_start..to];
        if is_whitespace_cluster(first) {
            from = first_end;
            continue;
        }
        if is_whitespace_cluster(last) {
            to = last_start;
            continue;
        }
        if mode == SnapMode::Characters {
            break;
        }
        let lead = first.chars().next().expect("non-empty cluster");
        let tail = last.chars().next().expect("non-empty cluster");
        // A bracket pair around the whole range goes as a pair.
        if first_end < last_start
            && closing_bracket(lead) == Some(tail)
            && encloses_whole(&text[first_end..last_start], lead, tail)
        {
            from = first_end;
            to = last_start;
            continue;
        }
        if is_edge_punctuation(lead) && !partner_after(text, first_end, to, lead) {
            from = first_end;
            continue;
        }
        if is_edge_punctuation(tail) && !partner_before(text, from, last_start, tail) {
            to = last_start;
            continue;
        }
        break;
    }
    (from < to).then_some((from, to))
}

fn is_whitespace_cluster(cluster: &str) -> bool {
    cluster.starts_with(char::is_whitespace) || cluster.ends_with(char::is_whitespace)
}

fn is_edge_punctuation(c: char) -> bool {
    matches!(
        c,
        ',' | '.'
            | ';'
            | ':'
            | '!'
            | '?'
            | '…'
            | '‥'
            | '¡'
            | '¿'
            | '-'
            | '‐'
            | '‑'
            | '‒'
            | '–'
            | '—'
            | '―'
            | '•'
            | '·'
            | '‧'
            | '*'
            | '、'
            | '。'
            | '，'
            | '：'
            | '；'
            | '！'
            | '？'
    ) || closing_bracket(c).is_some()
        || opening_bracket(c).is_some()
        || !closers_of(c).is_empty()
        || !openers_of(c).is_empty()
}

fn closing_bracket(open: char) -> Option<char> {
    Some(match open {
        '(' => ')',
        '[' => ']',
        '{' => '}',
        '⟨' => '⟩',
        '〈' => '〉',
        '（' => '）',
        '［' => '］',
        '【' => '】',
        _ => return None,
    })
}

fn opening_bracket(close: char) -> Option<char> {
    Some(match close {
        ')' => '(',
        ']' => '[',
        '}' => '{',
        '⟩' => '⟨',
        '〉' => '〈',
        '）' => '（',
        '］' => '［',
        '】' => '【',
        _ => return None,
    })
}

/// The closing quotation marks that end a quotation opened by `open`.
fn closers_of(open: char) -> &'static [char] {
    match open {
        '“' => &['”'],
        '‘' => &['’'],
        '„' => &['“', '”'],
        '‚' => &['‘', '’'],
        '«' => &['»'],
        '‹' => &['›'],
        '「' => &['」'],
        '『' => &['』'],
        '"' => &['"'],
        '\'' => &['\''],
        _ => &[],
    }
}

/// The opening quotation marks that a quotation closed by `close` may start with.
fn openers_of(close: char) -> &'static [char] {
    match close {
        '”' => &['“', '„'],
        '’' => &['‘', '‚'],
        '“' => &['„'],
        '‘' => &['‚'],
        '»' => &['«'],
        '›' => &['‹'],
        '」' => &['「'],
        '』' => &['『'],
        '"' => &['"'],
        '\'' => &['\''],
        _ => &[],
    }
}

/// Whether the character at byte `at` of `text`, `c`, sits between two
/// letters or digits (an apostrophe, not a quotation mark).
fn is_apostrophe_at(text: &str, at: usize, c: char) -> bool {
    if c != '’' && c != '\'' {
        return false;
    }
    let before = text[..at].chars().next_back();
    let after = text[at + c.len_utf8()..].chars().next();
    before.is_some_and(char::is_alphanumeric) && after.is_some_and(char::is_alphanumeric)
}

/// Whether the opening mark `lead` (the cluster ending at `lead_end`) has
/// its closing partner in `text[lead_end..to]`.
fn partner_after(text: &str, lead_end: usize, to: usize, lead: char) -> bool {
    if let Some(close) = closing_bracket(lead) {
        return text[lead_end..to].contains(close);
    }
    let closers = closers_of(lead);
    !closers.is_empty()
        && text[lead_end..to]
            .char_indices()
            .any(|(i, c)| closers.contains(&c) && !is_apostrophe_at(text, lead_end + i, c))
}

/// Whether the closing mark `tail` (the cluster starting at `tail_start`)
/// has its opening partner in `text[from..tail_start]`.
fn partner_before(text: &str, from: usize, tail_start: usize, tail: char) -> bool {
    if let Some(open) = opening_bracket(tail) {
        return text[from..tail_start].contains(open);
    }
    let openers = openers_of(tail);
    !openers.is_empty()
        && text[from..tail_start]
            .char_indices()
            .any(|(i, c)| openers.contains(&c) && !is_apostrophe_at(text, from + i, c))
}

/// Whether the brackets `open` and `close` around `inner` are a pair,
/// rather than each closed inside (`(a) and (b)` is not enclosed).
fn encloses_whole(inner: &str, open: char, close: char) -> bool {
    let mut depth = 0usize;
    for c in inner.chars() {
        if c == open {
            depth += 1;
        } else if c == close {
            if depth == 0 {
                return false;
            }
            depth -= 1;
        }
    }
    true
}
