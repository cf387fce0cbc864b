//! Recommendations (*kiến nghị*) a cell carries up to the level that can
//! answer them, and the answer carried back down (docs/rules.md
//! "Recommendations (kiến nghị)").
//!
//! raised → sent (routed to a committee above the cell) → assigned → answered
//! → reported back (at one of the cell's meetings); an open recommendation may
//! instead be closed without an answer, with the reason.

use super::ValidationError;
use super::ids::OrgId;
use super::text::clean;
use jiff::civil::Date;

/// What a recommendation is about (the topics of the Đức Thọ practice).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Topic {
    Land,
    SiteClearance,
    SandMining,
    LandCertificates,
    NewRural,
    SocialPolicy,
    Security,
    Other,
}

impl Topic {
    pub const ALL: [Topic; 8] = [
        Self::Land,
        Self::SiteClearance,
        Self::SandMining,
        Self::LandCertificates,
        Self::NewRural,
        Self::SocialPolicy,
        Self::Security,
        Self::Other,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Land => "land",
            Self::SiteClearance => "site_clearance",
            Self::SandMining => "sand_mining",
            Self::LandCertificates => "land_certificates",
            Self::NewRural => "new_rural",
            Self::SocialPolicy => "social_policy",
            Self::Security => "security",
            Self::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Land => "Đất đai",
            Self::SiteClearance => "Giải phóng mặt bằng",
            Self::SandMining => "Khai thác cát trái phép",
            Self::LandCertificates => "Cấp giấy chứng nhận quyền sử dụng đất",
            Self::NewRural => "Nông thôn mới",
            Self::SocialPolicy => "Chính sách xã hội",
            Self::Security => "An ninh, trật tự",
            Self::Other => "Khác",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|t| t.code() == code)
    }

    pub fn parse(code: &str) -> Result<Self, ValidationError> {
        Self::from_code(code.trim())
            .ok_or_else(|| ValidationError::new("topic", "Lĩnh vực", "phải chọn một lĩnh vực"))
    }
}

/// Where a recommendation comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// Raised at a meeting of the cell (from its minutes).
    Meeting,
    /// Raised by the cell outside a meeting.
    Cell,
    /// Gathered by an upper-level cadre who attended the cell's meeting.
    Visit,
}

impl Source {
    pub const ALL: [Source; 3] = [Self::Meeting, Self::Cell, Self::Visit];

    pub fn code(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::Cell => "cell",
            Self::Visit => "visit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Meeting => "Nêu tại kỳ sinh hoạt",
            Self::Cell => "Chi bộ kiến nghị",
            Self::Visit => "Cán bộ cấp trên dự sinh hoạt ghi nhận",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Status {
    Raised,
    Sent,
    Assigned,
    Answered,
    Reported,
    Closed,
}

impl Status {
    pub const ALL: [Status; 6] = [
        Self::Raised,
        Self::Sent,
        Self::Assigned,
        Self::Answered,
        Self::Reported,
        Self::Closed,
    ];

    /// The statuses still waiting for an answer.
    pub const OPEN: [Status; 3] = [Self::Raised, Self::Sent, Self::Assigned];

    pub fn code(self) -> &'static str {
        match self {
            Self::Raised => "raised",
            Self::Sent => "sent",
            Self::Assigned => "assigned",
            Self::Answered => "answered",
            Self::Reported => "reported",
            Self::Closed => "closed",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Raised => "Mới nêu",
            Self::Sent => "Đã chuyển cấp trên",
            Self::Assigned => "Đã giao giải quyết",
            Self::Answered => "Đã trả lời",
            Self::Reported => "Đã thông báo lại chi bộ",
            Self::Closed => "Đóng, không trả lời",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.code() == code)
    }

    pub fn is_open(self) -> bool {
        Self::OPEN.contains(&self)
    }
}

/// Why a step was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// The inputs are wrong (422).
    Invalid(Vec<ValidationError>),
    /// The recommendation is not in a status this step starts from (409).
    Status(String),
}

impl From<ValidationError> for Refusal {
    fn from(e: ValidationError) -> Self {
        Refusal::Invalid(vec![e])
    }
}

/// What the steps look at.
#[derive(Debug, Clone, Copy)]
pub struct Facts {
    pub status: Status,
    pub level: Option<OrgId>,
    pub raised_on: Date,
    pub answered_on: Option<Date>,
}

