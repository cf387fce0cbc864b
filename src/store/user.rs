//! Accounts, role grants and API tokens.

use super::types::{Instant, instant};
use super::{Db, Result, Tx};
use crate::domain::display::Display;
use crate::domain::ids::{MemberId, OrgId, UserId};
use crate::{on_db, on_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserRow {
    pub id: UserId,
    pub username: String,
    pub password_hash: String,
    pub display_name: String,
    pub member_id: Option<MemberId>,
    pub disabled: bool,
    /// Copied into a session at sign-in; a session with an older one is over.
    pub session_epoch: i64,
    pub large_text: bool,
    pub high_contrast: bool,
}

impl UserRow {
    pub fn display(&self) -> Display {
        Display {
            large_text: self.large_text,
            high_contrast: self.high_contrast,
        }
    }
}

const COLUMNS: &str = "id, username, password_hash, display_name, member_id, disabled, \
                       session_epoch, large_text, high_contrast";

/// The same columns, qualified, for joins.
const U_COLUMNS: &str = "u.id, u.username, u.password_hash, u.display_name, u.member_id, u.disabled, \
                         u.session_epoch, u.large_text, u.high_contrast";

/// An account with the counter its cached grants are checked against
/// (`caller_epoch`, docs/rules.md "Caller cache"), and the two its cached
/// home page is checked against (a member's own counter and the statistics
/// epoch of the member's cell; 0 for an account without a member).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UserWithEpoch {
    #[sqlx(flatten)]
    pub user: UserRow,
    pub caller_epoch: i64,
    pub member_epoch: i64,
    pub cell_epoch: i64,
}

/// The epochs of [`UserWithEpoch`] after `u`'s columns.
const EPOCHS: &str = "e.n AS caller_epoch, \
    COALESCE((SELECT x.n FROM member_epoch x WHERE x.member_id = u.member_id), 0) AS member_epoch, \
    COALESCE((SELECT se.epoch FROM member mc JOIN stats_epoch se ON se.org_id = mc.cell_id \
    WHERE mc.id = u.member_id), 0) AS cell_epoch";

/// The account and the caller epoch, in one statement: what a signed-in
/// page reads before its handler when its caller is cached.
pub async fn get_with_epoch(db: &Db, id: UserId) -> Result<Option<UserWithEpoch>> {
    let sql = format!(
        "SELECT {U_COLUMNS}, {EPOCHS} FROM app_user u CROSS JOIN caller_epoch e \
         WHERE u.id = $1"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

#[derive(sqlx::FromRow)]
struct SessionUser {
    #[sqlx(flatten)]
    found: UserWithEpoch,
    session_data: Vec<u8>,
}

/// A browser session's stored record (tower-sessions' encoding) with the
/// account it was signed in to and the caller epoch, in one statement: what
/// every signed-in page reads first (web::session). `None` when the session
/// is gone or expired, or the account is gone.
pub async fn session_with_account(
    db: &Db,
    session: &str,
    now: tower_sessions::cookie::time::OffsetDateTime,
    user: UserId,
) -> Result<Option<(Vec<u8>, UserWithEpoch)>> {
    // The session tables are tower-sessions-sqlx-store's, named per backend.
    let table = match db {
        Db::Sqlite(_) => "tower_sessions",
        Db::Postgres(_) => "\"tower_sessions\".\"session\"",
    };
    let sql = format!(
        "SELECT {U_COLUMNS}, {EPOCHS}, s.data AS session_data FROM {table} s \
         JOIN app_user u ON u.id = $3 CROSS JOIN caller_epoch e \
         WHERE s.id = $1 AND s.expiry_date > $2"
    );
    let row: Option<SessionUser> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(session)
        .bind(now)
        .bind(user)
        .fetch_optional(p)
        .await)?;
    Ok(row.map(|r| (r.session_data, r.found)))
}

#[derive(sqlx::FromRow)]
struct TokenUser {
    #[sqlx(flatten)]
    found: UserWithEpoch,
    expires_at: Instant,
}

/// The account of an unexpired API token, with the caller epoch, in one
/// statement.
pub async fn by_token_with_epoch(
    db: &Db,
    hash: &str,
    now: jiff::Timestamp,
) -> Result<Option<UserWithEpoch>> {
    let sql = format!(
        "SELECT {U_COLUMNS}, {EPOCHS}, t.expires_at FROM api_token t \
         JOIN app_user u ON u.id = t.user_id CROSS JOIN caller_epoch e WHERE t.token_hash = $1"
    );
    let row: Option<TokenUser> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(hash)
        .fetch_optional(p)
        .await)?;
    Ok(row
        .filter(|r| r.expires_at.to_jiff() > now)
        .map(|r| r.found))
}

pub async fn by_username(db: &Db, username: &str) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM app_user WHERE username = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(username)
        .fetch_optional(p)
        .await)?)
}

pub async fn get(db: &Db, id: UserId) -> Result<Option<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM app_user WHERE id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// The user's explicit grants: (role code, node).
pub async fn grants(db: &Db, user: UserId) -> Result<Vec<(String, OrgId)>> {
    const SQL: &str = "SELECT role, org_id FROM role_grant WHERE user_id = $1 ORDER BY id";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(user)
        .fetch_all(p)
        .await)?)
}

