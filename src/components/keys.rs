//! Keyboard handling for the App: the `use_keyboard` hook owns the caret
//! (code points, see [`crate::caret`]) and the shortcut overlay's state,
//! listens for key presses on the page, asks [`crate::keymap`] what each one
//! means, and carries the command out: caret moves (mirrored into the
//! page's selection, so the browser paints it), span navigation, resizing,
//! tagging with a label key. Tagging always uses the snapped range.

use std::cell::RefCell;
use std::rc::Rc;

use gloo::events::{EventListener, EventListenerOptions};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use super::reducer::AppStore;
use crate::caret::{adjacent_span, cycle_at, moved, resized, Caret};
use crate::dom::geometry::line_neighbour;
use crate::dom::ids::{new_annotation_id, now_rfc3339};
use crate::dom::selection::{clear_selection, selected_range, show_selection};
use crate::keymap::{command_for, Command, Context, KeyPress, Motion};
use crate::model::AnnotationId;
use crate::store::Action;
use crate::text::{snap, SnapMode};

/// What the App needs from the keyboard hook.
#[derive(Clone, PartialEq)]
pub struct Keyboard {
    pub caret: Caret,
    /// Sets the caret (and the page selection) from a mouse selection or click.
    pub set_caret: Callback<Caret>,
    /// Tags the selection (snapped) with a label, or relabels the selected span.
    pub apply_label: Callback<String>,
    /// Moves span `id` to a new range (from the drag handles).
    pub resize: Callback<(AnnotationId, usize, usize)>,
    pub help_open: bool,
    pub set_help_open: Callback<bool>,
}

/// The inputs of [`use_keyboard`].
pub struct KeyboardInputs {
    pub store: UseReducerHandle<AppStore>,
    /// The text's root element.
    pub root: NodeRef,
    /// The snapping setting, owned by the App.
    pub snap_mode: UseStateHandle<SnapMode>,
    /// Enter on a selected span.
    pub on_open_note: Callback<AnnotationId>,
    /// Commands the App carries out (dialogs, panels, documents).
    pub on_app_command: Callback<Command>,
}

#[hook]
pub fn use_keyboard(inputs: KeyboardInputs) -> Keyboard {
    let KeyboardInputs {
        store,
        root,
        snap_mode,
        on_open_note,
        on_app_command,
    } = inputs;
    let caret = use_state_eq(Caret::default);
    // The caret as of the last key press, for a press that comes before the re-render.
    let latest = use_mut_ref(Caret::default);
    let help_open = use_state_eq(|| false);

    let set_caret = {
        let caret = caret.clone();
        let latest = latest.clone();
        Callback::from(move |c: Caret| {
            *latest.borrow_mut() = c;
            caret.set(c);
        })
    };
    // A different document starts with the caret at its start.
    {
        let set_caret = set_caret.clone();
        use_effect_with(store.state.open.clone(), move |_| {
            set_caret.emit(Caret::default());
        });
    }
    let apply_label = {
        let store = store.clone();
        let root = root.clone();
        let snap_mode = snap_mode.clone();
        let latest = latest.clone();
        let set_caret = set_caret.clone();
        Callback::from(move |label: String| {
            let element = root.cast::<web_sys::Element>();
            let range = element.as_ref().and_then(selected_range).or_else(|| {
                let c = *latest.borrow();
                (!c.is_collapsed()).then(|| c.range())
            });
            let (Some((start, end)), Some(entry)) = (range, store.state.open_entry()) else {
                store.dispatch(Action::RelabelSelected(label));
                return;
            };
            let doc = &entry.doc;
            // Nothing left after snapping: an empty range, which the store
            // refuses with its message.
            let (start, end) =
                snap(doc.text(), doc.index(), start, end, *snap_mode).unwrap_or((start, start));
            store.dispatch(Action::Create {
                label,
                start,
                end,
                id: new_annotation_id(),
                created_at: now_rfc3339(),
            });
            clear_selection();
            set_caret.emit(Caret::at(end));
        })
    };
    let resize = {
        let store = store.clone();
        Callback::from(move |(id, start, end): (AnnotationId, usize, usize)| {
            store.dispatch(Action::Resize { id, start, end })
        })
    };
    let set_help_open = {
        let help_open = help_open.clone();
        Callback::from(move |open: bool| help_open.set(open))
    };

    {
        let handler = Handler {
            store: store.clone(),
            root: root.clone(),
            snap_mode: snap_mode.clone(),
            on_open_note,
            on_app_command,
            latest: latest.clone(),
            set_caret: set_caret.clone(),
            apply_label: apply_label.clone(),
            help_open: *help_open,
            set_help_open: set_help_open.clone(),
        };
        use_effect(move || {
            let document = gloo::utils::document();
            // Not passive: handled keys must not also scroll or type.
            let options = EventListenerOptions::enable_prevent_default();
            let listener =
                EventListener::new_with_options(&document, "keydown", options, move |event| {
                    if let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() {
                        handler.key_down(event);
                    }
                });
            move || drop(listener)
        });
    }

    Keyboard {
        caret: *caret,
        set_caret,
        apply_label,
        resize,
        help_open: *help_open,
        set_help_open,
    }
}

