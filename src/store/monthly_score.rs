//! Monthly scores of base organizations and the figures a monthly rubric
//! reads, each figure one grouped query over a committee's subtree
//! (migration 0018).

use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::ids::OrgId;
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScoreRow {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub month: String,
    pub rubric_id: i64,
    pub committee_id: OrgId,
    pub answers: String,
    pub metrics: String,
    pub evidence_note: String,
    pub evidence_ref: String,
    pub total_tenths: i32,
    pub level: String,
    pub username: String,
    pub scored_on: Day,
}

const COLUMNS: &str = "s.id, s.org_id, \
    (SELECT v.name FROM org_version v WHERE v.org_id = s.org_id ORDER BY v.valid_from DESC LIMIT 1) AS org_name, \
    s.month, s.rubric_id, s.committee_id, s.answers, s.metrics, s.evidence_note, s.evidence_ref, \
    s.total_tenths, s.level, s.username, s.scored_on";

/// A committee's scores of a month, best first (ties by organization).
pub async fn ranking(db: &Db, committee: OrgId, month: &str) -> Result<Vec<ScoreRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM monthly_score s WHERE s.committee_id = $1 AND s.month = $2 \
         ORDER BY s.total_tenths DESC, org_name, s.org_id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(committee)
        .bind(month)
        .fetch_all(p)
        .await)?)
}

/// The last month from `from` to `to` (inclusive, "YYYY-MM") in which the
/// committee scored anything.
pub async fn latest_month(
    db: &Db,
    committee: OrgId,
    (from, to): (&str, &str),
) -> Result<Option<String>> {
    const SQL: &str = "SELECT MAX(month) FROM monthly_score WHERE committee_id = $1 AND month >= $2 AND month <= $3";
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(committee)
        .bind(from)
        .bind(to)
        .fetch_one(p)
        .await)?)
}

/// An organization's scores between two months (inclusive), by month.
pub async fn of_org(db: &Db, org: OrgId, from: &str, to: &str) -> Result<Vec<ScoreRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM monthly_score s WHERE s.org_id = $1 AND s.month >= $2 AND s.month <= $3 \
         ORDER BY s.month, s.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await)?)
}

/// Every score a committee gave between two months, for the ranks of each month.
pub async fn of_committee(
    db: &Db,
    committee: OrgId,
    from: &str,
    to: &str,
) -> Result<Vec<(OrgId, String, i32)>> {
    const SQL: &str = "SELECT s.org_id, s.month, s.total_tenths FROM monthly_score s \
        WHERE s.committee_id = $1 AND s.month >= $2 AND s.month <= $3";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(committee)
        .bind(from)
        .bind(to)
        .fetch_all(p)
        .await)?)
}

pub struct NewScore<'a> {
    pub org: OrgId,
    pub month: &'a str,
    pub rubric: i64,
    pub committee: OrgId,
    pub answers: &'a str,
    pub metrics: &'a str,
    pub evidence_note: &'a str,
    pub evidence_ref: &'a str,
    pub total_tenths: i32,
    pub level: &'a str,
    pub username: &'a str,
    pub on: Date,
}

/// Records a month's score (scoring the month again replaces it).
pub async fn upsert(tx: &mut Tx, s: &NewScore<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO monthly_score (org_id, month, rubric_id, committee_id, answers, metrics, \
        evidence_note, evidence_ref, total_tenths, level, username, scored_on) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
        ON CONFLICT (org_id, month, rubric_id) DO UPDATE SET committee_id = excluded.committee_id, \
        answers = excluded.answers, metrics = excluded.metrics, evidence_note = excluded.evidence_note, \
        evidence_ref = excluded.evidence_ref, total_tenths = excluded.total_tenths, level = excluded.level, \
        username = excluded.username, scored_on = excluded.scored_on RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(s.org)
        .bind(s.month)
        .bind(s.rubric)
        .bind(s.committee)
        .bind(s.answers)
        .bind(s.metrics)
        .bind(s.evidence_note)
        .bind(s.evidence_ref)
        .bind(s.total_tenths)
        .bind(s.level)
        .bind(s.username)
        .bind(day(s.on))
        .fetch_one(c)
        .await)?)
}

/// A node of a committee's subtree as it stood on a day.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeRow {
    pub id: OrgId,
    pub parent_id: Option<OrgId>,
    pub kind: String,
    pub name: String,
}

