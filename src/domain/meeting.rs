//! Meetings of a cell (domain.md §4): kinds, attendance, votes, minutes.

use super::ValidationError;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// Kind of meeting (domain.md §4.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum MeetingKind {
    /// Sinh hoạt thường kỳ: monthly.
    Regular,
    /// Sinh hoạt chuyên đề: at least once a quarter.
    Thematic,
    /// Regular and thematic in one session (42-HD/BTCTW: ≥ 120 minutes).
    Combined,
    /// Sinh hoạt đột xuất.
    AdHoc,
    /// Sinh hoạt mẫu: a demonstration meeting others attend.
    Model,
    /// Kiểm điểm: self-criticism and year-end review.
    SelfCriticism,
}

impl MeetingKind {
    pub const ALL: [MeetingKind; 6] = [
        Self::Regular,
        Self::Thematic,
        Self::Combined,
        Self::AdHoc,
        Self::Model,
        Self::SelfCriticism,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Regular => "regular",
            Self::Thematic => "thematic",
            Self::Combined => "combined",
            Self::AdHoc => "ad_hoc",
            Self::Model => "model",
            Self::SelfCriticism => "self_criticism",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Regular => "Sinh hoạt thường kỳ",
            Self::Thematic => "Sinh hoạt chuyên đề",
            Self::Combined => "Thường kỳ kết hợp chuyên đề",
            Self::AdHoc => "Sinh hoạt đột xuất",
            Self::Model => "Sinh hoạt mẫu",
            Self::SelfCriticism => "Kiểm điểm, tự phê bình và phê bình",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == code)
    }

    /// Counts as the month's regular meeting.
    pub fn is_regular(self) -> bool {
        matches!(self, Self::Regular | Self::Combined | Self::Model)
    }

    /// A thematic meeting by its kind alone.
    pub fn is_thematic(self) -> bool {
        matches!(self, Self::Thematic | Self::Combined)
    }

    /// Counts toward the thematic quota. A model meeting counts as the
    /// month's regular meeting, and as thematic too when it is held on a
    /// theme: Bản Hon's model thematic meeting in Cell 7 (docs/rules.md
    /// "Model meetings").
    pub fn counts_as_thematic(self, themed: bool) -> bool {
        self.is_thematic() || (self == Self::Model && themed)
    }
}

/// How a member stood at a meeting (domain.md §4.6).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Presence {
    Present,
    /// Vắng có lý do.
    AbsentExcused,
    /// Vắng không lý do.
    AbsentUnexcused,
    /// Miễn sinh hoạt: counted apart, never as absent.
    Exempt,
}

impl Presence {
    pub const ALL: [Presence; 4] = [
        Self::Present,
        Self::AbsentExcused,
        Self::AbsentUnexcused,
        Self::Exempt,
    ];

    pub fn code(self) -> &'static str {
        match self {
            Self::Present => "present",
            Self::AbsentExcused => "absent_excused",
            Self::AbsentUnexcused => "absent_unexcused",
            Self::Exempt => "exempt",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Present => "Có mặt",
            Self::AbsentExcused => "Vắng có lý do",
            Self::AbsentUnexcused => "Vắng không lý do",
            Self::Exempt => "Miễn sinh hoạt",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// One member's line of the roll call.
#[derive(Debug, Clone, PartialEq)]
pub struct RollEntry {
    pub presence: Presence,
    pub spoke: bool,
    /// Full (official) member: only they vote (domain.md §3.3).
    pub official: bool,
    pub reason: String,
}

/// Totals of a roll call, as minutes and statistics report them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Tally {
    pub convened: i64,
    pub present: i64,
    pub absent_excused: i64,
    pub absent_unexcused: i64,
    pub exempt: i64,
    pub speakers: i64,
    pub official_present: i64,
}

impl Tally {
    pub fn of(roll: &[RollEntry]) -> Self {
        let mut t = Tally::default();
        for r in roll {
            match r.presence {
                Presence::Present => {
                    t.present += 1;
                    t.speakers += i64::from(r.spoke);
                    t.official_present += i64::from(r.official);
                }
                Presence::AbsentExcused => t.absent_excused += 1,
                Presence::AbsentUnexcused => t.absent_unexcused += 1,
                Presence::Exempt => t.exempt += 1,
            }
        }
        // Exempt members are not convened, so they never lower the rate.
        t.convened = t.present + t.absent_excused + t.absent_unexcused;
        t
    }

