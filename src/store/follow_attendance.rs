//! Whether each follower attended the meetings of the node they follow
//! (migration 0014; docs/rules.md "Followers attend their cells' meetings").

use super::json_rows::{self, Part};
use super::org::subtree_cte;
use super::types::{Day, day};
use super::{Db, Result, Tx};
use crate::domain::ids::{MemberId, OrgId};
use crate::{on_db, on_tx};
use jiff::civil::Date;

/// Records (or replaces) the presence of the followers named, leaving the
/// others' rows as they were.
pub async fn set(tx: &mut Tx, meeting: i64, rows: &[(MemberId, bool)]) -> Result<()> {
    const DEL: &str = "DELETE FROM follower_attendance WHERE meeting_id = $1 AND member_id = $2";
    const INS: &str =
        "INSERT INTO follower_attendance (meeting_id, member_id, present) VALUES ($1, $2, $3)";
    for (member, present) in rows {
        on_tx!(tx, |c| sqlx::query(DEL)
            .bind(meeting)
            .bind(*member)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
        on_tx!(tx, |c| sqlx::query(INS)
            .bind(meeting)
            .bind(*member)
            .bind(*present)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// A follower's presence at one meeting, in the order of [`of_meeting_part`]'s columns.
#[derive(Debug, Clone, serde::Deserialize)]
pub struct PresenceRow {
    pub member_id: MemberId,
    #[serde(deserialize_with = "json_rows::flag::deserialize")]
    pub present: bool,
}

/// The followers' presence recorded for one meeting ($1: the meeting).
pub(super) fn of_meeting_part() -> Part {
    Part {
        with: String::new(),
        columns: "member_id, present".into(),
        from: "FROM follower_attendance WHERE meeting_id = $1".into(),
        order: "member_id".into(),
    }
}

/// A follower's record: the meetings of the followed node held since the
/// assignment began (up to the day asked for, or its end) and how many the
/// follower attended.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct FollowerRecord {
    pub follow_id: i64,
    pub org_id: OrgId,
    pub org_name: String,
    pub member_id: MemberId,
    pub full_name: String,
    pub kind: String,
    pub valid_from: Day,
    pub held: i64,
    pub attended: i64,
}

impl FollowerRecord {
    /// Share of the meetings held that the follower attended (0 when none).
    pub fn rate(&self) -> f64 {
        if self.held == 0 {
            0.0
        } else {
            self.attended as f64 / self.held as f64
        }
    }
}

/// One grouped pass: the followers (active on `$2`) of the nodes in `sub`,
/// each with their meetings held and attended.
const RECORD: &str = "SELECT f.id AS follow_id, f.org_id, \
    (SELECT v.name FROM org_version v WHERE v.org_id = f.org_id ORDER BY v.valid_from DESC LIMIT 1) AS org_name, \
    f.member_id, mb.full_name, f.kind, f.valid_from, \
    COUNT(mt.id) AS held, \
    COALESCE(SUM(CASE WHEN fa.present THEN 1 ELSE 0 END), 0) AS attended \
    FROM follower f JOIN member mb ON mb.id = f.member_id \
    LEFT JOIN meeting mt ON mt.org_id = f.org_id AND mt.status = 'held' \
        AND mt.held_on >= f.valid_from AND mt.held_on <= $2 \
        AND (f.valid_to IS NULL OR mt.held_on < f.valid_to) \
    LEFT JOIN follower_attendance fa ON fa.meeting_id = mt.id AND fa.member_id = f.member_id \
    WHERE f.org_id IN (SELECT id FROM sub) \
        AND f.valid_from <= $2 AND (f.valid_to IS NULL OR f.valid_to > $2) \
    GROUP BY f.id, f.org_id, f.member_id, mb.full_name, mb.sort_key, f.kind, f.valid_from \
    ORDER BY mb.sort_key, f.id";

/// The records of the followers of `org` itself, on `on`.
pub async fn of_org(db: &Db, org: OrgId, on: Date) -> Result<Vec<FollowerRecord>> {
    let sql = format!("{}{RECORD}", super::org::LEAF_CTE);
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(org)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}

/// The records of every follower of a node in the subtree of `root` on `on`
/// (the committee's view across its cells).
pub async fn in_subtree(db: &Db, root: OrgId, on: Date) -> Result<Vec<FollowerRecord>> {
    let sql = format!("{}{RECORD}", subtree_cte!());
    Ok(on_db!(db, |p| sqlx::query_as(&sql)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?)
}
