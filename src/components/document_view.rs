//! The open document's text with its spans painted over it. Lays out one
//! [`TextBlock`] per line (keyed by offset) and turns clicks into span
//! selection: a click selects the innermost span under the pointer, and
//! clicking again where spans are stacked moves outwards through them.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::text_block::TextBlock;
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

#[component]
pub fn DocumentView(props: &DocumentViewProps) -> Html {
    let doc = &props.entry.doc;
    let per_block = use_memo(
        (doc.clone(), props.entry.annotations.clone()),
        |(doc, annotations)| assign_to_blocks(doc.blocks(), annotations),
    );
    let selected: Option<Rc<str>> = props.selected.as_deref().map(Rc::from);

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

    let blocks = doc
        .blocks()
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
            {onclick}>
            { for blocks }
        </article>
    }
}
