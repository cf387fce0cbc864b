//! The sections chibo can fill today, each built from the counts the
//! rollups keep (metric name → count; the names are made by the functions
//! below so the store and the sections agree on them).

use super::{ChartKind, Period, Section, Series, Unit, month_label, percent};
use crate::domain::classification::Grade;
use crate::domain::document::Quality;
use crate::domain::meeting::MeetingKind;
use crate::domain::recommendation::{Status, Topic};
use crate::domain::status::MemberStatus;
use std::collections::BTreeMap;

pub type Metrics = BTreeMap<String, i64>;

/// Prefix of the metrics of one month: `mon:03:`.
pub fn month_prefix(month: i8) -> String {
    format!("mon:{month:02}:")
}

/// Recommendations raised in a month, by status: `rec:03:answered`.
pub fn rec_status_key(month: i8, status: &str) -> String {
    format!("rec:{month:02}:{status}")
}

/// Recommendations raised in a month, by topic: `rectopic:03:land`.
pub fn rec_topic_key(month: i8, topic: &str) -> String {
    format!("rectopic:{month:02}:{topic}")
}

/// Held meetings of a month by quality level: `qual:03:good`.
pub fn quality_key(month: i8, level: &str) -> String {
    format!("qual:{month:02}:{level}")
}

/// The year's classification records by kind and final grade (or
/// `pending`): `class:member:good`.
pub fn class_key(kind: &str, grade: &str) -> String {
    format!("class:{kind}:{grade}")
}

fn get(m: &Metrics, key: &str) -> i64 {
    m.get(key).copied().unwrap_or(0)
}

fn count(n: i64) -> Option<f64> {
    Some(n as f64)
}

/// Meetings of one month: (planned, held, thematic held), summed over kinds.
/// Thematic counts as the yearly statistics count it (a model meeting on a
/// theme counts too).
fn meetings_of_month(m: &Metrics, month: i8) -> (i64, i64, i64) {
    let prefix = month_prefix(month);
    let (mut planned, mut held, mut thematic) = (0, 0, 0);
    for (key, n) in m.range(prefix.clone()..) {
        let Some(rest) = key.strip_prefix(&prefix) else {
            break;
        };
        if rest.starts_with("planned:") {
            planned += n;
        } else if let Some(kind) = rest.strip_prefix("held:") {
            held += n;
            if MeetingKind::from_code(kind).is_some_and(|k| k.counts_as_thematic(false)) {
                thematic += n;
            }
        } else if let Some(kind) = rest.strip_prefix("themed:")
            && MeetingKind::from_code(kind)
                .is_some_and(|k| !k.counts_as_thematic(false) && k.counts_as_thematic(true))
        {
            thematic += n;
        }
    }
    (planned, held, thematic)
}

fn months(p: &Period) -> Vec<String> {
    p.months().map(month_label).collect()
}

/// Meetings held against planned, month by month.
pub fn meetings_by_month(m: &Metrics, p: &Period) -> Section {
    let rows: Vec<(i64, i64, i64)> = p.months().map(|mo| meetings_of_month(m, mo)).collect();
    let planned: i64 = rows.iter().map(|r| r.0).sum();
    let series = |name: &str, f: fn(&(i64, i64, i64)) -> i64| Series {
        name: name.into(),
        values: rows.iter().map(|r| count(f(r))).collect(),
    };
    Section {
        key: "meetings_by_month".into(),
        title: "Kỳ sinh hoạt đã họp so với kế hoạch, theo tháng".into(),
        sheet: "Sinh hoạt theo tháng".into(),
        chart: ChartKind::Bars,
        unit: Unit::Count,
        category_header: "Tháng".into(),
        categories: months(p),
        series: vec![
            series("Kế hoạch", |r| r.0),
            series("Đã họp", |r| r.1),
            series("Chuyên đề đã họp", |r| r.2),
        ],
        note: "Kế hoạch: mọi kỳ họp đã lên lịch trong tháng (trừ kỳ đã hủy); đã họp: kỳ họp đã điểm danh.".into(),
        empty: (planned == 0).then(|| format!("Không có kỳ sinh hoạt nào trong {}.", p.label())),
        ..Default::default()
    }
}

