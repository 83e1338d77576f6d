//! The reducer: every `Action`, its rejections (which must leave the state
//! exactly as it was), and a property test that random action sequences keep
//! the store's invariants.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashSet;
use std::rc::Rc;

use marginalia::model::{Annotation, Document};
use marginalia::store::{Action, Rejection, State};
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

/// A state with one open document holding `text`.
fn with_text(text: &str) -> State {
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(vec![(doc("a.txt", text), Vec::new())]))
        .unwrap();
    state
}

/// `(id, label, start, end)` of the open document's annotations, in order.
fn spans(state: &State) -> Vec<(String, String, usize, usize)> {
    state
        .open_entry()
        .expect("a document is open")
        .annotations
        .iter()
        .map(|a| (a.id.clone(), a.label.clone(), a.start, a.end))
        .collect()
}

fn sp(id: &str, label: &str, start: usize, end: usize) -> (String, String, usize, usize) {
    (id.to_owned(), label.to_owned(), start, end)
}

/// Applies `action`, expecting `rejection`, and checks nothing changed.
fn assert_rejected(state: &mut State, action: Action, rejection: Rejection) {
    let before = state.clone();
    assert_eq!(state.apply(action), Err(rejection));
    assert_eq!(*state, before, "a rejected action changed the state");
}

// ------------------------------------------------------------ AddDocuments

#[test]
fn add_documents_opens_the_first_and_sorts_annotations() {
    let mut state = State::default();
    assert_eq!(state.open, None);
    let a = doc("a.txt", "alpha beta gamma");
    let b = doc("b.txt", "delta epsilon");
    state
        .apply(Action::AddDocuments(vec![
            (
                a.clone(),
                vec![
                    ann("2", "quote", 6, 10),
                    ann("1", "claim", 0, 5),
                    ann("3", "claim", 6, 10),
                ],
            ),
            (b.clone(), Vec::new()),
        ]))
        .unwrap();
    assert_eq!(state.entries.len(), 2);
    assert_eq!(state.open.as_deref(), Some(a.sha256()));
    assert_eq!(state.selected, None);
    assert_eq!(
        spans(&state),
        [
            sp("1", "claim", 0, 5),
            sp("3", "claim", 6, 10),
            sp("2", "quote", 6, 10)
        ]
    );

    // Adding more does not change which document is open.
    let c = doc("c.txt", "zeta");
    state
        .apply(Action::AddDocuments(vec![(c.clone(), Vec::new())]))
        .unwrap();
    assert_eq!(state.entries.len(), 3);
    assert_eq!(state.open.as_deref(), Some(a.sha256()));
    assert!(state.entry(c.sha256()).is_some());
}

#[test]
fn add_documents_skips_a_duplicate_sha() {
    let mut state = State::default();
    let a = doc("a.txt", "same text");
    let copy = doc("copy-of-a.txt", "same text");
    assert_eq!(a.sha256(), copy.sha256());
    state
        .apply(Action::AddDocuments(vec![
            (a.clone(), vec![ann("1", "claim", 0, 4)]),
            (copy.clone(), vec![ann("2", "quote", 5, 9)]),
        ]))
        .unwrap();
    assert_eq!(state.entries.len(), 1, "duplicate in the same batch");
    assert_eq!(state.entries[0].doc.name, "a.txt");
    assert_eq!(spans(&state), [sp("1", "claim", 0, 4)]);

    let before = state.clone();
    state
        .apply(Action::AddDocuments(vec![(
            copy,
            vec![ann("3", "claim", 0, 9)],
        )]))
        .unwrap();
    assert_eq!(state, before, "duplicate in a later batch");
}

#[test]
fn add_no_documents_opens_nothing() {
    let mut state = State::default();
    state.apply(Action::AddDocuments(Vec::new())).unwrap();
    assert_eq!(state, State::default());
}

// -------------------------------------------------------------------- Open

