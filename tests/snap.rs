//! Snapping selections to spans (`text::snap`): the documented rules on
//! examples with curly quotes, NBSP, emoji, combining marks and CRLF, and
//! properties over random texts: within bounds, whole grapheme clusters,
//! whole words, no edge whitespace, nothing lost, idempotent.
#![cfg(not(target_arch = "wasm32"))]

use marginalia::text::{snap, OffsetIndex, SnapMode};
use proptest::prelude::*;
use unicode_segmentation::UnicodeSegmentation;

fn cp(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].chars().count()
}

/// Snaps the first occurrence of `selected` in `text`; returns the snapped text.
fn snapped(text: &str, selected: &str, mode: SnapMode) -> Option<String> {
    let start = cp(text, selected);
    let end = start + selected.chars().count();
    snap_range(text, start, end, mode)
}

fn snap_range(text: &str, start: usize, end: usize, mode: SnapMode) -> Option<String> {
    let (s, e) = snap(text, &OffsetIndex::new(text), start, end, mode)?;
    Some(text.chars().skip(s).take(e - s).collect())
}

fn words(text: &str, selected: &str) -> Option<String> {
    snapped(text, selected, SnapMode::Words)
}

fn characters(text: &str, selected: &str) -> Option<String> {
    snapped(text, selected, SnapMode::Characters)
}

const SAID: &str =
    "He said “We will win.” Then, We will win, he said (Reuters) in Moscow (Russia).";

#[test]
fn words_is_the_default() {
    assert_eq!(SnapMode::default(), SnapMode::Words);
}

#[test]
fn a_quotation_taken_whole_keeps_its_marks_and_inner_punctuation() {
    assert_eq!(
        words(SAID, "“We will win.”").as_deref(),
        Some("“We will win.”")
    );
    assert_eq!(
        words(SAID, " “We will win.” ").as_deref(),
        Some("“We will win.”")
    );
    assert_eq!(
        words(SAID, "said “We will win.”").as_deref(),
        Some("said “We will win.”")
    );
    assert_eq!(
        words(SAID, "“We will win.” Then,").as_deref(),
        Some("“We will win.” Then")
    );
}

#[test]
fn edge_punctuation_outside_quotation_marks_is_dropped() {
    assert_eq!(words(SAID, "We will win, ").as_deref(), Some("We will win"));
    assert_eq!(
        words(SAID, ", We will win,").as_deref(),
        Some("We will win")
    );
    assert_eq!(
        words(SAID, "Moscow (Russia).").as_deref(),
        Some("Moscow (Russia)")
    );
    assert_eq!(
        words(SAID, "(Reuters)").as_deref(),
        Some("Reuters"),
        "a pair around the whole goes"
    );
    assert_eq!(
        words(SAID, "said (Reuters) in").as_deref(),
        Some("said (Reuters) in")
    );
    // An unmatched quotation mark at an edge is punctuation like any other.
    assert_eq!(words(SAID, "“We will").as_deref(), Some("We will"));
    assert_eq!(words(SAID, "win.” Then").as_deref(), Some("win.” Then"));
    assert_eq!(words(SAID, "will win.”").as_deref(), Some("will win"));
    // Only punctuation: nothing left.
    assert_eq!(words(SAID, "” "), None);
    assert_eq!(words("a , . ; — b", ", . ; —"), None);
}

#[test]
fn brackets_enclosing_separate_parts_are_not_a_pair() {
    let text = "(a) and (b)";
    assert_eq!(
        snap_range(text, 0, 11, SnapMode::Words).as_deref(),
        Some("(a) and (b)")
    );
    assert_eq!(
        snap_range("((a) b)", 0, 7, SnapMode::Words).as_deref(),
        Some("(a) b")
    );
}

