//! User Timing marks (`performance.mark`) at the milestones of startup, so
//! the benchmark and the browser's performance panel can show where time goes.

/// Marks `marginalia:<name>` on the page's performance timeline.
pub fn mark(name: &str) {
    if let Some(performance) = web_sys::window().and_then(|w| w.performance()) {
        let _ = performance.mark(&format!("marginalia:{name}"));
    }
}
