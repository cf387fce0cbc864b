//! Targets and indicators, training and formalism signals in the demo
//! (docs/rules.md "Targets and indicators", "Training of members",
//! "Formalism signals"):
//! - Lâm Sơn's health-insurance coverage under its Thematic Resolution 57
//!   (seed 000): 87.6% (3,631 insured) at the end of 2017, targets 90% for
//!   2018 and 100% by 2020, 92% reached in 2018, 95% at the end of Q1 2019;
//! - Lâm Sơn's training of 2018 (seed 000): 2 cadres to the intermediate
//!   political-theory course, 14 to party-work training;
//! - Bản Hon's 7 admissions of 2018 (seed 002), dated in the registry;
//! - two cells of Bản Hon whose latest minutes show formalism: one repeats
//!   the month before, one where only the chair and the recorder spoke.

use super::people::Draft;
use super::tree::{Area, Plan};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::member::MemberStatus;
use crate::on_tx;
use crate::store::{self, Tx};
use jiff::Timestamp;
use jiff::civil::date;

/// Seed 002: Bản Hon admitted 7 new members in 2018.
pub const BAN_HON_ADMITTED_2018: usize = 7;
/// Seed 000: Lâm Sơn sent 2 cadres to the intermediate course, 14 to party-work training.
pub const LAM_SON_TRAINED: (usize, usize) = (2, 14);
const BY: &str = "demo";

/// Dates 7 of the later admissions in Bản Hon's cells in the second half of
/// 2018 (after the seed date, so the seed's figures stay as counted). Bản Hon
/// has fewer later admissions than 7: the rest are drawn from the later
/// admissions elsewhere and moved to its cells. Returns how many were dated.
pub fn admissions_2018(plan: &Plan, drafts: &mut [Draft], seed_members: usize) -> usize {
    let cell_at = plan.cell_at();
    let ban_hon: Vec<usize> = plan
        .cells
        .iter()
        .filter(|c| c.area == Area::BanHon)
        .map(|c| c.node)
        .collect();
    let in_ban_hon = |d: &Draft| ban_hon.contains(&d.cell);
    let later = seed_members..drafts.len();
    let mut chosen: Vec<usize> = later.clone().filter(|&i| in_ban_hon(&drafts[i])).collect();
    // Then later admissions of Kim Sơn (the largest area), last first.
    chosen.extend(
        later
            .rev()
            .filter(|&i| {
                cell_at
                    .get(drafts[i].cell)
                    .copied()
                    .flatten()
                    .and_then(|c| plan.cells.get(c))
                    .is_some_and(|c| c.area == Area::KimSon)
            })
            .filter(|i| !drafts[*i].protected),
    );
    chosen.truncate(BAN_HON_ADMITTED_2018);
    for (k, &i) in chosen.iter().enumerate() {
        let d = &mut drafts[i];
        if !in_ban_hon(d) {
            d.cell = ban_hon[k % ban_hon.len().max(1)];
        }
        let admitted = date(2018, 7, 3)
            .checked_add(jiff::Span::new().days(25 * k as i64))
            .unwrap_or(date(2018, 12, 3));
        d.fields.admitted_on = Some(admitted);
        d.fields.official_on = Some(super::rng::add_years(admitted, 1));
        if d.fields.status == MemberStatus::Probationary {
            d.fields.status = MemberStatus::Official;
        }
        d.statuses = super::people::status_rows(&d.fields);
    }
    chosen.len()
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Seeded {
    pub indicators: usize,
    pub trained: usize,
    pub repeated: Option<i64>,
    pub only_leaders: Option<i64>,
}

/// Lâm Sơn's indicator and training, and the formalism examples.
pub async fn seed(
    tx: &mut Tx,
    plan: &Plan,
    ids: &[OrgId],
    (drafts, member_ids): (&[Draft], &[MemberId]),
    now: Timestamp,
) -> store::Result<Seeded> {
    let node = |i: usize| ids.get(i).copied().ok_or(store::StoreError::NotFound);
    let lam_son = node(plan.keys.lam_son)?;
    let id = store::indicator::insert(
        tx,
        &store::indicator::NewIndicator {
            org: lam_son,
            code: "BHYT",
            name: "Tỷ lệ người dân tham gia bảo hiểm y tế",
            unit: "percent",
            measure: "",
            baseline: (87.6, Some(3631.0), None),
            baseline_on: date(2017, 12, 31),
            resolution_meeting: None,
            resolution_ref: "Nghị quyết chuyên đề số 57-NQ/ĐU của Đảng ủy xã Lâm Sơn về tăng cường sự lãnh đạo của Đảng đối với công tác bảo hiểm y tế",
            on: date(2018, 1, 15),
            direction: "higher",
        },
    )
    .await?;
    store::indicator::add_target(tx, id, 2018, 90.0, (now, BY)).await?;
    store::indicator::add_target(tx, id, 2020, 100.0, (now, BY)).await?;
    for (year, part, months, value) in [(2018, 0, 12, 92.0), (2019, 1, 3, 95.0)] {
        let a = store::indicator::NewActual {
            indicator: id,
            year,
            part,
            months,
            value,
            numerator: None,
            denominator: None,
        };
        store::indicator::add_actual(tx, &a, (now, BY)).await?;
    }

    // Training: Lâm Sơn members who were full members in 2018.
    let lam_son_cells: Vec<usize> = plan
        .cells
        .iter()
        .filter(|c| c.area == Area::LamSon)
        .map(|c| c.node)
        .collect();
    let people: Vec<MemberId> = drafts
        .iter()
        .zip(member_ids)
        .filter(|(d, _)| {
            lam_son_cells.contains(&d.cell)
                && d.fields.official_on.is_some_and(|o| o < date(2018, 1, 1))
                && d.fields.status == MemberStatus::Official
        })
        .map(|(_, m)| *m)
        .take(LAM_SON_TRAINED.0 + LAM_SON_TRAINED.1)
        .collect();
    for (k, m) in people.iter().enumerate() {
        let (course, level, from, to) = if k < LAM_SON_TRAINED.0 {
            (
                "Trung cấp lý luận chính trị - hành chính, Trường Chính trị tỉnh Hòa Bình",
                "political_theory_intermediate",
                date(2018, 3, 5),
                date(2018, 12, 20),
            )
        } else {
            (
                "Bồi dưỡng nghiệp vụ công tác đảng, văn phòng cấp ủy, Trung tâm Bồi dưỡng chính trị huyện Lương Sơn",
                "party_work",
                date(2018, 8, 6),
                date(2018, 8, 10),
            )
        };
        store::indicator::add_training(
            tx,
            &store::indicator::NewTraining {
                org: lam_son,
                member: *m,
                course,
                level,
                year: 2018,
                started_on: Some(from),
                ended_on: Some(to),
            },
            (now, BY),
        )
        .await?;
    }

    let repeated = repeat_last_minutes(tx, node(plan.keys.ban_hon_village)?).await?;
    let tham = plan
        .cells
        .iter()
        .filter(|c| c.area == Area::BanHon)
        .map(|c| c.node)
        .find(|n| *n != plan.keys.ban_hon_village && *n != plan.keys.dong_pao);
    let only_leaders = match tham {
        Some(n) => only_leaders_spoke(tx, node(n)?).await?,
        None => None,
    };
    Ok(Seeded {
        indicators: 1,
        trained: people.len(),
        repeated,
        only_leaders,
    })
}

/// The cell's two latest held meetings, latest first.
async fn latest_two(tx: &mut Tx, cell: OrgId) -> store::Result<Vec<i64>> {
    const SQL: &str = "SELECT id FROM meeting WHERE org_id = $1 AND status = 'held' AND kind = 'regular' \
        ORDER BY held_on DESC, id DESC LIMIT 2";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(cell)
        .fetch_all(c)
        .await)?)
}

