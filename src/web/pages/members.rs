//! Member list, profile, forms, import and export.

use super::layout::{Input, csrf_field, field, other_errors, pager, qs};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::member::{FIELDS, MemberDraft, MemberPatch, MemberStatus};
use crate::domain::time::format_date;
use crate::service::{self, AppError, member::TransferInput};
use crate::store::org::OrgRow;
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller, clamp_page};
use axum::extract::{Path, Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    q: Option<String>,
    page: Option<i64>,
    status: Option<String>,
}

pub async fn list(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> Result<Markup, PageError> {
    let id = OrgId(id);
    let q = lq.q.unwrap_or_default();
    let status_code = lq.status.unwrap_or_default();
    let filter = service::member::status_filter(Some(&status_code))?;
    let v =
        service::member::list_view(&app, &pc.caller, id, &q, filter, clamp_page(lq.page)).await?;
    let (org, page) = (&v.org, &v.page);
    let mut statuses: Vec<(&str, &str)> = vec![("active", "Đang sinh hoạt"), ("all", "Tất cả")];
    statuses.extend(MemberStatus::ALL.iter().map(|s| (s.code(), s.label())));
    let base = format!(
        "/orgs/{id}/members?q={}&status={}",
        qs(&q),
        qs(&status_code)
    );
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        h1 { "Danh sách đảng viên" }
        form.inline method="get" action=(format!("/orgs/{id}/members")) role="search" {
            div { label for="q" { "Tìm theo họ tên, số thẻ hoặc số CCCD" } input #q name="q" value=(q) placeholder="gõ có dấu hay không dấu đều được"; }
            div { label for="status" { "Trạng thái" }
                select #status name="status" { @for (c, l) in &statuses { option value=(c) selected[*c == status_code] { (l) } } } }
            button type="submit" { "Tìm" }
        }
        p.muted {
            (page.total) " đảng viên"
            " · " a href=(format!("/orgs/{id}/members.xlsx?q={}&status={}", qs(&q), qs(&status_code))) { "Xuất Excel" }
            @if org.kind().is_cell() && org.dissolved_on().is_none() { " · " a href=(format!("/orgs/{id}/members/new")) { "Thêm đảng viên" } }
        }
        div.table-wrap { table {
            thead { tr { th { "Họ và tên" } th.opt { "Ngày sinh" } th { "Trạng thái" } th.opt { "Chi bộ" } } }
            tbody { @for m in page.items.iter() { tr {
                td { a href=(format!("/members/{}", m.id)) { (m.full_name) } }
                td.opt { @if let Some(b) = m.birth_date { (format_date(b.to_jiff())) } }
                td { (m.status().label()) }
                td.opt { (v.cell_name(m.cell_id)) }
            } } }
        } }
        (pager(&base, page.page, page.pages()))
    };
    Ok(render(&pc, "Danh sách đảng viên", body).await)
}

pub async fn export(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(lq): Query<ListQuery>,
) -> Result<Response, PageError> {
    Ok(export_xlsx(
        &app,
        &pc.caller,
        OrgId(id),
        lq.q.as_deref(),
        lq.status.as_deref(),
    )
    .await?)
}

/// Shared by the page and the API: the list as an XLSX download.
pub async fn export_xlsx(
    app: &AppState,
    caller: &service::Caller,
    id: OrgId,
    q: Option<&str>,
    status: Option<&str>,
) -> Result<Response, AppError> {
    let filter = service::member::status_filter(status)?;
    let (_, bytes) = service::member::export_xlsx(app, caller, id, q.unwrap_or(""), filter).await?;
    let name = format!("attachment; filename=\"dang-vien-{id}.xlsx\"");
    Ok((
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (header::CONTENT_DISPOSITION, name),
        ],
        bytes,
    )
        .into_response())
}

fn member_form(
    csrf: &str,
    action: &str,
    d: &MemberDraft,
    errors: &[ValidationError],
    with_reason: bool,
) -> Markup {
    let genders = [("male", "Nam"), ("female", "Nữ")];
    let statuses: Vec<(&str, &str)> = MemberStatus::ALL
        .iter()
        .map(|s| (s.code(), s.label()))
        .collect();
    let gender_code = crate::domain::member::Gender::parse(&d.gender)
        .map(|g| g.code())
        .unwrap_or("");
    let status_code = MemberStatus::parse(&d.status)
        .map(|s| s.code())
        .unwrap_or("");
    let mut shown: Vec<&str> = FIELDS.iter().map(|(f, _)| *f).collect();
    shown.push("status_reason");
    html! {
        form.card method="post" action=(action) novalidate {
            (csrf_field(csrf))
            @if !errors.is_empty() { p.alert role="alert" { "Có " (errors.len()) " lỗi, hãy sửa các trường được đánh dấu." } }
            (other_errors(errors, &shown))
            (field("full_name", "Họ và tên", &d.full_name, Input::Text, errors))
            (field("birth_date", "Ngày sinh", &d.birth_date, Input::Date, errors))
            (field("gender", "Giới tính", gender_code, Input::Select(&genders), errors))
            (field("ethnicity", "Dân tộc", &d.ethnicity, Input::Text, errors))
            (field("religion", "Tôn giáo", &d.religion, Input::Text, errors))
            (field("hometown", "Quê quán", &d.hometown, Input::Text, errors))
            (field("residence", "Nơi ở hiện nay", &d.residence, Input::Text, errors))
            (field("admitted_on", "Ngày vào Đảng", &d.admitted_on, Input::Date, errors))
            (field("official_on", "Ngày chính thức", &d.official_on, Input::Date, errors))
            (field("card_number", "Số thẻ đảng viên", &d.card_number, Input::Text, errors))
            (field("citizen_id", "Số CCCD", &d.citizen_id, Input::Numeric, errors))
            (field("education", "Trình độ học vấn", &d.education, Input::Text, errors))
            (field("theory_level", "Lý luận chính trị", &d.theory_level, Input::Text, errors))
            (field("occupation", "Nghề nghiệp", &d.occupation, Input::Text, errors))
            (field("phone", "Điện thoại", &d.phone, Input::Tel, errors))
            (field("email", "Email", &d.email, Input::Email, errors))
            (field("status", "Trạng thái", status_code, Input::Select(&statuses), errors))
            @if with_reason { (field("status_reason", "Lý do đổi trạng thái (nếu có)", "", Input::Text, errors)) }
            button type="submit" { "Lưu" }
        }
    }
}

pub async fn new_form(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let org = service::org::get(&app, &pc.caller, OrgId(id), app.clock.today()).await?;
    let draft = MemberDraft {
        status: "probationary".into(),
        gender: "male".into(),
        ..Default::default()
    };
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        h1 { "Thêm đảng viên" }
        (member_form(&pc.csrf, &format!("/orgs/{id}/members/new"), &draft, &[], false))
    };
    Ok(render(&pc, "Thêm đảng viên", body).await)
}

