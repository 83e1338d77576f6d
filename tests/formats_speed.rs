//! Export and parse of a 1 MB document with 10,000 spans in every text
//! format: prints median times and checks each parse brings every span back.
//! No timed assertions: speed goals live in the benchmark. Ignored by
//! default, because only release-mode figures mean anything:
//!
//! `cargo test --release --test formats_speed -- --ignored --nocapture`
#![cfg(not(target_arch = "wasm32"))]

mod formats_support;

use std::time::{Duration, Instant};

use formats_support as support;
use marginalia::formats::interchange::{ImportError, Interchange};
use marginalia::formats::{csv, jsonl, label_studio, native, ExportOptions};
use marginalia::model::{default_labels, Label};
use marginalia::store::Entry;

type Export = fn(&[&Entry], &[Label], &ExportOptions) -> String;
type Parse = fn(&str) -> Result<Interchange, ImportError>;

const RUNS: usize = 7;

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[test]
#[ignore = "a timing run; use --release -- --ignored --nocapture"]
fn export_and_parse_a_1_mb_document_with_10000_spans() {
    let entry = support::big_entry();
    let entries = [entry];
    let refs = support::refs(&entries);
    let labels = default_labels();
    println!(
        "document: {} bytes, {} code points, {} spans; median of {RUNS} runs",
        entries[0].doc.text().len(),
        entries[0].doc.len(),
        entries[0].annotations.len()
    );
    let formats: [(&str, Export, Parse, bool); 5] = [
        ("native", native::export, native::parse, true),
        ("native without texts", native::export, native::parse, false),
        ("JSONL", jsonl::export, jsonl::parse, true),
        (
            "Label Studio",
            label_studio::export,
            label_studio::parse,
            true,
        ),
        ("CSV", csv::export, csv::parse, true),
    ];
    for (name, export, parse, include_text) in formats {
        let options = support::options(include_text);
        let mut export_times = Vec::new();
        let mut parse_times = Vec::new();
        let mut size = 0;
        for _ in 0..RUNS {
            let start = Instant::now();
            let file = export(&refs, &labels, &options);
            export_times.push(start.elapsed());
            size = file.len();
            let start = Instant::now();
            let parsed = parse(&file).unwrap_or_else(|e| panic!("{name}: {e}"));
            parse_times.push(start.elapsed());
            assert_eq!(parsed.documents[0].spans.len(), 10_000, "{name}");
        }
        println!(
            "{name:>22}: export {:>6.1} ms, parse {:>6.1} ms, file {:.2} MB",
            median(export_times).as_secs_f64() * 1e3,
            median(parse_times).as_secs_f64() * 1e3,
            size as f64 / 1e6
        );
    }
}