#[test]
fn open_switches_document_and_clears_selection() {
    let mut state = State::default();
    let a = doc("a.txt", "first document");
    let b = doc("b.txt", "second document");
    state
        .apply(Action::AddDocuments(vec![
            (a.clone(), Vec::new()),
            (b.clone(), Vec::new()),
        ]))
        .unwrap();
    state.apply(create("claim", 0, 5, "x")).unwrap();
    assert_eq!(state.selected.as_deref(), Some("x"));

    // Re-opening the open document keeps the selection.
    state.apply(Action::Open(a.sha256().to_owned())).unwrap();
    assert_eq!(state.selected.as_deref(), Some("x"));

    state.apply(Action::Open(b.sha256().to_owned())).unwrap();
    assert_eq!(state.open.as_deref(), Some(b.sha256()));
    assert_eq!(state.selected, None);
    assert!(spans(&state).is_empty());
    // The other document keeps its span.
    assert_eq!(state.entry(a.sha256()).unwrap().annotations.len(), 1);
}

#[test]
fn open_unknown_is_rejected() {
    let mut state = with_text("some text");
    state.apply(create("claim", 0, 4, "x")).unwrap();
    assert_rejected(
        &mut state,
        Action::Open("0".repeat(64)),
        Rejection::UnknownDocument,
    );
    let mut empty = State::default();
    assert_rejected(
        &mut empty,
        Action::Open("abc".to_owned()),
        Rejection::UnknownDocument,
    );
}

// ------------------------------------------------------------------ Create

#[test]
fn create_trims_whitespace_and_selects_the_new_span() {
    // "  claim \t\n" then "👍🏽\u{a0}" ...
    let text = "Say  hello world\t\n and 👍🏽\u{a0}!";
    let mut state = with_text(text);
    state.apply(create("claim", 3, 11, "h")).unwrap();
    assert_eq!(spans(&state), [sp("h", "claim", 5, 10)]);
    assert_eq!(state.selected.as_deref(), Some("h"));
    let entry = state.open_entry().unwrap();
    assert_eq!(entry.doc.slice(5, 10), "hello");

    // NBSP and newlines are trimmed too; offsets are code points.
    // S a y _ _ h e l l o _ w o r l d \t \n _ a n d _ 👍 🏽 NBSP !
    state.apply(create("quote", 15, 26, "e")).unwrap();
    let e = state.selected_annotation().unwrap();
    assert_eq!((e.start, e.end), (15, 25));
    assert_eq!(
        state.open_entry().unwrap().doc.slice(15, 25),
        "d\t\n and 👍🏽"
    );
    assert_eq!(state.selected.as_deref(), Some("e"));
    assert_eq!(e.created_at, T0);
}

#[test]
fn create_rejects_empty_and_whitespace_only_ranges() {
    let mut state = with_text("a  \t\n\u{a0} b");
    assert_rejected(
        &mut state,
        create("claim", 1, 6, "x"),
        Rejection::EmptyRange,
    );
    assert_rejected(
        &mut state,
        create("claim", 3, 3, "x"),
        Rejection::EmptyRange,
    );
    assert_rejected(
        &mut state,
        create("claim", 4, 2, "x"),
        Rejection::EmptyRange,
    );
}

#[test]
fn create_rejects_out_of_range() {
    let mut state = with_text("short 👍🏽");
    // 8 code points (10 UTF-16 units: an end in UTF-16 would be wrong here)
    assert_eq!(state.open_entry().unwrap().doc.len(), 8);
    state.apply(create("claim", 6, 8, "ok")).unwrap();
    assert_rejected(
        &mut state,
        create("claim", 0, 9, "x"),
        Rejection::OutOfRange { end: 9, len: 8 },
    );
    assert_rejected(
        &mut state,
        create("claim", 20, 30, "x"),
        Rejection::OutOfRange { end: 30, len: 8 },
    );
}

