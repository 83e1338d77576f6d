//! Where text positions are on screen: the caret's rectangle, the boxes of
//! a code point range (per displayed line), the position under a point, and
//! the position one displayed line up or down. Rectangles are relative to a
//! `frame` element (the positioned parent of the text), so overlays placed
//! in it scroll with the text.

use wasm_bindgen::JsCast;
use web_sys::{DomRect, Element, HtmlElement};

use super::schedule::Mutation;
use super::selection::{dom_point, offset_of_point};

/// A rectangle in CSS pixels relative to the frame's top-left corner.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rect {
    pub left: f64,
    pub top: f64,
    pub width: f64,
    pub height: f64,
}

impl Rect {
    fn from_dom(rect: &DomRect, origin: &DomRect) -> Self {
        Rect {
            left: rect.left() - origin.left(),
            top: rect.top() - origin.top(),
            width: rect.width(),
            height: rect.height(),
        }
    }

    /// `rect` as it is, in viewport coordinates.
    pub fn of(rect: &DomRect) -> Self {
        Rect {
            left: rect.left(),
            top: rect.top(),
            width: rect.width(),
            height: rect.height(),
        }
    }

    /// This rectangle moved by `(dx, dy)`.
    pub fn shifted(self, dx: f64, dy: f64) -> Self {
        Rect {
            left: self.left + dx,
            top: self.top + dy,
            ..self
        }
    }

    pub fn bottom(&self) -> f64 {
        self.top + self.height
    }

    pub fn right(&self) -> f64 {
        self.left + self.width
    }
}

/// Most lines a range's boxes are computed for (the first and last lines of
/// a longer range): enough to show where it starts and ends.
const MAX_LINES: usize = 120;

/// The caret's rectangle at code point `pos` (zero width), relative to
/// `frame`. `prefer_end` places it at the end of the segment ending there
/// (the end of a span) rather than the start of the next one.
pub fn caret_rect(root: &Element, frame: &Element, pos: usize, prefer_end: bool) -> Option<Rect> {
    let origin = frame.get_bounding_client_rect();
    let (node, offset) = dom_point(root, pos, prefer_end)?;
    let range = gloo::utils::document().create_range().ok()?;
    range.set_start(&node, offset).ok()?;
    range.set_end(&node, offset).ok()?;
    let rects = range.get_client_rects()?;
    let rect = if rects.length() > 0 {
        rects.item(if prefer_end { rects.length() - 1 } else { 0 })?
    } else {
        // An empty line: its box.
        node.dyn_ref::<Element>()?.get_bounding_client_rect()
    };
    let mut out = Rect::from_dom(&rect, &origin);
    out.width = 0.0;
    Some(out)
}

/// The boxes of the code point range `[start, end)`, one per displayed line
/// (merged across segments), relative to `frame`.
pub fn range_rects(root: &Element, frame: &Element, start: usize, end: usize) -> Vec<Rect> {
    let origin = frame.get_bounding_client_rect();
    let mut boxes: Vec<Rect> = Vec::new();
    // The lines the range touches: look only inside the groups it touches.
    let mut touched = Vec::new();
    for (group, _, _) in children_overlapping(root, start, end) {
        for (_, ls, le) in children_overlapping(&group, start, end) {
            touched.push((ls.max(start), le.min(end)));
        }
    }
    if touched.len() > MAX_LINES {
        let tail = touched.split_off(touched.len() - MAX_LINES / 2);
        touched.truncate(MAX_LINES / 2);
        touched.extend(tail);
    }
    for (from, to) in touched {
        for rect in text_rects(root, from, to) {
            let r = Rect::from_dom(&rect, &origin);
            if r.width <= 0.0 {
                continue;
            }
            // Same displayed line as the last box: merge.
            match boxes.last_mut() {
                Some(last) if (last.top - r.top).abs() < r.height / 2.0 => {
                    let left = last.left.min(r.left);
                    let right = last.right().max(r.right());
                    let top = last.top.min(r.top);
                    let bottom = last.bottom().max(r.bottom());
                    *last = Rect {
                        left,
                        top,
                        width: right - left,
                        height: bottom - top,
                    };
                }
                _ => boxes.push(r),
            }
        }
    }
    boxes
}

