//! The layout of the JSON files Marginalia writes: indented like
//! `serde_json::to_string_pretty` down to the lists of records, and each
//! record (an annotation, a span, a Label Studio result) written whole on
//! one line.
//!
//! Why not indent everything: a 10,000-span W3C file indented to the last
//! field is 9 MB, 40 % of it indentation; a browser takes longer to read it
//! and the parser to skip it than to do the work. One record per line keeps
//! the file readable and line-diffable (`grep` finds a span with all its
//! fields), and every JSON reader reads it the same.

use std::io::{self, Write};

use serde::Serialize;
use serde_json::ser::Formatter;

/// `value` as JSON, indented by two spaces down to nesting depth
/// `record_depth` (the top-level value is depth 1), with every array or
/// object at that depth or deeper written on one line without spaces.
pub fn to_string_with_records<T: Serialize + ?Sized>(value: &T, record_depth: usize) -> String {
    let mut out = Vec::with_capacity(1 << 16);
    let formatter = RecordsPerLine {
        depth: 0,
        record_depth,
        has_value: false,
    };
    let mut serializer = serde_json::Serializer::with_formatter(&mut out, formatter);
    value
        .serialize(&mut serializer)
        .expect("export types always serialise");
    // serde_json writes only valid UTF-8.
    String::from_utf8(out).expect("serde_json writes UTF-8")
}

struct RecordsPerLine {
    /// Arrays and objects open around the value being written.
    depth: usize,
    record_depth: usize,
    /// Whether the innermost open array or object has a value yet.
    has_value: bool,
}

impl RecordsPerLine {
    /// Whether the innermost open array or object is written on one line.
    fn inline(&self) -> bool {
        self.depth >= self.record_depth
    }

    fn begin<W: ?Sized + Write>(&mut self, writer: &mut W, open: &[u8]) -> io::Result<()> {
        self.depth += 1;
        self.has_value = false;
        writer.write_all(open)
    }

    fn end<W: ?Sized + Write>(&mut self, writer: &mut W, close: &[u8]) -> io::Result<()> {
        let inline = self.inline();
        self.depth -= 1;
        if self.has_value && !inline {
            self.new_line(writer)?;
        }
        writer.write_all(close)
    }

    /// Before an array item or an object key.
    fn item<W: ?Sized + Write>(&mut self, writer: &mut W, first: bool) -> io::Result<()> {
        if !first {
            writer.write_all(b",")?;
        }
        if self.inline() {
            Ok(())
        } else {
            self.new_line(writer)
        }
    }

    fn new_line<W: ?Sized + Write>(&self, writer: &mut W) -> io::Result<()> {
        writer.write_all(b"\n")?;
        for _ in 0..self.depth {
            writer.write_all(b"  ")?;
        }
        Ok(())
    }
}

impl Formatter for RecordsPerLine {
    fn begin_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"[")
    }

    fn end_array<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"]")
    }

    fn begin_array_value<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn end_array_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }

    fn begin_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.begin(writer, b"{")
    }

    fn end_object<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        self.end(writer, b"}")
    }

    fn begin_object_key<W: ?Sized + Write>(
        &mut self,
        writer: &mut W,
        first: bool,
    ) -> io::Result<()> {
        self.item(writer, first)
    }

    fn begin_object_value<W: ?Sized + Write>(&mut self, writer: &mut W) -> io::Result<()> {
        writer.write_all(if self.inline() { b":" } else { b": " })
    }

    fn end_object_value<W: ?Sized + Write>(&mut self, _writer: &mut W) -> io::Result<()> {
        self.has_value = true;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::to_string_with_records;
    use serde_json::json;

    #[test]
    fn indents_down_to_the_records_and_writes_each_on_one_line() {
        let value = json!({
            "name": "a",
            "items": [
                {"id": 1, "tags": ["x", "y"], "at": {"start": 0}},
                {"id": 2, "tags": [], "at": {}}
            ],
            "empty": [],
            "none": {}
        });
        let expected = r#"{
  "empty": [],
  "items": [
    {"at":{"start":0},"id":1,"tags":["x","y"]},
    {"at":{},"id":2,"tags":[]}
  ],
  "name": "a",
  "none": {}
}"#;
        assert_eq!(to_string_with_records(&value, 3), expected);
    }

    #[test]
    fn at_a_depth_below_every_value_it_is_the_pretty_layout() {
        let value = json!([{"a": [1, {"b": "c\"\n"}]}, [], "é😀"]);
        assert_eq!(
            to_string_with_records(&value, usize::MAX),
            serde_json::to_string_pretty(&value).unwrap()
        );
        assert_eq!(
            to_string_with_records(&value, 1),
            serde_json::to_string(&value).unwrap()
        );
    }
}
