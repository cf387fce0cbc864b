//! Members, their status history and their placements in cells.

use super::types::{Day, day};
use super::{Db, Result, StoreError, Tx, json_rows, placeholders, rows_per_statement};
use crate::domain::citizen_id::CitizenId;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::member::{Gender, MemberFields, MemberStatus};
use crate::domain::text;
use crate::{on_db, on_tx};
use jiff::civil::Date;

const COLUMNS: &str = "m.id, m.full_name, m.birth_date, m.gender, m.ethnicity, m.religion, m.hometown, m.residence, \
    m.admitted_on, m.official_on, m.card_number, m.citizen_id, m.education, m.theory_level, m.occupation, m.phone, m.email, \
    m.status, m.cell_id";

/// Field order is [`COLUMNS`]' order: lists read rows as JSON arrays.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct MemberRow {
    pub id: MemberId,
    pub full_name: String,
    #[serde(deserialize_with = "json_rows::opt_day::deserialize")]
    pub birth_date: Option<Day>,
    pub gender: String,
    pub ethnicity: String,
    pub religion: String,
    pub hometown: String,
    pub residence: String,
    #[serde(deserialize_with = "json_rows::opt_day::deserialize")]
    pub admitted_on: Option<Day>,
    #[serde(deserialize_with = "json_rows::opt_day::deserialize")]
    pub official_on: Option<Day>,
    pub card_number: Option<String>,
    pub citizen_id: Option<String>,
    pub education: String,
    pub theory_level: String,
    pub occupation: String,
    pub phone: String,
    pub email: String,
    pub status: String,
    pub cell_id: OrgId,
}

impl MemberRow {
    pub fn status(&self) -> MemberStatus {
        MemberStatus::from_code(&self.status).unwrap_or(MemberStatus::Official)
    }

    pub fn fields(&self) -> MemberFields {
        MemberFields {
            full_name: self.full_name.clone(),
            birth_date: self.birth_date.map(|d| d.to_jiff()),
            gender: if self.gender == "female" {
                Gender::Female
            } else {
                Gender::Male
            },
            ethnicity: self.ethnicity.clone(),
            religion: self.religion.clone(),
            hometown: self.hometown.clone(),
            residence: self.residence.clone(),
            admitted_on: self.admitted_on.map(|d| d.to_jiff()),
            official_on: self.official_on.map(|d| d.to_jiff()),
            card_number: self.card_number.clone(),
            citizen_id: self
                .citizen_id
                .as_deref()
                .and_then(|c| CitizenId::parse(c).ok()),
            education: self.education.clone(),
            theory_level: self.theory_level.clone(),
            occupation: self.occupation.clone(),
            phone: self.phone.clone(),
            email: self.email.clone(),
            status: self.status(),
        }
    }
}

pub async fn get(db: &Db, id: MemberId) -> Result<MemberRow> {
    let sql = format!("SELECT {COLUMNS} FROM member m WHERE m.id = $1");
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

/// Which members a list shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum StatusFilter {
    /// Probationary, official and exempt.
    Active,
    All,
    Only(MemberStatus),
}

impl StatusFilter {
    fn sql(self) -> String {
        match self {
            Self::Active => "AND m.status IN ('probationary', 'official', 'exempt')".into(),
            Self::All => String::new(),
            Self::Only(s) => format!("AND m.status = '{}'", s.code()),
        }
    }
}

pub struct ListQuery<'a> {
    pub root: super::org::Root,
    /// The date the root's subtree is read at.
    pub on: Date,
    /// Folded search text (empty: everyone).
    pub q: &'a str,
    pub status: StatusFilter,
    pub limit: i64,
    pub offset: i64,
}

