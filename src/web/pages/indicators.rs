//! A node's targets and indicators, the roll-up of the nodes below it, and
//! the registry's yearly counts (docs/rules.md "Targets and indicators",
//! "Training of members").

use super::layout::{Input, csrf_field, field, other_errors};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::ids::OrgId;
use crate::domain::indicator::{Direction, Rollup, Unit, format_number};
use crate::domain::time::format_date;
use crate::service::indicator::{
    ActualInput, IndicatorView, NewIndicatorInput, TRAINING_LEVELS, TargetInput, TrainingInput,
    training_label,
};
use crate::service::{self, AppError};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

const TITLE: &str = "Chỉ tiêu, kết quả thực hiện";

/// The form that failed, to show its errors beside it.
#[derive(Clone, Copy, PartialEq)]
enum Failed {
    None,
    Create,
    Target(i64),
    Actual(i64),
    Training,
}

fn value(unit: Unit, v: f64, measure: &str) -> String {
    match unit {
        Unit::Percent => format!("{}%", format_number(v)),
        _ if measure.is_empty() => format_number(v),
        _ => format!("{} {measure}", format_number(v)),
    }
}

fn rollup_text(unit: Unit, r: &Rollup, measure: &str) -> String {
    match r {
        Rollup::Sum(v) => value(unit, *v, measure),
        Rollup::Rate {
            percent,
            numerator,
            denominator,
        } => format!(
            "{}% ({} / {})",
            format_number(*percent),
            format_number(*numerator),
            format_number(*denominator)
        ),
        Rollup::NotSummable => "không cộng được (thiếu tử số, mẫu số)".into(),
    }
}

fn indicator_card(
    pc: &PageCaller,
    id: OrgId,
    v: &IndicatorView,
    can_manage: bool,
    (failed, errors): (Failed, &[ValidationError]),
) -> Markup {
    let r = &v.row;
    let b = &v.baseline;
    let t_errs = if failed == Failed::Target(r.id) {
        errors
    } else {
        &[]
    };
    let a_errs = if failed == Failed::Actual(r.id) {
        errors
    } else {
        &[]
    };
    html! {
        div.card id=(format!("c{}", r.id)) {
            strong { (r.name) } " " span.badge { (r.code) } " " span.muted { (v.unit.label()) " · " (v.direction.label()) }
            br;
            span.muted {
                "Số liệu gốc: " (value(v.unit, b.value, &r.measure))
                @if let Some(n) = b.numerator { " (" (format_number(n)) @if let Some(d) = b.denominator { " / " (format_number(d)) } ")" }
                " ngày " (format_date(r.baseline_on.to_jiff()))
            }
            @if let Some(m) = r.resolution_meeting_id {
                br; span.muted { "Theo nghị quyết: " a href=(format!("/meetings/{m}")) { (r.resolution_title.as_deref().unwrap_or("Nghị quyết chuyên đề")) } }
            } @else if !r.resolution_ref.is_empty() {
                br; span.muted { "Theo: " (r.resolution_ref) }
            }
            @if !v.years.is_empty() {
                div.table-wrap { table {
                    thead { tr { th { "Năm" } th { "Chỉ tiêu" } th { "Kết quả" } th { "Tiến độ" } } }
                    tbody { @for y in &v.years { tr {
                        td { (y.year) }
                        td { @if let Some((ty, tv)) = y.target { (value(v.unit, tv, &r.measure)) @if ty != y.year { " (đến " (ty) ")" } } @else { "—" } }
                        td { @if let Some((p, av)) = y.actual { (value(v.unit, av, &r.measure)) @if p.months != 12 { " (" (p.label()) ")" } } @else { "—" } }
                        td {
                            @match (y.reached, y.progress) {
                                (Some(true), _) => { span.badge { "Đạt" } }
                                (Some(false), Some(p)) => { (format_number(p)) "% chặng đường" }
                                (Some(false), None) => { "Chưa đạt" }
                                _ => { "—" }
                            }
                        }
                    } } }
                } }
            }
            @if !v.actuals.is_empty() {
                details { summary { "Kết quả theo kỳ (" (v.actuals.len()) ")" }
                    ul.plain { @for (p, f) in &v.actuals { li {
                        (p.label()) ": " (value(v.unit, f.value, &r.measure))
                        @if let (Some(n), Some(d)) = (f.numerator, f.denominator) { " (" (format_number(n)) " / " (format_number(d)) ")" }
                    } } }
                }
            }
            @if !v.corrections.is_empty() {
                details { summary { "Số liệu đã được sửa (" (v.corrections.len()) ")" }
                    ul.plain { @for c in &v.corrections { li {
                        @if c.months == 12 && c.part == 0 { "Năm " (c.year) } @else if c.months == 3 { "Quý " (c.part) "/" (c.year) } @else { "Tháng " (c.part) "/" (c.year) }
                        ": " (value(v.unit, c.value, &r.measure)) " — " (c.username)
                    } } }
                }
            }
            @if can_manage {
                details open[!t_errs.is_empty()] {
                    summary { "Đặt chỉ tiêu năm" }
                    form method="post" action=(format!("/orgs/{id}/indicators/{}/targets", r.id)) {
                        (csrf_field(&pc.csrf))
                        (field("year", "Năm (chỉ tiêu \"đến năm 2020\" ghi năm 2020)", "", Input::Numeric, t_errs))
                        (field("value", "Chỉ tiêu", "", Input::Text, t_errs))
                        (other_errors(t_errs, &["year", "value"]))
                        button type="submit" { "Lưu chỉ tiêu" }
                    }
                }
                details open[!a_errs.is_empty()] {
                    summary { "Ghi kết quả thực hiện" }
                    form method="post" action=(format!("/orgs/{id}/indicators/{}/actuals", r.id)) {
                        (csrf_field(&pc.csrf))
                        (field("period", "Kỳ: năm (2018), quý (Q1/2019) hoặc tháng (03/2019)", "", Input::Text, a_errs))
                        (field("value", "Kết quả đạt được", "", Input::Text, a_errs))
                        @if v.unit == Unit::Percent {
                            (field("numerator", "Tử số (không bắt buộc)", "", Input::Text, a_errs))
                            (field("denominator", "Mẫu số (không bắt buộc)", "", Input::Text, a_errs))
                        }
                        (other_errors(a_errs, &["period", "value", "numerator", "denominator"]))
                        p.muted { "Sửa số liệu đã ghi: ghi lại kỳ đó; số cũ được giữ trong lịch sử." }
                        button type="submit" { "Ghi kết quả" }
                    }
                }
            }
        }
    }
}

