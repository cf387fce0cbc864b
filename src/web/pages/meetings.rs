//! One meeting, from preparation to signed minutes: the secretary's screen
//! (issue #4 points 3–6), usable on a phone.

use super::layout::{Input, csrf_field, field};
use super::{render, set_flash};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::document::Quality;
use crate::domain::meeting::{Presence, TaskStatus};
use crate::domain::time::format_date;
use crate::service::AppError;
use crate::service::meeting::{
    self as meetings, AttendanceEntry, AttendanceInput, GuestInput, MeetingPatch, MeetingView,
    TaskInput, TaskReview,
};
use crate::web::error::PageError;
use crate::web::extract::{CsrfForm, PageCaller};
use axum::extract::{Multipart, Path, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, PreEscaped, html};
use serde::Deserialize;

pub async fn show(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Markup, PageError> {
    let v = meetings::view(&app, &pc.caller, id).await?;
    let body = body(&app, &pc, &v, &[]).await?;
    Ok(render(&pc, "Buổi sinh hoạt", body).await)
}

fn paragraphs(text: &str) -> Markup {
    html! { @for p in text.split("\n\n").filter(|p| !p.trim().is_empty()) { p { (p.trim()) } } }
}

async fn body(
    app: &AppState,
    pc: &PageCaller,
    v: &MeetingView,
    errors: &[ValidationError],
) -> Result<Markup, AppError> {
    let m = &v.meeting;
    let id = m.id;
    let manage = v.can_manage;
    let signed = m.signed_at.is_some();
    let editable = manage && !signed;
    let csrf = pc.csrf.as_str();
    let today = app.clock.today();
    let member_opts: Vec<(String, String)> = std::iter::once((String::new(), "—".to_string()))
        .chain(
            v.members
                .iter()
                .map(|x| (x.id.to_string(), x.full_name.clone())),
        )
        .collect();
    let opts: Vec<(&str, &str)> = member_opts
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let t = &v.tally;
    let quality_opts: Vec<(&str, &str)> = std::iter::once(("", "— (chưa đánh giá)"))
        .chain(Quality::ALL.iter().map(|q| (q.code(), q.label())))
        .collect();
    let quality = m.quality.as_deref().and_then(Quality::from_code);
    let numbers = &v.numbers;
    let recs = crate::service::recommendation::for_meeting(app, &pc.caller, m).await?;
    Ok(html! {
        nav.crumbs { a href=(format!("/orgs/{}", v.cell.id)) { (v.cell.name) } " › " a href=(format!("/orgs/{}/meetings?year={}", v.cell.id, m.held_on.to_jiff().year())) { "Lịch sinh hoạt" } }
        h1 { (meetings::kind(m).label()) " ngày " (format_date(m.held_on.to_jiff())) }
        p {
            (m.start_time) ", " (m.place)
            @if !m.topic.is_empty() { br; "Chuyên đề: " strong { (m.topic) } }
            br;
            span.badge { (crate::domain::meeting::status_label(&m.status)) }
            @if let Some(n) = m.notice_sent_on { " " span.badge { "Đã thông báo " (format_date(n.to_jiff())) } }
            @if let Some(n) = numbers.notice { " " span.badge { "Thông báo số " (n) } }
            @if signed { " " span.badge { "Biên bản đã ký (biên bản số " (numbers.minutes.unwrap_or(m.number)) @if let Some(r) = numbers.resolution { ", nghị quyết số " (r) } ")" } }
        }
        @for mv in &v.moves { p.muted { "Dời từ " (format_date(mv.from_on.to_jiff())) " sang " (format_date(mv.to_on.to_jiff())) ": " (mv.reason) } }
        p {
            a href=(format!("/meetings/{id}/print/notice")) { "Thông báo (in)" } " · "
            a href=(format!("/meetings/{id}/print/minutes")) { "Biên bản (in)" } " · "
            a href=(format!("/meetings/{id}/print/resolution")) { "Nghị quyết (in)" } " · "
            a href=(format!("/meetings/{id}/minutes.docx")) { "Biên bản DOCX" } " · "
            a href=(format!("/meetings/{id}/resolution.docx")) { "Nghị quyết DOCX" } " · "
            a href=(format!("/meetings/{id}/notice.docx")) { "Thông báo DOCX" } " · "
            a href=(format!("/meetings/{id}/quality")) { "Chất lượng (phiếu chấm)" }
        }

        @if !v.open_tasks.is_empty() {
            h2 { "Kiểm điểm nhiệm vụ tháng trước (" (v.open_tasks.len()) ")" }
            div.table-wrap { table {
                thead { tr { th { "Nhiệm vụ" } th { "Người thực hiện" } th { "Thời hạn" } @if editable { th { "Đánh giá" } } } }
                tbody { @for task in &v.open_tasks { tr {
                    td { (task.title) @if !task.households.is_empty() { br; span.muted { (task.households) } } }
                    td { (task.assignee.clone().unwrap_or_else(|| task.group_name.clone())) }
                    td { @if let Some(d) = task.deadline { (format_date(d.to_jiff())) @if d.to_jiff() < today { " " span.badge { "quá hạn" } } } }
                    @if editable { td { form.inline method="post" action=(format!("/tasks/{}/review", task.id)) {
                        (csrf_field(csrf))
                        input type="hidden" name="reviewed_in" value=(id);
                        select name="status" aria-label="Kết quả" { option value="done" { "Hoàn thành" } option value="not_done" { "Không hoàn thành" } option value="open" { "Tiếp tục" } }
                        input name="result" placeholder="Kết quả" aria-label="Kết quả";
                        button type="submit" { "Ghi" }
                    } } }
                } } }
            } }
        }

        h2 { "Chương trình" }
        ol { @for a in &v.agenda { li { (a.title) @if let Some(p) = &a.presenter { " — " em { (p) } } } } }
        @if editable {
            details {
                summary { "Sửa chương trình" }
                form.card method="post" action=(format!("/meetings/{id}/agenda")) {
                    (csrf_field(csrf))
                    label for="agenda" { "Mỗi dòng một nội dung" }
                    textarea #agenda name="agenda" rows="8" { @for a in &v.agenda { (a.title) "\n" } }
                    button type="submit" { "Lưu chương trình" }
                }
            }
        }

        (super::preparation::agreement(v, csrf, editable, errors))

        (super::recommendations::meeting_section(id, &recs, csrf, editable, errors))

        h2 { "Tài liệu" }
        ul { @for d in &v.documents { li { a href=(format!("/documents/{}", d.id)) { (d.filename) } " " span.muted { (d.size_bytes / 1024) " KB · SHA-256 " (d.sha256.get(..12).unwrap_or("")) "…" } } } }
        @if v.documents.is_empty() { p.muted { "Chưa có tài liệu." } }
        @if editable {
            form.card method="post" action=(format!("/meetings/{id}/documents")) enctype="multipart/form-data" {
                (csrf_field(csrf))
                label for="file" { "Đính kèm PDF hoặc DOCX (tối đa " (meetings::MAX_DOCUMENT_BYTES / 1024 / 1024) " MB)" }
                input #file type="file" name="file" accept=".pdf,.docx" required;
                button type="submit" { "Tải lên" }
            }
            form method="post" action=(format!("/meetings/{id}/notice")) {
                (csrf_field(csrf))
                button type="submit" { "Gửi thông báo cho đảng viên" }
            }
        }
        @if let Some(d) = &v.mail { (super::mail::section(app, id, d, csrf)) }

        h2 { "Điểm danh" }
        p { "Có mặt " strong { (t.present) "/" (t.convened) } ", vắng có lý do " (t.absent_excused) ", không lý do " (t.absent_unexcused) ", miễn sinh hoạt " (t.exempt) "; phát biểu " (t.speakers) " (" (format!("{:.0}%", t.speaker_share() * 100.0)) ")." }
        (super::participation::meeting(t, &v.groups))
        (super::supervision::meeting_visits(&v.visits))
        @if !v.guests.is_empty() { p { "Đại biểu cấp trên: " @for (i, (n, p)) in v.guests.iter().enumerate() { @if i > 0 { "; " } (n) @if !p.is_empty() { " (" (p) ")" } } } }
        @if editable {
            form.card method="post" action=(format!("/meetings/{id}/attendance")) data-offline="attendance" data-meeting=(id) data-version=(m.version) {
                (csrf_field(csrf))
                div.table-wrap { table {
                    thead { tr { th { "Đảng viên" } th { "Điểm danh" } th { "Lý do vắng" } th { "Phát biểu" } } }
                    tbody { @for (i, mem) in v.members.iter().enumerate() {
                        @let rec = v.attendance.iter().find(|a| a.member_id == mem.id);
                        @let cur = rec.map(|a| a.presence.as_str()).unwrap_or(if mem.status == "exempt" { "exempt" } else { "present" });
                        tr {
                            td { input type="hidden" name=(format!("m{i}")) value=(mem.id); (mem.full_name) }
                            td { select name=(format!("p{i}")) aria-label=(format!("Điểm danh {}", mem.full_name)) {
                                @for p in Presence::ALL { option value=(p.code()) selected[p.code() == cur] { (p.label()) } }
                            } }
                            td { input name=(format!("r{i}")) value=(rec.map(|a| a.reason.as_str()).unwrap_or("")) aria-label="Lý do"; }
                            td { input type="checkbox" name=(format!("s{i}")) value="1" checked[rec.is_some_and(|a| a.spoke)] aria-label=(format!("{} phát biểu", mem.full_name)); }
                        }
                    } }
                } }
                (super::follower_roll::form_rows(v))
                label for="guests" { "Đại biểu cấp trên (mỗi dòng: Họ tên - Chức vụ)" }
                textarea #guests name="guests" rows="2" { @for (n, p) in &v.guests { (n) " - " (p) "\n" } }
                button type="submit" { "Lưu điểm danh" }
            }
        } @else {
            ul { @for a in &v.attendance { li { (a.full_name) ": " (Presence::from_code(&a.presence).map(Presence::label).unwrap_or("")) @if !a.reason.is_empty() { " (" (a.reason) ")" } @if a.spoke { " · phát biểu" } } } }
            (super::follower_roll::list(v))
        }

        h2 { "Biên bản" }
        @if editable {
            form.card method="post" action=(format!("/meetings/{id}/edit")) data-offline="minutes" data-meeting=(id) data-version=(m.version) {
                (csrf_field(csrf))
                (field("date", "Ngày họp", &format_date(m.held_on.to_jiff()), Input::Date, errors))
                (field("move_reason", "Lý do dời lịch (khi đổi ngày)", "", Input::Text, errors))
                (field("started_time", "Giờ bắt đầu", m.started_time.as_deref().unwrap_or(""), Input::Text, errors))
                (field("ended_time", "Giờ kết thúc", m.ended_time.as_deref().unwrap_or(""), Input::Text, errors))
                (field("chair_id", "Chủ trì", &m.chair_id.map(|x| x.to_string()).unwrap_or_default(), Input::Select(&opts), errors))
                (field("recorder_id", "Thư ký", &m.recorder_id.map(|x| x.to_string()).unwrap_or_default(), Input::Select(&opts), errors))
                label for="proceedings" { "Diễn biến (báo cáo, ý kiến từng người, kết luận)" }
                textarea #proceedings name="proceedings" rows="6" { (m.proceedings) }
                label for="conclusion" { "Kết luận của chủ trì" }
                textarea #conclusion name="conclusion" rows="3" { (m.conclusion) }
                (field("resolution_title", "Tên nghị quyết", &m.resolution_title, Input::Text, errors))
                label for="resolution_text" { "Nội dung nghị quyết" }
                textarea #resolution_text name="resolution_text" rows="4" { (m.resolution_text) }
                (field("vote_for", "Biểu quyết: tán thành", &m.vote_for.map(|x| x.to_string()).unwrap_or_default(), Input::Text, errors))
                (field("vote_against", "Không tán thành", &m.vote_against.map(|x| x.to_string()).unwrap_or_default(), Input::Text, errors))
                (field("vote_abstain", "Không biểu quyết", &m.vote_abstain.map(|x| x.to_string()).unwrap_or_default(), Input::Text, errors))
                (field("quality", "Chi bộ tự đánh giá chất lượng buổi sinh hoạt", m.quality.as_deref().unwrap_or(""), Input::Select(&quality_opts), errors))
                button type="submit" { "Lưu biên bản" }
            }
        } @else {
            p { "Chủ trì: " (v.name_of(m.chair_id).unwrap_or_default()) "; thư ký: " (v.name_of(m.recorder_id).unwrap_or_default()) }
            div.card { (paragraphs(&m.proceedings)) @if !m.conclusion.is_empty() { p { strong { "Kết luận: " } (m.conclusion) } } }
            @if let Some(f) = m.vote_for { p { "Biểu quyết: " (f) " tán thành, " (m.vote_against.unwrap_or(0)) " không tán thành, " (m.vote_abstain.unwrap_or(0)) " không biểu quyết." } }
            p { "Chi bộ tự đánh giá chất lượng buổi sinh hoạt: " (quality.map(Quality::label).unwrap_or("chưa đánh giá")) "." }
        }

        h2 { "Nhiệm vụ theo nghị quyết" }
        ul { @for task in &v.tasks { li {
            (task.title) " — " (task.assignee.clone().unwrap_or_else(|| task.group_name.clone()))
            @if let Some(d) = task.deadline { ", hạn " (format_date(d.to_jiff())) }
            @if !task.households.is_empty() { " (" (task.households) ")" }
            " " span.badge { (TaskStatus::from_code(&task.status).map(TaskStatus::label).unwrap_or("")) }
        } } }
        @if manage {
            details {
                summary { "Giao nhiệm vụ" }
                form.card method="post" action=(format!("/meetings/{id}/tasks")) {
                    (csrf_field(csrf))
                    (field("member_id", "Đảng viên", "", Input::Select(&opts), errors))
                    (field("group_name", "hoặc nhóm", "", Input::Text, errors))
                    (field("title", "Nhiệm vụ", "", Input::Text, errors))
                    (field("deadline", "Thời hạn", "", Input::Date, errors))
                    (field("households", "Hộ phụ trách", "", Input::Text, errors))
                    button type="submit" { "Giao" }
                }
            }
        }

        @if editable {
            form method="post" action=(format!("/meetings/{id}/sign")) {
                (csrf_field(csrf))
                button type="submit" { "Ký biên bản" }
            }
        }
        @if signed {
            h2 { "Đính chính" }
            @for a in &v.amendments { div.card { p.muted { (app.clock.zoned(a.at.to_jiff()).strftime("%d/%m/%Y %H:%M")) " — " (a.username) } p { (a.body) } } }
            @if v.amendments.is_empty() { p.muted { "Chưa có đính chính." } }
            @if manage {
                form.card method="post" action=(format!("/meetings/{id}/amend")) {
                    (csrf_field(csrf))
                    label for="amend" { "Nội dung đính chính (biên bản đã ký không sửa được)" }
                    textarea #amend name="body" rows="3" data-meeting=(id) {}
                    button type="submit" { "Ghi đính chính" }
                }
                @if m.resolution_sent_on.is_none() {
                    form method="post" action=(format!("/meetings/{id}/report")) { (csrf_field(csrf)) button.secondary type="submit" { "Đã gửi nghị quyết lên cấp trên" } }
                }
            }
        }
        (PreEscaped(""))
    })
}

/// Re-renders the meeting with field errors, or redirects with a message.
pub(super) async fn after(
    app: &AppState,
    pc: &PageCaller,
    id: i64,
    result: Result<String, AppError>,
) -> Response {
    match result {
        Ok(msg) => {
            set_flash(&pc.session, msg).await;
            Redirect::to(&format!("/meetings/{id}")).into_response()
        }
        Err(AppError::Invalid(errors)) => {
            let view = meetings::view(app, &pc.caller, id).await;
            match view {
                Ok(v) => match body(app, pc, &v, &errors).await {
                    Ok(b) => {
                        let msg: Vec<String> = errors.iter().map(ToString::to_string).collect();
                        let b = html! { p.alert role="alert" { (msg.join("; ")) } (b) };
                        super::invalid_page(pc, "Buổi sinh hoạt", b).await
                    }
                    Err(e) => PageError(e).into_response(),
                },
                Err(e) => PageError(e).into_response(),
            }
        }
        Err(e) => PageError(e).into_response(),
    }
}

fn opt_i64(s: &str, field: &'static str, label: &'static str) -> Result<Option<i64>, AppError> {
    match s.trim() {
        "" => Ok(None),
        v => v.parse().map(Some).map_err(|_| {
            AppError::invalid(ValidationError::new(field, label, "phải là số nguyên"))
        }),
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct EditForm {
    date: String,
    move_reason: String,
    started_time: String,
    ended_time: String,
    chair_id: String,
    recorder_id: String,
    proceedings: String,
    conclusion: String,
    resolution_title: String,
    resolution_text: String,
    vote_for: String,
    vote_against: String,
    vote_abstain: String,
    quality: String,
}

/// The minutes form as a change (also sent later by a phone that was offline).
pub(super) fn edit_patch(f: &EditForm) -> Result<MeetingPatch, AppError> {
    Ok(MeetingPatch {
        date: Some(f.date.clone()),
        move_reason: Some(f.move_reason.clone()),
        started_time: Some(f.started_time.clone()),
        ended_time: Some(f.ended_time.clone()),
        chair_id: opt_i64(&f.chair_id, "chair_id", "Chủ trì")?,
        recorder_id: opt_i64(&f.recorder_id, "recorder_id", "Thư ký")?,
        proceedings: Some(f.proceedings.clone()),
        conclusion: Some(f.conclusion.clone()),
        resolution_title: Some(f.resolution_title.clone()),
        resolution_text: Some(f.resolution_text.clone()),
        vote_for: opt_i64(&f.vote_for, "vote", "Biểu quyết")?,
        vote_against: opt_i64(&f.vote_against, "vote", "Biểu quyết")?,
        vote_abstain: opt_i64(&f.vote_abstain, "vote", "Biểu quyết")?,
        quality: Some(f.quality.clone()),
        ..Default::default()
    })
}

pub async fn edit(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<EditForm>,
) -> Response {
    let result = async {
        let patch = edit_patch(&f)?;
        meetings::patch(&app, &pc.caller, id, &patch)
            .await
            .map(|_| "Đã lưu biên bản.".to_string())
    }
    .await;
    after(&app, &pc, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AgendaForm {
    agenda: String,
}

pub async fn agenda(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<AgendaForm>,
) -> Response {
    let r = meetings::set_agenda_lines(&app, &pc.caller, id, &f.agenda)
        .await
        .map(|_| "Đã lưu chương trình.".to_string());
    after(&app, &pc, id, r).await
}

/// The roll-call form posts m{i} (member), p{i} (presence), r{i} (reason), s{i} (spoke).
pub(super) fn attendance_input(pairs: Vec<(String, String)>) -> AttendanceInput {
    // One pass into a map (the first value of a name wins): a lookup per
    // field keeps parsing linear in the form's size.
    let mut fields: std::collections::HashMap<String, String> =
        std::collections::HashMap::with_capacity(pairs.len());
    for (name, value) in pairs {
        fields.entry(name).or_insert(value);
    }
    let get = |k: String| fields.get(&k).cloned();
    let mut entries = Vec::new();
    for i in 0..fields.len() {
        let Some(member) = get(format!("m{i}")) else {
            break;
        };
        entries.push(AttendanceEntry {
            member_id: member.parse().unwrap_or(-1),
            presence: get(format!("p{i}")).unwrap_or_default(),
            reason: get(format!("r{i}")).unwrap_or_default(),
            spoke: get(format!("s{i}")).is_some(),
        });
    }
    let guests = get("guests".into())
        .unwrap_or_default()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| {
            let (n, p) = l.split_once(" - ").unwrap_or((l, ""));
            GuestInput {
                name: n.to_string(),
                position: p.to_string(),
            }
        })
        .collect();
    let followers = super::follower_roll::parse(get);
    AttendanceInput {
        entries,
        guests,
        followers,
    }
}

pub async fn attendance(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> Response {
    let input = attendance_input(pairs);
    let r = meetings::set_attendance(&app, &pc.caller, id, &input)
        .await
        .map(|t| format!("Đã lưu điểm danh: {}/{} có mặt.", t.present, t.convened));
    after(&app, &pc, id, r).await
}

pub async fn notice(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = meetings::send_notice(&app, &pc.caller, id).await.map(|n| {
        format!(
            "Đã thông báo cho {} đảng viên và {} cán bộ theo dõi; {} email đã vào hàng chờ gửi.",
            n.notified, n.followers, n.emailed
        )
    });
    after(&app, &pc, id, r).await
}

pub async fn sign(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = meetings::sign(&app, &pc.caller, id)
        .await
        .map(|m| format!("Đã ký biên bản số {}.", m.number));
    after(&app, &pc, id, r).await
}

pub async fn report(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(_): CsrfForm<super::Empty>,
) -> Response {
    let r = meetings::report_resolution(&app, &pc.caller, id)
        .await
        .map(|_| "Đã ghi nhận gửi nghị quyết.".to_string());
    after(&app, &pc, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct AmendForm {
    body: String,
}

pub async fn amend(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<AmendForm>,
) -> Response {
    let r = meetings::add_amendment(&app, &pc.caller, id, &f.body)
        .await
        .map(|_| "Đã ghi đính chính.".to_string());
    after(&app, &pc, id, r).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct TaskForm {
    member_id: String,
    group_name: String,
    title: String,
    deadline: String,
    households: String,
}

pub async fn add_task(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    CsrfForm(f): CsrfForm<TaskForm>,
) -> Response {
    let result = async {
        let input = TaskInput {
            member_id: opt_i64(&f.member_id, "member_id", "Đảng viên")?,
            group_name: f.group_name.clone(),
            title: f.title.clone(),
            deadline: f.deadline.clone(),
            households: f.households.clone(),
        };
        meetings::add_task(&app, &pc.caller, id, &input)
            .await
            .map(|_| "Đã giao nhiệm vụ.".to_string())
    }
    .await;
    after(&app, &pc, id, result).await
}

#[derive(Deserialize, Default)]
#[serde(default)]
pub struct ReviewForm {
    status: String,
    result: String,
    reviewed_in: Option<i64>,
}

pub async fn review(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(task): Path<i64>,
    CsrfForm(f): CsrfForm<ReviewForm>,
) -> Response {
    let back = f.reviewed_in.unwrap_or_default();
    let r = meetings::review_task(
        &app,
        &pc.caller,
        task,
        &TaskReview {
            status: f.status,
            result: f.result,
            reviewed_in: f.reviewed_in,
        },
    )
    .await
    .map(|_| "Đã đánh giá nhiệm vụ.".to_string());
    after(&app, &pc, back, r).await
}

pub async fn upload(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
    mp: Multipart,
) -> Response {
    let result = async {
        let (name, bytes) =
            super::import::read_upload(mp, Some(&pc.csrf), meetings::MAX_DOCUMENT_BYTES).await?;
        meetings::upload_document(&app, &pc.caller, id, &name, &bytes)
            .await
            .map(|_| format!("Đã đính kèm {name}."))
    }
    .await;
    after(&app, &pc, id, result).await
}

pub async fn document(
    State(app): State<AppState>,
    pc: PageCaller,
    Path(id): Path<i64>,
) -> Result<Response, PageError> {
    Ok(crate::web::api::meetings::download(
        meetings::document(&app, &pc.caller, id).await?,
    ))
}

/// Printable HTML of the notice, minutes or resolution.
pub async fn print(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, which)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let doc = meetings::meeting_doc(&app, &pc.caller, id).await?;
    let html = match which.as_str() {
        "minutes" => crate::docs::meeting_html::minutes_html(&doc),
        "resolution" => crate::docs::meeting_html::resolution_html(&doc),
        "notice" => crate::docs::meeting_html::notice_html(&doc),
        _ => return Err(PageError(AppError::NotFound)),
    };
    Ok(axum::response::Html(html).into_response())
}

/// DOCX downloads for the page (session), same documents as the API.
pub async fn docx(
    State(app): State<AppState>,
    pc: PageCaller,
    Path((id, which)): Path<(i64, String)>,
) -> Result<Response, PageError> {
    let doc = meetings::meeting_doc(&app, &pc.caller, id).await?;
    let (bytes, name) = match which.as_str() {
        "minutes.docx" => (
            crate::docs::docx::minutes(&doc),
            format!("bien-ban-{id}.docx"),
        ),
        "resolution.docx" => (
            crate::docs::docx::resolution(&doc),
            format!("nghi-quyet-{id}.docx"),
        ),
        "notice.docx" => (
            crate::docs::docx::notice(&doc),
            format!("thong-bao-{id}.docx"),
        ),
        _ => return Err(PageError(AppError::NotFound)),
    };
    let bytes = bytes.map_err(AppError::Internal)?;
    Ok((
        [
            (
                axum::http::header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                axum::http::header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
