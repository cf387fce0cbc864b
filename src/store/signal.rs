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

/// The held meetings of nodes strictly below `$1` (read on `$2`) dated
/// `$3..=$4`: the FROM and WHERE every query here shares.
/// Runs one of the queries below with their four parameters: the root,
/// the day the tree is read on, and the span of meeting days.
async fn fetch<T>(db: &Db, sql: &str, root: OrgId, on: Date, span: (Date, Date)) -> Result<Vec<T>>
where
    T: Send
        + Unpin
        + for<'r> sqlx::FromRow<'r, sqlx::sqlite::SqliteRow>
        + for<'r> sqlx::FromRow<'r, sqlx::postgres::PgRow>,
{
    Ok(on_db!(db, |p| sqlx::query_as(sql)
        .bind(root)
        .bind(day(on))
        .bind(day(span.0))
        .bind(day(span.1))
        .fetch_all(p)
        .await)?)
}

fn meetings_below() -> String {
    format!(
        "{}, mt AS (SELECT m.* FROM meeting m JOIN sub ON sub.id = m.org_id \
         WHERE m.org_id <> $1 AND m.status = 'held' AND m.held_on >= $3 AND m.held_on <= $4) ",
        super::org::subtree_cte!()
    )
}

pub async fn meetings(
    db: &Db,
    root: OrgId,
    on: Date,
    span: (Date, Date),
) -> Result<Vec<MeetingLine>> {
    let sql = format!(
        "{}SELECT mt.id, mt.org_id, \
         (SELECT v.name FROM org_version v WHERE v.org_id = mt.org_id ORDER BY v.valid_from DESC LIMIT 1) AS org_name, \
         mt.kind, mt.held_on, mt.started_time, mt.ended_time, mt.chair_id, mt.recorder_id, \
         mt.proceedings, mt.conclusion, mt.resolution_text FROM mt ORDER BY mt.org_id, mt.held_on, mt.id",
        meetings_below()
    );
    fetch(db, &sql, root, on, span).await
}

pub async fn rolls(db: &Db, root: OrgId, on: Date, span: (Date, Date)) -> Result<Vec<RollRow>> {
    let sql = format!(
        "{}SELECT a.meeting_id, a.member_id, mb.full_name, a.presence, a.spoke, a.official, mb.admitted_on \
         FROM attendance a JOIN member mb ON mb.id = a.member_id \
         WHERE a.meeting_id IN (SELECT mt.id FROM mt) ORDER BY a.meeting_id, mb.sort_key, a.member_id",
        meetings_below()
    );
    fetch(db, &sql, root, on, span).await
}

/// (meeting, member) for every member on a meeting's roll who held a post
/// (any node) on the meeting's day. Posts are few: read from them (CROSS
/// JOIN keeps SQLite from starting with the attendance).
pub async fn posts_held(
    db: &Db,
    root: OrgId,
    on: Date,
    span: (Date, Date),
) -> Result<Vec<(i64, MemberId)>> {
    let sql = format!(
        "{}SELECT DISTINCT a.meeting_id, a.member_id FROM post p CROSS JOIN attendance a \
         JOIN mt ON mt.id = a.meeting_id WHERE a.member_id = p.member_id AND p.valid_from <= mt.held_on \
           AND (p.valid_to IS NULL OR p.valid_to > mt.held_on)",
        meetings_below()
    );
    fetch(db, &sql, root, on, span).await
}

pub async fn tasks(db: &Db, root: OrgId, on: Date, span: (Date, Date)) -> Result<Vec<TaskRow>> {
    let sql = format!(
        "{}SELECT t.meeting_id, t.member_id, t.status, t.reviewed_in FROM task t \
         WHERE t.meeting_id IN (SELECT mt.id FROM mt) ORDER BY t.meeting_id, t.id",
        meetings_below()
    );
    fetch(db, &sql, root, on, span).await
}

/// The final grades of members recorded in the subtree and decided in the
/// span by a body strictly below `root`: (body, body name, year, decided
/// on, grade), for the year-end leniency rule (docs/rules.md "Formalism
/// signals").
pub async fn final_grades(
    db: &Db,
    root: OrgId,
    on: Date,
    span: (Date, Date),
) -> Result<Vec<(OrgId, String, i32, Day, String)>> {
    let sql = format!(
        "{}SELECT c.decided_by_org, \
         (SELECT v.name FROM org_version v WHERE v.org_id = c.decided_by_org ORDER BY v.valid_from DESC LIMIT 1), \
         c.year, c.decided_on, c.final_grade \
         FROM sub JOIN classification c ON c.org_id = sub.id \
         WHERE c.subject_kind = 'member' AND c.final_grade IS NOT NULL AND c.decided_by_org IS NOT NULL \
         AND c.decided_by_org <> $1 AND c.decided_on >= $3 AND c.decided_on <= $4",
        super::org::subtree_cte!()
    );
    fetch(db, &sql, root, on, span).await
}
