//! Supervision rounds, their cadres and visits (migration 0012). Every row
//! hangs off the round's committee, never off the visited cell (docs/rules.md
//! "Supervision rounds and unannounced visits").

use super::json_rows::{self, Part};
use super::types::{Day, Instant, day, instant};
use super::{Db, Result, Tx};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::supervision::{LETTER_KIND, Report};
use crate::{on_db, on_tx};
use jiff::civil::Date;

const LATEST_NAME: &str =
    "(SELECT v.name FROM org_version v WHERE v.org_id = {} ORDER BY v.valid_from DESC LIMIT 1)";

fn latest_name(col: &str) -> String {
    LATEST_NAME.replace("{}", col)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RoundRow {
    pub id: i64,
    pub org_id: OrgId,
    pub scope_id: OrgId,
    pub scope_name: String,
    pub name: String,
    pub purpose: String,
    pub starts_on: Day,
    pub ends_on: Day,
}

fn round_columns() -> String {
    format!(
        "r.id, r.org_id, r.scope_id, {} AS scope_name, r.name, r.purpose, r.starts_on, r.ends_on",
        latest_name("r.scope_id")
    )
}

pub struct NewRound<'a> {
    pub org: OrgId,
    pub scope: OrgId,
    pub name: &'a str,
    pub purpose: &'a str,
    pub from: Date,
    pub to: Date,
    pub at: jiff::Timestamp,
}

pub async fn insert_round(tx: &mut Tx, r: &NewRound<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO supervision_round (org_id, scope_id, name, purpose, starts_on, ends_on, created_at) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(r.org)
        .bind(r.scope)
        .bind(r.name)
        .bind(r.purpose)
        .bind(day(r.from))
        .bind(day(r.to))
        .bind(instant(r.at))
        .fetch_one(c)
        .await)?)
}

pub async fn round(db: &Db, id: i64) -> Result<RoundRow> {
    let sql = format!(
        "SELECT {} FROM supervision_round r WHERE r.id = $1",
        round_columns()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

/// A committee's rounds, latest first.
pub async fn rounds_of(db: &Db, org: OrgId) -> Result<Vec<RoundRow>> {
    let sql = format!(
        "SELECT {} FROM supervision_round r WHERE r.org_id = $1 ORDER BY r.starts_on DESC, r.id DESC",
        round_columns()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .fetch_all(p)
        .await)?)
}

/// The rounds a member is a cadre of, latest first.
pub async fn rounds_of_cadre(db: &Db, member: MemberId) -> Result<Vec<RoundRow>> {
    let sql = format!(
        "SELECT {} FROM supervision_round r JOIN round_cadre k ON k.round_id = r.id \
         WHERE k.member_id = $1 ORDER BY r.starts_on DESC, r.id DESC",
        round_columns()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(member)
        .fetch_all(p)
        .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CadreRow {
    pub id: i64,
    pub member_id: MemberId,
    pub full_name: String,
    pub position: String,
    pub cell_name: String,
    /// Whether the member has an account that is not disabled: only then
    /// can they pick a meeting and file a report themself.
    pub has_account: bool,
}

pub async fn cadres(db: &Db, round: i64) -> Result<Vec<CadreRow>> {
    let sql = format!(
        "SELECT k.id, k.member_id, m.full_name, k.position, {} AS cell_name, \
         EXISTS (SELECT 1 FROM app_user u WHERE u.member_id = m.id AND u.disabled = FALSE) AS has_account \
         FROM round_cadre k JOIN member m ON m.id = k.member_id WHERE k.round_id = $1 ORDER BY m.sort_key, k.id",
        latest_name("m.cell_id")
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(round)
        .fetch_all(p)
        .await)?)
}

pub async fn is_cadre(db: &Db, round: i64, member: MemberId) -> Result<bool> {
    const SQL: &str = "SELECT COUNT(*) FROM round_cadre WHERE round_id = $1 AND member_id = $2";
    let n: i64 = on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(round)
        .bind(member)
        .fetch_one(p)
        .await)?;
    Ok(n > 0)
}

/// Adds a cadre; false if they already were one.
pub async fn insert_cadre(
    tx: &mut Tx,
    round: i64,
    member: MemberId,
    position: &str,
) -> Result<bool> {
    const SQL: &str = "INSERT INTO round_cadre (round_id, member_id, position) VALUES ($1, $2, $3) \
                       ON CONFLICT (round_id, member_id) DO NOTHING";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(round)
        .bind(member)
        .bind(position)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?
        > 0)
}

