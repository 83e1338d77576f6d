//! Re-anchoring imported spans onto our text: exact, moved, ambiguous quotes
//! settled by context and nearness, fuzzy matches and their similarity,
//! orphans, and texts full of emoji, combining marks and CRLF. Property
//! tests: the same text places every span exactly; inserted text moves a
//! span with a unique quote by exactly the inserted length.
#![cfg(not(target_arch = "wasm32"))]

use marginalia::import::reanchor::{context, EXACT_SEARCH_RADII, FUZZY_SEARCH_RADIUS};
use marginalia::import::{reanchor, Anchorer, Placement, SpanAnchor, MIN_SIMILARITY};
use marginalia::text::OffsetIndex;
use proptest::prelude::*;

fn chars(text: &str) -> Vec<char> {
    text.chars().collect()
}

/// Code point offset of the `nth` occurrence of `needle` in `text`.
fn cp_of(text: &str, needle: &str, nth: usize) -> usize {
    let (byte, _) = text.match_indices(needle).nth(nth).expect("needle occurs");
    text[..byte].chars().count()
}

fn slice(text: &str, start: usize, end: usize) -> String {
    chars(text)[start..end].iter().collect()
}

/// A span as an exporter of `text` would describe `[start, end)`.
fn described(text: &str, start: usize, end: usize) -> (String, String, String) {
    let index = OffsetIndex::new(text);
    let (prefix, suffix) = context(text, &index, start, end);
    (
        slice(text, start, end),
        prefix.to_owned(),
        suffix.to_owned(),
    )
}

fn anchor<'a>(start: usize, end: usize, d: &'a (String, String, String)) -> SpanAnchor<'a> {
    SpanAnchor {
        start,
        end,
        quote: Some(&d.0),
        prefix: Some(&d.1),
        suffix: Some(&d.2),
    }
}

/// Reference Levenshtein distance in code points.
fn levenshtein(a: &str, b: &str) -> usize {
    let (a, b) = (chars(a), chars(b));
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for i in 1..=a.len() {
        let mut diag = row[0];
        row[0] = i;
        for j in 1..=b.len() {
            let up = row[j];
            row[j] = (diag + usize::from(a[i - 1] != b[j - 1]))
                .min(up + 1)
                .min(row[j - 1] + 1);
            diag = up;
        }
    }
    row[b.len()]
}

const OLD: &str = "The mayor said the budget would pass by Friday. Critics disagreed.\nThe vote is set for Friday.";

#[test]
fn unchanged_text_keeps_every_position() {
    let a = cp_of(OLD, "the budget would pass", 0);
    let b = cp_of(OLD, "Friday", 1);
    let da = described(OLD, a, a + 21);
    let db = described(OLD, b, b + 6);
    let placed = reanchor(OLD, &[anchor(a, a + 21, &da), anchor(b, b + 6, &db)]);
    assert_eq!(
        placed,
        vec![
            Placement::Exact {
                start: a,
                end: a + 21
            },
            Placement::Exact {
                start: b,
                end: b + 6
            }
        ]
    );
}

#[test]
fn text_inserted_before_moves_the_span() {
    let start = cp_of(OLD, "Critics disagreed", 0);
    let d = described(OLD, start, start + 17);
    let inserted = "Breaking: 🗳️ update.\r\n";
    let new = format!("{inserted}{OLD}");
    let placed = reanchor(&new, &[anchor(start, start + 17, &d)]);
    let moved = start + inserted.chars().count();
    assert_eq!(
        placed,
        vec![Placement::Reanchored {
            start: moved,
            end: moved + 17
        }]
    );
    assert_eq!(slice(&new, moved, moved + 17), "Critics disagreed");
}

