//! Fresh annotation ids and the current time, which the pure core cannot make.

/// A random UUID v4 from the browser's CSPRNG. `crypto.getRandomValues`
/// rather than `crypto.randomUUID`, which only exists in secure contexts
/// (a page served over plain HTTP from another machine is not one).
pub fn new_annotation_id() -> String {
    let mut bytes = [0u8; 16];
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .map(|c| c.get_random_values_with_u8_array(&mut bytes).is_ok())
        .unwrap_or(false);
    if !filled {
        // No CSPRNG: Math.random is enough for uniqueness within one corpus.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    bytes[6] = (bytes[6] & 0x0f) | 0x40; // version 4
    bytes[8] = (bytes[8] & 0x3f) | 0x80; // RFC 4122 variant
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// Now, as RFC 3339 UTC with milliseconds (`2026-11-21T10:00:00.000Z`).
pub fn now_rfc3339() -> String {
    js_sys::Date::new_0()
        .to_iso_string()
        .as_string()
        .unwrap_or_default()
}

/// Today as `YYYY-MM-DD`, for file names.
pub fn today() -> String {
    now_rfc3339().chars().take(10).collect()
}
