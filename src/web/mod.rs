//! HTTP: routes and layers. Pages and API call the same service functions.

pub mod api;
pub mod chart;
pub mod error;
pub mod extract;
pub mod guard;
pub mod metrics;
pub mod openapi;
pub mod pages;
pub mod pwa;
pub mod session;

use crate::app::AppState;
use axum::Router;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::IntoResponse;
use std::time::Duration;
use tower_http::compression::CompressionLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, SetRequestIdLayer};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::TraceLayer;
use tower_sessions::{Expiry, SessionManagerLayer, cookie::SameSite};

const CSS: &str = include_str!("../../static/app.css");

async fn stylesheet() -> impl IntoResponse {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=86400"),
        ],
        CSS,
    )
}

async fn not_found() -> impl IntoResponse {
    (
        StatusCode::NOT_FOUND,
        pages::layout::error_page("Không tìm thấy", "Trang này không tồn tại."),
    )
}

/// Pages load nothing but chibo's own files and run no inline script; the
/// printable documents' inline style sheet is allowed by its hash.
fn content_security_policy() -> HeaderValue {
    use base64::Engine;
    use sha2::Digest;
    let print_css = base64::engine::general_purpose::STANDARD.encode(sha2::Sha256::digest(
        crate::docs::meeting_html::PRINT_CSS.as_bytes(),
    ));
    let policy = format!(
        "default-src 'self'; script-src 'self'; style-src 'self' 'sha256-{print_css}'; \
         img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
         frame-ancestors 'none'"
    );
    HeaderValue::from_str(&policy)
        .unwrap_or_else(|_| HeaderValue::from_static("default-src 'self'"))
}

/// The whole application: pages, API, OpenAPI document, health check.
pub async fn router(app: AppState) -> Result<Router, sqlx::Error> {
    metrics::init();
    let store = session::Store::new(&app.db).await?;
    store.spawn_cleanup();
    let https = app.web.https();
    let sessions = SessionManagerLayer::new(store)
        .with_name("chibo_session")
        .with_secure(https)
        .with_same_site(SameSite::Lax)
        .with_http_only(true)
        .with_expiry(Expiry::OnInactivity(session::IDLE));
    let request_id = header::HeaderName::from_static("x-request-id");
    // Over HTTPS, browsers are told to never come back over plain HTTP.
    let hsts = https.then(|| HeaderValue::from_static("max-age=31536000; includeSubDomains"));
    let (pages, _) = pages::routes(&app).into_parts();
    let (api, _) = api::routes(&app).into_parts();
    let (public, _) = public_routes(&app).into_parts();
    Ok(Router::new()
        .merge(pages.layer(sessions))
        .nest("/api/v1", api.fallback(api_not_found))
        .merge(public)
        .fallback(not_found)
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CONTENT_SECURITY_POLICY,
            content_security_policy(),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::REFERRER_POLICY,
            HeaderValue::from_static("same-origin"),
        ))
        // Pages, API answers and downloads carry personal data: no cache
        // (shared or the browser's) keeps them. The stylesheet says otherwise.
        .layer(SetResponseHeaderLayer::if_not_present(
            header::CACHE_CONTROL,
            HeaderValue::from_static("no-store"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::X_FRAME_OPTIONS,
            HeaderValue::from_static("DENY"),
        ))
        .layer(SetResponseHeaderLayer::if_not_present(
            header::STRICT_TRANSPORT_SECURITY,
            move |_: &axum::response::Response| hsts.clone(),
        ))
        .layer(CompressionLayer::new())
        .layer(TimeoutLayer::with_status_code(
            StatusCode::REQUEST_TIMEOUT,
            Duration::from_secs(60),
        ))
        .layer(PropagateRequestIdLayer::new(request_id.clone()))
        .layer(TraceLayer::new_for_http())
        .layer(SetRequestIdLayer::new(request_id, MakeRequestUuid))
        .layer(axum::middleware::from_fn(metrics::track))
        // One connection for all the reads of a request (store::held), and
        // the account read with its session (session::scope).
        .layer(axum::middleware::from_fn(
            |req: axum::extract::Request, next: axum::middleware::Next| async {
                let (mut res, used) =
                    crate::store::held::scope(session::scope(next.run(req))).await;
                server_timing(&mut res, used);
                res
            },
        ))
        .with_state(app))
}

