//! Planning an import: from a parsed annotation file ([`Interchange`]) and
//! the current corpus ([`State`]) to the one [`Action::Import`] that applies
//! it, and a report of what it does. Pure; nothing changes until the shell
//! applies the plan, and any problem in the file is an [`ImportError`] (all
//! or nothing).
//!
//! Documents are matched by SHA-256, then by name (only when exactly one
//! corpus document has it). A file document that matches nothing and carries
//! its text becomes a new document; one without text cannot be placed, so its
//! spans are listed as orphans. When the file's text is not ours, spans are
//! re-anchored ([`super::reanchor`]), with their quote and context taken from
//! the file's text when the file does not state them.
//!
//! [`Action::Import`]: crate::store::Action::Import

use std::collections::{HashMap, HashSet};
use std::fmt;
use std::rc::Rc;

use crate::formats::interchange::{
    FormatKind, ImportError, Interchange, InterchangeDocument, InterchangeSpan,
};
use crate::model::{Annotation, Document, Label, Status};
use crate::store::{DocumentChange, Spans, State};

use super::reanchor::{context, Anchorer, Placement, SpanAnchor};

/// What happens to the annotations a matched document already has.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImportMode {
    /// Keep them and add the imported ones; an identical span (same label
    /// and range) is not added twice.
    Merge,
    /// The imported spans become the document's whole list.
    Replace,
}

/// A span the import could not place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Orphan {
    /// The document's name (ours when it was matched, else the file's).
    pub document: String,
    pub label: String,
    /// The span's text, when the file gives it.
    pub quote: Option<String>,
    /// The range in the file's version of the text.
    pub start: usize,
    pub end: usize,
}

/// What an import did, for the person who asked for it.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportReport {
    pub format: FormatKind,
    /// File documents matched to one already in the corpus (or earlier in the file).
    pub documents_matched: usize,
    pub documents_added: usize,
    /// File documents that match nothing and carry no text: their spans are orphans.
    pub documents_unmatched: usize,
    /// Spans placed at their own position (verified by the text or their quote).
    pub exact: usize,
    /// Of `exact`: spans taken at their position unchecked, because the file
    /// gives neither their text nor the document's, and the texts may differ.
    pub unverified: usize,
    pub reanchored: usize,
    pub fuzzy: usize,
    pub orphans: Vec<Orphan>,
    /// Placed spans not added because the document already had them (same
    /// label and range), or the file had them twice.
    pub duplicates_skipped: usize,
    /// Names of the labels the import adds to the corpus.
    pub labels_added: Vec<String>,
}

impl ImportReport {
    fn new(format: FormatKind) -> Self {
        ImportReport {
            format,
            documents_matched: 0,
            documents_added: 0,
            documents_unmatched: 0,
            exact: 0,
            unverified: 0,
            reanchored: 0,
            fuzzy: 0,
            orphans: Vec::new(),
            duplicates_skipped: 0,
            labels_added: Vec::new(),
        }
    }

    /// One sentence, e.g. "3 documents (1 new): 812 spans placed exactly,
    /// 4 re-anchored, 1 orphaned (listed below)."
    pub fn summary(&self) -> String {
        let documents = self.documents_matched + self.documents_added;
        let mut out = String::new();
        if documents > 0 || self.documents_unmatched == 0 {
            out.push_str(&count(documents, "document", "documents"));
            if self.documents_added > 0 {
                out.push_str(&format!(" ({} new)", self.documents_added));
            }
            if self.documents_unmatched > 0 {
                out.push_str(" and ");
            }
        }
        if self.documents_unmatched > 0 {
            out.push_str(&format!(
                "{} found nowhere in the corpus",
                count(self.documents_unmatched, "document", "documents")
            ));
        }
        out.push_str(&format!(
            ": {} placed exactly",
            count(self.exact, "span", "spans")
        ));
        if self.unverified > 0 {
            out.push_str(&format!(
                " ({} by position only: the file gives no text to check)",
                self.unverified
            ));
        }
        out.push_str(&format!(", {} re-anchored", self.reanchored));
        if self.fuzzy > 0 {
            out.push_str(&format!(", {} matched approximately", self.fuzzy));
        }
        out.push_str(&format!(", {} orphaned", self.orphans.len()));
        if !self.orphans.is_empty() {
            out.push_str(" (listed below)");
        }
        if self.duplicates_skipped > 0 {
            out.push_str(&format!(
                "; {} already there, not duplicated",
                count(self.duplicates_skipped, "span was", "spans were")
            ));
        }
        if !self.labels_added.is_empty() {
            out.push_str(&format!(
                "; new {}: {}",
                if self.labels_added.len() == 1 {
                    "label"
                } else {
                    "labels"
                },
                self.labels_added.join(", ")
            ));
        }
        out.push('.');
        out
    }
}

