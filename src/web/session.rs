//! Sessions live in the application database, whichever backend it is.
//!
//! Sessions end after [`IDLE`] (30 minutes) without a request, and 12 hours
//! after sign-in whatever happens (`service::auth::SESSION_ABSOLUTE_SECS`),
//! as OWASP ASVS 4.0.3 §3.3.2 asks at level 2. tower-sessions keeps the idle
//! expiry by saving the record again on every request: a database write
//! behind every page view. [`Store`] skips a save that would only push the
//! expiry forward by less than [`REFRESH`] (5 minutes), so a reader writes at
//! most once per 5 minutes; the session then ends between 25 and 30 minutes
//! after the last request, never later. Anonymous visitors have no session
//! at all (the login form's CSRF token lives in a cookie of its own).

use crate::store::Db;
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};
use tower_sessions::cookie::time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{ExpiredDeletion, Result, SessionStore};
use tower_sessions_sqlx_store::{PostgresStore, SqliteStore};

/// Idle timeout.
pub const IDLE: Duration = Duration::minutes(30);

/// The smallest expiry extension worth a write.
const REFRESH: Duration = Duration::minutes(5);

#[derive(Debug, Clone)]
enum Backend {
    Sqlite(SqliteStore),
    Postgres(PostgresStore),
}

#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    /// What this process last read or wrote for each live session: a hash of
    /// its data and the expiry stored in the database.
    stored: Arc<Mutex<HashMap<Id, (u64, OffsetDateTime)>>>,
}

fn data_hash(record: &Record) -> u64 {
    // The data is a HashMap: hash it in key order so equal data hashes equal.
    let sorted: BTreeMap<_, _> = record.data.iter().collect();
    let mut h = DefaultHasher::new();
    serde_json::to_string(&sorted)
        .unwrap_or_default()
        .hash(&mut h);
    h.finish()
}

fn up_to_date(stored: Option<(u64, OffsetDateTime)>, record: &Record) -> bool {
    stored.is_some_and(|(hash, expiry)| {
        hash == data_hash(record) && record.expiry_date - expiry < REFRESH
    })
}

impl Store {
    pub async fn new(db: &Db) -> std::result::Result<Self, sqlx::Error> {
        let backend = match db {
            Db::Sqlite(p) => {
                let s = SqliteStore::new(p.clone());
                s.migrate().await?;
                Backend::Sqlite(s)
            }
            Db::Postgres(p) => {
                let s = PostgresStore::new(p.clone());
                s.migrate().await?;
                Backend::Postgres(s)
            }
        };
        Ok(Store {
            backend,
            stored: Arc::default(),
        })
    }

    fn remember(&self, record: &Record) {
        if let Ok(mut m) = self.stored.lock() {
            m.insert(record.id, (data_hash(record), record.expiry_date));
        }
    }

    fn forget(&self, id: &Id) {
        if let Ok(mut m) = self.stored.lock() {
            m.remove(id);
        }
    }

    /// Whether the database already holds this data with an expiry close enough.
    fn up_to_date(&self, record: &Record) -> bool {
        let Ok(m) = self.stored.lock() else {
            return false;
        };
        up_to_date(m.get(&record.id).copied(), record)
    }

    /// Deletes expired sessions every hour, in the background.
    pub fn spawn_cleanup(&self) {
        let store = self.clone();
        tokio::spawn(async move {
            let mut tick = tokio::time::interval(std::time::Duration::from_secs(3600));
            loop {
                tick.tick().await;
                if let Err(e) = store.delete_expired().await {
                    tracing::warn!(error = %e, "session cleanup failed");
                }
            }
        });
    }
}

#[async_trait]
impl SessionStore for Store {
    async fn create(&self, record: &mut Record) -> Result<()> {
        // The session store takes its own connection from the pool: the
        // request gives back the one it holds first (store::held).
        crate::store::held::release().await;
        match &self.backend {
            Backend::Sqlite(s) => s.create(record).await,
            Backend::Postgres(s) => s.create(record).await,
        }?;
        self.remember(record);
        Ok(())
    }
    async fn save(&self, record: &Record) -> Result<()> {
        if self.up_to_date(record) {
            return Ok(());
        }
        crate::store::held::release().await;
        match &self.backend {
            Backend::Sqlite(s) => s.save(record).await,
            Backend::Postgres(s) => s.save(record).await,
        }?;
        self.remember(record);
        Ok(())
    }
    async fn load(&self, id: &Id) -> Result<Option<Record>> {
        crate::store::held::release().await;
        let record = match &self.backend {
            Backend::Sqlite(s) => s.load(id).await,
            Backend::Postgres(s) => s.load(id).await,
        }?;
        match &record {
            Some(r) => self.remember(r),
            None => self.forget(id),
        }
        Ok(record)
    }
    async fn delete(&self, id: &Id) -> Result<()> {
        self.forget(id);
        crate::store::held::release().await;
        match &self.backend {
            Backend::Sqlite(s) => s.delete(id).await,
            Backend::Postgres(s) => s.delete(id).await,
        }
    }
}

#[async_trait]
impl ExpiredDeletion for Store {
    async fn delete_expired(&self) -> Result<()> {
        let now = OffsetDateTime::now_utc();
        if let Ok(mut m) = self.stored.lock() {
            m.retain(|_, (_, expiry)| *expiry > now);
        }
        match &self.backend {
            Backend::Sqlite(s) => s.delete_expired().await,
            Backend::Postgres(s) => s.delete_expired().await,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(expiry: OffsetDateTime, csrf: &str) -> Record {
        Record {
            id: Id(7),
            data: HashMap::from([
                ("user".to_string(), serde_json::json!(3)),
                ("csrf".to_string(), serde_json::json!(csrf)),
            ]),
            expiry_date: expiry,
        }
    }

    #[test]
    fn only_changed_data_or_a_long_extension_is_written() {
        let t0 = OffsetDateTime::UNIX_EPOCH + Duration::days(20_000);
        let stored = Some((data_hash(&record(t0, "a")), t0));
        assert!(up_to_date(stored, &record(t0 + Duration::minutes(4), "a")));
        assert!(!up_to_date(stored, &record(t0 + Duration::minutes(5), "a")));
        assert!(!up_to_date(stored, &record(t0, "b")), "new data is saved");
        assert!(
            !up_to_date(None, &record(t0, "a")),
            "unknown sessions are saved"
        );
        // Same data in another insertion order hashes the same.
        let mut r = record(t0, "a");
        let mut items: Vec<_> = r.data.into_iter().collect();
        items.reverse();
        r.data = items.into_iter().collect();
        assert_eq!(data_hash(&r), data_hash(&record(t0, "a")));
    }
}