/// Attendance and speaker share of the held meetings, month by month.
pub fn participation_by_month(m: &Metrics, p: &Period) -> Section {
    let mut convened_all = 0;
    let mut attendance = Vec::new();
    let mut speakers = Vec::new();
    for mo in p.months() {
        let prefix = month_prefix(mo);
        let present = get(m, &format!("{prefix}present"));
        let convened = get(m, &format!("{prefix}convened"));
        convened_all += convened;
        attendance.push(percent(present, convened));
        speakers.push(percent(get(m, &format!("{prefix}speakers")), present));
    }
    Section {
        key: "participation_by_month".into(),
        title: "Tỷ lệ dự họp và tỷ lệ đảng viên phát biểu, theo tháng".into(),
        sheet: "Dự họp và phát biểu".into(),
        chart: ChartKind::Lines,
        unit: Unit::Percent,
        category_header: "Tháng".into(),
        categories: months(p),
        series: vec![
            Series {
                name: "Dự họp (%)".into(),
                values: attendance,
            },
            Series {
                name: "Phát biểu (%)".into(),
                values: speakers,
            },
        ],
        note: "Dự họp: có mặt / được triệu tập (đảng viên miễn sinh hoạt không bị tính); phát biểu: số người phát biểu / số có mặt. Tháng không có kỳ họp nào đã điểm danh để trống.".into(),
        empty: (convened_all == 0)
            .then(|| format!("Chưa có kỳ họp nào được điểm danh trong {}.", p.label())),
        ..Default::default()
    }
}

/// Recommendations raised in the period, by where they stand now.
pub fn recommendations_by_status(m: &Metrics, p: &Period) -> Section {
    let counts: Vec<i64> = Status::ALL
        .iter()
        .map(|s| {
            p.months()
                .map(|mo| get(m, &rec_status_key(mo, s.code())))
                .sum()
        })
        .collect();
    let total: i64 = counts.iter().sum();
    Section {
        key: "recommendations_by_status".into(),
        title: "Kiến nghị theo trạng thái giải quyết".into(),
        sheet: "Kiến nghị - trạng thái".into(),
        chart: ChartKind::HBars,
        unit: Unit::Count,
        category_header: "Trạng thái".into(),
        categories: Status::ALL.iter().map(|s| s.label().to_string()).collect(),
        series: vec![Series {
            name: "Số kiến nghị".into(),
            values: counts.into_iter().map(count).collect(),
        }],
        note: "Kiến nghị nêu trong kỳ, theo trạng thái hiện nay.".into(),
        empty: (total == 0)
            .then(|| format!("Không có kiến nghị nào được nêu trong {}.", p.label())),
        ..Default::default()
    }
}

/// Recommendations raised in the period, by topic.
pub fn recommendations_by_topic(m: &Metrics, p: &Period) -> Section {
    let counts: Vec<i64> = Topic::ALL
        .iter()
        .map(|t| {
            p.months()
                .map(|mo| get(m, &rec_topic_key(mo, t.code())))
                .sum()
        })
        .collect();
    let total: i64 = counts.iter().sum();
    Section {
        key: "recommendations_by_topic".into(),
        title: "Kiến nghị theo lĩnh vực".into(),
        sheet: "Kiến nghị - lĩnh vực".into(),
        chart: ChartKind::HBars,
        unit: Unit::Count,
        category_header: "Lĩnh vực".into(),
        categories: Topic::ALL.iter().map(|t| t.label().to_string()).collect(),
        series: vec![Series {
            name: "Số kiến nghị".into(),
            values: counts.into_iter().map(count).collect(),
        }],
        note: "Kiến nghị nêu trong kỳ, theo lĩnh vực.".into(),
        empty: (total == 0)
            .then(|| format!("Không có kiến nghị nào được nêu trong {}.", p.label())),
        ..Default::default()
    }
}

/// Members at home in the subtree on the period's last day, by status.
/// `by_status` is (status code, count); statuses chibo does not know are
/// shown by their code.
pub fn members_by_status(by_status: &[(String, i64)], on_label: &str) -> Section {
    let mut rows: Vec<(String, i64)> = MemberStatus::ALL
        .iter()
        .filter_map(|s| {
            let n: i64 = by_status
                .iter()
                .filter(|(c, _)| c == s.code())
                .map(|(_, n)| n)
                .sum();
            (n > 0).then(|| (s.label().to_string(), n))
        })
        .collect();
    rows.extend(
        by_status
            .iter()
            .filter(|(c, n)| *n > 0 && MemberStatus::from_code(c).is_none())
            .cloned(),
    );
    let total: i64 = rows.iter().map(|r| r.1).sum();
    Section {
        key: "members_by_status".into(),
        title: format!("Đảng viên theo tình trạng, ngày {on_label}"),
        sheet: "Đảng viên".into(),
        chart: ChartKind::HBars,
        unit: Unit::Count,
        category_header: "Tình trạng".into(),
        categories: rows.iter().map(|r| r.0.clone()).collect(),
        series: vec![Series {
            name: "Số đảng viên".into(),
            values: rows.iter().map(|r| count(r.1)).collect(),
        }],
        note: "Đảng viên sinh hoạt chính thức (không kể sinh hoạt tạm thời) trong tổ chức và các tổ chức trực thuộc.".into(),
        empty: (total == 0).then(|| format!("Không có đảng viên nào vào ngày {on_label}.")),
        ..Default::default()
    }
}