pub async fn create(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(d): CsrfForm<MemberDraft>,
) -> Response {
    match service::member::create(&app, &pc.caller, OrgId(id), &d).await {
        Ok(mid) => {
            set_flash(&pc.session, "Đã thêm đảng viên.").await;
            Redirect::to(&format!("/members/{mid}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            let body = html! { h1 { "Thêm đảng viên" } (member_form(&pc.csrf, &format!("/orgs/{id}/members/new"), &d, &errors, false)) };
            super::invalid_page(&pc, "Thêm đảng viên", body).await
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn profile(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let id = MemberId(id);
    let p = service::member::profile(&app, &pc.caller, id).await?;
    let can_write = p.can_write;
    let audit = service::audit::for_member(&app, &pc.caller, id).await.ok();
    let targets = if can_write {
        transfer_targets(&app, &pc, &p.cell).await?
    } else {
        Vec::new()
    };
    let m = &p.member;
    let f = m.fields();
    let d = f.to_draft();
    let rows: Vec<(&str, String)> = vec![
        ("Ngày sinh", d.birth_date.clone()),
        ("Giới tính", f.gender.label().to_string()),
        ("Dân tộc", d.ethnicity.clone()),
        (
            "Tôn giáo",
            if d.religion.is_empty() {
                "Không".into()
            } else {
                d.religion.clone()
            },
        ),
        ("Quê quán", d.hometown.clone()),
        ("Nơi ở hiện nay", d.residence.clone()),
        ("Ngày vào Đảng", d.admitted_on.clone()),
        ("Ngày chính thức", d.official_on.clone()),
        (
            "Chức vụ",
            if p.posts.is_empty() {
                "Không giữ chức vụ".into()
            } else {
                p.posts.join("; ")
            },
        ),
        ("Số thẻ đảng viên", d.card_number.clone()),
        ("Số CCCD", d.citizen_id.clone()),
        ("Trình độ học vấn", d.education.clone()),
        ("Lý luận chính trị", d.theory_level.clone()),
        ("Nghề nghiệp", d.occupation.clone()),
        ("Điện thoại", d.phone.clone()),
        ("Email", d.email.clone()),
    ];
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{}", p.cell.id)) { (p.cell.name) } }
        h1 { (m.full_name) }
        p { span.badge { (f.status.label()) } " " @if can_write { a href=(format!("/members/{id}/edit")) { "Sửa hồ sơ" } " · " } a href=(format!("/members/{id}/classification")) { "Tự đánh giá, xếp loại hằng năm" } }
        div.table-wrap { table { @for (k, v) in &rows { tr { th scope="row" { (k) } td { (v) } } } } }
        h2 { "Quá trình trạng thái" }
        ul { @for s in &p.statuses { li {
            (format_date(s.valid_from.to_jiff())) " – " @if let Some(t) = s.valid_to { (format_date(t.to_jiff())) } @else { "nay" } ": "
            (MemberStatus::from_code(&s.status).map(MemberStatus::label).unwrap_or(&s.status))
            @if !s.reason.is_empty() { " (" (s.reason) ")" }
        } } }
        h2 { "Quá trình sinh hoạt" }
        ul { @for pl in &p.placements { li {
            (format_date(pl.valid_from.to_jiff())) " – " @if let Some(t) = pl.valid_to { (format_date(t.to_jiff())) } @else { "nay" } ": "
            a href=(format!("/orgs/{}", pl.org_id)) { (pl.org_name) }
            @if pl.kind == "temporary" { " (tạm thời)" }
            @if !pl.note.is_empty() { " — " (pl.note) }
        } } }
        @if can_write && f.status.is_active() {
            details {
                summary { "Chuyển sinh hoạt đảng" }
                form.card method="post" action=(format!("/members/{id}/transfer")) {
                    (csrf_field(&pc.csrf))
                    label for="kind" { "Hình thức" }
                    select #kind name="kind" { option value="permanent" { "Chính thức" } option value="temporary" { "Tạm thời" } }
                    label for="to" { "Đến chi bộ (gõ tên để tìm)" }
                    input #to name="to" list="transfer-targets" autocomplete="off" required;
                    datalist #transfer-targets { @for t in &targets { option value=(t.label()) {} } }
                    label for="on" { "Từ ngày" } input #on name="on" placeholder="dd/mm/yyyy";
                    label for="until" { "Đến ngày (tạm thời)" } input #until name="until" placeholder="dd/mm/yyyy";
                    label for="note" { "Ghi chú" } input #note name="note";
                    button type="submit" { "Chuyển" }
                }
            }
        }
        @if let Some(entries) = audit {
            h2 { "Nhật ký thay đổi" }
            (super::audit::entries(&app, &entries))
        }
    };
    Ok(render(&pc, &m.full_name, body).await)
}

pub async fn edit_form(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let m = service::member::get(&app, &pc.caller, MemberId(id)).await?;
    let body = html! {
        nav.crumbs { a href=(format!("/members/{id}")) { (m.full_name) } }
        h1 { "Sửa hồ sơ đảng viên" }
        (member_form(&pc.csrf, &format!("/members/{id}/edit"), &m.fields().to_draft(), &[], true))
    };
    Ok(render(&pc, "Sửa hồ sơ", body).await)
}

#[derive(Deserialize)]
pub struct EditForm {
    #[serde(flatten)]
    draft: MemberDraft,
    #[serde(default)]
    status_reason: String,
}

pub async fn update(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<EditForm>,
) -> Response {
    let d = &form.draft;
    let patch = MemberPatch {
        full_name: Some(d.full_name.clone()),
        birth_date: Some(d.birth_date.clone()),
        gender: Some(d.gender.clone()),
        ethnicity: Some(d.ethnicity.clone()),
        religion: Some(d.religion.clone()),
        hometown: Some(d.hometown.clone()),
        residence: Some(d.residence.clone()),
        admitted_on: Some(d.admitted_on.clone()),
        official_on: Some(d.official_on.clone()),
        card_number: Some(d.card_number.clone()),
        citizen_id: Some(d.citizen_id.clone()),
        education: Some(d.education.clone()),
        theory_level: Some(d.theory_level.clone()),
        occupation: Some(d.occupation.clone()),
        phone: Some(d.phone.clone()),
        email: Some(d.email.clone()),
        status: Some(d.status.clone()),
        status_reason: Some(form.status_reason.clone()),
    };
    match service::member::update(&app, &pc.caller, MemberId(id), &patch).await {
        Ok(_) => {
            set_flash(&pc.session, "Đã lưu hồ sơ.").await;
            Redirect::to(&format!("/members/{id}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            let body = html! { h1 { "Sửa hồ sơ đảng viên" } (member_form(&pc.csrf, &format!("/members/{id}/edit"), d, &errors, true)) };
            super::invalid_page(&pc, "Sửa hồ sơ", body).await
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn transfer(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<TransferForm>,
) -> Response {
    let to = service::org::pick(
        &app,
        &pc.caller,
        &form.to,
        app.clock.today(),
        ("to_org_id", "Chi bộ đến"),
        |r| r.kind().is_cell() && r.dissolved_on().is_none(),
    )
    .await;
    let to = match to {
        Ok(to) => to,
        Err(e) => return PageError(e).into_response(),
    };
    let input = TransferInput {
        to_org_id: Some(to.0),
        kind: form.kind,
        on: form.on,
        until: form.until,
        note: form.note,
    };
    match service::member::transfer(&app, &pc.caller, MemberId(id), &input).await {
        Ok(()) => {
            set_flash(&pc.session, "Đã chuyển sinh hoạt đảng.").await;
            Redirect::to(&format!("/members/{id}")).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// Cells a member is most often transferred to: the other cells of the same
/// committee, offered by name (any cell the caller may write to can be typed).
async fn transfer_targets(
    app: &AppState,
    pc: &PageCaller,
    cell: &OrgRow,
) -> Result<Vec<service::org::Choice>, AppError> {
    let Some(parent) = cell.parent_id else {
        return Ok(Vec::new());
    };
    let mut rows = service::org::children(app, &pc.caller, parent, app.clock.today())
        .await
        .unwrap_or_default();
    rows.retain(|r| r.id != cell.id && r.kind().is_cell() && r.dissolved_on().is_none());
    service::org::choices(app, &rows).await
}

#[derive(Deserialize)]
pub struct TransferForm {
    /// The receiving cell by name, or a choice "name — parent".
    #[serde(default)]
    to: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    until: String,
    #[serde(default)]
    note: String,
}
