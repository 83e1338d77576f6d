//! Decoding the files users open: every encoding we accept, and every way a
//! file is refused, each with its own message naming the file and, where
//! there is one, the byte position.
#![cfg(not(target_arch = "wasm32"))]

use std::fs;
use std::path::Path;

use marginalia::import::decode::SNIFF_BYTES;
use marginalia::import::{
    decode_annotation_file, decode_text, is_text_name, BinaryEvidence, TextEncoding, TextFileError,
    MAX_TEXT_BYTES,
};

const SAMPLE: &str = "“Quoted” café — 👩🏽‍🚀 🇫🇷 e\u{301}\u{a0}tab\there\r\nnext line\n";

fn broken(name: &str) -> Vec<u8> {
    fs::read(Path::new("tests/broken/text").join(name)).expect("fixture exists")
}

fn utf16(text: &str, big_endian: bool) -> Vec<u8> {
    let mut bytes = if big_endian {
        vec![0xFE, 0xFF]
    } else {
        vec![0xFF, 0xFE]
    };
    for unit in text.encode_utf16() {
        bytes.extend(if big_endian {
            unit.to_be_bytes()
        } else {
            unit.to_le_bytes()
        });
    }
    bytes
}

#[test]
fn utf8_without_and_with_a_byte_order_mark() {
    let plain = decode_text("a.txt", SAMPLE.as_bytes(), TextEncoding::Auto).unwrap();
    assert_eq!(plain, SAMPLE);
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(SAMPLE.as_bytes());
    assert_eq!(
        decode_text("a.txt", &with_bom, TextEncoding::Auto).unwrap(),
        SAMPLE
    );
}

#[test]
fn utf16_both_byte_orders_with_surrogate_pairs() {
    for big_endian in [false, true] {
        let bytes = utf16(SAMPLE, big_endian);
        assert_eq!(
            decode_text("u.txt", &bytes, TextEncoding::Auto).unwrap(),
            SAMPLE,
            "big endian: {big_endian}"
        );
    }
}

#[test]
fn utf16_with_an_unpaired_surrogate_names_its_byte() {
    // "ab" then a lone high surrogate then "c", little-endian.
    let bytes = [0xFF, 0xFE, b'a', 0, b'b', 0, 0x3D, 0xD8, b'c', 0];
    let err = decode_text("u.txt", &bytes, TextEncoding::Auto).unwrap_err();
    assert_eq!(
        err,
        TextFileError::BadUtf16 {
            name: "u.txt".into(),
            position: 6,
            big_endian: false
        }
    );
    assert!(err.to_string().contains("u.txt"));
    assert!(err.to_string().contains("byte 6"));
    let odd = [0xFE, 0xFF, 0, b'a', 0];
    let err = decode_text("v.txt", &odd, TextEncoding::Auto).unwrap_err();
    assert!(matches!(
        err,
        TextFileError::BadUtf16 {
            position: 4,
            big_endian: true,
            ..
        }
    ));
}

#[test]
fn invalid_utf8_is_refused_with_the_byte_position_and_a_hint() {
    let mut bytes = "Plain start, then ".as_bytes().to_vec();
    let position = bytes.len();
    bytes.push(0xE9); // é in Latin-1
    bytes.extend(b" and more");
    let err = decode_text("latin.txt", &bytes, TextEncoding::Auto).unwrap_err();
    assert_eq!(
        err,
        TextFileError::NotUtf8 {
            name: "latin.txt".into(),
            position,
            byte: 0xE9
        }
    );
    let message = err.to_string();
    assert!(message.contains("latin.txt"), "{message}");
    assert!(
        message.contains(&format!("position {position}")),
        "{message}"
    );
    assert!(message.contains("0xE9"), "{message}");
    assert!(message.contains("Windows-1252"), "{message}");
}

