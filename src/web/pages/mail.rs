//! Delivery of a meeting's mail on its page (docs/rules.md "Mail goes
//! through a durable outbox"): sent, waiting with the next try, failed with
//! the reason, per recipient; and the button that queues failed ones again.

use super::layout::csrf_field;
use crate::app::AppState;
use crate::domain::outbox::MailState;
use crate::service::outbox::MailDelivery;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};

/// "19:30 23/11/2026", Vietnam time, from an RFC 3339 instant.
fn local(app: &AppState, rfc3339: &str) -> String {
    match rfc3339.parse::<jiff::Timestamp>() {
        Ok(t) => {
            let z = app.clock.zoned(t);
            format!(
                "{:02}:{:02} {}",
                z.hour(),
                z.minute(),
                crate::domain::time::format_date(z.date())
            )
        }
        Err(_) => rfc3339.to_string(),
    }
}

pub fn section(app: &AppState, id: i64, d: &MailDelivery, csrf: &str) -> Markup {
    html! {
        h2 #mail { "Thư thông báo" }
        @if d.messages.is_empty() {
            p.muted { "Chưa có thư nào (thư chỉ gửi cho người có địa chỉ email, khi hệ thống được cấu hình gửi thư)." }
        } @else {
            p.mail-summary {
                "Đã gửi " strong { (d.sent) }
                ", đang chờ " strong { (d.waiting) }
                @if let Some(t) = &d.next_attempt_at { " (lần gửi tới: " (local(app, t)) ")" }
                ", không gửi được " strong { (d.failed) } "."
            }
        }
        @if d.notified > 0 {
            p { "Đã mở thông báo trên hệ thống: " strong { (d.opened) "/" (d.notified) } " người." }
        }
        @if !d.messages.is_empty() {
            details {
                summary { "Chi tiết từng thư (" (d.messages.len()) ")" }
                div.table-wrap { table {
                    thead { tr { th { "Người nhận" } th { "Thư" } th { "Trạng thái" } } }
                    tbody { @for m in &d.messages { tr {
                        td { (m.to_name) br; span.muted { (m.to_address) } }
                        td { (m.kind().label()) @if m.opened { br; span.muted { "đã mở thông báo" } } }
                        td {
                            span.badge { (m.state().label()) }
                            @match m.state() {
                                MailState::Sent => { @if let Some(t) = &m.sent_at { br; span.muted { (local(app, t)) } } }
                                MailState::Queued => { br; span.muted { "lần " (m.attempts + 1) " lúc " (local(app, &m.next_attempt_at)) } }
                                MailState::Sending => { br; span.muted { "lần " (m.attempts) } }
                                MailState::Failed => { br; span.muted { "sau " (m.attempts) " lần" } }
                            }
                            @if !m.last_error.is_empty() && m.state() != MailState::Sent { br; small.mail-error { (m.last_error) } }
                        }
                    } } }
                } }
            }
        }
        @if d.failed > 0 {
            form method="post" action=(format!("/meetings/{id}/mail/retry")) {
                (csrf_field(csrf))
                button type="submit" { "Gửi lại " (d.failed) " thư không gửi được" }
            }
        }
    }
}

pub async fn retry(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = crate::service::outbox::retry_failed(&app, &pc.caller, id)
        .await
        .map(|n| format!("Đã xếp lại {n} thư vào hàng chờ gửi."));
    super::meetings::after(&app, &pc, id, r).await
}
