//! W3C Web Annotation JSON-LD (<https://www.w3.org/TR/annotation-model/>):
//! the export (one `AnnotationCollection` with its annotations embedded in
//! the first `AnnotationPage`) and a parser that also reads what other tools
//! write (a single `Annotation`, an array of them, a page or a collection).
//!
//! Each span is an `Annotation` with motivation `tagging`: an IRI `id`
//! (`urn:uuid:<our id>`), a `TextualBody` with purpose `tagging` whose value
//! is the label, the note (if any) as a second `TextualBody` with purpose
//! `commenting`, and a target whose `source` is `urn:sha256:<hash of the
//! text>` with two selectors: a `TextPositionSelector` (`start`/`end`) and a
//! `TextQuoteSelector` (`exact`, and up to 32 code points of `prefix` and
//! `suffix`).
//!
//! Offsets: the Web Annotation model itself counts text positions in Unicode
//! code points, not code units (§4.2.4/§4.2.5 of the Recommendation: "The
//! selection of the text MUST be in terms of unicode code points"), which is
//! exactly Marginalia's unit, so positions are written as they are. The
//! collection's `label` says so for people. Texts are not part of the
//! format: the hash in `source` names the text, and the document's name
//! travels beside it as the target's extra property `marginalia:document`
//! (JSON-LD reads an undefined `prefix:name` key as an absolute IRI, so the
//! property is kept, not dropped, by JSON-LD processors).

use std::collections::{HashMap, HashSet};

use serde::Serialize;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::interchange::{
    FormatKind, ImportError, Interchange, InterchangeDocument, InterchangeSpan,
};
use super::ExportOptions;
use crate::model::{Annotation, Label};
use crate::store::Entry;

pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";
/// The target's extra property naming the document.
pub const DOCUMENT_PROPERTY: &str = "marginalia:document";
/// Code points of context kept before and after each quote.
pub const CONTEXT_CHARS: usize = 32;
const UUID_IRI: &str = "urn:uuid:";
const SHA256_IRI: &str = "urn:sha256:";
/// Ids that are not UUIDs become `urn:marginalia:id:<percent-encoded id>`.
const OTHER_ID_IRI: &str = "urn:marginalia:id:";

// ------------------------------------------------------------------ export

#[derive(Serialize)]
struct Collection<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<&'a str>,
    total: usize,
    first: Page<'a>,
}

#[derive(Serialize)]
struct Page<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<W3cAnnotation<'a>>,
}

#[derive(Serialize)]
struct W3cAnnotation<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    created: Option<&'a str>,
    body: Vec<TextualBody<'a>>,
    target: Target<'a>,
}

#[derive(Serialize)]
struct TextualBody<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
}

#[derive(Serialize)]
struct Target<'a> {
    source: &'a str,
    #[serde(rename = "marginalia:document")]
    document: &'a str,
    selector: [Selector<'a>; 2],
}

#[derive(Serialize)]
#[serde(tag = "type")]
enum Selector<'a> {
    TextPositionSelector {
        start: usize,
        end: usize,
    },
    TextQuoteSelector {
        exact: &'a str,
        prefix: &'a str,
        suffix: &'a str,
    },
}

