//! Browser tests (wasm-bindgen-test in headless Chromium): the document view
//! as mounted in a real DOM, and mapping DOM selections to code point offsets
//! across segment and line boundaries and after non-BMP characters.
//!
//! Ranges are built independently of the app's own inverse mapping: by
//! walking the view's text nodes and counting UTF-16 units as JavaScript does.
#![cfg(target_arch = "wasm32")]

use std::rc::Rc;

use marginalia::components::{DocumentView, DocumentViewProps};
use marginalia::dom::selection::{range_offsets, selected_range};
use marginalia::model::{default_labels, Annotation, Document};
use marginalia::store::Entry;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::*;
use web_sys::{Element, Node};
use yew::prelude::*;

wasm_bindgen_test_configure!(run_in_browser);

/// Curly quotes, NBSP, a ZWJ family, a combining accent, a flag, and a
/// second line.
const TEXT: &str =
    "Tom said \u{201c}hi\u{201d}\u{a0}to 👩‍👩‍👧 and e\u{301}te 🇺🇦 ok.\nSecond line: 👍🏽 done.";

fn annotation(id: &str, label: &str, start: usize, end: usize) -> Annotation {
    Annotation {
        id: id.into(),
        label: label.into(),
        start,
        end,
        created_at: "2026-11-21T10:00:00.000Z".into(),
        note: None,
    }
}

fn cp_of(text: &str, needle: &str) -> usize {
    let byte = text.find(needle).expect("needle in text");
    text[..byte].chars().count()
}

/// Mounts a document view in a fresh element and returns the article.
async fn mount(text: &str, annotations: Vec<Annotation>) -> Element {
    let document = gloo::utils::document();
    let host = document.create_element("div").unwrap();
    gloo::utils::body().append_child(&host).unwrap();
    let props = DocumentViewProps {
        entry: Entry {
            doc: Rc::new(Document::new("test.txt", text)),
            annotations: Rc::new(annotations),
            status: Default::default(),
        },
        labels: Rc::new(default_labels()),
        selected: None,
        on_select: Callback::noop(),
        root: NodeRef::default(),
        caret: Default::default(),
        on_caret: Callback::noop(),
        snap_mode: Default::default(),
        on_resize: Callback::noop(),
    };
    yew::Renderer::<DocumentView>::with_root_and_props(host.clone(), props).render();
    yew::scheduler::flush().await;
    host.query_selector("article#document")
        .unwrap()
        .expect("article rendered")
}

/// The text nodes under `root`, in document order.
fn text_nodes(root: &Element) -> Vec<Node> {
    let mut out = Vec::new();
    let mut stack = vec![root.clone().unchecked_into::<Node>()];
    while let Some(node) = stack.pop() {
        if node.node_type() == Node::TEXT_NODE {
            out.push(node);
            continue;
        }
        let children = node.child_nodes();
        for i in (0..children.length()).rev() {
            stack.push(children.item(i).unwrap());
        }
    }
    out
}

/// The DOM position of code point `cp` of `text`: lines are separate
/// blocks, so the UTF-16 count restarts per line's text nodes; we find the
/// node by the code point offsets the view writes on each segment.
fn dom_position(root: &Element, text: &str, cp: usize) -> (Node, u32) {
    for node in text_nodes(root) {
        let segment = node.parent_element().unwrap();
        let start: usize = segment
            .get_attribute("data-start")
            .unwrap()
            .parse()
            .unwrap();
        let end: usize = segment.get_attribute("data-end").unwrap().parse().unwrap();
        if cp >= start && cp <= end {
            // JS string length of the prefix, computed by JavaScript itself.
            let node_text = js_sys::JsString::from(node.text_content().unwrap());
            let prefix: String = text.chars().skip(start).take(cp - start).collect();
            let utf16 = js_sys::JsString::from(prefix.as_str()).length();
            assert!(utf16 <= node_text.length());
            return (node, utf16);
        }
    }
    panic!("no text node holds code point {cp}");
}

fn select(root: &Element, text: &str, start: usize, end: usize) {
    let document = gloo::utils::document();
    let range = document.create_range().unwrap();
    let (a, a_off) = dom_position(root, text, start);
    let (b, b_off) = dom_position(root, text, end);
    range.set_start(&a, a_off).unwrap();
    range.set_end(&b, b_off).unwrap();
    let selection = gloo::utils::window().get_selection().unwrap().unwrap();
    selection.remove_all_ranges().unwrap();
    selection.add_range(&range).unwrap();
}

fn spans_fixture() -> Vec<Annotation> {
    let hi = cp_of(TEXT, "\u{201c}hi");
    let family = cp_of(TEXT, "👩");
    let flag = cp_of(TEXT, "🇺🇦");
    vec![
        annotation("q", "quote", hi, hi + 4),
        annotation("outer", "claim", family, flag + 2),
        annotation("inner", "deadline", family + 5, family + 10),
    ]
}

