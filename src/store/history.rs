//! The undo and redo stacks: one pair per document and one pair for the
//! corpus (label changes, imports, document renames and removals), ordered
//! by one global sequence number.
//!
//! The stacks are persistent linked lists behind `Rc`: the Yew shell clones
//! [`State`](super::State) on every action while the previous state stays
//! alive, so cloning the history must cost O(documents), never O(steps).
//! A push shares everything below it; an undo or redo moves one node.
//!
//! What a step *does* lives in [`super::patch`]; this module only keeps the
//! steps in order and names them for people.

use std::collections::HashMap;
use std::fmt;
use std::rc::Rc;

use super::patch::{LabelId, Patch};
use crate::model::{Label, Status};

/// Each undo stack keeps at least this many steps and at most twice as many:
/// when it reaches twice, it is cut back to this many in one O(this) pass,
/// so an edit costs O(1) amortised (a linked list cannot drop its bottom
/// node without copying the rest).
pub const STEPS_KEPT: usize = 1000;

/// One undoable edit.
#[derive(Debug)]
pub(super) struct Step {
    /// When the edit was made (global order across every stack).
    pub seq: u64,
    pub what: What,
    pub patch: Patch,
}

/// Which stacks a step lives on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum Scope {
    Corpus,
    Document(Rc<str>),
}

struct Node {
    step: Rc<Step>,
    /// On a redo stack: when the step was undone (global order), so Redo
    /// takes the most recently undone step. Unused on undo stacks.
    undone_at: u64,
    below: Option<Rc<Node>>,
}

impl Drop for Node {
    // Unlink iteratively: the default drop would recurse once per node.
    fn drop(&mut self) {
        let mut below = self.below.take();
        while let Some(node) = below {
            match Rc::try_unwrap(node) {
                Ok(mut node) => below = node.below.take(),
                Err(_) => break,
            }
        }
    }
}

/// A persistent stack of steps, newest on top.
#[derive(Clone, Default)]
struct List {
    top: Option<Rc<Node>>,
    len: usize,
}

impl List {
    fn peek(&self) -> Option<&Node> {
        self.top.as_deref()
    }

    fn push(&mut self, step: Rc<Step>, undone_at: u64) {
        let below = self.top.take();
        self.top = Some(Rc::new(Node {
            step,
            undone_at,
            below,
        }));
        self.len += 1;
    }

    fn pop(&mut self) -> Option<Rc<Step>> {
        let node = self.top.take()?;
        self.top = node.below.clone();
        self.len -= 1;
        Some(node.step.clone())
    }

    fn steps(&self) -> impl Iterator<Item = &Rc<Step>> {
        std::iter::successors(self.top.as_deref(), |n| n.below.as_deref()).map(|n| &n.step)
    }

    /// Keeps the top `keep` steps; returns the `seq` of the first dropped.
    fn truncate(&mut self, keep: usize) -> Option<u64> {
        if self.len <= keep {
            return None;
        }
        let kept: Vec<(Rc<Step>, u64)> =
            std::iter::successors(self.top.as_deref(), |n| n.below.as_deref())
                .take(keep + 1)
                .map(|n| (n.step.clone(), n.undone_at))
                .collect();
        let dropped = kept.get(keep).map(|(s, _)| s.seq);
        let mut list = List::default();
        for (step, undone_at) in kept.into_iter().take(keep).rev() {
            list.push(step, undone_at);
        }
        *self = list;
        dropped
    }

    fn ptr_eq(&self, other: &List) -> bool {
        match (&self.top, &other.top) {
            (Some(a), Some(b)) => Rc::ptr_eq(a, b),
            (None, None) => true,
            _ => false,
        }
    }
}

/// A document's (or the corpus's) undo and redo stacks.
#[derive(Clone, Default)]
pub(super) struct Stacks {
    undo: List,
    redo: List,
    /// The newest sequence number of a change to this document that is not
    /// on `undo`: another tab's save (`ReplaceAnnotations`) or steps dropped
    /// by the cap. A corpus step older than this that touches the
    /// document's spans can no longer be undone or redone exactly.
    pub floor: u64,
}

