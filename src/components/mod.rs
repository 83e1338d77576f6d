//! The Yew components, one per file, and the glue between the pure store and
//! Yew. Components turn browser events into [`crate::store::Action`]s and the
//! state into DOM; they hold no state of their own beyond what is on screen.

mod add_texts;
mod app;
mod autosave;
mod confirm_remove;
mod corpus_autosave;
pub mod deferred;
mod document_list;
mod document_row;
mod document_view;
mod encoding_questions;
mod export_dialog;
mod find_bar;
mod identity;
mod import_dialog;
mod intake;
pub mod keys;
mod label_manager;
mod modal;
mod note_editor;
mod note_tooltip;
mod notices;
mod paste_dialog;
mod reader_bar;
pub mod reducer;
mod rename_dialog;
mod shortcut_help;
mod snap_preview;
mod span_handles;
mod span_list;
mod span_row;
mod spans_panel;
mod startup;
mod status_bar;
mod text_block;
mod text_caret;
mod text_group;
mod toolbar;
mod transfer;

pub use app::App;
pub use document_view::{DocumentView, DocumentViewProps};

/// Mounts the app on `<body>` and installs the crash screen.
pub fn start() {
    yew::Renderer::<App>::new().render();
    // After render(): Yew installs its own panic hook there, which ours wraps.
    crate::dom::crash::install_crash_screen();
}