async fn body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    (create, training): (&NewIndicatorInput, &TrainingInput),
    (failed, errors): (Failed, &[ValidationError]),
) -> Result<Markup, AppError> {
    let v = service::indicator::of_org(app, &pc.caller, id).await?;
    let units: Vec<(&str, &str)> = Unit::ALL.iter().map(|u| (u.code(), u.label())).collect();
    let directions: Vec<(&str, &str)> = Direction::ALL
        .iter()
        .map(|d| (d.code(), d.label()))
        .collect();
    let mut resolutions: Vec<(String, String)> = vec![(String::new(), "— Không —".into())];
    resolutions.extend(v.resolutions.iter().map(|r| {
        (
            r.id.to_string(),
            format!(
                "{} ({})",
                r.resolution_title,
                format_date(r.held_on.to_jiff())
            ),
        )
    }));
    let resolutions: Vec<(&str, &str)> = resolutions
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let c_errs = if failed == Failed::Create {
        errors
    } else {
        &[]
    };
    let tr_errs = if failed == Failed::Training {
        errors
    } else {
        &[]
    };
    let this_year = app.clock.today().year().to_string();
    let admissions: Vec<&(i32, i64)> = v.registry.admissions.iter().filter(|a| a.1 > 0).collect();
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (v.org.name) } }
        h1 { (TITLE) }
        p.no-print { a.button.secondary href=(format!("/orgs/{id}/indicators.xlsx")) { "Tải XLSX (chỉ tiêu và số liệu theo kỳ)" } }
        p.muted { "Chỉ tiêu do tổ chức đặt (có thể theo một nghị quyết chuyên đề): số liệu gốc, chỉ tiêu từng năm, kết quả theo năm, quý, tháng. Số liệu của các tổ chức trực thuộc cùng mã được cộng lại khi cộng được." }
        h2 { "Chỉ tiêu của " (v.org.name) " (" (v.own.len()) ")" }
        @if v.own.is_empty() { p { "Chưa đặt chỉ tiêu nào." } }
        @for i in &v.own { (indicator_card(pc, id, i, v.can_manage, (failed, errors))) }
        @if !v.rollups.is_empty() {
            h2 { "Tổng hợp từ các tổ chức trực thuộc" }
            @for r in &v.rollups {
                div.card {
                    strong { (r.name) } " " span.badge { (r.code) } " "
                    span.muted { (r.units.len()) " tổ chức: "
                        @for (i, (o, n)) in r.units.iter().enumerate() { @if i > 0 { ", " } a href=(format!("/orgs/{o}/indicators")) { (n) } } }
                    div.table-wrap { table {
                        thead { tr { th { "Năm" } th { "Kết quả cộng lại" } th { "Số tổ chức báo cáo" } th { "Chỉ tiêu cộng lại" } } }
                        tbody { @for (y, roll, n, target) in &r.years { tr {
                            td { (y) }
                            td { @if let Some(x) = roll { (rollup_text(r.unit, x, &r.measure)) } @else { "—" } }
                            td { (n) }
                            td { @if let Some(t) = target { (value(r.unit, *t, &r.measure)) } @else { "—" } }
                        } } }
                    } }
                }
            }
        }
        h2 { "Từ sổ đảng viên" }
        div.table-wrap { table {
            caption { "Kết nạp đảng viên mới theo năm (đảng viên có ngày vào Đảng trong năm, sinh hoạt trong tổ chức này vào cuối năm)" }
            thead { tr { th { "Năm" } th { "Số đảng viên kết nạp" } } }
            tbody {
                @if admissions.is_empty() { tr { td colspan="2" { "Chưa có đảng viên nào được kết nạp trong 12 năm gần đây." } } }
                @for (y, n) in admissions { tr { td { (y) } td { (n) } } }
            }
        } }
        div.table-wrap { table {
            caption { "Cử đi đào tạo, bồi dưỡng theo năm" }
            thead { tr { th { "Năm" } th { "Loại" } th { "Số người" } } }
            tbody {
                @if v.registry.training.is_empty() { tr { td colspan="3" { "Chưa ghi nhận." } } }
                @for (y, level, n) in &v.registry.training { tr { td { (y) } td { (training_label(level)) } td { (n) } } }
            }
        } }
        @if v.can_manage && v.org.dissolved_on().is_none() {
            details open[!c_errs.is_empty()] {
                summary { "Đặt chỉ tiêu mới" }
                form.card method="post" action=(format!("/orgs/{id}/indicators")) {
                    (csrf_field(&pc.csrf))
                    (field("code", "Mã chỉ tiêu (chữ không dấu, như BHYT): các tổ chức dùng cùng mã để cộng lại", &create.code, Input::Text, c_errs))
                    (field("name", "Tên chỉ tiêu", &create.name, Input::Text, c_errs))
                    (field("unit", "Loại chỉ tiêu", if create.unit.is_empty() { "percent" } else { &create.unit }, Input::Select(&units), c_errs))
                    (field("direction", "Chiều đánh giá (tỷ lệ hộ nghèo, số vụ vi phạm: càng thấp càng tốt)", if create.direction.is_empty() { "higher" } else { &create.direction }, Input::Select(&directions), c_errs))
                    (field("measure", "Đơn vị tính (người, ha, tấn …; không bắt buộc)", &create.measure, Input::Text, c_errs))
                    (field("baseline", "Số liệu gốc", &create.baseline, Input::Text, c_errs))
                    (field("baseline_numerator", "Tử số của số liệu gốc (tỷ lệ; không bắt buộc)", &create.baseline_numerator, Input::Text, c_errs))
                    (field("baseline_denominator", "Mẫu số của số liệu gốc (tỷ lệ; không bắt buộc)", &create.baseline_denominator, Input::Text, c_errs))
                    (field("baseline_on", "Ngày của số liệu gốc", &create.baseline_on, Input::Date, c_errs))
                    @if !v.resolutions.is_empty() {
                        (field("resolution_meeting_id", "Theo nghị quyết chuyên đề đã ký", &create.resolution_meeting_id, Input::Select(&resolutions), c_errs))
                    }
                    (field("resolution_ref", "Hoặc số, ký hiệu nghị quyết (như Nghị quyết chuyên đề số 57-NQ/ĐU)", &create.resolution_ref, Input::Text, c_errs))
                    (other_errors(c_errs, &["code", "name", "unit", "direction", "measure", "baseline", "baseline_numerator", "baseline_denominator", "baseline_on", "resolution_meeting_id", "resolution_ref"]))
                    button type="submit" { "Đặt chỉ tiêu" }
                }
            }
            details open[!tr_errs.is_empty()] {
                summary { "Ghi nhận cử đi đào tạo, bồi dưỡng" }
                form.card method="post" action=(format!("/orgs/{id}/training")) {
                    (csrf_field(&pc.csrf))
                    (field("member", "Đảng viên (chọn theo họ tên)", &training.member, Input::Suggest("training-members"), tr_errs))
                    datalist #training-members { @for (_, n) in &v.choices { option value=(n) {} } }
                    (field("course", "Khóa đào tạo, bồi dưỡng, nơi học", &training.course, Input::Text, tr_errs))
                    (field("level", "Loại", if training.level.is_empty() { "party_work" } else { &training.level }, Input::Select(&TRAINING_LEVELS), tr_errs))
                    (field("year", "Năm", if training.year.is_empty() { &this_year } else { &training.year }, Input::Numeric, tr_errs))
                    (field("started_on", "Từ ngày (không bắt buộc)", &training.started_on, Input::Date, tr_errs))
                    (field("ended_on", "Đến ngày (không bắt buộc)", &training.ended_on, Input::Date, tr_errs))
                    (other_errors(tr_errs, &["member", "course", "level", "year", "started_on", "ended_on"]))
                    button type="submit" { "Ghi nhận" }
                }
            }
        }
    })
}

