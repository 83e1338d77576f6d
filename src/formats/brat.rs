//! brat standoff (<https://brat.nlplab.org/standoff.html>): the export (a
//! `.zip` with `NAME.txt` and `NAME.ann` per document, `annotation.conf`
//! declaring the labels and `visual.conf` giving their colours) and a parser
//! for `.ann` files with their `.txt` files, or a `.zip` of them.
//!
//! **Offsets.** brat is Python: it reads a `.txt` into a `str` and slices it,
//! so its offsets count code points (brat's `annotation.py` checks
//! `end > len(self._document_text)` and compares `self._document_text[start:end]`
//! with the span text). But it opens texts in universal-newline mode
//! (`open_textfile`, mode `'rU'`, as Python 3's `open` does by default), so
//! a CR LF pair is one character (`\n`) to brat. The `.txt` files are written
//! byte for byte as Marginalia has them, and the `.ann` offsets are counted
//! the way brat reads them: code points, CR LF counting once. The parser
//! maps them back. (A position between the CR and the LF of a pair cannot be
//! expressed in brat; a span edge there is written just after the pair.)
//!
//! **Spans crossing lines.** brat's span text sits on one `.ann` line, so a
//! fragment cannot hold a line break: a span becomes one fragment per line
//! (`T1\tclaim 0 5;6 9\tfirst second`, the text field joining the fragments
//! with a space, as brat does). Line breaks here are every character
//! Python's `str.splitlines` breaks at (`\n`, `\r`, VT, FF, FS, GS, RS, NEL,
//! U+2028, U+2029), since Python 2 brat reads `.ann` lines that way. When a
//! span starts or ends on a line break, a zero-width fragment marks the
//! exact edge (brat accepts `START END` with `START == END`), so every span
//! comes back with exactly its range. The parser takes a discontinuous span
//! as one span from its smallest start to its largest end.
//!
//! **Labels.** brat stores a type only as `[A-Za-z0-9_-]+` (its
//! `normalize_to_storage_form` rewrites anything else to `_`, and the T line
//! separates type and offsets with a space), so labels are written in a
//! reversible way: a label made of words of ASCII letters, digits and `-`
//! joined by single spaces is written with `_` for each space (`due date` ↔
//! `due_date`, the way brat itself writes spaces); any other label is
//! written as `_` and the upper-case hex of its UTF-8 bytes (`due_date` ↔
//! `_6475655F64617465`), which no label of the first kind can be. The
//! parser reverses both; other tools' types that are not `_` and hex are
//! read the first way, `_` as a space. `annotation.conf` lists the
//! types under `[entities]` (with empty `[relations]`, `[events]` and
//! `[attributes]`) and, in comments, each label whose type differs from its
//! name; `visual.conf` maps those types back to the label names in brat's
//! display (`[labels]`) and gives the colours (`[drawing]`).
//!
//! **Notes.** Each note is an `AnnotatorNotes` comment (`#1\tAnnotatorNotes
//! T1\tnote`), on one line: `\` is written `\\`, line feed `\n`, carriage
//! return `\r`, tab `\t`, and the other line breaks above `\uXXXX`. The
//! parser undoes these escapes and keeps any other backslash as it is.
//!
//! **What the parser reads.** `T` lines (text-bound annotations: the spans)
//! and `#` `AnnotatorNotes` lines. Relations (`R`), events (`E`),
//! attributes (`A`, `M`), normalisations (`N`), equivalences (`*`) and other
//! comment types describe things Marginalia does not model; they are read
//! past without error (an event's trigger is a `T` line, so it is still
//! imported as a span). Anything else is an error naming the file and line.
//! Span ids (`T1`) and creation times are not part of brat's format, so they
//! do not survive a round trip; labels, ranges and notes do.

use std::collections::{HashMap, HashSet};

use super::interchange::{
    FormatKind, ImportError, Interchange, InterchangeDocument, InterchangeSpan,
};
use super::zip::{self, NamedFile};
use super::ExportOptions;
use crate::model::{Annotation, Document, Label};
use crate::store::Entry;
use crate::text::OffsetIndex;

pub use super::zip::is_zip;

