//! Scoring a rubric: the answers given by hand and the metrics chibo
//! computed give points per criterion, a total and a band (docs/rules.md
//! "Local rubric example").

use super::{Band, Condition, Definition, Direction, Kind, Metric};
use crate::domain::ValidationError;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A criterion answered by hand.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Answer {
    /// A yes/no, bonus or penalty criterion.
    Yes(bool),
    /// A pick-one criterion: the index of the level chosen.
    Pick(usize),
    /// A band criterion whose figure chibo lacks: the figure itself.
    Value(f64),
}

pub type Answers = BTreeMap<String, Answer>;
pub type Metrics = BTreeMap<Metric, f64>;

/// What is known of the meeting or month beyond its metrics.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Context {
    /// A thematic meeting (or, for a month, one was held in it).
    pub thematic: bool,
}

/// Where a criterion's points came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// From chibo's records.
    Computed,
    /// Answered by hand.
    Entered,
    /// Does not apply (e.g. thematic content in a month without one).
    NotApplicable,
    /// Neither computed nor answered: no points.
    Missing,
}

impl Source {
    pub fn label(self) -> &'static str {
        match self {
            Self::Computed => "tự tính",
            Self::Entered => "chấm tay",
            Self::NotApplicable => "không áp dụng",
            Self::Missing => "chưa chấm",
        }
    }
}

