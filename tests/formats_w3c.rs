//! The W3C Web Annotation format: every export validates against the W3C
//! annotation-model test schemas (tests/fixtures/w3c, applied as the wpt
//! harness applies them), matches the golden file, and parses back to the
//! same spans (property-tested over awkward texts); files from other tools
//! parse; broken files are refused with their own message and JSON path.
#![cfg(not(target_arch = "wasm32"))]

use std::path::{Path, PathBuf};
use std::rc::Rc;
use std::sync::LazyLock;

use marginalia::formats::interchange::{FormatKind, InterchangeSpan};
use marginalia::formats::w3c::{export, parse};
use marginalia::formats::ExportOptions;
use marginalia::model::{default_labels, Annotation, Document, Status};
use marginalia::store::{shared, Entry};
use proptest::prelude::*;
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

const EXPORTED_AT: &str = "2026-11-21T10:00:00Z";

// ------------------------------------------------------------------ schemas

fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/w3c")
}

fn read_json(path: &Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Any base works: the schemas only refer to each other by relative ids.
const BASE: &str = "https://annotation-model.test/";

struct Assertion {
    file: String,
    validator: jsonschema::Validator,
}

struct Musts {
    collection: Vec<Assertion>,
    page: Vec<Assertion>,
    annotation: Vec<Assertion>,
}

/// The assertions a `.test` file lists, compiled against the definitions.
fn assertions(registry: &jsonschema::Registry, test: &str) -> Vec<Assertion> {
    let list = read_json(&fixtures().join(test));
    let files = list["assertions"].as_array().expect("assertions");
    assert!(!files.is_empty(), "{test} lists no assertions");
    files
        .iter()
        .map(|file| {
            let file = file.as_str().expect("a path").to_owned();
            let schema = read_json(&fixtures().join(&file));
            assert_eq!(schema["assertionType"], "must", "{file}");
            assert_eq!(schema["expectedResult"], "valid", "{file}");
            let validator = jsonschema::options()
                .with_registry(registry)
                .with_base_uri(BASE)
                .should_validate_formats(true)
                .build(&schema)
                .unwrap_or_else(|e| panic!("{file} does not compile: {e}"));
            Assertion { file, validator }
        })
        .collect()
}

static MUSTS: LazyLock<Musts> = LazyLock::new(|| {
    let mut definitions = Vec::new();
    for entry in std::fs::read_dir(fixtures().join("definitions")).expect("definitions") {
        let path = entry.expect("entry").path();
        let schema = read_json(&path);
        let id = schema["id"]
            .as_str()
            .expect("definitions have an id")
            .to_owned();
        definitions.push((
            format!("{BASE}{id}"),
            jsonschema::Resource::from_contents(schema),
        ));
    }
    assert_eq!(
        definitions.len(),
        7,
        "the wpt harness preloads 7 definition files"
    );
    let registry = jsonschema::Registry::new()
        .extend(definitions)
        .expect("valid URIs")
        .prepare()
        .expect("the definitions register");
    let musts = Musts {
        collection: assertions(&registry, "collections/collectionMusts.test"),
        page: assertions(&registry, "collections/pages/pageMusts.test"),
        annotation: assertions(&registry, "annotations/annotationMusts.test"),
    };
    assert_eq!(
        (
            musts.collection.len(),
            musts.page.len(),
            musts.annotation.len()
        ),
        (10, 15, 54)
    );
    musts
});

fn failures(assertions: &[Assertion], instance: &Value, what: &str) -> Vec<String> {
    assertions
        .iter()
        .filter(|a| !a.validator.is_valid(instance))
        .map(|a| {
            let errors: Vec<String> = a
                .validator
                .iter_errors(instance)
                .map(|e| format!("{e} at {}", e.instance_path()))
                .collect();
            format!("{what} fails {}: {}", a.file, errors.join("; "))
        })
        .collect()
}

/// Every MUST the wpt harness checks, for a collection with an embedded page.
fn w3c_violations(collection: &Value) -> Vec<String> {
    let musts = &*MUSTS;
    let mut out = failures(&musts.collection, collection, "the collection");
    out.extend(failures(&musts.page, collection, "the page"));
    for (i, item) in collection["first"]["items"]
        .as_array()
        .into_iter()
        .flatten()
        .enumerate()
    {
        // An embedded annotation inherits the collection's @context (JSON-LD);
        // the harness tests each annotation on its own, so it is made explicit.
        let mut annotation = item.clone();
        annotation["@context"] = collection["@context"].clone();
        out.extend(failures(
            &musts.annotation,
            &annotation,
            &format!("items[{i}]"),
        ));
    }
    out
}

fn assert_w3c_valid(json: &str) -> Value {
    let value: Value = serde_json::from_str(json).expect("the export is JSON");
    let violations = w3c_violations(&value);
    assert!(
        violations.is_empty(),
        "the export breaks W3C MUSTs:\n{}",
        violations.join("\n")
    );
    value
}

#[test]
fn the_schemas_reject_what_the_model_forbids() {
    // So that validation can fail: each of these breaks one MUST.
    let good = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:00000000-0000-4000-8000-000000000001",
        "type": "Annotation",
        "motivation": "tagging",
        "body": [{"type": "TextualBody", "purpose": "tagging", "value": "claim"}],
        "target": {
            "source": "urn:sha256:00",
            "selector": [
                {"type": "TextPositionSelector", "start": 0, "end": 3},
                {"type": "TextQuoteSelector", "exact": "abc", "prefix": "", "suffix": ""}
            ]
        }
    });
    let musts = &*MUSTS;
    assert_eq!(
        failures(&musts.annotation, &good, "good"),
        Vec::<String>::new()
    );
    type Damage = fn(&mut Value);
    let broken: [(&str, Damage); 6] = [
        ("no @context", |a| {
            a.as_object_mut().unwrap().remove("@context");
        }),
        ("id is not an IRI", |a| a["id"] = json!("not an iri")),
        ("no target", |a| {
            a.as_object_mut().unwrap().remove("target");
        }),
        ("negative start", |a| {
            a["target"]["selector"][0]["start"] = json!(-1)
        }),
        ("quote without exact", |a| {
            a["target"]["selector"][1]
                .as_object_mut()
                .unwrap()
                .remove("exact");
        }),
        ("created is not a date-time", |a| {
            a["created"] = json!("yesterday")
        }),
    ];
    for (what, damage) in broken {
        let mut annotation = good.clone();
        damage(&mut annotation);
        assert!(
            !failures(&musts.annotation, &annotation, what).is_empty(),
            "the schemas accept an annotation with {what}"
        );
    }
    let collection = json!({
        "@context": "http://www.w3.org/ns/anno.jsonld",
        "id": "urn:uuid:00000000-0000-8000-8000-000000000001",
        "type": "AnnotationCollection",
        "total": 1,
        "first": {"id": "urn:uuid:00000000-0000-8000-8000-000000000002", "type": "AnnotationPage", "items": [good]}
    });
    assert_eq!(w3c_violations(&collection), Vec::<String>::new());
    let mut no_first = collection.clone();
    no_first.as_object_mut().unwrap().remove("first");
    assert!(
        !w3c_violations(&no_first).is_empty(),
        "total 1 without a first page passes"
    );
    let mut untyped_page = collection.clone();
    untyped_page["first"]
        .as_object_mut()
        .unwrap()
        .remove("type");
    assert!(
        !w3c_violations(&untyped_page).is_empty(),
        "a page without type passes"
    );
}

