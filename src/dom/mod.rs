//! The browser boundary besides components and storage: DOM selections to
//! code point offsets, where text positions are on screen, find highlights,
//! fetching files, downloads, ids and the clock, timing marks, and the crash
//! screen. The only place (with `components` and
//! `persist`) that uses web-sys.

pub mod crash;
pub mod download;
pub mod fetch;
pub mod files;
pub mod geometry;
pub mod highlights;
pub mod ids;
pub mod schedule;
pub mod selection;
pub mod timing;
