//! Painting find matches over the text without touching it: the CSS Custom
//! Highlight API (`CSS.highlights`, styled by `::highlight(find)` and
//! `::highlight(find-current)` rules), so showing ten thousand matches never
//! re-renders a line, and closing the find bar leaves the text as it was.
//!
//! Each match becomes a `StaticRange` over the segments' text nodes (found
//! through the document's lines and the segments' `data-start`/`data-end`,
//! as in [`super::selection`]). Only the groups of lines near the visible
//! part of the reader are painted (an `IntersectionObserver` says which, a
//! screenful or two either way): the browser's cost of a highlight grows
//! with its ranges, and a query with 20,000 matches in a long document must
//! still answer a key press at once. Static ranges do not follow DOM
//! changes, so a `MutationObserver` on the text repaints exactly the groups
//! that changed (an edit re-renders one group), watches the groups a
//! progressive render adds, and finishes revealing a match whose group was
//! not rendered yet. A `ResizeObserver` keeps a match just revealed in view
//! while the lines around it are laid out.
//!
//! web-sys exposes `Highlight` only behind `--cfg web_sys_unstable_apis`,
//! so the few calls needed are bound here. Without the API (older
//! browsers) nothing is painted, but stepping through matches still scrolls
//! to them and moves the caret.

use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;

use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use web_sys::{Element, Node};

use super::selection::{data_offset, Bound, Children};
use crate::model::Document;

#[wasm_bindgen]
extern "C" {
    /// A set of ranges the page paints with `::highlight(<name>)` rules.
    #[wasm_bindgen(js_name = Highlight)]
    type Highlight;

    #[wasm_bindgen(constructor, js_class = "Highlight", catch)]
    fn new() -> Result<Highlight, JsValue>;

    #[wasm_bindgen(method, js_class = "Highlight")]
    fn add(this: &Highlight, range: &JsValue);

    #[wasm_bindgen(method, js_class = "Highlight", js_name = delete)]
    fn remove(this: &Highlight, range: &JsValue) -> bool;

    #[wasm_bindgen(method, js_class = "Highlight")]
    fn clear(this: &Highlight);

    #[wasm_bindgen(method, setter, js_class = "Highlight")]
    fn set_priority(this: &Highlight, priority: i32);

    /// `CSS.highlights`: highlight names to highlights.
    type HighlightRegistry;

    #[wasm_bindgen(method)]
    fn set(this: &HighlightRegistry, name: &str, highlight: &Highlight);

    #[wasm_bindgen(method, js_name = delete)]
    fn remove(this: &HighlightRegistry, name: &str) -> bool;
}

/// The highlight names the stylesheet (`styles/find.css`) paints.
const ALL: &str = "find";
const CURRENT: &str = "find-current";

/// The matches of a find painted over the text in `root`, while it lives.
/// Dropping it removes the highlights.
pub struct FindHighlights {
    painter: Rc<RefCell<Painter>>,
    observer: Option<web_sys::MutationObserver>,
    _on_mutations: Closure<dyn FnMut(js_sys::Array)>,
    _on_visibility: Closure<dyn FnMut(js_sys::Array)>,
    resizes: Option<web_sys::ResizeObserver>,
    _on_resize: Closure<dyn FnMut(js_sys::Array)>,
}

/// For how long after a match is revealed it is kept in view while the
/// text's layout settles (milliseconds).
const SETTLE_MS: f64 = 1500.0;

/// How far beyond the visible part of the reader groups are painted, so
/// scrolling shows matches already painted.
const NEAR: &str = "150% 0px";