/// Where Marginalia puts each label (the types of brat's `.ann` files).
pub const ANNOTATION_CONF: &str = "annotation.conf";
/// Label names and colours, for brat's display.
pub const VISUAL_CONF: &str = "visual.conf";
/// The colour of a label whose colour the files do not give.
pub const DEFAULT_COLOR: &str = "#808080";

/// Characters at which Python's `str.splitlines` breaks a line.
fn is_line_break(c: char) -> bool {
    matches!(
        c,
        '\n' | '\r'
            | '\u{0b}'
            | '\u{0c}'
            | '\u{1c}'
            | '\u{1d}'
            | '\u{1e}'
            | '\u{85}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

// ------------------------------------------------------------------ labels

/// Names brat's `visual.conf` reserves for its defaults.
const RESERVED_TYPES: [&str; 2] = ["SPAN_DEFAULT", "ARC_DEFAULT"];

/// The brat type for a label (see the module documentation).
pub fn type_of_label(label: &str) -> String {
    let simple = !label.is_empty()
        && label.split(' ').all(|word| {
            !word.is_empty() && word.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
        });
    let readable = label.replace(' ', "_");
    if simple && !RESERVED_TYPES.contains(&readable.as_str()) {
        return readable;
    }
    let mut out = String::from("_");
    for b in label.bytes() {
        out.push_str(&format!("{b:02X}"));
    }
    out
}

/// The label a brat type stands for: the inverse of [`type_of_label`]. Other
/// tools' types are read the way brat writes them, with `_` for a space.
pub fn label_of_type(brat_type: &str) -> String {
    if let Some(hex) = brat_type.strip_prefix('_') {
        let bytes: Option<Vec<u8>> = (hex.len() % 2 == 0
            && hex.bytes().all(|b| b.is_ascii_hexdigit()))
        .then(|| {
            (0..hex.len())
                .step_by(2)
                .map(|i| u8::from_str_radix(hex.get(i..i + 2)?, 16).ok())
                .collect()
        })
        .flatten();
        if let Some(label) = bytes.and_then(|b| String::from_utf8(b).ok()) {
            return label;
        }
    }
    brat_type.replace('_', " ")
}

// ------------------------------------------------------------------ notes

fn escape_note(note: &str) -> String {
    let mut out = String::with_capacity(note.len());
    for c in note.chars() {
        match c {
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if is_line_break(c) => out.push_str(&format!("\\u{:04X}", u32::from(c))),
            c => out.push(c),
        }
    }
    out
}

fn unescape_note(field: &str) -> String {
    let mut out = String::with_capacity(field.len());
    let mut chars = field.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.peek() {
            Some('\\') => out.push('\\'),
            Some('n') => out.push('\n'),
            Some('r') => out.push('\r'),
            Some('t') => out.push('\t'),
            Some('u') => {
                let hex: String = chars.clone().skip(1).take(4).collect();
                match (hex.len() == 4)
                    .then(|| u32::from_str_radix(&hex, 16).ok())
                    .flatten()
                    .and_then(char::from_u32)
                {
                    Some(decoded) => {
                        out.push(decoded);
                        for _ in 0..5 {
                            chars.next();
                        }
                    }
                    None => out.push('\\'),
                }
                continue;
            }
            _ => {
                out.push('\\');
                continue;
            }
        }
        chars.next();
    }
    out
}

// ------------------------------------------------------------------ offsets

/// Code point offsets of a text as brat counts them: CR LF is one character.
struct BratOffsets {
    /// Code point offset of the CR of each CR LF pair, ascending.
    crlf: Vec<usize>,
    /// 1 if the file began with a UTF-8 byte order mark, which brat
    /// (reading with the `utf8` codec) counts as a character and Marginalia
    /// drops; else 0.
    bom: usize,
    /// Length in brat's characters.
    len: usize,
}

impl BratOffsets {
    fn new(text: &str, bom: bool) -> Self {
        let mut crlf = Vec::new();
        let mut previous_cr = false;
        let mut count = 0;
        for c in text.chars() {
            if previous_cr && c == '\n' {
                crlf.push(count - 1);
            }
            previous_cr = c == '\r';
            count += 1;
        }
        let bom = usize::from(bom);
        BratOffsets {
            len: bom + count - crlf.len(),
            crlf,
            bom,
        }
    }

    /// brat's offset of code point offset `cp`. A position between a CR and
    /// its LF becomes the position after the pair.
    fn brat_of(&self, cp: usize) -> usize {
        self.bom + cp - self.crlf.partition_point(|&c| c + 2 <= cp)
    }

    /// The code point offset of brat's offset `b` (at least `self.bom`).
    fn cp_of(&self, b: usize) -> usize {
        let b = b - self.bom;
        // Pair j sits at brat offset crlf[j] - j, increasing with j.
        let mut low = 0;
        let mut high = self.crlf.len();
        while low < high {
            let mid = (low + high) / 2;
            if self.crlf[mid] - mid < b {
                low = mid + 1;
            } else {
                high = mid;
            }
        }
        b + low
    }
}

/// A span's fragments (code point ranges) as brat needs them: the runs
/// between line breaks, plus a zero-width fragment at an edge that falls on
/// a line break, so the range is kept exactly.
fn fragments(doc: &Document, start: usize, end: usize) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut run: Option<usize> = None;
    for (i, c) in doc.slice(start, end).chars().enumerate() {
        let cp = start + i;
        if is_line_break(c) {
            if let Some(from) = run.take() {
                out.push((from, cp));
            }
        } else if run.is_none() {
            run = Some(cp);
        }
    }
    if let Some(from) = run {
        out.push((from, end));
    }
    if out.first().is_none_or(|&(s, _)| s != start) {
        out.insert(0, (start, start));
    }
    if out.last().is_none_or(|&(_, e)| e != end) {
        out.push((end, end));
    }
    out
}

