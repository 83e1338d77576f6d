//! `use_corpus_autosave`: keeps everything but annotations in storage as it
//! changes: the label set, the corpus record (list order, names, statuses,
//! removed bundled articles) and the user's texts (IndexedDB).
//!
//! Like annotation saving, writes run just after the paint (each change
//! schedules one check; a check with nothing new writes nothing). Texts are
//! written once, when a document the user brought first appears, and deleted
//! when it is removed (undoing the removal writes it again).

use std::cell::RefCell;
use std::collections::HashSet;
use std::rc::Rc;

use yew::prelude::*;

use crate::dom::schedule::after_next_paint;
use crate::model::Label;
use crate::persist;
use crate::snapshot::{CorpusRecord, DocumentMeta};
use crate::store::Entry;

/// What the shell knows of where documents came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    /// SHA-256 of the bundled articles.
    pub bundled: Rc<HashSet<String>>,
}

#[derive(Default)]
struct Saved {
    labels: Option<Rc<Vec<Label>>>,
    corpus: Option<CorpusRecord>,
    /// User texts the text store holds (or is being given).
    texts: HashSet<String>,
}

/// The corpus record for `entries`.
pub fn corpus_record(entries: &[Entry], provenance: &Provenance) -> CorpusRecord {
    let present: HashSet<&str> = entries.iter().map(|e| e.doc.sha256()).collect();
    let mut removed: Vec<String> = provenance
        .bundled
        .iter()
        .filter(|sha| !present.contains(sha.as_str()))
        .cloned()
        .collect();
    removed.sort();
    CorpusRecord {
        documents: entries
            .iter()
            .map(|e| DocumentMeta {
                sha256: e.doc.sha256().to_owned(),
                name: e.doc.name.clone(),
                status: e.status,
                user_text: !provenance.bundled.contains(e.doc.sha256()),
            })
            .collect(),
        removed,
    }
}

/// Saves labels, the corpus record and user texts whenever they change, once
/// `loaded`; `stored_texts` seeds what the text store already holds.
#[hook]
pub fn use_corpus_autosave(
    loaded: bool,
    labels: Rc<Vec<Label>>,
    entries: &[Entry],
    provenance: Provenance,
    stored_texts: Rc<RefCell<HashSet<String>>>,
    on_outcome: Callback<Option<String>>,
) {
    let saved = use_mut_ref(Saved::default);
    use_effect_with(
        (loaded, labels, entries.to_vec(), provenance),
        move |(loaded, labels, entries, provenance)| {
            if !*loaded {
                return;
            }
            let (labels, entries, provenance) =
                (labels.clone(), entries.clone(), provenance.clone());
            let job = saved.clone();
            after_next_paint(move || {
                let mut saved = job.borrow_mut();
                let mut failure = None;
                if saved
                    .labels
                    .as_ref()
                    .is_none_or(|l| !Rc::ptr_eq(l, &labels))
                {
                    match persist::save_labels(&labels) {
                        Ok(()) => saved.labels = Some(labels),
                        Err(e) => failure = Some(e.to_string()),
                    }
                }
                let record = corpus_record(&entries, &provenance);
                if saved.corpus.as_ref() != Some(&record) {
                    match persist::save_corpus(&record) {
                        Ok(()) => saved.corpus = Some(record),
                        Err(e) => failure = Some(e.to_string()),
                    }
                }
                sync_texts(
                    &mut saved,
                    &entries,
                    &provenance,
                    &stored_texts,
                    &on_outcome,
                );
                if let Some(problem) = failure {
                    on_outcome.emit(Some(problem));
                }
            });
        },
    );
}

/// Starts writing texts that are new and deleting texts that are gone.
fn sync_texts(
    saved: &mut Saved,
    entries: &[Entry],
    provenance: &Provenance,
    stored_texts: &Rc<RefCell<HashSet<String>>>,
    on_outcome: &Callback<Option<String>>,
) {
    if saved.texts.is_empty() {
        saved.texts = stored_texts.borrow().clone();
    }
    let mine: Vec<&Entry> = entries
        .iter()
        .filter(|e| !provenance.bundled.contains(e.doc.sha256()))
        .collect();
    for entry in &mine {
        let sha = entry.doc.sha256().to_owned();
        if saved.texts.insert(sha.clone()) {
            let doc = entry.doc.clone();
            let stored_texts = stored_texts.clone();
            let on_outcome = on_outcome.clone();
            wasm_bindgen_futures::spawn_local(async move {
                match persist::texts::save_text(&doc).await {
                    Ok(()) => {
                        stored_texts.borrow_mut().insert(sha);
                    }
                    Err(e) => on_outcome.emit(Some(e.to_string())),
                }
            });
        }
    }
    let gone: Vec<String> = saved
        .texts
        .iter()
        .filter(|sha| !mine.iter().any(|e| e.doc.sha256() == sha.as_str()))
        .cloned()
        .collect();
    for sha in gone {
        saved.texts.remove(&sha);
        let stored_texts = stored_texts.clone();
        wasm_bindgen_futures::spawn_local(async move {
            if persist::texts::delete_text(&sha).await.is_ok() {
                stored_texts.borrow_mut().remove(&sha);
            }
        });
    }
}
