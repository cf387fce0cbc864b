//! Signing in: throttled per account and per client address, with a bounded
//! number of password hashes in flight, and every outcome audited.
//!
//! The throttle's memory is the `login_failure` table, so two instances on
//! one database slow the same guesser down. The answer never tells whether
//! the username exists: unknown names are counted and hashed like real ones.

use super::{AppError, Result};
use crate::app::AppState;
use crate::domain::ids::{OrgId, UserId};
use crate::domain::throttle;
use crate::store;
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Semaphore;

/// Longer passwords are refused unhashed (ASVS asks to accept at least 64).
const MAX_PASSWORD_BYTES: usize = 1024;

/// How many argon2 verifications may run at once in this process, and how
/// long a sign-in waits for a turn before being told to come back.
/// Each turn comes with a work area passed from check to check while checks
/// overlap, so the argon2 memory of the process is at most `max_hashes` ×
/// 19 MiB during a burst; the last check of a burst frees them all, so an
/// idle server holds none (issue 14: a kept area was 19 of its 48 MiB).
#[derive(Debug)]
pub struct LoginGate {
    hashes: Arc<Semaphore>,
    max_hashes: usize,
    wait: Duration,
    areas: Arc<Mutex<Vec<Vec<argon2::Block>>>>,
}

impl LoginGate {
    pub fn new(max_hashes: usize, wait: Duration) -> Self {
        let max_hashes = max_hashes.max(1);
        LoginGate {
            hashes: Arc::new(Semaphore::new(max_hashes)),
            max_hashes,
            wait,
            areas: Arc::default(),
        }
    }

    /// The permits themselves (tests hold them to fill the gate).
    pub fn hashes(&self) -> &Arc<Semaphore> {
        &self.hashes
    }

    /// Work areas waiting for the next check.
    pub fn kept_areas(&self) -> usize {
        self.areas.lock().map(|a| a.len()).unwrap_or(0)
    }
}

impl Default for LoginGate {
    /// Each verification takes about 19 MiB and a core for tens of
    /// milliseconds: 4 at once bound both.
    fn default() -> Self {
        LoginGate::new(4, Duration::from_secs(2))
    }
}

/// Where a sign-in came from, for the audit log.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Channel {
    Page,
    Api,
}

impl Channel {
    fn label(self) -> &'static str {
        match self {
            Channel::Page => "trang web",
            Channel::Api => "API",
        }
    }
}

/// A successful sign-in: what a session keeps.
#[derive(Debug, Clone, Copy)]
pub struct SignedIn {
    pub user: UserId,
    /// The account's session epoch at sign-in.
    pub epoch: i64,
    /// When (Unix seconds, by the app clock): sessions end 12 hours later.
    pub at_secs: i64,
}

async fn verify(gate: &LoginGate, password: String, hash: Option<String>) -> Result<bool> {
    let permit = match tokio::time::timeout(gate.wait, gate.hashes.clone().acquire_owned()).await {
        Ok(Ok(p)) => p,
        _ => return Err(AppError::Busy),
    };
    // The permit moves into the blocking task: a client that hangs up does
    // not free a turn while its hash still runs. Holding a permit means a
    // work area is free (or may be made: there are never more than permits).
    let areas = gate.areas.clone();
    let hashes = gate.hashes.clone();
    let max_hashes = gate.max_hashes;
    tokio::task::spawn_blocking(move || {
        let _permit = permit;
        let mut area = areas
            .lock()
            .ok()
            .and_then(|mut a| a.pop())
            .unwrap_or_default();
        let hash = hash.unwrap_or_else(|| super::auth::DUMMY_HASH.clone());
        let ok = super::auth::verify_blocking(&password, &hash, &mut area);
        // Our permit is still held: all others free means no check overlaps
        // this one, so nobody will want an area soon. Freed after the lock.
        let mut freed = Vec::new();
        if let Ok(mut a) = areas.lock() {
            if hashes.available_permits() + 1 >= max_hashes {
                freed = std::mem::take(&mut *a);
                freed.push(area);
            } else {
                a.push(area);
            }
        }
        drop(freed);
        ok
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))
}

/// The node an account's audit rows belong to: its first grant, else its
/// member's cell; none (admin only) for an account placed nowhere.
pub async fn audit_org(app: &AppState, user: &store::user::UserRow) -> Result<Option<OrgId>> {
    if let Some((_, org)) = store::user::grants(&app.db, user.id).await?.first() {
        return Ok(Some(*org));
    }
    Ok(match user.member_id {
        Some(m) => store::member::get(&app.db, m).await.ok().map(|r| r.cell_id),
        None => None,
    })
}

struct Event<'a> {
    action: &'a str,
    by: Option<UserId>,
    username: &'a str,
    entity_id: i64,
    org: Option<OrgId>,
    summary: String,
}