// ------------------------------------------------------------------ export

/// The brat `.zip` for `entries` (in the given order; each document's spans
/// in their usual order). `labels` are declared in `annotation.conf` in
/// their order, followed by any label a span uses that they lack. The texts
/// are always written (`options.include_text` is ignored): brat's offsets
/// mean nothing without them. Entries carry `options.exported_at` as their
/// time, so the same export gives the same bytes.
pub fn export(entries: &[&Entry], labels: &[Label], options: &ExportOptions) -> Vec<u8> {
    let mut declared: Vec<Label> = labels.to_vec();
    let mut known: HashSet<String> = labels.iter().map(|l| l.name.clone()).collect();
    for entry in entries {
        let mut used: Vec<&str> = entry.annotations.iter().map(|a| a.label.as_str()).collect();
        used.sort_unstable();
        for name in used {
            if known.insert(name.to_owned()) {
                declared.push(Label {
                    name: name.to_owned(),
                    color: DEFAULT_COLOR.to_owned(),
                    key: String::new(),
                });
            }
        }
    }
    let mut files = vec![
        (
            ANNOTATION_CONF.to_owned(),
            annotation_conf(&declared).into_bytes(),
        ),
        (VISUAL_CONF.to_owned(), visual_conf(&declared).into_bytes()),
    ];
    for (entry, name) in entries.iter().zip(file_names(entries)) {
        files.push((format!("{name}.txt"), entry.doc.text().as_bytes().to_vec()));
        files.push((format!("{name}.ann"), ann_file(entry).into_bytes()));
    }
    zip::write(&files, &options.exported_at)
}

/// One `.ann` file.
fn ann_file(entry: &Entry) -> String {
    let doc = &entry.doc;
    let offsets = BratOffsets::new(doc.text(), false);
    let mut annotations: Vec<&Annotation> = entry.annotations.iter().map(|a| &**a).collect();
    annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
    let mut out = String::new();
    let mut notes = 0;
    for (i, a) in annotations.iter().enumerate() {
        let id = i + 1;
        let frags = fragments(doc, a.start, a.end);
        let ranges: Vec<String> = frags
            .iter()
            .map(|&(s, e)| format!("{} {}", offsets.brat_of(s), offsets.brat_of(e)))
            .collect();
        let texts: Vec<&str> = frags.iter().map(|&(s, e)| doc.slice(s, e)).collect();
        out.push_str(&format!(
            "T{id}\t{} {}\t{}\n",
            type_of_label(&a.label),
            ranges.join(";"),
            texts.join(" ")
        ));
        if let Some(note) = &a.note {
            notes += 1;
            out.push_str(&format!(
                "#{notes}\tAnnotatorNotes T{id}\t{}\n",
                escape_note(note)
            ));
        }
    }
    out
}

