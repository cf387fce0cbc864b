use crate::app::AppState;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::member::{MemberDraft, MemberPatch};
use crate::service::{
    self,
    import::ImportSummary,
    member::{MemberOut, TransferInput},
};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath, ApiQuery, clamp_page};
use axum::Json;
use axum::extract::{Multipart, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MemberListQuery {
    /// Part of the name (case, accents and Unicode form ignored), a card number or a 12-digit Số CCCD (first 200 characters).
    pub q: Option<String>,
    /// 1-based page.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
    /// Members a page: 50 by default, at most 200 (a whole cell in one answer).
    #[param(minimum = 1, maximum = 200)]
    pub page_size: Option<i64>,
    /// active (default) | all | a status code
    #[param(schema_with = crate::web::openapi::member_filter)]
    pub status: Option<String>,
}

/// Members registered in the subtree, in Vietnamese order (given name, then
/// full name), 50 a page or `page_size` up to 200. Totals are in the X-Total-Count and X-Page-Count headers.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/members", tag = "members", params(("id" = i64, Path), MemberListQuery), security(("bearer" = [])),
    responses((status = 200, body = [MemberOut], headers(("X-Total-Count" = i64), ("X-Page-Count" = i64))), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<MemberListQuery>,
) -> Result<Response, ApiError> {
    let filter = service::member::status_filter(q.status.as_deref())?;
    let text: String = q.q.unwrap_or_default().chars().take(200).collect();
    let size = match q.page_size {
        None => service::PAGE_SIZE,
        Some(n) if (1..=service::MAX_PAGE_SIZE).contains(&n) => n,
        Some(_) => {
            return Ok(ApiError::bad_request(
                "Tham số page_size (số đảng viên một trang) phải từ 1 đến 200.",
            ));
        }
    };
    let service::member::MemberPage { page, json, .. } = service::member::list(
        &app,
        &c,
        OrgId(id),
        &text,
        filter,
        (clamp_page(q.page), size),
    )
    .await?;
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(page.total));
    headers.insert("x-page", HeaderValue::from(page.page));
    headers.insert("x-page-count", HeaderValue::from(page.pages()));
    headers.insert(
        axum::http::header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    // Written once per cached list, then shared (service::member_list_cache).
    let body = match json.get() {
        Some(body) => body.clone(),
        None => {
            let out: Vec<MemberOut> = page.items.iter().map(MemberOut::from).collect();
            let body = serde_json::to_vec(&out)
                .map_err(|e| ApiError::from(service::AppError::Internal(e.to_string())))?;
            json.get_or_init(|| body.into()).clone()
        }
    };
    Ok((headers, body).into_response())
}

/// The member list as an XLSX file (same headers the import reads).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/members.xlsx", tag = "members", params(("id" = i64, Path), MemberListQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = ErrorBody)))]
pub async fn export(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<MemberListQuery>,
) -> Result<Response, ApiError> {
    Ok(crate::web::pages::members::export_xlsx(
        &app,
        &c,
        OrgId(id),
        q.q.as_deref(),
        q.status.as_deref(),
    )
    .await?)
}

#[derive(Deserialize, ToSchema)]
pub struct NewMemberRequest {
    /// The cell to register the member in.
    #[schema(minimum = 1)]
    pub org_id: i64,
    #[serde(flatten)]
    pub member: MemberDraftSchema,
}

/// Member fields as strings; full name and gender are required.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MemberDraftSchema {
    /// Family and given names: letters, spaces, hyphens and apostrophes, at most 100.
    #[schema(
        min_length = 3,
        max_length = 100,
        pattern = r"^[A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'-]+( [A-Za-zÀ-ÖØ-öø-ɏḀ-ỿ'-]+)+$",
        required = true
    )]
    pub full_name: String,
    /// YYYY-MM-DD (dd/mm/yyyy also accepted), from 1900 and not after today.
    #[schema(format = Date, pattern = r"^(19[0-9]{2}|20[01][0-9]|202[0-5])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub birth_date: String,
    /// male | female (Nam | Nữ also accepted).
    #[schema(value_type = crate::domain::member::Gender, required = true)]
    pub gender: String,
    /// Kinh when absent.
    #[schema(max_length = 50)]
    pub ethnicity: String,
    /// Absent or "không" when none.
    pub religion: String,
    #[schema(max_length = 200)]
    pub hometown: String,
    #[schema(max_length = 200)]
    pub residence: String,
    /// At least 18 years after the birth date.
    #[schema(format = Date, pattern = r"^(19[0-9]{2}|20[01][0-9]|202[0-5])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub admitted_on: String,
    /// Not before `admitted_on`.
    #[schema(format = Date, pattern = r"^(19[0-9]{2}|20[01][0-9]|202[0-5])-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$")]
    pub official_on: String,
    /// Unique; digits, unaccented letters, '-' and '.' (spaces ignored), at most 20.
    #[schema(pattern = r"^[A-Za-z0-9.-]{1,20}$")]
    pub card_number: String,
    /// Số CCCD (personal identification number): 12 digits, the first three a
    /// province code; unique (spaces, dots and dashes ignored).
    #[schema(pattern = r"^[0-9]{12}$")]
    pub citizen_id: String,
    #[schema(max_length = 100)]
    pub education: String,
    #[schema(max_length = 100)]
    pub theory_level: String,
    #[schema(max_length = 100)]
    pub occupation: String,
    /// 9 to 15 digits, optionally after '+' (spaces, dots, dashes and brackets ignored).
    #[schema(pattern = r"^\+?[0-9]{9,15}$")]
    pub phone: String,
    #[schema(format = Email, max_length = 254)]
    pub email: String,
    /// Probationary, or official when `official_on` is given, when absent.
    #[schema(value_type = crate::domain::status::MemberStatus)]
    pub status: String,
}

