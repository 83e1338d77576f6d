// End-to-end tests of the built app (dist/, or $MARGINALIA_DIST) in the
// system Chromium, driven by playwright-core. Every test gets a fresh
// browser context (fresh storage) and checks, besides its own subject, that
// nothing went wrong on the side: no console errors, no uncaught exceptions,
// no CSP violations, no dialogs, no request leaving the local server.
//
// Run: cd tests/e2e && npm ci && npm test

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";

import { ARTICLES, DIST, REPO, checkDist, eventually, launchBrowser, nativeFile, openPage } from "./harness.mjs";
import { startServer } from "./server.mjs";

const ARTICLE_NAMES = JSON.parse(readFileSync(join(ARTICLES, "index.json"), "utf8"));
const A001 = "001_3206adba1834ceb5.txt";
const A002 = "002_c0478a2ad0b40c32.txt";

const sha256 = (bytes) => createHash("sha256").update(bytes).digest("hex");
const articleBytes = (name) => readFileSync(join(ARTICLES, name));
const articleText = (name) => articleBytes(name).toString("utf8");
const articleSha = (name) => sha256(articleBytes(name));

/** Code point range of the (first) occurrence of `phrase` in `text`. */
function cpRange(text, phrase, from = 0) {
  const at = text.indexOf(phrase, from);
  assert.ok(at >= 0, `phrase not found: ${phrase}`);
  const start = [...text.slice(0, at)].length;
  return { start, end: start + [...phrase].length };
}

let browser;
let server;
let fixtures;

before(async () => {
  checkDist();
  fixtures = mkdtempSync(join(tmpdir(), "marginalia-e2e-"));
  writeFileSync(join(fixtures, "hostile.json"), JSON.stringify(hostileFixture(), null, 2));
  server = await startServer([DIST, fixtures]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (fixtures) rmSync(fixtures, { recursive: true, force: true });
});

/** A page in a fresh context, closed (with its context) after `body` runs. */
async function withPage(options, body) {
  const { context, page } = await openPage(browser, server.url, options);
  context.setDefaultTimeout(10_000);
  try {
    await body(page);
    await assertNothingWentWrong(page);
  } finally {
    await context.close();
  }
}

async function assertNothingWentWrong(page) {
  const p = page.problems;
  assert.deepEqual(p.pageErrors, [], "uncaught exceptions in the page");
  assert.deepEqual(p.consoleErrors, [], "console errors");
  assert.deepEqual(await page.cspViolations(), [], "CSP violations");
  assert.deepEqual(p.foreignRequests, [], "requests that left the local server");
  assert.deepEqual(p.dialogs, [], "dialogs");
}

async function gotoApp(page, query = "") {
  await page.goto(`${server.url}/${query}`);
  await page.waitForSelector('.app[data-ready="true"]');
  await page.waitForSelector("article#document[data-sha256]");
}

const docButton = (page, name) =>
  page.locator('nav[aria-label="Documents"] button.document').filter({ hasText: name });

async function openDocument(page, name) {
  await docButton(page, name).click();
  await page.waitForSelector(`article#document[data-sha256="${articleSha(name)}"]`);
}

const spanIds = (page) => page.evaluate(() => window.__e2e.ids());
const markText = (page, id) => page.evaluate((id) => window.__e2e.textOf(id), id);
const selectedId = (page) => page.evaluate(() => window.__e2e.selectedId());
const labelsOf = (page, id) =>
  page.evaluate(
    (id) => [...new Set(window.__e2e.marksOf(id).map((m) => m.dataset.labels.split(" ")[m.dataset.spans.split(" ").indexOf(id)]))],
    id,
  );

/** Waits for a span id that is not in `before` and returns it. */
async function newSpanId(page, before) {
  const handle = await page.waitForFunction(
    (before) => window.__e2e.ids().find((id) => !before.includes(id)),
    before,
  );
  return handle.jsonValue();
}

/** Selects [start, end) with a DOM Range and tags it by pressing `key`. */
async function tagWithKey(page, { start, end }, key) {
  const before = await spanIds(page);
  await page.evaluate(([s, e]) => window.__e2e.select(s, e), [start, end]);
  await page.keyboard.press(key);
  return newSpanId(page, before);
}

/** The shipped JSON Schema of the export format, compiled once. */
const validateExport = (() => {
  const ajv = new Ajv2020({ allErrors: true, strict: true });
  addFormats(ajv);
  return ajv.compile(JSON.parse(readFileSync(join(REPO, "schema", "marginalia-v1.schema.json"), "utf8")));
})();

/** Downloads an export by clicking a button; every export must match the schema. */
async function exportJson(page, buttonName, scope = page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    scope.getByRole("button", { name: buttonName, exact: true }).click(),
  ]);
  const path = await download.path();
  const json = JSON.parse(readFileSync(path, "utf8"));
  assert.ok(validateExport(json), `export matches the schema: ${JSON.stringify(validateExport.errors)}`);
  return { name: download.suggestedFilename(), json };
}

