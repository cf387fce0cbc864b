//! The quota of excellent grades (docs/rules.md "Classification quota"): at
//! a deciding level, those rated "hoàn thành xuất sắc nhiệm vụ" may be at
//! most `percent`% of those rated "hoàn thành tốt nhiệm vụ", counted over the
//! whole set the level decides that year. Configuration with its source.

use super::GradeCounts;
use crate::domain::ValidationError;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quota {
    pub percent: i64,
    /// Where the figure comes from, shown beside it.
    pub source: String,
    /// Applies to members.
    pub members: bool,
    /// Applies to base organizations (đảng bộ cơ sở, chi bộ cơ sở).
    pub base_orgs: bool,
    /// Applies to cells under a base committee (chi bộ trực thuộc).
    pub cells: bool,
}

/// What the set is made of, for the message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum QuotaSet {
    Members,
    BaseOrgs,
    Cells,
}

impl QuotaSet {
    fn label(self) -> &'static str {
        match self {
            Self::Members => "đảng viên",
            Self::BaseOrgs => "tổ chức cơ sở đảng",
            Self::Cells => "chi bộ trực thuộc",
        }
    }
}

impl Quota {
    pub fn covers(&self, set: QuotaSet) -> bool {
        match set {
            QuotaSet::Members => self.members,
            QuotaSet::BaseOrgs => self.base_orgs,
            QuotaSet::Cells => self.cells,
        }
    }

    /// The most excellent grades `good` good grades allow: the share rounded
    /// down, since the count may not exceed it (108 good × 20% = 21.6 → 21).
    pub fn max_excellent(&self, good: i64) -> i64 {
        good.max(0) * self.percent / 100
    }

    /// Checks the set's final grades. An override reason lets an excess
    /// stand; it is recorded with the decision.
    pub fn check(
        &self,
        set: QuotaSet,
        counts: &GradeCounts,
        override_reason: &str,
    ) -> Result<(), ValidationError> {
        if !self.covers(set)
            || counts.excellent <= self.max_excellent(counts.good)
            || !override_reason.trim().is_empty()
        {
            return Ok(());
        }
        let share = counts.good * self.percent;
        Err(ValidationError::new(
            "override_reason",
            "Tỷ lệ xếp loại",
            format!(
                "số {what} xếp loại \"Hoàn thành xuất sắc nhiệm vụ\" ({exc}) vượt quá {p}% số xếp loại \"Hoàn thành tốt nhiệm vụ\" ({good} × {p}% = {share}; tối đa {max}) theo {src}. Hãy giảm số xuất sắc, hoặc ghi lý do vượt tỷ lệ để được ghi nhận",
                what = set.label(),
                exc = counts.excellent,
                p = self.percent,
                good = counts.good,
                share = decimal(share),
                max = self.max_excellent(counts.good),
                src = self.source,
            ),
        ))
    }
}

/// Hundredths written the Vietnamese way: 2160 → "21,6", 200 → "2,0", 231 → "2,31".
fn decimal(hundredths: i64) -> String {
    let (whole, rest) = (hundredths / 100, hundredths % 100);
    if rest % 10 == 0 {
        format!("{whole},{}", rest / 10)
    } else {
        format!("{whole},{rest:02}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::classification::regime::tests::quota;

    fn counts(excellent: i64, good: i64) -> GradeCounts {
        GradeCounts {
            excellent,
            good,
            complete: 22,
            not_complete: 0,
        }
    }

    #[test]
    fn ban_hon_2018_passes_and_one_more_than_the_share_fails() {
        let q = quota();
        assert_eq!(q.max_excellent(108), 21);
        assert!(q.check(QuotaSet::Members, &counts(17, 108), "").is_ok());
        assert!(q.check(QuotaSet::Members, &counts(21, 108), "").is_ok());
        let e = q
            .check(QuotaSet::Members, &counts(22, 108), "")
            .unwrap_err();
        assert_eq!(e.field, "override_reason");
        assert!(e.problem.contains("(22) vượt quá 20%"), "{}", e.problem);
        assert!(e.problem.contains("108 × 20% = 21,6"), "{}", e.problem);
        assert!(e.problem.contains("tối đa 21"), "{}", e.problem);
        assert!(e.problem.contains("đảng viên"), "{}", e.problem);
    }

    #[test]
    fn a_whole_share_prints_without_a_stray_fraction() {
        let e = quota()
            .check(QuotaSet::Members, &counts(3, 10), "")
            .unwrap_err();
        assert!(e.problem.contains("10 × 20% = 2,0"), "{}", e.problem);
        let e = quota()
            .check(QuotaSet::Members, &counts(1, 3), "")
            .unwrap_err();
        assert!(e.problem.contains("3 × 20% = 0,6"), "{}", e.problem);
    }

    #[test]
    fn decimals_use_a_comma() {
        assert_eq!(decimal(2160), "21,6");
        assert_eq!(decimal(200), "2,0");
        assert_eq!(decimal(231), "2,31");
        assert_eq!(decimal(5), "0,05");
    }

    #[test]
    fn small_sets_allow_no_excellent_until_five_good() {
        let q = quota();
        assert_eq!(q.max_excellent(0), 0);
        assert_eq!(q.max_excellent(4), 0);
        assert_eq!(q.max_excellent(5), 1);
        assert_eq!(q.max_excellent(-3), 0);
        assert!(q.check(QuotaSet::Members, &counts(0, 0), "").is_ok());
        assert!(q.check(QuotaSet::Members, &counts(1, 4), "").is_err());
    }

    #[test]
    fn an_override_with_a_reason_lets_the_excess_stand() {
        let q = quota();
        assert!(q.check(QuotaSet::Members, &counts(30, 108), "  ").is_err());
        assert!(
            q.check(
                QuotaSet::Members,
                &counts(30, 108),
                "Cấp trên cho phép theo công văn 12-CV/HU"
            )
            .is_ok()
        );
    }

    #[test]
    fn cells_are_not_capped_by_default_but_base_organizations_are() {
        // Bản Hon 2018: 5 of 13 cells excellent, 8 good (domain seed).
        let q = quota();
        let c = GradeCounts {
            excellent: 5,
            good: 8,
            ..GradeCounts::default()
        };
        assert!(q.check(QuotaSet::Cells, &c, "").is_ok());
        let e = q.check(QuotaSet::BaseOrgs, &c, "").unwrap_err();
        assert!(e.problem.contains("tổ chức cơ sở đảng"), "{}", e.problem);
        let strict = Quota { cells: true, ..q };
        assert!(strict.check(QuotaSet::Cells, &c, "").is_err());
        let none = Quota {
            members: false,
            ..quota()
        };
        assert!(none.check(QuotaSet::Members, &counts(50, 1), "").is_ok());
    }
}
