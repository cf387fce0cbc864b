//! What a phone sends when the connection returns: the roll call or the
//! minutes recorded offline, with the meeting version they were based on.
//! Same guard, CSRF token (of a fresh page load) and use cases as the forms;
//! the answer is JSON for the page's script: 200 saved, 409 both versions,
//! 422 the field errors (docs/rules.md "Offline recording and explicit
//! conflicts").

use super::meetings::{EditForm, attendance_input, edit_patch};
use super::set_flash;
use crate::app::AppState;
use crate::service::AppError;
use crate::service::meeting::offline::{self, OfflineWrite, Outcome};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

/// The version the change was based on, a field of the form.
fn base_of(pairs: &[(String, String)]) -> Result<i64, AppError> {
    pairs
        .iter()
        .find(|(k, _)| k == "base_version")
        .and_then(|(_, v)| v.trim().parse().ok())
        .ok_or_else(|| {
            AppError::invalid(crate::domain::ValidationError::new(
                "base_version",
                "Phiên bản gốc",
                "thiếu hoặc không phải số nguyên",
            ))
        })
}

async fn answer(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    base: Result<i64, AppError>,
    change: Result<OfflineWrite, AppError>,
) -> Response {
    let result = match (base, change) {
        (Ok(base), Ok(change)) => offline::submit(app, &pc.caller, id, base, &change).await,
        (Err(e), _) | (_, Err(e)) => Err(e),
    };
    match result {
        Ok(Outcome::Saved(s)) => {
            set_flash(&pc.session, s.message.clone()).await;
            Json(serde_json::json!({ "saved": true, "version": s.version, "message": s.message }))
                .into_response()
        }
        Ok(Outcome::Conflict(c)) => (StatusCode::CONFLICT, Json(c)).into_response(),
        Err(AppError::Invalid(errors)) => {
            let list: Vec<String> = errors.iter().map(ToString::to_string).collect();
            (
                StatusCode::UNPROCESSABLE_ENTITY,
                Json(serde_json::json!({ "errors": list })),
            )
                .into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn attendance(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let base = base_of(&pairs);
    let change = Ok(OfflineWrite::Attendance(attendance_input(pairs)));
    answer(&app, &pc, id, base, change).await
}

pub async fn minutes(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let base = base_of(&pairs);
    let change = serde_urlencoded::to_string(&pairs)
        .ok()
        .and_then(|s| serde_urlencoded::from_str::<EditForm>(&s).ok())
        .ok_or_else(|| {
            AppError::invalid(crate::domain::ValidationError::new(
                "form",
                "Biểu mẫu",
                "không đọc được",
            ))
        })
        .and_then(|f| edit_patch(&f))
        .map(|p| OfflineWrite::Minutes(Box::new(p)));
    answer(&app, &pc, id, base, change).await
}
