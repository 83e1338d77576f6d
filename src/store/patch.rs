//! What an undoable step changed, as a patch that can be applied forwards
//! (do, redo) or backwards (undo): spans by id with their values before and
//! after, a label's old and new name/colour/key, a status before and after,
//! a removed document with its position and history.
//!
//! Patches, not snapshots: undoing a corpus step (say a label rename) must
//! not roll back later edits of other documents. Every application checks
//! that what it changes is still as the patch left it (a span to remove
//! still has the values the patch gave it, a span to restore is absent...)
//! and refuses otherwise, so a patch never applies to a state it does not
//! fit. Which out-of-order undos are allowed at all is decided beforehand
//! by [`Patch::conflicts_with`] (see `State::check_order`).
//!
//! Spans refer to labels by identity ([`LabelId`]), not name, so a step
//! recorded before a label was renamed restores the span under the label's
//! current name.

use std::collections::{HashMap, HashSet};
use std::rc::Rc;

use super::history::{Scope, Stacks};
use super::{Entry, Spans, State};
use crate::model::{Annotation, AnnotationId, Label, Status};

/// Up to this many spans, a patch finds and places spans one by one;
/// beyond, with a hash map and one sort.
const SMALL: usize = 8;

/// A label's identity, stable across renames. Private to the store.
pub(super) type LabelId = u64;

/// A span as a step remembers it.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SpanRecord {
    /// `annotation.label` is the name when recorded; `label` is what counts.
    pub annotation: Annotation,
    /// `None` when the span's label was not declared when recorded (data
    /// from an older session): the recorded name is then used as is.
    pub label: Option<LabelId>,
}

/// One span's change: inserted (`before` is `None`), removed (`after` is
/// `None`) or altered (both, same id).
#[derive(Debug, Clone, PartialEq)]
pub(super) struct SpanChange {
    pub before: Option<SpanRecord>,
    pub after: Option<SpanRecord>,
}

impl SpanChange {
    pub fn id(&self) -> &str {
        let record = self.before.as_ref().or(self.after.as_ref());
        &record.expect("a change has a side").annotation.id
    }

    fn labels(&self) -> impl Iterator<Item = LabelId> + '_ {
        [&self.before, &self.after]
            .into_iter()
            .flatten()
            .filter_map(|r| r.label)
    }
}

/// Changes to one document's spans and status.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct DocPatch {
    pub sha: Rc<str>,
    pub spans: Vec<SpanChange>,
    pub status: Option<(Status, Status)>,
}

