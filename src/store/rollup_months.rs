//! The month-by-month part of the meeting rollups (metric set v3): meetings,
//! roll calls and recommendations counted by the month they fall in, so a
//! dashboard reads a year's months from the same rows as the yearly
//! statistics (docs/rules.md §Dashboards).
//!
//! The month is found in SQL without date functions (which the two
//! databases spell differently): a CASE over the first days of February to
//! December of the measured year, bound as parameters `$5`…`$15`.

use super::org::valid_on;
use super::types::day;
use super::{Db, Result};
use crate::domain::dashboard::sections::{
    class_key, month_prefix, quality_key, rec_status_key, rec_topic_key,
};
use crate::domain::ids::OrgId;
use crate::on_db;
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

/// Recommendations raised in `from..=to` in the cells of the scope, by node,
/// month, status and topic: (node, metric, count).
pub async fn recommendations(
    db: &Db,
    cte: &str,
    root: OrgId,
    tree_on: Date,
    from: Date,
    to: Date,
) -> Result<Vec<(i64, String, i64)>> {
    let sql = format!(
        "{cte}SELECT sub.id, {} AS mon, r.status, r.topic, COUNT(*) \
         FROM sub CROSS JOIN recommendation r \
         WHERE r.cell_id = sub.id AND r.raised_on >= $3 AND r.raised_on <= $4 \
         GROUP BY 1, 2, 3, 4",
        month_case("r.raised_on")
    );
    let rows: Vec<(i64, i32, String, String, i64)> = on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql)
            .bind(root)
            .bind(day(tree_on))
            .bind(day(from))
            .bind(day(to));
        for b in month_bounds(from) {
            q = q.bind(b);
        }
        q.fetch_all(p).await
    })?;
    let mut out = Vec::with_capacity(rows.len() * 2);
    for (id, mon, status, topic, n) in rows {
        let mon = mon.clamp(1, 12) as i8;
        out.push((id, rec_status_key(mon, &status), n));
        out.push((id, rec_topic_key(mon, &topic), n));
    }
    Ok(out)
}

/// Held meetings of `from..=to` with a quality level, by node, month and
/// level (the review's if any, else the self-assessment's):
/// (node, `qual:03:good`, count) (docs/rules.md "Meeting quality levels").
pub async fn quality(
    db: &Db,
    cte: &str,
    root: OrgId,
    tree_on: Date,
    from: Date,
    to: Date,
) -> Result<Vec<(i64, String, i64)>> {
    let sql = format!(
        "{cte}SELECT sub.id, {} AS mon, COALESCE(r.level, s.level), COUNT(*) \
         FROM sub CROSS JOIN meeting m \
         JOIN meeting_assessment s ON s.meeting_id = m.id AND s.stage = 'self' \
         LEFT JOIN meeting_assessment r ON r.meeting_id = m.id AND r.stage = 'review' \
         WHERE m.org_id = sub.id AND m.held_on >= $3 AND m.held_on <= $4 AND m.status = 'held' \
         GROUP BY 1, 2, 3",
        month_case("m.held_on")
    );
    let rows: Vec<(i64, i32, String, i64)> = on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql)
            .bind(root)
            .bind(day(tree_on))
            .bind(day(from))
            .bind(day(to));
        for b in month_bounds(from) {
            q = q.bind(b);
        }
        q.fetch_all(p).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(id, mon, level, n)| (id, quality_key(mon.clamp(1, 12) as i8, &level), n))
        .collect())
}

/// The classification records of `from`'s year kept at each node of the
/// scope (a member's under their cell, an organization's under itself), by
/// kind and final grade: (node, `class:member:good` or `class:org:pending`,
/// count) (docs/rules.md "Classification regimes by year").
pub async fn classification(
    db: &Db,
    cte: &str,
    root: OrgId,
    tree_on: Date,
    from: Date,
) -> Result<Vec<(i64, String, i64)>> {
    let sql = format!(
        "{cte}SELECT sub.id, c.subject_kind, COALESCE(c.final_grade, 'pending'), COUNT(*) \
         FROM sub CROSS JOIN classification c WHERE c.org_id = sub.id AND c.year = $3 GROUP BY 1, 2, 3"
    );
    let rows: Vec<(i64, String, String, i64)> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root)
        .bind(day(tree_on))
        .bind(i32::from(from.year()))
        .fetch_all(p)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, kind, grade, n)| (id, class_key(&kind, &grade), n))
        .collect())
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