#[test]
fn create_rejects_unknown_label_and_no_open_document() {
    let mut state = with_text("some text");
    assert_rejected(
        &mut state,
        create("opinion", 0, 4, "x"),
        Rejection::UnknownLabel("opinion".to_owned()),
    );
    let mut empty = State::default();
    assert_rejected(
        &mut empty,
        create("claim", 0, 4, "x"),
        Rejection::NoOpenDocument,
    );
}

#[test]
fn create_dedups_an_identical_span_and_selects_it() {
    let mut state = with_text("one two three");
    state.apply(create("claim", 4, 7, "first")).unwrap();
    state.apply(create("quote", 0, 3, "other")).unwrap();
    assert_eq!(state.selected.as_deref(), Some("other"));
    // Same label and range once trimmed: no new span, the old one is selected.
    state.apply(create("claim", 3, 8, "second")).unwrap();
    assert_eq!(
        spans(&state),
        [sp("other", "quote", 0, 3), sp("first", "claim", 4, 7)]
    );
    assert_eq!(state.selected.as_deref(), Some("first"));
    // Same range, another label: a second span.
    state.apply(create("quote", 4, 7, "third")).unwrap();
    assert_eq!(
        spans(&state),
        [
            sp("other", "quote", 0, 3),
            sp("first", "claim", 4, 7),
            sp("third", "quote", 4, 7)
        ]
    );
}

#[test]
fn create_keeps_annotations_sorted() {
    let mut state = with_text("abcdefghijklmnopqrstuvwxyz");
    for (i, (s, e)) in [(10, 12), (2, 20), (2, 5), (0, 26), (10, 11), (2, 5)]
        .into_iter()
        .enumerate()
    {
        let label = if i % 2 == 0 { "quote" } else { "claim" };
        state.apply(create(label, s, e, &format!("id{i}"))).unwrap();
        assert_eq!(state.selected.as_deref(), Some(format!("id{i}").as_str()));
    }
    let got: Vec<(usize, usize, String)> = spans(&state)
        .into_iter()
        .map(|(_, l, s, e)| (s, e, l))
        .collect();
    assert_eq!(
        got,
        [
            (0, 26, "claim".to_owned()),
            (2, 5, "claim".to_owned()),
            (2, 5, "quote".to_owned()),
            (2, 20, "claim".to_owned()),
            (10, 11, "quote".to_owned()),
            (10, 12, "quote".to_owned()),
        ]
    );
}

// ------------------------------------------------------------------ Select

#[test]
fn select_existing_none_and_unknown() {
    let mut state = with_text("one two three");
    state.apply(create("claim", 0, 3, "a")).unwrap();
    state.apply(create("claim", 4, 7, "b")).unwrap();
    state.apply(Action::Select(Some("a".to_owned()))).unwrap();
    assert_eq!(
        state.selected_annotation().map(|a| a.id.as_str()),
        Some("a")
    );
    state.apply(Action::Select(None)).unwrap();
    assert_eq!(state.selected, None);
    assert_rejected(
        &mut state,
        Action::Select(Some("zzz".to_owned())),
        Rejection::NothingSelected,
    );
    state.apply(Action::Select(Some("b".to_owned()))).unwrap();
    assert_rejected(
        &mut state,
        Action::Select(Some("zzz".to_owned())),
        Rejection::NothingSelected,
    );
    assert_eq!(state.selected.as_deref(), Some("b"));

    let mut empty = State::default();
    assert_rejected(
        &mut empty,
        Action::Select(Some("a".to_owned())),
        Rejection::NoOpenDocument,
    );
    empty.apply(Action::Select(None)).unwrap();
}

#[test]
fn select_cannot_reach_another_documents_span() {
    let mut state = State::default();
    let a = doc("a.txt", "first document");
    let b = doc("b.txt", "second document");
    state
        .apply(Action::AddDocuments(vec![
            (a, Vec::new()),
            (b.clone(), vec![ann("in-b", "claim", 0, 6)]),
        ]))
        .unwrap();
    assert_rejected(
        &mut state,
        Action::Select(Some("in-b".to_owned())),
        Rejection::NothingSelected,
    );
    state.apply(Action::Open(b.sha256().to_owned())).unwrap();
    state
        .apply(Action::Select(Some("in-b".to_owned())))
        .unwrap();
}