fn text_rects(root: &Element, from: usize, to: usize) -> Vec<DomRect> {
    let (Some((a, a_off)), Some((b, b_off))) =
        (dom_point(root, from, false), dom_point(root, to, true))
    else {
        return Vec::new();
    };
    let Ok(range) = gloo::utils::document().create_range() else {
        return Vec::new();
    };
    if range.set_start(&a, a_off).is_err() || range.set_end(&b, b_off).is_err() {
        return Vec::new();
    }
    let Some(list) = range.get_client_rects() else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// The children of `parent` (with their `data-start`/`data-end`) that
/// overlap `[start, end)`.
fn children_overlapping(
    parent: &Element,
    start: usize,
    end: usize,
) -> Vec<(Element, usize, usize)> {
    let children = parent.children();
    let mut out = Vec::new();
    for i in 0..children.length() {
        let Some(child) = children.item(i) else {
            continue;
        };
        let (Some(cs), Some(ce)) = (attr(&child, "data-start"), attr(&child, "data-end")) else {
            continue;
        };
        if cs >= end {
            break;
        }
        if ce > start {
            out.push((child, cs, ce));
        }
    }
    out
}

fn attr(element: &Element, name: &str) -> Option<usize> {
    element.get_attribute(name)?.parse().ok()
}

/// The code point offset under the viewport point `(x, y)`, when it is in
/// `root`'s text.
pub fn offset_at(root: &Element, x: f64, y: f64) -> Option<usize> {
    let caret = gloo::utils::document().caret_position_from_point(x as f32, y as f32)?;
    let node = caret.offset_node()?;
    let root_node: &web_sys::Node = root.as_ref();
    if !root_node.contains(Some(&node)) {
        return None;
    }
    offset_of_point(root, &node, caret.offset())
}

/// The position one displayed line above or below `pos`, at about the same
/// horizontal place; `None` at the first or last line.
pub fn line_neighbour(root: &Element, pos: usize, down: bool) -> Option<usize> {
    let window = gloo::utils::window();
    let measure = || -> Option<DomRect> {
        let (node, offset) = dom_point(root, pos, false)?;
        let range = gloo::utils::document().create_range().ok()?;
        range.set_start(&node, offset).ok()?;
        range.set_end(&node, offset).ok()?;
        let rects = range.get_client_rects()?;
        match rects.item(0) {
            Some(rect) => Some(rect),
            None => node
                .dyn_ref::<Element>()
                .map(Element::get_bounding_client_rect),
        }
    };
    let mut rect = measure()?;
    let viewport = window.inner_height().ok()?.as_f64()?;
    let line = rect.height().max(8.0);
    let target = |r: &DomRect| {
        if down {
            r.bottom() + line * 0.75
        } else {
            r.top() - line * 0.75
        }
    };
    // The neighbouring line must be on screen to be hit-tested.
    let y = target(&rect);
    if y < 0.0 || y > viewport {
        window.scroll_by_with_x_and_y(0.0, if down { line * 2.0 } else { -line * 2.0 });
        rect = measure()?;
    }
    let found = offset_at(root, rect.left(), target(&rect))?;
    (found != pos).then_some(found)
}

/// Scrolls `element` into view if it is not, by as little as possible.
/// Checking first matters: `scrollIntoView` costs a few milliseconds on a
/// long document even when there is nothing to scroll.
pub fn scroll_into_view_nearest(element: &HtmlElement) {
    if !is_in_view(element, &Rect::of(&element.get_bounding_client_rect())) {
        scroll_nearest(element);
    }
}

/// For a measurement (`dom::schedule`): what brings `element` into view,
/// when it is not.
pub fn reveal(element: HtmlElement) -> Option<Mutation> {
    let shown = is_in_view(&element, &Rect::of(&element.get_bounding_client_rect()));
    (!shown).then(|| Box::new(move || scroll_nearest(&element)) as Mutation)
}

/// Scrolls `element` into view by as little as possible (unchecked: for
/// a caller that already knows it is out of view).
pub fn scroll_nearest(element: &HtmlElement) {
    let options = web_sys::ScrollIntoViewOptions::new();
    options.set_block(web_sys::ScrollLogicalPosition::Nearest);
    options.set_inline(web_sys::ScrollLogicalPosition::Nearest);
    element.scroll_into_view_with_scroll_into_view_options(&options);
}

/// What shows of the page around `inside`, in viewport coordinates: the
/// window, cut to the scrolling reader (`main`) that holds `inside` (on a
/// phone the spans panel below the reader covers the rest of the window).
pub fn visible_area(inside: &Element) -> Rect {
    let window = gloo::utils::window();
    let size = |v: Result<wasm_bindgen::JsValue, _>| v.ok().and_then(|v| v.as_f64()).unwrap_or(0.0);
    let (mut top, mut bottom) = (0.0, size(window.inner_height()));
    let (mut left, mut right) = (0.0, size(window.inner_width()));
    if let Some(reader) = inside.closest("main").ok().flatten() {
        let r = reader.get_bounding_client_rect();
        top = r.top().max(top);
        bottom = r.bottom().min(bottom);
        left = r.left().max(left);
        right = r.right().min(right);
    }
    Rect {
        left,
        top,
        width: (right - left).max(0.0),
        height: (bottom - top).max(0.0),
    }
}

/// Whether all of `rect` (viewport coordinates) shows: inside
/// [`visible_area`] of `inside`.
pub fn is_in_view(inside: &Element, rect: &Rect) -> bool {
    let area = visible_area(inside);
    rect.top >= area.top
        && rect.bottom() <= area.bottom()
        && rect.left >= area.left
        && rect.right() <= area.right()
}
