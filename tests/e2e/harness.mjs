import { createHash } from "node:crypto";
// Shared by the end-to-end tests and the benchmark: where things are, how to
// launch the system Chromium, and a page that records everything that should
// not happen (console errors, uncaught exceptions, CSP violations, requests
// leaving the local server, dialogs).

import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";

export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "..", "..");
export const DIST = resolve(process.env.MARGINALIA_DIST ?? join(REPO, "dist"));
export const ARTICLES = join(REPO, "articles");
export const CHROMIUM = process.env.CHROMIUM ?? "/usr/bin/chromium";

export const CHROMIUM_ARGS = [
  "--headless=new",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--disable-dev-shm-usage",
];

/** Fails early, with the fix, when the app has not been built. */
export function checkDist() {
  if (!existsSync(join(DIST, "index.html"))) {
    throw new Error(
      `no built app at ${DIST} (index.html missing). Build it with ` +
        "`trunk build --release --offline` or point MARGINALIA_DIST at a dist directory.",
    );
  }
}

/** The system Chromium, headless; Playwright gives it a fresh profile directory. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM)`);
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** Listens for CSP violations inside the page (they are also console errors). */
const RECORD_CSP = () => {
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || "(inline)"}`);
  });
};

/**
 * Page-side helpers, installed before the app as `window.__e2e`: map code
 * point offsets of the open document to DOM ranges (through the segments'
 * `data-start`/`data-end`, as the app itself does), select them, and find
 * where they are on screen.
 */
const PAGE_HELPERS = () => {
  const root = () => {
    const article = document.querySelector("article#document");
    if (!article) throw new Error("no article#document");
    return article;
  };
  // The text node and UTF-16 offset of code point `pos`; `edge` says which
  // segment wins at a boundary (the one starting there, or the one ending there).
  const point = (pos, edge) => {
    for (const seg of root().querySelectorAll(".seg")) {
      const s = Number(seg.dataset.start);
      const e = Number(seg.dataset.end);
      const inside = edge === "start" ? pos >= s && pos < e : pos > s && pos <= e;
      if (!inside) continue;
      const node = seg.firstChild;
      if (!node || node.nodeType !== Node.TEXT_NODE) throw new Error(`segment ${s}-${e} holds no text node`);
      return [node, [...node.data].slice(0, pos - s).join("").length];
    }
    throw new Error(`no segment holds ${edge} offset ${pos}`);
  };
  const range = (start, end) => {
    const r = document.createRange();
    r.setStart(...point(start, "start"));
    r.setEnd(...point(end, "end"));
    return r;
  };
  const select = (start, end) => {
    const selection = getSelection();
    selection.removeAllRanges();
    selection.addRange(range(start, end));
    return selection.toString();
  };
  // Viewport points just inside the first and the last character of [start, end).
  const dragPoints = (start, end) => {
    const first = range(start, start + 1).getClientRects()[0];
    const lastRects = range(end - 1, end).getClientRects();
    const last = lastRects[lastRects.length - 1];
    const inset = (r) => Math.min(2, r.width / 4);
    return {
      from: { x: first.left + inset(first), y: first.top + first.height / 2 },
      to: { x: last.right - inset(last), y: last.top + last.height / 2 },
    };
  };
  const scrollTo = (start) => {
    const [node] = point(start, "start");
    node.parentElement.scrollIntoView({ block: "center" });
  };
  // Every annotation id painted, in document order of first appearance.
  const ids = () => {
    const seen = [];
    for (const mark of root().querySelectorAll("mark.seg[data-spans]")) {
      for (const id of mark.dataset.spans.split(" ")) if (!seen.includes(id)) seen.push(id);
    }
    return seen;
  };
  const marksOf = (id) =>
    [...root().querySelectorAll("mark.seg[data-spans]")].filter((m) => m.dataset.spans.split(" ").includes(id));
  // The painted text of span `id` (its segments joined; blocks joined by "\n").
  const textOf = (id) => {
    let out = "";
    let lastBlock = null;
    for (const mark of marksOf(id)) {
      const block = mark.closest(".block");
      if (lastBlock && block !== lastBlock) out += "\n";
      lastBlock = block;
      out += mark.textContent;
    }
    return out;
  };
  // The selected span: the one whose segments are exactly the `.selected` ones.
  const selectedId = () => {
    const selected = new Set(root().querySelectorAll("mark.seg.selected"));
    if (selected.size === 0) return null;
    const matches = ids().filter((id) => {
      const marks = marksOf(id);
      return marks.length === selected.size && marks.every((m) => selected.has(m));
    });
    return matches.length === 1 ? matches[0] : `ambiguous: ${matches.join(",")}`;
  };
  window.__e2e = { point, range, select, dragPoints, scrollTo, ids, marksOf, textOf, selectedId };
};

/**
 * A page in a fresh context (fresh storage) whose mishaps are recorded in
 * `page.problems`: {consoleErrors, pageErrors, foreignRequests, dialogs}.
 * `options.initScripts` (functions, or [function, argument]) run before the app, in order.
 */
export async function openPage(browser, serverUrl, options = {}) {
  const context = await browser.newContext({
    acceptDownloads: true,
    viewport: options.viewport ?? { width: 1280, height: 900 },
  });
  await context.addInitScript(RECORD_CSP);
  await context.addInitScript(PAGE_HELPERS);
  for (const script of options.initScripts ?? []) {
    // A function, or [function, argument].
    if (Array.isArray(script)) await context.addInitScript(script[0], script[1]);
    else await context.addInitScript(script);
  }
  const page = await context.newPage();
  const problems = { consoleErrors: [], pageErrors: [], foreignRequests: [], dialogs: [] };
  page.on("console", (msg) => {
    if (msg.type() === "error") problems.consoleErrors.push(msg.text());
  });
  page.on("pageerror", (error) => problems.pageErrors.push(String(error)));
  page.on("request", (request) => {
    const url = request.url();
    const local = url === serverUrl || url.startsWith(serverUrl + "/");
    if (!local && !url.startsWith("data:") && !url.startsWith("blob:")) problems.foreignRequests.push(url);
  });
  page.on("dialog", (dialog) => {
    problems.dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    dialog.dismiss().catch(() => {});
  });
  page.problems = problems;
  page.cspViolations = () => page.evaluate(() => window.__cspViolations ?? []);
  return { context, page };
}

/**
 * A Marginalia native JSON file (format version 1) holding one document:
 * computes its sha256 and code point length. `annotations` must already be
 * sorted by start, then end, with code point and UTF-16 offsets.
 */
export function nativeFile(name, text, annotations, exportedAt = "2025-01-01T00:00:00.000Z") {
  return {
    format: "marginalia",
    version: 1,
    offset_unit: "codepoint",
    exported_at: exportedAt,
    labels: [
      { name: "claim", color: "#0072b2", key: "1" },
      { name: "quote", color: "#d55e00", key: "2" },
      { name: "deadline", color: "#009e73", key: "3" },
    ],
    documents: [
      {
        name,
        sha256: createHash("sha256").update(text, "utf8").digest("hex"),
        length: [...text].length,
        text,
        annotations,
      },
    ],
  };
}

/**
 * Polls `read` (async) until it gives `expected` (deep equality), then
 * returns it; after `timeout` ms returns the last value read, for the
 * caller's assertion to report. For what the app shows a frame after an
 * edit (status bar, toolbar states, span counts: components/deferred.rs).
 */
export async function eventually(read, expected, timeout = 5_000) {
  const until = Date.now() + timeout;
  const same = (a) => JSON.stringify(a) === JSON.stringify(expected);
  let value = await read();
  while (!same(value) && Date.now() < until) {
    await new Promise((done) => setTimeout(done, 20));
    value = await read();
  }
  return value;
}