    /// Present / convened, 0 when nobody was convened.
    pub fn attendance_rate(&self) -> f64 {
        if self.convened == 0 {
            0.0
        } else {
            self.present as f64 / self.convened as f64
        }
    }

    /// Share of members present who spoke (target: more than half, domain.md §4.6).
    pub fn speaker_share(&self) -> f64 {
        if self.present == 0 {
            0.0
        } else {
            self.speakers as f64 / self.present as f64
        }
    }
}

/// Checks a roll call: a member marked as speaking must be present; an
/// absence with reason names it.
pub fn check_roll(roll: &[(String, RollEntry)]) -> Result<(), Vec<ValidationError>> {
    let mut errors = Vec::new();
    for (name, r) in roll {
        if r.spoke && r.presence != Presence::Present {
            errors.push(ValidationError::new(
                "attendance",
                "Điểm danh",
                format!("{name} vắng mặt nên không thể phát biểu"),
            ));
        }
        if r.presence == Presence::AbsentExcused && r.reason.trim().is_empty() {
            errors.push(ValidationError::new(
                "attendance",
                "Điểm danh",
                format!("{name}: phải ghi lý do vắng"),
            ));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

/// A meeting's status as an official writes it: one not yet held is
/// "Dự kiến" (expected), not a "plan".
pub fn status_label(status: &str) -> &'static str {
    match status {
        "held" => "Đã họp",
        "cancelled" => "Đã hủy",
        _ => "Dự kiến",
    }
}

/// Full members a cell needs to elect its committee (chi ủy); below that the
/// secretary (and deputy) lead it and documents are signed for the cell
/// (docs/rules.md "A cell committee from nine full members").
pub const COMMITTEE_MIN_FULL_MEMBERS: i64 = 9;

/// Whether a cell with this many full members has a committee (chi ủy):
/// probationary members do not count.
pub fn has_committee(full_members: i64) -> bool {
    full_members >= COMMITTEE_MIN_FULL_MEMBERS
}

/// A vote on the resolution (biểu quyết).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Vote {
    pub for_: i64,
    pub against: i64,
    pub abstain: i64,
}

impl Vote {
    /// The totals must fit the full members present: probationary members do
    /// not vote (domain.md §3.3).
    pub fn check(&self, tally: &Tally) -> Result<(), ValidationError> {
        if self.for_ < 0 || self.against < 0 || self.abstain < 0 {
            return Err(ValidationError::new(
                "vote",
                "Biểu quyết",
                "số phiếu không được âm",
            ));
        }
        // Saturating: absurd input must give an error, not an overflow.
        let total = self
            .for_
            .saturating_add(self.against)
            .saturating_add(self.abstain);
        if total > tally.official_present {
            return Err(ValidationError::new(
                "vote",
                "Biểu quyết",
                format!(
                    "tổng {total} phiếu vượt số đảng viên chính thức có mặt ({})",
                    tally.official_present
                ),
            ));
        }
        Ok(())
    }

    /// Adopted by a majority of the full members present.
    pub fn adopted(&self, tally: &Tally) -> bool {
        self.for_.saturating_mul(2) > tally.official_present
    }
}

/// Task status (nhiệm vụ trong nghị quyết, domain.md §4.7).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    Open,
    Done,
    NotDone,
}

impl TaskStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Open => "open",
            Self::Done => "done",
            Self::NotDone => "not_done",
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            Self::Open => "Đang thực hiện",
            Self::Done => "Hoàn thành",
            Self::NotDone => "Không hoàn thành",
        }
    }
    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Open, Self::Done, Self::NotDone]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// An open task past its deadline.
pub fn is_overdue(status: TaskStatus, deadline: Option<Date>, today: Date) -> bool {
    status == TaskStatus::Open && deadline.is_some_and(|d| d < today)
}

