use super::*;
use jiff::civil::date;

const T: Thresholds = Thresholds::DEFAULT;

const MINUTES: &str = "Đồng chí Bí thư chi bộ tuyên bố lý do, giới thiệu thành phần. Chi bộ có 9 \
    đảng viên, có mặt 8, vắng 1 có lý do. Đồng chí Bí thư báo cáo kết quả thực hiện nghị quyết \
    tháng trước: các hộ đã gieo cấy xong lúa mùa đúng khung thời vụ, tiêm phòng cho đàn gia súc, \
    vận động học sinh ra lớp đầy đủ. Tình hình tư tưởng đảng viên ổn định. Phương hướng tháng tới: \
    chăm sóc lúa, phòng chống rét cho gia súc, giữ gìn an ninh trật tự trong bản.";

const OTHER: &str = "Chi bộ sinh hoạt chuyên đề về công tác bảo hiểm y tế. Đồng chí Trưởng bản \
    trình bày tham luận về tỷ lệ người dân tham gia bảo hiểm y tế năm 2018; các đảng viên thảo \
    luận cách vận động hộ cận nghèo, hộ làm nông nghiệp tham gia. Chi bộ giao mỗi đảng viên phụ \
    trách vận động năm hộ gia đình tham gia bảo hiểm y tế trước ngày 30 tháng 6.";

fn line(id: i64, spoke: bool) -> RollLine {
    RollLine {
        member: MemberId(id),
        name: format!("Đảng viên {id}"),
        present: true,
        spoke,
        holds_post: id == 1,
        new_member: false,
    }
}

/// A normal meeting: 6 present, members 1 (secretary, chair) to 6; 1, 3, 4
/// spoke; a task for each.
fn meeting(id: i64, day: Date, minutes: &str) -> MeetingFacts {
    MeetingFacts {
        id,
        cell: OrgId(10),
        day,
        regular: true,
        minutes: minutes.into(),
        chair: Some(MemberId(1)),
        recorder: Some(MemberId(2)),
        roll: (1..=6)
            .map(|m| line(m, [1, 3, 4, 5, 6].contains(&m)))
            .collect(),
        has_resolution: true,
        tasks: (1..=6)
            .map(|m| TaskLine {
                member: Some(MemberId(m)),
                open: false,
                reviewed: true,
            })
            .collect(),
        duration: Some(100),
        required: None,
    }
}

fn rules(s: &[Signal]) -> Vec<Rule> {
    s.iter().map(|x| x.rule).collect()
}

const FROM: Date = date(2025, 1, 1);
const TO: Date = date(2025, 12, 31);

#[test]
fn normal_meetings_raise_nothing() {
    let ms = [
        meeting(1, date(2025, 3, 3), MINUTES),
        meeting(2, date(2025, 4, 3), OTHER),
        meeting(3, date(2025, 5, 3), "Ngắn."),
    ];
    assert_eq!(detect(&ms, FROM, TO, &T), vec![]);
}

#[test]
fn minutes_repeating_an_earlier_meeting_within_a_year() {
    let july = MINUTES.replace("có mặt 8, vắng 1", "có mặt 9, vắng 0");
    let ms = [
        meeting(1, date(2025, 6, 3), MINUTES),
        meeting(2, date(2025, 7, 3), &july),
    ];
    let s = detect(&ms, FROM, TO, &T);
    assert_eq!(rules(&s), [Rule::RepeatedMinutes]);
    assert_eq!(s[0].meeting, Some(2));
    match &s[0].evidence {
        Evidence::Similar {
            earlier,
            similarity,
            ..
        } => {
            assert_eq!(*earlier, 1);
            assert!(*similarity >= 0.85 && *similarity < 1.0, "{similarity}");
        }
        e => panic!("{e:?}"),
    }
    // More than a year apart, or outside the period asked: nothing.
    let ms = [
        meeting(1, date(2024, 6, 3), MINUTES),
        meeting(2, date(2025, 7, 3), &july),
    ];
    assert_eq!(detect(&ms, FROM, TO, &T), vec![]);
    let ms = [
        meeting(1, date(2025, 6, 3), MINUTES),
        meeting(2, date(2025, 7, 3), &july),
    ];
    assert_eq!(detect(&ms, date(2025, 8, 1), TO, &T), vec![]);
    // The earlier meeting may lie before the period: the later one is in it.
    assert_eq!(
        rules(&detect(&ms, date(2025, 7, 1), TO, &T)),
        [Rule::RepeatedMinutes]
    );
}

