//! Supervision rounds (docs/rules.md "Supervision rounds and unannounced
//! visits"): a committee's staff plan a round with its period, purpose,
//! scope and cadres; each cadre picks a registered meeting of a cell in the
//! scope (`visit.rs`). Everything is stored and audited against the round's
//! committee, never the visited cell.

pub mod conclusion;
mod letter;
mod visit;

pub use conclusion::conclusion_docx;
pub use letter::letter_docx;
pub use visit::{
    PickInput, VisitShown, VisitView, briefing, file_report, pick, shown, shown_at,
    upload_briefing, visit_view,
};

use super::{AppError, Caller, Change, Result, audit, authorize_org};
use crate::app::AppState;
use crate::domain::ValidationError;
use crate::domain::authz::Action;
use crate::domain::ids::{MemberId, OrgId};
use crate::domain::supervision::Period;
use crate::domain::text::clean;
use crate::store::{self, meeting::MeetingRow, org::OrgRow, supervision as st};
use serde::Deserialize;

/// A committee's rounds.
pub struct Rounds {
    pub org: OrgRow,
    pub rounds: Vec<st::RoundRow>,
}

pub async fn rounds(app: &AppState, caller: &Caller, org: OrgId) -> Result<Rounds> {
    let org = authorize_org(app, caller, Action::PlanSupervision, org).await?;
    let rounds = st::rounds_of(&app.db, org.id).await?;
    Ok(Rounds { org, rounds })
}

/// The rounds the caller is a cadre of.
pub async fn my_rounds(app: &AppState, caller: &Caller) -> Result<Vec<st::RoundRow>> {
    match caller.actor.member_id {
        Some(m) => Ok(st::rounds_of_cadre(&app.db, m).await?),
        None => Ok(Vec::new()),
    }
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct RoundInput {
    /// "Đợt dự sinh hoạt chi bộ tháng 12/2026".
    pub name: String,
    pub purpose: String,
    /// dd/mm/yyyy or YYYY-MM-DD, first and last day.
    pub from: String,
    pub to: String,
    /// The node whose cells are visited, by name; the committee itself when empty.
    pub scope: String,
    /// Cadres, one a line: "Họ tên" or "Họ tên — Chi bộ", then "| chức vụ".
    pub cadres: String,
}

const MAX_NAME: usize = 200;
const MAX_PURPOSE: usize = 2000;

/// Plans a round of `org`'s committee.
pub async fn create_round(
    app: &AppState,
    caller: &Caller,
    org: OrgId,
    input: &RoundInput,
) -> Result<i64> {
    let node = authorize_org(app, caller, Action::PlanSupervision, org).await?;
    if node.dissolved_on().is_some() {
        return Err(AppError::Conflict("tổ chức đã giải thể".into()));
    }
    let mut errors = Vec::new();
    let name = clean(&input.name);
    if name.is_empty() || name.chars().count() > MAX_NAME {
        errors.push(ValidationError::new(
            "name",
            "Tên đợt",
            format!("phải ghi, dài nhiều nhất {MAX_NAME} ký tự"),
        ));
    }
    let purpose = input.purpose.trim().to_string();
    if purpose.chars().count() > MAX_PURPOSE {
        errors.push(ValidationError::new(
            "purpose",
            "Mục đích",
            format!("dài quá {MAX_PURPOSE} ký tự"),
        ));
    }
    let period = Period::parse(&input.from, &input.to)
        .map_err(|mut e| errors.append(&mut e))
        .ok();
    let today = app.clock.today();
    let scope = match input.scope.trim() {
        "" => Some(org),
        s => match super::org::pick(app, caller, s, today, ("scope", "Phạm vi"), |r| {
            !r.kind().is_cell()
        })
        .await
        {
            Ok(id) => Some(id),
            Err(AppError::Invalid(mut e)) => {
                errors.append(&mut e);
                None
            }
            Err(e) => return Err(e),
        },
    };
    if let Some(s) = scope
        && s != org
        && !store::org::ancestors(&app.db, s, today)
            .await?
            .iter()
            .any(|a| a.id == org)
    {
        errors.push(ValidationError::new(
            "scope",
            "Phạm vi",
            format!("phải là {} hoặc một tổ chức trực thuộc", node.name),
        ));
    }
    let cadres = cadre_lines(app, caller, &input.cadres, &mut errors).await?;
    let (Some(period), Some(scope), true) = (period, scope, errors.is_empty()) else {
        return Err(AppError::Invalid(errors));
    };
    let mut tx = app.db.begin().await?;
    let id = st::insert_round(
        &mut tx,
        &st::NewRound {
            org,
            scope,
            name: &name,
            purpose: &purpose,
            from: period.from,
            to: period.to,
            at: app.clock.now(),
        },
    )
    .await?;
    for (member, position) in &cadres {
        st::insert_cadre(&mut tx, id, *member, position).await?;
    }
    let summary = format!("Lập {name} ({} cán bộ dự)", cadres.len());
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "plan_round",
            entity: "supervision_round",
            entity_id: id,
            org: Some(org),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"scope_id": scope, "from": period.from.to_string(), "to": period.to.to_string(), "cadres": cadres.len()})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

