//! The toolbar: one button per label (named after the label, with its key),
//! Delete, Note (the selected span's note), and the exports. Buttons keep
//! the text selection: pressing one must not move focus or collapse what
//! the user selected.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::Label;

#[derive(Properties, PartialEq)]
pub struct ToolbarProps {
    pub labels: Rc<Vec<Label>>,
    pub can_delete: bool,
    pub has_document: bool,
    pub on_label: Callback<String>,
    pub on_delete: Callback<()>,
    /// Whether a span is selected whose note can be edited.
    #[prop_or_default]
    pub can_note: bool,
    /// Opens the selected span's note editor.
    #[prop_or_default]
    pub on_note: Callback<()>,
    pub on_export_all: Callback<()>,
    pub on_export_document: Callback<()>,
}

/// `claim` -> `Claim`: the button's accessible name.
pub fn display_name(label: &str) -> String {
    let mut chars = label.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

fn keep_selection(event: MouseEvent) {
    event.prevent_default();
}

#[component]
pub fn Toolbar(props: &ToolbarProps) -> Html {
    let label_buttons = props.labels.iter().enumerate().map(|(i, label)| {
        let name = display_name(&label.name);
        let on_label = props.on_label.clone();
        let label_name = label.name.clone();
        html! {
            <button key={label.name.clone()} type="button" class={classes!("label-button", format!("l{i}"))}
                aria-label={name.clone()} aria-keyshortcuts={label.key.clone()}
                title={format!("Tag the selection as {} ({})", label.name, label.key)}
                onmousedown={Callback::from(keep_selection)}
                onclick={Callback::from(move |_| on_label.emit(label_name.clone()))}>
                <span class="swatch" aria-hidden="true"></span>
                { name }
                <kbd aria-hidden="true">{ label.key.clone() }</kbd>
            </button>
        }
    });
    let on_delete = props.on_delete.clone();
    let on_note = props.on_note.clone();
    let on_export_all = props.on_export_all.clone();
    let on_export_document = props.on_export_document.clone();
    html! {
        <div class="toolbar" role="toolbar" aria-label="Annotation tools">
            <div class="group labels">{ for label_buttons }</div>
            <div class="group">
                <button type="button" class="delete" disabled={!props.can_delete}
                    aria-keyshortcuts="Delete Backspace" title="Remove the selected span (Delete)"
                    onmousedown={Callback::from(keep_selection)}
                    onclick={Callback::from(move |_| on_delete.emit(()))}>{ "Delete" }</button>
                <button type="button" class="note" disabled={!props.can_note}
                    aria-keyshortcuts="Enter" title="Write a note on the selected span (Enter)"
                    onmousedown={Callback::from(keep_selection)}
                    onclick={Callback::from(move |_| on_note.emit(()))}>{ "Note" }</button>
            </div>
            <div class="group exports">
                <button type="button" title="Download every document with its annotations"
                    onclick={Callback::from(move |_| on_export_all.emit(()))}>{ "Export JSON" }</button>
                <button type="button" disabled={!props.has_document}
                    title="Download the open document with its annotations"
                    onclick={Callback::from(move |_| on_export_document.emit(()))}>{ "Export document JSON" }</button>
            </div>
        </div>
    }
}
