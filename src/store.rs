//! The one reducer: [`State`] and [`Action`]. Every change the user makes is
//! an action applied here, purely; the browser shell supplies what the core
//! cannot know (fresh ids, the time) inside the action.
//!
//! Annotation lists are behind `Rc` per document, so an action clones only
//! the list it changes, and the shell can tell which documents changed (to
//! save just those) by pointer comparison.

use std::rc::Rc;

use crate::model::{default_labels, Annotation, AnnotationId, Document, Label, Status};
use crate::text::trim_whitespace;

/// A document in the corpus with its annotations (sorted by
/// [`Annotation::order_key`]).
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub doc: Rc<Document>,
    pub annotations: Rc<Vec<Annotation>>,
    pub status: Status,
}

#[derive(Debug, Clone, PartialEq)]
pub struct State {
    pub labels: Rc<Vec<Label>>,
    pub entries: Vec<Entry>,
    /// SHA-256 of the open document.
    pub open: Option<String>,
    /// The selected span of the open document.
    pub selected: Option<AnnotationId>,
}

impl Default for State {
    fn default() -> Self {
        State {
            labels: Rc::new(default_labels()),
            entries: Vec::new(),
            open: None,
            selected: None,
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Action {
    /// Adds documents (with annotations restored from storage or a file) to
    /// the corpus; a document already present (same SHA-256) is skipped. The
    /// first added document is opened when none is open.
    AddDocuments(Vec<(Rc<Document>, Vec<Annotation>)>),
    /// Puts back what storage holds besides documents: the label set and
    /// each document's status. Like `AddDocuments`, not an edit.
    Restore {
        labels: Option<Vec<Label>>,
        statuses: Vec<(String, Status)>,
    },
    /// Opens a document by SHA-256.
    Open(String),
    /// Creates a span on the open document over `[start, end)` trimmed of
    /// whitespace, and selects it. An identical span (same label and range)
    /// is selected instead of duplicated.
    Create {
        label: String,
        start: usize,
        end: usize,
        id: AnnotationId,
        created_at: String,
    },
    Select(Option<AnnotationId>),
    /// Gives the selected span another label.
    RelabelSelected(String),
    /// Removes the selected span.
    DeleteSelected,
    /// Moves the span `id` of the open document to `[start, end)` (trimmed of
    /// whitespace), keeping its id, label and note.
    Resize {
        id: AnnotationId,
        start: usize,
        end: usize,
    },
    /// Sets or clears (`None` or empty) the note of span `id` of the open document.
    SetNote {
        id: AnnotationId,
        note: Option<String>,
    },
    /// Applies an import as one step: adds the labels the corpus lacks, then
    /// for each change adds its document if it is new and sets its
    /// annotation list (already merged or replaced by the import pipeline).
    Import {
        labels: Vec<Label>,
        changes: Vec<DocumentChange>,
    },
    /// Takes a document's annotations as saved elsewhere (another tab of
    /// Marginalia wrote them to storage), so tabs never overwrite each
    /// other's work. The selection is kept if the span still exists.
    ReplaceAnnotations {
        sha256: String,
        annotations: Vec<Annotation>,
    },
}

/// One document's part of an import.
#[derive(Debug, Clone, PartialEq)]
pub struct DocumentChange {
    pub sha256: String,
    /// The document, when the corpus does not have it yet.
    pub add: Option<Rc<Document>>,
    /// The document's whole annotation list after the import.
    pub annotations: Vec<Annotation>,
    /// The status the file gives the document, if any.
    pub status: Option<Status>,
}

/// Why an action changed nothing; the shell may tell the user.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Rejection {
    NoOpenDocument,
    UnknownDocument,
    UnknownLabel(String),
    /// The range is empty once whitespace is trimmed.
    EmptyRange,
    OutOfRange {
        end: usize,
        len: usize,
    },
    NothingSelected,
}

impl std::fmt::Display for Rejection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Rejection::NoOpenDocument => write!(f, "no document is open"),
            Rejection::UnknownDocument => write!(f, "that document is not in the corpus"),
            Rejection::UnknownLabel(l) => write!(f, "there is no label named {l:?}"),
            Rejection::EmptyRange => write!(f, "the selection holds only whitespace"),
            Rejection::OutOfRange { end, len } => {
                write!(
                    f,
                    "offset {end} is past the end of the document ({len} characters)"
                )
            }
            Rejection::NothingSelected => write!(f, "select some text or click a span first"),
        }
    }
}

