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

use std::collections::HashMap;

use std::borrow::Cow;
use std::fmt;
use std::marker::PhantomData;

use serde::de::value::{BorrowedStrDeserializer, MapAccessDeserializer, SeqAccessDeserializer};
use serde::de::{self, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor};
use serde::{Deserialize, Serialize};
use serde_json::error::Category;
use serde_json::Value;
use sha2::{Digest, Sha256};

use super::interchange::{
    FormatKind, ImportError, Interchange, InterchangeDocument, InterchangeSpan,
};
use super::{first_repeat, ExportOptions};
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
/// in their usual order), one annotation per line ([`super::json_layout`]).
/// `labels` are not written: the model has no place to declare them, each
/// span names its own.
/// `options.include_text` is ignored: texts are never part of this format.
pub fn export(entries: &[&Entry], _labels: &[Label], options: &ExportOptions) -> String {
    let sources: Vec<String> = entries
        .iter()
        .map(|e| format!("{SHA256_IRI}{}", e.doc.sha256()))
        .collect();
    let mut items = Vec::new();
    for (entry, source) in entries.iter().zip(&sources) {
        let doc = &entry.doc;
        let mut annotations: Vec<&Annotation> = entry.annotations.iter().map(|a| &**a).collect();
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
    // Collection → first → items → each annotation on its own line.
    super::json_layout::to_string_with_records(&collection, 4)
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
//
// The file is read straight into the borrowed shapes below (no
// `serde_json::Value` tree: a 10,000-span file would allocate hundreds of
// thousands of nodes), keeping only the properties Marginalia uses; then
// the meaning is checked, with the JSON path of anything wrong.

/// A string or an array of strings (JSON-LD allows both almost everywhere).
#[derive(Debug)]
enum Strings<'a> {
    One(Cow<'a, str>),
    Many(Vec<Cow<'a, str>>),
}

impl Strings<'_> {
    fn contains(&self, wanted: &str) -> bool {
        match self {
            Strings::One(s) => s == wanted,
            Strings::Many(all) => all.iter().any(|s| s == wanted),
        }
    }

    fn show(&self) -> String {
        match self {
            Strings::One(s) => s.to_string(),
            Strings::Many(all) => all.join(", "),
        }
    }
}

/// A string, borrowed from the input when it has no escapes.
struct Text<'a>(Cow<'a, str>);

impl<'de: 'a, 'a> Deserialize<'de> for Text<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Text<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Text<'a>, E> {
                Ok(Text(Cow::Owned(v)))
            }
        }
        d.deserialize_str(V(PhantomData))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for Strings<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Strings<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Strings<'a>, E> {
                Ok(Strings::One(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Strings<'a>, E> {
                Ok(Strings::One(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Strings<'a>, E> {
                Ok(Strings::One(Cow::Owned(v)))
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Strings<'a>, A::Error> {
                let all: Vec<Text<'a>> = Deserialize::deserialize(SeqAccessDeserializer::new(seq))?;
                Ok(Strings::Many(all.into_iter().map(|t| t.0).collect()))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// One value or an array of them.
#[derive(Debug)]
enum OneOrMany<T> {
    One(T),
    Many(Vec<T>),
}

impl<T> OneOrMany<T> {
    /// The values, and whether they were an array (for paths).
    fn items(&self) -> (&[T], bool) {
        match self {
            OneOrMany::One(one) => (std::slice::from_ref(one), false),
            OneOrMany::Many(all) => (all, true),
        }
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for V<T> {
            type Value = OneOrMany<T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a value or an array of values")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Self::Value, A::Error> {
                Deserialize::deserialize(SeqAccessDeserializer::new(seq)).map(OneOrMany::Many)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(OneOrMany::One)
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                T::deserialize(BorrowedStrDeserializer::new(v)).map(OneOrMany::One)
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                T::deserialize(v.to_owned().into_deserializer()).map(OneOrMany::One)
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Self::Value, E> {
                T::deserialize(v.into_deserializer()).map(OneOrMany::One)
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                T::deserialize(().into_deserializer()).map(OneOrMany::One)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// A resource given by its IRI or described by an object.
#[derive(Debug)]
enum IriOr<'a, T> {
    Iri(Cow<'a, str>),
    Object(T),
}

impl<'de: 'a, 'a, T: Deserialize<'de>> Deserialize<'de> for IriOr<'a, T> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a, T>(PhantomData<(&'a (), T)>);
        impl<'de: 'a, 'a, T: Deserialize<'de>> Visitor<'de> for V<'a, T> {
            type Value = IriOr<'a, T>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("an object or an IRI string")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(IriOr::Iri(Cow::Borrowed(v)))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(IriOr::Iri(Cow::Owned(v.to_owned())))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(IriOr::Iri(Cow::Owned(v)))
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Self::Value, A::Error> {
                T::deserialize(MapAccessDeserializer::new(map)).map(IriOr::Object)
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// The top level: an array of annotations, or one object (an annotation, a
/// page or a collection; which one, its `type` says).
enum Top<'a> {
    Array(Vec<RawAnnotation<'a>>),
    Object(Box<RawTop<'a>>),
}

impl<'de: 'a, 'a> Deserialize<'de> for Top<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = Top<'a>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str(
                    "a W3C Annotation, an array of annotations, an AnnotationPage or an \
                     AnnotationCollection",
                )
            }
            fn visit_seq<A: SeqAccess<'de>>(self, seq: A) -> Result<Top<'a>, A::Error> {
                Deserialize::deserialize(SeqAccessDeserializer::new(seq)).map(Top::Array)
            }
            fn visit_map<A: MapAccess<'de>>(self, map: A) -> Result<Top<'a>, A::Error> {
                RawTop::deserialize(MapAccessDeserializer::new(map))
                    .map(|t| Top::Object(Box::new(t)))
            }
        }
        d.deserialize_any(V(PhantomData))
    }
}

/// Every property Marginalia reads of a top-level object, whatever it is.
#[derive(Deserialize)]
struct RawTop<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Strings<'a>>,
    // a collection
    total: Option<Value>,
    #[serde(borrow)]
    first: Option<IriOr<'a, RawPage<'a>>>,
    // a page
    #[serde(borrow)]
    items: Option<Vec<RawAnnotation<'a>>>,
    #[serde(borrow)]
    next: Option<Box<IriOr<'a, RawPage<'a>>>>,
    // an annotation
    #[serde(borrow)]
    id: Option<Text<'a>>,
    #[serde(borrow)]
    motivation: Option<Strings<'a>>,
    #[serde(borrow)]
    body: Option<OneOrMany<IriOr<'a, RawBody<'a>>>>,
    #[serde(rename = "bodyValue", borrow)]
    body_value: Option<Text<'a>>,
    #[serde(borrow)]
    created: Option<Text<'a>>,
    #[serde(borrow)]
    target: Option<OneOrMany<IriOr<'a, RawTarget<'a>>>>,
}

#[derive(Deserialize)]
#[serde(expecting = "an AnnotationPage object")]
struct RawPage<'a> {
    #[serde(borrow)]
    items: Option<Vec<RawAnnotation<'a>>>,
    #[serde(borrow)]
    next: Option<Box<IriOr<'a, RawPage<'a>>>>,
}

#[derive(Deserialize)]
#[serde(expecting = "an Annotation object")]
struct RawAnnotation<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Strings<'a>>,
    #[serde(borrow)]
    id: Option<Text<'a>>,
    #[serde(borrow)]
    motivation: Option<Strings<'a>>,
    #[serde(borrow)]
    body: Option<OneOrMany<IriOr<'a, RawBody<'a>>>>,
    #[serde(rename = "bodyValue", borrow)]
    body_value: Option<Text<'a>>,
    #[serde(borrow)]
    created: Option<Text<'a>>,
    #[serde(borrow)]
    target: Option<OneOrMany<IriOr<'a, RawTarget<'a>>>>,
}

#[derive(Deserialize)]
#[serde(expecting = "a body object")]
struct RawBody<'a> {
    #[serde(borrow)]
    purpose: Option<Strings<'a>>,
    #[serde(borrow)]
    value: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(expecting = "a target object")]
struct RawTarget<'a> {
    #[serde(borrow)]
    source: Option<IriOr<'a, RawSource<'a>>>,
    #[serde(rename = "marginalia:document", borrow)]
    document: Option<Text<'a>>,
    #[serde(borrow)]
    selector: Option<OneOrMany<IriOr<'a, RawSelector<'a>>>>,
}

#[derive(Deserialize)]
#[serde(expecting = "a source object")]
struct RawSource<'a> {
    #[serde(borrow)]
    id: Option<Text<'a>>,
}

#[derive(Deserialize)]
#[serde(expecting = "a selector object")]
struct RawSelector<'a> {
    #[serde(rename = "type", borrow)]
    kind: Option<Strings<'a>>,
    // Any JSON: other selector types may use these names differently; they
    // are checked only on a TextPositionSelector.
    start: Option<Value>,
    end: Option<Value>,
    #[serde(borrow)]
    exact: Option<Text<'a>>,
    #[serde(borrow)]
    prefix: Option<Text<'a>>,
    #[serde(borrow)]
    suffix: Option<Text<'a>>,
}

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
    // Without path tracking first (see `formats::from_json`); a broken file
    // is read again to say where.
    let top: Top = match serde_json::from_str(input) {
        Ok(top) => top,
        Err(_) => {
            let mut de = serde_json::Deserializer::from_str(input);
            let top: Top = serde_path_to_error::deserialize(&mut de).map_err(|e| {
                let inner = e.inner();
                // A "?" stands for a key not read yet (the file ends inside an object).
                let path = e.path().to_string().replace(".?", "");
                let position = format!("line {}, column {}", inner.line(), inner.column());
                let syntax = matches!(inner.classify(), Category::Syntax | Category::Eof);
                let at = match path.as_str() {
                    "." => position,
                    _ if syntax => format!("{path} ({position})"),
                    _ => path,
                };
                let problem = strip_position(&inner.to_string());
                ImportError {
                    file: None,
                    at,
                    problem: if syntax {
                        format!("not valid JSON: {problem}")
                    } else {
                        problem
                    },
                }
            })?;
            de.end().map_err(|e| ImportError {
                file: None,
                at: format!("line {}, column {}", e.line(), e.column()),
                problem: "unexpected content after the end of the JSON value".to_owned(),
            })?;
            top
        }
    };
    // Read in place (an annotation is a few hundred bytes; moving ten
    // thousand of them again costs more than reading their fields).
    let chunks = annotations_of(top)?;
    let annotations = || {
        chunks.iter().flat_map(|(chunk, items)| {
            items
                .iter()
                .enumerate()
                .map(move |(i, item)| (chunk.origin(i), item))
        })
    };
    let origins: Vec<Origin> = annotations().map(|(origin, _)| origin).collect();
    let mut documents: Vec<InterchangeDocument> = Vec::new();
    let mut by_source: HashMap<Cow<str>, usize> = HashMap::new();
    // The document of the annotation before: files list a document's
    // annotations together, so most lookups need no hashing.
    let mut last: Option<(Cow<str>, usize)> = None;
    // Where each annotation with an id went (document, span, its place in
    // the file), for finding ids used twice by sorting rather than hashing
    // and copying every id.
    let mut with_ids: Vec<IdPlace> = Vec::new();
    for (ordinal, (origin, annotation)) in annotations().enumerate() {
        let loc = Loc::Annotation(origin);
        let parsed = match parse_annotation(&loc, annotation) {
            Ok(parsed) => parsed,
            // An id used twice before this annotation is the first problem.
            Err(e) => return Err(repeated_id(&documents, with_ids, &origins).unwrap_or(e)),
        };
        let index = match &last {
            Some((source, index)) if *source == parsed.source => *index,
            _ => match by_source.get(&parsed.source) {
                Some(&index) => index,
                None => {
                    let sha256 = parsed
                        .source
                        .strip_prefix(SHA256_IRI)
                        .filter(|h| h.len() == 64 && h.bytes().all(|b| b.is_ascii_hexdigit()))
                        .map(str::to_ascii_lowercase);
                    // Another tool's target: its IRI is the best name there is.
                    let fallback = sha256.is_none().then(|| parsed.source.to_string());
                    documents.push(InterchangeDocument {
                        name: parsed.document.as_deref().map(str::to_owned).or(fallback),
                        sha256,
                        text: None,
                        status: None,
                        spans: Vec::new(),
                    });
                    by_source.insert(parsed.source.clone(), documents.len() - 1);
                    documents.len() - 1
                }
            },
        };
        last = Some((parsed.source, index));
        let doc = &mut documents[index];
        if doc.name.is_none() {
            doc.name = parsed.document.map(Cow::into_owned);
        }
        if parsed.span.id.is_some() {
            with_ids.push(IdPlace {
                document: index,
                span: doc.spans.len(),
                ordinal,
            });
        }
        doc.spans.push(parsed.span);
    }
    if let Some(e) = repeated_id(&documents, with_ids, &origins) {
        return Err(e);
    }
    Ok(Interchange {
        format: FormatKind::W3c,
        labels: Vec::new(),
        documents,
    })
}