async fn record(app: &AppState, tx: &mut store::Tx, e: Event<'_>) -> Result<()> {
    store::audit::record(
        tx,
        &store::audit::Entry {
            at: app.clock.now(),
            user_id: e.by,
            username: e.username,
            action: e.action,
            entity: "user",
            entity_id: e.entity_id,
            org_id: e.org,
            summary: &e.summary,
            before: None,
            after: None,
        },
    )
    .await?;
    Ok(())
}

/// Checks a username and password for a client (its throttle key from
/// [`throttle::client_key`]); the same answer for any wrong part.
pub async fn login(
    app: &AppState,
    channel: Channel,
    client: &str,
    username: &str,
    password: &str,
) -> Result<SignedIn> {
    let now = app.clock.now().as_second();
    let key = throttle::account_key(username);
    let ((user_n, user_last), (client_n, client_last)) =
        store::login::recent(&app.db, &key, client, now - throttle::WINDOW_SECS).await?;
    let wait = [
        throttle::wait_secs(throttle::ACCOUNT, user_n, user_last, now),
        throttle::wait_secs(throttle::CLIENT, client_n, client_last, now),
    ]
    .into_iter()
    .flatten()
    .max();
    if let Some(secs) = wait {
        // Not audited: refused before any work, and a flood of refusals must
        // not fill the log.
        return Err(AppError::Throttled(secs));
    }
    let user = store::user::by_username(&app.db, username.trim()).await?;
    let ok = password.len() <= MAX_PASSWORD_BYTES
        && verify(
            &app.login,
            password.to_string(),
            user.as_ref().map(|u| u.password_hash.clone()),
        )
        .await?;
    let mut tx = app.db.begin().await?;
    match user {
        Some(u) if ok && !u.disabled => {
            store::login::clear_account(&mut tx, &key).await?;
            if channel == Channel::Page {
                let org = audit_org(app, &u).await?;
                record(
                    app,
                    &mut tx,
                    Event {
                        action: "login",
                        by: Some(u.id),
                        username: &u.username,
                        entity_id: u.id.0,
                        org,
                        summary: format!("Đăng nhập ({}) từ {client}", channel.label()),
                    },
                )
                .await?;
            }
            tx.commit().await?;
            Ok(SignedIn {
                user: u.id,
                epoch: u.session_epoch,
                at_secs: now,
            })
        }
        other => {
            store::login::record_failure(&mut tx, now, &key, client, now - 24 * 3600).await?;
            let (id, org) = match &other {
                Some(u) => (u.id.0, audit_org(app, u).await?),
                None => (0, None),
            };
            record(
                app,
                &mut tx,
                Event {
                    action: "login_failed",
                    by: None,
                    username: &key,
                    entity_id: id,
                    org,
                    summary: format!("Đăng nhập thất bại ({}) từ {client}", channel.label()),
                },
            )
            .await?;
            tx.commit().await?;
            Err(AppError::Unauthorized)
        }
    }
}

/// Audits a sign-out (the session itself is deleted by the caller).
pub async fn logout(app: &AppState, caller: &super::Caller) -> Result<()> {
    let Some(u) = store::user::get(&app.db, caller.actor.user_id).await? else {
        return Ok(());
    };
    let org = audit_org(app, &u).await?;
    let mut tx = app.db.begin().await?;
    record(
        app,
        &mut tx,
        Event {
            action: "logout",
            by: Some(u.id),
            username: &u.username,
            entity_id: u.id.0,
            org,
            summary: "Đăng xuất".to_string(),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Audits the issue of an API token (written with the token row).
pub(super) async fn token_issued(
    app: &AppState,
    tx: &mut store::Tx,
    user: &store::user::UserRow,
    org: Option<OrgId>,
) -> Result<()> {
    record(
        app,
        tx,
        Event {
            action: "issue_token",
            by: Some(user.id),
            username: &user.username,
            entity_id: user.id.0,
            org,
            summary: "Cấp mã truy cập API".to_string(),
        },
    )
    .await
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn a_lone_check_frees_its_work_area_and_overlapping_ones_pass_it_on() {
        let gate = LoginGate::new(2, Duration::from_secs(5));
        let hash = super::super::auth::DUMMY_HASH.clone();
        assert!(
            !verify(&gate, "sai".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert_eq!(gate.kept_areas(), 0, "an idle gate keeps no 19 MiB area");
        // Another check in flight (its permit held): the area is kept for it.
        let other = gate.hashes().clone().acquire_owned().await.unwrap();
        assert!(
            verify(&gate, "chibo-dummy".into(), Some(hash.clone()))
                .await
                .unwrap()
        );
        assert_eq!(gate.kept_areas(), 1);
        drop(other);
        assert!(!verify(&gate, "sai".into(), Some(hash)).await.unwrap());
        assert_eq!(
            gate.kept_areas(),
            0,
            "the last check of a burst frees them all"
        );
    }
}