impl fmt::Display for ImportReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.summary())
    }
}

fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The import as one action (`Action::Import { labels, changes }`) and its report.
#[derive(Debug, Clone, PartialEq)]
pub struct ImportPlan {
    /// Labels the corpus lacks, to add.
    pub labels: Vec<Label>,
    pub changes: Vec<DocumentChange>,
    pub report: ImportReport,
}

/// Plans importing `file` into `state` (see the module docs). `fresh_id`
/// supplies an id for each span whose file id is missing or already taken;
/// `now` (RFC 3339) is the creation time of spans that do not state one.
pub fn plan_import(
    state: &State,
    file: &Interchange,
    mode: ImportMode,
    fresh_id: &mut dyn FnMut() -> String,
    now: &str,
) -> Result<ImportPlan, ImportError> {
    let mut report = ImportReport::new(file.format);
    check_labels(file)?;
    let labels = labels_to_add(state, file);
    report.labels_added = labels.iter().map(|l| l.name.clone()).collect();

    let mut targets: Vec<Target> = state
        .entries
        .iter()
        .map(|e| Target {
            doc: e.doc.clone(),
            existing: Some(e.annotations.clone()),
            imported: Vec::new(),
            status: None,
            touched: false,
        })
        .collect();
    let mut by_sha: HashMap<String, usize> = targets
        .iter()
        .enumerate()
        .map(|(i, t)| (t.doc.sha256().to_owned(), i))
        .collect();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, e) in state.entries.iter().enumerate() {
        by_name.entry(e.doc.name.as_str()).or_default().push(i);
    }
    let unique_name = |name: Option<&str>| match by_name.get(name?).map(Vec::as_slice) {
        Some(&[only]) => Some(only),
        _ => None,
    };

    for (d, fdoc) in file.documents.iter().enumerate() {
        let declared_sha = fdoc.sha256.as_ref().map(|s| s.to_ascii_lowercase());
        // The file's own text as a document: ours when it is the same text
        // (compared byte for byte, no hashing), else a new one.
        let file_doc: Option<Rc<Document>> =
            fdoc.text.as_deref().filter(|t| !t.is_empty()).map(|text| {
                declared_sha
                    .as_ref()
                    .and_then(|sha| by_sha.get(sha).copied())
                    .into_iter()
                    .chain(unique_name(fdoc.name.as_deref()))
                    .map(|t| &targets[t].doc)
                    .find(|doc| doc.text() == text)
                    .cloned()
                    .unwrap_or_else(|| Rc::new(Document::new(&document_name(fdoc, text, d), text)))
            });
        check_spans(d, fdoc, file_doc.as_deref(), &file.labels)?;
        let file_sha = match &file_doc {
            Some(doc) => Some(doc.sha256().to_owned()),
            None => declared_sha,
        };
        let matched = file_sha
            .as_ref()
            .and_then(|sha| by_sha.get(sha).copied())
            .or_else(|| unique_name(fdoc.name.as_deref()));
        let target = match (matched, &file_doc) {
            (Some(t), _) => {
                report.documents_matched += 1;
                t
            }
            (None, Some(doc)) => {
                by_sha.insert(doc.sha256().to_owned(), targets.len());
                targets.push(Target {
                    doc: doc.clone(),
                    existing: None,
                    imported: Vec::new(),
                    status: None,
                    touched: false,
                });
                report.documents_added += 1;
                targets.len() - 1
            }
            (None, None) => {
                report.documents_unmatched += 1;
                let document = fdoc
                    .name
                    .clone()
                    .or_else(|| fdoc.sha256.clone())
                    .unwrap_or_else(|| format!("document {}", d + 1));
                report
                    .orphans
                    .extend(fdoc.spans.iter().map(|s| orphan(&document, s)));
                continue;
            }
        };
        let target = &mut targets[target];
        target.touched = true;
        if fdoc.status.is_some() {
            target.status = fdoc.status;
        }
        let same_text = file_sha.as_deref() == Some(target.doc.sha256());
        let source = file_doc.as_deref().filter(|_| !same_text);
        let anchors: Vec<SpanAnchor> = fdoc.spans.iter().map(|s| anchor_of(s, source)).collect();
        let doc = target.doc.clone();
        // The file's own text is ours, and check_spans found every span's
        // range inside it and its quote there: each is placed exactly, as
        // the anchorer would (unless a stated context says otherwise).
        let checked = same_text && file_doc.is_some();
        let placements = if checked
            && anchors
                .iter()
                .all(|a| a.prefix.is_none() && a.suffix.is_none())
        {
            anchors
                .iter()
                .map(|a| Placement::Exact {
                    start: a.start,
                    end: a.end,
                })
                .collect()
        } else {
            Anchorer::new(doc.text(), doc.index()).place_all(&anchors)
        };
        for ((span, anchor), placement) in fdoc.spans.iter().zip(&anchors).zip(placements) {
            let (start, end) = match placement {
                Placement::Exact { start, end } => {
                    report.exact += 1;
                    if anchor.quote.is_none() && !same_text {
                        report.unverified += 1;
                    }
                    (start, end)
                }
                Placement::Reanchored { start, end } => {
                    report.reanchored += 1;
                    (start, end)
                }
                Placement::Fuzzy { start, end, .. } => {
                    report.fuzzy += 1;
                    (start, end)
                }
                Placement::Orphan => {
                    report.orphans.push(Orphan {
                        quote: anchor.quote.map(str::to_owned),
                        ..orphan(&doc.name, span)
                    });
                    continue;
                }
            };
            target.imported.push(Annotation {
                id: span.id.clone().unwrap_or_default(),
                label: span.label.clone(),
                start,
                end,
                created_at: span
                    .created_at
                    .clone()
                    .filter(|c| !c.is_empty())
                    .unwrap_or_else(|| now.to_owned()),
                note: span.note.clone().filter(|n| !n.trim().is_empty()),
            });
        }
    }

    let changes = merge(state, &mut targets, mode, fresh_id, &mut report);
    Ok(ImportPlan {
        labels,
        changes,
        report,
    })
}

