//! Inspections of cells' meetings every six months, and a cell's answers to
//! what they found (docs/rules.md "Inspections every six months").

use super::layout::{Input, csrf_field, field, other_errors};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::inspection::{FindingKind, FollowUpStatus, HalfYear};
use crate::domain::time::format_date;
use crate::service::inspection::{AnswerInput, NewFindingInput, NewInspection, VerifyInput};
use crate::service::{self, AppError};
use crate::store::inspection::FindingRow;
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

const TITLE: &str = "Kiểm tra sinh hoạt chi bộ";

pub async fn list(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let body = list_body(&app, &pc, OrgId(id), &NewInspection::default(), &[]).await?;
    Ok(render(&pc, TITLE, body).await)
}

async fn list_body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    input: &NewInspection,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let org = service::org::get(app, &pc.caller, id, app.clock.today()).await?;
    let rows = service::inspection::list(app, &pc.caller, id).await?;
    let next = HalfYear::of(app.clock.today()).code();
    let period = if input.period.is_empty() {
        next.as_str()
    } else {
        input.period.as_str()
    };
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        h1 { (TITLE) }
        p.muted { "Cấp ủy kiểm tra việc sinh hoạt của các chi bộ trực thuộc 6 tháng một lần; mỗi hạn chế có thời hạn khắc phục, chi bộ báo cáo kết quả, đợt kiểm tra sau kết luận đã khắc phục hay chưa." }
        @if rows.is_empty() { p { "Chưa có đợt kiểm tra nào." } }
        ul { @for r in &rows { li {
            a href=(format!("/orgs/{id}/inspections/{}", r.id)) { (r.title) }
            " " span.muted { "lập ngày " (format_date(r.created_on.to_jiff())) }
        } } }
        h2 { "Lập đợt kiểm tra" }
        form.card method="post" action=(format!("/orgs/{id}/inspections")) {
            (csrf_field(&pc.csrf))
            (field("period", "Kỳ kiểm tra (ví dụ 2026-H2: 6 tháng cuối năm 2026)", period, Input::Text, errors))
            (field("title", "Tên đợt kiểm tra (để trống: đặt theo kỳ)", &input.title, Input::Text, errors))
            button type="submit" { "Lập đợt kiểm tra" }
        }
    })
}

pub async fn create(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<NewInspection>,
) -> Response {
    let org = OrgId(id);
    match service::inspection::create(&app, &pc.caller, org, &input).await {
        Ok(new) => {
            set_flash(&pc.session, "Đã lập đợt kiểm tra.").await;
            Redirect::to(&format!("/orgs/{id}/inspections/{new}")).into_response()
        }
        Err(AppError::Invalid(errors)) => match list_body(&app, &pc, org, &input, &errors).await {
            Ok(b) => super::invalid_page(&pc, TITLE, b).await,
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn show(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, inspection)): Path<(i64, i64)>,
) -> Result<Markup, PageError> {
    let body = show_body(
        &app,
        &pc,
        OrgId(id),
        inspection,
        &NewFindingInput::default(),
        &[],
    )
    .await?;
    Ok(render(&pc, TITLE, body).await)
}

fn status_label(f: &FindingRow) -> &str {
    FollowUpStatus::from_code(&f.status).map_or(f.status.as_str(), |s| s.label())
}

pub(super) fn finding_line(f: &FindingRow) -> Markup {
    let kind = FindingKind::from_code(&f.kind).map_or(f.kind.as_str(), |k| k.label());
    html! {
        span.badge { (kind) } " " (f.body)
        @if let Some(d) = f.deadline { " — hạn " (format_date(d.to_jiff())) }
        " " span.muted { "(" (status_label(f)) ")" }
        @if !f.answer.is_empty() { br; span.muted { "Chi bộ báo cáo: " (f.answer) } }
    }
}

async fn show_body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    inspection: i64,
    input: &NewFindingInput,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let org = service::org::get(app, &pc.caller, id, app.clock.today()).await?;
    let v = service::inspection::view(app, &pc.caller, id, inspection).await?;
    let kinds = [
        (
            FindingKind::Shortcoming.code(),
            FindingKind::Shortcoming.label(),
        ),
        (FindingKind::Strength.code(), FindingKind::Strength.label()),
    ];
    let base = format!("/orgs/{id}/inspections/{inspection}");
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } " › " a href=(format!("/orgs/{id}/inspections")) { "Kiểm tra" } }
        h1 { (v.inspection.title) }
        h2 { "Kết quả kiểm tra (" (v.findings.len()) ")" }
        @if v.findings.is_empty() { p { "Chưa ghi kết quả nào." } }
        ul { @for f in &v.findings { li { strong { (f.cell_name) } ": " (finding_line(f)) } } }
        h2 { "Ghi kết quả kiểm tra một chi bộ" }
        form.card method="post" action=(format!("{base}/findings")) {
            (csrf_field(&pc.csrf))
            (field("cell", "Chi bộ (gõ tên để tìm)", &input.cell, Input::Text, errors))
            (field("kind", "Loại", &input.kind, Input::Select(&kinds), errors))
            (field("body", "Nội dung", &input.body, Input::Text, errors))
            (field("deadline", "Thời hạn khắc phục (với hạn chế)", &input.deadline, Input::Date, errors))
            (other_errors(errors, &["cell", "kind", "body", "deadline"]))
            button type="submit" { "Ghi" }
        }
        @if !v.pending.is_empty() {
            h2 { "Kiểm tra lại hạn chế của các đợt trước (" (v.pending.len()) ")" }
            ul { @for f in &v.pending { li {
                strong { (f.cell_name) } " (" (HalfYear::parse(&f.period).map(HalfYear::label).unwrap_or_else(|_| f.period.clone())) "): " (finding_line(f))
                form.inline method="post" action=(format!("{base}/findings/{}/verify", f.id)) {
                    (csrf_field(&pc.csrf))
                    button type="submit" name="status" value="fixed" { "Đã khắc phục" } " "
                    button.secondary type="submit" name="status" value="not_fixed" { "Chưa khắc phục được" }
                }
            } } }
        }
    })
}

