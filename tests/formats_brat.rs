//! brat standoff: exports are zips whose `.ann` files brat itself would
//! accept (checked here by redoing brat's own checks: offsets in code points
//! of the text read with universal newlines, fragment texts joined by a
//! space, no line break inside a line), match the golden file, and parse back
//! to the same labels, ranges and notes (property-tested over awkward
//! texts); other tools' brat files parse; broken files are refused with their
//! own message, file and line.
#![cfg(not(target_arch = "wasm32"))]

use std::io::Cursor;
use std::path::Path;
use std::rc::Rc;

use marginalia::formats::brat::{self, export, file_names, is_zip, parse_files};
use marginalia::formats::interchange::{FormatKind, ImportError, Interchange};
use marginalia::formats::zip as archive;
use marginalia::formats::ExportOptions;
use marginalia::model::{default_labels, Annotation, Document, Label, Status};
use marginalia::store::{shared, Entry};
use proptest::prelude::*;
use sha2::{Digest, Sha256};

const EXPORTED_AT: &str = "2026-11-21T10:00:00Z";

// ------------------------------------------------------------------ helpers

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

fn find(text: &str, needle: &str) -> (usize, usize) {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

/// The text as brat's Python holds it: universal newlines.
fn brat_view(text: &str) -> Vec<char> {
    text.replace("\r\n", "\n")
        .replace('\r', "\n")
        .chars()
        .collect()
}

/// brat's offset of code point offset `cp`, by reading the text as brat does.
fn brat_offset(text: &str, cp: usize) -> usize {
    brat_view(&cp_slice(text, 0, cp)).len()
}

/// Characters at which Python's `str.splitlines` ends a line.
const PYTHON_LINE_BREAKS: &[char] = &[
    '\n', '\r', '\u{0b}', '\u{0c}', '\u{1c}', '\u{1d}', '\u{1e}', '\u{85}', '\u{2028}', '\u{2029}',
];

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
        created_at: "2026-11-21T09:00:00Z".to_owned(),
        note: note.map(str::to_owned),
    }
}

fn entry(name: &str, text: &str, annotations: Vec<Annotation>) -> Entry {
    Entry {
        doc: Rc::new(Document::new(name, text)),
        annotations: Rc::new(shared(annotations)),
        status: Status::NotStarted,
    }
}

fn options() -> ExportOptions {
    ExportOptions {
        exported_at: EXPORTED_AT.to_owned(),
        include_text: true,
    }
}

fn export_of(entries: &[Entry], labels: &[Label]) -> Vec<u8> {
    let refs: Vec<&Entry> = entries.iter().collect();
    export(&refs, labels, &options())
}

fn unzip(bytes: &[u8]) -> Vec<(String, Vec<u8>)> {
    archive::read("export.zip", bytes).expect("the export is a readable zip")
}

fn file<'a>(files: &'a [(String, Vec<u8>)], name: &str) -> &'a str {
    let (_, bytes) = files
        .iter()
        .find(|(n, _)| n == name)
        .unwrap_or_else(|| panic!("no {name} in the zip"));
    std::str::from_utf8(bytes).expect("UTF-8")
}

const TRICKY: &str =
    "Marginalia 👩\u{200D}👩\u{200D}👧 test: “curly quotes” and e\u{301}tude\u{a0}NBSP.\r\n\
Second line 🇺🇦 with 👍🏽 skin tone\r\n\r\nThird\tline 𝕏 end";

fn tricky_corpus() -> Vec<Entry> {
    let t = TRICKY;
    let plain = "plain ascii text\nwith two lines\n";
    vec![
        entry(
            "tricky.txt",
            t,
            vec![
                annotation(1, "claim", find(t, "👩\u{200D}👩\u{200D}👧"), None),
                annotation(
                    2,
                    "quote",
                    find(t, "“curly quotes”"),
                    Some("a note\nwith two lines\tand a \\ tab"),
                ),
                annotation(3, "deadline", find(t, "e\u{301}tude"), None),
                annotation(4, "claim", find(t, "skin tone\r\n\r\nThird"), None),
                annotation(5, "quote", find(t, "𝕏 end"), None),
                annotation(
                    6,
                    "due date",
                    find(t, "Second line 🇺🇦"),
                    Some("first of the line"),
                ),
            ],
        ),
        entry(
            "plain.md",
            plain,
            vec![
                annotation(7, "claim", find(plain, "text\nwith"), None),
                // Ends on the final line feed: kept exactly by a zero-width fragment.
                annotation(8, "due_date", find(plain, "lines\n"), None),
            ],
        ),
        entry("none.txt", "No spans here 😀", Vec::new()),
    ]
}