/// One page of the members registered in the subtree, in Vietnamese order
/// (given name, then full name), and the total count: one statement, the
/// page folded into one JSON row (`store::json_rows`).
pub async fn list(db: &Db, lq: &ListQuery<'_>) -> Result<(Vec<MemberRow>, i64)> {
    // $1 root, $2 date, then name, card and CCCD if searching, then limit/offset.
    let searching = !lq.q.is_empty();
    let search = if searching {
        "AND (m.name_key LIKE $3 ESCAPE '\\' OR m.card_number = $4 OR m.citizen_id = $5)"
    } else {
        ""
    };
    let next = if searching { 6 } else { 3 };
    let filter = format!("m.cell_id = sub.id {} {search}", lq.status.sql());
    let sql = format!(
        "{cte}SELECT (SELECT COUNT(*) FROM sub CROSS JOIN member m WHERE {filter}), \
         (SELECT {agg} FROM (SELECT {COLUMNS}, m.sort_key FROM sub CROSS JOIN member m WHERE {filter} \
         ORDER BY m.sort_key, m.id LIMIT ${next} OFFSET ${offset}) m)",
        cte = lq.root.cte(),
        agg = json_rows::array_agg(db, COLUMNS, "m.sort_key, m.id"),
        offset = next + 1
    );
    let pattern = super::like_pattern(lq.q);
    let card = lq.q.to_uppercase();
    // A search for a CCCD matches its 12 digits exactly (docs/rules.md "Số CCCD").
    let citizen = CitizenId::search_key(lq.q).map(CitizenId::into_string);
    let (total, page): (i64, String) = on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql).bind(lq.root.id).bind(day(lq.on));
        if searching {
            q = q.bind(&pattern).bind(&card).bind(&citizen);
        }
        q.bind(lq.limit).bind(lq.offset).fetch_one(p).await
    })?;
    Ok((json_rows::parse(&page)?, total))
}

/// The members registered in a cell now (probationary, official, exempt), in
/// Vietnamese order ($1: the cell); read as JSON like [`list`].
pub(super) fn active_in_cell_part() -> json_rows::Part {
    json_rows::Part {
        with: String::new(),
        columns: COLUMNS.into(),
        from: format!(
            "FROM member m WHERE m.cell_id = $1 {}",
            StatusFilter::Active.sql()
        ),
        order: "m.sort_key, m.id".into(),
    }
}

/// [`active_in_cell_part`] alone: one statement, one JSON row.
pub async fn active_in_cell(db: &Db, cell: OrgId) -> Result<Vec<MemberRow>> {
    json_rows::rows_of(db, &active_in_cell_part(), cell.0).await
}

/// Citizen ids among `ids` already held by a member (import checks).
pub async fn taken_citizen_ids(tx: &mut Tx, ids: &[String]) -> Result<Vec<String>> {
    let mut taken = Vec::new();
    for chunk in ids.chunks(rows_per_statement(tx, 1)) {
        let sql = format!(
            "SELECT citizen_id FROM member WHERE citizen_id IN ({})",
            placeholders(1, chunk.len())
        );
        let found: Vec<String> = on_tx!(tx, |c| {
            let mut q = sqlx::query_scalar(&sql);
            for id in chunk {
                q = q.bind(id);
            }
            q.fetch_all(c).await
        })?;
        taken.extend(found);
    }
    Ok(taken)
}

/// Card numbers among `cards` that are already taken (import checks).
pub async fn taken_card_numbers(tx: &mut Tx, cards: &[String]) -> Result<Vec<String>> {
    let mut taken = Vec::new();
    for chunk in cards.chunks(rows_per_statement(tx, 1)) {
        let sql = format!(
            "SELECT card_number FROM member WHERE card_number IN ({})",
            placeholders(1, chunk.len())
        );
        let found: Vec<String> = on_tx!(tx, |c| {
            let mut q = sqlx::query_scalar(&sql);
            for card in chunk {
                q = q.bind(card);
            }
            q.fetch_all(c).await
        })?;
        taken.extend(found);
    }
    Ok(taken)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct StatusRow {
    pub status: String,
    pub valid_from: Day,
    pub valid_to: Option<Day>,
    pub reason: String,
}

pub async fn statuses(db: &Db, id: MemberId) -> Result<Vec<StatusRow>> {
    const SQL: &str = "SELECT status, valid_from, valid_to, reason FROM member_status \
                       WHERE member_id = $1 ORDER BY valid_from, id";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(id)
        .fetch_all(p)
        .await)?)
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlacementRow {
    pub org_id: OrgId,
    pub org_name: String,
    pub kind: String,
    pub valid_from: Day,
    pub valid_to: Option<Day>,
    pub note: String,
}

