//! The six-monthly inspections of one base committee of the Hòa Bình bloc
//! (seed 001; docs/rules.md "Inspections every six months"): the two last
//! complete half-years, with strengths and shortcomings in its cells; two of
//! the earlier shortcomings answered by their cells and judged by the later
//! inspection (one fixed, one not), one left open past its deadline.

use super::tree::Plan;
use crate::domain::ids::OrgId;
use crate::domain::inspection::{FindingKind, FollowUpStatus, HalfYear};
use crate::store::{self, Tx, inspection::NewFinding};
use jiff::ToSpan;
use jiff::civil::{Date, date};

/// The base committee inspected: the first of the Hòa Bình bloc's agency
/// committees (seed 001; docs/rules.md "Inspections every six months").
pub const COMMITTEE: &str = "Đảng bộ Sở Y tế";

#[derive(Debug, Clone, Copy, Default, serde::Serialize)]
pub struct Inspected {
    pub committee: i64,
    pub inspections: usize,
    pub findings: usize,
    pub judged: usize,
}

fn previous(h: HalfYear) -> HalfYear {
    if h.half == 2 {
        HalfYear {
            year: h.year,
            half: 1,
        }
    } else {
        HalfYear {
            year: h.year - 1,
            half: 2,
        }
    }
}

/// The day an inspection of `h` is recorded: ten days after the half ends.
fn recorded_on(h: HalfYear) -> Date {
    let end = if h.half == 1 {
        date(h.year, 6, 30)
    } else {
        date(h.year, 12, 31)
    };
    end.saturating_add(10.days())
}

const STRENGTHS: [&str; 3] = [
    "Sinh hoạt đúng kỳ, đúng ngày đã đăng ký; biên bản ghi đầy đủ ý kiến thảo luận",
    "Nội dung sinh hoạt gắn với nhiệm vụ chuyên môn của đơn vị; đảng viên phát biểu sôi nổi",
    "Tỷ lệ đảng viên dự sinh hoạt cao, vắng mặt đều có lý do",
];

const SHORTCOMINGS: [&str; 3] = [
    "Chưa sinh hoạt chuyên đề theo quy định (ít nhất mỗi quý một lần)",
    "Nghị quyết tháng chưa giao việc cụ thể cho từng đảng viên, chưa kiểm điểm việc thực hiện",
    "Biên bản chưa ghi số đảng viên vắng mặt và lý do vắng",
];

/// Writes the inspections; `today` decides which half-years are complete.
pub async fn seed(
    tx: &mut Tx,
    plan: &Plan,
    ids: &[OrgId],
    today: Date,
) -> store::Result<Inspected> {
    let id = |i: usize| ids.get(i).copied().ok_or(store::StoreError::NotFound);
    let Some(committee) = plan
        .nodes
        .iter()
        .position(|n| n.name == COMMITTEE && n.parent == Some(plan.keys.bloc))
    else {
        return Err(store::StoreError::NotFound);
    };
    let cells: Vec<OrgId> = plan
        .cells
        .iter()
        .filter(|c| plan.nodes[c.node].parent == Some(committee))
        .map(|c| id(c.node))
        .collect::<store::Result<_>>()?;
    let org = id(committee)?;
    let later = previous(HalfYear::of(today));
    let earlier = previous(later);
    let mut out = Inspected {
        committee: org.0,
        ..Inspected::default()
    };
    let mut first_shortcomings = Vec::new();
    let mut later_id = 0;
    for (round, h) in [earlier, later].into_iter().enumerate() {
        let on = recorded_on(h);
        let title = format!("Kiểm tra sinh hoạt chi bộ {}", h.label());
        let inspection =
            store::inspection::insert(tx, org, (h.year.into(), h.half.into()), &title, on).await?;
        out.inspections += 1;
        later_id = inspection;
        for (i, cell) in cells.iter().enumerate() {
            let strength = STRENGTHS[(i + round) % STRENGTHS.len()];
            let f = NewFinding {
                inspection,
                from_round: false,
                cell: *cell,
                kind: FindingKind::Strength.code(),
                body: strength,
                deadline: None,
                status: FollowUpStatus::Noted.code(),
            };
            store::inspection::insert_finding(tx, &f).await?;
            out.findings += 1;
            // Every other cell has a shortcoming to fix within three months.
            if (i + round) % 2 == 0 {
                let f = NewFinding {
                    inspection,
                    from_round: false,
                    cell: *cell,
                    kind: FindingKind::Shortcoming.code(),
                    body: SHORTCOMINGS[(i / 2 + round) % SHORTCOMINGS.len()],
                    deadline: Some(on.saturating_add(3.months())),
                    status: FollowUpStatus::Open.code(),
                };
                let fid = store::inspection::insert_finding(tx, &f).await?;
                out.findings += 1;
                if round == 0 {
                    first_shortcomings.push((fid, on));
                }
            }
        }
    }
    // The cells answer two of the earlier shortcomings; the later inspection
    // finds the first fixed and the second not; a third stays open.
    let verdicts = [FollowUpStatus::Fixed, FollowUpStatus::NotFixed];
    for ((fid, on), verdict) in first_shortcomings.iter().zip(verdicts) {
        let answer = "Chi bộ đã họp rút kinh nghiệm, phân công đồng chí phó bí thư theo dõi và bổ sung vào chương trình sinh hoạt các tháng tiếp theo.";
        store::inspection::answer(tx, *fid, answer, on.saturating_add(2.months())).await?;
        store::inspection::verify(tx, *fid, verdict.code(), later_id, false).await?;
        out.judged += 1;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn halves_before_today() {
        let h = HalfYear::of(date(2026, 11, 23));
        assert_eq!(previous(h).code(), "2026-H1");
        assert_eq!(previous(previous(h)).code(), "2025-H2");
        assert_eq!(recorded_on(previous(h)), date(2026, 7, 10));
        assert_eq!(recorded_on(previous(previous(h))), date(2026, 1, 10));
    }
}
