//! `use_transfer`: everything that moves data in or out of the app, for the
//! App to wire to its controls: texts opened, dropped or pasted (with the
//! Windows-1252 choice for files that are not UTF-8), annotation files
//! imported (parse → plan → confirm, one undoable step), and exports in
//! every format. The pure work is in `crate::import` and `crate::formats`.

use std::rc::Rc;

use gloo::timers::callback::Timeout;
use yew::prelude::*;

use super::export_dialog::ExportRequest;
use super::import_dialog::ImportStage;
use super::intake::{pasted_name, EncodingQuestion, Intake};
use super::reducer::AppStore;
use crate::dom::download::download_bytes;
use crate::dom::files::{read_files, PickedFile};
use crate::dom::ids::{now_rfc3339, today, FreshIds};
use crate::dom::timing::{mark, measure};
use crate::formats::interchange::{FormatKind, Interchange};
use crate::formats::{export, ExportOptions, Exported};
use crate::import::detect::parse_files;
use crate::import::{
    is_text_name, plan_import, ImportMode, TextEncoding, MAX_ANNOTATION_BYTES, MAX_TEXT_BYTES,
};
use crate::model::Document;
use crate::store::{Action, Entry};

/// How long reading annotation files may take before the import dialog
/// says it is reading them, in ms.
const READING_NOTICE_AFTER_MS: u32 = 150;

/// What the App wires to its controls.
#[derive(Clone, PartialEq)]
pub struct Transfer {
    /// Text files picked or dropped.
    pub on_text_files: Callback<Vec<web_sys::File>>,
    /// Files dropped on the page: texts join the corpus, anything else is
    /// an annotation file to import.
    pub on_dropped: Callback<Vec<web_sys::File>>,
    /// `(name, text)` from the paste dialog.
    pub on_paste: Callback<(String, String)>,
    pub questions: Rc<Vec<EncodingQuestion>>,
    pub on_windows_1252: Callback<usize>,
    pub on_dismiss_question: Callback<usize>,
    pub import_stage: ImportStage,
    pub on_import_files: Callback<Vec<web_sys::File>>,
    pub on_import_mode: Callback<ImportMode>,
    pub on_import_confirm: Callback<()>,
    pub on_import_reset: Callback<()>,
    pub on_export: Callback<ExportRequest>,
    /// How many imports were applied: the App re-mounts the text view on
    /// each, so a document that gained thousands of spans is painted
    /// progressively (first screenful first) instead of in one long task.
    pub imports: u32,
}