impl FindHighlights {
    /// Starts painting over the text of `doc` rendered in `root` (the
    /// element with `data-start`/`data-end` whose children are the groups).
    pub fn new(root: Element, doc: Rc<Document>) -> Self {
        let painter = Rc::new(RefCell::new(Painter {
            root: root.clone(),
            doc,
            matches: Rc::from(Vec::new()),
            paint: Paint::register(),
            painted: HashMap::new(),
            near: HashMap::new(),
            visibility: None,
            current: None,
            reveal_pending: false,
            scroller: scrolling_ancestor(&root),
            keep_in_view_until: 0.0,
        }));
        let on_visibility = {
            let painter = painter.clone();
            Closure::<dyn FnMut(js_sys::Array)>::new(move |entries: js_sys::Array| {
                painter.borrow_mut().visibility_changed(&entries);
            })
        };
        let visibility = {
            let options = web_sys::IntersectionObserverInit::new();
            // The reader scrolls, not the page: margins apply to its box.
            let scroller = painter.borrow().scroller.clone();
            let page = gloo::utils::document().scrolling_element();
            if scroller.is_some() && scroller != page {
                options.set_root(scroller.as_ref());
            }
            options.set_root_margin(NEAR);
            web_sys::IntersectionObserver::new_with_options(
                on_visibility.as_ref().unchecked_ref(),
                &options,
            )
            .ok()
        };
        if let Some(visibility) = &visibility {
            let groups = root.children();
            for i in 0..groups.length() {
                if let Some(group) = groups.item(i) {
                    visibility.observe(&group);
                }
            }
        }
        painter.borrow_mut().visibility = visibility;
        let on_mutations = {
            let painter = painter.clone();
            Closure::<dyn FnMut(js_sys::Array)>::new(move |records: js_sys::Array| {
                painter.borrow_mut().text_changed(&records);
            })
        };
        // Lines laid out for the first time, or given their estimated
        // heights, change the text's height: a match just revealed must
        // stay in view.
        let on_resize = {
            let painter = painter.clone();
            Closure::<dyn FnMut(js_sys::Array)>::new(move |_: js_sys::Array| {
                painter.borrow().keep_in_view();
            })
        };
        let resizes = web_sys::ResizeObserver::new(on_resize.as_ref().unchecked_ref()).ok();
        if let Some(resizes) = &resizes {
            resizes.observe(&root);
        }
        let observer = web_sys::MutationObserver::new(on_mutations.as_ref().unchecked_ref()).ok();
        if let Some(observer) = &observer {
            let options = web_sys::MutationObserverInit::new();
            options.set_child_list(true);
            options.set_character_data(true);
            options.set_subtree(true);
            let _ = observer.observe_with_options(&root, &options);
        }
        FindHighlights {
            painter,
            observer,
            _on_mutations: on_mutations,
            _on_visibility: on_visibility,
            resizes,
            _on_resize: on_resize,
        }
    }

    /// Paints these matches (code point ranges, in order), replacing any
    /// painted before; no match is current.
    pub fn set_matches(&self, matches: Rc<[(usize, usize)]>) {
        let mut painter = self.painter.borrow_mut();
        painter.matches = matches;
        painter.current = None;
        painter.reveal_pending = false;
        painter.repaint_all();
    }

    /// Marks match `current` (an index into the matches) as the current
    /// one; `reveal` scrolls it into view, now or as soon as it is rendered.
    pub fn set_current(&self, current: Option<usize>, reveal: bool) {
        let mut painter = self.painter.borrow_mut();
        painter.current = current;
        painter.reveal_pending = reveal && current.is_some();
        painter.paint_current();
    }
}

impl Drop for FindHighlights {
    fn drop(&mut self) {
        if let Some(observer) = &self.observer {
            observer.disconnect();
        }
        if let Some(resizes) = &self.resizes {
            resizes.disconnect();
        }
        let painter = self.painter.borrow();
        if let Some(visibility) = &painter.visibility {
            visibility.disconnect();
        }
        if let Some(paint) = &painter.paint {
            paint.registry.remove(ALL);
            paint.registry.remove(CURRENT);
        }
    }
}

/// The registered highlights, when the browser has the API.
struct Paint {
    registry: HighlightRegistry,
    all: Highlight,
    current: Highlight,
}

impl Paint {
    fn register() -> Option<Paint> {
        let css = js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("CSS")).ok()?;
        let registry = js_sys::Reflect::get(&css, &JsValue::from_str("highlights")).ok()?;
        if registry.is_undefined() || registry.is_null() {
            return None;
        }
        let registry: HighlightRegistry = registry.unchecked_into();
        let all = Highlight::new().ok()?;
        let current = Highlight::new().ok()?;
        // The current match paints over the others.
        current.set_priority(1);
        registry.set(ALL, &all);
        registry.set(CURRENT, &current);
        Some(Paint {
            registry,
            all,
            current,
        })
    }
}

struct Painter {
    root: Element,
    doc: Rc<Document>,
    matches: Rc<[(usize, usize)]>,
    paint: Option<Paint>,
    /// The ranges painted in each group, by the group's `data-start`.
    painted: HashMap<usize, Vec<JsValue>>,
    /// The groups near the visible part of the reader, by `data-start`:
    /// the ones painted.
    near: HashMap<usize, Element>,
    /// Says which groups come near and which leave; `None` without the API
    /// (then every group is painted).
    visibility: Option<web_sys::IntersectionObserver>,
    current: Option<usize>,
    /// The current match is to be scrolled into view once it is rendered.
    reveal_pending: bool,
    /// What scrolls the text.
    scroller: Option<Element>,
    /// Until when (`Date.now()`) the current match is kept in view.
    keep_in_view_until: f64,
}