/// Where a visit sits: its round's committee, its cadre, its meeting.
#[derive(Debug, Clone, Copy, sqlx::FromRow)]
pub struct VisitPlace {
    pub round_id: i64,
    pub org_id: OrgId,
    pub member_id: MemberId,
    pub meeting_id: i64,
}

pub async fn visit_place(db: &Db, id: i64) -> Result<VisitPlace> {
    const SQL: &str = "SELECT v.round_id, r.org_id, v.member_id, v.meeting_id FROM visit v \
                       JOIN supervision_round r ON r.id = v.round_id WHERE v.id = $1";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

/// Fields in the order of [`visit_columns`].
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct VisitRow {
    pub id: i64,
    pub round_id: i64,
    pub member_id: MemberId,
    pub full_name: String,
    pub position: String,
    pub meeting_id: i64,
    pub cell_id: OrgId,
    pub cell_name: String,
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub held_on: Day,
    pub start_time: String,
    pub place: String,
    pub status: String,
    pub letter_number: i64,
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub letter_on: Day,
    #[serde(deserialize_with = "json_rows::opt_instant::deserialize")]
    pub reported_at: Option<Instant>,
    #[serde(deserialize_with = "json_rows::opt_flag::deserialize")]
    pub on_time: Option<bool>,
    pub started_time: Option<String>,
    pub procedure_kept: Option<String>,
    pub present: Option<i64>,
    pub convened: Option<i64>,
    pub quality: Option<String>,
    pub fixes: String,
    pub briefing_name: Option<String>,
}

fn visit_columns() -> String {
    format!(
        "v.id, v.round_id, v.member_id, m.full_name, \
         COALESCE((SELECT k.position FROM round_cadre k WHERE k.round_id = v.round_id AND k.member_id = v.member_id), '') AS position, \
         v.meeting_id, g.org_id AS cell_id, {} AS cell_name, g.held_on, g.start_time, g.place, g.status, \
         v.letter_number, v.letter_on, v.reported_at, v.on_time, v.started_time, v.procedure_kept, \
         v.present, v.convened, v.quality, v.fixes, v.briefing_name",
        latest_name("g.org_id")
    )
}

const VISIT_FROM: &str =
    "FROM visit v JOIN member m ON m.id = v.member_id JOIN meeting g ON g.id = v.meeting_id";

fn visit_select() -> String {
    format!("SELECT {} {VISIT_FROM}", visit_columns())
}

pub async fn visit(db: &Db, id: i64) -> Result<VisitRow> {
    let sql = format!("{} WHERE v.id = $1", visit_select());
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

pub async fn visits_of_round(db: &Db, round: i64) -> Result<Vec<VisitRow>> {
    let sql = format!(
        "{} WHERE v.round_id = $1 ORDER BY g.held_on, g.start_time, v.id",
        visit_select()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(round)
        .fetch_all(p)
        .await)?)
}

/// The visits to one meeting, by the cadre's name ($1: the meeting).
pub(super) fn visits_of_meeting_part() -> Part {
    Part {
        with: String::new(),
        columns: visit_columns(),
        from: format!("{VISIT_FROM} WHERE v.meeting_id = $1"),
        order: "m.sort_key, v.id".into(),
    }
}

/// What members raised at the visits to one meeting: (visit, line) rows in
/// order ($1: the meeting).
pub(super) fn raised_at_meeting_part() -> Part {
    Part {
        with: String::new(),
        columns: "r.visit_id, r.line".into(),
        from: "FROM visit_raised r JOIN visit v ON v.id = r.visit_id WHERE v.meeting_id = $1"
            .into(),
        order: "r.visit_id, r.position".into(),
    }
}

/// Whether the cadre already visits that meeting in that round.
pub async fn visit_exists(tx: &mut Tx, round: i64, member: MemberId, meeting: i64) -> Result<bool> {
    const SQL: &str =
        "SELECT COUNT(*) FROM visit WHERE round_id = $1 AND member_id = $2 AND meeting_id = $3";
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(round)
        .bind(member)
        .bind(meeting)
        .fetch_one(c)
        .await)?;
    Ok(n > 0)
}