/// The collection for `entries` (in the given order; each document's spans
/// in their usual order), pretty-printed. `labels` are not written: the
/// model has no place to declare them, each span names its own.
/// `options.include_text` is ignored: texts are never part of this format.
pub fn export(entries: &[&Entry], _labels: &[Label], options: &ExportOptions) -> String {
    let sources: Vec<String> = entries
        .iter()
        .map(|e| format!("{SHA256_IRI}{}", e.doc.sha256()))
        .collect();
    let mut items = Vec::new();
    for (entry, source) in entries.iter().zip(&sources) {
        let doc = &entry.doc;
        let mut annotations: Vec<&Annotation> = entry.annotations.iter().collect();
        annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        for a in annotations {
            let mut body = vec![TextualBody {
                kind: "TextualBody",
                purpose: "tagging",
                value: &a.label,
            }];
            if let Some(note) = &a.note {
                body.push(TextualBody {
                    kind: "TextualBody",
                    purpose: "commenting",
                    value: note,
                });
            }
            items.push(W3cAnnotation {
                id: annotation_iri(&a.id),
                kind: "Annotation",
                motivation: "tagging",
                // The model requires an RFC 3339 date-time; a time that is
                // not one is left out rather than making the file invalid.
                created: Some(a.created_at.as_str()).filter(|t| is_date_time(t)),
                body,
                target: Target {
                    source,
                    document: &doc.name,
                    selector: [
                        Selector::TextPositionSelector {
                            start: a.start,
                            end: a.end,
                        },
                        Selector::TextQuoteSelector {
                            exact: doc.slice(a.start, a.end),
                            prefix: doc.slice(a.start.saturating_sub(CONTEXT_CHARS), a.start),
                            suffix: doc.slice(a.end, a.end + CONTEXT_CHARS),
                        },
                    ],
                },
            });
        }
    }
    let collection_id = derived_uuid(entries, &options.exported_at, "collection");
    let page_id = derived_uuid(entries, &options.exported_at, "page");
    let documents = match entries.len() {
        1 => "1 document".to_owned(),
        n => format!("{n} documents"),
    };
    let collection = Collection {
        context: CONTEXT,
        id: format!("{UUID_IRI}{collection_id}"),
        kind: "AnnotationCollection",
        label: format!(
            "Marginalia annotations of {documents}. Text positions (TextPositionSelector start/end) \
             are Unicode code points, half-open, as the Web Annotation model specifies."
        ),
        created: Some(options.exported_at.as_str()).filter(|t| is_date_time(t)),
        total: items.len(),
        first: Page {
            id: format!("{UUID_IRI}{page_id}"),
            kind: "AnnotationPage",
            start_index: 0,
            items,
        },
    };
    serde_json::to_string_pretty(&collection).expect("export types always serialise")
}

/// A UUID (version 8, RFC 9562: "custom") from the SHA-256 of the export's
/// contents, so the same export gets the same collection id every time and
/// different exports get different ones.
fn derived_uuid(entries: &[&Entry], exported_at: &str, what: &str) -> String {
    let mut hash = Sha256::new();
    hash.update(what.as_bytes());
    hash.update([0]);
    hash.update(exported_at.as_bytes());
    for entry in entries {
        hash.update([0]);
        hash.update(entry.doc.sha256().as_bytes());
        for a in entry.annotations.iter() {
            hash.update([1]);
            hash.update(a.id.as_bytes());
        }
    }
    let mut b: [u8; 16] = hash.finalize()[..16].try_into().expect("16 of 32 bytes");
    b[6] = (b[6] & 0x0f) | 0x80;
    b[8] = (b[8] & 0x3f) | 0x80;
    let hex: String = b.iter().map(|x| format!("{x:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// An annotation's IRI: `urn:uuid:` for UUIDs (Marginalia's own ids), else
/// `urn:marginalia:id:` and the id percent-encoded, so any id survives.
fn annotation_iri(id: &str) -> String {
    if is_uuid(id) {
        return format!("{UUID_IRI}{id}");
    }
    let mut iri = String::from(OTHER_ID_IRI);
    for b in id.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
            iri.push(char::from(b));
        } else {
            iri.push_str(&format!("%{b:02X}"));
        }
    }
    iri
}

/// The id an annotation IRI stands for: the inverse of [`annotation_iri`];
/// any other IRI is kept whole.
fn id_of_iri(iri: &str) -> String {
    if let Some(uuid) = iri.strip_prefix(UUID_IRI) {
        return uuid.to_owned();
    }
    if let Some(encoded) = iri.strip_prefix(OTHER_ID_IRI) {
        if let Some(id) = percent_decode(encoded) {
            return id;
        }
    }
    iri.to_owned()
}

fn percent_decode(s: &str) -> Option<String> {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%' {
            let hex = std::str::from_utf8(b.get(i + 1..i + 3)?).ok()?;
            out.push(u8::from_str_radix(hex, 16).ok()?);
            i += 3;
        } else {
            out.push(b[i]);
            i += 1;
        }
    }
    String::from_utf8(out).ok()
}