// ------------------------------------------------------------------ corpus

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Code point slice, computed without the crate's offset index.
fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars()
        .skip(start)
        .take(end.saturating_sub(start))
        .collect()
}

/// Code point range of the first occurrence of `needle`.
fn find(text: &str, needle: &str) -> (usize, usize) {
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
        created_at: format!("2026-11-21T09:{:02}:00.5Z", n % 60),
        note: note.map(str::to_owned),
    }
}

fn entry(name: &str, text: &str, annotations: Vec<Annotation>) -> Entry {
    Entry {
        doc: Rc::new(Document::new(name, text)),
        annotations: Rc::new(shared(annotations)),
        status: Status::InProgress,
    }
}

const TRICKY: &str =
    "Marginalia 👩\u{200D}👩\u{200D}👧 test: “curly quotes” and e\u{301}tude\u{a0}NBSP.\r\n\
Second line 🇺🇦 with 👍🏽 skin tone\r\n\r\nThird\tline 𝕏 end";

fn tricky_corpus() -> Vec<Entry> {
    let t = TRICKY;
    let plain = "plain ascii text\nwith two lines";
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
                    Some("a note\nwith two lines\tand a tab"),
                ),
                annotation(3, "deadline", find(t, "e\u{301}tude"), None),
                annotation(4, "claim", find(t, "skin tone\r\n\r\nThird"), None),
                annotation(5, "quote", find(t, "𝕏 end"), None),
                annotation(6, "claim", find(t, "M"), Some("first character")),
            ],
        ),
        entry(
            "plain.txt",
            plain,
            vec![
                annotation(7, "claim", find(plain, "text\nwith"), None),
                annotation(8, "due date", find(plain, "plain"), None),
            ],
        ),
        entry("none.txt", "No spans here 😀", Vec::new()),
    ]
}

