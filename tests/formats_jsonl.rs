//! The JSONL dataset format: the export states its unit on every line, its
//! two span styles and UTF-16 fields agree with the text (checked without
//! the crate's offset code), it matches its golden file and round-trips;
//! spaCy/Prodigy- and doccano-style lines from elsewhere are read; broken
//! files are refused with the line and field that is wrong.
#![cfg(not(target_arch = "wasm32"))]

mod formats_support;

use formats_support as support;
use marginalia::formats::interchange::FormatKind;
use marginalia::formats::jsonl::{export, parse};
use marginalia::model::default_labels;
use proptest::prelude::*;
use serde_json::Value;

fn golden_export() -> String {
    let (entries, labels) = support::golden_corpus();
    export(&support::refs(&entries), &labels, &support::options(true))
}

#[test]
fn golden_jsonl_export() {
    support::check_golden("corpus.jsonl", &golden_export());
}

#[test]
fn every_line_states_its_unit_and_both_span_styles_match_the_text() {
    let (entries, _) = support::golden_corpus();
    let jsonl = golden_export();
    assert!(jsonl.ends_with('\n'));
    let lines: Vec<&str> = jsonl.lines().collect();
    assert_eq!(lines.len(), entries.len());
    for (n, (line, entry)) in lines.iter().zip(&entries).enumerate() {
        let value: Value = serde_json::from_str(line).unwrap();
        assert_eq!(value["id"], n + 1);
        assert_eq!(value["offset_unit"], "codepoint");
        assert_eq!(value["name"], entry.doc.name.as_str());
        assert_eq!(value["sha256"], entry.doc.sha256());
        let text = value["text"].as_str().unwrap();
        assert_eq!(text, entry.doc.text());
        let chars: Vec<char> = text.chars().collect();
        let units: Vec<u16> = text.encode_utf16().collect();
        let spans = value["spans"].as_array().unwrap();
        let triples = value["label"].as_array().unwrap();
        assert_eq!(spans.len(), entry.annotations.len());
        assert_eq!(triples.len(), spans.len());
        for (span, triple) in spans.iter().zip(triples) {
            let (start, end) = (
                span["start"].as_u64().unwrap() as usize,
                span["end"].as_u64().unwrap() as usize,
            );
            let quote: String = chars[start..end].iter().collect();
            assert_eq!(span["text"].as_str().unwrap(), quote);
            let (u16s, u16e) = (
                span["utf16_start"].as_u64().unwrap() as usize,
                span["utf16_end"].as_u64().unwrap() as usize,
            );
            assert_eq!(String::from_utf16(&units[u16s..u16e]).unwrap(), quote);
            assert_eq!(triple[0], span["start"]);
            assert_eq!(triple[1], span["end"]);
            assert_eq!(triple[2], span["label"]);
        }
    }
}

#[test]
fn golden_corpus_round_trips() {
    let (entries, _) = support::golden_corpus();
    let parsed = parse(&golden_export()).unwrap();
    assert_eq!(parsed.format, FormatKind::Jsonl);
    assert!(parsed.labels.is_empty(), "JSONL declares no labels");
    assert_eq!(
        support::facts_of_interchange(&parsed),
        support::facts_of_entries(&entries, true)
    );
}

#[test]
fn reads_prodigy_and_doccano_lines() {
    // Prodigy: spans without text or id, extra keys; doccano: integer id, label triples.
    let input = "{\"text\":\"Hi 👍🏽 there\",\"_input_hash\":12,\"tokens\":[],\
                 \"spans\":[{\"start\":3,\"end\":5,\"label\":\"claim\",\"token_start\":1}]}\r\n\
                 \r\n\
                 {\"id\":7,\"text\":\"𝕏 marks\",\"label\":[[0,1,\"quote\"],[2,7,\"claim\"]],\"meta\":{}}\n";
    let parsed = parse(input).unwrap();
    let facts = support::facts_of_interchange(&parsed);
    assert_eq!(facts.len(), 2);
    assert_eq!(facts[0].name, None);
    let spans: Vec<_> = facts
        .iter()
        .flat_map(|d| &d.spans)
        .map(|s| (s.label.as_str(), s.start, s.end, s.quote.as_deref()))
        .collect();
    assert_eq!(
        spans,
        [
            ("claim", 3, 5, Some("👍🏽")),
            ("quote", 0, 1, Some("𝕏")),
            ("claim", 2, 7, Some("marks")),
        ]
    );
    // the text's own hash, for matching
    assert_eq!(
        facts[1].sha256.as_deref(),
        Some(marginalia::model::Document::new("x", "𝕏 marks").sha256())
    );
}

