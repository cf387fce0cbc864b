//! Yearly review and quality classification (kiểm điểm, đánh giá, xếp loại
//! chất lượng hằng năm) of members and organizations: the four grades, the
//! regime of each year, the quota of excellent grades, the bottom-up order
//! and the leniency signal (docs/rules.md "Classification regimes by year",
//! "Classification quota", "Classification order (bottom-up)", "Leniency at
//! year-end").

pub mod order;
pub mod quota;
pub mod regime;

use super::ValidationError;
use serde::{Deserialize, Serialize};

/// The four grades, best first.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Grade {
    /// Hoàn thành xuất sắc nhiệm vụ.
    Excellent,
    /// Hoàn thành tốt nhiệm vụ.
    Good,
    /// Hoàn thành nhiệm vụ.
    Complete,
    /// Không hoàn thành nhiệm vụ.
    NotComplete,
}

impl Grade {
    pub const ALL: [Grade; 4] = [
        Self::Excellent,
        Self::Good,
        Self::Complete,
        Self::NotComplete,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Excellent => "excellent",
            Self::Good => "good",
            Self::Complete => "complete",
            Self::NotComplete => "not_complete",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Excellent => "Hoàn thành xuất sắc nhiệm vụ",
            Self::Good => "Hoàn thành tốt nhiệm vụ",
            Self::Complete => "Hoàn thành nhiệm vụ",
            Self::NotComplete => "Không hoàn thành nhiệm vụ",
        }
    }

    /// The short form used in tables on a phone.
    pub fn short(self) -> &'static str {
        match self {
            Self::Excellent => "Xuất sắc",
            Self::Good => "Tốt",
            Self::Complete => "Hoàn thành",
            Self::NotComplete => "Không hoàn thành",
        }
    }

    pub fn index(self) -> usize {
        match self {
            Self::Excellent => 0,
            Self::Good => 1,
            Self::Complete => 2,
            Self::NotComplete => 3,
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|g| g.code() == code)
    }

    /// A grade chosen in a form: empty is "not given"; anything else must be
    /// one of the four codes.
    pub fn parse_choice(
        input: &str,
        field: &'static str,
        label: &'static str,
    ) -> Result<Option<Self>, ValidationError> {
        match input.trim() {
            "" => Ok(None),
            s => Self::from_code(s).map(Some).ok_or_else(|| {
                ValidationError::new(field, label, "phải là một trong bốn mức xếp loại")
            }),
        }
    }
}

/// What is classified.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum SubjectKind {
    Member,
    Org,
}

impl SubjectKind {
    pub fn code(self) -> &'static str {
        match self {
            Self::Member => "member",
            Self::Org => "org",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        match code {
            "member" => Some(Self::Member),
            "org" => Some(Self::Org),
            _ => None,
        }
    }
}

/// The year a round classifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct ClassYear(i16);

impl ClassYear {
    /// A year from 2000 up to `this_year` (a round is held in the year it
    /// reviews, from its last months).
    pub fn new(year: i64, this_year: i16) -> Result<Self, ValidationError> {
        match i16::try_from(year) {
            Ok(y) if (2000..=this_year).contains(&y) => Ok(ClassYear(y)),
            Ok(y) if y > this_year && y <= 2100 => Err(ValidationError::new(
                "year",
                "Năm",
                format!("năm {y} chưa đến, chưa thể xếp loại"),
            )),
            _ => Err(ValidationError::new(
                "year",
                "Năm",
                "phải là năm từ 2000 đến năm nay",
            )),
        }
    }

    /// The nearest valid year: for a page asked about any year.
    pub fn clamped(year: i64, this_year: i16) -> Self {
        let top = i64::from(this_year.max(2000));
        ClassYear(i16::try_from(year.clamp(2000, top)).unwrap_or(2000))
    }

    pub fn get(self) -> i16 {
        self.0
    }
}

/// Counts by grade, in `Grade::ALL` order.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
pub struct GradeCounts {
    pub excellent: i64,
    pub good: i64,
    pub complete: i64,
    pub not_complete: i64,
}

impl GradeCounts {
    pub fn add(&mut self, grade: Grade, n: i64) {
        match grade {
            Grade::Excellent => self.excellent += n,
            Grade::Good => self.good += n,
            Grade::Complete => self.complete += n,
            Grade::NotComplete => self.not_complete += n,
        }
    }

    pub fn of(grades: impl IntoIterator<Item = Grade>) -> Self {
        let mut c = Self::default();
        for g in grades {
            c.add(g, 1);
        }
        c
    }

    pub fn get(&self, grade: Grade) -> i64 {
        match grade {
            Grade::Excellent => self.excellent,
            Grade::Good => self.good,
            Grade::Complete => self.complete,
            Grade::NotComplete => self.not_complete,
        }
    }

    pub fn total(&self) -> i64 {
        self.excellent + self.good + self.complete + self.not_complete
    }

    /// Rated "good" or better.
    pub fn good_or_better(&self) -> i64 {
        self.excellent + self.good
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn grades_round_trip_and_order_best_first() {
        for g in Grade::ALL {
            assert_eq!(Grade::from_code(g.code()), Some(g));
            assert_eq!(Grade::ALL[g.index()], g);
        }
        assert!(Grade::Excellent < Grade::Good && Grade::Complete < Grade::NotComplete);
        assert_eq!(Grade::from_code("tot"), None);
        assert_eq!(Grade::Good.label(), "Hoàn thành tốt nhiệm vụ");
    }

    #[test]
    fn a_choice_is_empty_or_one_of_the_four() {
        assert_eq!(Grade::parse_choice(" ", "g", "G"), Ok(None));
        assert_eq!(Grade::parse_choice("good", "g", "G"), Ok(Some(Grade::Good)));
        let e = Grade::parse_choice("best", "g", "Xếp loại").unwrap_err();
        assert_eq!(e.field, "g");
        assert!(e.problem.contains("bốn mức"), "{}", e.problem);
    }

    #[test]
    fn subject_kinds_round_trip() {
        for k in [SubjectKind::Member, SubjectKind::Org] {
            assert_eq!(SubjectKind::from_code(k.code()), Some(k));
        }
        assert_eq!(SubjectKind::from_code("cell"), None);
    }

    #[test]
    fn years_run_from_2000_to_this_year() {
        assert_eq!(ClassYear::new(2018, 2026).unwrap().get(), 2018);
        assert_eq!(ClassYear::new(2026, 2026).unwrap().get(), 2026);
        let e = ClassYear::new(2027, 2026).unwrap_err();
        assert!(e.problem.contains("chưa đến"), "{}", e.problem);
        assert!(ClassYear::new(1999, 2026).is_err());
        assert!(ClassYear::new(70000, 2026).is_err());
        assert_eq!(ClassYear::clamped(3000, 2026).get(), 2026);
        assert_eq!(ClassYear::clamped(10, 2026).get(), 2000);
    }

    #[test]
    fn counts_add_up() {
        let c = GradeCounts::of([Grade::Excellent, Grade::Good, Grade::Good, Grade::Complete]);
        assert_eq!(
            (c.excellent, c.good, c.complete, c.not_complete),
            (1, 2, 1, 0)
        );
        assert_eq!(c.total(), 4);
        assert_eq!(c.good_or_better(), 3);
        assert_eq!(c.get(Grade::Good), 2);
    }
}