pub async fn nodes(db: &Db, root: OrgId, on: Date) -> Result<Vec<NodeRow>> {
    let sql = format!(
        "{}SELECT v.org_id AS id, v.parent_id, v.kind, v.name FROM org_version v JOIN sub ON sub.id = v.org_id \
         WHERE {}",
        super::org::subtree_cte!(),
        super::org::valid_on!("v", "$2")
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// Meetings of a month per cell: recorded (any status), held, held on the
/// planned day (never moved), present, convened, thematic.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingFigures {
    pub org_id: OrgId,
    pub recorded: i64,
    pub held: i64,
    pub on_time: i64,
    pub present: i64,
    pub convened: i64,
    pub thematic: i64,
}

pub async fn meeting_figures(
    db: &Db,
    root: OrgId,
    on: Date,
    (from, to): (Date, Date),
) -> Result<Vec<MeetingFigures>> {
    let sql = format!(
        "{}SELECT m.org_id, COUNT(*) AS recorded, \
         COALESCE(SUM(CASE WHEN m.status = 'held' THEN 1 ELSE 0 END), 0) AS held, \
         COALESCE(SUM(CASE WHEN m.status = 'held' AND NOT EXISTS (SELECT 1 FROM meeting_move mv WHERE mv.meeting_id = m.id) THEN 1 ELSE 0 END), 0) AS on_time, \
         COALESCE(SUM(CASE WHEN m.status = 'held' THEN m.present_count ELSE 0 END), 0) AS present, \
         COALESCE(SUM(CASE WHEN m.status = 'held' THEN m.convened_count ELSE 0 END), 0) AS convened, \
         COALESCE(SUM(CASE WHEN m.status = 'held' AND (m.kind IN ('thematic', 'combined') OR m.topic <> '') THEN 1 ELSE 0 END), 0) AS thematic \
         FROM meeting m JOIN sub ON sub.id = m.org_id \
         WHERE m.held_on >= $3 AND m.held_on <= $4 GROUP BY m.org_id",
        super::org::subtree_cte!()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root)
        .bind(day(on))
        .bind(day(from))
        .bind(day(to))
        .fetch_all(p)
        .await)?)
}

/// Per cell: (tasks fallen due in the month and not done, follow-up items
/// due by the month's end, of them answered by then, recommendations raised
/// by then, of them answered or closed by then, visit reports filed for
/// the month's meetings). Four grouped queries.
pub async fn other_figures(
    db: &Db,
    root: OrgId,
    on: Date,
    (from, to): (Date, Date),
) -> Result<Vec<(OrgId, [i64; 6])>> {
    let cte = super::org::subtree_cte!();
    let overdue = format!(
        "{cte}SELECT m.org_id, COUNT(*), CAST(0 AS BIGINT) FROM task t JOIN meeting m ON m.id = t.meeting_id JOIN sub ON sub.id = m.org_id \
         WHERE t.deadline >= $3 AND t.deadline <= $4 AND t.status <> 'done' GROUP BY m.org_id"
    );
    let findings = format!(
        "{cte}SELECT f.cell_id, COUNT(*), COALESCE(SUM(CASE WHEN f.answered_on IS NOT NULL AND f.answered_on <= $4 THEN 1 ELSE 0 END), 0) \
         FROM inspection_finding f JOIN sub ON sub.id = f.cell_id \
         WHERE f.kind = 'shortcoming' AND f.deadline IS NOT NULL AND f.deadline <= $4 AND CAST($3 AS DATE) IS NOT NULL \
         GROUP BY f.cell_id"
    );
    let recs = format!(
        "{cte}SELECT r.cell_id, COUNT(*), COALESCE(SUM(CASE WHEN (r.answered_on IS NOT NULL AND r.answered_on <= $4) \
         OR r.status = 'closed' THEN 1 ELSE 0 END), 0) \
         FROM recommendation r JOIN sub ON sub.id = r.cell_id WHERE r.raised_on <= $4 AND CAST($3 AS DATE) IS NOT NULL \
         GROUP BY r.cell_id"
    );
    let visits = format!(
        "{cte}SELECT m.org_id, COUNT(*), CAST(0 AS BIGINT) FROM visit v JOIN meeting m ON m.id = v.meeting_id JOIN sub ON sub.id = m.org_id \
         WHERE v.reported_at IS NOT NULL AND m.held_on >= $3 AND m.held_on <= $4 GROUP BY m.org_id"
    );
    let mut out: std::collections::BTreeMap<OrgId, [i64; 6]> = std::collections::BTreeMap::new();
    for (i, sql) in [overdue, findings, recs, visits].iter().enumerate() {
        let rows: Vec<(OrgId, i64, i64)> = on_db!(db, |p| sqlx::query_as(sql)
            .bind(root)
            .bind(day(on))
            .bind(day(from))
            .bind(day(to))
            .fetch_all(p)
            .await)?;
        for (org, a, b) in rows {
            let e = out.entry(org).or_default();
            match i {
                0 => e[0] += a,
                1 => {
                    e[1] += a;
                    e[2] += b;
                }
                2 => {
                    e[3] += a;
                    e[4] += b;
                }
                _ => e[5] += a,
            }
        }
    }
    Ok(out.into_iter().collect())
}
