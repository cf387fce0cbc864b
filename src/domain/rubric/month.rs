//! A month scored, "YYYY-MM".

use crate::domain::ValidationError;
use jiff::civil::Date;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ScoreMonth {
    year: i16,
    month: i8,
}

impl ScoreMonth {
    pub fn new(year: i16, month: i8) -> Result<Self, ValidationError> {
        if (2000..=2100).contains(&year) && (1..=12).contains(&month) {
            Ok(ScoreMonth { year, month })
        } else {
            Err(Self::error())
        }
    }

    fn error() -> ValidationError {
        ValidationError::new("month", "Tháng", "phải có dạng YYYY-MM (ví dụ 2018-01)")
    }

    /// "2018-01" or "01/2018".
    pub fn parse(s: &str) -> Result<Self, ValidationError> {
        let s = s.trim();
        let (y, m) = if let Some((a, b)) = s.split_once('-') {
            (a, b)
        } else if let Some((a, b)) = s.split_once('/') {
            (b, a)
        } else {
            return Err(Self::error());
        };
        match (y.parse(), m.parse()) {
            (Ok(y), Ok(m)) => Self::new(y, m),
            _ => Err(Self::error()),
        }
    }

    pub fn of(d: Date) -> Self {
        ScoreMonth {
            year: d.year(),
            month: d.month(),
        }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    pub fn month(self) -> i8 {
        self.month
    }

    pub fn first_day(self) -> Date {
        jiff::civil::date(self.year, self.month, 1)
    }

    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    pub fn previous(self) -> Self {
        if self.month == 1 {
            ScoreMonth {
                year: self.year - 1,
                month: 12,
            }
        } else {
            ScoreMonth {
                year: self.year,
                month: self.month - 1,
            }
        }
    }

    pub fn next(self) -> Self {
        if self.month == 12 {
            ScoreMonth {
                year: self.year + 1,
                month: 1,
            }
        } else {
            ScoreMonth {
                year: self.year,
                month: self.month + 1,
            }
        }
    }

    /// "2018-01", as stored.
    pub fn code(self) -> String {
        format!("{:04}-{:02}", self.year, self.month)
    }

    /// "01/2018", as shown.
    pub fn label(self) -> String {
        format!("{:02}/{:04}", self.month, self.year)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let m = ScoreMonth::parse("2018-01").unwrap();
        assert_eq!((m.year(), m.month()), (2018, 1));
        assert_eq!(ScoreMonth::parse(" 12/2018 ").unwrap().code(), "2018-12");
        assert_eq!(m.label(), "01/2018");
        assert_eq!(m.previous().code(), "2017-12");
        assert_eq!(m.previous().next(), m);
        assert_eq!(m.last_day(), jiff::civil::date(2018, 1, 31));
        for bad in ["2018", "2018-13", "x-1", "1999-05", ""] {
            assert_eq!(
                ScoreMonth::parse(bad).unwrap_err().to_string(),
                "Tháng: phải có dạng YYYY-MM (ví dụ 2018-01)"
            );
        }
    }
}
