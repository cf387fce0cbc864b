//! Yearly classification records and the regimes they run under
//! (migration 0019).

use super::org::Root;
use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::classification::order::Pending;
use crate::domain::ids::{MemberId, OrgId, UserId};
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RegimeRow {
    pub code: String,
    pub name: String,
    pub document: String,
    pub issued_on: Day,
    pub first_year: i32,
    pub last_year: Option<i32>,
    pub uses_score: bool,
    pub band_excellent: Option<i32>,
    pub band_good: Option<i32>,
    pub band_complete: Option<i32>,
    pub band_note: String,
    pub quota_percent: i32,
    pub quota_source: String,
    pub quota_members: bool,
    pub quota_base_orgs: bool,
    pub quota_cells: bool,
}

/// Every regime, oldest first.
pub async fn regimes(db: &Db) -> Result<Vec<RegimeRow>> {
    const SQL: &str = "SELECT code, name, document, issued_on, first_year, last_year, uses_score, \
        band_excellent, band_good, band_complete, band_note, quota_percent, quota_source, \
        quota_members, quota_base_orgs, quota_cells FROM classification_regime ORDER BY first_year";
    Ok(on_db!(db, |p| sqlx::query_as(SQL).fetch_all(p).await)?)
}

/// A node of a subtree as it stood on a date.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NodeRow {
    pub id: OrgId,
    pub name: String,
    pub kind: String,
    pub parent_id: Option<OrgId>,
}

/// The subtree of `root` on `on` (the root included), by name.
pub async fn nodes(db: &Db, root: Root, on: Date) -> Result<Vec<NodeRow>> {
    let sql = format!(
        "{}SELECT v.org_id AS id, v.name, v.kind, v.parent_id FROM sub JOIN org_version v ON v.org_id = sub.id \
         WHERE {} ORDER BY v.name, v.org_id",
        root.cte(),
        super::org::valid_on!("v", "$2")
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root.id)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// A member on a cell's roll on a date.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RollRow {
    pub member_id: MemberId,
    pub full_name: String,
    pub cell_id: OrgId,
    pub status: String,
}

/// Members at home in the subtree on `on` whose status that day is official
/// or probationary (exempt members are not classified), in Vietnamese
/// order: one query.
pub async fn roll(db: &Db, root: Root, on: Date) -> Result<Vec<RollRow>> {
    let sql = roll_sql(root);
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root.id)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// `roll` inside a transaction (the demo's seed).
pub async fn roll_tx(tx: &mut Tx, root: Root, on: Date) -> Result<Vec<RollRow>> {
    let sql = roll_sql(root);
    Ok(on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(root.id)
        .bind(day(on))
        .fetch_all(c)
        .await)?)
}

fn roll_sql(root: Root) -> String {
    format!(
        "{}SELECT m.id AS member_id, m.full_name, p.org_id AS cell_id, s.status \
         FROM sub JOIN member_placement p ON p.org_id = sub.id AND p.kind = 'home' AND {} \
         JOIN member_status s ON s.member_id = p.member_id AND {} \
         JOIN member m ON m.id = p.member_id \
         WHERE s.status IN ('official', 'probationary') ORDER BY m.sort_key, m.id",
        root.cte(),
        super::org::valid_on!("p", "$2"),
        super::org::valid_on!("s", "$2"),
    )
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecordRow {
    pub id: i64,
    pub year: i32,
    pub subject_kind: String,
    pub subject_id: i64,
    pub org_id: OrgId,
    pub regime_code: String,
    pub self_grade: Option<String>,
    pub self_score: Option<i32>,
    pub self_on: Option<Day>,
    pub proposed_grade: Option<String>,
    pub proposed_score: Option<i32>,
    pub proposed_on: Option<Day>,
    pub final_grade: Option<String>,
    pub final_score: Option<i32>,
    pub decided_by_org: Option<OrgId>,
    pub decided_on: Option<Day>,
    pub decision_ref: String,
    pub override_reason: String,
}

const RECORD_COLUMNS: &str = "c.id, c.year, c.subject_kind, c.subject_id, c.org_id, c.regime_code, \
    c.self_grade, c.self_score, c.self_on, c.proposed_grade, c.proposed_score, c.proposed_on, \
    c.final_grade, c.final_score, c.decided_by_org, c.decided_on, c.decision_ref, c.override_reason";

/// The records of a year held in the subtree of `root` on `on` (members by
/// their cell, organizations by themselves): one query.
pub async fn in_subtree(db: &Db, root: Root, on: Date, year: i32) -> Result<Vec<RecordRow>> {
    let sql = format!(
        "{}SELECT {RECORD_COLUMNS} FROM sub JOIN classification c ON c.org_id = sub.id AND c.year = $3 \
         ORDER BY c.id",
        root.cte()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root.id)
        .bind(day(on))
        .bind(year)
        .fetch_all(p)
        .await)?)
}

