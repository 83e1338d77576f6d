//! Trimming a selected range of its surrounding whitespace, so a span never
//! starts or ends with spaces, tabs, newlines or non-breaking spaces (all
//! Unicode `White_Space`, which is what `char::is_whitespace` tests).

use super::OffsetIndex;

/// The range `[start, end)` (code points) without leading and trailing
/// whitespace; `None` when nothing but whitespace is left.
pub fn trim_whitespace(
    text: &str,
    index: &OffsetIndex,
    start: usize,
    end: usize,
) -> Option<(usize, usize)> {
    let end = end.min(index.len_chars());
    if start >= end {
        return None;
    }
    let slice = index.slice(text, start, end);
    let leading = slice.chars().take_while(|c| c.is_whitespace()).count();
    let total = end - start;
    if leading == total {
        return None;
    }
    let trailing = slice
        .chars()
        .rev()
        .take_while(|c| c.is_whitespace())
        .count();
    Some((start + leading, end - trailing))
}
