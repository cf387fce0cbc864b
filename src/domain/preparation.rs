//! Before a regular meeting the cell committee (chi ủy), or the secretary and
//! deputy where the cell has none, agrees its content (docs/rules.md "The cell
//! committee agrees the content first"; Hướng dẫn 42-HD/BTCTW, 28/10/2025).

use super::ValidationError;
use super::meeting::has_committee;
use jiff::civil::Date;

/// Who agrees the content in a cell with this many full members.
pub fn agreeing_body(full_members: i64) -> &'static str {
    if has_committee(full_members) {
        "Chi ủy"
    } else {
        "Bí thư, phó bí thư"
    }
}

/// The agreement precedes the meeting (it may be the same day) and is not
/// recorded ahead of time.
pub fn check_agreement(
    agreed_on: Date,
    meeting_day: Date,
    today: Date,
) -> Result<(), ValidationError> {
    if agreed_on > meeting_day {
        return Err(ValidationError::new(
            "agreed_on",
            "Ngày thống nhất nội dung",
            "phải trước hoặc trong ngày họp",
        ));
    }
    if agreed_on > today {
        return Err(ValidationError::new(
            "agreed_on",
            "Ngày thống nhất nội dung",
            "không được sau hôm nay",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    // Hướng dẫn 42-HD/BTCTW (28/10/2025): the committee, or the secretary and
    // deputy where there is none, meets to agree the content before the meeting.
    #[test]
    fn the_committee_or_the_secretary_and_deputy_agree() {
        assert_eq!(agreeing_body(9), "Chi ủy");
        assert_eq!(agreeing_body(8), "Bí thư, phó bí thư");
    }

    #[test]
    fn the_agreement_comes_before_the_meeting_and_not_in_the_future() {
        let (day, today) = (date(2026, 12, 3), date(2026, 11, 23));
        assert!(check_agreement(date(2026, 11, 20), day, today).is_ok());
        assert!(check_agreement(date(2026, 11, 23), date(2026, 11, 23), today).is_ok());
        let late = check_agreement(date(2026, 12, 4), day, date(2026, 12, 10)).unwrap_err();
        assert_eq!(late.field, "agreed_on");
        assert!(late.to_string().contains("trước hoặc trong ngày họp"));
        let ahead = check_agreement(date(2026, 11, 30), day, today).unwrap_err();
        assert!(ahead.to_string().contains("sau hôm nay"));
    }
}
