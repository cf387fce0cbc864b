//! Rubric versions: a committee drafts one, sends it to the organizations
//! below for comments, amends it, and adopts it with its issuing document
//! and the day it takes effect; an adopted version never changes
//! (docs/rules.md "Kim Sơn monthly scoring", "Local rubric example").

use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::{Action, Role};
use crate::domain::ids::OrgId;
use crate::domain::rubric::{Definition, Purpose, RubricStatus, example};
use crate::domain::text::clean;
use crate::domain::time::parse_date;
use crate::service::{AppError, Caller, Change, Result, allows, audit, authorize_org};
use crate::store::{
    self, org::OrgRow, rubric::CommentRow, rubric::RecipientRow, rubric::RubricRow,
};
use jiff::civil::Date;
use serde::Deserialize;

/// A stored rubric with its definition read back.
#[derive(Debug, Clone)]
pub struct Rubric {
    pub row: RubricRow,
    pub purpose: Purpose,
    pub status: RubricStatus,
    pub definition: Definition,
}

impl Rubric {
    pub fn from_row(row: RubricRow) -> Result<Self> {
        let definition: Definition = serde_json::from_str(&row.definition)
            .map_err(|e| AppError::Internal(format!("rubric {}: {e}", row.id)))?;
        Ok(Rubric {
            purpose: Purpose::from_code(&row.purpose).unwrap_or(Purpose::Meeting),
            status: RubricStatus::from_code(&row.status).unwrap_or(RubricStatus::Draft),
            definition,
            row,
        })
    }

    /// "Bộ tiêu chí … (phiên bản 2)".
    pub fn title(&self) -> String {
        format!("{} (phiên bản {})", self.row.name, self.row.version)
    }
}

/// The rubric of `purpose` in force on `on` for `org`: the nearest
/// ancestor-or-self's adopted version in force that day.
pub async fn in_force_for(
    app: &AppState,
    org: OrgId,
    purpose: Purpose,
    on: Date,
) -> Result<Option<Rubric>> {
    let path = store::org::path_ids(&app.db, org, on).await?;
    let found = store::rubric::in_force(&app.db, &path, purpose.code(), on).await?;
    let nearest = path
        .iter()
        .find_map(|p| found.iter().find(|r| r.org_id == *p).cloned());
    nearest.map(Rubric::from_row).transpose()
}

pub struct ListView {
    pub org: OrgRow,
    /// Issued by the node or above it; drafts only for the issuer and the
    /// organizations they were sent to.
    pub rubrics: Vec<RubricRow>,
    pub can_issue: bool,
}

pub async fn list(app: &AppState, caller: &Caller, org: OrgId) -> Result<ListView> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let on = row.reference_date(app.clock.today());
    let path = store::org::path_ids(&app.db, org, on).await?;
    let rubrics = store::rubric::issued_by(&app.db, &path, org).await?;
    Ok(ListView {
        can_issue: allows(app, caller, Action::DirectCells, org).await?,
        org: row,
        rubrics,
    })
}

pub struct RubricView {
    pub org: OrgRow,
    pub rubric: Rubric,
    pub recipients: Vec<RecipientRow>,
    pub comments: Vec<CommentRow>,
    /// The issuer's staff on a draft: amend, send, adopt.
    pub can_edit: bool,
    /// The organization `org` it was sent to, by its own staff or secretary.
    pub can_comment: bool,
    /// The nodes directly below the issuer (to send a draft to), when `can_edit`.
    pub children: Vec<(OrgId, String)>,
}