pub async fn placements(db: &Db, id: MemberId) -> Result<Vec<PlacementRow>> {
    // The cell's name when the placement began (or its first name).
    const SQL: &str = "SELECT p.org_id, \
        COALESCE((SELECT v.name FROM org_version v WHERE v.org_id = p.org_id AND v.valid_from <= p.valid_from \
           ORDER BY v.valid_from DESC LIMIT 1), \
          (SELECT v.name FROM org_version v WHERE v.org_id = p.org_id ORDER BY v.valid_from LIMIT 1), '') AS org_name, \
        p.kind, p.valid_from, p.valid_to, p.note FROM member_placement p WHERE p.member_id = $1 \
        ORDER BY p.valid_from, p.id";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(id)
        .fetch_all(p)
        .await)?)
}

// ---- writes ----

/// A member row ready to insert, with its first status and home placement.
pub struct NewMember<'a> {
    pub id: MemberId,
    pub fields: &'a MemberFields,
    pub cell: OrgId,
    /// Status history, oldest first: (status, from, to, reason).
    pub statuses: Vec<(MemberStatus, Date, Option<Date>, String)>,
    /// Home placements, oldest first: (cell, from, to).
    pub homes: Vec<(OrgId, Date, Option<Date>)>,
}

/// Reserves `n` member ids inside the transaction.
pub async fn reserve_ids(tx: &mut Tx, n: usize) -> Result<Vec<MemberId>> {
    if n == 0 {
        return Ok(Vec::new());
    }
    let ids: Vec<i64> = match tx {
        // PostgreSQL: draw from the identity sequence, safe with concurrent writers.
        super::Tx::Postgres(t) => sqlx::query_scalar(
            "SELECT nextval(pg_get_serial_sequence('member', 'id')) FROM generate_series(1, $1)",
        )
        .bind(n as i64)
        .fetch_all(&mut **t)
        .await?,
        // SQLite: the transaction holds the write lock (BEGIN IMMEDIATE).
        super::Tx::Sqlite(t) => {
            let max: i64 = sqlx::query_scalar("SELECT COALESCE(MAX(id), 0) FROM member")
                .fetch_one(&mut **t)
                .await?;
            (max + 1..=max + n as i64).collect()
        }
    };
    Ok(ids.into_iter().map(MemberId).collect())
}

