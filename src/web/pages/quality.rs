//! A held meeting's quality page: the rubric in force on its day, the
//! cell's self-assessment and the review with points beside every
//! criterion, and the forms of both stages (docs/rules.md "Meeting quality
//! levels"). Also the helpers the rubric and score pages share.

use super::layout::{csrf_field, other_errors};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::document::Quality;
use crate::domain::rubric::score::{Answer, Answers, Context, Metrics, Scored, Source};
use crate::domain::rubric::{Criterion, Definition, Direction, Kind};
use crate::domain::time::format_date;
use crate::service::quality::meeting::{AssessInput, QualityView, Stage, StageView};
use crate::service::quality::rubric::Rubric;
use crate::service::{self, AppError};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use std::collections::HashMap;

/// "12,5" as the pages write points.
pub fn pts(x: f64) -> String {
    let s = format!("{:.1}", x);
    s.trim_end_matches(".0").replace('.', ",")
}

/// The rubric's heading: name, version, issuer, document, validity, and the
/// note (a local example is said to be one).
pub fn rubric_card(r: &Rubric, org_for_link: Option<i64>) -> Markup {
    let row = &r.row;
    html! {
        div.card {
            @match org_for_link {
                Some(o) => a href=(format!("/orgs/{o}/rubrics/{}", row.id)) { strong { (r.title()) } },
                None => strong { (r.title()) },
            }
            " " span.badge { (r.status.label()) }
            br; span.muted { "Cấp ban hành: " (row.org_name) }
            @if !row.document.is_empty() {
                br; span.muted { (row.document)
                    @if let Some(d) = row.document_date { " ngày " (format_date(d.to_jiff())) } }
            }
            @if let Some(f) = row.valid_from {
                br; span.muted { "Áp dụng từ " (format_date(f.to_jiff()))
                    @if let Some(t) = row.valid_to { " đến trước " (format_date(t.to_jiff())) } }
            }
            @if !row.note.is_empty() { p.alert { (row.note) } }
            p.muted { "Xếp loại: "
                @for (i, b) in r.definition.bands.iter().enumerate() {
                    @if i > 0 { "; " }
                    strong { (b.label) } " từ " (pts(b.min)) " điểm"
                }
                " (tổng " (pts(r.definition.total)) " điểm)."
            }
        }
    }
}

/// How a criterion is scored, in a few words.
pub fn rule_text(c: &Criterion) -> String {
    match &c.kind {
        Kind::Band {
            metric,
            direction,
            steps,
        } => {
            let op = match direction {
                Direction::AtLeast => "≥",
                Direction::AtMost => "≤",
            };
            let s: Vec<String> = steps
                .iter()
                .map(|s| format!("{op} {} → {}", pts(s.threshold), pts(s.points)))
                .collect();
            format!("{}: {}", metric.label(), s.join("; "))
        }
        Kind::YesNo {
            metric: Some(m),
            at_least,
        } => format!("{} ≥ {} → {}", m.label(), pts(*at_least), pts(c.max)),
        Kind::Pick { choices } => choices
            .iter()
            .map(|o| format!("{} {}", o.label, pts(o.points)))
            .collect::<Vec<_>>()
            .join("; "),
        _ => c.kind_label().to_string(),
    }
}

/// The criteria grouped, with points beside each (and the figure chibo
/// computed). A phone shows criterion and points; the rule column hides.
pub fn scored_table(def: &Definition, s: &Scored) -> Markup {
    html! {
        div.table-wrap { table {
            thead { tr { th { "Tiêu chí" } th.opt { "Cách chấm" } th { "Điểm" } } }
            tbody {
                @for (gi, g) in def.groups.iter().enumerate() {
                    @let gr = &s.groups[gi];
                    tr { th colspan="2" { (g.title) } th { (pts(gr.points)) "/" (pts(g.max)) } }
                    @for (c, l) in g.criteria.iter().zip(s.lines.iter().filter(|l| l.group == gi)) {
                        tr {
                            td { (c.title)
                                @if let Some(v) = l.value { br; span.muted { (c.kind.metric().map_or("Số liệu", |m| m.label())) ": " (pts(v)) } }
                                @if l.source != Source::Entered { " " span.badge { (l.source.label()) } } }
                            td.opt.muted { (rule_text(c)) }
                            td { @if l.source == Source::NotApplicable { "—" } @else { (pts(l.points)) "/" (pts(c.max)) } }
                        }
                    }
                }
                tr { th colspan="2" { "Tổng" } th { (pts(s.total)) @if let Some(b) = &s.band { " — " (b.label) } } }
            }
        } }
    }
}

