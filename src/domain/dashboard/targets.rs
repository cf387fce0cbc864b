//! Targets against actuals on the dashboard: a node's own indicators and,
//! by code, the sum of those of the nodes below it where they add up
//! (docs/rules.md "Targets and indicators", "Dashboards").

use super::{ChartKind, Period, Section, Series, TextColumn, Unit};
use crate::domain::indicator::{self, Direction, Figure, Rollup, Standing, roll_up, standing};
use jiff::civil::Date;
use std::collections::BTreeMap;

/// What the dashboard knows of one indicator: its definition, its targets
/// from the period's year on and its actuals of that year (latest record
/// of each, corrections already dropped).
#[derive(Debug, Clone, PartialEq)]
pub struct Facts {
    pub org: i64,
    pub code: String,
    pub name: String,
    pub unit: indicator::Unit,
    pub direction: Direction,
    pub baseline: Figure,
    pub baseline_on: Date,
    pub targets: Vec<(i16, f64)>,
    pub actuals: Vec<(indicator::Period, Figure)>,
}

impl Facts {
    /// The target of `year`, or of the nearest later year set.
    fn target(&self, year: i16) -> Option<(i16, f64)> {
        self.targets
            .iter()
            .filter(|(y, _)| *y >= year)
            .min_by_key(|(y, _)| *y)
            .copied()
    }

    /// The latest actual of the period (a quarter or month ending after the
    /// period's last month is not yet in it).
    fn actual(&self, p: &Period) -> Option<(indicator::Period, Figure)> {
        self.actuals
            .iter()
            .filter(|(q, _)| q.year == p.year && q.last_month() <= p.to_month)
            .max_by_key(|(q, _)| q.sort_key())
            .copied()
    }
}

/// One line of the section.
#[derive(Debug, Clone, PartialEq)]
pub struct Line {
    pub label: String,
    /// The node that holds it; `None` for a sum over the nodes below.
    pub org: Option<i64>,
    pub direction: Direction,
    pub baseline: Option<f64>,
    pub target: Option<(i16, f64)>,
    pub actual: Option<f64>,
    pub progress: Option<f64>,
    pub standing: Standing,
    /// Set when the nodes' values do not add up (a rate without its parts,
    /// units or directions that differ).
    pub not_summable: bool,
}

fn value_of(r: Option<Rollup>) -> (Option<f64>, bool) {
    match r {
        Some(Rollup::Sum(v)) => (Some(v), false),
        Some(Rollup::Rate { percent, .. }) => (Some((percent * 100.0).round() / 100.0), false),
        Some(Rollup::NotSummable) => (None, true),
        None => (None, false),
    }
}

