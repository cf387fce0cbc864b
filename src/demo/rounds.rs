//! Kim Sơn's unannounced visits (seed 003; docs/rules.md "Supervision rounds
//! and unannounced visits"): 27 district cadres and specialists, each with
//! an account, in three rounds: the first, September 2017, with its issued
//! conclusion notice (`first_round`); a past round in the first month of
//! the demo's year of meetings (`meetings::year_start`), which judges the
//! shortcomings the first notice named; and an open round whose visits are
//! to meetings not yet held, so the visited cells do not see them.

use super::meetings::year_start;
use super::people::Draft;
use super::tree::Plan;
use crate::app::VN;
use crate::domain::document::Quality;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::inspection::FollowUpStatus;
use crate::domain::member::MemberStatus;
use crate::domain::org::OrgKind;
use crate::domain::schedule::format_time;
use crate::domain::supervision::{Procedure, Report};
use crate::store::types::Day;
use crate::store::{self, Tx, supervision as st};
use crate::{on_tx, service::AppError};
use jiff::civil::{Date, Time};
use jiff::{Span, ToSpan};

/// Kim Sơn sent 27 cadres (seed 003; docs/rules.md "Supervision rounds and
/// unannounced visits").
pub const CADRES: usize = 27;
/// Cadres sent in the open round.
pub const OPEN_VISITS: usize = 6;
pub const ROUND_NAME: &str = "Dự sinh hoạt chi bộ không báo trước";
const PURPOSE: &str = "Nắm tình hình, góp ý trực tiếp về quy trình và nội dung sinh hoạt của các chi bộ trực thuộc đảng ủy xã, thị trấn; báo cáo kết quả bằng văn bản theo mẫu (Ban Thường vụ Huyện ủy Kim Sơn phân công từ tháng 9/2017).";
/// The committee whose cells the district cadres come from.
const CADRE_COMMITTEE: &str = "Đảng bộ Cơ quan Chính quyền huyện Kim Sơn";

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Rounds {
    pub cadres: usize,
    pub first_round: i64,
    /// The TB number of the first round's conclusion notice.
    pub first_notice: i64,
    pub past_round: i64,
    pub open_round: i64,
    pub reported: usize,
    pub open_visits: usize,
}

/// A cadre: draft index, member id, position.
pub struct Cadre {
    pub draft: usize,
    pub member: MemberId,
    pub position: String,
}

/// The 27 cadres: official members of the district agencies' cells (the
/// district government's and the district-level base cells of agencies),
/// taken a cell at a time so each agency sends one or two.
pub fn cadres(plan: &Plan, drafts: &[Draft], member_ids: &[MemberId]) -> Vec<Cadre> {
    let k = &plan.keys;
    let agency_cells: Vec<usize> = plan
        .cells
        .iter()
        .filter(|c| {
            let parent = plan.nodes[c.node].parent;
            let base = parent == Some(k.kim_son) && plan.nodes[c.node].kind == OrgKind::BaseCell;
            let office = parent.is_some_and(|p| plan.nodes[p].name == CADRE_COMMITTEE);
            (base || office) && c.cell_type == crate::domain::org::CellType::Agency
        })
        .map(|c| c.node)
        .collect();
    let per_cell: Vec<Vec<usize>> = agency_cells
        .iter()
        .map(|node| {
            drafts
                .iter()
                .enumerate()
                .filter(|(_, d)| d.cell == *node && d.fields.status == MemberStatus::Official)
                .map(|(i, _)| i)
                .collect()
        })
        .collect();
    let mut out = Vec::new();
    for pass in 0.. {
        if out.len() >= CADRES || pass > 10 {
            break;
        }
        for (node, members) in agency_cells.iter().zip(&per_cell) {
            let (Some(&i), true) = (members.get(pass), out.len() < CADRES) else {
                continue;
            };
            let Some(&member) = member_ids.get(i) else {
                continue;
            };
            let unit = plan.nodes[*node].name.trim_start_matches("Chi bộ ");
            out.push(Cadre {
                draft: i,
                member,
                position: format!("Chuyên viên {unit}"),
            });
        }
    }
    out
}

