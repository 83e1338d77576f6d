// End-to-end tests of the spans panel and span notes in the built app
// (dist/): the panel lists the open document's spans in text order with
// counts per label, filters by label, renders only the rows near its
// viewport yet reaches every span by keyboard; Enter on a row selects the
// span and brings it into view in the text; a selection made in the text
// is followed by the panel. Notes: written with Enter on a selected span,
// shown in the panel, the text and a tooltip on hover and focus, kept over
// a reload, exported as `note`, undone with Ctrl+Z. Then axe-core on the
// panel, the tooltip and the note editor (light, dark, phone), and last the
// layout at a desktop and a phone width, with screenshots in
// target/screenshots/.
// Every test also checks that nothing went wrong on the side (console
// errors, exceptions, CSP violations, foreign requests).
//
// Run: cd tests/e2e && node --test panel.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { DIST, REPO, checkDist, eventually, launchBrowser, nativeFile, openPage } from "./harness.mjs";
import { startServer } from "./server.mjs";

const LABELS = ["claim", "quote", "deadline"];
const SCREENSHOTS = join(REPO, "target", "screenshots");

/**
 * A long article (so both the text and the panel scroll) whose paragraphs
 * hold curly quotes, NBSP, emoji (ZWJ family, flag, skin tone), combining
 * accents and CRLF line ends, and one span per phrase below, labels in turn.
 */
function makeFixture() {
  const paragraphs = [];
  const phrases = [];
  for (let i = 0; i < 120; i++) {
    const n = String(i + 1).padStart(3, "0");
    const a = `Claim ${n}: the Kremlin said 👩‍👩‍👧 talks would resume`;
    const b = `“Quote ${n} from the café 🇺🇦”`;
    const c = `deadline ${n} on 15\u00a0March 👍🏽`;
    paragraphs.push(`${a}, while officials in Kyiv added ${b} and set a ${c}. Cafe\u0301 owners waited.`);
    phrases.push(a, b, c);
  }
  const text = paragraphs.join("\r\n\r\n");
  const annotations = [];
  let from = 0;
  phrases.forEach((phrase, i) => {
    const at = text.indexOf(phrase, from);
    assert.ok(at >= 0, phrase);
    from = at + phrase.length;
    const start = [...text.slice(0, at)].length;
    annotations.push({
      id: `span-${String(i).padStart(3, "0")}`,
      label: LABELS[i % 3],
      start,
      end: start + [...phrase].length,
      text: phrase,
      utf16_start: at,
      utf16_end: at + phrase.length,
      created_at: "2025-01-01T00:00:00.000Z",
    });
  });
  return { text, phrases, annotations, file: nativeFile("panel-fixture.txt", text, annotations) };
}

const FIXTURE = makeFixture();
let browser;
let server;
let dataDir;

before(async () => {
  checkDist();
  dataDir = mkdtempSync(join(tmpdir(), "marginalia-panel-"));
  writeFileSync(join(dataDir, "panel-fixture.json"), JSON.stringify(FIXTURE.file));
  server = await startServer([DIST, dataDir]);
  browser = await launchBrowser();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (dataDir) rmSync(dataDir, { recursive: true, force: true });
});

async function withPage(options, body) {
  const { context, page } = await openPage(browser, server.url, options);
  context.setDefaultTimeout(10_000);
  try {
    await body(page, context);
    const p = page.problems;
    assert.deepEqual(p.pageErrors, [], "uncaught exceptions in the page");
    assert.deepEqual(p.consoleErrors, [], "console errors");
    assert.deepEqual(await page.cspViolations(), [], "CSP violations");
    assert.deepEqual(p.foreignRequests, [], "requests that left the local server");
    assert.deepEqual(p.dialogs, [], "no alert, confirm or prompt");
  } finally {
    await context.close();
  }
}

async function gotoFixture(page) {
  await page.goto(`${server.url}/?load=${encodeURIComponent(`${server.url}/panel-fixture.json`)}`);
  await page.waitForSelector('.app[data-ready="true"]');
  await page.waitForSelector(`article#document[data-span-count="${FIXTURE.annotations.length}"]`);
  await page.waitForSelector("#spans-panel [role=option]", { state: "attached" });
}