// --------------------------------------------------------- RelabelSelected

#[test]
fn relabel_changes_the_label_and_keeps_order_and_selection() {
    let mut state = with_text("one two three");
    state.apply(create("quote", 4, 7, "q")).unwrap();
    state.apply(create("deadline", 4, 7, "d")).unwrap();
    assert_eq!(
        spans(&state),
        [sp("d", "deadline", 4, 7), sp("q", "quote", 4, 7)]
    );
    state.apply(Action::Select(Some("q".to_owned()))).unwrap();
    state
        .apply(Action::RelabelSelected("claim".to_owned()))
        .unwrap();
    // claim < deadline: the relabelled span moves to keep the order.
    assert_eq!(
        spans(&state),
        [sp("q", "claim", 4, 7), sp("d", "deadline", 4, 7)]
    );
    assert_eq!(state.selected.as_deref(), Some("q"));
    // Same label again: nothing changes.
    let before = state.clone();
    state
        .apply(Action::RelabelSelected("claim".to_owned()))
        .unwrap();
    assert_eq!(state, before);
}

#[test]
fn relabel_onto_an_identical_span_merges() {
    let mut state = with_text("one two three");
    state.apply(create("claim", 4, 7, "c")).unwrap();
    state.apply(create("quote", 4, 7, "q")).unwrap();
    state.apply(create("quote", 0, 3, "other")).unwrap();
    state.apply(Action::Select(Some("q".to_owned()))).unwrap();
    state
        .apply(Action::RelabelSelected("claim".to_owned()))
        .unwrap();
    assert_eq!(
        spans(&state),
        [sp("other", "quote", 0, 3), sp("c", "claim", 4, 7)]
    );
    assert_eq!(state.selected.as_deref(), Some("c"));
}

#[test]
fn relabel_rejections() {
    let mut state = with_text("one two three");
    state.apply(create("claim", 0, 3, "a")).unwrap();
    assert_rejected(
        &mut state,
        Action::RelabelSelected("nope".to_owned()),
        Rejection::UnknownLabel("nope".to_owned()),
    );
    state.apply(Action::Select(None)).unwrap();
    assert_rejected(
        &mut state,
        Action::RelabelSelected("quote".to_owned()),
        Rejection::NothingSelected,
    );
    let mut empty = State::default();
    assert_rejected(
        &mut empty,
        Action::RelabelSelected("quote".to_owned()),
        Rejection::NothingSelected,
    );
}

// ----------------------------------------------------------- DeleteSelected

#[test]
fn delete_removes_the_selected_span() {
    let mut state = with_text("one two three");
    state.apply(create("claim", 0, 3, "a")).unwrap();
    state.apply(create("claim", 4, 7, "b")).unwrap();
    state.apply(create("quote", 8, 13, "c")).unwrap();
    state.apply(Action::Select(Some("b".to_owned()))).unwrap();
    state.apply(Action::DeleteSelected).unwrap();
    assert_eq!(
        spans(&state),
        [sp("a", "claim", 0, 3), sp("c", "quote", 8, 13)]
    );
    assert_eq!(state.selected, None);
    assert_rejected(
        &mut state,
        Action::DeleteSelected,
        Rejection::NothingSelected,
    );
}

#[test]
fn edits_clone_only_the_changed_list() {
    let mut state = State::default();
    let a = doc("a.txt", "first document");
    let b = doc("b.txt", "second document");
    state
        .apply(Action::AddDocuments(vec![
            (a, Vec::new()),
            (b.clone(), Vec::new()),
        ]))
        .unwrap();
    let before = state.clone();
    state.apply(create("claim", 0, 5, "x")).unwrap();
    assert!(!Rc::ptr_eq(
        &before.entries[0].annotations,
        &state.entries[0].annotations
    ));
    assert!(Rc::ptr_eq(
        &before.entries[1].annotations,
        &state.entries[1].annotations
    ));
}

