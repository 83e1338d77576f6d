//! The only module that touches browser storage: `localStorage` here, and
//! IndexedDB for user texts in [`texts`].
//!
//! Every failure is reported, never fatal: when storage is missing (private
//! mode, disabled) or full, the app keeps working in memory and says so. A
//! stored record that cannot be read is copied aside under an `unreadable/`
//! key before anything could overwrite it, so nothing stored is ever lost.

pub mod texts;

use std::borrow::Borrow;

use wasm_bindgen::{JsCast, JsValue};

use crate::model::{Annotation, Document, Label};
use crate::snapshot::CorpusRecord;
use crate::snapshot::{self, Session};

/// Why storage did not work, in words for the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StorageError(pub String);

impl std::fmt::Display for StorageError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

/// What was found for a document.
pub enum Stored {
    Nothing,
    Annotations(Vec<Annotation>),
    /// The record exists but cannot be used; it has been kept aside.
    Unreadable(String),
}

fn storage() -> Result<web_sys::Storage, StorageError> {
    let window = web_sys::window().ok_or_else(|| StorageError("no browser window".into()))?;
    match window.local_storage() {
        Ok(Some(storage)) => Ok(storage),
        Ok(None) => Err(StorageError("this browser offers no local storage".into())),
        Err(e) => Err(StorageError(format!(
            "the browser refused access to storage ({})",
            describe(&e)
        ))),
    }
}

fn describe(error: &JsValue) -> String {
    if let Some(e) = error.dyn_ref::<web_sys::DomException>() {
        if e.name() == "QuotaExceededError" {
            return "the browser's storage for this page is full".into();
        }
        return format!("{}: {}", e.name(), e.message());
    }
    error.as_string().unwrap_or_else(|| format!("{error:?}"))
}

fn write(key: &str, value: &str) -> Result<(), StorageError> {
    storage()?
        .set_item(key, value)
        .map_err(|e| StorageError(format!("could not save ({})", describe(&e))))
}

/// Saves a document's annotations (the whole list, in one write, so a
/// record is always either the old or the new list, never half of one).
pub fn save_annotations<A: Borrow<Annotation>>(
    doc: &Document,
    annotations: &[A],
) -> Result<(), StorageError> {
    write(
        &snapshot::annotations_key(doc.sha256()),
        &snapshot::encode_annotations(doc, annotations),
    )
}

pub fn load_annotations(doc: &Document) -> Result<Stored, StorageError> {
    let key = snapshot::annotations_key(doc.sha256());
    let Some(json) = storage()?.get_item(&key).ok().flatten() else {
        return Ok(Stored::Nothing);
    };
    match snapshot::decode_annotations(doc, &json) {
        Ok(annotations) => Ok(Stored::Annotations(annotations)),
        Err(problem) => {
            let aside = snapshot::unreadable_key(&key, &crate::dom::ids::now_rfc3339());
            let kept = write(&aside, &json).is_ok();
            Ok(Stored::Unreadable(format!(
                "{}: {problem}. {}",
                doc.name,
                if kept {
                    format!("The stored record was kept as {aside}.")
                } else {
                    "The stored record is left untouched until you annotate this document.".into()
                }
            )))
        }
    }
}

pub fn save_session(session: &Session) -> Result<(), StorageError> {
    write(&snapshot::session_key(), &snapshot::encode_session(session))
}

pub fn load_session() -> Session {
    storage()
        .ok()
        .and_then(|s| s.get_item(&snapshot::session_key()).ok().flatten())
        .and_then(|json| snapshot::decode_session(&json))
        .unwrap_or_default()
}

/// Calls `changed(sha256, record)` whenever another tab of this site saves a
/// document's annotations (the browser's `storage` event, which never fires
/// for this tab's own writes). Dropping the listener stops it.
pub fn on_annotations_saved_elsewhere(
    changed: impl Fn(&str, &str) + 'static,
) -> gloo::events::EventListener {
    gloo::events::EventListener::new(&gloo::utils::window(), "storage", move |event| {
        let Some(event) = event.dyn_ref::<web_sys::StorageEvent>() else {
            return;
        };
        let (Some(key), Some(value)) = (event.key(), event.new_value()) else {
            return;
        };
        if let Some(sha) = snapshot::sha_of_annotations_key(&key) {
            changed(sha, &value);
        }
    })
}

pub fn save_labels(labels: &[Label]) -> Result<(), StorageError> {
    write(&snapshot::labels_key(), &snapshot::encode_labels(labels))
}

pub fn save_corpus(corpus: &CorpusRecord) -> Result<(), StorageError> {
    write(&snapshot::corpus_key(), &snapshot::encode_corpus(corpus))
}

/// The stored label set, if any. A damaged record is kept aside and
/// described in the error.
pub fn load_labels() -> Result<Option<Vec<Label>>, String> {
    load_record(&snapshot::labels_key(), snapshot::decode_labels)
}

/// The stored corpus record, if any. A damaged record is kept aside and
/// described in the error.
pub fn load_corpus() -> Result<Option<CorpusRecord>, String> {
    load_record(&snapshot::corpus_key(), snapshot::decode_corpus)
}

fn load_record<T>(
    key: &str,
    decode: impl Fn(&str) -> Result<T, String>,
) -> Result<Option<T>, String> {
    let Some(json) = storage().ok().and_then(|s| s.get_item(key).ok().flatten()) else {
        return Ok(None);
    };
    decode(&json).map(Some).map_err(|problem| {
        let aside = snapshot::unreadable_key(key, &crate::dom::ids::now_rfc3339());
        match write(&aside, &json) {
            Ok(()) => format!("{problem}. The stored record was kept as {aside}."),
            Err(_) => format!("{problem}. The stored record is left untouched."),
        }
    })
}
