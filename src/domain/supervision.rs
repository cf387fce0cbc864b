//! Supervision rounds and unannounced visits (docs/rules.md "Supervision
//! rounds and unannounced visits", "Introduction letter", "Visit report"):
//! when a visit may be seen by the visited cell, who may act on a round, the
//! letter's number and signature, and the report's template.

use super::ValidationError;
use super::authz::{Action, Decision};
use super::document::Quality;
use super::org::OrgKind;
use super::schedule::parse_time;
use super::time::parse_date;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A round's period, first and last day included.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Period {
    pub from: Date,
    pub to: Date,
}

/// A round lasts at most a year (Kim Sơn sent cadres monthly; a round is
/// planned per month, quarter or half year).
const MAX_DAYS: i32 = 366;

impl Period {
    pub fn parse(from: &str, to: &str) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let f = parse_date(from.trim());
        if f.is_none() {
            errors.push(ValidationError::new(
                "from",
                "Từ ngày",
                "không đúng định dạng dd/mm/yyyy",
            ));
        }
        let t = parse_date(to.trim());
        if t.is_none() {
            errors.push(ValidationError::new(
                "to",
                "Đến ngày",
                "không đúng định dạng dd/mm/yyyy",
            ));
        }
        let (Some(from), Some(to)) = (f, t) else {
            return Err(errors);
        };
        if to < from {
            return Err(vec![ValidationError::new(
                "to",
                "Đến ngày",
                "phải từ ngày bắt đầu trở đi",
            )]);
        }
        if (to - from).get_days() > MAX_DAYS {
            return Err(vec![ValidationError::new(
                "to",
                "Đến ngày",
                "một đợt dài nhiều nhất một năm",
            )]);
        }
        Ok(Period { from, to })
    }

    pub fn contains(&self, d: Date) -> bool {
        self.from <= d && d <= self.to
    }
}

/// Whether the visited meeting has taken place: recorded as held, or its
/// day is over and it was not cancelled. Until then the visit stays hidden
/// from the cell and the committees between (a cancelled meeting never
/// reveals it: the visit did not happen).
pub fn taken_place(status: &str, held_on: Date, today: Date) -> bool {
    match status {
        "held" => true,
        "cancelled" => false,
        _ => held_on < today,
    }
}

/// Who may act on a round or one of its visits: the round's planners (the
/// committee's staff, decided by `authz::decide` on the committee's node)
/// and, for `AttendMeeting` only, the cadre themself.
pub fn admit(planner: Decision, cadre: bool, action: Action) -> Decision {
    if action == Action::AttendMeeting && cadre {
        Decision::Allowed
    } else {
        planner
    }
}

/// Who may read a visit as the visited cell does (its cadre's name, its
/// report, its briefing): the planners and the cadre at any time, the
/// cell's readers once the meeting has taken place. Before that the answer
/// is `Hidden`, the same as for a visit that does not exist.
pub fn admit_cell(planner: Decision, cadre: bool, taken_place: bool, cell: Decision) -> Decision {
    if cadre || planner == Decision::Allowed {
        Decision::Allowed
    } else if taken_place {
        cell
    } else {
        Decision::Hidden
    }
}

/// The issuer symbol of a committee in a number ("HU" in "Số 12-GGT/HU").
pub fn issuer_code(kind: OrgKind) -> &'static str {
    match kind {
        OrgKind::Central => "TW",
        OrgKind::Province => "TU",
        OrgKind::District => "HU",
        OrgKind::Bloc => "ĐUK",
        OrgKind::BaseCommittee | OrgKind::PartialCommittee => "ĐU",
        OrgKind::BaseCell | OrgKind::Cell => "CB",
    }
}

/// The kind symbol of an introduction letter's number series.
pub const LETTER_KIND: &str = "GGT";

/// "Số 12-GGT/HU" (party style, Hướng dẫn 36-HD/VPTW).
pub fn letter_symbol(number: i64, kind: OrgKind) -> String {
    format!("Số {number:02}-{LETTER_KIND}/{}", issuer_code(kind))
}

