//! The period a dashboard covers: a year, or a range of its months.

use crate::domain::ValidationError;
use jiff::civil::{Date, date};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, utoipa::ToSchema)]
pub struct Period {
    pub year: i16,
    /// 1–12, at most `to_month`.
    pub from_month: i8,
    pub to_month: i8,
}

impl Period {
    pub fn year(year: i16) -> Self {
        Period {
            year,
            from_month: 1,
            to_month: 12,
        }
    }

    /// From a form or query string: empty fields mean the whole of
    /// `default_year`. Every problem is reported, each naming its field.
    pub fn parse(
        year: &str,
        from: &str,
        to: &str,
        default_year: i16,
    ) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let year = match year.trim() {
            "" => Some(default_year),
            y => match y.parse::<i16>() {
                Ok(y) if (2000..=2100).contains(&y) => Some(y),
                _ => {
                    errors.push(ValidationError::new(
                        "year",
                        "Năm",
                        "phải là một năm từ 2000 đến 2100",
                    ));
                    None
                }
            },
        };
        let mut month =
            |text: &str, default: i8, field: &'static str, label: &'static str| match text.trim() {
                "" => Some(default),
                m => match m.parse::<i8>() {
                    Ok(m) if (1..=12).contains(&m) => Some(m),
                    _ => {
                        errors.push(ValidationError::new(
                            field,
                            label,
                            "phải là một tháng từ 1 đến 12",
                        ));
                        None
                    }
                },
            };
        let from_month = month(from, 1, "from_month", "Từ tháng");
        let to_month = month(to, 12, "to_month", "Đến tháng");
        if let (Some(f), Some(t)) = (from_month, to_month)
            && f > t
        {
            errors.push(ValidationError::new(
                "to_month",
                "Đến tháng",
                format!("phải từ tháng {f} trở đi"),
            ));
        }
        match (year, from_month, to_month) {
            (Some(year), Some(from_month), Some(to_month)) if errors.is_empty() => Ok(Period {
                year,
                from_month,
                to_month,
            }),
            _ => Err(errors),
        }
    }

    pub fn is_whole_year(&self) -> bool {
        self.from_month == 1 && self.to_month == 12
    }

    pub fn months(&self) -> std::ops::RangeInclusive<i8> {
        self.from_month..=self.to_month
    }

    pub fn first_day(&self) -> Date {
        date(self.year, self.from_month, 1)
    }

    pub fn last_day(&self) -> Date {
        date(self.year, self.to_month, 1).last_of_month()
    }

    /// "năm 2026", "tháng 3 năm 2026", "tháng 3–6 năm 2026".
    pub fn label(&self) -> String {
        if self.is_whole_year() {
            format!("năm {}", self.year)
        } else if self.from_month == self.to_month {
            format!("tháng {} năm {}", self.from_month, self.year)
        } else {
            format!(
                "tháng {}–{} năm {}",
                self.from_month, self.to_month, self.year
            )
        }
    }

    /// The query string that selects this period again.
    pub fn query(&self) -> String {
        format!(
            "year={}&from_month={}&to_month={}",
            self.year, self.from_month, self.to_month
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_fields_mean_the_whole_default_year() {
        let p = Period::parse("", "", "", 2026).unwrap();
        assert_eq!(p, Period::year(2026));
        assert!(p.is_whole_year());
        assert_eq!(p.first_day(), date(2026, 1, 1));
        assert_eq!(p.last_day(), date(2026, 12, 31));
        assert_eq!(p.label(), "năm 2026");
    }

    #[test]
    fn a_month_range_has_its_bounds_and_label() {
        let p = Period::parse("2024", "2", " 2 ", 2026).unwrap();
        assert_eq!(p.last_day(), date(2024, 2, 29));
        assert_eq!(p.label(), "tháng 2 năm 2024");
        let q = Period::parse("2018", "3", "6", 2026).unwrap();
        assert_eq!(q.months().count(), 4);
        assert_eq!(q.label(), "tháng 3–6 năm 2018");
        assert_eq!(q.query(), "year=2018&from_month=3&to_month=6");
    }

    #[test]
    fn every_bad_field_is_named_in_vietnamese() {
        let e = Period::parse("1999", "0", "13", 2026).unwrap_err();
        let fields: Vec<_> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["year", "from_month", "to_month"]);
        assert_eq!(e[1].to_string(), "Từ tháng: phải là một tháng từ 1 đến 12");
        let r = Period::parse("2026", "7", "3", 2026).unwrap_err();
        assert_eq!(r[0].to_string(), "Đến tháng: phải từ tháng 7 trở đi");
        assert!(Period::parse("abc", "", "", 2026).is_err());
    }
}