/// The lines of the period: `own` as they are, `below` summed by code.
pub fn lines(own: &[Facts], below: &[Facts], p: &Period) -> Vec<Line> {
    let mut out: Vec<Line> = own
        .iter()
        .map(|f| {
            let target = f.target(p.year);
            let actual = f.actual(p);
            Line {
                label: format!("{} ({})", f.name, f.code),
                org: Some(f.org),
                direction: f.direction,
                baseline: Some(f.baseline.value),
                target,
                actual: actual.map(|a| a.1.value),
                progress: target.zip(actual).and_then(|((_, t), (_, a))| {
                    f.direction.progress(f.baseline.value, t, a.value)
                }),
                standing: standing(
                    f.direction,
                    (f.baseline.value, f.baseline_on),
                    target,
                    actual.map(|(q, a)| (q, a.value)),
                ),
                not_summable: false,
            }
        })
        .collect();
    let mut by_code: BTreeMap<&str, Vec<&Facts>> = BTreeMap::new();
    for f in below {
        by_code.entry(f.code.as_str()).or_default().push(f);
    }
    for (code, fs) in by_code {
        let Some(first) = fs.first() else { continue };
        let label = format!(
            "{} ({code}), cộng {} đơn vị trực thuộc",
            first.name,
            fs.len()
        );
        let alike = fs
            .iter()
            .all(|f| f.unit == first.unit && f.direction == first.direction);
        let actuals: Vec<(indicator::Period, Figure)> =
            fs.iter().filter_map(|f| f.actual(p)).collect();
        let (actual, bad_actual) = value_of(roll_up(
            first.unit,
            &actuals.iter().map(|a| a.1).collect::<Vec<_>>(),
        ));
        let (baseline, bad_base) = value_of(roll_up(
            first.unit,
            &fs.iter().map(|f| f.baseline).collect::<Vec<_>>(),
        ));
        // Counts and amounts: the targets add up when every node set one; a
        // rate's target is the nodes' common target, if they share one.
        let targets: Option<Vec<(i16, f64)>> = fs.iter().map(|f| f.target(p.year)).collect();
        let target = targets.and_then(|ts| {
            let year = ts.iter().map(|t| t.0).max()?;
            match first.unit {
                indicator::Unit::Percent => {
                    ts.iter().all(|t| t.1 == ts[0].1).then(|| (year, ts[0].1))
                }
                _ => Some((year, ts.iter().map(|t| t.1).sum())),
            }
        });
        let not_summable = !alike || bad_actual || bad_base;
        let latest = actuals.iter().map(|a| a.0).max_by_key(|q| q.sort_key());
        let earliest = fs
            .iter()
            .map(|f| f.baseline_on)
            .min()
            .unwrap_or(first.baseline_on);
        let (target, actual, baseline) = if not_summable {
            (None, None, None)
        } else {
            (target, actual, baseline)
        };
        out.push(Line {
            label,
            org: None,
            direction: first.direction,
            baseline,
            target,
            actual,
            progress: match (baseline, target, actual) {
                (Some(b), Some((_, t)), Some(a)) => first.direction.progress(b, t, a),
                _ => None,
            },
            standing: match (baseline, latest) {
                (Some(b), Some(q)) => standing(
                    first.direction,
                    (b, earliest),
                    target,
                    actual.map(|a| (q, a)),
                ),
                _ => Standing::Unknown,
            },
            not_summable,
        });
    }
    out
}

fn round2(v: f64) -> f64 {
    (v * 100.0).round() / 100.0
}