impl From<MemberDraftSchema> for MemberDraft {
    fn from(s: MemberDraftSchema) -> Self {
        MemberDraft {
            full_name: s.full_name,
            birth_date: s.birth_date,
            gender: s.gender,
            ethnicity: s.ethnicity,
            religion: s.religion,
            hometown: s.hometown,
            residence: s.residence,
            admitted_on: s.admitted_on,
            official_on: s.official_on,
            card_number: s.card_number,
            citizen_id: s.citizen_id,
            education: s.education,
            theory_level: s.theory_level,
            occupation: s.occupation,
            phone: s.phone,
            email: s.email,
            status: s.status,
        }
    }
}

async fn created(
    app: &AppState,
    c: &service::Caller,
    org: OrgId,
    draft: MemberDraft,
) -> Result<(StatusCode, Json<MemberOut>), ApiError> {
    let id = service::member::create(app, c, org, &draft).await?;
    let m = service::member::get(app, c, id).await?;
    Ok((StatusCode::CREATED, Json(MemberOut::from(&m))))
}

/// Registers a new member in the cell `org_id`.
#[utoipa::path(post, path = "/api/v1/members", tag = "members", request_body = NewMemberRequest, security(("bearer" = [])),
    responses((status = 201, body = MemberOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(req): ApiJson<NewMemberRequest>,
) -> Result<(StatusCode, Json<MemberOut>), ApiError> {
    created(&app, &c, OrgId(req.org_id), req.member.into()).await
}

/// Registers a new member in this cell.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/members", tag = "members", params(("id" = i64, Path)), request_body = MemberDraftSchema, security(("bearer" = [])),
    responses((status = 201, body = MemberOut), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create_in(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(d): ApiJson<MemberDraftSchema>,
) -> Result<(StatusCode, Json<MemberOut>), ApiError> {
    created(&app, &c, OrgId(id), d.into()).await
}

#[utoipa::path(get, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = MemberOut), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MemberOut>, ApiError> {
    Ok(Json(MemberOut::from(
        &service::member::get(&app, &c, MemberId(id)).await?,
    )))
}

/// Changes some fields of a member; audited with the values before and after.
#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)), request_body = MemberPatch, security(("bearer" = [])),
    responses((status = 200, body = MemberOut), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn update(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(patch): ApiJson<MemberPatch>,
) -> Result<Json<MemberOut>, ApiError> {
    Ok(Json(MemberOut::from(
        &service::member::update(&app, &c, MemberId(id), &patch).await?,
    )))
}

#[derive(Serialize, ToSchema)]
pub struct StatusOut {
    pub status: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct PlacementOut {
    pub org_id: i64,
    pub org_name: String,
    /// home | temporary
    pub kind: String,
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub note: String,
}

#[derive(Serialize, ToSchema)]
pub struct MemberHistory {
    pub statuses: Vec<StatusOut>,
    pub placements: Vec<PlacementOut>,
}

/// Status history and cell placements of a member.
#[utoipa::path(get, path = "/api/v1/members/{id}/history", tag = "members", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = MemberHistory), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<MemberHistory>, ApiError> {
    let p = service::member::profile(&app, &c, MemberId(id)).await?;
    let d = |x: Option<crate::store::Day>| x.map(|d| d.to_jiff().to_string());
    Ok(Json(MemberHistory {
        statuses: p
            .statuses
            .iter()
            .map(|s| StatusOut {
                status: s.status.clone(),
                valid_from: s.valid_from.to_jiff().to_string(),
                valid_to: d(s.valid_to),
                reason: s.reason.clone(),
            })
            .collect(),
        placements: p
            .placements
            .iter()
            .map(|pl| PlacementOut {
                org_id: pl.org_id.0,
                org_name: pl.org_name.clone(),
                kind: pl.kind.clone(),
                valid_from: pl.valid_from.to_jiff().to_string(),
                valid_to: d(pl.valid_to),
                note: pl.note.clone(),
            })
            .collect(),
    }))
}

/// Transfers a member to another cell, permanently or temporarily.
#[utoipa::path(post, path = "/api/v1/members/{id}/transfer", tag = "members", params(("id" = i64, Path)), request_body = TransferInput, security(("bearer" = [])),
    responses((status = 204), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn transfer(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TransferInput>,
) -> Result<StatusCode, ApiError> {
    service::member::transfer(&app, &c, MemberId(id), &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(ToSchema)]
#[allow(dead_code)]
pub struct ImportUpload {
    /// The file (multipart field `file`): .xlsx/.csv for imports, .pdf/.docx for meeting documents.
    #[schema(format = Binary, content_media_type = "application/octet-stream")]
    file: String,
}

/// Imports members from XLSX or CSV, all or nothing: 200 with counts, or 422
/// with every bad row, column and reason (nothing written).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/members/import", tag = "members", params(("id" = i64, Path)),
    request_body(content = ImportUpload, content_type = "multipart/form-data"), security(("bearer" = [])),
    responses((status = 200, body = ImportSummary), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn import(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    mp: Multipart,
) -> Result<Json<ImportSummary>, ApiError> {
    // Authorize before reading the upload, so an outsider learns nothing.
    service::authorize_org(
        &app,
        &c,
        crate::domain::authz::Action::ImportMembers,
        OrgId(id),
    )
    .await?;
    let (name, bytes) =
        crate::web::pages::import::read_upload(mp, None, crate::docs::table::MAX_BYTES).await?;
    let summary = service::import::import(
        &app,
        &c,
        OrgId(id),
        &name,
        &bytes,
        &service::import::NoProgress,
    )
    .await?;
    Ok(Json(summary))
}