fn export_of(entries: &[Entry]) -> String {
    let refs: Vec<&Entry> = entries.iter().collect();
    export(
        &refs,
        &default_labels(),
        &ExportOptions {
            exported_at: EXPORTED_AT.to_owned(),
            include_text: true,
        },
    )
}

/// The spans a W3C export of `entry` must parse back to, computed from the
/// text without the crate's help.
fn expected_spans(entry: &Entry) -> Vec<InterchangeSpan> {
    let text = entry.doc.text();
    let mut annotations: Vec<&Annotation> = entry.annotations.iter().map(|a| &**a).collect();
    annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    annotations
        .into_iter()
        .map(|a| InterchangeSpan {
            id: Some(a.id.clone()),
            label: a.label.clone(),
            start: a.start,
            end: a.end,
            quote: Some(cp_slice(text, a.start, a.end)),
            prefix: Some(cp_slice(text, a.start.saturating_sub(32), a.start)),
            suffix: Some(cp_slice(text, a.end, a.end + 32)),
            note: a.note.clone(),
            created_at: Some(a.created_at.clone()),
        })
        .collect()
}

/// Export, validate, parse back, and compare with what the entries say.
fn check_round_trip(entries: &[Entry]) {
    let json = export_of(entries);
    let value = assert_w3c_valid(&json);
    let total: usize = entries.iter().map(|e| e.annotations.len()).sum();
    assert_eq!(value["total"], json!(total));
    let parsed = parse(&json).unwrap_or_else(|e| panic!("the export does not parse: {e}"));
    assert_eq!(parsed.format, FormatKind::W3c);
    // Documents without spans leave no trace in this format.
    let annotated: Vec<&Entry> = entries
        .iter()
        .filter(|e| !e.annotations.is_empty())
        .collect();
    assert_eq!(parsed.documents.len(), annotated.len());
    for (doc, entry) in parsed.documents.iter().zip(annotated) {
        assert_eq!(
            doc.sha256.as_deref(),
            Some(sha256_hex(entry.doc.text().as_bytes()).as_str())
        );
        assert_eq!(doc.name.as_deref(), Some(entry.doc.name.as_str()));
        assert_eq!(doc.text, None);
        assert_eq!(doc.spans, expected_spans(entry));
    }
}

// ------------------------------------------------------------------ golden

fn golden(name: &str, actual: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/golden")
        .join(name);
    if std::env::var_os("UPDATE_GOLDEN").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, actual).unwrap();
    }
    let expected = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("{}: {e} (UPDATE_GOLDEN=1 writes it)", path.display()));
    assert!(
        expected == actual,
        "{} differs from the export (UPDATE_GOLDEN=1 rewrites it):\n{actual}",
        path.display()
    );
}

#[test]
fn export_matches_the_golden_file_and_validates() {
    let corpus = tricky_corpus();
    let json = export_of(&corpus);
    golden("w3c-export.json", &json);
    assert_w3c_valid(&json);
}

