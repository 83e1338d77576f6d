//! File formats, one module each. Every format reads and writes code point
//! offsets and says so in the file; UTF-16 offsets appear only as extra fields.

pub mod interchange;
pub mod native;