#[test]
fn a_repeated_quote_is_settled_by_its_context() {
    // "Friday" occurs twice; the span is on the second one.
    let second = cp_of(OLD, "Friday", 1);
    let d = described(OLD, second, second + 6);
    // Shift everything, so neither occurrence is at the old position.
    let new = format!("Updated. {OLD}");
    let placed = reanchor(&new, &[anchor(second, second + 6, &d)]);
    let expected = cp_of(&new, "Friday", 1);
    assert_eq!(
        placed,
        vec![Placement::Reanchored {
            start: expected,
            end: expected + 6
        }]
    );
    // Without context, the nearest occurrence to the old position wins.
    let bare = SpanAnchor {
        start: second,
        end: second + 6,
        quote: Some("Friday"),
        prefix: None,
        suffix: None,
    };
    let placed = reanchor(&new, &[bare]);
    assert_eq!(placed[0].range(), Some(expected..expected + 6));
    let first = cp_of(OLD, "Friday", 0);
    let near_first = SpanAnchor {
        start: first,
        end: first + 6,
        ..bare
    };
    let placed = reanchor(&new, &[near_first]);
    let expected_first = cp_of(&new, "Friday", 0);
    assert_eq!(placed[0].range(), Some(expected_first..expected_first + 6));
}

#[test]
fn context_outweighs_nearness_and_nearness_breaks_ties() {
    // Three identical sentences; the span is on the middle one's "cat",
    // described with a context that only the third one has after the edit.
    let old = "one cat here. two cat there. three cat everywhere.";
    let start = cp_of(old, "cat", 1);
    let d = (
        "cat".to_owned(),
        "three ".to_owned(),
        " everywhere.".to_owned(),
    );
    let placed = reanchor(old, &[anchor(start, start + 3, &d)]);
    let third = cp_of(old, "cat", 2);
    assert_eq!(
        placed,
        vec![Placement::Reanchored {
            start: third,
            end: third + 3
        }]
    );
    // Equal (empty) context: the nearer of two occurrences around the old position.
    let text = "cat ..... x ... cat";
    let old_start = 9; // 9 from the first (at 0), 7 from the second (at 16)
    let bare = SpanAnchor {
        start: old_start,
        end: old_start + 3,
        quote: Some("cat"),
        prefix: None,
        suffix: None,
    };
    assert_eq!(reanchor(text, &[bare])[0].range(), Some(16..19));
    let bare = SpanAnchor {
        start: 7,
        end: 10,
        ..bare
    };
    assert_eq!(reanchor(text, &[bare])[0].range(), Some(0..3));
}

#[test]
fn later_spans_follow_the_shift_of_earlier_ones() {
    // A long text where a short quote repeats often: after a paragraph is
    // inserted at the top, each span must land on its own occurrence, which
    // is the one nearest its shifted position, not its old one.
    let line = "A said yes. B said no. ";
    let old: String = line.repeat(40);
    let inserted =
        "An inserted paragraph of some length, about eighty code points long, no more.\n\n";
    let new = format!("{inserted}{old}");
    let shift = inserted.chars().count();
    let spans: Vec<(usize, usize)> = old
        .match_indices("said")
        .map(|(b, _)| (b, b + 4)) // ASCII: bytes are code points
        .collect();
    let anchors: Vec<SpanAnchor> = spans
        .iter()
        .map(|&(s, e)| SpanAnchor {
            start: s,
            end: e,
            quote: Some("said"),
            prefix: None,
            suffix: None,
        })
        .collect();
    let placed = reanchor(&new, &anchors);
    for ((s, e), p) in spans.iter().zip(&placed) {
        assert_eq!(
            *p,
            Placement::Reanchored {
                start: s + shift,
                end: e + shift
            }
        );
    }
}

#[test]
fn a_changed_word_is_found_approximately_with_its_similarity() {
    let old = "Intro line.\nThe council will publish the final report on Monday morning.\nEnd.";
    let quote = "The council will publish the final report on Monday morning.";
    let start = cp_of(old, quote, 0);
    let end = start + quote.chars().count();
    let d = described(old, start, end);
    let new = old.replace("final", "complete");
    let placed = reanchor(&new, &[anchor(start, end, &d)]);
    let Placement::Fuzzy {
        start: s,
        end: e,
        similarity,
    } = placed[0]
    else {
        panic!("expected a fuzzy match, got {:?}", placed[0]);
    };
    let found = slice(&new, s, e);
    assert_eq!(
        found,
        "The council will publish the complete report on Monday morning."
    );
    let dist = levenshtein(quote, &found);
    let longer = quote.chars().count().max(found.chars().count());
    assert!((similarity - (1.0 - dist as f64 / longer as f64)).abs() < 1e-12);
    assert!((MIN_SIMILARITY..1.0).contains(&similarity));
}

