//! The rubrics chibo ships as examples (the demo and the tests use them):
//! both are local examples, not official sheets (docs/rules.md "Local
//! rubric example" and "Kim Sơn monthly scoring").

use super::{Band, Choice, Condition, Criterion, Definition, Direction, Group, Kind, Metric, Step};

/// Shown beside every example rubric.
pub const LOCAL_EXAMPLE_NOTE: &str =
    "Ví dụ của một địa phương, không phải mẫu chính thức của Trung ương.";

fn yes(key: &str, title: &str, max: f64) -> Criterion {
    Criterion {
        key: key.into(),
        title: title.into(),
        max,
        kind: Kind::YesNo {
            metric: None,
            at_least: 0.0,
        },
        only_if: None,
    }
}

fn auto_yes(key: &str, title: &str, max: f64, metric: Metric, at_least: f64) -> Criterion {
    Criterion {
        kind: Kind::YesNo {
            metric: Some(metric),
            at_least,
        },
        ..yes(key, title, max)
    }
}

fn band(
    key: &str,
    title: &str,
    max: f64,
    metric: Metric,
    direction: Direction,
    steps: &[(f64, f64)],
) -> Criterion {
    Criterion {
        kind: Kind::Band {
            metric,
            direction,
            steps: steps
                .iter()
                .map(|&(threshold, points)| Step { threshold, points })
                .collect(),
        },
        ..yes(key, title, max)
    }
}

fn pick(key: &str, title: &str, max: f64, choices: &[(&str, f64)]) -> Criterion {
    Criterion {
        kind: Kind::Pick {
            choices: choices
                .iter()
                .map(|&(label, points)| Choice {
                    label: label.into(),
                    points,
                })
                .collect(),
        },
        ..yes(key, title, max)
    }
}

fn group(title: &str, max: f64, criteria: Vec<Criterion>) -> Group {
    Group {
        title: title.into(),
        max,
        criteria,
    }
}

fn bands(levels: &[(&str, &str, f64)]) -> Vec<Band> {
    levels
        .iter()
        .map(|&(code, label, min)| Band {
            code: code.into(),
            label: label.into(),
            min,
        })
        .collect()
}

/// The four levels of Hướng dẫn 12-HD/BTCTW with the local sheet's bands:
/// Tốt ≥ 90, Khá 70–<90, Trung bình 50–<70, Kém < 50.
pub fn meeting_bands() -> Vec<Band> {
    bands(&[
        ("good", "Tốt", 90.0),
        ("fair", "Khá", 70.0),
        ("average", "Trung bình", 50.0),
        ("weak", "Kém", 0.0),
    ])
}

