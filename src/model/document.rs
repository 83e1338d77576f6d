//! A document: a name and an immutable text, identified by the SHA-256 of
//! its UTF-8 bytes. Also splits the text into lines ([`Block`]s), the unit
//! the view paints and re-paints.

use std::fmt;
use std::rc::Rc;

use sha2::{Digest, Sha256};

use crate::text::OffsetIndex;

/// One line of the text (without its line terminator), in code points and
/// UTF-8 bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    pub start: usize,
    pub end: usize,
    pub text: Rc<str>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DocumentError {
    /// The bytes are not UTF-8; `position` is the byte offset of the first bad byte.
    NotUtf8 { name: String, position: usize },
}

impl fmt::Display for DocumentError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            DocumentError::NotUtf8 { name, position } => write!(
                f,
                "{name} is not valid UTF-8: the byte at position {position} cannot be decoded"
            ),
        }
    }
}

impl std::error::Error for DocumentError {}

/// Cloning is cheap apart from the offset index: text and blocks are shared.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub name: String,
    text: Rc<str>,
    sha256: String,
    index: OffsetIndex,
    blocks: Rc<[Block]>,
    headline: Option<String>,
}

impl Document {
    /// A document from a file's bytes: UTF-8, with a byte order mark dropped.
    /// Nothing else is changed (no newline or Unicode normalisation), so the
    /// `sha256` equals `sha256sum` of a BOM-less file.
    pub fn from_bytes(name: &str, bytes: &[u8]) -> Result<Self, DocumentError> {
        let (bom, bytes) = match bytes.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (3, rest),
            None => (0, bytes),
        };
        let text = std::str::from_utf8(bytes).map_err(|e| DocumentError::NotUtf8 {
            name: name.to_owned(),
            // a position in the file as given, byte order mark included
            position: bom + e.valid_up_to(),
        })?;
        Ok(Self::new(name, text))
    }

    pub fn new(name: &str, text: &str) -> Self {
        let text: Rc<str> = Rc::from(text);
        let index = OffsetIndex::new(&text);
        Document {
            name: name.to_owned(),
            sha256: sha256_hex(&text),
            blocks: split_blocks(&text, &index),
            headline: super::headline(&text),
            index,
            text,
        }
    }

    pub fn text(&self) -> &str {
        &self.text
    }

    /// Lower-case hex SHA-256 of the UTF-8 text: the document's identity.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    pub fn index(&self) -> &OffsetIndex {
        &self.index
    }

    /// Length in code points.
    pub fn len(&self) -> usize {
        self.index.len_chars()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn blocks(&self) -> &Rc<[Block]> {
        &self.blocks
    }

    /// The article's headline, when the text has a line that is reliably one.
    pub fn headline(&self) -> Option<&str> {
        self.headline.as_deref()
    }

    /// The text of a code point range.
    pub fn slice(&self, start: usize, end: usize) -> &str {
        self.index.slice(&self.text, start, end)
    }

    pub fn utf16_of(&self, cp: usize) -> usize {
        self.index.utf16_of(&self.text, cp)
    }
}

pub fn sha256_hex(text: &str) -> String {
    let digest = Sha256::digest(text.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Lines split at `\n`, `\r\n` and `\r`; the terminators belong to no block.
/// Empty lines are blocks too, so blank lines keep their height.
fn split_blocks(text: &str, index: &OffsetIndex) -> Rc<[Block]> {
    let mut blocks = Vec::new();
    let mut line_start_byte = 0;
    let bytes = text.as_bytes();
    let mut i = 0;
    let mut push = |from: usize, to: usize| {
        blocks.push(Block {
            start: index.cp_of_utf8(text, from),
            end: index.cp_of_utf8(text, to),
            text: Rc::from(&text[from..to]),
        })
    };
    while i < bytes.len() {
        match bytes[i] {
            b'\n' => {
                push(line_start_byte, i);
                i += 1;
                line_start_byte = i;
            }
            b'\r' => {
                push(line_start_byte, i);
                i += if bytes.get(i + 1) == Some(&b'\n') {
                    2
                } else {
                    1
                };
                line_start_byte = i;
            }
            _ => i += 1,
        }
    }
    push(line_start_byte, bytes.len());
    blocks.into()
}
