//! Changing the tree with effective dates (domain.md §2.4: never delete a
//! node; close it and link it to its successor).

use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::domain::org::{CellType, NewOrg, OrgName, check_effective_date, check_no_cycle};
use crate::domain::time::{format_date, parse_date};
use crate::service::{AppError, Caller, Result, authorize_org};
use crate::store::{self, org::OrgRow};
use jiff::civil::Date;

/// A reorganization as typed: what, from when, by which decision.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OrgChange {
    /// New name (create, rename), 2-200 characters once spaces are collapsed.
    #[schema(min_length = 2, max_length = 200, pattern = r"\S.*\S")]
    pub name: String,
    /// Kind code (create); it must fit under the parent's kind.
    #[schema(value_type = crate::domain::org::OrgKind)]
    pub kind: String,
    /// Cell type code: required when creating a cell, refused for other kinds.
    #[schema(value_type = crate::domain::org::CellType)]
    pub cell_type: String,
    /// New parent (move) or the node merged into (merge).
    #[schema(minimum = 1)]
    pub target_id: Option<i64>,
    /// Effective date, YYYY-MM-DD (dd/mm/yyyy also accepted); today when absent.
    /// A change must take effect after the node's current version began.
    #[schema(format = Date)]
    pub effective_on: String,
    /// The decision that ordered it (e.g. "Quyết định 123-QĐ/TU").
    pub decision: String,
}

fn effective(input: &str, today: Date) -> Result<Date> {
    if input.trim().is_empty() {
        return Ok(today);
    }
    parse_date(input).ok_or_else(|| {
        AppError::invalid(ValidationError::new(
            "effective_on",
            "Ngày hiệu lực",
            "không đúng định dạng dd/mm/yyyy",
        ))
    })
}

fn target_id(change: &OrgChange, label: &'static str) -> Result<OrgId> {
    change.target_id.map(OrgId).ok_or_else(|| {
        AppError::invalid(ValidationError::new(
            "target_id",
            label,
            "phải chọn một tổ chức",
        ))
    })
}

fn snapshot(r: &OrgRow) -> serde_json::Value {
    serde_json::json!({
        "name": r.name, "kind": r.kind, "cell_type": r.cell_type,
        "parent_id": r.parent_id, "valid_from": r.valid_from.to_jiff().to_string(),
    })
}

