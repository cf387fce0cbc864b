//! Who holds which post in a cell or base committee: list, record, end
//! (docs/rules.md "Posts in a cell").

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service::{self, post::PostInput};
use crate::store::post::PostRow;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Serialize, ToSchema)]
pub struct PostOut {
    /// Pass to POST /api/v1/orgs/{id}/posts/{post_id}/end.
    pub id: i64,
    pub member_id: i64,
    pub full_name: String,
    /// cell_secretary | cell_deputy | cell_committee | secretary | deputy |
    /// standing_member | committee_member
    pub kind: String,
    /// Bí thư, Phó Bí thư, Chi ủy viên, …
    pub label: String,
    /// First day held, YYYY-MM-DD.
    pub from: String,
    /// First day no longer held (YYYY-MM-DD); null while held.
    pub to: Option<String>,
    pub decision: String,
}

impl From<&PostRow> for PostOut {
    fn from(r: &PostRow) -> Self {
        PostOut {
            id: r.id,
            member_id: r.member_id.0,
            full_name: r.full_name.clone(),
            kind: r.kind.clone(),
            label: r.kind().map(|k| k.label()).unwrap_or("").to_string(),
            from: r.valid_from.to_jiff().to_string(),
            to: r.valid_to.map(|d| d.to_jiff().to_string()),
            decision: r.decision.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// The node's posts, held ones first, then past ones.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/posts", tag = "orgs", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [PostOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<PostOut>>, ApiError> {
    let p = service::post::list(&app, &c, OrgId(id)).await?;
    Ok(Json(p.rows.iter().map(PostOut::from).collect()))
}

/// Records a post held by a member of the node (by `member_id`, or by name
/// in `member`); the committee above the node does this. One secretary at a
/// time (422 otherwise).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/posts", tag = "orgs", params(("id" = i64, Path)), request_body = PostInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<PostInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::post::set(&app, &c, OrgId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, Default, ToSchema)]
#[serde(default)]
pub struct EndInput {
    /// First day no longer held, dd/mm/yyyy or YYYY-MM-DD; today when empty.
    pub to: String,
}

/// Ends a post still held.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/posts/{post_id}/end", tag = "orgs", params(("id" = i64, Path), ("post_id" = i64, Path)), request_body = EndInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn end(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, post)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<EndInput>,
) -> Result<StatusCode, ApiError> {
    service::post::end(&app, &c, OrgId(id), post, &input.to).await?;
    Ok(StatusCode::NO_CONTENT)
}