/// The letter's signature lines: the office signs by order of the standing
/// committee ("T/L BAN THƯỜNG VỤ — CHÁNH VĂN PHÒNG") where the committee has
/// one (province, district, bloc); a base committee signs itself ("T/M
/// ĐẢNG ỦY — BÍ THƯ"). Common practice, not confirmed.
pub fn letter_signature(kind: OrgKind) -> (&'static str, &'static str) {
    match kind {
        OrgKind::Central | OrgKind::Province | OrgKind::District | OrgKind::Bloc => {
            ("T/L BAN THƯỜNG VỤ", "CHÁNH VĂN PHÒNG")
        }
        OrgKind::BaseCommittee | OrgKind::PartialCommittee => ("T/M ĐẢNG ỦY", "BÍ THƯ"),
        OrgKind::BaseCell | OrgKind::Cell => ("T/M CHI BỘ", "BÍ THƯ"),
    }
}

/// Whether the cell kept the procedure of a regular meeting.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Procedure {
    Followed,
    Partly,
    Not,
}

impl Procedure {
    pub const ALL: [Procedure; 3] = [Self::Followed, Self::Partly, Self::Not];

    pub fn code(self) -> &'static str {
        match self {
            Self::Followed => "followed",
            Self::Partly => "partly",
            Self::Not => "not",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Followed => "Đúng quy trình",
            Self::Partly => "Đúng một phần",
            Self::Not => "Không đúng quy trình",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// The visiting cadre's report, parsed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    pub on_time: bool,
    /// HH:MM the meeting started, as the cadre saw it.
    pub started_time: Option<String>,
    pub procedure: Procedure,
    pub present: i64,
    pub convened: i64,
    pub quality: Quality,
    /// What members raised, one item a line.
    pub raised: Vec<String>,
    pub fixes: String,
}

/// The report as typed (forms and API alike).
#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportInput {
    /// "yes" or "no" (forms), or true/false (API).
    #[schema(value_type = String)]
    pub on_time: serde_json::Value,
    /// HH:MM
    pub started_time: String,
    /// followed | partly | not
    pub procedure: String,
    pub present: String,
    pub convened: String,
    /// good | fair | average | weak
    pub quality: String,
    /// One item a line.
    pub raised: String,
    pub fixes: String,
}

/// At most this many raised items and characters a field.
const MAX_RAISED: usize = 100;
const MAX_TEXT: usize = 4000;

/// The items of a "what members raised" text: one a line, list marks and
/// blank lines dropped.
pub fn raised_lines(text: &str) -> Vec<String> {
    text.lines()
        .map(|l| l.trim().trim_start_matches(['-', '+', '•', '*']).trim())
        .filter(|l| !l.is_empty())
        .map(|l| l.chars().take(MAX_TEXT).collect())
        .collect()
}

fn count(s: &str, field: &'static str, label: &'static str) -> Result<i64, ValidationError> {
    s.trim()
        .parse::<i64>()
        .ok()
        .filter(|n| (0..=10_000).contains(n))
        .ok_or_else(|| ValidationError::new(field, label, "phải là một số từ 0"))
}

