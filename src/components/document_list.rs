//! The corpus: every document with its headline (or opening words) and its
//! number of spans; the open one is marked `aria-current`.

use yew::prelude::*;

use crate::components::reducer::excerpt;
use crate::store::Entry;

#[derive(Properties, PartialEq)]
pub struct DocumentListProps {
    pub entries: Vec<Entry>,
    pub open: Option<String>,
    pub on_open: Callback<String>,
}

#[component]
pub fn DocumentList(props: &DocumentListProps) -> Html {
    let items = props.entries.iter().map(|entry| {
        let doc = &entry.doc;
        let sha = doc.sha256().to_owned();
        let is_open = props.open.as_deref() == Some(sha.as_str());
        let count = entry.annotations.len();
        let on_open = props.on_open.clone();
        let open_sha = sha.clone();
        let summary = match doc.headline() {
            Some(headline) => html! { <span class="headline">{ headline.to_owned() }</span> },
            None => html! {
                <span class="headline opening">{ excerpt(doc.text().trim_start()) }</span>
            },
        };
        html! {
            <li key={sha.clone()}>
                <button type="button" class="document" data-sha256={sha}
                    aria-current={is_open.then_some("true")}
                    onclick={Callback::from(move |_| on_open.emit(open_sha.clone()))}>
                    { summary }
                    <span class="meta">
                        <span class="file-name">{ doc.name.clone() }</span>
                        <span class="count">
                            { format!("{count} {}", if count == 1 { "span" } else { "spans" }) }
                        </span>
                    </span>
                </button>
            </li>
        }
    });
    html! {
        <nav class="documents" aria-label="Documents">
            <h2>{ "Documents" }</h2>
            <ul>{ for items }</ul>
        </nav>
    }
}
