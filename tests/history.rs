//! Undo and redo, and the edits added with them (TagAll, labels, status,
//! document rename and removal): each edit applied, undone (back to the
//! state before) and redone (back to the state after); rejections change
//! nothing and record nothing; history per document; out-of-order undos of
//! corpus steps; and property tests that any edit sequence is fully undone
//! and redone.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;
use std::rc::Rc;

use marginalia::model::{Annotation, Document, Label, Status};
use marginalia::store::{Action, DocumentChange, Rejection, State, STEPS_KEPT};
use proptest::prelude::*;

const T0: &str = "2026-11-21T10:00:00Z";

fn doc(name: &str, text: &str) -> Rc<Document> {
    Rc::new(Document::new(name, text))
}

fn ann(id: &str, label: &str, start: usize, end: usize) -> Annotation {
    Annotation {
        id: id.to_owned(),
        label: label.to_owned(),
        start,
        end,
        created_at: T0.to_owned(),
        note: None,
    }
}

fn create(label: &str, start: usize, end: usize, id: &str) -> Action {
    Action::Create {
        label: label.to_owned(),
        start,
        end,
        id: id.to_owned(),
        created_at: T0.to_owned(),
    }
}

fn label(name: &str, color: &str, key: &str) -> Label {
    Label {
        name: name.to_owned(),
        color: color.to_owned(),
        key: key.to_owned(),
    }
}

fn select(id: &str) -> Action {
    Action::Select(Some(id.to_owned()))
}

const A_TEXT: &str = "Alpha says “we will” 👍🏽 by Friday.\r\nSecond line\tends here.";
const B_TEXT: &str = "Bravo: e\u{301}clair 🇺🇦 and 👩\u{200D}👩\u{200D}👧 family\u{a0}day.";
const C_TEXT: &str = "Charlie\n\nthird text";

/// Documents a, b and c (a open), each with a span or two.
fn corpus() -> State {
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(vec![
            (
                doc("a.txt", A_TEXT),
                vec![ann("a1", "claim", 0, 5), ann("a2", "quote", 12, 19)],
            ),
            (doc("b.txt", B_TEXT), vec![ann("b1", "claim", 0, 5)]),
            (doc("c.txt", C_TEXT), Vec::new()),
        ]))
        .unwrap();
    state
}

fn sha_of(state: &State, name: &str) -> String {
    state
        .entries
        .iter()
        .find(|e| e.doc.name == name)
        .unwrap_or_else(|| panic!("no document {name}"))
        .doc
        .sha256()
        .to_owned()
}

fn open(state: &mut State, name: &str) {
    let sha = sha_of(state, name);
    state.apply(Action::Open(sha)).unwrap();
}

/// Everything an edit can change, and undo must restore.
#[derive(Debug, Clone, PartialEq)]
struct Content {
    labels: Vec<Label>,
    documents: Vec<(String, String, Status, Vec<Annotation>)>,
}

fn content(state: &State) -> Content {
    Content {
        labels: (*state.labels).clone(),
        documents: state
            .entries
            .iter()
            .map(|e| {
                (
                    e.doc.name.clone(),
                    e.doc.sha256().to_owned(),
                    e.status,
                    e.annotations.iter().map(|a| Annotation::clone(a)).collect(),
                )
            })
            .collect(),
    }
}

fn ids(state: &State, name: &str) -> Vec<String> {
    let sha = sha_of(state, name);
    state
        .entry(&sha)
        .unwrap()
        .annotations
        .iter()
        .map(|a| a.id.clone())
        .collect()
}

/// Applies `action`, then Undo (content back to before) and Redo (content
/// back to after). Returns the state after the redo.
fn round_trip(state: &mut State, action: Action) {
    let before = content(state);
    let could_undo = state.undo_description();
    state.apply(action.clone()).unwrap();
    let after = content(state);
    assert_ne!(before, after, "{action:?} changed nothing");
    assert!(state.can_undo() && !state.can_redo());
    state.apply(Action::Undo).unwrap();
    assert_eq!(content(state), before, "undo of {action:?}");
    assert!(state.can_redo());
    assert_eq!(
        state.undo_description(),
        could_undo,
        "the step below is next"
    );
    state.apply(Action::Redo).unwrap();
    assert_eq!(content(state), after, "redo of {action:?}");
    assert!(!state.can_redo());
}

/// Applies `action`, expecting `rejection`; nothing changes, nothing is recorded.
fn assert_rejected(state: &mut State, action: Action, rejection: Rejection) {
    let before = state.clone();
    assert_eq!(state.apply(action), Err(rejection));
    assert_eq!(*state, before, "a rejected action changed the state");
}

// ------------------------------------------------------------ span edits

#[test]
fn create_undo_redo_and_selection() {
    let mut state = corpus();
    assert!(!state.can_undo());
    assert_eq!(state.undo_description(), None);
    round_trip(&mut state, create("deadline", 29, 36, "new"));
    assert_eq!(state.undo_description().as_deref(), Some("add deadline"));
    // After redo the span the step touched is selected...
    assert_eq!(state.selected.as_deref(), Some("new"));
    // ...and after undo, it is gone, so nothing is.
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.selected, None);
    assert_eq!(state.redo_description().as_deref(), Some("add deadline"));
}

#[test]
fn delete_undo_selects_the_restored_span() {
    let mut state = corpus();
    state.apply(select("a2")).unwrap();
    round_trip(&mut state, Action::DeleteSelected);
    assert_eq!(state.selected, None);
    assert_eq!(state.undo_description().as_deref(), Some("delete quote"));
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.selected.as_deref(), Some("a2"));
}

#[test]
fn relabel_and_relabel_merge_round_trip() {
    let mut state = corpus();
    state.apply(select("a1")).unwrap();
    round_trip(&mut state, Action::RelabelSelected("deadline".into()));
    assert_eq!(
        state.undo_description().as_deref(),
        Some("relabel claim as deadline")
    );
    assert_eq!(state.selected.as_deref(), Some("a1"));

    // Onto an identical span: the selected span merges into it.
    state.apply(create("quote", 0, 5, "twin")).unwrap();
    state.apply(select("a1")).unwrap();
    round_trip(&mut state, Action::RelabelSelected("quote".into()));
    assert_eq!(ids(&state, "a.txt"), ["twin", "a2"]);
    assert_eq!(state.selected, None, "a1 is gone after the redo");
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.selected.as_deref(), Some("a1"));
}

#[test]
fn resize_round_trip_and_twin_rejected() {
    let mut state = corpus();
    // Trimmed like Create: the spaces around "says" go.
    round_trip(
        &mut state,
        Action::Resize {
            id: "a1".into(),
            start: 5,
            end: 11,
        },
    );
    let a1 = state.open_entry().unwrap().annotations[0].clone();
    assert_eq!((a1.id.as_str(), a1.start, a1.end), ("a1", 6, 10));
    assert_eq!(state.undo_description().as_deref(), Some("resize claim"));
    state.apply(create("claim", 12, 19, "c2")).unwrap();
    assert_rejected(
        &mut state,
        Action::Resize {
            id: "a1".into(),
            start: 12,
            end: 19,
        },
        Rejection::SameSpanExists {
            label: "claim".into(),
        },
    );
    // The same range again records nothing.
    let before = state.clone();
    state
        .apply(Action::Resize {
            id: "a1".into(),
            start: 6,
            end: 10,
        })
        .unwrap();
    assert_eq!(state, before);
}

