//! The snapping preview: an outline around the range a selection will
//! become when it is tagged (see `text::snap`), drawn over the text without
//! touching it. One box per displayed line, placed by measuring the text.

use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::text_caret::use_window_resizes;
use crate::dom::geometry::{range_rects, Rect};
use crate::dom::schedule::{before_next_paint, Mutation};

#[derive(Properties, PartialEq)]
pub struct SnapPreviewProps {
    /// The text's root element.
    pub root: NodeRef,
    /// The range to outline, in code points; `None` hides the preview.
    pub range: Option<(usize, usize)>,
    /// Changes whenever the text's layout may have changed.
    pub layout: usize,
    /// An extra class (`resize` while a span's handle is dragged).
    #[prop_or_default]
    pub class: Classes,
}

#[component]
pub fn SnapPreview(props: &SnapPreviewProps) -> Html {
    let node = use_node_ref();
    let resized = use_window_resizes();
    {
        let node = node.clone();
        let root = props.root.clone();
        use_effect_with(
            (props.range, props.layout, resized),
            move |&(range, _, _)| {
                before_next_paint(move || draw_boxes(&node, &root, range));
            },
        );
    }
    let (start, end) = props.range.unwrap_or_default();
    html! {
        <div ref={node} class={classes!("snap-preview", props.class.clone())} aria-hidden="true"
            hidden={props.range.is_none()}
            data-snap-start={props.range.map(|_| start.to_string())}
            data-snap-end={props.range.map(|_| end.to_string())} />
    }
}

/// Measures the boxes of `range` and returns what replaces the preview's
/// boxes with them. The boxes are the layer's own children, made here rather
/// than by Yew: their number and places come from measuring the text.
fn draw_boxes(node: &NodeRef, root: &NodeRef, range: Option<(usize, usize)>) -> Option<Mutation> {
    let layer = node.cast::<web_sys::Element>()?;
    let rects: Vec<Rect> = match (range, root.cast::<web_sys::Element>()) {
        (Some((start, end)), Some(root)) => match root.parent_element() {
            Some(frame) => range_rects(&root, &frame, start, end),
            None => Vec::new(),
        },
        _ => Vec::new(),
    };
    Some(Box::new(move || replace_boxes(&layer, rects)))
}

fn replace_boxes(layer: &web_sys::Element, rects: Vec<Rect>) {
    layer.set_inner_html("");
    let document = gloo::utils::document();
    for rect in rects {
        let Ok(item) = document.create_element("div") else {
            continue;
        };
        item.set_class_name("snap-box");
        if let Some(item) = item.dyn_ref::<web_sys::HtmlElement>() {
            let style = item.style();
            let _ = style.set_property("left", &format!("{:.1}px", rect.left - 2.0));
            let _ = style.set_property("top", &format!("{:.1}px", rect.top - 1.0));
            let _ = style.set_property("width", &format!("{:.1}px", rect.width + 4.0));
            let _ = style.set_property("height", &format!("{:.1}px", rect.height + 2.0));
        }
        let _ = layer.append_child(&item);
    }
}
