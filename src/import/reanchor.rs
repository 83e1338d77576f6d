//! Re-anchoring: placing a span from an annotation file onto OUR copy of a
//! document, whose text may differ from the one the file was made on.
//!
//! For each span, in this order:
//! 1. **Exact**: the quote is still at the old position (and its prefix and
//!    suffix match there, when the file gives them): keep the position.
//! 2. **Reanchored**: find the quote exactly elsewhere. Occurrences whose
//!    context matches more (counted in code points of prefix and suffix that
//!    agree) win; among equals, the one nearest the *expected* position, and
//!    then the earlier one. Only the [`MAX_CANDIDATES`] occurrences nearest
//!    the expected position compete (for very frequent quotes). The expected position is the old one moved by as
//!    much as the last span found near its own expected position moved (spans
//!    in text order), so a paragraph inserted near the top does not pull every
//!    later span towards stale offsets. When nothing before moved, it is the
//!    old position.
//! 3. **Fuzzy**: the most similar stretch of text near the expected position,
//!    if its similarity is at least [`MIN_SIMILARITY`]: first within 256 code
//!    points of it, then within [`FUZZY_SEARCH_RADIUS`] ([`FUZZY_SEARCH_RADII`]);
//!    the first window holding a match decides. Similarity = 1 − (Levenshtein
//!    distance in code points) / (the longer of quote and match, in code points).
//! 4. Otherwise the span is an **Orphan**: the caller lists it, with its quote.
//!
//! A span without a quote (the file carries neither it nor a text to take it
//! from) keeps its position if it lies inside the text, and is an orphan if not.
//!
//! Everything counts code points, half-open; no returned range leaves the text.
//!
//! Speed (a 1 MB text, 10,000 spans): step 1 costs a slice comparison, so an
//! unchanged text takes a few milliseconds, and so does a shifted one, since
//! the expected position is tried next. Step 2 then searches widening windows
//! around the expected position ([`EXACT_SEARCH_RADII`], SIMD substring search
//! with `memchr::memmem`); a span whose quote is not there with its whole
//! context needs the whole text, and [`Anchorer::place_all`] searches it once
//! for all such spans (Aho–Corasick). Step 3 is bounded by its windows: a
//! filter rejects a window that cannot hold a match (with at most k edits, one
//! of k + 1 pieces of the quote occurs unchanged), and the rest run a Sellers
//! dynamic programme with Ukkonen's cut-off, O(window × k). No kept-up crate
//! offers approximate *substring* search (`strsim` compares whole strings), so
//! it is written here.

use std::ops::Range;

use memchr::memmem;

use crate::text::OffsetIndex;

/// The least similarity a fuzzy match needs (see the module docs).
pub const MIN_SIMILARITY: f64 = 0.85;
/// Code points of context kept before and after a span (as in W3C `prefix`/`suffix`).
pub const CONTEXT_CHARS: usize = 32;
/// Code points each side of the expected position searched for the quote,
/// widening, before the whole text is.
pub const EXACT_SEARCH_RADII: [usize; 2] = [256, 8192];
/// Occurrences of a quote compared by context, at most: the nearest to the
/// expected position. Even "the" in a 1 MB text has its nearest 1,024 within
/// about 30,000 code points, and a text where many short quotes lost their
/// context (say, a spelling pass) then costs milliseconds, not seconds.
pub const MAX_CANDIDATES: usize = 1024;
/// Code points each side of the expected position searched for a fuzzy
/// match, widening: the first window that holds one decides.
pub const FUZZY_SEARCH_RADII: [usize; 2] = [256, 2048];
/// The widest fuzzy search.
pub const FUZZY_SEARCH_RADIUS: usize = FUZZY_SEARCH_RADII[1];

/// A span as the file gives it: its old range and, when known, its text and context.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SpanAnchor<'a> {
    pub start: usize,
    pub end: usize,
    /// The span's text in the file's version of the document.
    pub quote: Option<&'a str>,
    /// Up to [`CONTEXT_CHARS`] code points before the span in the file's version.
    pub prefix: Option<&'a str>,
    /// Up to [`CONTEXT_CHARS`] code points after the span in the file's version.
    pub suffix: Option<&'a str>,
}