#[test]
fn too_different_is_an_orphan() {
    let old = "Alpha beta gamma delta epsilon zeta eta theta.";
    let quote = "gamma delta epsilon";
    let start = cp_of(old, quote, 0);
    let d = described(old, start, start + quote.chars().count());
    // Four of nineteen code points changed: similarity 0.79 < 0.85.
    let new = old.replace("gamma delta", "gXmYa dZlWa");
    assert!(1.0 - levenshtein(quote, "gXmYa dZlWa epsilon") as f64 / 19.0 < MIN_SIMILARITY);
    let placed = reanchor(&new, &[anchor(start, start + 19, &d)]);
    assert_eq!(placed, vec![Placement::Orphan]);
    // One changed code point is still similar enough.
    let new = old.replace("delta", "dElta");
    let placed = reanchor(&new, &[anchor(start, start + 19, &d)]);
    assert!(
        matches!(placed[0], Placement::Fuzzy { start: s, end: e, .. } if (s, e) == (start, start + 19))
    );
}

#[test]
fn fuzzy_search_is_bounded_to_its_window() {
    // The quote, slightly changed, sits far beyond the fuzzy window.
    let quote = "a distinctive sentence about the harbour bridge";
    let filler = "lorem ipsum ".repeat(FUZZY_SEARCH_RADIUS);
    let old = format!("{quote}. {filler}");
    let d = described(&old, 0, quote.chars().count());
    let new = format!("{filler}{}. ", quote.replace("harbour", "harbor"));
    let placed = reanchor(&new, &[anchor(0, quote.chars().count(), &d)]);
    assert_eq!(placed, vec![Placement::Orphan]);
}

#[test]
fn emoji_combining_marks_and_crlf_count_as_code_points() {
    let old = "Line one 👩🏽‍🚀 says: “e\u{301}te\u{301}”\r\n\tnext 🇫🇷 flag\u{a0}here\r\n";
    let quote = "“e\u{301}te\u{301}”";
    let start = cp_of(old, quote, 0);
    let end = start + quote.chars().count();
    assert_eq!(end - start, 7);
    let d = described(old, start, end);
    let new = format!("👨‍👩‍👧‍👦\r\n{old}");
    let placed = reanchor(&new, &[anchor(start, end, &d)]);
    let shift = "👨‍👩‍👧‍👦\r\n".chars().count();
    assert_eq!(
        placed,
        vec![Placement::Reanchored {
            start: start + shift,
            end: end + shift
        }]
    );
    assert_eq!(slice(&new, start + shift, end + shift), quote);
    // A flag (two regional indicators) moved by a changed emoji before it.
    let flag = cp_of(old, "🇫🇷", 0);
    let d = described(old, flag, flag + 2);
    let new = old.replace("👩🏽‍🚀", "🧑‍🚀");
    let placed = reanchor(&new, &[anchor(flag, flag + 2, &d)]);
    let moved = cp_of(&new, "🇫🇷", 0);
    assert_eq!(moved, flag - 1);
    assert_eq!(
        placed,
        vec![Placement::Reanchored {
            start: moved,
            end: moved + 2
        }]
    );
}

#[test]
fn without_a_quote_the_position_is_taken_if_it_fits() {
    let text = "short text";
    let inside = SpanAnchor {
        start: 6,
        end: 10,
        quote: None,
        prefix: None,
        suffix: None,
    };
    let past = SpanAnchor {
        start: 6,
        end: 11,
        ..inside
    };
    let empty = SpanAnchor {
        start: 4,
        end: 4,
        ..inside
    };
    assert_eq!(
        reanchor(text, &[inside, past, empty]),
        vec![
            Placement::Exact { start: 6, end: 10 },
            Placement::Orphan,
            Placement::Orphan
        ]
    );
}

#[test]
fn a_quote_longer_than_the_text_or_past_its_end_does_not_panic() {
    let text = "tiny";
    let d = (
        "a much longer quote than the text".to_owned(),
        String::new(),
        String::new(),
    );
    assert_eq!(
        reanchor(text, &[anchor(2, 40, &d)]),
        vec![Placement::Orphan]
    );
    let d = ("iny".to_owned(), String::new(), String::new());
    assert_eq!(
        reanchor(text, &[anchor(50, 53, &d)]),
        vec![Placement::Reanchored { start: 1, end: 4 }]
    );
}