/// Tells the browser's developer tools, and the tests that bound them
/// (docs/architecture.md "Statements a page"), how many statements the
/// answer took and how long they ran: `db;dur=1.2;desc="4 statements"`.
fn server_timing(res: &mut axum::response::Response, used: crate::store::held::Used) {
    if used.statements == 0 {
        return;
    }
    let value = format!(
        "db;dur={:.1};desc=\"{} statements\"",
        used.micros as f64 / 1000.0,
        used.statements
    );
    if let Ok(v) = HeaderValue::from_str(&value) {
        res.headers_mut().insert("server-timing", v);
    }
}

/// The routes anyone may call.
fn public_routes(app: &AppState) -> guard::Routes {
    use guard::{Need::Public, Routes, Surface};
    Routes::new(app, Surface::Api, "")
        .add(Method::GET, "/api/openapi.json", Public, openapi::document)
        .add(Method::GET, "/healthz", Public, openapi::health)
        .add(Method::GET, "/readyz", Public, openapi::ready)
        .add(Method::GET, "/metrics", Public, metrics::render)
        .add(Method::GET, "/static/app.css", Public, stylesheet)
        .add(Method::GET, "/manifest.webmanifest", Public, pwa::manifest)
        .add(Method::GET, "/sw.js", Public, pwa::service_worker)
        .add(Method::GET, "/static/offline.js", Public, pwa::script)
        .add(
            Method::GET,
            "/static/offline.html",
            Public,
            pwa::offline_page,
        )
        .add(Method::GET, "/static/icon-192.png", Public, pwa::icon_192)
        .add(Method::GET, "/static/icon-512.png", Public, pwa::icon_512)
}

/// Every route of the application with what it needs (for the authorization sweep).
pub fn rules(app: &AppState) -> Vec<guard::Rule> {
    [pages::routes(app), api::routes(app), public_routes(app)]
        .into_iter()
        .flat_map(|r| r.into_parts().1)
        .collect()
}

async fn api_not_found() -> axum::response::Response {
    error::ApiError(crate::service::AppError::NotFound).into_response()
}

/// Set once a shutdown signal arrived (readiness answers 503 from then on).
pub static DRAINING: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

/// Serves until Ctrl-C or SIGTERM, then finishes requests in flight.
pub async fn serve(app: AppState, listener: tokio::net::TcpListener) -> anyhow::Result<()> {
    serve_until(app, listener, shutdown_signal()).await
}

/// Serves until `shutdown` completes, then finishes requests in flight.
pub async fn serve_until(
    app: AppState,
    listener: tokio::net::TcpListener,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> anyhow::Result<()> {
    let router = router(app).await?;
    // The peer address reaches handlers (the login throttle counts by it).
    let service = router.into_make_service_with_connect_info::<std::net::SocketAddr>();
    axum::serve(listener, service)
        .with_graceful_shutdown(shutdown)
        .await?;
    Ok(())
}

/// Completes at Ctrl-C or SIGTERM. The signals are taken over when this is
/// called, not when the future is first awaited: `chibo serve` calls it before
/// it starts the mail worker, so a SIGTERM from then on always drains (one
/// that arrived while the router was being built used to end the process
/// with the signal's default action).
pub fn shutdown_signal() -> impl Future<Output = ()> + Send + 'static {
    #[cfg(unix)]
    let signals = {
        use tokio::signal::unix::{SignalKind, signal};
        [
            signal(SignalKind::interrupt()),
            signal(SignalKind::terminate()),
        ]
    };
    async move {
        #[cfg(unix)]
        {
            let [int, term] = signals;
            let wait = |s: std::io::Result<tokio::signal::unix::Signal>| async move {
                match s {
                    Ok(mut s) => {
                        s.recv().await;
                    }
                    Err(e) => {
                        tracing::warn!(error = %e, "cannot listen for a signal");
                        std::future::pending::<()>().await;
                    }
                }
            };
            tokio::select! { _ = wait(int) => {}, _ = wait(term) => {} }
        }
        #[cfg(not(unix))]
        if let Err(e) = tokio::signal::ctrl_c().await {
            tracing::warn!(error = %e, "cannot listen for Ctrl-C");
            std::future::pending::<()>().await;
        }
        // Readiness fails from now on, so a load balancer stops sending new
        // requests while those in flight finish.
        DRAINING.store(true, std::sync::atomic::Ordering::Relaxed);
        tracing::info!("shutting down");
    }
}