/** The rows the panel has rendered: id, label, excerpt, note, selected, position. */
const rows = (page) =>
  page.$$eval("#spans-panel [role=option]", (options) =>
    options.map((o) => ({
      id: o.dataset.spanId,
      label: o.querySelector(".row-label").textContent.trim(),
      excerpt: o.querySelector(".row-excerpt").textContent,
      note: o.querySelector(".row-note")?.textContent.replace(/^Note: /, "") ?? null,
      selected: o.getAttribute("aria-selected") === "true",
      position: Number(o.getAttribute("aria-posinset")),
      size: Number(o.getAttribute("aria-setsize")),
    })),
  );

/** The filter buttons: name, count, pressed. */
const filters = (page) =>
  page.$$eval("#spans-panel .span-filters button", (buttons) =>
    buttons.map((b) => ({
      name: b.querySelector(".filter-name").textContent,
      count: Number(b.querySelector(".count").firstChild.textContent),
      pressed: b.getAttribute("aria-pressed"),
    })),
  );

const selectedId = (page) => page.evaluate(() => window.__e2e.selectedId());
const focused = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return `${el?.tagName}#${el?.id}[${el?.getAttribute("role") ?? ""}]`;
  });

/** Whether the element `selector` finds is wholly inside the rectangle of `within`. */
const whollyInside = (page, selector, within) =>
  page.evaluate(
    ([selector, within]) => {
      const r = document.querySelector(selector)?.getBoundingClientRect();
      const w = document.querySelector(within).getBoundingClientRect();
      const inside = !!r && r.height > 0 && r.top >= w.top - 1 && r.bottom <= w.bottom + 1;
      return inside || JSON.stringify([r, w, document.querySelector(within).scrollTop]);
    },
    [selector, within],
  );

/** The first mark of span `id`, as a selector. */
const markOf = (id) => `article#document mark.seg[data-spans~="${id}"]`;

const display = (label) => label[0].toUpperCase() + label.slice(1);

