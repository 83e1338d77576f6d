//! The find bar (Ctrl+F / Cmd+F inside the app): a search field over the
//! open document, case and whole-word toggles, an "n of m" counter,
//! Previous/Next (Enter, Shift+Enter, F3, Shift+F3), and "Tag all": every
//! match becomes a span of the chosen label in ONE undoable step
//! (`Action::TagAll`; the store trims each range and skips what is already
//! tagged, and the button counts what it will really add).
//!
//! Matches are found by the pure [`crate::text::find_all`] and painted by
//! [`crate::dom::highlights`] (the CSS Custom Highlight API), so the text
//! never re-renders for a search; the highlights go when the bar closes.
//!
//! The current match is the first one at or after an *anchor* position
//! (the caret when the bar opens, then the match stepped to), so typing
//! more of a query stays on the match being looked at, as in browsers.
//! Stepping moves the caret to the match and scrolls it into view.

use std::collections::HashSet;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::toolbar::display_name;
use crate::caret::Caret;
use crate::dom::highlights::FindHighlights;
use crate::dom::ids::{now_rfc3339, FreshIds};
use crate::model::Label;
use crate::store::{Action, Entry};
use crate::text::{find_all, trim_whitespace, CaseMode, FindOptions, WordMode};

/// The search field's id, for focusing it from outside (Ctrl+F again).
pub const FIND_INPUT_ID: &str = "find-input";

/// Focuses the search field and selects its text, if the bar is open.
pub fn focus_find_input() {
    if let Some(input) = gloo::utils::document()
        .get_element_by_id(FIND_INPUT_ID)
        .and_then(|e| e.dyn_into::<web_sys::HtmlInputElement>().ok())
    {
        let _ = input.focus();
        input.select();
    }
}

#[derive(Properties, PartialEq)]
pub struct FindBarProps {
    /// The open document, if any.
    pub entry: Option<Entry>,
    pub labels: Rc<Vec<Label>>,
    /// The text's root element (`article#document`).
    pub root: NodeRef,
    /// Where the caret is: the search starts there.
    pub caret: usize,
    /// Moves the caret (to the current match).
    pub on_caret: Callback<Caret>,
    /// Dispatches to the store ("Tag all").
    pub on_action: Callback<Action>,
    pub on_close: Callback<()>,
}

type Matches = Rc<[(usize, usize)]>;