#[test]
fn note_round_trip() {
    let mut state = corpus();
    round_trip(
        &mut state,
        Action::SetNote {
            id: "a2".into(),
            note: Some("check “this” 👍🏽".into()),
        },
    );
    assert_eq!(state.undo_description().as_deref(), Some("edit note"));
    round_trip(
        &mut state,
        Action::SetNote {
            id: "a2".into(),
            note: Some("  ".into()),
        },
    );
    assert_eq!(state.undo_description().as_deref(), Some("remove note"));
    state.apply(Action::Undo).unwrap();
    assert_eq!(
        state.selected_annotation().unwrap().note.as_deref(),
        Some("check “this” 👍🏽")
    );
}

// ------------------------------------------------------------------ TagAll

fn tag_all(label: &str, ranges: &[(usize, usize)], prefix: &str) -> Action {
    Action::TagAll {
        label: label.into(),
        ranges: ranges.to_vec(),
        ids: (0..ranges.len()).map(|i| format!("{prefix}{i}")).collect(),
        created_at: T0.into(),
    }
}

#[test]
fn tag_all_is_one_step_skipping_identical_spans_and_whitespace() {
    let mut state = corpus();
    // "Alpha" (already a claim), " says " (trimmed), "👍🏽" (two code
    // points), the line break alone (skipped), "says" again (same as the
    // trimmed one: added once).
    let action = tag_all(
        "claim",
        &[(0, 5), (5, 11), (21, 23), (34, 36), (6, 10)],
        "t",
    );
    round_trip(&mut state, action);
    assert_eq!(ids(&state, "a.txt"), ["a1", "t1", "a2", "t2"]);
    let spans = &state.open_entry().unwrap().annotations;
    assert_eq!((spans[1].start, spans[1].end), (6, 10));
    assert_eq!(spans[3].label, "claim");
    assert_eq!(
        state
            .open_entry()
            .unwrap()
            .doc
            .slice(spans[3].start, spans[3].end),
        "👍🏽"
    );
    assert_eq!(state.selected.as_deref(), Some("t1"), "first new span");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("tag 2 matches as claim")
    );
    // One undo takes both away.
    state.apply(Action::Undo).unwrap();
    assert_eq!(ids(&state, "a.txt"), ["a1", "a2"]);
    assert_eq!(state.selected, None);
}

#[test]
fn tag_all_rejections() {
    let mut state = corpus();
    assert_rejected(
        &mut state,
        tag_all("claim", &[(0, 5), (34, 36)], "t"),
        Rejection::NothingToTag {
            label: "claim".into(),
        },
    );
    assert_rejected(
        &mut state,
        tag_all("opinion", &[(0, 5)], "t"),
        Rejection::UnknownLabel("opinion".into()),
    );
    let len = state.open_entry().unwrap().doc.len();
    assert_rejected(
        &mut state,
        tag_all("quote", &[(0, 5), (3, len + 1)], "t"),
        Rejection::OutOfRange { end: len + 1, len },
    );
    assert_rejected(
        &mut state,
        Action::TagAll {
            label: "quote".into(),
            ranges: vec![(0, 5), (6, 10)],
            ids: vec!["only-one".into()],
            created_at: T0.into(),
        },
        Rejection::MissingIds { ranges: 2, ids: 1 },
    );
    assert_rejected(
        &mut state,
        Action::TagAll {
            label: "quote".into(),
            ranges: vec![(0, 5)],
            ids: vec!["a1".into()],
            created_at: T0.into(),
        },
        Rejection::DuplicateId("a1".into()),
    );
    assert!(!state.can_undo());
    let mut empty = State::default();
    assert_rejected(
        &mut empty,
        tag_all("claim", &[(0, 1)], "t"),
        Rejection::NoOpenDocument,
    );
}

// ------------------------------------------------------------------ labels

#[test]
fn add_label_round_trip_and_validation() {
    let mut state = corpus();
    round_trip(
        &mut state,
        Action::AddLabel(label("  opinion ", "#CC79A7", "4")),
    );
    let added = state.label("opinion").unwrap();
    assert_eq!((added.color.as_str(), added.key.as_str()), ("#cc79a7", "4"));
    assert_eq!(
        state.undo_description().as_deref(),
        Some("add label opinion")
    );

    let cases = [
        (label(" \t", "#000000", "5"), Rejection::LabelNameEmpty),
        (
            label("two\nlines", "#000000", "5"),
            Rejection::LabelNameInvalid("two\nlines".into()),
        ),
        (
            label("Claim", "#000000", "5"),
            Rejection::LabelExists("claim".into()),
        ),
        (
            label("new", "red", "5"),
            Rejection::InvalidColor("red".into()),
        ),
        (
            label("new", "#12345", "5"),
            Rejection::InvalidColor("#12345".into()),
        ),
        (
            label("new", "#12345g", "5"),
            Rejection::InvalidColor("#12345g".into()),
        ),
        (
            label("new", "#123456", "56"),
            Rejection::InvalidKey("56".into()),
        ),
        (
            label("new", "#123456", " "),
            Rejection::InvalidKey(" ".into()),
        ),
        (
            label("new", "#123456", ""),
            Rejection::InvalidKey("".into()),
        ),
        (
            label("new", "#123456", "1"),
            Rejection::KeyInUse {
                key: "1".into(),
                label: "claim".into(),
            },
        ),
    ];
    for (l, rejection) in cases {
        assert_rejected(&mut state, Action::AddLabel(l), rejection);
    }
    // A key may be any one character, emoji included.
    round_trip(&mut state, Action::AddLabel(label("fun", "#000000", "👍")));
}

#[test]
fn rename_label_renames_spans_everywhere_and_back() {
    let mut state = corpus();
    round_trip(
        &mut state,
        Action::RenameLabel {
            from: "claim".into(),
            to: "assertion".into(),
        },
    );
    assert!(state.label("claim").is_none());
    for entry in &state.entries {
        assert!(entry.annotations.iter().all(|a| a.label != "claim"));
    }
    let b = state.entry(&sha_of(&state, "b.txt")).unwrap();
    assert_eq!(b.annotations[0].label, "assertion");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("rename label claim to assertion")
    );
    // Only the case changes: allowed.
    round_trip(
        &mut state,
        Action::RenameLabel {
            from: "quote".into(),
            to: "Quote".into(),
        },
    );
    assert_rejected(
        &mut state,
        Action::RenameLabel {
            from: "assertion".into(),
            to: "QUOTE".into(),
        },
        Rejection::LabelExists("Quote".into()),
    );
    assert_rejected(
        &mut state,
        Action::RenameLabel {
            from: "nope".into(),
            to: "x".into(),
        },
        Rejection::UnknownLabel("nope".into()),
    );
    assert_rejected(
        &mut state,
        Action::RenameLabel {
            from: "assertion".into(),
            to: "".into(),
        },
        Rejection::LabelNameEmpty,
    );
}