impl DocPatch {
    fn references_label(&self, id: LabelId) -> bool {
        self.spans.iter().any(|c| c.labels().any(|l| l == id))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub(super) enum LabelPatch {
    /// A label appended at `index`.
    Add {
        index: usize,
        id: LabelId,
        label: Label,
    },
    Rename {
        id: LabelId,
        before: String,
        after: String,
    },
    Recolor {
        id: LabelId,
        before: String,
        after: String,
    },
    Rebind {
        id: LabelId,
        before: String,
        after: String,
    },
    /// A label removed from `index`, with the spans that used it, per
    /// document. Applying it forwards removes whatever spans use the label
    /// then, and records those.
    Remove {
        index: usize,
        id: LabelId,
        label: Label,
        spans: Vec<(Rc<str>, Spans)>,
    },
}

/// A document that left or joined the corpus: where it was, and all of it.
#[derive(Debug, Clone)]
pub(super) struct PlacedEntry {
    pub index: usize,
    pub entry: Entry,
    pub history: Stacks,
    /// It was the open document: it opens again when it comes back.
    pub was_open: bool,
}

#[derive(Debug, Clone)]
pub(super) struct ImportPatch {
    /// Labels appended, in order.
    pub labels: Vec<(LabelId, Label)>,
    /// Changes to documents already in the corpus.
    pub documents: Vec<DocPatch>,
    /// Documents the import added.
    pub added: Vec<PlacedEntry>,
}

#[derive(Debug, Clone)]
pub(super) enum Patch {
    Document(DocPatch),
    Label(LabelPatch),
    Import(ImportPatch),
    RenameDocument {
        sha: Rc<str>,
        before: String,
        after: String,
    },
    /// Applying it forwards removes the document as it is then (its spans,
    /// status and history), and records that.
    RemoveDocument(PlacedEntry),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Direction {
    Forward,
    Backward,
}

impl Direction {
    /// `(from, to)`: what the state must hold, and what it will hold.
    fn pick<T>(self, before: T, after: T) -> (T, T) {
        match self {
            Direction::Forward => (before, after),
            Direction::Backward => (after, before),
        }
    }
}

/// Why a patch does not fit the state, in words for people.
pub(super) type Conflict = String;

impl Patch {
    pub fn scope(&self) -> Scope {
        match self {
            Patch::Document(p) => Scope::Document(p.sha.clone()),
            _ => Scope::Corpus,
        }
    }

    /// Whether this corpus step changes spans or status of document `sha`
    /// (so it cannot move past an unrecorded change of that document).
    pub fn touches_document(&self, sha: &str) -> bool {
        match self {
            Patch::Label(LabelPatch::Remove { spans, .. }) => spans
                .iter()
                .any(|(s, list)| &**s == sha && !list.is_empty()),
            Patch::Import(p) => {
                p.documents.iter().any(|d| &*d.sha == sha)
                    || p.added.iter().any(|a| a.entry.doc.sha256() == sha)
            }
            _ => false,
        }
    }

    /// Whether this corpus step and the document step `other` (of document
    /// `sha`) depend on each other, so that one cannot be undone or redone
    /// while the other, newer, stays done. Label renames, colours and keys,
    /// document renames and removals commute with every document step
    /// (spans name labels by identity; a removed document has no steps
    /// outside it).
    pub fn conflicts_with(&self, sha: &str, other: &Patch) -> bool {
        let Patch::Document(step) = other else {
            return false;
        };
        match self {
            Patch::Label(LabelPatch::Add { id, .. }) => step.references_label(*id),
            Patch::Label(LabelPatch::Remove { id, spans, .. }) => {
                if step.references_label(*id) {
                    return true;
                }
                let ids: HashSet<&str> = step.spans.iter().map(SpanChange::id).collect();
                spans
                    .iter()
                    .filter(|(s, _)| &**s == sha)
                    .any(|(_, list)| list.iter().any(|a| ids.contains(a.id.as_str())))
            }
            Patch::Import(p) => {
                self.touches_document(sha)
                    || p.labels.iter().any(|(id, _)| step.references_label(*id))
            }
            _ => false,
        }
    }

    /// Spans of document `sha` this step inserted, removed or changed.
    pub fn touched_spans(&self, sha: &str) -> Vec<&str> {
        match self {
            Patch::Document(p) if &*p.sha == sha => p.spans.iter().map(SpanChange::id).collect(),
            Patch::Import(p) => p
                .documents
                .iter()
                .filter(|d| &*d.sha == sha)
                .flat_map(|d| d.spans.iter().map(SpanChange::id))
                .collect(),
            Patch::Label(LabelPatch::Remove { spans, .. }) => spans
                .iter()
                .filter(|(s, _)| &**s == sha)
                .flat_map(|(_, list)| list.iter().map(|a| a.id.as_str()))
                .collect(),
            _ => Vec::new(),
        }
    }
}

impl State {
    pub(super) fn label_position(&self, id: LabelId) -> Option<usize> {
        self.history.label_ids.iter().position(|&x| x == id)
    }

    pub(super) fn label_id(&self, name: &str) -> Option<LabelId> {
        let at = self.labels.iter().position(|l| l.name == name)?;
        self.history.label_ids.get(at).copied()
    }

    pub(super) fn span_record(&self, annotation: &Annotation) -> SpanRecord {
        SpanRecord {
            label: self.label_id(&annotation.label),
            annotation: annotation.clone(),
        }
    }

    /// Applies `patch` in direction `dir`. Returns the patch to keep for
    /// the opposite direction when applying found out more than the patch
    /// held (what a document or label removal took with it); `None` keeps
    /// the patch as it is. On `Err` the state may be half changed: callers
    /// apply patches to a copy.
    pub(super) fn run_patch(
        &mut self,
        patch: &Patch,
        dir: Direction,
    ) -> Result<Option<Patch>, Conflict> {
        match patch {
            Patch::Document(p) => self.run_document(p, dir).map(|()| None),
            Patch::Label(p) => self.run_label(p, dir),
            Patch::Import(p) => self.run_import(p, dir),
            Patch::RenameDocument { sha, before, after } => {
                let (from, to) = dir.pick(before, after);
                let entry = self.entry_mut(sha)?;
                if entry.doc.name != *from {
                    return Err(format!("the document is now called {}", entry.doc.name));
                }
                Rc::make_mut(&mut entry.doc).name = to.clone();
                Ok(None)
            }
            Patch::RemoveDocument(placed) => match dir {
                Direction::Forward => {
                    let removed = self.remove_document(placed.entry.doc.sha256())?;
                    Ok(Some(Patch::RemoveDocument(removed)))
                }
                Direction::Backward => {
                    self.restore_document(placed)?;
                    Ok(None)
                }
            },
        }
    }

    fn entry_mut(&mut self, sha: &str) -> Result<&mut Entry, Conflict> {
        self.entries
            .iter_mut()
            .find(|e| e.doc.sha256() == sha)
            .ok_or_else(|| "the document is no longer in the corpus".to_owned())
    }

    /// The annotation a record stands for now: under its label's current name.
    fn materialise(&self, record: &SpanRecord) -> Result<Annotation, Conflict> {
        let mut annotation = record.annotation.clone();
        if let Some(id) = record.label {
            let at = self
                .label_position(id)
                .ok_or_else(|| format!("the label {} was removed", annotation.label))?;
            annotation.label.clone_from(&self.labels[at].name);
        }
        Ok(annotation)
    }

    fn run_document(&mut self, patch: &DocPatch, dir: Direction) -> Result<(), Conflict> {
        // Each touched span: its id, what it must be now, what it becomes.
        let mut changes: Vec<(&str, Option<Annotation>, Option<Annotation>)> =
            Vec::with_capacity(patch.spans.len());
        for change in &patch.spans {
            let (from, to) = dir.pick(&change.before, &change.after);
            let from = from.as_ref().map(|r| self.materialise(r)).transpose()?;
            let to = to.as_ref().map(|r| self.materialise(r)).transpose()?;
            changes.push((change.id(), from, to));
        }
        let entry = self.entry_mut(&patch.sha)?;
        let name = entry.doc.name.clone();
        let changed = || format!("{name} has changed since");
        if let Some((before, after)) = patch.status {
            let (from, to) = dir.pick(before, after);
            if entry.status != from {
                return Err(changed());
            }
            entry.status = to;
        }
        if changes.is_empty() {
            return Ok(());
        }
        // An everyday edit touches one span: comparing ids beats hashing
        // every id of a long list.
        let by_id: Option<HashMap<&str, usize>> = (changes.len() > SMALL)
            .then(|| changes.iter().enumerate().map(|(i, c)| (c.0, i)).collect());
        let find = |id: &str| match &by_id {
            Some(map) => map.get(id).copied(),
            None => changes.iter().position(|c| c.0 == id),
        };
        let list = Rc::make_mut(&mut entry.annotations);
        let (mut fits, mut found) = (true, vec![false; changes.len()]);
        // Spans to insert in order: new ones, and changed ones whose order key changed.
        let mut to_place = Vec::new();
        list.retain_mut(|a| {
            let Some(i) = find(&a.id) else {
                return true;
            };
            let (_, from, to) = &changes[i];
            if found[i] || from.as_ref() != Some(&*a) {
                fits = false;
                return true;
            }
            found[i] = true;
            match to {
                None => false,
                Some(to) if to.order_key() == a.order_key() => {
                    *a = Rc::new(to.clone());
                    true
                }
                Some(to) => {
                    to_place.push(to.clone());
                    false
                }
            }
        });
        for ((_, from, to), &found) in changes.iter().zip(&found) {
            match (from, to, found) {
                (Some(_), _, false) | (None, _, true) => fits = false,
                (None, Some(to), false) => to_place.push(to.clone()),
                _ => {}
            }
        }
        if !fits {
            return Err(changed());
        }
        let twin = || format!("{name} already has that span");
        if to_place.len() <= SMALL {
            for a in to_place {
                let at = list.partition_point(|b| b.order_key() < a.order_key());
                let same =
                    |b: &Annotation| (b.start, b.end, &b.label) == (a.start, a.end, &a.label);
                if list.get(at).is_some_and(|b| same(b))
                    || at.checked_sub(1).is_some_and(|i| same(&list[i]))
                {
                    return Err(twin());
                }
                list.insert(at, Rc::new(a));
            }
        } else {
            let ids: HashSet<AnnotationId> = to_place.iter().map(|a| a.id.clone()).collect();
            list.extend(to_place.into_iter().map(Rc::new));
            list.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
            if has_twin(list, &ids) {
                return Err(twin());
            }
        }
        Ok(())
    }

    fn run_label(&mut self, patch: &LabelPatch, dir: Direction) -> Result<Option<Patch>, Conflict> {
        match patch {
            LabelPatch::Add { index, id, label } => match dir {
                Direction::Forward => {
                    self.insert_label(*index, *id, label.clone())?;
                    Ok(None)
                }
                Direction::Backward => {
                    self.remove_unused_label(*id)?;
                    Ok(None)
                }
            },
            LabelPatch::Rename { id, before, after } => {
                let (from, to) = dir.pick(before, after);
                let at = self.existing_label(*id)?;
                if self.labels[at].name != *from {
                    return Err(format!("the label is now called {}", self.labels[at].name));
                }
                if self.labels.iter().any(|l| l.name == *to) {
                    return Err(format!("another label is called {to}"));
                }
                Rc::make_mut(&mut self.labels)[at].name = to.clone();
                for entry in &mut self.entries {
                    if entry.annotations.iter().any(|a| a.label == *from) {
                        let list = Rc::make_mut(&mut entry.annotations);
                        for a in list.iter_mut().filter(|a| a.label == *from) {
                            Rc::make_mut(a).label = to.clone();
                        }
                        // The label is part of the order key.
                        list.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                    }
                }
                Ok(None)
            }
            LabelPatch::Recolor { id, before, after } => {
                let (from, to) = dir.pick(before, after);
                let at = self.existing_label(*id)?;
                if self.labels[at].color != *from {
                    return Err(format!(
                        "the label {} has another colour now",
                        self.labels[at].name
                    ));
                }
                Rc::make_mut(&mut self.labels)[at].color = to.clone();
                Ok(None)
            }
            LabelPatch::Rebind { id, before, after } => {
                let (from, to) = dir.pick(before, after);
                let at = self.existing_label(*id)?;
                if self.labels[at].key != *from {
                    return Err(format!(
                        "the label {} has another key now",
                        self.labels[at].name
                    ));
                }
                if let Some(other) = self.labels.iter().find(|l| l.key == *to) {
                    return Err(format!("the key {to} applies {} now", other.name));
                }
                Rc::make_mut(&mut self.labels)[at].key = to.clone();
                Ok(None)
            }
            LabelPatch::Remove {
                index,
                id,
                label,
                spans,
            } => match dir {
                Direction::Forward => {
                    let at = self.existing_label(*id)?;
                    let label = self.labels[at].clone();
                    let mut removed = Vec::new();
                    for entry in &mut self.entries {
                        if entry.annotations.iter().any(|a| a.label == label.name) {
                            let list = Rc::make_mut(&mut entry.annotations);
                            let (gone, kept) = std::mem::take(list)
                                .into_iter()
                                .partition(|a| a.label == label.name);
                            *list = kept;
                            removed.push((Rc::from(entry.doc.sha256()), gone));
                        }
                    }
                    Rc::make_mut(&mut self.labels).remove(at);
                    Rc::make_mut(&mut self.history.label_ids).remove(at);
                    Ok(Some(Patch::Label(LabelPatch::Remove {
                        index: at,
                        id: *id,
                        label,
                        spans: removed,
                    })))
                }
                Direction::Backward => {
                    self.insert_label(*index, *id, label.clone())?;
                    for (sha, list) in spans {
                        let entry = self.entry_mut(sha)?;
                        let name = entry.doc.name.clone();
                        let annotations = Rc::make_mut(&mut entry.annotations);
                        let ids: HashSet<AnnotationId> =
                            list.iter().map(|a| a.id.clone()).collect();
                        if annotations.iter().any(|b| ids.contains(&b.id)) {
                            return Err(format!("{name} has changed since"));
                        }
                        annotations.extend(list.iter().cloned());
                        annotations.sort_by(|a, b| a.order_key().cmp(&b.order_key()));
                        if has_twin(annotations, &ids) {
                            return Err(format!("{name} has changed since"));
                        }
                    }
                    Ok(None)
                }
            },
        }
    }

    fn existing_label(&self, id: LabelId) -> Result<usize, Conflict> {
        self.label_position(id)
            .ok_or_else(|| "the label was removed since".to_owned())
    }

    fn insert_label(&mut self, index: usize, id: LabelId, label: Label) -> Result<(), Conflict> {
        if self.labels.iter().any(|l| l.name == label.name) {
            return Err(format!("another label is called {}", label.name));
        }
        let at = index.min(self.labels.len());
        Rc::make_mut(&mut self.labels).insert(at, label);
        Rc::make_mut(&mut self.history.label_ids).insert(at, id);
        Ok(())
    }

    /// Removes a label no span uses.
    fn remove_unused_label(&mut self, id: LabelId) -> Result<(), Conflict> {
        let at = self.existing_label(id)?;
        let name = &self.labels[at].name;
        if let Some(entry) = self
            .entries
            .iter()
            .find(|e| e.annotations.iter().any(|a| &a.label == name))
        {
            return Err(format!("{} has spans labelled {name}", entry.doc.name));
        }
        Rc::make_mut(&mut self.labels).remove(at);
        Rc::make_mut(&mut self.history.label_ids).remove(at);
        Ok(())
    }

    fn run_import(
        &mut self,
        patch: &ImportPatch,
        dir: Direction,
    ) -> Result<Option<Patch>, Conflict> {
        match dir {
            Direction::Forward => {
                for (id, label) in &patch.labels {
                    self.insert_label(usize::MAX, *id, label.clone())?;
                }
                for document in &patch.documents {
                    self.run_document(document, dir)?;
                }
                for placed in &patch.added {
                    self.restore_document(placed)?;
                }
                Ok(None)
            }
            Direction::Backward => {
                let mut added = Vec::with_capacity(patch.added.len());
                for placed in patch.added.iter().rev() {
                    added.push(self.remove_document(placed.entry.doc.sha256())?);
                }
                added.reverse();
                for document in patch.documents.iter().rev() {
                    self.run_document(document, dir)?;
                }
                for (id, _) in patch.labels.iter().rev() {
                    self.remove_unused_label(*id)?;
                }
                Ok(Some(Patch::Import(ImportPatch {
                    labels: patch.labels.clone(),
                    documents: patch.documents.clone(),
                    added,
                })))
            }
        }
    }

    /// Takes a document out of the corpus with its history; opens a
    /// neighbour if it was open.
    pub(super) fn remove_document(&mut self, sha: &str) -> Result<PlacedEntry, Conflict> {
        let index = self
            .entries
            .iter()
            .position(|e| e.doc.sha256() == sha)
            .ok_or_else(|| "the document is no longer in the corpus".to_owned())?;
        let entry = self.entries.remove(index);
        let history = self.history.take_document(sha);
        let was_open = self.open.as_deref() == Some(sha);
        if was_open {
            let neighbour = self.entries.get(index).or(self.entries.last());
            self.open = neighbour.map(|e| e.doc.sha256().to_owned());
            self.selected = None;
        }
        Ok(PlacedEntry {
            index,
            entry,
            history,
            was_open,
        })
    }

    /// Puts a document back where it was; opens it if it was open or none is.
    fn restore_document(&mut self, placed: &PlacedEntry) -> Result<(), Conflict> {
        let sha = placed.entry.doc.sha256();
        if self.entry(sha).is_some() {
            return Err(format!("{} is in the corpus again", placed.entry.doc.name));
        }
        let at = placed.index.min(self.entries.len());
        self.entries.insert(at, placed.entry.clone());
        self.history.put_document(sha, placed.history.clone());
        if placed.was_open || self.open.is_none() {
            self.open = Some(sha.to_owned());
            self.selected = None;
        }
        Ok(())
    }
}

/// Whether one of the spans `ids` of `list` (sorted) has the same label and
/// range as another span.
fn has_twin(list: &[Rc<Annotation>], ids: &HashSet<AnnotationId>) -> bool {
    list.windows(2).any(|w| {
        (w[0].start, w[0].end, &w[0].label) == (w[1].start, w[1].end, &w[1].label)
            && (ids.contains(&w[0].id) || ids.contains(&w[1].id))
    })
}
