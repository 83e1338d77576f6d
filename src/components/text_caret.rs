//! The caret drawn in the text: a thin bar at a code point position,
//! placed by measuring the text (the text itself is not re-rendered when
//! the caret moves) and kept in view. It blinks while the text has the
//! keyboard focus (steady for readers who prefer reduced motion).

use yew::prelude::*;

use crate::dom::geometry::{caret_rect, is_in_view, scroll_into_view_nearest};
use crate::dom::schedule::before_next_paint;

#[derive(Properties, PartialEq)]
pub struct TextCaretProps {
    /// The text's root element.
    pub root: NodeRef,
    pub pos: usize,
    /// Hidden (a span is selected: its handles show instead).
    pub hidden: bool,
    /// Changes whenever the text's layout may have changed (spans added or
    /// removed, more lines rendered), so the caret is measured again.
    pub layout: usize,
}

#[component]
pub fn TextCaret(props: &TextCaretProps) -> Html {
    let node = use_node_ref();
    let resized = use_window_resizes();
    {
        let node = node.clone();
        let root = props.root.clone();
        use_effect_with(
            (props.pos, props.hidden, props.layout, resized),
            move |&(pos, hidden, _, _)| {
                if hidden {
                    return;
                }
                before_next_paint(move || {
                    let caret = node.cast::<web_sys::HtmlElement>()?;
                    let root = root.cast::<web_sys::Element>()?;
                    let frame = root.parent_element()?;
                    let rect = caret_rect(&root, &frame, pos, false)?;
                    let origin = frame.get_bounding_client_rect();
                    let shown = is_in_view(&root, &rect.shifted(origin.left(), origin.top()));
                    Some(Box::new(move || {
                        let style = caret.style();
                        let _ = style.set_property("left", &format!("{:.1}px", rect.left));
                        let _ = style.set_property("top", &format!("{:.1}px", rect.top));
                        let _ = style.set_property("height", &format!("{:.1}px", rect.height));
                        if !shown {
                            scroll_into_view_nearest(&caret);
                        }
                    }))
                });
            },
        );
    }
    html! {
        <div ref={node} class="caret" aria-hidden="true" hidden={props.hidden} data-pos={props.pos.to_string()} />
    }
}

/// A counter that changes when the window is resized (the text reflows).
#[hook]
pub fn use_window_resizes() -> u32 {
    let count = use_mut_ref(|| 0u32);
    let update = use_force_update();
    {
        let count = count.clone();
        use_effect_with((), move |_| {
            let window = gloo::utils::window();
            let listener = gloo::events::EventListener::new(&window, "resize", move |_| {
                *count.borrow_mut() += 1;
                update.force_update();
            });
            move || drop(listener)
        });
    }
    let now = *count.borrow();
    now
}
