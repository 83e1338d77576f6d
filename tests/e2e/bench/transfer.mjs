// Exporting and importing a ~1 MB document with 10,000 spans in every format
// (issue "Bring your own texts, export datasets, share annotation files"):
// under 200 ms each (median).
//
// Driven through the UI of the shipped app, as a user would:
//   export  one page with the document and its spans (?load=); per run: the
//           Export… dialog, the format's radio, "The open document",
//           Download. `work` is the app's measure marginalia:export:<format>
//           (request → the file's bytes ready, src/components/transfer.rs);
//           `total` is the Download click → the Blob URL made (just before
//           the browser's download starts).
//   import  per run a fresh page with the same document and no spans
//           (?load= of the file without annotations), the Import… dialog,
//           the last export of the format given to #import-files, then the
//           Import button. `parse` and `plan` are the app's measures
//           marginalia:import:parse / :plan; `report` is the file chosen
//           (the input's change event) → the import report painted; `apply`
//           is the app's mark marginalia:import:apply (the Import click
//           handled) → the page painted with "Imported." and the 10,000
//           spans; `click` is the Import click → that same paint.
// `cpu` figures are the renderer main thread's CPU time over the same
// intervals, from a trace of the User Timing marks (see trace.mjs).

import { readFileSync } from "node:fs";

import { openPage } from "../harness.mjs";
import { inclusiveWindows, phaseWindows, printPhases, printProfile, profileWindows } from "./profile.mjs";
import { round, summary } from "./stats.mjs";
import { pairs, startMarkTrace, stopMarkTrace } from "./trace.mjs";

export const TRANSFER_TARGET_MS = 200;

/** [title in the Export dialog, the app's format id (FormatKind::extension_id)]. */
export const FORMATS = [
  ["Marginalia JSON", "native"],
  ["JSONL dataset", "jsonl"],
  ["W3C Web Annotation JSON-LD", "w3c"],
  ["brat standoff", "brat"],
  ["Label Studio JSON", "label-studio"],
  ["CSV", "csv"],
];

/** Installed before the app: click and Blob URL clocks, and `__bench.whenPainted(test)`. */
const TRANSFER_PROBE = () => {
  window.__clicks = {};
  document.addEventListener(
    "click",
    (e) => {
      const button = e.target instanceof Element ? e.target.closest("button") : null;
      if (button) window.__clicks[button.textContent.trim()] = performance.now();
    },
    { capture: true },
  );
  document.addEventListener(
    "change",
    (e) => {
      if (e.target?.id !== "import-files") return;
      window.__chosenAt = performance.now();
      performance.mark("bench:chosen");
    },
    { capture: true },
  );
  const createObjectURL = URL.createObjectURL;
  URL.createObjectURL = function (...args) {
    window.__blobAt = performance.now();
    return createObjectURL.apply(this, args);
  };
  // Records in window.__painted[name] the end of the first frame after a DOM
  // change in which every condition holds: [selector, text it must contain].
  window.__painted = {};
  const whenPainted = (name, conditions) => {
    delete window.__painted[name];
    let pending = false;
    const holds = () =>
      conditions.every(([selector, text]) => {
        const el = document.querySelector(selector);
        return el && (!text || el.textContent.includes(text));
      });
    const check = () => {
      const t = performance.now();
      pending = false;
      if (!holds()) return;
      window.__painted[name] = t;
      performance.mark(`bench:painted:${name}`, { startTime: t });
      observer.disconnect();
    };
    const observer = new MutationObserver(() => {
      if (pending) return;
      pending = true;
      requestAnimationFrame(() => setTimeout(check, 0));
    });
    observer.observe(document.body, { subtree: true, childList: true, attributes: true, characterData: true });
  };
  window.__bench = { whenPainted };
};

const duration = (page, name) =>
  page.evaluate((name) => performance.getEntriesByName(name, "measure").at(-1)?.duration ?? null, name);

async function openDocument(browser, serverUrl, fileUrl, spans) {
  const { context, page } = await openPage(browser, serverUrl, { initScripts: [TRANSFER_PROBE] });
  context.setDefaultTimeout(120_000);
  await page.goto(`${serverUrl}/?load=${encodeURIComponent(fileUrl)}`);
  await page.waitForSelector(`article#document[data-span-count="${spans}"][data-rendered="complete"]`);
  return { context, page };
}

/**
 * Exports the document of `fileUrl` in every format `runs` times, then
 * imports each format's export `runs` times into fresh pages on `bareUrl`.
 */
