// End to end: bringing texts in and moving annotations out and back
// (issue "Bring your own texts, export datasets, share annotation files").
// A text with emoji, combining marks, CRLF and NBSP is opened through the
// file picker, annotated, exported in every format, and each export is
// imported into a fresh page, which must end with exactly the same spans.
//
// Run: make build && cd tests/e2e && node --test transfer.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";

import { DIST, checkDist, launchBrowser, openPage } from "./harness.mjs";
import { startServer } from "./server.mjs";

const TEXT =
  "Emoji test 👩‍👩‍👧 family and 👍🏽 thumbs.\r\n" +
  "The café’s e\u0301tude costs 5\u00a0€ “today”, said Zoë 🇺🇦.\r\n\r\n" +
  "Deadline: Friday 🗓 at noon.\tTabs\tstay.\n";
const FILE = { name: "emoji notes.txt", mimeType: "text/plain", buffer: Buffer.from(TEXT, "utf8") };
const SHA = createHash("sha256").update(TEXT, "utf8").digest("hex");
// What is tagged, with which key: whole words, so snapping keeps them as they are.
const PHRASES = [
  ["👩‍👩‍👧 family", "1"],
  ["e\u0301tude costs 5\u00a0€", "2"],
  ["“today”", "2"],
  ["Zoë 🇺🇦", "1"],
  ["Friday 🗓 at noon", "3"],
];
const FORMATS = [
  ["Marginalia JSON", true],
  ["JSONL dataset", true],
  ["W3C Web Annotation JSON-LD", false],
  ["brat standoff", true],
  ["Label Studio JSON", true],
  ["CSV", false],
];

function cpRange(text, phrase) {
  const at = text.indexOf(phrase);
  assert.ok(at >= 0, `phrase not found: ${phrase}`);
  const start = [...text.slice(0, at)].length;
  return { start, end: start + [...phrase].length };
}

let browser;
let server;

before(async () => {
  checkDist();
  server = await startServer([DIST]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
});

async function withPage(body) {
  const { context, page } = await openPage(browser, server.url);
  context.setDefaultTimeout(15_000);
  try {
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.app[data-ready="true"]');
    await body(page, context);
    const p = page.problems;
    assert.deepEqual(p.pageErrors, [], "uncaught exceptions in the page");
    assert.deepEqual(p.consoleErrors, [], "console errors");
    assert.deepEqual(p.foreignRequests, [], "requests that left the local server");
    assert.deepEqual(p.dialogs, [], "browser dialogs");
  } finally {
    await context.close();
  }
}

async function openTexts(page, files) {
  await page.setInputFiles("#open-texts", files);
}

async function openOurText(page) {
  await openTexts(page, FILE);
  await page.waitForSelector(`article#document[data-sha256="${SHA}"][data-rendered="complete"]`);
}

const spanIds = (page) => page.evaluate(() => window.__e2e.ids());

async function tag(page, phrase, key) {
  const { start, end } = cpRange(TEXT, phrase);
  const before = await spanIds(page);
  await page.evaluate(([s, e]) => window.__e2e.select(s, e), [start, end]);
  await page.keyboard.press(key);
  await page.waitForFunction((n) => window.__e2e.ids().length === n, before.length + 1);
}

/** Exports the open document in `format` from the Export dialog; returns [file name, bytes]. */
async function exportAs(page, format, { includeText = true } = {}) {
  await page.getByRole("button", { name: "Export…" }).click();
  const dialog = page.getByRole("dialog", { name: "Export" });
  await dialog.getByRole("radio", { name: new RegExp(`^${format}`) }).check();
  await dialog.getByRole("radio", { name: "The open document" }).check();
  if (format === "Marginalia JSON" && !includeText) {
    await dialog.getByRole("checkbox", { name: /Include the texts/ }).uncheck();
  }
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    dialog.getByRole("button", { name: "Download" }).click(),
  ]);
  return [download.suggestedFilename(), readFileSync(await download.path())];
}

/** The open document's spans as the native export states them. */
async function nativeSpans(page) {
  const [, bytes] = await exportAs(page, "Marginalia JSON");
  const json = JSON.parse(bytes.toString("utf8"));
  assert.equal(json.offset_unit, "codepoint");
  const doc = json.documents.find((d) => d.sha256 === SHA);
  assert.ok(doc, "the document is in the export");
  return doc.annotations.map((a) => ({ id: a.id, label: a.label, start: a.start, end: a.end, text: a.text }));
}

async function importFile(page, name, bytes) {
  await page.getByRole("button", { name: "Import…" }).click();
  const dialog = page.getByRole("dialog", { name: "Import annotations" });
  await page.setInputFiles("#import-files", { name, mimeType: "application/octet-stream", buffer: bytes });
  await dialog.locator(".import-report .summary").waitFor();
  const summary = await dialog.locator(".import-report .summary").textContent();
  await dialog.getByRole("button", { name: "Import", exact: true }).click();
  await dialog.getByText("Imported.").waitFor();
  await dialog.getByRole("button", { name: "Close", exact: true }).first().click();
  return summary;
}

