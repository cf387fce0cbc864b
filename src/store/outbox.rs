//! The mail outbox (migration 0024; docs/rules.md "Mail goes through a
//! durable outbox"). Every timestamp written here is whole seconds
//! (`domain::outbox::whole_seconds`): SQLite compares them as text.

use super::json_rows::{self, Part};
use super::types::{Day, Instant, day, instant};
use super::{Db, Result, Tx, placeholders};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::outbox::{MailKind, whole_seconds};
use crate::{on_db, on_tx};
use jiff::Timestamp;
use jiff::civil::Date;

/// A message to queue.
#[derive(Debug, Clone)]
pub struct NewMail {
    pub meeting_id: i64,
    pub member_id: MemberId,
    pub kind: MailKind,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub ics: Option<String>,
}

const INSERT_COLS: usize = 10;

/// Queues messages, due at once. With `once`, a message that already exists
/// under the unique key (a member's reminder of a meeting) is skipped;
/// returns how many were queued.
pub async fn insert_many(
    tx: &mut Tx,
    mails: &[NewMail],
    now: Timestamp,
    once: bool,
) -> Result<u64> {
    let now = instant(whole_seconds(now));
    let mut queued = 0;
    for chunk in mails.chunks(super::rows_per_statement(tx, INSERT_COLS)) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * INSERT_COLS + 1, INSERT_COLS)))
            .collect();
        let sql = format!(
            "INSERT INTO mail_outbox (meeting_id, member_id, kind, to_address, to_name, subject, \
             body, ics, next_attempt_at, created_at) VALUES {}{}",
            values.join(", "),
            if once { " ON CONFLICT DO NOTHING" } else { "" }
        );
        queued += on_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for m in chunk {
                q = q
                    .bind(m.meeting_id)
                    .bind(m.member_id)
                    .bind(m.kind.code())
                    .bind(&m.to_address)
                    .bind(&m.to_name)
                    .bind(&m.subject)
                    .bind(&m.body)
                    .bind(&m.ics)
                    .bind(now)
                    .bind(now);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(queued)
}

/// A message claimed for one attempt (`attempts` counts it already).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Claimed {
    pub id: i64,
    pub meeting_id: i64,
    pub kind: String,
    pub to_address: String,
    pub to_name: String,
    pub subject: String,
    pub body: String,
    pub ics: Option<String>,
    pub attempts: i64,
    pub held_on: Day,
    pub meeting_status: String,
}

/// Claims up to `limit` due messages for one attempt: queued ones whose time
/// has come, and those left `sending` by a worker whose lease ran out. The
/// claim is one UPDATE that re-checks the state, so two workers never take
/// the same row: SQLite runs one writer at a time; on PostgreSQL the
/// sub-select skips rows another worker has locked, and a row updated
/// meanwhile fails the outer condition when it is re-read.
pub async fn claim(db: &Db, now: Timestamp, limit: i64) -> Result<Vec<Claimed>> {
    const DUE: &str = "state IN ('queued', 'sending') AND next_attempt_at <= $1";
    // PostgreSQL: the due ids are picked once (a materialized CTE: as an
    // `IN (… LIMIT n)` sub-select the planner may run it again per row and
    // claim more than `limit`), skipping rows another worker holds.
    let (materialized, lock) = if matches!(db, Db::Postgres(_)) {
        ("MATERIALIZED ", " FOR UPDATE SKIP LOCKED")
    } else {
        ("", "")
    };
    let sql = format!(
        "WITH due AS {materialized}(SELECT id FROM mail_outbox WHERE {DUE} \
                      ORDER BY next_attempt_at, id LIMIT $3{lock}) \
         UPDATE mail_outbox SET state = 'sending', attempts = attempts + 1, next_attempt_at = $2 \
         WHERE id IN (SELECT id FROM due) AND {DUE} \
         RETURNING id, meeting_id, kind, to_address, to_name, subject, body, ics, attempts, \
           (SELECT m.held_on FROM meeting m WHERE m.id = mail_outbox.meeting_id) AS held_on, \
           (SELECT m.status FROM meeting m WHERE m.id = mail_outbox.meeting_id) AS meeting_status"
    );
    let now = whole_seconds(now);
    let lease = now
        .checked_add(jiff::SignedDuration::from_secs(
            crate::domain::outbox::LEASE_SECS,
        ))
        .unwrap_or(now);
    let mut rows: Vec<Claimed> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(instant(now))
        .bind(instant(lease))
        .bind(limit)
        .fetch_all(p)
        .await)?;
    rows.sort_by_key(|r| r.id);
    Ok(rows)
}

