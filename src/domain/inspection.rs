//! Inspections of cells' meetings by their base committee, every six months,
//! and the follow-up of what they find (docs/rules.md "Inspections every six
//! months").

use super::ValidationError;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A half-year: the period an inspection covers.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct HalfYear {
    pub year: i16,
    /// 1 or 2.
    pub half: i8,
}

impl HalfYear {
    /// "2026-H1" (also "2026-h2").
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let bad =
            || ValidationError::new("period", "Kỳ kiểm tra", "phải có dạng 2026-H1 hoặc 2026-H2");
        let (y, h) = input.trim().split_once('-').ok_or_else(bad)?;
        let year: i16 = y.parse().map_err(|_| bad())?;
        let half: i8 = match h {
            "H1" | "h1" => 1,
            "H2" | "h2" => 2,
            _ => return Err(bad()),
        };
        if !(2000..=2100).contains(&year) {
            return Err(bad());
        }
        Ok(HalfYear { year, half })
    }

    pub fn of(day: Date) -> Self {
        HalfYear {
            year: day.year(),
            half: if day.month() <= 6 { 1 } else { 2 },
        }
    }

    pub fn code(self) -> String {
        format!("{}-H{}", self.year, self.half)
    }

    pub fn label(self) -> String {
        match self.half {
            1 => format!("6 tháng đầu năm {}", self.year),
            _ => format!("6 tháng cuối năm {}", self.year),
        }
    }
}

/// What an inspection found in a cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// Ưu điểm: noted, nothing to follow up.
    Strength,
    /// Hạn chế, thiếu sót: the cell fixes it by a deadline.
    Shortcoming,
}

impl FindingKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Strength => "strength",
            Self::Shortcoming => "shortcoming",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Strength => "Ưu điểm",
            Self::Shortcoming => "Hạn chế cần khắc phục",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Strength, Self::Shortcoming]
            .into_iter()
            .find(|k| k.code() == code)
    }
}

/// Where a finding stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpStatus {
    /// A strength: nothing to do.
    Noted,
    /// A shortcoming the cell has not answered yet.
    Open,
    /// The cell said what it did.
    Answered,
    /// A later inspection found it fixed.
    Fixed,
    /// A later inspection found it not fixed.
    NotFixed,
}

impl FollowUpStatus {
    pub const ALL: [Self; 5] = [
        Self::Noted,
        Self::Open,
        Self::Answered,
        Self::Fixed,
        Self::NotFixed,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Noted => "noted",
            Self::Open => "open",
            Self::Answered => "answered",
            Self::Fixed => "fixed",
            Self::NotFixed => "not_fixed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Noted => "Ghi nhận",
            Self::Open => "Chưa khắc phục",
            Self::Answered => "Chi bộ đã báo cáo khắc phục",
            Self::Fixed => "Đã khắc phục",
            Self::NotFixed => "Chưa khắc phục được",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    /// A shortcoming still waiting: the cell may (again) say what it did,
    /// and a later inspection may judge it.
    pub fn waiting(self) -> bool {
        matches!(self, Self::Open | Self::Answered | Self::NotFixed)
    }

    /// Still waiting on the cell past its deadline.
    pub fn overdue(self, deadline: Option<Date>, today: Date) -> bool {
        matches!(self, Self::Open | Self::NotFixed) && deadline.is_some_and(|d| d < today)
    }
}

/// A finding as asked for: a shortcoming needs a deadline after the day it
/// is recorded; a strength has none.
pub fn check_finding(
    kind: Option<FindingKind>,
    body: &str,
    deadline: Option<Date>,
    today: Date,
) -> Result<(FindingKind, Option<Date>), Vec<ValidationError>> {
    let mut errors = Vec::new();
    if body.trim().is_empty() {
        errors.push(ValidationError::new(
            "body",
            "Nội dung",
            "không được để trống",
        ));
    }
    let Some(kind) = kind else {
        errors.push(ValidationError::new(
            "kind",
            "Loại",
            "phải chọn ưu điểm hoặc hạn chế",
        ));
        return Err(errors);
    };
    let deadline = match (kind, deadline) {
        (FindingKind::Strength, _) => None,
        (FindingKind::Shortcoming, Some(d)) if d > today => Some(d),
        (FindingKind::Shortcoming, Some(_)) => {
            errors.push(ValidationError::new(
                "deadline",
                "Thời hạn khắc phục",
                "phải sau hôm nay",
            ));
            None
        }
        (FindingKind::Shortcoming, None) => {
            errors.push(ValidationError::new(
                "deadline",
                "Thời hạn khắc phục",
                "phải ghi thời hạn (dd/mm/yyyy)",
            ));
            None
        }
    };
    if errors.is_empty() {
        Ok((kind, deadline))
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn half_years() {
        let h = HalfYear::parse("2026-H2").expect("valid");
        assert_eq!((h.year, h.half), (2026, 2));
        assert_eq!(h.code(), "2026-H2");
        assert_eq!(h.label(), "6 tháng cuối năm 2026");
        assert_eq!(HalfYear::of(date(2026, 6, 30)).half, 1);
        assert_eq!(HalfYear::of(date(2026, 7, 1)).half, 2);
        for bad in ["2026", "2026-H3", "H1-2026", "1899-H1", ""] {
            assert!(HalfYear::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn a_shortcoming_needs_a_future_deadline() {
        let today = date(2026, 11, 23);
        let short = Some(FindingKind::Shortcoming);
        assert!(check_finding(short, "Biên bản sơ sài", Some(date(2027, 1, 31)), today).is_ok());
        let e = check_finding(short, "Biên bản sơ sài", None, today).expect_err("no deadline");
        assert_eq!(e[0].field, "deadline");
        let e = check_finding(short, "x", Some(today), today).expect_err("not after today");
        assert_eq!(e[0].field, "deadline");
        let ok = check_finding(Some(FindingKind::Strength), "Tốt", Some(today), today);
        assert_eq!(ok.expect("strength").1, None, "a strength has no deadline");
        let e = check_finding(None, " ", None, today).expect_err("empty");
        assert_eq!(e.len(), 2);
    }

    #[test]
    fn statuses() {
        let today = date(2026, 11, 23);
        let past = Some(date(2026, 11, 1));
        assert!(FollowUpStatus::Open.overdue(past, today));
        assert!(FollowUpStatus::NotFixed.overdue(past, today));
        assert!(!FollowUpStatus::Answered.overdue(past, today));
        assert!(!FollowUpStatus::Open.overdue(Some(date(2026, 12, 1)), today));
        assert!(!FollowUpStatus::Fixed.waiting() && !FollowUpStatus::Noted.waiting());
        assert!(FollowUpStatus::NotFixed.waiting());
        for s in FollowUpStatus::ALL {
            assert_eq!(FollowUpStatus::from_code(s.code()), Some(s));
        }
    }
}