describe("spans panel", () => {
  test("lists the spans in text order with counts per label, renders only the rows in view, and filters", async () => {
    await withPage({}, async (page) => {
      await gotoFixture(page);
      const all = FIXTURE.annotations;
      // Text order: the first rows are the first spans, and say their label in words.
      const shown = await rows(page);
      assert.ok(shown.length >= 8, `a screenful of rows (${shown.length})`);
      assert.ok(shown.length < 80, `only the rows near the viewport are rendered (${shown.length} of ${all.length})`);
      shown.forEach((row, i) => {
        assert.equal(row.id, all[i].id);
        assert.equal(row.label, display(all[i].label));
        assert.equal(row.excerpt, FIXTURE.phrases[i].replace(/\s+/g, " "), "one line, whitespace (NBSP too) as one space");
        assert.equal(row.position, i + 1);
        assert.equal(row.size, all.length);
      });
      // Counts per label, and All with the total.
      assert.deepEqual(await filters(page), [
        { name: "All", count: 360, pressed: "true" },
        { name: "Claim", count: 120, pressed: "false" },
        { name: "Quote", count: 120, pressed: "false" },
        { name: "Deadline", count: 120, pressed: "false" },
      ]);
      // Scrolling the list to its end renders the last rows.
      await page.$eval("#spans-panel [role=listbox]", (list) => (list.scrollTop = list.scrollHeight));
      await page.waitForFunction((id) => !!document.querySelector(`#spans-panel [data-span-id="${id}"]`), all.at(-1).id);
      const tail = await rows(page);
      assert.equal(tail.at(-1).position, all.length);
      assert.equal(tail.at(-1).excerpt, FIXTURE.phrases.at(-1).replace(/\s+/g, " "));

      // Filter: quotes only.
      await page.locator("#spans-panel .span-filters button", { hasText: "Quote" }).click();
      await page.waitForFunction(() => document.querySelector("#spans-panel [role=option]")?.getAttribute("aria-setsize") === "120");
      const quotes = await rows(page);
      assert.ok(quotes.every((r) => r.label === "Quote"), "only quotes");
      assert.equal(quotes[0].id, all[1].id, "the first quote first");
      assert.deepEqual(
        (await filters(page)).map((f) => f.pressed),
        ["false", "false", "true", "false"],
      );
      assert.equal(await page.textContent("#spans-panel .spans-total"), "120 of 360");
      // And deadlines: both, still in text order.
      await page.locator("#spans-panel .span-filters button", { hasText: "Deadline" }).click();
      await page.waitForFunction(() => document.querySelector("#spans-panel [role=option]")?.getAttribute("aria-setsize") === "240");
      const two = await rows(page);
      assert.deepEqual(two.slice(0, 4).map((r) => r.id), [all[1].id, all[2].id, all[4].id, all[5].id]);
      // All shows everything again.
      await page.locator("#spans-panel .span-filters button", { hasText: "All" }).click();
      await page.waitForFunction(() => document.querySelector("#spans-panel [role=option]")?.getAttribute("aria-setsize") === "360");
      assert.deepEqual((await filters(page)).map((f) => f.pressed), ["true", "false", "false", "false"]);

      // A new span shows up in its place, and counts follow.
      const text = FIXTURE.text;
      const at = text.indexOf("officials in Kyiv");
      const start = [...text.slice(0, at)].length;
      await page.evaluate(([s, e]) => window.__e2e.select(s, e), [start, start + "officials in Kyiv".length]);
      await page.keyboard.press("3");
      await page.waitForFunction(() => document.querySelector("#spans-panel [role=option]")?.getAttribute("aria-setsize") === "361");
      const after = await rows(page);
      const added = after.find((r) => r.excerpt === "officials in Kyiv");
      assert.ok(added, "the new span is listed");
      assert.equal(added.position, 2, "between the first claim and the first quote");
      assert.equal(added.selected, true, "and selected, like in the text");
      assert.equal((await filters(page)).find((f) => f.name === "Deadline").count, 121);
    });
  });

  test("f focuses the panel; arrows and End go through every span; Enter selects it in the text and scrolls it into view", async () => {
    await withPage({}, async (page) => {
      await gotoFixture(page);
      const all = FIXTURE.annotations;
      await page.waitForFunction(() => document.activeElement?.id === "document");
      await page.keyboard.press("f");
      assert.equal(await focused(page), "DIV#[listbox]", "the list has the focus");
      // The first row is active; ArrowDown selects the second span.
      await page.keyboard.press("ArrowDown");
      await page.waitForFunction((id) => window.__e2e.selectedId() === id, all[1].id);
      assert.equal(await focused(page), "DIV#[listbox]", "arrows keep the focus in the list");
      const active = () => page.$eval("#spans-panel [role=listbox]", (l) => document.getElementById(l.getAttribute("aria-activedescendant"))?.dataset.spanId);
      assert.equal(await active(), all[1].id);
      // End: the last span, far down the text.
      await page.keyboard.press("End");
      const last = all.at(-1);
      await page.waitForFunction((id) => window.__e2e.selectedId() === id, last.id);
      assert.equal(await active(), last.id);
      assert.ok(await whollyInside(page, `#spans-panel [data-span-id="${last.id}"]`, "#spans-panel [role=listbox]"), "its row is in view");
      // Up two rows, Enter: that span is selected, in view, and the text has the focus with the caret at its start.
      await page.keyboard.press("ArrowUp");
      await page.keyboard.press("ArrowUp");
      const target = all.at(-3);
      await page.keyboard.press("Enter");
      await page.waitForFunction((id) => window.__e2e.selectedId() === id, target.id);
      assert.equal(await focused(page), "ARTICLE#document[application]", "Enter goes to the text");
      await page.waitForFunction(([sel]) => {
        const r = document.querySelector(sel).getBoundingClientRect();
        const w = document.querySelector("main").getBoundingClientRect();
        return r.top >= w.top && r.bottom <= w.bottom;
      }, [markOf(target.id)]);
      assert.equal(await page.$eval(".caret", (c) => Number(c.dataset.pos)), target.start, "the caret is at the span's start");
      assert.equal(await page.$$eval("dialog[open]", (d) => d.length), 0, "Enter did not also open the note");
      // Enter in the text now opens that span's note; Escape closes it, and the focus comes back.
      await page.keyboard.press("Enter");
      await page.waitForSelector("dialog.note-editor[open]");
      assert.match(await page.textContent("dialog.note-editor .note-span"), /Claim.*Claim 120/);
      await page.keyboard.press("Escape");
      await page.waitForSelector("dialog.note-editor", { state: "detached" });
      await page.waitForFunction(() => document.activeElement?.id === "document");
      // A click on a row selects its span too.
      await page.keyboard.press("f");
      assert.equal(await focused(page), "DIV#[listbox]");
      await page.keyboard.press("Home");
      await page.waitForFunction((id) => window.__e2e.selectedId() === id, all[0].id);
      await page.locator(`#spans-panel [data-span-id="${all[2].id}"]`).click();
      await page.waitForFunction((id) => window.__e2e.selectedId() === id, all[2].id);
    });
  });

  test("a span selected in the text is highlighted in the panel and scrolled into view", async () => {
    await withPage({}, async (page) => {
      await gotoFixture(page);
      const all = FIXTURE.annotations;
      await page.waitForFunction(() => document.activeElement?.id === "document");
      // From the end of the text, Shift+Tab selects the last span.
      await page.keyboard.press("Control+End");
      await page.keyboard.press("Shift+Tab");
      const last = all.at(-1);
      await page.waitForFunction((id) => window.__e2e.selectedId() === id, last.id);
      const row = `#spans-panel [data-span-id="${last.id}"]`;
      await page.waitForSelector(`${row}[aria-selected="true"]`);
      assert.equal(await whollyInside(page, row, "#spans-panel [role=listbox]"), true, "the row is scrolled into view");
      assert.equal(await page.$$eval('#spans-panel [aria-selected="true"]', (r) => r.length), 1, "one row selected");
      // Tab back to the start: the first span's row.
      await page.keyboard.press("Control+Home");
      await page.keyboard.press("Escape");
      await page.keyboard.press("Tab");
      await page.waitForSelector(`#spans-panel [data-span-id="${all[0].id}"][aria-selected="true"]`);
      assert.ok(await whollyInside(page, `#spans-panel [data-span-id="${all[0].id}"]`, "#spans-panel [role=listbox]"));
    });
  });
});

