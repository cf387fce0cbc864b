use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::service::{
    self,
    org::{OrgChange, OrgStats, OrgSummary},
};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath, ApiQuery, clamp_page, parse_on};
use axum::Json;
use axum::extract::State;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgListQuery {
    /// Part of the name; case, accents and Unicode form are ignored (first 200 characters).
    pub q: Option<String>,
    /// YYYY-MM-DD; today when absent.
    #[param(format = Date)]
    pub on: Option<String>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OnQuery {
    /// YYYY-MM-DD; today when absent.
    #[param(format = Date)]
    pub on: Option<String>,
}

/// Nodes the caller may see, as the tree stood on `on`.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "orgs", params(OrgListQuery), security(("bearer" = [])),
    responses((status = 200, body = [OrgSummary]), (status = 400, body = ErrorBody), (status = 401, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiQuery(q): ApiQuery<OrgListQuery>,
) -> Result<Json<Vec<OrgSummary>>, ApiError> {
    let on = parse_on(q.on.as_deref(), &app)?;
    let text: String = q.q.unwrap_or_default().chars().take(200).collect();
    let rows = service::org::search(&app, &c, &text, on).await?;
    Ok(Json(rows.iter().map(OrgSummary::from).collect()))
}

#[derive(Deserialize, ToSchema)]
pub struct NewOrgRequest {
    /// The node to create under; its kind decides which kinds fit.
    #[schema(minimum = 1)]
    pub parent_id: i64,
    #[serde(flatten)]
    pub change: OrgChange,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// Creates a node under `parent_id` (name, kind, cell_type, effective_on, decision).
#[utoipa::path(post, path = "/api/v1/orgs", tag = "orgs", request_body = NewOrgRequest, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiJson(req): ApiJson<NewOrgRequest>,
) -> Result<(axum::http::StatusCode, Json<Created>), ApiError> {
    let id = service::org::create(&app, &c, OrgId(req.parent_id), &req.change).await?;
    Ok((axum::http::StatusCode::CREATED, Json(Created { id: id.0 })))
}

/// One node as it stood on `on` (or as it last stood, if closed before).
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "orgs", params(("id" = i64, Path), OnQuery), security(("bearer" = [])),
    responses((status = 200, body = OrgSummary), (status = 404, body = ErrorBody)))]
pub async fn get(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<OnQuery>,
) -> Result<Json<OrgSummary>, ApiError> {
    let on = parse_on(q.on.as_deref(), &app)?;
    Ok(Json(OrgSummary::from(
        &service::org::get(&app, &c, OrgId(id), on).await?,
    )))
}

/// Children of a node on `on`, in Vietnamese order.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/children", tag = "orgs", params(("id" = i64, Path), OnQuery), security(("bearer" = [])),
    responses((status = 200, body = [OrgSummary]), (status = 404, body = ErrorBody)))]
pub async fn children(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<OnQuery>,
) -> Result<Json<Vec<OrgSummary>>, ApiError> {
    let on = parse_on(q.on.as_deref(), &app)?;
    let rows = service::org::children(&app, &c, OrgId(id), on).await?;
    Ok(Json(rows.iter().map(OrgSummary::from).collect()))
}

/// Statistics of the whole subtree on `on`.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/stats", tag = "orgs", params(("id" = i64, Path), OnQuery), security(("bearer" = [])),
    responses((status = 200, body = OrgStats), (status = 404, body = ErrorBody)))]
pub async fn stats(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<OnQuery>,
) -> Result<Json<OrgStats>, ApiError> {
    let on = parse_on(q.on.as_deref(), &app)?;
    Ok(Json(service::org::stats(&app, &c, OrgId(id), on).await?))
}

