//! A base committee inspects its cells' meetings every six months; each
//! shortcoming gets a deadline, the cell answers what it did, and a later
//! inspection judges it fixed or not (docs/rules.md "Inspections every six
//! months").

use super::{AppError, Caller, Change, Result, allows, audit_touching, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::domain::inspection::{FindingKind, FollowUpStatus, HalfYear, check_finding};
use crate::domain::text::clean;
use crate::domain::time::parse_date;
use crate::store::{self, inspection::FindingRow, inspection::InspectionRow};
use serde::Deserialize;

/// A committee's inspections.
pub async fn list(app: &AppState, caller: &Caller, org: OrgId) -> Result<Vec<InspectionRow>> {
    authorize_org(app, caller, Action::Inspect, org).await?;
    Ok(store::inspection::of_org(&app.db, org).await?)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewInspection {
    /// "2026-H1" or "2026-H2".
    pub period: String,
    pub title: String,
}

pub async fn create(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &NewInspection,
) -> Result<i64> {
    let node = authorize_org(app, caller, Action::Inspect, org).await?;
    if node.kind().is_cell() {
        return Err(AppError::invalid(ValidationError::new(
            "period",
            "Kỳ kiểm tra",
            "chỉ cấp ủy có chi bộ trực thuộc mới kiểm tra sinh hoạt chi bộ",
        )));
    }
    let period = HalfYear::parse(&input.period).map_err(AppError::invalid)?;
    let title = match clean(&input.title) {
        t if t.is_empty() => format!("Kiểm tra sinh hoạt chi bộ {}", period.label()),
        t => t,
    };
    let mut tx = app.db.begin().await?;
    if store::inspection::of_org(&app.db, org)
        .await?
        .iter()
        .any(|i| (i.year, i.half) == (i32::from(period.year), i32::from(period.half)))
    {
        return Err(AppError::Conflict(format!(
            "đã có đợt kiểm tra {}",
            period.label()
        )));
    }
    let id = store::inspection::insert(
        &mut tx,
        org,
        (i32::from(period.year), i32::from(period.half)),
        &title,
        app.clock.today(),
    )
    .await?;
    let summary = format!("Lập đợt kiểm tra: {title}");
    audit_touching(
        app,
        &mut tx,
        caller,
        Change {
            action: "inspection",
            entity: "inspection",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"period": period.code(), "title": title})),
        },
        &[],
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

pub struct InspectionView {
    pub inspection: InspectionRow,
    pub findings: Vec<FindingRow>,
    /// Earlier shortcomings this inspection may judge.
    pub pending: Vec<FindingRow>,
}

/// One inspection of `org`, with what earlier ones left to judge.
pub async fn view(app: &AppState, caller: &Caller, org: OrgId, id: i64) -> Result<InspectionView> {
    authorize_org(app, caller, Action::Inspect, org).await?;
    let inspection = of(app, org, id).await?;
    Ok(InspectionView {
        findings: store::inspection::findings(&app.db, id).await?,
        pending: store::inspection::pending_before(&app.db, org, id).await?,
        inspection,
    })
}

/// The inspection `id` if it is `org`'s; not found otherwise.
async fn of(app: &AppState, org: OrgId, id: i64) -> Result<InspectionRow> {
    store::inspection::get(&app.db, id)
        .await?
        .filter(|i| i.org_id == org)
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewFindingInput {
    /// The cell, by name (or "name — parent"), among the committee's cells.
    pub cell: String,
    /// strength | shortcoming
    pub kind: String,
    pub body: String,
    /// Deadline to fix a shortcoming, dd/mm/yyyy or YYYY-MM-DD.
    pub deadline: String,
}

pub async fn add_finding(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &NewFindingInput,
) -> Result<i64> {
    authorize_org(app, caller, Action::Inspect, org).await?;
    of(app, org, id).await?;
    let today = app.clock.today();
    let cell = super::org::pick(app, caller, &input.cell, today, ("cell", "Chi bộ"), |r| {
        r.kind().is_cell() && r.dissolved_on().is_none()
    })
    .await;
    let body = clean(&input.body);
    let deadline = match input.deadline.trim() {
        "" => Ok(None),
        s => parse_date(s).map(Some).ok_or_else(|| {
            ValidationError::new(
                "deadline",
                "Thời hạn khắc phục",
                "không đúng định dạng dd/mm/yyyy",
            )
        }),
    };
    let checked = match deadline {
        Ok(d) => check_finding(FindingKind::from_code(input.kind.trim()), &body, d, today),
        Err(e) => Err(vec![e]),
    };
    let (cell, (kind, deadline)) = match (cell, checked) {
        (Ok(c), Ok(k)) => (c, k),
        (c, k) => {
            let mut errors = match c {
                Err(AppError::Invalid(e)) => e,
                Err(e) => return Err(e),
                Ok(_) => Vec::new(),
            };
            errors.extend(k.err().unwrap_or_default());
            return Err(AppError::Invalid(errors));
        }
    };
    // Only the committee's own cells: picking searched what the caller sees.
    if !store::org::path_ids(&app.db, cell, today)
        .await?
        .contains(&org)
    {
        return Err(AppError::invalid(ValidationError::new(
            "cell",
            "Chi bộ",
            "không trực thuộc cấp ủy kiểm tra",
        )));
    }
    let status = match kind {
        FindingKind::Strength => FollowUpStatus::Noted,
        FindingKind::Shortcoming => FollowUpStatus::Open,
    };
    let mut tx = app.db.begin().await?;
    let finding = store::inspection::insert_finding(
        &mut tx,
        &store::inspection::NewFinding {
            inspection: id,
            from_round: false,
            cell,
            kind: kind.code(),
            body: &body,
            deadline,
            status: status.code(),
        },
    )
    .await?;
    let summary = format!("Kiểm tra ghi nhận {}: {body}", kind.label().to_lowercase());
    audit_touching(
        app,
        &mut tx,
        caller,
        Change {
            action: "finding",
            entity: "inspection",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "finding": finding, "cell": cell, "kind": kind.code(),
                "deadline": deadline.map(|d| d.to_string())
            })),
        },
        &[cell],
    )
    .await?;
    tx.commit().await?;
    Ok(finding)
}