/// A rubric read from `org`: issued by it or above it; a draft only by its
/// issuer and the organizations it was sent to. Not found otherwise.
async fn visible(app: &AppState, org: &OrgRow, id: i64) -> Result<(Rubric, Vec<RecipientRow>)> {
    let row = store::rubric::get(&app.db, id)
        .await?
        .ok_or(AppError::NotFound)?;
    let on = org.reference_date(app.clock.today());
    let path = store::org::path_ids(&app.db, org.id, on).await?;
    if !path.contains(&row.org_id) {
        return Err(AppError::NotFound);
    }
    let recipients = store::rubric::recipients(&app.db, id).await?;
    let rubric = Rubric::from_row(row)?;
    if rubric.status == RubricStatus::Draft
        && rubric.row.org_id != org.id
        && !recipients.iter().any(|r| r.org_id == org.id)
    {
        return Err(AppError::NotFound);
    }
    Ok((rubric, recipients))
}

/// Whether the caller speaks for `org` itself: a grant on it (its staff,
/// its secretary or deputy), not only on a committee above.
fn speaks_for(caller: &Caller, org: OrgId) -> bool {
    caller.actor.is_admin()
        || caller.actor.grants.iter().any(|g| {
            g.org == org
                && g.ended.is_none()
                && matches!(g.role, Role::Staff | Role::Secretary | Role::Deputy)
        })
}

pub async fn view(app: &AppState, caller: &Caller, org: OrgId, id: i64) -> Result<RubricView> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let (rubric, recipients) = visible(app, &row, id).await?;
    let draft = rubric.status == RubricStatus::Draft;
    let can_edit =
        draft && rubric.row.org_id == org && allows(app, caller, Action::DirectCells, org).await?;
    let can_comment = draft
        && recipients.iter().any(|r| r.org_id == org)
        && speaks_for(caller, org)
        && allows(app, caller, Action::ManageMeetings, org).await?;
    let children = if can_edit {
        store::org::children(&app.db, org, row.reference_date(app.clock.today()))
            .await?
            .into_iter()
            .map(|c| (c.id, c.name))
            .collect()
    } else {
        Vec::new()
    };
    Ok(RubricView {
        children,
        comments: store::rubric::comments(&app.db, id).await?,
        org: row,
        rubric,
        recipients,
        can_edit,
        can_comment,
    })
}

fn invalid(
    field: &'static str,
    label: &'static str,
    problem: impl Into<std::borrow::Cow<'static, str>>,
) -> AppError {
    AppError::invalid(ValidationError::new(field, label, problem))
}

