//! Who follows a node: list, place, end (docs/rules.md "Followers").

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service::{self, follow::FollowInput};
use crate::store::follow::FollowRow;
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
}

impl From<&FollowRow> for FollowerOut {
    fn from(r: &FollowRow) -> Self {
        FollowerOut {
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
    Ok(Json(f.rows.iter().map(FollowerOut::from).collect()))
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