#[component]
pub fn FindBar(props: &FindBarProps) -> Html {
    let query = use_state_eq(String::new);
    let case = use_state_eq(CaseMode::default);
    let words = use_state_eq(WordMode::default);
    let anchor = use_state_eq(|| props.caret);
    let chosen_label = use_state_eq(|| None::<String>);
    let message = use_state_eq(|| None::<String>);
    let input = use_node_ref();
    let highlights = use_mut_ref(|| None::<FindHighlights>);

    let doc = props.entry.as_ref().map(|e| e.doc.clone());
    let sha = doc.as_ref().map(|d| d.sha256().to_owned());
    let options = FindOptions {
        case: *case,
        words: *words,
    };
    let matches: Rc<Matches> = {
        let doc = doc.clone();
        use_memo(
            (sha.clone(), (*query).clone(), options),
            move |(_, query, options)| match &doc {
                Some(doc) => Matches::from(find_all(doc.text(), doc.index(), query, *options)),
                None => Matches::from(Vec::new()),
            },
        )
    };
    let count = matches.len();
    // The first match at or after the anchor, wrapping to the first.
    let current = (count > 0).then(|| {
        let i = matches.partition_point(|&(start, _)| start < *anchor);
        if i == count {
            0
        } else {
            i
        }
    });

    // The search field takes the keyboard when the bar opens.
    {
        let input = input.clone();
        use_effect_with((), move |_| {
            if let Some(input) = input.cast::<web_sys::HtmlInputElement>() {
                let _ = input.focus();
                input.select();
            }
        });
    }
    // A painter per document view (the App re-creates the view, and so
    // the text's root, for each document).
    // Another document is searched from its start.
    let shown = use_mut_ref(|| sha.clone());
    {
        let highlights = highlights.clone();
        let root = props.root.clone();
        let anchor = anchor.clone();
        use_effect_with(sha.clone(), move |sha| {
            *highlights.borrow_mut() = match (root.cast::<web_sys::Element>(), doc) {
                (Some(root), Some(doc)) => Some(FindHighlights::new(root, doc)),
                _ => None,
            };
            if *shown.borrow() != *sha {
                *shown.borrow_mut() = sha.clone();
                anchor.set(0);
            }
            move || drop(highlights.borrow_mut().take())
        });
    }
    // Paint the matches, then the current one, which is revealed and
    // takes the caret whenever it changes.
    {
        let highlights = highlights.clone();
        use_effect_with((sha.clone(), matches.clone()), move |(_, matches)| {
            if let Some(h) = highlights.borrow().as_ref() {
                h.set_matches((**matches).clone());
            }
        });
    }
    {
        let highlights = highlights.clone();
        let on_caret = props.on_caret.clone();
        let ranges = matches.clone();
        use_effect_with((sha.clone(), matches.clone(), current), move |_| {
            if let Some(h) = highlights.borrow().as_ref() {
                h.set_current(current, true);
            }
            if let Some(&(start, _)) = current.and_then(|i| ranges.get(i)) {
                on_caret.emit(Caret::at(start));
            }
        });
    }

    let step = {
        let matches = matches.clone();
        let anchor = anchor.clone();
        let message = message.clone();
        Callback::from(move |forward: bool| {
            let Some(i) = current else {
                return;
            };
            let next = if forward {
                (i + 1) % count
            } else {
                (i + count - 1) % count
            };
            anchor.set(matches[next].0);
            message.set(None);
        })
    };
    let close = {
        let root = props.root.clone();
        let on_close = props.on_close.clone();
        Callback::from(move |()| {
            if let Some(root) = root.cast::<web_sys::HtmlElement>() {
                let _ = root.focus();
            }
            on_close.emit(());
        })
    };

    // F3 and Shift+F3 step from anywhere while the bar is open.
    {
        let step = step.clone();
        use_effect(move || {
            let options = EventListenerOptions::enable_prevent_default();
            let listener = EventListener::new_with_options(
                &gloo::utils::document(),
                "keydown",
                options,
                move |event| {
                    let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                        return;
                    };
                    if event.key() == "F3" {
                        event.prevent_default();
                        step.emit(!event.shift_key());
                    }
                },
            );
            move || drop(listener)
        });
    }

    let oninput = {
        let query = query.clone();
        let message = message.clone();
        Callback::from(move |event: InputEvent| {
            if let Some(input) = event.target_dyn_into::<web_sys::HtmlInputElement>() {
                query.set(input.value());
                message.set(None);
            }
        })
    };
    let on_input_key = {
        let step = step.clone();
        Callback::from(move |event: KeyboardEvent| {
            let key = event.key();
            if key == "Enter" {
                event.prevent_default();
                step.emit(!event.shift_key());
            } else if (event.ctrl_key() || event.meta_key())
                && !event.alt_key()
                && key.eq_ignore_ascii_case("f")
            {
                // Ctrl+F again: keep the app's find (not the browser's).
                event.prevent_default();
                focus_find_input();
            }
        })
    };
    // Escape anywhere in the bar closes it.
    let on_bar_key = {
        let close = close.clone();
        Callback::from(move |event: KeyboardEvent| {
            if event.key() == "Escape" {
                event.prevent_default();
                event.stop_propagation();
                close.emit(());
            }
        })
    };
    let toggle_case = {
        let case = case.clone();
        Callback::from(move |_: MouseEvent| {
            case.set(match *case {
                CaseMode::Insensitive => CaseMode::Exact,
                CaseMode::Exact => CaseMode::Insensitive,
            })
        })
    };
    let toggle_words = {
        let words = words.clone();
        Callback::from(move |_: MouseEvent| {
            words.set(match *words {
                WordMode::Anywhere => WordMode::WholeWords,
                WordMode::WholeWords => WordMode::Anywhere,
            })
        })
    };

    // The label "Tag all" uses: the one chosen, else the first.
    let label = chosen_label
        .as_ref()
        .filter(|name| props.labels.iter().any(|l| &l.name == *name))
        .cloned()
        .or_else(|| props.labels.first().map(|l| l.name.clone()));
    // How many spans "Tag all" would add: the store skips ranges that are
    // only whitespace and ranges that already have a span of that label.
    let new_spans = {
        let entry = props.entry.clone();
        use_memo(
            (
                matches.clone(),
                props.entry.as_ref().map(|e| e.annotations.clone()),
                label.clone(),
            ),
            move |(matches, _, label)| {
                let (Some(entry), Some(label)) = (entry, label) else {
                    return 0;
                };
                let doc = &entry.doc;
                let tagged: HashSet<(usize, usize)> = entry
                    .annotations
                    .iter()
                    .filter(|a| &a.label == label)
                    .map(|a| (a.start, a.end))
                    .collect();
                matches
                    .iter()
                    .filter_map(|&(s, e)| trim_whitespace(doc.text(), doc.index(), s, e))
                    .filter(|range| !tagged.contains(range))
                    .count()
            },
        )
    };
    let new_spans = *new_spans;
    let on_label = {
        let chosen_label = chosen_label.clone();
        Callback::from(move |event: Event| {
            if let Some(select) = event.target_dyn_into::<web_sys::HtmlSelectElement>() {
                chosen_label.set(Some(select.value()));
            }
        })
    };
    let tag_all = {
        let matches = matches.clone();
        let on_action = props.on_action.clone();
        let label = label.clone();
        let message = message.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(label) = label.clone() else {
                return;
            };
            if matches.is_empty() {
                return;
            }
            let ranges = matches.to_vec();
            let mut fresh = FreshIds::default();
            let ids = ranges.iter().map(|_| fresh.next_id()).collect();
            on_action.emit(Action::TagAll {
                label: label.clone(),
                ranges,
                ids,
                created_at: now_rfc3339(),
            });
            message.set(Some(format!(
                "Tagged {new_spans} {} as {}. Ctrl+Z undoes it.",
                if new_spans == 1 { "match" } else { "matches" },
                display_name(&label)
            )));
        })
    };

    let counter = match (&props.entry, current) {
        (None, _) => "No document".to_owned(),
        _ if query.is_empty() => String::new(),
        (_, None) => "No matches".to_owned(),
        (_, Some(i)) => format!("{} of {count}", i + 1),
    };
    let case_exact = *case == CaseMode::Exact;
    let whole_words = *words == WordMode::WholeWords;
    let pressed = |on: bool| if on { "true" } else { "false" };
    let tag_title = match &label {
        None => "There are no labels".to_owned(),
        Some(_) if count == 0 => "Nothing to tag".to_owned(),
        Some(label) if new_spans == 0 => format!("Every match is tagged {label} already"),
        Some(label) => format!("Tag every match as {label}, in one step that Ctrl+Z undoes"),
    };
    let label_options = props.labels.iter().map(|l| {
        html! {
            <option key={l.name.clone()} value={l.name.clone()}
                selected={label.as_deref() == Some(l.name.as_str())}>
                { display_name(&l.name) }
            </option>
        }
    });

    html! {
        <div class="find-bar" role="search" aria-label="Find in the document" onkeydown={on_bar_key}>
            <div class="find-query">
                <input ref={input} id={FIND_INPUT_ID} type="search" class="find-input"
                    placeholder="Find in the document" aria-label="Find in the document"
                    aria-keyshortcuts="Control+F Meta+F" autocomplete="off" spellcheck="false"
                    value={(*query).clone()} {oninput} onkeydown={on_input_key} />
                // Named by hidden text, not aria-label: the visible "Aa" and
                // "ab" are icons, not words to say.
                <button type="button" class="find-toggle find-case" aria-pressed={pressed(case_exact)}
                    onclick={toggle_case}
                    title="Match case: exact characters. Off: any case, and straight quotes and spaces find curly quotes and no-break spaces">
                    <span aria-hidden="true">{ "Aa" }</span>
                    <span class="visually-hidden">{ "Match case" }</span>
                </button>
                <button type="button" class="find-toggle find-words" aria-pressed={pressed(whole_words)}
                    onclick={toggle_words} title="Whole words only">
                    <span class="find-words-icon" aria-hidden="true">{ "ab" }</span>
                    <span class="visually-hidden">{ "Whole words" }</span>
                </button>
            </div>
            <span class="find-count" aria-live="polite" aria-atomic="true">{ counter }</span>
            <div class="find-steps" role="group" aria-label="Matches">
                <button type="button" class="find-step find-previous" disabled={count == 0}
                    onclick={step.reform(|_: MouseEvent| false)} aria-label="Previous match"
                    aria-keyshortcuts="Shift+Enter Shift+F3" title="Previous match (Shift+Enter)">
                    <span aria-hidden="true">{ "↑" }</span>
                </button>
                <button type="button" class="find-step find-next" disabled={count == 0}
                    onclick={step.reform(|_: MouseEvent| true)} aria-label="Next match"
                    aria-keyshortcuts="Enter F3" title="Next match (Enter)">
                    <span aria-hidden="true">{ "↓" }</span>
                </button>
            </div>
            <div class="find-tag" role="group" aria-label="Tag every match">
                <select class="find-label" aria-label="Label for Tag all" onchange={on_label}
                    disabled={props.labels.is_empty()}>
                    { for label_options }
                </select>
                <button type="button" class="find-tag-all" disabled={label.is_none() || new_spans == 0}
                    onclick={tag_all} title={tag_title}>
                    { format!("Tag all {new_spans}") }
                </button>
            </div>
            <button type="button" class="find-close" aria-label="Close find" aria-keyshortcuts="Escape"
                title="Close (Escape)" onclick={close.reform(|_: MouseEvent| ())}>
                <span aria-hidden="true">{ "×" }</span>
            </button>
            <span class="find-message" role="status">{ (*message).clone().unwrap_or_default() }</span>
        </div>
    }
}
