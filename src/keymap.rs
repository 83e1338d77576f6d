//! Every keyboard shortcut, in one table: which keys, what they do, and in
//! which group the `?` overlay lists them. [`command_for`] turns a key press
//! into a [`Command`]; the shell carries commands out. [`is_reserved`] tells
//! which keys a label may never be bound to, so a label key can never shadow
//! a shortcut. Pure: no browser types, tested natively.
//!
//! Two modes decide what the arrows do: with the caret in the text they
//! move it (Shift extends the selection); with a span selected, plain, Alt
//! and Shift arrows move the span's edges instead, and Escape leaves the span.

/// A key press as the browser reports it (`KeyboardEvent.key` and modifiers).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KeyPress<'a> {
    pub key: &'a str,
    pub ctrl: bool,
    pub alt: bool,
    pub shift: bool,
    pub meta: bool,
}

impl<'a> KeyPress<'a> {
    /// A key without modifiers.
    pub fn plain(key: &'a str) -> Self {
        KeyPress {
            key,
            ctrl: false,
            alt: false,
            shift: false,
            meta: false,
        }
    }

    /// Parses a combination as written in [`SHORTCUTS`]: modifiers joined to
    /// the key with `+` (`"Ctrl+Shift+ArrowLeft"`, `"?"`, `"+"`).
    pub fn parse(combo: &'a str) -> Self {
        let mut press = KeyPress::plain(combo);
        let mut rest = combo;
        while let Some((modifier, after)) = rest.split_once('+') {
            if after.is_empty() {
                break;
            }
            match modifier {
                "Ctrl" => press.ctrl = true,
                "Alt" => press.alt = true,
                "Shift" => press.shift = true,
                "Meta" => press.meta = true,
                _ => break,
            }
            rest = after;
        }
        press.key = rest;
        press
    }
}

/// Where the key press happens.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Context {
    /// The document text has the keyboard focus (the caret is live).
    pub in_text: bool,
    /// A span is selected.
    pub span_selected: bool,
}

/// How far a caret motion goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Motion {
    Grapheme,
    Word,
    Sentence,
    Paragraph,
    /// To the start or end of the line (Home / End).
    LineEdge,
    /// To the start or end of the document.
    DocumentEdge,
    /// Up or down one line as displayed (needs the layout: the shell does it).
    VisualLine,
}

/// Which end of a span moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum SpanEdge {
    Start,
    End,
}

/// How far a span edge moves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Word,
    Character,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Command {
    /// Moves the caret; `extend` keeps the selection's anchor where it is.
    MoveCaret {
        motion: Motion,
        forward: bool,
        extend: bool,
    },
    /// Selects the next (or previous) span in text order.
    NextSpan {
        forward: bool,
    },
    /// Selects the next of the spans under the caret (innermost first).
    CycleSpansAtCaret,
    /// Moves one edge of the selected span.
    ResizeSpan {
        edge: SpanEdge,
        forward: bool,
        step: Step,
    },
    /// Deselects the span (the caret stays), or clears the text selection.
    Leave,
    DeleteSpan,
    OpenNote,
    ShowShortcuts,
    ToggleSnapping,
    Undo,
    Redo,
    /// Opens the find bar (or moves focus to it).
    Find,
    /// Moves focus to the spans panel.
    FocusSpansPanel,
    /// Opens the label manager.
    ManageLabels,
    /// Opens the export dialog.
    Export,
    /// Opens the import dialog.
    Import,
    /// Opens the file picker for texts.
    OpenTexts,
    /// Opens the paste-text dialog.
    PasteText,
    /// Opens the next (or previous) document of the list.
    NextDocument {
        forward: bool,
    },
    /// Steps the open document's status: not started → in progress → done.
    CycleStatus,
    RenameDocument,
    /// Removes the open document (asking first when it has spans).
    RemoveDocument,
}

/// The groups of the `?` overlay, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Group {
    Caret,
    Spans,
    SelectedSpan,
    Editing,
    Documents,
    General,
}

