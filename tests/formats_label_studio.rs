//! Label Studio tasks JSON: the export has the shape Label Studio imports
//! (integer task ids, `data.text`, `labels` results, notes as per-region
//! `textarea` results) and states its unit; it matches its golden file and
//! round-trips; exports made by Label Studio itself are read (cancelled
//! annotations, predictions, other result types, older UTF-16 offsets);
//! broken files are refused with the field path that is wrong.
#![cfg(not(target_arch = "wasm32"))]

mod formats_support;

use formats_support as support;
use marginalia::formats::interchange::FormatKind;
use marginalia::formats::label_studio::{export, parse};
use marginalia::model::default_labels;
use proptest::prelude::*;
use serde_json::Value;

fn golden_export() -> String {
    let (entries, labels) = support::golden_corpus();
    export(&support::refs(&entries), &labels, &support::options(true))
}

#[test]
fn golden_label_studio_export() {
    support::check_golden("corpus.label-studio.json", &golden_export());
}

#[test]
fn export_has_the_shape_label_studio_imports() {
    let (entries, labels) = support::golden_corpus();
    let tasks: Value = serde_json::from_str(&golden_export()).unwrap();
    let tasks = tasks.as_array().unwrap();
    assert_eq!(tasks.len(), entries.len());
    for (n, (task, entry)) in tasks.iter().zip(&entries).enumerate() {
        assert_eq!(task["id"].as_u64(), Some(n as u64 + 1));
        assert_eq!(task["data"]["text"], entry.doc.text());
        assert_eq!(task["data"]["name"], entry.doc.name.as_str());
        assert_eq!(task["data"]["sha256"], entry.doc.sha256());
        assert_eq!(task["meta"]["offset_unit"], "codepoint");
        assert_eq!(
            serde_json::from_value::<Vec<marginalia::model::Label>>(task["meta"]["labels"].clone())
                .unwrap(),
            labels
        );
        let chars: Vec<char> = entry.doc.text().chars().collect();
        let results = task["annotations"][0]["result"].as_array().unwrap();
        let regions: Vec<&Value> = results.iter().filter(|r| r["type"] == "labels").collect();
        assert_eq!(regions.len(), entry.annotations.len());
        for region in &regions {
            assert!(region["id"].as_str().is_some_and(|id| !id.is_empty()));
            assert_eq!(region["from_name"], "label");
            assert_eq!(region["to_name"], "text");
            let value = &region["value"];
            let (start, end) = (
                value["start"].as_u64().unwrap() as usize,
                value["end"].as_u64().unwrap() as usize,
            );
            let quote: String = chars[start..end].iter().collect();
            assert_eq!(value["text"].as_str().unwrap(), quote);
            assert_eq!(value["labels"].as_array().unwrap().len(), 1);
        }
        // every note is a textarea result with its region's id and range
        for note in results.iter().filter(|r| r["type"] == "textarea") {
            assert_eq!(note["from_name"], "note");
            let region = regions
                .iter()
                .find(|r| r["id"] == note["id"])
                .expect("a note belongs to a region");
            assert_eq!(note["value"]["start"], region["value"]["start"]);
            assert_eq!(note["value"]["end"], region["value"]["end"]);
            let annotation = entry
                .annotations
                .iter()
                .find(|a| a.id == region["id"].as_str().unwrap())
                .unwrap();
            assert_eq!(
                note["value"]["text"],
                serde_json::json!([annotation.note.as_deref().unwrap()])
            );
        }
        let notes = results.iter().filter(|r| r["type"] == "textarea").count();
        let expected = entry
            .annotations
            .iter()
            .filter(|a| a.note.is_some())
            .count();
        assert_eq!(notes, expected);
    }
}

#[test]
fn golden_corpus_round_trips() {
    let (entries, labels) = support::golden_corpus();
    let parsed = parse(&golden_export()).unwrap();
    assert_eq!(parsed.format, FormatKind::LabelStudio);
    assert_eq!(parsed.labels, labels);
    assert_eq!(
        support::facts_of_interchange(&parsed),
        support::facts_of_entries(&entries, true)
    );
}

