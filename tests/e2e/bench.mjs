// Benchmark: one ~1 MB document with 10,000 spans, in the system Chromium.
//
//   node tests/e2e/bench.mjs            (BENCH_RUNS=7 by default)
//
// Measures, in a fresh browser context per run:
//   painted  time from navigation start until the text and its spans are on
//            screen (article#document[data-span-count="10000"] with marks,
//            then two animation frames and a task); the app renders long
//            documents progressively, so this is the first screenful;
//   complete the same until every line is in the DOM and painted
//            (article#document[data-rendered="complete"]);
//   default  the everyday page (the five bundled articles, no ?load=): time
//            until the open article is wholly painted;
//   keypress time from the keydown of "1" (over a DOM selection) until the
//            new span's mark is in the DOM and a frame has been produced;
// and the size of the release .wasm (raw and gzip -9). Prints a table and
// writes target/bench.json. Targets: painted < 1000 ms, keypress < 50 ms.

import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { gzipSync } from "node:zlib";

import { DIST, REPO, checkDist, launchBrowser, nativeFile, openPage } from "./harness.mjs";
import { startServer } from "./server.mjs";

const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const SPANS = 10_000;
const TARGET_CHARS = 1_000_000;
const KEY_PRESSES = 5;
const TARGETS = { painted_ms: 1000, keypress_ms: 50 };
const ID_PREFIX = "bench-";

// ---------------------------------------------------------------------------
// Deterministic data

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the of and to in a is that for on was with he it as at by this had not are but from or have an they which " +
  "one you were her all she there would their we him been has when who will more no if out so said what up its " +
  "about into than them can only other new some could time these two may then do first any my now such like our " +
  "over man me even most made after also did many before must through back years where much your way well down " +
  "should because each just those people how too little state good very make world still own see men work long " +
  "get here between both life being under never day same another know while last might us great old year off " +
  "come since against go came right used take three minister government president council committee report " +
  "ceasefire sanctions agreement talks officials meeting proposal economy market inflation election court " +
  "ruling deadline envoy summit statement spokesman analysts pressure support security region border trade " +
  "tariffs investment cooperation diplomatic historic decision parliament budget reform protest negotiations"
).split(" ");
const NAMES = ["Kremlin", "Washington", "Brussels", "Ushakov", "Witkoff", "Dmitriev", "Kyiv", "Beijing", "Reuters"];
const EMOJI = ["🙂", "👩‍👩‍👧", "🇺🇦", "📈", "🎉"];

/** English-like paragraphs joined by "\n\n", about `target` code points long. */
function generateText(random, target) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const paragraphs = [];
  let total = 0;
  while (total < target) {
    const length = 400 + Math.floor(random() * 400);
    let paragraph = "";
    let have = 0;
    while (have < length) {
      const words = [];
      const n = 6 + Math.floor(random() * 13);
      for (let i = 0; i < n; i++) {
        const r = random();
        let w = r < 0.06 ? pick(NAMES) : pick(WORDS);
        if (r >= 0.06 && r < 0.08) w = `${pick(NAMES)}’s`;
        words.push(w);
      }
      words[0] = words[0][0].toUpperCase() + words[0].slice(1);
      if (random() < 0.15) {
        // A quoted stretch with curly quotes.
        const from = Math.floor(random() * (n - 2));
        const to = Math.min(n - 1, from + 1 + Math.floor(random() * 4));
        words[from] = `“${words[from]}`;
        words[to] = `${words[to]}”`;
      }
      let sentence = words.join(" ");
      if (random() < 0.05) sentence = sentence.replace(" ", ` ${1 + Math.floor(random() * 28)}\u00a0`); // NBSP
      if (random() < 0.02) sentence += ` ${pick(EMOJI)}`;
      sentence += random() < 0.1 ? "?" : ".";
      const size = [...sentence].length + (paragraph ? 1 : 0);
      if (have >= 400 && have + size > 800) break;
      paragraph += (paragraph ? " " : "") + sentence;
      have += size;
    }
    paragraphs.push(paragraph);
    total += [...paragraph].length + 2;
  }
  return paragraphs.join("\n\n");
}

