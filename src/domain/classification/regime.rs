//! The regime a year's round runs under (docs/rules.md "Classification
//! regimes by year"): versioned data with its regulation and the years it
//! applies to, loaded from `classification_regime`.

use super::Grade;
use super::quota::Quota;
use crate::domain::ValidationError;

/// The 100-point bands a regime grades members by (366-QĐ/TW). Not
/// confirmed against the text: configuration, shown with its note.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScoreBands {
    pub excellent: i64,
    pub good: i64,
    pub complete: i64,
    pub note: String,
}

impl ScoreBands {
    /// The best grade a score allows.
    pub fn grade_for(&self, score: i64) -> Grade {
        if score >= self.excellent {
            Grade::Excellent
        } else if score >= self.good {
            Grade::Good
        } else if score >= self.complete {
            Grade::Complete
        } else {
            Grade::NotComplete
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Regime {
    pub code: String,
    pub name: String,
    /// The issuing documents, numbers and dates.
    pub document: String,
    pub first_year: i16,
    pub last_year: Option<i16>,
    /// Members are scored out of 100 (366-QĐ/TW).
    pub bands: Option<ScoreBands>,
    pub quota: Quota,
}

impl Regime {
    pub fn applies_to(&self, year: i16) -> bool {
        year >= self.first_year && self.last_year.is_none_or(|l| year <= l)
    }

    pub fn uses_score(&self) -> bool {
        self.bands.is_some()
    }

    /// A member's score and grade under this regime: a score is required
    /// where the regime scores (0–100, and the grade may not be better than
    /// the score's band — the quota may still lower it), and refused where
    /// it does not.
    pub fn check_score(
        &self,
        score: Option<i64>,
        grade: Grade,
        field: &'static str,
    ) -> Result<Option<i64>, ValidationError> {
        match (&self.bands, score) {
            (None, None) => Ok(None),
            (None, Some(_)) => Err(ValidationError::new(
                field,
                "Điểm",
                format!("{} không chấm điểm theo thang 100", self.name),
            )),
            (Some(_), None) => Err(ValidationError::new(
                field,
                "Điểm",
                format!("bắt buộc theo {} (thang 100 điểm)", self.name),
            )),
            (Some(_), Some(s)) if !(0..=100).contains(&s) => {
                Err(ValidationError::new(field, "Điểm", "phải từ 0 đến 100"))
            }
            (Some(b), Some(s)) => {
                let best = b.grade_for(s);
                if grade < best {
                    Err(ValidationError::new(
                        field,
                        "Điểm",
                        format!(
                            "{s} điểm chỉ cho phép xếp loại từ \"{}\" trở xuống, không thể \"{}\"",
                            best.label(),
                            grade.label()
                        ),
                    ))
                } else {
                    Ok(Some(s))
                }
            }
        }
    }
}

/// The regime of `year`. Rounds before the first regime chibo holds (2018,
/// 132-QĐ/TW) are refused rather than judged by a later rule.
pub fn for_year(regimes: &[Regime], year: i16) -> Result<&Regime, ValidationError> {
    regimes.iter().find(|r| r.applies_to(year)).ok_or_else(|| {
        let first = regimes.iter().map(|r| r.first_year).min();
        ValidationError::new(
            "year",
            "Năm",
            match first {
                Some(f) if year < f => format!(
                    "chưa có quy định xếp loại chất lượng cho năm {year}: chibo xếp loại từ năm {f}"
                ),
                _ => format!("chưa có quy định xếp loại chất lượng cho năm {year}"),
            },
        )
    })
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    pub fn quota() -> Quota {
        Quota {
            percent: 20,
            source: "Hướng dẫn 16-HD/BTCTW".into(),
            members: true,
            base_orgs: true,
            cells: false,
        }
    }

    /// The three regimes of migration 0019.
    pub fn regimes() -> Vec<Regime> {
        let r = |code: &str, first, last, bands| Regime {
            code: code.into(),
            name: code.into(),
            document: code.into(),
            first_year: first,
            last_year: last,
            bands,
            quota: quota(),
        };
        vec![
            r("qd132", 2018, Some(2022), None),
            r("qd124", 2023, Some(2024), None),
            r(
                "qd366",
                2025,
                None,
                Some(ScoreBands {
                    excellent: 90,
                    good: 70,
                    complete: 50,
                    note: "chưa đối chiếu".into(),
                }),
            ),
        ]
    }

    #[test]
    fn each_year_has_its_regime() {
        let rs = regimes();
        let code = |y| for_year(&rs, y).map(|r| r.code.as_str());
        assert_eq!(code(2018), Ok("qd132"));
        assert_eq!(code(2022), Ok("qd132"));
        assert_eq!(code(2023), Ok("qd124"));
        assert_eq!(code(2024), Ok("qd124"));
        assert_eq!(code(2025), Ok("qd366"));
        assert_eq!(code(2040), Ok("qd366"));
        let e = for_year(&rs, 2017).unwrap_err();
        assert_eq!(e.field, "year");
        assert!(e.problem.contains("từ năm 2018"), "{}", e.problem);
        assert!(for_year(&[], 2020).is_err());
    }

    #[test]
    fn bands_grade_scores() {
        let rs = regimes();
        let b = rs[2].bands.as_ref().unwrap();
        assert_eq!(b.grade_for(100), Grade::Excellent);
        assert_eq!(b.grade_for(90), Grade::Excellent);
        assert_eq!(b.grade_for(89), Grade::Good);
        assert_eq!(b.grade_for(70), Grade::Good);
        assert_eq!(b.grade_for(69), Grade::Complete);
        assert_eq!(b.grade_for(50), Grade::Complete);
        assert_eq!(b.grade_for(49), Grade::NotComplete);
        assert_eq!(b.grade_for(0), Grade::NotComplete);
    }

    #[test]
    fn scores_only_where_the_regime_scores() {
        let rs = regimes();
        let (old, new) = (&rs[0], &rs[2]);
        assert!(!old.uses_score() && new.uses_score());
        assert_eq!(old.check_score(None, Grade::Good, "s"), Ok(None));
        assert!(old.check_score(Some(80), Grade::Good, "s").is_err());
        let e = new.check_score(None, Grade::Good, "s").unwrap_err();
        assert!(e.problem.contains("bắt buộc"), "{}", e.problem);
        assert!(new.check_score(Some(101), Grade::Good, "s").is_err());
        assert!(new.check_score(Some(-1), Grade::Complete, "s").is_err());
        assert_eq!(
            new.check_score(Some(92), Grade::Excellent, "s"),
            Ok(Some(92))
        );
        // The quota may lower a grade below the score's band, never raise it.
        assert_eq!(new.check_score(Some(92), Grade::Good, "s"), Ok(Some(92)));
        let e = new
            .check_score(Some(85), Grade::Excellent, "s")
            .unwrap_err();
        assert!(e.problem.contains("85 điểm"), "{}", e.problem);
    }
}
