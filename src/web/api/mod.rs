//! The JSON API under /api/v1, described by /api/openapi.json. Same service
//! functions, same authorization, as the pages.

pub mod auth;
pub mod meetings;
pub mod members;
pub mod orgs;
pub mod users;

use crate::app::AppState;
use axum::Router;
use axum::routing::{delete, get, patch, post, put};

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
        .route(
            "/orgs/{id}/meetings",
            get(meetings::list).post(meetings::create),
        )
        .route("/orgs/{id}/meetings/plan", post(meetings::plan))
        .route(
            "/orgs/{id}/schedule",
            get(meetings::schedule).put(meetings::set_schedule),
        )
        .route("/orgs/{id}/meeting-stats", get(meetings::stats))
        .route("/orgs/{id}/compliance", get(meetings::compliance))
        .route("/orgs/{id}/calendar.ics", get(meetings::calendar_ics))
        .route("/orgs/{id}/calendar.xlsx", get(meetings::calendar_xlsx))
        .route("/me/home", get(meetings::home))
        .route("/me/calendar.ics", get(meetings::my_calendar))
        .route("/meetings/{id}", get(meetings::get).patch(meetings::patch))
        .route("/meetings/{id}/agenda", put(meetings::agenda))
        .route("/meetings/{id}/attendance", put(meetings::attendance))
        .route("/meetings/{id}/notice", post(meetings::notice))
        .route("/meetings/{id}/sign", post(meetings::sign))
        .route("/meetings/{id}/amendments", post(meetings::amend))
        .route("/meetings/{id}/tasks", post(meetings::add_task))
        .route("/meetings/{id}/report", post(meetings::report))
        .route(
            "/meetings/{id}/documents",
            post(meetings::upload).layer(axum::extract::DefaultBodyLimit::max(
                crate::service::meeting::MAX_DOCUMENT_BYTES + 64 * 1024,
            )),
        )
        .route("/meetings/{id}/minutes.docx", get(meetings::minutes_docx))
        .route(
            "/meetings/{id}/resolution.docx",
            get(meetings::resolution_docx),
        )
        .route("/meetings/{id}/notice.docx", get(meetings::notice_docx))
        .route("/documents/{id}", get(meetings::document))
        .route("/tasks/{id}", patch(meetings::review_task))
        .route("/members", post(members::create))
        .route("/members/{id}", get(members::get).patch(members::update))
        .route("/members/{id}/history", get(members::history))
        .route("/members/{id}/transfer", post(members::transfer))
        .route("/orgs/{id}/users", get(users::list))
        .route("/users/{id}", get(users::get))
        .route("/users/{id}/disable", post(users::disable))
        .route("/users/{id}/enable", post(users::enable))
        .route("/users/{id}/revoke", post(users::revoke))
        .route("/users/{id}/grants/{grant_id}", delete(users::remove_grant))
}
