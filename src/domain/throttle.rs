//! How long a sign-in must wait after recent failures (issue 9): exponential
//! backoff per account and per client address, capped, so guessing is slowed
//! to a few tries an hour while a stranger can never hold a real user off for
//! longer than the cap after their own last try.

use std::net::IpAddr;

/// Failures older than this no longer count.
pub const WINDOW_SECS: i64 = 15 * 60;

#[derive(Debug, Clone, Copy)]
pub struct Policy {
    /// Failures allowed in the window before any wait.
    pub free: i64,
    /// The longest wait, in seconds.
    pub cap_secs: i64,
}

/// One account, from any address.
pub const ACCOUNT: Policy = Policy {
    free: 5,
    cap_secs: 15 * 60,
};

/// One address (an office behind one NAT address has many users), any account.
pub const CLIENT: Policy = Policy {
    free: 20,
    cap_secs: 15 * 60,
};

/// Seconds still to wait, given the failures counted in the window and the
/// time of the latest one: 1 s after `free` failures, doubling with each
/// further failure, never more than the cap.
pub fn wait_secs(p: Policy, failures: i64, last_secs: Option<i64>, now_secs: i64) -> Option<i64> {
    if failures < p.free {
        return None;
    }
    let doublings = u32::try_from((failures - p.free).min(30)).unwrap_or(30);
    let delay = (1i64 << doublings).min(p.cap_secs);
    let until = last_secs? + delay;
    (until > now_secs).then_some((until - now_secs).min(p.cap_secs))
}

/// The key failures of one account are counted under: whatever was typed,
/// trimmed and lowercased, so the count is the same whether the account
/// exists or not (the answer must not tell).
pub fn account_key(username: &str) -> String {
    username.trim().to_lowercase().chars().take(64).collect()
}

/// The key failures of one client are counted under. An IPv6 client owns a
/// whole /64, so that is the unit; IPv4-mapped addresses count as IPv4.
pub fn client_key(ip: IpAddr) -> String {
    match ip {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The wait as a user reads it: seconds under a minute, else whole
/// minutes rounded up.
pub fn wait_text(secs: i64) -> String {
    if secs < 60 {
        format!("{} giây", secs.max(1))
    } else {
        format!("{} phút", (secs + 59) / 60)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn free_tries_then_doubling_waits_capped() {
        let now = 1_000_000;
        assert_eq!(wait_secs(ACCOUNT, 4, Some(now), now), None);
        assert_eq!(wait_secs(ACCOUNT, 5, Some(now), now), Some(1));
        assert_eq!(wait_secs(ACCOUNT, 6, Some(now), now), Some(2));
        assert_eq!(wait_secs(ACCOUNT, 9, Some(now), now), Some(16));
        assert_eq!(wait_secs(ACCOUNT, 500, Some(now), now), Some(900), "capped");
        assert_eq!(wait_secs(ACCOUNT, 9, Some(now - 10), now), Some(6));
        assert_eq!(
            wait_secs(ACCOUNT, 9, Some(now - 16), now),
            None,
            "waited enough"
        );
        assert_eq!(wait_secs(CLIENT, 19, Some(now), now), None);
        assert_eq!(wait_secs(CLIENT, 20, Some(now), now), Some(1));
        // A clock skew between instances never asks for more than the cap.
        assert_eq!(wait_secs(ACCOUNT, 500, Some(now + 10_000), now), Some(900));
    }

    #[test]
    fn keys() {
        assert_eq!(account_key("  Admin "), "admin");
        assert_eq!(account_key(&"x".repeat(500)).len(), 64);
        assert_eq!(client_key("10.1.2.3".parse().unwrap()), "10.1.2.3");
        assert_eq!(
            client_key("2001:db8:1:2:aaaa::1".parse().unwrap()),
            client_key("2001:db8:1:2:bbbb::9".parse().unwrap()),
            "one /64"
        );
        assert_eq!(client_key("::ffff:10.1.2.3".parse().unwrap()), "10.1.2.3");
        assert_eq!(wait_text(0), "1 giây");
        assert_eq!(wait_text(59), "59 giây");
        assert_eq!(wait_text(60), "1 phút");
        assert_eq!(wait_text(61), "2 phút");
    }
}
