//! Bản Hon's yearly classification of 2018 (seed 002): 147 members
//! assessed — 17 excellent, 108 good, 22 complete; 13 of 13 cells good or
//! better, 5 excellent; the commune good, decided by Tam Đường. And Chi bộ 4
//! (bản Đông Pao)'s 2025 round under Quy định 366-QĐ/TW, with 100-point
//! scores, self-assessed and proposed, awaiting the commune's decision
//! (docs/rules.md "Classification regimes by year"). Deterministic.
//!
//! Assumption (the seed does not say): the members on the roll at the end
//! of 2018 and not assessed are the probationary members admitted that year
//! first, then the last of the roll — members not put forward that year.

use super::tree::Plan;
use crate::domain::classification::Grade;
use crate::domain::ids::OrgId;
use crate::store::classification::{NewFinal, NewStage, Stage};
use crate::store::org::Root;
use crate::store::{self, Tx};
use jiff::civil::{Date, date};

/// Seed 002, Bản Hon 2018.
pub const ASSESSED: usize = 147;
pub const EXCELLENT: usize = 17;
pub const GOOD: usize = 108;
pub const COMPLETE: usize = 22;
pub const CELLS_EXCELLENT: usize = 5;
const YEAR: i32 = 2018;
const COMMUNE_REF: &str = "Biên bản hội nghị Đảng ủy xã Bản Hon ngày 20/12/2018 (dữ liệu mẫu)";
const DISTRICT_REF: &str =
    "Quyết định của Ban Thường vụ Huyện ủy Tam Đường ngày 10/01/2019 (dữ liệu mẫu)";

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Seeded {
    pub assessed: usize,
    pub on_roll: usize,
    pub cells: usize,
    pub scored_2025: usize,
}

fn stage<'a>(
    kind: &'a str,
    subject: i64,
    org: OrgId,
    regime: &'a str,
    g: Grade,
    score: Option<i32>,
    on: Date,
) -> NewStage<'a> {
    NewStage {
        year: YEAR,
        kind,
        subject,
        org,
        regime,
        grade: g.code(),
        score,
        by: None,
        on,
    }
}

/// Grades for `n` members in the seed's proportions, spread over the roll
/// by a fixed permutation (7919 is prime to 147).
fn grades() -> Vec<Grade> {
    let ordered: Vec<Grade> = std::iter::repeat_n(Grade::Excellent, EXCELLENT)
        .chain(std::iter::repeat_n(Grade::Good, GOOD))
        .chain(std::iter::repeat_n(Grade::Complete, COMPLETE))
        .collect();
    (0..ASSESSED)
        .map(|i| ordered[(i * 7919) % ASSESSED])
        .collect()
}