fn annotation_conf(labels: &[Label]) -> String {
    let mut out = String::from(
        "# brat configuration written by Marginalia.\n\
         # Offsets in the .ann files count Unicode code points of the .txt files as brat\n\
         # reads them (universal newlines: CR LF counts as one character).\n\
         # Types are Marginalia's label names: words of ASCII letters, digits and \"-\"\n\
         # with \"_\" for each space; any other label as \"_\" and the hex of its UTF-8.\n",
    );
    for label in labels {
        let brat_type = type_of_label(&label.name);
        if brat_type != label.name {
            // JSON string syntax, so any label fits on the comment line.
            let quoted = serde_json::to_string(&label.name).expect("strings serialise");
            out.push_str(&format!("# label {quoted} is type {brat_type}\n"));
        }
    }
    out.push_str("\n[entities]\n\n");
    for label in labels {
        out.push_str(&type_of_label(&label.name));
        out.push('\n');
    }
    out.push_str("\n[relations]\n\n[events]\n\n[attributes]\n");
    out
}

fn visual_conf(labels: &[Label]) -> String {
    let mut out = String::from("[labels]\n\n");
    for label in labels {
        let brat_type = type_of_label(&label.name);
        // brat separates display names with "|" and arguments with a tab.
        if brat_type != label.name
            && !label.name.contains('|')
            && !label.name.contains(is_line_break)
        {
            out.push_str(&format!("{brat_type} | {}\n", label.name));
        }
    }
    out.push_str(
        "\n[drawing]\n\n\
         SPAN_DEFAULT\tfgColor:black, bgColor:lightgreen, borderColor:darken\n\
         ARC_DEFAULT\tcolor:black, arrowHead:triangle-5\n",
    );
    for label in labels {
        if is_hex_color(&label.color) {
            out.push_str(&format!(
                "{}\tbgColor:{}\n",
                type_of_label(&label.name),
                label.color
            ));
        }
    }
    out
}

fn is_hex_color(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].bytes().all(|b| b.is_ascii_hexdigit())
}

/// One file name (without extension) per entry: the document's name without
/// a `.txt` ending, with characters file systems refuse replaced by `_`,
/// made unique ignoring case (`-2`, `-3`, …).
pub fn file_names(entries: &[&Entry]) -> Vec<String> {
    let mut taken: HashSet<String> = HashSet::new();
    entries
        .iter()
        .map(|entry| {
            let name = entry.doc.name.as_str();
            let base = match name.len().checked_sub(4) {
                Some(cut)
                    if name.is_char_boundary(cut) && name[cut..].eq_ignore_ascii_case(".txt") =>
                {
                    &name[..cut]
                }
                _ => name,
            };
            let mut safe: String = base
                .chars()
                .map(|c| match c {
                    '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|' => '_',
                    c if c.is_control() => '_',
                    c => c,
                })
                .collect();
            safe = safe.trim().to_owned();
            if safe.starts_with('.') {
                safe.replace_range(..1, "_");
            }
            if safe.is_empty() {
                safe = "document".to_owned();
            }
            let stem = safe.split('.').next().unwrap_or("").to_ascii_uppercase();
            let reserved = matches!(stem.as_str(), "CON" | "PRN" | "AUX" | "NUL")
                || (stem.len() == 4
                    && (stem.starts_with("COM") || stem.starts_with("LPT"))
                    && stem.as_bytes()[3].is_ascii_digit());
            if reserved {
                safe.push('_');
            }
            let mut unique = safe.clone();
            let mut n = 1;
            while !taken.insert(unique.to_lowercase()) {
                n += 1;
                unique = format!("{safe}-{n}");
            }
            unique
        })
        .collect()
}

// ------------------------------------------------------------------ parse

/// One input file after unpacking: how messages name it, its path (for
/// pairing `.ann` with `.txt`), and its bytes.
struct Input<'a> {
    shown: String,
    path: String,
    bytes: &'a [u8],
    /// Unpacked from a `.zip` (where files that are not brat's are skipped).
    in_archive: bool,
}

