//! Label Studio tasks JSON: an array of tasks, one per document, in the shape
//! Label Studio imports and exports for a named-entity project:
//!
//! ```text
//! [{"id": 1,
//!   "data": {"text": "…", "name": "a.txt", "sha256": "…"},
//!   "meta": {"exported_by": "Marginalia", "offset_unit": "codepoint",
//!            "labels": [{"name": "claim", "color": "#0072b2", "key": "1"}]},
//!   "annotations": [{"result": [
//!     {"id": "…", "from_name": "label", "to_name": "text", "type": "labels",
//!      "value": {"start": 3, "end": 5, "text": "…", "labels": ["claim"]}},
//!     {"id": "…", "from_name": "note", "to_name": "text", "type": "textarea",
//!      "value": {"start": 3, "end": 5, "text": ["the note"]}}]}]}]
//! ```
//!
//! The labeling config this matches:
//! `<View><Labels name="label" toName="text"><Label value="claim"/>…</Labels>`
//! `<Text name="text" value="$text"/>`
//! `<TextArea name="note" toName="text" perRegion="true"/></View>`.
//!
//! **Offsets.** `start`/`end` are half-open code point offsets into
//! `data.text`, and each task says so in `meta.offset_unit`. Label Studio's
//! text regions count code points too since its fix for emoji (its DomManager
//! counts one per code point; label-studio#1559 / label-studio-frontend#308);
//! older versions counted UTF-16 units, as JavaScript does. So when a task
//! does not state its unit, [`parse`] takes code points, unless the task's
//! text has characters beyond the Basic Multilingual Plane, some region's
//! `value.text` does not match its code point range, and every region's
//! `value.text` matches when its offsets are read as UTF-16: then the task is
//! read as UTF-16 and converted. `meta.offset_unit: "utf16"` is honoured too.
//!
//! **Notes.** A span's note is a per-region `TextArea` result: same `id` as
//! the region, `type: "textarea"`, `value.text` a list of strings (joined
//! with newlines on import). A region's `meta.text` (Label Studio's region
//! meta) is read as a note as well.
//!
//! **What is read from Label Studio's own exports.** Per task: `data.text`,
//! `data.name`/`data.sha256` when present (for matching), `meta.labels` when
//! present (then every span's label must be declared there), and the results
//! of the first annotation that was not cancelled, or, when there is none,
//! of the first prediction. Of those results, `labels` results are spans (one
//! per label when a region has several) and `textarea` results with a
//! region's `id` are notes; other results (choices, relations, a whole-task
//! textarea) and other fields are ignored. A region's `value.text` that does
//! not match the text is kept as the span's quote (Label Studio trims
//! whitespace in some configurations), for the importer to re-anchor.

use std::collections::{HashMap, HashSet};

use serde::{Deserialize, Serialize};
use serde_json::value::RawValue;
use serde_json::Value;

use super::interchange::{
    FormatKind, ImportError, Interchange, InterchangeDocument, InterchangeSpan,
};
use super::{
    from_json, from_value, import_error, is_sha256_hex, sha256_hex, sorted_annotations,
    value_start, ExportOptions, IndexedText,
};
use crate::model::Label;
use crate::store::Entry;
use crate::text::Utf16Error;

pub const OFFSET_UNIT: &str = "codepoint";
/// The `from_name` of span results (the `Labels` control).
pub const LABELS_NAME: &str = "label";
/// The `from_name` of note results (the per-region `TextArea` control).
pub const NOTE_NAME: &str = "note";
/// The `to_name` of every result (the `Text` object, fed by `$text`).
pub const TEXT_NAME: &str = "text";

#[derive(Serialize)]
struct TaskOut<'a> {
    id: usize,
    data: DataOut<'a>,
    meta: MetaOut<'a>,
    annotations: [AnnotationOut<'a>; 1],
}

#[derive(Serialize)]
struct DataOut<'a> {
    text: &'a str,
    name: &'a str,
    sha256: &'a str,
}

#[derive(Serialize)]
struct MetaOut<'a> {
    exported_by: &'static str,
    offset_unit: &'static str,
    labels: &'a [Label],
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    result: Vec<ResultOut<'a>>,
}

