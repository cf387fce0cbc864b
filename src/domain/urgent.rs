//! Urgent issues (việc cấp bách): what a base organization registers to solve
//! in a year, its monthly progress, and the upper level's assessment
//! (docs/rules.md "Urgent issues (việc cấp bách)").

use super::ValidationError;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// The longest title, field or target we keep (a line on a phone, not an essay).
const MAX_TEXT: usize = 500;

/// A year issues are registered for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct IssueYear(i16);

impl IssueYear {
    pub fn new(year: i64) -> Result<Self, ValidationError> {
        match i16::try_from(year) {
            Ok(y) if (2000..=2100).contains(&y) => Ok(IssueYear(y)),
            _ => Err(ValidationError::new(
                "year",
                "Năm",
                "phải là năm từ 2000 đến 2100",
            )),
        }
    }

    /// The nearest valid year: for a page asked about any year.
    pub fn clamped(year: i64) -> Self {
        IssueYear(i16::try_from(year.clamp(2000, 2100)).unwrap_or(2000))
    }

    pub fn get(self) -> i16 {
        self.0
    }
}

/// Where an issue stands, from its latest monthly report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Progress {
    /// Chưa triển khai.
    NotStarted,
    /// Đang thực hiện.
    InProgress,
    /// Hoàn thành.
    Done,
}

impl Progress {
    pub const ALL: [Self; 3] = [Self::NotStarted, Self::InProgress, Self::Done];

    pub fn code(self) -> &'static str {
        match self {
            Self::NotStarted => "not_started",
            Self::InProgress => "in_progress",
            Self::Done => "done",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::NotStarted => "Chưa triển khai",
            Self::InProgress => "Đang thực hiện",
            Self::Done => "Hoàn thành",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

/// The upper level's judgement of an issue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Assessment {
    /// Hoàn thành tốt.
    Good,
    /// Hoàn thành.
    Done,
    /// Không hoàn thành.
    NotDone,
}

impl Assessment {
    pub const ALL: [Self; 3] = [Self::Good, Self::Done, Self::NotDone];

