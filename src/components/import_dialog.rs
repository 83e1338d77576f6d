//! The "Import annotations" dialog: pick (or drop) an annotation file, see
//! what it holds and what importing would do (spans placed exactly,
//! re-anchored, orphaned, each orphan with its quote), choose to merge with
//! or replace the current annotations, then import as one undoable step.
//! A file with any error changes nothing; the message names the file, the
//! place and what was expected.

use std::rc::Rc;

use yew::prelude::*;

use super::modal::Modal;
use crate::dom::files::files_of;
use crate::formats::interchange::FormatKind;
use crate::import::{ImportMode, ImportPlan};

/// Where the import is.
#[derive(Debug, Clone, PartialEq)]
pub enum ImportStage {
    Choosing,
    Reading(Vec<String>),
    /// The file cannot be imported; nothing changed.
    Failed(String),
    /// Parsed and planned against the current corpus.
    Planned {
        files: Vec<String>,
        format: FormatKind,
        mode: ImportMode,
        plan: Rc<ImportPlan>,
    },
    /// Imported: the report, for the record.
    Done(Rc<ImportPlan>),
}

#[derive(Properties, PartialEq)]
pub struct ImportDialogProps {
    pub stage: ImportStage,
    pub on_files: Callback<Vec<web_sys::File>>,
    pub on_mode: Callback<ImportMode>,
    pub on_confirm: Callback<()>,
    pub on_close: Callback<()>,
}

/// Longest quote shown for an orphan, in characters.
const QUOTE: usize = 80;

#[component]
pub fn ImportDialog(props: &ImportDialogProps) -> Html {
    let on_change = {
        let on_files = props.on_files.clone();
        Callback::from(move |event: Event| {
            let input: web_sys::HtmlInputElement = event.target_unchecked_into();
            let files = files_of(input.files());
            input.set_value("");
            if !files.is_empty() {
                on_files.emit(files);
            }
        })
    };
    let picker = html! {
        <p class="file-pick">
            <label for="import-files">{ "Annotation file (or a brat .ann with its .txt, or a .zip)" }</label>
            <input id="import-files" type="file" multiple=true onchange={on_change}
                accept=".json,.jsonl,.jsonld,.csv,.ann,.txt,.zip,.conf,application/json,text/csv,application/zip" />
        </p>
    };
    let on_close = props.on_close.clone();
    let close = html! {
        <button type="button" onclick={Callback::from(move |_| on_close.emit(()))}>{ "Close" }</button>
    };
    let body = match &props.stage {
        ImportStage::Choosing => html! {
            <>
                <p>{ "Marginalia JSON, JSONL (spaCy/Prodigy or doccano), W3C Web Annotation, Label Studio, brat and CSV are recognised from their content. Documents are matched by SHA-256, then by name." }</p>
                { picker }
                <div class="modal-actions">{ close }</div>
            </>
        },
        ImportStage::Reading(names) => html! {
            <p aria-busy="true" role="status">{ format!("Reading {}…", names.join(", ")) }</p>
        },
        ImportStage::Failed(problem) => html! {
            <>
                <div class="notice problem" role="alert">
                    <p><strong>{ "This file cannot be imported; nothing was changed. " }</strong>{ problem.clone() }</p>
                </div>
                { picker }
                <div class="modal-actions">{ close }</div>
            </>
        },
        ImportStage::Planned {
            files,
            format,
            mode,
            plan,
        } => {
            let choice = |value: ImportMode, id: &'static str, text: &'static str| {
                let on_mode = props.on_mode.clone();
                html! {
                    <label for={id}>
                        <input type="radio" name="import-mode" id={id} checked={*mode == value}
                            onchange={Callback::from(move |_| on_mode.emit(value))} />
                        { text }
                    </label>
                }
            };
            let on_confirm = props.on_confirm.clone();
            html! {
                <>
                    <p>{ format!("{} ({})", files.join(", "), format.title()) }</p>
                    <fieldset>
                        <legend>{ "Into the current annotations" }</legend>
                        { choice(ImportMode::Merge, "import-merge", "Merge: keep them and add these (identical spans are not doubled)") }
                        { choice(ImportMode::Replace, "import-replace", "Replace: the matched documents get exactly these spans") }
                    </fieldset>
                    { report(plan) }
                    <div class="modal-actions">
                        { close }
                        <button type="button" class="primary" onclick={Callback::from(move |_| on_confirm.emit(()))}>
                            { "Import" }
                        </button>
                    </div>
                </>
            }
        }
        ImportStage::Done(plan) => html! {
            <>
                <p role="status"><strong>{ "Imported. " }</strong>{ "Undo (Ctrl+Z) takes the whole import back." }</p>
                { report(plan) }
                <div class="modal-actions">{ close }</div>
            </>
        },
    };
    html! {
        <Modal title="Import annotations" on_close={props.on_close.clone()} class="import-dialog">
            { body }
        </Modal>
    }
}

/// The plan's summary and its orphans, each with its quote.
fn report(plan: &ImportPlan) -> Html {
    let orphans = plan.report.orphans.iter().enumerate().map(|(i, o)| {
        let quote = o.quote.as_deref().map_or_else(
            || "(no quote in the file)".to_owned(),
            |q| format!("“{}”", super::reducer::excerpt_of(q, QUOTE)),
        );
        html! {
            <li key={i}>
                <span class="orphan-label">{ o.label.clone() }</span>
                { format!(" {} — {} at {}..{} in the file", quote, o.document, o.start, o.end) }
            </li>
        }
    });
    html! {
        <div class="import-report">
            <p class="summary">{ plan.report.summary() }</p>
            if !plan.report.orphans.is_empty() {
                <h3>{ "Orphans: spans that could not be placed (not imported)" }</h3>
                <ul class="orphans">{ for orphans }</ul>
            }
        </div>
    }
}
