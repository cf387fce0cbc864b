//! Dashboards (*bảng điều khiển*): a node's figures for a period, as a list
//! of sections. A section is one titled table of numbers (categories down,
//! series across) that the page draws as a chart beside the same table, the
//! XLSX report writes as one sheet, and the API returns as JSON — so a new
//! kind of figure (quality levels, scores, classification…) is one more
//! section, built by one more function (docs/rules.md §Dashboards).

mod period;
pub mod sections;
pub mod signals;
pub mod targets;

pub use period::Period;

use serde::Serialize;

/// How a section is drawn; the table beside it is the same in every case.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum ChartKind {
    /// Vertical bars, the series side by side in each category (held against planned by month).
    #[default]
    Bars,
    /// One line a series over the categories (percentages by month).
    Lines,
    /// Vertical bars, the series stacked in each category (levels, statuses).
    Stacked,
    /// Horizontal bars of the first series, one a category (ranking, statuses, topics).
    HBars,
}

/// What the numbers are.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, utoipa::ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    #[default]
    Count,
    /// 0–100.
    Percent,
    /// Any figure, up to two decimals (an indicator's values).
    Number,
}

/// A column of words after the numbers (a target's standing).
#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct TextColumn {
    pub name: String,
    /// One a category.
    pub values: Vec<String>,
}

/// One column of a section's table: a name and one value a category. `None`
/// means there is nothing to measure (a rate in a month without meetings),
/// which is not the same as 0.
#[derive(Debug, Clone, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Series {
    pub name: String,
    pub values: Vec<Option<f64>>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, utoipa::ToSchema)]
pub struct Section {
    /// Stable identifier (`meetings_by_month`), used for anchors and tests.
    pub key: String,
    pub title: String,
    /// The XLSX sheet name (at most 31 characters, none of `[]:*?/\`).
    pub sheet: String,
    pub chart: ChartKind,
    pub unit: Unit,
    /// Header of the category column (`Tháng`, `Trạng thái`).
    pub category_header: String,
    pub categories: Vec<String>,
    pub series: Vec<Series>,
    /// How the figures are counted, in one sentence.
    pub note: String,
    /// Set when the period holds nothing for this section: said plainly
    /// instead of an empty chart.
    pub empty: Option<String>,
    /// Words after the numbers, if the section has them.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub remarks: Option<TextColumn>,
    /// The node each category is, when categories are nodes (the page links
    /// them); empty otherwise.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub category_orgs: Vec<Option<i64>>,
}

impl Section {
    /// The value of `series` at `category`, if both exist.
    pub fn value(&self, series: usize, category: usize) -> Option<f64> {
        self.series
            .get(series)
            .and_then(|s| s.values.get(category))
            .copied()
            .flatten()
    }

    /// The largest value of the section (of the stacked sums for a stacked
    /// chart), 0 when there is none.
    pub fn max(&self) -> f64 {
        let stacked = self.chart == ChartKind::Stacked;
        (0..self.categories.len())
            .map(|c| {
                let vals = self
                    .series
                    .iter()
                    .filter_map(|s| s.values.get(c).copied().flatten());
                if stacked {
                    vals.sum::<f64>()
                } else {
                    vals.fold(0.0, f64::max)
                }
            })
            .fold(0.0, f64::max)
    }
}

/// `part / whole` as a percentage rounded to one decimal; `None` when there
/// is no whole to divide by.
pub fn percent(part: i64, whole: i64) -> Option<f64> {
    (whole > 0).then(|| (part as f64 * 1000.0 / whole as f64).round() / 10.0)
}

/// "T1" … "T12": month labels short enough for a phone's chart axis.
pub fn month_label(month: i8) -> String {
    format!("T{month}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn section(chart: ChartKind, series: Vec<Vec<Option<f64>>>) -> Section {
        Section {
            key: "k".into(),
            title: "t".into(),
            sheet: "s".into(),
            chart,
            unit: Unit::Count,
            category_header: "c".into(),
            categories: vec!["a".into(), "b".into()],
            series: series
                .into_iter()
                .enumerate()
                .map(|(i, values)| Series {
                    name: format!("s{i}"),
                    values,
                })
                .collect(),
            note: String::new(),
            empty: None,
            ..Default::default()
        }
    }

    #[test]
    fn percent_rounds_to_one_decimal_and_refuses_an_empty_whole() {
        assert_eq!(percent(2, 3), Some(66.7));
        assert_eq!(percent(1, 8), Some(12.5));
        assert_eq!(percent(0, 5), Some(0.0));
        assert_eq!(percent(3, 0), None);
    }

    #[test]
    fn max_of_bars_is_the_tallest_bar_and_of_stacks_the_tallest_stack() {
        let vals = vec![vec![Some(3.0), Some(1.0)], vec![Some(2.0), None]];
        assert_eq!(section(ChartKind::Bars, vals.clone()).max(), 3.0);
        assert_eq!(section(ChartKind::Stacked, vals).max(), 5.0);
        assert_eq!(section(ChartKind::Bars, vec![vec![None, None]]).max(), 0.0);
    }

    #[test]
    fn value_reads_series_then_category() {
        let s = section(ChartKind::Bars, vec![vec![Some(3.0), None]]);
        assert_eq!(s.value(0, 0), Some(3.0));
        assert_eq!(s.value(0, 1), None);
        assert_eq!(s.value(1, 0), None);
        assert_eq!(month_label(12), "T12");
    }
}