pub async fn list(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let b = body(
        &app,
        &pc,
        OrgId(id),
        (&NewIndicatorInput::default(), &TrainingInput::default()),
        (Failed::None, &[]),
    )
    .await?;
    Ok(render(&pc, TITLE, b).await)
}

pub async fn xlsx(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let bytes = service::indicator::xlsx(&app, &pc.caller, OrgId(id)).await?;
    Ok(crate::web::api::meetings::xlsx_response(
        bytes,
        &format!("chi-tieu-{id}.xlsx"),
    ))
}

async fn done(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    result: Result<String, AppError>,
    (create, training): (&NewIndicatorInput, &TrainingInput),
    failed: Failed,
) -> Response {
    match result {
        Ok(anchor) => {
            set_flash(&pc.session, "Đã lưu.").await;
            Redirect::to(&format!("/orgs/{id}/indicators{anchor}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match body(app, pc, OrgId(id), (create, training), (failed, &errors)).await {
                Ok(b) => super::invalid_page(pc, TITLE, b).await,
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn create(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<NewIndicatorInput>,
) -> Response {
    let r = service::indicator::create(&app, &pc.caller, OrgId(id), &input)
        .await
        .map(|n| format!("#c{n}"));
    done(
        &app,
        &pc,
        id,
        r,
        (&input, &TrainingInput::default()),
        Failed::Create,
    )
    .await
}

pub async fn target(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, ind)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<TargetInput>,
) -> Response {
    let r = service::indicator::set_target(&app, &pc.caller, OrgId(id), ind, &input)
        .await
        .map(|()| format!("#c{ind}"));
    let none = (&NewIndicatorInput::default(), &TrainingInput::default());
    done(&app, &pc, id, r, none, Failed::Target(ind)).await
}

pub async fn actual(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, ind)): Path<(i64, i64)>,
    CsrfForm(input): CsrfForm<ActualInput>,
) -> Response {
    let r = service::indicator::record_actual(&app, &pc.caller, OrgId(id), ind, &input)
        .await
        .map(|()| format!("#c{ind}"));
    let none = (&NewIndicatorInput::default(), &TrainingInput::default());
    done(&app, &pc, id, r, none, Failed::Actual(ind)).await
}

pub async fn training(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<TrainingInput>,
) -> Response {
    let r = service::indicator::record_training(&app, &pc.caller, OrgId(id), &input)
        .await
        .map(|_| String::new());
    done(
        &app,
        &pc,
        id,
        r,
        (&NewIndicatorInput::default(), &input),
        Failed::Training,
    )
    .await
}