pub async fn insert(
    tx: &mut Tx,
    username: &str,
    hash: &str,
    display_name: &str,
    member: Option<MemberId>,
) -> Result<UserId> {
    const SQL: &str = "INSERT INTO app_user (username, password_hash, display_name, member_id) \
                       VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(username)
        .bind(hash)
        .bind(display_name)
        .bind(member)
        .fetch_one(c)
        .await)?)
}

pub async fn insert_grant(tx: &mut Tx, user: UserId, role: &str, org: OrgId) -> Result<()> {
    const SQL: &str = "INSERT INTO role_grant (user_id, role, org_id) VALUES ($1, $2, $3)";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(user)
        .bind(role)
        .bind(org)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn insert_token(
    tx: &mut Tx,
    user: UserId,
    hash: &str,
    now: jiff::Timestamp,
    expires: jiff::Timestamp,
) -> Result<()> {
    const SQL: &str = "INSERT INTO api_token (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(user)
        .bind(hash)
        .bind(instant(now))
        .bind(instant(expires))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM app_user"
    )
    .fetch_one(p)
    .await)?)
}

/// One explicit grant, with its id (to remove it).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct GrantRow {
    pub id: i64,
    pub role: String,
    pub org_id: OrgId,
}

pub async fn grant_rows(db: &Db, user: UserId) -> Result<Vec<GrantRow>> {
    const SQL: &str = "SELECT id, role, org_id FROM role_grant WHERE user_id = $1 ORDER BY id";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(user)
        .fetch_all(p)
        .await)?)
}

/// One page of the accounts placed in the subtree of `root` on `on` (by a
/// grant there or by their member's cell), by username, and their total.
pub async fn in_subtree(
    db: &Db,
    root: super::org::Root,
    on: jiff::civil::Date,
    limit: i64,
    offset: i64,
) -> Result<(Vec<UserRow>, i64)> {
    let cols = COLUMNS
        .split(", ")
        .map(|c| format!("u.{c}"))
        .collect::<Vec<_>>()
        .join(", ");
    let placed = "(u.id IN (SELECT g.user_id FROM role_grant g WHERE g.org_id IN (SELECT id FROM sub)) \
                  OR u.member_id IN (SELECT m.id FROM member m WHERE m.cell_id IN (SELECT id FROM sub)))";
    let list = format!(
        "{}SELECT {cols} FROM app_user u WHERE {placed} ORDER BY u.username LIMIT $3 OFFSET $4",
        root.cte()
    );
    let count = format!(
        "{}SELECT COUNT(*) FROM app_user u WHERE {placed}",
        root.cte()
    );
    let on = super::types::day(on);
    let rows = on_db!(db, |p| sqlx::query_as(&list)
        .bind(root.id)
        .bind(on)
        .bind(limit)
        .bind(offset)
        .fetch_all(p)
        .await)?;
    let total = on_db!(db, |p| sqlx::query_scalar(&count)
        .bind(root.id)
        .bind(on)
        .fetch_one(p)
        .await)?;
    Ok((rows, total))
}

/// Disables or enables an account.
pub async fn set_display(tx: &mut Tx, user: UserId, d: Display) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE app_user SET large_text = $2, high_contrast = $3 WHERE id = $1"
    )
    .bind(user)
    .bind(d.large_text)
    .bind(d.high_contrast)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn set_disabled(tx: &mut Tx, user: UserId, disabled: bool) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "UPDATE app_user SET disabled = $2 WHERE id = $1"
    )
    .bind(user)
    .bind(disabled)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Ends every session of the account (they carry the old epoch) and deletes
/// its API tokens; returns how many tokens there were.
pub async fn revoke_all(tx: &mut Tx, user: UserId) -> Result<u64> {
    Ok(on_tx!(tx, |c| {
        sqlx::query("UPDATE app_user SET session_epoch = session_epoch + 1 WHERE id = $1")
            .bind(user)
            .execute(&mut *c)
            .await?;
        sqlx::query("DELETE FROM api_token WHERE user_id = $1")
            .bind(user)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
    })?)
}

/// Removes one grant of the account; false if it has no such grant.
pub async fn delete_grant(tx: &mut Tx, user: UserId, grant: i64) -> Result<bool> {
    let n = on_tx!(tx, |c| sqlx::query(
        "DELETE FROM role_grant WHERE id = $1 AND user_id = $2"
    )
    .bind(grant)
    .bind(user)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    Ok(n > 0)
}

/// The accounts linked to a member record.
pub async fn of_member(tx: &mut Tx, member: MemberId) -> Result<Vec<UserRow>> {
    let sql = format!("SELECT {COLUMNS} FROM app_user WHERE member_id = $1 ORDER BY id");
    Ok(on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(member)
        .fetch_all(c)
        .await)?)
}

/// Removes the account's grants on one node; returns what was removed.
pub async fn delete_grants_on(tx: &mut Tx, user: UserId, org: OrgId) -> Result<Vec<GrantRow>> {
    Ok(on_tx!(tx, |c| sqlx::query_as(
        "DELETE FROM role_grant WHERE user_id = $1 AND org_id = $2 RETURNING id, role, org_id"
    )
    .bind(user)
    .bind(org)
    .fetch_all(c)
    .await)?)
}

/// Whether a member has an account that is not disabled.
pub async fn has_active_account(db: &Db, member: MemberId) -> Result<bool> {
    const SQL: &str = "SELECT COUNT(*) FROM app_user WHERE member_id = $1 AND disabled = FALSE";
    let n: i64 = on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(member)
        .fetch_one(p)
        .await)?;
    Ok(n > 0)
}