/// The section: progress drawn as horizontal bars, the baseline, target
/// and actual beside it, and the standing in words.
pub fn section(lines: &[Line], p: &Period) -> Section {
    let series = |name: &str, f: &dyn Fn(&Line) -> Option<f64>| Series {
        name: name.into(),
        values: lines.iter().map(|l| f(l).map(round2)).collect(),
    };
    Section {
        key: "targets".into(),
        title: format!("Chỉ tiêu và kết quả thực hiện, {}", p.label()),
        sheet: "Chỉ tiêu".into(),
        chart: ChartKind::HBars,
        unit: Unit::Number,
        category_header: "Chỉ tiêu".into(),
        categories: lines.iter().map(|l| l.label.clone()).collect(),
        series: vec![
            series("Tiến độ (%)", &|l| l.progress),
            series("Số liệu gốc", &|l| l.baseline),
            series(&format!("Chỉ tiêu năm {}", p.year), &|l| l.target.map(|t| t.1)),
            series("Thực hiện", &|l| l.actual),
        ],
        note: "Thực hiện: số liệu mới nhất của năm trong kỳ. Chỉ tiêu: của năm, nếu không có thì của năm gần nhất sau đó. Tiến độ: phần chặng đường từ số liệu gốc đến chỉ tiêu đã đi được; đúng tiến độ khi không chậm hơn phần thời gian đã qua. Chỉ tiêu của các đơn vị trực thuộc cộng theo mã; tỷ lệ cộng theo tử số và mẫu số.".into(),
        empty: lines
            .is_empty()
            .then(|| "Tổ chức và các đơn vị trực thuộc chưa đặt chỉ tiêu nào.".to_string()),
        remarks: Some(TextColumn {
            name: "Đánh giá".into(),
            values: lines
                .iter()
                .map(|l| {
                    let what = if l.not_summable {
                        "Không cộng được (thiếu tử số, mẫu số hoặc khác loại)"
                    } else {
                        l.standing.label()
                    };
                    match l.direction {
                        Direction::Lower => format!("{what} · càng thấp càng tốt"),
                        Direction::Higher => what.to_string(),
                    }
                })
                .collect(),
        }),
        category_orgs: lines.iter().map(|l| l.org).collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn facts(org: i64, code: &str, unit: indicator::Unit, dir: Direction) -> Facts {
        Facts {
            org,
            code: code.into(),
            name: format!("Chỉ tiêu {code}"),
            unit,
            direction: dir,
            baseline: Figure {
                value: 10.0,
                ..Default::default()
            },
            baseline_on: date(2025, 12, 31),
            targets: vec![(2026, 20.0)],
            actuals: vec![],
        }
    }

    fn fig(v: f64) -> Figure {
        Figure {
            value: v,
            ..Default::default()
        }
    }

    #[test]
    fn own_lines_judge_their_latest_actual_of_the_period() {
        let mut f = facts(1, "KN", indicator::Unit::Count, Direction::Higher);
        f.actuals = vec![
            (indicator::Period::parse("Q1/2026").unwrap(), fig(12.0)),
            (indicator::Period::parse("Q3/2026").unwrap(), fig(20.0)),
        ];
        let year = Period::year(2026);
        let l = &lines(std::slice::from_ref(&f), &[], &year)[0];
        assert_eq!((l.actual, l.standing), (Some(20.0), Standing::Reached));
        // In the first half only Q1 counts: 20% of the way after 6 of 12 months.
        let half = Period::parse("2026", "1", "6", 2026).unwrap();
        let l = &lines(std::slice::from_ref(&f), &[], &half)[0];
        assert_eq!((l.actual, l.standing), (Some(12.0), Standing::Behind));
        assert_eq!(l.progress, Some(20.0));
        let s = section(&lines(&[f], &[], &half), &half);
        assert_eq!(s.value(0, 0), Some(20.0));
        assert_eq!(s.value(2, 0), Some(20.0));
        assert_eq!(s.category_orgs, [Some(1)]);
        assert_eq!(
            s.remarks.as_ref().map(|r| r.values.clone()),
            Some(vec!["Chậm tiến độ".to_string()])
        );
    }

    #[test]
    fn lower_is_better_lines_say_so() {
        let mut f = facts(1, "VP", indicator::Unit::Count, Direction::Lower);
        f.baseline = fig(12.0);
        f.targets = vec![(2026, 8.0)];
        f.actuals = vec![(indicator::Period::year(2026), fig(7.0))];
        let p = Period::year(2026);
        let ls = lines(&[f], &[], &p);
        assert_eq!(ls[0].standing, Standing::Reached);
        let s = section(&ls, &p);
        assert_eq!(
            s.remarks.map(|r| r.values),
            Some(vec!["Đã đạt · càng thấp càng tốt".to_string()])
        );
    }

    #[test]
    fn the_nodes_below_add_up_by_code_where_they_can() {
        let p = Period::year(2026);
        let mut a = facts(2, "KN", indicator::Unit::Count, Direction::Higher);
        a.actuals = vec![(indicator::Period::year(2026), fig(15.0))];
        let mut b = facts(3, "KN", indicator::Unit::Count, Direction::Higher);
        b.actuals = vec![(indicator::Period::year(2026), fig(25.0))];
        let ls = lines(&[], &[a, b], &p);
        assert_eq!(ls.len(), 1);
        let l = &ls[0];
        assert_eq!(
            (l.baseline, l.target, l.actual, l.org),
            (Some(20.0), Some((2026, 40.0)), Some(40.0), None)
        );
        assert_eq!(l.standing, Standing::Reached);
        assert!(l.label.contains("cộng 2 đơn vị"), "{}", l.label);
        // A rate without its parts does not add up.
        let mut r1 = facts(2, "BHYT", indicator::Unit::Percent, Direction::Higher);
        r1.actuals = vec![(indicator::Period::year(2026), fig(90.0))];
        let r2 = r1.clone();
        let ls = lines(&[], &[r1, r2], &p);
        assert!(ls[0].not_summable);
        assert_eq!((ls[0].actual, ls[0].standing), (None, Standing::Unknown));
        assert!(section(&[], &p).empty.is_some());
    }
}