#[test]
fn recolor_and_rebind_round_trip() {
    let mut state = corpus();
    round_trip(
        &mut state,
        Action::RecolorLabel {
            name: "claim".into(),
            color: "#56B4E9".into(),
        },
    );
    assert_eq!(state.label("claim").unwrap().color, "#56b4e9");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("recolour label claim")
    );
    round_trip(
        &mut state,
        Action::RebindLabel {
            name: "claim".into(),
            key: "c".into(),
        },
    );
    assert_eq!(state.label("claim").unwrap().key, "c");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("bind label claim to key c")
    );
    assert_rejected(
        &mut state,
        Action::RebindLabel {
            name: "quote".into(),
            key: "c".into(),
        },
        Rejection::KeyInUse {
            key: "c".into(),
            label: "claim".into(),
        },
    );
    assert_rejected(
        &mut state,
        Action::RecolorLabel {
            name: "quote".into(),
            color: "blue".into(),
        },
        Rejection::InvalidColor("blue".into()),
    );
    // Same colour, same key: nothing to record.
    let before = state.clone();
    state
        .apply(Action::RecolorLabel {
            name: "claim".into(),
            color: "#56b4e9".into(),
        })
        .unwrap();
    state
        .apply(Action::RebindLabel {
            name: "claim".into(),
            key: "c".into(),
        })
        .unwrap();
    assert_eq!(state, before);
}

#[test]
fn remove_label_takes_its_spans_and_undo_brings_them_back_with_ids_and_notes() {
    let mut state = corpus();
    state
        .apply(Action::SetNote {
            id: "a1".into(),
            note: Some("source?".into()),
        })
        .unwrap();
    state.apply(select("a1")).unwrap();
    round_trip(&mut state, Action::RemoveLabel("claim".into()));
    assert!(state.label("claim").is_none());
    assert_eq!(ids(&state, "a.txt"), ["a2"]);
    assert!(ids(&state, "b.txt").is_empty());
    assert_eq!(state.selected, None);
    assert_eq!(
        state.undo_description().as_deref(),
        Some("remove label claim")
    );
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.labels[0].name, "claim", "back in its place");
    assert_eq!(ids(&state, "b.txt"), ["b1"]);
    assert_eq!(state.selected.as_deref(), Some("a1"));
    assert_eq!(
        state.selected_annotation().unwrap().note.as_deref(),
        Some("source?")
    );
    assert_rejected(
        &mut state,
        Action::RemoveLabel("nope".into()),
        Rejection::UnknownLabel("nope".into()),
    );
}

// ---------------------------------------------------- status and documents

#[test]
fn set_status_round_trip_on_any_document() {
    let mut state = corpus();
    let (a, b) = (sha_of(&state, "a.txt"), sha_of(&state, "b.txt"));
    round_trip(
        &mut state,
        Action::SetStatus {
            sha256: a,
            status: Status::Done,
        },
    );
    assert_eq!(state.undo_description().as_deref(), Some("mark done"));
    // b's status goes on b's stack: Undo with a open does not take it.
    state
        .apply(Action::SetStatus {
            sha256: b.clone(),
            status: Status::InProgress,
        })
        .unwrap();
    assert_eq!(state.undo_description().as_deref(), Some("mark done"));
    open(&mut state, "b.txt");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("mark in progress")
    );
    assert_rejected(
        &mut state,
        Action::SetStatus {
            sha256: "f".repeat(64),
            status: Status::Done,
        },
        Rejection::UnknownDocument,
    );
}

#[test]
fn rename_document_round_trip_and_validation() {
    let mut state = corpus();
    let b = sha_of(&state, "b.txt");
    round_trip(
        &mut state,
        Action::RenameDocument {
            sha256: b.clone(),
            name: " Bravo “notes”.txt ".into(),
        },
    );
    assert_eq!(state.entry(&b).unwrap().doc.name, "Bravo “notes”.txt");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("rename b.txt to Bravo “notes”.txt")
    );
    for bad in ["", "   ", "two\nlines"] {
        assert_rejected(
            &mut state,
            Action::RenameDocument {
                sha256: b.clone(),
                name: bad.into(),
            },
            Rejection::InvalidDocumentName(bad.into()),
        );
    }
}

#[test]
fn remove_document_comes_back_in_place_with_annotations_status_and_history() {
    let mut state = corpus();
    open(&mut state, "b.txt");
    let b = sha_of(&state, "b.txt");
    state.apply(create("quote", 7, 13, "b2")).unwrap();
    state
        .apply(Action::SetStatus {
            sha256: b.clone(),
            status: Status::InProgress,
        })
        .unwrap();
    round_trip(&mut state, Action::RemoveDocument(b.clone()));
    // b was open: its neighbour (c) opened.
    assert_eq!(
        state.open.as_deref(),
        Some(sha_of(&state, "c.txt").as_str())
    );
    assert_eq!(state.undo_description().as_deref(), Some("remove b.txt"));
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.entries[1].doc.sha256(), b);
    assert_eq!(state.entries[1].status, Status::InProgress);
    // Its history came back too.
    open(&mut state, "b.txt");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("mark in progress")
    );
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.undo_description().as_deref(), Some("add quote"));
    state.apply(Action::Undo).unwrap();
    assert_eq!(ids(&state, "b.txt"), ["b1"]);

    assert_rejected(
        &mut state,
        Action::RemoveDocument("f".repeat(64)),
        Rejection::UnknownDocument,
    );
}

#[test]
fn removing_every_document_and_undoing_reopens() {
    let mut state = corpus();
    for name in ["a.txt", "b.txt", "c.txt"] {
        let sha = sha_of(&state, name);
        state.apply(Action::RemoveDocument(sha)).unwrap();
    }
    assert_eq!(state.open, None);
    assert!(state.entries.is_empty());
    state.apply(Action::Undo).unwrap();
    assert_eq!(
        state.open.as_deref(),
        Some(sha_of(&state, "c.txt").as_str())
    );
    state.apply(Action::Undo).unwrap();
    state.apply(Action::Undo).unwrap();
    let names: Vec<&str> = state.entries.iter().map(|e| e.doc.name.as_str()).collect();
    assert_eq!(names, ["a.txt", "b.txt", "c.txt"]);
}

// ------------------------------------------------------------------ import

