//! Finding an article's headline in plain text, when it can be done reliably.
//!
//! Scraped articles often open with navigation ("Become a member", "Sections",
//! "/"), so the first line is not necessarily the headline. The rule: the
//! first line of 5 to 25 words that does not end like a sentence, looking only
//! at lines before the first body paragraph (a line of more than 25 words).
//! When the text opens straight into a paragraph there is no headline, and we
//! say nothing rather than guess.

const MIN_WORDS: usize = 5;
const MAX_WORDS: usize = 25;
/// Lines looked at, at most.
const SCAN_LINES: usize = 40;

pub fn headline(text: &str) -> Option<String> {
    // Split at every line terminator, lone \r included (old Mac files).
    for line in text.split(['\n', '\r']).take(SCAN_LINES) {
        let line = line.trim();
        let words = line.split_whitespace().count();
        if words > MAX_WORDS {
            return None;
        }
        let ends_like_sentence = line.ends_with(['.', '!', ';', ':', ',']);
        if words >= MIN_WORDS && !ends_like_sentence {
            return Some(line.split_whitespace().collect::<Vec<_>>().join(" "));
        }
    }
    None
}
