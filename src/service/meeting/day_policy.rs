//! A committee sets one meeting day for all its cells at once (docs/rules.md
//! "A committee sets one meeting day for its cells"; seed 002: Bản Hon's
//! cells meet on the 3rd of every month).

use super::plan::cell_rule_from;
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::day_policy::{
    DayPolicy, Existing, PLAN_MONTHS, Step, along, committee_name, in_force_or_next, plan,
};
use crate::domain::ids::OrgId;
use crate::domain::meeting::MeetingKind;
use crate::domain::schedule::{Recurrence, format_time};
use crate::domain::time::format_date;
use crate::service::{AppError, Caller, Change, Result, audit_touching, authorize_org};
use crate::store::{self, meeting::MeetingRow, org::OrgRow};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct DayPolicyInput {
    /// YYYY-MM-DD (dd/mm/yyyy also accepted), today or later.
    #[schema(format = Date, required = true)]
    pub effective_from: String,
    /// 1 to 28.
    #[schema(pattern = r"^([1-9]|1[0-9]|2[0-8])$", required = true)]
    pub day_of_month: String,
    /// HH:MM; empty: each cell keeps its own hour.
    #[schema(pattern = r"^(([01][0-9]|2[0-3]):[0-5][0-9])?$")]
    pub time: String,
    /// Cells that registered their own day keep it.
    pub cells_keep_own: bool,
}

/// A policy as pages and the API show it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayPolicyOut {
    pub org_id: i64,
    /// YYYY-MM-DD
    pub effective_from: String,
    pub day_of_month: i8,
    /// HH:MM, or null: each cell's own hour.
    pub time: Option<String>,
    pub cells_keep_own: bool,
    /// "Theo chỉ đạo của Đảng ủy xã Bản Hon: ngày 3 hằng tháng"
    pub text: String,
}

impl DayPolicyOut {
    pub fn new(p: &DayPolicy, committee: &str) -> Self {
        DayPolicyOut {
            org_id: p.org.0,
            effective_from: p.effective_from.to_string(),
            day_of_month: p.day_of_month,
            time: p.time.map(format_time),
            cells_keep_own: p.cells_keep_own,
            text: format!(
                "Theo chỉ đạo của {}: {}",
                committee_name(committee),
                p.describe()
            ),
        }
    }
}

/// What applying a policy did.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct DayPolicyApplied {
    pub policy: DayPolicyOut,
    /// Cells whose regular meetings now follow the policy.
    pub cells_following: i64,
    /// Cells keeping a day of their own (allowed by the policy), or following
    /// a nearer committee's policy.
    pub cells_keeping_own: i64,
    /// Regular meetings created in months that had none.
    pub created: Vec<i64>,
    /// Planned regular meetings moved to the policy's day.
    pub moved: Vec<i64>,
}

/// The policies a committee has set, newest first.
pub async fn policies(app: &AppState, caller: &Caller, org: OrgId) -> Result<Vec<DayPolicyOut>> {
    let node = authorize_org(app, caller, Action::ReadOrg, org).await?;
    Ok(store::day_policy::of_node(&app.db, org)
        .await?
        .iter()
        .map(|p| DayPolicyOut::new(p, &node.name))
        .collect())
}

/// The policy a cell follows on `on` (or the next one coming) and the
/// committee that set it.
pub(super) async fn for_cell(
    app: &AppState,
    caller: &Caller,
    cell: OrgId,
    on: jiff::civil::Date,
) -> Result<Option<DayPolicyOut>> {
    let mut path = crate::service::access::ancestors(app, caller, cell, on).await?;
    path.reverse();
    let ids: Vec<OrgId> = path.iter().map(|o| o.id).collect();
    let all = store::day_policy::of_nodes(&app.db, &ids).await?;
    let grouped = along(&ids, &all);
    Ok(in_force_or_next(&grouped, on).map(|p| {
        let name = path
            .iter()
            .find(|o| o.id == p.org)
            .map_or("", |o| o.name.as_str());
        DayPolicyOut::new(p, name)
    }))
}

fn invalid(field: &'static str, label: &'static str, problem: &'static str) -> AppError {
    AppError::invalid(ValidationError::new(field, label, problem))
}