/// Where an annotation with an id went: `documents[document].spans[span]`,
/// the `ordinal`-th annotation of the file.
struct IdPlace {
    document: usize,
    span: usize,
    ordinal: usize,
}

/// The first annotation (in file order) whose id an earlier one used, as
/// the error to report.
fn repeated_id(
    documents: &[InterchangeDocument],
    places: Vec<IdPlace>,
    origins: &[Origin],
) -> Option<ImportError> {
    let (id, ordinal) = first_repeat(places.iter().filter_map(|p| {
        Some((
            documents[p.document].spans[p.span].id.as_deref()?,
            p.ordinal,
        ))
    }))?;
    Some(
        Loc::Annotation(origins[ordinal])
            .key("id")
            .error(format!("{id:?} is used by two annotations")),
    )
}

/// Where an annotation sits in the file.
#[derive(Debug, Clone, Copy)]
enum Origin {
    /// The file is the annotation.
    Whole,
    /// `[i]` of a top-level array.
    InArray(usize),
    /// `items[index]` of a page, reached from the top (a page, or a
    /// collection's `first`) by `next` hops.
    InPage {
        collection: bool,
        nexts: usize,
        index: usize,
    },
}

/// A JSON path, built on the stack as the checks descend and written out
/// only for an error message.
#[derive(Debug, Clone, Copy)]
enum Loc<'a> {
    Annotation(Origin),
    /// A property of the top-level collection or page (`total`, `type`).
    Top(&'static str),
    /// A property of the `nexts`-th page after the first (`first.next.items`).
    Page {
        collection: bool,
        nexts: usize,
        key: &'static str,
    },
    Key(&'a Loc<'a>, &'a str),
    Index(&'a Loc<'a>, usize),
}

impl<'a> Loc<'a> {
    fn key(&'a self, key: &'a str) -> Loc<'a> {
        Loc::Key(self, key)
    }

    fn index(&'a self, i: usize) -> Loc<'a> {
        Loc::Index(self, i)
    }

    /// Item `i` of a property that held one value or an array of them.
    fn item(&'a self, i: usize, array: bool) -> Loc<'a> {
        if array {
            self.index(i)
        } else {
            *self
        }
    }

    fn write(&self, out: &mut String) {
        let dot = |out: &mut String, key: &str| {
            if !out.is_empty() {
                out.push('.');
            }
            out.push_str(key);
        };
        let page = |out: &mut String, collection: bool, nexts: usize| {
            if collection {
                dot(out, "first");
            }
            for _ in 0..nexts {
                dot(out, "next");
            }
        };
        match *self {
            Loc::Annotation(Origin::Whole) => {}
            Loc::Annotation(Origin::InArray(i)) => out.push_str(&format!("[{i}]")),
            Loc::Annotation(Origin::InPage {
                collection,
                nexts,
                index,
            }) => {
                page(out, collection, nexts);
                dot(out, "items");
                out.push_str(&format!("[{index}]"));
            }
            Loc::Top(key) => dot(out, key),
            Loc::Page {
                collection,
                nexts,
                key,
            } => {
                page(out, collection, nexts);
                dot(out, key);
            }
            Loc::Key(parent, key) => {
                parent.write(out);
                dot(out, key);
            }
            Loc::Index(parent, i) => {
                parent.write(out);
                out.push_str(&format!("[{i}]"));
            }
        }
    }

    /// The path, or `top level` for the whole file.
    fn path(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        if out.is_empty() {
            "top level".to_owned()
        } else {
            out
        }
    }

    fn error(&self, problem: impl Into<String>) -> ImportError {
        ImportError {
            file: None,
            at: self.path(),
            problem: problem.into(),
        }
    }
}

/// serde_json appends " at line L column C" to its messages; `at` says where.
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_owned(),
        None => message.to_owned(),
    }
}

