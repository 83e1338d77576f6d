//! Find (`text::find_all`): examples with emoji, combining marks, flags,
//! NBSP, curly quotes, CRLF and case folding (ß, Turkish I, Greek sigma),
//! whole words; the folding checked over every character; and properties
//! against naive oracles that try every pair of positions.
#![cfg(not(target_arch = "wasm32"))]

use marginalia::text::boundaries::is_grapheme_boundary;
use marginalia::text::{find_all, fold, CaseMode, FindOptions, OffsetIndex, WordMode};
use proptest::prelude::*;

const IGNORE_CASE: FindOptions = FindOptions {
    case: CaseMode::Insensitive,
    words: WordMode::Anywhere,
};
const EXACT: FindOptions = FindOptions {
    case: CaseMode::Exact,
    words: WordMode::Anywhere,
};

fn find(text: &str, query: &str, options: FindOptions) -> Vec<(usize, usize)> {
    find_all(text, &OffsetIndex::new(text), query, options)
}

fn slice(text: &str, (start, end): (usize, usize)) -> String {
    text.chars().skip(start).take(end - start).collect()
}

/// The matched texts.
fn found(text: &str, query: &str, options: FindOptions) -> Vec<String> {
    find(text, query, options)
        .into_iter()
        .map(|r| slice(text, r))
        .collect()
}

#[test]
fn offsets_are_code_points_after_emoji() {
    let text = "👍🏽 the 👨‍👩‍👧 the";
    // 👍🏽 is 2 code points, the family 5.
    assert_eq!(find(text, "the", EXACT), vec![(3, 6), (13, 16)]);
    assert_eq!(find(text, "THE", IGNORE_CASE), vec![(3, 6), (13, 16)]);
    assert_eq!(find(text, "THE", EXACT), vec![]);
}

#[test]
fn matches_never_cut_a_grapheme_cluster() {
    // The thumbs up with a skin tone is not the plain thumbs up.
    assert_eq!(find("👍🏽 and 👍", "👍", EXACT), vec![(7, 8)]);
    // No member of a ZWJ family is found on its own.
    assert_eq!(find("👨‍👩‍👧", "👩", IGNORE_CASE), vec![]);
    assert_eq!(find("👨‍👩‍👧", "👨‍👩‍👧", EXACT), vec![(0, 5)]);
    // Flags: 🇫🇷🇩🇪 holds "🇷🇩" as code points, but not as a flag.
    assert_eq!(find("🇫🇷🇩🇪", "🇷🇩", EXACT), vec![]);
    assert_eq!(find("🇫🇷🇩🇪", "🇩🇪", EXACT), vec![(2, 4)]);
    // A letter with a combining accent is not the bare letter.
    assert_eq!(find("cafe\u{301} cafe", "cafe", IGNORE_CASE), vec![(6, 10)]);
    assert_eq!(find("e\u{301}", "e", EXACT), vec![]);
    assert_eq!(find("e\u{301}", "e\u{301}", EXACT), vec![(0, 2)]);
    // No normalisation: precomposed é does not find e + accent.
    assert_eq!(find("cafe\u{301}", "café", IGNORE_CASE), vec![]);
    // CR LF is one cluster.
    assert_eq!(find("a\r\nb", "\r", EXACT), vec![]);
    assert_eq!(find("a\r\nb", "\r\n", EXACT), vec![(1, 3)]);
    assert_eq!(find("a\tb\tc", "\t", EXACT), vec![(1, 2), (3, 4)]);
}

#[test]
fn matches_do_not_overlap() {
    assert_eq!(find("aaaaa", "aa", EXACT), vec![(0, 2), (2, 4)]);
    assert_eq!(find("AaAa", "aa", IGNORE_CASE), vec![(0, 2), (2, 4)]);
    assert_eq!(find("abc", "", IGNORE_CASE), vec![]);
    assert_eq!(find("", "a", IGNORE_CASE), vec![]);
}