/// Where a span lands on our text, and how it was found.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Placement {
    /// At its old position.
    Exact { start: usize, end: usize },
    /// Its quote, found exactly somewhere else.
    Reanchored { start: usize, end: usize },
    /// Text similar to its quote (`similarity` in `MIN_SIMILARITY..1`).
    Fuzzy {
        start: usize,
        end: usize,
        similarity: f64,
    },
    /// Nowhere.
    Orphan,
}

impl Placement {
    /// The new range, unless the span is an orphan.
    pub fn range(&self) -> Option<Range<usize>> {
        match *self {
            Placement::Exact { start, end }
            | Placement::Reanchored { start, end }
            | Placement::Fuzzy { start, end, .. } => Some(start..end),
            Placement::Orphan => None,
        }
    }
}

/// The context of `[start, end)` in `text`: up to [`CONTEXT_CHARS`] code
/// points before and after, as the file's exporter would state them.
pub fn context<'t>(
    text: &'t str,
    index: &OffsetIndex,
    start: usize,
    end: usize,
) -> (&'t str, &'t str) {
    let from = index.utf8_of(text, start);
    let to = index.utf8_of(text, end.max(start));
    context_of_bytes(text, from, to)
}

/// [`context`] of the byte range `text[from..to]`.
fn context_of_bytes(text: &str, from: usize, to: usize) -> (&str, &str) {
    let before = &text[..from];
    let prefix_from = before
        .char_indices()
        .rev()
        .nth(CONTEXT_CHARS - 1)
        .map_or(0, |(at, _)| at);
    let after = &text[to..];
    let suffix_to = after
        .char_indices()
        .nth(CONTEXT_CHARS)
        .map_or(after.len(), |(at, _)| at);
    (&before[prefix_from..], &after[..suffix_to])
}

/// Places spans on one text. Keep one per document: it follows how far the
/// text has shifted from one span to the next.
pub struct Anchorer<'t> {
    text: &'t str,
    index: &'t OffsetIndex,
    /// How far (in code points) the last span found near its expected
    /// position moved.
    shift: isize,
}

/// The outcome of looking near where a span should be.
enum Near {
    Placed(Placement),
    /// Not found near `expected`: the whole text must be searched.
    Elsewhere {
        expected: usize,
    },
}

impl<'t> Anchorer<'t> {
    /// `index` must be the offset index of `text` (as `Document::index`).
    pub fn new(text: &'t str, index: &'t OffsetIndex) -> Self {
        Anchorer {
            text,
            index,
            shift: 0,
        }
    }

    /// Places every span, in text order (so the shift of one informs the
    /// next); the placements come back in the order of `spans`. The same as
    /// [`Anchorer::place`] on each in turn, but the spans that need a
    /// whole-text search share one pass over the text (Aho–Corasick), so
    /// many moved or edited spans cost one scan rather than one each.
    pub fn place_all(&mut self, spans: &[SpanAnchor]) -> Vec<Placement> {
        let mut order: Vec<usize> = (0..spans.len()).collect();
        order.sort_by_key(|&i| (spans[i].start, spans[i].end));
        let mut placements = vec![Placement::Orphan; spans.len()];
        let mut elsewhere = Vec::new();
        for i in order {
            match self.place_near(&spans[i]) {
                Near::Placed(p) => placements[i] = p,
                Near::Elsewhere { expected } => elsewhere.push((i, expected)),
            }
        }
        if elsewhere.is_empty() {
            return placements;
        }
        let mut quotes: Vec<&str> = elsewhere
            .iter()
            .filter_map(|&(i, _)| spans[i].quote)
            .collect();
        quotes.sort_unstable();
        quotes.dedup();
        let occurrences = self.occurrences_of_all(&quotes);
        for (i, expected) in elsewhere {
            let quote = spans[i].quote.unwrap_or_default();
            let found = quotes
                .binary_search(&quote)
                .map_or(&[][..], |q| occurrences[q].as_slice());
            placements[i] = self.place_elsewhere(&spans[i], expected, found);
        }
        placements
    }

    /// Places one span (see the module docs for the rules).
    pub fn place(&mut self, span: &SpanAnchor) -> Placement {
        match self.place_near(span) {
            Near::Placed(p) => p,
            Near::Elsewhere { expected } => {
                let quote = span.quote.unwrap_or_default();
                let finder = memmem::Finder::new(quote.as_bytes());
                let found = find_overlapping(&finder, self.text.as_bytes());
                self.place_elsewhere(span, expected, &found)
            }
        }
    }

