//! Quality rubrics (bộ tiêu chí chấm điểm): versioned point sheets a
//! committee issues for its subtree, used to grade each held meeting of a
//! cell and to score each base organization month by month (docs/rules.md
//! "Meeting quality levels", "Local rubric example" and "Kim Sơn monthly
//! scoring"). A definition is plain data (stored as JSON with its version);
//! scoring lives in `score`, the shipped examples in `example`.

pub mod example;
pub mod form;
pub mod month;
pub mod score;

use super::ValidationError;
use serde::{Deserialize, Serialize};

/// What a rubric grades.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Purpose {
    /// One held meeting of a cell (đánh giá chất lượng sinh hoạt chi bộ).
    Meeting,
    /// One base organization for one month (chấm điểm hằng tháng).
    Monthly,
}

impl Purpose {
    pub const ALL: [Self; 2] = [Self::Meeting, Self::Monthly];

    pub fn code(self) -> &'static str {
        match self {
            Self::Meeting => "meeting",
            Self::Monthly => "monthly",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Meeting => "Chất lượng sinh hoạt chi bộ",
            Self::Monthly => "Chấm điểm hằng tháng tổ chức cơ sở đảng",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.code() == code)
    }
}

/// Where a rubric version stands: a draft may change and is circulated for
/// comments; an adopted version never changes (a change is a new version).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum RubricStatus {
    Draft,
    Adopted,
}

impl RubricStatus {
    pub fn code(self) -> &'static str {
        match self {
            Self::Draft => "draft",
            Self::Adopted => "adopted",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Draft => "Dự thảo",
            Self::Adopted => "Đã ban hành",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        [Self::Draft, Self::Adopted]
            .into_iter()
            .find(|s| s.code() == code)
    }
}

/// A figure chibo computes from its own records, read by a band criterion
/// (or a yes/no criterion answered automatically).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    Serialize,
    Deserialize,
    utoipa::ToSchema,
)]
#[serde(rename_all = "snake_case")]
pub enum Metric {
    /// Minutes between the recorded start and end of the meeting.
    DurationMinutes,
    /// Present members in % of those convened (exempt members not convened).
    AttendancePercent,
    /// Members who spoke in % of those present.
    SpeakerPercent,
    /// 100 if the meeting's documents were published at least a day
    /// before it, else 0.
    DocsDayAhead,
    /// Tasks of the previous resolution done, in % of those reviewed.
    LastTasksDonePercent,
    /// Cells of the base organization that held a meeting in the month, in
    /// % of its cells (the base organization itself if it has none).
    MeetingsHeldPercent,
    /// Meetings of the month held on their planned day, in % of those held.
    MeetingsOnTimePercent,
    /// 100 if a thematic meeting was held in the month, else 0.
    ThematicHeld,
    /// Tasks past their deadline and still open at the month's end.
    OverdueTasks,
    /// Follow-up items (inspection or conclusion findings) answered, in %
    /// of those raised (100 when there are none).
    FollowUpsAnsweredPercent,
    /// Recommendations answered or closed, in % of those raised in the
    /// month or earlier and not withdrawn (100 when there are none).
    RecommendationsAnsweredPercent,
    /// Reports filed for visits to the organization's meetings in the month.
    VisitReports,
}

impl Metric {
    pub const ALL: [Self; 12] = [
        Self::DurationMinutes,
        Self::AttendancePercent,
        Self::SpeakerPercent,
        Self::DocsDayAhead,
        Self::LastTasksDonePercent,
        Self::MeetingsHeldPercent,
        Self::MeetingsOnTimePercent,
        Self::ThematicHeld,
        Self::OverdueTasks,
        Self::FollowUpsAnsweredPercent,
        Self::RecommendationsAnsweredPercent,
        Self::VisitReports,
    ];

    pub fn label(self) -> &'static str {
        match self {
            Self::DurationMinutes => "Thời lượng (phút)",
            Self::AttendancePercent => "Tỷ lệ dự họp (%)",
            Self::SpeakerPercent => "Tỷ lệ phát biểu (%)",
            Self::DocsDayAhead => "Tài liệu đăng trước 1 ngày",
            Self::LastTasksDonePercent => "Nhiệm vụ tháng trước hoàn thành (%)",
            Self::MeetingsHeldPercent => "Chi bộ sinh hoạt trong tháng (%)",
            Self::MeetingsOnTimePercent => "Sinh hoạt đúng ngày (%)",
            Self::ThematicHeld => "Có sinh hoạt chuyên đề",
            Self::OverdueTasks => "Nhiệm vụ quá hạn",
            Self::FollowUpsAnsweredPercent => "Kết luận, kiểm tra đã khắc phục (%)",
            Self::RecommendationsAnsweredPercent => "Kiến nghị đã trả lời (%)",
            Self::VisitReports => "Báo cáo dự sinh hoạt",
        }
    }

    /// Whether chibo computes the metric for what a rubric of `purpose`
    /// grades (attendance exists for a meeting and for a month).
    pub fn fits(self, purpose: Purpose) -> bool {
        match self {
            Self::AttendancePercent => true,
            Self::DurationMinutes
            | Self::SpeakerPercent
            | Self::DocsDayAhead
            | Self::LastTasksDonePercent => purpose == Purpose::Meeting,
            Self::MeetingsHeldPercent
            | Self::MeetingsOnTimePercent
            | Self::ThematicHeld
            | Self::OverdueTasks
            | Self::FollowUpsAnsweredPercent
            | Self::RecommendationsAnsweredPercent
            | Self::VisitReports => purpose == Purpose::Monthly,
        }
    }
}

