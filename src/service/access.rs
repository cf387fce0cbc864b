//! The one path every check takes: a node's paths for the caller's grants,
//! `domain::authz::decide` on them, and the objects routes name by id
//! (meetings, tasks and documents belong to their cell).

use super::{AppError, Caller, Result};
use crate::app::AppState;
use crate::domain::authz::{Action, Decision, Paths, Target, decide};
use crate::domain::ids::{MemberId, OrgId, UserId};
use crate::domain::supervision;
use crate::store::{self, StoreError, member::MemberRow, org::OrgRow};
use jiff::civil::Date;

/// What a route's `{id}` names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Object {
    Org,
    Member,
    Meeting,
    Task,
    Document,
    /// An account: it lives wherever it holds a grant.
    User,
    /// A supervision round: it belongs to its committee, and its cadres act
    /// on it (docs/rules.md "Supervision rounds and unannounced visits").
    Round,
    /// A visit of a round: its committee's, its cadre's, and the visited
    /// cell's once the meeting has taken place (`ReadOrg`).
    Visit,
    /// The conclusion notice of a round (by the round's id): its planners,
    /// and once issued the units it names (`ReadOrg`), never before every
    /// visited meeting has taken place.
    Conclusion,
    /// A recommendation (kiến nghị): read and reported back at its cell,
    /// handled at the level it was sent to (the cell until then).
    Recommendation,
}

/// Checks `action` on the object a route names, reading only what locates
/// it in the tree (never its contents).
pub async fn authorize(
    app: &AppState,
    caller: &Caller,
    object: Object,
    action: Action,
    id: i64,
) -> Result<()> {
    let found = |r: std::result::Result<i64, StoreError>| match r {
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        r => r.map_err(AppError::from),
    };
    let org = match object {
        Object::Org => OrgId(id),
        Object::Member => {
            return authorize_member(app, caller, action, MemberId(id))
                .await
                .map(drop);
        }
        Object::User => {
            return super::account::authorize_account(app, caller, action, UserId(id))
                .await
                .map(drop);
        }
        Object::Round => {
            let round = found_row(store::supervision::round(&app.db, id).await)?;
            return authorize_round(app, caller, action, &round).await;
        }
        Object::Conclusion => {
            let round = found_row(store::supervision::round(&app.db, id).await)?;
            let planner = decision_on(app, caller, Action::PlanSupervision, round.org_id).await?;
            if planner == Decision::Allowed {
                return Ok(());
            }
            if action == Action::ReadOrg
                && super::supervision::conclusion::readable_by_unit(app, caller, id).await?
            {
                return Ok(());
            }
            return Err(AppError::NotFound);
        }
        Object::Visit => {
            let place = found_row(store::supervision::visit_place(&app.db, id).await)?;
            return authorize_visit(app, caller, action, &place).await;
        }
        Object::Meeting => OrgId(found(store::meeting::org_of_meeting(&app.db, id).await)?),
        Object::Task => OrgId(found(store::meeting::org_of_task(&app.db, id).await)?),
        Object::Document => OrgId(found(store::meeting::org_of_document(&app.db, id).await)?),
        Object::Recommendation => {
            let (cell, level) = match store::recommendation::place(&app.db, id).await {
                Err(StoreError::NotFound) => return Err(AppError::NotFound),
                r => r?,
            };
            if action != Action::HandleRecommendations {
                cell
            } else {
                // Whoever reads the cell but not the level (the cell itself,
                // a committee below the level) is refused, not kept in the dark.
                let at = level.unwrap_or(cell);
                return match authorize_org(app, caller, action, at).await {
                    Err(AppError::NotFound) => {
                        authorize_org(app, caller, Action::ReadOrg, cell).await?;
                        Err(AppError::Forbidden)
                    }
                    r => r.map(drop),
                };
            }
        }
    };
    authorize_org(app, caller, action, org).await.map(drop)
}

fn found_row<T>(r: std::result::Result<T, StoreError>) -> Result<T> {
    match r {
        Err(StoreError::NotFound) => Err(AppError::NotFound),
        r => r.map_err(AppError::from),
    }
}

