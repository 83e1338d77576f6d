//! The application: owns the store, loads the corpus at startup, saves every
//! change to browser storage as it happens, maps keys to actions, and lays
//! out the toolbar, the document list, the text and the status bar.

use std::collections::HashSet;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::autosave::use_autosave;
use super::corpus_autosave::{use_corpus_autosave, Provenance};
use super::document_list::DocumentList;
use super::document_view::DocumentView;
use super::keys::{use_keyboard, KeyboardInputs};
use super::note_editor::NoteEditor;
use super::note_tooltip::NoteTooltip;
use super::notices::Notices;
use super::reader_bar::ReaderBar;
use super::reducer::{excerpt, AppStore};
use super::shortcut_help::ShortcutHelp;
use super::spans_panel::SpansPanel;
use super::startup;
use super::status_bar::StatusBar;
use super::toolbar::{display_name, Toolbar};
use crate::caret::Caret;
use crate::dom::download::download;
use crate::dom::ids::{now_rfc3339, today};
use crate::formats::{native, ExportOptions};
use crate::keymap::Command;
use crate::model::Label;
use crate::model::{AnnotationId, Status};
use crate::persist;
use crate::snapshot::{self, Session};
use crate::store::{Action, Entry, State};
use crate::text::SnapMode;

#[component]
pub fn App() -> Html {
    let store = use_reducer(AppStore::default);
    let loaded = use_state(|| false);
    // `_eq`: setting the same outcome again must not re-render.
    let storage_error = use_state_eq(|| None::<String>);
    let problems = use_state(Vec::<String>::new);
    let view_ref = use_node_ref();
    // Documents whose annotations came from a file, not storage: written once.
    let unsaved_on_load = use_mut_ref(HashSet::<String>::new);
    let provenance = use_state(Provenance::default);
    // User texts the text store holds.
    let stored_texts = use_mut_ref(HashSet::<String>::new);

    {
        let store = store.clone();
        let loaded = loaded.clone();
        let storage_error = storage_error.clone();
        let problems = problems.clone();
        let unsaved_on_load = unsaved_on_load.clone();
        let provenance = provenance.clone();
        let stored_texts = stored_texts.clone();
        use_effect_with((), move |_| {
            wasm_bindgen_futures::spawn_local(async move {
                let result = startup::load().await;
                unsaved_on_load.borrow_mut().extend(result.unsaved);
                stored_texts.borrow_mut().extend(result.stored_texts);
                provenance.set(Provenance {
                    bundled: Rc::new(result.bundled),
                });
                store.dispatch(Action::AddDocuments(result.documents));
                store.dispatch(Action::Restore {
                    labels: result.labels,
                    statuses: result.statuses,
                });
                if let Some(open) = result.open {
                    store.dispatch(Action::Open(open));
                }
                problems.set(result.problems);
                storage_error.set(result.storage_error);
                loaded.set(true);
            });
        });
    }

    {
        let storage_error = storage_error.clone();
        use_autosave(
            &store.state.entries,
            unsaved_on_load.clone(),
            Callback::from(move |outcome: Option<String>| storage_error.set(outcome)),
        );
    }
    {
        let storage_error = storage_error.clone();
        use_corpus_autosave(
            *loaded,
            store.state.labels.clone(),
            &store.state.entries,
            (*provenance).clone(),
            stored_texts.clone(),
            Callback::from(move |outcome: Option<String>| {
                if outcome.is_some() {
                    storage_error.set(outcome)
                }
            }),
        );
    }
    {
        let storage_error = storage_error.clone();
        let loaded = *loaded;
        use_effect_with(store.state.open.clone(), move |open| {
            if loaded {
                if let Err(e) = persist::save_session(&Session {
                    open: open.clone(),
                    ..Session::default()
                }) {
                    storage_error.set(Some(e.to_string()));
                }
            }
        });
    }
    use_effect_with(store.state.labels.clone(), |labels| {
        set_label_colours(labels)
    });

    // The one dialog that may be open, and the find bar.
    let dialog = use_state_eq(|| Dialog::Closed);
    let find_open = use_state_eq(|| false);
    let on_app_command = {
        let (store, dialog, find_open) = (store.clone(), dialog.clone(), find_open.clone());
        Callback::from(move |command: Command| {
            run_app_command(&store, &dialog, &find_open, command)
        })
    };

    // Keyboard: the caret, shortcuts and label keys (see `keys`).
    // The snapping setting: kept here, for the settings to persist.
    let snap_mode = use_state_eq(SnapMode::default);
    let keyboard = use_keyboard(KeyboardInputs {
        store: store.clone(),
        root: view_ref.clone(),
        snap_mode: snap_mode.clone(),
        on_open_note: {
            let dialog = dialog.clone();
            Callback::from(move |id| dialog.set(Dialog::Note(id)))
        },
        on_app_command,
    });
    let apply_label = keyboard.apply_label.clone();
    let delete = {
        let store = store.clone();
        Callback::from(move |()| store.dispatch(Action::DeleteSelected))
    };
    let select = {
        let store = store.clone();
        Callback::from(move |id| store.dispatch(Action::Select(id)))
    };
    let open = {
        let store = store.clone();
        Callback::from(move |sha| store.dispatch(Action::Open(sha)))
    };
    let report = {
        let problems = problems.clone();
        move |problem: String| {
            let mut list = (*problems).clone();
            list.push(problem);
            problems.set(list);
        }
    };
    let export_all = {
        let store = store.clone();
        let report = report.clone();
        Callback::from(move |()| {
            let entries: Vec<&Entry> = store.state.entries.iter().collect();
            download_export(&store.state, &entries, "corpus").unwrap_or_else(&report);
        })
    };
    let export_document = {
        let store = store.clone();
        Callback::from(move |()| {
            if let Some(entry) = store.state.open_entry() {
                let what = file_stem(&entry.doc.name);
                download_export(&store.state, &[entry], &what).unwrap_or_else(&report);
            }
        })
    };
    let dismiss = {
        let problems = problems.clone();
        Callback::from(move |i: usize| {
            let mut list = (*problems).clone();
            if i < list.len() {
                list.remove(i);
            }
            problems.set(list);
        })
    };

    // Another tab saved a document's annotations: take them, so two tabs
    // never overwrite each other's work.
    {
        let store = store.clone();
        use_effect(move || {
            let listener = persist::on_annotations_saved_elsewhere(move |sha, record| {
                let Some(entry) = store.state.entry(sha) else {
                    return;
                };
                if let Ok(annotations) = snapshot::decode_annotations(&entry.doc, record) {
                    store.dispatch(Action::ReplaceAnnotations {
                        sha256: sha.to_owned(),
                        annotations,
                    });
                }
            });
            move || drop(listener)
        });
    }

    let toggle_snap = {
        let snap_mode = snap_mode.clone();
        Callback::from(move |()| {
            snap_mode.set(match *snap_mode {
                SnapMode::Words => SnapMode::Characters,
                SnapMode::Characters => SnapMode::Words,
            })
        })
    };
    let state = &store.state;
    let selected_info = state.selected_annotation().and_then(|a| {
        let doc = &state.open_entry()?.doc;
        Some((
            a.label.clone(),
            a.start,
            a.end,
            excerpt(doc.slice(a.start, a.end)),
        ))
    });
    let key_hint = state
        .labels
        .iter()
        .map(|l| format!("{} {}", l.key, display_name(&l.name)))
        .collect::<Vec<_>>()
        .join(", ");
    // --- Spans panel and notes (spans_panel, note_editor, note_tooltip) ---
    let edit_note = {
        let dialog = dialog.clone();
        Callback::from(move |id| dialog.set(Dialog::Note(id)))
    };
    let panel = state.open_entry().map(|entry| {
        let on_select = {
            let (store, set_caret) = (store.clone(), keyboard.set_caret.clone());
            Callback::from(move |(id, start): (AnnotationId, usize)| {
                store.dispatch(Action::Select(Some(id)));
                set_caret.emit(Caret::at(start));
            })
        };
        html! {
            <SpansPanel key={entry.doc.sha256().to_owned()} doc={entry.doc.clone()}
                annotations={entry.annotations.clone()} labels={state.labels.clone()}
                selected={state.selected.clone()} {on_select} on_edit_note={edit_note.clone()}
                text={view_ref.clone()} />
        }
    });
    let note_tooltip = state.open_entry().map(|entry| {
        html! { <NoteTooltip root={view_ref.clone()} annotations={entry.annotations.clone()} selected={state.selected.clone()} /> }
    });
    let note_editor = match &*dialog {
        Dialog::Note(id) => state.open_entry().and_then(|entry| {
            let span = entry.annotations.iter().find(|a| &a.id == id)?;
            let on_save = {
                let (store, dialog, id) = (store.clone(), dialog.clone(), id.clone());
                Callback::from(move |note| {
                    store.dispatch(Action::SetNote {
                        id: id.clone(),
                        note,
                    });
                    dialog.set(Dialog::Closed);
                })
            };
            let on_close = {
                let dialog = dialog.clone();
                Callback::from(move |()| dialog.set(Dialog::Closed))
            };
            Some(html! {
                <NoteEditor key={id.clone()} label={display_name(&span.label)}
                    excerpt={excerpt(entry.doc.slice(span.start, span.end))}
                    note={span.note.clone().map(AttrValue::from)} {on_save} {on_close}
                    text={view_ref.clone()} />
            })
        }),
        _ => None,
    };
    let on_note = {
        let (edit_note, selected) = (edit_note.clone(), state.selected.clone());
        Callback::from(move |()| {
            if let Some(id) = selected.clone() {
                edit_note.emit(id)
            }
        })
    };
    let selected_note = state
        .selected_annotation()
        .and_then(|a| a.note.as_deref())
        .map(|note| excerpt(&note.split_whitespace().collect::<Vec<_>>().join(" ")));
    // --- end of spans panel and notes ---
    let view = match state.open_entry() {
        Some(entry) => html! {
            <DocumentView key={entry.doc.sha256().to_owned()} entry={entry.clone()} labels={state.labels.clone()}
                selected={state.selected.clone()} on_select={select} root={view_ref.clone()}
                caret={keyboard.caret} on_caret={keyboard.set_caret.clone()} snap_mode={*snap_mode}
                on_resize={keyboard.resize.clone()} />
        },
        None if *loaded => html! { <p class="empty-state">{ "No documents could be loaded." }</p> },
        None => html! { <p class="empty-state" aria-busy="true">{ "Loading the articles…" }</p> },
    };

    html! {
        <div class="app" data-ready={loaded.then_some("true")}>
            <header class="topbar">
                <h1 class="brand">{ "Marginalia" }</h1>
                <Toolbar labels={state.labels.clone()} can_delete={state.selected.is_some()}
                    has_document={state.open.is_some()} on_label={apply_label} on_delete={delete}
                    can_note={state.selected_annotation().is_some()} {on_note}
                    on_export_all={export_all.clone()} on_export_document={export_document} />
            </header>
            <Notices storage_error={(*storage_error).clone()} problems={(*problems).clone()}
                on_export_all={export_all} on_dismiss={dismiss} />
            <div class="workspace">
                <DocumentList entries={state.entries.clone()} open={state.open.clone()} on_open={open} />
                <main class="reader">
                    <ReaderBar snap_mode={*snap_mode} on_toggle_snap={toggle_snap}
                        on_show_shortcuts={keyboard.set_help_open.reform(|()| true)} />
                    { view }
                    { note_tooltip.unwrap_or_default() }
                </main>
                { panel.unwrap_or_default() }
            </div>
            <StatusBar selected={selected_info} note={selected_note} announcement={store.announcement.clone()} {key_hint} />
            { note_editor.unwrap_or_default() }
            <ShortcutHelp open={keyboard.help_open} labels={state.labels.clone()}
                on_close={keyboard.set_help_open.reform(|()| false)} />
        </div>
    }
}