    /// Steps 1 and 2 near the expected position, which they move.
    fn place_near(&mut self, span: &SpanAnchor) -> Near {
        let len = self.index.len_chars();
        let Some(quote) = span.quote.filter(|q| !q.is_empty()) else {
            return Near::Placed(if span.start < span.end && span.end <= len {
                Placement::Exact {
                    start: span.start,
                    end: span.end,
                }
            } else {
                Placement::Orphan
            });
        };
        let quote_chars = quote.chars().count();
        let context = Context::new(span.prefix.unwrap_or(""), span.suffix.unwrap_or(""));
        let expected = self.expected(span);
        let found = self
            .exact_at(span.start, quote, quote_chars, &context)
            .or_else(|| {
                // Where the shift of the spans before puts it: nothing can be
                // nearer, so with its whole context it is the best occurrence.
                (expected != span.start)
                    .then(|| self.exact_at(expected, quote, quote_chars, &context))
                    .flatten()
            })
            .or_else(|| self.find_near(expected, quote, quote_chars, &context));
        let Some(start) = found else {
            return Near::Elsewhere { expected };
        };
        self.shift = start as isize - span.start as isize;
        Near::Placed(placed_exactly(span, start, quote_chars))
    }

    /// Step 2 over the whole text (`occurrences`: the quote's byte offsets),
    /// then step 3.
    fn place_elsewhere(
        &self,
        span: &SpanAnchor,
        expected: usize,
        occurrences: &[usize],
    ) -> Placement {
        let quote = span.quote.unwrap_or_default();
        let context = Context::new(span.prefix.unwrap_or(""), span.suffix.unwrap_or(""));
        if let Some((_, start)) = self.best_occurrence(occurrences, quote, &context, expected) {
            return placed_exactly(span, start, quote.chars().count());
        }
        match self.find_fuzzy(expected, quote) {
            Some((start, end, similarity)) => Placement::Fuzzy {
                start,
                end,
                similarity,
            },
            None => Placement::Orphan,
        }
    }

    /// Byte offsets of every occurrence (overlapping ones too) of each of
    /// `quotes`, in one pass over the text.
    fn occurrences_of_all(&self, quotes: &[&str]) -> Vec<Vec<usize>> {
        let mut found = vec![Vec::new(); quotes.len()];
        match aho_corasick::AhoCorasick::new(quotes) {
            Ok(automaton) => {
                for m in automaton.find_overlapping_iter(self.text) {
                    found[m.pattern().as_usize()].push(m.start());
                }
            }
            // Too many patterns for one automaton: one search each.
            Err(_) => {
                for (q, quote) in quotes.iter().enumerate() {
                    let finder = memmem::Finder::new(quote.as_bytes());
                    found[q] = find_overlapping(&finder, self.text.as_bytes());
                }
            }
        }
        found
    }

    fn expected(&self, span: &SpanAnchor) -> usize {
        let moved = span.start as isize + self.shift;
        (moved.max(0) as usize).min(self.index.len_chars())
    }

    /// Whether the quote and its whole context are at code point `start`.
    fn exact_at(
        &self,
        start: usize,
        quote: &str,
        quote_chars: usize,
        context: &Context,
    ) -> Option<usize> {
        if start.checked_add(quote_chars)? > self.index.len_chars() {
            return None;
        }
        let from = self.index.utf8_of(self.text, start);
        let to = from + quote.len();
        let here = self.text.get(from..to)?;
        (here == quote && context.is_whole(self.text, from, to)).then_some(start)
    }

    /// Step 2 in widening windows around `expected`: the best occurrence if
    /// it is provably the best in the whole text (its context is whole, or
    /// the window is the whole text).
    fn find_near(
        &self,
        expected: usize,
        quote: &str,
        quote_chars: usize,
        context: &Context,
    ) -> Option<usize> {
        let len = self.index.len_chars();
        let finder = memmem::Finder::new(quote.as_bytes());
        for radius in EXACT_SEARCH_RADII {
            let lo = expected.saturating_sub(radius);
            let hi = (expected + radius + quote_chars).min(len);
            let (blo, bhi) = (
                self.index.utf8_of(self.text, lo),
                self.index.utf8_of(self.text, hi),
            );
            let in_window: Vec<usize> = find_overlapping(&finder, &self.text.as_bytes()[blo..bhi])
                .into_iter()
                .map(|at| blo + at)
                .collect();
            let best = self.best_occurrence(&in_window, quote, context, expected);
            if let Some((score, start)) = best {
                // Anything outside the window is farther from `expected`
                // than this, so it could only win on context, and this
                // one's is whole.
                if score == context.max_score() {
                    return Some(start);
                }
            }
            if lo == 0 && hi == len {
                return best.map(|(_, start)| start);
            }
        }
        None
    }

