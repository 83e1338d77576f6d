//! The label manager (shortcut `l`, toolbar "Labels…"): every label with its
//! name, colour, key and how many spans use it, each editable in place, and
//! a form to add one. Every change is one store action, so Ctrl+Z undoes it
//! (inside the dialog too); the dialog always shows the store's labels.
//!
//! Changes are checked before they are dispatched, on a copy of the state
//! (the pure reducer says whether it would take them), so a refusal is shown
//! beside the field that caused it, not only announced.

use std::collections::HashMap;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::modal::Modal;
use super::reducer::{check, plural, usage, AppStore};
use super::text_block::label_class;
use crate::keymap::{is_reserved, KeyPress, SHORTCUTS};
use crate::model::Label;
use crate::store::Action;

/// The Okabe–Ito palette, which stays distinguishable with the common
/// colour-vision deficiencies; new labels take the first colour not in use.
pub const PALETTE: [&str; 8] = [
    "#0072b2", "#d55e00", "#009e73", "#e69f00", "#56b4e9", "#cc79a7", "#f0e442", "#000000",
];

#[derive(Properties, PartialEq)]
pub struct LabelManagerProps {
    pub store: UseReducerHandle<AppStore>,
    pub on_close: Callback<()>,
}

/// Which field a message belongs to.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Field {
    Name(usize),
    Key(usize),
    Color(usize),
    Remove(usize),
    New,
}

