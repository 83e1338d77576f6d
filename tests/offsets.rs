//! `OffsetIndex` against a naive reference that walks the text one `char` at
//! a time: code point <-> UTF-8 <-> UTF-16, on texts long enough to cross
//! many 64-code-point checkpoints, with the characters that break offset
//! code in practice (astral emoji, ZWJ sequences, skin tones, flags,
//! combining marks, curly quotes, NBSP, CRLF, tabs).
#![cfg(not(target_arch = "wasm32"))]

use marginalia::text::{cp_of_utf16_in, OffsetIndex, Utf16Error};
use proptest::prelude::*;

/// Offsets of every code point boundary, `0..=len_chars`, in UTF-8 bytes and
/// UTF-16 code units, computed without the index.
struct Reference {
    utf8: Vec<usize>,
    utf16: Vec<usize>,
}

impl Reference {
    fn new(text: &str) -> Self {
        let (mut utf8, mut utf16) = (vec![0], vec![0]);
        let (mut b, mut u) = (0, 0);
        for ch in text.chars() {
            b += ch.len_utf8();
            u += ch.len_utf16();
            utf8.push(b);
            utf16.push(u);
        }
        Reference { utf8, utf16 }
    }

    fn len_chars(&self) -> usize {
        self.utf8.len() - 1
    }
}

fn naive_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// Pieces of text, mostly single code points so that texts get long.
fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => proptest::char::range(' ', '~').prop_map(String::from),
        2 => proptest::char::range('\u{80}', '\u{FFFF}').prop_map(String::from),
        2 => any::<char>().prop_map(String::from),
        1 => Just("😀".to_owned()),
        1 => Just("👩\u{200D}👩\u{200D}👧".to_owned()),
        1 => Just("👍🏽".to_owned()),
        1 => Just("🇺🇦".to_owned()),
        1 => Just("e\u{301}".to_owned()),
        1 => Just("“”‘’".to_owned()),
        1 => Just("\u{a0}".to_owned()),
        1 => Just("\r\n".to_owned()),
        1 => Just("\t".to_owned()),
        1 => Just("𝕏".to_owned()),
    ]
}

/// Texts of 0 to about 400 pieces, so up to several checkpoint strides.
fn mixed_text() -> impl Strategy<Value = String> {
    prop::collection::vec(piece(), 0..400).prop_map(|pieces| pieces.concat())
}

fn arbitrary_chars() -> impl Strategy<Value = String> {
    prop::collection::vec(any::<char>(), 0..400).prop_map(String::from_iter)
}

fn ascii_text() -> impl Strategy<Value = String> {
    prop::collection::vec(proptest::char::range('\0', '\u{7F}'), 0..300).prop_map(String::from_iter)
}

