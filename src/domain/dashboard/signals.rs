//! Formalism signals on the dashboard: counts by rule over the nodes
//! strictly below, and the nodes signalled (docs/rules.md "Formalism
//! signals", "Dashboards"). The counts come per node from the signal
//! cache; these functions only add them up.

use super::{ChartKind, Period, Section, Series, Unit};
use crate::domain::signal::Rule;
use std::cmp::Ordering;

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

/// The signals of the nodes below, added up one node at a time: the sums by
/// rule over all of them and only the nodes [`by_node`] lists. A national
/// dashboard goes through some 67,000 nodes at 1 M members; holding them all
/// took about 40 MB a request (docs/benchmarks.md "Where the memory goes").
#[derive(Debug, Clone, Default)]
pub struct Tally {
    by_rule: [i64; Rule::ALL.len()],
    /// Nodes with at least one signal.
    signalled: usize,
    /// The most signalled nodes so far; cut back to [`MAX_LISTED`] whenever
    /// it holds twice that.
    top: Vec<NodeCounts>,
}

impl Tally {
    pub fn add(&mut self, node: NodeCounts) {
        for (sum, rule) in self.by_rule.iter_mut().zip(Rule::ALL) {
            *sum += node.of(rule);
        }
        if node.total() <= 0 {
            return;
        }
        self.signalled += 1;
        self.top.push(node);
        if self.top.len() >= 2 * MAX_LISTED {
            self.top.sort_by(listing_order);
            self.top.truncate(MAX_LISTED);
        }
    }

    /// The nodes listed, in their order.
    fn listed(&self) -> Vec<&NodeCounts> {
        let mut hit: Vec<&NodeCounts> = self.top.iter().collect();
        hit.sort_by(|a, b| listing_order(a, b));
        hit.truncate(MAX_LISTED);
        hit
    }
}

impl FromIterator<NodeCounts> for Tally {
    fn from_iter<I: IntoIterator<Item = NodeCounts>>(nodes: I) -> Self {
        let mut t = Tally::default();
        nodes.into_iter().for_each(|n| t.add(n));
        t
    }
}

/// Most signals first, then by name (then by id, so that equal names keep
/// one order whatever order the nodes came in).
fn listing_order(a: &NodeCounts, b: &NodeCounts) -> Ordering {
    b.total()
        .cmp(&a.total())
        .then_with(|| a.name.cmp(&b.name))
        .then_with(|| a.org.cmp(&b.org))
}

/// While the signals of `pending` nodes are recounted in the background (a
/// cold cache at a province or the nation): said plainly, no partial sums.
pub fn counting(pending: usize, p: &Period) -> Section {
    Section {
        empty: Some(format!(
            "Đang đếm lại biểu hiện hình thức của {pending} tổ chức trực thuộc có số liệu mới; \
             tải lại trang sau ít phút để xem."
        )),
        ..by_rule(&Tally::default(), p)
    }
}

/// Signals by rule, summed over the nodes.
pub fn by_rule(tally: &Tally, p: &Period) -> Section {
    let values = tally.by_rule;
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
pub fn by_node(tally: &Tally, p: &Period) -> Section {
    let hit = tally.listed();
    let left = tally.signalled.saturating_sub(hit.len());
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
        let tally: Tally = nodes.iter().cloned().collect();
        let s = by_rule(&tally, &p);
        assert_eq!(s.categories.len(), Rule::ALL.len());
        let short = Rule::ALL
            .iter()
            .position(|r| *r == Rule::ShortMeeting)
            .unwrap();
        assert_eq!(s.value(0, short), Some(3.0));
        assert!(s.empty.is_none());
        let n = by_node(&tally, &p);
        assert_eq!(n.categories, ["Chi bộ 2", "Chi bộ 1"]);
        assert_eq!(n.category_orgs, [Some(2), Some(1)]);
        assert_eq!(n.series.len(), 3, "total and the two rules that fired");
        assert_eq!(n.value(0, 0), Some(3.0));
        let none: Tally = nodes[2..].iter().cloned().collect();
        assert!(by_node(&none, &p).empty.is_some());
        assert!(by_rule(&none, &p).empty.is_some());
    }

    #[test]
    fn a_tally_lists_what_sorting_every_node_would_in_any_order() {
        // 1,000 nodes, totals 0..=12 with many ties, names repeated.
        let nodes: Vec<NodeCounts> = (0..1000_i64)
            .map(|i| {
                let short = (i * 7919) % 13;
                let silent = i % 3;
                node(
                    i,
                    &format!("Chi bộ {}", i % 97),
                    &[(Rule::ShortMeeting, short), (Rule::SilentMember, silent)],
                )
            })
            .map(|mut n| {
                n.counts.retain(|c| c.1 > 0);
                n
            })
            .collect();
        let mut all: Vec<&NodeCounts> = nodes.iter().filter(|n| n.total() > 0).collect();
        all.sort_by(|a, b| listing_order(a, b));
        let expected: Vec<i64> = all.iter().take(MAX_LISTED).map(|n| n.org).collect();
        let p = Period::year(2026);
        for order in [nodes.clone(), nodes.iter().rev().cloned().collect()] {
            let t: Tally = order.into_iter().collect();
            let listed = by_node(&t, &p);
            let orgs: Vec<i64> = listed.category_orgs.iter().map(|o| o.unwrap()).collect();
            assert_eq!(orgs, expected);
            let left = all.len() - MAX_LISTED;
            assert!(
                listed.note.contains(&format!("Còn {left} tổ chức")),
                "{}",
                listed.note
            );
            let short = Rule::ALL
                .iter()
                .position(|r| *r == Rule::ShortMeeting)
                .unwrap();
            let sum: i64 = nodes.iter().map(|n| n.of(Rule::ShortMeeting)).sum();
            assert_eq!(by_rule(&t, &p).value(0, short), Some(sum as f64));
        }
    }

    #[test]
    fn a_long_list_is_cut_and_says_how_many_are_left() {
        let nodes: Vec<NodeCounts> = (0..MAX_LISTED as i64 + 5)
            .map(|i| node(i, &format!("Chi bộ {i}"), &[(Rule::ShortMeeting, 1)]))
            .collect();
        let s = by_node(&nodes.into_iter().collect(), &Period::year(2026));
        assert_eq!(s.categories.len(), MAX_LISTED);
        assert!(s.note.contains("Còn 5 tổ chức"), "{}", s.note);
    }
}
