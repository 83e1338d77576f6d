//! The spans panel beside the text, a moment behind it: an edit (a new
//! span, an undo) is painted in the text first, and the panel ([`SpanList`])
//! shows it once the browser is idle after that paint. So however many
//! spans the panel lists, rendering and laying it out never delays the
//! paint of an edit; a frame or so later it has caught up.
//!
//! The callbacks it hands on are made once and call the latest ones given,
//! so the list's props compare equal between edits and it does not
//! re-render at all while nothing it shows has changed.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::span_list::SpanList;
use crate::dom::schedule::before_next_paint;
use crate::model::{AnnotationId, Document, Label};
use crate::store::Spans;

#[derive(Properties)]
pub struct SpansPanelProps {
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
impl PartialEq for SpansPanelProps {
    fn eq(&self, other: &Self) -> bool {
        Shown::of(self) == Shown::of(other)
            && self.on_select == other.on_select
            && self.on_edit_note == other.on_edit_note
            && self.text == other.text
    }
}

/// What the list shows.
#[derive(Clone)]
struct Shown {
    doc: Rc<Document>,
    annotations: Rc<Spans>,
    labels: Rc<Vec<Label>>,
    selected: Option<AnnotationId>,
}

impl Shown {
    fn of(props: &SpansPanelProps) -> Self {
        Shown {
            doc: props.doc.clone(),
            annotations: props.annotations.clone(),
            labels: props.labels.clone(),
            selected: props.selected.clone(),
        }
    }
}

impl PartialEq for Shown {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.doc, &other.doc)
            && Rc::ptr_eq(&self.annotations, &other.annotations)
            && Rc::ptr_eq(&self.labels, &other.labels)
            && self.selected == other.selected
    }
}

#[component]
pub fn SpansPanel(props: &SpansPanelProps) -> Html {
    let shown = use_state_eq(|| Shown::of(props));
    let latest = use_mut_ref(|| Shown::of(props));
    *latest.borrow_mut() = Shown::of(props);
    {
        let (shown, latest) = (shown.clone(), latest.clone());
        use_effect_with(Shown::of(props), move |_| {
            after_next_paint(move || shown.set(latest.borrow().clone()));
        });
    }
    // Callbacks made once, calling the latest ones given.
    let callbacks = use_mut_ref(|| (props.on_select.clone(), props.on_edit_note.clone()));
    *callbacks.borrow_mut() = (props.on_select.clone(), props.on_edit_note.clone());
    let (on_select, on_edit_note) = {
        let callbacks = callbacks.clone();
        (*use_memo((), move |_| {
            let select = callbacks.clone();
            (
                Callback::from(move |chosen| select.borrow().0.emit(chosen)),
                Callback::from(move |id| callbacks.borrow().1.emit(id)),
            )
        }))
        .clone()
    };
    let Shown {
        doc,
        annotations,
        labels,
        selected,
    } = (*shown).clone();
    html! {
        <SpanList {doc} {annotations} {labels} {selected} {on_select} {on_edit_note}
            text={props.text.clone()} />
    }
}

/// Runs `f` after the next frame is painted, once the browser is idle (at
/// most [`IDLE_WAIT_MS`] later): whatever else an edit set off (its paint,
/// the tasks queued with it) goes first.
pub(super) fn after_next_paint(f: impl FnOnce() + 'static) {
    before_next_paint(move || {
        let callback = wasm_bindgen::closure::Closure::once_into_js(f);
        let options = web_sys::IdleRequestOptions::new();
        options.set_timeout(IDLE_WAIT_MS);
        let _ = gloo::utils::window()
            .request_idle_callback_with_options(callback.unchecked_ref(), &options);
        None
    });
}

/// The longest the panel waits for the browser to be idle, in milliseconds.
const IDLE_WAIT_MS: u32 = 100;