/// Every property of the index on one text.
fn check_index(text: &str) -> Result<(), TestCaseError> {
    let index = OffsetIndex::new(text);
    let reference = Reference::new(text);
    let n = reference.len_chars();
    let len16 = reference.utf16[n];

    prop_assert_eq!(index.len_chars(), n);
    prop_assert_eq!(index.len_utf8(), text.len());
    prop_assert_eq!(index.len_utf16(), len16);
    prop_assert_eq!(index.len_utf16(), text.encode_utf16().count());

    for cp in 0..=n {
        let (b, u) = (reference.utf8[cp], reference.utf16[cp]);
        prop_assert_eq!(index.utf8_of(text, cp), b, "utf8_of({})", cp);
        prop_assert_eq!(index.utf16_of(text, cp), u, "utf16_of({})", cp);
        prop_assert_eq!(index.cp_of_utf16(text, u), Ok(cp), "cp_of_utf16({})", u);
        prop_assert_eq!(index.cp_of_utf8(text, b), cp, "cp_of_utf8({})", b);
    }

    // UTF-16 offsets that are not code point boundaries are inside a pair.
    let mut boundary = vec![false; len16 + 1];
    for &u in &reference.utf16 {
        boundary[u] = true;
    }
    for (u, &is_boundary) in boundary.iter().enumerate() {
        if !is_boundary {
            prop_assert_eq!(
                index.cp_of_utf16(text, u),
                Err(Utf16Error::InsideSurrogatePair { offset: u })
            );
        }
    }
    for past in [len16 + 1, len16 + 2, len16 + 100] {
        prop_assert_eq!(
            index.cp_of_utf16(text, past),
            Err(Utf16Error::OutOfRange {
                offset: past,
                len: len16
            })
        );
    }

    // The scanning conversion for short DOM text nodes agrees with the index
    // (on a prefix of the offsets: it is linear per call).
    for u in 0..=(len16 + 2).min(150) {
        prop_assert_eq!(
            cp_of_utf16_in(text, u),
            index.cp_of_utf16(text, u),
            "cp_of_utf16_in({})",
            u
        );
    }
    if len16 > 150 {
        prop_assert_eq!(cp_of_utf16_in(text, len16), Ok(n));
        prop_assert_eq!(
            cp_of_utf16_in(text, len16 + 1),
            Err(Utf16Error::OutOfRange {
                offset: len16 + 1,
                len: len16
            })
        );
    }

    // Code point offsets past the end clamp to the end.
    prop_assert_eq!(index.utf8_of(text, n + 1), text.len());
    prop_assert_eq!(index.utf16_of(text, n + 7), len16);

    // Slices: every start, against ends around the checkpoint stride.
    for start in 0..=n {
        for end in [
            start,
            start + 1,
            start + 2,
            start + 63,
            start + 64,
            start + 65,
            n,
        ] {
            if end > n || end < start {
                continue;
            }
            prop_assert_eq!(
                index.slice(text, start, end),
                &text[reference.utf8[start]..reference.utf8[end]],
                "slice({}, {})",
                start,
                end
            );
        }
    }
    // And a few against a slice that does not even use byte offsets.
    for (start, end) in [
        (0, n),
        (n / 3, n / 2),
        (n / 2, n),
        (n.saturating_sub(70), n),
    ] {
        prop_assert_eq!(index.slice(text, start, end), naive_slice(text, start, end));
    }
    // A reversed range is empty, not a panic.
    if n >= 2 {
        prop_assert_eq!(index.slice(text, 2, 1), "");
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn index_matches_reference_on_mixed_unicode(text in mixed_text()) {
        check_index(&text)?;
    }

    #[test]
    fn index_matches_reference_on_arbitrary_chars(text in arbitrary_chars()) {
        check_index(&text)?;
    }

    #[test]
    fn index_matches_reference_on_any_string(text in any::<String>()) {
        check_index(&text)?;
    }

    #[test]
    fn index_matches_reference_on_ascii(text in ascii_text()) {
        check_index(&text)?;
    }
}

#[test]
fn generated_texts_cross_checkpoints() {
    // The properties above only mean something if texts longer than one
    // stride (64 code points) with non-ASCII content are generated.
    use proptest::strategy::ValueTree;
    use proptest::test_runner::TestRunner;
    let mut runner = TestRunner::deterministic();
    let strategy = mixed_text();
    let long = (0..64)
        .map(|_| strategy.new_tree(&mut runner).unwrap().current())
        .filter(|t| !t.is_ascii() && t.chars().count() > 3 * 64)
        .count();
    assert!(
        long > 10,
        "only {long} of 64 generated texts span three strides"
    );
}

#[test]
fn skin_tone_emoji() {
    // a, U+1F44D, U+1F3FD, b
    let text = "a👍🏽b";
    let index = OffsetIndex::new(text);
    assert_eq!(index.len_chars(), 4);
    assert_eq!(index.len_utf16(), 6);
    assert_eq!(index.len_utf8(), 10);
    let utf16: Vec<usize> = (0..=4).map(|cp| index.utf16_of(text, cp)).collect();
    assert_eq!(utf16, [0, 1, 3, 5, 6]);
    let utf8: Vec<usize> = (0..=4).map(|cp| index.utf8_of(text, cp)).collect();
    assert_eq!(utf8, [0, 1, 5, 9, 10]);
    assert_eq!(index.cp_of_utf16(text, 3), Ok(2));
    assert_eq!(
        index.cp_of_utf16(text, 2),
        Err(Utf16Error::InsideSurrogatePair { offset: 2 })
    );
    assert_eq!(
        index.cp_of_utf16(text, 4),
        Err(Utf16Error::InsideSurrogatePair { offset: 4 })
    );
    assert_eq!(
        index.cp_of_utf16(text, 7),
        Err(Utf16Error::OutOfRange { offset: 7, len: 6 })
    );
    assert_eq!(index.slice(text, 1, 3), "👍🏽");
}

#[test]
fn zwj_family() {
    // U+1F469 ZWJ U+1F469 ZWJ U+1F467: five code points, one grapheme.
    let text = "👩\u{200D}👩\u{200D}👧";
    let index = OffsetIndex::new(text);
    assert_eq!(index.len_chars(), 5);
    assert_eq!(index.len_utf8(), 18);
    assert_eq!(index.len_utf16(), 8);
    let utf16: Vec<usize> = (0..=5).map(|cp| index.utf16_of(text, cp)).collect();
    assert_eq!(utf16, [0, 2, 3, 5, 6, 8]);
    assert_eq!(index.cp_of_utf16(text, 6), Ok(4));
    assert_eq!(index.cp_of_utf8(text, 7), 2);
    assert_eq!(index.slice(text, 2, 3), "👩");
}

#[test]
fn flag_combining_mark_quotes_nbsp() {
    let text = "🇺🇦 e\u{301} “x”\u{a0}\r\n\t";
    let index = OffsetIndex::new(text);
    // 🇺🇦(2) space e ◌́ space “ x ” NBSP CR LF TAB
    assert_eq!(index.len_chars(), 13);
    // 8 + 1 + 1 + 2 + 1 + 3 + 1 + 3 + 2 + 1 + 1 + 1
    assert_eq!(index.len_utf8(), 25);
    // 4 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1 + 1
    assert_eq!(index.len_utf16(), 15);
    assert_eq!(index.utf16_of(text, 1), 2);
    assert_eq!(index.utf16_of(text, 2), 4);
    assert_eq!(index.utf8_of(text, 2), 8);
    assert_eq!(index.slice(text, 3, 5), "e\u{301}");
    assert_eq!(index.slice(text, 6, 9), "“x”");
    assert_eq!(index.utf8_of(text, 9), 20);
    assert_eq!(index.cp_of_utf16(text, 11), Ok(9));
    assert_eq!(index.slice(text, 9, 10), "\u{a0}");
    assert_eq!(index.slice(text, 10, 12), "\r\n");
    assert_eq!(
        index.cp_of_utf16(text, 1),
        Err(Utf16Error::InsideSurrogatePair { offset: 1 })
    );
}

#[test]
fn offsets_beyond_several_checkpoints() {
    // 100 astral emoji then ASCII: checkpoints at 0, 64, 128.
    let text = format!("{}abc", "😀".repeat(100));
    let index = OffsetIndex::new(&text);
    assert_eq!(index.len_chars(), 103);
    assert_eq!(index.len_utf16(), 203);
    assert_eq!(index.utf16_of(&text, 70), 140);
    assert_eq!(index.utf8_of(&text, 70), 280);
    assert_eq!(index.utf16_of(&text, 101), 201);
    assert_eq!(index.cp_of_utf16(&text, 128), Ok(64));
    assert_eq!(index.cp_of_utf16(&text, 130), Ok(65));
    assert_eq!(index.cp_of_utf16(&text, 202), Ok(102));
    assert_eq!(
        index.cp_of_utf16(&text, 129),
        Err(Utf16Error::InsideSurrogatePair { offset: 129 })
    );
    assert_eq!(index.cp_of_utf8(&text, 400), 100);
    assert_eq!(index.slice(&text, 99, 102), "😀ab");
}

#[test]
fn empty_and_ascii_texts() {
    let index = OffsetIndex::new("");
    assert_eq!(
        (index.len_chars(), index.len_utf8(), index.len_utf16()),
        (0, 0, 0)
    );
    assert_eq!(index.cp_of_utf16("", 0), Ok(0));
    assert_eq!(
        index.cp_of_utf16("", 1),
        Err(Utf16Error::OutOfRange { offset: 1, len: 0 })
    );
    let text = "plain ascii\r\n\ttext";
    let index = OffsetIndex::new(text);
    assert_eq!(index.utf16_of(text, 12), 12);
    assert_eq!(index.utf8_of(text, 100), text.len());
    assert_eq!(index.slice(text, 6, 11), "ascii");
}