/// A corpus document (or one the import adds) and what the file brings it.
struct Target {
    doc: Rc<Document>,
    /// Its annotations now; `None` for a document the import adds.
    existing: Option<Rc<Spans>>,
    /// Placed spans, in file order; ids are still the file's (maybe empty).
    imported: Vec<Annotation>,
    status: Option<Status>,
    /// Whether any file document matched it.
    touched: bool,
}

/// The file's labels must have names.
fn check_labels(file: &Interchange) -> Result<(), ImportError> {
    match file.labels.iter().position(|l| l.name.trim().is_empty()) {
        Some(i) => Err(error(
            format!("labels[{i}]"),
            "a label needs a name, found an empty one",
        )),
        None => Ok(()),
    }
}

/// Checks what can be wrong with a file document's spans whatever the
/// corpus holds: labels, ranges, and quotes against the file's own text.
fn check_spans(
    d: usize,
    fdoc: &InterchangeDocument,
    text: Option<&Document>,
    declared: &[Label],
) -> Result<(), ImportError> {
    for (s, span) in fdoc.spans.iter().enumerate() {
        let at = || span_location(d, fdoc, s, span);
        if span.label.trim().is_empty() {
            return Err(error(at(), "the span has no label; expected a label name"));
        }
        if !declared.is_empty() && !declared.iter().any(|l| l.name == span.label) {
            let mut names: Vec<&str> = declared.iter().map(|l| l.name.as_str()).collect();
            names.dedup();
            return Err(error(
                at(),
                format!(
                    "label {:?} is not declared by the file, which declares: {}",
                    span.label,
                    names.join(", ")
                ),
            ));
        }
        if span.start >= span.end {
            return Err(error(
                at(),
                format!(
                    "end ({}) must be greater than start ({})",
                    span.end, span.start
                ),
            ));
        }
        let Some(doc) = text else { continue };
        if span.end > doc.len() {
            return Err(error(
                at(),
                format!(
                    "end {} is past the end of the document's text ({} code points)",
                    span.end,
                    doc.len()
                ),
            ));
        }
        if let Some(quote) = &span.quote {
            // Compared where the range starts, then counted: one offset
            // lookup per span rather than two (as slicing the range takes).
            let from = doc.index().utf8_of(doc.text(), span.start);
            let here = doc.text().get(from..from + quote.len());
            if here != Some(quote.as_str()) || quote.chars().count() != span.end - span.start {
                let there = doc.slice(span.start, span.end);
                return Err(error(
                    at(),
                    format!(
                        "the span's text is {quote:?}, but the document's text at {}..{} is {there:?}",
                        span.start, span.end
                    ),
                ));
            }
        }
    }
    Ok(())
}

