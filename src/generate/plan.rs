//! The shape of a generated tree (domain.md §10.2–§10.3): a central root,
//! up to 34 provinces (the post-2025 map), communes and wards as base
//! committees of about 1,700 members (5.6 million over 3,321 communes), and
//! cells of 10–25 members (about 15 on average, as Kim Sơn's 7,575 / 508).

use super::names::{self, PROVINCES};
use super::rng::{Rng, split};
use crate::domain::org::CellType;
use jiff::civil::Date;

/// Members of the national scale (domain.md §10.2: "over 5.6 million").
pub const NATIONAL_MEMBERS: u64 = 5_600_000;
/// Members per commune-level base committee (5.6 M / 3,321 units).
pub const MEMBERS_PER_COMMUNE: f64 = 1_700.0;

pub struct Org {
    pub id: i64,
    pub parent: Option<i64>,
    pub name: String,
    pub kind: &'static str,
    pub cell_type: Option<CellType>,
}

pub struct Commune {
    pub name: String,
    pub province: String,
}

pub struct Cell {
    pub org: i64,
    pub commune: usize,
    pub cell_type: CellType,
    pub size: usize,
    /// Id of the cell's first member; the others follow.
    pub first_member: i64,
    pub day_of_month: i8,
    pub time: &'static str,
    pub place: String,
}

pub struct Plan {
    /// Root, provinces, communes, then cells, ids 1… in order.
    pub orgs: Vec<Org>,
    pub communes: Vec<Commune>,
    pub cells: Vec<Cell>,
    pub members: u64,
    pub from: Date,
}

impl Plan {
    pub fn root(&self) -> i64 {
        1
    }
}

pub fn plan(members: u64, seed: u64, from: Date) -> Plan {
    let mut rng = Rng::derive(seed, 1, 0);
    let total = members as usize;
    let n_cells = ((members as f64 / 15.0).round() as usize).max(1);
    // Sizes 10–25, most near 12–16: 10 + 15·u².
    let weights: Vec<f64> = (0..n_cells)
        .map(|_| {
            let u = rng.unit();
            10.0 + 15.0 * u * u
        })
        .collect();
    let sizes = split(total, &weights, 3.min(total / n_cells.max(1)));
    let n_communes = ((members as f64 / MEMBERS_PER_COMMUNE).round() as usize).clamp(1, n_cells);
    let n_provinces = n_communes.min(PROVINCES.len());
    let prov_weights: Vec<f64> = PROVINCES[..n_provinces]
        .iter()
        .map(|(_, w)| f64::from(*w) * (0.8 + 0.4 * rng.unit()))
        .collect();
    let communes_per_province = split(n_communes, &prov_weights, 1);
    let commune_weights: Vec<f64> = (0..n_communes).map(|_| 0.5 + rng.unit()).collect();
    let cells_per_commune = split(n_cells, &commune_weights, 1);

    let mut orgs = vec![Org {
        id: 1,
        parent: None,
        name: "Đảng Cộng sản Việt Nam".into(),
        kind: "central",
        cell_type: None,
    }];
    let mut next_id = 2i64;
    let mut province_ids = Vec::with_capacity(n_provinces);
    for (name, _) in &PROVINCES[..n_provinces] {
        orgs.push(Org {
            id: next_id,
            parent: Some(1),
            name: format!("Đảng bộ {name}"),
            kind: "province",
            cell_type: None,
        });
        province_ids.push((next_id, name.to_string()));
        next_id += 1;
    }
    let mut communes = Vec::with_capacity(n_communes);
    let mut commune_ids = Vec::with_capacity(n_communes);
    for (p, &count) in communes_per_province.iter().enumerate() {
        let (pid, pname) = &province_ids[p];
        let city = pname.starts_with("thành phố");
        for _ in 0..count {
            let ward = rng.chance(if city { 0.5 } else { 0.15 });
            let name = names::place(&mut rng);
            let full = format!("{} {name}", if ward { "phường" } else { "xã" });
            orgs.push(Org {
                id: next_id,
                parent: Some(*pid),
                name: format!("Đảng bộ {full}"),
                kind: "base_committee",
                cell_type: None,
            });
            commune_ids.push((next_id, ward));
            communes.push(Commune {
                name: full,
                province: pname.clone(),
            });
            next_id += 1;
        }
    }
    let mut cells = Vec::with_capacity(n_cells);
    let mut next_member = 1i64;
    let mut size_iter = sizes.into_iter();
    for (c, &count) in cells_per_commune.iter().enumerate() {
        let (cid, ward) = commune_ids[c];
        let commune = &communes[c];
        let short = commune
            .name
            .split_once(' ')
            .map_or(commune.name.as_str(), |(_, n)| n)
            .to_string();
        let day = rng.range(1, 5) as i8;
        for (k, (name, cell_type)) in cell_names(&mut rng, count, ward, &short)
            .into_iter()
            .enumerate()
        {
            let size = size_iter.next().unwrap_or(0);
            let village = matches!(cell_type, CellType::Rural | CellType::Residential);
            let place = if village {
                format!("Nhà văn hóa {}", name.trim_start_matches("Chi bộ "))
            } else {
                format!("Hội trường {}", name.trim_start_matches("Chi bộ "))
            };
            orgs.push(Org {
                id: next_id,
                parent: Some(cid),
                name,
                kind: "cell",
                cell_type: Some(cell_type),
            });
            cells.push(Cell {
                org: next_id,
                commune: c,
                cell_type,
                size,
                first_member: next_member,
                day_of_month: if k % 7 == 6 {
                    rng.range(1, 10) as i8
                } else {
                    day
                },
                time: if village { "19:30" } else { "16:30" },
                place,
            });
            next_id += 1;
            next_member += size as i64;
        }
    }
    Plan {
        orgs,
        communes,
        cells,
        members,
        from,
    }
}

