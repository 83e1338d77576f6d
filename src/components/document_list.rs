//! The corpus: every document as a [`DocumentRow`] (headline or opening
//! words, number of spans, status, Rename and Remove), the open one marked
//! `aria-current`, and how many are done.

use yew::prelude::*;

use super::document_row::DocumentRow;
use super::identity::same_entry;
use crate::components::reducer::excerpt;
use crate::model::Status;
use crate::store::Entry;

#[derive(Properties)]
pub struct DocumentListProps {
    pub entries: Vec<Entry>,
    pub open: Option<String>,
    pub on_open: Callback<String>,
    pub on_status: Callback<(String, Status)>,
    pub on_rename: Callback<String>,
    pub on_remove: Callback<String>,
}

/// Entries by identity: an edit makes its document's annotations a new list,
/// and comparing it with the old one span by span would cost more than the
/// rows' re-render it could save.
impl PartialEq for DocumentListProps {
    fn eq(&self, other: &Self) -> bool {
        self.entries.len() == other.entries.len()
            && self
                .entries
                .iter()
                .zip(&other.entries)
                .all(|(a, b)| same_entry(a, b))
            && self.open == other.open
            && self.on_open == other.on_open
            && self.on_status == other.on_status
            && self.on_rename == other.on_rename
            && self.on_remove == other.on_remove
    }
}

#[component]
pub fn DocumentList(props: &DocumentListProps) -> Html {
    let rows = props.entries.iter().map(|entry| {
        let doc = &entry.doc;
        let sha = doc.sha256().to_owned();
        let (summary, has_headline) = match doc.headline() {
            Some(headline) => (headline.to_owned(), true),
            None => (excerpt(doc.text().trim_start()), false),
        };
        html! {
            <DocumentRow key={sha.clone()} sha256={sha.clone()} name={doc.name.clone()}
                summary={summary} {has_headline} spans={entry.annotations.len()} status={entry.status}
                is_open={props.open.as_deref() == Some(sha.as_str())}
                on_open={props.on_open.clone()} on_status={props.on_status.clone()}
                on_rename={props.on_rename.clone()} on_remove={props.on_remove.clone()} />
        }
    });
    let done = props
        .entries
        .iter()
        .filter(|e| e.status == Status::Done)
        .count();
    html! {
        <nav class="documents" aria-label="Documents">
            <div class="documents-head">
                <h2>{ "Documents" }</h2>
                if !props.entries.is_empty() {
                    <span class="progress">{ format!("{done} of {} done", props.entries.len()) }</span>
                }
            </div>
            if props.entries.is_empty() {
                <p class="empty-state">{ "No documents. Open or paste a text to start." }</p>
            }
            <ul>{ for rows }</ul>
        </nav>
    }
}
