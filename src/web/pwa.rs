//! The installable web app's files: manifest, service worker, the page
//! script that keeps offline changes, the offline page and the icons
//! (docs/rules.md "Offline reading and recording"). All public, all small,
//! built into the binary; the service worker and manifest are re-checked
//! often so a new version reaches phones quickly.

use axum::http::header;
use axum::response::{IntoResponse, Response};

const MANIFEST: &str = include_str!("../../static/manifest.webmanifest");
const SERVICE_WORKER: &str = include_str!("../../static/sw.js");
const SCRIPT: &str = include_str!("../../static/offline.js");
const OFFLINE_PAGE: &str = include_str!("../../static/offline.html");
const ICON_192: &[u8] = include_bytes!("../../static/icon-192.png");
const ICON_512: &[u8] = include_bytes!("../../static/icon-512.png");

/// Revalidated on every use: a new service worker or script is picked up on
/// the next page load.
const SHORT: &str = "no-cache";

/// A built-in file with its type and how long a browser may keep it.
fn file(content_type: &'static str, cache: &'static str, body: impl IntoResponse) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, cache),
        ],
        body,
    )
        .into_response()
}

const JS: &str = "text/javascript; charset=utf-8";
const DAY: &str = "public, max-age=86400";

pub async fn manifest() -> Response {
    file(
        "application/manifest+json",
        "public, max-age=3600",
        MANIFEST,
    )
}

pub async fn service_worker() -> Response {
    file(JS, SHORT, SERVICE_WORKER)
}

pub async fn script() -> Response {
    file(JS, SHORT, SCRIPT)
}

pub async fn offline_page() -> Response {
    file("text/html; charset=utf-8", SHORT, OFFLINE_PAGE)
}

pub async fn icon_192() -> Response {
    file("image/png", DAY, ICON_192)
}

pub async fn icon_512() -> Response {
    file("image/png", DAY, ICON_512)
}
