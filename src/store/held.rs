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
use std::sync::atomic::{AtomicU32, AtomicU64, Ordering};
use std::time::Instant;
use tokio::sync::{Mutex, OwnedMappedMutexGuard, OwnedMutexGuard};

enum Held {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// One request: its connection, and what its statements cost.
#[derive(Default)]
struct Request {
    conn: Arc<Mutex<Option<Held>>>,
    statements: AtomicU32,
    micros: AtomicU64,
}

type Slot = Arc<Request>;

tokio::task_local! {
    static SLOT: Slot;
}

/// The statements a request ran and the time they took, acquiring the
/// connection included (the `Server-Timing` header of every answer).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Used {
    pub statements: u32,
    pub micros: u64,
}

/// Runs `work` (one request) with a slot for its connection; the connection
/// goes back to the pool when `work` ends.
pub async fn scope<F: Future>(work: F) -> (F::Output, Used) {
    let slot = Slot::default();
    let out = SLOT.scope(Arc::clone(&slot), work).await;
    let used = Used {
        statements: slot.statements.load(Ordering::Relaxed),
        micros: slot.micros.load(Ordering::Relaxed),
    };
    (out, used)
}

/// The request's connection, acquired on first use; `None` outside a
/// request, or when the pool cannot give one now (the statement then asks
/// the pool itself and reports the pool's error).
pub async fn conn(db: &Db) -> Option<Guard> {
    let slot = SLOT.try_with(Arc::clone).ok()?;
    slot.statements.fetch_add(1, Ordering::Relaxed);
    let started = Instant::now();
    let mut held = Arc::clone(&slot.conn).lock_owned().await;
    if held.is_none() {
        *held = Some(match db {
            Db::Sqlite(p) => Held::Sqlite(p.acquire().await.ok()?),
            Db::Postgres(p) => Held::Postgres(p.acquire().await.ok()?),
        });
    }
    let held = OwnedMutexGuard::try_map(held, |h| h.as_mut()).ok()?;
    Some(Guard {
        held,
        slot,
        started,
    })
}

/// Gives the request's connection back to the pool (before a transaction).
pub async fn release() {
    if let Ok(slot) = SLOT.try_with(Arc::clone) {
        slot.conn.lock().await.take();
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

/// The request's connection for one statement; the statement's time is
/// counted when it is dropped.
pub struct Guard {
    held: OwnedMappedMutexGuard<Option<Held>, Held>,
    slot: Slot,
    started: Instant,
}

/// A held connection, for the statement's backend.
pub enum Conn<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

impl Guard {
    pub fn conn(&mut self) -> Conn<'_> {
        match &mut *self.held {
            Held::Sqlite(c) => Conn::Sqlite(c),
            Held::Postgres(c) => Conn::Postgres(c),
        }
    }
}

impl Drop for Guard {
    fn drop(&mut self) {
        let micros = u64::try_from(self.started.elapsed().as_micros()).unwrap_or(u64::MAX);
        self.slot.micros.fetch_add(micros, Ordering::Relaxed);
    }
}
