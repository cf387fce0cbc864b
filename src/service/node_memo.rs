//! What a node's pages read about the node itself (its figures, its history,
//! its posts), kept per process against the node's statistics epoch
//! (docs/rules.md "Node memo"): a cell's page is opened far more often than
//! its cell is written, and each of those reads was a statement.
//!
//! An entry serves a request whose node epoch, and tree epoch, are no later
//! than the ones it was read at. Every audited write raises the epoch of the node it
//! touches and of every node ever above it (`store::rollup::touch`); any
//! change to a node or a grant raises the tree's (`caller_epoch`). A request
//! reads a node's epochs once, after authorization and before any memoized
//! read ([`super::Caller::node_epoch`]), so an entry is never older than its
//! epochs say and a write through any instance is seen on the next request.
//! The key holds every date a read depends on (the day it is read as of,
//! today), so an entry answers only the question it was read for.

use super::{Caller, Result};
use crate::app::AppState;
use crate::domain::ids::OrgId;
use jiff::civil::Date;
use std::any::Any;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};

/// Beyond this many entries the memo starts over (each is one node's small
/// read: a few rows or a rollup's counts).
const MAX_ENTRIES: usize = 50_000;

/// One read of one node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
struct Key {
    org: OrgId,
    /// What was read (one name per kind of read).
    what: &'static str,
    /// The dates the read depends on; unused ones are any fixed date.
    on: [Date; 3],
}

/// What an entry was read at: the statistics epoch of its node, and the
/// tree's (a node's history names other nodes, which a change elsewhere may
/// rename).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Epochs {
    pub node: i64,
    pub tree: i64,
}

impl Epochs {
    /// Whether a read made at `self` holds every change made before
    /// `other` was read: epochs only ever go up.
    fn covers(self, other: Epochs) -> bool {
        self.node >= other.node && self.tree >= other.tree
    }
}

type Entry = (Epochs, Arc<dyn Any + Send + Sync>);

#[derive(Debug, Default)]
pub struct NodeMemo {
    entries: Mutex<HashMap<Key, Entry>>,
}

impl NodeMemo {
    /// `read()` of `org`, or the kept answer to the same `what` and dates if
    /// nothing changed below `org` since. The caller must have been
    /// authorized on `org` already.
    pub async fn read<T, F, Fut>(
        &self,
        app: &AppState,
        caller: &Caller,
        org: OrgId,
        (what, on): (&'static str, [Date; 3]),
        read: F,
    ) -> Result<Arc<T>>
    where
        T: Send + Sync + 'static,
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<T>>,
    {
        let epoch = caller.node_epoch(app, org).await?;
        let key = Key { org, what, on };
        if let Some(v) = self.get(key, epoch)
            && let Ok(v) = v.downcast::<T>()
        {
            return Ok(v);
        }
        let v = Arc::new(read().await?);
        self.put(key, epoch, v.clone());
        Ok(v)
    }

    fn get(&self, key: Key, epoch: Epochs) -> Option<Arc<dyn Any + Send + Sync>> {
        let m = self.entries.lock().ok()?;
        m.get(&key)
            .filter(|(e, _)| e.covers(epoch))
            .map(|(_, v)| Arc::clone(v))
    }

    fn put(&self, key: Key, epoch: Epochs, v: Arc<dyn Any + Send + Sync>) {
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= MAX_ENTRIES && !m.contains_key(&key) {
                m.clear();
            }
            // Two readers at once: the one that saw the later epochs stays.
            if !m.get(&key).is_some_and(|(e, _)| e.covers(epoch)) {
                m.insert(key, (epoch, v));
            }
        }
    }
}

/// The date standing for "no date" in a key.
pub const NO_DATE: Date = jiff::civil::date(2000, 1, 1);