fn is_uuid(s: &str) -> bool {
    s.len() == 36
        && s.bytes().enumerate().all(|(i, b)| match i {
            8 | 13 | 18 | 23 => b == b'-',
            _ => b.is_ascii_hexdigit(),
        })
}

/// RFC 3339 `date-time` (what JSON Schema's `format: date-time` accepts):
/// `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, with real dates and times.
pub fn is_date_time(s: &str) -> bool {
    let b = s.as_bytes();
    let digits = |from: usize, to: usize| -> Option<u32> {
        let part = b.get(from..to)?;
        part.iter()
            .all(u8::is_ascii_digit)
            .then(|| part.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
    };
    let (Some(year), Some(month), Some(day), Some(hour), Some(minute), Some(second)) = (
        digits(0, 4),
        digits(5, 7),
        digits(8, 10),
        digits(11, 13),
        digits(14, 16),
        digits(17, 19),
    ) else {
        return false;
    };
    if b[4] != b'-'
        || b[7] != b'-'
        || !matches!(b[10], b'T' | b't')
        || b[13] != b':'
        || b[16] != b':'
    {
        return false;
    }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    let days = match month {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    if day == 0 || day > days || hour > 23 || minute > 59 || second > 59 {
        return false;
    }
    let mut rest = &b[19..];
    if let Some(after_dot) = rest.strip_prefix(b".") {
        let n = after_dot.iter().take_while(|d| d.is_ascii_digit()).count();
        if n == 0 {
            return false;
        }
        rest = &after_dot[n..];
    }
    match rest {
        [b'Z' | b'z'] => true,
        [b'+' | b'-', h1, h2, b':', m1, m2] => {
            [h1, h2, m1, m2].iter().all(|d| d.is_ascii_digit())
                && (h1 - b'0') * 10 + (h2 - b'0') <= 23
                && (m1 - b'0') * 10 + (m2 - b'0') <= 59
        }
        _ => false,
    }
}

// ------------------------------------------------------------------ parse

/// Reads a W3C Web Annotation file: a single `Annotation`, an array of
/// them, an `AnnotationPage`, or an `AnnotationCollection` whose pages are
/// embedded (`first`, then `next`). All or nothing: the first problem is
/// returned with its JSON path (`first.items[3].target.selector`).
///
/// Each annotation needs motivation `tagging` or `classifying` (or none),
/// one label (a body with purpose `tagging` or `classifying`; else the only
/// purpose-less `TextualBody` or `bodyValue`; else, for `classifying`, the
/// only body IRI), and one target with a `source` and a
/// `TextPositionSelector`. Bodies with purpose `commenting` become the note.
/// Texts are not in the format, so documents come back with `text: None`.
pub fn parse(input: &str) -> Result<Interchange, ImportError> {
    let value: Value = serde_json::from_str(input).map_err(|e| ImportError {
        file: None,
        at: format!("line {}, column {}", e.line(), e.column()),
        problem: format!("not valid JSON: {}", strip_position(&e.to_string())),
    })?;
    let annotations = annotations_of(&value)?;
    let mut documents: Vec<InterchangeDocument> = Vec::new();
    let mut by_source: HashMap<String, usize> = HashMap::new();
    let mut ids: HashSet<String> = HashSet::new();
    for (path, annotation) in annotations {
        let parsed = parse_annotation(&path, annotation)?;
        if let Some(id) = &parsed.span.id {
            if !ids.insert(id.clone()) {
                return Err(error(
                    join(&path, "id"),
                    format!("{id:?} is used by two annotations"),
                ));
            }
        }
        let index = *by_source.entry(parsed.source.clone()).or_insert_with(|| {
            let sha256 = parsed
                .source
                .strip_prefix(SHA256_IRI)
                .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                .map(str::to_ascii_lowercase);
            documents.push(InterchangeDocument {
                name: parsed.document.clone().or_else(|| {
                    // Another tool's target: its IRI is the best name there is.
                    sha256.is_none().then(|| parsed.source.clone())
                }),
                sha256,
                text: None,
                status: None,
                spans: Vec::new(),
            });
            documents.len() - 1
        });
        let doc = &mut documents[index];
        if doc.name.is_none() {
            doc.name = parsed.document;
        }
        doc.spans.push(parsed.span);
    }
    Ok(Interchange {
        format: FormatKind::W3c,
        labels: Vec::new(),
        documents,
    })
}

fn error(at: impl Into<String>, problem: impl Into<String>) -> ImportError {
    ImportError {
        file: None,
        at: at.into(),
        problem: problem.into(),
    }
}

/// `parent.key`, or `key` at the top.
fn join(parent: &str, key: &str) -> String {
    if parent.is_empty() {
        key.to_owned()
    } else {
        format!("{parent}.{key}")
    }
}

fn at_index(parent: &str, i: usize) -> String {
    format!("{parent}[{i}]")
}

/// Where a whole value is: its path, or "the top level".
fn place(path: &str) -> String {
    if path.is_empty() {
        "top level".to_owned()
    } else {
        path.to_owned()
    }
}

fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// serde_json appends " at line L column C" to its messages; `at` says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

/// A property that may hold one value or an array of them (JSON-LD allows
/// both almost everywhere), as (path, value) pairs.
fn one_or_many<'v>(path: &str, v: &'v Value) -> Vec<(String, &'v Value)> {
    match v {
        Value::Array(items) => items
            .iter()
            .enumerate()
            .map(|(i, item)| (at_index(path, i), item))
            .collect(),
        other => vec![(path.to_owned(), other)],
    }
}

/// The string values of a property that is a string or an array of strings.
fn strings<'v>(path: &str, v: &'v Value) -> Result<Vec<&'v str>, ImportError> {
    one_or_many(path, v)
        .into_iter()
        .map(|(p, item)| {
            item.as_str()
                .ok_or_else(|| error(p, format!("expected a string, found {}", kind_of(item))))
        })
        .collect()
}

