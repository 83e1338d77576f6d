// End-to-end tests of the label set and the document list in the built app
// (dist/): adding, renaming, recolouring, rebinding and removing labels in
// the label manager (and undoing), marking, renaming and removing documents.
// Every change must reach the export and survive a reload. Like the other
// files, each test also checks that nothing went wrong on the side.
//
// Run: cd tests/e2e && node --test labels.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { ARTICLES, DIST, checkDist, launchBrowser, openPage } from "./harness.mjs";
import { startServer } from "./server.mjs";

const ARTICLE_NAMES = JSON.parse(readFileSync(join(ARTICLES, "index.json"), "utf8"));
const A001 = "001_3206adba1834ceb5.txt";
const A002 = "002_c0478a2ad0b40c32.txt";
const A003 = "003_be5fcf9d23bd2b02.txt";
const articleText = (name) => readFileSync(join(ARTICLES, name), "utf8");
const articleSha = (name) => createHash("sha256").update(readFileSync(join(ARTICLES, name))).digest("hex");

/** Code point range of the first occurrence of `phrase` in `text`. */
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

async function withPage(body, options = {}) {
  const { context, page } = await openPage(browser, server.url, options);
  context.setDefaultTimeout(10_000);
  try {
    await body(page);
    const p = page.problems;
    assert.deepEqual(p.pageErrors, [], "uncaught exceptions in the page");
    assert.deepEqual(p.consoleErrors, [], "console errors");
    assert.deepEqual(await page.cspViolations(), [], "CSP violations");
    assert.deepEqual(p.foreignRequests, [], "requests that left the local server");
    assert.deepEqual(p.dialogs, [], "browser dialogs (the app asks in its own)");
  } finally {
    await context.close();
  }
}

async function gotoApp(page) {
  await page.goto(`${server.url}/`);
  await page.waitForSelector('.app[data-ready="true"]');
  await page.waitForSelector("article#document[data-sha256]");
}

async function reload(page) {
  await page.reload();
  await page.waitForSelector('.app[data-ready="true"]');
  await page.waitForSelector("article#document[data-sha256]");
}

const rowOf = (page, name) => page.locator("nav[aria-label=Documents] li.document-row").filter({ hasText: name });
const rowNames = (page) => page.locator("nav[aria-label=Documents] .file-name").allTextContents();

async function openDocument(page, name) {
  await rowOf(page, name).locator("button.document").click();
  await page.waitForSelector(`article#document[data-sha256="${articleSha(name)}"]`);
}

const spanIds = (page) => page.evaluate(() => window.__e2e.ids());
/** The label of each painted span, by id. */
const labelsById = (page) =>
  page.evaluate(() => {
    const out = {};
    for (const mark of document.querySelectorAll("article#document mark.seg[data-spans]")) {
      const ids = mark.dataset.spans.split(" ");
      const labels = mark.dataset.labels.split(" ");
      ids.forEach((id, i) => (out[id] = labels[i]));
    }
    return out;
  });

/** Selects `phrase` of the open document `name` and presses `key`; the new span's id. */
async function tag(page, name, phrase, key) {
  const { start, end } = cpRange(articleText(name), phrase);
  const before = await spanIds(page);
  await page.evaluate(([s, e]) => window.__e2e.select(s, e), [start, end]);
  await page.keyboard.press(key);
  const handle = await page.waitForFunction((before) => window.__e2e.ids().find((id) => !before.includes(id)), before);
  return handle.jsonValue();
}

/** The whole corpus as Export JSON downloads it. */
async function exportCorpus(page) {
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    page.getByRole("button", { name: "Export JSON", exact: true }).click(),
  ]);
  return JSON.parse(readFileSync(await download.path(), "utf8"));
}
const exportedDoc = (file, name) => file.documents.find((d) => d.sha256 === articleSha(name));

const manager = (page) => page.getByRole("dialog", { name: "Labels" });
const labelRow = (page, name) => manager(page).locator(`li.label-row[data-label="${name}"]`);

async function openManager(page) {
  await page.getByRole("button", { name: "Labels…" }).click();
  await manager(page).waitFor();
}