fn adopted_conflict() -> AppError {
    AppError::Conflict(
        "Bộ tiêu chí đã ban hành không sửa được; muốn thay đổi hãy tạo phiên bản mới.".into(),
    )
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DraftInput {
    /// meeting | monthly
    pub purpose: String,
    /// Tên bộ tiêu chí.
    pub name: String,
    /// Ghi chú (nguồn, phạm vi áp dụng).
    pub note: String,
    /// The content, as `Definition` JSON text; empty to start from
    /// `from_rubric` or from chibo's example of the purpose.
    pub definition: String,
    /// A rubric (visible from this node) whose content the draft copies.
    pub from_rubric: Option<i64>,
}

fn parse_definition(text: &str, purpose: Purpose) -> Result<Definition> {
    let d: Definition = serde_json::from_str(text).map_err(|e| {
        invalid(
            "definition",
            "Bộ tiêu chí",
            format!("không đọc được nội dung JSON: {e}"),
        )
    })?;
    d.check(purpose).map_err(AppError::Invalid)?;
    Ok(d)
}

/// The issuer drafts a new version (numbered after its last one).
pub async fn draft(app: &AppState, caller: &Caller, org: OrgId, input: &DraftInput) -> Result<i64> {
    let row = authorize_org(app, caller, Action::DirectCells, org).await?;
    let purpose = Purpose::from_code(input.purpose.trim()).ok_or_else(|| {
        invalid(
            "purpose",
            "Loại bộ tiêu chí",
            "phải là meeting hoặc monthly",
        )
    })?;
    let name = clean(&input.name);
    if name.is_empty() {
        return Err(invalid("name", "Tên bộ tiêu chí", "không được để trống"));
    }
    let note = clean(&input.note);
    let definition = if !input.definition.trim().is_empty() {
        parse_definition(&input.definition, purpose)?
    } else if let Some(from) = input.from_rubric {
        let (r, _) = visible(app, &row, from).await?;
        if r.purpose != purpose {
            return Err(invalid(
                "from_rubric",
                "Sao chép từ",
                "khác loại bộ tiêu chí",
            ));
        }
        r.definition
    } else {
        match purpose {
            Purpose::Meeting => example::local_meeting(),
            Purpose::Monthly => example::kim_son_monthly(),
        }
    };
    let json = serde_json::to_string(&definition).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = app.db.begin().await?;
    let (id, version) = store::rubric::insert_draft(
        &mut tx,
        &store::rubric::NewRubric {
            org,
            purpose: purpose.code(),
            name: &name,
            definition: &json,
            note: &note,
            on: app.clock.today(),
        },
    )
    .await?;
    let summary = format!("Dự thảo bộ tiêu chí «{name}» phiên bản {version}");
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "rubric_draft",
            entity: "rubric",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(
                serde_json::json!({"purpose": purpose.code(), "version": version, "name": name}),
            ),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The issuer's own rubric `id`, checked to be a draft.
async fn own_draft(app: &AppState, org: OrgId, id: i64) -> Result<Rubric> {
    let row = store::rubric::get(&app.db, id)
        .await?
        .filter(|r| r.org_id == org)
        .ok_or(AppError::NotFound)?;
    let r = Rubric::from_row(row)?;
    if r.status == RubricStatus::Adopted {
        return Err(adopted_conflict());
    }
    Ok(r)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AmendInput {
    /// Tên bộ tiêu chí; unchanged when empty.
    pub name: String,
    /// The whole new content as `Definition` JSON text.
    pub definition: String,
}

/// The issuer amends a draft; an adopted version answers 409.
pub async fn amend(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &AmendInput,
) -> Result<()> {
    authorize_org(app, caller, Action::DirectCells, org).await?;
    let r = own_draft(app, org, id).await?;
    let definition = parse_definition(&input.definition, r.purpose)?;
    let name = match clean(&input.name) {
        n if n.is_empty() => r.row.name.clone(),
        n => n,
    };
    let json = serde_json::to_string(&definition).map_err(|e| AppError::Internal(e.to_string()))?;
    let mut tx = app.db.begin().await?;
    if !store::rubric::update_draft(&mut tx, id, &name, &json).await? {
        return Err(adopted_conflict());
    }
    let summary = format!("Sửa dự thảo {}", r.title());
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "rubric_amend",
            entity: "rubric",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: Some(serde_json::json!({"name": r.row.name, "definition": r.definition})),
            after: Some(serde_json::json!({"name": name, "definition": definition})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct SendInput {
    /// The organizations (below the issuer) asked for comments.
    pub org_ids: Vec<i64>,
}

/// The issuer sends a draft to organizations of its subtree for comments.
pub async fn send(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &SendInput,
) -> Result<()> {
    let row = authorize_org(app, caller, Action::DirectCells, org).await?;
    let r = own_draft(app, org, id).await?;
    if input.org_ids.is_empty() {
        return Err(invalid(
            "org_ids",
            "Gửi lấy ý kiến",
            "chưa chọn tổ chức nào",
        ));
    }
    let below =
        store::org::subtree_ids(&app.db, org, row.reference_date(app.clock.today())).await?;
    let orgs: Vec<OrgId> = input.org_ids.iter().map(|i| OrgId(*i)).collect();
    if orgs.iter().any(|o| *o == org || !below.contains(o)) {
        return Err(invalid(
            "org_ids",
            "Gửi lấy ý kiến",
            "chỉ gửi các tổ chức trực thuộc",
        ));
    }
    let mut tx = app.db.begin().await?;
    store::rubric::send_to(&mut tx, id, &orgs).await?;
    let summary = format!("Gửi {} lấy ý kiến {} tổ chức", r.title(), orgs.len());
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "rubric_send",
            entity: "rubric",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"org_ids": input.org_ids})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CommentInput {
    /// Ý kiến góp ý.
    pub body: String,
}

/// An organization the draft was sent to comments on it (as itself).
pub async fn comment(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &CommentInput,
) -> Result<i64> {
    let row = authorize_org(app, caller, Action::ManageMeetings, org).await?;
    let (r, recipients) = visible(app, &row, id).await?;
    if r.status == RubricStatus::Adopted {
        return Err(AppError::Conflict(
            "Bộ tiêu chí đã ban hành, không nhận góp ý nữa.".into(),
        ));
    }
    if !recipients.iter().any(|x| x.org_id == org) || !speaks_for(caller, org) {
        return Err(AppError::Forbidden);
    }
    let body = clean(&input.body);
    if body.is_empty() {
        return Err(invalid("body", "Ý kiến góp ý", "không được để trống"));
    }
    if body.chars().count() > 4000 {
        return Err(invalid("body", "Ý kiến góp ý", "dài quá 4000 ký tự"));
    }
    let mut tx = app.db.begin().await?;
    let cid = store::rubric::add_comment(
        &mut tx,
        id,
        org,
        &caller.actor.username,
        &body,
        app.clock.today(),
    )
    .await?;
    let summary = format!("{} góp ý {}", row.name, r.title());
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "rubric_comment",
            entity: "rubric",
            entity_id: id,
            org: Some(r.row.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"org": org.0, "body": body})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(cid)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AdoptInput {
    /// Văn bản ban hành: "Quyết định số 3059-QĐ/HU".
    pub document: String,
    /// Ngày ban hành, dd/mm/yyyy or YYYY-MM-DD.
    pub document_date: String,
    /// Áp dụng từ ngày, dd/mm/yyyy or YYYY-MM-DD (on or after the document's date).
    pub valid_from: String,
}

fn date_field(s: &str, field: &'static str, label: &'static str) -> Result<Date> {
    if s.trim().is_empty() {
        return Err(invalid(field, label, "không được để trống"));
    }
    parse_date(s.trim()).ok_or_else(|| invalid(field, label, "không đúng định dạng dd/mm/yyyy"))
}

/// The issuer adopts a draft: its document and the day it applies from are
/// fixed, and the version it replaces ends that day.
pub async fn adopt(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &AdoptInput,
) -> Result<()> {
    authorize_org(app, caller, Action::DirectCells, org).await?;
    let r = own_draft(app, org, id).await?;
    let document = clean(&input.document);
    let mut errors = Vec::new();
    if document.is_empty() {
        errors.push(ValidationError::new(
            "document",
            "Văn bản ban hành",
            "không được để trống",
        ));
    }
    let dates = (
        date_field(&input.document_date, "document_date", "Ngày ban hành"),
        date_field(&input.valid_from, "valid_from", "Áp dụng từ ngày"),
    );
    let (doc_date, from) = match dates {
        (Ok(a), Ok(b)) => (a, b),
        (a, b) => {
            for e in [a.err(), b.err()].into_iter().flatten() {
                if let AppError::Invalid(v) = e {
                    errors.extend(v);
                }
            }
            return Err(AppError::Invalid(errors));
        }
    };
    if from < doc_date {
        errors.push(ValidationError::new(
            "valid_from",
            "Áp dụng từ ngày",
            "không được trước ngày ban hành",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = app.db.begin().await?;
    let adopted = store::rubric::adopt(
        &mut tx,
        &r.row,
        &store::rubric::Adoption {
            document: &document,
            document_date: doc_date,
            valid_from: from,
            on: app.clock.today(),
        },
    )
    .await?;
    if !adopted {
        return Err(adopted_conflict());
    }
    let summary = format!(
        "Ban hành {} theo {document}, áp dụng từ {}",
        r.title(),
        crate::domain::time::format_date(from)
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "rubric_adopt",
            entity: "rubric",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: Some(serde_json::json!({"status": "draft"})),
            after: Some(serde_json::json!({
                "status": "adopted", "document": document,
                "document_date": doc_date.to_string(), "valid_from": from.to_string()
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
