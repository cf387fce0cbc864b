//! Prometheus metrics (docs/operations.md "Metrics"): requests by route and
//! status, their latency, the database pool, rollup passes, mail and
//! imports. The counters live in one process-wide recorder; GET /metrics
//! renders them in the Prometheus text format, followed by the mail outbox
//! by state (`mail_outbox_messages`), read from the database.

use crate::app::AppState;
use axum::extract::{ConnectInfo, MatchedPath, Request, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};
use std::net::SocketAddr;
use std::sync::OnceLock;
use std::time::Instant;

/// Latency buckets in seconds: pages answer in milliseconds, documents and
/// imports in up to seconds.
const BUCKETS: [f64; 12] = [
    0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 5.0,
];

/// The recorder, installed on first use (the server and every test app in
/// one process share it).
fn handle() -> Option<&'static PrometheusHandle> {
    static HANDLE: OnceLock<Option<PrometheusHandle>> = OnceLock::new();
    HANDLE
        .get_or_init(|| {
            let builder = PrometheusBuilder::new()
                .set_buckets_for_metric(
                    Matcher::Full("http_request_duration_seconds".into()),
                    &BUCKETS,
                )
                .ok()?;
            match builder.install_recorder() {
                Ok(h) => Some(h),
                Err(e) => {
                    tracing::warn!(error = %e, "metrics recorder not installed");
                    None
                }
            }
        })
        .as_ref()
}

/// Installs the recorder before the first request is counted.
pub fn init() {
    let _ = handle();
}

/// Counts every request by method, matched route (never the raw path: ids
/// would make one series per object) and status, and times it.
pub async fn track(req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map_or_else(|| "unmatched".to_string(), |p| p.as_str().to_string());
    let method = req.method().as_str().to_string();
    let started = Instant::now();
    let response = next.run(req).await;
    let status = response.status().as_u16().to_string();
    metrics::histogram!("http_request_duration_seconds", "method" => method.clone(), "route" => route.clone())
        .record(started.elapsed().as_secs_f64());
    metrics::counter!("http_requests_total", "method" => method, "route" => route, "status" => status)
        .increment(1);
    response
}

/// Whether the caller may read the metrics: the configured bearer token, or
/// without one a request from this machine that no proxy forwarded.
fn allowed(app: &AppState, headers: &HeaderMap, peer: Option<SocketAddr>) -> bool {
    match &app.web.metrics_token {
        Some(token) => headers
            .get(header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.strip_prefix("Bearer "))
            .is_some_and(|given| {
                given.len() == token.len()
                    && given
                        .bytes()
                        .zip(token.bytes())
                        .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                        == 0
            }),
        None => {
            peer.is_some_and(|p| p.ip().is_loopback())
                && !headers.contains_key("x-forwarded-for")
                && !headers.contains_key(header::FORWARDED)
        }
    }
}

/// GET /metrics in the Prometheus text format.
pub async fn render(State(app): State<AppState>, req: Request) -> Response {
    let peer = req
        .extensions()
        .get::<ConnectInfo<SocketAddr>>()
        .map(|c| c.0);
    if !allowed(&app, req.headers(), peer) {
        return (StatusCode::NOT_FOUND, "not found").into_response();
    }
    let Some(h) = handle() else {
        return (StatusCode::SERVICE_UNAVAILABLE, "metrics unavailable").into_response();
    };
    let (size, idle) = app.db.pool_state();
    metrics::gauge!("db_pool_connections", "state" => "open").set(f64::from(size));
    metrics::gauge!("db_pool_connections", "state" => "idle").set(idle as f64);
    let mut text = h.render();
    // The mail queue is the database's, shared by every process: read it
    // here rather than keep a per-process gauge.
    match crate::service::outbox::metrics_text(&app).await {
        Ok(queue) => text.push_str(&queue),
        Err(e) => tracing::warn!(error = %e, "mail outbox metrics unavailable"),
    }
    (
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response()
}
