// Accessibility: axe-core (the npm package, run inside the page) finds no
// serious or critical violation on the main screen, with spans and a
// selected span, in light and dark themes, at desktop and narrow widths,
// nor in the shortcut overlay and every dialog of the app.
//
// Run: make build && cd tests/e2e && node --test a11y.test.mjs

import { after, before, describe, test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";

import { DIST, checkDist, launchBrowser, openPage } from "./harness.mjs";
import { startServer } from "./server.mjs";

const AXE = readFileSync(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

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

/**
 * Serious and critical violations on the page as it is now. axe is
 * evaluated through the DevTools protocol, which the page's CSP does not
 * govern, so the app's CSP stays as shipped.
 */
async function seriousViolations(page) {
  await page.evaluate(AXE);
  const results = await page.evaluate(() =>
    window.axe.run(document, { resultTypes: ["violations"] }),
  );
  return results.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.impact} ${v.id}: ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`);
}

async function withApp(options, body) {
  const { context, page } = await openPage(browser, server.url, options);
  context.setDefaultTimeout(15_000);
  try {
    if (options.colorScheme) await page.emulateMedia({ colorScheme: options.colorScheme });
    await page.goto(`${server.url}/`);
    await page.waitForSelector('.app[data-ready="true"]');
    await page.waitForSelector('article#document[data-rendered="complete"]');
    await body(page);
  } finally {
    await context.close();
  }
}

/** Two spans, one of them selected, so marks, badges and handles are checked too. */
async function annotate(page) {
  const text = await page.locator("article#document").evaluate((a) => a.textContent);
  const words = [...text.matchAll(/\p{L}{4,}/gu)].slice(5, 7);
  for (const [i, m] of words.entries()) {
    const start = [...text.slice(0, m.index)].length;
    await page.evaluate(([s, e]) => window.__e2e.select(s, e), [start, start + [...m[0]].length]);
    await page.keyboard.press(String(i + 1));
  }
  await page.waitForFunction(() => window.__e2e.ids().length === 2);
}

describe("Accessibility (axe-core)", () => {
  for (const [name, options] of [
    ["light, desktop", { colorScheme: "light" }],
    ["dark, desktop", { colorScheme: "dark" }],
    ["light, narrow", { colorScheme: "light", viewport: { width: 390, height: 844 } }],
  ]) {
    test(`main screen with spans (${name})`, async () => {
      await withApp(options, async (page) => {
        await annotate(page);
        assert.deepEqual(await seriousViolations(page), []);
      });
    });
  }

  test("the shortcut overlay and every dialog", async () => {
    await withApp({}, async (page) => {
      await annotate(page);
      await page.keyboard.press("?");
      await page.getByRole("dialog", { name: "Keyboard shortcuts" }).waitFor();
      assert.deepEqual(await seriousViolations(page), [], "shortcut overlay");
      await page.keyboard.press("Escape");

      for (const [button, title] of [
        ["Export…", "Export"],
        ["Import…", "Import annotations"],
        ["Paste text…", "Paste text"],
      ]) {
        await page.getByRole("button", { name: button }).click();
        const dialog = page.getByRole("dialog", { name: title });
        await dialog.waitFor();
        assert.deepEqual(await seriousViolations(page), [], title);
        await page.keyboard.press("Escape");
        await dialog.waitFor({ state: "detached" });
      }
      // Dialogs opened by shortcuts: the label manager, rename, and removal
      // of a document that has spans (it asks first).
      for (const [key, title] of [
        ["l", "Labels"],
        ["r", "Rename document"],
        ["Shift+Delete", "Remove document?"],
      ]) {
        await page.locator("article#document").focus();
        await page.keyboard.press("Escape");
        await page.keyboard.press(key);
        const dialog = page.getByRole("dialog", { name: title });
        await dialog.waitFor();
        assert.deepEqual(await seriousViolations(page), [], title);
        await page.keyboard.press("Escape");
        await dialog.waitFor({ state: "detached" });
      }
    });
  });
});
