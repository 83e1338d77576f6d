//! A group of consecutive lines (see `model::group_blocks`): the unit the
//! browser may skip laying out and painting while it is off screen
//! (`content-visibility: auto`), and the unit an edit re-diffs. Lines inside
//! re-render only when their own props change.

use std::ops::Range;
use std::rc::Rc;

use yew::prelude::*;

use super::text_block::TextBlock;
use crate::model::{Block, Label, SpanRef};

#[derive(Properties)]
pub struct TextGroupProps {
    /// All of the document's lines; this group shows `range` of them.
    pub blocks: Rc<[Block]>,
    pub range: Range<usize>,
    /// The spans overlapping each line of the group.
    pub spans: Rc<[Rc<[SpanRef]>]>,
    /// The selected span, when it touches this group.
    pub selected: Option<Rc<str>>,
    pub labels: Rc<Vec<Label>>,
}

/// Compared by hand: `Rc<[T]>` has no pointer-equality shortcut in its
/// `PartialEq` (std only short-cuts sized `T`), and comparing the document's
/// lines by content for every group on every edit costs a full text
/// comparison per group. Lines never change within a document, so the same
/// `Rc` is the same lines.
impl PartialEq for TextGroupProps {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.blocks, &other.blocks)
            && self.range == other.range
            && self.spans == other.spans
            && self.selected == other.selected
            && Rc::ptr_eq(&self.labels, &other.labels)
    }
}

/// Characters per visual line, and line height, for the size the browser
/// assumes before it has laid a group out once (it remembers the real size
/// after that).
const CHARS_PER_LINE: usize = 70;
const LINE_EM: f64 = 1.85;

#[component]
pub fn TextGroup(props: &TextGroupProps) -> Html {
    let lines = &props.blocks[props.range.clone()];
    let (start, end) = (lines[0].start, lines[lines.len() - 1].end);
    let node = use_node_ref();
    {
        // Set through the CSSOM: the page's CSP forbids inline style attributes.
        let visual_lines: usize = lines
            .iter()
            .map(|b| (b.end - b.start).div_ceil(CHARS_PER_LINE).max(1))
            .sum();
        let estimate = format!(
            "auto {:.1}em",
            visual_lines as f64 * LINE_EM + lines.len() as f64 * 0.45
        );
        use_effect_with((node.clone(), estimate), |(node, estimate)| {
            if let Some(element) = node.cast::<web_sys::HtmlElement>() {
                let _ = element
                    .style()
                    .set_property("contain-intrinsic-block-size", estimate);
            }
        });
    }
    let children = lines.iter().zip(props.spans.iter()).map(|(block, spans)| {
        let selected = props
            .selected
            .as_ref()
            .filter(|id| spans.iter().any(|s| &s.id == *id))
            .cloned();
        html! {
            <TextBlock key={block.start} block={block.clone()} spans={spans.clone()}
                {selected} labels={props.labels.clone()} />
        }
    });
    html! {
        <div ref={node} class="group" data-start={start.to_string()} data-end={end.to_string()}>
            { for children }
        </div>
    }
}

/// Whether any line of a group has a span with this id.
pub fn group_has(spans: &[Rc<[SpanRef]>], id: &str) -> bool {
    spans.iter().any(|line| line.iter().any(|s| &*s.id == id))
}
