//! The one reducer: [`State`] and [`Action`]. Every change the user makes is
//! an action applied here, purely; the browser shell supplies what the core
//! cannot know (fresh ids, the time) inside the action.
//!
//! Annotation lists are behind `Rc` per document, so an action clones only
//! the list it changes, and the shell can tell which documents changed (to
//! save just those) by pointer comparison.
//!
//! ## Undo and redo
//!
//! Every edit is recorded as a step that [`Action::Undo`] and
//! [`Action::Redo`] can take back and replay: span edits and status on the
//! document's own stack, label changes, imports and document renames and
//! removals on the corpus's stack. Opening, selecting, adding documents and
//! another tab's save ([`Action::ReplaceAnnotations`]) are not edits.
//!
//! History is per document and survives switching: with document A open,
//! Undo takes the newest step of A's stack and the corpus's (steps carry a
//! global sequence number); Redo takes, of the two redo stacks, the step
//! undone last. A new edit clears the redo side of the stack it lands on,
//! and the undone steps of other stacks that depend on what it cleared.
//!
//! Steps are patches (see the `patch` module), not snapshots, so undoing a corpus step
//! leaves later edits of other documents alone. Undoing (or redoing) a step
//! out of order, past a newer step of another stack, is allowed only when
//! the two commute (a label rename commutes with every span edit: spans are
//! patched by label identity); otherwise it is refused with
//! [`Rejection::UndoBlocked`] naming what to undo first. A refused or
//! impossible undo changes nothing.
//!
//! After Undo or Redo the span the step touched is selected, if it is in the
//! open document; else nothing is.

mod history;
mod patch;
mod validate;

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use crate::model::{default_labels, Annotation, AnnotationId, Document, Label, Status};
use crate::text::trim_whitespace;

pub use history::STEPS_KEPT;
use history::{History, LabelName, Scope, Step, What};
use patch::{Direction, DocPatch, ImportPatch, LabelPatch, Patch, PlacedEntry, SpanChange};

/// A document's annotations, sorted by [`Annotation::order_key`]. Each is
/// shared: an edit copies the list (the view still holds the one before),
/// and copying 2,000 pointers costs a fraction of copying 2,000
/// annotations' strings (and of freeing them again).
pub type Spans = Vec<Rc<Annotation>>;

/// Each annotation of `list` shared, for an [`Entry`].
pub fn shared(list: Vec<Annotation>) -> Spans {
    list.into_iter().map(Rc::new).collect()
}

/// A document in the corpus with its annotations.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    pub doc: Rc<Document>,
    pub annotations: Rc<Spans>,
    pub status: Status,
}

/// Cloning costs O(documents): lists, labels and history are shared.
#[derive(Debug, Clone, PartialEq)]
pub struct State {
    /// Change only through actions: the history keeps an identity per label.
    pub labels: Rc<Vec<Label>>,
    pub entries: Vec<Entry>,
    /// SHA-256 of the open document.
    pub open: Option<String>,
    /// The selected span of the open document.
    pub selected: Option<AnnotationId>,
    history: History,
}

