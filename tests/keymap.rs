//! The shortcut table (`keymap`): every listed combination does something
//! in its context, no two shortcuts of one context share a combination,
//! label keys can never shadow a shortcut, and the modes decide what the
//! arrows do.
#![cfg(not(target_arch = "wasm32"))]

use std::collections::HashMap;

use marginalia::keymap::{
    command_for, display_combo, is_reserved, Command, Context, Group, KeyPress, Motion, SpanEdge,
    Step, SHORTCUTS,
};
use marginalia::model::default_labels;

const TEXT: Context = Context {
    in_text: true,
    span_selected: false,
};
const SPAN: Context = Context {
    in_text: true,
    span_selected: true,
};
const OUTSIDE: Context = Context {
    in_text: false,
    span_selected: false,
};

#[test]
fn every_listed_combination_means_a_command_in_its_context() {
    for shortcut in SHORTCUTS {
        for combo in shortcut.combos {
            let press = KeyPress::parse(combo);
            assert!(
                command_for(&press, shortcut.context).is_some(),
                "{combo} ({}) does nothing",
                shortcut.description
            );
        }
    }
}

#[test]
fn no_combination_is_listed_twice_for_one_context() {
    let mut seen: HashMap<(String, bool, bool), &str> = HashMap::new();
    for shortcut in SHORTCUTS {
        for combo in shortcut.combos {
            let key = (
                combo.to_string(),
                shortcut.context.in_text,
                shortcut.context.span_selected,
            );
            if let Some(other) = seen.insert(key, shortcut.description) {
                panic!(
                    "{combo} is listed for both {other:?} and {:?}",
                    shortcut.description
                );
            }
        }
    }
}

#[test]
fn every_command_kind_has_a_listed_shortcut() {
    let listed: Vec<Command> = SHORTCUTS
        .iter()
        .flat_map(|s| s.combos.iter().map(move |c| (s, c)))
        .filter_map(|(s, c)| command_for(&KeyPress::parse(c), s.context))
        .collect();
    let has = |pred: &dyn Fn(&Command) -> bool| listed.iter().any(pred);
    for motion in [
        Motion::Grapheme,
        Motion::Word,
        Motion::Sentence,
        Motion::Paragraph,
        Motion::LineEdge,
        Motion::DocumentEdge,
        Motion::VisualLine,
    ] {
        assert!(
            has(&|c| matches!(c, Command::MoveCaret { motion: m, .. } if *m == motion)),
            "{motion:?}"
        );
    }
    assert!(has(&|c| matches!(
        c,
        Command::MoveCaret { extend: true, .. }
    )));
    for edge in [SpanEdge::Start, SpanEdge::End] {
        for step in [Step::Word, Step::Character] {
            for forward in [false, true] {
                let want = Command::ResizeSpan {
                    edge,
                    forward,
                    step,
                };
                assert!(has(&|c| *c == want), "{want:?}");
            }
        }
    }
    for want in [
        Command::NextSpan { forward: true },
        Command::NextSpan { forward: false },
        Command::CycleSpansAtCaret,
        Command::Leave,
        Command::DeleteSpan,
        Command::OpenNote,
        Command::ShowShortcuts,
        Command::ToggleSnapping,
        Command::Undo,
        Command::Redo,
        Command::Find,
        Command::FocusSpansPanel,
        Command::ManageLabels,
        Command::Export,
        Command::Import,
        Command::OpenTexts,
        Command::PasteText,
        Command::NextDocument { forward: true },
        Command::NextDocument { forward: false },
        Command::CycleStatus,
        Command::RenameDocument,
        Command::RemoveDocument,
    ] {
        assert!(has(&|c| *c == want), "{want:?}");
    }
    for group in Group::ALL {
        assert!(
            SHORTCUTS.iter().any(|s| s.group == group),
            "{group:?} is empty"
        );
    }
}

#[test]
fn arrows_move_the_caret_in_the_text_and_the_edges_of_a_selected_span() {
    let press = |combo| KeyPress::parse(combo);
    assert_eq!(
        command_for(&press("Shift+ArrowRight"), TEXT),
        Some(Command::MoveCaret {
            motion: Motion::Grapheme,
            forward: true,
            extend: true
        })
    );
    assert_eq!(
        command_for(&press("Ctrl+ArrowLeft"), TEXT),
        Some(Command::MoveCaret {
            motion: Motion::Word,
            forward: false,
            extend: false
        })
    );
    assert_eq!(
        command_for(&press("ArrowRight"), SPAN),
        Some(Command::ResizeSpan {
            edge: SpanEdge::End,
            forward: true,
            step: Step::Word
        })
    );
    assert_eq!(
        command_for(&press("Alt+Shift+ArrowLeft"), SPAN),
        Some(Command::ResizeSpan {
            edge: SpanEdge::Start,
            forward: false,
            step: Step::Character
        })
    );
    // Ctrl+arrows still move the caret with a span selected (the shell leaves the span).
    assert!(matches!(
        command_for(&press("Ctrl+ArrowRight"), SPAN),
        Some(Command::MoveCaret { .. })
    ));
    // Outside the text, arrows and Tab are the browser's.
    assert_eq!(command_for(&press("ArrowRight"), OUTSIDE), None);
    assert_eq!(command_for(&press("Tab"), OUTSIDE), None);
    assert_eq!(
        command_for(&press("Enter"), TEXT),
        None,
        "Enter does nothing without a span"
    );
    // Meta (Cmd) combinations belong to the system.
    assert_eq!(command_for(&press("Meta+ArrowRight"), TEXT), None);
    // `?` is typed with Shift on most layouts.
    assert_eq!(
        command_for(&press("Shift+?"), OUTSIDE),
        Some(Command::ShowShortcuts)
    );
    assert_eq!(command_for(&press("Escape"), OUTSIDE), Some(Command::Leave));
    assert_eq!(
        command_for(&press("Delete"), TEXT),
        None,
        "Delete needs a selected span"
    );
}

#[test]
fn label_keys_never_collide_with_shortcuts() {
    for label in default_labels() {
        assert!(
            !is_reserved(&label.key),
            "default key {} is free",
            label.key
        );
    }
    for key in [
        "c",
        "C",
        "s",
        "S",
        "?",
        "Tab",
        "Enter",
        "Escape",
        "ArrowLeft",
        " ",
        "F1",
        "",
        "ab",
    ] {
        assert!(is_reserved(key), "{key:?} is reserved");
    }
    for key in ["4", "q", "Q", "é", "!"] {
        assert!(!is_reserved(key), "{key:?} is free");
    }
}

#[test]
fn combinations_parse_and_display() {
    let p = KeyPress::parse("Ctrl+Shift+ArrowLeft");
    assert!(p.ctrl && p.shift && !p.alt && !p.meta);
    assert_eq!(p.key, "ArrowLeft");
    assert_eq!(KeyPress::parse("+").key, "+");
    assert_eq!(KeyPress::parse("Ctrl++").key, "+");
    assert_eq!(display_combo("Alt+Shift+ArrowRight"), "Alt+Shift+→");
    assert_eq!(display_combo("Escape"), "Esc");
}
