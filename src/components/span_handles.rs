//! Drag handles at the selected span's two ends. Dragging one (pointer
//! events; mouse, pen or touch) moves that end to the text position under
//! the pointer; while dragging, the outline shows the span as it will be
//! (snapped, as any selection is), and releasing commits it as a resize.
//! The handles are for pointers only: the keyboard has its own resize keys.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::EventListener;
use yew::prelude::*;

use super::snap_preview::SnapPreview;
use super::text_caret::use_window_resizes;
use crate::dom::geometry::{caret_rect, offset_at};
use crate::dom::schedule::before_next_paint;
use crate::keymap::SpanEdge;
use crate::model::Document;
use crate::text::{snap, SnapMode};

#[derive(Properties, PartialEq)]
pub struct SpanHandlesProps {
    /// The text's root element.
    pub root: NodeRef,
    pub doc: Rc<Document>,
    /// The selected span's range; `None` hides the handles.
    pub span: Option<(usize, usize)>,
    pub snap_mode: SnapMode,
    /// Changes whenever the text's layout may have changed.
    pub layout: usize,
    /// The span's new range, snapped, when a drag ends somewhere new.
    pub on_resize: Callback<(usize, usize)>,
}

/// The range a drag of `edge` to `pos` gives, snapped (the other end stays).
fn dragged_range(
    doc: &Document,
    (start, end): (usize, usize),
    edge: SpanEdge,
    pos: usize,
    mode: SnapMode,
) -> Option<(usize, usize)> {
    let (fixed, moving) = match edge {
        SpanEdge::Start => (end, pos),
        SpanEdge::End => (start, pos),
    };
    snap(
        doc.text(),
        doc.index(),
        fixed.min(moving),
        fixed.max(moving),
        mode,
    )
}

#[component]
pub fn SpanHandles(props: &SpanHandlesProps) -> Html {
    let start_handle = use_node_ref();
    let end_handle = use_node_ref();
    let resized = use_window_resizes();
    // The range the current drag would give.
    let preview = use_state_eq(|| None::<(usize, usize)>);
    let dragging = use_state_eq(|| None::<SpanEdge>);
    // The window listeners of the drag in progress.
    let listeners = use_mut_ref(Vec::<EventListener>::new);

    {
        let (start_handle, end_handle, root) =
            (start_handle.clone(), end_handle.clone(), props.root.clone());
        use_effect_with((props.span, props.layout, resized), move |&(span, _, _)| {
            let Some((start, end)) = span else {
                return;
            };
            before_next_paint(move || {
                let root = root.cast::<web_sys::Element>()?;
                let frame = root.parent_element()?;
                let placed: Vec<_> = [(start_handle, start, false), (end_handle, end, true)]
                    .into_iter()
                    .filter_map(|(handle, pos, at_end)| {
                        Some((
                            handle.cast::<web_sys::HtmlElement>()?,
                            caret_rect(&root, &frame, pos, at_end)?,
                        ))
                    })
                    .collect();
                Some(Box::new(move || {
                    for (handle, rect) in placed {
                        let style = handle.style();
                        let _ = style.set_property("left", &format!("{:.1}px", rect.left));
                        let _ = style.set_property("top", &format!("{:.1}px", rect.top));
                        let _ = style.set_property("height", &format!("{:.1}px", rect.height));
                    }
                }))
            });
        });
    }

    let begin_drag = |edge: SpanEdge| {
        let span = props.span;
        let doc = props.doc.clone();
        let mode = props.snap_mode;
        let root = props.root.clone();
        let on_resize = props.on_resize.clone();
        let preview = preview.clone();
        let dragging = dragging.clone();
        let listeners = listeners.clone();
        Callback::from(move |event: PointerEvent| {
            let Some(props_range) = span.filter(|_| event.button() == 0) else {
                return;
            };
            // No text selection, no compatibility mouse events.
            event.prevent_default();
            dragging.set(Some(edge));
            preview.set(Some(props_range));
            let latest: Rc<RefCell<Option<(usize, usize)>>> =
                Rc::new(RefCell::new(Some(props_range)));
            let window = gloo::utils::window();
            let moved = {
                let (doc, root, preview, latest) =
                    (doc.clone(), root.clone(), preview.clone(), latest.clone());
                EventListener::new(&window, "pointermove", move |event| {
                    let Some(event) = wasm_bindgen::JsCast::dyn_ref::<web_sys::PointerEvent>(event)
                    else {
                        return;
                    };
                    let Some(root) = root.cast::<web_sys::Element>() else {
                        return;
                    };
                    if let Some(pos) =
                        offset_at(&root, event.client_x() as f64, event.client_y() as f64)
                    {
                        let range = dragged_range(&doc, props_range, edge, pos, mode);
                        *latest.borrow_mut() = range;
                        preview.set(range);
                    }
                })
            };
            let released = {
                let (listeners_inner, dragging, preview, on_resize) = (
                    listeners.clone(),
                    dragging.clone(),
                    preview.clone(),
                    on_resize.clone(),
                );
                EventListener::new(&window, "pointerup", move |_| {
                    let result = *latest.borrow();
                    dragging.set(None);
                    preview.set(None);
                    if let Some(range) = result.filter(|&r| r != props_range) {
                        on_resize.emit(range);
                    }
                    // Ends the drag: drops these listeners (after this call returns).
                    let listeners = listeners_inner.clone();
                    gloo::timers::callback::Timeout::new(0, move || listeners.borrow_mut().clear())
                        .forget();
                })
            };
            *listeners.borrow_mut() = vec![moved, released];
        })
    };

    let class = classes!("span-handles", dragging.is_some().then_some("dragging"));
    html! {
        <div {class} aria-hidden="true" hidden={props.span.is_none()}>
            <div ref={start_handle} class="span-handle start" title="Drag to move the span's start"
                onpointerdown={begin_drag(SpanEdge::Start)} />
            <div ref={end_handle} class="span-handle end" title="Drag to move the span's end"
                onpointerdown={begin_drag(SpanEdge::End)} />
            <SnapPreview root={props.root.clone()} range={*preview} layout={props.layout} class={classes!("resize")} />
        </div>
    }
}