/// The cells of one commune: the commune's agencies, health station and
/// schools, the rest villages (xã) or residential groups (phường).
fn cell_names(rng: &mut Rng, count: usize, ward: bool, commune: &str) -> Vec<(String, CellType)> {
    let mut fixed: Vec<(String, CellType)> = Vec::new();
    if count >= 8 {
        fixed.push(("Chi bộ Cơ quan Đảng - Đoàn thể".into(), CellType::Agency));
        fixed.push((
            "Chi bộ Cơ quan Ủy ban nhân dân".to_string(),
            CellType::Agency,
        ));
    }
    if count >= 6 {
        fixed.push((format!("Chi bộ Trạm Y tế {commune}"), CellType::Health));
    }
    let schools = (count / 15).min(6);
    let levels = ["Mầm non", "Tiểu học", "THCS", "Mầm non", "Tiểu học", "THCS"];
    for (i, level) in levels.iter().take(schools).enumerate() {
        let suffix = if i >= 3 { " số 2" } else { "" };
        fixed.push((
            format!("Chi bộ Trường {level} {commune}{suffix}"),
            CellType::School,
        ));
    }
    if count >= 20 {
        fixed.push((
            format!("Chi bộ Công an {}", if ward { "phường" } else { "xã" }),
            CellType::Police,
        ));
    }
    let villages = count.saturating_sub(fixed.len());
    let mut out = Vec::with_capacity(count);
    for i in 0..villages {
        if ward {
            out.push((
                format!("Chi bộ Tổ dân phố số {}", i + 1),
                CellType::Residential,
            ));
        } else if rng.chance(0.5) {
            out.push((format!("Chi bộ thôn {}", i + 1), CellType::Rural));
        } else {
            out.push((
                format!("Chi bộ thôn {} {}", names::place(rng), i + 1),
                CellType::Rural,
            ));
        }
    }
    out.extend(fixed.into_iter().take(count - villages));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn plan_adds_up() {
        let p = plan(2000, 1, date(2025, 7, 1));
        assert_eq!(p.cells.iter().map(|c| c.size).sum::<usize>(), 2000);
        assert!(p.cells.len() > 100 && p.cells.len() < 170);
        assert!(p.cells.iter().all(|c| c.size >= 3 && c.size <= 30));
        assert_eq!(p.orgs.len(), 1 + 1 + 1 + p.cells.len());
        let p = plan(1_000_000, 1, date(2025, 7, 1));
        assert_eq!(p.communes.len(), 588);
        assert_eq!(p.orgs.len(), 1 + 34 + 588 + p.cells.len());
        let last = p.cells.last().map(|c| c.first_member + c.size as i64 - 1);
        assert_eq!(last, Some(1_000_000));
    }
}
