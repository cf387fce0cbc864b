//! Formalism signals of the cells below a committee, with their evidence,
//! for the committee only (docs/rules.md "Formalism signals").

use super::layout::{Input, field, other_errors};
use super::render;
use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::domain::signal::{Evidence, Rule, Signal};
use crate::domain::time::format_date;
use crate::service::{self, AppError};
use crate::web::error::PageError;
use crate::web::extract::PageCaller;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::HashMap;

const TITLE: &str = "Dấu hiệu hình thức trong sinh hoạt chi bộ";
/// Signals listed per rule at most (the counts are always whole).
const SHOWN: usize = 50;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    from: Option<String>,
    to: Option<String>,
}

fn meeting_link(id: i64, days: &HashMap<i64, Date>) -> Markup {
    html! {
        a href=(format!("/meetings/{id}")) {
            "Cuộc họp " @if let Some(d) = days.get(&id) { (format_date(*d)) } @else { "#" (id) }
        }
    }
}

fn evidence(s: &Signal, days: &HashMap<i64, Date>) -> Markup {
    html! {
        @match &s.evidence {
            Evidence::Similar { earlier, similarity, .. } => {
                "Biên bản giống " strong { (format!("{:.0}%", similarity * 100.0)) } " biên bản "
                (meeting_link(*earlier, days))
                @if let Some(m) = s.meeting { " — so với " (meeting_link(m, days)) }
            }
            Evidence::OnlyLeaders { present, speakers } => {
                (present) " đảng viên có mặt; chỉ phát biểu: " (speakers.join(", "))
            }
            Evidence::Silent { name, new_member, meetings, .. } => {
                strong { (name) } @if *new_member { " (đảng viên mới)" } @else { " (không giữ chức vụ)" }
                " có mặt " (meetings.len()) " cuộc họp, không phát biểu: "
                @for (i, (m, _)) in meetings.iter().enumerate() { @if i > 0 { ", " } (meeting_link(*m, days)) }
            }
            Evidence::FewTasks { members_with_task, present } => {
                "Nghị quyết giao nhiệm vụ cho " (members_with_task) " trong " (present) " đảng viên có mặt"
            }
            Evidence::Unreviewed { open_tasks, later_meetings } => {
                (open_tasks) " nhiệm vụ còn mở, chưa kiểm điểm sau " (later_meetings) " cuộc họp tiếp theo"
            }
            Evidence::Short { minutes, required, source } => {
                "Họp " (minutes) " phút; quy định ít nhất " (required) " phút (" (source) ")"
            }
            Evidence::Lenient { rated, excellent, good } => {
                (rated) " đảng viên được xếp loại: " (excellent) " xuất sắc, " (good) " tốt, không ai ở mức thấp hơn"
            }
        }
    }
}

async fn body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    q: &PeriodQuery,
) -> Result<Markup, AppError> {
    let span = service::signal::period(q.from.as_deref(), q.to.as_deref(), app.clock.today())?;
    let v = service::signal::of_subtree(app, &pc.caller, id, span).await?;
    let (from, to) = (format_date(v.from), format_date(v.to));
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.root.name) } }
        h1 { (TITLE) }
        p.muted { "Chỉ cấp ủy cấp trên xem. Mỗi dấu hiệu là một gợi ý để kiểm tra, đôn đốc, không phải kết luận về chi bộ. " (v.thresholds.source) }
        form.card method="get" action=(format!("/orgs/{id}/signals")) {
            (field("from", "Từ ngày", &from, Input::Date, &[]))
            (field("to", "Đến ngày", &to, Input::Date, &[]))
            button type="submit" { "Xem" }
        }
        p { "Từ " (from) " đến " (to) ": " strong { (v.meetings_read) } " cuộc họp đã đọc, " strong { (v.signals.len()) } " dấu hiệu." }
        div.table-wrap { table {
            thead { tr { th { "Dấu hiệu" } th { "Số lần" } } }
            tbody { @for (r, n) in &v.counts { tr { td { a href=(format!("#{}", r.code())) { (r.label()) } } td { (n) } } } }
        } }
        @for (rule, n) in &v.counts {
            section id=(rule.code()) {
                h2 { (rule.label()) " (" (n) ")" }
                p.muted { (rule.describe(&v.thresholds)) }
                @if *rule == Rule::LenientGrading {
                    p.muted { "Cần số liệu xếp loại cuối năm; chưa có trong chibo." }
                }
                @if *n > SHOWN { p { "Hiện " (SHOWN) " dấu hiệu gần nhất; thu hẹp khoảng thời gian hoặc xem từng tổ chức trực thuộc để xem hết." } }
                @for s in v.signals.iter().rev().filter(|s| s.rule == *rule).take(SHOWN) {
                    div.card {
                        a href=(format!("/orgs/{}", s.cell)) { (v.cells.get(&s.cell).map_or("", String::as_str)) }
                        " · " (format_date(s.day))
                        @if let Some(m) = s.meeting { @if !matches!(s.evidence, Evidence::Similar { .. } | Evidence::Silent { .. }) { " · " (meeting_link(m, &v.days)) } }
                        br; (evidence(s, &v.days))
                    }
                }
            }
        }
    })
}

pub async fn list(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    match body(&app, &pc, OrgId(id), &q).await {
        Ok(b) => render(&pc, TITLE, b).await.into_response(),
        Err(AppError::Invalid(errors)) => {
            // A period that cannot be read: the form again, with why.
            let b = html! {
                h1 { (TITLE) }
                form.card method="get" action=(format!("/orgs/{id}/signals")) {
                    (field("from", "Từ ngày", q.from.as_deref().unwrap_or(""), Input::Date, &errors))
                    (field("to", "Đến ngày", q.to.as_deref().unwrap_or(""), Input::Date, &errors))
                    (other_errors(&errors, &["from", "to"]))
                    button type="submit" { "Xem" }
                }
            };
            super::invalid_page(&pc, TITLE, b).await
        }
        Err(e) => PageError(e).into_response(),
    }
}
