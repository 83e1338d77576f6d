//! User Timing marks and measures (`performance.mark` / `performance.measure`)
//! at the milestones of startup and around imports and exports, so the
//! benchmark and the browser's performance panel can show where time goes.

/// Marks `marginalia:<name>` on the page's performance timeline.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(&format!("marginalia:{name}"));
    }
}

/// Measures `marginalia:<name>`: from the latest mark `marginalia:<start>`
/// (set with [`mark`]) until now.
pub fn measure(name: &str, start: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark(
            &format!("marginalia:{name}"),
            &format!("marginalia:{start}"),
        );
    }
}
