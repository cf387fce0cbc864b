//! Sign-in: argon2 passwords, bearer tokens, and the caller's grants.

use super::{AppError, Caller, Result};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::{Actor, Grant, Role};
use crate::domain::ids::{MemberId, OrgId, UserId};
use crate::store;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, phc::PasswordHash};
use base64::Engine;
use rand::RngCore;
use sha2::{Digest, Sha256};

/// How long an API token lives.
const TOKEN_DAYS: i64 = 30;

pub async fn hash_password(password: String) -> Result<String> {
    tokio::task::spawn_blocking(move || {
        Argon2::default()
            .hash_password(password.as_bytes())
            .map(|h| h.to_string())
            .map_err(|e| e.to_string())
    })
    .await
    .map_err(|e| AppError::Internal(e.to_string()))?
    .map_err(AppError::Internal)
}

/// The most argon2 memory a stored hash may ask for (64 MiB); our own
/// hashes use the default 19 MiB.
const MAX_BLOCKS: usize = 64 * 1024;

/// Whether `password` matches the PHC `hash`, computed in `blocks` (grown to
/// the hash's memory cost and kept by the caller for the next check), so the
/// server's argon2 memory is the login gate's few buffers and nothing more:
/// a fresh 19 MiB allocation per check is kept by the allocator per thread
/// and grew a flood to hundreds of MiB. Blocking: run it off the async
/// threads, under the login gate.
pub(super) fn verify_blocking(password: &str, hash: &str, blocks: &mut Vec<argon2::Block>) -> bool {
    let Ok(h) = PasswordHash::new(hash) else {
        return false;
    };
    let (Some(salt), Some(expected)) = (&h.salt, &h.hash) else {
        return false;
    };
    let Ok(algorithm) = argon2::Algorithm::try_from(h.algorithm.as_str()) else {
        return false;
    };
    let version = match h.version.map(argon2::Version::try_from) {
        None => argon2::Version::default(),
        Some(Ok(v)) => v,
        Some(Err(_)) => return false,
    };
    let Ok(params) = argon2::Params::try_from(&h) else {
        return false;
    };
    let n = params.block_count();
    if n > MAX_BLOCKS {
        return false;
    }
    if blocks.len() < n {
        blocks.resize(n, argon2::Block::default());
    }
    let mut out = vec![0u8; expected.len()];
    let Some(area) = blocks.get_mut(..n) else {
        return false;
    };
    Argon2::new(algorithm, version, params)
        .hash_password_into_with_memory(password.as_bytes(), salt.as_ref(), &mut out, area)
        .is_ok()
        && crate::web::extract::same_token_bytes(&out, expected.as_bytes())
}

/// A hash to verify against when the user does not exist, so a wrong
/// username takes as long as a wrong password.
pub(super) static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"chibo-dummy")
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// How long a browser session may last from sign-in, however active
/// (OWASP ASVS 4.0.3 §3.3.2, level 2: 12 hours).
pub const SESSION_ABSOLUTE_SECS: i64 = 12 * 3600;

/// What a browser session carries about its sign-in.
#[derive(Debug, Clone, Copy, serde::Serialize, serde::Deserialize)]
pub struct SessionAuth {
    pub user: UserId,
    pub epoch: i64,
    pub at_secs: i64,
}

impl From<super::login::SignedIn> for SessionAuth {
    fn from(s: super::login::SignedIn) -> Self {
        SessionAuth {
            user: s.user,
            epoch: s.epoch,
            at_secs: s.at_secs,
        }
    }
}

/// Whether a session signed in at `at_secs` with `epoch` still holds at
/// `now_secs` for an account now at `current_epoch`.
pub fn session_holds(s: &SessionAuth, current_epoch: i64, now_secs: i64) -> bool {
    s.epoch == current_epoch
        && now_secs >= s.at_secs - 60
        && now_secs - s.at_secs < SESSION_ABSOLUTE_SECS
}

pub(crate) fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// 256 random bits, URL-safe: bearer tokens and private calendar addresses.
pub(crate) fn secret_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Issues a bearer token; only its SHA-256 is stored. Audited.
pub async fn issue_token(app: &AppState, user: UserId) -> Result<String> {
    let row = store::user::get(&app.db, user)
        .await?
        .ok_or(AppError::Unauthorized)?;
    let org = super::login::audit_org(app, &row).await?;
    let token = secret_token();
    let now = app.clock.now();
    let expires = now
        .checked_add(jiff::SignedDuration::from_hours(24 * TOKEN_DAYS))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = app.db.begin().await?;
    store::user::insert_token(&mut tx, user, &token_hash(&token), now, expires).await?;
    super::login::token_issued(app, &mut tx, &row, org).await?;
    tx.commit().await?;
    Ok(token)
}

