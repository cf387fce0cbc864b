//! The roll-call totals of the groups counted apart
//! (migration 0010; docs/rules.md "Attendance and speaking of members without
//! a post and of new members").

use super::json_rows::Part;
use super::{Result, Tx};
use crate::domain::participation::{Figures, Group};
use crate::on_tx;

/// Replaces the group totals of a meeting (written with its roll call).
pub async fn set_groups(tx: &mut Tx, meeting: i64, groups: &[(Group, Figures)]) -> Result<()> {
    on_tx!(tx, |c| sqlx::query(
        "DELETE FROM attendance_group WHERE meeting_id = $1"
    )
    .bind(meeting)
    .execute(c)
    .await
    .map(|r| r.rows_affected()))?;
    const SQL: &str = "INSERT INTO attendance_group (meeting_id, grp, convened, present, speakers) VALUES ($1, $2, $3, $4, $5)";
    for (g, f) in groups {
        on_tx!(tx, |c| sqlx::query(SQL)
            .bind(meeting)
            .bind(g.code())
            .bind(f.convened)
            .bind(f.present)
            .bind(f.speakers)
            .execute(c)
            .await
            .map(|r| r.rows_affected()))?;
    }
    Ok(())
}

/// The group totals of one meeting, none before its roll call ($1: the
/// meeting); rows (group code, convened, present, speakers) for [`groups`].
pub(super) fn groups_part() -> Part {
    Part {
        with: String::new(),
        columns: "grp, convened, present, speakers".into(),
        from: "FROM attendance_group WHERE meeting_id = $1".into(),
        order: "grp".into(),
    }
}

/// The groups of [`groups_part`]'s rows (an unknown code is skipped).
pub fn groups(rows: Vec<(String, i64, i64, i64)>) -> Vec<(Group, Figures)> {
    rows.into_iter()
        .filter_map(|(g, convened, present, speakers)| {
            Some((
                Group::from_code(&g)?,
                Figures {
                    convened,
                    present,
                    speakers,
                },
            ))
        })
        .collect()
}
