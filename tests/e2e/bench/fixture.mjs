// Deterministic benchmark documents: English-like news text (curly quotes,
// NBSP, a few emoji) with spans on whole words, about 10% of them nested in
// or overlapping another, as a Marginalia native JSON file.

import { nativeFile } from "../harness.mjs";

/** Span ids of the fixtures start with this; ids the app makes do not. */
export const ID_PREFIX = "bench-";

/** mulberry32: a small seeded PRNG, uniform in [0, 1). */
function prng(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const WORDS = (
  "the of and to in a is that for on was with he it as at by this had not are but from or have an they which " +
  "one you were her all she there would their we him been has when who will more no if out so said what up its " +
  "about into than them can only other new some could time these two may then do first any my now such like our " +
  "over man me even most made after also did many before must through back years where much your way well down " +
  "should because each just those people how too little state good very make world still own see men work long " +
  "get here between both life being under never day same another know while last might us great old year off " +
  "come since against go came right used take three minister government president council committee report " +
  "ceasefire sanctions agreement talks officials meeting proposal economy market inflation election court " +
  "ruling deadline envoy summit statement spokesman analysts pressure support security region border trade " +
  "tariffs investment cooperation diplomatic historic decision parliament budget reform protest negotiations"
).split(" ");
const NAMES = ["Kremlin", "Washington", "Brussels", "Ushakov", "Witkoff", "Dmitriev", "Kyiv", "Beijing", "Reuters"];
const EMOJI = ["🙂", "👩‍👩‍👧", "🇺🇦", "📈", "🎉"];

/** English-like paragraphs joined by "\n\n", about `target` code points long. */
function generateText(random, target, emojiRate) {
  const pick = (list) => list[Math.floor(random() * list.length)];
  const paragraphs = [];
  let total = 0;
  while (total < target) {
    const length = 400 + Math.floor(random() * 400);
    let paragraph = "";
    let have = 0;
    while (have < length) {
      const words = [];
      const n = 6 + Math.floor(random() * 13);
      for (let i = 0; i < n; i++) {
        const r = random();
        let w = r < 0.06 ? pick(NAMES) : pick(WORDS);
        if (r >= 0.06 && r < 0.08) w = `${pick(NAMES)}’s`;
        words.push(w);
      }
      words[0] = words[0][0].toUpperCase() + words[0].slice(1);
      if (random() < 0.15) {
        // A quoted stretch with curly quotes.
        const from = Math.floor(random() * (n - 2));
        const to = Math.min(n - 1, from + 1 + Math.floor(random() * 4));
        words[from] = `“${words[from]}`;
        words[to] = `${words[to]}”`;
      }
      let sentence = words.join(" ");
      if (random() < 0.05) sentence = sentence.replace(" ", ` ${1 + Math.floor(random() * 28)}\u00a0`); // NBSP
      if (random() < emojiRate) sentence += ` ${pick(EMOJI)}`;
      sentence += random() < 0.1 ? "?" : ".";
      const size = [...sentence].length + (paragraph ? 1 : 0);
      if (have >= 400 && have + size > 800) break;
      paragraph += (paragraph ? " " : "") + sentence;
      have += size;
    }
    paragraphs.push(paragraph);
    total += [...paragraph].length + 2;
  }
  return paragraphs.join("\n\n");
}

/**
 * One document of about `chars` code points with `spans` spans, ~10% of them
 * nested in or overlapping another. Returns the native file, its stats, and
 * `freeRuns`: code point ranges of three plain words (letters only) in one
 * paragraph that no span touches, in text order — places to create spans.
 */
export function generateFixture({ seed, chars, spans: spanCount, name, emojiRate = 0.02 }) {
  const random = prng(seed);
  const text = generateText(random, chars, emojiRate);
  // Code point offset of every UTF-16 position.
  const cpAt = new Int32Array(text.length + 1);
  for (let i = 0, cp = 0; i <= text.length; i++) {
    cpAt[i] = cp;
    const unit = text.charCodeAt(i);
    if (!(unit >= 0xd800 && unit <= 0xdbff)) cp++;
  }
  // Words (runs of non-whitespace; \s includes NBSP), with their paragraph.
  const words = [];
  let paragraph = 0;
  let lastEnd = 0;
  for (const m of text.matchAll(/\S+/g)) {
    if (text.slice(lastEnd, m.index).includes("\n")) paragraph++;
    words.push({ u16s: m.index, u16e: m.index + m[0].length, paragraph, plain: /^[A-Za-z]+$/.test(m[0]) });
    lastEnd = m.index + m[0].length;
  }
  const labels = ["claim", "quote", "deadline"];
  const label = () => labels[Math.floor(random() * labels.length)];
  const ranges = new Set();
  const spans = [];
  const add = (firstWord, lastWord, kind) => {
    const a = words[firstWord];
    const b = words[lastWord];
    if (a.paragraph !== b.paragraph) return false;
    const key = `${a.u16s}:${b.u16e}`;
    if (ranges.has(key)) return false;
    ranges.add(key);
    spans.push({ firstWord, lastWord, u16s: a.u16s, u16e: b.u16e, kind });
    return true;
  };
  // 90%: one span in each of that many equal runs of words, so they do not overlap.
  const baseCount = Math.round(spanCount * 0.9);
  const chunk = Math.floor(words.length / baseCount);
  if (chunk < 8) throw new Error("text too short for the spans");
  for (let c = 0; c < baseCount; c++) {
    for (;;) {
      const n = 1 + Math.floor(random() * 5);
      const first = c * chunk + Math.floor(random() * (chunk - n - 2));
      if (add(first, first + n - 1, "base")) break;
    }
  }
  // 10%: nested inside a base span, or overlapping its end.
  const bases = spans.slice();
  while (spans.length < spanCount) {
    const b = bases[Math.floor(random() * bases.length)];
    const width = b.lastWord - b.firstWord + 1;
    if (width >= 2 && random() < 0.5) {
      const n = 1 + Math.floor(random() * (width - 1));
      const first = b.firstWord + Math.floor(random() * (width - n + 1));
      add(first, first + n - 1, "nested");
    } else {
      const first = b.firstWord + Math.floor(random() * width);
      const last = b.lastWord + 1 + Math.floor(random() * 3);
      if (last < words.length) add(first, last, "overlapping");
    }
  }
  // Places to create spans: three plain words no span touches, with a free
  // plain word before and after (so a resize by a word stays off other spans).
  const covered = new Uint8Array(words.length);
  for (const s of spans) for (let w = s.firstWord; w <= s.lastWord; w++) covered[w] = 1;
  const freeRuns = [];
  for (let w = 1; w + 4 < words.length; w++) {
    const run = [w - 1, w, w + 1, w + 2, w + 3];
    if (run.some((i) => covered[i] || !words[i].plain || words[i].paragraph !== words[w].paragraph)) continue;
    freeRuns.push({ start: cpAt[words[w].u16s], end: cpAt[words[w + 2].u16e] });
    w += 4;
  }
  const annotations = spans
    .map((s) => ({
      label: label(),
      start: cpAt[s.u16s],
      end: cpAt[s.u16e],
      text: text.slice(s.u16s, s.u16e),
      utf16_start: s.u16s,
      utf16_end: s.u16e,
      created_at: "2025-01-01T00:00:00.000Z",
    }))
    .sort((x, y) => x.start - y.start || x.end - y.end)
    .map((a, i) => ({ id: `${ID_PREFIX}${String(i).padStart(5, "0")}`, ...a }));
  const overlapping = spans.filter((s) => s.kind !== "base").length;
  const emoji = [...text.matchAll(/\p{Extended_Pictographic}(?:\u200d\p{Extended_Pictographic})*|\p{Regional_Indicator}{2}/gu)].length;
  return {
    stats: { chars: cpAt[text.length], bytes: Buffer.byteLength(text), spans: spanCount, overlapping, emoji },
    file: nativeFile(name, text, annotations),
    freeRuns,
  };
}

/** The same file without its annotations: the document alone. */
export function withoutAnnotations(file) {
  return { ...file, documents: file.documents.map((d) => ({ ...d, annotations: [] })) };
}