/// Parses cadre lines into members with an account (only they can pick a
/// meeting and report), collecting the problems of every line.
async fn cadre_lines(
    app: &AppState,
    caller: &Caller,
    text: &str,
    errors: &mut Vec<ValidationError>,
) -> Result<Vec<(MemberId, String)>> {
    let mut out: Vec<(MemberId, String)> = Vec::new();
    for line in text
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .take(200)
    {
        let (who, position) = match line.split_once('|') {
            Some((w, p)) => (w.trim(), clean(p)),
            None => (line, String::new()),
        };
        match super::member::pick(app, caller, who, "cadres", "Cán bộ dự").await {
            Ok(m) => {
                if !store::user::has_active_account(&app.db, m).await? {
                    errors.push(ValidationError::new("cadres", "Cán bộ dự", format!("đồng chí «{who}» chưa có tài khoản đăng nhập nên không thể chọn buổi dự và báo cáo")));
                } else if !out.iter().any(|(x, _)| *x == m) {
                    out.push((m, position));
                }
            }
            Err(AppError::Invalid(mut e)) => errors.append(&mut e),
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}

#[derive(Debug, Clone, Default, Deserialize, utoipa::ToSchema)]
#[serde(default)]
pub struct CadresInput {
    /// One a line: "Họ tên" or "Họ tên — Chi bộ", then "| chức vụ".
    pub cadres: String,
}

/// Adds cadres to a round; returns how many were new.
pub async fn add_cadres(
    app: &AppState,
    caller: &Caller,
    round: i64,
    input: &CadresInput,
) -> Result<usize> {
    let r = load_round(app, caller, Action::PlanSupervision, round).await?;
    let mut errors = Vec::new();
    let cadres = cadre_lines(app, caller, &input.cadres, &mut errors).await?;
    if cadres.is_empty() && errors.is_empty() {
        errors.push(ValidationError::new(
            "cadres",
            "Cán bộ dự",
            "phải ghi ít nhất một họ tên",
        ));
    }
    if !errors.is_empty() {
        return Err(AppError::Invalid(errors));
    }
    let mut tx = app.db.begin().await?;
    let mut added = 0;
    for (member, position) in &cadres {
        if st::insert_cadre(&mut tx, r.id, *member, position).await? {
            added += 1;
        }
    }
    let summary = format!("Thêm {added} cán bộ dự vào {}", r.name);
    audit(
        app,
        &mut tx,
        caller,
        Change {
            action: "add_cadres",
            entity: "supervision_round",
            entity_id: r.id,
            org: Some(r.org_id),
            summary: &summary,
            before: None,
            after: Some(serde_json::json!({"added": added})),
        },
    )
    .await?;
    tx.commit().await?;
    Ok(added)
}

pub(super) async fn load_round(
    app: &AppState,
    caller: &Caller,
    action: Action,
    id: i64,
) -> Result<st::RoundRow> {
    let r = match st::round(&app.db, id).await {
        Err(store::StoreError::NotFound) => return Err(AppError::NotFound),
        r => r?,
    };
    super::access::authorize_round(app, caller, action, &r).await?;
    Ok(r)
}

/// A round as its planners and cadres see it.
pub struct RoundView {
    pub round: st::RoundRow,
    pub org: OrgRow,
    pub cadres: Vec<st::CadreRow>,
    /// Every visit for the planners; the caller's own for a cadre.
    pub visits: Vec<st::VisitRow>,
    /// Registered meetings of cells in the scope, from today to the round's end.
    pub candidates: Vec<(MeetingRow, String)>,
    pub can_plan: bool,
    pub is_cadre: bool,
}

pub async fn round_view(app: &AppState, caller: &Caller, id: i64) -> Result<RoundView> {
    let round = load_round(app, caller, Action::AttendMeeting, id).await?;
    let can_plan = super::permitted(load_round(app, caller, Action::PlanSupervision, id).await)?;
    let me = caller.actor.member_id;
    let cadres = st::cadres(&app.db, id).await?;
    let is_cadre = me.is_some_and(|m| cadres.iter().any(|c| c.member_id == m));
    let visits = st::visits_of_round(&app.db, id)
        .await?
        .into_iter()
        .filter(|v| can_plan || Some(v.member_id) == me)
        .collect();
    Ok(RoundView {
        org: store::org::get_latest(&app.db, round.org_id).await?,
        candidates: candidates(app, &round).await?,
        cadres,
        visits,
        can_plan,
        is_cadre,
        round,
    })
}

/// The registered (planned) meetings a cadre may pick: cells of the scope,
/// within the period, not before today.
pub(super) async fn candidates(
    app: &AppState,
    round: &st::RoundRow,
) -> Result<Vec<(MeetingRow, String)>> {
    let today = app.clock.today();
    let from = round.starts_on.to_jiff().max(today);
    let to = round.ends_on.to_jiff();
    if to < from {
        return Ok(Vec::new());
    }
    let rows: Vec<MeetingRow> = store::meeting::in_subtree(
        &app.db,
        store::org::Root::subtree(round.scope_id),
        today,
        from,
        to,
        500,
    )
    .await?
    .into_iter()
    .filter(|m| m.status == "planned")
    .collect();
    let mut ids: Vec<OrgId> = rows.iter().map(|m| m.org_id).collect();
    ids.sort_unstable_by_key(|i| i.0);
    ids.dedup();
    let cells = store::org::get_many_latest(&app.db, &ids).await?;
    Ok(rows
        .into_iter()
        .map(|m| {
            let name = cells
                .iter()
                .find(|c| c.id == m.org_id)
                .map(|c| c.name.clone())
                .unwrap_or_default();
            (m, name)
        })
        .collect())
}
