//! Tasks given at meetings (the resolution's part II) and their review at a
//! later meeting (part I).

use super::json_rows::{self, Part};
use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::ids::{MemberId, OrgId};
use crate::{on_db, on_tx};
use jiff::civil::Date;

/// Fields in the order of [`TASK_COLUMNS`].
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct TaskRow {
    pub id: i64,
    pub meeting_id: i64,
    pub member_id: Option<MemberId>,
    pub assignee: Option<String>,
    pub group_name: String,
    pub title: String,
    #[serde(deserialize_with = "json_rows::opt_day::deserialize")]
    pub deadline: Option<Day>,
    pub households: String,
    pub status: String,
    pub result: String,
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub held_on: Day,
    pub org_id: OrgId,
}

const TASK_COLUMNS: &str = "t.id, t.meeting_id, t.member_id, mb.full_name AS assignee, t.group_name, t.title, \
    t.deadline, t.households, t.status, t.result, mt.held_on, mt.org_id";
const TASK_FROM: &str = "FROM task t JOIN meeting mt ON mt.id = t.meeting_id LEFT JOIN member mb ON mb.id = t.member_id";

fn tasks(filter: &str, order: &str) -> Part {
    Part {
        with: String::new(),
        columns: TASK_COLUMNS.into(),
        from: format!("{TASK_FROM} WHERE {filter}"),
        order: order.into(),
    }
}

/// The tasks a meeting gave ($1: the meeting).
pub(super) fn tasks_of_meeting_part() -> Part {
    tasks("t.meeting_id = $1", "t.id")
}

/// Open tasks of a cell's earlier meetings: the next meeting reviews them
/// ($1: the cell, $2: the meeting's day).
pub(super) fn open_tasks_before_part() -> Part {
    tasks(
        "mt.org_id = $1 AND mt.held_on < $2 AND t.status = 'open'",
        "mt.held_on, t.id",
    )
}

/// The tasks a meeting reviews (part I of its resolution): those of the
/// cell's latest earlier held meeting that gave tasks, and any other task
/// recorded as reviewed at this meeting ($1: the meeting, $2: its cell, $3:
/// its day).
pub(super) fn tasks_reviewed_at_part() -> Part {
    tasks(
        "t.reviewed_in = $1 OR t.meeting_id = \
         (SELECT p.id FROM meeting p WHERE p.org_id = $2 AND p.held_on < $3 AND p.status = 'held' \
          AND EXISTS (SELECT 1 FROM task x WHERE x.meeting_id = p.id) ORDER BY p.held_on DESC, p.id DESC LIMIT 1)",
        "mt.held_on, t.id",
    )
}

pub async fn open_tasks_of_member(db: &Db, member: MemberId) -> Result<Vec<TaskRow>> {
    let sql = format!(
        "SELECT {TASK_COLUMNS} {TASK_FROM} WHERE t.member_id = $1 AND t.status = 'open' ORDER BY t.deadline, t.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(member)
        .fetch_all(p)
        .await)?)
}

pub async fn task(db: &Db, id: i64) -> Result<TaskRow> {
    let sql = format!("SELECT {TASK_COLUMNS} {TASK_FROM} WHERE t.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

pub struct NewTask<'a> {
    pub member: Option<MemberId>,
    pub group_name: &'a str,
    pub title: &'a str,
    pub deadline: Option<Date>,
    pub households: &'a str,
}

pub async fn insert_task(tx: &mut Tx, meeting: i64, t: &NewTask<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO task (meeting_id, member_id, group_name, title, deadline, households, status) \
        VALUES ($1, $2, $3, $4, $5, $6, 'open') RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(meeting)
        .bind(t.member)
        .bind(t.group_name)
        .bind(t.title)
        .bind(t.deadline.map(day))
        .bind(t.households)
        .fetch_one(c)
        .await)?)
}

pub async fn review_task(
    tx: &mut Tx,
    id: i64,
    status: &str,
    result: &str,
    reviewed_in: Option<i64>,
) -> Result<u64> {
    // A review printed in a signed resolution, or recorded at a signed
    // meeting, no longer changes (docs/rules.md "A resolution is signed once
    // adopted"): 0 rows then.
    const SQL: &str = "UPDATE task SET status = $2, result = $3, reviewed_in = $4 WHERE id = $1 \
        AND NOT EXISTS (SELECT 1 FROM meeting m WHERE m.signed_at IS NOT NULL \
        AND (m.id = task.reviewed_in OR m.id = $4))";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(status)
        .bind(result)
        .bind(reviewed_in)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}
