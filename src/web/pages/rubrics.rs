//! Rubric pages: the versions a node works under, a draft's content, its
//! circulation for comments and its adoption (docs/rules.md "Kim Sơn
//! monthly scoring", "Local rubric example").

use super::layout::{Input, csrf_field, field, other_errors};
use super::quality::{pts, rubric_card, rule_text};
use super::rubric_form;
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::rubric::form::{Edit, FormRubric};
use crate::domain::rubric::{Purpose, RubricStatus};
use crate::domain::time::format_date;
use crate::service::quality::rubric::{
    AdoptInput, AmendInput, CommentInput, DraftInput, SendInput,
};
use crate::service::{self, AppError};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

const TITLE: &str = "Bộ tiêu chí đánh giá, chấm điểm";

async fn list_body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let v = service::quality::rubric::list(app, &pc.caller, id).await?;
    let purposes: Vec<(&str, &str)> = Purpose::ALL.iter().map(|p| (p.code(), p.label())).collect();
    let mut from: Vec<(String, String)> = vec![(String::new(), "Mẫu ví dụ của chibo".into())];
    from.extend(v.rubrics.iter().map(|r| {
        (
            r.id.to_string(),
            format!("{} (phiên bản {})", r.name, r.version),
        )
    }));
    let from_opts: Vec<(&str, &str)> = from.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.org.name) } }
        h1 { (TITLE) }
        p.muted { "Mỗi cấp ủy ban hành bộ tiêu chí cho các tổ chức trực thuộc; bộ tiêu chí của cấp gần nhất đang có hiệu lực được áp dụng. Bộ tiêu chí đã ban hành không sửa được: thay đổi là một phiên bản mới." }
        @if v.rubrics.is_empty() { p { "Chưa có bộ tiêu chí nào." } }
        @else { div.table-wrap { table {
            thead { tr { th { "Bộ tiêu chí" } th { "Tình trạng" } th.opt { "Cấp ban hành" } th.opt { "Văn bản" } } }
            tbody { @for r in &v.rubrics { tr {
                td { a href=(format!("/orgs/{id}/rubrics/{}", r.id)) { (r.name) " (phiên bản " (r.version) ")" }
                    br; span.muted { (Purpose::from_code(&r.purpose).map_or("", Purpose::label)) } }
                td { (RubricStatus::from_code(&r.status).map_or("", RubricStatus::label))
                    @if let Some(f) = r.valid_from { br; span.muted { "từ " (format_date(f.to_jiff())) @if let Some(t) = r.valid_to { " đến trước " (format_date(t.to_jiff())) } } } }
                td.opt { (r.org_name) }
                td.opt { (r.document) }
            } } }
        } } }
        @if v.can_issue {
            h2 { "Dự thảo bộ tiêu chí mới" }
            form.card method="post" action=(format!("/orgs/{id}/rubrics")) {
                (csrf_field(&pc.csrf))
                (field("purpose", "Loại", "meeting", Input::Select(&purposes), errors))
                (field("name", "Tên bộ tiêu chí", "", Input::Text, errors))
                (field("from_rubric", "Nội dung ban đầu", "", Input::Select(&from_opts), errors))
                (field("note", "Ghi chú (nguồn, phạm vi)", "", Input::Text, errors))
                (other_errors(errors, &["purpose", "name", "from_rubric", "note"]))
                button type="submit" { "Tạo dự thảo" }
            }
        }
    })
}