impl Default for State {
    fn default() -> Self {
        let labels = default_labels();
        State {
            history: History::new(labels.len()),
            labels: Rc::new(labels),
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
    /// first added document is opened when none is open. Not undoable.
    AddDocuments(Vec<(Rc<Document>, Vec<Annotation>)>),
    /// Puts back what storage holds besides documents: the label set and
    /// each document's status. Like `AddDocuments`, not an edit.
    Restore {
        labels: Option<Vec<Label>>,
        statuses: Vec<(String, Status)>,
    },
    /// Opens a document by SHA-256. Not undoable.
    Open(String),
    /// Creates a span on the open document over `[start, end)` trimmed of
    /// whitespace, and selects it. An identical span (same label and range)
    /// is selected instead of duplicated (and nothing is recorded).
    Create {
        label: String,
        start: usize,
        end: usize,
        id: AnnotationId,
        created_at: String,
    },
    /// Selects a span of the open document, or nothing. Not undoable.
    Select(Option<AnnotationId>),
    /// Gives the selected span another label. Onto an identical span (same
    /// range, that label) it merges: the selected span goes, the other is
    /// selected.
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
    /// Sets or clears (`None` or blank) the note of span `id` of the open document.
    SetNote {
        id: AnnotationId,
        note: Option<String>,
    },
    /// Tags every range of the open document with `label` in one undoable
    /// step (Find's "tag all matches"). Each range is trimmed of whitespace
    /// like `Create`; `ids[i]` becomes the id of `ranges[i]`'s span. Ranges
    /// that are only whitespace, or that an identical span (same label and
    /// range) already covers, are skipped; rejected if none is left. The
    /// first new span (in text order) is selected.
    TagAll {
        label: String,
        ranges: Vec<(usize, usize)>,
        ids: Vec<AnnotationId>,
        created_at: String,
    },
    /// Appends a label. Its name is trimmed and must be new (ignoring case),
    /// its colour `#rrggbb`, its key one character no other label uses.
    AddLabel(Label),
    /// Renames a label, and every span using it in every document.
    RenameLabel { from: String, to: String },
    /// Gives a label another colour (`#rrggbb`).
    RecolorLabel { name: String, color: String },
    /// Binds a label to another key: one character no other label uses.
    RebindLabel { name: String, key: String },
    /// Removes a label and every span using it, in every document (the shell
    /// asks first when spans use it). Undo brings the spans back, ids and
    /// notes included.
    RemoveLabel(String),
    /// Marks a document not started, in progress or done (any document,
    /// open or not; the step goes on that document's stack).
    SetStatus { sha256: String, status: Status },
    /// Renames a document (the name is trimmed, non-empty, one line).
    RenameDocument { sha256: String, name: String },
    /// Removes a document from the corpus. If it was open, its neighbour
    /// opens. Undo puts it back where it was, with its annotations, status
    /// and history, and opens it again if it was open.
    RemoveDocument(String),
    /// Applies an import as one step: adds the labels the corpus lacks, then
    /// for each change adds its document if it is new and sets its
    /// annotation list (already merged or replaced by the import pipeline).
    /// Every span's label must be declared (in the corpus or `labels`), its
    /// range non-empty and inside the text, and its id unique in the
    /// document; spans repeating another's label and range are dropped.
    Import {
        labels: Vec<Label>,
        changes: Vec<DocumentChange>,
    },
    /// Takes a document's annotations as saved elsewhere (another tab of
    /// Marginalia wrote them to storage), so tabs never overwrite each
    /// other's work. The selection is kept if the span still exists.
    ///
    /// Not undoable, and it clears the document's history: its steps
    /// describe changes to a list that no longer exists here, so undoing one
    /// could bring back a span the other tab deleted or delete one it added.
    /// For the same reason corpus steps that changed the document's spans
    /// (imports, label removals) are dropped, with the corpus steps older
    /// than them.
    ReplaceAnnotations {
        sha256: String,
        annotations: Vec<Annotation>,
    },
    /// Undoes the newest step of the open document or the corpus.
    Undo,
    /// Redoes the step undone last of the open document or the corpus.
    Redo,
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
    /// A new span's id is already used in the document.
    DuplicateId(AnnotationId),
    /// A resize would make the span identical to another (same label and range).
    SameSpanExists {
        label: String,
    },
    /// `TagAll` found nothing new to tag.
    NothingToTag {
        label: String,
    },
    /// `TagAll` got fewer ids than ranges.
    MissingIds {
        ranges: usize,
        ids: usize,
    },
    LabelNameEmpty,
    /// A label name with a line break or other control character.
    LabelNameInvalid(String),
    /// Another label has this name (ignoring case).
    LabelExists(String),
    /// Not `#rrggbb`.
    InvalidColor(String),
    /// Not exactly one visible character.
    InvalidKey(String),
    KeyInUse {
        key: String,
        label: String,
    },
    /// Empty, or more than one line.
    InvalidDocumentName(String),
    NothingToUndo,
    NothingToRedo,
    /// Undoing `step` now would undo or overwrite a later change; `reason`
    /// says which and what to do.
    UndoBlocked {
        step: String,
        reason: String,
    },
    RedoBlocked {
        step: String,
        reason: String,
    },
    /// The document's data does not allow the edit (for example two spans
    /// loaded from elsewhere share an id); `0` says what is wrong.
    DoesNotFit(String),
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
            Rejection::DuplicateId(id) => {
                write!(f, "the span id {id:?} is already used in this document")
            }
            Rejection::SameSpanExists { label } => {
                write!(f, "a {label} span already covers exactly that text")
            }
            Rejection::NothingToTag { label } => write!(
                f,
                "nothing new to tag: every match is already tagged {label}, or holds only whitespace"
            ),
            Rejection::MissingIds { ranges, ids } => write!(
                f,
                "cannot tag {ranges} matches with only {ids} new span ids (one per match expected)"
            ),
            Rejection::LabelNameEmpty => {
                write!(f, "a label needs a name: the name given is empty")
            }
            Rejection::LabelNameInvalid(name) => write!(
                f,
                "the label name {name:?} holds a line break or control character; expected one line of text"
            ),
            Rejection::LabelExists(name) => write!(
                f,
                "a label named {name:?} already exists (names are compared ignoring case)"
            ),
            Rejection::InvalidColor(color) => write!(
                f,
                "{color:?} is not a colour: expected # and six hexadecimal digits, like #0072b2"
            ),
            Rejection::InvalidKey(key) => write!(
                f,
                "{key:?} cannot be a label key: expected one visible character, like 4 or q"
            ),
            Rejection::KeyInUse { key, label } => {
                write!(f, "the key {key:?} already applies the label {label:?}")
            }
            Rejection::InvalidDocumentName(name) => write!(
                f,
                "{name:?} cannot be a document name: expected a name on one line, not empty"
            ),
            Rejection::NothingToUndo => write!(f, "there is nothing to undo here"),
            Rejection::NothingToRedo => write!(f, "there is nothing to redo here"),
            Rejection::UndoBlocked { step, reason } => {
                write!(f, "cannot undo {step:?}: {reason}")
            }
            Rejection::RedoBlocked { step, reason } => {
                write!(f, "cannot redo {step:?}: {reason}")
            }
            Rejection::DoesNotFit(reason) => write!(f, "the edit does not fit: {reason}"),
        }
    }
}

