//! Yearly classification in JSON: a node's year, its counts, the cell's
//! proposal, the committee's decision, a member's self-assessment
//! (Quy định 132-QĐ/TW, 124-QĐ/TW, 366-QĐ/TW; docs/rules.md
//! "Classification order (bottom-up)").

use crate::app::AppState;
use crate::domain::ids::{MemberId, OrgId};
use crate::service::classification::{Counts, DecisionInput, ProposalInput, SelfInput};
use crate::service::{self};
use crate::store::classification::RecordRow;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year; this year when absent.
    year: Option<i64>,
}

/// One subject's record of a year.
#[derive(Serialize, ToSchema)]
pub struct RecordOut {
    /// member | org
    pub subject_kind: String,
    pub subject_id: i64,
    pub name: String,
    /// The member's cell, or the organization itself.
    pub org_id: i64,
    pub regime: String,
    /// excellent | good | complete | not_complete
    pub self_grade: Option<String>,
    pub self_score: Option<i32>,
    pub proposed_grade: Option<String>,
    pub proposed_score: Option<i32>,
    pub final_grade: Option<String>,
    pub final_score: Option<i32>,
    pub decided_by: Option<i64>,
    /// YYYY-MM-DD
    pub decided_on: Option<String>,
    pub decision_ref: String,
    pub override_reason: String,
}

fn out(kind: &str, subject: i64, org: OrgId, name: &str, r: Option<&RecordRow>) -> RecordOut {
    RecordOut {
        subject_kind: kind.to_string(),
        subject_id: subject,
        name: name.to_string(),
        org_id: org.0,
        regime: r.map(|r| r.regime_code.clone()).unwrap_or_default(),
        self_grade: r.and_then(|r| r.self_grade.clone()),
        self_score: r.and_then(|r| r.self_score),
        proposed_grade: r.and_then(|r| r.proposed_grade.clone()),
        proposed_score: r.and_then(|r| r.proposed_score),
        final_grade: r.and_then(|r| r.final_grade.clone()),
        final_score: r.and_then(|r| r.final_score),
        decided_by: r.and_then(|r| r.decided_by_org.map(|o| o.0)),
        decided_on: r.and_then(|r| r.decided_on.map(|d| d.to_jiff().to_string())),
        decision_ref: r.map(|r| r.decision_ref.clone()).unwrap_or_default(),
        override_reason: r.map(|r| r.override_reason.clone()).unwrap_or_default(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct RegimeOut {
    pub code: String,
    pub document: String,
    pub uses_score: bool,
    pub quota_percent: i64,
    pub quota_source: String,
}

#[derive(Serialize, ToSchema)]
pub struct YearOut {
    pub year: i16,
    /// None before the first regime chibo holds (2018).
    pub regime: Option<RegimeOut>,
    /// The node's own record.
    pub own: RecordOut,
    /// The node's members (a cell), and the members it decides.
    pub members: Vec<RecordOut>,
    /// The organizations directly under it.
    pub units: Vec<RecordOut>,
    pub counts: Counts,
}

/// A node's classification of a year: its own record, members (for those who may list them), units, counts.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/classification", tag = "orgs", params(("id" = i64, Path), YearQuery), security(("bearer" = [])),
    responses((status = 200, body = YearOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn year(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<YearOut>, ApiError> {
    let y = service::classification::page_year(&app, q.year);
    let v = service::classification::year_view(&app, &c, OrgId(id), y).await?;
    let members = v
        .own_cell
        .iter()
        .chain(v.decided_cells.iter())
        .flat_map(|b| {
            b.members.iter().map(|m| {
                out(
                    "member",
                    m.member_id.0,
                    b.cell.id,
                    &m.name,
                    m.record.as_ref(),
                )
            })
        })
        .collect();
    let units = v
        .decided_units
        .iter()
        .map(|u| {
            out(
                "org",
                u.node.id.0,
                u.node.id,
                &u.node.name,
                u.record.as_ref(),
            )
        })
        .collect();
    Ok(Json(YearOut {
        year: y.get(),
        regime: v.regime.as_ref().ok().map(|r| RegimeOut {
            code: r.code.clone(),
            document: r.document.clone(),
            uses_score: r.uses_score(),
            quota_percent: r.quota.percent,
            quota_source: r.quota.source.clone(),
        }),
        own: out("org", v.org.id.0, v.org.id, &v.org.name, v.own.as_ref()),
        members,
        units,
        counts: v.counts,
    }))
}

/// Final grades by grade in a node's subtree for a year, members and organizations (the node's own left out).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/classification/counts", tag = "orgs", params(("id" = i64, Path), YearQuery), security(("bearer" = [])),
    responses((status = 200, body = Counts), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn counts(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Counts>, ApiError> {
    let y = service::classification::page_year(&app, q.year);
    Ok(Json(
        service::classification::counts(&app, &c, OrgId(id), y).await?,
    ))
}

#[derive(Serialize, ToSchema)]
pub struct Recorded {
    /// How many grades were written.
    pub recorded: usize,
}

/// A cell proposes its members' grades and records its own self-review (a committee: its own self-review).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/classification/proposals", tag = "orgs", params(("id" = i64, Path)), request_body = ProposalInput, security(("bearer" = [])),
    responses((status = 200, body = Recorded), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn propose(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ProposalInput>,
) -> Result<Json<Recorded>, ApiError> {
    let recorded = service::classification::propose(&app, &c, OrgId(id), &input).await?;
    Ok(Json(Recorded { recorded }))
}

/// The committee decides final grades of the members and organizations it decides, bottom-up and under the quota (422 with the Vietnamese reason, unless an override reason is given).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/classification/decisions", tag = "orgs", params(("id" = i64, Path)), request_body = DecisionInput, security(("bearer" = [])),
    responses((status = 200, body = Recorded), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn decide(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DecisionInput>,
) -> Result<Json<Recorded>, ApiError> {
    let recorded = service::classification::decide(&app, &c, OrgId(id), &input).await?;
    Ok(Json(Recorded { recorded }))
}

/// A member's own self-assessment for a year (with a 100-point score from 2025).
#[utoipa::path(post, path = "/api/v1/members/{id}/classification", tag = "members", params(("id" = i64, Path)), request_body = SelfInput, security(("bearer" = [])),
    responses((status = 200, body = Recorded), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn self_assess(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<SelfInput>,
) -> Result<Json<Recorded>, ApiError> {
    service::classification::self_assess(&app, &c, MemberId(id), &input).await?;
    Ok(Json(Recorded { recorded: 1 }))
}