/** The benchmark's native file: one document, `SPANS` spans, ~10% overlapping or nested. */
export function generateFixture(seed = 20251121) {
  const random = prng(seed);
  const text = generateText(random, TARGET_CHARS);
  // Code point offset of every UTF-16 position.
  const cpAt = new Int32Array(text.length + 1);
  for (let i = 0, cp = 0; i <= text.length; i++) {
    cpAt[i] = cp;
    const unit = text.charCodeAt(i);
    if (!(unit >= 0xd800 && unit <= 0xdbff)) cp++;
  }
  // Words (runs of non-whitespace; \s includes NBSP), with their paragraph.
  const words = [];
  let paragraph = 0;
  let lastEnd = 0;
  for (const m of text.matchAll(/\S+/g)) {
    if (text.slice(lastEnd, m.index).includes("\n")) paragraph++;
    words.push({ u16s: m.index, u16e: m.index + m[0].length, paragraph });
    lastEnd = m.index + m[0].length;
  }
  const labels = ["claim", "quote", "deadline"];
  const label = () => labels[Math.floor(random() * labels.length)];
  const ranges = new Set();
  const spans = [];
  const add = (firstWord, lastWord, kind) => {
    const a = words[firstWord];
    const b = words[lastWord];
    if (a.paragraph !== b.paragraph) return false;
    const key = `${a.u16s}:${b.u16e}`;
    if (ranges.has(key)) return false;
    ranges.add(key);
    spans.push({ firstWord, lastWord, u16s: a.u16s, u16e: b.u16e, kind });
    return true;
  };
  // 90%: one span in each of that many equal runs of words, so they do not overlap.
  const baseCount = Math.round(SPANS * 0.9);
  const chunk = Math.floor(words.length / baseCount);
  if (chunk < 8) throw new Error("text too short for the spans");
  for (let c = 0; c < baseCount; c++) {
    for (;;) {
      const n = 1 + Math.floor(random() * 5);
      const first = c * chunk + Math.floor(random() * (chunk - n - 2));
      if (add(first, first + n - 1, "base")) break;
    }
  }
  // 10%: nested inside a base span, or overlapping its end.
  const bases = spans.slice();
  while (spans.length < SPANS) {
    const b = bases[Math.floor(random() * bases.length)];
    const width = b.lastWord - b.firstWord + 1;
    if (width >= 2 && random() < 0.5) {
      const n = 1 + Math.floor(random() * (width - 1));
      const first = b.firstWord + Math.floor(random() * (width - n + 1));
      add(first, first + n - 1, "nested");
    } else {
      const first = b.firstWord + Math.floor(random() * width);
      const last = b.lastWord + 1 + Math.floor(random() * 3);
      if (last < words.length) add(first, last, "overlapping");
    }
  }
  const annotations = spans
    .map((s) => ({
      label: label(),
      start: cpAt[s.u16s],
      end: cpAt[s.u16e],
      text: text.slice(s.u16s, s.u16e),
      utf16_start: s.u16s,
      utf16_end: s.u16e,
      created_at: "2025-01-01T00:00:00.000Z",
    }))
    .sort((x, y) => x.start - y.start || x.end - y.end)
    .map((a, i) => ({ id: `${ID_PREFIX}${String(i).padStart(5, "0")}`, ...a }));
  const overlapping = spans.filter((s) => s.kind !== "base").length;
  return {
    stats: { chars: cpAt[text.length], bytes: Buffer.byteLength(text), overlapping },
    file: nativeFile("bench-1mb.txt", text, annotations),
  };
}

// ---------------------------------------------------------------------------
// In the page

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

// ---------------------------------------------------------------------------

const round = (v) => Math.round(v * 10) / 10;

/** Median, min and max (ms, to 0.1) of `values`. */
function summary(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  return { median: round(median), min: round(sorted[0]), max: round(sorted[sorted.length - 1]), n: sorted.length };
}

