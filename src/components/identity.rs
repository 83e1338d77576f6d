//! Comparing shared values by identity, for memo and effect dependencies,
//! and callbacks that keep their identity across renders. Identity because
//! after an edit a list is a new `Rc`, and comparing thousands of spans by
//! value only to learn that costs more than the work it could save. The
//! wrapper holds the `Rc`, so an address is never reused while compared.

use std::rc::Rc;

/// An `Rc` that equals only itself (and its clones).
pub struct Same<T>(pub Rc<T>);

impl<T> PartialEq for Same<T> {
    fn eq(&self, other: &Self) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// Whether two entries are the same document with the same annotations
/// list (by identity) and status.
pub fn same_entry(a: &crate::store::Entry, b: &crate::store::Entry) -> bool {
    Rc::ptr_eq(&a.doc, &b.doc) && Rc::ptr_eq(&a.annotations, &b.annotations) && a.status == b.status
}

/// A callback that stays the same `Callback` for the component's life and
/// always runs the closure of the latest render (so it sees the latest
/// state). Children given it compare their props equal across renders, so
/// the App's shell (toolbar, document list, bars) does not re-render on
/// every edit only because its callbacks were made afresh.
#[yew::hook]
pub fn use_latest_callback<IN: 'static>(f: impl Fn(IN) + 'static) -> yew::Callback<IN> {
    let latest = yew::use_mut_ref(|| None::<Rc<dyn Fn(IN)>>);
    *latest.borrow_mut() = Some(Rc::new(f));
    yew::use_callback((), move |input: IN, _| {
        let f = latest.borrow().clone();
        if let Some(f) = f {
            f(input);
        }
    })
}