fn types<'v>(
    path: &str,
    object: &'v serde_json::Map<String, Value>,
) -> Result<Vec<&'v str>, ImportError> {
    match object.get("type") {
        Some(t) => strings(&join(path, "type"), t),
        None => Ok(Vec::new()),
    }
}

/// Every annotation of the file, with its path.
fn annotations_of(value: &Value) -> Result<Vec<(String, &Value)>, ImportError> {
    let object = match value {
        Value::Array(items) => {
            return Ok(items
                .iter()
                .enumerate()
                .map(|(i, item)| (at_index("", i), item))
                .collect())
        }
        Value::Object(object) => object,
        other => {
            return Err(error(
                "top level",
                format!(
                    "expected a W3C Annotation, an array of annotations, an AnnotationPage or an \
                     AnnotationCollection, found {}",
                    kind_of(other)
                ),
            ))
        }
    };
    let kinds = types("", object)?;
    if kinds.contains(&"Annotation") {
        return Ok(vec![(String::new(), value)]);
    }
    let mut out = Vec::new();
    if kinds.contains(&"AnnotationPage") {
        page_items("", object, &mut out)?;
    } else if kinds.contains(&"AnnotationCollection") {
        let has_first = match object.get("first") {
            Some(Value::Object(page)) => {
                page_items("first", page, &mut out)?;
                true
            }
            Some(Value::String(iri)) => {
                return Err(error(
                    "first",
                    format!(
                        "the collection's first page is only linked ({iri}), not embedded; \
                         expected the AnnotationPage object with its items"
                    ),
                ))
            }
            Some(other) => {
                return Err(error(
                    "first",
                    format!(
                        "expected an AnnotationPage object, found {}",
                        kind_of(other)
                    ),
                ))
            }
            None => false,
        };
        match object.get("total") {
            Some(total) => {
                let Some(total) = total.as_u64() else {
                    return Err(error(
                        "total",
                        format!("expected a non-negative integer, found {total}"),
                    ));
                };
                if total != out.len() as u64 {
                    return Err(error(
                        "total",
                        format!(
                            "says the collection holds {total} annotations, but the file has {}",
                            out.len()
                        ),
                    ));
                }
            }
            None if !has_first => {
                return Err(error(
                    "first",
                    "missing: expected the collection's first AnnotationPage with its items",
                ))
            }
            None => {}
        }
    } else {
        let found = match object.get("type") {
            Some(t) => format!("found type {t}"),
            None => "found no type".to_owned(),
        };
        return Err(error(
            "type",
            format!(
                "expected \"Annotation\", \"AnnotationPage\" or \"AnnotationCollection\", {found}"
            ),
        ));
    }
    Ok(out)
}

