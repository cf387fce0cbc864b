//! The organization tree: reading it on any date, and changing it with
//! effective dates (domain.md §2.4: never delete a node; close it and link it
//! to its successor).

use super::{AppError, Caller, Result, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::{Action, Decision, Target, decide};
use crate::domain::ids::OrgId;
use crate::domain::org::{
    CellType, NewOrg, OrgKind, OrgName, check_effective_date, check_no_cycle,
};
use crate::domain::text;
use crate::domain::time::{format_date, parse_date};
use crate::store::{self, org::OrgRow};
use jiff::civil::Date;
use serde::Serialize;
use std::collections::BTreeMap;

/// A node as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgSummary {
    pub id: i64,
    pub name: String,
    /// central, province, district, bloc, base_committee, partial_committee, base_cell, cell
    pub kind: String,
    pub kind_label: String,
    /// rural, residential, school, health, agency, enterprise, armed_forces, police, other (cells only)
    pub cell_type: Option<String>,
    pub parent_id: Option<i64>,
    /// First day of this version (name, parent, kind), YYYY-MM-DD.
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub dissolved_on: Option<String>,
    /// Where the node went when it was merged.
    pub successor_id: Option<i64>,
}

impl From<&OrgRow> for OrgSummary {
    fn from(r: &OrgRow) -> Self {
        Self {
            id: r.id.0,
            name: r.name.clone(),
            kind: r.kind.clone(),
            kind_label: r.kind().label().to_string(),
            cell_type: r.cell_type.clone(),
            parent_id: r.parent_id.map(|p| p.0),
            valid_from: r.valid_from.to_jiff().to_string(),
            valid_to: r.valid_to.map(|d| d.to_jiff().to_string()),
            dissolved_on: r.dissolved_on().map(|d| d.to_string()),
            successor_id: r.successor_id.map(|s| s.0),
        }
    }
}

/// The date to read a node at: `on`, or its last day if it was closed by then.
fn as_of(org: &OrgRow, on: Date) -> Date {
    org.reference_date(on)
}

/// Nodes the caller may see, as the tree stood on `on`, whose name contains `q`.
pub async fn search(app: &AppState, caller: &Caller, q: &str, on: Date) -> Result<Vec<OrgRow>> {
    const LIMIT: i64 = 1000;
    let pattern = store::like_pattern(&text::fold(q));
    let mut rows = if caller.actor.is_admin() {
        store::org::search(&app.db, &pattern, on, None, LIMIT).await?
    } else {
        let mut out: Vec<OrgRow> = Vec::new();
        for (root, ref_date) in &caller.grant_dates {
            let scope_on = (*ref_date).min(on);
            for r in
                store::org::search(&app.db, &pattern, on, Some((*root, scope_on)), LIMIT).await?
            {
                if !out.iter().any(|o| o.id == r.id) {
                    out.push(r);
                }
            }
        }
        out
    };
    store::org::sort_by_name(&mut rows);
    Ok(rows)
}

/// The nodes a caller's grants sit on (their starting points in the tree).
pub async fn roots(app: &AppState, caller: &Caller) -> Result<Vec<OrgRow>> {
    let ids: Vec<OrgId> = caller.grant_dates.iter().map(|(id, _)| *id).collect();
    let mut rows = store::org::get_many_latest(&app.db, &ids).await?;
    store::org::sort_by_name(&mut rows);
    Ok(rows)
}

pub struct OrgView {
    pub org: OrgRow,
    /// The date asked for.
    pub on: Date,
    /// The date actually shown (the last day of a node closed before `on`).
    pub as_of: Date,
    /// Whether the node existed on `on` (false: shown as it last stood, or
    /// not yet created).
    pub existed: bool,
    /// Ancestors the caller may see, root first, ending with the node.
    pub breadcrumb: Vec<OrgRow>,
    /// Every ancestor-or-self id on `as_of` (for deciding what to offer).
    pub path: Vec<OrgId>,
    /// Children on `as_of` with their own child counts.
    pub children: Vec<(OrgRow, i64)>,
    pub successor: Option<OrgRow>,
}

