//! The member registry: lists, profiles, edits, status changes, transfers.

use super::member_list_cache::Rows;
use super::{
    AppError, Caller, MAX_PAGE_SIZE, PAGE_SIZE, Page, Result, allows, authorize_member,
    authorize_org,
};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::member::{
    MemberDraft, MemberFields, MemberPatch, MemberStatus, check_status_change,
};
use crate::domain::text;
use crate::domain::time::{format_date, parse_date};
use crate::store::{self, member::MemberRow, member::StatusFilter};
use jiff::civil::Date;
use serde::Serialize;
use std::sync::Arc;

/// A member as the API shows it (dates YYYY-MM-DD).
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MemberOut {
    pub id: i64,
    pub full_name: String,
    pub birth_date: Option<String>,
    /// male | female
    pub gender: String,
    pub ethnicity: String,
    /// Empty when none.
    pub religion: String,
    pub hometown: String,
    pub residence: String,
    pub admitted_on: Option<String>,
    pub official_on: Option<String>,
    pub card_number: Option<String>,
    /// Số CCCD, 12 digits (personal data: callers who may read the member).
    pub citizen_id: Option<String>,
    pub education: String,
    pub theory_level: String,
    pub occupation: String,
    pub phone: String,
    pub email: String,
    /// probationary | official | exempt | transferred_out | deceased | expelled | removed | left
    pub status: String,
    pub status_label: String,
    /// The member's home cell.
    pub org_id: i64,
}

impl From<&MemberRow> for MemberOut {
    fn from(m: &MemberRow) -> Self {
        let d = |x: Option<store::Day>| x.map(|d| d.to_jiff().to_string());
        Self {
            id: m.id.0,
            full_name: m.full_name.clone(),
            birth_date: d(m.birth_date),
            gender: m.gender.clone(),
            ethnicity: m.ethnicity.clone(),
            religion: m.religion.clone(),
            hometown: m.hometown.clone(),
            residence: m.residence.clone(),
            admitted_on: d(m.admitted_on),
            official_on: d(m.official_on),
            card_number: m.card_number.clone(),
            citizen_id: m.citizen_id.clone(),
            education: m.education.clone(),
            theory_level: m.theory_level.clone(),
            occupation: m.occupation.clone(),
            phone: m.phone.clone(),
            email: m.email.clone(),
            status: m.status.clone(),
            status_label: m.status().label().to_string(),
            org_id: m.cell_id.0,
        }
    }
}

pub fn status_filter(input: Option<&str>) -> Result<StatusFilter> {
    match input.map(str::trim).unwrap_or("") {
        "" | "active" => Ok(StatusFilter::Active),
        "all" => Ok(StatusFilter::All),
        s => MemberStatus::from_code(s)
            .map(StatusFilter::Only)
            .ok_or_else(|| {
                AppError::invalid(ValidationError::new("status", "Trạng thái", "không hợp lệ"))
            }),
    }
}

/// One page of `size` members (1 to `MAX_PAGE_SIZE`) of a node's subtree,
/// in Vietnamese order.
pub async fn list(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    q: &str,
    status: StatusFilter,
    (page, size): (i64, i64),
) -> Result<MemberPage> {
    let org_row = authorize_org(app, caller, Action::ListMembers, org).await?;
    let page = page.max(1);
    let size = size.clamp(1, MAX_PAGE_SIZE);
    let key = super::member_list_cache::Key {
        org,
        on: org_row.reference_date(app.clock.today()),
        q: text::fold(q),
        status,
        limit: size,
        offset: (page - 1) * size,
    };
    // The epoch before the rows (service::member_list_cache), read once a
    // request with the node's other kept reads.
    let epoch = caller.node_epoch(app, org).await?.node;
    let rows = match app.member_lists.get(&key, epoch) {
        Some(rows) => rows,
        None => {
            let (items, total) = store::member::list(
                &app.db,
                &store::member::ListQuery {
                    root: store::org::Root::of(&org_row),
                    on: key.on,
                    q: &key.q,
                    status,
                    limit: key.limit,
                    offset: key.offset,
                },
            )
            .await?;
            let cells = cells_of(app, &items).await?;
            let rows = Rows::new(items, total, cells);
            app.member_lists.put(key, epoch, rows.clone());
            rows
        }
    };
    Ok(MemberPage {
        page: Page {
            items: Arc::clone(&rows.items),
            total: rows.total,
            page,
            size,
        },
        cells: rows.cells,
        json: rows.json,
    })
}