/// Ends a claimed attempt: `sent`, `queued` again for `next` with the error,
/// `failed` with the error, or handed back untried (shutdown). Only the claim
/// that is still current (same attempt number, still `sending`) is ended, so
/// a worker whose lease ran out cannot overwrite a later attempt.
pub enum Outcome<'a> {
    Sent(Timestamp),
    Retry {
        next: Timestamp,
        error: &'a str,
    },
    /// Given up at that time (kept in `next_attempt_at`).
    Failed {
        at: Timestamp,
        error: &'a str,
    },
    Release(Timestamp),
}

pub async fn finish(db: &Db, id: i64, attempts: i64, outcome: Outcome<'_>) -> Result<bool> {
    const WHERE: &str = "WHERE id = $1 AND attempts = $2 AND state = 'sending'";
    let (sql, at, error) = match outcome {
        Outcome::Sent(t) => (
            format!("UPDATE mail_outbox SET state = 'sent', sent_at = $3, last_error = $4 {WHERE}"),
            t,
            "",
        ),
        Outcome::Retry { next, error } => (
            format!(
                "UPDATE mail_outbox SET state = 'queued', next_attempt_at = $3, last_error = $4 {WHERE}"
            ),
            next,
            error,
        ),
        Outcome::Failed { at, error } => (
            format!(
                "UPDATE mail_outbox SET state = 'failed', next_attempt_at = $3, last_error = $4 {WHERE}"
            ),
            at,
            error,
        ),
        Outcome::Release(t) => (
            format!(
                "UPDATE mail_outbox SET state = 'queued', attempts = attempts - 1, \
                 next_attempt_at = $3, last_error = last_error || $4 {WHERE}"
            ),
            t,
            "",
        ),
    };
    let at = instant(whole_seconds(at));
    let n = on_db!(db, |p| sqlx::query(&sql)
        .bind(id)
        .bind(attempts)
        .bind(at)
        .bind(error)
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

/// One message of a meeting, for its delivery list; fields in the order of
/// [`of_meeting_part`]'s columns.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct DeliveryRow {
    pub id: i64,
    pub kind: String,
    pub member_id: MemberId,
    pub to_name: String,
    pub to_address: String,
    pub state: String,
    pub attempts: i64,
    #[serde(deserialize_with = "json_rows::instant::deserialize")]
    pub next_attempt_at: Instant,
    pub last_error: String,
    #[serde(deserialize_with = "json_rows::instant::deserialize")]
    pub created_at: Instant,
    #[serde(deserialize_with = "json_rows::opt_instant::deserialize")]
    pub sent_at: Option<Instant>,
    /// The member opened the meeting's notice in the app.
    #[serde(deserialize_with = "json_rows::flag::deserialize")]
    pub opened: bool,
}

/// A meeting's messages ($1: the meeting).
pub(super) fn of_meeting_part() -> Part {
    Part {
        with: String::new(),
        columns: "o.id, o.kind, o.member_id, o.to_name, o.to_address, o.state, \
            o.attempts, o.next_attempt_at, o.last_error, o.created_at, o.sent_at, \
            EXISTS (SELECT 1 FROM notification n WHERE n.meeting_id = o.meeting_id \
                    AND n.member_id = o.member_id AND n.read_at IS NOT NULL) AS opened"
            .into(),
        from: "FROM mail_outbox o WHERE o.meeting_id = $1".into(),
        order: "o.kind, o.id".into(),
    }
}

/// A meeting's messages, alone (the page reads them with the rest:
/// `store::meeting_page`).
pub async fn of_meeting(db: &Db, meeting: i64) -> Result<Vec<DeliveryRow>> {
    json_rows::rows_of(db, &of_meeting_part(), meeting).await
}

/// Members notified of a meeting in the app, and how many of them opened it
/// ($1: the meeting), as one JSON row `[notified, opened]`.
pub(super) fn opened_of_meeting(db: &Db) -> String {
    format!(
        "(SELECT {} FROM notification WHERE meeting_id = $1)",
        json_rows::row(
            db,
            "COUNT(DISTINCT member_id), COUNT(DISTINCT CASE WHEN read_at IS NOT NULL THEN member_id END)"
        )
    )
}

/// The member opened the meeting's notice (the meeting's page, in the app
/// or from the link in the mail): the first time only.
pub async fn mark_opened(db: &Db, member: MemberId, meeting: i64, now: Timestamp) -> Result<u64> {
    const SQL: &str = "UPDATE notification SET read_at = $3 \
        WHERE member_id = $1 AND meeting_id = $2 AND read_at IS NULL";
    Ok(on_db!(db, |p| sqlx::query(SQL)
        .bind(member)
        .bind(meeting)
        .bind(instant(now))
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Messages of the live states and the oldest queued one's due time (for /metrics).
pub async fn queue_counts(db: &Db) -> Result<(Vec<(String, i64)>, Option<Instant>)> {
    const COUNTS: &str = "SELECT state, COUNT(*) FROM mail_outbox \
        WHERE state IN ('queued', 'sending', 'failed') GROUP BY state";
    const OLDEST: &str = "SELECT MIN(next_attempt_at) FROM mail_outbox WHERE state = 'queued'";
    let counts = on_db!(db, |p| sqlx::query_as(COUNTS).fetch_all(p).await)?;
    let oldest = on_db!(db, |p| sqlx::query_scalar(OLDEST).fetch_one(p).await)?;
    Ok((counts, oldest))
}

/// Queues a meeting's failed messages again, from now, with a fresh count of
/// attempts (a person asked for it).
pub async fn requeue_failed(tx: &mut Tx, meeting: i64, now: Timestamp) -> Result<u64> {
    const SQL: &str = "UPDATE mail_outbox SET state = 'queued', attempts = 0, next_attempt_at = $2 \
        WHERE meeting_id = $1 AND state = 'failed'";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(meeting)
        .bind(instant(whole_seconds(now)))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// A meeting on `on` whose notice went out and that has someone to remind:
/// notified in the app, the notice never opened, an address, no reminder yet.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReminderMeeting {
    pub id: i64,
    pub org_id: OrgId,
    pub status: String,
    pub notice_sent_on: Option<Day>,
}

const UNREMINDED: &str = "n.meeting_id = mt.id AND m.email <> '' \
    AND NOT EXISTS (SELECT 1 FROM notification o WHERE o.meeting_id = n.meeting_id \
                    AND o.member_id = n.member_id AND o.read_at IS NOT NULL) \
    AND NOT EXISTS (SELECT 1 FROM mail_outbox x WHERE x.meeting_id = n.meeting_id \
                    AND x.member_id = n.member_id AND x.kind = 'reminder')";

pub async fn reminder_meetings(db: &Db, on: Date) -> Result<Vec<ReminderMeeting>> {
    let sql = format!(
        "SELECT mt.id, mt.org_id, mt.status, mt.notice_sent_on FROM meeting mt \
         WHERE mt.held_on = $1 AND mt.notice_sent_on IS NOT NULL \
           AND mt.status NOT IN ('held', 'cancelled') \
           AND EXISTS (SELECT 1 FROM notification n JOIN member m ON m.id = n.member_id \
                       WHERE {UNREMINDED}) \
         ORDER BY mt.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// Who of a meeting's notified members is to be reminded (see `reminder_meetings`).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Unopened {
    pub member_id: MemberId,
    pub full_name: String,
    pub email: String,
}

pub async fn unopened(tx: &mut Tx, meeting: i64) -> Result<Vec<Unopened>> {
    let sql = format!(
        "SELECT DISTINCT m.id AS member_id, m.full_name, m.email \
         FROM meeting mt JOIN notification n ON n.meeting_id = mt.id \
         JOIN member m ON m.id = n.member_id \
         WHERE mt.id = $1 AND {UNREMINDED} ORDER BY m.id"
    );
    Ok(on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(meeting)
        .fetch_all(c)
        .await)?)
}
