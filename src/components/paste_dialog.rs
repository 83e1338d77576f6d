//! The "Paste text" dialog: a name and a text, added to the corpus like an
//! opened file.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::modal::Modal;
use crate::import::decode::MAX_TEXT_BYTES;

#[derive(Properties, PartialEq)]
pub struct PasteDialogProps {
    /// `(name, text)`; the name may be empty (the app then chooses one).
    pub on_add: Callback<(String, String)>,
    pub on_close: Callback<()>,
}

#[component]
pub fn PasteDialog(props: &PasteDialogProps) -> Html {
    let name = use_node_ref();
    let text = use_node_ref();
    let error = use_state(|| None::<String>);
    let on_submit = {
        let (name, text, error) = (name.clone(), text.clone(), error.clone());
        let on_add = props.on_add.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let value = |r: &NodeRef| {
                r.get()
                    .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                    .map(|i| i.value())
                    .or_else(|| r.cast::<web_sys::HtmlTextAreaElement>().map(|t| t.value()))
                    .unwrap_or_default()
            };
            let body = value(&text);
            if body.trim().is_empty() {
                error.set(Some(
                    "There is no text to add: paste or type some first.".into(),
                ));
            } else if body.len() > MAX_TEXT_BYTES {
                error.set(Some(format!(
                    "The text is {} bytes long; the limit is {MAX_TEXT_BYTES}.",
                    body.len()
                )));
            } else {
                on_add.emit((value(&name), body));
            }
        })
    };
    let on_cancel = props.on_close.clone();
    html! {
        <Modal title="Paste text" on_close={props.on_close.clone()} class="paste-dialog">
            <form onsubmit={on_submit}>
                <label for="paste-name">{ "Name" }</label>
                <input id="paste-name" ref={name} type="text" placeholder="Pasted text 1" autocomplete="off" />
                <label for="paste-text">{ "Text" }</label>
                <textarea id="paste-text" ref={text} rows="14" spellcheck="false"
                    aria-describedby={error.is_some().then_some("paste-error")} />
                if let Some(message) = &*error {
                    <p id="paste-error" class="field-error" role="alert">{ message.clone() }</p>
                }
                <div class="modal-actions">
                    <button type="button" onclick={Callback::from(move |_| on_cancel.emit(()))}>{ "Cancel" }</button>
                    <button type="submit" class="primary">{ "Add text" }</button>
                </div>
            </form>
        </Modal>
    }
}
