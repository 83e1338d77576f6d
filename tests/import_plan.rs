//! Planning imports: matching documents by SHA-256 and by name, adding new
//! ones, orphans, merge and replace, ids, labels, errors that name where,
//! and the report. Every plan is applied with `Action::Import` and the
//! resulting state checked. The `#[ignore]`d test at the end reports timings
//! (run it with `--release -- --ignored --nocapture`).
#![cfg(not(target_arch = "wasm32"))]

use std::cell::Cell;
use std::rc::Rc;
use std::time::Instant;

use marginalia::formats::interchange::{
    FormatKind, Interchange, InterchangeDocument, InterchangeSpan,
};
use marginalia::import::reanchor::context;
use marginalia::import::{
    plan_import, Anchorer, ImportMode, ImportPlan, Orphan, Placement, SpanAnchor,
};
use marginalia::model::{default_labels, Annotation, Document, Label, Status};
use marginalia::store::{Action, State};
use marginalia::text::OffsetIndex;

const T0: &str = "2026-01-01T00:00:00Z";
const NOW: &str = "2026-11-21T12:00:00Z";

const ARTICLE: &str = "Council votes on budget\r\nThe mayor said the budget would pass by Friday. \
Critics disagreed 👩🏽‍🚀 loudly.\r\n\tThe vote is set for Friday, café\u{a0}time.\r\n";

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

fn state_with(docs: &[(&str, &str, Vec<Annotation>)]) -> State {
    let mut state = State::default();
    state
        .apply(Action::AddDocuments(
            docs.iter()
                .map(|(name, text, anns)| (Rc::new(Document::new(name, text)), anns.clone()))
                .collect(),
        ))
        .unwrap();
    state
}

fn cp_of(text: &str, needle: &str, nth: usize) -> usize {
    let (byte, _) = text.match_indices(needle).nth(nth).expect("needle occurs");
    text[..byte].chars().count()
}

fn len(s: &str) -> usize {
    s.chars().count()
}

/// A span over the `nth` occurrence of `quote` in `text`, described with its
/// quote only (as CSV does).
fn span(id: &str, label: &str, text: &str, quote: &str, nth: usize) -> InterchangeSpan {
    let start = cp_of(text, quote, nth);
    InterchangeSpan {
        id: Some(id.to_owned()),
        label: label.to_owned(),
        start,
        end: start + len(quote),
        quote: None,
        prefix: None,
        suffix: None,
        note: None,
        created_at: Some(T0.to_owned()),
    }
}

fn quoted(s: InterchangeSpan, text: &str) -> InterchangeSpan {
    quoted_with(s, text, &OffsetIndex::new(text))
}

fn quoted_with(mut s: InterchangeSpan, text: &str, index: &OffsetIndex) -> InterchangeSpan {
    let (prefix, suffix) = context(text, index, s.start, s.end);
    s.quote = Some(index.slice(text, s.start, s.end).to_owned());
    s.prefix = Some(prefix.to_owned());
    s.suffix = Some(suffix.to_owned());
    s
}

fn document(
    name: Option<&str>,
    text: Option<&str>,
    sha256: Option<String>,
    spans: Vec<InterchangeSpan>,
) -> InterchangeDocument {
    InterchangeDocument {
        name: name.map(str::to_owned),
        sha256,
        text: text.map(str::to_owned),
        status: None,
        spans,
    }
}

fn file(
    format: FormatKind,
    labels: Vec<Label>,
    documents: Vec<InterchangeDocument>,
) -> Interchange {
    Interchange {
        format,
        labels,
        documents,
    }
}

/// Ids `fresh-1`, `fresh-2`, … and how many were asked for.
struct Ids(Cell<usize>);

impl Ids {
    fn new() -> Self {
        Ids(Cell::new(0))
    }
    fn plan(&self, state: &State, f: &Interchange, mode: ImportMode) -> ImportPlan {
        self.try_plan(state, f, mode).expect("the file plans")
    }
    fn try_plan(
        &self,
        state: &State,
        f: &Interchange,
        mode: ImportMode,
    ) -> Result<ImportPlan, marginalia::formats::interchange::ImportError> {
        let counter = &self.0;
        let mut fresh = || {
            counter.set(counter.get() + 1);
            format!("fresh-{}", counter.get())
        };
        plan_import(state, f, mode, &mut fresh, NOW)
    }
    fn used(&self) -> usize {
        self.0.get()
    }
}

