//! The application: owns the store, loads the corpus at startup, saves every
//! change to browser storage as it happens, maps keys to actions, and lays
//! out the toolbar, the document list, the text and the status bar.

use std::collections::HashSet;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::add_texts::AddTexts;
use super::autosave::use_autosave;
use super::confirm_remove::ConfirmRemove;
use super::corpus_autosave::{use_corpus_autosave, Provenance};
use super::document_list::DocumentList;
use super::document_view::DocumentView;
use super::encoding_questions::EncodingQuestions;
use super::export_dialog::{ExportDialog, ExportRequest};
use super::find_bar::{focus_find_input, FindBar};
use super::identity::use_latest_callback;
use super::import_dialog::ImportDialog;
use super::keys::{use_keyboard, KeyboardInputs};
use super::label_manager::LabelManager;
use super::note_editor::NoteEditor;
use super::note_tooltip::NoteTooltip;
use super::notices::Notices;
use super::paste_dialog::PasteDialog;
use super::reader_bar::ReaderBar;
use super::reducer::{excerpt, AppStore};
use super::rename_dialog::RenameDialog;
use super::shortcut_help::ShortcutHelp;
use super::spans_panel::SpansPanel;
use super::startup;
use super::status_bar::StatusBar;
use super::toolbar::{display_name, Toolbar};
use super::transfer::use_transfer;
use crate::caret::Caret;
use crate::dom::files::{drag_has_files, dropped_files};
use crate::formats::interchange::FormatKind;
use crate::keymap::Command;
use crate::model::Label;
use crate::model::{AnnotationId, Status};
use crate::persist;
use crate::snapshot::{self, Session};
use crate::store::Action;
use crate::text::SnapMode;

