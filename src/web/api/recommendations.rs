//! Recommendations (kiến nghị) in JSON: list, counts, raise, and each step
//! of their way up and back (docs/rules.md "Recommendations (kiến nghị)").

use crate::app::AppState;
use crate::domain::ids::{OrgId, RecommendationId};
use crate::service::recommendation::{
    self as recs, AnswerInput, AssignInput, CloseInput, Counts, ListQuery, RaiseInput, RouteInput,
};
use crate::store::recommendation::RecRow;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct RecommendationOut {
    pub id: i64,
    pub cell_id: i64,
    pub cell_name: String,
    /// meeting | cell | visit
    pub source: String,
    pub meeting_id: Option<i64>,
    pub raised_by: Option<String>,
    /// land | site_clearance | sand_mining | land_certificates | new_rural | social_policy | security | other
    pub topic: String,
    pub content: String,
    /// YYYY-MM-DD
    pub raised_on: String,
    /// raised | sent | assigned | answered | reported | closed
    pub status: String,
    pub overdue: bool,
    pub level_id: Option<i64>,
    pub level_name: Option<String>,
    pub assignee: String,
    pub deadline: Option<String>,
    pub answer: String,
    pub answered_on: Option<String>,
    pub reported_meeting_id: Option<i64>,
    pub closed_reason: String,
}

fn out(r: &RecRow, today: jiff::civil::Date) -> RecommendationOut {
    let d = |x: Option<crate::store::types::Day>| x.map(|d| d.to_jiff().to_string());
    RecommendationOut {
        id: r.id.0,
        cell_id: r.cell_id.0,
        cell_name: r.cell_name.clone(),
        source: r.source.clone(),
        meeting_id: r.meeting_id,
        raised_by: r.raised_by_name.clone(),
        topic: r.topic.clone(),
        content: r.content.clone(),
        raised_on: r.raised_on.to_jiff().to_string(),
        status: r.status.clone(),
        overdue: crate::domain::recommendation::is_overdue(
            recs::status_of(r),
            r.deadline.map(|d| d.to_jiff()),
            today,
        ),
        level_id: r.level_id.map(|l| l.0),
        level_name: r.level_name.clone(),
        assignee: r.assignee.clone(),
        deadline: d(r.deadline),
        answer: r.answer.clone(),
        answered_on: d(r.answered_on),
        reported_meeting_id: r.reported_meeting_id,
        closed_reason: r.closed_reason.clone(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct Raised {
    /// One id a line of `content`.
    pub ids: Vec<i64>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct CountsQuery {
    /// The year raised; the current year when absent.
    pub year: Option<i16>,
}

#[derive(Deserialize, ToSchema)]
pub struct ReportInput {
    /// The meeting of the cell at which the answer was read out.
    pub meeting_id: i64,
}

/// Recommendations raised in the node's subtree, soonest deadline first, 50 a page.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/recommendations", tag = "recommendations", params(("id" = i64, Path), ListQuery), security(("bearer" = [])),
    responses((status = 200, body = [RecommendationOut], headers(("X-Total-Count" = i64))), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<ListQuery>,
) -> Result<(HeaderMap, Json<Vec<RecommendationOut>>), ApiError> {
    let l = recs::list(&app, &c, OrgId(id), &q).await?;
    let today = app.clock.today();
    let mut h = HeaderMap::new();
    h.insert("x-total-count", l.page.total.into());
    Ok((
        h,
        Json(l.page.items.iter().map(|r| out(r, today)).collect()),
    ))
}

/// Counts of a year's recommendations in the subtree: per quarter, topic and level sent to.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/recommendations/counts", tag = "recommendations", params(("id" = i64, Path), CountsQuery), security(("bearer" = [])),
    responses((status = 200, body = Counts), (status = 404, body = ErrorBody)))]
pub async fn counts(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<CountsQuery>,
) -> Result<Json<Counts>, ApiError> {
    let year = q.year.unwrap_or(app.clock.today().year());
    Ok(Json(recs::counts(&app, &c, OrgId(id), year).await?))
}

/// The cell raises recommendations (one a line of `content`).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/recommendations", tag = "recommendations", params(("id" = i64, Path)), request_body = RaiseInput, security(("bearer" = [])),
    responses((status = 201, body = Raised), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn raise(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RaiseInput>,
) -> Result<(StatusCode, Json<Raised>), ApiError> {
    let ids = recs::raise_by_cell(&app, &c, OrgId(id), &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Raised {
            ids: ids.iter().map(|i| i.0).collect(),
        }),
    ))
}

/// Recommendations raised at a meeting; 409 once its minutes are signed.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/recommendations", tag = "recommendations", params(("id" = i64, Path)), request_body = RaiseInput, security(("bearer" = [])),
    responses((status = 201, body = Raised), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn raise_at_meeting(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RaiseInput>,
) -> Result<(StatusCode, Json<Raised>), ApiError> {
    let ids = recs::raise_at_meeting(&app, &c, id, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(Raised {
            ids: ids.iter().map(|i| i.0).collect(),
        }),
    ))
}

#[utoipa::path(get, path = "/api/v1/recommendations/{id}", tag = "recommendations", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = RecommendationOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<RecommendationOut>, ApiError> {
    let v = recs::get(&app, &c, RecommendationId(id)).await?;
    Ok(Json(out(&v.row, app.clock.today())))
}

