//! The conclusion notice of a supervision round (docs/rules.md "Conclusion
//! of a supervision round"): the same service functions as the pages.

use super::inspections::FindingOut;
use crate::app::AppState;
use crate::service::inspection::VerifyInput;
use crate::service::supervision::conclusion::{self as cn, ConclusionInput};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct ConclusionOut {
    pub round_id: i64,
    /// Issued notices are kept as issued.
    pub issued: bool,
    /// Its number in the committee's TB series, once issued.
    pub number: Option<i64>,
    /// YYYY-MM-DD, once issued.
    pub issued_on: Option<String>,
    pub opening: String,
    /// One unit a line: "Tên chi bộ: nội dung".
    pub did_well: String,
    pub shortcomings: String,
    pub closing: String,
    /// YYYY-MM-DD
    pub deadline: String,
    /// YYYY-MM-DD: the review conference held after the round, once recorded.
    pub review_on: Option<String>,
    pub review_notes: String,
    pub visits: usize,
    pub reported: usize,
    /// Every visited meeting has taken place (issuing waits for it).
    pub all_taken: bool,
    /// The follow-up items the issued notice made.
    pub followups: Vec<FindingOut>,
    /// Shortcomings of the committee's earlier rounds this round judges.
    pub earlier: Vec<FindingOut>,
}

#[derive(Serialize, ToSchema)]
pub struct Issued {
    pub number: i64,
}

/// The round's conclusion: the saved draft, or one drafted from the reports.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/conclusion", tag = "supervision", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ConclusionOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ConclusionOut>, ApiError> {
    let v = cn::view(&app, &c, id).await?;
    Ok(Json(ConclusionOut {
        round_id: v.round.id,
        issued: v.issued(),
        number: v.saved.as_ref().and_then(|s| s.number),
        issued_on: v
            .saved
            .as_ref()
            .and_then(|s| s.issued_on)
            .map(|d| d.to_jiff().to_string()),
        opening: v.draft.opening.clone(),
        did_well: v.draft.did_well.clone(),
        shortcomings: v.draft.shortcomings.clone(),
        closing: v.draft.closing.clone(),
        deadline: v.deadline.to_string(),
        review_on: v
            .saved
            .as_ref()
            .and_then(|s| s.review_on)
            .map(|d| d.to_jiff().to_string()),
        review_notes: v
            .saved
            .as_ref()
            .map(|s| s.review_notes.clone())
            .unwrap_or_default(),
        visits: v.visits,
        reported: v.reported,
        all_taken: v.all_taken,
        followups: v.followups.iter().map(FindingOut::from).collect(),
        earlier: v.earlier.iter().map(FindingOut::from).collect(),
    }))
}

/// Saves the planners' edit of the draft (refused once issued).
#[utoipa::path(put, path = "/api/v1/rounds/{id}/conclusion", tag = "supervision", params(("id" = i64, Path)), request_body = ConclusionInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn save(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ConclusionInput>,
) -> Result<StatusCode, ApiError> {
    cn::save(&app, &c, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Issues the notice with the committee's next TB number; each shortcoming
/// becomes a follow-up item of its unit.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/conclusion/issue", tag = "supervision", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 201, body = Issued), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn issue(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<(StatusCode, Json<Issued>), ApiError> {
    let number = cn::issue(&app, &c, id).await?;
    Ok((StatusCode::CREATED, Json(Issued { number })))
}

/// The notice as DOCX: planners (a draft is marked), named units once issued.
#[utoipa::path(get, path = "/api/v1/rounds/{id}/conclusion.docx", tag = "supervision", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn docx(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    let (name, bytes) = cn::conclusion_docx(&app, &c, id).await?;
    Ok(super::meetings::docx_response(bytes, name))
}

/// This round judges a shortcoming an earlier round named: fixed or not.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/earlier/{finding_id}/verify", tag = "supervision", params(("id" = i64, Path), ("finding_id" = i64, Path)), request_body = VerifyInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn verify(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, finding)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<VerifyInput>,
) -> Result<StatusCode, ApiError> {
    cn::verify_earlier(&app, &c, id, finding, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