describe("span notes", () => {
  test("a note written with Enter shows in the panel, the text and a tooltip, survives a reload, is exported, and Ctrl+Z takes it back", async () => {
    await withPage({ viewport: { width: 1440, height: 900 } }, async (page) => {
      await gotoFixture(page);
      const all = FIXTURE.annotations;
      const target = all[4]; // the second quote
      const note = "Check the wording against the café’s own statement 👩‍👩‍👧\nSecond line <b>not bold</b>";
      await page.waitForFunction(() => document.activeElement?.id === "document");
      for (let i = 0; i < 5; i++) await page.keyboard.press("Tab");
      await page.waitForFunction((id) => window.__e2e.selectedId() === id, target.id);
      assert.equal(await eventually(() => page.isDisabled(".toolbar button.note"), false), false, "the toolbar's Note button is on");

      await page.keyboard.press("Enter");
      await page.waitForSelector("dialog.note-editor[open]");
      assert.equal(await page.evaluate(() => document.activeElement?.id), "note-text", "the note field has the focus");
      await page.keyboard.type(note);
      await page.keyboard.press("Control+Enter");
      await page.waitForSelector("dialog.note-editor", { state: "detached" });
      await page.waitForFunction(() => document.activeElement?.id === "document", null, { timeout: 2000 });

      // In the panel (one line), in the text (a note mark where the span ends), on focus (the selected span).
      const noteLine = note.replace(/\s+/g, " ");
      await page.waitForFunction(
        ([id, line]) => document.querySelector(`#spans-panel [data-span-id="${id}"] .row-note`)?.textContent === `Note: ${line}`,
        [target.id, noteLine],
      );
      const noted = await page.$$eval("article#document mark.seg[data-note]", (m) => m.map((x) => x.dataset.spans));
      assert.deepEqual(noted, [target.id], "one note mark, on the span's last segment");
      const cut = [...noteLine].length > 60 ? `${[...noteLine].slice(0, 60).join("")}…` : noteLine;
      const statusNote = () => page.textContent(".status-bar .status-note");
      assert.equal(await eventually(statusNote, ` · Note: ${cut}`), ` · Note: ${cut}`, "the status bar has its start");
      const tooltip = page.locator("#note-tooltip");
      await tooltip.waitFor({ state: "visible" });
      assert.equal(await tooltip.getAttribute("role"), "tooltip");
      assert.equal(await tooltip.locator(".tooltip-note").textContent(), note, "the whole note, as text");
      assert.equal(await page.$$eval("#note-tooltip b", (b) => b.length), 0, "never HTML");
      assert.match(await page.getAttribute("article#document", "aria-describedby"), /\bnote-tooltip\b/);
      assert.equal(await page.$eval("article#document", (a) => a.contains(document.getElementById("note-tooltip"))), false, "outside the text");
      // It follows the span when the text scrolls.
      const at = (await tooltip.boundingBox()).y;
      await page.evaluate(() => document.querySelector("main").scrollBy(0, 40));
      await page.waitForFunction((at) => Math.abs(document.getElementById("note-tooltip").getBoundingClientRect().y - (at - 40)) < 2, at);
      // The text and its offsets are untouched: the span's text is still the phrase.
      assert.equal(await page.evaluate((id) => window.__e2e.textOf(id), target.id), FIXTURE.phrases[4]);

      // On hover: deselect, then point at the span.
      await page.keyboard.press("Escape");
      await tooltip.waitFor({ state: "hidden" });
      assert.doesNotMatch((await page.getAttribute("article#document", "aria-describedby")) ?? "", /note-tooltip/);
      await page.hover(markOf(target.id));
      await tooltip.waitFor({ state: "visible" });
      const [markBox, tipBox] = [await page.locator(markOf(target.id)).first().boundingBox(), await tooltip.boundingBox()];
      assert.ok(tipBox.y >= markBox.y + markBox.height || tipBox.y + tipBox.height <= markBox.y, "beside the span, not over it");
      await page.hover(markOf(all[3].id)); // a span without a note
      await tooltip.waitFor({ state: "hidden" });

      // The export carries it as `note`.
      const [download] = await Promise.all([
        page.waitForEvent("download"),
        page.getByRole("button", { name: "Export JSON", exact: true }).click(),
      ]);
      const json = JSON.parse(readFileSync(await download.path(), "utf8"));
      const doc = json.documents.find((d) => d.name === "panel-fixture.txt");
      const exported = doc.annotations.find((a) => a.id === target.id);
      assert.equal(exported.note, note);
      assert.equal(doc.annotations.filter((a) => "note" in a).length, 1, "only that span has a note");

      // Kept over a reload.
      await page.reload();
      await page.waitForSelector(`#spans-panel [data-span-id="${target.id}"] .row-note`);
      assert.equal(await page.textContent(`#spans-panel [data-span-id="${target.id}"] .row-note`), `Note: ${noteLine}`);

      // The toolbar's Note button opens it again, filled in; Escape changes nothing.
      await page.locator(`#spans-panel [data-span-id="${target.id}"]`).click();
      await page.click(".toolbar button.note");
      await page.waitForSelector("dialog.note-editor[open]");
      assert.equal(await page.inputValue("#note-text"), note);
      await page.keyboard.press("Escape");
      await page.waitForSelector("dialog.note-editor", { state: "detached" });
      assert.equal(await page.textContent(`#spans-panel [data-span-id="${target.id}"] .row-note`), `Note: ${noteLine}`);

      // Ctrl+Z takes the note back (it was the last edit before the reload: history does not survive one,
      // so write another note first and undo that).
      await page.click("#spans-panel .span-detail .note-button");
      await page.waitForSelector("dialog.note-editor[open]");
      await page.fill("#note-text", "A second thought");
      await page.click("dialog.note-editor button.primary");
      await page.waitForSelector("dialog.note-editor", { state: "detached" });
      await page.waitForFunction((id) => document.querySelector(`#spans-panel [data-span-id="${id}"] .row-note`)?.textContent === "Note: A second thought", target.id);
      assert.equal(await page.evaluate(() => document.activeElement?.className), "note-button", "the focus is back on the button");
      await page.keyboard.press("Control+z");
      await page.waitForFunction(
        ([id, line]) => document.querySelector(`#spans-panel [data-span-id="${id}"] .row-note`)?.textContent === `Note: ${line}`,
        [target.id, noteLine],
      );
      // Emptying the note removes it; Ctrl+Z brings it back, Ctrl+Shift+Z removes it again.
      await page.click("#spans-panel .span-detail .note-button");
      await page.fill("#note-text", "   ");
      await page.keyboard.press("Control+Enter");
      await page.waitForSelector("dialog.note-editor", { state: "detached" });
      await page.waitForFunction((id) => !document.querySelector(`#spans-panel [data-span-id="${id}"] .row-note`), target.id);
      assert.equal(await page.$$eval("article#document mark.seg[data-note]", (m) => m.length), 0, "no note mark left");
      await page.keyboard.press("Control+z");
      await page.waitForSelector(`#spans-panel [data-span-id="${target.id}"] .row-note`);
      assert.equal(await page.$$eval("article#document mark.seg[data-note]", (m) => m.length), 1);
      await page.keyboard.press("Control+Shift+Z");
      await page.waitForFunction((id) => !document.querySelector(`#spans-panel [data-span-id="${id}"] .row-note`), target.id);
    });
  });

  test("a note written on a fresh span is undone by Ctrl+Z", async () => {
    await withPage({}, async (page) => {
      await gotoFixture(page);
      const all = FIXTURE.annotations;
      await page.locator(`#spans-panel [data-span-id="${all[0].id}"]`).dblclick();
      await page.waitForSelector("dialog.note-editor[open]");
      await page.keyboard.type("Source: Interfax");
      await page.keyboard.press("Control+Enter");
      await page.waitForSelector(`#spans-panel [data-span-id="${all[0].id}"] .row-note`);
      assert.equal(await page.$$eval("article#document mark.seg[data-note]", (m) => m.map((x) => x.dataset.spans)).then((s) => s.join()), all[0].id);
      await page.keyboard.press("Control+z");
      await page.waitForFunction((id) => !document.querySelector(`#spans-panel [data-span-id="${id}"] .row-note`), all[0].id);
      assert.equal(await page.$$eval("article#document mark.seg[data-note]", (m) => m.length), 0);
    });
  });
});

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

