//! Application state and the server's lifecycle.

use crate::store::Db;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, Zoned};
use std::sync::LazyLock;

/// Vietnam's zone: "today" is the date in Hà Nội, whatever the server's zone.
pub static VN: LazyLock<TimeZone> = LazyLock::new(|| {
    TimeZone::get("Asia/Ho_Chi_Minh").unwrap_or_else(|_| TimeZone::fixed(jiff::tz::offset(7)))
});

/// The only source of "now"; tests freeze it.
#[derive(Debug, Clone)]
pub enum Clock {
    System,
    Fixed(Timestamp),
}

impl Clock {
    pub fn now(&self) -> Timestamp {
        match self {
            Clock::System => Timestamp::now(),
            Clock::Fixed(t) => *t,
        }
    }

    pub fn today(&self) -> Date {
        self.now().to_zoned(VN.clone()).date()
    }

    pub fn zoned(&self, t: Timestamp) -> Zoned {
        t.to_zoned(VN.clone())
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    pub mailer: std::sync::Arc<crate::mail::Mailer>,
}

impl AppState {
    /// System clock, mail disabled.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            clock: Clock::System,
            mailer: std::sync::Arc::new(crate::mail::Mailer::Disabled),
        }
    }

    pub fn with_clock(mut self, clock: Clock) -> Self {
        self.clock = clock;
        self
    }

    pub fn with_mailer(mut self, mailer: crate::mail::Mailer) -> Self {
        self.mailer = std::sync::Arc::new(mailer);
        self
    }
}
