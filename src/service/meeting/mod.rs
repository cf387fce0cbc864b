//! The meeting cycle (domain.md §4): planning (`plan.rs`), the record of a
//! meeting (`record.rs`), notices (`notice.rs`) and statistics (`stats.rs`).

mod calendar;
mod day_policy;
mod doc;
pub mod feed;
pub(crate) mod notice;
pub mod offline;
mod out;
mod plan;
mod preparation;
mod record;
mod stats;

pub use calendar::{CalendarView, calendar};
pub use day_policy::{DayPolicyApplied, DayPolicyInput, DayPolicyOut, policies, set_policy};
pub use doc::{doc_of, meeting_doc, post_of};
pub use notice::event;
pub use notice::{NoticeResult, send_notice};
pub use out::{GroupOut, HomeOut, MeetingDetail, TallyOut};
pub use plan::{
    DocumentFile, MAX_DOCUMENT_BYTES, MAX_DOCUMENTS_PER_MEETING, MAX_MEETING_DOCUMENT_BYTES,
    MeetingPatch, NewMeetingInput, ScheduleInput, check_document, create, patch, plan_year,
    schedule, set_agenda, set_agenda_lines, set_schedule, upload_document,
};
pub use preparation::{AgreementInput, AgreementOut, agree_content};
pub use record::{
    AttendanceEntry, AttendanceInput, FollowerPresence, GuestInput, TaskInput, TaskReview,
    add_amendment, add_task, report_resolution, review_task, set_attendance, sign,
};
pub use stats::{ComplianceReport, MeetingStats, compliance, meeting_stats};

use super::{AppError, Caller, Result, authorize_org};
use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::meeting::{MeetingKind, Presence, RollEntry, Tally};
use crate::domain::participation::{Figures, Group};
use crate::store::{self, meeting::MeetingRow};
use jiff::civil::Date;
use serde::Serialize;
use std::sync::Arc;

/// A meeting as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingOut {
    pub id: i64,
    pub org_id: i64,
    /// regular | thematic | combined | ad_hoc | model | self_criticism
    pub kind: String,
    pub kind_label: String,
    /// YYYY-MM-DD
    pub date: String,
    /// HH:MM
    pub start_time: String,
    pub place: String,
    pub topic: String,
    pub ho_chi_minh: bool,
    /// planned | held | cancelled
    pub status: String,
    pub notice_sent_on: Option<String>,
    pub docs_published_on: Option<String>,
    pub resolution_sent_on: Option<String>,
    pub started_time: Option<String>,
    pub ended_time: Option<String>,
    pub chair_id: Option<i64>,
    pub recorder_id: Option<i64>,
    pub proceedings: String,
    pub conclusion: String,
    pub vote_for: Option<i64>,
    pub vote_against: Option<i64>,
    pub vote_abstain: Option<i64>,
    pub resolution_title: String,
    pub resolution_text: String,
    /// The minutes' number (see `numbers` for each document's).
    pub number: i64,
    pub signed: bool,
    pub signed_at: Option<String>,
    /// The cell's self-evaluation: good | fair | average | weak.
    pub quality: Option<String>,
}

impl From<&MeetingRow> for MeetingOut {
    fn from(m: &MeetingRow) -> Self {
        let d = |x: Option<store::Day>| x.map(|d| d.to_jiff().to_string());
        Self {
            id: m.id,
            org_id: m.org_id.0,
            kind: m.kind.clone(),
            kind_label: kind(m).label().to_string(),
            date: m.held_on.to_jiff().to_string(),
            start_time: m.start_time.clone(),
            place: m.place.clone(),
            topic: m.topic.clone(),
            ho_chi_minh: m.ho_chi_minh,
            status: m.status.clone(),
            notice_sent_on: d(m.notice_sent_on),
            docs_published_on: d(m.docs_published_on),
            resolution_sent_on: d(m.resolution_sent_on),
            started_time: m.started_time.clone(),
            ended_time: m.ended_time.clone(),
            chair_id: m.chair_id.map(|x| x.0),
            recorder_id: m.recorder_id.map(|x| x.0),
            proceedings: m.proceedings.clone(),
            conclusion: m.conclusion.clone(),
            vote_for: m.vote_for,
            vote_against: m.vote_against,
            vote_abstain: m.vote_abstain,
            resolution_title: m.resolution_title.clone(),
            resolution_text: m.resolution_text.clone(),
            number: m.number,
            signed: m.signed_at.is_some(),
            signed_at: m.signed_at.map(|t| t.to_jiff().to_string()),
            quality: m.quality.clone(),
        }
    }
}

