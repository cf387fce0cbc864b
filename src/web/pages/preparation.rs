//! Parts of the meeting page added by the seeds' practices: the day the cell
//! committee agreed the content, and attendance and speaking of members
//! without a post and of new members beside the whole cell.

use super::layout::{Input, csrf_field, field};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::meeting::Tally;
use crate::domain::participation::{Figures, Group};
use crate::domain::preparation::agreeing_body;
use crate::domain::time::format_date;
use crate::service::meeting::{self as meetings, AgreementInput, MeetingView};
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};

/// "Chi ủy thống nhất nội dung ngày dd/mm/yyyy", and the form to record it
/// while the minutes are unsigned.
pub fn agreement(v: &MeetingView, csrf: &str, editable: bool, errors: &[ValidationError]) -> Markup {
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

fn percent(x: Option<f64>) -> String {
    x.map_or_else(|| "—".to_string(), |r| format!("{:.0}%", r * 100.0))
}

/// Attendance rate and share who spoke, the whole cell first, then each group
/// (seed 001: members without a post and new members speak least).
pub fn groups(tally: &Tally, groups: &[(Group, Figures)]) -> Markup {
    let whole = Figures::of(tally);
    html! {
        @if !groups.is_empty() {
            div.table-wrap { table {
                thead { tr { th { "" } th { "Có mặt" } th { "Tỷ lệ dự" } th { "Phát biểu" } } }
                tbody {
                    (row("Cả chi bộ", &whole))
                    @for (g, f) in groups { (row(g.label(), f)) }
                }
            } }
        }
    }
}

pub fn row(label: &str, f: &Figures) -> Markup {
    html! { tr {
        td { (label) }
        td { (f.present) "/" (f.convened) }
        td { (percent(f.attendance_rate())) }
        td { (f.speakers) " (" (percent(f.speaker_share())) ")" }
    } }
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
