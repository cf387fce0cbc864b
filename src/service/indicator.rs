//! Targets and indicators of a node, the roll-up of its subtree's values,
//! and the registry's yearly counts: admissions and training
//! (docs/rules.md "Targets and indicators", "Training of members").

use super::{AppError, Caller, Change, Result, audit, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::indicator::{
    Direction, Figure, Period, Rollup, Unit, YearProgress, check_definition, check_figure,
    check_target_year, parse_number, progress, roll_up,
};
use crate::domain::text::clean;
use crate::domain::time::parse_date;
use crate::store::{self, indicator::IndicatorRow, indicator::ValueRow, org::OrgRow};
use serde::Deserialize;
use std::collections::BTreeMap;

/// Years shown at most, counted back from the latest.
const MAX_YEARS: usize = 12;

/// An indicator with its current targets and actuals, the corrections they
/// replaced, and its progress year by year.
#[derive(Debug, Clone)]
pub struct IndicatorView {
    pub row: IndicatorRow,
    pub unit: Unit,
    pub direction: Direction,
    pub baseline: Figure,
    /// The target in force for each year set (latest record wins).
    pub targets: Vec<(i16, f64)>,
    /// The actual in force for each period (latest record wins), in order.
    pub actuals: Vec<(Period, Figure)>,
    /// Records replaced by a later one, oldest first.
    pub corrections: Vec<ValueRow>,
    pub years: Vec<YearProgress>,
}

fn period_of(v: &ValueRow) -> Option<Period> {
    let p = Period {
        year: i16::try_from(v.year).ok()?,
        part: i8::try_from(v.part).ok()?,
        months: i8::try_from(v.months).ok()?,
    };
    Some(p)
}

fn figure_of(v: &ValueRow) -> Figure {
    Figure {
        value: v.value,
        numerator: v.numerator,
        denominator: v.denominator,
    }
}

/// Builds the views of `rows` from every target and actual record of them
/// (two queries were made, whatever the number of indicators).
pub(crate) fn views(
    rows: Vec<IndicatorRow>,
    targets: &[ValueRow],
    actuals: &[ValueRow],
) -> Vec<IndicatorView> {
    rows.into_iter()
        .filter_map(|row| {
            let unit = Unit::from_code(&row.unit)?;
            let direction = Direction::from_code(&row.direction).unwrap_or_default();
            let mut corrections = Vec::new();
            // Later records replace earlier ones of the same year / period.
            let mut t: BTreeMap<i16, &ValueRow> = BTreeMap::new();
            for v in targets.iter().filter(|v| v.indicator_id == row.id) {
                let y = period_of(v)?.year;
                if let Some(old) = t.insert(y, v) {
                    corrections.push(old.clone());
                }
            }
            let mut a: BTreeMap<(i16, i8, i8), (Period, &ValueRow)> = BTreeMap::new();
            for v in actuals.iter().filter(|v| v.indicator_id == row.id) {
                let p = period_of(v)?;
                if let Some((_, old)) = a.insert(p.sort_key(), (p, v)) {
                    corrections.push(old.clone());
                }
            }
            corrections.sort_by_key(|c| c.recorded_at.to_jiff());
            let targets: Vec<(i16, f64)> = t.iter().map(|(y, v)| (*y, v.value)).collect();
            let actuals: Vec<(Period, Figure)> =
                a.values().map(|(p, v)| (*p, figure_of(v))).collect();
            let baseline = Figure {
                value: row.baseline,
                numerator: row.baseline_numerator,
                denominator: row.baseline_denominator,
            };
            let first = row.baseline_on.to_jiff().year();
            let last = targets
                .iter()
                .map(|x| x.0)
                .chain(actuals.iter().map(|x| x.0.year))
                .max()
                .unwrap_or(first);
            let plain: Vec<(Period, f64)> = actuals.iter().map(|(p, f)| (*p, f.value)).collect();
            let years = ((first + 1).max(last - MAX_YEARS as i16 + 1)..=last)
                .map(|y| progress(direction, baseline.value, &targets, &plain, y))
                .collect();
            Some(IndicatorView {
                row,
                unit,
                direction,
                baseline,
                targets,
                actuals,
                corrections,
                years,
            })
        })
        .collect()
}

/// One code summed over the nodes below a committee.
#[derive(Debug, Clone)]
pub struct RollupLine {
    pub code: String,
    pub name: String,
    pub unit: Unit,
    pub measure: String,
    /// The nodes holding it, by name.
    pub units: Vec<(OrgId, String)>,
    /// Per year: the roll-up of the units' year figures (each unit's latest
    /// period of the year), how many units reported, and the targets summed
    /// where they add.
    pub years: Vec<(i16, Option<Rollup>, usize, Option<f64>)>,
}

fn rollups(below: &[IndicatorView]) -> Vec<RollupLine> {
    let mut by_code: BTreeMap<&str, Vec<&IndicatorView>> = BTreeMap::new();
    for v in below {
        by_code.entry(v.row.code.as_str()).or_default().push(v);
    }
    by_code
        .into_iter()
        .filter_map(|(code, vs)| {
            let first = vs.first()?;
            let unit = first.unit;
            // A node that keeps the code in another unit does not add up with the rest.
            let same: Vec<&&IndicatorView> = vs.iter().filter(|v| v.unit == unit).collect();
            let mut years: Vec<i16> = same
                .iter()
                .flat_map(|v| {
                    v.actuals
                        .iter()
                        .map(|a| a.0.year)
                        .chain(v.targets.iter().map(|t| t.0))
                })
                .collect();
            years.sort_unstable();
            years.dedup();
            let skip = years.len().saturating_sub(MAX_YEARS);
            let years = years[skip..]
                .iter()
                .map(|&y| {
                    let figures: Vec<Figure> = same
                        .iter()
                        .filter_map(|v| {
                            v.actuals
                                .iter()
                                .filter(|a| a.0.year == y)
                                .max_by_key(|a| a.0.sort_key())
                                .map(|a| a.1)
                        })
                        .collect();
                    let mixed = same.len() < vs.len() && !figures.is_empty();
                    let r = if mixed {
                        Some(Rollup::NotSummable)
                    } else {
                        roll_up(unit, &figures)
                    };
                    let target = (unit != Unit::Percent)
                        .then(|| {
                            let ts: Vec<f64> = same
                                .iter()
                                .filter_map(|v| v.targets.iter().find(|t| t.0 == y).map(|t| t.1))
                                .collect();
                            (!ts.is_empty()).then(|| ts.iter().sum())
                        })
                        .flatten();
                    (y, r, figures.len(), target)
                })
                .collect();
            Some(RollupLine {
                code: code.to_string(),
                name: first.row.name.clone(),
                unit,
                measure: first.row.measure.clone(),
                units: vs
                    .iter()
                    .map(|v| (v.row.org_id, v.row.org_name.clone()))
                    .collect(),
                years,
            })
        })
        .collect()
}

/// Training levels a record may take.
pub const TRAINING_LEVELS: [(&str, &str); 4] = [
    (
        "political_theory_intermediate",
        "Trung cấp lý luận chính trị - hành chính",
    ),
    ("political_theory_advanced", "Cao cấp lý luận chính trị"),
    ("party_work", "Bồi dưỡng nghiệp vụ công tác đảng"),
    ("other", "Khác"),
];

pub fn training_label(code: &str) -> &str {
    TRAINING_LEVELS
        .iter()
        .find(|(c, _)| *c == code)
        .map_or(code, |(_, l)| *l)
}

/// Registry counts of a subtree by year.
#[derive(Debug, Clone, Default)]
pub struct Registry {
    /// (year, members admitted).
    pub admissions: Vec<(i32, i64)>,
    /// (year, level code, members trained).
    pub training: Vec<(i32, String, i64)>,
}

pub struct OrgIndicators {
    pub org: OrgRow,
    pub own: Vec<IndicatorView>,
    pub rollups: Vec<RollupLine>,
    pub registry: Registry,
    /// The node's signed thematic resolutions, for the form.
    pub resolutions: Vec<store::indicator::ResolutionRow>,
    pub can_manage: bool,
    /// The members a training record may name (for the form).
    pub choices: Vec<(MemberId, String)>,
}

/// A node's indicators, the roll-up of those below it, and the registry's
/// counts of its subtree: a fixed number of queries.
pub async fn of_org(app: &AppState, caller: &Caller, org: OrgId) -> Result<OrgIndicators> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let today = app.clock.today();
    let on = row.reference_date(today);
    let own = store::indicator::of_org(&app.db, org).await?;
    let below = store::indicator::below(&app.db, org, on).await?;
    let ids: Vec<i64> = own.iter().chain(&below).map(|i| i.id).collect();
    let targets = store::indicator::targets(&app.db, &ids).await?;
    let actuals = store::indicator::actuals(&app.db, &ids).await?;
    let own = views(own, &targets, &actuals);
    let below = views(below, &targets, &actuals);
    let last = on.year();
    let years: Vec<i16> = (last - MAX_YEARS as i16 + 1..=last).collect();
    let registry = Registry {
        admissions: store::indicator::admissions_by_year(&app.db, org, &years).await?,
        training: store::indicator::training_by_year(&app.db, org, on).await?,
    };
    let can_manage = super::allows(app, caller, Action::ManageMeetings, org).await?;
    let (resolutions, choices) = if can_manage && row.dissolved_on().is_none() {
        (
            store::indicator::thematic_resolutions(&app.db, org).await?,
            super::post::choices(app, &row, on).await?,
        )
    } else {
        (Vec::new(), Vec::new())
    };
    Ok(OrgIndicators {
        org: row,
        own,
        rollups: rollups(&below),
        registry,
        resolutions,
        can_manage,
        choices,
    })
}

