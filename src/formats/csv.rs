//! CSV: one row per span, RFC 4180 (comma-separated, CRLF line ends, fields
//! quoted when they hold a comma, a quote or a line break, quotes doubled),
//! UTF-8 without a byte order mark. The header names the columns:
//!
//! `document,sha256,label,start_codepoint,end_codepoint,text,note,id,utf16_start,utf16_end`
//!
//! The offset unit is in the column names: `start_codepoint`/`end_codepoint`
//! are half-open code point offsets into the document whose SHA-256 is
//! `sha256`; `utf16_start`/`utf16_end` are the same positions in UTF-16 code
//! units. `text` is the span's text and `note` its note (empty when none).
//!
//! The file carries no document texts, so the importer matches documents by
//! `sha256` (then by name) and checks or re-anchors each span by its `text`.
//! Documents without spans have no rows, so they are not in the file.
//!
//! [`parse`] wants the columns `document`, `sha256`, `label`,
//! `start_codepoint`, `end_codepoint` and `text`, in any order; `note`, `id`
//! and the UTF-16 columns are optional, other columns are ignored. A byte
//! order mark and LF line ends are accepted. Errors name the line (the line
//! a row starts on) and the column.

use std::collections::{HashMap, HashSet};

use super::interchange::{
    FormatKind, ImportError, Interchange, InterchangeDocument, InterchangeSpan,
};
use super::{
    first_repeat, import_error, is_sha256_hex, sorted_annotations, utf16_len, ExportOptions,
};
use crate::model::Label;
use crate::store::Entry;

/// The columns written, in order.
pub const COLUMNS: [&str; 10] = [
    "document",
    "sha256",
    "label",
    "start_codepoint",
    "end_codepoint",
    "text",
    "note",
    "id",
    "utf16_start",
    "utf16_end",
];

/// The columns a file must have.
const REQUIRED: [&str; 6] = [
    "document",
    "sha256",
    "label",
    "start_codepoint",
    "end_codepoint",
    "text",
];

/// The header and one row per span, documents in the given order, spans
/// sorted. Labels have no place in CSV: rows name theirs.
pub fn export(entries: &[&Entry], _labels: &[Label], _options: &ExportOptions) -> String {
    let mut writer = ::csv::WriterBuilder::new()
        .terminator(::csv::Terminator::CRLF)
        .from_writer(Vec::new());
    // Writing to a Vec cannot fail.
    writer.write_record(COLUMNS).expect("writes to memory");
    for entry in entries {
        let doc = &entry.doc;
        for a in sorted_annotations(entry) {
            let numbers =
                [a.start, a.end, doc.utf16_of(a.start), doc.utf16_of(a.end)].map(|n| n.to_string());
            writer
                .write_record([
                    doc.name.as_str(),
                    doc.sha256(),
                    &a.label,
                    &numbers[0],
                    &numbers[1],
                    doc.slice(a.start, a.end),
                    a.note.as_deref().unwrap_or(""),
                    &a.id,
                    &numbers[2],
                    &numbers[3],
                ])
                .expect("writes to memory");
        }
    }
    let bytes = writer.into_inner().expect("writes to memory");
    String::from_utf8(bytes).expect("every field written was UTF-8")
}

/// Reads a CSV file of spans, all or nothing.
pub fn parse(input: &str) -> Result<Interchange, ImportError> {
    let input = input.strip_prefix('\u{feff}').unwrap_or(input);
    check_quoting(input)?;
    let mut reader = ::csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(input.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        None => {
            return Err(import_error(
                "line 1",
                format!(
                    "the file is empty; expected a header line: {}",
                    COLUMNS.join(",")
                ),
            ))
        }
        Some(record) => record.map_err(csv_error)?,
    };
    let columns = Columns::from_header(&header)?;
    let mut documents: Vec<InterchangeDocument> = Vec::new();
    // Each span read, in file order: (its document, its place there, its line).
    let mut placed: Vec<(usize, usize, u64)> = Vec::new();
    let read = read_rows(
        input,
        records,
        &header,
        &columns,
        &mut documents,
        &mut placed,
    );
    // A row's id is checked after its other fields: an id used twice in a
    // document before a problem comes first.
    let ids = placed
        .iter()
        .enumerate()
        .filter_map(|(ordinal, &(d, s, _))| {
            Some(((d, documents[d].spans[s].id.as_deref()?), ordinal))
        });
    if let Some(((d, id), ordinal)) = first_repeat(ids) {
        let name = documents[d].name.as_deref().unwrap_or_default();
        return Err(import_error(
            format!("line {}, id", placed[ordinal].2),
            format!("{id:?} is used twice in document {name:?}"),
        ));
    }
    read?;
    Ok(Interchange {
        format: FormatKind::Csv,
        labels: Vec::new(),
        documents,
    })
}

