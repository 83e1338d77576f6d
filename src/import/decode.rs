//! Turning the bytes of a file the user opens into text, or saying exactly
//! why not: texts to annotate (`.txt`/`.md`, [`decode_text`]) and annotation
//! files to import (JSON, JSONL, CSV, brat `.ann`: [`decode_annotation_file`]).
//!
//! Texts: UTF-8 (a byte order mark dropped) or UTF-16 LE/BE when the file
//! starts with its byte order mark. Anything else that is not valid UTF-8 is
//! refused, naming the first bad byte, unless the user chooses Windows-1252
//! for that file ([`TextEncoding::Windows1252`]). Annotation files are UTF-8
//! only (a BOM dropped): every format we read says so.
//!
//! Refused before decoding: empty files, files over [`MAX_TEXT_BYTES`], and
//! binary files. The binary rule looks at the first [`SNIFF_BYTES`] bytes (for
//! UTF-16, the first [`SNIFF_BYTES`] / 2 decoded characters): a NUL is never
//! in a text file, and more than [`MAX_CONTROL_SHARE_PERCENT`] % of control
//! characters (C0 controls other than tab, line feed, form feed and carriage
//! return, plus DEL) means the file is not prose either.

use std::fmt;

/// The largest file accepted: 20 MB (MiB). A 1 MB article is large; twenty
/// times that is a book, and past it the page would become unusable.
pub const MAX_TEXT_BYTES: usize = 20 * 1024 * 1024;
/// The largest annotation file accepted. A 1 MB text with 10,000 spans is
/// about 7 MB in the most verbose format (W3C JSON-LD), so this leaves room.
pub const MAX_ANNOTATION_BYTES: usize = 20 * 1024 * 1024;
/// How much of a file the binary rule looks at.
pub const SNIFF_BYTES: usize = 8192;
/// Above this share of control characters (in the sniffed part), a file is binary.
pub const MAX_CONTROL_SHARE_PERCENT: usize = 10;

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// How to read a text file's bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum TextEncoding {
    /// UTF-8, or UTF-16 when the file starts with a UTF-16 byte order mark.
    #[default]
    Auto,
    /// Windows-1252 (what "Latin-1" files usually really are), chosen by the
    /// user for a file that is not UTF-8. A byte order mark still wins.
    Windows1252,
}

/// What in a file showed it is binary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinaryEvidence {
    /// A NUL byte (or, in UTF-16, a NUL character) at this byte position.
    Nul { position: usize },
    /// `controls` of the first `looked_at` characters are control characters.
    ControlCharacters { controls: usize, looked_at: usize },
}

/// Why a file cannot be read as text. Each names the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TextFileError {
    /// No bytes at all, or only a byte order mark.
    Empty { name: String },
    TooLarge {
        name: String,
        bytes: usize,
        limit: usize,
    },
    Binary {
        name: String,
        evidence: BinaryEvidence,
    },
    /// A text file that is not UTF-8: `position` is the file offset of the
    /// first byte that cannot be decoded (byte order mark included).
    NotUtf8 {
        name: String,
        position: usize,
        byte: u8,
    },
    /// A UTF-16 file (it has the byte order mark) that is broken at `position`:
    /// an unpaired surrogate or an odd number of bytes.
    BadUtf16 {
        name: String,
        position: usize,
        big_endian: bool,
    },
    /// An annotation file in UTF-16 (it starts with a UTF-16 byte order mark).
    AnnotationsUtf16 { name: String },
    /// An annotation file that is not UTF-8 (annotation files must be).
    AnnotationsNotUtf8 {
        name: String,
        position: usize,
        byte: u8,
    },
}

