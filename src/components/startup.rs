//! Startup: fetch the bundled articles (and the `?load=` file, if any), read
//! the user's own texts from IndexedDB, put back what storage holds for each
//! (annotations, name, status, list order, removed articles, the label set),
//! and hand the App one batch of documents. Stored annotations always win
//! over a file's, so reloading with `?load=` never overwrites work.

use std::collections::HashSet;
use std::rc::Rc;

use futures::future::join_all;

use crate::dom::fetch::{article_names, fetch_bytes, query_parameter};
use crate::dom::timing::mark;
use crate::formats::native;
use crate::model::{Annotation, Document, Label, Status};
use crate::persist::{self, Stored};

pub struct Loaded {
    pub documents: Vec<(Rc<Document>, Vec<Annotation>)>,
    /// Stored statuses, by SHA-256.
    pub statuses: Vec<(String, Status)>,
    /// The stored label set, when there is one.
    pub labels: Option<Vec<Label>>,
    /// SHA-256 of the bundled articles (the other documents are the user's
    /// and live in the text store).
    pub bundled: HashSet<String>,
    /// User texts already in the text store.
    pub stored_texts: HashSet<String>,
    /// Documents (SHA-256) whose annotations came from a file, not from
    /// storage: they are not saved yet.
    pub unsaved: HashSet<String>,
    /// The document to open first (SHA-256).
    pub open: Option<String>,
    /// Problems to show the user; loading carries on past each.
    pub problems: Vec<String>,
    /// Storage could not be read at all.
    pub storage_error: Option<String>,
}

pub async fn load() -> Loaded {
    mark("startup");
    let mut problems = Vec::new();
    // The bundled articles and the `?load=` file are fetched side by side.
    let load_url = query_parameter("load");
    let (articles, from_url, texts) = futures::join!(
        fetch_articles(),
        async {
            match &load_url {
                Some(url) => Some(load_native(url).await),
                None => None,
            }
        },
        persist::texts::load_texts()
    );
    mark("fetched");
    let mut storage_error = None;
    let corpus = persist::load_corpus().unwrap_or_else(|problem| {
        problems.push(problem);
        None
    });
    let labels = persist::load_labels().unwrap_or_else(|problem| {
        problems.push(problem);
        None
    });
    let corpus = corpus.unwrap_or_default();
    let mut candidates: Vec<(Document, Vec<Annotation>)> = Vec::new();
    let mut bundled = HashSet::new();
    for article in articles {
        match article {
            Ok(doc) => {
                bundled.insert(doc.sha256().to_owned());
                if !corpus.removed.iter().any(|sha| sha == doc.sha256()) {
                    candidates.push((doc, Vec::new()));
                }
            }
            Err(e) => problems.push(e),
        }
    }
    let mut stored_texts = HashSet::new();
    match texts {
        Ok((texts, unreadable)) => {
            for record in texts {
                let doc = Document::new(&record.name, &record.text);
                if doc.sha256() != record.sha256 {
                    problems.push(format!(
                        "The stored text of {} does not match its SHA-256; it was loaded as it is.",
                        record.name
                    ));
                }
                stored_texts.insert(doc.sha256().to_owned());
                candidates.push((doc, Vec::new()));
            }
            for what in unreadable {
                problems.push(format!("{what} could not be read and was left as it is."));
            }
        }
        Err(e) => {
            storage_error.get_or_insert(format!("Your own texts could not be read: {e}"));
        }
    }
    let mut open = persist::load_session().open;
    match from_url {
        Some(Ok(parsed)) => {
            open = parsed.first().map(|(d, _)| d.sha256().to_owned());
            candidates.extend(parsed);
        }
        Some(Err(e)) => problems.push(e),
        None => {}
    }
    // The stored list order and names; documents it does not know go last.
    let position = |sha: &str| {
        corpus
            .documents
            .iter()
            .position(|m| m.sha256 == sha)
            .unwrap_or(usize::MAX)
    };
    candidates.sort_by_key(|(doc, _)| position(doc.sha256()));
    let mut statuses = Vec::new();
    for (doc, _) in &mut candidates {
        if let Some(meta) = corpus.documents.iter().find(|m| m.sha256 == doc.sha256()) {
            doc.name = meta.name.clone();
            statuses.push((meta.sha256.clone(), meta.status));
        }
    }
    let mut documents = Vec::with_capacity(candidates.len());
    let mut unsaved = HashSet::new();
    for (doc, from_file) in candidates {
        let stored = match persist::load_annotations(&doc) {
            Ok(Stored::Annotations(stored)) => Some(stored),
            Ok(Stored::Nothing) => None,
            Ok(Stored::Unreadable(problem)) => {
                problems.push(problem);
                None
            }
            Err(e) => {
                storage_error.get_or_insert(e.to_string());
                None
            }
        };
        let annotations = stored.unwrap_or_else(|| {
            if !from_file.is_empty() {
                unsaved.insert(doc.sha256().to_owned());
            }
            from_file
        });
        documents.push((Rc::new(doc), annotations));
    }
    if open
        .as_deref()
        .is_none_or(|sha| !documents.iter().any(|(d, _)| d.sha256() == sha))
    {
        open = documents.first().map(|(d, _)| d.sha256().to_owned());
    }
    mark("loaded");
    Loaded {
        documents,
        statuses,
        labels,
        bundled,
        stored_texts,
        unsaved,
        open,
        problems,
        storage_error,
    }
}

/// Every bundled article, or what went wrong with each.
async fn fetch_articles() -> Vec<Result<Document, String>> {
    let names = match article_names().await {
        Ok(names) => names,
        Err(e) => {
            return vec![Err(format!(
                "The bundled articles could not be listed: {e}"
            ))]
        }
    };
    join_all(names.into_iter().map(|name| async move {
        let bytes = fetch_bytes(&format!("articles/{name}")).await?;
        Document::from_bytes(&name, &bytes).map_err(|e| e.to_string())
    }))
    .await
}

async fn load_native(url: &str) -> Result<Vec<(Document, Vec<Annotation>)>, String> {
    let bytes = fetch_bytes(url).await?;
    let json = String::from_utf8(bytes)
        .map_err(|e| format!("{url} is not UTF-8 (byte {})", e.utf8_error().valid_up_to()))?;
    let (_labels, parsed) = native::parse_with_texts(&json).map_err(|e| format!("{url}: {e}"))?;
    Ok(parsed
        .into_iter()
        .map(|p| (p.document, p.annotations))
        .collect())
}
