//! Server-rendered HTML pages (maud), one file per screen family.

pub mod accounts;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod classification;
pub mod conclusion;
pub mod dashboard;
pub mod display;
pub mod follower_roll;
pub mod followers;
pub mod home;
pub mod import;
pub mod indicators;
pub mod inspections;
pub mod layout;
pub mod mail;
pub mod meeting_day;
pub mod meetings;
pub mod members;
pub mod offline;
pub mod orgs;
pub mod participation;
pub mod posts;
pub mod preparation;
pub mod quality;
pub mod recommendation;
pub mod recommendations;
pub mod rubric_form;
pub mod rubrics;
pub mod scores;
pub mod signals;
pub mod supervision;
pub mod urgent;

use crate::domain::authz::Action::*;
use crate::service::Object::*;
use crate::web::extract::PageCaller;
use crate::web::guard::{Need::*, Routes, Surface};
use axum::http::Method;

const GET: Method = Method::GET;
const POST: Method = Method::POST;
use axum::response::{IntoResponse, Response};
use layout::{Frame, page};
use maud::Markup;
use tower_sessions::Session;

const FLASH: &str = "flash";

/// A form that carries nothing but its CSRF token (sign, notify, sign out…).
#[derive(serde::Deserialize)]
pub struct Empty {}

/// A one-time message shown on the next page (after a redirect).
pub async fn set_flash(session: &Session, msg: impl Into<String>) {
    if let Err(e) = session.insert(FLASH, msg.into()).await {
        tracing::warn!(error = %e, "could not store flash message");
    }
}

/// Renders a page for the signed-in caller, with any pending flash message.
/// A form sent back with its field errors: 422 and the page re-rendered.
pub async fn invalid_page(pc: &PageCaller, title: &str, body: Markup) -> Response {
    (
        axum::http::StatusCode::UNPROCESSABLE_ENTITY,
        render(pc, title, body).await,
    )
        .into_response()
}

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

