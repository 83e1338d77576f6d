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
use marginalia::store::{shared, Entry};
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
            annotations: Rc::new(shared(annotations)),
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

// ------------------------------------------------------------------------
// The keyboard: the App's key handling (`use_keyboard`) wired to a store and
// a document view, as the App wires them, driven by real keydown events.

use std::cell::RefCell;

use marginalia::components::keys::{use_keyboard, KeyboardInputs};
use marginalia::components::reducer::AppStore;
use marginalia::store::Action;
use marginalia::text::SnapMode;

#[derive(Properties, PartialEq)]
struct HarnessProps {
    text: &'static str,
    annotations: Vec<Annotation>,
}

/// A store holding one document, the keyboard hook and the view. A probe
/// element lists the spans (`id:start:end`) and the selected id.
#[component]
fn Harness(props: &HarnessProps) -> Html {
    let store = use_reducer(AppStore::default);
    let root = use_node_ref();
    let snap_mode = use_state_eq(SnapMode::default);
    let keyboard = use_keyboard(KeyboardInputs {
        store: store.clone(),
        root: root.clone(),
        snap_mode,
        on_open_note: Callback::noop(),
        on_app_command: Callback::noop(),
    });
    {
        let store = store.clone();
        let doc = Rc::new(Document::new("test.txt", props.text));
        let annotations = props.annotations.clone();
        use_effect_with((), move |_| {
            store.dispatch(Action::AddDocuments(vec![(doc, annotations)]));
        });
    }
    let Some(entry) = store.state.open_entry() else {
        return html! {};
    };
    let spans: Vec<String> = entry
        .annotations
        .iter()
        .map(|a| format!("{}:{}:{}", a.id, a.start, a.end))
        .collect();
    let select = {
        let store = store.clone();
        Callback::from(move |id| store.dispatch(Action::Select(id)))
    };
    html! {
        <div>
            <DocumentView entry={entry.clone()} labels={store.state.labels.clone()}
                selected={store.state.selected.clone()} on_select={select} root={root}
                caret={keyboard.caret} on_caret={keyboard.set_caret.clone()}
                snap_mode={SnapMode::Words} on_resize={keyboard.resize.clone()} />
            <output id="probe" data-spans={spans.join(" ")}
                data-selected={store.state.selected.clone().unwrap_or_default()} />
        </div>
    }
}

/// Mounts the harness; returns the host element.
async fn mount_keyboard(text: &'static str, annotations: Vec<Annotation>) -> Element {
    let document = gloo::utils::document();
    let host = document.create_element("div").unwrap();
    gloo::utils::body().append_child(&host).unwrap();
    yew::Renderer::<Harness>::with_root_and_props(host.clone(), HarnessProps { text, annotations })
        .render();
    yew::scheduler::flush().await;
    yew::scheduler::flush().await;
    let article: web_sys::HtmlElement = host
        .query_selector("article#document")
        .unwrap()
        .expect("article rendered")
        .dyn_into()
        .unwrap();
    article.focus().unwrap();
    host
}

thread_local! {
    /// Hosts of earlier tests, removed so that only one view is on the page.
    static HOSTS: RefCell<Vec<Element>> = const { RefCell::new(Vec::new()) };
}

async fn fresh(text: &'static str, annotations: Vec<Annotation>) -> Element {
    HOSTS.with(|h| {
        for old in h.borrow_mut().drain(..) {
            old.remove();
        }
    });
    for old in gloo::utils::document()
        .query_selector_all("article#document")
        .unwrap()
        .values()
    {
        if let Ok(old) = old.unwrap().dyn_into::<Element>() {
            if let Some(parent) = old.parent_element() {
                parent.remove();
            }
        }
    }
    let host = mount_keyboard(text, annotations).await;
    HOSTS.with(|h| h.borrow_mut().push(host.clone()));
    host
}