#[test]
fn a_line_without_spans_is_a_document_without_spans() {
    let parsed = parse("{\"text\":\"just text\"}").unwrap();
    assert_eq!(parsed.documents.len(), 1);
    assert!(parsed.documents[0].spans.is_empty());
    assert!(parse("").unwrap().documents.is_empty());
}

#[test]
fn broken_jsonl_files() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "jsonl-truncated.jsonl",
            "line 2, column 54 (label[0])",
            &["EOF"],
        ),
        (
            "jsonl-start-as-string.jsonl",
            "line 2, spans[0].start",
            &["invalid type: string \"3\"", "expected usize"],
        ),
        (
            "jsonl-end-past-text.jsonl",
            "line 1, spans[0].end",
            &["end (13) is past the end of the text (12 code points)"],
        ),
        (
            "jsonl-end-before-start.jsonl",
            "line 2, label[0]",
            &["end (3) must be greater than start (5)"],
        ),
        (
            "jsonl-missing-text.jsonl",
            "line 1",
            &["missing field `text`"],
        ),
        (
            "jsonl-styles-disagree.jsonl",
            "line 1, label",
            &["does not agree with spans", "[3, 5, \"claim\"]"],
        ),
        (
            "jsonl-sha256-mismatch.jsonl",
            "line 1, sha256",
            &["does not match the text"],
        ),
        (
            "jsonl-utf16-offset-unit.jsonl",
            "line 1, offset_unit",
            &["expected \"codepoint\"", "\"utf16\""],
        ),
        (
            "jsonl-quote-mismatch.jsonl",
            "line 1, spans[0].text",
            &["is \"👍\"", "3..5 is \"👍🏽\""],
        ),
        (
            "jsonl-not-an-object.jsonl",
            "line 3, column 1",
            &[
                "found '['",
                "expected a JSON object (one document per line)",
            ],
        ),
        (
            "jsonl-utf16-mismatch.jsonl",
            "line 1, spans[0].utf16_start",
            &["is 6, but code point 6 is UTF-16 offset 8"],
        ),
    ];
    for (file, at, words) in cases {
        support::assert_error(parse(&support::broken(file)), at, words);
    }
}

#[test]
fn rejects_trailing_content_and_a_label_that_is_not_a_triple() {
    support::assert_error(
        parse("{\"text\":\"a\"} {}"),
        "line 1, column 14",
        &["unexpected content"],
    );
    support::assert_error(
        parse("{\"text\":\"abc\",\"label\":[\"positive\"]}"),
        "line 1, label[0]",
        &["expected a tuple of size 3"],
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_corpora_round_trip(entries in support::arb_corpus()) {
        let jsonl = export(&support::refs(&entries), &default_labels(), &support::options(true));
        let parsed = parse(&jsonl).map_err(|e| TestCaseError::fail(format!("{e}\n{jsonl}")))?;
        prop_assert_eq!(
            support::facts_of_interchange(&parsed),
            support::facts_of_entries(&entries, true)
        );
    }
}

/// Ids used twice are found after reading, by sorting: the first problem in
/// the file is still the one reported, whether it is the id or not.
#[test]
fn the_first_problem_in_the_file_is_reported() {
    let line = |spans: &str| format!(r#"{{"text": "Hi you there", "spans": [{spans}]}}"#);
    let span = |start: u32, end: u32, id: &str| {
        format!(r#"{{"start": {start}, "end": {end}, "label": "claim", "id": "{id}"}}"#)
    };
    let id_first = line(&[span(0, 2, "a"), span(3, 6, "a"), span(9, 7, "b")].join(","));
    support::assert_error(
        parse(&id_first),
        "line 1, spans[1].id",
        &["\"a\" is used twice"],
    );
    let range_first = line(&[span(0, 2, "a"), span(9, 7, "b"), span(3, 6, "a")].join(","));
    support::assert_error(parse(&range_first), "line 1, spans[1].end", &[]);
}