/// Inserts members with their histories, many rows per statement.
pub async fn insert_many(tx: &mut Tx, members: &[NewMember<'_>]) -> Result<()> {
    const MEMBER_COLS: usize = 21;
    for chunk in members.chunks(rows_per_statement(tx, MEMBER_COLS)) {
        let sql = format!(
            "INSERT INTO member (id, full_name, name_key, sort_key, birth_date, gender, ethnicity, religion, hometown, \
             residence, admitted_on, official_on, card_number, citizen_id, education, theory_level, occupation, phone, \
             email, status, cell_id) VALUES {}",
            values(chunk.len(), MEMBER_COLS)
        );
        on_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for m in chunk {
                let f = m.fields;
                q = q
                    .bind(m.id)
                    .bind(&f.full_name)
                    .bind(text::fold(&f.full_name))
                    .bind(text::name_sort_key(&f.full_name))
                    .bind(f.birth_date.map(day))
                    .bind(f.gender.code())
                    .bind(&f.ethnicity)
                    .bind(&f.religion)
                    .bind(&f.hometown)
                    .bind(&f.residence)
                    .bind(f.admitted_on.map(day))
                    .bind(f.official_on.map(day))
                    .bind(&f.card_number)
                    .bind(f.citizen_id.as_ref().map(CitizenId::as_str))
                    .bind(&f.education)
                    .bind(&f.theory_level)
                    .bind(&f.occupation)
                    .bind(&f.phone)
                    .bind(&f.email)
                    .bind(f.status.code())
                    .bind(m.cell);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    let statuses: Vec<_> = members
        .iter()
        .flat_map(|m| m.statuses.iter().map(move |s| (m.id, s)))
        .collect();
    for chunk in statuses.chunks(rows_per_statement(tx, 5)) {
        let sql = format!(
            "INSERT INTO member_status (member_id, status, valid_from, valid_to, reason) VALUES {}",
            values(chunk.len(), 5)
        );
        on_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for (id, (status, from, to, reason)) in chunk {
                q = q
                    .bind(*id)
                    .bind(status.code())
                    .bind(day(*from))
                    .bind(to.map(day))
                    .bind(reason);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    let homes: Vec<_> = members
        .iter()
        .flat_map(|m| m.homes.iter().map(move |h| (m.id, h)))
        .collect();
    for chunk in homes.chunks(rows_per_statement(tx, 5)) {
        let sql = format!(
            "INSERT INTO member_placement (member_id, org_id, kind, valid_from, valid_to) VALUES {}",
            values(chunk.len(), 5)
        );
        on_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for (id, (org, from, to)) in chunk {
                q = q
                    .bind(*id)
                    .bind(*org)
                    .bind("home")
                    .bind(day(*from))
                    .bind(to.map(day));
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// `($1, $2, …), (…)` for `rows` rows of `cols` values.
fn values(rows: usize, cols: usize) -> String {
    (0..rows)
        .map(|r| format!("({})", placeholders(r * cols + 1, cols)))
        .collect::<Vec<_>>()
        .join(", ")
}

pub async fn update_fields(tx: &mut Tx, id: MemberId, f: &MemberFields) -> Result<()> {
    const SQL: &str = "UPDATE member SET full_name = $2, name_key = $3, sort_key = $4, birth_date = $5, gender = $6, \
        ethnicity = $7, religion = $8, hometown = $9, residence = $10, admitted_on = $11, official_on = $12, \
        card_number = $13, education = $14, theory_level = $15, occupation = $16, phone = $17, email = $18, \
        citizen_id = $19 WHERE id = $1";
    let n = on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(&f.full_name)
        .bind(text::fold(&f.full_name))
        .bind(text::name_sort_key(&f.full_name))
        .bind(f.birth_date.map(day))
        .bind(f.gender.code())
        .bind(&f.ethnicity)
        .bind(&f.religion)
        .bind(&f.hometown)
        .bind(&f.residence)
        .bind(f.admitted_on.map(day))
        .bind(f.official_on.map(day))
        .bind(&f.card_number)
        .bind(&f.education)
        .bind(&f.theory_level)
        .bind(&f.occupation)
        .bind(&f.phone)
        .bind(&f.email)
        .bind(f.citizen_id.as_ref().map(CitizenId::as_str))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    if n == 0 {
        Err(StoreError::NotFound)
    } else {
        Ok(())
    }
}

pub async fn get_for_update(tx: &mut Tx, id: MemberId) -> Result<MemberRow> {
    let sql = format!(
        "SELECT {COLUMNS} FROM member m WHERE m.id = $1{}",
        if tx.is_postgres() { " FOR UPDATE" } else { "" }
    );
    on_tx!(tx, |c| sqlx::query_as(&sql)
        .bind(id)
        .fetch_optional(c)
        .await)?
    .ok_or(StoreError::NotFound)
}

/// Closes the open status and opens `status` from `on`.
pub async fn set_status(
    tx: &mut Tx,
    id: MemberId,
    status: MemberStatus,
    on: Date,
    reason: &str,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
            "UPDATE member_status SET valid_to = $2 WHERE member_id = $1 AND valid_to IS NULL",
        )
        .bind(id)
        .bind(day(on))
        .execute(&mut *c)
        .await?;
        sqlx::query("INSERT INTO member_status (member_id, status, valid_from, reason) VALUES ($1, $2, $3, $4)")
            .bind(id)
            .bind(status.code())
            .bind(day(on))
            .bind(reason)
            .execute(&mut *c)
            .await?;
        sqlx::query("UPDATE member SET status = $2 WHERE id = $1")
            .bind(id)
            .bind(status.code())
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// Latest start of the member's open status (a change must come after it).
pub async fn open_status_since(tx: &mut Tx, id: MemberId) -> Result<Option<Date>> {
    const SQL: &str =
        "SELECT valid_from FROM member_status WHERE member_id = $1 AND valid_to IS NULL";
    let d: Option<Day> = on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(d.map(|d| d.to_jiff()))
}

pub async fn open_home_since(tx: &mut Tx, id: MemberId) -> Result<Option<Date>> {
    const SQL: &str = "SELECT valid_from FROM member_placement WHERE member_id = $1 AND kind = 'home' AND valid_to IS NULL";
    let d: Option<Day> = on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(id)
        .fetch_optional(c)
        .await)?;
    Ok(d.map(|d| d.to_jiff()))
}

/// Moves the member's home to `org` from `on` (permanent transfer, or the
/// cell was merged into another).
pub async fn set_home(tx: &mut Tx, id: MemberId, org: OrgId, on: Date, note: &str) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query("UPDATE member_placement SET valid_to = $2 WHERE member_id = $1 AND kind = 'home' AND valid_to IS NULL")
            .bind(id)
            .bind(day(on))
            .execute(&mut *c)
            .await?;
        sqlx::query("INSERT INTO member_placement (member_id, org_id, kind, valid_from, note) VALUES ($1, $2, 'home', $3, $4)")
            .bind(id)
            .bind(org)
            .bind(day(on))
            .bind(note)
            .execute(&mut *c)
            .await?;
        sqlx::query("UPDATE member SET cell_id = $2 WHERE id = $1")
            .bind(id)
            .bind(org)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(())
}

/// A temporary host cell from `from` to `until` (chuyển sinh hoạt tạm thời).
pub async fn add_temporary(
    tx: &mut Tx,
    id: MemberId,
    org: OrgId,
    from: Date,
    until: Option<Date>,
    note: &str,
) -> Result<()> {
    const SQL: &str = "INSERT INTO member_placement (member_id, org_id, kind, valid_from, valid_to, note) \
                       VALUES ($1, $2, 'temporary', $3, $4, $5)";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(id)
        .bind(org)
        .bind(day(from))
        .bind(until.map(day))
        .bind(note)
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// Members whose home is `org` now (for merges).
pub async fn ids_in_cell(tx: &mut Tx, org: OrgId) -> Result<Vec<MemberId>> {
    const SQL: &str = "SELECT id FROM member WHERE cell_id = $1";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(org)
        .fetch_all(c)
        .await)?)
}

/// Moves every member at home in `from` to `to` on `on`, in two statements.
pub async fn move_all_homes(
    tx: &mut Tx,
    from: OrgId,
    to: OrgId,
    on: Date,
    note: &str,
) -> Result<u64> {
    let n = on_tx!(tx, |c| {
        sqlx::query(
            "INSERT INTO member_placement (member_id, org_id, kind, valid_from, note) \
             SELECT member_id, $2, 'home', $3, $4 FROM member_placement \
             WHERE org_id = $1 AND kind = 'home' AND valid_to IS NULL",
        )
        .bind(from)
        .bind(to)
        .bind(day(on))
        .bind(note)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE member_placement SET valid_to = $2 WHERE org_id = $1 AND kind = 'home' AND valid_to IS NULL")
            .bind(from)
            .bind(day(on))
            .execute(&mut *c)
            .await?;
        sqlx::query("UPDATE member SET cell_id = $2 WHERE cell_id = $1")
            .bind(from)
            .bind(to)
            .execute(&mut *c)
            .await
            .map(|r| r.rows_affected())
    })?;
    Ok(n)
}

/// Active members whose home is `org` now.
pub async fn count_active_in(tx: &mut Tx, org: OrgId) -> Result<i64> {
    const SQL: &str = "SELECT COUNT(*) FROM member WHERE cell_id = $1 AND status IN ('probationary', 'official', 'exempt')";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(org)
        .fetch_one(c)
        .await)?)
}
