//! The "Export" dialog: choose a format (each says who reads it and in which
//! unit its offsets are), the open document or the whole corpus, and for
//! Marginalia JSON whether to include the texts.

use yew::prelude::*;

use super::modal::Modal;
use crate::formats::interchange::FormatKind;

/// What the user asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ExportRequest {
    pub format: FormatKind,
    pub whole_corpus: bool,
    pub include_text: bool,
}

#[derive(Properties, PartialEq)]
pub struct ExportDialogProps {
    pub has_document: bool,
    pub on_export: Callback<ExportRequest>,
    pub on_close: Callback<()>,
}

#[component]
pub fn ExportDialog(props: &ExportDialogProps) -> Html {
    let request = use_state(|| ExportRequest {
        format: FormatKind::Native,
        whole_corpus: !props.has_document,
        include_text: true,
    });
    let formats = FormatKind::ALL.into_iter().map(|format| {
        let request = request.clone();
        let id = format!("export-{}", format.extension_id());
        let checked = request.format == format;
        html! {
            <li key={id.clone()}>
                <input type="radio" name="export-format" id={id.clone()} {checked}
                    onchange={Callback::from(move |_| request.set(ExportRequest { format, ..*request }))} />
                <label for={id.clone()}>
                    <strong>{ format.title() }</strong>
                    <span class="hint">{ format.description() }</span>
                </label>
            </li>
        }
    });
    let scope = |whole: bool, text: &'static str| {
        let request = request.clone();
        let id = if whole {
            "export-corpus"
        } else {
            "export-document"
        };
        html! {
            <label for={id}>
                <input type="radio" name="export-scope" id={id} checked={request.whole_corpus == whole}
                    disabled={!whole && !props.has_document}
                    onchange={Callback::from(move |_| request.set(ExportRequest { whole_corpus: whole, ..*request }))} />
                { text }
            </label>
        }
    };
    let toggle_text = {
        let request = request.clone();
        Callback::from(move |_| {
            request.set(ExportRequest {
                include_text: !request.include_text,
                ..*request
            })
        })
    };
    let on_submit = {
        let (request, on_export) = (request.clone(), props.on_export.clone());
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            on_export.emit(*request);
        })
    };
    let on_cancel = props.on_close.clone();
    html! {
        <Modal title="Export" on_close={props.on_close.clone()} class="export-dialog">
            <form onsubmit={on_submit}>
                <fieldset>
                    <legend>{ "Format" }</legend>
                    <ul class="choices">{ for formats }</ul>
                </fieldset>
                <fieldset>
                    <legend>{ "What" }</legend>
                    { scope(false, "The open document") }
                    { scope(true, "The whole corpus") }
                </fieldset>
                if request.format == FormatKind::Native {
                    <label for="export-include-text" class="check">
                        <input type="checkbox" id="export-include-text" checked={request.include_text}
                            onchange={toggle_text} />
                        { "Include the texts (leave them out when the receiver already has them; they are matched by SHA-256)" }
                    </label>
                }
                <div class="modal-actions">
                    <button type="button" onclick={Callback::from(move |_| on_cancel.emit(()))}>{ "Cancel" }</button>
                    <button type="submit" class="primary">{ "Download" }</button>
                </div>
            </form>
        </Modal>
    }
}
