//! The parts of a meeting: moves, agenda, documents, roll call, guests,
//! amendments and notices (tasks: `meeting_tasks`).

use super::json_rows::{self, Part};
use super::types::{Day, Instant, instant};
use super::{Db, Result, Tx, placeholders};
use crate::domain::ids::MemberId;
use crate::{on_db, on_tx};
use jiff::civil::Date;

/// A list of one meeting's rows ($1: the meeting).
fn of_meeting(columns: &str, from: &str, order: &str) -> Part {
    Part {
        with: String::new(),
        columns: columns.into(),
        from: from.into(),
        order: order.into(),
    }
}

/// Fields in the order of [`moves_part`]'s columns (read as JSON).
#[derive(Debug, Clone, serde::Deserialize)]
pub struct MoveRow {
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub from_on: Day,
    #[serde(deserialize_with = "json_rows::day::deserialize")]
    pub to_on: Day,
    pub reason: String,
    #[serde(deserialize_with = "json_rows::instant::deserialize")]
    pub at: Instant,
    pub username: String,
}

pub(super) fn moves_part() -> Part {
    of_meeting(
        "from_on, to_on, reason, at, username",
        "FROM meeting_move WHERE meeting_id = $1",
        "id",
    )
}

/// Fields in the order of [`agenda_part`]'s columns.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct AgendaRow {
    pub position: i64,
    pub title: String,
    pub presenter_id: Option<MemberId>,
    pub presenter: Option<String>,
}

pub(super) fn agenda_part() -> Part {
    of_meeting(
        "a.position, a.title, a.presenter_id, m.full_name AS presenter",
        "FROM agenda_item a LEFT JOIN member m ON m.id = a.presenter_id WHERE a.meeting_id = $1",
        "a.position",
    )
}

pub async fn agenda(db: &Db, meeting: i64) -> Result<Vec<AgendaRow>> {
    let sql = agenda_part().select();
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(meeting)
        .fetch_all(p)
        .await)?)
}

/// Replaces the agenda with `items` (title, presenter), in order.
pub async fn set_agenda(
    tx: &mut Tx,
    meeting: i64,
    items: &[(String, Option<MemberId>)],
) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM agenda_item WHERE meeting_id = $1"
    )
    .bind(meeting)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    for (i, (title, presenter)) in items.iter().enumerate() {
        const SQL: &str = "INSERT INTO agenda_item (meeting_id, position, title, presenter_id) VALUES ($1, $2, $3, $4)";
        on_tx!(tx, |c| sqlx::query(SQL)
            .bind(meeting)
            .bind(i as i64 + 1)
            .bind(title)
            .bind(*presenter)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

const DOCUMENT_COLUMNS: &str =
    "id, meeting_id, filename, content_type, size_bytes, sha256, uploaded_at";

/// Fields in the order of [`DOCUMENT_COLUMNS`].
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct DocumentRow {
    pub id: i64,
    pub meeting_id: i64,
    pub filename: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub sha256: String,
    #[serde(deserialize_with = "json_rows::instant::deserialize")]
    pub uploaded_at: Instant,
}

pub(super) fn documents_part() -> Part {
    of_meeting(
        DOCUMENT_COLUMNS,
        "FROM meeting_document WHERE meeting_id = $1",
        "id",
    )
}

/// Documents of several meetings at once (a member's upcoming meetings).
pub async fn documents_of(db: &Db, meetings: &[i64]) -> Result<Vec<DocumentRow>> {
    if meetings.is_empty() {
        return Ok(Vec::new());
    }
    let sql = format!(
        "SELECT {DOCUMENT_COLUMNS} FROM meeting_document WHERE meeting_id IN ({}) ORDER BY meeting_id, id",
        placeholders(1, meetings.len())
    );
    Ok(on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql);
        for m in meetings {
            q = q.bind(*m);
        }
        q.fetch_all(p).await
    })?)
}