    pub fn code(self) -> &'static str {
        match self {
            Self::Good => "good",
            Self::Done => "done",
            Self::NotDone => "not_done",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Good => "Hoàn thành tốt",
            Self::Done => "Hoàn thành",
            Self::NotDone => "Không hoàn thành",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

fn text(
    errors: &mut Vec<ValidationError>,
    field: &'static str,
    label: &'static str,
    value: &str,
    required: bool,
) {
    if required && value.trim().is_empty() {
        errors.push(ValidationError::new(field, label, "không được để trống"));
    } else if value.chars().count() > MAX_TEXT {
        errors.push(ValidationError::new(
            field,
            label,
            format!("dài quá {MAX_TEXT} ký tự"),
        ));
    }
}

/// An issue as registered: a title, its field, the result expected, and a
/// deadline inside the year it is registered for.
pub fn check_issue(
    year: IssueYear,
    title: &str,
    field: &str,
    target: &str,
    deadline: Option<Date>,
) -> Result<Option<Date>, Vec<ValidationError>> {
    let mut errors = Vec::new();
    text(&mut errors, "title", "Tên việc cấp bách", title, true);
    text(&mut errors, "field", "Lĩnh vực", field, true);
    text(&mut errors, "target", "Kết quả cần đạt", target, true);
    if let Some(d) = deadline
        && d.year() != year.get()
    {
        errors.push(ValidationError::new(
            "deadline",
            "Thời hạn hoàn thành",
            format!("phải trong năm {}", year.get()),
        ));
    }
    if errors.is_empty() {
        Ok(deadline)
    } else {
        Err(errors)
    }
}

/// A monthly report, as checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub month: i8,
    pub status: Progress,
    pub percent: Option<i16>,
}

/// A month's report: a month of the issue's year that has begun, what was
/// done, a status, and a percentage that agrees with it (nothing done when
/// not started, 100 when done).
pub fn check_report(
    year: IssueYear,
    month: i64,
    body: &str,
    status: Option<Progress>,
    percent: Option<i64>,
    today: Date,
) -> Result<Report, Vec<ValidationError>> {
    let mut errors = Vec::new();
    let month = match i8::try_from(month) {
        Ok(m) if (1..=12).contains(&m) => Some(m),
        _ => {
            errors.push(ValidationError::new("month", "Tháng", "phải từ 1 đến 12"));
            None
        }
    };
    if let Some(m) = month
        && (year.get(), m) > (today.year(), today.month())
    {
        errors.push(ValidationError::new(
            "month",
            "Tháng",
            "chưa đến tháng này, chưa báo cáo được",
        ));
    }
    text(&mut errors, "body", "Kết quả thực hiện", body, true);
    let percent = match percent {
        None => None,
        Some(p) if (0..=100).contains(&p) => i16::try_from(p).ok(),
        Some(_) => {
            errors.push(ValidationError::new(
                "percent",
                "Tỷ lệ hoàn thành",
                "phải từ 0 đến 100 (%)",
            ));
            None
        }
    };
    match (status, percent) {
        (None, _) => errors.push(ValidationError::new(
            "status",
            "Tình trạng",
            "phải chọn chưa triển khai, đang thực hiện hoặc hoàn thành",
        )),
        (Some(Progress::NotStarted), Some(p)) if p > 0 => errors.push(ValidationError::new(
            "percent",
            "Tỷ lệ hoàn thành",
            "việc chưa triển khai thì tỷ lệ là 0%",
        )),
        (Some(Progress::Done), Some(p)) if p < 100 => errors.push(ValidationError::new(
            "percent",
            "Tỷ lệ hoàn thành",
            "việc đã hoàn thành thì tỷ lệ là 100%",
        )),
        (Some(Progress::InProgress), Some(100)) => errors.push(ValidationError::new(
            "percent",
            "Tỷ lệ hoàn thành",
            "đạt 100% thì chọn tình trạng hoàn thành",
        )),
        _ => {}
    }
    match (month, status) {
        (Some(month), Some(status)) if errors.is_empty() => Ok(Report {
            month,
            status,
            percent: match status {
                Progress::Done => Some(100),
                Progress::NotStarted => Some(0),
                Progress::InProgress => percent,
            },
        }),
        _ => Err(errors),
    }
}

/// The upper level's assessment: a grade, and a comment saying why when the
/// issue was not done.
pub fn check_assessment(
    grade: Option<Assessment>,
    comment: &str,
) -> Result<Assessment, Vec<ValidationError>> {
    let mut errors = Vec::new();
    text(&mut errors, "comment", "Nhận xét", comment, false);
    let Some(grade) = grade else {
        errors.push(ValidationError::new(
            "grade",
            "Đánh giá",
            "phải chọn hoàn thành tốt, hoàn thành hoặc không hoàn thành",
        ));
        return Err(errors);
    };
    if grade == Assessment::NotDone && comment.trim().is_empty() {
        errors.push(ValidationError::new(
            "comment",
            "Nhận xét",
            "phải nêu lý do không hoàn thành",
        ));
    }
    if errors.is_empty() {
        Ok(grade)
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn y2018() -> IssueYear {
        IssueYear::new(2018).expect("year")
    }

    #[test]
    fn years() {
        assert_eq!(y2018().get(), 2018);
        assert_eq!(IssueYear::clamped(1990).get(), 2000);
        assert_eq!(IssueYear::clamped(99999).get(), 2100);
        for bad in [1999, 2101, 70000] {
            assert_eq!(IssueYear::new(bad).expect_err("bad").field, "year");
        }
    }

    // docs/rules.md "Urgent issues": an issue is registered for one year and
    // its deadline falls inside that year (seed 003, Kim Sơn 2018).
    #[test]
    fn an_issue_has_a_title_a_field_a_target_and_a_deadline_in_its_year() {
        let ok = check_issue(
            y2018(),
            "Xử lý rác thải",
            "Môi trường",
            "100% thôn có điểm tập kết",
            Some(date(2018, 12, 31)),
        );
        assert_eq!(ok.expect("ok"), Some(date(2018, 12, 31)));
        let e = check_issue(y2018(), "x", "y", "z", Some(date(2019, 1, 1))).expect_err("year");
        assert_eq!(e[0].field, "deadline");
        assert!(e[0].problem.contains("2018"));
        let e = check_issue(y2018(), " ", "", "", None).expect_err("empty");
        let fields: Vec<&str> = e.iter().map(|e| e.field).collect();
        assert_eq!(fields, ["title", "field", "target"]);
        let long = "a".repeat(501);
        assert!(check_issue(y2018(), &long, "y", "z", None).is_err());
    }

    #[test]
    fn a_report_agrees_with_its_status() {
        let today = date(2018, 6, 15);
        let r = check_report(
            y2018(),
            5,
            "Đã khảo sát",
            Some(Progress::InProgress),
            Some(40),
            today,
        )
        .expect("ok");
        assert_eq!((r.month, r.percent), (5, Some(40)));
        let done = check_report(y2018(), 6, "Xong", Some(Progress::Done), None, today);
        assert_eq!(done.expect("done").percent, Some(100));
        let e = check_report(y2018(), 7, "x", Some(Progress::InProgress), None, today)
            .expect_err("future month");
        assert_eq!(e[0].field, "month");
        let e = check_report(y2018(), 13, "x", Some(Progress::InProgress), None, today)
            .expect_err("month 13");
        assert_eq!(e[0].field, "month");
        let e = check_report(y2018(), 3, "x", Some(Progress::Done), Some(80), today)
            .expect_err("done at 80%");
        assert_eq!(e[0].field, "percent");
        let e = check_report(y2018(), 3, "x", Some(Progress::NotStarted), Some(10), today)
            .expect_err("not started at 10%");
        assert_eq!(e[0].field, "percent");
        let e = check_report(
            y2018(),
            3,
            "x",
            Some(Progress::InProgress),
            Some(100),
            today,
        )
        .expect_err("100% in progress");
        assert_eq!(e[0].field, "percent");
        let e = check_report(y2018(), 3, "", None, Some(101), today).expect_err("all wrong");
        assert_eq!(e.len(), 3);
    }

    #[test]
    fn not_done_needs_a_reason() {
        assert_eq!(
            check_assessment(Some(Assessment::Good), "").expect("good"),
            Assessment::Good
        );
        let e = check_assessment(Some(Assessment::NotDone), " ").expect_err("no reason");
        assert_eq!(e[0].field, "comment");
        assert_eq!(
            check_assessment(None, "").expect_err("none")[0].field,
            "grade"
        );
        for a in Assessment::ALL {
            assert_eq!(Assessment::from_code(a.code()), Some(a));
        }
        for p in Progress::ALL {
            assert_eq!(Progress::from_code(p.code()), Some(p));
        }
    }
}