fn has(kinds: &Option<Strings>, wanted: &str) -> bool {
    kinds.as_ref().is_some_and(|k| k.contains(wanted))
}

/// Where a run of the file's annotations is.
#[derive(Debug, Clone, Copy)]
enum Chunk {
    Whole,
    Array,
    Page { collection: bool, nexts: usize },
}

impl Chunk {
    fn origin(self, index: usize) -> Origin {
        match self {
            Chunk::Whole => Origin::Whole,
            Chunk::Array => Origin::InArray(index),
            Chunk::Page { collection, nexts } => Origin::InPage {
                collection,
                nexts,
                index,
            },
        }
    }
}

/// Every annotation of the file, in runs (a page's items, the top-level
/// array) with where each run is.
fn annotations_of(top: Top) -> Result<Vec<(Chunk, Vec<RawAnnotation>)>, ImportError> {
    let top = match top {
        Top::Array(items) => return Ok(vec![(Chunk::Array, items)]),
        Top::Object(top) => *top,
    };
    if has(&top.kind, "Annotation") {
        let annotation = RawAnnotation {
            kind: top.kind,
            id: top.id,
            motivation: top.motivation,
            body: top.body,
            body_value: top.body_value,
            created: top.created,
            target: top.target,
        };
        return Ok(vec![(Chunk::Whole, vec![annotation])]);
    }
    let mut out = Vec::new();
    if has(&top.kind, "AnnotationPage") {
        let page = RawPage {
            items: top.items,
            next: top.next,
        };
        page_items(page, false, &mut out)?;
    } else if has(&top.kind, "AnnotationCollection") {
        let has_first = match top.first {
            Some(IriOr::Object(page)) => {
                page_items(page, true, &mut out)?;
                true
            }
            Some(IriOr::Iri(iri)) => {
                return Err(Loc::Top("first").error(format!(
                    "the collection's first page is only linked ({iri}), not embedded; \
                     expected the AnnotationPage object with its items"
                )))
            }
            None => false,
        };
        match top.total {
            Some(total) => {
                let at = Loc::Top("total");
                let Some(total) = total.as_u64() else {
                    return Err(at.error(format!("expected a non-negative integer, found {total}")));
                };
                let found: usize = out.iter().map(|(_, items)| items.len()).sum();
                if total != found as u64 {
                    return Err(at.error(format!(
                        "says the collection holds {total} annotations, but the file has {found}"
                    )));
                }
            }
            None if !has_first => {
                return Err(Loc::Top("first").error(
                    "missing: expected the collection's first AnnotationPage with its items",
                ))
            }
            None => {}
        }
    } else {
        let found = match &top.kind {
            Some(kind) => format!("found type {:?}", kind.show()),
            None => "found no type".to_owned(),
        };
        return Err(Loc::Top("type").error(format!(
            "expected \"Annotation\", \"AnnotationPage\" or \"AnnotationCollection\", {found}"
        )));
    }
    Ok(out)
}

