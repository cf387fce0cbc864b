//! The organization tree (domain.md §2): nodes of any depth whose name,
//! parent and kind are effective-dated versions, so the tree can be read as it
//! stood on any date (the 2025 reform closed districts and moved communes
//! under provinces; 2018 figures must still come out as they were).

use super::ValidationError;
use super::text;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// What a node is. Counting rules (base organizations, cells) depend on it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    /// Trung ương.
    Central,
    /// Tỉnh ủy / Thành ủy (province or centrally-run city).
    Province,
    /// Huyện ủy / Quận ủy / Thị ủy (abolished 1 July 2025, domain.md §2.5).
    District,
    /// Đảng ủy Khối (bloc of agencies or enterprises).
    Bloc,
    /// Đảng bộ cơ sở: base organization with a committee and subordinate cells.
    BaseCommittee,
    /// Đảng bộ bộ phận: intermediate level inside a large base organization.
    PartialCommittee,
    /// Chi bộ cơ sở: a cell that is itself a base organization.
    BaseCell,
    /// Chi bộ trực thuộc: a cell under a base committee.
    Cell,
}

impl OrgKind {
    pub const ALL: [OrgKind; 8] = [
        Self::Central,
        Self::Province,
        Self::District,
        Self::Bloc,
        Self::BaseCommittee,
        Self::PartialCommittee,
        Self::BaseCell,
        Self::Cell,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Central => "central",
            Self::Province => "province",
            Self::District => "district",
            Self::Bloc => "bloc",
            Self::BaseCommittee => "base_committee",
            Self::PartialCommittee => "partial_committee",
            Self::BaseCell => "base_cell",
            Self::Cell => "cell",
        }
    }

    /// The organization, not its committee: "Đảng bộ tỉnh", whose executive
    /// body is the Tỉnh ủy (issue 10, point 5).
    pub fn label(self) -> &'static str {
        match self {
            Self::Central => "Đảng bộ Trung ương",
            Self::Province => "Đảng bộ tỉnh / thành phố",
            Self::District => "Đảng bộ huyện / quận / thị xã",
            Self::Bloc => "Đảng bộ khối",
            Self::BaseCommittee => "Đảng bộ cơ sở",
            Self::PartialCommittee => "Đảng bộ bộ phận",
            Self::BaseCell => "Chi bộ cơ sở",
            Self::Cell => "Chi bộ trực thuộc",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// A base organization (*tổ chức cơ sở đảng*): đảng bộ cơ sở or chi bộ cơ sở.
    pub fn is_base_org(self) -> bool {
        matches!(self, Self::BaseCommittee | Self::BaseCell)
    }

    /// A meeting unit (*chi bộ*): subordinate cell or chi bộ cơ sở. Members
    /// are registered only in cells.
    pub fn is_cell(self) -> bool {
        matches!(self, Self::BaseCell | Self::Cell)
    }

    /// Whether a node of this kind may sit under a node of `parent` kind.
    /// Deliberately loose: real trees vary (blocs under provinces, base cells
    /// directly under provinces after 2025); only nonsense is refused.
    pub fn may_be_under(self, parent: OrgKind) -> bool {
        if parent.is_cell() {
            return false;
        }
        match self {
            Self::Central => false,
            Self::Province | Self::Bloc => matches!(parent, Self::Central | Self::Province),
            Self::District => matches!(parent, Self::Province),
            Self::BaseCommittee | Self::BaseCell => {
                matches!(
                    parent,
                    Self::Central | Self::Province | Self::District | Self::Bloc
                )
            }
            Self::PartialCommittee => matches!(parent, Self::BaseCommittee),
            Self::Cell => matches!(parent, Self::BaseCommittee | Self::PartialCommittee),
        }
    }
}

/// Type of a cell (*loại hình chi bộ*, domain.md §2.2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum CellType {
    Rural,
    Residential,
    School,
    Health,
    Agency,
    Enterprise,
    ArmedForces,
    Police,
    Other,
}

impl CellType {
    pub const ALL: [CellType; 9] = [
        Self::Rural,
        Self::Residential,
        Self::School,
        Self::Health,
        Self::Agency,
        Self::Enterprise,
        Self::ArmedForces,
        Self::Police,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Rural => "rural",
            Self::Residential => "residential",
            Self::School => "school",
            Self::Health => "health",
            Self::Agency => "agency",
            Self::Enterprise => "enterprise",
            Self::ArmedForces => "armed_forces",
            Self::Police => "police",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Rural => "Nông thôn (thôn, bản, xóm)",
            Self::Residential => "Khu dân cư đô thị (tiểu khu, tổ dân phố)",
            Self::School => "Trường học",
            Self::Health => "Trạm y tế, bệnh viện",
            Self::Agency => "Cơ quan",
            Self::Enterprise => "Doanh nghiệp",
            Self::ArmedForces => "Quân đội",
            Self::Police => "Công an",
            Self::Other => "Khác",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }
}

/// A node's name, NFC with collapsed spaces, 2–200 characters.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgName(String);