// --------------------------------------------------------- property test

const TEXTS: [&str; 3] = [
    "  Leading and trailing spaces \t\n",
    "👩\u{200D}👩\u{200D}👧 family\u{a0}and “quotes”\r\n\r\nnext e\u{301} 🇺🇦 👍🏽",
    "\n\n \u{a0}\t",
];

#[derive(Debug, Clone)]
enum Step {
    Create {
        label: usize,
        start: usize,
        end: usize,
    },
    /// Select the n-th span of the open document (modulo), or an unknown id.
    SelectNth(usize),
    SelectUnknown,
    SelectNone,
    Relabel(usize),
    Delete,
    /// Open the n-th document (modulo), or an unknown one when n is large.
    Open(usize),
    /// Another tab saved every other span of the open document, in reverse.
    ReplaceWithEveryOther,
}

const LABELS: [&str; 4] = ["claim", "quote", "deadline", "bogus"];

fn step() -> impl Strategy<Value = Step> {
    prop_oneof![
        6 => (0..LABELS.len(), 0usize..60, 0usize..60)
            .prop_map(|(label, start, end)| Step::Create { label, start, end }),
        3 => (0usize..20).prop_map(Step::SelectNth),
        1 => Just(Step::SelectUnknown),
        1 => Just(Step::SelectNone),
        2 => (0..LABELS.len()).prop_map(Step::Relabel),
        2 => Just(Step::Delete),
        1 => (0usize..4).prop_map(Step::Open),
        1 => Just(Step::ReplaceWithEveryOther),
    ]
}

fn to_action(state: &State, step: &Step, counter: usize) -> Action {
    match *step {
        Step::Create { label, start, end } => {
            create(LABELS[label], start, end, &format!("id-{counter}"))
        }
        Step::SelectNth(n) => {
            let id = state
                .open_entry()
                .map(|e| &e.annotations)
                .filter(|list| !list.is_empty())
                .map(|list| list[n % list.len()].id.clone())
                .unwrap_or_else(|| "unknown".to_owned());
            Action::Select(Some(id))
        }
        Step::SelectUnknown => Action::Select(Some("unknown".to_owned())),
        Step::SelectNone => Action::Select(None),
        Step::Relabel(label) => Action::RelabelSelected(LABELS[label].to_owned()),
        Step::Delete => Action::DeleteSelected,
        Step::Open(n) => match state.entries.get(n) {
            Some(e) => Action::Open(e.doc.sha256().to_owned()),
            None => Action::Open("f".repeat(64)),
        },
        Step::ReplaceWithEveryOther => match state.open_entry() {
            Some(e) => Action::ReplaceAnnotations {
                sha256: e.doc.sha256().to_owned(),
                annotations: e
                    .annotations
                    .iter()
                    .rev()
                    .step_by(2)
                    .map(|a| Annotation::clone(a))
                    .collect(),
            },
            None => Action::ReplaceAnnotations {
                sha256: "f".repeat(64),
                annotations: Vec::new(),
            },
        },
    }
}

