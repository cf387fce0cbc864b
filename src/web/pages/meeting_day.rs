//! A committee's page part where it sets one meeting day for all its cells
//! (docs/rules.md "A committee sets one meeting day for its cells").

use super::layout::{Input, csrf_field, field};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::day_policy::MAX_POLICY_DAY;
use crate::domain::ids::OrgId;
use crate::domain::time::{format_date, parse_date};
use crate::service::meeting::{self as meetings, DayPolicyInput};
use crate::service::{self, AppError};
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::Response;
use maud::{Markup, html};
use serde::Deserialize;

/// The policies a committee has set and, for its staff, the form to set one.
pub async fn section(
    app: &AppState,
    pc: &PageCaller,
    org: &crate::store::org::OrgRow,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    if org.kind().is_cell() {
        return Ok(html! {});
    }
    let id = org.id;
    let policies = meetings::policies(app, &pc.caller, id).await?;
    let can = org.dissolved_on().is_none()
        && service::allows(app, &pc.caller, Action::DirectCells, id).await?;
    let day = |s: &str| parse_date(s).map(format_date).unwrap_or_default();
    Ok(html! {
        @if !policies.is_empty() || can {
            h2 { "Ngày sinh hoạt chung của các chi bộ" }
            @for p in &policies {
                p.card { strong { (p.text) } " " span.muted { "áp dụng từ " (day(&p.effective_from))
                    @if p.cells_keep_own { "; chi bộ đã đăng ký ngày riêng được giữ" } } }
            }
            @if can {
                details open[!errors.is_empty()] {
                    summary { "Chỉ đạo ngày sinh hoạt cho tất cả chi bộ trực thuộc" }
                    form.card method="post" action=(format!("/orgs/{id}/meeting-day")) {
                        (csrf_field(&pc.csrf))
                        (field("day_of_month", &format!("Ngày trong tháng (1–{MAX_POLICY_DAY})"), "", Input::Text, errors))
                        (field("time", "Giờ (HH:MM; để trống: giờ của từng chi bộ)", "", Input::Text, errors))
                        (field("effective_from", "Áp dụng từ ngày", &format_date(app.clock.today()), Input::Date, errors))
                        label { input type="checkbox" name="cells_keep_own" value="true"; " Chi bộ đã đăng ký ngày riêng được giữ ngày của mình" }
                        p.muted { "Các buổi sinh hoạt thường kỳ sắp tới (12 tháng) của mọi chi bộ theo chỉ đạo được lập hoặc dời sang ngày này; buổi đã họp, đã ký hoặc đã qua giữ nguyên." }
                        button type="submit" { "Áp dụng cho các chi bộ" }
                    }
                }
            }
        }
    })
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct DayPolicyForm {
    effective_from: String,
    day_of_month: String,
    time: String,
    cells_keep_own: Option<String>,
}

pub async fn set(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<DayPolicyForm>,
) -> Response {
    let input = DayPolicyInput {
        effective_from: f.effective_from,
        day_of_month: f.day_of_month,
        time: f.time,
        cells_keep_own: f.cells_keep_own.is_some(),
    };
    let r = meetings::set_policy(&app, &pc.caller, OrgId(id), &input)
        .await
        .map(|a| {
            format!(
                "{}. {} chi bộ theo chỉ đạo: {} buổi mới, {} buổi dời ngày.",
                a.policy.text,
                a.cells_following,
                a.created.len(),
                a.moved.len()
            )
        });
    super::orgs::after_write(&app, &pc, OrgId(id), r).await
}
