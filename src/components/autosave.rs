//! `use_autosave`: writes every change to browser storage as it happens.
//!
//! Only documents whose annotation list changed are written (a different
//! `Rc` than the one last written). The write runs just after the change is
//! painted (`dom::schedule::after_next_paint`, coalescing changes made
//! before it) so that serialising a large document never delays the paint,
//! and at once when the page is hidden or unloaded. A failed write leaves the
//! document marked unsaved; it is retried with the next change.

use std::cell::RefCell;
use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use crate::dom::schedule::after_next_paint;
use crate::persist;
use crate::store::{Entry, Spans};

#[derive(Default)]
struct Saver {
    /// What storage holds per document (SHA-256), as the list last written.
    saved: HashMap<String, Rc<Spans>>,
    /// The corpus as last rendered.
    latest: Vec<Entry>,
    /// A write is scheduled.
    pending: bool,
    /// The first flush has seen the corpus as loaded; documents that appear
    /// later (opened or imported) are new to storage.
    seeded: bool,
}

impl Saver {
    /// Writes what changed. `Some(outcome)` when anything was written:
    /// `None` inside when every write succeeded, else the last error.
    fn flush(&mut self, must_write: &RefCell<HashSet<String>>) -> Option<Option<String>> {
        self.pending = false;
        let mut must_write = must_write.borrow_mut();
        let (mut wrote, mut failure) = (false, None);
        for entry in &self.latest {
            let sha = entry.doc.sha256();
            let changed = match self.saved.get(sha) {
                Some(previous) => !Rc::ptr_eq(previous, &entry.annotations),
                None if self.seeded => !entry.annotations.is_empty() || must_write.contains(sha),
                None => must_write.contains(sha),
            };
            if !changed {
                self.saved
                    .entry(sha.to_owned())
                    .or_insert_with(|| entry.annotations.clone());
                continue;
            }
            wrote = true;
            match persist::save_annotations(&entry.doc, &entry.annotations) {
                Ok(()) => {
                    self.saved.insert(sha.to_owned(), entry.annotations.clone());
                    must_write.remove(sha);
                }
                Err(e) => failure = Some(e.to_string()),
            }
        }
        self.seeded |= !self.latest.is_empty();
        wrote.then_some(failure)
    }
}

/// Keeps storage equal to `entries`. `must_write` names documents whose
/// annotations did not come from storage (so they are written even before
/// their first edit); `on_outcome` hears whether writing works.
#[hook]
pub fn use_autosave(
    entries: &[Entry],
    must_write: Rc<RefCell<HashSet<String>>>,
    on_outcome: Callback<Option<String>>,
) {
    let saver = use_mut_ref(Saver::default);
    {
        let saver = saver.clone();
        let must_write = must_write.clone();
        let on_outcome = on_outcome.clone();
        use_effect_with(entries.to_vec(), move |entries| {
            let mut state = saver.borrow_mut();
            state.latest = entries.clone();
            if !state.pending {
                state.pending = true;
                let saver = saver.clone();
                after_next_paint(move || {
                    let outcome = saver.borrow_mut().flush(&must_write);
                    if let Some(outcome) = outcome {
                        on_outcome.emit(outcome);
                    }
                });
            }
        });
    }
    use_effect_with((), move |_| {
        let hide = {
            let (saver, must_write) = (saver.clone(), must_write.clone());
            EventListener::new(&gloo::utils::window(), "pagehide", move |_| {
                // Best effort: the page is going away, there is no one to tell.
                let _ = saver.borrow_mut().flush(&must_write);
            })
        };
        // A hidden tab gets no frames and may be discarded: write now.
        let hidden = EventListener::new(&gloo::utils::document(), "visibilitychange", move |_| {
            if gloo::utils::document().hidden() {
                let _ = saver.borrow_mut().flush(&must_write);
            }
        });
        move || drop((hide, hidden))
    });
}
