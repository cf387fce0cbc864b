//! Meeting statistics and rule compliance, rolled up a subtree.

use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::domain::rules::{Check, MeetingFacts, check_meeting, check_year};
use crate::service::{AppError, Caller, Result, authorize_org};
use crate::store::{self, meeting::MeetingRow};
use jiff::civil::{Date, date};
use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct MeetingStats {
    pub org_id: i64,
    pub year: i16,
    /// Meetings planned (not cancelled) in the year.
    pub planned: i64,
    pub held: i64,
    pub thematic_held: i64,
    /// Members present / members convened (exempt members not convened), 0–1.
    pub attendance_rate: f64,
    /// Members who spoke / members present, 0–1 (target: more than half).
    pub speaker_share: f64,
    /// Open tasks past their deadline.
    pub overdue_tasks: i64,
    /// kind → {planned, held}
    pub by_kind: BTreeMap<String, KindCount>,
    /// Members without a post and newly admitted members, apart from the
    /// whole subtree's figures above (seed 001: they speak least).
    pub groups: Vec<super::GroupOut>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct KindCount {
    pub planned: i64,
    pub held: i64,
}

fn year_bounds(year: i16) -> Result<(Date, Date)> {
    if !(2000..=2100).contains(&year) {
        return Err(AppError::invalid(crate::domain::ValidationError::new(
            "year",
            "Năm",
            "phải từ 2000 đến 2100",
        )));
    }
    Ok((date(year, 1, 1), date(year, 12, 31)))
}

pub async fn meeting_stats(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    year: i16,
) -> Result<MeetingStats> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let (from, to) = year_bounds(year)?;
    let today = app.clock.today();
    let tree_on = row.reference_date(to.min(today));
    let t = app
        .nodes
        .read(
            app,
            caller,
            org,
            ("meeting_totals", [tree_on, from, today]),
            || async {
                Ok(store::meeting::totals(
                    &app.db,
                    store::org::Root::of(&row),
                    tree_on,
                    from,
                    to,
                    today,
                )
                .await?)
            },
        )
        .await?;
    let ratio = |a: i64, b: i64| if b == 0 { 0.0 } else { a as f64 / b as f64 };
    Ok(MeetingStats {
        org_id: org.0,
        year,
        planned: t.planned,
        held: t.held,
        thematic_held: t.thematic_held,
        attendance_rate: ratio(t.present, t.convened),
        speaker_share: ratio(t.speakers, t.present),
        overdue_tasks: t.overdue_tasks,
        groups: t
            .groups
            .iter()
            .map(|(g, f)| super::GroupOut::new(*g, f))
            .collect(),
        by_kind: t
            .by_kind
            .iter()
            .map(|(k, p, h)| {
                (
                    k.clone(),
                    KindCount {
                        planned: *p,
                        held: *h,
                    },
                )
            })
            .collect(),
    })
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CellCompliance {
    pub org_id: i64,
    pub name: String,
    /// Year checks (regular meetings, thematic each quarter, Ho Chi Minh).
    pub checks: Vec<CheckOut>,
    /// Per-meeting checks that failed: (date, check).
    pub meeting_failures: Vec<(String, CheckOut)>,
    /// Null when no rule applies to the year: the cell is not judged.
    pub met: Option<bool>,
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct CheckOut {
    pub key: String,
    pub requirement: String,
    pub source: String,
    pub found: String,
    pub met: bool,
}

impl From<Check> for CheckOut {
    fn from(c: Check) -> Self {
        CheckOut {
            key: c.key.into(),
            requirement: c.requirement,
            source: c.source,
            found: c.found,
            met: c.met,
        }
    }
}

#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct ComplianceReport {
    pub org_id: i64,
    pub year: i16,
    pub cells: i64,
    pub cells_short: i64,
    /// The rules the year is judged by. Null: no rule chibo holds applies to
    /// that year (the earliest starts on `rules_from`), and no cell is judged.
    pub rule_source: Option<String>,
    /// The first day chibo holds a rule for.
    pub rules_from: Option<String>,
    /// Every cell of the subtree (or the cell itself), those falling short first.
    pub report: Vec<CellCompliance>,
}

/// What is met and what is missing for the year, for every cell of the subtree.
pub async fn compliance(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    year: i16,
) -> Result<ComplianceReport> {
    let row = authorize_org(app, caller, Action::ReadOrg, org).await?;
    let (from, to) = year_bounds(year)?;
    let tree_on = row.reference_date(to.min(app.clock.today()));
    let meetings = store::meeting::in_subtree(
        &app.db,
        store::org::Root::of(&row),
        tree_on,
        from,
        to,
        store::meeting::ALL,
    )
    .await?;
    compliance_of(app, &row, year, &meetings).await
}

/// The compliance report of `row` (authorized by the caller) from every
/// meeting of its subtree in `year`.
pub(super) async fn compliance_of(
    app: &AppState,
    row: &store::org::OrgRow,
    year: i16,
    meetings: &[MeetingRow],
) -> Result<ComplianceReport> {
    let org = row.id;
    let (_, to) = year_bounds(year)?;
    let today = app.clock.today();
    let tree_on = row.reference_date(to.min(today));
    let rules = store::meeting::rules(&app.db).await?;
    let rule = crate::domain::rules::for_year(&rules, year, today);
    let mut cells: Vec<store::org::OrgRow> = if row.kind().is_cell() {
        // A cell is its own subtree, from the day it was founded.
        (row.created_on.to_jiff() <= tree_on)
            .then(|| row.clone())
            .into_iter()
            .collect()
    } else {
        let ids = store::org::subtree_ids(&app.db, org, tree_on).await?;
        store::org::get_many_latest(&app.db, &ids)
            .await?
            .into_iter()
            .filter(|o| o.kind().is_cell())
            .collect()
    };
    store::org::sort_by_name(&mut cells);
    let mut report = Vec::with_capacity(cells.len());
    for cell in &cells {
        let facts: Vec<MeetingFacts> = meetings
            .iter()
            .filter(|m| m.org_id == cell.id && m.status != "cancelled")
            .map(super::facts_of)
            .collect();
        let checks: Vec<CheckOut> = check_year(&rules, year, today, &facts)
            .into_iter()
            .map(CheckOut::from)
            .collect();
        let meeting_failures: Vec<(String, CheckOut)> = facts
            .iter()
            .filter(|f| f.held)
            .flat_map(|f| {
                check_meeting(&rules, f)
                    .into_iter()
                    .filter(|c| !c.met)
                    .map(move |c| (f.day.to_string(), CheckOut::from(c)))
            })
            .collect();
        let met = rule
            .is_some()
            .then(|| checks.iter().all(|c| c.met) && meeting_failures.is_empty());
        report.push(CellCompliance {
            org_id: cell.id.0,
            name: cell.name.clone(),
            checks,
            meeting_failures,
            met,
        });
    }
    report.sort_by_key(|c| c.met);
    let short = report.iter().filter(|c| c.met == Some(false)).count() as i64;
    Ok(ComplianceReport {
        org_id: org.0,
        year,
        cells: report.len() as i64,
        cells_short: short,
        rule_source: rule.map(|r| r.source.clone()),
        rules_from: rules.first().map(|r| r.effective_from.to_string()),
        report,
    })
}
