//! `chibo generate --accounts`: sign-in accounts for generated data, written
//! in bulk beside the tree (issue 14 point 6: the peak-of-a-month scenario
//! signs in as every cell's secretary). Per cell a secretary
//! `bithu.<cell id>` (granted `secretary` on the cell, linked to its first
//! member, the generated chair) and a member `dv.<member id>` (its second
//! member, the generated recorder); per commune, province and the root a
//! committee officer `canbo.<node id>` (granted `staff` on the node).
//!
//! Every account shares one argon2 hash, computed once by the caller:
//! 66,667 hashes would take hours, and these accounts exist for load tests
//! and demonstrations, never for real people. One audit row records the
//! whole batch.

use super::plan::Plan;
use super::sink::Val;
use super::{BY, Conn};
use crate::domain::authz::Role;
use jiff::Timestamp;

/// Username of the secretary account of a generated cell.
pub fn secretary(cell: i64) -> String {
    format!("bithu.{cell}")
}

/// Username of the member account of a generated member.
pub fn member(id: i64) -> String {
    format!("dv.{id}")
}

/// Username of the committee officer of a generated branch node.
pub fn officer(org: i64) -> String {
    format!("canbo.{org}")
}

/// One account to write: (username, display name, member, grant).
struct Account {
    username: String,
    display: String,
    member: Option<i64>,
    grant: Option<(Role, i64)>,
}

fn accounts(plan: &Plan) -> Vec<Account> {
    let name_of = |id: i64| {
        plan.orgs
            .get((id - 1) as usize)
            .filter(|o| o.id == id)
            .map_or_else(String::new, |o| o.name.clone())
    };
    let mut out = Vec::with_capacity(plan.cells.len() * 2 + plan.communes.len() * 2);
    for o in plan.orgs.iter().filter(|o| o.kind != "cell") {
        out.push(Account {
            username: officer(o.id),
            display: format!("Cán bộ {}", o.name),
            member: None,
            grant: Some((Role::Staff, o.id)),
        });
    }
    for cell in &plan.cells {
        out.push(Account {
            username: secretary(cell.org),
            display: format!("Bí thư {}", name_of(cell.org)),
            member: Some(cell.first_member),
            grant: Some((Role::Secretary, cell.org)),
        });
        let m = if cell.size > 1 {
            cell.first_member + 1
        } else {
            cell.first_member
        };
        out.push(Account {
            username: member(m),
            display: format!("Đảng viên {m}"),
            member: Some(m),
            grant: None,
        });
    }
    out
}

/// Writes the accounts and their grants; returns how many accounts.
pub(super) async fn write(
    conn: &mut Conn<'_>,
    plan: &Plan,
    hash: &str,
    now: Timestamp,
) -> anyhow::Result<u64> {
    let all = accounts(plan);
    let mut sink = conn
        .sink(
            "app_user",
            &[
                "id",
                "username",
                "password_hash",
                "display_name",
                "member_id",
            ],
        )
        .await?;
    for (i, a) in all.iter().enumerate() {
        sink.row(vec![
            Val::I(i as i64 + 1),
            Val::T(a.username.clone()),
            Val::T(hash.to_string()),
            Val::T(a.display.clone()),
            a.member.map_or(Val::Null, Val::I),
        ])
        .await?;
    }
    let n = sink.finish().await?;
    let mut sink = conn
        .sink("role_grant", &["id", "user_id", "role", "org_id"])
        .await?;
    let mut grant = 0i64;
    for (i, a) in all.iter().enumerate() {
        if let Some((role, org)) = a.grant {
            grant += 1;
            sink.row(vec![
                Val::I(grant),
                Val::I(i as i64 + 1),
                Val::S(role.code()),
                Val::I(org),
            ])
            .await?;
        }
    }
    sink.finish().await?;
    // One audit row for the batch: who made these accounts and how many.
    let mut sink = conn
        .sink(
            "audit_log",
            &[
                "at",
                "username",
                "action",
                "entity",
                "entity_id",
                "org_id",
                "summary",
                "after",
            ],
        )
        .await?;
    let after = serde_json::json!({
        "accounts": n,
        "secretaries": plan.cells.len(),
        "usernames": ["bithu.<chi bộ>", "dv.<đảng viên>", "canbo.<cấp ủy>"],
    });
    sink.row(vec![
        Val::Ts(now),
        Val::S(BY),
        Val::S("create"),
        Val::S("user"),
        Val::I(1),
        Val::I(plan.root()),
        Val::T(format!(
            "Tạo {n} tài khoản cho dữ liệu sinh tự động (một mật khẩu chung)"
        )),
        Val::T(after.to_string()),
    ])
    .await?;
    sink.finish().await?;
    Ok(n)
}