pub async fn document_data(db: &Db, id: i64) -> Result<(DocumentRow, Vec<u8>)> {
    let sql = format!("SELECT {DOCUMENT_COLUMNS} FROM meeting_document WHERE id = $1");
    let row: DocumentRow = on_db!(db, |p| sqlx::query_as(&sql).bind(id).fetch_one(p).await)?;
    let data: Vec<u8> = on_db!(db, |p| sqlx::query_scalar(
        "SELECT data FROM meeting_document WHERE id = $1"
    )
    .bind(id)
    .fetch_one(p)
    .await)?;
    Ok((row, data))
}

/// How many documents a meeting holds and their bytes together.
pub async fn document_totals(tx: &mut Tx, meeting: i64) -> Result<(i64, i64)> {
    // SUM of a BIGINT is NUMERIC on PostgreSQL: cast back for one row type.
    const SQL: &str = "SELECT COUNT(*), CAST(COALESCE(SUM(size_bytes), 0) AS BIGINT) \
        FROM meeting_document WHERE meeting_id = $1";
    Ok(on_tx!(tx, |c| sqlx::query_as(SQL)
        .bind(meeting)
        .fetch_one(c)
        .await)?)
}

pub async fn insert_document(
    tx: &mut Tx,
    meeting: i64,
    filename: &str,
    content_type: &str,
    sha256: &str,
    data: &[u8],
    at: jiff::Timestamp,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO meeting_document (meeting_id, filename, content_type, size_bytes, sha256, data, uploaded_at) \
        VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(meeting)
        .bind(filename)
        .bind(content_type)
        .bind(data.len() as i64)
        .bind(sha256)
        .bind(data)
        .bind(instant(at))
        .fetch_one(c)
        .await)?)
}

/// Fields in the order of [`attendance_part`]'s columns.
#[derive(Debug, Clone, sqlx::FromRow, serde::Deserialize)]
pub struct AttendanceRow {
    pub member_id: MemberId,
    pub full_name: String,
    pub presence: String,
    pub reason: String,
    #[serde(deserialize_with = "json_rows::flag::deserialize")]
    pub spoke: bool,
    #[serde(deserialize_with = "json_rows::flag::deserialize")]
    pub official: bool,
}

pub(super) fn attendance_part() -> Part {
    of_meeting(
        "a.member_id, m.full_name, a.presence, a.reason, a.spoke, a.official",
        "FROM attendance a JOIN member m ON m.id = a.member_id WHERE a.meeting_id = $1",
        "m.sort_key, m.id",
    )
}

pub async fn attendance(db: &Db, meeting: i64) -> Result<Vec<AttendanceRow>> {
    let sql = attendance_part().select();
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(meeting)
        .fetch_all(p)
        .await)?)
}

/// Replaces the roll call of a meeting and the totals kept on it.
pub async fn set_attendance(
    tx: &mut Tx,
    meeting: i64,
    rows: &[(MemberId, &str, &str, bool, bool)],
    tally: &crate::domain::meeting::Tally,
) -> Result<()> {
    on_tx!(tx, |c| {
        sqlx::query(
        "UPDATE meeting SET present_count = $2, convened_count = $3, speaker_count = $4 WHERE id = $1"
    )
    .bind(meeting)
    .bind(tally.present)
    .bind(tally.convened)
    .bind(tally.speakers)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected())
    })?;
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM attendance WHERE meeting_id = $1"
    )
    .bind(meeting)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    let per = super::rows_per_statement(tx, 6);
    for chunk in rows.chunks(per) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 6 + 1, 6)))
            .collect();
        let sql = format!(
            "INSERT INTO attendance (meeting_id, member_id, presence, reason, spoke, official) VALUES {}",
            values.join(", ")
        );
        on_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for (member, presence, reason, spoke, official) in chunk {
                q = q
                    .bind(meeting)
                    .bind(*member)
                    .bind(*presence)
                    .bind(*reason)
                    .bind(*spoke)
                    .bind(*official);
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

/// (name, position) rows.
pub(super) fn guests_part() -> Part {
    of_meeting(
        "name, position",
        "FROM meeting_guest WHERE meeting_id = $1",
        "id",
    )
}

pub async fn guests(db: &Db, meeting: i64) -> Result<Vec<(String, String)>> {
    let sql = guests_part().select();
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(meeting)
        .fetch_all(p)
        .await)?)
}

