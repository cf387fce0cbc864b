//! Rollups of subtree figures (migration 0003): a branch node keeps the totals
//! of its whole subtree, so a province or the national root is answered from
//! the rows of its children instead of a rescan of every member and meeting.
//!
//! Correctness rests on one rule: every audited write calls [`touch`] in its
//! own transaction for the node it changes, which bumps the epoch of that
//! node and of every node that was ever its ancestor. A rollup row is used
//! only while its epoch is the node's current epoch and its stamp (the dates
//! the figures depend on) matches the request; anything else is recomputed:
//!
//! - level by level through the stale nodes only: one statement a level
//!   reads the rows of the stale nodes' children, one counts the own figures
//!   of every stale node (cells too), one stores all their rows; every other
//!   node comes from its row;
//! - in bulk when the rows one level down are mostly missing for the dates
//!   (a cold cache): one grouped pass over the subtree, summed bottom-up in
//!   memory, every branch node's row stored at once. Cells' rows are then
//!   filled apart (`fill_cells`, from `service::warm`).
//!
//! A cell's own page counts the cell directly (`subtree` with a leaf root).
//!
//! Epochs are read before the data they guard, so a write racing with a
//! computation can only make the stored row stale, never wrong. Readers of a
//! branch node take turns on its recount; one that waited accepts a row
//! stored at the epoch it saw on arrival or later, since such a row holds
//! every write acknowledged before it came.

use super::org::{Root, subtree_cte, valid_on};
use super::rollup_counts as counts;
use super::types::day;
use super::{Db, Result, Tx};
use crate::domain::ids::OrgId;
use crate::{on_db, on_tx};
use jiff::civil::Date;
use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex as StdMutex, Weak};

/// Counts by metric name (`member:official:0`, `held:regular`, …).
pub type Metrics = BTreeMap<String, i64>;

/// Version of the meeting metrics; raise it when a metric is added (v2:
/// `themed:<kind>`; v3: every meeting figure by month, `mon:<MM>:…`, and the
/// recommendations raised by month, status and topic: see `rollup_months`).
const MEETING_METRICS: &str = "v4";

/// What is counted over a subtree.
#[derive(Debug, Clone, Copy)]
pub enum Measure {
    /// Nodes and members at home as they stood on a day.
    Org { on: Date },
    /// Meetings in `from..=to` of the cells in the tree as it stood on
    /// `tree_on`; open tasks past their deadline on `today`.
    Meetings {
        tree_on: Date,
        from: Date,
        to: Date,
        today: Date,
    },
}

impl Measure {
    fn tree_on(&self) -> Date {
        match *self {
            Measure::Org { on } => on,
            Measure::Meetings { tree_on, .. } => tree_on,
        }
    }

    /// The row a node keeps for this measure: month ends (the dates reports
    /// are made for) keep their own row; any other day, and each year of
    /// meetings, two rows that take turns by day (`:0`, `:1`), so that
    /// tomorrow's figures can be filled before midnight without evicting
    /// today's (`service::warm`). This bounds the table to a few rows a node.
    fn family(&self) -> String {
        match *self {
            Measure::Org { on } if on.tomorrow().is_ok_and(|t| t.day() == 1) => format!("org:{on}"),
            Measure::Org { on } => format!("org:day:{}", turn(on)),
            Measure::Meetings { from, today, .. } => {
                format!("meet:{}:{}", from.year(), turn(today))
            }
        }
    }

    /// The dates the figures depend on, and for meetings the version of the
    /// metric set, so that rows stored before a metric existed are recomputed.
    fn stamp(&self) -> String {
        match *self {
            Measure::Org { on } => on.to_string(),
            Measure::Meetings {
                tree_on,
                from,
                to,
                today,
            } => format!("{MEETING_METRICS}|{tree_on}|{from}|{to}|{today}"),
        }
    }
}

/// 0 or 1, alternating from each day to the next (month and year ends too).
fn turn(d: Date) -> i64 {
    d.since(jiff::civil::date(2000, 1, 1))
        .map(|s| i64::from(s.get_days()))
        .unwrap_or(0)
        .rem_euclid(2)
}

