//! Asks before a document with spans leaves the corpus, saying what goes
//! with it and that Ctrl+Z brings it back. Cancel has the focus, so a
//! stray Enter removes nothing.

use yew::prelude::*;

use super::modal::Modal;
use super::reducer::plural;

#[derive(Properties, PartialEq)]
pub struct ConfirmRemoveProps {
    pub name: AttrValue,
    pub spans: usize,
    pub on_confirm: Callback<()>,
    pub on_close: Callback<()>,
}

#[component]
pub fn ConfirmRemove(props: &ConfirmRemoveProps) -> Html {
    let cancel = use_node_ref();
    {
        let cancel = cancel.clone();
        use_effect_with((), move |_| {
            if let Some(button) = cancel.cast::<web_sys::HtmlElement>() {
                let _ = button.focus();
            }
        });
    }
    let on_cancel = props.on_close.clone();
    let on_confirm = props.on_confirm.clone();
    html! {
        <Modal title="Remove document?" on_close={props.on_close.clone()} class="confirm-remove">
            <p class="question">
                { format!(
                    "Remove ‘{}’ and its {} from the corpus? Undo (Ctrl+Z) brings it back.",
                    props.name,
                    plural(props.spans, "span", "spans")
                ) }
            </p>
            <div class="modal-actions">
                <button type="button" ref={cancel} autofocus=true
                    onclick={Callback::from(move |_| on_cancel.emit(()))}>{ "Cancel" }</button>
                <button type="button" class="danger"
                    onclick={Callback::from(move |_| on_confirm.emit(()))}>{ "Remove" }</button>
            </div>
        </Modal>
    }
}
