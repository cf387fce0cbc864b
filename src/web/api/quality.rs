//! Quality rubrics, meeting assessments and monthly scores (docs/rules.md
//! "Meeting quality levels", "Local rubric example", "Kim Sơn monthly scoring").

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::domain::rubric::Definition;
use crate::domain::rubric::month::ScoreMonth;
use crate::domain::rubric::score::{Metrics, Scored};
use crate::service::quality::meeting::{AssessInput, Stage, StageView};
use crate::service::quality::monthly::{self, ScoreInput};
use crate::service::quality::rubric::{
    AdoptInput, AmendInput, CommentInput, DraftInput, SendInput,
};
use crate::service::{self};
use crate::store::rubric::RubricRow;
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

#[derive(Serialize, ToSchema)]
pub struct RubricOut {
    pub id: i64,
    /// The issuing committee; the rubric applies to its subtree.
    pub org_id: i64,
    pub org_name: String,
    /// meeting | monthly
    pub purpose: String,
    pub version: i32,
    pub name: String,
    /// draft | adopted
    pub status: String,
    pub note: String,
    pub document: String,
    pub document_date: Option<String>,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

impl From<&RubricRow> for RubricOut {
    fn from(r: &RubricRow) -> Self {
        let d = |x: Option<crate::store::Day>| x.map(|d| d.to_jiff().to_string());
        RubricOut {
            id: r.id,
            org_id: r.org_id.0,
            org_name: r.org_name.clone(),
            purpose: r.purpose.clone(),
            version: r.version,
            name: r.name.clone(),
            status: r.status.clone(),
            note: r.note.clone(),
            document: r.document.clone(),
            document_date: d(r.document_date),
            valid_from: d(r.valid_from),
            valid_to: d(r.valid_to),
        }
    }
}

/// The rubrics issued by a node or above it (drafts only where sent or issued).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/rubrics", tag = "quality", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = [RubricOut]), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<Vec<RubricOut>>, ApiError> {
    let v = service::quality::rubric::list(&app, &c, OrgId(id)).await?;
    Ok(Json(v.rubrics.iter().map(RubricOut::from).collect()))
}

/// The committee drafts a new rubric version (from JSON, a copy, or chibo's example).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/rubrics", tag = "quality", params(("id" = i64, Path)), request_body = DraftInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn draft(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<DraftInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::quality::rubric::draft(&app, &c, OrgId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Serialize, ToSchema)]
pub struct CommentOut {
    pub org_id: i64,
    pub org_name: String,
    pub username: String,
    pub body: String,
    pub created_on: String,
}

#[derive(Serialize, ToSchema)]
pub struct RubricDetail {
    #[serde(flatten)]
    pub rubric: RubricOut,
    pub definition: Definition,
    /// The organizations the draft was sent to.
    pub recipients: Vec<i64>,
    pub comments: Vec<CommentOut>,
    pub can_edit: bool,
    pub can_comment: bool,
}

/// A rubric with its content, the organizations asked and their comments.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/rubrics/{rubric_id}", tag = "quality", params(("id" = i64, Path), ("rubric_id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = RubricDetail), (status = 404, body = ErrorBody)))]
pub async fn show(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, rubric)): ApiPath<(i64, i64)>,
) -> Result<Json<RubricDetail>, ApiError> {
    let v = service::quality::rubric::view(&app, &c, OrgId(id), rubric).await?;
    Ok(Json(RubricDetail {
        rubric: RubricOut::from(&v.rubric.row),
        definition: v.rubric.definition,
        recipients: v.recipients.iter().map(|r| r.org_id.0).collect(),
        comments: v
            .comments
            .into_iter()
            .map(|c| CommentOut {
                org_id: c.org_id.0,
                org_name: c.org_name,
                username: c.username,
                body: c.body,
                created_on: c.created_on.to_jiff().to_string(),
            })
            .collect(),
        can_edit: v.can_edit,
        can_comment: v.can_comment,
    }))
}

