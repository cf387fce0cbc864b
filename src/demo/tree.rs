//! The demo organization tree as it stood in the seed era (before the 2025
//! reform): a plan built in memory, then written node by node.

use super::data::{self, Profile};
use super::rng::{Rng, split};
use super::{
    ORG_BAN_HON, ORG_BLOC, ORG_HOA_BINH, ORG_KIM_SON, ORG_LAI_CHAU, ORG_LAM_SON, ORG_LUONG_SON,
    ORG_NINH_BINH, ORG_ROOT, ORG_TAM_DUONG,
};
use super::{ORG_DUC_THO, ORG_HA_TINH, ORG_HOA_ICH_LAM, ORG_TUNG_ANH};
use crate::domain::ids::OrgId;
use crate::domain::org::{CellType, OrgKind};
use crate::store::{self, Tx};
use jiff::civil::Date;

/// The four seed units whose figures the demo reproduces.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Area {
    KimSon,
    BanHon,
    LamSon,
    Bloc,
    /// Đức Thọ district, Hà Tĩnh (seed 004): village cells of four communes.
    DucTho,
}

impl Area {
    /// Đức Thọ last: adding it left the other areas' people as they were.
    pub const ALL: [Area; 5] = [
        Self::KimSon,
        Self::BanHon,
        Self::LamSon,
        Self::Bloc,
        Self::DucTho,
    ];

    /// Active members on the seed date (domain.md §10.1; "over 330" and
    /// "over 3,400" made exact).
    pub fn members(self) -> usize {
        match self {
            Self::KimSon => 7575,
            Self::BanHon => 166,
            Self::LamSon => 335,
            Self::Bloc => 3412,
            // Seed 004 gives no count: a small sample of a district.
            Self::DucTho => 320,
        }
    }

    /// Of whom religious (domain.md §3.2: 780 of Kim Sơn's 7,575).
    pub fn religious(self) -> usize {
        match self {
            Self::KimSon => 780,
            _ => 0,
        }
    }
}

#[derive(Debug, Clone)]
pub struct Node {
    pub name: String,
    pub kind: OrgKind,
    pub cell_type: Option<CellType>,
    /// Index of the parent in `Plan::nodes` (always an earlier node).
    pub parent: Option<usize>,
}

/// A meeting unit (subordinate cell or chi bộ cơ sở) that holds members.
#[derive(Debug, Clone)]
pub struct Cell {
    pub node: usize,
    pub area: Area,
    pub cell_type: CellType,
    /// Where its members live, when the cell is a place (hamlet, commune office).
    pub place: Option<String>,
    /// Relative size.
    pub size: f64,
    /// Relative chance that a member is Catholic (Kim Sơn only).
    pub catholic: f64,
}

/// Indices into `Plan::nodes` of the nodes the demo refers to by name.
#[derive(Debug, Clone, Default)]
pub struct Keys {
    pub root: usize,
    pub ninh_binh: usize,
    pub lai_chau: usize,
    pub hoa_binh: usize,
    pub kim_son: usize,
    pub tam_duong: usize,
    pub luong_son: usize,
    pub ban_hon: usize,
    pub lam_son: usize,
    pub bloc: usize,
    /// Chi bộ 1 (bản Bản Hon), where Lò Văn Phà is a member.
    pub ban_hon_village: usize,
    /// Chi bộ 4 (bản Đông Pao), the cell of the demo secretary and member.
    pub dong_pao: usize,
    /// Chi bộ Cơ quan xã of Lâm Sơn, where Nguyễn Thế Hùng is a member.
    pub lam_son_office: usize,
    /// The Lâm Sơn cell merged on 1 July 2025, and the one it is merged into.
    pub merge_from: usize,
    pub merge_into: usize,
    pub ha_tinh: usize,
    pub duc_tho: usize,
    /// Chi bộ thôn Hoa Ích Lâm (xã Đức Lâm), of Trần Văn Yên.
    pub hoa_ich_lam: usize,
    /// Đảng bộ xã Tùng Ảnh, of Nguyễn Thị Tâm.
    pub tung_anh: usize,
    /// Its office cell, where Nguyễn Thị Tâm is a member.
    pub tung_anh_office: usize,
    /// The district committee's office cell, of Võ Công Hàm.
    pub duc_tho_office: usize,
}

#[derive(Debug, Clone, Default)]
pub struct Plan {
    pub nodes: Vec<Node>,
    pub cells: Vec<Cell>,
    pub keys: Keys,
}