/// The inputs of the criteria answered by hand; computed ones show their
/// figure. `prefill` gives earlier answers.
pub fn answer_inputs(
    def: &Definition,
    metrics: &Metrics,
    ctx: Context,
    prefill: &Answers,
    prefix: &str,
) -> Markup {
    html! {
        @for g in &def.groups {
            fieldset { legend { (g.title) " (" (pts(g.max)) " điểm)" }
                @for c in &g.criteria {
                    @let id = format!("{prefix}{}", c.key);
                    @let name = format!("a_{}", c.key);
                    @let computed = c.kind.metric().and_then(|m| metrics.get(&m));
                    @let applies = c.only_if.is_none() || ctx.thematic;
                    @if !applies {
                        p.muted { (c.title) ": không áp dụng" }
                    } @else if let Some(v) = computed {
                        p { (c.title) " — " span.badge { "tự tính: " (pts(*v)) } }
                    } @else {
                        label for=(id) { (c.title) " (" (pts(c.max)) ")" }
                        @match &c.kind {
                            Kind::Pick { choices } => {
                                select id=(id) name=(name) {
                                    option value="" { "— chọn —" }
                                    @for (i, o) in choices.iter().enumerate() {
                                        option value=(i) selected[prefill.get(&c.key) == Some(&Answer::Pick(i))] { (o.label) " — " (pts(o.points)) }
                                    }
                                }
                            }
                            Kind::Band { .. } => {
                                @let v = match prefill.get(&c.key) { Some(Answer::Value(v)) => pts(*v), _ => String::new() };
                                input id=(id) name=(name) inputmode="decimal" value=(v) placeholder=(c.kind.metric().map_or("", |m| m.label()));
                            }
                            _ => {
                                @let yes = matches!(prefill.get(&c.key), Some(Answer::Yes(true)));
                                @let no = matches!(prefill.get(&c.key), Some(Answer::Yes(false)));
                                select id=(id) name=(name) {
                                    option value="" { "— chọn —" }
                                    option value="yes" selected[yes] { "Có" }
                                    option value="no" selected[no] { "Không" }
                                }
                            }
                        }
                        p.muted { (rule_text(c)) }
                    }
                }
            }
        }
    }
}

fn level_label(code: &str) -> &str {
    match Quality::from_code(code) {
        Some(q) => q.label(),
        None => code,
    }
}

fn stage_summary(stage: Stage, s: Option<&StageView>) -> Markup {
    html! {
        div.stat {
            @match s {
                Some(s) => { b { (level_label(&s.row.level)) } (pts(f64::from(s.row.total_tenths) / 10.0)) " điểm — " (stage.label()) }
                None => { b { "—" } (stage.label()) ": chưa có" }
            }
        }
    }
}

