//! When work runs relative to the frame:
//! - [`before_next_paint`]: overlays measured from the text (caret, span
//!   handles, tooltip, snapping preview) are placed in the next frame, in two
//!   phases: every measurement first, then every change, so the text is
//!   laid out once per frame. Measuring after another overlay has moved
//!   would lay the text out again (a few milliseconds on a long document).
//! - [`after_next_paint`]: saving never delays what the user sees (a zero
//!   timeout queued straight from an input event may run before the frame is
//!   painted; one queued from inside a `requestAnimationFrame` callback runs
//!   after it).

use std::cell::RefCell;

use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Longest wait, in ms, when no frame comes (a hidden tab gets none).
const AT_THE_LATEST: u32 = 250;

/// Runs `work` once, just after the next frame is painted, or after
/// `AT_THE_LATEST` ms if no frame comes sooner.
pub fn after_next_paint(work: impl FnOnce() + 'static) {
    let work = std::rc::Rc::new(std::cell::Cell::new(Some(
        Box::new(work) as Box<dyn FnOnce()>
    )));
    let run = {
        let work = work.clone();
        move || {
            if let Some(work) = work.take() {
                work();
            }
        }
    };
    let fallback = run.clone();
    Timeout::new(AT_THE_LATEST, fallback).forget();
    let on_frame = Closure::once_into_js(move || Timeout::new(0, run).forget());
    // No window (never in the app): the fallback timeout still runs the work.
    if let Some(window) = web_sys::window() {
        let _ = window.request_animation_frame(on_frame.unchecked_ref());
    }
}

/// A change to the page, decided by a measurement.
pub type Mutation = Box<dyn FnOnce()>;
type Measurement = Box<dyn FnOnce() -> Option<Mutation>>;

thread_local! {
    /// The measurements waiting for the next frame; `None` when no frame
    /// is requested.
    static NEXT_FRAME: RefCell<Option<Vec<Measurement>>> = const { RefCell::new(None) };
}

/// Runs `measure` in the next animation frame, with every other measurement
/// queued for it, before any of their mutations; then runs the mutation it
/// returns. `measure` must only read the page (layout, sizes, positions).
pub fn before_next_paint(measure: impl FnOnce() -> Option<Mutation> + 'static) {
    let first = NEXT_FRAME.with(|queue| {
        let mut queue = queue.borrow_mut();
        let first = queue.is_none();
        queue.get_or_insert_with(Vec::new).push(Box::new(measure));
        first
    });
    if first {
        let on_frame = Closure::once_into_js(run_frame);
        if let Some(window) = web_sys::window() {
            let _ = window.request_animation_frame(on_frame.unchecked_ref());
        }
    }
}

fn run_frame() {
    // Taken first: work queued by a mutation goes to the frame after.
    let measurements = NEXT_FRAME
        .with(|queue| queue.borrow_mut().take())
        .unwrap_or_default();
    let mutations: Vec<Mutation> = measurements.into_iter().filter_map(|m| m()).collect();
    for mutate in mutations {
        mutate();
    }
}
