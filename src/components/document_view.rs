//! The open document's text with its spans painted over it. Lays out the
//! lines in groups ([`TextGroup`], keyed by offset; see `model::group_blocks`)
//! and turns clicks into span selection: a click selects the innermost span
//! under the pointer, and clicking again where spans are stacked moves
//! outwards through them.
//!
//! The text is focusable and carries the caret ([`TextCaret`]), the
//! snapping preview of a selection ([`SnapPreview`]) and the selected
//! span's drag handles ([`SpanHandles`]), all drawn over the text in a
//! frame around it, so moving them never re-renders a line. A mouse
//! selection is snapped when the button is released (the page selection is
//! replaced by the snapped one) and becomes the caret's selection.
//!
//! Long documents are rendered progressively: the first screenful of groups
//! at once, the rest in chunks on later tasks, so the time to the first paint
//! does not grow with the document. `data-rendered="complete"` on the root
//! says every line is in the DOM.

use std::ops::Range;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::identity::{same_entry, Same};
use super::snap_preview::SnapPreview;
use super::span_handles::SpanHandles;
use super::text_caret::TextCaret;
use super::text_group::{group_has, TextGroup};
use crate::caret::Caret;
use crate::dom::geometry::reveal;
use crate::dom::schedule::before_next_paint;
use crate::dom::selection::{dom_point, selection_ends, show_selection};
use crate::dom::timing::mark;
use crate::model::{
    assign_to_groups, group_blocks, reassign_to_groups, span_to_select, AnnotationId, Block,
    GroupSpans, Label,
};
use crate::store::{Entry, Spans};
use crate::text::{snap, SnapMode};

#[derive(Properties)]
pub struct DocumentViewProps {
    pub entry: Entry,
    pub labels: Rc<Vec<Label>>,
    pub selected: Option<AnnotationId>,
    pub on_select: Callback<Option<AnnotationId>>,
    /// The root element, whose `data-start`/`data-end` the selection mapping reads.
    pub root: NodeRef,
    /// The caret and the keyboard selection.
    #[prop_or_default]
    pub caret: Caret,
    /// A mouse selection or click moved the caret (the selection already snapped).
    #[prop_or_default]
    pub on_caret: Callback<Caret>,
    #[prop_or_default]
    pub snap_mode: SnapMode,
    /// A span's handles were dragged: its id and new (snapped) range.
    #[prop_or_default]
    pub on_resize: Callback<(AnnotationId, usize, usize)>,
}

/// By identity for the shared lists: after an edit the annotations are a new
/// list, and comparing 2,000 spans by value only to find that out costs more
/// than the render it could save.
impl PartialEq for DocumentViewProps {
    fn eq(&self, other: &Self) -> bool {
        same_entry(&self.entry, &other.entry)
            && Rc::ptr_eq(&self.labels, &other.labels)
            && self.selected == other.selected
            && self.on_select == other.on_select
            && self.root == other.root
            && self.caret == other.caret
            && self.on_caret == other.on_caret
            && self.snap_mode == other.snap_mode
            && self.on_resize == other.on_resize
    }
}

/// A group closes at this many code points…
const GROUP_CHARS: usize = 4_000;
/// …or lines.
const GROUP_LINES: usize = 64;
/// Code points rendered before the first paint: more than any screen shows.
const FIRST_CHUNK: usize = 16_000;
/// Later chunks double (each pass re-diffs the groups already there, so few
/// passes cost less), up to a size that keeps each task short enough for
/// typing to stay responsive.
const MAX_CHUNK: usize = 256_000;

/// How many groups from `from` hold about `chars` code points (at least one).
fn groups_for(groups: &[Range<usize>], blocks: &[Block], from: usize, chars: usize) -> usize {
    let Some(first) = groups.get(from) else {
        return groups.len();
    };
    let limit = blocks[first.start].start + chars;
    let more = groups[from..].partition_point(|g| blocks[g.end - 1].end <= limit);
    (from + more + 1).min(groups.len())
}