/// Presses `combo` ("Ctrl+Shift+ArrowRight") on the focused element.
async fn press(combo: &str) {
    let parts: Vec<&str> = combo.split('+').collect();
    let (mods, key) = parts.split_at(parts.len() - 1);
    let init = web_sys::KeyboardEventInit::new();
    init.set_key(key[0]);
    init.set_bubbles(true);
    init.set_cancelable(true);
    init.set_ctrl_key(mods.contains(&"Ctrl"));
    init.set_shift_key(mods.contains(&"Shift"));
    init.set_alt_key(mods.contains(&"Alt"));
    let event =
        web_sys::KeyboardEvent::new_with_keyboard_event_init_dict("keydown", &init).unwrap();
    let target = gloo::utils::document()
        .active_element()
        .unwrap_or_else(|| gloo::utils::body().into());
    target.dispatch_event(&event).unwrap();
    yew::scheduler::flush().await;
}

async fn presses(combos: &[&str]) {
    for combo in combos {
        press(combo).await;
    }
}

fn caret_at(host: &Element) -> usize {
    host.query_selector(".caret")
        .unwrap()
        .expect("caret")
        .get_attribute("data-pos")
        .unwrap()
        .parse()
        .unwrap()
}

fn page_selection() -> String {
    gloo::utils::window()
        .get_selection()
        .unwrap()
        .unwrap()
        .to_string()
        .into()
}

fn probe(host: &Element, what: &str) -> String {
    host.query_selector("#probe")
        .unwrap()
        .unwrap()
        .get_attribute(what)
        .unwrap_or_default()
}

/// The spans as (id, start, end).
fn probe_spans(host: &Element) -> Vec<(String, usize, usize)> {
    probe(host, "data-spans")
        .split(' ')
        .filter(|s| !s.is_empty())
        .map(|s| {
            let mut parts = s.split(':');
            let id = parts.next().unwrap().to_owned();
            let start = parts.next().unwrap().parse().unwrap();
            let end = parts.next().unwrap().parse().unwrap();
            (id, start, end)
        })
        .collect()
}

fn slice(text: &str, start: usize, end: usize) -> String {
    text.chars().skip(start).take(end - start).collect()
}

#[wasm_bindgen_test]
async fn the_caret_moves_by_clusters_words_sentences_and_lines() {
    let host = fresh(TEXT, Vec::new()).await;
    assert_eq!(caret_at(&host), 0);
    presses(&["ArrowRight", "ArrowRight", "ArrowRight"]).await;
    assert_eq!(caret_at(&host), 3);
    press("Ctrl+ArrowRight").await;
    assert_eq!(
        caret_at(&host),
        cp_of(TEXT, "said") + 4,
        "to the end of the word"
    );
    // Across the ZWJ family, the accented e and the flag: one press each.
    let family = cp_of(TEXT, "👩");
    presses(&["Ctrl+ArrowRight", "Ctrl+ArrowRight", "ArrowRight"]).await;
    assert_eq!(caret_at(&host), family, "after “to”, past the space");
    press("ArrowRight").await;
    assert_eq!(caret_at(&host), family + 5, "the whole family is one step");
    let accent = cp_of(TEXT, "e\u{301}");
    presses(&["Ctrl+ArrowRight", "ArrowRight", "ArrowRight"]).await;
    assert_eq!(caret_at(&host), accent + 2, "e and its accent are one step");
    press("ArrowLeft").await;
    assert_eq!(caret_at(&host), accent);
    press("Ctrl+ArrowLeft").await;
    assert_eq!(caret_at(&host), cp_of(TEXT, "and e"));
    press("Alt+ArrowRight").await;
    assert_eq!(
        caret_at(&host),
        cp_of(TEXT, "\nSecond"),
        "the end of the sentence"
    );
    press("Ctrl+ArrowDown").await;
    assert_eq!(
        caret_at(&host),
        TEXT.chars().count(),
        "the end of the next paragraph"
    );
    press("Home").await;
    assert_eq!(caret_at(&host), cp_of(TEXT, "Second"));
    press("Ctrl+Home").await;
    assert_eq!(caret_at(&host), 0);
    press("End").await;
    assert_eq!(caret_at(&host), cp_of(TEXT, "\nSecond"));
}