#[test]
fn one_anchorer_serves_many_spans_with_the_same_quote() {
    let text = "x said y. ".repeat(3000);
    let index = OffsetIndex::new(&text);
    let mut anchorer = Anchorer::new(&text, &index);
    // Context that matches nowhere forces whole-text searches (cached per quote).
    for k in 0..50 {
        let span = SpanAnchor {
            start: 2 + 10 * k,
            end: 6 + 10 * k,
            quote: Some("said"),
            prefix: Some("nothing like this "),
            suffix: Some(" at all"),
        };
        let p = anchorer.place(&span);
        // The context's last char " " and first " " match everywhere; nearest wins.
        assert_eq!(p.range(), Some(2 + 10 * k..6 + 10 * k), "{k}");
    }
}

/// Occurrences of `needle` in `text`, overlapping ones included.
fn occurrences(text: &str, needle: &str) -> usize {
    text.char_indices()
        .filter(|(b, _)| text[*b..].starts_with(needle))
        .count()
}

fn text_strategy() -> impl Strategy<Value = String> {
    let pieces = prop::sample::select(vec![
        "a",
        "b",
        "c",
        "the ",
        "cat",
        " ",
        "\t",
        "\r\n",
        "\n",
        "\u{a0}",
        "é",
        "e\u{301}",
        "👩🏽‍🚀",
        "🇫🇷",
        "“",
        "”",
        "x",
        "yz",
        "0",
        "—",
    ]);
    prop::collection::vec(pieces, 1..80).prop_map(|v| v.concat())
}

/// A text and a non-empty span of it.
fn text_and_span() -> impl Strategy<Value = (String, usize, usize)> {
    text_with_span_of(1, usize::MAX)
}

/// A text and a span of `min..=max` code points of it.
fn text_with_span_of(min: usize, max: usize) -> impl Strategy<Value = (String, usize, usize)> {
    text_strategy()
        .prop_filter("long enough for the span", move |t| {
            t.chars().count() >= min
        })
        .prop_flat_map(move |text| {
            let len = text.chars().count();
            (Just(text), 0..=len - min).prop_flat_map(move |(text, start)| {
                (
                    Just(text),
                    Just(start),
                    start + min..=start.saturating_add(max).min(len),
                )
            })
        })
}

proptest! {
    #[test]
    fn the_same_text_places_every_span_exactly(
        (text, start, end) in text_and_span(),
        others in prop::collection::vec((0usize..1000, 1usize..20), 0..5),
    ) {
        let len = text.chars().count();
        let mut ranges = vec![(start, end)];
        ranges.extend(others.into_iter().map(|(s, l)| (s % len, (s % len + l).min(len))));
        let described: Vec<_> = ranges.iter().map(|&(s, e)| described(&text, s, e)).collect();
        let anchors: Vec<SpanAnchor> = ranges
            .iter()
            .zip(&described)
            .map(|(&(s, e), d)| anchor(s, e, d))
            .collect();
        let placed = reanchor(&text, &anchors);
        for ((s, e), p) in ranges.iter().zip(placed) {
            prop_assert_eq!(p, Placement::Exact { start: *s, end: *e });
        }
    }

    #[test]
    fn inserted_text_moves_a_span_with_a_unique_quote(
        (text, start, end) in text_and_span(),
        inserted in text_strategy(),
        at_fraction in 0.0f64..=1.0,
        before in any::<bool>(),
    ) {
        let cs = chars(&text);
        let len = cs.len();
        // Insert somewhere before the span, or somewhere after it.
        let at = if before {
            (start as f64 * at_fraction) as usize
        } else {
            end + ((len - end) as f64 * at_fraction) as usize
        };
        let new: String = cs[..at].iter().collect::<String>() + &inserted + &cs[at..].iter().collect::<String>();
        let d = described(&text, start, end);
        let shift = if before { inserted.chars().count() } else { 0 };
        let quote_occurrences = occurrences(&new, &d.0);
        prop_assume!(quote_occurrences == 1);
        let placed = reanchor(&new, &[anchor(start, end, &d)]);
        let range = placed[0].range();
        prop_assert_eq!(range, Some(start + shift..end + shift));
        let kept = matches!(placed[0], Placement::Exact { .. } | Placement::Reanchored { .. });
        prop_assert!(kept, "{:?}", placed[0]);
        if shift == 0 {
            prop_assert_eq!(placed[0], Placement::Exact { start, end });
        }
    }

    #[test]
    fn every_placement_stays_inside_the_text(
        old in text_strategy(),
        new in text_strategy(),
        start in 0usize..200,
        len in 1usize..30,
    ) {
        let old_len = old.chars().count();
        let start = start % old_len;
        let end = (start + len).min(old_len).max(start + 1);
        let d = described(&old, start, end);
        let new_len = new.chars().count();
        for p in reanchor(&new, &[anchor(start, end, &d)]) {
            if let Some(r) = p.range() {
                prop_assert!(r.start < r.end && r.end <= new_len, "{:?} in {}", p, new_len);
                if let Placement::Fuzzy { similarity, .. } = p {
                    let found = slice(&new, r.start, r.end);
                    let dist = levenshtein(&d.0, &found);
                    let longer = d.0.chars().count().max(found.chars().count());
                    prop_assert!((similarity - (1.0 - dist as f64 / longer as f64)).abs() < 1e-12);
                    prop_assert!(similarity >= MIN_SIMILARITY);
                } else {
                    prop_assert_eq!(slice(&new, r.start, r.end), d.0.clone());
                }
            }
        }
    }
}

