//! Posts held in a cell or a base committee, with dates (docs/rules.md
//! "Posts in a cell"): who is secretary, deputy or committee member, from
//! which day until which day. Documents and figures read the post held on
//! the meeting's day.

use super::ValidationError;
use super::document::CellPost;
use super::time::format_date;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A post in a cell (chi bộ) or a base committee (đảng ủy cơ sở).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum PostKind {
    /// Bí thư chi bộ.
    CellSecretary,
    /// Phó Bí thư chi bộ.
    CellDeputy,
    /// Chi ủy viên: member of the cell committee.
    CellCommittee,
    /// Bí thư đảng ủy.
    Secretary,
    /// Phó Bí thư đảng ủy.
    Deputy,
    /// Ủy viên Ban Thường vụ đảng ủy.
    StandingMember,
    /// Đảng ủy viên: member of the base committee.
    CommitteeMember,
}

impl PostKind {
    pub const CELL: [PostKind; 3] = [Self::CellSecretary, Self::CellDeputy, Self::CellCommittee];
    pub const COMMITTEE: [PostKind; 4] = [
        Self::Secretary,
        Self::Deputy,
        Self::StandingMember,
        Self::CommitteeMember,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::CellSecretary => "cell_secretary",
            Self::CellDeputy => "cell_deputy",
            Self::CellCommittee => "cell_committee",
            Self::Secretary => "secretary",
            Self::Deputy => "deputy",
            Self::StandingMember => "standing_member",
            Self::CommitteeMember => "committee_member",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::CellSecretary | Self::Secretary => "Bí thư",
            Self::CellDeputy | Self::Deputy => "Phó Bí thư",
            Self::CellCommittee => "Chi ủy viên",
            Self::StandingMember => "Ủy viên Ban Thường vụ",
            Self::CommitteeMember => "Đảng ủy viên",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::CELL
            .into_iter()
            .chain(Self::COMMITTEE)
            .find(|k| k.code() == code)
    }

    /// The posts a node of this sort can hold: a cell's, or a committee's.
    pub fn for_node(is_cell: bool) -> &'static [PostKind] {
        if is_cell {
            &Self::CELL
        } else {
            &Self::COMMITTEE
        }
    }

    pub fn is_cell(self) -> bool {
        Self::CELL.contains(&self)
    }

    /// Held by one person at a time in a node (Điều lệ Đảng: one secretary).
    pub fn is_single(self) -> bool {
        matches!(self, Self::CellSecretary | Self::Secretary)
    }

    /// The title a cell document gives its holder's signature (a chi ủy
    /// viên signs as a member who chaired).
    pub fn cell_post(self) -> CellPost {
        match self {
            Self::CellSecretary => CellPost::Secretary,
            Self::CellDeputy => CellPost::Deputy,
            _ => CellPost::Member,
        }
    }
}

/// A post held for a period: `to` is the first day no longer held.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Tenure {
    pub kind: PostKind,
    pub member: i64,
    pub from: Date,
    pub to: Option<Date>,
}

impl Tenure {
    /// Whether the post is held on `day`.
    pub fn held_on(&self, day: Date) -> bool {
        self.from <= day && self.to.is_none_or(|t| day < t)
    }

    fn overlaps(&self, other: &Tenure) -> bool {
        let ends_after = |t: &Tenure, from: Date| t.to.is_none_or(|e| e > from);
        ends_after(self, other.from) && ends_after(other, self.from)
    }
}

/// Whether `new` may be recorded beside the node's `existing` tenures: one
/// secretary at a time, and nobody holds the same post twice at once.
pub fn check_new(existing: &[Tenure], new: &Tenure) -> Result<(), ValidationError> {
    if let Some(to) = new.to
        && to <= new.from
    {
        return Err(ValidationError::new(
            "to",
            "Đến ngày",
            "phải sau ngày bắt đầu giữ chức vụ",
        ));
    }
    for t in existing.iter().filter(|t| t.overlaps(new)) {
        if t.kind == new.kind && t.member == new.member {
            return Err(ValidationError::new(
                "kind",
                "Chức vụ",
                format!(
                    "đồng chí này đã giữ chức vụ {} từ {}",
                    new.kind.label(),
                    format_date(t.from)
                ),
            ));
        }
        if new.kind.is_single() && t.kind == new.kind {
            return Err(ValidationError::new(
                "kind",
                "Chức vụ",
                format!(
                    "mỗi lúc chỉ có một Bí thư: đã có Bí thư từ {}{}; hãy kết thúc chức vụ đó trước",
                    format_date(t.from),
                    t.to.map(|e| format!(" đến {}", format_date(e)))
                        .unwrap_or_default()
                ),
            ));
        }
    }
    Ok(())
}

