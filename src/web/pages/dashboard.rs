//! A node's dashboard: a period selector, then each section as an SVG chart
//! with its numbers in a table beside it, and the same figures as XLSX.

use super::layout::{Input, field, other_errors};
use super::render;
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::dashboard::Section;
use crate::domain::ids::OrgId;
use crate::service::dashboard::{Dashboard, PeriodQuery};
use crate::service::{self, AppError};
use crate::web::chart;
use crate::web::error::PageError;
use crate::web::extract::PageCaller;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Response};
use maud::{Markup, html};

const TITLE: &str = "Bảng điều khiển";

const MONTHS: [(&str, &str); 12] = [
    ("1", "Tháng 1"),
    ("2", "Tháng 2"),
    ("3", "Tháng 3"),
    ("4", "Tháng 4"),
    ("5", "Tháng 5"),
    ("6", "Tháng 6"),
    ("7", "Tháng 7"),
    ("8", "Tháng 8"),
    ("9", "Tháng 9"),
    ("10", "Tháng 10"),
    ("11", "Tháng 11"),
    ("12", "Tháng 12"),
];

pub async fn page(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Response {
    match service::dashboard::dashboard(&app, &pc.caller, OrgId(id), &q).await {
        Ok(d) => {
            let title = format!("{TITLE} · {}", d.name);
            render(&pc, &title, body(id, &q, Some(&d), &[]))
                .await
                .into_response()
        }
        // A period that does not parse: the selector again, with its errors.
        Err(AppError::Invalid(errors)) => {
            super::invalid_page(&pc, TITLE, body(id, &q, None, &errors)).await
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn xlsx(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<PeriodQuery>,
) -> Result<Response, PageError> {
    let bytes = service::dashboard::xlsx(&app, &pc.caller, OrgId(id), &q).await?;
    Ok(crate::web::api::meetings::xlsx_response(
        bytes,
        &format!("bang-dieu-khien-{id}.xlsx"),
    ))
}

fn selector(id: i64, q: &PeriodQuery, d: Option<&Dashboard>, errors: &[ValidationError]) -> Markup {
    // What was asked, or the period shown when the fields were left empty.
    let pick = |asked: &Option<String>, shown: Option<String>| {
        asked
            .clone()
            .filter(|s| !s.trim().is_empty())
            .or(shown)
            .unwrap_or_default()
    };
    let year = pick(&q.year, d.map(|d| d.period.year.to_string()));
    let from = pick(&q.from_month, d.map(|d| d.period.from_month.to_string()));
    let to = pick(&q.to_month, d.map(|d| d.period.to_month.to_string()));
    html! {
        form.inline.period method="get" action=(format!("/orgs/{id}/dashboard")) {
            (field("year", "Năm", &year, Input::Numeric, errors))
            (field("from_month", "Từ tháng", &from, Input::Select(&MONTHS), errors))
            (field("to_month", "Đến tháng", &to, Input::Select(&MONTHS), errors))
            button type="submit" { "Xem" }
        }
        (other_errors(errors, &["year", "from_month", "to_month"]))
    }
}

fn section(s: &Section) -> Markup {
    let heading = format!("{}-h", s.key);
    html! {
        section.dash id=(s.key) aria-labelledby=(heading) {
            h2 id=(heading) { (s.title) }
            @if let Some(e) = &s.empty {
                p.muted { (e) }
            } @else {
                div.dash-pair {
                    div { (chart::chart(s, &format!("{}-chart", s.key))) }
                    (chart::table(s, &format!("{}-table", s.key)))
                }
                p.muted { (s.note) }
            }
        }
    }
}

fn body(id: i64, q: &PeriodQuery, d: Option<&Dashboard>, errors: &[ValidationError]) -> Markup {
    html! {
        nav.crumbs aria-label="Đường dẫn" {
            a href=(format!("/orgs/{id}")) { @if let Some(d) = d { (d.name) } @else { "Tổ chức" } }
            " › " (TITLE)
        }
        @if let Some(d) = d {
            h1 { (TITLE) ": " (d.name) }
            p.muted { "Số liệu " (d.period_label) ", cộng cả các tổ chức trực thuộc." }
        } @else {
            h1 { (TITLE) }
        }
        (selector(id, q, d, errors))
        @if let Some(d) = d {
            p.no-print {
                a.button.secondary href=(format!("/orgs/{id}/dashboard.xlsx?{}", d.period.query())) { "Tải báo cáo XLSX" }
            }
            nav.sections aria-label="Các mục" {
                ul { @for s in &d.sections { li { a href=(format!("#{}", s.key)) { (s.title) } } } }
            }
            @for s in &d.sections { (section(s)) }
        }
    }
}