pub async fn view(app: &AppState, caller: &Caller, id: OrgId, on: Date) -> Result<OrgView> {
    let latest = authorize_org(app, caller, Action::ReadOrg, id).await?;
    let as_of = as_of(&latest, on);
    let at = store::org::get_at(&app.db, id, as_of).await?;
    let existed = at.is_some() && as_of == on;
    let org = at.unwrap_or(latest);
    let ancestors = store::org::ancestors(&app.db, id, as_of).await?;
    // Show only the ancestors the caller could open themselves.
    let ids: Vec<OrgId> = ancestors.iter().map(|a| a.id).collect();
    let breadcrumb = ancestors
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            let path: Vec<OrgId> = ids[..=*i].to_vec();
            decide(
                &caller.actor,
                Action::ReadOrg,
                &Target {
                    org: a.id,
                    path: &path,
                    member: None,
                },
            ) == Decision::Allowed
        })
        .map(|(_, a)| a.clone())
        .collect();
    let kids = store::org::children(&app.db, id, as_of).await?;
    let kid_ids: Vec<OrgId> = kids.iter().map(|k| k.id).collect();
    let counts = store::org::child_counts(&app.db, &kid_ids, as_of).await?;
    let children = kids
        .into_iter()
        .map(|k| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == k.id)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            (k, n)
        })
        .collect();
    let successor = match org.successor_id {
        Some(s) => Some(store::org::get_latest(&app.db, s).await?),
        None => None,
    };
    Ok(OrgView {
        org,
        on,
        as_of,
        existed,
        breadcrumb,
        path: ids,
        children,
        successor,
    })
}

pub async fn children(app: &AppState, caller: &Caller, id: OrgId, on: Date) -> Result<Vec<OrgRow>> {
    let org = authorize_org(app, caller, Action::ReadOrg, id).await?;
    Ok(store::org::children(&app.db, id, as_of(&org, on)).await?)
}

pub async fn get(app: &AppState, caller: &Caller, id: OrgId, on: Date) -> Result<OrgRow> {
    let latest = authorize_org(app, caller, Action::ReadOrg, id).await?;
    Ok(store::org::get_at(&app.db, id, as_of(&latest, on))
        .await?
        .unwrap_or(latest))
}

pub struct History {
    pub versions: Vec<store::org::VersionRow>,
    pub events: Vec<store::org::EventRow>,
}

pub async fn history(app: &AppState, caller: &Caller, id: OrgId) -> Result<History> {
    authorize_org(app, caller, Action::ReadOrg, id).await?;
    Ok(History {
        versions: store::org::versions(&app.db, id).await?,
        events: store::org::events(&app.db, id).await?,
    })
}

/// Statistics of a subtree on a date (issue #3 point 7).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgStats {
    pub org_id: i64,
    pub name: String,
    /// The date asked for.
    pub on: String,
    /// The date the figures are for: `on`, or the last day of a node closed before it.
    pub as_of: String,
    /// Active members (probationary, official, exempt) at home in the subtree.
    pub members: i64,
    pub probationary_members: i64,
    pub official_members: i64,
    pub exempt_members: i64,
    /// Active members who follow a religion.
    pub religious_members: i64,
    /// Base organizations: đảng bộ cơ sở + chi bộ cơ sở.
    pub base_orgs: i64,
    /// Đảng bộ cơ sở.
    pub party_committees: i64,
    /// Chi bộ cơ sở.
    pub base_cells: i64,
    /// Chi bộ trực thuộc đảng ủy cơ sở.
    pub subordinate_cells: i64,
    /// Every chi bộ: subordinate cells and chi bộ cơ sở.
    pub cells: i64,
    /// Cells by type code.
    pub by_cell_type: BTreeMap<String, i64>,
    /// Members by status code (every status seen in the subtree on the date).
    pub by_status: BTreeMap<String, i64>,
    /// Nodes by kind code.
    pub by_kind: BTreeMap<String, i64>,
}

