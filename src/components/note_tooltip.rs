//! The note shown beside a span: while the pointer is over a span that has a
//! note (every noted span under the pointer, innermost first), else while a
//! span with a note is selected (the keyboard's focus). A `role="tooltip"`
//! element placed by measuring the span's marks, outside the text's article,
//! so it is never part of the selectable text nor shifts an offset; the
//! pointer passes through it. While it shows the selected span's note, the
//! text's `aria-describedby` names it too.

use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::toolbar::display_name;
use crate::dom::geometry::visible_area;
use crate::dom::schedule::{before_next_paint, Mutation};
use crate::dom::selection::dom_point;
use crate::model::{Annotation, AnnotationId};
use crate::store::Spans;

/// The tooltip's element id, for `aria-describedby`.
const TOOLTIP_ID: &str = "note-tooltip";
/// Gap between the span and the tooltip, and the least margin to the
/// window's edges, in CSS pixels.
const GAP: f64 = 6.0;

#[derive(Properties)]
pub struct NoteTooltipProps {
    /// The text's root element.
    pub root: NodeRef,
    pub annotations: Rc<Spans>,
    pub selected: Option<AnnotationId>,
}

/// By hand: the annotation list compares by pointer (the store gives a
/// changed list a new `Rc`), not by walking every span.
impl PartialEq for NoteTooltipProps {
    fn eq(&self, other: &Self) -> bool {
        self.root == other.root
            && Rc::ptr_eq(&self.annotations, &other.annotations)
            && self.selected == other.selected
    }
}

/// The mark under the pointer and the noted spans over it.
#[derive(Clone, PartialEq)]
struct Hover {
    ids: Vec<AnnotationId>,
    mark: web_sys::Element,
}

#[component]
pub fn NoteTooltip(props: &NoteTooltipProps) -> Html {
    let hover = use_state_eq(|| None::<Hover>);
    let node = use_node_ref();
    // The spans as of the last render, for the pointer listener.
    let annotations = use_mut_ref(|| props.annotations.clone());
    *annotations.borrow_mut() = props.annotations.clone();
    // Scrolling, or the reader changing size (the window, the spans panel
    // unfolding below it), moves the span: place the tooltip again.
    let moves = use_mut_ref(|| 0u32);
    let update = use_force_update();
    let moved = {
        let (moves, node) = (moves.clone(), node.clone());
        Rc::new(move || {
            let shown = node
                .cast::<web_sys::HtmlElement>()
                .is_some_and(|n| !n.hidden());
            if shown {
                *moves.borrow_mut() += 1;
                update.force_update();
            }
        })
    };

    {
        let (hover, root, annotations) = (hover.clone(), props.root.clone(), annotations.clone());
        let node = node.clone();
        use_effect_with((), move |_| {
            let document = gloo::utils::document();
            let over = EventListener::new(&document, "mouseover", move |event| {
                let under = event
                    .target()
                    .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                    .and_then(|e| e.closest("mark.seg[data-spans]").ok().flatten())
                    .filter(|mark| {
                        root.cast::<web_sys::Node>()
                            .is_some_and(|root| root.contains(Some(mark)))
                    });
                let found = under.and_then(|mark| {
                    let spans = mark.get_attribute("data-spans")?;
                    let annotations = annotations.borrow();
                    let ids: Vec<AnnotationId> = spans
                        .split(' ')
                        .filter(|id| annotations.iter().any(|a| a.id == *id && a.note.is_some()))
                        .map(str::to_owned)
                        .collect();
                    (!ids.is_empty()).then_some(Hover { ids, mark })
                });
                hover.set(found);
            });
            // Scrolls anywhere (the reader scrolls, not the window): capture.
            let options = EventListenerOptions::run_in_capture_phase();
            let scrolled = {
                let moved = moved.clone();
                EventListener::new_with_options(&document, "scroll", options, move |_| moved())
            };
            let reader_resized = node
                .cast::<web_sys::Element>()
                .and_then(|n| n.closest("main").ok().flatten())
                .and_then(|reader| {
                    let callback = Closure::<dyn FnMut()>::new(move || moved());
                    let observer =
                        web_sys::ResizeObserver::new(callback.as_ref().unchecked_ref()).ok()?;
                    observer.observe(&reader);
                    Some((observer, callback))
                });
            move || {
                drop((over, scrolled));
                if let Some((observer, _callback)) = reader_resized {
                    observer.disconnect();
                }
            }
        });
    }

    let find = |id: &str| {
        props
            .annotations
            .iter()
            .find(|a| a.id == id)
            .map(Rc::as_ref)
    };
    // What to show: the hovered noted spans, else the selected span's note.
    let hovered: Vec<&Annotation> = hover
        .as_ref()
        .map(|h| h.ids.iter().filter_map(|id| find(id)).collect())
        .unwrap_or_default();
    let (shown, describes_selection): (Vec<&Annotation>, bool) = if !hovered.is_empty() {
        (hovered, false)
    } else {
        let selected: Vec<&Annotation> = props
            .selected
            .as_deref()
            .and_then(find)
            .filter(|a| a.note.is_some())
            .into_iter()
            .collect();
        let describes = !selected.is_empty();
        (selected, describes)
    };
    // Where: under the hovered mark, or under the selected span's last line.
    let anchor = match (&*hover, shown.first()) {
        (Some(h), _) if !describes_selection && !shown.is_empty() => {
            Some(Anchor::Mark(h.mark.clone()))
        }
        (_, Some(a)) => Some(Anchor::SpanEnd(a.end)),
        _ => None,
    };
    {
        let (node, root) = (node.clone(), props.root.clone());
        let layout = Rc::as_ptr(&props.annotations) as usize;
        let moves = *moves.borrow();
        use_effect_with((anchor.clone(), layout, moves), move |(anchor, _, _)| {
            let anchor = anchor.clone();
            before_next_paint(move || place(&node, &root, anchor.as_ref()));
        });
    }
    // The selected span's note describes the text while it shows.
    {
        let root = props.root.clone();
        use_effect_with(describes_selection, move |&describes| {
            set_described_by(&root, describes);
            move || set_described_by(&root, false)
        });
    }

    let items = shown.iter().map(|a| {
        html! {
            <li key={a.id.clone()}>
                <span class="tooltip-label">{ display_name(&a.label) }</span>
                <span class="tooltip-note">{ a.note.clone().unwrap_or_default() }</span>
            </li>
        }
    });
    html! {
        <div ref={node} id={TOOLTIP_ID} class="note-tooltip" role="tooltip" hidden={shown.is_empty()}>
            <ul>{ for items }</ul>
        </div>
    }
}