/// When a criterion counts at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Condition {
    /// Only in a month with a thematic meeting (or at a thematic meeting).
    ThematicMonth,
}

/// Which way a band reads its metric.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// The first step whose threshold the value reaches (value ≥ threshold).
    AtLeast,
    /// The first step whose threshold the value does not pass (value ≤ threshold).
    AtMost,
}

/// One step of a band: the threshold and the points it earns.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Step {
    pub threshold: f64,
    pub points: f64,
}

/// One option of a pick-one criterion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Choice {
    pub label: String,
    pub points: f64,
}

/// How a criterion is answered.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Kind {
    /// Yes earns the criterion's points; with `metric`, chibo answers yes
    /// when the metric reaches `at_least`.
    YesNo {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        metric: Option<Metric>,
        #[serde(default)]
        at_least: f64,
    },
    /// One of several levels, each with its points.
    Pick { choices: Vec<Choice> },
    /// Points from a metric by steps, checked in order (the first that
    /// matches wins, none matching earns 0).
    Band {
        metric: Metric,
        direction: Direction,
        steps: Vec<Step>,
    },
    /// Yes adds the points on top (the total never passes the rubric's).
    Bonus,
    /// Yes takes the points off (the total never falls below 0).
    Penalty,
}

impl Kind {
    fn label(&self) -> &'static str {
        match self {
            Self::YesNo { metric: None, .. } => "Có/không",
            Self::YesNo {
                metric: Some(_), ..
            } => "Có/không (tự tính)",
            Self::Pick { .. } => "Chọn mức",
            Self::Band { .. } => "Theo tỷ lệ (tự tính)",
            Self::Bonus => "Điểm thưởng",
            Self::Penalty => "Điểm trừ",
        }
    }

    /// The metric chibo reads for it, if any.
    pub fn metric(&self) -> Option<Metric> {
        match self {
            Self::YesNo { metric, .. } => *metric,
            Self::Band { metric, .. } => Some(*metric),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Criterion {
    /// Stable key within the rubric ("attendance").
    pub key: String,
    pub title: String,
    /// The points it earns at most (for a bonus or a penalty: adds or takes off).
    pub max: f64,
    #[serde(flatten)]
    pub kind: Kind,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only_if: Option<Condition>,
}

impl Criterion {
    pub fn kind_label(&self) -> &'static str {
        self.kind.label()
    }

    /// Whether it counts towards the group's maximum.
    pub fn in_total(&self) -> bool {
        !matches!(self.kind, Kind::Bonus | Kind::Penalty)
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Group {
    pub title: String,
    pub max: f64,
    pub criteria: Vec<Criterion>,
}

/// A grade from the total: the highest band whose minimum it reaches.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Band {
    /// good | fair | average | weak for a meeting rubric.
    pub code: String,
    pub label: String,
    pub min: f64,
}

/// A rubric's content: groups of criteria and the bands of its total.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
pub struct Definition {
    pub total: f64,
    pub groups: Vec<Group>,
    /// Highest first.
    pub bands: Vec<Band>,
}

/// Points are kept to the half point; sums are compared to the tenth.
fn same(a: f64, b: f64) -> bool {
    (a - b).abs() < 0.05
}

fn err(problem: String) -> ValidationError {
    ValidationError::new("definition", "Bộ tiêu chí", problem)
}

impl Definition {
    pub fn criteria(&self) -> impl Iterator<Item = (&Group, &Criterion)> {
        self.groups
            .iter()
            .flat_map(|g| g.criteria.iter().map(move |c| (g, c)))
    }

    pub fn criterion(&self, key: &str) -> Option<&Criterion> {
        self.criteria().map(|(_, c)| c).find(|c| c.key == key)
    }

    /// The band the total falls in (the lowest when below every minimum).
    pub fn band_of(&self, total: f64) -> Option<&Band> {
        self.bands
            .iter()
            .find(|b| total >= b.min - 1e-9)
            .or(self.bands.last())
    }

    /// Checks a definition before it is stored: the groups add up to the
    /// total and each group's criteria to the group; steps and choices stay
    /// within their criterion; the bands start at 0, rise strictly and stay
    /// within the total; a meeting rubric grades in the four levels of
    /// Hướng dẫn 12-HD/BTCTW.
    pub fn check(&self, purpose: Purpose) -> Result<(), Vec<ValidationError>> {
        let mut errors = Vec::new();
        if !(self.total > 0.0 && self.total <= 1000.0) {
            errors.push(err("tổng điểm phải lớn hơn 0 và không quá 1000".into()));
        }
        if self.groups.is_empty() {
            errors.push(err("phải có ít nhất một nhóm tiêu chí".into()));
        }
        let groups: f64 = self.groups.iter().map(|g| g.max).sum();
        if !same(groups, self.total) {
            errors.push(err(format!(
                "các nhóm cộng được {groups} điểm, khác tổng {} điểm",
                self.total
            )));
        }
        let mut keys = std::collections::HashSet::new();
        for g in &self.groups {
            if g.title.trim().is_empty() {
                errors.push(err("nhóm tiêu chí chưa có tên".into()));
            }
            let sum: f64 = g
                .criteria
                .iter()
                .filter(|c| c.in_total())
                .map(|c| c.max)
                .sum();
            if !same(sum, g.max) {
                errors.push(err(format!(
                    "nhóm «{}»: các tiêu chí cộng được {sum} điểm, khác {} điểm của nhóm",
                    g.title, g.max
                )));
            }
            for c in &g.criteria {
                check_criterion(c, purpose, &mut errors);
                if !keys.insert(c.key.as_str()) {
                    errors.push(err(format!("mã tiêu chí «{}» bị trùng", c.key)));
                }
            }
        }
        check_bands(self, purpose, &mut errors);
        if errors.is_empty() {
            Ok(())
        } else {
            Err(errors)
        }
    }
}

fn check_criterion(c: &Criterion, purpose: Purpose, errors: &mut Vec<ValidationError>) {
    let name = if c.title.trim().is_empty() {
        errors.push(err(format!("tiêu chí «{}» chưa có tên", c.key)));
        c.key.as_str()
    } else {
        c.title.as_str()
    };
    if c.key.trim().is_empty() {
        errors.push(err(format!("tiêu chí «{name}» chưa có mã")));
    }
    if c.max <= 0.0 {
        errors.push(err(format!(
            "tiêu chí «{name}»: điểm tối đa phải lớn hơn 0"
        )));
    }
    if let Some(m) = c.kind.metric()
        && !m.fits(purpose)
    {
        errors.push(err(format!(
            "tiêu chí «{name}»: số liệu «{}» không dùng cho loại bộ tiêu chí này",
            m.label()
        )));
    }
    match &c.kind {
        Kind::Pick { choices } => {
            if choices.len() < 2 {
                errors.push(err(format!("tiêu chí «{name}»: phải có ít nhất hai mức")));
            }
            if choices
                .iter()
                .any(|o| o.points < 0.0 || o.points > c.max + 1e-9)
            {
                errors.push(err(format!(
                    "tiêu chí «{name}»: điểm mỗi mức phải từ 0 đến {}",
                    c.max
                )));
            }
        }
        Kind::Band { steps, .. } => {
            if steps.is_empty() {
                errors.push(err(format!("tiêu chí «{name}»: chưa có mức nào")));
            }
            if steps
                .iter()
                .any(|s| s.points < 0.0 || s.points > c.max + 1e-9)
            {
                errors.push(err(format!(
                    "tiêu chí «{name}»: điểm mỗi mức phải từ 0 đến {}",
                    c.max
                )));
            }
        }
        Kind::YesNo { .. } | Kind::Bonus | Kind::Penalty => {}
    }
}

fn check_bands(d: &Definition, purpose: Purpose, errors: &mut Vec<ValidationError>) {
    if d.bands.is_empty() {
        errors.push(err("chưa có mức xếp loại nào".into()));
        return;
    }
    if d.bands.windows(2).any(|w| w[0].min <= w[1].min) {
        errors.push(err(
            "các mức xếp loại phải xếp từ cao xuống thấp, ngưỡng giảm dần".into(),
        ));
    }
    if d.bands.last().is_some_and(|b| !same(b.min, 0.0)) {
        errors.push(err("mức xếp loại thấp nhất phải bắt đầu từ 0 điểm".into()));
    }
    if d.bands.iter().any(|b| b.min > d.total) {
        errors.push(err(format!(
            "ngưỡng xếp loại không được vượt tổng {} điểm",
            d.total
        )));
    }
    if purpose == Purpose::Meeting {
        let codes: Vec<&str> = d.bands.iter().map(|b| b.code.as_str()).collect();
        if codes != ["good", "fair", "average", "weak"] {
            errors.push(err(
                "bộ tiêu chí sinh hoạt chi bộ xếp bốn mức Tốt, Khá, Trung bình, Kém (good, fair, average, weak)".into(),
            ));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::example::{kim_son_monthly, local_meeting};
    use super::*;

    #[test]
    fn the_examples_are_valid() {
        assert_eq!(local_meeting().check(Purpose::Meeting), Ok(()));
        assert_eq!(kim_son_monthly().check(Purpose::Monthly), Ok(()));
        assert_eq!(local_meeting().groups.len(), 8);
        assert!(same(local_meeting().total, 100.0));
    }

    #[test]
    fn a_meeting_metric_does_not_fit_a_monthly_rubric() {
        let e = local_meeting().check(Purpose::Monthly).unwrap_err();
        assert!(
            e.iter()
                .any(|e| e.to_string().contains("không dùng cho loại"))
        );
    }

    #[test]
    fn groups_must_add_up() {
        let mut d = local_meeting();
        d.groups[0].max = 6.0;
        let e = d.check(Purpose::Meeting).unwrap_err();
        let text: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert!(
            text.iter()
                .any(|t| t.contains("các nhóm cộng được 101 điểm, khác tổng 100 điểm")),
            "{text:?}"
        );
        assert!(
            text.iter().any(|t| t.starts_with("Bộ tiêu chí: nhóm «")),
            "{text:?}"
        );
    }

    #[test]
    fn bands_cover_zero_to_total_in_order() {
        let mut d = local_meeting();
        d.bands[3].min = 10.0;
        assert!(
            d.check(Purpose::Meeting).unwrap_err()[0]
                .to_string()
                .contains("bắt đầu từ 0")
        );
        let mut d = local_meeting();
        d.bands.swap(0, 1);
        assert!(d.check(Purpose::Meeting).is_err());
        let mut d = local_meeting();
        d.bands[0].min = 120.0;
        assert!(
            d.check(Purpose::Meeting)
                .unwrap_err()
                .iter()
                .any(|e| e.to_string().contains("vượt tổng"))
        );
        let mut d = local_meeting();
        d.bands.clear();
        assert!(d.check(Purpose::Meeting).is_err());
    }

    #[test]
    fn a_meeting_rubric_grades_in_the_four_levels() {
        let mut d = local_meeting();
        d.bands[0].code = "excellent".into();
        assert!(
            d.check(Purpose::Meeting).unwrap_err()[0]
                .to_string()
                .contains("bốn mức")
        );
    }

    #[test]
    fn criteria_are_checked() {
        let mut d = local_meeting();
        d.groups[1].criteria[0].key = d.groups[0].criteria[0].key.clone();
        assert!(
            d.check(Purpose::Meeting)
                .unwrap_err()
                .iter()
                .any(|e| e.to_string().contains("bị trùng"))
        );
        let mut d = local_meeting();
        if let Kind::Band { steps, .. } = &mut d.groups[1].criteria[0].kind {
            steps[0].points = 50.0;
        }
        assert!(
            d.check(Purpose::Meeting)
                .unwrap_err()
                .iter()
                .any(|e| e.to_string().contains("điểm mỗi mức"))
        );
        let mut d = local_meeting();
        d.groups[2].criteria[0] = Criterion {
            key: "x".into(),
            title: String::new(),
            max: 3.0,
            kind: Kind::Pick { choices: vec![] },
            only_if: None,
        };
        let text: Vec<String> = d
            .check(Purpose::Meeting)
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            text.iter().any(|t| t.contains("chưa có tên"))
                && text.iter().any(|t| t.contains("hai mức")),
            "{text:?}"
        );
    }

    #[test]
    fn a_definition_round_trips_as_json() {
        let d = local_meeting();
        let json = serde_json::to_string(&d).unwrap();
        assert!(json.contains("\"kind\":\"band\""));
        let back: Definition = serde_json::from_str(&json).unwrap();
        assert_eq!(back, d);
    }

    #[test]
    fn codes_round_trip() {
        for p in Purpose::ALL {
            assert_eq!(Purpose::from_code(p.code()), Some(p));
        }
        assert_eq!(
            RubricStatus::from_code("adopted"),
            Some(RubricStatus::Adopted)
        );
        assert_eq!(RubricStatus::from_code("x"), None);
        assert_eq!(
            Metric::ALL
                .iter()
                .filter(|m| m.fits(Purpose::Meeting))
                .count(),
            5
        );
        assert_eq!(
            Metric::ALL
                .iter()
                .filter(|m| m.fits(Purpose::Monthly))
                .count(),
            8
        );
    }
}
