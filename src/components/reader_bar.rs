//! The bar above the text: the snapping setting (whole words or exact
//! characters; a toggle button that says which is on) and the button that
//! opens the shortcut overlay.

use yew::prelude::*;

use crate::text::SnapMode;

#[derive(Properties, PartialEq)]
pub struct ReaderBarProps {
    pub snap_mode: SnapMode,
    pub on_toggle_snap: Callback<()>,
    pub on_show_shortcuts: Callback<()>,
}

#[component]
pub fn ReaderBar(props: &ReaderBarProps) -> Html {
    let words = props.snap_mode == SnapMode::Words;
    let toggle = props.on_toggle_snap.reform(|_: MouseEvent| ());
    let shortcuts = props.on_show_shortcuts.reform(|_: MouseEvent| ());
    html! {
        <div class="reader-bar" role="group" aria-label="Selection and keyboard">
            <button type="button" class="snap-toggle" aria-pressed={if words { "true" } else { "false" }}
                onclick={toggle} title="Shortcut: s">
                { "Snap to words" }
            </button>
            <span class="snap-hint">
                { if words { "Selections grow to whole words, without edge punctuation" } else { "Selections keep exact characters" } }
            </span>
            <button type="button" class="shortcuts-button" onclick={shortcuts} aria-keyshortcuts="?">
                { "Shortcuts " }<kbd>{ "?" }</kbd>
            </button>
        </div>
    }
}
