//! A meeting's preparation over JSON: the day the cell committee agreed its
//! content (docs/rules.md "The cell committee agrees the content first").

use crate::app::AppState;
use crate::service::meeting::{self as meetings, AgreementInput, AgreementOut};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;

/// Records the day the cell committee (or secretary and deputy) agreed the content; signed minutes answer 409.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/agreement", tag = "meetings", params(("id" = i64, Path)), request_body = AgreementInput, security(("bearer" = [])),
    responses((status = 200, body = AgreementOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn agree(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AgreementInput>,
) -> Result<Json<AgreementOut>, ApiError> {
    Ok(Json(meetings::agree_content(&app, &c, id, &input).await?))
}