/// A page of a member list, its members' cells, and its API form once
/// written (shared with the cached list: service::member_list_cache).
pub struct MemberPage {
    pub page: Page<MemberRow>,
    pub cells: Arc<[store::org::OrgRow]>,
    pub json: Arc<std::sync::OnceLock<bytes::Bytes>>,
}

/// Every member of the list (for export), in the same order.
pub async fn list_all(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    q: &str,
    status: StatusFilter,
) -> Result<Vec<MemberRow>> {
    let org_row = authorize_org(app, caller, Action::ListMembers, org).await?;
    let (items, _) = store::member::list(
        &app.db,
        &store::member::ListQuery {
            root: store::org::Root::of(&org_row),
            on: org_row.reference_date(app.clock.today()),
            q: &text::fold(q),
            status,
            limit: i64::MAX,
            offset: 0,
        },
    )
    .await?;
    Ok(items)
}

/// Latest rows of the cells `rows` are registered in (no N+1).
async fn cells_of(app: &AppState, rows: &[MemberRow]) -> Result<Vec<store::org::OrgRow>> {
    let mut ids: Vec<OrgId> = rows.iter().map(|m| m.cell_id).collect();
    ids.sort();
    ids.dedup();
    Ok(store::org::get_many_latest(&app.db, &ids).await?)
}

fn cell_name(cells: &[store::org::OrgRow], id: OrgId) -> &str {
    cells
        .iter()
        .find(|c| c.id == id)
        .map(|c| c.name.as_str())
        .unwrap_or("")
}

/// A page of a node's member list with the names of the members' cells.
pub struct ListView {
    pub org: store::org::OrgRow,
    pub page: Page<MemberRow>,
    cells: Arc<[store::org::OrgRow]>,
}

impl ListView {
    pub fn cell_name(&self, id: OrgId) -> &str {
        cell_name(&self.cells, id)
    }
}

pub async fn list_view(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    q: &str,
    status: StatusFilter,
    page: i64,
) -> Result<ListView> {
    let MemberPage { page, cells, .. } =
        list(app, caller, org, q, status, (page, PAGE_SIZE)).await?;
    Ok(ListView {
        org: super::org::get(app, caller, org, app.clock.today()).await?,
        cells,
        page,
    })
}

/// The list as an XLSX file (pages, API and command line): its row count and bytes.
pub async fn export_xlsx(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    q: &str,
    status: StatusFilter,
) -> Result<(usize, Vec<u8>)> {
    let rows = list_all(app, caller, org, q, status).await?;
    let cells = cells_of(app, &rows).await?;
    let bytes = crate::docs::xlsx::members(&rows, |m| cell_name(&cells, m.cell_id).to_string())
        .map_err(|e| AppError::Internal(e.to_string()))?;
    Ok((rows.len(), bytes))
}

pub struct Profile {
    pub member: MemberRow,
    pub cell: store::org::OrgRow,
    pub statuses: Vec<store::member::StatusRow>,
    pub placements: Vec<store::member::PlacementRow>,
    /// Chức vụ: posts held today (docs/rules.md "Posts in a cell").
    pub posts: Vec<String>,
    /// Whether the caller may edit and transfer this member.
    pub can_write: bool,
}

pub async fn get(app: &AppState, caller: &Caller, id: MemberId) -> Result<MemberRow> {
    authorize_member(app, caller, Action::ReadMember, id).await
}

pub async fn profile(app: &AppState, caller: &Caller, id: MemberId) -> Result<Profile> {
    let member = authorize_member(app, caller, Action::ReadMember, id).await?;
    let can_write = super::permitted(authorize_member(app, caller, Action::WriteMember, id).await)?;
    Ok(Profile {
        can_write,
        cell: store::org::get_latest(&app.db, member.cell_id).await?,
        statuses: store::member::statuses(&app.db, id).await?,
        placements: store::member::placements(&app.db, id).await?,
        posts: super::post::titles_of(&app.db, id, app.clock.today()).await?,
        member,
    })
}