fn whole_file(file: &str, problem: impl Into<String>) -> ImportError {
    ImportError {
        file: Some(file.to_owned()),
        at: String::new(),
        problem: problem.into(),
    }
}

fn at_line(file: &str, line: usize, problem: impl Into<String>) -> ImportError {
    ImportError {
        file: Some(file.to_owned()),
        at: format!("line {line}"),
        problem: problem.into(),
    }
}

/// The last part of a path inside an archive (`/` or `\` separated).
fn base_name(path: &str) -> &str {
    path.rsplit(['/', '\\']).next().unwrap_or(path)
}

fn extension(path: &str) -> Option<String> {
    let base = base_name(path);
    base.rfind('.').map(|i| base[i + 1..].to_ascii_lowercase())
}

fn stem(path: &str) -> &str {
    let base_start = path.len() - base_name(path).len();
    match path[base_start..].rfind('.') {
        Some(i) => &path[..base_start + i],
        None => path,
    }
}

/// Text from a file's bytes: UTF-8 (as brat requires), a byte order mark
/// dropped. Returns the text and whether there was a mark.
fn decode<'b>(shown: &str, bytes: &'b [u8]) -> Result<(&'b str, bool), ImportError> {
    let (bom, rest) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
        Some(rest) => (true, rest),
        None => (false, bytes),
    };
    std::str::from_utf8(rest)
        .map(|t| (t, bom))
        .map_err(|e| ImportError {
            file: Some(shown.to_owned()),
            at: format!("byte {}", e.valid_up_to() + if bom { 3 } else { 0 }),
            problem: "is not valid UTF-8 (brat files are UTF-8)".to_owned(),
        })
}

/// Reads brat files: `.ann` files with the `.txt` files of the same name
/// (and optionally `annotation.conf` and `visual.conf`), given directly or
/// in `.zip` archives. All or nothing: the first problem is returned, naming
/// the file and line. A `.txt` without an `.ann` is a document with no spans.
///
/// When an `annotation.conf` is given, its `[entities]` and `[events]` are
/// the declared labels (colours from `visual.conf`), and a `T` line with any
/// other type is an error. Without one, the labels the spans use are taken
/// as declared (`labels` is empty).
pub fn parse_files(files: &[NamedFile]) -> Result<Interchange, ImportError> {
    let mut unpacked: Vec<(&String, Vec<NamedFile>)> = Vec::new();
    let mut inputs: Vec<Input> = Vec::new();
    for (name, bytes) in files {
        if is_zip(bytes) {
            unpacked.push((name, zip::read(name, bytes)?));
        }
    }
    let mut zips = unpacked.iter();
    for (name, bytes) in files {
        if is_zip(bytes) {
            let (archive, entries) = zips.next().expect("one per zip");
            for (path, contents) in entries {
                let base = base_name(path);
                // macOS archive clutter, including "._NAME.txt" resource forks.
                if path.starts_with("__MACOSX/") || base.starts_with("._") {
                    continue;
                }
                inputs.push(Input {
                    shown: format!("{path} (in {archive})"),
                    path: format!("{archive}/{path}"),
                    bytes: contents,
                    in_archive: true,
                });
            }
        } else {
            inputs.push(Input {
                shown: name.clone(),
                path: name.clone(),
                bytes,
                in_archive: false,
            });
        }
    }

    let mut texts: HashMap<&str, &Input> = HashMap::new();
    let mut anns: HashMap<&str, &Input> = HashMap::new();
    let mut stems: Vec<&str> = Vec::new();
    let mut confs: Vec<&Input> = Vec::new();
    let mut visuals: Vec<&Input> = Vec::new();
    for input in &inputs {
        let base = base_name(&input.path);
        let kind = if base.eq_ignore_ascii_case(ANNOTATION_CONF) {
            confs.push(input);
            continue;
        } else if base.eq_ignore_ascii_case(VISUAL_CONF) {
            visuals.push(input);
            continue;
        } else {
            extension(&input.path)
        };
        let map = match kind.as_deref() {
            Some("txt") => &mut texts,
            Some("ann") => &mut anns,
            _ if input.in_archive => continue,
            _ => {
                return Err(whole_file(
                    &input.shown,
                    "is not part of a brat corpus: expected .ann files with their .txt files, \
                     annotation.conf, or a .zip of them",
                ))
            }
        };
        let key = stem(&input.path);
        if map.insert(key, input).is_some() {
            return Err(whole_file(&input.shown, "is given twice"));
        }
        if !stems.contains(&key) {
            stems.push(key);
        }
    }
    if anns.is_empty() {
        return Err(ImportError {
            file: None,
            at: String::new(),
            problem:
                "no brat annotations: expected .ann files with their .txt files, or a .zip of them"
                    .to_owned(),
        });
    }

    let mut labels: Vec<Label> = Vec::new();
    for conf in &confs {
        let (text, _) = decode(&conf.shown, conf.bytes)?;
        for name in declared_types(text) {
            let name = label_of_type(&name);
            if !labels.iter().any(|l| l.name == name) {
                labels.push(Label {
                    name,
                    color: DEFAULT_COLOR.to_owned(),
                    key: String::new(),
                });
            }
        }
    }
    for visual in &visuals {
        let (text, _) = decode(&visual.shown, visual.bytes)?;
        for (brat_type, color) in colors(text) {
            let name = label_of_type(&brat_type);
            if let Some(label) = labels.iter_mut().find(|l| l.name == name) {
                label.color = color;
            }
        }
    }
    let declared: Option<HashSet<&str>> =
        (!confs.is_empty()).then(|| labels.iter().map(|l| l.name.as_str()).collect());

    let mut documents = Vec::with_capacity(stems.len());
    for key in stems {
        let Some(txt) = texts.get(key) else {
            let ann = anns[key];
            return Err(whole_file(
                &ann.shown,
                format!(
                    "has no {}.txt beside it: brat offsets point into that text, so both files are needed",
                    base_name(key)
                ),
            ));
        };
        let (text, bom) = decode(&txt.shown, txt.bytes)?;
        let spans = match anns.get(key) {
            Some(ann) => parse_ann(ann, txt, text, bom, declared.as_ref())?,
            None => Vec::new(),
        };
        documents.push(InterchangeDocument {
            name: Some(base_name(&txt.path).to_owned()),
            // brat files state no hash. The plan matches the text by name
            // (comparing the texts) and hashes it only when that fails:
            // hashing 1 MB here cost more than the plan.
            sha256: None,
            text: Some(text.to_owned()),
            status: None,
            spans,
        });
    }
    Ok(Interchange {
        format: FormatKind::Brat,
        labels,
        documents,
    })
}

