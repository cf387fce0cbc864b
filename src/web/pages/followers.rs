//! Who follows a node for the committee above it: the list, placing a
//! follower by name, ending an assignment (docs/rules.md "Followers").

use super::layout::{Input, csrf_field, field};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::follow::FollowKind;
use crate::domain::ids::OrgId;
use crate::domain::time::format_date;
use crate::service::{self, AppError, follow::FollowInput};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

pub async fn page(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let body = body(&app, &pc, OrgId(id), &FollowInput::default(), &[]).await?;
    Ok(render(&pc, "Theo dõi, phụ trách", body).await)
}

async fn body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    input: &FollowInput,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let org = service::org::get(app, &pc.caller, id, app.clock.today()).await?;
    let f = service::follow::list(app, &pc.caller, id).await?;
    let kinds: Vec<(&str, &str)> = FollowKind::ALL
        .iter()
        .map(|k| (k.code(), k.label()))
        .collect();
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        h1 { "Theo dõi, phụ trách" }
        p.muted { "Cấp ủy viên và cán bộ cấp trên được phân công theo dõi " (org.name) ". Họ nhận thông báo mỗi kỳ sinh hoạt (Hướng dẫn 42-HD/BTCTW ngày 28/10/2025) và xem được các kỳ sinh hoạt." }
        @if f.rows.is_empty() { p { "Chưa phân công ai theo dõi." } }
        ul {
            @for r in &f.rows {
                li {
                    strong { (r.full_name) } " — " (r.cell_name) " "
                    span.badge { (FollowKind::from_code(&r.kind).map(FollowKind::label).unwrap_or(&r.kind)) }
                    " từ " (format_date(r.valid_from.to_jiff()))
                    @if let Some(rec) = f.records.iter().find(|x| x.follow_id == r.id) {
                        br; span.muted { "Dự " strong { (rec.attended) "/" (rec.held) } " buổi sinh hoạt đã họp từ khi được phân công" }
                    }
                    @if f.can_assign {
                        form.inline method="post" action=(format!("/orgs/{id}/followers/{}/end", r.id)) {
                            (csrf_field(&pc.csrf))
                            button.secondary type="submit" { "Kết thúc phân công" }
                        }
                    }
                }
            }
        }
        @if f.can_assign {
            h2 { "Phân công theo dõi" }
            form.card method="post" action=(format!("/orgs/{id}/followers")) {
                (csrf_field(&pc.csrf))
                (field("member", "Họ tên người theo dõi (gõ tên để tìm; trùng tên thì ghi thêm \"— tên chi bộ\")", &input.member, Input::Text, errors))
                (field("kind", "Vai trò", &input.kind, Input::Select(&kinds), errors))
                (field("from", "Từ ngày", &input.from, Input::Date, errors))
                button type="submit" { "Phân công" }
            }
        }
    })
}

pub async fn assign(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<FollowInput>,
) -> Response {
    let input = FollowInput {
        member_id: None,
        ..form
    };
    match service::follow::assign(&app, &pc.caller, OrgId(id), &input).await {
        Ok(_) => {
            set_flash(&pc.session, "Đã phân công theo dõi.").await;
            Redirect::to(&format!("/orgs/{id}/followers")).into_response()
        }
        Err(AppError::Invalid(errors)) => match body(&app, &pc, OrgId(id), &input, &errors).await {
            Ok(b) => super::invalid_page(&pc, "Theo dõi, phụ trách", b).await,
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn end(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, follow)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    match service::follow::end(&app, &pc.caller, OrgId(id), follow).await {
        Ok(()) => {
            set_flash(&pc.session, "Đã kết thúc phân công.").await;
            Redirect::to(&format!("/orgs/{id}/followers")).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// A committee's followers across its subtree with their attendance
/// ("Cán bộ phụ trách dự sinh hoạt"; docs/rules.md "Followers attend their
/// cells' meetings").
pub async fn subtree_section(
    app: &AppState,
    pc: &PageCaller,
    org: &crate::store::org::OrgRow,
) -> Result<Markup, AppError> {
    if org.kind().is_cell() {
        return Ok(html! {});
    }
    let records = service::follow::attendance_in_subtree(app, &pc.caller, org.id).await?;
    Ok(html! {
        @if !records.is_empty() {
            section #follower-attendance {
                h2 { "Cán bộ phụ trách dự sinh hoạt" }
                p.muted { "Số buổi sinh hoạt đã họp của chi bộ từ ngày được phân công, và số buổi người phụ trách có mặt." }
                div.table-wrap { table {
                    thead { tr { th { "Người phụ trách" } th { "Chi bộ" } th { "Dự / đã họp" } th { "Tỷ lệ" } } }
                    tbody { @for r in &records { tr {
                        td { (r.full_name) }
                        td { a href=(format!("/orgs/{}/followers", r.org_id)) { (r.org_name) } }
                        td { (r.attended) "/" (r.held) }
                        td { @if r.held > 0 { (format!("{:.0}%", r.rate() * 100.0)) } @else { span.muted { "—" } } }
                    } } }
                } }
            }
        }
    })
}
