//! Committees' meeting-day policies (migration 0010): dated rows, only added.

use super::meeting::ScheduleRow;
use super::types::{Day, day, instant};
use super::{Db, Result, Tx};
use crate::domain::day_policy::DayPolicy;
use crate::domain::ids::OrgId;
use crate::domain::schedule::{format_time, parse_time};
use crate::{on_db, on_tx};

#[derive(Debug, Clone, sqlx::FromRow)]
struct PolicyRow {
    org_id: OrgId,
    effective_from: Day,
    day_of_month: i64,
    start_time: Option<String>,
    cells_keep_own: bool,
}

impl PolicyRow {
    fn into_domain(self) -> DayPolicy {
        DayPolicy {
            org: self.org_id,
            effective_from: self.effective_from.to_jiff(),
            day_of_month: i8::try_from(self.day_of_month).unwrap_or(1),
            time: self.start_time.as_deref().and_then(parse_time),
            cells_keep_own: self.cells_keep_own,
        }
    }
}

/// Every policy of the given nodes (a cell's ancestors), oldest first.
pub async fn of_nodes(db: &Db, nodes: &[OrgId]) -> Result<Vec<DayPolicy>> {
    if nodes.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT org_id, effective_from, day_of_month, start_time, cells_keep_own FROM meeting_day_policy \
         WHERE org_id IN ({}) ORDER BY effective_from, id",
        super::placeholders(1, nodes.len())
    );
    let rows: Vec<PolicyRow> = on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql);
        for n in nodes {
            q = q.bind(*n);
        }
        q.fetch_all(p).await
    })?;
    Ok(rows.into_iter().map(PolicyRow::into_domain).collect())
}

/// Adds a policy; one a node and day (a second on the same date is refused).
pub async fn insert(
    tx: &mut Tx,
    p: &DayPolicy,
    at: jiff::Timestamp,
    username: &str,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO meeting_day_policy (org_id, effective_from, day_of_month, start_time, cells_keep_own, set_at, username) \
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(p.org)
        .bind(day(p.effective_from))
        .bind(i64::from(p.day_of_month))
        .bind(p.time.map(format_time))
        .bind(p.cells_keep_own)
        .bind(instant(at))
        .bind(username)
        .fetch_one(c)
        .await)?)
}

/// The policies set by one node, newest first (its page lists them).
pub async fn of_node(db: &Db, org: OrgId) -> Result<Vec<DayPolicy>> {
    let mut all = of_nodes(db, &[org]).await?;
    all.reverse();
    Ok(all)
}

/// The registered calendars of several cells at once (those that have one).
pub async fn schedules_of(db: &Db, cells: &[OrgId]) -> Result<Vec<(OrgId, ScheduleRow)>> {
    if cells.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT org_id, day_of_month, start_time, place FROM cell_schedule WHERE org_id IN ({})",
        super::placeholders(1, cells.len())
    );
    let rows: Vec<(OrgId, i64, String, String)> = on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql);
        for n in cells {
            q = q.bind(*n);
        }
        q.fetch_all(p).await
    })?;
    Ok(rows
        .into_iter()
        .map(|(org, day_of_month, start_time, place)| {
            (
                org,
                ScheduleRow {
                    day_of_month,
                    start_time,
                    place,
                },
            )
        })
        .collect())
}
