//! The conclusion notice of a round (docs/rules.md "Conclusion of a
//! supervision round"): the draft from the reports, its edit form, issuing,
//! the DOCX, the follow-up items it made and the earlier rounds'
//! shortcomings this round judges (made for a phone, 390 px wide).

use super::inspections::finding_line;
use super::layout::{Input, csrf_field, field, other_errors};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::time::format_date;
use crate::service::AppError;
use crate::service::inspection::VerifyInput;
use crate::service::supervision::conclusion::{self as cn, ConclusionInput};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

const SOURCE: &str = "Thông báo kết luận sau mỗi đợt dự sinh hoạt chi bộ, nêu tổ chức đảng làm tốt và tổ chức còn hạn chế (thực tiễn Huyện ủy Kim Sơn, Ninh Bình, từ tháng 9/2017); thể thức theo Hướng dẫn 36-HD/VPTW.";

const TITLE: &str = "Thông báo kết luận";

fn area(name: &str, label: &str, value: &str, rows: u8, errors: &[ValidationError]) -> Markup {
    html! {
        label for=(format!("f-{name}")) { (label) }
        textarea id=(format!("f-{name}")) name=(name) rows=(rows) { (value) }
        @for e in errors.iter().filter(|e| e.field == name) { p.error { (e.to_string()) } }
    }
}

async fn body(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    errors: &[ValidationError],
    typed: Option<&ConclusionInput>,
) -> Result<Markup, AppError> {
    let v = cn::view(app, &pc.caller, id).await?;
    let issued = v.issued();
    let deadline = format_date(v.deadline);
    let review = v.saved.as_ref().and_then(|s| s.review());
    let (opening, did_well, shortcomings, closing, deadline) = match typed {
        Some(t) => (
            t.opening.as_str(),
            t.did_well.as_str(),
            t.shortcomings.as_str(),
            t.closing.as_str(),
            t.deadline.clone(),
        ),
        None => (
            v.draft.opening.as_str(),
            v.draft.did_well.as_str(),
            v.draft.shortcomings.as_str(),
            v.draft.closing.as_str(),
            deadline,
        ),
    };
    let (review_on, review_notes) = match (typed, &review) {
        (Some(t), _) => (t.review_on.clone(), t.review_notes.as_str()),
        (None, Some(r)) => (format_date(r.on), r.notes.as_str()),
        (None, None) => (String::new(), ""),
    };
    Ok(html! {
        nav.crumbs { a href=(format!("/rounds/{id}")) { (v.round.name) } }
        h1 { "Thông báo kết luận" }
        p.muted { (SOURCE) }
        p { "Đã dự " (v.visits) " buổi, có báo cáo " (v.reported) " buổi." }
        @if let Some(s) = v.saved.as_ref().filter(|s| s.number.is_some()) {
            p { span.badge { "Đã ban hành" } " Số " (s.number.unwrap_or_default()) "-TB, ngày "
                (s.issued_on.map(|d| format_date(d.to_jiff())).unwrap_or_default()) "." }
        }
        p { a href=(format!("/rounds/{id}/conclusion.docx")) { @if issued { "Tải thông báo kết luận (DOCX)" } @else { "Tải dự thảo (DOCX)" } } }
        @if issued {
            h2 { "Nội dung" }
            p { (opening) }
            @if let Some(r) = &review {
                p { "Hội nghị rút kinh nghiệm ngày " (format_date(r.on)) @if !r.notes.is_empty() { ": " (r.notes) } }
            }
            h3 { "1. Các tổ chức đảng thực hiện tốt" }
            ul.cards { @for l in did_well.lines() { li { (l) } } }
            h3 { "2. Các tổ chức đảng còn hạn chế" }
            ul.cards { @for l in shortcomings.lines() { li { (l) } } }
            p { (closing) }
            h2 { "Theo dõi khắc phục" }
            ul.cards { @for f in &v.followups { li { strong { (f.cell_name) } ": " (finding_line(f)) } } }
        } @else {
            form.card method="post" action=(format!("/rounds/{id}/conclusion")) {
                (csrf_field(&pc.csrf))
                (area("opening", "Mở đầu", opening, 4, errors))
                (area("did_well", "Đơn vị thực hiện tốt (mỗi dòng: Tên chi bộ: nội dung)", did_well, 5, errors))
                (area("shortcomings", "Đơn vị còn hạn chế (mỗi dòng: Tên chi bộ: hạn chế cần khắc phục; thêm «(hạn dd/mm/yyyy)» ở cuối dòng nếu hạn riêng)", shortcomings, 6, errors))
                (area("closing", "Đề nghị", closing, 3, errors))
                (field("deadline", "Thời hạn khắc phục chung (dd/mm/yyyy)", &deadline, Input::Text, errors))
                (field("review_on", "Ngày hội nghị rút kinh nghiệm (dd/mm/yyyy, để trống nếu chưa họp)", &review_on, Input::Text, errors))
                (area("review_notes", "Kết quả hội nghị rút kinh nghiệm", review_notes, 3, errors))
                (other_errors(errors, &["opening", "did_well", "shortcomings", "closing", "deadline", "review_on", "review_notes"]))
                button type="submit" { "Lưu dự thảo" }
            }
            @if v.all_taken {
                form.card method="post" action=(format!("/rounds/{id}/conclusion/issue")) {
                    (csrf_field(&pc.csrf))
                    p { "Ban hành: thông báo được cấp số, gửi các đơn vị có tên; mỗi hạn chế thành một việc chi bộ phải báo cáo khắc phục." }
                    button type="submit" { "Ban hành" }
                }
            } @else {
                p.muted { "Còn buổi sinh hoạt của đợt chưa diễn ra: chưa thể ban hành." }
            }
        }
        h2 { "Hạn chế từ các đợt trước (" (v.earlier.len()) ")" }
        @if v.earlier.is_empty() { p { "Không có." } }
        ul.cards {
            @for f in &v.earlier {
                li {
                    strong { (f.cell_name) } " (" (f.period) "): " (finding_line(f))
                    @if f.status != "fixed" && f.status != "not_fixed" {
                        @for (code, label) in [("fixed", "Đã khắc phục"), ("not_fixed", "Chưa khắc phục được")] {
                            form method="post" action=(format!("/rounds/{id}/earlier/{}/verify", f.id)) {
                                (csrf_field(&pc.csrf))
                                input type="hidden" name="status" value=(code);
                                button type="submit" { (label) }
                            }
                        }
                    }
                }
            }
        }
    })
}

