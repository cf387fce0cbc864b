//! Meeting rules as versioned data (domain.md §4.5). Each version has an
//! effective date and cites its source; a meeting is judged by the version in
//! force on its day, a year's counts by the version in force at the year's end.
//! The versions themselves live in the database (`meeting_rule`), seeded by
//! the migration that created the table.

use super::meeting::MeetingKind;
use jiff::civil::{Date, Time};
use serde::Serialize;

/// One version of the rules.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSet {
    pub effective_from: Date,
    /// Where the rule comes from, e.g. "Hướng dẫn 42-HD/BTCTW (28/10/2025)".
    pub source: String,
    pub regular_per_year: i64,
    pub thematic_per_quarter: i64,
    /// Thematic meetings a year on studying and following Ho Chi Minh.
    pub ho_chi_minh_per_year: i64,
    /// Notice sent between these many days before the meeting (inclusive).
    pub notice_min_days: i64,
    pub notice_max_days: i64,
    /// The notice window's own source: a practice, not the guidance above
    /// (docs/rules.md "Notice of a meeting").
    pub notice_source: String,
    pub min_minutes: Option<i64>,
    pub combined_min_minutes: Option<i64>,
    /// Documents out at least this many days before.
    pub docs_days_before: Option<i64>,
    /// Resolution sent up within this many days after.
    pub resolution_within_days: Option<i64>,
}

/// The version in force on `day`: the latest that started on or before it.
pub fn in_force(rules: &[RuleSet], day: Date) -> Option<&RuleSet> {
    rules
        .iter()
        .filter(|r| r.effective_from <= day)
        .max_by_key(|r| r.effective_from)
}

/// What chibo knows of a meeting for judging it.
#[derive(Debug, Clone)]
pub struct MeetingFacts {
    pub kind: MeetingKind,
    pub day: Date,
    pub held: bool,
    /// Held on a set theme (a topic was recorded).
    pub themed: bool,
    pub ho_chi_minh: bool,
    /// The time announced, and the time the meeting actually opened.
    pub scheduled_start: Option<Time>,
    pub started: Option<Time>,
    pub minutes: Option<i64>,
    pub notice_sent: Option<Date>,
    pub docs_published: Option<Date>,
    pub resolution_sent: Option<Date>,
}

impl MeetingFacts {
    /// Counts toward the thematic quota: a thematic or combined meeting, or
    /// a model meeting held on a theme (docs/rules.md "Model meetings").
    pub fn counts_as_thematic(&self) -> bool {
        self.kind.counts_as_thematic(self.themed)
    }
}

/// One line of a compliance report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Check {
    pub key: &'static str,
    /// What is required, in Vietnamese.
    pub requirement: String,
    pub source: String,
    /// What was found, in Vietnamese.
    pub found: String,
    pub met: bool,
}

/// Whether the meeting opened at the time it was called for: judged from the
/// recorded opening time against the announced one (docs/rules.md
/// "Punctuality"). No announced time: nothing to judge.
fn punctuality(m: &MeetingFacts) -> Option<Check> {
    let scheduled = m.scheduled_start?;
    let requirement = format!(
        "Bắt đầu đúng giờ đã thông báo ({})",
        scheduled.strftime("%H:%M")
    );
    let source = PUNCTUALITY_SOURCE.to_string();
    Some(match m.started {
        None => Check {
            key: "punctuality",
            requirement,
            source,
            found: "chưa ghi giờ bắt đầu".into(),
            met: false,
        },
        Some(started) => {
            let late = scheduled
                .until(started)
                .map(|s| i64::from(s.get_hours()) * 60 + s.get_minutes())
                .unwrap_or(0);
            Check {
                key: "punctuality",
                requirement,
                source,
                found: if late > 0 {
                    format!("bắt đầu {}, muộn {late} phút", started.strftime("%H:%M"))
                } else {
                    format!("bắt đầu {}", started.strftime("%H:%M"))
                },
                met: late <= 0,
            }
        }
    })
}

/// Cells register the day, time and place of every meeting and the upper
/// level checks them against what happened (docs/rules.md "Punctuality").
pub const PUNCTUALITY_SOURCE: &str =
    "Thực tiễn Huyện ủy Kim Sơn: chi bộ đăng ký ngày, giờ, địa điểm sinh hoạt hằng tháng";

fn days_between(a: Date, b: Date) -> i64 {
    a.until(b).map(|s| i64::from(s.get_days())).unwrap_or(0)
}

