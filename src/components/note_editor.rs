//! The note editor of one span: a modal dialog (the shared [`Modal`]) with
//! the span's label and text, and a text area holding its note. Save (or
//! Ctrl+Enter) hands the text to the App, which sets the note, one undoable
//! step; an empty note removes it. Cancel, Close and Escape change nothing.
//! When the editor goes, the focus goes back where it was (the text, the
//! panel), or to the text.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::modal::Modal;

#[derive(Properties, PartialEq)]
pub struct NoteEditorProps {
    /// The span's label, as shown.
    pub label: AttrValue,
    /// The span's text on one line.
    pub excerpt: AttrValue,
    /// The note now.
    pub note: Option<AttrValue>,
    /// The new note; `None` or blank removes it.
    pub on_save: Callback<Option<String>>,
    pub on_close: Callback<()>,
    /// The text's root element: the focus goes there if where it was is gone.
    pub text: NodeRef,
}

#[component]
pub fn NoteEditor(props: &NoteEditorProps) -> Html {
    let area = use_node_ref();
    // Where the focus was when the editor opened: read while rendering for
    // the first time, before the dialog takes the focus.
    let return_to = use_mut_ref(|| {
        gloo::utils::document()
            .active_element()
            .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    });
    {
        let area = area.clone();
        let return_to = return_to.clone();
        let text = props.text.clone();
        use_effect_with((), move |_| {
            // The caret at the end of the note (the dialog focuses the area: autofocus).
            if let Some(area) = area.cast::<web_sys::HtmlTextAreaElement>() {
                let end = area.value().encode_utf16().count() as u32;
                let _ = area.set_selection_range(end, end);
            }
            move || {
                // Once the dialog has left the page (the page behind it is
                // inert until then).
                gloo::timers::callback::Timeout::new(0, move || {
                    let back = return_to
                        .borrow_mut()
                        .take()
                        .filter(|e| e.is_connected() && e.tag_name() != "BODY")
                        .or_else(|| text.cast::<web_sys::HtmlElement>());
                    if let Some(element) = back {
                        let options = web_sys::FocusOptions::new();
                        options.set_prevent_scroll(true);
                        let _ = element.focus_with_options(&options);
                    }
                })
                .forget();
            }
        });
    }
    let save = {
        let area = area.clone();
        let on_save = props.on_save.clone();
        move || {
            if let Some(area) = area.cast::<web_sys::HtmlTextAreaElement>() {
                let value = area.value();
                on_save.emit((!value.trim().is_empty()).then_some(value));
            }
        }
    };
    let onkeydown = {
        let save = save.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Enter" && (event.ctrl_key() || event.meta_key()) {
                event.prevent_default();
                save();
            }
        })
    };
    let onsubmit = Callback::from(move |event: SubmitEvent| {
        event.prevent_default();
        save();
    });
    let cancel = props.on_close.reform(|_: MouseEvent| ());
    let remove = props.on_save.reform(|_: MouseEvent| None);
    html! {
        <Modal title="Note" class={classes!("note-editor")} on_close={props.on_close.clone()}>
            <form class="note-form" {onsubmit}>
                <p class="note-span">
                    <span class="note-span-label">{ props.label.clone() }</span>
                    <q>{ props.excerpt.clone() }</q>
                </p>
                // The dialog's heading says "Note": the field's label need not show.
                <label for="note-text" class="visually-hidden">{ "Note text" }</label>
                <textarea ref={area} id="note-text" rows="5" autofocus={true}
                    value={props.note.clone().unwrap_or_default()}
                    aria-describedby="note-keys" {onkeydown} />
                <p id="note-keys" class="note-keys">
                    <kbd>{ "Ctrl+Enter" }</kbd>{ " saves · " }<kbd>{ "Esc" }</kbd>{ " cancels · an empty note is removed" }
                </p>
                <div class="note-actions">
                    if props.note.is_some() {
                        <button type="button" class="remove-note" onclick={remove}>{ "Remove note" }</button>
                    }
                    <button type="button" onclick={cancel}>{ "Cancel" }</button>
                    <button type="submit" class="primary">{ "Save note" }</button>
                </div>
            </form>
        </Modal>
    }
}
