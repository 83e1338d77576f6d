//! CSV: the export is RFC 4180 (CRLF, quoting read back by an independent
//! reader written here), names its offset unit in the header, matches its
//! golden file and round-trips the spans of every document that has any;
//! broken files are refused with the line and column that is wrong.
#![cfg(not(target_arch = "wasm32"))]

mod formats_support;

use formats_support as support;
use marginalia::formats::csv::{export, parse, COLUMNS};
use marginalia::formats::interchange::FormatKind;
use marginalia::model::default_labels;
use marginalia::store::Entry;
use proptest::prelude::*;

fn golden_export() -> String {
    let (entries, labels) = support::golden_corpus();
    export(&support::refs(&entries), &labels, &support::options(true))
}

/// An RFC 4180 reader, independent of the crate the module uses: records of
/// fields; quoted fields may hold commas, quotes (doubled) and line breaks.
fn rfc4180_records(input: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut field = String::new();
    let mut chars = input.chars().peekable();
    let mut quoted = false;
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                chars.next();
                field.push('"');
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') => {
                assert!(field.is_empty(), "a quote inside an unquoted field");
                quoted = true;
            }
            (false, ',') => record.push(std::mem::take(&mut field)),
            (false, '\r') => {
                assert_eq!(chars.next(), Some('\n'), "a record ends in CRLF");
                record.push(std::mem::take(&mut field));
                records.push(std::mem::take(&mut record));
            }
            (false, '\n') => panic!("a bare LF ends a record"),
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "an unclosed quote");
    assert!(
        field.is_empty() && record.is_empty(),
        "the last record lacks its CRLF"
    );
    records
}

#[test]
fn golden_csv_export() {
    support::check_golden("corpus.csv", &golden_export());
}

#[test]
fn export_is_rfc4180_with_the_unit_in_the_header() {
    let (entries, _) = support::golden_corpus();
    let csv = golden_export();
    let records = rfc4180_records(&csv);
    assert_eq!(records[0], COLUMNS);
    assert!(records[0].contains(&"start_codepoint".to_owned()));
    let spans: usize = entries.iter().map(|e| e.annotations.len()).sum();
    assert_eq!(records.len(), 1 + spans);
    let mut rows = records[1..].iter();
    for entry in &entries {
        let chars: Vec<char> = entry.doc.text().chars().collect();
        let units: Vec<u16> = entry.doc.text().encode_utf16().collect();
        let mut annotations: Vec<_> = entry.annotations.iter().collect();
        annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        for a in annotations {
            let row = rows.next().unwrap();
            assert_eq!(row[0], entry.doc.name);
            assert_eq!(row[1], entry.doc.sha256());
            assert_eq!(row[2], a.label);
            let (start, end): (usize, usize) = (row[3].parse().unwrap(), row[4].parse().unwrap());
            assert_eq!((start, end), (a.start, a.end));
            let quote: String = chars[start..end].iter().collect();
            assert_eq!(row[5], quote);
            assert_eq!(row[6], a.note.clone().unwrap_or_default());
            assert_eq!(row[7], a.id);
            let (u16s, u16e): (usize, usize) = (row[8].parse().unwrap(), row[9].parse().unwrap());
            assert_eq!(String::from_utf16(&units[u16s..u16e]).unwrap(), quote);
        }
    }
    // the tricky texts really needed quoting
    assert!(csv.contains("\"a note, with \"\"quotes\"\"\r\nand a second line\""));
    assert!(csv.contains("\"plain, \"\"quoted\"\" name.txt\""));
}

/// The entries a CSV file can bring back: those with spans.
fn with_spans(entries: &[Entry]) -> Vec<Entry> {
    entries
        .iter()
        .filter(|e| !e.annotations.is_empty())
        .cloned()
        .collect()
}

#[test]
fn golden_corpus_round_trips() {
    let (entries, _) = support::golden_corpus();
    let parsed = parse(&golden_export()).unwrap();
    assert_eq!(parsed.format, FormatKind::Csv);
    assert_eq!(
        support::facts_of_interchange(&parsed),
        support::facts_of_entries(&with_spans(&entries), false)
    );
}