impl Painter {
    fn repaint_all(&mut self) {
        if let Some(paint) = &self.paint {
            paint.all.clear();
            paint.current.clear();
        }
        self.painted.clear();
        let groups: Vec<Element> = if self.visibility.is_some() {
            self.near.values().cloned().collect()
        } else {
            let all = self.root.children();
            (0..all.length()).filter_map(|i| all.item(i)).collect()
        };
        for group in groups {
            if group.is_connected() {
                self.paint_group(&group);
            }
        }
    }

    /// Removes the ranges painted in the group starting at `start`.
    fn unpaint_group(&mut self, start: usize) {
        let ranges = self.painted.remove(&start).unwrap_or_default();
        if let Some(paint) = &self.paint {
            for range in &ranges {
                paint.all.remove(range);
            }
        }
    }

    /// Groups came near the visible part of the reader, or left it.
    fn visibility_changed(&mut self, entries: &js_sys::Array) {
        for entry in entries.iter() {
            let Ok(entry) = entry.dyn_into::<web_sys::IntersectionObserverEntry>() else {
                continue;
            };
            let group = entry.target();
            let Some(start) = data_offset(&group, "data-start") else {
                continue;
            };
            if entry.is_intersecting() && group.is_connected() {
                self.paint_group(&group);
                self.near.insert(start, group);
            } else if self
                .near
                .get(&start)
                .is_some_and(|g| g.is_same_node(Some(&group)))
            {
                self.near.remove(&start);
                self.unpaint_group(start);
            }
        }
    }

    /// Paints the matches inside one group, replacing what it had.
    fn paint_group(&mut self, group: &Element) {
        let Some(paint) = &self.paint else {
            return;
        };
        let (Some(start), Some(end)) = (
            data_offset(group, "data-start"),
            data_offset(group, "data-end"),
        ) else {
            return;
        };
        for range in self.painted.remove(&start).unwrap_or_default() {
            paint.all.remove(&range);
        }
        let from = self.matches.partition_point(|&(s, _)| s < start);
        let to = self.matches.partition_point(|&(s, _)| s < end);
        if from == to {
            return;
        }
        let mut cursor = GroupCursor::new(group, &self.doc);
        let mut ranges = Vec::with_capacity(to - from);
        for &(s, e) in &self.matches[from..to] {
            if let Some(range) = cursor.static_range(s, e) {
                paint.all.add(&range);
                ranges.push(range);
            }
        }
        self.painted.insert(start, ranges);
    }

    /// Paints the current match (and reveals it, if that is pending and
    /// it is rendered).
    fn paint_current(&mut self) {
        if let Some(paint) = &self.paint {
            paint.current.clear();
        }
        let Some(&(start, end)) = self.current.and_then(|i| self.matches.get(i)) else {
            self.reveal_pending = false;
            return;
        };
        let Some(group) = group_holding(&self.root, start) else {
            return;
        };
        let mut cursor = GroupCursor::new(&group, &self.doc);
        let Some(((sn, so), (en, eo))) = cursor.points(start, end) else {
            return;
        };
        if let Some(paint) = &self.paint {
            if let Ok(range) = static_range(&sn, so, &en, eo) {
                paint.current.add(&range);
            }
        }
        if self.reveal_pending {
            self.reveal_pending = false;
            if let Some(scroller) = &self.scroller {
                reveal(scroller, (&sn, so), (&en, eo));
                self.keep_in_view_until = js_sys::Date::now() + SETTLE_MS;
            }
        }
    }

    /// Centres the current match again, if it was revealed just now (the
    /// text's layout changed under it).
    fn keep_in_view(&self) {
        if js_sys::Date::now() > self.keep_in_view_until {
            return;
        }
        let (Some(scroller), Some(&(start, end))) = (
            &self.scroller,
            self.current.and_then(|i| self.matches.get(i)),
        ) else {
            return;
        };
        let Some(group) = group_holding(&self.root, start) else {
            return;
        };
        let mut cursor = GroupCursor::new(&group, &self.doc);
        if let Some(((sn, so), (en, eo))) = cursor.points(start, end) {
            if let Some(range) = dom_range((&sn, so), (&en, eo)) {
                centre(scroller, &range);
            }
        }
    }

