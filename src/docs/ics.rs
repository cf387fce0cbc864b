//! Meetings as iCalendar (RFC 5545): a subscribable feed per cell/member, and a single-event
//! invitation mailed with the notice (domain.md §4.2: notice 1–2 days before; §9.3).
//! Times are wall-clock times in Vietnam, written with TZID=Asia/Ho_Chi_Minh and a VTIMEZONE
//! so clients that do not know the zone still place the meeting correctly.

use chrono::{NaiveDate, NaiveDateTime};
use icalendar::{Calendar, CalendarDateTime, Component, EventLike, EventStatus, Property};

pub const TZID: &str = "Asia/Ho_Chi_Minh";

/// Vietnam has kept UTC+7 without daylight saving since 1975, so one STANDARD rule suffices.
const VTIMEZONE: &str = "BEGIN:VTIMEZONE\r\n\
TZID:Asia/Ho_Chi_Minh\r\n\
X-LIC-LOCATION:Asia/Ho_Chi_Minh\r\n\
BEGIN:STANDARD\r\n\
TZOFFSETFROM:+0700\r\n\
TZOFFSETTO:+0700\r\n\
TZNAME:+07\r\n\
DTSTART:19700101T000000\r\n\
END:STANDARD\r\n\
END:VTIMEZONE\r\n";

#[derive(Debug, Clone, PartialEq)]
pub struct CalEvent {
    /// Stable across updates, so clients replace rather than duplicate the meeting.
    pub uid: String,
    pub summary: String,
    pub description: String,
    pub location: String,
    /// Wall-clock start in Vietnam.
    pub start: jiff::civil::DateTime,
    pub minutes: i64,
    pub cancelled: bool,
}

/// The one place jiff meets chrono (icalendar's date type). jiff's civil range fits inside
/// chrono's, so `None` cannot happen for a valid jiff value.
fn to_chrono(dt: jiff::civil::DateTime) -> Option<NaiveDateTime> {
    NaiveDate::from_ymd_opt(
        i32::from(dt.year()),
        dt.month().unsigned_abs().into(),
        dt.day().unsigned_abs().into(),
    )?
    .and_hms_opt(
        dt.hour().unsigned_abs().into(),
        dt.minute().unsigned_abs().into(),
        dt.second().unsigned_abs().into(),
    )
}

fn local(dt: jiff::civil::DateTime) -> Option<CalendarDateTime> {
    Some(CalendarDateTime::WithTimezone {
        date_time: to_chrono(dt)?,
        tzid: TZID.into(),
    })
}

fn event(e: &CalEvent) -> Option<icalendar::Event> {
    let end = e
        .start
        .checked_add(jiff::Span::new().minutes(e.minutes.max(0)))
        .unwrap_or(e.start);
    let mut ev = icalendar::Event::new();
    ev.uid(&e.uid)
        .summary(&e.summary)
        .description(&e.description)
        .location(&e.location)
        .starts(local(e.start)?)
        .ends(local(end)?)
        .status(if e.cancelled {
            EventStatus::Cancelled
        } else {
            EventStatus::Confirmed
        });
    Some(ev.done())
}

fn base(method: &str) -> Calendar {
    let mut cal = Calendar::empty();
    cal.append_property(Property::new("VERSION", "2.0"))
        .append_property(Property::new("PRODID", "-//chibo//Sinh hoat chi bo//VI"))
        .append_property(Property::new("CALSCALE", "GREGORIAN"))
        .append_property(Property::new("METHOD", method));
    cal
}

/// icalendar has no VTIMEZONE type, and a parsed one would be written back with the UID and
/// DTSTAMP it adds to every component (invalid there), so the fixed text goes in as text,
/// ahead of the events that refer to it.
fn with_timezone(cal: Calendar) -> String {
    let text = cal.to_string();
    let at = text
        .find("BEGIN:VEVENT\r\n")
        .or_else(|| text.rfind("END:VCALENDAR"))
        .unwrap_or(text.len());
    format!("{}{VTIMEZONE}{}", &text[..at], &text[at..])
}

/// A feed of meetings (METHOD:PUBLISH) named `name` in the client (X-WR-CALNAME).
pub fn calendar(name: &str, events: &[CalEvent]) -> String {
    let mut cal = base("PUBLISH");
    cal.name(name)
        .append_property(Property::new("X-WR-TIMEZONE", TZID));
    cal.extend(events.iter().filter_map(event));
    with_timezone(cal.done())
}

