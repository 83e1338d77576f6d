//! The caret drawn in the text: a thin bar at a code point position,
//! placed by measuring the text (the text itself is not re-rendered when
//! the caret moves) and kept in view. It blinks while the text has the
//! keyboard focus, by a timer, and stays solid while the user acts (steady
//! for readers who prefer reduced motion).

use yew::prelude::*;

use crate::dom::geometry::{caret_rect, is_in_view, scroll_nearest};
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

/// Half a blink, in milliseconds.
const BLINK_MS: u32 = 550;
/// How long the caret stays solid after it moves or the text changes.
const SOLID_AFTER_ACTIVITY_MS: f64 = 600.0;

#[component]
pub fn TextCaret(props: &TextCaretProps) -> Html {
    let node = use_node_ref();
    let resized = use_window_resizes();
    // When the caret last moved (or the text under it changed).
    let last_activity = use_mut_ref(|| 0.0_f64);
    {
        // Blinking by a timer toggling `data-blink`, never faster than the
        // timer: a CSS animation would keep the page producing frames.
        let (node, last_activity) = (node.clone(), last_activity.clone());
        use_effect_with((), move |_| {
            let interval = gloo::timers::callback::Interval::new(BLINK_MS, move || {
                let Some(caret) = node.cast::<web_sys::Element>() else {
                    return;
                };
                let idle = js_sys::Date::now() - *last_activity.borrow() > SOLID_AFTER_ACTIVITY_MS;
                let off = idle && caret.get_attribute("data-blink").as_deref() != Some("off");
                if caret.has_attribute("hidden") || !off {
                    let _ = caret.remove_attribute("data-blink");
                } else {
                    let _ = caret.set_attribute("data-blink", "off");
                }
            });
            move || drop(interval)
        });
    }
    {
        let node = node.clone();
        let root = props.root.clone();
        use_effect_with(
            (props.pos, props.hidden, props.layout, resized),
            move |&(pos, hidden, _, _)| {
                *last_activity.borrow_mut() = js_sys::Date::now();
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
                        // Solid again at once: the user is acting.
                        let _ = caret.remove_attribute("data-blink");
                        let style = caret.style();
                        let _ = style.set_property("left", &format!("{:.1}px", rect.left));
                        let _ = style.set_property("top", &format!("{:.1}px", rect.top));
                        let _ = style.set_property("height", &format!("{:.1}px", rect.height));
                        if !shown {
                            scroll_nearest(&caret);
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