impl OrgName {
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let name = text::clean(input);
        let len = name.chars().count();
        if len < 2 {
            return Err(ValidationError::new(
                "name",
                "Tên tổ chức",
                "không được để trống (ít nhất 2 ký tự)",
            ));
        }
        if len > 200 {
            return Err(ValidationError::new(
                "name",
                "Tên tổ chức",
                "dài quá 200 ký tự",
            ));
        }
        Ok(Self(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    pub fn search_key(&self) -> String {
        text::fold(&self.0)
    }
}

/// A new node as asked for: checked against its parent's kind.
#[derive(Debug, Clone)]
pub struct NewOrg {
    pub name: OrgName,
    pub kind: OrgKind,
    pub cell_type: Option<CellType>,
    pub valid_from: Date,
}

impl NewOrg {
    pub fn parse(
        name: &str,
        kind: &str,
        cell_type: Option<&str>,
        valid_from: Date,
        parent_kind: Option<OrgKind>,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let name = OrgName::parse(name).map_err(|e| errors.push(e)).ok();
        let kind = match OrgKind::from_code(kind.trim()) {
            Some(k) => Some(k),
            None => {
                errors.push(ValidationError::new("kind", "Loại tổ chức", "không hợp lệ"));
                None
            }
        };
        let cell_type = parse_cell_type(kind, cell_type)
            .map_err(|e| errors.push(e))
            .ok()
            .flatten();
        if let (Some(kind), Some(parent)) = (kind, parent_kind)
            && !kind.may_be_under(parent)
        {
            errors.push(ValidationError::new(
                "kind",
                "Loại tổ chức",
                format!("{} không thể trực thuộc {}", kind.label(), parent.label()),
            ));
        }
        match (name, kind) {
            (Some(name), Some(kind)) if errors.is_empty() => Ok(Self {
                name,
                kind,
                cell_type,
                valid_from,
            }),
            _ => Err(errors),
        }
    }
}

fn parse_cell_type(
    kind: Option<OrgKind>,
    cell_type: Option<&str>,
) -> Result<Option<CellType>, ValidationError> {
    let code = cell_type.map(str::trim).filter(|s| !s.is_empty());
    match (kind, code) {
        (Some(k), Some(code)) if k.is_cell() => CellType::from_code(code)
            .map(Some)
            .ok_or_else(|| ValidationError::new("cell_type", "Loại hình chi bộ", "không hợp lệ")),
        (Some(k), None) if k.is_cell() => Err(ValidationError::new(
            "cell_type",
            "Loại hình chi bộ",
            "phải chọn cho một chi bộ",
        )),
        (_, Some(_)) => Err(ValidationError::new(
            "cell_type",
            "Loại hình chi bộ",
            "chỉ dùng cho chi bộ",
        )),
        _ => Ok(None),
    }
}

/// A change to a node takes effect on a date that must come after the start
/// of its current version: history is appended, never rewritten.
pub fn check_effective_date(current_from: Date, effective: Date) -> Result<(), ValidationError> {
    if effective <= current_from {
        return Err(ValidationError::new(
            "effective_on",
            "Ngày hiệu lực",
            format!(
                "phải sau ngày {} (lần thay đổi gần nhất)",
                super::time::format_date(current_from)
            ),
        ));
    }
    Ok(())
}

/// Moving `node` under `new_parent` must not put a node inside its own subtree.
/// `new_parent_ancestors` are the ancestors-or-self of the new parent.
pub fn check_no_cycle<T: PartialEq>(
    node: &T,
    new_parent_ancestors: &[T],
) -> Result<(), ValidationError> {
    if new_parent_ancestors.contains(node) {
        return Err(ValidationError::new(
            "parent_id",
            "Tổ chức cấp trên",
            "không thể chuyển một tổ chức vào chính nó hoặc tổ chức trực thuộc nó",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn codes_round_trip() {
        for k in OrgKind::ALL {
            assert_eq!(OrgKind::from_code(k.code()), Some(k));
        }
        for t in CellType::ALL {
            assert_eq!(CellType::from_code(t.code()), Some(t));
        }
        assert_eq!(OrgKind::from_code("chi_bo"), None);
    }

    #[test]
    fn base_orgs_and_cells() {
        assert!(OrgKind::BaseCommittee.is_base_org());
        assert!(OrgKind::BaseCell.is_base_org());
        assert!(OrgKind::BaseCell.is_cell());
        assert!(OrgKind::Cell.is_cell());
        assert!(!OrgKind::Cell.is_base_org());
        assert!(!OrgKind::District.is_cell());
    }

    #[test]
    fn tree_shape_rules() {
        assert!(OrgKind::Cell.may_be_under(OrgKind::BaseCommittee));
        assert!(!OrgKind::Cell.may_be_under(OrgKind::District));
        assert!(
            OrgKind::BaseCommittee.may_be_under(OrgKind::Province),
            "communes sit under provinces since 2025"
        );
        assert!(!OrgKind::Cell.may_be_under(OrgKind::Cell));
        assert!(!OrgKind::Central.may_be_under(OrgKind::Province));
    }

    #[test]
    fn new_cell_needs_a_type() {
        let d = date(2020, 1, 1);
        let errs =
            NewOrg::parse("Chi bộ 1", "cell", None, d, Some(OrgKind::BaseCommittee)).unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "Loại hình chi bộ: phải chọn cho một chi bộ"
        );
        let ok = NewOrg::parse(
            "  Chi  bộ 1 ",
            "cell",
            Some("rural"),
            d,
            Some(OrgKind::BaseCommittee),
        )
        .unwrap();
        assert_eq!(ok.name.as_str(), "Chi bộ 1");
        let errs =
            NewOrg::parse("X", "district", Some("rural"), d, Some(OrgKind::Cell)).unwrap_err();
        assert_eq!(errs.len(), 3, "{errs:?}");
    }

    #[test]
    fn history_is_appended_only() {
        assert!(check_effective_date(date(2020, 1, 1), date(2020, 1, 1)).is_err());
        assert!(check_effective_date(date(2020, 1, 1), date(2025, 7, 1)).is_ok());
    }

    #[test]
    fn no_cycles() {
        assert!(check_no_cycle(&3, &[5, 3, 1]).is_err());
        assert!(check_no_cycle(&3, &[5, 4, 1]).is_ok());
    }
}