fn expect(facts: &Facts, from: &[Status], step: &str) -> Result<(), Refusal> {
    if from.contains(&facts.status) {
        Ok(())
    } else {
        Err(Refusal::Status(format!(
            "kiến nghị đang ở trạng thái «{}», không thể {step}",
            facts.status.label()
        )))
    }
}

const MAX_TEXT: usize = 2000;

fn text(
    field: &'static str,
    label: &'static str,
    input: &str,
    empty: &'static str,
) -> Result<String, ValidationError> {
    let t = clean(input);
    if t.is_empty() {
        return Err(ValidationError::new(field, label, empty));
    }
    if t.chars().count() > MAX_TEXT {
        return Err(ValidationError::new(
            field,
            label,
            format!("dài quá {MAX_TEXT} ký tự"),
        ));
    }
    Ok(t)
}

/// The content of a recommendation, NFC with collapsed spaces.
pub fn content(input: &str) -> Result<String, ValidationError> {
    text("content", "Nội dung kiến nghị", input, "phải ghi nội dung")
}

/// The recommendations written one a line (the meeting page's box): blank
/// lines and list marks dropped.
pub fn lines(input: &str) -> Vec<String> {
    input
        .lines()
        .map(|l| l.trim().trim_start_matches(['-', '•', '+', '*']).trim())
        .filter(|l| !l.is_empty())
        .map(str::to_string)
        .collect()
}

/// Send it to `to`, a committee above the cell (`above` lists the cell's
/// ancestors, nearest first), and above the level now handling it: a level
/// that cannot answer passes it further up, never down.
pub fn route(facts: &Facts, above: &[OrgId], to: OrgId) -> Result<(), Refusal> {
    expect(facts, &Status::OPEN, "chuyển lên cấp trên")?;
    let Some(pos) = above.iter().position(|o| *o == to) else {
        return Err(ValidationError::new(
            "level",
            "Cấp nhận",
            "phải là một cấp ủy cấp trên của chi bộ",
        )
        .into());
    };
    if let Some(cur) = facts.level {
        let cur_pos = above.iter().position(|o| *o == cur);
        if cur_pos.is_some_and(|c| pos <= c) {
            return Err(ValidationError::new(
                "level",
                "Cấp nhận",
                "phải là cấp cao hơn cấp đang giải quyết",
            )
            .into());
        }
    }
    Ok(())
}

/// Give it to a unit or person at the level (free text: "UBND xã", "Văn
/// phòng Huyện ủy", a cadre's name) with a deadline no earlier than it was
/// raised. Returns the cleaned assignee.
pub fn assign(facts: &Facts, assignee: &str, deadline: Option<Date>) -> Result<String, Refusal> {
    expect(facts, &[Status::Sent, Status::Assigned], "giao giải quyết")?;
    let mut errors = Vec::new();
    let who = text(
        "assignee",
        "Đơn vị, người giải quyết",
        assignee,
        "phải ghi đơn vị hoặc người giải quyết",
    )
    .map_err(|e| errors.push(e))
    .ok();
    match deadline {
        None => errors.push(ValidationError::new(
            "deadline",
            "Hạn trả lời",
            "phải ghi ngày, dạng dd/mm/yyyy",
        )),
        Some(d) if d < facts.raised_on => errors.push(ValidationError::new(
            "deadline",
            "Hạn trả lời",
            "không được trước ngày nêu kiến nghị",
        )),
        Some(_) => {}
    }
    match who {
        Some(w) if errors.is_empty() => Ok(w),
        _ => Err(Refusal::Invalid(errors)),
    }
}

/// Record the answer given on `on` (not after `today`, not before it was
/// raised). Returns the cleaned answer.
pub fn answer(
    facts: &Facts,
    answer: &str,
    on: Option<Date>,
    today: Date,
) -> Result<String, Refusal> {
    expect(facts, &[Status::Sent, Status::Assigned], "ghi trả lời")?;
    let mut errors = Vec::new();
    let text = text(
        "answer",
        "Nội dung trả lời",
        answer,
        "phải ghi nội dung trả lời",
    )
    .map_err(|e| errors.push(e))
    .ok();
    match on {
        None => errors.push(ValidationError::new(
            "answered_on",
            "Ngày trả lời",
            "phải ghi ngày, dạng dd/mm/yyyy",
        )),
        Some(d) if d > today => errors.push(ValidationError::new(
            "answered_on",
            "Ngày trả lời",
            "không được sau hôm nay",
        )),
        Some(d) if d < facts.raised_on => errors.push(ValidationError::new(
            "answered_on",
            "Ngày trả lời",
            "không được trước ngày nêu kiến nghị",
        )),
        Some(_) => {}
    }
    match text {
        Some(t) if errors.is_empty() => Ok(t),
        _ => Err(Refusal::Invalid(errors)),
    }
}