impl Group {
    pub const ALL: [Group; 6] = [
        Group::Caret,
        Group::Spans,
        Group::SelectedSpan,
        Group::Editing,
        Group::Documents,
        Group::General,
    ];

    pub fn title(self) -> &'static str {
        match self {
            Group::Caret => "Caret and selection (in the text)",
            Group::Spans => "Spans",
            Group::SelectedSpan => "Selected span",
            Group::Editing => "Editing",
            Group::Documents => "Documents",
            Group::General => "General",
        }
    }
}

/// One line of the shortcut list: the key combinations (any of them works),
/// what they do, and where they are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shortcut {
    pub combos: &'static [&'static str],
    pub description: &'static str,
    pub group: Group,
    /// The context the combinations are checked in (tests use it).
    pub context: Context,
}

const ANYWHERE: Context = Context {
    in_text: false,
    span_selected: false,
};
const TEXT: Context = Context {
    in_text: true,
    span_selected: false,
};
const SPAN: Context = Context {
    in_text: true,
    span_selected: true,
};

/// Every shortcut. Label keys come from the label set and are listed
/// beside these by the overlay.
pub const SHORTCUTS: &[Shortcut] = &[
    Shortcut {
        combos: &["ArrowLeft", "ArrowRight"],
        description: "Move the caret by one character",
        group: Group::Caret,
        context: TEXT,
    },
    Shortcut {
        combos: &["Ctrl+ArrowLeft", "Ctrl+ArrowRight"],
        description: "Move to the start of the word / the end of the word",
        group: Group::Caret,
        context: TEXT,
    },
    Shortcut {
        combos: &["Alt+ArrowLeft", "Alt+ArrowRight"],
        description: "Move to the start of the sentence / the end of the sentence",
        group: Group::Caret,
        context: TEXT,
    },
    Shortcut {
        combos: &[
            "Ctrl+ArrowUp",
            "Ctrl+ArrowDown",
            "Alt+ArrowUp",
            "Alt+ArrowDown",
        ],
        description: "Move to the start of the paragraph / the end of the paragraph",
        group: Group::Caret,
        context: TEXT,
    },
    Shortcut {
        combos: &["ArrowUp", "ArrowDown"],
        description: "Move up or down one line",
        group: Group::Caret,
        context: TEXT,
    },
    Shortcut {
        combos: &["Home", "End"],
        description: "Move to the start / end of the line",
        group: Group::Caret,
        context: TEXT,
    },
    Shortcut {
        combos: &["Ctrl+Home", "Ctrl+End"],
        description: "Move to the start / end of the document",
        group: Group::Caret,
        context: TEXT,
    },
    Shortcut {
        combos: &[
            "Shift+ArrowLeft",
            "Shift+ArrowRight",
            "Ctrl+Shift+ArrowRight",
        ],
        description: "Add Shift to any move to extend the selection",
        group: Group::Caret,
        context: TEXT,
    },
    Shortcut {
        combos: &["Tab", "Shift+Tab"],
        description: "Select the next / previous span (past the last one, Tab leaves the text)",
        group: Group::Spans,
        context: TEXT,
    },
    Shortcut {
        combos: &["c"],
        description: "Cycle through the spans under the caret",
        group: Group::Spans,
        context: TEXT,
    },
    Shortcut {
        combos: &["ArrowLeft", "ArrowRight"],
        description: "Move the span's end one word left / right",
        group: Group::SelectedSpan,
        context: SPAN,
    },
    Shortcut {
        combos: &["Alt+ArrowLeft", "Alt+ArrowRight"],
        description: "Move the span's start one word left / right",
        group: Group::SelectedSpan,
        context: SPAN,
    },
    Shortcut {
        combos: &[
            "Shift+ArrowLeft",
            "Shift+ArrowRight",
            "Alt+Shift+ArrowLeft",
            "Alt+Shift+ArrowRight",
        ],
        description: "Add Shift to move an edge by one character",
        group: Group::SelectedSpan,
        context: SPAN,
    },
    Shortcut {
        combos: &["Enter"],
        description: "Open the span's note",
        group: Group::SelectedSpan,
        context: SPAN,
    },
    Shortcut {
        combos: &["Delete", "Backspace"],
        description: "Remove the span",
        group: Group::SelectedSpan,
        context: SPAN,
    },
    Shortcut {
        combos: &["Escape"],
        description: "Leave the span (the caret stays) or clear the selection",
        group: Group::SelectedSpan,
        context: SPAN,
    },
    Shortcut {
        combos: &["Ctrl+z", "Meta+z"],
        description: "Undo the last edit of this document (or of the labels or corpus)",
        group: Group::Editing,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["Ctrl+Shift+Z", "Ctrl+y", "Meta+Shift+Z"],
        description: "Redo",
        group: Group::Editing,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["Ctrl+f", "Meta+f"],
        description: "Find in the document (Enter / Shift+Enter step through matches)",
        group: Group::Editing,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["l"],
        description: "Manage labels: add, rename, recolour, rebind, remove",
        group: Group::Editing,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["f"],
        description: "Go to the spans panel",
        group: Group::Editing,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["]", "["],
        description: "Open the next / previous document",
        group: Group::Documents,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["m"],
        description: "Mark the document: not started → in progress → done",
        group: Group::Documents,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["r"],
        description: "Rename the document",
        group: Group::Documents,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["Shift+Delete"],
        description: "Remove the document from the corpus (asks first; undoable)",
        group: Group::Documents,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["o"],
        description: "Open .txt or .md files as new documents",
        group: Group::Documents,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["p"],
        description: "Paste a text as a new document",
        group: Group::Documents,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["i"],
        description: "Import annotations (JSON, JSONL, W3C, Label Studio, brat, CSV)",
        group: Group::Documents,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["e"],
        description: "Export the document or the corpus",
        group: Group::Documents,
        context: ANYWHERE,
    },
    Shortcut {
        combos: &["s"],
        description: "Snap selections to whole words, or to exact characters",
        group: Group::General,
        context: Context {
            in_text: false,
            span_selected: false,
        },
    },
    Shortcut {
        combos: &["?"],
        description: "Show these shortcuts",
        group: Group::General,
        context: Context {
            in_text: false,
            span_selected: false,
        },
    },
];