pub async fn set_guests(tx: &mut Tx, meeting: i64, guests: &[(String, String)]) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM meeting_guest WHERE meeting_id = $1"
    )
    .bind(meeting)
    .execute(&mut *c)
    .await
    .map(|r| r.rows_affected()))?;
    for (name, position) in guests {
        const SQL: &str =
            "INSERT INTO meeting_guest (meeting_id, name, position) VALUES ($1, $2, $3)";
        on_tx!(tx, |c| sqlx::query(SQL)
            .bind(meeting)
            .bind(name)
            .bind(position)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// Fields in the order of [`amendments_part`]'s columns.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct AmendmentRow {
    #[serde(deserialize_with = "json_rows::instant::deserialize")]
    pub at: Instant,
    pub username: String,
    pub body: String,
}

pub(super) fn amendments_part() -> Part {
    of_meeting(
        "at, username, body",
        "FROM minutes_amendment WHERE meeting_id = $1",
        "id",
    )
}

pub async fn insert_amendment(
    tx: &mut Tx,
    meeting: i64,
    at: jiff::Timestamp,
    who: &str,
    body: &str,
) -> Result<i64> {
    const SQL: &str = "INSERT INTO minutes_amendment (meeting_id, at, username, body) VALUES ($1, $2, $3, $4) RETURNING id";
    Ok(on_tx!(tx, |c| sqlx::query_scalar(SQL)
        .bind(meeting)
        .bind(instant(at))
        .bind(who)
        .bind(body)
        .fetch_one(c)
        .await)?)
}

/// In-app notices for many members at once.
pub async fn notify(
    tx: &mut Tx,
    members: &[MemberId],
    meeting: i64,
    title: &str,
    at: jiff::Timestamp,
) -> Result<()> {
    for chunk in members.chunks(super::rows_per_statement(tx, 4)) {
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * 4 + 1, 4)))
            .collect();
        let sql = format!(
            "INSERT INTO notification (member_id, meeting_id, title, created_at) VALUES {}",
            values.join(", ")
        );
        on_tx!(tx, |c| {
            let mut q = sqlx::query(&sql);
            for m in chunk {
                q = q.bind(*m).bind(meeting).bind(title).bind(instant(at));
            }
            q.execute(c).await.map(|r| r.rows_affected())
        })?;
    }
    Ok(())
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct NotificationRow {
    pub meeting_id: Option<i64>,
    pub title: String,
    pub created_at: Instant,
    /// When the member opened the meeting (docs/rules.md "Reminder the day before a meeting").
    pub read_at: Option<Instant>,
}

pub async fn notifications(db: &Db, member: MemberId, limit: i64) -> Result<Vec<NotificationRow>> {
    const SQL: &str = "SELECT meeting_id, title, created_at, read_at FROM notification WHERE member_id = $1 ORDER BY id DESC LIMIT $2";
    Ok(on_db!(db, |p| sqlx::query_as(SQL)
        .bind(member)
        .bind(limit)
        .fetch_all(p)
        .await)?)
}

/// Totals for meeting statistics over the cells of a subtree in a period.
#[derive(Debug, Clone, Default)]
pub struct MeetingTotals {
    pub planned: i64,
    pub held: i64,
    pub thematic_held: i64,
    pub present: i64,
    pub convened: i64,
    pub speakers: i64,
    pub overdue_tasks: i64,
    /// (kind, planned, held)
    pub by_kind: Vec<(String, i64, i64)>,
    /// Held meetings' figures of the groups counted apart.
    pub groups: Vec<(
        crate::domain::participation::Group,
        crate::domain::participation::Figures,
    )>,
}

