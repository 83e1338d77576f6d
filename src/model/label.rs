//! Labels: a name, a colour and the key that applies it.

use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Label {
    pub name: String,
    /// `#rrggbb`.
    pub color: String,
    /// The single key that applies this label.
    pub key: String,
}

/// claim, quote, deadline. Colours from the Okabe–Ito palette, which stays
/// distinguishable with the common colour-vision deficiencies; the label
/// name is always shown too, so colour is never the only signal.
pub fn default_labels() -> Vec<Label> {
    [
        ("claim", "#0072b2", "1"),
        ("quote", "#d55e00", "2"),
        ("deadline", "#009e73", "3"),
    ]
    .into_iter()
    .map(|(name, color, key)| Label {
        name: name.to_owned(),
        color: color.to_owned(),
        key: key.to_owned(),
    })
    .collect()
}