/// The issuer amends a draft; an adopted version answers 409.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/rubrics/{rubric_id}", tag = "quality", params(("id" = i64, Path), ("rubric_id" = i64, Path)), request_body = AmendInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn amend(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, rubric)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<AmendInput>,
) -> Result<StatusCode, ApiError> {
    service::quality::rubric::amend(&app, &c, OrgId(id), rubric, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// The issuer sends a draft to organizations below it for comments.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/rubrics/{rubric_id}/send", tag = "quality", params(("id" = i64, Path), ("rubric_id" = i64, Path)), request_body = SendInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn send(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, rubric)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<SendInput>,
) -> Result<StatusCode, ApiError> {
    service::quality::rubric::send(&app, &c, OrgId(id), rubric, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An organization the draft was sent to comments on it (`id` is that organization).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/rubrics/{rubric_id}/comments", tag = "quality", params(("id" = i64, Path), ("rubric_id" = i64, Path)), request_body = CommentInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn comment(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, rubric)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<CommentInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::quality::rubric::comment(&app, &c, OrgId(id), rubric, &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// The issuer adopts a draft: document and first day fixed, never changed after.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/rubrics/{rubric_id}/adopt", tag = "quality", params(("id" = i64, Path), ("rubric_id" = i64, Path)), request_body = AdoptInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 409, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn adopt(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, rubric)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<AdoptInput>,
) -> Result<StatusCode, ApiError> {
    service::quality::rubric::adopt(&app, &c, OrgId(id), rubric, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[derive(Serialize, ToSchema)]
pub struct StageOut {
    pub rubric_id: i64,
    pub total: f64,
    /// good | fair | average | weak
    pub level: String,
    pub note: String,
    pub username: String,
    pub assessed_on: String,
    /// Points per criterion and group, as scored.
    pub scored: Scored,
}

fn stage_out(s: StageView) -> StageOut {
    StageOut {
        rubric_id: s.row.rubric_id,
        total: f64::from(s.row.total_tenths) / 10.0,
        level: s.row.level,
        note: s.row.note,
        username: s.row.username,
        assessed_on: s.row.assessed_on.to_jiff().to_string(),
        scored: s.scored,
    }
}

#[derive(Serialize, ToSchema)]
pub struct QualityOut {
    pub meeting_id: i64,
    /// The rubric in force on the meeting's day (or the one its self-assessment used).
    pub rubric: Option<RubricOut>,
    /// The figures chibo computes for it now.
    #[schema(value_type = Object)]
    pub metrics: Metrics,
    #[serde(rename = "self")]
    pub own: Option<StageOut>,
    pub review: Option<StageOut>,
    /// The level on the minutes (the cell's self-evaluation).
    pub recorded_level: Option<String>,
    /// The review's level, else the self-assessment's.
    pub final_level: Option<String>,
    pub can_self: bool,
    pub can_review: bool,
}

/// A held meeting's quality: self-assessment and review with points per criterion.
#[utoipa::path(get, path = "/api/v1/meetings/{id}/quality", tag = "quality", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = QualityOut), (status = 404, body = ErrorBody)))]
pub async fn quality(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<QualityOut>, ApiError> {
    let v = service::quality::meeting::view(&app, &c, id).await?;
    let final_level = v.final_level().map(str::to_string);
    Ok(Json(QualityOut {
        meeting_id: v.meeting.id,
        rubric: v.rubric.as_ref().map(|r| RubricOut::from(&r.row)),
        metrics: v.metrics,
        own: v.own.map(stage_out),
        review: v.review.map(stage_out),
        recorded_level: v.recorded.map(|q| q.code().to_string()),
        final_level,
        can_self: v.can_self,
        can_review: v.can_review,
    }))
}

/// The cell's secretary or deputy self-assesses a held meeting.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/quality/self", tag = "quality", params(("id" = i64, Path)), request_body = AssessInput, security(("bearer" = [])),
    responses((status = 200, body = Scored), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn assess_self(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AssessInput>,
) -> Result<Json<Scored>, ApiError> {
    Ok(Json(
        service::quality::meeting::assess(&app, &c, id, Stage::SelfAssessment, &input).await?,
    ))
}

/// The cell's follower or the level above reviews a self-assessed meeting.
#[utoipa::path(post, path = "/api/v1/meetings/{id}/quality/review", tag = "quality", params(("id" = i64, Path)), request_body = AssessInput, security(("bearer" = [])),
    responses((status = 200, body = Scored), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn review(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<AssessInput>,
) -> Result<Json<Scored>, ApiError> {
    Ok(Json(
        service::quality::meeting::assess(&app, &c, id, Stage::Review, &input).await?,
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct MonthQuery {
    /// YYYY-MM; this month when absent.
    month: Option<String>,
}

fn month(app: &AppState, m: Option<&str>) -> Result<ScoreMonth, ApiError> {
    match m {
        None => Ok(ScoreMonth::of(app.clock.today())),
        Some(s) => Ok(monthly::month_of(s)?),
    }
}

#[derive(Serialize, ToSchema)]
pub struct ScoreOut {
    pub org_id: i64,
    pub org_name: String,
    /// YYYY-MM
    pub month: String,
    pub rubric_id: i64,
    pub committee_id: i64,
    pub total: f64,
    pub level: String,
    /// Equal totals share a rank.
    pub rank: Option<usize>,
    #[schema(value_type = Object)]
    pub answers: serde_json::Value,
    #[schema(value_type = Object)]
    pub metrics: serde_json::Value,
    pub evidence_note: String,
    pub evidence_ref: String,
    pub username: String,
    pub scored_on: String,
}

fn score_out(s: crate::store::monthly_score::ScoreRow, rank: Option<usize>) -> ScoreOut {
    ScoreOut {
        org_id: s.org_id.0,
        org_name: s.org_name,
        month: s.month,
        rubric_id: s.rubric_id,
        committee_id: s.committee_id.0,
        total: f64::from(s.total_tenths) / 10.0,
        level: s.level,
        rank,
        answers: serde_json::from_str(&s.answers).unwrap_or_default(),
        metrics: serde_json::from_str(&s.metrics).unwrap_or_default(),
        evidence_note: s.evidence_note,
        evidence_ref: s.evidence_ref,
        username: s.username,
        scored_on: s.scored_on.to_jiff().to_string(),
    }
}

#[derive(Serialize, ToSchema)]
pub struct RankingOut {
    pub month: String,
    pub rubric: Option<RubricOut>,
    /// Best first.
    pub ranked: Vec<ScoreOut>,
    /// Base organizations below without a score for the month.
    pub unscored: Vec<i64>,
}

/// A committee's monthly ranking of the base organizations it scored.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/scores", tag = "quality", params(("id" = i64, Path), MonthQuery), security(("bearer" = [])),
    responses((status = 200, body = RankingOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn ranking(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<MonthQuery>,
) -> Result<Json<RankingOut>, ApiError> {
    let m = month(&app, q.month.as_deref())?;
    let v = monthly::ranking(&app, &c, OrgId(id), m).await?;
    Ok(Json(RankingOut {
        month: m.code(),
        rubric: v.rubric.as_ref().map(|r| RubricOut::from(&r.row)),
        ranked: v
            .ranked
            .into_iter()
            .map(|r| score_out(r.score, Some(r.rank)))
            .collect(),
        unscored: v.unscored.iter().map(|(o, _)| o.0).collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MonthOut {
    pub month: String,
    pub rubric: Option<RubricOut>,
    /// The figures chibo computes for the month.
    #[schema(value_type = Object)]
    pub metrics: Option<Metrics>,
    pub score: Option<ScoreOut>,
    pub can_score: bool,
}

/// A base organization's month: its rubric, computed figures and score.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/scores/{month}", tag = "quality", params(("id" = i64, Path), ("month" = String, Path, description = "YYYY-MM")), security(("bearer" = [])),
    responses((status = 200, body = MonthOut), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn month_view(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, m)): ApiPath<(i64, String)>,
) -> Result<Json<MonthOut>, ApiError> {
    let m = monthly::month_of(&m)?;
    let v = monthly::form(&app, &c, OrgId(id), m).await?;
    Ok(Json(MonthOut {
        month: m.code(),
        rubric: v.rubric.as_ref().map(|r| RubricOut::from(&r.row)),
        metrics: v.figures.map(|f| f.metrics),
        score: v.current.map(|s| score_out(s, None)),
        can_score: v.can_score,
    }))
}

/// The staff of the committee above score a base organization's month, with evidence.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/scores/{month}", tag = "quality", params(("id" = i64, Path), ("month" = String, Path, description = "YYYY-MM")), request_body = ScoreInput, security(("bearer" = [])),
    responses((status = 200, body = Scored), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn enter(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, m)): ApiPath<(i64, String)>,
    ApiJson(input): ApiJson<ScoreInput>,
) -> Result<Json<Scored>, ApiError> {
    let m = monthly::month_of(&m)?;
    Ok(Json(monthly::enter(&app, &c, OrgId(id), m, &input).await?))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearQuery {
    /// The year; this year when absent.
    year: Option<i16>,
}

#[derive(Serialize, ToSchema)]
pub struct TrendMonthOut {
    pub month: String,
    pub total: Option<f64>,
    pub level: Option<String>,
    /// The level's label in the rubric it was scored under.
    pub level_label: Option<String>,
    pub rank: Option<usize>,
    /// How many organizations its committee scored that month.
    pub of: Option<usize>,
}

/// A base organization's monthly scores of a year with its rank each month.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/score-trend", tag = "quality", params(("id" = i64, Path), YearQuery), security(("bearer" = [])),
    responses((status = 200, body = [TrendMonthOut]), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn trend(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<YearQuery>,
) -> Result<Json<Vec<TrendMonthOut>>, ApiError> {
    let year = q
        .year
        .unwrap_or_else(|| app.clock.today().year())
        .clamp(2000, 2100);
    let v = monthly::trend(&app, &c, OrgId(id), year).await?;
    Ok(Json(
        v.months
            .into_iter()
            .map(|m| TrendMonthOut {
                month: m.month.code(),
                total: m.score.as_ref().map(|s| f64::from(s.total_tenths) / 10.0),
                level: m.score.map(|s| s.level),
                level_label: m.label,
                rank: m.rank.map(|r| r.0),
                of: m.rank.map(|r| r.1),
            })
            .collect(),
    ))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// First day, YYYY-MM-DD; 1 January of this year when absent.
    from: Option<String>,
    /// Last day, YYYY-MM-DD; today when absent.
    to: Option<String>,
}

/// Held meetings of a subtree in a period by final quality level.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/quality-levels", tag = "quality", params(("id" = i64, Path), PeriodQuery), security(("bearer" = [])),
    responses((status = 200, body = BTreeMap<String, i64>), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn levels(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<BTreeMap<String, i64>>, ApiError> {
    let today = app.clock.today();
    let date =
        |s: Option<&str>, d: jiff::civil::Date, field: &'static str, label: &'static str| match s {
            None | Some("") => Ok(d),
            Some(s) => crate::domain::time::parse_date(s).ok_or_else(|| {
                service::AppError::invalid(crate::domain::ValidationError::new(
                    field,
                    label,
                    "không đúng định dạng",
                ))
            }),
        };
    let from = date(
        q.from.as_deref(),
        jiff::civil::date(today.year(), 1, 1),
        "from",
        "Từ ngày",
    )?;
    let to = date(q.to.as_deref(), today, "to", "Đến ngày")?;
    let counts = service::quality::meeting::level_counts(&app, &c, OrgId(id), (from, to)).await?;
    Ok(Json(
        counts
            .into_iter()
            .map(|(q, n)| (q.code().to_string(), n))
            .collect(),
    ))
}