fn error(at: String, problem: impl Into<String>) -> ImportError {
    ImportError {
        file: None,
        at,
        problem: problem.into(),
    }
}

/// Where a span is, in words that hold for every format: the document's
/// and span's place in the file (from 1), the document's name, the span's id.
fn span_location(d: usize, fdoc: &InterchangeDocument, s: usize, span: &InterchangeSpan) -> String {
    let mut at = format!("document {}", d + 1);
    if let Some(name) = &fdoc.name {
        at.push_str(&format!(" ({name:?})"));
    }
    at.push_str(&format!(", span {}", s + 1));
    if let Some(id) = span.id.as_deref().filter(|id| !id.is_empty()) {
        at.push_str(&format!(" (id {id:?})"));
    }
    at
}

fn orphan(document: &str, span: &InterchangeSpan) -> Orphan {
    Orphan {
        document: document.to_owned(),
        label: span.label.clone(),
        quote: span.quote.clone(),
        start: span.start,
        end: span.end,
    }
}

/// What the anchorer needs of a span: its quote and context as the file
/// states them, else as `source` (the file's text, when it is not ours) has
/// them. Without a source the text is ours (or unknown) and the position is
/// taken as the file states it.
fn anchor_of<'f>(span: &'f InterchangeSpan, source: Option<&'f Document>) -> SpanAnchor<'f> {
    let mut anchor = SpanAnchor {
        start: span.start,
        end: span.end,
        quote: span.quote.as_deref(),
        prefix: span.prefix.as_deref(),
        suffix: span.suffix.as_deref(),
    };
    if let Some(doc) = source {
        let (prefix, suffix) = context(doc.text(), doc.index(), span.start, span.end);
        anchor.quote = anchor
            .quote
            .or_else(|| Some(doc.slice(span.start, span.end)));
        anchor.prefix = anchor.prefix.or(Some(prefix));
        anchor.suffix = anchor.suffix.or(Some(suffix));
    }
    anchor
}

/// The name of a document the import adds: the file's, else the text's
/// headline, else its place in the file.
fn document_name(fdoc: &InterchangeDocument, text: &str, d: usize) -> String {
    fdoc.name
        .as_deref()
        .map(str::trim)
        .filter(|n| !n.is_empty())
        .map(str::to_owned)
        .or_else(|| crate::model::headline(text))
        .unwrap_or_else(|| format!("Imported document {}", d + 1))
}