/// Recomputes every meeting's roll-call totals from its attendance rows, for
/// the bulk loaders (demo, generate) that write attendance directly.
pub const RECOUNT_TALLIES: &str = "UPDATE meeting SET present_count = t.present, convened_count = t.convened, speaker_count = t.speakers \
    FROM (SELECT meeting_id, \
          SUM(CASE WHEN presence = 'present' THEN 1 ELSE 0 END) AS present, \
          SUM(CASE WHEN presence <> 'exempt' THEN 1 ELSE 0 END) AS convened, \
          SUM(CASE WHEN presence = 'present' AND spoke THEN 1 ELSE 0 END) AS speakers \
          FROM attendance GROUP BY meeting_id) t \
    WHERE meeting.id = t.meeting_id";

/// Meeting totals of the subtree, from the rollups (see `rollup`).
pub async fn totals(
    db: &Db,
    root: super::org::Root,
    tree_on: Date,
    from: Date,
    to: Date,
    today: Date,
) -> Result<MeetingTotals> {
    let measure = super::rollup::Measure::Meetings {
        tree_on,
        from,
        to,
        today,
    };
    let metrics = super::rollup::subtree(db, root, &measure).await?;
    let get = |k: &str| metrics.get(k).copied().unwrap_or(0);
    let mut t = MeetingTotals {
        present: get("present"),
        convened: get("convened"),
        speakers: get("speakers"),
        overdue_tasks: get("overdue"),
        groups: crate::domain::participation::Group::ALL
            .into_iter()
            .map(|g| {
                let f = crate::domain::participation::Figures {
                    convened: get(&format!("convened:{}", g.code())),
                    present: get(&format!("present:{}", g.code())),
                    speakers: get(&format!("speakers:{}", g.code())),
                };
                (g, f)
            })
            .collect(),
        ..Default::default()
    };
    for (key, planned) in &metrics {
        let Some(kind) = key.strip_prefix("planned:") else {
            continue;
        };
        let held = get(&format!("held:{kind}"));
        let themed = get(&format!("themed:{kind}"));
        t.planned += planned;
        t.held += held;
        if let Some(k) = crate::domain::meeting::MeetingKind::from_code(kind) {
            t.thematic_held += if k.counts_as_thematic(false) {
                held
            } else if k.counts_as_thematic(true) {
                themed
            } else {
                0
            };
        }
        t.by_kind.push((kind.to_string(), *planned, held));
    }
    Ok(t)
}

/// The cell a meeting belongs to (what authorization needs, nothing more).
pub async fn org_of_meeting(db: &Db, id: i64) -> Result<i64> {
    const SQL: &str = "SELECT org_id FROM meeting WHERE id = $1";
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

/// The cell of a task's meeting.
pub async fn org_of_task(db: &Db, id: i64) -> Result<i64> {
    const SQL: &str =
        "SELECT mt.org_id FROM task t JOIN meeting mt ON mt.id = t.meeting_id WHERE t.id = $1";
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

/// The cell of a document's meeting.
pub async fn org_of_document(db: &Db, id: i64) -> Result<i64> {
    const SQL: &str = "SELECT mt.org_id FROM meeting_document d JOIN meeting mt ON mt.id = d.meeting_id \
                       WHERE d.id = $1";
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(id)
        .fetch_one(p)
        .await)?)
}

/// Gives a member a new private calendar address (replacing the old one).
pub async fn set_calendar_feed(
    tx: &mut Tx,
    member: MemberId,
    token_hash: &str,
    now: jiff::Timestamp,
) -> Result<()> {
    const SQL: &str = "INSERT INTO calendar_feed (member_id, token_hash, created_at) VALUES ($1, $2, $3) \
        ON CONFLICT (member_id) DO UPDATE SET token_hash = excluded.token_hash, created_at = excluded.created_at";
    on_tx!(tx, |c| sqlx::query(SQL)
        .bind(member)
        .bind(token_hash)
        .bind(instant(now))
        .execute(c)
        .await
        .map(|r| r.rows_affected()))?;
    Ok(())
}

/// The member a private calendar address belongs to.
pub async fn member_of_calendar_feed(db: &Db, token_hash: &str) -> Result<Option<MemberId>> {
    const SQL: &str = "SELECT member_id FROM calendar_feed WHERE token_hash = $1";
    Ok(on_db!(db, |p| sqlx::query_scalar(SQL)
        .bind(token_hash)
        .fetch_optional(p)
        .await)?)
}
