// Opening a ~1 MB document with 10,000 spans (the foundation's goal), in a
// fresh browser context per run:
//   painted  time from navigation start until the text and its spans are on
//            screen (article#document[data-span-count="10000"] with marks,
//            then two animation frames and a task); the app renders long
//            documents progressively, so this is the first screenful;
//   complete the same until every line is in the DOM and painted
//            (article#document[data-rendered="complete"]);
//   default  the everyday page (the five bundled articles, no ?load=): time
//            until the open article is wholly painted;
//   keypress time from the keydown of "1" (over a DOM selection) until the
//            new span's mark is in the DOM and a frame has been produced.

import { openPage } from "../harness.mjs";
import { ID_PREFIX } from "./fixture.mjs";
import { round, summary } from "./stats.mjs";

const KEY_PRESSES = 5;
export const OPEN_TARGETS = { painted_ms: 1000, keypress_ms: 50 };

/**
 * Installed before the app runs. Records when the document's text and spans
 * are first painted (the first screenful: the app renders long documents
 * progressively) in `__painted`, and when every line is in the DOM and
 * painted (`data-rendered="complete"`) in `__complete`.
 */
const WATCH_PAINT = (spanCount) => {
  const afterPaint = (set) =>
    requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(() => set(performance.now()), 0)));
  const shown = () =>
    document.querySelector(`article#document[data-span-count="${spanCount}"]`) &&
    document.querySelector("article#document mark.seg");
  const complete = () => document.querySelector('article#document[data-span-count][data-rendered="complete"]');
  let seenShown = false;
  const observer = new MutationObserver(() => {
    if (!seenShown && shown()) {
      seenShown = true;
      window.__spansInDom = performance.now();
      afterPaint((t) => (window.__painted = t));
    }
    if (seenShown && complete()) {
      observer.disconnect();
      window.__completeInDom = performance.now();
      afterPaint((t) => (window.__complete = t));
    }
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
};

/** Installed before the app runs: when the open article is wholly painted. */
const WATCH_DEFAULT_PAINT = () => {
  const observer = new MutationObserver(() => {
    if (!document.querySelector('article#document[data-rendered="complete"] .seg')) return;
    observer.disconnect();
    requestAnimationFrame(() =>
      requestAnimationFrame(() => setTimeout(() => (window.__complete = performance.now()), 0)),
    );
  });
  observer.observe(document, { subtree: true, childList: true, attributes: true });
};

/** Selects a few words of the `index`-th visible uncovered segment; returns its text. */
const SELECT_VISIBLE_WORDS = (index) => {
  const root = document.querySelector("article#document");
  const candidates = [...root.querySelectorAll("span.seg")].filter((seg) => {
    const r = seg.getBoundingClientRect();
    return r.bottom > 0 && r.top < innerHeight - 40 && /(\S+\s+){5}\S/.test(seg.textContent);
  });
  const seg = candidates[index % candidates.length];
  if (!seg) throw new Error("no visible uncovered text");
  const node = seg.firstChild;
  const words = [...node.data.matchAll(/\S+/g)];
  const first = words[1];
  const last = words[Math.min(words.length - 1, 3)];
  const range = document.createRange();
  range.setStart(node, first.index);
  range.setEnd(node, last.index + last[0].length);
  getSelection().removeAllRanges();
  getSelection().addRange(range);
  return getSelection().toString();
};

/** Arms the keydown clock and the watch for a mark with an id not seen before. */
const ARM_KEYPRESS = ([prefix, known]) => {
  const root = document.querySelector("article#document");
  const knownIds = new Set(known);
  const result = { start: null, end: null, id: null };
  window.__keypress = result;
  const onKey = (e) => {
    if (e.key === "1" && result.start === null) result.start = performance.now();
  };
  window.addEventListener("keydown", onKey, { capture: true });
  const isNew = (id) => !id.startsWith(prefix) && !knownIds.has(id);
  const newIdIn = (el) => {
    if (!(el instanceof Element)) return null;
    const marks = el.matches("mark.seg[data-spans]") ? [el] : [...el.querySelectorAll("mark.seg[data-spans]")];
    for (const m of marks) for (const id of m.dataset.spans.split(" ")) if (isNew(id)) return id;
    return null;
  };
  const observer = new MutationObserver((records) => {
    for (const r of records) {
      const found = r.type === "attributes" ? newIdIn(r.target) : [...r.addedNodes].map(newIdIn).find(Boolean);
      if (!found) continue;
      observer.disconnect();
      window.removeEventListener("keydown", onKey, { capture: true });
      result.id = found;
      requestAnimationFrame(() =>
        setTimeout(() => {
          result.end = performance.now();
        }, 0),
      );
      return;
    }
  });
  observer.observe(root, { subtree: true, childList: true, attributes: true, attributeFilter: ["data-spans"] });
};

/**
 * Runs the open benchmark `runs` times against `fileUrl` (a native file with
 * `spans` spans); `problems` collects what went wrong in the pages.
 */
export async function benchOpen(browser, serverUrl, { fileUrl, spans, runs, problems }) {
  const painted = [];
  const defaultPainted = [];
  const complete = [];
  const spansInDom = [];
  const fetched = [];
  const wasmLoaded = [];
  const keypress = [];
  const appMarks = {};
  const fileName = fileUrl.slice(fileUrl.lastIndexOf("/"));
  for (let run = 0; run < runs; run++) {
    const { context, page } = await openPage(browser, serverUrl, { initScripts: [[WATCH_PAINT, spans]] });
    try {
      context.setDefaultTimeout(120_000);
      await page.goto(`${serverUrl}/?load=${encodeURIComponent(fileUrl)}`);
      await page.waitForFunction(() => window.__complete !== undefined, null, { timeout: 120_000 });
      const t = await page.evaluate((fileName) => ({
        painted: window.__painted,
        complete: window.__complete,
        inDom: window.__spansInDom,
        fetched: performance.getEntriesByType("resource").find((e) => e.name.endsWith(fileName))?.responseEnd,
        wasm: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.responseEnd,
        // The app's own User Timing marks (src/dom/timing.rs).
        marks: Object.fromEntries(
          performance
            .getEntriesByType("mark")
            .filter((m) => m.name.startsWith("marginalia:"))
            .map((m) => [m.name.slice("marginalia:".length), m.startTime]),
        ),
      }), fileName);
      for (const [name, at] of Object.entries(t.marks)) (appMarks[name] ??= []).push(at);
      painted.push(t.painted);
      complete.push(t.complete);
      spansInDom.push(t.inDom);
      if (t.fetched !== undefined) fetched.push(t.fetched);
      if (t.wasm !== undefined) wasmLoaded.push(t.wasm);
      const created = [];
      for (let k = 0; k < KEY_PRESSES; k++) {
        const selected = await page.evaluate(SELECT_VISIBLE_WORDS, k * 2);
        await page.evaluate(ARM_KEYPRESS, [ID_PREFIX, created]);
        await page.keyboard.press("1");
        await page.waitForFunction(() => window.__keypress.end !== null, null, { timeout: 30_000 });
        const r = await page.evaluate(() => window.__keypress);
        if (r.start === null) throw new Error("the keydown was not seen");
        const shown = await page.evaluate((id) => window.__e2e.textOf(id), r.id);
        if (shown !== selected) throw new Error(`new span shows ${JSON.stringify(shown)}, selected ${JSON.stringify(selected)}`);
        created.push(r.id);
        keypress.push(r.end - r.start);
      }
      const count = await page.getAttribute("article#document", "data-span-count");
      if (count !== String(spans + KEY_PRESSES)) throw new Error(`span count ${count} after the key presses`);
      problems.take(page);
      console.error(
        `open run ${run + 1}/${runs}: painted ${t.painted.toFixed(0)} ms, complete ${t.complete.toFixed(0)} ms, ` +
          `key presses ${keypress.slice(-KEY_PRESSES).map((v) => v.toFixed(1)).join(" ")} ms`,
      );
    } finally {
      await context.close();
    }
  }
  // The everyday case: the page as it opens, with the five bundled articles.
  for (let run = 0; run < runs; run++) {
    const { context, page } = await openPage(browser, serverUrl, { initScripts: [WATCH_DEFAULT_PAINT] });
    try {
      await page.goto(`${serverUrl}/`);
      await page.waitForFunction(() => window.__complete !== undefined, null, { timeout: 60_000 });
      defaultPainted.push(await page.evaluate(() => window.__complete));
      problems.take(page);
    } finally {
      await context.close();
    }
  }
  return {
    painted_ms: summary(painted),
    complete_ms: summary(complete),
    default_page_painted_ms: summary(defaultPainted),
    spans_in_dom_ms: summary(spansInDom),
    wasm_loaded_ms: summary(wasmLoaded),
    file_fetched_ms: summary(fetched),
    keypress_ms: summary(keypress),
    app_marks_ms: Object.fromEntries(Object.entries(appMarks).map(([k, v]) => [k, summary(v)])),
    samples: {
      painted_ms: painted.map(round),
      complete_ms: complete.map(round),
      default_page_painted_ms: defaultPainted.map(round),
      spans_in_dom_ms: spansInDom.map(round),
      wasm_loaded_ms: wasmLoaded.map(round),
      file_fetched_ms: fetched.map(round),
      keypress_ms: keypress.map(round),
    },
  };
}