#[wasm_bindgen_test]
async fn shift_extends_the_selection_and_the_page_shows_it() {
    let host = fresh(TEXT, Vec::new()).await;
    presses(&["Ctrl+Shift+ArrowRight", "Ctrl+Shift+ArrowRight"]).await;
    assert_eq!(page_selection(), "Tom said");
    presses(&["Shift+ArrowRight", "Shift+ArrowRight"]).await;
    assert_eq!(page_selection(), "Tom said \u{201c}");
    // The preview shows what a label key would tag: the quotation mark is
    // unpaired, so it goes with the space.
    let preview = host.query_selector(".snap-preview").unwrap().unwrap();
    assert_eq!(preview.get_attribute("hidden"), None);
    assert_eq!(preview.get_attribute("data-snap-end").unwrap(), "8");
    press("1").await;
    let spans = probe_spans(&host);
    assert_eq!(spans.len(), 1);
    assert_eq!(slice(TEXT, spans[0].1, spans[0].2), "Tom said");
    // A plain arrow collapses a selection instead of moving.
    press("Escape").await;
    presses(&["Ctrl+Home", "Shift+End", "ArrowLeft"]).await;
    assert_eq!(caret_at(&host), 0);
    assert_eq!(page_selection(), "");
}

#[wasm_bindgen_test]
async fn a_label_key_tags_the_snapped_range_never_half_an_emoji_or_accent() {
    let host = fresh(TEXT, Vec::new()).await;
    let root = host.query_selector("article#document").unwrap().unwrap();
    // Half of the family (a DOM selection inside the cluster).
    let family = cp_of(TEXT, "👩");
    select(&root, TEXT, family + 2, family + 3);
    press("2").await;
    let spans = probe_spans(&host);
    assert_eq!(slice(TEXT, spans[0].1, spans[0].2), "👩‍👩‍👧");
    press("Escape").await;
    // The bare e of an accented word: the whole word.
    let accent = cp_of(TEXT, "e\u{301}");
    select(&root, TEXT, accent, accent + 1);
    press("3").await;
    let words: Vec<String> = probe_spans(&host)
        .iter()
        .map(|s| slice(TEXT, s.1, s.2))
        .collect();
    assert!(words.contains(&"e\u{301}te".to_owned()), "{words:?}");
    press("Escape").await;
    // The thumb without its skin tone, with a trailing space and full stop.
    let thumb = cp_of(TEXT, "👍");
    select(&root, TEXT, thumb, thumb + 1);
    press("1").await;
    let words: Vec<String> = probe_spans(&host)
        .iter()
        .map(|s| slice(TEXT, s.1, s.2))
        .collect();
    assert!(words.contains(&"👍🏽".to_owned()), "{words:?}");
}

fn fixture_for_tabs() -> Vec<Annotation> {
    // q: “hi”; outer: family … flag; inner: inside outer; last: "done".
    let mut spans = spans_fixture();
    let done = cp_of(TEXT, "done");
    spans.push(annotation("last", "claim", done, done + 4));
    spans
}

#[wasm_bindgen_test]
async fn tab_and_shift_tab_go_through_the_spans_in_text_order() {
    let host = fresh(TEXT, fixture_for_tabs()).await;
    let mut order = Vec::new();
    for _ in 0..4 {
        press("Tab").await;
        order.push(probe(&host, "data-selected"));
    }
    assert_eq!(order, ["q", "outer", "inner", "last"]);
    let marks = host.query_selector_all("mark.seg.selected").unwrap();
    assert!(
        marks.length() > 0,
        "the selected span is painted as selected"
    );
    press("Shift+Tab").await;
    assert_eq!(probe(&host, "data-selected"), "inner");
    // Escape leaves the span; the caret stays at its start.
    press("Escape").await;
    assert_eq!(probe(&host, "data-selected"), "");
    assert_eq!(caret_at(&host), cp_of(TEXT, "👩") + 5);
    // `c` cycles through the spans under the caret: inner, then outer.
    press("c").await;
    assert_eq!(probe(&host, "data-selected"), "inner");
    press("c").await;
    assert_eq!(probe(&host, "data-selected"), "outer");
    press("c").await;
    assert_eq!(probe(&host, "data-selected"), "inner");
}