impl Stacks {
    /// Steps on the undo stack newer than `seq`, newest first.
    pub fn undo_newer_than(&self, seq: u64) -> impl Iterator<Item = &Rc<Step>> {
        self.undo.steps().take_while(move |s| s.seq > seq)
    }

    /// Steps on the redo stack older than `seq`, the one undone last first.
    pub fn redo_older_than(&self, seq: u64) -> impl Iterator<Item = &Rc<Step>> {
        self.redo.steps().take_while(move |s| s.seq < seq)
    }

    fn ptr_eq(&self, other: &Stacks) -> bool {
        self.undo.ptr_eq(&other.undo) && self.redo.ptr_eq(&other.redo) && self.floor == other.floor
    }
}

impl fmt::Debug for Stacks {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Stacks {{ undo: {}, redo: {}, floor: {} }}",
            self.undo.len, self.redo.len, self.floor
        )
    }
}

/// Every undo and redo stack, the clock that orders them, and the stable
/// identities of the labels (so a step recorded before a label was renamed
/// still finds it).
#[derive(Clone)]
pub(super) struct History {
    /// The last sequence number handed out.
    clock: u64,
    /// `label_ids[i]` identifies `State::labels[i]`.
    pub label_ids: Rc<Vec<LabelId>>,
    next_label_id: LabelId,
    corpus: Stacks,
    documents: HashMap<Rc<str>, Stacks>,
}

impl History {
    pub fn new(label_count: usize) -> Self {
        History {
            clock: 0,
            label_ids: Rc::new((0..label_count as LabelId).collect()),
            next_label_id: label_count as LabelId,
            corpus: Stacks::default(),
            documents: HashMap::new(),
        }
    }

    /// Gives labels fresh identities if `State::labels` was changed behind
    /// the reducer's back; steps naming the old identities then conflict
    /// instead of touching the wrong label.
    pub fn sync_label_ids(&mut self, label_count: usize) {
        if self.label_ids.len() != label_count {
            let ids = (0..label_count).map(|_| self.new_label_id()).collect();
            self.label_ids = Rc::new(ids);
        }
    }

    pub fn new_label_id(&mut self) -> LabelId {
        self.next_label_id += 1;
        self.next_label_id - 1
    }

    fn tick(&mut self) -> u64 {
        self.clock += 1;
        self.clock
    }

    fn stacks_mut(&mut self, scope: &Scope) -> &mut Stacks {
        match scope {
            Scope::Corpus => &mut self.corpus,
            Scope::Document(sha) => self.documents.entry(sha.clone()).or_default(),
        }
    }

    pub fn document(&self, sha: &str) -> Option<&Stacks> {
        self.documents.get(sha)
    }

    pub fn corpus(&self) -> &Stacks {
        &self.corpus
    }

    /// Starts a new edit on `scope`: its redo side is discarded, with what
    /// depends on it. Called before the edit applies, while the documents
    /// it may take away (with their stacks) are still in the corpus.
    pub fn begin_edit(&mut self, scope: &Scope) {
        let discarded = std::mem::take(&mut self.stacks_mut(scope).redo);
        self.drop_dependents(scope, &discarded);
    }

    /// Records a new edit (after [`History::begin_edit`]): it gets the next
    /// sequence number.
    pub fn record(&mut self, what: What, patch: Patch) {
        let seq = self.tick();
        let scope = patch.scope();
        let stacks = self.stacks_mut(&scope);
        debug_assert_eq!(stacks.redo.len, 0, "begin_edit discards the redo side");
        stacks.undo.push(Rc::new(Step { seq, what, patch }), 0);
        trim(stacks, &scope);
    }