/// Held meetings of the period by quality level, self-assessed or reviewed
/// (docs/rules.md "Meeting quality levels").
pub fn quality_levels(m: &Metrics, p: &Period) -> Section {
    let values: Vec<i64> = Quality::ALL
        .iter()
        .map(|q| {
            p.months()
                .map(|mo| get(m, &quality_key(mo, q.code())))
                .sum()
        })
        .collect();
    let total: i64 = values.iter().sum();
    Section {
        key: "quality_levels".into(),
        title: "Chất lượng sinh hoạt chi bộ theo mức".into(),
        sheet: "Chất lượng sinh hoạt".into(),
        chart: ChartKind::HBars,
        unit: Unit::Count,
        category_header: "Mức chất lượng".into(),
        categories: Quality::ALL.iter().map(|q| q.label().to_string()).collect(),
        series: vec![Series {
            name: "Số kỳ sinh hoạt".into(),
            values: values.into_iter().map(count).collect(),
        }],
        note: "Kỳ sinh hoạt đã họp trong kỳ có đánh giá theo bộ tiêu chí: mức cấp trên xét lại nếu có, nếu không là mức chi bộ tự đánh giá (Hướng dẫn 12-HD/BTCTW).".into(),
        empty: (total == 0).then(|| {
            format!("Chưa có kỳ sinh hoạt nào được đánh giá chất lượng trong {}.", p.label())
        }),
        ..Default::default()
    }
}

/// The year's final grades, members and organizations, of the subtree
/// without the node's own record (`own`: its kind-`org` grade code, or
/// `pending`) (docs/rules.md "Classification regimes by year").
pub fn classification(m: &Metrics, own: Option<&str>, year: i16) -> Section {
    let n = |kind: &str, grade: &str| {
        get(m, &class_key(kind, grade)) - i64::from(kind == "org" && own == Some(grade))
    };
    let series = |kind: &str, name: &str| Series {
        name: name.into(),
        values: Grade::ALL
            .iter()
            .map(|g| count(n(kind, g.code())))
            .collect(),
    };
    let pending = n("member", "pending") + n("org", "pending");
    let total: i64 = ["member", "org"]
        .iter()
        .flat_map(|k| Grade::ALL.iter().map(move |g| n(k, g.code())))
        .sum::<i64>()
        + pending;
    Section {
        key: "classification".into(),
        title: format!("Xếp loại chất lượng năm {year}"),
        sheet: "Xếp loại".into(),
        chart: ChartKind::Bars,
        unit: Unit::Count,
        category_header: "Mức xếp loại".into(),
        categories: Grade::ALL.iter().map(|g| g.label().to_string()).collect(),
        series: vec![series("member", "Đảng viên"), series("org", "Tổ chức đảng")],
        note: if pending > 0 {
            format!("Kết quả đã quyết định; còn {pending} trường hợp chưa có quyết định.")
        } else {
            "Kết quả đã được cấp có thẩm quyền quyết định.".into()
        },
        empty: (total == 0).then(|| format!("Chưa có kết quả xếp loại năm {year}.")),
        ..Default::default()
    }
}