#[test]
fn reads_lf_line_ends_a_byte_order_mark_columns_in_any_order_and_extra_columns() {
    let sha = marginalia::model::Document::new("x", "Hi 👍🏽")
        .sha256()
        .to_owned();
    let input = format!(
        "\u{feff}text,end_codepoint,start_codepoint,label,sha256,document,reviewer\n\
         👍🏽,5,3,claim,{sha},hi.txt,ann\n"
    );
    let parsed = parse(&input).unwrap();
    let span = &parsed.documents[0].spans[0];
    assert_eq!((span.start, span.end, span.label.as_str()), (3, 5, "claim"));
    assert_eq!((span.id.clone(), span.note.clone()), (None, None));
    assert_eq!(parsed.documents[0].name.as_deref(), Some("hi.txt"));
}

#[test]
fn broken_csv_files() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "csv-missing-column.csv",
            "line 1",
            &["no column \"end_codepoint\"", "code points"],
        ),
        (
            "csv-unclosed-quote.csv",
            "line 4, column 6",
            &["no closing quote"],
        ),
        (
            "csv-stray-quote.csv",
            "line 2, column 90",
            &["a quote inside an unquoted field"],
        ),
        (
            // the row before spans two lines (its text holds a CRLF)
            "csv-wrong-field-count.csv",
            "line 4",
            &["has 9 fields, but the header has 10"],
        ),
        (
            "csv-start-not-a-number.csv",
            "line 2, start_codepoint",
            &["expected a whole number", "\"3a\""],
        ),
        (
            "csv-end-before-start.csv",
            "line 2, end_codepoint",
            &["must be greater than start_codepoint (5), found 3"],
        ),
        (
            "csv-text-length-mismatch.csv",
            "line 2, text",
            &["has 1 code points, but 3..5 spans 2"],
        ),
        (
            "csv-bad-sha256.csv",
            "line 2, sha256",
            &["64 lower-case hexadecimal digits"],
        ),
        (
            "csv-same-sha256-two-names.csv",
            "line 3, document",
            &[
                "\"other.txt\"",
                "line 2 gives the same sha256 to \"hi.txt\"",
            ],
        ),
        (
            "csv-empty.csv",
            "line 1",
            &["the file is empty", "document,sha256"],
        ),
        (
            "csv-utf16-mismatch.csv",
            "line 2, utf16_end",
            &["4 UTF-16 units long (expected 7)"],
        ),
        (
            "csv-duplicate-id.csv",
            "line 3, id",
            &["\"s1\" is used twice in document \"hi.txt\""],
        ),
        ("csv-empty-label.csv", "line 2, label", &["is empty"]),
    ];
    for (file, at, words) in cases {
        support::assert_error(parse(&support::broken(file)), at, words);
    }
}

#[test]
fn counts_lines_inside_quoted_fields_with_lf_line_ends() {
    let sha = marginalia::model::Document::new("x", "a\nb c")
        .sha256()
        .to_owned();
    let input = format!(
        "document,sha256,label,start_codepoint,end_codepoint,text\n\
         d.txt,{sha},claim,0,3,\"a\nb\"\n\
         d.txt,{sha},claim,4,5,\n"
    );
    support::assert_error(parse(&input), "line 4, text", &["has 0 code points"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_corpora_round_trip(entries in support::arb_corpus()) {
        let csv = export(&support::refs(&entries), &default_labels(), &support::options(true));
        let records = rfc4180_records(&csv);
        prop_assert_eq!(records.len(), 1 + entries.iter().map(|e| e.annotations.len()).sum::<usize>());
        let parsed = parse(&csv).map_err(|e| TestCaseError::fail(format!("{e}\n{csv}")))?;
        prop_assert_eq!(
            support::facts_of_interchange(&parsed),
            support::facts_of_entries(&with_spans(&entries), false)
        );
    }
}

/// Ids used twice are found after reading, by sorting: the first problem in
/// the file is still the one reported, whether it is the id or not.
#[test]
fn the_first_problem_in_the_file_is_reported() {
    let sha = "b72803867371aaeb43a17db67ef8806891a315944f7d79ae2a0e087e59b47eb0";
    let header = COLUMNS.join(",");
    let row = |label: &str, id: &str| format!("hi.txt,{sha},{label},0,2,Hi,,{id},0,2");
    let bad_sha = format!("hi.txt,{},claim,0,2,Hi,,s9,0,2", "0".repeat(63));
    let id_first = [
        header.clone(),
        row("claim", "s1"),
        row("quote", "s1"),
        bad_sha.clone(),
    ]
    .join("\n");
    support::assert_error(parse(&id_first), "line 3, id", &["\"s1\" is used twice"]);
    let sha_first = [header, row("claim", "s1"), bad_sha, row("quote", "s1")].join("\n");
    support::assert_error(parse(&sha_first), "line 3, sha256", &["64 lower-case"]);
}