function wasmSizes() {
  const files = readdirSync(DIST).filter((f) => f.endsWith(".wasm"));
  if (files.length !== 1) throw new Error(`expected one .wasm in ${DIST}, found ${files.join(", ") || "none"}`);
  const bytes = readFileSync(join(DIST, files[0]));
  return { file: files[0], raw_bytes: bytes.length, gzip_bytes: gzipSync(bytes, { level: 9 }).length };
}

async function main() {
  checkDist();
  const t0 = performance.now();
  const { file, stats } = generateFixture();
  const json = JSON.stringify(file);
  const dataDir = mkdtempSync(join(tmpdir(), "marginalia-bench-"));
  writeFileSync(join(dataDir, "bench-1mb.json"), json);
  console.error(
    `fixture: ${stats.chars} code points (${stats.bytes} UTF-8 bytes), ${SPANS} spans ` +
      `(${stats.overlapping} nested or overlapping), file ${json.length} bytes, ` +
      `made in ${Math.round(performance.now() - t0)} ms`,
  );
  const server = await startServer([DIST, dataDir]);
  const browser = await launchBrowser();
  const painted = [];
  const defaultPainted = [];
  const complete = [];
  const spansInDom = [];
  const fetched = [];
  const wasmLoaded = [];
  const keypress = [];
  const appMarks = {};
  const problems = [];
  try {
    for (let run = 0; run < RUNS; run++) {
      const { context, page } = await openPage(browser, server.url, {
        initScripts: [[WATCH_PAINT, SPANS]],
      });
      try {
        context.setDefaultTimeout(120_000);
        const target = `${server.url}/?load=${encodeURIComponent(`${server.url}/bench-1mb.json`)}`;
        await page.goto(target);
        await page.waitForFunction(() => window.__complete !== undefined, null, { timeout: 120_000 });
        const t = await page.evaluate(() => ({
          painted: window.__painted,
          complete: window.__complete,
          inDom: window.__spansInDom,
          fetched: performance.getEntriesByType("resource").find((e) => e.name.endsWith("/bench-1mb.json"))?.responseEnd,
          wasm: performance.getEntriesByType("resource").find((e) => e.name.endsWith(".wasm"))?.responseEnd,
          // The app's own User Timing marks (src/dom/timing.rs).
          marks: Object.fromEntries(
            performance
              .getEntriesByType("mark")
              .filter((m) => m.name.startsWith("marginalia:"))
              .map((m) => [m.name.slice("marginalia:".length), m.startTime]),
          ),
        }));
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
          const shown = await page.evaluate(
            (id) =>
              [...document.querySelectorAll("article#document mark.seg[data-spans]")]
                .filter((m) => m.dataset.spans.split(" ").includes(id))
                .map((m) => m.textContent)
                .join(""),
            r.id,
          );
          if (shown !== selected) throw new Error(`new span shows ${JSON.stringify(shown)}, selected ${JSON.stringify(selected)}`);
          created.push(r.id);
          keypress.push(r.end - r.start);
        }
        const count = await page.getAttribute("article#document", "data-span-count");
        if (count !== String(SPANS + KEY_PRESSES)) throw new Error(`span count ${count} after the key presses`);
        const p = page.problems;
        problems.push(...p.consoleErrors, ...p.pageErrors, ...p.foreignRequests.map((u) => `request to ${u}`));
        console.error(
          `run ${run + 1}/${RUNS}: painted ${t.painted.toFixed(0)} ms, complete ${t.complete.toFixed(0)} ms, ` +
            `key presses ${keypress.slice(-KEY_PRESSES).map((v) => v.toFixed(1)).join(" ")} ms`,
        );
      } finally {
        await context.close();
      }
    }
    // The everyday case: the page as it opens, with the five bundled articles.
    for (let run = 0; run < RUNS; run++) {
      const { context, page } = await openPage(browser, server.url, { initScripts: [WATCH_DEFAULT_PAINT] });
      try {
        await page.goto(`${server.url}/`);
        await page.waitForFunction(() => window.__complete !== undefined, null, { timeout: 60_000 });
        defaultPainted.push(await page.evaluate(() => window.__complete));
      } finally {
        await context.close();
      }
    }
  } finally {
    await browser.close();
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  }

  const wasm = wasmSizes();
  const result = {
    date: new Date().toISOString(),
    dist: DIST,
    chromium: browser.version(),
    runs: RUNS,
    fixture: { ...stats, spans: SPANS, file_bytes: json.length },
    painted_ms: summary(painted),
    complete_ms: summary(complete),
    default_page_painted_ms: summary(defaultPainted),
    spans_in_dom_ms: summary(spansInDom),
    wasm_loaded_ms: summary(wasmLoaded),
    file_fetched_ms: summary(fetched),
    keypress_ms: summary(keypress),
    app_marks_ms: Object.fromEntries(Object.entries(appMarks).map(([k, v]) => [k, summary(v)])),
    wasm,
    targets: TARGETS,
    meets_targets: {
      painted: summary(painted).median < TARGETS.painted_ms,
      keypress: summary(keypress).median < TARGETS.keypress_ms,
    },
    samples: {
      painted_ms: painted.map(round),
      complete_ms: complete.map(round),
      default_page_painted_ms: defaultPainted.map(round),
      spans_in_dom_ms: spansInDom.map(round),
      wasm_loaded_ms: wasmLoaded.map(round),
      file_fetched_ms: fetched.map(round),
      keypress_ms: keypress.map(round),
    },
    // Distinct console errors, page errors and foreign requests, with counts.
    problems: Object.fromEntries(
      [...new Set(problems)].map((p) => [p, problems.filter((q) => q === p).length]),
    ),
  };
  mkdirSync(join(REPO, "target"), { recursive: true });
  const out = join(REPO, "target", "bench.json");
  writeFileSync(out, JSON.stringify(result, null, 2) + "\n");

  const ms = (v) => `${v.toFixed(1)} ms`;
  const row = (name, s, target) =>
    `| ${name.padEnd(30)} | ${ms(s.median).padStart(10)} | ${ms(s.min).padStart(10)} | ${ms(s.max).padStart(10)} | ${String(s.n).padStart(3)} | ${target.padEnd(9)} |`;
  console.log(`| ${"metric".padEnd(30)} | ${"median".padStart(10)} | ${"min".padStart(10)} | ${"max".padStart(10)} | ${"n".padStart(3)} | target    |`);
  console.log(`|${"-".repeat(32)}|${"-".repeat(12)}|${"-".repeat(12)}|${"-".repeat(12)}|${"-".repeat(5)}|${"-".repeat(11)}|`);
  console.log(row("open 1 MB + 10k spans, painted", result.painted_ms, `< ${TARGETS.painted_ms} ms`));
  console.log(row("  whole document painted", result.complete_ms, ""));
  console.log(row("  wasm downloaded", result.wasm_loaded_ms, ""));
  console.log(row("  1 MB file downloaded", result.file_fetched_ms, ""));
  for (const [name, s] of Object.entries(result.app_marks_ms)) console.log(row(`  app mark: ${name}`, s, ""));
  console.log(row("  text and spans in the DOM", result.spans_in_dom_ms, ""));
  console.log(row("key press to painted span", result.keypress_ms, `< ${TARGETS.keypress_ms} ms`));
  console.log(row("default page, article painted", result.default_page_painted_ms, ""));
  console.log(`| ${"wasm size (raw / gzip -9)".padEnd(30)} | ${`${wasm.raw_bytes} B / ${wasm.gzip_bytes} B`.padEnd(49)} | ${wasm.file}`);
  for (const [problem, count] of Object.entries(result.problems)) console.log(`seen in the page ${count}×: ${problem}`);
  console.log(`written ${out}`);
}

// Run when executed, not when imported (a check can import generateFixture).
if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) await main();