#[test]
fn export_says_what_the_model_needs() {
    let corpus = tricky_corpus();
    let value: Value = serde_json::from_str(&export_of(&corpus)).unwrap();
    assert_eq!(value["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert_eq!(value["type"], "AnnotationCollection");
    assert_eq!(value["first"]["type"], "AnnotationPage");
    assert!(value["label"].as_str().unwrap().contains("code points"));
    assert!(value["id"].as_str().unwrap().starts_with("urn:uuid:"));
    assert_ne!(value["id"], value["first"]["id"]);
    let items = value["first"]["items"].as_array().unwrap();
    assert_eq!(items.len(), 8);
    // The quote with a note: "“curly quotes”" in TRICKY.
    let quote = items
        .iter()
        .find(|a| a["id"] == "urn:uuid:00000000-0000-4000-8000-000000000002")
        .expect("annotation 2");
    assert_eq!(quote["motivation"], "tagging");
    assert_eq!(
        quote["body"],
        json!([
            {"type": "TextualBody", "purpose": "tagging", "value": "quote"},
            {"type": "TextualBody", "purpose": "commenting", "value": "a note\nwith two lines\tand a tab"}
        ])
    );
    let (start, end) = find(TRICKY, "“curly quotes”");
    // Code points: the family emoji before it is 5 of them (3 people, 2 ZWJ).
    assert_eq!((start, end), (23, 37));
    let target = &quote["target"];
    assert_eq!(
        target["source"],
        format!("urn:sha256:{}", sha256_hex(TRICKY.as_bytes()))
    );
    assert_eq!(target["marginalia:document"], "tricky.txt");
    assert_eq!(
        target["selector"][0],
        json!({"type": "TextPositionSelector", "start": 23, "end": 37})
    );
    assert_eq!(target["selector"][1]["exact"], "“curly quotes”");
    // 32 code points before, at most: here the whole text before the span is 23.
    assert_eq!(
        target["selector"][1]["prefix"],
        "Marginalia 👩\u{200D}👩\u{200D}👧 test: "
    );
    let suffix = target["selector"][1]["suffix"].as_str().unwrap();
    assert_eq!(suffix.chars().count(), 32);
    assert!(TRICKY.contains(&format!("“curly quotes”{suffix}")));
    // The same export twice is the same file; another time, another collection id.
    assert_eq!(export_of(&corpus), export_of(&corpus));
    let refs: Vec<&Entry> = corpus.iter().collect();
    let later = export(
        &refs,
        &[],
        &ExportOptions {
            exported_at: "2026-11-22T10:00:00Z".to_owned(),
            include_text: false,
        },
    );
    let later: Value = serde_json::from_str(&later).unwrap();
    assert_ne!(later["id"], value["id"]);
}

#[test]
fn tricky_corpus_round_trips() {
    check_round_trip(&tricky_corpus());
}

#[test]
fn an_empty_export_is_a_valid_empty_collection() {
    let json = export_of(&[]);
    let value = assert_w3c_valid(&json);
    assert_eq!(value["total"], 0);
    assert_eq!(parse(&json).unwrap().documents, vec![]);
}

#[test]
fn ids_that_are_not_uuids_and_bad_times_still_validate_and_round_trip() {
    let mut a = annotation(1, "claim", (0, 4), None);
    a.id = "T1/ü ?#".to_owned();
    a.created_at = "yesterday".to_owned();
    let corpus = vec![entry("x.txt", "some text", vec![a])];
    let json = export_of(&corpus);
    let value = assert_w3c_valid(&json);
    let item = &value["first"]["items"][0];
    assert_eq!(item["id"], "urn:marginalia:id:T1%2F%C3%BC%20%3F%23");
    assert!(item.get("created").is_none(), "an invalid time is left out");
    let span = &parse(&json).unwrap().documents[0].spans[0];
    assert_eq!(span.id.as_deref(), Some("T1/ü ?#"));
    assert_eq!(span.created_at, None);
}

// ------------------------------------------------------------------ properties

/// Pieces random texts are made of: the characters offsets go wrong on.
const PIECES: &[&str] = &[
    "a",
    "word",
    " ",
    "  ",
    "\t",
    "\n",
    "\r\n",
    "\r",
    "\u{a0}",
    "“",
    "”",
    "e\u{301}",
    "👩\u{200D}👩\u{200D}👧",
    "👍🏽",
    "🇺🇦",
    "𝕏",
    "😀",
    "\u{2028}",
    "\u{85}",
    "\\",
    "%",
    "_",
    "é",
    "中文",
];
const LABELS: &[&str] = &[
    "claim",
    "quote",
    "due date",
    "due_date",
    "50%",
    "ünï cödé",
    "a/b|c",
];
const NOTES: &[&str] = &[
    "note",
    "two\nlines",
    "tab\there",
    "back\\slash \\n",
    "  spaced  ",
    "😀\r\n",
];

fn text_strategy() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(PIECES), 1..40).prop_map(|p| p.concat())
}