    /// After the text's DOM changed: repaint the groups that changed or
    /// were added, forget the removed ones.
    fn text_changed(&mut self, records: &js_sys::Array) {
        let root: Node = self.root.clone().into();
        let root = &root;
        let mut changed: Vec<Element> = Vec::new();
        let mut added: Vec<Element> = Vec::new();
        for record in records.iter() {
            let Ok(record) = record.dyn_into::<web_sys::MutationRecord>() else {
                continue;
            };
            let Some(target) = record.target() else {
                continue;
            };
            if target.is_same_node(Some(root)) {
                let removed = record.removed_nodes();
                for i in 0..removed.length() {
                    let Some(group) = removed.item(i).and_then(|n| n.dyn_into::<Element>().ok())
                    else {
                        continue;
                    };
                    if let Some(visibility) = &self.visibility {
                        visibility.unobserve(&group);
                    }
                    if let Some(start) = data_offset(&group, "data-start") {
                        self.near.remove(&start);
                        self.unpaint_group(start);
                    }
                }
                let nodes = record.added_nodes();
                added.extend((0..nodes.length()).filter_map(|i| nodes.item(i)?.dyn_into().ok()));
            } else if let Some(group) = group_of(root, &target) {
                if !changed.iter().any(|g| g.is_same_node(Some(&group))) {
                    changed.push(group);
                }
            }
        }
        // New groups are painted when they come near (the observer says so
        // for each one it starts watching), or at once without it.
        for group in &added {
            match &self.visibility {
                Some(visibility) => visibility.observe(group),
                None if group.is_connected() => self.paint_group(group),
                None => {}
            }
        }
        for group in &changed {
            let near = self.visibility.is_none()
                || data_offset(group, "data-start")
                    .is_some_and(|start| self.near.contains_key(&start));
            if near && group.is_connected() {
                self.paint_group(group);
            }
        }
        if !changed.is_empty() || !added.is_empty() {
            self.paint_current();
        }
    }
}

/// The child of `root` (a group) that holds `node`.
fn group_of(root: &Node, node: &Node) -> Option<Element> {
    let mut at = node.clone();
    loop {
        let parent = at.parent_node()?;
        if parent.is_same_node(Some(root)) {
            return at.dyn_into().ok();
        }
        at = parent;
    }
}

/// The rendered group holding code point `cp`.
fn group_holding(root: &Element, cp: usize) -> Option<Element> {
    let mut groups = Children::new(root);
    let group = groups.seek(cp, Bound::Inclusive)?;
    let end = data_offset(&group, "data-end")?;
    (cp <= end).then_some(group)
}

fn static_range(
    start: &Node,
    start_offset: u32,
    end: &Node,
    end_offset: u32,
) -> Result<JsValue, JsValue> {
    let init = web_sys::StaticRangeInit::new(end, end_offset, start, start_offset);
    web_sys::StaticRange::new(&init).map(JsValue::from)
}

/// Finds DOM points for increasing code point positions inside one group.
///
/// The group's children are its lines, one element per line of the
/// document in order (the document view's invariant), so the line holding
/// a position is found in the document's own line list, without reading
/// the DOM; only lines split into several segments by spans are searched
/// by their segments' `data-start`/`data-end`. A group whose child count
/// does not fit is searched by attributes throughout.
struct GroupCursor<'d> {
    doc: &'d Document,
    lines: Children,
    /// Index (in `doc.blocks()`) of the group's first line, when the
    /// group's children are exactly its lines.
    first_block: Option<usize>,
    /// The current line (its index among the children) and a cursor over
    /// its segments.
    segments: Option<(u32, Children)>,
}

impl<'d> GroupCursor<'d> {
    fn new(group: &Element, doc: &'d Document) -> Self {
        let lines = Children::new(group);
        let blocks = doc.blocks();
        let first_block = match (
            data_offset(group, "data-start"),
            data_offset(group, "data-end"),
        ) {
            (Some(start), Some(end)) => {
                let first = blocks.partition_point(|b| b.start < start);
                let past = blocks.partition_point(|b| b.start <= end);
                (first < past && blocks[first].start == start && (past - first) as u32 == lines.len)
                    .then_some(first)
            }
            _ => None,
        };
        GroupCursor {
            doc,
            lines,
            first_block,
            segments: None,
        }
    }

    /// The line holding `cp` (the first line ending at or after it) and
    /// its index among the group's children.
    fn line(&mut self, cp: usize) -> Option<(Element, u32)> {
        match self.first_block {
            Some(first) => {
                let blocks = self.doc.blocks();
                let block = blocks.partition_point(|b| b.end < cp);
                let index = (block.max(first) - first).min(self.lines.len as usize - 1) as u32;
                self.lines.at = index;
                Some((self.lines.list.item(index)?, index))
            }
            None => {
                let line = self.lines.seek(cp, Bound::Inclusive)?;
                Some((line, self.lines.at))
            }
        }
    }