/// The cells the cadres visit, with their names: hamlet and township cells
/// of Kim Sơn's communes.
fn commune_cells(plan: &Plan, ids: &[OrgId]) -> Vec<(OrgId, String)> {
    let k = &plan.keys;
    plan.cells
        .iter()
        .filter(|c| {
            let parent = plan.nodes[c.node].parent;
            parent.is_some_and(|p| {
                plan.nodes[p].parent == Some(k.kim_son)
                    && (plan.nodes[p].name.starts_with("Đảng bộ xã")
                        || plan.nodes[p].name.starts_with("Đảng bộ thị trấn"))
            }) && c.place.is_some()
        })
        .filter_map(|c| Some((*ids.get(c.node)?, plan.nodes[c.node].name.clone())))
        .collect()
}

/// (id, day, start time) of a cell's meetings, by day.
async fn meetings_of(tx: &mut Tx, cell: OrgId) -> store::Result<Vec<(i64, Day, String)>> {
    const SQL: &str =
        "SELECT id, held_on, start_time FROM meeting WHERE org_id = $1 ORDER BY held_on, id";
    Ok(on_tx!(tx, |c| sqlx::query_as(SQL)
        .bind(cell)
        .fetch_all(c)
        .await)?)
}

pub(super) fn at_hour(on: Date, hour: i8) -> Result<jiff::Timestamp, AppError> {
    let z = on
        .to_datetime(Time::constant(hour, 0, 0, 0))
        .to_zoned(VN.clone())
        .map_err(|e| AppError::Internal(format!("demo: {e}")))?;
    Ok(z.timestamp())
}

/// The report of the `i`-th cadre: most on time and good; some late, some
/// with the procedure kept only in part and things to fix, some with items
/// members raised.
pub(super) fn report(i: usize, start: &str) -> Report {
    let late = i % 6 == 5;
    let partly = i % 5 == 4;
    let started_time = if late {
        crate::domain::schedule::parse_time(start)
            .map(|t| format_time(t.saturating_add(25.minutes())))
    } else {
        Some(start.to_string())
    };
    let quality = match (partly, late, i % 4) {
        (true, _, _) => Quality::Average,
        (_, true, _) | (_, _, 1) => Quality::Fair,
        _ => Quality::Good,
    };
    let mut fixes = String::new();
    if partly {
        fixes.push_str("Chưa thông qua biên bản trước khi bế mạc; nghị quyết chưa giao việc cụ thể cho đảng viên.");
    }
    if late {
        if !fixes.is_empty() {
            fixes.push(' ');
        }
        fixes.push_str(
            "Khai mạc muộn so với lịch đã đăng ký; đề nghị chi ủy đôn đốc đảng viên đến đúng giờ.",
        );
    }
    let raised = match i % 3 {
        0 => vec![
            "Đề nghị sớm nâng cấp tuyến đường trục xóm đã xuống cấp".to_string(),
            "Đề nghị hướng dẫn thủ tục cấp đổi giấy chứng nhận quyền sử dụng đất".to_string(),
        ],
        1 => vec!["Đề nghị hỗ trợ giống lúa cho vụ xuân".to_string()],
        _ => Vec::new(),
    };
    let convened = 15 + ((i * 7) % 20) as i64;
    Report {
        on_time: !late,
        started_time,
        procedure: if partly {
            Procedure::Partly
        } else {
            Procedure::Followed
        },
        present: convened - (i % 4) as i64,
        convened,
        quality,
        raised,
        fixes,
    }
}