/// The types an `annotation.conf` declares in `[entities]` and `[events]`
/// (events have text-bound triggers too), in order.
fn declared_types(conf: &str) -> Vec<String> {
    let mut section = "";
    let mut out = Vec::new();
    for line in conf.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        if line.starts_with('[') && line.ends_with(']') {
            section = &line[1..line.len() - 1];
            continue;
        }
        if !matches!(section.trim(), "entities" | "events") {
            continue;
        }
        let Some(first) = line.split_whitespace().next() else {
            continue;
        };
        // "!Type" declares a type that cannot be annotated directly;
        // "<MACRO>=..." and "<ENTITY>" are macros, not types.
        let name = first.trim_start_matches('!');
        if name.is_empty() || name.starts_with('<') || name.contains('=') {
            continue;
        }
        out.push(name.to_owned());
    }
    out
}

/// (type, `#rrggbb`) for each `bgColor` of `visual.conf`'s `[drawing]`.
fn colors(visual: &str) -> Vec<(String, String)> {
    let mut section = "";
    let mut out = Vec::new();
    for line in visual.lines() {
        let line = line.trim();
        if line.starts_with('[') && line.ends_with(']') {
            section = &line[1..line.len() - 1];
            continue;
        }
        if section.trim() != "drawing" || line.starts_with('#') {
            continue;
        }
        let Some((brat_type, settings)) = line.split_once(char::is_whitespace) else {
            continue;
        };
        for setting in settings.split(',') {
            if let Some(color) = setting.trim().strip_prefix("bgColor:") {
                if is_hex_color(color.trim()) {
                    out.push((brat_type.to_owned(), color.trim().to_ascii_lowercase()));
                }
            }
        }
    }
    out
}