#[component]
pub fn LabelManager(props: &LabelManagerProps) -> Html {
    let store = &props.store;
    let state = &store.state;
    let errors = use_state(HashMap::<Field, String>::new);
    // The label whose removal waits for a yes (it has spans).
    let confirming = use_state(|| None::<String>);
    let confirm_cancel = use_node_ref();
    let new_name = use_node_ref();
    // The add form's colour and key, once the user chose them.
    let new_color = use_state(|| None::<String>);
    let new_key = use_state(|| None::<String>);

    {
        let confirm_cancel = confirm_cancel.clone();
        use_effect_with((*confirming).clone(), move |confirming| {
            if confirming.is_some() {
                focus(&confirm_cancel);
            }
        });
    }

    // Sets or clears one field's message.
    let say = {
        let errors = errors.clone();
        move |field: Field, message: Option<String>| {
            let mut all = (*errors).clone();
            match message {
                Some(m) => all.insert(field, m),
                None => all.remove(&field),
            };
            errors.set(all);
        }
    };
    // Dispatches `action` if the store would take it; else says why.
    let attempt = {
        let store = store.clone();
        let say = say.clone();
        move |field: Field, action: Action| -> bool {
            match check(&store.state, &action) {
                Ok(()) => {
                    store.dispatch(action);
                    say(field, None);
                    true
                }
                Err(message) => {
                    say(field, Some(message));
                    false
                }
            }
        }
    };

    let rows = state.labels.iter().enumerate().map(|(i, label)| {
        let (spans, documents) = usage(state, &label.name);
        let name = label.name.clone();
        let on_rename = {
            let attempt = attempt.clone();
            let from = name.clone();
            Callback::from(move |event: Event| {
                let Some(input) = input_of(&event) else { return };
                let to = input.value();
                if to.trim() == from {
                    return;
                }
                attempt(
                    Field::Name(i),
                    Action::RenameLabel {
                        from: from.clone(),
                        to,
                    },
                );
            })
        };
        let on_recolor = {
            let attempt = attempt.clone();
            let name = name.clone();
            Callback::from(move |event: Event| {
                if let Some(input) = input_of(&event) {
                    attempt(
                        Field::Color(i),
                        Action::RecolorLabel {
                            name: name.clone(),
                            color: input.value(),
                        },
                    );
                }
            })
        };
        let on_key = {
            let attempt = attempt.clone();
            let say = say.clone();
            let name = name.clone();
            let current = label.key.clone();
            Callback::from(move |event: InputEvent| {
                let Some(input) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                else {
                    return;
                };
                // The field keeps one character: the one just typed.
                let Some(typed) = input.value().chars().last().map(String::from) else {
                    return;
                };
                input.set_value(&typed);
                if typed == current {
                    say(Field::Key(i), None);
                } else if let Some(refusal) = reserved_reason(&typed) {
                    say(Field::Key(i), Some(refusal));
                } else {
                    attempt(
                        Field::Key(i),
                        Action::RebindLabel {
                            name: name.clone(),
                            key: typed,
                        },
                    );
                }
            })
        };
        // Leaving the key field: it shows the label's key again.
        let on_key_blur = {
            let current = label.key.clone();
            Callback::from(move |event: FocusEvent| {
                if let Some(input) = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
                {
                    input.set_value(&current);
                }
            })
        };
        let on_remove = {
            let attempt = attempt.clone();
            let confirming = confirming.clone();
            let errors = errors.clone();
            let name = name.clone();
            let new_name = new_name.clone();
            Callback::from(move |_: MouseEvent| {
                if spans > 0 {
                    confirming.set(Some(name.clone()));
                } else if attempt(Field::Remove(i), Action::RemoveLabel(name.clone())) {
                    // Rows below move up: their messages would sit on the wrong row.
                    errors.set(HashMap::new());
                    focus(&new_name);
                }
            })
        };
        let message = |field: Field| errors.get(&field).cloned();
        let name_error = message(Field::Name(i));
        let key_error = message(Field::Key(i));
        let color_error = message(Field::Color(i));
        let remove_error = message(Field::Remove(i));
        let row_errors = [&name_error, &color_error, &key_error, &remove_error];
        let described = row_errors
            .iter()
            .any(|e| e.is_some())
            .then(|| format!("label-{i}-error"));
        let confirm = (confirming.as_deref() == Some(name.as_str())).then(|| {
            let attempt = attempt.clone();
            let confirming_yes = confirming.clone();
            let confirming_no = confirming.clone();
            let errors = errors.clone();
            let new_name = new_name.clone();
            let name = name.clone();
            let question = format!(
                "Remove ‘{name}’ and its {} in {}? You can undo this.",
                plural(spans, "span", "spans"),
                plural(documents, "document", "documents")
            );
            html! {
                <div class="confirm-inline" role="group" aria-label={format!("Remove label {name}?")}>
                    <p>{ question }</p>
                    <div class="modal-actions">
                        <button type="button" ref={confirm_cancel.clone()}
                            onclick={Callback::from(move |_| confirming_no.set(None))}>{ "Cancel" }</button>
                        <button type="button" class="danger"
                            onclick={Callback::from(move |_| {
                                confirming_yes.set(None);
                                if attempt(Field::Remove(i), Action::RemoveLabel(name.clone())) {
                                    errors.set(HashMap::new());
                                    focus(&new_name);
                                }
                            })}>{ "Remove label and spans" }</button>
                    </div>
                </div>
            }
        });
        html! {
            // Keyed by position: a rename must keep the row, and the focus in
            // its name field; the fields show the store's values, so a
            // removal re-fills the rows below it.
            <li key={i} class="label-row" data-label={name.clone()}>
                <span class={classes!("label-chip", label_class("l", i))} aria-hidden="true">
                    { label.key.clone() }
                </span>
                <input type="text" class="label-name" value={name.clone()} data-committed={name.clone()}
                    aria-label={format!("Name of label {name}")} autocomplete="off" spellcheck="false"
                    aria-invalid={name_error.is_some().then_some("true")}
                    aria-describedby={described.clone()} onchange={on_rename} />
                <input type="color" class="label-color" value={label.color.clone()}
                    aria-label={format!("Colour of label {name}")} onchange={on_recolor} />
                <input type="text" class="label-key" value={label.key.clone()} data-committed={label.key.clone()}
                    aria-label={format!("Key for label {name}")} autocomplete="off" spellcheck="false"
                    inputmode="text" size="2"
                    aria-invalid={key_error.is_some().then_some("true")}
                    aria-describedby={described.clone()}
                    onfocus={Callback::from(select_all)} oninput={on_key} onblur={on_key_blur} />
                <span class="label-usage">
                    { if spans == 0 { "unused".to_owned() } else {
                        format!("{} in {}", plural(spans, "span", "spans"), plural(documents, "doc", "docs"))
                    } }
                </span>
                <button type="button" class="remove-label" aria-label={format!("Remove label {name}")}
                    title={if spans == 0 { format!("Remove {name}") } else {
                        format!("Remove {name} and its spans (asks first)")
                    }}
                    onclick={on_remove}>{ "Remove" }</button>
                if let Some(id) = described {
                    <div class="row-errors" id={id}>
                        { for row_errors.iter().filter_map(|e| e.as_ref()).map(|e| html! {
                            <p class="field-error" role="alert">{ e.clone() }</p>
                        }) }
                    </div>
                }
                { confirm.unwrap_or_default() }
            </li>
        }
    });

    let default_color = next_color(&state.labels);
    let default_key = next_key(&state.labels);
    let color_value = (*new_color).clone().unwrap_or(default_color);
    let key_value = (*new_key).clone().unwrap_or(default_key);
    let on_add = {
        let attempt = attempt.clone();
        let say = say.clone();
        let new_name = new_name.clone();
        let new_color = new_color.clone();
        let new_key = new_key.clone();
        let color = color_value.clone();
        let key = key_value.clone();
        Callback::from(move |event: SubmitEvent| {
            event.prevent_default();
            let Some(input) = new_name.cast::<web_sys::HtmlInputElement>() else {
                return;
            };
            if let Some(refusal) = reserved_reason(&key) {
                say(Field::New, Some(refusal));
                return;
            }
            let label = Label {
                name: input.value(),
                color: color.clone(),
                key: key.clone(),
            };
            if attempt(Field::New, Action::AddLabel(label)) {
                input.set_value("");
                new_color.set(None);
                new_key.set(None);
                let _ = input.focus();
            }
        })
    };
    let on_new_color = {
        let new_color = new_color.clone();
        Callback::from(move |event: Event| {
            if let Some(input) = input_of(&event) {
                new_color.set(Some(input.value()));
            }
        })
    };
    let on_new_key = {
        let new_key = new_key.clone();
        let say = say.clone();
        Callback::from(move |event: InputEvent| {
            let Some(input) = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
            else {
                return;
            };
            let typed: String = input
                .value()
                .chars()
                .last()
                .map(String::from)
                .unwrap_or_default();
            input.set_value(&typed);
            say(
                Field::New,
                reserved_reason(&typed).filter(|_| !typed.is_empty()),
            );
            new_key.set(Some(typed));
        })
    };
    let new_error = errors.get(&Field::New).cloned();

    // Ctrl+Z and Ctrl+Shift+Z / Ctrl+Y in the dialog: the store's undo and
    // redo, unless a text field holds typing of its own to undo.
    let on_keydown = {
        let store = store.clone();
        Callback::from(move |event: KeyboardEvent| {
            let press = KeyPress {
                key: &event.key(),
                ctrl: event.ctrl_key(),
                alt: event.alt_key(),
                shift: event.shift_key(),
                meta: event.meta_key(),
            };
            let action = match (press.key.to_ascii_lowercase().as_str(), press.shift) {
                _ if !(press.ctrl || press.meta) || press.alt => return,
                ("z", false) => Action::Undo,
                ("z", true) | ("y", false) => Action::Redo,
                _ => return,
            };
            if field_has_own_typing(&event) {
                return;
            }
            event.prevent_default();
            store.dispatch(action);
        })
    };
    let undo = state.undo_description().map(|what| {
        let store = store.clone();
        html! {
            <button type="button" class="undo" aria-keyshortcuts="Control+Z"
                onclick={Callback::from(move |_| store.dispatch(Action::Undo))}>
                { format!("Undo: {what}") }
            </button>
        }
    });
    let redo = state.redo_description().map(|what| {
        let store = store.clone();
        html! {
            <button type="button" class="redo" aria-keyshortcuts="Control+Shift+Z"
                onclick={Callback::from(move |_| store.dispatch(Action::Redo))}>
                { format!("Redo: {what}") }
            </button>
        }
    });
    let on_done = props.on_close.clone();

    html! {
        <Modal title="Labels" on_close={props.on_close.clone()} class="label-manager">
            <div class="label-manager-body" onkeydown={on_keydown}>
                <p class="hint">
                    { "Changes apply to every document at once. Renaming a label renames its spans; \
                       Ctrl+Z undoes any change." }
                </p>
                <div class="label-table" role="group" aria-label="Labels">
                    <div class="label-head" aria-hidden="true">
                        <span></span><span>{ "Name" }</span><span>{ "Colour" }</span>
                        <span>{ "Key" }</span><span>{ "Used" }</span><span></span>
                    </div>
                    <ul class="label-rows">{ for rows }</ul>
                    if state.labels.is_empty() {
                        <p class="empty-state">{ "No labels: add one below to tag spans." }</p>
                    }
                </div>
                <form class="add-label" onsubmit={on_add} aria-labelledby="add-label-heading">
                    <h3 id="add-label-heading">{ "Add a label" }</h3>
                    <div class="add-fields">
                        <label class="field grow">
                            <span>{ "Name" }</span>
                            <input ref={new_name} type="text" class="new-label-name" data-committed=""
                                placeholder="e.g. source" autocomplete="off" spellcheck="false"
                                aria-invalid={new_error.is_some().then_some("true")}
                                aria-describedby={new_error.is_some().then_some("add-label-error")} />
                        </label>
                        <label class="field">
                            <span>{ "Colour" }</span>
                            <input type="color" class="new-label-color" value={color_value}
                                onchange={on_new_color} />
                        </label>
                        <label class="field">
                            <span>{ "Key" }</span>
                            <input type="text" class="new-label-key" value={key_value.clone()}
                                data-committed={key_value} size="2" autocomplete="off" spellcheck="false"
                                onfocus={Callback::from(select_all)} oninput={on_new_key} />
                        </label>
                        <button type="submit" class="primary">{ "Add label" }</button>
                    </div>
                    if let Some(message) = new_error {
                        <p id="add-label-error" class="field-error" role="alert">{ message }</p>
                    }
                </form>
                <div class="modal-actions">
                    { undo.unwrap_or_default() }
                    { redo.unwrap_or_default() }
                    <button type="button" class="primary done"
                        onclick={Callback::from(move |_| on_done.emit(()))}>{ "Done" }</button>
                </div>
            </div>
        </Modal>
    }
}