/// Redoes brat's checks of `TextAnnotations._parse_textbound_annotation` on
/// an `.ann` file for `text`: every T line's offsets are within the text as
/// brat reads it, fragments do not overlap, and the text field is the
/// fragments' texts joined by one space. Returns (type, brat start, brat end)
/// per T line (start and end over all fragments).
fn brat_accepts(ann: &str, text: &str) -> Vec<(String, usize, usize)> {
    assert!(
        ann.ends_with('\n') || ann.is_empty(),
        "the .ann ends with a line feed"
    );
    let body = ann.strip_suffix('\n').unwrap_or(ann);
    let view = brat_view(text);
    let mut spans = Vec::new();
    for line in body
        .split('\n')
        .filter(|l| !ann.is_empty() || !l.is_empty())
    {
        assert!(
            !line.contains(PYTHON_LINE_BREAKS),
            "a line break inside an .ann line would split it for Python: {line:?}"
        );
        let (id, rest) = line.split_once('\t').expect("ID<TAB>");
        if id.starts_with('#') {
            let (data, _note) = rest
                .split_once('\t')
                .expect("#N<TAB>AnnotatorNotes T<TAB>note");
            let parts: Vec<&str> = data.split_whitespace().collect();
            assert_eq!(parts.len(), 2, "{line:?}");
            assert_eq!(parts[0], "AnnotatorNotes");
            continue;
        }
        assert!(id.starts_with('T'), "{line:?}");
        let (data, field) = rest
            .split_once('\t')
            .expect("T<TAB>TYPE START END<TAB>TEXT");
        let (brat_type, ranges) = data.split_once(' ').expect("TYPE START END");
        // brat's storage form: `^[a-zA-Z0-9_-]*$` (projectconfig.py).
        assert!(
            !brat_type.is_empty()
                && brat_type
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-'),
            "{brat_type:?} is not a brat storage form"
        );
        let mut seen: Vec<(usize, usize)> = Vec::new();
        let mut texts = Vec::new();
        for range in ranges.split(';') {
            let (s, e) = range.split_once(' ').expect("START END");
            let (s, e): (usize, usize) = (s.parse().unwrap(), e.parse().unwrap());
            assert!(
                s <= e && e <= view.len(),
                "{line:?}: {s} {e} outside 0..{}",
                view.len()
            );
            for &(os, oe) in &seen {
                // brat's own overlap test
                assert!(!(e >= os && s < oe), "{line:?}: fragments overlap");
            }
            seen.push((s, e));
            texts.push(view[s..e].iter().collect::<String>());
        }
        assert_eq!(
            field,
            texts.join(" "),
            "{line:?}: the span text brat expects"
        );
        let start = seen.iter().map(|f| f.0).min().unwrap();
        let end = seen.iter().map(|f| f.1).max().unwrap();
        spans.push((brat_type.to_owned(), start, end));
    }
    spans
}

/// The brat type Marginalia writes for each label the tests use: spaces as
/// `_` where brat's storage form allows the rest, else `_` and UTF-8 hex.
fn expected_type(label: &str) -> String {
    let hex = |s: &str| {
        format!(
            "_{}",
            s.bytes().map(|b| format!("{b:02X}")).collect::<String>()
        )
    };
    match label {
        "claim" | "quote" | "deadline" => label.to_owned(),
        "due date" => "due_date".to_owned(),
        "Part-of 2" => "Part-of_2".to_owned(),
        "due_date" => "_6475655F64617465".to_owned(),
        "50%" | "ünï cödé" | "a/b|c" | "tab\tlabel" | "two  spaces" | "SPAN DEFAULT" => {
            hex(label)
        }
        other => panic!("no expected type for {other:?}"),
    }
}

