//! Which format an annotation file is in, from its content (not its name):
//! the first step of every import. Returns the file parsed into the common
//! [`Interchange`] shape, or the first problem with the file's name on it.
//!
//! Rules, in order:
//! 1. A zip archive, or any `.ann` file among the files: brat standoff (the
//!    `.ann` files with their `.txt` files, or a `.zip` of both).
//! 2. Otherwise exactly one file, decoded as UTF-8 (a byte order mark dropped).
//! 3. JSON (`{` or `[` first): `"format": "marginalia"` near the start is
//!    Marginalia JSON; `@context`, an `Annotation` or `AnnotationCollection`
//!    type is W3C; an array of tasks (or one task) with `data` is Label
//!    Studio; a first line that is a whole JSON object is JSONL.
//! 4. A first line naming the CSV columns (`label`, `start…`, `end…`) is CSV.
//! 5. Anything else is refused, saying what was found.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, Visitor};

use crate::formats::interchange::{ImportError, Interchange};
use crate::formats::{brat, csv, jsonl, label_studio, native, w3c, zip};

use super::decode::decode_annotation_file;

/// How far into a JSON file the markers are looked for, in bytes.
const SNIFF: usize = 4096;

/// Parses `files` (name and bytes each) in whichever supported format they are.
pub fn parse_files(files: &[(String, Vec<u8>)]) -> Result<Interchange, ImportError> {
    let whole = |problem: String| ImportError {
        file: None,
        at: String::new(),
        problem,
    };
    if files.is_empty() {
        return Err(whole("no file was given".into()));
    }
    let is_brat = files
        .iter()
        .any(|(name, bytes)| zip::is_zip(bytes) || name.to_ascii_lowercase().ends_with(".ann"));
    if is_brat {
        return brat::parse_files(files);
    }
    if files.len() > 1 {
        let names: Vec<&str> = files.iter().map(|(n, _)| n.as_str()).collect();
        return Err(whole(format!(
            "import one annotation file at a time, or a brat set of .ann and .txt files \
             (given: {})",
            names.join(", ")
        )));
    }
    let (name, bytes) = &files[0];
    let with_name = |mut e: ImportError| {
        e.file.get_or_insert_with(|| name.clone());
        e
    };
    let text = decode_annotation_file(name, bytes).map_err(|e| ImportError {
        file: None,
        at: String::new(),
        problem: e.to_string(),
    })?;
    parse_text(text).map_err(with_name)
}

/// Parses one decoded annotation file.
pub fn parse_text(text: &str) -> Result<Interchange, ImportError> {
    let body = text.trim_start();
    let head = prefix(body, SNIFF);
    let first_line = body.lines().next().unwrap_or("");
    match body.chars().next() {
        Some('{') | Some('[') => {
            let compact: String = head.chars().filter(|c| !c.is_whitespace()).collect();
            if compact.contains("\"format\":\"marginalia\"") {
                native::parse(text)
            } else if compact.contains("\"@context\"")
                || compact.contains("\"type\":\"AnnotationCollection\"")
                || compact.contains("\"type\":\"Annotation\"")
            {
                w3c::parse(text)
            } else if first_line.trim_end().ends_with('}') && is_object_without_data(first_line) {
                jsonl::parse(text)
            } else if compact.contains("\"data\":") {
                label_studio::parse(text)
            } else {
                Err(unknown(&format!(
                    "JSON that is none of Marginalia JSON (\"format\": \"marginalia\"), W3C Web \
                     Annotation (\"@context\"), Label Studio tasks (\"data\") or JSONL (one \
                     object per line); it starts {:?}",
                    prefix(body, 60)
                )))
            }
        }
        Some(_) if looks_like_csv_header(first_line) => csv::parse(text),
        Some(_) => Err(unknown(&format!(
            "text that is neither JSON nor a CSV file with the columns {}; it starts {:?}",
            csv::COLUMNS.join(","),
            prefix(body, 60)
        ))),
        None => Err(unknown("an empty file")),
    }
}

/// Whether `line` is one whole JSON object without a top-level `data` key
/// (which would make it a Label Studio task). Only the keys are read: the
/// values are checked and skipped, so a 1 MB `text` is never copied or
/// built into a tree (the parser that follows reads it once).
fn is_object_without_data(line: &str) -> bool {
    struct ObjectWithoutData;

    impl<'de> Deserialize<'de> for ObjectWithoutData {
        fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
            deserializer.deserialize_map(ObjectWithoutData)
        }
    }

    impl<'de> Visitor<'de> for ObjectWithoutData {
        type Value = ObjectWithoutData;

        fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
            f.write_str("a JSON object without a data key")
        }

        fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut has_data = false;
            while let Some(key) = map.next_key::<Cow<'de, str>>()? {
                has_data |= key == "data";
                map.next_value::<IgnoredAny>()?;
            }
            if has_data {
                return Err(de::Error::custom("a data key"));
            }
            Ok(ObjectWithoutData)
        }
    }

    serde_json::from_str::<ObjectWithoutData>(line).is_ok()
}

fn unknown(found: &str) -> ImportError {
    ImportError {
        file: None,
        at: String::new(),
        problem: format!(
            "unknown format: expected Marginalia JSON, JSONL, W3C Web Annotation JSON-LD, \
             Label Studio JSON, brat (.ann/.txt or .zip) or CSV, found {found}"
        ),
    }
}

fn looks_like_csv_header(line: &str) -> bool {
    let names: Vec<String> = line
        .split(',')
        .map(|c| c.trim().trim_matches('"').to_ascii_lowercase())
        .collect();
    let has = |want: &str| names.iter().any(|n| n.starts_with(want));
    has("label") && has("start") && has("end")
}

/// At most `max` bytes of `s`, cut at a character boundary.
fn prefix(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}
