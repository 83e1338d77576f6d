// End-to-end tests of keyboard-first annotation in the built app (dist/):
// annotating an article with the keyboard alone (no mouse event at all,
// down to the export), resizing a span by dragging its handles with a real
// mouse, the snapping preview of a mouse selection, and the `?` overlay.
// Like app.test.mjs, every test also checks that nothing went wrong on the
// side (console errors, exceptions, CSP violations, foreign requests).
//
// Run: cd tests/e2e && node --test keyboard.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { join } from "node:path";

import { ARTICLES, DIST, checkDist, launchBrowser, openPage } from "./harness.mjs";
import { startServer } from "./server.mjs";

const A001 = "001_3206adba1834ceb5.txt";
const articleText = (name) => readFileSync(join(ARTICLES, name), "utf8");
const articleSha = (name) => createHash("sha256").update(readFileSync(join(ARTICLES, name))).digest("hex");

/** Code point range of the first occurrence of `phrase` in `text`. */
function cpRange(text, phrase, from = 0) {
  const at = text.indexOf(phrase, from);
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

/** A page in a fresh context; `mouse: false` makes any mouse event a failure. */
async function withPage(options, body) {
  const { context, page } = await openPage(browser, server.url, options);
  context.setDefaultTimeout(10_000);
  try {
    if (options.mouse === false) {
      await page.addInitScript(() => {
        window.__mouseEvents = [];
        for (const type of ["mousedown", "mouseup", "mousemove", "click", "pointerdown", "dblclick"]) {
          window.addEventListener(
            type,
            (e) => {
              // Enter on a button fires a click too, with detail 0: that is the keyboard.
              if (type === "click" && e.detail === 0) return;
              window.__mouseEvents.push(`${type}@${e.target?.tagName}`);
            },
            true,
          );
        }
      });
    }
    await body(page);
    const p = page.problems;
    assert.deepEqual(p.pageErrors, [], "uncaught exceptions in the page");
    assert.deepEqual(p.consoleErrors, [], "console errors");
    assert.deepEqual(await page.cspViolations(), [], "CSP violations");
    assert.deepEqual(p.foreignRequests, [], "requests that left the local server");
    if (options.mouse === false) {
      assert.deepEqual(await page.evaluate(() => window.__mouseEvents), [], "no mouse event at all");
    }
  } finally {
    await context.close();
  }
}

async function gotoApp(page) {
  await page.goto(`${server.url}/`);
  await page.waitForSelector('.app[data-ready="true"]');
  await page.waitForSelector("article#document[data-sha256]");
}

const spanIds = (page) => page.evaluate(() => window.__e2e.ids());
const markText = (page, id) => page.evaluate((id) => window.__e2e.textOf(id), id);
const selectedId = (page) => page.evaluate(() => window.__e2e.selectedId());
const caretPos = (page) => page.evaluate(() => Number(document.querySelector(".caret").dataset.pos));
const activeName = (page) =>
  page.evaluate(() => {
    const el = document.activeElement;
    return el ? `${el.tagName}:${el.id}:${el.textContent.trim()}` : "";
  });

/** Presses `key` (Tab or Shift+Tab) until the focused element matches `want`. */
async function tabTo(page, key, want) {
  for (let i = 0; i < 60; i++) {
    await page.keyboard.press(key);
    if (want.test(await activeName(page))) return;
  }
  throw new Error(`${key} never reached ${want}; at ${await activeName(page)}`);
}

/** Presses each key in turn. */
async function press(page, ...keys) {
  for (const key of keys) await page.keyboard.press(key);
}

/** Waits for a span id not in `before` and returns it. */
async function newSpanId(page, before) {
  const handle = await page.waitForFunction((before) => window.__e2e.ids().find((id) => !before.includes(id)), before);
  return handle.jsonValue();
}

describe("keyboard-first annotation", () => {
  test("an article annotated, navigated, resized and exported without the mouse", async () => {
    await withPage({ mouse: false }, async (page) => {
      await gotoApp(page);
      const text = articleText(A001);
      // The text has the focus on load; go back to the document list and open 001.
      assert.match(await activeName(page), /^ARTICLE:document:/, "the text takes the keyboard");
      await tabTo(page, "Shift+Tab", new RegExp(`^BUTTON::.*${A001.slice(0, 3)}`));
      await page.keyboard.press("Enter");
      await page.waitForSelector(`article#document[data-sha256="${articleSha(A001)}"]`);
      await page.waitForFunction(() => document.activeElement?.id === "document");

      // 1. Words: after the 13th word ("with"), extend by two words: " Steve Witkoff".
      await press(page, "Control+Home", ...Array(13).fill("Control+ArrowRight"));
      assert.equal(await caretPos(page), cpRange(text, "with Steve").start + 4);
      await press(page, "Shift+Control+ArrowRight", "Shift+Control+ArrowRight");
      assert.equal(await page.evaluate(() => getSelection().toString()), " Steve Witkoff", "the keyboard selection is the page's");
      // The preview outlines what will be tagged: without the space.
      const preview = await page.evaluate(() => {
        const p = document.querySelector(".snap-preview");
        return [p.hidden, Number(p.dataset.snapStart), Number(p.dataset.snapEnd), p.querySelectorAll(".snap-box").length];
      });
      const steve = cpRange(text, "Steve Witkoff");
      assert.deepEqual(preview.slice(0, 3), [false, steve.start, steve.end]);
      assert.ok(preview[3] >= 1, "the preview draws a box");
      let before = await spanIds(page);
      await page.keyboard.press("1");
      const claim = await newSpanId(page, before);
      assert.equal(await markText(page, claim), "Steve Witkoff");
      await page.keyboard.press("Escape");
      assert.equal(await selectedId(page), null, "Escape leaves the span");

      // 2. Paragraph moves to line 4, then its first sentence: the full stop
      // and the unpaired opening quotation mark are edge punctuation, dropped.
      await press(page, "Control+Home", "Control+ArrowDown", "Control+ArrowDown", "Control+ArrowDown", "ArrowRight");
      const line4 = "“On our part, in particular on the Ukrainian issue, some signals were transmitted.";
      assert.equal(await caretPos(page), cpRange(text, line4).start, "the start of the fourth line");
      await page.keyboard.press("Shift+Alt+ArrowRight");
      assert.equal(await page.evaluate(() => getSelection().toString()), line4);
      before = await spanIds(page);
      await page.keyboard.press("2");
      const quote = await newSpanId(page, before);
      const quoteText = line4.slice(1, -1);
      assert.equal(await markText(page, quote), quoteText);
      await page.keyboard.press("Escape");

      // 3. Line 3: a quotation taken whole keeps its marks.
      await press(page, "Control+Home", "Control+ArrowDown", "Control+ArrowDown", "ArrowRight");
      assert.equal(await caretPos(page), cpRange(text, "A senior Kremlin aide").start, "the start of the third line");
      await press(page, ...Array(10).fill("Control+ArrowRight"), ...Array(4).fill("Shift+Control+ArrowRight"));
      const useful = cpRange(text, "very useful and constructive");
      assert.deepEqual(
        await page.evaluate(() => [...document.querySelectorAll(".snap-preview")].map((p) => [Number(p.dataset.snapStart), Number(p.dataset.snapEnd)])[0]),
        [useful.start, useful.end],
        "an opening mark without its closing one is not kept",
      );
      await press(page, "Shift+ArrowRight", "Shift+ArrowRight");
      before = await spanIds(page);
      await page.keyboard.press("3");
      const deadline = await newSpanId(page, before);
      assert.equal(await markText(page, deadline), "“very useful and constructive,”");

      // 4. Tab goes through the spans in text order; Shift+Tab back.
      await press(page, "Escape", "Control+Home");
      const order = [];
      for (let i = 0; i < 3; i++) {
        await page.keyboard.press("Tab");
        order.push(await selectedId(page));
      }
      assert.deepEqual(order, [claim, deadline, quote]);
      await page.keyboard.press("Shift+Tab");
      assert.equal(await selectedId(page), deadline);
      await page.keyboard.press("Shift+Tab");
      assert.equal(await selectedId(page), claim);
      assert.equal(await activeName(page).then((n) => n.startsWith("ARTICLE")), true, "focus stays in the text");

      // 5. Resize the selected claim: start one word left, end one word left, end one character right.
      await page.keyboard.press("Alt+ArrowLeft");
      await page.waitForFunction((id) => window.__e2e.textOf(id) === "with Steve Witkoff", claim);
      await page.keyboard.press("ArrowLeft");
      await page.waitForFunction((id) => window.__e2e.textOf(id) === "with Steve", claim);
      await page.keyboard.press("Shift+ArrowRight");
      await page.waitForFunction((id) => window.__e2e.textOf(id) === "with Steve W", claim);
      await page.keyboard.press("ArrowRight");
      await page.waitForFunction((id) => window.__e2e.textOf(id) === "with Steve Witkoff", claim);
      assert.equal(await selectedId(page), claim, "still selected after resizing");

      // 6. Export the document with the keyboard, and check the offsets.
      await page.keyboard.press("Escape");
      await tabTo(page, "Shift+Tab", /^BUTTON::Export document JSON/);
      const [download] = await Promise.all([page.waitForEvent("download"), page.keyboard.press("Enter")]);
      const json = JSON.parse(readFileSync(await download.path(), "utf8"));
      const doc = json.documents[0];
      assert.equal(doc.name, A001);
      const got = Object.fromEntries(doc.annotations.map((a) => [a.id, [a.label, a.start, a.end, a.text]]));
      const expect = (phrase, label) => {
        const r = cpRange(text, phrase);
        return [label, r.start, r.end, phrase];
      };
      assert.deepEqual(got, {
        [claim]: expect("with Steve Witkoff", "claim"),
        [quote]: expect(quoteText, "quote"),
        [deadline]: expect("“very useful and constructive,”", "deadline"),
      });
      for (const a of doc.annotations) {
        assert.equal([...text].slice(a.start, a.end).join(""), a.text);
        assert.equal(text.slice(a.utf16_start, a.utf16_end), a.text);
      }
    });
  });

  test("dragging a selected span's handles resizes it, snapped to words", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await page.locator('nav[aria-label="Documents"] button.document').filter({ hasText: A001 }).click();
      await page.waitForSelector(`article#document[data-sha256="${articleSha(A001)}"]`);
      const text = articleText(A001);
      const steve = cpRange(text, "Steve Witkoff");
      const before = await spanIds(page);
      await page.evaluate(([s, e]) => window.__e2e.select(s, e), [steve.start, steve.end]);
      await page.keyboard.press("1");
      const id = await newSpanId(page, before);
      const end = page.locator(".span-handle.end");
      const start = page.locator(".span-handle.start");
      await end.waitFor({ state: "visible" });

      // The end handle, dragged into the middle of "President’s", takes the whole word.
      const target = cpRange(text, "President’s special");
      const { to } = await page.evaluate(([s]) => window.__e2e.dragPoints(s, s + 4), [target.start]);
      const box = await end.boundingBox();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move((box.x + to.x) / 2, to.y, { steps: 4 });
      await page.mouse.move(to.x, to.y, { steps: 4 });
      // While dragging, the outline previews the snapped span.
      const preview = await page.evaluate(() => {
        const p = document.querySelector(".span-handles .snap-preview");
        return [Number(p.dataset.snapStart), Number(p.dataset.snapEnd)];
      });
      assert.deepEqual(preview, [steve.start, cpRange(text, "President’s").end]);
      await page.mouse.up();
      await page.waitForFunction((id) => window.__e2e.textOf(id) === "Steve Witkoff, the U.S. President’s", id);

      // The start handle, dragged left into "with", takes it whole.
      const withRange = cpRange(text, "with Steve");
      const { from } = await page.evaluate(([s]) => window.__e2e.dragPoints(s + 2, s + 3), [withRange.start]);
      const sbox = await start.boundingBox();
      await page.mouse.move(sbox.x + sbox.width / 2, sbox.y + sbox.height / 2);
      await page.mouse.down();
      await page.mouse.move(from.x, from.y, { steps: 6 });
      await page.mouse.up();
      await page.waitForFunction((id) => window.__e2e.textOf(id) === "with Steve Witkoff, the U.S. President’s", id);
      assert.equal(await selectedId(page), id, "the span stays selected");
      assert.deepEqual(await spanIds(page), [id], "resized, not duplicated");
      // And it is saved: the stored record has the new range.
      const stored = await page.evaluate((sha) => JSON.parse(localStorage.getItem(`marginalia/v1/annotations/${sha}`)), articleSha(A001));
      const saved = stored.annotations.find((a) => a.id === id);
      assert.deepEqual([saved.start, saved.end], [withRange.start, cpRange(text, "President’s").end]);
    });
  });

  test("a mouse selection is snapped to whole words when the button is released", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await page.locator('nav[aria-label="Documents"] button.document').filter({ hasText: A001 }).click();
      await page.waitForSelector(`article#document[data-sha256="${articleSha(A001)}"]`);
      const t = articleText(A001);
      const r = cpRange(t, "ssian President Vladimir Pu");
      const { from, to } = await page.evaluate(([s, e]) => window.__e2e.dragPoints(s, e), [r.start, r.end]);
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 6 });
      await page.mouse.up();
      await page.waitForFunction(() => getSelection().toString() === "Russian President Vladimir Putin");
      // Characters mode (the toggle, or `s`) keeps the exact selection.
      await page.getByRole("button", { name: "Snap to words" }).click();
      assert.equal(await page.getByRole("button", { name: "Snap to words" }).getAttribute("aria-pressed"), "false");
      // (A press inside a selection would drag the selected text: clear it first.)
      await page.keyboard.press("Escape");
      await page.mouse.move(from.x, from.y);
      await page.mouse.down();
      await page.mouse.move(to.x, to.y, { steps: 6 });
      await page.mouse.up();
      assert.equal(await page.evaluate(() => getSelection().toString()), "ssian President Vladimir Pu");
      const before = await spanIds(page);
      await page.keyboard.press("2");
      const id = await newSpanId(page, before);
      assert.equal(await markText(page, id), "ssian President Vladimir Pu");
    });
  });

  test("? opens the shortcut overlay: every shortcut, focus trapped, Escape closes", async () => {
    await withPage({}, async (page) => {
      await gotoApp(page);
      await page.keyboard.press("?");
      const dialog = page.getByRole("dialog", { name: "Keyboard shortcuts" });
      await dialog.waitFor({ state: "visible" });
      const rows = await dialog.locator("tr").count();
      assert.ok(rows >= 20, `${rows} rows: every shortcut and the three label keys`);
      for (const words of ["Tab", "Ctrl+→", "Alt+→", "Enter", "Esc", "Claim", "Cycle"]) {
        assert.match(await dialog.textContent(), new RegExp(words.replace(/[+]/g, "\\+"), "i"), `lists ${words}`);
      }
      assert.equal(await activeName(page), "BUTTON::Close", "the focus is in the dialog");
      for (let i = 0; i < 5; i++) {
        await page.keyboard.press("Tab");
        assert.ok(await page.evaluate(() => document.querySelector("dialog").contains(document.activeElement) || document.activeElement === document.body),
          "Tab never reaches the page behind");
      }
      // Keys do nothing behind the dialog.
      await page.keyboard.press("1");
      assert.equal(await page.getAttribute("article#document", "data-span-count"), "0");
      await page.keyboard.press("Escape");
      await dialog.waitFor({ state: "hidden" });
      assert.match(await activeName(page), /^ARTICLE:document:/, "the focus is back in the text");
    });
  });
});
