//! Recent failed sign-ins (the throttle's memory, shared by every instance).

use super::{Db, Result, Tx};
use crate::{on_db, on_tx};

/// Records one failure; purges failures older than `purge_before` on the way,
/// so the table holds about a day of rows.
pub async fn record_failure(
    tx: &mut Tx,
    at_secs: i64,
    username: &str,
    client: &str,
    purge_before: i64,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("DELETE FROM login_failure WHERE at_secs < $1")
            .bind(purge_before)
            .execute(&mut *c)
            .await?;
        sqlx::query("INSERT INTO login_failure (at_secs, username, client) VALUES ($1, $2, $3)")
            .bind(at_secs)
            .bind(username)
            .bind(client)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Failures since `since` for one account and one client: (count, latest).
pub async fn recent(
    db: &Db,
    username: &str,
    client: &str,
    since: i64,
) -> Result<((i64, Option<i64>), (i64, Option<i64>))> {
    const BY_USER: &str =
        "SELECT COUNT(*), MAX(at_secs) FROM login_failure WHERE username = $1 AND at_secs >= $2";
    const BY_CLIENT: &str =
        "SELECT COUNT(*), MAX(at_secs) FROM login_failure WHERE client = $1 AND at_secs >= $2";
    let user: (i64, Option<i64>) = on_db!(db, |p| sqlx::query_as(BY_USER)
        .bind(username)
        .bind(since)
        .fetch_one(p)
        .await)?;
    let client: (i64, Option<i64>) = on_db!(db, |p| sqlx::query_as(BY_CLIENT)
        .bind(client)
        .bind(since)
        .fetch_one(p)
        .await)?;
    Ok((user, client))
}

/// A successful sign-in forgives the account's failures (not the address's:
/// signing into one's own account must not reset a guesser's budget).
pub async fn clear_account(tx: &mut Tx, username: &str) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM login_failure WHERE username = $1"
    )
    .bind(username)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}
