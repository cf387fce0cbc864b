//! Formalism signals on the dashboard: counts by rule over the nodes
//! strictly below, and the nodes signalled (docs/rules.md "Formalism
//! signals", "Dashboards"). The counts come per node from the signal
//! cache; these functions only add them up.

use super::{ChartKind, Period, Section, Series, Unit};
use crate::domain::signal::Rule;

/// The most nodes listed by name; the rest are counted in the note.
pub const MAX_LISTED: usize = 200;

/// One node's signals of the period, by rule.
#[derive(Debug, Clone, PartialEq)]
pub struct NodeCounts {
    pub org: i64,
    pub name: String,
    pub counts: Vec<(Rule, i64)>,
}

impl NodeCounts {
    pub fn total(&self) -> i64 {
        self.counts.iter().map(|c| c.1).sum()
    }

    pub fn of(&self, rule: Rule) -> i64 {
        self.counts
            .iter()
            .filter(|c| c.0 == rule)
            .map(|c| c.1)
            .sum()
    }
}

/// While the signals of `pending` nodes are recounted in the background (a
/// cold cache at a province or the nation): said plainly, no partial sums.
pub fn counting(pending: usize, p: &Period) -> Section {
    Section {
        empty: Some(format!(
            "Đang đếm lại biểu hiện hình thức của {pending} tổ chức trực thuộc có số liệu mới; \
             tải lại trang sau ít phút để xem."
        )),
        ..by_rule(&[], p)
    }
}

/// Signals by rule, summed over the nodes.
pub fn by_rule(nodes: &[NodeCounts], p: &Period) -> Section {
    let values: Vec<i64> = Rule::ALL
        .iter()
        .map(|r| nodes.iter().map(|n| n.of(*r)).sum())
        .collect();
    let total: i64 = values.iter().sum();
    Section {
        key: "signals_by_rule".into(),
        title: "Biểu hiện hình thức theo dấu hiệu".into(),
        sheet: "Biểu hiện hình thức".into(),
        chart: ChartKind::HBars,
        unit: Unit::Count,
        category_header: "Dấu hiệu".into(),
        categories: Rule::ALL.iter().map(|r| r.label().to_string()).collect(),
        series: vec![Series {
            name: "Số biểu hiện".into(),
            values: values.into_iter().map(|v| Some(v as f64)).collect(),
        }],
        note: "Dấu hiệu để cấp trên xem xét, không phải kết luận; tính trên các kỳ sinh hoạt đã họp trong kỳ của các tổ chức trực thuộc (không tính của chính tổ chức này).".into(),
        empty: (total == 0).then(|| {
            format!(
                "Không có biểu hiện hình thức nào ở các tổ chức trực thuộc trong {}.",
                p.label()
            )
        }),
        ..Default::default()
    }
}

/// The nodes signalled, most signals first (then by name), each with its
/// count by rule; at most [`MAX_LISTED`].
pub fn by_node(nodes: &[NodeCounts], p: &Period) -> Section {
    let mut hit: Vec<&NodeCounts> = nodes.iter().filter(|n| n.total() > 0).collect();
    hit.sort_by(|a, b| b.total().cmp(&a.total()).then_with(|| a.name.cmp(&b.name)));
    let left = hit.len().saturating_sub(MAX_LISTED);
    hit.truncate(MAX_LISTED);
    let rules: Vec<Rule> = Rule::ALL
        .into_iter()
        .filter(|r| hit.iter().any(|n| n.of(*r) > 0))
        .collect();
    let mut series = vec![Series {
        name: "Tổng".into(),
        values: hit.iter().map(|n| Some(n.total() as f64)).collect(),
    }];
    series.extend(rules.iter().map(|r| Series {
        name: r.label().into(),
        values: hit.iter().map(|n| Some(n.of(*r) as f64)).collect(),
    }));
    let mut note = "Tổ chức có biểu hiện trong kỳ; bấm tên để mở trang của tổ chức, xem chi tiết ở trang Biểu hiện hình thức.".to_string();
    if left > 0 {
        note.push_str(&format!(
            " Còn {left} tổ chức khác có biểu hiện không liệt kê ở đây."
        ));
    }
    Section {
        key: "signals_by_node".into(),
        title: "Tổ chức có biểu hiện hình thức".into(),
        sheet: "Tổ chức có biểu hiện".into(),
        chart: ChartKind::HBars,
        unit: Unit::Count,
        category_header: "Tổ chức".into(),
        categories: hit.iter().map(|n| n.name.clone()).collect(),
        series,
        note,
        empty: hit
            .is_empty()
            .then(|| format!("Không có tổ chức nào có biểu hiện trong {}.", p.label())),
        category_orgs: hit.iter().map(|n| Some(n.org)).collect(),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn node(org: i64, name: &str, counts: &[(Rule, i64)]) -> NodeCounts {
        NodeCounts {
            org,
            name: name.into(),
            counts: counts.to_vec(),
        }
    }

    #[test]
    fn a_recount_in_progress_shows_no_partial_sum() {
        let s = counting(13_333, &Period::year(2026));
        assert_eq!(s.key, "signals_by_rule");
        assert!(
            s.empty
                .as_deref()
                .is_some_and(|e| e.contains("13333 tổ chức"))
        );
        assert!(
            s.series
                .iter()
                .all(|x| x.values.iter().all(|v| *v == Some(0.0)))
        );
    }

    #[test]
    fn counts_add_up_by_rule_and_nodes_are_listed_most_first() {
        let p = Period::year(2026);
        let nodes = [
            node(1, "Chi bộ 1", &[(Rule::ShortMeeting, 1)]),
            node(
                2,
                "Chi bộ 2",
                &[(Rule::ShortMeeting, 2), (Rule::SilentMember, 1)],
            ),
            node(3, "Chi bộ 3", &[]),
        ];
        let s = by_rule(&nodes, &p);
        assert_eq!(s.categories.len(), Rule::ALL.len());
        let short = Rule::ALL
            .iter()
            .position(|r| *r == Rule::ShortMeeting)
            .unwrap();
        assert_eq!(s.value(0, short), Some(3.0));
        assert!(s.empty.is_none());
        let n = by_node(&nodes, &p);
        assert_eq!(n.categories, ["Chi bộ 2", "Chi bộ 1"]);
        assert_eq!(n.category_orgs, [Some(2), Some(1)]);
        assert_eq!(n.series.len(), 3, "total and the two rules that fired");
        assert_eq!(n.value(0, 0), Some(3.0));
        assert!(by_node(&nodes[2..], &p).empty.is_some());
        assert!(by_rule(&nodes[2..], &p).empty.is_some());
    }

    #[test]
    fn a_long_list_is_cut_and_says_how_many_are_left() {
        let nodes: Vec<NodeCounts> = (0..MAX_LISTED as i64 + 5)
            .map(|i| node(i, &format!("Chi bộ {i}"), &[(Rule::ShortMeeting, 1)]))
            .collect();
        let s = by_node(&nodes, &Period::year(2026));
        assert_eq!(s.categories.len(), MAX_LISTED);
        assert!(s.note.contains("Còn 5 tổ chức"), "{}", s.note);
    }
}
