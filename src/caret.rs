//! The caret and the keyboard selection (code points), and what keyboard
//! commands do to them and to spans: where a motion takes the caret, which
//! span Tab or the cycle key selects, where a resize key moves a span's
//! edge. Pure, so it is tested natively; the shell only carries out the
//! results (and does the one motion that needs the layout: up and down a
//! displayed line).

use std::borrow::Borrow;

use crate::keymap::{Motion, SpanEdge, Step};
use crate::model::{span_to_select, Annotation, Document};
use crate::text::boundaries::{self, Edge, Unit};

/// The caret (`focus`) and the other end of the selection (`anchor`); they
/// are equal when nothing is selected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Hash)]
pub struct Caret {
    pub anchor: usize,
    pub focus: usize,
}

impl Caret {
    /// A caret with nothing selected.
    pub fn at(pos: usize) -> Self {
        Caret {
            anchor: pos,
            focus: pos,
        }
    }

    pub fn is_collapsed(&self) -> bool {
        self.anchor == self.focus
    }

    /// The selection as a range, lower end first.
    pub fn range(&self) -> (usize, usize) {
        (self.anchor.min(self.focus), self.anchor.max(self.focus))
    }

    /// The caret moved to `pos`, keeping the anchor when `extend`.
    pub fn to(self, pos: usize, extend: bool) -> Self {
        if extend {
            Caret {
                anchor: self.anchor,
                focus: pos,
            }
        } else {
            Caret::at(pos)
        }
    }
}

/// Where `motion` takes the caret, or `None` for [`Motion::VisualLine`],
/// which depends on the layout. Without `extend`, a character move with a
/// selection collapses it to its left or right end, as text editors do.
pub fn moved(
    doc: &Document,
    caret: Caret,
    motion: Motion,
    forward: bool,
    extend: bool,
) -> Option<Caret> {
    let (text, index) = (doc.text(), doc.index());
    let from = caret.focus.min(doc.len());
    let stop = |unit, edge_forward: Edge, edge_backward: Edge| {
        if forward {
            boundaries::next(text, index, from, unit, edge_forward)
        } else {
            boundaries::previous(text, index, from, unit, edge_backward)
        }
    };
    let pos = match motion {
        Motion::Grapheme if !extend && !caret.is_collapsed() => {
            let (start, end) = caret.range();
            return Some(Caret::at(if forward { end } else { start }));
        }
        Motion::Grapheme => stop(Unit::Grapheme, Edge::End, Edge::Start),
        Motion::Word => stop(Unit::Word, Edge::End, Edge::Start),
        Motion::Sentence => stop(Unit::Sentence, Edge::End, Edge::Start),
        Motion::Paragraph => stop(Unit::Paragraph, Edge::End, Edge::Start),
        Motion::LineEdge if forward => boundaries::line_end(text, index, from),
        Motion::LineEdge => boundaries::line_start(text, index, from),
        Motion::DocumentEdge if forward => doc.len(),
        Motion::DocumentEdge => 0,
        Motion::VisualLine => return None,
    };
    Some(caret.to(pos, extend))
}

/// The span Tab (`forward`) or Shift+Tab selects: the next or previous one
/// in text order from the selected span, or with none selected, the first
/// one starting at or after the caret (the last one starting before it).
/// `annotations` are in text order, as the store keeps them (shared there,
/// hence any `Borrow<Annotation>`).
pub fn adjacent_span<'a, A: Borrow<Annotation>>(
    annotations: &'a [A],
    selected: Option<&str>,
    caret: usize,
    forward: bool,
) -> Option<&'a Annotation> {
    let at = |i: usize| annotations.get(i).map(Borrow::borrow);
    let mut all = annotations.iter().map(Borrow::borrow);
    if let Some(found) = selected.and_then(|id| all.clone().position(|a| a.id == id)) {
        return if forward {
            at(found + 1)
        } else {
            found.checked_sub(1).and_then(at)
        };
    }
    if forward {
        all.find(|a| a.start >= caret)
    } else {
        all.rev().find(|a| a.start < caret)
    }
}

/// The spans under the caret at `pos`, innermost (shortest) first: those
/// covering the character after it, or else those ending just before it.
pub fn spans_at<A: Borrow<Annotation>>(annotations: &[A], pos: usize) -> Vec<&Annotation> {
    let all = annotations.iter().map(Borrow::borrow);
    let mut under: Vec<&Annotation> = all
        .clone()
        .filter(|a| a.start <= pos && pos < a.end)
        .collect();
    if under.is_empty() {
        under = all.filter(|a| a.end == pos).collect();
    }
    under.sort_by_key(|a| (a.end - a.start, std::cmp::Reverse(a.start)));
    under
}

/// The span the cycle key selects: the innermost under the caret, then each
/// next one out, wrapping (as clicking again on stacked spans does).
pub fn cycle_at<'a, A: Borrow<Annotation>>(
    annotations: &'a [A],
    selected: Option<&str>,
    pos: usize,
) -> Option<&'a str> {
    let under: Vec<&str> = spans_at(annotations, pos)
        .into_iter()
        .map(|a| a.id.as_str())
        .collect();
    span_to_select(&under, selected)
}

/// The span `[start, end)` with one edge moved by a word or a character
/// (a whole grapheme cluster): `forward` moves it right. `None` when the
/// edge cannot move (the text's edge) or the span would be empty.
pub fn resized(
    doc: &Document,
    (start, end): (usize, usize),
    edge: SpanEdge,
    forward: bool,
    step: Step,
) -> Option<(usize, usize)> {
    let (text, index) = (doc.text(), doc.index());
    let (unit, word_edge) = match (step, edge) {
        (Step::Character, _) => (Unit::Grapheme, Edge::Start),
        (Step::Word, SpanEdge::Start) => (Unit::Word, Edge::Start),
        (Step::Word, SpanEdge::End) => (Unit::Word, Edge::End),
    };
    let from = match edge {
        SpanEdge::Start => start,
        SpanEdge::End => end,
    };
    let step_from = |at: usize| {
        if forward {
            boundaries::next(text, index, at, unit, word_edge)
        } else {
            boundaries::previous(text, index, at, unit, word_edge)
        }
    };
    let mut to = step_from(from);
    // Growing by a character over whitespace goes on to the next visible
    // one: the store trims edge whitespace, so the key would seem dead.
    let growing = matches!(
        (edge, forward),
        (SpanEdge::End, true) | (SpanEdge::Start, false)
    );
    if step == Step::Character && growing {
        while to != 0 && to != doc.len() && doc.slice(to.min(from), to.max(from)).trim().is_empty()
        {
            to = step_from(to);
        }
    }
    let range = match edge {
        SpanEdge::Start => (to, end),
        SpanEdge::End => (start, to),
    };
    (to != from && range.0 < range.1).then_some(range)
}
