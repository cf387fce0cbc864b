//! The JSON API under /api/v1, described by /api/openapi.json. Same service
//! functions, same authorization, as the pages.

pub mod auth;
pub mod meetings;
pub mod members;
pub mod orgs;
pub mod users;

use crate::app::AppState;
use crate::domain::authz::Action::*;
use crate::service::Object::*;
use crate::web::guard::{Need::*, Routes, Surface};
use crate::web::pages::import::body_limit;
use axum::http::Method;

/// Every API route with what it needs (see `web::guard`).
pub fn routes(app: &AppState) -> Routes {
    let (get, post, put, patch) = (Method::GET, Method::POST, Method::PUT, Method::PATCH);
    let import_limit = Some(body_limit(crate::docs::table::MAX_BYTES));
    let document_limit = Some(body_limit(crate::service::meeting::MAX_DOCUMENT_BYTES));
    Routes::new(app, Surface::Api, "/api/v1")
        .add(post.clone(), "/auth/token", Public, auth::token)
        .add(get.clone(), "/me", SignedIn, auth::me)
        .add(get.clone(), "/orgs", SignedIn, orgs::list)
        .add(post.clone(), "/orgs", SignedIn, orgs::create)
        .add(get.clone(), "/orgs/{id}", On(Org, ReadOrg), orgs::get)
        .add(get.clone(), "/orgs/{id}/children", On(Org, ReadOrg), orgs::children)
        .add(get.clone(), "/orgs/{id}/stats", On(Org, ReadOrg), orgs::stats)
        .add(get.clone(), "/orgs/{id}/history", On(Org, ReadOrg), orgs::history)
        .add(post.clone(), "/orgs/{id}/rename", On(Org, WriteOrg), orgs::rename)
        .add(post.clone(), "/orgs/{id}/move", On(Org, WriteOrg), orgs::move_to)
        .add(post.clone(), "/orgs/{id}/merge", On(Org, WriteOrg), orgs::merge)
        .add(post.clone(), "/orgs/{id}/dissolve", On(Org, WriteOrg), orgs::dissolve)
        .add(get.clone(), "/orgs/{id}/audit", On(Org, ReadAudit), orgs::audit)
        .add(get.clone(), "/orgs/{id}/members", On(Org, ListMembers), members::list)
        .add(post.clone(), "/orgs/{id}/members", On(Org, WriteMember), members::create_in)
        .add(get.clone(), "/orgs/{id}/members.xlsx", On(Org, ListMembers), members::export)
        .add_limited(post.clone(), "/orgs/{id}/members/import", On(Org, ImportMembers), import_limit, members::import)
        .add(get.clone(), "/orgs/{id}/meetings", On(Org, ReadOrg), meetings::list)
        .add(post.clone(), "/orgs/{id}/meetings", On(Org, ManageMeetings), meetings::create)
        .add(post.clone(), "/orgs/{id}/meetings/plan", On(Org, ManageMeetings), meetings::plan)
        .add(get.clone(), "/orgs/{id}/schedule", On(Org, ReadOrg), meetings::schedule)
        .add(put.clone(), "/orgs/{id}/schedule", On(Org, ManageMeetings), meetings::set_schedule)
        .add(get.clone(), "/orgs/{id}/meeting-stats", On(Org, ReadOrg), meetings::stats)
        .add(get.clone(), "/orgs/{id}/compliance", On(Org, ReadOrg), meetings::compliance)
        .add(get.clone(), "/orgs/{id}/calendar.ics", On(Org, ReadOrg), meetings::calendar_ics)
        .add(get.clone(), "/orgs/{id}/calendar.xlsx", On(Org, ReadOrg), meetings::calendar_xlsx)
        .add(get.clone(), "/me/home", SignedIn, meetings::home)
        .add(get.clone(), "/me/calendar.ics", SignedIn, meetings::my_calendar)
        .add(get.clone(), "/meetings/{id}", On(Meeting, ReadOrg), meetings::get)
        .add(patch.clone(), "/meetings/{id}", On(Meeting, ManageMeetings), meetings::patch)
        .add(put.clone(), "/meetings/{id}/agenda", On(Meeting, ManageMeetings), meetings::agenda)
        .add(put, "/meetings/{id}/attendance", On(Meeting, ManageMeetings), meetings::attendance)
        .add(post.clone(), "/meetings/{id}/notice", On(Meeting, ManageMeetings), meetings::notice)
        .add(post.clone(), "/meetings/{id}/sign", On(Meeting, ManageMeetings), meetings::sign)
        .add(post.clone(), "/meetings/{id}/amendments", On(Meeting, ManageMeetings), meetings::amend)
        .add(post.clone(), "/meetings/{id}/tasks", On(Meeting, ManageMeetings), meetings::add_task)
        .add(post.clone(), "/meetings/{id}/report", On(Meeting, ManageMeetings), meetings::report)
        .add_limited(post.clone(), "/meetings/{id}/documents", On(Meeting, ManageMeetings), document_limit, meetings::upload)
        .add(get.clone(), "/meetings/{id}/minutes.docx", On(Meeting, ReadOrg), meetings::minutes_docx)
        .add(get.clone(), "/meetings/{id}/resolution.docx", On(Meeting, ReadOrg), meetings::resolution_docx)
        .add(get.clone(), "/meetings/{id}/notice.docx", On(Meeting, ReadOrg), meetings::notice_docx)
        .add(get.clone(), "/documents/{id}", On(Document, ReadOrg), meetings::document)
        .add(patch.clone(), "/tasks/{id}", On(Task, ManageMeetings), meetings::review_task)
        .add(post.clone(), "/members", SignedIn, members::create)
        .add(get.clone(), "/members/{id}", On(Member, ReadMember), members::get)
        .add(patch, "/members/{id}", On(Member, WriteMember), members::update)
        .add(get.clone(), "/members/{id}/history", On(Member, ReadMember), members::history)
        .add(post.clone(), "/members/{id}/transfer", On(Member, WriteMember), members::transfer)
        .add(get.clone(), "/orgs/{id}/users", On(Org, ListAccounts), users::list)
        .add(get, "/users/{id}", On(User, ManageAccounts), users::get)
        .add(post.clone(), "/users/{id}/disable", On(User, ManageAccounts), users::disable)
        .add(post.clone(), "/users/{id}/enable", On(User, ManageAccounts), users::enable)
        .add(post, "/users/{id}/revoke", On(User, ManageAccounts), users::revoke)
        .add(Method::DELETE, "/users/{id}/grants/{grant_id}", On(User, ManageAccounts), users::remove_grant)
}
