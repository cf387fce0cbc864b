//! The direct counts behind the rollups, one statement a measure: each scope
//! (`rollup::Scope`) is counted by one `UNION ALL` of its parts, so a cell
//! after a write costs one statement a measure instead of two and six
//! (issue 14 point 3: no page of a cell above ten), and a commune recounted
//! during the evening of a month one round trip instead of eight.
//!
//! Every part returns the same columns: the node, the part's name, a month
//! (0 when the part has none), two text keys and six counts. Parameters: `$1`
//! the scope's node, `$2` the tree date (both bound by the scope's CTE), `$3`
//! and `$4` the period, `$5`…`$15` the month bounds, `$16` the year, `$17`
//! today.

use super::org::valid_on;
use super::rollup_months::{meeting_key, month_bounds, month_case};
use super::types::day;
use super::{Db, Result};
use crate::domain::dashboard::sections::{class_key, quality_key, rec_status_key, rec_topic_key};
use crate::domain::ids::OrgId;
use crate::on_db;
use jiff::civil::Date;

/// (node, metric, count) rows of a direct count.
pub type Counted = Vec<(i64, String, i64)>;

/// The nodes a count covers: the `sub(id)` CTE, the `holder(id, h)` CTE the
/// meetings are grouped by, and whether the statement's text is one of a few
/// (kept prepared) or names its nodes (a commune's written cells: kept, each
/// would push a page's statements out of the connection's cache).
#[derive(Clone, Copy)]
pub struct Over<'a> {
    pub cte: &'a str,
    pub holder: &'a str,
    pub cached: bool,
}

/// Nodes by kind and cell type, and members at home by status and religion,
/// as they were on `on` (from the histories).
pub async fn org(db: &Db, over: Over<'_>, root: OrgId, on: Date) -> Result<Counted> {
    let cte = over.cte;
    // CROSS JOIN keeps SQLite walking from the subtree into the placements
    // (its planner otherwise scans every placement).
    let sql = format!(
        "{cte}SELECT sub.id, 'node', v.kind, COALESCE(v.cell_type, ''), CAST(1 AS BIGINT) \
         FROM sub CROSS JOIN org_version v WHERE v.org_id = sub.id AND {} \
         UNION ALL \
         SELECT sub.id, 'member', s.status, CASE WHEN m.religion <> '' THEN '1' ELSE '0' END, COUNT(*) \
         FROM sub CROSS JOIN member_placement p \
         JOIN member_status s ON s.member_id = p.member_id AND {} \
         JOIN member m ON m.id = p.member_id \
         WHERE p.org_id = sub.id AND p.kind = 'home' AND {} \
         GROUP BY 1, 3, 4",
        valid_on!("v", "$2"),
        valid_on!("s", "$2"),
        valid_on!("p", "$2")
    );
    let rows: Vec<(i64, String, String, String, i64)> = on_db!(db, |p| sqlx::query_as(&sql)
        .persistent(over.cached)
        .bind(root)
        .bind(day(on))
        .fetch_all(p)
        .await)?;
    Ok(rows
        .into_iter()
        .map(|(id, part, a, b, n)| (id, format!("{part}:{a}:{b}"), n))
        .collect())
}

/// What a meeting figure row carries: node, part, month, two keys, six counts.
type Row = (
    i64,
    String,
    i32,
    String,
    String,
    i64,
    i64,
    i64,
    i64,
    i64,
    i64,
);

/// The period's meetings by kind and month with their roll-call totals
/// (under the node `holder(id, h)` gives: see `rollup_months::HOLDER_CTE`), the recommendations
/// raised by month, status and topic, the quality levels by month, the
/// year's classification records, open tasks past their deadline on
/// `today`, and the groups counted apart (migration 0010).
pub async fn meetings(
    db: &Db,
    over: Over<'_>,
    root: OrgId,
    (tree_on, from, to, today): (Date, Date, Date, Date),
) -> Result<Counted> {
    let sql = format!(
        "{cte}{holder}\
         SELECT holder.h, 'meet', {held_month}, m.kind, '', COUNT(*), \
         SUM(CASE WHEN m.status = 'held' THEN 1 ELSE 0 END), \
         SUM(CASE WHEN m.status = 'held' THEN m.present_count ELSE 0 END), \
         SUM(CASE WHEN m.status = 'held' THEN m.convened_count ELSE 0 END), \
         SUM(CASE WHEN m.status = 'held' THEN m.speaker_count ELSE 0 END), \
         SUM(CASE WHEN m.status = 'held' AND m.topic <> '' THEN 1 ELSE 0 END) \
         FROM holder CROSS JOIN meeting m \
         WHERE m.org_id = holder.id AND m.held_on >= $3 AND m.held_on <= $4 AND m.status <> 'cancelled' \
         GROUP BY 1, 3, 4 \
         UNION ALL \
         SELECT sub.id, 'rec', {raised_month}, r.status, r.topic, COUNT(*), 0, 0, 0, 0, 0 \
         FROM sub CROSS JOIN recommendation r \
         WHERE r.cell_id = sub.id AND r.raised_on >= $3 AND r.raised_on <= $4 \
         GROUP BY 1, 3, 4, 5 \
         UNION ALL \
         SELECT sub.id, 'quality', {held_month}, COALESCE(r.level, s.level), '', COUNT(*), 0, 0, 0, 0, 0 \
         FROM sub CROSS JOIN meeting m \
         JOIN meeting_assessment s ON s.meeting_id = m.id AND s.stage = 'self' \
         LEFT JOIN meeting_assessment r ON r.meeting_id = m.id AND r.stage = 'review' \
         WHERE m.org_id = sub.id AND m.held_on >= $3 AND m.held_on <= $4 AND m.status = 'held' \
         GROUP BY 1, 3, 4 \
         UNION ALL \
         SELECT sub.id, 'class', 0, c.subject_kind, COALESCE(c.final_grade, 'pending'), COUNT(*), 0, 0, 0, 0, 0 \
         FROM sub CROSS JOIN classification c WHERE c.org_id = sub.id AND c.year = $16 \
         GROUP BY 1, 4, 5 \
         UNION ALL \
         SELECT sub.id, 'overdue', 0, '', '', COUNT(*), 0, 0, 0, 0, 0 \
         FROM sub CROSS JOIN meeting m JOIN task t ON t.meeting_id = m.id \
         WHERE m.org_id = sub.id AND m.held_on >= $3 AND m.held_on <= $4 \
         AND t.status = 'open' AND t.deadline < $17 GROUP BY 1 \
         UNION ALL \
         SELECT sub.id, 'group', 0, g.grp, '', CAST(SUM(g.convened) AS BIGINT), \
         CAST(SUM(g.present) AS BIGINT), CAST(SUM(g.speakers) AS BIGINT), 0, 0, 0 \
         FROM sub CROSS JOIN meeting m JOIN attendance_group g ON g.meeting_id = m.id \
         WHERE m.org_id = sub.id AND m.held_on >= $3 AND m.held_on <= $4 AND m.status = 'held' \
         GROUP BY 1, 4",
        cte = over.cte,
        holder = over.holder,
        held_month = month_case("m.held_on"),
        raised_month = month_case("r.raised_on"),
    );
    let rows: Vec<Row> = on_db!(db, |p| {
        let mut q = sqlx::query_as(&sql)
            .persistent(over.cached)
            .bind(root)
            .bind(day(tree_on))
            .bind(day(from))
            .bind(day(to));
        for b in month_bounds(from) {
            q = q.bind(b);
        }
        q.bind(i32::from(from.year()))
            .bind(day(today))
            .fetch_all(p)
            .await
    })?;
    let mut out = Counted::with_capacity(rows.len() * 4);
    for row in rows {
        metrics_of(row, &mut out);
    }
    Ok(out)
}

