//! What the spans panel shows (see [`super::spans_panel`], which feeds it
//! the state as of the last paint): the open document's spans in text
//! order (label, one line of text, the note), filter buttons per label with
//! their counts, and the selected span's details with its note button.
//!
//! The list is a `role="listbox"` that keeps the keyboard focus itself and
//! points at the active row with `aria-activedescendant`, so rows can come
//! and go without the focus being lost: only the rows near the list's
//! viewport are rendered (rows have one fixed height, [`ROW_PX`], and sit
//! at their place in a track as tall as all rows together). An edit
//! therefore re-renders a few memoised rows, whatever the number of spans.
//!
//! Keys in the list: arrows, Home, End, Page Up and Page Down move through
//! the rows and select each span as they go (the text scrolls to it); Enter
//! selects the row's span and moves the focus to the text, where the caret
//! sits at the span's start (Enter again there opens its note). A click
//! selects; a double click opens the note editor. A span selected in the
//! text is highlighted here and scrolled into view.
//!
//! The root (`id="spans-panel"`, the target of the `f` shortcut) passes the
//! focus on to the list. On narrow screens the panel sits below the text and
//! folds to its heading.

use std::rc::Rc;

use gloo::events::EventListener;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::span_row::{SpanRow, ROW_PX};
use super::spans_panel::after_next_paint;
use super::toolbar::display_name;
use crate::dom::geometry::{scroll_into_view_nearest, visible_area};
use crate::dom::selection::{clear_selection, dom_point};
use crate::model::{Annotation, AnnotationId, Document, Label};
use crate::store::Spans;

#[derive(Properties)]
pub struct SpanListProps {
    pub doc: Rc<Document>,
    pub annotations: Rc<Spans>,
    pub labels: Rc<Vec<Label>>,
    pub selected: Option<AnnotationId>,
    /// A row was chosen: select this span (id, start) and put the caret at its start.
    pub on_select: Callback<(AnnotationId, usize)>,
    /// Opens the note editor of this span.
    pub on_edit_note: Callback<AnnotationId>,
    /// The text's root element (Enter on a row gives it the focus).
    pub text: NodeRef,
}

/// By hand: the document and the annotation list compare by pointer (the
/// document never changes; the store gives a changed list a new `Rc`), not
/// by their contents, which would cost a walk over the text or every span.
impl PartialEq for SpanListProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc)
            && Rc::ptr_eq(&self.annotations, &other.annotations)
            && self.labels == other.labels
            && self.selected == other.selected
            && self.on_select == other.on_select
            && self.on_edit_note == other.on_edit_note
            && self.text == other.text
    }
}

/// Rows rendered beyond each edge of the list's viewport.
const OVERSCAN: usize = 8;
/// Longest excerpt put in a row, in characters (CSS cuts it to the width).
const EXCERPT_CHARS: usize = 140;

/// One filter button: a label, its colour class and how many spans use it.
#[derive(Debug, Clone, PartialEq)]
struct LabelCount {
    name: String,
    colour: String,
    count: usize,
}

/// What the list shows for one state of the spans and the filter.
#[derive(Debug, PartialEq)]
struct Listing {
    /// Indices into the annotation list of the spans shown, in text order.
    rows: Vec<usize>,
    /// Every label of the label set, then labels used by spans but not in
    /// the set, with their counts.
    counts: Vec<LabelCount>,
}

fn listing(annotations: &[Rc<Annotation>], labels: &[Label], filter: &[String]) -> Listing {
    // A handful of labels: a linear search beats hashing every span's label.
    let mut counts: Vec<LabelCount> = labels
        .iter()
        .enumerate()
        .map(|(i, l)| LabelCount {
            name: l.name.clone(),
            colour: colour_class(i),
            count: 0,
        })
        .collect();
    for a in annotations {
        match counts.iter_mut().find(|c| c.name == a.label) {
            Some(c) => c.count += 1,
            None => counts.push(LabelCount {
                name: a.label.clone(),
                colour: "lx".to_owned(),
                count: 1,
            }),
        }
    }
    let rows = annotations
        .iter()
        .enumerate()
        .filter(|(_, a)| filter.is_empty() || filter.contains(&a.label))
        .map(|(i, _)| i)
        .collect();
    Listing { rows, counts }
}