/// Which nodes a direct count covers; every CTE binds `$1` = node, `$2` =
/// tree date.
#[derive(Clone, Copy)]
enum Scope<'a> {
    /// The node and everything below it.
    Subtree,
    /// The node and the given nodes below it, each counted for itself
    /// (the stale nodes of a recount, whose rows are kept: see `recount`).
    NodeAnd(&'a [OrgId]),
    /// A node without children (see `org::Root`).
    Leaf,
}

impl Scope<'_> {
    /// The `sub(id)` CTE.
    fn cte(self) -> std::borrow::Cow<'static, str> {
        match self {
            Scope::Subtree => subtree_cte!().into(),
            Scope::Leaf => super::org::LEAF_CTE.into(),
            Scope::NodeAnd([]) => super::org::LEAF_CTE.into(),
            // Ids read from the tree, written as integers.
            Scope::NodeAnd(ids) => format!(
                "WITH sub(id) AS (SELECT CAST($1 AS BIGINT) WHERE CAST($2 AS DATE) IS NOT NULL \
                 UNION ALL SELECT o.id FROM org o WHERE o.id IN ({})) ",
                ids.iter()
                    .map(|id| id.0.to_string())
                    .collect::<Vec<_>>()
                    .join(", ")
            )
            .into(),
        }
    }

    /// The node each node's meetings are counted under: its own for the
    /// listed nodes, whose rows are kept; else `HOLDER_CTE`'s.
    fn holder(self) -> &'static str {
        match self {
            Scope::NodeAnd(_) => ", holder(id, h) AS (SELECT sub.id, sub.id FROM sub) ",
            Scope::Subtree | Scope::Leaf => super::rollup_months::HOLDER_CTE,
        }
    }
}

/// How many stale branch children are recounted level by level before a
/// bulk pass over the subtree is considered.
const INCREMENTAL_LIMIT: usize = 4;

static BULK: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

/// The totals of `root`'s subtree for the measure.
pub async fn subtree(db: &Db, root: Root, m: &Measure) -> Result<Metrics> {
    if root.leaf {
        // A cell: one statement, kept by the caller's per-process memo
        // (docs/rules.md "Node memo"); its parent keeps the cell's row.
        return Ok(sum(direct(db, Scope::Leaf, root.id, m).await?));
    }
    branch(db, root.id, m).await
}

/// The totals of a node that may have children.
async fn branch(db: &Db, root: OrgId, m: &Measure) -> Result<Metrics> {
    let own = own_row(db, root, m, None).await?;
    if let Some(body) = own.body {
        return Ok(parse(&body));
    }
    if !own.branch {
        // No children on the tree date (a new commune, say): counted like a
        // cell, then kept like a branch's row.
        let total = sum(direct(db, Scope::Leaf, root, m).await?);
        save(db, m, &[(root.0, own.epoch, json(&total))]).await?;
        return Ok(total);
    }
    // One recount of a branch node at a time in this process. A reader that
    // waited takes the row of any recount that read the node's epoch after
    // this reader did (docs/rules.md "Rollups under writes"): that row holds
    // every write acknowledged before the reader came. Comparing with the
    // node's epoch of now instead made every waiter recount again while
    // writes went on (the evening of issue 14 point 6).
    let _turn = super::held::turn_owned(node_turn(root, m)).await;
    let node = node_rows(db, root, m, own.epoch).await?;
    if let Some(body) = node.body {
        return Ok(parse(&body));
    }
    recount(db, root, m, node).await
}

