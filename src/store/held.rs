//! One connection for all the reads of a request.
//!
//! sqlx returns a connection to its pool by pinging it (a round trip to the
//! SQLite worker thread or to the PostgreSQL server), so a page of nine
//! statements paid nine acquisitions and nine pings. Inside [`scope`] (every
//! HTTP request), the first statement acquires a connection and the later
//! ones reuse it until the request ends (docs/architecture.md,
//! "Connections"). Transactions still take their own connection:
//! [`release`] gives the held one back first, so a request never holds one
//! connection while it waits for another. The same holds for any turn a
//! request waits for (the one-at-a-time rollup and signal passes): it gives
//! its connection back first, because the pass it waits for needs one.
//! Outside a scope (commands, background tasks) each statement acquires a
//! connection for itself, as before.

use super::Db;
use sqlx::pool::PoolConnection;
use sqlx::{PgConnection, Postgres, Sqlite, SqliteConnection};
use std::sync::Arc;
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

enum Held {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

type Slot = Arc<Mutex<Option<Held>>>;

tokio::task_local! {
    static SLOT: Slot;
}

/// Runs `work` (one request) with a slot for its connection; the connection
/// goes back to the pool when `work` ends.
pub async fn scope<F: Future>(work: F) -> F::Output {
    SLOT.scope(Slot::default(), work).await
}

/// The request's connection, acquired on first use; `None` outside a
/// request, or when the pool cannot give one now (the statement then asks
/// the pool itself and reports the pool's error).
pub async fn conn(db: &Db) -> Option<Guard> {
    let slot = SLOT.try_with(Arc::clone).ok()?;
    let mut held = slot.lock_owned().await;
    if held.is_none() {
        *held = Some(match db {
            Db::Sqlite(p) => Held::Sqlite(p.acquire().await.ok()?),
            Db::Postgres(p) => Held::Postgres(p.acquire().await.ok()?),
        });
    }
    OwnedMutexGuard::try_map(held, |h| h.as_mut())
        .ok()
        .map(Guard)
}

/// Gives the request's connection back to the pool (before a transaction).
pub async fn release() {
    if let Ok(slot) = SLOT.try_with(Arc::clone) {
        slot.lock().await.take();
    }
}

/// Waits for a one-at-a-time turn (a rollup or signal pass) without holding
/// the request's connection: the pass under way needs one to finish.
pub async fn turn(lock: &'static Mutex<()>) -> tokio::sync::MutexGuard<'static, ()> {
    release().await;
    lock.lock().await
}

/// [`turn`] for a lock made at run time (one per node being recounted).
pub async fn turn_owned(lock: Arc<Mutex<()>>) -> OwnedMutexGuard<()> {
    release().await;
    lock.lock_owned().await
}

pub struct Guard(OwnedMappedMutexGuard<Option<Held>, Held>);

/// A held connection, for the statement's backend.
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Guard {
    pub fn conn(&mut self) -> Conn<'_> {
        match &mut *self.0 {
            Held::Sqlite(c) => Conn::Sqlite(c),
            Held::Postgres(c) => Conn::Postgres(c),
        }
    }
}