#[derive(Serialize, ToSchema)]
pub struct VersionOut {
    pub name: String,
    pub kind: String,
    pub cell_type: Option<String>,
    pub parent_id: Option<i64>,
    pub valid_from: String,
    pub valid_to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct EventOut {
    /// create | rename | move | merge | absorb | dissolve
    pub kind: String,
    pub happened_on: String,
    pub other_org_id: Option<i64>,
    pub decision: String,
}

#[derive(Serialize, ToSchema)]
pub struct HistoryOut {
    pub versions: Vec<VersionOut>,
    pub events: Vec<EventOut>,
}

/// Every version (name, parent, kind) and reorganization event of a node.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/history", tag = "orgs", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = HistoryOut), (status = 404, body = ErrorBody)))]
pub async fn history(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<HistoryOut>, ApiError> {
    let h = service::org::history(&app, &c, OrgId(id)).await?;
    Ok(Json(HistoryOut {
        versions: h
            .versions
            .iter()
            .map(|v| VersionOut {
                name: v.name.clone(),
                kind: v.kind.clone(),
                cell_type: v.cell_type.clone(),
                parent_id: v.parent_id.map(|p| p.0),
                valid_from: v.valid_from.to_jiff().to_string(),
                valid_to: v.valid_to.map(|d| d.to_jiff().to_string()),
            })
            .collect(),
        events: h
            .events
            .iter()
            .map(|e| EventOut {
                kind: e.kind.clone(),
                happened_on: e.happened_on.to_jiff().to_string(),
                other_org_id: e.other_org_id.map(|o| o.0),
                decision: e.decision.clone(),
            })
            .collect(),
    }))
}

/// Rename: the new name from `effective_on` (doc only; the handler reads [`OrgChange`]).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct RenameRequest {
    /// 2-200 characters once spaces are collapsed.
    #[schema(min_length = 2, max_length = 200, pattern = r"\S.*\S")]
    name: String,
    /// YYYY-MM-DD (dd/mm/yyyy also accepted), after the start of the node's current version; today when absent.
    #[schema(format = Date, required = false)]
    effective_on: String,
    #[schema(required = false)]
    decision: String,
}

/// Move or merge: the node to go under or into, from `effective_on` (doc only).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct TargetRequest {
    /// Move: the new parent, whose kind must fit and which is not in the node's subtree.
    /// Merge: the node of the same kind that takes the children and members.
    #[schema(minimum = 1)]
    target_id: i64,
    /// YYYY-MM-DD (dd/mm/yyyy also accepted), after the start of the node's current version; today when absent.
    #[schema(format = Date, required = false)]
    effective_on: String,
    #[schema(required = false)]
    decision: String,
}

/// Dissolve an empty node from `effective_on` (doc only).
#[derive(ToSchema)]
#[allow(dead_code)]
pub struct DissolveRequest {
    /// YYYY-MM-DD (dd/mm/yyyy also accepted), after the start of the node's current version; today when absent.
    #[schema(format = Date, required = false)]
    effective_on: String,
    #[schema(required = false)]
    decision: String,
}

macro_rules! change_endpoint {
    ($name:ident, $path:literal, $svc:path, $body:ty, $doc:literal) => {
        #[doc = $doc]
        #[utoipa::path(post, path = $path, tag = "orgs", params(("id" = i64, Path)), request_body = $body, security(("bearer" = [])),
            responses((status = 204), (status = 400, body = ErrorBody), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
        pub async fn $name(State(app): State<AppState>, ApiCaller(c): ApiCaller, ApiPath(id): ApiPath<i64>, ApiJson(change): ApiJson<OrgChange>) -> Result<axum::http::StatusCode, ApiError> {
            $svc(&app, &c, OrgId(id), &change).await?;
            Ok(axum::http::StatusCode::NO_CONTENT)
        }
    };
}

change_endpoint!(
    rename,
    "/api/v1/orgs/{id}/rename",
    service::org::rename,
    RenameRequest,
    "Renames a node from `effective_on` (name)."
);
change_endpoint!(
    move_to,
    "/api/v1/orgs/{id}/move",
    service::org::move_to,
    TargetRequest,
    "Moves a node under `target_id` from `effective_on`."
);
change_endpoint!(
    merge,
    "/api/v1/orgs/{id}/merge",
    service::org::merge,
    TargetRequest,
    "Merges a node into `target_id`: children and members move there."
);
change_endpoint!(
    dissolve,
    "/api/v1/orgs/{id}/dissolve",
    service::org::dissolve,
    DissolveRequest,
    "Dissolves an empty node from `effective_on`."
);

#[derive(Serialize, ToSchema)]
pub struct AuditOut {
    pub id: i64,
    /// RFC 3339.
    pub at: String,
    pub username: String,
    pub action: String,
    pub entity: String,
    pub entity_id: i64,
    pub summary: String,
    pub before: Option<serde_json::Value>,
    pub after: Option<serde_json::Value>,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PageQuery {
    /// 1-based; pages past the last are empty.
    #[param(minimum = 1, maximum = 1_000_000)]
    pub page: Option<i64>,
}

/// Changes recorded in the subtree, newest first (50 a page).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/audit", tag = "orgs", params(("id" = i64, Path), PageQuery), security(("bearer" = [])),
    responses((status = 200, body = [AuditOut]), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn audit(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> Result<Json<Vec<AuditOut>>, ApiError> {
    let rows = service::audit::for_org(&app, &c, OrgId(id), clamp_page(q.page)).await?;
    let json = |s: &Option<String>| s.as_deref().and_then(|s| serde_json::from_str(s).ok());
    Ok(Json(
        rows.iter()
            .map(|r| AuditOut {
                id: r.id,
                at: r.at.to_jiff().to_string(),
                username: r.username.clone(),
                action: r.action.clone(),
                entity: r.entity.clone(),
                entity_id: r.entity_id,
                summary: r.summary.clone(),
                before: json(&r.before),
                after: json(&r.after),
            })
            .collect(),
    ))
}
