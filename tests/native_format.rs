//! The native export format: exports made through the store validate against
//! `schema/marginalia-v1.schema.json`, quote the right text with the right
//! UTF-16 offsets (checked without `OffsetIndex`), and round-trip through
//! `parse`; `parse` rejects every kind of broken file and says where; and the
//! schema itself rejects invalid files, so the schema check can fail.
//! Exports without texts validate, parse, and are checked as far as a file
//! without texts can be; a golden file per variant; property round trips.
#![cfg(not(target_arch = "wasm32"))]

use std::rc::Rc;

use marginalia::formats::interchange::ImportError;
use marginalia::formats::native::{export, parse, parse_with_texts};
use marginalia::formats::ExportOptions;
use marginalia::model::{Annotation, Document};
use marginalia::store::{shared, Action, Entry, Spans, State};
use serde_json::{json, Value};
use sha2::{Digest, Sha256};

mod formats_support;
use formats_support as support;

const EXPORTED_AT: &str = "2026-11-21T10:00:00Z";

fn with_texts() -> ExportOptions {
    ExportOptions {
        exported_at: EXPORTED_AT.to_owned(),
        include_text: true,
    }
}

// ------------------------------------------------------------------ helpers

fn schema() -> Value {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schema/marginalia-v1.schema.json"
    );
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).expect("the schema is JSON")
}

fn validator() -> jsonschema::Validator {
    jsonschema::draft202012::options()
        .should_validate_formats(true)
        .build(&schema())
        .expect("the schema compiles")
}

/// Every schema error, one per line (empty when valid).
fn schema_errors(validator: &jsonschema::Validator, instance: &Value) -> String {
    validator
        .iter_errors(instance)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect::<Vec<_>>()
        .join("\n")
}

fn assert_schema_valid(instance: &Value) {
    let errors = schema_errors(&validator(), instance);
    assert!(errors.is_empty(), "export does not validate:\n{errors}");
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

fn cp_slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

fn utf16_len_of_prefix(text: &str, cp: usize) -> usize {
    text.chars().take(cp).map(char::len_utf16).sum()
}

/// Code point range of the first occurrence of `needle` in `text`.
fn find(text: &str, needle: &str) -> (usize, usize) {
    let byte = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not in text"));
    let start = text[..byte].chars().count();
    (start, start + needle.chars().count())
}

fn create(state: &mut State, label: &str, start: usize, end: usize, n: usize) {
    state
        .apply(Action::Create {
            label: label.to_owned(),
            start,
            end,
            id: format!("00000000-0000-4000-8000-{n:012}"),
            created_at: format!("2026-11-21T09:{:02}:00.5Z", n % 60),
        })
        .unwrap_or_else(|r| panic!("create {label} {start}..{end}: {r}"));
}

fn export_state(state: &State) -> String {
    let entries: Vec<&Entry> = state.entries.iter().collect();
    export(&entries, &state.labels, &with_texts())
}

fn open(state: &mut State, doc: &Document) {
    state.apply(Action::Open(doc.sha256().to_owned())).unwrap();
}

const TRICKY: &str =
    "Marginalia 👩\u{200D}👩\u{200D}👧 test: “curly quotes” and e\u{301}tude\u{a0}NBSP.\r\n\
Second line 🇺🇦 with 👍🏽 skin tone\r\n\r\nThird\tline 𝕏 end";

/// A corpus of three documents with spans over the awkward characters,
/// created through the store (so trimmed and sorted by it).
fn tricky_state() -> State {
    let docs = [
        Rc::new(Document::new("tricky.txt", TRICKY)),
        Rc::new(Document::new(
            "plain.txt",
            "plain ascii text\nwith two lines",
        )),
        Rc::new(Document::new("none.txt", "No spans here 😀")),
    ];
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(
            docs.iter().map(|d| (d.clone(), Vec::new())).collect(),
        ))
        .unwrap();
    let t = TRICKY;
    let mut n = 0;
    let mut add = |state: &mut State, label: &str, (s, e): (usize, usize), pad: usize| {
        n += 1;
        create(state, label, s - pad, e + pad, n);
    };
    // padded with the surrounding spaces, which the store trims off
    add(&mut state, "claim", find(t, "👩\u{200D}👩\u{200D}👧"), 1);
    add(&mut state, "quote", find(t, "“curly quotes”"), 1);
    add(&mut state, "deadline", find(t, "e\u{301}tude"), 1);
    add(&mut state, "claim", find(t, "\u{a0}NBSP."), 0);
    add(&mut state, "claim", find(t, "🇺🇦 with 👍🏽"), 1);
    add(&mut state, "quote", find(t, "Second line 🇺🇦"), 0);
    add(&mut state, "claim", find(t, "skin tone\r\n\r\nThird"), 0);
    add(&mut state, "quote", find(t, "𝕏 end"), 0);
    add(&mut state, "claim", find(t, "M"), 0);
    open(&mut state, &docs[1]);
    add(
        &mut state,
        "claim",
        find("plain ascii text\nwith two lines", "text\nwith"),
        0,
    );
    add(
        &mut state,
        "quote",
        find("plain ascii text\nwith two lines", "plain"),
        0,
    );
    open(&mut state, &docs[0]);
    state
}

