//! User texts in IndexedDB (database `marginalia`, store `texts`, keyed by
//! SHA-256). Texts go here rather than in `localStorage`, which holds only a
//! few MB for the whole site; a text may be up to 20 MB.
//!
//! Each record is a plain object `{ sha256, name, text }`, so a person can
//! read it in the browser's developer tools.

use idb::{Database, DatabaseEvent, Factory, ObjectStoreParams, TransactionMode};
use wasm_bindgen::JsValue;

use super::StorageError;
use crate::model::Document;

const DATABASE: &str = "marginalia";
const VERSION: u32 = 1;
const STORE: &str = "texts";

/// A stored text as read back.
pub struct TextRecord {
    pub sha256: String,
    pub name: String,
    pub text: String,
}

fn failed(what: &str, e: impl std::fmt::Display) -> StorageError {
    StorageError(format!("{what} ({e})"))
}

async fn open() -> Result<Database, StorageError> {
    let factory = Factory::new().map_err(|e| failed("this browser offers no IndexedDB", e))?;
    let mut request = factory
        .open(DATABASE, Some(VERSION))
        .map_err(|e| failed("the browser refused to open the text store", e))?;
    request.on_upgrade_needed(|event| {
        if let Ok(database) = event.database() {
            if !database.store_names().iter().any(|n| n == STORE) {
                // Failing here fails the open request, which is reported.
                let _ = database.create_object_store(STORE, ObjectStoreParams::new());
            }
        }
    });
    request
        .await
        .map_err(|e| failed("the text store could not be opened", e))
}

/// Every stored text. Records that are not readable are skipped and named in
/// the second list, so one damaged record never hides the others.
pub async fn load_texts() -> Result<(Vec<TextRecord>, Vec<String>), StorageError> {
    let database = open().await?;
    let transaction = database
        .transaction(&[STORE], TransactionMode::ReadOnly)
        .map_err(|e| failed("could not read the text store", e))?;
    let store = transaction
        .object_store(STORE)
        .map_err(|e| failed("could not read the text store", e))?;
    let values = store
        .get_all(None, None)
        .map_err(|e| failed("could not read the text store", e))?
        .await
        .map_err(|e| failed("could not read the text store", e))?;
    let mut texts = Vec::with_capacity(values.len());
    let mut unreadable = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match read_record(value) {
            Some(record) => texts.push(record),
            None => unreadable.push(format!("stored text #{}", i + 1)),
        }
    }
    database.close();
    Ok((texts, unreadable))
}

fn read_record(value: &JsValue) -> Option<TextRecord> {
    let field = |name: &str| {
        js_sys::Reflect::get(value, &JsValue::from_str(name))
            .ok()
            .and_then(|v| v.as_string())
    };
    Some(TextRecord {
        sha256: field("sha256")?,
        name: field("name")?,
        text: field("text")?,
    })
}

/// Stores a document's text (and name) under its SHA-256.
pub async fn save_text(doc: &Document) -> Result<(), StorageError> {
    let record = js_sys::Object::new();
    for (name, value) in [
        ("sha256", doc.sha256()),
        ("name", doc.name.as_str()),
        ("text", doc.text()),
    ] {
        js_sys::Reflect::set(&record, &JsValue::from_str(name), &JsValue::from_str(value))
            .map_err(|_| StorageError("could not prepare the text for storage".into()))?;
    }
    write(|store| {
        store
            .put(&record, Some(&JsValue::from_str(doc.sha256())))
            .map(|_| ())
    })
    .await
    .map_err(|e| StorageError(format!("{} could not be stored: {e}", doc.name)))
}

/// Removes a stored text.
pub async fn delete_text(sha256: &str) -> Result<(), StorageError> {
    write(|store| store.delete(JsValue::from_str(sha256)).map(|_| ())).await
}

/// Runs one read-write transaction and waits until it is committed, so a
/// success means the data is on disk as far as the browser can tell.
async fn write(
    request: impl FnOnce(&idb::ObjectStore) -> Result<(), idb::Error>,
) -> Result<(), StorageError> {
    let database = open().await?;
    let transaction = database
        .transaction(&[STORE], TransactionMode::ReadWrite)
        .map_err(|e| failed("could not write the text store", e))?;
    let store = transaction
        .object_store(STORE)
        .map_err(|e| failed("could not write the text store", e))?;
    request(&store).map_err(|e| failed("could not write the text store", e))?;
    let result = transaction
        .await
        .map_err(|e| failed("the browser did not keep the text", e));
    database.close();
    match result? {
        idb::TransactionResult::Committed => Ok(()),
        idb::TransactionResult::Aborted => Err(StorageError(
            "the browser did not keep the text (storage may be full)".into(),
        )),
    }
}
