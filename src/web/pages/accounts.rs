//! Accounts of a node and one account's page: disable, enable, remove a
//! grant, end every session and token. Each action is one service call.

use super::layout::{csrf_field, pager};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ids::{OrgId, UserId};
use crate::service::{self, AppError};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller, clamp_page};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct PageQuery {
    page: Option<i64>,
}

pub async fn list(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<PageQuery>,
) -> Result<Markup, PageError> {
    let page = service::account::list(&app, &pc.caller, OrgId(id), clamp_page(q.page)).await?;
    let org = service::org::get(&app, &pc.caller, OrgId(id), app.clock.today()).await?;
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (org.name) } }
        h1 { "Tài khoản (" (page.total) ")" }
        @if page.items.is_empty() { p.muted { "Chưa có tài khoản nào." } }
        div.table-wrap { table {
            thead { tr { th { "Tên đăng nhập" } th { "Họ tên" } th { "Trạng thái" } } }
            tbody { @for u in page.items.iter() { tr {
                td { a href=(format!("/users/{}", u.id)) { (u.username) } }
                td { (u.display_name) }
                td { @if u.disabled { "Đã khóa" } @else { "Đang dùng" } }
            } } }
        } }
        (pager(&format!("/orgs/{id}/accounts"), page.page, page.pages()))
    };
    Ok(render(&pc, "Tài khoản", body).await)
}

pub async fn show(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let v = service::account::get(&app, &pc.caller, UserId(id)).await?;
    let u = &v.user;
    let action = |what: &str| format!("/users/{id}/{what}");
    let body = html! {
        h1 { "Tài khoản " (u.username) }
        div.card {
            p { "Họ tên: " b { (u.display_name) } }
            @if let Some((m, name)) = &v.member {
                p { "Đảng viên: " a href=(format!("/members/{m}")) { (name) } }
            }
            p { "Trạng thái: " b { @if u.disabled { "Đã khóa" } @else { "Đang dùng" } } }
        }
        h2 { "Quyền được giao" }
        @if v.grants.is_empty() { p.muted { "Không có quyền nào được giao riêng." } }
        @else { div.table-wrap { table {
            thead { tr { th { "Vai trò" } th { "Tại" } th { span.sr-only { "Thao tác" } } } }
            tbody { @for g in &v.grants { tr {
                td { (g.role.map(|r| r.label()).unwrap_or(g.role_code.as_str())) }
                td { a href=(format!("/orgs/{}", g.org_id)) { (g.org_name) } }
                td {
                    form method="post" action=(action(&format!("grants/{}/remove", g.id))) {
                        (csrf_field(&pc.csrf))
                        button.secondary type="submit" { "Thu hồi quyền" }
                    }
                }
            } } }
        } } }
        h2 { "Thao tác" }
        div.card {
            @if u.disabled {
                form method="post" action=(action("enable")) {
                    (csrf_field(&pc.csrf))
                    button type="submit" { "Mở khóa tài khoản" }
                }
            } @else {
                form method="post" action=(action("disable")) {
                    (csrf_field(&pc.csrf))
                    p.muted { "Khóa: không đăng nhập được nữa; mọi phiên và mã truy cập API chấm dứt ngay." }
                    button type="submit" { "Khóa tài khoản" }
                }
            }
            form method="post" action=(action("revoke")) {
                (csrf_field(&pc.csrf))
                p.muted { "Đăng xuất tài khoản khỏi mọi thiết bị và hủy mọi mã truy cập API." }
                button.secondary type="submit" { "Thu hồi phiên đăng nhập" }
            }
        }
    };
    Ok(render(&pc, "Tài khoản", body).await)
}

/// Runs one action, then back to the account page with a message.
async fn done(pc: &PageCaller, id: i64, result: Result<(), AppError>, msg: &str) -> Response {
    match result {
        Ok(()) => {
            set_flash(&pc.session, msg).await;
            Redirect::to(&format!("/users/{id}")).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn disable(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = service::account::set_disabled(&app, &pc.caller, UserId(id), true).await;
    done(
        &pc,
        id,
        r,
        "Đã khóa tài khoản và thu hồi mọi phiên đăng nhập.",
    )
    .await
}

pub async fn enable(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = service::account::set_disabled(&app, &pc.caller, UserId(id), false).await;
    done(&pc, id, r, "Đã mở khóa tài khoản.").await
}

pub async fn revoke(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = service::account::revoke(&app, &pc.caller, UserId(id))
        .await
        .map(|_| ());
    done(
        &pc,
        id,
        r,
        "Đã thu hồi mọi phiên đăng nhập và mã truy cập API.",
    )
    .await
}

pub async fn remove_grant(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, grant)): Path<(i64, i64)>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = service::account::remove_grant(&app, &pc.caller, UserId(id), grant).await;
    done(&pc, id, r, "Đã thu hồi quyền.").await
}