pub async fn add_finding(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, inspection)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<NewFindingInput>,
) -> Response {
    let org = OrgId(id);
    match service::inspection::add_finding(&app, &pc.caller, org, inspection, &input).await {
        Ok(_) => {
            set_flash(&pc.session, "Đã ghi kết quả kiểm tra.").await;
            Redirect::to(&format!("/orgs/{id}/inspections/{inspection}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match show_body(&app, &pc, org, inspection, &input, &errors).await {
                Ok(b) => super::invalid_page(&pc, TITLE, b).await,
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn verify(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, inspection, finding)): Path<(i64, i64, i64)>,
    CsrfForm(input): CsrfForm<VerifyInput>,
) -> Response {
    match service::inspection::verify(&app, &pc.caller, OrgId(id), inspection, finding, &input)
        .await
    {
        Ok(()) => {
            set_flash(&pc.session, "Đã kết luận.").await;
            Redirect::to(&format!("/orgs/{id}/inspections/{inspection}")).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// What inspections found in a cell, with the secretary's answer forms.
pub async fn cell(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let cell = OrgId(id);
    let org = service::org::get(&app, &pc.caller, cell, app.clock.today()).await?;
    let f = service::inspection::of_cell(&app, &pc.caller, cell).await?;
    let today = app.clock.today();
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        h1 { "Kết quả kiểm tra, việc cần khắc phục" }
        @if f.rows.is_empty() { p { "Chưa có đợt kiểm tra nào ghi nhận chi bộ." } }
        ul { @for r in &f.rows {
            @let status = FollowUpStatus::from_code(&r.status);
            li {
                (HalfYear::parse(&r.period).map(HalfYear::label).unwrap_or_else(|_| r.period.clone())) ": " (finding_line(r))
                @if status.is_some_and(|s| s.overdue(r.deadline.map(|d| d.to_jiff()), today)) { " " span.badge { "Quá hạn" } }
                @if f.can_answer && status.is_some_and(FollowUpStatus::waiting) {
                    form.card method="post" action=(format!("/orgs/{id}/findings/{}/answer", r.id)) {
                        (csrf_field(&pc.csrf))
                        label for=(format!("a{}", r.id)) { "Kết quả khắc phục" }
                        textarea id=(format!("a{}", r.id)) name="answer" rows="2" { (r.answer) }
                        button type="submit" { "Báo cáo" }
                    }
                }
            }
        } }
    };
    Ok(render(&pc, "Việc cần khắc phục", body).await)
}

pub async fn answer(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, finding)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<AnswerInput>,
) -> Response {
    match service::inspection::answer(&app, &pc.caller, OrgId(id), finding, &input).await {
        Ok(()) => {
            set_flash(&pc.session, "Đã báo cáo kết quả khắc phục.").await;
            Redirect::to(&format!("/orgs/{id}/findings")).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}