export async function benchTransfer(browser, serverUrl, { fileUrl, bareUrl, spans, runs, problems }) {
  const exports = {};
  const files = {};
  await startMarkTrace(browser);
  try {
    const { context, page } = await openDocument(browser, serverUrl, fileUrl, spans);
    try {
      for (const [title, id] of FORMATS) {
        const work = [];
        const total = [];
        for (let run = 0; run < runs; run++) {
          await page.getByRole("button", { name: "Export…" }).click();
          const dialog = page.getByRole("dialog", { name: "Export" });
          await dialog.getByRole("radio", { name: new RegExp(`^${title}`) }).check();
          await dialog.getByRole("radio", { name: "The open document" }).check();
          await page.evaluate(() => {
            performance.clearMeasures();
            window.__blobAt = null;
          });
          const [download] = await Promise.all([
            page.waitForEvent("download"),
            dialog.getByRole("button", { name: "Download" }).click(),
          ]);
          const measured = await duration(page, `marginalia:export:${id}`);
          const t = await page.evaluate(() => ({ click: window.__clicks.Download, blob: window.__blobAt }));
          if (measured === null) throw new Error(`no measure marginalia:export:${id}`);
          work.push(measured);
          total.push(t.blob - t.click);
          if (run === runs - 1) {
            files[id] = { name: download.suggestedFilename(), bytes: readFileSync(await download.path()) };
          }
          await dialog.waitFor({ state: "detached" });
        }
        exports[id] = {
          title,
          work: summary(work),
          total: summary(total),
          file_bytes: files[id].bytes.length,
          samples: { work: work.map(round), total: total.map(round) },
        };
        console.error(
          `export ${title}: work ${exports[id].work.median.toFixed(1)} ms, total ${exports[id].total.median.toFixed(1)} ms ` +
            `(medians), ${files[id].bytes.length} bytes`,
        );
      }
      problems.take(page);
    } finally {
      await context.close();
    }
  } finally {
    const marks = await stopMarkTrace(browser);
    for (const [, id] of FORMATS) {
      if (!exports[id]) continue;
      const cpu = pairs(marks, `marginalia:export:${id}:start`, `marginalia:export:${id}:end`).map((p) => p.cpu);
      exports[id].work_cpu = summary(cpu);
      exports[id].samples.work_cpu = cpu.map(round);
    }
  }

  const imports = {};
  await startMarkTrace(browser);
  try {
    for (const [title, id] of FORMATS) {
      const parse = [];
      const plan = [];
      const report = [];
      const apply = [];
      const click = [];
      let summaryText = "";
      for (let run = 0; run < runs; run++) {
        const { context, page } = await openDocument(browser, serverUrl, bareUrl, 0);
        try {
          await page.getByRole("button", { name: "Import…" }).click();
          const dialog = page.getByRole("dialog", { name: "Import annotations" });
          await page.evaluate(() => window.__bench.whenPainted("report", [[".import-dialog .import-report .summary"]]));
          await page.setInputFiles("#import-files", {
            name: files[id].name,
            mimeType: "application/octet-stream",
            buffer: files[id].bytes,
          });
          await page.waitForFunction(() => window.__painted.report !== undefined);
          summaryText = await dialog.locator(".import-report .summary").textContent();
          if (!/0 orphaned/.test(summaryText) || !new RegExp(`${spans}|${spans.toLocaleString("en")}`).test(summaryText)) {
            throw new Error(`${title}: unexpected import report: ${summaryText}`);
          }
          const parsed = await duration(page, "marginalia:import:parse");
          const planned = await duration(page, "marginalia:import:plan");
          const chosen = await page.evaluate(() => window.__painted.report - window.__chosenAt);
          await page.evaluate(
            (spans) =>
              window.__bench.whenPainted("applied", [
                [`article#document[data-span-count="${spans}"]`],
                [".import-dialog [role=status]", "Imported."],
              ]),
            spans,
          );
          await dialog.getByRole("button", { name: "Import", exact: true }).click();
          await page.waitForFunction(() => window.__painted.applied !== undefined);
          const t = await page.evaluate(() => ({
            mark: performance.getEntriesByName("marginalia:import:apply", "mark").at(-1)?.startTime,
            click: window.__clicks.Import,
            painted: window.__painted.applied,
          }));
          if (t.mark === undefined) throw new Error("no mark marginalia:import:apply");
          parse.push(parsed);
          plan.push(planned);
          report.push(chosen);
          apply.push(t.painted - t.mark);
          click.push(t.painted - t.click);
          problems.take(page);
        } finally {
          await context.close();
        }
      }
      imports[id] = {
        title,
        parse: summary(parse),
        plan: summary(plan),
        report: summary(report),
        apply: summary(apply),
        click: summary(click),
        report_text: summaryText,
        samples: { parse: parse.map(round), plan: plan.map(round), report: report.map(round), apply: apply.map(round), click: click.map(round) },
      };
      console.error(
        `import ${title}: parse ${imports[id].parse.median.toFixed(1)}, plan ${imports[id].plan.median.toFixed(1)}, ` +
          `chosen→report ${imports[id].report.median.toFixed(1)}, apply→painted ${imports[id].apply.median.toFixed(1)} ms (medians)`,
      );
    }
  } finally {
    // The same intervals' main-thread CPU time; the runs went format by format.
    const marks = await stopMarkTrace(browser);
    const cpu = {
      parse: pairs(marks, "marginalia:import:parse:start", "marginalia:import:parse:end"),
      plan: pairs(marks, "marginalia:import:plan:start", "marginalia:import:plan:end"),
      report: pairs(marks, "bench:chosen", "bench:painted:report"),
      apply: pairs(marks, "marginalia:import:apply", "bench:painted:applied"),
    };
    if (marks.events) profileImports(marks, runs);
    printImportSteps(marks, runs);
    FORMATS.forEach(([, id], f) => {
      if (!imports[id]) return;
      imports[id].cpu = {};
      for (const [what, list] of Object.entries(cpu)) {
        if (list.length !== FORMATS.length * runs) continue;
        const mine = list.slice(f * runs, (f + 1) * runs).map((p) => p.cpu);
        imports[id].cpu[what] = summary(mine);
        imports[id].samples[`${what}_cpu`] = mine.map(round);
      }
    });
  }
  const meets = (s) => s.median < TRANSFER_TARGET_MS;
  return {
    runs,
    target_ms: TRANSFER_TARGET_MS,
    export: exports,
    import: imports,
    meets_targets: Object.fromEntries(
      FORMATS.map(([, id]) => [
        id,
        { export: meets(exports[id].total), import: meets(imports[id].report) && meets(imports[id].click) },
      ]),
    ),
  };
}

