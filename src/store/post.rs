//! Posts held in a cell or base committee, with dates (migration 0014;
//! docs/rules.md "Posts in a cell").

use super::json_rows::Part;
use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::post::{PostKind, Tenure};
use crate::{on_db, on_tx};
use jiff::civil::Date;

/// Held on `$2`: started, and not yet ended.
const HELD: &str = "p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2)";

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PostRow {
    pub id: i64,
    pub org_id: OrgId,
    pub member_id: MemberId,
    pub full_name: String,
    pub kind: String,
    pub valid_from: Day,
    pub valid_to: Option<Day>,
    pub decision: String,
}

impl PostRow {
    pub fn kind(&self) -> Option<PostKind> {
        PostKind::from_code(&self.kind)
    }

    pub fn tenure(&self) -> Option<Tenure> {
        Some(Tenure {
            kind: self.kind()?,
            member: self.member_id.0,
            from: self.valid_from.to_jiff(),
            to: self.valid_to.map(|d| d.to_jiff()),
        })
    }

    pub fn held_on(&self, on: Date) -> bool {
        self.tenure().is_some_and(|t| t.held_on(on))
    }
}

const COLUMNS: &str =
    "p.id, p.org_id, p.member_id, m.full_name, p.kind, p.valid_from, p.valid_to, p.decision";

/// Every post of a node, past ones included: held ones first, then by start.
pub async fn of_org(db: &Db, org: OrgId) -> Result<Vec<PostRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM post p JOIN member m ON m.id = p.member_id \
         WHERE p.org_id = $1 ORDER BY CASE WHEN p.valid_to IS NULL THEN 0 ELSE 1 END, p.valid_from DESC, p.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .fetch_all(p)
        .await)?)
}

/// The node's posts, read inside the transaction that adds one.
pub async fn of_org_tx(tx: &mut Tx, org: OrgId) -> Result<Vec<PostRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM post p JOIN member m ON m.id = p.member_id WHERE p.org_id = $1"
    );
    Ok(on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(org)
        .fetch_all(c)
        .await)?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<PostRow>> {
    let sql =
        format!("SELECT {COLUMNS} FROM post p JOIN member m ON m.id = p.member_id WHERE p.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// Who held which post in a cell on a day: (member, post code) rows ($1:
/// the cell, $2: the day).
pub(super) fn in_cell_on_part() -> Part {
    Part {
        with: String::new(),
        columns: "p.member_id, p.kind".into(),
        from: format!("FROM post p WHERE p.org_id = $1 AND {HELD}"),
        order: "p.id".into(),
    }
}

/// Who held which post in `cell` on `on`: (member, post code).
pub async fn in_cell_on(db: &Db, cell: OrgId, on: Date) -> Result<Vec<(MemberId, String)>> {
    let sql = in_cell_on_part().select();
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(cell)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// Members among `members` holding a post on `on`: in `cell`, or in any
/// committee.
pub async fn holding_post(
    db: &Db,
    cell: OrgId,
    members: &[MemberId],
    on: Date,
) -> Result<Vec<MemberId>> {
    if members.is_empty() {
        return Ok(Vec::new());
    }
    let committee: Vec<String> = PostKind::COMMITTEE
        .iter()
        .map(|k| format!("'{}'", k.code()))
        .collect();
    let sql = format!(
        "SELECT DISTINCT p.member_id FROM post p WHERE {HELD} AND p.member_id IN ({}) \
         AND (p.org_id = $1 OR p.kind IN ({}))",
        super::placeholders(3, members.len()),
        committee.join(", ")
    );
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_scalar(&sql).bind(cell).bind(day(on));
        for m in members {
            q = q.bind(*m);
        }
        q.fetch_all(p).await
    })?)
}

/// A member's posts held on `on`, each with the node's current name.
pub async fn of_member(db: &Db, member: MemberId, on: Date) -> Result<Vec<(String, String)>> {
    let sql = format!(
        "SELECT p.kind, (SELECT v.name FROM org_version v WHERE v.org_id = p.org_id \
         ORDER BY v.valid_from DESC LIMIT 1) FROM post p WHERE p.member_id = $1 AND {HELD} ORDER BY p.id"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(member)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

pub struct NewPost<'a> {
    pub org: OrgId,
    pub member: MemberId,
    pub kind: PostKind,
    pub from: Date,
    pub to: Option<Date>,
    pub decision: &'a str,
}

pub async fn insert(tx: &mut Tx, p: &NewPost<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO post (org_id, member_id, kind, valid_from, valid_to, decision) \
                       VALUES ($1, $2, $3, $4, $5, $6) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(p.org)
        .bind(p.member)
        .bind(p.kind.code())
        .bind(day(p.from))
        .bind(p.to.map(day))
        .bind(p.decision)
        .fetch_one(c)
        .await)?)
}

/// Ends a post still held: `on` is the first day it no longer holds.
pub async fn end(tx: &mut Tx, id: i64, on: Date) -> Result<u64> {
    const SQL: &str = "UPDATE post SET valid_to = $2 WHERE id = $1 AND valid_to IS NULL";
    Ok(on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(day(on))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?)
}
