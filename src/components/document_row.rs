//! One document of the list: a button that opens it (headline or opening
//! words, file name, number of spans), its status as words and an icon with
//! a menu to change it, and Rename and Remove buttons. What Remove does (ask
//! first, or remove at once) is the App's decision.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::deferred::use_deferred;
use super::reducer::plural;
use crate::model::Status;

#[derive(Properties, PartialEq)]
pub struct DocumentRowProps {
    pub sha256: AttrValue,
    pub name: AttrValue,
    /// The headline, or the opening words when there is none.
    pub summary: AttrValue,
    pub has_headline: bool,
    pub spans: usize,
    pub status: Status,
    pub is_open: bool,
    pub on_open: Callback<String>,
    pub on_status: Callback<(String, Status)>,
    pub on_rename: Callback<String>,
    pub on_remove: Callback<String>,
}

#[component]
pub fn DocumentRow(props: &DocumentRowProps) -> Html {
    // A frame after the text: an edit is painted first.
    let spans = use_deferred(props.spans);
    let sha = props.sha256.to_string();
    let name = &props.name;
    let emit = |callback: &Callback<String>| {
        let (callback, sha) = (callback.clone(), sha.clone());
        Callback::from(move |_: MouseEvent| callback.emit(sha.clone()))
    };
    let on_status = {
        let (on_status, sha) = (props.on_status.clone(), sha.clone());
        Callback::from(move |event: Event| {
            let chosen = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlSelectElement>().ok())
                .and_then(|select| Status::parse(&select.value()));
            if let Some(status) = chosen {
                on_status.emit((sha.clone(), status));
            }
        })
    };
    let options = Status::ALL.into_iter().map(|status| {
        html! {
            <option key={status.as_str()} value={status.as_str()} selected={status == props.status}>
                { status.title() }
            </option>
        }
    });
    let status_id = format!("status-{}", &sha[..sha.len().min(16)]);
    html! {
        <li class={classes!("document-row", props.is_open.then_some("current"))}
            data-status={props.status.as_str()}>
            <button type="button" class="document" data-sha256={sha.clone()}
                aria-current={props.is_open.then_some("true")} onclick={emit(&props.on_open)}>
                <span class={classes!("headline", (!props.has_headline).then_some("opening"))}>
                    { props.summary.clone() }
                </span>
                <span class="meta">
                    <span class="file-name">{ name.clone() }</span>
                    <span class="count">{ plural(spans, "span", "spans") }</span>
                </span>
            </button>
            <div class="row-controls">
                <label class="status-pill" for={status_id.clone()}>
                    <span class="status-icon" aria-hidden="true"></span>
                    <select id={status_id} class="status-select" aria-label={format!("Status of {name}")}
                        onchange={on_status}>
                        { for options }
                    </select>
                </label>
                <span class="row-actions">
                    <button type="button" class="row-action rename" aria-label={format!("Rename {name}")}
                        title="Rename this document (r when it is open)" onclick={emit(&props.on_rename)}>
                        { "Rename" }
                    </button>
                    <button type="button" class="row-action remove" aria-label={format!("Remove {name}")}
                        title={if spans == 0 {
                            "Remove this document from the corpus (Ctrl+Z brings it back)".to_owned()
                        } else {
                            format!("Remove this document and its {} (asks first)", plural(spans, "span", "spans"))
                        }}
                        onclick={emit(&props.on_remove)}>
                        { "Remove" }
                    </button>
                </span>
            </div>
        </li>
    }
}