/// Recounts a branch node whose row is stale at `node.epoch` (read with its
/// children's rows, before any figure), going down level by level through
/// the stale nodes only: one statement reads the children's rows of every
/// stale branch node of a level, one counts the own figures of every stale
/// node (cells included), one stores their rows. Every other node comes
/// from its row. So the national root in the evening of a month, with
/// hundreds of communes written since its last recount, takes a handful of
/// statements instead of a few per commune (issue 14 point 6), and a
/// commune of a hundred cells of which two were written is recounted from
/// 98 rows and two cells' counts. Each level's epochs are read before the
/// level below and before the count, so every row stored holds at least the
/// writes before its epoch.
async fn recount(db: &Db, root: OrgId, m: &Measure, node: NodeRows) -> Result<Metrics> {
    let NodeRows { epoch, kids, .. } = node;
    let stale_branches: Vec<OrgId> = kids
        .iter()
        .filter(|k| k.branch && k.row.body.is_none())
        .map(|k| k.id)
        .collect();
    // The level below the stale children, read once: for the cold check
    // and then, if the recount goes on level by level, as its second level.
    let mut below = None;
    if stale_branches.len() > INCREMENTAL_LIMIT {
        let rows = level_rows(db, &stale_branches, m).await?;
        if mostly_cold(&kids, &rows) {
            return bulk_turn(db, root, m, epoch).await;
        }
        below = Some(rows);
    }
    // The stale nodes below the root in the order found (parents before
    // children), each with its parent and the epoch it was read at.
    let mut stale: Vec<(OrgId, i64, i64)> = Vec::new();
    let mut totals: HashMap<i64, Metrics> = HashMap::new();
    let mut level = kids;
    loop {
        let mut next = Vec::new();
        for k in level {
            match k.row.body {
                Some(body) => add_body(totals.entry(k.parent).or_default(), &body),
                None => {
                    stale.push((k.id, k.parent, k.row.epoch));
                    if k.branch {
                        next.push(k.id);
                    }
                }
            }
        }
        if next.is_empty() {
            break;
        }
        // The first `next` is `stale_branches`, whose children `below` holds.
        level = match below.take() {
            Some(rows) => rows,
            None => level_rows(db, &next, m).await?,
        };
    }
    let ids: Vec<OrgId> = stale.iter().map(|(id, _, _)| *id).collect();
    for (id, own) in direct(db, Scope::NodeAnd(&ids), root, m).await? {
        add(totals.entry(id).or_default(), &own);
    }
    // Children before parents: each stale node's total is whole when its
    // row is made and it is added to its parent.
    let mut saved = Vec::with_capacity(stale.len() + 1);
    for (id, parent, at) in stale.into_iter().rev() {
        let total = totals.remove(&id.0).unwrap_or_default();
        saved.push((id.0, at, json(&total)));
        add(totals.entry(parent).or_default(), &total);
    }
    let total = totals.remove(&root.0).unwrap_or_default();
    saved.push((root.0, epoch, json(&total)));
    save(db, m, &saved).await?;
    metrics::counter!("rollup_passes_total", "kind" => "node").increment(1);
    Ok(total)
}

/// A bulk pass over `root`'s subtree, one at a time in this process:
/// requests arriving meanwhile wait for it and then read its rows instead
/// of all rescanning the same subtree.
async fn bulk_turn(db: &Db, root: OrgId, m: &Measure, epoch: i64) -> Result<Metrics> {
    let _turn = super::held::turn(&BULK).await;
    if let Some(body) = own_row(db, root, m, Some(epoch)).await?.body {
        return Ok(parse(&body));
    }
    let started = std::time::Instant::now();
    let totals = bulk(db, root, m).await;
    metrics::counter!("rollup_passes_total", "kind" => "bulk").increment(1);
    metrics::histogram!("rollup_pass_seconds").record(started.elapsed().as_secs_f64());
    totals
}

/// A child's row as a recount reads it (`kid_rows!`).
struct Kid {
    parent: i64,
    id: OrgId,
    /// Whether it has children on the tree date.
    branch: bool,
    row: ChildRow,
}

/// The select of children's rows a recount reads, with its parent first
/// (`NULL` for the node's own row in `node_rows`); the caller appends the
/// parents after `v.parent_id`. Binds the family, stamp and tree date to
/// the three placeholders given.
macro_rules! kid_rows {
    ($family:literal, $stamp:literal, $on:literal) => {
        concat!(
            "SELECT v.parent_id, v.org_id, COALESCE(e.epoch, 0), ",
            "CASE WHEN EXISTS (SELECT 1 FROM org_version c WHERE c.parent_id = v.org_id AND ",
            valid_on!("c", $on),
            ") THEN 1 ELSE 0 END, ",
            "CASE WHEN r.epoch = COALESCE(e.epoch, 0) THEN r.body END, ",
            "CASE WHEN r.org_id IS NULL THEN 0 ELSE 1 END ",
            "FROM org_version v LEFT JOIN stats_epoch e ON e.org_id = v.org_id ",
            "LEFT JOIN stats_rollup r ON r.org_id = v.org_id AND r.family = ",
            $family,
            " AND r.stamp = ",
            $stamp,
            " WHERE ",
            valid_on!("v", $on),
            " AND v.parent_id "
        )
    };
}

