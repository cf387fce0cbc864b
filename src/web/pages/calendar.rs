//! A node's meeting calendar: registered rule, the year's meetings, planning,
//! statistics and what the rules ask (issue #4 points 1, 2, 7).

use super::layout::{Input, csrf_field, field};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::meeting::MeetingKind;
use crate::domain::schedule::format_time;
use crate::domain::time::format_date;
use crate::service::AppError;
use crate::service::meeting::{self as meetings, NewMeetingInput, ScheduleInput};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

/// Meetings listed on one page (a district has thousands a year; the XLSX has them all).
const SHOWN: usize = 300;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i16>,
}

pub async fn page(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Markup, PageError> {
    let body = body(
        &app,
        &pc,
        OrgId(id),
        q.year
            .unwrap_or_else(|| app.clock.today().year())
            .clamp(2000, 2100),
        &[],
    )
    .await?;
    Ok(render(&pc, "Lịch sinh hoạt", body).await)
}

async fn body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    year: i16,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let v = meetings::calendar(app, &pc.caller, id, year).await?;
    let (org, rows, stats, report, rule, members, manage) = (
        &v.org,
        &v.meetings,
        &v.stats,
        &v.report,
        &v.rule,
        &v.members,
        v.can_manage,
    );
    let (from, to) = (
        jiff::civil::date(year, 1, 1),
        jiff::civil::date(year, 12, 31),
    );
    let name = |o: OrgId| v.cell_name(o);
    let pct = |x: f64| format!("{:.1}%", x * 100.0);
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        h1 { "Lịch sinh hoạt năm " (year) }
        p {
            a href=(format!("/orgs/{id}/meetings?year={}", year - 1)) { "← " (year - 1) } " · "
            a href=(format!("/orgs/{id}/meetings?year={}", year + 1)) { (year + 1) " →" } " · "
            a href=(format!("/orgs/{id}/calendar.xlsx?from={from}&to={to}")) { "Xuất Excel" } " · "
            a href=(format!("/orgs/{id}/calendar.ics")) { "Lịch iCalendar (.ics)" }
        }
        @if let Some(p) = v.policy.as_ref().filter(|_| v.follows_policy || !org.kind().is_cell()) {
            p.card { strong { (p.text) } " " span.muted { "(áp dụng từ " (crate::domain::time::parse_date(&p.effective_from).map(format_date).unwrap_or_default()) ")" } }
        }
        @if let Some(r) = &rule {
            p.card { "Lịch đã đăng ký: ngày " strong { (r.day_of_month) } " hằng tháng, lúc " strong { (format_time(r.time)) } ", tại " strong { (r.place) } "."
                @if v.follows_policy { br; span.muted { "Các buổi thường kỳ theo ngày do cấp ủy cấp trên chỉ đạo." } }
                @else if v.policy.is_some() { br; span.muted { "Chi bộ giữ ngày sinh hoạt riêng (được cấp ủy cho phép)." } } }
        }
        h2 { "Thống kê" }
        div.stats {
            div.stat { b { (stats.held) "/" (stats.planned) } "cuộc đã họp / kế hoạch" }
            div.stat { b { (stats.thematic_held) } "cuộc chuyên đề" }
            div.stat { b { (pct(stats.attendance_rate)) } "tỷ lệ dự họp" }
            div.stat { b { (pct(stats.speaker_share)) } "đảng viên phát biểu" }
            div.stat { b { (stats.overdue_tasks) } "nhiệm vụ quá hạn" }
        }
        (super::participation::year(stats))
        @if report.rule_source.is_none() {
            h2 { "Thực hiện quy định" }
            p.card { "Không có quy định về sinh hoạt chi bộ nào áp dụng cho năm " (year) " trong chibo"
                @if let Some(d) = report.rules_from.as_deref().and_then(crate::domain::time::parse_date) { " (quy định sớm nhất được áp dụng từ ngày " (format_date(d)) ")" }
                ", nên các chi bộ không được đánh giá đạt hay chưa đạt." }
        } @else {
            h2 { "Thực hiện quy định (" (report.cells - report.cells_short) "/" (report.cells) " chi bộ đạt)" }
        }
        @for c in report.report.iter().filter(|c| c.met == Some(false)).take(50) {
            details.card {
                summary { a href=(format!("/orgs/{}/meetings?year={year}", c.org_id)) { (c.name) } " — chưa đạt" }
                ul {
                    @for k in c.checks.iter().filter(|k| !k.met) { li { (k.requirement) ": " (k.found) " " span.muted { "(" (k.source) ")" } } }
                    @for (d, k) in c.meeting_failures.iter().take(10) { li { (d) ": " (k.requirement) " — " (k.found) } }
                }
            }
        }
        @if org.kind().is_cell() {
            @for c in &report.report {
                ul { @for k in &c.checks { li { @if k.met { "✓ " } @else { "✗ " } (k.requirement) ": " (k.found) " " span.muted { "(" (k.source) ")" } } } }
            }
        }
        h2 { "Các buổi sinh hoạt (" (rows.len()) ")" }
        @if rows.len() > SHOWN { p.muted { "Hiển thị " (SHOWN) " buổi đầu tiên; xem đủ trong tệp Excel hoặc trang của từng chi bộ." } }
        div.table-wrap { table {
            thead { tr { th { "Ngày" } th { "Loại" } @if !org.kind().is_cell() { th { "Chi bộ" } } th.opt { "Giờ, địa điểm" } th { "Trạng thái" } } }
            tbody { @for m in rows.iter().take(SHOWN) { tr {
                td { a href=(format!("/meetings/{}", m.id)) { (format_date(m.held_on.to_jiff())) } }
                td { (meetings::kind(m).label()) @if !m.topic.is_empty() { br; span.muted { (m.topic) } } }
                @if !org.kind().is_cell() { td { (name(m.org_id)) } }
                td.opt { (m.start_time) ", " (m.place) }
                td { (crate::domain::meeting::status_label(&m.status)) @if m.signed_at.is_some() { " · đã ký" } }
            } } }
        } }
        @if manage {
            (forms(&pc.csrf, id, year, rule.as_ref(), members, errors))
        }
    })
}

