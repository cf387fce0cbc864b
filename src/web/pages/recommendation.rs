//! One recommendation (kiến nghị): where it stands, and the forms of the
//! level handling it — send further up, assign, answer, close
//! (docs/rules.md "Recommendations (kiến nghị)").

use super::layout::{Input, csrf_field, field};
use super::recommendations::{SOURCE, card, source_label};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::RecommendationId;
use crate::domain::recommendation::Status;
use crate::service::AppError;
use crate::service::recommendation::{
    self as recs, AnswerInput, AssignInput, CloseInput, RecView, RouteInput,
};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

const TITLE: &str = "Kiến nghị";

pub async fn show(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let v = recs::get(&app, &pc.caller, RecommendationId(id)).await?;
    Ok(render(&pc, TITLE, body(&pc, &v, &[])).await)
}

fn body(pc: &PageCaller, v: &RecView, errors: &[ValidationError]) -> Markup {
    let r = &v.row;
    let id = r.id;
    let csrf = pc.csrf.as_str();
    let status = recs::status_of(r);
    let open = status.is_open();
    let levels: Vec<(&str, &str)> = v
        .levels_above
        .iter()
        .map(|(_, n)| (n.as_str(), n.as_str()))
        .collect();
    html! {
        nav.crumbs { a href=(format!("/orgs/{}/recommendations", r.cell_id)) { "Kiến nghị của " (r.cell_name) } }
        h1 { "Kiến nghị" }
        ul.plain { (card(r, v.overdue)) }
        p.muted { (source_label(&r.source)) @if let Some(m) = r.meeting_id { " — " a href=(format!("/meetings/{m}")) { "kỳ sinh hoạt" } } ". " (SOURCE) "." }
        @if v.can_handle && open {
            @if !levels.is_empty() {
                h2 { @if r.level_id.is_some() { "Chuyển lên cấp trên" } @else { "Gửi cấp ủy cấp trên" } }
                form.card method="post" action=(format!("/recommendations/{id}/route")) {
                    (csrf_field(csrf))
                    (field("level", "Cấp nhận", "", Input::Select(&levels), errors))
                    button type="submit" { "Chuyển" }
                }
            }
            @if r.level_id.is_some() {
                h2 { "Giao giải quyết" }
                form.card method="post" action=(format!("/recommendations/{id}/assign")) {
                    (csrf_field(csrf))
                    (field("assignee", "Đơn vị, người giải quyết (ví dụ: UBND xã, Văn phòng Huyện ủy)", &r.assignee, Input::Text, errors))
                    (field("deadline", "Hạn trả lời", "", Input::Date, errors))
                    button type="submit" { "Giao" }
                }
                h2 { "Trả lời" }
                form.card method="post" action=(format!("/recommendations/{id}/answer")) {
                    (csrf_field(csrf))
                    div class=[errors.iter().any(|e| e.field == "answer").then_some("field-error")] {
                        label for="f-answer" { "Nội dung trả lời" }
                        textarea #f-answer name="answer" rows="4" {}
                        @for e in errors.iter().filter(|e| e.field == "answer") { p.error { (e.to_string()) } }
                    }
                    (field("answered_on", "Ngày trả lời (để trống: hôm nay)", "", Input::Date, errors))
                    button type="submit" { "Ghi trả lời" }
                }
            }
            details {
                summary { "Đóng không trả lời" }
                form.card method="post" action=(format!("/recommendations/{id}/close")) {
                    (csrf_field(csrf))
                    (field("reason", "Lý do", "", Input::Text, errors))
                    button.secondary type="submit" { "Đóng kiến nghị" }
                }
            }
        }
        @if status == Status::Answered {
            p { "Trả lời sẽ được thông báo tại kỳ sinh hoạt tiếp theo của chi bộ: bí thư ghi nhận trên trang kỳ họp, mục \"Thông báo trả lời kiến nghị\"." }
        }
    }
}

async fn after(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    r: Result<(), AppError>,
    ok: &str,
) -> Response {
    match r {
        Ok(()) => {
            set_flash(&pc.session, ok).await;
            Redirect::to(&format!("/recommendations/{id}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match recs::get(app, &pc.caller, RecommendationId(id)).await {
                Ok(v) => super::invalid_page(pc, TITLE, body(pc, &v, &errors)).await,
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn route(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<RouteInput>,
) -> Response {
    let input = RouteInput {
        level_id: None,
        ..input
    };
    let r = recs::route(&app, &pc.caller, RecommendationId(id), &input).await;
    after(&app, &pc, id, r, "Đã chuyển kiến nghị.").await
}

pub async fn assign(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<AssignInput>,
) -> Response {
    let r = recs::assign(&app, &pc.caller, RecommendationId(id), &input).await;
    after(&app, &pc, id, r, "Đã giao giải quyết.").await
}

pub async fn answer(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<AnswerInput>,
) -> Response {
    let r = recs::answer(&app, &pc.caller, RecommendationId(id), &input).await;
    after(
        &app,
        &pc,
        id,
        r,
        "Đã ghi trả lời; chi bộ sẽ thấy trả lời ở kỳ sinh hoạt tới.",
    )
    .await
}

pub async fn close(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<CloseInput>,
) -> Response {
    let r = recs::close(&app, &pc.caller, RecommendationId(id), &input).await;
    after(&app, &pc, id, r, "Đã đóng kiến nghị.").await
}