/// Party numbering of a cell document: "Số 05-NQ/CB" (domain.md §9.2).
pub fn document_number(number: i64, doc_type: &str) -> String {
    format!("Số {number:02}-{doc_type}/CB")
}

#[cfg(test)]
mod tests {

    #[test]
    fn words_an_official_uses() {
        assert_eq!(status_label("planned"), "Dự kiến");
        assert_eq!(status_label("held"), "Đã họp");
        assert_eq!(
            MeetingKind::SelfCriticism.label(),
            "Kiểm điểm, tự phê bình và phê bình"
        );
    }

    #[test]
    fn a_committee_needs_nine_full_members() {
        assert!(!has_committee(8));
        assert!(has_committee(9));
        assert!(has_committee(30));
    }

    use super::*;
    use jiff::civil::date;

    fn entry(presence: Presence, spoke: bool, official: bool) -> RollEntry {
        RollEntry {
            presence,
            spoke,
            official,
            reason: String::new(),
        }
    }

    #[test]
    fn exempt_members_are_not_absent() {
        let roll = [
            entry(Presence::Present, true, true),
            entry(Presence::Present, false, false),
            entry(Presence::AbsentExcused, false, true),
            entry(Presence::Exempt, false, true),
        ];
        let t = Tally::of(&roll);
        assert_eq!(
            (t.convened, t.present, t.exempt, t.official_present),
            (3, 2, 1, 1)
        );
        assert!((t.attendance_rate() - 2.0 / 3.0).abs() < 1e-9);
        assert!((t.speaker_share() - 0.5).abs() < 1e-9);
        assert_eq!(Tally::of(&[]).attendance_rate(), 0.0);
    }

    #[test]
    fn votes_fit_the_full_members_present() {
        let t = Tally {
            official_present: 10,
            present: 12,
            ..Default::default()
        };
        assert!(
            Vote {
                for_: 9,
                against: 1,
                abstain: 0
            }
            .check(&t)
            .is_ok()
        );
        let e = Vote {
            for_: 11,
            against: 0,
            abstain: 1,
        }
        .check(&t)
        .unwrap_err();
        assert_eq!(
            e.to_string(),
            "Biểu quyết: tổng 12 phiếu vượt số đảng viên chính thức có mặt (10)"
        );
        assert!(
            Vote {
                for_: -1,
                against: 0,
                abstain: 0
            }
            .check(&t)
            .is_err()
        );
        assert!(
            Vote {
                for_: 6,
                against: 4,
                abstain: 0
            }
            .adopted(&t)
        );
        assert!(
            !Vote {
                for_: 5,
                against: 5,
                abstain: 0
            }
            .adopted(&t)
        );
    }

    #[test]
    fn roll_call_rules() {
        let mut absent_speaker = entry(Presence::AbsentUnexcused, true, true);
        let errs = check_roll(&[("Lò Văn Phà".into(), absent_speaker.clone())]).unwrap_err();
        assert_eq!(
            errs[0].to_string(),
            "Điểm danh: Lò Văn Phà vắng mặt nên không thể phát biểu"
        );
        absent_speaker.spoke = false;
        assert!(check_roll(&[("A".into(), absent_speaker)]).is_ok());
        let excused = entry(Presence::AbsentExcused, false, true);
        assert!(check_roll(&[("A".into(), excused)]).is_err());
    }

    #[test]
    fn overdue_tasks() {
        let today = date(2026, 11, 23);
        assert!(is_overdue(TaskStatus::Open, Some(date(2026, 11, 1)), today));
        assert!(!is_overdue(
            TaskStatus::Done,
            Some(date(2026, 11, 1)),
            today
        ));
        assert!(!is_overdue(TaskStatus::Open, None, today));
        assert!(!is_overdue(TaskStatus::Open, Some(today), today));
    }

    #[test]
    fn kinds() {
        for k in MeetingKind::ALL {
            assert_eq!(MeetingKind::from_code(k.code()), Some(k));
        }
        assert!(MeetingKind::Combined.is_regular() && MeetingKind::Combined.is_thematic());
        assert!(!MeetingKind::AdHoc.is_regular());
        assert_eq!(document_number(5, "NQ"), "Số 05-NQ/CB");
    }
}
