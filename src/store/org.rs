//! The organization tree, read as it stood on a date.

use super::json_rows::{self, Part};
use super::types::{Day, day};
use super::{Db, Result, StoreError, Tx};
use crate::domain::ids::OrgId;
use crate::domain::org::{CellType, OrgKind};
use crate::{on_db, on_tx};
use jiff::civil::Date;

/// The node's version valid on `$2` (or the bound date named in the text).
macro_rules! valid_on {
    ($v:literal, $p:literal) => {
        concat!(
            $v,
            ".valid_from <= ",
            $p,
            " AND (",
            $v,
            ".valid_to IS NULL OR ",
            $v,
            ".valid_to > ",
            $p,
            ")"
        )
    };
}

/// Ids of the subtree of `$1` as it stood on `$2`.
macro_rules! subtree_cte {
    () => {
        concat!(
            "WITH RECURSIVE sub(id) AS (SELECT CAST($1 AS BIGINT) UNION ",
            "SELECT v.org_id FROM org_version v JOIN sub ON v.parent_id = sub.id WHERE ",
            $crate::store::org::valid_on!("v", "$2"),
            ") "
        )
    };
}
pub(crate) use subtree_cte;

/// `sub(id)` holding just `$1`, with `$2` bound (and unused) like the subtree CTE's.
pub const LEAF_CTE: &str =
    "WITH sub(id) AS (SELECT CAST($1 AS BIGINT) WHERE CAST($2 AS DATE) IS NOT NULL) ";

/// Where a subtree query starts. A cell never has children, and saying so
/// lets PostgreSQL plan index lookups: for the recursive CTE it guesses
/// thousands of nodes and scans whole tables.
#[derive(Debug, Clone, Copy)]
pub struct Root {
    pub id: OrgId,
    pub leaf: bool,
}

impl Root {
    pub fn of(row: &OrgRow) -> Self {
        Root {
            id: row.id,
            leaf: row.kind().is_cell(),
        }
    }

    /// A member's cell.
    pub fn cell(id: OrgId) -> Self {
        Root { id, leaf: true }
    }

    /// A node that may have children.
    pub fn subtree(id: OrgId) -> Self {
        Root { id, leaf: false }
    }

    /// `sub(id)`: the node and (unless a leaf) everything under it on `$2`;
    /// binds `$1` = node and `$2` = date either way.
    pub fn cte(&self) -> &'static str {
        if self.leaf { LEAF_CTE } else { subtree_cte!() }
    }
}
pub(crate) use valid_on;

const COLUMNS: &str = "v.org_id AS id, v.name, v.kind, v.cell_type, v.parent_id, v.valid_from, v.valid_to, \
                       o.created_on, o.dissolved_on, o.successor_id";

/// Fields in the order of [`COLUMNS`].
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct OrgRow {
    pub id: OrgId,
    pub name: String,
    pub kind: String,
    pub cell_type: Option<String>,
    pub parent_id: Option<OrgId>,
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub valid_from: Day,
    #[serde(deserialize_with = "json_rows::opt_day::deserialize")]
    pub valid_to: Option<Day>,
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub created_on: Day,
    #[serde(deserialize_with = "json_rows::opt_day::deserialize")]
    pub dissolved_on: Option<Day>,
    pub successor_id: Option<OrgId>,
}

impl OrgRow {
    pub fn kind(&self) -> OrgKind {
        OrgKind::from_code(&self.kind).unwrap_or(OrgKind::Cell)
    }
    pub fn cell_type(&self) -> Option<CellType> {
        self.cell_type.as_deref().and_then(CellType::from_code)
    }
    pub fn dissolved_on(&self) -> Option<Date> {
        self.dissolved_on.map(|d| d.to_jiff())
    }
    /// The last day the node existed, or `today` if it still does: the date
    /// its subtree is read at when it is no longer in the current tree.
    pub fn reference_date(&self, today: Date) -> Date {
        match self.dissolved_on() {
            Some(d) if d <= today => crate::domain::time::day_before(d),
            _ => today,
        }
    }
}

/// `latest` as it stood on `on`: the row itself when its version covers the
/// date (no query: the common case of reading today), else the older version,
/// if the node existed then.
pub async fn at_from_latest(db: &Db, latest: &OrgRow, on: Date) -> Result<Option<OrgRow>> {
    let covers =
        latest.valid_from.to_jiff() <= on && latest.valid_to.is_none_or(|t| t.to_jiff() > on);
    if covers {
        return Ok(Some(latest.clone()));
    }
    get_at(db, latest.id, on).await
}

