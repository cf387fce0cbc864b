//! Đức Thọ district, Hà Tĩnh (seed 004; docs/rules.md "Recommendations (kiến nghị)"): the posts of the
//! people the article quotes, and the recommendations (kiến nghị) its village
//! cells sent up in the three years before the article (15/05/2017): "more
//! than 170", here 175, in every topic and every state, routed to the
//! commune or the district (docs/rules.md "Recommendations (kiến nghị)").
//!
//! The demo has no meetings before its year of meetings, so those raised at
//! a meeting name no meeting, and those reported back name no meeting either.

use super::people::Named;
use super::tree::Plan;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::post::PostKind;
use crate::domain::recommendation::{Source, Status, Topic, quarter_of};
use crate::service::AppError;
use crate::store::{self, Tx, recommendation::NewRec, types::day};
use jiff::ToSpan;
use jiff::civil::{Date, date};

/// Seed 004: "more than 170 in three years".
pub const RECOMMENDATIONS: usize = 175;
/// The three years before the article of 15/05/2017.
pub const FROM: Date = date(2014, 5, 15);
const DAYS: i64 = 1096;

/// Most were answered and read out; every state occurs in every topic.
const STATES: [Status; 10] = [
    Status::Reported,
    Status::Reported,
    Status::Answered,
    Status::Reported,
    Status::Closed,
    Status::Assigned,
    Status::Reported,
    Status::Sent,
    Status::Raised,
    Status::Reported,
];

fn content(t: Topic) -> &'static str {
    match t {
        Topic::Land => "Đề nghị xử lý việc lấn chiếm đất công ven đường liên thôn",
        Topic::SiteClearance => {
            "Đề nghị công khai phương án bồi thường giải phóng mặt bằng dự án đường tránh"
        }
        Topic::SandMining => "Đề nghị ngăn chặn khai thác cát trái phép trên sông La đoạn qua thôn",
        Topic::LandCertificates => {
            "Đề nghị đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất cho các hộ đã đủ hồ sơ"
        }
        Topic::NewRural => {
            "Đề nghị hỗ trợ xi măng làm đường giao thông nội đồng theo tiêu chí nông thôn mới"
        }
        Topic::SocialPolicy => {
            "Đề nghị rà soát, bổ sung hộ cận nghèo và người có công vào diện hỗ trợ"
        }
        Topic::Security => "Đề nghị tăng cường tuần tra an ninh trật tự khu vực bến bãi ven sông",
        Topic::Other => "Đề nghị sửa chữa nhà văn hóa thôn trước mùa mưa bão",
    }
}

/// The `i`-th recommendation: topic, state, source, whether it goes to the
/// district (else the commune).
pub fn shape(i: usize) -> (Topic, Status, Source, bool) {
    let topic = Topic::ALL[i % Topic::ALL.len()];
    let state = STATES[(i / Topic::ALL.len()) % STATES.len()];
    let source = if i.is_multiple_of(3) {
        Source::Cell
    } else {
        Source::Meeting
    };
    (topic, state, source, i % 5 < 2)
}

/// Posts of the people seed 004 quotes, from the article's date; the
/// district secretary's ends with the district (1 July 2025).
pub async fn posts(
    tx: &mut Tx,
    plan: &Plan,
    ids: &[OrgId],
    member_ids: &[MemberId],
    named: &Named,
) -> Result<usize, AppError> {
    let k = &plan.keys;
    let node = |i: usize| super::node_id(ids, i);
    let member = |i: usize| {
        member_ids
            .get(i)
            .copied()
            .ok_or(AppError::Internal("demo: unknown member".into()))
    };
    let [yen, ham, tam] = named.duc_tho;
    let from = date(2017, 5, 15);
    let posts = [
        (
            node(k.hoa_ich_lam)?,
            member(yen)?,
            PostKind::CellDeputy,
            None,
        ),
        (
            node(k.duc_tho)?,
            member(ham)?,
            PostKind::Secretary,
            Some(super::REFORM_DATE),
        ),
        (node(k.tung_anh)?, member(tam)?, PostKind::Deputy, None),
    ];
    for (org, member, kind, to) in posts {
        let post = store::post::NewPost {
            org,
            member,
            kind,
            from,
            to,
            decision: "",
        };
        store::post::insert(tx, &post).await?;
    }
    Ok(posts.len())
}

/// Writes the 175 recommendations of Đức Thọ's village cells.
pub async fn recommendations(tx: &mut Tx, plan: &Plan, ids: &[OrgId]) -> Result<usize, AppError> {
    let k = &plan.keys;
    let district = super::node_id(ids, k.duc_tho)?;
    // Village cells with their commune.
    let cells: Vec<(OrgId, OrgId)> = plan
        .cells
        .iter()
        .filter(|c| c.place.is_some() && c.cell_type == crate::domain::org::CellType::Rural)
        .filter_map(|c| {
            let commune = plan.nodes[c.node].parent?;
            (plan.nodes[commune].parent == Some(k.duc_tho))
                .then(|| Some((*ids.get(c.node)?, *ids.get(commune)?)))
                .flatten()
        })
        .collect();
    if cells.is_empty() {
        return Err(AppError::Internal("demo: no Đức Thọ cells".into()));
    }
    for i in 0..RECOMMENDATIONS {
        let (topic, state, source, to_district) = shape(i);
        let (cell, commune) = cells[(i * 5) % cells.len()];
        let on = FROM.saturating_add((i as i64 * DAYS / RECOMMENDATIONS as i64).days());
        let id = store::recommendation::insert(
            tx,
            &NewRec {
                visit: None,
                cell,
                source: source.code(),
                meeting: None,
                raised_by: None,
                topic: topic.code(),
                content: content(topic),
                raised_on: on,
                year: on.year(),
                quarter: quarter_of(on),
            },
        )
        .await?;
        if state == Status::Raised {
            continue;
        }
        let mut row = store::recommendation::get_in(tx, id).await?;
        row.status = state.code().into();
        row.level_id = Some(if to_district { district } else { commune });
        row.sent_on = Some(day(on.saturating_add(3.days())));
        if matches!(
            state,
            Status::Assigned | Status::Answered | Status::Reported
        ) {
            row.assignee = if to_district {
                "Phòng Tài nguyên và Môi trường huyện Đức Thọ"
            } else {
                "UBND xã"
            }
            .into();
            row.deadline = Some(day(on.saturating_add(45.days())));
        }
        if matches!(state, Status::Answered | Status::Reported) {
            row.answer = "Đã kiểm tra thực địa, giao bộ phận chuyên môn giải quyết; kết quả thông báo tại kỳ sinh hoạt chi bộ tháng sau.".into();
            row.answered_on = Some(day(on.saturating_add(30.days())));
        }
        if state == Status::Closed {
            row.closed_reason =
                "Không thuộc thẩm quyền cấp huyện; đã hướng dẫn công dân gửi đến cơ quan có thẩm quyền."
                    .into();
        }
        store::recommendation::update(tx, &row, Status::Raised.code()).await?;
    }
    Ok(RECOMMENDATIONS)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    /// Seed 004: every topic in every state (issue 11, point 8).
    #[test]
    fn every_topic_in_every_state() {
        let pairs: HashSet<(&str, &str)> = (0..RECOMMENDATIONS)
            .map(|i| {
                let (t, s, _, _) = shape(i);
                (t.code(), s.code())
            })
            .collect();
        assert_eq!(pairs.len(), Topic::ALL.len() * 6);
        let last = FROM.saturating_add(((RECOMMENDATIONS as i64 - 1) * DAYS / 175).days());
        assert!(last < date(2017, 5, 15), "{last}");
    }
}