/// A single-meeting invitation (METHOD:REQUEST), or METHOD:CANCEL when the meeting is
/// cancelled (RFC 5546), so mail clients update the attendee's calendar either way.
pub fn invitation(e: &CalEvent) -> String {
    let mut cal = base(if e.cancelled { "CANCEL" } else { "REQUEST" });
    cal.extend(event(e));
    with_timezone(cal.done())
}

/// The METHOD of an iCalendar text, for the mail part's `method=` parameter.
pub fn method_of(ics: &str) -> Option<&str> {
    ics.lines()
        .find_map(|l| l.trim_end().strip_prefix("METHOD:"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn meeting() -> CalEvent {
        CalEvent {
            uid: "meeting-42@chibo".into(),
            summary: "Sinh hoạt thường kỳ tháng 11/2026 – Chi bộ 4 (bản Đông Pao)".into(),
            description: "Nội dung: đánh giá kết quả tháng 10; nhiệm vụ tháng 11.\nĐề nghị các đồng chí đảng viên có mặt đúng giờ, đầy đủ, mang theo sổ tay ghi chép."
                .into(),
            location: "Nhà văn hóa bản Đông Pao, xã Bản Hon".into(),
            start: date(2026, 11, 3).at(19, 30, 0, 0),
            minutes: 120,
            cancelled: false,
        }
    }

    fn assert_folded(ics: &str) {
        assert!(ics.contains("\r\n"));
        for line in ics.split("\r\n") {
            assert!(line.len() <= 75, "line over 75 octets: {line:?}");
        }
    }

    #[test]
    fn feed_has_zone_name_and_round_trips() {
        let mut cancelled = meeting();
        cancelled.uid = "meeting-43@chibo".into();
        cancelled.cancelled = true;
        let ics = calendar("Chi bộ 4 (bản Đông Pao)", &[meeting(), cancelled]);
        assert!(ics.contains("X-WR-CALNAME:Chi bộ 4 (bản Đông Pao)"));
        assert!(ics.contains("DTSTART;TZID=Asia/Ho_Chi_Minh:20261103T193000"));
        assert!(ics.contains("DTEND;TZID=Asia/Ho_Chi_Minh:20261103T213000"));
        assert!(ics.contains("BEGIN:VTIMEZONE") && ics.contains("TZOFFSETTO:+0700"));
        assert!(ics.find("BEGIN:VTIMEZONE").unwrap() < ics.find("BEGIN:VEVENT").unwrap());
        let tz = &ics[ics.find("BEGIN:VTIMEZONE").unwrap()..ics.find("END:VTIMEZONE").unwrap()];
        assert!(!tz.contains("UID:") && !tz.contains("DTSTAMP:"));
        assert_eq!(ics.matches("DTSTAMP:").count(), 2);
        assert!(ics.contains("STATUS:CANCELLED") && ics.contains("METHOD:PUBLISH"));
        assert_folded(&ics);

        let parsed: Calendar = ics.parse().unwrap();
        let events: Vec<_> = parsed.events().collect();
        assert_eq!(events.len(), 2);
        let m = meeting();
        assert_eq!(events[0].get_summary(), Some(m.summary.as_str()));
        assert_eq!(events[0].get_description(), Some(m.description.as_str()));
        assert_eq!(events[0].get_location(), Some(m.location.as_str()));
        assert_eq!(events[0].get_uid(), Some("meeting-42@chibo"));
        assert!(
            parsed
                .components
                .iter()
                .any(|c| !matches!(c, icalendar::CalendarComponent::Event(_)))
        );
        assert!(calendar("Trống", &[]).contains("BEGIN:VTIMEZONE"));
    }

    #[test]
    fn invitation_is_a_request_or_cancel() {
        let ics = invitation(&meeting());
        assert_eq!(method_of(&ics), Some("REQUEST"));
        assert!(ics.contains("DTSTART;TZID=Asia/Ho_Chi_Minh:20261103T193000"));
        assert_folded(&ics);
        let parsed: Calendar = ics.parse().unwrap();
        assert_eq!(parsed.events().count(), 1);
        assert_eq!(
            parsed.events().next().unwrap().get_summary(),
            Some("Sinh hoạt thường kỳ tháng 11/2026 – Chi bộ 4 (bản Đông Pao)")
        );
        let mut c = meeting();
        c.cancelled = true;
        assert_eq!(method_of(&invitation(&c)), Some("CANCEL"));
    }
}
