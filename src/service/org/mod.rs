//! The organization tree: reading it on any date (`mod.rs`), its statistics
//! (`stats.rs`), and changing it with effective dates (`change.rs`).

use crate::app::AppState;
use crate::domain::authz::{Action, Decision, Paths, Target, decide};
use crate::domain::ids::OrgId;
use crate::domain::text;
use crate::service::node_memo::NO_DATE;
use crate::service::{Caller, Result, authorize_org};
use crate::store::{self, org::OrgRow};
use jiff::civil::Date;
use serde::Serialize;

mod change;
mod pick;
mod stats;

pub use change::{OrgChange, create, dissolve, merge, move_to, rename};
pub use pick::{Choice, choices, move_choices, pick};
pub use stats::{OrgStats, stats};

/// A node as the API shows it.
#[derive(Debug, Clone, Serialize, utoipa::ToSchema)]
pub struct OrgSummary {
    pub id: i64,
    pub name: String,
    /// central, province, district, bloc, base_committee, partial_committee, base_cell, cell
    pub kind: String,
    pub kind_label: String,
    /// rural, residential, school, health, agency, enterprise, armed_forces, police, other (cells only)
    pub cell_type: Option<String>,
    pub parent_id: Option<i64>,
    /// First day of this version (name, parent, kind), YYYY-MM-DD.
    pub valid_from: String,
    pub valid_to: Option<String>,
    pub dissolved_on: Option<String>,
    /// Where the node went when it was merged.
    pub successor_id: Option<i64>,
}

impl From<&OrgRow> for OrgSummary {
    fn from(r: &OrgRow) -> Self {
        Self {
            id: r.id.0,
            name: r.name.clone(),
            kind: r.kind.clone(),
            kind_label: r.kind().label().to_string(),
            cell_type: r.cell_type.clone(),
            parent_id: r.parent_id.map(|p| p.0),
            valid_from: r.valid_from.to_jiff().to_string(),
            valid_to: r.valid_to.map(|d| d.to_jiff().to_string()),
            dissolved_on: r.dissolved_on().map(|d| d.to_string()),
            successor_id: r.successor_id.map(|s| s.0),
        }
    }
}

/// The date to read a node at: `on`, or its last day if it was closed by then.
pub(crate) fn as_of(org: &OrgRow, on: Date) -> Date {
    org.reference_date(on)
}

/// Nodes the caller may see, as the tree stood on `on`, whose name contains `q`.
pub async fn search(app: &AppState, caller: &Caller, q: &str, on: Date) -> Result<Vec<OrgRow>> {
    const LIMIT: i64 = 1000;
    let pattern = store::like_pattern(&text::fold(q));
    let mut rows = if caller.actor.is_admin() {
        store::org::search(&app.db, &pattern, on, None, LIMIT).await?
    } else {
        let mut out: Vec<OrgRow> = Vec::new();
        for (root, ref_date) in &caller.grant_dates {
            let scope_on = (*ref_date).min(on);
            for r in
                store::org::search(&app.db, &pattern, on, Some((*root, scope_on)), LIMIT).await?
            {
                if !out.iter().any(|o| o.id == r.id) {
                    out.push(r);
                }
            }
        }
        out
    };
    store::org::sort_by_name(&mut rows);
    Ok(rows)
}

/// The nodes a caller's grants sit on (their starting points in the tree).
pub fn roots(caller: &Caller) -> &[OrgRow] {
    &caller.roots
}

pub struct OrgView {
    pub org: OrgRow,
    /// The date asked for.
    pub on: Date,
    /// The date actually shown (the last day of a node closed before `on`).
    pub as_of: Date,
    /// Whether the node existed on `on` (false: shown as it last stood, or
    /// not yet created).
    pub existed: bool,
    /// Ancestors the caller may see, root first, ending with the node.
    pub breadcrumb: Vec<OrgRow>,
    /// What the caller may do here (what the page offers).
    pub can: OrgPermissions,
    /// Children on `as_of` with their own child counts.
    pub children: Vec<(OrgRow, i64)>,
    pub successor: Option<OrgRow>,
}

/// The actions a node's page offers its caller.
#[derive(Debug, Clone, Copy, Default)]
pub struct OrgPermissions {
    pub list_members: bool,
    pub create_child: bool,
    pub write: bool,
    pub read_audit: bool,
    pub list_accounts: bool,
    /// Inspect the meetings of the cells below (a committee's staff).
    pub inspect: bool,
    /// Send cadres to attend the cells' meetings unannounced.
    pub plan_supervision: bool,
    /// See the formalism signals of the nodes below (a committee's staff).
    pub read_signals: bool,
}

