// Main-thread CPU time from a Chromium trace of User Timing marks only.
// Chromium records each performance.mark() with its wall time (ts) and the
// renderer main thread's CPU time (tts), so the CPU spent between two marks
// is known even when the machine is busy and wall times stretch.

/**
 * Starts tracing the whole browser, User Timing marks only (cheap). With
 * BENCH_PROFILE=1 the V8 sampling profiler is traced too (bench/profile.mjs).
 */
export async function startMarkTrace(browser) {
  const categories = ["blink.user_timing"];
  if (process.env.BENCH_PROFILE) categories.push("disabled-by-default-v8.cpu_profiler", "devtools.timeline", "toplevel");
  if (process.env.BENCH_TRACE_EXTRA) categories.push(...process.env.BENCH_TRACE_EXTRA.split(","));
  await browser.startTracing(undefined, { categories });
}

/**
 * Stops tracing; returns the marks: name → occurrences [{pid, ts, tts}]
 * in time order (ts and tts in microseconds). With BENCH_PROFILE or
 * BENCH_TRACE_EXTRA the raw events come too (`marks.events`).
 */
export async function stopMarkTrace(browser) {
  const buffer = await browser.stopTracing();
  const parsed = JSON.parse(buffer.toString("utf8"));
  const events = parsed.traceEvents ?? parsed;
  const marks = new Map();
  if (process.env.BENCH_PROFILE || process.env.BENCH_TRACE_EXTRA) marks.events = events;
  for (const e of events) {
    if (e.cat !== "blink.user_timing" || e.tts === undefined || (e.ph !== "I" && e.ph !== "R")) continue;
    if (!marks.has(e.name)) marks.set(e.name, []);
    marks.get(e.name).push({ pid: e.pid, ts: e.ts, tts: e.tts });
  }
  for (const list of marks.values()) list.sort((a, b) => a.ts - b.ts);
  return marks;
}

/** {wall, cpu} in ms from the first `from` mark to the first `to` mark (unique names). */
export function between(marks, from, to) {
  const a = marks.get(from)?.[0];
  const b = marks.get(to)?.[0];
  if (!a || !b || a.pid !== b.pid) return null;
  return { wall: (b.ts - a.ts) / 1000, cpu: (b.tts - a.tts) / 1000 };
}

/**
 * For every `from` mark, {wall, cpu} in ms until the next `to` mark in the
 * same renderer (for names that repeat), in time order.
 */
export function pairs(marks, from, to) {
  const ends = marks.get(to) ?? [];
  const out = [];
  for (const a of marks.get(from) ?? []) {
    const b = ends.find((e) => e.pid === a.pid && e.ts >= a.ts);
    if (b) out.push({ wall: (b.ts - a.ts) / 1000, cpu: (b.tts - a.tts) / 1000 });
  }
  return out;
}