#[test]
fn only_the_chair_and_the_recorder_spoke() {
    let mut m = meeting(1, date(2025, 3, 3), OTHER);
    for l in &mut m.roll {
        l.spoke = l.member.0 <= 2;
    }
    let s = detect(std::slice::from_ref(&m), FROM, TO, &T);
    assert_eq!(rules(&s), [Rule::OnlyLeadersSpoke]);
    assert_eq!(
        s[0].evidence,
        Evidence::OnlyLeaders {
            present: 6,
            speakers: vec!["Đảng viên 1".into(), "Đảng viên 2".into()]
        }
    );
    // One ordinary member spoke too: nothing. A tiny meeting: nothing.
    m.roll[3].spoke = true;
    assert_eq!(detect(std::slice::from_ref(&m), FROM, TO, &T), vec![]);
    m.roll[3].spoke = false;
    m.roll.truncate(3);
    assert_eq!(detect(&[m], FROM, TO, &T), vec![]);
}

#[test]
fn a_member_without_a_post_never_speaking_over_three_meetings() {
    let mut ms: Vec<MeetingFacts> = (1..=3)
        .map(|i| meeting(i, date(2025, i as i8 + 2, 3), ""))
        .collect();
    for m in &mut ms {
        m.roll[4].spoke = false; // member 5
    }
    let s = detect(&ms, FROM, TO, &T);
    assert_eq!(rules(&s), [Rule::SilentMember]);
    match &s[0].evidence {
        Evidence::Silent {
            member,
            meetings,
            new_member,
            ..
        } => {
            assert_eq!(*member, MemberId(5));
            assert_eq!(meetings.iter().map(|m| m.0).collect::<Vec<_>>(), [1, 2, 3]);
            assert!(!new_member);
        }
        e => panic!("{e:?}"),
    }
    // Twice silent is not yet a pattern; speaking once clears it.
    assert_eq!(detect(&ms[..2], FROM, TO, &T), vec![]);
    ms[1].roll[4].spoke = true;
    assert_eq!(detect(&ms, FROM, TO, &T), vec![]);
    // The recorder (member 2) never speaks in these meetings: not watched.
}

#[test]
fn a_new_member_holding_a_post_is_still_watched() {
    let mut ms: Vec<MeetingFacts> = (1..=3)
        .map(|i| meeting(i, date(2025, i as i8 + 2, 3), ""))
        .collect();
    for m in &mut ms {
        m.roll[5].spoke = false;
        m.roll[5].holds_post = true;
        m.roll[5].new_member = true;
    }
    let s = detect(&ms, FROM, TO, &T);
    assert_eq!(rules(&s), [Rule::SilentMember]);
    assert!(matches!(
        s[0].evidence,
        Evidence::Silent {
            new_member: true,
            ..
        }
    ));
}

#[test]
fn a_resolution_with_tasks_for_few_members() {
    let mut m = meeting(1, date(2025, 3, 3), "");
    m.tasks.truncate(1);
    let s = detect(std::slice::from_ref(&m), FROM, TO, &T);
    assert_eq!(rules(&s), [Rule::TasksNotPerMember]);
    assert_eq!(
        s[0].evidence,
        Evidence::FewTasks {
            members_with_task: 1,
            present: 6
        }
    );
    // Two of six is a third: above the fifth required. A thematic meeting is not judged.
    m.tasks = meeting(1, date(2025, 3, 3), "").tasks[..2].to_vec();
    assert_eq!(detect(std::slice::from_ref(&m), FROM, TO, &T), vec![]);
    m.tasks.truncate(0);
    m.regular = false;
    assert_eq!(detect(&[m], FROM, TO, &T), vec![]);
}