/// Reads the data rows into `documents` up to the first problem (ids
/// aside), noting in `placed` where each span went.
fn read_rows(
    input: &str,
    records: impl Iterator<Item = Result<::csv::StringRecord, ::csv::Error>>,
    header: &::csv::StringRecord,
    columns: &Columns,
    documents: &mut Vec<InterchangeDocument>,
    placed: &mut Vec<(usize, usize, u64)>,
) -> Result<(), ImportError> {
    // sha256 -> (index in documents, line of its first row)
    let mut by_sha: HashMap<String, (usize, u64)> = HashMap::new();
    // The line of each document's first row.
    let mut first_lines: Vec<u64> = Vec::new();
    let mut lines = LineCounter::new(input);
    for record in records {
        let record = record.map_err(csv_error)?;
        // The csv crate does not count line breaks inside quoted fields:
        // count them here, up to the byte where the record starts.
        let line = lines.line_at(record.position().map_or(0, |p| p.byte()) as usize);
        if record.len() != header.len() {
            return Err(import_error(
                format!("line {line}"),
                format!(
                    "has {} fields, but the header has {}",
                    record.len(),
                    header.len()
                ),
            ));
        }
        let row = Row {
            record: &record,
            columns,
            line,
        };
        let name = row.get("document");
        let sha256 = row.get("sha256");
        if !is_sha256_hex(sha256) {
            return Err(row.error(
                "sha256",
                format!("expected 64 lower-case hexadecimal digits, found {sha256:?}"),
            ));
        }
        // A document's rows are most often together: the last one first.
        let last = documents
            .last()
            .filter(|doc| doc.sha256.as_deref() == Some(sha256))
            .map(|_| (documents.len() - 1, first_lines[documents.len() - 1]));
        let d = match last.or_else(|| by_sha.get(sha256).copied()) {
            Some((d, first_line)) => {
                if documents[d].name.as_deref() != Some(name) {
                    return Err(row.error(
                        "document",
                        format!(
                            "is {name:?}, but line {first_line} gives the same sha256 to {:?}",
                            documents[d].name.as_deref().unwrap_or_default()
                        ),
                    ));
                }
                d
            }
            None => {
                by_sha.insert(sha256.to_owned(), (documents.len(), line));
                first_lines.push(line);
                documents.push(InterchangeDocument {
                    name: Some(name.to_owned()),
                    sha256: Some(sha256.to_owned()),
                    text: None,
                    status: None,
                    spans: Vec::new(),
                });
                documents.len() - 1
            }
        };
        let span = row.span()?;
        placed.push((d, documents[d].spans.len(), line));
        documents[d].spans.push(span);
    }
    Ok(())
}

/// Where each known column is: `index[k]` for `COLUMNS[k]` (read once per
/// field of every row, so a position rather than a hashed name).
struct Columns {
    index: [Option<usize>; COLUMNS.len()],
}

impl Columns {
    fn from_header(header: &::csv::StringRecord) -> Result<Self, ImportError> {
        let mut index = [None; COLUMNS.len()];
        let mut seen = HashSet::new();
        for (i, name) in header.iter().enumerate() {
            if !seen.insert(name) {
                return Err(import_error(
                    "line 1",
                    format!("the column {name:?} appears twice in the header"),
                ));
            }
            if let Some(known) = COLUMNS.iter().position(|c| *c == name) {
                index[known] = Some(i);
            }
        }
        let columns = Columns { index };
        if let Some(missing) = REQUIRED.iter().find(|c| columns.of(c).is_none()) {
            return Err(import_error(
                "line 1",
                format!(
                    "the header has no column {missing:?}; expected the columns {} \
                     (and optionally note, id, utf16_start, utf16_end), offsets in code points",
                    REQUIRED.join(", ")
                ),
            ));
        }
        Ok(columns)
    }

    /// Where the known column `column` is in the file, if it has it.
    fn of(&self, column: &str) -> Option<usize> {
        COLUMNS
            .iter()
            .position(|c| *c == column)
            .and_then(|k| self.index[k])
    }
}

/// One data row, read by column name.
struct Row<'r> {
    record: &'r ::csv::StringRecord,
    columns: &'r Columns,
    line: u64,
}