pub async fn seed(tx: &mut Tx, plan: &Plan, ids: &[OrgId], today: Date) -> store::Result<Seeded> {
    let (Some(&ban_hon), Some(&district), Some(&dong_pao)) = (
        ids.get(plan.keys.ban_hon),
        ids.get(plan.keys.tam_duong),
        ids.get(plan.keys.dong_pao),
    ) else {
        return Ok(Seeded::default());
    };
    let cells: Vec<OrgId> = (0..plan.nodes.len())
        .filter(|&i| {
            plan.nodes[i].parent == Some(plan.keys.ban_hon) && plan.nodes[i].kind.is_cell()
        })
        .filter_map(|i| ids.get(i).copied())
        .collect();
    let end = date(2018, 12, 31);
    let roll = store::classification::roll_tx(tx, Root::subtree(ban_hon), end).await?;
    let mut s = Seeded {
        on_roll: roll.len(),
        cells: cells.len(),
        ..Seeded::default()
    };
    // Who is not assessed: probationary members first, then the roll's last.
    let mut skip = roll.len().saturating_sub(ASSESSED);
    let mut assessed: Vec<&store::classification::RollRow> = Vec::new();
    for m in &roll {
        if skip > 0 && m.status == "probationary" {
            skip -= 1;
        } else {
            assessed.push(m);
        }
    }
    assessed.truncate(ASSESSED);
    let (self_on, proposed_on, decided_on) =
        (date(2018, 12, 5), date(2018, 12, 12), date(2018, 12, 20));
    // The cells review themselves first (collective before its members).
    for (k, cell) in cells.iter().enumerate() {
        let g = if k < CELLS_EXCELLENT {
            Grade::Excellent
        } else {
            Grade::Good
        };
        store::classification::set_stage(
            tx,
            Stage::Own,
            &stage("org", cell.0, *cell, "qd132", g, None, date(2018, 12, 3)),
        )
        .await?;
        // Its self-review is its proposal to the commune.
        store::classification::set_stage(
            tx,
            Stage::Proposed,
            &stage("org", cell.0, *cell, "qd132", g, None, date(2018, 12, 3)),
        )
        .await?;
    }
    for (m, g) in assessed.iter().zip(grades()) {
        // A few rate themselves above what the cell proposes.
        let own = if g == Grade::Complete && m.member_id.0 % 3 == 0 {
            Grade::Good
        } else {
            g
        };
        let subject = m.member_id.0;
        store::classification::set_stage(
            tx,
            Stage::Own,
            &stage("member", subject, m.cell_id, "qd132", own, None, self_on),
        )
        .await?;
        store::classification::set_stage(
            tx,
            Stage::Proposed,
            &stage("member", subject, m.cell_id, "qd132", g, None, proposed_on),
        )
        .await?;
        store::classification::set_final(
            tx,
            &NewFinal {
                stage: stage("member", subject, m.cell_id, "qd132", g, None, decided_on),
                decider: ban_hon,
                decision_ref: COMMUNE_REF,
                override_reason: "",
            },
        )
        .await?;
        s.assessed += 1;
    }
    // Then the cells, decided by the commune once their members are.
    for (k, cell) in cells.iter().enumerate() {
        let g = if k < CELLS_EXCELLENT {
            Grade::Excellent
        } else {
            Grade::Good
        };
        store::classification::set_final(
            tx,
            &NewFinal {
                stage: stage("org", cell.0, *cell, "qd132", g, None, decided_on),
                decider: ban_hon,
                decision_ref: COMMUNE_REF,
                override_reason: "",
            },
        )
        .await?;
    }
    // Last the commune, reviewed by itself and decided by the district.
    for s in [Stage::Own, Stage::Proposed] {
        store::classification::set_stage(
            tx,
            s,
            &stage(
                "org",
                ban_hon.0,
                ban_hon,
                "qd132",
                Grade::Good,
                None,
                date(2018, 12, 25),
            ),
        )
        .await?;
    }
    store::classification::set_final(
        tx,
        &NewFinal {
            stage: stage(
                "org",
                ban_hon.0,
                ban_hon,
                "qd132",
                Grade::Good,
                None,
                date(2019, 1, 10),
            ),
            decider: district,
            decision_ref: DISTRICT_REF,
            override_reason: "",
        },
    )
    .await?;

    // 2025 under 366-QĐ/TW: Chi bộ 4 scores its members out of 100.
    let on = date(2025, 12, 31).min(today);
    if on.year() == 2025 {
        let roll = store::classification::roll_tx(tx, Root::cell(dong_pao), on).await?;
        let bands = |score: i32| match score {
            90.. => Grade::Excellent,
            70..=89 => Grade::Good,
            50..=69 => Grade::Complete,
            _ => Grade::NotComplete,
        };
        for (i, m) in roll.iter().enumerate() {
            // One in seven at 90 or more, most between 70 and 89, a few below.
            let score = match i % 7 {
                0 => 91,
                1..=5 => 72 + i32::try_from(i % 17).unwrap_or(0),
                _ => 64,
            };
            let mut own = stage(
                "member",
                m.member_id.0,
                dong_pao,
                "qd366",
                bands(score),
                Some(score),
                date(2025, 12, 2),
            );
            own.year = 2025;
            store::classification::set_stage(tx, Stage::Own, &own).await?;
            let mut proposed = stage(
                "member",
                m.member_id.0,
                dong_pao,
                "qd366",
                bands(score),
                Some(score),
                date(2025, 12, 9),
            );
            proposed.year = 2025;
            store::classification::set_stage(tx, Stage::Proposed, &proposed).await?;
            s.scored_2025 += 1;
        }
        let mut cell = stage(
            "org",
            dong_pao.0,
            dong_pao,
            "qd366",
            Grade::Good,
            None,
            date(2025, 12, 9),
        );
        cell.year = 2025;
        store::classification::set_stage(tx, Stage::Own, &cell).await?;
        store::classification::set_stage(tx, Stage::Proposed, &cell).await?;
    }
    Ok(s)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::classification::GradeCounts;

    #[test]
    fn the_spread_keeps_the_seed_figures() {
        let g = grades();
        let c = GradeCounts::of(g.iter().copied());
        assert_eq!((c.excellent, c.good, c.complete), (17, 108, 22));
        // Spread, not in blocks: excellents are not all in the first cell.
        let first_20 = GradeCounts::of(g.iter().take(20).copied());
        assert!(
            first_20.excellent < 17 && first_20.complete > 0,
            "{first_20:?}"
        );
    }
}
