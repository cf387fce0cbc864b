//! Kim Sơn's first round of unannounced visits, September 2017 (seed 003;
//! docs/rules.md "Supervision rounds and unannounced visits", "Conclusion of
//! a supervision round"): each of the 27 cadres attended one regular meeting
//! of a commune cell and filed a report; the district issued its conclusion
//! notice in October, and the units with shortcomings answered in November.
//!
//! The demo's full meeting history starts a year before today, so the 2017
//! meetings written here are only the visited ones, with their roll call;
//! their minutes stay in the cells' paper books (the meeting says so).

use super::rounds::{Cadre, ROUND_NAME, at_hour, report};
use crate::domain::conclusion::{self as c, VisitFacts};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::meeting::{Presence, RollEntry, Tally};
use crate::domain::schedule::{format_time, parse_time};
use crate::service::AppError;
use crate::service::supervision::conclusion::Issued;
use crate::store::types::{Day, day};
use crate::store::{self, Tx, supervision as st};
use crate::on_tx;
use jiff::ToSpan;
use jiff::civil::{Date, date};

/// The month Kim Sơn's district standing committee began (seed 003).
pub const FROM: Date = date(2017, 9, 1);
const TO: Date = date(2017, 9, 30);
/// The conclusion notice and the deadline it sets.
pub const ISSUED_ON: Date = date(2017, 10, 16);
const DEADLINE: Date = date(2017, 11, 30);
const MINUTES: &str = "Biên bản buổi sinh hoạt ghi trong sổ biên bản năm 2017 của chi bộ \
    (trước khi dùng chibo); buổi sinh hoạt được ghi lại vì có cán bộ huyện dự không báo trước.";

/// What the first round left for the next one to judge.
pub struct FirstRound {
    pub round: i64,
    pub number: i64,
    /// The follow-up items of the shortcomings the notice named.
    pub shortcomings: Vec<i64>,
}

/// Writes the round, its 27 meetings, visits and reports, the issued notice
/// and the units' answers.
pub async fn seed(
    tx: &mut Tx,
    org: OrgId,
    cells: &[(OrgId, String)],
    cadres: &[Cadre],
    purpose: &str,
) -> Result<FirstRound, AppError> {
    let name = format!("{ROUND_NAME} tháng {}/{}", FROM.month(), FROM.year());
    let round = st::insert_round(
        tx,
        &st::NewRound {
            org,
            scope: org,
            name: &name,
            purpose,
            from: FROM,
            to: TO,
            at: at_hour(date(2017, 8, 28), 8)?,
        },
    )
    .await?;
    let mut facts = Vec::new();
    for (i, cadre) in cadres.iter().enumerate() {
        st::insert_cadre(tx, round, cadre.member, &cadre.position).await?;
        let Some((cell, cell_name)) = cells.get((i * 13) % cells.len().max(1)) else {
            continue;
        };
        let Some(held) = visited_meeting(tx, *cell, i).await? else {
            continue;
        };
        let mut r = report(i, &held.start);
        (r.present, r.convened) = (held.tally.present, held.tally.convened);
        mark_held(tx, held.id, r.started_time.as_deref()).await?;
        let letter_on = held.on.saturating_sub(3.days()).max(FROM);
        let number = st::next_letter_number(tx, org, letter_on).await?;
        let visit = st::insert_visit(tx, round, cadre.member, held.id, number, letter_on).await?;
        let filed = held.on.saturating_add(((i % 3) as i64 + 1).days());
        st::set_report(tx, visit, &r, at_hour(filed, 16)?).await?;
        facts.push(VisitFacts {
            cell: *cell,
            cell_name: cell_name.clone(),
            held_on: held.on,
            on_time: r.on_time,
            started_time: r.started_time.clone(),
            procedure: r.procedure,
            quality: r.quality,
            fixes: r.fixes.clone(),
        });
    }
    let draft = c::draft(&name, (FROM, TO), facts.len(), &facts);
    let mut units: Vec<(OrgId, String)> = Vec::new();
    for f in &facts {
        if !units.iter().any(|(id, _)| *id == f.cell) {
            units.push((f.cell, f.cell_name.clone()));
        }
    }
    let (good, short, deadline) = c::check(&draft, Some(DEADLINE), &units, ISSUED_ON)
        .map_err(|e| AppError::Internal(format!("demo: conclusion: {e:?}")))?;
    // The permanent office's review conference, a week before the notice.
    let review = c::Review {
        on: date(2017, 10, 9),
        notes: format!(
            "{} đồng chí cán bộ báo cáo kết quả dự sinh hoạt; thống nhất đề nghị các chi bộ khắc phục \
             việc khai mạc muộn, thông qua biên bản và giao việc cụ thể trong nghị quyết",
            facts.len()
        ),
    };
    store::conclusion::save(tx, round, &draft, deadline, at_hour(review.on, 15)?).await?;
    store::conclusion::set_review(tx, round, Some(&review)).await?;
    let issued = Issued {
        round,
        org,
        draft: &draft,
        deadline,
        on: ISSUED_ON,
        at: at_hour(ISSUED_ON, 9)?,
    };
    let (number, shortcomings) = issued
        .record(tx, &good, &short)
        .await?
        .ok_or(AppError::Internal("demo: notice issued twice".into()))?;
    // Most units said what they did before the deadline; a few did not.
    for (k, id) in shortcomings.iter().enumerate() {
        if k % 4 != 3 {
            let on = date(2017, 11, 10).saturating_add((k as i64 % 15).days());
            let text = "Chi ủy đã rút kinh nghiệm tại buổi sinh hoạt tháng 11/2017: khai mạc đúng giờ, \
                        thông qua biên bản trước khi bế mạc, nghị quyết giao việc cho từng đảng viên.";
            store::inspection::answer(tx, *id, text, on).await?;
        }
    }
    Ok(FirstRound {
        round,
        number,
        shortcomings,
    })
}

/// A meeting written for the visit: its day, start and roll call.
struct Held {
    id: i64,
    on: Date,
    start: String,
    tally: Tally,
}

/// The cell's regular meeting of September 2017 on its registered day, held,
/// with the roll of the members admitted by then (a few absent with leave).
async fn visited_meeting(tx: &mut Tx, cell: OrgId, i: usize) -> store::Result<Option<Held>> {
    const SCHEDULE: &str = "SELECT day_of_month, start_time, place FROM cell_schedule WHERE org_id = $1";
    let schedule: Option<(i64, String, String)> = on_tx!(tx, |c| sqlx::query_as(SCHEDULE)
        .bind(cell)
        .fetch_optional(c)
        .await)?;
    let Some((dom, start, place)) = schedule else {
        return Ok(None);
    };
    let on = date(2017, 9, dom.clamp(1, 28) as i8);
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
    let away = i % 4;
    let roll: Vec<(MemberId, RollEntry)> = members
        .iter()
        .enumerate()
        .map(|(k, (m, official_on))| {
            let present = k + away < members.len();
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
        .map(|(m, e)| (*m, e.presence.code(), e.reason.as_str(), e.spoke, e.official))
        .collect();
    store::meeting::set_attendance(tx, id, &rows, &tally).await?;
    Ok(Some(Held {
        id,
        on,
        start,
        tally,
    }))
}

/// Held, started when the report says, with the note on its minutes.
async fn mark_held(tx: &mut Tx, id: i64, started: Option<&str>) -> store::Result<()> {
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
