//! `Modal`: a native `<dialog>` shown with `showModal()`, so the browser
//! traps focus inside it, makes the page behind inert, and closes it on
//! Escape. Every dialog of the app is one of these.

use wasm_bindgen::JsCast;
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    /// The dialog's accessible name, shown as its heading.
    pub title: AttrValue,
    /// Called when the dialog closes by Escape or a Close button.
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub class: Classes,
    pub children: Html,
}

#[component]
pub fn Modal(props: &ModalProps) -> Html {
    let dialog = use_node_ref();
    {
        let dialog = dialog.clone();
        use_effect_with((), move |_| {
            // Focus goes back where it was when the dialog goes away.
            let return_to = gloo::utils::document()
                .active_element()
                .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
            if let Some(dialog) = dialog.cast::<web_sys::HtmlDialogElement>() {
                let _ = dialog.show_modal();
            }
            move || {
                if let Some(element) = return_to {
                    let _ = element.focus();
                }
            }
        });
    }
    let on_cancel = {
        let on_close = props.on_close.clone();
        // Escape: let the app unmount the dialog rather than the browser
        // closing it behind Yew's back.
        Callback::from(move |event: Event| {
            event.prevent_default();
            on_close.emit(());
        })
    };
    let on_close = props.on_close.clone();
    let heading_id = format!(
        "dialog-{}",
        props
            .title
            .chars()
            .filter(|c| c.is_alphanumeric())
            .collect::<String>()
            .to_lowercase()
    );
    html! {
        <dialog ref={dialog} class={classes!("modal", props.class.clone())}
            aria-labelledby={heading_id.clone()} oncancel={on_cancel}
            // Keys pressed in a dialog never reach the app's shortcuts.
            onkeydown={Callback::from(|e: KeyboardEvent| e.stop_propagation())}>
            <header class="modal-header">
                <h2 id={heading_id}>{ props.title.clone() }</h2>
                <button type="button" class="close" aria-label="Close"
                    onclick={Callback::from(move |_| on_close.emit(()))}>{ "×" }</button>
            </header>
            { props.children.clone() }
        </dialog>
    }
}