#[wasm_bindgen_test]
async fn resize_keys_move_a_selected_span_edges_by_words_and_clusters() {
    let and = cp_of(TEXT, "and e");
    let host = fresh(TEXT, vec![annotation("s", "claim", and, and + 3)]).await;
    press("Tab").await;
    assert_eq!(probe(&host, "data-selected"), "s");
    let text_of = |host: &Element| {
        let s = &probe_spans(host)[0];
        slice(TEXT, s.1, s.2)
    };
    press("ArrowRight").await;
    assert_eq!(text_of(&host), "and e\u{301}te", "end grows a word");
    press("ArrowRight").await;
    assert_eq!(
        text_of(&host),
        "and e\u{301}te 🇺🇦 ok",
        "the flag is no word: to the next one"
    );
    press("Shift+ArrowLeft").await;
    assert_eq!(
        text_of(&host),
        "and e\u{301}te 🇺🇦 o",
        "end shrinks one character"
    );
    presses(&["Shift+ArrowLeft", "Shift+ArrowLeft"]).await;
    assert_eq!(
        text_of(&host),
        "and e\u{301}te",
        "the flag goes whole; the space is trimmed"
    );
    press("Alt+ArrowLeft").await;
    assert_eq!(
        text_of(&host),
        "to 👩‍👩‍👧 and e\u{301}te",
        "start grows a word; the family is no word"
    );
    press("Alt+Shift+ArrowRight").await;
    assert_eq!(
        text_of(&host),
        "o 👩‍👩‍👧 and e\u{301}te",
        "start shrinks one character"
    );
}

/// Resolves after the next animation frame.
async fn next_frame() {
    let promise = js_sys::Promise::new(&mut |resolve, _| {
        let _ = web_sys::window()
            .expect("a window")
            .request_animation_frame(&resolve);
    });
    let _ = wasm_bindgen_futures::JsFuture::from(promise).await;
}

#[wasm_bindgen_test]
async fn work_after_paint_runs_once_after_the_frame_in_order_and_later_work_waits() {
    use marginalia::dom::schedule::after_next_paint;
    use std::cell::RefCell;
    let log = Rc::new(RefCell::new(Vec::<&str>::new()));
    for name in ["save annotations", "save corpus"] {
        let log = log.clone();
        after_next_paint(move || log.borrow_mut().push(name));
    }
    assert!(log.borrow().is_empty(), "nothing runs before the frame");
    next_frame().await;
    // Queued after this frame's callbacks ran: it waits for the next frame.
    {
        let log = log.clone();
        after_next_paint(move || log.borrow_mut().push("later"));
    }
    gloo::timers::future::TimeoutFuture::new(0).await;
    assert_eq!(*log.borrow(), ["save annotations", "save corpus"]);
    next_frame().await;
    gloo::timers::future::TimeoutFuture::new(0).await;
    assert_eq!(*log.borrow(), ["save annotations", "save corpus", "later"]);
    // The fallback timer of the first two finds them taken: nothing runs twice.
    gloo::timers::future::TimeoutFuture::new(300).await;
    assert_eq!(log.borrow().len(), 3);
}

#[derive(Properties, PartialEq)]
struct DeferredProps {
    value: u32,
}

#[component]
fn Deferred(props: &DeferredProps) -> Html {
    let shown = marginalia::components::deferred::use_deferred(props.value);
    html! { <output id="deferred">{ shown }</output> }
}

#[wasm_bindgen_test]
async fn a_deferred_value_shows_at_once_first_and_changes_after_the_next_paint() {
    let host = gloo::utils::document().create_element("div").unwrap();
    gloo::utils::body().append_child(&host).unwrap();
    let shown = || {
        host.query_selector("#deferred")
            .unwrap()
            .unwrap()
            .text_content()
            .unwrap()
    };
    let mut renderer =
        yew::Renderer::<Deferred>::with_root_and_props(host.clone(), DeferredProps { value: 1 })
            .render();
    yew::scheduler::flush().await;
    assert_eq!(shown(), "1", "the first value shows at once");
    renderer.update(DeferredProps { value: 2 });
    yew::scheduler::flush().await;
    assert_eq!(shown(), "1", "a new value waits for the frame");
    // Changed again before that frame: the newest value is the one shown.
    renderer.update(DeferredProps { value: 3 });
    yew::scheduler::flush().await;
    next_frame().await;
    gloo::timers::future::TimeoutFuture::new(0).await;
    yew::scheduler::flush().await;
    assert_eq!(shown(), "3");
    renderer.destroy();
    host.remove();
}