/// The answer was read out at the cell's meeting held on `held_on`, which
/// must not be before the answer came.
pub fn report(facts: &Facts, held_on: Date) -> Result<(), Refusal> {
    expect(facts, &[Status::Answered], "ghi đã thông báo")?;
    if facts.answered_on.is_some_and(|a| held_on < a) {
        return Err(ValidationError::new(
            "meeting",
            "Kỳ sinh hoạt",
            "phải họp từ ngày có trả lời trở đi",
        )
        .into());
    }
    Ok(())
}

/// Close it without an answer (withdrawn, merged into another, outside any
/// committee's remit), saying why. Returns the cleaned reason.
pub fn close(facts: &Facts, reason: &str) -> Result<String, Refusal> {
    expect(facts, &Status::OPEN, "đóng")?;
    Ok(text("reason", "Lý do đóng", reason, "phải ghi lý do")?)
}

/// Past its deadline and still without an answer.
pub fn is_overdue(status: Status, deadline: Option<Date>, today: Date) -> bool {
    status.is_open() && deadline.is_some_and(|d| d < today)
}

/// 1–4.
pub fn quarter_of(date: Date) -> i8 {
    (date.month() - 1) / 3 + 1
}

/// The first and last day of a year, or of one of its quarters.
pub fn period(year: i16, quarter: Option<i8>) -> Result<(Date, Date), ValidationError> {
    let bad = |m: &'static str| ValidationError::new("period", "Kỳ", m);
    let (m1, m2) = match quarter {
        None => (1, 12),
        Some(q @ 1..=4) => (3 * q - 2, 3 * q),
        Some(_) => return Err(bad("quý phải từ 1 đến 4")),
    };
    let from = Date::new(year, m1, 1).map_err(|_| bad("năm không hợp lệ"))?;
    let to = Date::new(year, m2, 1)
        .map(|d| d.last_of_month())
        .map_err(|_| bad("năm không hợp lệ"))?;
    Ok((from, to))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    // Cell 4 › commune 3 › district 2 › province 1 (docs/rules.md
    // "Recommendations (kiến nghị)": routed to a committee above the cell).
    const ABOVE: [OrgId; 3] = [OrgId(3), OrgId(2), OrgId(1)];

    fn facts(status: Status, level: Option<i64>) -> Facts {
        Facts {
            status,
            level: level.map(OrgId),
            raised_on: date(2026, 3, 3),
            answered_on: Some(date(2026, 4, 10)),
        }
    }

    #[test]
    fn codes_round_trip_and_labels_are_vietnamese() {
        for t in Topic::ALL {
            assert_eq!(Topic::from_code(t.code()), Some(t));
        }
        for s in Status::ALL {
            assert_eq!(Status::from_code(s.code()), Some(s));
        }
        for s in Source::ALL {
            assert_eq!(Source::from_code(s.code()), Some(s));
        }
        assert_eq!(Topic::SandMining.label(), "Khai thác cát trái phép");
        assert_eq!(
            Topic::parse("x").map_err(|e| e.to_string()),
            Err("Lĩnh vực: phải chọn một lĩnh vực".to_string())
        );
    }

    #[test]
    fn routed_only_up_the_cells_own_line() {
        let raised = facts(Status::Raised, None);
        assert_eq!(route(&raised, &ABOVE, OrgId(3)), Ok(()));
        assert_eq!(route(&raised, &ABOVE, OrgId(1)), Ok(()));
        let Err(Refusal::Invalid(e)) = route(&raised, &ABOVE, OrgId(9)) else {
            panic!("a node off the line must be refused");
        };
        assert_eq!(
            e[0].to_string(),
            "Cấp nhận: phải là một cấp ủy cấp trên của chi bộ"
        );
        // The commune passes it to the district, never back down or sideways.
        let at_commune = facts(Status::Sent, Some(3));
        assert_eq!(route(&at_commune, &ABOVE, OrgId(2)), Ok(()));
        let Err(Refusal::Invalid(e)) = route(&at_commune, &ABOVE, OrgId(3)) else {
            panic!("the same level is not further up");
        };
        assert_eq!(
            e[0].to_string(),
            "Cấp nhận: phải là cấp cao hơn cấp đang giải quyết"
        );
        assert!(matches!(
            route(&facts(Status::Answered, Some(3)), &ABOVE, OrgId(2)),
            Err(Refusal::Status(_))
        ));
    }

    #[test]
    fn assigned_with_a_deadline_not_before_it_was_raised() {
        let sent = facts(Status::Sent, Some(3));
        assert_eq!(
            assign(&sent, "  UBND   xã ", Some(date(2026, 3, 31))),
            Ok("UBND xã".to_string())
        );
        let Err(Refusal::Invalid(e)) = assign(&sent, "", Some(date(2026, 3, 1))) else {
            panic!("empty assignee and early deadline");
        };
        let msgs: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert_eq!(
            msgs,
            [
                "Đơn vị, người giải quyết: phải ghi đơn vị hoặc người giải quyết",
                "Hạn trả lời: không được trước ngày nêu kiến nghị"
            ]
        );
        let Err(Refusal::Status(m)) = assign(&facts(Status::Raised, None), "UBND xã", None) else {
            panic!("not routed yet");
        };
        assert_eq!(
            m,
            "kiến nghị đang ở trạng thái «Mới nêu», không thể giao giải quyết"
        );
    }

    #[test]
    fn answered_on_a_real_day_then_reported_at_a_later_meeting() {
        let today = date(2026, 11, 23);
        let assigned = facts(Status::Assigned, Some(2));
        assert_eq!(
            answer(&assigned, "Đã xử lý", Some(date(2026, 4, 10)), today),
            Ok("Đã xử lý".into())
        );
        let Err(Refusal::Invalid(e)) = answer(&assigned, "x", Some(date(2026, 12, 1)), today)
        else {
            panic!("future answer");
        };
        assert_eq!(e[0].to_string(), "Ngày trả lời: không được sau hôm nay");
        let answered = facts(Status::Answered, Some(2));
        assert_eq!(report(&answered, date(2026, 5, 3)), Ok(()));
        let Err(Refusal::Invalid(e)) = report(&answered, date(2026, 4, 3)) else {
            panic!("a meeting before the answer");
        };
        assert_eq!(
            e[0].to_string(),
            "Kỳ sinh hoạt: phải họp từ ngày có trả lời trở đi"
        );
        assert!(matches!(
            report(&facts(Status::Reported, Some(2)), date(2026, 5, 3)),
            Err(Refusal::Status(_))
        ));
    }

    #[test]
    fn closed_only_while_open_and_with_a_reason() {
        assert_eq!(
            close(&facts(Status::Sent, Some(3)), "Trùng kiến nghị số 5"),
            Ok("Trùng kiến nghị số 5".into())
        );
        assert!(matches!(
            close(&facts(Status::Sent, Some(3)), " "),
            Err(Refusal::Invalid(_))
        ));
        assert!(matches!(
            close(&facts(Status::Answered, Some(3)), "x"),
            Err(Refusal::Status(_))
        ));
    }

    #[test]
    fn overdue_is_past_the_deadline_and_unanswered() {
        let today = date(2026, 11, 23);
        let past = Some(date(2026, 11, 22));
        assert!(is_overdue(Status::Assigned, past, today));
        assert!(!is_overdue(Status::Assigned, Some(today), today));
        assert!(!is_overdue(Status::Answered, past, today));
        assert!(!is_overdue(Status::Sent, None, today));
    }

    #[test]
    fn periods_and_lines() {
        assert_eq!(quarter_of(date(2026, 3, 31)), 1);
        assert_eq!(quarter_of(date(2026, 10, 1)), 4);
        assert_eq!(
            period(2026, Some(2)),
            Ok((date(2026, 4, 1), date(2026, 6, 30)))
        );
        assert_eq!(
            period(2026, None),
            Ok((date(2026, 1, 1), date(2026, 12, 31)))
        );
        assert!(period(2026, Some(5)).is_err());
        assert_eq!(
            lines("- Đường liên bản xuống cấp\n\n• Cát bị khai thác trái phép \n"),
            ["Đường liên bản xuống cấp", "Cát bị khai thác trái phép"]
        );
    }
}
