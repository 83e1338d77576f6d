//! The JSONL dataset format: one JSON object per line, one line per document,
//! readable by spaCy/Prodigy (`spans`) and doccano (`label`):
//!
//! ```text
//! {"id":1,"name":"a.txt","sha256":"…","offset_unit":"codepoint","text":"…",
//!  "spans":[{"start":3,"end":5,"label":"claim","text":"…","id":"…",
//!            "utf16_start":3,"utf16_end":7,"note":"…"}],
//!  "label":[[3,5,"claim"]]}
//! ```
//!
//! `start`/`end` and the `label` triples are half-open code point offsets
//! into `text`, and every line says so in `offset_unit`; `utf16_start` and
//! `utf16_end` are the same positions in UTF-16 code units. doccano counts
//! in UTF-16, so for texts with characters beyond the Basic Multilingual
//! Plane (emoji, 𝕏) its users should take the UTF-16 fields. `id` is the
//! document's position in the file, from 1. A span's `note` is written only
//! when it has one.
//!
//! [`parse`] reads either span style, or both (then they must name the same
//! spans). `text` is required; `name`, `sha256` and `offset_unit` are checked
//! when present; fields other tools add (`meta`, `tokens`, `_input_hash`…)
//! are ignored. Blank lines are skipped.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use super::interchange::{
    FormatKind, ImportError, Interchange, InterchangeDocument, InterchangeSpan,
};
use super::{
    char_column, first_repeat, import_error, sha256_hex, sorted_annotations, ExportOptions,
    IndexedText, JsonProblem,
};
use crate::model::Label;
use crate::store::Entry;

pub const OFFSET_UNIT: &str = "codepoint";

#[derive(Serialize)]
struct LineOut<'a> {
    id: usize,
    name: &'a str,
    sha256: &'a str,
    offset_unit: &'static str,
    text: &'a str,
    spans: Vec<SpanOut<'a>>,
    label: Vec<(usize, usize, &'a str)>,
}

#[derive(Serialize)]
struct SpanOut<'a> {
    start: usize,
    end: usize,
    label: &'a str,
    text: &'a str,
    id: &'a str,
    utf16_start: usize,
    utf16_end: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    note: Option<&'a str>,
}

/// One line per entry, each ending in `\n`. The labels are not written: the
/// format has no place for them (spans name theirs).
pub fn export(entries: &[&Entry], _labels: &[Label], _options: &ExportOptions) -> String {
    let mut out = String::new();
    for (n, entry) in entries.iter().enumerate() {
        let doc = &entry.doc;
        let annotations = sorted_annotations(entry);
        let line = LineOut {
            id: n + 1,
            name: &doc.name,
            sha256: doc.sha256(),
            offset_unit: OFFSET_UNIT,
            text: doc.text(),
            spans: annotations
                .iter()
                .map(|a| SpanOut {
                    start: a.start,
                    end: a.end,
                    label: &a.label,
                    text: doc.slice(a.start, a.end),
                    id: &a.id,
                    utf16_start: doc.utf16_of(a.start),
                    utf16_end: doc.utf16_of(a.end),
                    note: a.note.as_deref(),
                })
                .collect(),
            label: annotations
                .iter()
                .map(|a| (a.start, a.end, a.label.as_str()))
                .collect(),
        };
        out.push_str(&serde_json::to_string(&line).expect("export types always serialise"));
        out.push('\n');
    }
    out
}

// Strings borrow from the line where they have no escapes: a 10,000-span
// line would otherwise allocate every label, id and quote twice.
#[derive(Deserialize)]
#[serde(expecting = "a JSON object (one document per line)")]
struct LineIn<'a> {
    name: Option<String>,
    sha256: Option<Cow<'a, str>>,
    offset_unit: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Cow<'a, str>,
    #[serde(borrow)]
    spans: Option<Vec<SpanIn<'a>>>,
    #[serde(borrow)]
    label: Option<Vec<(usize, usize, Cow<'a, str>)>>,
}

#[derive(Deserialize)]
#[serde(expecting = "a span object with start, end and label")]
struct SpanIn<'a> {
    start: usize,
    end: usize,
    #[serde(borrow)]
    label: Cow<'a, str>,
    #[serde(borrow)]
    id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    text: Option<Cow<'a, str>>,
    #[serde(borrow)]
    note: Option<Cow<'a, str>>,
    utf16_start: Option<usize>,
    utf16_end: Option<usize>,
}