#[test]
fn ignoring_case() {
    assert_eq!(
        found("The the THE tHe", "the", IGNORE_CASE),
        ["The", "the", "THE", "tHe"]
    );
    assert_eq!(find("The the THE", "the", EXACT), vec![(4, 7)]);
    assert_eq!(
        found("ÉCOLE école", "école", IGNORE_CASE),
        ["ÉCOLE", "école"]
    );
    assert_eq!(
        found("МОСКВА Москва", "москва", IGNORE_CASE),
        ["МОСКВА", "Москва"]
    );
    // The Kelvin sign is a K.
    assert_eq!(found("5 \u{212A}", "k", IGNORE_CASE), ["\u{212A}"]);
}

#[test]
fn sharp_s_finds_ss_and_back() {
    let text = "Straße STRASSE Strasse STRAẞE";
    let expected = ["Straße", "STRASSE", "Strasse", "STRAẞE"];
    assert_eq!(found(text, "strasse", IGNORE_CASE), expected);
    assert_eq!(found(text, "STRAßE", IGNORE_CASE), expected);
    assert_eq!(found(text, "straẞe", IGNORE_CASE), expected);
    // A match's length is the text's: 6 code points for a 7-letter query.
    assert_eq!(find("Straße", "strasse", IGNORE_CASE), vec![(0, 6)]);
    // Half of ß is not found.
    assert_eq!(find("ß", "s", IGNORE_CASE), vec![]);
    assert_eq!(find("Maße", "ss", IGNORE_CASE), vec![(2, 3)]);
    // Exact: ß is only ß.
    assert_eq!(find(text, "ß", EXACT), vec![(4, 5)]);
    // Ligatures fold to their letters.
    assert_eq!(find("ﬁnd", "find", IGNORE_CASE), vec![(0, 3)]);
    assert_eq!(find("ﬁnd", "ﬁ", IGNORE_CASE), vec![(0, 1)]);
    assert_eq!(find("ﬁnd", "f", IGNORE_CASE), vec![]);
}

#[test]
fn turkish_dotted_and_dotless_i() {
    // İ is an i (its dot is not a separate letter)…
    assert_eq!(
        found("İstanbul ISTANBUL", "istanbul", IGNORE_CASE),
        ["İstanbul", "ISTANBUL"]
    );
    assert_eq!(found("İstanbul", "İSTANBUL", IGNORE_CASE), ["İstanbul"]);
    // …and dotless ı is its own letter.
    assert_eq!(found("ılık ILIK ilik", "ılık", IGNORE_CASE), ["ılık"]);
    assert_eq!(
        found("ılık ILIK ilik", "ilik", IGNORE_CASE),
        ["ILIK", "ilik"]
    );
}

#[test]
fn greek_sigma_in_every_form() {
    let text = "ΚΑΛΟΣ καλος καλοσ";
    assert_eq!(
        found(text, "καλος", IGNORE_CASE),
        ["ΚΑΛΟΣ", "καλος", "καλοσ"]
    );
    assert_eq!(found(text, "ΚΑΛΟΣ", IGNORE_CASE).len(), 3);
    assert_eq!(found(text, "ς", IGNORE_CASE).len(), 3);
    assert_eq!(found(text, "ς", EXACT), ["ς"]);
}

#[test]
fn straight_quotes_and_spaces_find_typographic_ones() {
    let text = "Russia’s “deal” in 10\u{a0}days, ‘maybe’ e\u{2011}mail";
    assert_eq!(found(text, "russia's", IGNORE_CASE), ["Russia’s"]);
    assert_eq!(found(text, "\"deal\"", IGNORE_CASE), ["“deal”"]);
    assert_eq!(found(text, "10 days", IGNORE_CASE), ["10\u{a0}days"]);
    assert_eq!(found(text, "'maybe'", IGNORE_CASE), ["‘maybe’"]);
    assert_eq!(found(text, "e-mail", IGNORE_CASE), ["e\u{2011}mail"]);
    // Exact means exact.
    assert_eq!(found(text, "Russia's", EXACT), Vec::<String>::new());
    assert_eq!(found(text, "10 days", EXACT), Vec::<String>::new());
    assert_eq!(found(text, "10\u{a0}days", EXACT), ["10\u{a0}days"]);
    // The offsets are those of the text.
    assert_eq!(find(text, "’s", IGNORE_CASE), vec![(6, 8)]);
}

