//! Fetching files that sit beside the page: the bundled articles (listed in
//! `articles/index.json`) and, for tests and benchmarks, a native JSON file
//! named by the `?load=` URL parameter. Same origin only (the page's CSP).

use gloo::net::http::Request;

/// The bytes of `url` (relative to the page), or a message saying what failed.
pub async fn fetch_bytes(url: &str) -> Result<Vec<u8>, String> {
    let response = Request::get(url)
        .send()
        .await
        .map_err(|e| format!("could not fetch {url}: {e}"))?;
    if !response.ok() {
        return Err(format!(
            "could not fetch {url}: the server answered {} {}",
            response.status(),
            response.status_text()
        ));
    }
    response
        .binary()
        .await
        .map_err(|e| format!("could not read {url}: {e}"))
}

/// The names of the bundled articles.
pub async fn article_names() -> Result<Vec<String>, String> {
    let bytes = fetch_bytes("articles/index.json").await?;
    serde_json::from_slice(&bytes)
        .map_err(|e| format!("articles/index.json is not a list of file names: {e}"))
}

/// The value of URL query parameter `name`, if present.
pub fn query_parameter(name: &str) -> Option<String> {
    let search = web_sys::window()?.location().search().ok()?;
    web_sys::UrlSearchParams::new_with_str(&search)
        .ok()?
        .get(name)
}