fn answer(d: Decision) -> Result<()> {
    match d {
        Decision::Allowed => Ok(()),
        Decision::Denied => Err(AppError::Forbidden),
        Decision::Hidden => Err(AppError::NotFound),
    }
}

/// The caller's decision on a node, as the round's planners are judged.
async fn decision_on(
    app: &AppState,
    caller: &Caller,
    action: Action,
    org: OrgId,
) -> Result<Decision> {
    let (_, paths) = match org_paths(app, caller, org).await {
        Err(AppError::NotFound) => return Ok(Decision::Hidden),
        r => r?,
    };
    Ok(decide(
        &caller.actor,
        action,
        &Target {
            org,
            paths: &paths,
            member: None,
        },
    ))
}

/// `action` on a round: its committee's planners, and its cadres for
/// `AttendMeeting` (`domain::supervision::admit`).
pub async fn authorize_round(
    app: &AppState,
    caller: &Caller,
    action: Action,
    round: &store::supervision::RoundRow,
) -> Result<()> {
    let planner = decision_on(app, caller, Action::PlanSupervision, round.org_id).await?;
    let cadre = match caller.actor.member_id {
        Some(m) if planner != Decision::Allowed => {
            store::supervision::is_cadre(&app.db, round.id, m).await?
        }
        _ => false,
    };
    answer(supervision::admit(planner, cadre, action))
}

/// `action` on a visit: `AttendMeeting` for its planners and its own cadre;
/// `ReadOrg` also for the visited cell's readers once the meeting has taken
/// place — before that they are answered as for a visit that does not exist.
pub async fn authorize_visit(
    app: &AppState,
    caller: &Caller,
    action: Action,
    place: &store::supervision::VisitPlace,
) -> Result<()> {
    let planner = decision_on(app, caller, Action::PlanSupervision, place.org_id).await?;
    let cadre = caller.actor.member_id == Some(place.member_id);
    if action != Action::ReadOrg {
        return answer(supervision::admit(planner, cadre, action));
    }
    let meeting = store::meeting::get(&app.db, place.meeting_id).await?;
    let taken = supervision::taken_place(
        &meeting.status,
        meeting.held_on.to_jiff(),
        app.clock.today(),
    );
    let cell = if taken && !cadre && planner != Decision::Allowed {
        decision_on(app, caller, Action::ReadOrg, meeting.org_id).await?
    } else {
        Decision::Hidden
    };
    answer(supervision::admit_cell(planner, cadre, taken, cell))
}

fn check(caller: &Caller, action: Action, target: &Target) -> Result<()> {
    match decide(&caller.actor, action, target) {
        Decision::Allowed => Ok(()),
        Decision::Denied => Err(AppError::Forbidden),
        Decision::Hidden => Err(AppError::NotFound),
    }
}

/// A node's latest row and the paths the caller's grants are judged on:
/// today's (or the node's last day, if dissolved) for live grants, and the
/// last day of each dissolved node a grant sits on.
pub(crate) async fn org_paths(
    app: &AppState,
    caller: &Caller,
    id: OrgId,
) -> Result<(OrgRow, Paths)> {
    if let Some(hit) = caller.seen.get(id) {
        return Ok(hit);
    }
    if let Some(hit) = live_path(app, caller, id).await? {
        return Ok(hit);
    }
    let org = match store::org::get_latest(&app.db, id).await {
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        r => r?,
    };
    let own = org.reference_date(app.clock.today());
    let ended: Vec<Date> = caller.actor.grants.iter().filter_map(|g| g.ended).collect();
    let mut dates = vec![own];
    for d in &ended {
        let on = (*d).min(own);
        if !dates.contains(&on) {
            dates.push(on);
        }
    }
    let by_date = store::org::paths_at(&app.db, id, &dates).await?;
    let path = |on: Date| {
        by_date
            .iter()
            .find(|(d, _)| *d == on)
            .map(|(_, p)| p.clone())
            .unwrap_or_default()
    };
    let paths = Paths {
        current: path(own),
        at: ended.iter().map(|d| (*d, path((*d).min(own)))).collect(),
    };
    caller.seen.put(id, &org, &paths);
    Ok((org, paths))
}

