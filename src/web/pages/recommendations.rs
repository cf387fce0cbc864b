//! Recommendations (kiến nghị): a committee's list with filters and counts,
//! the cell's form to raise them, and a meeting's "Kiến nghị" section
//! (docs/rules.md "Recommendations (kiến nghị)").

use super::layout::{Input, csrf_field, field, pager, qs};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::{OrgId, RecommendationId};
use crate::domain::recommendation::{Source, Status, Topic};
use crate::domain::time::format_date;
use crate::service::recommendation::{self as recs, Counts, ListQuery, MeetingRecs, RaiseInput};
use crate::service::{AppError, PAGE_SIZE};
use crate::store::recommendation::RecRow;
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

const TITLE: &str = "Kiến nghị";
/// Where the pages cite the rule.
pub const SOURCE: &str = "Hướng dẫn 42-HD/BTCTW ngày 28/10/2025 (giải quyết kiến nghị của đảng viên khi kết luận buổi sinh hoạt)";

fn topic_options(empty: &'static str) -> Vec<(&'static str, &'static str)> {
    std::iter::once(("", empty))
        .chain(Topic::ALL.iter().map(|t| (t.code(), t.label())))
        .collect()
}

fn label<T: Copy>(code: &str, from: fn(&str) -> Option<T>, label: fn(T) -> &'static str) -> String {
    from(code).map(label).unwrap_or(code).to_string()
}

/// One recommendation as a card: what, where it stands, its answer.
pub fn card(r: &RecRow, overdue: bool) -> Markup {
    card_with(r, overdue, html! {})
}

/// A recommendation's card with something more inside its list item (a
/// button that acts on it): a list holds only items.
fn card_with(r: &RecRow, overdue: bool, extra: Markup) -> Markup {
    let d = |x: Option<crate::store::types::Day>| x.map(|d| format_date(d.to_jiff()));
    html! {
        li.card {
            a href=(format!("/recommendations/{}", r.id)) { strong { (r.content) } }
            br;
            span.badge { (label(&r.topic, Topic::from_code, Topic::label)) } " "
            span.badge { (label(&r.status, Status::from_code, Status::label)) }
            @if overdue { " " span.badge.overdue { "quá hạn" } }
            br;
            span.muted {
                (r.cell_name) ", " (format_date(r.raised_on.to_jiff()))
                @if let Some(n) = &r.raised_by_name { " — " (n) }
                @if let Some(l) = &r.level_name { " · gửi " (l) }
                @if !r.assignee.is_empty() { " · giao " (r.assignee) }
                @if let Some(dl) = d(r.deadline) { " · hạn " (dl) }
            }
            @if !r.answer.is_empty() {
                p { "Trả lời" @if let Some(a) = d(r.answered_on) { " (" (a) ")" } ": " (r.answer) }
            }
            @if let Some(on) = d(r.reported_on) { p.muted { "Đã thông báo lại tại kỳ sinh hoạt ngày " (on) } }
            @if !r.closed_reason.is_empty() { p.muted { "Lý do đóng: " (r.closed_reason) } }
            (extra)
        }
    }
}

fn counts_table(c: &Counts) -> Markup {
    html! {
        details {
            summary { "Thống kê năm " (c.year) ": " (c.all.total) " kiến nghị, đã trả lời " (c.all.answered) ", quá hạn " (c.all.overdue) }
            div.table-wrap { table {
                thead { tr { th { "" } th { "Tổng" } th { "Đã trả lời" } th { "Quá hạn" } } }
                tbody {
                    @for (i, t) in c.by_quarter.iter().enumerate() { tr { td { "Quý " (i + 1) } td { (t.total) } td { (t.answered) } td { (t.overdue) } } }
                    @for (_, l, t) in c.by_topic.iter().filter(|(_, _, t)| t.total > 0) { tr { td { (l) } td { (t.total) } td { (t.answered) } td { (t.overdue) } } }
                    @for (l, t) in &c.by_level { tr { td { "Gửi " (l) } td { (t.total) } td { (t.answered) } td { (t.overdue) } } }
                }
            } }
        }
    }
}

