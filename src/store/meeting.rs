//! Meetings, their preparation and record, and the rules they are judged by.

use super::types::{Day, Instant, day, instant};
use super::{Db, Result, StoreError, Tx};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::rules::RuleSet;
use crate::{on_db, on_tx};
use jiff::civil::Date;

pub use super::meeting_parts::*;
pub use super::meeting_tasks::*;

/// Every version of the meeting rules, oldest first.
pub async fn rules(db: &Db) -> Result<Vec<RuleSet>> {
    const SQL: &str = "SELECT effective_from, source, regular_per_year, thematic_per_quarter, ho_chi_minh_per_year, \
        notice_min_days, notice_max_days, notice_source, min_minutes, combined_min_minutes, docs_days_before, \
        resolution_within_days FROM meeting_rule ORDER BY effective_from";
    #[allow(clippy::type_complexity)]
    let rows: Vec<(
        Day,
        String,
        i64,
        i64,
        i64,
        i64,
        i64,
        String,
        Option<i64>,
        Option<i64>,
        Option<i64>,
        Option<i64>,
    )> = on_db!(db, |p| sqlx::query_as(SQL).fetch_all(p).await)?;
    Ok(rows
        .into_iter()
        .map(|r| RuleSet {
            effective_from: r.0.to_jiff(),
            source: r.1,
            regular_per_year: r.2,
            thematic_per_quarter: r.3,
            ho_chi_minh_per_year: r.4,
            notice_min_days: r.5,
            notice_max_days: r.6,
            notice_source: r.7,
            min_minutes: r.8,
            combined_min_minutes: r.9,
            docs_days_before: r.10,
            resolution_within_days: r.11,
        })
        .collect())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ScheduleRow {
    pub day_of_month: i64,
    pub start_time: String,
    pub place: String,
}

pub async fn schedule(db: &Db, org: OrgId) -> Result<Option<ScheduleRow>> {
    const SQL: &str = "SELECT day_of_month, start_time, place FROM cell_schedule WHERE org_id = $1";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(org)
        .fetch_optional(p)
        .await)?)
}

