//! A rubric as the criterion-by-criterion editor holds it: every field as
//! typed (so a wrong figure comes back as it was typed, beside its error),
//! read from and turned back into a `Definition` (docs/rules.md "Rubric
//! editor"). Rows are added and removed by re-rendering the form: no script.

use super::{Band, Choice, Condition, Criterion, Definition, Direction, Group, Kind, Metric, Step};
use crate::domain::ValidationError;

/// How a criterion is answered, as the editor's list offers it.
pub const KINDS: [(&str, &str); 5] = [
    ("yes_no", "Có/không"),
    ("pick", "Chọn mức"),
    ("band", "Theo ngưỡng số liệu"),
    ("bonus", "Điểm thưởng"),
    ("penalty", "Điểm trừ"),
];

pub const DIRECTIONS: [(&str, &str); 2] = [
    ("at_least", "từ ngưỡng trở lên (≥)"),
    ("at_most", "không quá ngưỡng (≤)"),
];

/// The most groups and criteria a form may hold (a bound on what a request
/// can make the server build).
pub const MAX_GROUPS: usize = 30;
pub const MAX_CRITERIA: usize = 60;

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormCriterion {
    pub key: String,
    pub title: String,
    pub max: String,
    pub kind: String,
    /// A metric code, or empty (a yes/no answered by hand).
    pub metric: String,
    pub at_least: String,
    pub direction: String,
    /// "90: 4; 75: 3" — threshold: points, in order.
    pub steps: String,
    /// "Tốt: 10; Khá: 8" — label: points.
    pub choices: String,
    pub thematic: bool,
    /// What is wrong with this row, after `to_definition`.
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormGroup {
    pub title: String,
    pub max: String,
    pub criteria: Vec<FormCriterion>,
    pub errors: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormBand {
    pub code: String,
    pub label: String,
    pub min: String,
}

#[derive(Debug, Clone, Default, PartialEq)]
pub struct FormRubric {
    pub total: String,
    pub groups: Vec<FormGroup>,
    pub bands: Vec<FormBand>,
}

/// What a button of the editor asks, besides saving.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Edit {
    Save,
    /// Re-render only (after changing how a criterion is scored).
    Refresh,
    AddGroup,
    RemoveGroup(usize),
    AddCriterion(usize),
    RemoveCriterion(usize, usize),
}

impl Edit {
    /// The `op` value of the button pressed: `save`, `add_group`,
    /// `del_group:G`, `add:G`, `del:G:C`.
    pub fn parse(op: &str) -> Self {
        let mut parts = op.split(':');
        let n = |s: Option<&str>| s.and_then(|s| s.parse::<usize>().ok());
        match (parts.next(), n(parts.next()), n(parts.next())) {
            (Some("refresh"), _, _) => Self::Refresh,
            (Some("add_group"), _, _) => Self::AddGroup,
            (Some("del_group"), Some(g), _) => Self::RemoveGroup(g),
            (Some("add"), Some(g), _) => Self::AddCriterion(g),
            (Some("del"), Some(g), Some(c)) => Self::RemoveCriterion(g, c),
            _ => Self::Save,
        }
    }
}

/// "12,5" as the forms write points; integers without decimals.
pub fn number(x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    s.replace('.', ",")
}

fn parse_number(s: &str) -> Option<f64> {
    let t = s.trim().replace(',', ".");
    t.parse::<f64>().ok().filter(|x| x.is_finite())
}

impl Metric {
    pub fn code(self) -> &'static str {
        match self {
            Self::DurationMinutes => "duration_minutes",
            Self::AttendancePercent => "attendance_percent",
            Self::SpeakerPercent => "speaker_percent",
            Self::DocsDayAhead => "docs_day_ahead",
            Self::LastTasksDonePercent => "last_tasks_done_percent",
            Self::MeetingsHeldPercent => "meetings_held_percent",
            Self::MeetingsOnTimePercent => "meetings_on_time_percent",
            Self::ThematicHeld => "thematic_held",
            Self::OverdueTasks => "overdue_tasks",
            Self::FollowUpsAnsweredPercent => "follow_ups_answered_percent",
            Self::RecommendationsAnsweredPercent => "recommendations_answered_percent",
            Self::VisitReports => "visit_reports",
        }
    }

    pub fn from_code(code: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|m| m.code() == code)
    }
}

