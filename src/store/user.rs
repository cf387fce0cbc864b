//! Accounts, role grants and API tokens.

use super::types::{Instant, instant};
use super::{Db, Result, Tx};
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
}

const COLUMNS: &str = "id, username, password_hash, display_name, member_id, disabled";

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
    db: &Db,
    user: UserId,
    hash: &str,
    now: jiff::Timestamp,
    expires: jiff::Timestamp,
) -> Result<()> {
    const SQL: &str = "INSERT INTO api_token (user_id, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4)";
    on_db!(db, |p| sqlx::query(SQL)
        .bind(user)
        .bind(hash)
        .bind(instant(now))
        .bind(instant(expires))
        .execute(p)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The user a token belongs to, if it has not expired.
pub async fn by_token(db: &Db, hash: &str, now: jiff::Timestamp) -> Result<Option<UserId>> {
    const SQL: &str = "SELECT user_id, expires_at FROM api_token WHERE token_hash = $1";
    let row: Option<(UserId, Instant)> = on_db!(db, |p| sqlx::query_as(SQL)
        .bind(hash)
        .fetch_optional(p)
        .await)?;
    Ok(row.filter(|(_, exp)| exp.to_jiff() > now).map(|(u, _)| u))
}

pub async fn count(db: &Db) -> Result<i64> {
    Ok(on_db!(db, |p| sqlx::query_scalar(
        "SELECT COUNT(*) FROM app_user"
    )
    .fetch_one(p)
    .await)?)
}
