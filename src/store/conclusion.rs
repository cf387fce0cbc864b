//! The conclusion notice of a supervision round (migration 0016), one per
//! round; once issued (a number and a day) it is never written again.

use super::types::{Day, Instant, day, instant};
use super::{Db, Result, Tx};
use crate::domain::conclusion::{Draft, Review};
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ConclusionRow {
    pub id: i64,
    pub round_id: i64,
    pub opening: String,
    pub did_well: String,
    pub shortcomings: String,
    pub closing: String,
    pub deadline: Day,
    pub number: Option<i64>,
    pub issued_on: Option<Day>,
    pub updated_at: Instant,
    pub review_on: Option<Day>,
    pub review_notes: String,
}

impl ConclusionRow {
    /// The review conference, once recorded.
    pub fn review(&self) -> Option<Review> {
        Some(Review {
            on: self.review_on?.to_jiff(),
            notes: self.review_notes.clone(),
        })
    }

    pub fn draft(&self) -> Draft {
        Draft {
            opening: self.opening.clone(),
            did_well: self.did_well.clone(),
            shortcomings: self.shortcomings.clone(),
            closing: self.closing.clone(),
        }
    }
}

const COLUMNS: &str = "id, round_id, opening, did_well, shortcomings, closing, deadline, number, issued_on, updated_at, \
    review_on, review_notes";

pub async fn of_round(db: &Db, round: i64) -> Result<Option<ConclusionRow>> {
    let sql = format!("SELECT {COLUMNS} FROM round_conclusion WHERE round_id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(round)
        .fetch_optional(p)
        .await)?)
}

/// Saves the draft; returns 0 when the conclusion is already issued.
pub async fn save(
    tx: &mut Tx,
    round: i64,
    d: &Draft,
    deadline: Date,
    at: jiff::Timestamp,
) -> Result<u64> {
    const SQL: &str = "INSERT INTO round_conclusion (round_id, opening, did_well, shortcomings, closing, deadline, updated_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7) \
        ON CONFLICT (round_id) DO UPDATE SET opening = excluded.opening, did_well = excluded.did_well, \
        shortcomings = excluded.shortcomings, closing = excluded.closing, deadline = excluded.deadline, \
        updated_at = excluded.updated_at WHERE round_conclusion.number IS NULL";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(round)
        .bind(&d.opening)
        .bind(&d.did_well)
        .bind(&d.shortcomings)
        .bind(&d.closing)
        .bind(day(deadline))
        .bind(instant(at))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Records (or clears) the review conference of a saved draft; not once
/// issued.
pub async fn set_review(tx: &mut Tx, round: i64, review: Option<&Review>) -> Result<u64> {
    const SQL: &str = "UPDATE round_conclusion SET review_on = $2, review_notes = $3 \
        WHERE round_id = $1 AND number IS NULL";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(round)
        .bind(review.map(|r| day(r.on)))
        .bind(review.map_or("", |r| r.notes.as_str()))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}

/// Gives the draft its number and day; returns 0 when already issued.
pub async fn issue(tx: &mut Tx, round: i64, number: i64, on: Date) -> Result<u64> {
    const SQL: &str = "UPDATE round_conclusion SET number = $2, issued_on = $3 \
        WHERE round_id = $1 AND number IS NULL";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(round)
        .bind(number)
        .bind(day(on))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}