/// Every check on an export that does not need the store.
fn check_export(json: &str, state: &State) {
    let value: Value = serde_json::from_str(json).expect("export is JSON");
    assert_schema_valid(&value);
    assert_eq!(value["format"], "marginalia");
    assert_eq!(value["version"], 1);
    assert_eq!(value["offset_unit"], "codepoint");
    assert_eq!(value["exported_at"], EXPORTED_AT);
    let documents = value["documents"].as_array().unwrap();
    assert_eq!(documents.len(), state.entries.len());
    for (d, entry) in documents.iter().zip(&state.entries) {
        let text = d["text"].as_str().unwrap();
        assert_eq!(text, entry.doc.text());
        assert_eq!(d["name"], entry.doc.name.as_str());
        assert_eq!(d["sha256"].as_str().unwrap(), sha256_hex(text.as_bytes()));
        assert_eq!(d["length"].as_u64().unwrap() as usize, text.chars().count());
        let annotations = d["annotations"].as_array().unwrap();
        assert_eq!(annotations.len(), entry.annotations.len());
        let mut previous = (0, 0);
        for a in annotations {
            let start = a["start"].as_u64().unwrap() as usize;
            let end = a["end"].as_u64().unwrap() as usize;
            assert!(start < end && end <= text.chars().count());
            assert!((start, end) >= previous, "not sorted by (start, end)");
            previous = (start, end);
            assert_eq!(a["text"].as_str().unwrap(), cp_slice(text, start, end));
            assert_eq!(
                a["utf16_start"].as_u64().unwrap() as usize,
                utf16_len_of_prefix(text, start)
            );
            assert_eq!(
                a["utf16_end"].as_u64().unwrap() as usize,
                utf16_len_of_prefix(text, end)
            );
            // and the UTF-16 offsets are what JavaScript would slice with
            let units: Vec<u16> = text.encode_utf16().collect();
            let js_slice = String::from_utf16(
                &units[a["utf16_start"].as_u64().unwrap() as usize
                    ..a["utf16_end"].as_u64().unwrap() as usize],
            )
            .unwrap();
            assert_eq!(js_slice, a["text"].as_str().unwrap());
            let id = a["id"].as_str().unwrap();
            let stored = entry
                .annotations
                .iter()
                .find(|s| s.id == id)
                .expect("an exported id is in the store");
            assert_eq!((stored.start, stored.end), (start, end));
            assert_eq!(a["label"], stored.label.as_str());
            assert_eq!(a["created_at"], stored.created_at.as_str());
        }
    }
}

fn check_round_trip(json: &str, state: &State) {
    let (labels, parsed) =
        parse_with_texts(json).unwrap_or_else(|e| panic!("own export rejected: {e}"));
    assert_eq!(labels, *state.labels);
    assert_eq!(parsed.len(), state.entries.len());
    for (p, entry) in parsed.iter().zip(&state.entries) {
        assert_eq!(p.document.name, entry.doc.name);
        assert_eq!(p.document.text(), entry.doc.text());
        assert_eq!(p.document.sha256(), entry.doc.sha256());
        assert_eq!(p.annotations, shared_to_owned(&entry.annotations));
    }
    // Exporting what was parsed gives the same file.
    let entries: Vec<Entry> = parsed
        .into_iter()
        .map(|p| Entry {
            doc: Rc::new(p.document),
            annotations: Rc::new(shared(p.annotations)),
            status: p.status,
        })
        .collect();
    let refs: Vec<&Entry> = entries.iter().collect();
    assert_eq!(export(&refs, &labels, &with_texts()), json);
}