/// The posts a member held on `day`, highest first.
pub fn held_on(tenures: &[Tenure], member: i64, day: Date) -> Vec<PostKind> {
    let mut kinds: Vec<PostKind> = tenures
        .iter()
        .filter(|t| t.member == member && t.held_on(day))
        .map(|t| t.kind)
        .collect();
    kinds.sort_by_key(|k| k.code() != "cell_secretary" && k.code() != "secretary");
    kinds.dedup();
    kinds
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn t(kind: PostKind, member: i64, from: Date, to: Option<Date>) -> Tenure {
        Tenure {
            kind,
            member,
            from,
            to,
        }
    }

    #[test]
    fn codes_round_trip() {
        for k in PostKind::CELL.into_iter().chain(PostKind::COMMITTEE) {
            assert_eq!(PostKind::from_code(k.code()), Some(k));
        }
        assert_eq!(PostKind::from_code("boss"), None);
        assert_eq!(PostKind::CellCommittee.label(), "Chi ủy viên");
    }

    // docs/rules.md "Posts in a cell": a post holds from its first day up
    // to, not including, the day it ends.
    #[test]
    fn held_from_the_first_day_until_the_day_before_it_ends() {
        let p = t(
            PostKind::CellSecretary,
            1,
            date(2020, 1, 1),
            Some(date(2025, 7, 1)),
        );
        assert!(!p.held_on(date(2019, 12, 31)));
        assert!(p.held_on(date(2020, 1, 1)));
        assert!(p.held_on(date(2025, 6, 30)));
        assert!(!p.held_on(date(2025, 7, 1)));
    }

    // Điều lệ Đảng (2011), Điều 24: a cell has one secretary; a new one is
    // recorded once the old one's post ends.
    #[test]
    fn one_secretary_at_a_time() {
        let old = t(PostKind::CellSecretary, 1, date(2020, 1, 1), None);
        let new = t(PostKind::CellSecretary, 2, date(2025, 7, 1), None);
        let e = check_new(&[old], &new).expect_err("two secretaries");
        assert_eq!(e.field, "kind");
        assert!(e.problem.contains("một Bí thư"), "{e}");
        let ended = Tenure {
            to: Some(date(2025, 7, 1)),
            ..old
        };
        assert!(check_new(&[ended], &new).is_ok());
        // Deputies and committee members may be several.
        let d1 = t(PostKind::CellDeputy, 3, date(2020, 1, 1), None);
        let d2 = t(PostKind::CellDeputy, 4, date(2020, 1, 1), None);
        assert!(check_new(&[old, d1], &d2).is_ok());
        assert!(check_new(&[d1], &d1).is_err());
    }

    #[test]
    fn an_end_before_the_start_is_refused() {
        let p = t(
            PostKind::CellDeputy,
            1,
            date(2025, 1, 1),
            Some(date(2025, 1, 1)),
        );
        assert_eq!(check_new(&[], &p).map_err(|e| e.field), Err("to"));
    }

    #[test]
    fn the_secretary_post_comes_first() {
        let a = t(PostKind::CellCommittee, 1, date(2020, 1, 1), None);
        let b = t(PostKind::CellSecretary, 1, date(2021, 1, 1), None);
        assert_eq!(
            held_on(&[a, b], 1, date(2022, 1, 1)),
            vec![PostKind::CellSecretary, PostKind::CellCommittee]
        );
        assert_eq!(
            held_on(&[a, b], 1, date(2020, 6, 1)),
            vec![PostKind::CellCommittee]
        );
        assert_eq!(PostKind::CellCommittee.cell_post(), CellPost::Member);
    }
}
