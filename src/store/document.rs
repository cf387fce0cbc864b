//! Numbers of a cell's documents (docs/rules.md "Number series of a cell's
//! documents"): one counter per cell, year and kind that only goes up, and
//! one number per meeting and kind, kept once given.

use super::json_rows::{self, Part};
use super::types::day;
use super::{Db, Result, Tx};
use crate::domain::document::DocKind;
use crate::domain::ids::OrgId;
use crate::on_tx;
use jiff::civil::Date;

/// The numbers a meeting's documents were given.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Numbers {
    pub minutes: Option<i64>,
    pub resolution: Option<i64>,
    pub notice: Option<i64>,
    /// The day the notice was issued: its date line.
    pub notice_on: Option<Date>,
}

impl Numbers {
    pub fn of(&self, kind: DocKind) -> Option<i64> {
        match kind {
            DocKind::Minutes => self.minutes,
            DocKind::Resolution => self.resolution,
            DocKind::Notice => self.notice,
        }
    }
}

/// The numbers given to a meeting's documents ($1: the meeting): rows
/// (kind, number, issued on) for [`Numbers::of_rows`].
pub(super) fn of_meeting_part() -> Part {
    Part {
        with: String::new(),
        columns: "kind, number, issued_on".into(),
        from: "FROM document_number WHERE meeting_id = $1".into(),
        order: "kind".into(),
    }
}

/// The numbers of one meeting's documents, alone (the page reads them with
/// the rest: `store::meeting_page`).
pub async fn of_meeting(db: &Db, meeting: i64) -> Result<Numbers> {
    Ok(Numbers::of_rows(
        json_rows::rows_of(db, &of_meeting_part(), meeting).await?,
    ))
}

impl Numbers {
    pub fn of_rows(rows: Vec<(String, i64, Date)>) -> Numbers {
        let mut n = Numbers::default();
        for (kind, number, on) in rows {
            match DocKind::from_code(&kind) {
                Some(DocKind::Minutes) => n.minutes = Some(number),
                Some(DocKind::Resolution) => n.resolution = Some(number),
                Some(DocKind::Notice) => {
                    n.notice = Some(number);
                    n.notice_on = Some(on);
                }
                None => {}
            }
        }
        n
    }
}

/// Gives a meeting's document of `kind` the next number of its cell's series
/// for the year of `on`, or returns the number it already has. The counter
/// row is taken with an upsert, which PostgreSQL locks until commit, so two
/// documents issued at once wait for each other and never share a number;
/// SQLite writes one transaction at a time.
pub async fn issue(tx: &mut Tx, meeting: i64, org: OrgId, kind: DocKind, on: Date) -> Result<i64> {
    const EXISTING: &str = "SELECT number FROM document_number WHERE meeting_id = $1 AND kind = $2";
    let existing: Option<i64> = on_tx!(tx, |c| sqlx::query_scalar(EXISTING)
        .bind(meeting)
        .bind(kind.code())
        .fetch_optional(c)
        .await)?;
    if let Some(n) = existing {
        return Ok(n);
    }
    const NEXT: &str = "INSERT INTO document_counter (org_id, year, kind, last_number) VALUES ($1, $2, $3, 1) \
        ON CONFLICT (org_id, year, kind) DO UPDATE SET last_number = document_counter.last_number + 1 \
        RETURNING last_number";
    let year = i64::from(on.year());
    let number: i64 = on_tx!(tx, |c| sqlx::query_scalar(NEXT)
        .bind(org)
        .bind(year)
        .bind(kind.code())
        .fetch_one(c)
        .await)?;
    const INSERT: &str = "INSERT INTO document_number (meeting_id, org_id, year, kind, number, issued_on) \
        VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, |c| sqlx::query(INSERT)
        .bind(meeting)
        .bind(org)
        .bind(year)
        .bind(kind.code())
        .bind(number)
        .bind(day(on))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(number)
}

/// Numbers meetings written in bulk (the demo) the way migration 0009
/// numbered existing ones: minutes and resolution by the meeting's number,
/// notices in the order they were sent; then moves the counters up to match.
pub async fn number_written_meetings(tx: &mut Tx) -> Result<()> {
    const SIGNED: &str = "INSERT INTO document_number (meeting_id, org_id, year, kind, number, issued_on) \
        SELECT m.id, m.org_id, CAST(substr(CAST(m.held_on AS TEXT), 1, 4) AS BIGINT), k.kind, m.number, m.held_on \
        FROM meeting m CROSS JOIN (SELECT 'BB' AS kind UNION ALL SELECT 'NQ') k \
        WHERE m.signed_at IS NOT NULL AND m.number > 0 AND NOT EXISTS \
        (SELECT 1 FROM document_number d WHERE d.meeting_id = m.id AND d.kind = k.kind)";
    const NOTICES: &str = "INSERT INTO document_number (meeting_id, org_id, year, kind, number, issued_on) \
        SELECT n.id, n.org_id, n.y, 'TB', COALESCE((SELECT MAX(d.number) FROM document_number d \
        WHERE d.org_id = n.org_id AND d.year = n.y AND d.kind = 'TB'), 0) \
        + ROW_NUMBER() OVER (PARTITION BY n.org_id, n.y ORDER BY n.notice_sent_on, n.held_on, n.id), n.notice_sent_on \
        FROM (SELECT m.id, m.org_id, m.held_on, m.notice_sent_on, \
        CAST(substr(CAST(m.notice_sent_on AS TEXT), 1, 4) AS BIGINT) AS y FROM meeting m \
        WHERE m.notice_sent_on IS NOT NULL AND NOT EXISTS \
        (SELECT 1 FROM document_number d WHERE d.meeting_id = m.id AND d.kind = 'TB')) n";
    const COUNTERS: &str = "INSERT INTO document_counter (org_id, year, kind, last_number) \
        SELECT org_id, year, kind, MAX(number) FROM document_number WHERE TRUE GROUP BY org_id, year, kind \
        ON CONFLICT (org_id, year, kind) DO UPDATE SET last_number = CASE \
        WHEN excluded.last_number > document_counter.last_number THEN excluded.last_number \
        ELSE document_counter.last_number END";
    for sql in [SIGNED, NOTICES, COUNTERS] {
        on_tx!(tx, |c| sqlx::query(sql)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// The next number of a committee's own series of `kind` for the year of
/// `on` (its introduction letters, GGT; its notices, TB), with no meeting
/// behind it. Same counter and locking as `issue`.
pub async fn next_in_series(tx: &mut Tx, org: OrgId, kind: &str, on: Date) -> Result<i64> {
    const NEXT: &str = "INSERT INTO document_counter (org_id, year, kind, last_number) VALUES ($1, $2, $3, 1) \
        ON CONFLICT (org_id, year, kind) DO UPDATE SET last_number = document_counter.last_number + 1 \
        RETURNING last_number";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(NEXT)
        .bind(org)
        .bind(i64::from(on.year()))
        .bind(kind)
        .fetch_one(c)
        .await)?)
}
