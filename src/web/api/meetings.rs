//! The meeting cycle over JSON (issue #4 point 8).

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service::meeting::{
    self as meetings, AttendanceInput, ComplianceReport, MeetingOut, MeetingPatch, MeetingStats,
    NewMeetingInput, NoticeResult, ScheduleInput, TaskInput, TaskReview,
};
use crate::service::{self, AppError};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct RangeQuery {
    /// YYYY-MM-DD; 1 January of this year when absent.
    #[param(format = Date)]
    pub from: Option<String>,
    /// YYYY-MM-DD, not before `from`; 31 December of this year when absent.
    #[param(format = Date)]
    pub to: Option<String>,
}

fn range(app: &AppState, q: &RangeQuery) -> Result<(Date, Date), AppError> {
    let year = app.clock.today().year();
    let parse = |v: &Option<String>, default: Date, field: &'static str| match v
        .as_deref()
        .map(str::trim)
    {
        None | Some("") => Ok(default),
        Some(s) => crate::domain::time::parse_date(s).ok_or_else(|| {
            AppError::invalid(crate::domain::ValidationError::new(
                field,
                "Ngày",
                "không hợp lệ (YYYY-MM-DD)",
            ))
        }),
    };
    let from = parse(&q.from, jiff::civil::date(year, 1, 1), "from")?;
    let to = parse(&q.to, jiff::civil::date(year, 12, 31), "to")?;
    if to < from {
        return Err(AppError::invalid(crate::domain::ValidationError::new(
            "to",
            "Đến ngày",
            "phải sau ngày bắt đầu",
        )));
    }
    Ok((from, to))
}