// ------------------------------------------------------------ good exports

#[test]
fn tricky_export_is_valid_correct_and_round_trips() {
    let state = tricky_state();
    let entry = &state.entries[0];
    assert_eq!(entry.annotations.len(), 9);
    // the store trimmed the padding and the NBSP
    let texts: Vec<&str> = entry
        .annotations
        .iter()
        .map(|a| entry.doc.slice(a.start, a.end))
        .collect();
    assert!(texts.contains(&"👩\u{200D}👩\u{200D}👧"), "{texts:?}");
    assert!(texts.contains(&"NBSP."), "{texts:?}");
    assert!(texts.contains(&"e\u{301}tude"), "{texts:?}");
    let json = export_state(&state);
    check_export(&json, &state);
    check_round_trip(&json, &state);
}

#[test]
fn exported_offsets_by_hand() {
    // "Hi 👍🏽 “there”": 👍🏽 is code points 3..5 but UTF-16 units 3..7.
    let doc = Rc::new(Document::new("hi.txt", "Hi 👍🏽 “there”"));
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(vec![(doc, Vec::new())]))
        .unwrap();
    create(&mut state, "claim", 2, 6, 1);
    create(&mut state, "quote", 6, 13, 2);
    let value: Value = serde_json::from_str(&export_state(&state)).unwrap();
    let a = &value["documents"][0]["annotations"];
    assert_eq!(a[0]["text"], "👍🏽");
    assert_eq!(
        (a[0]["start"].as_u64(), a[0]["end"].as_u64()),
        (Some(3), Some(5))
    );
    assert_eq!(
        (a[0]["utf16_start"].as_u64(), a[0]["utf16_end"].as_u64()),
        (Some(3), Some(7))
    );
    assert_eq!(a[1]["text"], "“there”");
    assert_eq!(
        (a[1]["start"].as_u64(), a[1]["end"].as_u64()),
        (Some(6), Some(13))
    );
    assert_eq!(
        (a[1]["utf16_start"].as_u64(), a[1]["utf16_end"].as_u64()),
        (Some(8), Some(15))
    );
    assert_eq!(value["documents"][0]["length"], 13);
}

#[test]
fn export_sorts_annotations_given_out_of_order() {
    let doc = Rc::new(Document::new("d.txt", "alpha beta gamma"));
    let ann = |id: &str, start, end| Annotation {
        id: id.to_owned(),
        label: "claim".to_owned(),
        start,
        end,
        created_at: EXPORTED_AT.to_owned(),
        note: None,
    };
    // An entry built by hand, not sorted.
    let entry = Entry {
        doc,
        annotations: Rc::new(shared(vec![
            ann("c", 11, 16),
            ann("a", 0, 5),
            ann("b", 0, 10),
        ])),
        status: Default::default(),
    };
    let json = export(
        &[&entry],
        &marginalia::model::default_labels(),
        &with_texts(),
    );
    let value: Value = serde_json::from_str(&json).unwrap();
    let ids: Vec<&str> = value["documents"][0]["annotations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["a", "b", "c"]);
    assert_schema_valid(&value);
}

#[test]
fn empty_corpus_export_is_valid() {
    let state = State::default();
    let json = export_state(&state);
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_schema_valid(&value);
    let (labels, parsed) = parse_with_texts(&json).unwrap();
    assert_eq!(labels, *state.labels);
    assert!(parsed.is_empty());
}

#[test]
fn all_articles_export_is_valid_and_round_trips() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/articles");
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    assert_eq!(names.len(), 5);
    let docs: Vec<Rc<Document>> = names
        .iter()
        .map(|n| {
            Rc::new(Document::from_bytes(n, &std::fs::read(format!("{dir}/{n}")).unwrap()).unwrap())
        })
        .collect();
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(
            docs.iter().map(|d| (d.clone(), Vec::new())).collect(),
        ))
        .unwrap();
    let mut n = 0;
    for doc in &docs {
        open(&mut state, doc);
        let text = doc.text();
        if let Some(headline) = doc.headline() {
            if let Some(byte) = text.find(headline) {
                let (s, e) = find(text, &text[byte..byte + headline.len()]);
                n += 1;
                create(&mut state, "claim", s, e, n);
            }
        }
        for (label, needle) in [
            ("quote", "Putin"),
            ("deadline", "Trump"),
            ("claim", "Kremlin"),
        ] {
            if text.contains(needle) {
                let (s, e) = find(text, needle);
                n += 1;
                create(&mut state, label, s, e, n);
            }
        }
        // the whole text, padded lines and all
        n += 1;
        create(&mut state, "quote", 0, doc.len(), n);
    }
    assert!(n > 15);
    let json = export_state(&state);
    check_export(&json, &state);
    check_round_trip(&json, &state);
}

