//! Monthly scores: a committee's ranking of its base organizations, one
//! organization's month with the form the staff above score it with, and
//! its trend over a year (docs/rules.md "Kim Sơn monthly scoring").

use super::layout::{Input, csrf_field, field, other_errors};
use super::quality::{answer_inputs, pts, rubric_card, scored_table};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::rubric::Metric;
use crate::domain::rubric::month::ScoreMonth;
use crate::domain::rubric::score::{Answers, Metrics, score};
use crate::domain::time::format_date;
use crate::service::AppError;
use crate::service::quality::meeting::AssessInput;
use crate::service::quality::monthly::{self, ScoreInput, TrendView};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;
use std::collections::HashMap;

/// Where the practice comes from, cited on the pages.
const SOURCE: &str = monthly::SOURCE;

#[derive(Deserialize, Default)]
pub struct MonthQuery {
    month: Option<String>,
}

fn month_or_now(app: &AppState, m: Option<&str>) -> ScoreMonth {
    m.and_then(|s| ScoreMonth::parse(s).ok())
        .unwrap_or_else(|| ScoreMonth::of(app.clock.today()))
}

fn level_of(rubric: Option<&crate::service::quality::rubric::Rubric>, code: &str) -> String {
    rubric
        .and_then(|r| r.definition.bands.iter().find(|b| b.code == code))
        .map_or_else(|| code.to_string(), |b| b.label.clone())
}

/// The month's ranking as XLSX, with each organization's points by group.
pub async fn ranking_xlsx(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> Result<Response, PageError> {
    let month = month_or_now(&app, q.month.as_deref());
    let bytes = monthly::ranking_xlsx(&app, &pc.caller, OrgId(id), month).await?;
    Ok(crate::web::api::meetings::xlsx_response(
        bytes,
        &format!("cham-diem-{id}-{}.xlsx", month.code()),
    ))
}

pub async fn ranking(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<MonthQuery>,
) -> Result<Markup, PageError> {
    let month = month_or_now(&app, q.month.as_deref());
    let v = monthly::ranking(&app, &pc.caller, OrgId(id), month).await?;
    let base = format!("/orgs/{id}/scores");
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.committee.name) } }
        h1 { "Chấm điểm hằng tháng — tháng " (month.label()) }
        p.muted { (SOURCE) }
        nav.pager aria-label="Tháng" {
            a href=(format!("{base}?month={}", month.previous().code())) rel="prev" { "← " (month.previous().label()) }
            span { (month.label()) }
            a href=(format!("{base}?month={}", month.next().code())) rel="next" { (month.next().label()) " →" }
        }
        @match &v.rubric {
            Some(r) => (rubric_card(r, Some(id))),
            None => p.muted { "Cấp ủy này chưa có bộ tiêu chí chấm điểm hằng tháng có hiệu lực tháng " (month.label()) ". " a href=(format!("/orgs/{id}/rubrics")) { "Bộ tiêu chí" } },
        }
        h2 { "Xếp hạng (" (v.ranked.len()) " tổ chức đã chấm)" }
        p.no-print { a.button.secondary href=(format!("/orgs/{id}/scores.xlsx?month={}", month.code())) { "Tải XLSX (điểm từng phần và tổng điểm)" } }
        @if v.ranked.is_empty() { p { "Chưa chấm tổ chức nào tháng " (month.label()) "." } }
        @else { div.table-wrap { table {
            thead { tr { th { "Hạng" } th { "Tổ chức cơ sở đảng" } th { "Điểm" } th.opt { "Xếp loại" } } }
            tbody { @for r in &v.ranked { tr {
                td { (r.rank) }
                td { a href=(format!("/orgs/{}/scores/{}", r.score.org_id, month.code())) { (r.score.org_name) } }
                td { (pts(f64::from(r.score.total_tenths) / 10.0)) }
                td.opt { (level_of(v.rubric.as_ref(), &r.score.level)) }
            } } }
        } } }
        @if !v.unscored.is_empty() {
            h2 { "Chưa chấm (" (v.unscored.len()) ")" }
            ul { @for (o, name) in &v.unscored { li { a href=(format!("/orgs/{o}/scores/{}", month.code())) { (name) } } } }
        }
    };
    Ok(render(&pc, &format!("Chấm điểm tháng {}", month.label()), body).await)
}

