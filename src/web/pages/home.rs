//! The home page and the tree browser.

use super::layout::csrf_field;
use super::render;
use crate::app::AppState;
use crate::domain::time::format_date;
use crate::service;
use crate::web::error::PageError;
use crate::web::extract::{PageCaller, parse_on};
use axum::extract::{Query, State};
use maud::{Markup, html};
use serde::Deserialize;

pub async fn home(State(app): State<AppState>, pc: PageCaller) -> Result<Markup, PageError> {
    let roots = service::org::roots(&pc.caller);
    let grants = &pc.caller.actor.grants;
    let home = service::meeting::member_home(&app, &pc.caller).await?;
    let rounds = home.as_ref().map_or(0, |h| h.rounds.len());
    let today = app.clock.today();
    let body = html! {
        h1 { "Xin chào, " (pc.caller.actor.display_name) }
        @if let Some(m) = pc.caller.actor.member_id {
            div.card {
                p { a href=(format!("/members/{m}")) { "Hồ sơ đảng viên của tôi" } }
                @if let Some(h) = &home { @if !h.posts.is_empty() { p { "Chức vụ: " strong { (h.posts.join("; ")) } } } }
                @if rounds > 0 { p { a href="/me/rounds" { "Đi dự sinh hoạt chi bộ (" (rounds) " đợt được cử)" } } }
            }
        }
        @if let Some(h) = &home {
            h2 { "Lịch sinh hoạt sắp tới" }
            p.muted { a href="/me/calendar.ics" { "Tải lịch về điện thoại (.ics)" } }
            details {
                summary { "Theo dõi lịch trên điện thoại" }
                p.muted { "Ứng dụng lịch của điện thoại có thể tự cập nhật lịch sinh hoạt qua một địa chỉ riêng của đồng chí. Tạo địa chỉ mới thì địa chỉ cũ hết hiệu lực." }
                form method="post" action="/me/calendar-feed" {
                    (csrf_field(&pc.csrf))
                    button.secondary type="submit" { "Tạo địa chỉ lịch riêng" }
                }
            }
            @if h.upcoming.is_empty() { p.muted { "Chưa có buổi sinh hoạt nào được lên lịch." } }
            ul { @for m in &h.upcoming { li {
                a href=(format!("/meetings/{}", m.id)) { (service::meeting::kind(m).label()) " ngày " (format_date(m.held_on.to_jiff())) }
                " lúc " (m.start_time) ", " (m.place)
                @if !m.topic.is_empty() { " — " (m.topic) }
            } } }
            @if !h.documents.is_empty() {
                h2 { "Tài liệu" }
                ul { @for d in &h.documents { li { a href=(format!("/documents/{}", d.id)) { (d.filename) } } } }
            }
            h2 { "Nhiệm vụ của tôi" }
            @if h.tasks.is_empty() { p.muted { "Không có nhiệm vụ đang thực hiện." } }
            ul.tasks { @for t in &h.tasks { li {
                (t.title)
                @if let Some(d) = t.deadline { " — hạn " (format_date(d.to_jiff())) @if d.to_jiff() < today { " " span.badge { "quá hạn" } } }
                @if !t.households.is_empty() { br; span.muted { (t.households) } }
            } } }
            @if !h.notifications.is_empty() {
                h2 { "Thông báo" }
                ul { @for n in &h.notifications { li {
                    @if let Some(m) = n.meeting_id { a href=(format!("/meetings/{m}")) { (n.title) } } @else { (n.title) }
                    @if n.read_at.is_none() { " " span.badge { "chưa xem" } }
                } } }
            }
        }
        h2 { "Đơn vị của bạn" }
        @if roots.is_empty() { p.muted { "Tài khoản chưa được giao quyền ở đơn vị nào." } }
        @for org in roots {
            div.card {
                p {
                    a href=(format!("/orgs/{}", org.id)) { strong { (org.name) } }
                    " "
                    span.badge { (org.kind().label()) }
                    @for g in grants.iter().filter(|g| g.org == org.id) {
                        " " span.badge { (g.role.label()) }
                    }
                    " · " a href=(format!("/orgs/{}/dashboard", org.id)) { "Bảng điều khiển" }
                }
                @if let Some(d) = org.dissolved_on() {
                    p.muted { "Đã giải thể từ " (crate::domain::time::format_date(d)) "; dữ liệu được xem như ngày cuối cùng." }
                }
                @if grants.iter().any(|g| g.org == org.id && !matches!(g.role, crate::domain::authz::Role::Member | crate::domain::authz::Role::Follower)) {
                    form.inline method="get" action=(format!("/orgs/{}/members", org.id)) role="search" {
                        div {
                            label for=(format!("q{}", org.id)) { "Tìm đảng viên" }
                            input id=(format!("q{}", org.id)) name="q" placeholder="Họ tên hoặc số thẻ, gõ không dấu cũng được";
                        }
                        button type="submit" { "Tìm" }
                    }
                }
            }
        }
    };
    Ok(render(&pc, "Trang chủ", body).await)
}

#[derive(Deserialize, Default)]
pub struct OnQuery {
    on: Option<String>,
}

/// The caller's starting nodes and their children, on a chosen date.
pub async fn tree(
    State(app): State<AppState>,
    pc: PageCaller,
    Query(q): Query<OnQuery>,
) -> Result<Markup, PageError> {
    let on = parse_on(q.on.as_deref(), &app)?;
    let roots = service::org::roots(&pc.caller);
    let mut sections = Vec::new();
    for root in roots {
        let view = service::org::view(&app, &pc.caller, root.id, on).await?;
        sections.push(view);
    }
    let on_text = crate::domain::time::format_date(on);
    let body = html! {
        h1 { "Cây tổ chức" }
        form.inline method="get" action="/tree" {
            div { label for="on" { "Xem theo ngày" } input #on name="on" value=(on_text) placeholder="dd/mm/yyyy"; }
            button type="submit" { "Xem" }
        }
        @for v in &sections {
            div.card {
                h2 { a href=(format!("/orgs/{}?on={}", v.org.id, v.as_of)) { (v.org.name) } }
                @if !v.existed { p.muted { "Xem như ngày " (crate::domain::time::format_date(v.as_of)) "." } }
                ul {
                    @for (c, n) in &v.children {
                        li {
                            a href=(format!("/orgs/{}?on={}", c.id, v.as_of)) { (c.name) }
                            " " span.muted { (c.kind().label()) @if *n > 0 { " · " (n) " đơn vị trực thuộc" } }
                        }
                    }
                }
            }
        }
    };
    Ok(render(&pc, "Cây tổ chức", body).await)
}