// ---------------------------------------------------------- parse rejects

/// A small valid file: one document with two spans, as a JSON value.
fn base() -> Value {
    let doc = Rc::new(Document::new("hi.txt", "Hi 👍🏽 “there” friend"));
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(vec![(doc, Vec::new())]))
        .unwrap();
    create(&mut state, "claim", 3, 5, 1);
    create(&mut state, "quote", 6, 13, 2);
    serde_json::from_str(&export_state(&state)).unwrap()
}

fn mutated(f: impl FnOnce(&mut Value)) -> String {
    let mut value = base();
    f(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

fn rejected(json: &str) -> ImportError {
    match parse(json) {
        Ok(_) => panic!("accepted a broken file:\n{json}"),
        Err(e) => e,
    }
}

/// Asserts the error names `at` exactly and its problem mentions `word`.
fn assert_rejected_at(json: &str, at: &str, word: &str) {
    let e = rejected(json);
    assert_eq!(e.at, at, "wrong place in {e:?}");
    assert!(
        e.problem.contains(word),
        "{:?} does not mention {word:?}",
        e.problem
    );
}

fn ann0() -> &'static str {
    "/documents/0/annotations/0"
}

#[test]
fn the_base_file_is_accepted() {
    let json = serde_json::to_string_pretty(&base()).unwrap();
    let (_, parsed) = parse_with_texts(&json).unwrap();
    assert_eq!(parsed[0].annotations.len(), 2);
    assert_schema_valid(&base());
}

#[test]
fn rejects_truncated_json() {
    let json = serde_json::to_string_pretty(&base()).unwrap();
    for cut in [1, json.len() / 3, json.len() / 2, json.len() - 1] {
        let cut = (0..=cut).rev().find(|&i| json.is_char_boundary(i)).unwrap();
        let e = rejected(&json[..cut]);
        assert!(e.at.contains("line ") && e.at.contains("column "), "{e:?}");
        assert!(e.problem.contains("EOF"), "{e:?}");
    }
    assert_rejected_at("", "line 1, column 0", "EOF");
}

#[test]
fn rejects_a_wrongly_typed_field() {
    let json = mutated(|v| v.pointer_mut(ann0()).unwrap()["start"] = json!("3"));
    assert_rejected_at(&json, "documents[0].annotations[0].start", "invalid type");
    let json = mutated(|v| v["labels"] = json!({}));
    assert_rejected_at(&json, "labels", "invalid type");
    let json = mutated(|v| v["documents"][0]["length"] = json!(-1));
    assert_rejected_at(&json, "documents[0].length", "invalid value");
    let json = mutated(|v| v["version"] = json!("1"));
    assert_rejected_at(&json, "version", "invalid type");
}

#[test]
fn rejects_missing_and_unknown_fields() {
    let json = mutated(|v| {
        v["documents"][0].as_object_mut().unwrap().remove("sha256");
    });
    assert_rejected_at(&json, "documents[0]", "sha256");
    let json = mutated(|v| {
        v.pointer_mut(ann0())
            .unwrap()
            .as_object_mut()
            .unwrap()
            .insert("comment".into(), json!("x"));
    });
    let e = rejected(&json);
    assert!(e.at.starts_with("documents[0].annotations[0]"), "{e:?}");
    assert!(e.problem.contains("unknown field"), "{e:?}");
}

#[test]
fn rejects_another_format() {
    let json = mutated(|v| v["format"] = json!("label-studio"));
    assert_rejected_at(&json, "format", "marginalia");
}

#[test]
fn rejects_version_2() {
    let json = mutated(|v| v["version"] = json!(2));
    assert_rejected_at(&json, "version", "version 2");
}

#[test]
fn rejects_utf16_offset_unit() {
    let json = mutated(|v| v["offset_unit"] = json!("utf16"));
    assert_rejected_at(&json, "offset_unit", "codepoint");
}

#[test]
fn rejects_a_sha256_mismatch() {
    let json = mutated(|v| v["documents"][0]["sha256"] = json!(sha256_hex(b"another text")));
    assert_rejected_at(&json, "documents[0].sha256", "SHA-256");
    // The text changed under its hash: the hash is what is wrong.
    let json = mutated(|v| v["documents"][0]["text"] = json!("Hi 👍🏽 “there” friend!"));
    assert_rejected_at(&json, "documents[0].sha256", "SHA-256");
}

#[test]
fn rejects_a_length_mismatch() {
    // The UTF-16 length is a tempting mistake: 22 units, 20 code points.
    let json = mutated(|v| v["documents"][0]["length"] = json!(22));
    assert_rejected_at(&json, "documents[0].length", "20 code points");
}

#[test]
fn rejects_an_end_past_the_text() {
    let json = mutated(|v| v["documents"][0]["annotations"][1]["end"] = json!(21));
    assert_rejected_at(&json, "documents[0].annotations[1].end", "past the end");
}

#[test]
fn rejects_start_not_before_end() {
    let json = mutated(|v| v.pointer_mut(ann0()).unwrap()["start"] = json!(5));
    assert_rejected_at(
        &json,
        "documents[0].annotations[0].end",
        "greater than start",
    );
    let json = mutated(|v| v.pointer_mut(ann0()).unwrap()["start"] = json!(9));
    assert_rejected_at(
        &json,
        "documents[0].annotations[0].end",
        "greater than start",
    );
}

#[test]
fn rejects_a_text_mismatch() {
    let json = mutated(|v| v.pointer_mut(ann0()).unwrap()["text"] = json!("👍"));
    assert_rejected_at(&json, "documents[0].annotations[0].text", "👍🏽");
}

#[test]
fn rejects_a_utf16_mismatch() {
    let json = mutated(|v| v.pointer_mut(ann0()).unwrap()["utf16_start"] = json!(4));
    assert_rejected_at(&json, "documents[0].annotations[0].utf16_start", "UTF-16");
    // code points written where UTF-16 was due: only the end differs here
    let json = mutated(|v| v.pointer_mut(ann0()).unwrap()["utf16_end"] = json!(5));
    assert_rejected_at(&json, "documents[0].annotations[0].utf16_end", "UTF-16");
}

#[test]
fn rejects_an_undeclared_label() {
    let json = mutated(|v| v.pointer_mut(ann0()).unwrap()["label"] = json!("opinion"));
    assert_rejected_at(&json, "documents[0].annotations[0].label", "not declared");
    let json = mutated(|v| v["labels"] = json!([]));
    assert_rejected_at(&json, "documents[0].annotations[0].label", "not declared");
}

#[test]
fn rejects_a_duplicate_id() {
    let json = mutated(|v| {
        let id = v.pointer(ann0()).unwrap()["id"].clone();
        v["documents"][0]["annotations"][1]["id"] = id;
    });
    assert_rejected_at(&json, "documents[0].annotations[1].id", "twice");
}

#[test]
fn rejects_trailing_garbage() {
    let json = format!("{}\n{{}}", serde_json::to_string(&base()).unwrap());
    assert_rejected_at(&json, "line 2, column 1", "unexpected content");
    let json = format!("{} x", serde_json::to_string(&base()).unwrap());
    let e = rejected(&json);
    assert!(e.at.starts_with("line 1, column "), "{e:?}");
}

#[test]
fn names_the_right_document() {
    let json = mutated(|v| {
        let mut second = v["documents"][0].clone();
        second["name"] = json!("second.txt");
        second["length"] = json!(3);
        v["documents"].as_array_mut().unwrap().push(second);
    });
    assert_rejected_at(&json, "documents[1].length", "code points");
}

// --------------------------------------------------- the schema rejects too

#[test]
fn schema_is_a_valid_documented_2020_12_schema() {
    let schema = schema();
    assert!(
        jsonschema::meta::is_valid(&schema),
        "not a valid JSON Schema"
    );
    assert_eq!(
        schema["$schema"],
        "https://json-schema.org/draft/2020-12/schema"
    );
    assert!(schema["$id"].as_str().is_some_and(|id| !id.is_empty()));
    // every property of every object has a description
    fn walk(node: &Value, path: &str, missing: &mut Vec<String>) {
        if let Some(props) = node.get("properties").and_then(Value::as_object) {
            for (name, prop) in props {
                if prop
                    .get("description")
                    .and_then(Value::as_str)
                    .is_none_or(str::is_empty)
                {
                    missing.push(format!("{path}/{name}"));
                }
            }
        }
        if let Some(object) = node.as_object() {
            for (key, child) in object {
                walk(child, &format!("{path}/{key}"), missing);
            }
        }
    }
    let mut missing = Vec::new();
    walk(&schema, "", &mut missing);
    assert!(missing.is_empty(), "undocumented: {missing:?}");
}

#[test]
fn schema_rejects_invalid_files() {
    let validator = validator();
    assert!(validator.is_valid(&base()));
    type Mutation = Box<dyn Fn(&mut Value)>;
    let cases: Vec<(&str, Mutation)> = vec![
        (
            "missing exported_at",
            Box::new(|v| {
                v.as_object_mut().unwrap().remove("exported_at");
            }),
        ),
        (
            "missing annotation field",
            Box::new(|v| {
                v.pointer_mut(ann0())
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("utf16_end");
            }),
        ),
        (
            "missing document length",
            Box::new(|v| {
                v["documents"][0].as_object_mut().unwrap().remove("length");
            }),
        ),
        (
            "missing annotation text",
            Box::new(|v| {
                v.pointer_mut(ann0())
                    .unwrap()
                    .as_object_mut()
                    .unwrap()
                    .remove("text");
            }),
        ),
        (
            "extra top-level field",
            Box::new(|v| v["comment"] = json!("hi")),
        ),
        (
            "extra annotation field",
            Box::new(|v| v.pointer_mut(ann0()).unwrap()["comment"] = json!("x")),
        ),
        (
            "extra label field",
            Box::new(|v| v["labels"][0]["shortcut"] = json!("x")),
        ),
        (
            "upper-case sha256",
            Box::new(|v| {
                let sha = v["documents"][0]["sha256"].as_str().unwrap().to_uppercase();
                v["documents"][0]["sha256"] = json!(sha);
            }),
        ),
        (
            "short sha256",
            Box::new(|v| v["documents"][0]["sha256"] = json!("abc123")),
        ),
        (
            "bad colour",
            Box::new(|v| v["labels"][0]["color"] = json!("blue")),
        ),
        ("wrong format", Box::new(|v| v["format"] = json!("doccano"))),
        ("version 2", Box::new(|v| v["version"] = json!(2))),
        (
            "utf16 offsets",
            Box::new(|v| v["offset_unit"] = json!("utf16")),
        ),
        (
            "negative start",
            Box::new(|v| v.pointer_mut(ann0()).unwrap()["start"] = json!(-1)),
        ),
        (
            "fractional end",
            Box::new(|v| v.pointer_mut(ann0()).unwrap()["end"] = json!(4.5)),
        ),
        (
            "string length",
            Box::new(|v| v["documents"][0]["length"] = json!("20")),
        ),
        (
            "not a date-time",
            Box::new(|v| v["exported_at"] = json!("yesterday")),
        ),
        (
            "created_at not a date-time",
            Box::new(|v| {
                v.pointer_mut(ann0()).unwrap()["created_at"] = json!("21/11/2026");
            }),
        ),
        (
            "documents not an array",
            Box::new(|v| v["documents"] = json!({})),
        ),
    ];
    for (what, mutate) in cases {
        let mut value = base();
        mutate(&mut value);
        assert!(
            !validator.is_valid(&value),
            "the schema accepted a file with {what}"
        );
    }
}

// ------------------------------------------------------- exports without texts

fn without_texts() -> ExportOptions {
    ExportOptions {
        exported_at: EXPORTED_AT.to_owned(),
        include_text: false,
    }
}

#[test]
fn export_without_texts_validates_and_parses_to_the_same_spans() {
    let (entries, labels) = support::golden_corpus();
    let json = export(&support::refs(&entries), &labels, &without_texts());
    let value: Value = serde_json::from_str(&json).unwrap();
    assert_schema_valid(&value);
    for (d, entry) in value["documents"].as_array().unwrap().iter().zip(&entries) {
        assert!(d.get("text").is_none(), "a text was written: {d}");
        assert_eq!(d["sha256"], entry.doc.sha256());
        assert_eq!(d["length"].as_u64().unwrap() as usize, entry.doc.len());
    }
    let parsed = parse(&json).unwrap();
    assert_eq!(parsed.labels, labels);
    assert_eq!(
        support::facts_of_interchange(&parsed),
        support::facts_of_entries(&entries, false)
    );
    let statuses: Vec<_> = parsed.documents.iter().map(|d| d.status).collect();
    let expected: Vec<_> = entries.iter().map(|e| Some(e.status)).collect();
    assert_eq!(statuses, expected);
    // The store path needs the texts, and says so.
    let e = parse_with_texts(&json).unwrap_err();
    assert_eq!(e.at, "documents[0]");
    assert!(e.problem.contains("text"), "{e:?}");
}

#[test]
fn export_with_texts_parses_to_the_same_spans_and_texts() {
    let (entries, labels) = support::golden_corpus();
    let json = export(&support::refs(&entries), &labels, &with_texts());
    let parsed = parse(&json).unwrap();
    assert_eq!(
        support::facts_of_interchange(&parsed),
        support::facts_of_entries(&entries, true)
    );
    let created: Vec<Option<String>> = parsed.documents[0]
        .spans
        .iter()
        .map(|s| s.created_at.clone())
        .collect();
    assert!(created.iter().all(Option::is_some), "{created:?}");
}

#[test]
fn golden_native_exports() {
    let (entries, labels) = support::golden_corpus();
    let refs = support::refs(&entries);
    support::check_golden("corpus.native.json", &export(&refs, &labels, &with_texts()));
    support::check_golden(
        "corpus.native-without-text.json",
        &export(&refs, &labels, &without_texts()),
    );
}

/// The base file with its texts left out, as a JSON value.
fn base_without_text() -> Value {
    let mut value = base();
    value["documents"][0]
        .as_object_mut()
        .unwrap()
        .remove("text");
    value
}

fn mutated_without_text(f: impl FnOnce(&mut Value)) -> String {
    let mut value = base_without_text();
    f(&mut value);
    serde_json::to_string_pretty(&value).unwrap()
}

#[test]
fn without_texts_the_base_file_is_accepted() {
    let json = serde_json::to_string_pretty(&base_without_text()).unwrap();
    let parsed = parse(&json).unwrap();
    assert_eq!(parsed.documents[0].text, None);
    assert_eq!(parsed.documents[0].spans[0].quote.as_deref(), Some("👍🏽"));
}

#[test]
fn without_texts_rejects_a_quote_that_does_not_fit_its_range() {
    let json = mutated_without_text(|v| v.pointer_mut(ann0()).unwrap()["text"] = json!("👍"));
    assert_rejected_at(
        &json,
        "documents[0].annotations[0].text",
        "has 1 code points, but 3..5 spans 2",
    );
}

#[test]
fn without_texts_rejects_utf16_offsets_that_do_not_fit_the_quote() {
    // 👍🏽 is 4 UTF-16 units: 3..7; code points written as UTF-16 give 3..5.
    let json = mutated_without_text(|v| v.pointer_mut(ann0()).unwrap()["utf16_end"] = json!(5));
    assert_rejected_at(
        &json,
        "documents[0].annotations[0].utf16_end",
        "4 UTF-16 units long (expected 3..7)",
    );
    let json = mutated_without_text(|v| v.pointer_mut(ann0()).unwrap()["utf16_start"] = json!(2));
    assert_rejected_at(
        &json,
        "documents[0].annotations[0].utf16_start",
        "less than start",
    );
}

#[test]
fn without_texts_rejects_a_malformed_sha256_and_an_end_past_the_length() {
    let json = mutated_without_text(|v| v["documents"][0]["sha256"] = json!("ABC"));
    assert_rejected_at(&json, "documents[0].sha256", "64 lower-case hexadecimal");
    let json = mutated_without_text(|v| v["documents"][0]["length"] = json!(4));
    assert_rejected_at(
        &json,
        "documents[0].annotations[0].end",
        "5 is past the end of the text (4 code points)",
    );
}

#[test]
fn rejects_a_label_declared_twice() {
    let json = mutated(|v| {
        let first = v["labels"][0].clone();
        v["labels"].as_array_mut().unwrap().push(first);
    });
    assert_rejected_at(&json, "labels[3].name", "declared twice");
}

#[test]
fn broken_native_files() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "native-truncated.json",
            "documents[0].annotations[0] (line 29, column 10)",
            &["EOF"],
        ),
        (
            "native-undeclared-label.json",
            "documents[0].annotations[0].label",
            &["\"opinion\"", "not declared"],
        ),
        (
            "native-end-before-start.json",
            "documents[0].annotations[0].end",
            &["greater than start (5)", "found 3"],
        ),
        (
            "native-without-text-end-past-length.json",
            "documents[0].annotations[0].end",
            &["12 is past the end of the text (10 code points)"],
        ),
        (
            "native-start-as-string.json",
            "documents[0].annotations[0].start",
            &["invalid type: string \"0\"", "expected usize"],
        ),
    ];
    for (file, at, words) in cases {
        support::assert_error(parse(&support::broken(file)), at, words);
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(64))]

    #[test]
    fn random_corpora_round_trip(entries in support::arb_corpus(), include_text in proptest::bool::ANY) {
        let labels = marginalia::model::default_labels();
        let options = ExportOptions { exported_at: EXPORTED_AT.to_owned(), include_text };
        let json = export(&support::refs(&entries), &labels, &options);
        let parsed = parse(&json).map_err(|e| proptest::test_runner::TestCaseError::fail(format!("{e}\n{json}")))?;
        proptest::prop_assert_eq!(&parsed.labels, &labels);
        proptest::prop_assert_eq!(
            support::facts_of_interchange(&parsed),
            support::facts_of_entries(&entries, include_text)
        );
        let statuses: Vec<_> = parsed.documents.iter().map(|d| d.status).collect();
        let expected: Vec<_> = entries.iter().map(|e| Some(e.status)).collect();
        proptest::prop_assert_eq!(statuses, expected);
    }
}

