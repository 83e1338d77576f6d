//! What the format tests share: the fixed golden corpus and the golden-file
//! check, random corpora for the round-trip property tests, the broken-file
//! reader, and the comparison of a parsed file with the entries exported.
// Each test file uses a different part of this module.
#![allow(dead_code)]

use std::rc::Rc;

use marginalia::formats::interchange::{ImportError, Interchange};
use marginalia::formats::ExportOptions;
use marginalia::model::{default_labels, Annotation, Document, Label, Status};
use marginalia::store::{shared, Entry};
use proptest::prelude::*;

pub const EXPORTED_AT: &str = "2026-11-21T10:00:00Z";

pub fn options(include_text: bool) -> ExportOptions {
    ExportOptions {
        exported_at: EXPORTED_AT.to_owned(),
        include_text,
    }
}

pub fn refs(entries: &[Entry]) -> Vec<&Entry> {
    entries.iter().collect()
}

// ------------------------------------------------------------ golden corpus

pub const TRICKY: &str =
    "Marginalia 👩\u{200D}👩\u{200D}👧 test: “curly quotes” and e\u{301}tude\u{a0}NBSP.\r\n\
Second line 🇺🇦 with 👍🏽 skin tone, \"straight\" quotes\r\n\r\nThird\tline 𝕏 end";

const PLAIN: &str = "plain ascii text\nwith two lines";

/// Code point range of the first occurrence of `needle` in `text`.
pub fn find(text: &str, needle: &str) -> (usize, usize) {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn annotation(
    n: usize,
    label: &str,
    (start, end): (usize, usize),
    note: Option<&str>,
) -> Annotation {
    Annotation {
        id: format!("00000000-0000-4000-8000-{n:012}"),
        label: label.to_owned(),
        start,
        end,
        created_at: format!("2026-11-21T09:{n:02}:00.5Z"),
        note: note.map(str::to_owned),
    }
}

/// Three documents: one with spans over every awkward kind of character
/// (and notes with quotes, commas and line breaks), one plain with a name
/// that needs quoting in CSV, one without spans.
pub fn golden_corpus() -> (Vec<Entry>, Vec<Label>) {
    let t = TRICKY;
    let tricky = vec![
        annotation(1, "claim", find(t, "👩\u{200D}👩\u{200D}👧"), None),
        annotation(
            2,
            "quote",
            find(t, "“curly quotes”"),
            Some("a note, with \"quotes\"\r\nand a second line"),
        ),
        annotation(3, "deadline", find(t, "e\u{301}tude"), None),
        annotation(4, "claim", find(t, "NBSP."), Some("NBSP\u{a0}inside 👍🏽")),
        annotation(5, "claim", find(t, "🇺🇦 with 👍🏽"), None),
        annotation(6, "quote", find(t, "Second line 🇺🇦"), None),
        annotation(
            7,
            "claim",
            find(t, "skin tone, \"straight\" quotes\r\n\r\nThird"),
            None,
        ),
        annotation(8, "quote", find(t, "𝕏 end"), None),
        annotation(9, "claim", find(t, "M"), None),
        annotation(10, "quote", find(t, "\tline"), Some("tab\tinside")),
    ];
    let plain = vec![
        annotation(11, "claim", find(PLAIN, "text\nwith"), None),
        annotation(12, "quote", find(PLAIN, "plain"), Some("plain, simple")),
    ];
    let entry = |name: &str, text: &str, annotations: Vec<Annotation>, status| Entry {
        doc: Rc::new(Document::new(name, text)),
        annotations: Rc::new(shared(annotations)),
        status,
    };
    (
        vec![
            entry("tricky.txt", TRICKY, tricky, Status::InProgress),
            entry("plain, \"quoted\" name.txt", PLAIN, plain, Status::Done),
            entry(
                "none.txt",
                "No spans here 😀",
                Vec::new(),
                Status::NotStarted,
            ),
        ],
        default_labels(),
    )
}

/// Compares `actual` byte for byte with `tests/golden/<name>`; with
/// `UPDATE_GOLDEN=1` in the environment, writes it there instead.
pub fn check_golden(name: &str, actual: &str) {
    let path = format!("{}/tests/golden/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var_os("UPDATE_GOLDEN").is_some_and(|v| v == "1") {
        std::fs::write(&path, actual).unwrap_or_else(|e| panic!("{path}: {e}"));
        return;
    }
    let hint = "if the change is intended, regenerate the golden files with \
                `UPDATE_GOLDEN=1 cargo test --test native_format --test formats_jsonl \
                --test formats_label_studio --test formats_csv` and review the diff";
    let expected = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}; {hint}"));
    if expected != actual {
        let line = expected
            .lines()
            .zip(actual.lines())
            .position(|(e, a)| e != a)
            .map_or_else(
                || "the line counts differ".to_owned(),
                |i| format!("first difference on line {}", i + 1),
            );
        panic!("{path} differs from the export ({line}); {hint}");
    }
}

/// The text of a file under `tests/broken/`.
pub fn broken(name: &str) -> String {
    let path = format!("{}/tests/broken/{name}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// Asserts `result` is an error at exactly `at` whose problem contains every
/// one of `words`.
pub fn assert_error<T: std::fmt::Debug>(result: Result<T, ImportError>, at: &str, words: &[&str]) {
    let e = match result {
        Ok(v) => panic!("accepted a broken file: {v:?}"),
        Err(e) => e,
    };
    assert_eq!(e.at, at, "wrong place in {e:?}");
    for word in words {
        assert!(
            e.problem.contains(word),
            "{:?} does not mention {word:?}",
            e.problem
        );
    }
}

// ------------------------------------------------------------- comparisons

/// What a format must bring back of one span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanFacts {
    pub id: Option<String>,
    pub label: String,
    pub start: usize,
    pub end: usize,
    pub quote: Option<String>,
    pub note: Option<String>,
}

/// What a format must bring back of one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DocumentFacts {
    pub name: Option<String>,
    pub sha256: Option<String>,
    pub text: Option<String>,
    pub spans: Vec<SpanFacts>,
}

