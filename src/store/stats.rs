//! Counts over a subtree as it stood on a date.

use super::org::Root;
use super::rollup::{self, Measure};
use super::{Db, Result};
use jiff::civil::Date;

/// Raw counts; the service shapes them into the statistics object.
#[derive(Debug, Default, Clone)]
pub struct SubtreeCounts {
    /// (kind, cell_type, count) of the nodes in the subtree.
    pub nodes: Vec<(String, Option<String>, i64)>,
    /// (status, religious, count) of members at home in the subtree.
    pub members: Vec<(String, bool, i64)>,
}

/// Nodes and members of the subtree on `on`, from the rollups (see `rollup`).
pub async fn subtree_counts(db: &Db, root: Root, on: Date) -> Result<SubtreeCounts> {
    let metrics = rollup::subtree(db, root, &Measure::Org { on }).await?;
    let mut c = SubtreeCounts::default();
    for (key, n) in metrics {
        let mut parts = key.splitn(3, ':');
        match (parts.next(), parts.next(), parts.next()) {
            (Some("node"), Some(kind), Some(cell_type)) => c.nodes.push((
                kind.to_string(),
                (!cell_type.is_empty()).then(|| cell_type.to_string()),
                n,
            )),
            (Some("member"), Some(status), Some(religious)) => {
                c.members.push((status.to_string(), religious == "1", n))
            }
            _ => {}
        }
    }
    Ok(c)
}
