//! Fresh annotation ids and the current time, which the pure core cannot make.

/// A random UUID v4 from the browser's CSPRNG. `crypto.getRandomValues`
/// rather than `crypto.randomUUID`, which only exists in secure contexts
/// (a page served over plain HTTP from another machine is not one).
pub fn new_annotation_id() -> String {
    let mut bytes = [0u8; 16];
    fill_random(&mut bytes);
    uuid_v4(bytes)
}

/// Many fresh ids (an import, "tag all"): the CSPRNG is asked for
/// [`FreshIds::BATCH`] ids' bytes at a time, since one call per id costs a
/// few microseconds of JS round trips, tens of milliseconds for 10,000.
#[derive(Default)]
pub struct FreshIds {
    bytes: Vec<u8>,
    used: usize,
}

impl FreshIds {
    /// Ids per call to `crypto.getRandomValues` (which fills at most 64 KiB).
    const BATCH: usize = 1024;

    /// The next random UUID v4.
    pub fn next_id(&mut self) -> String {
        if self.used == self.bytes.len() {
            self.bytes = vec![0; 16 * Self::BATCH];
            self.used = 0;
            fill_random(&mut self.bytes);
        }
        let id: [u8; 16] = self.bytes[self.used..self.used + 16]
            .try_into()
            .expect("16 bytes");
        self.used += 16;
        uuid_v4(id)
    }
}

fn fill_random(bytes: &mut [u8]) {
    let filled = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(bytes).is_ok());
    if !filled {
        // No CSPRNG: Math.random is enough for uniqueness within one corpus.
        for b in bytes.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
}

/// `xxxxxxxx-xxxx-4xxx-yxxx-xxxxxxxxxxxx` from 16 random bytes.
fn uuid_v4(mut id: [u8; 16]) -> String {
    id[6] = (id[6] & 0x0f) | 0x40; // version 4
    id[8] = (id[8] & 0x3f) | 0x80; // RFC 4122 variant
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let mut out = String::with_capacity(36);
    for (i, b) in id.iter().enumerate() {
        if matches!(i, 4 | 6 | 8 | 10) {
            out.push('-');
        }
        out.push(char::from(HEX[usize::from(b >> 4)]));
        out.push(char::from(HEX[usize::from(b & 0x0f)]));
    }
    out
}

/// Now, as RFC 3339 UTC with milliseconds (`2026-11-21T10:00:00.000Z`).
pub fn now_rfc3339() -> String {
    // From the clock's number, formatted here: a `new Date()` in a key
    // press cost more than the rest of making the span's id and time.
    let millis = js_sys::Date::now().max(0.0) as u64;
    let time = std::time::UNIX_EPOCH + std::time::Duration::from_millis(millis);
    humantime::format_rfc3339_millis(time).to_string()
}

/// Today as `YYYY-MM-DD`, for file names.
pub fn today() -> String {
    now_rfc3339().chars().take(10).collect()
}
