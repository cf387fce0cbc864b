//! Storage: one SQL text per query, run on SQLite or PostgreSQL through the
//! `Db` enum. `on_db!`/`on_tx!` repeat the code in each arm so each arm is
//! type-checked against its own driver (style.md §2.2).

pub mod audit;
pub mod classification;
pub mod conclusion;
pub mod day_policy;
pub mod document;
pub mod follow;
pub mod follow_attendance;
pub mod held;
pub mod indicator;
pub mod inspection;
pub mod json_rows;
pub mod login;
pub mod meeting;
pub mod meeting_page;
mod meeting_parts;
mod meeting_tasks;
pub mod member;
pub mod monthly_score;
pub mod org;
pub mod outbox;
pub mod participation;
mod pool;
pub mod post;
pub mod preparation;
pub mod quality;
pub mod recommendation;
pub mod rollup;
mod rollup_counts;
mod rollup_months;
pub mod rubric;
pub mod signal;
pub mod signal_count;
pub mod stats;
pub mod supervision;
pub mod types;
pub mod urgent;
pub mod user;

use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};

pub use pool::Pooling;
pub use types::{Day, Instant};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("không tìm thấy")]
    NotFound,
    /// A named constraint was violated (unique card number, username, …).
    #[error("vi phạm ràng buộc {0}")]
    Conflict(String),
    #[error(transparent)]
    Db(sqlx::Error),
}

impl From<sqlx::Error> for StoreError {
    fn from(e: sqlx::Error) -> Self {
        match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            sqlx::Error::Database(ref db)
                if db.is_unique_violation() || db.is_foreign_key_violation() =>
            {
                let name = db.constraint().map(str::to_string).unwrap_or_else(|| {
                    // SQLite names the columns, not the constraint.
                    let msg = db.message();
                    if msg.contains("card_number") {
                        "member_card_number_key".into()
                    } else if msg.contains("citizen_id") {
                        "member_citizen_id_key".into()
                    } else if msg.contains("username") {
                        "app_user_username_key".into()
                    } else {
                        msg.to_string()
                    }
                });
                StoreError::Conflict(name)
            }
            e => StoreError::Db(e),
        }
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

#[derive(Clone, Debug)]
pub enum Db {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// Runs one statement's `body` with `p` an executor of `db`'s backend: the
/// request's held connection (`store::held`) or, outside a request, the pool.
#[macro_export]
macro_rules! on_db {
    ($db:expr, |$p:ident| $body:expr) => {{
        let db: &$crate::store::Db = $db;
        match $crate::store::held::conn(db).await {
            Some(mut held) => match held.conn() {
                $crate::store::held::Conn::Sqlite($p) => $body,
                $crate::store::held::Conn::Postgres($p) => $body,
            },
            None => match db {
                $crate::store::Db::Sqlite($p) => $body,
                $crate::store::Db::Postgres($p) => $body,
            },
        }
    }};
}

#[macro_export]
macro_rules! on_tx {
    ($tx:expr, |$c:ident| $body:expr) => {
        match $tx {
            $crate::store::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::store::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

pub enum Tx {
    Sqlite(Transaction<'static, Sqlite>),
    Postgres(Transaction<'static, Postgres>),
}

impl Tx {
    pub async fn commit(self) -> Result<()> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }

    pub fn is_postgres(&self) -> bool {
        matches!(self, Tx::Postgres(_))
    }
}

/// Which database a URL names; the password never reaches a log.
pub fn redact(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{}:***{}", &url[..s + 3], user, &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

impl Db {
    pub async fn migrate(&self) -> Result<()> {
        let result = match self {
            Db::Sqlite(p) => sqlx::migrate!("migrations/sqlite").run(p).await,
            Db::Postgres(p) => sqlx::migrate!("migrations/postgres").run(p).await,
        };
        result.map_err(|e| StoreError::Db(e.into()))
    }

    /// Opens a transaction. SQLite takes the write lock at once (BEGIN
    /// IMMEDIATE) so concurrent writers queue on the busy timeout instead of
    /// failing when a read lock is upgraded.
    pub async fn begin(&self) -> Result<Tx> {
        held::release().await;
        Ok(match self {
            Db::Sqlite(p) => Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?),
            Db::Postgres(p) => Tx::Postgres(p.begin().await?),
        })
    }

    /// Connections open and idle in the pool (for /metrics).
    pub fn pool_state(&self) -> (u32, usize) {
        match self {
            Db::Sqlite(p) => (p.size(), p.num_idle()),
            Db::Postgres(p) => (p.size(), p.num_idle()),
        }
    }

    /// Whether every migration this build carries is applied (readiness).
    pub async fn migrated(&self) -> bool {
        let latest = match self {
            Db::Sqlite(_) => sqlx::migrate!("migrations/sqlite")
                .iter()
                .map(|m| m.version)
                .max(),
            Db::Postgres(_) => sqlx::migrate!("migrations/postgres")
                .iter()
                .map(|m| m.version)
                .max(),
        };
        const APPLIED: &str = "SELECT MAX(version) FROM _sqlx_migrations WHERE success";
        let applied = on_db!(self, |p| sqlx::query_scalar::<_, Option<i64>>(APPLIED)
            .fetch_one(p)
            .await);
        matches!(applied, Ok(a) if a == latest)
    }

    pub fn backend(&self) -> &'static str {
        match self {
            Db::Sqlite(_) => "sqlite",
            Db::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        match self {
            Db::Sqlite(p) => p.close().await,
            Db::Postgres(p) => p.close().await,
        }
    }
}

/// `%text%` for LIKE, with LIKE's own wildcards escaped (used with ESCAPE '\').
pub fn like_pattern(folded: &str) -> String {
    let mut s = String::with_capacity(folded.len() + 2);
    s.push('%');
    for c in folded.chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// How many rows of `cols` values one multi-row statement carries. sqlx binds
/// each SQLite `$k` parameter by looking its name up (a linear scan in
/// `sqlite3_bind_parameter_name`), so a statement of n parameters costs n²
/// there: keep SQLite statements near 200 parameters. PostgreSQL takes 400
/// rows at a time.
pub fn rows_per_statement(tx: &Tx, cols: usize) -> usize {
    if tx.is_postgres() {
        400
    } else {
        (200 / cols.max(1)).max(1)
    }
}

/// `$start, $start+1, …` for an `IN (…)` list of `n` bound values.
pub fn placeholders(start: usize, n: usize) -> String {
    (start..start + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}
