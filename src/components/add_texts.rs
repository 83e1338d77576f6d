//! The controls that bring texts into the corpus: "Open texts…" (a file
//! picker for `.txt` and `.md`, several at once) and "Paste text…" (which
//! asks the App for its dialog). Files dropped anywhere on the page are
//! handled by the App.

use yew::prelude::*;

use crate::dom::files::files_of;

#[derive(Properties, PartialEq)]
pub struct AddTextsProps {
    pub on_files: Callback<Vec<web_sys::File>>,
    /// Opens the paste dialog.
    pub on_paste: Callback<()>,
}

#[component]
pub fn AddTexts(props: &AddTextsProps) -> Html {
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let files = files_of(input.files());
            // Picking the same file again must fire `change` again.
            input.set_value("");
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    let open_paste = props.on_paste.reform(|_: MouseEvent| ());
    html! {
        <div class="add-texts">
            // The input is visually hidden but the label is a real control:
            // keyboard users reach it with Tab and open it with Enter/Space.
            <input id="open-texts" class="visually-hidden" type="file" multiple=true
                accept=".txt,.md,text/plain,text/markdown" onchange={on_change} />
            <label for="open-texts" class="button" role="button" tabindex="0" aria-keyshortcuts="o"
                title="Add .txt or .md files to the corpus (or drop them on the page)"
                onkeydown={Callback::from(|e: KeyboardEvent| {
                    if e.key() == "Enter" || e.key() == " " {
                        e.prevent_default();
                        if let Some(input) = gloo::utils::document().get_element_by_id("open-texts") {
                            let input: web_sys::HtmlElement = wasm_bindgen::JsCast::unchecked_into(input);
                            input.click();
                        }
                    }
                })}>{ "Open texts…" }</label>
            <button type="button" onclick={open_paste} aria-keyshortcuts="p">{ "Paste text…" }</button>
        </div>
    }
}