pub fn kind(m: &MeetingRow) -> MeetingKind {
    MeetingKind::from_code(&m.kind).unwrap_or(MeetingKind::Regular)
}

/// Minutes from the recorded start and end times.
pub fn duration_minutes(m: &MeetingRow) -> Option<i64> {
    let parse = |s: &Option<String>| s.as_deref().and_then(crate::domain::schedule::parse_time);
    let (a, b) = (parse(&m.started_time)?, parse(&m.ended_time)?);
    let span = a.until(b).ok()?;
    Some(i64::from(span.get_hours()) * 60 + span.get_minutes())
}

/// What the rules judge of a meeting (docs/rules.md).
pub fn facts_of(m: &MeetingRow) -> crate::domain::rules::MeetingFacts {
    let parse = crate::domain::schedule::parse_time;
    crate::domain::rules::MeetingFacts {
        kind: kind(m),
        day: m.held_on.to_jiff(),
        held: m.status == "held",
        themed: !m.topic.trim().is_empty(),
        ho_chi_minh: m.ho_chi_minh,
        scheduled_start: parse(&m.start_time),
        started: m.started_time.as_deref().and_then(parse),
        minutes: duration_minutes(m),
        notice_sent: m.notice_sent_on.map(|d| d.to_jiff()),
        docs_published: m.docs_published_on.map(|d| d.to_jiff()),
        resolution_sent: m.resolution_sent_on.map(|d| d.to_jiff()),
    }
}

/// Loads a meeting and checks `action` on its cell.
pub async fn authorize(
    app: &AppState,
    caller: &Caller,
    action: Action,
    id: i64,
) -> Result<MeetingRow> {
    let m = match store::meeting::get(&app.db, id).await {
        Err(store::StoreError::NotFound) => return Err(AppError::NotFound),
        r => r?,
    };
    authorize_org(app, caller, action, m.org_id).await?;
    Ok(m)
}

pub async fn get(app: &AppState, caller: &Caller, id: i64) -> Result<MeetingRow> {
    authorize(app, caller, Action::ReadOrg, id).await
}

/// Most meetings a list or feed returns (a province's year is about 10,000).
pub const LIST_LIMIT: i64 = 20_000;

/// Meetings of the cells under a node between two dates, at most `LIST_LIMIT`.
pub async fn list(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    from: Date,
    to: Date,
) -> Result<Vec<MeetingRow>> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    Ok(store::meeting::in_subtree(
        &app.db,
        store::org::Root::of(&row),
        row.reference_date(app.clock.today()),
        from,
        to,
        LIST_LIMIT,
    )
    .await?)
}

/// Everything about one meeting, for its page and its documents.
pub struct MeetingView {
    pub meeting: MeetingRow,
    pub cell: store::org::OrgRow,
    pub parent: Option<store::org::OrgRow>,
    pub agenda: Vec<store::meeting::AgendaRow>,
    pub documents: Vec<store::meeting::DocumentRow>,
    pub attendance: Vec<store::meeting::AttendanceRow>,
    pub guests: Vec<(String, String)>,
    pub amendments: Vec<store::meeting::AmendmentRow>,
    pub tasks: Vec<store::meeting::TaskRow>,
    /// Open tasks of earlier meetings: a regular meeting opens with their review.
    pub open_tasks: Vec<store::meeting::TaskRow>,
    pub moves: Vec<store::meeting::MoveRow>,
    pub members: Vec<store::member::MemberRow>,
    /// The cell and its ancestors on the meeting's day, root first.
    pub ancestors: Vec<store::org::OrgRow>,
    /// Numbers its documents were given.
    pub numbers: store::document::Numbers,
    /// Posts held in the cell on the meeting's day: (member, post code).
    pub posts: Vec<(MemberId, String)>,
    /// Who followed the cell on the meeting's day, and whether each came
    /// (recorded with the roll call).
    pub followers: Vec<store::follow::FollowRow>,
    pub follower_presence: Vec<(MemberId, bool)>,
    /// Tasks of the previous resolution, reviewed at this meeting.
    pub reviews: Vec<store::meeting::TaskRow>,
    pub tally: Tally,
    /// The day the cell committee agreed the content, if recorded.
    pub agreement: Option<store::preparation::AgreementRow>,
    /// Figures of the members counted apart (after the roll call).
    pub groups: Vec<(Group, Figures)>,
    /// Whether the caller may prepare, record and sign this meeting.
    pub can_manage: bool,
    /// Visits of upper-level cadres, once the meeting has taken place.
    pub visits: Vec<crate::service::supervision::VisitShown>,
    /// Delivery of the meeting's mail, for those who manage it (`can_manage`).
    pub mail: Option<crate::service::outbox::MailDelivery>,
}