/// A row of `kid_rows!`: parent, id, epoch, has children, valid body, stamped.
type KidRow = (Option<i64>, i64, i64, i32, Option<String>, i32);

fn kid((parent, id, epoch, branch, body, stamped): KidRow) -> Kid {
    Kid {
        parent: parent.unwrap_or_default(),
        id: OrgId(id),
        branch: branch != 0,
        row: ChildRow {
            epoch,
            body,
            stamped: stamped != 0,
        },
    }
}

/// The children of the given nodes on the tree date with their rows: one
/// statement a level of a recount.
async fn level_rows(db: &Db, parents: &[OrgId], m: &Measure) -> Result<Vec<Kid>> {
    let mut out = Vec::new();
    for chunk in parents.chunks(500) {
        let sql = format!(
            "{}IN ({})",
            kid_rows!("$1", "$2", "$3"),
            super::placeholders(4, chunk.len())
        );
        let rows: Vec<KidRow> = on_db!(db, |p| {
            // A level's size varies: kept prepared only when small.
            let mut q = sqlx::query_as(&sql)
                .persistent(chunk.len() <= 4)
                .bind(m.family())
                .bind(m.stamp())
                .bind(day(m.tree_on()));
            for id in chunk {
                q = q.bind(*id);
            }
            q.fetch_all(p).await
        })?;
        out.extend(rows.into_iter().map(kid));
    }
    Ok(out)
}

/// Whether a bulk pass beats recounting the stale branch children level by
/// level, given `below`, the children of the stale ones: when over half of
/// the branch nodes among them (or, for children whose own children are all
/// cells, over half of the branch children of the node)
/// hold no row for these dates at all, as after a day change or on emptied
/// rollups. Rows that are merely stale, as while cells all over the country
/// are written (the evening of issue 14 point 6), are recounted level by
/// level from their children's rows: far cheaper than recounting the country,
/// which the writes would make stale again before it finished.
fn mostly_cold(kids: &[Kid], below: &[Kid]) -> bool {
    let nodes = if below.iter().any(|k| k.branch) {
        below
    } else {
        kids
    };
    let branches = nodes.iter().filter(|k| k.branch).count();
    let cold = nodes.iter().filter(|k| k.branch && !k.row.stamped).count();
    cold * 2 > branches
}

/// Marks the figures of `org` and of every node that was ever above it as
/// changed. Called by every audited write, in its transaction.
pub async fn touch(tx: &mut Tx, org: OrgId) -> Result<()> {
    // ORDER BY keeps the row locks in one order across concurrent writers
    // (PostgreSQL); `WHERE true` lets SQLite parse the upsert after a SELECT.
    const SQL: &str = "WITH RECURSIVE up(id) AS (SELECT CAST($1 AS BIGINT) UNION \
        SELECT v.parent_id FROM org_version v JOIN up ON v.org_id = up.id WHERE v.parent_id IS NOT NULL) \
        INSERT INTO stats_epoch (org_id, epoch) SELECT id, 1 FROM up WHERE true ORDER BY id \
        ON CONFLICT (org_id) DO UPDATE SET epoch = stats_epoch.epoch + 1";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(org)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// The epoch of `org` (it moves with every change in its subtree; 0 before
/// the first) and the tree's (`caller_epoch`, raised by every change to any
/// node or grant), in one statement: what the per-process caches of a
/// node's reads are checked against (`service::Caller::node_epoch`).
pub async fn epochs(db: &Db, org: OrgId) -> Result<(i64, i64)> {
    const SQL: &str = "SELECT COALESCE((SELECT epoch FROM stats_epoch WHERE org_id = $1), 0), \
        COALESCE((SELECT n FROM caller_epoch WHERE id = 1), 0)";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(org)
        .fetch_one(p)
        .await)?)
}

struct OwnRow {
    /// The node's current epoch.
    epoch: i64,
    /// Its row, if it holds the figures as of the epoch asked for.
    body: Option<String>,
    /// Whether it has children on the tree date (a cell has none).
    branch: bool,
}

