//! Accounts: list a node's, read one, disable, enable, remove a grant,
//! revoke every session and token. Admins, and staff for accounts wholly
//! below their node.

use crate::app::AppState;
use crate::domain::ids::{OrgId, UserId};
use crate::service::{self, account::AccountView};
use crate::store::user::UserRow;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiPath, ApiQuery, clamp_page};
use axum::Json;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct UserSummary {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub member_id: Option<i64>,
    pub disabled: bool,
}

impl From<&UserRow> for UserSummary {
    fn from(u: &UserRow) -> Self {
        UserSummary {
            id: u.id.0,
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            member_id: u.member_id.map(|m| m.0),
            disabled: u.disabled,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct GrantDetail {
    /// Pass to DELETE /api/v1/users/{id}/grants/{grant_id}.
    pub id: i64,
    /// admin | staff | secretary | deputy | member
    pub role: String,
    pub org_id: i64,
    pub org_name: String,
}

#[derive(Serialize, ToSchema)]
pub struct UserDetail {
    #[serde(flatten)]
    pub user: UserSummary,
    pub grants: Vec<GrantDetail>,
}

impl From<&AccountView> for UserDetail {
    fn from(v: &AccountView) -> Self {
        UserDetail {
            user: UserSummary::from(&v.user),
            grants: v
                .grants
                .iter()
                .map(|g| GrantDetail {
                    id: g.id,
                    role: g.role_code.clone(),
                    org_id: g.org_id.0,
                    org_name: g.org_name.clone(),
                })
                .collect(),
        }
    }
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct UserListQuery {
    /// 1-based page of 50.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
}

/// Accounts placed in the subtree (a grant there, or their member's cell),
/// by username, 50 a page; totals in X-Total-Count and X-Page-Count.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/users", tag = "auth", params(("id" = i64, Path), UserListQuery), security(("bearer" = [])),
    responses((status = 200, body = [UserSummary], headers(("X-Total-Count" = i64), ("X-Page-Count" = i64))), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<UserListQuery>,
) -> Result<Response, ApiError> {
    let page = service::account::list(&app, &c, OrgId(id), clamp_page(q.page)).await?;
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(page.total));
    headers.insert("x-page-count", HeaderValue::from(page.pages()));
    let body: Vec<UserSummary> = page.items.iter().map(UserSummary::from).collect();
    Ok((headers, Json(body)).into_response())
}

/// One account with its grants.
#[utoipa::path(get, path = "/api/v1/users/{id}", tag = "auth", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = UserDetail), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<UserDetail>, ApiError> {
    let view = service::account::get(&app, &c, UserId(id)).await?;
    Ok(Json(UserDetail::from(&view)))
}

/// Disables the account: it cannot sign in, and its sessions and API tokens
/// end at once.
#[utoipa::path(post, path = "/api/v1/users/{id}/disable", tag = "auth", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn disable(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::account::set_disabled(&app, &c, UserId(id), true).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Enables a disabled account.
#[utoipa::path(post, path = "/api/v1/users/{id}/enable", tag = "auth", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn enable(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    service::account::set_disabled(&app, &c, UserId(id), false).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct Revoked {
    /// API tokens deleted; every browser session ended too.
    pub tokens_deleted: u64,
}

/// Ends every browser session and deletes every API token of the account.
#[utoipa::path(post, path = "/api/v1/users/{id}/revoke", tag = "auth", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = Revoked), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn revoke(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Revoked>, ApiError> {
    let tokens_deleted = service::account::revoke(&app, &c, UserId(id)).await?;
    Ok(Json(Revoked { tokens_deleted }))
}

/// Removes one grant of the account.
#[utoipa::path(delete, path = "/api/v1/users/{id}/grants/{grant_id}", tag = "auth", params(("id" = i64, Path), ("grant_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn remove_grant(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, grant)): ApiPath<(i64, i64)>,
) -> Result<StatusCode, ApiError> {
    service::account::remove_grant(&app, &c, UserId(id), grant).await?;
    Ok(StatusCode::NO_CONTENT)
}
