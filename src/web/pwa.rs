//! The installable web app's files: manifest, service worker, the page
//! script that keeps offline changes, the offline page and the icons
//! (docs/rules.md "Offline reading and recording"). All public, all small,
//! built into the binary; the service worker and manifest are re-checked
//! often so a new version reaches phones quickly.

use axum::http::header;
use axum::response::IntoResponse;

const MANIFEST: &str = include_str!("../../static/manifest.webmanifest");
const SERVICE_WORKER: &str = include_str!("../../static/sw.js");
const SCRIPT: &str = include_str!("../../static/offline.js");
const OFFLINE_PAGE: &str = include_str!("../../static/offline.html");
const ICON_192: &[u8] = include_bytes!("../../static/icon-192.png");
const ICON_512: &[u8] = include_bytes!("../../static/icon-512.png");

/// Revalidated on every use: a new service worker or script is picked up on
/// the next page load.
const SHORT: &str = "no-cache";

pub async fn manifest() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "application/manifest+json"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        MANIFEST,
    )
}

pub async fn service_worker() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, SHORT),
        ],
        SERVICE_WORKER,
    )
}

pub async fn script() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/javascript; charset=utf-8"),
            (header::CACHE_CONTROL, SHORT),
        ],
        SCRIPT,
    )
}

pub async fn offline_page() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, SHORT),
        ],
        OFFLINE_PAGE,
    )
}

pub async fn icon_192() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON_192,
    )
}

pub async fn icon_512() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "image/png"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        ICON_512,
    )
}