/// The node as it stood on `on`, if it existed then.
pub async fn get_at(db: &Db, id: OrgId, on: Date) -> Result<Option<OrgRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM org_version v JOIN org o ON o.id = v.org_id WHERE v.org_id = $1 AND {}",
        valid_on!("v", "$2")
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .bind(day(on))
        .fetch_optional(p)
        .await)?)
}

/// The node's latest version (its last state if dissolved).
pub async fn get_latest(db: &Db, id: OrgId) -> Result<OrgRow> {
    let sql = format!(
        "SELECT {COLUMNS} FROM org_version v JOIN org o ON o.id = v.org_id WHERE v.org_id = $1 \
         ORDER BY v.valid_from DESC LIMIT 1"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

/// The nodes without a parent on `on` (the national root; a fresh
/// installation may hold a few), latest versions.
pub async fn roots(db: &Db, on: Date) -> Result<Vec<OrgRow>> {
    const SQL: &str = concat!(
        "SELECT v.org_id FROM org_version v WHERE v.parent_id IS NULL AND ",
        valid_on!("v", "$1"),
        " ORDER BY v.org_id"
    );
    let ids: Vec<OrgId> = on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(day(on))
        .fetch_all(p)
        .await)?;
    get_many_latest(db, &ids).await
}

/// Latest versions of several nodes (an actor's grants), in one query.
pub async fn get_many_latest(db: &Db, ids: &[OrgId]) -> Result<Vec<OrgRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM org_version v JOIN org o ON o.id = v.org_id \
         WHERE v.org_id IN ({}) AND NOT EXISTS (SELECT 1 FROM org_version w \
         WHERE w.org_id = v.org_id AND w.valid_from > v.valid_from)",
        super::placeholders(1, ids.len())
    );
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql);
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?)
}

/// Ancestors-or-self of a node on a day, root first ($1: the node, $2: the
/// day). CROSS JOIN keeps SQLite walking from the few ancestors into the
/// versions (with bound parameters it otherwise scanned every version:
/// 5.7 ms a call on a 1 M-member tree).
pub(super) fn ancestors_part() -> Part {
    Part {
        with: concat!(
            "WITH RECURSIVE anc(id, depth) AS (SELECT CAST($1 AS BIGINT), 0 UNION ALL ",
            "SELECT v.parent_id, anc.depth + 1 FROM org_version v JOIN anc ON v.org_id = anc.id ",
            "WHERE v.parent_id IS NOT NULL AND ",
            valid_on!("v", "$2"),
            " AND anc.depth < 64)"
        )
        .into(),
        columns: COLUMNS.into(),
        from: concat!(
            "FROM anc CROSS JOIN org_version v CROSS JOIN org o ",
            "WHERE v.org_id = anc.id AND o.id = v.org_id AND ",
            valid_on!("v", "$2")
        )
        .into(),
        order: "anc.depth DESC".into(),
    }
}

/// Ancestors-or-self of `id` on `on`, root first ([`ancestors_part`]).
pub async fn ancestors(db: &Db, id: OrgId, on: Date) -> Result<Vec<OrgRow>> {
    let sql = ancestors_part().select();
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// Ancestor-or-self ids of `id` on `on`.
pub async fn path_ids(db: &Db, id: OrgId, on: Date) -> Result<Vec<OrgId>> {
    const SQL: &str = concat!(
        "WITH RECURSIVE anc(id, depth) AS (SELECT CAST($1 AS BIGINT), 0 UNION ALL ",
        "SELECT v.parent_id, anc.depth + 1 FROM org_version v JOIN anc ON v.org_id = anc.id ",
        "WHERE v.parent_id IS NOT NULL AND ",
        valid_on!("v", "$2"),
        " AND anc.depth < 64) SELECT id FROM anc"
    );
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(id)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// Ancestor-or-self ids of `id` on each of `dates`.
pub async fn paths_at(db: &Db, id: OrgId, dates: &[Date]) -> Result<Vec<(Date, Vec<OrgId>)>> {
    let mut out = Vec::with_capacity(dates.len());
    for d in dates {
        out.push((*d, path_ids(db, id, *d).await?));
    }
    Ok(out)
}

/// Children of `id` on `on`, in Vietnamese order.
pub async fn children(db: &Db, id: OrgId, on: Date) -> Result<Vec<OrgRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM org_version v JOIN org o ON o.id = v.org_id WHERE v.parent_id = $1 AND {}",
        valid_on!("v", "$2")
    );
    let mut rows: Vec<OrgRow> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .bind(day(on))
        .fetch_all(p)
        .await)?;
    sort_by_name(&mut rows);
    Ok(rows)
}

