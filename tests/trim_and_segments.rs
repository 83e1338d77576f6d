//! Whitespace trimming, the block/segment layout used for painting, line
//! splitting, and the headline heuristic on the bundled articles.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use marginalia::model::{
    self, assign_to_blocks, assign_to_groups, group_blocks, reassign_to_groups, segments,
    span_to_select, Annotation, Document, SpanRef,
};
use marginalia::text::{trim_whitespace, OffsetIndex};
use proptest::prelude::*;

fn trim(text: &str, start: usize, end: usize) -> Option<(usize, usize)> {
    trim_whitespace(text, &OffsetIndex::new(text), start, end)
}

fn chars(text: &str) -> Vec<char> {
    text.chars().collect()
}

// ---------------------------------------------------------------- trimming

#[test]
fn trims_spaces_tabs_newlines() {
    let text = "  hello\t\n";
    assert_eq!(trim(text, 0, 9), Some((2, 7)));
    let text = "a\r\n\t word \r\nb";
    // a \r \n \t ' ' w o r d ' ' \r \n b
    assert_eq!(trim(text, 1, 12), Some((5, 9)));
}

#[test]
fn trims_nbsp_and_other_unicode_spaces() {
    let text = "\u{a0}word\u{a0}";
    assert_eq!(trim(text, 0, 6), Some((1, 5)));
    // EM SPACE, IDEOGRAPHIC SPACE, LINE SEPARATOR are White_Space too.
    let text = "\u{2003}\u{3000}x\u{2028}";
    assert_eq!(trim(text, 0, 4), Some((2, 3)));
}

#[test]
fn trims_in_code_points_around_emoji() {
    // space space 👍 🏽 space 👩 ZWJ 👧 space
    let text = "  👍🏽 👩\u{200D}👧 ";
    assert_eq!(trim(text, 0, 9), Some((2, 8)));
    assert_eq!(trim(text, 4, 9), Some((5, 8)));
}

#[test]
fn whitespace_only_is_none() {
    assert_eq!(trim(" \t\r\n\u{a0} ", 0, 6), None);
    assert_eq!(trim("a   b", 1, 4), None);
    assert_eq!(trim("abc", 1, 1), None, "empty range");
    assert_eq!(trim("abc", 2, 1), None, "reversed range");
    assert_eq!(trim("", 0, 0), None);
}

#[test]
fn already_trimmed_is_unchanged() {
    assert_eq!(trim("one two three", 4, 7), Some((4, 7)));
    assert_eq!(trim("one two three", 0, 13), Some((0, 13)));
    assert_eq!(trim("é👍🏽x", 0, 4), Some((0, 4)));
}

#[test]
fn end_past_the_text_is_clamped() {
    assert_eq!(trim("ab  ", 0, 99), Some((0, 2)));
    assert_eq!(trim("ab", 5, 9), None);
}

fn text_with_spaces() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        4 => proptest::char::range('a', 'e').prop_map(String::from),
        3 => prop_oneof![
            Just(" "), Just("\t"), Just("\n"), Just("\r\n"), Just("\u{a0}"), Just("\u{3000}")
        ]
        .prop_map(str::to_owned),
        1 => Just("👍🏽".to_owned()),
        1 => Just("e\u{301}".to_owned()),
    ];
    prop::collection::vec(piece, 0..60).prop_map(|p| p.concat())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// The trimmed range lies inside the original, drops only whitespace, and
    /// keeps no whitespace at either end; `None` exactly when nothing but
    /// whitespace was selected.
    #[test]
    fn trim_drops_exactly_the_outer_whitespace(
        text in text_with_spaces(),
        a in 0usize..80,
        b in 0usize..80,
    ) {
        let cs = chars(&text);
        let n = cs.len();
        let (start, end) = (a.min(b).min(n), a.max(b).min(n));
        match trim(&text, start, end) {
            None => prop_assert!(cs[start..end].iter().all(|c| c.is_whitespace())),
            Some((s, e)) => {
                prop_assert!(start <= s && s < e && e <= end);
                prop_assert!(!cs[s].is_whitespace());
                prop_assert!(!cs[e - 1].is_whitespace());
                prop_assert!(cs[start..s].iter().all(|c| c.is_whitespace()));
                prop_assert!(cs[e..end].iter().all(|c| c.is_whitespace()));
            }
        }
    }
}

