//! A node's dashboard for a period: the sections chibo can fill, read from
//! the rollups (one row for the node's year of meetings and recommendations,
//! one for its members), never by rescanning the subtree on a warm cache
//! (docs/rules.md §Dashboards).

use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::dashboard::{Period, Section, sections, signals, targets as target_lines};
use crate::domain::ids::OrgId;
use crate::domain::rubric::month::ScoreMonth;
use crate::domain::time::format_date;
use crate::service::dashboard_cache::{Built, Key};
use crate::service::{AppError, Caller, Result, allows, authorize_org};
use crate::store::{self, rollup};
use serde::Serialize;
use std::sync::Arc;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct Dashboard {
    pub org_id: i64,
    pub name: String,
    pub period: Period,
    /// "năm 2026", "tháng 3–6 năm 2026".
    pub period_label: String,
    /// The day the tree and the members are read as of: the period's last
    /// day, today if it has not ended, or the node's last day if it closed.
    pub as_of: String,
    /// Whether the node is a cell (no units below it).
    pub is_cell: bool,
    /// In display order. A section whose data is empty for the period says
    /// so in its `empty` field.
    pub sections: Vec<Section>,
    /// This dashboard as the API writes it: made by its first API read, then
    /// shared by every viewer of the kept dashboard (`dashboard_cache`).
    #[serde(skip)]
    pub json: std::sync::OnceLock<bytes::Bytes>,
}

impl Dashboard {
    /// The JSON body of the API's answer, written once.
    pub fn json(&self) -> Result<bytes::Bytes> {
        if let Some(body) = self.json.get() {
            return Ok(body.clone());
        }
        let body = serde_json::to_vec(self).map_err(|e| AppError::Internal(e.to_string()))?;
        Ok(self.json.get_or_init(|| body.into()).clone())
    }
}

/// Query fields of the period selector; empty fields mean the current year.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeriodQuery {
    /// Year, 2000–2100 (default: this year).
    pub year: Option<String>,
    /// First month, 1–12 (default 1).
    pub from_month: Option<String>,
    /// Last month, 1–12 (default 12).
    pub to_month: Option<String>,
}

impl PeriodQuery {
    pub fn parse(&self, today: jiff::civil::Date) -> Result<Period> {
        let s = |v: &Option<String>| v.clone().unwrap_or_default();
        Period::parse(
            &s(&self.year),
            &s(&self.from_month),
            &s(&self.to_month),
            today.year(),
        )
        .map_err(AppError::Invalid)
    }
}

/// The dashboard of `org` for the period asked, kept per process against
/// the node's epoch (`service::dashboard_cache`).
pub async fn dashboard(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    q: &PeriodQuery,
) -> Result<Arc<Dashboard>> {
    authorize_org(app, caller, Action::ReadOrg, org).await?;
    let today = app.clock.today();
    let key = Key {
        org,
        period: q.parse(today)?,
        today,
        signals: allows(app, caller, Action::ReadSignals, org).await?,
        breakdowns: allows(app, caller, Action::ReadBreakdowns, org).await?,
    };
    let epoch = caller.node_epoch(app, org).await?.node;
    app.dashboards
        .get_or_build(key, epoch, || build(app, key))
        .await
}

