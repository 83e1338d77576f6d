// Where the main thread's time goes inside the measured intervals, from the
// V8 sampling profiler traced alongside the marks (BENCH_PROFILE=1). Only a
// diagnostic: it prints the functions with the most samples (self time) and
// never decides a target. Wasm functions carry names only in a build that
// keeps them (see ARCHITECTURE.md, "Profiling").

/** A profiler frame's printable name: function and script file. */
const nameOf = (frame) =>
  frame ? `${frame.functionName || "(anonymous)"} ${frame.url ? frame.url.split("/").pop() : ""}`.trim() : "?";

/**
 * Calls `visit(ms, stack)` for every V8 sample (from the Profile and
 * ProfileChunk events of a trace) that falls in one of `windows` ([{pid,
 * from, to}] in trace µs): `ms` is the time the sample stands for, `stack`
 * its call frames from the leaf up.
 */
function forEachSample(events, windows, visit) {
  const profiles = new Map(); // `${pid}:${id}` → {pid, t, nodes: Map, samples: [[t, node]]}
  for (const e of events) {
    if (e.name === "Profile") {
      profiles.set(`${e.pid}:${e.id}`, { pid: e.pid, t: e.args.data.startTime, nodes: new Map(), samples: [] });
    } else if (e.name === "ProfileChunk") {
      const p = profiles.get(`${e.pid}:${e.id}`);
      if (!p) continue;
      const data = e.args.data;
      for (const node of data.cpuProfile?.nodes ?? []) p.nodes.set(node.id, node);
      const samples = data.cpuProfile?.samples ?? [];
      const deltas = data.timeDeltas ?? [];
      for (let i = 0; i < samples.length; i++) {
        p.t += deltas[i] ?? 0;
        p.samples.push([p.t, samples[i]]);
      }
    }
  }
  for (const p of profiles.values()) {
    const mine = windows.filter((w) => w.pid === p.pid);
    if (mine.length === 0) continue;
    for (let i = 1; i < p.samples.length; i++) {
      const [t, leaf] = p.samples[i];
      if (!mine.some((w) => t >= w.from && t <= w.to)) continue;
      const stack = [];
      for (let node = p.nodes.get(leaf); node; node = node.parent === undefined ? null : p.nodes.get(node.parent)) {
        stack.push(node.callFrame);
      }
      visit((t - p.samples[i - 1][0]) / 1000, stack);
    }
  }
}

const ranked = (totals, total, top) =>
  [...totals.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, top)
    .map(([name, ms]) => ({ name, ms, share: ms / total }));

/**
 * Self time by function over `windows` ([{pid, from, to}] in trace µs), from
 * the ProfileChunk events of a trace; returns the `top` heaviest entries as
 * {name, ms, share}, the inclusive time of our own functions (`ours`, each
 * counted once per sample), and the sampled total in ms.
 */
export function profileWindows(events, windows, top = 30) {
  const self = new Map();
  const inclusive = new Map();
  let total = 0;
  forEachSample(events, windows, (ms, stack) => {
    const name = nameOf(stack[0]);
    self.set(name, (self.get(name) ?? 0) + ms);
    total += ms;
    const seen = new Set();
    for (const frame of stack) {
      const ours = /marginalia::[a-z_:]+/.exec(frame.functionName ?? "")?.[0];
      if (ours && !seen.has(ours)) {
        seen.add(ours);
        inclusive.set(ours, (inclusive.get(ours) ?? 0) + ms);
      }
    }
  });
  return { total_ms: total, top: ranked(self, total, top), ours: ranked(inclusive, total, top) };
}

/** Prints a profile summary from profileWindows. */
export function printProfile(title, summary) {
  console.log(`\n${title}: ${summary.total_ms.toFixed(0)} ms sampled, self time by function`);
  for (const r of summary.top) {
    console.log(`${(r.share * 100).toFixed(1).padStart(5)} %  ${r.ms.toFixed(1).padStart(8)} ms  ${r.name.slice(0, 140)}`);
  }
  if (summary.ours.length === 0) return;
  console.log(`${title}: inclusive time of our functions`);
  for (const r of summary.ours) {
    console.log(`${(r.share * 100).toFixed(1).padStart(5)} %  ${r.ms.toFixed(1).padStart(8)} ms  ${r.name}`);
  }
}

/**
 * Time in the renderer's own phases (style, layout, paint, GC…) over
 * `windows`: complete trace events of devtools.timeline by name, summed
 * (nested events are counted in each, so shares may exceed the whole).
 */
export function phaseWindows(events, windows, top = 15) {
  const totals = new Map();
  const counts = { layouts: 0, dirty: 0, objects: 0, styles: 0, styled: 0 };
  for (const e of events) {
    if (e.ph !== "X" || !e.dur || !e.cat?.includes("devtools.timeline")) continue;
    const w = windows.find((w) => w.pid === e.pid && e.ts >= w.from && e.ts <= w.to);
    if (!w) continue;
    const end = Math.min(e.ts + e.dur, w.to);
    totals.set(e.name, (totals.get(e.name) ?? 0) + (end - e.ts) / 1000);
    // How much each layout and style pass had to do.
    const layout = e.args?.beginData;
    if (e.name === "Layout" && layout?.dirtyObjects !== undefined) {
      counts.layouts++;
      counts.dirty += layout.dirtyObjects;
      counts.objects = Math.max(counts.objects, layout.totalObjects ?? 0);
    }
    if (e.name === "UpdateLayoutTree" && e.args?.elementCount !== undefined) {
      counts.styles++;
      counts.styled += e.args.elementCount;
    }
  }
  const rows = [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, top);
  rows.counts = counts;
  return rows;
}

/** Prints phaseWindows' result, per window. */
export function printPhases(title, rows, count) {
  console.log(`\n${title} (ms per interval, ${count} intervals)`);
  for (const [name, ms] of rows) console.log(`${(ms / count).toFixed(2).padStart(8)}  ${name}`);
  const c = rows.counts;
  console.log(
    `layouts ${(c.layouts / count).toFixed(1)} per interval, ${(c.dirty / Math.max(1, c.layouts)).toFixed(0)} dirty of ` +
      `${c.objects} objects each; style passes ${(c.styles / count).toFixed(1)}, ${(c.styled / Math.max(1, c.styles)).toFixed(0)} elements each`,
  );
}

/**
 * Total (inclusive) time by function over `windows`: each sample counts once
 * for every distinct function on its stack, so a caller shows the time of
 * everything it called. Same input and output shape as profileWindows.
 */
export function inclusiveWindows(events, windows, top = 30) {
  const totals = new Map();
  let total = 0;
  forEachSample(events, windows, (ms, stack) => {
    total += ms;
    for (const name of new Set(stack.map(nameOf))) totals.set(name, (totals.get(name) ?? 0) + ms);
  });
  return { total_ms: total, top: ranked(totals, total, top), ours: [] };
}