impl fmt::Display for TextFileError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            TextFileError::Empty { name } => write!(f, "{name} is empty: there is no text to load"),
            TextFileError::TooLarge { name, bytes, limit } => write!(
                f,
                "{name} is too large: {} ({bytes} bytes); the limit is {} ({limit} bytes)",
                megabytes(*bytes),
                megabytes(*limit)
            ),
            TextFileError::Binary { name, evidence } => match evidence {
                BinaryEvidence::Nul { position } => write!(
                    f,
                    "{name} is not a text file: it holds a NUL byte at position {position} \
                     (it looks like an image, archive or other binary file)"
                ),
                BinaryEvidence::ControlCharacters {
                    controls,
                    looked_at,
                } => write!(
                    f,
                    "{name} is not a text file: {controls} of its first {looked_at} characters \
                     are control characters (it looks like a binary file)"
                ),
            },
            TextFileError::NotUtf8 {
                name,
                position,
                byte,
            } => write!(
                f,
                "{name} is not valid UTF-8: the byte at position {position} (0x{byte:02X}) \
                 cannot be decoded. If it is a Windows-1252 (Latin-1) file, open it again \
                 choosing Windows-1252"
            ),
            TextFileError::BadUtf16 {
                name,
                position,
                big_endian,
            } => write!(
                f,
                "{name} starts like a UTF-16 {} file but is broken at byte {position}: \
                 expected a complete UTF-16 character there",
                if *big_endian {
                    "big-endian"
                } else {
                    "little-endian"
                }
            ),
            TextFileError::AnnotationsUtf16 { name } => write!(
                f,
                "{name} is UTF-16 (it starts with a UTF-16 byte order mark); annotation files \
                 must be UTF-8: save it as UTF-8 and import it again"
            ),
            TextFileError::AnnotationsNotUtf8 {
                name,
                position,
                byte,
            } => write!(
                f,
                "{name} is not valid UTF-8: the byte at position {position} (0x{byte:02X}) \
                 cannot be decoded; annotation files must be UTF-8"
            ),
        }
    }
}

impl std::error::Error for TextFileError {}

fn megabytes(bytes: usize) -> String {
    format!("{:.1} MB", bytes as f64 / (1024.0 * 1024.0))
}

/// Whether a file name is one Marginalia opens as a text: `.txt` or `.md`,
/// in any case.
pub fn is_text_name(name: &str) -> bool {
    let lower = name.to_ascii_lowercase();
    [".txt", ".md"]
        .iter()
        .any(|ext| lower.len() > ext.len() && lower.ends_with(ext))
}

/// The text of a file the user opens to annotate. Nothing is normalised
/// (line ends, Unicode forms): the text is the file's, a BOM aside.
pub fn decode_text(
    name: &str,
    bytes: &[u8],
    encoding: TextEncoding,
) -> Result<String, TextFileError> {
    check_size(name, bytes, MAX_TEXT_BYTES)?;
    let utf16 = if bytes.starts_with(UTF16LE_BOM) {
        Some(false)
    } else if bytes.starts_with(UTF16BE_BOM) {
        Some(true)
    } else {
        None
    };
    if let Some(big_endian) = utf16 {
        let text = decode_utf16(name, &bytes[2..], big_endian)?;
        check_not_binary_text(name, &text)?;
        return non_empty(name, text);
    }
    check_not_binary_bytes(name, bytes)?;
    let text = match encoding {
        TextEncoding::Auto => {
            let (bom, body) = strip_utf8_bom(bytes);
            std::str::from_utf8(body)
                .map_err(|e| {
                    let position = bom + e.valid_up_to();
                    TextFileError::NotUtf8 {
                        name: name.to_owned(),
                        position,
                        byte: bytes[position],
                    }
                })?
                .to_owned()
        }
        TextEncoding::Windows1252 => {
            // `decode` honours a byte order mark; Windows-1252 maps every byte.
            let (text, _, _) = encoding_rs::WINDOWS_1252.decode(bytes);
            text.into_owned()
        }
    };
    non_empty(name, text)
}

/// The text of an annotation file (JSON, JSONL, CSV, brat `.ann`): UTF-8,
/// a byte order mark dropped. Archives (brat `.zip`) are not text: the shell
/// routes them elsewhere before calling this. Borrowed from `bytes`: the
/// parsers read it in place, so a 10 MB file is not copied.
pub fn decode_annotation_file<'b>(name: &str, bytes: &'b [u8]) -> Result<&'b str, TextFileError> {
    check_size(name, bytes, MAX_ANNOTATION_BYTES)?;
    if bytes.starts_with(UTF16LE_BOM) || bytes.starts_with(UTF16BE_BOM) {
        return Err(TextFileError::AnnotationsUtf16 {
            name: name.to_owned(),
        });
    }
    check_not_binary_bytes(name, bytes)?;
    let (bom, body) = strip_utf8_bom(bytes);
    let text = std::str::from_utf8(body).map_err(|e| {
        let position = bom + e.valid_up_to();
        TextFileError::AnnotationsNotUtf8 {
            name: name.to_owned(),
            position,
            byte: bytes[position],
        }
    })?;
    if text.is_empty() {
        return Err(TextFileError::Empty {
            name: name.to_owned(),
        });
    }
    Ok(text)
}