/// Lines of a file as brat's Python reads them: split at LF, CR LF or CR.
fn lines(text: &str) -> impl Iterator<Item = &str> {
    let mut rest = text;
    std::iter::from_fn(move || {
        if rest.is_empty() {
            return None;
        }
        // memchr2, not str::find with a char array: that decodes every
        // character, and an .ann file of 10,000 spans is read line by line.
        match memchr::memchr2(b'\n', b'\r', rest.as_bytes()) {
            Some(i) => {
                let line = &rest[..i];
                let skip = if rest[i..].starts_with("\r\n") { 2 } else { 1 };
                rest = &rest[i + skip..];
                Some(line)
            }
            None => {
                let line = rest;
                rest = "";
                Some(line)
            }
        }
    })
}

/// For messages: a text shown quoted, cut short when long.
fn shown(text: &str) -> String {
    const MAX: usize = 60;
    if text.chars().count() <= MAX {
        format!("{text:?}")
    } else {
        let cut: String = text.chars().take(MAX).collect();
        format!("{cut:?}…")
    }
}

fn parse_ann(
    ann: &Input,
    txt: &Input,
    text: &str,
    bom: bool,
    declared: Option<&HashSet<&str>>,
) -> Result<Vec<InterchangeSpan>, ImportError> {
    let file = ann.shown.as_str();
    let (content, _) = decode(file, ann.bytes)?;
    let index = OffsetIndex::new(text);
    let offsets = BratOffsets::new(text, bom);
    let mut spans: Vec<InterchangeSpan> = Vec::new();
    let mut span_of_id: HashMap<&str, usize> = HashMap::new();
    // (line, target id, note) to attach once every T line is known.
    let mut notes: Vec<(usize, &str, String)> = Vec::new();
    for (i, line) in lines(content).enumerate() {
        let n = i + 1;
        if line.trim().is_empty() {
            continue;
        }
        let Some((id, rest)) = line.split_once('\t') else {
            return Err(at_line(
                file,
                n,
                "expected an annotation id and a tab at the start of the line (ID<TAB>…)",
            ));
        };
        let (data, tail) = match rest.split_once('\t') {
            Some((data, tail)) => (data, Some(tail)),
            None => (rest, None),
        };
        match id.chars().next() {
            Some('T') => {
                if !id[1..].starts_with(|c: char| c.is_ascii_digit()) {
                    return Err(at_line(file, n, format!("{id:?} is not a brat id (T and a number)")));
                }
                if span_of_id.contains_key(id) {
                    return Err(at_line(file, n, format!("{id} is defined twice")));
                }
                let span = parse_text_bound(file, n, id, data, tail, text, &index, &offsets, txt, declared)?;
                span_of_id.insert(id, spans.len());
                spans.push(span);
            }
            Some('#') => {
                let mut parts = data.split_whitespace();
                let (Some(kind), Some(target), None) = (parts.next(), parts.next(), parts.next()) else {
                    return Err(at_line(
                        file,
                        n,
                        format!("{id}: expected a comment type and the id it is about (#1<TAB>AnnotatorNotes T1<TAB>note)"),
                    ));
                };
                if kind == "AnnotatorNotes" && target.starts_with('T') {
                    notes.push((n, target, unescape_note(tail.unwrap_or(""))));
                }
            }
            Some('R' | 'E' | 'A' | 'M' | 'N' | '*') => {}
            _ => {
                return Err(at_line(
                    file,
                    n,
                    format!(
                        "{:?} is not a brat annotation id: expected T, R, E, A, M, N, # or * and a number",
                        id
                    ),
                ))
            }
        }
    }
    for (n, target, note) in notes {
        let Some(&index) = span_of_id.get(target) else {
            return Err(at_line(
                file,
                n,
                format!("AnnotatorNotes for {target}, which this file does not define"),
            ));
        };
        if note.is_empty() {
            continue;
        }
        let span = &mut spans[index];
        span.note = Some(match span.note.take() {
            Some(before) => format!("{before}\n{note}"),
            None => note,
        });
    }
    Ok(spans)
}