/// (start, end) pairs to be reduced into a text's range.
fn spans_strategy() -> impl Strategy<Value = Vec<(usize, usize, usize, Option<usize>)>> {
    prop::collection::vec(
        (
            0usize..1000,
            1usize..1000,
            0..LABELS.len(),
            prop::option::of(0..NOTES.len()),
        ),
        0..12,
    )
}

fn random_entry(n: usize, text: &str, raw: &[(usize, usize, usize, Option<usize>)]) -> Entry {
    let len = text.chars().count();
    let annotations = raw
        .iter()
        .enumerate()
        .filter(|_| len > 0)
        .map(|(i, &(s, l, label, note))| {
            let start = s % len;
            let end = (start + 1 + l % (len - start)).min(len);
            annotation(
                n * 100 + i,
                LABELS[label],
                (start, end),
                note.map(|k| NOTES[k]),
            )
        })
        .collect();
    entry(&format!("doc {n}.txt"), text, annotations)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    #[test]
    fn random_corpora_round_trip_and_validate(
        docs in prop::collection::vec((text_strategy(), spans_strategy()), 1..4)
    ) {
        let entries: Vec<Entry> = docs
            .iter()
            .enumerate()
            .map(|(n, (text, raw))| random_entry(n, text, raw))
            .collect();
        check_round_trip(&entries);
    }
}

// ------------------------------------------------------------------ other tools

#[test]
fn reads_a_single_annotation_as_other_tools_write_it() {
    // Shaped like the model's own examples: one body with purpose tagging,
    // selectors in the other order, a source object.
    let json = r#"{
      "@context": "http://www.w3.org/ns/anno.jsonld",
      "id": "http://example.org/anno23",
      "type": "Annotation",
      "motivation": ["tagging"],
      "body": {"type": "TextualBody", "purpose": "tagging", "value": "claim"},
      "target": {
        "source": {"id": "http://example.org/page1", "type": "Text"},
        "selector": [
          {"type": "TextQuoteSelector", "exact": "anno🙂", "prefix": "this is an ", "suffix": " in a text"},
          {"type": "TextPositionSelector", "start": 11, "end": 16}
        ]
      }
    }"#;
    let parsed = parse(json).unwrap();
    assert_eq!(parsed.documents.len(), 1);
    let doc = &parsed.documents[0];
    assert_eq!(doc.sha256, None);
    assert_eq!(doc.name.as_deref(), Some("http://example.org/page1"));
    let span = &doc.spans[0];
    assert_eq!(span.id.as_deref(), Some("http://example.org/anno23"));
    assert_eq!(
        (span.label.as_str(), span.start, span.end),
        ("claim", 11, 16)
    );
    assert_eq!(span.quote.as_deref(), Some("anno🙂"));
    assert_eq!(span.prefix.as_deref(), Some("this is an "));
    assert_eq!(span.created_at, None);
}