#[test]
fn import_is_one_step_with_labels_changes_and_new_documents() {
    let mut state = corpus();
    let a = sha_of(&state, "a.txt");
    let new_doc = doc("d.txt", "Delta text");
    let mut mine = ann("a3", "opinion", 21, 23);
    mine.note = Some("imported".into());
    let action = Action::Import {
        labels: vec![
            label("claim", "#000000", "1"),
            label("opinion", "#cc79a7", "4"),
        ],
        changes: vec![
            DocumentChange {
                sha256: a.clone(),
                add: None,
                // a1 kept, a2 relabelled, a3 new, and a repeat of a1 dropped
                annotations: vec![
                    ann("a1", "claim", 0, 5),
                    ann("a2", "claim", 12, 19),
                    mine,
                    ann("a1-again", "claim", 0, 5),
                ],
                status: Some(Status::Done),
            },
            DocumentChange {
                sha256: new_doc.sha256().to_owned(),
                add: Some(new_doc.clone()),
                annotations: vec![ann("d1", "opinion", 0, 5)],
                status: None,
            },
        ],
    };
    round_trip(&mut state, action.clone());
    assert_eq!(ids(&state, "a.txt"), ["a1", "a2", "a3"]);
    assert_eq!(state.entries.len(), 4);
    assert_eq!(state.label("claim").unwrap().color, "#0072b2", "kept ours");
    assert!(state.label("opinion").is_some());
    assert_eq!(
        state.undo_description().as_deref(),
        Some("import into 2 documents")
    );
    // The same import again changes nothing and records nothing.
    let before = state.clone();
    state.apply(action).unwrap();
    assert_eq!(state, before);
}

#[test]
fn import_rejections_change_nothing() {
    let mut state = corpus();
    let a = sha_of(&state, "a.txt");
    let change = |annotations| Action::Import {
        labels: Vec::new(),
        changes: vec![DocumentChange {
            sha256: a.clone(),
            add: None,
            annotations,
            status: None,
        }],
    };
    let len = state.open_entry().unwrap().doc.len();
    assert_rejected(
        &mut state,
        change(vec![ann("x", "opinion", 0, 5)]),
        Rejection::UnknownLabel("opinion".into()),
    );
    assert_rejected(
        &mut state,
        change(vec![ann("x", "claim", 3, 3)]),
        Rejection::EmptyRange,
    );
    assert_rejected(
        &mut state,
        change(vec![ann("x", "claim", 3, len + 2)]),
        Rejection::OutOfRange { end: len + 2, len },
    );
    assert_rejected(
        &mut state,
        change(vec![ann("x", "claim", 0, 5), ann("x", "quote", 0, 5)]),
        Rejection::DuplicateId("x".into()),
    );
    assert_rejected(
        &mut state,
        Action::Import {
            labels: Vec::new(),
            changes: vec![DocumentChange {
                sha256: "f".repeat(64),
                add: None,
                annotations: Vec::new(),
                status: None,
            }],
        },
        Rejection::UnknownDocument,
    );
}

// --------------------------------------------------- what is not recorded

#[test]
fn navigation_and_no_op_edits_record_nothing() {
    let mut state = corpus();
    let fresh = state.clone();
    open(&mut state, "b.txt");
    state.apply(select("b1")).unwrap();
    state.apply(Action::Select(None)).unwrap();
    state
        .apply(Action::AddDocuments(vec![(
            doc("e.txt", "echo"),
            Vec::new(),
        )]))
        .unwrap();
    // Create onto an identical span only selects it.
    state.apply(create("claim", 0, 5, "dup")).unwrap();
    assert_eq!(state.selected.as_deref(), Some("b1"));
    state
        .apply(Action::RelabelSelected("claim".into()))
        .unwrap();
    state
        .apply(Action::SetNote {
            id: "b1".into(),
            note: None,
        })
        .unwrap();
    assert!(!state.can_undo() && !state.can_redo());
    assert_rejected(&mut state, Action::Undo, Rejection::NothingToUndo);
    assert_rejected(&mut state, Action::Redo, Rejection::NothingToRedo);
    assert_eq!(content(&fresh).labels, content(&state).labels);
}

#[test]
fn rejected_edits_leave_the_history_alone() {
    let mut state = corpus();
    state.apply(create("quote", 0, 5, "q")).unwrap();
    state.apply(Action::Undo).unwrap();
    // A rejected edit does not clear the redo side.
    assert_rejected(
        &mut state,
        create("nope", 0, 5, "x"),
        Rejection::UnknownLabel("nope".into()),
    );
    assert_rejected(
        &mut state,
        create("quote", 0, 0, "x"),
        Rejection::EmptyRange,
    );
    assert!(state.can_redo());
    state.apply(Action::Redo).unwrap();
    assert_eq!(state.selected.as_deref(), Some("q"));
}

// ------------------------------------------------------ history semantics

#[test]
fn history_is_per_document_and_survives_switching() {
    let mut state = corpus();
    state.apply(create("quote", 0, 5, "in-a")).unwrap();
    open(&mut state, "b.txt");
    state.apply(create("quote", 7, 13, "in-b")).unwrap();
    open(&mut state, "a.txt");
    // a's last edit, though b was edited since.
    assert_eq!(state.undo_description().as_deref(), Some("add quote"));
    state.apply(Action::Undo).unwrap();
    assert_eq!(ids(&state, "a.txt"), ["a1", "a2"]);
    assert_eq!(ids(&state, "b.txt"), ["b1", "in-b"]);
    assert!(!state.can_undo());
    // b still has its step; a has its redo.
    open(&mut state, "b.txt");
    assert!(state.can_undo() && !state.can_redo());
    open(&mut state, "a.txt");
    state.apply(Action::Redo).unwrap();
    assert_eq!(ids(&state, "a.txt"), ["a1", "in-a", "a2"]);
}

#[test]
fn corpus_steps_interleave_with_the_open_documents_by_age() {
    let mut state = corpus();
    state.apply(create("quote", 0, 5, "first")).unwrap();
    state
        .apply(Action::RecolorLabel {
            name: "quote".into(),
            color: "#000000".into(),
        })
        .unwrap();
    state.apply(create("deadline", 0, 5, "third")).unwrap();
    let order: Vec<String> = (0..3)
        .map(|_| {
            let what = state.undo_description().unwrap();
            state.apply(Action::Undo).unwrap();
            what
        })
        .collect();
    assert_eq!(order, ["add deadline", "recolour label quote", "add quote"]);
    let order: Vec<String> = (0..3)
        .map(|_| {
            let what = state.redo_description().unwrap();
            state.apply(Action::Redo).unwrap();
            what
        })
        .collect();
    assert_eq!(order, ["add quote", "recolour label quote", "add deadline"]);
}

#[test]
fn a_new_edit_clears_only_its_own_redo_side() {
    let mut state = corpus();
    state.apply(create("quote", 0, 5, "q")).unwrap();
    state
        .apply(Action::RecolorLabel {
            name: "quote".into(),
            color: "#000000".into(),
        })
        .unwrap();
    state.apply(Action::Undo).unwrap();
    state.apply(Action::Undo).unwrap();
    // A new edit in a: a's redo goes, the corpus's stays.
    state.apply(create("deadline", 0, 5, "d")).unwrap();
    assert_eq!(
        state.redo_description().as_deref(),
        Some("recolour label quote")
    );
    state.apply(Action::Redo).unwrap();
    assert!(!state.can_redo());
    assert_eq!(ids(&state, "a.txt"), ["a1", "d", "a2"]);
}