/// The items of a page and of the pages embedded after it (`next`).
fn page_items<'v>(
    path: &str,
    page: &'v serde_json::Map<String, Value>,
    out: &mut Vec<(String, &'v Value)>,
) -> Result<(), ImportError> {
    let mut path = path.to_owned();
    let mut page = page;
    loop {
        let items_path = join(&path, "items");
        match page.get("items") {
            Some(Value::Array(items)) => out.extend(
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| (at_index(&items_path, i), item)),
            ),
            Some(other) => {
                return Err(error(
                    items_path,
                    format!("expected an array of annotations, found {}", kind_of(other)),
                ))
            }
            None => {
                return Err(error(
                    items_path,
                    "missing: expected the page's annotations",
                ))
            }
        }
        path = join(&path, "next");
        match page.get("next") {
            None => return Ok(()),
            Some(Value::Object(next)) => page = next,
            Some(Value::String(iri)) => {
                return Err(error(
                    path,
                    format!(
                        "the next page is only linked ({iri}), not embedded; expected all pages \
                         in one file"
                    ),
                ))
            }
            Some(other) => {
                return Err(error(
                    path,
                    format!(
                        "expected an AnnotationPage object, found {}",
                        kind_of(other)
                    ),
                ))
            }
        }
    }
}

struct ParsedAnnotation {
    source: String,
    document: Option<String>,
    span: InterchangeSpan,
}

fn parse_annotation(path: &str, value: &Value) -> Result<ParsedAnnotation, ImportError> {
    let Value::Object(a) = value else {
        return Err(error(
            place(path),
            format!("expected an Annotation object, found {}", kind_of(value)),
        ));
    };
    let kinds = types(path, a)?;
    if !kinds.contains(&"Annotation") {
        return Err(error(
            join(path, "type"),
            match a.get("type") {
                Some(t) => format!("expected \"Annotation\", found {t}"),
                None => "missing: expected \"Annotation\"".to_owned(),
            },
        ));
    }
    let id = match a.get("id") {
        None => None,
        Some(Value::String(iri)) => Some(id_of_iri(iri)),
        Some(other) => {
            return Err(error(
                join(path, "id"),
                format!("expected an IRI string, found {}", kind_of(other)),
            ))
        }
    };
    let motivations = match a.get("motivation") {
        Some(m) => strings(&join(path, "motivation"), m)?,
        None => Vec::new(),
    };
    let classifying = motivations.contains(&"classifying");
    if !motivations.is_empty() && !classifying && !motivations.contains(&"tagging") {
        return Err(error(
            join(path, "motivation"),
            format!(
                "is {}; Marginalia imports spans with motivation \"tagging\" or \"classifying\"",
                motivations.join(", ")
            ),
        ));
    }
    let (label, note) = label_and_note(path, a, classifying)?;
    let created_at = match a.get("created") {
        None => None,
        Some(Value::String(t)) => Some(t.clone()),
        Some(other) => {
            return Err(error(
                join(path, "created"),
                format!("expected a date-time string, found {}", kind_of(other)),
            ))
        }
    };
    let target = parse_target(path, a)?;
    Ok(ParsedAnnotation {
        source: target.source,
        document: target.document,
        span: InterchangeSpan {
            id,
            label,
            start: target.start,
            end: target.end,
            quote: target.quote,
            prefix: target.prefix,
            suffix: target.suffix,
            note,
            created_at,
        },
    })
}

