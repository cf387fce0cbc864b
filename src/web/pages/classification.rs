//! The year's review and classification of a node (its members' three
//! stages, the proposal and decision forms, the counts, the XLSX) and a
//! member's own self-assessment (docs/rules.md "Classification order
//! (bottom-up)", "Classification quota").

use super::layout::{Input, csrf_field, field, other_errors};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::classification::regime::Regime;
use crate::domain::classification::{ClassYear, Grade, GradeCounts};
use crate::domain::ids::{MemberId, OrgId};
use crate::service::classification::{
    CellBlock, DecisionInput, MemberGrade, OrgGrade, ProposalInput, SelfInput, YearView,
};
use crate::service::{self, AppError};
use crate::store::classification::RecordRow;
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    year: Option<i64>,
}

fn title(year: ClassYear) -> String {
    format!("Đánh giá, xếp loại chất lượng năm {}", year.get())
}

const GRADES: [(&str, &str); 5] = [
    ("", "— chưa chọn —"),
    ("excellent", "Hoàn thành xuất sắc nhiệm vụ"),
    ("good", "Hoàn thành tốt nhiệm vụ"),
    ("complete", "Hoàn thành nhiệm vụ"),
    ("not_complete", "Không hoàn thành nhiệm vụ"),
];

fn grade_text(code: Option<&str>) -> Markup {
    match code.and_then(Grade::from_code) {
        Some(g) => html! { span title=(g.label()) { (g.short()) } },
        None => html! { span.muted { "—" } },
    }
}

fn with_score(code: Option<&str>, score: Option<i32>) -> Markup {
    html! { (grade_text(code)) @if let Some(s) = score { " (" (s) "đ)" } }
}

/// A select without a visible label of its own (the row names it), with
/// the short names of the grades: every full name starts "Hoàn thành", which
/// a phone's narrow column cuts to the same word.
fn grade_select(name: &str, label: &str, value: &str) -> Markup {
    html! {
        select name=(name) aria-label=(label) {
            option value="" selected[value.is_empty()] { "—" }
            @for g in Grade::ALL { option value=(g.code()) selected[g.code() == value] title=(g.label()) { (g.short()) } }
        }
    }
}

fn score_input(name: &str, label: &str, value: Option<i32>) -> Markup {
    html! {
        input name=(name) aria-label=(label) inputmode="numeric" size="3" autocomplete="off"
            value=(value.map(|v| v.to_string()).unwrap_or_default());
    }
}

fn years_nav(base: &str, year: ClassYear) -> Markup {
    let y = year.get();
    html! {
        nav.pager aria-label="Năm" {
            a href=(format!("{base}?year={}", y - 1)) rel="prev" { "← " (y - 1) }
            span { "Năm " (y) }
            a href=(format!("{base}?year={}", y + 1)) rel="next" { (y + 1) " →" }
        }
    }
}

fn regime_box(r: &Result<Regime, String>) -> Markup {
    match r {
        Ok(r) => html! {
            div.card {
                strong { "Áp dụng: " } (r.document) "."
                br; "Tỷ lệ: số xếp loại “Hoàn thành xuất sắc nhiệm vụ” không vượt quá " (r.quota.percent)
                "% số xếp loại “Hoàn thành tốt nhiệm vụ” (" (r.quota.source) ")."
                @if let Some(b) = &r.bands {
                    br; "Chấm điểm đảng viên theo thang 100: xuất sắc từ " (b.excellent) ", tốt từ " (b.good)
                    ", hoàn thành từ " (b.complete) " điểm. " span.muted { (b.note) }
                }
            }
        },
        Err(e) => html! { p.alert { (e) } },
    }
}

fn counts_table(c: &GradeCounts, pending: i64, what: &str) -> Markup {
    html! {
        div.table-wrap { table {
            caption { (what) }
            thead { tr { th { "Xếp loại" } th { "Số lượng" } } }
            tbody {
                @for g in Grade::ALL { tr { td { (g.label()) } td { (c.get(g)) } } }
                tr { td { "Chưa có kết quả" } td { (pending) } }
                tr { th scope="row" { "Tổng số" } td { (c.total() + pending) } }
            }
        } }
    }
}