#[test]
fn undoing_a_rename_after_later_edits_elsewhere_keeps_them() {
    let mut state = corpus();
    state
        .apply(Action::RenameLabel {
            from: "claim".into(),
            to: "assertion".into(),
        })
        .unwrap();
    open(&mut state, "b.txt");
    state.apply(create("assertion", 7, 13, "later")).unwrap();
    state.apply(select("b1")).unwrap();
    state.apply(Action::DeleteSelected).unwrap();
    // From c, undo the rename: b's later edits stay, under the old name.
    open(&mut state, "c.txt");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("rename label claim to assertion")
    );
    state.apply(Action::Undo).unwrap();
    let b = state.entry(&sha_of(&state, "b.txt")).unwrap();
    assert_eq!(b.annotations.len(), 1);
    assert_eq!(
        (
            b.annotations[0].id.as_str(),
            b.annotations[0].label.as_str()
        ),
        ("later", "claim")
    );
    // b's own steps still undo, under the label's current name.
    open(&mut state, "b.txt");
    assert_eq!(state.undo_description().as_deref(), Some("delete claim"));
    state.apply(Action::Undo).unwrap();
    assert_eq!(ids(&state, "b.txt"), ["b1", "later"]);
    assert!(state
        .entry(&sha_of(&state, "b.txt"))
        .unwrap()
        .annotations
        .iter()
        .all(|a| a.label == "claim"));
    state.apply(Action::Undo).unwrap();
    assert_eq!(ids(&state, "b.txt"), ["b1"]);
    // And redo in reverse: b's steps, then the rename from anywhere.
    state.apply(Action::Redo).unwrap();
    state.apply(Action::Redo).unwrap();
    assert_eq!(ids(&state, "b.txt"), ["later"]);
    state.apply(Action::Redo).unwrap();
    let b = state.entry(&sha_of(&state, "b.txt")).unwrap();
    assert_eq!(b.annotations[0].label, "assertion");
}

#[test]
fn a_corpus_undo_that_would_clobber_another_document_is_blocked() {
    let mut state = corpus();
    state
        .apply(Action::AddLabel(label("opinion", "#cc79a7", "4")))
        .unwrap();
    open(&mut state, "b.txt");
    state.apply(create("opinion", 7, 13, "op")).unwrap();
    open(&mut state, "c.txt");
    let before = state.clone();
    let result = state.apply(Action::Undo);
    let Err(rejection) = result else {
        panic!("undid a label that b uses: {result:?}")
    };
    assert_eq!(state, before);
    assert_eq!(
        rejection.to_string(),
        "cannot undo \"add label opinion\": b.txt has later edits that depend on it; \
         open it and undo those first"
    );
    // Undo there first, then it goes.
    open(&mut state, "b.txt");
    state.apply(Action::Undo).unwrap();
    open(&mut state, "c.txt");
    state.apply(Action::Undo).unwrap();
    assert!(state.label("opinion").is_none());
}

#[test]
fn an_import_cannot_be_undone_past_later_edits_of_its_documents() {
    let mut state = corpus();
    let b = sha_of(&state, "b.txt");
    state
        .apply(Action::Import {
            labels: Vec::new(),
            changes: vec![DocumentChange {
                sha256: b.clone(),
                add: None,
                annotations: vec![ann("b1", "claim", 0, 5), ann("imp", "quote", 7, 13)],
                status: None,
            }],
        })
        .unwrap();
    open(&mut state, "b.txt");
    state.apply(select("imp")).unwrap();
    state.apply(Action::DeleteSelected).unwrap();
    open(&mut state, "a.txt");
    assert!(matches!(
        state.apply(Action::Undo),
        Err(Rejection::UndoBlocked { .. })
    ));
    // In b the delete goes first, then the import.
    open(&mut state, "b.txt");
    state.apply(Action::Undo).unwrap();
    state.apply(Action::Undo).unwrap();
    assert_eq!(ids(&state, "b.txt"), ["b1"]);
}

#[test]
fn a_document_step_cannot_be_redone_past_a_label_removal() {
    let mut state = corpus();
    open(&mut state, "b.txt");
    state.apply(create("deadline", 7, 13, "d")).unwrap();
    state.apply(Action::Undo).unwrap();
    // The label goes (from the corpus stack, a new edit): b's redo of a
    // deadline span has no label to use.
    state.apply(Action::RemoveLabel("deadline".into())).unwrap();
    let before = state.clone();
    // Redo takes the step undone last: b's create.
    let result = state.apply(Action::Redo);
    assert!(
        matches!(result, Err(Rejection::RedoBlocked { .. })),
        "{result:?}"
    );
    assert_eq!(state, before);
    assert_eq!(
        result.unwrap_err().to_string(),
        "cannot redo \"add deadline\": \"remove label deadline\" was done since, \
         and this step depends on what it changed"
    );
    // Undoing the removal makes it the step undone last: Redo takes it.
    state.apply(Action::Undo).unwrap();
    assert_eq!(
        state.redo_description().as_deref(),
        Some("remove label deadline")
    );
}

/// Undoes (in a) a delete of an imported span, then the import.
fn undone_import_and_delete() -> State {
    let mut state = corpus();
    let a = sha_of(&state, "a.txt");
    state
        .apply(Action::Import {
            labels: Vec::new(),
            changes: vec![DocumentChange {
                sha256: a,
                add: None,
                annotations: vec![
                    ann("a1", "claim", 0, 5),
                    ann("a2", "quote", 12, 19),
                    ann("imp", "deadline", 27, 33),
                ],
                status: None,
            }],
        })
        .unwrap();
    state.apply(select("imp")).unwrap();
    state.apply(Action::DeleteSelected).unwrap();
    state.apply(Action::Undo).unwrap();
    state.apply(Action::Undo).unwrap();
    assert_eq!(
        state.redo_description().as_deref(),
        Some("import into 1 document")
    );
    state
}

#[test]
fn undone_steps_that_depend_on_a_discarded_step_are_dropped() {
    // A new corpus edit discards the import's redo: the delete of the
    // imported span can never be redone, so it goes too.
    let mut state = undone_import_and_delete();
    state
        .apply(Action::RecolorLabel {
            name: "quote".into(),
            color: "#000000".into(),
        })
        .unwrap();
    assert!(!state.can_redo());
    assert_rejected(&mut state, Action::Redo, Rejection::NothingToRedo);

    // Also when the new corpus edit takes the document (and its stacks) away.
    let mut state = undone_import_and_delete();
    let a = sha_of(&state, "a.txt");
    state.apply(Action::RemoveDocument(a)).unwrap();
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.redo_description().as_deref(), Some("remove a.txt"));
    state
        .apply(Action::RenameDocument {
            sha256: sha_of(&state, "b.txt"),
            name: "bravo.txt".into(),
        })
        .unwrap();
    assert!(!state.can_redo());

    // A document edit discarding the delete leaves the import's redo alone
    // (it does not depend on the newer delete).
    let mut state = undone_import_and_delete();
    state.apply(create("quote", 0, 5, "new")).unwrap();
    assert_eq!(
        state.redo_description().as_deref(),
        Some("import into 1 document")
    );
}

