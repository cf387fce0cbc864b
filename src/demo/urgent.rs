//! Kim Sơn's urgent issues of 2018: its 76 base organizations registered 127
//! (seed 003; docs/rules.md "Urgent issues (việc cấp bách)"), with quarterly
//! progress and the district's year-end assessment. Deterministic.

use super::tree::Plan;
use crate::domain::ids::OrgId;
use crate::domain::urgent::{Assessment, Progress};
use crate::store::{self, Tx, urgent::NewIssue, urgent::NewReport};
use jiff::civil::date;

/// Seed 003: 127 issues across the 76 base organizations.
pub const ISSUES: usize = 127;
const YEAR: i16 = 2018;

/// Topics Kim Sơn's breakthrough themes name (seed 003): environment, food
/// safety, agricultural restructuring, new rural areas, and dialogue.
const TOPICS: [(&str, &str, &str); 6] = [
    (
        "Môi trường",
        "Thu gom, xử lý rác thải sinh hoạt ở các xóm",
        "100% xóm có tổ thu gom và điểm tập kết rác",
    ),
    (
        "An toàn thực phẩm",
        "Kiểm soát an toàn thực phẩm tại chợ và cơ sở chế biến",
        "Không để xảy ra ngộ độc thực phẩm",
    ),
    (
        "Tái cơ cấu nông nghiệp",
        "Chuyển đổi diện tích lúa kém hiệu quả sang nuôi trồng thủy sản",
        "Chuyển đổi xong diện tích đã đăng ký",
    ),
    (
        "Nông thôn mới",
        "Hoàn thành tiêu chí giao thông nông thôn mới",
        "Bê tông hóa đường trục xóm còn lại",
    ),
    (
        "Dân chủ ở cơ sở",
        "Đối thoại với nhân dân về giải phóng mặt bằng",
        "Giải quyết dứt điểm đơn thư tồn đọng",
    ),
    (
        "Công tác xây dựng Đảng",
        "Nâng cao chất lượng sinh hoạt chi bộ",
        "100% chi bộ sinh hoạt đúng kỳ, có chuyên đề hằng quý",
    ),
];

/// What was done, by quarter.
const STEPS: [(i32, Progress, Option<i32>, &str); 4] = [
    (
        3,
        Progress::InProgress,
        Some(25),
        "Xây dựng kế hoạch, phân công cấp ủy viên phụ trách",
    ),
    (
        6,
        Progress::InProgress,
        Some(50),
        "Triển khai đến các chi bộ, tuyên truyền trong nhân dân",
    ),
    (
        9,
        Progress::InProgress,
        Some(80),
        "Cơ bản hoàn thành phần việc chính",
    ),
    (
        12,
        Progress::Done,
        Some(100),
        "Hoàn thành, sơ kết rút kinh nghiệm",
    ),
];

pub struct Seeded {
    pub orgs: usize,
    pub issues: usize,
    pub reports: usize,
    pub assessed: usize,
}

/// Writes the issues of Kim Sơn's base organizations (`ids` indexed as
/// `plan.nodes`), assessed by the district committee.
pub async fn seed(tx: &mut Tx, plan: &Plan, ids: &[OrgId]) -> store::Result<Seeded> {
    let kim_son = plan.keys.kim_son;
    let under = |mut i: usize| loop {
        match plan.nodes.get(i).and_then(|n| n.parent) {
            Some(p) if p == kim_son => return true,
            Some(p) => i = p,
            None => return false,
        }
    };
    let base: Vec<OrgId> = (0..plan.nodes.len())
        .filter(|&i| plan.nodes[i].kind.is_base_org() && under(i))
        .filter_map(|i| ids.get(i).copied())
        .collect();
    let (Some(&district), false) = (ids.get(kim_son), base.is_empty()) else {
        return Ok(Seeded {
            orgs: 0,
            issues: 0,
            reports: 0,
            assessed: 0,
        });
    };
    let mut s = Seeded {
        orgs: base.len(),
        issues: 0,
        reports: 0,
        assessed: 0,
    };
    // Each organization registers one issue, the first ones a second,
    // until there are 127.
    let twice = ISSUES.saturating_sub(base.len());
    for n in 0..ISSUES {
        let (org, k) = match n.checked_sub(base.len()) {
            None => (base[n], n),
            Some(m) if m < twice => (base[m % base.len()], n),
            Some(_) => break,
        };
        let (field, title, target) = TOPICS[k % TOPICS.len()];
        let id = store::urgent::insert(
            tx,
            &NewIssue {
                org,
                year: i32::from(YEAR),
                title,
                field,
                target,
                deadline: Some(date(YEAR, 12, 31)),
                on: date(YEAR, 1, 15),
            },
        )
        .await?;
        s.issues += 1;
        // Some report every quarter, some stop half-way, a few never start.
        let quarters = match k % 5 {
            0..=2 => 4,
            3 => 2,
            _ => 0,
        };
        for (month, status, percent, body) in STEPS.iter().take(quarters) {
            store::urgent::report(
                tx,
                &NewReport {
                    issue: id,
                    month: *month,
                    body,
                    status: status.code(),
                    percent: *percent,
                    on: date(YEAR, i8::try_from(*month).unwrap_or(12), 28),
                },
            )
            .await?;
            s.reports += 1;
        }
        // The district assesses at year end: done well, done, not done.
        let (grade, comment) = match quarters {
            4 if k % 3 == 0 => (
                Assessment::Good,
                "Hoàn thành trước thời hạn, cách làm sáng tạo",
            ),
            4 => (Assessment::Done, ""),
            _ => (
                Assessment::NotDone,
                "Triển khai chậm, chưa đạt kết quả đăng ký",
            ),
        };
        store::urgent::assess(
            tx,
            id,
            (grade.code(), comment),
            district,
            date(YEAR + 1, 1, 10),
        )
        .await?;
        s.assessed += 1;
    }
    Ok(s)
}