/// One criterion's result.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Line {
    pub key: String,
    pub group: usize,
    pub title: String,
    pub max: f64,
    /// Negative for a penalty applied.
    pub points: f64,
    pub source: Source,
    /// The metric's value (or the figure entered) when the criterion reads one.
    pub value: Option<f64>,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct GroupResult {
    pub title: String,
    pub max: f64,
    pub points: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Scored {
    pub lines: Vec<Line>,
    pub groups: Vec<GroupResult>,
    /// Out of the rubric's total, to the tenth of a point.
    pub total: f64,
    pub band: Option<Band>,
}

/// To the tenth of a point.
pub fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn applies(only_if: Option<Condition>, ctx: Context) -> bool {
    match only_if {
        None => true,
        Some(Condition::ThematicMonth) => ctx.thematic,
    }
}

fn band_points(direction: Direction, steps: &[super::Step], value: f64) -> f64 {
    steps
        .iter()
        .find(|s| match direction {
            Direction::AtLeast => value >= s.threshold - 1e-9,
            Direction::AtMost => value <= s.threshold + 1e-9,
        })
        .map_or(0.0, |s| s.points)
}

/// Points per criterion, per group, the total and its band. A criterion
/// with a metric reads it when chibo has it, and the answer otherwise.
/// Criteria that do not apply are left out and the total is brought back
/// to the rubric's scale (earned ÷ applicable maximum × total); bonuses and
/// penalties then add or take off; the total stays within 0 and the
/// rubric's total.
pub fn score(def: &Definition, answers: &Answers, metrics: &Metrics, ctx: Context) -> Scored {
    let mut lines = Vec::new();
    let mut earned = 0.0;
    let mut applicable = 0.0;
    let mut extra = 0.0;
    for (gi, g) in def.groups.iter().enumerate() {
        for c in &g.criteria {
            let answer = answers.get(&c.key);
            let metric = c.kind.metric().and_then(|m| metrics.get(&m).copied());
            let (points, source, value) = if !applies(c.only_if, ctx) {
                (0.0, Source::NotApplicable, None)
            } else {
                match &c.kind {
                    Kind::YesNo { at_least, .. } => match (metric, answer) {
                        (Some(v), _) => (
                            if v >= at_least - 1e-9 { c.max } else { 0.0 },
                            Source::Computed,
                            Some(v),
                        ),
                        (None, Some(Answer::Yes(y))) => {
                            (if *y { c.max } else { 0.0 }, Source::Entered, None)
                        }
                        _ => (0.0, Source::Missing, None),
                    },
                    Kind::Pick { choices } => match answer {
                        Some(Answer::Pick(i)) if *i < choices.len() => {
                            (choices[*i].points.min(c.max), Source::Entered, None)
                        }
                        _ => (0.0, Source::Missing, None),
                    },
                    Kind::Band {
                        direction, steps, ..
                    } => match (metric, answer) {
                        (Some(v), _) => (
                            band_points(*direction, steps, v).min(c.max),
                            Source::Computed,
                            Some(v),
                        ),
                        (None, Some(Answer::Value(v))) => (
                            band_points(*direction, steps, *v).min(c.max),
                            Source::Entered,
                            Some(*v),
                        ),
                        _ => (0.0, Source::Missing, None),
                    },
                    Kind::Bonus => match answer {
                        Some(Answer::Yes(true)) => (c.max, Source::Entered, None),
                        Some(_) => (0.0, Source::Entered, None),
                        None => (0.0, Source::Missing, None),
                    },
                    Kind::Penalty => match answer {
                        Some(Answer::Yes(true)) => (-c.max, Source::Entered, None),
                        Some(_) => (0.0, Source::Entered, None),
                        None => (0.0, Source::Missing, None),
                    },
                }
            };
            if c.in_total() {
                if source != Source::NotApplicable {
                    applicable += c.max;
                    earned += points;
                }
            } else {
                extra += points;
            }
            lines.push(Line {
                key: c.key.clone(),
                group: gi,
                title: c.title.clone(),
                max: c.max,
                points,
                source,
                value,
            });
        }
    }
    let scaled = if applicable > 0.0 {
        earned / applicable * def.total
    } else {
        0.0
    };
    let total = round1((scaled + extra).clamp(0.0, def.total));
    let groups = def
        .groups
        .iter()
        .enumerate()
        .map(|(gi, g)| GroupResult {
            title: g.title.clone(),
            max: g.max,
            points: round1(
                lines
                    .iter()
                    .filter(|l| l.group == gi)
                    .map(|l| l.points)
                    .sum(),
            ),
        })
        .collect();
    Scored {
        lines,
        groups,
        total,
        band: def.band_of(total).cloned(),
    }
}

fn bad(problem: String) -> ValidationError {
    ValidationError::new("answers", "Phiếu chấm", problem)
}

/// Answers fit the rubric: every key is a criterion, each answer fits its
/// kind, and every criterion that applies and that chibo does not compute
/// is answered.
pub fn check_answers(
    def: &Definition,
    answers: &Answers,
    metrics: &Metrics,
    ctx: Context,
) -> Result<(), Vec<ValidationError>> {
    let mut errors = Vec::new();
    for key in answers.keys() {
        if def.criterion(key).is_none() {
            errors.push(bad(format!("không có tiêu chí «{key}» trong bộ tiêu chí")));
        }
    }
    for (_, c) in def.criteria() {
        let answer = answers.get(&c.key);
        let computed = c.kind.metric().is_some_and(|m| metrics.contains_key(&m));
        let fits = match (&c.kind, answer) {
            (_, None) => true,
            (Kind::YesNo { .. } | Kind::Bonus | Kind::Penalty, Some(Answer::Yes(_))) => true,
            (Kind::Pick { choices }, Some(Answer::Pick(i))) => *i < choices.len(),
            (Kind::Band { .. }, Some(Answer::Value(v))) => v.is_finite() && *v >= 0.0,
            _ => false,
        };
        if !fits {
            errors.push(bad(format!("câu trả lời cho «{}» không hợp lệ", c.title)));
        } else if answer.is_none() && !computed && applies(c.only_if, ctx) {
            errors.push(bad(format!("chưa chấm tiêu chí «{}»", c.title)));
        }
    }
    if errors.is_empty() {
        Ok(())
    } else {
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::super::example::{kim_son_monthly, local_meeting};
    use super::super::{Choice, Criterion, Group, Step};
    use super::*;

    fn all_yes(def: &Definition) -> Answers {
        def.criteria()
            .filter_map(|(_, c)| match &c.kind {
                Kind::YesNo { metric: None, .. } => Some((c.key.clone(), Answer::Yes(true))),
                Kind::Pick { .. } => Some((c.key.clone(), Answer::Pick(0))),
                Kind::Bonus | Kind::Penalty => Some((c.key.clone(), Answer::Yes(false))),
                _ => None,
            })
            .collect()
    }

    fn full_metrics() -> Metrics {
        [
            (Metric::DurationMinutes, 120.0),
            (Metric::AttendancePercent, 100.0),
            (Metric::SpeakerPercent, 60.0),
            (Metric::DocsDayAhead, 100.0),
            (Metric::LastTasksDonePercent, 95.0),
        ]
        .into_iter()
        .collect()
    }

    /// A rubric of one 100-point yes/no-and-band group, to reach any total.
    fn simple() -> Definition {
        let mut d = local_meeting();
        d.groups = vec![Group {
            title: "Một nhóm".into(),
            max: 100.0,
            criteria: vec![Criterion {
                key: "x".into(),
                title: "Điểm".into(),
                max: 100.0,
                kind: Kind::Band {
                    metric: Metric::AttendancePercent,
                    direction: Direction::AtLeast,
                    steps: (0..=200)
                        .rev()
                        .map(|i| Step {
                            threshold: f64::from(i) / 2.0,
                            points: f64::from(i) / 2.0,
                        })
                        .collect(),
                },
                only_if: None,
            }],
        }];
        d
    }

    fn level_at(total: f64) -> String {
        let d = simple();
        let m: Metrics = [(Metric::AttendancePercent, total)].into_iter().collect();
        let s = score(&d, &Answers::new(), &m, Context::default());
        assert!((s.total - total).abs() < 1e-9, "{} vs {total}", s.total);
        s.band.unwrap().label
    }

    #[test]
    fn the_local_bands_at_their_edges() {
        assert_eq!(level_at(100.0), "Tốt");
        assert_eq!(level_at(90.0), "Tốt");
        assert_eq!(level_at(89.5), "Khá");
        assert_eq!(level_at(70.0), "Khá");
        assert_eq!(level_at(69.5), "Trung bình");
        assert_eq!(level_at(50.0), "Trung bình");
        assert_eq!(level_at(49.5), "Kém");
        assert_eq!(level_at(0.0), "Kém");
    }

    #[test]
    fn a_full_meeting_scores_100_with_the_thematic_part() {
        let d = local_meeting();
        let s = score(
            &d,
            &all_yes(&d),
            &full_metrics(),
            Context { thematic: true },
        );
        assert_eq!(s.total, 100.0);
        assert_eq!(s.band.unwrap().code, "good");
        assert!(
            s.lines.iter().all(|l| l.source != Source::Missing),
            "{:?}",
            s.lines
        );
        assert_eq!(s.groups.len(), 8);
        assert_eq!(s.groups.iter().map(|g| g.points).sum::<f64>(), 100.0);
    }

    #[test]
    fn thematic_content_only_counts_in_a_thematic_month() {
        let d = local_meeting();
        let s = score(
            &d,
            &all_yes(&d),
            &full_metrics(),
            Context { thematic: false },
        );
        let line = s.lines.iter().find(|l| l.key == "thematic").unwrap();
        assert_eq!(line.source, Source::NotApplicable);
        assert_eq!(s.total, 100.0, "scaled back to 100 without the 5 points");
        // Losing 5 of the 95 applicable points: 90/95 × 100 = 94.7.
        let mut a = all_yes(&d);
        a.insert("procedure".into(), Answer::Yes(false));
        let s = score(&d, &a, &full_metrics(), Context { thematic: false });
        assert_eq!(s.total, 94.7);
    }

    #[test]
    fn bands_read_the_metrics() {
        let d = local_meeting();
        let mut m = full_metrics();
        m.insert(Metric::AttendancePercent, 80.0);
        m.insert(Metric::SpeakerPercent, 35.0);
        m.insert(Metric::LastTasksDonePercent, 72.0);
        m.insert(Metric::DurationMinutes, 75.0);
        let s = score(&d, &all_yes(&d), &m, Context { thematic: true });
        let pts = |k: &str| s.lines.iter().find(|l| l.key == k).unwrap().points;
        assert_eq!(pts("attendance"), 3.0);
        assert_eq!(pts("speakers"), 3.0);
        assert_eq!(pts("last_results"), 24.0);
        assert_eq!(pts("duration"), 0.0);
        // 100 − 1 − 2 − 6 − 5 = 86: Khá.
        assert_eq!(s.total, 86.0);
        assert_eq!(s.band.unwrap().label, "Khá");
    }

    #[test]
    fn exact_thresholds_belong_to_the_upper_step() {
        let d = local_meeting();
        let mut m = full_metrics();
        for (att, pts) in [
            (90.0, 4.0),
            (89.9, 3.0),
            (75.0, 3.0),
            (65.0, 2.0),
            (64.9, 1.0),
            (0.0, 1.0),
        ] {
            m.insert(Metric::AttendancePercent, att);
            let s = score(&d, &all_yes(&d), &m, Context { thematic: true });
            assert_eq!(
                s.lines
                    .iter()
                    .find(|l| l.key == "attendance")
                    .unwrap()
                    .points,
                pts,
                "{att}"
            );
        }
    }

    #[test]
    fn a_missing_metric_takes_the_answer_or_nothing() {
        let d = local_meeting();
        let mut m = full_metrics();
        m.remove(&Metric::LastTasksDonePercent);
        let a = all_yes(&d);
        let s = score(&d, &a, &m, Context { thematic: true });
        let l = s.lines.iter().find(|l| l.key == "last_results").unwrap();
        assert_eq!((l.points, l.source), (0.0, Source::Missing));
        assert_eq!(s.total, 70.0);
        let err = check_answers(&d, &a, &m, Context { thematic: true }).unwrap_err();
        assert!(
            err[0]
                .to_string()
                .starts_with("Phiếu chấm: chưa chấm tiêu chí «Kết quả"),
            "{err:?}"
        );
        let mut a = a;
        a.insert("last_results".into(), Answer::Value(85.0));
        let s = score(&d, &a, &m, Context { thematic: true });
        let l = s.lines.iter().find(|l| l.key == "last_results").unwrap();
        assert_eq!(
            (l.points, l.source, l.value),
            (27.0, Source::Entered, Some(85.0))
        );
        assert_eq!(
            check_answers(&d, &a, &m, Context { thematic: true }),
            Ok(())
        );
    }

    #[test]
    fn computed_figures_win_over_answers() {
        let d = local_meeting();
        let mut a = all_yes(&d);
        a.insert("attendance".into(), Answer::Value(100.0));
        let mut m = full_metrics();
        m.insert(Metric::AttendancePercent, 50.0);
        let s = score(&d, &a, &m, Context { thematic: true });
        let l = s.lines.iter().find(|l| l.key == "attendance").unwrap();
        assert_eq!((l.points, l.source), (1.0, Source::Computed));
    }

    #[test]
    fn answers_must_fit() {
        let d = local_meeting();
        let m = full_metrics();
        let ctx = Context { thematic: true };
        let mut a = all_yes(&d);
        a.insert("nope".into(), Answer::Yes(true));
        assert!(
            check_answers(&d, &a, &m, ctx).unwrap_err()[0]
                .to_string()
                .contains("«nope»")
        );
        let mut a = all_yes(&d);
        a.insert("procedure".into(), Answer::Pick(0));
        assert!(check_answers(&d, &a, &m, ctx).is_err());
        let mut a = all_yes(&d);
        a.insert("attendance".into(), Answer::Value(-1.0));
        assert!(check_answers(&d, &a, &m, ctx).is_err());
        // Without a thematic meeting the thematic criterion needs no answer.
        let mut a = all_yes(&d);
        a.remove("thematic");
        assert_eq!(
            check_answers(&d, &a, &m, Context { thematic: false }),
            Ok(())
        );
        assert!(check_answers(&d, &a, &m, ctx).is_err());
    }

    #[test]
    fn bonus_and_penalty_stay_within_bounds() {
        let d = kim_son_monthly();
        let m: Metrics = [
            (Metric::MeetingsHeldPercent, 100.0),
            (Metric::MeetingsOnTimePercent, 100.0),
            (Metric::AttendancePercent, 96.0),
            (Metric::ThematicHeld, 100.0),
            (Metric::OverdueTasks, 0.0),
            (Metric::FollowUpsAnsweredPercent, 100.0),
            (Metric::RecommendationsAnsweredPercent, 100.0),
            (Metric::VisitReports, 1.0),
        ]
        .into_iter()
        .collect();
        let mut a = all_yes(&d);
        a.insert("initiative".into(), Answer::Yes(true));
        let s = score(&d, &a, &m, Context { thematic: true });
        assert_eq!(s.total, 100.0, "a bonus never passes the total");
        a.insert("initiative".into(), Answer::Yes(false));
        a.insert("violation".into(), Answer::Yes(true));
        let s = score(&d, &a, &m, Context { thematic: true });
        assert_eq!(s.total, 90.0);
        assert_eq!(
            s.lines
                .iter()
                .find(|l| l.key == "violation")
                .unwrap()
                .points,
            -10.0
        );
        let mut worst = Answers::new();
        worst.insert("violation".into(), Answer::Yes(true));
        let s = score(&d, &worst, &Metrics::new(), Context::default());
        assert_eq!(s.total, 0.0, "never below zero");
    }

    #[test]
    fn lower_is_better_bands() {
        let d = kim_son_monthly();
        for (overdue, pts) in [(0.0, 10.0), (1.0, 7.0), (3.0, 4.0), (4.0, 0.0)] {
            let m: Metrics = [(Metric::OverdueTasks, overdue)].into_iter().collect();
            let s = score(&d, &Answers::new(), &m, Context::default());
            assert_eq!(
                s.lines.iter().find(|l| l.key == "overdue").unwrap().points,
                pts,
                "{overdue}"
            );
        }
    }

    #[test]
    fn a_pick_uses_its_levels() {
        let mut d = simple();
        d.groups[0].criteria[0] = Criterion {
            key: "x".into(),
            title: "Mức".into(),
            max: 100.0,
            kind: Kind::Pick {
                choices: vec![
                    Choice {
                        label: "Tốt".into(),
                        points: 100.0,
                    },
                    Choice {
                        label: "Đạt".into(),
                        points: 60.0,
                    },
                ],
            },
            only_if: None,
        };
        let a: Answers = [("x".to_string(), Answer::Pick(1))].into_iter().collect();
        let s = score(&d, &a, &Metrics::new(), Context::default());
        assert_eq!(
            (s.total, s.band.unwrap().label.as_str()),
            (60.0, "Trung bình")
        );
        let a: Answers = [("x".to_string(), Answer::Pick(5))].into_iter().collect();
        assert_eq!(
            score(&d, &a, &Metrics::new(), Context::default()).total,
            0.0
        );
    }

    #[test]
    fn answers_round_trip_as_json() {
        let a: Answers = [
            ("a".to_string(), Answer::Yes(true)),
            ("b".to_string(), Answer::Pick(2)),
            ("c".to_string(), Answer::Value(87.5)),
        ]
        .into_iter()
        .collect();
        let s = serde_json::to_string(&a).unwrap();
        assert_eq!(s, r#"{"a":{"yes":true},"b":{"pick":2},"c":{"value":87.5}}"#);
        assert_eq!(serde_json::from_str::<Answers>(&s).unwrap(), a);
    }
}