/// The node's indicators, their values by period and the sums of the nodes
/// below, as XLSX.
pub async fn xlsx(app: &AppState, caller: &Caller, org: OrgId) -> Result<Vec<u8>> {
    let v = of_org(app, caller, org).await?;
    crate::docs::indicators_xlsx::write(&v).map_err(|e| AppError::Internal(e.to_string()))
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct NewIndicatorInput {
    /// Mã chỉ tiêu: what roll-ups match across nodes, "BHYT".
    pub code: String,
    /// Tên chỉ tiêu.
    pub name: String,
    /// count | percent | amount
    pub unit: String,
    /// higher (default when empty) | lower: which way the indicator improves.
    pub direction: String,
    /// Đơn vị tính: người, ha, tấn …; may be empty.
    pub measure: String,
    /// Số liệu gốc: "87,6" or "87.6".
    pub baseline: String,
    /// Tử số của số liệu gốc (tỷ lệ), "3.631"; may be empty.
    pub baseline_numerator: String,
    /// Mẫu số của số liệu gốc (tỷ lệ); may be empty.
    pub baseline_denominator: String,
    /// Ngày của số liệu gốc, dd/mm/yyyy or YYYY-MM-DD.
    pub baseline_on: String,
    /// A signed thematic meeting of this node whose resolution owns the indicator; may be empty.
    pub resolution_meeting_id: String,
    /// Or the resolution's reference: "Nghị quyết chuyên đề số 57-NQ/ĐU"; may be empty.
    pub resolution_ref: String,
}

fn num(
    input: &str,
    field: &'static str,
    label: &'static str,
    errors: &mut Vec<ValidationError>,
) -> Option<f64> {
    parse_number(input, field, label).unwrap_or_else(|e| {
        errors.push(e);
        None
    })
}

/// A node creates an indicator it tracks.
pub async fn create(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &NewIndicatorInput,
) -> Result<i64> {
    authorize_org(app, caller, Action::ManageMeetings, org).await?;
    let mut errors = Vec::new();
    let baseline = num(&input.baseline, "baseline", "Số liệu gốc", &mut errors);
    let numerator = num(
        &input.baseline_numerator,
        "baseline_numerator",
        "Tử số",
        &mut errors,
    );
    let denominator = num(
        &input.baseline_denominator,
        "baseline_denominator",
        "Mẫu số",
        &mut errors,
    );
    let baseline_on = match input.baseline_on.trim() {
        "" => None,
        s => {
            let d = parse_date(s);
            if d.is_none() {
                errors.push(ValidationError::new(
                    "baseline_on",
                    "Ngày của số liệu gốc",
                    "không đúng định dạng dd/mm/yyyy",
                ));
            }
            d
        }
    };
    let (name, measure, resolution_ref) = (
        clean(&input.name),
        clean(&input.measure),
        clean(&input.resolution_ref),
    );
    let def = check_definition(
        &input.code,
        &name,
        Unit::from_code(input.unit.trim()),
        &measure,
        (baseline, numerator, denominator),
        baseline_on,
        match input.direction.trim() {
            "" => Some(Direction::Higher),
            d => Direction::from_code(d),
        },
    );
    let resolution = match input.resolution_meeting_id.trim() {
        "" => None,
        s => {
            let id: Option<i64> = s.parse().ok();
            let found = store::indicator::thematic_resolutions(&app.db, org).await?;
            match id.filter(|id| found.iter().any(|r| r.id == *id)) {
                Some(id) => Some(id),
                None => {
                    errors.push(ValidationError::new(
                        "resolution_meeting_id",
                        "Nghị quyết chuyên đề",
                        "phải là nghị quyết đã ký của một cuộc sinh hoạt chuyên đề của tổ chức này",
                    ));
                    None
                }
            }
        }
    };
    if resolution_ref.chars().count() > 300 {
        errors.push(ValidationError::new(
            "resolution_ref",
            "Số, ký hiệu nghị quyết",
            "quá dài",
        ));
    }
    let def = match def {
        Ok(d) if errors.is_empty() => d,
        Ok(_) => return Err(AppError::Invalid(errors)),
        Err(e) => {
            // A field that could not be read keeps that message.
            for x in e {
                if !errors.iter().any(|y| y.field == x.field) {
                    errors.push(x);
                }
            }
            return Err(AppError::Invalid(errors));
        }
    };
    let mut tx = app.db.begin().await?;
    let id = match store::indicator::insert(
        &mut tx,
        &store::indicator::NewIndicator {
            org,
            code: &def.code,
            name: &def.name,
            unit: def.unit.code(),
            measure: &def.measure,
            baseline: (
                def.baseline.value,
                def.baseline.numerator,
                def.baseline.denominator,
            ),
            baseline_on: def.baseline_on,
            resolution_meeting: resolution,
            resolution_ref: &resolution_ref,
            on: app.clock.today(),
            direction: def.direction.code(),
        },
    )
    .await
    {
        Err(store::StoreError::Conflict(_)) => {
            return Err(AppError::invalid(ValidationError::new(
                "code",
                "Mã chỉ tiêu",
                format!("tổ chức đã có chỉ tiêu mã {}", def.code),
            )));
        }
        r => r?,
    };
    let summary = format!("Đặt chỉ tiêu {}: {}", def.code, def.name);
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "indicator_create",
            entity: "indicator",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "code": def.code, "name": def.name, "unit": def.unit.code(), "measure": def.measure,
                "direction": def.direction.code(),
                "baseline": def.baseline.value, "baseline_numerator": def.baseline.numerator,
                "baseline_denominator": def.baseline.denominator,
                "baseline_on": def.baseline_on.to_string(),
                "resolution_meeting_id": resolution, "resolution_ref": resolution_ref,
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// The indicator `id` if it is `org`'s; not found otherwise.
async fn indicator_of(app: &AppState, org: OrgId, id: i64) -> Result<IndicatorRow> {
    store::indicator::get(&app.db, id)
        .await?
        .filter(|i| i.org_id == org)
        .ok_or(AppError::NotFound)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TargetInput {
    /// The year the target is for ("100% by 2020": 2020).
    pub year: String,
    /// The target value.
    pub value: String,
}

/// Sets (or corrects) the target of a year; the earlier one stays as history.
pub async fn set_target(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &TargetInput,
) -> Result<()> {
    authorize_org(app, caller, Action::ManageMeetings, org).await?;
    let ind = indicator_of(app, org, id).await?;
    let unit = Unit::from_code(&ind.unit).unwrap_or(Unit::Amount);
    let mut errors = Vec::new();
    let year = match input.year.trim().parse::<i64>() {
        Ok(y) => check_target_year(y, ind.baseline_on.to_jiff())
            .map_err(|e| errors.push(e))
            .ok(),
        Err(_) => {
            errors.push(ValidationError::new(
                "year",
                "Năm",
                "phải là một năm, như 2020",
            ));
            None
        }
    };
    let value = num(&input.value, "value", "Chỉ tiêu", &mut errors);
    let figure = match check_figure(unit, value, None, None, "value", "Chỉ tiêu") {
        Ok(f) => Some(f),
        Err(e) => {
            if !errors.iter().any(|x| x.field == "value") {
                errors.push(e);
            }
            None
        }
    };
    let (Some(year), Some(figure)) = (year, figure) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = app.db.begin().await?;
    let rec = store::indicator::add_target(
        &mut tx,
        id,
        year,
        figure.value,
        (app.clock.now(), &caller.actor.username),
    )
    .await?;
    let summary = format!("Chỉ tiêu {} năm {year}: {}", ind.code, figure.value);
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "indicator_target",
            entity: "indicator",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"year": year, "value": figure.value, "record": rec})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct ActualInput {
    /// "2018", "Q1/2019" or "2019-Q1", "03/2019" or "2019-03".
    pub period: String,
    /// The value reached; for a rate, may be empty when numerator and denominator are given.
    pub value: String,
    /// Tử số (tỷ lệ); may be empty.
    pub numerator: String,
    /// Mẫu số (tỷ lệ); may be empty.
    pub denominator: String,
}

/// Records (or corrects) the actual value of a period; the earlier one stays
/// as history. Not for a period that has not begun.
pub async fn record_actual(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    id: i64,
    input: &ActualInput,
) -> Result<()> {
    authorize_org(app, caller, Action::ManageMeetings, org).await?;
    let ind = indicator_of(app, org, id).await?;
    let unit = Unit::from_code(&ind.unit).unwrap_or(Unit::Amount);
    let mut errors = Vec::new();
    let period = Period::parse(&input.period)
        .map_err(|e| errors.push(e))
        .ok();
    let today = app.clock.today();
    if let Some(p) = period {
        let first_month = p.last_month() - p.months + 1;
        let started = (p.year, first_month) <= (today.year(), today.month());
        if !started {
            errors.push(ValidationError::new(
                "period",
                "Kỳ số liệu",
                "chưa đến kỳ này",
            ));
        }
    }
    let value = num(&input.value, "value", "Kết quả đạt được", &mut errors);
    let numerator = num(&input.numerator, "numerator", "Tử số", &mut errors);
    let denominator = num(&input.denominator, "denominator", "Mẫu số", &mut errors);
    let figure = if errors.iter().any(|e| e.field != "period") {
        None
    } else {
        check_figure(
            unit,
            value,
            numerator,
            denominator,
            "value",
            "Kết quả đạt được",
        )
        .map_err(|e| errors.push(e))
        .ok()
    };
    let (Some(period), Some(figure), true) = (period, figure, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = app.db.begin().await?;
    let rec = store::indicator::add_actual(
        &mut tx,
        &store::indicator::NewActual {
            indicator: id,
            year: period.year,
            part: period.part,
            months: period.months,
            value: figure.value,
            numerator: figure.numerator,
            denominator: figure.denominator,
        },
        (app.clock.now(), &caller.actor.username),
    )
    .await?;
    let summary = format!(
        "Kết quả chỉ tiêu {} {}: {}",
        ind.code,
        period.label(),
        figure.value
    );
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "indicator_actual",
            entity: "indicator",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "period": period.code(), "value": figure.value, "numerator": figure.numerator,
                "denominator": figure.denominator, "record": rec
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(())
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct TrainingInput {
    /// The member trained, by id (API): one registered in this node's subtree.
    pub member_id: Option<i64>,
    /// Or by full name, as the form offers it.
    pub member: String,
    /// Khóa học: "Trung cấp lý luận chính trị - hành chính, Trường Chính trị tỉnh".
    pub course: String,
    /// political_theory_intermediate | political_theory_advanced | party_work | other
    pub level: String,
    /// The year counted.
    pub year: String,
    /// dd/mm/yyyy; may be empty.
    pub started_on: String,
    /// dd/mm/yyyy; may be empty.
    pub ended_on: String,
}

/// The node records a member sent to a course (the registry has no training
/// field of its own).
pub async fn record_training(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &TrainingInput,
) -> Result<i64> {
    let row = authorize_org(app, caller, Action::ManageMeetings, org).await?;
    let mut errors = Vec::new();
    let on = row.reference_date(app.clock.today());
    let member =
        match super::post::pick_member(app, &row, (input.member_id, &input.member), on).await {
            Ok((m, _)) => Some(m),
            Err(AppError::Invalid(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        };
    let course = clean(&input.course);
    if course.is_empty() {
        errors.push(ValidationError::new(
            "course",
            "Khóa đào tạo, bồi dưỡng",
            "không được để trống",
        ));
    } else if course.chars().count() > 300 {
        errors.push(ValidationError::new(
            "course",
            "Khóa đào tạo, bồi dưỡng",
            "quá dài",
        ));
    }
    let level = input.level.trim();
    if !TRAINING_LEVELS.iter().any(|(c, _)| *c == level) {
        errors.push(ValidationError::new("level", "Loại", "phải chọn một loại"));
    }
    let year = input
        .year
        .trim()
        .parse::<i16>()
        .ok()
        .filter(|y| crate::domain::indicator::YEARS.contains(y));
    if year.is_none() {
        errors.push(ValidationError::new(
            "year",
            "Năm",
            "phải là năm từ 2000 đến 2100",
        ));
    }
    let date = |s: &str,
                field: &'static str,
                label: &'static str,
                errors: &mut Vec<ValidationError>| match s.trim() {
        "" => None,
        s => parse_date(s).or_else(|| {
            errors.push(ValidationError::new(
                field,
                label,
                "không đúng định dạng dd/mm/yyyy",
            ));
            None
        }),
    };
    let started = date(&input.started_on, "started_on", "Từ ngày", &mut errors);
    let ended = date(&input.ended_on, "ended_on", "Đến ngày", &mut errors);
    if let (Some(a), Some(b)) = (started, ended)
        && b < a
    {
        errors.push(ValidationError::new(
            "ended_on",
            "Đến ngày",
            "không trước ngày bắt đầu",
        ));
    }
    let (Some(member), Some(year), true) = (member, year, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = app.db.begin().await?;
    let id = store::indicator::add_training(
        &mut tx,
        &store::indicator::NewTraining {
            org,
            member,
            course: &course,
            level,
            year,
            started_on: started,
            ended_on: ended,
        },
        (app.clock.now(), &caller.actor.username),
    )
    .await?;
    let summary = format!("Cử đi đào tạo, bồi dưỡng năm {year}: {course}");
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "training_record",
            entity: "member",
            entity_id: member.0,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({
                "course": course, "level": level, "year": year,
                "started_on": started.map(|d| d.to_string()), "ended_on": ended.map(|d| d.to_string()),
                "record": id
            })),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}