/// The command a key press means in `context`, if any. Presses with Meta
/// (Cmd) are the browser's and the system's.
pub fn command_for(press: &KeyPress, context: Context) -> Option<Command> {
    let KeyPress {
        key,
        ctrl,
        alt,
        shift,
        meta,
    } = *press;
    // Undo, redo and find: Ctrl, or Cmd on a Mac. `key` is upper case with Shift.
    if (ctrl || meta) && !alt {
        match (key.to_ascii_lowercase().as_str(), shift) {
            ("z", false) => return Some(Command::Undo),
            ("z", true) => return Some(Command::Redo),
            ("y", false) if ctrl => return Some(Command::Redo),
            ("f", false) => return Some(Command::Find),
            _ => {}
        }
    }
    // Other presses with Meta (Cmd) are the browser's and the system's.
    if meta {
        return None;
    }
    if !ctrl && !alt {
        let command = match (key, shift) {
            ("l", false) => Some(Command::ManageLabels),
            ("f", false) => Some(Command::FocusSpansPanel),
            ("]", _) => Some(Command::NextDocument { forward: true }),
            ("[", _) => Some(Command::NextDocument { forward: false }),
            ("m", false) => Some(Command::CycleStatus),
            ("r", false) => Some(Command::RenameDocument),
            ("Delete", true) => Some(Command::RemoveDocument),
            ("o", false) => Some(Command::OpenTexts),
            ("p", false) => Some(Command::PasteText),
            ("i", false) => Some(Command::Import),
            ("e", false) => Some(Command::Export),
            _ => None,
        };
        if command.is_some() {
            return command;
        }
    }
    // Everywhere (outside form fields).
    match (key, ctrl, alt) {
        ("?", false, false) => return Some(Command::ShowShortcuts),
        ("s", false, false) if !shift => return Some(Command::ToggleSnapping),
        ("Escape", false, false) => return Some(Command::Leave),
        ("Delete" | "Backspace", false, false) if context.span_selected && !shift => {
            return Some(Command::DeleteSpan)
        }
        _ => {}
    }
    if !context.in_text {
        return None;
    }
    let horizontal = match key {
        "ArrowLeft" => Some(false),
        "ArrowRight" => Some(true),
        _ => None,
    };
    if context.span_selected {
        if let (Some(forward), false) = (horizontal, ctrl) {
            let edge = if alt { SpanEdge::Start } else { SpanEdge::End };
            let step = if shift { Step::Character } else { Step::Word };
            return Some(Command::ResizeSpan {
                edge,
                forward,
                step,
            });
        }
        if key == "Enter" && !ctrl && !alt && !shift {
            return Some(Command::OpenNote);
        }
    }
    let motion = |motion, forward| {
        Some(Command::MoveCaret {
            motion,
            forward,
            extend: shift,
        })
    };
    match (key, ctrl, alt) {
        ("ArrowLeft" | "ArrowRight", false, false) => motion(Motion::Grapheme, horizontal?),
        ("ArrowLeft" | "ArrowRight", true, false) => motion(Motion::Word, horizontal?),
        ("ArrowLeft" | "ArrowRight", false, true) => motion(Motion::Sentence, horizontal?),
        ("ArrowUp", true, false) | ("ArrowUp", false, true) => motion(Motion::Paragraph, false),
        ("ArrowDown", true, false) | ("ArrowDown", false, true) => motion(Motion::Paragraph, true),
        ("ArrowUp", false, false) => motion(Motion::VisualLine, false),
        ("ArrowDown", false, false) => motion(Motion::VisualLine, true),
        ("Home", false, false) => motion(Motion::LineEdge, false),
        ("End", false, false) => motion(Motion::LineEdge, true),
        ("Home", true, false) => motion(Motion::DocumentEdge, false),
        ("End", true, false) => motion(Motion::DocumentEdge, true),
        ("Tab", false, false) => Some(Command::NextSpan { forward: !shift }),
        ("c", false, false) if !shift => Some(Command::CycleSpansAtCaret),
        _ => None,
    }
}