    /// Steps undone on other stacks that depend on a discarded (never to be
    /// redone) step of `scope` can never be redone either: drops them, and
    /// what was undone before them on the same stack (newer, so possibly
    /// depending on them too).
    fn drop_dependents(&mut self, scope: &Scope, discarded: &List) {
        if discarded.len == 0 {
            return;
        }
        let depends = |sha: &str, corpus: &Step, document: &Step| {
            corpus.seq != document.seq && corpus.patch.conflicts_with(sha, &document.patch)
        };
        match scope {
            Scope::Corpus => {
                for (sha, stacks) in &mut self.documents {
                    let cut = stacks.redo.steps().position(|d| {
                        discarded
                            .steps()
                            .any(|c| c.seq < d.seq && depends(sha, c, d))
                    });
                    if let Some(keep) = cut {
                        stacks.redo.truncate(keep);
                    }
                }
            }
            Scope::Document(sha) => {
                let cut = self.corpus.redo.steps().position(|c| {
                    discarded
                        .steps()
                        .any(|d| d.seq < c.seq && depends(sha, c, d))
                });
                if let Some(keep) = cut {
                    self.corpus.redo.truncate(keep);
                }
            }
        }
    }

    /// The step Undo would take with `open` open: the newer of the
    /// document's and the corpus's last steps.
    pub fn undo_candidate(&self, open: Option<&str>) -> Option<(Scope, Rc<Step>)> {
        let corpus = self.corpus.undo.peek().map(|n| (Scope::Corpus, n));
        let document = open.and_then(|sha| {
            let (key, stacks) = self.documents.get_key_value(sha)?;
            Some((Scope::Document(key.clone()), stacks.undo.peek()?))
        });
        [corpus, document]
            .into_iter()
            .flatten()
            .max_by_key(|(_, n)| n.step.seq)
            .map(|(scope, n)| (scope, n.step.clone()))
    }

    /// The step Redo would take with `open` open: of the document's and the
    /// corpus's undone steps, the one undone last.
    pub fn redo_candidate(&self, open: Option<&str>) -> Option<(Scope, Rc<Step>)> {
        let corpus = self.corpus.redo.peek().map(|n| (Scope::Corpus, n));
        let document = open.and_then(|sha| {
            let (key, stacks) = self.documents.get_key_value(sha)?;
            Some((Scope::Document(key.clone()), stacks.redo.peek()?))
        });
        [corpus, document]
            .into_iter()
            .flatten()
            .max_by_key(|(_, n)| n.undone_at)
            .map(|(scope, n)| (scope, n.step.clone()))
    }

    /// Moves the top undo step of `scope` to its redo stack, as `step` (the
    /// same step, with what the undo found out to redo it exactly).
    pub fn undone(&mut self, scope: &Scope, step: Rc<Step>) {
        let undone_at = self.tick();
        let stacks = self.stacks_mut(scope);
        let popped = stacks.undo.pop();
        debug_assert_eq!(popped.map(|s| s.seq), Some(step.seq));
        stacks.redo.push(step, undone_at);
    }

    /// Moves the top redo step of `scope` back to its undo stack, as `step`.
    pub fn redone(&mut self, scope: &Scope, step: Rc<Step>) {
        let stacks = self.stacks_mut(scope);
        let popped = stacks.redo.pop();
        debug_assert_eq!(popped.map(|s| s.seq), Some(step.seq));
        stacks.undo.push(step, 0);
        trim(stacks, scope);
    }

    /// Another tab replaced this document's annotations: its steps describe
    /// a list that is gone, so they are dropped. So are corpus steps that
    /// changed its spans, and the corpus steps older than them (undone ones:
    /// newer), since they can no longer be undone or redone exactly.
    pub fn forget_document(&mut self, sha: &str) {
        let floor = self.tick();
        self.documents.insert(
            Rc::from(sha),
            Stacks {
                floor,
                ..Stacks::default()
            },
        );
        for list in [&mut self.corpus.undo, &mut self.corpus.redo] {
            let cut = list.steps().position(|c| c.patch.touches_document(sha));
            if let Some(keep) = cut {
                list.truncate(keep);
            }
        }
    }