/// Adds up the sections. Everything is read after the epoch, the node too
/// (the one authorization read may be older than the epoch).
async fn build(app: &AppState, key: Key) -> Result<Built> {
    let Key {
        org, period, today, ..
    } = key;
    let node = store::org::get_latest(&app.db, org).await?;
    let whole = Period::year(period.year);
    // The whole year's row, shared with the yearly statistics: a month
    // range is cut from its months.
    let tree_on = node.reference_date(whole.last_day().min(today));
    let metrics = rollup::subtree(
        &app.db,
        store::org::Root::of(&node),
        &rollup::Measure::Meetings {
            tree_on,
            from: whole.first_day(),
            to: whole.last_day(),
            today,
        },
    )
    .await?;
    let as_of = node.reference_date(period.last_day().min(today));
    let mut out = vec![
        sections::meetings_by_month(&metrics, &period),
        sections::participation_by_month(&metrics, &period),
        sections::recommendations_by_status(&metrics, &period),
        sections::recommendations_by_topic(&metrics, &period),
    ];
    // Quality levels and the year's grades come from the same rollup row.
    out.push(sections::quality_levels(&metrics, &period));
    let own = store::classification::get(&app.db, i32::from(period.year), "org", org.0)
        .await?
        .map(|r| r.final_grade.unwrap_or_else(|| "pending".into()));
    out.push(sections::classification(
        &metrics,
        own.as_deref(),
        period.year,
    ));
    // A committee that scores its base organizations monthly: the ranking of
    // the last month of the period it scored.
    let codes = |d: jiff::civil::Date| ScoreMonth::of(d).code();
    let last = if node.kind().is_cell() {
        None // a cell scores no organization below it
    } else {
        store::monthly_score::latest_month(
            &app.db,
            org,
            (&codes(period.first_day()), &codes(period.last_day())),
        )
        .await?
    };
    if let Some(month) = last.as_deref().and_then(|m| ScoreMonth::parse(m).ok()) {
        let ranked: Vec<(String, f64)> = store::monthly_score::ranking(&app.db, org, &month.code())
            .await?
            .into_iter()
            .map(|s| (s.org_name, f64::from(s.total_tenths) / 10.0))
            .collect();
        out.push(sections::monthly_ranking(&month.label(), &ranked));
    }
    out.push(targets(app, store::org::Root::of(&node), as_of, &period).await?);
    // Formalism signals of the nodes below: only for those who may read
    // them (never the cell itself); others get no section, not an error.
    let mut counting = false;
    if key.signals {
        let counted =
            super::signal::cached_counts(app, &node, (period.first_day(), period.last_day()))
                .await?;
        counting = counted.pending > 0;
        if counting {
            out.push(signals::counting(counted.pending, &period));
        } else {
            out.push(signals::by_rule(&counted.tally, &period));
            out.push(signals::by_node(&counted.tally, &period));
        }
    }
    // Members by status single out a person in a small cell: shown only to
    // those who may read the breakdowns of the statistics.
    if key.breakdowns {
        let counts =
            store::stats::subtree_counts(&app.db, store::org::Root::of(&node), as_of).await?;
        let mut by_status: Vec<(String, i64)> = Vec::new();
        for (status, _, n) in counts.members {
            match by_status.iter_mut().find(|(s, _)| *s == status) {
                Some((_, t)) => *t += n,
                None => by_status.push((status, n)),
            }
        }
        out.push(sections::members_by_status(&by_status, &format_date(as_of)));
    }
    let d = Dashboard {
        org_id: org.0,
        name: node.name.clone(),
        period,
        period_label: period.label(),
        as_of: as_of.to_string(),
        is_cell: node.kind().is_cell(),
        sections: out,
        json: Default::default(),
    };
    // Still counting: the next viewer should see the counts.
    Ok((Arc::new(d), !counting))
}

/// Targets against actuals: the node's indicators and, by code, those of
/// the nodes below; three queries whatever the subtree's size.
async fn targets(
    app: &AppState,
    root: store::org::Root,
    on: jiff::civil::Date,
    period: &Period,
) -> Result<Section> {
    let rows = store::indicator::in_subtree(&app.db, root, on).await?;
    let (targets, actuals) =
        store::indicator::values_in_subtree(&app.db, root, on, period.year).await?;
    let views = super::indicator::views(rows, &targets, &actuals);
    let (own, below): (Vec<_>, Vec<_>) = views
        .into_iter()
        .map(|v| target_lines::Facts {
            org: v.row.org_id.0,
            code: v.row.code.clone(),
            name: v.row.name.clone(),
            unit: v.unit,
            direction: v.direction,
            baseline: v.baseline,
            baseline_on: v.row.baseline_on.to_jiff(),
            targets: v.targets,
            actuals: v.actuals,
        })
        .partition(|f| f.org == root.id.0);
    Ok(target_lines::section(
        &target_lines::lines(&own, &below, period),
        period,
    ))
}

/// The same figures as an XLSX workbook, one sheet a section.
pub async fn xlsx(app: &AppState, caller: &Caller, org: OrgId, q: &PeriodQuery) -> Result<Vec<u8>> {
    let d = dashboard(app, caller, org, q).await?;
    crate::docs::dashboard_xlsx::write(&d).map_err(|e| AppError::Internal(e.to_string()))
}
