//! Zip archives for the formats that are several files (brat): writing a
//! deterministic archive and reading one back with limits, so a hostile
//! archive (a zip bomb, thousands of entries) is refused with a message
//! instead of exhausting the tab's memory. Built on the `zip` crate with only
//! deflate (pure Rust), so it runs the same natively and in wasm32.

use std::io::{Cursor, Read, Write};

use ::zip::write::SimpleFileOptions;
use ::zip::{CompressionMethod, DateTime, ZipArchive, ZipWriter};

use super::interchange::ImportError;

/// A file's name (or path inside an archive) and contents.
pub type NamedFile = (String, Vec<u8>);

/// Entries beyond this many are refused (a brat corpus has two per document).
pub const MAX_ENTRIES: usize = 20_000;
/// Uncompressed bytes beyond this, all entries together, are refused.
pub const MAX_TOTAL_BYTES: u64 = 128 * 1024 * 1024;

/// Whether `bytes` start like a zip archive (a local file header, or the
/// end-of-central-directory record of an empty archive).
pub fn is_zip(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06")
}

/// A deflated archive of `files` (path, contents) in the given order. Every
/// entry carries the time `modified` (RFC 3339, e.g. the export time) or, if
/// that cannot be read, the zip epoch 1980-01-01: the archive's bytes depend
/// on nothing but the arguments.
pub fn write(files: &[NamedFile], modified: &str) -> Vec<u8> {
    let options = SimpleFileOptions::default()
        .compression_method(CompressionMethod::Deflated)
        // Level 1: the texts are small next to the time a higher level costs
        // on a 1 MB document in the browser.
        .compression_level(Some(1))
        .last_modified_time(zip_time(modified).unwrap_or_default())
        .unix_permissions(0o644);
    let mut writer = ZipWriter::new(Cursor::new(Vec::new()));
    for (name, contents) in files {
        // Writing to memory cannot fail; only a name used twice could, and
        // callers make names unique.
        writer
            .start_file(name.as_str(), options)
            .expect("zip entry names are unique");
        writer
            .write_all(contents)
            .expect("writing to memory cannot fail");
    }
    writer
        .finish()
        .expect("writing to memory cannot fail")
        .into_inner()
}

/// `YYYY-MM-DDTHH:MM:SS…` as a zip timestamp (which has no time zone and
/// two-second resolution), when it is one a zip can hold.
fn zip_time(rfc3339: &str) -> Option<DateTime> {
    let b = rfc3339.as_bytes();
    let num = |from: usize, to: usize| -> Option<u16> {
        let digits = b.get(from..to)?;
        if !digits.iter().all(u8::is_ascii_digit) {
            return None;
        }
        std::str::from_utf8(digits).ok()?.parse().ok()
    };
    let [year, month, day, hour, minute, second] = [
        num(0, 4)?,
        num(5, 7)?,
        num(8, 10)?,
        num(11, 13)?,
        num(14, 16)?,
        num(17, 19)?,
    ];
    let small = |n: u16| u8::try_from(n).ok();
    DateTime::from_date_and_time(
        year,
        small(month)?,
        small(day)?,
        small(hour)?,
        small(minute)?,
        small(second)?,
    )
    .ok()
}

/// Every file of the archive `bytes` (named `archive` in messages), as
/// (path inside the archive, contents), in archive order. Directories are
/// skipped. All or nothing: a damaged archive or entry, or one over the
/// limits, is an error naming the entry.
pub fn read(archive: &str, bytes: &[u8]) -> Result<Vec<NamedFile>, ImportError> {
    let whole = |problem: String| ImportError {
        file: Some(archive.to_owned()),
        at: String::new(),
        problem,
    };
    let mut zip = ZipArchive::new(Cursor::new(bytes))
        .map_err(|e| whole(format!("is not a readable zip archive ({e})")))?;
    if zip.len() > MAX_ENTRIES {
        return Err(whole(format!(
            "holds {} entries; at most {MAX_ENTRIES} are read",
            zip.len()
        )));
    }
    let mut files = Vec::with_capacity(zip.len());
    let mut total: u64 = 0;
    for index in 0..zip.len() {
        let mut entry = zip
            .by_index(index)
            .map_err(|e| whole(format!("entry {} cannot be read ({e})", index + 1)))?;
        if entry.is_dir() {
            continue;
        }
        let name = entry
            .name()
            .map(|n| n.into_owned())
            .unwrap_or_else(|_| String::from_utf8_lossy(entry.name_raw()).into_owned());
        let in_entry = |problem: String| ImportError {
            file: Some(format!("{name} (in {archive})")),
            at: String::new(),
            problem,
        };
        // The declared size may lie; the read below is capped as well.
        let room = MAX_TOTAL_BYTES - total;
        if entry.size() > room {
            return Err(in_entry(format!(
                "would unpack to {} bytes; an archive may unpack to at most {MAX_TOTAL_BYTES} bytes",
                entry.size()
            )));
        }
        // Reserve what the header declares, but not more than a text may be
        // (a lying header must not make the tab allocate it up front).
        let mut contents = Vec::with_capacity(entry.size().min(32 << 20) as usize);
        (&mut entry)
            .take(room + 1)
            .read_to_end(&mut contents)
            .map_err(|e| in_entry(format!("is damaged and cannot be unpacked ({e})")))?;
        if contents.len() as u64 > room {
            return Err(in_entry(format!(
                "unpacks to more than its declared size; an archive may unpack to at most {MAX_TOTAL_BYTES} bytes"
            )));
        }
        total += contents.len() as u64;
        files.push((name, contents));
    }
    Ok(files)
}