pub async fn create(
    app: &AppState,
    caller: &Caller,
    parent: OrgId,
    change: &OrgChange,
) -> Result<OrgId> {
    let parent_row = authorize_org(app, caller, Action::CreateOrg, parent).await?;
    let today = app.clock.today();
    let from = effective(&change.effective_on, today)?;
    if parent_row.dissolved_on().is_some() {
        return Err(AppError::invalid(ValidationError::new(
            "target_id",
            "Tổ chức cấp trên",
            "đã giải thể",
        )));
    }
    let parent_at = store::org::get_at(&app.db, parent, from)
        .await?
        .ok_or_else(|| {
            AppError::invalid(ValidationError::new(
                "effective_on",
                "Ngày hiệu lực",
                format!(
                    "tổ chức cấp trên chưa tồn tại vào ngày {}",
                    format_date(from)
                ),
            ))
        })?;
    let new = NewOrg::parse(
        &change.name,
        &change.kind,
        Some(&change.cell_type),
        from,
        Some(parent_at.kind()),
    )?;
    let mut tx = app.db.begin().await?;
    let id = store::org::insert_org(&mut tx, from).await?;
    store::org::insert_version(
        &mut tx,
        &store::org::NewVersion {
            org: id,
            parent: Some(parent),
            name: new.name.as_str(),
            kind: new.kind,
            cell_type: new.cell_type,
            valid_from: from,
        },
    )
    .await?;
    store::org::insert_event(
        &mut tx,
        id,
        "create",
        from,
        Some(parent),
        &change.decision,
        "",
    )
    .await?;
    let after = serde_json::json!({"name": new.name.as_str(), "kind": new.kind.code(),
        "cell_type": new.cell_type.map(CellType::code), "parent_id": parent, "valid_from": from.to_string()});
    crate::service::audit(
        app,
        &mut tx,
        caller,
        crate::service::Change {
            action: "create",
            entity: "org",
            entity_id: id.0,
            org: Some(id),
            summary: &format!("Thành lập {}", new.name.as_str()),
            before: None,
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Opens a new version of `id` from `from` with the changes `edit` makes.
async fn new_version(
    tx: &mut store::Tx,
    current: &OrgRow,
    from: Date,
    name: &str,
    parent: Option<OrgId>,
) -> Result<()> {
    store::org::close_version(tx, current.id, from).await?;
    store::org::insert_version(
        tx,
        &store::org::NewVersion {
            org: current.id,
            parent,
            name,
            kind: current.kind(),
            cell_type: current.cell_type(),
            valid_from: from,
        },
    )
    .await
    .map_err(Into::into)
}

pub async fn rename(app: &AppState, caller: &Caller, id: OrgId, change: &OrgChange) -> Result<()> {
    authorize_org(app, caller, Action::WriteOrg, id).await?;
    let from = effective(&change.effective_on, app.clock.today())?;
    let name = OrgName::parse(&change.name)?;
    let mut tx = app.db.begin().await?;
    let current = store::org::current_for_update(&mut tx, id)
        .await
        .map_err(closed)?;
    check_effective_date(current.valid_from.to_jiff(), from)?;
    new_version(&mut tx, &current, from, name.as_str(), current.parent_id).await?;
    store::org::insert_event(
        &mut tx,
        id,
        "rename",
        from,
        None,
        &change.decision,
        &current.name,
    )
    .await?;
    let mut after = snapshot(&current);
    after["name"] = name.as_str().into();
    after["valid_from"] = from.to_string().into();
    let summary = format!("Đổi tên {} thành {}", current.name, name.as_str());
    crate::service::audit(
        app,
        &mut tx,
        caller,
        crate::service::Change {
            action: "rename",
            entity: "org",
            entity_id: id.0,
            org: Some(id),
            summary: &summary,
            before: Some(snapshot(&current)),
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

fn closed(e: store::StoreError) -> AppError {
    match e {
        store::StoreError::NotFound => {
            AppError::Conflict("tổ chức này đã giải thể, không thể thay đổi".into())
        }
        e => e.into(),
    }
}

pub async fn move_to(app: &AppState, caller: &Caller, id: OrgId, change: &OrgChange) -> Result<()> {
    authorize_org(app, caller, Action::WriteOrg, id).await?;
    let parent = target_id(change, "Tổ chức cấp trên mới")?;
    let parent_row = authorize_org(app, caller, Action::CreateOrg, parent).await?;
    let from = effective(&change.effective_on, app.clock.today())?;
    if parent_row.dissolved_on().is_some() {
        return Err(AppError::invalid(ValidationError::new(
            "target_id",
            "Tổ chức cấp trên mới",
            "đã giải thể",
        )));
    }
    let mut tx = app.db.begin().await?;
    let current = store::org::current_for_update(&mut tx, id)
        .await
        .map_err(closed)?;
    check_effective_date(current.valid_from.to_jiff(), from)?;
    let parent_path = store::org::path_ids(&app.db, parent, from).await?;
    check_no_cycle(&id, &parent_path)?;
    if !current.kind().may_be_under(parent_row.kind()) {
        return Err(AppError::invalid(ValidationError::new(
            "target_id",
            "Tổ chức cấp trên mới",
            format!(
                "{} không thể trực thuộc {}",
                current.kind().label(),
                parent_row.kind().label()
            ),
        )));
    }
    new_version(&mut tx, &current, from, &current.name, Some(parent)).await?;
    store::org::insert_event(
        &mut tx,
        id,
        "move",
        from,
        Some(parent),
        &change.decision,
        "",
    )
    .await?;
    let mut after = snapshot(&current);
    after["parent_id"] = parent.0.into();
    after["valid_from"] = from.to_string().into();
    let summary = format!("Chuyển {} về trực thuộc {}", current.name, parent_row.name);
    crate::service::audit(
        app,
        &mut tx,
        caller,
        crate::service::Change {
            action: "move",
            entity: "org",
            entity_id: id.0,
            org: Some(id),
            summary: &summary,
            before: Some(snapshot(&current)),
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// Merges `id` into the target: children and members move to it, `id` is
/// closed with the target as its successor.
pub async fn merge(app: &AppState, caller: &Caller, id: OrgId, change: &OrgChange) -> Result<()> {
    authorize_org(app, caller, Action::WriteOrg, id).await?;
    let into = target_id(change, "Sáp nhập vào")?;
    if into == id {
        return Err(AppError::invalid(ValidationError::new(
            "target_id",
            "Sáp nhập vào",
            "phải là một tổ chức khác",
        )));
    }
    let into_row = authorize_org(app, caller, Action::WriteOrg, into).await?;
    let from = effective(&change.effective_on, app.clock.today())?;
    let mut tx = app.db.begin().await?;
    let current = store::org::current_for_update(&mut tx, id)
        .await
        .map_err(closed)?;
    let target = store::org::current_for_update(&mut tx, into)
        .await
        .map_err(closed)?;
    check_effective_date(current.valid_from.to_jiff(), from)?;
    if current.kind().is_cell() != target.kind().is_cell() {
        return Err(AppError::invalid(ValidationError::new(
            "target_id",
            "Sáp nhập vào",
            "chi bộ chỉ sáp nhập vào chi bộ; cấp ủy chỉ sáp nhập vào cấp ủy",
        )));
    }
    let target_path = store::org::path_ids(&app.db, into, from).await?;
    check_no_cycle(&id, &target_path)?;
    let children = store::org::current_children(&mut tx, id).await?;
    for child in &children {
        check_effective_date(child.valid_from.to_jiff(), from)?;
        new_version(&mut tx, child, from, &child.name, Some(into)).await?;
        store::org::insert_event(
            &mut tx,
            child.id,
            "move",
            from,
            Some(into),
            &change.decision,
            "",
        )
        .await?;
    }
    let note = format!("Sáp nhập {} vào {}", current.name, into_row.name);
    let moved = store::member::move_all_homes(&mut tx, id, into, from, &note).await?;
    store::org::close_version(&mut tx, id, from).await?;
    store::org::mark_dissolved(&mut tx, id, from, Some(into)).await?;
    store::org::insert_event(&mut tx, id, "merge", from, Some(into), &change.decision, "").await?;
    store::org::insert_event(
        &mut tx,
        into,
        "absorb",
        from,
        Some(id),
        &change.decision,
        "",
    )
    .await?;
    let after = serde_json::json!({"successor_id": into, "dissolved_on": from.to_string(),
        "children_moved": children.len(), "members_moved": moved});
    crate::service::audit_touching(
        app,
        &mut tx,
        caller,
        crate::service::Change {
            action: "merge",
            entity: "org",
            entity_id: id.0,
            org: Some(id),
            summary: &note,
            before: Some(snapshot(&current)),
            after: Some(after),
        },
        &[into],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

pub async fn dissolve(
    app: &AppState,
    caller: &Caller,
    id: OrgId,
    change: &OrgChange,
) -> Result<()> {
    authorize_org(app, caller, Action::WriteOrg, id).await?;
    let from = effective(&change.effective_on, app.clock.today())?;
    let mut tx = app.db.begin().await?;
    let current = store::org::current_for_update(&mut tx, id)
        .await
        .map_err(closed)?;
    check_effective_date(current.valid_from.to_jiff(), from)?;
    let children = store::org::current_children(&mut tx, id).await?;
    if !children.is_empty() {
        return Err(AppError::Conflict(format!(
            "{} còn {} tổ chức trực thuộc: hãy chuyển hoặc sáp nhập trước khi giải thể",
            current.name,
            children.len()
        )));
    }
    let active = store::member::count_active_in(&mut tx, id).await?;
    if active > 0 {
        return Err(AppError::Conflict(format!(
            "{} còn {active} đảng viên: hãy chuyển sinh hoạt hoặc sáp nhập trước khi giải thể",
            current.name
        )));
    }
    store::org::close_version(&mut tx, id, from).await?;
    store::org::mark_dissolved(&mut tx, id, from, None).await?;
    store::org::insert_event(&mut tx, id, "dissolve", from, None, &change.decision, "").await?;
    let summary = format!("Giải thể {} từ ngày {}", current.name, format_date(from));
    let after = serde_json::json!({"dissolved_on": from.to_string()});
    crate::service::audit(
        app,
        &mut tx,
        caller,
        crate::service::Change {
            action: "dissolve",
            entity: "org",
            entity_id: id.0,
            org: Some(id),
            summary: &summary,
            before: Some(snapshot(&current)),
            after: Some(after),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
