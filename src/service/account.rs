//! Accounts as administrators and staff manage them: list, view, disable,
//! enable, remove a grant, end every session and API token. An account lives
//! wherever it holds a grant and at its member's cell; staff manage it only
//! when all of those lie below their node (`authz::decide_all`).

use super::{AppError, Caller, Change, PAGE_SIZE, Page, Result, authorize_org};
use crate::app::AppState;
use crate::domain::authz::{Action, Decision, Role, Target, decide_all};
use crate::domain::display::Display;
use crate::domain::ids::{MemberId, OrgId, UserId};
use crate::store::{self, user::GrantRow, user::UserRow};

/// One grant as the account page shows it.
#[derive(Debug, Clone)]
pub struct GrantView {
    pub id: i64,
    pub role: Option<Role>,
    pub role_code: String,
    pub org_id: OrgId,
    pub org_name: String,
}

#[derive(Debug, Clone)]
pub struct AccountView {
    pub user: UserRow,
    pub grants: Vec<GrantView>,
    /// The linked member: id and name.
    pub member: Option<(MemberId, String)>,
}

/// Loads an account and checks `action` at every place it holds.
pub(crate) async fn authorize_account(
    app: &AppState,
    caller: &Caller,
    action: Action,
    id: UserId,
) -> Result<(UserRow, Vec<GrantRow>, Option<OrgId>)> {
    let user = store::user::get(&app.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let grants = store::user::grant_rows(&app.db, id).await?;
    let cell = match user.member_id {
        Some(m) => store::member::get(&app.db, m).await.ok().map(|r| r.cell_id),
        None => None,
    };
    let mut places: Vec<OrgId> = grants.iter().map(|g| g.org_id).chain(cell).collect();
    places.sort();
    places.dedup();
    let mut paths = Vec::with_capacity(places.len());
    for org in &places {
        paths.push(super::access::org_paths(app, caller, *org).await?.1);
    }
    let targets: Vec<Target> = places
        .iter()
        .zip(&paths)
        .map(|(org, paths)| Target {
            org: *org,
            paths,
            member: None,
        })
        .collect();
    match decide_all(&caller.actor, action, &targets) {
        Decision::Allowed => Ok((user, grants, cell)),
        Decision::Denied => Err(AppError::Forbidden),
        Decision::Hidden => Err(AppError::NotFound),
    }
}

/// One page of the accounts placed in a node's subtree.
pub async fn list(app: &AppState, caller: &Caller, org: OrgId, page: i64) -> Result<Page<UserRow>> {
    let row = authorize_org(app, caller, Action::ListAccounts, org).await?;
    let page = page.max(1);
    let (items, total) = store::user::in_subtree(
        &app.db,
        store::org::Root::of(&row),
        row.reference_date(app.clock.today()),
        PAGE_SIZE,
        (page - 1) * PAGE_SIZE,
    )
    .await?;
    Ok(Page {
        items: items.into(),
        total,
        page,
        size: PAGE_SIZE,
    })
}

pub async fn get(app: &AppState, caller: &Caller, id: UserId) -> Result<AccountView> {
    let (user, grants, _) = authorize_account(app, caller, Action::ManageAccounts, id).await?;
    let ids: Vec<OrgId> = grants.iter().map(|g| g.org_id).collect();
    let orgs = store::org::get_many_latest(&app.db, &ids).await?;
    let grants = grants
        .into_iter()
        .map(|g| GrantView {
            id: g.id,
            role: Role::from_code(&g.role),
            org_name: orgs
                .iter()
                .find(|o| o.id == g.org_id)
                .map(|o| o.name.clone())
                .unwrap_or_default(),
            role_code: g.role,
            org_id: g.org_id,
        })
        .collect();
    let member = match user.member_id {
        Some(m) => store::member::get(&app.db, m)
            .await
            .ok()
            .map(|r| (m, r.full_name)),
        None => None,
    };
    Ok(AccountView {
        user,
        grants,
        member,
    })
}

/// The account with this username (for the command line).
pub async fn by_username(app: &AppState, username: &str) -> Result<UserId> {
    store::user::by_username(&app.db, username.trim())
        .await?
        .map(|u| u.id)
        .ok_or(AppError::NotFound)
}

/// Nobody disables, strips or signs out their own account from here: one
/// slip would lock out the last administrator (sign-out is the way to end
/// one's own session).
fn not_self(caller: &Caller, id: UserId) -> Result<()> {
    if id == caller.actor.user_id {
        return Err(AppError::Conflict(
            "không thể tự khóa, thu hồi quyền hay thu hồi phiên của chính tài khoản mình".into(),
        ));
    }
    Ok(())
}

fn place_of(grants: &[GrantRow], cell: Option<OrgId>) -> Option<OrgId> {
    grants.first().map(|g| g.org_id).or(cell)
}

/// The caller's own reading preferences (docs/rules.md "Reading preferences").
pub async fn set_display(app: &AppState, caller: &Caller, d: Display) -> Result<()> {
    let me = caller.actor.user_id;
    if caller.audit_user().is_none() {
        return Err(AppError::Forbidden);
    }
    let before = caller.display;
    if before == d {
        return Ok(());
    }
    let mut tx = app.db.begin().await?;
    store::user::set_display(&mut tx, me, d).await?;
    super::audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "display",
            entity: "user",
            entity_id: me.0,
            org: caller.actor.grants.first().map(|g| g.org),
            summary: &d.summary(),
            before: Some(serde_json::json!(before)),
            after: Some(serde_json::json!(d)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Disables (ending every session and token) or enables an account.
pub async fn set_disabled(
    app: &AppState,
    caller: &Caller,
    id: UserId,
    disabled: bool,
) -> Result<()> {
    let (user, grants, cell) = authorize_account(app, caller, Action::ManageAccounts, id).await?;
    not_self(caller, id)?;
    if user.disabled == disabled {
        return Ok(());
    }
    let mut tx = app.db.begin().await?;
    store::user::set_disabled(&mut tx, id, disabled).await?;
    if disabled {
        store::user::revoke_all(&mut tx, id).await?;
    }
    let summary = if disabled {
        format!("Khóa tài khoản {}", user.username)
    } else {
        format!("Mở khóa tài khoản {}", user.username)
    };
    super::audit(
        app,
        &mut tx,
        caller,
        Change {
            action: if disabled { "disable" } else { "enable" },
            entity: "user",
            entity_id: id.0,
            org: place_of(&grants, cell),
            summary: &summary,
            before: Some(serde_json::json!({"disabled": user.disabled})),
            after: Some(serde_json::json!({"disabled": disabled})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Removes one grant of an account.
pub async fn remove_grant(app: &AppState, caller: &Caller, id: UserId, grant: i64) -> Result<()> {
    let (user, grants, _) = authorize_account(app, caller, Action::ManageAccounts, id).await?;
    not_self(caller, id)?;
    let g = grants
        .iter()
        .find(|g| g.id == grant)
        .ok_or(AppError::NotFound)?;
    let mut tx = app.db.begin().await?;
    if !store::user::delete_grant(&mut tx, id, grant).await? {
        return Err(AppError::NotFound);
    }
    let summary = format!("Thu hồi quyền {} của tài khoản {}", g.role, user.username);
    super::audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "remove_grant",
            entity: "user",
            entity_id: id.0,
            org: Some(g.org_id),
            summary: &summary,
            before: Some(serde_json::json!({"role": g.role, "org_id": g.org_id})),
            after: None,
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// The grant of `role` on `org` (for the command line).
pub async fn grant_id(app: &AppState, id: UserId, role: Role, org: OrgId) -> Result<i64> {
    store::user::grant_rows(&app.db, id)
        .await?
        .into_iter()
        .find(|g| g.role == role.code() && g.org_id == org)
        .map(|g| g.id)
        .ok_or(AppError::NotFound)
}

/// Ends every browser session and deletes every API token of an account;
/// returns how many tokens there were.
pub async fn revoke(app: &AppState, caller: &Caller, id: UserId) -> Result<u64> {
    let (user, grants, cell) = authorize_account(app, caller, Action::ManageAccounts, id).await?;
    not_self(caller, id)?;
    let mut tx = app.db.begin().await?;
    let tokens = store::user::revoke_all(&mut tx, id).await?;
    let summary = format!(
        "Thu hồi mọi phiên đăng nhập và {tokens} mã truy cập API của tài khoản {}",
        user.username
    );
    super::audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "revoke",
            entity: "user",
            entity_id: id.0,
            org: place_of(&grants, cell),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"tokens_deleted": tokens})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(tokens)
}

/// What a member's change ends for the accounts linked to them.
#[derive(Debug, Clone, Copy)]
pub(super) struct Ending {
    /// Sessions and tokens end (the member is no longer active).
    pub revoke: bool,
    /// The account is disabled (the person left the party).
    pub disable: bool,
}

/// In the transaction of a member's status change or permanent transfer:
/// the grants their accounts held on the cell they leave end with it
/// (the implicit member grant already follows the member's cell and status),
/// audited on that cell.
pub(super) async fn follow_member(
    app: &AppState,
    tx: &mut store::Tx,
    caller: &Caller,
    member: MemberId,
    old_cell: OrgId,
    ending: Ending,
) -> Result<()> {
    for u in store::user::of_member(tx, member).await? {
        let removed = store::user::delete_grants_on(tx, u.id, old_cell).await?;
        if ending.disable && !u.disabled {
            store::user::set_disabled(tx, u.id, true).await?;
        }
        if ending.revoke || ending.disable {
            store::user::revoke_all(tx, u.id).await?;
        }
        if removed.is_empty() && !ending.revoke && !ending.disable {
            continue;
        }
        let roles: Vec<&str> = removed.iter().map(|g| g.role.as_str()).collect();
        let summary = format!(
            "Tài khoản {} hết quyền theo thay đổi của đảng viên{}{}",
            u.username,
            if roles.is_empty() {
                String::new()
            } else {
                format!("; thu hồi quyền {}", roles.join(", "))
            },
            if ending.disable {
                "; khóa tài khoản"
            } else {
                ""
            }
        );
        super::audit(
            app,
            tx,
            caller,
            Change {
                action: "end_access",
                entity: "user",
                entity_id: u.id.0,
                org: Some(old_cell),
                summary: &summary,
                before: Some(serde_json::json!({
                    "disabled": u.disabled,
                    "grants": removed.iter().map(|g| serde_json::json!({"role": g.role, "org_id": g.org_id})).collect::<Vec<_>>(),
                })),
                after: Some(serde_json::json!({
                    "disabled": u.disabled || ending.disable,
                    "sessions_revoked": ending.revoke || ending.disable,
                })),
            },
        )
        .await?;
    }
    Ok(())
}
