//! The meeting page's preparation part: the day the cell committee agreed
//! the content (docs/rules.md "The cell committee agrees the content first").

use super::layout::{Input, csrf_field, field};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::preparation::agreeing_body;
use crate::domain::time::format_date;
use crate::service::meeting::{self as meetings, AgreementInput, MeetingView};
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};

/// "Chi ủy thống nhất nội dung ngày dd/mm/yyyy", and the form to record it
/// while the minutes are unsigned.
pub fn agreement(
    v: &MeetingView,
    csrf: &str,
    editable: bool,
    errors: &[ValidationError],
) -> Markup {
    let body = agreeing_body(meetings::full_members(&v.members));
    let a = v.agreement_out();
    html! {
        h2 { "Chuẩn bị nội dung" }
        @match &a {
            Some(a) => p { span.badge { (a.text) } " " span.muted { "(ghi bởi " (a.recorded_by) ")" } },
            None => p.muted { (body) " chưa ghi ngày thống nhất nội dung." },
        }
        p.muted { "Hướng dẫn 42-HD/BTCTW (28/10/2025): trước buổi sinh hoạt, chi ủy (nơi không có chi ủy: bí thư, phó bí thư) họp thống nhất nội dung." }
        @if editable {
            form.card method="post" action=(format!("/meetings/{}/agreement", v.meeting.id)) {
                (csrf_field(csrf))
                (field("agreed_on", &format!("Ngày {} thống nhất nội dung", body.to_lowercase()),
                    &v.agreement.as_ref().map(|r| format_date(r.agreed_on.to_jiff())).unwrap_or_default(), Input::Date, errors))
                button type="submit" { "Ghi ngày thống nhất" }
            }
        }
    }
}

pub async fn agree(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<AgreementInput>,
) -> Response {
    let r = meetings::agree_content(&app, &pc.caller, id, &f)
        .await
        .map(|a| format!("Đã ghi: {}.", a.text));
    super::meetings::after(&app, &pc, id, r).await
}