#[test]
fn whole_words() {
    let text = "cat concat cat’s catalog (cat) Cat";
    let words = FindOptions {
        case: CaseMode::Insensitive,
        words: WordMode::WholeWords,
    };
    assert_eq!(
        find(text, "cat", words),
        vec![(0, 3), (11, 14), (26, 29), (31, 34)]
    );
    assert_eq!(find(text, "cat", IGNORE_CASE).len(), 6);
    // Edges that are not letters may touch anything.
    assert_eq!(find("(cat)", "(cat", words), vec![(0, 4)]);
    assert_eq!(find("x cat", " cat", words), vec![(1, 5)]);
    assert_eq!(find("concat", " cat", words), vec![]);
    assert_eq!(find("2024 20245", "2024", words), vec![(0, 4)]);
}

#[test]
fn folding_is_stable_for_every_character() {
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let once = fold(&c.to_string());
        assert_eq!(
            fold(&once),
            once,
            "folding U+{:04X} twice differs",
            c as u32
        );
    }
}

#[test]
fn case_variants_fold_alike_for_every_character() {
    // Turkish is the documented exception: ı and İ are not each other's case.
    for c in (0..=0x10FFFF).filter_map(char::from_u32) {
        let folded = fold(&c.to_string());
        if c != 'ı' {
            let upper: String = c.to_uppercase().collect();
            assert_eq!(
                fold(&upper),
                folded,
                "U+{:04X} and its upper case",
                c as u32
            );
        }
        if c != 'İ' {
            let lower: String = c.to_lowercase().collect();
            assert_eq!(
                fold(&lower),
                folded,
                "U+{:04X} and its lower case",
                c as u32
            );
        }
    }
}

#[test]
fn a_long_text_finds_every_occurrence() {
    let paragraph = "Le ministre a dit « non » au plan ; “Straße” 👍🏽 \u{a0}e\u{301}t\u{e9}.\r\n";
    let text = paragraph.repeat(2_000);
    assert_eq!(find(&text, "straße", IGNORE_CASE).len(), 2_000);
    assert_eq!(find(&text, "STRASSE", IGNORE_CASE).len(), 2_000);
    let per = paragraph.chars().count();
    let first = find(&text, "plan", EXACT);
    assert_eq!(first.len(), 2_000);
    assert_eq!(first[1999].0, 1999 * per + 29);
    // é written two ways: the precomposed one only.
    assert_eq!(find(&text, "t\u{e9}", IGNORE_CASE).len(), 2_000);
    assert_eq!(find(&text, "e", EXACT).len(), 2_000 * 3);
}

// ---------------------------------------------------------------------------
// Properties.

/// Pieces texts and queries are made of: ASCII, both cases, combining
/// marks, emoji with modifiers, flags, ß, Turkish and Greek letters,
/// typographic quotes and spaces, CR LF.
fn piece() -> impl Strategy<Value = &'static str> {
    prop::sample::select(vec![
        "a", "b", "A", "B", "s", "S", "e", "\u{301}", "é", " ", "\u{a0}", "’", "'", "ß", "ẞ", "ss",
        "İ", "ı", "i", "I", "σ", "ς", "Σ", "👍", "🏽", "🇫", "🇷", "\u{200d}", "\r", "\n", "ﬁ", "f",
        "-", "\u{2011}",
    ])
}

fn text_of(pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..pieces).prop_map(|p| p.concat())
}

fn boundaries(text: &str) -> Vec<bool> {
    let index = OffsetIndex::new(text);
    (0..=text.chars().count())
        .map(|pos| is_grapheme_boundary(text, &index, pos))
        .collect()
}

