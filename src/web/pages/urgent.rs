//! Urgent issues (việc cấp bách): a base organization's list of the year with
//! its progress forms, and a committee's overview of its subtree
//! (docs/rules.md "Urgent issues (việc cấp bách)").

use super::layout::{Input, csrf_field, field, other_errors};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::time::format_date;
use crate::domain::urgent::{Assessment, IssueYear, Progress};
use crate::service::urgent::{AssessInput, Counts, IssueView, NewIssueInput, ReportInput};
use crate::service::{self, AppError};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

/// Where the practice comes from, cited on both pages.
const SOURCE: &str = "Thực tiễn Huyện ủy Kim Sơn (Ninh Bình) năm 2018: 76 tổ chức cơ sở đảng đăng ký 127 việc cấp bách, bức xúc (Chỉ thị 05-CT/TW).";

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i64>,
}

fn year_or_now(app: &AppState, q: &YearQuery) -> IssueYear {
    IssueYear::clamped(
        q.year
            .unwrap_or_else(|| i64::from(app.clock.today().year())),
    )
}

fn title(year: IssueYear) -> String {
    format!("Việc cấp bách năm {}", year.get())
}

fn years_nav(base: &str, year: IssueYear) -> Markup {
    let y = year.get();
    html! {
        nav.pager aria-label="Năm" {
            a href=(format!("{base}?year={}", y - 1)) rel="prev" { "← " (y - 1) }
            span { "Năm " (y) }
            a href=(format!("{base}?year={}", y + 1)) rel="next" { (y + 1) " →" }
        }
    }
}

fn status_badge(code: &str, percent: Option<i32>) -> Markup {
    let label = Progress::from_code(code).map_or(code, |p| p.label());
    html! {
        span.badge { (label) @if let Some(p) = percent { " · " (p) "%" } }
    }
}

const MONTHS: [(&str, &str); 12] = [
    ("1", "Tháng 1"),
    ("2", "Tháng 2"),
    ("3", "Tháng 3"),
    ("4", "Tháng 4"),
    ("5", "Tháng 5"),
    ("6", "Tháng 6"),
    ("7", "Tháng 7"),
    ("8", "Tháng 8"),
    ("9", "Tháng 9"),
    ("10", "Tháng 10"),
    ("11", "Tháng 11"),
    ("12", "Tháng 12"),
];

/// The form that failed, to show its errors beside it.
#[derive(Clone, Copy, PartialEq)]
enum Failed {
    None,
    Register,
    Issue(i64),
}