/// The organizations a committee scored for a month, best first, with
/// their points out of 100 (docs/rules.md "Kim Sơn monthly scoring").
pub fn monthly_ranking(month: &str, ranked: &[(String, f64)]) -> Section {
    Section {
        key: "monthly_ranking".into(),
        title: format!("Xếp hạng chấm điểm hằng tháng, tháng {month}"),
        sheet: "Xếp hạng hằng tháng".into(),
        chart: ChartKind::HBars,
        // Points out of 100, with their tenths.
        unit: Unit::Percent,
        category_header: "Tổ chức cơ sở đảng".into(),
        categories: ranked.iter().map(|(name, _)| name.clone()).collect(),
        series: vec![Series {
            name: "Điểm (thang 100)".into(),
            values: ranked.iter().map(|(_, p)| Some(*p)).collect(),
        }],
        note:
            "Tháng chấm gần nhất trong kỳ; điểm theo bộ tiêu chí chấm điểm hằng tháng của cấp ủy."
                .into(),
        empty: ranked
            .is_empty()
            .then(|| format!("Chưa chấm điểm tháng {month}.")),
        ..Default::default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn metrics(pairs: &[(&str, i64)]) -> Metrics {
        pairs.iter().map(|(k, v)| (k.to_string(), *v)).collect()
    }

    #[test]
    fn meetings_are_summed_over_kinds_month_by_month() {
        let m = metrics(&[
            ("mon:01:planned:regular", 3),
            ("mon:01:held:regular", 2),
            ("mon:01:planned:thematic", 1),
            ("mon:01:held:thematic", 1),
            ("mon:03:planned:model", 1),
            ("mon:03:held:model", 1),
            ("mon:03:themed:model", 1),
            ("mon:03:themed:regular", 1),
            ("planned:regular", 99),
        ]);
        let s = meetings_by_month(&m, &Period::year(2026));
        assert_eq!(s.categories.len(), 12);
        assert_eq!(s.categories[0], "T1");
        assert_eq!(s.value(0, 0), Some(4.0));
        assert_eq!(s.value(1, 0), Some(3.0));
        assert_eq!(s.value(2, 0), Some(1.0));
        // A model meeting on a theme is thematic; a regular one with a topic is not.
        assert_eq!(s.value(2, 2), Some(1.0));
        assert_eq!(s.value(0, 1), Some(0.0));
        assert!(s.empty.is_none());
    }

    #[test]
    fn a_month_range_keeps_only_its_months() {
        let m = metrics(&[("mon:01:planned:regular", 3), ("mon:05:planned:regular", 2)]);
        let p = Period::parse("2026", "4", "6", 2026).unwrap();
        let s = meetings_by_month(&m, &p);
        assert_eq!(s.categories, ["T4", "T5", "T6"]);
        assert_eq!(s.series[0].values, [Some(0.0), Some(2.0), Some(0.0)]);
        let q = Period::parse("2026", "1", "1", 2026).unwrap();
        assert!(
            meetings_by_month(&metrics(&[("mon:05:planned:regular", 2)]), &q)
                .empty
                .is_some_and(|e| e.contains("tháng 1 năm 2026"))
        );
    }

    #[test]
    fn rates_are_blank_in_months_without_a_roll_call() {
        let m = metrics(&[
            ("mon:02:present", 9),
            ("mon:02:convened", 12),
            ("mon:02:speakers", 3),
        ]);
        let s = participation_by_month(&m, &Period::year(2026));
        assert_eq!(s.value(0, 1), Some(75.0));
        assert_eq!(s.value(1, 1), Some(33.3));
        assert_eq!(s.value(0, 0), None);
        assert!(s.empty.is_none());
        assert!(
            participation_by_month(&Metrics::new(), &Period::year(2026))
                .empty
                .is_some()
        );
    }

    #[test]
    fn recommendations_count_the_period_by_status_and_topic() {
        let m = metrics(&[
            ("rec:02:answered", 2),
            ("rec:11:answered", 1),
            ("rec:02:raised", 4),
            ("rectopic:02:land", 6),
            ("rectopic:11:land", 1),
        ]);
        let s = recommendations_by_status(&m, &Period::year(2026));
        assert_eq!(s.categories.len(), Status::ALL.len());
        assert_eq!(s.value(0, 0), Some(4.0));
        assert_eq!(s.value(0, 3), Some(3.0));
        let feb = Period::parse("2026", "2", "2", 2026).unwrap();
        assert_eq!(recommendations_by_status(&m, &feb).value(0, 3), Some(2.0));
        let t = recommendations_by_topic(&m, &feb);
        assert_eq!(t.categories[0], "Đất đai");
        assert_eq!(t.value(0, 0), Some(6.0));
        let later = Period::parse("2026", "3", "10", 2026).unwrap();
        assert!(recommendations_by_topic(&m, &later).empty.is_some());
    }

    #[test]
    fn members_keep_the_status_order_and_skip_zeros() {
        let s = members_by_status(
            &[
                ("official".into(), 10),
                ("probationary".into(), 2),
                ("exempt".into(), 0),
                ("odd".into(), 1),
            ],
            "31/12/2026",
        );
        assert_eq!(s.categories, ["Dự bị", "Chính thức", "odd"]);
        assert_eq!(s.series[0].values, [Some(2.0), Some(10.0), Some(1.0)]);
        assert!(members_by_status(&[], "31/12/2026").empty.is_some());
    }
}
