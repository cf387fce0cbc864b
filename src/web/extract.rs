//! Extractors: who is calling (bearer token for the API, session for pages),
//! CSRF-checked forms, and JSON/path/query parsing with Vietnamese errors.

use super::error::{ApiError, PageError};
use crate::app::AppState;
use crate::service::{self, AppError, Caller};
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::request::Parts;
use axum::response::{IntoResponse, Response};
use base64::Engine;
use serde::de::DeserializeOwned;
use tower_sessions::Session;

/// The session's [`service::auth::SessionAuth`]: who signed in, when, at
/// which epoch of the account.
pub const SESSION_AUTH: &str = "auth";
const SESSION_CSRF: &str = "csrf";
pub const CSRF_FIELD: &str = "_csrf";

/// The caller of an API route, from `Authorization: Bearer TOKEN`.
#[derive(Clone)]
pub struct ApiCaller(pub Caller);

impl FromRequestParts<AppState> for ApiCaller {
    type Rejection = ApiError;

    /// The caller the route's guard identified, or (outside the guard) from the token.
    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<ApiCaller>() {
            Some(c) => Ok(c.clone()),
            None => Self::from_parts(parts, app).await,
        }
    }
}

impl ApiCaller {
    pub async fn from_parts(parts: &mut Parts, app: &AppState) -> Result<Self, ApiError> {
        let header = parts
            .headers
            .get(axum::http::header::AUTHORIZATION)
            .and_then(|h| h.to_str().ok());
        let token = header
            .and_then(|h| {
                h.strip_prefix("Bearer ")
                    .or_else(|| h.strip_prefix("bearer "))
            })
            .map(str::trim)
            .filter(|t| !t.is_empty() && t.len() < 200)
            .ok_or(ApiError(AppError::Unauthorized))?;
        Ok(ApiCaller(service::auth::token_caller(app, token).await?))
    }
}

/// A fresh random token (CSRF tokens, the login form's cookie).
pub fn random_token() -> String {
    let mut bytes = [0u8; 24];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// The session's CSRF token, created on first use.
pub async fn csrf_token(session: &Session) -> String {
    if let Ok(Some(t)) = session.get::<String>(SESSION_CSRF).await {
        return t;
    }
    renew_csrf(session).await
}

/// Replaces the session's CSRF token (at sign-in, so a token seen before
/// signing in is worth nothing after).
pub async fn renew_csrf(session: &Session) -> String {
    let token = random_token();
    if let Err(e) = session.insert(SESSION_CSRF, &token).await {
        tracing::warn!(error = %e, "could not store csrf token");
    }
    token
}

/// The client's address as the throttle counts it: the socket's peer, or
/// the last `X-Forwarded-For` entry when the proxy in front is trusted;
/// "unknown" when neither is there (a router called without a socket).
pub struct ClientAddr(pub String);

impl FromRequestParts<AppState> for ClientAddr {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let forwarded = app
            .web
            .trust_forwarded
            .then(|| {
                parts
                    .headers
                    .get_all("x-forwarded-for")
                    .iter()
                    .filter_map(|v| v.to_str().ok())
                    .flat_map(|v| v.split(','))
                    .next_back()
                    .and_then(|ip| ip.trim().parse::<std::net::IpAddr>().ok())
            })
            .flatten();
        let socket = parts
            .extensions
            .get::<axum::extract::ConnectInfo<std::net::SocketAddr>>()
            .map(|c| c.0.ip());
        Ok(ClientAddr(
            forwarded
                .or(socket)
                .map(crate::domain::throttle::client_key)
                .unwrap_or_else(|| "unknown".into()),
        ))
    }
}

/// The signed-in user of a page, with the session and its CSRF token.
#[derive(Clone)]
pub struct PageCaller {
    pub caller: Caller,
    pub csrf: String,
    pub session: Session,
}

impl FromRequestParts<AppState> for PageCaller {
    type Rejection = PageError;

    /// The caller the route's guard identified, or (outside the guard) from the session.
    async fn from_request_parts(
        parts: &mut Parts,
        app: &AppState,
    ) -> Result<Self, Self::Rejection> {
        match parts.extensions.get::<PageCaller>() {
            Some(c) => Ok(c.clone()),
            None => Self::from_parts(parts, app).await,
        }
    }
}

impl PageCaller {
    pub async fn from_parts(parts: &mut Parts, app: &AppState) -> Result<Self, PageError> {
        let session = Session::from_request_parts(parts, app)
            .await
            .map_err(|_| PageError(AppError::Internal("session layer missing".into())))?;
        let auth: Option<service::auth::SessionAuth> =
            session.get(SESSION_AUTH).await.ok().flatten();
        let auth = auth.ok_or(PageError(AppError::Unauthorized))?;
        let read = crate::web::session::read_with_session(auth.user);
        let caller = match service::auth::session_caller(app, &auth, read).await {
            Ok(c) => c,
            Err(e) => {
                // Revoked, expired or disabled: the session row goes too.
                if matches!(e, AppError::Unauthorized)
                    && let Err(err) = session.flush().await
                {
                    tracing::warn!(error = %err, "could not end a session");
                }
                return Err(PageError(e));
            }
        };
        let csrf = csrf_token(&session).await;
        Ok(PageCaller {
            caller,
            csrf,
            session,
        })
    }
}

