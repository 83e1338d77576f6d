//! Mounts the app on the page's body.

#[cfg(target_arch = "wasm32")]
fn main() {
    marginalia::components::start();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("Marginalia runs in the browser: `make serve` builds and serves it.");
}