const PROPOSAL_LABEL: &str = "Đề xuất cấp trên xếp loại tập thể (để trống: theo mức tự kiểm điểm)";

/// Which form failed, to show its errors beside it.
#[derive(Clone, Copy, PartialEq)]
enum Failed {
    None,
    Propose,
    Members,
    Units,
}

fn rec_code(r: Option<&RecordRow>, f: fn(&RecordRow) -> Option<&String>) -> Option<&str> {
    r.and_then(f).map(String::as_str)
}

/// A cell's members with their three stages, read-only.
fn members_table(b: &CellBlock) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { th { "Họ và tên" } th { "Tự đánh giá" } th { "Chi bộ đề xuất" } th { "Cấp ủy quyết định" } } }
            tbody { @for m in &b.members { @let r = m.record.as_ref(); tr {
                td { a href=(format!("/members/{}", m.member_id.0)) { (m.name) } @if m.probationary { " " span.muted { "(dự bị)" } } }
                td { (with_score(rec_code(r, |r| r.self_grade.as_ref()), r.and_then(|r| r.self_score))) }
                td { (with_score(rec_code(r, |r| r.proposed_grade.as_ref()), r.and_then(|r| r.proposed_score))) }
                td { (with_score(rec_code(r, |r| r.final_grade.as_ref()), r.and_then(|r| r.final_score))) }
            } } }
        } }
    }
}