/// The caller of a bearer token: the token, the account and the caller epoch
/// in one statement, the grants from the cache when still current.
pub async fn token_caller(app: &AppState, token: &str) -> Result<Caller> {
    let found = store::user::by_token_with_epoch(&app.db, &token_hash(token), app.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)?;
    caller_of(app, found).await
}

/// The caller of an account, with every grant (read afresh; tests and tools).
pub async fn caller(app: &AppState, user: UserId) -> Result<Caller> {
    let found = store::user::get_with_epoch(&app.db, user)
        .await?
        .ok_or(AppError::Unauthorized)?;
    caller_of(app, found).await
}

/// The caller of a browser session, if the session still holds: not past
/// its absolute lifetime, not revoked since (the account's epoch moved on).
/// `read` is the account when it was read with the session in the same
/// request; otherwise it is read here.
pub async fn session_caller(
    app: &AppState,
    s: &SessionAuth,
    read: Option<store::user::UserWithEpoch>,
) -> Result<Caller> {
    let found = match read {
        Some(found) => found,
        None => store::user::get_with_epoch(&app.db, s.user)
            .await?
            .ok_or(AppError::Unauthorized)?,
    };
    if !session_holds(s, found.user.session_epoch, app.clock.now().as_second()) {
        return Err(AppError::Unauthorized);
    }
    caller_of(app, found).await
}

/// Every grant of an enabled account: explicit ones, plus a member's own
/// cell and followed nodes; kept in `app.callers` while `epoch`, today and
/// the member link stay the same (docs/rules.md "Caller cache").
async fn caller_of(app: &AppState, found: store::user::UserWithEpoch) -> Result<Caller> {
    let u = found.user;
    if u.disabled {
        return Err(AppError::Unauthorized);
    }
    let key = super::caller_cache::Key {
        epoch: found.caller_epoch,
        today: app.clock.today(),
        member: u.member_id,
    };
    let home_key = u.member_id.map(|member| super::home_cache::Key {
        member,
        today: key.today,
        caller_epoch: found.caller_epoch,
        member_epoch: found.member_epoch,
        cell_epoch: found.cell_epoch,
    });
    let g = match app.callers.get(u.id, key) {
        Some(g) => g,
        None => {
            let g = load_grants(app, &u, key.today).await?;
            app.callers.put(u.id, key, g.clone());
            g
        }
    };
    let display = u.display();
    Ok(Caller::new(
        Actor {
            user_id: u.id,
            username: u.username,
            display_name: u.display_name,
            member_id: u.member_id,
            grants: g.grants,
        },
        g.grant_dates,
        g.roots,
        home_key,
        display,
    ))
}

/// The grants of `u` read from the database, as of `today`.
async fn load_grants(
    app: &AppState,
    u: &store::user::UserRow,
    today: jiff::civil::Date,
) -> Result<super::caller_cache::Grants> {
    let mut grants: Vec<Grant> = store::user::grants(&app.db, u.id)
        .await?
        .into_iter()
        .filter_map(|(role, org)| Role::from_code(&role).map(|role| Grant::live(role, org)))
        .collect();
    if let Some(m) = u.member_id
        && let Ok(row) = store::member::get(&app.db, m).await
        && row.status().is_active()
    {
        grants.push(Grant::live(Role::Member, row.cell_id));
        // The nodes the member is placed to follow (docs/rules.md "Followers").
        for org in store::follow::followed_by(&app.db, m, today).await? {
            grants.push(Grant::live(Role::Follower, org));
        }
    }
    let ids: Vec<OrgId> = grants.iter().map(|g| g.org).collect();
    let mut orgs = store::org::get_many_latest(&app.db, &ids).await?;
    store::org::sort_by_name(&mut orgs);
    let grant_dates: Vec<(OrgId, jiff::civil::Date)> = orgs
        .iter()
        .map(|o| (o.id, o.reference_date(today)))
        .collect();
    // A grant on a dissolved node reads it as of its last day, and only reads.
    for g in &mut grants {
        g.ended = grant_dates
            .iter()
            .find(|(id, d)| *id == g.org && *d < today)
            .map(|(_, d)| *d);
    }
    Ok(super::caller_cache::Grants {
        grants,
        grant_dates,
        roots: orgs,
    })
}