    /// Of the [`MAX_CANDIDATES`] occurrences nearest `expected`
    /// (`occurrences`: byte offsets, ascending), the one with the best
    /// context score, then nearest `expected`, then first:
    /// `(score, code point start)`.
    fn best_occurrence(
        &self,
        occurrences: &[usize],
        quote: &str,
        context: &Context,
        expected: usize,
    ) -> Option<(usize, usize)> {
        let occurrences = if occurrences.len() > MAX_CANDIDATES {
            let at = occurrences.partition_point(|&b| b < self.index.utf8_of(self.text, expected));
            let from = at
                .saturating_sub(MAX_CANDIDATES / 2)
                .min(occurrences.len() - MAX_CANDIDATES);
            &occurrences[from..from + MAX_CANDIDATES]
        } else {
            occurrences
        };
        let scores: Vec<usize> = occurrences
            .iter()
            .map(|&from| context.score(self.text, from, from + quote.len()))
            .collect();
        let top = *scores.iter().max()?;
        occurrences
            .iter()
            .zip(&scores)
            .filter(|(_, &score)| score == top)
            .map(|(&from, _)| self.index.cp_of_utf8(self.text, from))
            .min_by_key(|&start| (start.abs_diff(expected), start))
            .map(|start| (top, start))
    }

    /// Step 3: the most similar stretch near the expected position.
    fn find_fuzzy(&self, expected: usize, quote: &str) -> Option<(usize, usize, f64)> {
        let pattern: Vec<char> = quote.chars().collect();
        let max_edits = max_edits(pattern.len());
        if max_edits == 0 {
            return None;
        }
        let len = self.index.len_chars();
        let mut searched = 0..0;
        for radius in FUZZY_SEARCH_RADII {
            let lo = expected.saturating_sub(radius);
            let hi = (expected + radius + pattern.len()).min(len);
            if searched == (lo..hi) {
                break;
            }
            searched = lo..hi;
            let window = self.index.slice(self.text, lo, hi);
            if !may_hold_match(&pattern, max_edits, window) {
                continue;
            }
            let window: Vec<char> = window.chars().collect();
            if let Some(found) = best_fuzzy(&pattern, &window, max_edits, expected - lo) {
                return Some((lo + found.start, lo + found.end, found.similarity()));
            }
        }
        None
    }
}

/// Every occurrence of the finder's needle in `haystack`, overlapping ones
/// included ("aa" occurs twice in "aaa"; `memmem::find_iter` finds one).
fn find_overlapping(finder: &memmem::Finder, haystack: &[u8]) -> Vec<usize> {
    let mut found = Vec::new();
    let mut from = 0;
    while let Some(at) = finder.find(&haystack[from..]) {
        found.push(from + at);
        from += at + 1;
    }
    found
}

/// `Exact` when the quote is found where the span was, else `Reanchored`.
fn placed_exactly(span: &SpanAnchor, start: usize, quote_chars: usize) -> Placement {
    let end = start + quote_chars;
    if start == span.start && end == span.end {
        Placement::Exact { start, end }
    } else {
        Placement::Reanchored { start, end }
    }
}

/// The prefix and suffix a span should have around it.
struct Context<'a> {
    prefix: &'a str,
    suffix: &'a str,
    /// The score of a whole match: both lengths, in code points.
    whole: usize,
}

impl<'a> Context<'a> {
    fn new(prefix: &'a str, suffix: &'a str) -> Self {
        Context {
            prefix,
            suffix,
            whole: prefix.chars().count() + suffix.chars().count(),
        }
    }

    fn max_score(&self) -> usize {
        self.whole
    }