async function closeDialog(page) {
  await page.keyboard.press("Escape");
  await page.waitForSelector("dialog.modal", { state: "detached" });
}

const announcement = (page) => page.getByRole("status").textContent();

describe("labels", () => {
  test("add a label with key 4, tag with it; exported with its span; survives a reload", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      // The shortcut opens the manager too.
      await page.keyboard.press("l");
      await manager(page).waitFor();
      const form = manager(page).locator("form.add-label");
      assert.equal(await form.locator(".new-label-key").inputValue(), "4", "the next free digit");
      assert.equal(await form.locator(".new-label-color").inputValue(), "#e69f00", "the next unused Okabe–Ito colour");
      await form.getByLabel("Name").fill("source");
      await form.getByLabel("Name").press("Enter");
      await labelRow(page, "source").waitFor();
      assert.equal(await labelRow(page, "source").locator(".label-key").inputValue(), "4");
      assert.equal(await labelRow(page, "source").locator(".label-usage").textContent(), "unused");
      assert.equal(await form.getByLabel("Name").inputValue(), "", "the form is ready for the next label");
      assert.equal(await form.locator(".new-label-key").inputValue(), "5");
      assert.equal(await announcement(page), "Label ‘source’ added, on key 4");
      // The same name again (ignoring case) is refused beside the form.
      await form.getByLabel("Name").fill("Source");
      await form.getByRole("button", { name: "Add label" }).click();
      assert.match(await form.locator(".field-error").textContent(), /already exists/);
      assert.equal(await manager(page).locator("li.label-row").count(), 4);
      await closeDialog(page);

      assert.ok(await page.getByRole("button", { name: "Source", exact: true }).isVisible(), "a toolbar button");
      const id = await tag(page, A001, "Steve Witkoff", "4");
      assert.equal((await labelsById(page))[id], "source");
      const swatch = await page.evaluate(
        () => getComputedStyle(document.querySelector("article#document mark.seg.l3")).borderBottomColor,
      );
      assert.equal(swatch, "rgb(230, 159, 0)", "painted in its own colour");

      const file = await exportCorpus(page);
      assert.deepEqual(file.labels.at(-1), { name: "source", color: "#e69f00", key: "4" });
      const a = exportedDoc(file, A001).annotations.find((x) => x.id === id);
      assert.equal(a.label, "source");
      assert.equal(a.text, "Steve Witkoff");

      await reload(page);
      await openDocument(page, A001);
      assert.equal((await labelsById(page))[id], "source");
      await openManager(page);
      assert.equal(await labelRow(page, "source").locator(".label-usage").textContent(), "1 span in 1 doc");
    });
  });

  test("rename updates the spans in every document; recolour; both survive a reload", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const id1 = await tag(page, A001, "Yuri Ushakov", "1");
      await openDocument(page, A002);
      const id2 = await tag(page, A002, "Dmitry Peskov", "1");
      await openManager(page);
      assert.equal(await labelRow(page, "claim").locator(".label-usage").textContent(), "2 spans in 2 docs");

      // A name another label has (ignoring case) is refused inline; nothing changes.
      const name = labelRow(page, "claim").getByLabel("Name of label claim");
      await name.fill("Quote");
      await name.press("Enter");
      assert.match(await labelRow(page, "claim").locator(".field-error").textContent(), /A label named "quote" already exists/);
      assert.equal(await name.getAttribute("aria-invalid"), "true");

      await name.fill("assertion");
      await name.press("Enter");
      await labelRow(page, "assertion").waitFor();
      assert.equal(await labelRow(page, "assertion").locator(".field-error").count(), 0, "the message is gone");
      assert.equal(await page.evaluate(() => document.activeElement.className), "label-name", "focus stays in the field");
      assert.equal((await labelsById(page))[id2], "assertion", "the open document's span is renamed");

      await labelRow(page, "assertion").locator('input[type="color"]').fill("#cc79a7");
      await page.waitForFunction(
        () => document.documentElement.style.getPropertyValue("--label-0") === "#cc79a7",
      );
      const border = await page.evaluate(
        (id) => getComputedStyle(window.__e2e.marksOf(id)[0]).borderBottomColor,
        id2,
      );
      assert.equal(border, "rgb(204, 121, 167)", "spans take the new colour");
      await closeDialog(page);

      const file = await exportCorpus(page);
      assert.deepEqual(file.labels[0], { name: "assertion", color: "#cc79a7", key: "1" });
      assert.equal(exportedDoc(file, A001).annotations.find((a) => a.id === id1).label, "assertion");
      assert.equal(exportedDoc(file, A002).annotations.find((a) => a.id === id2).label, "assertion");
      assert.ok(!JSON.stringify(file).includes('"claim"'), "no trace of the old name");

      await reload(page);
      await openDocument(page, A001);
      assert.equal((await labelsById(page))[id1], "assertion");
      assert.ok(await page.getByRole("button", { name: "Assertion", exact: true }).isVisible());
      assert.equal(
        await page.evaluate(() => document.documentElement.style.getPropertyValue("--label-0")),
        "#cc79a7",
      );
    });
  });

  test("a reserved or taken key is refused with a message; a free key rebinds", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      await openManager(page);
      const row = labelRow(page, "quote");
      const key = row.getByLabel("Key for label quote");
      await key.fill("c");
      const error = row.locator(".field-error");
      assert.match(await error.textContent(), /‘c’ is a shortcut \(“Cycle through the spans under the caret”\)/);
      assert.equal(await key.getAttribute("aria-invalid"), "true");
      await key.fill("1");
      assert.match(await error.textContent(), /already applies the label "claim"/);
      await key.fill("9");
      await page.waitForFunction(() =>
        [...document.querySelectorAll(".toolbar .label-button")].some((b) => b.getAttribute("aria-keyshortcuts") === "9"),
      );
      assert.equal(await row.locator(".field-error").count(), 0);
      assert.equal(await announcement(page), "Label ‘quote’ is now on key 9");
      await closeDialog(page);

      const id = await tag(page, A001, "Yuri Ushakov", "9");
      assert.equal((await labelsById(page))[id], "quote");
      const file = await exportCorpus(page);
      assert.deepEqual(
        file.labels.map((l) => [l.name, l.key]),
        [["claim", "1"], ["quote", "9"], ["deadline", "3"]],
      );
      await reload(page);
      await openManager(page);
      assert.equal(await labelRow(page, "quote").getByLabel("Key for label quote").inputValue(), "9");
    });
  });

  test("removing a used label asks first; Ctrl+Z brings back the label and its spans", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      await openDocument(page, A002);
      const other = await tag(page, A002, "Dmitry Peskov", "1");
      await openDocument(page, A001);
      const ids = [await tag(page, A001, "Yuri Ushakov", "1"), await tag(page, A001, "Steve Witkoff", "1")];
      const quote = await tag(page, A001, "Kirill Dmitriev", "2");
      await openManager(page);

      // An unused label goes at once.
      await labelRow(page, "deadline").getByRole("button", { name: "Remove label deadline" }).click();
      await labelRow(page, "deadline").waitFor({ state: "detached" });

      await labelRow(page, "claim").getByRole("button", { name: "Remove label claim" }).click();
      const ask = labelRow(page, "claim").locator(".confirm-inline");
      assert.equal(
        await ask.locator("p").textContent(),
        "Remove ‘claim’ and its 3 spans in 2 documents? You can undo this.",
      );
      assert.equal(await page.evaluate(() => document.activeElement.textContent), "Cancel", "Cancel has the focus");
      await ask.getByRole("button", { name: "Cancel" }).click();
      assert.equal(await ask.count(), 0);
      assert.deepEqual((await spanIds(page)).sort(), [...ids, quote].sort(), "Cancel removes nothing");

      await labelRow(page, "claim").getByRole("button", { name: "Remove label claim" }).click();
      await ask.getByRole("button", { name: "Remove label and spans" }).click();
      await labelRow(page, "claim").waitFor({ state: "detached" });
      assert.deepEqual(await spanIds(page), [quote], "the claim spans are gone");
      assert.equal(await announcement(page), "Label ‘claim’ removed with 3 spans in 2 documents. Ctrl+Z brings them back");
      assert.equal(await page.locator(".toolbar .label-button").count(), 1);

      // Ctrl+Z inside the dialog is the store's undo.
      await page.keyboard.press("Control+z");
      await labelRow(page, "claim").waitFor();
      assert.equal(await announcement(page), "Undid: remove label claim");
      assert.deepEqual((await spanIds(page)).sort(), [...ids, quote].sort(), "the spans are back, same ids");
      assert.equal(await manager(page).locator("li.label-row").first().getAttribute("data-label"), "claim", "in its place");
      await closeDialog(page);

      // And outside it: the unused label comes back too.
      await page.keyboard.press("Control+z");
      await page.getByRole("button", { name: "Deadline", exact: true }).waitFor();
      const file = await exportCorpus(page);
      assert.deepEqual(file.labels.map((l) => l.name), ["claim", "quote", "deadline"]);
      assert.deepEqual(exportedDoc(file, A002).annotations.map((a) => [a.id, a.label]), [[other, "claim"]]);

      await reload(page);
      await openDocument(page, A001);
      const labels = await labelsById(page);
      assert.deepEqual([labels[ids[0]], labels[ids[1]], labels[quote]], ["claim", "claim", "quote"]);
    });
  });

  test("twelve labels each get a colour of their own", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      await openDocument(page, A003);
      await openManager(page);
      const form = manager(page).locator("form.add-label");
      const keys = ["4", "5", "6", "7", "8", "9", "0", "q", "w"];
      for (const [i, key] of keys.entries()) {
        await form.getByLabel("Name").fill(`extra${i}`);
        await form.locator(".new-label-key").fill(key);
        await form.locator(".new-label-color").fill(`#${(0x102030 + i * 0x0a0b0c).toString(16)}`);
        await form.getByRole("button", { name: "Add label" }).click();
        await labelRow(page, `extra${i}`).waitFor();
      }
      await closeDialog(page);
      assert.equal(await page.locator(".toolbar .label-button").count(), 12);
      const id = await tag(page, A003, "Kirill Dmitriev", "w");
      assert.equal((await labelsById(page))[id], "extra8");
      const colour = await page.evaluate((id) => getComputedStyle(window.__e2e.marksOf(id)[0]).borderBottomColor, id);
      const want = 0x102030 + 8 * 0x0a0b0c;
      assert.equal(colour, `rgb(${want >> 16}, ${(want >> 8) & 255}, ${want & 255})`);
      // The toolbar wraps instead of overflowing the page.
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      assert.ok(overflow <= 0, `no sideways scrolling (${overflow}px)`);
    });
  });
});