fn body(pc: &PageCaller, v: &YearView, (failed, errors): (Failed, &[ValidationError])) -> Markup {
    let id = v.org.id;
    let y = v.year.get();
    let scored = v.regime.as_ref().is_ok_and(Regime::uses_score);
    let errs = |f: Failed| if failed == f { errors } else { &[] };
    let own_self = rec_code(v.own.as_ref(), |r| r.self_grade.as_ref());
    let own_proposed = rec_code(v.own.as_ref(), |r| r.proposed_grade.as_ref());
    // The proposal field is left empty while it follows the self-review, so
    // changing the self-review changes the proposal too.
    let proposal_field = own_proposed.filter(|p| Some(*p) != own_self).unwrap_or("");
    let own_final = rec_code(v.own.as_ref(), |r| r.final_grade.as_ref());
    html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.org.name) } }
        h1 { (title(v.year)) }
        p.muted { "Đảng viên tự đánh giá, chi bộ đề xuất, cấp ủy có thẩm quyền quyết định; tổ chức tự kiểm điểm và đề xuất, cấp ủy cấp trên quyết định; tập thể kiểm điểm trước cá nhân, cấp dưới và đảng viên xếp loại trước tổ chức (Quy định 124-QĐ/TW, Quy định 366-QĐ/TW)." }
        (years_nav(&format!("/orgs/{id}/classification"), v.year))
        (regime_box(&v.regime))
        h2 { "Kết quả trong " (v.org.name) }
        div.stats {
            div.stat { b { (v.counts.members.total()) } "đảng viên đã xếp loại" }
            @for g in Grade::ALL { div.stat { b { (v.counts.members.get(g)) } (g.short()) } }
            div.stat { b { (v.counts.orgs.good_or_better()) } "tổ chức tốt trở lên" }
        }
        (counts_table(&v.counts.members, v.counts.members_pending, "Đảng viên"))
        (counts_table(&v.counts.orgs, v.counts.orgs_pending, "Tổ chức đảng trực thuộc"))
        p { a.button.secondary href=(format!("/orgs/{id}/classification.xlsx?year={y}")) { "Xuất Excel" } }
        h2 { "Tập thể " (v.org.name) }
        p { "Tự kiểm điểm, xếp loại: " strong { (grade_text(own_self)) }
            " · Đề xuất với cấp trên: " strong { (grade_text(own_proposed)) }
            " · Cấp trên quyết định: " strong { (grade_text(own_final)) }
            @if let Some(r) = &v.own { @if !r.decision_ref.is_empty() { " (" (r.decision_ref) ")" } } }
        @if let Some(b) = &v.own_cell {
            h2 { "Đảng viên của chi bộ (" (b.members.len()) ")" }
            @if v.can_propose && v.regime.is_ok() && own_final.is_none() {
                form method="post" action=(format!("/orgs/{id}/classification/propose")) {
                    (csrf_field(&pc.csrf))
                    input type="hidden" name="year" value=(y);
                    (other_errors(errs(Failed::Propose), &[]))
                    (field("self_grade", "Chi bộ tự kiểm điểm, xếp loại tập thể", own_self.unwrap_or(""), Input::Select(&GRADES), &[]))
                    (field("proposed_grade", PROPOSAL_LABEL, proposal_field, Input::Select(&GRADES), &[]))
                    div.table-wrap { table {
                        thead { tr { th { "Họ và tên" } th { "Tự đánh giá" } th { "Chi bộ đề xuất" } @if scored { th { "Điểm" } } th { "Kết quả" } } }
                        tbody { @for m in &b.members { @let r = m.record.as_ref(); tr {
                            td { (m.name) @if m.probationary { " " span.muted { "(dự bị)" } } }
                            td { (with_score(rec_code(r, |r| r.self_grade.as_ref()), r.and_then(|r| r.self_score))) }
                            td { @if r.is_some_and(|r| r.final_grade.is_some()) { (grade_text(rec_code(r, |r| r.proposed_grade.as_ref()))) }
                                 @else { (grade_select(&format!("m{}", m.member_id.0), &format!("Đề xuất cho {}", m.name),
                                    rec_code(r, |r| r.proposed_grade.as_ref()).or(rec_code(r, |r| r.self_grade.as_ref())).unwrap_or(""))) } }
                            @if scored { td { (score_input(&format!("s{}", m.member_id.0), &format!("Điểm của {}", m.name),
                                r.and_then(|r| r.proposed_score.or(r.self_score)))) } }
                            td { (grade_text(rec_code(r, |r| r.final_grade.as_ref()))) }
                        } } }
                    } }
                    button type="submit" { "Ghi đề xuất của chi bộ" }
                }
            } @else {
                (members_table(b))
            }
        } @else if v.can_propose && v.regime.is_ok() && own_final.is_none() {
            form.card method="post" action=(format!("/orgs/{id}/classification/propose")) {
                (csrf_field(&pc.csrf))
                input type="hidden" name="year" value=(y);
                (other_errors(errs(Failed::Propose), &[]))
                (field("self_grade", "Tập thể tự kiểm điểm, xếp loại", own_self.unwrap_or(""), Input::Select(&GRADES), &[]))
                (field("proposed_grade", PROPOSAL_LABEL, proposal_field, Input::Select(&GRADES), &[]))
                button type="submit" { "Ghi tự đánh giá, đề xuất" }
            }
        }
        @if !v.decided_cells.is_empty() && v.can_list {
            h2 { "Đảng viên do " (v.org.name) " quyết định xếp loại" }
            @if v.can_decide && v.regime.is_ok() {
                form method="post" action=(format!("/orgs/{id}/classification/decide")) {
                    (csrf_field(&pc.csrf))
                    input type="hidden" name="year" value=(y);
                    (other_errors(errs(Failed::Members), &["decision_ref"]))
                    @for b in &v.decided_cells {
                        @let reviewed = b.record.as_ref().is_some_and(|r| r.self_grade.is_some());
                        h3 { a href=(format!("/orgs/{}/classification?year={y}", b.cell.id)) { (b.cell.name) } }
                        @let closed = b.record.as_ref().is_some_and(|r| r.final_grade.is_some());
                        @if !reviewed { p.muted { "Chi bộ chưa tự kiểm điểm tập thể: chưa quyết định được xếp loại đảng viên." } (members_table(b)) }
                        @else if closed { p.muted { "Chi bộ đã được quyết định xếp loại: kết quả của đảng viên không sửa được." } (members_table(b)) }
                        @else {
                            div.table-wrap { table {
                                thead { tr { th { "Họ và tên" } th { "Tự đánh giá" } th { "Chi bộ đề xuất" } th { "Quyết định" } @if scored { th { "Điểm" } } } }
                                tbody { @for m in &b.members { @let r = m.record.as_ref(); tr {
                                    td { (m.name) }
                                    td { (with_score(rec_code(r, |r| r.self_grade.as_ref()), r.and_then(|r| r.self_score))) }
                                    td { (with_score(rec_code(r, |r| r.proposed_grade.as_ref()), r.and_then(|r| r.proposed_score))) }
                                    td { @if r.is_some_and(|r| r.proposed_grade.is_some()) {
                                        (grade_select(&format!("m{}", m.member_id.0), &format!("Quyết định cho {}", m.name),
                                            rec_code(r, |r| r.final_grade.as_ref()).or(rec_code(r, |r| r.proposed_grade.as_ref())).unwrap_or("")))
                                    } @else { span.muted { "chưa đề xuất" } } }
                                    @if scored { td { @if r.is_some_and(|r| r.proposed_grade.is_some()) {
                                        (score_input(&format!("s{}", m.member_id.0), &format!("Điểm quyết định cho {}", m.name),
                                            r.and_then(|r| r.final_score.or(r.proposed_score))))
                                    } } }
                                } } }
                            } }
                        }
                    }
                    (field("decision_ref", "Số, ngày quyết định hoặc biên bản hội nghị cấp ủy", "", Input::Text, errs(Failed::Members)))
                    (field("override_reason", "Lý do vượt tỷ lệ xuất sắc (chỉ khi vượt)", "", Input::Text, &[]))
                    button type="submit" { "Quyết định xếp loại đảng viên" }
                }
            } @else {
                @for b in &v.decided_cells { h3 { (b.cell.name) } (members_table(b)) }
            }
        }
        @if !v.decided_units.is_empty() {
            h2 { "Tổ chức trực thuộc (" (v.decided_units.len()) ")" }
            form method="post" action=(format!("/orgs/{id}/classification/decide")) {
                (csrf_field(&pc.csrf))
                input type="hidden" name="year" value=(y);
                (other_errors(errs(Failed::Units), &["decision_ref"]))
                div.table-wrap { table {
                    thead { tr { th { "Tổ chức" } th { "Tự đánh giá" } th { "Đề xuất" } th { "Cấp trên quyết định" } } }
                    tbody { @for u in &v.decided_units { @let r = u.record.as_ref(); tr {
                        td { a href=(format!("/orgs/{}/classification?year={y}", u.node.id)) { (u.node.name) } }
                        td { (grade_text(rec_code(r, |r| r.self_grade.as_ref()))) }
                        td { (grade_text(rec_code(r, |r| r.proposed_grade.as_ref()))) }
                        td { @if v.can_decide && v.regime.is_ok() && own_final.is_none() && r.is_some_and(|r| r.self_grade.is_some() && r.proposed_grade.is_some()) {
                            (grade_select(&format!("o{}", u.node.id), &format!("Quyết định cho {}", u.node.name),
                                rec_code(r, |r| r.final_grade.as_ref()).or(rec_code(r, |r| r.proposed_grade.as_ref())).unwrap_or("")))
                        } @else { (grade_text(rec_code(r, |r| r.final_grade.as_ref()))) } }
                    } } }
                } }
                @if v.can_decide && v.regime.is_ok() && own_final.is_none() {
                    (field("decision_ref", "Số, ngày quyết định hoặc biên bản hội nghị cấp ủy", "", Input::Text, errs(Failed::Units)))
                    (field("override_reason", "Lý do vượt tỷ lệ xuất sắc (chỉ khi vượt)", "", Input::Text, &[]))
                    button type="submit" { "Quyết định xếp loại tổ chức" }
                }
            }
        }
    }
}