/// "xã Kim Chính", "huyện Kim Sơn", "tỉnh Ninh Bình" → "Xã Kim Chính, huyện Kim Sơn, tỉnh Ninh Bình".
pub fn address(unit: &str, district: &str, province: &str) -> String {
    let mut chars = unit.chars();
    let first: String = chars
        .next()
        .map(|c| c.to_uppercase().collect())
        .unwrap_or_default();
    format!("{first}{}, {district}, {province}", chars.as_str())
}

pub const NINH_BINH: &str = "tỉnh Ninh Bình";
pub const KIM_SON: &str = "huyện Kim Sơn";
pub const HA_TINH: &str = "tỉnh Hà Tĩnh";
pub const DUC_THO: &str = "huyện Đức Thọ";

fn base_size(t: CellType) -> f64 {
    match t {
        CellType::Rural => 1.25,
        CellType::Residential => 1.35,
        CellType::School => 0.9,
        CellType::Health => 0.8,
        CellType::Agency | CellType::Enterprise | CellType::Other => 0.7,
        CellType::Police => 0.6,
        CellType::ArmedForces => 0.5,
    }
}

/// A generated cell's relative size: its type's, give or take a third.
fn jittered(rng: &mut Rng, t: CellType) -> f64 {
    base_size(t) * rng.jitter(0.35)
}

/// Catholic share of a Kim Sơn cell's members, relative to its commune's.
fn catholic_factor(t: CellType) -> f64 {
    match t {
        CellType::Rural | CellType::Residential => 1.0,
        CellType::School | CellType::Health => 0.6,
        CellType::Enterprise => 0.5,
        CellType::Agency | CellType::Other => 0.4,
        CellType::Police | CellType::ArmedForces => 0.05,
    }
}

impl Plan {
    /// For each node, its index in `cells` if it is a cell.
    pub fn cell_at(&self) -> Vec<Option<usize>> {
        let mut at = vec![None; self.nodes.len()];
        for (i, c) in self.cells.iter().enumerate() {
            if let Some(slot) = at.get_mut(c.node) {
                *slot = Some(i);
            }
        }
        at
    }

    fn node(&mut self, name: impl Into<String>, kind: OrgKind, parent: Option<usize>) -> usize {
        self.nodes.push(Node {
            name: name.into(),
            kind,
            cell_type: None,
            parent,
        });
        self.nodes.len() - 1
    }

    #[allow(clippy::too_many_arguments)]
    fn cell(
        &mut self,
        name: impl Into<String>,
        kind: OrgKind,
        t: CellType,
        parent: usize,
        area: Area,
        place: Option<String>,
        size: f64,
        catholic: f64,
    ) -> usize {
        self.nodes.push(Node {
            name: name.into(),
            kind,
            cell_type: Some(t),
            parent: Some(parent),
        });
        let node = self.nodes.len() - 1;
        self.cells.push(Cell {
            node,
            area,
            cell_type: t,
            place,
            size,
            catholic,
        });
        node
    }

    /// The seed-era tree (domain.md §2.1, §10.1).
    pub fn build(rng: &mut Rng) -> Plan {
        let mut p = Plan::default();
        let root = p.node(ORG_ROOT, OrgKind::Central, None);
        p.keys.root = root;
        p.kim_son(rng);
        p.lai_chau();
        p.hoa_binh(rng);
        p.duc_tho(rng);
        p
    }

    /// Đức Thọ (seed 004): the four communes it names, a few village cells
    /// each, a commune office cell, and the district committee's office.
    fn duc_tho(&mut self, rng: &mut Rng) {
        let province = self.node(ORG_HA_TINH, OrgKind::Province, Some(self.keys.root));
        let district = self.node(ORG_DUC_THO, OrgKind::District, Some(province));
        (self.keys.ha_tinh, self.keys.duc_tho) = (province, district);
        let area = Area::DucTho;
        for (unit, hamlets) in data::DUC_THO_COMMUNES {
            let committee = self.node(
                format!("Đảng bộ {unit}"),
                OrgKind::BaseCommittee,
                Some(district),
            );
            let place = address(unit, DUC_THO, HA_TINH);
            for hamlet in hamlets {
                let t = CellType::Rural;
                let node = self.cell(
                    format!("Chi bộ thôn {hamlet}"),
                    OrgKind::Cell,
                    t,
                    committee,
                    area,
                    Some(place.clone()),
                    jittered(rng, t),
                    0.0,
                );
                if self.nodes[node].name == ORG_HOA_ICH_LAM {
                    self.keys.hoa_ich_lam = node;
                }
            }
            let t = CellType::Agency;
            let office = self.cell(
                "Chi bộ Cơ quan xã",
                OrgKind::Cell,
                t,
                committee,
                area,
                Some(place),
                jittered(rng, t),
                0.0,
            );
            if self.nodes[committee].name == ORG_TUNG_ANH {
                (self.keys.tung_anh, self.keys.tung_anh_office) = (committee, office);
            }
        }
        let t = CellType::Agency;
        self.keys.duc_tho_office = self.cell(
            "Chi bộ Văn phòng Huyện ủy Đức Thọ",
            OrgKind::BaseCell,
            t,
            district,
            area,
            None,
            jittered(rng, t),
            0.0,
        );
    }