/// One subject's record of a year.
pub async fn get(db: &Db, year: i32, kind: &str, subject: i64) -> Result<Option<RecordRow>> {
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM classification c \
         WHERE c.year = $1 AND c.subject_kind = $2 AND c.subject_id = $3"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(year)
        .bind(kind)
        .bind(subject)
        .fetch_optional(p)
        .await)?)
}

/// A member's records, newest year first.
pub async fn of_member(db: &Db, member: MemberId) -> Result<Vec<RecordRow>> {
    let sql = format!(
        "SELECT {RECORD_COLUMNS} FROM classification c \
         WHERE c.subject_kind = 'member' AND c.subject_id = $1 ORDER BY c.year DESC"
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(member)
        .fetch_all(p)
        .await)?)
}

/// A stage written by the subject or its cell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Tự đánh giá (the member, or the organization of itself).
    Own,
    /// Đề xuất (the cell, for its members).
    Proposed,
}

pub struct NewStage<'a> {
    pub year: i32,
    pub kind: &'a str,
    pub subject: i64,
    pub org: OrgId,
    pub regime: &'a str,
    pub grade: &'a str,
    pub score: Option<i32>,
    pub by: Option<UserId>,
    pub on: Date,
}

/// Records (or replaces) a self-assessment or a proposal.
pub async fn set_stage(tx: &mut Tx, stage: Stage, s: &NewStage<'_>) -> Result<()> {
    let p = match stage {
        Stage::Own => "self",
        Stage::Proposed => "proposed",
    };
    let sql = format!(
        "INSERT INTO classification (year, subject_kind, subject_id, org_id, regime_code, \
         {p}_grade, {p}_score, {p}_by, {p}_on) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) \
         ON CONFLICT (year, subject_kind, subject_id) DO UPDATE SET org_id = excluded.org_id, \
         {p}_grade = excluded.{p}_grade, {p}_score = excluded.{p}_score, \
         {p}_by = excluded.{p}_by, {p}_on = excluded.{p}_on"
    );
    on_tx!(tx, |c| sqlx::query(&sql)
        .bind(s.year)
        .bind(s.kind)
        .bind(s.subject)
        .bind(s.org)
        .bind(s.regime)
        .bind(s.grade)
        .bind(s.score)
        .bind(s.by)
        .bind(day(s.on))
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

pub struct NewFinal<'a> {
    pub stage: NewStage<'a>,
    pub decider: OrgId,
    pub decision_ref: &'a str,
    pub override_reason: &'a str,
}

/// Records the deciding committee's final grade.
pub async fn set_final(tx: &mut Tx, f: &NewFinal<'_>) -> Result<()> {
    const SQL: &str = "INSERT INTO classification (year, subject_kind, subject_id, org_id, regime_code, \
        final_grade, final_score, decided_by, decided_on, decided_by_org, decision_ref, override_reason) \
        VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) \
        ON CONFLICT (year, subject_kind, subject_id) DO UPDATE SET \
        final_grade = excluded.final_grade, final_score = excluded.final_score, \
        decided_by = excluded.decided_by, decided_on = excluded.decided_on, \
        decided_by_org = excluded.decided_by_org, decision_ref = excluded.decision_ref, \
        override_reason = excluded.override_reason";
    let s = &f.stage;
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(s.year)
        .bind(s.kind)
        .bind(s.subject)
        .bind(s.org)
        .bind(s.regime)
        .bind(s.grade)
        .bind(s.score)
        .bind(s.by)
        .bind(day(s.on))
        .bind(f.decider)
        .bind(f.decision_ref)
        .bind(f.override_reason)
        .execute(c)
        .await
        .map(|_| ()))?;
    Ok(())
}