/** Checks one exported annotation against the text, in both offset units. */
function checkAnnotationOffsets(text, a) {
  assert.equal([...text].slice(a.start, a.end).join(""), a.text, `code point slice of ${a.id}`);
  assert.equal(text.slice(a.utf16_start, a.utf16_end), a.text, `UTF-16 slice of ${a.id}`);
  assert.ok(a.start < a.end, `${a.id} is not empty`);
}

// ---------------------------------------------------------------------------

describe("Marginalia end to end", () => {
  test("a. the page opens with the five articles, the first one open, and stays local", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      const buttons = page.locator('nav[aria-label="Documents"] button.document');
      assert.equal(await buttons.count(), 5);
      assert.equal(ARTICLE_NAMES.length, 5);
      const shas = await buttons.evaluateAll((bs) => bs.map((b) => b.dataset.sha256));
      assert.deepEqual(shas, ARTICLE_NAMES.map(articleSha), "list order and SHA-256 match articles/");
      const first = articleSha(ARTICLE_NAMES[0]);
      assert.equal(await page.getAttribute("article#document", "data-sha256"), first);
      assert.equal(await buttons.first().getAttribute("aria-current"), "true");
      assert.equal(await page.locator('nav[aria-label="Documents"] button.document[aria-current="true"]').count(), 1);
      const text = articleText(ARTICLE_NAMES[0]);
      assert.equal(await page.getAttribute("article#document", "data-end"), String([...text].length));
      assert.equal(await page.getAttribute("article#document", "data-span-count"), "0");
      // Every line of the file is one block, holding exactly that line.
      const blocks = await page.locator("article#document div.block").evaluateAll((bs) => bs.map((b) => b.textContent));
      assert.deepEqual(blocks, text.split("\n"));
      // Let late work (fonts, timers) surface its errors, if any.
      await page.waitForTimeout(200);
    });
  });

  test("b. a Content-Security-Policy, and no inline script", async () => {
    const html = readFileSync(join(DIST, "index.html"), "utf8");
    const served = await (await fetch(`${server.url}/`)).text();
    assert.equal(served, html);
    const csp = html.match(/<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]*)"/i);
    assert.ok(csp, "CSP meta tag present");
    assert.match(csp[1], /script-src 'self'/);
    assert.doesNotMatch(csp[1], /unsafe-inline/);
    const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
    assert.ok(scripts.length >= 1, "the boot script is there");
    for (const [tag, attrs, body] of scripts) {
      assert.match(attrs, /\bsrc=/, `script without src: ${tag.slice(0, 80)}`);
      assert.equal(body.trim(), "", "script with src has no inline body");
    }
    assert.doesNotMatch(html, /\son[a-z]+\s*=/i, "no inline event handlers");
    await withPage({}, async (page) => {
      await gotoApp(page);
      assert.equal(await page.locator("script:not([src])").count(), 0);
      assert.equal(await page.locator('meta[http-equiv="Content-Security-Policy"]').count(), 1);
    });
  });

  test("c. tag a phrase by mouse drag + key 1, and another by Range + the Quote button", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const text = articleText(A001);

      const claimPhrase = "“very useful and constructive,”";
      const claim = cpRange(text, claimPhrase);
      await page.evaluate((s) => window.__e2e.scrollTo(s), claim.start);
      const { from, to } = await page.evaluate(([s, e]) => window.__e2e.dragPoints(s, e), [claim.start, claim.end]);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move((from.x + to.x) / 2, to.y, { steps: 4 });
      await page.mouse.move(to.x, to.y, { steps: 4 });
      await page.mouse.up();
      assert.equal(await page.evaluate(() => getSelection().toString()), claimPhrase, "the drag selected the phrase");
      const before = await spanIds(page);
      await page.keyboard.press("1");
      const claimId = await newSpanId(page, before);
      assert.equal(await markText(page, claimId), claimPhrase);
      assert.deepEqual(await labelsOf(page, claimId), ["claim"]);
      // Announced to screen readers, and labelled in words, not only in colour.
      const status = page.getByRole("status");
      assert.equal(await status.getAttribute("aria-live"), "polite");
      assert.equal(await status.textContent(), `claim added: “${claimPhrase}”`);
      const badge = await page.evaluate((id) => window.__e2e.marksOf(id)[0].dataset.badge, claimId);
      assert.equal(badge, "claim");

      // A whole quotation, marks included: snapping keeps it as it is.
      const quotePhrase =
        "“On our part, in particular on the Ukrainian issue, some signals were transmitted. Corresponding signals were also received from President Trump,”";
      const quote = cpRange(text, quotePhrase);
      const before2 = await spanIds(page);
      const selected = await page.evaluate(([s, e]) => window.__e2e.select(s, e), [quote.start, quote.end]);
      assert.equal(selected, quotePhrase);
      await page.getByRole("button", { name: "Quote", exact: true }).click();
      const quoteId = await newSpanId(page, before2);
      assert.equal(await markText(page, quoteId), quotePhrase);
      assert.deepEqual(await labelsOf(page, quoteId), ["quote"]);

      const marks = page.locator("article#document mark.seg[data-spans]");
      const labels = await marks.evaluateAll((ms) => ms.map((m) => m.dataset.labels));
      assert.ok(labels.some((l) => l.split(" ").includes("claim")));
      assert.ok(labels.some((l) => l.split(" ").includes("quote")));
      assert.equal(await page.getAttribute("article#document", "data-span-count"), "2");
      // Each mark sits exactly on its code point range.
      const starts = await page.evaluate(
        (ids) => ids.map((id) => window.__e2e.marksOf(id)[0].dataset.start),
        [claimId, quoteId],
      );
      assert.deepEqual(starts, [String(claim.start), String(quote.start)]);
    });
  });

  test("d. Export JSON and Export document JSON write exact offsets, hashes and texts", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const text = articleText(A001);
      const phrase = "“Useful and Constructive” Dialogue";
      const id = await tagWithKey(page, cpRange(text, phrase), "1");
      const id2 = await tagWithKey(page, cpRange(text, "Kirill Dmitriev, Russia’s presidential envoy"), "2");

      const all = await exportJson(page, "Export JSON");
      const file = all.json;
      assert.equal(file.format, "marginalia");
      assert.equal(file.version, 1);
      assert.equal(file.offset_unit, "codepoint");
      assert.ok(!Number.isNaN(Date.parse(file.exported_at)), "exported_at is a date");
      assert.deepEqual(file.labels.map((l) => [l.name, l.key]), [["claim", "1"], ["quote", "2"], ["deadline", "3"]]);
      assert.equal(file.documents.length, 5);
      assert.deepEqual(file.documents.map((d) => d.name), ARTICLE_NAMES);
      for (const d of file.documents) {
        const bytes = articleBytes(d.name);
        assert.equal(d.text, bytes.toString("utf8"), `${d.name}: text is the file`);
        assert.equal(d.sha256, sha256(bytes), `${d.name}: sha256`);
        assert.equal(d.length, [...d.text].length, `${d.name}: length in code points`);
        for (const a of d.annotations) checkAnnotationOffsets(d.text, a);
      }
      const doc = file.documents.find((d) => d.name === A001);
      assert.deepEqual(doc.annotations.map((a) => a.id).sort(), [id, id2].sort());
      const a = doc.annotations.find((x) => x.id === id);
      assert.equal(a.label, "claim");
      assert.equal(a.text, phrase);
      assert.deepEqual([a.start, a.end], [cpRange(text, phrase).start, cpRange(text, phrase).end]);
      assert.ok(!Number.isNaN(Date.parse(a.created_at)), "created_at is a date");
      const sorted = [...doc.annotations].sort((x, y) => x.start - y.start || x.end - y.end);
      assert.deepEqual(doc.annotations, sorted, "annotations sorted by start, end");
      assert.equal(file.documents.filter((d) => d.annotations.length > 0).length, 1);

      const one = await exportJson(page, "Export document JSON");
      assert.equal(one.json.format, "marginalia");
      assert.equal(one.json.documents.length, 1);
      assert.equal(one.json.documents[0].name, A001);
      assert.deepEqual(one.json.documents[0].annotations, doc.annotations);
      assert.ok(one.name.includes("001_3206adba1834ceb5"), `file name ${one.name} names the document`);
      assert.match(one.name, /\.json$/);
      assert.match(all.name, /\.json$/);
    });
  });

  test("e. spans, the open document and the counts survive a reload", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A002);
      const t2 = articleText(A002);
      const lines2 = t2.split("\n").filter((l) => l.length > 40);
      const ids2 = [
        await tagWithKey(page, cpRange(t2, lines2[1].slice(0, 20)), "1"),
        await tagWithKey(page, cpRange(t2, lines2[2].slice(5, 30)), "2"),
      ];
      await openDocument(page, A001);
      const t1 = articleText(A001);
      const id1 = await tagWithKey(page, cpRange(t1, "Steve Witkoff"), "3");

      // Counts follow the edit a frame later (components/deferred.rs).
      const count = (name, expected) => eventually(() => docButton(page, name).locator(".count").textContent(), expected);
      assert.equal(await count(A001, "1 span"), "1 span");
      assert.equal(await count(A002, "2 spans"), "2 spans");

      await page.reload();
      await page.waitForSelector('.app[data-ready="true"]');
      await page.waitForSelector(`article#document[data-sha256="${articleSha(A001)}"]`);
      assert.equal(await docButton(page, A001).getAttribute("aria-current"), "true", "the same document is open");
      assert.deepEqual(await spanIds(page), [id1]);
      assert.equal(await markText(page, id1), "Steve Witkoff");
      assert.deepEqual(await labelsOf(page, id1), ["deadline"]);
      assert.equal(await count(A001), "1 span");
      assert.equal(await count(A002), "2 spans");
      for (const name of ARTICLE_NAMES.filter((n) => n !== A001 && n !== A002)) {
        assert.equal(await count(name), "0 spans");
      }
      await openDocument(page, A002);
      assert.deepEqual((await spanIds(page)).sort(), [...ids2].sort());
    });
  });

  test("e2. the span count's accessible name matches its text (1 span, not 1 spans)", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      await tagWithKey(page, cpRange(articleText(A001), "Steve Witkoff"), "1");
      const count = docButton(page, A001).locator(".count");
      assert.equal(await eventually(() => count.textContent(), "1 span"), "1 span");
      // The button's accessible name (computed by Chromium) ends with the count.
      const named = (words) =>
        page.getByRole("button", { name: new RegExp(`${A001.replace(".", "\\.")} ${words}$`) }).count();
      assert.equal(await named("1 spans"), 0, "the accessible name does not say \"1 spans\"");
      assert.equal(await named("1 span"), 1, "screen readers hear the same words as are shown");
    });
  });

  test("f. click selects a span, 3 relabels it, Delete removes it, for good", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const text = articleText(A001);
      const keep = await tagWithKey(page, cpRange(text, "Yuri Ushakov"), "2");
      const id = await tagWithKey(page, cpRange(text, "a critical August 8 ceasefire deadline"), "1");
      await page.keyboard.press("Escape");
      assert.equal(await selectedId(page), null, "Escape deselects");

      await page.locator(`article#document mark.seg[data-spans~="${id}"]`).first().click();
      assert.equal(await selectedId(page), id, "the click selected the span");
      const marks = page.locator(`article#document mark.seg[data-spans~="${id}"]`);
      assert.ok(await marks.evaluateAll((ms) => ms.every((m) => m.classList.contains("selected"))));
      const deleteEnabled = () => page.getByRole("button", { name: "Delete", exact: true }).isEnabled();
      assert.ok(await eventually(deleteEnabled, true), "Delete is enabled");

      await page.keyboard.press("3");
      await page.waitForFunction((id) => window.__e2e.marksOf(id)[0]?.dataset.labels === "deadline", id);
      assert.equal(await selectedId(page), id, "relabelling keeps the span selected");
      assert.deepEqual((await spanIds(page)).sort(), [keep, id].sort());
      assert.match(await page.getByRole("status").textContent(), /deadline/);

      await page.keyboard.press("Delete");
      await page.waitForFunction((id) => !window.__e2e.ids().includes(id), id);
      assert.equal(await page.getAttribute("article#document", "data-span-count"), "1");
      assert.match(await page.getByRole("status").textContent(), /removed/);

      await page.reload();
      await page.waitForSelector('.app[data-ready="true"]');
      await page.waitForSelector(`article#document[data-sha256="${articleSha(A001)}"]`);
      assert.deepEqual(await spanIds(page), [keep], "still gone after a reload; the other span stays");
      assert.deepEqual(await labelsOf(page, keep), ["quote"]);
    });
  });

  test("g. nested and overlapping spans all stay visible, clicks cycle through them", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const text = articleText(A001);
      // outer:   described the session as “very useful and constructive,” noting
      // inner:                              very useful
      // overlap:                  session as “very useful and constructive,” noting that both sides
      const outerR = cpRange(text, "described the session as “very useful and constructive,” noting");
      const innerR = cpRange(text, "very useful");
      const overlapR = cpRange(text, "session as “very useful and constructive,” noting that both sides");
      assert.ok(outerR.start < innerR.start && innerR.end < outerR.end);
      assert.ok(outerR.start < overlapR.start && overlapR.start < innerR.start && overlapR.end > outerR.end);
      const outer = await tagWithKey(page, outerR, "1");
      const inner = await tagWithKey(page, innerR, "2");
      const overlap = await tagWithKey(page, overlapR, "3");
      const expected = { [outer]: ["claim", outerR], [inner]: ["quote", innerR], [overlap]: ["deadline", overlapR] };

      assert.deepEqual((await spanIds(page)).sort(), [outer, inner, overlap].sort());
      for (const [id, [label, r]] of Object.entries(expected)) {
        assert.equal(await markText(page, id), [...text].slice(r.start, r.end).join(""), `text of ${label}`);
        const badge = page.locator(`article#document mark.seg.starts[data-spans~="${id}"][data-start="${r.start}"]`);
        assert.equal(await badge.count(), 1, `${label} has a starting segment`);
        assert.match(await badge.getAttribute("data-badge"), new RegExp(`\\b${label}\\b`), `${label} badge`);
      }

      await page.keyboard.press("Escape");
      assert.equal(await selectedId(page), null);
      const nested = page.locator(`article#document mark.seg[data-start="${innerR.start}"]`);
      const stack = (await nested.getAttribute("data-spans")).split(" ");
      assert.equal(stack.length, 3, "three spans cover the nested segment");
      assert.equal(stack[0], inner, "innermost first");
      assert.deepEqual([...stack].sort(), [outer, inner, overlap].sort());
      const seen = [];
      for (let i = 0; i < 4; i++) {
        await nested.click();
        await page
          .waitForFunction((want) => window.__e2e.selectedId() === want, stack[i % 3], { timeout: 2000 })
          .catch(() => {});
        seen.push(await selectedId(page));
      }
      assert.deepEqual(seen, [stack[0], stack[1], stack[2], stack[0]], "clicks cycle innermost → outward → wrap");
    });
  });

  test("h. text from a file is text: markup, emoji and combining marks shown literally", async () => {
    const fixture = hostileFixture();
    const fdoc = fixture.documents[0];
    await withPage({}, async (page) => {
      await gotoApp(page, `?load=${encodeURIComponent(`${server.url}/hostile.json`)}`);
      await page.waitForSelector(`article#document[data-sha256="${fdoc.sha256}"]`);
      const article = page.locator("article#document");
      const content = await article.textContent();
      for (const literal of HOSTILE_LITERALS) assert.ok(content.includes(literal), `shows ${JSON.stringify(literal)}`);
      assert.ok(!content.includes("café"), "no Unicode normalisation (NFC would join e + U+0301)");
      const blocks = await article.locator("div.block").evaluateAll((bs) => bs.map((b) => b.textContent));
      assert.deepEqual(blocks, fdoc.text.split("\n"), "every line exactly as in the file");
      assert.equal(await article.locator("img, script, iframe, object, svg").count(), 0, "no elements from the text");
      assert.equal(await page.locator("img").count(), 0);
      assert.equal(await page.evaluate(() => window.__xss ?? null), null);
      assert.equal(await page.getAttribute("article#document", "data-span-count"), String(fdoc.annotations.length));
      for (const a of fdoc.annotations) {
        assert.equal(await markText(page, a.id), a.text, `span ${a.id} painted over its text`);
        const first = await page.evaluate((id) => window.__e2e.marksOf(id)[0].dataset.start, a.id);
        assert.equal(first, String(a.start), `span ${a.id} starts at code point ${a.start}`);
      }
      // A new span after the emoji, and the export's offsets in both units.
      const phrase = "went to the";
      const r = cpRange(fdoc.text, phrase);
      const id = await tagWithKey(page, r, "1");
      assert.equal(await markText(page, id), phrase);
      const { json } = await exportJson(page, "Export document JSON");
      const out = json.documents[0];
      assert.equal(out.text, fdoc.text);
      assert.equal(out.sha256, fdoc.sha256);
      assert.equal(out.length, fdoc.length);
      for (const a of out.annotations) checkAnnotationOffsets(out.text, a);
      const mine = out.annotations.find((a) => a.id === id);
      assert.deepEqual([mine.start, mine.end], [r.start, r.end]);
      assert.ok(mine.utf16_start > mine.start, "UTF-16 offsets differ after the emoji, and are still right");
      // Wait a moment for any handler that would fire late.
      await page.waitForTimeout(200);
      assert.deepEqual(page.problems.dialogs, [], "no alert() ran");
    });
  });

  test("i. when storage refuses to save, work goes on, the user is told, export works", async () => {
    const failingStorage = () => {
      Storage.prototype.setItem = function setItem() {
        throw new DOMException("The quota has been exceeded.", "QuotaExceededError");
      };
    };
    await withPage({ initScripts: [failingStorage] }, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const text = articleText(A001);
      const phrase = "Ushakov said";
      const id = await tagWithKey(page, cpRange(text, phrase), "1");
      assert.equal(await markText(page, id), phrase, "the span is painted");
      const notice = page.locator('[role="alert"].storage-error');
      await notice.waitFor({ state: "visible" });
      assert.match(await notice.textContent(), /storage/i);
      const { json } = await exportJson(page, "Export everything now", notice);
      const doc = json.documents.find((d) => d.name === A001);
      assert.deepEqual(doc.annotations.map((a) => [a.id, a.label, a.text]), [[id, "claim", phrase]]);
      assert.equal(await page.evaluate(() => localStorage.length), 0, "nothing was stored");
    });
  });

  test("j. reloading with the same ?load= keeps the edits made since (storage wins over the file)", async () => {
    const fdoc = hostileFixture().documents[0];
    const query = `?load=${encodeURIComponent(`${server.url}/hostile.json`)}`;
    await withPage({}, async (page) => {
      await gotoApp(page, query);
      await page.waitForSelector(`article#document[data-sha256="${fdoc.sha256}"]`);
      await page.locator('article#document mark.seg[data-spans~="h-cafe"]').first().click();
      assert.equal(await selectedId(page), "h-cafe");
      await page.keyboard.press("Delete");
      await page.waitForFunction(() => !window.__e2e.ids().includes("h-cafe"));
      await page.reload();
      await page.waitForSelector('.app[data-ready="true"]');
      await page.waitForSelector(`article#document[data-sha256="${fdoc.sha256}"]`);
      const left = fdoc.annotations.map((a) => a.id).filter((id) => id !== "h-cafe");
      assert.deepEqual((await spanIds(page)).sort(), left.sort(), "the deleted span stays deleted");
      assert.equal(await page.locator('nav[aria-label="Documents"] button.document').count(), 6);
    });
  });

  test("k. keyboard commands take the key (preventDefault works) without console errors", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      // A bubble-phase listener on window runs after the app's on document.
      await page.evaluate(() => {
        window.__keys = [];
        window.addEventListener("keydown", (e) => window.__keys.push([e.key, e.defaultPrevented]));
      });
      await tagWithKey(page, cpRange(articleText(A001), "Yuri Ushakov"), "1");
      await page.keyboard.press("Delete");
      await page.waitForFunction(() => document.querySelector("article#document").dataset.spanCount === "0");
      assert.deepEqual(
        await page.evaluate(() => window.__keys),
        [["1", true], ["Delete", true]],
        "the app's key commands prevent the browser's default action",
      );
    });
  });
  test("l. a damaged stored record is reported and kept aside, never overwritten or lost", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      const key = `marginalia/v1/annotations/${articleSha(A001)}`;
      const damaged = '{"version":1,"name":"001","annotations":[{"id":"x","label":"cl';
      await page.evaluate(([k, v]) => localStorage.setItem(k, v), [key, damaged]);
      await page.reload();
      await page.waitForSelector('.app[data-ready="true"]');
      const notice = page.locator('[role="alert"].problem');
      await notice.first().waitFor({ state: "visible" });
      const message = await notice.first().textContent();
      assert.match(message, new RegExp(A001.replace(".", "\\.")), "the message names the document");
      assert.match(message, /damaged/, "the message says what is wrong");
      const kept = await page.evaluate(() =>
        Object.keys(localStorage)
          .filter((k) => k.startsWith("marginalia/v1/unreadable/"))
          .map((k) => [k, localStorage.getItem(k)]),
      );
      assert.equal(kept.length, 1, "one record kept aside");
      assert.ok(kept[0][0].endsWith(key), `kept under a key naming the original: ${kept[0][0]}`);
      assert.equal(kept[0][1], damaged, "kept byte for byte");
      // Working on the document writes a fresh record; the kept copy stays.
      await openDocument(page, A001);
      const id = await tagWithKey(page, cpRange(articleText(A001), "Ushakov said."), "2");
      await page.waitForFunction(
        ([k, id]) => (localStorage.getItem(k) ?? "").includes(id),
        [key, id],
      );
      assert.equal(await page.evaluate((k) => localStorage.getItem(k), kept[0][0]), damaged);
    });
  });

  test("m. two tabs never overwrite each other: each takes what the other saves", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const other = await page.context().newPage();
      try {
        await gotoApp(other);
        await openDocument(other, A001);
        const text = articleText(A001);
        const first = await tagWithKey(page, cpRange(text, "Ushakov said."), "1");
        await other.waitForFunction((id) => window.__e2e.ids().includes(id), first);
        const second = await tagWithKey(other, cpRange(text, "Kremlin aide, Yuri Ushakov"), "2");
        await page.waitForFunction((id) => window.__e2e.ids().includes(id), second);
        assert.deepEqual((await spanIds(page)).sort(), [first, second].sort());
        await page.reload();
        await page.waitForSelector('.app[data-ready="true"]');
        await openDocument(page, A001);
        assert.deepEqual((await spanIds(page)).sort(), [first, second].sort(), "both survive a reload");
      } finally {
        await other.close();
      }
    });
  });

  test("n. Backspace and the Delete button remove the selected span too", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const text = articleText(A001);
      const first = await tagWithKey(page, cpRange(text, "Yuri Ushakov"), "1");
      const second = await tagWithKey(page, cpRange(text, "Ushakov said."), "2");
      const deleteButton = page.getByRole("button", { name: "Delete", exact: true });

      assert.equal(await selectedId(page), second, "a new span is selected");
      await page.keyboard.press("Backspace");
      await page.waitForFunction((id) => !window.__e2e.ids().includes(id), second);
      assert.equal(await eventually(() => deleteButton.isDisabled(), true), true, "nothing selected: Delete is disabled");

      await page.locator(`article#document mark.seg[data-spans~="${first}"]`).first().click();
      assert.equal(await selectedId(page), first);
      await deleteButton.click();
      await page.waitForFunction((id) => !window.__e2e.ids().includes(id), first);
      assert.equal(await page.getAttribute("article#document", "data-span-count"), "0");
    });
  });
});