pub async fn list(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let b = list_body(&app, &pc, OrgId(id), &[]).await?;
    Ok(render(&pc, TITLE, b).await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DraftForm {
    purpose: String,
    name: String,
    note: String,
    from_rubric: String,
}

pub async fn draft(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<DraftForm>,
) -> Response {
    let input = DraftInput {
        purpose: f.purpose,
        name: f.name,
        note: f.note,
        definition: String::new(),
        from_rubric: f.from_rubric.trim().parse().ok(),
    };
    match service::quality::rubric::draft(&app, &pc.caller, OrgId(id), &input).await {
        Ok(new) => {
            set_flash(&pc.session, "Đã tạo dự thảo.").await;
            Redirect::to(&format!("/orgs/{id}/rubrics/{new}")).into_response()
        }
        Err(AppError::Invalid(errors)) => match list_body(&app, &pc, OrgId(id), &errors).await {
            Ok(b) => super::invalid_page(&pc, TITLE, b).await,
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

async fn show_body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    rid: i64,
    errors: &[ValidationError],
    editing: Option<(&FormRubric, &str)>,
) -> Result<Markup, AppError> {
    let v = service::quality::rubric::view(app, &pc.caller, id, rid).await?;
    let r = &v.rubric;
    let stored = FormRubric::of(&r.definition);
    let base = format!("/orgs/{id}/rubrics/{rid}");
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.org.name) } " › " a href=(format!("/orgs/{id}/rubrics")) { (TITLE) } }
        h1 { (r.title()) }
        p.muted { (r.purpose.label()) }
        (rubric_card(r, None))
        @if editing.is_none() { (other_errors(errors, &[])) }
        @for g in &r.definition.groups {
            h2 { (g.title) " — " (pts(g.max)) " điểm" }
            ul { @for c in &g.criteria {
                li { (c.title) " — " strong { (pts(c.max)) } " điểm"
                    br; span.muted { (c.kind_label()) ": " (rule_text(c)) } }
            } }
        }
        @if !v.recipients.is_empty() {
            h2 { "Đã gửi lấy ý kiến (" (v.recipients.len()) ")" }
            p { @for (i, x) in v.recipients.iter().enumerate() { @if i > 0 { ", " } (x.name) } }
        }
        h2 { "Ý kiến góp ý (" (v.comments.len()) ")" }
        @for c in &v.comments {
            div.card { strong { (c.org_name) } " — " span.muted { (c.username) ", " (format_date(c.created_on.to_jiff())) } p { (c.body) } }
        }
        @if v.can_comment {
            form.card method="post" action=(format!("{base}/comments")) {
                (csrf_field(&pc.csrf))
                label for="f-body" { "Ý kiến của " (v.org.name) }
                textarea id="f-body" name="body" rows="3" {}
                button type="submit" { "Gửi góp ý" }
            }
        }
        @if v.can_edit {
            @if !v.children.is_empty() {
                details { summary { "Gửi lấy ý kiến các tổ chức trực thuộc" }
                    form method="post" action=(format!("{base}/send")) {
                        (csrf_field(&pc.csrf))
                        @for (o, name) in &v.children {
                            label.plain { input type="checkbox" name="org" value=(o.0) checked[v.recipients.iter().any(|x| x.org_id == *o)]; " " (name) }
                        }
                        button type="submit" { "Gửi" }
                    }
                }
            }
            details open[editing.is_some()] { summary { "Sửa nội dung dự thảo" }
                (rubric_form::editor(&pc.csrf, &base, editing.map_or(r.row.name.as_str(), |e| e.1),
                    editing.map_or(&stored, |e| e.0), r.purpose,
                    if editing.is_some() { errors } else { &[] }))
            }
            details open[errors.iter().any(|e| ["document", "document_date", "valid_from"].contains(&e.field))] {
                summary { "Ban hành" }
                form method="post" action=(format!("{base}/adopt")) {
                    (csrf_field(&pc.csrf))
                    (field("document", "Văn bản ban hành (số, ký hiệu)", "", Input::Text, errors))
                    (field("document_date", "Ngày ban hành", "", Input::Date, errors))
                    (field("valid_from", "Áp dụng từ ngày", "", Input::Date, errors))
                    p.muted { "Sau khi ban hành, bộ tiêu chí không sửa được nữa; phiên bản đang áp dụng (nếu có) hết hiệu lực từ ngày này." }
                    button type="submit" { "Ban hành" }
                }
            }
        }
    })
}

pub async fn show(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, rid)): Path<(i64, i64)>,
) -> Result<Markup, PageError> {
    let b = show_body(&app, &pc, OrgId(id), rid, &[], None).await?;
    Ok(render(&pc, TITLE, b).await)
}

async fn after(
    app: &AppState,
    pc: &PageCaller,
    (id, rid): (i64, i64),
    done: Result<(), AppError>,
    flash: &str,
) -> Response {
    match done {
        Ok(()) => {
            set_flash(&pc.session, flash).await;
            Redirect::to(&format!("/orgs/{id}/rubrics/{rid}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match show_body(app, pc, OrgId(id), rid, &errors, None).await {
                Ok(b) => super::invalid_page(pc, TITLE, b).await,
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// The editor's submit: an add or remove button re-renders the form as
/// typed; "save" turns it into a definition and amends the draft through
/// the same service as the JSON API.
pub async fn amend(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, rid)): Path<(i64, i64)>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let value = |k: &str| {
        pairs
            .iter()
            .find(|(n, _)| n == k)
            .map_or("", |(_, v)| v.as_str())
    };
    let mut form = FormRubric::from_pairs(&pairs);
    let name = value("name").to_string();
    let edit = Edit::parse(value("op"));
    let errors = if edit == Edit::Save {
        let done = match form.to_definition() {
            Ok(d) => match serde_json::to_string(&d) {
                Ok(definition) => {
                    let input = AmendInput {
                        name: name.clone(),
                        definition,
                    };
                    service::quality::rubric::amend(&app, &pc.caller, OrgId(id), rid, &input).await
                }
                Err(e) => Err(AppError::Internal(e.to_string())),
            },
            Err(errors) => Err(AppError::Invalid(errors)),
        };
        match done {
            Ok(()) => return after(&app, &pc, (id, rid), Ok(()), "Đã lưu dự thảo.").await,
            Err(AppError::Invalid(errors)) => errors,
            Err(e) => return PageError(e).into_response(),
        }
    } else {
        form.apply(edit);
        Vec::new()
    };
    match show_body(&app, &pc, OrgId(id), rid, &errors, Some((&form, &name))).await {
        Ok(b) if errors.is_empty() => render(&pc, TITLE, b).await.into_response(),
        Ok(b) => super::invalid_page(&pc, TITLE, b).await,
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn send(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, rid)): Path<(i64, i64)>,
    CsrfForm(form): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let input = SendInput {
        org_ids: form
            .iter()
            .filter(|(k, _)| k == "org")
            .filter_map(|(_, v)| v.parse().ok())
            .collect(),
    };
    let done = service::quality::rubric::send(&app, &pc.caller, OrgId(id), rid, &input).await;
    after(&app, &pc, (id, rid), done, "Đã gửi lấy ý kiến.").await
}

pub async fn comment(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, rid)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<CommentInput>,
) -> Response {
    let done = service::quality::rubric::comment(&app, &pc.caller, OrgId(id), rid, &input)
        .await
        .map(drop);
    after(&app, &pc, (id, rid), done, "Đã gửi góp ý.").await
}

pub async fn adopt(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, rid)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<AdoptInput>,
) -> Response {
    let done = service::quality::rubric::adopt(&app, &pc.caller, OrgId(id), rid, &input).await;
    after(&app, &pc, (id, rid), done, "Đã ban hành bộ tiêu chí.").await
}