/// The metrics one row of [`meetings`] adds to.
fn metrics_of(row: Row, out: &mut Counted) {
    let (id, part, mon, a, b, n1, n2, n3, n4, n5, n6) = row;
    let mon = mon.clamp(1, 12) as i8;
    let mut put = |key: String, n: i64| out.push((id, key, n));
    match part.as_str() {
        "meet" => {
            for (what, n) in [
                (format!("planned:{a}"), n1),
                (format!("held:{a}"), n2),
                (format!("themed:{a}"), n6),
                ("present".to_string(), n3),
                ("convened".to_string(), n4),
                ("speakers".to_string(), n5),
            ] {
                put(meeting_key(i64::from(mon), &what), n);
                put(what, n);
            }
        }
        "rec" => {
            put(rec_status_key(mon, &a), n1);
            put(rec_topic_key(mon, &b), n1);
        }
        "quality" => put(quality_key(mon, &a), n1),
        "class" => put(class_key(&a, &b), n1),
        "overdue" => put("overdue".into(), n1),
        "group" => {
            put(format!("convened:{a}"), n1);
            put(format!("present:{a}"), n2);
            put(format!("speakers:{a}"), n3);
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(part: &str, mon: i32, a: &str, b: &str, n: [i64; 6]) -> Counted {
        let mut out = Counted::new();
        metrics_of(
            (
                7,
                part.into(),
                mon,
                a.into(),
                b.into(),
                n[0],
                n[1],
                n[2],
                n[3],
                n[4],
                n[5],
            ),
            &mut out,
        );
        out
    }

    fn keys(c: &Counted) -> Vec<(&str, i64)> {
        c.iter().map(|(_, k, n)| (k.as_str(), *n)).collect()
    }

    #[test]
    fn a_meeting_row_counts_for_its_month_and_its_year() {
        let c = row("meet", 3, "regular", "", [4, 3, 30, 36, 9, 1]);
        assert!(c.iter().all(|(id, _, _)| *id == 7));
        assert_eq!(
            keys(&c),
            [
                ("mon:03:planned:regular", 4),
                ("planned:regular", 4),
                ("mon:03:held:regular", 3),
                ("held:regular", 3),
                ("mon:03:themed:regular", 1),
                ("themed:regular", 1),
                ("mon:03:present", 30),
                ("present", 30),
                ("mon:03:convened", 36),
                ("convened", 36),
                ("mon:03:speakers", 9),
                ("speakers", 9),
            ]
        );
    }

    #[test]
    fn the_other_parts_name_their_metrics() {
        let rec = row("rec", 2, "open", "economy", [5, 0, 0, 0, 0, 0]);
        assert_eq!(
            keys(&rec),
            [
                (rec_status_key(2, "open").as_str(), 5),
                (rec_topic_key(2, "economy").as_str(), 5)
            ]
        );
        let q = row("quality", 11, "good", "", [2, 0, 0, 0, 0, 0]);
        assert_eq!(keys(&q), [(quality_key(11, "good").as_str(), 2)]);
        let class = row("class", 0, "member", "pending", [6, 0, 0, 0, 0, 0]);
        assert_eq!(keys(&class), [(class_key("member", "pending").as_str(), 6)]);
        assert_eq!(
            keys(&row("overdue", 0, "", "", [8, 0, 0, 0, 0, 0])),
            [("overdue", 8)]
        );
        assert_eq!(
            keys(&row("group", 0, "new", "", [10, 9, 4, 0, 0, 0])),
            [
                ("convened:new", 10),
                ("present:new", 9),
                ("speakers:new", 4)
            ]
        );
        assert!(row("unknown", 0, "", "", [1, 0, 0, 0, 0, 0]).is_empty());
    }
}
