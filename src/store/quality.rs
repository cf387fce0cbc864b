//! Meeting assessments (self-assessment and review) and the figures a
//! meeting rubric reads (migration 0018).

use super::types::{Day, day};
use super::{Db, Result, Tx, placeholders};
use crate::domain::ids::OrgId;
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AssessmentRow {
    pub id: i64,
    pub meeting_id: i64,
    /// self | review
    pub stage: String,
    pub rubric_id: i64,
    pub answers: String,
    pub metrics: String,
    pub total_tenths: i32,
    pub level: String,
    pub note: String,
    pub username: String,
    pub assessed_on: Day,
}

const COLUMNS: &str = "a.id, a.meeting_id, a.stage, a.rubric_id, a.answers, a.metrics, a.total_tenths, \
    a.level, a.note, a.username, a.assessed_on";

/// Both stages of a meeting's assessment, self first.
pub async fn of_meeting(db: &Db, meeting: i64) -> Result<Vec<AssessmentRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM meeting_assessment a WHERE a.meeting_id = $1 ORDER BY a.stage DESC"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(meeting)
        .fetch_all(p)
        .await)?)
}

pub struct NewAssessment<'a> {
    pub meeting: i64,
    pub stage: &'a str,
    pub rubric: i64,
    pub answers: &'a str,
    pub metrics: &'a str,
    pub total_tenths: i32,
    pub level: &'a str,
    pub note: &'a str,
    pub username: &'a str,
    pub on: Date,
}

/// Records a stage (a second one of the same stage replaces it).
pub async fn upsert(tx: &mut Tx, a: &NewAssessment<'_>) -> Result<()> {
    const SQL: &str = "INSERT INTO meeting_assessment (meeting_id, stage, rubric_id, answers, metrics, \
        total_tenths, level, note, username, assessed_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) \
        ON CONFLICT (meeting_id, stage) DO UPDATE SET rubric_id = excluded.rubric_id, answers = excluded.answers, \
        metrics = excluded.metrics, total_tenths = excluded.total_tenths, level = excluded.level, \
        note = excluded.note, username = excluded.username, assessed_on = excluded.assessed_on";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(a.meeting)
        .bind(a.stage)
        .bind(a.rubric)
        .bind(a.answers)
        .bind(a.metrics)
        .bind(a.total_tenths)
        .bind(a.level)
        .bind(a.note)
        .bind(a.username)
        .bind(day(a.on))
        .execute(c)
        .await
        .map(drop))?;
    Ok(())
}

/// The cell's self-evaluation on the minutes follows its rubric
/// self-assessment while the minutes are unsigned; `false` once signed.
pub async fn set_meeting_quality(tx: &mut Tx, meeting: i64, level: &str) -> Result<bool> {
    const SQL: &str = "UPDATE meeting SET quality = $2 WHERE id = $1 AND signed_at IS NULL";
    let n = on_tx!(tx, |c| sqlx::query(SQL)
        .bind(meeting)
        .bind(level)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// What a meeting rubric reads beyond the meeting row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, sqlx::FromRow)]
pub struct Figures {
    pub id: i64,
    pub present: i64,
    pub convened: i64,
    pub speakers: i64,
    /// Tasks of the resolution the meeting reviews (the cell's latest
    /// earlier held meeting that gave tasks), and of them done.
    pub tasks: i64,
    pub done: i64,
}

/// The figures of many meetings, one query per 500.
pub async fn figures(db: &Db, meetings: &[i64]) -> Result<Vec<Figures>> {
    let mut out = Vec::new();
    for chunk in meetings.chunks(500) {
        let sql = format!(
            "SELECT m.id, CAST(m.present_count AS BIGINT) AS present, CAST(m.convened_count AS BIGINT) AS convened, \
             CAST(m.speaker_count AS BIGINT) AS speakers, COUNT(t.id) AS tasks, \
             COALESCE(SUM(CASE WHEN t.status = 'done' THEN 1 ELSE 0 END), 0) AS done \
             FROM meeting m LEFT JOIN task t ON t.meeting_id = \
             (SELECT p.id FROM meeting p WHERE p.org_id = m.org_id AND p.held_on < m.held_on AND p.status = 'held' \
              AND EXISTS (SELECT 1 FROM task x WHERE x.meeting_id = p.id) ORDER BY p.held_on DESC, p.id DESC LIMIT 1) \
             WHERE m.id IN ({}) GROUP BY m.id, m.present_count, m.convened_count, m.speaker_count",
            placeholders(1, chunk.len())
        );
        let rows: Vec<Figures> = on_db!(db, |p| {
            let mut q = sqlx::query_as(&sql);
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?;
        out.extend(rows);
    }
    Ok(out)
}

/// Held meetings of the subtree of `root` between two dates counted by
/// final level (the review's, else the self-assessment's): one grouped query.
pub async fn level_counts(
    db: &Db,
    root: OrgId,
    on: Date,
    (from, to): (Date, Date),
) -> Result<Vec<(String, i64)>> {
    let sql = format!(
        "{}SELECT COALESCE(r.level, s.level) AS level, COUNT(*) FROM meeting m JOIN sub ON sub.id = m.org_id \
         JOIN meeting_assessment s ON s.meeting_id = m.id AND s.stage = 'self' \
         LEFT JOIN meeting_assessment r ON r.meeting_id = m.id AND r.stage = 'review' \
         WHERE m.held_on >= $3 AND m.held_on <= $4 GROUP BY COALESCE(r.level, s.level)",
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
