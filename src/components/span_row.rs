//! One row of the spans panel: the span's label (a swatch and the name, so
//! colour is never the only signal), one line of its text and, on a second,
//! muted line, its note. A `role="option"` of the panel's listbox; the panel
//! handles clicks and keys for all rows at once (event delegation), so a
//! row's props are plain values and compare cheaply: a row re-renders only
//! when what it shows changes. Its place in the list (`aria-posinset`,
//! `aria-setsize`) changes with every span added before it, so the panel
//! writes those two attributes itself rather than re-render the rows.

use yew::prelude::*;

/// Height of a row in CSS pixels; `styles/panel.css` gives `.span-row` the
/// same height. The panel renders only the rows near its viewport, placed
/// in a track this many pixels per row tall.
pub const ROW_PX: f64 = 58.0;

#[derive(Properties, PartialEq)]
pub struct SpanRowProps {
    /// The element id (`aria-activedescendant` of the listbox points at it).
    pub dom_id: AttrValue,
    /// The annotation id, read back by the panel's click handler.
    pub span_id: AttrValue,
    pub label: AttrValue,
    /// Colour class of the label: `l<i>`, or `lx` for a label not in the set.
    pub colour: AttrValue,
    /// The span's text on one line (line breaks and runs of spaces as one space).
    pub excerpt: AttrValue,
    pub note: Option<AttrValue>,
    pub selected: bool,
    /// The row the panel's keyboard focus is on.
    pub active: bool,
}

#[component]
pub fn SpanRow(props: &SpanRowProps) -> Html {
    let class = classes!(
        "span-row",
        props.selected.then_some("selected"),
        props.active.then_some("active"),
        props.note.is_some().then_some("has-note"),
    );
    let note = match &props.note {
        Some(note) => html! {
            <span class="row-note"><span class="visually-hidden">{ "Note: " }</span>{ note.clone() }</span>
        },
        None => html! {},
    };
    html! {
        <div id={props.dom_id.clone()} {class} role="option"
            aria-selected={if props.selected { "true" } else { "false" }}
            data-span-id={props.span_id.clone()}>
            <span class="row-main">
                <span class={classes!("row-label", props.colour.clone())}>
                    <span class="swatch" aria-hidden="true"></span>
                    { props.label.clone() }
                </span>
                <span class="row-excerpt">{ props.excerpt.clone() }</span>
            </span>
            { note }
        </div>
    }
}