/// The next number of a committee's introduction letters for the year of
/// `on`: the same counter table as a cell's documents, kind "GGT", keyed by
/// the committee (never by the visited cell).
pub async fn next_letter_number(tx: &mut Tx, org: OrgId, on: Date) -> Result<i64> {
    super::document::next_in_series(tx, org, LETTER_KIND, on).await
}

pub async fn insert_visit(
    tx: &mut Tx,
    round: i64,
    member: MemberId,
    meeting: i64,
    letter_number: i64,
    letter_on: Date,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO visit (round_id, member_id, meeting_id, letter_number, letter_on) \
                       VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(round)
        .bind(member)
        .bind(meeting)
        .bind(letter_number)
        .bind(day(letter_on))
        .fetch_one(c)
        .await)?)
}

/// Records (or replaces) the cadre's report and its raised items.
pub async fn set_report(tx: &mut Tx, id: i64, r: &Report, at: jiff::Timestamp) -> Result<()> {
    const SQL: &str = "UPDATE visit SET reported_at = $2, on_time = $3, started_time = $4, procedure_kept = $5, \
                       present = $6, convened = $7, quality = $8, fixes = $9 WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(instant(at))
        .bind(r.on_time)
        .bind(r.started_time.as_deref())
        .bind(r.procedure.code())
        .bind(r.present)
        .bind(r.convened)
        .bind(r.quality.code())
        .bind(r.fixes.as_str())
        .execute(c)
        .await
        .map(|x| x.rows_affected()))?;
    const CLEAR: &str = "DELETE FROM visit_raised WHERE visit_id = $1";
    on_tx!(tx, |c| sqlx::query(CLEAR)
        .bind(id)
        .execute(c)
        .await
        .map(|x| x.rows_affected()))?;
    const LINE: &str = "INSERT INTO visit_raised (visit_id, position, line) VALUES ($1, $2, $3)";
    for (i, line) in r.raised.iter().enumerate() {
        on_tx!(tx, |c| sqlx::query(LINE)
            .bind(id)
            .bind(i as i64 + 1)
            .bind(line.as_str())
            .execute(c)
            .await
            .map(|x| x.rows_affected()))?;
    }
    Ok(())
}

/// What members raised at a visit, in order.
pub async fn raised(db: &Db, visit: i64) -> Result<Vec<String>> {
    const SQL: &str = "SELECT line FROM visit_raised WHERE visit_id = $1 ORDER BY position";
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(visit)
        .fetch_all(p)
        .await)?)
}

pub struct Briefing<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub sha256: &'a str,
    pub data: &'a [u8],
}

pub async fn set_briefing(tx: &mut Tx, id: i64, b: &Briefing<'_>) -> Result<()> {
    const SQL: &str = "UPDATE visit SET briefing_name = $2, briefing_type = $3, briefing_sha256 = $4, \
                       briefing_data = $5 WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(b.name)
        .bind(b.content_type)
        .bind(b.sha256)
        .bind(b.data)
        .execute(c)
        .await
        .map(|x| x.rows_affected()))?;
    Ok(())
}

/// Name, type and bytes as stored (each may be NULL when none was brought).
type BriefingCols = (Option<String>, Option<String>, Option<Vec<u8>>);

/// The briefing's file name, type and bytes, if one was brought.
pub async fn briefing(db: &Db, id: i64) -> Result<Option<(String, String, Vec<u8>)>> {
    const SQL: &str = "SELECT briefing_name, briefing_type, briefing_data FROM visit \
                       WHERE id = $1 AND briefing_data IS NOT NULL";
    let row: Option<BriefingCols> =
        on_db!(db, |p| sqlx::query_as(SQL).bind(id).fetch_optional(p).await)?;
    Ok(row.and_then(|(n, t, d)| Some((n?, t?, d?))))
}