describe("documents", () => {
  test("a document marked done shows it in words, survives a reload and is exported as status", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      const row = rowOf(page, A002);
      const select = row.getByLabel(`Status of ${A002}`);
      assert.equal(await select.inputValue(), "not_started");
      await select.selectOption("done");
      await page.waitForFunction(
        (sha) => document.querySelector(`button.document[data-sha256="${sha}"]`).closest("li").dataset.status === "done",
        articleSha(A002),
      );
      const shown = () => select.evaluate((s) => s.selectedOptions[0].textContent.trim());
      assert.equal(await shown(), "Done", "the status is written out");
      assert.equal(await page.locator(".documents .progress").textContent(), `1 of ${ARTICLE_NAMES.length} done`);
      assert.equal(await announcement(page), `‘${A002}’ marked done`);
      // `m` steps the open document's status.
      await openDocument(page, A001);
      await page.keyboard.press("m");
      await page.waitForFunction(() => document.querySelector("li.document-row.current").dataset.status === "in_progress");

      await reload(page);
      assert.equal(await shown(), "Done");
      assert.equal(await rowOf(page, A001).getByLabel(`Status of ${A001}`).inputValue(), "in_progress");
      const file = await exportCorpus(page);
      assert.equal(exportedDoc(file, A002).status, "done");
      assert.equal(exportedDoc(file, A001).status, "in_progress");
      assert.equal(exportedDoc(file, A003).status, "not_started");
    });
  });

  test("rename a document: Enter saves, a blank name is refused inline, the name survives a reload", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      await rowOf(page, A002).getByRole("button", { name: `Rename ${A002}` }).click();
      const dialog = page.getByRole("dialog", { name: "Rename document" });
      const input = dialog.getByLabel("Name");
      assert.equal(await input.inputValue(), A002, "prefilled");
      assert.equal(await page.evaluate(() => document.activeElement.id), "rename-name", "the field has the focus");
      await input.fill("   ");
      await input.press("Enter");
      assert.match(await dialog.locator(".field-error").textContent(), /cannot be a document name: expected a name on one line, not empty/);
      await input.fill("  Witkoff meets Putin.txt ");
      await input.press("Enter");
      await dialog.waitFor({ state: "detached" });
      const names = await rowNames(page);
      assert.equal(names[ARTICLE_NAMES.indexOf(A002)], "Witkoff meets Putin.txt", "trimmed, in its place");
      assert.equal(await announcement(page), `‘${A002}’ renamed to ‘Witkoff meets Putin.txt’`);

      await reload(page);
      assert.equal((await rowNames(page))[ARTICLE_NAMES.indexOf(A002)], "Witkoff meets Putin.txt");
      const file = await exportCorpus(page);
      assert.equal(exportedDoc(file, A002).name, "Witkoff meets Putin.txt");
    });
  });

  test("removing a document with spans asks first, Ctrl+Z brings it back; removals persist", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      await openDocument(page, A001);
      const ids = [await tag(page, A001, "Yuri Ushakov", "1"), await tag(page, A001, "Steve Witkoff", "2")];
      await page.keyboard.press("Escape");

      await rowOf(page, A001).getByRole("button", { name: `Remove ${A001}` }).click();
      const dialog = page.getByRole("dialog", { name: "Remove document?" });
      assert.equal(
        await dialog.locator(".question").textContent(),
        `Remove ‘${A001}’ and its 2 spans from the corpus? Undo (Ctrl+Z) brings it back.`,
      );
      assert.equal(await page.evaluate(() => document.activeElement.textContent), "Cancel", "a stray Enter removes nothing");
      await dialog.getByRole("button", { name: "Cancel" }).click();
      await dialog.waitFor({ state: "detached" });
      assert.equal((await rowNames(page)).length, ARTICLE_NAMES.length);

      // Shift+Delete asks about the open document too.
      await page.keyboard.press("Shift+Delete");
      await dialog.getByRole("button", { name: "Remove", exact: true }).click();
      await dialog.waitFor({ state: "detached" });
      assert.ok(!(await rowNames(page)).includes(A001), "gone from the list");
      const open = await page.getAttribute("article#document", "data-sha256");
      assert.notEqual(open, articleSha(A001), "another document is open");
      assert.match(await announcement(page), new RegExp(`‘${A001}’ removed from the corpus with 2 spans`));

      await page.keyboard.press("Control+z");
      await page.waitForSelector(`article#document[data-sha256="${articleSha(A001)}"]`);
      assert.deepEqual(await rowNames(page), ARTICLE_NAMES, "back in its place");
      assert.deepEqual((await spanIds(page)).sort(), [...ids].sort(), "with its spans");

      // A document without spans goes at once.
      await rowOf(page, A003).getByRole("button", { name: `Remove ${A003}` }).click();
      await rowOf(page, A003).waitFor({ state: "detached" });
      assert.equal(await page.locator("dialog.modal").count(), 0, "nothing asked");

      await reload(page);
      assert.deepEqual(await rowNames(page), ARTICLE_NAMES.filter((n) => n !== A003), "the removal persists");
      await openDocument(page, A001);
      assert.deepEqual((await spanIds(page)).sort(), [...ids].sort());
    });
  });

  test("removing every document leaves a clear empty state", async () => {
    await withPage(async (page) => {
      await gotoApp(page);
      for (const name of ARTICLE_NAMES) {
        await rowOf(page, name).getByRole("button", { name: `Remove ${name}` }).click();
        await rowOf(page, name).waitFor({ state: "detached" });
      }
      await page.waitForSelector("article#document", { state: "detached" });
      assert.match(await page.locator(".reader .empty-state").textContent(), /No documents.*Ctrl\+Z/);
      await page.keyboard.press("Control+z");
      await page.waitForSelector(`article#document[data-sha256="${articleSha(ARTICLE_NAMES.at(-1))}"]`);
    });
  });
});
