//! The only place an `AppError` becomes an HTTP answer: JSON for the API,
//! an HTML page for the browser. Internal errors are logged once with an id
//! and never shown.

use crate::service::{AppError, RowError};
use axum::Json;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use serde::Serialize;

fn status_of(e: &AppError) -> StatusCode {
    match e {
        AppError::Invalid(_) | AppError::ImportRejected(_) => StatusCode::UNPROCESSABLE_ENTITY,
        AppError::Unauthorized => StatusCode::UNAUTHORIZED,
        AppError::Forbidden => StatusCode::FORBIDDEN,
        AppError::NotFound => StatusCode::NOT_FOUND,
        AppError::Throttled(_) => StatusCode::TOO_MANY_REQUESTS,
        AppError::Busy => StatusCode::SERVICE_UNAVAILABLE,
        AppError::Conflict(_) | AppError::Stale => StatusCode::CONFLICT,
        AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// A short id to quote when reporting an internal error; the log has the rest.
fn incident(e: &AppError) -> String {
    let id = format!("{:08x}", rand::random::<u32>());
    tracing::error!(incident = %id, error = %e, "internal error");
    id
}

/// Seconds to send as `Retry-After` with a 429 or 503.
pub fn retry_after(e: &AppError) -> Option<i64> {
    match e {
        AppError::Throttled(secs) => Some((*secs).max(1)),
        AppError::Busy => Some(1),
        _ => None,
    }
}

fn with_retry_after(mut resp: Response, e: &AppError) -> Response {
    if let Some(secs) = retry_after(e)
        && let Ok(v) = axum::http::HeaderValue::from_str(&secs.to_string())
    {
        resp.headers_mut()
            .insert(axum::http::header::RETRY_AFTER, v);
    }
    resp
}

pub fn message(e: &AppError) -> String {
    match e {
        AppError::Invalid(errs) => errs
            .iter()
            .map(ToString::to_string)
            .collect::<Vec<_>>()
            .join("; "),
        AppError::ImportRejected(rows) => {
            format!("Tệp có {} lỗi; không dòng nào được ghi.", rows.len())
        }
        AppError::Unauthorized => "Chưa đăng nhập hoặc phiên làm việc đã hết hạn.".into(),
        AppError::Forbidden => "Bạn không có quyền thực hiện thao tác này.".into(),
        AppError::NotFound => "Không tìm thấy.".into(),
        AppError::Throttled(secs) => format!(
            "Đăng nhập sai quá nhiều lần. Vui lòng thử lại sau {}.",
            crate::domain::throttle::wait_text(*secs)
        ),
        AppError::Busy => {
            "Máy chủ đang bận kiểm tra đăng nhập. Vui lòng thử lại sau ít giây.".into()
        }
        AppError::Conflict(m) => format!("Không thể thực hiện: {m}."),
        AppError::Stale => format!("Không thể thực hiện: {e}; hãy tải lại trang."),
        AppError::Internal(_) => format!("Đã xảy ra lỗi hệ thống (mã: {}).", incident(e)),
    }
}

#[derive(Serialize, utoipa::ToSchema)]
pub struct FieldError {
    pub field: String,
    pub message: String,
}

/// Body of every API error.
#[derive(Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// What went wrong, in Vietnamese.
    pub error: String,
    /// Field-level problems (422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fields: Vec<FieldError>,
    /// Row-level problems of a rejected import (422).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub rows: Vec<RowError>,
}

/// An error answered as JSON.
#[derive(Debug)]
pub struct ApiError(pub AppError);

impl From<AppError> for ApiError {
    fn from(e: AppError) -> Self {
        ApiError(e)
    }
}

impl ApiError {
    pub fn bad_request(msg: impl Into<String>) -> Response {
        (
            StatusCode::BAD_REQUEST,
            Json(ErrorBody {
                error: msg.into(),
                fields: vec![],
                rows: vec![],
            }),
        )
            .into_response()
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let status = status_of(&self.0);
        let fields = match &self.0 {
            AppError::Invalid(errs) => errs
                .iter()
                .map(|e| FieldError {
                    field: e.field.to_string(),
                    message: e.to_string(),
                })
                .collect(),
            _ => vec![],
        };
        let rows = match self.0 {
            AppError::ImportRejected(ref rows) => rows.clone(),
            _ => vec![],
        };
        let mut resp = (
            status,
            Json(ErrorBody {
                error: message(&self.0),
                fields,
                rows,
            }),
        )
            .into_response();
        if status == StatusCode::UNAUTHORIZED {
            resp.headers_mut().insert(
                "www-authenticate",
                axum::http::HeaderValue::from_static("Bearer"),
            );
        }
        with_retry_after(resp, &self.0)
    }
}

/// An error answered as an HTML page (or a redirect to the login page).
#[derive(Debug)]
pub struct PageError(pub AppError);

impl From<AppError> for PageError {
    fn from(e: AppError) -> Self {
        PageError(e)
    }
}

impl IntoResponse for PageError {
    fn into_response(self) -> Response {
        if matches!(self.0, AppError::Unauthorized) {
            return Redirect::to("/login").into_response();
        }
        let status = status_of(&self.0);
        let title = match status {
            StatusCode::NOT_FOUND => "Không tìm thấy",
            StatusCode::FORBIDDEN => "Không có quyền",
            StatusCode::UNPROCESSABLE_ENTITY => "Dữ liệu không hợp lệ",
            StatusCode::CONFLICT => "Không thể thực hiện",
            _ => "Lỗi",
        };
        let body = super::pages::layout::error_page(title, &message(&self.0));
        with_retry_after((status, body).into_response(), &self.0)
    }
}
