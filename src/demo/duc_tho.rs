//! Đức Thọ district, Hà Tĩnh (seed 004; docs/rules.md "Recommendations (kiến nghị)"): the posts of the
//! people the article quotes, and the recommendations (kiến nghị) its village
//! cells sent up in the three years before the article (15/05/2017): "more
//! than 170", here 175, in every topic and every state, routed to the
//! commune or the district (docs/rules.md "Recommendations (kiến nghị)").
//!
//! Those raised at a meeting name it, and those a district cadre carried up
//! name the visit (a round of the district each quarter, with its letter and
//! report); the answers read out name the meeting that heard them. The demo's
//! year of meetings is recent, so these meetings are written for the purpose
//! (`past_meeting`).

use super::past_meeting;
use super::people::Named;
use super::rounds::{NewRoundAt, at_hour};
use super::tree::Plan;
use crate::domain::document::Quality;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::post::PostKind;
use crate::domain::recommendation::{Source, Status, Topic, quarter_of};
use crate::domain::supervision::{Procedure, Report};
use crate::service::AppError;
use crate::store::{self, Tx, recommendation::NewRec, supervision as st, types::day};
use jiff::ToSpan;
use jiff::civil::{Date, date};
use std::collections::HashMap;

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
    let source = match i % 3 {
        0 => Source::Cell,
        1 => Source::Visit,
        _ => Source::Meeting,
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

/// The district cadre who attends and carries members' concerns up: the
/// district secretary the seed quotes.
const CADRE_POSITION: &str = "Bí thư Huyện ủy";
const ROUND_PURPOSE: &str = "Dự sinh hoạt chi bộ thôn, xóm: thông tin kết quả thực hiện nhiệm vụ chính trị của huyện tháng trước, \
    kế hoạch tháng sau và thông tin từ hội nghị báo cáo viên của Tỉnh ủy; tổng hợp tâm tư, kiến nghị của đảng viên và nhân dân \
    báo cáo Ban Thường vụ Huyện ủy.";

/// Writes the 175 recommendations of Đức Thọ's village cells; `cadre` is
/// the member who visits.
pub async fn recommendations(
    tx: &mut Tx,
    plan: &Plan,
    ids: &[OrgId],
    cadre: MemberId,
) -> Result<usize, AppError> {
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
    let mut rounds: HashMap<(i16, i8), i64> = HashMap::new();
    for i in 0..RECOMMENDATIONS {
        let (topic, state, source, to_district) = shape(i);
        let (cell, commune) = cells[(i * 5) % cells.len()];
        let on = FROM.saturating_add((i as i64 * DAYS / RECOMMENDATIONS as i64).days());
        let held = match source {
            Source::Cell => None,
            Source::Meeting | Source::Visit => past_meeting::write(tx, cell, |_| on, i % 3).await?,
        };
        let visit = match (&held, source) {
            (Some(h), Source::Visit) => {
                let round = match rounds.get(&(on.year(), quarter_of(on))) {
                    Some(r) => *r,
                    None => {
                        let r = quarter_round(tx, district, on, cadre).await?;
                        rounds.insert((on.year(), quarter_of(on)), r);
                        r
                    }
                };
                Some(visit_with_report(tx, (district, round, cadre), h, content(topic)).await?)
            }
            _ => None,
        };
        let id = store::recommendation::insert(
            tx,
            &NewRec {
                visit,
                cell,
                source: source.code(),
                meeting: held.as_ref().map(|h| h.id),
                raised_by: held
                    .as_ref()
                    .filter(|_| source == Source::Meeting)
                    .and_then(|h| h.first_present),
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
        if state == Status::Reported {
            // Read out at the cell's next regular meeting after the answer.
            let answered = on.saturating_add(30.days());
            let next = |d: i8| {
                let this = answered
                    .first_of_month()
                    .saturating_add((i64::from(d) - 1).days());
                if this > answered {
                    this
                } else {
                    this.saturating_add(1.month())
                }
            };
            if let Some(h) = past_meeting::write(tx, cell, next, (i + 1) % 3).await? {
                row.reported_meeting_id = Some(h.id);
                row.reported_on = Some(day(h.on));
            }
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

/// The district's round of the quarter of `on`, with its cadre.
async fn quarter_round(
    tx: &mut Tx,
    district: OrgId,
    on: Date,
    cadre: MemberId,
) -> Result<i64, AppError> {
    let q = quarter_of(on);
    let from = date(on.year(), (q - 1) * 3 + 1, 1);
    let to = from.saturating_add(3.months()).saturating_sub(1.day());
    let name = format!("Dự sinh hoạt chi bộ thôn, xóm quý {q}/{}", on.year());
    let round = NewRoundAt {
        org: district,
        name: &name,
        purpose: ROUND_PURPOSE,
        from,
        to,
        at: at_hour(from.saturating_sub(5.days()), 8)?,
    }
    .insert(tx)
    .await?;
    st::insert_cadre(tx, round, cadre, CADRE_POSITION).await?;
    Ok(round)
}

/// The cadre's visit to `held`, with its letter and the report that names
/// what the members raised.
async fn visit_with_report(
    tx: &mut Tx,
    (district, round, cadre): (OrgId, i64, MemberId),
    held: &past_meeting::Held,
    raised: &str,
) -> Result<i64, AppError> {
    let letter_on = held.on.saturating_sub(2.days());
    let number = st::next_letter_number(tx, district, letter_on).await?;
    let visit = st::insert_visit(tx, round, cadre, held.id, number, letter_on).await?;
    let report = Report {
        on_time: true,
        started_time: Some(held.start.clone()),
        procedure: Procedure::Followed,
        present: held.tally.present,
        convened: held.tally.convened,
        quality: if held.id % 3 == 0 {
            Quality::Fair
        } else {
            Quality::Good
        },
        raised: vec![raised.to_string()],
        fixes: String::new(),
    };
    st::set_report(
        tx,
        visit,
        &report,
        at_hour(held.on.saturating_add(1.day()), 16)?,
    )
    .await?;
    Ok(visit)
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