pub struct NewUser<'a> {
    pub username: &'a str,
    pub password: &'a str,
    pub display_name: &'a str,
    pub member: Option<MemberId>,
    pub grants: Vec<(Role, OrgId)>,
}

fn check_username(username: &str) -> Result<(), ValidationError> {
    let ok = (3..=50).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            "username",
            "Tên đăng nhập",
            "3–50 ký tự gồm chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang",
        ))
    }
}

/// Creates an account (CLI and demo; audited as done by `by`).
pub async fn create_user(app: &AppState, by: &str, new: NewUser<'_>) -> Result<UserId> {
    let mut errors = Vec::new();
    if let Err(e) = check_username(new.username) {
        errors.push(e);
    }
    if new.password.chars().count() < 8 {
        errors.push(ValidationError::new(
            "password",
            "Mật khẩu",
            "phải có ít nhất 8 ký tự",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let hash = hash_password(new.password.to_string()).await?;
    let mut tx = app.db.begin().await?;
    let id =
        store::user::insert(&mut tx, new.username, &hash, new.display_name, new.member).await?;
    for (role, org) in &new.grants {
        store::user::insert_grant(&mut tx, id, role.code(), *org).await?;
    }
    let after = serde_json::json!({
        "username": new.username,
        "display_name": new.display_name,
        "member_id": new.member,
        "grants": new.grants.iter().map(|(r, o)| serde_json::json!({"role": r.code(), "org_id": o})).collect::<Vec<_>>(),
    });
    store::audit::record(
        &mut tx,
        &store::audit::Entry {
            at: app.clock.now(),
            user_id: None,
            username: by,
            action: "create",
            entity: "user",
            entity_id: id.0,
            org_id: new.grants.first().map(|(_, o)| *o),
            summary: &format!("Tạo tài khoản {}", new.username),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames() {
        assert!(check_username("bithu.banhon").is_ok());
        assert!(check_username("Admin").is_err());
        assert!(check_username("ab").is_err());
        assert!(check_username("người").is_err());
    }

    #[test]
    fn a_session_ends_when_revoked_or_twelve_hours_after_sign_in() {
        let s = SessionAuth {
            user: UserId(1),
            epoch: 3,
            at_secs: 1_000_000,
        };
        assert!(session_holds(&s, 3, 1_000_000));
        assert!(session_holds(&s, 3, 1_000_000 + 12 * 3600 - 1));
        assert!(
            !session_holds(&s, 3, 1_000_000 + 12 * 3600),
            "absolute lifetime"
        );
        assert!(!session_holds(&s, 4, 1_000_000), "revoked");
        assert!(
            !session_holds(&s, 3, 1_000_000 - 3600),
            "signed in in the future"
        );
    }

    #[test]
    fn verification_in_a_kept_buffer_agrees_with_argon2() {
        use argon2::PasswordVerifier;
        let hash = Argon2::default()
            .hash_password(b"mat-khau-dung")
            .unwrap()
            .to_string();
        let mut blocks = Vec::new();
        assert!(verify_blocking("mat-khau-dung", &hash, &mut blocks));
        assert_eq!(blocks.len(), 19 * 1024, "grown to the default cost once");
        assert!(!verify_blocking("mat-khau-sai", &hash, &mut blocks));
        assert!(!verify_blocking("", &hash, &mut blocks));
        assert!(
            verify_blocking("mat-khau-dung", &hash, &mut blocks),
            "reused"
        );
        let parsed = PasswordHash::new(&hash).unwrap();
        assert!(
            Argon2::default()
                .verify_password(b"mat-khau-dung", &parsed)
                .is_ok()
        );
        assert!(!verify_blocking("x", "not a hash", &mut blocks));
        // A hash demanding more memory than allowed is refused, not computed.
        let greedy = "$argon2id$v=19$m=1048576,t=2,p=1$c2FsdHNhbHRzYWx0$\
                      AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA";
        let parsed = PasswordHash::new(greedy).unwrap();
        assert!(argon2::Params::try_from(&parsed).unwrap().block_count() > MAX_BLOCKS);
        assert!(!verify_blocking("x", greedy, &mut blocks));
        assert_eq!(blocks.len(), 19 * 1024);
    }

    #[test]
    fn token_hash_is_hex_sha256() {
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(token_hash("abc"), token_hash("abd"));
    }
}
