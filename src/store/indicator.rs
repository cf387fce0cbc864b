//! Indicators, their targets and actuals, training records, and the
//! registry's yearly counts (migration 0020; docs/rules.md "Targets and
//! indicators").

use super::org::Root;
use super::types::{Day, Instant, day, instant};
use super::{Db, Result, Tx};
use crate::domain::ids::{MemberId, OrgId};
use crate::{on_db, on_tx};
use jiff::Timestamp;
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct IndicatorRow {
    pub id: i64,
    pub org_id: OrgId,
    pub code: String,
    pub name: String,
    pub unit: String,
    pub measure: String,
    pub baseline: f64,
    pub baseline_numerator: Option<f64>,
    pub baseline_denominator: Option<f64>,
    pub baseline_on: Day,
    pub resolution_meeting_id: Option<i64>,
    pub resolution_ref: String,
    pub created_on: Day,
    /// higher | lower (migration 0023).
    pub direction: String,
    /// The owning meeting's resolution title, when linked.
    pub resolution_title: Option<String>,
    /// The node's current name.
    pub org_name: String,
}

/// A target or an actual, as recorded (corrections are later rows).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ValueRow {
    pub id: i64,
    pub indicator_id: i64,
    pub year: i32,
    /// Targets: 0 / 12.
    pub part: i32,
    pub months: i32,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub recorded_at: Instant,
    pub username: String,
}

const COLUMNS: &str = "i.id, i.org_id, i.code, i.name, i.unit, i.measure, i.baseline, \
    i.baseline_numerator, i.baseline_denominator, i.baseline_on, i.resolution_meeting_id, \
    i.resolution_ref, i.created_on, i.direction, \
    (SELECT m.resolution_title FROM meeting m WHERE m.id = i.resolution_meeting_id) AS resolution_title, \
    (SELECT v.name FROM org_version v WHERE v.org_id = i.org_id ORDER BY v.valid_from DESC LIMIT 1) AS org_name";

/// A node's own indicators, by code.
pub async fn of_org(db: &Db, org: OrgId) -> Result<Vec<IndicatorRow>> {
    let sql = format!("SELECT {COLUMNS} FROM indicator i WHERE i.org_id = $1 ORDER BY i.code");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .fetch_all(p)
        .await)?)
}

