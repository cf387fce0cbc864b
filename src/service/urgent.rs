//! Urgent issues (việc cấp bách): a base organization registers what it
//! commits to solve in a year and reports each month; a committee above
//! assesses (docs/rules.md "Urgent issues (việc cấp bách)").

use super::{AppError, Caller, Change, Result, audit, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::{Action, Role};
use crate::domain::ids::OrgId;
use crate::domain::text::clean;
use crate::domain::time::parse_date;
use crate::domain::urgent::{
    Assessment, IssueYear, Progress, check_assessment, check_issue, check_report,
};
use crate::store::{self, org::OrgRow, urgent::IssueRow, urgent::ProgressRow};
use serde::Deserialize;

/// Only a base organization registers urgent issues.
fn base_org(org: &OrgRow) -> Result<()> {
    if org.kind().is_base_org() {
        Ok(())
    } else {
        Err(AppError::invalid(ValidationError::new(
            "org",
            "Tổ chức",
            "chỉ tổ chức cơ sở đảng (đảng bộ cơ sở, chi bộ cơ sở) đăng ký việc cấp bách",
        )))
    }
}

/// A number typed in a form or sent as text; `None` when left empty.
fn number(input: &str, field: &'static str, label: &'static str) -> Result<Option<i64>> {
    match input.trim().trim_end_matches('%').trim() {
        "" => Ok(None),
        s => s
            .parse()
            .map(Some)
            .map_err(|_| AppError::invalid(ValidationError::new(field, label, "phải là một số"))),
    }
}

pub fn year_of(input: &str) -> Result<IssueYear> {
    let year = number(input, "year", "Năm")?.ok_or_else(|| {
        AppError::invalid(ValidationError::new("year", "Năm", "không được để trống"))
    })?;
    IssueYear::new(year).map_err(AppError::invalid)
}

pub struct IssueView {
    pub issue: IssueRow,
    /// Its monthly reports, by month.
    pub progress: Vec<ProgressRow>,
}

pub struct YearView {
    pub org: OrgRow,
    pub issues: Vec<IssueView>,
    /// Whether the caller registers issues and reports progress here.
    pub can_report: bool,
    /// Whether the caller assesses (a committee above).
    pub can_assess: bool,
}

/// A base organization's issues of a year with their monthly reports (two
/// queries, whatever the number of issues).
pub async fn of_year(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    year: IssueYear,
) -> Result<YearView> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    base_org(&row)?;
    let y = i32::from(year.get());
    let mut progress = store::urgent::progress_of_org(&app.db, org, y).await?;
    let issues = store::urgent::of_org(&app.db, org, y)
        .await?
        .into_iter()
        .map(|issue| {
            let (mine, rest): (Vec<_>, Vec<_>) =
                progress.drain(..).partition(|p| p.issue_id == issue.id);
            progress = rest;
            IssueView {
                issue,
                progress: mine,
            }
        })
        .collect();
    Ok(YearView {
        org: row,
        issues,
        can_report: super::allows(app, caller, Action::ManageMeetings, org).await?,
        can_assess: super::allows(app, caller, Action::AssessUrgentIssues, org).await?,
    })
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewIssueInput {
    /// The year, "2018".
    pub year: String,
    /// Tên việc cấp bách.
    pub title: String,
    /// Lĩnh vực: môi trường, an toàn thực phẩm, nông thôn mới …
    pub field: String,
    /// Kết quả cần đạt.
    pub target: String,
    /// Thời hạn hoàn thành, dd/mm/yyyy or YYYY-MM-DD, inside the year; may be empty.
    pub deadline: String,
}

/// The base organization registers an issue for a year.
pub async fn register(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &NewIssueInput,
) -> Result<i64> {
    let row = authorize_org(app, caller, Action::ManageMeetings, org).await?;
    base_org(&row)?;
    let year = year_of(&input.year)?;
    let deadline = match input.deadline.trim() {
        "" => None,
        s => Some(parse_date(s).ok_or_else(|| {
            AppError::invalid(ValidationError::new(
                "deadline",
                "Thời hạn hoàn thành",
                "không đúng định dạng dd/mm/yyyy",
            ))
        })?),
    };
    let (title, field, target) = (
        clean(&input.title),
        clean(&input.field),
        clean(&input.target),
    );
    let deadline =
        check_issue(year, &title, &field, &target, deadline).map_err(AppError::Invalid)?;
    let mut tx = app.db.begin().await?;
    let id = store::urgent::insert(
        &mut tx,
        &store::urgent::NewIssue {
            org,
            year: i32::from(year.get()),
            title: &title,
            field: &field,
            target: &target,
            deadline,
            on: app.clock.today(),
        },
    )
    .await?;
    let summary = format!("Đăng ký việc cấp bách năm {}: {title}", year.get());
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "urgent_issue",
            entity: "urgent_issue",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "year": year.get(), "title": title, "field": field, "target": target,
                "deadline": deadline.map(|d| d.to_string())
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The issue `id` if it is `org`'s; not found otherwise.
async fn issue_of(app: &AppState, org: OrgId, id: i64) -> Result<IssueRow> {
    store::urgent::get(&app.db, id)
        .await?
        .filter(|i| i.org_id == org)
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ReportInput {
    /// The month reported, 1–12, of the issue's year.
    pub month: String,
    /// What was done.
    pub body: String,
    /// not_started | in_progress | done
    pub status: String,
    /// Tỷ lệ hoàn thành, 0–100; may be empty.
    pub percent: String,
}

/// The base organization reports a month's progress on an issue.
pub async fn report(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &ReportInput,
) -> Result<()> {
    authorize_org(app, caller, Action::ManageMeetings, org).await?;
    let issue = issue_of(app, org, id).await?;
    let year = IssueYear::new(i64::from(issue.year)).map_err(AppError::invalid)?;
    let body = clean(&input.body);
    let month = number(&input.month, "month", "Tháng")?.unwrap_or(0);
    let percent = number(&input.percent, "percent", "Tỷ lệ hoàn thành")?;
    let checked = check_report(
        year,
        month,
        &body,
        Progress::from_code(input.status.trim()),
        percent,
        app.clock.today(),
    )
    .map_err(AppError::Invalid)?;
    let mut tx = app.db.begin().await?;
    store::urgent::report(
        &mut tx,
        &store::urgent::NewReport {
            issue: id,
            month: i32::from(checked.month),
            body: &body,
            status: checked.status.code(),
            percent: checked.percent.map(i32::from),
            on: app.clock.today(),
        },
    )
    .await?;
    let summary = format!(
        "Báo cáo tháng {}/{} việc cấp bách: {} — {}",
        checked.month,
        issue.year,
        issue.title,
        checked.status.label()
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "urgent_progress",
            entity: "urgent_issue",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: Some(serde_json::json!({"status": issue.status, "percent": issue.percent})),
            after: Some(serde_json::json!({
                "month": checked.month, "status": checked.status.code(),
                "percent": checked.percent, "body": body
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct AssessInput {
    /// good | done | not_done
    pub grade: String,
    /// Nhận xét; required when not done.
    pub comment: String,
}

/// A committee above the base organization assesses an issue.
pub async fn assess(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &AssessInput,
) -> Result<()> {
    let row = authorize_org(app, caller, Action::AssessUrgentIssues, org).await?;
    let issue = issue_of(app, org, id).await?;
    let comment = clean(&input.comment);
    let grade = check_assessment(Assessment::from_code(input.grade.trim()), &comment)
        .map_err(AppError::Invalid)?;
    // The committee that judged: the caller's staff node above the base
    // organization, or (an administrator) the one directly above.
    let path = store::org::path_ids(&app.db, org, app.clock.today()).await?;
    let by = caller
        .actor
        .grants
        .iter()
        .find(|g| g.role == Role::Staff && g.org != org && path.contains(&g.org))
        .map(|g| g.org)
        .or(row.parent_id)
        .unwrap_or(org);
    let mut tx = app.db.begin().await?;
    store::urgent::assess(&mut tx, id, (grade.code(), &comment), by, app.clock.today()).await?;
    let summary = format!(
        "Cấp trên đánh giá việc cấp bách: {} — {}",
        issue.title,
        grade.label()
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "urgent_assess",
            entity: "urgent_issue",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: Some(serde_json::json!({
                "assessment": issue.assessment, "comment": issue.assessment_comment
            })),
            after: Some(serde_json::json!({
                "assessment": grade.code(), "comment": comment, "by": by.0
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

/// One base organization's issues of a year, counted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Counts {
    pub issues: i64,
    /// By `Progress::ALL`.
    pub by_status: [i64; 3],
    /// By `Assessment::ALL`.
    pub by_assessment: [i64; 3],
    pub unassessed: i64,
}

impl Counts {
    fn add(&mut self, status: &str, assessment: Option<&str>, n: i64) {
        self.issues += n;
        if let Some(i) = Progress::ALL.iter().position(|s| s.code() == status) {
            self.by_status[i] += n;
        }
        match assessment.and_then(|a| Assessment::ALL.iter().position(|s| s.code() == a)) {
            Some(i) => self.by_assessment[i] += n,
            None => self.unassessed += n,
        }
    }
}

pub struct OrgCounts {
    pub org_id: OrgId,
    pub name: String,
    pub counts: Counts,
}

pub struct Overview {
    pub root: OrgRow,
    pub year: IssueYear,
    /// Base organizations that registered issues, by name.
    pub orgs: Vec<OrgCounts>,
    pub total: Counts,
}

/// The issues of a year across the subtree of `root`: counts by status and
/// assessment per base organization and in all, from one grouped query.
pub async fn overview(
    app: &AppState,
    caller: &Caller,
    root: OrgId,
    year: IssueYear,
) -> Result<Overview> {
    let row = authorize_org(app, caller, Action::ReadOrg, root).await?;
    let on = row.reference_date(app.clock.today());
    let rows = store::urgent::counts_in_subtree(&app.db, root, on, i32::from(year.get())).await?;
    let mut orgs: Vec<OrgCounts> = Vec::new();
    let mut total = Counts::default();
    for r in rows {
        total.add(&r.status, r.assessment.as_deref(), r.issues);
        match orgs.last_mut() {
            Some(last) if last.org_id == r.org_id => {
                last.counts
                    .add(&r.status, r.assessment.as_deref(), r.issues)
            }
            _ => {
                let mut counts = Counts::default();
                counts.add(&r.status, r.assessment.as_deref(), r.issues);
                orgs.push(OrgCounts {
                    org_id: r.org_id,
                    name: r.org_name,
                    counts,
                });
            }
        }
    }
    Ok(Overview {
        root: row,
        year,
        orgs,
        total,
    })
}
