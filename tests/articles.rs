//! The bundled corpus: the files are the shared originals byte for byte, each
//! document's identity is the SHA-256 of its file, `articles/index.json`
//! lists exactly the articles, and `Document::from_bytes` handles a byte
//! order mark and invalid UTF-8 as documented.
#![cfg(not(target_arch = "wasm32"))]

use std::path::Path;

use marginalia::model::{Document, DocumentError};
use sha2::{Digest, Sha256};

const ARTICLES: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/articles");
/// Where the originals live: beside the clone, as in CI.
const SHARED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/../shared/articles");

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes)
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Sorted names of the `.txt` files in `dir`.
fn txt_files(dir: &str) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{dir}: {e}"))
        .map(|e| {
            e.unwrap()
                .file_name()
                .into_string()
                .expect("UTF-8 file name")
        })
        .filter(|n| n.ends_with(".txt"))
        .collect();
    names.sort();
    names
}

fn read(dir: &str, name: &str) -> Vec<u8> {
    let path = format!("{dir}/{name}");
    std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

#[test]
fn the_corpus_has_the_five_articles() {
    let names = txt_files(ARTICLES);
    assert_eq!(names.len(), 5, "{names:?}");
    for name in &names {
        // NNN_<16 hex>.txt
        let (number, rest) = name.split_once('_').unwrap();
        assert_eq!(number.len(), 3, "{name}");
        assert!(number.bytes().all(|b| b.is_ascii_digit()), "{name}");
        let hex = rest.strip_suffix(".txt").unwrap();
        assert!(
            hex.len() == 16 && hex.bytes().all(|b| b.is_ascii_hexdigit()),
            "{name}"
        );
    }
}

#[test]
fn articles_are_byte_identical_to_the_shared_originals() {
    if !Path::new(SHARED).is_dir() {
        eprintln!("{SHARED} is absent: skipping the comparison with the originals");
        return;
    }
    let ours = txt_files(ARTICLES);
    assert_eq!(ours, txt_files(SHARED), "different sets of articles");
    for name in &ours {
        assert!(
            read(ARTICLES, name) == read(SHARED, name),
            "{name} differs from the original"
        );
    }
}

#[test]
fn document_identity_is_the_sha256_of_the_file() {
    for name in txt_files(ARTICLES) {
        let bytes = read(ARTICLES, &name);
        assert!(
            !bytes.starts_with(b"\xEF\xBB\xBF"),
            "{name} has a byte order mark"
        );
        let doc = Document::from_bytes(&name, &bytes).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.sha256(), sha256_hex(&bytes), "{name}");
        assert_eq!(doc.name, name);
        // the text is exactly the file
        assert_eq!(doc.text().as_bytes(), &bytes[..], "{name}");
        assert_eq!(doc.len(), doc.text().chars().count());
        assert!(!doc.is_empty());
    }
}

#[test]
fn index_json_lists_exactly_the_articles_in_order() {
    let path = format!("{ARTICLES}/index.json");
    let json = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let listed: Vec<String> =
        serde_json::from_str(&json).expect("index.json is a JSON array of names");
    assert_eq!(listed, txt_files(ARTICLES));
}

#[test]
fn from_bytes_strips_a_byte_order_mark() {
    let text = "“Quoted” 👍🏽 text\r\n";
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend_from_slice(text.as_bytes());
    let doc = Document::from_bytes("bom.txt", &bytes).unwrap();
    assert_eq!(doc.text(), text);
    // identity: the hash of the BOM-less bytes, as `sha256sum` of the file without it
    assert_eq!(doc.sha256(), sha256_hex(text.as_bytes()));
    assert_eq!(
        doc.sha256(),
        Document::from_bytes("plain.txt", text.as_bytes())
            .unwrap()
            .sha256()
    );
    assert_eq!(doc.len(), 18);
    // only one leading mark is dropped; a second one is text
    let mut twice = b"\xEF\xBB\xBF".to_vec();
    twice.extend_from_slice(&bytes);
    let doc = Document::from_bytes("twice.txt", &twice).unwrap();
    assert_eq!(doc.text(), format!("\u{feff}{text}"));
    // and a mark that is not at the start stays
    let doc = Document::from_bytes("middle.txt", "a\u{feff}b".as_bytes()).unwrap();
    assert_eq!(doc.text(), "a\u{feff}b");
}

#[test]
fn from_bytes_reports_where_utf8_breaks() {
    let cases: [(&[u8], usize); 5] = [
        (b"ab\xFFcd", 2),
        (b"\xC3", 0),
        (b"caf\xC3\xA9 \xE2\x80", 6), // truncated three-byte sequence at the end
        (b"\xED\xA0\x80 surrogate", 0), // an encoded surrogate is not UTF-8
        (b"ok \xF0\x9F\x91\x8D \x80", 8), // a lone continuation byte after an emoji
    ];
    for (bytes, position) in cases {
        let err = Document::from_bytes("bad.txt", bytes).unwrap_err();
        assert_eq!(
            err,
            DocumentError::NotUtf8 {
                name: "bad.txt".to_owned(),
                position
            },
            "{bytes:?}"
        );
        assert!(
            err.to_string().contains(&format!("position {position}")),
            "{err}"
        );
        assert!(err.to_string().contains("bad.txt"), "{err}");
    }
}

#[test]
fn invalid_utf8_position_counts_the_byte_order_mark() {
    // The position is a byte offset into the file, so a user can find the
    // bad byte with a hex editor: the mark's three bytes count.
    let err = Document::from_bytes("bom.txt", b"\xEF\xBB\xBFab\xFF").unwrap_err();
    assert_eq!(
        err,
        DocumentError::NotUtf8 {
            name: "bom.txt".to_owned(),
            position: 5
        }
    );
}