impl Report {
    pub fn parse(i: &ReportInput) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let on_time = match &i.on_time {
            serde_json::Value::Bool(b) => Some(*b),
            serde_json::Value::String(s) if s == "yes" || s == "true" => Some(true),
            serde_json::Value::String(s) if s == "no" || s == "false" => Some(false),
            _ => None,
        };
        if on_time.is_none() {
            errors.push(ValidationError::new(
                "on_time",
                "Đúng giờ",
                "phải chọn có hoặc không",
            ));
        }
        let started_time = match i.started_time.trim() {
            "" => None,
            s => match parse_time(s) {
                Some(t) => Some(format!("{:02}:{:02}", t.hour(), t.minute())),
                None => {
                    errors.push(ValidationError::new(
                        "started_time",
                        "Giờ bắt đầu",
                        "không đúng định dạng HH:MM",
                    ));
                    None
                }
            },
        };
        let procedure = Procedure::from_code(i.procedure.trim());
        if procedure.is_none() {
            errors.push(ValidationError::new(
                "procedure",
                "Quy trình",
                "phải chọn đúng, một phần hoặc không đúng",
            ));
        }
        let present = count(&i.present, "present", "Số có mặt")
            .map_err(|e| errors.push(e))
            .ok();
        let convened = count(&i.convened, "convened", "Số triệu tập")
            .map_err(|e| errors.push(e))
            .ok();
        if let (Some(p), Some(c)) = (present, convened)
            && p > c
        {
            errors.push(ValidationError::new(
                "present",
                "Số có mặt",
                "không được lớn hơn số triệu tập",
            ));
        }
        let quality = Quality::from_code(i.quality.trim());
        if quality.is_none() {
            errors.push(ValidationError::new(
                "quality",
                "Chất lượng nội dung",
                "phải chọn Tốt, Khá, Trung bình hoặc Kém",
            ));
        }
        let raised = raised_lines(&i.raised);
        if raised.len() > MAX_RAISED {
            errors.push(ValidationError::new(
                "raised",
                "Ý kiến, kiến nghị",
                format!("nhiều nhất {MAX_RAISED} dòng"),
            ));
        }
        let fixes = i.fixes.trim().to_string();
        if fixes.chars().count() > MAX_TEXT {
            errors.push(ValidationError::new(
                "fixes",
                "Cần khắc phục",
                format!("dài quá {MAX_TEXT} ký tự"),
            ));
        }
        match (on_time, procedure, present, convened, quality) {
            (Some(on_time), Some(procedure), Some(present), Some(convened), Some(quality))
                if errors.is_empty() =>
            {
                Ok(Report {
                    on_time,
                    started_time,
                    procedure,
                    present,
                    convened,
                    quality,
                    raised,
                    fixes,
                })
            }
            _ => Err(errors),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    // Kim Sơn (seed 003): attendance is unannounced; the visit shows once
    // the meeting has been held or its day is over, never for a cancelled one.
    #[test]
    fn a_visit_shows_once_the_meeting_took_place() {
        let day = date(2026, 12, 3);
        assert!(!taken_place("planned", day, day));
        assert!(taken_place("planned", day, date(2026, 12, 4)));
        assert!(taken_place("held", day, date(2026, 12, 1)));
        assert!(!taken_place("cancelled", day, date(2027, 1, 1)));
    }

    #[test]
    fn the_cell_reads_a_visit_only_afterwards() {
        use Decision::*;
        assert_eq!(admit_cell(Hidden, false, false, Allowed), Hidden);
        assert_eq!(admit_cell(Hidden, false, true, Allowed), Allowed);
        assert_eq!(admit_cell(Hidden, true, false, Hidden), Allowed);
        assert_eq!(admit_cell(Allowed, false, false, Hidden), Allowed);
        assert_eq!(admit(Hidden, true, Action::AttendMeeting), Allowed);
        assert_eq!(admit(Hidden, true, Action::PlanSupervision), Hidden);
    }

    // Hướng dẫn 36-HD/VPTW: number, hyphen, kind, slash, issuer.
    #[test]
    fn letter_numbers_in_party_style() {
        assert_eq!(letter_symbol(12, OrgKind::District), "Số 12-GGT/HU");
        assert_eq!(letter_symbol(3, OrgKind::BaseCommittee), "Số 03-GGT/ĐU");
        assert_eq!(letter_signature(OrgKind::District).0, "T/L BAN THƯỜNG VỤ");
    }

    #[test]
    fn periods_are_ordered_and_bounded() {
        let p = Period::parse("01/12/2026", "31/12/2026").expect("period");
        assert!(p.contains(date(2026, 12, 3)));
        assert!(!p.contains(date(2027, 1, 1)));
        assert_eq!(
            Period::parse("31/12/2026", "01/12/2026").unwrap_err()[0].field,
            "to"
        );
        assert_eq!(
            Period::parse("01/01/2026", "01/06/2027").unwrap_err()[0].field,
            "to"
        );
        assert_eq!(
            Period::parse("x", "01/06/2027").unwrap_err()[0].field,
            "from"
        );
    }

    #[test]
    fn raised_items_are_one_a_line() {
        assert_eq!(
            raised_lines("- Cấp giấy chứng nhận đất\n\n  + Khai thác cát trái phép  \n"),
            ["Cấp giấy chứng nhận đất", "Khai thác cát trái phép"]
        );
    }

    #[test]
    fn a_report_names_what_is_wrong() {
        let input = ReportInput {
            on_time: serde_json::json!("yes"),
            started_time: "19:35".into(),
            procedure: "partly".into(),
            present: "12".into(),
            convened: "10".into(),
            quality: "good".into(),
            ..Default::default()
        };
        let e = Report::parse(&input).unwrap_err();
        assert_eq!(e.len(), 1);
        assert_eq!(
            e[0].to_string(),
            "Số có mặt: không được lớn hơn số triệu tập"
        );
        let ok = Report::parse(&ReportInput {
            present: "9".into(),
            ..input
        })
        .expect("report");
        assert_eq!(ok.procedure, Procedure::Partly);
        assert_eq!(ok.started_time.as_deref(), Some("19:35"));
    }
}