/// "a: 1; b: 2" → [("a", "1"), ("b", "2")]; the last colon splits, so a
/// label may hold one.
fn pairs(s: &str) -> Vec<(String, String)> {
    s.split([';', '\n'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .map(|p| match p.rsplit_once(':') {
            Some((a, b)) => (a.trim().to_string(), b.trim().to_string()),
            None => (p.to_string(), String::new()),
        })
        .collect()
}

impl FormCriterion {
    fn of(c: &Criterion) -> Self {
        let mut f = FormCriterion {
            key: c.key.clone(),
            title: c.title.clone(),
            max: number(c.max),
            thematic: c.only_if == Some(Condition::ThematicMonth),
            direction: "at_least".into(),
            ..Default::default()
        };
        match &c.kind {
            Kind::YesNo { metric, at_least } => {
                f.kind = "yes_no".into();
                if let Some(m) = metric {
                    f.metric = m.code().into();
                    f.at_least = number(*at_least);
                }
            }
            Kind::Pick { choices } => {
                f.kind = "pick".into();
                f.choices = choices
                    .iter()
                    .map(|o| format!("{}: {}", o.label, number(o.points)))
                    .collect::<Vec<_>>()
                    .join("; ");
            }
            Kind::Band {
                metric,
                direction,
                steps,
            } => {
                f.kind = "band".into();
                f.metric = metric.code().into();
                f.direction = match direction {
                    Direction::AtLeast => "at_least",
                    Direction::AtMost => "at_most",
                }
                .into();
                f.steps = steps
                    .iter()
                    .map(|s| format!("{}: {}", number(s.threshold), number(s.points)))
                    .collect::<Vec<_>>()
                    .join("; ");
            }
            Kind::Bonus => f.kind = "bonus".into(),
            Kind::Penalty => f.kind = "penalty".into(),
        }
        f
    }

    /// The criterion, or what is wrong (each problem once, in Vietnamese).
    fn to_criterion(&self) -> Result<Criterion, Vec<String>> {
        let mut errors = Vec::new();
        let title = self.title.trim().to_string();
        if title.is_empty() {
            errors.push("chưa có nội dung tiêu chí".to_string());
        }
        let max = match parse_number(&self.max) {
            Some(x) if x > 0.0 => x,
            _ => {
                errors.push(format!(
                    "điểm tối đa «{}» phải là một số lớn hơn 0",
                    self.max.trim()
                ));
                0.0
            }
        };
        let metric = if self.metric.trim().is_empty() {
            None
        } else {
            match Metric::from_code(self.metric.trim()) {
                Some(m) => Some(m),
                None => {
                    errors.push("số liệu không có trong danh sách".to_string());
                    None
                }
            }
        };
        let kind = match self.kind.as_str() {
            "yes_no" => match metric {
                None => Kind::YesNo {
                    metric: None,
                    at_least: 0.0,
                },
                Some(m) => match parse_number(&self.at_least) {
                    Some(at_least) => Kind::YesNo {
                        metric: Some(m),
                        at_least,
                    },
                    None => {
                        errors.push(format!(
                            "ngưỡng «{}» của số liệu tự tính phải là một số",
                            self.at_least.trim()
                        ));
                        Kind::Bonus
                    }
                },
            },
            "pick" => {
                let mut choices = Vec::new();
                for (label, p) in pairs(&self.choices) {
                    match parse_number(&p) {
                        Some(points) if !label.is_empty() => choices.push(Choice { label, points }),
                        _ => errors.push(format!(
                            "mức «{label}: {p}» phải viết «tên mức: điểm», ví dụ «Tốt: 10»"
                        )),
                    }
                }
                Kind::Pick { choices }
            }
            "band" => {
                if metric.is_none() && self.metric.trim().is_empty() {
                    errors.push("chọn số liệu chibo tính cho tiêu chí theo ngưỡng".to_string());
                }
                let mut steps = Vec::new();
                for (t, p) in pairs(&self.steps) {
                    match (parse_number(&t), parse_number(&p)) {
                        (Some(threshold), Some(points)) => steps.push(Step { threshold, points }),
                        _ => errors.push(format!(
                            "ngưỡng «{t}: {p}» phải viết «ngưỡng: điểm», ví dụ «90: 4»"
                        )),
                    }
                }
                let direction = if self.direction == "at_most" {
                    Direction::AtMost
                } else {
                    Direction::AtLeast
                };
                match metric {
                    Some(metric) => Kind::Band {
                        metric,
                        direction,
                        steps,
                    },
                    None => Kind::Bonus,
                }
            }
            "bonus" => Kind::Bonus,
            "penalty" => Kind::Penalty,
            other => {
                errors.push(format!("cách chấm «{other}» không có trong danh sách"));
                Kind::Bonus
            }
        };
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Criterion {
            key: self.key.trim().to_string(),
            title,
            max,
            kind,
            only_if: self.thematic.then_some(Condition::ThematicMonth),
        })
    }
}

impl FormRubric {
    pub fn of(d: &Definition) -> Self {
        FormRubric {
            total: number(d.total),
            groups: d
                .groups
                .iter()
                .map(|g| FormGroup {
                    title: g.title.clone(),
                    max: number(g.max),
                    criteria: g.criteria.iter().map(FormCriterion::of).collect(),
                    errors: Vec::new(),
                })
                .collect(),
            bands: d
                .bands
                .iter()
                .map(|b| FormBand {
                    code: b.code.clone(),
                    label: b.label.clone(),
                    min: number(b.min),
                })
                .collect(),
        }
    }

    /// The fields a browser sends for this form (the inverse of
    /// `from_pairs`), without the button pressed.
    pub fn pairs(&self) -> Vec<(String, String)> {
        let mut out = vec![("total".to_string(), self.total.clone())];
        for (i, b) in self.bands.iter().enumerate() {
            out.push((format!("b{i}.code"), b.code.clone()));
            out.push((format!("b{i}.label"), b.label.clone()));
            out.push((format!("b{i}.min"), b.min.clone()));
        }
        for (g, grp) in self.groups.iter().enumerate() {
            out.push((format!("g{g}.title"), grp.title.clone()));
            out.push((format!("g{g}.max"), grp.max.clone()));
            for (c, x) in grp.criteria.iter().enumerate() {
                let p = format!("g{g}.c{c}");
                for (k, v) in [
                    ("key", &x.key),
                    ("title", &x.title),
                    ("max", &x.max),
                    ("kind", &x.kind),
                    ("metric", &x.metric),
                    ("at_least", &x.at_least),
                    ("direction", &x.direction),
                    ("steps", &x.steps),
                    ("choices", &x.choices),
                ] {
                    out.push((format!("{p}.{k}"), v.clone()));
                }
                if x.thematic {
                    out.push((format!("{p}.thematic"), "on".into()));
                }
            }
        }
        out
    }

    /// Reads the submitted fields: `total`, `bN.code|label|min`,
    /// `gN.title|max`, `gN.cM.key|title|max|kind|metric|at_least|direction|
    /// steps|choices|thematic`. Indexes need not be contiguous; order is
    /// kept; anything past the bounds is dropped.
    pub fn from_pairs(fields: &[(String, String)]) -> Self {
        use std::collections::BTreeMap;
        let mut total = String::new();
        let mut bands: BTreeMap<usize, FormBand> = BTreeMap::new();
        let mut groups: BTreeMap<usize, (FormGroup, BTreeMap<usize, FormCriterion>)> =
            BTreeMap::new();
        for (k, v) in fields {
            if k == "total" {
                total = v.clone();
                continue;
            }
            let mut parts = k.split('.');
            let head = parts.next().unwrap_or("");
            if let Some(i) = head.strip_prefix('b').and_then(|n| n.parse::<usize>().ok()) {
                if i >= 10 {
                    continue;
                }
                let b = bands.entry(i).or_default();
                match parts.next() {
                    Some("code") => b.code = v.clone(),
                    Some("label") => b.label = v.clone(),
                    Some("min") => b.min = v.clone(),
                    _ => {}
                }
                continue;
            }
            let Some(g) = head.strip_prefix('g').and_then(|n| n.parse::<usize>().ok()) else {
                continue;
            };
            if g >= MAX_GROUPS * 4 {
                continue;
            }
            let entry = groups.entry(g).or_default();
            match parts.next() {
                Some("title") => entry.0.title = v.clone(),
                Some("max") => entry.0.max = v.clone(),
                Some(c) => {
                    let Some(c) = c.strip_prefix('c').and_then(|n| n.parse::<usize>().ok()) else {
                        continue;
                    };
                    if c >= MAX_CRITERIA * 4 {
                        continue;
                    }
                    let f = entry.1.entry(c).or_default();
                    match parts.next() {
                        Some("key") => f.key = v.clone(),
                        Some("title") => f.title = v.clone(),
                        Some("max") => f.max = v.clone(),
                        Some("kind") => f.kind = v.clone(),
                        Some("metric") => f.metric = v.clone(),
                        Some("at_least") => f.at_least = v.clone(),
                        Some("direction") => f.direction = v.clone(),
                        Some("steps") => f.steps = v.clone(),
                        Some("choices") => f.choices = v.clone(),
                        Some("thematic") => f.thematic = !v.is_empty(),
                        _ => {}
                    }
                }
                None => {}
            }
        }
        FormRubric {
            total,
            bands: bands.into_values().collect(),
            groups: groups
                .into_values()
                .take(MAX_GROUPS)
                .map(|(mut g, c)| {
                    g.criteria = c.into_values().take(MAX_CRITERIA).collect();
                    g
                })
                .collect(),
        }
    }

    /// A key not used by any criterion ("tc1", "tc2", …).
    fn fresh_key(&self) -> String {
        (1..)
            .map(|n| format!("tc{n}"))
            .find(|k| {
                !self
                    .groups
                    .iter()
                    .flat_map(|g| &g.criteria)
                    .any(|c| &c.key == k)
            })
            .unwrap_or_default()
    }

    fn blank(&self) -> FormCriterion {
        FormCriterion {
            key: self.fresh_key(),
            kind: "yes_no".into(),
            direction: "at_least".into(),
            ..Default::default()
        }
    }

    /// Applies an add or remove button; `Save` changes nothing.
    pub fn apply(&mut self, edit: Edit) {
        match edit {
            Edit::Save | Edit::Refresh => {}
            Edit::AddGroup if self.groups.len() < MAX_GROUPS => {
                let c = self.blank();
                self.groups.push(FormGroup {
                    criteria: vec![c],
                    ..Default::default()
                });
            }
            Edit::RemoveGroup(g) if g < self.groups.len() => {
                self.groups.remove(g);
            }
            Edit::AddCriterion(g) if g < self.groups.len() => {
                let c = self.blank();
                if self.groups[g].criteria.len() < MAX_CRITERIA {
                    self.groups[g].criteria.push(c);
                }
            }
            Edit::RemoveCriterion(g, c)
                if g < self.groups.len() && c < self.groups[g].criteria.len() =>
            {
                self.groups[g].criteria.remove(c);
            }
            _ => {}
        }
    }

    /// The definition, or the errors: each row's own (kept on the row for
    /// the form) and one line naming the group and criterion for each.
    /// The sums and bands are `Definition::check`'s.
    pub fn to_definition(&mut self) -> Result<Definition, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let total = parse_number(&self.total);
        if total.is_none() {
            errors.push(ValidationError::new(
                "total",
                "Tổng điểm",
                format!("«{}» phải là một số", self.total.trim()),
            ));
        }
        let mut groups = Vec::new();
        for (gi, g) in self.groups.iter_mut().enumerate() {
            g.errors.clear();
            let gname = format!("Nhóm {} «{}»", gi + 1, g.title.trim());
            if g.title.trim().is_empty() {
                g.errors.push("chưa có tên nhóm".into());
            }
            let max = parse_number(&g.max);
            if max.is_none() {
                g.errors
                    .push(format!("điểm của nhóm «{}» phải là một số", g.max.trim()));
            }
            for e in &g.errors {
                errors.push(ValidationError::new(
                    "definition",
                    "Bộ tiêu chí",
                    format!("{gname}: {e}"),
                ));
            }
            let mut criteria = Vec::new();
            for (ci, c) in g.criteria.iter_mut().enumerate() {
                c.errors.clear();
                match c.to_criterion() {
                    Ok(x) => criteria.push(x),
                    Err(es) => {
                        for e in &es {
                            errors.push(ValidationError::new(
                                "definition",
                                "Bộ tiêu chí",
                                format!("{gname}, tiêu chí {} «{}»: {e}", ci + 1, c.title.trim()),
                            ));
                        }
                        c.errors = es;
                    }
                }
            }
            groups.push(Group {
                title: g.title.trim().to_string(),
                max: max.unwrap_or(0.0),
                criteria,
            });
        }
        let mut bands = Vec::new();
        for b in &self.bands {
            match parse_number(&b.min) {
                Some(min) => bands.push(Band {
                    code: b.code.trim().to_string(),
                    label: b.label.trim().to_string(),
                    min,
                }),
                None => errors.push(ValidationError::new(
                    "definition",
                    "Mức xếp loại",
                    format!("ngưỡng của mức «{}» phải là một số", b.label.trim()),
                )),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Definition {
            total: total.unwrap_or(0.0),
            groups,
            bands,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::super::example::{kim_son_monthly, local_meeting};
    use super::*;

    #[test]
    fn the_examples_round_trip_through_the_form() {
        for d in [local_meeting(), kim_son_monthly()] {
            let mut f = FormRubric::from_pairs(&FormRubric::of(&d).pairs());
            assert_eq!(f.to_definition().unwrap(), d);
        }
    }

    #[test]
    fn rows_are_added_and_removed() {
        let mut f = FormRubric::of(&local_meeting());
        let n = f.groups[1].criteria.len();
        f.apply(Edit::parse("add:1"));
        assert_eq!(f.groups[1].criteria.len(), n + 1);
        let added = &f.groups[1].criteria[n];
        assert_eq!((added.key.as_str(), added.kind.as_str()), ("tc1", "yes_no"));
        f.apply(Edit::parse("del:1:0"));
        assert_eq!(f.groups[1].criteria.len(), n);
        f.apply(Edit::parse("add_group"));
        assert_eq!(f.groups.len(), 9);
        f.apply(Edit::parse("del_group:8"));
        assert_eq!(f.groups.len(), 8);
        // Out of range: nothing happens.
        f.apply(Edit::parse("del:40:2"));
        assert_eq!(Edit::parse("bogus"), Edit::Save);
    }

    #[test]
    fn errors_name_the_group_the_criterion_and_the_field() {
        let mut f = FormRubric::of(&local_meeting());
        f.groups[2].criteria[1].max = "hai".into();
        f.groups[3].criteria[4].steps = "50: 5; bốn mươi: 4".into();
        f.groups[4].criteria[0].choices = "Tốt".into();
        let e: Vec<String> = f
            .to_definition()
            .unwrap_err()
            .iter()
            .map(ToString::to_string)
            .collect();
        assert!(
            e.contains(&"Bộ tiêu chí: Nhóm 3 «Công tác chuẩn bị», tiêu chí 2 «Dự thảo kết luận, nghị quyết»: điểm tối đa «hai» phải là một số lớn hơn 0".to_string()),
            "{e:?}"
        );
        assert!(
            e.iter()
                .any(|t| t.contains("Nhóm 4 «Tổ chức sinh hoạt», tiêu chí 5")
                    && t.contains("«bốn mươi: 4»")),
            "{e:?}"
        );
        assert!(e.iter().any(|t| t.contains("«Tốt: »")), "{e:?}");
        assert_eq!(f.groups[2].criteria[1].errors.len(), 1, "kept on the row");
    }

    #[test]
    fn a_band_needs_its_metric_and_a_blank_row_its_text() {
        let mut f = FormRubric::of(&local_meeting());
        f.apply(Edit::AddCriterion(0));
        f.groups[0].criteria[1].kind = "band".into();
        let e = f.to_definition().unwrap_err();
        let text: Vec<String> = e.iter().map(ToString::to_string).collect();
        assert!(
            text.iter().any(|t| t.contains("chưa có nội dung tiêu chí")),
            "{text:?}"
        );
        assert!(text.iter().any(|t| t.contains("chọn số liệu")), "{text:?}");
        assert!(
            text.iter().any(|t| t.contains("điểm tối đa «»")),
            "{text:?}"
        );
    }

    #[test]
    fn metric_codes_match_the_json() {
        for m in Metric::ALL {
            assert_eq!(
                serde_json::to_string(&m).unwrap(),
                format!("\"{}\"", m.code())
            );
            assert_eq!(Metric::from_code(m.code()), Some(m));
        }
    }
}