fn metrics_table(m: &Metrics) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { th { "Số liệu tự tính từ chibo" } th { "Giá trị" } } }
            tbody { @for (k, v) in m { tr { td { (k.label()) } td { (pts(*v)) } } } }
        } }
    }
}

async fn month_body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    month: ScoreMonth,
    failed: Option<(&[ValidationError], &ScoreInput)>,
) -> Result<Markup, AppError> {
    let v = monthly::form(app, &pc.caller, id, month).await?;
    let errs = failed.map_or(&[][..], |f| f.0);
    let prefill: Answers =
        failed.map_or_else(|| v.current_answers.clone(), |f| f.1.answers.clone());
    let (note, reference) = failed.map_or_else(
        || {
            v.current
                .as_ref()
                .map_or((String::new(), String::new()), |s| {
                    (s.evidence_note.clone(), s.evidence_ref.clone())
                })
        },
        |f| (f.1.evidence_note.clone(), f.1.evidence_ref.clone()),
    );
    let base = format!("/orgs/{id}/scores/{}", month.code());
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.org.name) } " › " a href=(format!("/orgs/{id}/score-trend?year={}", month.year())) { "Điểm các tháng" } }
        h1 { "Chấm điểm tháng " (month.label()) }
        p.muted { (SOURCE) }
        nav.pager aria-label="Tháng" {
            a href=(format!("/orgs/{id}/scores/{}", month.previous().code())) rel="prev" { "← " (month.previous().label()) }
            a href=(format!("/orgs/{id}/scores/{}", month.next().code())) rel="next" { (month.next().label()) " →" }
        }
        @match &v.rubric {
            Some(r) => (rubric_card(r, Some(id.0))),
            None => p.alert { "Chưa có bộ tiêu chí chấm điểm hằng tháng nào của cấp trên có hiệu lực tháng " (month.label()) "." },
        }
        @if let Some(f) = &v.figures { (metrics_table(&f.metrics)) }
        @if let (Some(r), Some(s)) = (&v.rubric, &v.current) {
            @let metrics: Metrics = serde_json::from_str(&s.metrics).unwrap_or_default();
            @let ctx = crate::domain::rubric::score::Context { thematic: metrics.contains_key(&Metric::ThematicHeld) && metrics.get(&Metric::ThematicHeld) == Some(&100.0) };
            @let scored = score(&r.definition, &v.current_answers, &metrics, ctx);
            h2 { "Kết quả: " (pts(scored.total)) " điểm — " (scored.band.as_ref().map_or("", |b| b.label.as_str())) }
            p.muted { "Chấm ngày " (format_date(s.scored_on.to_jiff())) " bởi " (s.username)
                @if !s.evidence_note.is_empty() { ". Minh chứng: " (s.evidence_note) }
                @if !s.evidence_ref.is_empty() { " (" (s.evidence_ref) ")" } }
            (scored_table(&r.definition, &scored))
        }
        @if v.can_score && let (Some(r), Some(f)) = (&v.rubric, &v.figures) {
            details open[!errs.is_empty() || v.current.is_none()] {
                summary { @if v.current.is_some() { "Chấm lại" } @else { "Chấm điểm" } }
                form method="post" action=(base) {
                    (csrf_field(&pc.csrf))
                    (other_errors(errs, &["evidence_note", "evidence_ref"]))
                    (answer_inputs(&r.definition, &f.metrics, f.context, &prefill, "s-"))
                    (field("evidence_note", "Minh chứng: nhận xét", &note, Input::Text, errs))
                    (field("evidence_ref", "Minh chứng: văn bản, báo cáo số", &reference, Input::Text, errs))
                    button type="submit" { "Ghi điểm" }
                }
            }
        }
    })
}

pub async fn month(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, m)): Path<(i64, String)>,
) -> Result<Markup, PageError> {
    let month = monthly::month_of(&m)?;
    let b = month_body(&app, &pc, OrgId(id), month, None).await?;
    Ok(render(&pc, &format!("Chấm điểm tháng {}", month.label()), b).await)
}