/// A ward party committee's 100-point meeting sheet in 8 groups, after
/// 42-HD/BTCTW (docs/rules.md "Local rubric example"). The 120-minute
/// duration its authors ask of cells of 30 members or more is not modelled.
pub fn local_meeting() -> Definition {
    use Direction::AtLeast;
    let mut thematic = yes(
        "thematic",
        "Nội dung chuyên đề (chỉ tháng có sinh hoạt chuyên đề)",
        5.0,
    );
    thematic.only_if = Some(Condition::ThematicMonth);
    Definition {
        total: 100.0,
        groups: vec![
            group(
                "Thời gian sinh hoạt",
                5.0,
                vec![band(
                    "duration",
                    "Sinh hoạt từ 90 phút trở lên",
                    5.0,
                    Metric::DurationMinutes,
                    AtLeast,
                    &[(90.0, 5.0)],
                )],
            ),
            group(
                "Tỷ lệ đảng viên dự sinh hoạt",
                5.0,
                vec![
                    band(
                        "attendance",
                        "Tỷ lệ dự: ≥90% 4 điểm, 75–<90% 3, 65–<75% 2, thấp hơn 1",
                        4.0,
                        Metric::AttendancePercent,
                        AtLeast,
                        &[(90.0, 4.0), (75.0, 3.0), (65.0, 2.0), (0.0, 1.0)],
                    ),
                    yes(
                        "attendance_streak",
                        "Không đảng viên nào vắng có lý do quá 3 lần liên tiếp",
                        1.0,
                    ),
                ],
            ),
            group(
                "Công tác chuẩn bị",
                10.0,
                vec![
                    yes("prep_content", "Chuẩn bị nội dung sinh hoạt", 3.0),
                    yes("prep_draft", "Dự thảo kết luận, nghị quyết", 2.0),
                    yes("prep_committee", "Chi ủy họp trước, có biên bản", 2.0),
                    yes(
                        "prep_notice",
                        "Thông báo đảng viên và cấp ủy viên phụ trách",
                        1.0,
                    ),
                    auto_yes(
                        "prep_docs",
                        "Tài liệu đăng trên ứng dụng trước ít nhất 1 ngày",
                        2.0,
                        Metric::DocsDayAhead,
                        100.0,
                    ),
                ],
            ),
            group(
                "Tổ chức sinh hoạt",
                30.0,
                vec![
                    yes("procedure", "Thực hiện đủ quy trình sinh hoạt", 5.0),
                    yes("regular", "Nội dung sinh hoạt thường kỳ", 10.0),
                    thematic,
                    yes("praise", "Biểu dương, nhắc nhở đảng viên", 2.0),
                    band(
                        "speakers",
                        "Tỷ lệ phát biểu: ≥50% 5 điểm, 40–50% 4, 30–40% 3, thấp hơn 2",
                        5.0,
                        Metric::SpeakerPercent,
                        AtLeast,
                        &[(50.0, 5.0), (40.0, 4.0), (30.0, 3.0), (0.0, 2.0)],
                    ),
                    yes("minutes_book", "Sổ biên bản ghi đầy đủ", 1.0),
                    yes(
                        "ideology",
                        "15–30 phút tư tưởng, tự phê bình và phê bình",
                        1.0,
                    ),
                    yes("docs_on_app", "Tài liệu sinh hoạt trên ứng dụng", 1.0),
                ],
            ),
            group(
                "Điều hành của chủ trì",
                10.0,
                vec![pick(
                    "chair",
                    "Chủ trì điều hành",
                    10.0,
                    &[("Tốt", 10.0), ("Khá", 8.0), ("Đạt", 6.0), ("Chưa đạt", 3.0)],
                )],
            ),
            group(
                "Nguyên tắc sinh hoạt đảng",
                5.0,
                vec![yes(
                    "principles",
                    "Bảo đảm nguyên tắc tập trung dân chủ, tự phê bình và phê bình",
                    5.0,
                )],
            ),
            group(
                "Kết quả thực hiện nghị quyết tháng trước",
                30.0,
                vec![band(
                    "last_results",
                    "Kết quả nghị quyết tháng trước (nhiệm vụ hoàn thành)",
                    30.0,
                    Metric::LastTasksDonePercent,
                    AtLeast,
                    &[
                        (90.0, 30.0),
                        (80.0, 27.0),
                        (70.0, 24.0),
                        (60.0, 20.0),
                        (50.0, 15.0),
                        (0.0, 10.0),
                    ],
                )],
            ),
            group(
                "Kết thúc sinh hoạt",
                5.0,
                vec![
                    yes("closing_conclusion", "Thông qua kết luận, nghị quyết", 2.0),
                    yes(
                        "closing_minutes",
                        "Thông qua biên bản, phân công nhiệm vụ",
                        2.0,
                    ),
                    yes(
                        "closing_docs",
                        "Tài liệu cuối cùng trên ứng dụng trong 2 ngày",
                        1.0,
                    ),
                ],
            ),
        ],
        bands: meeting_bands(),
    }
}

