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

use crate::domain::authz::Action::*;
use crate::service::Object::*;
use crate::web::extract::PageCaller;
use crate::web::guard::{Need::*, Routes, Surface};
use axum::http::Method;
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

/// Every page route with what it needs (see `web::guard`).
pub fn routes(app: &crate::app::AppState) -> Routes {
    let (get, post) = (Method::GET, Method::POST);
    let import_limit = Some(import::body_limit(crate::docs::table::MAX_BYTES));
    let document_limit = Some(import::body_limit(crate::service::meeting::MAX_DOCUMENT_BYTES));
    Routes::new(app, Surface::Page, "")
        .add(get.clone(), "/", SignedIn, home::home)
        .add(get.clone(), "/tree", SignedIn, home::tree)
        .add(get.clone(), "/login", Public, auth::login_form)
        .add(post.clone(), "/login", Public, auth::login)
        .add(post.clone(), "/logout", SignedIn, auth::logout)
        .add(get.clone(), "/orgs", SignedIn, orgs::search)
        .add(get.clone(), "/orgs/{id}", On(Org, ReadOrg), orgs::show)
        .add(post.clone(), "/orgs/{id}/children", On(Org, CreateOrg), orgs::create_child)
        .add(post.clone(), "/orgs/{id}/change", On(Org, WriteOrg), orgs::change)
        .add(get.clone(), "/orgs/{id}/audit", On(Org, ReadAudit), audit::org_log)
        .add(get.clone(), "/orgs/{id}/members", On(Org, ListMembers), members::list)
        .add(get.clone(), "/orgs/{id}/members.xlsx", On(Org, ListMembers), members::export)
        .add(get.clone(), "/orgs/{id}/members/new", On(Org, WriteMember), members::new_form)
        .add(post.clone(), "/orgs/{id}/members/new", On(Org, WriteMember), members::create)
        .add(get.clone(), "/orgs/{id}/import", On(Org, ImportMembers), import::import_form)
        .add_limited(post.clone(), "/orgs/{id}/import", On(Org, ImportMembers), import_limit, import::import)
        .add(get.clone(), "/members/{id}", On(Member, ReadMember), members::profile)
        .add(get.clone(), "/members/{id}/edit", On(Member, WriteMember), members::edit_form)
        .add(post.clone(), "/members/{id}/edit", On(Member, WriteMember), members::update)
        .add(post.clone(), "/members/{id}/transfer", On(Member, WriteMember), members::transfer)
        .add(get.clone(), "/orgs/{id}/meetings", On(Org, ReadOrg), calendar::page)
        .add(get.clone(), "/orgs/{id}/calendar.xlsx", On(Org, ReadOrg), calendar::xlsx)
        .add(get.clone(), "/orgs/{id}/calendar.ics", On(Org, ReadOrg), calendar::ics)
        .add(get.clone(), "/me/calendar.ics", SignedIn, calendar::my_ics)
        .add(post.clone(), "/orgs/{id}/meetings/plan", On(Org, ManageMeetings), calendar::plan)
        .add(post.clone(), "/orgs/{id}/meetings/new", On(Org, ManageMeetings), calendar::create)
        .add(post.clone(), "/orgs/{id}/schedule", On(Org, ManageMeetings), calendar::set_schedule)
        .add(get.clone(), "/meetings/{id}", On(Meeting, ReadOrg), meetings::show)
        .add(post.clone(), "/meetings/{id}/edit", On(Meeting, ManageMeetings), meetings::edit)
        .add(post.clone(), "/meetings/{id}/agenda", On(Meeting, ManageMeetings), meetings::agenda)
        .add(post.clone(), "/meetings/{id}/attendance", On(Meeting, ManageMeetings), meetings::attendance)
        .add(post.clone(), "/meetings/{id}/notice", On(Meeting, ManageMeetings), meetings::notice)
        .add(post.clone(), "/meetings/{id}/sign", On(Meeting, ManageMeetings), meetings::sign)
        .add(post.clone(), "/meetings/{id}/report", On(Meeting, ManageMeetings), meetings::report)
        .add(post.clone(), "/meetings/{id}/amend", On(Meeting, ManageMeetings), meetings::amend)
        .add(post.clone(), "/meetings/{id}/tasks", On(Meeting, ManageMeetings), meetings::add_task)
        .add_limited(post.clone(), "/meetings/{id}/documents", On(Meeting, ManageMeetings), document_limit, meetings::upload)
        .add(get.clone(), "/meetings/{id}/print/{which}", On(Meeting, ReadOrg), meetings::print)
        .add(get.clone(), "/meetings/{id}/{which}", On(Meeting, ReadOrg), meetings::docx)
        .add(post.clone(), "/tasks/{id}/review", On(Task, ManageMeetings), meetings::review)
        .add(get.clone(), "/documents/{id}", On(Document, ReadOrg), meetings::document)
        .add(get.clone(), "/orgs/{id}/accounts", On(Org, ListAccounts), accounts::list)
        .add(get, "/users/{id}", On(User, ManageAccounts), accounts::show)
        .add(post.clone(), "/users/{id}/disable", On(User, ManageAccounts), accounts::disable)
        .add(post.clone(), "/users/{id}/enable", On(User, ManageAccounts), accounts::enable)
        .add(post.clone(), "/users/{id}/revoke", On(User, ManageAccounts), accounts::revoke)
        .add(post, "/users/{id}/grants/{grant_id}/remove", On(User, ManageAccounts), accounts::remove_grant)
}
