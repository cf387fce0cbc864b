//! Kim Sơn's first round of unannounced visits, September 2017 (seed 003;
//! docs/rules.md "Supervision rounds and unannounced visits", "Conclusion of
//! a supervision round"): each of the 27 cadres attended one regular meeting
//! of a commune cell and filed a report; the district issued its conclusion
//! notice in October, and the units with shortcomings answered in November.
//!
//! The demo's full meeting history starts a year before today, so the 2017
//! meetings written here are only the visited ones (`past_meeting`).

use super::past_meeting;
use super::rounds::{Cadre, NewRoundAt, ROUND_NAME, at_hour, report};
use crate::domain::conclusion::{self as c, VisitFacts};
use crate::domain::ids::OrgId;
use crate::service::AppError;
use crate::service::supervision::conclusion::Issued;
use crate::store::{self, Tx, supervision as st};
use jiff::ToSpan;
use jiff::civil::{Date, date};

/// The month Kim Sơn's district standing committee began (seed 003).
pub const FROM: Date = date(2017, 9, 1);
const TO: Date = date(2017, 9, 30);
/// The conclusion notice and the deadline it sets.
pub const ISSUED_ON: Date = date(2017, 10, 16);
const DEADLINE: Date = date(2017, 11, 30);

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
    let round = NewRoundAt {
        org,
        name: &name,
        purpose,
        from: FROM,
        to: TO,
        at: at_hour(date(2017, 8, 28), 8)?,
    }
    .insert(tx)
    .await?;
    let mut facts = Vec::new();
    for (i, cadre) in cadres.iter().enumerate() {
        st::insert_cadre(tx, round, cadre.member, &cadre.position).await?;
        let Some((cell, cell_name)) = cells.get((i * 13) % cells.len().max(1)) else {
            continue;
        };
        let Some(held) = past_meeting::write(tx, *cell, |d| date(2017, 9, d), i % 4).await? else {
            continue;
        };
        let mut r = report(i, &held.start);
        (r.present, r.convened) = (held.tally.present, held.tally.convened);
        past_meeting::mark_held(tx, held.id, r.started_time.as_deref()).await?;
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