/// Why `key` cannot be a label key, if it cannot: it is a shortcut's, or
/// not a single visible character.
pub fn reserved_reason(key: &str) -> Option<String> {
    if !is_reserved(key) {
        return None;
    }
    let lower = key.to_lowercase();
    let shortcut = SHORTCUTS.iter().find(|s| {
        s.combos.iter().any(|combo| {
            let press = KeyPress::parse(combo);
            !press.ctrl && !press.alt && !press.meta && press.key.to_lowercase() == lower
        })
    });
    Some(match shortcut {
        Some(s) => format!(
            "‘{key}’ is a shortcut (“{}”), so it cannot tag spans. Choose another key, like a digit.",
            s.description
        ),
        None if key.chars().count() == 1 => format!(
            "{key:?} cannot be a label key: expected one visible character, like 4 or q."
        ),
        None => format!("{key:?} cannot be a label key: expected one character, like 4 or q."),
    })
}

/// The first palette colour no label uses (or the palette again, in order,
/// once every colour is taken).
pub fn next_color(labels: &[Label]) -> String {
    PALETTE
        .iter()
        .find(|c| !labels.iter().any(|l| l.color.eq_ignore_ascii_case(c)))
        .unwrap_or(&PALETTE[labels.len() % PALETTE.len()])
        .to_string()
}

/// The first digit (1–9, then 0) no label uses and no shortcut reserves;
/// empty when all are taken.
pub fn next_key(labels: &[Label]) -> String {
    "1234567890"
        .chars()
        .map(String::from)
        .find(|k| !is_reserved(k) && !labels.iter().any(|l| &l.key == k))
        .unwrap_or_default()
}

fn input_of(event: &Event) -> Option<web_sys::HtmlInputElement> {
    event.target()?.dyn_into::<web_sys::HtmlInputElement>().ok()
}

fn select_all(event: FocusEvent) {
    if let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        input.select();
    }
}

fn focus(node: &NodeRef) {
    if let Some(element) = node.cast::<web_sys::HtmlElement>() {
        let _ = element.focus();
    }
}

/// Whether the key press is in a text field whose value differs from what
/// it last committed (`data-committed`): Ctrl+Z then undoes the typing.
fn field_has_own_typing(event: &KeyboardEvent) -> bool {
    let Some(input) = event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
    else {
        return false;
    };
    if input.type_() != "text" {
        return false;
    }
    input
        .get_attribute("data-committed")
        .is_none_or(|committed| committed != input.value())
}