pub async fn show(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let b = body(&app, &pc, id, &[], None).await?;
    Ok(render(&pc, TITLE, b).await)
}

async fn done(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    r: Result<String, AppError>,
    typed: Option<&ConclusionInput>,
) -> Response {
    match r {
        Ok(msg) => {
            set_flash(&pc.session, msg).await;
            Redirect::to(&format!("/rounds/{id}/conclusion")).into_response()
        }
        Err(AppError::Invalid(errors)) => match body(app, pc, id, &errors, typed).await {
            Ok(b) => super::invalid_page(pc, TITLE, b).await,
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn save(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ConclusionInput>,
) -> Response {
    let r = cn::save(&app, &pc.caller, id, &input)
        .await
        .map(|()| "Đã lưu dự thảo.".to_string());
    done(&app, &pc, id, r, Some(&input)).await
}

pub async fn issue(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<serde::de::IgnoredAny>,
) -> Response {
    let r = cn::issue(&app, &pc.caller, id)
        .await
        .map(|n| format!("Đã ban hành thông báo kết luận số {n}."));
    done(&app, &pc, id, r, None).await
}

pub async fn verify(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, finding)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<VerifyInput>,
) -> Response {
    let r = cn::verify_earlier(&app, &pc.caller, id, finding, &input)
        .await
        .map(|()| "Đã kết luận.".to_string());
    done(&app, &pc, id, r, None).await
}

pub async fn docx(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (name, bytes) = cn::conclusion_docx(&app, &pc.caller, id).await?;
    Ok(crate::web::api::meetings::docx_response(bytes, name))
}
