//! Server-rendered HTML pages (maud), one file per screen family.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod home;
pub mod import;
pub mod layout;
pub mod meetings;
pub mod members;
pub mod orgs;

use crate::web::extract::PageCaller;
use layout::{Frame, page};
use maud::Markup;
use tower_sessions::Session;

const FLASH: &str = "flash";

/// A one-time message shown on the next page (after a redirect).
pub async fn set_flash(session: &Session, msg: impl Into<String>) {
    if let Err(e) = session.insert(FLASH, msg.into()).await {
        tracing::warn!(error = %e, "could not store flash message");
    }
}

/// Renders a page for the signed-in caller, with any pending flash message.
pub async fn render(pc: &PageCaller, title: &str, body: Markup) -> Markup {
    let flash: Option<String> = pc.session.remove(FLASH).await.ok().flatten();
    page(
        Frame {
            title,
            caller: Some(&pc.caller),
            csrf: &pc.csrf,
            flash,
        },
        body,
    )
}

pub fn router() -> axum::Router<crate::app::AppState> {
    use axum::routing::{get, post};
    axum::Router::new()
        .route("/", get(home::home))
        .route("/tree", get(home::tree))
        .route("/login", get(auth::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/orgs", get(orgs::search))
        .route("/orgs/{id}", get(orgs::show))
        .route("/orgs/{id}/children", post(orgs::create_child))
        .route("/orgs/{id}/change", post(orgs::change))
        .route("/orgs/{id}/audit", get(audit::org_log))
        .route("/orgs/{id}/members", get(members::list))
        .route("/orgs/{id}/members.xlsx", get(members::export))
        .route(
            "/orgs/{id}/members/new",
            get(members::new_form).post(members::create),
        )
        .route(
            "/orgs/{id}/import",
            get(import::import_form).post(import::import),
        )
        .route("/members/{id}", get(members::profile))
        .route(
            "/members/{id}/edit",
            get(members::edit_form).post(members::update),
        )
        .route("/members/{id}/transfer", post(members::transfer))
        .route("/orgs/{id}/meetings", get(calendar::page))
        .route("/orgs/{id}/calendar.xlsx", get(calendar::xlsx))
        .route("/orgs/{id}/calendar.ics", get(calendar::ics))
        .route("/me/calendar.ics", get(calendar::my_ics))
        .route("/orgs/{id}/meetings/plan", post(calendar::plan))
        .route("/orgs/{id}/meetings/new", post(calendar::create))
        .route("/orgs/{id}/schedule", post(calendar::set_schedule))
        .route("/meetings/{id}", get(meetings::show))
        .route("/meetings/{id}/edit", post(meetings::edit))
        .route("/meetings/{id}/agenda", post(meetings::agenda))
        .route("/meetings/{id}/attendance", post(meetings::attendance))
        .route("/meetings/{id}/notice", post(meetings::notice))
        .route("/meetings/{id}/sign", post(meetings::sign))
        .route("/meetings/{id}/report", post(meetings::report))
        .route("/meetings/{id}/amend", post(meetings::amend))
        .route("/meetings/{id}/tasks", post(meetings::add_task))
        .route("/meetings/{id}/documents", post(meetings::upload))
        .route("/meetings/{id}/print/{which}", get(meetings::print))
        .route("/meetings/{id}/{which}", get(meetings::docx))
        .route("/tasks/{id}/review", post(meetings::review))
        .route("/documents/{id}", get(meetings::document))
        .route("/orgs/{id}/accounts", get(accounts::list))
        .route("/users/{id}", get(accounts::show))
        .route("/users/{id}/disable", post(accounts::disable))
        .route("/users/{id}/enable", post(accounts::enable))
        .route("/users/{id}/revoke", post(accounts::revoke))
        .route(
            "/users/{id}/grants/{grant_id}/remove",
            post(accounts::remove_grant),
        )
}
