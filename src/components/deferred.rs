//! `use_deferred`: a value a component shows from the frame after it
//! changes. Secondary parts of the screen (the status bar, a document's span
//! count) then change in the frame after an edit, and the edit itself, in
//! the text, is painted first: their layout and DOM work is not part of the
//! frame the user waits for.

use yew::prelude::*;

use crate::dom::schedule::after_next_paint;

/// `value` as of the last frame painted (at once on the first render).
#[hook]
pub fn use_deferred<T: Clone + PartialEq + 'static>(value: T) -> T {
    let shown = use_state_eq(|| value.clone());
    // The newest value when the frame has been painted: renders in between
    // may have brought another.
    let latest = use_mut_ref(|| value.clone());
    *latest.borrow_mut() = value.clone();
    {
        let shown = shown.clone();
        use_effect_with(value, move |_| {
            after_next_paint(move || shown.set(latest.borrow().clone()));
        });
    }
    (*shown).clone()
}