/// `report` shows a message to the user; `opened_import` opens the import
/// dialog (for dropped annotation files).
#[hook]
pub fn use_transfer(
    store: UseReducerHandle<AppStore>,
    report: Callback<String>,
    opened_import: Callback<()>,
) -> Transfer {
    let questions = use_state(|| Rc::new(Vec::<EncodingQuestion>::new()));
    let imports = use_state(|| 0u32);
    let import_stage = use_state(|| ImportStage::Choosing);
    // The parsed file behind the plan, to re-plan when the mode changes.
    let parsed = use_mut_ref(|| None::<(Vec<String>, Rc<Interchange>)>);

    // Texts: decode, refuse or ask, add the rest and open the first.
    let take_intake = {
        let (store, report, questions) = (store.clone(), report.clone(), questions.clone());
        Callback::from(move |intake: Intake| {
            for message in intake.messages {
                report.emit(message);
            }
            if !intake.questions.is_empty() {
                let mut all = (**questions).clone();
                all.extend(intake.questions);
                questions.set(Rc::new(all));
            }
            let first = intake.documents.first().map(|d| d.sha256().to_owned());
            if !intake.documents.is_empty() {
                store.dispatch(Action::AddDocuments(
                    intake
                        .documents
                        .into_iter()
                        .map(|d| (Rc::new(d), Vec::new()))
                        .collect(),
                ));
            }
            if let Some(sha) = first {
                store.dispatch(Action::Open(sha));
            }
        })
    };
    let on_text_files = {
        let (store, take_intake) = (store.clone(), take_intake.clone());
        Callback::from(move |files: Vec<web_sys::File>| {
            let (store, take_intake) = (store.clone(), take_intake.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut intake = Intake::default();
                for file in read_files(files, MAX_TEXT_BYTES).await {
                    match file {
                        Ok(file) => intake.offer_file(&store.state, file, TextEncoding::Auto),
                        Err(problem) => intake.refuse(problem),
                    }
                }
                take_intake.emit(intake);
            });
        })
    };
    let on_paste = {
        let (store, take_intake) = (store.clone(), take_intake.clone());
        Callback::from(move |(name, text): (String, String)| {
            let mut intake = Intake::default();
            let name = pasted_name(&store.state, &name);
            intake.offer(&store.state, Document::new(&name, &text));
            take_intake.emit(intake);
        })
    };
    let on_windows_1252 = {
        let (store, questions, take_intake) =
            (store.clone(), questions.clone(), take_intake.clone());
        Callback::from(move |i: usize| {
            let mut all = (**questions).clone();
            if i >= all.len() {
                return;
            }
            let question = all.remove(i);
            questions.set(Rc::new(all));
            let mut intake = Intake::default();
            let file = PickedFile {
                name: question.name,
                bytes: (*question.bytes).clone(),
            };
            intake.offer_file(&store.state, file, TextEncoding::Windows1252);
            take_intake.emit(intake);
        })
    };
    let on_dismiss_question = {
        let questions = questions.clone();
        Callback::from(move |i: usize| {
            let mut all = (**questions).clone();
            if i < all.len() {
                all.remove(i);
            }
            questions.set(Rc::new(all));
        })
    };

    // Imports: read, detect and parse, plan against the corpus as it is.
    let replan = {
        let (store, import_stage, parsed) = (store.clone(), import_stage.clone(), parsed.clone());
        Callback::from(move |mode: ImportMode| {
            let Some((files, interchange)) = parsed.borrow().clone() else {
                return;
            };
            mark("import:plan:start");
            let mut ids = FreshIds::default();
            let plan = plan_import(
                &store.state,
                &interchange,
                mode,
                &mut || ids.next_id(),
                &now_rfc3339(),
            );
            measure("import:plan", "import:plan:start");
            import_stage.set(match plan {
                Ok(plan) => ImportStage::Planned {
                    files,
                    format: interchange.format,
                    mode,
                    plan: Rc::new(plan),
                },
                Err(e) => ImportStage::Failed(e.to_string()),
            });
        })
    };
    let on_import_files = {
        let (import_stage, parsed, replan) = (import_stage.clone(), parsed.clone(), replan.clone());
        Callback::from(move |files: Vec<web_sys::File>| {
            let names: Vec<String> = files.iter().map(|f| f.name()).collect();
            // Said only when reading takes a while: most files are read,
            // parsed and planned before it would show, and drawing it would
            // delay the report by a frame.
            let reading_notice = {
                let (import_stage, names) = (import_stage.clone(), names.clone());
                Timeout::new(READING_NOTICE_AFTER_MS, move || {
                    import_stage.set(ImportStage::Reading(names))
                })
            };
            let (import_stage, parsed, replan) =
                (import_stage.clone(), parsed.clone(), replan.clone());
            wasm_bindgen_futures::spawn_local(async move {
                let mut read = Vec::new();
                let files = read_files(files, MAX_ANNOTATION_BYTES).await;
                drop(reading_notice); // dropping a Timeout cancels it
                for file in files {
                    match file {
                        Ok(file) => read.push((file.name, file.bytes)),
                        Err(problem) => {
                            let mut intake = Intake::default();
                            intake.refuse(problem);
                            import_stage.set(ImportStage::Failed(intake.messages.join(" ")));
                            return;
                        }
                    }
                }
                mark("import:parse:start");
                let parsed_files = parse_files(&read);
                measure("import:parse", "import:parse:start");
                match parsed_files {
                    Ok(interchange) => {
                        *parsed.borrow_mut() = Some((names, Rc::new(interchange)));
                        replan.emit(ImportMode::Merge);
                    }
                    Err(e) => {
                        *parsed.borrow_mut() = None;
                        import_stage.set(ImportStage::Failed(e.to_string()));
                    }
                }
            });
        })
    };
    let on_import_confirm = {
        let (store, import_stage, parsed) = (store.clone(), import_stage.clone(), parsed.clone());
        let imports = imports.clone();
        Callback::from(move |()| {
            let ImportStage::Planned { plan, .. } = &*import_stage else {
                return;
            };
            // The benchmark measures from here to the next paint.
            mark("import:apply");
            store.dispatch(Action::Import {
                labels: plan.labels.clone(),
                changes: plan.changes.clone(),
            });
            imports.set(*imports + 1);
            *parsed.borrow_mut() = None;
            import_stage.set(ImportStage::Done(plan.clone()));
        })
    };
    let on_import_reset = {
        let (import_stage, parsed) = (import_stage.clone(), parsed.clone());
        Callback::from(move |()| {
            *parsed.borrow_mut() = None;
            import_stage.set(ImportStage::Choosing);
        })
    };
    let on_dropped = {
        let (on_text_files, on_import_files) = (on_text_files.clone(), on_import_files.clone());
        Callback::from(move |files: Vec<web_sys::File>| {
            // A .txt beside a brat .ann is the annotated text, not a new document.
            let brat = files.iter().any(|f| {
                let name = f.name().to_ascii_lowercase();
                name.ends_with(".ann") || name.ends_with(".zip")
            });
            let (texts, others): (Vec<_>, Vec<_>) = files
                .into_iter()
                .partition(|f| !brat && is_text_name(&f.name()));
            if !texts.is_empty() {
                on_text_files.emit(texts);
            }
            if !others.is_empty() {
                opened_import.emit(());
                on_import_files.emit(others);
            }
        })
    };

    let on_export = {
        let store = store.clone();
        Callback::from(move |request: ExportRequest| {
            let started = format!("export:{}:start", request.format.extension_id());
            mark(&started);
            let state = &store.state;
            let (entries, what): (Vec<&Entry>, String) = match state.open_entry() {
                Some(entry) if !request.whole_corpus => (vec![entry], file_stem(&entry.doc.name)),
                _ => (state.entries.iter().collect(), "corpus".into()),
            };
            let options = ExportOptions {
                exported_at: now_rfc3339(),
                include_text: request.include_text,
            };
            let name = format!(
                "marginalia-{what}-{}{}.{}",
                today(),
                match request.format {
                    FormatKind::Native | FormatKind::Jsonl | FormatKind::Csv => "".into(),
                    other => format!(".{}", other.extension_id()),
                },
                request.format.extension()
            );
            let exported = export(request.format, &entries, &state.labels, &options);
            // The file's bytes are ready; what follows is the browser's download.
            measure(
                &format!("export:{}", request.format.extension_id()),
                &started,
            );
            let result = match exported {
                // As bytes: no round trip of a large export through a JS string.
                Exported::Text(text) => {
                    download_bytes(&name, request.format.mime(), text.as_bytes())
                }
                Exported::Binary(bytes) => download_bytes(&name, request.format.mime(), &bytes),
            };
            if let Err(problem) = result {
                report.emit(problem);
            }
        })
    };

    Transfer {
        on_text_files,
        on_dropped,
        on_paste,
        questions: (*questions).clone(),
        on_windows_1252,
        on_dismiss_question,
        import_stage: (*import_stage).clone(),
        on_import_files,
        on_import_mode: replan,
        on_import_confirm,
        on_import_reset,
        on_export,
        imports: *imports,
    }
}

/// A document name made safe for a file name, without its extension.
pub fn file_stem(name: &str) -> String {
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
