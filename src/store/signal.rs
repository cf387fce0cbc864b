//! What the formalism signals read: a subtree's held meetings in a span of
//! days, their roll calls, the posts held on each meeting's day, and their
//! tasks — four set queries whatever the number of meetings (docs/rules.md
//! "Formalism signals").

use super::types::{Day, day};
use super::{Db, Result};
use crate::domain::ids::{MemberId, OrgId};
use crate::on_db;
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingLine {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub kind: String,
    pub held_on: Day,
    pub started_time: Option<String>,
    pub ended_time: Option<String>,
    pub chair_id: Option<MemberId>,
    pub recorder_id: Option<MemberId>,
    pub proceedings: String,
    pub conclusion: String,
    pub resolution_text: String,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RollRow {
    pub meeting_id: i64,
    pub member_id: MemberId,
    pub full_name: String,
    pub presence: String,
    pub spoke: bool,
    pub official: bool,
    pub admitted_on: Option<Day>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TaskRow {
    pub meeting_id: i64,
    pub member_id: Option<MemberId>,
    pub status: String,
    pub reviewed_in: Option<i64>,
}

/// Whose meetings are read: those of the nodes strictly below a root (as
/// the tree stood on a day), or those of listed nodes (the signal cache
/// refreshing its stale rows; at most [`MAX_NODES`] at a time).
#[derive(Debug, Clone, Copy)]
pub enum Scope<'a> {
    Below { root: OrgId, on: Date },
    Nodes(&'a [OrgId]),
}

/// The longest node list one query binds.
pub const MAX_NODES: usize = 500;

impl Scope<'_> {
    /// The placeholders of the span's first and last day.
    fn span(&self) -> (&'static str, &'static str) {
        match self {
            Scope::Below { .. } => ("$3", "$4"),
            Scope::Nodes(_) => ("$1", "$2"),
        }
    }

    /// `WITH … mt AS (the held meetings in scope dated in the span)`.
    fn meetings(&self) -> String {
        let (from, to) = self.span();
        let held = format!("m.status = 'held' AND m.held_on >= {from} AND m.held_on <= {to}");
        match self {
            Scope::Below { .. } => format!(
                "{}, mt AS (SELECT m.* FROM meeting m JOIN sub ON sub.id = m.org_id \
                 WHERE m.org_id <> $1 AND {held}) ",
                super::org::subtree_cte!()
            ),
            Scope::Nodes(ids) => format!(
                "WITH mt AS (SELECT m.* FROM meeting m WHERE m.org_id IN ({}) AND {held}) ",
                super::placeholders(3, ids.len())
            ),
        }
    }
}

/// Runs one of the queries below with the scope's parameters and the span
/// of meeting days.
async fn fetch<T>(db: &Db, sql: &str, scope: Scope<'_>, span: (Date, Date)) -> Result<Vec<T>>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    Ok(on_db!(db, |p| {
        let q = sqlx::query_as(sql);
        let q = match scope {
            Scope::Below { root, on } => q
                .bind(root)
                .bind(day(on))
                .bind(day(span.0))
                .bind(day(span.1)),
            Scope::Nodes(ids) => {
                let mut q = q.bind(day(span.0)).bind(day(span.1));
                for id in ids {
                    q = q.bind(*id);
                }
                q
            }
        };
        q.fetch_all(p).await
    })?)
}

pub async fn meetings(db: &Db, scope: Scope<'_>, span: (Date, Date)) -> Result<Vec<MeetingLine>> {
    let sql = format!(
        "{}SELECT mt.id, mt.org_id, \
         (SELECT v.name FROM org_version v WHERE v.org_id = mt.org_id ORDER BY v.valid_from DESC LIMIT 1) AS org_name, \
         mt.kind, mt.held_on, mt.started_time, mt.ended_time, mt.chair_id, mt.recorder_id, \
         mt.proceedings, mt.conclusion, mt.resolution_text FROM mt ORDER BY mt.org_id, mt.held_on, mt.id",
        scope.meetings()
    );
    fetch(db, &sql, scope, span).await
}

pub async fn rolls(db: &Db, scope: Scope<'_>, span: (Date, Date)) -> Result<Vec<RollRow>> {
    let sql = format!(
        "{}SELECT a.meeting_id, a.member_id, mb.full_name, a.presence, a.spoke, a.official, mb.admitted_on \
         FROM attendance a JOIN member mb ON mb.id = a.member_id \
         WHERE a.meeting_id IN (SELECT mt.id FROM mt) ORDER BY a.meeting_id, mb.sort_key, a.member_id",
        scope.meetings()
    );
    fetch(db, &sql, scope, span).await
}

/// (meeting, member) for every member on a meeting's roll who held a post
/// (any node) on the meeting's day. Posts are few: read from them (CROSS
/// JOIN keeps SQLite from starting with the attendance).
pub async fn posts_held(
    db: &Db,
    scope: Scope<'_>,
    span: (Date, Date),
) -> Result<Vec<(i64, MemberId)>> {
    let sql = format!(
        "{}SELECT DISTINCT a.meeting_id, a.member_id FROM post p CROSS JOIN attendance a \
         JOIN mt ON mt.id = a.meeting_id WHERE a.member_id = p.member_id AND p.valid_from <= mt.held_on \
           AND (p.valid_to IS NULL OR p.valid_to > mt.held_on)",
        scope.meetings()
    );
    fetch(db, &sql, scope, span).await
}

pub async fn tasks(db: &Db, scope: Scope<'_>, span: (Date, Date)) -> Result<Vec<TaskRow>> {
    let sql = format!(
        "{}SELECT t.meeting_id, t.member_id, t.status, t.reviewed_in FROM task t \
         WHERE t.meeting_id IN (SELECT mt.id FROM mt) ORDER BY t.meeting_id, t.id",
        scope.meetings()
    );
    fetch(db, &sql, scope, span).await
}

/// The final grades of members decided in the span: for `Below`, those
/// recorded in the subtree by a body strictly below the root; for `Nodes`,
/// those the listed bodies decided. (body, body name, year, decided on,
/// grade), for the year-end leniency rule (docs/rules.md "Formalism
/// signals").
pub async fn final_grades(
    db: &Db,
    scope: Scope<'_>,
    span: (Date, Date),
) -> Result<Vec<(OrgId, String, i32, Day, String)>> {
    const COLUMNS: &str = "SELECT c.decided_by_org, \
         (SELECT v.name FROM org_version v WHERE v.org_id = c.decided_by_org ORDER BY v.valid_from DESC LIMIT 1), \
         c.year, c.decided_on, c.final_grade ";
    const GRADED: &str = "c.subject_kind = 'member' AND c.final_grade IS NOT NULL \
         AND c.decided_by_org IS NOT NULL";
    let sql = match scope {
        Scope::Below { .. } => format!(
            "{}{COLUMNS}FROM sub JOIN classification c ON c.org_id = sub.id \
             WHERE {GRADED} AND c.decided_by_org <> $1 AND c.decided_on >= $3 AND c.decided_on <= $4",
            super::org::subtree_cte!()
        ),
        Scope::Nodes(ids) => format!(
            "{COLUMNS}FROM classification c WHERE {GRADED} AND c.decided_by_org IN ({}) \
             AND c.decided_on >= $1 AND c.decided_on <= $2",
            super::placeholders(3, ids.len())
        ),
    };
    fetch(db, &sql, scope, span).await
}
