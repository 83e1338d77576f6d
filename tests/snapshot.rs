#![cfg(not(target_arch = "wasm32"))]
//! The storage records: each reads back what was written, and a damaged or
//! unknown record is refused with a message instead of being half-read.

use marginalia::model::{default_labels, Annotation, Document, Label, Status};
use marginalia::snapshot::{
    decode_annotations, decode_corpus, decode_labels, decode_session, encode_annotations,
    encode_corpus, encode_labels, encode_session, CorpusRecord, DocumentMeta, Session,
};

#[test]
fn annotations_round_trip_with_notes() {
    let doc = Document::new("a.txt", "“Hi” 👩🏽‍💻 café\u{a0}now");
    let annotations = vec![Annotation {
        id: "a1".into(),
        label: "quote".into(),
        start: 0,
        end: 4,
        created_at: "2026-11-21T10:00:00Z".into(),
        note: Some("says “hi”\nand more".into()),
    }];
    let json = encode_annotations(&doc, &annotations);
    assert_eq!(decode_annotations(&doc, &json).unwrap(), annotations);
}

#[test]
fn annotations_without_a_note_field_still_read() {
    let doc = Document::new("a.txt", "hello world");
    let json = r#"{"version":1,"name":"a.txt","annotations":[{"id":"x","label":"claim","start":0,"end":5,"created_at":"t"}]}"#;
    let read = decode_annotations(&doc, json).unwrap();
    assert_eq!(read[0].note, None);
}

#[test]
fn labels_round_trip_and_refuse_damage() {
    let mut labels = default_labels();
    labels.push(Label {
        name: "source of funding".into(),
        color: "#cc79a7".into(),
        key: "f".into(),
    });
    assert_eq!(decode_labels(&encode_labels(&labels)).unwrap(), labels);

    let e = decode_labels(r#"{"version":1,"labels":[]}"#).unwrap_err();
    assert!(e.contains("empty"), "{e}");
    let e = decode_labels(r#"{"version":2,"labels":[]}"#).unwrap_err();
    assert!(e.contains("unknown version 2"), "{e}");
    let twice = r##"{"version":1,"labels":[{"name":"a","color":"#000000","key":"1"},{"name":"a","color":"#000000","key":"2"}]}"##;
    assert!(decode_labels(twice).unwrap_err().contains("\"a\" twice"));
    let same_key = r##"{"version":1,"labels":[{"name":"a","color":"#000000","key":"1"},{"name":"b","color":"#000000","key":"1"}]}"##;
    assert!(decode_labels(same_key)
        .unwrap_err()
        .contains("key \"1\" twice"));
    assert!(decode_labels("{\"version\":1,\"lab")
        .unwrap_err()
        .contains("damaged"));
}

#[test]
fn corpus_round_trips() {
    let corpus = CorpusRecord {
        documents: vec![
            DocumentMeta {
                sha256: "b".repeat(64),
                name: "Renamed article".into(),
                status: Status::Done,
                user_text: false,
            },
            DocumentMeta {
                sha256: "c".repeat(64),
                name: "notes 📝.md".into(),
                status: Status::InProgress,
                user_text: true,
            },
        ],
        removed: vec!["a".repeat(64)],
    };
    let json = encode_corpus(&corpus);
    assert!(json.contains("\"version\":1"), "{json}");
    assert!(json.contains("\"in_progress\""), "{json}");
    assert_eq!(decode_corpus(&json).unwrap(), corpus);
    assert!(decode_corpus(r#"{"version":9,"documents":[]}"#)
        .unwrap_err()
        .contains("unknown version 9"));
    assert!(decode_corpus(r#"{"version":1,"documents":[{"sha256":1}]}"#)
        .unwrap_err()
        .contains("damaged"));
}

#[test]
fn session_reads_old_records_without_the_snapping_setting() {
    let old = decode_session(r#"{"open":"abc"}"#).unwrap();
    assert_eq!(old.open.as_deref(), Some("abc"));
    assert!(!old.exact_characters);
    let session = Session {
        open: None,
        exact_characters: true,
    };
    assert_eq!(decode_session(&encode_session(&session)).unwrap(), session);
}
