//! Node pages: statistics, children, history, and reorganization forms.

use super::layout::{Input, csrf_field, field};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::org::{CellType, OrgKind};
use crate::domain::time::format_date;
use crate::service::{self, AppError, org::OrgChange};
use crate::store::org::OrgRow;
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller, parse_on};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct SearchQuery {
    q: Option<String>,
    on: Option<String>,
}

pub async fn search(
    State(app): State<AppState>,
    pc: PageCaller,
    Query(q): Query<SearchQuery>,
) -> Result<Markup, PageError> {
    let on = parse_on(q.on.as_deref(), &app)?;
    let text = q.q.unwrap_or_default();
    let rows = if text.trim().is_empty() {
        Vec::new()
    } else {
        service::org::search(&app, &pc.caller, &text, on).await?
    };
    let body = html! {
        h1 { "Tìm tổ chức" }
        form.inline method="get" action="/orgs" role="search" {
            div { label for="q" { "Tên tổ chức" } input #q name="q" value=(text) placeholder="ví dụ: ban hon"; }
            div { label for="on" { "Theo ngày" } input #on name="on" value=(format_date(on)); }
            button type="submit" { "Tìm" }
        }
        @if !text.trim().is_empty() {
            p.muted { (rows.len()) " kết quả" }
            ul { @for r in &rows { li { a href=(format!("/orgs/{}?on={on}", r.id)) { (r.name) } " " span.muted { (r.kind().label()) } } } }
        }
    };
    Ok(render(&pc, "Tìm tổ chức", body).await)
}

#[derive(Deserialize, Default)]
pub struct OnQuery {
    on: Option<String>,
}

pub async fn show(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<OnQuery>,
) -> Result<Markup, PageError> {
    let on = parse_on(q.on.as_deref(), &app)?;
    let body = show_body(&app, &pc, OrgId(id), on, &[]).await?;
    Ok(render(&pc, "Tổ chức", body).await)
}

async fn show_body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    on: jiff::civil::Date,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let v = service::org::view(app, &pc.caller, id, on).await?;
    let stats = service::org::stats(app, &pc.caller, id, on).await?;
    let history = service::org::history(app, &pc.caller, id).await?;
    let org = &v.org;
    let can_list = v.can.list_members;
    let can_create = v.can.create_child;
    let can_write = v.can.write;
    let can_audit = v.can.read_audit;
    let can_accounts = v.can.list_accounts;
    let year = app.clock.today().year();
    let meetings = service::meeting::meeting_stats(app, &pc.caller, id, year).await?;
    let targets = if can_write {
        service::org::move_choices(app, &pc.caller, org).await?
    } else {
        Vec::new()
    };
    let day_policy = super::meeting_day::section(app, pc, org, errors).await?;
    let follower_attendance = super::followers::subtree_section(app, pc, org).await?;
    let posts = if service::post::holds_posts(org) {
        super::posts::section(app, pc, org, &Default::default(), &[]).await?
    } else {
        html! {}
    };
    Ok(html! {
        nav.crumbs aria-label="Đường dẫn" {
            @for (i, a) in v.breadcrumb.iter().enumerate() {
                @if i > 0 { " › " }
                a href=(format!("/orgs/{}?on={}", a.id, v.as_of)) { (a.name) }
            }
        }
        h1 { (org.name) }
        p {
            span.badge { (org.kind().label()) }
            @if let Some(t) = org.cell_type() { " " span.badge { (t.label()) } }
        }
        @if let Some(d) = org.dissolved_on() {
            p.alert {
                @if org.successor_id.is_some() { "Đã sáp nhập từ ngày " } @else { "Đã giải thể từ ngày " }
                (format_date(d))
                @if let Some(s) = &v.successor { " vào " a href=(format!("/orgs/{}", s.id)) { (s.name) } }
                ". Số liệu dưới đây là của ngày " (format_date(v.as_of)) "."
            }
        } @else if !v.existed {
            p.alert { "Tổ chức chưa thành lập vào ngày " (format_date(on)) "." }
        }
        form.inline method="get" action=(format!("/orgs/{id}")) {
            div { label for="on" { "Xem theo ngày" } input #on name="on" value=(format_date(on)) placeholder="dd/mm/yyyy"; }
            button type="submit" { "Xem" }
        }
        h2 { "Số liệu ngày " (format_date(v.as_of)) }
        div.stats {
            div.stat { b { (stats.members) } "đảng viên" }
            div.stat { b { (stats.base_orgs) } "tổ chức cơ sở đảng" }
            div.stat { b { (stats.cells) } "chi bộ" }
            div.stat { b { (stats.subordinate_cells) } "chi bộ trực thuộc" }
            @if let Some(n) = stats.religious_members { div.stat { b { (n) } "đảng viên có đạo" } }
            @if let Some(n) = stats.probationary_members { div.stat { b { (n) } "đảng viên dự bị" } }
            @if let Some(n) = stats.exempt_members { div.stat { b { (n) } "miễn sinh hoạt" } }
        }
        @if !stats.by_cell_type.is_empty() {
            details {
                summary { "Chi bộ theo loại hình" }
                table { @for (t, n) in &stats.by_cell_type {
                    tr { td { (CellType::from_code(t).map(CellType::label).unwrap_or(t)) } td { (n) } }
                } }
            }
        }
        h2 { "Sinh hoạt năm " (year) }
        div.stats {
            div.stat { b { (meetings.held) "/" (meetings.planned) } "cuộc đã họp / kế hoạch" }
            div.stat { b { (meetings.thematic_held) } "cuộc chuyên đề" }
            div.stat { b { (format!("{:.1}%", meetings.attendance_rate * 100.0)) } "tỷ lệ dự họp" }
            div.stat { b { (format!("{:.1}%", meetings.speaker_share * 100.0)) } "đảng viên phát biểu" }
            div.stat { b { (meetings.overdue_tasks) } "nhiệm vụ quá hạn" }
        }
        (super::participation::year(&meetings))
        p { a href=(format!("/orgs/{id}/meetings?year={year}")) { "Lịch sinh hoạt, thực hiện quy định (đạt / chưa đạt) từng chi bộ →" } }
        (day_policy)
        (posts)
        (follower_attendance)
        p {
            @if can_list { a.button href=(format!("/orgs/{id}/members")) { "Danh sách đảng viên" } " " }
            @if can_list { a.button.secondary href=(format!("/orgs/{id}/members.xlsx")) { "Xuất Excel" } " " }
            @if can_list && org.dissolved_on().is_none() { a.button.secondary href=(format!("/orgs/{id}/import")) { "Nhập từ tệp" } " " }
            a.button.secondary href=(format!("/orgs/{id}/dashboard")) { "Bảng điều khiển" } " "
            a.button.secondary href=(format!("/orgs/{id}/meetings")) { "Lịch sinh hoạt" } " "
            a.button.secondary href=(format!("/orgs/{id}/recommendations")) { "Kiến nghị" } " "
            @if can_audit { a.button.secondary href=(format!("/orgs/{id}/audit")) { "Nhật ký thay đổi" } " " }
            @if can_accounts { a.button.secondary href=(format!("/orgs/{id}/accounts")) { "Tài khoản" } " " }
            @if org.parent_id.is_some() { a.button.secondary href=(format!("/orgs/{id}/followers")) { "Theo dõi, phụ trách" } " " }
            @if v.can.inspect { a.button.secondary href=(format!("/orgs/{id}/inspections")) { "Kiểm tra sinh hoạt chi bộ" } " " }
            @if v.can.plan_supervision { a.button.secondary href=(format!("/orgs/{id}/rounds")) { "Dự sinh hoạt chi bộ" } " " }
            @if org.kind().is_cell() { a.button.secondary href=(format!("/orgs/{id}/findings")) { "Kết quả kiểm tra" } }
            @if org.kind().is_base_org() { " " a.button.secondary href=(format!("/orgs/{id}/urgent")) { "Việc cấp bách" } }
            @if !org.kind().is_cell() { " " a.button.secondary href=(format!("/orgs/{id}/urgent-overview")) { "Tổng hợp việc cấp bách" } }
            " " a.button.secondary href=(format!("/orgs/{id}/classification")) { "Đánh giá, xếp loại" }
            " " a.button.secondary href=(format!("/orgs/{id}/rubrics")) { "Bộ tiêu chí" }
            @if org.kind().is_base_org() { " " a.button.secondary href=(format!("/orgs/{id}/score-trend")) { "Điểm hằng tháng" } }
            @if !org.kind().is_cell() { " " a.button.secondary href=(format!("/orgs/{id}/scores")) { "Chấm điểm, xếp hạng" } }
            " " a.button.secondary href=(format!("/orgs/{id}/indicators")) { "Chỉ tiêu" }
            @if v.can.read_signals { " " a.button.secondary href=(format!("/orgs/{id}/signals")) { "Dấu hiệu hình thức" } }
        }
        @if !v.children.is_empty() {
            h2 { "Tổ chức trực thuộc (" (v.children.len()) ")" }
            div.table-wrap { table {
                thead { tr { th { "Tên" } th { "Loại" } th.opt { "Trực thuộc" } } }
                tbody { @for (c, n) in &v.children { tr {
                    td { a href=(format!("/orgs/{}?on={}", c.id, v.as_of)) { (c.name) } }
                    td { (c.kind().label()) @if let Some(t) = c.cell_type() { br; span.muted { (t.label()) } } }
                    td.opt { @if *n > 0 { (n) } }
                } } }
            } }
        }
        h2 { "Lịch sử" }
        div.table-wrap { table {
            thead { tr { th { "Từ ngày" } th { "Đến ngày" } th { "Tên" } th { "Trực thuộc" } } }
            tbody { @for ver in &history.versions { tr {
                td { (format_date(ver.valid_from.to_jiff())) }
                td { @if let Some(t) = ver.valid_to { (format_date(t.to_jiff())) } @else { "nay" } }
                td { (ver.name) }
                td { @if let (Some(p), Some(n)) = (ver.parent_id, &ver.parent_name) { a href=(format!("/orgs/{p}?on={}", ver.valid_from.to_jiff())) { (n) } } }
            } } }
        } }
        @if !history.events.is_empty() {
            ul { @for e in &history.events { li {
                (format_date(e.happened_on.to_jiff())) ": " (service::org::event_label(&e.kind))
                @if let (Some(o), Some(n)) = (e.other_org_id, &e.other_name) { " " a href=(format!("/orgs/{o}")) { (n) } }
                @if !e.decision.is_empty() { " (" (e.decision) ")" }
            } } }
        }
        @if can_create { (create_form(&pc.csrf, id, org.kind(), errors)) }
        @if can_write { (change_form(&pc.csrf, org, &targets, errors)) }
    })
}

fn create_form(csrf: &str, id: OrgId, parent: OrgKind, errors: &[ValidationError]) -> Markup {
    let kinds: Vec<(&str, &str)> = OrgKind::ALL
        .iter()
        .filter(|k| k.may_be_under(parent))
        .map(|k| (k.code(), k.label()))
        .collect();
    let mut types: Vec<(&str, &str)> = vec![("", "— (không phải chi bộ)")];
    types.extend(CellType::ALL.iter().map(|t| (t.code(), t.label())));
    html! {
        details open[!errors.is_empty()] {
            summary { "Thành lập tổ chức trực thuộc" }
            form.card method="post" action=(format!("/orgs/{id}/children")) {
                (csrf_field(csrf))
                (field("name", "Tên", "", Input::Text, errors))
                (field("kind", "Loại tổ chức", "", Input::Select(&kinds), errors))
                (field("cell_type", "Loại hình chi bộ", "", Input::Select(&types), errors))
                (field("effective_on", "Ngày thành lập", "", Input::Date, errors))
                (field("decision", "Theo quyết định", "", Input::Text, errors))
                button type="submit" { "Thành lập" }
            }
        }
    }
}

/// What a node may be merged into or moved under, offered by name: its
/// siblings and its parent's siblings, as far as the caller sees them.
fn change_form(
    csrf: &str,
    org: &OrgRow,
    targets: &[service::org::Choice],
    errors: &[ValidationError],
) -> Markup {
    let id = org.id;
    let actions = [
        ("rename", "Đổi tên"),
        ("move", "Chuyển trực thuộc"),
        ("merge", "Sáp nhập vào tổ chức khác"),
        ("dissolve", "Giải thể"),
    ];
    html! {
        details {
            summary { "Thay đổi tổ chức (đổi tên, chuyển, sáp nhập, giải thể)" }
            form.card method="post" action=(format!("/orgs/{id}/change")) {
                (csrf_field(csrf))
                (field("action", "Thao tác", "rename", Input::Select(&actions), errors))
                (field("name", "Tên mới (khi đổi tên)", &org.name, Input::Text, errors))
                (field("target", "Tổ chức đích (khi chuyển hoặc sáp nhập): gõ tên để tìm", "", Input::Suggest("targets"), errors))
                datalist #targets { @for t in targets { option value=(t.label()) {} } }
                (field("effective_on", "Ngày hiệu lực", "", Input::Date, errors))
                (field("decision", "Theo quyết định", "", Input::Text, errors))
                button type="submit" { "Ghi nhận thay đổi" }
            }
        }
    }
}

#[derive(Deserialize, Default)]
pub struct ChangeForm {
    #[serde(default)]
    action: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    cell_type: String,
    /// A name, or a choice "name — parent" (service::org::pick).
    #[serde(default)]
    target: String,
    #[serde(default)]
    effective_on: String,
    #[serde(default)]
    decision: String,
}

impl ChangeForm {
    /// The change asked for; the target, when named, is looked up among the
    /// nodes the caller sees (moving needs a committee, merging a live node).
    async fn to_change(&self, app: &AppState, pc: &PageCaller) -> Result<OrgChange, AppError> {
        let target_id = match self.target.trim() {
            "" => None,
            t => Some(
                service::org::pick(
                    app,
                    &pc.caller,
                    t,
                    app.clock.today(),
                    ("target", "Tổ chức đích"),
                    |r| r.dissolved_on().is_none(),
                )
                .await?
                .0,
            ),
        };
        Ok(OrgChange {
            name: self.name.clone(),
            kind: self.kind.clone(),
            cell_type: self.cell_type.clone(),
            target_id,
            effective_on: self.effective_on.clone(),
            decision: self.decision.clone(),
        })
    }
}

/// Field errors re-render the page with the form open; other errors are pages.
pub(super) async fn after_write(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    result: Result<String, AppError>,
) -> Response {
    match result {
        Ok(msg) => {
            set_flash(&pc.session, msg).await;
            Redirect::to(&format!("/orgs/{id}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match show_body(app, pc, id, app.clock.today(), &errors).await {
                Ok(body) => {
                    let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
                    let body = html! { p.alert role="alert" { (all.join("; ")) } (body) };
                    super::invalid_page(pc, "Tổ chức", body).await
                }
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn create_child(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ChangeForm>,
) -> Response {
    let id = OrgId(id);
    let result = async {
        let change = f.to_change(&app, &pc).await?;
        service::org::create(&app, &pc.caller, id, &change).await?;
        Ok(format!("Đã thành lập {}.", change.name.trim()))
    }
    .await;
    after_write(&app, &pc, id, result).await
}

pub async fn change(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<ChangeForm>,
) -> Response {
    let id = OrgId(id);
    let result = async {
        let change = f.to_change(&app, &pc).await?;
        match f.action.as_str() {
            "rename" => service::org::rename(&app, &pc.caller, id, &change)
                .await
                .map(|_| "Đã đổi tên.".to_string()),
            "move" => service::org::move_to(&app, &pc.caller, id, &change)
                .await
                .map(|_| "Đã chuyển trực thuộc.".to_string()),
            "merge" => service::org::merge(&app, &pc.caller, id, &change)
                .await
                .map(|_| "Đã sáp nhập.".to_string()),
            "dissolve" => service::org::dissolve(&app, &pc.caller, id, &change)
                .await
                .map(|_| "Đã giải thể.".to_string()),
            _ => Err(AppError::invalid(ValidationError::new(
                "action",
                "Thao tác",
                "không hợp lệ",
            ))),
        }
    }
    .await;
    after_write(&app, &pc, id, result).await
}
