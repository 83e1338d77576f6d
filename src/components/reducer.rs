//! Yew glue for the pure reducer in [`crate::store`]: applies each action and
//! words what happened for screen readers (and the status bar). A rejected
//! action leaves the state as it was and says why.

use std::rc::Rc;

use yew::Reducible;

use crate::store::{Action, State};

/// Longest excerpt of span text in an announcement, in characters.
const EXCERPT: usize = 60;

#[derive(Debug, Default, PartialEq)]
pub struct AppStore {
    pub state: State,
    /// What the last action did (or why it did nothing), for the live region.
    pub announcement: Option<String>,
}

impl Reducible for AppStore {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut state = self.state.clone();
        // Worded from the state before the action: what it is about to
        // change (a removed label's spans, the step Undo takes) is gone after.
        let before = before_words(&self.state, &action);
        match state.apply(action) {
            Ok(()) => {
                let announcement = after_words(&state, before);
                Rc::new(AppStore {
                    state,
                    announcement,
                })
            }
            Err(rejection) => Rc::new(AppStore {
                state: self.state.clone(),
                announcement: Some(format!("Nothing changed: {rejection}.")),
            }),
        }
    }
}

/// What an action is about to do, as far as the state before it tells.
enum Before {
    Create,
    Relabel,
    /// The label of the span being deleted.
    Delete(Option<String>),
    /// The announcement is known in full before the action.
    Said(String),
    /// Worded from the state after the action.
    Status {
        sha256: String,
    },
    Undo(Option<String>),
    Redo(Option<String>),
    Silent,
}

fn before_words(state: &State, action: &Action) -> Before {
    match action {
        Action::Create { .. } => Before::Create,
        Action::RelabelSelected(_) => Before::Relabel,
        Action::DeleteSelected => {
            Before::Delete(state.selected_annotation().map(|a| a.label.clone()))
        }
        Action::AddLabel(label) => Before::Said(format!(
            "Label ‘{}’ added, on key {}",
            label.name.trim(),
            label.key
        )),
        Action::RenameLabel { from, to } => {
            let spans = usage(state, from).0;
            Before::Said(format!(
                "Label ‘{from}’ renamed to ‘{}’{}",
                to.trim(),
                match spans {
                    0 => String::new(),
                    1 => ", with its 1 span".to_owned(),
                    n => format!(", with its {n} spans"),
                }
            ))
        }
        Action::RecolorLabel { name, color } => {
            Before::Said(format!("Label ‘{name}’ recoloured to {color}"))
        }
        Action::RebindLabel { name, key } => {
            Before::Said(format!("Label ‘{name}’ is now on key {key}"))
        }
        Action::RemoveLabel(name) => {
            let (spans, documents) = usage(state, name);
            Before::Said(match spans {
                0 => format!("Label ‘{name}’ removed. Ctrl+Z brings it back"),
                _ => format!(
                    "Label ‘{name}’ removed with {} in {}. Ctrl+Z brings them back",
                    plural(spans, "span", "spans"),
                    plural(documents, "document", "documents")
                ),
            })
        }
        Action::SetStatus { sha256, .. } => Before::Status {
            sha256: sha256.clone(),
        },
        Action::RenameDocument { sha256, name } => match state.entry(sha256) {
            Some(entry) => {
                Before::Said(format!("‘{}’ renamed to ‘{}’", entry.doc.name, name.trim()))
            }
            None => Before::Silent,
        },
        Action::RemoveDocument(sha256) => match state.entry(sha256) {
            Some(entry) => Before::Said(format!(
                "‘{}’ removed from the corpus{}. Ctrl+Z brings it back",
                entry.doc.name,
                match entry.annotations.len() {
                    0 => String::new(),
                    n => format!(" with {}", plural(n, "span", "spans")),
                }
            )),
            None => Before::Silent,
        },
        Action::Undo => Before::Undo(state.undo_description()),
        Action::Redo => Before::Redo(state.redo_description()),
        _ => Before::Silent,
    }
}

fn after_words(state: &State, before: Before) -> Option<String> {
    match before {
        Before::Create | Before::Relabel => state.selected_annotation().map(|a| {
            let doc = &state.open_entry().expect("selected implies open").doc;
            let verb = if matches!(before, Before::Create) {
                "added"
            } else {
                "is now"
            };
            format!(
                "{} {verb}: “{}”",
                a.label,
                excerpt(doc.slice(a.start, a.end))
            )
        }),
        Before::Delete(label) => label.map(|l| format!("{l} removed")),
        Before::Said(words) => Some(words),
        Before::Status { sha256 } => state.entry(&sha256).map(|e| {
            format!(
                "‘{}’ marked {}",
                e.doc.name,
                e.status.title().to_lowercase()
            )
        }),
        Before::Undo(what) => Some(format!("Undid: {}", what.unwrap_or_default())),
        Before::Redo(what) => Some(format!("Redid: {}", what.unwrap_or_default())),
        Before::Silent => None,
    }
}

/// Whether the store would take `action`, tried on a copy of the state
/// (cheap: lists and history are shared); else the store's reason as a
/// sentence, for a dialog to show beside the field that caused it.
pub fn check(state: &State, action: &Action) -> Result<(), String> {
    state.clone().apply(action.clone()).map_err(|rejection| {
        let text = rejection.to_string();
        let mut chars = text.chars();
        let first: String = chars
            .next()
            .map(|c| c.to_uppercase().collect())
            .unwrap_or_default();
        format!("{first}{}.", chars.as_str())
    })
}

/// How many spans use label `name`, and in how many documents.
pub fn usage(state: &State, name: &str) -> (usize, usize) {
    state
        .entries
        .iter()
        .map(|e| e.annotations.iter().filter(|a| a.label == name).count())
        .filter(|&n| n > 0)
        .fold((0, 0), |(spans, docs), n| (spans + n, docs + 1))
}

/// `1 span`, `3 spans`.
pub fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

pub fn excerpt(text: &str) -> String {
    excerpt_of(text, EXCERPT)
}

/// At most `max` characters of `text`, with an ellipsis when cut.
pub fn excerpt_of(text: &str, max: usize) -> String {
    let mut out: String = text.chars().take(max).collect();
    if text.chars().nth(max).is_some() {
        out.push('…');
    }
    out
}