pub async fn enter(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, m)): Path<(i64, String)>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    let month = match monthly::month_of(&m) {
        Ok(m) => m,
        Err(e) => return PageError(e).into_response(),
    };
    let rubric = match monthly::form(&app, &pc.caller, OrgId(id), month).await {
        Ok(v) => v.rubric,
        Err(e) => return PageError(e).into_response(),
    };
    let answers = AssessInput::from_form(&form, rubric.as_ref()).answers;
    let input = ScoreInput {
        answers,
        evidence_note: form.get("evidence_note").cloned().unwrap_or_default(),
        evidence_ref: form.get("evidence_ref").cloned().unwrap_or_default(),
    };
    match monthly::enter(&app, &pc.caller, OrgId(id), month, &input).await {
        Ok(s) => {
            set_flash(&pc.session, format!("Đã ghi {} điểm.", pts(s.total))).await;
            Redirect::to(&format!("/orgs/{id}/scores/{}", month.code())).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match month_body(&app, &pc, OrgId(id), month, Some((&errors, &input))).await {
                Ok(b) => {
                    super::invalid_page(&pc, &format!("Chấm điểm tháng {}", month.label()), b).await
                }
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i16>,
}

/// A line chart of the year's totals (0–100), drawn on the server.
fn chart(v: &TrendView) -> Markup {
    let points: Vec<(usize, f64)> = v
        .months
        .iter()
        .enumerate()
        .filter_map(|(i, m)| {
            m.score
                .as_ref()
                .map(|s| (i, f64::from(s.total_tenths) / 10.0))
        })
        .collect();
    let xy = |i: usize, t: f64| (20.0 + i as f64 * 25.0, 110.0 - t);
    let line: Vec<String> = points
        .iter()
        .map(|&(i, t)| {
            let (x, y) = xy(i, t);
            format!("{x:.0},{y:.1}")
        })
        .collect();
    html! {
        svg viewBox="0 0 320 130" width="100%" role="img" aria-label=(format!("Điểm các tháng năm {}", v.year)) {
            line x1="20" y1="110" x2="300" y2="110" stroke="#999" {}
            line x1="20" y1="20" x2="300" y2="20" stroke="#eee" {}
            text x="0" y="24" font-size="9" { "90" }
            line x1="20" y1="60" x2="300" y2="60" stroke="#eee" {}
            text x="0" y="64" font-size="9" { "50" }
            polyline points=(line.join(" ")) fill="none" stroke="#a3171c" stroke-width="2" {}
            @for &(i, t) in &points { @let (x, y) = xy(i, t); circle cx=(format!("{x:.0}")) cy=(format!("{y:.1}")) r="2.5" fill="#a3171c" {} }
            @for i in 0..12 { @let (x, _) = xy(i, 0.0); text x=(format!("{:.0}", x - 3.0)) y="124" font-size="9" { (i + 1) } }
        }
    }
}

pub async fn trend(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Markup, PageError> {
    let year = q
        .year
        .unwrap_or_else(|| app.clock.today().year())
        .clamp(2000, 2100);
    let v = monthly::trend(&app, &pc.caller, OrgId(id), year).await?;
    let base = format!("/orgs/{id}/score-trend");
    let body = html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.org.name) } }
        h1 { "Điểm hằng tháng năm " (year) }
        p.muted { (SOURCE) }
        nav.pager aria-label="Năm" {
            a href=(format!("{base}?year={}", year - 1)) rel="prev" { "← " (year - 1) }
            span { "Năm " (year) }
            a href=(format!("{base}?year={}", year + 1)) rel="next" { (year + 1) " →" }
        }
        (chart(&v))
        div.table-wrap { table {
            thead { tr { th { "Tháng" } th { "Điểm" } th { "Xếp hạng" } th.opt { "Xếp loại" } } }
            tbody { @for m in &v.months { tr {
                td { a href=(format!("/orgs/{id}/scores/{}", m.month.code())) { (m.month.label()) } }
                td { @if let Some(s) = &m.score { (pts(f64::from(s.total_tenths) / 10.0)) } @else { "—" } }
                td { @if let Some((r, n)) = m.rank { (r) "/" (n) } @else { "—" } }
                td.opt { @if let Some(l) = &m.label { (l) } }
            } } }
        } }
    };
    Ok(render(&pc, &format!("Điểm hằng tháng năm {year}"), body).await)
}
