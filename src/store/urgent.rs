//! Urgent issues and their monthly progress (migration 0017).

use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::ids::OrgId;
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IssueRow {
    pub id: i64,
    pub org_id: OrgId,
    pub year: i32,
    pub title: String,
    pub field: String,
    pub target: String,
    pub deadline: Option<Day>,
    pub status: String,
    pub percent: Option<i32>,
    pub assessment: Option<String>,
    pub assessment_comment: String,
    pub assessed_by: Option<OrgId>,
    pub assessed_on: Option<Day>,
    pub created_on: Day,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ProgressRow {
    pub id: i64,
    pub issue_id: i64,
    pub month: i32,
    pub body: String,
    pub status: String,
    pub percent: Option<i32>,
    pub reported_on: Day,
}

const ISSUE_COLUMNS: &str = "id, org_id, year, title, field, target, deadline, status, percent, \
    assessment, assessment_comment, assessed_by, assessed_on, created_on";

/// A base organization's issues of a year, in the order registered.
pub async fn of_org(db: &Db, org: OrgId, year: i32) -> Result<Vec<IssueRow>> {
    let sql = format!(
        "SELECT {ISSUE_COLUMNS} FROM urgent_issue WHERE org_id = $1 AND year = $2 ORDER BY id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .bind(year)
        .fetch_all(p)
        .await)?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<IssueRow>> {
    let sql = format!("SELECT {ISSUE_COLUMNS} FROM urgent_issue WHERE id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Every monthly report of a base organization's issues of a year, in one
/// query, by issue and month.
pub async fn progress_of_org(db: &Db, org: OrgId, year: i32) -> Result<Vec<ProgressRow>> {
    const SQL: &str = "SELECT p.id, p.issue_id, p.month, p.body, p.status, p.percent, p.reported_on \
        FROM urgent_progress p JOIN urgent_issue i ON i.id = p.issue_id \
        WHERE i.org_id = $1 AND i.year = $2 ORDER BY p.issue_id, p.month";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(org)
        .bind(year)
        .fetch_all(p)
        .await)?)
}

pub struct NewIssue<'a> {
    pub org: OrgId,
    pub year: i32,
    pub title: &'a str,
    pub field: &'a str,
    pub target: &'a str,
    pub deadline: Option<Date>,
    pub on: Date,
}

pub async fn insert(tx: &mut Tx, i: &NewIssue<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO urgent_issue (org_id, year, title, field, target, deadline, created_on) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(i.org)
        .bind(i.year)
        .bind(i.title)
        .bind(i.field)
        .bind(i.target)
        .bind(i.deadline.map(day))
        .bind(day(i.on))
        .fetch_one(c)
        .await)?)
}

pub struct NewReport<'a> {
    pub issue: i64,
    pub month: i32,
    pub body: &'a str,
    pub status: &'a str,
    pub percent: Option<i32>,
    pub on: Date,
}

/// Records a month's report (a second report of the same month replaces
/// it); the issue takes the status of its latest month.
pub async fn report(tx: &mut Tx, r: &NewReport<'_>) -> Result<()> {
    const UPSERT: &str = "INSERT INTO urgent_progress (issue_id, month, body, status, percent, reported_on) \
        VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (issue_id, month) DO UPDATE SET \
        body = excluded.body, status = excluded.status, percent = excluded.percent, \
        reported_on = excluded.reported_on";
    const LATEST: &str = "UPDATE urgent_issue SET \
        status = (SELECT p.status FROM urgent_progress p WHERE p.issue_id = $1 ORDER BY p.month DESC LIMIT 1), \
        percent = (SELECT p.percent FROM urgent_progress p WHERE p.issue_id = $1 ORDER BY p.month DESC LIMIT 1) \
        WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(UPSERT)
        .bind(r.issue)
        .bind(r.month)
        .bind(r.body)
        .bind(r.status)
        .bind(r.percent)
        .bind(day(r.on))
        .execute(&mut *c)
        .await
        .map(|_| ()))?;
    on_tx!(tx, |c| sqlx::query(LATEST)
        .bind(r.issue)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// The upper level's assessment (a later one replaces it).
pub async fn assess(
    tx: &mut Tx,
    issue: i64,
    (grade, comment): (&str, &str),
    by: OrgId,
    on: Date,
) -> Result<()> {
    const SQL: &str = "UPDATE urgent_issue SET assessment = $2, assessment_comment = $3, \
        assessed_by = $4, assessed_on = $5 WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(issue)
        .bind(grade)
        .bind(comment)
        .bind(by)
        .bind(day(on))
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// Issues of one base organization with one status and assessment.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CountRow {
    pub org_id: OrgId,
    pub org_name: String,
    pub status: String,
    pub assessment: Option<String>,
    pub issues: i64,
}

/// The issues of a year registered in the subtree of `root` (read on `on`),
/// counted by organization, status and assessment: one grouped query.
pub async fn counts_in_subtree(db: &Db, root: OrgId, on: Date, year: i32) -> Result<Vec<CountRow>> {
    let sql = format!(
        "{}SELECT i.org_id, \
         (SELECT v.name FROM org_version v WHERE v.org_id = i.org_id ORDER BY v.valid_from DESC LIMIT 1) AS org_name, \
         i.status, i.assessment, COUNT(*) AS issues \
         FROM urgent_issue i JOIN sub ON sub.id = i.org_id WHERE i.year = $3 \
         GROUP BY i.org_id, i.status, i.assessment ORDER BY org_name, i.org_id",
        super::org::subtree_cte!()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root)
        .bind(day(on))
        .bind(year)
        .fetch_all(p)
        .await)?)
}