/// What a node holds for the measure, in one query: its row if stored at
/// `since` or later (`None`: at the node's current epoch).
async fn own_row(db: &Db, id: OrgId, m: &Measure, since: Option<i64>) -> Result<OwnRow> {
    const SQL: &str = concat!(
        "SELECT COALESCE(e.epoch, 0), ",
        "(SELECT r.body FROM stats_rollup r WHERE r.org_id = $1 AND r.family = $2 AND r.stamp = $3 ",
        "AND r.epoch >= COALESCE(CAST($5 AS BIGINT), e.epoch, 0)), ",
        "CASE WHEN EXISTS (SELECT 1 FROM org_version c WHERE c.parent_id = $1 AND ",
        valid_on!("c", "$4"),
        ") THEN 1 ELSE 0 END ",
        "FROM (SELECT CAST($1 AS BIGINT) AS id) n LEFT JOIN stats_epoch e ON e.org_id = n.id"
    );
    let (epoch, body, branch): (i64, Option<String>, i32) = on_db!(db, |p| sqlx::query_as(SQL)
        .bind(id)
        .bind(m.family())
        .bind(m.stamp())
        .bind(day(m.tree_on()))
        .bind(since)
        .fetch_one(p)
        .await)?;
    Ok(OwnRow {
        epoch,
        body,
        branch: branch != 0,
    })
}

/// A branch node's row and its children's, read in one statement (one
/// snapshot, so every epoch is read before the figures a recount counts).
struct NodeRows {
    /// The node's current epoch.
    epoch: i64,
    /// Its row, if stored at the epoch asked for or later.
    body: Option<String>,
    /// Its children on the tree date with their rows.
    kids: Vec<Kid>,
}

async fn node_rows(db: &Db, id: OrgId, m: &Measure, since: i64) -> Result<NodeRows> {
    const SQL: &str = concat!(
        "SELECT CAST(NULL AS BIGINT), n.id, COALESCE(e.epoch, 0), 1, ",
        "(SELECT r.body FROM stats_rollup r WHERE r.org_id = n.id AND r.family = $2 AND r.stamp = $3 ",
        "AND r.epoch >= CAST($5 AS BIGINT)), 1 ",
        "FROM (SELECT CAST($1 AS BIGINT) AS id) n LEFT JOIN stats_epoch e ON e.org_id = n.id ",
        "UNION ALL ",
        kid_rows!("$2", "$3", "$4"),
        "= $1"
    );
    let found: Vec<KidRow> = on_db!(db, |p| sqlx::query_as(SQL)
        .bind(id)
        .bind(m.family())
        .bind(m.stamp())
        .bind(day(m.tree_on()))
        .bind(since)
        .fetch_all(p)
        .await)?;
    let mut node = NodeRows {
        epoch: 0,
        body: None,
        kids: Vec::with_capacity(found.len()),
    };
    for row in found {
        if row.0.is_none() {
            (node.epoch, node.body) = (row.2, row.4);
        } else {
            node.kids.push(kid(row));
        }
    }
    Ok(node)
}

/// Turns of the branch nodes being recounted, by node and measure (the
/// stamp holds the dates, so readers of different figures never wait on each
/// other). A reader takes them from a node down to its children only, so two
/// readers never wait for each other in a cycle.
static TURNS: StdMutex<BTreeMap<(i64, String, String), Weak<Turn>>> =
    StdMutex::new(BTreeMap::new());

type Turn = tokio::sync::Mutex<()>;

fn node_turn(id: OrgId, m: &Measure) -> Arc<Turn> {
    let key = (id.0, m.family(), m.stamp());
    let Ok(mut turns) = TURNS.lock() else {
        return Arc::default(); // a poisoned map: no waiting
    };
    if let Some(t) = turns.get(&key).and_then(Weak::upgrade) {
        return t;
    }
    // Forget the turns nobody holds any more before adding one.
    turns.retain(|_, t| t.strong_count() > 0);
    let t = Arc::new(Turn::new(()));
    turns.insert(key, Arc::downgrade(&t));
    t
}