impl MeetingView {
    /// Whether a follower of the cell attended, once recorded.
    pub fn follower_present(&self, member: MemberId) -> Option<bool> {
        self.follower_presence
            .iter()
            .find(|(m, _)| *m == member)
            .map(|(_, p)| *p)
    }
}

impl MeetingView {
    /// "Chi ủy thống nhất nội dung ngày …", if recorded.
    pub fn agreement_out(&self) -> Option<AgreementOut> {
        self.agreement
            .as_ref()
            .map(|a| AgreementOut::new(a, full_members(&self.members)))
    }

    pub fn name_of(&self, id: Option<MemberId>) -> Option<String> {
        let id = id?;
        self.members
            .iter()
            .find(|m| m.id == id)
            .map(|m| m.full_name.clone())
    }
}

pub fn tally(rows: &[store::meeting::AttendanceRow]) -> Tally {
    Tally::of(&roll_entries(rows))
}

/// The roll call as the domain reads it.
pub(super) fn roll_entries(rows: &[store::meeting::AttendanceRow]) -> Vec<RollEntry> {
    rows.iter()
        .map(|a| RollEntry {
            presence: Presence::from_code(&a.presence).unwrap_or(Presence::AbsentUnexcused),
            spoke: a.spoke,
            official: a.official,
            reason: a.reason.clone(),
        })
        .collect()
}

/// Full members (official, or exempt from activities) among a cell's members:
/// what decides whether it has a committee (docs/rules.md "A cell committee
/// from nine full members").
pub fn full_members(members: &[store::member::MemberRow]) -> i64 {
    members
        .iter()
        .filter(|x| {
            matches!(
                x.status(),
                crate::domain::member::MemberStatus::Official
                    | crate::domain::member::MemberStatus::Exempt
            )
        })
        .count() as i64
}

/// Members registered in a cell now (the roll to call).
pub async fn cell_members(app: &AppState, cell: OrgId) -> Result<Vec<store::member::MemberRow>> {
    Ok(store::member::active_in_cell(&app.db, cell).await?)
}

pub async fn view(app: &AppState, caller: &Caller, id: i64) -> Result<MeetingView> {
    let meeting = get(app, caller, id).await?;
    let db = &app.db;
    // A member who opens the meeting (its page, or the link in the mail) has
    // opened its notice: no reminder for them (docs/rules.md "Reminder the
    // day before a meeting"). A receipt, not a change of the record: not audited.
    if let Some(me) = caller.actor.member_id {
        store::outbox::mark_opened(db, me, id, app.clock.now()).await?;
    }
    let can_manage =
        crate::service::allows(app, caller, Action::ManageMeetings, meeting.org_id).await?;
    let cell = crate::service::access::latest(app, caller, meeting.org_id).await?;
    let parent = match cell.parent_id {
        Some(p) => Some(crate::service::access::latest(app, caller, p).await?),
        None => None,
    };
    // Everything else in one statement, after the checks above; the mail
    // only for those who manage the meeting, the visits only once it has
    // taken place.
    let visible = crate::service::supervision::shown_at(&meeting, app.clock.today());
    let p = store::meeting_page::load(db, &meeting, can_manage, visible).await?;
    let visits = match p.visits {
        Some(v) => crate::service::supervision::shown(v.rows, &v.raised),
        None => Vec::new(),
    };
    let mail = p
        .mail
        .map(|m| crate::service::outbox::delivery(m.messages, m.notified, m.opened));
    Ok(MeetingView {
        tally: tally(&p.attendance),
        agenda: p.agenda,
        documents: p.documents,
        guests: p.guests,
        amendments: p.amendments,
        tasks: p.tasks,
        open_tasks: p.open_tasks,
        moves: p.moves,
        agreement: p.agreement,
        groups: p.groups,
        members: p.members,
        ancestors: p.ancestors,
        numbers: p.numbers,
        posts: p.posts,
        followers: p.followers,
        follower_presence: p.follower_presence,
        reviews: p.reviews,
        attendance: p.attendance,
        visits,
        can_manage,
        mail,
        parent,
        cell,
        meeting,
    })
}