/// Everything a key press may need, captured at the last render.
struct Handler {
    store: UseReducerHandle<AppStore>,
    root: NodeRef,
    snap_mode: UseStateHandle<SnapMode>,
    on_open_note: Callback<AnnotationId>,
    on_app_command: Callback<Command>,
    latest: Rc<RefCell<Caret>>,
    set_caret: Callback<Caret>,
    apply_label: Callback<String>,
    help_open: bool,
    set_help_open: Callback<bool>,
}

impl Handler {
    fn key_down(&self, event: &web_sys::KeyboardEvent) {
        // The overlay is modal: its own keys (Escape closes it) are the browser's.
        if self.help_open || typing_in_field(event) {
            return;
        }
        let key = event.key();
        let press = KeyPress {
            key: &key,
            ctrl: event.ctrl_key(),
            alt: event.alt_key(),
            shift: event.shift_key(),
            meta: event.meta_key(),
        };
        let state = &self.store.state;
        if !press.ctrl && !press.alt && !press.meta {
            if let Some(label) = state.labels.iter().find(|l| l.key == key) {
                event.prevent_default();
                self.apply_label.emit(label.name.clone());
                return;
            }
        }
        let context = Context {
            in_text: self.focus_in_text(),
            span_selected: state.selected_annotation().is_some(),
        };
        let Some(command) = command_for(&press, context) else {
            return;
        };
        if self.run(command) {
            event.prevent_default();
        }
    }

    fn focus_in_text(&self) -> bool {
        let (Some(root), Some(active)) = (
            self.root.cast::<web_sys::Node>(),
            gloo::utils::document().active_element(),
        ) else {
            return false;
        };
        root.contains(Some(&active))
    }

    fn caret_to(&self, caret: Caret) {
        if let Some(root) = self.root.cast::<web_sys::Element>() {
            show_selection(&root, caret.anchor, caret.focus);
        }
        self.set_caret.emit(caret);
    }

    /// Carries out `command`; whether the key was used (and so must not
    /// reach the browser).
    fn run(&self, command: Command) -> bool {
        let state = &self.store.state;
        let caret = *self.latest.borrow();
        match command {
            Command::Leave => {
                clear_selection();
                self.set_caret.emit(Caret::at(caret.focus));
                self.store.dispatch(Action::Select(None));
                return false;
            }
            Command::DeleteSpan => {
                self.store.dispatch(Action::DeleteSelected);
                return true;
            }
            Command::ShowShortcuts => {
                self.set_help_open.emit(true);
                return true;
            }
            Command::ToggleSnapping => {
                self.snap_mode.set(match *self.snap_mode {
                    SnapMode::Words => SnapMode::Characters,
                    SnapMode::Characters => SnapMode::Words,
                });
                return true;
            }
            Command::Undo => {
                self.store.dispatch(Action::Undo);
                return true;
            }
            Command::Redo => {
                self.store.dispatch(Action::Redo);
                return true;
            }
            Command::Find
            | Command::FocusSpansPanel
            | Command::ManageLabels
            | Command::Export
            | Command::Import
            | Command::OpenTexts
            | Command::PasteText
            | Command::NextDocument { .. }
            | Command::CycleStatus
            | Command::RenameDocument
            | Command::RemoveDocument => {
                self.on_app_command.emit(command);
                return true;
            }
            _ => {}
        }
        let Some(entry) = state.open_entry() else {
            return false;
        };
        let doc = &entry.doc;
        let annotations = &entry.annotations;
        let selected = state.selected_annotation();
        match command {
            Command::MoveCaret {
                motion,
                forward,
                extend,
            } => {
                if selected.is_some() {
                    self.store.dispatch(Action::Select(None));
                }
                let next = match motion {
                    Motion::VisualLine => self
                        .root
                        .cast::<web_sys::Element>()
                        .and_then(|root| line_neighbour(&root, caret.focus, forward))
                        .map(|pos| caret.to(pos, extend))
                        .or_else(|| moved(doc, caret, Motion::LineEdge, forward, extend)),
                    _ => moved(doc, caret, motion, forward, extend),
                };
                if let Some(next) = next {
                    self.caret_to(next);
                }
                true
            }
            Command::NextSpan { forward } => {
                let from = selected.map(|a| a.id.as_str());
                match adjacent_span(annotations, from, caret.focus, forward) {
                    Some(span) => {
                        self.store.dispatch(Action::Select(Some(span.id.clone())));
                        self.caret_to(Caret::at(span.start));
                        true
                    }
                    // Past the last span, Tab moves on to the rest of the page.
                    None => false,
                }
            }
            Command::CycleSpansAtCaret => {
                let from = selected.map(|a| a.id.as_str());
                if let Some(id) = cycle_at(annotations, from, caret.focus) {
                    self.store.dispatch(Action::Select(Some(id.to_owned())));
                }
                true
            }
            Command::ResizeSpan {
                edge,
                forward,
                step,
            } => {
                if let Some(span) = selected {
                    if let Some((start, end)) =
                        resized(doc, (span.start, span.end), edge, forward, step)
                    {
                        self.store.dispatch(Action::Resize {
                            id: span.id.clone(),
                            start,
                            end,
                        });
                    }
                }
                true
            }
            Command::OpenNote => {
                if let Some(span) = selected {
                    self.on_open_note.emit(span.id.clone());
                }
                true
            }
            _ => false,
        }
    }
}

/// Keys typed into a form field are text, not commands.
fn typing_in_field(event: &web_sys::KeyboardEvent) -> bool {
    event
        .target()
        .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
        .is_some_and(|el| {
            matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                || el.is_content_editable()
        })
}