#[test]
fn reads_arrays_pages_bodyvalue_and_classifying() {
    let sha = "a".repeat(64);
    let json = format!(
        r#"[
      {{"type": "Annotation", "bodyValue": "quote",
        "target": {{"source": "urn:sha256:{sha}", "selector": {{"type": "TextPositionSelector", "start": 0, "end": 2}}}}}},
      {{"type": "Annotation", "motivation": "classifying", "body": "http://example.org/types/Claim",
        "target": {{"source": "urn:sha256:{sha}", "selector": {{"type": "TextPositionSelector", "start": 3, "end": 5}}}}}},
      {{"type": "Annotation", "motivation": "tagging",
        "body": [{{"type": "TextualBody", "value": "deadline"}}, {{"type": "TextualBody", "purpose": "commenting", "value": "n1"}},
                 {{"type": "TextualBody", "purpose": "commenting", "value": "n2"}}],
        "target": [{{"source": "urn:sha256:{sha}", "selector": {{"type": "TextPositionSelector", "start": 6, "end": 9}}}}]}}
    ]"#
    );
    let parsed = parse(&json).unwrap();
    assert_eq!(parsed.documents.len(), 1);
    assert_eq!(parsed.documents[0].sha256.as_deref(), Some(sha.as_str()));
    assert_eq!(parsed.documents[0].name, None);
    let got: Vec<(&str, usize, usize, Option<&str>)> = parsed.documents[0]
        .spans
        .iter()
        .map(|s| (s.label.as_str(), s.start, s.end, s.note.as_deref()))
        .collect();
    assert_eq!(
        got,
        vec![
            ("quote", 0, 2, None),
            ("http://example.org/types/Claim", 3, 5, None),
            ("deadline", 6, 9, Some("n1\n\nn2")),
        ]
    );
    // A lone page with the same items.
    let page = format!(r#"{{"type": "AnnotationPage", "items": {json}}}"#);
    assert_eq!(parse(&page).unwrap().documents, parsed.documents);
    // A collection whose first page has an embedded next page.
    let items: Value = serde_json::from_str(&json).unwrap();
    let collection = json!({
        "type": "AnnotationCollection", "total": 3,
        "first": {"type": "AnnotationPage", "items": [items[0]],
                  "next": {"type": "AnnotationPage", "items": [items[1], items[2]]}}
    });
    assert_eq!(
        parse(&collection.to_string()).unwrap().documents,
        parsed.documents
    );
}

// ------------------------------------------------------------------ broken files

/// Each file in tests/broken/w3c-*.json, with where and what the error says.
const BROKEN: &[(&str, &str, &str)] = &[
    ("w3c-truncated.json", "first.items[0] (line 16, column 0)", "not valid JSON: EOF while parsing a value"),
    ("w3c-item-not-object.json", "first.items[1]", "invalid type: integer `5`, expected an Annotation object"),
    ("w3c-not-annotations.json", "type", "expected \"Annotation\", \"AnnotationPage\" or \"AnnotationCollection\", found type \"Dataset\""),
    ("w3c-wrong-type-start.json", "first.items[0].target.selector[0].start", "expected a non-negative integer (code points), found \"3\""),
    ("w3c-negative-offset.json", "first.items[1].target.selector[0].start", "expected a non-negative integer (code points), found -4"),
    ("w3c-end-before-start.json", "first.items[0].target.selector[0].end", "must be greater than start (9), found 4"),
    ("w3c-quote-length.json", "first.items[0].target.selector[1].exact", "is 5 code points long, but the TextPositionSelector spans 0..4 (4 code points)"),
    ("w3c-missing-selector.json", "first.items[0].target.selector", "missing: expected a TextPositionSelector"),
    ("w3c-quote-only.json", "[0].target.selector", "has a TextQuoteSelector but no TextPositionSelector"),
    ("w3c-missing-target.json", "[1].target", "missing: expected the span's target"),
    ("w3c-no-label.json", "body", "no label: expected a TextualBody with purpose \"tagging\""),
    ("w3c-two-labels.json", "body[1].value", "a second label (2 in all)"),
    ("w3c-commenting.json", "[0].motivation", "is commenting; Marginalia imports spans with motivation \"tagging\" or \"classifying\""),
    ("w3c-linked-page.json", "first", "only linked (https://example.org/page1), not embedded"),
    ("w3c-total-mismatch.json", "total", "says the collection holds 5 annotations, but the file has 1"),
    ("w3c-duplicate-id.json", "[1].id", "\"00000000-0000-4000-8000-000000000001\" is used by two annotations"),
    ("w3c-body-value-number.json", "first.items[0].body[0].value", "invalid type: integer `7`, expected a string"),
];