/// What a child holds for the measure.
struct ChildRow {
    /// Its current epoch.
    epoch: i64,
    /// Its rollup (JSON), if valid at that epoch.
    body: Option<String>,
    /// Whether it has a row for these dates at all, valid or stale.
    stamped: bool,
}

/// One pass over the whole subtree: every branch node's totals computed
/// bottom-up and stored.
async fn bulk(db: &Db, root: OrgId, m: &Measure) -> Result<Metrics> {
    // Epochs first: a write landing after this read makes the rows stale.
    const EPOCHS: &str = concat!(
        subtree_cte!(),
        "SELECT e.org_id, e.epoch FROM sub CROSS JOIN stats_epoch e WHERE e.org_id = sub.id"
    );
    let epochs: HashMap<i64, i64> = on_db!(db, |p| sqlx::query_as::<_, (i64, i64)>(EPOCHS)
        .bind(root)
        .bind(day(m.tree_on()))
        .fetch_all(p)
        .await)?
    .into_iter()
    .collect();
    let edges = edges(db, root, m.tree_on()).await?;
    let mut totals = direct(db, Scope::Subtree, root, m).await?;

    let mut kids: HashMap<i64, Vec<i64>> = HashMap::new();
    for (id, parent) in &edges {
        if *id != root.0
            && let Some(p) = parent
        {
            kids.entry(*p).or_default().push(*id);
        }
    }
    // Breadth-first from the root, then folded from the deepest level up.
    let mut order = vec![root.0];
    let mut i = 0;
    while let Some(&id) = order.get(i) {
        if let Some(k) = kids.get(&id) {
            order.extend(k);
        }
        i += 1;
    }
    let parent_of: HashMap<i64, i64> = edges
        .iter()
        .filter_map(|(id, p)| p.map(|p| (*id, p)))
        .collect();
    let mut rows = Vec::new();
    for &id in order.iter().rev() {
        let total = if id == root.0 {
            totals.get(&id).cloned().unwrap_or_default()
        } else {
            totals.remove(&id).unwrap_or_default()
        };
        if kids.contains_key(&id) {
            rows.push((id, epochs.get(&id).copied().unwrap_or(0), json(&total)));
        }
        if id != root.0
            && let Some(p) = parent_of.get(&id)
        {
            add(totals.entry(*p).or_default(), &total);
        }
    }
    save(db, m, &rows).await?;
    Ok(totals.remove(&root.0).unwrap_or_default())
}