/// The facts of `entries` as a format carrying texts (or not) writes them:
/// spans in export order, quotes always.
pub fn facts_of_entries(entries: &[Entry], with_text: bool) -> Vec<DocumentFacts> {
    entries
        .iter()
        .map(|e| {
            let mut annotations: Vec<&Annotation> = e.annotations.iter().map(|a| &**a).collect();
            annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            DocumentFacts {
                name: Some(e.doc.name.clone()),
                sha256: Some(e.doc.sha256().to_owned()),
                text: with_text.then(|| e.doc.text().to_owned()),
                spans: annotations
                    .iter()
                    .map(|a| SpanFacts {
                        id: Some(a.id.clone()),
                        label: a.label.clone(),
                        start: a.start,
                        end: a.end,
                        quote: Some(e.doc.slice(a.start, a.end).to_owned()),
                        note: a.note.clone(),
                    })
                    .collect(),
            }
        })
        .collect()
}

pub fn facts_of_interchange(parsed: &Interchange) -> Vec<DocumentFacts> {
    parsed
        .documents
        .iter()
        .map(|d| DocumentFacts {
            name: d.name.clone(),
            sha256: d.sha256.clone(),
            text: d.text.clone(),
            spans: d
                .spans
                .iter()
                .map(|s| SpanFacts {
                    id: s.id.clone(),
                    label: s.label.clone(),
                    start: s.start,
                    end: s.end,
                    quote: s.quote.clone(),
                    note: s.note.clone(),
                })
                .collect(),
        })
        .collect()
}

// ----------------------------------------------------------- random corpora

/// Pieces random texts are made of: the characters offsets go wrong on.
const PIECES: &[&str] = &[
    "a",
    "Z",
    "word",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{a0}",
    "é",
    "e\u{301}",
    "👍🏽",
    "👩\u{200D}👩\u{200D}👧",
    "🇺🇦",
    "𝕏",
    "😀",
    "“",
    "”",
    "\"",
    "'",
    ",",
    ";",
    "中文",
    "\u{200B}",
    "\\",
    "=1+2",
];

pub fn arb_text(max_pieces: usize) -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 0..max_pieces).prop_map(|p| p.concat())
}

fn arb_note() -> impl Strategy<Value = Option<String>> {
    prop::option::weighted(
        0.3,
        arb_text(6).prop_filter("notes are never empty", |n| !n.is_empty()),
    )
}

/// One document (name and text) with random spans (labels from the default
/// set, some with notes), ids `d{doc}-s{span}`.
fn arb_entry(doc: usize) -> impl Strategy<Value = Entry> {
    (arb_text(4), arb_text(40)).prop_flat_map(move |(name, text)| {
        let len = text.chars().count();
        let span = if len == 0 {
            Just(None).boxed()
        } else {
            (
                0..len,
                1..=len,
                prop::sample::select(vec!["claim", "quote", "deadline"]),
                arb_note(),
            )
                .prop_map(move |(a, b, label, note)| {
                    let (start, end) = if a < b { (a, b) } else { (b - 1, a + 1) };
                    Some((start, end.min(len), label, note))
                })
                .boxed()
        };
        let status = prop::sample::select(Status::ALL.to_vec());
        (prop::collection::vec(span, 0..8), status).prop_map(move |(spans, status)| {
            let annotations = spans
                .into_iter()
                .flatten()
                .enumerate()
                .map(|(s, (start, end, label, note))| Annotation {
                    id: format!("d{doc}-s{s}"),
                    label: label.to_owned(),
                    start,
                    end,
                    created_at: EXPORTED_AT.to_owned(),
                    note,
                })
                .collect();
            Entry {
                doc: Rc::new(Document::new(&name, &text)),
                annotations: Rc::new(shared(annotations)),
                status,
            }
        })
    })
}

/// Up to four documents with distinct texts (a corpus never holds one text twice).
pub fn arb_corpus() -> impl Strategy<Value = Vec<Entry>> {
    (0usize..=4)
        .prop_flat_map(|n| (0..n).map(arb_entry).collect::<Vec<_>>())
        .prop_map(|entries| {
            let mut seen = std::collections::HashSet::new();
            entries
                .into_iter()
                .filter(|e| seen.insert(e.doc.sha256().to_owned()))
                .collect()
        })
}

// ------------------------------------------------------------- big corpus

/// A document of about 1 MB (mixed ASCII, accents, emoji and CRLF lines)
/// with 10,000 spans, for the timing run.
pub fn big_entry() -> Entry {
    let line = "Le président a déclaré « nous tiendrons » 👍🏽 avant le 1er mars, \
                selon l’agence 🇺🇦 — “quote” here and there.\r\n";
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(line);
    }
    let doc = Document::new("big.txt", &text);
    let len = doc.len();
    let labels = ["claim", "quote", "deadline"];
    let annotations = (0..10_000)
        .map(|i| {
            let start = i * (len - 40) / 10_000;
            Annotation {
                id: format!("00000000-0000-4000-8000-{i:012}"),
                label: labels[i % 3].to_owned(),
                start,
                end: start + 5 + i % 30,
                created_at: EXPORTED_AT.to_owned(),
                note: (i % 10 == 0).then(|| format!("note {i}, with \"quotes\"")),
            }
        })
        .collect();
    Entry {
        doc: Rc::new(doc),
        annotations: Rc::new(shared(annotations)),
        status: Status::InProgress,
    }
}