fn check_size(name: &str, bytes: &[u8], limit: usize) -> Result<(), TextFileError> {
    if bytes.is_empty() {
        return Err(TextFileError::Empty {
            name: name.to_owned(),
        });
    }
    if bytes.len() > limit {
        return Err(TextFileError::TooLarge {
            name: name.to_owned(),
            bytes: bytes.len(),
            limit,
        });
    }
    Ok(())
}

fn non_empty(name: &str, text: String) -> Result<String, TextFileError> {
    if text.is_empty() {
        return Err(TextFileError::Empty {
            name: name.to_owned(),
        });
    }
    Ok(text)
}

fn strip_utf8_bom(bytes: &[u8]) -> (usize, &[u8]) {
    match bytes.strip_prefix(UTF8_BOM) {
        Some(rest) => (UTF8_BOM.len(), rest),
        None => (0, bytes),
    }
}

/// Control characters that do not occur in prose: C0 controls other than
/// tab, line feed, form feed and carriage return, and DEL.
fn is_suspect_control(c: u32) -> bool {
    (c < 0x20 && !matches!(c, 0x09 | 0x0A | 0x0C | 0x0D)) || c == 0x7F
}

fn check_not_binary_bytes(name: &str, bytes: &[u8]) -> Result<(), TextFileError> {
    let head = &bytes[..bytes.len().min(SNIFF_BYTES)];
    if let Some(position) = memchr::memchr(0, head) {
        return Err(TextFileError::Binary {
            name: name.to_owned(),
            evidence: BinaryEvidence::Nul { position },
        });
    }
    let controls = head
        .iter()
        .filter(|&&b| is_suspect_control(u32::from(b)))
        .count();
    too_many_controls(name, controls, head.len())
}

fn check_not_binary_text(name: &str, text: &str) -> Result<(), TextFileError> {
    let mut controls = 0;
    let mut looked_at = 0;
    for (i, c) in text.chars().take(SNIFF_BYTES / 2).enumerate() {
        if c == '\0' {
            return Err(TextFileError::Binary {
                name: name.to_owned(),
                // the byte position in the file: BOM, then two bytes per unit
                evidence: BinaryEvidence::Nul {
                    position: 2 + 2 * text.chars().take(i).map(char::len_utf16).sum::<usize>(),
                },
            });
        }
        controls += usize::from(is_suspect_control(u32::from(c)));
        looked_at += 1;
    }
    too_many_controls(name, controls, looked_at)
}

fn too_many_controls(name: &str, controls: usize, looked_at: usize) -> Result<(), TextFileError> {
    if controls * 100 > looked_at * MAX_CONTROL_SHARE_PERCENT {
        return Err(TextFileError::Binary {
            name: name.to_owned(),
            evidence: BinaryEvidence::ControlCharacters {
                controls,
                looked_at,
            },
        });
    }
    Ok(())
}

/// UTF-16 without its BOM (`body` starts at file byte 2). Refuses unpaired
/// surrogates and a trailing odd byte, naming their file position.
fn decode_utf16(name: &str, body: &[u8], big_endian: bool) -> Result<String, TextFileError> {
    let broken = |at_body: usize| TextFileError::BadUtf16 {
        name: name.to_owned(),
        position: 2 + at_body,
        big_endian,
    };
    if body.len() % 2 == 1 {
        return Err(broken(body.len() - 1));
    }
    let units = body.chunks_exact(2).map(|pair| {
        let pair = [pair[0], pair[1]];
        if big_endian {
            u16::from_be_bytes(pair)
        } else {
            u16::from_le_bytes(pair)
        }
    });
    let mut text = String::with_capacity(body.len());
    let mut unit_at = 0;
    for decoded in char::decode_utf16(units) {
        match decoded {
            Ok(c) => {
                text.push(c);
                unit_at += c.len_utf16();
            }
            Err(_) => return Err(broken(unit_at * 2)),
        }
    }
    Ok(text)
}