    /// Whether all of the prefix and suffix surround `text[from..to]`.
    fn is_whole(&self, text: &str, from: usize, to: usize) -> bool {
        text[..from].ends_with(self.prefix) && text[to..].starts_with(self.suffix)
    }

    /// Code points of the prefix (read backwards from the span) and suffix
    /// that agree with the text around `text[from..to]`.
    fn score(&self, text: &str, from: usize, to: usize) -> usize {
        if self.is_whole(text, from, to) {
            return self.whole;
        }
        // Bytes are compared (no decoding); a character counts when all its
        // bytes agree, so the byte counts are cut back to character edges.
        let same_before = self
            .prefix
            .bytes()
            .rev()
            .zip(text[..from].bytes().rev())
            .take_while(|(a, b)| a == b)
            .count();
        let mut edge = self.prefix.len() - same_before;
        while !self.prefix.is_char_boundary(edge) {
            edge += 1;
        }
        let same_after = self
            .suffix
            .bytes()
            .zip(text[to..].bytes())
            .take_while(|(a, b)| a == b)
            .count();
        let mut cut = same_after;
        while !self.suffix.is_char_boundary(cut) {
            cut -= 1;
        }
        self.prefix[edge..].chars().count() + self.suffix[..cut].chars().count()
    }
}

/// The most edits a match of a quote of `len` code points may need to reach
/// [`MIN_SIMILARITY`]: `d / (len + d) <= 1 - MIN_SIMILARITY`.
fn max_edits(len: usize) -> usize {
    ((len as f64) * (1.0 - MIN_SIMILARITY) / MIN_SIMILARITY + 1e-9).floor() as usize
}

/// Whether `window` can hold a match of `pattern` with at most `max_edits`
/// edits: cut into `max_edits + 1` pieces, one piece must occur unchanged.
fn may_hold_match(pattern: &[char], max_edits: usize, window: &str) -> bool {
    let pieces = max_edits + 1;
    (0..pieces).any(|p| {
        let from = p * pattern.len() / pieces;
        let to = (p + 1) * pattern.len() / pieces;
        let piece: String = pattern[from..to].iter().collect();
        !piece.is_empty() && memmem::find(window.as_bytes(), piece.as_bytes()).is_some()
    })
}

/// A match in a window: `[start, end)` in code points of the window.
#[derive(Debug, Clone, Copy)]
struct FuzzyMatch {
    start: usize,
    end: usize,
    distance: usize,
    pattern_len: usize,
}

impl FuzzyMatch {
    fn longer(&self) -> usize {
        self.pattern_len.max(self.end - self.start)
    }

    fn similarity(&self) -> f64 {
        1.0 - self.distance as f64 / self.longer() as f64
    }

    /// Whether `self` is more similar than `other` (exact, in integers).
    fn more_similar(&self, other: &FuzzyMatch) -> std::cmp::Ordering {
        // d1 / l1 < d2 / l2  <=>  d1 * l2 < d2 * l1
        (other.distance * self.longer()).cmp(&(self.distance * other.longer()))
    }
}