/**
 * With BENCH_PROFILE=1: where each format's import time goes, chosen→report
 * and apply→painted, as self time by function and renderer phases.
 */
function profileImports(marks, runs) {
  const scale = (rows, n) => (rows ?? []).map((r) => ({ ...r, ms: r.ms / n }));
  const perRun = (p, n) => ({ total_ms: p.total_ms / n, top: scale(p.top, n), ours: scale(p.ours, n) });
  const windows = (from, to) => {
    const ends = marks.get(to) ?? [];
    return (marks.get(from) ?? []).flatMap((a) => {
      const b = ends.find((e) => e.pid === a.pid && e.ts >= a.ts);
      return b ? [{ pid: a.pid, from: a.ts, to: b.ts }] : [];
    });
  };
  const intervals = {
    "chosen→report": windows("bench:chosen", "bench:painted:report"),
    "chosen→parse (reading)": windows("bench:chosen", "marginalia:import:parse:start"),
    "plan→report painted": windows("marginalia:import:plan:end", "bench:painted:report"),
    "apply→painted": windows("marginalia:import:apply", "bench:painted:applied"),
  };
  for (const [what, all] of Object.entries(intervals)) {
    if (all.length !== FORMATS.length * runs) continue;
    FORMATS.forEach(([title], f) => {
      const mine = all.slice(f * runs, (f + 1) * runs);
      printProfile(`Profile of import ${title}, ${what} (per run)`, perRun(profileWindows(marks.events, mine, 20), mine.length));
      printProfile(`Inclusive profile of import ${title}, ${what} (per run)`, perRun(inclusiveWindows(marks.events, mine, 45), mine.length));
      printPhases(`Renderer phases of import ${title}, ${what}`, phaseWindows(marks.events, mine, 10), mine.length);
    });
  }
}

/**
 * chosen→report cut at the app's marks, main-thread CPU ms (medians per
 * format): before parsing (reading the file), parse, between parse and plan,
 * plan, and after the plan until the report is painted.
 */
function printImportSteps(marks, runs) {
  const steps = [
    ["read", "bench:chosen", "marginalia:import:parse:start"],
    ["parse", "marginalia:import:parse:start", "marginalia:import:parse:end"],
    ["gap", "marginalia:import:parse:end", "marginalia:import:plan:start"],
    ["plan", "marginalia:import:plan:start", "marginalia:import:plan:end"],
    ["paint", "marginalia:import:plan:end", "bench:painted:report"],
  ];
  const lists = steps.map(([, from, to]) => pairs(marks, from, to));
  if (lists.some((l) => l.length !== FORMATS.length * runs)) return;
  console.log("\nchosen→report by step (main-thread CPU / wall ms, medians)");
  console.log(`| format | ${steps.map(([name]) => name).join(" | ")} |`);
  FORMATS.forEach(([title], f) => {
    const cells = lists.map((l) => {
      const mine = l.slice(f * runs, (f + 1) * runs);
      return `${summary(mine.map((p) => p.cpu)).median.toFixed(1)} / ${summary(mine.map((p) => p.wall)).median.toFixed(1)}`;
    });
    console.log(`| ${title} | ${cells.join(" | ")} |`);
  });
}
