//! A committee's meeting day for all its cells over JSON (docs/rules.md "A
//! committee sets one meeting day for its cells").

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service::meeting::{self as meetings, DayPolicyApplied, DayPolicyInput, DayPolicyOut};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;

/// The meeting-day policies a committee has set, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meeting-day", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [DayPolicyOut]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<DayPolicyOut>>, ApiError> {
    Ok(Json(meetings::policies(&app, &c, OrgId(id)).await?))
}

/// Sets one meeting day for every cell below the committee from a date, and plans or moves their coming regular meetings at once (past, held and signed ones never change).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/meeting-day", tag = "meetings", params(("id" = i64, Path)), request_body = DayPolicyInput, security(("bearer" = [])),
    responses((status = 200, body = DayPolicyApplied), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DayPolicyInput>,
) -> Result<Json<DayPolicyApplied>, ApiError> {
    Ok(Json(
        meetings::set_policy(&app, &c, OrgId(id), &input).await?,
    ))
}
