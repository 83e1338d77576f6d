//! The bottom bar: what is selected (with the start of its note), a hint
//! for what to do next, and the polite live region that announces every
//! change to screen readers.

use yew::prelude::*;

use super::deferred::use_deferred;

#[derive(Properties, PartialEq)]
pub struct StatusBarProps {
    /// Label, range and excerpt of the selected span.
    pub selected: Option<(String, usize, usize, String)>,
    /// The start of the selected span's note, if it has one.
    #[prop_or_default]
    pub note: Option<String>,
    pub announcement: Option<String>,
    pub key_hint: String,
}

#[component]
pub fn StatusBar(props: &StatusBarProps) -> Html {
    // What is selected, a frame after the text: an edit is painted first.
    // The announcement is not held back: screen readers hear it at once.
    let (selected, note, key_hint) = use_deferred((
        props.selected.clone(),
        props.note.clone(),
        props.key_hint.clone(),
    ));
    let left = match &selected {
        Some((label, start, end, text)) => html! {
            <span class="selection-info">
                <span class="tag">{ label.clone() }</span>
                { format!(" {start}–{end} “{text}”") }
                if let Some(note) = &note {
                    <span class="status-note">{ " · Note: " }{ note.clone() }</span>
                }
                <span class="status-keys">
                    { " · relabel with a label key, Enter edits the note, Delete removes, Esc deselects" }
                </span>
            </span>
        },
        None => html! {
            <span class="hint">{ format!("Select text, then press {key_hint} — or click a span to select it.") }</span>
        },
    };
    html! {
        <footer class="status-bar">
            { left }
            <span class="announcement" role="status" aria-live="polite">
                { props.announcement.clone().unwrap_or_default() }
            </span>
        </footer>
    }
}
