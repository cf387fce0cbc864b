//! A cell's registered calendar (lịch sinh hoạt, domain.md §4.1, §6): the day
//! of the month, time and place of its regular meeting, laid out over a year;
//! and the standard agenda of each kind of meeting (domain.md §4.5).

use super::ValidationError;
use super::meeting::MeetingKind;
use super::text;
use jiff::civil::{Date, Time};

/// The recurring rule of a cell's regular meeting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recurrence {
    /// 1–31; a month shorter than that meets on its last day.
    pub day_of_month: i8,
    pub time: Time,
    pub place: String,
}

impl Recurrence {
    /// Bản Hon's rule: the 3rd of each month (domain.md §4.1), in the evening.
    pub fn default_rule() -> Self {
        Recurrence {
            day_of_month: 3,
            time: Time::constant(19, 30, 0, 0),
            place: "Nhà văn hóa".into(),
        }
    }

    pub fn parse(day: &str, time: &str, place: &str) -> Result<Self, Vec<ValidationError>> {
        let mut errors = Vec::new();
        let day_of_month = match day.trim().parse::<i8>() {
            Ok(d) if (1..=31).contains(&d) => d,
            _ => {
                errors.push(ValidationError::new(
                    "day_of_month",
                    "Ngày sinh hoạt",
                    "phải là số từ 1 đến 31",
                ));
                0
            }
        };
        let time = match parse_time(time) {
            Some(t) => t,
            None => {
                errors.push(ValidationError::new(
                    "time",
                    "Giờ",
                    "không đúng định dạng HH:MM",
                ));
                Time::midnight()
            }
        };
        let place = text::clean(place);
        if place.is_empty() {
            errors.push(ValidationError::new(
                "place",
                "Địa điểm",
                "không được để trống",
            ));
        }
        if errors.is_empty() {
            Ok(Recurrence {
                day_of_month,
                time,
                place,
            })
        } else {
            Err(errors)
        }
    }

    /// The day of the regular meeting in a month.
    pub fn day_in(&self, year: i16, month: i8) -> Option<Date> {
        let first = Date::new(year, month, 1).ok()?;
        let last = first.last_of_month().day();
        Date::new(year, month, self.day_of_month.min(last)).ok()
    }

    /// The twelve regular meetings of a year.
    pub fn year(&self, year: i16) -> Vec<Date> {
        (1..=12).filter_map(|m| self.day_in(year, m)).collect()
    }
}

/// `19:30`, `7:00`, `19h30`.
pub fn parse_time(input: &str) -> Option<Time> {
    let s = input.trim().to_lowercase().replace('h', ":");
    let (h, m) = s.split_once(':').unwrap_or((s.as_str(), "0"));
    let h: i8 = h.trim().parse().ok()?;
    let m: i8 = if m.trim().is_empty() {
        0
    } else {
        m.trim().parse().ok()?
    };
    Time::new(h, m, 0, 0).ok()
}

pub fn format_time(t: Time) -> String {
    format!("{:02}:{:02}", t.hour(), t.minute())
}

/// The standard steps of a meeting of this kind (domain.md §4.5).
pub fn standard_agenda(kind: MeetingKind) -> Vec<&'static str> {
    let regular = [
        "Khai mạc: tuyên bố lý do, giới thiệu đại biểu; cử thư ký; báo cáo tình hình đảng viên dự họp; tình hình đóng đảng phí; thông qua chương trình",
        "Kiểm điểm thực hiện nghị quyết tháng trước (từng nhiệm vụ, từng đảng viên)",
        "Thông tin thời sự, phổ biến văn bản mới của cấp trên; tình hình tư tưởng đảng viên, dư luận nhân dân",
        "Thảo luận; tự phê bình và phê bình; biểu dương, nhắc nhở đảng viên",
        "Kết luận của chủ trì; giao nhiệm vụ tháng tới cho từng đảng viên, có thời hạn; xử lý kiến nghị của đảng viên",
        "Biểu quyết thông qua nghị quyết; tự đánh giá chất lượng buổi sinh hoạt",
        "Thư ký đọc biên bản; hội nghị thông qua; chủ trì và thư ký ký biên bản",
    ];
    let thematic = [
        "Khai mạc: tuyên bố lý do, giới thiệu đại biểu, cử thư ký, thông qua chương trình",
        "Trình bày chuyên đề",
        "Tham luận của đảng viên được phân công",
        "Thảo luận, liên hệ bản thân và đơn vị",
        "Kết luận của chủ trì; thông qua nghị quyết chuyên đề (nếu có)",
        "Thư ký đọc biên bản; hội nghị thông qua; chủ trì và thư ký ký biên bản",
    ];
    match kind {
        MeetingKind::Thematic => thematic.to_vec(),
        MeetingKind::Combined => {
            let mut v = regular[..6].to_vec();
            v.extend_from_slice(&thematic[1..5]);
            v.push(regular[6]);
            v
        }
        MeetingKind::SelfCriticism => vec![
            "Khai mạc: tuyên bố lý do, cử thư ký, thông qua chương trình",
            "Từng đảng viên trình bày bản kiểm điểm",
            "Chi bộ góp ý, phê bình",
            "Biểu quyết đánh giá, xếp loại",
            "Thư ký đọc biên bản; chủ trì và thư ký ký biên bản",
        ],
        _ => regular.to_vec(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn third_of_each_month() {
        let r = Recurrence::default_rule();
        let days = r.year(2026);
        assert_eq!(days.len(), 12);
        assert!(days.iter().all(|d| d.day() == 3));
    }

    #[test]
    fn short_months_meet_on_their_last_day() {
        let r = Recurrence {
            day_of_month: 31,
            ..Recurrence::default_rule()
        };
        assert_eq!(r.day_in(2026, 2), Some(date(2026, 2, 28)));
        assert_eq!(r.day_in(2024, 2), Some(date(2024, 2, 29)));
        assert_eq!(r.day_in(2026, 4), Some(date(2026, 4, 30)));
    }

    #[test]
    fn parsing() {
        assert_eq!(parse_time("19h30"), Some(Time::constant(19, 30, 0, 0)));
        assert_eq!(parse_time("7:05"), Some(Time::constant(7, 5, 0, 0)));
        assert_eq!(parse_time("25:00"), None);
        let errs = Recurrence::parse("0", "x", " ").unwrap_err();
        assert_eq!(errs.len(), 3);
        assert_eq!(
            Recurrence::parse("3", "19:30", " Nhà  văn hóa ")
                .unwrap()
                .place,
            "Nhà văn hóa"
        );
    }

    #[test]
    fn agendas_follow_the_standard_procedure() {
        assert_eq!(standard_agenda(MeetingKind::Regular).len(), 7);
        assert!(
            standard_agenda(MeetingKind::Thematic)
                .iter()
                .any(|s| s.contains("Tham luận"))
        );
        let combined = standard_agenda(MeetingKind::Combined);
        assert!(combined.last().is_some_and(|s| s.contains("ký biên bản")));
        assert_eq!(
            combined
                .iter()
                .filter(|s| s.contains("ký biên bản"))
                .count(),
            1
        );
    }
}