/// The children of several nodes on `on`, each list by name, in `ids`' order.
pub async fn children_of_many(db: &Db, ids: &[OrgId], on: Date) -> Result<Vec<OrgRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM org_version v JOIN org o ON o.id = v.org_id WHERE {} AND v.parent_id IN ({})",
        valid_on!("v", "$1"),
        super::placeholders(2, ids.len())
    );
    let mut rows: Vec<OrgRow> = on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql).bind(day(on));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?;
    sort_by_name(&mut rows);
    let rank = |r: &OrgRow| ids.iter().position(|i| Some(*i) == r.parent_id);
    rows.sort_by_key(rank);
    Ok(rows)
}

/// Child counts of several nodes on `on` (for tree pages without N+1).
pub async fn child_counts(db: &Db, ids: &[OrgId], on: Date) -> Result<Vec<(OrgId, i64)>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT v.parent_id, COUNT(*) FROM org_version v WHERE {} AND v.parent_id IN ({}) GROUP BY v.parent_id",
        valid_on!("v", "$1"),
        super::placeholders(2, ids.len())
    );
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql).bind(day(on));
        for id in ids {
            q = q.bind(*id);
        }
        q.fetch_all(p).await
    })?)
}

pub fn sort_by_name(rows: &mut [OrgRow]) {
    rows.sort_by(|a, b| crate::domain::text::compare(&a.name, &b.name));
}

/// Ids of the subtree of `root` on `on` (root included if it existed).
pub async fn subtree_ids(db: &Db, root: OrgId, on: Date) -> Result<Vec<OrgId>> {
    const SQL: &str = concat!(subtree_cte!(), "SELECT id FROM sub");
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// Nodes existing on `on` whose name contains `pattern` (a LIKE pattern on
/// the folded name), optionally restricted to the subtree of `scope_root`
/// as it stood on `scope_on`.
pub async fn search(
    db: &Db,
    pattern: &str,
    on: Date,
    scope: Option<(OrgId, Date)>,
    limit: i64,
) -> Result<Vec<OrgRow>> {
    let rows: Vec<OrgRow> = match scope {
        None => {
            let sql = format!(
                "SELECT {COLUMNS} FROM org_version v JOIN org o ON o.id = v.org_id \
                 WHERE {} AND v.name_key LIKE $2 ESCAPE '\\' ORDER BY v.name_key LIMIT $3",
                valid_on!("v", "$1")
            );
            on_db!(db, |p| sqlx::query_as(&sql)
                .bind(day(on))
                .bind(pattern)
                .bind(limit)
                .fetch_all(p)
                .await)?
        }
        Some((root, scope_on)) => {
            let sql = format!(
                "{}SELECT {COLUMNS} FROM sub JOIN org_version v ON v.org_id = sub.id JOIN org o ON o.id = v.org_id \
                 WHERE {} AND v.name_key LIKE $4 ESCAPE '\\' ORDER BY v.name_key LIMIT $5",
                subtree_cte!(),
                valid_on!("v", "$3")
            );
            on_db!(db, |p| sqlx::query_as(&sql)
                .bind(root)
                .bind(day(scope_on))
                .bind(day(on))
                .bind(pattern)
                .bind(limit)
                .fetch_all(p)
                .await)?
        }
    };
    Ok(rows)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct VersionRow {
    pub name: String,
    pub kind: String,
    pub cell_type: Option<String>,
    pub parent_id: Option<OrgId>,
    pub parent_name: Option<String>,
    pub valid_from: Day,
    pub valid_to: Option<Day>,
}

/// Every version of a node, oldest first, with the parent's name at the time.
pub async fn versions(db: &Db, id: OrgId) -> Result<Vec<VersionRow>> {
    const SQL: &str = "SELECT v.name, v.kind, v.cell_type, v.parent_id, \
        (SELECT pv.name FROM org_version pv WHERE pv.org_id = v.parent_id AND pv.valid_from <= v.valid_from \
           ORDER BY pv.valid_from DESC LIMIT 1) AS parent_name, v.valid_from, v.valid_to \
        FROM org_version v WHERE v.org_id = $1 ORDER BY v.valid_from";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(id)
        .fetch_all(p)
        .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct EventRow {
    pub kind: String,
    pub happened_on: Day,
    pub other_org_id: Option<OrgId>,
    pub other_name: Option<String>,
    pub decision: String,
    pub detail: String,
}

pub async fn events(db: &Db, id: OrgId) -> Result<Vec<EventRow>> {
    const SQL: &str = "SELECT e.kind, e.happened_on, e.other_org_id, \
        (SELECT ov.name FROM org_version ov WHERE ov.org_id = e.other_org_id ORDER BY ov.valid_from DESC LIMIT 1) AS other_name, \
        e.decision, e.detail FROM org_event e WHERE e.org_id = $1 ORDER BY e.happened_on, e.id";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(id)
        .fetch_all(p)
        .await)?)
}

// ---- writes (inside a transaction) ----

pub struct NewVersion<'a> {
    pub org: OrgId,
    pub parent: Option<OrgId>,
    pub name: &'a str,
    pub kind: OrgKind,
    pub cell_type: Option<CellType>,
    pub valid_from: Date,
}