/// label, start, end, note, quote
type SpanSummary = (String, usize, usize, Option<String>, Option<String>);
type SpanRef<'a> = (&'a str, usize, usize, Option<&'a str>, Option<&'a str>);

/// Export, check as brat would, parse back, compare with the entries.
fn check_round_trip(entries: &[Entry], labels: &[Label]) -> Interchange {
    let bytes = export_of(entries, labels);
    assert!(is_zip(&bytes));
    let files = unzip(&bytes);
    let refs: Vec<&Entry> = entries.iter().collect();
    let names = file_names(&refs);
    let mut expected_files = vec!["annotation.conf".to_owned(), "visual.conf".to_owned()];
    for name in &names {
        expected_files.push(format!("{name}.txt"));
        expected_files.push(format!("{name}.ann"));
    }
    let got_files: Vec<&String> = files.iter().map(|f| &f.0).collect();
    assert_eq!(got_files, expected_files.iter().collect::<Vec<_>>());
    let mut lower: Vec<String> = names.iter().map(|n| n.to_lowercase()).collect();
    lower.sort();
    lower.dedup();
    assert_eq!(
        lower.len(),
        names.len(),
        "file names are unique ignoring case: {names:?}"
    );
    for name in &names {
        assert!(
            !name.contains(['/', '\\', ':', '*', '?', '"', '<', '>', '|']),
            "{name:?}"
        );
        assert!(!name.starts_with('.') && !name.is_empty(), "{name:?}");
    }
    let conf = file(&files, "annotation.conf");
    for (entry, name) in entries.iter().zip(&names) {
        let text = entry.doc.text();
        // The text is written byte for byte.
        let txt = &files
            .iter()
            .find(|f| f.0 == format!("{name}.txt"))
            .unwrap()
            .1;
        assert_eq!(txt.as_slice(), text.as_bytes());
        let ann = file(&files, &format!("{name}.ann"));
        let mut sorted: Vec<&Annotation> = entry.annotations.iter().map(|a| &**a).collect();
        sorted.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let expected: Vec<(String, usize, usize)> = sorted
            .iter()
            .map(|a| {
                (
                    expected_type(&a.label),
                    brat_offset(text, a.start),
                    brat_offset(text, a.end),
                )
            })
            .collect();
        assert_eq!(brat_accepts(ann, text), expected, "{name}.ann:\n{ann}");
        for a in &sorted {
            assert!(
                conf.lines().any(|l| l == expected_type(&a.label).as_str()),
                "annotation.conf declares {}",
                a.label
            );
        }
    }
    let parsed = parse_files(&[("export.zip".to_owned(), bytes)]).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(parsed.format, FormatKind::Brat);
    assert_eq!(parsed.documents.len(), entries.len());
    for ((doc, entry), name) in parsed.documents.iter().zip(entries).zip(&names) {
        let text = entry.doc.text();
        assert_eq!(doc.name.as_deref(), Some(format!("{name}.txt").as_str()));
        assert_eq!(doc.text.as_deref(), Some(text));
        // brat states no hash: the plan matches by name, then by the text's hash.
        assert_eq!(doc.sha256, None);
        let mut sorted: Vec<&Annotation> = entry.annotations.iter().map(|a| &**a).collect();
        sorted.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let want: Vec<SpanSummary> = sorted
            .iter()
            .map(|a| {
                (
                    a.label.clone(),
                    a.start,
                    a.end,
                    a.note.clone(),
                    Some(cp_slice(text, a.start, a.end)),
                )
            })
            .collect();
        let got: Vec<SpanSummary> = doc
            .spans
            .iter()
            .map(|s| {
                (
                    s.label.clone(),
                    s.start,
                    s.end,
                    s.note.clone(),
                    s.quote.clone(),
                )
            })
            .collect();
        assert_eq!(got, want, "{name}");
    }
    parsed
}

// ------------------------------------------------------------------ export

#[test]
fn tricky_corpus_round_trips_and_brat_would_accept_it() {
    let parsed = check_round_trip(&tricky_corpus(), &default_labels());
    // Declared: the given labels in order, then the ones spans add.
    let names: Vec<&str> = parsed.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        ["claim", "quote", "deadline", "due date", "due_date"]
    );
    // Colours survive through visual.conf.
    assert_eq!(parsed.labels[0].color, "#0072b2");
    assert_eq!(parsed.labels[3].color, brat::DEFAULT_COLOR);
}

