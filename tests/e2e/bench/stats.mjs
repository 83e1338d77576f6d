// Summaries and tables for the benchmark, and the machine's load beside them.

import { loadavg } from "node:os";

export const round = (v) => Math.round(v * 10) / 10;

/** Median, 95th percentile (nearest rank), min and max (ms, to 0.1) and count of `values`. */
export function summary(values) {
  if (values.length === 0) return { median: NaN, p95: NaN, min: NaN, max: NaN, n: 0 };
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
  const p95 = sorted[Math.max(0, Math.ceil(sorted.length * 0.95) - 1)];
  return {
    median: round(median),
    p95: round(p95),
    min: round(sorted[0]),
    max: round(sorted[sorted.length - 1]),
    n: sorted.length,
  };
}

/** The 1-minute load average now, and the machine's cores. */
export function load() {
  const [one, five] = loadavg();
  return { load_1min: Math.round(one * 100) / 100, load_5min: Math.round(five * 100) / 100 };
}

/**
 * Prints a Markdown table: `columns` are [title, width, align], `rows` arrays
 * of cells (strings or numbers).
 */
export function printTable(title, columns, rows) {
  const cell = (v, [, width, align]) => {
    const s = typeof v === "number" ? (Number.isFinite(v) ? v.toFixed(1) : "–") : String(v ?? "");
    return align === "right" ? s.padStart(width) : s.padEnd(width);
  };
  console.log(`\n${title}\n`);
  console.log(`| ${columns.map(([t, w, a]) => cell(t, [t, w, a])).join(" | ")} |`);
  console.log(`|${columns.map(([, w, a]) => (a === "right" ? `${"-".repeat(w + 1)}:` : `:${"-".repeat(w + 1)}`)).join("|")}|`);
  for (const row of rows) console.log(`| ${row.map((v, i) => cell(v, columns[i])).join(" | ")} |`);
}
