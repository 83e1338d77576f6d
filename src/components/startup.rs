//! Startup: fetch the bundled articles (and the `?load=` file, if any), put
//! back what storage holds for each, and hand the App one batch of documents.
//! Stored annotations always win over a file's, so reloading with `?load=`
//! never overwrites work.

use std::collections::HashSet;
use std::rc::Rc;

use futures::future::join_all;

use crate::dom::fetch::{article_names, fetch_bytes, query_parameter};
use crate::dom::timing::mark;
use crate::formats::native;
use crate::model::{Annotation, Document};
use crate::persist::{self, Stored};

pub struct Loaded {
    pub documents: Vec<(Rc<Document>, Vec<Annotation>)>,
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
    let (articles, from_url) = futures::join!(fetch_articles(), async {
        match &load_url {
            Some(url) => Some(load_native(url).await),
            None => None,
        }
    });
    mark("fetched");
    let mut candidates: Vec<(Document, Vec<Annotation>)> = Vec::new();
    for article in articles {
        match article {
            Ok(doc) => candidates.push((doc, Vec::new())),
            Err(e) => problems.push(e),
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
    let mut storage_error = None;
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
