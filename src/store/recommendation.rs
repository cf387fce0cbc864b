//! Recommendations (migration 0013): raised by a cell, routed up, answered,
//! reported back (docs/rules.md "Recommendations (kiến nghị)").

use super::org::Root;
use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::ids::{MemberId, OrgId, RecommendationId};
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecRow {
    pub id: RecommendationId,
    pub cell_id: OrgId,
    pub cell_name: String,
    pub source: String,
    pub meeting_id: Option<i64>,
    pub raised_by: Option<MemberId>,
    pub raised_by_name: Option<String>,
    pub visit_id: Option<i64>,
    pub topic: String,
    pub content: String,
    pub raised_on: Day,
    pub status: String,
    pub level_id: Option<OrgId>,
    pub level_name: Option<String>,
    pub sent_on: Option<Day>,
    pub assignee: String,
    pub deadline: Option<Day>,
    pub answer: String,
    pub answered_on: Option<Day>,
    pub reported_meeting_id: Option<i64>,
    pub reported_on: Option<Day>,
    pub closed_reason: String,
}

const LATEST_NAME: &str =
    "(SELECT v.name FROM org_version v WHERE v.org_id = {} ORDER BY v.valid_from DESC LIMIT 1)";

fn columns() -> String {
    format!(
        "r.id, r.cell_id, {} AS cell_name, r.source, r.meeting_id, r.raised_by, \
         (SELECT m.full_name FROM member m WHERE m.id = r.raised_by) AS raised_by_name, r.visit_id, \
         r.topic, r.content, r.raised_on, r.status, r.level_id, {} AS level_name, r.sent_on, \
         r.assignee, r.deadline, r.answer, r.answered_on, r.reported_meeting_id, \
         (SELECT mt.held_on FROM meeting mt WHERE mt.id = r.reported_meeting_id) AS reported_on, \
         r.closed_reason",
        LATEST_NAME.replace("{}", "r.cell_id"),
        LATEST_NAME.replace("{}", "r.level_id")
    )
}

/// Soonest deadline first; those without one last.
const ORDER: &str = "ORDER BY (r.deadline IS NULL), r.deadline, r.raised_on, r.id";

pub struct NewRec<'a> {
    pub cell: OrgId,
    pub source: &'a str,
    pub meeting: Option<i64>,
    /// The upper-level visit whose cadre carried it up.
    pub visit: Option<i64>,
    pub raised_by: Option<MemberId>,
    pub topic: &'a str,
    pub content: &'a str,
    pub raised_on: Date,
    pub year: i16,
    pub quarter: i8,
}

pub async fn insert(tx: &mut Tx, r: &NewRec<'_>) -> Result<RecommendationId> {
    const SQL: &str = "INSERT INTO recommendation (cell_id, source, meeting_id, raised_by, topic, content, \
        raised_on, raised_year, raised_quarter, status, visit_id) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'raised', $10) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(r.cell)
        .bind(r.source)
        .bind(r.meeting)
        .bind(r.raised_by)
        .bind(r.topic)
        .bind(r.content)
        .bind(day(r.raised_on))
        .bind(i64::from(r.year))
        .bind(i64::from(r.quarter))
        .bind(r.visit)
        .fetch_one(c)
        .await)?)
}

pub async fn get(db: &Db, id: RecommendationId) -> Result<RecRow> {
    let sql = format!("SELECT {} FROM recommendation r WHERE r.id = $1", columns());
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

pub async fn get_in(tx: &mut Tx, id: RecommendationId) -> Result<RecRow> {
    let sql = format!("SELECT {} FROM recommendation r WHERE r.id = $1", columns());
    Ok(on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .fetch_one(c)
        .await)?)
}

/// The cell a recommendation comes from and the level handling it: all
/// the route guard reads.
pub async fn place(db: &Db, id: i64) -> Result<(OrgId, Option<OrgId>)> {
    const SQL: &str = "SELECT cell_id, level_id FROM recommendation WHERE id = $1";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

/// Writes a step's outcome, only if the recommendation is still in the
/// status the step was judged from (two hands on one recommendation: the
/// second gets 0 rows and a conflict).
pub async fn update(tx: &mut Tx, r: &RecRow, from_status: &str) -> Result<u64> {
    const SQL: &str = "UPDATE recommendation SET status = $2, level_id = $3, sent_on = $4, assignee = $5, \
        deadline = $6, answer = $7, answered_on = $8, reported_meeting_id = $9, closed_reason = $10 \
        WHERE id = $1 AND status = $11";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(r.id)
        .bind(&r.status)
        .bind(r.level_id)
        .bind(r.sent_on)
        .bind(&r.assignee)
        .bind(r.deadline)
        .bind(&r.answer)
        .bind(r.answered_on)
        .bind(r.reported_meeting_id)
        .bind(&r.closed_reason)
        .bind(from_status)
        .execute(c)
        .await
        .map(|x| x.rows_affected()))?)
}