/// Label colours as CSS custom properties (`--label-0`, …), set through the
/// CSSOM, which the page's Content-Security-Policy allows (inline styles it
/// does not).
fn set_label_colours(labels: &[Label]) {
    let Some(root) = gloo::utils::document()
        .document_element()
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    else {
        return;
    };
    for (i, label) in labels.iter().enumerate() {
        let _ = root
            .style()
            .set_property(&format!("--label-{i}"), &label.color);
    }
}

/// Downloads the native JSON of `entries` as `marginalia-<what>-<date>.json`.
fn download_export(state: &State, entries: &[&Entry], what: &str) -> Result<(), String> {
    let options = ExportOptions {
        exported_at: now_rfc3339(),
        include_text: true,
    };
    let json = native::export(entries, &state.labels, &options);
    download(
        &format!("marginalia-{what}-{}.json", today()),
        "application/json",
        &json,
    )
}

/// A document name made safe for a file name, without its extension.
fn file_stem(name: &str) -> String {
    let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
    stem.chars()
        .map(|c| {
            if c.is_alphanumeric() || "-_.".contains(c) {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// The dialog the App shows, at most one at a time.
#[derive(Debug, Clone, PartialEq)]
pub enum Dialog {
    Closed,
    Export,
    Import,
    Labels,
    Paste,
    /// Editing the note of this span of the open document.
    Note(AnnotationId),
    /// Renaming this document (SHA-256).
    Rename(String),
    /// Asking before removing this document (SHA-256), which has spans.
    ConfirmRemove(String),
}

/// Carries out the commands that belong to the App rather than the text.
fn run_app_command(
    store: &UseReducerHandle<AppStore>,
    dialog: &UseStateHandle<Dialog>,
    find_open: &UseStateHandle<bool>,
    command: Command,
) {
    let state = &store.state;
    let open = state.open_entry();
    match command {
        Command::Find => find_open.set(true),
        Command::FocusSpansPanel => focus_element("spans-panel"),
        Command::ManageLabels => dialog.set(Dialog::Labels),
        Command::Export => dialog.set(Dialog::Export),
        Command::Import => dialog.set(Dialog::Import),
        Command::OpenTexts => {
            if let Some(input) = gloo::utils::document().get_element_by_id("open-texts") {
                input.unchecked_into::<web_sys::HtmlElement>().click();
            }
        }
        Command::PasteText => dialog.set(Dialog::Paste),
        Command::NextDocument { forward } => {
            let shas: Vec<&str> = state.entries.iter().map(|e| e.doc.sha256()).collect();
            let here = state
                .open
                .as_deref()
                .and_then(|sha| shas.iter().position(|s| *s == sha));
            let next = match (here, forward) {
                (None, _) => shas.first(),
                (Some(i), true) => shas.get(i + 1),
                (Some(i), false) => i.checked_sub(1).and_then(|i| shas.get(i)),
            };
            if let Some(sha) = next {
                store.dispatch(Action::Open((*sha).to_owned()));
            }
        }
        Command::CycleStatus => {
            if let Some(entry) = open {
                let status = match entry.status {
                    Status::NotStarted => Status::InProgress,
                    Status::InProgress => Status::Done,
                    Status::Done => Status::NotStarted,
                };
                store.dispatch(Action::SetStatus {
                    sha256: entry.doc.sha256().to_owned(),
                    status,
                });
            }
        }
        Command::RenameDocument => {
            if let Some(entry) = open {
                dialog.set(Dialog::Rename(entry.doc.sha256().to_owned()));
            }
        }
        Command::RemoveDocument => {
            if let Some(entry) = open {
                let sha = entry.doc.sha256().to_owned();
                if entry.annotations.is_empty() {
                    store.dispatch(Action::RemoveDocument(sha));
                } else {
                    dialog.set(Dialog::ConfirmRemove(sha));
                }
            }
        }
        _ => {}
    }
}

/// Moves the keyboard focus to the element with `id`, if it is there.
fn focus_element(id: &str) {
    if let Some(element) = gloo::utils::document().get_element_by_id(id) {
        let _ = element.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}
