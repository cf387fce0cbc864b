//! Inspections every six months and a cell's follow-up (docs/rules.md
//! "Inspections every six months").

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service::{
    self,
    inspection::{AnswerInput, NewFindingInput, NewInspection, VerifyInput},
};
use crate::store::inspection::{FindingRow, InspectionRow};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct InspectionOut {
    pub id: i64,
    /// "2026-H1"
    pub period: String,
    pub title: String,
    /// YYYY-MM-DD
    pub created_on: String,
}

impl From<&InspectionRow> for InspectionOut {
    fn from(r: &InspectionRow) -> Self {
        InspectionOut {
            id: r.id,
            period: format!("{}-H{}", r.year, r.half),
            title: r.title.clone(),
            created_on: r.created_on.to_jiff().to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct FindingOut {
    pub id: i64,
    /// The inspection that found it; none when a round's conclusion named it.
    pub inspection_id: Option<i64>,
    /// The supervision round whose conclusion named it.
    pub round_id: Option<i64>,
    /// The period of the inspection that found it, or the round's name.
    pub period: String,
    pub cell_id: i64,
    pub cell_name: String,
    /// strength | shortcoming
    pub kind: String,
    pub body: String,
    pub deadline: Option<String>,
    /// noted | open | answered | fixed | not_fixed
    pub status: String,
    pub answer: String,
    pub answered_on: Option<String>,
    /// The later inspection that judged it.
    pub verified_in: Option<i64>,
    /// The later round that judged it.
    pub verified_round: Option<i64>,
}

impl From<&FindingRow> for FindingOut {
    fn from(f: &FindingRow) -> Self {
        FindingOut {
            id: f.id,
            inspection_id: f.inspection_id,
            round_id: f.round_id,
            period: f.period.clone(),
            cell_id: f.cell_id.0,
            cell_name: f.cell_name.clone(),
            kind: f.kind.clone(),
            body: f.body.clone(),
            deadline: f.deadline.map(|d| d.to_jiff().to_string()),
            status: f.status.clone(),
            answer: f.answer.clone(),
            answered_on: f.answered_on.map(|d| d.to_jiff().to_string()),
            verified_in: f.verified_in,
            verified_round: f.verified_round,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct InspectionDetail {
    #[serde(flatten)]
    pub inspection: InspectionOut,
    pub findings: Vec<FindingOut>,
    /// Earlier shortcomings this inspection may judge.
    pub pending: Vec<FindingOut>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A committee's inspections, newest first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/inspections", tag = "orgs", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [InspectionOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<InspectionOut>>, ApiError> {
    let rows = service::inspection::list(&app, &c, OrgId(id)).await?;
    Ok(Json(rows.iter().map(InspectionOut::from).collect()))
}

/// Opens an inspection for a half-year (one per committee and period).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/inspections", tag = "orgs", params(("id" = i64, Path)), request_body = NewInspection, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<NewInspection>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::inspection::create(&app, &c, OrgId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// One inspection with its findings and the earlier shortcomings it may judge.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/inspections/{inspection_id}", tag = "orgs", params(("id" = i64, Path), ("inspection_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = InspectionDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, inspection)): ApiPath<(i64, i64)>,
) -> Result<Json<InspectionDetail>, ApiError> {
    let v = service::inspection::view(&app, &c, OrgId(id), inspection).await?;
    Ok(Json(InspectionDetail {
        inspection: InspectionOut::from(&v.inspection),
        findings: v.findings.iter().map(FindingOut::from).collect(),
        pending: v.pending.iter().map(FindingOut::from).collect(),
    }))
}

/// Records what the inspection found in one of the committee's cells.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/inspections/{inspection_id}/findings", tag = "orgs", params(("id" = i64, Path), ("inspection_id" = i64, Path)), request_body = NewFindingInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_finding(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, inspection)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<NewFindingInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::inspection::add_finding(&app, &c, OrgId(id), inspection, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Judges an earlier shortcoming fixed or not fixed at this inspection.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/inspections/{inspection_id}/findings/{finding_id}/verify", tag = "orgs", params(("id" = i64, Path), ("inspection_id" = i64, Path), ("finding_id" = i64, Path)), request_body = VerifyInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn verify(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, inspection, finding)): ApiPath<(i64, i64, i64)>,
    ApiJson(input): ApiJson<VerifyInput>,
) -> Result<StatusCode, ApiError> {
    service::inspection::verify(&app, &c, OrgId(id), inspection, finding, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// What inspections found in a cell.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/findings", tag = "orgs", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [FindingOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn of_cell(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<FindingOut>>, ApiError> {
    let f = service::inspection::of_cell(&app, &c, OrgId(id)).await?;
    Ok(Json(f.rows.iter().map(FindingOut::from).collect()))
}

/// The cell reports what it did about a shortcoming.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/findings/{finding_id}/answer", tag = "orgs", params(("id" = i64, Path), ("finding_id" = i64, Path)), request_body = AnswerInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, finding)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<StatusCode, ApiError> {
    service::inspection::answer(&app, &c, OrgId(id), finding, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}
