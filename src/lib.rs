//! Marginalia: a text annotator that runs entirely in the browser.
//!
//! The pure core (compiled and tested natively, never touching web-sys):
//! - [`text`]: code point / UTF-16 / UTF-8 offsets, boundaries, trimming and snapping.
//! - [`model`]: labels, annotations, documents, and the block/segment layout.
//! - [`formats`]: file formats, one module each.
//! - [`import`]: decoding opened files, re-anchoring and planning imports.
//! - [`store`]: the one reducer, `State` + `Action`.
//! - [`snapshot`]: what is kept in browser storage, and its encoding.
//! - [`keymap`]: every keyboard shortcut, and which command a key press means.
//! - [`caret`]: the caret and keyboard selection, and where commands move them.
//!
//! The browser shell (wasm32 only):
//! - `persist`: the only module that touches browser storage.
//! - `dom`: selections to offsets, fetching, downloads, ids and clocks.
//! - `components`: the Yew components, one per file.

pub mod caret;
pub mod formats;
pub mod import;
pub mod keymap;
pub mod model;
pub mod snapshot;
pub mod store;
pub mod text;

#[cfg(target_arch = "wasm32")]
pub mod components;
#[cfg(target_arch = "wasm32")]
pub mod dom;
#[cfg(target_arch = "wasm32")]
pub mod persist;
