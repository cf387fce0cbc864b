//! Rubric versions, the organizations a draft was sent to, and their
//! comments (migration 0018).

use super::types::{Day, day};
use super::{Db, Result, Tx, placeholders};
use crate::domain::ids::OrgId;
use crate::{on_db, on_tx};
use jiff::civil::Date;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RubricRow {
    pub id: i64,
    pub org_id: OrgId,
    pub purpose: String,
    pub version: i32,
    pub name: String,
    pub status: String,
    pub definition: String,
    pub note: String,
    pub document: String,
    pub document_date: Option<Day>,
    pub valid_from: Option<Day>,
    pub valid_to: Option<Day>,
    pub created_on: Day,
    pub adopted_on: Option<Day>,
    /// The issuing committee's current name.
    pub org_name: String,
}

const COLUMNS: &str = "r.id, r.org_id, r.purpose, r.version, r.name, r.status, r.definition, r.note, \
    r.document, r.document_date, r.valid_from, r.valid_to, r.created_on, r.adopted_on, \
    (SELECT v.name FROM org_version v WHERE v.org_id = r.org_id ORDER BY v.valid_from DESC LIMIT 1) AS org_name";

pub async fn get(db: &Db, id: i64) -> Result<Option<RubricRow>> {
    let sql = format!("SELECT {COLUMNS} FROM rubric r WHERE r.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(p)
        .await)?)
}

/// The rubrics issued by any of `issuers` (a node's ancestors-or-self),
/// newest version first; drafts only where `drafts_of` (nodes allowed to see
/// them: the issuer itself, or the organizations they were sent to).
pub async fn issued_by(db: &Db, issuers: &[OrgId], reader: OrgId) -> Result<Vec<RubricRow>> {
    if issuers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM rubric r WHERE r.org_id IN ({}) AND (r.status = 'adopted' OR r.org_id = $1 \
         OR EXISTS (SELECT 1 FROM rubric_recipient x WHERE x.rubric_id = r.id AND x.org_id = $1)) \
         ORDER BY r.purpose, r.org_id, r.version DESC",
        placeholders(2, issuers.len())
    );
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql).bind(reader);
        for i in issuers {
            q = q.bind(*i);
        }
        q.fetch_all(p).await
    })?)
}

/// The adopted rubrics of `purpose` issued by any of `issuers` and in force
/// on `on` (at most one per issuer).
pub async fn in_force(
    db: &Db,
    issuers: &[OrgId],
    purpose: &str,
    on: Date,
) -> Result<Vec<RubricRow>> {
    if issuers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM rubric r WHERE r.purpose = $1 AND r.status = 'adopted' \
         AND r.valid_from <= $2 AND (r.valid_to IS NULL OR r.valid_to > $2) AND r.org_id IN ({})",
        placeholders(3, issuers.len())
    );
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql).bind(purpose).bind(day(on));
        for i in issuers {
            q = q.bind(*i);
        }
        q.fetch_all(p).await
    })?)
}

/// Every adopted rubric of `purpose` issued by any of `issuers`, for
/// choosing by date in memory (a year of meetings, a year of months).
pub async fn adopted_of(db: &Db, issuers: &[OrgId], purpose: &str) -> Result<Vec<RubricRow>> {
    if issuers.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {COLUMNS} FROM rubric r WHERE r.purpose = $1 AND r.status = 'adopted' AND r.org_id IN ({}) \
         ORDER BY r.valid_from",
        placeholders(2, issuers.len())
    );
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql).bind(purpose);
        for i in issuers {
            q = q.bind(*i);
        }
        q.fetch_all(p).await
    })?)
}

pub struct NewRubric<'a> {
    pub org: OrgId,
    pub purpose: &'a str,
    pub name: &'a str,
    pub definition: &'a str,
    pub note: &'a str,
    pub on: Date,
}

/// A new draft, numbered after the issuer's last version of its purpose.
pub async fn insert_draft(tx: &mut Tx, r: &NewRubric<'_>) -> Result<(i64, i32)> {
    const NEXT: &str =
        "SELECT COALESCE(MAX(version), 0) + 1 FROM rubric WHERE org_id = $1 AND purpose = $2";
    const SQL: &str = "INSERT INTO rubric (org_id, purpose, version, name, status, definition, note, created_on) \
        VALUES ($1, $2, $3, $4, 'draft', $5, $6, $7) RETURNING id";
    let version: i32 = on_tx!(tx, |c| sqlx::query_scalar(NEXT)
        .bind(r.org)
        .bind(r.purpose)
        .fetch_one(c)
        .await)?;
    let id = on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(r.org)
        .bind(r.purpose)
        .bind(version)
        .bind(r.name)
        .bind(r.definition)
        .bind(r.note)
        .bind(day(r.on))
        .fetch_one(c)
        .await)?;
    Ok((id, version))
}

