//! Bringing texts in: files picked or dropped, and pasted text. Decodes each
//! file (see `crate::import::decode`), refuses what cannot be a text with a
//! message naming the file and what is wrong, keeps files that are not UTF-8
//! aside so the user can choose Windows-1252 for them, and tells the user
//! when a text is already in the corpus instead of adding it twice.

use std::collections::HashSet;
use std::rc::Rc;

use crate::dom::files::{PickedFile, ReadProblem};
use crate::import::decode::{decode_text, TextEncoding, TextFileError, MAX_TEXT_BYTES};
use crate::model::Document;
use crate::store::State;

/// A file that is not UTF-8, waiting for the user to choose an encoding.
#[derive(Debug, Clone, PartialEq)]
pub struct EncodingQuestion {
    pub name: String,
    pub bytes: Rc<Vec<u8>>,
    /// Why it was refused as UTF-8 (names the byte position).
    pub problem: String,
}

/// What to do with a batch of texts.
#[derive(Default)]
pub struct Intake {
    /// New documents, in the order given.
    pub documents: Vec<Document>,
    /// Messages for the user: refusals and texts already present.
    pub messages: Vec<String>,
    pub questions: Vec<EncodingQuestion>,
}

impl Intake {
    /// Adds `name`/`text` unless the corpus (or this batch) has it already.
    pub fn offer(&mut self, state: &State, document: Document) {
        let sha = document.sha256();
        if let Some(existing) = state.entry(sha) {
            self.messages.push(format!(
                "{} is already in the corpus as “{}”, so it was not added again.",
                document.name, existing.doc.name
            ));
        } else if let Some(twin) = self.documents.iter().find(|d| d.sha256() == sha) {
            self.messages.push(format!(
                "{} has the same text as {}, so it was added once.",
                document.name, twin.name
            ));
        } else {
            self.documents.push(document);
        }
    }

    /// Decodes one file read from disk with `encoding`.
    pub fn offer_file(&mut self, state: &State, file: PickedFile, encoding: TextEncoding) {
        match decode_text(&file.name, &file.bytes, encoding) {
            Ok(text) => self.offer(state, Document::new(&file.name, &text)),
            Err(problem @ TextFileError::NotUtf8 { .. }) => self.questions.push(EncodingQuestion {
                name: file.name,
                bytes: Rc::new(file.bytes),
                problem: problem.to_string(),
            }),
            Err(problem) => self.messages.push(format!("{problem}.")),
        }
    }

    pub fn refuse(&mut self, problem: ReadProblem) {
        self.messages.push(match problem {
            ReadProblem::TooLarge { name, bytes } => format!(
                "{}.",
                TextFileError::TooLarge {
                    name,
                    bytes,
                    limit: MAX_TEXT_BYTES,
                }
            ),
            ReadProblem::Unreadable { name, reason } => {
                format!("{name} could not be read: {reason}.")
            }
        });
    }
}

/// A name for pasted text that no document in `state` has yet.
pub fn pasted_name(state: &State, asked: &str) -> String {
    let asked = asked.trim();
    let taken: HashSet<&str> = state.entries.iter().map(|e| e.doc.name.as_str()).collect();
    if !asked.is_empty() {
        return asked.to_owned();
    }
    (1..)
        .map(|n| format!("Pasted text {n}"))
        .find(|name| !taken.contains(name.as_str()))
        .expect("some number is free")
}