/// What Label Studio itself exports: more fields, a cancelled annotation,
/// predictions, results of other types, a region with two labels, a note as
/// a per-region textarea and one as region meta, and a task read from its
/// prediction because it has no annotation.
const FROM_LABEL_STUDIO: &str = r#"[
  {
    "id": 17, "project": 3, "inner_id": 1, "created_at": "2026-03-01T10:00:00.000000Z",
    "updated_at": "2026-03-01T10:05:00.000000Z", "file_upload": "tasks.json", "drafts": [],
    "total_annotations": 1, "cancelled_annotations": 1, "total_predictions": 1, "comment_count": 0,
    "data": {"text": "Kyiv 🇺🇦 said: “we will”, on 1 March.", "source": "wire"},
    "meta": {},
    "annotations": [
      {"id": 40, "completed_by": 1, "was_cancelled": true, "ground_truth": false,
       "result": [{"id": "zz", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 0, "end": 4, "text": "Kyiv", "labels": ["claim"]}}]},
      {"id": 41, "completed_by": 2, "was_cancelled": false, "ground_truth": false, "lead_time": 12.3,
       "result": [
         {"value": {"start": 14, "end": 23, "text": "“we will”", "labels": ["quote"]},
          "id": "Ab3_xY9kQz", "from_name": "label", "to_name": "text", "type": "labels", "origin": "manual"},
         {"value": {"start": 14, "end": 23, "text": ["speaker unclear"]},
          "id": "Ab3_xY9kQz", "from_name": "note", "to_name": "text", "type": "textarea", "origin": "manual"},
         {"value": {"start": 28, "end": 35, "text": "1 March", "labels": ["deadline", "claim"]},
          "id": "q1", "from_name": "label", "to_name": "text", "type": "labels", "meta": {"text": ["two labels"]}},
         {"value": {"choices": ["Politics"]}, "id": "c1", "from_name": "topic", "to_name": "text", "type": "choices"},
         {"from_id": "Ab3_xY9kQz", "to_id": "q1", "type": "relation", "direction": "right", "labels": []},
         {"value": {"text": ["overall fine"]}, "id": "g1", "from_name": "summary", "to_name": "text", "type": "textarea"}
       ]}
    ],
    "predictions": [
      {"id": 5, "model_version": "v1", "score": 0.5,
       "result": [{"id": "p1", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 0, "end": 4, "labels": ["claim"]}}]}
    ]
  },
  {
    "id": 18,
    "data": {"text": "Only a prediction here."},
    "annotations": [],
    "predictions": [
      7,
      {"model_version": "v2",
       "result": [{"id": "p2", "from_name": "label", "to_name": "text", "type": "labels",
                   "value": {"start": 0, "end": 4, "text": "Only", "labels": ["claim"]}}]}
    ]
  }
]"#;

#[test]
fn reads_an_export_made_by_label_studio() {
    let parsed = parse(FROM_LABEL_STUDIO).unwrap();
    assert!(
        parsed.labels.is_empty(),
        "nothing declared: {:?}",
        parsed.labels
    );
    let facts = support::facts_of_interchange(&parsed);
    assert_eq!(facts.len(), 2);
    assert_eq!(facts[0].name, None);
    assert_eq!(
        facts[0].sha256.as_deref(),
        Some(marginalia::model::Document::new("", facts[0].text.as_deref().unwrap()).sha256())
    );
    let spans: Vec<_> = facts[0]
        .spans
        .iter()
        .map(|s| {
            (
                s.id.as_deref(),
                s.label.as_str(),
                s.start,
                s.end,
                s.quote.as_deref(),
                s.note.as_deref(),
            )
        })
        .collect();
    assert_eq!(
        spans,
        [
            (
                Some("Ab3_xY9kQz"),
                "quote",
                14,
                23,
                Some("“we will”"),
                Some("speaker unclear")
            ),
            (
                None,
                "deadline",
                28,
                35,
                Some("1 March"),
                Some("two labels")
            ),
            (None, "claim", 28, 35, Some("1 March"), Some("two labels")),
        ]
    );
    // the second task has no annotation: its (first object) prediction is read
    let second: Vec<_> = facts[1]
        .spans
        .iter()
        .map(|s| (s.id.as_deref(), s.label.as_str(), s.start, s.end))
        .collect();
    assert_eq!(second, [(Some("p2"), "claim", 0, 4)]);
}