fn apply(state: &mut State, plan: &ImportPlan) {
    state
        .apply(Action::Import {
            labels: plan.labels.clone(),
            changes: plan.changes.clone(),
        })
        .expect("the plan applies");
}

/// `(id, label, text)` of a document's annotations, in order.
fn spans_of(state: &State, sha: &str) -> Vec<(String, String, String)> {
    let entry = state.entry(sha).expect("document present");
    entry
        .annotations
        .iter()
        .map(|a| {
            (
                a.id.clone(),
                a.label.clone(),
                entry.doc.slice(a.start, a.end).to_owned(),
            )
        })
        .collect()
}

fn triple(id: &str, label: &str, text: &str) -> (String, String, String) {
    (id.to_owned(), label.to_owned(), text.to_owned())
}

#[test]
fn matched_by_sha_without_text_places_spans_by_their_quotes() {
    let mut state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let sha = state.entries[0].doc.sha256().to_owned();
    // W3C-like: no text, the hash and quoted spans.
    let f = file(
        FormatKind::W3c,
        vec![],
        vec![document(
            None,
            None,
            Some(sha.to_uppercase()),
            vec![
                quoted(
                    span("a", "claim", ARTICLE, "the budget would pass", 0),
                    ARTICLE,
                ),
                quoted(span("b", "deadline", ARTICLE, "Friday", 1), ARTICLE),
                quoted(span("c", "quote", ARTICLE, "👩🏽‍🚀", 0), ARTICLE),
            ],
        )],
    );
    let ids = Ids::new();
    let plan = ids.plan(&state, &f, ImportMode::Merge);
    let r = &plan.report;
    assert_eq!((r.documents_matched, r.documents_added), (1, 0));
    assert_eq!((r.exact, r.reanchored, r.fuzzy, r.unverified), (3, 0, 0, 0));
    assert!(r.orphans.is_empty() && plan.labels.is_empty());
    apply(&mut state, &plan);
    assert_eq!(
        spans_of(&state, &sha),
        vec![
            triple("a", "claim", "the budget would pass"),
            triple("c", "quote", "👩🏽‍🚀"),
            triple("b", "deadline", "Friday"),
        ]
    );
    assert_eq!(ids.used(), 0);
    let created: Vec<&str> = state.entries[0]
        .annotations
        .iter()
        .map(|a| a.created_at.as_str())
        .collect();
    assert_eq!(created, vec![T0; 3]);
}