/// Meetings of the cells under a node in a period, by date.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meetings", tag = "meetings", params(("id" = i64, Path), RangeQuery), security(("bearer" = [])),
    responses((status = 200, body = [MeetingOut]), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> Result<Json<Vec<MeetingOut>>, ApiError> {
    let (from, to) = range(&app, &q)?;
    let rows = meetings::list(&app, &c, OrgId(id), from, to).await?;
    Ok(Json(rows.iter().map(MeetingOut::from).collect()))
}

/// Adds a meeting to a cell's calendar: thematic (topic, presenters), ad hoc, model, self-criticism or regular.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/meetings", tag = "meetings", params(("id" = i64, Path)), request_body = NewMeetingInput, security(("bearer" = [])),
    responses((status = 201, body = MeetingOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<NewMeetingInput>,
) -> Result<(StatusCode, Json<MeetingOut>), ApiError> {
    let mid = meetings::create(&app, &c, OrgId(id), &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(MeetingOut::from(&meetings::get(&app, &c, mid).await?)),
    ))
}

#[derive(Deserialize, ToSchema)]
pub struct PlanRequest {
    #[schema(minimum = 2000, maximum = 2100)]
    pub year: i16,
}

#[derive(Serialize, ToSchema)]
pub struct Planned {
    /// Ids of the regular meetings created (months that had one are skipped).
    pub created: Vec<i64>,
}

/// Lays out the year's regular meetings from the cell's registered rule.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/meetings/plan", tag = "meetings", params(("id" = i64, Path)), request_body = PlanRequest, security(("bearer" = [])),
    responses((status = 200, body = Planned), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn plan(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(req): ApiJson<PlanRequest>,
) -> Result<Json<Planned>, ApiError> {
    Ok(Json(Planned {
        created: meetings::plan_year(&app, &c, OrgId(id), req.year).await?,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct ScheduleOut {
    pub day_of_month: i8,
    pub time: String,
    pub place: String,
}

impl From<crate::domain::schedule::Recurrence> for ScheduleOut {
    fn from(r: crate::domain::schedule::Recurrence) -> Self {
        ScheduleOut {
            day_of_month: r.day_of_month,
            time: crate::domain::schedule::format_time(r.time),
            place: r.place,
        }
    }
}

/// The cell's registered regular-meeting rule (default: the 3rd at 19:30).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/schedule", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = ScheduleOut), (status = 404, body = ErrorBody)))]
pub async fn schedule(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<ScheduleOut>, ApiError> {
    Ok(Json(meetings::schedule(&app, &c, OrgId(id)).await?.into()))
}

#[utoipa::path(put, path = "/api/v1/orgs/{id}/schedule", tag = "meetings", params(("id" = i64, Path)), request_body = ScheduleInput, security(("bearer" = [])),
    responses((status = 200, body = ScheduleOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn set_schedule(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<ScheduleInput>,
) -> Result<Json<ScheduleOut>, ApiError> {
    Ok(Json(
        meetings::set_schedule(&app, &c, OrgId(id), &input)
            .await?
            .into(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// Defaults to this year.
    #[param(minimum = 2000, maximum = 2100)]
    pub year: Option<i16>,
}

/// Meetings planned and held, thematic coverage, attendance and speakers, overdue tasks, for the subtree.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/meeting-stats", tag = "meetings", params(("id" = i64, Path), YearQuery), security(("bearer" = [])),
    responses((status = 200, body = MeetingStats), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn stats(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<MeetingStats>, ApiError> {
    let year = q.year.unwrap_or_else(|| app.clock.today().year());
    Ok(Json(
        meetings::meeting_stats(&app, &c, OrgId(id), year).await?,
    ))
}

/// What the rules ask and what each cell of the subtree met, shortfalls first.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/compliance", tag = "meetings", params(("id" = i64, Path), YearQuery), security(("bearer" = [])),
    responses((status = 200, body = ComplianceReport), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn compliance(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<ComplianceReport>, ApiError> {
    let year = q.year.unwrap_or_else(|| app.clock.today().year());
    Ok(Json(meetings::compliance(&app, &c, OrgId(id), year).await?))
}

fn ics_response(body: String) -> Response {
    (
        [(header::CONTENT_TYPE, "text/calendar; charset=utf-8")],
        body,
    )
        .into_response()
}

/// The meetings of the node's cells as an iCalendar feed (last year to next year).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/calendar.ics", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
pub async fn calendar_ics(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    Ok(ics_response(
        service::meeting::feed::org_feed(&app, &c, OrgId(id)).await?,
    ))
}

/// The calendars registered by every cell under the node, as XLSX.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/calendar.xlsx", tag = "meetings", params(("id" = i64, Path), RangeQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn calendar_xlsx(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<RangeQuery>,
) -> Result<Response, ApiError> {
    let (from, to) = range(&app, &q)?;
    let bytes = service::meeting::feed::calendar_xlsx(&app, &c, OrgId(id), from, to).await?;
    Ok(xlsx_response(bytes, &format!("lich-sinh-hoat-{id}.xlsx")))
}

pub fn xlsx_response(bytes: Vec<u8>, name: &str) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet".to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

/// The signed-in member's meetings as an iCalendar feed.
#[utoipa::path(get, path = "/api/v1/me/calendar.ics", tag = "meetings", security(("bearer" = [])),
    responses((status = 200, content_type = "text/calendar", body = String), (status = 404, body = ErrorBody)))]
pub async fn my_calendar(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
) -> Result<Response, ApiError> {
    Ok(ics_response(
        service::meeting::feed::member_feed(&app, &c).await?,
    ))
}

/// One meeting with everything recorded about it.
#[utoipa::path(get, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = meetings::MeetingDetail), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<meetings::MeetingDetail>, ApiError> {
    let v = meetings::view(&app, &c, id).await?;
    Ok(Json(meetings::MeetingDetail::new(&v, app.clock.today())))
}

/// Changes an unsigned meeting: date (with `move_reason`), time, place, record, vote… Signed minutes answer 409.
#[utoipa::path(patch, path = "/api/v1/meetings/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = MeetingPatch, security(("bearer" = [])),
    responses((status = 200, body = MeetingOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn patch(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(p): ApiJson<MeetingPatch>,
) -> Result<Json<MeetingOut>, ApiError> {
    Ok(Json(MeetingOut::from(
        &meetings::patch(&app, &c, id, &p).await?,
    )))
}

#[derive(Deserialize, ToSchema)]
pub struct AgendaItemInput {
    /// Blank titles are dropped; at least one item must remain.
    #[schema(min_length = 1, pattern = r"\S")]
    pub title: String,
    /// A member of the meeting's cell.
    #[schema(minimum = 1)]
    pub presenter_id: Option<i64>,
}

/// Replaces the agenda of an unsigned meeting.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/agenda", tag = "meetings", params(("id" = i64, Path)), request_body = Vec<AgendaItemInput>, security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn agenda(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(items): ApiJson<Vec<AgendaItemInput>>,
) -> Result<StatusCode, ApiError> {
    let items: Vec<(String, Option<i64>)> = items
        .into_iter()
        .map(|i| (i.title, i.presenter_id))
        .collect();
    meetings::set_agenda(&app, &c, id, &items).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records the roll call: present, absent with or without reason, exempt; who spoke; guests.
#[utoipa::path(put, path = "/api/v1/meetings/{id}/attendance", tag = "meetings", params(("id" = i64, Path)), request_body = AttendanceInput, security(("bearer" = [])),
    responses((status = 200, body = meetings::TallyOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn attendance(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AttendanceInput>,
) -> Result<Json<meetings::TallyOut>, ApiError> {
    Ok(Json(
        meetings::set_attendance(&app, &c, id, &input).await?.into(),
    ))
}

/// Notifies the cell's members in the app and queues the emails (with the ICS
/// invitation) in the outbox, in one transaction; the mail worker sends them.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/notice", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = NoticeResult), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn notice(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<NoticeResult>, ApiError> {
    Ok(Json(meetings::send_notice(&app, &c, id).await?))
}

/// How many failed mails were queued again.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct MailRetryOut {
    pub requeued: u64,
}

/// Queues the meeting's mails that could not be sent (state `failed`) again,
/// with a fresh count of attempts; their delivery shows in the meeting's `mail`.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/mail/retry", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = MailRetryOut), (status = 404, body = ErrorBody)))]
pub async fn mail_retry(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MailRetryOut>, ApiError> {
    Ok(Json(MailRetryOut {
        requeued: service::outbox::retry_failed(&app, &c, id).await?,
    }))
}

/// Signs the minutes; afterwards they change only by amendment.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/sign", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = MeetingOut), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn sign(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MeetingOut>, ApiError> {
    Ok(Json(MeetingOut::from(&meetings::sign(&app, &c, id).await?)))
}

#[derive(Deserialize, ToSchema)]
pub struct AmendmentInput {
    /// 1 to 5000 characters once trimmed.
    #[schema(min_length = 1, max_length = 5000, pattern = r"\S")]
    pub body: String,
}

#[derive(Serialize, ToSchema)]
pub struct CreatedId {
    pub id: i64,
}

/// Records a correction to signed minutes, shown beside the original.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/amendments", tag = "meetings", params(("id" = i64, Path)), request_body = AmendmentInput, security(("bearer" = [])),
    responses((status = 201, body = CreatedId), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn amend(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(a): ApiJson<AmendmentInput>,
) -> Result<(StatusCode, Json<CreatedId>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(CreatedId {
            id: meetings::add_amendment(&app, &c, id, &a.body).await?,
        }),
    ))
}

/// Adds a task of the resolution for a member (or a group), with a deadline and households in charge.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/tasks", tag = "meetings", params(("id" = i64, Path)), request_body = TaskInput, security(("bearer" = [])),
    responses((status = 201, body = CreatedId), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn add_task(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(t): ApiJson<TaskInput>,
) -> Result<(StatusCode, Json<CreatedId>), ApiError> {
    Ok((
        StatusCode::CREATED,
        Json(CreatedId {
            id: meetings::add_task(&app, &c, id, &t).await?,
        }),
    ))
}

/// Records the review of a task (done / not done / still open).
#[utoipa::path(patch, path = "/api/v1/tasks/{id}", tag = "meetings", params(("id" = i64, Path)), request_body = TaskReview, security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review_task(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(r): ApiJson<TaskReview>,
) -> Result<StatusCode, ApiError> {
    meetings::review_task(&app, &c, id, &r).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records that the signed resolution went to the upper committee today.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/report", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 204), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody)))]
pub async fn report(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<StatusCode, ApiError> {
    meetings::report_resolution(&app, &c, id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Attaches a PDF or DOCX (multipart field "file", at most 10 MB).
#[utoipa::path(post, path = "/api/v1/meetings/{id}/documents", tag = "meetings", params(("id" = i64, Path)),
    request_body(content = crate::web::api::members::ImportUpload, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 201, body = CreatedId), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn upload(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    mp: Multipart,
) -> Result<(StatusCode, Json<CreatedId>), ApiError> {
    meetings::authorize(&app, &c, crate::domain::authz::Action::ManageMeetings, id).await?;
    let (name, bytes) =
        crate::web::pages::import::read_upload(mp, None, meetings::MAX_DOCUMENT_BYTES).await?;
    Ok((
        StatusCode::CREATED,
        Json(CreatedId {
            id: meetings::upload_document(&app, &c, id, &name, &bytes).await?,
        }),
    ))
}

/// Downloads a meeting document.
#[utoipa::path(get, path = "/api/v1/documents/{id}", tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, content_type = "application/octet-stream", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn document(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Response, ApiError> {
    Ok(download(meetings::document(&app, &c, id).await?))
}

pub fn download((row, data): (crate::store::meeting::DocumentRow, Vec<u8>)) -> Response {
    (
        [
            (header::CONTENT_TYPE, row.content_type),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{}\"", row.filename.replace('"', "")),
            ),
        ],
        data,
    )
        .into_response()
}

pub fn docx_response(bytes: Vec<u8>, name: String) -> Response {
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_string(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response()
}

macro_rules! docx_endpoint {
    ($name:ident, $path:literal, $render:path, $file:literal, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(get, path = $path, tag = "meetings", params(("id" = i64, Path)), security(("bearer" = [])),
            responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.wordprocessingml.document", body = Vec<u8>), (status = 404, body = ErrorBody)))]
        pub async fn $name(State(app): State<AppState>, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>) -> Result<Response, ApiError> {
            let doc = meetings::meeting_doc(&app, &c, id).await?;
            let bytes = $render(&doc).map_err(AppError::Internal)?;
            Ok(docx_response(bytes, format!($file, id)))
        }
    };
}

docx_endpoint!(
    minutes_docx,
    "/api/v1/meetings/{id}/minutes.docx",
    crate::docs::docx::minutes,
    "bien-ban-{}.docx",
    "The minutes in the party document format (Hướng dẫn 36-HD/VPTW on the layout of party documents)."
);
docx_endpoint!(
    resolution_docx,
    "/api/v1/meetings/{id}/resolution.docx",
    crate::docs::docx::resolution,
    "nghi-quyet-{}.docx",
    "The resolution in the party document format."
);
docx_endpoint!(
    notice_docx,
    "/api/v1/meetings/{id}/notice.docx",
    crate::docs::docx::notice,
    "thong-bao-{}.docx",
    "The notice of the meeting."
);

/// The member's home: upcoming meetings, documents, open tasks, notices.
#[utoipa::path(get, path = "/api/v1/me/home", tag = "meetings", security(("bearer" = [])),
    responses((status = 200, body = meetings::HomeOut), (status = 401, body = ErrorBody)))]
pub async fn home(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
) -> Result<Json<meetings::HomeOut>, ApiError> {
    let h = meetings::member_home(&app, &c).await?;
    Ok(Json(
        h.as_ref()
            .map(|h| meetings::HomeOut::new(h, app.clock.today()))
            .unwrap_or_default(),
    ))
}