fn member_json(f: &MemberFields, cell: OrgId) -> serde_json::Value {
    let mut v = serde_json::to_value(f.to_draft()).unwrap_or_default();
    v["org_id"] = cell.0.into();
    v
}

/// The date a new member's history starts: admission, or today.
fn history_start(f: &MemberFields, today: Date) -> Date {
    f.admitted_on.unwrap_or(today)
}

/// Status history a newly registered member starts with.
pub fn initial_statuses(
    f: &MemberFields,
    today: Date,
) -> Vec<(MemberStatus, Date, Option<Date>, String)> {
    let start = history_start(f, today);
    match (f.status, f.official_on) {
        (MemberStatus::Official, Some(o)) if o > start => {
            vec![
                (MemberStatus::Probationary, start, Some(o), String::new()),
                (MemberStatus::Official, o, None, String::new()),
            ]
        }
        (status, _) => vec![(status, start, None, String::new())],
    }
}

pub async fn create(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    draft: &MemberDraft,
) -> Result<MemberId> {
    let cell = authorize_org(app, caller, Action::WriteMember, org).await?;
    if !cell.kind().is_cell() || cell.dissolved_on().is_some() {
        return Err(AppError::invalid(ValidationError::new(
            "org_id",
            "Chi bộ",
            "đảng viên chỉ được đăng ký tại một chi bộ đang hoạt động",
        )));
    }
    let today = app.clock.today();
    let fields = draft.parse(today)?;
    let mut tx = app.db.begin().await?;
    let id = store::member::reserve_ids(&mut tx, 1)
        .await?
        .pop()
        .ok_or(AppError::Internal("no id".into()))?;
    // Registered in the cell from admission, but never before the cell existed.
    let start = history_start(&fields, today).max(cell.created_on.to_jiff());
    store::member::insert_many(
        &mut tx,
        &[store::member::NewMember {
            id,
            fields: &fields,
            cell: org,
            statuses: initial_statuses(&fields, today),
            homes: vec![(org, start, None)],
        }],
    )
    .await?;
    let summary = format!("Thêm đảng viên {} vào {}", fields.full_name, cell.name);
    super::audit(
        app,
        &mut tx,
        caller,
        super::Change {
            action: "create",
            entity: "member",
            entity_id: id.0,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(member_json(&fields, org)),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Applies a partial update. A status change is dated today and needs a
/// reason where the rules ask for one.
pub async fn update(
    app: &AppState,
    caller: &Caller,
    id: MemberId,
    patch: &MemberPatch,
) -> Result<MemberRow> {
    authorize_member(app, caller, Action::WriteMember, id).await?;
    let today = app.clock.today();
    let mut tx = app.db.begin().await?;
    let current = store::member::get_for_update(&mut tx, id).await?;
    let before = current.fields();
    let mut draft = before.to_draft();
    draft.overlay(patch);
    let after = draft.parse(today)?;
    let reason = patch.status_reason.as_deref().unwrap_or("");
    check_status_change(before.status, after.status, reason)?;
    store::member::update_fields(&mut tx, id, &after).await?;
    if after.status != before.status {
        let since = store::member::open_status_since(&mut tx, id).await?;
        if since.is_some_and(|s| s >= today) {
            return Err(AppError::invalid(ValidationError::new(
                "status",
                "Trạng thái",
                "đã thay đổi trong hôm nay; mỗi ngày chỉ đổi một lần",
            )));
        }
        store::member::set_status(&mut tx, id, after.status, today, &text::clean(reason)).await?;
        if !after.status.is_active() {
            // Access that came from this membership ends with it.
            super::account::follow_member(
                app,
                &mut tx,
                caller,
                id,
                current.cell_id,
                super::account::Ending {
                    revoke: true,
                    disable: after.status.ends_membership(),
                },
            )
            .await?;
        }
    }
    let (b, a) = (
        member_json(&before, current.cell_id),
        member_json(&after, current.cell_id),
    );
    let changed: Vec<&str> = crate::domain::member::FIELDS
        .iter()
        .filter(|(f, _)| b.get(*f) != a.get(*f))
        .map(|(_, label)| *label)
        .collect();
    if changed.is_empty() {
        return Ok(current);
    }
    let summary = format!("Sửa {}: {}", after.full_name, changed.join(", "));
    super::audit(
        app,
        &mut tx,
        caller,
        super::Change {
            action: "update",
            entity: "member",
            entity_id: id.0,
            org: Some(current.cell_id),
            summary: &summary,
            before: Some(b),
            after: Some(a),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(store::member::get(&app.db, id).await?)
}

/// A transfer between cells (domain.md §3.3): permanent moves the home cell,
/// temporary adds a host cell for a period while the home cell keeps the file.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TransferInput {
    /// The cell to go to, another open cell the caller can see.
    #[schema(value_type = i64, minimum = 1, required = true)]
    pub to_org_id: Option<i64>,
    /// permanent | temporary
    #[schema(schema_with = crate::web::openapi::transfer_kind, required = true)]
    pub kind: String,
    /// YYYY-MM-DD (dd/mm/yyyy also accepted); today when absent.
    #[schema(format = Date)]
    pub on: String,
    /// End of a temporary transfer, YYYY-MM-DD.
    #[schema(format = Date)]
    pub until: String,
    pub note: String,
}

pub async fn transfer(
    app: &AppState,
    caller: &Caller,
    id: MemberId,
    input: &TransferInput,
) -> Result<()> {
    let member = authorize_member(app, caller, Action::WriteMember, id).await?;
    let to = input.to_org_id.map(OrgId).ok_or_else(|| {
        AppError::invalid(ValidationError::new(
            "to_org_id",
            "Chi bộ đến",
            "phải chọn chi bộ",
        ))
    })?;
    // The receiving cell's register changes too: the caller must be able to write there.
    let dest = authorize_org(app, caller, Action::WriteMember, to).await?;
    if !dest.kind().is_cell() || dest.dissolved_on().is_some() {
        return Err(AppError::invalid(ValidationError::new(
            "to_org_id",
            "Chi bộ đến",
            "phải là một chi bộ đang hoạt động",
        )));
    }
    if to == member.cell_id {
        return Err(AppError::invalid(ValidationError::new(
            "to_org_id",
            "Chi bộ đến",
            "trùng chi bộ hiện tại",
        )));
    }
    if !member.status().is_active() {
        return Err(AppError::Conflict(
            "chỉ chuyển sinh hoạt cho đảng viên đang sinh hoạt".into(),
        ));
    }
    let today = app.clock.today();
    let date = |s: &str, field: &'static str, label: &'static str| -> Result<Option<Date>> {
        if s.trim().is_empty() {
            return Ok(None);
        }
        parse_date(s).map(Some).ok_or_else(|| {
            AppError::invalid(ValidationError::new(
                field,
                label,
                "không đúng định dạng dd/mm/yyyy",
            ))
        })
    };
    let on = date(&input.on, "on", "Ngày chuyển")?.unwrap_or(today);
    let until = date(&input.until, "until", "Đến ngày")?;
    let note = text::clean(&input.note);
    let mut tx = app.db.begin().await?;
    let summary = match input.kind.as_str() {
        "permanent" => {
            if store::member::open_home_since(&mut tx, id)
                .await?
                .is_some_and(|s| s >= on)
            {
                return Err(AppError::invalid(ValidationError::new(
                    "on",
                    "Ngày chuyển",
                    "phải sau ngày vào chi bộ hiện tại",
                )));
            }
            store::member::set_home(&mut tx, id, to, on, &note).await?;
            // Roles held on the cell left behind (secretary, deputy) end here.
            super::account::follow_member(
                app,
                &mut tx,
                caller,
                id,
                member.cell_id,
                super::account::Ending {
                    revoke: false,
                    disable: false,
                },
            )
            .await?;
            format!(
                "Chuyển sinh hoạt chính thức {} đến {} từ {}",
                member.full_name,
                dest.name,
                format_date(on)
            )
        }
        "temporary" => {
            if until.is_some_and(|u| u <= on) {
                return Err(AppError::invalid(ValidationError::new(
                    "until",
                    "Đến ngày",
                    "phải sau ngày chuyển",
                )));
            }
            store::member::add_temporary(&mut tx, id, to, on, until, &note).await?;
            format!(
                "Chuyển sinh hoạt tạm thời {} đến {} từ {}",
                member.full_name,
                dest.name,
                format_date(on)
            )
        }
        _ => {
            return Err(AppError::invalid(ValidationError::new(
                "kind",
                "Hình thức chuyển",
                "phải là chính thức (permanent) hoặc tạm thời (temporary)",
            )));
        }
    };
    let before = serde_json::json!({"org_id": member.cell_id});
    let after = serde_json::json!({"org_id": to, "kind": input.kind, "on": on.to_string(),
        "until": until.map(|u| u.to_string()), "note": note});
    super::audit_touching(
        app,
        &mut tx,
        caller,
        super::Change {
            action: "transfer",
            entity: "member",
            entity_id: id.0,
            org: Some(member.cell_id),
            summary: &summary,
            before: Some(before),
            after: Some(after),
        },
        &[to],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// At most this many people are named in an "ambiguous" error.
const NAMED: usize = 5;

/// The one active member the caller's committees see whose name is `input`
/// ("name" or "name — cell"): how forms choose a person (no form asks for an
/// internal id). Errors name `field`/`label`.
pub async fn pick(
    app: &AppState,
    caller: &Caller,
    input: &str,
    field: &'static str,
    label: &'static str,
) -> Result<MemberId> {
    let invalid = |msg: String| AppError::invalid(ValidationError::new(field, label, msg));
    let input = text::clean(input);
    if input.is_empty() {
        return Err(invalid("phải ghi họ tên (gõ tên để tìm)".into()));
    }
    let (name, cell) = match input.rsplit_once('—') {
        Some((n, c)) if !n.trim().is_empty() => (n.trim().to_string(), Some(text::fold(c.trim()))),
        _ => (input.clone(), None),
    };
    let key = text::fold(&name);
    let mut found: Vec<(MemberId, String, String)> = Vec::new();
    for (root, on) in &caller.grant_dates {
        if !allows(app, caller, Action::ListMembers, *root).await? {
            continue;
        }
        let (rows, _) = store::member::list(
            &app.db,
            &store::member::ListQuery {
                root: store::org::Root::subtree(*root),
                on: *on,
                q: &key,
                status: StatusFilter::Active,
                limit: 50,
                offset: 0,
            },
        )
        .await?;
        let cells = {
            let mut ids: Vec<OrgId> = rows.iter().map(|r| r.cell_id).collect();
            ids.sort_unstable_by_key(|i| i.0);
            ids.dedup();
            store::org::get_many_latest(&app.db, &ids).await?
        };
        for r in rows {
            if found.iter().any(|(id, ..)| *id == r.id) {
                continue;
            }
            let cell_name = cells
                .iter()
                .find(|c| c.id == r.cell_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            found.push((r.id, r.full_name, cell_name));
        }
    }
    let exact: Vec<&(MemberId, String, String)> = found
        .iter()
        .filter(|(_, n, c)| {
            text::fold(n) == key && cell.as_ref().is_none_or(|want| text::fold(c) == *want)
        })
        .collect();
    match (exact.as_slice(), found.as_slice()) {
        ([one], _) => return Ok(one.0),
        ([], [one]) => return Ok(one.0),
        _ => {}
    }
    let among: Vec<&(MemberId, String, String)> = if exact.is_empty() {
        found.iter().collect()
    } else {
        exact
    };
    Err(invalid(match among.len() {
        0 => format!("không tìm thấy đảng viên nào tên «{input}» trong phạm vi của bạn"),
        n => {
            let named: Vec<String> = among
                .iter()
                .take(NAMED)
                .map(|(_, n, c)| format!("{n} — {c}"))
                .collect();
            format!(
                "có {n} đảng viên khớp «{input}»: {}; hãy ghi cả tên chi bộ như trong danh sách",
                named.join("; ")
            )
        }
    }))
}
