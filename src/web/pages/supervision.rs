//! Supervision rounds and visits (docs/rules.md "Supervision rounds and
//! unannounced visits"): a committee's rounds, a round's cadres and the
//! meetings they pick, a visit with its letter, briefing and report form
//! (made for a phone, 390 px wide).

use super::layout::{Input, csrf_field, field, other_errors};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::document::Quality;
use crate::domain::ids::OrgId;
use crate::domain::supervision::{Procedure, ReportInput};
use crate::domain::time::format_date;
use crate::service::supervision::{self as sv, CadresInput, PickInput, RoundInput};
use crate::service::{AppError, meeting as meetings};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Multipart, Path, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};

const SOURCE: &str =
    "Dự sinh hoạt chi bộ không báo trước (thực tiễn Huyện ủy Kim Sơn, Ninh Bình, từ tháng 9/2017).";

pub async fn rounds(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let b = rounds_body(&app, &pc, OrgId(id), &RoundInput::default(), &[]).await?;
    Ok(render(&pc, "Đợt dự sinh hoạt chi bộ", b).await)
}

async fn rounds_body(
    app: &AppState,
    pc: &PageCaller,
    id: OrgId,
    input: &RoundInput,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let r = sv::rounds(app, &pc.caller, id).await?;
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{id}")) { (r.org.name) } }
        h1 { "Đợt dự sinh hoạt chi bộ" }
        p.muted { (SOURCE) " Cán bộ được cử tự chọn buổi sinh hoạt đã đăng ký; chi bộ và cấp ủy cơ sở không được báo trước." }
        @if r.rounds.is_empty() { p { "Chưa có đợt nào." } }
        ul {
            @for x in &r.rounds {
                li { a href=(format!("/rounds/{}", x.id)) { (x.name) } " — " (x.scope_name) ", " (format_date(x.starts_on.to_jiff())) " – " (format_date(x.ends_on.to_jiff())) }
            }
        }
        h2 { "Lập đợt mới" }
        form.card method="post" action=(format!("/orgs/{id}/rounds")) {
            (csrf_field(&pc.csrf))
            (field("name", "Tên đợt", &input.name, Input::Text, errors))
            (field("purpose", "Mục đích, yêu cầu", &input.purpose, Input::Text, errors))
            (field("from", "Từ ngày", &input.from, Input::Date, errors))
            (field("to", "Đến ngày", &input.to, Input::Date, errors))
            (field("scope", "Phạm vi (tên tổ chức; để trống là toàn đảng bộ)", &input.scope, Input::Text, errors))
            label for="f-cadres" { "Cán bộ được cử (mỗi dòng một người: Họ tên — chi bộ nếu trùng tên | chức vụ)" }
            textarea #f-cadres name="cadres" rows="6" { (input.cadres) }
            (other_errors(errors, &["name", "purpose", "from", "to", "scope"]))
            button type="submit" { "Lập đợt" }
        }
    })
}