#[test]
fn broken_files_are_refused_with_their_own_message_and_path() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/broken");
    let mut messages = std::collections::HashSet::new();
    for &(file, at, problem) in BROKEN {
        let text =
            std::fs::read_to_string(dir.join(file)).unwrap_or_else(|e| panic!("{file}: {e}"));
        let error = parse(&text).expect_err(file);
        assert_eq!(error.at, at, "{file}: {error}");
        assert!(error.problem.contains(problem), "{file}: {error}");
        assert!(
            messages.insert(error.to_string()),
            "{file}: same message as another file"
        );
    }
    // Every broken W3C file in the folder is listed above.
    let listed: std::collections::HashSet<&str> = BROKEN.iter().map(|b| b.0).collect();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        if name.starts_with("w3c") {
            assert!(listed.contains(name.as_str()), "{name} is not checked");
        }
    }
}

/// The first problem in file order is the one reported, whether it is an
/// id used twice (found after reading, by sorting) or a broken annotation.
#[test]
fn the_first_problem_in_the_file_is_reported() {
    let item = |id: &str, start: usize, end: usize| {
        format!(
            r#"{{"id":"urn:uuid:{id}","type":"Annotation","motivation":"tagging",
               "body":{{"type":"TextualBody","purpose":"tagging","value":"claim"}},
               "target":{{"source":"urn:sha256:{zeros}","selector":
                 {{"type":"TextPositionSelector","start":{start},"end":{end}}}}}}}"#,
            zeros = "0".repeat(64)
        )
    };
    let (a, b, c) = (
        "00000000-0000-4000-8000-00000000000a",
        "00000000-0000-4000-8000-00000000000b",
        "00000000-0000-4000-8000-00000000000c",
    );
    let file = |items: &[String]| format!("[{}]", items.join(","));
    // An id used again at [2], then a broken range at [3]: the id.
    let error = parse(&file(&[
        item(a, 0, 1),
        item(b, 1, 2),
        item(a, 2, 3),
        item(c, 5, 4),
    ]))
    .expect_err("an id used twice");
    assert_eq!(error.at, "[2].id", "{error}");
    // A broken range at [1], then an id used again at [2]: the range.
    let error =
        parse(&file(&[item(a, 0, 1), item(b, 5, 4), item(a, 2, 3)])).expect_err("a broken range");
    assert_eq!(error.at, "[1].target.selector.end", "{error}");
    // Three uses of one id and two of another: the earliest second use.
    let error = parse(&file(&[
        item(b, 0, 1),
        item(a, 1, 2),
        item(a, 2, 3),
        item(b, 3, 4),
        item(a, 4, 5),
    ]))
    .expect_err("ids used twice");
    assert_eq!(error.at, "[2].id", "{error}");
    assert!(error.problem.contains(a), "{error}");
    // Distinct ids read fine.
    let fine = parse(&file(&[item(a, 0, 1), item(b, 1, 2), item(c, 2, 3)])).expect("valid");
    assert_eq!(fine.documents[0].spans.len(), 3);
}

// ------------------------------------------------------------------ speed

/// `cargo test --release --test formats_w3c -- --ignored --nocapture`
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
            let start = i * (len - 40) / 10_000;
            annotation(
                i,
                LABELS[i % 3],
                (start, start + 5 + i % 30),
                (i % 10 == 0).then_some("a note"),
            )
        })
        .collect();
    let corpus = vec![entry("big.txt", &text, annotations)];
    let mut export_ms = Vec::new();
    let mut parse_ms = Vec::new();
    let mut json = String::new();
    for _ in 0..7 {
        let t = std::time::Instant::now();
        json = export_of(&corpus);
        export_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        let t = std::time::Instant::now();
        let parsed = parse(&json).unwrap();
        parse_ms.push(t.elapsed().as_secs_f64() * 1000.0);
        assert_eq!(parsed.documents[0].spans.len(), 10_000);
    }
    export_ms.sort_by(f64::total_cmp);
    parse_ms.sort_by(f64::total_cmp);
    println!(
        "W3C, {} bytes of text, 10,000 spans, {} bytes of JSON: export median {:.1} ms, parse median {:.1} ms",
        text.len(),
        json.len(),
        export_ms[3],
        parse_ms[3]
    );
}
