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
//!
//! Once this process has seen which account a session belongs to, loading
//! the session reads the account and the caller epoch in the same statement
//! (`store::user::session_with_account`) and hands them to the page's caller
//! through [`scope`]: a signed-in page starts with one statement instead of
//! two. Both are read fresh from the database, so nothing here can be stale.

use crate::domain::ids::UserId;
use crate::service::auth::SessionAuth;
use crate::store::Db;
use crate::store::user::UserWithEpoch;
use async_trait::async_trait;
use std::collections::{BTreeMap, HashMap};
use std::hash::{DefaultHasher, Hash, Hasher};
use std::sync::{Arc, Mutex};
use tower_sessions::cookie::time::{Duration, OffsetDateTime};
use tower_sessions::session::{Id, Record};
use tower_sessions::session_store::{self, ExpiredDeletion, Result, SessionStore};
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

/// What this process last read or wrote for a live session.
#[derive(Debug, Clone, Copy)]
struct Stored {
    /// A hash of its data and the expiry stored in the database.
    hash: u64,
    expiry: OffsetDateTime,
    /// The account it is signed in to.
    user: Option<UserId>,
}

#[derive(Debug, Clone)]
pub struct Store {
    backend: Backend,
    db: Db,
    stored: Arc<Mutex<HashMap<Id, Stored>>>,
}

tokio::task_local! {
    /// The account read with the request's session, for its caller.
    static READ_WITH_SESSION: Mutex<Option<UserWithEpoch>>;
}

/// Runs `work` (one request) with room for the account read with its session.
pub async fn scope<F: Future>(work: F) -> F::Output {
    READ_WITH_SESSION.scope(Mutex::new(None), work).await
}

/// The account `user` as read with this request's session, if it was.
pub fn read_with_session(user: UserId) -> Option<UserWithEpoch> {
    READ_WITH_SESSION
        .try_with(|slot| slot.lock().ok().and_then(|mut s| s.take()))
        .ok()
        .flatten()
        .filter(|found| found.user.id == user)
}

fn keep_read(found: UserWithEpoch) {
    let _ = READ_WITH_SESSION.try_with(|slot| {
        if let Ok(mut s) = slot.lock() {
            *s = Some(found);
        }
    });
}

/// The account a session record is signed in to.
fn user_of(record: &Record) -> Option<UserId> {
    record
        .data
        .get(crate::web::extract::SESSION_AUTH)
        .and_then(|v| serde_json::from_value::<SessionAuth>(v.clone()).ok())
        .map(|a| a.user)
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

fn up_to_date(stored: Option<Stored>, record: &Record) -> bool {
    stored.is_some_and(|s| s.hash == data_hash(record) && record.expiry_date - s.expiry < REFRESH)
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
            db: db.clone(),
            stored: Arc::default(),
        })
    }

    fn remember(&self, record: &Record) {
        if let Ok(mut m) = self.stored.lock() {
            m.insert(
                record.id,
                Stored {
                    hash: data_hash(record),
                    expiry: record.expiry_date,
                    user: user_of(record),
                },
            );
        }
    }

    fn forget(&self, id: &Id) {
        if let Ok(mut m) = self.stored.lock() {
            m.remove(id);
        }
    }

    fn known_user(&self, id: &Id) -> Option<UserId> {
        self.stored.lock().ok()?.get(id)?.user
    }

    /// The session with its account, in one statement, when this process
    /// knows the account; `None` sends the caller to the plain load.
    async fn load_with_account(&self, id: &Id) -> Result<Option<Record>> {
        let Some(user) = self.known_user(id) else {
            return Ok(None);
        };
        let read = crate::store::user::session_with_account(
            &self.db,
            &id.to_string(),
            OffsetDateTime::now_utc(),
            user,
        )
        .await
        .map_err(|e| session_store::Error::Backend(e.to_string()))?;
        let Some((data, found)) = read else {
            return Ok(None);
        };
        let record: Record = rmp_serde::from_slice(&data)
            .map_err(|e| session_store::Error::Decode(e.to_string()))?;
        keep_read(found);
        Ok(Some(record))
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
        if let Some(record) = self.load_with_account(id).await? {
            self.remember(&record);
            return Ok(Some(record));
        }
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
            m.retain(|_, s| s.expiry > now);
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
        let stored = Some(Stored {
            hash: data_hash(&record(t0, "a")),
            expiry: t0,
            user: None,
        });
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