/// The annotation list compared by identity: the store replaces a
/// document's list (a new `Rc`) whenever it changes, so comparing contents
/// (every span, on every render) would only cost time.
#[derive(Clone)]
struct SameList(Rc<Spans>);

impl PartialEq for SameList {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Label colour classes the styles define (`l0` … `l15`, as the text's
/// marks use); labels further down the list are `lx`.
const COLOUR_CLASSES: usize = 16;

fn colour_class(index: usize) -> String {
    if index < COLOUR_CLASSES {
        format!("l{index}")
    } else {
        "lx".to_owned()
    }
}

/// `text` on one line: every run of whitespace becomes one space; cut at
/// [`EXCERPT_CHARS`] characters with an ellipsis.
fn one_line(text: &str) -> String {
    let mut out = String::new();
    for (i, word) in text.split_whitespace().enumerate() {
        if i > 0 {
            out.push(' ');
        }
        out.push_str(word);
        if out.chars().count() > EXCERPT_CHARS {
            let cut: String = out.chars().take(EXCERPT_CHARS).collect();
            return cut + "…";
        }
    }
    out
}

/// The rows in view: the index of the first and how many fit.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Viewport {
    first: usize,
    rows: usize,
}

impl Default for Viewport {
    fn default() -> Self {
        Viewport { first: 0, rows: 16 }
    }
}

fn measure(list: &web_sys::Element) -> Viewport {
    Viewport {
        first: (f64::from(list.scroll_top()) / ROW_PX).floor().max(0.0) as usize,
        rows: (f64::from(list.client_height()) / ROW_PX).ceil().max(1.0) as usize,
    }
}

/// Scrolls `list` by as little as possible to show row `index` whole.
fn reveal_row(list: &web_sys::Element, index: usize) {
    let top = index as f64 * ROW_PX;
    let bottom = top + ROW_PX;
    let scroll = f64::from(list.scroll_top());
    let height = f64::from(list.client_height());
    if top < scroll {
        list.set_scroll_top(top as i32);
    } else if bottom > scroll + height {
        list.set_scroll_top((bottom - height).ceil() as i32);
    }
}

#[component]
pub fn SpanList(props: &SpanListProps) -> Html {
    // The labels shown; empty shows every span.
    let filter = use_state_eq(Vec::<String>::new);
    let listing = use_memo(
        (
            SameList(props.annotations.clone()),
            props.labels.clone(),
            (*filter).clone(),
        ),
        |(annotations, labels, filter)| listing(&annotations.0, labels, filter),
    );
    let list_ref = use_node_ref();
    let viewport = use_state_eq(Viewport::default);
    // The row the keyboard is on (a span id); the selected span's row by default.
    let active = use_state_eq(|| None::<AnnotationId>);
    // Narrow screens only: whether the list is unfolded.
    let expanded = use_state_eq(|| false);

    let count = listing.rows.len();
    let position_of = |id: &str| {
        listing
            .rows
            .iter()
            .position(|&i| props.annotations[i].id == id)
    };
    let active_index = active
        .as_deref()
        .and_then(position_of)
        .or_else(|| props.selected.as_deref().and_then(position_of))
        .or((count > 0).then_some(0));

    // Follow the list's scrolling and size.
    {
        let (list_ref, viewport) = (list_ref.clone(), viewport.clone());
        use_effect_with(count > 0, move |&has_rows| {
            let listeners = list_ref
                .cast::<web_sys::Element>()
                .filter(|_| has_rows)
                .map(|list| {
                    viewport.set(measure(&list));
                    let on_scroll = {
                        let (list, viewport) = (list.clone(), viewport.clone());
                        EventListener::new(&list.clone(), "scroll", move |_| {
                            viewport.set(measure(&list))
                        })
                    };
                    let on_resize =
                        EventListener::new(&gloo::utils::window(), "resize", move |_| {
                            viewport.set(measure(&list))
                        });
                    (on_scroll, on_resize)
                });
            move || drop(listeners)
        });
    }
    // The rendered rows sit in a track as tall as every row together, at
    // their place in it. The track's height changes only with the number
    // of rows, never while scrolling, so a layout read between the rows'
    // update and these styles' (another component's effect) cannot clamp
    // the list's scroll position.
    let from = viewport.first.saturating_sub(OVERSCAN).min(count);
    let to = (viewport.first + viewport.rows + OVERSCAN).min(count);
    let track_ref = use_node_ref();
    let rows_ref = use_node_ref();
    {
        let track_ref = track_ref.clone();
        use_effect_with(count, move |&count| {
            if let Some(track) = track_ref.cast::<web_sys::HtmlElement>() {
                let height = format!("{}px", count as f64 * ROW_PX);
                let _ = track.style().set_property("height", &height);
            }
        });
    }
    {
        let rows_ref = rows_ref.clone();
        use_effect_with((from, count > 0), move |&(from, _)| {
            if let Some(rows) = rows_ref.cast::<web_sys::HtmlElement>() {
                let top = format!("{}px", from as f64 * ROW_PX);
                let _ = rows.style().set_property("top", &top);
            }
        });
    }

    // Each rendered row's place in the list, for assistive technology
    // (only some rows are in the page). Written here, not as row props: a
    // span added near the top moves every row below it.
    {
        let rows_ref = rows_ref.clone();
        use_effect_with(
            (
                from,
                to,
                count,
                SameList(props.annotations.clone()),
                (*filter).clone(),
            ),
            move |(from, _, count, _, _)| {
                let (from, count) = (*from, *count);
                let Some(rows) = rows_ref.cast::<web_sys::Element>() else {
                    return;
                };
                let children = rows.children();
                let size = count.to_string();
                for i in 0..children.length() {
                    if let Some(row) = children.item(i) {
                        let _ = row
                            .set_attribute("aria-posinset", &(from + i as usize + 1).to_string());
                        let _ = row.set_attribute("aria-setsize", &size);
                    }
                }
            },
        );
    }
    // Another filter shows its list from the top.
    {
        let (list_ref, viewport) = (list_ref.clone(), viewport.clone());
        use_effect_with(filter.clone(), move |_| {
            if let Some(list) = list_ref.cast::<web_sys::Element>() {
                if list.scroll_top() != 0 {
                    list.set_scroll_top(0);
                    viewport.set(measure(&list));
                }
            }
        });
    }
    // A span selected elsewhere (the text, Tab, undo): its row becomes the
    // active one and is brought into view, just after the edit is painted:
    // the text is what the user watches, and scrolling the list (a layout
    // read, a new window of rows) would delay that paint.
    {
        let (list_ref, viewport, active) = (list_ref.clone(), viewport.clone(), active.clone());
        let index = props.selected.as_deref().and_then(position_of);
        let in_view = *viewport;
        use_effect_with(
            (props.selected.clone(), filter.clone()),
            move |(selected, _)| {
                if selected.is_some() {
                    active.set(None);
                }
                // Rows well inside the viewport need nothing.
                let inside = |i: usize| i > in_view.first && i + 1 < in_view.first + in_view.rows;
                if let Some(index) = index.filter(|&i| !inside(i)) {
                    after_next_paint(move || {
                        if let Some(list) = list_ref.cast::<web_sys::Element>() {
                            reveal_row(&list, index);
                            viewport.set(measure(&list));
                        }
                    });
                }
            },
        );
    }
    // Choosing a row: select its span, put the caret at its start (the
    // page selection goes, so a label key relabels the span rather than
    // tagging an old selection), and bring it into view in the text.
    let choose = {
        let on_select = props.on_select.clone();
        let annotations = props.annotations.clone();
        let text = props.text.clone();
        let active = active.clone();
        move |id: AnnotationId| {
            let Some(span) = annotations.iter().find(|a| a.id == id) else {
                return;
            };
            clear_selection();
            active.set(Some(id.clone()));
            on_select.emit((id, span.start));
            if let Some(root) = text.cast::<web_sys::Element>() {
                scroll_text_to(&root, span.start);
            }
        }
    };
    let focus_text = {
        let text = props.text.clone();
        move || {
            if let Some(root) = text.cast::<web_sys::HtmlElement>() {
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = root.focus_with_options(&options);
            }
        }
    };
    // Where the panel folds (narrow screens, the toggle shows), a span
    // chosen with Enter or a tap is shown in the text: the panel folds.
    let toggle_ref = use_node_ref();
    let fold_if_narrow = {
        let (toggle_ref, expanded) = (toggle_ref.clone(), expanded.clone());
        move || {
            let narrow = toggle_ref
                .cast::<web_sys::HtmlElement>()
                .is_some_and(|toggle| toggle.offset_width() > 0);
            if narrow {
                expanded.set(false);
            }
            narrow
        }
    };
    let id_at = {
        let listing = listing.clone();
        let annotations = props.annotations.clone();
        move |index: usize| listing.rows.get(index).map(|&i| annotations[i].id.clone())
    };

    let onkeydown = {
        let choose = choose.clone();
        let focus_text = focus_text.clone();
        let fold_if_narrow = fold_if_narrow.clone();
        let id_at = id_at.clone();
        let list_ref = list_ref.clone();
        let rows_in_view = viewport.rows.max(2) - 1;
        Callback::from(move |event: KeyboardEvent| {
            if event.ctrl_key() || event.alt_key() || event.meta_key() || count == 0 {
                return;
            }
            let here = active_index.unwrap_or(0);
            let last = count - 1;
            let target = match event.key().as_str() {
                "ArrowDown" => Some((here + 1).min(last)),
                "ArrowUp" => Some(here.saturating_sub(1)),
                "Home" => Some(0),
                "End" => Some(last),
                "PageDown" => Some((here + rows_in_view).min(last)),
                "PageUp" => Some(here.saturating_sub(rows_in_view)),
                "Enter" | " " => None,
                _ => return,
            };
            // Handled here: the app's own shortcuts must not see it (Enter
            // would otherwise also open the note once the text has the focus).
            event.prevent_default();
            event.stop_propagation();
            match target {
                Some(index) => {
                    if let Some(list) = list_ref.cast::<web_sys::Element>() {
                        reveal_row(&list, index);
                    }
                    if let Some(id) = id_at(index) {
                        choose(id);
                    }
                }
                None => {
                    if let Some(id) = id_at(here) {
                        choose(id);
                        if event.key() == "Enter" {
                            fold_if_narrow();
                            focus_text();
                        }
                    }
                }
            }
        })
    };
    let row_id = |event: &MouseEvent| -> Option<AnnotationId> {
        event
            .target()?
            .dyn_into::<web_sys::Element>()
            .ok()?
            .closest("[data-span-id]")
            .ok()??
            .get_attribute("data-span-id")
    };
    let onclick = {
        let choose = choose.clone();
        Callback::from(move |event: MouseEvent| {
            if let Some(id) = row_id(&event) {
                choose(id);
                if fold_if_narrow() {
                    focus_text();
                }
            }
        })
    };
    let ondblclick = {
        let on_edit_note = props.on_edit_note.clone();
        Callback::from(move |event: MouseEvent| {
            if let Some(id) = row_id(&event) {
                on_edit_note.emit(id);
            }
        })
    };
    // The `f` shortcut focuses the root: pass the focus on to the list (or,
    // with no rows, to the filters).
    let root_ref = use_node_ref();
    let onfocus = {
        let list_ref = list_ref.clone();
        let expanded = expanded.clone();
        let root_ref = root_ref.clone();
        Callback::from(move |event: FocusEvent| {
            let on_root = match (event.target(), root_ref.get()) {
                (Some(target), Some(root)) => {
                    let root: &wasm_bindgen::JsValue = root.as_ref();
                    let target: &wasm_bindgen::JsValue = target.as_ref();
                    root == target
                }
                _ => false,
            };
            if !on_root {
                return;
            }
            expanded.set(true);
            let list_ref = list_ref.clone();
            let focus_list = move || {
                let target = list_ref
                    .cast::<web_sys::HtmlElement>()
                    .or_else(first_filter_button);
                if let Some(target) = target {
                    let _ = target.focus();
                }
                let now = gloo::utils::document().active_element();
                now.is_some_and(|e| e.closest("#spans-panel-body").ok().flatten().is_some())
            };
            // A folded panel (narrow screens) takes the focus once the
            // re-render has unfolded it.
            if !focus_list() {
                gloo::timers::callback::Timeout::new(0, move || {
                    focus_list();
                })
                .forget();
            }
        })
    };

    let filter_button = |name: Option<&LabelCount>, total: usize| {
        let pressed = match name {
            None => filter.is_empty(),
            Some(c) => filter.contains(&c.name),
        };
        let onclick = {
            let filter = filter.clone();
            let name = name.map(|c| c.name.clone());
            Callback::from(move |_: MouseEvent| {
                let mut next = (*filter).clone();
                match &name {
                    None => next.clear(),
                    Some(name) => match next.iter().position(|n| n == name) {
                        Some(i) => {
                            next.remove(i);
                        }
                        None => next.push(name.clone()),
                    },
                }
                filter.set(next);
            })
        };
        let (key, class, text) = match name {
            None => (
                "*all".to_owned(),
                classes!("filter", "all"),
                "All".to_owned(),
            ),
            Some(c) => (
                c.name.clone(),
                classes!("filter", c.colour.clone()),
                display_name(&c.name),
            ),
        };
        html! {
            <button {key} type="button" {class} aria-pressed={if pressed { "true" } else { "false" }}
                data-label={name.map(|c| c.name.clone())} {onclick}>
                if name.is_some() { <span class="swatch" aria-hidden="true"></span> }
                <span class="filter-name">{ text }</span>
                <span class="count">
                    { total.to_string() }
                    <span class="visually-hidden">{ if total == 1 { " span" } else { " spans" } }</span>
                </span>
            </button>
        }
    };
    let filters = std::iter::once(filter_button(None, props.annotations.len())).chain(
        listing
            .counts
            .iter()
            .map(|c| filter_button(Some(c), c.count)),
    );

    let colour_of = |name: &str| {
        listing
            .counts
            .iter()
            .find(|c| c.name == name)
            .map_or("lx".to_owned(), |c| c.colour.clone())
    };
    let rows = (from..to).map(|index| {
        let a = &props.annotations[listing.rows[index]];
        html! {
            <SpanRow key={a.id.clone()} dom_id={row_dom_id(&a.id)} span_id={a.id.clone()}
                label={display_name(&a.label)} colour={colour_of(&a.label)}
                excerpt={one_line(props.doc.slice(a.start, a.end))}
                note={a.note.as_deref().map(|n| AttrValue::from(one_line(n)))}
                selected={props.selected.as_ref() == Some(&a.id)}
                active={active_index == Some(index)} />
        }
    });
    let active_dom_id = active_index
        .filter(|i| (from..to).contains(i))
        .map(|i| row_dom_id(&props.annotations[listing.rows[i]].id));
    let list = if count > 0 {
        html! {
            <div ref={list_ref} class="span-list" role="listbox" tabindex="0"
                aria-label={if filter.is_empty() { "Spans in text order".to_owned() } else {
                    format!("Spans labelled {} in text order", filter.join(", "))
                }}
                aria-activedescendant={active_dom_id} aria-describedby="spans-panel-keys"
                {onkeydown} {onclick} {ondblclick}>
                <div ref={track_ref} class="span-track">
                    <div ref={rows_ref} class="span-rows">{ for rows }</div>
                </div>
            </div>
        }
    } else if props.annotations.is_empty() {
        html! { <p class="span-list-empty">{ "No spans yet. Select text in the article and press a label key to tag it." }</p> }
    } else {
        html! { <p class="span-list-empty">{ "No spans with the chosen labels." }</p> }
    };

    let selected = props
        .selected
        .as_ref()
        .and_then(|id| props.annotations.iter().find(|a| &a.id == id));
    let detail = selected.map(|a| {
        let on_edit_note = props.on_edit_note.clone();
        let id = a.id.clone();
        html! {
            <section class="span-detail" aria-label="Selected span">
                <p class="detail-head">
                    <span class={classes!("row-label", colour_of(&a.label))}>
                        <span class="swatch" aria-hidden="true"></span>{ display_name(&a.label) }
                    </span>
                    <span class="detail-range">{ format!("characters {}–{}", a.start, a.end) }</span>
                </p>
                if let Some(note) = &a.note {
                    <p class="detail-note">{ note.clone() }</p>
                }
                <button type="button" class="note-button" aria-keyshortcuts="Enter"
                    onclick={Callback::from(move |_| on_edit_note.emit(id.clone()))}>
                    { if a.note.is_some() { "Edit note" } else { "Add note" } }
                </button>
            </section>
        }
    });

    let toggle = {
        let expanded = expanded.clone();
        Callback::from(move |_: MouseEvent| expanded.set(!*expanded))
    };
    let shown = if count == props.annotations.len() {
        count.to_string()
    } else {
        format!("{count} of {}", props.annotations.len())
    };
    html! {
        <aside ref={root_ref} id="spans-panel" class={classes!("spans-panel", (!*expanded).then_some("folded"))}
            tabindex="-1" aria-labelledby="spans-panel-title" {onfocus}>
            <header class="spans-head">
                <h2 id="spans-panel-title">{ "Spans" }</h2>
                <span class="spans-total">{ shown }</span>
                <button ref={toggle_ref} type="button" class="panel-toggle" aria-controls="spans-panel-body"
                    aria-expanded={if *expanded { "true" } else { "false" }} onclick={toggle}>
                    { if *expanded { "Hide" } else { "Show" } }
                </button>
            </header>
            <div id="spans-panel-body" class="spans-body">
                <div class="span-filters" role="group" aria-label="Show spans by label">{ for filters }</div>
                { list }
                { detail.unwrap_or_default() }
                <p id="spans-panel-keys" class="visually-hidden">
                    { "Arrow keys go from span to span, Enter goes to the span in the text, double click edits its note." }
                </p>
            </div>
        </aside>
    }
}

/// The element id of a span's row: stable while the list changes around it.
/// Annotation ids come from files, so any but the plainest is hex-encoded
/// (an id may hold no whitespace, and `aria-activedescendant` names it).
fn row_dom_id(id: &str) -> String {
    if !id.is_empty()
        && id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        format!("span-row-{id}")
    } else {
        let hex: String = id.bytes().map(|b| format!("{b:02x}")).collect();
        // A dot never appears in the plain form: no two spans share an id.
        format!("span-row.{hex}")
    }
}

fn first_filter_button() -> Option<web_sys::HtmlElement> {
    gloo::utils::document()
        .query_selector("#spans-panel .span-filters button")
        .ok()??
        .dyn_into()
        .ok()
}

/// Brings the text at code point `start` into view (centred when it is off
/// screen, so the lines around it show too).
fn scroll_text_to(root: &web_sys::Element, start: usize) {
    let Some(element) = dom_point(root, start, false).and_then(|(node, _)| {
        if node.node_type() == web_sys::Node::TEXT_NODE {
            node.parent_element()
        } else {
            node.dyn_into::<web_sys::Element>().ok()
        }
    }) else {
        return;
    };
    // What shows of the text: the window, cut to the scrolling reader.
    let rect = element.get_bounding_client_rect();
    let area = visible_area(root);
    let (top, bottom) = (area.top, area.bottom());
    if rect.bottom() < top || rect.top() > bottom {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        element.scroll_into_view_with_scroll_into_view_options(&options);
    } else if let Ok(element) = element.dyn_into::<web_sys::HtmlElement>() {
        scroll_into_view_nearest(&element);
    }
}