/// The latest minutes of the cell copied from the month before.
async fn repeat_last_minutes(tx: &mut Tx, cell: OrgId) -> store::Result<Option<i64>> {
    let ids = latest_two(tx, cell).await?;
    let [last, before] = ids[..] else {
        return Ok(None);
    };
    const SQL: &str = "UPDATE meeting SET proceedings = (SELECT b.proceedings FROM meeting b WHERE b.id = $2), \
        conclusion = (SELECT b.conclusion FROM meeting b WHERE b.id = $2), \
        resolution_text = (SELECT b.resolution_text FROM meeting b WHERE b.id = $2) WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(last)
        .bind(before)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(Some(last))
}

/// In the cell's latest meeting only the chair and the recorder spoke.
async fn only_leaders_spoke(tx: &mut Tx, cell: OrgId) -> store::Result<Option<i64>> {
    let ids = latest_two(tx, cell).await?;
    let Some(&last) = ids.first() else {
        return Ok(None);
    };
    const SPOKE: &str = "UPDATE attendance SET spoke = (presence = 'present' AND member_id IN \
        (SELECT m.chair_id FROM meeting m WHERE m.id = $1 UNION SELECT m.recorder_id FROM meeting m WHERE m.id = $1)) \
        WHERE meeting_id = $1";
    const COUNT: &str = "UPDATE meeting SET speaker_count = (SELECT COUNT(*) FROM attendance a \
        WHERE a.meeting_id = $1 AND a.presence = 'present' AND a.spoke) WHERE id = $1";
    for sql in [SPOKE, COUNT] {
        on_tx!(tx, |c| sqlx::query(sql)
            .bind(last)
            .execute(c)
            .await
            .map(|_| ()))?;
    }
    // The minutes say so: "Có N đồng chí phát biểu ý kiến." becomes who spoke.
    const READ: &str = "SELECT proceedings FROM meeting WHERE id = $1";
    let text: String = on_tx!(tx, |c| sqlx::query_scalar(READ)
        .bind(last)
        .fetch_one(c)
        .await)?;
    let said = " đồng chí phát biểu ý kiến.";
    let text = match (text.rfind("Có "), text.find(said)) {
        (Some(a), Some(b)) if a < b => format!(
            "{}Chỉ đồng chí chủ trì và đồng chí thư ký phát biểu ý kiến.{}",
            &text[..a],
            &text[b + said.len()..]
        ),
        _ => text,
    };
    const WRITE: &str = "UPDATE meeting SET proceedings = $2 WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(WRITE)
        .bind(last)
        .bind(&text)
        .execute(c)
        .await
        .map(|_| ()))?;
    store::rollup::touch(tx, cell).await?;
    Ok(Some(last))
}