/// The best similarity of any stretch of `text` to `quote`, by brute force.
fn best_similarity(text: &str, quote: &str) -> f64 {
    let cs = chars(text);
    let m = quote.chars().count();
    let mut best = 0.0f64;
    for s in 0..cs.len() {
        for e in s + 1..=cs.len() {
            let stretch: String = cs[s..e].iter().collect();
            let sim = 1.0 - levenshtein(quote, &stretch) as f64 / m.max(e - s) as f64;
            best = best.max(sim);
        }
    }
    best
}

/// An edit: replace `len` code points at `at` (fractions of the length) with `with`.
fn edits() -> impl Strategy<Value = Vec<(f64, usize, String)>> {
    let with = prop::sample::select(vec!["", "q", "é", "👩🏽‍🚀", "ab", "\r\n"]);
    prop::collection::vec((0.0f64..1.0, 0usize..3, with.prop_map(str::to_owned)), 1..4)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    /// On short texts (inside one fuzzy window) the result is exactly the
    /// brute-force answer: the quote itself when it occurs, else the most
    /// similar stretch when it reaches the minimum, else an orphan.
    #[test]
    fn fuzzy_matches_are_the_most_similar_stretch(
        (old, start, end) in text_with_span_of(6, 32),
        edits in edits(),
    ) {
        let mut new = chars(&old);
        for (at, len, with) in edits {
            let at = (at * new.len() as f64) as usize;
            let to = (at + len).min(new.len());
            new.splice(at..to, with.chars());
        }
        let new: String = new.into_iter().collect();
        prop_assume!(new.chars().count() <= 80);
        let d = described(&old, start, end);
        let placed = reanchor(&new, &[anchor(start, end, &d)])[0];
        if occurrences(&new, &d.0) > 0 {
            let r = placed.range().expect("an occurring quote is found");
            prop_assert_eq!(slice(&new, r.start, r.end), d.0.clone());
            return Ok(());
        }
        let best = best_similarity(&new, &d.0);
        match placed {
            Placement::Fuzzy { similarity, .. } => {
                prop_assert!((similarity - best).abs() < 1e-12, "{} vs best {}", similarity, best);
            }
            Placement::Orphan => prop_assert!(best < MIN_SIMILARITY, "missed a match of {}", best),
            other => prop_assert!(false, "{:?} for a quote that does not occur", other),
        }
    }
}