async fn after(
    app: &AppState,
    c: &crate::service::Caller,
    id: i64,
) -> Result<Json<RecommendationOut>, ApiError> {
    let v = recs::get(app, c, RecommendationId(id)).await?;
    Ok(Json(out(&v.row, app.clock.today())))
}

/// Sends it to a committee above the cell (and above the level now handling it).
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/route", tag = "recommendations", params(("id" = i64, Path)), request_body = RouteInput, security(("bearer" = [])),
    responses((status = 200, body = RecommendationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn route(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<RouteInput>,
) -> Result<Json<RecommendationOut>, ApiError> {
    recs::route(&app, &c, RecommendationId(id), &input).await?;
    after(&app, &c, id).await
}

/// Gives it to a unit or person at the level, with a deadline.
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/assign", tag = "recommendations", params(("id" = i64, Path)), request_body = AssignInput, security(("bearer" = [])),
    responses((status = 200, body = RecommendationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AssignInput>,
) -> Result<Json<RecommendationOut>, ApiError> {
    recs::assign(&app, &c, RecommendationId(id), &input).await?;
    after(&app, &c, id).await
}

/// Records the answer; the cell then sees it at its next meeting.
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/answer", tag = "recommendations", params(("id" = i64, Path)), request_body = AnswerInput, security(("bearer" = [])),
    responses((status = 200, body = RecommendationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn answer(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AnswerInput>,
) -> Result<Json<RecommendationOut>, ApiError> {
    recs::answer(&app, &c, RecommendationId(id), &input).await?;
    after(&app, &c, id).await
}

/// Closes it without an answer, with the reason.
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/close", tag = "recommendations", params(("id" = i64, Path)), request_body = CloseInput, security(("bearer" = [])),
    responses((status = 200, body = RecommendationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn close(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<CloseInput>,
) -> Result<Json<RecommendationOut>, ApiError> {
    recs::close(&app, &c, RecommendationId(id), &input).await?;
    after(&app, &c, id).await
}

/// The answer was read out at a meeting of the cell (whose minutes are not signed).
#[utoipa::path(post, path = "/api/v1/recommendations/{id}/report", tag = "recommendations", params(("id" = i64, Path)), request_body = ReportInput, security(("bearer" = [])),
    responses((status = 200, body = RecommendationOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ReportInput>,
) -> Result<Json<RecommendationOut>, ApiError> {
    recs::report(&app, &c, RecommendationId(id), input.meeting_id).await?;
    after(&app, &c, id).await
}
