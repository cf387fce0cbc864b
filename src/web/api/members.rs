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
pub struct MemberListQuery {
    /// Part of the name (case, accents and Unicode form ignored) or a card number.
    pub q: Option<String>,
    /// 1-based page of 50.
    pub page: Option<i64>,
    /// active (default) | all | a status code
    pub status: Option<String>,
}

/// Members registered in the subtree, in Vietnamese order (given name, then
/// full name), 50 a page. Totals are in the X-Total-Count and X-Page-Count headers.
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
    let page =
        service::member::list(&app, &c, OrgId(id), &text, filter, clamp_page(q.page)).await?;
    let mut headers = HeaderMap::new();
    headers.insert("x-total-count", HeaderValue::from(page.total));
    headers.insert("x-page", HeaderValue::from(page.page));
    headers.insert("x-page-count", HeaderValue::from(page.pages()));
    let body: Vec<MemberOut> = page.items.iter().map(MemberOut::from).collect();
    Ok((headers, Json(body)).into_response())
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
    pub org_id: i64,
    #[serde(flatten)]
    pub member: MemberDraftSchema,
}

/// Member fields as strings; dates dd/mm/yyyy or YYYY-MM-DD; gender Nam/Nữ or male/female.
#[derive(Deserialize, ToSchema, Default)]
#[serde(default)]
pub struct MemberDraftSchema {
    pub full_name: String,
    pub birth_date: String,
    pub gender: String,
    pub ethnicity: String,
    pub religion: String,
    pub hometown: String,
    pub residence: String,
    pub admitted_on: String,
    pub official_on: String,
    pub card_number: String,
    pub education: String,
    pub theory_level: String,
    pub occupation: String,
    pub phone: String,
    pub email: String,
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

/// Fields to change; those absent stay. `status_reason` is required for exempt and exit statuses.
#[derive(Deserialize, ToSchema)]
#[allow(dead_code)]
pub struct MemberPatchSchema {
    pub full_name: Option<String>,
    pub birth_date: Option<String>,
    pub gender: Option<String>,
    pub ethnicity: Option<String>,
    pub religion: Option<String>,
    pub hometown: Option<String>,
    pub residence: Option<String>,
    pub admitted_on: Option<String>,
    pub official_on: Option<String>,
    pub card_number: Option<String>,
    pub education: Option<String>,
    pub theory_level: Option<String>,
    pub occupation: Option<String>,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub status: Option<String>,
    pub status_reason: Option<String>,
}

/// Changes some fields of a member; audited with the values before and after.
#[utoipa::path(patch, path = "/api/v1/members/{id}", tag = "members", params(("id" = i64, Path)), request_body = MemberPatchSchema, security(("bearer" = [])),
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
