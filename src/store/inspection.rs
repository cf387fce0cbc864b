//! Inspections and their findings (migration 0015).

use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::ids::OrgId;
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct InspectionRow {
    pub id: i64,
    pub org_id: OrgId,
    pub year: i32,
    pub half: i32,
    pub title: String,
    pub created_on: Day,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FindingRow {
    pub id: i64,
    /// The inspection that found it, or (`round_id`) the supervision round
    /// whose conclusion named it (migration 0016).
    pub inspection_id: Option<i64>,
    pub round_id: Option<i64>,
    pub cell_id: OrgId,
    pub cell_name: String,
    pub kind: String,
    pub body: String,
    pub deadline: Option<Day>,
    pub status: String,
    pub answer: String,
    pub answered_on: Option<Day>,
    pub verified_in: Option<i64>,
    pub verified_round: Option<i64>,
    /// The period of the inspection that found it, "2026-H1", or the name
    /// of the round.
    pub period: String,
}

const INSPECTION_COLUMNS: &str = "id, org_id, year, half, title, created_on";

const FINDING_SELECT: &str = "SELECT f.id, f.inspection_id, f.round_id, f.cell_id, \
    (SELECT v.name FROM org_version v WHERE v.org_id = f.cell_id ORDER BY v.valid_from DESC LIMIT 1) AS cell_name, \
    f.kind, f.body, f.deadline, f.status, f.answer, f.answered_on, f.verified_in, f.verified_round, \
    COALESCE(CAST(i.year AS TEXT) || '-H' || CAST(i.half AS TEXT), r.name) AS period \
    FROM inspection_finding f LEFT JOIN inspection i ON i.id = f.inspection_id \
    LEFT JOIN supervision_round r ON r.id = f.round_id";

/// A committee's inspections, newest first.
pub async fn of_org(db: &Db, org: OrgId) -> Result<Vec<InspectionRow>> {
    let sql = format!(
        "SELECT {INSPECTION_COLUMNS} FROM inspection WHERE org_id = $1 ORDER BY year DESC, half DESC"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .fetch_all(p)
        .await)?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<InspectionRow>> {
    let sql = format!("SELECT {INSPECTION_COLUMNS} FROM inspection WHERE id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

pub async fn insert(
    tx: &mut Tx,
    org: OrgId,
    (year, half): (i32, i32),
    title: &str,
    on: Date,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO inspection (org_id, year, half, title, created_on) \
                       VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(org)
        .bind(year)
        .bind(half)
        .bind(title)
        .bind(day(on))
        .fetch_one(c)
        .await)?)
}

/// Findings of one inspection, by cell.
pub async fn findings(db: &Db, inspection: i64) -> Result<Vec<FindingRow>> {
    let sql = format!("{FINDING_SELECT} WHERE f.inspection_id = $1 ORDER BY cell_name, f.id");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(inspection)
        .fetch_all(p)
        .await)?)
}

/// Shortcomings found by the committee's earlier inspections that a later
/// one may still judge (open, answered or not fixed).
pub async fn pending_before(db: &Db, org: OrgId, inspection: i64) -> Result<Vec<FindingRow>> {
    let sql = format!(
        "{FINDING_SELECT} WHERE i.org_id = $1 AND f.inspection_id <> $2 \
         AND f.status IN {WAITING} ORDER BY f.deadline, f.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .bind(inspection)
        .fetch_all(p)
        .await)?)
}

/// Everything inspections found in a cell, newest first.
pub async fn of_cell(db: &Db, cell: OrgId) -> Result<Vec<FindingRow>> {
    let sql = format!("{FINDING_SELECT} WHERE f.cell_id = $1 ORDER BY f.deadline DESC, f.id DESC");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(cell)
        .fetch_all(p)
        .await)?)
}

pub async fn finding(db: &Db, id: i64) -> Result<Option<FindingRow>> {
    let sql = format!("{FINDING_SELECT} WHERE f.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

pub struct NewFinding<'a> {
    /// An inspection's id, or a round's when `from_round`.
    pub inspection: i64,
    pub from_round: bool,
    pub cell: OrgId,
    pub kind: &'a str,
    pub body: &'a str,
    pub deadline: Option<Date>,
    pub status: &'a str,
}

pub async fn insert_finding(tx: &mut Tx, f: &NewFinding<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO inspection_finding (inspection_id, round_id, cell_id, kind, body, deadline, status) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    let (inspection, round) = if f.from_round {
        (None, Some(f.inspection))
    } else {
        (Some(f.inspection), None)
    };
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(inspection)
        .bind(round)
        .bind(f.cell)
        .bind(f.kind)
        .bind(f.body)
        .bind(f.deadline.map(day))
        .bind(f.status)
        .fetch_one(c)
        .await)?)
}

/// The statuses of a shortcoming still waiting (`FollowUpStatus::waiting`).
const WAITING: &str = "('open', 'answered', 'not_fixed')";

/// The cell's answer; only while the finding still waits.
pub async fn answer(tx: &mut Tx, id: i64, text: &str, on: Date) -> Result<u64> {
    let sql = format!(
        "UPDATE inspection_finding SET answer = $2, answered_on = $3, status = 'answered' \
         WHERE id = $1 AND status IN {WAITING}"
    );
    Ok(on_tx!(tx, |c| sqlx::query(&sql)
        .bind(id)
        .bind(text)
        .bind(day(on))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// A later inspection's (or, `by_round`, a later round's) judgement; only
/// while the finding still waits.
pub async fn verify(tx: &mut Tx, id: i64, status: &str, by: i64, by_round: bool) -> Result<u64> {
    let column = if by_round {
        "verified_round"
    } else {
        "verified_in"
    };
    let sql = format!(
        "UPDATE inspection_finding SET status = $2, {column} = $3 \
         WHERE id = $1 AND status IN {WAITING}"
    );
    Ok(on_tx!(tx, |c| sqlx::query(&sql)
        .bind(id)
        .bind(status)
        .bind(by)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Shortcomings named by the committee's earlier rounds' conclusions that
/// round `round` may judge: still waiting, or judged by this very round.
pub async fn of_earlier_rounds(db: &Db, org: OrgId, round: i64) -> Result<Vec<FindingRow>> {
    let sql = format!(
        "{FINDING_SELECT} WHERE r.org_id = $1 AND f.round_id <> $2 AND f.kind = 'shortcoming' \
         AND (f.status IN {WAITING} OR f.verified_round = $2) \
         AND r.starts_on <= (SELECT x.starts_on FROM supervision_round x WHERE x.id = $2) \
         ORDER BY f.deadline, f.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .bind(round)
        .fetch_all(p)
        .await)?)
}

/// The follow-up items a round's conclusion made.
pub async fn of_round(db: &Db, round: i64) -> Result<Vec<FindingRow>> {
    let sql = format!("{FINDING_SELECT} WHERE f.round_id = $1 ORDER BY f.id");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(round)
        .fetch_all(p)
        .await)?)
}