// ---------------------------------------------------------------- segments

fn span(id: &str, start: usize, end: usize) -> SpanRef {
    SpanRef {
        id: Rc::from(id),
        label: Rc::from("claim"),
        start,
        end,
        has_note: false,
    }
}

/// `(start, end, ids of the covering spans in order)` of each segment.
fn layout(
    block_start: usize,
    block_end: usize,
    spans: &[SpanRef],
) -> Vec<(usize, usize, Vec<String>)> {
    segments(block_start, block_end, spans)
        .into_iter()
        .map(|s| {
            (
                s.start,
                s.end,
                s.spans.iter().map(|r| r.id.to_string()).collect(),
            )
        })
        .collect()
}

fn ids(names: &[&str]) -> Vec<String> {
    names.iter().map(|s| s.to_string()).collect()
}

#[test]
fn no_spans_is_one_plain_segment() {
    assert_eq!(layout(3, 10, &[]), vec![(3, 10, ids(&[]))]);
}

#[test]
fn empty_block_has_no_segments() {
    assert!(segments(5, 5, &[]).is_empty());
    assert!(segments(5, 5, &[span("a", 0, 9)]).is_empty());
}

#[test]
fn nested_spans_innermost_first() {
    let spans = [span("outer", 2, 15), span("inner", 5, 10)];
    assert_eq!(
        layout(0, 20, &spans),
        vec![
            (0, 2, ids(&[])),
            (2, 5, ids(&["outer"])),
            (5, 10, ids(&["inner", "outer"])),
            (10, 15, ids(&["outer"])),
            (15, 20, ids(&[])),
        ]
    );
}

#[test]
fn overlapping_spans() {
    let spans = [span("a", 2, 8), span("b", 5, 12)];
    assert_eq!(
        layout(0, 20, &spans),
        vec![
            (0, 2, ids(&[])),
            (2, 5, ids(&["a"])),
            (5, 8, ids(&["a", "b"])),
            (8, 12, ids(&["b"])),
            (12, 20, ids(&[])),
        ]
    );
}

#[test]
fn spans_reaching_outside_the_block_are_cut_at_its_edges() {
    let spans = [
        span("left", 5, 15),
        span("right", 18, 30),
        span("all", 0, 40),
    ];
    assert_eq!(
        layout(10, 20, &spans),
        vec![
            (10, 15, ids(&["left", "all"])),
            (15, 18, ids(&["all"])),
            (18, 20, ids(&["right", "all"])),
        ]
    );
}

#[test]
fn adjacent_and_identical_ranges() {
    let spans = [span("x", 0, 3), span("y", 3, 6), span("z", 3, 6)];
    assert_eq!(
        layout(0, 6, &spans),
        vec![(0, 3, ids(&["x"])), (3, 6, ids(&["y", "z"]))]
    );
}

