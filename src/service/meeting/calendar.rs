//! A node's calendar page in one read: the year's meetings, statistics,
//! compliance, the registered rule and what the caller may do.

use super::{ComplianceReport, MeetingStats, cell_members, compliance, list, meeting_stats};
use crate::app::AppState;
use crate::domain::authz::Action;
use crate::domain::ids::OrgId;
use crate::domain::schedule::Recurrence;
use crate::service::{Caller, Result, allows, org};
use crate::store::{self, meeting::MeetingRow, member::MemberRow, org::OrgRow};

pub struct CalendarView {
    pub org: OrgRow,
    pub year: i16,
    pub meetings: Vec<MeetingRow>,
    /// The cells the meetings belong to (their latest names).
    pub cells: Vec<OrgRow>,
    pub stats: MeetingStats,
    pub report: ComplianceReport,
    /// The cell's registered rule (cells only).
    pub rule: Option<Recurrence>,
    /// The meeting-day policy in force today: for a cell, the one of the
    /// nearest committee above it; for a committee, its own.
    pub policy: Option<super::DayPolicyOut>,
    /// Whether the cell's regular meetings follow `policy` (rather than a
    /// day of its own the policy allows it to keep).
    pub follows_policy: bool,
    /// Whether the caller plans this cell's meetings.
    pub can_manage: bool,
    /// The cell's members, for the planning forms (only when `can_manage`).
    pub members: Vec<MemberRow>,
}

impl CalendarView {
    pub fn cell_name(&self, id: OrgId) -> &str {
        self.cells
            .iter()
            .find(|c| c.id == id)
            .map(|c| c.name.as_str())
            .unwrap_or("")
    }
}

pub async fn calendar(
    app: &AppState,
    caller: &Caller,
    id: OrgId,
    year: i16,
) -> Result<CalendarView> {
    let org = org::get(app, caller, id, app.clock.today()).await?;
    let (from, to) = (
        jiff::civil::date(year, 1, 1),
        jiff::civil::date(year, 12, 31),
    );
    let meetings = list(app, caller, id, from, to).await?;
    let stats = meeting_stats(app, caller, id, year).await?;
    let is_cell = org.kind().is_cell();
    // A cell's list is its whole year (far below the list limit): the
    // compliance report reads the same meetings.
    let report = if is_cell && meetings.len() < super::LIST_LIMIT as usize {
        super::stats::compliance_of(app, &org, year, &meetings).await?
    } else {
        compliance(app, caller, id, year).await?
    };
    let can_manage = is_cell && allows(app, caller, Action::ManageMeetings, id).await?;
    let cells = if is_cell {
        vec![org.clone()]
    } else {
        let mut ids: Vec<OrgId> = meetings.iter().map(|m| m.org_id).collect();
        ids.sort();
        ids.dedup();
        store::org::get_many_latest(&app.db, &ids).await?
    };
    let own = if is_cell {
        store::meeting::schedule(&app.db, id).await?
    } else {
        None
    };
    let rule = is_cell.then(|| {
        own.as_ref()
            .map_or_else(Recurrence::default_rule, super::plan::cell_rule_from)
    });
    let today = app.clock.today();
    let (policy, follows_policy) = if is_cell {
        let p = super::day_policy::for_cell(app, caller, id, today).await?;
        let own = own.is_some();
        let follows = p.as_ref().is_some_and(|p| !(p.cells_keep_own && own));
        (p, follows)
    } else {
        // The newest the committee set (in force, or announced ahead).
        let p = super::policies(app, caller, id).await?.into_iter().next();
        (p, false)
    };
    let members = if can_manage {
        cell_members(app, id).await?
    } else {
        Vec::new()
    };
    Ok(CalendarView {
        org,
        year,
        meetings,
        cells,
        stats,
        report,
        rule,
        policy,
        follows_policy,
        can_manage,
        members,
    })
}