#[test]
fn the_position_counts_the_byte_order_mark() {
    let bytes = b"\xEF\xBB\xBFab\xFFc";
    let err = decode_text("b.txt", bytes, TextEncoding::Auto).unwrap_err();
    assert!(matches!(
        err,
        TextFileError::NotUtf8 {
            position: 5,
            byte: 0xFF,
            ..
        }
    ));
}

#[test]
fn windows_1252_is_refused_under_auto_and_decoded_when_chosen() {
    let bytes = broken("latin1.txt");
    let err = decode_text("latin1.txt", &bytes, TextEncoding::Auto).unwrap_err();
    let first_high = bytes.iter().position(|&b| b >= 0x80).unwrap();
    assert!(
        matches!(err, TextFileError::NotUtf8 { position, .. } if position == first_high),
        "{err:?}"
    );
    let text = decode_text("latin1.txt", &bytes, TextEncoding::Windows1252).unwrap();
    assert_eq!(
        text,
        "She said \u{201c}the caf\u{e9} opens at nine\u{201d} \u{2014} na\u{ef}ve r\u{e9}sum\u{e9} \u{20ac}5.\n"
    );
}

#[test]
fn windows_1252_still_honours_a_utf8_byte_order_mark() {
    let mut bytes = b"\xEF\xBB\xBF".to_vec();
    bytes.extend("café".as_bytes());
    assert_eq!(
        decode_text("x.txt", &bytes, TextEncoding::Windows1252).unwrap(),
        "café"
    );
}

#[test]
fn empty_files_are_refused() {
    for bytes in [&b""[..], b"\xEF\xBB\xBF", b"\xFF\xFE"] {
        let err = decode_text("empty.txt", bytes, TextEncoding::Auto).unwrap_err();
        assert_eq!(
            err,
            TextFileError::Empty {
                name: "empty.txt".into()
            }
        );
        assert!(err.to_string().contains("empty.txt is empty"));
    }
    assert!(matches!(
        decode_annotation_file("a.json", b""),
        Err(TextFileError::Empty { .. })
    ));
}

#[test]
fn the_size_limit_is_exact() {
    let mut bytes = vec![b'a'; MAX_TEXT_BYTES];
    assert_eq!(
        decode_text("max.txt", &bytes, TextEncoding::Auto)
            .unwrap()
            .len(),
        MAX_TEXT_BYTES
    );
    bytes.push(b'a');
    let err = decode_text("big.txt", &bytes, TextEncoding::Auto).unwrap_err();
    assert_eq!(
        err,
        TextFileError::TooLarge {
            name: "big.txt".into(),
            bytes: MAX_TEXT_BYTES + 1,
            limit: MAX_TEXT_BYTES
        }
    );
    let message = err.to_string();
    assert!(message.contains("big.txt is too large"), "{message}");
    assert!(message.contains("20.0 MB"), "{message}");
}

#[test]
fn a_50_mb_file_is_refused_for_its_size_whatever_it_holds() {
    // Mostly valid text with a bad byte and a NUL past the limit: size is the answer.
    let mut bytes = "word ".repeat(10 * 1024 * 1024).into_bytes();
    bytes[30_000_000] = 0xFF;
    bytes[40_000_000] = 0;
    assert_eq!(bytes.len(), 50 * 1024 * 1024);
    for encoding in [TextEncoding::Auto, TextEncoding::Windows1252] {
        let err = decode_text("huge.txt", &bytes, encoding).unwrap_err();
        assert!(
            matches!(err, TextFileError::TooLarge { bytes: b, .. } if b == 50 * 1024 * 1024),
            "{err:?}"
        );
        assert!(err.to_string().contains("50.0 MB"));
    }
    let err = decode_annotation_file("huge.json", &bytes).unwrap_err();
    assert!(matches!(err, TextFileError::TooLarge { .. }));
}

