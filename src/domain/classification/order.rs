//! The bottom-up order of a year's round (docs/rules.md "Classification
//! order (bottom-up)"): a member is decided only after their cell's
//! collective self-review and the cell's proposal; an organization only
//! after its own self-review, its proposal (the lower level proposes, the
//! upper committee decides) and once every member and every unit under it
//! has its final grade.

use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::org::OrgKind;

/// The committee that decides a member's final grade, from the member's
/// cell and its ancestors (cell first): for a cell under a base committee,
/// that base committee (over any partial committee between them); for a
/// chi bộ cơ sở, the committee directly above it. An organization's grade is
/// decided by its parent.
pub fn member_decider(up: &[(OrgId, OrgKind)]) -> Option<OrgId> {
    let (_, cell_kind) = up.first()?;
    let parent = up.get(1).map(|(id, _)| *id);
    if *cell_kind == OrgKind::BaseCell {
        return parent;
    }
    up.iter()
        .skip(1)
        .find(|(_, k)| *k == OrgKind::BaseCommittee)
        .map(|(id, _)| *id)
        .or(parent)
}

/// A member's final grade may be decided once the cell (the collective)
/// has reviewed itself and has proposed a grade for the member.
pub fn member_decidable(
    member: &str,
    cell_reviewed: bool,
    proposed: bool,
) -> Result<(), ValidationError> {
    if !cell_reviewed {
        return Err(ValidationError::new(
            "members",
            "Thứ tự xếp loại",
            format!(
                "chưa thể quyết định xếp loại đảng viên {member}: chi bộ chưa tự kiểm điểm, xếp loại tập thể (tập thể kiểm điểm trước cá nhân)"
            ),
        ));
    }
    if !proposed {
        return Err(ValidationError::new(
            "members",
            "Thứ tự xếp loại",
            format!(
                "chưa thể quyết định xếp loại đảng viên {member}: chi bộ chưa đề xuất mức xếp loại"
            ),
        ));
    }
    Ok(())
}

/// What is still open under an organization for the year.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Pending {
    /// Members assessed under it without a final grade.
    pub members: i64,
    /// Organizations under it without a final grade.
    pub units: i64,
}

/// The grade an organization proposes to the committee deciding it: the
/// one its committee put forward, or else its collective self-review (a
/// cell's own self-assessment is its proposal) (docs/rules.md
/// "Organization proposals").
pub fn org_proposal<G: Copy>(self_grade: Option<G>, proposed: Option<G>) -> Option<G> {
    proposed.or(self_grade)
}

/// An organization's final grade may be decided once it has reviewed itself,
/// a grade has been proposed for it, and nothing under it is pending
/// (members and lower levels first).
pub fn org_decidable(
    org: &str,
    self_reviewed: bool,
    proposed: bool,
    pending: Pending,
) -> Result<(), ValidationError> {
    if !self_reviewed {
        return Err(ValidationError::new(
            "orgs",
            "Thứ tự xếp loại",
            format!("chưa thể quyết định xếp loại {org}: tổ chức chưa tự kiểm điểm, xếp loại"),
        ));
    }
    if !proposed {
        return Err(ValidationError::new(
            "orgs",
            "Thứ tự xếp loại",
            format!(
                "chưa thể quyết định xếp loại {org}: chưa có đề xuất mức xếp loại của cấp dưới (cấp dưới đề xuất, cấp trên quyết định)"
            ),
        ));
    }
    if pending.members > 0 || pending.units > 0 {
        let mut open = Vec::new();
        if pending.members > 0 {
            open.push(format!("{} đảng viên", pending.members));
        }
        if pending.units > 0 {
            open.push(format!("{} tổ chức trực thuộc", pending.units));
        }
        return Err(ValidationError::new(
            "orgs",
            "Thứ tự xếp loại",
            format!(
                "chưa thể quyết định xếp loại {org}: còn {} chưa có kết quả xếp loại (cấp dưới, đảng viên xếp loại trước tổ chức)",
                open.join(" và ")
            ),
        ));
    }
    Ok(())
}

/// A final grade may change only while the organization above it (the
/// member's cell, the unit's deciding committee) is not yet decided: its
/// grade rests on what is below it.
pub fn above_open(subject: &str, above: &str, above_decided: bool) -> Result<(), ValidationError> {
    if above_decided {
        Err(ValidationError::new(
            "members",
            "Thứ tự xếp loại",
            format!("không sửa được kết quả của {subject}: {above} đã được quyết định xếp loại"),
        ))
    } else {
        Ok(())
    }
}

