//! A held meeting from before the demo's year of meetings, written because
//! something later points at it: a visit of Kim Sơn's 2017 round, or a
//! meeting where Đức Thọ's members raised a recommendation or heard its
//! answer (2014–2017). It has its day, time, place and roll call; its
//! minutes stay in the cell's paper book, which the meeting says.

use crate::domain::ids::{MemberId, OrgId};
use crate::domain::meeting::{Presence, RollEntry, Tally};
use crate::domain::schedule::{format_time, parse_time};
use crate::on_tx;
use crate::store::types::{Day, day};
use crate::store::{self, Tx};
use jiff::ToSpan;
use jiff::civil::Date;

/// A meeting written by `write`.
pub struct Held {
    pub id: i64,
    pub on: Date,
    /// The registered start time.
    pub start: String,
    pub tally: Tally,
    /// The first member present (who raises what the meeting raises).
    pub first_present: Option<MemberId>,
}

/// The cell's regular meeting on the day `day_of(registered day of month)`
/// gives, at its registered time and place, with the roll of the members
/// admitted by then, the last `away` of them absent with leave. `None` when
/// the cell has no registered calendar or nobody on its roll.
pub async fn write(
    tx: &mut Tx,
    cell: OrgId,
    day_of: impl FnOnce(i8) -> Date,
    away: usize,
) -> store::Result<Option<Held>> {
    const SCHEDULE: &str =
        "SELECT day_of_month, start_time, place FROM cell_schedule WHERE org_id = $1";
    let schedule: Option<(i64, String, String)> = on_tx!(tx, |c| sqlx::query_as(SCHEDULE)
        .bind(cell)
        .fetch_optional(c)
        .await)?;
    let Some((dom, start, place)) = schedule else {
        return Ok(None);
    };
    let on = day_of(dom.clamp(1, 28) as i8);
    const ROLL: &str = "SELECT id, official_on FROM member WHERE cell_id = $1 \
        AND status IN ('official', 'probationary') AND admitted_on <= $2 ORDER BY sort_key, id";
    let members: Vec<(MemberId, Option<Day>)> = on_tx!(tx, |c| sqlx::query_as(ROLL)
        .bind(cell)
        .bind(day(on))
        .fetch_all(c)
        .await)?;
    if members.is_empty() {
        return Ok(None);
    }
    let id = store::meeting::insert(
        tx,
        &store::meeting::NewMeeting {
            org: cell,
            kind: "regular",
            held_on: on,
            start_time: &start,
            place: &place,
            topic: "",
            ho_chi_minh: false,
        },
    )
    .await?;
    let present_until = members.len().saturating_sub(away).max(1);
    let roll: Vec<(MemberId, RollEntry)> = members
        .iter()
        .enumerate()
        .map(|(k, (m, official_on))| {
            let present = k < present_until;
            let entry = RollEntry {
                presence: if present {
                    Presence::Present
                } else {
                    Presence::AbsentExcused
                },
                spoke: present && k % 2 == 0,
                official: official_on.is_some_and(|d| d.to_jiff() <= on),
                reason: if present {
                    String::new()
                } else {
                    "Đi làm ăn xa".to_string()
                },
            };
            (*m, entry)
        })
        .collect();
    let entries: Vec<RollEntry> = roll.iter().map(|(_, e)| e.clone()).collect();
    let tally = Tally::of(&entries);
    let rows: Vec<(MemberId, &str, &str, bool, bool)> = roll
        .iter()
        .map(|(m, e)| {
            (
                *m,
                e.presence.code(),
                e.reason.as_str(),
                e.spoke,
                e.official,
            )
        })
        .collect();
    store::meeting::set_attendance(tx, id, &rows, &tally).await?;
    mark_held(tx, id, Some(&start)).await?;
    Ok(Some(Held {
        id,
        on,
        start,
        tally,
        first_present: members.first().map(|(m, _)| *m),
    }))
}

/// Where the minutes are (before chibo).
const MINUTES: &str = "Biên bản buổi sinh hoạt ghi trong sổ biên bản của chi bộ (trước khi dùng chibo); \
    buổi sinh hoạt được ghi lại vì việc sau này nhắc đến nó.";

/// Held, started at `started` (the visit report may say it began late).
pub async fn mark_held(tx: &mut Tx, id: i64, started: Option<&str>) -> store::Result<()> {
    let ended = started
        .and_then(parse_time)
        .map(|t| format_time(t.saturating_add(100.minutes())));
    const HELD: &str = "UPDATE meeting SET status = 'held', started_time = $2, ended_time = $3, \
        proceedings = $4 WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(HELD)
        .bind(id)
        .bind(started)
        .bind(ended)
        .bind(MINUTES)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