impl OrgPermissions {
    pub async fn of(app: &AppState, caller: &Caller, org: &OrgRow) -> Result<Self> {
        let live = org.dissolved_on().is_none();
        let can = |a| crate::service::allows(app, caller, a, org.id);
        Ok(OrgPermissions {
            list_members: can(Action::ListMembers).await?,
            create_child: live && can(Action::CreateOrg).await?,
            write: live && can(Action::WriteOrg).await?,
            read_audit: can(Action::ReadAudit).await?,
            list_accounts: can(Action::ListAccounts).await?,
            inspect: !org.kind().is_cell() && can(Action::Inspect).await?,
            plan_supervision: !org.kind().is_cell() && can(Action::PlanSupervision).await?,
            read_signals: !org.kind().is_cell() && can(Action::ReadSignals).await?,
        })
    }
}

pub async fn view(app: &AppState, caller: &Caller, id: OrgId, on: Date) -> Result<OrgView> {
    let latest = authorize_org(app, caller, Action::ReadOrg, id).await?;
    let can = OrgPermissions::of(app, caller, &latest).await?;
    let as_of = as_of(&latest, on);
    let at = store::org::at_from_latest(&app.db, &latest, as_of).await?;
    let existed = at.is_some() && as_of == on;
    let org = at.unwrap_or(latest);
    let ancestors = super::access::ancestors(app, caller, id, as_of).await?;
    // Show only the ancestors the caller could open themselves.
    let ids: Vec<OrgId> = ancestors.iter().map(|a| a.id).collect();
    let breadcrumb = ancestors
        .iter()
        .enumerate()
        .filter(|(i, a)| {
            let paths = Paths::fixed(ids[..=*i].to_vec());
            decide(
                &caller.actor,
                Action::ReadOrg,
                &Target {
                    org: a.id,
                    paths: &paths,
                    member: None,
                },
            ) == Decision::Allowed
        })
        .map(|(_, a)| a.clone())
        .collect();
    // A cell is the lowest level of the tree: nothing to look up under it.
    let kids = if org.kind().is_cell() {
        Vec::new()
    } else {
        store::org::children(&app.db, id, as_of).await?
    };
    let kid_ids: Vec<OrgId> = kids.iter().map(|k| k.id).collect();
    let counts = store::org::child_counts(&app.db, &kid_ids, as_of).await?;
    let children = kids
        .into_iter()
        .map(|k| {
            let n = counts
                .iter()
                .find(|(id, _)| *id == k.id)
                .map(|(_, n)| *n)
                .unwrap_or(0);
            (k, n)
        })
        .collect();
    let successor = match org.successor_id {
        Some(s) => Some(store::org::get_latest(&app.db, s).await?),
        None => None,
    };
    Ok(OrgView {
        org,
        on,
        as_of,
        existed,
        breadcrumb,
        can,
        children,
        successor,
    })
}

pub async fn children(app: &AppState, caller: &Caller, id: OrgId, on: Date) -> Result<Vec<OrgRow>> {
    let org = authorize_org(app, caller, Action::ReadOrg, id).await?;
    Ok(store::org::children(&app.db, id, as_of(&org, on)).await?)
}

pub async fn get(app: &AppState, caller: &Caller, id: OrgId, on: Date) -> Result<OrgRow> {
    let latest = authorize_org(app, caller, Action::ReadOrg, id).await?;
    Ok(
        store::org::at_from_latest(&app.db, &latest, as_of(&latest, on))
            .await?
            .unwrap_or(latest),
    )
}

#[derive(Clone)]
pub struct History {
    pub versions: Vec<store::org::VersionRow>,
    pub events: Vec<store::org::EventRow>,
}

pub async fn history(app: &AppState, caller: &Caller, id: OrgId) -> Result<History> {
    authorize_org(app, caller, Action::ReadOrg, id).await?;
    let h = app
        .nodes
        .read(app, caller, id, ("history", [NO_DATE; 3]), || async {
            Ok(History {
                versions: store::org::versions(&app.db, id).await?,
                events: store::org::events(&app.db, id).await?,
            })
        })
        .await?;
    Ok(History::clone(&h))
}

/// Vietnamese name of an org event kind.
pub fn event_label(kind: &str) -> &'static str {
    match kind {
        "create" => "Thành lập",
        "rename" => "Đổi tên",
        "move" => "Chuyển trực thuộc",
        "merge" => "Sáp nhập vào",
        "absorb" => "Tiếp nhận",
        "dissolve" => "Giải thể",
        _ => "Thay đổi",
    }
}
