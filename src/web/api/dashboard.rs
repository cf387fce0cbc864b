//! A node's dashboard as JSON and XLSX: the same sections the page draws.

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service::{
    self,
    dashboard::{Dashboard, PeriodQuery},
};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiPath, ApiQuery};
use axum::extract::State;
use axum::http::HeaderValue;
use axum::http::header::CONTENT_TYPE;
use axum::response::{IntoResponse, Response};

/// The dashboard of a node for a period (a year, or a range of its months):
/// sections of figures summed over the subtree, each with its categories and
/// series, as the page's charts and tables show them.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dashboard", tag = "orgs", params(("id" = i64, Path), PeriodQuery), security(("bearer" = [])),
    responses((status = 200, body = Dashboard), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let d = service::dashboard::dashboard(&app, &c, OrgId(id), &q).await?;
    let json = [(CONTENT_TYPE, HeaderValue::from_static("application/json"))];
    Ok((json, d.json()?).into_response())
}

/// The same figures as an XLSX workbook, one sheet a section.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/dashboard.xlsx", tag = "orgs", params(("id" = i64, Path), PeriodQuery), security(("bearer" = [])),
    responses((status = 200, content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", body = Vec<u8>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn xlsx(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Response, ApiError> {
    let bytes = service::dashboard::xlsx(&app, &c, OrgId(id), &q).await?;
    Ok(super::meetings::xlsx_response(
        bytes,
        &format!("bang-dieu-khien-{id}.xlsx"),
    ))
}
