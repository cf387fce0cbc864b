//! Followers of a node: the committee above places its members and cadres to
//! follow a cell or base organization; they are told of its meetings and read
//! them (docs/rules.md "Followers").

use super::{AppError, Caller, Change, Result, allows, audit, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::follow::FollowKind;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::time::parse_date_or;
use crate::store::{self, follow::FollowRow, follow_attendance::FollowerRecord};
use serde::Deserialize;

pub struct Followers {
    pub rows: Vec<FollowRow>,
    /// Each follower's meetings held since the assignment began and how
    /// many they attended (docs/rules.md "Followers attend their cells'
    /// meetings").
    pub records: Vec<FollowerRecord>,
    /// Whether the caller may place and end followers here.
    pub can_assign: bool,
}

/// Who follows `org` today.
pub async fn list(app: &AppState, caller: &Caller, org: OrgId) -> Result<Followers> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let on = row.reference_date(app.clock.today());
    let rows = store::follow::of_org(&app.db, org, on).await?;
    let records = store::follow_attendance::of_org(&app.db, org, on).await?;
    let can_assign = allows(app, caller, Action::AssignFollowers, org).await?;
    Ok(Followers {
        rows,
        records,
        can_assign,
    })
}

/// The followers of every node in a committee's subtree with their
/// attendance (Lâm Sơn: the commune's office checks that the committee
/// members placed in cells attend; docs/rules.md "Followers attend their
/// cells' meetings").
pub async fn attendance_in_subtree(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
) -> Result<Vec<FollowerRecord>> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let on = row.reference_date(app.clock.today());
    Ok(store::follow_attendance::in_subtree(&app.db, org, on).await?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct FollowInput {
    /// The follower's name as the registry holds it, or "name — cell" when
    /// names repeat (forms); a member id is accepted too (API).
    pub member: String,
    pub member_id: Option<i64>,
    /// committee_member (cấp ủy viên phụ trách) or cadre (cán bộ theo dõi).
    pub kind: String,
    /// First day followed, dd/mm/yyyy or YYYY-MM-DD; today when empty.
    pub from: String,
}

/// Places a member to follow `org`. The follower must be an active member the
/// caller's committee can see.
pub async fn assign(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &FollowInput,
) -> Result<i64> {
    let node = authorize_org(app, caller, Action::AssignFollowers, org).await?;
    if node.dissolved_on().is_some() {
        return Err(AppError::Conflict("tổ chức đã giải thể".into()));
    }
    let mut errors = Vec::new();
    let kind = FollowKind::from_code(input.kind.trim());
    if kind.is_none() {
        errors.push(ValidationError::new(
            "kind",
            "Vai trò",
            "phải chọn cấp ủy viên phụ trách hoặc cán bộ theo dõi",
        ));
    }
    let today = app.clock.today();
    let from = parse_date_or(&input.from, today);
    if from.is_none() {
        errors.push(ValidationError::new(
            "from",
            "Từ ngày",
            "không đúng định dạng dd/mm/yyyy",
        ));
    }
    let member = match input.member_id {
        Some(id) => {
            super::authorize_member(app, caller, Action::ReadMember, MemberId(id)).await?;
            Ok(MemberId(id))
        }
        None => super::member::pick(app, caller, &input.member, "member", "Người theo dõi").await,
    };
    let member = match member {
        Ok(m) => Some(m),
        Err(AppError::Invalid(mut e)) => {
            errors.append(&mut e);
            None
        }
        Err(e) => return Err(e),
    };
    let (Some(kind), Some(from), Some(member)) = (kind, from, member) else {
        return Err(AppError::Invalid(errors));
    };
    let person = store::member::get(&app.db, member).await?;
    if !person.status().is_active() {
        return Err(AppError::invalid(ValidationError::new(
            "member",
            "Người theo dõi",
            "không còn sinh hoạt đảng",
        )));
    }
    let mut tx = app.db.begin().await?;
    if store::follow::is_following(&mut tx, org, member, from).await? {
        return Err(AppError::Conflict(format!(
            "đồng chí {} đã được phân công theo dõi {}",
            person.full_name, node.name
        )));
    }
    let id = store::follow::insert(&mut tx, org, member, kind.code(), from).await?;
    let summary = format!(
        "Phân công {} {} theo dõi {}",
        kind.label().to_lowercase(),
        person.full_name,
        node.name
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "follow",
            entity: "follower",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"member_id": member, "kind": kind.code(), "from": from.to_string()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Ends a follow assignment of `org` from today.
pub async fn end(app: &AppState, caller: &Caller, org: OrgId, id: i64) -> Result<()> {
    authorize_org(app, caller, Action::AssignFollowers, org).await?;
    let row = store::follow::get(&app.db, id)
        .await?
        .filter(|r| r.org_id == org)
        .ok_or(AppError::NotFound)?;
    let today = app.clock.today();
    let mut tx = app.db.begin().await?;
    if store::follow::end(&mut tx, id, today).await? == 0 {
        return Err(AppError::Conflict("phân công này đã kết thúc".into()));
    }
    let summary = format!("Kết thúc phân công {} theo dõi", row.full_name);
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "unfollow",
            entity: "follower",
            entity_id: id,
            org: Some(row.org_id),
            summary: &summary,
            before: Some(serde_json::json!({"member_id": row.member_id, "kind": row.kind})),
            after: Some(serde_json::json!({"valid_to": today.to_string()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