/// The items of a page and of the pages embedded after it (`next`).
fn page_items<'a>(
    page: RawPage<'a>,
    collection: bool,
    out: &mut Vec<(Chunk, Vec<RawAnnotation<'a>>)>,
) -> Result<(), ImportError> {
    let mut page = page;
    let mut nexts = 0;
    loop {
        let at = |key| Loc::Page {
            collection,
            nexts,
            key,
        };
        let Some(items) = page.items else {
            return Err(at("items").error("missing: expected the page's annotations"));
        };
        out.push((Chunk::Page { collection, nexts }, items));
        match page.next.map(|next| *next) {
            None => return Ok(()),
            Some(IriOr::Object(next)) => page = next,
            Some(IriOr::Iri(iri)) => {
                return Err(at("next").error(format!(
                    "the next page is only linked ({iri}), not embedded; expected all pages in \
                     one file"
                )))
            }
        }
        nexts += 1;
    }
}

struct ParsedAnnotation<'a> {
    source: Cow<'a, str>,
    document: Option<Cow<'a, str>>,
    span: InterchangeSpan,
}

fn parse_annotation<'r>(
    loc: &Loc,
    a: &'r RawAnnotation,
) -> Result<ParsedAnnotation<'r>, ImportError> {
    if !has(&a.kind, "Annotation") {
        return Err(loc.key("type").error(match &a.kind {
            Some(kind) => format!("expected \"Annotation\", found {:?}", kind.show()),
            None => "missing: expected \"Annotation\"".to_owned(),
        }));
    }
    let id = a.id.as_ref().map(|iri| id_of_iri(&iri.0));
    let classifying = has(&a.motivation, "classifying");
    if let Some(motivation) = &a.motivation {
        if !classifying && !motivation.contains("tagging") {
            return Err(loc.key("motivation").error(format!(
                "is {}; Marginalia imports spans with motivation \"tagging\" or \"classifying\"",
                motivation.show()
            )));
        }
    }
    let (label, note) = label_and_note(loc, a, classifying)?;
    let target = parse_target(loc, a.target.as_ref())?;
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
            created_at: a.created.as_ref().map(|t| t.0.to_string()),
        },
    })
}