/// Every node of `root`'s subtree on the date, with its parent.
async fn edges(db: &Db, root: OrgId, on: Date) -> Result<Vec<(i64, Option<i64>)>> {
    const EDGES: &str = concat!(
        subtree_cte!(),
        "SELECT v.org_id, v.parent_id FROM sub CROSS JOIN org_version v WHERE v.org_id = sub.id AND ",
        valid_on!("v", "$2")
    );
    Ok(on_db!(db, |p| sqlx::query_as(EDGES)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// Stores a row for every cell of `root`'s subtree that holds none valid
/// for the measure, counting the cells of one parent in one statement;
/// returns how many were stored. The bulk pass keeps branch rows only (one
/// row a cell would make its result a million rows at national scale), so
/// without this the first recount of each commune after a fill counts every
/// cell of it: on the evening of a month, the first national reads counted
/// the whole country (docs/rules.md "Rollups under writes").
pub async fn fill_cells(db: &Db, root: OrgId, m: &Measure) -> Result<usize> {
    let edges = edges(db, root, m.tree_on()).await?;
    let parents: std::collections::HashSet<i64> = edges.iter().filter_map(|(_, p)| *p).collect();
    // The parents of the subtree's cells.
    let holders: std::collections::BTreeSet<i64> = edges
        .iter()
        .filter(|(id, _)| *id != root.0 && !parents.contains(id))
        .filter_map(|(_, p)| *p)
        .collect();
    let mut stored = 0;
    for parent in holders {
        // Epochs are read with the rows, before the count.
        let missing: Vec<(OrgId, i64)> = level_rows(db, &[OrgId(parent)], m)
            .await?
            .into_iter()
            .filter(|k| !k.branch && k.row.body.is_none())
            .map(|k| (k.id, k.row.epoch))
            .collect();
        for chunk in missing.chunks(500) {
            let ids: Vec<OrgId> = chunk.iter().map(|(id, _)| *id).collect();
            let mut counted = direct(db, Scope::NodeAnd(&ids), OrgId(parent), m).await?;
            let saved: Vec<(i64, i64, String)> = chunk
                .iter()
                .map(|(id, at)| (id.0, *at, json(&counted.remove(&id.0).unwrap_or_default())))
                .collect();
            save(db, m, &saved).await?;
            stored += saved.len();
        }
    }
    Ok(stored)
}

/// Stores rollup rows (node, epoch the figures were read at, JSON body); a
/// row never goes back to an older epoch (two processes recounting at once).
async fn save(db: &Db, m: &Measure, rows: &[(i64, i64, String)]) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let (family, stamp) = (m.family(), m.stamp());
    let per = if matches!(db, Db::Postgres(_)) {
        400
    } else {
        60
    };
    let sql = |n: usize| {
        let values: Vec<String> = (0..n)
            .map(|i| format!("(${}, $1, $2, ${}, ${})", 3 + 3 * i, 4 + 3 * i, 5 + 3 * i))
            .collect();
        format!(
            "INSERT INTO stats_rollup (org_id, family, stamp, epoch, body) VALUES {} \
             ON CONFLICT (org_id, family) DO UPDATE SET stamp = excluded.stamp, epoch = excluded.epoch, body = excluded.body \
             WHERE stats_rollup.stamp <> excluded.stamp OR stats_rollup.epoch <= excluded.epoch",
            values.join(", ")
        )
    };
    if rows.len() <= per {
        // One statement is atomic by itself: no transaction to open and
        // commit around it (two round trips fewer at each node's recount).
        // Kept prepared only for the few sizes a recount in the evening
        // stores (a node and its written cells): each other size would push
        // a page's statement out of the connection's cache.
        let (sql, keep) = (sql(rows.len()), rows.len() <= 4);
        on_db!(db, |c| {
            let mut q = sqlx::query(&sql)
                .persistent(keep)
                .bind(&family)
                .bind(&stamp);
            for (id, epoch, body) in rows {
                q = q.bind(id).bind(epoch).bind(body);
            }
            q.execute(c).await.map(|_| ())
        })?;
        return Ok(());
    }
    let mut tx = db.begin().await?;
    for chunk in rows.chunks(per) {
        let sql = sql(chunk.len());
        on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(&sql).bind(&family).bind(&stamp);
            for (id, epoch, body) in chunk {
                q = q.bind(id).bind(epoch).bind(body);
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    tx.commit().await
}

/// Counts of each node of the scope itself (not of its subtree), by node id:
/// one statement (`rollup_counts`).
async fn direct(
    db: &Db,
    scope: Scope<'_>,
    root: OrgId,
    m: &Measure,
) -> Result<HashMap<i64, Metrics>> {
    let cte = scope.cte();
    let over = counts::Over {
        cte: &cte,
        holder: scope.holder(),
        // A list of cells names them in the text (see `Scope::cte`).
        cached: !matches!(scope, Scope::NodeAnd([_, ..])),
    };
    let rows = match *m {
        Measure::Org { on } => counts::org(db, over, root, on).await?,
        Measure::Meetings {
            tree_on,
            from,
            to,
            today,
        } => counts::meetings(db, over, root, (tree_on, from, to, today)).await?,
    };
    let mut out: HashMap<i64, Metrics> = HashMap::new();
    for (id, key, n) in rows {
        if n != 0 {
            *out.entry(id).or_default().entry(key).or_default() += n;
        }
    }
    Ok(out)
}

fn add(total: &mut Metrics, more: &Metrics) {
    for (k, v) in more {
        add_one(total, k, *v);
    }
}

/// Adds a key without allocating it when the total has it already.
fn add_one(total: &mut Metrics, k: &str, v: i64) {
    match total.get_mut(k) {
        Some(t) => *t += v,
        None => {
            total.insert(k.to_string(), v);
        }
    }
}

/// Adds a stored body to `total` without building it as a map of its own:
/// a commune's recount adds a hundred cells' rows (the evening of issue 14
/// point 6). Keys are read in place (metric names hold no JSON escapes).
fn add_body(total: &mut Metrics, body: &str) {
    match serde_json::from_str::<BTreeMap<&str, i64>>(body) {
        Ok(pairs) => pairs.into_iter().for_each(|(k, v)| add_one(total, k, v)),
        Err(_) => add(total, &parse(body)),
    }
}

fn sum(by_node: HashMap<i64, Metrics>) -> Metrics {
    let mut total = Metrics::new();
    for m in by_node.values() {
        add(&mut total, m);
    }
    total
}

fn json(m: &Metrics) -> String {
    serde_json::to_string(m).unwrap_or_else(|_| "{}".into())
}

/// A body this module wrote; an unreadable one (never expected) counts as
/// empty rather than failing the page.
fn parse(body: &str) -> Metrics {
    serde_json::from_str(body).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn month_ends_keep_their_own_row() {
        assert_eq!(
            Measure::Org {
                on: date(2026, 6, 30)
            }
            .family(),
            "org:2026-06-30"
        );
        assert_eq!(
            Measure::Org {
                on: date(2024, 2, 29)
            }
            .family(),
            "org:2024-02-29"
        );
        assert_eq!(
            Measure::Org {
                on: date(2026, 6, 29)
            }
            .family(),
            "org:day:0"
        );
        assert_eq!(
            Measure::Org {
                on: date(2026, 6, 28)
            }
            .family(),
            "org:day:1"
        );
        let m = Measure::Meetings {
            tree_on: date(2026, 11, 23),
            from: date(2026, 1, 1),
            to: date(2026, 12, 31),
            today: date(2026, 11, 23),
        };
        assert_eq!(m.family(), "meet:2026:1");
        assert_eq!(m.stamp(), "v4|2026-11-23|2026-01-01|2026-12-31|2026-11-23");
    }

    #[test]
    fn the_daily_rows_take_turns_across_month_and_year_ends() {
        for (a, b) in [
            (date(2026, 1, 30), date(2026, 1, 31)),
            (date(2026, 1, 31), date(2026, 2, 1)),
            (date(2026, 4, 30), date(2026, 5, 1)),
            (date(2024, 2, 29), date(2024, 3, 1)),
            (date(2026, 12, 31), date(2027, 1, 1)),
        ] {
            assert_ne!(turn(a), turn(b), "{a} and {b}");
        }
    }

    #[test]
    fn sums_add_by_metric() {
        let mut a = Metrics::from([("x".to_string(), 1), ("y".to_string(), 2)]);
        add(
            &mut a,
            &Metrics::from([("y".to_string(), 3), ("z".to_string(), 4)]),
        );
        assert_eq!(
            a,
            Metrics::from([("x".into(), 1), ("y".into(), 5), ("z".into(), 4)])
        );
        assert_eq!(parse(&json(&a)), a);
    }

    #[test]
    fn a_bulk_pass_is_chosen_when_most_rows_below_are_missing() {
        let k = |branch: bool, stamped: bool| Kid {
            parent: 1,
            id: OrgId(2),
            branch,
            row: ChildRow {
                epoch: 1,
                body: None,
                stamped,
            },
        };
        // Stale but stamped rows one level down (an evening of writes).
        let below = [k(true, true), k(true, true), k(true, false), k(false, false)];
        assert!(!mostly_cold(&[], &below));
        // Missing rows (a day change): cells among them do not count.
        let below = [k(true, false), k(true, false), k(true, true), k(false, true)];
        assert!(mostly_cold(&[], &below));
        // Only cells below: the node's own branch children decide.
        let cells = [k(false, false)];
        assert!(mostly_cold(&[k(true, false), k(true, false)], &cells));
        assert!(!mostly_cold(&[k(true, true), k(true, false)], &cells));
    }

    #[test]
    fn a_stored_body_adds_like_its_map() {
        let mut a = Metrics::from([("x".to_string(), 1)]);
        add_body(&mut a, r#"{"x":2,"mon:01:held:regular":3}"#);
        // An escaped key cannot be read in place: read as a map instead.
        add_body(&mut a, r#"{"q\"":4}"#);
        add_body(&mut a, "not json");
        assert_eq!(
            a,
            Metrics::from([
                ("x".into(), 3),
                ("mon:01:held:regular".into(), 3),
                ("q\"".into(), 4)
            ])
        );
    }
}
