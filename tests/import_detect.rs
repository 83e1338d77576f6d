#![cfg(not(target_arch = "wasm32"))]
//! The whole import pipeline on every export: the format is told from the
//! content alone, and exporting then importing gives back exactly the same
//! annotations (ids and notes where the format carries them), into a corpus
//! that has the documents and into one that has none.

mod formats_support;

use formats_support::{golden_corpus, options, refs, TRICKY};
use marginalia::formats::interchange::FormatKind;
use marginalia::formats::{export, Exported};
use marginalia::import::detect::{parse_files, parse_text};
use marginalia::import::{plan_import, ImportMode};
use marginalia::model::Document;
use marginalia::store::{Action, Entry, State};

fn exported_files(format: FormatKind, entries: &[Entry]) -> Vec<(String, Vec<u8>)> {
    let (_, labels) = golden_corpus();
    let name = format!("export.{}", format.extension());
    match export(format, &refs(entries), &labels, &options(true)) {
        Exported::Text(text) => vec![(name, text.into_bytes())],
        Exported::Binary(bytes) => vec![(name, bytes)],
    }
}

/// (label, start, end, note) of every span, in order, per document name.
type Facts = Vec<(String, Vec<(String, usize, usize, Option<String>)>)>;

fn facts(entries: &[Entry]) -> Facts {
    let mut out: Facts = entries
        .iter()
        .filter(|e| !e.annotations.is_empty())
        .map(|e| {
            let mut spans: Vec<_> = e
                .annotations
                .iter()
                .map(|a| (a.label.clone(), a.start, a.end, a.note.clone()))
                .collect();
            spans.sort();
            (e.doc.sha256().to_owned(), spans)
        })
        .collect();
    out.sort();
    out
}

fn ids(entries: &[Entry]) -> Vec<String> {
    let mut ids: Vec<String> = entries
        .iter()
        .flat_map(|e| e.annotations.iter().map(|a| a.id.clone()))
        .collect();
    ids.sort();
    ids
}

/// A state holding the golden documents without their annotations.
fn bare_corpus() -> State {
    let (entries, _) = golden_corpus();
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(
            entries
                .iter()
                .map(|e| (e.doc.clone(), Vec::new()))
                .collect(),
        ))
        .unwrap();
    state
}

fn import(state: &mut State, files: &[(String, Vec<u8>)]) -> FormatKind {
    let parsed = parse_files(files).unwrap_or_else(|e| panic!("{e}"));
    let mut n = 0;
    let plan = plan_import(
        state,
        &parsed,
        ImportMode::Replace,
        &mut || {
            n += 1;
            format!("fresh-{n}")
        },
        "2026-11-21T12:00:00Z",
    )
    .unwrap_or_else(|e| panic!("{:?}: {e}", parsed.format));
    assert!(
        plan.report.orphans.is_empty(),
        "{:?}: {}",
        parsed.format,
        plan.report.summary()
    );
    state
        .apply(Action::Import {
            labels: plan.labels,
            changes: plan.changes,
        })
        .unwrap();
    parsed.format
}

#[test]
fn every_export_is_recognised_and_imports_back_exactly() {
    let (entries, _) = golden_corpus();
    for format in FormatKind::ALL {
        let files = exported_files(format, &entries);
        let mut state = bare_corpus();
        assert_eq!(import(&mut state, &files), format, "detected as itself");
        assert_eq!(facts(&state.entries), facts(&entries), "{format:?}");
        // brat has no place for span ids; every other format keeps them.
        if format != FormatKind::Brat {
            assert_eq!(ids(&state.entries), ids(&entries), "{format:?} keeps ids");
        }
        // Importing the same file again (merge) duplicates nothing.
        let parsed = parse_files(&files).unwrap();
        let plan = plan_import(
            &state,
            &parsed,
            ImportMode::Merge,
            &mut || unreachable!("no new span"),
            "now",
        )
        .unwrap();
        let spans: usize = entries.iter().map(|e| e.annotations.len()).sum();
        assert_eq!(plan.report.duplicates_skipped, spans, "{format:?}");
    }
}

