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

/// How the server is reached, which decides the cookie and transport rules.
#[derive(Debug, Clone)]
pub struct WebSettings {
    /// The address users type (`--public-url`), e.g. https://chibo.tinh.vn.
    pub public_url: String,
    /// Trust the last `X-Forwarded-For` entry as the client address (only
    /// behind a reverse proxy that sets it).
    pub trust_forwarded: bool,
    /// Bearer token for GET /metrics (`--metrics-token`); without one only
    /// loopback requests read it.
    pub metrics_token: Option<String>,
}

impl WebSettings {
    /// Served over HTTPS: cookies are `Secure` and HSTS is sent.
    pub fn https(&self) -> bool {
        self.public_url
            .get(..8)
            .is_some_and(|s| s.eq_ignore_ascii_case("https://"))
    }
}

impl Default for WebSettings {
    fn default() -> Self {
        WebSettings {
            public_url: "http://127.0.0.1:8080".into(),
            trust_forwarded: false,
            metrics_token: None,
        }
    }
}

#[derive(Clone, Debug)]
pub struct AppState {
    pub db: Db,
    pub clock: Clock,
    pub mailer: std::sync::Arc<crate::mail::Mailer>,
    pub web: std::sync::Arc<WebSettings>,
    /// Bounds the password hashes in flight (one gate per process).
    pub login: std::sync::Arc<crate::service::login::LoginGate>,
    /// Wakes the mail worker when a transaction has queued mail
    /// (`service::outbox`); without a worker nobody listens.
    pub outbox: std::sync::Arc<tokio::sync::Notify>,
    /// Callers' grants, checked against `caller_epoch` on every request
    /// (`service::caller_cache`); one per process.
    pub callers: std::sync::Arc<crate::service::caller_cache::CallerCache>,
    /// Members' home pages, checked against their epochs on every request
    /// (`service::home_cache`); one per process.
    pub homes: std::sync::Arc<crate::service::home_cache::HomeCache>,
    /// Member lists and searches, checked against their node's epoch
    /// (`service::member_list_cache`); one per process.
    pub member_lists: std::sync::Arc<crate::service::member_list_cache::MemberListCache>,
    /// Dashboards, checked against their node's epoch
    /// (`service::dashboard_cache`); one per process.
    pub dashboards: std::sync::Arc<crate::service::dashboard_cache::DashboardCache>,
    /// Reads of a node about itself, checked against its epoch
    /// (`service::node_memo`); one per process.
    pub nodes: std::sync::Arc<crate::service::node_memo::NodeMemo>,
}

impl AppState {
    /// System clock, mail disabled.
    pub fn new(db: Db) -> Self {
        Self {
            db,
            clock: Clock::System,
            mailer: std::sync::Arc::new(crate::mail::Mailer::Disabled),
            web: std::sync::Arc::default(),
            login: std::sync::Arc::default(),
            outbox: std::sync::Arc::default(),
            callers: std::sync::Arc::default(),
            homes: std::sync::Arc::default(),
            member_lists: std::sync::Arc::default(),
            dashboards: std::sync::Arc::default(),
            nodes: std::sync::Arc::default(),
        }
    }

    pub fn with_web(mut self, web: WebSettings) -> Self {
        self.web = std::sync::Arc::new(web);
        self
    }

    pub fn with_login_gate(mut self, gate: crate::service::login::LoginGate) -> Self {
        self.login = std::sync::Arc::new(gate);
        self
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
