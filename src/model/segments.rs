//! Layout for painting: which spans touch which block, and how a block splits
//! into segments at span boundaries. A segment is a maximal run of text
//! covered by the same set of spans, so overlapping and nested spans all stay
//! visible: each segment knows every span over it.

use std::borrow::Borrow;
use std::ops::Range;
use std::rc::Rc;

use super::{Annotation, Block};

/// What the view needs of one span.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SpanRef {
    pub id: Rc<str>,
    pub label: Rc<str>,
    pub start: usize,
    pub end: usize,
    /// Whether the span carries a note (the text marks where such a span ends).
    pub has_note: bool,
}

/// A run `[start, end)` of a block and the spans covering it, innermost
/// (shortest) first.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    pub spans: Vec<SpanRef>,
}

/// For each block, the spans that overlap it, in annotation order.
/// `annotations` must be sorted by start. Linear in blocks plus assignments.
/// (Any `Borrow<Annotation>`: the store shares each one.)
pub fn assign_to_blocks<A: Borrow<Annotation>>(
    blocks: &[Block],
    annotations: &[A],
) -> Vec<Rc<[SpanRef]>> {
    let empty: Rc<[SpanRef]> = Rc::from(Vec::new());
    let mut out = Vec::with_capacity(blocks.len());
    // Spans that started before the current block and may still reach into it.
    let mut active: Vec<SpanRef> = Vec::new();
    let mut next = 0;
    for block in blocks {
        active.retain(|s| s.end > block.start);
        while next < annotations.len()
            && annotations[next].borrow().start < block.end.max(block.start + 1)
        {
            let a = annotations[next].borrow();
            if a.end > block.start {
                active.push(SpanRef {
                    id: Rc::from(a.id.as_str()),
                    label: Rc::from(a.label.as_str()),
                    start: a.start,
                    end: a.end,
                    has_note: a.note.is_some(),
                });
            }
            next += 1;
        }
        let here: Vec<SpanRef> = active
            .iter()
            .filter(|s| s.start < block.end && s.end > block.start)
            .cloned()
            .collect();
        out.push(if here.is_empty() {
            empty.clone()
        } else {
            here.into()
        });
    }
    out
}

/// The spans of each line, gathered per group of lines (see
/// [`group_blocks`]): `[g][i]` holds the spans over line `groups[g].start + i`.
pub type GroupSpans = Vec<Rc<[Rc<[SpanRef]>]>>;

/// [`assign_to_blocks`], gathered per group.
pub fn assign_to_groups<A: Borrow<Annotation>>(
    blocks: &[Block],
    groups: &[Range<usize>],
    annotations: &[A],
) -> GroupSpans {
    let per_line = assign_to_blocks(blocks, annotations);
    groups
        .iter()
        .map(|range| Rc::from(&per_line[range.clone()]))
        .collect()
}

/// What [`assign_to_groups`] gives for `now`, reusing the groups of
/// `before` (computed for `was`) that no change touches: an edit rebuilds
/// the group it is in, not all of them. The changes are what lies between
/// the longest common prefix and suffix of the two sorted lists; a group
/// that overlaps none of them holds the very same spans in both.
pub fn reassign_to_groups<A: Borrow<Annotation>>(
    blocks: &[Block],
    groups: &[Range<usize>],
    was: &[A],
    before: &GroupSpans,
    now: &[A],
) -> GroupSpans {
    if before.len() != groups.len() {
        return assign_to_groups(blocks, groups, now);
    }
    // What a `SpanRef` holds, ranges first: most spans differ there, and
    // numbers compare cheaply (creation times and note texts are not painted).
    let same = |(a, b): &(&A, &A)| {
        let (a, b) = ((*a).borrow(), (*b).borrow());
        a.start == b.start
            && a.end == b.end
            && a.note.is_some() == b.note.is_some()
            && a.label == b.label
            && a.id == b.id
    };
    let prefix = was.iter().zip(now).take_while(same).count();
    let room = was.len().min(now.len()) - prefix;
    let suffix = was[prefix..]
        .iter()
        .rev()
        .zip(now[prefix..].iter().rev())
        .take(room)
        .take_while(same)
        .count();
    let changed = was[prefix..was.len() - suffix]
        .iter()
        .chain(&now[prefix..now.len() - suffix]);
    // Closed on both ends, so a span ending at a group's first code point
    // (or an empty line) counts as touching it: rebuilding one group too many
    // costs little, missing one would paint stale spans.
    let touched: Vec<(usize, usize)> = changed
        .map(|a| (a.borrow().start, a.borrow().end))
        .collect();
    if touched.is_empty() {
        return before.clone();
    }
    groups
        .iter()
        .zip(before)
        .map(|(range, old)| {
            let (from, to) = (blocks[range.start].start, blocks[range.end - 1].end);
            if !touched.iter().any(|&(s, e)| s <= to && e >= from) {
                return old.clone();
            }
            // Every span that overlaps this group's lines, in order.
            let here: Vec<&Annotation> = now
                .iter()
                .map(Borrow::borrow)
                .filter(|a| a.start <= to && a.end > from)
                .collect();
            Rc::from(assign_to_blocks(&blocks[range.clone()], &here))
        })
        .collect()
}

/// Splits `[block_start, block_end)` at every boundary of `spans` inside it.
/// Segments tile the block exactly; uncovered runs have no spans.
pub fn segments(block_start: usize, block_end: usize, spans: &[SpanRef]) -> Vec<Segment> {
    let mut cuts: Vec<usize> = Vec::with_capacity(spans.len() * 2 + 2);
    cuts.push(block_start);
    cuts.push(block_end);
    for s in spans {
        for at in [s.start, s.end] {
            if at > block_start && at < block_end {
                cuts.push(at);
            }
        }
    }
    cuts.sort_unstable();
    cuts.dedup();
    cuts.windows(2)
        .map(|w| {
            let (start, end) = (w[0], w[1]);
            let mut covering: Vec<SpanRef> = spans
                .iter()
                .filter(|s| s.start <= start && s.end >= end)
                .cloned()
                .collect();
            covering.sort_by_key(|s| (s.end - s.start, std::cmp::Reverse(s.start)));
            Segment {
                start,
                end,
                spans: covering,
            }
        })
        .collect()
}

/// The span a click on a segment selects. `covering` lists the spans under
/// the pointer innermost first. A first click takes the innermost; clicking
/// again where the selected span is among them moves to the next one out
/// (wrapping), so every span of a stack can be reached.
pub fn span_to_select<'a>(covering: &[&'a str], selected: Option<&str>) -> Option<&'a str> {
    let first = *covering.first()?;
    let Some(current) = selected else {
        return Some(first);
    };
    match covering.iter().position(|id| *id == current) {
        Some(i) => Some(covering[(i + 1) % covering.len()]),
        None => Some(first),
    }
}

/// Splits lines into consecutive groups of at most `max_lines` lines; a group
/// closes after the line that brings it to `max_chars` code points (so a very
/// long line ends its group, and a group never holds two lines that cross the
/// limit). The view paints and re-paints a group as a unit, so a
/// long document is a few hundred groups rather than thousands of lines.
pub fn group_blocks(blocks: &[Block], max_chars: usize, max_lines: usize) -> Vec<Range<usize>> {
    let mut groups = Vec::new();
    let mut first = 0;
    for (i, block) in blocks.iter().enumerate() {
        let lines = i + 1 - first;
        if lines >= max_lines || block.end - blocks[first].start >= max_chars {
            groups.push(first..i + 1);
            first = i + 1;
        }
    }
    if first < blocks.len() {
        groups.push(first..blocks.len());
    }
    groups
}