fn whole_word_at(chars: &[char], start: usize, end: usize) -> bool {
    let word = |c: Option<&char>| c.is_some_and(|c| c.is_alphanumeric());
    let before = start.checked_sub(1).and_then(|i| chars.get(i));
    !(word(before) && word(chars.get(start)) || word(chars.get(end - 1)) && word(chars.get(end)))
}

/// Leftmost, non-overlapping matches by trying every pair of positions:
/// `same` says whether a slice of the text is the query.
fn naive(text: &str, whole_words: bool, same: impl Fn(&str) -> bool) -> Vec<(usize, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let at_boundary = boundaries(text);
    let mut out = Vec::new();
    let mut start = 0;
    'outer: while start < chars.len() {
        if at_boundary[start] {
            for end in start + 1..=chars.len() {
                let candidate: String = chars[start..end].iter().collect();
                if at_boundary[end]
                    && same(&candidate)
                    && (!whole_words || whole_word_at(&chars, start, end))
                {
                    out.push((start, end));
                    start = end;
                    continue 'outer;
                }
            }
        }
        start += 1;
    }
    out
}

fn check_shape(text: &str, matches: &[(usize, usize)]) -> Result<(), TestCaseError> {
    let len = text.chars().count();
    let at_boundary = boundaries(text);
    let mut last_end = 0;
    for &(start, end) in matches {
        prop_assert!(start < end && end <= len, "{start}..{end} of {len}");
        prop_assert!(start >= last_end, "{start} overlaps or precedes {last_end}");
        prop_assert!(
            at_boundary[start] && at_boundary[end],
            "{start}..{end} cuts a cluster"
        );
        last_end = end;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn exact_matches_agree_with_a_naive_search(text in text_of(24), query in text_of(3)) {
        let matches = find(&text, &query, EXACT);
        check_shape(&text, &matches)?;
        for &m in &matches {
            prop_assert_eq!(slice(&text, m), query.clone());
        }
        if !query.is_empty() {
            prop_assert_eq!(&matches, &naive(&text, false, |s| s == query));
        }
    }

    #[test]
    fn folded_matches_agree_with_a_naive_search(text in text_of(24), query in text_of(3)) {
        let matches = find(&text, &query, IGNORE_CASE);
        check_shape(&text, &matches)?;
        let wanted = fold(&query);
        for &m in &matches {
            prop_assert_eq!(fold(&slice(&text, m)), wanted.clone());
        }
        if !query.is_empty() {
            prop_assert_eq!(&matches, &naive(&text, false, |s| fold(s) == wanted));
        }
    }

    #[test]
    fn whole_word_matches_agree_with_a_naive_search(text in text_of(24), query in text_of(3)) {
        let options = FindOptions { case: CaseMode::Insensitive, words: WordMode::WholeWords };
        let matches = find(&text, &query, options);
        check_shape(&text, &matches)?;
        let wanted = fold(&query);
        if !query.is_empty() {
            prop_assert_eq!(&matches, &naive(&text, true, |s| fold(s) == wanted));
        }
    }

    #[test]
    fn a_query_taken_from_the_text_is_found(text in text_of(24), from in 0usize..40, len in 1usize..6) {
        let chars: Vec<char> = text.chars().collect();
        let at_boundary = boundaries(&text);
        // A slice of the text on cluster boundaries (an empty text has none).
        let mut start = from % (chars.len() + 1);
        while !at_boundary[start] {
            start -= 1;
        }
        let mut end = (start + len).min(chars.len());
        while !at_boundary[end] {
            end += 1;
        }
        if start == end {
            return Ok(());
        }
        let query: String = chars[start..end].iter().collect();
        for options in [EXACT, IGNORE_CASE] {
            let matches = find(&text, &query, options);
            // Found there, or covered by an earlier match that overlaps it.
            prop_assert!(
                matches.iter().any(|&(s, e)| s <= start && start < e),
                "{:?} not found at {} in {:?}: {:?}", query, start, text, matches
            );
        }
    }
}