/// The label (one tagging body) and the note (the commenting bodies).
fn label_and_note(
    path: &str,
    a: &serde_json::Map<String, Value>,
    classifying: bool,
) -> Result<(String, Option<String>), ImportError> {
    let mut tags: Vec<(String, &str)> = Vec::new();
    let mut plain: Vec<(String, &str)> = Vec::new();
    let mut iris: Vec<(String, &str)> = Vec::new();
    let mut notes: Vec<&str> = Vec::new();
    if let Some(v) = a.get("bodyValue") {
        let p = join(path, "bodyValue");
        let text = v
            .as_str()
            .ok_or_else(|| error(&p, format!("expected a string, found {}", kind_of(v))))?;
        plain.push((p, text));
    }
    if let Some(body) = a.get("body") {
        for (p, b) in one_or_many(&join(path, "body"), body) {
            match b {
                Value::String(iri) => iris.push((p, iri)),
                Value::Object(object) => {
                    let Some(value) = object.get("value") else {
                        // Some other kind of body (an external resource): not ours to read.
                        continue;
                    };
                    let vp = join(&p, "value");
                    let text = value.as_str().ok_or_else(|| {
                        error(&vp, format!("expected a string, found {}", kind_of(value)))
                    })?;
                    let purposes = match object.get("purpose") {
                        Some(purpose) => strings(&join(&p, "purpose"), purpose)?,
                        None => Vec::new(),
                    };
                    if purposes
                        .iter()
                        .any(|x| matches!(*x, "tagging" | "classifying"))
                    {
                        tags.push((vp, text));
                    } else if purposes.contains(&"commenting") {
                        notes.push(text);
                    } else if purposes.is_empty() {
                        plain.push((vp, text));
                    }
                }
                other => {
                    return Err(error(
                        p,
                        format!("expected a body object or IRI, found {}", kind_of(other)),
                    ))
                }
            }
        }
    }
    let chosen = if !tags.is_empty() {
        tags
    } else if plain.len() == 1 {
        plain
    } else if classifying && iris.len() == 1 {
        iris
    } else {
        Vec::new()
    };
    let (label_path, label) = match chosen.as_slice() {
        [one] => one.clone(),
        [] => {
            let at = if a.contains_key("body") {
                join(path, "body")
            } else {
                place(path)
            };
            return Err(error(
                at,
                "no label: expected a TextualBody with purpose \"tagging\" whose value is the label",
            ));
        }
        [_, (second, _), ..] => {
            return Err(error(
                second.clone(),
                format!(
                    "a second label ({} in all); a Marginalia span has exactly one",
                    chosen.len()
                ),
            ))
        }
    };
    if label.trim().is_empty() {
        return Err(error(label_path, "the label is empty"));
    }
    let note = (!notes.is_empty())
        .then(|| notes.join("\n\n"))
        .filter(|n| !n.is_empty());
    Ok((label.to_owned(), note))
}

struct ParsedTarget {
    source: String,
    document: Option<String>,
    start: usize,
    end: usize,
    quote: Option<String>,
    prefix: Option<String>,
    suffix: Option<String>,
}