pub async fn insert_org(tx: &mut Tx, created_on: Date) -> Result<OrgId> {
    const SQL: &str = "INSERT INTO org (created_on) VALUES ($1) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(day(created_on))
        .fetch_one(c)
        .await)?)
}

pub async fn insert_version(tx: &mut Tx, v: &NewVersion<'_>) -> Result<()> {
    const SQL: &str = "INSERT INTO org_version (org_id, parent_id, name, name_key, kind, cell_type, valid_from) \
                       VALUES ($1, $2, $3, $4, $5, $6, $7)";
    let key = crate::domain::text::fold(v.name);
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(v.org)
        .bind(v.parent)
        .bind(v.name)
        .bind(&key)
        .bind(v.kind.code())
        .bind(v.cell_type.map(CellType::code))
        .bind(day(v.valid_from))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The open (current) version, locked for the rest of the transaction on
/// PostgreSQL; SQLite's transaction already holds the write lock.
pub async fn current_for_update(tx: &mut Tx, id: OrgId) -> Result<OrgRow> {
    let sql = format!(
        "SELECT {COLUMNS} FROM org_version v JOIN org o ON o.id = v.org_id WHERE v.org_id = $1 AND v.valid_to IS NULL{}",
        if tx.is_postgres() {
            " FOR UPDATE OF v"
        } else {
            ""
        }
    );
    on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

pub async fn close_version(tx: &mut Tx, id: OrgId, on: Date) -> Result<()> {
    const SQL: &str = "UPDATE org_version SET valid_to = $2 WHERE org_id = $1 AND valid_to IS NULL";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(day(on))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

pub async fn mark_dissolved(
    tx: &mut Tx,
    id: OrgId,
    on: Date,
    successor: Option<OrgId>,
) -> Result<()> {
    const SQL: &str = "UPDATE org SET dissolved_on = $2, successor_id = $3 WHERE id = $1";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(day(on))
        .bind(successor)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Open child versions of `id` (children in the current tree).
pub async fn current_children(tx: &mut Tx, id: OrgId) -> Result<Vec<OrgRow>> {
    let sql = format!(
        "SELECT {COLUMNS} FROM org_version v JOIN org o ON o.id = v.org_id WHERE v.parent_id = $1 AND v.valid_to IS NULL"
    );
    Ok(on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .fetch_all(c)
        .await)?)
}

pub async fn insert_event(
    tx: &mut Tx,
    org: OrgId,
    kind: &str,
    on: Date,
    other: Option<OrgId>,
    decision: &str,
    detail: &str,
) -> Result<()> {
    const SQL: &str = "INSERT INTO org_event (org_id, kind, happened_on, other_org_id, decision, detail) \
                       VALUES ($1, $2, $3, $4, $5, $6)";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(org)
        .bind(kind)
        .bind(day(on))
        .bind(other)
        .bind(decision)
        .bind(detail)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}
