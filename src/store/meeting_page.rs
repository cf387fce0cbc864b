//! What a meeting's page, prints and documents read beside the meeting row,
//! in one statement (issue 14 point 3): each list is a scalar subquery that
//! folds its rows into JSON (`json_rows::Part`), from the same text its own
//! query runs where other callers read it alone. The page read some twenty
//! lists one statement each before.

use super::document::Numbers;
use super::follow::FollowRow;
use super::follow_attendance::PresenceRow;
use super::json_rows::{self, Part, parse};
use super::meeting::{
    AgendaRow, AmendmentRow, AttendanceRow, DocumentRow, MeetingRow, MoveRow, TaskRow,
};
use super::member::MemberRow;
use super::org::OrgRow;
use super::outbox::DeliveryRow;
use super::preparation::AgreementRow;
use super::supervision::VisitRow;
use super::{Db, Result};
use crate::domain::ids::MemberId;
use crate::domain::participation::{Figures, Group};
use crate::on_db;
use std::sync::OnceLock;

/// The parts of one meeting (see `service::meeting::MeetingView`).
pub struct MeetingParts {
    pub agenda: Vec<AgendaRow>,
    pub documents: Vec<DocumentRow>,
    pub attendance: Vec<AttendanceRow>,
    pub guests: Vec<(String, String)>,
    pub amendments: Vec<AmendmentRow>,
    pub tasks: Vec<TaskRow>,
    pub open_tasks: Vec<TaskRow>,
    pub moves: Vec<MoveRow>,
    pub agreement: Option<AgreementRow>,
    pub groups: Vec<(Group, Figures)>,
    /// Members registered in the cell now.
    pub members: Vec<MemberRow>,
    /// The cell and its ancestors on the meeting's day, root first.
    pub ancestors: Vec<OrgRow>,
    pub numbers: Numbers,
    /// Posts held in the cell on the meeting's day.
    pub posts: Vec<(MemberId, String)>,
    /// Followers of the cell on the meeting's day.
    pub followers: Vec<FollowRow>,
    pub follower_presence: Vec<(MemberId, bool)>,
    pub reviews: Vec<TaskRow>,
    /// Visits to the meeting, when asked.
    pub visits: Option<Visits>,
    /// The meeting's mail, when asked.
    pub mail: Option<Mail>,
}

pub struct Visits {
    pub rows: Vec<VisitRow>,
    /// (visit, line) raised at them, in order.
    pub raised: Vec<(i64, String)>,
}

pub struct Mail {
    pub messages: Vec<DeliveryRow>,
    /// Members notified in the app, and how many of them opened the notice.
    pub notified: i64,
    pub opened: i64,
}

/// One JSON text per list; `None` for a list not asked for.
#[derive(sqlx::FromRow)]
struct Texts {
    agenda: String,
    documents: String,
    attendance: String,
    guests: String,
    amendments: String,
    tasks: String,
    open_tasks: String,
    moves: String,
    agreement: String,
    groups: String,
    members: String,
    ancestors: String,
    numbers: String,
    posts: String,
    followers: String,
    follower_presence: String,
    reviews: String,
    visits: Option<String>,
    raised: Option<String>,
    mail: Option<String>,
    opened: Option<String>,
}

