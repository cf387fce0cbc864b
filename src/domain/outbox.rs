//! The mail outbox's rules (docs/rules.md "Mail goes through a durable
//! outbox" and "Reminder the day before a meeting"): when a failed message is
//! tried again, when it is given up, and which day reminders are for.
//! Pure: the caller passes "now" and the random jitter.

use jiff::civil::{Date, Time};
use jiff::{SignedDuration, Timestamp};

/// The first retry waits a minute; each next one twice as long …
pub const FIRST_DELAY_SECS: i64 = 60;
/// … up to an hour.
pub const MAX_DELAY_SECS: i64 = 3600;
/// After this many attempts a message is `failed` and waits for a person
/// (about seven hours of retries: 1+2+4+8+16+32 minutes, then hourly).
pub const MAX_ATTEMPTS: i64 = 12;
/// A message claimed by a worker that has not reported back after this long
/// (the process died while sending) is claimed again. Longer than a batch of
/// sends at the SMTP timeout (10 × 60 s).
pub const LEASE_SECS: i64 = 15 * 60;
/// Reminders go out from this hour (Vietnam time) of the day before the meeting.
pub const REMINDER_FROM: Time = Time::constant(7, 0, 0, 0);

/// Kind of message: the notice itself, or the day-before reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MailKind {
    Notice,
    Reminder,
}

impl MailKind {
    pub fn code(self) -> &'static str {
        match self {
            MailKind::Notice => "notice",
            MailKind::Reminder => "reminder",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        match s {
            "notice" => Some(MailKind::Notice),
            "reminder" => Some(MailKind::Reminder),
            _ => None,
        }
    }
    pub fn label(self) -> &'static str {
        match self {
            MailKind::Notice => "Thông báo",
            MailKind::Reminder => "Nhắc lịch",
        }
    }
}

/// Delivery state of a message.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum MailState {
    /// Waiting for its next attempt (`next_attempt_at`).
    Queued,
    /// Claimed by a worker; `next_attempt_at` is the lease's end.
    Sending,
    Sent,
    /// Given up after `MAX_ATTEMPTS`, or undeliverable (bad address).
    Failed,
}

impl MailState {
    pub const ALL: [MailState; 4] = [
        MailState::Queued,
        MailState::Sending,
        MailState::Sent,
        MailState::Failed,
    ];
    pub fn code(self) -> &'static str {
        match self {
            MailState::Queued => "queued",
            MailState::Sending => "sending",
            MailState::Sent => "sent",
            MailState::Failed => "failed",
        }
    }
    pub fn from_code(s: &str) -> Option<Self> {
        MailState::ALL.into_iter().find(|m| m.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            MailState::Queued => "Đang chờ gửi",
            MailState::Sending => "Đang gửi",
            MailState::Sent => "Đã gửi",
            MailState::Failed => "Không gửi được",
        }
    }
}

/// The wait before attempt `attempts + 1`, after `attempts` failed ones
/// (≥ 1): 1, 2, 4, … minutes capped at an hour, shortened by up to a fifth
/// at random (`jitter` in [0, 1)) so that messages failing together do not
/// all come back in the same second.
pub fn backoff(attempts: i64, jitter: f64) -> SignedDuration {
    let doublings = (attempts.max(1) - 1).min(20) as u32;
    let nominal = FIRST_DELAY_SECS
        .saturating_mul(1i64 << doublings)
        .min(MAX_DELAY_SECS);
    let jitter = if jitter.is_finite() {
        jitter.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let millis = (nominal as f64 * 1000.0 * (1.0 - 0.2 * jitter)).round() as i64;
    SignedDuration::from_millis(millis)
}

/// What to do with a message after a failed attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AfterFailure {
    RetryAt(Timestamp),
    GiveUp,
}

/// After attempt number `attempts` failed at `now`: try again after the
/// backoff, or give up once `MAX_ATTEMPTS` are spent, or at once when the
/// error is permanent (the address cannot be parsed: retrying cannot help),
/// or when the meeting's day is over (a notice after the meeting is noise).
pub fn after_failure(
    attempts: i64,
    permanent: bool,
    now: Timestamp,
    today: Date,
    meeting_day: Date,
    jitter: f64,
) -> AfterFailure {
    if permanent || attempts >= MAX_ATTEMPTS || today > meeting_day {
        return AfterFailure::GiveUp;
    }
    match now.checked_add(backoff(attempts, jitter)) {
        Ok(t) => AfterFailure::RetryAt(whole_seconds(t)),
        Err(_) => AfterFailure::GiveUp,
    }
}

/// Why a due message is not sent at all: its meeting was cancelled after it
/// was queued (the notice would call members to a meeting that will not
/// take place).
pub fn not_to_send(meeting_status: &str) -> Option<&'static str> {
    (meeting_status == "cancelled").then_some("cuộc họp đã hủy: thư không gửi")
}

/// Timestamps of the outbox are kept to the second: SQLite compares them as
/// text, and only the fixed-width form without a fraction sorts as time does.
pub fn whole_seconds(t: Timestamp) -> Timestamp {
    Timestamp::from_second(t.as_second()).unwrap_or(t)
}

/// The meeting day reminders are due for at local date-time `now_local`:
/// tomorrow, once the morning of the day before has come (`REMINDER_FROM`);
/// `None` before that hour.
pub fn reminder_day(today: Date, now_local: Time) -> Option<Date> {
    if now_local < REMINDER_FROM {
        return None;
    }
    today.tomorrow().ok()
}