/// The labels the corpus lacks. When the file declares labels, those it
/// declares; otherwise those its spans use, in order of first use. Keys and
/// colours are kept when usable and free, else the next free ones.
fn labels_to_add(state: &State, file: &Interchange) -> Vec<Label> {
    let mut wanted: Vec<Label> = Vec::new();
    let candidates: Box<dyn Iterator<Item = (&str, &str, &str)>> = if file.labels.is_empty() {
        Box::new(
            file.documents
                .iter()
                .flat_map(|d| &d.spans)
                .map(|s| (s.label.as_str(), "", "")),
        )
    } else {
        Box::new(
            file.labels
                .iter()
                .map(|l| (l.name.as_str(), l.color.as_str(), l.key.as_str())),
        )
    };
    for (name, color, key) in candidates {
        if state.label(name).is_none() && !wanted.iter().any(|l| l.name == name) {
            wanted.push(Label {
                name: name.to_owned(),
                color: color.to_owned(),
                key: key.to_owned(),
            });
        }
    }
    let mut keys: HashSet<String> = state.labels.iter().map(|l| l.key.clone()).collect();
    let mut colors: HashSet<String> = state
        .labels
        .iter()
        .map(|l| l.color.to_ascii_lowercase())
        .collect();
    for label in &mut wanted {
        let key_usable = label.key.chars().count() == 1
            && !label.key.chars().all(char::is_whitespace)
            && !keys.contains(&label.key);
        if !key_usable {
            label.key = KEYS
                .iter()
                .find(|k| !keys.contains(**k))
                .map(|k| (*k).to_owned())
                .unwrap_or_default();
        }
        if !label.key.is_empty() {
            keys.insert(label.key.clone());
        }
        if !is_hex_colour(&label.color) {
            label.color = PALETTE
                .iter()
                .find(|c| !colors.contains(**c))
                .copied()
                .unwrap_or(PALETTE[colors.len() % PALETTE.len()])
                .to_owned();
        }
        colors.insert(label.color.to_ascii_lowercase());
    }
    wanted
}

/// Keys given to new labels, in order (digits, as the default labels use).
const KEYS: [&str; 10] = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "0"];
/// Colours for new labels: the rest of the Okabe–Ito palette (the default
/// labels use blue, vermillion and green), then some darker tones.
const PALETTE: [&str; 8] = [
    "#e69f00", "#cc79a7", "#56b4e9", "#f0e442", "#000000", "#7f3c8d", "#11a579", "#3969ac",
];

fn is_hex_colour(s: &str) -> bool {
    s.len() == 7 && s.starts_with('#') && s[1..].chars().all(|c| c.is_ascii_hexdigit())
}

/// Merges or replaces each touched document's list, resolves ids, and
/// returns the changes (documents whose list or status actually changes).
fn merge(
    state: &State,
    targets: &mut [Target],
    mode: ImportMode,
    fresh_id: &mut dyn FnMut() -> String,
    report: &mut ImportReport,
) -> Vec<DocumentChange> {
    let base_of = |target: &Target| -> Rc<Spans> {
        match (mode, &target.existing) {
            (ImportMode::Merge, Some(existing)) => existing.clone(),
            _ => Rc::default(),
        }
    };
    // The imported spans each touched target keeps: not one the base or an
    // earlier imported span already has (same label and range).
    let touched: Vec<usize> = (0..targets.len()).filter(|&t| targets[t].touched).collect();
    let mut imported: Vec<Vec<Annotation>> = Vec::with_capacity(touched.len());
    for &t in &touched {
        let mut list = std::mem::take(&mut targets[t].imported);
        let fresh = not_duplicated(&base_of(&targets[t]), &list);
        let before = list.len();
        let mut keep = fresh.into_iter();
        list.retain(|_| keep.next().unwrap_or(true));
        report.duplicates_skipped += before - list.len();
        imported.push(list);
    }
    let replaced: HashSet<&str> = match mode {
        ImportMode::Merge => HashSet::new(),
        ImportMode::Replace => touched.iter().map(|&t| targets[t].doc.sha256()).collect(),
    };
    let kept = state
        .entries
        .iter()
        .filter(|e| !replaced.contains(e.doc.sha256()))
        .flat_map(|e| e.annotations.iter().map(|a| a.id.as_str()));
    let mut new_ids = fresh_ids(kept, &imported, fresh_id).into_iter();
    for list in &mut imported {
        for annotation in list.iter_mut() {
            if let Some(id) = new_ids.next().flatten() {
                annotation.id = id;
            }
        }
    }

    let mut changes = Vec::new();
    for (&t, list) in touched.iter().zip(imported) {
        let target = &targets[t];
        let base = base_of(target);
        let mut all: Vec<Annotation> = Vec::with_capacity(base.len() + list.len());
        all.extend(base.iter().map(|a| Annotation::clone(a)));
        all.extend(list);
        all.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let existing: &[Rc<Annotation>] = target.existing.as_deref().map_or(&[], Vec::as_slice);
        let is_new = target.existing.is_none();
        let unchanged =
            all.len() == existing.len() && all.iter().zip(existing).all(|(a, b)| a == &**b);
        if !is_new && unchanged && target.status.is_none() {
            continue;
        }
        changes.push(DocumentChange {
            sha256: target.doc.sha256().to_owned(),
            add: is_new.then(|| target.doc.clone()),
            annotations: all,
            status: target.status,
        });
    }
    changes
}