#[test]
fn another_tabs_save_clears_that_documents_history() {
    let mut state = corpus();
    state.apply(create("quote", 0, 5, "q")).unwrap();
    state.apply(Action::Undo).unwrap();
    state.apply(create("deadline", 0, 5, "d")).unwrap();
    let a = sha_of(&state, "a.txt");
    state
        .apply(Action::ReplaceAnnotations {
            sha256: a,
            annotations: vec![ann("theirs", "claim", 0, 5)],
        })
        .unwrap();
    assert!(!state.can_undo() && !state.can_redo());
    // Other documents keep theirs.
    open(&mut state, "b.txt");
    state.apply(create("quote", 7, 13, "bq")).unwrap();
    open(&mut state, "a.txt");
    assert!(!state.can_undo());
}

#[test]
fn another_tabs_save_drops_corpus_steps_that_changed_that_document() {
    let mut state = corpus();
    let a = sha_of(&state, "a.txt");
    state
        .apply(Action::RecolorLabel {
            name: "claim".into(),
            color: "#111111".into(),
        })
        .unwrap();
    state
        .apply(Action::Import {
            labels: Vec::new(),
            changes: vec![DocumentChange {
                sha256: a.clone(),
                add: None,
                annotations: vec![ann("imp", "quote", 0, 5)],
                status: None,
            }],
        })
        .unwrap();
    state
        .apply(Action::RecolorLabel {
            name: "quote".into(),
            color: "#222222".into(),
        })
        .unwrap();
    state
        .apply(Action::ReplaceAnnotations {
            sha256: a,
            annotations: vec![ann("theirs", "claim", 0, 5)],
        })
        .unwrap();
    // The newer recolour stays undoable; the import and what is older go.
    open(&mut state, "b.txt");
    assert_eq!(
        state.undo_description().as_deref(),
        Some("recolour label quote")
    );
    state.apply(Action::Undo).unwrap();
    assert!(!state.can_undo());
    assert_eq!(state.label("claim").unwrap().color, "#111111");
    assert_eq!(ids(&state, "a.txt"), ["theirs"]);
}

#[test]
fn descriptions_name_labels_as_they_are_called_now() {
    let mut state = corpus();
    state.apply(select("a1")).unwrap();
    state.apply(Action::DeleteSelected).unwrap();
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.redo_description().as_deref(), Some("delete claim"));
    state
        .apply(Action::RenameLabel {
            from: "claim".into(),
            to: "assertion".into(),
        })
        .unwrap();
    assert_eq!(
        state.redo_description().as_deref(),
        Some("delete assertion")
    );
    assert_eq!(
        state.undo_description().as_deref(),
        Some("rename label claim to assertion")
    );
    // Redo then deletes the span under its new name.
    state.apply(Action::Redo).unwrap();
    assert_eq!(ids(&state, "a.txt"), ["a2"]);
    // Undo takes the newer rename first, then the delete.
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.undo_description().as_deref(), Some("delete claim"));
    state.apply(Action::Undo).unwrap();
    assert_eq!(state.selected_annotation().unwrap().label, "claim");
}

#[test]
fn each_stack_keeps_at_least_the_cap_and_stays_bounded() {
    let mut state = corpus();
    let a = sha_of(&state, "a.txt");
    let edits = 2 * STEPS_KEPT + STEPS_KEPT / 2;
    for i in 0..edits {
        let status = if i % 2 == 0 {
            Status::Done
        } else {
            Status::InProgress
        };
        state
            .apply(Action::SetStatus {
                sha256: a.clone(),
                status,
            })
            .unwrap();
    }
    let mut undone = 0;
    while state.apply(Action::Undo).is_ok() {
        undone += 1;
    }
    assert!(
        (STEPS_KEPT..=2 * STEPS_KEPT).contains(&undone),
        "{undone} steps kept"
    );
    let mut redone = 0;
    while state.apply(Action::Redo).is_ok() {
        redone += 1;
    }
    assert_eq!(redone, undone);
    assert_eq!(state.entries[0].status, Status::InProgress);
}

// ------------------------------------------------------- property tests

const TEXTS: [&str; 3] = [
    "  Leading and trailing spaces \t\n",
    "👩\u{200D}👩\u{200D}👧 family\u{a0}and “quotes”\r\n\r\nnext e\u{301} 🇺🇦 👍🏽",
    "plain words, then more words here",
];
const EXTRA_TEXT: &str = "An imported text 👍🏽 with “quotes”.";

const LABEL_NAMES: [&str; 7] = [
    "claim", "quote", "deadline", "opinion", "Claim", "fact", " ",
];
const KEYS: [&str; 6] = ["1", "2", "4", "q", "", "ab"];
const COLORS: [&str; 4] = ["#112233", "#ABCDEF", "red", "#12345"];
const NOTES: [Option<&str>; 3] = [None, Some("why?"), Some("  ")];

#[derive(Debug, Clone)]
enum Step {
    Create {
        label: usize,
        start: usize,
        end: usize,
    },
    TagAll {
        label: usize,
        ranges: Vec<(usize, usize)>,
    },
    SelectNth(usize),
    Relabel(usize),
    Delete,
    Resize {
        nth: usize,
        start: usize,
        end: usize,
    },
    Note {
        nth: usize,
        note: usize,
    },
    AddLabel {
        name: usize,
        color: usize,
        key: usize,
    },
    RenameLabel {
        from: usize,
        to: usize,
    },
    Recolor {
        name: usize,
        color: usize,
    },
    Rebind {
        name: usize,
        key: usize,
    },
    RemoveLabel(usize),
    Status {
        doc: usize,
        status: usize,
    },
    RenameDocument {
        doc: usize,
        name: usize,
    },
    RemoveDocument(usize),
    Open(usize),
    /// Into the open document: its spans plus one, and a status.
    ImportMerge {
        label: usize,
        start: usize,
        end: usize,
    },
    /// A document the corpus lacks, with a span.
    ImportNew,
}

/// Mostly a label that exists at the start, sometimes any name of the pool.
fn label_index() -> impl Strategy<Value = usize> {
    prop_oneof![3 => 0usize..3, 1 => 0..LABEL_NAMES.len()]
}