/// Writes both rounds of `org` (Kim Sơn's committee); the cadres are given.
pub async fn seed(
    tx: &mut Tx,
    plan: &Plan,
    ids: &[OrgId],
    cadres: &[Cadre],
    today: Date,
    now: jiff::Timestamp,
) -> Result<Rounds, AppError> {
    let org = ids
        .get(plan.keys.kim_son)
        .copied()
        .ok_or(AppError::Internal("demo: no Kim Sơn".into()))?;
    let cells = commune_cells(plan, ids);
    if cells.is_empty() {
        return Err(AppError::Internal("demo: no Kim Sơn cells".into()));
    }
    let first = super::first_round::seed(tx, org, &cells, cadres, PURPOSE).await?;
    let mut out = Rounds {
        cadres: cadres.len(),
        first_round: first.round,
        first_notice: first.number,
        ..Rounds::default()
    };
    // The past round: the first month of the demo's meetings.
    let from = year_start(today);
    let to = from
        .saturating_add(Span::new().months(1))
        .saturating_sub(1.day());
    let name = format!("{ROUND_NAME} tháng {}/{}", from.month(), from.year());
    let round = NewRoundAt {
        org,
        name: &name,
        purpose: PURPOSE,
        from,
        to,
        at: at_hour(from.saturating_sub(5.days()), 8)?,
    }
    .insert(tx)
    .await?;
    out.past_round = round;
    for (i, c) in cadres.iter().enumerate() {
        st::insert_cadre(tx, round, c.member, &c.position).await?;
        let cell = cells[(i * 13) % cells.len()].0;
        let meetings = meetings_of(tx, cell).await?;
        let Some((meeting, held, start)) = meetings
            .into_iter()
            .map(|(id, d, s)| (id, d.to_jiff(), s))
            .find(|(_, d, _)| *d >= from && *d <= to && *d < today)
        else {
            continue;
        };
        let letter_on = held.saturating_sub(3.days()).max(from);
        let number = st::next_letter_number(tx, org, letter_on).await?;
        let visit = st::insert_visit(tx, round, c.member, meeting, number, letter_on).await?;
        let filed = held.saturating_add(((i % 3) as i64 + 1).days());
        st::set_report(tx, visit, &report(i, &start), at_hour(filed, 16)?).await?;
        out.reported += 1;
    }
    // It judges what the first notice asked the units to fix: most fixed,
    // the ones that never answered not.
    for (k, finding) in first.shortcomings.iter().enumerate() {
        let status = if k % 4 == 3 || k % 7 == 5 {
            FollowUpStatus::NotFixed
        } else {
            FollowUpStatus::Fixed
        };
        store::inspection::verify(tx, *finding, status.code(), round, true).await?;
    }
    // The open round: this month and the next; the visits are to meetings
    // after today, so they stay hidden from the cells.
    let from = today.first_of_month();
    let to = from
        .saturating_add(Span::new().months(2))
        .saturating_sub(1.day());
    let name = format!("{ROUND_NAME} tháng {}/{}", from.month(), from.year());
    let round = NewRoundAt {
        org,
        name: &name,
        purpose: PURPOSE,
        from,
        to,
        at: now,
    }
    .insert(tx)
    .await?;
    out.open_round = round;
    for (i, c) in cadres.iter().enumerate() {
        st::insert_cadre(tx, round, c.member, &c.position).await?;
        if i >= OPEN_VISITS {
            continue;
        }
        let cell = cells[(i * 13 + 7) % cells.len()].0;
        let meetings = meetings_of(tx, cell).await?;
        let Some((meeting, _, _)) = meetings
            .into_iter()
            .find(|(_, d, _)| d.to_jiff() > today && d.to_jiff() <= to)
        else {
            continue;
        };
        let number = st::next_letter_number(tx, org, today).await?;
        st::insert_visit(tx, round, c.member, meeting, number, today).await?;
        out.open_visits += 1;
    }
    Ok(out)
}

/// A demo round of a committee over its own subtree, planned at `at`.
pub(super) struct NewRoundAt<'a> {
    pub org: OrgId,
    pub name: &'a str,
    pub purpose: &'a str,
    pub from: Date,
    pub to: Date,
    pub at: jiff::Timestamp,
}

impl NewRoundAt<'_> {
    pub async fn insert(&self, tx: &mut Tx) -> store::Result<i64> {
        st::insert_round(
            tx,
            &st::NewRound {
                org: self.org,
                scope: self.org,
                name: self.name,
                purpose: self.purpose,
                from: self.from,
                to: self.to,
                at: self.at,
            },
        )
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reports_vary() {
        let reports: Vec<Report> = (0..CADRES).map(|i| report(i, "19:30")).collect();
        let late = reports.iter().filter(|r| !r.on_time).count();
        let partly = reports
            .iter()
            .filter(|r| r.procedure == Procedure::Partly)
            .count();
        let good = reports
            .iter()
            .filter(|r| r.quality == Quality::Good)
            .count();
        assert_eq!((late, partly), (4, 5));
        assert!(good > CADRES / 2, "most are good: {good}");
        assert!(reports.iter().filter(|r| !r.raised.is_empty()).count() >= 9);
        assert_eq!(reports[5].started_time.as_deref(), Some("19:55"));
        assert!(reports.iter().all(|r| r.present <= r.convened));
    }
}
