// End-to-end tests of Find (Ctrl+F) in the built app (dist/): the bar
// opens on Ctrl+F with its field focused, counts the matches of a query
// (checked against a count made here from the article file), steps with
// Enter / Shift+Enter and brings the current match into view, paints every
// match with the CSS Custom Highlight API at the exact code point offsets
// (emoji and combining marks before them), changes the count with "Match
// case", tags every match in ONE undoable step (the export has exactly
// those spans; one Ctrl+Z removes them all, Ctrl+Shift+Z brings them back),
// and reaches matches a long document has not rendered yet. Every test
// also checks that nothing went wrong on the side (console errors,
// exceptions, CSP violations, foreign requests).
//
// Run: cd tests/e2e && node --test find.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

import { ARTICLES, DIST, REPO, checkDist, launchBrowser, nativeFile, openPage } from "./harness.mjs";
import { startServer } from "./server.mjs";

const SCREENSHOTS = join(REPO, "target", "screenshots");

/** The bundled article whose SHA-256 is `sha`: its text. */
function articleBySha(sha) {
  for (const name of readdirSync(ARTICLES).filter((n) => n.endsWith(".txt"))) {
    const bytes = readFileSync(join(ARTICLES, name));
    if (createHash("sha256").update(bytes).digest("hex") === sha) return { name, text: bytes.toString("utf8") };
  }
  throw new Error(`no bundled article has SHA-256 ${sha}`);
}

/**
 * Non-overlapping matches of an ASCII `query` in `text`, leftmost first, as
 * code point ranges; `ignoreCase` compares lower case (enough for ASCII
 * queries in these texts, which hold no letters that lower-case to a
 * different length).
 */
function matchesOf(text, query, { ignoreCase }) {
  const hay = ignoreCase ? text.toLowerCase() : text;
  const needle = ignoreCase ? query.toLowerCase() : query;
  assert.equal(hay.length, text.length, "lower-casing kept the UTF-16 length");
  const out = [];
  let cp = 0;
  let last = 0;
  for (let at = hay.indexOf(needle); at >= 0; at = hay.indexOf(needle, at + needle.length)) {
    for (const _ of text.slice(last, at)) cp++;
    const start = cp;
    const end = start + [...text.slice(at, at + needle.length)].length;
    out.push([start, end]);
    for (const _ of text.slice(at, at + needle.length)) cp++;
    last = at + needle.length;
  }
  return out;
}

/** Code point range of the first occurrence of `phrase` in `text` from UTF-16 index `from`. */
function cpRange(text, phrase, from = 0) {
  const at = text.indexOf(phrase, from);
  assert.ok(at >= 0, `phrase not found: ${phrase}`);
  const start = [...text.slice(0, at)].length;
  return [start, start + [...phrase].length];
}

// A short text with emoji, a flag, combining marks, NBSP and curly quotes
// before and between its matches, so offsets in code points, UTF-16 and
// the DOM all differ.
const MIXED_TEXT = [
  "👍🏽 Die Straße 🇺🇦 — “Strasse” said the man; cafe\u0301 e\u0301.",
  "",
  "👨‍👩‍👧 STRASSE\u00a0nine, Strassen and straße’s end.",
].join("\n");

// A long text (about 1 MB) with 10,000 matches of "needle", rendered by
// the app in chunks: the last matches are not in the DOM at first.
const LONG_MATCHES = 10_000;
const LONG_TEXT = (() => {
  const lines = [];
  for (let i = 0; i < LONG_MATCHES; i++) {
    lines.push(`Paragraph ${i}: the “needle” is here 👍🏽, and the rest is hay — café, naïve, Straße; more hay.`);
  }
  return lines.join("\n");
})();

let browser;
let server;
let fixtures;