    /// The DOM point of `cp`: a text node and a UTF-16 offset, or an empty
    /// line and 0. Positions must not decrease between calls.
    fn point(&mut self, cp: usize, bound: Bound) -> Option<(Node, u32)> {
        let (line, index) = self.line(cp)?;
        if self.segments.as_ref().is_none_or(|(i, _)| *i != index) {
            self.segments = Some((index, Children::new(&line)));
        }
        let (_, segments) = self.segments.as_mut()?;
        let (segment, start, end) = match (segments.len, self.first_block) {
            (0, _) => return Some((line.into(), 0)),
            // One segment: the whole line, whose bounds the document knows.
            (1, Some(first)) => {
                let block = &self.doc.blocks()[first + index as usize];
                (segments.list.item(0)?, block.start, block.end)
            }
            _ => {
                let segment = segments.seek(cp, bound)?;
                let start = data_offset(&segment, "data-start")?;
                let end = data_offset(&segment, "data-end")?;
                (segment, start, end)
            }
        };
        let node = segment.first_child()?;
        let cp = cp.clamp(start, end);
        let utf16 = self.doc.utf16_of(cp) - self.doc.utf16_of(start);
        Some((node, utf16 as u32))
    }

    fn points(&mut self, start: usize, end: usize) -> Option<((Node, u32), (Node, u32))> {
        let from = self.point(start, Bound::Exclusive)?;
        let to = self.point(end, Bound::Inclusive)?;
        Some((from, to))
    }

    fn static_range(&mut self, start: usize, end: usize) -> Option<JsValue> {
        let ((sn, so), (en, eo)) = self.points(start, end)?;
        static_range(&sn, so, &en, eo).ok()
    }
}

/// Scrolls `scroller` so the range between two DOM points is in view:
/// centred, unless it is well inside already.
///
/// A group of lines far from the view is not laid out (`content-visibility:
/// auto`), so its geometry is not known until the browser scrolls to it:
/// the segment holding the range is scrolled into view first (which lays
/// it out), then the range itself is centred. (The lines around it, laid
/// out for the first time, may still move it: see `keep_in_view`.)
fn reveal(scroller: &Element, start: (&Node, u32), end: (&Node, u32)) {
    let Some(range) = dom_range(start, end) else {
        return;
    };
    let segment = match start.0.dyn_ref::<Element>() {
        Some(element) => Some(element.clone()),
        None => start.0.parent_element(),
    };
    let far = segment.as_ref().is_some_and(|segment| {
        let (rect, frame) = (
            segment.get_bounding_client_rect(),
            scroller.get_bounding_client_rect(),
        );
        rect.bottom() < frame.top() || rect.top() > frame.bottom() || rect.height() == 0.0
    });
    if let (true, Some(segment)) = (far, segment) {
        let options = web_sys::ScrollIntoViewOptions::new();
        options.set_block(web_sys::ScrollLogicalPosition::Center);
        segment.scroll_into_view_with_scroll_into_view_options(&options);
    }
    centre(scroller, &range);
}

fn dom_range(start: (&Node, u32), end: (&Node, u32)) -> Option<web_sys::Range> {
    let range = gloo::utils::document().create_range().ok()?;
    range.set_start(start.0, start.1).ok()?;
    range.set_end(end.0, end.1).ok()?;
    Some(range)
}

fn centre(scroller: &Element, range: &web_sys::Range) {
    let rect = range.get_bounding_client_rect();
    let frame = scroller.get_bounding_client_rect();
    // Well inside: below the top fifth (where the find bar sits) and
    // above the bottom tenth.
    let top = frame.top() + frame.height() * 0.2;
    let bottom = frame.bottom() - frame.height() * 0.1;
    if rect.top() >= top && rect.bottom() <= bottom {
        return;
    }
    let delta = (rect.top() + rect.height() / 2.0) - (frame.top() + frame.height() / 2.0);
    scroller.scroll_by_with_x_and_y(0.0, delta);
}

/// The nearest ancestor of `element` that scrolls vertically (else the
/// page's scrolling element).
fn scrolling_ancestor(element: &Element) -> Option<Element> {
    let window = web_sys::window()?;
    let mut at = element.parent_element();
    while let Some(candidate) = at {
        if candidate.scroll_height() > candidate.client_height() {
            let overflow = window
                .get_computed_style(&candidate)
                .ok()
                .flatten()
                .and_then(|style| style.get_property_value("overflow-y").ok())
                .unwrap_or_default();
            if overflow == "auto" || overflow == "scroll" {
                return Some(candidate);
            }
        }
        at = candidate.parent_element();
    }
    gloo::utils::document().scrolling_element()
}