/// What an edit will do, worked out before anything changes.
enum Plan {
    /// The state already is as asked.
    Nothing,
    /// Only the selection moves (onto an identical existing span).
    Select(AnnotationId),
    Edit {
        what: What,
        patch: Patch,
        select: After,
    },
}

/// The selection after an edit.
enum After {
    /// Kept if the span still exists.
    Keep,
    Set(Option<AnnotationId>),
    /// The first span the edit touched, in text order.
    FirstTouched,
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
        self.open_entry()?
            .annotations
            .iter()
            .find(|a| &a.id == id)
            .map(Rc::as_ref)
    }

    /// Whether Undo has a step to take with the open document (it may still
    /// be refused, with the reason: [`Rejection::UndoBlocked`]).
    pub fn can_undo(&self) -> bool {
        self.history.undo_candidate(self.open.as_deref()).is_some()
    }

    /// Whether Redo has a step to take with the open document (it may still
    /// be refused: [`Rejection::RedoBlocked`]).
    pub fn can_redo(&self) -> bool {
        self.history.redo_candidate(self.open.as_deref()).is_some()
    }

    /// What Undo would undo, for the button's title and announcements:
    /// "delete claim", "rename label claim to assertion".
    pub fn undo_description(&self) -> Option<String> {
        let (_, step) = self.history.undo_candidate(self.open.as_deref())?;
        Some(self.describe(&step.what))
    }

    /// What Redo would redo.
    pub fn redo_description(&self) -> Option<String> {
        let (_, step) = self.history.redo_candidate(self.open.as_deref())?;
        Some(self.describe(&step.what))
    }

    fn describe(&self, what: &What) -> String {
        what.describe(&self.labels, &self.history.label_ids)
    }

    /// Applies `action`. On `Err` the state is unchanged.
    pub fn apply(&mut self, action: Action) -> Result<(), Rejection> {
        self.history.sync_label_ids(self.labels.len());
        match action {
            Action::AddDocuments(docs) => {
                self.add_documents(docs);
                Ok(())
            }
            Action::Restore { labels, statuses } => {
                if let Some(labels) = labels.filter(|l| !l.is_empty()) {
                    // New identities: no recorded step may touch these labels.
                    let ids = labels.iter().map(|_| self.history.new_label_id()).collect();
                    self.history.label_ids = Rc::new(ids);
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
                entry.annotations = Rc::new(shared(annotations));
                self.history.forget_document(&sha256);
                let open = self.open.as_deref() == Some(sha256.as_str());
                if open && self.selected_annotation().is_none() {
                    self.selected = None;
                }
                Ok(())
            }
            Action::Undo => self.travel(Direction::Backward),
            Action::Redo => self.travel(Direction::Forward),
            edit => {
                // Planning may hand out a label identity: on a copy, so a
                // rejection leaves `self` exactly as it was.
                let mut work = self.clone();
                match work.plan(edit)? {
                    Plan::Nothing => Ok(()),
                    Plan::Select(id) => {
                        self.selected = Some(id);
                        Ok(())
                    }
                    Plan::Edit {
                        what,
                        patch,
                        select,
                    } => {
                        // Cannot fail on data the reducer made; data loaded
                        // from elsewhere (say, two spans sharing an id) can.
                        work.history.begin_edit(&patch.scope());
                        let found = work
                            .run_patch(&patch, Direction::Forward)
                            .map_err(Rejection::DoesNotFit)?;
                        let patch = found.unwrap_or(patch);
                        match select {
                            After::Keep => {}
                            After::Set(id) => work.selected = id,
                            After::FirstTouched => work.select_first_touched(&patch),
                        }
                        work.drop_stale_selection();
                        work.history.record(what, patch);
                        *self = work;
                        Ok(())
                    }
                }
            }
        }
    }

    fn add_documents(&mut self, docs: Vec<(Rc<Document>, Vec<Annotation>)>) {
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
                annotations: Rc::new(shared(annotations)),
                status: Status::default(),
            });
        }
    }

    /// Undoes (`Backward`) or redoes (`Forward`) the latest step that may
    /// be: all or nothing, on a copy that replaces the state only if every
    /// change of the step applies.
    fn travel(&mut self, direction: Direction) -> Result<(), Rejection> {
        let undo = direction == Direction::Backward;
        let candidate = if undo {
            self.history.undo_candidate(self.open.as_deref())
        } else {
            self.history.redo_candidate(self.open.as_deref())
        };
        let (scope, step) = candidate.ok_or(if undo {
            Rejection::NothingToUndo
        } else {
            Rejection::NothingToRedo
        })?;
        let blocked = |reason| {
            let step = self.describe(&step.what);
            if undo {
                Rejection::UndoBlocked { step, reason }
            } else {
                Rejection::RedoBlocked { step, reason }
            }
        };
        self.check_order(&scope, &step, direction)
            .map_err(blocked)?;
        let mut work = self.clone();
        let found = work.run_patch(&step.patch, direction).map_err(blocked)?;
        let step = refreshed(step, found);
        work.select_first_touched(&step.patch);
        if undo {
            work.history.undone(&scope, step);
        } else {
            work.history.redone(&scope, step);
        }
        *self = work;
        Ok(())
    }

    /// Whether `step` (of `scope`) may be undone (`Backward`) or redone
    /// (`Forward`) now. Steps of two different documents always commute; a
    /// document step and a corpus step may not (see
    /// [`Patch::conflicts_with`]). Out of order, the step must commute with
    /// every newer step of another stack that is done; and to be redone, it
    /// needs every older step it depends on done.
    fn check_order(&self, scope: &Scope, step: &Step, dir: Direction) -> Result<(), String> {
        let corpus = self.history.corpus();
        match scope {
            Scope::Document(sha) => {
                let depends = |c: &Step| c.patch.conflicts_with(sha, &step.patch);
                // Only a redo meets one: Undo takes the newer corpus step first.
                if let Some(later) = corpus.undo_newer_than(step.seq).find(|c| depends(c)) {
                    return Err(format!(
                        "{:?} was done since, and this step depends on what it changed",
                        self.describe(&later.what)
                    ));
                }
                if dir == Direction::Forward {
                    if let Some(earlier) = corpus.redo_older_than(step.seq).find(|c| depends(c)) {
                        return Err(format!(
                            "it depends on {:?}; redo that first",
                            self.describe(&earlier.what)
                        ));
                    }
                }
                Ok(())
            }
            Scope::Corpus => {
                for entry in &self.entries {
                    let sha = entry.doc.sha256();
                    let Some(stacks) = self.history.document(sha) else {
                        continue;
                    };
                    let depends = |d: &Step| step.patch.conflicts_with(sha, &d.patch);
                    if stacks.floor > step.seq && step.patch.touches_document(sha) {
                        return Err(format!(
                            "the older history of {} was cut short since",
                            entry.doc.name
                        ));
                    }
                    if stacks.undo_newer_than(step.seq).any(|d| depends(d)) {
                        return Err(format!(
                            "{} has later edits that depend on it; open it and undo those first",
                            entry.doc.name
                        ));
                    }
                    if dir == Direction::Forward {
                        if let Some(earlier) = stacks.redo_older_than(step.seq).find(|d| depends(d))
                        {
                            return Err(format!(
                                "it depends on {:?} in {}; open it and redo that first",
                                self.describe(&earlier.what),
                                entry.doc.name
                            ));
                        }
                    }
                }
                Ok(())
            }
        }
    }

    /// Selects the first span (in text order) of the open document that the
    /// patch touched, or nothing.
    fn select_first_touched(&mut self, patch: &Patch) {
        self.selected = self.open.as_deref().and_then(|sha| {
            let touched = patch.touched_spans(sha);
            if touched.is_empty() {
                return None;
            }
            let list = &self.entry(sha)?.annotations;
            let first = if touched.len() <= 8 {
                list.iter().find(|a| touched.contains(&a.id.as_str()))
            } else {
                let touched: HashSet<&str> = touched.into_iter().collect();
                list.iter().find(|a| touched.contains(a.id.as_str()))
            };
            Some(first?.id.clone())
        });
    }

    fn drop_stale_selection(&mut self) {
        if self.selected_annotation().is_none() {
            self.selected = None;
        }
    }

    fn open_checked(&self) -> Result<&Entry, Rejection> {
        let sha = self.open.as_deref().ok_or(Rejection::NoOpenDocument)?;
        self.entry(sha).ok_or(Rejection::UnknownDocument)
    }

    fn label_name(&self, name: &str) -> LabelName {
        LabelName {
            id: self.label_id(name),
            name: name.to_owned(),
        }
    }

    fn label_at(&self, name: &str) -> Result<usize, Rejection> {
        self.labels
            .iter()
            .position(|l| l.name == name)
            .ok_or_else(|| Rejection::UnknownLabel(name.to_owned()))
    }

    /// One document patch changing the open document's spans.
    fn span_edit(&self, entry: &Entry, spans: Vec<SpanChange>) -> Patch {
        Patch::Document(DocPatch {
            sha: Rc::from(entry.doc.sha256()),
            spans,
            status: None,
        })
    }

    fn update(&self, before: &Annotation, after: Annotation) -> SpanChange {
        SpanChange {
            before: Some(self.span_record(before)),
            after: Some(self.span_record(&after)),
        }
    }

    /// Checks an edit and works out its patch, changing nothing but label
    /// identities handed out.
    fn plan(&mut self, action: Action) -> Result<Plan, Rejection> {
        match action {
            Action::Create {
                label,
                start,
                end,
                id,
                created_at,
            } => {
                self.label_at(&label)?;
                let entry = self.open_checked()?;
                let (start, end) = trimmed(entry, start, end)?;
                if let Some(same) = entry
                    .annotations
                    .iter()
                    .find(|a| a.start == start && a.end == end && a.label == label)
                {
                    return Ok(Plan::Select(same.id.clone()));
                }
                if entry.annotations.iter().any(|a| a.id == id) {
                    return Err(Rejection::DuplicateId(id));
                }
                let annotation = Annotation {
                    id: id.clone(),
                    label: label.clone(),
                    start,
                    end,
                    created_at,
                    note: None,
                };
                let insert = SpanChange {
                    before: None,
                    after: Some(self.span_record(&annotation)),
                };
                Ok(Plan::Edit {
                    what: What::Create(self.label_name(&label)),
                    patch: self.span_edit(entry, vec![insert]),
                    select: After::Set(Some(id)),
                })
            }
            Action::RelabelSelected(label) => {
                self.label_at(&label)?;
                let id = self.selected.clone().ok_or(Rejection::NothingSelected)?;
                let entry = self.open_checked()?;
                let old = entry
                    .annotations
                    .iter()
                    .find(|a| a.id == id)
                    .ok_or(Rejection::NothingSelected)?;
                if old.label == label {
                    return Ok(Plan::Nothing);
                }
                let what = What::Relabel {
                    from: self.label_name(&old.label),
                    to: self.label_name(&label),
                };
                // Relabelling onto an existing identical span would duplicate it: merge instead.
                if let Some(same) = entry
                    .annotations
                    .iter()
                    .find(|a| a.start == old.start && a.end == old.end && a.label == label)
                {
                    let remove = SpanChange {
                        before: Some(self.span_record(old)),
                        after: None,
                    };
                    return Ok(Plan::Edit {
                        what,
                        patch: self.span_edit(entry, vec![remove]),
                        select: After::Set(Some(same.id.clone())),
                    });
                }
                let new = Annotation {
                    label,
                    ..Annotation::clone(old)
                };
                Ok(Plan::Edit {
                    what,
                    patch: self.span_edit(entry, vec![self.update(old, new)]),
                    select: After::Keep,
                })
            }
            Action::DeleteSelected => {
                let id = self.selected.clone().ok_or(Rejection::NothingSelected)?;
                let entry = self.open_checked()?;
                let old = entry
                    .annotations
                    .iter()
                    .find(|a| a.id == id)
                    .ok_or(Rejection::NothingSelected)?;
                let remove = SpanChange {
                    before: Some(self.span_record(old)),
                    after: None,
                };
                Ok(Plan::Edit {
                    what: What::Delete(self.label_name(&old.label)),
                    patch: self.span_edit(entry, vec![remove]),
                    select: After::Set(None),
                })
            }
            Action::Resize { id, start, end } => {
                let entry = self.open_checked()?;
                let (start, end) = trimmed(entry, start, end)?;
                let old = entry
                    .annotations
                    .iter()
                    .find(|a| a.id == id)
                    .ok_or(Rejection::NothingSelected)?;
                if (old.start, old.end) == (start, end) {
                    return Ok(Plan::Nothing);
                }
                if entry
                    .annotations
                    .iter()
                    .any(|a| a.start == start && a.end == end && a.label == old.label)
                {
                    return Err(Rejection::SameSpanExists {
                        label: old.label.clone(),
                    });
                }
                let new = Annotation {
                    start,
                    end,
                    ..Annotation::clone(old)
                };
                Ok(Plan::Edit {
                    what: What::Resize(self.label_name(&old.label)),
                    patch: self.span_edit(entry, vec![self.update(old, new)]),
                    select: After::Keep,
                })
            }
            Action::SetNote { id, note } => {
                let entry = self.open_checked()?;
                let old = entry
                    .annotations
                    .iter()
                    .find(|a| a.id == id)
                    .ok_or(Rejection::NothingSelected)?;
                let note = note.filter(|n| !n.trim().is_empty());
                if old.note == note {
                    return Ok(Plan::Nothing);
                }
                let what = What::Note {
                    cleared: note.is_none(),
                };
                let new = Annotation {
                    note,
                    ..Annotation::clone(old)
                };
                Ok(Plan::Edit {
                    what,
                    patch: self.span_edit(entry, vec![self.update(old, new)]),
                    select: After::Keep,
                })
            }
            Action::TagAll {
                label,
                ranges,
                ids,
                created_at,
            } => self.plan_tag_all(label, ranges, ids, created_at),
            Action::AddLabel(label) => {
                let name = validate::label_name(&label.name, &self.labels, None)?;
                let color = validate::color(&label.color)?;
                let key = validate::key(&label.key, &self.labels, None)?;
                let id = self.history.new_label_id();
                Ok(Plan::Edit {
                    what: What::AddLabel(LabelName {
                        id: Some(id),
                        name: name.clone(),
                    }),
                    patch: Patch::Label(LabelPatch::Add {
                        index: self.labels.len(),
                        id,
                        label: Label { name, color, key },
                    }),
                    select: After::Keep,
                })
            }
            Action::RenameLabel { from, to } => {
                let at = self.label_at(&from)?;
                let to = validate::label_name(&to, &self.labels, Some(at))?;
                if to == from {
                    return Ok(Plan::Nothing);
                }
                Ok(Plan::Edit {
                    what: What::RenameLabel {
                        from: from.clone(),
                        to: to.clone(),
                    },
                    patch: Patch::Label(LabelPatch::Rename {
                        id: self.history.label_ids[at],
                        before: from,
                        after: to,
                    }),
                    select: After::Keep,
                })
            }
            Action::RecolorLabel { name, color } => {
                let at = self.label_at(&name)?;
                let color = validate::color(&color)?;
                if self.labels[at].color == color {
                    return Ok(Plan::Nothing);
                }
                Ok(Plan::Edit {
                    what: What::RecolorLabel(self.label_name(&name)),
                    patch: Patch::Label(LabelPatch::Recolor {
                        id: self.history.label_ids[at],
                        before: self.labels[at].color.clone(),
                        after: color,
                    }),
                    select: After::Keep,
                })
            }
            Action::RebindLabel { name, key } => {
                let at = self.label_at(&name)?;
                let key = validate::key(&key, &self.labels, Some(at))?;
                if self.labels[at].key == key {
                    return Ok(Plan::Nothing);
                }
                Ok(Plan::Edit {
                    what: What::RebindLabel {
                        label: self.label_name(&name),
                        key: key.clone(),
                    },
                    patch: Patch::Label(LabelPatch::Rebind {
                        id: self.history.label_ids[at],
                        before: self.labels[at].key.clone(),
                        after: key,
                    }),
                    select: After::Keep,
                })
            }
            Action::RemoveLabel(name) => {
                let at = self.label_at(&name)?;
                Ok(Plan::Edit {
                    what: What::RemoveLabel(self.label_name(&name)),
                    // Applying it finds the spans to remove.
                    patch: Patch::Label(LabelPatch::Remove {
                        index: at,
                        id: self.history.label_ids[at],
                        label: self.labels[at].clone(),
                        spans: Vec::new(),
                    }),
                    select: After::Keep,
                })
            }
            Action::SetStatus { sha256, status } => {
                let entry = self.entry(&sha256).ok_or(Rejection::UnknownDocument)?;
                if entry.status == status {
                    return Ok(Plan::Nothing);
                }
                Ok(Plan::Edit {
                    what: What::Status(status),
                    patch: Patch::Document(DocPatch {
                        sha: Rc::from(sha256.as_str()),
                        spans: Vec::new(),
                        status: Some((entry.status, status)),
                    }),
                    select: After::Keep,
                })
            }
            Action::RenameDocument { sha256, name } => {
                let entry = self.entry(&sha256).ok_or(Rejection::UnknownDocument)?;
                let name = validate::document_name(&name)?;
                if entry.doc.name == name {
                    return Ok(Plan::Nothing);
                }
                Ok(Plan::Edit {
                    what: What::RenameDocument {
                        from: entry.doc.name.clone(),
                        to: name.clone(),
                    },
                    patch: Patch::RenameDocument {
                        sha: Rc::from(sha256.as_str()),
                        before: entry.doc.name.clone(),
                        after: name,
                    },
                    select: After::Keep,
                })
            }
            Action::RemoveDocument(sha256) => {
                let index = self
                    .entries
                    .iter()
                    .position(|e| e.doc.sha256() == sha256)
                    .ok_or(Rejection::UnknownDocument)?;
                let entry = self.entries[index].clone();
                Ok(Plan::Edit {
                    what: What::RemoveDocument(entry.doc.name.clone()),
                    // Applying it takes the document's history along.
                    patch: Patch::RemoveDocument(PlacedEntry {
                        index,
                        entry,
                        history: Default::default(),
                        was_open: false,
                    }),
                    select: After::Keep,
                })
            }
            Action::Import { labels, changes } => self.plan_import(labels, changes),
            Action::AddDocuments(_)
            | Action::Restore { .. }
            | Action::Open(_)
            | Action::Select(_)
            | Action::ReplaceAnnotations { .. }
            | Action::Undo
            | Action::Redo => unreachable!("not an edit: handled by apply"),
        }
    }

    fn plan_tag_all(
        &mut self,
        label: String,
        ranges: Vec<(usize, usize)>,
        ids: Vec<AnnotationId>,
        created_at: String,
    ) -> Result<Plan, Rejection> {
        self.label_at(&label)?;
        let entry = self.open_checked()?;
        if ids.len() < ranges.len() {
            return Err(Rejection::MissingIds {
                ranges: ranges.len(),
                ids: ids.len(),
            });
        }
        let len = entry.doc.len();
        if let Some(&(_, end)) = ranges.iter().find(|&&(_, end)| end > len) {
            return Err(Rejection::OutOfRange { end, len });
        }
        let mut covered: HashSet<(usize, usize)> = entry
            .annotations
            .iter()
            .filter(|a| a.label == label)
            .map(|a| (a.start, a.end))
            .collect();
        let mut used: HashSet<&str> = entry.annotations.iter().map(|a| a.id.as_str()).collect();
        let mut added = Vec::new();
        for (&(start, end), id) in ranges.iter().zip(&ids) {
            let Some((start, end)) =
                trim_whitespace(entry.doc.text(), entry.doc.index(), start, end)
            else {
                continue;
            };
            if !covered.insert((start, end)) {
                continue;
            }
            if !used.insert(id) {
                return Err(Rejection::DuplicateId(id.clone()));
            }
            added.push(Annotation {
                id: id.clone(),
                label: label.clone(),
                start,
                end,
                created_at: created_at.clone(),
                note: None,
            });
        }
        if added.is_empty() {
            return Err(Rejection::NothingToTag { label });
        }
        added.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
        let what = What::TagAll {
            label: self.label_name(&label),
            count: added.len(),
        };
        let inserts = added
            .iter()
            .map(|a| SpanChange {
                before: None,
                after: Some(self.span_record(a)),
            })
            .collect();
        Ok(Plan::Edit {
            what,
            patch: self.span_edit(entry, inserts),
            select: After::FirstTouched,
        })
    }

    fn plan_import(
        &mut self,
        labels: Vec<Label>,
        changes: Vec<DocumentChange>,
    ) -> Result<Plan, Rejection> {
        // One change per document; a later change of the same document wins.
        let mut merged: Vec<DocumentChange> = Vec::with_capacity(changes.len());
        for change in changes {
            match merged.iter_mut().find(|c| c.sha256 == change.sha256) {
                Some(earlier) => {
                    earlier.annotations = change.annotations;
                    earlier.status = change.status.or(earlier.status);
                    if earlier.add.is_none() {
                        earlier.add = change.add;
                    }
                }
                None => merged.push(change),
            }
        }
        let mut new_labels: Vec<Label> = Vec::new();
        for label in labels {
            if self.label(&label.name).is_none() && !new_labels.iter().any(|l| l.name == label.name)
            {
                new_labels.push(label);
            }
        }
        let declared =
            |name: &str| self.label(name).is_some() || new_labels.iter().any(|l| l.name == name);
        let mut documents = Vec::new();
        let mut added = Vec::new();
        for change in merged {
            let existing = self.entry(&change.sha256);
            let doc = match (existing, &change.add) {
                (Some(entry), _) => entry.doc.clone(),
                (None, Some(doc)) => doc.clone(),
                (None, None) => return Err(Rejection::UnknownDocument),
            };
            let mut annotations = change.annotations;
            let mut ids = HashSet::new();
            for a in &annotations {
                if !declared(&a.label) {
                    return Err(Rejection::UnknownLabel(a.label.clone()));
                }
                if a.start >= a.end {
                    return Err(Rejection::EmptyRange);
                }
                if a.end > doc.len() {
                    return Err(Rejection::OutOfRange {
                        end: a.end,
                        len: doc.len(),
                    });
                }
                if !ids.insert(a.id.as_str()) {
                    return Err(Rejection::DuplicateId(a.id.clone()));
                }
            }
            let mut keys = HashSet::new();
            annotations.retain(|a| keys.insert((a.start, a.end, a.label.clone())));
            annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            match existing {
                Some(entry) => {
                    let status = change
                        .status
                        .filter(|&s| s != entry.status)
                        .map(|s| (entry.status, s));
                    let spans = self.diff(&entry.annotations, &annotations);
                    if status.is_some() || !spans.is_empty() {
                        documents.push(DocPatch {
                            sha: Rc::from(change.sha256.as_str()),
                            spans,
                            status,
                        });
                    }
                }
                None => added.push(PlacedEntry {
                    index: self.entries.len() + added.len(),
                    entry: Entry {
                        doc,
                        annotations: Rc::new(shared(annotations)),
                        status: change.status.unwrap_or_default(),
                    },
                    history: Default::default(),
                    was_open: false,
                }),
            }
        }
        if new_labels.is_empty() && documents.is_empty() && added.is_empty() {
            return Ok(Plan::Nothing);
        }
        let labels = new_labels
            .into_iter()
            .map(|l| (self.history.new_label_id(), l))
            .collect::<Vec<_>>();
        // Spans after the import may use the new labels, which had no
        // identity when the diff was taken.
        let documents: Vec<DocPatch> = documents
            .into_iter()
            .map(|mut d| {
                for record in d.spans.iter_mut().filter_map(|c| c.after.as_mut()) {
                    if record.label.is_none() {
                        record.label = labels
                            .iter()
                            .find(|(_, l)| l.name == record.annotation.label)
                            .map(|(id, _)| *id);
                    }
                }
                d
            })
            .collect();
        Ok(Plan::Edit {
            what: What::Import {
                documents: documents.len() + added.len(),
            },
            patch: Patch::Import(ImportPatch {
                labels,
                documents,
                added,
            }),
            select: After::Keep,
        })
    }

    /// The span changes turning `old` into `new` (by id).
    fn diff(&self, old: &[Rc<Annotation>], new: &[Annotation]) -> Vec<SpanChange> {
        let by_id: HashMap<&str, &Annotation> =
            old.iter().map(|a| (a.id.as_str(), a.as_ref())).collect();
        let kept: HashSet<&str> = new.iter().map(|a| a.id.as_str()).collect();
        let mut changes: Vec<SpanChange> = old
            .iter()
            .filter(|a| !kept.contains(a.id.as_str()))
            .map(|a| SpanChange {
                before: Some(self.span_record(a)),
                after: None,
            })
            .collect();
        for a in new {
            match by_id.get(a.id.as_str()) {
                Some(&b) if b == a => {}
                Some(&b) => changes.push(self.update(b, a.clone())),
                None => changes.push(SpanChange {
                    before: None,
                    after: Some(self.span_record(a)),
                }),
            }
        }
        changes
    }
}

/// The step as undone or redone: with what applying it found out, if anything.
fn refreshed(step: Rc<Step>, found: Option<Patch>) -> Rc<Step> {
    match found {
        None => step,
        Some(patch) => Rc::new(Step {
            seq: step.seq,
            what: step.what.clone(),
            patch,
        }),
    }
}

/// `[start, end)` of `entry`'s text, checked and trimmed of whitespace.
fn trimmed(entry: &Entry, start: usize, end: usize) -> Result<(usize, usize), Rejection> {
    let len = entry.doc.len();
    if end > len {
        return Err(Rejection::OutOfRange { end, len });
    }
    trim_whitespace(entry.doc.text(), entry.doc.index(), start, end).ok_or(Rejection::EmptyRange)
}