async fn body(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    failed: Option<(Stage, &[ValidationError], &AssessInput)>,
) -> Result<Markup, AppError> {
    let v: QualityView = service::quality::meeting::view(app, &pc.caller, id).await?;
    let m = &v.meeting;
    let own_level = v.own.as_ref().map(|s| s.row.level.as_str());
    let review_level = v.review.as_ref().map(|s| s.row.level.as_str());
    let recorded = v.recorded.map(Quality::code);
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{}", m.org_id)) { (v.cell_name) } " › " a href=(format!("/meetings/{id}")) { "Buổi sinh hoạt ngày " (format_date(m.held_on.to_jiff())) } }
        h1 { "Chất lượng sinh hoạt ngày " (format_date(m.held_on.to_jiff())) }
        p.muted { "Bốn mức Tốt, Khá, Trung bình, Kém theo Hướng dẫn 12-HD/BTCTW ngày 06/7/2018 của Ban Tổ chức Trung ương; điểm và ngưỡng theo bộ tiêu chí của cấp ủy có hiệu lực ngày sinh hoạt. Chi bộ tự đánh giá, cấp ủy viên phụ trách hoặc cấp trên đánh giá lại." }
        @if m.status != "held" { p.alert { "Buổi sinh hoạt chưa diễn ra: chưa đánh giá chất lượng." } }
        @match &v.rubric {
            Some(r) => (rubric_card(r, Some(r.row.org_id.0))),
            None => p.alert { "Chưa có bộ tiêu chí đánh giá chất lượng sinh hoạt nào có hiệu lực ngày " (format_date(m.held_on.to_jiff())) " cho chi bộ này." },
        }
        div.stats {
            (stage_summary(Stage::SelfAssessment, v.own.as_ref()))
            (stage_summary(Stage::Review, v.review.as_ref()))
            div.stat { b { (recorded.map_or("—", level_label)) } "Ghi trong biên bản" }
        }
        @if let (Some(a), Some(b)) = (own_level, review_level) && a != b {
            p.alert { "Cấp trên đánh giá " strong { (level_label(b)) } ", khác mức chi bộ tự đánh giá (" (level_label(a)) "). Mức cuối cùng là mức cấp trên đánh giá." }
        }
        @if let (Some(a), Some(r)) = (own_level, recorded) && a != r {
            p.alert { "Biên bản ghi mức " strong { (level_label(r)) } ", khác mức theo phiếu chấm (" (level_label(a)) "): biên bản đã ký giữ nguyên mức đã ghi." }
        }
        @if let Some(r) = &v.rubric {
            @for (stage, s) in [(Stage::SelfAssessment, v.own.as_ref()), (Stage::Review, v.review.as_ref())] {
                @if let Some(s) = s {
                    h2 { (stage.label()) }
                    p.muted { (s.row.username) ", ngày " (format_date(s.row.assessed_on.to_jiff())) @if !s.row.note.is_empty() { " — " (s.row.note) } }
                    (scored_table(&r.definition, &s.scored))
                }
            }
            @for (stage, allowed) in [(Stage::SelfAssessment, v.can_self), (Stage::Review, v.can_review)] {
                @if allowed {
                    @let errs: &[ValidationError] = match failed { Some((st, e, _)) if st == stage => e, _ => &[] };
                    @let prefill = match (failed, stage) {
                        (Some((st, _, input)), _) if st == stage => input.answers.clone(),
                        (_, Stage::SelfAssessment) => v.own.as_ref().map(|s| s.answers.clone()).unwrap_or_default(),
                        (_, Stage::Review) => v.review.as_ref().or(v.own.as_ref()).map(|s| s.answers.clone()).unwrap_or_default(),
                    };
                    details open[!errs.is_empty()] {
                        summary { (stage.label()) @if stage == Stage::SelfAssessment && v.own.is_some() { " (chấm lại)" } }
                        form method="post" action=(format!("/meetings/{id}/quality/{}", stage.code())) {
                            (csrf_field(&pc.csrf))
                            (other_errors(errs, &[]))
                            (answer_inputs(&r.definition, &v.metrics, v.context, &prefill, &format!("{}-", stage.code())))
                            label for=(format!("{}-note", stage.code())) { "Nhận xét" }
                            textarea id=(format!("{}-note", stage.code())) name="note" rows="2" {}
                            button type="submit" { "Ghi kết quả " (stage.label().to_lowercase()) }
                        }
                    }
                }
            }
        }
    })
}

pub async fn page(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let b = body(&app, &pc, id, None).await?;
    Ok(render(&pc, "Chất lượng sinh hoạt", b).await)
}

async fn post(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    stage: Stage,
    form: &HashMap<String, String>,
) -> Response {
    let rubric = match service::quality::meeting::view(app, &pc.caller, id).await {
        Ok(v) => v.rubric,
        Err(e) => return PageError(e).into_response(),
    };
    let input = AssessInput::from_form(form, rubric.as_ref());
    match service::quality::meeting::assess(app, &pc.caller, id, stage, &input).await {
        Ok(s) => {
            set_flash(
                &pc.session,
                format!(
                    "Đã ghi: {} điểm, {}.",
                    pts(s.total),
                    s.band.map(|b| b.label).unwrap_or_default()
                ),
            )
            .await;
            Redirect::to(&format!("/meetings/{id}/quality")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match body(app, pc, id, Some((stage, &errors, &input))).await {
                Ok(b) => super::invalid_page(pc, "Chất lượng sinh hoạt", b).await,
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn assess_self(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    post(&app, &pc, id, Stage::SelfAssessment, &form).await
}

pub async fn review(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(form): CsrfForm<HashMap<String, String>>,
) -> Response {
    post(&app, &pc, id, Stage::Review, &form).await
}