#[test]
fn matched_by_name_with_a_changed_text_re_anchors() {
    let mut state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let sha = state.entries[0].doc.sha256().to_owned();
    // The file was made on a version with an extra paragraph and one word changed.
    let theirs = format!(
        "Editor's note: updated 🇫🇷.\r\n\r\n{}",
        ARTICLE.replace("loudly", "proudly")
    );
    let f = file(
        FormatKind::Jsonl,
        vec![],
        vec![document(
            Some("article.txt"),
            Some(&theirs),
            None,
            vec![
                span("a", "claim", &theirs, "the budget would pass", 0),
                span("b", "quote", &theirs, "The vote is set for Friday", 0),
                span("c", "quote", &theirs, "Critics disagreed 👩🏽‍🚀 proudly.", 0),
                span("d", "claim", &theirs, "Editor's note", 0),
            ],
        )],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    let r = &plan.report;
    assert_eq!((r.documents_matched, r.documents_added), (1, 0));
    assert_eq!((r.exact, r.reanchored, r.fuzzy), (0, 2, 1));
    assert_eq!(
        r.orphans,
        vec![Orphan {
            document: "article.txt".into(),
            label: "claim".into(),
            quote: Some("Editor's note".into()),
            start: 0,
            end: 13
        }]
    );
    apply(&mut state, &plan);
    assert_eq!(
        spans_of(&state, &sha),
        vec![
            triple("a", "claim", "the budget would pass"),
            triple("c", "quote", "Critics disagreed 👩🏽‍🚀 loudly."),
            triple("b", "quote", "The vote is set for Friday"),
        ]
    );
}

#[test]
fn a_text_we_lack_adds_a_document_with_its_spans() {
    let mut state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let other = "Second story headline goes right here\nBody text with e\u{301} and 🇫🇷.\n";
    let untitled = "just one line.";
    let f = file(
        FormatKind::LabelStudio,
        vec![],
        vec![
            document(
                Some("second.txt"),
                Some(other),
                None,
                vec![span("x", "claim", other, "Body text", 0)],
            ),
            document(
                None,
                Some(other),
                None,
                vec![span("y", "quote", other, "🇫🇷", 0)],
            ),
            document(None, Some(untitled), None, vec![]),
        ],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    let r = &plan.report;
    // The second file document has the same text: it joins the first.
    assert_eq!((r.documents_added, r.documents_matched), (2, 1));
    assert_eq!(plan.changes.len(), 2);
    assert!(plan.changes.iter().all(|c| c.add.is_some()));
    apply(&mut state, &plan);
    assert_eq!(state.entries.len(), 3);
    let second = &state.entries[1];
    assert_eq!(second.doc.name, "second.txt");
    assert_eq!(second.doc.text(), other);
    assert_eq!(
        spans_of(&state, second.doc.sha256()),
        vec![
            triple("x", "claim", "Body text"),
            triple("y", "quote", "🇫🇷")
        ]
    );
    // Without a name: the place in the file (this text has no headline).
    assert_eq!(state.entries[2].doc.name, "Imported document 3");
}

#[test]
fn a_new_document_without_a_name_takes_its_headline() {
    let state = state_with(&[]);
    let text = "Council approves the new harbour budget today\n\nBody.";
    let f = file(
        FormatKind::Jsonl,
        vec![],
        vec![document(None, Some(text), None, vec![])],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    let added = plan.changes[0].add.as_ref().unwrap();
    assert_eq!(added.name, "Council approves the new harbour budget today");
}

#[test]
fn an_unmatched_document_without_text_gives_orphans_not_an_error() {
    let mut state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let before = state.clone();
    let mut s = span("a", "claim", ARTICLE, "Critics", 0);
    s.quote = Some("Critics".into());
    let bare = span("b", "claim", ARTICLE, "mayor", 0);
    let f = file(
        FormatKind::W3c,
        vec![],
        vec![document(
            Some("elsewhere.txt"),
            None,
            Some("ab".repeat(32)),
            vec![s, bare],
        )],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Replace);
    assert!(plan.changes.is_empty());
    let quotes: Vec<(String, Option<String>)> = plan
        .report
        .orphans
        .iter()
        .map(|o| (o.document.clone(), o.quote.clone()))
        .collect();
    assert_eq!(
        quotes,
        vec![
            ("elsewhere.txt".to_owned(), Some("Critics".to_owned())),
            ("elsewhere.txt".to_owned(), None)
        ]
    );
    assert_eq!(
        plan.report.documents_matched + plan.report.documents_added,
        0
    );
    assert_eq!(plan.report.documents_unmatched, 1);
    assert_eq!(
        plan.report.summary(),
        "1 document found nowhere in the corpus: 0 spans placed exactly, 0 re-anchored, \
         2 orphaned (listed below)."
    );
    apply(&mut state, &plan);
    assert_eq!(state, before);
}

#[test]
fn merge_keeps_current_spans_and_does_not_duplicate() {
    let start = cp_of(ARTICLE, "the budget", 0);
    let mut state = state_with(&[(
        "article.txt",
        ARTICLE,
        vec![ann("mine", "claim", start, start + 10)],
    )]);
    let sha = state.entries[0].doc.sha256().to_owned();
    let f = file(
        FormatKind::Native,
        default_labels(),
        vec![document(
            Some("article.txt"),
            Some(ARTICLE),
            Some(sha.clone()),
            vec![
                span("theirs-1", "claim", ARTICLE, "the budget", 0), // same as mine
                span("theirs-2", "quote", ARTICLE, "the budget", 0), // other label
                span("theirs-3", "deadline", ARTICLE, "Friday", 0),
                span("theirs-4", "deadline", ARTICLE, "Friday", 0), // twice in the file
            ],
        )],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    assert_eq!(plan.report.duplicates_skipped, 2);
    assert_eq!(plan.report.exact, 4);
    apply(&mut state, &plan);
    assert_eq!(
        spans_of(&state, &sha),
        vec![
            triple("mine", "claim", "the budget"),
            triple("theirs-2", "quote", "the budget"),
            triple("theirs-3", "deadline", "Friday"),
        ]
    );
    // Importing the same file again changes nothing at all.
    let again = Ids::new().plan(&state, &f, ImportMode::Merge);
    assert!(again.changes.is_empty());
    assert_eq!(again.report.duplicates_skipped, 4);
    assert!(again
        .report
        .summary()
        .contains("4 spans were already there"));
}

#[test]
fn replace_makes_the_file_the_whole_list() {
    let mut state = state_with(&[
        (
            "article.txt",
            ARTICLE,
            vec![ann("old-1", "claim", 0, 7), ann("old-2", "quote", 8, 13)],
        ),
        ("other.txt", "other text", vec![ann("kept", "claim", 0, 5)]),
    ]);
    let sha = state.entries[0].doc.sha256().to_owned();
    let mut with_status = document(
        Some("article.txt"),
        None,
        Some(sha.clone()),
        vec![
            // The replaced document's own id may be used again.
            span("old-1", "deadline", ARTICLE, "Friday", 1),
            // Another document's id may not.
            span("kept", "claim", ARTICLE, "Critics", 0),
        ],
    );
    with_status.status = Some(Status::Done);
    let f = file(FormatKind::Csv, vec![], vec![with_status]);
    let ids = Ids::new();
    let plan = ids.plan(&state, &f, ImportMode::Replace);
    assert_eq!(plan.report.unverified, 0, "same text: verified by the hash");
    apply(&mut state, &plan);
    assert_eq!(
        spans_of(&state, &sha),
        vec![
            triple("fresh-1", "claim", "Critics"),
            triple("old-1", "deadline", "Friday"),
        ]
    );
    assert_eq!(state.entries[0].status, Status::Done);
    assert_eq!(spans_of(&state, state.entries[1].doc.sha256()).len(), 1);
    assert_eq!(ids.used(), 1);
    // Replacing with an empty list empties it.
    let empty = file(
        FormatKind::Csv,
        vec![],
        vec![document(
            Some("article.txt"),
            None,
            Some(sha.clone()),
            vec![],
        )],
    );
    let plan = Ids::new().plan(&state, &empty, ImportMode::Replace);
    apply(&mut state, &plan);
    assert!(spans_of(&state, &sha).is_empty());
}

#[test]
fn colliding_empty_or_missing_ids_get_fresh_ones() {
    let mut state = state_with(&[
        ("article.txt", ARTICLE, vec![ann("taken", "claim", 0, 7)]),
        (
            "other.txt",
            "other text",
            vec![ann("elsewhere", "claim", 0, 5)],
        ),
    ]);
    let sha = state.entries[0].doc.sha256().to_owned();
    let mut no_id = span("", "quote", ARTICLE, "mayor", 0);
    no_id.id = None;
    let f = file(
        FormatKind::Jsonl,
        vec![],
        vec![document(
            None,
            Some(ARTICLE),
            None,
            vec![
                span("taken", "quote", ARTICLE, "budget", 0),
                span("elsewhere", "quote", ARTICLE, "Critics", 0),
                span("", "quote", ARTICLE, "vote", 0),
                no_id,
                span("new-id", "quote", ARTICLE, "café", 0),
                span("new-id", "claim", ARTICLE, "café", 0), // the file repeats an id
            ],
        )],
    );
    let ids = Ids::new();
    let plan = ids.plan(&state, &f, ImportMode::Merge);
    apply(&mut state, &plan);
    let got = spans_of(&state, &sha);
    assert_eq!(ids.used(), 5);
    let mut all_ids: Vec<&str> = got.iter().map(|(id, _, _)| id.as_str()).collect();
    assert!(all_ids.contains(&"taken") && all_ids.contains(&"new-id"));
    assert_eq!(
        all_ids.iter().filter(|id| id.starts_with("fresh-")).count(),
        5
    );
    all_ids.sort();
    all_ids.dedup();
    assert_eq!(all_ids.len(), 7, "ids are unique: {got:?}");
    // The span with the file's own fresh id kept it and its note-less data.
    let kept = state.entries[0]
        .annotations
        .iter()
        .find(|a| a.id == "new-id")
        .unwrap();
    assert_eq!(kept.label, "quote");
}

#[test]
fn an_undeclared_label_is_an_error_naming_where() {
    let state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let f = file(
        FormatKind::Brat,
        default_labels(),
        vec![document(
            Some("article.txt"),
            Some(ARTICLE),
            None,
            vec![
                span("T1", "claim", ARTICLE, "mayor", 0),
                span("T2", "person", ARTICLE, "Critics", 0),
            ],
        )],
    );
    let ids = Ids::new();
    let err = ids.try_plan(&state, &f, ImportMode::Merge).unwrap_err();
    assert_eq!(err.at, "document 1 (\"article.txt\"), span 2 (id \"T2\")");
    assert_eq!(
        err.problem,
        "label \"person\" is not declared by the file, which declares: claim, quote, deadline"
    );
    assert_eq!(ids.used(), 0);
}

#[test]
fn labels_used_but_not_declared_are_added_with_free_keys_and_colours() {
    let mut state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let sha = state.entries[0].doc.sha256().to_owned();
    let f = file(
        FormatKind::Jsonl,
        vec![],
        vec![document(
            None,
            Some(ARTICLE),
            None,
            vec![
                span("a", "person", ARTICLE, "mayor", 0),
                span("b", "claim", ARTICLE, "budget", 0),
                span("c", "place", ARTICLE, "café", 0),
                span("d", "person", ARTICLE, "Critics", 0),
            ],
        )],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    let names: Vec<&str> = plan.labels.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, vec!["person", "place"]);
    let keys: Vec<&str> = plan.labels.iter().map(|l| l.key.as_str()).collect();
    assert_eq!(keys, vec!["4", "5"]);
    let mut colours: Vec<String> = state.labels.iter().map(|l| l.color.clone()).collect();
    colours.extend(plan.labels.iter().map(|l| l.color.clone()));
    colours.sort();
    colours.dedup();
    assert_eq!(colours.len(), 5, "every label has its own colour");
    assert!(plan
        .report
        .summary()
        .ends_with("; new labels: person, place."));
    apply(&mut state, &plan);
    assert_eq!(state.labels.len(), 5);
    assert_eq!(spans_of(&state, &sha).len(), 4);
}

#[test]
fn declared_labels_keep_usable_keys_and_colours() {
    let state = state_with(&[]);
    let declared = vec![
        Label {
            name: "claim".into(), // already ours: not added
            color: "#123456".into(),
            key: "9".into(),
        },
        Label {
            name: "org".into(),
            color: "#ABCDEF".into(),
            key: "1".into(), // taken by claim
        },
        Label {
            name: "event".into(),
            color: "red".into(), // not #rrggbb
            key: "e".into(),
        },
    ];
    let f = file(FormatKind::Native, declared, vec![]);
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    let got: Vec<(&str, &str, &str)> = plan
        .labels
        .iter()
        .map(|l| (l.name.as_str(), l.color.as_str(), l.key.as_str()))
        .collect();
    assert_eq!(
        got,
        vec![("org", "#ABCDEF", "4"), ("event", "#e69f00", "e")]
    );
}

#[test]
fn broken_spans_are_errors_and_nothing_is_planned() {
    let state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let n = len(ARTICLE);
    let cases: Vec<(InterchangeSpan, &str)> = vec![
        (
            InterchangeSpan {
                end: 3,
                start: 3,
                ..span("s", "claim", ARTICLE, "mayor", 0)
            },
            "end (3) must be greater than start (3)",
        ),
        (
            InterchangeSpan {
                start: n - 2,
                end: n + 5,
                ..span("s", "claim", ARTICLE, "mayor", 0)
            },
            "is past the end of the document's text",
        ),
        (
            InterchangeSpan {
                quote: Some("mayer".into()),
                ..span("s", "claim", ARTICLE, "mayor", 0)
            },
            "the span's text is \"mayer\", but the document's text at",
        ),
        (
            InterchangeSpan {
                label: " ".into(),
                ..span("s", "claim", ARTICLE, "mayor", 0)
            },
            "the span has no label",
        ),
    ];
    for (bad, expected) in cases {
        let f = file(
            FormatKind::Jsonl,
            vec![],
            vec![
                document(Some("fine.txt"), Some("fine"), None, vec![]),
                document(
                    Some("article.txt"),
                    Some(ARTICLE),
                    None,
                    vec![span("ok", "claim", ARTICLE, "mayor", 0), bad],
                ),
            ],
        );
        let ids = Ids::new();
        let err = ids.try_plan(&state, &f, ImportMode::Merge).unwrap_err();
        assert_eq!(err.at, "document 2 (\"article.txt\"), span 2 (id \"s\")");
        assert!(err.problem.contains(expected), "{}", err.problem);
        assert!(err.to_string().contains(expected));
        assert_eq!(ids.used(), 0);
    }
}

#[test]
fn a_name_shared_by_two_documents_matches_neither() {
    let state = state_with(&[
        ("same.txt", "first text", vec![]),
        ("same.txt", "second text", vec![]),
    ]);
    let mut s = span("a", "claim", "first text", "first", 0);
    s.quote = Some("first".into());
    let f = file(
        FormatKind::Csv,
        vec![],
        vec![document(Some("same.txt"), None, None, vec![s])],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    assert_eq!(plan.report.documents_matched, 0);
    assert_eq!(plan.report.orphans.len(), 1);
}

#[test]
fn spans_without_text_or_quote_are_placed_by_position_and_said_so() {
    let mut state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let sha = state.entries[0].doc.sha256().to_owned();
    let f = file(
        FormatKind::Csv,
        vec![],
        vec![document(
            Some("article.txt"),
            None,
            None,
            vec![
                span("a", "claim", ARTICLE, "mayor", 0),
                InterchangeSpan {
                    start: len(ARTICLE),
                    end: len(ARTICLE) + 1,
                    ..span("b", "claim", ARTICLE, "mayor", 0)
                },
            ],
        )],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    assert_eq!((plan.report.exact, plan.report.unverified), (1, 1));
    assert_eq!(plan.report.orphans.len(), 1);
    assert_eq!(
        plan.report.summary(),
        "1 document: 1 span placed exactly (1 by position only: the file gives no text to \
         check), 0 re-anchored, 1 orphaned (listed below)."
    );
    apply(&mut state, &plan);
    assert_eq!(spans_of(&state, &sha), vec![triple("a", "claim", "mayor")]);
}

#[test]
fn notes_and_creation_times_come_from_the_file_or_now() {
    let mut state = state_with(&[]);
    let mut with_note = span("a", "claim", ARTICLE, "mayor", 0);
    with_note.note = Some("check the minutes".into());
    let mut blank = span("b", "claim", ARTICLE, "Critics", 0);
    blank.note = Some("  ".into());
    blank.created_at = None;
    let f = file(
        FormatKind::Native,
        vec![],
        vec![document(
            Some("a.txt"),
            Some(ARTICLE),
            None,
            vec![with_note, blank],
        )],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    apply(&mut state, &plan);
    let list = &state.entries[0].annotations;
    assert_eq!(list[0].note.as_deref(), Some("check the minutes"));
    assert_eq!(list[0].created_at, T0);
    assert_eq!(list[1].note, None);
    assert_eq!(list[1].created_at, NOW);
}

#[test]
fn the_summary_counts_everything() {
    let start = cp_of(ARTICLE, "Critics", 0);
    let state = state_with(&[(
        "article.txt",
        ARTICLE,
        vec![ann("mine", "claim", start, start + 7)],
    )]);
    let theirs = format!("Intro.\n{}", ARTICLE.replace("loudly", "proudly"));
    let new_text = "A brand new text.";
    let mut lost = span("z", "claim", ARTICLE, "mayor", 0);
    lost.quote = Some("mayor".into());
    let f = file(
        FormatKind::Jsonl,
        vec![],
        vec![
            document(
                Some("article.txt"),
                Some(&theirs),
                None,
                vec![
                    span("a", "claim", &theirs, "mayor", 0),
                    span("b", "claim", &theirs, "Intro", 0),
                    span("c", "claim", &theirs, "disagreed 👩🏽‍🚀 proudly", 0),
                    span("d", "claim", &theirs, "Critics", 0),
                ],
            ),
            document(
                Some("new.txt"),
                Some(new_text),
                None,
                vec![span("e", "person", new_text, "brand", 0)],
            ),
            document(Some("gone.txt"), None, None, vec![lost]),
        ],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    let r = &plan.report;
    assert_eq!(
        (
            r.documents_matched,
            r.documents_added,
            r.documents_unmatched
        ),
        (1, 1, 1)
    );
    assert_eq!((r.exact, r.reanchored, r.fuzzy), (1, 2, 1));
    assert_eq!((r.orphans.len(), r.duplicates_skipped), (2, 1));
    assert_eq!(
        r.summary(),
        "2 documents (1 new) and 1 document found nowhere in the corpus: 1 span placed \
         exactly, 2 re-anchored, 1 matched approximately, 2 orphaned (listed below); \
         1 span was already there, not duplicated; new label: person."
    );
}

/// A 1 MB article-like text and 10,000 spans over it, quoted with context.
fn big_corpus() -> (String, Vec<InterchangeSpan>) {
    let words = [
        "the",
        "council",
        "said",
        "budget",
        "café",
        "naïve",
        "Friday",
        "vote",
        "report",
        "👩🏽‍🚀",
        "mayor",
        "critics",
        "harbour",
        "bridge",
        "“quoted”",
        "e\u{301}te\u{301}",
    ];
    let mut text = String::new();
    let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
    let mut next = move || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    let mut word_starts = Vec::new();
    while text.len() < 1_000_000 {
        let sentence = 8 + next() % 12;
        for w in 0..sentence {
            if w > 0 {
                text.push(' ');
            }
            word_starts.push(text.len());
            text.push_str(words[(next() % words.len() as u64) as usize]);
            text.push_str(&(next() % 1000).to_string());
        }
        text.push_str(if next() % 6 == 0 { ".\r\n\r\n" } else { ". " });
    }
    let index = OffsetIndex::new(&text);
    let step = word_starts.len() / 10_000;
    let spans = (0..10_000)
        .map(|i| {
            let b = word_starts[i * step];
            let start = index.cp_of_utf8(&text, b);
            let end = start + 3 + (next() % 25) as usize;
            let s = InterchangeSpan {
                id: Some(format!("span-{i}")),
                label: ["claim", "quote", "deadline"][i % 3].to_owned(),
                start,
                end,
                quote: None,
                prefix: None,
                suffix: None,
                note: None,
                created_at: Some(T0.to_owned()),
            };
            quoted_with(s, &text, &index)
        })
        .collect();
    (text, spans)
}

fn median_ms<T>(mut run: impl FnMut() -> T) -> (f64, T) {
    let mut times = Vec::new();
    let mut last = None;
    for _ in 0..7 {
        let t = Instant::now();
        last = Some(run());
        times.push(t.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(f64::total_cmp);
    (times[times.len() / 2], last.unwrap())
}

#[test]
#[ignore = "timing report: cargo test --release --test import_plan -- --ignored --nocapture"]
fn timings_for_a_1_mb_document_with_10k_spans() {
    let (text, spans) = big_corpus();
    let state = state_with(&[("big.txt", &text, vec![])]);
    let sha = state.entries[0].doc.sha256().to_owned();
    let cases = [
        ("identical text, file carries it", Some(text.clone()), None),
        (
            "identical text, hash and quotes only (W3C)",
            None,
            Some(sha.clone()),
        ),
        (
            "paragraph inserted in the middle, file carries its text",
            Some({
                let cut = text.char_indices().nth(len(&text) / 2).unwrap().0;
                let cut = cut + text[cut..].find("\r\n").unwrap() + 2;
                format!(
                    "{}An inserted paragraph, quite unlike the rest of the text, two lines long.\r\n\r\n{}",
                    &text[..cut],
                    &text[cut..]
                )
            }),
            None,
        ),
        (
            "paragraph inserted at the top, hash and quotes only",
            None,
            Some("0".repeat(64)),
        ),
    ];
    // Re-anchoring alone, with quotes and context: same text, then shifted.
    let index = OffsetIndex::new(&text);
    let anchors: Vec<SpanAnchor> = spans
        .iter()
        .map(|s| SpanAnchor {
            start: s.start,
            end: s.end,
            quote: s.quote.as_deref(),
            prefix: s.prefix.as_deref(),
            suffix: s.suffix.as_deref(),
        })
        .collect();
    let (ms, placed) = median_ms(|| Anchorer::new(&text, &index).place_all(&anchors));
    assert!(placed.iter().all(|p| matches!(p, Placement::Exact { .. })));
    println!("re-anchoring alone, identical text: median {ms:.1} ms");
    let shifted = format!("An inserted paragraph at the top.\r\n\r\n{text}");
    let shifted_index = OffsetIndex::new(&shifted);
    let (ms, placed) = median_ms(|| Anchorer::new(&shifted, &shifted_index).place_all(&anchors));
    assert!(placed
        .iter()
        .all(|p| matches!(p, Placement::Reanchored { .. })));
    println!("re-anchoring alone, paragraph inserted at the top: median {ms:.1} ms");
    // The worst case we expect: most spans' text edited (every 1 became 7).
    let edited = text.replace('1', "7");
    let edited_index = OffsetIndex::new(&edited);
    let (ms, placed) = median_ms(|| Anchorer::new(&edited, &edited_index).place_all(&anchors));
    let fuzzy = placed
        .iter()
        .filter(|p| matches!(p, Placement::Fuzzy { .. }))
        .count();
    let orphans = placed.iter().filter(|p| p.range().is_none()).count();
    println!(
        "re-anchoring alone, every 1 changed to 7: median {ms:.1} ms ({fuzzy} fuzzy, {orphans} orphans)"
    );

    for (what, file_text, file_sha) in cases {
        let mut spans = spans.clone();
        if let Some(t) = &file_text {
            if t != &text {
                // Offsets into the file's text: after the insertion, shifted.
                let inserted_at = t
                    .char_indices()
                    .zip(text.char_indices())
                    .position(|((_, a), (_, b))| a != b)
                    .unwrap();
                let shift = len(t) - len(&text);
                for s in &mut spans {
                    if s.start >= inserted_at {
                        s.start += shift;
                        s.end += shift;
                    }
                    s.quote = None;
                    s.prefix = None;
                    s.suffix = None;
                }
            } else {
                spans.iter_mut().for_each(|s| s.quote = None);
            }
        } else if file_sha.as_deref() != Some(sha.as_str()) {
            // "inserted at the top": the file's offsets are 80 code points on.
            for s in &mut spans {
                s.start += 80;
                s.end += 80;
            }
        }
        let f = file(
            FormatKind::W3c,
            vec![],
            vec![document(
                Some("big.txt"),
                file_text.as_deref(),
                file_sha.clone(),
                spans,
            )],
        );
        let (ms, plan) = median_ms(|| Ids::new().plan(&state, &f, ImportMode::Replace));
        let r = &plan.report;
        assert_eq!(r.exact + r.reanchored + r.fuzzy + r.orphans.len(), 10_000);
        assert!(r.orphans.is_empty(), "{what}: {}", r.summary());
        println!("plan_import, {what}: median {ms:.1} ms — {}", r.summary());
    }
}

#[test]
fn a_new_id_already_in_use_or_given_twice_is_asked_for_again() {
    let mut state = state_with(&[("article.txt", ARTICLE, vec![ann("dup-1", "claim", 0, 7)])]);
    let sha = state.entries[0].doc.sha256().to_owned();
    let no_id = |label: &str, quote: &str| {
        let mut s = span("", label, ARTICLE, quote, 0);
        s.id = None;
        s
    };
    let f = file(
        FormatKind::Jsonl,
        vec![],
        vec![document(
            None,
            Some(ARTICLE),
            None,
            vec![
                no_id("quote", "budget"),
                no_id("quote", "Critics"),
                no_id("quote", "vote"),
                span("dup-3", "claim", ARTICLE, "mayor", 0),
            ],
        )],
    );
    // An id source that repeats itself and gives ids the corpus and the
    // file already use: dup-1 (kept), dup-1, dup-2, dup-2, dup-3 (the
    // file's), then dup-4, dup-5, …
    let asked = Cell::new(0);
    let mut fresh = || {
        asked.set(asked.get() + 1);
        format!(
            "dup-{}",
            [1, 1, 2, 2, 3][..]
                .get(asked.get() - 1)
                .copied()
                .unwrap_or(asked.get() - 1)
        )
    };
    let plan = plan_import(&state, &f, ImportMode::Merge, &mut fresh, NOW).expect("the file plans");
    apply(&mut state, &plan);
    let mut ids: Vec<String> = spans_of(&state, &sha)
        .into_iter()
        .map(|(id, _, _)| id)
        .collect();
    ids.sort();
    let before = ids.len();
    ids.dedup();
    assert_eq!(ids.len(), before, "ids are unique: {ids:?}");
    assert_eq!(before, 5);
    for id in ["dup-1", "dup-2", "dup-3"] {
        assert!(ids.iter().any(|i| i == id), "{id} in {ids:?}");
    }
}

/// A file that gives a text but no hash (brat) under another name still
/// matches the corpus document with that text: the plan hashes the text.
#[test]
fn a_text_without_a_hash_under_another_name_matches_by_its_hash() {
    let mut state = state_with(&[("article.txt", ARTICLE, vec![])]);
    let sha = state.entries[0].doc.sha256().to_owned();
    let f = file(
        FormatKind::Brat,
        vec![],
        vec![document(
            Some("renamed.txt"),
            Some(ARTICLE),
            None,
            vec![span("", "claim", ARTICLE, "budget", 0)],
        )],
    );
    let plan = Ids::new().plan(&state, &f, ImportMode::Merge);
    assert_eq!(
        (plan.report.documents_matched, plan.report.documents_added),
        (1, 0)
    );
    apply(&mut state, &plan);
    assert_eq!(state.entries.len(), 1);
    assert_eq!(spans_of(&state, &sha).len(), 1);
}