before(async () => {
  checkDist();
  fixtures = mkdtempSync(join(tmpdir(), "marginalia-find-"));
  writeFileSync(join(fixtures, "mixed.json"), JSON.stringify(nativeFile("mixed.txt", MIXED_TEXT, [])));
  writeFileSync(join(fixtures, "long.json"), JSON.stringify(nativeFile("long.txt", LONG_TEXT, [])));
  server = await startServer([DIST, fixtures]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (fixtures) rmSync(fixtures, { recursive: true, force: true });
});

async function withPage(options, body) {
  const { context, page } = await openPage(browser, server.url, options);
  context.setDefaultTimeout(15_000);
  try {
    await body(page);
    const p = page.problems;
    assert.deepEqual(p.pageErrors, [], "uncaught exceptions in the page");
    assert.deepEqual(p.consoleErrors, [], "console errors");
    assert.deepEqual(await page.cspViolations(), [], "CSP violations");
    assert.deepEqual(p.foreignRequests, [], "requests that left the local server");
  } finally {
    await context.close();
  }
}

async function gotoApp(page, query = "") {
  await page.goto(`${server.url}/${query}`);
  await page.waitForSelector('.app[data-ready="true"]');
  await page.waitForSelector("article#document[data-sha256]");
}

/** Opens the find bar with Ctrl+F from the text, and checks the field has the keyboard. */
async function openFind(page) {
  await page.focus("article#document");
  await page.keyboard.press("Control+f");
  await page.waitForSelector(".find-bar");
  await page.waitForFunction(() => document.activeElement?.id === "find-input");
}

const waitCounter = (page, text) =>
  page.waitForFunction((text) => document.querySelector(".find-count")?.textContent === text, text);

/** The code point ranges painted in highlight `name`, sorted. */
const painted = (page, name) =>
  page.evaluate((name) => {
    const highlight = CSS.highlights.get(name);
    if (!highlight) return null;
    const cp = (node, offset) => {
      if (node.nodeType !== Node.TEXT_NODE) return Number(node.dataset.start);
      const segment = node.parentElement.closest("[data-start]");
      return Number(segment.dataset.start) + [...node.data.slice(0, offset)].length;
    };
    return [...highlight]
      .map((r) => [cp(r.startContainer, r.startOffset), cp(r.endContainer, r.endOffset)])
      .sort((a, b) => a[0] - b[0]);
  }, name);

/**
 * Waits until what highlight "find" paints fits `all` (code point ranges):
 * every painted range is a match, and every match among `candidates` that
 * is in the visible part of the reader is painted (far-off groups need not
 * be). Returns the painted ranges.
 */
async function checkPainted(page, all, candidates = all) {
  const problems = await page
    .waitForFunction(
      ([all, candidates]) => {
        const highlight = CSS.highlights.get("find");
        if (!highlight) return "no highlight";
        const cp = (node, offset) => {
          if (node.nodeType !== Node.TEXT_NODE) return Number(node.dataset.start);
          return Number(node.parentElement.closest("[data-start]").dataset.start) + [...node.data.slice(0, offset)].length;
        };
        const painted = new Set(
          [...highlight].map((r) => `${cp(r.startContainer, r.startOffset)}-${cp(r.endContainer, r.endOffset)}`),
        );
        const matches = new Set(all.map(([s, e]) => `${s}-${e}`));
        const stray = [...painted].filter((k) => !matches.has(k));
        if (stray.length) return `painted but not matches: ${stray.join(", ")}`;
        const reader = document.querySelector(".reader").getBoundingClientRect();
        const unpainted = candidates.filter(([s, e]) => {
          const rect = window.__e2e.range(s, e).getBoundingClientRect();
          const visible = rect.height > 0 && rect.bottom > reader.top && rect.top < reader.bottom;
          return visible && !painted.has(`${s}-${e}`);
        });
        return unpainted.length ? false : "ok";
      },
      [all, candidates],
      { polling: "raf" },
    )
    .then((h) => h.jsonValue())
    .catch((e) => `visible matches left unpainted (${e.message.split("\n")[0]})`);
  assert.equal(problems, "ok", "painted matches");
  return painted(page, "find");
}

/** Whether the code point range is inside the visible part of the reader. */
const inView = (page, [start, end]) =>
  page.evaluate(
    ([start, end]) => {
      const rect = window.__e2e.range(start, end).getBoundingClientRect();
      const reader = document.querySelector(".reader").getBoundingClientRect();
      const bar = document.querySelector(".find-bar").getBoundingClientRect();
      return rect.height > 0 && rect.top >= bar.bottom - 1 && rect.bottom <= reader.bottom;
    },
    [start, end],
  );

const caretPos = (page) => page.evaluate(() => Number(document.querySelector(".caret").dataset.pos));

describe("find in the document", () => {
  test("Ctrl+F, count, step, scroll into view, Match case, Escape", async () => {
    await withPage({ viewport: { width: 1440, height: 900 } }, async (page) => {
      await gotoApp(page);
      const sha = await page.getAttribute("article#document", "data-sha256");
      const { name, text } = articleBySha(sha);
      // The document view survives the bar opening (not re-created).
      await page.evaluate(() => (document.querySelector("article#document").__marker = "kept"));
      await openFind(page);
      assert.equal(await page.evaluate(() => document.querySelector("article#document").__marker), "kept");

      // A query with matches in several cases, spread over the article.
      const query = ["russia", "trump", "kremlin", "the"].find(
        (q) =>
          matchesOf(text, q, { ignoreCase: true }).length >= 3 &&
          matchesOf(text, q, { ignoreCase: false }).length !== matchesOf(text, q, { ignoreCase: true }).length,
      );
      assert.ok(query, `${name} has a word found in several cases`);
      const all = matchesOf(text, query, { ignoreCase: true });
      const exact = matchesOf(text, query, { ignoreCase: false });
      await page.keyboard.type(query);
      await waitCounter(page, `1 of ${all.length}`);
      await checkPainted(page, all);
      assert.deepEqual(await painted(page, "find-current"), [all[0]], "the first one is current");
      assert.equal(await caretPos(page), all[0][0], "the caret is at the current match");

      // Enter steps forward; Shift+Enter back, wrapping to the last match.
      await page.keyboard.press("Enter");
      await waitCounter(page, `2 of ${all.length}`);
      assert.deepEqual(await painted(page, "find-current"), [all[1]]);
      await page.keyboard.press("Shift+Enter");
      await page.keyboard.press("Shift+Enter");
      await waitCounter(page, `${all.length} of ${all.length}`);
      const last = all[all.length - 1];
      assert.deepEqual(await painted(page, "find-current"), [last]);
      await page.waitForFunction(() => true, null, { polling: "raf" });
      assert.ok(await inView(page, last), "the current (last) match is scrolled into view");
      assert.equal(await caretPos(page), last[0], "the caret moved to it");
      // F3 steps too (forward, wrapping to the first).
      await page.keyboard.press("F3");
      await waitCounter(page, `1 of ${all.length}`);
      await page.waitForFunction(() => true, null, { polling: "raf" });
      assert.ok(await inView(page, all[0]), "the first match is back in view");
      await page.keyboard.press("Enter");
      await waitCounter(page, `2 of ${all.length}`);

      mkdirSync(SCREENSHOTS, { recursive: true });
      await page.screenshot({ path: join(SCREENSHOTS, "find.png") });

      // axe-core finds no serious or critical problem in the bar.
      await page.evaluate(readFileSync(join(dirname(fileURLToPath(import.meta.url)), "node_modules/axe-core/axe.min.js"), "utf8"));
      const violations = await page.evaluate(async () =>
        (await window.axe.run(".find-bar", { resultTypes: ["violations"] })).violations
          .filter((v) => v.impact === "serious" || v.impact === "critical")
          .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`),
      );
      assert.deepEqual(violations, [], "axe: serious or critical violations in the find bar");

      // Match case: only the exact-case matches are left.
      await page.getByRole("button", { name: "Match case" }).click();
      assert.equal(await page.getByRole("button", { name: "Match case" }).getAttribute("aria-pressed"), "true");
      // The search goes on from the current match (the second one).
      const nextExact = Math.max(0, exact.findIndex(([start]) => start >= all[1][0]));
      await waitCounter(page, exact.length === 0 ? "No matches" : `${nextExact + 1} of ${exact.length}`);
      if (exact.length === 0) assert.deepEqual(await painted(page, "find"), []);
      else await checkPainted(page, exact);
      await page.getByRole("button", { name: "Match case" }).click();
      await waitCounter(page, `2 of ${all.length}`);

      // A query with no match; then an empty one.
      await page.fill("#find-input", "zzqxj");
      await waitCounter(page, "No matches");
      assert.deepEqual(await painted(page, "find"), []);
      await page.fill("#find-input", "");
      await waitCounter(page, "");
      assert.deepEqual(await painted(page, "find"), []);

      // Escape closes the bar, removes the highlights, gives the text the keyboard.
      await page.fill("#find-input", query);
      await waitCounter(page, `2 of ${all.length}`);
      await page.keyboard.press("Escape");
      await page.waitForSelector(".find-bar", { state: "detached" });
      assert.equal(await page.evaluate(() => CSS.highlights.has("find") || CSS.highlights.has("find-current")), false);
      assert.equal(await page.evaluate(() => document.activeElement?.id), "document");
      // Ctrl+F again opens it (the query starts empty).
      await page.keyboard.press("Control+f");
      await page.waitForFunction(() => document.activeElement?.id === "find-input");
    });
  });

  test("matches among emoji, flags and combining marks; Tag all is one undoable step", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page, `?load=${encodeURIComponent(`${server.url}/mixed.json`)}`);
      await page.waitForSelector('article#document[data-span-count="0"]');
      await openFind(page);

      // ß and SS find each other; "Strassen" is found inside, "straße’s" too.
      await page.keyboard.type("strasse");
      const expected = [
        cpRange(MIXED_TEXT, "Straße"),
        cpRange(MIXED_TEXT, "Strasse"),
        cpRange(MIXED_TEXT, "STRASSE"),
        cpRange(MIXED_TEXT, "Strasse", MIXED_TEXT.indexOf("Strassen")),
        cpRange(MIXED_TEXT, "straße"),
      ];
      await waitCounter(page, `1 of ${expected.length}`);
      assert.deepEqual(await painted(page, "find"), expected);
      // Whole words drop the one inside "Strassen".
      await page.getByRole("button", { name: "Whole words" }).click();
      await waitCounter(page, `1 of ${expected.length - 1}`);
      await page.getByRole("button", { name: "Whole words" }).click();
      await waitCounter(page, `1 of ${expected.length}`);

      // "e" never matches the e of e + combining accent; a space finds NBSP;
      // straight quotes find curly ones.
      await page.fill("#find-input", "STRASSE nine");
      await waitCounter(page, "1 of 1");
      assert.deepEqual(await painted(page, "find"), [cpRange(MIXED_TEXT, "STRASSE\u00a0nine")]);
      await page.fill("#find-input", '"strasse"');
      await waitCounter(page, "1 of 1");
      assert.deepEqual(await painted(page, "find"), [cpRange(MIXED_TEXT, "“Strasse”")]);
      await page.fill("#find-input", "e");
      const plainE = matchesOf(MIXED_TEXT, "e", { ignoreCase: true }).filter(
        ([, end]) => [...MIXED_TEXT][end] !== "\u0301",
      );
      await waitCounter(page, `1 of ${plainE.length}`);
      assert.deepEqual(await painted(page, "find"), plainE);

      // Tag all: "strasse" as quote.
      await page.fill("#find-input", "strasse");
      await waitCounter(page, `1 of ${expected.length}`);
      await page.selectOption(".find-label", "quote");
      const tagAll = page.getByRole("button", { name: `Tag all ${expected.length}` });
      await tagAll.click();
      await page.waitForSelector(`article#document[data-span-count="${expected.length}"]`);
      await page.waitForFunction(() => document.querySelector(".find-message")?.textContent.startsWith("Tagged 5"));
      // Everything is tagged now: the button says so.
      await page.getByRole("button", { name: "Tag all 0" }).waitFor();
      // The highlights follow the re-rendered text.
      assert.deepEqual(await painted(page, "find"), expected, "matches still painted after the spans split the text");

      const exported = async () => {
        const [download] = await Promise.all([
          page.waitForEvent("download"),
          page.getByRole("button", { name: "Export document JSON", exact: true }).click(),
        ]);
        return JSON.parse(readFileSync(await download.path(), "utf8")).documents[0].annotations;
      };
      const spans = await exported();
      assert.equal(spans.length, expected.length, "exactly one span per match");
      assert.deepEqual(
        spans.map((a) => [a.label, a.start, a.end]),
        expected.map(([s, e]) => ["quote", s, e]),
        "each span at its match's code points",
      );
      for (const a of spans) {
        assert.equal([...MIXED_TEXT].slice(a.start, a.end).join(""), a.text, "code point slice");
        assert.equal(MIXED_TEXT.slice(a.utf16_start, a.utf16_end), a.text, "UTF-16 slice");
      }
      const ids = spans.map((a) => a.id);
      assert.equal(new Set(ids).size, ids.length, "ids are distinct");

      // ONE Ctrl+Z removes them all; Ctrl+Shift+Z brings them back, same ids.
      await page.focus("article#document");
      await page.keyboard.press("Control+z");
      await page.waitForSelector('article#document[data-span-count="0"]');
      await page.keyboard.press("Control+Shift+Z");
      await page.waitForSelector(`article#document[data-span-count="${expected.length}"]`);
      assert.deepEqual((await exported()).map((a) => a.id), ids, "redo brings back the same spans");
      await page.keyboard.press("Control+z");
      await page.waitForSelector('article#document[data-span-count="0"]');
    });
  });

  test("a 1 MB document: 10,000 matches, those near the view painted, the last one reached early", async () => {
    // The text is rendered in chunks, one per zero-delay timeout: slowed
    // down here, so the last match is asked for before it is in the DOM.
    const slowChunks = () => {
      const setTimeout = window.setTimeout;
      window.setTimeout = (handler, delay, ...args) => setTimeout(handler, delay ? delay : 400, ...args);
    };
    await withPage({ initScripts: [slowChunks] }, async (page) => {
      await page.goto(`${server.url}/?load=${encodeURIComponent(`${server.url}/long.json`)}`);
      await page.waitForSelector('article#document[data-sha256][data-rendered="partial"]', { timeout: 60_000 });
      await page.focus("article#document");
      await page.keyboard.press("Control+f");
      await page.waitForFunction(() => document.activeElement?.id === "find-input");
      // Straight away, before the whole text is in the DOM: the last match.
      await page.fill("#find-input", "needle");
      await waitCounter(page, `1 of ${LONG_MATCHES}`);
      await page.keyboard.press("Shift+Enter");
      assert.equal(await page.getAttribute("article#document", "data-rendered"), "partial");
      await waitCounter(page, `${LONG_MATCHES} of ${LONG_MATCHES}`);
      const all = matchesOf(LONG_TEXT, "needle", { ignoreCase: true });
      assert.equal(all.length, LONG_MATCHES);
      const last = all[all.length - 1];
      await page.waitForSelector('article#document[data-rendered="complete"]', { timeout: 60_000 });
      await page.waitForFunction(() => CSS.highlights.get("find-current")?.size === 1);
      assert.deepEqual(await painted(page, "find-current"), [last]);
      await page.waitForFunction(() => true, null, { polling: "raf" });
      assert.ok(await inView(page, last), "the last match was scrolled into view once rendered");
      // The matches around it are painted; far-off ones are not (yet).
      const tail = all.slice(-40);
      const near = await checkPainted(page, all, tail);
      assert.ok(near.some((r) => r[0] === last[0]), "the last match is painted");
      assert.ok(near.length < LONG_MATCHES / 2, `only the groups near the view are painted (${near.length})`);
      // Back at the top, the first matches are painted.
      await page.evaluate(() => (document.querySelector(".reader").scrollTop = 0));
      const top = await checkPainted(page, all, all.slice(0, 40));
      assert.ok(top.some((r) => r[0] === all[0][0]), "the first match is painted once in view");
      // A figure, not a test: from the last key of a query to the counter, 1 MB, 10,000 matches.
      await page.fill("#find-input", "needlex");
      await waitCounter(page, "No matches");
      const started = await page.evaluate(() => performance.now());
      await page.keyboard.press("Backspace");
      await page.waitForFunction(
        (n) => document.querySelector(".find-count").textContent.endsWith(` of ${n}`),
        LONG_MATCHES,
      );
      const counted = (await page.evaluate(() => performance.now())) - started;
      console.log(`find: 1 MB, ${LONG_MATCHES} matches: key to counter ${Math.round(counted)} ms`);
    });
  });
});