    fn kim_son(&mut self, rng: &mut Rng) {
        let province = self.node(ORG_NINH_BINH, OrgKind::Province, Some(self.keys.root));
        let district = self.node(ORG_KIM_SON, OrgKind::District, Some(province));
        (self.keys.ninh_binh, self.keys.kim_son) = (province, district);
        let area = Area::KimSon;
        let cell = OrgKind::Cell;
        for (unit, hamlets, catholic) in data::KIM_SON_COMMUNES {
            let committee = self.node(
                format!("Đảng bộ {unit}"),
                OrgKind::BaseCommittee,
                Some(district),
            );
            let place = address(unit, KIM_SON, NINH_BINH);
            let township = unit.starts_with("thị trấn");
            let (t, hamlet) = if township {
                (CellType::Residential, "tiểu khu")
            } else {
                (CellType::Rural, "xóm")
            };
            for n in 1..=hamlets {
                let name = format!("Chi bộ {hamlet} {n}");
                self.cell(
                    name,
                    cell,
                    t,
                    committee,
                    area,
                    Some(place.clone()),
                    jittered(rng, t),
                    catholic,
                );
            }
            let level = if township { "thị trấn" } else { "xã" };
            for (name, t) in data::COMMUNE_FIXED_CELLS {
                let c = catholic * catholic_factor(t);
                self.cell(
                    format!("{name} {level}"),
                    cell,
                    t,
                    committee,
                    area,
                    Some(place.clone()),
                    jittered(rng, t),
                    c,
                );
            }
        }
        for (name, cells) in data::KIM_SON_AGENCIES {
            let committee = self.node(name, OrgKind::BaseCommittee, Some(district));
            for (cell_name, t) in cells {
                self.cell(
                    *cell_name,
                    cell,
                    *t,
                    committee,
                    area,
                    None,
                    jittered(rng, *t),
                    catholic_factor(*t),
                );
            }
        }
        let schools = data::KIM_SON_PRIMARY_SCHOOLS
            .iter()
            .map(|c| format!("Chi bộ Trường Tiểu học {c}"))
            .chain(
                data::KIM_SON_LOWER_SECONDARY_SCHOOLS
                    .iter()
                    .map(|c| format!("Chi bộ Trường THCS {c}")),
            )
            .map(|name| (name, CellType::School));
        let others = data::KIM_SON_BASE_CELLS
            .iter()
            .map(|(name, t)| (name.to_string(), *t));
        for (name, t) in others.chain(schools) {
            self.cell(
                name,
                OrgKind::BaseCell,
                t,
                district,
                area,
                None,
                jittered(rng, t),
                0.8 * catholic_factor(t),
            );
        }
    }

    fn lai_chau(&mut self) {
        let province = self.node(ORG_LAI_CHAU, OrgKind::Province, Some(self.keys.root));
        let district = self.node(ORG_TAM_DUONG, OrgKind::District, Some(province));
        let commune = self.node(ORG_BAN_HON, OrgKind::BaseCommittee, Some(district));
        (self.keys.lai_chau, self.keys.tam_duong, self.keys.ban_hon) =
            (province, district, commune);
        let place = address("xã Bản Hon", "huyện Tam Đường", "tỉnh Lai Châu");
        for (i, (name, t, size)) in data::BAN_HON_CELLS.into_iter().enumerate() {
            let node = self.cell(
                name,
                OrgKind::Cell,
                t,
                commune,
                Area::BanHon,
                Some(place.clone()),
                size,
                0.0,
            );
            match i {
                0 => self.keys.ban_hon_village = node,
                3 => self.keys.dong_pao = node,
                _ => {}
            }
        }
    }