/// A node that exists today, with its ancestors, in one statement: their
/// rows on today are their latest rows, and each ancestor's path is a prefix
/// of the node's, so the rest of the request finds them in `seen` (a page
/// judging a cell, its commune and its province reads the tree once). Only
/// for callers whose grants are all live; `None` sends the caller to the
/// general lookup (a dissolved node, a node not yet founded, ended grants).
async fn live_path(app: &AppState, caller: &Caller, id: OrgId) -> Result<Option<(OrgRow, Paths)>> {
    if caller.actor.grants.iter().any(|g| g.ended.is_some()) {
        return Ok(None);
    }
    let today = app.clock.today();
    let chain = store::org::ancestors(&app.db, id, today).await?;
    let live = |o: &OrgRow| o.valid_to.is_none() && o.reference_date(today) == today;
    if chain.last().is_none_or(|o| o.id != id || !live(o)) {
        return Ok(None);
    }
    let mut path = Vec::with_capacity(chain.len());
    let mut last = None;
    for row in &chain {
        path.push(row.id);
        if live(row) {
            let paths = Paths::fixed(path.clone());
            caller.seen.put(row.id, row, &paths);
            last = Some((row.clone(), paths));
        }
    }
    Ok(last)
}

/// A node's latest row, from the request's lookups when it has it (no
/// authorization: for nodes the caller was already judged on).
pub(crate) async fn latest(app: &AppState, caller: &Caller, id: OrgId) -> Result<OrgRow> {
    match caller.seen.get(id) {
        Some((row, _)) => Ok(row),
        None => Ok(store::org::get_latest(&app.db, id).await?),
    }
}

/// Ancestors-or-self of `id` on `on`, root first, from the request's lookups
/// when they hold the whole path (see [`live_path`]).
pub(crate) async fn ancestors(
    app: &AppState,
    caller: &Caller,
    id: OrgId,
    on: Date,
) -> Result<Vec<OrgRow>> {
    if on == app.clock.today()
        && let Some((_, paths)) = caller.seen.get(id)
        && paths.at.is_empty()
    {
        let rows: Option<Vec<OrgRow>> = paths
            .current
            .iter()
            .map(|a| caller.seen.get(*a).map(|(row, _)| row))
            .collect();
        let current = |o: &OrgRow| o.valid_to.is_none() && o.valid_from.to_jiff() <= on;
        if let Some(rows) = rows.filter(|r| r.iter().all(current)) {
            return Ok(rows);
        }
    }
    Ok(store::org::ancestors(&app.db, id, on).await?)
}

/// Loads a node (its latest state) and checks `action` on it.
pub async fn authorize_org(
    app: &AppState,
    caller: &Caller,
    action: Action,
    id: OrgId,
) -> Result<OrgRow> {
    let (org, paths) = org_paths(app, caller, id).await?;
    check(
        caller,
        action,
        &Target {
            org: id,
            paths: &paths,
            member: None,
        },
    )?;
    Ok(org)
}

/// Whether the caller may do `action` on a node they can already read (for
/// what a page offers; the use case checks again when it is done).
pub async fn allows(app: &AppState, caller: &Caller, action: Action, id: OrgId) -> Result<bool> {
    permitted(authorize_org(app, caller, action, id).await)
}

/// A check's answer as yes or no; only a failure to decide is an error.
pub fn permitted<T>(check: Result<T>) -> Result<bool> {
    match check {
        Ok(_) => Ok(true),
        Err(AppError::Forbidden | AppError::NotFound) => Ok(false),
        Err(e) => Err(e),
    }
}

/// Loads a member and checks `action` on them, at their current cell.
pub async fn authorize_member(
    app: &AppState,
    caller: &Caller,
    action: Action,
    id: MemberId,
) -> Result<MemberRow> {
    let m = match store::member::get(&app.db, id).await {
        Err(StoreError::NotFound) => return Err(AppError::NotFound),
        r => r?,
    };
    let (_, paths) = org_paths(app, caller, m.cell_id).await?;
    check(
        caller,
        action,
        &Target {
            org: m.cell_id,
            paths: &paths,
            member: Some(id),
        },
    )?;
    Ok(m)
}
