//! What happened after the seed date: deaths and admissions (2019–2025),
//! then the 1 July 2025 reform (domain.md §2.5). None of it touches the
//! figures as counted on the seed date.

use super::people::{Draft, Era, Places, RELIGION, change_status, person};
use super::rng::{Rng, choose};
use super::tree::{Area, Plan};
use super::{DECISION, REFORM_DATE};
use crate::domain::ids::OrgId;
use crate::domain::member::MemberStatus;
use crate::store::{self, Tx};
use jiff::civil::date;

pub const DEATH_REASON: &str = "Từ trần";

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Replay {
    pub deceased: usize,
    pub admitted: usize,
}

/// About 2% of the seed-era members die in 2020–2024 (the old more often),
/// and about 3% more are admitted in 2019 – June 2025, in cells drawn in
/// proportion to their size.
pub fn replay(rng: &mut Rng, plan: &Plan, drafts: &mut Vec<Draft>) -> Replay {
    let seed_count = drafts.len();
    let weights: Vec<f64> = drafts
        .iter()
        .map(|d| {
            let born = d.fields.birth_date.map_or(1970, |b| b.year());
            let over_forty = f64::from((2022 - born - 40).max(1));
            if d.protected {
                0.0
            } else {
                over_forty * over_forty
            }
        })
        .collect();
    let deceased = seed_count * 2 / 100;
    for (d, dies) in drafts.iter_mut().zip(choose(rng, &weights, deceased)) {
        if dies {
            let on = rng.date_between(date(2020, 1, 1), date(2024, 12, 31));
            change_status(d, MemberStatus::Deceased, on, DEATH_REASON);
        }
    }
    let cell_at = plan.cell_at();
    let places: Vec<(Area, Places)> = Area::ALL.into_iter().map(|a| (a, Places::of(a))).collect();
    let admitted = seed_count * 3 / 100;
    for _ in 0..admitted {
        let host = drafts[rng.below(seed_count)].cell;
        let Some(cell) = cell_at[host].and_then(|i| plan.cells.get(i)) else {
            continue;
        };
        let Some((_, area_places)) = places.iter().find(|(a, _)| *a == cell.area) else {
            continue;
        };
        let mut d = person(rng, cell, area_places, Era::Later);
        if cell.area == Area::KimSon && rng.chance(0.1) {
            d.fields.religion = RELIGION.to_string();
        }
        drafts.push(d);
    }
    Replay { deceased, admitted }
}

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Reform {
    pub districts_dissolved: usize,
    pub base_orgs_moved: usize,
    pub cells_merged: usize,
    pub members_moved: u64,
}

/// 1 July 2025 (domain.md §2.5): the districts end, their base organizations
/// move under the province; two Lâm Sơn hamlet cells are merged.
pub async fn reform(tx: &mut Tx, plan: &Plan, ids: &[OrgId]) -> store::Result<Reform> {
    let k = &plan.keys;
    let mut out = Reform::default();
    let id = |i: usize| ids.get(i).copied().ok_or(store::StoreError::NotFound);
    for (district, province) in [
        (k.kim_son, k.ninh_binh),
        (k.tam_duong, k.lai_chau),
        (k.luong_son, k.hoa_binh),
        (k.duc_tho, k.ha_tinh),
    ] {
        let (district_id, province_id) = (id(district)?, id(province)?);
        for (i, node) in plan
            .nodes
            .iter()
            .enumerate()
            .filter(|(_, n)| n.parent == Some(district))
        {
            let org = id(i)?;
            store::org::close_version(tx, org, REFORM_DATE).await?;
            let version = store::org::NewVersion {
                org,
                parent: Some(province_id),
                name: &node.name,
                kind: node.kind,
                cell_type: node.cell_type,
                valid_from: REFORM_DATE,
            };
            store::org::insert_version(tx, &version).await?;
            store::org::insert_event(
                tx,
                org,
                "move",
                REFORM_DATE,
                Some(province_id),
                DECISION,
                "",
            )
            .await?;
            out.base_orgs_moved += 1;
        }
        store::org::close_version(tx, district_id, REFORM_DATE).await?;
        store::org::mark_dissolved(tx, district_id, REFORM_DATE, None).await?;
        store::org::insert_event(tx, district_id, "dissolve", REFORM_DATE, None, DECISION, "")
            .await?;
        out.districts_dissolved += 1;
    }
    let (from, into) = (id(k.merge_from)?, id(k.merge_into)?);
    let note = format!(
        "Sáp nhập {} vào {}",
        plan.nodes[k.merge_from].name, plan.nodes[k.merge_into].name
    );
    out.members_moved = store::member::move_all_homes(tx, from, into, REFORM_DATE, &note).await?;
    store::org::close_version(tx, from, REFORM_DATE).await?;
    store::org::mark_dissolved(tx, from, REFORM_DATE, Some(into)).await?;
    store::org::insert_event(tx, from, "merge", REFORM_DATE, Some(into), DECISION, "").await?;
    store::org::insert_event(tx, into, "absorb", REFORM_DATE, Some(from), DECISION, "").await?;
    out.cells_merged = 1;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::demo::people::seed_era;
    use crate::demo::{HISTORY_END, SEED, SEED_DATE};

    #[test]
    fn replay_leaves_the_seed_date_alone() {
        let mut rng = Rng::new(SEED);
        let plan = Plan::build(&mut rng);
        let (mut drafts, named) = seed_era(&mut rng, &plan);
        let before = drafts.len();
        let r = replay(&mut rng, &plan, &mut drafts);
        assert_eq!(drafts.len(), before + r.admitted);
        assert!(r.deceased > 100 && r.admitted > 300, "{r:?}");
        let dead: Vec<&Draft> = drafts
            .iter()
            .filter(|d| d.fields.status == MemberStatus::Deceased)
            .collect();
        assert_eq!(dead.len(), r.deceased);
        for d in &dead {
            let (status, from, to, reason) = &d.statuses[d.statuses.len() - 1];
            assert_eq!(
                (*status, to.is_none(), reason.as_str()),
                (MemberStatus::Deceased, true, DEATH_REASON)
            );
            assert!(*from > SEED_DATE && from.year() >= 2020 && from.year() <= 2024);
        }
        for d in &drafts[before..] {
            assert!(d.home_from() > SEED_DATE && d.home_from() <= HISTORY_END);
            assert!(d.statuses.iter().all(|(_, from, _, _)| *from > SEED_DATE));
        }
        for i in [named.secretary, named.ordinary] {
            assert_eq!(drafts[i].fields.status, MemberStatus::Official);
        }
    }
}