proptest! {
    /// `place_all` (one shared whole-text search) decides exactly as
    /// `place` on each span in text order.
    #[test]
    fn place_all_agrees_with_placing_one_by_one(
        old in text_strategy(),
        edits in edits(),
        ranges in prop::collection::vec((0usize..1000, 1usize..12), 1..8),
    ) {
        let n = old.chars().count();
        let mut ranges: Vec<(usize, usize)> = ranges
            .into_iter()
            .map(|(s, l)| (s % n, (s % n + l).min(n)))
            .collect();
        ranges.sort();
        let mut new = chars(&old);
        for (at, len, with) in edits {
            let at = (at * new.len() as f64) as usize;
            let to = (at + len).min(new.len());
            new.splice(at..to, with.chars());
        }
        let new: String = new.into_iter().collect();
        let described: Vec<_> = ranges.iter().map(|&(s, e)| described(&old, s, e)).collect();
        let anchors: Vec<SpanAnchor> = ranges
            .iter()
            .zip(&described)
            .map(|(&(s, e), d)| anchor(s, e, d))
            .collect();
        let index = OffsetIndex::new(&new);
        let all = Anchorer::new(&new, &index).place_all(&anchors);
        let mut one = Anchorer::new(&new, &index);
        let each: Vec<Placement> = anchors.iter().map(|a| one.place(a)).collect();
        prop_assert_eq!(all, each);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// The same with spans that moved far (two parts of a long text swapped),
    /// so the whole-text search is what places them.
    #[test]
    fn place_all_agrees_with_placing_one_by_one_far_away(
        a in text_strategy(),
        b in text_strategy(),
        edits in edits(),
        ranges in prop::collection::vec((0usize..1000, 1usize..12), 1..8),
    ) {
        let filler = "·".repeat(2 * EXACT_SEARCH_RADII[1]);
        let old = format!("{a}{filler}{b}");
        let na = a.chars().count();
        let mut ranges: Vec<(usize, usize)> = ranges
            .into_iter()
            .map(|(s, l)| (s % na, (s % na + l).min(na)))
            .collect();
        ranges.sort();
        let mut a2 = chars(&a);
        for (at, len, with) in edits {
            let at = (at * a2.len() as f64) as usize;
            let to = (at + len).min(a2.len());
            a2.splice(at..to, with.chars());
        }
        let a2: String = a2.into_iter().collect();
        let new = format!("{b}{filler}{a2}");
        let described: Vec<_> = ranges.iter().map(|&(s, e)| described(&old, s, e)).collect();
        let anchors: Vec<SpanAnchor> = ranges
            .iter()
            .zip(&described)
            .map(|(&(s, e), d)| anchor(s, e, d))
            .collect();
        let index = OffsetIndex::new(&new);
        let all = Anchorer::new(&new, &index).place_all(&anchors);
        let mut one = Anchorer::new(&new, &index);
        let each: Vec<Placement> = anchors.iter().map(|a| one.place(a)).collect();
        prop_assert_eq!(&all, &each);
        // A span whose quote is in the moved part only is found there.
        for (p, d) in all.iter().zip(&described) {
            if occurrences(&new, &d.0) == 1 && !d.0.contains('·') {
                let at = new.find(d.0.as_str()).unwrap();
                let start = new[..at].chars().count();
                prop_assert_eq!(p.range(), Some(start..start + d.0.chars().count()));
            }
        }
    }
}

#[test]
fn overlapping_occurrences_of_a_quote_all_count() {
    // "aa" occurs at 3 and at 4 of "zzxaaay"; only the second has the context.
    let d = ("aa".to_owned(), "xa".to_owned(), "y".to_owned());
    let old_start = 2; // in "xaaay"
    assert_eq!(
        reanchor("zzxaaay", &[anchor(old_start, old_start + 2, &d)]),
        vec![Placement::Reanchored { start: 4, end: 6 }]
    );
    // The same, moved beyond the near windows: the whole-text search.
    let far = format!("{}xaaay", "·".repeat(3 * EXACT_SEARCH_RADII[1]));
    let at = far.chars().count() - 5 + 2;
    let index = OffsetIndex::new(&far);
    let span = anchor(old_start, old_start + 2, &d);
    let expected = vec![Placement::Reanchored {
        start: at,
        end: at + 2,
    }];
    assert_eq!(Anchorer::new(&far, &index).place_all(&[span]), expected);
    assert_eq!(vec![Anchorer::new(&far, &index).place(&span)], expected);
}
