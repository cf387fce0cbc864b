//! How the pools are opened, and when their connections close.
//!
//! An SQLite connection holds its page cache and its prepared statements (up
//! to 100), all in this process: eight of them kept 20–40 MiB after a burst
//! of reads, most of an idle server's memory (docs/benchmarks.md "Where the
//! memory goes"). So SQLite connections idle for [`Pooling::sqlite_idle`] are
//! closed and none is kept open; the first request after a quiet spell opens
//! one again (a few ms: the file, the schema, its statements). The page
//! cache is 2 MB a connection: with 4 MB the national dashboard under load
//! at 1 M members took the server to 123–139 MiB, with 2 MB to 109 MiB, and
//! the reads did not slow (the operating system caches the file anyway). A
//! PostgreSQL connection's statement cache lives in the server, but its
//! receive buffer lives here and keeps the size of the largest answer it
//! took (a national rollup pass returns thousands of rows), and an idle
//! server has no use for sixteen of them: they are closed after 20 s idle
//! (a new one costs a few ms: TCP, authentication, the first statements).

use super::{Db, Result, StoreError};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use std::str::FromStr;
use std::time::Duration;

/// When idle connections are closed.
#[derive(Debug, Clone, Copy)]
pub struct Pooling {
    /// An SQLite connection unused this long is closed (sqlx checks every
    /// `sqlite_idle`, so it goes within twice that).
    pub sqlite_idle: Duration,
    /// The same for PostgreSQL.
    pub postgres_idle: Duration,
}

impl Default for Pooling {
    fn default() -> Self {
        Pooling {
            sqlite_idle: Duration::from_secs(10),
            postgres_idle: Duration::from_secs(20),
        }
    }
}

impl Db {
    pub async fn connect(url: &str) -> Result<Self> {
        Self::connect_with(url, Pooling::default()).await
    }

    pub async fn connect_with(url: &str, pooling: Pooling) -> Result<Self> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let opts = PgConnectOptions::from_str(url)?;
            // No ping before each statement (sqlx's default): it doubled the
            // round trips of every read (docs/architecture.md, "Connections").
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .test_before_acquire(false)
                .acquire_timeout(Duration::from_secs(10))
                .idle_timeout(pooling.postgres_idle)
                .connect_with(opts)
                .await?;
            Ok(Db::Postgres(pool))
        } else if url.starts_with("sqlite:") {
            // WAL so readers never wait for the writer; synchronous=FULL so an
            // acknowledged write survives power loss; foreign keys enforced.
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Full)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10))
                .pragma("cache_size", "-2000");
            // A file cannot hang up: no ping before each statement.
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .test_before_acquire(false);
            // An in-memory database lives only while a connection is open:
            // one stays, never closed for idleness or age.
            let pool = if url.contains(":memory:") || url.contains("mode=memory") {
                pool.min_connections(1)
                    .idle_timeout(None)
                    .max_lifetime(None)
            } else {
                pool.min_connections(0).idle_timeout(pooling.sqlite_idle)
            };
            Ok(Db::Sqlite(pool.connect_with(opts).await?))
        } else {
            Err(StoreError::Db(sqlx::Error::Configuration(
                "địa chỉ cơ sở dữ liệu phải bắt đầu bằng sqlite:// hoặc postgres://".into(),
            )))
        }
    }
}
