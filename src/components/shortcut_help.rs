//! The `?` overlay: every shortcut from [`crate::keymap::SHORTCUTS`] and the
//! label keys, by group, in a modal `<dialog>` (the browser traps the focus
//! in it and makes the page behind inert; Escape closes it). Focus goes back
//! to where it was when it closes.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::keymap::{display_combo, Group, SHORTCUTS};
use crate::model::Label;

#[derive(Properties, PartialEq)]
pub struct ShortcutHelpProps {
    pub open: bool,
    pub labels: Rc<Vec<Label>>,
    pub on_close: Callback<()>,
}

#[component]
pub fn ShortcutHelp(props: &ShortcutHelpProps) -> Html {
    let dialog = use_node_ref();
    // Where the focus was before the dialog opened.
    let return_to = use_mut_ref(|| None::<web_sys::HtmlElement>);
    {
        let dialog = dialog.clone();
        let return_to = return_to.clone();
        use_effect_with(props.open, move |&open| {
            let Some(dialog) = dialog.cast::<web_sys::HtmlDialogElement>() else {
                return;
            };
            if open && !dialog.open() {
                *return_to.borrow_mut() = gloo::utils::document()
                    .active_element()
                    .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok());
                let _ = dialog.show_modal();
            } else if !open && dialog.open() {
                dialog.close();
            }
        });
    }
    // The browser closes the dialog on Escape: tell the owner, restore focus.
    let onclose = {
        let on_close = props.on_close.clone();
        let return_to = return_to.clone();
        Callback::from(move |_: Event| {
            if let Some(element) = return_to.borrow_mut().take() {
                let _ = element.focus();
            }
            on_close.emit(());
        })
    };
    let close = {
        let dialog = dialog.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(dialog) = dialog.cast::<web_sys::HtmlDialogElement>() {
                dialog.close();
            }
        })
    };
    let keys = |combos: &[&str]| -> Html {
        combos
            .iter()
            .enumerate()
            .map(|(i, combo)| {
                html! {
                    <span key={*combo} class="combo">
                        if i > 0 { <span class="or">{ "or" }</span> }
                        <kbd>{ display_combo(combo) }</kbd>
                    </span>
                }
            })
            .collect()
    };
    let groups = Group::ALL.iter().map(|&group| {
        let rows = SHORTCUTS.iter().filter(|s| s.group == group).map(|s| {
            html! {
                <tr key={s.description}>
                    <td class="keys">{ keys(s.combos) }</td>
                    <td>{ s.description }</td>
                </tr>
            }
        });
        let label_rows = (group == Group::Spans).then(|| {
            props
                .labels
                .iter()
                .map(|l| {
                    html! {
                        <tr key={format!("label-{}", l.name)}>
                            <td class="keys"><kbd>{ l.key.clone() }</kbd></td>
                            <td>{ format!("Tag the selection as {} (or relabel the selected span)", l.name) }</td>
                        </tr>
                    }
                })
                .collect::<Html>()
        });
        html! {
            <section key={group.title()}>
                <h3>{ group.title() }</h3>
                <table>
                    <tbody>
                        { label_rows.unwrap_or_default() }
                        { for rows }
                    </tbody>
                </table>
            </section>
        }
    });
    // The table is built only while the dialog shows: the App re-renders
    // this on every edit, and diffing some sixty rows each time is wasted.
    html! {
        <dialog ref={dialog} class="shortcut-help" aria-labelledby="shortcut-help-title" {onclose}>
            if props.open {
                <header>
                    <h2 id="shortcut-help-title">{ "Keyboard shortcuts" }</h2>
                    <button type="button" class="close" onclick={close} autofocus=true>{ "Close" }</button>
                </header>
                <div class="shortcut-groups">{ for groups }</div>
                <p class="history-note">
                    { "Every edit is saved in this browser at once. Undo history is kept per document while the page is open; it starts afresh after a reload." }
                </p>
            }
        </dialog>
    }
}
