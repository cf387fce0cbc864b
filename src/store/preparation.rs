//! What is recorded of a meeting's preparation beside the meeting row: the
//! day the cell committee agreed its content (migration 0010).

use super::types::{Day, Instant, day, instant};
use super::{Db, Result, Tx};
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AgreementRow {
    pub meeting_id: i64,
    pub agreed_on: Day,
    /// Who recorded it (username).
    pub username: String,
    pub recorded_at: Instant,
}

pub async fn agreement(db: &Db, meeting: i64) -> Result<Option<AgreementRow>> {
    const SQL: &str = "SELECT meeting_id, agreed_on, username, recorded_at FROM content_agreement WHERE meeting_id = $1";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(meeting)
        .fetch_optional(p)
        .await)?)
}

/// Records (or corrects) the day the content was agreed.
pub async fn set_agreement(
    tx: &mut Tx,
    meeting: i64,
    agreed_on: Date,
    username: &str,
    at: jiff::Timestamp,
) -> Result<()> {
    const SQL: &str = "INSERT INTO content_agreement (meeting_id, agreed_on, username, recorded_at) VALUES ($1, $2, $3, $4) \
        ON CONFLICT (meeting_id) DO UPDATE SET agreed_on = $2, username = $3, recorded_at = $4";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(meeting)
        .bind(day(agreed_on))
        .bind(username)
        .bind(instant(at))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
