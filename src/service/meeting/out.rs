//! Shapes of meeting data for the API.

use super::{MeetingOut, MeetingView, MemberHome};
use crate::domain::meeting::Tally;
use serde::Serialize;
use utoipa::ToSchema;

#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct TallyOut {
    /// Members convened: everyone but the exempt.
    pub convened: i64,
    pub present: i64,
    pub absent_excused: i64,
    pub absent_unexcused: i64,
    pub exempt: i64,
    pub speakers: i64,
    pub official_present: i64,
    pub attendance_rate: f64,
    pub speaker_share: f64,
}

impl From<Tally> for TallyOut {
    fn from(t: Tally) -> Self {
        TallyOut {
            convened: t.convened,
            present: t.present,
            absent_excused: t.absent_excused,
            absent_unexcused: t.absent_unexcused,
            exempt: t.exempt,
            speakers: t.speakers,
            official_present: t.official_present,
            attendance_rate: t.attendance_rate(),
            speaker_share: t.speaker_share(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AgendaOut {
    pub position: i64,
    pub title: String,
    pub presenter_id: Option<i64>,
    pub presenter: Option<String>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AttendanceOut {
    pub member_id: i64,
    pub full_name: String,
    pub presence: String,
    pub reason: String,
    pub spoke: bool,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct DocumentOut {
    pub id: i64,
    pub meeting_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
}

impl From<&crate::store::meeting::DocumentRow> for DocumentOut {
    fn from(d: &crate::store::meeting::DocumentRow) -> Self {
        DocumentOut {
            id: d.id,
            meeting_id: d.meeting_id,
            filename: d.filename.clone(),
            content_type: d.content_type.clone(),
            size_bytes: d.size_bytes,
            sha256: d.sha256.clone(),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TaskOut {
    pub id: i64,
    pub meeting_id: i64,
    pub meeting_date: String,
    pub member_id: Option<i64>,
    pub assignee: Option<String>,
    pub group_name: String,
    pub title: String,
    pub deadline: Option<String>,
    pub households: String,
    /// open | done | not_done
    pub status: String,
    pub result: String,
    pub overdue: bool,
}

impl TaskOut {
    pub fn new(t: &crate::store::meeting::TaskRow, today: jiff::civil::Date) -> Self {
        let status = crate::domain::meeting::TaskStatus::from_code(&t.status)
            .unwrap_or(crate::domain::meeting::TaskStatus::Open);
        TaskOut {
            id: t.id,
            meeting_id: t.meeting_id,
            meeting_date: t.held_on.to_jiff().to_string(),
            member_id: t.member_id.map(|m| m.0),
            assignee: t.assignee.clone(),
            group_name: t.group_name.clone(),
            title: t.title.clone(),
            deadline: t.deadline.map(|d| d.to_jiff().to_string()),
            households: t.households.clone(),
            status: t.status.clone(),
            result: t.result.clone(),
            overdue: crate::domain::meeting::is_overdue(
                status,
                t.deadline.map(|d| d.to_jiff()),
                today,
            ),
        }
    }
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct AmendmentOut {
    pub at: String,
    pub by: String,
    pub body: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MoveOut {
    pub from: String,
    pub to: String,
    pub reason: String,
    pub by: String,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GuestOut {
    pub name: String,
    pub position: String,
}

/// A meeting with everything recorded about it.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MeetingDetail {
    pub meeting: MeetingOut,
    pub cell_name: String,
    pub agenda: Vec<AgendaOut>,
    pub documents: Vec<DocumentOut>,
    pub attendance: Vec<AttendanceOut>,
    pub tally: TallyOut,
    pub guests: Vec<GuestOut>,
    pub amendments: Vec<AmendmentOut>,
    pub tasks: Vec<TaskOut>,
    /// Open tasks of earlier meetings, reviewed first (domain.md §4.7).
    pub open_tasks: Vec<TaskOut>,
    pub moves: Vec<MoveOut>,
    /// The day the cell committee agreed the content (Hướng dẫn 42-HD/BTCTW).
    pub content_agreement: Option<super::AgreementOut>,
    /// Members without a post and newly admitted members, apart from the
    /// whole cell's `tally` (empty before the roll call).
    pub groups: Vec<GroupOut>,
    /// Numbers of its documents in the cell's series, once issued.
    pub numbers: NumbersOut,
    /// Cadres of the upper level who attended unannounced, with their
    /// reports (docs/rules.md "Supervision rounds and unannounced visits"):
    /// empty until the meeting has taken place.
    pub visits: Vec<crate::service::supervision::VisitShown>,
    /// The cell's followers on the meeting's day and whether each attended
    /// (null until recorded).
    pub followers: Vec<FollowerAttendanceOut>,
    /// Delivery of the notice and reminder mails (sent, waiting with the next
    /// attempt, failed with the reason, per recipient): only for those who
    /// may send the notice, null for others.
    pub mail: Option<crate::service::outbox::MailDelivery>,
}

#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct FollowerAttendanceOut {
    pub member_id: i64,
    pub full_name: String,
    /// committee_member (cấp ủy viên phụ trách) | cadre (cán bộ theo dõi)
    pub kind: String,
    pub present: Option<bool>,
}

/// Attendance and speaking of a group counted apart.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct GroupOut {
    /// no_post | new
    pub group: crate::domain::participation::Group,
    pub label: String,
    pub convened: i64,
    pub present: i64,
    pub speakers: i64,
    /// Present / convened; null when none of the group was convened.
    pub attendance_rate: Option<f64>,
    /// Speakers / present; null when none of the group was present.
    pub speaker_share: Option<f64>,
}

impl GroupOut {
    pub fn new(
        g: crate::domain::participation::Group,
        f: &crate::domain::participation::Figures,
    ) -> Self {
        GroupOut {
            group: g,
            label: g.label().to_string(),
            convened: f.convened,
            present: f.present,
            speakers: f.speakers,
            attendance_rate: f.attendance_rate(),
            speaker_share: f.speaker_share(),
        }
    }
}

/// A meeting's document numbers: minutes and resolution from signing, the
/// notice from its issue.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct NumbersOut {
    pub minutes: Option<i64>,
    pub resolution: Option<i64>,
    pub notice: Option<i64>,
    /// YYYY-MM-DD: the day the notice was issued.
    pub notice_on: Option<String>,
}

impl MeetingDetail {
    pub fn new(v: &MeetingView, today: jiff::civil::Date) -> Self {
        MeetingDetail {
            meeting: MeetingOut::from(&v.meeting),
            cell_name: v.cell.name.clone(),
            agenda: v
                .agenda
                .iter()
                .map(|a| AgendaOut {
                    position: a.position,
                    title: a.title.clone(),
                    presenter_id: a.presenter_id.map(|p| p.0),
                    presenter: a.presenter.clone(),
                })
                .collect(),
            documents: v.documents.iter().map(DocumentOut::from).collect(),
            attendance: v
                .attendance
                .iter()
                .map(|a| AttendanceOut {
                    member_id: a.member_id.0,
                    full_name: a.full_name.clone(),
                    presence: a.presence.clone(),
                    reason: a.reason.clone(),
                    spoke: a.spoke,
                })
                .collect(),
            tally: v.tally.into(),
            visits: v.visits.clone(),
            guests: v
                .guests
                .iter()
                .map(|(n, p)| GuestOut {
                    name: n.clone(),
                    position: p.clone(),
                })
                .collect(),
            amendments: v
                .amendments
                .iter()
                .map(|a| AmendmentOut {
                    at: a.at.to_jiff().to_string(),
                    by: a.username.clone(),
                    body: a.body.clone(),
                })
                .collect(),
            tasks: v.tasks.iter().map(|t| TaskOut::new(t, today)).collect(),
            open_tasks: v
                .open_tasks
                .iter()
                .map(|t| TaskOut::new(t, today))
                .collect(),
            moves: v
                .moves
                .iter()
                .map(|m| MoveOut {
                    from: m.from_on.to_jiff().to_string(),
                    to: m.to_on.to_jiff().to_string(),
                    reason: m.reason.clone(),
                    by: m.username.clone(),
                })
                .collect(),
            content_agreement: v.agreement_out(),
            groups: v.groups.iter().map(|(g, f)| GroupOut::new(*g, f)).collect(),
            numbers: NumbersOut {
                minutes: v.numbers.minutes,
                resolution: v.numbers.resolution,
                notice: v.numbers.notice,
                notice_on: v.numbers.notice_on.map(|d| d.to_string()),
            },
            mail: v.mail.clone(),
            followers: v
                .followers
                .iter()
                .map(|f| FollowerAttendanceOut {
                    member_id: f.member_id.0,
                    full_name: f.full_name.clone(),
                    kind: f.kind.clone(),
                    present: v.follower_present(f.member_id),
                })
                .collect(),
        }
    }
}

/// A member's home, as the API gives it.
#[derive(Debug, Clone, Default, Serialize, ToSchema)]
pub struct HomeOut {
    pub upcoming: Vec<MeetingOut>,
    pub documents: Vec<DocumentOut>,
    pub tasks: Vec<TaskOut>,
    pub notifications: Vec<String>,
    /// Chức vụ: posts held today ("Bí thư Chi bộ 1").
    pub posts: Vec<String>,
}

impl HomeOut {
    pub fn new(h: &MemberHome, today: jiff::civil::Date) -> Self {
        HomeOut {
            upcoming: h.upcoming.iter().map(MeetingOut::from).collect(),
            documents: h.documents.iter().map(DocumentOut::from).collect(),
            tasks: h.tasks.iter().map(|t| TaskOut::new(t, today)).collect(),
            notifications: h.notifications.iter().map(|n| n.title.clone()).collect(),
            posts: h.posts.clone(),
        }
    }
}