#[test]
fn rejects_an_array_where_the_file_object_belongs() {
    // serde alone would read the array's items as the object's fields
    assert_rejected_at(
        "\n  [\"marginalia\", 1]",
        "line 2, column 3",
        "found a JSON array",
    );
}

/// Ids used twice are found after reading, by sorting: the first problem in
/// the file is still the one reported. An annotation's id is checked before
/// its other fields.
#[test]
fn the_first_problem_in_the_file_is_reported() {
    let reuse_id = |value: &mut Value| {
        let first = value["documents"][0]["annotations"][0]["id"].clone();
        value["documents"][0]["annotations"][1]["id"] = first;
    };
    let twice = mutated(reuse_id);
    assert_rejected_at(&twice, "documents[0].annotations[1].id", "used twice");
    // The second use also has a label nobody declared: the id still comes first.
    let twice_and_undeclared = mutated(|value| {
        reuse_id(value);
        value["documents"][0]["annotations"][1]["label"] = json!("rumour");
    });
    assert_rejected_at(
        &twice_and_undeclared,
        "documents[0].annotations[1].id",
        "used twice",
    );
    // A problem in the first annotation comes before the id used twice after it.
    let undeclared_first = mutated(|value| {
        reuse_id(value);
        value["documents"][0]["annotations"][0]["label"] = json!("rumour");
    });
    assert_rejected_at(
        &undeclared_first,
        "documents[0].annotations[0].label",
        "not declared",
    );
}

/// The store's shared annotations as plain ones, to compare with a parse.
fn shared_to_owned(list: &Spans) -> Vec<Annotation> {
    list.iter().map(|a| Annotation::clone(a)).collect()
}
