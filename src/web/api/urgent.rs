//! Urgent issues (việc cấp bách) of a base organization and a committee's
//! overview (docs/rules.md "Urgent issues (việc cấp bách)").

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::domain::urgent::{Assessment, IssueYear, Progress};
use crate::service::urgent::{AssessInput, Counts, NewIssueInput, ReportInput};
use crate::service::{self};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year; this year when absent.
    year: Option<i64>,
}

fn year(app: &AppState, q: &YearQuery) -> IssueYear {
    IssueYear::clamped(
        q.year
            .unwrap_or_else(|| i64::from(app.clock.today().year())),
    )
}

#[derive(Serialize, ToSchema)]
pub struct ProgressOut {
    pub month: i32,
    pub body: String,
    /// not_started | in_progress | done
    pub status: String,
    pub percent: Option<i32>,
    /// YYYY-MM-DD
    pub reported_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct IssueOut {
    pub id: i64,
    pub org_id: i64,
    pub year: i32,
    pub title: String,
    pub field: String,
    pub target: String,
    pub deadline: Option<String>,
    /// From the latest monthly report: not_started | in_progress | done
    pub status: String,
    pub percent: Option<i32>,
    /// good | done | not_done, by the level above
    pub assessment: Option<String>,
    pub assessment_comment: String,
    pub assessed_by: Option<i64>,
    pub assessed_on: Option<String>,
    pub progress: Vec<ProgressOut>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A base organization's urgent issues of a year with their monthly progress.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/urgent-issues", tag = "orgs", params(("id" = i64, Path), YearQuery), security(("bearer" = [])),
    responses((status = 200, body = [IssueOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<IssueOut>>, ApiError> {
    let v = service::urgent::of_year(&app, &c, OrgId(id), year(&app, &q)).await?;
    Ok(Json(
        v.issues
            .into_iter()
            .map(|v| {
                let i = v.issue;
                IssueOut {
                    id: i.id,
                    org_id: i.org_id.0,
                    year: i.year,
                    title: i.title,
                    field: i.field,
                    target: i.target,
                    deadline: i.deadline.map(|d| d.to_jiff().to_string()),
                    status: i.status,
                    percent: i.percent,
                    assessment: i.assessment,
                    assessment_comment: i.assessment_comment,
                    assessed_by: i.assessed_by.map(|o| o.0),
                    assessed_on: i.assessed_on.map(|d| d.to_jiff().to_string()),
                    progress: v
                        .progress
                        .into_iter()
                        .map(|p| ProgressOut {
                            month: p.month,
                            body: p.body,
                            status: p.status,
                            percent: p.percent,
                            reported_on: p.reported_on.to_jiff().to_string(),
                        })
                        .collect(),
                }
            })
            .collect(),
    ))
}

/// The base organization registers an urgent issue for a year.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/urgent-issues", tag = "orgs", params(("id" = i64, Path)), request_body = NewIssueInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn register(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<NewIssueInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::urgent::register(&app, &c, OrgId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The base organization reports a month's progress (a second report of the month replaces it).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/urgent-issues/{issue_id}/progress", tag = "orgs", params(("id" = i64, Path), ("issue_id" = i64, Path)), request_body = ReportInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn progress(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, issue)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<StatusCode, ApiError> {
    service::urgent::report(&app, &c, OrgId(id), issue, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// A committee above the base organization assesses an issue.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/urgent-issues/{issue_id}/assess", tag = "orgs", params(("id" = i64, Path), ("issue_id" = i64, Path)), request_body = AssessInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assess(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, issue)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<AssessInput>,
) -> Result<StatusCode, ApiError> {
    service::urgent::assess(&app, &c, OrgId(id), issue, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct CountsOut {
    pub issues: i64,
    /// not_started, in_progress, done → count
    pub by_status: BTreeMap<String, i64>,
    /// good, done, not_done → count
    pub by_assessment: BTreeMap<String, i64>,
    pub unassessed: i64,
}

impl From<&Counts> for CountsOut {
    fn from(c: &Counts) -> Self {
        CountsOut {
            issues: c.issues,
            by_status: Progress::ALL
                .iter()
                .zip(c.by_status)
                .map(|(s, n)| (s.code().to_string(), n))
                .collect(),
            by_assessment: Assessment::ALL
                .iter()
                .zip(c.by_assessment)
                .map(|(a, n)| (a.code().to_string(), n))
                .collect(),
            unassessed: c.unassessed,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct OrgCountsOut {
    pub org_id: i64,
    pub name: String,
    #[serde(flatten)]
    pub counts: CountsOut,
}

#[derive(Serialize, ToSchema)]
pub struct OverviewOut {
    pub year: i16,
    /// Base organizations that registered issues.
    pub orgs: Vec<OrgCountsOut>,
    pub total: CountsOut,
}

/// The urgent issues of a year across a committee's subtree, counted by status and assessment.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/urgent-overview", tag = "orgs", params(("id" = i64, Path), YearQuery), security(("bearer" = [])),
    responses((status = 200, body = OverviewOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn overview(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<OverviewOut>, ApiError> {
    let o = service::urgent::overview(&app, &c, OrgId(id), year(&app, &q)).await?;
    Ok(Json(OverviewOut {
        year: o.year.get(),
        orgs: o
            .orgs
            .iter()
            .map(|r| OrgCountsOut {
                org_id: r.org_id.0,
                name: r.name.clone(),
                counts: CountsOut::from(&r.counts),
            })
            .collect(),
        total: CountsOut::from(&o.total),
    }))
}
