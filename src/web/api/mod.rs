//! The JSON API under /api/v1, described by /api/openapi.json. Same service
//! functions, same authorization, as the pages.

pub mod auth;
pub mod classification;
pub mod conclusion;
pub mod dashboard;
pub mod followers;
pub mod indicators;
pub mod inspections;
pub mod meeting_day;
pub mod meetings;
pub mod members;
pub mod orgs;
pub mod posts;
pub mod preparation;
pub mod quality;
pub mod recommendations;
pub mod supervision;
pub mod urgent;
pub mod users;

use crate::app::AppState;
use crate::domain::authz::Action::*;
use crate::service::Object::*;
use crate::web::guard::{Need::*, Routes, Surface};
use axum::http::Method;

const GET: Method = Method::GET;
const POST: Method = Method::POST;
const PUT: Method = Method::PUT;
const PATCH: Method = Method::PATCH;
const DELETE: Method = Method::DELETE;
use crate::web::pages::import::body_limit;

/// Every API route with what it needs (see `web::guard`): one line a route.
#[rustfmt::skip]
pub fn routes(app: &AppState) -> Routes {
    let import_limit = Some(body_limit(crate::docs::table::MAX_BYTES));
    let document_limit = Some(body_limit(crate::service::meeting::MAX_DOCUMENT_BYTES));
    Routes::new(app, Surface::Api, "/api/v1")
        .add(POST, "/auth/token", Public, auth::token)
        .add(GET, "/me", SignedIn, auth::me)
        .add(PUT, "/me/display", SignedIn, auth::set_display)
        .add(GET, "/orgs", SignedIn, orgs::list)
        .add(POST, "/orgs", SignedIn, orgs::create)
        .add(GET, "/orgs/{id}", On(Org, ReadOrg), orgs::get)
        .add(GET, "/orgs/{id}/children", On(Org, ReadOrg), orgs::children)
        .add(GET, "/orgs/{id}/stats", On(Org, ReadOrg), orgs::stats)
        .add(GET, "/orgs/{id}/dashboard", On(Org, ReadOrg), dashboard::get)
        .add(GET, "/orgs/{id}/dashboard.xlsx", On(Org, ReadOrg), dashboard::xlsx)
        .add(GET, "/orgs/{id}/history", On(Org, ReadOrg), orgs::history)
        .add(POST, "/orgs/{id}/rename", On(Org, WriteOrg), orgs::rename)
        .add(POST, "/orgs/{id}/move", On(Org, WriteOrg), orgs::move_to)
        .add(POST, "/orgs/{id}/merge", On(Org, WriteOrg), orgs::merge)
        .add(POST, "/orgs/{id}/dissolve", On(Org, WriteOrg), orgs::dissolve)
        .add(GET, "/orgs/{id}/audit", On(Org, ReadAudit), orgs::audit)
        .add(GET, "/orgs/{id}/followers", On(Org, ReadOrg), followers::list)
        .add(POST, "/orgs/{id}/followers", On(Org, AssignFollowers), followers::assign)
        .add(DELETE, "/orgs/{id}/followers/{follow_id}", On(Org, AssignFollowers), followers::end)
        .add(GET, "/orgs/{id}/inspections", On(Org, Inspect), inspections::list)
        .add(POST, "/orgs/{id}/inspections", On(Org, Inspect), inspections::create)
        .add(GET, "/orgs/{id}/inspections/{inspection_id}", On(Org, Inspect), inspections::get)
        .add(POST, "/orgs/{id}/inspections/{inspection_id}/findings", On(Org, Inspect), inspections::add_finding)
        .add(POST, "/orgs/{id}/inspections/{inspection_id}/findings/{finding_id}/verify", On(Org, Inspect), inspections::verify)
        .add(GET, "/orgs/{id}/findings", On(Org, ReadOrg), inspections::of_cell)
        .add(POST, "/orgs/{id}/findings/{finding_id}/answer", On(Org, ManageMeetings), inspections::answer)
        .add(GET, "/orgs/{id}/urgent-issues", On(Org, ReadOrg), urgent::list)
        .add(POST, "/orgs/{id}/urgent-issues", On(Org, ManageMeetings), urgent::register)
        .add(POST, "/orgs/{id}/urgent-issues/{issue_id}/progress", On(Org, ManageMeetings), urgent::progress)
        .add(POST, "/orgs/{id}/urgent-issues/{issue_id}/assess", On(Org, AssessUrgentIssues), urgent::assess)
        .add(GET, "/orgs/{id}/urgent-overview", On(Org, ReadOrg), urgent::overview)
        .add(GET, "/orgs/{id}/classification", On(Org, ReadOrg), classification::year)
        .add(GET, "/orgs/{id}/classification/counts", On(Org, ReadOrg), classification::counts)
        .add(POST, "/orgs/{id}/classification/proposals", On(Org, ProposeClassification), classification::propose)
        .add(POST, "/orgs/{id}/classification/decisions", On(Org, DecideClassification), classification::decide)
        .add(POST, "/members/{id}/classification", On(Member, SelfAssess), classification::self_assess)
        .add(GET, "/orgs/{id}/rubrics", On(Org, ReadOrg), quality::list)
        .add(POST, "/orgs/{id}/rubrics", On(Org, DirectCells), quality::draft)
        .add(GET, "/orgs/{id}/rubrics/{rubric_id}", On(Org, ReadOrg), quality::show)
        .add(POST, "/orgs/{id}/rubrics/{rubric_id}", On(Org, DirectCells), quality::amend)
        .add(POST, "/orgs/{id}/rubrics/{rubric_id}/send", On(Org, DirectCells), quality::send)
        .add(POST, "/orgs/{id}/rubrics/{rubric_id}/comments", On(Org, ManageMeetings), quality::comment)
        .add(POST, "/orgs/{id}/rubrics/{rubric_id}/adopt", On(Org, DirectCells), quality::adopt)
        .add(GET, "/orgs/{id}/scores", On(Org, ReadOrg), quality::ranking)
        .add(GET, "/orgs/{id}/scores/{month}", On(Org, ReadOrg), quality::month_view)
        .add(POST, "/orgs/{id}/scores/{month}", On(Org, ScoreMonthly), quality::enter)
        .add(GET, "/orgs/{id}/score-trend", On(Org, ReadOrg), quality::trend)
        .add(GET, "/orgs/{id}/quality-levels", On(Org, ReadOrg), quality::levels)
        .add(GET, "/meetings/{id}/quality", On(Meeting, ReadOrg), quality::quality)
        .add(POST, "/meetings/{id}/quality/self", On(Meeting, ManageMeetings), quality::assess_self)
        .add(POST, "/meetings/{id}/quality/review", On(Meeting, ReviewQuality), quality::review)
        .add(GET, "/orgs/{id}/indicators", On(Org, ReadOrg), indicators::list)
        .add(POST, "/orgs/{id}/indicators", On(Org, ManageMeetings), indicators::create)
        .add(POST, "/orgs/{id}/indicators/{indicator_id}/targets", On(Org, ManageMeetings), indicators::target)
        .add(POST, "/orgs/{id}/indicators/{indicator_id}/actuals", On(Org, ManageMeetings), indicators::actual)
        .add(POST, "/orgs/{id}/training", On(Org, ManageMeetings), indicators::training)
        .add(GET, "/orgs/{id}/signals", On(Org, ReadSignals), indicators::signals)
        .add(GET, "/orgs/{id}/follower-attendance", On(Org, ReadOrg), followers::attendance)
        .add(GET, "/orgs/{id}/posts", On(Org, ReadOrg), posts::list)
        .add(POST, "/orgs/{id}/posts", On(Org, AssignPosts), posts::set)
        .add(POST, "/orgs/{id}/posts/{post_id}/end", On(Org, AssignPosts), posts::end)
        .add(GET, "/orgs/{id}/members", On(Org, ListMembers), members::list)
        .add(POST, "/orgs/{id}/members", On(Org, WriteMember), members::create_in)
        .add(GET, "/orgs/{id}/members.xlsx", On(Org, ListMembers), members::export)
        .add_limited(POST, "/orgs/{id}/members/import", On(Org, ImportMembers), import_limit, members::import)
        .add(GET, "/orgs/{id}/meetings", On(Org, ReadOrg), meetings::list)
        .add(POST, "/orgs/{id}/meetings", On(Org, ManageMeetings), meetings::create)
        .add(POST, "/orgs/{id}/meetings/plan", On(Org, ManageMeetings), meetings::plan)
        .add(GET, "/orgs/{id}/schedule", On(Org, ReadOrg), meetings::schedule)
        .add(PUT, "/orgs/{id}/schedule", On(Org, ManageMeetings), meetings::set_schedule)
        .add(GET, "/orgs/{id}/meeting-day", On(Org, ReadOrg), meeting_day::list)
        .add(POST, "/orgs/{id}/meeting-day", On(Org, DirectCells), meeting_day::set)
        .add(GET, "/orgs/{id}/meeting-stats", On(Org, ReadOrg), meetings::stats)
        .add(GET, "/orgs/{id}/compliance", On(Org, ReadOrg), meetings::compliance)
        .add(GET, "/orgs/{id}/calendar.ics", On(Org, ReadOrg), meetings::calendar_ics)
        .add(GET, "/orgs/{id}/calendar.xlsx", On(Org, ReadOrg), meetings::calendar_xlsx)
        .add(GET, "/me/home", SignedIn, meetings::home)
        .add(GET, "/me/calendar.ics", SignedIn, meetings::my_calendar)
        .add(GET, "/meetings/{id}", On(Meeting, ReadOrg), meetings::get)
        .add(PATCH, "/meetings/{id}", On(Meeting, ManageMeetings), meetings::patch)
        .add(PUT, "/meetings/{id}/agenda", On(Meeting, ManageMeetings), meetings::agenda)
        .add(PUT, "/meetings/{id}/agreement", On(Meeting, ManageMeetings), preparation::agree)
        .add(PUT, "/meetings/{id}/attendance", On(Meeting, ManageMeetings), meetings::attendance)
        .add(POST, "/meetings/{id}/notice", On(Meeting, ManageMeetings), meetings::notice)
        .add(POST, "/meetings/{id}/mail/retry", On(Meeting, ManageMeetings), meetings::mail_retry)
        .add(POST, "/meetings/{id}/sign", On(Meeting, ManageMeetings), meetings::sign)
        .add(POST, "/meetings/{id}/amendments", On(Meeting, ManageMeetings), meetings::amend)
        .add(POST, "/meetings/{id}/tasks", On(Meeting, ManageMeetings), meetings::add_task)
        .add(POST, "/meetings/{id}/report", On(Meeting, ManageMeetings), meetings::report)
        .add_limited(POST, "/meetings/{id}/documents", On(Meeting, ManageMeetings), document_limit, meetings::upload)
        .add(GET, "/meetings/{id}/minutes.docx", On(Meeting, ReadOrg), meetings::minutes_docx)
        .add(GET, "/meetings/{id}/resolution.docx", On(Meeting, ReadOrg), meetings::resolution_docx)
        .add(GET, "/meetings/{id}/notice.docx", On(Meeting, ReadOrg), meetings::notice_docx)
        .add(GET, "/documents/{id}", On(Document, ReadOrg), meetings::document)
        .add(PATCH, "/tasks/{id}", On(Task, ManageMeetings), meetings::review_task)
        .add(GET, "/orgs/{id}/rounds", On(Org, PlanSupervision), supervision::list)
        .add(POST, "/orgs/{id}/rounds", On(Org, PlanSupervision), supervision::create)
        .add(GET, "/rounds/{id}", On(Round, AttendMeeting), supervision::get)
        .add(POST, "/rounds/{id}/cadres", On(Round, PlanSupervision), supervision::add_cadres)
        .add(POST, "/rounds/{id}/visits", On(Round, AttendMeeting), supervision::pick)
        .add(GET, "/rounds/{id}/conclusion", On(Round, PlanSupervision), conclusion::get)
        .add(PUT, "/rounds/{id}/conclusion", On(Round, PlanSupervision), conclusion::save)
        .add(POST, "/rounds/{id}/conclusion/issue", On(Round, PlanSupervision), conclusion::issue)
        .add(GET, "/rounds/{id}/conclusion.docx", On(Conclusion, ReadOrg), conclusion::docx)
        .add(POST, "/rounds/{id}/earlier/{finding_id}/verify", On(Round, PlanSupervision), conclusion::verify)
        .add(GET, "/visits/{id}", On(Visit, AttendMeeting), supervision::visit)
        .add(PUT, "/visits/{id}/report", On(Visit, AttendMeeting), supervision::report)
        .add(POST, "/visits/{id}/recommendations", On(Visit, AttendMeeting), supervision::carry_up)
        .add(POST, "/members", SignedIn, members::create)
        .add(GET, "/members/{id}", On(Member, ReadMember), members::get)
        .add(PATCH, "/members/{id}", On(Member, WriteMember), members::update)
        .add(GET, "/members/{id}/history", On(Member, ReadMember), members::history)
        .add(POST, "/members/{id}/transfer", On(Member, WriteMember), members::transfer)
        .add(GET, "/orgs/{id}/recommendations", On(Org, ReadOrg), recommendations::list)
        .add(POST, "/orgs/{id}/recommendations", On(Org, ManageMeetings), recommendations::raise)
        .add(GET, "/orgs/{id}/recommendations/counts", On(Org, ReadOrg), recommendations::counts)
        .add(POST, "/meetings/{id}/recommendations", On(Meeting, ManageMeetings), recommendations::raise_at_meeting)
        .add(GET, "/recommendations/{id}", On(Recommendation, ReadOrg), recommendations::get)
        .add(POST, "/recommendations/{id}/route", On(Recommendation, HandleRecommendations), recommendations::route)
        .add(POST, "/recommendations/{id}/assign", On(Recommendation, HandleRecommendations), recommendations::assign)
        .add(POST, "/recommendations/{id}/answer", On(Recommendation, HandleRecommendations), recommendations::answer)
        .add(POST, "/recommendations/{id}/close", On(Recommendation, HandleRecommendations), recommendations::close)
        .add(POST, "/recommendations/{id}/report", On(Recommendation, ManageMeetings), recommendations::report)
        .add(GET, "/orgs/{id}/users", On(Org, ListAccounts), users::list)
        .add(GET, "/users/{id}", On(User, ManageAccounts), users::get)
        .add(POST, "/users/{id}/disable", On(User, ManageAccounts), users::disable)
        .add(POST, "/users/{id}/enable", On(User, ManageAccounts), users::enable)
        .add(POST, "/users/{id}/revoke", On(User, ManageAccounts), users::revoke)
        .add(DELETE, "/users/{id}/grants/{grant_id}", On(User, ManageAccounts), users::remove_grant)
}
