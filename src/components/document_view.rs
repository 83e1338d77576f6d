//! The open document's text with its spans painted over it. Lays out the
//! lines in groups ([`TextGroup`], keyed by offset; see `model::group_blocks`)
//! and turns clicks into span selection: a click selects the innermost span
//! under the pointer, and clicking again where spans are stacked moves
//! outwards through them.
//!
//! Long documents are rendered progressively: the first screenful of groups
//! at once, the rest in chunks on later tasks, so the time to the first paint
//! does not grow with the document. `data-rendered="complete"` on the root
//! says every line is in the DOM.

use std::ops::Range;
use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::text_group::{group_has, TextGroup};
use crate::dom::timing::mark;
use crate::model::{
    assign_to_blocks, group_blocks, span_to_select, AnnotationId, Block, Label, SpanRef,
};
use crate::store::Entry;

#[derive(Properties, PartialEq)]
pub struct DocumentViewProps {
    pub entry: Entry,
    pub labels: Rc<Vec<Label>>,
    pub selected: Option<AnnotationId>,
    pub on_select: Callback<Option<AnnotationId>>,
    /// The root element, whose `data-start`/`data-end` the selection mapping reads.
    pub root: NodeRef,
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
    // The spans of each line, gathered per group.
    let per_group = {
        let groups = groups.clone();
        use_memo(
            (doc.clone(), props.entry.annotations.clone()),
            move |(doc, annotations)| {
                let per_line = assign_to_blocks(doc.blocks(), annotations);
                groups
                    .iter()
                    .map(|range| Rc::from(&per_line[range.clone()]))
                    .collect::<Vec<Rc<[Rc<[SpanRef]>]>>>()
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
        <article ref={props.root.clone()} id="document" class="doc"
            aria-label={format!("Text of {}", doc.name)}
            data-sha256={doc.sha256().to_owned()}
            data-span-count={props.entry.annotations.len().to_string()}
            data-start="0" data-end={doc.len().to_string()}
            data-rendered={if rendered_groups == total { "complete" } else { "partial" }}
            {onclick}>
            { for children }
        </article>
    }
}
