//! The caret model (`caret`): motions over emoji, combining marks and CRLF,
//! Shift-extension, Tab order, cycling stacked spans, and resizing a span's
//! edges by words and by whole grapheme clusters.
#![cfg(not(target_arch = "wasm32"))]

use marginalia::caret::{adjacent_span, cycle_at, moved, resized, spans_at, Caret};
use marginalia::keymap::{Motion, SpanEdge, Step};
use marginalia::model::{Annotation, Document};

const TEXT: &str = "He said “We will win.” Then 👍🏽 left.\r\nCafe\u{301} au lait 🇺🇦 here.";

fn cp(needle: &str) -> usize {
    TEXT[..TEXT.find(needle).expect("needle")].chars().count()
}

fn doc() -> Document {
    Document::new("t.txt", TEXT)
}

fn go(caret: Caret, motion: Motion, forward: bool, extend: bool) -> Caret {
    moved(&doc(), caret, motion, forward, extend).expect("a motion the core does")
}

fn span(id: &str, start: usize, end: usize) -> Annotation {
    Annotation {
        id: id.into(),
        label: "claim".into(),
        start,
        end,
        created_at: "2026-01-01T00:00:00Z".into(),
        note: None,
    }
}

#[test]
fn characters_are_whole_clusters() {
    let thumb = cp("👍");
    assert_eq!(
        go(Caret::at(thumb), Motion::Grapheme, true, false),
        Caret::at(thumb + 2)
    );
    assert_eq!(
        go(Caret::at(thumb + 2), Motion::Grapheme, false, false),
        Caret::at(thumb)
    );
    let crlf = cp("\r\n");
    assert_eq!(
        go(Caret::at(crlf), Motion::Grapheme, true, false),
        Caret::at(crlf + 2)
    );
    let accent = cp("e\u{301}");
    assert_eq!(
        go(Caret::at(accent), Motion::Grapheme, true, false),
        Caret::at(accent + 2)
    );
}

#[test]
fn shift_extends_and_a_plain_arrow_collapses() {
    let start = Caret::at(cp("said"));
    let one = go(start, Motion::Word, true, true);
    assert_eq!(
        one,
        Caret {
            anchor: cp("said"),
            focus: cp("said") + 4
        }
    );
    let two = go(one, Motion::Word, true, true);
    assert_eq!(two.anchor, cp("said"));
    assert_eq!(two.focus, cp("We") + 2);
    assert_eq!(two.range(), (cp("said"), cp("We") + 2));
    assert_eq!(
        go(two, Motion::Grapheme, false, false),
        Caret::at(cp("said"))
    );
    assert_eq!(
        go(two, Motion::Grapheme, true, false),
        Caret::at(cp("We") + 2)
    );
    // Extending backwards past the anchor flips the range.
    let back = go(Caret::at(cp("said")), Motion::Word, false, true);
    assert_eq!(back.range(), (0, cp("said")));
}

#[test]
fn sentences_paragraphs_lines_and_the_document() {
    let c = Caret::at(cp("will"));
    assert_eq!(go(c, Motion::Sentence, true, false), Caret::at(cp(" Then")));
    assert_eq!(go(c, Motion::Sentence, false, false), Caret::at(0));
    assert_eq!(go(c, Motion::Paragraph, true, false), Caret::at(cp("\r\n")));
    assert_eq!(
        go(Caret::at(cp("au")), Motion::Paragraph, false, false),
        Caret::at(cp("Cafe"))
    );
    assert_eq!(
        go(Caret::at(cp("au")), Motion::LineEdge, false, false),
        Caret::at(cp("Cafe"))
    );
    assert_eq!(go(c, Motion::LineEdge, true, false), Caret::at(cp("\r\n")));
    let len = TEXT.chars().count();
    assert_eq!(
        go(c, Motion::DocumentEdge, true, true),
        Caret {
            anchor: cp("will"),
            focus: len
        }
    );
    assert_eq!(
        moved(&doc(), c, Motion::VisualLine, true, false),
        None,
        "needs the layout"
    );
}