#[derive(Serialize)]
struct ResultOut<'a> {
    id: &'a str,
    from_name: &'static str,
    to_name: &'static str,
    #[serde(rename = "type")]
    kind: &'static str,
    value: ValueOut<'a>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum ValueOut<'a> {
    Labels {
        start: usize,
        end: usize,
        text: &'a str,
        labels: [&'a str; 1],
    },
    Note {
        start: usize,
        end: usize,
        text: [&'a str; 1],
    },
}

/// One task per entry (ids from 1), one result item per line
/// ([`super::json_layout`]).
pub fn export(entries: &[&Entry], labels: &[Label], _options: &ExportOptions) -> String {
    let tasks: Vec<TaskOut> = entries
        .iter()
        .enumerate()
        .map(|(n, entry)| {
            let doc = &entry.doc;
            let mut result = Vec::new();
            for a in sorted_annotations(entry) {
                result.push(ResultOut {
                    id: &a.id,
                    from_name: LABELS_NAME,
                    to_name: TEXT_NAME,
                    kind: "labels",
                    value: ValueOut::Labels {
                        start: a.start,
                        end: a.end,
                        text: doc.slice(a.start, a.end),
                        labels: [&a.label],
                    },
                });
                if let Some(note) = &a.note {
                    result.push(ResultOut {
                        id: &a.id,
                        from_name: NOTE_NAME,
                        to_name: TEXT_NAME,
                        kind: "textarea",
                        value: ValueOut::Note {
                            start: a.start,
                            end: a.end,
                            text: [note],
                        },
                    });
                }
            }
            TaskOut {
                id: n + 1,
                data: DataOut {
                    text: doc.text(),
                    name: &doc.name,
                    sha256: doc.sha256(),
                },
                meta: MetaOut {
                    exported_by: "Marginalia",
                    offset_unit: OFFSET_UNIT,
                    labels,
                },
                annotations: [AnnotationOut { result }],
            }
        })
        .collect();
    // Tasks → a task → annotations → the one annotation → result → each item on its own line.
    super::json_layout::to_string_with_records(&tasks, 6)
}

#[derive(Deserialize)]
#[serde(expecting = "a Label Studio task (an object with data and annotations)")]
struct TaskIn<V = Box<RawValue>> {
    data: DataIn,
    #[serde(default)]
    annotations: Vec<AnnotationIn<V>>,
    /// Objects with a `result`, or (in some exports) bare prediction ids.
    #[serde(default)]
    predictions: Vec<Value>,
    meta: Option<MetaIn>,
}

#[derive(Deserialize)]
struct DataIn {
    text: String,
    name: Option<Value>,
    sha256: Option<Value>,
}

#[derive(Deserialize)]
struct MetaIn {
    offset_unit: Option<String>,
    labels: Option<Vec<Label>>,
}

#[derive(Deserialize)]
struct AnnotationIn<V = Box<RawValue>> {
    was_cancelled: Option<bool>,
    #[serde(default)]
    result: Vec<ResultIn<V>>,
}

#[derive(Deserialize)]
struct ResultIn<V = Box<RawValue>> {
    id: Option<Value>,
    #[serde(rename = "type")]
    kind: Option<String>,
    to_name: Option<String>,
    /// Read once the result's type is known (see [`read_regions`]): kept
    /// as its JSON text, so 10,000 results build no `Value` trees. (`V` is
    /// `Value` only to say where a broken file is broken: see [`parse`].)
    value: Option<V>,
    meta: Option<V>,
}

#[derive(Deserialize)]
struct LabelsValue {
    start: usize,
    end: usize,
    text: Option<String>,
    labels: Vec<String>,
}

/// Reads Label Studio tasks, all or nothing. Errors name the field path, such
/// as `[2].annotations[0].result[3].value.end`.
pub fn parse(input: &str) -> Result<Interchange, ImportError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    if input.trim_start().starts_with('{') {
        return Err(import_error(
            value_start(input),
            "found a JSON object; expected a JSON array of Label Studio tasks ([{\"data\": …}, …])",
        ));
    }
    let tasks: Vec<TaskIn> = match serde_json::from_str(input) {
        Ok(tasks) => tasks,
        Err(e) => {
            // Read again tracking the path, with results' values as trees so
            // that the path reaches inside them, to say where the file breaks.
            from_json::<Vec<TaskIn<Value>>>(input)?;
            return Err(import_error(value_start(input), e.to_string()));
        }
    };
    let mut labels: Vec<Label> = Vec::new();
    let mut documents = Vec::with_capacity(tasks.len());
    for (t, task) in tasks.into_iter().enumerate() {
        if let Some(declared) = task.meta.as_ref().and_then(|m| m.labels.as_ref()) {
            for label in declared {
                if !labels.iter().any(|l| l.name == label.name) {
                    labels.push(label.clone());
                }
            }
        }
        documents.push(parse_task(t, task)?);
    }
    Ok(Interchange {
        format: FormatKind::LabelStudio,
        labels,
        documents,
    })
}

/// A labels result, once its value is read.
struct Region {
    /// Its place in the results: its field path is `{results path}.result[r]`.
    r: usize,
    id: Option<String>,
    value: LabelsValue,
    note: Vec<String>,
}

fn parse_task(t: usize, task: TaskIn) -> Result<InterchangeDocument, ImportError> {
    let text = IndexedText::new(&task.data.text);
    let sha256 = match task.data.sha256.as_ref().and_then(Value::as_str) {
        Some(given) => {
            let actual = sha256_hex(text.text);
            if !is_sha256_hex(given) || given != actual {
                return Err(import_error(
                    format!("[{t}].data.sha256"),
                    format!("does not match data.text (its SHA-256 is {actual})"),
                ));
            }
            actual
        }
        None => sha256_hex(text.text),
    };
    let (results_path, mut regions) = read_regions(t, &task)?;
    let unit = offset_unit(t, &task, &regions, &text)?;
    let declared: Option<HashSet<&str>> = task
        .meta
        .as_ref()
        .and_then(|m| m.labels.as_ref())
        .map(|ls| ls.iter().map(|l| l.name.as_str()).collect());
    let mut spans = Vec::new();
    for region in &mut regions {
        let at = |field: &str| format!("{results_path}.result[{}].value.{field}", region.r);
        if unit == Unit::Utf16 {
            region.value.start = cp_of_utf16(&text, region.value.start, &at("start"))?;
            region.value.end = cp_of_utf16(&text, region.value.end, &at("end"))?;
        }
        let LabelsValue {
            start, end, labels, ..
        } = &region.value;
        let (start, end) = (*start, *end);
        if start >= end {
            return Err(import_error(
                at("end"),
                format!("must be greater than start ({start}), found {end}"),
            ));
        }
        if end > text.len() {
            return Err(import_error(
                at("end"),
                format!(
                    "{end} is past the end of data.text ({} code points)",
                    text.len()
                ),
            ));
        }
        if labels.is_empty() {
            return Err(import_error(
                at("labels"),
                "is empty; expected the name of the span's label",
            ));
        }
        let quote = region
            .value
            .text
            .clone()
            .unwrap_or_else(|| text.slice(start, end).to_owned());
        let note = Some(region.note.join("\n")).filter(|n| !n.is_empty());
        for (k, label) in labels.iter().enumerate() {
            if label.is_empty() {
                return Err(import_error(
                    at(&format!("labels[{k}]")),
                    "is empty; expected a label name",
                ));
            }
            if declared
                .as_ref()
                .is_some_and(|d| !d.contains(label.as_str()))
            {
                return Err(import_error(
                    at(&format!("labels[{k}]")),
                    format!("{label:?} is not declared in the task's meta.labels"),
                ));
            }
            spans.push(InterchangeSpan {
                // A region with several labels becomes several spans, which
                // cannot all keep its id.
                id: if labels.len() == 1 {
                    region.id.clone()
                } else {
                    None
                },
                label: label.clone(),
                start,
                end,
                quote: Some(quote.clone()),
                prefix: None,
                suffix: None,
                note: note.clone(),
                created_at: None,
            });
        }
    }
    Ok(InterchangeDocument {
        name: task
            .data
            .name
            .as_ref()
            .and_then(Value::as_str)
            .map(str::to_owned),
        sha256: Some(sha256),
        text: Some(task.data.text),
        status: None,
        spans,
    })
}

/// The labels results of the annotation the task is read from, with their
/// notes attached, and the field path of that annotation
/// (`[t].annotations[a]` or `[t].predictions[p]`).
fn read_regions(t: usize, task: &TaskIn) -> Result<(String, Vec<Region>), ImportError> {
    let chosen = task
        .annotations
        .iter()
        .position(|a| a.was_cancelled != Some(true));
    let prediction: AnnotationIn;
    let (results, path): (&[ResultIn], String) = match chosen {
        Some(a) => (
            &task.annotations[a].result,
            format!("[{t}].annotations[{a}]"),
        ),
        None => match task.predictions.iter().position(Value::is_object) {
            Some(p) => {
                let path = format!("[{t}].predictions[{p}]");
                prediction = from_value(task.predictions[p].clone(), &path)?;
                (&prediction.result, path)
            }
            None => (&[], String::new()),
        },
    };
    let mut regions: Vec<Region> = Vec::new();
    let mut by_id: HashMap<String, usize> = HashMap::new();
    let mut to_name: Option<(String, String)> = None;
    for (r, result) in results.iter().enumerate() {
        if result.kind.as_deref() != Some("labels") {
            continue;
        }
        let rpath = || format!("{path}.result[{r}]");
        if let Some(name) = &result.to_name {
            match &to_name {
                Some((first, _)) if first != name => {
                    return Err(import_error(
                        format!("{}.to_name", rpath()),
                        format!(
                            "this task labels two texts ({first:?} and {name:?}); expected spans on one text, data.text"
                        ),
                    ))
                }
                Some(_) => {}
                None => to_name = Some((name.clone(), rpath())),
            }
        }
        let Some(value) = &result.value else {
            return Err(import_error(
                rpath(),
                "missing field `value`; expected {start, end, labels}",
            ));
        };
        let value: LabelsValue = match serde_json::from_str(value.get()) {
            Ok(value) => value,
            // Read again as a tree, for the field path of the problem.
            Err(_) => from_value(tree(value), &format!("{}.value", rpath()))?,
        };
        let id = result.id.as_ref().and_then(id_string);
        if let Some(id) = &id {
            if by_id.insert(id.clone(), regions.len()).is_some() {
                return Err(import_error(
                    format!("{}.id", rpath()),
                    format!("{id:?} is used by two regions of this annotation"),
                ));
            }
        }
        let note = result
            .meta
            .as_deref()
            .and_then(|m| tree(m).get("text").map(strings))
            .unwrap_or_default();
        regions.push(Region { r, id, value, note });
    }
    for result in results {
        if result.kind.as_deref() != Some("textarea") {
            continue;
        }
        let Some(&i) = result
            .id
            .as_ref()
            .and_then(id_string)
            .and_then(|id| by_id.get(&id))
        else {
            continue; // a textarea about the whole task, not a span
        };
        if let Some(text) = result
            .value
            .as_deref()
            .and_then(|v| tree(v).get("text").map(strings))
        {
            regions[i].note.extend(text);
        }
    }
    Ok((path, regions))
}

/// A JSON value read past earlier, as a tree.
fn tree(raw: &RawValue) -> Value {
    serde_json::from_str(raw.get()).expect("serde_json checked it when it read past it")
}

/// A result id as a string: Label Studio writes strings; numbers are taken too.
fn id_string(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A textarea's or region meta's text: a list of strings, or one string.
fn strings(v: &Value) -> Vec<String> {
    match v {
        Value::String(s) => vec![s.clone()],
        Value::Array(items) => items
            .iter()
            .filter_map(Value::as_str)
            .map(str::to_owned)
            .collect(),
        _ => Vec::new(),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Unit {
    CodePoint,
    Utf16,
}

/// The unit of the task's offsets: as stated, or as its quotes show (see the
/// module documentation).
fn offset_unit(
    t: usize,
    task: &TaskIn,
    regions: &[Region],
    text: &IndexedText,
) -> Result<Unit, ImportError> {
    match task.meta.as_ref().and_then(|m| m.offset_unit.as_deref()) {
        Some("codepoint") => return Ok(Unit::CodePoint),
        Some("utf16") => return Ok(Unit::Utf16),
        Some(other) => {
            return Err(import_error(
                format!("[{t}].meta.offset_unit"),
                format!("expected \"codepoint\" or \"utf16\", found {other:?}"),
            ))
        }
        None => {}
    }
    if text.index.len_utf16() == text.len() {
        return Ok(Unit::CodePoint); // both units agree everywhere
    }
    let quoted: Vec<(&LabelsValue, &str)> = regions
        .iter()
        .filter_map(|r| r.value.text.as_deref().map(|q| (&r.value, q)))
        .collect();
    let matches_as_code_points = |v: &LabelsValue, q: &str| {
        v.start < v.end && v.end <= text.len() && text.slice(v.start, v.end) == q
    };
    let matches_as_utf16 = |v: &LabelsValue, q: &str| {
        let index = &text.index;
        match (
            index.cp_of_utf16(text.text, v.start),
            index.cp_of_utf16(text.text, v.end),
        ) {
            (Ok(s), Ok(e)) => s < e && text.slice(s, e) == q,
            _ => false,
        }
    };
    let some_mismatch = quoted.iter().any(|(v, q)| !matches_as_code_points(v, q));
    let all_utf16 = quoted.iter().all(|(v, q)| matches_as_utf16(v, q));
    Ok(if some_mismatch && all_utf16 {
        Unit::Utf16
    } else {
        Unit::CodePoint
    })
}

fn cp_of_utf16(text: &IndexedText, utf16: usize, at: &str) -> Result<usize, ImportError> {
    text.index
        .cp_of_utf16(text.text, utf16)
        .map_err(|e| match e {
            Utf16Error::OutOfRange { offset, len } => import_error(
                at,
                format!("UTF-16 offset {offset} is past the end of data.text ({len} UTF-16 units)"),
            ),
            Utf16Error::InsideSurrogatePair { offset } => import_error(
                at,
                format!("UTF-16 offset {offset} falls inside a surrogate pair (in the middle of one character)"),
            ),
        })
}