#[wasm_bindgen_test]
async fn selections_map_to_code_points_across_segments_and_astral_characters() {
    let root = mount(TEXT, spans_fixture()).await;
    let len = TEXT.chars().count();
    // Every pair of code point positions: DOM positions never split a
    // surrogate pair, so each one is reachable. The line break is not in the
    // DOM, but both of its sides are (end of one line, start of the next).
    let mut checked = 0;
    for start in 0..=len {
        for end in start + 1..=len {
            select(&root, TEXT, start, end);
            let got = selected_range(&root).expect("a selection inside the view");
            assert_eq!(got, (start, end), "selection {start}..{end}");
            checked += 1;
        }
    }
    assert!(checked > 1000, "checked {checked} ranges");
}

#[wasm_bindgen_test]
async fn element_positions_and_outside_points_are_clamped_to_the_view() {
    let root = mount(TEXT, spans_fixture()).await;
    let document = gloo::utils::document();
    let blocks = root.query_selector_all(".block").unwrap();
    let second: Element = blocks.item(1).unwrap().dyn_into().unwrap();
    let range = document.create_range().unwrap();
    range.set_start(&second, 0).unwrap();
    range
        .set_end(&second, second.child_nodes().length())
        .unwrap();
    let line2 = cp_of(TEXT, "Second");
    assert_eq!(
        range_offsets(&root, &range),
        Some((line2, TEXT.chars().count()))
    );

    // A range from before the view into its first word starts at 0.
    let before = document.create_element("p").unwrap();
    before.set_text_content(Some("outside"));
    root.parent_node()
        .unwrap()
        .insert_before(&before, Some(&root))
        .unwrap();
    let (node, offset) = dom_position(&root, TEXT, 3);
    range.set_start(&before.first_child().unwrap(), 2).unwrap();
    range.set_end(&node, offset).unwrap();
    assert_eq!(range_offsets(&root, &range), Some((0, 3)));

    // A range wholly outside the view maps to nothing.
    range.set_start(&before.first_child().unwrap(), 0).unwrap();
    range.set_end(&before.first_child().unwrap(), 4).unwrap();
    assert_eq!(range_offsets(&root, &range), None);
}

#[wasm_bindgen_test]
async fn segments_carry_every_covering_span_and_exact_text() {
    let spans = spans_fixture();
    let root = mount(TEXT, spans.clone()).await;
    for a in &spans {
        let marks = root
            .query_selector_all(&format!("mark.seg[data-spans~=\"{}\"]", a.id))
            .unwrap();
        assert!(marks.length() > 0, "span {} painted", a.id);
        let painted: String = (0..marks.length())
            .map(|i| marks.item(i).unwrap().text_content().unwrap())
            .collect();
        let expected: String = TEXT.chars().skip(a.start).take(a.end - a.start).collect();
        assert_eq!(painted, expected, "text of span {}", a.id);
        let badge = root
            .query_selector(&format!("mark.seg.starts[data-start=\"{}\"]", a.start))
            .unwrap()
            .expect("badge where the span starts");
        assert!(badge
            .get_attribute("data-badge")
            .unwrap()
            .contains(&a.label));
    }
    // The nested span's segments list the inner span first.
    let nested = root
        .query_selector("mark.seg[data-spans~=\"inner\"]")
        .unwrap()
        .unwrap();
    assert_eq!(nested.get_attribute("data-spans").unwrap(), "inner outer");
    // The whole text, line by line, is the document's text.
    let lines: Vec<String> = (0..root.query_selector_all(".block").unwrap().length())
        .map(|i| {
            root.query_selector_all(".block")
                .unwrap()
                .item(i)
                .unwrap()
                .text_content()
                .unwrap()
        })
        .collect();
    assert_eq!(lines.join("\n"), TEXT);
}

#[wasm_bindgen_test]
async fn markup_in_the_text_is_shown_as_text() {
    let text = "<script>alert(1)</script> and <img src=x onerror=alert(1)> & <b>bold</b>";
    let root = mount(text, vec![annotation("a", "claim", 0, 25)]).await;
    assert_eq!(root.text_content().unwrap(), text);
    for tag in ["script", "img", "b"] {
        assert!(
            root.query_selector(tag).unwrap().is_none(),
            "no <{tag}> element"
        );
    }
}

#[wasm_bindgen_test]
async fn collapsed_or_foreign_selections_give_no_range() {
    let root = mount(TEXT, Vec::new()).await;
    select(&root, TEXT, 4, 4);
    assert_eq!(selected_range(&root), None);
}