describe("Bring your own texts, export, share", () => {
  test("a text with emoji opened by the file picker is annotated, exported in every format, and each export imports back into a fresh page exactly", async () => {
    let original;
    const exports = [];
    await withPage(async (page) => {
      await openOurText(page);
      const button = page.locator('nav[aria-label="Documents"] button.document').filter({ hasText: FILE.name });
      assert.equal(await button.count(), 1, "listed beside the bundled articles");
      for (const [phrase, key] of PHRASES) await tag(page, phrase, key);
      original = await nativeSpans(page);
      assert.equal(original.length, PHRASES.length);
      for (const a of original) {
        assert.equal([...TEXT].slice(a.start, a.end).join(""), a.text, `code point slice of ${a.text}`);
      }
      assert.deepEqual(original.map((a) => a.text).sort(), PHRASES.map(([p]) => p).sort());
      for (const [format] of FORMATS) {
        const [name, bytes] = await exportAs(page, format);
        assert.match(name, new RegExp(`^marginalia-emoji_notes-\\d{4}-\\d{2}-\\d{2}`), name);
        exports.push([format, name, bytes]);
      }
      // The text itself is kept in the browser: a reload brings it back with its spans.
      await page.reload();
      await page.waitForSelector('.app[data-ready="true"]');
      await page.locator('nav[aria-label="Documents"] button.document').filter({ hasText: FILE.name }).click();
      await page.waitForSelector(`article#document[data-sha256="${SHA}"]`);
      assert.deepEqual((await spanIds(page)).sort(), original.map((a) => a.id).sort());
    });

    for (const [format, name, bytes] of exports) {
      const carriesText = FORMATS.find(([f]) => f === format)[1];
      await withPage(async (page) => {
        // Formats without the text need the document first (matched by SHA-256).
        if (!carriesText) await openOurText(page);
        const summary = await importFile(page, name, bytes);
        assert.match(summary, new RegExp(`${PHRASES.length} spans placed exactly`), `${format}: ${summary}`);
        assert.match(summary, /0 orphaned/, `${format}: ${summary}`);
        await page.locator('nav[aria-label="Documents"] button.document').filter({ hasText: "emoji" }).first().click();
        await page.waitForSelector(`article#document[data-sha256="${SHA}"]`);
        const back = await nativeSpans(page);
        const strip = (spans, ids) =>
          spans.map((a) => ({ ...(ids ? { id: a.id } : {}), label: a.label, start: a.start, end: a.end, text: a.text }));
        // brat has no place for span ids; every other format keeps them.
        const ids = format !== "brat standoff";
        assert.deepEqual(strip(back, ids), strip(original, ids), `${format} round trip`);
      });
    }
  });

  test("a broken annotation file changes nothing and says where it is broken", async () => {
    await withPage(async (page) => {
      await page.getByRole("button", { name: "Import…" }).click();
      const dialog = page.getByRole("dialog", { name: "Import annotations" });
      const truncated = Buffer.from('{\n  "format": "marginalia",\n  "version": 1,\n  "documents": [', "utf8");
      await page.setInputFiles("#import-files", { name: "cut.json", mimeType: "application/json", buffer: truncated });
      const alert = dialog.getByRole("alert");
      await alert.waitFor();
      const message = await alert.textContent();
      assert.match(message, /nothing was changed/);
      assert.match(message, /cut\.json/);
      assert.match(message, /line 4/);
      const count = await page.locator('nav[aria-label="Documents"] button.document').count();
      assert.equal(count, 5, "no document was added");
    });
  });

  test("texts: a duplicate is not added twice, a Latin-1 file is refused with its byte position until Windows-1252 is chosen, binary and empty files are refused", async () => {
    await withPage(async (page) => {
      await openOurText(page);
      await openTexts(page, { ...FILE, name: "copy.txt" });
      await page.getByText("copy.txt is already in the corpus as “emoji notes.txt”").waitFor();

      const latin1 = Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x20, 0x93, 0x6f, 0x6b, 0x94, 0x0a]); // Café “ok”
      await openTexts(page, { name: "latin1.txt", mimeType: "text/plain", buffer: latin1 });
      const refusal = page.locator(".notice.encoding");
      await refusal.waitFor();
      assert.match(await refusal.textContent(), /latin1\.txt is not valid UTF-8: the byte at position 3/);
      await refusal.getByRole("button", { name: "Open latin1.txt as Windows-1252" }).click();
      await page.waitForFunction(() => document.querySelector("article#document")?.textContent.includes("Café “ok”"));

      await openTexts(page, [
        { name: "empty.txt", mimeType: "text/plain", buffer: Buffer.alloc(0) },
        { name: "image.txt", mimeType: "text/plain", buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]) },
      ]);
      await page.getByText(/empty\.txt is empty/).waitFor();
      await page.getByText(/image\.txt is not a text file/).waitFor();
    });
  });

  test("pasted text joins the corpus under the given name and survives a reload", async () => {
    await withPage(async (page) => {
      await page.getByRole("button", { name: "Paste text…" }).click();
      const dialog = page.getByRole("dialog", { name: "Paste text" });
      await dialog.getByLabel("Name").fill("Pasted 🧪 note");
      await dialog.getByLabel("Text").fill("A pasted line with <b>markup</b> that stays text 🙂.");
      await dialog.getByRole("button", { name: "Add text" }).click();
      await page.waitForFunction(() => document.querySelector("article#document")?.textContent.includes("<b>markup</b>"));
      assert.equal(await page.locator("article#document b").count(), 0, "markup is shown as text");
      await page.reload();
      await page.waitForSelector('.app[data-ready="true"]');
      await page.locator('nav[aria-label="Documents"] button.document').filter({ hasText: "Pasted 🧪 note" }).waitFor();
    });
  });
});