impl Row<'_> {
    /// The field of `column`; empty when the file has no such column.
    fn get(&self, column: &str) -> &str {
        self.columns
            .of(column)
            .and_then(|i| self.record.get(i))
            .unwrap_or("")
    }

    fn optional(&self, column: &str) -> Option<String> {
        Some(self.get(column))
            .filter(|s| !s.is_empty())
            .map(str::to_owned)
    }

    fn error(&self, column: &str, problem: impl Into<String>) -> ImportError {
        import_error(format!("line {}, {column}", self.line), problem)
    }

    fn number(&self, column: &str) -> Result<Option<usize>, ImportError> {
        let field = self.get(column);
        if field.is_empty() {
            return Ok(None);
        }
        field.parse().map(Some).map_err(|_| {
            self.error(
                column,
                format!("expected a whole number (an offset), found {field:?}"),
            )
        })
    }

    fn required_number(&self, column: &str) -> Result<usize, ImportError> {
        self.number(column)?
            .ok_or_else(|| self.error(column, "is empty; expected a whole number (an offset)"))
    }

    fn span(&self) -> Result<InterchangeSpan, ImportError> {
        let label = self.get("label");
        if label.is_empty() {
            return Err(self.error("label", "is empty; expected a label name"));
        }
        let start = self.required_number("start_codepoint")?;
        let end = self.required_number("end_codepoint")?;
        if start >= end {
            return Err(self.error(
                "end_codepoint",
                format!("must be greater than start_codepoint ({start}), found {end}"),
            ));
        }
        let text = self.get("text");
        let length = text.chars().count();
        if length != end - start {
            return Err(self.error(
                "text",
                format!(
                    "has {length} code points, but {start}..{end} spans {}",
                    end - start
                ),
            ));
        }
        let (u16_start, u16_end) = (self.number("utf16_start")?, self.number("utf16_end")?);
        if let Some(u16_start) = u16_start {
            if u16_start < start {
                return Err(self.error(
                    "utf16_start",
                    format!("{u16_start} is less than start_codepoint ({start}); a UTF-16 offset is at least the code point offset"),
                ));
            }
            let units = utf16_len(text);
            if u16_end.is_some_and(|e| e.checked_sub(u16_start) != Some(units)) {
                return Err(self.error(
                    "utf16_end",
                    format!(
                        "{} does not fit the text, which is {units} UTF-16 units long (expected {})",
                        u16_end.unwrap_or_default(),
                        u16_start + units
                    ),
                ));
            }
        }
        Ok(InterchangeSpan {
            id: self.optional("id"),
            label: label.to_owned(),
            start,
            end,
            quote: Some(text.to_owned()),
            prefix: None,
            suffix: None,
            note: self.optional("note"),
            created_at: None,
        })
    }
}

/// Line numbers of byte offsets met in increasing order.
struct LineCounter<'a> {
    input: &'a str,
    byte: usize,
    line: u64,
}

impl<'a> LineCounter<'a> {
    fn new(input: &'a str) -> Self {
        LineCounter {
            input,
            byte: 0,
            line: 1,
        }
    }

    /// The 1-based line of `byte`, which is not before the previous one asked.
    fn line_at(&mut self, byte: usize) -> u64 {
        let mut byte = byte.clamp(self.byte, self.input.len());
        // After a CRLF the csv crate places the next record at the LF.
        if self.input.as_bytes().get(byte) == Some(&b'\n') {
            byte += 1;
        }
        let newlines = self.input.as_bytes()[self.byte..byte]
            .iter()
            .filter(|&&b| b == b'\n')
            .count();
        self.line += newlines as u64;
        self.byte = byte;
        self.line
    }
}

/// Reading text from memory, flexibly, the csv crate has no error left to
/// report; should one come, it is placed by byte (its line count is off
/// after quoted line breaks).
fn csv_error(e: ::csv::Error) -> ImportError {
    let at = e
        .position()
        .map_or_else(String::new, |p| format!("byte {}", p.byte()));
    import_error(at, e.to_string())
}

/// Checks RFC 4180 quoting, which the csv crate reads leniently: a quote may
/// open a field, must close it (followed by a comma or a line end), and is
/// doubled inside it. A file cut off inside a quoted field is reported where
/// that field starts.
fn check_quoting(input: &str) -> Result<(), ImportError> {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        /// A quote inside a quoted field: the closing one, or half of `""`.
        QuoteInQuoted,
    }
    let (mut line, mut column) = (1usize, 0usize);
    let mut opened = (1, 1);
    let mut state = State::FieldStart;
    for ch in input.chars() {
        column += 1;
        state = match (state, ch) {
            (State::FieldStart, '"') => {
                opened = (line, column);
                State::Quoted
            }
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, ',') => State::FieldStart,
            (State::FieldStart | State::Unquoted | State::QuoteInQuoted, '\r' | '\n') => {
                State::FieldStart
            }
            (State::Unquoted, '"') => {
                return Err(import_error(
                    format!("line {line}, column {column}"),
                    "a quote inside an unquoted field; a field holding quotes must be \
                     enclosed in quotes, with each quote inside doubled",
                ))
            }
            (State::FieldStart | State::Unquoted, _) => State::Unquoted,
            (State::Quoted, '"') => State::QuoteInQuoted,
            (State::Quoted, _) => State::Quoted,
            (State::QuoteInQuoted, '"') => State::Quoted,
            (State::QuoteInQuoted, _) => {
                return Err(import_error(
                    format!("line {line}, column {column}"),
                    format!(
                        "{ch:?} after the closing quote of a field; expected a comma or a line end"
                    ),
                ))
            }
        };
        if ch == '\n' {
            line += 1;
            column = 0;
        }
    }
    if let State::Quoted = state {
        return Err(import_error(
            format!("line {}, column {}", opened.0, opened.1),
            "the quoted field that starts here has no closing quote (is the file cut short?)",
        ));
    }
    Ok(())
}
