//! Targets and indicators, training records, and the formalism signals a
//! committee reads (docs/rules.md "Targets and indicators", "Formalism
//! signals").

use crate::app::AppState;
use crate::domain::ids::OrgId;
use crate::domain::indicator::{Figure, Rollup};
use crate::domain::signal::Evidence;
use crate::service::indicator::{ActualInput, NewIndicatorInput, TargetInput, TrainingInput};
use crate::service::{self};
use crate::web::error::{ApiError, ErrorBody};
use crate::web::extract::{ApiCaller, ApiJson, ApiPath, ApiQuery};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct FigureOut {
    pub value: f64,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
}

impl From<&Figure> for FigureOut {
    fn from(f: &Figure) -> Self {
        FigureOut {
            value: f.value,
            numerator: f.numerator,
            denominator: f.denominator,
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct ActualOut {
    /// "2018", "2019-Q1", "2019-03"
    pub period: String,
    #[serde(flatten)]
    pub figure: FigureOut,
}

#[derive(Serialize, ToSchema)]
pub struct YearOut {
    pub year: i16,
    /// The target in force for the year (its own, or the next year's set).
    pub target: Option<f64>,
    pub target_year: Option<i16>,
    /// The latest actual of the year and its period.
    pub actual: Option<f64>,
    pub actual_period: Option<String>,
    /// Per cent of the way from the baseline to the target.
    pub progress: Option<f64>,
    pub reached: Option<bool>,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorOut {
    pub id: i64,
    pub org_id: i64,
    pub code: String,
    pub name: String,
    /// count | percent | amount
    pub unit: String,
    /// higher | lower: which way the indicator improves.
    pub direction: String,
    pub measure: String,
    pub baseline: FigureOut,
    /// YYYY-MM-DD
    pub baseline_on: String,
    pub resolution_meeting_id: Option<i64>,
    pub resolution_ref: String,
    /// Year → target in force (latest record).
    pub targets: Vec<(i16, f64)>,
    pub actuals: Vec<ActualOut>,
    /// Records replaced by a later correction.
    pub corrections: i64,
    pub years: Vec<YearOut>,
}

#[derive(Serialize, ToSchema)]
pub struct RollupYearOut {
    pub year: i16,
    /// sum | rate | not_summable; absent when no node reported.
    pub kind: Option<String>,
    /// The sum, or the rate in per cent.
    pub value: Option<f64>,
    pub numerator: Option<f64>,
    pub denominator: Option<f64>,
    pub units_reporting: i64,
    /// Targets summed (counts and amounts only).
    pub target: Option<f64>,
}

#[derive(Serialize, ToSchema)]
pub struct RollupOut {
    pub code: String,
    pub name: String,
    pub unit: String,
    pub org_ids: Vec<i64>,
    pub years: Vec<RollupYearOut>,
}

#[derive(Serialize, ToSchema)]
pub struct CountOut {
    pub year: i32,
    /// Training only: the level.
    pub level: Option<String>,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct IndicatorsOut {
    pub own: Vec<IndicatorOut>,
    /// The nodes below, summed by code where the unit allows.
    pub rollups: Vec<RollupOut>,
    /// Members admitted per year in the subtree (the last 12 years).
    pub admissions: Vec<CountOut>,
    pub training: Vec<CountOut>,
}

#[derive(Serialize, ToSchema)]
pub struct Created {
    pub id: i64,
}

/// A node's indicators with targets, actuals and progress, the roll-up of
/// the nodes below it, and the registry's admissions and training per year.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/indicators", tag = "orgs", params(("id" = i64, Path)), security(("bearer" = [])),
    responses((status = 200, body = IndicatorsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody)))]
pub async fn list(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
) -> Result<Json<IndicatorsOut>, ApiError> {
    let v = service::indicator::of_org(&app, &c, OrgId(id)).await?;
    let own = v
        .own
        .iter()
        .map(|i| IndicatorOut {
            id: i.row.id,
            org_id: i.row.org_id.0,
            code: i.row.code.clone(),
            name: i.row.name.clone(),
            unit: i.unit.code().into(),
            direction: i.direction.code().into(),
            measure: i.row.measure.clone(),
            baseline: FigureOut::from(&i.baseline),
            baseline_on: i.row.baseline_on.to_jiff().to_string(),
            resolution_meeting_id: i.row.resolution_meeting_id,
            resolution_ref: i.row.resolution_ref.clone(),
            targets: i.targets.clone(),
            actuals: i
                .actuals
                .iter()
                .map(|(p, f)| ActualOut {
                    period: p.code(),
                    figure: FigureOut::from(f),
                })
                .collect(),
            corrections: i.corrections.len() as i64,
            years: i
                .years
                .iter()
                .map(|y| YearOut {
                    year: y.year,
                    target: y.target.map(|t| t.1),
                    target_year: y.target.map(|t| t.0),
                    actual: y.actual.map(|a| a.1),
                    actual_period: y.actual.map(|a| a.0.code()),
                    progress: y.progress,
                    reached: y.reached,
                })
                .collect(),
        })
        .collect();
    let rollups = v
        .rollups
        .iter()
        .map(|r| RollupOut {
            code: r.code.clone(),
            name: r.name.clone(),
            unit: r.unit.code().into(),
            org_ids: r.units.iter().map(|u| u.0.0).collect(),
            years: r
                .years
                .iter()
                .map(|(y, roll, n, target)| {
                    let (kind, value, numerator, denominator) = match roll {
                        Some(Rollup::Sum(s)) => (Some("sum"), Some(*s), None, None),
                        Some(Rollup::Rate {
                            percent,
                            numerator,
                            denominator,
                        }) => (
                            Some("rate"),
                            Some(*percent),
                            Some(*numerator),
                            Some(*denominator),
                        ),
                        Some(Rollup::NotSummable) => (Some("not_summable"), None, None, None),
                        None => (None, None, None, None),
                    };
                    RollupYearOut {
                        year: *y,
                        kind: kind.map(str::to_string),
                        value,
                        numerator,
                        denominator,
                        units_reporting: *n as i64,
                        target: *target,
                    }
                })
                .collect(),
        })
        .collect();
    Ok(Json(IndicatorsOut {
        own,
        rollups,
        admissions: v
            .registry
            .admissions
            .iter()
            .map(|(y, n)| CountOut {
                year: *y,
                level: None,
                count: *n,
            })
            .collect(),
        training: v
            .registry
            .training
            .iter()
            .map(|(y, l, n)| CountOut {
                year: *y,
                level: Some(l.clone()),
                count: *n,
            })
            .collect(),
    }))
}

/// A node creates an indicator it tracks (optionally owned by a thematic resolution).
#[utoipa::path(post, path = "/api/v1/orgs/{id}/indicators", tag = "orgs", params(("id" = i64, Path)), request_body = NewIndicatorInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn create(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<NewIndicatorInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::indicator::create(&app, &c, OrgId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

/// Sets or corrects a year's target; the earlier record stays as history.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/indicators/{indicator_id}/targets", tag = "orgs", params(("id" = i64, Path), ("indicator_id" = i64, Path)), request_body = TargetInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn target(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, ind)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<TargetInput>,
) -> Result<StatusCode, ApiError> {
    service::indicator::set_target(&app, &c, OrgId(id), ind, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records or corrects the actual value of a year, quarter or month.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/indicators/{indicator_id}/actuals", tag = "orgs", params(("id" = i64, Path), ("indicator_id" = i64, Path)), request_body = ActualInput, security(("bearer" = [])),
    responses((status = 204), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn actual(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath((id, ind)): ApiPath<(i64, i64)>,
    ApiJson(input): ApiJson<ActualInput>,
) -> Result<StatusCode, ApiError> {
    service::indicator::record_actual(&app, &c, OrgId(id), ind, &input).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Records a member of the subtree sent to a training course in a year.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/training", tag = "orgs", params(("id" = i64, Path)), request_body = TrainingInput, security(("bearer" = [])),
    responses((status = 201, body = Created), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn training(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiJson(input): ApiJson<TrainingInput>,
) -> Result<(StatusCode, Json<Created>), ApiError> {
    let id = service::indicator::record_training(&app, &c, OrgId(id), &input).await?;
    Ok((StatusCode::CREATED, Json(Created { id })))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// YYYY-MM-DD or dd/mm/yyyy; 12 months before `to` when absent.
    from: Option<String>,
    /// YYYY-MM-DD or dd/mm/yyyy; today when absent.
    to: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SignalOut {
    /// repeated_minutes | only_leaders_spoke | silent_member | tasks_not_per_member |
    /// tasks_never_reviewed | short_meeting | lenient_grading
    pub rule: String,
    pub cell_id: i64,
    pub cell_name: String,
    pub meeting_id: Option<i64>,
    /// YYYY-MM-DD
    pub day: String,
    /// The evidence, tagged by `kind`.
    #[schema(value_type = Object)]
    pub evidence: Evidence,
}

#[derive(Serialize, ToSchema)]
pub struct RuleCountOut {
    pub rule: String,
    pub label: String,
    /// What the rule looks for, with its threshold.
    pub description: String,
    pub count: i64,
}

#[derive(Serialize, ToSchema)]
pub struct SignalsOut {
    pub from: String,
    pub to: String,
    pub meetings_read: i64,
    pub counts: Vec<RuleCountOut>,
    pub signals: Vec<SignalOut>,
}

/// Formalism signals of the cells strictly below a committee, with their
/// evidence: for the committee's staff and those above, never the cell's.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/signals", tag = "orgs", params(("id" = i64, Path), PeriodQuery), security(("bearer" = [])),
    responses((status = 200, body = SignalsOut), (status = 403, body = ErrorBody), (status = 404, body = ErrorBody), (status = 422, body = ErrorBody)))]
pub async fn signals(
    State(app): State<AppState>,
    ApiCaller(c): ApiCaller,
    ApiPath(id): ApiPath<i64>,
    ApiQuery(q): ApiQuery<PeriodQuery>,
) -> Result<Json<SignalsOut>, ApiError> {
    let span = service::signal::period(q.from.as_deref(), q.to.as_deref(), app.clock.today())?;
    let v = service::signal::of_subtree(&app, &c, OrgId(id), span).await?;
    Ok(Json(SignalsOut {
        from: v.from.to_string(),
        to: v.to.to_string(),
        meetings_read: v.meetings_read as i64,
        counts: v
            .counts
            .iter()
            .map(|(r, n)| RuleCountOut {
                rule: r.code().into(),
                label: r.label().into(),
                description: r.describe(&v.thresholds),
                count: *n as i64,
            })
            .collect(),
        signals: v
            .signals
            .into_iter()
            .map(|s| SignalOut {
                rule: s.rule.code().into(),
                cell_id: s.cell.0,
                cell_name: v.cells.get(&s.cell).cloned().unwrap_or_default(),
                meeting_id: s.meeting,
                day: s.day.to_string(),
                evidence: s.evidence,
            })
            .collect(),
    }))
}