/// For each of `imported`, whether it is new: neither `base` nor an earlier
/// imported span has its label and range. Equal keys sort together, the
/// base (order 0) before imported spans in file order (1, 2, …).
fn not_duplicated(base: &[Rc<Annotation>], imported: &[Annotation]) -> Vec<bool> {
    let mut keys: Vec<(usize, usize, &str, usize)> = base
        .iter()
        .map(|a| (a.start, a.end, a.label.as_str(), 0))
        .chain(
            imported
                .iter()
                .enumerate()
                .map(|(i, a)| (a.start, a.end, a.label.as_str(), i + 1)),
        )
        .collect();
    keys.sort_unstable();
    let mut fresh = vec![true; imported.len()];
    for pair in keys.windows(2) {
        let ((s0, e0, l0, _), (s1, e1, l1, order)) = (pair[0], pair[1]);
        if (s0, e0, l0) == (s1, e1, l1) && order > 0 {
            fresh[order - 1] = false;
        }
    }
    fresh
}

/// The new id of each imported span, in order across `imported` (`None`:
/// it keeps its own). A span needs one when its id is empty, or when a kept
/// annotation or an earlier imported span has it. Found by sorting every id
/// rather than hashing (and copying) each into a set: an import brings tens
/// of thousands. `fresh_id` is asked exactly once per span that needs an id,
/// unless what it gives is already in use.
fn fresh_ids<'a>(
    kept: impl Iterator<Item = &'a str>,
    imported: &'a [Vec<Annotation>],
    fresh_id: &mut dyn FnMut() -> String,
) -> Vec<Option<String>> {
    let spans = imported.iter().flatten();
    // (id, 0) for a kept id, (id, 1 + place in the import) for an imported one.
    let mut ids: Vec<(&str, usize)> = kept
        .map(|id| (id, 0))
        .chain(
            spans
                .clone()
                .enumerate()
                .map(|(i, a)| (a.id.as_str(), i + 1)),
        )
        .filter(|(id, _)| !id.is_empty())
        .collect();
    ids.sort_unstable();
    let mut needs: Vec<bool> = spans.map(|a| a.id.is_empty()).collect();
    for pair in ids.windows(2) {
        if pair[0].0 == pair[1].0 && pair[1].1 > 0 {
            needs[pair[1].1 - 1] = true;
        }
    }
    let in_use = |id: &str| ids.binary_search_by(|(have, _)| (*have).cmp(id)).is_ok();
    let mut given: Vec<Option<String>> = needs
        .iter()
        .map(|&needs| if needs { Some(fresh_id()) } else { None })
        .collect();
    // Ask again for any new id that is in use or given twice (never, for
    // random UUIDs; the check keeps ids unique whatever `fresh_id` does).
    loop {
        let mut order: Vec<usize> = (0..given.len()).filter(|&i| given[i].is_some()).collect();
        order.sort_unstable_by(|&a, &b| given[a].cmp(&given[b]));
        let clashes: Vec<usize> = order
            .iter()
            .enumerate()
            .filter(|&(k, &i)| {
                let id = given[i].as_deref().unwrap_or_default();
                in_use(id) || (k > 0 && given[order[k - 1]] == given[i])
            })
            .map(|(_, &i)| i)
            .collect();
        if clashes.is_empty() {
            return given;
        }
        for i in clashes {
            given[i] = Some(fresh_id());
        }
    }
}
