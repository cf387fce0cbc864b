//! Dates as Vietnamese users write them. Domain code never reads the clock:
//! callers pass `today`.

use jiff::civil::Date;

/// Parses a date written `dd/mm/yyyy` (also `d/m/yyyy`, `dd-mm-yyyy`,
/// `dd.mm.yyyy`) or ISO `yyyy-mm-dd`.
pub fn parse_date(input: &str) -> Option<Date> {
    let s = input.trim();
    if s.len() == 10 && s.as_bytes()[4] == b'-' {
        return s.parse::<Date>().ok();
    }
    let parts: Vec<&str> = s.split(['/', '-', '.']).collect();
    if parts.len() != 3 || parts[2].len() != 4 {
        return None;
    }
    let day: i8 = parts[0].trim().parse().ok()?;
    let month: i8 = parts[1].trim().parse().ok()?;
    let year: i16 = parts[2].trim().parse().ok()?;
    Date::new(year, month, day).ok()
}

/// `parse_date`, with `default` for a field left empty (a form's "today").
pub fn parse_date_or(input: &str, default: Date) -> Option<Date> {
    match input.trim() {
        "" => Some(default),
        s => parse_date(s),
    }
}

/// The day an Excel serial date stands for: days since 1899-12-30 (the
/// fraction is the time of day). None beyond what a date can hold.
pub fn from_excel_serial(serial: f64) -> Option<Date> {
    if !serial.is_finite() {
        return None;
    }
    let days = serial.floor() as i64;
    // Span::days panics outside ±7,304,484 days: a date cell may hold any number.
    jiff::civil::date(1899, 12, 30)
        .checked_add(jiff::Span::new().try_days(days).ok()?)
        .ok()
}

/// `dd/mm/yyyy`, as dates are shown on every page.
pub fn format_date(date: Date) -> String {
    format!("{:02}/{:02}/{:04}", date.day(), date.month(), date.year())
}

/// The day before `date`: the last day a node closed on `date` existed.
pub fn day_before(date: Date) -> Date {
    date.yesterday().unwrap_or(date)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn an_empty_field_takes_the_default() {
        let today = date(2026, 11, 29);
        assert_eq!(parse_date_or("  ", today), Some(today));
        assert_eq!(parse_date_or("03/02/1990", today), Some(date(1990, 2, 3)));
        assert_eq!(parse_date_or("3 tháng 2", today), None);
    }

    #[test]
    fn parses_vietnamese_and_iso_dates() {
        assert_eq!(parse_date("03/02/1990"), Some(date(1990, 2, 3)));
        assert_eq!(parse_date(" 3/2/1990 "), Some(date(1990, 2, 3)));
        assert_eq!(parse_date("03-02-1990"), Some(date(1990, 2, 3)));
        assert_eq!(parse_date("1990-02-03"), Some(date(1990, 2, 3)));
        assert_eq!(parse_date("31/02/1990"), None);
        assert_eq!(parse_date("1990/02/03"), None);
        assert_eq!(parse_date("hôm qua"), None);
        assert_eq!(parse_date(""), None);
    }

    #[test]
    fn formats_dd_mm_yyyy() {
        assert_eq!(format_date(date(2018, 6, 30)), "30/06/2018");
    }
}
