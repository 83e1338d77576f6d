//! Caret boundaries (`text::boundaries`): examples with emoji, combining
//! marks, flags, curly quotes, NBSP and CRLF, and properties against an
//! oracle that segments the whole text at once (the module itself only
//! segments the neighbourhood of a position).
#![cfg(not(target_arch = "wasm32"))]

use marginalia::text::boundaries::{
    grapheme_ceil, grapheme_floor, is_grapheme_boundary, line_end, line_start, next, previous,
    word_around, Edge, Unit, WINDOW,
};
use marginalia::text::OffsetIndex;
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn cp(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].chars().count()
}

fn next_of(text: &str, pos: usize, unit: Unit, edge: Edge) -> usize {
    next(text, &OffsetIndex::new(text), pos, unit, edge)
}

fn prev_of(text: &str, pos: usize, unit: Unit, edge: Edge) -> usize {
    previous(text, &OffsetIndex::new(text), pos, unit, edge)
}

/// All stops from 0 (or the end) walking in one direction.
fn walk_forward(text: &str, unit: Unit, edge: Edge) -> Vec<usize> {
    let len = text.chars().count();
    let mut out = Vec::new();
    let mut at = 0;
    while at < len {
        at = next_of(text, at, unit, edge);
        out.push(at);
    }
    out
}

// ------------------------------------------------------------------ examples

#[test]
fn graphemes_keep_emoji_flags_marks_and_crlf_whole() {
    // a, family (5 code points), flag (2), e + U+0301 (2), thumbs up + skin tone (2), CR LF, b
    let text = "a👩\u{200d}👩\u{200d}👧🇺🇦e\u{301}👍🏽\r\nb";
    assert_eq!(
        walk_forward(text, Unit::Grapheme, Edge::End),
        vec![1, 6, 8, 10, 12, 14, 15]
    );
    let len = text.chars().count();
    let mut back = Vec::new();
    let mut at = len;
    while at > 0 {
        at = prev_of(text, at, Unit::Grapheme, Edge::Start);
        back.push(at);
    }
    assert_eq!(back, vec![14, 12, 10, 8, 6, 1, 0]);
    let index = OffsetIndex::new(text);
    assert!(!is_grapheme_boundary(text, &index, 3), "inside the family");
    assert_eq!(grapheme_floor(text, &index, 3), 1);
    assert_eq!(grapheme_ceil(text, &index, 3), 6);
    assert_eq!(grapheme_ceil(text, &index, 13), 14, "between CR and LF");
    assert_eq!(grapheme_floor(text, &index, 6), 6, "a boundary stays");
}

#[test]
fn words_forward_to_ends_and_back_to_starts() {
    let text = "Russia’s envoy, U.S. officials said “no”\u{a0}today.";
    let ends = walk_forward(text, Unit::Word, Edge::End);
    let expected_ends: Vec<usize> = [
        "Russia’s",
        "envoy",
        "U.S",
        "officials",
        "said",
        "no",
        "today",
    ]
    .iter()
    .map(|w| cp(text, w) + w.chars().count())
    .chain([text.chars().count()])
    .collect();
    assert_eq!(ends, expected_ends);
    let len = text.chars().count();
    assert_eq!(
        prev_of(text, len, Unit::Word, Edge::Start),
        cp(text, "today")
    );
    assert_eq!(
        prev_of(text, cp(text, "today"), Unit::Word, Edge::Start),
        cp(text, "no")
    );
    // From inside a word, back goes to its own start.
    assert_eq!(
        prev_of(text, cp(text, "fficials"), Unit::Word, Edge::Start),
        cp(text, "officials")
    );
    // Next word start from inside "envoy".
    assert_eq!(
        next_of(text, cp(text, "nvoy"), Unit::Word, Edge::Start),
        cp(text, "U.S")
    );
    assert_eq!(
        prev_of(text, cp(text, "officials"), Unit::Word, Edge::End),
        cp(text, "U.S") + 3
    );
}

#[test]
fn words_skip_emoji_and_cross_lines() {
    let text = "one 👍🏽\r\n\r\n  two";
    assert_eq!(
        next_of(text, 3, Unit::Word, Edge::End),
        text.chars().count()
    );
    assert_eq!(next_of(text, 3, Unit::Word, Edge::Start), cp(text, "two"));
    assert_eq!(prev_of(text, cp(text, "two"), Unit::Word, Edge::End), 3);
    assert_eq!(prev_of(text, 2, Unit::Word, Edge::Start), 0);
    assert_eq!(
        next_of(text, text.chars().count(), Unit::Word, Edge::End),
        text.chars().count()
    );
}