/// Which recommendations a list shows; every field is always bound (empty
/// or the widest range when not filtered) so one SQL text serves all.
pub struct Filter<'a> {
    pub root: Root,
    pub tree_on: Date,
    pub status: &'a str,
    pub topic: &'a str,
    /// Only those past their deadline on this day and unanswered.
    pub overdue_on: Option<Date>,
    pub from: Date,
    pub to: Date,
    pub limit: i64,
    pub offset: i64,
}

const WHERE: &str = "r.cell_id = sub.id AND ($3 = '' OR r.status = $3) AND ($4 = '' OR r.topic = $4) \
    AND r.raised_on >= $5 AND r.raised_on <= $6 \
    AND ($7 = 0 OR (r.status IN ('raised', 'sent', 'assigned') AND r.deadline < $8))";

/// A page of the recommendations raised in the subtree of `f.root`, and how
/// many match in all.
pub async fn list(db: &Db, f: &Filter<'_>) -> Result<(Vec<RecRow>, i64)> {
    let sql = format!(
        "{}SELECT {} FROM sub CROSS JOIN recommendation r WHERE {WHERE} {ORDER} LIMIT $9 OFFSET $10",
        f.root.cte(),
        columns()
    );
    let count = format!(
        "{}SELECT COUNT(*) FROM sub CROSS JOIN recommendation r WHERE {WHERE}",
        f.root.cte()
    );
    let overdue = i64::from(f.overdue_on.is_some());
    let today = day(f.overdue_on.unwrap_or(f.tree_on));
    let rows = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(f.root.id)
        .bind(day(f.tree_on))
        .bind(f.status)
        .bind(f.topic)
        .bind(day(f.from))
        .bind(day(f.to))
        .bind(overdue)
        .bind(today)
        .bind(f.limit)
        .bind(f.offset)
        .fetch_all(p)
        .await)?;
    let total: i64 = on_db!(db, |p| sqlx::query_scalar(&count)
        .bind(f.root.id)
        .bind(day(f.tree_on))
        .bind(f.status)
        .bind(f.topic)
        .bind(day(f.from))
        .bind(day(f.to))
        .bind(overdue)
        .bind(today)
        .fetch_one(p)
        .await)?;
    Ok((rows, total))
}

/// What a meeting page shows: those raised at the meeting, those of its cell
/// answered and waiting to be read out, and those read out at it.
pub async fn for_meeting(db: &Db, cell: OrgId, meeting: i64) -> Result<Vec<RecRow>> {
    let sql = format!(
        "SELECT {} FROM recommendation r WHERE r.meeting_id = $2 OR r.reported_meeting_id = $2 \
         OR (r.cell_id = $1 AND r.status = 'answered') {ORDER}",
        columns()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(cell)
        .bind(meeting)
        .fetch_all(p)
        .await)?)
}

/// One group of the counts: raised in a quarter, on a topic, sent to a level
/// (none while not yet sent).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CountRow {
    pub quarter: i64,
    pub topic: String,
    pub level_id: Option<OrgId>,
    pub total: i64,
    /// Answered, reported back or not.
    pub answered: i64,
    pub overdue: i64,
}

/// Counts of the recommendations raised in the subtree of `root` in `year`,
/// in one grouped pass.
pub async fn counts(
    db: &Db,
    root: Root,
    tree_on: Date,
    year: i16,
    today: Date,
) -> Result<Vec<CountRow>> {
    let sql = format!(
        "{}SELECT r.raised_quarter AS quarter, r.topic, r.level_id, COUNT(*) AS total, \
         SUM(CASE WHEN r.status IN ('answered', 'reported') THEN 1 ELSE 0 END) AS answered, \
         SUM(CASE WHEN r.status IN ('raised', 'sent', 'assigned') AND r.deadline < $4 THEN 1 ELSE 0 END) AS overdue \
         FROM sub CROSS JOIN recommendation r WHERE r.cell_id = sub.id AND r.raised_year = $3 \
         GROUP BY r.raised_quarter, r.topic, r.level_id ORDER BY r.raised_quarter, r.topic",
        root.cte()
    );
    let rows: Vec<(i64, String, Option<OrgId>, i64, i64, i64)> =
        on_db!(db, |p| sqlx::query_as(&sql)
            .bind(root.id)
            .bind(day(tree_on))
            .bind(i64::from(year))
            .bind(day(today))
            .fetch_all(p)
            .await)?;
    Ok(rows
        .into_iter()
        .map(
            |(quarter, topic, level_id, total, answered, overdue)| CountRow {
                quarter,
                topic,
                level_id,
                total,
                answered,
                overdue,
            },
        )
        .collect())
}

/// A cell's meetings, by day (the demo links recommendations to them).
pub async fn meetings_of(tx: &mut Tx, cell: OrgId) -> Result<Vec<(i64, Day)>> {
    const SQL: &str = "SELECT id, held_on FROM meeting WHERE org_id = $1 ORDER BY held_on, id";
    Ok(on_tx!(tx, |c| sqlx::query_as(SQL)
        .bind(cell)
        .fetch_all(c)
        .await)?)
}

/// How many recommendations a visit's cadre has already carried up.
pub async fn count_of_visit(db: &Db, visit: i64) -> Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM recommendation WHERE visit_id = $1";
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(visit)
        .fetch_one(p)
        .await)?)
}