    fn hoa_binh(&mut self, rng: &mut Rng) {
        let province = self.node(ORG_HOA_BINH, OrgKind::Province, Some(self.keys.root));
        let district = self.node(ORG_LUONG_SON, OrgKind::District, Some(province));
        let commune = self.node(ORG_LAM_SON, OrgKind::BaseCommittee, Some(district));
        (self.keys.hoa_binh, self.keys.luong_son, self.keys.lam_son) =
            (province, district, commune);
        let place = address("xã Lâm Sơn", "huyện Lương Sơn", "tỉnh Hòa Bình");
        let (from, into) = data::LAM_SON_MERGE;
        for (i, (name, t, size)) in data::LAM_SON_CELLS.into_iter().enumerate() {
            let node = self.cell(
                name,
                OrgKind::Cell,
                t,
                commune,
                Area::LamSon,
                Some(place.clone()),
                size,
                0.0,
            );
            if i == from {
                self.keys.merge_from = node;
            }
            if i == into {
                self.keys.merge_into = node;
            }
            if t == CellType::Agency {
                self.keys.lam_son_office = node;
            }
        }
        let bloc = self.node(ORG_BLOC, OrgKind::Bloc, Some(province));
        self.keys.bloc = bloc;
        // 295 cells under the 71 base committees (domain.md §10.1), at least 3 each.
        let weights: Vec<f64> = data::BLOC_BASES
            .iter()
            .map(|(_, p)| p.weight() * rng.jitter(0.4))
            .collect();
        let counts = split(295, &weights, 3);
        for ((name, profile), count) in data::BLOC_BASES.into_iter().zip(counts) {
            let committee = self.node(name, OrgKind::BaseCommittee, Some(bloc));
            for (cell_name, t) in bloc_cells(profile, count) {
                let size = (if t == CellType::Health { 1.3 } else { 1.0 }) * rng.jitter(0.35);
                self.cell(
                    cell_name,
                    OrgKind::Cell,
                    t,
                    committee,
                    Area::Bloc,
                    None,
                    size,
                    0.0,
                );
            }
        }
    }
}

/// `count` distinct cell names for a department of the given profile.
pub fn bloc_cells(profile: Profile, count: usize) -> Vec<(String, CellType)> {
    let named = profile.cells();
    (0..count)
        .map(|i| match named.get(i) {
            Some((name, t)) => (name.to_string(), *t),
            None => (
                format!("Chi bộ số {}", i + 1),
                named.first().map_or(CellType::Agency, |(_, t)| *t),
            ),
        })
        .collect()
}