fn raise_form(
    action: &str,
    csrf: &str,
    input: &RaiseInput,
    levels: &[(OrgId, String)],
    errors: &[ValidationError],
    with_date: bool,
) -> Markup {
    let topics = topic_options("— chọn lĩnh vực —");
    let level_opts: Vec<(&str, &str)> = std::iter::once(("", "— chưa chuyển —"))
        .chain(levels.iter().map(|(_, n)| (n.as_str(), n.as_str())))
        .collect();
    html! {
        form.card method="post" action=(action) {
            (csrf_field(csrf))
            div class=[errors.iter().any(|e| e.field == "content").then_some("field-error")] {
                label for="f-content" { "Nội dung (mỗi dòng một kiến nghị)" }
                textarea #f-content name="content" rows="3" { (input.content) }
                @for e in errors.iter().filter(|e| e.field == "content") { p.error { (e.to_string()) } }
            }
            (field("topic", "Lĩnh vực", &input.topic, Input::Select(&topics), errors))
            (field("raised_by", "Người nêu (không bắt buộc)", &input.raised_by, Input::Text, errors))
            @if with_date { (field("raised_on", "Ngày nêu", &input.raised_on, Input::Date, errors)) }
            (field("level", "Chuyển ngay lên", &input.level, Input::Select(&level_opts), errors))
            button type="submit" { "Ghi kiến nghị" }
        }
    }
}

pub async fn list(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Markup, PageError> {
    let b = body(&app, &pc, OrgId(id), &q, &RaiseInput::default(), &[]).await?;
    Ok(render(&pc, TITLE, b).await)
}

async fn body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    q: &ListQuery,
    input: &RaiseInput,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let l = recs::list(app, &pc.caller, id, q).await?;
    let c = recs::counts(app, &pc.caller, id, l.year).await?;
    let today = app.clock.today();
    let levels = if l.can_raise {
        crate::service::recommendation::levels_of(app, id).await?
    } else {
        Vec::new()
    };
    let statuses: Vec<(&str, &str)> = std::iter::once(("", "Mọi trạng thái"))
        .chain(Status::ALL.iter().map(|s| (s.code(), s.label())))
        .collect();
    let topics = topic_options("Mọi lĩnh vực");
    let quarters = [
        ("", "Cả năm"),
        ("1", "Quý I"),
        ("2", "Quý II"),
        ("3", "Quý III"),
        ("4", "Quý IV"),
    ];
    let year = l.year.to_string();
    let base = format!(
        "/orgs/{id}/recommendations?status={}&topic={}&overdue={}&year={}&quarter={}",
        qs(&q.status),
        qs(&q.topic),
        qs(&q.overdue),
        l.year,
        l.quarter.map(|q| q.to_string()).unwrap_or_default()
    );
    let filtered = !(q.status.is_empty()
        && q.topic.is_empty()
        && q.overdue.is_empty()
        && q.quarter.is_empty());
    let pages = ((l.page.total + PAGE_SIZE - 1) / PAGE_SIZE).max(1);
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (l.org_name) } }
        h1 { "Kiến nghị" }
        p.muted { "Kiến nghị của đảng viên, chi bộ và cán bộ cấp trên dự sinh hoạt, chuyển đến cấp có thẩm quyền, theo dõi đến khi trả lời và thông báo lại tại kỳ sinh hoạt của chi bộ (" (SOURCE) ")." }
        (counts_table(&c))
        details open[filtered] {
            summary { "Lọc theo trạng thái, lĩnh vực, kỳ" }
            form.card method="get" action=(format!("/orgs/{id}/recommendations")) {
                (field("status", "Trạng thái", &q.status, Input::Select(&statuses), &[]))
                (field("topic", "Lĩnh vực", &q.topic, Input::Select(&topics), &[]))
                (field("year", "Năm", &year, Input::Numeric, &[]))
                (field("quarter", "Quý", &q.quarter, Input::Select(&quarters), &[]))
                label { input type="checkbox" name="overdue" value="1" checked[matches!(q.overdue.as_str(), "1" | "on" | "true")]; " Chỉ kiến nghị quá hạn" }
                button type="submit" { "Lọc" }
            }
        }
        p { (l.page.total) " kiến nghị · " a href=(base.replacen("/recommendations?", "/recommendations.xlsx?", 1)) { "Tải XLSX" } }
        ul.plain { @for r in l.page.items.iter() { (card(r, l.overdue(r, today))) } }
        @if l.page.items.is_empty() { p { "Không có kiến nghị nào khớp bộ lọc." } }
        (pager(&base, l.page.page, pages))
        @if l.can_raise {
            h2 { "Chi bộ kiến nghị" }
            (raise_form(&format!("/orgs/{id}/recommendations"), &pc.csrf, input, &levels, errors, true))
        }
    })
}

