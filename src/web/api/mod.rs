//! The JSON API under /api/v1, described by /api/openapi.json. Same service
//! functions, same authorization, as the pages.

pub mod auth;
pub mod members;
pub mod orgs;

use crate::app::AppState;
use axum::Router;
use axum::routing::{get, post};

pub fn router() -> Router<AppState> {
    Router::new()
        .route("/auth/token", post(auth::token))
        .route("/me", get(auth::me))
        .route("/orgs", get(orgs::list).post(orgs::create))
        .route("/orgs/{id}", get(orgs::get))
        .route("/orgs/{id}/children", get(orgs::children))
        .route("/orgs/{id}/stats", get(orgs::stats))
        .route("/orgs/{id}/history", get(orgs::history))
        .route("/orgs/{id}/rename", post(orgs::rename))
        .route("/orgs/{id}/move", post(orgs::move_to))
        .route("/orgs/{id}/merge", post(orgs::merge))
        .route("/orgs/{id}/dissolve", post(orgs::dissolve))
        .route("/orgs/{id}/audit", get(orgs::audit))
        .route(
            "/orgs/{id}/members",
            get(members::list).post(members::create_in),
        )
        .route("/orgs/{id}/members.xlsx", get(members::export))
        .route(
            "/orgs/{id}/members/import",
            post(members::import).layer(axum::extract::DefaultBodyLimit::max(
                crate::docs::table::MAX_BYTES + 64 * 1024,
            )),
        )
        .route("/members", post(members::create))
        .route("/members/{id}", get(members::get).patch(members::update))
        .route("/members/{id}/history", get(members::history))
        .route("/members/{id}/transfer", post(members::transfer))
}