/// Checks of one held meeting against the rules of its day.
pub fn check_meeting(rules: &[RuleSet], m: &MeetingFacts) -> Vec<Check> {
    let Some(r) = in_force(rules, m.day) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    let before = |d: Option<Date>| d.map(|d| days_between(d, m.day));
    match before(m.notice_sent) {
        Some(n) => out.push(Check {
            key: "notice",
            requirement: format!(
                "Thông báo trước {}–{} ngày",
                r.notice_min_days, r.notice_max_days
            ),
            source: r.notice_source.clone(),
            found: format!("thông báo trước {n} ngày"),
            met: (r.notice_min_days..=r.notice_max_days).contains(&n),
        }),
        None => out.push(Check {
            key: "notice",
            requirement: format!(
                "Thông báo trước {}–{} ngày",
                r.notice_min_days, r.notice_max_days
            ),
            source: r.notice_source.clone(),
            found: "chưa gửi thông báo".into(),
            met: false,
        }),
    }
    if let Some(check) = punctuality(m) {
        out.push(check);
    }
    let needed = if m.kind == MeetingKind::Combined {
        r.combined_min_minutes
    } else {
        r.min_minutes
    };
    if let Some(min) = needed {
        out.push(Check {
            key: "duration",
            requirement: format!("Thời lượng ít nhất {min} phút"),
            source: r.source.clone(),
            found: m
                .minutes
                .map(|x| format!("{x} phút"))
                .unwrap_or_else(|| "chưa ghi giờ bắt đầu, kết thúc".into()),
            met: m.minutes.is_some_and(|x| x >= min),
        });
    }
    if let Some(days) = r.docs_days_before {
        let n = before(m.docs_published);
        out.push(Check {
            key: "documents",
            requirement: format!("Tài liệu gửi trước ít nhất {days} ngày"),
            source: r.source.clone(),
            found: n
                .map(|n| format!("gửi trước {n} ngày"))
                .unwrap_or_else(|| "chưa gửi tài liệu".into()),
            met: n.is_some_and(|n| n >= days),
        });
    }
    if let Some(days) = r.resolution_within_days {
        let n = m.resolution_sent.map(|d| days_between(m.day, d));
        out.push(Check {
            key: "resolution",
            requirement: format!("Gửi nghị quyết lên cấp trên trong {days} ngày"),
            source: r.source.clone(),
            found: n
                .map(|n| format!("sau {n} ngày"))
                .unwrap_or_else(|| "chưa gửi".into()),
            met: n.is_some_and(|n| (0..=days).contains(&n)),
        });
    }
    out
}

fn quarter(d: Date) -> usize {
    ((d.month() as usize) - 1) / 3
}

/// The version a year is judged by: the one in force on its last day
/// counted. None: no rule chibo knows applies, and nothing is judged.
pub fn for_year(rules: &[RuleSet], year: i16, until: Date) -> Option<&RuleSet> {
    in_force(rules, jiff::civil::date(year, 12, 31).min(until))
}

