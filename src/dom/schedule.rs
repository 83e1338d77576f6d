//! Running work just after the next paint, so that saving never delays what
//! the user sees (a zero timeout queued straight from an input event may run
//! before the frame is painted; one queued from inside a
//! `requestAnimationFrame` callback runs after it).

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
