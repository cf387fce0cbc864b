//! What is recorded of a meeting's preparation beside the meeting row: the
//! day the cell committee agreed its content (migration 0010).

use super::json_rows::{self, Part};
use super::types::{Day, Instant, day, instant};
use super::{Db, Result, Tx};
use crate::{on_db, on_tx};
use jiff::civil::Date;

/// Fields in the order of [`agreement_part`]'s columns.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct AgreementRow {
    pub meeting_id: i64,
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub agreed_on: Day,
    /// Who recorded it (username).
    pub username: String,
    #[serde(deserialize_with = "json_rows::instant::deserialize")]
    pub recorded_at: Instant,
}

/// The meeting's agreement, one row or none ($1: the meeting).
pub(super) fn agreement_part() -> Part {
    Part {
        with: String::new(),
        columns: "meeting_id, agreed_on, username, recorded_at".into(),
        from: "FROM content_agreement WHERE meeting_id = $1".into(),
        order: "meeting_id".into(),
    }
}

pub async fn agreement(db: &Db, meeting: i64) -> Result<Option<AgreementRow>> {
    let sql = agreement_part().select();
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
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