pub async fn get(db: &Db, id: i64) -> Result<Option<IndicatorRow>> {
    let sql = format!("SELECT {COLUMNS} FROM indicator i WHERE i.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// The indicators of the nodes strictly below `root` (read on `on`), by code
/// and node: what a committee's roll-up adds.
pub async fn below(db: &Db, root: OrgId, on: Date) -> Result<Vec<IndicatorRow>> {
    let sql = format!(
        "{}SELECT {COLUMNS} FROM indicator i JOIN sub ON sub.id = i.org_id \
         WHERE i.org_id <> $1 ORDER BY i.code, i.org_id",
        super::org::subtree_cte!()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// The indicators of `root` and of every node below it (read on `on`), by
/// code and node: what the dashboard reads, one query whatever the size.
pub async fn in_subtree(db: &Db, root: Root, on: Date) -> Result<Vec<IndicatorRow>> {
    let sql = format!(
        "{}SELECT {COLUMNS} FROM indicator i JOIN sub ON sub.id = i.org_id ORDER BY i.code, i.org_id",
        root.cte()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root.id)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// A target or an actual, told apart.
#[derive(sqlx::FromRow)]
struct TaggedValue {
    is_target: bool,
    #[sqlx(flatten)]
    value: ValueRow,
}

/// The targets (from `year` on) and the actuals (of `year`), history
/// included, of the indicators of `root`'s subtree: one query, bounded by
/// the subtree's indicators, never an id list.
pub async fn values_in_subtree(
    db: &Db,
    root: Root,
    on: Date,
    year: i16,
) -> Result<(Vec<ValueRow>, Vec<ValueRow>)> {
    let sql = format!(
        "{cte}SELECT * FROM (SELECT TRUE AS is_target, {TARGET_COLUMNS} FROM indicator_target t \
         JOIN indicator i ON i.id = t.indicator_id JOIN sub ON sub.id = i.org_id WHERE t.year >= $3 \
         UNION ALL SELECT FALSE AS is_target, {ACTUAL_COLUMNS} FROM indicator_actual a \
         JOIN indicator i ON i.id = a.indicator_id JOIN sub ON sub.id = i.org_id WHERE a.year = $3) v \
         ORDER BY v.id",
        cte = root.cte()
    );
    let rows: Vec<TaggedValue> = on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root.id)
        .bind(day(on))
        .bind(i32::from(year))
        .fetch_all(p)
        .await)?;
    let (targets, actuals): (Vec<_>, Vec<_>) = rows.into_iter().partition(|r| r.is_target);
    Ok((
        targets.into_iter().map(|r| r.value).collect(),
        actuals.into_iter().map(|r| r.value).collect(),
    ))
}

const TARGET_COLUMNS: &str = "t.id, t.indicator_id, t.year, 0 AS part, 12 AS months, t.value, \
    CAST(NULL AS DOUBLE PRECISION) AS numerator, CAST(NULL AS DOUBLE PRECISION) AS denominator, \
    t.recorded_at, t.username";
const ACTUAL_COLUMNS: &str = "a.id, a.indicator_id, a.year, a.part, a.months, a.value, a.numerator, \
    a.denominator, a.recorded_at, a.username";

/// Every target (history included) of the given indicators, oldest first.
pub async fn targets(db: &Db, ids: &[i64]) -> Result<Vec<ValueRow>> {
    values(db, ids, "indicator_target t", "t", TARGET_COLUMNS).await
}

/// Every actual (history included) of the given indicators, oldest first.
pub async fn actuals(db: &Db, ids: &[i64]) -> Result<Vec<ValueRow>> {
    values(db, ids, "indicator_actual a", "a", ACTUAL_COLUMNS).await
}

async fn values(
    db: &Db,
    ids: &[i64],
    table: &str,
    alias: &str,
    columns: &str,
) -> Result<Vec<ValueRow>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {columns} FROM {table} WHERE {alias}.indicator_id IN ({}) ORDER BY {alias}.id",
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

pub struct NewIndicator<'a> {
    pub org: OrgId,
    pub code: &'a str,
    pub name: &'a str,
    pub unit: &'a str,
    pub measure: &'a str,
    pub baseline: (f64, Option<f64>, Option<f64>),
    pub baseline_on: Date,
    pub resolution_meeting: Option<i64>,
    pub resolution_ref: &'a str,
    pub on: Date,
    pub direction: &'a str,
}

pub async fn insert(tx: &mut Tx, n: &NewIndicator<'_>) -> Result<i64> {
    const SQL: &str = "INSERT INTO indicator (org_id, code, name, unit, measure, baseline, \
        baseline_numerator, baseline_denominator, baseline_on, resolution_meeting_id, resolution_ref, created_on, \
        direction) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(n.org)
        .bind(n.code)
        .bind(n.name)
        .bind(n.unit)
        .bind(n.measure)
        .bind(n.baseline.0)
        .bind(n.baseline.1)
        .bind(n.baseline.2)
        .bind(day(n.baseline_on))
        .bind(n.resolution_meeting)
        .bind(n.resolution_ref)
        .bind(day(n.on))
        .bind(n.direction)
        .fetch_one(c)
        .await)?)
}

pub async fn add_target(
    tx: &mut Tx,
    indicator: i64,
    year: i16,
    value: f64,
    (at, username): (Timestamp, &str),
) -> Result<i64> {
    const SQL: &str = "INSERT INTO indicator_target (indicator_id, year, value, recorded_at, username) \
        VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(indicator)
        .bind(i32::from(year))
        .bind(value)
        .bind(instant(at))
        .bind(username)
        .fetch_one(c)
        .await)?)
}

pub struct NewActual {
    pub indicator: i64,
    pub year: i16,
    pub part: i8,
    pub months: i8,
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

pub async fn add_actual(
    tx: &mut Tx,
    a: &NewActual,
    (at, username): (Timestamp, &str),
) -> Result<i64> {
    const SQL: &str = "INSERT INTO indicator_actual (indicator_id, year, part, months, value, numerator, \
        denominator, recorded_at, username) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(a.indicator)
        .bind(i32::from(a.year))
        .bind(i32::from(a.part))
        .bind(i32::from(a.months))
        .bind(a.value)
        .bind(a.numerator)
        .bind(a.denominator)
        .bind(instant(at))
        .bind(username)
        .fetch_one(c)
        .await)?)
}

