//! Who follows a node: list, place, end (docs/rules.md "Followers").

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service::{self, follow::FollowInput};
use crate::store::follow::FollowRow;
use crate::store::follow_attendance::FollowerRecord;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct FollowerOut {
    /// Pass to DELETE /api/v1/orgs/{id}/followers/{follow_id}.
    pub id: i64,
    pub member_id: i64,
    pub full_name: String,
    /// The follower's own cell.
    pub cell_name: String,
    /// committee_member (cấp ủy viên phụ trách) | cadre (cán bộ theo dõi)
    pub kind: String,
    /// YYYY-MM-DD
    pub from: String,
    /// Meetings of the node held since the assignment began.
    pub meetings_held: i64,
    /// How many of them the follower attended.
    pub meetings_attended: i64,
}

/// A follower of a node in the subtree, with their attendance.
#[derive(Serialize, ToSchema)]
pub struct FollowerAttendanceOut {
    pub follow_id: i64,
    /// The node followed.
    pub org_id: i64,
    pub org_name: String,
    pub member_id: i64,
    pub full_name: String,
    pub kind: String,
    /// YYYY-MM-DD
    pub from: String,
    pub meetings_held: i64,
    pub meetings_attended: i64,
    /// attended / held (0 when none held).
    pub rate: f64,
}

impl From<&FollowerRecord> for FollowerAttendanceOut {
    fn from(r: &FollowerRecord) -> Self {
        FollowerAttendanceOut {
            follow_id: r.follow_id,
            org_id: r.org_id.0,
            org_name: r.org_name.clone(),
            member_id: r.member_id.0,
            full_name: r.full_name.clone(),
            kind: r.kind.clone(),
            from: r.valid_from.to_jiff().to_string(),
            meetings_held: r.held,
            meetings_attended: r.attended,
            rate: r.rate(),
        }
    }
}

impl FollowerOut {
    fn new(r: &FollowRow, records: &[FollowerRecord]) -> Self {
        let rec = records.iter().find(|x| x.follow_id == r.id);
        FollowerOut {
            meetings_held: rec.map_or(0, |x| x.held),
            meetings_attended: rec.map_or(0, |x| x.attended),
            id: r.id,
            member_id: r.member_id.0,
            full_name: r.full_name.clone(),
            cell_name: r.cell_name.clone(),
            kind: r.kind.clone(),
            from: r.valid_from.to_jiff().to_string(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Who follows the node today.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/followers", tag = "orgs", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [FollowerOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<FollowerOut>>, ApiError> {
    let f = service::follow::list(&app, &c, OrgId(id)).await?;
    Ok(Json(
        f.rows
            .iter()
            .map(|r| FollowerOut::new(r, &f.records))
            .collect(),
    ))
}

/// Places a member (by `member_id`, or by name in `member`) to follow the
/// node; the committee above the node does this, not the node itself.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/followers", tag = "orgs", params(("id" = i64, Path)), request_body = FollowInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assign(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<FollowInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::follow::assign(&app, &c, OrgId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Ends a follow assignment from today.
#[utoipa::path(delete, path = "/api/v1/orgs/{id}/followers/{follow_id}", tag = "orgs", params(("id" = i64, Path), ("follow_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn end(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, follow)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    service::follow::end(&app, &c, OrgId(id), follow).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Every follower of a node in the subtree, with the meetings held since
/// their assignment began and how many they attended ("Cán bộ phụ trách dự
/// sinh hoạt").
#[utoipa::path(get, path = "/api/v1/orgs/{id}/follower-attendance", tag = "orgs", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [FollowerAttendanceOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn attendance(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<FollowerAttendanceOut>>, ApiError> {
    let rows = service::follow::attendance_in_subtree(&app, &c, OrgId(id)).await?;
    Ok(Json(rows.iter().map(FollowerAttendanceOut::from).collect()))
}