/// Year checks of a cell: regular meetings, a thematic one each quarter, one
/// on Ho Chi Minh. `until` is the last day counted (a year in progress is
/// judged on the quarters that have ended).
pub fn check_year(
    rules: &[RuleSet],
    year: i16,
    until: Date,
    meetings: &[MeetingFacts],
) -> Vec<Check> {
    let end = jiff::civil::date(year, 12, 31);
    let Some(r) = for_year(rules, year, until) else {
        return Vec::new();
    };
    let held: Vec<&MeetingFacts> = meetings
        .iter()
        .filter(|m| m.held && m.day.year() == year && m.day <= until)
        .collect();
    let months_due = if until >= end {
        12
    } else if until.year() == year {
        i64::from(until.month()) - 1
    } else {
        0
    };
    let regular_due = r.regular_per_year * months_due / 12;
    let mut regular_months: Vec<i8> = held
        .iter()
        .filter(|m| m.kind.is_regular())
        .map(|m| m.day.month())
        .collect();
    regular_months.sort_unstable();
    regular_months.dedup();
    let regular = regular_months.len() as i64;
    let mut out = vec![Check {
        key: "regular",
        requirement: format!(
            "Sinh hoạt thường kỳ hằng tháng ({} cuộc/năm)",
            r.regular_per_year
        ),
        source: r.source.clone(),
        found: format!("{regular} tháng có sinh hoạt thường kỳ / {regular_due} tháng đã qua"),
        met: regular >= regular_due,
    }];
    let quarters_due = (months_due / 3) as usize;
    let mut per_quarter = [0i64; 4];
    for m in held.iter().filter(|m| m.counts_as_thematic()) {
        per_quarter[quarter(m.day)] += 1;
    }
    let short: Vec<String> = (0..quarters_due)
        .filter(|q| per_quarter[*q] < r.thematic_per_quarter)
        .map(|q| format!("quý {}", q + 1))
        .collect();
    out.push(Check {
        key: "thematic",
        requirement: format!("Ít nhất {} cuộc chuyên đề mỗi quý", r.thematic_per_quarter),
        source: r.source.clone(),
        found: if short.is_empty() {
            "đủ".into()
        } else {
            format!("thiếu ở {}", short.join(", "))
        },
        met: short.is_empty(),
    });
    let hcm = held
        .iter()
        .filter(|m| m.counts_as_thematic() && m.ho_chi_minh)
        .count() as i64;
    let hcm_due = if until >= end {
        r.ho_chi_minh_per_year
    } else {
        0
    };
    out.push(Check {
        key: "ho_chi_minh",
        requirement: format!(
            "Ít nhất {} cuộc chuyên đề/năm về học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh",
            r.ho_chi_minh_per_year
        ),
        source: "Chỉ thị 05-CT/TW (15/5/2016)".into(),
        found: format!("{hcm} cuộc"),
        met: hcm >= hcm_due,
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;
    use proptest::prelude::*;

    fn rules() -> Vec<RuleSet> {
        vec![
            RuleSet {
                effective_from: date(2018, 7, 6),
                source: "Hướng dẫn 12-HD/BTCTW (06/7/2018)".into(),
                regular_per_year: 12,
                thematic_per_quarter: 1,
                ho_chi_minh_per_year: 1,
                notice_min_days: 1,
                notice_max_days: 2,
                notice_source: "Đảng ủy xã Bản Hon".into(),
                min_minutes: None,
                combined_min_minutes: None,
                docs_days_before: None,
                resolution_within_days: None,
            },
            RuleSet {
                effective_from: date(2025, 10, 28),
                source: "Hướng dẫn 42-HD/BTCTW (28/10/2025)".into(),
                min_minutes: Some(90),
                combined_min_minutes: Some(120),
                docs_days_before: Some(1),
                resolution_within_days: Some(2),
                ..rules_2018()
            },
        ]
    }

    fn rules_2018() -> RuleSet {
        RuleSet {
            effective_from: date(2018, 7, 6),
            source: String::new(),
            regular_per_year: 12,
            thematic_per_quarter: 1,
            ho_chi_minh_per_year: 1,
            notice_min_days: 1,
            notice_max_days: 2,
            notice_source: String::new(),
            min_minutes: None,
            combined_min_minutes: None,
            docs_days_before: None,
            resolution_within_days: None,
        }
    }

    fn meeting(kind: MeetingKind, day: Date) -> MeetingFacts {
        MeetingFacts {
            kind,
            day,
            held: true,
            themed: false,
            ho_chi_minh: false,
            scheduled_start: None,
            started: None,
            minutes: Some(60),
            notice_sent: day.checked_sub(jiff::Span::new().days(1)).ok(),
            docs_published: None,
            resolution_sent: None,
        }
    }

    #[test]
    fn a_meeting_is_judged_by_the_rules_of_its_day() {
        let m2019 = meeting(MeetingKind::Regular, date(2019, 3, 3));
        let checks = check_meeting(&rules(), &m2019);
        assert_eq!(checks.len(), 1, "2019: only the notice rule");
        assert!(checks[0].met);
        let m2026 = meeting(MeetingKind::Regular, date(2026, 3, 3));
        let checks = check_meeting(&rules(), &m2026);
        let keys: Vec<&str> = checks.iter().map(|c| c.key).collect();
        assert_eq!(keys, ["notice", "duration", "documents", "resolution"]);
        assert!(!checks[1].met, "60 minutes < 90");
        assert!(checks[1].source.contains("42-HD/BTCTW"));
        let mut combined = meeting(MeetingKind::Combined, date(2026, 3, 3));
        combined.minutes = Some(100);
        assert!(
            !check_meeting(&rules(), &combined)[1].met,
            "combined needs 120"
        );
        assert!(
            check_meeting(&rules(), &meeting(MeetingKind::Regular, date(2010, 1, 1))).is_empty()
        );
    }

    #[test]
    fn notice_window() {
        let mut m = meeting(MeetingKind::Regular, date(2026, 3, 3));
        m.notice_sent = Some(date(2026, 2, 25));
        assert!(!check_meeting(&rules(), &m)[0].met, "8 days is too early");
        m.notice_sent = None;
        assert_eq!(check_meeting(&rules(), &m)[0].found, "chưa gửi thông báo");
    }

    #[test]
    fn a_full_year() {
        let mut ms: Vec<MeetingFacts> = (1..=12)
            .map(|mo| meeting(MeetingKind::Regular, date(2024, mo, 3)))
            .collect();
        for mo in [2, 5, 8] {
            ms.push(meeting(MeetingKind::Thematic, date(2024, mo, 15)));
        }
        let checks = check_year(&rules(), 2024, date(2025, 6, 1), &ms);
        assert!(checks[0].met);
        assert!(!checks[1].met);
        assert_eq!(checks[1].found, "thiếu ở quý 4");
        assert!(!checks[2].met, "no Ho Chi Minh meeting");
        ms.push(MeetingFacts {
            ho_chi_minh: true,
            ..meeting(MeetingKind::Thematic, date(2024, 11, 15))
        });
        assert!(
            check_year(&rules(), 2024, date(2025, 6, 1), &ms)
                .iter()
                .all(|c| c.met)
        );
    }

    /// Bản Hon's Cell 7 held its model meeting on a theme (seed 002): it
    /// counts for the month's regular meeting and for the quarter's thematic
    /// one. A model meeting without a theme is regular only.
    #[test]
    fn a_model_meeting_on_a_theme_counts_as_thematic_too() {
        let mut ms: Vec<MeetingFacts> = (1..=12)
            .map(|mo| meeting(MeetingKind::Regular, date(2024, mo, 3)))
            .collect();
        for mo in [2, 5, 8] {
            ms.push(meeting(MeetingKind::Thematic, date(2024, mo, 15)));
        }
        ms[10] = meeting(MeetingKind::Model, date(2024, 11, 3));
        let short = check_year(&rules(), 2024, date(2025, 6, 1), &ms);
        assert!(short[0].met, "a model meeting is the month's regular one");
        assert_eq!(short[1].found, "thiếu ở quý 4", "no theme: not thematic");
        ms[10].themed = true;
        ms[10].ho_chi_minh = true;
        let checks = check_year(&rules(), 2024, date(2025, 6, 1), &ms);
        assert!(checks.iter().all(|c| c.met), "{checks:?}");
        assert!(!MeetingKind::AdHoc.counts_as_thematic(true));
        assert!(MeetingKind::Thematic.counts_as_thematic(false));
    }

    /// Punctuality is judged from the recorded opening time against the
    /// announced one (Kim Sơn practice: cells register day, time and place).
    #[test]
    fn punctuality_from_the_recorded_start() {
        let at = |h, m| Some(jiff::civil::time(h, m, 0, 0));
        let mut m = meeting(MeetingKind::Regular, date(2026, 3, 3));
        let punctual = |m: &MeetingFacts| {
            check_meeting(&rules(), m)
                .into_iter()
                .find(|c| c.key == "punctuality")
        };
        assert!(
            punctual(&m).is_none(),
            "no announced time: nothing to judge"
        );
        m.scheduled_start = at(19, 30);
        let c = punctual(&m).expect("judged");
        assert!(!c.met);
        assert_eq!(c.found, "chưa ghi giờ bắt đầu");
        m.started = at(19, 30);
        assert!(punctual(&m).expect("judged").met);
        m.started = at(19, 25);
        assert!(punctual(&m).expect("judged").met, "early is on time");
        m.started = at(19, 47);
        let c = punctual(&m).expect("judged");
        assert!(!c.met);
        assert_eq!(c.found, "bắt đầu 19:47, muộn 17 phút");
        assert_eq!(c.requirement, "Bắt đầu đúng giờ đã thông báo (19:30)");
    }

    #[test]
    fn a_year_in_progress_counts_elapsed_months() {
        let ms: Vec<MeetingFacts> = (1..=10)
            .map(|mo| meeting(MeetingKind::Regular, date(2026, mo, 3)))
            .collect();
        let checks = check_year(&rules(), 2026, date(2026, 11, 23), &ms);
        assert!(checks[0].met, "{:?}", checks[0]);
        assert!(!checks[1].met, "no thematic meeting at all");
        assert!(checks[2].met, "Ho Chi Minh is due at year end");
    }

    proptest! {
        #[test]
        fn version_in_force_is_latest_started(y in 2000i16..2030, m in 1i8..=12, d in 1i8..=28) {
            let day = date(y, m, d);
            let r = in_force(&rules(), day).map(|r| r.effective_from);
            let expected = if day >= date(2025, 10, 28) { Some(date(2025, 10, 28)) }
                else if day >= date(2018, 7, 6) { Some(date(2018, 7, 6)) } else { None };
            prop_assert_eq!(r, expected);
        }
    }
}