/**
 * Serious and critical axe-core violations in what this file tests: the
 * panel, the text (its note marks and description), the tooltip and an
 * open note editor. (The whole page is a11y.test.mjs's.)
 */
async function seriousViolations(page) {
  await page.evaluate(AXE);
  const results = await page.evaluate(() => {
    const parts = ["#spans-panel", "article#document", "#note-tooltip", "dialog.note-editor"];
    const include = parts.filter((s) => document.querySelector(s)).map((s) => [s]);
    return window.axe.run({ include }, { resultTypes: ["violations"] });
  });
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

describe("accessibility (axe-core)", () => {
  for (const [name, options] of [
    ["light, desktop", { colorScheme: "light", viewport: { width: 1440, height: 900 } }],
    ["dark, desktop", { colorScheme: "dark", viewport: { width: 1440, height: 900 } }],
    ["light, phone", { colorScheme: "light", viewport: { width: 390, height: 844 } }],
  ]) {
    test(`the panel with a filter, a noted span selected and its tooltip, and the note editor (${name})`, async () => {
      await withPage({ viewport: options.viewport }, async (page) => {
        await page.emulateMedia({ colorScheme: options.colorScheme });
        await gotoFixture(page);
        await page.waitForFunction(() => document.activeElement?.id === "document");
        await page.keyboard.press("Tab");
        await page.keyboard.press("Enter");
        await page.waitForSelector("dialog.note-editor[open]");
        await page.keyboard.type("Who said it first?");
        assert.deepEqual(await seriousViolations(page), [], "the note editor");
        await page.keyboard.press("Control+Enter");
        await page.waitForSelector("dialog.note-editor", { state: "detached" });
        await page.locator("#note-tooltip").waitFor({ state: "visible" });
        await page.keyboard.press("f");
        await page.keyboard.press("ArrowDown");
        await page.locator("#spans-panel .span-filters button", { hasText: "Claim" }).click();
        await page.waitForFunction(() => document.querySelector("#spans-panel [role=option]")?.getAttribute("aria-setsize") === "120");
        assert.deepEqual(await seriousViolations(page), [], "the panel, filtered, and the tooltip");
      });
    });
  }
});

describe("layout", () => {
  for (const [width, height, name] of [
    [1440, 900, "desktop"],
    [390, 844, "phone"],
  ]) {
    test(`at ${width}×${height} the panel sits ${width > 1000 ? "beside" : "below"} the text (screenshot: ${name})`, async () => {
      await withPage({ viewport: { width, height } }, async (page) => {
        await gotoFixture(page);
        // A note on the third span, which is then selected (so its tooltip shows).
        await page.evaluate(() => document.querySelector("main").scrollTo(0, 0));
        await page.waitForFunction(() => document.activeElement?.id === "document");
        for (let i = 0; i < 3; i++) await page.keyboard.press("Tab");
        await page.keyboard.press("Enter");
        await page.waitForSelector("dialog.note-editor[open]");
        await page.keyboard.type("Deadline per the ministry’s letter of 3 March; confirm with a second source.");
        await page.keyboard.press("Control+Enter");
        await page.waitForSelector("dialog.note-editor", { state: "detached" });
        await page.keyboard.press("f"); // on a phone this unfolds the panel
        await page.waitForSelector("#spans-panel [role=listbox]", { state: "visible" });
        const box = (sel) => page.locator(sel).boundingBox();
        const panel = await box("#spans-panel");
        const reader = await box("main.reader");
        if (width > 1000) {
          assert.ok(panel.x >= reader.x + reader.width - 1, "the panel is right of the text");
          assert.ok(panel.height > height / 2, "and runs down the page");
        } else {
          assert.ok(panel.y >= reader.y + reader.height - 1, `the panel is below the text (${JSON.stringify([panel, reader])})`);
          assert.equal(await page.getAttribute("#spans-panel .panel-toggle", "aria-expanded"), "true");
        }
        // The note tooltip never covers the panel: it goes with its span, which the panel may hide.
        await page.waitForTimeout(100);
        const tip = await page.locator("#note-tooltip").boundingBox();
        if (tip && (await page.locator("#note-tooltip").isVisible())) {
          const apart = tip.y + tip.height <= panel.y + 1 || tip.x >= panel.x + panel.width - 1 || tip.x + tip.width <= panel.x + 1;
          assert.ok(apart, `the tooltip ${JSON.stringify(tip)} is clear of the panel ${JSON.stringify(panel)}`);
        }
        const rowBox = await page.locator("#spans-panel [role=option]").first().boundingBox();
        assert.ok(rowBox.width >= Math.min(300, panel.width - 20), "rows take the panel's width");
        mkdirSync(SCREENSHOTS, { recursive: true });
        await page.screenshot({ path: join(SCREENSHOTS, `panel-${name}-${width}x${height}.png`) });
        // Enter on a row: on a phone the panel folds again, so the text has room to show the span.
        await page.keyboard.press("ArrowDown");
        await page.keyboard.press("Enter");
        await page.waitForFunction(() => document.activeElement?.id === "document");
        const folded = await page.getAttribute("#spans-panel .panel-toggle", "aria-expanded");
        assert.equal(folded, width > 1000 ? "true" : "false", "folded on a phone only (beside the text it never folds)");
        const text = await box("main.reader");
        assert.ok(text.height >= 150, `the text has room (${text.height}px)`);
        await page.screenshot({ path: join(SCREENSHOTS, `text-${name}-${width}x${height}.png`) });
        // The note editor too.
        await page.click(".toolbar button.note");
        await page.waitForSelector("dialog.note-editor[open]");
        const dialog = await box("dialog.note-editor");
        assert.ok(dialog.x >= 0 && dialog.x + dialog.width <= width, "the editor fits the width");
        await page.screenshot({ path: join(SCREENSHOTS, `note-editor-${name}-${width}x${height}.png`) });
        await page.keyboard.press("Escape");
      });
    });
  }
});