impl State {
    pub fn entry(&self, sha256: &str) -> Option<&Entry> {
        self.entries.iter().find(|e| e.doc.sha256() == sha256)
    }

    pub fn open_entry(&self) -> Option<&Entry> {
        self.open.as_deref().and_then(|sha| self.entry(sha))
    }

    pub fn label(&self, name: &str) -> Option<&Label> {
        self.labels.iter().find(|l| l.name == name)
    }

    pub fn selected_annotation(&self) -> Option<&Annotation> {
        let id = self.selected.as_ref()?;
        self.open_entry()?.annotations.iter().find(|a| &a.id == id)
    }

    /// Applies `action`. On `Err` the state is unchanged.
    pub fn apply(&mut self, action: Action) -> Result<(), Rejection> {
        match action {
            Action::AddDocuments(docs) => {
                for (doc, mut annotations) in docs {
                    if self.entry(doc.sha256()).is_some() {
                        continue;
                    }
                    annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                    if self.open.is_none() {
                        self.open = Some(doc.sha256().to_owned());
                    }
                    self.entries.push(Entry {
                        doc,
                        annotations: Rc::new(annotations),
                        status: Status::default(),
                    });
                }
                Ok(())
            }
            Action::Restore { labels, statuses } => {
                if let Some(labels) = labels.filter(|l| !l.is_empty()) {
                    self.labels = Rc::new(labels);
                }
                for (sha, status) in statuses {
                    if let Some(entry) = self.entries.iter_mut().find(|e| e.doc.sha256() == sha) {
                        entry.status = status;
                    }
                }
                Ok(())
            }
            Action::Open(sha) => {
                if self.entry(&sha).is_none() {
                    return Err(Rejection::UnknownDocument);
                }
                if self.open.as_deref() != Some(sha.as_str()) {
                    self.open = Some(sha);
                    self.selected = None;
                }
                Ok(())
            }
            Action::Create {
                label,
                start,
                end,
                id,
                created_at,
            } => {
                if self.label(&label).is_none() {
                    return Err(Rejection::UnknownLabel(label));
                }
                let entry = self.open_entry_mut()?;
                let len = entry.doc.len();
                if end > len {
                    return Err(Rejection::OutOfRange { end, len });
                }
                let (start, end) = trim_whitespace(entry.doc.text(), entry.doc.index(), start, end)
                    .ok_or(Rejection::EmptyRange)?;
                if let Some(same) = entry
                    .annotations
                    .iter()
                    .find(|a| a.start == start && a.end == end && a.label == label)
                {
                    self.selected = Some(same.id.clone());
                    return Ok(());
                }
                let annotation = Annotation {
                    id: id.clone(),
                    label,
                    start,
                    end,
                    created_at,
                    note: None,
                };
                let list = Rc::make_mut(&mut entry.annotations);
                let at = list.partition_point(|a| a.order_key() < annotation.order_key());
                list.insert(at, annotation);
                self.selected = Some(id);
                Ok(())
            }
            Action::Select(id) => {
                if let Some(id) = &id {
                    let entry = self.open_entry().ok_or(Rejection::NoOpenDocument)?;
                    if !entry.annotations.iter().any(|a| &a.id == id) {
                        return Err(Rejection::NothingSelected);
                    }
                }
                self.selected = id;
                Ok(())
            }
            Action::RelabelSelected(label) => {
                if self.label(&label).is_none() {
                    return Err(Rejection::UnknownLabel(label));
                }
                let id = self.selected.clone().ok_or(Rejection::NothingSelected)?;
                let entry = self.open_entry_mut()?;
                let at = position_of(&entry.annotations, &id)?;
                if entry.annotations[at].label == label {
                    return Ok(());
                }
                let list = Rc::make_mut(&mut entry.annotations);
                let mut annotation = list.remove(at);
                // Relabelling onto an existing identical span would duplicate it: merge instead.
                if let Some(same) = list.iter().find(|a| {
                    a.start == annotation.start && a.end == annotation.end && a.label == label
                }) {
                    self.selected = Some(same.id.clone());
                    return Ok(());
                }
                annotation.label = label;
                let at = list.partition_point(|a| a.order_key() < annotation.order_key());
                list.insert(at, annotation);
                Ok(())
            }
            Action::Resize { id, start, end } => {
                let entry = self.open_entry_mut()?;
                let len = entry.doc.len();
                if end > len {
                    return Err(Rejection::OutOfRange { end, len });
                }
                let (start, end) = trim_whitespace(entry.doc.text(), entry.doc.index(), start, end)
                    .ok_or(Rejection::EmptyRange)?;
                let at = position_of(&entry.annotations, &id)?;
                let list = Rc::make_mut(&mut entry.annotations);
                let mut annotation = list.remove(at);
                annotation.start = start;
                annotation.end = end;
                let at = list.partition_point(|a| a.order_key() < annotation.order_key());
                list.insert(at, annotation);
                Ok(())
            }
            Action::SetNote { id, note } => {
                let entry = self.open_entry_mut()?;
                let at = position_of(&entry.annotations, &id)?;
                let note = note.filter(|n| !n.trim().is_empty());
                if entry.annotations[at].note != note {
                    Rc::make_mut(&mut entry.annotations)[at].note = note;
                }
                Ok(())
            }
            Action::Import { labels, changes } => {
                for change in &changes {
                    if change.add.is_none() && self.entry(&change.sha256).is_none() {
                        return Err(Rejection::UnknownDocument);
                    }
                }
                let mut all = (*self.labels).clone();
                for label in labels {
                    if !all.iter().any(|l| l.name == label.name) {
                        all.push(label);
                    }
                }
                self.labels = Rc::new(all);
                for change in changes {
                    let mut annotations = change.annotations;
                    annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                    match self
                        .entries
                        .iter_mut()
                        .find(|e| e.doc.sha256() == change.sha256)
                    {
                        Some(entry) => {
                            entry.annotations = Rc::new(annotations);
                            if let Some(status) = change.status {
                                entry.status = status;
                            }
                        }
                        None => {
                            let doc = change.add.expect("checked above");
                            if self.open.is_none() {
                                self.open = Some(doc.sha256().to_owned());
                            }
                            self.entries.push(Entry {
                                doc,
                                annotations: Rc::new(annotations),
                                status: change.status.unwrap_or_default(),
                            });
                        }
                    }
                }
                if self.selected_annotation().is_none() {
                    self.selected = None;
                }
                Ok(())
            }
            Action::ReplaceAnnotations {
                sha256,
                mut annotations,
            } => {
                let entry = self
                    .entries
                    .iter_mut()
                    .find(|e| e.doc.sha256() == sha256)
                    .ok_or(Rejection::UnknownDocument)?;
                annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                entry.annotations = Rc::new(annotations);
                let open = self.open.as_deref() == Some(sha256.as_str());
                if open && self.selected_annotation().is_none() {
                    self.selected = None;
                }
                Ok(())
            }
            Action::DeleteSelected => {
                let id = self.selected.clone().ok_or(Rejection::NothingSelected)?;
                let entry = self.open_entry_mut()?;
                let at = position_of(&entry.annotations, &id)?;
                Rc::make_mut(&mut entry.annotations).remove(at);
                self.selected = None;
                Ok(())
            }
        }
    }

    fn open_entry_mut(&mut self) -> Result<&mut Entry, Rejection> {
        let sha = self.open.as_deref().ok_or(Rejection::NoOpenDocument)?;
        self.entries
            .iter_mut()
            .find(|e| e.doc.sha256() == sha)
            .ok_or(Rejection::UnknownDocument)
    }
}

fn position_of(annotations: &[Annotation], id: &str) -> Result<usize, Rejection> {
    annotations
        .iter()
        .position(|a| a.id == id)
        .ok_or(Rejection::NothingSelected)
}