/// The statement, built once per backend. Parameters: $1 the meeting, $2 its
/// cell, $3 its day, $4 whether to read its mail, $5 whether to read its
/// visits (each viewer sees those only when allowed: `service::meeting::view`).
fn sql(db: &Db) -> &'static str {
    static SQLITE: OnceLock<String> = OnceLock::new();
    static POSTGRES: OnceLock<String> = OnceLock::new();
    let cell = match db {
        Db::Sqlite(_) => &SQLITE,
        Db::Postgres(_) => &POSTGRES,
    };
    cell.get_or_init(|| {
        let m = |part: Part| part.json(db, &["$1"]);
        let lists = [
            ("agenda", m(super::meeting_parts::agenda_part())),
            ("documents", m(super::meeting_parts::documents_part())),
            ("attendance", m(super::meeting_parts::attendance_part())),
            ("guests", m(super::meeting_parts::guests_part())),
            ("amendments", m(super::meeting_parts::amendments_part())),
            ("tasks", m(super::meeting_tasks::tasks_of_meeting_part())),
            (
                "open_tasks",
                super::meeting_tasks::open_tasks_before_part().json(db, &["$2", "$3"]),
            ),
            ("moves", m(super::meeting_parts::moves_part())),
            ("agreement", m(super::preparation::agreement_part())),
            ("groups", m(super::participation::groups_part())),
            (
                "members",
                super::member::active_in_cell_part().json(db, &["$2"]),
            ),
            (
                "ancestors",
                super::org::ancestors_part().json(db, &["$2", "$3"]),
            ),
            ("numbers", m(super::document::of_meeting_part())),
            (
                "posts",
                super::post::in_cell_on_part().json(db, &["$2", "$3"]),
            ),
            (
                "followers",
                super::follow::of_org_part().json(db, &["$2", "$3"]),
            ),
            (
                "follower_presence",
                m(super::follow_attendance::of_meeting_part()),
            ),
            (
                "reviews",
                super::meeting_tasks::tasks_reviewed_at_part().json(db, &["$1", "$2", "$3"]),
            ),
            (
                "visits",
                when("$5", &m(super::supervision::visits_of_meeting_part())),
            ),
            (
                "raised",
                when("$5", &m(super::supervision::raised_at_meeting_part())),
            ),
            ("mail", when("$4", &m(super::outbox::of_meeting_part()))),
            ("opened", when("$4", &super::outbox::opened_of_meeting(db))),
        ];
        let columns: Vec<String> = lists
            .iter()
            .map(|(name, expr)| format!("{expr} AS {name}"))
            .collect();
        format!("SELECT {}", columns.join(", "))
    })
}

/// `expr` if the flag parameter is true, else NULL (and not evaluated).
fn when(flag: &str, expr: &str) -> String {
    format!("CASE WHEN {flag} THEN {expr} END")
}

/// Reads the parts of `meeting`, with its mail and visits if asked.
pub async fn load(db: &Db, meeting: &MeetingRow, mail: bool, visits: bool) -> Result<MeetingParts> {
    let sql = sql(db);
    let t: Texts = on_db!(db, |p| sqlx::query_as(sql)
        .bind(meeting.id)
        .bind(meeting.org_id)
        .bind(meeting.held_on)
        .bind(mail)
        .bind(visits)
        .fetch_one(p)
        .await)?;
    let numbers: Vec<(String, i64, jiff::civil::Date)> = parse(&t.numbers)?;
    let groups: Vec<(String, i64, i64, i64)> = parse(&t.groups)?;
    let presence: Vec<PresenceRow> = parse(&t.follower_presence)?;
    let agreement: Vec<AgreementRow> = parse(&t.agreement)?;
    Ok(MeetingParts {
        agenda: parse(&t.agenda)?,
        documents: parse(&t.documents)?,
        attendance: parse(&t.attendance)?,
        guests: parse(&t.guests)?,
        amendments: parse(&t.amendments)?,
        tasks: parse(&t.tasks)?,
        open_tasks: parse(&t.open_tasks)?,
        moves: parse(&t.moves)?,
        agreement: agreement.into_iter().next(),
        groups: super::participation::groups(groups),
        members: parse(&t.members)?,
        ancestors: parse(&t.ancestors)?,
        numbers: Numbers::of_rows(numbers),
        posts: parse(&t.posts)?,
        followers: parse(&t.followers)?,
        follower_presence: presence
            .into_iter()
            .map(|p| (p.member_id, p.present))
            .collect(),
        reviews: parse(&t.reviews)?,
        visits: match (t.visits, t.raised) {
            (Some(v), Some(r)) => Some(Visits {
                rows: parse(&v)?,
                raised: parse(&r)?,
            }),
            _ => None,
        },
        mail: match (t.mail, t.opened) {
            (Some(m), Some(o)) => {
                let (notified, opened) = json_rows::parse_value(&o)?;
                Some(Mail {
                    messages: parse(&m)?,
                    notified,
                    opened,
                })
            }
            _ => None,
        },
    })
}