fn spans_in(block_len: usize) -> impl Strategy<Value = Vec<SpanRef>> {
    prop::collection::vec((0..block_len + 10, 1..block_len + 10), 0..8).prop_map(|pairs| {
        pairs
            .into_iter()
            .enumerate()
            .map(|(i, (s, len))| span(&format!("s{i}"), s, s + len))
            .collect()
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn segments_tile_the_block_and_carry_their_covering_spans(
        block_start in 0usize..10,
        block_len in 0usize..30,
        spans in spans_in(40),
    ) {
        let block_end = block_start + block_len;
        let segs = segments(block_start, block_end, &spans);
        if block_len == 0 {
            prop_assert!(segs.is_empty());
            return Ok(());
        }
        prop_assert_eq!(segs.first().unwrap().start, block_start);
        prop_assert_eq!(segs.last().unwrap().end, block_end);
        for pair in segs.windows(2) {
            prop_assert_eq!(pair[0].end, pair[1].start);
            // maximal: neighbours differ in what covers them
            let left: Vec<&str> = pair[0].spans.iter().map(|s| &*s.id).collect();
            let right: Vec<&str> = pair[1].spans.iter().map(|s| &*s.id).collect();
            let (mut l, mut r) = (left.clone(), right.clone());
            l.sort_unstable();
            r.sort_unstable();
            prop_assert_ne!(l, r);
        }
        for seg in &segs {
            prop_assert!(seg.start < seg.end);
            let mut got: Vec<&str> = seg.spans.iter().map(|s| &*s.id).collect();
            // innermost (shortest) first
            let lens: Vec<usize> = seg.spans.iter().map(|s| s.end - s.start).collect();
            prop_assert!(lens.windows(2).all(|w| w[0] <= w[1]), "{:?}", lens);
            let mut want: Vec<&str> = spans
                .iter()
                .filter(|s| s.start <= seg.start && s.end >= seg.end)
                .map(|s| &*s.id)
                .collect();
            got.sort_unstable();
            want.sort_unstable();
            prop_assert_eq!(got, want);
            // and every position of the segment is covered by exactly those
            for at in seg.start..seg.end {
                let mut here: Vec<&str> = spans
                    .iter()
                    .filter(|s| s.start <= at && at < s.end)
                    .map(|s| &*s.id)
                    .collect();
                here.sort_unstable();
                let mut seg_ids: Vec<&str> = seg.spans.iter().map(|s| &*s.id).collect();
                seg_ids.sort_unstable();
                prop_assert_eq!(here, seg_ids);
            }
        }
    }
}

#[test]
fn clicking_cycles_through_stacked_spans() {
    let stack = ["inner", "middle", "outer"];
    assert_eq!(span_to_select(&[], None), None);
    assert_eq!(span_to_select(&[], Some("inner")), None);
    assert_eq!(span_to_select(&stack, None), Some("inner"));
    assert_eq!(span_to_select(&stack, Some("inner")), Some("middle"));
    assert_eq!(span_to_select(&stack, Some("middle")), Some("outer"));
    assert_eq!(
        span_to_select(&stack, Some("outer")),
        Some("inner"),
        "wraps"
    );
    assert_eq!(span_to_select(&stack, Some("elsewhere")), Some("inner"));
    assert_eq!(span_to_select(&["only"], Some("only")), Some("only"));
}

// ------------------------------------------------------- assign_to_blocks

fn lines_text() -> impl Strategy<Value = String> {
    let piece = prop_oneof![
        5 => proptest::char::range('a', 'f').prop_map(String::from),
        1 => Just(" ".to_owned()),
        1 => Just("\n".to_owned()),
        1 => Just("\r\n".to_owned()),
        1 => Just("\r".to_owned()),
        1 => Just("\n\n".to_owned()),
        1 => Just("👩\u{200D}👧".to_owned()),
        1 => Just("é".to_owned()),
    ];
    prop::collection::vec(piece, 0..80).prop_map(|p| p.concat())
}

/// A text and sorted annotations over it (any non-empty range, even ones
/// holding only a line break).
fn text_and_annotations() -> impl Strategy<Value = (String, Vec<Annotation>)> {
    lines_text().prop_flat_map(|text| {
        let n = text.chars().count();
        let ranges = if n == 0 {
            Just(Vec::new()).boxed()
        } else {
            prop::collection::vec((0..n, 1..=n), 0..12).boxed()
        };
        let labels = prop::collection::vec(prop_oneof![Just("claim"), Just("quote")], 12);
        (Just(text), ranges, labels).prop_map(move |(text, ranges, labels)| {
            let mut annotations: Vec<Annotation> = ranges
                .into_iter()
                .zip(labels)
                .enumerate()
                .map(|(i, ((s, len), label))| Annotation {
                    id: format!("a{i}"),
                    label: label.to_owned(),
                    start: s,
                    end: (s + len).min(n).max(s + 1),
                    created_at: "2026-11-21T10:00:00Z".to_owned(),
                    note: None,
                })
                .collect();
            annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            (text, annotations)
        })
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn each_block_gets_exactly_the_annotations_overlapping_it(
        (text, annotations) in text_and_annotations()
    ) {
        let doc = Document::new("t.txt", &text);
        let blocks = doc.blocks();
        let assigned = assign_to_blocks(blocks, &annotations);
        prop_assert_eq!(assigned.len(), blocks.len());
        for (block, spans) in blocks.iter().zip(assigned.iter()) {
            let want: Vec<(&str, &str, usize, usize)> = annotations
                .iter()
                .filter(|a| a.start < block.end && a.end > block.start)
                .map(|a| (a.id.as_str(), a.label.as_str(), a.start, a.end))
                .collect();
            let got: Vec<(&str, &str, usize, usize)> = spans
                .iter()
                .map(|s| (&*s.id, &*s.label, s.start, s.end))
                .collect();
            prop_assert_eq!(got, want, "block {}..{}", block.start, block.end);
        }
    }

    /// Gathering again after an edit (a span added, removed, moved or
    /// relabelled anywhere) gives exactly what gathering afresh gives, for
    /// any grouping.
    #[test]
    fn regathering_after_an_edit_matches_gathering_afresh(
        (text, was) in text_and_annotations(),
        edit in (0usize..4, any::<prop::sample::Index>(), any::<prop::sample::Index>(), any::<prop::sample::Index>()),
        group_lines in 1usize..5,
    ) {
        let doc = Document::new("t.txt", &text);
        let n = doc.len();
        let blocks = doc.blocks();
        let groups = group_blocks(blocks, 10_000, group_lines);
        let before = assign_to_groups(blocks, &groups, &was);
        let mut now = was.clone();
        let (kind, which, a, b) = edit;
        match kind {
            0 if n > 0 => {
                let (s, e) = (a.index(n), b.index(n) + 1);
                now.push(Annotation {
                    id: "new".into(),
                    label: "claim".into(),
                    start: s.min(e - 1),
                    end: e.max(s + 1).min(n),
                    created_at: "2026-11-21T10:00:00Z".into(),
                    note: None,
                });
            }
            1 if !now.is_empty() => {
                now.remove(which.index(now.len()));
            }
            2 if !now.is_empty() && n > 0 => {
                let i = which.index(now.len());
                let s = now[i].start;
                now[i].end = (s + 1 + a.index(n)).min(n).max(s + 1);
            }
            3 if !now.is_empty() => {
                let i = which.index(now.len());
                now[i].label = "quote".into();
                now[i].note = Some("why".into());
            }
            _ => {}
        }
        now.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let again = reassign_to_groups(blocks, &groups, &was, &before, &now);
        prop_assert_eq!(again, assign_to_groups(blocks, &groups, &now));
    }

    /// Blocks are the lines: in order, separated by exactly one line
    /// terminator, covering the whole text, each with its own text.
    #[test]
    fn blocks_are_the_lines(text in lines_text()) {
        let doc = Document::new("t.txt", &text);
        let blocks = doc.blocks();
        prop_assert!(!blocks.is_empty());
        prop_assert_eq!(blocks[0].start, 0);
        prop_assert_eq!(blocks[blocks.len() - 1].end, doc.len());
        for b in blocks.iter() {
            prop_assert!(b.start <= b.end);
            prop_assert_eq!(&*b.text, doc.slice(b.start, b.end));
            prop_assert!(!b.text.contains(['\r', '\n']));
        }
        for pair in blocks.windows(2) {
            let gap = doc.slice(pair[0].end, pair[1].start);
            prop_assert!(gap == "\n" || gap == "\r\n" || gap == "\r", "gap {:?}", gap);
        }
        let terminators = text.matches("\r\n").count()
            + text.matches('\n').count()
            + text.matches('\r').count()
            - 2 * text.matches("\r\n").count();
        prop_assert_eq!(blocks.len(), terminators + 1);
    }
}

#[test]
fn assign_with_blank_lines_and_spans_across_lines() {
    // a b \n \n c d \r\n e  -> blocks [0,2) [3,3) [4,6) [8,9)
    let doc = Document::new("t.txt", "ab\n\ncd\r\ne");
    let bounds: Vec<(usize, usize)> = doc.blocks().iter().map(|b| (b.start, b.end)).collect();
    assert_eq!(bounds, [(0, 2), (3, 3), (4, 6), (8, 9)]);
    let a = |id: &str, start, end| Annotation {
        id: id.to_owned(),
        label: "claim".to_owned(),
        start,
        end,
        created_at: "2026-11-21T10:00:00Z".to_owned(),
        note: None,
    };
    // "across" runs over the blank line, so it is that block's too (which
    // paints nothing, being empty); "newline" holds only a line break and
    // belongs to no block.
    let annotations = [a("across", 1, 5), a("newline", 2, 3), a("last", 5, 9)];
    let got: Vec<Vec<String>> = assign_to_blocks(doc.blocks(), &annotations)
        .iter()
        .map(|spans| spans.iter().map(|s| s.id.to_string()).collect())
        .collect();
    assert_eq!(
        got,
        vec![
            ids(&["across"]),
            ids(&["across"]),
            ids(&["across", "last"]),
            ids(&["last"])
        ]
    );
}

// ------------------------------------------------------------------ blocks

fn block_layout(text: &str) -> Vec<(usize, usize, String)> {
    Document::new("t.txt", text)
        .blocks()
        .iter()
        .map(|b| (b.start, b.end, b.text.to_string()))
        .collect()
}

fn bl(start: usize, end: usize, text: &str) -> (usize, usize, String) {
    (start, end, text.to_owned())
}

#[test]
fn blocks_split_at_lf_crlf_and_cr() {
    assert_eq!(block_layout("ab\ncd"), vec![bl(0, 2, "ab"), bl(3, 5, "cd")]);
    assert_eq!(
        block_layout("ab\r\ncd"),
        vec![bl(0, 2, "ab"), bl(4, 6, "cd")]
    );
    assert_eq!(block_layout("ab\rcd"), vec![bl(0, 2, "ab"), bl(3, 5, "cd")]);
    assert_eq!(
        block_layout("a\n\r\r\nb"),
        vec![bl(0, 1, "a"), bl(2, 2, ""), bl(3, 3, ""), bl(5, 6, "b")]
    );
}

#[test]
fn blank_lines_are_blocks() {
    assert_eq!(
        block_layout("a\n\nb"),
        vec![bl(0, 1, "a"), bl(2, 2, ""), bl(3, 4, "b")]
    );
    assert_eq!(
        block_layout("\r\n\r\n"),
        vec![bl(0, 0, ""), bl(2, 2, ""), bl(4, 4, "")]
    );
    assert_eq!(block_layout("a\n"), vec![bl(0, 1, "a"), bl(2, 2, "")]);
    assert_eq!(block_layout(""), vec![bl(0, 0, "")]);
}

#[test]
fn block_offsets_are_code_points() {
    assert_eq!(
        block_layout("👍🏽 hi\r\n“é”\n👩\u{200D}👧"),
        vec![
            bl(0, 5, "👍🏽 hi"),
            bl(7, 10, "“é”"),
            bl(11, 14, "👩\u{200D}👧"),
        ]
    );
}

// ---------------------------------------------------------------- headline

fn article(name: &str) -> String {
    let path = format!("{}/articles/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn headlines_of_the_bundled_articles() {
    let expected = [
        (
            "000_bdcde8cc40f71c11.txt",
            Some("Russia considers air truce proposal to Trump without ending war, Bloomberg says"),
        ),
        ("001_3206adba1834ceb5.txt", None),
        (
            "002_c0478a2ad0b40c32.txt",
            Some("U.S. Envoy Is Taking Putin’s Comments On Ukraine Ceasefire Proposal To Trump, Kremlin Official Says"),
        ),
        (
            "003_be5fcf9d23bd2b02.txt",
            Some("Trump’s Special Envoy Spends 3 Hours Urging Putin to Accept Ceasefire"),
        ),
        (
            "004_c2c998d4409a0f7e.txt",
            Some("Trump optimistic about Ukraine ceasefire even as Putin balks"),
        ),
    ];
    for (name, want) in expected {
        let text = article(name);
        assert_eq!(model::headline(&text).as_deref(), want, "{name}");
        assert_eq!(
            Document::new(name, &text).headline(),
            want,
            "{name} via Document"
        );
    }
}

#[test]
fn headline_rules() {
    // Navigation lines are skipped; the first 5-25 word non-sentence line wins.
    assert_eq!(
        model::headline("Menu\nSign in\n\nFive   words in this   title\nBody.").as_deref(),
        Some("Five words in this title")
    );
    // A sentence-like line is not a headline.
    assert_eq!(
        model::headline("This line ends like a sentence.\nThen a proper headline of words")
            .as_deref(),
        Some("Then a proper headline of words")
    );
    // A text that opens with a paragraph has none.
    let paragraph = "word ".repeat(30);
    assert_eq!(
        model::headline(&format!("{paragraph}\nA headline after the body")),
        None
    );
    assert_eq!(model::headline(""), None);
}

// ------------------------------------------------------------ group_blocks

#[test]
fn groups_tile_the_lines_and_respect_both_limits() {
    let text = (0..200)
        .map(|i| "x".repeat(i % 37))
        .collect::<Vec<_>>()
        .join("\n");
    let doc = Document::new("g.txt", &text);
    let groups = group_blocks(doc.blocks(), 100, 8);
    // Consecutive, covering every line once.
    assert_eq!(groups.first().unwrap().start, 0);
    assert_eq!(groups.last().unwrap().end, doc.blocks().len());
    for pair in groups.windows(2) {
        assert_eq!(pair[0].end, pair[1].start);
    }
    // Every group but the last either is full or reached the limit.
    for g in &groups[..groups.len() - 1] {
        let span = doc.blocks()[g.end - 1].end - doc.blocks()[g.start].start;
        assert!(
            g.len() == 8 || span >= 100,
            "{g:?} closed early ({span} code points)"
        );
    }
    for g in &groups {
        assert!(!g.is_empty());
        assert!(g.len() <= 8, "{g:?} has too many lines");
        // A group closes as soon as it holds 100 code points (counted from
        // its first line's start): only its last line can cross the limit.
        let blocks = &doc.blocks()[g.clone()];
        let before_last = blocks[blocks.len() - 1].start - blocks[0].start;
        assert!(
            before_last < 100 || g.len() == 1,
            "{g:?} should have closed earlier"
        );
    }
}

#[test]
fn a_long_line_closes_its_group_and_empty_text_has_one_group() {
    let text = format!("short\n{}\nshort", "y".repeat(500));
    let doc = Document::new("g.txt", &text);
    assert_eq!(group_blocks(doc.blocks(), 100, 64), vec![0..2, 2..3]);
    let two_long = format!("{0}\n{0}", "y".repeat(500));
    let doc = Document::new("g.txt", &two_long);
    assert_eq!(group_blocks(doc.blocks(), 100, 64), vec![0..1, 1..2]);
    let empty = Document::new("e.txt", "");
    assert_eq!(group_blocks(empty.blocks(), 100, 64), vec![0..1]);
}