pub async fn create(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<RoundInput>,
) -> Response {
    match sv::create_round(&app, &pc.caller, OrgId(id), &input).await {
        Ok(r) => {
            set_flash(&pc.session, "Đã lập đợt dự sinh hoạt.").await;
            Redirect::to(&format!("/rounds/{r}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match rounds_body(&app, &pc, OrgId(id), &input, &errors).await {
                Ok(b) => super::invalid_page(&pc, "Đợt dự sinh hoạt chi bộ", b).await,
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

/// The rounds the signed-in member is sent on.
pub async fn mine(State(app): State<AppState>, pc: PageCaller) -> Result<Markup, PageError> {
    let rows = sv::my_rounds(&app, &pc.caller).await?;
    Ok(render(&pc, "Đi dự sinh hoạt chi bộ", html! {
        h1 { "Đi dự sinh hoạt chi bộ" }
        @if rows.is_empty() { p { "Đồng chí chưa được cử dự đợt nào." } }
        ul { @for x in &rows { li { a href=(format!("/rounds/{}", x.id)) { (x.name) } " — " (x.scope_name) ", đến " (format_date(x.ends_on.to_jiff())) } } }
    }).await)
}

pub async fn round(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let b = round_body(&app, &pc, id, &[]).await?;
    Ok(render(&pc, "Đợt dự sinh hoạt", b).await)
}

async fn round_body(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let v = sv::round_view(app, &pc.caller, id).await?;
    let r = &v.round;
    let choices: Vec<(String, String)> = v
        .candidates
        .iter()
        .map(|(m, cell)| {
            (
                m.id.to_string(),
                format!(
                    "{} {} — {} ({})",
                    format_date(m.held_on.to_jiff()),
                    m.start_time,
                    cell,
                    m.place
                ),
            )
        })
        .collect();
    let options: Vec<(&str, &str)> = choices
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    Ok(html! {
        @if v.can_plan { nav.crumbs { a href=(format!("/orgs/{}/rounds", r.org_id)) { (v.org.name) } } }
        h1 { (r.name) }
        p { "Phạm vi: " (r.scope_name) ". Từ " (format_date(r.starts_on.to_jiff())) " đến " (format_date(r.ends_on.to_jiff())) "." }
        @if !r.purpose.is_empty() { p { (r.purpose) } }
        @if v.can_plan { p { a.button href=(format!("/rounds/{id}/conclusion")) { "Thông báo kết luận đợt" } } }
        h2 { "Buổi dự" }
        @if v.visits.is_empty() { p { "Chưa chọn buổi nào." } }
        ul.cards {
            @for x in &v.visits {
                li { a href=(format!("/visits/{}", x.id)) { (format_date(x.held_on.to_jiff())) " " (x.start_time) " — " (x.cell_name) }
                     " · " (x.full_name) @if x.reported_at.is_some() { " · " span.badge { "Đã báo cáo" } } }
            }
        }
        @if v.is_cadre || v.can_plan {
            h2 { "Chọn buổi sinh hoạt" }
            @if options.is_empty() { p { "Không còn buổi sinh hoạt nào đã đăng ký trong phạm vi và thời gian của đợt." } }
            @else {
                form.card method="post" action=(format!("/rounds/{id}/visits")) {
                    (csrf_field(&pc.csrf))
                    (field("meeting_id", "Buổi sinh hoạt đã đăng ký", "", Input::Select(&options), errors))
                    @if v.can_plan { (field("cadre", "Cán bộ dự (họ tên; để trống nếu chính đồng chí đi dự)", "", Input::Text, errors)) }
                    (other_errors(errors, &["meeting_id", "cadre"]))
                    button type="submit" { "Chọn dự" }
                }
            }
        }
        h2 { "Cán bộ được cử (" (v.cadres.len()) ")" }
        ul { @for c in &v.cadres { li { (c.full_name) @if !c.position.is_empty() { ", " (c.position) } " — " (c.cell_name) } } }
        @if v.can_plan {
            form.card method="post" action=(format!("/rounds/{id}/cadres")) {
                (csrf_field(&pc.csrf))
                label for="f-cadres" { "Thêm cán bộ (mỗi dòng một người: Họ tên — chi bộ nếu trùng tên | chức vụ)" }
                textarea #f-cadres name="cadres" rows="3" {}
                (other_errors(errors, &["meeting_id", "cadre"]))
                button type="submit" { "Thêm" }
            }
        }
    })
}

async fn round_result(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    r: Result<String, AppError>,
    to: Option<String>,
) -> Response {
    match r {
        Ok(msg) => {
            set_flash(&pc.session, msg).await;
            Redirect::to(&to.unwrap_or(format!("/rounds/{id}"))).into_response()
        }
        Err(AppError::Invalid(errors)) => match round_body(app, pc, id, &errors).await {
            Ok(b) => super::invalid_page(pc, "Đợt dự sinh hoạt", b).await,
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn add_cadres(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<CadresInput>,
) -> Response {
    let r = sv::add_cadres(&app, &pc.caller, id, &input)
        .await
        .map(|n| format!("Đã thêm {n} cán bộ."));
    round_result(&app, &pc, id, r, None).await
}

#[derive(serde::Deserialize)]
pub struct PickForm {
    #[serde(default)]
    meeting_id: String,
    #[serde(default)]
    cadre: String,
}

pub async fn pick(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<PickForm>,
) -> Response {
    let input = PickInput {
        meeting_id: f.meeting_id.trim().parse().unwrap_or(0),
        cadre: f.cadre,
    };
    let r = sv::pick(&app, &pc.caller, id, &input).await;
    let to = r.as_ref().ok().map(|v| format!("/visits/{v}"));
    round_result(
        &app,
        &pc,
        id,
        r.map(|_| "Đã chọn buổi dự. In giấy giới thiệu để mang theo.".to_string()),
        to,
    )
    .await
}

pub async fn visit(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let b = visit_body(&app, &pc, id, None, &[]).await?;
    Ok(render(&pc, "Dự sinh hoạt chi bộ", b).await)
}

async fn visit_body(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    typed: Option<&ReportInput>,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let v = sv::visit_view(app, &pc.caller, id).await?;
    let x = &v.visit;
    let s = |o: &Option<i64>| o.map(|n| n.to_string()).unwrap_or_default();
    let (present, convened, started) = match typed {
        Some(t) => (
            t.present.clone(),
            t.convened.clone(),
            t.started_time.clone(),
        ),
        None if x.reported_at.is_some() => (
            s(&x.present),
            s(&x.convened),
            x.started_time.clone().unwrap_or_default(),
        ),
        None => (
            s(&v.prefill.0),
            s(&v.prefill.1),
            v.prefill.2.clone().unwrap_or_default(),
        ),
    };
    let on_time = typed
        .map(|t| t.on_time.as_str().unwrap_or_default().to_string())
        .or_else(|| {
            x.on_time
                .map(|b| if b { "yes".into() } else { "no".into() })
        })
        .unwrap_or_default();
    let procedure = typed
        .map(|t| t.procedure.clone())
        .or_else(|| x.procedure_kept.clone())
        .unwrap_or_default();
    let quality = typed
        .map(|t| t.quality.clone())
        .or_else(|| x.quality.clone())
        .unwrap_or_default();
    let raised = typed
        .map(|t| t.raised.clone())
        .unwrap_or_else(|| v.raised.join("\n"));
    let fixes = typed
        .map(|t| t.fixes.clone())
        .unwrap_or_else(|| x.fixes.clone());
    let yes_no = [("", "— chọn —"), ("yes", "Có"), ("no", "Không")];
    let topics: Vec<(&str, &str)> = crate::domain::recommendation::Topic::ALL
        .iter()
        .map(|t| (t.code(), t.label()))
        .collect();
    let procs: Vec<(&str, &str)> = std::iter::once(("", "— chọn —"))
        .chain(Procedure::ALL.iter().map(|p| (p.code(), p.label())))
        .collect();
    let quals: Vec<(&str, &str)> = std::iter::once(("", "— chọn —"))
        .chain(Quality::ALL.iter().map(|q| (q.code(), q.label())))
        .collect();
    Ok(html! {
        nav.crumbs { a href=(format!("/rounds/{}", v.round.id)) { (v.round.name) } }
        h1 { "Dự sinh hoạt " (x.cell_name) }
        p { strong { (format_date(x.held_on.to_jiff())) " lúc " (x.start_time) } @if !x.place.is_empty() { ", " (x.place) } }
        p { "Cán bộ dự: " strong { (x.full_name) } @if !x.position.is_empty() { ", " (x.position) } }
        p { a.button href=(format!("/visits/{id}/letter.docx")) { "Giấy giới thiệu số " (x.letter_number) " (DOCX)" } }
        h2 { "Tài liệu thông tin cấp trên" }
        p.muted { "Kết quả tháng trước, kế hoạch tháng tới, thông tin hội nghị báo cáo viên. Chi bộ thấy tài liệu sau buổi sinh hoạt." }
        @if let Some(n) = &x.briefing_name { p { a href=(format!("/visits/{id}/briefing")) { (n) } } }
        form.card method="post" action=(format!("/visits/{id}/briefing")) enctype="multipart/form-data" {
            (csrf_field(&pc.csrf))
            label for="briefing-file" { "Tệp tài liệu" }
            input #briefing-file type="file" name="file" accept=".pdf,.docx";
            p.muted { "PDF hoặc DOCX, tối đa " (meetings::MAX_DOCUMENT_BYTES / 1024 / 1024) " MB." }
            button.secondary type="submit" { "Tải lên" }
        }
        h2 { "Báo cáo kết quả dự sinh hoạt" }
        @if x.reported_at.is_some() { p { span.badge { "Đã báo cáo" } } }
        @if v.can_report {
            form.card method="post" action=(format!("/visits/{id}/report")) {
                (csrf_field(&pc.csrf))
                (field("on_time", "Bắt đầu đúng giờ", &on_time, Input::Select(&yes_no), errors))
                (field("started_time", "Giờ bắt đầu (HH:MM)", &started, Input::Numeric, errors))
                (field("procedure", "Thực hiện quy trình", &procedure, Input::Select(&procs), errors))
                (field("present", "Số đảng viên có mặt", &present, Input::Numeric, errors))
                (field("convened", "Số đảng viên triệu tập", &convened, Input::Numeric, errors))
                (field("quality", "Chất lượng nội dung", &quality, Input::Select(&quals), errors))
                label for="f-raised" { "Ý kiến, kiến nghị của đảng viên (mỗi dòng một ý)" }
                textarea #f-raised name="raised" rows="5" { (raised) }
                label for="f-fixes" { "Những điều cần khắc phục" }
                textarea #f-fixes name="fixes" rows="4" { (fixes) }
                (other_errors(errors, &["on_time", "started_time", "procedure", "present", "convened", "quality"]))
                button type="submit" { "Gửi báo cáo" }
            }
        } @else if v.is_cadre {
            p { "Đồng chí báo cáo sau khi dự buổi sinh hoạt." }
        } @else if x.reported_at.is_some() {
            (report_summary(x, &v.raised))
        } @else {
            p { "Cán bộ chưa báo cáo." }
        }
        @if v.is_cadre && x.reported_at.is_some() && !v.raised.is_empty() {
            h2 { "Chuyển ý kiến thành kiến nghị" }
            @if v.carried > 0 {
                p { "Đã chuyển " (v.carried) " kiến nghị lên cấp ủy cử đồng chí dự." }
            } @else {
                form.card method="post" action=(format!("/visits/{id}/recommendations")) {
                    (csrf_field(&pc.csrf))
                    p.muted { "Mỗi ý kiến trong báo cáo thành một kiến nghị của chi bộ, gửi ngay cấp ủy cử đồng chí dự để phân công trả lời." }
                    (field("topic", "Lĩnh vực", "", Input::Select(&topics), &[]))
                    button type="submit" { "Chuyển " (v.raised.len()) " kiến nghị" }
                }
            }
        }
    })
}

pub async fn carry_up(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<CarryInput>,
) -> Response {
    match crate::service::recommendation::raise_from_visit(&app, &pc.caller, id, &input.topic).await
    {
        Ok(ids) => {
            set_flash(&pc.session, format!("Đã chuyển {} kiến nghị.", ids.len())).await;
            Redirect::to(&format!("/visits/{id}")).into_response()
        }
        Err(e) => PageError(e).into_response(),
    }
}

#[derive(serde::Deserialize, Default)]
pub struct CarryInput {
    #[serde(default)]
    topic: String,
}

fn report_summary(x: &crate::store::supervision::VisitRow, raised: &[String]) -> Markup {
    html! {
        ul {
            li { "Đúng giờ: " (if x.on_time == Some(true) { "Có" } else { "Không" }) @if let Some(t) = &x.started_time { " (bắt đầu " (t) ")" } }
            li { "Quy trình: " (x.procedure_kept.as_deref().and_then(Procedure::from_code).map(Procedure::label).unwrap_or("")) }
            li { "Có mặt: " (x.present.unwrap_or(0)) "/" (x.convened.unwrap_or(0)) }
            li { "Chất lượng nội dung: " (x.quality.as_deref().and_then(Quality::from_code).map(Quality::label).unwrap_or("")) }
        }
        @if !raised.is_empty() { p { "Ý kiến, kiến nghị:" } ol { @for l in raised { li { (l) } } } }
        @if !x.fixes.is_empty() { p { "Cần khắc phục: " (x.fixes) } }
    }
}

pub async fn report(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(input): CsrfForm<ReportInput>,
) -> Response {
    match sv::file_report(&app, &pc.caller, id, &input).await {
        Ok(()) => {
            set_flash(&pc.session, "Đã gửi báo cáo.").await;
            Redirect::to(&format!("/visits/{id}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            match visit_body(&app, &pc, id, Some(&input), &errors).await {
                Ok(b) => super::invalid_page(&pc, "Dự sinh hoạt chi bộ", b).await,
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn upload_briefing(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Response {
    let r = async {
        let (name, bytes) =
            super::import::read_upload(mp, Some(&pc.csrf), meetings::MAX_DOCUMENT_BYTES).await?;
        sv::upload_briefing(&app, &pc.caller, id, &name, &bytes)
            .await
            .map(|_| name)
    }
    .await;
    match r {
        Ok(name) => {
            set_flash(&pc.session, format!("Đã đính kèm {name}.")).await;
            Redirect::to(&format!("/visits/{id}")).into_response()
        }
        Err(AppError::Invalid(errors)) => match visit_body(&app, &pc, id, None, &errors).await {
            Ok(b) => super::invalid_page(&pc, "Dự sinh hoạt chi bộ", b).await,
            Err(e) => PageError(e).into_response(),
        },
        Err(e) => PageError(e).into_response(),
    }
}

pub async fn briefing(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (name, content_type, data) = sv::briefing(&app, &pc.caller, id).await?;
    Ok((
        [
            (header::CONTENT_TYPE, content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", name.replace('"', "")),
            ),
        ],
        data,
    )
        .into_response())
}

pub async fn letter(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    let (name, bytes) = sv::letter_docx(&app, &pc.caller, id).await?;
    Ok(crate::web::api::meetings::docx_response(bytes, name))
}

/// "Đại biểu dự" on the meeting page: the cadres who attended, their
/// reports and the briefing they brought (shown once the meeting has taken
/// place; `visits` is empty before).
pub fn meeting_visits(visits: &[sv::VisitShown]) -> Markup {
    html! {
        @for x in visits {
            section.card {
                p { "Đại biểu dự: " strong { (x.cadre) } @if !x.position.is_empty() { ", " (x.position) } }
                @if x.reported {
                    ul {
                        li { "Đúng giờ: " (if x.on_time == Some(true) { "Có" } else { "Không" }) @if let Some(t) = &x.started_time { " (bắt đầu " (t) ")" } }
                        @if let Some(p) = &x.procedure { li { "Quy trình: " (p) } }
                        li { "Có mặt: " (x.present.unwrap_or(0)) "/" (x.convened.unwrap_or(0)) }
                        @if let Some(q) = &x.quality { li { "Chất lượng nội dung: " (q) } }
                    }
                    @if !x.raised.is_empty() { p { "Ý kiến, kiến nghị của đảng viên:" } ol { @for l in &x.raised { li { (l) } } } }
                    @if !x.fixes.is_empty() { p { "Cần khắc phục: " (x.fixes) } }
                }
                @if let Some(n) = &x.briefing { p { "Tài liệu thông tin: " a href=(format!("/visits/{}/briefing", x.visit_id)) { (n) } } }
            }
        }
    }
}