#[test]
fn word_around_is_strictly_inside() {
    let text = "the cafe\u{301}’s menu";
    let index = OffsetIndex::new(text);
    let word = (cp(text, "cafe"), cp(text, " menu"));
    assert_eq!(word_around(text, &index, word.0 + 2), Some(word));
    assert_eq!(
        word_around(text, &index, word.0),
        None,
        "at the start is not inside"
    );
    assert_eq!(
        word_around(text, &index, word.1),
        None,
        "at the end is not inside"
    );
    assert_eq!(word_around(text, &index, 3), None, "a space is no word");
}

#[test]
fn sentences_end_after_their_punctuation_and_quotes() {
    let text = "He said “We will win.” Then he left.\u{a0}Ushakov said so.\nNew line here";
    let ends = walk_forward(text, Unit::Sentence, Edge::End);
    assert_eq!(
        ends,
        vec![
            cp(text, " Then"),
            cp(text, "\u{a0}Ushakov"),
            cp(text, "\nNew"),
            text.chars().count()
        ]
    );
    assert_eq!(
        prev_of(text, cp(text, "he left"), Unit::Sentence, Edge::Start),
        cp(text, "Then")
    );
    assert_eq!(
        prev_of(text, cp(text, "Then"), Unit::Sentence, Edge::Start),
        0
    );
    assert_eq!(
        prev_of(text, cp(text, "here"), Unit::Sentence, Edge::Start),
        cp(text, "New")
    );
    assert_eq!(
        next_of(text, 0, Unit::Sentence, Edge::Start),
        cp(text, "Then")
    );
}

#[test]
fn paragraphs_are_non_blank_lines_with_or_without_blank_lines_between() {
    let text = "Title\r\n\r\n  First para.  \nSecond para.\n\n\nThird";
    assert_eq!(
        walk_forward(text, Unit::Paragraph, Edge::End),
        vec![
            cp(text, "\r\n\r\n"),
            cp(text, "  \nSecond"),
            cp(text, "\n\n\nThird"),
            text.chars().count()
        ]
    );
    let len = text.chars().count();
    assert_eq!(
        prev_of(text, len, Unit::Paragraph, Edge::Start),
        cp(text, "Third")
    );
    assert_eq!(
        prev_of(text, cp(text, "Third"), Unit::Paragraph, Edge::Start),
        cp(text, "Second")
    );
    assert_eq!(
        prev_of(text, cp(text, "Second"), Unit::Paragraph, Edge::Start),
        cp(text, "First")
    );
    assert_eq!(
        next_of(text, 0, Unit::Paragraph, Edge::Start),
        cp(text, "First")
    );
}

#[test]
fn line_start_and_end_around_crlf() {
    let text = "ab\r\ncd\n\nef";
    let index = OffsetIndex::new(text);
    assert_eq!(line_start(text, &index, 5), 4);
    assert_eq!(line_end(text, &index, 5), 6);
    assert_eq!(
        line_start(text, &index, 2),
        0,
        "before the CR is the first line"
    );
    assert_eq!(line_end(text, &index, 0), 2);
    assert_eq!(
        (line_start(text, &index, 7), line_end(text, &index, 7)),
        (7, 7),
        "a blank line"
    );
    assert_eq!(line_end(text, &index, 8), 10);
}

#[test]
fn a_line_longer_than_the_window_still_finds_exact_word_boundaries() {
    // One 60 KB line of prose: words are searched in a window around the
    // position, so boundaries far from it must still be exactly right.
    let words = ["alpha", "béta", "gamma’s", "👍🏽", "delta,", "e\u{301}psilon"];
    let text: String = (0..8000)
        .map(|i| words[i % words.len()])
        .collect::<Vec<_>>()
        .join(" ");
    assert!(text.len() > 10 * WINDOW);
    let oracle = Oracle::new(&text);
    let index = OffsetIndex::new(&text);
    let len = oracle.len;
    for pos in (0..len).step_by(997).chain([len / 2, len - 1, len]) {
        for edge in [Edge::Start, Edge::End] {
            assert_eq!(
                next(&text, &index, pos, Unit::Word, edge),
                oracle.next(&oracle.words, pos, edge),
                "next word {edge:?} from {pos}"
            );
            assert_eq!(
                previous(&text, &index, pos, Unit::Word, edge),
                oracle.previous(&oracle.words, pos, edge),
                "previous word {edge:?} from {pos}"
            );
        }
    }
}

#[test]
fn a_megabyte_of_text_is_walked_word_by_word_from_the_middle() {
    // 1 MB in paragraphs: each step looks at one neighbourhood only. (Not a
    // timed test: this would take minutes if each step segmented the text.)
    let paragraph = "Officials said the “deadline” is near, and Ушаков agreed. 👍🏽 ";
    let text: String = (0..16_000)
        .map(|i| if i % 10 == 9 { "\n\n" } else { paragraph })
        .collect();
    assert!(text.len() > 1_000_000);
    let index = OffsetIndex::new(&text);
    let mut at = index.len_chars() / 2;
    for _ in 0..20_000 {
        let next_at = next(&text, &index, at, Unit::Word, Edge::End);
        assert!(next_at > at);
        at = next_at;
    }
}