/// Whether `key` (a `KeyboardEvent.key` value) is taken by a shortcut or is
/// not a single character, so no label may be bound to it. Letters count in
/// both cases.
pub fn is_reserved(key: &str) -> bool {
    let mut chars = key.chars();
    let (Some(c), None) = (chars.next(), chars.next()) else {
        return true;
    };
    if c.is_whitespace() || c.is_control() {
        return true;
    }
    let lower: String = c.to_lowercase().collect();
    SHORTCUTS
        .iter()
        .flat_map(|s| s.combos)
        .map(|combo| KeyPress::parse(combo))
        .any(|press| !press.ctrl && !press.alt && !press.meta && press.key.to_lowercase() == lower)
}

/// How a combination is shown: arrows as arrows, modifiers joined with `+`.
pub fn display_combo(combo: &str) -> String {
    let press = KeyPress::parse(combo);
    let key = match press.key {
        "ArrowLeft" => "←",
        "ArrowRight" => "→",
        "ArrowUp" => "↑",
        "ArrowDown" => "↓",
        "Escape" => "Esc",
        other => other,
    };
    let mut out = String::new();
    for (on, name) in [
        (press.ctrl, "Ctrl+"),
        (press.alt, "Alt+"),
        (press.shift, "Shift+"),
        (press.meta, "Meta+"),
    ] {
        if on {
            out.push_str(name);
        }
    }
    out.push_str(key);
    out
}