#[component]
pub fn DocumentView(props: &DocumentViewProps) -> Html {
    let doc = &props.entry.doc;
    let groups = use_memo(doc.clone(), |doc| {
        group_blocks(doc.blocks(), GROUP_CHARS, GROUP_LINES)
    });
    let total = groups.len();
    // Groups rendered so far. The App keys this view by document, so a
    // different document starts again from the first chunk.
    let rendered = use_state(|| groups_for(&groups, doc.blocks(), 0, FIRST_CHUNK));
    let rendered_groups = *rendered;
    {
        let rendered = rendered.clone();
        let doc = doc.clone();
        let groups = groups.clone();
        use_effect_with(rendered_groups, move |&done| {
            let pending = (done < groups.len()).then(|| {
                let rendered_chars = doc.blocks()[groups[done - 1].end - 1].end;
                let chunk = rendered_chars.clamp(FIRST_CHUNK, MAX_CHUNK);
                gloo::timers::callback::Timeout::new(0, move || {
                    rendered.set(groups_for(&groups, doc.blocks(), done, chunk));
                })
            });
            move || drop(pending)
        });
    }
    // The spans of each line, gathered per group. After an edit only the
    // groups it touches are gathered again (and so re-rendered): `last`
    // keeps the list they were gathered from.
    let last = use_mut_ref(|| None::<(Rc<Spans>, Rc<GroupSpans>)>);
    let per_group = {
        let (groups, last) = (groups.clone(), last.clone());
        use_memo(
            (Same(doc.clone()), Same(props.entry.annotations.clone())),
            move |(Same(doc), Same(annotations))| {
                let blocks = doc.blocks();
                let spans = match &*last.borrow() {
                    Some((was, before)) => {
                        reassign_to_groups(blocks, &groups, was, before, annotations)
                    }
                    None => assign_to_groups(blocks, &groups, annotations),
                };
                let spans = Rc::new(spans);
                *last.borrow_mut() = Some((annotations.clone(), spans.clone()));
                spans
            },
        )
    };
    let selected: Option<Rc<str>> = props.selected.as_deref().map(Rc::from);
    use_effect_with((), |_| mark("document-rendered"));
    use_effect_with(rendered_groups == total, |&complete| {
        if complete {
            mark("document-complete");
        }
    });

    let onclick = {
        let on_select = props.on_select.clone();
        let current = props.selected.clone();
        Callback::from(move |event: MouseEvent| {
            // A drag that selected text is not a click on a span.
            let dragged = web_sys::window()
                .and_then(|w| w.get_selection().ok().flatten())
                .is_some_and(|s| !s.is_collapsed());
            if dragged {
                return;
            }
            let hit = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
                .and_then(|e| e.closest("[data-spans]").ok().flatten())
                .and_then(|e| e.get_attribute("data-spans"));
            let chosen = hit.as_deref().and_then(|ids| {
                let covering: Vec<&str> = ids.split(' ').collect();
                span_to_select(&covering, current.as_deref()).map(str::to_owned)
            });
            on_select.emit(chosen);
        })
    };

    // A released mouse button ends a selection (snap it, and show the
    // snapped one) or a click (the caret goes there).
    let onmouseup = {
        let root = props.root.clone();
        let doc = doc.clone();
        let mode = props.snap_mode;
        let on_caret = props.on_caret.clone();
        Callback::from(move |_: MouseEvent| {
            let Some(root) = root.cast::<web_sys::Element>() else {
                return;
            };
            let Some((anchor, focus)) = selection_ends(&root) else {
                return;
            };
            if anchor == focus {
                on_caret.emit(Caret::at(focus));
                return;
            }
            let raw = (anchor.min(focus), anchor.max(focus));
            let Some((start, end)) = snap(doc.text(), doc.index(), raw.0, raw.1, mode) else {
                return;
            };
            let caret = if anchor <= focus {
                Caret {
                    anchor: start,
                    focus: end,
                }
            } else {
                Caret {
                    anchor: end,
                    focus: start,
                }
            };
            if (start, end) != raw {
                show_selection(&root, caret.anchor, caret.focus);
            }
            on_caret.emit(caret);
        })
    };
    // The text takes the keyboard when a document opens.
    {
        let root = props.root.clone();
        use_effect_with((), move |_| {
            if let Some(root) = root.cast::<web_sys::HtmlElement>() {
                let options = web_sys::FocusOptions::new();
                options.set_prevent_scroll(true);
                let _ = root.focus_with_options(&options);
            }
        });
    }
    let selected_span = props
        .selected
        .as_ref()
        .and_then(|id| props.entry.annotations.iter().find(|a| &a.id == id))
        .map(|a| (a.id.clone(), a.start, a.end));
    // A newly selected span (Tab, a click, a new span) is brought into view.
    {
        let root = props.root.clone();
        use_effect_with(selected_span.clone(), move |span| {
            let Some((_, start, _)) = *span else {
                return;
            };
            // Measured with the overlays in the next frame, so the text is
            // laid out once.
            before_next_paint(move || {
                let root = root.cast::<web_sys::Element>()?;
                let (node, _) = dom_point(&root, start, false)?;
                let element = match node.parent_element() {
                    Some(parent) if node.node_type() == web_sys::Node::TEXT_NODE => parent,
                    _ => node.dyn_into::<web_sys::Element>().ok()?,
                };
                reveal(element.dyn_into::<web_sys::HtmlElement>().ok()?)
            });
        });
    }
    // Overlays measure the text again when its layout may have changed.
    let layout = (Rc::as_ptr(&props.entry.annotations) as usize).wrapping_add(rendered_groups);
    let preview = if selected_span.is_none() && !props.caret.is_collapsed() {
        let (start, end) = props.caret.range();
        snap(doc.text(), doc.index(), start, end, props.snap_mode)
    } else {
        None
    };
    // Always there, hidden while no span is selected: selecting one (a new
    // span, Tab) then only shows and places them.
    let span = selected_span.as_ref().map(|&(_, start, end)| (start, end));
    let on_resize = match selected_span {
        Some((id, _, _)) => props
            .on_resize
            .reform(move |(s, e): (usize, usize)| (id.clone(), s, e)),
        None => Callback::noop(),
    };

    let children = groups[..rendered_groups]
        .iter()
        .zip(per_group.iter())
        .map(|(range, spans)| {
            let selected_here = selected.as_ref().filter(|id| group_has(spans, id)).cloned();
            html! {
                <TextGroup key={doc.blocks()[range.start].start} blocks={doc.blocks().clone()}
                    range={range.clone()} spans={spans.clone()} selected={selected_here}
                    labels={props.labels.clone()} />
            }
        });

    html! {
        <div class="doc-frame">
            <article ref={props.root.clone()} id="document" class="doc" tabindex="0" role="application"
                aria-label={format!("Text of {}", doc.name)}
                aria-describedby="document-keys-hint"
                data-sha256={doc.sha256().to_owned()}
                data-span-count={props.entry.annotations.len().to_string()}
                data-start="0" data-end={doc.len().to_string()}
                data-rendered={if rendered_groups == total { "complete" } else { "partial" }}
                {onclick} {onmouseup}>
                { for children }
            </article>
            <TextCaret root={props.root.clone()} pos={props.caret.focus}
                hidden={props.selected.is_some()} {layout} />
            <SnapPreview root={props.root.clone()} range={preview} {layout} />
            <SpanHandles root={props.root.clone()} doc={doc.clone()} {span}
                snap_mode={props.snap_mode} {layout} {on_resize} />
            <p id="document-keys-hint" class="visually-hidden">
                { "Arrow keys move the caret, Shift extends the selection, a label key tags it; Tab goes from span to span. Press question mark for every shortcut." }
            </p>
        </div>
    }
}
