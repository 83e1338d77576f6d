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
/// (set with [`mark`]) until now, which it marks `marginalia:<name>:end`.
/// The end mark is for traces: Chromium records marks with the main
/// thread's CPU time, measures without it.
pub fn measure(name: &str, start: &str) {
    let end = format!("{name}:end");
    mark(&end);
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.measure_with_start_mark_and_end_mark(
            &format!("marginalia:{name}"),
            &format!("marginalia:{start}"),
            &format!("marginalia:{end}"),
        );
    }
}