#[test]
fn apostrophes_are_not_quotation_marks() {
    let text = "She said ‘I don’t know’ and the students’ view";
    assert_eq!(
        words(text, "‘I don’t know’").as_deref(),
        Some("‘I don’t know’")
    );
    assert_eq!(
        words(text, "‘I don’t").as_deref(),
        Some("I don’t"),
        "the apostrophe is no partner"
    );
    assert_eq!(
        words(text, "the students’ ").as_deref(),
        Some("the students")
    );
    assert_eq!(
        words("It's \"yes,\" he said.", "\"yes,\" he said.").as_deref(),
        Some("\"yes,\" he said")
    );
    assert_eq!(words("German „Ja“ und", "„Ja“").as_deref(), Some("„Ja“"));
    assert_eq!(
        words("« Oui » dit-il", "« Oui »").as_deref(),
        Some("« Oui »")
    );
}

#[test]
fn words_snap_out_and_are_never_cut() {
    let text = "Russia’s envoy met officials";
    assert_eq!(words(text, "ssia’s env").as_deref(), Some("Russia’s envoy"));
    assert_eq!(words(text, "t off").as_deref(), Some("met officials"));
    assert_eq!(
        words(text, "e").as_deref(),
        Some("envoy"),
        "one letter gives its word"
    );
}

#[test]
fn characters_mode_only_completes_clusters_and_trims_whitespace() {
    assert_eq!(
        characters(SAID, "We will win, ").as_deref(),
        Some("We will win,")
    );
    assert_eq!(characters(SAID, "ill w").as_deref(), Some("ill w"));
    assert_eq!(characters(SAID, " “We").as_deref(), Some("“We"));
    assert_eq!(characters(SAID, " "), None);
}

#[test]
fn grapheme_clusters_are_never_split() {
    // thumbs up + skin tone, ZWJ family, flag, e + combining acute.
    let text = "I 👍🏽 the 👩\u{200d}👩\u{200d}👧 in 🇺🇦 at the cafe\u{301} now";
    for mode in [SnapMode::Words, SnapMode::Characters] {
        let thumb = cp(text, "👍");
        assert_eq!(
            snap_range(text, thumb, thumb + 1, mode).as_deref(),
            Some("👍🏽")
        );
        assert_eq!(
            snap_range(text, thumb + 1, thumb + 2, mode).as_deref(),
            Some("👍🏽")
        );
        let family = cp(text, "👩");
        assert_eq!(
            snap_range(text, family + 2, family + 3, mode).as_deref(),
            Some("👩\u{200d}👩\u{200d}👧")
        );
        let flag = cp(text, "🇺🇦");
        assert_eq!(
            snap_range(text, flag + 1, flag + 2, mode).as_deref(),
            Some("🇺🇦")
        );
    }
    // The accent belongs to its e: selecting up to the e takes the accent too.
    let e = cp(text, "e\u{301}");
    assert_eq!(
        snap_range(text, e - 3, e + 1, SnapMode::Characters).as_deref(),
        Some("cafe\u{301}")
    );
    assert_eq!(
        snap_range(text, e + 1, e + 2, SnapMode::Characters).as_deref(),
        Some("e\u{301}")
    );
    assert_eq!(
        snap_range(text, e, e + 1, SnapMode::Words).as_deref(),
        Some("cafe\u{301}")
    );
}

#[test]
fn nbsp_tabs_and_crlf_are_whitespace() {
    let text = "one\u{a0}two\u{a0}\tthree\r\nfour";
    assert_eq!(words(text, "\u{a0}two\u{a0}\t").as_deref(), Some("two"));
    assert_eq!(words(text, "ree\r\nfo").as_deref(), Some("three\r\nfour"));
    // Ending between CR and LF: the CR LF cluster is completed, then trimmed.
    let cr = cp(text, "\r");
    assert_eq!(
        snap_range(text, cr - 2, cr + 1, SnapMode::Characters).as_deref(),
        Some("ee")
    );
    assert_eq!(snap_range(text, cr, cr + 1, SnapMode::Words), None);
}

#[test]
fn out_of_range_and_empty_ranges() {
    let index = OffsetIndex::new("abc def");
    assert_eq!(
        snap("abc def", &index, 5, 99, SnapMode::Words),
        Some((4, 7))
    );
    assert_eq!(snap("abc def", &index, 3, 3, SnapMode::Words), None);
    assert_eq!(snap("abc def", &index, 4, 2, SnapMode::Words), None);
    assert_eq!(
        snap("", &OffsetIndex::new(""), 0, 0, SnapMode::Characters),
        None
    );
}