    /// Takes a document's stacks out (the document leaves the corpus).
    pub fn take_document(&mut self, sha: &str) -> Stacks {
        self.documents.remove(sha).unwrap_or_default()
    }

    /// Puts a document's stacks back (the document returns).
    pub fn put_document(&mut self, sha: &str, stacks: Stacks) {
        self.documents.insert(Rc::from(sha), stacks);
    }
}

fn trim(stacks: &mut Stacks, scope: &Scope) {
    if stacks.undo.len > 2 * STEPS_KEPT {
        if let Some(dropped) = stacks.undo.truncate(STEPS_KEPT) {
            if let Scope::Document(_) = scope {
                stacks.floor = stacks.floor.max(dropped);
            }
        }
    }
}

impl PartialEq for History {
    /// Same stacks by identity: cheap, and exact for "did this action change
    /// the history" (an unchanged history keeps its nodes).
    fn eq(&self, other: &Self) -> bool {
        self.clock == other.clock
            && self.label_ids == other.label_ids
            && self.next_label_id == other.next_label_id
            && self.corpus.ptr_eq(&other.corpus)
            && self.documents.len() == other.documents.len()
            && self
                .documents
                .iter()
                .all(|(sha, s)| other.documents.get(sha).is_some_and(|o| s.ptr_eq(o)))
    }
}

impl fmt::Debug for History {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("History")
            .field("clock", &self.clock)
            .field("label_ids", &self.label_ids)
            .field("corpus", &self.corpus)
            .field("documents", &self.documents.len())
            .finish()
    }
}

/// A label as a step names it: by identity, with the name it had then (used
/// if the label is gone).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) struct LabelName {
    pub id: Option<LabelId>,
    pub name: String,
}

/// What a step did, for people: "delete claim", "rename label claim to
/// assertion". Labels are named as they are called now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(super) enum What {
    Create(LabelName),
    TagAll { label: LabelName, count: usize },
    Delete(LabelName),
    Relabel { from: LabelName, to: LabelName },
    Resize(LabelName),
    Note { cleared: bool },
    Status(Status),
    AddLabel(LabelName),
    RenameLabel { from: String, to: String },
    RecolorLabel(LabelName),
    RebindLabel { label: LabelName, key: String },
    RemoveLabel(LabelName),
    RenameDocument { from: String, to: String },
    RemoveDocument(String),
    Import { documents: usize },
}

impl What {
    pub fn describe(&self, labels: &[Label], ids: &[LabelId]) -> String {
        let name = |l: &LabelName| -> String {
            l.id.and_then(|id| ids.iter().position(|&x| x == id))
                .and_then(|i| labels.get(i))
                .map_or_else(|| l.name.clone(), |label| label.name.clone())
        };
        match self {
            What::Create(l) => format!("add {}", name(l)),
            What::TagAll { label, count } => format!(
                "tag {count} {} as {}",
                if *count == 1 { "match" } else { "matches" },
                name(label)
            ),
            What::Delete(l) => format!("delete {}", name(l)),
            What::Relabel { from, to } => format!("relabel {} as {}", name(from), name(to)),
            What::Resize(l) => format!("resize {}", name(l)),
            What::Note { cleared: false } => "edit note".to_owned(),
            What::Note { cleared: true } => "remove note".to_owned(),
            What::Status(s) => format!("mark {}", s.title().to_lowercase()),
            What::AddLabel(l) => format!("add label {}", name(l)),
            What::RenameLabel { from, to } => format!("rename label {from} to {to}"),
            What::RecolorLabel(l) => format!("recolour label {}", name(l)),
            What::RebindLabel { label, key } => format!("bind label {} to key {key}", name(label)),
            What::RemoveLabel(l) => format!("remove label {}", name(l)),
            What::RenameDocument { from, to } => format!("rename {from} to {to}"),
            What::RemoveDocument(doc) => format!("remove {doc}"),
            What::Import { documents } => format!(
                "import into {documents} {}",
                if *documents == 1 {
                    "document"
                } else {
                    "documents"
                }
            ),
        }
    }
}
