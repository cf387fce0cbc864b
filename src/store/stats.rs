//! Counts over a subtree as it stood on a date.

use super::org::subtree_cte;
use super::types::day;
use super::{Db, Result};
use crate::domain::ids::OrgId;
use crate::on_db;
use jiff::civil::Date;

/// Raw counts; the service shapes them into the statistics object.
#[derive(Debug, Default, Clone)]
pub struct SubtreeCounts {
    /// (kind, cell_type, count) of the nodes in the subtree.
    pub nodes: Vec<(String, Option<String>, i64)>,
    /// (status, religious, count) of members at home in the subtree.
    pub members: Vec<(String, bool, i64)>,
}

pub async fn subtree_counts(db: &Db, root: OrgId, on: Date) -> Result<SubtreeCounts> {
    const NODES: &str = concat!(
        subtree_cte!(),
        "SELECT v.kind, v.cell_type, COUNT(*) FROM sub CROSS JOIN org_version v ",
        "WHERE v.org_id = sub.id AND v.valid_from <= $2 AND (v.valid_to IS NULL OR v.valid_to > $2) GROUP BY v.kind, v.cell_type"
    );
    // Status and placement as they were on the date, from the histories.
    const MEMBERS: &str = concat!(
        subtree_cte!(),
        "SELECT s.status, CASE WHEN m.religion <> '' THEN 1 ELSE 0 END AS religious, COUNT(*) ",
        // CROSS JOIN keeps SQLite walking from the subtree into the placements
        // (its planner otherwise scans every placement); PostgreSQL plans it as an inner join.
        "FROM sub CROSS JOIN member_placement p ",
        "JOIN member_status s ON s.member_id = p.member_id ",
        "AND s.valid_from <= $2 AND (s.valid_to IS NULL OR s.valid_to > $2) ",
        "JOIN member m ON m.id = p.member_id ",
        "WHERE p.org_id = sub.id AND p.kind = 'home' AND p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2) ",
        "GROUP BY s.status, CASE WHEN m.religion <> '' THEN 1 ELSE 0 END"
    );
    let nodes = on_db!(db, |p| sqlx::query_as(NODES)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?;
    let rows: Vec<(String, i32, i64)> = on_db!(db, |p| sqlx::query_as(MEMBERS)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?;
    Ok(SubtreeCounts {
        nodes,
        members: rows.into_iter().map(|(s, r, n)| (s, r != 0, n)).collect(),
    })
}
