//! Comparing shared values by identity, for memo and effect dependencies:
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
