//! Sign-in: argon2 passwords, bearer tokens, and the caller's grants.

use super::{AppError, Caller, Result};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::{Actor, Grant, Role};
use crate::domain::ids::{MemberId, OrgId, UserId};
use crate::store;
use argon2::Argon2;
use argon2::password_hash::{PasswordHasher, PasswordVerifier, phc::PasswordHash};
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

async fn verify_password(password: String, hash: String) -> bool {
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&hash).is_ok_and(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
    })
    .await
    .unwrap_or(false)
}

/// A hash to verify against when the user does not exist, so a wrong
/// username takes as long as a wrong password.
static DUMMY_HASH: std::sync::LazyLock<String> = std::sync::LazyLock::new(|| {
    Argon2::default()
        .hash_password(b"chibo-dummy")
        .map(|h| h.to_string())
        .unwrap_or_default()
});

/// Checks a username and password; the same answer for either being wrong.
pub async fn login(app: &AppState, username: &str, password: &str) -> Result<UserId> {
    let user = store::user::by_username(&app.db, username.trim()).await?;
    let hash = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| DUMMY_HASH.clone());
    let ok = verify_password(password.to_string(), hash).await;
    match user {
        Some(u) if ok && !u.disabled => Ok(u.id),
        _ => Err(AppError::Unauthorized),
    }
}

fn token_hash(token: &str) -> String {
    let digest = Sha256::digest(token.as_bytes());
    digest.iter().map(|b| format!("{b:02x}")).collect()
}

/// Issues a bearer token; only its SHA-256 is stored.
pub async fn issue_token(app: &AppState, user: UserId) -> Result<String> {
    let mut bytes = [0u8; 32];
    rand::rng().fill_bytes(&mut bytes);
    let token = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    let now = app.clock.now();
    let expires = now
        .checked_add(jiff::SignedDuration::from_hours(24 * TOKEN_DAYS))
        .map_err(|e| AppError::Internal(e.to_string()))?;
    store::user::insert_token(&app.db, user, &token_hash(&token), now, expires).await?;
    Ok(token)
}

pub async fn user_for_token(app: &AppState, token: &str) -> Result<UserId> {
    store::user::by_token(&app.db, &token_hash(token), app.clock.now())
        .await?
        .ok_or(AppError::Unauthorized)
}

/// The caller with every grant: explicit ones, plus a member's own cell.
pub async fn caller(app: &AppState, user: UserId) -> Result<Caller> {
    let u = store::user::get(&app.db, user)
        .await?
        .ok_or(AppError::Unauthorized)?;
    if u.disabled {
        return Err(AppError::Unauthorized);
    }
    let mut grants: Vec<Grant> = store::user::grants(&app.db, user)
        .await?
        .into_iter()
        .filter_map(|(role, org)| Role::from_code(&role).map(|role| Grant::live(role, org)))
        .collect();
    if let Some(m) = u.member_id
        && let Ok(row) = store::member::get(&app.db, m).await
        && row.status().is_active()
    {
        grants.push(Grant::live(Role::Member, row.cell_id));
    }
    let today = app.clock.today();
    let ids: Vec<OrgId> = grants.iter().map(|g| g.org).collect();
    let orgs = store::org::get_many_latest(&app.db, &ids).await?;
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
    Ok(Caller::new(
        Actor {
            user_id: u.id,
            username: u.username,
            display_name: u.display_name,
            member_id: u.member_id,
            grants,
        },
        grant_dates,
    ))
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
    fn token_hash_is_hex_sha256() {
        assert_eq!(token_hash("abc").len(), 64);
        assert_ne!(token_hash("abc"), token_hash("abd"));
    }
}