pub async fn set_schedule(tx: &mut Tx, org: OrgId, s: &ScheduleRow) -> Result<()> {
    const SQL: &str = "INSERT INTO cell_schedule (org_id, day_of_month, start_time, place) VALUES ($1, $2, $3, $4) \
        ON CONFLICT (org_id) DO UPDATE SET day_of_month = $2, start_time = $3, place = $4";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(org)
        .bind(s.day_of_month)
        .bind(&s.start_time)
        .bind(&s.place)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

const COLUMNS: &str = "m.id, m.org_id, m.kind, m.held_on, m.start_time, m.place, m.topic, m.ho_chi_minh, m.status, \
    m.notice_sent_on, m.docs_published_on, m.resolution_sent_on, m.started_time, m.ended_time, m.chair_id, \
    m.recorder_id, m.proceedings, m.conclusion, m.vote_for, m.vote_against, m.vote_abstain, m.resolution_title, \
    m.resolution_text, m.number, m.signed_at, m.signed_by, m.quality, m.chair_post, m.version";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingRow {
    pub id: i64,
    pub org_id: OrgId,
    pub kind: String,
    pub held_on: Day,
    pub start_time: String,
    pub place: String,
    pub topic: String,
    pub ho_chi_minh: bool,
    /// planned | held | cancelled
    pub status: String,
    pub notice_sent_on: Option<Day>,
    pub docs_published_on: Option<Day>,
    pub resolution_sent_on: Option<Day>,
    pub started_time: Option<String>,
    pub ended_time: Option<String>,
    pub chair_id: Option<MemberId>,
    pub recorder_id: Option<MemberId>,
    pub proceedings: String,
    pub conclusion: String,
    pub vote_for: Option<i64>,
    pub vote_against: Option<i64>,
    pub vote_abstain: Option<i64>,
    pub resolution_title: String,
    pub resolution_text: String,
    /// The minutes' number (also in `document_number`, with the other kinds').
    pub number: i64,
    pub signed_at: Option<Instant>,
    pub signed_by: Option<String>,
    /// The cell's self-evaluation: good | fair | average | weak.
    pub quality: Option<String>,
    /// The chair's post when signed: secretary | deputy | member.
    pub chair_post: Option<String>,
    /// Raised by every write to the row or its roll call (docs/rules.md
    /// "Offline recording and explicit conflicts").
    pub version: i64,
}

pub async fn get(db: &Db, id: i64) -> Result<MeetingRow> {
    let sql = format!("SELECT {COLUMNS} FROM meeting m WHERE m.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

pub async fn get_for_update(tx: &mut Tx, id: i64) -> Result<MeetingRow> {
    let sql = format!(
        "SELECT {COLUMNS} FROM meeting m WHERE m.id = $1{}",
        if tx.is_postgres() { " FOR UPDATE" } else { "" }
    );
    on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Meetings of the cells in the subtree of `root` (read on `tree_on`) held
/// between `from` and `to` inclusive, by day; at most `limit` of them.
pub async fn in_subtree(
    db: &Db,
    root: super::org::Root,
    tree_on: Date,
    from: Date,
    to: Date,
    limit: i64,
) -> Result<Vec<MeetingRow>> {
    let sql = format!(
        "{}SELECT {COLUMNS} FROM sub CROSS JOIN meeting m WHERE m.org_id = sub.id AND m.held_on >= $3 AND m.held_on <= $4 \
         ORDER BY m.held_on, m.start_time, m.id LIMIT $5",
        root.cte()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root.id)
        .bind(day(tree_on))
        .bind(day(from))
        .bind(day(to))
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// No limit on a list (callers bound it by subtree and dates).
pub const ALL: i64 = i64::MAX;

pub struct NewMeeting<'a> {
    pub org: OrgId,
    pub kind: &'a str,
    pub held_on: Date,
    pub start_time: &'a str,
    pub place: &'a str,
    pub topic: &'a str,
    pub ho_chi_minh: bool,
}

pub async fn insert(tx: &mut Tx, m: &NewMeeting<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO meeting (org_id, kind, held_on, start_time, place, topic, ho_chi_minh, status) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, 'planned') RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(m.org)
        .bind(m.kind)
        .bind(day(m.held_on))
        .bind(m.start_time)
        .bind(m.place)
        .bind(m.topic)
        .bind(m.ho_chi_minh)
        .fetch_one(c)
        .await)?)
}

/// Writes every mutable column of an unsigned meeting.
/// Raises the meeting's version: its roll call changed (docs/rules.md
/// "Offline recording and explicit conflicts"); `update` raises it itself.
pub async fn bump_version(tx: &mut Tx, id: i64) -> Result<()> {
    const SQL: &str = "UPDATE meeting SET version = version + 1 WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn update(tx: &mut Tx, m: &MeetingRow) -> Result<()> {
    const SQL: &str = "UPDATE meeting SET kind = $2, held_on = $3, start_time = $4, place = $5, topic = $6, \
        ho_chi_minh = $7, status = $8, notice_sent_on = $9, docs_published_on = $10, resolution_sent_on = $11, \
        started_time = $12, ended_time = $13, chair_id = $14, recorder_id = $15, proceedings = $16, conclusion = $17, \
        vote_for = $18, vote_against = $19, vote_abstain = $20, resolution_title = $21, resolution_text = $22, \
        number = $23, signed_at = $24, signed_by = $25, quality = $26, chair_post = $27, \
        version = version + 1 WHERE id = $1 AND signed_at IS NULL";
    let n = on_tx!(tx, |c| sqlx::query(SQL)
        .bind(m.id)
        .bind(&m.kind)
        .bind(m.held_on)
        .bind(&m.start_time)
        .bind(&m.place)
        .bind(&m.topic)
        .bind(m.ho_chi_minh)
        .bind(&m.status)
        .bind(m.notice_sent_on)
        .bind(m.docs_published_on)
        .bind(m.resolution_sent_on)
        .bind(&m.started_time)
        .bind(&m.ended_time)
        .bind(m.chair_id)
        .bind(m.recorder_id)
        .bind(&m.proceedings)
        .bind(&m.conclusion)
        .bind(m.vote_for)
        .bind(m.vote_against)
        .bind(m.vote_abstain)
        .bind(&m.resolution_title)
        .bind(&m.resolution_text)
        .bind(m.number)
        .bind(m.signed_at)
        .bind(&m.signed_by)
        .bind(&m.quality)
        .bind(&m.chair_post)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    // Signed minutes are never updated (the WHERE clause guards it too).
    if n == 0 {
        Err(StoreError::Conflict("meeting_signed".into()))
    } else {
        Ok(())
    }
}

/// Dates already taken by regular meetings of a cell in a year (for planning).
pub async fn regular_months(tx: &mut Tx, org: OrgId, from: Date, to: Date) -> Result<Vec<Day>> {
    const SQL: &str = "SELECT held_on FROM meeting WHERE org_id = $1 AND held_on >= $2 AND held_on <= $3 \
        AND kind IN ('regular', 'combined', 'model') AND status <> 'cancelled'";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(org)
        .bind(day(from))
        .bind(day(to))
        .fetch_all(c)
        .await)?)
}

pub async fn record_move(
    tx: &mut Tx,
    id: i64,
    from: Date,
    to: Date,
    reason: &str,
    at: jiff::Timestamp,
    who: &str,
) -> Result<()> {
    const SQL: &str = "INSERT INTO meeting_move (meeting_id, from_on, to_on, reason, at, username) VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(day(from))
        .bind(day(to))
        .bind(reason)
        .bind(instant(at))
        .bind(who)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Records the day the resolution was sent up (42-HD/BTCTW: within 2 days);
/// allowed after signing, since it is not part of the minutes.
pub async fn mark_resolution_sent(tx: &mut Tx, id: i64, on: Date) -> Result<()> {
    const SQL: &str = "UPDATE meeting SET resolution_sent_on = $2 WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(day(on))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