pub async fn show(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Markup, PageError> {
    let year = service::classification::page_year(&app, q.year);
    let v = service::classification::year_view(&app, &pc.caller, OrgId(id), year).await?;
    Ok(render(&pc, &title(year), body(&pc, &v, (Failed::None, &[]))).await)
}

pub async fn xlsx(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Response, PageError> {
    let year = service::classification::page_year(&app, q.year);
    let bytes = service::classification::xlsx(&app, &pc.caller, OrgId(id), year).await?;
    Ok(crate::web::api::meetings::xlsx_response(
        bytes,
        &format!("xep-loai-{}-{id}.xlsx", year.get()),
    ))
}

type Pairs = Vec<(String, String)>;

fn value<'a>(pairs: &'a Pairs, key: &str) -> &'a str {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map_or("", |(_, v)| v.as_str())
}

/// Selects named `{prefix}{id}`, in form order.
fn by_id(pairs: &Pairs, prefix: char) -> impl Iterator<Item = (i64, &str)> {
    pairs.iter().filter_map(move |(k, v)| {
        k.strip_prefix(prefix)
            .and_then(|n| n.parse().ok())
            .map(|n| (n, v.as_str()))
    })
}

fn scores(pairs: &Pairs) -> Result<std::collections::HashMap<i64, i64>, AppError> {
    let mut out = std::collections::HashMap::new();
    for (id, v) in by_id(pairs, 's') {
        match v.trim() {
            "" => {}
            s => {
                let n = s.parse().map_err(|_| {
                    AppError::invalid(ValidationError::new(
                        "members",
                        "Điểm",
                        "phải là một số từ 0 đến 100",
                    ))
                })?;
                out.insert(id, n);
            }
        }
    }
    Ok(out)
}