#[test]
fn offsets_count_code_points_with_crlf_once_and_fragments_split_at_line_breaks() {
    // Worked by hand: brat reads "ab😀\r\ncd\r\n\r\nef" as "ab😀\ncd\n\nef".
    let text = "ab😀\r\ncd\r\n\r\nef";
    let corpus = vec![entry(
        "hand.txt",
        text,
        vec![
            annotation(1, "claim", (2, 3), None), // 😀: one code point
            annotation(2, "quote", (1, 7), Some("line\nbreak")), // "b😀\r\ncd"
            annotation(3, "claim", (3, 12), None), // "\r\ncd\r\n\r\ne": starts on a break
        ],
    )];
    let files = unzip(&export_of(&corpus, &default_labels()));
    assert_eq!(
        file(&files, "hand.ann"),
        "T1\tquote 1 3;4 6\tb😀 cd\n\
         #1\tAnnotatorNotes T1\tline\\nbreak\n\
         T2\tclaim 2 3\t😀\n\
         T3\tclaim 3 3;4 6;8 9\t cd e\n"
    );
    check_round_trip(&corpus, &default_labels());
}

#[test]
fn the_zip_is_deterministic_and_dated_by_the_export() {
    let corpus = tricky_corpus();
    let bytes = export_of(&corpus, &default_labels());
    assert_eq!(bytes, export_of(&corpus, &default_labels()));
    let mut zip = zip::ZipArchive::new(Cursor::new(&bytes)).unwrap();
    for i in 0..zip.len() {
        let entry = zip.by_index(i).unwrap();
        assert_eq!(entry.compression(), zip::CompressionMethod::Deflated);
        let t = entry.last_modified().expect("a time");
        assert_eq!(
            (
                t.year(),
                t.month(),
                t.day(),
                t.hour(),
                t.minute(),
                t.second()
            ),
            (2026, 11, 21, 10, 0, 0),
            "{:?}",
            entry.name()
        );
    }
}

#[test]
fn file_names_are_safe_and_unique() {
    let corpus: Vec<Entry> = [
        "a/b.txt", "same.txt", "Same.TXT", "CON", ".hidden", "", "notes.md", "x:y?.txt",
    ]
    .iter()
    .map(|n| entry(n, "text", Vec::new()))
    .collect();
    let refs: Vec<&Entry> = corpus.iter().collect();
    assert_eq!(
        file_names(&refs),
        ["a_b", "same", "Same-2", "CON_", "_hidden", "document", "notes.md", "x_y_"]
    );
    check_round_trip(&corpus, &[]);
}

#[test]
fn golden_file() {
    let corpus = tricky_corpus();
    let files = unzip(&export_of(&corpus, &default_labels()));
    let mut dump = String::new();
    for (name, bytes) in &files {
        if name.ends_with(".txt") {
            dump.push_str(&format!(
                "=== {name}: {} bytes, SHA-256 {}\n",
                bytes.len(),
                sha256_hex(bytes)
            ));
        } else {
            dump.push_str(&format!(
                "=== {name}\n{}",
                std::str::from_utf8(bytes).unwrap()
            ));
        }
    }
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden/brat-export.txt");
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::write(&path, &dump).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == dump,
        "{} differs (UPDATE_GOLDEN=1 rewrites it):\n{dump}",
        path.display()
    );
    // The .txt entries are the texts, byte for byte.
    for (entry, name) in corpus
        .iter()
        .zip(["tricky.txt", "plain.md.txt", "none.txt"])
    {
        let (_, bytes) = files.iter().find(|f| f.0 == name).unwrap();
        assert_eq!(bytes.as_slice(), entry.doc.text().as_bytes());
    }
}

// ------------------------------------------------------------------ properties

