//! What the user sees if the program panics: a plain message (set as text,
//! not HTML) saying that their work up to the last change is saved. Storage
//! is written on every change, so a crash loses at most the action that
//! caused it.

use std::panic;

pub fn install_crash_screen() {
    let previous = panic::take_hook();
    panic::set_hook(Box::new(move |info| {
        previous(info);
        show_crash_message();
    }));
}

fn show_crash_message() {
    let Some(document) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let Ok(element) = document.create_element("div") else {
        return;
    };
    element.set_class_name("crash");
    let _ = element.set_attribute("role", "alert");
    element.set_text_content(Some(
        "Marginalia stopped because of an internal error. Your annotations up to the last \
         change are saved in this browser: reload the page to continue.",
    ));
    if let Some(body) = document.body() {
        let _ = body.append_child(&element);
    }
}
