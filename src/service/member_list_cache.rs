//! Member lists and searches, kept per process (docs/rules.md "Member list
//! cache"): a secretary's phone reads the whole cell, again and again.
//!
//! An entry serves only while the statistics epoch of the list's node is the
//! one it was read at. Every audited write raises the epoch of the node it
//! touches and of every node ever above it, in its own transaction
//! (`store::rollup::touch`): a member added, edited, transferred or imported,
//! a cell renamed or moved. The request reads the epoch before the rows, so
//! an entry is never older than its epoch says, and a write through any
//! instance is seen by every instance on its next read. Authorization is
//! checked before the cache is consulted.

use crate::domain::ids::OrgId;
use crate::store::member::{MemberRow, StatusFilter};
use crate::store::org::OrgRow;
use jiff::civil::Date;
use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};

/// The most member rows kept (about 10 MB): past it the cache starts over.
const MAX_ROWS: usize = 20_000;

/// One list as asked for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct Key {
    pub org: OrgId,
    pub on: Date,
    /// Folded search text.
    pub q: String,
    pub status: StatusFilter,
    pub limit: i64,
    pub offset: i64,
}

/// A page of members, the list's total, the latest rows of the members'
/// cells, and the page as the API writes it (made by the first API read of
/// the entry, then shared).
#[derive(Debug, Clone)]
pub struct Rows {
    pub items: Arc<[MemberRow]>,
    pub total: i64,
    pub cells: Arc<[OrgRow]>,
    pub json: Arc<OnceLock<bytes::Bytes>>,
}

impl Rows {
    pub fn new(items: Vec<MemberRow>, total: i64, cells: Vec<OrgRow>) -> Self {
        Rows {
            items: items.into(),
            total,
            cells: cells.into(),
            json: Arc::default(),
        }
    }
}

#[derive(Debug, Default)]
pub struct MemberListCache {
    inner: Mutex<Inner>,
}

#[derive(Debug, Default)]
struct Inner {
    entries: HashMap<Key, (i64, Rows)>,
    rows: usize,
}

impl MemberListCache {
    /// The list at `key` if it was read at `epoch`.
    pub fn get(&self, key: &Key, epoch: i64) -> Option<Rows> {
        let m = self.inner.lock().ok()?;
        m.entries
            .get(key)
            .filter(|(e, _)| *e == epoch)
            .map(|(_, rows)| rows.clone())
    }

    /// Keeps the list at `key`, read at `epoch` (read before the rows).
    pub fn put(&self, key: Key, epoch: i64, rows: Rows) {
        let Ok(mut m) = self.inner.lock() else {
            return;
        };
        let n = rows.items.len().max(1);
        if m.rows + n > MAX_ROWS {
            m.entries.clear();
            m.rows = 0;
        }
        if let Some((_, old)) = m.entries.insert(key, (epoch, rows)) {
            m.rows = m.rows.saturating_sub(old.items.len().max(1));
        }
        m.rows += n;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn key(org: i64, q: &str) -> Key {
        Key {
            org: OrgId(org),
            on: jiff::civil::date(2026, 11, 30),
            q: q.into(),
            status: StatusFilter::Active,
            limit: 200,
            offset: 0,
        }
    }

    #[test]
    fn an_entry_serves_only_its_list_and_epoch() {
        let c = MemberListCache::default();
        c.put(key(5, ""), 3, Rows::new(Vec::new(), 0, Vec::new()));
        assert!(c.get(&key(5, ""), 3).is_some());
        assert!(c.get(&key(5, ""), 4).is_none(), "a write since");
        assert!(c.get(&key(5, "an"), 3).is_none(), "another search");
        assert!(c.get(&key(6, ""), 3).is_none(), "another node");
    }

    #[test]
    fn the_cache_starts_over_past_its_row_budget() {
        let c = MemberListCache::default();
        for i in 0..=MAX_ROWS as i64 {
            c.put(key(i, ""), 1, Rows::new(Vec::new(), 0, Vec::new()));
        }
        assert!(c.get(&key(0, ""), 1).is_none(), "the oldest went");
        assert!(c.get(&key(MAX_ROWS as i64, ""), 1).is_some());
        let rows = c.inner.lock().map(|m| m.rows).unwrap_or(0);
        assert!(rows <= MAX_ROWS);
    }
}