/// Every page route with what it needs (see `web::guard`): one line a route.
#[rustfmt::skip]
pub fn routes(app: &crate::app::AppState) -> Routes {
    let import_limit = Some(import::body_limit(crate::docs::table::MAX_BYTES));
    let document_limit = Some(import::body_limit(crate::service::meeting::MAX_DOCUMENT_BYTES));
    Routes::new(app, Surface::Page, "")
        .add(GET, "/", SignedIn, home::home)
        .add(GET, "/tree", SignedIn, home::tree)
        .add(GET, "/login", Public, auth::login_form)
        .add(POST, "/login", Public, auth::login)
        .add(POST, "/logout", SignedIn, auth::logout)
        .add(GET, "/orgs", SignedIn, orgs::search)
        .add(GET, "/orgs/{id}", On(Org, ReadOrg), orgs::show)
        .add(GET, "/orgs/{id}/dashboard", On(Org, ReadOrg), dashboard::page)
        .add(GET, "/orgs/{id}/dashboard.xlsx", On(Org, ReadOrg), dashboard::xlsx)
        .add(POST, "/orgs/{id}/children", On(Org, CreateOrg), orgs::create_child)
        .add(POST, "/orgs/{id}/change", On(Org, WriteOrg), orgs::change)
        .add(GET, "/orgs/{id}/audit", On(Org, ReadAudit), audit::org_log)
        .add(GET, "/orgs/{id}/followers", On(Org, ReadOrg), followers::page)
        .add(POST, "/orgs/{id}/followers", On(Org, AssignFollowers), followers::assign)
        .add(POST, "/orgs/{id}/followers/{follow_id}/end", On(Org, AssignFollowers), followers::end)
        .add(GET, "/orgs/{id}/inspections", On(Org, Inspect), inspections::list)
        .add(POST, "/orgs/{id}/inspections", On(Org, Inspect), inspections::create)
        .add(GET, "/orgs/{id}/inspections/{inspection_id}", On(Org, Inspect), inspections::show)
        .add(POST, "/orgs/{id}/inspections/{inspection_id}/findings", On(Org, Inspect), inspections::add_finding)
        .add(POST, "/orgs/{id}/inspections/{inspection_id}/findings/{finding_id}/verify", On(Org, Inspect), inspections::verify)
        .add(GET, "/orgs/{id}/findings", On(Org, ReadOrg), inspections::cell)
        .add(GET, "/orgs/{id}/urgent", On(Org, ReadOrg), urgent::list)
        .add(POST, "/orgs/{id}/urgent", On(Org, ManageMeetings), urgent::register)
        .add(POST, "/orgs/{id}/urgent/{issue_id}/progress", On(Org, ManageMeetings), urgent::progress)
        .add(POST, "/orgs/{id}/urgent/{issue_id}/assess", On(Org, AssessUrgentIssues), urgent::assess)
        .add(GET, "/orgs/{id}/urgent-overview", On(Org, ReadOrg), urgent::overview)
        .add(GET, "/orgs/{id}/classification", On(Org, ReadOrg), classification::show)
        .add(GET, "/orgs/{id}/classification.xlsx", On(Org, ReadOrg), classification::xlsx)
        .add(POST, "/orgs/{id}/classification/propose", On(Org, ProposeClassification), classification::propose)
        .add(POST, "/orgs/{id}/classification/decide", On(Org, DecideClassification), classification::decide)
        .add(GET, "/members/{id}/classification", On(Member, ReadMember), classification::member)
        .add(POST, "/members/{id}/classification", On(Member, SelfAssess), classification::self_assess)
        .add(GET, "/orgs/{id}/rubrics", On(Org, ReadOrg), rubrics::list)
        .add(POST, "/orgs/{id}/rubrics", On(Org, DirectCells), rubrics::draft)
        .add(GET, "/orgs/{id}/rubrics/{rubric_id}", On(Org, ReadOrg), rubrics::show)
        .add(POST, "/orgs/{id}/rubrics/{rubric_id}", On(Org, DirectCells), rubrics::amend)
        .add(POST, "/orgs/{id}/rubrics/{rubric_id}/send", On(Org, DirectCells), rubrics::send)
        .add(POST, "/orgs/{id}/rubrics/{rubric_id}/comments", On(Org, ManageMeetings), rubrics::comment)
        .add(POST, "/orgs/{id}/rubrics/{rubric_id}/adopt", On(Org, DirectCells), rubrics::adopt)
        .add(GET, "/orgs/{id}/scores", On(Org, ReadOrg), scores::ranking)
        .add(GET, "/orgs/{id}/scores.xlsx", On(Org, ReadOrg), scores::ranking_xlsx)
        .add(GET, "/orgs/{id}/scores/{month}", On(Org, ReadOrg), scores::month)
        .add(POST, "/orgs/{id}/scores/{month}", On(Org, ScoreMonthly), scores::enter)
        .add(GET, "/orgs/{id}/score-trend", On(Org, ReadOrg), scores::trend)
        .add(GET, "/meetings/{id}/quality", On(Meeting, ReadOrg), quality::page)
        .add(POST, "/meetings/{id}/quality/self", On(Meeting, ManageMeetings), quality::assess_self)
        .add(POST, "/meetings/{id}/quality/review", On(Meeting, ReviewQuality), quality::review)
        .add(GET, "/orgs/{id}/indicators", On(Org, ReadOrg), indicators::list)
        .add(GET, "/orgs/{id}/indicators.xlsx", On(Org, ReadOrg), indicators::xlsx)
        .add(POST, "/orgs/{id}/indicators", On(Org, ManageMeetings), indicators::create)
        .add(POST, "/orgs/{id}/indicators/{indicator_id}/targets", On(Org, ManageMeetings), indicators::target)
        .add(POST, "/orgs/{id}/indicators/{indicator_id}/actuals", On(Org, ManageMeetings), indicators::actual)
        .add(POST, "/orgs/{id}/training", On(Org, ManageMeetings), indicators::training)
        .add(GET, "/orgs/{id}/signals", On(Org, ReadSignals), signals::list)
        .add(POST, "/orgs/{id}/findings/{finding_id}/answer", On(Org, ManageMeetings), inspections::answer)
        .add(POST, "/orgs/{id}/posts", On(Org, AssignPosts), posts::set)
        .add(POST, "/orgs/{id}/posts/{post_id}/end", On(Org, AssignPosts), posts::end)
        .add(GET, "/orgs/{id}/members", On(Org, ListMembers), members::list)
        .add(GET, "/orgs/{id}/members.xlsx", On(Org, ListMembers), members::export)
        .add(GET, "/orgs/{id}/members/new", On(Org, WriteMember), members::new_form)
        .add(POST, "/orgs/{id}/members/new", On(Org, WriteMember), members::create)
        .add(GET, "/orgs/{id}/import", On(Org, ImportMembers), import::import_form)
        .add_limited(POST, "/orgs/{id}/import", On(Org, ImportMembers), import_limit, import::import)
        .add(GET, "/members/{id}", On(Member, ReadMember), members::profile)
        .add(GET, "/members/{id}/edit", On(Member, WriteMember), members::edit_form)
        .add(POST, "/members/{id}/edit", On(Member, WriteMember), members::update)
        .add(POST, "/members/{id}/transfer", On(Member, WriteMember), members::transfer)
        .add(GET, "/orgs/{id}/meetings", On(Org, ReadOrg), calendar::page)
        .add(GET, "/orgs/{id}/calendar.xlsx", On(Org, ReadOrg), calendar::xlsx)
        .add(GET, "/orgs/{id}/calendar.ics", On(Org, ReadOrg), calendar::ics)
        .add(GET, "/me/calendar.ics", SignedIn, calendar::my_ics)
        .add(POST, "/me/calendar-feed", SignedIn, calendar::new_feed)
        .add(GET, "/me/display", SignedIn, display::page)
        .add(POST, "/me/display", SignedIn, display::save)
        .add(GET, "/feeds/{file}", Public, calendar::private_feed)
        .add(POST, "/orgs/{id}/meetings/plan", On(Org, ManageMeetings), calendar::plan)
        .add(POST, "/orgs/{id}/meetings/new", On(Org, ManageMeetings), calendar::create)
        .add(POST, "/orgs/{id}/schedule", On(Org, ManageMeetings), calendar::set_schedule)
        .add(POST, "/orgs/{id}/meeting-day", On(Org, DirectCells), meeting_day::set)
        .add(GET, "/meetings/{id}", On(Meeting, ReadOrg), meetings::show)
        .add(POST, "/meetings/{id}/edit", On(Meeting, ManageMeetings), meetings::edit)
        .add(POST, "/meetings/{id}/agenda", On(Meeting, ManageMeetings), meetings::agenda)
        .add(POST, "/meetings/{id}/agreement", On(Meeting, ManageMeetings), preparation::agree)
        .add(POST, "/meetings/{id}/attendance", On(Meeting, ManageMeetings), meetings::attendance)
        .add(POST, "/meetings/{id}/offline/attendance", On(Meeting, ManageMeetings), offline::attendance)
        .add(POST, "/meetings/{id}/offline/minutes", On(Meeting, ManageMeetings), offline::minutes)
        .add(POST, "/meetings/{id}/notice", On(Meeting, ManageMeetings), meetings::notice)
        .add(POST, "/meetings/{id}/mail/retry", On(Meeting, ManageMeetings), mail::retry)
        .add(POST, "/meetings/{id}/sign", On(Meeting, ManageMeetings), meetings::sign)
        .add(POST, "/meetings/{id}/report", On(Meeting, ManageMeetings), meetings::report)
        .add(POST, "/meetings/{id}/amend", On(Meeting, ManageMeetings), meetings::amend)
        .add(POST, "/meetings/{id}/tasks", On(Meeting, ManageMeetings), meetings::add_task)
        .add_limited(POST, "/meetings/{id}/documents", On(Meeting, ManageMeetings), document_limit, meetings::upload)
        .add(GET, "/meetings/{id}/print/{which}", On(Meeting, ReadOrg), meetings::print)
        .add(GET, "/meetings/{id}/{which}", On(Meeting, ReadOrg), meetings::docx)
        .add(POST, "/tasks/{id}/review", On(Task, ManageMeetings), meetings::review)
        .add(GET, "/documents/{id}", On(Document, ReadOrg), meetings::document)
        .add(GET, "/orgs/{id}/rounds", On(Org, PlanSupervision), supervision::rounds)
        .add(POST, "/orgs/{id}/rounds", On(Org, PlanSupervision), supervision::create)
        .add(GET, "/me/rounds", SignedIn, supervision::mine)
        .add(GET, "/rounds/{id}", On(Round, AttendMeeting), supervision::round)
        .add(POST, "/rounds/{id}/cadres", On(Round, PlanSupervision), supervision::add_cadres)
        .add(POST, "/rounds/{id}/visits", On(Round, AttendMeeting), supervision::pick)
        .add(GET, "/rounds/{id}/conclusion", On(Round, PlanSupervision), conclusion::show)
        .add(POST, "/rounds/{id}/conclusion", On(Round, PlanSupervision), conclusion::save)
        .add(POST, "/rounds/{id}/conclusion/issue", On(Round, PlanSupervision), conclusion::issue)
        .add(GET, "/rounds/{id}/conclusion.docx", On(Conclusion, ReadOrg), conclusion::docx)
        .add(POST, "/rounds/{id}/earlier/{finding_id}/verify", On(Round, PlanSupervision), conclusion::verify)
        .add(GET, "/visits/{id}", On(Visit, AttendMeeting), supervision::visit)
        .add(POST, "/visits/{id}/report", On(Visit, AttendMeeting), supervision::report)
        .add(POST, "/visits/{id}/recommendations", On(Visit, AttendMeeting), supervision::carry_up)
        .add_limited(POST, "/visits/{id}/briefing", On(Visit, AttendMeeting), document_limit, supervision::upload_briefing)
        .add(GET, "/visits/{id}/briefing", On(Visit, ReadOrg), supervision::briefing)
        .add(GET, "/visits/{id}/letter.docx", On(Visit, AttendMeeting), supervision::letter)
        .add(GET, "/orgs/{id}/recommendations", On(Org, ReadOrg), recommendations::list)
        .add(GET, "/orgs/{id}/recommendations.xlsx", On(Org, ReadOrg), recommendations::xlsx)
        .add(POST, "/orgs/{id}/recommendations", On(Org, ManageMeetings), recommendations::raise)
        .add(POST, "/meetings/{id}/recommendations", On(Meeting, ManageMeetings), recommendations::raise_at_meeting)
        .add(POST, "/meetings/{id}/recommendations/{rec_id}/report", On(Meeting, ManageMeetings), recommendations::report_at_meeting)
        .add(GET, "/recommendations/{id}", On(Recommendation, ReadOrg), recommendation::show)
        .add(POST, "/recommendations/{id}/route", On(Recommendation, HandleRecommendations), recommendation::route)
        .add(POST, "/recommendations/{id}/assign", On(Recommendation, HandleRecommendations), recommendation::assign)
        .add(POST, "/recommendations/{id}/answer", On(Recommendation, HandleRecommendations), recommendation::answer)
        .add(POST, "/recommendations/{id}/close", On(Recommendation, HandleRecommendations), recommendation::close)
        .add(GET, "/orgs/{id}/accounts", On(Org, ListAccounts), accounts::list)
        .add(GET, "/users/{id}", On(User, ManageAccounts), accounts::show)
        .add(POST, "/users/{id}/disable", On(User, ManageAccounts), accounts::disable)
        .add(POST, "/users/{id}/enable", On(User, ManageAccounts), accounts::enable)
        .add(POST, "/users/{id}/revoke", On(User, ManageAccounts), accounts::revoke)
        .add(POST, "/users/{id}/grants/{grant_id}/remove", On(User, ManageAccounts), accounts::remove_grant)
}
