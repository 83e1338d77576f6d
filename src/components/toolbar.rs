//! The toolbar: one button per label (named after the label, with its key),
//! "Labels…" (the label manager), Delete, Note (the selected span's note), Undo and Redo, import, and the exports. Buttons keep the text selection: pressing one
//! must not move focus or collapse what the user selected.

use std::rc::Rc;

use yew::prelude::*;

use super::deferred::use_deferred;
use super::text_block::label_class;
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
    /// What Undo and Redo would do (`None`: nothing to undo or redo).
    pub undo: Option<String>,
    pub redo: Option<String>,
    pub on_undo: Callback<()>,
    pub on_redo: Callback<()>,
    /// Opens the export dialog (every format).
    pub on_export: Callback<()>,
    /// Opens the import dialog.
    pub on_import: Callback<()>,
    /// Opens the label manager.
    pub on_manage_labels: Callback<()>,
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
    // What the selection and history allow, a frame after the text: an
    // edit is painted first.
    let (can_delete, can_note, undo, redo) = use_deferred((
        props.can_delete,
        props.can_note,
        props.undo.clone(),
        props.redo.clone(),
    ));
    let label_buttons = props.labels.iter().enumerate().map(|(i, label)| {
        let name = display_name(&label.name);
        let on_label = props.on_label.clone();
        let label_name = label.name.clone();
        html! {
            <button key={label.name.clone()} type="button" class={classes!("label-button", label_class("l", i))}
                aria-keyshortcuts={label.key.clone()}
                title={format!("Tag the selection as {} ({})", label.name, label.key)}
                onmousedown={Callback::from(keep_selection)}
                onclick={Callback::from(move |_| on_label.emit(label_name.clone()))}>
                <span class="swatch" aria-hidden="true"></span>
                { name }
                <kbd aria-hidden="true">{ label.key.clone() }</kbd>
            </button>
        }
    });
    let on_manage_labels = props.on_manage_labels.clone();
    let on_delete = props.on_delete.clone();
    let on_note = props.on_note.clone();
    let on_export_all = props.on_export_all.clone();
    let on_export_document = props.on_export_document.clone();
    html! {
        <div class="toolbar" role="toolbar" aria-label="Annotation tools">
            <div class="group labels">
                // Its own element: a list that changes length beside siblings
                // must be wrapped (yew#3262).
                <div class="label-buttons">{ for label_buttons }</div>
                <button type="button" class="manage-labels" aria-keyshortcuts="l"
                    title="Add, rename, recolour, rebind or remove labels (l)"
                    onclick={Callback::from(move |_| on_manage_labels.emit(()))}>{ "Labels…" }</button>
            </div>
            <div class="group">
                <button type="button" class="delete" disabled={!can_delete}
                    aria-keyshortcuts="Delete Backspace" title="Remove the selected span (Delete)"
                    onmousedown={Callback::from(keep_selection)}
                    onclick={Callback::from(move |_| on_delete.emit(()))}>{ "Delete" }</button>
                <button type="button" class="note" disabled={!can_note}
                    aria-keyshortcuts="Enter" title="Write a note on the selected span (Enter)"
                    onmousedown={Callback::from(keep_selection)}
                    onclick={Callback::from(move |_| on_note.emit(()))}>{ "Note" }</button>
            </div>
            <div class="group history">
                <button type="button" class="undo" disabled={undo.is_none()}
                    aria-keyshortcuts="Control+Z Meta+Z"
                    title={match &undo {
                        Some(what) => format!("Undo {what} (Ctrl+Z)"),
                        None => "Nothing to undo. Undo history lasts until the page is reloaded; your annotations are always saved.".to_owned(),
                    }}
                    onmousedown={Callback::from(keep_selection)}
                    onclick={props.on_undo.reform(|_| ())}>{ "Undo" }</button>
                <button type="button" class="redo" disabled={redo.is_none()}
                    aria-keyshortcuts="Control+Shift+Z Control+Y Meta+Shift+Z"
                    title={match &redo {
                        Some(what) => format!("Redo {what} (Ctrl+Shift+Z)"),
                        None => "Nothing to redo".to_owned(),
                    }}
                    onmousedown={Callback::from(keep_selection)}
                    onclick={props.on_redo.reform(|_| ())}>{ "Redo" }</button>
            </div>
            <div class="group transfer">
                <button type="button" aria-keyshortcuts="i" title="Import annotations from a file (i)"
                    onclick={props.on_import.reform(|_| ())}>{ "Import…" }</button>
                <button type="button" aria-keyshortcuts="e" title="Export in any format (e)"
                    onclick={props.on_export.reform(|_| ())}>{ "Export…" }</button>
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
