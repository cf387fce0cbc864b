//! A handful of Bản Hon recommendations (kiến nghị) so the pages show the
//! whole way: answered and read out, answered and waiting for the next
//! meeting, overdue, just sent (docs/rules.md "Recommendations (kiến nghị)";
//! topics of the seed 004 Đức Thọ practice, places of seed 002).

use crate::domain::ids::OrgId;
use crate::domain::recommendation::{Source, Status, Topic, quarter_of};
use crate::store::{self, Tx, recommendation::NewRec, types::day};
use jiff::ToSpan;
use jiff::civil::Date;

/// What one demo recommendation goes through.
struct Demo {
    at: usize,
    topic: Topic,
    content: &'static str,
    assignee: &'static str,
    /// Days after raising; None: not assigned.
    deadline: Option<i64>,
    /// Answered this many days before the meeting `at + report_at`, or
    /// (report_at None) the day before today.
    answered: Option<(i64, Option<usize>)>,
}

const ITEMS: [Demo; 5] = [
    Demo {
        at: 0,
        topic: Topic::Land,
        content: "Đề nghị đo đạc lại ranh giới đất nương giữa bản Đông Pao và bản Thẳm",
        assignee: "UBND xã Bản Hon",
        deadline: Some(30),
        answered: Some((3, Some(1))),
    },
    Demo {
        at: 0,
        topic: Topic::LandCertificates,
        content: "Đề nghị đẩy nhanh cấp giấy chứng nhận quyền sử dụng đất cho các hộ tái định cư",
        assignee: "Văn phòng đăng ký đất đai",
        deadline: Some(45),
        answered: Some((2, Some(2))),
    },
    Demo {
        at: 1,
        topic: Topic::NewRural,
        content: "Đề nghị hỗ trợ xi măng làm đường nội bản theo chương trình nông thôn mới",
        assignee: "UBND xã Bản Hon",
        deadline: Some(40),
        answered: Some((0, None)),
    },
    Demo {
        at: 1,
        topic: Topic::SocialPolicy,
        content: "Đề nghị rà soát lại danh sách hộ cận nghèo của bản",
        assignee: "Công chức Lao động – Thương binh và Xã hội",
        deadline: Some(20),
        answered: None,
    },
    Demo {
        at: 3,
        topic: Topic::Security,
        content: "Đề nghị tăng cường tuần tra khu vực giáp ranh vào mùa thu hoạch",
        assignee: "",
        deadline: None,
        answered: None,
    },
];

/// Writes the demo recommendations of `cell`, sent to `level`; returns how
/// many. Needs four of the cell's meetings before `today`.
pub async fn seed(tx: &mut Tx, cell: OrgId, level: OrgId, today: Date) -> store::Result<usize> {
    let held: Vec<(i64, Date)> = store::recommendation::meetings_of(tx, cell)
        .await?
        .into_iter()
        .map(|(id, d)| (id, d.to_jiff()))
        .filter(|(_, d)| *d < today)
        .collect();
    let Some(recent) = held.len().checked_sub(4).and_then(|i| held.get(i..)) else {
        return Ok(0);
    };
    for it in &ITEMS {
        let (meeting, on) = recent[it.at.min(3)];
        let on = if it.at == 3 {
            on.saturating_add(2.days()).min(today)
        } else {
            on
        };
        let id = store::recommendation::insert(
            tx,
            &NewRec {
                visit: None,
                cell,
                source: if it.at == 3 {
                    Source::Cell.code()
                } else {
                    Source::Meeting.code()
                },
                meeting: (it.at != 3).then_some(meeting),
                raised_by: None,
                topic: it.topic.code(),
                content: it.content,
                raised_on: on,
                year: on.year(),
                quarter: quarter_of(on),
            },
        )
        .await?;
        let mut row = store::recommendation::get_in(tx, id).await?;
        row.status = Status::Sent.code().into();
        row.level_id = Some(level);
        row.sent_on = Some(day(on));
        if let Some(days) = it.deadline {
            row.status = Status::Assigned.code().into();
            row.assignee = it.assignee.into();
            row.deadline = Some(day(on.saturating_add(days.days())));
        }
        if let Some((before, report_at)) = it.answered {
            let (answered_on, reported) = match report_at.and_then(|k| recent.get(it.at + k)) {
                Some((m, d)) => (d.saturating_sub(before.days()), Some(*m)),
                None => (today.saturating_sub(1.days()), None),
            };
            row.status = if reported.is_some() {
                Status::Reported
            } else {
                Status::Answered
            }
            .code()
            .into();
            row.answer = "UBND xã đã giao cán bộ chuyên môn kiểm tra thực địa, làm việc với các hộ và sẽ giải quyết dứt điểm trong quý; kết quả niêm yết tại nhà văn hóa bản.".into();
            row.answered_on = Some(day(answered_on));
            row.reported_meeting_id = reported;
        }
        store::recommendation::update(tx, &row, Status::Raised.code()).await?;
    }
    Ok(ITEMS.len())
}
