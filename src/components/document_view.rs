//! The open document's text with its spans painted over it. Lays out one
//! [`TextBlock`] per line (keyed by offset) and turns clicks into span
//! selection: a click selects the innermost span under the pointer, and
//! clicking again where spans are stacked moves outwards through them.
//!
//! Long documents are rendered progressively: the first screenful of lines at
//! once, the rest in chunks on later tasks, so the time to the first paint
//! does not grow with the document. `data-rendered="complete"` on the root
//! says every line is in the DOM.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::text_block::TextBlock;
use crate::dom::timing::mark;
use crate::model::{assign_to_blocks, span_to_select, AnnotationId, Label};
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

/// Code points rendered before the first paint: more than any screen shows.
const FIRST_CHUNK: usize = 16_000;
/// Later chunks double (each pass re-diffs the lines already there, so few
/// passes cost less), up to a size that keeps each task short enough for
/// typing to stay responsive.
const MAX_CHUNK: usize = 256_000;

/// How many lines from `from` hold about `chars` code points (at least one).
fn lines_for(blocks: &[crate::model::Block], from: usize, chars: usize) -> usize {
    let start = blocks.get(from).map_or(0, |b| b.start);
    let more = blocks[from..].partition_point(|b| b.end <= start + chars);
    (from + more + 1).min(blocks.len())
}

#[component]
pub fn DocumentView(props: &DocumentViewProps) -> Html {
    let doc = &props.entry.doc;
    let total = doc.blocks().len();
    // Lines rendered so far, for the document they were counted in.
    let rendered = use_state(|| {
        (
            doc.sha256().to_owned(),
            lines_for(doc.blocks(), 0, FIRST_CHUNK),
        )
    });
    let rendered_lines = if rendered.0 == doc.sha256() {
        rendered.1
    } else {
        lines_for(doc.blocks(), 0, FIRST_CHUNK)
    };
    {
        let rendered = rendered.clone();
        let doc = doc.clone();
        use_effect_with(
            (doc.sha256().to_owned(), rendered_lines),
            move |(sha, lines)| {
                let pending = (*lines < doc.blocks().len()).then(|| {
                    let (sha, from) = (sha.clone(), *lines);
                    let chunk = doc.blocks()[from - 1].end.clamp(FIRST_CHUNK, MAX_CHUNK);
                    gloo::timers::callback::Timeout::new(0, move || {
                        rendered.set((sha, lines_for(doc.blocks(), from, chunk)));
                    })
                });
                move || drop(pending)
            },
        );
    }
    let per_block = use_memo(
        (doc.clone(), props.entry.annotations.clone()),
        |(doc, annotations)| assign_to_blocks(doc.blocks(), annotations),
    );
    let selected: Option<Rc<str>> = props.selected.as_deref().map(Rc::from);
    use_effect_with(doc.sha256().to_owned(), |_| mark("document-rendered"));
    use_effect_with(
        (doc.sha256().to_owned(), rendered_lines == total),
        |(_, complete)| {
            if *complete {
                mark("document-complete");
            }
        },
    );

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

    let blocks = doc.blocks()[..rendered_lines]
        .iter()
        .zip(per_block.iter())
        .map(|(block, spans)| {
            let selected_here = selected
                .as_ref()
                .filter(|id| spans.iter().any(|s| &s.id == *id))
                .cloned();
            html! {
                <TextBlock key={block.start} block={block.clone()} spans={spans.clone()}
                    selected={selected_here} labels={props.labels.clone()} />
            }
        });

    html! {
        <article ref={props.root.clone()} id="document" class="doc"
            aria-label={format!("Text of {}", doc.name)}
            data-sha256={doc.sha256().to_owned()}
            data-span-count={props.entry.annotations.len().to_string()}
            data-start="0" data-end={doc.len().to_string()}
            data-rendered={if rendered_lines == total { "complete" } else { "partial" }}
            {onclick}>
            { for blocks }
        </article>
    }
}
