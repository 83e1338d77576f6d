//! Files the user picks or drops: their names and bytes, read in memory
//! (nothing is uploaded anywhere).

use wasm_bindgen::JsCast;

/// A file as read.
pub struct PickedFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// Why a file was not read.
pub enum ReadProblem {
    /// Larger than `limit` bytes: not read at all.
    TooLarge { name: String, bytes: usize },
    /// The browser could not read it.
    Unreadable { name: String, reason: String },
}

/// The files of a file input or a drop.
pub fn files_of(list: Option<web_sys::FileList>) -> Vec<web_sys::File> {
    let Some(list) = list else {
        return Vec::new();
    };
    (0..list.length()).filter_map(|i| list.item(i)).collect()
}

/// The files dropped by a drag-and-drop, if it carries files.
pub fn dropped_files(event: &web_sys::Event) -> Vec<web_sys::File> {
    event
        .dyn_ref::<web_sys::DragEvent>()
        .and_then(|e| e.data_transfer())
        .map(|t| files_of(t.files()))
        .unwrap_or_default()
}

/// Whether a drag carries files (as opposed to text dragged within the page).
pub fn drag_has_files(event: &web_sys::Event) -> bool {
    event
        .dyn_ref::<web_sys::DragEvent>()
        .and_then(|e| e.data_transfer())
        .is_some_and(|t| {
            let types = t.types();
            (0..types.length()).any(|i| types.get(i).as_string().as_deref() == Some("Files"))
        })
}

/// Reads `files` one after the other (so two 20 MB files are never both
/// half-read in memory); files over `limit` bytes are refused unread.
pub async fn read_files(
    files: Vec<web_sys::File>,
    limit: usize,
) -> Vec<Result<PickedFile, ReadProblem>> {
    let mut out = Vec::with_capacity(files.len());
    for file in files {
        let name = file.name();
        let size = file.size() as usize;
        if size > limit {
            out.push(Err(ReadProblem::TooLarge { name, bytes: size }));
            continue;
        }
        let blob = gloo::file::Blob::from(web_sys::Blob::from(file));
        out.push(
            gloo::file::futures::read_as_bytes(&blob)
                .await
                .map(|bytes| PickedFile {
                    name: name.clone(),
                    bytes,
                })
                .map_err(|e| ReadProblem::Unreadable {
                    name,
                    reason: e.to_string(),
                }),
        );
    }
    out
}