pub async fn xlsx(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<ListQuery>,
) -> Result<Response, PageError> {
    let bytes = recs::xlsx(&app, &pc.caller, OrgId(id), &q).await?;
    Ok(crate::web::api::meetings::xlsx_response(
        bytes,
        &format!("kien-nghi-{id}.xlsx"),
    ))
}

pub async fn raise(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<RaiseInput>,
) -> Response {
    match recs::raise_by_cell(&app, &pc.caller, OrgId(id), &input).await {
        Ok(ids) => {
            set_flash(&pc.session, format!("Đã ghi {} kiến nghị.", ids.len())).await;
            Redirect::to(&format!("/orgs/{id}/recommendations")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match body(&app, &pc, OrgId(id), &ListQuery::default(), &input, &errors).await {
                Ok(b) => super::invalid_page(&pc, TITLE, b).await,
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// The "Kiến nghị" section of a meeting page: answers to read out (and the
/// button recording they were), those raised at this meeting, and the box to
/// raise more while the minutes are open.
pub fn meeting_section(
    id: i64,
    r: &MeetingRecs,
    csrf: &str,
    editable: bool,
    errors: &[ValidationError],
) -> Markup {
    html! {
        h2 { "Kiến nghị" }
        @if !r.to_report.is_empty() || !r.reported_here.is_empty() {
            h3 { "Thông báo trả lời kiến nghị" }
            ul.plain {
                @for x in &r.reported_here { (card(x, false)) }
                @for x in &r.to_report {
                    (card_with(x, false, html! {
                        @if editable {
                            form.inline method="post" action=(format!("/meetings/{id}/recommendations/{}/report", x.id)) {
                                (csrf_field(csrf))
                                button.secondary type="submit" { "Đã thông báo tại kỳ họp này" }
                            }
                        }
                    }))
                }
            }
        }
        @if r.raised_here.is_empty() { p.muted { "Chưa ghi kiến nghị nào tại kỳ họp này." } }
        ul.plain { @for x in &r.raised_here { (card(x, false)) } }
        @if editable {
            details open[errors.iter().any(|e| matches!(e.field, "content" | "topic" | "raised_by" | "level"))] {
                summary { "Ghi kiến nghị nêu tại kỳ họp" }
                (raise_form(&format!("/meetings/{id}/recommendations"), csrf, &RaiseInput::default(), &r.levels, errors, false))
            }
        }
    }
}

pub async fn raise_at_meeting(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<RaiseInput>,
) -> Response {
    let r = recs::raise_at_meeting(&app, &pc.caller, id, &input)
        .await
        .map(|ids| format!("Đã ghi {} kiến nghị.", ids.len()));
    super::meetings::after(&app, &pc, id, r).await
}

pub async fn report_at_meeting(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, rec)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = recs::report(&app, &pc.caller, RecommendationId(rec), id)
        .await
        .map(|()| "Đã ghi: trả lời kiến nghị được thông báo tại kỳ họp này.".to_string());
    super::meetings::after(&app, &pc, id, r).await
}

/// The source a card shows, for the detail page.
pub fn source_label(code: &str) -> String {
    label(code, Source::from_code, Source::label)
}