const PIECES: &[&str] = &[
    "a",
    "word",
    " ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{a0}",
    "“",
    "e\u{301}",
    "👩\u{200D}👩\u{200D}👧",
    "👍🏽",
    "🇺🇦",
    "𝕏",
    "\u{2028}",
    "\u{85}",
    "\u{0c}",
    "\\",
    "%",
    "_",
    "中文",
];
const LABELS: &[&str] = &[
    "claim",
    "quote",
    "due date",
    "Part-of 2",
    "due_date",
    "50%",
    "ünï cödé",
    "a/b|c",
    "tab\tlabel",
    "two  spaces",
    "SPAN DEFAULT",
];
const NOTES: &[&str] = &[
    "note",
    "two\nlines",
    "tab\there",
    "back\\slash \\n",
    "\\u2028 literally",
    "\u{2028}real",
    "x\r\ny",
    "  spaced  ",
];
const NAMES: &[&str] = &["doc.txt", "Doc.TXT", "a/b", "notes.md", "über.txt", ""];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..40).prop_map(|p| p.concat())
}

type RawSpan = (usize, usize, usize, Option<usize>);

/// A corpus entry whose spans never start or end between a CR and its LF
/// (a position brat cannot express; see the module documentation).
fn random_entry(n: usize, name: &str, text: &str, raw: &[RawSpan]) -> Entry {
    let chars: Vec<char> = text.chars().collect();
    let boundaries: Vec<usize> = (0..=chars.len())
        .filter(|&p| !(p > 0 && p < chars.len() && chars[p - 1] == '\r' && chars[p] == '\n'))
        .collect();
    let annotations = raw
        .iter()
        .enumerate()
        .filter(|_| boundaries.len() > 1)
        .map(|(i, &(s, l, label, note))| {
            let a = s % (boundaries.len() - 1);
            let b = a + 1 + l % (boundaries.len() - 1 - a);
            annotation(
                n * 100 + i,
                LABELS[label],
                (boundaries[a], boundaries[b]),
                note.map(|k| NOTES[k]),
            )
        })
        .collect();
    entry(name, text, annotations)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn random_corpora_round_trip(
        docs in prop::collection::vec(
            (
                prop::sample::select(NAMES),
                text_strategy(),
                prop::collection::vec((0usize..1000, 0usize..1000, 0..LABELS.len(), prop::option::of(0..NOTES.len())), 0..10),
            ),
            1..4,
        )
    ) {
        let entries: Vec<Entry> = docs
            .iter()
            .enumerate()
            .map(|(n, (name, text, raw))| random_entry(n, name, text, raw))
            .collect();
        check_round_trip(&entries, &default_labels());
    }
}

// ------------------------------------------------------------------ other tools

fn named(files: &[(&str, &str)]) -> Vec<(String, Vec<u8>)> {
    files
        .iter()
        .map(|(n, c)| ((*n).to_owned(), c.as_bytes().to_vec()))
        .collect()
}