pub async fn list(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Markup, PageError> {
    let year = year_or_now(&app, &q);
    let body = list_body(
        &app,
        &pc,
        OrgId(id),
        year,
        &NewIssueInput::default(),
        (Failed::None, &[]),
    )
    .await?;
    Ok(render(&pc, &title(year), body).await)
}

fn issue_card(
    pc: &PageCaller,
    id: OrgId,
    v: &IssueView,
    (can_report, can_assess): (bool, bool),
    errors: &[ValidationError],
    this_month: i8,
) -> Markup {
    let i = &v.issue;
    let statuses: Vec<(&str, &str)> = Progress::ALL
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect();
    let grades: Vec<(&str, &str)> = Assessment::ALL
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect();
    let month = this_month.to_string();
    html! {
        div.card id=(format!("i{}", i.id)) {
            strong { (i.title) } " " (status_badge(&i.status, i.percent))
            br; span.muted { "Lĩnh vực: " (i.field) }
            br; span.muted { "Kết quả cần đạt: " (i.target) }
            @if let Some(d) = i.deadline { br; span.muted { "Thời hạn: " (format_date(d.to_jiff())) } }
            @if let Some(a) = i.assessment.as_deref() {
                p { "Cấp trên đánh giá: " strong { (Assessment::from_code(a).map_or(a, |g| g.label())) }
                    @if let Some(on) = i.assessed_on { " (" (format_date(on.to_jiff())) ")" }
                    @if !i.assessment_comment.is_empty() { " — " (i.assessment_comment) } }
            }
            @if !v.progress.is_empty() {
                details { summary { "Tiến độ hằng tháng (" (v.progress.len()) ")" }
                    ul.plain { @for p in &v.progress { li {
                        "Tháng " (p.month) ": " (status_badge(&p.status, p.percent)) " " (p.body)
                    } } }
                }
            }
            (other_errors(errors, &[]))
            @if can_report {
                details open[errors.iter().any(|e| e.field != "grade" && e.field != "comment")] {
                    summary { "Báo cáo tiến độ" }
                    form method="post" action=(format!("/orgs/{id}/urgent/{}/progress", i.id)) {
                        (csrf_field(&pc.csrf))
                        (field("month", "Tháng", &month, Input::Select(&MONTHS), &[]))
                        (field("status", "Tình trạng", "in_progress", Input::Select(&statuses), &[]))
                        (field("percent", "Tỷ lệ hoàn thành (%)", "", Input::Numeric, &[]))
                        label for=(format!("b{}", i.id)) { "Kết quả thực hiện" }
                        textarea id=(format!("b{}", i.id)) name="body" rows="2" {}
                        button type="submit" { "Báo cáo" }
                    }
                }
            }
            @if can_assess {
                details open[errors.iter().any(|e| e.field == "grade" || e.field == "comment")] {
                    summary { "Cấp trên đánh giá" }
                    form method="post" action=(format!("/orgs/{id}/urgent/{}/assess", i.id)) {
                        (csrf_field(&pc.csrf))
                        (field("grade", "Đánh giá", i.assessment.as_deref().unwrap_or("done"), Input::Select(&grades), &[]))
                        (field("comment", "Nhận xét (bắt buộc khi không hoàn thành)", &i.assessment_comment, Input::Text, &[]))
                        button type="submit" { "Đánh giá" }
                    }
                }
            }
        }
    }
}

async fn list_body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    year: IssueYear,
    input: &NewIssueInput,
    (failed, errors): (Failed, &[ValidationError]),
) -> Result<Markup, AppError> {
    let v = service::urgent::of_year(app, &pc.caller, id, year).await?;
    let today = app.clock.today();
    let this_month = if i32::from(today.year()) > i32::from(year.get()) {
        12
    } else {
        today.month()
    };
    let done = v
        .issues
        .iter()
        .filter(|i| i.issue.status == Progress::Done.code())
        .count();
    let year_text = year.get().to_string();
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.org.name) } }
        h1 { (title(year)) }
        p.muted { "Tổ chức cơ sở đảng đăng ký những việc cấp bách, bức xúc cần tập trung lãnh đạo giải quyết trong năm, báo cáo tiến độ hằng tháng; cấp ủy cấp trên đánh giá. " (SOURCE) }
        (years_nav(&format!("/orgs/{id}/urgent"), year))
        p { strong { (v.issues.len()) } " việc đã đăng ký, " strong { (done) } " việc hoàn thành." }
        @if v.issues.is_empty() { p { "Chưa đăng ký việc cấp bách nào cho năm " (year.get()) "." } }
        @for i in &v.issues {
            @let errs = if failed == Failed::Issue(i.issue.id) { errors } else { &[] };
            (issue_card(pc, id, i, (v.can_report, v.can_assess), errs, this_month))
        }
        @if v.can_report {
            @let errs = if failed == Failed::Register { errors } else { &[] };
            h2 { "Đăng ký việc cấp bách" }
            form.card method="post" action=(format!("/orgs/{id}/urgent")) {
                (csrf_field(&pc.csrf))
                input type="hidden" name="year" value=(year_text);
                (field("title", "Tên việc cấp bách", &input.title, Input::Text, errs))
                (field("field", "Lĩnh vực (môi trường, an toàn thực phẩm, nông thôn mới …)", &input.field, Input::Text, errs))
                (field("target", "Kết quả cần đạt", &input.target, Input::Text, errs))
                (field("deadline", &format!("Thời hạn hoàn thành (trong năm {})", year.get()), &input.deadline, Input::Date, errs))
                (other_errors(errs, &["title", "field", "target", "deadline"]))
                button type="submit" { "Đăng ký" }
            }
        }
    })
}

fn year_of_input(app: &AppState, input: &str) -> IssueYear {
    service::urgent::year_of(input).unwrap_or_else(|_| year_or_now(app, &YearQuery::default()))
}