#[test]
fn open_tasks_never_reviewed_after_two_more_meetings() {
    let mut ms: Vec<MeetingFacts> = (1..=3)
        .map(|i| meeting(i, date(2025, i as i8 + 2, 3), ""))
        .collect();
    ms[0].tasks[0] = TaskLine {
        member: Some(MemberId(1)),
        open: true,
        reviewed: false,
    };
    let s = detect(&ms, FROM, TO, &T);
    assert_eq!(rules(&s), [Rule::TasksNeverReviewed]);
    assert_eq!(s[0].meeting, Some(1));
    assert_eq!(
        s[0].evidence,
        Evidence::Unreviewed {
            open_tasks: 1,
            later_meetings: 2
        }
    );
    // One later meeting is too soon; a reviewed task is fine.
    assert_eq!(detect(&ms[..2], FROM, TO, &T), vec![]);
    ms[0].tasks[0].reviewed = true;
    assert_eq!(detect(&ms, FROM, TO, &T), vec![]);
}

#[test]
fn shorter_than_the_rule_in_force() {
    let mut m = meeting(1, date(2025, 11, 3), "");
    m.duration = Some(60);
    assert_eq!(
        detect(std::slice::from_ref(&m), FROM, TO, &T),
        vec![],
        "no rule, no verdict"
    );
    m.required = Some((90, "Hướng dẫn 42-HD/BTCTW (28/10/2025)".into()));
    let s = detect(std::slice::from_ref(&m), FROM, TO, &T);
    assert_eq!(rules(&s), [Rule::ShortMeeting]);
    m.duration = Some(90);
    assert_eq!(detect(std::slice::from_ref(&m), FROM, TO, &T), vec![]);
    m.duration = None;
    assert_eq!(detect(&[m], FROM, TO, &T), vec![]);
}

#[test]
fn grading_without_spread() {
    use Grade::*;
    let g = |grades: Vec<Grade>| Grading {
        body: OrgId(3),
        year: 2018,
        day: date(2018, 12, 31),
        grades,
    };
    let mut all_good = vec![Excellent; 2];
    all_good.extend(vec![Good; 8]);
    let s = lenient_grading(&g(all_good.clone()), &T).expect("fires");
    assert_eq!(
        s.evidence,
        Evidence::Lenient {
            rated: 10,
            excellent: 2,
            good: 8
        }
    );
    assert_eq!(s.meeting, None);
    let mut spread = all_good.clone();
    spread[9] = Complete;
    assert_eq!(lenient_grading(&g(spread), &T), None);
    assert_eq!(
        lenient_grading(&g(all_good[..9].to_vec()), &T),
        None,
        "9 < 10: a small set is no pattern"
    );
    // Bản Hon 2018 (seed 002): 17 / 108 / 22, a spread.
    let mut ban_hon = vec![Excellent; 17];
    ban_hon.extend(vec![Good; 108]);
    ban_hon.extend(vec![Complete; 22]);
    assert_eq!(lenient_grading(&g(ban_hon), &T), None);
}

#[test]
fn every_rule_is_named_documented_and_counted() {
    for r in Rule::ALL {
        assert_eq!(Rule::from_code(r.code()), Some(r));
        assert!(!r.label().is_empty());
        assert!(r.describe(&T).len() > 40, "{r:?}");
    }
    assert!(Rule::RepeatedMinutes.describe(&T).contains("85%"));
    let mut m = meeting(1, date(2025, 3, 3), "");
    m.tasks.truncate(1);
    let counts = count_by_rule(&detect(&[m], FROM, TO, &T));
    assert_eq!(counts.len(), Rule::ALL.len());
    assert!(counts.contains(&(Rule::TasksNotPerMember, 1)));
    assert!(counts.contains(&(Rule::RepeatedMinutes, 0)));
}