/// The final grades a committee has decided for a year (after the writes of
/// the transaction), as (subject kind, subject id, grade).
pub async fn finals_by(
    tx: &mut Tx,
    decider: OrgId,
    year: i32,
) -> Result<Vec<(String, i64, String)>> {
    const SQL: &str = "SELECT subject_kind, subject_id, final_grade FROM classification \
        WHERE decided_by_org = $1 AND year = $2 AND final_grade IS NOT NULL";
    Ok(on_tx!(tx, |c| sqlx::query_as(SQL)
        .bind(decider)
        .bind(year)
        .fetch_all(c)
        .await)?)
}

/// What is still without a final grade under `root` (itself excluded) for
/// the year: member records, and organizations of the subtree on `on`
/// (with or without a record). Two counting queries.
pub async fn pending_under(tx: &mut Tx, root: OrgId, on: Date, year: i32) -> Result<Pending> {
    let members_sql = format!(
        "{}SELECT COUNT(*) FROM sub JOIN classification c ON c.org_id = sub.id \
         WHERE c.year = $3 AND c.subject_kind = 'member' AND c.final_grade IS NULL",
        super::org::subtree_cte!()
    );
    let units_sql = format!(
        "{}SELECT COUNT(*) FROM sub LEFT JOIN classification c ON c.subject_kind = 'org' \
         AND c.subject_id = sub.id AND c.year = $3 \
         WHERE sub.id <> $1 AND c.final_grade IS NULL",
        super::org::subtree_cte!()
    );
    let members: i64 = on_tx!(tx, |c| sqlx::query_scalar(&members_sql)
        .bind(root)
        .bind(day(on))
        .bind(year)
        .fetch_one(c)
        .await)?;
    let units: i64 = on_tx!(tx, |c| sqlx::query_scalar(&units_sql)
        .bind(root)
        .bind(day(on))
        .bind(year)
        .fetch_one(c)
        .await)?;
    Ok(Pending { members, units })
}

/// Records of a year in a subtree, counted by subject kind and final grade
/// (NULL: not decided yet). The root's own record is left out.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CountRow {
    pub subject_kind: String,
    pub final_grade: Option<String>,
    pub n: i64,
}

/// One grouped query over the year's records joined to the subtree.
pub async fn counts(db: &Db, root: Root, on: Date, year: i32) -> Result<Vec<CountRow>> {
    let sql = format!(
        "{}SELECT c.subject_kind, c.final_grade, COUNT(*) AS n FROM sub \
         JOIN classification c ON c.org_id = sub.id AND c.year = $3 \
         WHERE NOT (c.subject_kind = 'org' AND c.subject_id = $1) \
         GROUP BY c.subject_kind, c.final_grade",
        root.cte()
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root.id)
        .bind(day(on))
        .bind(year)
        .fetch_all(p)
        .await)?)
}

/// A member's home cell and status on `on`, if they had both.
pub async fn standing_on(db: &Db, member: MemberId, on: Date) -> Result<Option<(OrgId, String)>> {
    let sql = format!(
        "SELECT p.org_id, s.status FROM member_placement p \
         JOIN member_status s ON s.member_id = p.member_id AND {} \
         WHERE p.member_id = $1 AND p.kind = 'home' AND {}",
        super::org::valid_on!("s", "$2"),
        super::org::valid_on!("p", "$2"),
    );
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(member)
        .bind(day(on))
        .fetch_optional(p)
        .await)?)
}