/// A monthly sheet for the base organizations under a district committee,
/// modelled on Kim Sơn's Decision 3059 (26/12/2017), whose criteria are not
/// published: partly computed, partly entered by the committee's staff.
pub fn kim_son_monthly() -> Definition {
    use Direction::{AtLeast, AtMost};
    let mut initiative = yes(
        "initiative",
        "Điểm thưởng: có mô hình, cách làm mới được cấp trên ghi nhận",
        5.0,
    );
    initiative.kind = Kind::Bonus;
    let mut violation = yes(
        "violation",
        "Điểm trừ: có đảng viên vi phạm bị xử lý kỷ luật trong tháng",
        10.0,
    );
    violation.kind = Kind::Penalty;
    Definition {
        total: 100.0,
        groups: vec![
            group(
                "Sinh hoạt chi bộ",
                30.0,
                vec![
                    band(
                        "meetings_held",
                        "Chi bộ sinh hoạt trong tháng",
                        10.0,
                        Metric::MeetingsHeldPercent,
                        AtLeast,
                        &[(100.0, 10.0), (80.0, 7.0), (50.0, 4.0)],
                    ),
                    band(
                        "on_time",
                        "Sinh hoạt đúng ngày quy định",
                        5.0,
                        Metric::MeetingsOnTimePercent,
                        AtLeast,
                        &[(90.0, 5.0), (70.0, 3.0)],
                    ),
                    band(
                        "attendance",
                        "Tỷ lệ đảng viên dự sinh hoạt",
                        10.0,
                        Metric::AttendancePercent,
                        AtLeast,
                        &[(95.0, 10.0), (90.0, 8.0), (80.0, 6.0), (0.0, 3.0)],
                    ),
                    auto_yes(
                        "thematic",
                        "Có sinh hoạt chuyên đề trong tháng",
                        5.0,
                        Metric::ThematicHeld,
                        100.0,
                    ),
                ],
            ),
            group(
                "Thực hiện nhiệm vụ được giao",
                20.0,
                vec![
                    band(
                        "overdue",
                        "Nhiệm vụ quá hạn chưa hoàn thành: 0 → 10 điểm, 1 → 7, 2–3 → 4",
                        10.0,
                        Metric::OverdueTasks,
                        AtMost,
                        &[(0.0, 10.0), (1.0, 7.0), (3.0, 4.0)],
                    ),
                    pick(
                        "tasks_quality",
                        "Chất lượng thực hiện nhiệm vụ (cấp trên đánh giá)",
                        10.0,
                        &[
                            ("Hoàn thành tốt", 10.0),
                            ("Hoàn thành", 7.0),
                            ("Chưa hoàn thành", 3.0),
                        ],
                    ),
                ],
            ),
            group(
                "Kiểm tra, giám sát, kiến nghị",
                20.0,
                vec![
                    band(
                        "follow_ups",
                        "Khắc phục kết luận kiểm tra, giám sát",
                        8.0,
                        Metric::FollowUpsAnsweredPercent,
                        AtLeast,
                        &[(100.0, 8.0), (80.0, 6.0), (50.0, 3.0)],
                    ),
                    band(
                        "recommendations",
                        "Trả lời kiến nghị",
                        7.0,
                        Metric::RecommendationsAnsweredPercent,
                        AtLeast,
                        &[(100.0, 7.0), (80.0, 5.0), (50.0, 2.0)],
                    ),
                    auto_yes(
                        "visits",
                        "Có báo cáo dự sinh hoạt của cấp trên trong tháng",
                        5.0,
                        Metric::VisitReports,
                        1.0,
                    ),
                ],
            ),
            group(
                "Nhiệm vụ chính trị, việc cấp bách",
                30.0,
                vec![
                    pick(
                        "political",
                        "Lãnh đạo thực hiện nhiệm vụ chính trị trong tháng",
                        15.0,
                        &[
                            ("Tốt", 15.0),
                            ("Khá", 12.0),
                            ("Trung bình", 8.0),
                            ("Yếu", 0.0),
                        ],
                    ),
                    pick(
                        "urgent",
                        "Tiến độ việc cấp bách đã đăng ký",
                        10.0,
                        &[
                            ("Đúng tiến độ", 10.0),
                            ("Chậm ít", 7.0),
                            ("Chậm nhiều", 4.0),
                            ("Chưa triển khai", 0.0),
                        ],
                    ),
                    yes("reporting", "Báo cáo tháng gửi đúng hạn", 5.0),
                    initiative,
                    violation,
                ],
            ),
        ],
        bands: bands(&[
            ("excellent", "Hoàn thành xuất sắc", 90.0),
            ("good", "Hoàn thành tốt", 75.0),
            ("done", "Hoàn thành", 50.0),
            ("not_done", "Không hoàn thành", 0.0),
        ]),
    }
}
