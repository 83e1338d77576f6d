//! "Rename document": the name, prefilled and selected; Enter saves. A name
//! the store refuses (empty, or on several lines) is explained under the
//! field and nothing changes.

use yew::prelude::*;

use super::modal::Modal;
use super::reducer::{check, AppStore};
use crate::store::Action;

#[derive(Properties, PartialEq)]
pub struct RenameDialogProps {
    pub store: UseReducerHandle<AppStore>,
    /// The document to rename (SHA-256).
    pub sha256: String,
    pub on_close: Callback<()>,
}

#[component]
pub fn RenameDialog(props: &RenameDialogProps) -> Html {
    let input = use_node_ref();
    let error = use_state(|| None::<String>);
    let current = props
        .store
        .state
        .entry(&props.sha256)
        .map(|e| e.doc.name.clone());
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<web_sys::HtmlInputElement>() {
                let _ = input.focus();
                input.select();
            }
        });
    }
    let Some(current) = current else {
        // Removed meanwhile (another tab, an undo): nothing to rename.
        return html! {};
    };
    let on_submit = {
        let (input, error) = (input.clone(), error.clone());
        let (store, sha256, on_close) = (
            props.store.clone(),
            props.sha256.clone(),
            props.on_close.clone(),
        );
        let current = current.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(name) = input.cast::<web_sys::HtmlInputElement>().map(|i| i.value()) else {
                return;
            };
            if name.trim() == current {
                on_close.emit(());
                return;
            }
            let action = Action::RenameDocument {
                sha256: sha256.clone(),
                name,
            };
            match check(&store.state, &action) {
                Ok(()) => {
                    store.dispatch(action);
                    on_close.emit(());
                }
                Err(message) => error.set(Some(message)),
            }
        })
    };
    let on_cancel = props.on_close.clone();
    html! {
        <Modal title="Rename document" on_close={props.on_close.clone()} class="rename-dialog">
            <form onsubmit={on_submit}>
                <label for="rename-name">{ "Name" }</label>
                <input id="rename-name" ref={input} type="text" value={current.clone()}
                    autocomplete="off" spellcheck="false" autofocus=true
                    aria-invalid={error.is_some().then_some("true")}
                    aria-describedby={error.is_some().then_some("rename-error")} />
                <p class="hint">{ "The name is how the document is listed and exported; its text and spans stay as they are." }</p>
                if let Some(message) = &*error {
                    <p id="rename-error" class="field-error" role="alert">{ message.clone() }</p>
                }
                <div class="modal-actions">
                    <button type="button" onclick={Callback::from(move |_| on_cancel.emit(()))}>{ "Cancel" }</button>
                    <button type="submit" class="primary">{ "Rename" }</button>
                </div>
            </form>
        </Modal>
    }
}
