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
use web_sys::{Element, HtmlCollection, Node, Range};

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

pub(crate) fn data_offset(element: &Element, name: &str) -> Option<usize> {
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

/// The DOM position of code point `cp` inside `root`: a text node and a
/// UTF-16 offset in it, or an empty line's element and 0. Where two
/// segments meet, `prefer_end` picks the one ending at `cp` (the end of a
/// range), else the one starting there. A position inside a line break
/// (between CR and LF) is the end of its line.
pub fn dom_point(root: &Element, cp: usize, prefer_end: bool) -> Option<(Node, u32)> {
    let mut element = root.clone();
    let mut cp = cp;
    loop {
        // Where two children meet at `cp`: the one ending there for the end
        // of a range, else the one starting there. A `cp` between two
        // children (in a line break) belongs to the one before it.
        let mut children = Children::new(&element);
        let bound = if prefer_end {
            Bound::Inclusive
        } else {
            Bound::Exclusive
        };
        let Some(mut child) = children.seek(cp, bound) else {
            break;
        };
        if data_offset(&child, "data-start").is_some_and(|start| start > cp) {
            match child.previous_element_sibling() {
                Some(before) => child = before,
                None => break,
            }
        }
        let Some(end) = data_offset(&child, "data-end") else {
            break;
        };
        cp = cp.min(end);
        element = child;
    }
    let start = data_offset(&element, "data-start")?;
    match element.first_child() {
        Some(node) if node.node_type() == Node::TEXT_NODE => {
            let text = node.text_content().unwrap_or_default();
            let utf16: usize = text
                .chars()
                .take(cp.saturating_sub(start))
                .map(char::len_utf16)
                .sum();
            Some((node, utf16 as u32))
        }
        _ => Some((element.into(), 0)),
    }
}

/// Whether a child is wanted when its `data-end` equals the position:
/// lines are (a position at a line's end is in it), segments starting a
/// range are not (the next segment starts there).
#[derive(Clone, Copy, PartialEq)]
pub(crate) enum Bound {
    Inclusive,
    Exclusive,
}

/// A forward cursor over an element's children, which carry increasing
/// `data-start`/`data-end`.
pub(crate) struct Children {
    pub(crate) list: HtmlCollection,
    pub(crate) len: u32,
    /// The cursor: where the next `seek` starts.
    pub(crate) at: u32,
}

impl Children {
    pub(crate) fn new(parent: &Element) -> Self {
        let list = parent.children();
        let len = list.length();
        Children { list, len, at: 0 }
    }

    fn reaches(&self, i: u32, cp: usize, bound: Bound) -> bool {
        match self.list.item(i).and_then(|e| data_offset(&e, "data-end")) {
            Some(end) if bound == Bound::Exclusive => end > cp,
            Some(end) => end >= cp,
            None => true,
        }
    }

    /// The first child from the cursor on whose end reaches `cp` (or the
    /// last child); the cursor moves there. Gallops, then bisects, so a
    /// walk through sorted positions reads each child at most about twice
    /// and skips long stretches in a logarithmic number of reads.
    pub(crate) fn seek(&mut self, cp: usize, bound: Bound) -> Option<Element> {
        if self.len == 0 {
            return None;
        }
        let last = self.len - 1;
        let mut lo = self.at.min(last);
        if !self.reaches(lo, cp, bound) {
            // Gallop: `lo` falls short; find an `hi` that reaches.
            let mut step = 1;
            let mut hi = lo;
            while hi < last {
                hi = (lo + step).min(last);
                if self.reaches(hi, cp, bound) {
                    break;
                }
                lo = hi;
                step *= 2;
            }
            // Bisect in (lo, hi]: `lo` falls short, `hi` reaches (or is last).
            while hi - lo > 1 {
                let mid = lo + (hi - lo) / 2;
                if self.reaches(mid, cp, bound) {
                    hi = mid;
                } else {
                    lo = mid;
                }
            }
            lo = hi;
        }
        self.at = lo;
        self.list.item(lo)
    }
}

/// Shows the code point selection `anchor`..`focus` as the page's
/// selection (the browser paints it); a collapsed one clears it.
pub fn show_selection(root: &Element, anchor: usize, focus: usize) {
    let Some(Ok(Some(selection))) = web_sys::window().map(|w| w.get_selection()) else {
        return;
    };
    if anchor == focus {
        let _ = selection.remove_all_ranges();
        return;
    }
    let forward = anchor < focus;
    let (Some((a, a_off)), Some((f, f_off))) = (
        dom_point(root, anchor, !forward),
        dom_point(root, focus, forward),
    ) else {
        return;
    };
    let _ = selection.set_base_and_extent(&a, a_off, &f, f_off);
}

/// The code point offset of a DOM position (as `caretPositionFromPoint` or
/// a selection gives it) in `root`.
pub fn offset_of_point(root: &Element, node: &Node, offset: u32) -> Option<usize> {
    point_offset(root, node, offset as usize, Edge::Start)
}

/// The page selection's anchor and focus in `root`, in code points, when
/// the selection lies in it.
pub fn selection_ends(root: &Element) -> Option<(usize, usize)> {
    let selection = web_sys::window()?.get_selection().ok()??;
    if selection.range_count() == 0 {
        return None;
    }
    let root_node: &Node = root.as_ref();
    let anchor_node = selection.anchor_node()?;
    let focus_node = selection.focus_node()?;
    if !root_node.contains(Some(&anchor_node)) || !root_node.contains(Some(&focus_node)) {
        return None;
    }
    Some((
        offset_of_point(root, &anchor_node, selection.anchor_offset())?,
        offset_of_point(root, &focus_node, selection.focus_offset())?,
    ))
}
