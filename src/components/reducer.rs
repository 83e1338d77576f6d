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
        let before = state.selected_annotation().cloned();
        let kind = describe_kind(&action);
        match state.apply(action) {
            Ok(()) => {
                let announcement = match kind {
                    Kind::Create | Kind::Relabel => state.selected_annotation().map(|a| {
                        let doc = &state.open_entry().expect("selected implies open").doc;
                        let verb = if kind == Kind::Create {
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
                    Kind::Delete => before.map(|a| format!("{} removed", a.label)),
                    Kind::Other => None,
                };
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

#[derive(PartialEq, Eq, Clone, Copy)]
enum Kind {
    Create,
    Relabel,
    Delete,
    Other,
}

fn describe_kind(action: &Action) -> Kind {
    match action {
        Action::Create { .. } => Kind::Create,
        Action::RelabelSelected(_) => Kind::Relabel,
        Action::DeleteSelected => Kind::Delete,
        _ => Kind::Other,
    }
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
