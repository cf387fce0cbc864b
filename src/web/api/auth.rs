use crate::app::AppState;
use crate::domain::display::Display;
use crate::service;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ClientAddr};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

#[derive(Deserialize, ToSchema)]
pub struct TokenRequest {
    pub username: String,
    pub password: String,
}

#[derive(Serialize, ToSchema)]
pub struct TokenResponse {
    /// Send as `Authorization: Bearer TOKEN`; valid 30 days.
    pub token: String,
}

/// Exchanges a username and password for a bearer token. Failed attempts
/// slow down further ones for the account and the client address (429 with
/// `Retry-After`); 503 when too many passwords are being checked at once.
#[utoipa::path(post, path = "/api/v1/auth/token", tag = "auth", request_body = TokenRequest,
    responses((status = 200, body = TokenResponse), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody),
        (status = 429, body = ErrorBody, headers(("Retry-After" = i64, description = "seconds to wait"))),
        (status = 503, body = ErrorBody, headers(("Retry-After" = i64, description = "seconds to wait")))))]
pub async fn token(
    State(app): State<AppState>,
    ClientAddr(client): ClientAddr,
    ApiJson(req): ApiJson<TokenRequest>,
) -> Result<Json<TokenResponse>, ApiError> {
    let signed_in = service::login::login(
        &app,
        service::login::Channel::Api,
        &client,
        &req.username,
        &req.password,
    )
    .await?;
    Ok(Json(TokenResponse {
        token: service::auth::issue_token(&app, signed_in.user).await?,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct GrantOut {
    /// admin | staff | secretary | deputy | member
    pub role: String,
    pub org_id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct Me {
    pub id: i64,
    pub username: String,
    pub display_name: String,
    pub member_id: Option<i64>,
    pub grants: Vec<GrantOut>,
    /// Reading preferences kept with the account.
    pub display: Display,
}

/// The signed-in user and their grants.
#[utoipa::path(get, path = "/api/v1/me", tag = "auth", security(("bearer" = [])),
    responses((status = 200, body = Me), (status = 401, body = ErrorBody)))]
pub async fn me(ApiCaller(c): ApiCaller) -> Json<Me> {
    let a = &c.actor;
    Json(Me {
        id: a.user_id.0,
        username: a.username.clone(),
        display_name: a.display_name.clone(),
        member_id: a.member_id.map(|m| m.0),
        grants: a
            .grants
            .iter()
            .map(|g| GrantOut {
                role: g.role.code().into(),
                org_id: g.org.0,
            })
            .collect(),
        display: c.display,
    })
}

/// Sets the caller's reading preferences: larger text, higher contrast.
#[utoipa::path(put, path = "/api/v1/me/display", tag = "auth", security(("bearer" = [])),
    request_body = Display,
    responses((status = 200, body = Display), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_display(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(d): ApiJson<Display>,
) -> Result<Json<Display>, ApiError> {
    service::account::set_display(&app, &c, d).await?;
    Ok(Json(d))
}