/// Replaces a draft's name and content; `false` if it is no longer a draft.
pub async fn update_draft(tx: &mut Tx, id: i64, name: &str, definition: &str) -> Result<bool> {
    const SQL: &str =
        "UPDATE rubric SET name = $2, definition = $3 WHERE id = $1 AND status = 'draft'";
    let n = on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(name)
        .bind(definition)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(n == 1)
}

pub struct Adoption<'a> {
    pub document: &'a str,
    pub document_date: Date,
    pub valid_from: Date,
    pub on: Date,
}

/// Adopts a draft; the issuer's version of the same purpose then in force
/// ends the day the new one starts. `false` if it was no longer a draft.
pub async fn adopt(tx: &mut Tx, row: &RubricRow, a: &Adoption<'_>) -> Result<bool> {
    const SQL: &str = "UPDATE rubric SET status = 'adopted', document = $2, document_date = $3, \
        valid_from = $4, adopted_on = $5 WHERE id = $1 AND status = 'draft'";
    const CLOSE: &str = "UPDATE rubric SET valid_to = $3 WHERE org_id = $1 AND purpose = $2 \
        AND status = 'adopted' AND valid_to IS NULL AND valid_from < $3 AND id <> $4";
    let n = on_tx!(tx, |c| sqlx::query(SQL)
        .bind(row.id)
        .bind(a.document)
        .bind(day(a.document_date))
        .bind(day(a.valid_from))
        .bind(day(a.on))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n != 1 {
        return Ok(false);
    }
    on_tx!(tx, |c| sqlx::query(CLOSE)
        .bind(row.org_id)
        .bind(&row.purpose)
        .bind(day(a.valid_from))
        .bind(row.id)
        .execute(c)
        .await
        .map(drop))?;
    Ok(true)
}

/// Adds organizations a draft is sent to (ignoring those already there).
pub async fn send_to(tx: &mut Tx, rubric: i64, orgs: &[OrgId]) -> Result<()> {
    const SQL: &str = "INSERT INTO rubric_recipient (rubric_id, org_id) VALUES ($1, $2) \
        ON CONFLICT (rubric_id, org_id) DO NOTHING";
    for o in orgs {
        on_tx!(tx, |c| sqlx::query(SQL)
            .bind(rubric)
            .bind(*o)
            .execute(c)
            .await
            .map(drop))?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct RecipientRow {
    pub org_id: OrgId,
    pub name: String,
}

pub async fn recipients(db: &Db, rubric: i64) -> Result<Vec<RecipientRow>> {
    const SQL: &str = "SELECT x.org_id, \
        (SELECT v.name FROM org_version v WHERE v.org_id = x.org_id ORDER BY v.valid_from DESC LIMIT 1) AS name \
        FROM rubric_recipient x WHERE x.rubric_id = $1 ORDER BY x.org_id";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(rubric)
        .fetch_all(p)
        .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct CommentRow {
    pub id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub username: String,
    pub body: String,
    pub created_on: Day,
}

pub async fn comments(db: &Db, rubric: i64) -> Result<Vec<CommentRow>> {
    const SQL: &str = "SELECT c.id, c.org_id, \
        (SELECT v.name FROM org_version v WHERE v.org_id = c.org_id ORDER BY v.valid_from DESC LIMIT 1) AS org_name, \
        c.username, c.body, c.created_on FROM rubric_comment c WHERE c.rubric_id = $1 ORDER BY c.id";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(rubric)
        .fetch_all(p)
        .await)?)
}

pub async fn add_comment(
    tx: &mut Tx,
    rubric: i64,
    org: OrgId,
    username: &str,
    body: &str,
    on: Date,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO rubric_comment (rubric_id, org_id, username, body, created_on) \
        VALUES ($1, $2, $3, $4, $5) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(rubric)
        .bind(org)
        .bind(username)
        .bind(body)
        .bind(day(on))
        .fetch_one(c)
        .await)?)
}