/// Reads a JSONL dataset, all or nothing. Errors are at `line N, column M`
/// (syntax) or `line N, <field path>`.
pub fn parse(input: &str) -> Result<Interchange, ImportError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    let mut documents = Vec::new();
    for (n, line) in input.split('\n').enumerate() {
        let line_no = n + 1;
        if line.trim().is_empty() {
            continue;
        }
        documents.push(parse_line(line, line_no)?);
    }
    Ok(Interchange {
        format: FormatKind::Jsonl,
        labels: Vec::new(),
        documents,
    })
}

fn parse_line(line: &str, line_no: usize) -> Result<InterchangeDocument, ImportError> {
    // serde would read an array as an object's fields in order; refuse it here.
    let first = line.trim_start();
    if !first.starts_with('{') {
        let column = line.len() - first.len() + 1;
        let found = first.chars().next().unwrap_or(' ');
        return Err(import_error(
            format!("line {line_no}, column {}", char_column(line, 1, column)),
            format!("found {found:?}; expected a JSON object (one document per line)"),
        ));
    }
    // Without path tracking first (see `formats::from_json`); a broken line
    // is read again to say where.
    let parsed: LineIn = match serde_json::from_str(line) {
        Ok(parsed) => parsed,
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(line);
            let parsed: LineIn = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let mut what = JsonProblem::of(&e);
                what.column = char_column(line, 1, what.column);
                let at = match what.path {
                    Some(path) if !what.syntax => format!("line {line_no}, {path}"),
                    Some(path) => format!("line {line_no}, column {} ({path})", what.column),
                    None if what.syntax => format!("line {line_no}, column {}", what.column),
                    None => format!("line {line_no}"),
                };
                import_error(at, what.problem)
            })?;
            de.end().map_err(|e| {
                import_error(
                    format!(
                        "line {line_no}, column {}",
                        char_column(line, 1, e.column())
                    ),
                    "unexpected content after the JSON object; expected one document per line",
                )
            })?;
            parsed
        }
    };
    let at = |field: &str| format!("line {line_no}, {field}");
    if let Some(unit) = &parsed.offset_unit {
        if unit != OFFSET_UNIT {
            return Err(import_error(
                at("offset_unit"),
                format!("expected \"{OFFSET_UNIT}\", found {unit:?}"),
            ));
        }
    }
    let actual = sha256_hex(&parsed.text);
    if let Some(sha256) = &parsed.sha256 {
        if *sha256 != actual {
            return Err(import_error(
                at("sha256"),
                format!("does not match the text (its SHA-256 is {actual})"),
            ));
        }
    }
    let text = IndexedText::new(&parsed.text);
    let checked = match parsed.spans {
        Some(spans) => Some(check_spans(spans, &text, &at)?),
        None => None,
    };
    if let Some(triples) = &parsed.label {
        check_triples(triples, &text, &at)?;
    }
    let spans = match (checked, &parsed.label) {
        (Some(spans), Some(triples)) => {
            check_agreement(&spans, triples, &at)?;
            spans
        }
        (Some(spans), None) => spans,
        (None, Some(triples)) => triples
            .iter()
            .map(|(start, end, label)| InterchangeSpan {
                id: None,
                label: label.to_string(),
                start: *start,
                end: *end,
                quote: Some(text.slice(*start, *end).to_owned()),
                prefix: None,
                suffix: None,
                note: None,
                created_at: None,
            })
            .collect(),
        (None, None) => Vec::new(),
    };
    Ok(InterchangeDocument {
        name: parsed.name,
        sha256: Some(actual),
        text: Some(parsed.text.into_owned()),
        status: None,
        spans,
    })
}

/// What is wrong with a span's range, if anything: it must be non-empty
/// and inside the text.
fn range_problem(start: usize, end: usize, text: &IndexedText) -> Option<String> {
    if start >= end {
        Some(format!("end ({end}) must be greater than start ({start})"))
    } else if end > text.len() {
        Some(format!(
            "end ({end}) is past the end of the text ({} code points)",
            text.len()
        ))
    } else {
        None
    }
}