fn forms(
    csrf: &str,
    id: OrgId,
    year: i16,
    rule: Option<&crate::domain::schedule::Recurrence>,
    members: &[crate::store::member::MemberRow],
    errors: &[ValidationError],
) -> Markup {
    let kinds: Vec<(&str, &str)> = MeetingKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    html! {
        h2 { "Lập kế hoạch" }
        form.card method="post" action=(format!("/orgs/{id}/meetings/plan")) {
            (csrf_field(csrf))
            input type="hidden" name="year" value=(year);
            p { "Tạo các buổi sinh hoạt thường kỳ năm " (year) " theo lịch đã đăng ký (tháng đã có sẽ giữ nguyên)." }
            button type="submit" { "Lập lịch năm " (year) }
        }
        details open[!errors.is_empty()] {
            summary { "Thêm buổi sinh hoạt (chuyên đề, đột xuất, mẫu, kiểm điểm)" }
            form.card method="post" action=(format!("/orgs/{id}/meetings/new")) {
                (csrf_field(csrf))
                (field("kind", "Loại sinh hoạt", "thematic", Input::Select(&kinds), errors))
                (field("date", "Ngày họp", "", Input::Date, errors))
                (field("time", "Giờ (để trống: theo lịch)", "", Input::Text, errors))
                (field("place", "Địa điểm (để trống: theo lịch)", "", Input::Text, errors))
                (field("topic", "Chuyên đề", "", Input::Text, errors))
                label { input type="checkbox" name="ho_chi_minh" value="true"; " Chuyên đề học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh" }
                fieldset {
                    legend { "Đảng viên tham luận" }
                    @for m in members { label.plain { input type="checkbox" name="presenters" value=(m.id); " " (m.full_name) } }
                }
                button type="submit" { "Thêm" }
            }
        }
        details {
            summary { "Đăng ký lịch sinh hoạt thường kỳ" }
            form.card method="post" action=(format!("/orgs/{id}/schedule")) {
                (csrf_field(csrf))
                (field("day_of_month", "Ngày trong tháng", &rule.map(|r| r.day_of_month.to_string()).unwrap_or_default(), Input::Text, errors))
                (field("time", "Giờ (HH:MM)", &rule.map(|r| format_time(r.time)).unwrap_or_default(), Input::Text, errors))
                (field("place", "Địa điểm", rule.map(|r| r.place.as_str()).unwrap_or(""), Input::Text, errors))
                button type="submit" { "Đăng ký" }
            }
        }
    }
}

