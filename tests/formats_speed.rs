//! Export and parse of a 1 MB document with 10,000 spans in every text
//! format: prints median times and checks each parse brings every span back.
//! No timed assertions: speed goals live in the benchmark. Ignored by
//! default, because only release-mode figures mean anything:
//!
//! `cargo test --release --test formats_speed -- --ignored --nocapture`
//!
//! `FORMATS_SPEED_ONLY=w3c` (format ids, comma-separated) limits
//! `detect_parse_and_plan_every_format` to those formats, for a profiler or
//! `perf stat` (instruction counts do not drift with the machine's load).
#![cfg(not(target_arch = "wasm32"))]

mod formats_support;

use std::time::{Duration, Instant};

use formats_support as support;
use marginalia::formats::interchange::{FormatKind, ImportError, Interchange};
use marginalia::formats::{csv, export, jsonl, label_studio, native, ExportOptions, Exported};
use marginalia::import::detect::parse_files;
use marginalia::import::{plan_import, ImportMode};
use marginalia::model::{default_labels, Label};
use marginalia::store::{Action, Entry, State};

type Export = fn(&[&Entry], &[Label], &ExportOptions) -> String;
type Parse = fn(&str) -> Result<Interchange, ImportError>;

const RUNS: usize = 7;
const EXPORTED: &str = support::EXPORTED_AT;

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

/// What the browser does between a file chosen and its import report, for
/// every format: the file's bytes detected and parsed (`parse_files`), then
/// planned against a corpus holding the document without spans.
#[test]
#[ignore = "a timing run; use --release -- --ignored --nocapture"]
fn detect_parse_and_plan_every_format() {
    let entry = support::big_entry();
    let bare = State::default();
    let mut state = bare.clone();
    state
        .apply(Action::AddDocuments(vec![(entry.doc.clone(), Vec::new())]))
        .expect("a new document");
    let entries = [entry];
    let refs = support::refs(&entries);
    let labels = default_labels();
    let options = support::options(true);
    let only = std::env::var("FORMATS_SPEED_ONLY").ok();
    let chosen = |format: &FormatKind| {
        only.as_deref()
            .is_none_or(|ids| ids.split(',').any(|id| id == format.extension_id()))
    };
    for format in FormatKind::ALL.into_iter().filter(chosen) {
        let name = format!("big.{}", format.extension());
        let bytes = match export(format, &refs, &labels, &options) {
            Exported::Text(text) => text.into_bytes(),
            Exported::Binary(bytes) => bytes,
        };
        let files = [(name, bytes)];
        let mut parse_times = Vec::new();
        let mut plan_times = Vec::new();
        for _ in 0..RUNS {
            let start = Instant::now();
            let parsed = parse_files(&files).unwrap_or_else(|e| panic!("{format:?}: {e}"));
            parse_times.push(start.elapsed());
            let mut n = 0;
            let mut fresh = || {
                n += 1;
                format!("fresh-{n}")
            };
            let start = Instant::now();
            let plan = plan_import(&state, &parsed, ImportMode::Merge, &mut fresh, EXPORTED)
                .unwrap_or_else(|e| panic!("{format:?}: {e}"));
            plan_times.push(start.elapsed());
            assert_eq!(plan.report.exact, 10_000, "{format:?}: {}", plan.report);
            assert_eq!(plan.report.documents_matched, 1, "{format:?}");
        }
        println!(
            "{:>28}: detect+parse {:>6.1} ms, plan {:>6.1} ms",
            format.title(),
            median(parse_times).as_secs_f64() * 1e3,
            median(plan_times).as_secs_f64() * 1e3,
        );
    }
}
