//! DOM selection <-> code point offsets.
//!
//! The document view marks every element that holds text with `data-start`
//! and `data-end` (code point offsets into the document): the root, each
//! block (line) and each segment. A segment holds exactly one text node, so a
//! DOM position (text node, UTF-16 offset) maps to
//! `segment.data-start + code points in the first offset UTF-16 units`.
//! Positions outside the root are clamped to its start or end, so a drag
//! that starts in the text and ends in the sidebar still selects the text.

use wasm_bindgen::JsCast;
use web_sys::{Element, Node, Range};

use crate::text::{cp_of_utf16_in, Utf16Error};

/// Which end of a range a DOM position is; decides how a position inside a
/// surrogate pair (which browsers should never produce) is rounded.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Edge {
    Start,
    End,
}

/// The non-empty code point range the page's selection covers inside
/// `root`, if any.
pub fn selected_range(root: &Element) -> Option<(usize, usize)> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.range_count() == 0 || selection.is_collapsed() {
        return None;
    }
    let range = selection.get_range_at(0).ok()?;
    range_offsets(root, &range)
}

/// The code point range of a DOM `range` within `root`; `None` when the range
/// does not reach into `root` or is empty there.
pub fn range_offsets(root: &Element, range: &Range) -> Option<(usize, usize)> {
    if !range.intersects_node(root).unwrap_or(false) {
        return None;
    }
    let start = point_offset(
        root,
        &range.start_container().ok()?,
        range.start_offset().ok()? as usize,
        Edge::Start,
    )?;
    let end = point_offset(
        root,
        &range.end_container().ok()?,
        range.end_offset().ok()? as usize,
        Edge::End,
    )?;
    (start < end).then_some((start, end))
}

/// Clears the page's selection (after it became a span).
pub fn clear_selection() {
    if let Some(Ok(Some(selection))) = web_sys::window().map(|w| w.get_selection()) {
        let _ = selection.remove_all_ranges();
    }
}

fn data_offset(element: &Element, name: &str) -> Option<usize> {
    element.get_attribute(name)?.parse().ok()
}

fn point_offset(root: &Element, node: &Node, offset: usize, edge: Edge) -> Option<usize> {
    let root_node: &Node = root.as_ref();
    let root_start = data_offset(root, "data-start")?;
    let root_end = data_offset(root, "data-end")?;
    if !root_node.contains(Some(node)) {
        // Outside the view: clamp by document order.
        let position = root_node.compare_document_position(node);
        return Some(if position & Node::DOCUMENT_POSITION_PRECEDING != 0 {
            root_start
        } else {
            root_end
        });
    }
    if node.node_type() == Node::TEXT_NODE {
        let segment = node.parent_element()?.closest("[data-start]").ok()??;
        let text = node.text_content().unwrap_or_default();
        let cp = match cp_of_utf16_in(&text, offset) {
            Ok(cp) => cp,
            Err(Utf16Error::InsideSurrogatePair { .. }) => {
                let before = cp_of_utf16_in(&text, offset - 1).unwrap_or(0);
                if edge == Edge::Start {
                    before
                } else {
                    before + 1
                }
            }
            Err(Utf16Error::OutOfRange { .. }) => text.chars().count(),
        };
        return Some(data_offset(&segment, "data-start")? + cp);
    }
    let element: &Element = node.dyn_ref()?;
    let children = node.child_nodes();
    if (offset as u32) < children.length() {
        start_of(&children.item(offset as u32)?).or_else(|| end_of(element))
    } else {
        end_of(element)
    }
}

/// The offset where a node's text starts.
fn start_of(node: &Node) -> Option<usize> {
    if let Some(element) = node.dyn_ref::<Element>() {
        if let Some(at) = data_offset(element, "data-start") {
            return Some(at);
        }
        let first = element.query_selector("[data-start]").ok()??;
        return data_offset(&first, "data-start");
    }
    let parent = node.parent_element()?.closest("[data-start]").ok()??;
    data_offset(&parent, "data-start")
}

/// The offset where an element's text ends.
fn end_of(element: &Element) -> Option<usize> {
    if let Some(at) = data_offset(element, "data-end") {
        return Some(at);
    }
    let all = element.query_selector_all("[data-end]").ok()?;
    let last = all.item(all.length().checked_sub(1)?)?;
    data_offset(last.dyn_ref()?, "data-end")
}