fn member_grades(pairs: &Pairs) -> Result<Vec<MemberGrade>, AppError> {
    let scores = scores(pairs)?;
    Ok(by_id(pairs, 'm')
        .filter(|(_, g)| !g.is_empty())
        .map(|(member_id, g)| MemberGrade {
            member_id,
            grade: g.to_string(),
            score: scores.get(&member_id).copied(),
        })
        .collect())
}

async fn back(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    year_input: &str,
    done: Result<usize, AppError>,
    failed: Failed,
) -> Response {
    let year = service::classification::year_of(app, year_input)
        .unwrap_or_else(|_| service::classification::page_year(app, None));
    match done {
        Ok(n) => {
            set_flash(&pc.session, format!("Đã ghi {n} kết quả.")).await;
            Redirect::to(&format!("/orgs/{id}/classification?year={}", year.get())).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match service::classification::year_view(app, &pc.caller, OrgId(id), year).await {
                Ok(v) => {
                    super::invalid_page(pc, &title(year), body(pc, &v, (failed, &errors))).await
                }
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn propose(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Response {
    let done = match member_grades(&pairs) {
        Ok(members) => {
            let input = ProposalInput {
                year: value(&pairs, "year").to_string(),
                self_grade: value(&pairs, "self_grade").to_string(),
                proposed_grade: value(&pairs, "proposed_grade").to_string(),
                members,
            };
            service::classification::propose(&app, &pc.caller, OrgId(id), &input).await
        }
        Err(e) => Err(e),
    };
    back(&app, &pc, id, value(&pairs, "year"), done, Failed::Propose).await
}

pub async fn decide(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Pairs>,
) -> Response {
    let orgs: Vec<OrgGrade> = by_id(&pairs, 'o')
        .filter(|(_, g)| !g.is_empty())
        .map(|(org_id, g)| OrgGrade {
            org_id,
            grade: g.to_string(),
        })
        .collect();
    let failed = if orgs.is_empty() {
        Failed::Members
    } else {
        Failed::Units
    };
    let done = match member_grades(&pairs) {
        Ok(members) => {
            let input = DecisionInput {
                year: value(&pairs, "year").to_string(),
                decision_ref: value(&pairs, "decision_ref").to_string(),
                override_reason: value(&pairs, "override_reason").to_string(),
                members,
                orgs,
            };
            service::classification::decide(&app, &pc.caller, OrgId(id), &input).await
        }
        Err(e) => Err(e),
    };
    back(&app, &pc, id, value(&pairs, "year"), done, failed).await
}

fn member_body(
    pc: &PageCaller,
    v: &service::classification::MemberYears,
    year: ClassYear,
    input: &SelfInput,
    errors: &[ValidationError],
) -> Markup {
    let id = v.member.id.0;
    let years: Vec<(String, String)> = (0..3)
        .map(|i| (year.get() - i).to_string())
        .map(|y| (y.clone(), format!("Năm {y}")))
        .collect();
    let year_opts: Vec<(&str, &str)> = years
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let score = input.score.map(|s| s.to_string()).unwrap_or_default();
    html! {
        nav.crumbs { a href=(format!("/members/{id}")) { (v.member.full_name) } }
        h1 { "Tự đánh giá, xếp loại hằng năm" }
        p.muted { "Đảng viên tự đánh giá; chi bộ đề xuất; cấp ủy có thẩm quyền quyết định. Từ năm 2025 (Quy định 366-QĐ/TW) đảng viên tự chấm điểm theo thang 100." }
        @if v.records.is_empty() { p { "Chưa có kết quả đánh giá nào." } }
        @else {
            div.table-wrap { table {
                thead { tr { th { "Năm" } th { "Tự đánh giá" } th { "Chi bộ đề xuất" } th { "Cấp ủy quyết định" } } }
                tbody { @for r in &v.records { tr {
                    td { (r.year) }
                    td { (with_score(r.self_grade.as_deref(), r.self_score)) }
                    td { (with_score(r.proposed_grade.as_deref(), r.proposed_score)) }
                    td { (with_score(r.final_grade.as_deref(), r.final_score)) @if !r.decision_ref.is_empty() { br; span.muted { (r.decision_ref) } } }
                } } }
            } }
        }
        @if v.can_self_assess {
            h2 { "Tự đánh giá" }
            form.card method="post" action=(format!("/members/{id}/classification")) {
                (csrf_field(&pc.csrf))
                (field("year", "Năm", &input.year, Input::Select(&year_opts), errors))
                (field("grade", "Tự xếp loại", &input.grade, Input::Select(&GRADES), errors))
                (field("score", "Điểm tự chấm (từ năm 2025, thang 100)", &score, Input::Numeric, errors))
                (other_errors(errors, &["year", "grade", "score"]))
                button type="submit" { "Ghi tự đánh giá" }
            }
        }
    }
}

pub async fn member(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    Query(q): Query<YearQuery>,
) -> Result<Markup, PageError> {
    let year = service::classification::page_year(&app, q.year);
    let v = service::classification::member_view(&app, &pc.caller, MemberId(id)).await?;
    let input = SelfInput {
        year: year.get().to_string(),
        ..SelfInput::default()
    };
    Ok(render(
        &pc,
        "Tự đánh giá, xếp loại",
        member_body(&pc, &v, year, &input, &[]),
    )
    .await)
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct SelfForm {
    year: String,
    grade: String,
    score: String,
}

pub async fn self_assess(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<SelfForm>,
) -> Response {
    let score = match f.score.trim() {
        "" => Ok(None),
        s => s.parse().map(Some).map_err(|_| {
            AppError::invalid(ValidationError::new(
                "score",
                "Điểm tự chấm",
                "phải là một số từ 0 đến 100",
            ))
        }),
    };
    let input = SelfInput {
        year: f.year.clone(),
        grade: f.grade.clone(),
        score: score.as_ref().ok().copied().flatten(),
    };
    let done = match score {
        Ok(_) => service::classification::self_assess(&app, &pc.caller, MemberId(id), &input).await,
        Err(e) => Err(e),
    };
    match done {
        Ok(()) => {
            set_flash(&pc.session, "Đã ghi tự đánh giá.").await;
            Redirect::to(&format!("/members/{id}/classification")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            let year = service::classification::year_of(&app, &f.year)
                .unwrap_or_else(|_| service::classification::page_year(&app, None));
            match service::classification::member_view(&app, &pc.caller, MemberId(id)).await {
                Ok(v) => {
                    super::invalid_page(
                        &pc,
                        "Tự đánh giá, xếp loại",
                        member_body(&pc, &v, year, &input, &errors),
                    )
                    .await
                }
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}