async fn failed_page(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    year: IssueYear,
    input: &NewIssueInput,
    failed: (Failed, &[ValidationError]),
) -> Response {
    match list_body(app, pc, id, year, input, failed).await {
        Ok(b) => super::invalid_page(pc, &title(year), b).await,
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn register(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<NewIssueInput>,
) -> Response {
    let year = year_of_input(&app, &input.year);
    match service::urgent::register(&app, &pc.caller, OrgId(id), &input).await {
        Ok(new) => {
            set_flash(&pc.session, "Đã đăng ký việc cấp bách.").await;
            Redirect::to(&format!("/orgs/{id}/urgent?year={}#i{new}", year.get())).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            failed_page(
                &app,
                &pc,
                OrgId(id),
                year,
                &input,
                (Failed::Register, &errors),
            )
            .await
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// After a report or an assessment: back to the issue, or its errors beside it.
async fn after(
    app: &AppState,
    pc: &PageCaller,
    (id, issue): (i64, i64),
    done: Result<(), AppError>,
    flash: &str,
) -> Response {
    let year = match crate::store::urgent::get(&app.db, issue).await {
        Ok(Some(i)) => year_of_input(app, &i.year.to_string()),
        _ => year_or_now(app, &YearQuery::default()),
    };
    match done {
        Ok(()) => {
            set_flash(&pc.session, flash).await;
            Redirect::to(&format!("/orgs/{id}/urgent?year={}#i{issue}", year.get())).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            failed_page(
                app,
                pc,
                OrgId(id),
                year,
                &NewIssueInput::default(),
                (Failed::Issue(issue), &errors),
            )
            .await
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn progress(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, issue)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<ReportInput>,
) -> Response {
    let done = service::urgent::report(&app, &pc.caller, OrgId(id), issue, &input).await;
    after(&app, &pc, (id, issue), done, "Đã báo cáo tiến độ.").await
}

pub async fn assess(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, issue)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<AssessInput>,
) -> Response {
    let done = service::urgent::assess(&app, &pc.caller, OrgId(id), issue, &input).await;
    after(&app, &pc, (id, issue), done, "Đã đánh giá.").await
}

fn counts_line(c: &Counts) -> Markup {
    html! {
        @for (s, n) in Progress::ALL.iter().zip(c.by_status) { @if n > 0 { span.badge { (s.label()) ": " (n) } " " } }
        br;
        @for (a, n) in Assessment::ALL.iter().zip(c.by_assessment) { @if n > 0 { span.badge { (a.label()) ": " (n) } " " } }
        @if c.unassessed > 0 { span.badge { "Chưa đánh giá: " (c.unassessed) } }
    }
}

/// A committee's overview of the urgent issues of its subtree for a year.
pub async fn overview(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Markup, PageError> {
    let year = year_or_now(&app, &q);
    let o = service::urgent::overview(&app, &pc.caller, OrgId(id), year).await?;
    let t = &o.total;
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (o.root.name) } }
        h1 { "Tổng hợp việc cấp bách năm " (year.get()) }
        p.muted { (SOURCE) }
        (years_nav(&format!("/orgs/{id}/urgent-overview"), year))
        div.stats {
            div.stat { b { (o.orgs.len()) } "tổ chức cơ sở đăng ký" }
            div.stat { b { (t.issues) } "việc cấp bách" }
            @for (s, n) in Progress::ALL.iter().zip(t.by_status) { div.stat { b { (n) } (s.label()) } }
            @for (a, n) in Assessment::ALL.iter().zip(t.by_assessment) { div.stat { b { (n) } "Đánh giá " (a.label().to_lowercase()) } }
            div.stat { b { (t.unassessed) } "Chưa đánh giá" }
        }
        h2 { "Từng tổ chức cơ sở (" (o.orgs.len()) ")" }
        @if o.orgs.is_empty() { p { "Chưa tổ chức cơ sở nào đăng ký việc cấp bách năm " (year.get()) "." } }
        @for r in &o.orgs {
            div.card {
                a href=(format!("/orgs/{}/urgent?year={}", r.org_id, year.get())) { (r.name) }
                " — " strong { (r.counts.issues) } " việc"
                br; (counts_line(&r.counts))
            }
        }
    };
    Ok(render(
        &pc,
        &format!("Tổng hợp việc cấp bách năm {}", year.get()),
        body,
    )
    .await)
}