fn check_spans(
    spans: Vec<SpanIn>,
    text: &IndexedText,
    at: &dyn Fn(&str) -> String,
) -> Result<Vec<InterchangeSpan>, ImportError> {
    let mut out = Vec::with_capacity(spans.len());
    let checked = check_each_span(spans, text, at, &mut out);
    // A span's id is checked after its other fields: an id used twice among
    // the spans before a problem comes first.
    let ids = out.iter().enumerate();
    if let Some((id, i)) = first_repeat(ids.filter_map(|(i, s)| Some((s.id.as_deref()?, i)))) {
        return Err(import_error(
            at(&format!("spans[{i}].id")),
            format!("{id:?} is used twice in this document"),
        ));
    }
    checked.map(|()| out)
}

/// Checks `spans` in order into `out`, up to the first problem (ids aside).
fn check_each_span<'a>(
    spans: Vec<SpanIn<'a>>,
    text: &IndexedText,
    at: &dyn Fn(&str) -> String,
    out: &mut Vec<InterchangeSpan>,
) -> Result<(), ImportError> {
    for (i, span) in spans.into_iter().enumerate() {
        // Written out only for an error message.
        let field = |name: &str| at(&format!("spans[{i}].{name}"));
        if let Some(problem) = range_problem(span.start, span.end, text) {
            return Err(import_error(field("end"), problem));
        }
        if span.label.is_empty() {
            return Err(import_error(
                field("label"),
                "is empty; expected a label name",
            ));
        }
        let quoted = text.slice(span.start, span.end);
        if let Some(quote) = &span.text {
            if quote != quoted {
                return Err(import_error(
                    field("text"),
                    format!(
                        "is {quote:?}, but the text at {}..{} is {quoted:?}",
                        span.start, span.end
                    ),
                ));
            }
        }
        for (name, given, cp) in [
            ("utf16_start", span.utf16_start, span.start),
            ("utf16_end", span.utf16_end, span.end),
        ] {
            let Some(given) = given else { continue };
            let expected = text.utf16_of(cp);
            if given != expected {
                return Err(import_error(
                    field(name),
                    format!("is {given}, but code point {cp} is UTF-16 offset {expected}"),
                ));
            }
        }
        out.push(InterchangeSpan {
            id: span.id.map(Cow::into_owned),
            label: span.label.into_owned(),
            start: span.start,
            end: span.end,
            quote: Some(quoted.to_owned()),
            prefix: None,
            suffix: None,
            note: span.note.filter(|n| !n.is_empty()).map(Cow::into_owned),
            created_at: None,
        });
    }
    Ok(())
}

/// Each `label` triple must be a non-empty range inside the text with a
/// label name.
fn check_triples(
    triples: &[(usize, usize, Cow<str>)],
    text: &IndexedText,
    at: &dyn Fn(&str) -> String,
) -> Result<(), ImportError> {
    for (i, (start, end, label)) in triples.iter().enumerate() {
        let field = || at(&format!("label[{i}]"));
        if let Some(problem) = range_problem(*start, *end, text) {
            return Err(import_error(field(), problem));
        }
        if label.is_empty() {
            return Err(import_error(field(), "the label name is empty"));
        }
    }
    Ok(())
}

/// `spans` and `label` must name the same spans, in any order.
fn check_agreement(
    spans: &[InterchangeSpan],
    triples: &[(usize, usize, Cow<str>)],
    at: &dyn Fn(&str) -> String,
) -> Result<(), ImportError> {
    let mut a: Vec<(usize, usize, &str)> = spans
        .iter()
        .map(|s| (s.start, s.end, s.label.as_str()))
        .collect();
    let mut b: Vec<(usize, usize, &str)> = triples
        .iter()
        .map(|(start, end, label)| (*start, *end, label.as_ref()))
        .collect();
    a.sort_unstable();
    b.sort_unstable();
    if a == b {
        return Ok(());
    }
    let missing_in_label = a.iter().find(|k| !b.contains(k));
    let missing_in_spans = b.iter().find(|k| !a.contains(k));
    let problem = match (missing_in_label, missing_in_spans) {
        (Some((s, e, l)), _) => {
            format!("does not agree with spans: spans has [{s}, {e}, {l:?}], label does not")
        }
        (None, Some((s, e, l))) => {
            format!("does not agree with spans: label has [{s}, {e}, {l:?}], spans does not")
        }
        // the same spans, repeated a different number of times
        (None, None) => format!(
            "does not agree with spans: label has {} spans, spans has {}",
            b.len(),
            a.len()
        ),
    };
    Err(import_error(at("label"), problem))
}