/// A member's home: upcoming meetings of their cell, their documents, their
/// open tasks and latest notices.
#[derive(Debug)]
pub struct MemberHome {
    pub upcoming: Vec<MeetingRow>,
    pub documents: Vec<store::meeting::DocumentRow>,
    pub tasks: Vec<store::meeting::TaskRow>,
    pub notifications: Vec<store::meeting::NotificationRow>,
    /// Posts the member holds today ("Bí thư Chi bộ 1").
    pub posts: Vec<String>,
    /// Supervision rounds the member is a cadre of, latest first.
    pub rounds: Vec<store::supervision::RoundRow>,
}

/// A member's home: from the process's cache while nothing it shows has
/// changed (service::home_cache), else read and kept.
pub async fn member_home(app: &AppState, caller: &Caller) -> Result<Option<Arc<MemberHome>>> {
    let Some(member) = caller.actor.member_id else {
        return Ok(None);
    };
    let user = caller.actor.user_id;
    if let Some(key) = caller.home_key
        && let Some(home) = app.homes.get(user, key)
    {
        return Ok(Some(home));
    }
    let home = Arc::new(read_member_home(app, caller, member).await?);
    if let Some(key) = caller.home_key {
        app.homes.put(user, key, Arc::clone(&home));
    }
    Ok(Some(home))
}

async fn read_member_home(app: &AppState, caller: &Caller, member: MemberId) -> Result<MemberHome> {
    // An active member's cell is among the caller's grants (kept current by
    // `caller_epoch`); only a member no longer active is read again.
    let cell = match caller
        .actor
        .grants
        .iter()
        .find(|g| g.role == crate::domain::authz::Role::Member)
    {
        Some(g) => g.org,
        None => store::member::get(&app.db, member).await?.cell_id,
    };
    let today = app.clock.today();
    let until = today
        .checked_add(jiff::Span::new().days(62))
        .unwrap_or(today);
    let upcoming: Vec<MeetingRow> = store::meeting::in_subtree(
        &app.db,
        store::org::Root::cell(cell),
        today,
        today,
        until,
        store::meeting::ALL,
    )
    .await?
    .into_iter()
    .filter(|x| x.status != "cancelled")
    .collect();
    let ids: Vec<i64> = upcoming.iter().map(|u| u.id).collect();
    let documents = store::meeting::documents_of(&app.db, &ids).await?;
    Ok(MemberHome {
        documents,
        tasks: store::meeting::open_tasks_of_member(&app.db, member).await?,
        notifications: store::meeting::notifications(&app.db, member, 10).await?,
        posts: crate::service::post::titles_of(&app.db, member, today).await?,
        rounds: store::supervision::rounds_of_cadre(&app.db, member).await?,
        upcoming,
    })
}

/// A meeting document, for whoever may see the meeting.
pub async fn document(
    app: &AppState,
    caller: &Caller,
    id: i64,
) -> Result<(store::meeting::DocumentRow, Vec<u8>)> {
    crate::service::authorize(
        app,
        caller,
        crate::service::Object::Document,
        Action::ReadOrg,
        id,
    )
    .await?;
    match store::meeting::document_data(&app.db, id).await {
        Err(store::StoreError::NotFound) => Err(AppError::NotFound),
        r => Ok(r?),
    }
}