/// A stage may change only until the final grade is decided.
pub fn still_open(subject: &str, decided: bool) -> Result<(), ValidationError> {
    if decided {
        Err(ValidationError::new(
            "grade",
            "Xếp loại",
            format!(
                "{subject} đã có quyết định xếp loại của cấp ủy, không sửa được tự đánh giá hay đề xuất"
            ),
        ))
    } else {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_wait_for_the_collective_and_the_proposal() {
        let e = member_decidable("Lò Văn A", false, true).unwrap_err();
        assert!(e.problem.contains("chưa tự kiểm điểm"), "{}", e.problem);
        assert!(e.problem.contains("Lò Văn A"), "{}", e.problem);
        let e = member_decidable("Lò Văn A", true, false).unwrap_err();
        assert!(e.problem.contains("chưa đề xuất"), "{}", e.problem);
        assert!(member_decidable("Lò Văn A", true, true).is_ok());
    }

    #[test]
    fn organizations_wait_for_everything_under_them() {
        let none = Pending::default();
        assert!(org_decidable("Chi bộ 1", true, true, none).is_ok());
        let e = org_decidable("Chi bộ 1", false, true, none).unwrap_err();
        assert!(e.problem.contains("chưa tự kiểm điểm"), "{}", e.problem);
        let e = org_decidable("Đảng bộ xã Bản Hon", true, false, none).unwrap_err();
        assert!(
            e.problem
                .contains("Đảng bộ xã Bản Hon: chưa có đề xuất mức xếp loại"),
            "{}",
            e.problem
        );
        let e = org_decidable(
            "Đảng bộ xã Bản Hon",
            true,
            true,
            Pending {
                members: 3,
                units: 0,
            },
        )
        .unwrap_err();
        assert!(
            e.problem.contains("còn 3 đảng viên chưa có"),
            "{}",
            e.problem
        );
        let e = org_decidable(
            "Đảng bộ xã Bản Hon",
            true,
            true,
            Pending {
                members: 2,
                units: 1,
            },
        )
        .unwrap_err();
        assert!(
            e.problem.contains("2 đảng viên và 1 tổ chức trực thuộc"),
            "{}",
            e.problem
        );
        let e = org_decidable(
            "X",
            true,
            true,
            Pending {
                members: 0,
                units: 4,
            },
        )
        .unwrap_err();
        assert!(
            e.problem.contains("còn 4 tổ chức trực thuộc"),
            "{}",
            e.problem
        );
    }

    #[test]
    fn a_proposal_is_explicit_or_the_self_review() {
        assert_eq!(org_proposal(Some(2), None), Some(2), "the cell's own");
        assert_eq!(org_proposal(Some(2), Some(1)), Some(1), "put forward");
        assert_eq!(org_proposal::<u8>(None, None), None);
    }

    #[test]
    fn the_base_committee_decides_its_cells_members() {
        use OrgKind::*;
        let id = OrgId;
        assert_eq!(
            member_decider(&[(id(4), Cell), (id(3), BaseCommittee), (id(2), District)]),
            Some(id(3))
        );
        assert_eq!(
            member_decider(&[
                (id(5), Cell),
                (id(9), PartialCommittee),
                (id(3), BaseCommittee),
                (id(2), District)
            ]),
            Some(id(3)),
            "over a partial committee"
        );
        assert_eq!(
            member_decider(&[(id(7), BaseCell), (id(2), District)]),
            Some(id(2)),
            "a chi bộ cơ sở's members: the level above"
        );
        assert_eq!(
            member_decider(&[(id(7), Cell), (id(2), Province)]),
            Some(id(2)),
            "no base committee: the parent"
        );
        assert_eq!(member_decider(&[(id(7), Cell)]), None);
        assert_eq!(member_decider(&[]), None);
    }

    #[test]
    fn a_decided_level_freezes_what_is_below_it() {
        assert!(above_open("Lò Văn A", "Chi bộ 1", false).is_ok());
        let e = above_open("Lò Văn A", "Chi bộ 1", true).unwrap_err();
        assert!(
            e.problem.contains("Chi bộ 1 đã được quyết định"),
            "{}",
            e.problem
        );
    }

    #[test]
    fn decided_records_are_closed() {
        assert!(still_open("Chi bộ 1", false).is_ok());
        let e = still_open("Chi bộ 1", true).unwrap_err();
        assert!(e.problem.contains("đã có quyết định"), "{}", e.problem);
    }
}