/// Writes the plan; every node exists from `created` with a "create" event.
/// Returns the ids, index for index.
pub async fn insert(tx: &mut Tx, plan: &Plan, created: Date) -> store::Result<Vec<OrgId>> {
    let mut ids: Vec<OrgId> = Vec::with_capacity(plan.nodes.len());
    for node in &plan.nodes {
        let id = store::org::insert_org(tx, created).await?;
        let parent = node.parent.and_then(|p| ids.get(p).copied());
        let version = store::org::NewVersion {
            org: id,
            parent,
            name: &node.name,
            kind: node.kind,
            cell_type: node.cell_type,
            valid_from: created,
        };
        store::org::insert_version(tx, &version).await?;
        store::org::insert_event(tx, id, "create", created, parent, "", "Dữ liệu mẫu").await?;
        ids.push(id);
    }
    Ok(ids)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    fn plan() -> Plan {
        Plan::build(&mut Rng::new(super::super::SEED))
    }

    /// Nodes of `kind` whose ancestors include `under`.
    fn count_under(p: &Plan, under: usize, kind: OrgKind) -> usize {
        let is_under = |mut i: usize| loop {
            match p.nodes[i].parent {
                Some(parent) if parent == under => return true,
                Some(parent) => i = parent,
                None => return false,
            }
        };
        (0..p.nodes.len())
            .filter(|&i| p.nodes[i].kind == kind && is_under(i))
            .count()
    }

    #[test]
    fn figures_of_domain_md_10_1() {
        let p = plan();
        let k = &p.keys;
        assert_eq!(count_under(&p, k.kim_son, OrgKind::BaseCommittee), 30);
        assert_eq!(count_under(&p, k.kim_son, OrgKind::BaseCell), 46);
        assert_eq!(count_under(&p, k.kim_son, OrgKind::Cell), 462);
        assert_eq!(count_under(&p, k.ban_hon, OrgKind::Cell), 13);
        assert_eq!(count_under(&p, k.lam_son, OrgKind::Cell), 13);
        assert_eq!(count_under(&p, k.bloc, OrgKind::BaseCommittee), 71);
        assert_eq!(count_under(&p, k.bloc, OrgKind::BaseCell), 0);
        assert_eq!(count_under(&p, k.bloc, OrgKind::Cell), 295);
        let types = |under: usize, t: CellType| {
            p.cells
                .iter()
                .filter(|c| c.cell_type == t && p.nodes[c.node].parent == Some(under))
                .count()
        };
        assert_eq!(types(k.ban_hon, CellType::Rural), 9);
        assert_eq!(types(k.ban_hon, CellType::School), 3);
        assert_eq!(types(k.ban_hon, CellType::Health), 1);
        assert_eq!(types(k.lam_son, CellType::Rural), 8);
        // Seed 004: Đức Thọ's four communes, 14 village cells, 4 commune
        // offices and the district committee's office.
        assert_eq!(count_under(&p, k.duc_tho, OrgKind::BaseCommittee), 4);
        assert_eq!(count_under(&p, k.duc_tho, OrgKind::Cell), 14 + 4);
        assert_eq!(p.nodes[k.hoa_ich_lam].name, "Chi bộ thôn Hoa Ích Lâm");
        assert_eq!(p.nodes[k.tung_anh].name, "Đảng bộ xã Tùng Ảnh");
        assert_eq!(p.cells.len(), 462 + 46 + 13 + 13 + 295 + 19);
    }

    #[test]
    fn named_nodes() {
        let p = plan();
        let k = &p.keys;
        let name = |i: usize| p.nodes[i].name.as_str();
        assert_eq!(name(k.dong_pao), super::super::ORG_DONG_PAO);
        assert_eq!(name(k.ban_hon_village), "Chi bộ 1 (bản Bản Hon)");
        assert_eq!(name(k.lam_son_office), "Chi bộ Cơ quan xã");
        assert_eq!(name(k.merge_from), "Chi bộ xóm Đồng Sương");
        assert_eq!(name(k.merge_into), "Chi bộ xóm Đồng Bến");
        assert_eq!(p.nodes[k.lam_son].parent, Some(k.luong_son));
        for wanted in [
            "Đảng bộ xã Kim Chính",
            "Đảng bộ thị trấn Phát Diệm",
            "Chi bộ Trường Tiểu học Kim Định",
            "Chi bộ Chi cục Thuế huyện Kim Sơn",
            "Đảng bộ Sở Y tế",
            "Chi bộ 7 (bản Thẳm)",
        ] {
            assert!(p.nodes.iter().any(|n| n.name == wanted), "{wanted}");
        }
    }

    #[test]
    fn names_are_distinct_among_siblings_and_parents_come_first() {
        let p = plan();
        let mut seen = HashSet::new();
        for (i, n) in p.nodes.iter().enumerate() {
            assert!(n.name.chars().count() >= 2);
            assert!(
                seen.insert((n.parent, n.name.clone())),
                "duplicate {} under {:?}",
                n.name,
                n.parent
            );
            if let Some(parent) = n.parent {
                assert!(parent < i);
                assert!(
                    n.kind.may_be_under(p.nodes[parent].kind),
                    "{} under {}",
                    n.name,
                    p.nodes[parent].name
                );
            }
            assert_eq!(n.kind.is_cell(), n.cell_type.is_some(), "{}", n.name);
        }
        let bloc: HashSet<&str> = data::BLOC_BASES.iter().map(|(n, _)| *n).collect();
        assert_eq!(bloc.len(), 71);
    }

    #[test]
    fn same_seed_same_plan() {
        let (a, b) = (plan(), plan());
        assert_eq!(a.nodes.len(), b.nodes.len());
        assert!(
            a.cells
                .iter()
                .zip(&b.cells)
                .all(|(x, y)| x.size == y.size && x.node == y.node)
        );
    }

    #[test]
    fn addresses() {
        assert_eq!(
            address("xã Kim Chính", KIM_SON, NINH_BINH),
            "Xã Kim Chính, huyện Kim Sơn, tỉnh Ninh Bình"
        );
        assert_eq!(bloc_cells(Profile::School, 10)[9].0, "Chi bộ số 10");
    }
}