#[test]
fn files_that_carry_texts_add_their_documents_to_an_empty_corpus() {
    let (entries, _) = golden_corpus();
    for format in [
        FormatKind::Native,
        FormatKind::Jsonl,
        FormatKind::LabelStudio,
        FormatKind::Brat,
    ] {
        let mut state = State::default();
        import(&mut state, &exported_files(format, &entries));
        assert_eq!(facts(&state.entries), facts(&entries), "{format:?}");
        let tricky = state
            .entries
            .iter()
            .find(|e| e.doc.text() == TRICKY)
            .expect("the text came with the file");
        assert_eq!(tricky.doc.sha256(), Document::new("x", TRICKY).sha256());
    }
}

#[test]
fn unknown_content_is_named() {
    for (text, found) in [
        ("hello world\n", "neither JSON nor a CSV"),
        ("{\"something\": 1,\n \"else\": 2}", "JSON that is none of"),
        ("   ", "an empty file"),
    ] {
        let e = parse_text(text).unwrap_err();
        assert!(e.problem.starts_with("unknown format"), "{e}");
        assert!(e.problem.contains(found), "{text:?}: {e}");
    }
}

#[test]
fn errors_carry_the_file_name() {
    let e = parse_files(&[(
        "notes.json".into(),
        b"{\"format\": \"marginalia\", ".to_vec(),
    )])
    .unwrap_err();
    assert_eq!(e.file.as_deref(), Some("notes.json"), "{e}");
    assert!(e.to_string().starts_with("notes.json: "), "{e}");

    let e =
        parse_files(&[("latin1.csv".into(), b"document,label\n\xe9t\xe9".to_vec())]).unwrap_err();
    assert!(e.problem.contains("latin1.csv"), "{e}");
    assert!(e.problem.contains("position 15"), "{e}");

    let e = parse_files(&[
        ("a.json".into(), b"[]".to_vec()),
        ("b.json".into(), b"[]".to_vec()),
    ])
    .unwrap_err();
    assert!(e.problem.contains("one annotation file at a time"), "{e}");
    assert!(e.problem.contains("a.json, b.json"), "{e}");
}

#[test]
fn a_brat_set_is_recognised_by_its_ann_file() {
    let (entries, _) = golden_corpus();
    let zip = exported_files(FormatKind::Brat, &entries);
    let files =
        marginalia::formats::zip::read("export.zip", &zip[0].1).expect("our own zip reads back");
    let loose: Vec<(String, Vec<u8>)> = files
        .into_iter()
        .filter(|(name, _)| name.ends_with(".ann") || name.ends_with(".txt"))
        .collect();
    assert!(loose.iter().any(|(n, _)| n.ends_with(".ann")));
    let mut state = bare_corpus();
    assert_eq!(import(&mut state, &loose), FormatKind::Brat);
    assert_eq!(facts(&state.entries), facts(&entries));
}

#[test]
fn jsonl_is_told_from_a_label_studio_task_by_its_first_line() {
    let line =
        r#"{"text": "A \"quoted\" line", "spans": [{"start": 2, "end": 10, "label": "quote"}]}"#;
    for text in [
        format!("{line}\n"),
        format!("{line}\r\n{line}\n"),
        line.to_owned(),
    ] {
        let parsed = parse_text(&text).unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(parsed.format, FormatKind::Jsonl, "{text:?}");
    }
    // A single Label Studio task on one line has a top-level "data" key, so
    // it goes to the Label Studio parser (which wants an array of them);
    // with the key spelled with an escape, it is still no JSONL document.
    let e = parse_text(r#"{"data": {"text": "Some text"}, "annotations": []}"#).unwrap_err();
    assert!(e.problem.contains("array of Label Studio tasks"), "{e}");
    let e = parse_text(r#"{"annotations": [], "d\u0061ta": {"text": "Some text"}}"#).unwrap_err();
    assert!(e.problem.contains("JSON that is none of"), "{e}");
    let nested = r#"{"text": "Some text", "meta": {"data": 1}, "spans": []}"#;
    assert_eq!(parse_text(nested).unwrap().format, FormatKind::Jsonl);
    // A first line that is not a whole JSON object is not JSONL.
    let e = parse_text("{\"text\": \"unfinished\n\"}\n").unwrap_err();
    assert!(e.problem.contains("JSON that is none of"), "{e}");
}