pub async fn stats(app: &AppState, caller: &Caller, id: OrgId, on: Date) -> Result<OrgStats> {
    let latest = authorize_org(app, caller, Action::ReadOrg, id).await?;
    let as_of = as_of(&latest, on);
    let counts = store::stats::subtree_counts(&app.db, id, as_of).await?;
    let mut s = OrgStats {
        org_id: id.0,
        name: store::org::get_at(&app.db, id, as_of)
            .await?
            .map(|o| o.name)
            .unwrap_or(latest.name),
        on: on.to_string(),
        as_of: as_of.to_string(),
        members: 0,
        probationary_members: 0,
        official_members: 0,
        exempt_members: 0,
        religious_members: 0,
        base_orgs: 0,
        party_committees: 0,
        base_cells: 0,
        subordinate_cells: 0,
        cells: 0,
        by_cell_type: BTreeMap::new(),
        by_status: BTreeMap::new(),
        by_kind: BTreeMap::new(),
    };
    for (kind, cell_type, n) in &counts.nodes {
        *s.by_kind.entry(kind.clone()).or_default() += n;
        let Some(kind) = OrgKind::from_code(kind) else {
            continue;
        };
        if kind.is_base_org() {
            s.base_orgs += n;
        }
        if kind.is_cell() {
            s.cells += n;
            *s.by_cell_type
                .entry(cell_type.clone().unwrap_or_else(|| "other".into()))
                .or_default() += n;
        }
        match kind {
            OrgKind::BaseCommittee => s.party_committees += n,
            OrgKind::BaseCell => s.base_cells += n,
            OrgKind::Cell => s.subordinate_cells += n,
            _ => {}
        }
    }
    for (status, religious, n) in &counts.members {
        *s.by_status.entry(status.clone()).or_default() += n;
        let Some(st) = crate::domain::member::MemberStatus::from_code(status) else {
            continue;
        };
        if st.is_active() {
            s.members += n;
            if *religious {
                s.religious_members += n;
            }
        }
        match st {
            crate::domain::member::MemberStatus::Probationary => s.probationary_members += n,
            crate::domain::member::MemberStatus::Official => s.official_members += n,
            crate::domain::member::MemberStatus::Exempt => s.exempt_members += n,
            _ => {}
        }
    }
    Ok(s)
}

// ---- changes ----

/// A reorganization as typed: what, from when, by which decision.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct OrgChange {
    /// New name (create, rename).
    pub name: String,
    /// Kind code (create).
    pub kind: String,
    /// Cell type code (create a cell).
    pub cell_type: String,
    /// New parent (create, move) or the node merged into (merge).
    pub target_id: Option<i64>,
    /// Effective date, dd/mm/yyyy or YYYY-MM-DD; today when empty.
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
    super::audit(
        app,
        &mut tx,
        caller,
        super::Change {
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
    super::audit(
        app,
        &mut tx,
        caller,
        super::Change {
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
    let parent_path = store::org::path_ids(&app.db, parent, &[from]).await?;
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
    super::audit(
        app,
        &mut tx,
        caller,
        super::Change {
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
    let target_path = store::org::path_ids(&app.db, into, &[from]).await?;
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
    super::audit(
        app,
        &mut tx,
        caller,
        super::Change {
            action: "merge",
            entity: "org",
            entity_id: id.0,
            org: Some(id),
            summary: &note,
            before: Some(snapshot(&current)),
            after: Some(after),
        },
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
    super::audit(
        app,
        &mut tx,
        caller,
        super::Change {
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

/// Vietnamese name of an org event kind.
pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "create" => "Thành lập",
        "rename" => "Đổi tên",
        "move" => "Chuyển trực thuộc",
        "merge" => "Sáp nhập vào",
        "absorb" => "Tiếp nhận",
        "dissolve" => "Giải thể",
        _ => "Thay đổi",
    }
}