#[test]
fn reads_brat_files_as_brat_users_have_them() {
    let text = "Protein IL-2 binds\r\nthe receptor.\r\nNo annotations here.";
    // CR LF line ends in the .ann too; relations, events, attributes,
    // normalisations, equivalences and other comments are read past.
    let ann = "T1\tProtein 8 12\tIL-2\r\n\
               T2\tBinding 13 18\tbinds\r\n\
               E1\tBinding:T2 Theme:T1\r\n\
               T3\tProtein 13 18;19 22\tbinds the\r\n\
               R1\tPart-of Arg1:T1 Arg2:T3\r\n\
               A1\tNegation E1\r\n\
               N1\tReference T1 Uniprot:P60568\tIL2\r\n\
               *\tEquiv T1 T3\r\n\
               #1\tAnnotatorNotes T1\tchecked, see C:\\path\r\n\
               #2\tOtherComment T2\tignored\r\n\
               \r\n";
    let conf = "[entities]\n!Protein\n\tSub_type\n[relations]\nPart-of Arg1:Protein, Arg2:Protein\n<OVERLAP> Arg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n[events]\nBinding\tTheme:Protein\n[attributes]\nNegation Arg:<EVENT>\n";
    let visual = "[labels]\nProtein | Protein | Pro\n[drawing]\nProtein\tbgColor:#7FA2FF, fgColor:black\nSub_type\tbgColor:red\n";
    let parsed = parse_files(&named(&[
        ("corpus/1000.ann", ann),
        ("corpus/1000.txt", text),
        ("annotation.conf", conf),
        ("visual.conf", visual),
        ("corpus/empty.txt", "no .ann beside me"),
    ]))
    .unwrap();
    let labels: Vec<(&str, &str)> = parsed
        .labels
        .iter()
        .map(|l| (l.name.as_str(), l.color.as_str()))
        .collect();
    assert_eq!(
        labels,
        [
            ("Protein", "#7fa2ff"),
            ("Sub type", brat::DEFAULT_COLOR),
            ("Binding", brat::DEFAULT_COLOR)
        ]
    );
    assert_eq!(parsed.documents.len(), 2);
    let doc = &parsed.documents[0];
    assert_eq!(doc.name.as_deref(), Some("1000.txt"));
    let spans: Vec<SpanRef> = doc
        .spans
        .iter()
        .map(|s| {
            (
                s.label.as_str(),
                s.start,
                s.end,
                s.quote.as_deref(),
                s.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            (
                "Protein",
                8,
                12,
                Some("IL-2"),
                Some("checked, see C:\\path")
            ),
            ("Binding", 13, 18, Some("binds"), None),
            // Discontinuous over a CR LF: from the first start to the last end.
            ("Protein", 13, 23, Some("binds\r\nthe"), None),
        ]
    );
    assert!(parsed.documents[1].spans.is_empty());
    assert_eq!(parsed.documents[1].name.as_deref(), Some("empty.txt"));
}

#[test]
fn reads_a_zip_made_by_another_tool_with_folders_and_clutter() {
    let files = [
        ("data/".to_owned(), Vec::new()),
        ("data/a.txt".to_owned(), "Hello wörld".as_bytes().to_vec()),
        (
            "data/a.ann".to_owned(),
            "T1\tGreeting 0 5\tHello\n".as_bytes().to_vec(),
        ),
        ("__MACOSX/data/._a.ann".to_owned(), vec![0, 5, 22, 7]),
        ("data/._a.txt".to_owned(), vec![0, 5, 22, 7]),
        ("data/tools.conf".to_owned(), b"[options]\n".to_vec()),
    ];
    // Folders are written as entries with no contents here; the reader skips them.
    let bytes = archive::write(&files[1..], EXPORTED_AT);
    let parsed = parse_files(&[("theirs.zip".to_owned(), bytes)]).unwrap();
    assert_eq!(parsed.labels, vec![]);
    assert_eq!(parsed.documents.len(), 1);
    assert_eq!(parsed.documents[0].spans[0].label, "Greeting");
    assert_eq!(parsed.documents[0].text.as_deref(), Some("Hello wörld"));
}

#[test]
fn a_byte_order_mark_counts_as_a_character_for_brat() {
    let parsed = parse_files(&[
        ("a.txt".to_owned(), b"\xEF\xBB\xBFabc def".to_vec()),
        ("a.ann".to_owned(), b"T1\tx 5 8\tdef\n".to_vec()),
    ])
    .unwrap();
    let doc = &parsed.documents[0];
    assert_eq!(doc.text.as_deref(), Some("abc def"));
    assert_eq!((doc.spans[0].start, doc.spans[0].end), (4, 7));
}

// ------------------------------------------------------------------ broken files

/// (files in tests/broken given together, file named, where, what).
const BROKEN: &[(&[&str], &str, &str, &str)] = &[
    (&["brat-orphan.ann"], "brat-orphan.ann", "", "has no brat-orphan.txt beside it"),
    (&["brat-past-end.ann", "brat-past-end.txt"], "brat-past-end.ann", "line 2", "T2: offset 99 is past the end of brat-past-end.txt (21 characters as brat counts them"),
    (&["brat-start-after-end.ann", "brat-start-after-end.txt"], "brat-start-after-end.ann", "line 1", "T1: start 9 is after end 4"),
    (&["brat-not-a-number.ann", "brat-not-a-number.txt"], "brat-not-a-number.ann", "line 1", "T1: \"4x\" is not an offset: expected a non-negative integer"),
    (&["brat-mismatch.ann", "brat-mismatch.txt"], "brat-mismatch.ann", "line 3", "T3: the span text \"wrong\" does not match brat-mismatch.txt at 6 11, which reads \"lines\""),
    (&["brat-no-tab.ann", "brat-no-tab.txt"], "brat-no-tab.ann", "line 2", "expected an annotation id and a tab"),
    (&["brat-unknown-id.ann", "brat-unknown-id.txt"], "brat-unknown-id.ann", "line 1", "\"X1\" is not a brat annotation id"),
    (&["brat-note-undefined.ann", "brat-note-undefined.txt"], "brat-note-undefined.ann", "line 2", "AnnotatorNotes for T9, which this file does not define"),
    (&["brat-latin1.ann", "brat-latin1.txt"], "brat-latin1.txt", "byte 3", "is not valid UTF-8"),
    (&["brat-undeclared.zip"], "a.ann (in brat-undeclared.zip)", "line 2", "T2: type Person is not declared in annotation.conf"),
    (&["brat-corrupt.zip"], "a.txt (in brat-corrupt.zip)", "", "is damaged and cannot be unpacked"),
    (&["brat-truncated.zip"], "brat-truncated.zip", "", "is not a readable zip archive"),
    // Its header claims 4 GB for a.txt: refused before anything is unpacked.
    (&["brat-bomb.zip"], "a.txt (in brat-bomb.zip)", "", "would unpack to 4294967280 bytes"),
    (&["brat-readme.pdf"], "brat-readme.pdf", "", "is not part of a brat corpus"),
];

#[test]
fn broken_files_are_refused_with_their_own_message_and_place() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut messages = std::collections::HashSet::new();
    let mut listed = std::collections::HashSet::new();
    for &(names, file_named, at, problem) in BROKEN {
        let files: Vec<(String, Vec<u8>)> = names
            .iter()
            .map(|n| {
                listed.insert(*n);
                (
                    (*n).to_owned(),
                    std::fs::read(dir.join(n)).unwrap_or_else(|e| panic!("{n}: {e}")),
                )
            })
            .collect();
        let error: ImportError = parse_files(&files).expect_err(names[0]);
        assert_eq!(error.file.as_deref(), Some(file_named), "{error}");
        assert_eq!(error.at, at, "{error}");
        assert!(error.problem.contains(problem), "{}: {error}", names[0]);
        assert!(
            messages.insert(error.to_string()),
            "{error}: same message as another case"
        );
    }
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with("brat") {
            assert!(listed.contains(name.as_str()), "{name} is not checked");
        }
    }
    assert!(parse_files(&[]).is_err());
}

