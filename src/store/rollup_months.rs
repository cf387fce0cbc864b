//! The month-by-month part of the meeting rollups (metric set v3): meetings,
//! roll calls and recommendations counted by the month they fall in, so a
//! dashboard reads a year's months from the same rows as the yearly
//! statistics (docs/rules.md §Dashboards). The counts themselves are in
//! `rollup_counts`.
//!
//! The month is found in SQL without date functions (which the two
//! databases spell differently): a CASE over the first days of February to
//! December of the measured year, bound as parameters `$5`…`$15`.

use super::org::valid_on;
use super::types::day;
use crate::domain::dashboard::sections::month_prefix;
use jiff::civil::{Date, date};

/// Appended to a scope's `sub` CTE: `holder(id, h)` gives each node the node
/// its meetings are counted under — a node without children (a cell) other
/// than `$1` counts under its parent, anything else under itself. Every
/// caller of `rollup::direct` sums leaves into their parent (or into the
/// whole), and only branch nodes keep rows, so this changes no total; it lets
/// the month-by-month pass return a few rows per branch node instead of one
/// per cell, kind and month (a million at national scale).
pub const HOLDER_CTE: &str = concat!(
    ", holder(id, h) AS (SELECT sub.id, CASE WHEN sub.id <> $1 AND NOT EXISTS ",
    "(SELECT 1 FROM org_version c WHERE c.parent_id = sub.id AND ",
    valid_on!("c", "$2"),
    ") THEN (SELECT v.parent_id FROM org_version v WHERE v.org_id = sub.id AND ",
    valid_on!("v", "$2"),
    ") ELSE sub.id END FROM sub) "
);

/// First parameter number of the month bounds.
const FIRST: usize = 5;

/// `CASE WHEN col < $5 THEN 1 … ELSE 12 END`: the month of `col` within the
/// year whose bounds are bound from `$5`.
pub fn month_case(col: &str) -> String {
    let mut s = String::from("CASE");
    for m in 1..12 {
        s.push_str(&format!(" WHEN {col} < ${} THEN {m}", FIRST + m - 1));
    }
    s.push_str(" ELSE 12 END");
    s
}

/// The first days of February to December of `from`'s year.
pub fn month_bounds(from: Date) -> Vec<super::types::Day> {
    (2..=12).map(|m| day(date(from.year(), m, 1))).collect()
}

/// Metric name of a month's meeting figure (`mon:03:held:regular`).
pub fn meeting_key(month: i64, what: &str) -> String {
    format!("{}{what}", month_prefix(month.clamp(1, 12) as i8))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_month_case_numbers_its_eleven_bounds_from_five() {
        let c = month_case("m.held_on");
        assert!(c.starts_with("CASE WHEN m.held_on < $5 THEN 1 WHEN m.held_on < $6 THEN 2"));
        assert!(c.ends_with("WHEN m.held_on < $15 THEN 11 ELSE 12 END"));
        assert_eq!(month_bounds(date(2024, 1, 1)).len(), 11);
        assert_eq!(meeting_key(3, "held:regular"), "mon:03:held:regular");
        assert_eq!(meeting_key(0, "present"), "mon:01:present");
    }
}