fn parse_target(
    path: &str,
    a: &serde_json::Map<String, Value>,
) -> Result<ParsedTarget, ImportError> {
    let target_path = join(path, "target");
    let target = a
        .get("target")
        .ok_or_else(|| error(&target_path, "missing: expected the span's target"))?;
    let (target_path, target) = match target {
        Value::Array(items) if items.len() == 1 => (at_index(&target_path, 0), &items[0]),
        Value::Array(items) => {
            return Err(error(
                target_path,
                format!(
                    "has {} targets; a Marginalia span has exactly one",
                    items.len()
                ),
            ))
        }
        other => (target_path, other),
    };
    let t = match target {
        Value::Object(t) => t,
        Value::String(iri) => {
            return Err(error(
                target_path,
                format!(
                    "is the whole resource {iri} with no selector; expected an object with a \
                     source and a TextPositionSelector"
                ),
            ))
        }
        other => {
            return Err(error(
                target_path,
                format!(
                    "expected an object with a source and selectors, found {}",
                    kind_of(other)
                ),
            ))
        }
    };
    let source_path = join(&target_path, "source");
    let source = match t.get("source") {
        Some(Value::String(iri)) => iri.clone(),
        Some(Value::Object(s)) => match s.get("id") {
            Some(Value::String(iri)) => iri.clone(),
            _ => {
                return Err(error(
                    join(&source_path, "id"),
                    "missing: expected the IRI of the annotated text",
                ))
            }
        },
        Some(other) => {
            return Err(error(
                source_path,
                format!(
                    "expected the IRI of the annotated text, found {}",
                    kind_of(other)
                ),
            ))
        }
        None => {
            return Err(error(
                source_path,
                "missing: expected the IRI of the annotated text (urn:sha256:<hash>)",
            ))
        }
    };
    let document = match t.get(DOCUMENT_PROPERTY) {
        None => None,
        Some(Value::String(name)) => Some(name.clone()),
        Some(other) => {
            return Err(error(
                join(&target_path, DOCUMENT_PROPERTY),
                format!("expected the document's name, found {}", kind_of(other)),
            ))
        }
    };
    let selector_path = join(&target_path, "selector");
    let selector = t.get("selector").ok_or_else(|| {
        error(
            &selector_path,
            "missing: expected a TextPositionSelector (and a TextQuoteSelector)",
        )
    })?;
    let mut position: Option<(String, &serde_json::Map<String, Value>)> = None;
    let mut quote: Option<(String, &serde_json::Map<String, Value>)> = None;
    for (p, s) in one_or_many(&selector_path, selector) {
        let Value::Object(s) = s else { continue };
        let kinds = types(&p, s)?;
        if position.is_none() && kinds.contains(&"TextPositionSelector") {
            position = Some((p, s));
        } else if quote.is_none() && kinds.contains(&"TextQuoteSelector") {
            quote = Some((p, s));
        }
    }
    let Some((position_path, position)) = position else {
        return Err(error(
            selector_path,
            if quote.is_some() {
                "has a TextQuoteSelector but no TextPositionSelector; Marginalia needs the span's \
                 start and end (code points)"
            } else {
                "has no TextPositionSelector; expected one with start and end (code points)"
            },
        ));
    };
    let offset = |key: &str| -> Result<usize, ImportError> {
        let p = join(&position_path, key);
        let v = position
            .get(key)
            .ok_or_else(|| error(&p, "missing: expected a non-negative integer (code points)"))?;
        let n = v.as_u64().ok_or_else(|| {
            error(
                &p,
                format!("expected a non-negative integer (code points), found {v}"),
            )
        })?;
        usize::try_from(n).map_err(|_| error(&p, format!("{n} is too large")))
    };
    let (start, end) = (offset("start")?, offset("end")?);
    if end <= start {
        return Err(error(
            join(&position_path, "end"),
            format!("must be greater than start ({start}), found {end}"),
        ));
    }
    let (mut exact, mut prefix, mut suffix) = (None, None, None);
    if let Some((quote_path, q)) = quote {
        let text = |key: &str, required: bool| -> Result<Option<String>, ImportError> {
            let p = join(&quote_path, key);
            match q.get(key) {
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(error(
                    p,
                    format!("expected a string, found {}", kind_of(other)),
                )),
                None if required => Err(error(p, "missing: expected the quoted text")),
                None => Ok(None),
            }
        };
        let quoted = text("exact", true)?.expect("required");
        let length = quoted.chars().count();
        if length != end - start {
            return Err(error(
                join(&quote_path, "exact"),
                format!(
                    "is {length} code points long, but the TextPositionSelector spans \
                     {start}..{end} ({} code points)",
                    end - start
                ),
            ));
        }
        exact = Some(quoted);
        prefix = text("prefix", false)?;
        suffix = text("suffix", false)?;
    }
    Ok(ParsedTarget {
        source,
        document,
        start,
        end,
        quote: exact,
        prefix,
        suffix,
    })
}
