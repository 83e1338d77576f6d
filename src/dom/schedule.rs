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

use std::cell::{Cell, RefCell};

use gloo::timers::callback::Timeout;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Longest wait, in ms, when no frame comes (a hidden tab gets none).
const AT_THE_LATEST: u32 = 250;

/// Runs `work` once, just after the next frame is painted, or after
/// `AT_THE_LATEST` ms if no frame comes sooner. Work queued for the same
/// frame shares one animation-frame callback (the one
/// [`before_next_paint`] asks for) and one fallback timer: an edit queues
/// several saves, and each browser timer or frame request costs a little.
pub fn after_next_paint(work: impl FnOnce() + 'static) {
    let first = AFTER_PAINT.with(|queue| {
        let mut queue = queue.borrow_mut();
        queue.push(Box::new(work));
        queue.len() == 1
    });
    if first {
        // Only if the queue has not been taken since: later work has its own.
        let taken = AFTER_PAINT_TAKEN.with(Cell::get);
        Timeout::new(AT_THE_LATEST, move || {
            if AFTER_PAINT_TAKEN.with(Cell::get) == taken {
                run_all(take_after_paint());
            }
        })
        .forget();
        // Taken in the frame callback (work queued later waits for the next
        // frame) and run from a zero timeout queued there, which runs after
        // the frame is painted.
        before_next_paint(|| {
            let work = take_after_paint();
            Timeout::new(0, move || run_all(work)).forget();
            None
        });
    }
}

fn take_after_paint() -> Vec<Box<dyn FnOnce()>> {
    AFTER_PAINT_TAKEN.with(|taken| taken.set(taken.get().wrapping_add(1)));
    AFTER_PAINT.with(|queue| std::mem::take(&mut *queue.borrow_mut()))
}

fn run_all(work: Vec<Box<dyn FnOnce()>>) {
    for work in work {
        work();
    }
}

/// A change to the page, decided by a measurement.
pub type Mutation = Box<dyn FnOnce()>;
type Measurement = Box<dyn FnOnce() -> Option<Mutation>>;

thread_local! {
    /// The measurements waiting for the next frame; `None` when no frame
    /// is requested.
    static NEXT_FRAME: RefCell<Option<Vec<Measurement>>> = const { RefCell::new(None) };
    /// The work waiting for the next frame to be painted.
    static AFTER_PAINT: RefCell<Vec<Box<dyn FnOnce()>>> = const { RefCell::new(Vec::new()) };
    /// How many times that queue has been taken to run.
    static AFTER_PAINT_TAKEN: Cell<u64> = const { Cell::new(0) };
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
