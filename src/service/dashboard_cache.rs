//! Dashboards, kept per process (docs/rules.md "Dashboard cache"): a
//! province's or the country's dashboard adds up tens of thousands of nodes'
//! rows, and a committee's staff open it together on the same morning.
//!
//! An entry serves a viewer whose epoch of its node is no later than the one
//! it was built at (epochs only go up, so it holds every write the viewer
//! could have seen). Every audited write raises the epoch of the node it touches
//! and of every node ever above it (`store::rollup::touch`): a meeting, a
//! roll call, a recommendation, a member, a grade, a score, an indicator, a
//! rename or a move anywhere below. The request reads the epoch after
//! authorization and before any figure, so an entry is never older than its
//! epoch says, and a write through any instance is seen by every instance on
//! its next read. The key holds the day (the figures run to today) and what
//! the caller may see (signals, breakdowns), so viewers share an entry only
//! when they would be shown the same sections.
//!
//! Viewers who ask while an entry is being built wait for that build instead
//! of each adding up the same rows (the memory peak of 32 national
//! dashboards at once, docs/benchmarks.md).

use super::dashboard::Dashboard;
use crate::domain::dashboard::Period;
use crate::domain::ids::OrgId;
use jiff::civil::Date;
use std::collections::HashMap;
use std::future::Future;
use std::sync::{Arc, Mutex};
use tokio::sync::OnceCell;

/// Beyond this many dashboards the cache starts over (a national dashboard
/// is a few tens of kB).
const MAX_ENTRIES: usize = 512;

/// One dashboard as asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Key {
    pub org: OrgId,
    pub period: Period,
    pub today: Date,
    /// Whether the formalism signals are shown.
    pub signals: bool,
    /// Whether the members by status are shown.
    pub breakdowns: bool,
}

/// A dashboard, and whether it may be kept (not while the signal counts
/// below it are still being refreshed: it says "counting").
pub type Built = (Arc<Dashboard>, bool);

type Slot = Arc<OnceCell<Built>>;

#[derive(Debug, Default)]
pub struct DashboardCache {
    entries: Mutex<HashMap<Key, (i64, Slot)>>,
}

impl DashboardCache {
    /// The dashboard at `key` built at `epoch`: the kept one, the one being
    /// built (waited for), or a new one from `build`. A failed build keeps
    /// nothing; the next viewer builds again.
    pub async fn get_or_build<F, Fut, E>(
        &self,
        key: Key,
        epoch: i64,
        build: F,
    ) -> Result<Arc<Dashboard>, E>
    where
        F: FnOnce() -> Fut,
        Fut: Future<Output = Result<Built, E>>,
    {
        let slot = self.slot(key, epoch);
        let (d, keep) = slot.get_or_try_init(build).await?.clone();
        if !keep {
            self.forget(key, &slot);
        }
        Ok(d)
    }

    fn slot(&self, key: Key, epoch: i64) -> Slot {
        let Ok(mut m) = self.entries.lock() else {
            return Slot::default(); // a poisoned lock: build, keep nothing
        };
        if let Some((e, slot)) = m.get(&key)
            && *e >= epoch
        {
            return Arc::clone(slot);
        }
        if m.len() >= MAX_ENTRIES && !m.contains_key(&key) {
            m.clear();
        }
        let slot = Slot::default();
        m.insert(key, (epoch, Arc::clone(&slot)));
        slot
    }

    /// Drops `slot` if it is still the entry at `key`.
    fn forget(&self, key: Key, slot: &Slot) {
        if let Ok(mut m) = self.entries.lock()
            && m.get(&key).is_some_and(|(_, s)| Arc::ptr_eq(s, slot))
        {
            m.remove(&key);
        }
    }

    #[cfg(test)]
    fn len(&self) -> usize {
        self.entries.lock().map(|m| m.len()).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::atomic::{AtomicUsize, Ordering};

    fn key(org: i64) -> Key {
        Key {
            org: OrgId(org),
            period: Period::year(2026),
            today: jiff::civil::date(2026, 11, 30),
            signals: true,
            breakdowns: true,
        }
    }

    fn dashboard(name: &str) -> Arc<Dashboard> {
        Arc::new(Dashboard {
            org_id: 1,
            name: name.into(),
            period: Period::year(2026),
            period_label: String::new(),
            as_of: String::new(),
            is_cell: false,
            sections: Vec::new(),
            json: Default::default(),
        })
    }

    async fn get(c: &DashboardCache, k: Key, epoch: i64, name: &str, keep: bool) -> String {
        let d = c
            .get_or_build(k, epoch, || async { Ok::<_, ()>((dashboard(name), keep)) })
            .await
            .expect("built");
        d.name.clone()
    }

    #[tokio::test]
    async fn an_entry_serves_its_key_up_to_its_epoch() {
        let c = DashboardCache::default();
        assert_eq!(get(&c, key(1), 3, "a", true).await, "a");
        assert_eq!(get(&c, key(1), 3, "b", true).await, "a", "kept");
        assert_eq!(get(&c, key(2), 3, "c", true).await, "c", "another node");
        let mut narrower = key(1);
        narrower.breakdowns = false;
        assert_eq!(get(&c, narrower, 3, "d", true).await, "d", "fewer sections");
        assert_eq!(get(&c, key(1), 4, "e", true).await, "e", "a write since");
        assert_eq!(
            get(&c, key(1), 3, "f", true).await,
            "e",
            "a viewer who read the epoch before that write"
        );
        assert_eq!(c.len(), 3, "replaced, not added");
    }

    #[tokio::test]
    async fn a_dashboard_still_counting_is_not_kept() {
        let c = DashboardCache::default();
        assert_eq!(get(&c, key(1), 3, "counting", false).await, "counting");
        assert_eq!(c.len(), 0);
        assert_eq!(get(&c, key(1), 3, "counted", true).await, "counted");
    }

    #[tokio::test]
    async fn viewers_arriving_during_a_build_wait_for_it() {
        let c = Arc::new(DashboardCache::default());
        let builds = Arc::new(AtomicUsize::new(0));
        let gate = Arc::new(tokio::sync::Notify::new());
        let mut viewers = Vec::new();
        for _ in 0..8 {
            let (c, builds, gate) = (c.clone(), builds.clone(), gate.clone());
            viewers.push(tokio::spawn(async move {
                c.get_or_build(key(1), 1, || async move {
                    builds.fetch_add(1, Ordering::SeqCst);
                    gate.notified().await;
                    Ok::<_, ()>((dashboard("once"), true))
                })
                .await
                .map(|d| d.name.clone())
            }));
        }
        while builds.load(Ordering::SeqCst) == 0 {
            tokio::task::yield_now().await;
        }
        gate.notify_one();
        for v in viewers {
            assert_eq!(v.await.expect("joined"), Ok("once".to_string()));
        }
        assert_eq!(builds.load(Ordering::SeqCst), 1);
    }

    #[tokio::test]
    async fn a_failed_build_keeps_nothing() {
        let c = DashboardCache::default();
        let r = c
            .get_or_build(key(1), 1, || async { Err::<Built, _>("down") })
            .await;
        assert_eq!(r.err(), Some("down"));
        assert_eq!(get(&c, key(1), 1, "again", true).await, "again");
    }
}