fn step() -> impl Strategy<Value = Step> {
    let range = || (0usize..36, 0usize..36);
    prop_oneof![
        8 => (label_index(), range())
            .prop_map(|(label, (start, end))| Step::Create { label, start, end }),
        2 => (label_index(), prop::collection::vec(range(), 0..5))
            .prop_map(|(label, ranges)| Step::TagAll { label, ranges }),
        3 => (0usize..20).prop_map(Step::SelectNth),
        2 => label_index().prop_map(Step::Relabel),
        2 => Just(Step::Delete),
        2 => (0usize..20, range())
            .prop_map(|(nth, (start, end))| Step::Resize { nth, start, end }),
        2 => (0usize..20, 0..NOTES.len()).prop_map(|(nth, note)| Step::Note { nth, note }),
        2 => (0..LABEL_NAMES.len(), 0..COLORS.len(), 0..KEYS.len())
            .prop_map(|(name, color, key)| Step::AddLabel { name, color, key }),
        1 => (label_index(), 0..LABEL_NAMES.len())
            .prop_map(|(from, to)| Step::RenameLabel { from, to }),
        1 => (label_index(), 0..COLORS.len())
            .prop_map(|(name, color)| Step::Recolor { name, color }),
        1 => (label_index(), 0..KEYS.len())
            .prop_map(|(name, key)| Step::Rebind { name, key }),
        1 => label_index().prop_map(Step::RemoveLabel),
        1 => (0usize..4, 0usize..3).prop_map(|(doc, status)| Step::Status { doc, status }),
        1 => (0usize..4, 0usize..3).prop_map(|(doc, name)| Step::RenameDocument { doc, name }),
        1 => (0usize..5).prop_map(Step::RemoveDocument),
        3 => (0usize..4).prop_map(Step::Open),
        1 => (label_index(), range())
            .prop_map(|(label, (start, end))| Step::ImportMerge { label, start, end }),
        1 => Just(Step::ImportNew),
    ]
}

fn nth_span(state: &State, n: usize) -> String {
    state
        .open_entry()
        .map(|e| &e.annotations)
        .filter(|list| !list.is_empty())
        .map(|list| list[n % list.len()].id.clone())
        .unwrap_or_else(|| "unknown".to_owned())
}

fn nth_doc(state: &State, n: usize) -> String {
    state
        .entries
        .get(n)
        .map(|e| e.doc.sha256().to_owned())
        .unwrap_or_else(|| "f".repeat(64))
}

fn to_action(state: &State, step: &Step, counter: usize) -> Action {
    let id = |k: usize| format!("id-{counter}-{k}");
    match step.clone() {
        Step::Create { label, start, end } => create(LABEL_NAMES[label], start, end, &id(0)),
        Step::TagAll { label, ranges } => Action::TagAll {
            label: LABEL_NAMES[label].to_owned(),
            ids: (0..ranges.len()).map(id).collect(),
            ranges,
            created_at: T0.to_owned(),
        },
        Step::SelectNth(n) => Action::Select(Some(nth_span(state, n))),
        Step::Relabel(label) => Action::RelabelSelected(LABEL_NAMES[label].to_owned()),
        Step::Delete => Action::DeleteSelected,
        Step::Resize { nth, start, end } => Action::Resize {
            id: nth_span(state, nth),
            start,
            end,
        },
        Step::Note { nth, note } => Action::SetNote {
            id: nth_span(state, nth),
            note: NOTES[note].map(str::to_owned),
        },
        Step::AddLabel { name, color, key } => {
            Action::AddLabel(label(LABEL_NAMES[name], COLORS[color], KEYS[key]))
        }
        Step::RenameLabel { from, to } => Action::RenameLabel {
            from: LABEL_NAMES[from].to_owned(),
            to: LABEL_NAMES[to].to_owned(),
        },
        Step::Recolor { name, color } => Action::RecolorLabel {
            name: LABEL_NAMES[name].to_owned(),
            color: COLORS[color].to_owned(),
        },
        Step::Rebind { name, key } => Action::RebindLabel {
            name: LABEL_NAMES[name].to_owned(),
            key: KEYS[key].to_owned(),
        },
        Step::RemoveLabel(name) => Action::RemoveLabel(LABEL_NAMES[name].to_owned()),
        Step::Status { doc, status } => Action::SetStatus {
            sha256: nth_doc(state, doc),
            status: Status::ALL[status],
        },
        Step::RenameDocument { doc, name } => Action::RenameDocument {
            sha256: nth_doc(state, doc),
            name: ["renamed.txt", "", "a “new” name"][name].to_owned(),
        },
        Step::RemoveDocument(doc) => Action::RemoveDocument(nth_doc(state, doc)),
        Step::Open(doc) => Action::Open(nth_doc(state, doc)),
        Step::ImportMerge {
            label: l,
            start,
            end,
        } => {
            let Some(entry) = state.open_entry() else {
                return Action::Import {
                    labels: Vec::new(),
                    changes: Vec::new(),
                };
            };
            let mut annotations: Vec<Annotation> = entry
                .annotations
                .iter()
                .map(|a| Annotation::clone(a))
                .collect();
            let (start, end) = (start.min(end), start.max(end).min(entry.doc.len()));
            if start < end {
                annotations.push(ann(&id(0), LABEL_NAMES[l], start, end));
            }
            Action::Import {
                labels: vec![label("imported", "#445566", "i")],
                changes: vec![DocumentChange {
                    sha256: entry.doc.sha256().to_owned(),
                    add: None,
                    annotations,
                    status: Some(Status::ALL[counter % 3]),
                }],
            }
        }
        Step::ImportNew => {
            let extra = doc("extra.txt", EXTRA_TEXT);
            Action::Import {
                labels: vec![label("imported", "#445566", "i")],
                changes: vec![DocumentChange {
                    sha256: extra.sha256().to_owned(),
                    add: Some(extra),
                    annotations: vec![ann(&id(0), "imported", 3, 11)],
                    status: None,
                }],
            }
        }
    }
}

fn start_state(ndocs: usize) -> State {
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(
            TEXTS[..ndocs]
                .iter()
                .enumerate()
                .map(|(i, t)| (doc(&format!("{i}.txt"), t), Vec::new()))
                .collect(),
        ))
        .unwrap();
    state
}

fn check_invariants(state: &State) -> Result<(), TestCaseError> {
    let mut all_ids = HashSet::new();
    let names: HashSet<String> = state.labels.iter().map(|l| l.name.to_lowercase()).collect();
    prop_assert_eq!(names.len(), state.labels.len(), "label names not unique");
    let keys: HashSet<&str> = state.labels.iter().map(|l| l.key.as_str()).collect();
    prop_assert_eq!(keys.len(), state.labels.len(), "label keys not unique");
    for entry in &state.entries {
        let list = &entry.annotations;
        prop_assert!(
            list.windows(2)
                .all(|w| w[0].order_key() <= w[1].order_key()),
            "not sorted: {:?}",
            list
        );
        let mut spans = HashSet::new();
        for a in list.iter() {
            prop_assert!(a.start < a.end && a.end <= entry.doc.len(), "range {:?}", a);
            prop_assert!(state.label(&a.label).is_some(), "undeclared label {:?}", a);
            prop_assert!(all_ids.insert(a.id.clone()), "duplicate id {}", a.id);
            prop_assert!(
                spans.insert((a.start, a.end, a.label.clone())),
                "duplicate span {:?}",
                a
            );
        }
    }
    if let Some(id) = &state.selected {
        prop_assert!(
            state
                .open_entry()
                .is_some_and(|e| e.annotations.iter().any(|a| &a.id == id)),
            "selected {} is not in the open document",
            id
        );
    }
    match &state.open {
        Some(sha) => prop_assert!(state.entry(sha).is_some()),
        None => prop_assert!(state.entries.is_empty()),
    }
    Ok(())
}