// ------------------------------------------------------------------ speed

/// `cargo test --release --test formats_brat -- --ignored --nocapture`
#[test]
#[ignore = "timing report, run by hand in release mode"]
fn one_megabyte_with_ten_thousand_spans() {
    let line =
        "Marginalia “tests” 👩\u{200D}👩\u{200D}👧 offsets on a long line of news text, café.\r\n";
    let mut text = String::new();
    while text.len() < 1_000_000 {
        text.push_str(line);
    }
    let len = text.chars().count();
    let annotations: Vec<Annotation> = (0..10_000)
        .map(|i| {
            let start = i * (len - 200) / 10_000;
            // Every tenth span crosses a line end.
            let length = if i % 10 == 0 { 120 } else { 5 + i % 30 };
            annotation(
                i,
                LABELS[i % 3],
                (start, start + length),
                (i % 10 == 0).then_some("a note"),
            )
        })
        .collect();
    let corpus = vec![entry("big.txt", &text, annotations)];
    let mut export_ms = Vec::new();
    let mut parse_ms = Vec::new();
    let mut bytes = Vec::new();
    for _ in 0..7 {
        let t = std::time::Instant::now();
        bytes = export_of(&corpus, &default_labels());
        export_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = std::time::Instant::now();
        let parsed = parse_files(&[("big.zip".to_owned(), bytes.clone())]).unwrap();
        parse_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(parsed.documents[0].spans.len(), 10_000);
    }
    export_ms.sort_by(f64::total_cmp);
    parse_ms.sort_by(f64::total_cmp);
    println!(
        "brat, {} bytes of text, 10,000 spans, {} bytes of zip: export median {:.1} ms, parse median {:.1} ms",
        text.len(),
        bytes.len(),
        export_ms[3],
        parse_ms[3]
    );
}