fn check_invariants(state: &State) -> Result<(), TestCaseError> {
    let mut all_ids = HashSet::new();
    for entry in &state.entries {
        let list = &entry.annotations;
        prop_assert!(
            list.windows(2)
                .all(|w| w[0].order_key() <= w[1].order_key()),
            "not sorted: {:?}",
            list
        );
        let chars: Vec<char> = entry.doc.text().chars().collect();
        for a in list.iter() {
            prop_assert!(a.start < a.end && a.end <= entry.doc.len(), "range {:?}", a);
            prop_assert!(
                !chars[a.start].is_whitespace(),
                "leading whitespace in {:?}",
                a
            );
            prop_assert!(
                !chars[a.end - 1].is_whitespace(),
                "trailing whitespace in {:?}",
                a
            );
            prop_assert!(state.label(&a.label).is_some(), "undeclared label {:?}", a);
            prop_assert!(all_ids.insert(a.id.clone()), "duplicate id {}", a.id);
        }
        // no two spans with the same label and range
        let mut keys = HashSet::new();
        for a in list.iter() {
            prop_assert!(
                keys.insert((a.start, a.end, a.label.clone())),
                "duplicate span {:?}",
                a
            );
        }
    }
    if let Some(id) = &state.selected {
        let open = state.open_entry();
        prop_assert!(open.is_some(), "selection without an open document");
        prop_assert!(
            open.unwrap().annotations.iter().any(|a| &a.id == id),
            "selected {} is not in the open document",
            id
        );
    }
    if let Some(sha) = &state.open {
        prop_assert!(state.entry(sha).is_some());
    }
    Ok(())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn random_actions_keep_the_invariants(
        ndocs in 0usize..=3,
        steps in prop::collection::vec(step(), 0..60),
    ) {
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
        check_invariants(&state)?;
        for (counter, step) in steps.iter().enumerate() {
            let action = to_action(&state, step, counter);
            let before = state.clone();
            let result = state.apply(action.clone());
            match &result {
                Err(_) => prop_assert_eq!(&state, &before, "rejected {:?} changed the state", action),
                Ok(()) => {
                    if let Action::Create { id, .. } = &action {
                        let count = |s: &State| s.open_entry().map_or(0, |e| e.annotations.len());
                        let grew = count(&state) == count(&before) + 1;
                        let selected = state.selected.clone().unwrap();
                        // Either the new span, or the identical one that existed.
                        prop_assert!(
                            (grew && &selected == id) || (!grew && &selected != id),
                            "create {:?}: grew {}, selected {}",
                            action,
                            grew,
                            selected
                        );
                    }
                }
            }
            check_invariants(&state)?;
        }
    }
}

// ------------------------------------------------------- ReplaceAnnotations

#[test]
fn replace_annotations_takes_another_tabs_list_sorted_and_keeps_a_surviving_selection() {
    let mut state = with_text("one two three four");
    state.apply(create("claim", 0, 3, "a")).unwrap();
    let sha = state.open.clone().unwrap();
    let theirs = vec![
        Annotation {
            id: "z".into(),
            label: "quote".into(),
            start: 8,
            end: 13,
            created_at: "2026-11-21T10:00:00.000Z".into(),
            note: None,
        },
        Annotation {
            id: "a".into(),
            label: "claim".into(),
            start: 0,
            end: 3,
            created_at: "2026-11-21T10:00:00.000Z".into(),
            note: None,
        },
    ];
    state
        .apply(Action::ReplaceAnnotations {
            sha256: sha.clone(),
            annotations: theirs,
        })
        .unwrap();
    let entry = state.open_entry().unwrap();
    let ids: Vec<&str> = entry.annotations.iter().map(|a| a.id.as_str()).collect();
    assert_eq!(ids, ["a", "z"], "sorted by start");
    assert_eq!(
        state.selected.as_deref(),
        Some("a"),
        "the selected span survived"
    );

    // A list without the selected span clears the selection.
    state
        .apply(Action::ReplaceAnnotations {
            sha256: sha,
            annotations: Vec::new(),
        })
        .unwrap();
    assert!(state.open_entry().unwrap().annotations.is_empty());
    assert_eq!(state.selected, None);
}

#[test]
fn replace_annotations_of_an_unknown_document_changes_nothing() {
    let mut state = with_text("one two");
    assert_rejected(
        &mut state,
        Action::ReplaceAnnotations {
            sha256: "f".repeat(64),
            annotations: Vec::new(),
        },
        Rejection::UnknownDocument,
    );
}