pub struct CellFindings {
    pub rows: Vec<FindingRow>,
    /// Whether the caller may answer for the cell.
    pub can_answer: bool,
}

/// What inspections found in a cell; its members read it, its secretary answers.
pub async fn of_cell(app: &AppState, caller: &Caller, cell: OrgId) -> Result<CellFindings> {
    authorize_org(app, caller, Action::ReadOrg, cell).await?;
    Ok(CellFindings {
        rows: store::inspection::of_cell(&app.db, cell).await?,
        can_answer: allows(app, caller, Action::ManageMeetings, cell).await?,
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AnswerInput {
    /// What the cell did to fix it.
    pub answer: String,
}

/// The cell says what it did about a shortcoming.
pub async fn answer(
    app: &AppState,
    caller: &Caller,
    cell: OrgId,
    finding: i64,
    input: &AnswerInput,
) -> Result<()> {
    authorize_org(app, caller, Action::ManageMeetings, cell).await?;
    let row = store::inspection::finding(&app.db, finding)
        .await?
        .filter(|f| f.cell_id == cell)
        .ok_or(AppError::NotFound)?;
    let text = clean(&input.answer);
    if text.is_empty() {
        return Err(AppError::invalid(ValidationError::new(
            "answer",
            "Kết quả khắc phục",
            "không được để trống",
        )));
    }
    let mut tx = app.db.begin().await?;
    if store::inspection::answer(&mut tx, finding, &text, app.clock.today()).await? == 0 {
        return Err(AppError::Conflict(
            "hạn chế này không còn chờ chi bộ trả lời".into(),
        ));
    }
    let summary = format!("Chi bộ báo cáo khắc phục: {}", row.body);
    audit_touching(
        app,
        &mut tx,
        caller,
        Change {
            action: "finding_answer",
            entity: if row.round_id.is_some() {
                "supervision_round"
            } else {
                "inspection"
            },
            entity_id: row.inspection_id.or(row.round_id).unwrap_or_default(),
            org: Some(cell),
            summary: &summary,
            before: Some(serde_json::json!({"status": row.status, "answer": row.answer})),
            after: Some(serde_json::json!({"status": "answered", "answer": text})),
        },
        &[],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct VerifyInput {
    /// fixed | not_fixed
    pub status: String,
}

/// A later inspection judges an earlier shortcoming.
pub async fn verify(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    finding: i64,
    input: &VerifyInput,
) -> Result<()> {
    authorize_org(app, caller, Action::Inspect, org).await?;
    of(app, org, id).await?;
    let status = judgement(input)?;
    let row = store::inspection::pending_before(&app.db, org, id)
        .await?
        .into_iter()
        .find(|f| f.id == finding)
        .ok_or(AppError::NotFound)?;
    judge(app, caller, org, (id, false), &row, status).await
}

/// A later inspection's or round's answer: fixed or not fixed.
pub(crate) fn judgement(input: &VerifyInput) -> Result<FollowUpStatus> {
    match FollowUpStatus::from_code(input.status.trim()) {
        Some(s @ (FollowUpStatus::Fixed | FollowUpStatus::NotFixed)) => Ok(s),
        _ => Err(AppError::invalid(ValidationError::new(
            "status",
            "Kết quả kiểm tra lại",
            "phải là đã khắc phục hoặc chưa khắc phục được",
        ))),
    }
}

/// Records a judgement of a waiting shortcoming by inspection or round
/// `by.0` (`by.1`: a round) of committee `org`, audited there.
pub(crate) async fn judge(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    by: (i64, bool),
    row: &FindingRow,
    status: FollowUpStatus,
) -> Result<()> {
    let (id, by_round) = by;
    let finding = row.id;
    let mut tx = app.db.begin().await?;
    if store::inspection::verify(&mut tx, finding, status.code(), id, by_round).await? == 0 {
        return Err(AppError::Conflict("hạn chế này đã được kết luận".into()));
    }
    let summary = format!("Kiểm tra lại: {} — {}", row.body, status.label());
    audit_touching(
        app,
        &mut tx,
        caller,
        Change {
            action: "finding_verify",
            entity: if by_round {
                "supervision_round"
            } else {
                "inspection"
            },
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: Some(serde_json::json!({"status": row.status})),
            after: Some(serde_json::json!({"status": status.code(), "finding": finding})),
        },
        &[row.cell_id],
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