#[derive(serde::Deserialize)]
struct CsrfOnly {
    #[serde(rename = "_csrf", default)]
    csrf: String,
}

/// Constant-time comparison, so the token cannot be guessed byte by byte.
pub fn same_token(a: &str, b: &str) -> bool {
    same_token_bytes(a.as_bytes(), b.as_bytes())
}

pub fn same_token_bytes(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A form posted by a page, accepted only with the session's CSRF token.
pub struct CsrfForm<T>(pub T);

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = Response;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Self::Rejection> {
        let (mut parts, body) = req.into_parts();
        let session = Session::from_request_parts(&mut parts, app)
            .await
            .map_err(|_| {
                PageError(AppError::Internal("session layer missing".into())).into_response()
            })?;
        let bytes = axum::body::to_bytes(body, 1024 * 1024).await.map_err(|_| {
            PageError(AppError::Conflict("biểu mẫu quá lớn".into())).into_response()
        })?;
        let expected: Option<String> = session.get(SESSION_CSRF).await.ok().flatten();
        let given: CsrfOnly = serde_urlencoded::from_bytes(&bytes).unwrap_or(CsrfOnly {
            csrf: String::new(),
        });
        match expected {
            Some(e) if same_token(&e, &given.csrf) => {}
            _ => {
                return Err(PageError(AppError::Conflict(
                    "phiên làm việc đã thay đổi, hãy tải lại trang và gửi lại biểu mẫu".into(),
                ))
                .into_response());
            }
        }
        serde_urlencoded::from_bytes(&bytes)
            .map(CsrfForm)
            .map_err(|e| {
                PageError(AppError::invalid(crate::domain::ValidationError::new(
                    "form",
                    "Biểu mẫu",
                    e.to_string(),
                )))
                .into_response()
            })
    }
}

/// JSON body; a malformed one answers 400 and a wrongly typed field 422,
/// both with a Vietnamese message.
pub struct ApiJson<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = Response;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        use axum::extract::rejection::JsonRejection;
        match axum::Json::<T>::from_request(req, state).await {
            Ok(axum::Json(v)) => Ok(ApiJson(v)),
            Err(JsonRejection::JsonDataError(e)) => {
                let detail = std::error::Error::source(&e)
                    .map(ToString::to_string)
                    .unwrap_or_else(|| e.body_text());
                Err(
                    ApiError(AppError::invalid(crate::domain::ValidationError::new(
                        "body",
                        "Dữ liệu",
                        format!("sai kiểu hoặc trường không hợp lệ ({detail})"),
                    )))
                    .into_response(),
                )
            }
            Err(JsonRejection::MissingJsonContentType(_)) => Err(ApiError::bad_request(
                "Thiếu tiêu đề Content-Type: application/json.",
            )),
            Err(e) => Err(ApiError::bad_request(format!(
                "Dữ liệu JSON không hợp lệ: {}",
                e.body_text()
            ))),
        }
    }
}

/// Path parameters; a malformed id answers 400.
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Path::<T>::from_request_parts(parts, state)
            .await
            .map(|p| ApiPath(p.0))
            .map_err(|_| ApiError::bad_request("Đường dẫn không hợp lệ: mã số phải là số nguyên."))
    }
}

/// Query parameters; a malformed one answers 400 naming it.
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        axum::extract::Query::<T>::from_request_parts(parts, state)
            .await
            .map(|q| ApiQuery(q.0))
            .map_err(|e| {
                ApiError::bad_request(format!("Tham số truy vấn không hợp lệ: {}", e.body_text()))
            })
    }
}

/// `on=YYYY-MM-DD` (or dd/mm/yyyy), defaulting to today.
pub fn parse_on(on: Option<&str>, app: &AppState) -> Result<jiff::civil::Date, AppError> {
    match on.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(app.clock.today()),
        Some(s) => crate::domain::time::parse_date(s).ok_or_else(|| {
            AppError::invalid(crate::domain::ValidationError::new(
                "on",
                "Ngày",
                "không hợp lệ (YYYY-MM-DD hoặc dd/mm/yyyy)",
            ))
        }),
    }
}

/// Page numbers are clamped so no input can overflow an offset.
pub fn clamp_page(page: Option<i64>) -> i64 {
    page.unwrap_or(1).clamp(1, 1_000_000)
}