#[allow(clippy::too_many_arguments)]
fn parse_text_bound(
    file: &str,
    n: usize,
    id: &str,
    data: &str,
    tail: Option<&str>,
    text: &str,
    index: &OffsetIndex,
    offsets: &BratOffsets,
    txt: &Input,
    declared: Option<&HashSet<&str>>,
) -> Result<InterchangeSpan, ImportError> {
    let Some((brat_type, ranges)) = data.split_once(' ') else {
        return Err(at_line(
            file,
            n,
            format!(
                "{id}: expected TYPE START END after the id, found {}",
                shown(data)
            ),
        ));
    };
    if brat_type.is_empty() {
        return Err(at_line(
            file,
            n,
            format!("{id}: the type is missing (TYPE START END)"),
        ));
    }
    let label = label_of_type(brat_type);
    if let Some(declared) = declared {
        if !declared.contains(label.as_str()) {
            return Err(at_line(
                file,
                n,
                format!("{id}: type {brat_type} is not declared in annotation.conf ([entities])"),
            ));
        }
    }
    let mut frags: Vec<(usize, usize)> = Vec::new();
    for range in ranges.split(';') {
        let mut numbers = range.split_whitespace();
        let (Some(s), Some(e), None) = (numbers.next(), numbers.next(), numbers.next()) else {
            return Err(at_line(
                file,
                n,
                format!(
                    "{id}: {} is not a range: expected START END (several joined by \";\")",
                    shown(range)
                ),
            ));
        };
        let number = |v: &str| {
            v.parse::<usize>().map_err(|_| {
                at_line(
                    file,
                    n,
                    format!(
                        "{id}: {} is not an offset: expected a non-negative integer",
                        shown(v)
                    ),
                )
            })
        };
        let (s, e) = (number(s)?, number(e)?);
        if s > e {
            return Err(at_line(
                file,
                n,
                format!("{id}: start {s} is after end {e}"),
            ));
        }
        if e > offsets.len {
            return Err(at_line(
                file,
                n,
                format!(
                    "{id}: offset {e} is past the end of {} ({} characters as brat counts them: \
                     code points, CR LF as one)",
                    txt.shown, offsets.len
                ),
            ));
        }
        if offsets.bom == 1 && s == 0 && e > 0 {
            return Err(at_line(
                file,
                n,
                format!(
                    "{id}: covers the byte order mark at the start of {}",
                    txt.shown
                ),
            ));
        }
        if let Some(&(os, oe)) = frags.iter().find(|&&(os, oe)| e > os && s < oe) {
            return Err(at_line(
                file,
                n,
                format!("{id}: fragments {s} {e} and {os} {oe} overlap"),
            ));
        }
        frags.push((s, e));
    }
    let start = offsets.cp_of(
        frags
            .iter()
            .map(|f| f.0)
            .min()
            .expect("at least one")
            .max(offsets.bom),
    );
    let end = offsets.cp_of(
        frags
            .iter()
            .map(|f| f.1)
            .max()
            .expect("at least one")
            .max(offsets.bom),
    );
    if start >= end {
        return Err(at_line(file, n, format!("{id}: covers no text")));
    }
    if let Some(field) = tail {
        let expected: Vec<String> = frags
            .iter()
            .map(|&(s, e)| {
                let (s, e) = (
                    offsets.cp_of(s.max(offsets.bom)),
                    offsets.cp_of(e.max(offsets.bom)),
                );
                index
                    .slice(text, s, e)
                    .replace("\r\n", "\n")
                    .replace('\r', "\n")
            })
            .collect();
        let expected = expected.join(" ");
        let matches = field
            .strip_prefix(expected.as_str())
            .is_some_and(|rest| rest.is_empty() || rest.starts_with(char::is_whitespace));
        if !matches {
            let written: String = field.chars().take(expected.chars().count()).collect();
            return Err(at_line(
                file,
                n,
                format!(
                    "{id}: the span text {} does not match {} at {}, which reads {}",
                    shown(&written),
                    txt.shown,
                    ranges.trim(),
                    shown(&expected)
                ),
            ));
        }
    }
    Ok(InterchangeSpan {
        id: None,
        label,
        start,
        end,
        quote: Some(index.slice(text, start, end).to_owned()),
        prefix: None,
        suffix: None,
        note: None,
        created_at: None,
    })
}
