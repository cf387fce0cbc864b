//! The signal cache (migration 0023): per node and span of days, the count
//! of formalism signals by rule of the node's own meetings and of the grades
//! it decided, with the node's `stats_epoch` when counted. A row is used only
//! while that epoch is current, as the statistics rollups are; every audited
//! write raises the epoch of its node and of every node ever above it
//! (`rollup::touch`), so a fixed cause never leaves a stale count
//! (docs/architecture.md "Formalism signals on the dashboard").

use super::org::subtree_cte;
use super::types::day;
use super::{Db, Result};
use crate::domain::ids::OrgId;
use crate::on_db;
use futures_util::TryStreamExt;
use jiff::civil::Date;
use std::collections::BTreeMap;

/// Counts by rule code.
pub type Counts = BTreeMap<String, i64>;

/// A node strictly below the root with its current epoch and, if still
/// valid, its cached counts and name.
#[derive(Debug, Clone)]
pub struct Cached {
    pub org: OrgId,
    pub epoch: i64,
    pub row: Option<(String, Counts)>,
}

/// The key of a span: `2026-01-01/2026-12-31`.
pub fn span_key((from, to): (Date, Date)) -> String {
    format!("{from}/{to}")
}

/// Every node strictly below `root` (as the tree stood on `on`), its epoch
/// and its valid row for the span, in one query, each handed to `f` as its
/// row arrives: below the national root that is some 67,000 rows at 1 M
/// members, read by every view of the dashboard, so they are never held all
/// at once. Epochs are read here, before any counting, so a write racing a
/// refresh leaves a stale row, never a wrong one.
pub async fn each(
    db: &Db,
    root: OrgId,
    on: Date,
    span: (Date, Date),
    mut f: impl FnMut(Cached),
) -> Result<()> {
    const SQL: &str = concat!(
        subtree_cte!(),
        "SELECT sub.id, COALESCE(e.epoch, 0), s.name, s.body FROM sub ",
        "LEFT JOIN stats_epoch e ON e.org_id = sub.id ",
        "LEFT JOIN signal_count s ON s.org_id = sub.id AND s.span = $3 AND s.epoch = COALESCE(e.epoch, 0) ",
        "WHERE sub.id <> $1"
    );
    type Row = (OrgId, i64, Option<String>, Option<String>);
    let key = span_key(span);
    on_db!(db, |p| {
        let mut rows = sqlx::query_as::<_, Row>(SQL)
            .bind(root)
            .bind(day(on))
            .bind(&key)
            .fetch(p);
        while let Some((org, epoch, name, body)) = rows.try_next().await? {
            f(Cached {
                org,
                epoch,
                row: name.zip(body).map(|(n, b)| (n, parse(&b))),
            });
        }
    });
    Ok(())
}

/// Stores fresh counts: (node, epoch read before counting, name, counts).
pub async fn save(
    db: &Db,
    span: (Date, Date),
    rows: &[(OrgId, i64, String, Counts)],
) -> Result<()> {
    if rows.is_empty() {
        return Ok(());
    }
    let key = span_key(span);
    // SQLite binds at most 999 parameters in older builds: 4 a row.
    let per = if matches!(db, Db::Postgres(_)) {
        400
    } else {
        60
    };
    let mut tx = db.begin().await?;
    for chunk in rows.chunks(per) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| {
                let b = 2 + 4 * i;
                format!("(${}, $1, ${}, ${}, ${})", b, b + 1, b + 2, b + 3)
            })
            .collect();
        let sql = format!(
            "INSERT INTO signal_count (org_id, span, epoch, name, body) VALUES {} \
             ON CONFLICT (org_id, span) DO UPDATE SET epoch = excluded.epoch, name = excluded.name, \
             body = excluded.body",
            values.join(", ")
        );
        crate::on_tx!(&mut tx, |c| {
            let mut q = sqlx::query(&sql).bind(&key);
            for (id, epoch, name, counts) in chunk {
                q = q.bind(*id).bind(*epoch).bind(name).bind(json(counts));
            }
            q.execute(c).await.map(|_| ())
        })?;
    }
    tx.commit().await
}

fn json(c: &Counts) -> String {
    serde_json::to_string(c).unwrap_or_else(|_| "{}".into())
}

/// A body this module wrote; an unreadable one (never expected) counts as
/// no signal rather than failing the page.
fn parse(body: &str) -> Counts {
    serde_json::from_str(body).unwrap_or_default()
}