/// Sets the policy from its date and, in one transaction, plans or moves the
/// coming regular meetings of every cell below that follows it. Past, held,
/// signed and cancelled meetings never change.
pub async fn set_policy(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &DayPolicyInput,
) -> Result<DayPolicyApplied> {
    let node = authorize_org(app, caller, Action::DirectCells, org).await?;
    if node.kind().is_cell() || node.dissolved_on().is_some() {
        return Err(invalid(
            "org_id",
            "Cấp ủy",
            "chỉ cấp ủy đang hoạt động, có chi bộ trực thuộc, mới đặt ngày sinh hoạt chung",
        ));
    }
    let today = app.clock.today();
    let policy = DayPolicy::parse(
        org,
        &input.effective_from,
        &input.day_of_month,
        &input.time,
        input.cells_keep_own,
        today,
    )?;
    // Today's meetings may be under way: the plan starts tomorrow at the earliest.
    let start = policy.effective_from.max(today.tomorrow().unwrap_or(today));
    let end = start
        .checked_add(jiff::Span::new().months(PLAN_MONTHS))
        .unwrap_or(start);
    let ids = store::org::subtree_ids(&app.db, org, today).await?;
    let nodes = store::org::get_many_latest(&app.db, &ids).await?;
    let cells: Vec<&OrgRow> = nodes
        .iter()
        .filter(|o| o.kind().is_cell() && o.dissolved_on().is_none())
        .collect();
    let cell_ids: Vec<OrgId> = cells.iter().map(|c| c.id).collect();
    let own: HashMap<OrgId, store::meeting::ScheduleRow> =
        store::day_policy::schedules_of(&app.db, &cell_ids)
            .await?
            .into_iter()
            .collect();
    // A committee between this one and a cell with a policy of its own in
    // force on the start decides for that cell (the nearest one does).
    let nearer: HashSet<OrgId> = store::day_policy::of_nodes(&app.db, &ids)
        .await?
        .into_iter()
        .filter(|p| p.org != org && p.effective_from <= start)
        .map(|p| p.org)
        .collect();
    let parent: HashMap<OrgId, Option<OrgId>> = nodes.iter().map(|o| (o.id, o.parent_id)).collect();
    let under_nearer = |cell: OrgId| {
        let mut at = Some(cell);
        while let Some(n) = at {
            if n == org {
                return false;
            }
            if nearer.contains(&n) {
                return true;
            }
            at = parent.get(&n).copied().flatten();
        }
        false
    };
    let fallback = Recurrence::default_rule();
    let mut following: Vec<(&OrgRow, Recurrence)> = Vec::new();
    for c in &cells {
        let own_rule = own.get(&c.id).map(cell_rule_from);
        if under_nearer(c.id) {
            continue;
        }
        let (rule, follows) =
            crate::domain::day_policy::cell_rule(own_rule.as_ref(), Some(&policy), &fallback);
        if follows {
            following.push((c, rule));
        }
    }
    let meetings = store::meeting::in_subtree(
        &app.db,
        store::org::Root::subtree(org),
        today,
        start,
        end,
        store::meeting::ALL,
    )
    .await?;
    let mut by_cell: HashMap<OrgId, Vec<&MeetingRow>> = HashMap::new();
    for m in &meetings {
        by_cell.entry(m.org_id).or_default().push(m);
    }
    let committee = committee_name(&node.name);
    let reason = format!(
        "Theo chỉ đạo của {committee}: {} (áp dụng từ {})",
        policy.describe(),
        format_date(policy.effective_from)
    );
    let now = app.clock.now();
    let mut tx = app.db.begin().await?;
    let policy_id = store::day_policy::insert(&mut tx, &policy, now, &caller.actor.username)
        .await
        .map_err(|e| match e {
            store::StoreError::Conflict(_) => invalid(
                "effective_from",
                "Áp dụng từ ngày",
                "đã có chỉ đạo khác áp dụng từ ngày này",
            ),
            e => e.into(),
        })?;
    let (mut created, mut moved) = (Vec::new(), Vec::new());
    for (cell, rule) in &following {
        let rows = by_cell.get(&cell.id).map(Vec::as_slice).unwrap_or(&[]);
        let existing: Vec<Existing> = rows
            .iter()
            .map(|m| {
                let k = super::kind(m);
                Existing {
                    id: m.id,
                    day: m.held_on.to_jiff(),
                    counts: k.is_regular() && m.status != "cancelled",
                    movable: k == MeetingKind::Regular
                        && m.status == "planned"
                        && m.signed_at.is_none(),
                }
            })
            .collect();
        let time = format_time(rule.time);
        for step in plan(policy.day_of_month, start, &existing) {
            match step {
                Step::Move { id, from, to } => {
                    let Some(row) = rows.iter().find(|m| m.id == id) else {
                        continue;
                    };
                    let mut m = (*row).clone();
                    m.held_on = store::types::day(to);
                    if policy.time.is_some() {
                        m.start_time = time.clone();
                    }
                    store::meeting::update(&mut tx, &m).await?;
                    store::meeting::record_move(
                        &mut tx,
                        id,
                        from,
                        to,
                        &reason,
                        now,
                        &caller.actor.username,
                    )
                    .await?;
                    moved.push(id);
                }
                Step::Create { day } => {
                    let id = store::meeting::insert(
                        &mut tx,
                        &store::meeting::NewMeeting {
                            org: cell.id,
                            kind: MeetingKind::Regular.code(),
                            held_on: day,
                            start_time: &time,
                            place: &rule.place,
                            topic: "",
                            ho_chi_minh: false,
                        },
                    )
                    .await?;
                    super::plan::set_regular_agenda(&mut tx, id, cell).await?;
                    created.push(id);
                }
            }
        }
    }
    let out = DayPolicyOut::new(&policy, &node.name);
    let summary = format!(
        "{}: {} chi bộ theo, {} cuộc mới, {} cuộc dời ngày",
        out.text,
        following.len(),
        created.len(),
        moved.len()
    );
    let after = serde_json::json!({
        "policy_id": policy_id, "effective_from": policy.effective_from.to_string(),
        "day_of_month": policy.day_of_month, "time": out.time, "cells_keep_own": policy.cells_keep_own,
        "cells": following.iter().map(|(c, _)| c.id.0).collect::<Vec<_>>(),
        "created": created, "moved": moved,
    });
    let touched: Vec<OrgId> = following.iter().map(|(c, _)| c.id).collect();
    audit_touching(
        app,
        &mut tx,
        caller,
        Change {
            action: "meeting_day",
            entity: "org",
            entity_id: org.0,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(after),
        },
        &touched,
    )
    .await?;
    tx.commit().await?;
    Ok(DayPolicyApplied {
        policy: out,
        cells_following: following.len() as i64,
        cells_keeping_own: (cells.len() - following.len()) as i64,
        created,
        moved,
    })
}