/// Spans added or removed in one step above which the text view is
/// re-mounted rather than re-diffed.
const BIG_CHANGE: usize = 500;

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
    // The open document, its span count and the text view's generation (see below).
    let last_view = use_mut_ref(|| (None::<String>, 0usize, 0u32));
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
    // The snapping setting, kept with the session.
    let snap_mode = use_state_eq(|| {
        if persist::load_session().exact_characters {
            SnapMode::Characters
        } else {
            SnapMode::Words
        }
    });
    {
        let storage_error = storage_error.clone();
        let loaded = *loaded;
        use_effect_with(
            (store.state.open.clone(), *snap_mode),
            move |(open, snap)| {
                if loaded {
                    if let Err(e) = persist::save_session(&Session {
                        open: open.clone(),
                        exact_characters: *snap == SnapMode::Characters,
                    }) {
                        storage_error.set(Some(e.to_string()));
                    }
                }
            },
        );
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
    // Callbacks handed to the shell keep their identity across renders
    // (`use_latest_callback`), so an edit re-renders what it changes only.
    let apply_label = {
        let apply_label = keyboard.apply_label.clone();
        use_latest_callback(move |label| apply_label.emit(label))
    };
    let delete = {
        let store = store.clone();
        use_latest_callback(move |()| store.dispatch(Action::DeleteSelected))
    };
    let select = {
        let store = store.clone();
        use_latest_callback(move |id| store.dispatch(Action::Select(id)))
    };
    let open = {
        let store = store.clone();
        use_latest_callback(move |sha| store.dispatch(Action::Open(sha)))
    };
    let report = {
        let problems = problems.clone();
        move |problem: String| {
            let mut list = (*problems).clone();
            list.push(problem);
            problems.set(list);
        }
    };
    let dismiss = {
        let problems = problems.clone();
        use_latest_callback(move |i: usize| {
            let mut list = (*problems).clone();
            if i < list.len() {
                list.remove(i);
            }
            problems.set(list);
        })
    };

    // Files in and out: texts, imports, exports (see `transfer`).
    let transfer = {
        let report = report.clone();
        let dialog = dialog.clone();
        use_transfer(
            store.clone(),
            Callback::from(move |problem: String| report(problem)),
            Callback::from(move |()| dialog.set(Dialog::Import)),
        )
    };
    // The quick exports: Marginalia JSON with texts, through the Export dialog's path.
    let quick_export = |whole_corpus: bool| {
        transfer.on_export.reform(move |()| ExportRequest {
            format: FormatKind::Native,
            whole_corpus,
            include_text: true,
        })
    };
    let export_all = {
        let export = quick_export(true);
        use_latest_callback(move |()| export.emit(()))
    };
    let export_document = {
        let export = quick_export(false);
        use_latest_callback(move |()| export.emit(()))
    };
    let on_text_files = {
        let on_text_files = transfer.on_text_files.clone();
        use_latest_callback(move |files| on_text_files.emit(files))
    };
    let on_windows_1252 = {
        let on_windows_1252 = transfer.on_windows_1252.clone();
        use_latest_callback(move |i| on_windows_1252.emit(i))
    };
    let on_dismiss_question = {
        let on_dismiss_question = transfer.on_dismiss_question.clone();
        use_latest_callback(move |i| on_dismiss_question.emit(i))
    };
    // Files dropped anywhere on the page.
    {
        let on_dropped = transfer.on_dropped.clone();
        use_effect(move || {
            let document = gloo::utils::document();
            let options = EventListenerOptions::enable_prevent_default();
            let over = EventListener::new_with_options(&document, "dragover", options, |event| {
                if drag_has_files(event) {
                    // Says "a drop is welcome here"; without it the browser opens the file.
                    event.prevent_default();
                }
            });
            let on_drop =
                EventListener::new_with_options(&document, "drop", options, move |event| {
                    let files = dropped_files(event);
                    if !files.is_empty() {
                        event.prevent_default();
                        on_dropped.emit(files);
                    }
                });
            move || drop((over, on_drop))
        });
    }

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
        use_latest_callback(move |()| {
            snap_mode.set(match *snap_mode {
                SnapMode::Words => SnapMode::Characters,
                SnapMode::Characters => SnapMode::Words,
            })
        })
    };
    // --- labels branch: document list and label dialogs ---
    let set_status = {
        let store = store.clone();
        use_latest_callback(move |(sha256, status): (String, Status)| {
            store.dispatch(Action::SetStatus { sha256, status })
        })
    };
    let rename_document = {
        let dialog = dialog.clone();
        use_latest_callback(move |sha: String| dialog.set(Dialog::Rename(sha)))
    };
    let remove_document = {
        let (store, dialog) = (store.clone(), dialog.clone());
        use_latest_callback(move |sha: String| remove_or_ask(&store, &dialog, sha))
    };
    let on_undo = {
        let store = store.clone();
        use_latest_callback(move |()| store.dispatch(Action::Undo))
    };
    let on_redo = {
        let store = store.clone();
        use_latest_callback(move |()| store.dispatch(Action::Redo))
    };
    let stable_dialog = |which: Dialog| {
        let dialog = dialog.clone();
        move |()| dialog.set(which.clone())
    };
    let on_manage_labels = use_latest_callback(stable_dialog(Dialog::Labels));
    let on_export_dialog = use_latest_callback(stable_dialog(Dialog::Export));
    let on_import_dialog = use_latest_callback(stable_dialog(Dialog::Import));
    let on_paste_dialog = use_latest_callback(stable_dialog(Dialog::Paste));
    let on_show_shortcuts = {
        let set_help_open = keyboard.set_help_open.clone();
        use_latest_callback(move |()| set_help_open.emit(true))
    };
    let on_close_shortcuts = {
        let set_help_open = keyboard.set_help_open.clone();
        use_latest_callback(move |()| set_help_open.emit(false))
    };
    let close_dialog = {
        let dialog = dialog.clone();
        Callback::from(move |()| dialog.set(Dialog::Closed))
    };
    let label_dialogs = match &*dialog {
        Dialog::Labels => html! {
            <LabelManager store={store.clone()} on_close={close_dialog.clone()} />
        },
        Dialog::Rename(sha) => html! {
            <RenameDialog store={store.clone()} sha256={sha.clone()} on_close={close_dialog.clone()} />
        },
        Dialog::ConfirmRemove(sha) => match store.state.entry(sha) {
            Some(entry) => {
                let on_confirm = {
                    let (store, dialog, sha) = (store.clone(), dialog.clone(), sha.clone());
                    Callback::from(move |()| {
                        store.dispatch(Action::RemoveDocument(sha.clone()));
                        dialog.set(Dialog::Closed);
                    })
                };
                html! {
                    <ConfirmRemove name={entry.doc.name.clone()} spans={entry.annotations.len()}
                        {on_confirm} on_close={close_dialog.clone()} />
                }
            }
            None => html! {},
        },
        _ => html! {},
    };
    // --- end labels branch ---
    // A step that adds or removes many spans at once (tag all, an undone
    // import, removing a label) re-mounts the text view, which then paints
    // progressively, first screenful first, instead of re-diffing every
    // line in one long task.
    let view_generation = {
        let count = store.state.open_entry().map_or(0, |e| e.annotations.len());
        let mut last = last_view.borrow_mut();
        let (sha, previous, generation) = &mut *last;
        let open = store.state.open.clone();
        if *sha == open && count.abs_diff(*previous) > BIG_CHANGE {
            *generation += 1;
        }
        (*sha, *previous) = (open, count);
        *generation
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
        use_latest_callback(move |id| dialog.set(Dialog::Note(id)))
    };
    let select_from_panel = {
        let (store, set_caret) = (store.clone(), keyboard.set_caret.clone());
        use_latest_callback(move |(id, start): (AnnotationId, usize)| {
            store.dispatch(Action::Select(Some(id)));
            set_caret.emit(Caret::at(start));
        })
    };
    let panel = state.open_entry().map(|entry| {
        let on_select = select_from_panel.clone();
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
        use_latest_callback(move |()| {
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
            <DocumentView key={format!("{}#{}#{}", entry.doc.sha256(), transfer.imports, view_generation)} entry={entry.clone()} labels={state.labels.clone()}
                selected={state.selected.clone()} on_select={select} root={view_ref.clone()}
                caret={keyboard.caret} on_caret={keyboard.set_caret.clone()} snap_mode={*snap_mode}
                on_resize={keyboard.resize.clone()} />
        },
        None if *loaded && !state.entries.is_empty() => {
            html! { <p class="empty-state">{ "Choose a document from the list." }</p> }
        }
        None if *loaded => html! {
            <p class="empty-state">{ "No documents. Open or paste a text — or press Ctrl+Z to bring back one you removed." }</p>
        },
        None => html! { <p class="empty-state" aria-busy="true">{ "Loading the articles…" }</p> },
    };

    let close_dialog = {
        let dialog = dialog.clone();
        Callback::from(move |()| dialog.set(Dialog::Closed))
    };
    let modal = match &*dialog {
        Dialog::Export => {
            let (on_export, close) = (transfer.on_export.clone(), close_dialog.clone());
            html! {
                <ExportDialog has_document={state.open.is_some()} on_close={close_dialog.clone()}
                    on_export={Callback::from(move |request| {
                        on_export.emit(request);
                        close.emit(());
                    })} />
            }
        }
        Dialog::Import => {
            let (reset, close) = (transfer.on_import_reset.clone(), close_dialog.clone());
            html! {
                <ImportDialog stage={transfer.import_stage.clone()}
                    on_files={transfer.on_import_files.clone()} on_mode={transfer.on_import_mode.clone()}
                    on_confirm={transfer.on_import_confirm.clone()}
                    on_close={Callback::from(move |()| {
                        reset.emit(());
                        close.emit(());
                    })} />
            }
        }
        Dialog::Paste => {
            let (on_paste, close) = (transfer.on_paste.clone(), close_dialog.clone());
            html! {
                <PasteDialog on_close={close_dialog.clone()} on_add={Callback::from(move |pasted| {
                    on_paste.emit(pasted);
                    close.emit(());
                })} />
            }
        }
        _ => html! {},
    };
    let find_bar = (*find_open).then(|| {
        let dispatch = store.clone();
        let find_open = find_open.clone();
        html! {
            <FindBar entry={state.open_entry().cloned()} labels={state.labels.clone()}
                root={view_ref.clone()} caret={keyboard.caret.focus} on_caret={keyboard.set_caret.clone()}
                on_action={Callback::from(move |action| dispatch.dispatch(action))}
                on_close={Callback::from(move |()| find_open.set(false))} />
        }
    });

    html! {
        <div class="app" data-ready={loaded.then_some("true")}>
            <header class="topbar">
                <h1 class="brand">{ "Marginalia" }</h1>
                <Toolbar labels={state.labels.clone()} can_delete={state.selected.is_some()}
                    has_document={state.open.is_some()} on_label={apply_label} on_delete={delete}
                    can_note={state.selected_annotation().is_some()} {on_note}
                    on_export_all={export_all.clone()} on_export_document={export_document}
                    undo={state.undo_description()} redo={state.redo_description()}
                    {on_undo} {on_redo} on_export={on_export_dialog} on_import={on_import_dialog}
                    {on_manage_labels} />
            </header>
            <Notices storage_error={(*storage_error).clone()} problems={(*problems).clone()}
                on_export_all={export_all} on_dismiss={dismiss} />
            <div class="notices">
                <EncodingQuestions questions={(*transfer.questions).clone()}
                    {on_windows_1252} on_dismiss={on_dismiss_question} />
            </div>
            <div class="workspace">
                <aside class="sidebar">
                    <AddTexts on_files={on_text_files} on_paste={on_paste_dialog} />
                    <DocumentList entries={state.entries.clone()} open={state.open.clone()} on_open={open}
                        on_status={set_status} on_rename={rename_document} on_remove={remove_document} />
                </aside>
                <main class="reader">
                    <ReaderBar snap_mode={*snap_mode} on_toggle_snap={toggle_snap} {on_show_shortcuts} />
                    // Find (Ctrl+F): the bar above the text, while open.
                    { find_bar }
                    { view }
                    { note_tooltip.unwrap_or_default() }
                </main>
                { panel.unwrap_or_default() }
            </div>
            <StatusBar selected={selected_info} note={selected_note} announcement={store.announcement.clone()} {key_hint} />
            { note_editor.unwrap_or_default() }
            <ShortcutHelp open={keyboard.help_open} labels={state.labels.clone()}
                on_close={on_close_shortcuts} />
            { modal }
            { label_dialogs }
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
        Command::Find => {
            find_open.set(true);
            // Already open: back to its field.
            focus_find_input();
        }
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
                remove_or_ask(store, dialog, entry.doc.sha256().to_owned());
            }
        }
        _ => {}
    }
}

/// Removes document `sha` at once when it has no spans; else asks first.
fn remove_or_ask(store: &UseReducerHandle<AppStore>, dialog: &UseStateHandle<Dialog>, sha: String) {
    match store.state.entry(&sha) {
        Some(entry) if entry.annotations.is_empty() => store.dispatch(Action::RemoveDocument(sha)),
        Some(_) => dialog.set(Dialog::ConfirmRemove(sha)),
        None => {}
    }
}

/// Moves the keyboard focus to the element with `id`, if it is there.
fn focus_element(id: &str) {
    if let Some(element) = gloo::utils::document().get_element_by_id(id) {
        let _ = element.unchecked_into::<web_sys::HtmlElement>().focus();
    }
}