#[test]
fn tab_order_follows_the_text_from_the_selection_or_the_caret() {
    let spans = vec![
        span("a", 0, 2),
        span("b", 3, 7),
        span("c", 3, 20),
        span("d", 30, 34),
    ];
    let id = |a: Option<&Annotation>| a.map(|a| a.id.clone());
    assert_eq!(
        id(adjacent_span(&spans, Some("b"), 0, true)),
        Some("c".into())
    );
    assert_eq!(
        id(adjacent_span(&spans, Some("b"), 0, false)),
        Some("a".into())
    );
    assert_eq!(id(adjacent_span(&spans, Some("a"), 0, false)), None);
    assert_eq!(
        id(adjacent_span(&spans, Some("d"), 0, true)),
        None,
        "past the last: Tab leaves"
    );
    assert_eq!(
        id(adjacent_span(&spans, None, 3, true)),
        Some("b".into()),
        "starting at the caret"
    );
    assert_eq!(id(adjacent_span(&spans, None, 25, true)), Some("d".into()));
    assert_eq!(id(adjacent_span(&spans, None, 25, false)), Some("c".into()));
    assert_eq!(id(adjacent_span(&spans, None, 0, false)), None);
}

#[test]
fn the_cycle_key_walks_out_through_stacked_spans() {
    let spans = vec![
        span("outer", 0, 20),
        span("inner", 5, 8),
        span("mid", 4, 12),
    ];
    let order: Vec<&str> = spans_at(&spans, 6).iter().map(|a| a.id.as_str()).collect();
    assert_eq!(order, ["inner", "mid", "outer"]);
    assert_eq!(cycle_at(&spans, None, 6), Some("inner"));
    assert_eq!(cycle_at(&spans, Some("inner"), 6), Some("mid"));
    assert_eq!(cycle_at(&spans, Some("mid"), 6), Some("outer"));
    assert_eq!(cycle_at(&spans, Some("outer"), 6), Some("inner"));
    assert_eq!(
        cycle_at(&spans, None, 20),
        Some("outer"),
        "just after a span's end"
    );
    assert_eq!(cycle_at(&spans, None, 25), None);
}

#[test]
fn resizing_moves_one_edge_by_words_or_whole_clusters() {
    let d = doc();
    let will = (cp("will"), cp("will") + 4);
    // End edge by a word: grow to the next word end, shrink back.
    let grown = resized(&d, will, SpanEdge::End, true, Step::Word).unwrap();
    assert_eq!(grown, (will.0, cp("win") + 3));
    assert_eq!(
        resized(&d, grown, SpanEdge::End, false, Step::Word),
        Some(will)
    );
    assert_eq!(
        resized(&d, will, SpanEdge::End, false, Step::Word),
        None,
        "would be empty"
    );
    // Start edge by a word.
    assert_eq!(
        resized(&d, will, SpanEdge::Start, false, Step::Word),
        Some((cp("We"), will.1))
    );
    assert_eq!(
        resized(&d, grown, SpanEdge::Start, true, Step::Word),
        Some((cp("win"), grown.1))
    );
    // By a character: an emoji with its skin tone, CR LF, a combining accent move as one.
    let thumb = cp("👍");
    assert_eq!(
        resized(
            &d,
            (cp("Then"), thumb),
            SpanEdge::End,
            true,
            Step::Character
        ),
        Some((cp("Then"), thumb + 2))
    );
    let accent = cp("e\u{301}");
    assert_eq!(
        resized(
            &d,
            (cp("Cafe"), accent + 2),
            SpanEdge::End,
            false,
            Step::Character
        ),
        Some((cp("Cafe"), accent))
    );
    assert_eq!(
        resized(
            &d,
            (accent + 2, accent + 5),
            SpanEdge::Start,
            false,
            Step::Character
        ),
        Some((accent, accent + 5))
    );
    assert_eq!(
        resized(&d, (0, 2), SpanEdge::Start, false, Step::Character),
        None,
        "at the text's start"
    );
}