// ---------------------------------------------------------------------------
// The hostile fixture: markup, a ZWJ emoji sequence, a combining accent, and
// annotations whose offsets differ between code points and UTF-16.

const HOSTILE_LITERALS = [
  "<script>alert(1)</script>",
  "<img src=x onerror=alert(1)>",
  "👩‍👩‍👧",
  "cafe\u0301",
  "&amp; &lt;b&gt;",
];

function hostileFixture() {
  const text = [
    "A hostile document",
    "Markup stays text: <script>alert(1)</script> and <img src=x onerror=alert(1)> and &amp; &lt;b&gt; too.",
    "The family 👩‍👩‍👧 went to the cafe\u0301 and said “hello” 🙂.",
    "",
    "Last line after an empty one.",
  ].join("\n");
  const ann = (id, label, phrase) => {
    const at = text.indexOf(phrase);
    const start = [...text.slice(0, at)].length;
    const end = start + [...phrase].length;
    return {
      id,
      label,
      start,
      end,
      text: phrase,
      utf16_start: at,
      utf16_end: at + phrase.length,
      created_at: "2025-01-01T00:00:00Z",
    };
  };
  const annotations = [
    ann("h-img", "quote", "<img src=x onerror=alert(1)>"),
    ann("h-family", "claim", "👩‍👩‍👧"),
    ann("h-cafe", "claim", "cafe\u0301"),
    ann("h-hello", "quote", "“hello” 🙂"),
  ].sort((a, b) => a.start - b.start || a.end - b.end);
  return nativeFile("hostile.txt", text, annotations, "2025-01-01T00:00:00Z");
}