#[test]
fn reads_utf16_offsets_from_older_label_studio() {
    // 👍🏽 is 2 code points but 4 UTF-16 units: "ok" is 3..5, or 5..7 in UTF-16.
    let task = |meta: &str, start: usize, end: usize, quote: &str| {
        format!(
            r#"[{{"data": {{"text": "👍🏽 ok “yes”"}}, {meta}
                "annotations": [{{"result": [{{"id": "a", "type": "labels",
                "value": {{"start": {start}, "end": {end}, "text": "{quote}", "labels": ["claim"]}}}}]}}]}}]"#
        )
    };
    let span = |input: String| {
        let parsed = parse(&input).unwrap_or_else(|e| panic!("{e}"));
        let s = &parsed.documents[0].spans[0];
        (s.start, s.end, s.quote.clone().unwrap())
    };
    // no unit stated: the quote matches only as UTF-16, so it is read as UTF-16
    assert_eq!(span(task("", 5, 7, "ok")), (3, 5, "ok".to_owned()));
    // stated
    assert_eq!(
        span(task(r#""meta": {"offset_unit": "utf16"},"#, 5, 7, "ok")),
        (3, 5, "ok".to_owned())
    );
    // code points, matching
    assert_eq!(span(task("", 3, 5, "ok")), (3, 5, "ok".to_owned()));
    // a quote that matches in neither unit (Label Studio trimmed it): code
    // points kept, the file's quote kept for the importer to re-anchor
    assert_eq!(span(task("", 3, 5, "o")), (3, 5, "o".to_owned()));
}

#[test]
fn broken_label_studio_files() {
    let cases: &[(&str, &str, &[&str])] = &[
        (
            "label-studio-truncated.json",
            "[0].annotations[0].result[1].value.labels (line 52, column 16)",
            &["EOF"],
        ),
        (
            "label-studio-start-as-string.json",
            "[0].annotations[0].result[1].value.start",
            &["invalid type: string \"6\"", "expected usize"],
        ),
        (
            "label-studio-end-past-text.json",
            "[1].annotations[0].result[1].value.end",
            &["13 is past the end of data.text (12 code points)"],
        ),
        (
            "label-studio-end-before-start.json",
            "[0].annotations[0].result[0].value.end",
            &["must be greater than start (5), found 3"],
        ),
        (
            "label-studio-undeclared-label.json",
            "[0].annotations[0].result[1].value.labels[0]",
            &["\"opinion\" is not declared in the task's meta.labels"],
        ),
        (
            "label-studio-not-an-array.json",
            "line 1, column 1",
            &[
                "found a JSON object",
                "expected a JSON array of Label Studio tasks",
            ],
        ),
        (
            "label-studio-missing-text.json",
            "[0].data",
            &["missing field `text`"],
        ),
        (
            "label-studio-sha256-mismatch.json",
            "[1].data.sha256",
            &["does not match data.text"],
        ),
        (
            "label-studio-empty-labels.json",
            "[0].annotations[0].result[0].value.labels",
            &["is empty"],
        ),
        (
            "label-studio-two-texts.json",
            "[0].annotations[0].result[1].to_name",
            &["two texts (\"text\" and \"title\")"],
        ),
        (
            "label-studio-utf16-inside-surrogate-pair.json",
            "[0].annotations[0].result[0].value.start",
            &["UTF-16 offset 4 falls inside a surrogate pair"],
        ),
    ];
    for (file, at, words) in cases {
        support::assert_error(parse(&support::broken(file)), at, words);
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn random_corpora_round_trip(entries in support::arb_corpus()) {
        let labels = default_labels();
        let json = export(&support::refs(&entries), &labels, &support::options(true));
        let parsed = parse(&json).map_err(|e| TestCaseError::fail(format!("{e}\n{json}")))?;
        prop_assert_eq!(&parsed.labels, &if entries.is_empty() { Vec::new() } else { labels });
        prop_assert_eq!(
            support::facts_of_interchange(&parsed),
            support::facts_of_entries(&entries, true)
        );
    }
}