/// Undoes everything: opens each document in turn and undoes while it can,
/// until no document can undo more. Returns which document was open at
/// each undo.
fn drain_undos(state: &mut State) -> Result<Vec<Option<String>>, TestCaseError> {
    let mut log = Vec::new();
    loop {
        let mut progress = false;
        let shas: Vec<Option<String>> = if state.entries.is_empty() {
            vec![None]
        } else {
            state
                .entries
                .iter()
                .map(|e| Some(e.doc.sha256().to_owned()))
                .collect()
        };
        for sha in shas {
            if let Some(sha) = &sha {
                if state.entry(sha).is_none() {
                    continue;
                }
                state.apply(Action::Open(sha.clone())).unwrap();
            }
            while state.can_undo() {
                let before = state.clone();
                match state.apply(Action::Undo) {
                    Ok(()) => {
                        log.push(before.open.clone());
                        progress = true;
                        check_invariants(state)?;
                    }
                    Err(Rejection::UndoBlocked { .. }) => {
                        prop_assert_eq!(&*state, &before);
                        break;
                    }
                    Err(other) => return Err(TestCaseError::fail(format!("undo: {other}"))),
                }
            }
        }
        if !progress {
            return Ok(log);
        }
    }
}

/// Redoes in the reverse order of `log`, each with the same document open.
fn replay_redos(state: &mut State, log: &[Option<String>]) -> Result<(), TestCaseError> {
    for open in log.iter().rev() {
        if let Some(sha) = open {
            if state.entry(sha).is_some() {
                state.apply(Action::Open(sha.clone())).unwrap();
            }
        }
        let result = state.apply(Action::Redo);
        prop_assert!(result.is_ok(), "redo: {:?}", result);
        check_invariants(state)?;
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any edits, then as many undos as edits recorded (each document
    /// opened in turn to drain its stack) give back the start; as many
    /// redos give back the end.
    #[test]
    fn every_edit_sequence_undoes_to_the_start_and_redoes_to_the_end(
        ndocs in 1usize..=3,
        steps in prop::collection::vec(step(), 0..80),
    ) {
        let mut state = start_state(ndocs);
        let start = content(&state);
        let mut recorded = 0;
        for (counter, step) in steps.iter().enumerate() {
            let action = to_action(&state, step, counter);
            let before = state.clone();
            match state.apply(action.clone()) {
                Err(_) => prop_assert_eq!(&state, &before, "rejected {:?} changed the state", action),
                Ok(()) => {
                    if content(&state) != content(&before) {
                        recorded += 1;
                        // A status goes on its document's stack: look from there.
                        let mut probe = state.clone();
                        if let Action::SetStatus { sha256, .. } = &action {
                            probe.apply(Action::Open(sha256.clone())).unwrap();
                        }
                        prop_assert!(probe.can_undo(), "{:?} was not recorded", action);
                    } else {
                        // Nothing recorded: all but open document and selection as before.
                        let mut expected = before.clone();
                        expected.open.clone_from(&state.open);
                        expected.selected.clone_from(&state.selected);
                        prop_assert_eq!(&state, &expected, "{:?} changed nothing but was recorded", action);
                    }
                }
            }
            check_invariants(&state)?;
        }
        let end = content(&state);
        let log = drain_undos(&mut state)?;
        prop_assert_eq!(log.len(), recorded);
        prop_assert_eq!(&content(&state), &start);
        replay_redos(&mut state, &log)?;
        prop_assert_eq!(&content(&state), &end);
    }

    /// Undo and Redo mixed into the edits, from any document, keep every
    /// invariant; a refused Undo or Redo changes nothing; and in the end
    /// everything still undoes to the start.
    #[test]
    fn undo_and_redo_mixed_with_edits_keep_the_invariants(
        ndocs in 1usize..=3,
        steps in prop::collection::vec(
            prop_oneof![
                6 => step().prop_map(Some),
                2 => Just(None),
            ],
            0..60,
        ),
        redo_bias in prop::collection::vec(any::<bool>(), 60),
    ) {
        let mut state = start_state(ndocs);
        let start = content(&state);
        for (counter, step) in steps.iter().enumerate() {
            let action = match step {
                Some(step) => to_action(&state, step, counter),
                None if redo_bias[counter] => Action::Redo,
                None => Action::Undo,
            };
            let before = state.clone();
            if state.apply(action.clone()).is_err() {
                prop_assert_eq!(&state, &before, "rejected {:?} changed the state", action);
            }
            check_invariants(&state)?;
        }
        drain_undos(&mut state)?;
        prop_assert_eq!(&content(&state), &start);
    }
}

// ------------------------------------------------------------------ speed

/// Edit, undo and redo on a 200 KB document with 2,000 spans, as the shell
/// applies them (to a clone, the previous state alive meanwhile). Checks
/// each round trip and prints the time each action takes in the reducer
/// (`cargo test --release --test history large -- --nocapture`; the figures
/// are reported, never asserted).
#[test]
fn large_document_edit_undo_redo() {
    let line = "Officials said “the deadline is Friday” — 👍🏽 café\u{a0}naïve, ok.\n";
    let mut text = String::new();
    while text.len() < 200_000 {
        text.push_str(line);
    }
    let big = doc("big.txt", &text);
    let per_line = line.chars().count();
    let lines = big.len() / per_line;
    let spans: Vec<Annotation> = (0..2000)
        .map(|i| {
            let at = (i % lines) * per_line + (i / lines) * 8;
            ann(&format!("s{i}"), ["claim", "quote"][i % 2], at, at + 7)
        })
        .collect();
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(vec![(big.clone(), spans)]))
        .unwrap();
    let rounds = 200;
    let mut spent = [std::time::Duration::ZERO; 3];
    let mut timed = |state: &mut State, phase: usize, action: Action| {
        let mut next = state.clone();
        let started = std::time::Instant::now();
        next.apply(action).unwrap();
        spent[phase] += started.elapsed();
        // The previous state is dropped only now, as in the shell.
        *state = next;
    };
    for i in 0..rounds {
        let at = (i * 37 % lines) * per_line + 42;
        // Holding the lists (not copies) to compare keeps allocation out of the figures.
        let before = state.entries[0].annotations.clone();
        timed(
            &mut state,
            0,
            create("deadline", at, at + 6, &format!("n{i}")),
        );
        let after = state.entries[0].annotations.clone();
        assert_eq!(after.len(), before.len() + 1);
        timed(&mut state, 1, Action::Undo);
        assert_eq!(state.entries[0].annotations, before);
        timed(&mut state, 2, Action::Redo);
        assert_eq!(state.entries[0].annotations, after);
    }
    assert_eq!(state.entries[0].annotations.len(), 2000 + rounds);
    let ms = |d: std::time::Duration| d.as_secs_f64() * 1000.0 / rounds as f64;
    eprintln!(
        "{} code points, up to {} spans, ms per action: edit {:.3}, undo {:.3}, redo {:.3}",
        big.len(),
        2000 + rounds,
        ms(spent[0]),
        ms(spent[1]),
        ms(spent[2])
    );
}
