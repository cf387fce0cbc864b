//! A value per account, kept per process and used only while the key it was
//! computed at (counters the database raises on every relevant change, and
//! the day) still matches what the request read. Losing an entry costs only
//! time; a stale one is never served, because the request reads the key
//! fresh (docs/rules.md "Caller cache").

use crate::domain::ids::UserId;
use std::collections::HashMap;
use std::sync::Mutex;

/// Beyond this many accounts the cache starts over: bounded memory, and a
/// national instance re-reads an account at most once per change anyway.
const MAX_ENTRIES: usize = 100_000;

#[derive(Debug)]
pub struct EpochCache<K, V> {
    entries: Mutex<HashMap<UserId, (K, V)>>,
}

impl<K, V> Default for EpochCache<K, V> {
    fn default() -> Self {
        EpochCache {
            entries: Mutex::default(),
        }
    }
}

impl<K: PartialEq + Copy, V: Clone> EpochCache<K, V> {
    /// The value of `user` if it was computed at `key`.
    pub fn get(&self, user: UserId, key: K) -> Option<V> {
        let m = self.entries.lock().ok()?;
        m.get(&user)
            .filter(|(k, _)| *k == key)
            .map(|(_, v)| v.clone())
    }

    /// Keeps the value of `user` computed at `key`. The key's counters must
    /// have been read before the rows the value comes from, so an entry is
    /// never older than its key says.
    pub fn put(&self, user: UserId, key: K, value: V) {
        if let Ok(mut m) = self.entries.lock() {
            if m.len() >= MAX_ENTRIES && !m.contains_key(&user) {
                m.clear();
            }
            m.insert(user, (key, value));
        }
    }

    pub fn len(&self) -> usize {
        self.entries.lock().map(|m| m.len()).unwrap_or(0)
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_entry_serves_only_its_key_and_account() {
        let c: EpochCache<(i64, i64), &str> = EpochCache::default();
        c.put(UserId(1), (4, 0), "a");
        assert_eq!(c.get(UserId(1), (4, 0)), Some("a"));
        assert_eq!(c.get(UserId(2), (4, 0)), None, "another account");
        assert_eq!(c.get(UserId(1), (5, 0)), None, "a change since");
        c.put(UserId(1), (5, 0), "b");
        assert_eq!(c.len(), 1, "replaced, not added");
        assert_eq!(c.get(UserId(1), (5, 0)), Some("b"));
    }
}