/// Whether a meeting gets reminders: its notice went out before the day
/// before the meeting (a notice sent that same day is itself fresh), and it
/// is neither held nor cancelled.
pub fn meeting_wants_reminder(status: &str, notice_sent_on: Option<Date>, today: Date) -> bool {
    !matches!(status, "held" | "cancelled") && notice_sent_on.is_some_and(|d| d < today)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn secs(d: SignedDuration) -> i64 {
        d.as_secs()
    }

    #[test]
    fn backoff_doubles_from_a_minute_to_an_hour() {
        let plain: Vec<i64> = (1..=9).map(|a| secs(backoff(a, 0.0))).collect();
        assert_eq!(plain, [60, 120, 240, 480, 960, 1920, 3600, 3600, 3600]);
        // Nonsense input stays in range.
        assert_eq!(secs(backoff(0, 0.0)), 60);
        assert_eq!(secs(backoff(-3, 0.0)), 60);
        assert_eq!(secs(backoff(10_000, 0.0)), 3600);
        assert_eq!(secs(backoff(1, f64::NAN)), 60);
    }

    #[test]
    fn jitter_shortens_by_at_most_a_fifth_and_keeps_growth() {
        for a in 1..=MAX_ATTEMPTS {
            let hi = backoff(a, 0.0);
            let lo = backoff(a, 0.999_999);
            assert!(lo <= hi && lo.as_millis() >= hi.as_millis() * 4 / 5, "{a}");
        }
        // The shortest wait of the next attempt is longer than the longest of
        // this one until the cap: the schedule grows whatever the jitter.
        for a in 1..6 {
            assert!(backoff(a + 1, 0.999) > backoff(a, 0.0), "{a}");
        }
        assert_eq!(backoff(1, 2.0), backoff(1, 1.0));
    }

    #[test]
    fn a_failure_is_retried_until_the_limit_or_the_meeting() {
        let now: Timestamp = "2026-11-23T03:00:00Z".parse().unwrap();
        let today = date(2026, 11, 23);
        let meeting = date(2026, 11, 25);
        assert_eq!(
            after_failure(1, false, now, today, meeting, 0.0),
            AfterFailure::RetryAt("2026-11-23T03:01:00Z".parse().unwrap())
        );
        assert_eq!(
            after_failure(3, false, now, today, meeting, 0.5),
            AfterFailure::RetryAt("2026-11-23T03:03:36Z".parse().unwrap())
        );
        assert_eq!(
            after_failure(MAX_ATTEMPTS - 1, false, now, today, meeting, 0.0),
            AfterFailure::RetryAt("2026-11-23T04:00:00Z".parse().unwrap())
        );
        assert_eq!(
            after_failure(MAX_ATTEMPTS, false, now, today, meeting, 0.0),
            AfterFailure::GiveUp
        );
        assert_eq!(
            after_failure(1, true, now, today, meeting, 0.0),
            AfterFailure::GiveUp
        );
        // The meeting day itself still counts; the day after does not.
        assert!(matches!(
            after_failure(1, false, now, meeting, meeting, 0.0),
            AfterFailure::RetryAt(_)
        ));
        assert_eq!(
            after_failure(1, false, now, date(2026, 11, 26), meeting, 0.0),
            AfterFailure::GiveUp
        );
    }

    #[test]
    fn retry_times_are_whole_seconds() {
        let now: Timestamp = "2026-11-23T03:00:00.123456Z".parse().unwrap();
        let AfterFailure::RetryAt(t) =
            after_failure(2, false, now, date(2026, 11, 23), date(2026, 11, 24), 0.37)
        else {
            panic!("retry")
        };
        assert_eq!(t.subsec_nanosecond(), 0);
        assert_eq!(t.to_string().len(), "2026-11-23T03:01:52Z".len());
    }

    #[test]
    fn reminders_are_for_tomorrow_from_seven_in_the_morning() {
        let today = date(2026, 11, 23);
        assert_eq!(reminder_day(today, Time::constant(6, 59, 59, 0)), None);
        assert_eq!(
            reminder_day(today, Time::constant(7, 0, 0, 0)),
            Some(date(2026, 11, 24))
        );
        assert_eq!(
            reminder_day(date(2026, 12, 31), Time::constant(23, 0, 0, 0)),
            Some(date(2027, 1, 1))
        );
    }

    #[test]
    fn only_noticed_planned_meetings_get_reminders() {
        let today = date(2026, 11, 23);
        let earlier = Some(date(2026, 11, 21));
        assert!(meeting_wants_reminder("planned", earlier, today));
        assert!(!meeting_wants_reminder("planned", None, today));
        assert!(!meeting_wants_reminder("planned", Some(today), today));
        assert!(!meeting_wants_reminder("held", earlier, today));
        assert!(!meeting_wants_reminder("cancelled", earlier, today));
    }

    #[test]
    fn mail_of_a_cancelled_meeting_is_not_sent() {
        assert!(not_to_send("cancelled").is_some());
        assert_eq!(not_to_send("planned"), None);
        assert_eq!(not_to_send("held"), None);
    }

    #[test]
    fn codes_round_trip() {
        for s in MailState::ALL {
            assert_eq!(MailState::from_code(s.code()), Some(s));
        }
        for k in [MailKind::Notice, MailKind::Reminder] {
            assert_eq!(MailKind::from_code(k.code()), Some(k));
        }
        assert_eq!(MailState::from_code("x"), None);
    }
}