#[derive(Clone, PartialEq)]
enum Anchor {
    Mark(web_sys::Element),
    /// The segment ending at this code point.
    SpanEnd(usize),
}

/// Measures where the tooltip goes, under its anchor (above it when there
/// is no room below), inside the window; returns what puts it there.
fn place(node: &NodeRef, root: &NodeRef, anchor: Option<&Anchor>) -> Option<Mutation> {
    let tooltip = node.cast::<web_sys::HtmlElement>()?;
    let anchor = anchor?;
    let element = match anchor {
        Anchor::Mark(mark) => Some(mark.clone()),
        Anchor::SpanEnd(end) => root.cast::<web_sys::Element>().and_then(|root| {
            let (node, _) = dom_point(&root, *end, true)?;
            match node.node_type() {
                web_sys::Node::TEXT_NODE => node.parent_element(),
                _ => node.dyn_into().ok(),
            }
        }),
    };
    let style = tooltip.style();
    let Some(rect) = element
        .filter(|e| e.is_connected())
        .map(|e| e.get_bounding_client_rect())
    else {
        return Some(Box::new(move || {
            let _ = style.set_property("visibility", "hidden");
        }));
    };
    let window = gloo::utils::window();
    let width = window
        .inner_width()
        .ok()
        .and_then(|w| w.as_f64())
        .unwrap_or(0.0);
    let height = window
        .inner_height()
        .ok()
        .and_then(|h| h.as_f64())
        .unwrap_or(0.0);
    let (w, h) = (
        f64::from(tooltip.offset_width()),
        f64::from(tooltip.offset_height()),
    );
    let left = rect.left().min(width - w - GAP).max(GAP);
    // The reader's visible box: the reader scrolls, and on a phone the
    // spans panel below it may cover the rest of the window.
    let (view_top, view_bottom) = match root.cast::<web_sys::Element>() {
        Some(root) => {
            let area = visible_area(&root);
            (area.top, area.bottom())
        }
        None => (0.0, height),
    };
    // Below the span if it fits in the reader, else above it; failing both,
    // wherever the window has room, never over what lies below the reader.
    let below = rect.bottom() + GAP;
    let above = rect.top() - GAP - h;
    let top = if below + h <= view_bottom - GAP {
        below
    } else if above >= view_top + GAP || above >= GAP {
        above
    } else {
        below
    };
    let off = rect.bottom() < view_top || rect.top() > view_bottom;
    Some(Box::new(move || {
        let _ = style.set_property("left", &format!("{left:.1}px"));
        let _ = style.set_property("top", &format!("{top:.1}px"));
        let _ = style.set_property("visibility", if off { "hidden" } else { "visible" });
    }))
}

/// Adds the tooltip to (or takes it from) the text's `aria-describedby`,
/// keeping whatever else is there.
fn set_described_by(root: &NodeRef, on: bool) {
    let Some(root) = root.cast::<web_sys::Element>() else {
        return;
    };
    let now = root.get_attribute("aria-describedby").unwrap_or_default();
    let mut ids: Vec<&str> = now
        .split_whitespace()
        .filter(|id| *id != TOOLTIP_ID)
        .collect();
    if on {
        ids.push(TOOLTIP_ID);
    }
    let next = ids.join(" ");
    if next != now {
        let _ = if next.is_empty() {
            root.remove_attribute("aria-describedby")
        } else {
            root.set_attribute("aria-describedby", &next)
        };
    }
}
