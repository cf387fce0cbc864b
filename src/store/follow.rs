//! Follow assignments (migration 0011): who follows which node, when.

use super::json_rows::{self, Part};
use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::ids::{MemberId, OrgId};
use crate::{on_db, on_tx};
use jiff::civil::Date;

/// Valid on `$2`: started, and not yet ended.
const ACTIVE: &str = "f.valid_from <= $2 AND (f.valid_to IS NULL OR f.valid_to > $2)";

/// Fields in the order of [`COLUMNS`].
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct FollowRow {
    pub id: i64,
    pub org_id: OrgId,
    pub member_id: MemberId,
    pub full_name: String,
    pub email: String,
    pub cell_name: String,
    pub kind: String,
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub valid_from: Day,
    #[serde(deserialize_with = "json_rows::opt_day::deserialize")]
    pub valid_to: Option<Day>,
}

const COLUMNS: &str = "f.id, f.org_id, f.member_id, m.full_name, m.email, \
    (SELECT v.name FROM org_version v WHERE v.org_id = m.cell_id ORDER BY v.valid_from DESC LIMIT 1) AS cell_name, \
    f.kind, f.valid_from, f.valid_to";

/// The followers of a node on a day, in name order ($1: the node, $2: the day).
pub(super) fn of_org_part() -> Part {
    Part {
        with: String::new(),
        columns: COLUMNS.into(),
        from: format!(
            "FROM follower f JOIN member m ON m.id = f.member_id WHERE f.org_id = $1 AND {ACTIVE}"
        ),
        order: "m.sort_key, f.id".into(),
    }
}

/// The followers of a node on `on`, in name order.
pub async fn of_org(db: &Db, org: OrgId, on: Date) -> Result<Vec<FollowRow>> {
    let sql = of_org_part().select();
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// The nodes a member follows on `on`.
pub async fn followed_by(db: &Db, member: MemberId, on: Date) -> Result<Vec<OrgId>> {
    let sql = format!("SELECT f.org_id FROM follower f WHERE f.member_id = $1 AND {ACTIVE}");
    Ok(on_db!(db, |p| sqlx::query_scalar(&sql)
        .bind(member)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<FollowRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM follower f JOIN member m ON m.id = f.member_id WHERE f.id = $1"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Whether the member already follows the node on `on`.
pub async fn is_following(tx: &mut Tx, org: OrgId, member: MemberId, on: Date) -> Result<bool> {
    let sql = format!(
        "SELECT COUNT(*) FROM follower f WHERE f.org_id = $1 AND {ACTIVE} AND f.member_id = $3"
    );
    let n: i64 = on_tx!(tx, |c| sqlx::query_scalar(&sql)
        .bind(org)
        .bind(day(on))
        .bind(member)
        .fetch_one(c)
        .await)?;
    Ok(n > 0)
}

pub async fn insert(
    tx: &mut Tx,
    org: OrgId,
    member: MemberId,
    kind: &str,
    from: Date,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO follower (org_id, member_id, kind, valid_from) \
                       VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(org)
        .bind(member)
        .bind(kind)
        .bind(day(from))
        .fetch_one(c)
        .await)?)
}

/// Ends an assignment: `on` is the first day it no longer holds.
pub async fn end(tx: &mut Tx, id: i64, on: Date) -> Result<u64> {
    const SQL: &str = "UPDATE follower SET valid_to = $2 WHERE id = $1 AND valid_to IS NULL";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(day(on))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}
