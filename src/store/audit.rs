//! The audit log: who changed what, when, with the state before and after.

use super::org::subtree_cte;
use super::types::{Instant, day, instant};
use super::{Db, Result, Tx};
use crate::domain::ids::{OrgId, UserId};
use crate::{on_db, on_tx};
use jiff::civil::Date;

pub struct Entry<'a> {
    pub at: jiff::Timestamp,
    pub user_id: Option<UserId>,
    pub username: &'a str,
    pub action: &'a str,
    pub entity: &'a str,
    pub entity_id: i64,
    /// The node the change belongs to (for scoping who may read it).
    pub org_id: Option<OrgId>,
    pub summary: &'a str,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

/// Written inside the transaction of the change it records.
pub async fn record(tx: &mut Tx, e: &Entry<'_>) -> Result<()> {
    const SQL: &str = "INSERT INTO audit_log (at, user_id, username, action, entity, entity_id, org_id, summary, before, after) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";
    let before = e.before.as_ref().map(|v| v.to_string());
    let after = e.after.as_ref().map(|v| v.to_string());
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(instant(e.at))
        .bind(e.user_id)
        .bind(e.username)
        .bind(e.action)
        .bind(e.entity)
        .bind(e.entity_id)
        .bind(e.org_id)
        .bind(e.summary)
        .bind(&before)
        .bind(&after)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditRow {
    pub id: i64,
    pub at: Instant,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub org_id: Option<OrgId>,
    pub summary: String,
    pub before: Option<String>,
    pub after: Option<String>,
}

/// Newest first: changes recorded on nodes of the subtree of `root` as it
/// stood on `on` (or everywhere when `root` is None), optionally for one entity.
pub async fn list(
    db: &Db,
    root: Option<OrgId>,
    on: Date,
    entity: Option<(&str, i64)>,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditRow>> {
    list_with_unplaced(db, root, on, entity, false, limit, offset).await
}

/// `list`, also with the rows recorded on no node (accounts placed nowhere,
/// failed sign-ins of unknown names) when `unplaced`: the tree's root, for
/// the administrators.
pub async fn list_with_unplaced(
    db: &Db,
    root: Option<OrgId>,
    on: Date,
    entity: Option<(&str, i64)>,
    unplaced: bool,
    limit: i64,
    offset: i64,
) -> Result<Vec<AuditRow>> {
    const COLS: &str = "a.id, a.at, a.username, a.action, a.entity, a.entity_id, a.org_id, a.summary, a.before, a.after";
    let (ent, ent_id) = entity.unwrap_or(("", 0));
    Ok(match root {
        Some(root) => {
            let sql = format!(
                "{}SELECT {COLS} FROM audit_log a WHERE (a.org_id IN (SELECT id FROM sub) OR ($7 = 1 AND a.org_id IS NULL)) \
                 AND ($3 = '' OR (a.entity = $3 AND a.entity_id = $4)) ORDER BY a.id DESC LIMIT $5 OFFSET $6",
                subtree_cte!()
            );
            on_db!(db, |p| sqlx::query_as(&sql)
                .bind(root)
                .bind(day(on))
                .bind(ent)
                .bind(ent_id)
                .bind(limit)
                .bind(offset)
                .bind(i64::from(unplaced))
                .fetch_all(p)
                .await)?
        }
        None => {
            let sql = format!(
                "SELECT {COLS} FROM audit_log a WHERE ($1 = '' OR (a.entity = $1 AND a.entity_id = $2)) \
                 ORDER BY a.id DESC LIMIT $3 OFFSET $4"
            );
            on_db!(db, |p| sqlx::query_as(&sql)
                .bind(ent)
                .bind(ent_id)
                .bind(limit)
                .bind(offset)
                .fetch_all(p)
                .await)?
        }
    })
}