/// The stretch of `window` most similar to `pattern` with at most
/// `max_edits` edits, at least [`MIN_SIMILARITY`] similar; among equals the
/// one starting nearest `centre`, then the first.
///
/// For each end it considers the stretch with the fewest edits (the longest
/// of those), then takes the most similar over all ends. That is the most
/// similar stretch of all: a longer one with more edits would need
/// `(d' - d) * m < d * d'`, impossible while `max_edits² <= m`, i.e. for
/// quotes up to 32 code points; beyond, it can only lose by a hair.
///
/// Sellers' algorithm (edit distance with a free start in the text), column
/// by column over the window, remembering where each alignment started, and
/// with Ukkonen's cut-off: rows whose cost exceeds `max_edits` are not
/// computed, since costs never fall along a diagonal.
fn best_fuzzy(
    pattern: &[char],
    window: &[char],
    max_edits: usize,
    centre: usize,
) -> Option<FuzzyMatch> {
    let m = pattern.len();
    let cap = max_edits + 1;
    // cells[i] = (cost, start): the edit distance of pattern[..i] to the best
    // text stretch ending at the current column (capped at `cap`), and where
    // that stretch starts.
    let mut cells: Vec<(usize, usize)> = (0..=m).map(|i| (i.min(cap), 0)).collect();
    let mut top = max_edits.min(m);
    let mut prev_last = m;
    let mut best: Option<FuzzyMatch> = None;
    for (j, &c) in window.iter().enumerate() {
        let last = (top + 1).min(m);
        let mut diag = cells[0];
        let mut up = (0, j + 1);
        cells[0] = up;
        for (cell, &p) in cells[1..=last].iter_mut().zip(pattern) {
            let left = *cell;
            // Fewest edits, then the earliest start: at one end, the longest
            // of the closest stretches is the most similar (see above).
            let (cost, start) = (diag.0 + usize::from(p != c), diag.1)
                .min((up.0 + 1, up.1))
                .min((left.0 + 1, left.1));
            diag = left;
            up = (cost.min(cap), start);
            *cell = up;
        }
        // Rows past `last` are over the cut-off; clear what an earlier,
        // longer column left there.
        for cell in cells.iter_mut().take(prev_last + 1).skip(last + 1) {
            cell.0 = cap;
        }
        prev_last = last;
        top = last;
        while cells[top].0 > max_edits {
            top -= 1;
        }
        if top == m {
            let candidate = FuzzyMatch {
                start: cells[m].1,
                end: j + 1,
                distance: cells[m].0,
                pattern_len: m,
            };
            let better = match &best {
                None => true,
                Some(b) => {
                    candidate.more_similar(b).then_with(|| {
                        b.start
                            .abs_diff(centre)
                            .cmp(&candidate.start.abs_diff(centre))
                            .then(b.start.cmp(&candidate.start))
                    }) == std::cmp::Ordering::Greater
                }
            };
            if better {
                best = Some(candidate);
            }
        }
    }
    best.filter(|b| b.similarity() >= MIN_SIMILARITY && b.end > b.start)
}

/// Places `spans` on `text` (convenience for one-off use; builds the index).
pub fn reanchor(text: &str, spans: &[SpanAnchor]) -> Vec<Placement> {
    let index = OffsetIndex::new(text);
    Anchorer::new(text, &index).place_all(spans)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn distance(a: &str, b: &str) -> usize {
        let a: Vec<char> = a.chars().collect();
        let b: Vec<char> = b.chars().collect();
        let mut row: Vec<usize> = (0..=b.len()).collect();
        for i in 1..=a.len() {
            let mut diag = row[0];
            row[0] = i;
            for j in 1..=b.len() {
                let up = row[j];
                row[j] = (diag + usize::from(a[i - 1] != b[j - 1]))
                    .min(up + 1)
                    .min(row[j - 1] + 1);
                diag = up;
            }
        }
        row[b.len()]
    }

    #[test]
    fn fuzzy_distance_is_the_edit_distance_of_the_stretch_it_names() {
        let pattern: Vec<char> = "the quick brown fox jumps".chars().collect();
        let text = "a lazy dog; the quikc brown fox jumped over";
        let window: Vec<char> = text.chars().collect();
        let found = best_fuzzy(&pattern, &window, max_edits(pattern.len()), 12).unwrap();
        let stretch: String = window[found.start..found.end].iter().collect();
        assert_eq!(
            found.distance,
            distance("the quick brown fox jumps", &stretch)
        );
        assert!(stretch.starts_with("the qui"), "{stretch:?}");
    }

    #[test]
    fn context_scores_count_whole_characters_only() {
        // "é" is C3 A9 and "©" is C2 A9: their last bytes agree, but they differ.
        let context = Context::new("x é", "é y");
        let text = "a ©QUOTE© b";
        let from = text.find("QUOTE").unwrap();
        assert_eq!(context.score(text, from, from + 5), 0);
        let text = "x éQUOTEé z";
        let from = text.find("QUOTE").unwrap();
        assert_eq!(context.score(text, from, from + 5), 3 + 2);
        let text = "zx éQUOTEé y!";
        let from = text.find("QUOTE").unwrap();
        assert_eq!(context.score(text, from, from + 5), context.max_score());
    }

    #[test]
    fn max_edits_keeps_similarity_above_the_minimum() {
        for len in 1..200 {
            let d = max_edits(len);
            assert!(1.0 - d as f64 / (len + d) as f64 >= MIN_SIMILARITY);
            let more = d + 1;
            assert!(1.0 - more as f64 / (len + more) as f64 <= MIN_SIMILARITY + 1e-12);
        }
    }
}