/// The label (one tagging body) and the note (the commenting bodies).
fn label_and_note(
    loc: &Loc,
    a: &RawAnnotation,
    classifying: bool,
) -> Result<(String, Option<String>), ImportError> {
    // Candidates for the label, each with the index of its body (None for
    // bodyValue), best kind first.
    let mut tags = Candidates::default();
    let mut plain = Candidates::default();
    let mut iris = Candidates::default();
    let mut notes: Vec<&str> = Vec::new();
    if let Some(text) = &a.body_value {
        plain.push((None, &text.0));
    }
    let (bodies, body_is_array) = match &a.body {
        Some(body) => body.items(),
        None => (&[][..], false),
    };
    for (i, body) in bodies.iter().enumerate() {
        match body {
            IriOr::Iri(iri) => iris.push((Some(i), iri)),
            // Some other kind of body (an external resource): not ours to read.
            IriOr::Object(RawBody { value: None, .. }) => {}
            IriOr::Object(RawBody {
                value: Some(text),
                purpose,
            }) => {
                if has(purpose, "tagging") || has(purpose, "classifying") {
                    tags.push((Some(i), &text.0));
                } else if has(purpose, "commenting") {
                    notes.push(&text.0);
                } else if purpose.is_none() {
                    plain.push((Some(i), &text.0));
                }
            }
        }
    }
    let chosen = if tags.count > 0 {
        tags
    } else if plain.count == 1 {
        plain
    } else if classifying && iris.count == 1 {
        iris
    } else {
        Candidates::default()
    };
    let body_loc = loc.key("body");
    let label_loc = |index: Option<usize>| -> String {
        match index {
            None => loc.key("bodyValue").path(),
            Some(i) => body_loc.item(i, body_is_array).key("value").path(),
        }
    };
    let (index, label) = match (chosen.first, chosen.second) {
        (Some(one), None) => one,
        (None, _) => {
            let at = if a.body.is_some() { &body_loc } else { loc };
            return Err(at.error(
                "no label: expected a TextualBody with purpose \"tagging\" whose value is the label",
            ));
        }
        (Some(_), Some(second)) => {
            return Err(ImportError {
                file: None,
                at: label_loc(second),
                problem: format!(
                    "a second label ({} in all); a Marginalia span has exactly one",
                    chosen.count
                ),
            })
        }
    };
    if label.trim().is_empty() {
        return Err(ImportError {
            file: None,
            at: label_loc(index),
            problem: "the label is empty".to_owned(),
        });
    }
    let note = (!notes.is_empty())
        .then(|| notes.join("\n\n"))
        .filter(|n| !n.is_empty());
    Ok((label.to_owned(), note))
}