/// The `yr(y, s, d)` and `sub(id, y, s, d)` CTEs: for each year asked, its
/// first and last day, and the subtree of `$1` as it stood on that last day.
/// Binds years from `$2` on, three parameters each.
fn yearly_subtree(years: usize) -> String {
    let rows: Vec<String> = (0..years)
        .map(|i| {
            let b = 2 + i * 3;
            // No casts: SQLite would turn a date into a number; both drivers
            // send the parameters typed.
            format!("(${b}, ${}, ${})", b + 1, b + 2)
        })
        .collect();
    format!(
        "WITH RECURSIVE yr(y, s, d) AS (VALUES {}), \
         sub(id, y, s, d) AS (SELECT CAST($1 AS BIGINT), yr.y, yr.s, yr.d FROM yr UNION \
         SELECT v.org_id, sub.y, sub.s, sub.d FROM org_version v JOIN sub ON v.parent_id = sub.id \
         WHERE v.valid_from <= sub.d AND (v.valid_to IS NULL OR v.valid_to > sub.d)) ",
        rows.join(", ")
    )
}

/// Members admitted in each year, registered (home placement) in the subtree
/// of `root` as it stood at that year's end: one grouped query.
pub async fn admissions_by_year(db: &Db, root: OrgId, years: &[i16]) -> Result<Vec<(i32, i64)>> {
    if years.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "{}SELECT sub.y, COUNT(DISTINCT m.id) FROM sub \
         JOIN member_placement p ON p.org_id = sub.id AND p.kind = 'home' \
           AND p.valid_from <= sub.d AND (p.valid_to IS NULL OR p.valid_to > sub.d) \
         JOIN member m ON m.id = p.member_id AND m.admitted_on >= sub.s AND m.admitted_on <= sub.d \
         GROUP BY sub.y ORDER BY sub.y",
        yearly_subtree(years.len())
    );
    let bounds: Vec<(i32, Day, Day)> = years
        .iter()
        .map(|y| {
            (
                i32::from(*y),
                day(jiff::civil::date(*y, 1, 1)),
                day(jiff::civil::date(*y, 12, 31)),
            )
        })
        .collect();
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql).bind(root);
        for (y, s, d) in &bounds {
            q = q.bind(*y).bind(*s).bind(*d);
        }
        q.fetch_all(p).await
    })?)
}

/// Training records of the subtree of `root` (read on `on`) per year and
/// level: one grouped query.
pub async fn training_by_year(db: &Db, root: OrgId, on: Date) -> Result<Vec<(i32, String, i64)>> {
    let sql = format!(
        "{}SELECT t.year, t.level, COUNT(*) FROM training_record t JOIN sub ON sub.id = t.org_id \
         GROUP BY t.year, t.level ORDER BY t.year, t.level",
        super::org::subtree_cte!()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

pub struct NewTraining<'a> {
    pub org: OrgId,
    pub member: MemberId,
    pub course: &'a str,
    pub level: &'a str,
    pub year: i16,
    pub started_on: Option<Date>,
    pub ended_on: Option<Date>,
}

pub async fn add_training(
    tx: &mut Tx,
    t: &NewTraining<'_>,
    (at, username): (Timestamp, &str),
) -> Result<i64> {
    const SQL: &str = "INSERT INTO training_record (org_id, member_id, course, level, year, started_on, ended_on, \
        recorded_at, username) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(t.org)
        .bind(t.member)
        .bind(t.course)
        .bind(t.level)
        .bind(i32::from(t.year))
        .bind(t.started_on.map(day))
        .bind(t.ended_on.map(day))
        .bind(instant(at))
        .bind(username)
        .fetch_one(c)
        .await)?)
}

/// A signed thematic resolution of a node: what may own an indicator.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ResolutionRow {
    pub id: i64,
    pub org_id: OrgId,
    pub held_on: Day,
    pub resolution_title: String,
    pub topic: String,
}

/// The node's thematic (or combined) meetings whose resolution is signed,
/// newest first.
pub async fn thematic_resolutions(db: &Db, org: OrgId) -> Result<Vec<ResolutionRow>> {
    const SQL: &str = "SELECT id, org_id, held_on, resolution_title, topic FROM meeting \
        WHERE org_id = $1 AND kind IN ('thematic', 'combined') AND signed_at IS NOT NULL \
        ORDER BY held_on DESC, id DESC";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(org)
        .fetch_all(p)
        .await)?)
}