// -------------------------------------------------------------- properties

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
        "\r",
        ",",
        ".",
        ". ",
        "? ",
        ";",
        ":",
        "—",
        "-",
        "(",
        ")",
        "[",
        "]",
        "“",
        "”",
        "‘",
        "’",
        "„",
        "«",
        "»",
        "\"",
        "'",
        "…",
        "👍🏽",
        "👩\u{200d}👩\u{200d}👧",
        "🇺🇦",
        "\u{301}",
        "\u{200d}",
        "A",
        "x",
        "%",
        "#",
    ])
}

fn text_and_range() -> impl Strategy<Value = (String, usize, usize)> {
    prop::collection::vec(piece(), 0..30)
        .prop_map(|pieces| pieces.concat())
        .prop_flat_map(|text| {
            let len = text.chars().count();
            (Just(text), 0..=len + 2, 0..=len + 2)
        })
}

/// Whole-text segmentation, in code points.
fn segments(text: &str) -> (Vec<usize>, Vec<(usize, usize)>) {
    let cp_of = |byte: usize| text[..byte].chars().count();
    let mut boundaries: Vec<usize> = text
        .grapheme_indices(true)
        .map(|(at, _)| cp_of(at))
        .collect();
    boundaries.push(text.chars().count());
    let words = text
        .split_word_bound_indices()
        .filter(|(_, w)| w.chars().any(char::is_alphanumeric))
        .map(|(at, w)| (cp_of(at), cp_of(at + w.len())))
        .collect();
    (boundaries, words)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(1000))]

    #[test]
    fn snapped_ranges_are_whole_trimmed_and_stable((text, start, end) in text_and_range()) {
        let index = OffsetIndex::new(&text);
        let chars: Vec<char> = text.chars().collect();
        let (boundaries, words) = segments(&text);
        for mode in [SnapMode::Words, SnapMode::Characters] {
            let Some((s, e)) = snap(&text, &index, start, end, mode) else { continue };
            prop_assert!(s < e && e <= chars.len(), "{:?}: {}..{} in bounds", mode, s, e);
            prop_assert!(boundaries.contains(&s) && boundaries.contains(&e), "{:?}: {}..{} splits a cluster in {:?}", mode, s, e, text);
            prop_assert!(!chars[s].is_whitespace() && !chars[e - 1].is_whitespace(), "{:?}: edge whitespace in {:?}", mode, &chars[s..e]);
            prop_assert_eq!(snap(&text, &index, s, e, mode), Some((s, e)), "{:?}: snapping again changes {}..{} of {:?}", mode, s, e, text);
            let end = end.min(chars.len());
            match mode {
                SnapMode::Words => {
                    for &(ws, we) in &words {
                        let cuts = |at: usize| ws < at && at < we;
                        prop_assert!(!cuts(s) && !cuts(e), "word {}..{} cut by {}..{} in {:?}", ws, we, s, e, text);
                        // Every word the selection touched is in the span.
                        if ws < end && we > start {
                            prop_assert!(s <= ws && we <= e, "word {}..{} lost from {}..{} in {:?}", ws, we, s, e, text);
                        }
                    }
                }
                SnapMode::Characters => {
                    // Only clusters that begin or end with whitespace are ever dropped.
                    let clusters = text.graphemes(true).scan(0, |at, g| {
                        let from = *at;
                        *at += g.chars().count();
                        Some((from, *at, g))
                    });
                    for (cs, ce, g) in clusters {
                        let blank = g.starts_with(char::is_whitespace) || g.ends_with(char::is_whitespace);
                        if cs < end && ce > start && !blank {
                            prop_assert!(s <= cs && ce <= e, "{:?} at {} lost from {}..{} in {:?}", g, cs, s, e, text);
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn a_selection_with_a_word_in_it_always_snaps_to_something((text, start, end) in text_and_range()) {
        let index = OffsetIndex::new(&text);
        let (_, words) = segments(&text);
        let touches_word = words.iter().any(|&(ws, we)| ws < end.min(text.chars().count()) && we > start);
        if touches_word && start < end {
            prop_assert!(snap(&text, &index, start, end, SnapMode::Words).is_some());
        }
    }
}
