//! The part of a cell's (or committee's) page listing who holds which post,
//! with the form the committee above records them by (docs/rules.md "Posts
//! in a cell").

use super::layout::{Input, csrf_field, field};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::post::PostKind;
use crate::domain::time::format_date;
use crate::service::{self, AppError, post::PostInput};
use crate::store::org::OrgRow;
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

/// "Chi ủy, bí thư" (a cell) or "Ban chấp hành, thường vụ" (a committee).
fn title(org: &OrgRow) -> &'static str {
    if org.kind().is_cell() {
        "Chi ủy, bí thư"
    } else {
        "Cấp ủy, thường vụ"
    }
}

pub async fn section(
    app: &AppState,
    pc: &PageCaller,
    org: &OrgRow,
    input: &PostInput,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let id = org.id;
    let p = service::post::list(app, &pc.caller, id).await?;
    let kinds: Vec<(&str, &str)> = p.kinds.iter().map(|k| (k.code(), k.label())).collect();
    let today = app.clock.today();
    let (held, past): (Vec<_>, Vec<_>) = p.rows.iter().partition(|r| r.held_on(today));
    let label = |code: &str| PostKind::from_code(code).map(PostKind::label).unwrap_or("");
    Ok(html! {
        section #posts {
            h2 { (title(org)) }
            @if held.is_empty() { p.muted { "Chưa ghi nhận ai giữ chức vụ." } }
            ul.posts {
                @for r in &held {
                    li {
                        strong { (label(&r.kind)) } ": " (r.full_name)
                        span.muted { " từ " (format_date(r.valid_from.to_jiff()))
                            @if let Some(t) = r.valid_to { " đến " (format_date(t.to_jiff())) }
                            @if !r.decision.is_empty() { " (" (r.decision) ")" } }
                        @if p.can_assign && r.valid_to.is_none() {
                            form.inline method="post" action=(format!("/orgs/{id}/posts/{}/end", r.id)) {
                                (csrf_field(&pc.csrf))
                                input name="to" value=(format_date(today)) aria-label=(format!("Ngày thôi giữ chức vụ của {}", r.full_name)) size="10";
                                button.secondary type="submit" { "Thôi giữ chức vụ" }
                            }
                        }
                    }
                }
            }
            @if !past.is_empty() {
                details {
                    summary { "Đã thôi giữ chức vụ (" (past.len()) ")" }
                    ul { @for r in &past { li {
                        (label(&r.kind)) ": " (r.full_name) " "
                        span.muted { (format_date(r.valid_from.to_jiff())) " – " (r.valid_to.map(|t| format_date(t.to_jiff())).unwrap_or_default()) }
                    } } }
                }
            }
            @if p.can_assign && org.dissolved_on().is_none() {
                details open[!errors.is_empty()] {
                    summary { "Ghi nhận chức vụ" }
                    form.card method="post" action=(format!("/orgs/{id}/posts")) {
                        (csrf_field(&pc.csrf))
                        (field("member", "Đảng viên (chọn theo họ tên)", &input.member, Input::Suggest("post-members"), errors))
                        datalist #post-members { @for (_, n) in &p.choices { option value=(n) {} } }
                        (field("kind", "Chức vụ", &input.kind, Input::Select(&kinds), errors))
                        (field("from", "Từ ngày", &input.from, Input::Date, errors))
                        (field("to", "Đến ngày (để trống nếu đang giữ)", &input.to, Input::Date, errors))
                        (field("decision", "Theo quyết định (số, ngày)", &input.decision, Input::Text, errors))
                        p.muted { "Cấp ủy cấp trên chuẩn y, chỉ định; mỗi lúc chi bộ chỉ có một Bí thư (Điều lệ Đảng)." }
                        button type="submit" { "Ghi nhận" }
                    }
                }
            }
        }
    })
}

pub async fn set(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<PostInput>,
) -> Response {
    let input = PostInput {
        member_id: None,
        ..form
    };
    let r = service::post::set(&app, &pc.caller, OrgId(id), &input).await;
    match r {
        Ok(_) => {
            set_flash(&pc.session, "Đã ghi nhận chức vụ.").await;
            Redirect::to(&format!("/orgs/{id}#posts")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match again(&app, &pc, OrgId(id), &input, &errors).await {
                Ok(page) => (StatusCode::UNPROCESSABLE_ENTITY, page).into_response(),
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// The section alone with the form's errors.
async fn again(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    input: &PostInput,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let org = service::org::get(app, &pc.caller, id, app.clock.today()).await?;
    let all: Vec<String> = errors.iter().map(ToString::to_string).collect();
    let part = section(app, pc, &org, input, errors).await?;
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        p.alert role="alert" { (all.join("; ")) }
        (part)
    };
    Ok(render(pc, title(&org), body).await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EndForm {
    to: String,
}

pub async fn end(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, post)): Path<(i64, i64)>,
    CsrfForm(f): CsrfForm<EndForm>,
) -> Response {
    match service::post::end(&app, &pc.caller, OrgId(id), post, &f.to).await {
        Ok(()) => {
            set_flash(&pc.session, "Đã ghi nhận thôi giữ chức vụ.").await;
            Redirect::to(&format!("/orgs/{id}#posts")).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}