#[test]
fn a_png_is_binary_by_its_nul_bytes() {
    let bytes = broken("image.png");
    assert!(bytes.starts_with(b"\x89PNG\r\n\x1a\n"));
    let err = decode_text("image.png", &bytes, TextEncoding::Auto).unwrap_err();
    let nul = bytes.iter().position(|&b| b == 0).unwrap();
    assert_eq!(
        err,
        TextFileError::Binary {
            name: "image.png".into(),
            evidence: BinaryEvidence::Nul { position: nul }
        }
    );
    assert!(err
        .to_string()
        .contains(&format!("NUL byte at position {nul}")));
    // Choosing Windows-1252 does not make an image a text.
    assert!(matches!(
        decode_text("image.png", &bytes, TextEncoding::Windows1252),
        Err(TextFileError::Binary { .. })
    ));
    assert!(matches!(
        decode_annotation_file("image.json", &bytes),
        Err(TextFileError::Binary { .. })
    ));
}

#[test]
fn many_control_characters_mean_binary_and_a_few_do_not() {
    // 20 % control bytes, no NUL.
    let binary: Vec<u8> = (0..1000)
        .map(|i| if i % 5 == 0 { 0x01 } else { b'x' })
        .collect();
    let err = decode_text("ctl.txt", &binary, TextEncoding::Auto).unwrap_err();
    assert_eq!(
        err,
        TextFileError::Binary {
            name: "ctl.txt".into(),
            evidence: BinaryEvidence::ControlCharacters {
                controls: 200,
                looked_at: 1000
            }
        }
    );
    assert!(err.to_string().contains("200 of its first 1000 characters"));
    // A form feed per page and an escape here and there are still text.
    let text: Vec<u8> = (0..1000)
        .map(|i| match i % 50 {
            0 => 0x0C,
            1 => 0x1B,
            _ => b'y',
        })
        .collect();
    assert!(decode_text("ok.txt", &text, TextEncoding::Auto).is_ok());
    // Only the first SNIFF_BYTES are looked at.
    let mut late = vec![b'z'; SNIFF_BYTES];
    late.extend([0x01; 100]);
    assert!(decode_text("late.txt", &late, TextEncoding::Auto).is_ok());
}

#[test]
fn utf16_binary_is_caught_after_decoding() {
    let bytes = utf16("ab\u{0}cd", false);
    let err = decode_text("w.txt", &bytes, TextEncoding::Auto).unwrap_err();
    assert_eq!(
        err,
        TextFileError::Binary {
            name: "w.txt".into(),
            evidence: BinaryEvidence::Nul { position: 6 }
        }
    );
}

#[test]
fn annotation_files_are_utf8_only() {
    let json = "{\"text\":\"caf\u{e9} \u{1f600}\"}";
    let mut with_bom = b"\xEF\xBB\xBF".to_vec();
    with_bom.extend(json.as_bytes());
    assert_eq!(decode_annotation_file("a.json", &with_bom).unwrap(), json);
    let latin = b"{\"text\":\"caf\xE9\"}";
    let err = decode_annotation_file("a.csv", latin).unwrap_err();
    assert_eq!(
        err,
        TextFileError::AnnotationsNotUtf8 {
            name: "a.csv".into(),
            position: 12,
            byte: 0xE9
        }
    );
    let message = err.to_string();
    assert!(message.contains("a.csv") && message.contains("position 12"));
    assert!(message.contains("must be UTF-8"), "{message}");
    // UTF-16 is not accepted for annotation files, and is told apart from binary.
    for big_endian in [false, true] {
        let err = decode_annotation_file("w.jsonl", &utf16("{}", big_endian)).unwrap_err();
        assert_eq!(
            err,
            TextFileError::AnnotationsUtf16 {
                name: "w.jsonl".into()
            }
        );
        assert!(err.to_string().contains("w.jsonl is UTF-16"));
    }
}

#[test]
fn text_names() {
    for name in ["a.txt", "NOTES.TXT", "read.Md", "x.y.md"] {
        assert!(is_text_name(name), "{name}");
    }
    for name in [".txt", "a.json", "a.txt.zip", "md", "a.markdown", "atxt"] {
        assert!(!is_text_name(name), "{name}");
    }
}
