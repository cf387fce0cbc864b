//! Supervision rounds and visits (docs/rules.md "Supervision rounds and
//! unannounced visits"): the same service functions as the pages.

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::domain::supervision::ReportInput;
use crate::service::supervision::{self as sv, CadresInput, PickInput, RoundInput};
use crate::store::supervision::{RoundRow, VisitRow};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct RoundOut {
    pub id: i64,
    /// The committee that sends the cadres.
    pub org_id: i64,
    pub scope_id: i64,
    pub scope_name: String,
    pub name: String,
    pub purpose: String,
    /// YYYY-MM-DD
    pub from: String,
    pub to: String,
}

impl From<&RoundRow> for RoundOut {
    fn from(r: &RoundRow) -> Self {
        RoundOut {
            id: r.id,
            org_id: r.org_id.0,
            scope_id: r.scope_id.0,
            scope_name: r.scope_name.clone(),
            name: r.name.clone(),
            purpose: r.purpose.clone(),
            from: r.starts_on.to_jiff().to_string(),
            to: r.ends_on.to_jiff().to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CadreOut {
    pub member_id: i64,
    pub full_name: String,
    pub position: String,
    pub cell_name: String,
    pub has_account: bool,
}

#[derive(Serialize, ToSchema)]
pub struct VisitOut {
    pub id: i64,
    pub round_id: i64,
    pub member_id: i64,
    pub cadre: String,
    pub meeting_id: i64,
    pub cell_name: String,
    /// YYYY-MM-DD
    pub date: String,
    pub start_time: String,
    pub letter_number: i64,
    pub reported: bool,
    /// followed | partly | not
    pub procedure: Option<String>,
    /// good | fair | average | weak
    pub quality: Option<String>,
    pub present: Option<i64>,
    pub convened: Option<i64>,
    pub on_time: Option<bool>,
    pub fixes: String,
    pub briefing: Option<String>,
}

impl From<&VisitRow> for VisitOut {
    fn from(v: &VisitRow) -> Self {
        VisitOut {
            id: v.id,
            round_id: v.round_id,
            member_id: v.member_id.0,
            cadre: v.full_name.clone(),
            meeting_id: v.meeting_id,
            cell_name: v.cell_name.clone(),
            date: v.held_on.to_jiff().to_string(),
            start_time: v.start_time.clone(),
            letter_number: v.letter_number,
            reported: v.reported_at.is_some(),
            procedure: v.procedure_kept.clone(),
            quality: v.quality.clone(),
            present: v.present,
            convened: v.convened,
            on_time: v.on_time,
            fixes: v.fixes.clone(),
            briefing: v.briefing_name.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct CandidateOut {
    pub meeting_id: i64,
    pub cell_name: String,
    pub date: String,
    pub start_time: String,
    pub place: String,
}

#[derive(Serialize, ToSchema)]
pub struct RoundDetail {
    pub round: RoundOut,
    pub cadres: Vec<CadreOut>,
    /// Every visit for the planners; a cadre's own for a cadre.
    pub visits: Vec<VisitOut>,
    /// Registered meetings that may still be picked.
    pub candidates: Vec<CandidateOut>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Added {
    pub added: usize,
}

#[derive(Serialize, ToSchema)]
pub struct VisitDetail {
    pub visit: VisitOut,
    /// What members raised, one item a line.
    pub raised: Vec<String>,
}

/// A committee's supervision rounds (its staff only).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/rounds", tag = "supervision", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [RoundOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RoundOut>>, ApiError> {
    let r = sv::rounds(&app, &c, OrgId(id)).await?;
    Ok(Json(r.rounds.iter().map(RoundOut::from).collect()))
}

/// Plans a round: period, purpose, scope (by name) and cadres (by name).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/rounds", tag = "supervision", params(("id" = i64, Path)), request_body = RoundInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RoundInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = sv::create_round(&app, &c, OrgId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A round with its cadres, visits and the meetings that may be picked.
#[utoipa::path(get, path = "/api/v1/rounds/{id}", tag = "supervision", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = RoundDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RoundDetail>, ApiError> {
    let v = sv::round_view(&app, &c, id).await?;
    Ok(Json(RoundDetail {
        round: RoundOut::from(&v.round),
        cadres: v
            .cadres
            .iter()
            .map(|k| CadreOut {
                member_id: k.member_id.0,
                full_name: k.full_name.clone(),
                position: k.position.clone(),
                cell_name: k.cell_name.clone(),
                has_account: k.has_account,
            })
            .collect(),
        visits: v.visits.iter().map(VisitOut::from).collect(),
        candidates: v
            .candidates
            .iter()
            .map(|(m, cell)| CandidateOut {
                meeting_id: m.id,
                cell_name: cell.clone(),
                date: m.held_on.to_jiff().to_string(),
                start_time: m.start_time.clone(),
                place: m.place.clone(),
            })
            .collect(),
    }))
}

/// Adds cadres to a round, by name.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/cadres", tag = "supervision", params(("id" = i64, Path)), request_body = CadresInput, security(("bearer" = [])),
    responses((status = 200, body = Added), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_cadres(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CadresInput>,
) -> Result<Json<Added>, ApiError> {
    Ok(Json(Added {
        added: sv::add_cadres(&app, &c, id, &input).await?,
    }))
}

/// Picks one of the round's registered meetings (a cadre for themself, or
/// a planner for a cadre named in `cadre`); its letter is numbered now.
#[utoipa::path(post, path = "/api/v1/rounds/{id}/visits", tag = "supervision", params(("id" = i64, Path)), request_body = PickInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn pick(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PickInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = sv::pick(&app, &c, id, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// A visit, for its cadre and the round's planners.
#[utoipa::path(get, path = "/api/v1/visits/{id}", tag = "supervision", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = VisitDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn visit(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<VisitDetail>, ApiError> {
    let v = sv::visit_view(&app, &c, id).await?;
    Ok(Json(VisitDetail {
        visit: VisitOut::from(&v.visit),
        raised: v.raised,
    }))
}

/// The cadre's report after the meeting (only the visiting cadre).
#[utoipa::path(put, path = "/api/v1/visits/{id}/report", tag = "supervision", params(("id" = i64, Path)), request_body = ReportInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<StatusCode, ApiError> {
    sv::file_report(&app, &c, id, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(serde::Deserialize, utoipa::ToSchema)]
pub struct CarryUp {
    /// land | site_clearance | sand_mining | land_certificates | new_rural |
    /// social_policy | security | other
    pub topic: String,
}

#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct Carried {
    /// The recommendations created, sent to the committee of the round.
    pub ids: Vec<i64>,
}

/// Turns what the members raised (from the cadre's report) into
/// recommendations of the cell, sent to the committee that sent the cadre.
/// Once per visit; only the visiting cadre.
#[utoipa::path(post, path = "/api/v1/visits/{id}/recommendations", tag = "supervision", params(("id" = i64, Path)), request_body = CarryUp, security(("bearer" = [])),
    responses((status = 201, body = Carried), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn carry_up(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CarryUp>,
) -> Result<(StatusCode, axum::Json<Carried>), ApiError> {
    let ids = crate::service::recommendation::raise_from_visit(&app, &c, id, &input.topic).await?;
    Ok((
        StatusCode::CREATED,
        axum::Json(Carried {
            ids: ids.iter().map(|i| i.0).collect(),
        }),
    ))
}