/// Bodies that could hold the label, each with its index in `body` (None
/// for `bodyValue`): how many, and the first two (for the message when
/// there is more than one). Counted, not collected: this runs for each of
/// ten thousand annotations.
#[derive(Default)]
struct Candidates<'s> {
    count: usize,
    first: Option<(Option<usize>, &'s str)>,
    second: Option<Option<usize>>,
}

impl<'s> Candidates<'s> {
    fn push(&mut self, candidate: (Option<usize>, &'s str)) {
        self.count += 1;
        if self.first.is_none() {
            self.first = Some(candidate);
        } else if self.second.is_none() {
            self.second = Some(candidate.0);
        }
    }
}

struct ParsedTarget<'a> {
    source: Cow<'a, str>,
    document: Option<Cow<'a, str>>,
    start: usize,
    end: usize,
    quote: Option<String>,
    prefix: Option<String>,
    suffix: Option<String>,
}

fn parse_target<'r>(
    loc: &Loc,
    target: Option<&'r OneOrMany<IriOr<RawTarget>>>,
) -> Result<ParsedTarget<'r>, ImportError> {
    let outer = loc.key("target");
    let Some(target) = target else {
        return Err(outer.error("missing: expected the span's target"));
    };
    let first;
    let (target_loc, target) = match target {
        OneOrMany::One(one) => (&outer, one),
        OneOrMany::Many(all) if all.len() == 1 => {
            first = outer.index(0);
            (&first, &all[0])
        }
        OneOrMany::Many(all) => {
            return Err(outer.error(format!(
                "has {} targets; a Marginalia span has exactly one",
                all.len()
            )))
        }
    };
    let t = match target {
        IriOr::Object(t) => t,
        IriOr::Iri(iri) => {
            return Err(target_loc.error(format!(
                "is the whole resource {iri} with no selector; expected an object with a \
                 source and a TextPositionSelector"
            )))
        }
    };
    let source_loc = target_loc.key("source");
    let source = match &t.source {
        Some(IriOr::Iri(iri)) => Cow::Borrowed(iri.as_ref()),
        Some(IriOr::Object(RawSource { id: Some(id) })) => Cow::Borrowed(id.0.as_ref()),
        Some(IriOr::Object(RawSource { id: None })) => {
            return Err(source_loc
                .key("id")
                .error("missing: expected the IRI of the annotated text"))
        }
        None => {
            return Err(source_loc
                .error("missing: expected the IRI of the annotated text (urn:sha256:<hash>)"))
        }
    };
    let selector_loc = target_loc.key("selector");
    let Some(selector) = &t.selector else {
        return Err(selector_loc
            .error("missing: expected a TextPositionSelector (and a TextQuoteSelector)"));
    };
    let (selectors, array) = selector.items();
    let mut position: Option<(usize, &RawSelector)> = None;
    let mut quote: Option<(usize, &RawSelector)> = None;
    for (i, s) in selectors.iter().enumerate() {
        let IriOr::Object(s) = s else { continue };
        if position.is_none() && has(&s.kind, "TextPositionSelector") {
            position = Some((i, s));
        } else if quote.is_none() && has(&s.kind, "TextQuoteSelector") {
            quote = Some((i, s));
        }
    }
    let Some((position_index, position)) = position else {
        return Err(selector_loc.error(if quote.is_some() {
            "has a TextQuoteSelector but no TextPositionSelector; Marginalia needs the span's \
             start and end (code points)"
        } else {
            "has no TextPositionSelector; expected one with start and end (code points)"
        }));
    };
    let position_loc = selector_loc.item(position_index, array);
    let offset = |key: &str, value: &Option<Value>| -> Result<usize, ImportError> {
        let at = position_loc.key(key);
        let v = value
            .as_ref()
            .ok_or_else(|| at.error("missing: expected a non-negative integer (code points)"))?;
        let n = v.as_u64().ok_or_else(|| {
            at.error(format!(
                "expected a non-negative integer (code points), found {v}"
            ))
        })?;
        usize::try_from(n).map_err(|_| at.error(format!("{n} is too large")))
    };
    let (start, end) = (
        offset("start", &position.start)?,
        offset("end", &position.end)?,
    );
    if end <= start {
        return Err(position_loc
            .key("end")
            .error(format!("must be greater than start ({start}), found {end}")));
    }
    let (mut exact, mut prefix, mut suffix) = (None, None, None);
    if let Some((quote_index, q)) = quote {
        let quote_loc = selector_loc.item(quote_index, array);
        let Some(quoted) = &q.exact else {
            return Err(quote_loc
                .key("exact")
                .error("missing: expected the quoted text"));
        };
        let length = quoted.0.chars().count();
        if length != end - start {
            return Err(quote_loc.key("exact").error(format!(
                "is {length} code points long, but the TextPositionSelector spans \
                 {start}..{end} ({} code points)",
                end - start
            )));
        }
        exact = Some(quoted.0.to_string());
        prefix = q.prefix.as_ref().map(|t| t.0.to_string());
        suffix = q.suffix.as_ref().map(|t| t.0.to_string());
    }
    Ok(ParsedTarget {
        source,
        document: t.document.as_ref().map(|d| Cow::Borrowed(d.0.as_ref())),
        start,
        end,
        quote: exact,
        prefix,
        suffix,
    })
}