// -------------------------------------------------------------- properties

/// Boundaries computed from the whole text in one pass.
struct Oracle {
    len: usize,
    graphemes: Vec<(usize, usize)>,
    words: Vec<(usize, usize)>,
    sentences: Vec<(usize, usize)>,
    paragraphs: Vec<(usize, usize)>,
}

impl Oracle {
    fn new(text: &str) -> Self {
        let cp_of = |byte: usize| text[..byte].chars().count();
        let span = |at: usize, s: &str| (cp_of(at), cp_of(at + s.len()));
        let trimmed = |at: usize, s: &str| {
            let lead = s.len() - s.trim_start().len();
            span(at + lead, s.trim())
        };
        let mut paragraphs = Vec::new();
        let bytes = text.as_bytes();
        let (mut line_start, mut i) = (0, 0);
        while i <= bytes.len() {
            if i == bytes.len() || bytes[i] == b'\n' || bytes[i] == b'\r' {
                let line = &text[line_start..i];
                if !line.trim().is_empty() {
                    paragraphs.push(trimmed(line_start, line));
                }
                if i < bytes.len() && bytes[i] == b'\r' && bytes.get(i + 1) == Some(&b'\n') {
                    i += 1;
                }
                line_start = i + 1;
            }
            i += 1;
        }
        Oracle {
            len: text.chars().count(),
            graphemes: text
                .grapheme_indices(true)
                .map(|(at, g)| span(at, g))
                .collect(),
            words: text
                .split_word_bound_indices()
                .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
                .map(|(at, w)| span(at, w))
                .collect(),
            sentences: text
                .split_sentence_bound_indices()
                .filter(|(_, s)| !s.trim().is_empty())
                .map(|(at, s)| trimmed(at, s))
                .collect(),
            paragraphs,
        }
    }

    fn next(&self, spans: &[(usize, usize)], pos: usize, edge: Edge) -> usize {
        spans
            .iter()
            .map(|&(s, e)| if edge == Edge::Start { s } else { e })
            .filter(|&b| b > pos)
            .min()
            .unwrap_or(self.len)
    }

    fn previous(&self, spans: &[(usize, usize)], pos: usize, edge: Edge) -> usize {
        spans
            .iter()
            .map(|&(s, e)| if edge == Edge::Start { s } else { e })
            .filter(|&b| b < pos)
            .max()
            .unwrap_or(0)
    }
}

fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "word",
        "Russia’s",
        "U.S.",
        "3.14",
        "e\u{301}t\u{e9}",
        "Ушаков",
        "東京",
        " ",
        "  ",
        "\u{a0}",
        "\t",
        "\n",
        "\r\n",
        "\n\n",
        "\r",
        ",",
        ".",
        ". ",
        "? ",
        ";",
        ":",
        "—",
        "(",
        ")",
        "“",
        "”",
        "‘",
        "’",
        "\"",
        "'",
        "👍🏽",
        "👩\u{200d}👩\u{200d}👧",
        "🇺🇦",
        "🇫🇷",
        "\u{301}",
        "\u{200d}",
        "A",
        "x",
    ])
}

fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..40).prop_map(|pieces| pieces.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]

    #[test]
    fn every_unit_matches_whole_text_segmentation(text in mixed_text()) {
        let oracle = Oracle::new(&text);
        let index = OffsetIndex::new(&text);
        for pos in 0..=oracle.len {
            for (unit, spans) in [
                (Unit::Grapheme, &oracle.graphemes),
                (Unit::Word, &oracle.words),
                (Unit::Sentence, &oracle.sentences),
                (Unit::Paragraph, &oracle.paragraphs),
            ] {
                for edge in [Edge::Start, Edge::End] {
                    let want_next = if unit == Unit::Grapheme { oracle.next(spans, pos, Edge::End) } else { oracle.next(spans, pos, edge) };
                    let want_prev = if unit == Unit::Grapheme { oracle.previous(spans, pos, Edge::Start) } else { oracle.previous(spans, pos, edge) };
                    prop_assert_eq!(next(&text, &index, pos, unit, edge), want_next, "next {:?} {:?} from {} in {:?}", unit, edge, pos, text);
                    prop_assert_eq!(previous(&text, &index, pos, unit, edge), want_prev, "previous {:?} {:?} from {} in {:?}", unit, edge, pos, text);
                }
            }
            let inside = oracle.words.iter().copied().find(|&(s, e)| s < pos && pos < e);
            prop_assert_eq!(word_around(&text, &index, pos), inside);
            let boundary = pos == 0 || pos == oracle.len || oracle.graphemes.iter().any(|&(s, _)| s == pos);
            prop_assert_eq!(is_grapheme_boundary(&text, &index, pos), boundary);
        }
    }
}