async fn after(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    year: i16,
    result: Result<String, AppError>,
    to: Option<String>,
) -> Response {
    match result {
        Ok(msg) => {
            set_flash(&pc.session, msg).await;
            Redirect::to(&to.unwrap_or_else(|| format!("/orgs/{id}/meetings?year={year}")))
                .into_response()
        }
        Err(AppError::Invalid(errors)) => match body(app, pc, id, year, &errors).await {
            Ok(b) => {
                let msg: Vec<String> = errors.iter().map(ToString::to_string).collect();
                let b = html! { p.alert role="alert" { (msg.join("; ")) } (b) };
                super::invalid_page(pc, "Lịch sinh hoạt", b).await
            }
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Deserialize)]
pub struct PlanForm {
    year: i16,
}

pub async fn plan(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PlanForm>,
) -> Response {
    let r = meetings::plan_year(&app, &pc.caller, OrgId(id), f.year)
        .await
        .map(|c| format!("Đã lập {} buổi sinh hoạt thường kỳ.", c.len()));
    after(&app, &pc, OrgId(id), f.year, r, None).await
}

pub async fn set_schedule(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ScheduleInput>,
) -> Response {
    let r = meetings::set_schedule(&app, &pc.caller, OrgId(id), &f)
        .await
        .map(|_| "Đã đăng ký lịch sinh hoạt.".to_string());
    after(&app, &pc, OrgId(id), app.clock.today().year(), r, None).await
}

/// The new-meeting form; `presenters` may repeat.
pub async fn create(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let get = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map(|(_, v)| v.clone())
            .unwrap_or_default()
    };
    let input = NewMeetingInput {
        kind: get("kind"),
        date: get("date"),
        time: get("time"),
        place: get("place"),
        topic: get("topic"),
        ho_chi_minh: get("ho_chi_minh") == "true",
        presenters: pairs
            .iter()
            .filter(|(n, _)| n == "presenters")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
    };
    let year = crate::domain::time::parse_date(&input.date)
        .map(|d| d.year())
        .unwrap_or_else(|| app.clock.today().year());
    let r = meetings::create(&app, &pc.caller, OrgId(id), &input).await;
    let to = r.as_ref().ok().map(|m| format!("/meetings/{m}"));
    after(
        &app,
        &pc,
        OrgId(id),
        year,
        r.map(|_| "Đã thêm buổi sinh hoạt.".to_string()),
        to,
    )
    .await
}

#[derive(Deserialize, Default)]
pub struct RangeQuery {
    from: Option<String>,
    to: Option<String>,
}

/// The subtree's calendars as XLSX, for the signed-in user.
pub async fn xlsx(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<RangeQuery>,
) -> Result<Response, PageError> {
    let year = app.clock.today().year();
    let parse = |v: Option<&str>, d| v.and_then(crate::domain::time::parse_date).unwrap_or(d);
    let from = parse(q.from.as_deref(), jiff::civil::date(year, 1, 1));
    let to = parse(q.to.as_deref(), jiff::civil::date(year, 12, 31));
    let bytes = meetings::feed::calendar_xlsx(&app, &pc.caller, OrgId(id), from, to).await?;
    Ok(crate::web::api::meetings::xlsx_response(
        bytes,
        &format!("lich-sinh-hoat-{id}.xlsx"),
    ))
}

/// The node's meetings as iCalendar, for the signed-in user.
pub async fn ics(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let body = meetings::feed::org_feed(&app, &pc.caller, OrgId(id)).await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

/// The signed-in member's meetings as iCalendar.
pub async fn my_ics(State(app): State<AppState>, pc: PageCaller) -> Result<Response, PageError> {
    let body = meetings::feed::member_feed(&app, &pc.caller).await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        body,
    )
        .into_response())
}

/// A new private calendar address for the signed-in member, shown once.
pub async fn new_feed(
    State(app): State<AppState>,
    pc: PageCaller,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Result<Redirect, PageError> {
    let token = meetings::feed::new_private_feed(&app, &pc.caller).await?;
    let url = format!(
        "{}/feeds/{token}.ics",
        app.web.public_url.trim_end_matches('/')
    );
    set_flash(
        &pc.session,
        format!(
            "Địa chỉ lịch riêng của đồng chí (chỉ hiện một lần; thêm vào ứng dụng lịch của điện thoại bằng \"Thêm lịch theo địa chỉ\"): {url} — địa chỉ cũ, nếu có, đã hết hiệu lực."
        ),
    )
    .await;
    Ok(Redirect::to("/"))
}

/// A member's calendar by its private address: no sign-in, the secret is the key.
pub async fn private_feed(
    State(app): State<AppState>,
    Path(file): Path<String>,
) -> Result<Response, PageError> {
    let token = file.strip_suffix(".ics").unwrap_or(&file);
    let body = meetings::feed::private_feed(&app, token).await?;
    Ok((
        [(
            axum::http::header::CONTENT_TYPE,
            "text/calendar; charset=utf-8",
        )],
        body,
    )
        .into_response())
}
