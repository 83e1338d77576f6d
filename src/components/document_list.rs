//! The corpus: every document as a [`DocumentRow`] (headline or opening
//! words, number of spans, status, Rename and Remove), the open one marked
//! `aria-current`, and how many are done.

use yew::prelude::*;

use super::document_row::DocumentRow;
use crate::components::reducer::excerpt;
use crate::model::Status;
use crate::store::Entry;

#[derive(Properties, PartialEq)]
pub struct DocumentListProps {
    pub entries: Vec<Entry>,
    pub open: Option<String>,
    pub on_open: Callback<String>,
    pub on_status: Callback<(String, Status)>,
    pub on_rename: Callback<String>,
    pub on_remove: Callback<String>,
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
