//! One line of the document, split into segments at span boundaries. Each
//! segment is one element holding one text node, marked with its code point
//! range (`data-start`, `data-end`) so selections map back to offsets
//! exactly. Covered segments are `<mark>`s carrying the ids and labels of
//! every span over them; where a span starts, its label is shown as a badge
//! (CSS generated content, so it never enters the selectable text), and
//! where a span with a note ends, `data-note` asks the CSS for a note mark.
//!
//! Props compare cheaply, so an edit re-renders only the lines it touches.

use std::rc::Rc;

use yew::prelude::*;

use crate::model::{segments, Block, Label, SpanRef};

/// How many labels get a colour class of their own (`l0`…`l15`, with a
/// rule per class in `styles/document.css` reading `--label-<i>`); labels
/// past these are painted in the neutral `x` colour, their badge still
/// naming them.
pub const LABEL_CLASSES: usize = 16;

/// The colour class of the label at `index`: `l3`, `o3`; `lx` past
/// [`LABEL_CLASSES`]. Classes, not inline styles: the page's
/// Content-Security-Policy allows no `style` attributes.
pub fn label_class(prefix: &str, index: usize) -> String {
    if index < LABEL_CLASSES {
        format!("{prefix}{index}")
    } else {
        format!("{prefix}x")
    }
}

#[derive(Properties, PartialEq)]
pub struct TextBlockProps {
    pub block: Block,
    /// The spans overlapping this line.
    pub spans: Rc<[SpanRef]>,
    /// The selected span, when it overlaps this line.
    pub selected: Option<Rc<str>>,
    pub labels: Rc<Vec<Label>>,
}

#[component]
pub fn TextBlock(props: &TextBlockProps) -> Html {
    let block = &props.block;
    let text = &*block.text;
    if block.start == block.end {
        return html! {
            <div class="block empty" data-start={block.start.to_string()} data-end={block.end.to_string()} />
        };
    }
    let mut byte_of = text
        .char_indices()
        .map(|(b, _)| b)
        .chain(std::iter::once(text.len()));
    let mut at_cp = block.start;
    let mut at_byte = byte_of.next().unwrap_or(0);
    let mut children = Vec::new();
    for segment in segments(block.start, block.end, &props.spans) {
        let from = at_byte;
        // Advance the byte cursor to the segment's end.
        let steps = segment.end - at_cp;
        let to = if steps == 0 {
            from
        } else {
            byte_of.nth(steps - 1).unwrap_or(text.len())
        };
        at_cp = segment.end;
        at_byte = to;
        children.push(render_segment(props, &segment, &text[from..to]));
    }
    html! {
        <div class="block" data-start={block.start.to_string()} data-end={block.end.to_string()}>
            { children }
        </div>
    }
}

fn render_segment(props: &TextBlockProps, segment: &crate::model::Segment, text: &str) -> Html {
    let start = segment.start.to_string();
    let end = segment.end.to_string();
    if segment.spans.is_empty() {
        return html! {
            <span key={segment.start} class="seg" data-start={start} data-end={end}>{ text.to_owned() }</span>
        };
    }
    // Colour classes: `l<i>` for the innermost span's label, `o<i>` for the
    // next one out; `x` for a label that is not in the label set.
    let colour = |prefix: &str, name: &str| match props.labels.iter().position(|l| l.name == name) {
        Some(i) => label_class(prefix, i),
        None => format!("{prefix}x"),
    };
    let inner = colour("l", &segment.spans[0].label);
    let outer = segment.spans.get(1).map(|s| colour("o", &s.label));
    let selected = props
        .selected
        .as_ref()
        .is_some_and(|id| segment.spans.iter().any(|s| &s.id == id));
    let ids: Vec<&str> = segment.spans.iter().map(|s| &*s.id).collect();
    let labels: Vec<&str> = segment.spans.iter().map(|s| &*s.label).collect();
    // Badges for the spans that start here, outermost first.
    let starting: Vec<&str> = segment
        .spans
        .iter()
        .rev()
        .filter(|s| s.start == segment.start)
        .map(|s| &*s.label)
        .collect();
    let ending = segment.spans.iter().any(|s| s.end == segment.end);
    // A span with a note ends here: the text shows a note mark (CSS generated content).
    let note_ends = segment
        .spans
        .iter()
        .any(|s| s.has_note && s.end == segment.end);
    let class = classes!(
        "seg",
        "mark",
        inner,
        outer,
        (segment.spans.len() > 2).then_some("deep"),
        selected.then_some("selected"),
        (!starting.is_empty()).then_some("starts"),
        ending.then_some("ends"),
    );
    html! {
        <mark key={segment.start} class={class}
            data-start={start} data-end={end}
            data-spans={ids.join(" ")} data-labels={labels.join(" ")}
            data-badge={(!starting.is_empty()).then(|| starting.join(" · "))}
            data-note={note_ends.then_some("")}>
            { text.to_owned() }
        </mark>
    }
}
